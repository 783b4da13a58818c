/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The book and reconciliation: book import/opening, reconcile, match, unmatch, recon-statement. */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "ledger/export/tsy-recon-xlsx.h"
#include "ledger/tsy-account.h"
#include "ledger/tsy-book.h"
#include "ledger/tsy-ledger-error.h"
#include "ledger/tsy-money.h"
#include "ledger/tsy-recon-statement.h"
#include "ledger/tsy-reconcile.h"
#include "tsy-cli-private.h"

/* The CLI's user for the audit trail. */
static const char *
actor (void)
{
  const char *user = g_get_user_name ();

  return user != NULL && *user != '\0' ? user : "cli";
}

/* A bare JSON number (TsyJson writes strings and integers only). */
static void
json_number (TsyJson    *j,
             const char *text)
{
  if (j->after_key)
    j->after_key = FALSE;
  else
    {
      if (j->need_comma[j->depth])
        g_string_append_c (j->out, ',');
      j->need_comma[j->depth] = TRUE;
    }
  g_string_append (j->out, text);
}

/* 1000 -> "1", 970 -> "0.97", 905 -> "0.905" (per mille, no floating point). */
static void
format_score (int   permille,
              char *buf,
              gsize len)
{
  if (permille >= 1000)
    g_strlcpy (buf, "1", len);
  else if (permille <= 0)
    g_strlcpy (buf, "0", len);
  else
    {
      g_snprintf (buf, len, "0.%03d", permille);
      for (gsize n = strlen (buf); n > 2 && buf[n - 1] == '0'; n--)
        buf[n - 1] = '\0';
    }
}

static void
flush_json (TsyJson *j)
{
  if (j->out->len > 256 * 1024)
    {
      fwrite (j->out->str, 1, j->out->len, stdout);
      g_string_truncate (j->out, 0);
    }
}

int
tsy_cli_cmd_book_import (TsyCli *cli,
                         int     argc,
                         char  **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  TsyBookImportResult result = { 0 };
  GError *error = NULL;

  if (!tsy_cli_parse_options (&argc, &argv, "FILE.csv", entries))
    return 2;
  if (argc != 2)
    return tsy_cli_usage_error (_("Usage: %s"), "treasury book import FILE.csv [--json]");
  if (tsy_cli_open (cli, FALSE) == NULL)
    return 1;
  if (!tsy_book_import_file (cli->store, argv[1], &result, NULL, &error))
    return tsy_cli_fail (cli, error);
  if (json)
    {
      TsyJson j;
      tsy_json_init (&j);
      tsy_json_begin_object (&j);
      tsy_json_member (&j, "file", argv[1]);
      tsy_json_key (&j, "rows");
      tsy_json_int (&j, result.rows);
      tsy_json_key (&j, "new");
      tsy_json_int (&j, result.new_entries);
      tsy_json_key (&j, "present");
      tsy_json_int (&j, result.present_entries);
      tsy_json_end_object (&j);
      tsy_cli_print_json (&j);
    }
  else
    /* Translators: %1$s a file, %2$u new entries, %3$u entries present before */
    g_print (_("%1$s: %2$u new book entries, %3$u already present\n"), argv[1],
             result.new_entries, result.present_entries);
  return 0;
}

int
tsy_cli_cmd_book_opening (TsyCli *cli,
                          int     argc,
                          char  **argv)
{
  g_autofree char *date_text = NULL;
  const GOptionEntry entries[] = {
    { "date", 0, 0, G_OPTION_ARG_STRING, &date_text, N_("The day the book opens with this balance"), "YYYY-MM-DD" },
    { NULL }
  };
  g_autoptr(TsyAccountInfo) info = NULL;
  GError *error = NULL;
  TsyDate date = TSY_DATE_NONE;
  gint64 amount = 0;

  if (!tsy_cli_parse_options (&argc, &argv, "ACCOUNT AMOUNT", entries))
    return 2;
  if (argc != 3 || date_text == NULL)
    return tsy_cli_usage_error (_("Usage: %s"), "treasury book opening ACCOUNT AMOUNT --date YYYY-MM-DD");
  if (!tsy_date_parse_iso (date_text, &date, &error))
    return tsy_cli_fail (cli, error);
  if (tsy_cli_open (cli, FALSE) == NULL)
    return 1;
  info = tsy_account_lookup (cli->store, argv[1], &error);
  if (info == NULL)
    return tsy_cli_fail (cli, error);
  if (!tsy_money_parse (argv[2], -1, info->currency, TSY_DECIMAL_POINT, &amount, &error) ||
      !tsy_book_set_opening (cli->store, info->number, amount, date, actor (), &error))
    return tsy_cli_fail (cli, error);
  return 0;
}

static void
json_string_array (TsyJson            *j,
                   const char         *key,
                   const char * const *values,
                   guint               n)
{
  tsy_json_key (j, key);
  tsy_json_begin_array (j);
  for (guint i = 0; i < n; i++)
    tsy_json_string (j, values[i]);
  tsy_json_end_array (j);
}

typedef struct
{
  TsyJson   j;
  gboolean  json;
  gboolean  suggested;
  guint     count;
} ReconOut;

static gboolean
print_match (const TsyReconMatchRow *row,
             gpointer                user_data)
{
  ReconOut *out = user_data;
  char score[16];

  out->count++;
  format_score (row->score, score, sizeof score);
  if (out->json)
    {
      TsyJson *j = &out->j;
      tsy_json_begin_object (j);
      json_string_array (j, "bank", row->bank_refs, row->n_bank);
      json_string_array (j, "book", row->book_ids, row->n_book);
      tsy_json_member (j, "rule", tsy_recon_rule_to_string (row->rule));
      tsy_json_key (j, "score");
      json_number (j, score);
      tsy_json_key (j, "id");
      tsy_json_int (j, row->id);
      tsy_json_member (j, "account", row->account);
      if (!out->suggested)
        tsy_json_member (j, "status", tsy_recon_status_to_string (row->status));
      if (row->charge_minor != 0)
        {
          g_autofree char *charge = tsy_money_to_decimal (row->charge_minor, row->currency);
          tsy_json_member (j, "charge", charge);
        }
      tsy_json_end_object (j);
      flush_json (j);
    }
  return TRUE;
}

static gboolean
print_unmatched (const TsyReconItemRow *row,
                 gpointer               user_data)
{
  ReconOut *out = user_data;

  if (row->suggested)
    return TRUE;
  out->count++;
  if (out->json)
    {
      tsy_json_string (&out->j, row->ref);
      flush_json (&out->j);
    }
  return TRUE;
}

int
tsy_cli_cmd_reconcile (TsyCli *cli,
                       int     argc,
                       char  **argv)
{
  g_autofree char *account = NULL;
  gboolean json = FALSE;
  int window = -1;
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &account, N_("Only this account"), N_("NUMBER") },
    { "window", 0, 0, G_OPTION_ARG_INT, &window, N_("Date window of the counterparty rule in days (0–40), kept for the account"), N_("DAYS") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  TsyReconOptions options;
  TsyReconSummary summary = { 0 };
  ReconOut out = { 0 };
  GError *error = NULL;

  if (!tsy_cli_parse_options (&argc, &argv, "", entries))
    return 2;
  if (argc != 1)
    return tsy_cli_usage_error (_("Usage: %s"), "treasury reconcile [--account NUMBER] [--window DAYS] [--json]");
  if (window != -1 && account == NULL)
    return tsy_cli_usage_error ("%s", _("--window is kept per account: give --account too"));
  if (tsy_cli_open (cli, FALSE) == NULL)
    return 1;
  if (window != -1 && !tsy_recon_set_window (cli->store, account, window, &error))
    return tsy_cli_fail (cli, error);
  tsy_recon_options_init (&options);
  if (!tsy_reconcile (cli->store, account, &options, &summary, NULL, &error))
    return tsy_cli_fail (cli, error);

  if (!json)
    {
      /* Translators: %1$u accounts, %2$u matches, %3$u new, %4$u suggestions, %5$u bank lines, %6$u book entries */
      g_print (_("%1$u account(s): %2$u matches (%3$u new), %4$u suggestions, %5$u bank lines and %6$u book entries unmatched\n"),
               summary.accounts, summary.matched, summary.new_matches, summary.suggested,
               summary.unmatched_bank, summary.unmatched_book);
      for (guint r = 0; r < TSY_RECON_N_RULES; r++)
        if (summary.by_rule[r] > 0)
          g_print ("  %-16s %u\n", tsy_recon_rule_to_string (r), summary.by_rule[r]);
      return 0;
    }

  out.json = TRUE;
  tsy_json_init (&out.j);
  tsy_json_begin_object (&out.j);
  tsy_json_key (&out.j, "matched");
  tsy_json_begin_array (&out.j);
  if (!tsy_recon_foreach_match (cli->store, account, print_match, &out, &error))
    goto fail;
  tsy_json_end_array (&out.j);
  tsy_json_key (&out.j, "suggested");
  tsy_json_begin_array (&out.j);
  out.suggested = TRUE;
  if (!tsy_recon_foreach_suggestion (cli->store, account, print_match, &out, &error))
    goto fail;
  tsy_json_end_array (&out.j);
  tsy_json_key (&out.j, "unmatched_bank");
  tsy_json_begin_array (&out.j);
  if (!tsy_recon_foreach_unmatched (cli->store, account, TSY_RECON_SIDE_BANK, print_unmatched, &out, &error))
    goto fail;
  tsy_json_end_array (&out.j);
  tsy_json_key (&out.j, "unmatched_book");
  tsy_json_begin_array (&out.j);
  if (!tsy_recon_foreach_unmatched (cli->store, account, TSY_RECON_SIDE_BOOK, print_unmatched, &out, &error))
    goto fail;
  tsy_json_end_array (&out.j);
  tsy_json_end_object (&out.j);
  tsy_cli_print_json (&out.j);
  return 0;

fail:
  g_free (tsy_json_finish (&out.j));
  /* the run is committed; only the listing failed */
  g_printerr ("treasury: %s\n", error->message);
  g_error_free (error);
  return 1;
}

/* "match R1 R2 --book B1 B2 [--account N]": words after --book are book ids. */
int
tsy_cli_cmd_match (TsyCli *cli,
                   int     argc,
                   char  **argv)
{
  g_autoptr(GPtrArray) bank = g_ptr_array_new ();
  g_autoptr(GPtrArray) book = g_ptr_array_new ();
  const char *account = NULL;
  gboolean in_book = FALSE;
  GError *error = NULL;
  gint64 id;

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0)
        {
          g_print ("%s\n", _("Usage: treasury match BANK_REF... --book BOOK_ID... [--account NUMBER]"));
          return 0;
        }
      if (strcmp (argv[i], "--book") == 0)
        in_book = TRUE;
      else if (g_str_has_prefix (argv[i], "--book="))
        {
          in_book = TRUE;
          g_ptr_array_add (book, argv[i] + 7);
        }
      else if (strcmp (argv[i], "--account") == 0 && i + 1 < argc)
        account = argv[++i];
      else if (g_str_has_prefix (argv[i], "--account="))
        account = argv[i] + 10;
      else if (g_str_has_prefix (argv[i], "--"))
        return tsy_cli_usage_error (_("Unknown option “%s”"), argv[i]);
      else
        g_ptr_array_add (in_book ? book : bank, argv[i]);
    }
  if (bank->len == 0 || book->len == 0)
    return tsy_cli_usage_error (_("Usage: %s"), "treasury match BANK_REF... --book BOOK_ID... [--account NUMBER]");
  g_ptr_array_add (bank, NULL);
  g_ptr_array_add (book, NULL);
  if (tsy_cli_open (cli, FALSE) == NULL)
    return 1;
  id = tsy_recon_match (cli->store, account, (const char * const *) bank->pdata,
                        (const char * const *) book->pdata, actor (), &error);
  if (id == 0)
    return tsy_cli_fail (cli, error);
  {
    g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
    /* Translators: %s the number of the match */
    g_print (_("Match %s made\n"), text);
  }
  return 0;
}

int
tsy_cli_cmd_unmatch (TsyCli *cli,
                     int     argc,
                     char  **argv)
{
  g_autofree char *account = NULL;
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &account, N_("The account of the bank reference"), N_("NUMBER") },
    { NULL }
  };
  GError *error = NULL;

  if (!tsy_cli_parse_options (&argc, &argv, "BANK_REF|BOOK_ID", entries))
    return 2;
  if (argc != 2)
    return tsy_cli_usage_error (_("Usage: %s"), "treasury unmatch BANK_REF|BOOK_ID [--account NUMBER]");
  if (tsy_cli_open (cli, FALSE) == NULL)
    return 1;
  if (!tsy_recon_unmatch (cli->store, account, argv[1], actor (), &error))
    return tsy_cli_fail (cli, error);
  return 0;
}

static void
json_items (TsyJson    *j,
            const char *key,
            GPtrArray  *items,
            const char *currency)
{
  tsy_json_key (j, key);
  tsy_json_begin_array (j);
  for (guint i = 0; i < items->len; i++)
    {
      TsyReconStatementItem *it = g_ptr_array_index (items, i);
      g_autofree char *amount = tsy_money_to_decimal (it->amount_minor, currency);
      char date[11];

      tsy_date_format_iso (it->date, date);
      tsy_json_begin_object (j);
      tsy_json_member (j, it->side == TSY_RECON_SIDE_BANK ? "bank_ref" : "book_id", it->ref);
      tsy_json_member (j, "date", date);
      tsy_json_member (j, "amount", amount);
      tsy_json_member (j, "counterparty", it->counterparty);
      tsy_json_member (j, "text", it->text);
      tsy_json_end_object (j);
    }
  tsy_json_end_array (j);
}

static void
print_items (const char *title,
             GPtrArray  *items,
             const char *currency)
{
  g_autofree char *total = tsy_money_to_decimal (tsy_recon_statement_total (items), currency);

  g_print ("%-40s %18s\n", title, total);
  for (guint i = 0; i < items->len; i++)
    {
      TsyReconStatementItem *it = g_ptr_array_index (items, i);
      g_autofree char *amount = tsy_money_to_decimal (it->amount_minor, currency);
      char date[11];

      tsy_date_format_iso (it->date, date);
      g_print ("    %s %-24s %18s %s\n", date, it->ref, amount, it->counterparty ? it->counterparty : "");
    }
}

int
tsy_cli_cmd_recon_statement (TsyCli *cli,
                             int     argc,
                             char  **argv)
{
  g_autofree char *account = NULL;
  g_autofree char *date_text = NULL;
  g_autofree char *xlsx = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &account, N_("The account"), N_("NUMBER") },
    { "date", 0, 0, G_OPTION_ARG_STRING, &date_text, N_("The statement's date"), "YYYY-MM-DD" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "xlsx", 0, 0, G_OPTION_ARG_FILENAME, &xlsx, N_("Also write it as an Excel workbook"), N_("FILE") },
    { NULL }
  };
  g_autoptr(TsyReconStatement) st = NULL;
  GError *error = NULL;
  TsyDate date = TSY_DATE_NONE;
  g_autofree char *bank_balance = NULL;
  g_autofree char *book_balance = NULL;
  g_autofree char *adj_bank = NULL;
  g_autofree char *adj_book = NULL;
  char date_iso[11];

  if (!tsy_cli_parse_options (&argc, &argv, "", entries))
    return 2;
  if (argc != 1 || account == NULL || date_text == NULL)
    return tsy_cli_usage_error (_("Usage: %s"),
                                "treasury recon-statement --account NUMBER --date YYYY-MM-DD [--json] [--xlsx FILE]");
  if (!tsy_date_parse_iso (date_text, &date, &error))
    return tsy_cli_fail (cli, error);
  if (tsy_cli_open (cli, FALSE) == NULL)
    return 1;
  st = tsy_recon_statement_build (cli->store, account, date, &error);
  if (st == NULL)
    return tsy_cli_fail (cli, error);
  if (xlsx != NULL && !tsy_recon_xlsx_write (st, xlsx, &error))
    return tsy_cli_fail (cli, error);

  tsy_date_format_iso (st->date, date_iso);
  bank_balance = st->has_bank_balance ? tsy_money_to_decimal (st->bank_balance, st->currency) : NULL;
  book_balance = tsy_money_to_decimal (st->book_balance, st->currency);
  adj_bank = st->has_bank_balance ? tsy_money_to_decimal (st->adjusted_bank_balance, st->currency) : NULL;
  adj_book = tsy_money_to_decimal (st->adjusted_book_balance, st->currency);
  if (json)
    {
      TsyJson j;

      tsy_json_init (&j);
      tsy_json_begin_object (&j);
      tsy_json_member (&j, "account", st->account);
      tsy_json_member (&j, "currency", st->currency);
      tsy_json_member (&j, "date", date_iso);
      tsy_json_member (&j, "bank_balance", bank_balance);
      tsy_json_member (&j, "book_balance", book_balance);
      json_items (&j, "bank_credits_not_in_book", st->bank_credits_not_in_book, st->currency);
      json_items (&j, "bank_debits_not_in_book", st->bank_debits_not_in_book, st->currency);
      json_items (&j, "book_credits_not_at_bank", st->book_credits_not_at_bank, st->currency);
      json_items (&j, "book_debits_not_at_bank", st->book_debits_not_at_bank, st->currency);
      tsy_json_key (&j, "charges");
      tsy_json_begin_array (&j);
      for (guint i = 0; i < st->charges->len; i++)
        {
          TsyReconStatementCharge *c = g_ptr_array_index (st->charges, i);
          g_autofree char *amount = tsy_money_to_decimal (c->amount_minor, st->currency);
          char d[11];

          tsy_date_format_iso (c->date, d);
          tsy_json_begin_object (&j);
          tsy_json_member (&j, "bank", c->bank_refs);
          tsy_json_member (&j, "book", c->book_ids);
          tsy_json_member (&j, "date", d);
          tsy_json_member (&j, "amount", amount);
          tsy_json_end_object (&j);
        }
      tsy_json_end_array (&j);
      tsy_json_member (&j, "adjusted_bank_balance", adj_bank);
      tsy_json_member (&j, "adjusted_book_balance", adj_book);
      tsy_json_key (&j, "balanced");
      tsy_json_bool (&j, st->balanced);
      tsy_json_end_object (&j);
      tsy_cli_print_json (&j);
      return 0;
    }

  /* Translators: the heading of a balance reconciliation statement; %1$s account, %2$s date */
  g_print (_("Balance reconciliation statement of %1$s at %2$s\n"), st->account, date_iso);
  g_print ("%-40s %18s\n", _("Bank balance"), bank_balance ? bank_balance : "—");
  g_print ("%-40s %18s\n", _("Book balance"), book_balance);
  print_items (_("Bank credits not in the book"), st->bank_credits_not_in_book, st->currency);
  print_items (_("Bank debits not in the book"), st->bank_debits_not_in_book, st->currency);
  print_items (_("Book credits not at the bank"), st->book_credits_not_at_bank, st->currency);
  print_items (_("Book debits not at the bank"), st->book_debits_not_at_bank, st->currency);
  {
    g_autofree char *charges = tsy_money_to_decimal (tsy_recon_statement_charges_total (st), st->currency);
    g_print ("%-40s %18s\n", _("Bank charges"), charges);
  }
  g_print ("%-40s %18s\n", _("Adjusted bank balance"), adj_bank ? adj_bank : "—");
  g_print ("%-40s %18s\n", _("Adjusted book balance"), adj_book);
  g_print ("%s\n", st->balanced ? _("Balanced") : _("NOT balanced"));
  return 0;
}
