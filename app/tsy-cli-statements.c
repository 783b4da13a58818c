/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Statements: import and list. */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "banks/tsy-statement-importer.h"
#include "ledger/tsy-ledger-error.h"
#include "ledger/tsy-money.h"
#include "ledger/tsy-statement-lines.h"
#include "tsy-cli-private.h"

int
tsy_cli_cmd_import (TsyCli *cli,
                    int     argc,
                    char  **argv)
{
  g_autofree char *account = NULL;
  g_autofree char *format = NULL;
  g_autofree char *profile = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &account, N_("Account for statements that name none"), N_("NUMBER") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("mt940, mt942, camt, bai2, ofx or csv (default: detect)"), N_("FORMAT") },
    { "profile", 0, 0, G_OPTION_ARG_FILENAME, &profile, N_("Column profile for a CSV layout"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  TsyImportOptions options = { 0 };
  TsyJson j;
  int failures = 0;

  if (!tsy_cli_parse_options (&argc, &argv, "FILE…", entries))
    return 2;
  if (argc < 2)
    return tsy_cli_usage_error (_("Usage: %s"),
                                "treasury import FILE... [--account NUMBER] [--format mt940|mt942|camt|bai2|ofx|csv] [--profile FILE] [--json]");
  if (format != NULL)
    {
      options.format = tsy_statement_format_from_string (format);
      if (options.format == TSY_STATEMENT_FORMAT_UNKNOWN)
        return tsy_cli_usage_error (_("“%s” is not a statement format (mt940, mt942, camt, bai2, ofx, csv)"), format);
    }
  options.account = account;
  options.profile = profile;
  if (tsy_cli_open (cli, FALSE) == NULL)
    return 1;

  if (json)
    {
      tsy_json_init (&j);
      tsy_json_begin_array (&j);
    }
  /* One transaction per file: a bad file changes nothing, the good ones are kept. */
  for (int i = 1; i < argc; i++)
    {
      TsyImportResult result = { 0 };
      g_autoptr(GError) error = NULL;

      if (!tsy_statement_import_file (cli->store, argv[i], &options, &result, NULL, &error))
        {
          g_printerr ("treasury: %s\n", error->message);
          /* no account named, or one the ledger does not know: --account is the way out */
          if (account == NULL && g_error_matches (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_NOT_FOUND))
            g_printerr ("treasury: %s\n", _("(treasury import --account NUMBER names the account)"));
          failures++;
          if (json)
            {
              tsy_json_begin_object (&j);
              tsy_json_member (&j, "file", argv[i]);
              tsy_json_member (&j, "error", error->message);
              tsy_json_end_object (&j);
            }
          continue;
        }
      if (json)
        {
          tsy_json_begin_object (&j);
          tsy_json_member (&j, "file", argv[i]);
          tsy_json_member (&j, "format", result.format);
          tsy_json_key (&j, "statements");
          tsy_json_int (&j, result.statements);
          tsy_json_key (&j, "new");
          tsy_json_int (&j, result.new_lines);
          tsy_json_key (&j, "present");
          tsy_json_int (&j, result.present_lines);
          tsy_json_key (&j, "accounts");
          tsy_json_begin_array (&j);
          for (guint k = 0; k < result.accounts->len; k++)
            tsy_json_string (&j, g_ptr_array_index (result.accounts, k));
          tsy_json_end_array (&j);
          tsy_json_end_object (&j);
        }
      else
        /* Translators: %1$s file, %2$s format, %3$u statements, %4$u new lines, %5$u lines present before */
        g_print (_("%1$s: %2$s, %3$u statement(s), %4$u new line(s), %5$u already present\n"),
                 argv[i], result.format ? result.format : "?", result.statements,
                 result.new_lines, result.present_lines);
      tsy_import_result_clear (&result);
    }
  if (json)
    {
      tsy_json_end_array (&j);
      tsy_cli_print_json (&j);
    }
  return failures > 0 ? 1 : 0;
}

typedef struct
{
  gboolean json;
  TsyJson  j;
} LinesOut;

static gboolean
print_line (const TsyLineRow *row,
            gpointer          user_data)
{
  LinesOut *out = user_data;
  char booking[11], value[11];
  g_autofree char *amount = tsy_money_to_decimal (row->amount_minor, row->currency);

  tsy_date_format_iso (row->booking_date, booking);
  tsy_date_format_iso (row->value_date, value);
  if (out->json)
    {
      TsyJson *j = &out->j;
      tsy_json_begin_object (j);
      tsy_json_member (j, "account", row->account);
      tsy_json_member (j, "booking_date", booking);
      tsy_json_member (j, "value_date", row->value_date ? value : NULL);
      tsy_json_member (j, "amount", amount);
      tsy_json_member (j, "currency", row->currency);
      tsy_json_member (j, "bank_ref", row->bank_ref);
      tsy_json_member (j, "end_to_end_id", row->end_to_end_id);
      tsy_json_member (j, "counterparty", row->counterparty);
      tsy_json_member (j, "counterparty_account", row->counterparty_account);
      tsy_json_member (j, "text", row->text);
      tsy_json_member (j, "customer_ref", row->customer_ref);
      tsy_json_member (j, "bank_tx_code", row->bank_tx_code);
      tsy_json_key (j, "reversal");
      tsy_json_bool (j, row->reversal);
      tsy_json_end_object (j);
      /* stream: memory does not grow with the number of lines */
      if (j->out->len > 64 * 1024)
        {
          fwrite (j->out->str, 1, j->out->len, stdout);
          g_string_truncate (j->out, 0);
        }
    }
  else
    g_print ("%s %s %s %18s %-24s %s %s\n", row->account, booking, row->currency, amount,
             row->bank_ref, row->counterparty ? row->counterparty : "",
             row->text ? row->text : "");
  return TRUE;
}

int
tsy_cli_cmd_lines (TsyCli *cli,
                   int     argc,
                   char  **argv)
{
  g_autofree char *account = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *text = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &account, N_("Only this account"), N_("NUMBER") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, N_("Booked on or after"), "YYYY-MM-DD" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, N_("Booked on or before"), "YYYY-MM-DD" },
    { "text", 0, 0, G_OPTION_ARG_STRING, &text, N_("Text, counterparty or reference contains"), N_("TEXT") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  TsyLineFilter filter = { 0 };
  LinesOut out = { 0 };
  GError *error = NULL;

  if (!tsy_cli_parse_options (&argc, &argv, "", entries))
    return 2;
  if (argc != 1)
    return tsy_cli_usage_error (_("Usage: %s"),
                                "treasury lines [--account NUMBER] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]");
  if ((from != NULL && !tsy_date_parse_iso (from, &filter.from, &error)) ||
      (to != NULL && !tsy_date_parse_iso (to, &filter.to, &error)))
    return tsy_cli_fail (cli, error);
  filter.account = account;
  filter.text = text;
  if (tsy_cli_open (cli, FALSE) == NULL)
    return 1;

  out.json = json;
  if (json)
    {
      tsy_json_init (&out.j);
      tsy_json_begin_array (&out.j);
    }
  if (!tsy_lines_foreach (cli->store, &filter, print_line, &out, &error))
    {
      if (json)
        g_free (tsy_json_finish (&out.j));
      return tsy_cli_fail (cli, error);
    }
  if (json)
    {
      tsy_json_end_array (&out.j);
      tsy_cli_print_json (&out.j);
    }
  return 0;
}
