/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The foundation commands: the database, the group's tree, banks, accounts, rates, balances. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "banks/tsy-demo-statements.h"
#include "ledger/tsy-account.h"
#include "ledger/tsy-bank.h"
#include "ledger/tsy-demo.h"
#include "ledger/tsy-demo-book.h"
#include "ledger/tsy-ledger-error.h"
#include "ledger/tsy-money.h"
#include "ledger/tsy-org.h"
#include "ledger/tsy-rollup.h"
#include "tsy-cli-private.h"

static gboolean
parse_date_option (const char *text,
                   TsyDate    *out,
                   GError    **error)
{
  if (text == NULL)
    {
      *out = TSY_DATE_NONE;
      return TRUE;
    }
  return tsy_date_parse_iso (text, out, error);
}

int
tsy_cli_cmd_init (TsyCli *cli,
                  int     argc,
                  char  **argv)
{
  const GOptionEntry entries[] = { { NULL } };

  if (!tsy_cli_parse_options (&argc, &argv, "", entries) || !tsy_cli_want_args (argc, 0, "treasury init"))
    return 2;
  if (tsy_cli_open (cli, TRUE) == NULL)
    return 1;
  g_print (_("Database ready: %s (schema %d)\n"), cli->db_path, tsy_store_schema_version ());
  return 0;
}

int
tsy_cli_cmd_demo (TsyCli *cli,
                  int     argc,
                  char  **argv)
{
  g_autofree char *end = NULL;
  gboolean no_statements = FALSE;
  guint n_files = 0, n_lines = 0;
  const GOptionEntry entries[] = {
    { "end-date", 0, 0, G_OPTION_ARG_STRING, &end, N_("Last day of the demo month (default: yesterday)"), "YYYY-MM-DD" },
    { "no-statements", 0, 0, G_OPTION_ARG_NONE, &no_statements, N_("Balances only, no statement files"), NULL },
    { NULL }
  };
  GError *error = NULL;
  TsyDate end_date;

  if (!tsy_cli_parse_options (&argc, &argv, "", entries) || !tsy_cli_want_args (argc, 0, "treasury demo"))
    return 2;
  if (!parse_date_option (end, &end_date, &error))
    return tsy_cli_fail (cli, error);
  if (tsy_cli_open (cli, TRUE) == NULL)
    return 1;
  if (!tsy_demo_fill (cli->store, end_date, &error))
    return tsy_cli_fail (cli, error);
  if (!no_statements)
    {
      /* A month of statement files beside the database, imported through the parsers. */
      g_autofree char *dir = g_strconcat (cli->db_path, ".statements", NULL);
      if (!tsy_demo_statements_generate (cli->store, dir, &n_files, &n_lines, &error))
        return tsy_cli_fail (cli, error);
      /* the book (银行日记账) of every account, with every reconciliation case, reconciled */
      if (!tsy_demo_book_fill (cli->store, &error))
        return tsy_cli_fail (cli, error);
    }
  g_print (_("Demo group loaded into %s\n"), cli->db_path);
  if (n_files > 0)
    /* Translators: %1$u files, %2$u lines, %3$s a folder */
    g_print (_("%1$u statement files with %2$u lines imported (the files are in %3$s.statements)\n"),
             n_files, n_lines, cli->db_path);
  return 0;
}

int
tsy_cli_cmd_org_add (TsyCli *cli,
                     int     argc,
                     char  **argv)
{
  g_autofree char *name = NULL;
  g_autofree char *parent = NULL;
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("Name of the unit"), N_("NAME") },
    { "parent", 0, 0, G_OPTION_ARG_STRING, &parent, N_("Code of the parent unit"), N_("CODE") },
    { NULL }
  };
  GError *error = NULL;
  const char *usage = "treasury org add CODE --name NAME [--parent CODE]";

  if (!tsy_cli_parse_options (&argc, &argv, "CODE", entries) || !tsy_cli_want_args (argc, 1, usage))
    return 2;
  if (name == NULL)
    return tsy_cli_usage_error (_("Usage: %s"), usage);
  if (tsy_cli_open (cli, FALSE) == NULL)
    return 1;
  if (tsy_org_add (cli->store, argv[1], name, parent, &error) == 0)
    return tsy_cli_fail (cli, error);
  return 0;
}

int
tsy_cli_cmd_org_list (TsyCli *cli,
                      int     argc,
                      char  **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) orgs = NULL;
  GError *error = NULL;

  if (!tsy_cli_parse_options (&argc, &argv, "", entries) || !tsy_cli_want_args (argc, 0, "treasury org list [--json]"))
    return 2;
  if (tsy_cli_open (cli, FALSE) == NULL)
    return 1;
  orgs = tsy_org_list (cli->store, &error);
  if (orgs == NULL)
    return tsy_cli_fail (cli, error);
  if (json)
    {
      TsyJson j;
      tsy_json_init (&j);
      tsy_json_begin_array (&j);
      for (guint i = 0; i < orgs->len; i++)
        {
          TsyOrgInfo *o = g_ptr_array_index (orgs, i);
          tsy_json_begin_object (&j);
          tsy_json_member (&j, "code", o->code);
          tsy_json_member (&j, "name", o->name);
          tsy_json_member (&j, "parent", o->parent_code);
          tsy_json_end_object (&j);
        }
      tsy_json_end_array (&j);
      tsy_cli_print_json (&j);
    }
  else
    for (guint i = 0; i < orgs->len; i++)
      {
        TsyOrgInfo *o = g_ptr_array_index (orgs, i);
        g_print ("%-16s %-16s %s\n", o->code, o->parent_code ? o->parent_code : "-", o->name);
      }
  return 0;
}

int
tsy_cli_cmd_bank_add (TsyCli *cli,
                      int     argc,
                      char  **argv)
{
  g_autofree char *name = NULL;
  g_autofree char *bic = NULL;
  g_autofree char *cnaps = NULL;
  g_autofree char *country = NULL;
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("Name of the bank"), N_("NAME") },
    { "bic", 0, 0, G_OPTION_ARG_STRING, &bic, N_("SWIFT BIC"), "BIC" },
    { "cnaps", 0, 0, G_OPTION_ARG_STRING, &cnaps, N_("CNAPS bank code (12 digits)"), N_("CODE") },
    { "country", 0, 0, G_OPTION_ARG_STRING, &country, N_("ISO 3166 country code"), "CC" },
    { NULL }
  };
  GError *error = NULL;
  const char *usage = "treasury bank add CODE --name NAME [--bic BIC] [--cnaps CODE] [--country CC]";

  if (!tsy_cli_parse_options (&argc, &argv, "CODE", entries) || !tsy_cli_want_args (argc, 1, usage))
    return 2;
  if (name == NULL)
    return tsy_cli_usage_error (_("Usage: %s"), usage);
  if (tsy_cli_open (cli, FALSE) == NULL)
    return 1;
  if (tsy_bank_add (cli->store, argv[1], name, bic, cnaps, country, &error) == 0)
    return tsy_cli_fail (cli, error);
  return 0;
}

int
tsy_cli_cmd_bank_list (TsyCli *cli,
                       int     argc,
                       char  **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) banks = NULL;
  GError *error = NULL;

  if (!tsy_cli_parse_options (&argc, &argv, "", entries) || !tsy_cli_want_args (argc, 0, "treasury bank list [--json]"))
    return 2;
  if (tsy_cli_open (cli, FALSE) == NULL)
    return 1;
  banks = tsy_bank_list (cli->store, &error);
  if (banks == NULL)
    return tsy_cli_fail (cli, error);
  if (json)
    {
      TsyJson j;
      tsy_json_init (&j);
      tsy_json_begin_array (&j);
      for (guint i = 0; i < banks->len; i++)
        {
          TsyBankInfo *b = g_ptr_array_index (banks, i);
          tsy_json_begin_object (&j);
          tsy_json_member (&j, "code", b->code);
          tsy_json_member (&j, "name", b->name);
          tsy_json_member (&j, "bic", b->bic);
          tsy_json_member (&j, "cnaps", b->cnaps);
          tsy_json_member (&j, "country", b->country);
          tsy_json_end_object (&j);
        }
      tsy_json_end_array (&j);
      tsy_cli_print_json (&j);
    }
  else
    for (guint i = 0; i < banks->len; i++)
      {
        TsyBankInfo *b = g_ptr_array_index (banks, i);
        g_print ("%-10s %-12s %-13s %s\n", b->code, b->bic ? b->bic : "-", b->cnaps ? b->cnaps : "-",
                 b->name);
      }
  return 0;
}

int
tsy_cli_cmd_account_add (TsyCli *cli,
                         int     argc,
                         char  **argv)
{
  g_autofree char *org = NULL;
  g_autofree char *bank = NULL;
  g_autofree char *currency = NULL;
  g_autofree char *name = NULL;
  g_autofree char *type = NULL;
  g_autofree char *status = NULL;
  g_autofree char *pool = NULL;
  g_autofree char *limit = NULL;
  gboolean local_number = FALSE;
  const GOptionEntry entries[] = {
    { "org", 0, 0, G_OPTION_ARG_STRING, &org, N_("Owning organisation unit"), N_("CODE") },
    { "bank", 0, 0, G_OPTION_ARG_STRING, &bank, N_("Bank"), N_("CODE") },
    { "currency", 0, 0, G_OPTION_ARG_STRING, &currency, N_("ISO 4217 currency"), "CCY" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("Name of the account"), N_("NAME") },
    { "type", 0, 0, G_OPTION_ARG_STRING, &type, N_("basic, general, special, temporary, foreign or other"), N_("TYPE") },
    { "status", 0, 0, G_OPTION_ARG_STRING, &status, N_("open, frozen or closed"), N_("STATUS") },
    { "pool-parent", 0, 0, G_OPTION_ARG_STRING, &pool, N_("Pooling parent account"), N_("NUMBER") },
    { "daily-limit", 0, 0, G_OPTION_ARG_STRING, &limit, N_("Daily payment limit"), N_("AMOUNT") },
    { "local-number", 0, 0, G_OPTION_ARG_NONE, &local_number, N_("The number is not an IBAN even if it looks like one"), NULL },
    { NULL }
  };
  const char *usage = "treasury account add NUMBER --org CODE --bank CODE --currency CCY [--name NAME]";
  TsyAccountSpec spec = { 0 };
  GError *error = NULL;

  if (!tsy_cli_parse_options (&argc, &argv, "NUMBER", entries) || !tsy_cli_want_args (argc, 1, usage))
    return 2;
  if (org == NULL || bank == NULL || currency == NULL)
    return tsy_cli_usage_error (_("Usage: %s"), usage);

  spec.number = argv[1];
  spec.org_code = org;
  spec.bank_code = bank;
  spec.currency = currency;
  spec.name = name;
  spec.type = TSY_ACCOUNT_TYPE_GENERAL;
  spec.status = TSY_ACCOUNT_STATUS_OPEN;
  spec.pool_parent = pool;
  spec.local_number = local_number;
  if (type != NULL && !tsy_account_type_from_string (type, &spec.type))
    return tsy_cli_usage_error (_("“%s” is not an account type (basic, general, special, temporary, foreign, other)"), type);
  if (status != NULL && !tsy_account_status_from_string (status, &spec.status))
    return tsy_cli_usage_error (_("“%s” is not an account status (open, frozen, closed)"), status);
  if (limit != NULL)
    {
      if (!tsy_money_parse (limit, -1, currency, TSY_DECIMAL_POINT, &spec.daily_limit_minor, &error))
        return tsy_cli_fail (cli, error);
      spec.has_daily_limit = TRUE;
    }
  if (tsy_cli_open (cli, FALSE) == NULL)
    return 1;
  if (tsy_account_add (cli->store, &spec, &error) == 0)
    return tsy_cli_fail (cli, error);
  return 0;
}

int
tsy_cli_cmd_account_list (TsyCli *cli,
                          int     argc,
                          char  **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) accounts = NULL;
  GError *error = NULL;

  if (!tsy_cli_parse_options (&argc, &argv, "", entries) ||
      !tsy_cli_want_args (argc, 0, "treasury account list [--json]"))
    return 2;
  if (tsy_cli_open (cli, FALSE) == NULL)
    return 1;
  accounts = tsy_account_list (cli->store, &error);
  if (accounts == NULL)
    return tsy_cli_fail (cli, error);
  if (json)
    {
      TsyJson j;
      tsy_json_init (&j);
      tsy_json_begin_array (&j);
      for (guint i = 0; i < accounts->len; i++)
        {
          TsyAccountInfo *a = g_ptr_array_index (accounts, i);
          tsy_json_begin_object (&j);
          tsy_json_member (&j, "number", a->number);
          tsy_json_member (&j, "name", a->name);
          tsy_json_member (&j, "currency", a->currency);
          tsy_json_member (&j, "org", a->org_code);
          tsy_json_member (&j, "bank", a->bank_code);
          tsy_json_member (&j, "type", tsy_account_type_to_string (a->type));
          tsy_json_member (&j, "status", tsy_account_status_to_string (a->status));
          tsy_json_key (&j, "daily_limit");
          if (a->has_daily_limit)
            {
              g_autofree char *lim = tsy_money_to_decimal (a->daily_limit_minor, a->currency);
              tsy_json_string (&j, lim);
            }
          else
            tsy_json_null (&j);
          tsy_json_end_object (&j);
        }
      tsy_json_end_array (&j);
      tsy_cli_print_json (&j);
    }
  else
    for (guint i = 0; i < accounts->len; i++)
      {
        TsyAccountInfo *a = g_ptr_array_index (accounts, i);
        g_print ("%-24s %s %-10s %-8s %-9s %-7s %s\n", a->number, a->currency, a->org_code,
                 a->bank_code, tsy_account_type_to_string (a->type),
                 tsy_account_status_to_string (a->status), a->name ? a->name : "");
      }
  return 0;
}

int
tsy_cli_cmd_fx_set (TsyCli *cli,
                    int     argc,
                    char  **argv)
{
  g_autofree char *date_text = NULL;
  const GOptionEntry entries[] = {
    { "date", 0, 0, G_OPTION_ARG_STRING, &date_text, N_("Date of the rate"), "YYYY-MM-DD" },
    { NULL }
  };
  const char *usage = "treasury fx set FROM TO RATE --date YYYY-MM-DD";
  GError *error = NULL;
  TsyDate date;

  if (!tsy_cli_parse_options (&argc, &argv, "FROM TO RATE", entries) || !tsy_cli_want_args (argc, 3, usage))
    return 2;
  if (date_text == NULL)
    return tsy_cli_usage_error (_("Usage: %s"), usage);
  if (!tsy_date_parse_iso (date_text, &date, &error))
    return tsy_cli_fail (cli, error);
  if (tsy_cli_open (cli, FALSE) == NULL)
    return 1;
  if (!tsy_fx_set (cli->store, argv[1], argv[2], argv[3], date, &error))
    return tsy_cli_fail (cli, error);
  return 0;
}

int
tsy_cli_cmd_balance_set (TsyCli *cli,
                         int     argc,
                         char  **argv)
{
  g_autofree char *date_text = NULL;
  g_autofree char *currency = NULL;
  const GOptionEntry entries[] = {
    { "date", 0, 0, G_OPTION_ARG_STRING, &date_text, N_("Date of the balance"), "YYYY-MM-DD" },
    { "currency", 0, 0, G_OPTION_ARG_STRING, &currency, N_("Currency of the amount (must be the account's)"), "CCY" },
    { NULL }
  };
  const char *usage = "treasury balance set NUMBER AMOUNT --date YYYY-MM-DD";
  g_autoptr(TsyAccountInfo) account = NULL;
  GError *error = NULL;
  TsyDate date;
  gint64 minor;

  if (!tsy_cli_parse_options (&argc, &argv, "NUMBER AMOUNT", entries) || !tsy_cli_want_args (argc, 2, usage))
    return 2;
  if (date_text == NULL)
    return tsy_cli_usage_error (_("Usage: %s"), usage);
  if (!tsy_date_parse_iso (date_text, &date, &error))
    return tsy_cli_fail (cli, error);
  if (tsy_cli_open (cli, FALSE) == NULL)
    return 1;
  account = tsy_account_lookup (cli->store, argv[1], &error);
  if (account == NULL)
    return tsy_cli_fail (cli, error);
  if (currency != NULL && strcmp (currency, account->currency) != 0)
    {
      g_set_error (&error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_CURRENCY_MISMATCH,
                   /* Translators: %1$s an account number, %2$s and %3$s currency codes */
                   _("The account %1$s is in %2$s, not %3$s"), account->number, account->currency,
                   currency);
      return tsy_cli_fail (cli, error);
    }
  if (!tsy_money_parse (argv[2], -1, account->currency, TSY_DECIMAL_POINT, &minor, &error) ||
      !tsy_balance_set (cli->store, account->number, minor, date, &error))
    return tsy_cli_fail (cli, error);
  return 0;
}

/* balances */

static void
json_totals (TsyJson       *j,
             TsyRollupNode *node)
{
  const char * const *ccys = tsy_rollup_node_get_currencies (node);

  tsy_json_key (j, "totals");
  tsy_json_begin_object (j);
  for (guint i = 0; ccys != NULL && ccys[i] != NULL; i++)
    {
      gint64 minor = 0;
      g_autofree char *text = NULL;
      tsy_rollup_node_get_total (node, ccys[i], &minor);
      text = tsy_money_to_decimal (minor, ccys[i]);
      tsy_json_member (j, ccys[i], text);
    }
  tsy_json_end_object (j);
}

static void
json_converted (TsyJson       *j,
                TsyRollupNode *node,
                const char    *key)
{
  const char *report = tsy_rollup_node_get_report_currency (node);
  gint64 minor;

  if (report == NULL)
    return;
  tsy_json_key (j, key);
  tsy_json_begin_object (j);
  tsy_json_member (j, "currency", report);
  tsy_json_key (j, "amount");
  if (tsy_rollup_node_get_converted (node, &minor))
    {
      g_autofree char *text = tsy_money_to_decimal (minor, report);
      tsy_json_string (j, text);
    }
  else
    tsy_json_null (j);
  tsy_json_end_object (j);
}

static void
json_node (TsyJson       *j,
           TsyRollupNode *node)
{
  GListModel *accounts = tsy_rollup_node_get_accounts (node);
  GListModel *children = tsy_rollup_node_get_children (node);

  tsy_json_member (j, "code", tsy_rollup_node_get_code (node));
  tsy_json_member (j, "name", tsy_rollup_node_get_name (node));
  json_totals (j, node);
  json_converted (j, node, "total");

  tsy_json_key (j, "accounts");
  tsy_json_begin_array (j);
  for (guint i = 0; i < g_list_model_get_n_items (accounts); i++)
    {
      g_autoptr(TsyRollupNode) a = g_list_model_get_item (accounts, i);
      const char *ccy = tsy_rollup_node_get_currency (a);
      gint64 minor = 0;
      TsyDate date = TSY_DATE_NONE;
      gboolean has = tsy_rollup_node_get_balance (a, &minor, &date);
      g_autofree char *bal = tsy_money_to_decimal (minor, ccy);
      g_autofree char *date_text = tsy_date_to_iso (date);

      tsy_json_begin_object (j);
      tsy_json_member (j, "number", tsy_rollup_node_get_number (a));
      tsy_json_member (j, "name", tsy_rollup_node_get_name (a));
      tsy_json_member (j, "bank", tsy_rollup_node_get_bank_code (a));
      tsy_json_member (j, "org", tsy_rollup_node_get_org_code (a));
      tsy_json_member (j, "currency", ccy);
      tsy_json_member (j, "balance", has ? bal : NULL);
      tsy_json_member (j, "balance_date", date_text);
      tsy_json_member (j, "type", tsy_rollup_node_get_account_type (a));
      tsy_json_member (j, "status", tsy_rollup_node_get_account_status (a));
      if (has)
        json_converted (j, a, "converted");
      tsy_json_end_object (j);
    }
  tsy_json_end_array (j);

  tsy_json_key (j, "children");
  tsy_json_begin_array (j);
  for (guint i = 0; i < g_list_model_get_n_items (children); i++)
    {
      g_autoptr(TsyRollupNode) c = g_list_model_get_item (children, i);
      tsy_json_begin_object (j);
      json_node (j, c);
      tsy_json_end_object (j);
    }
  tsy_json_end_array (j);
}

/* Display width of UTF-8 text: CJK characters take two terminal columns. */
static int
display_width (const char *s)
{
  int w = 0;

  for (const char *p = s; p && *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      w += g_unichar_iswide (c) ? 2 : (g_unichar_iszerowidth (c) ? 0 : 1);
    }
  return w;
}

static void
print_padded (const char *s,
              int         width)
{
  int w = display_width (s);

  g_print ("%s", s);
  for (; w < width; w++)
    g_print (" ");
}

static void
print_amounts (TsyRollupNode *node)
{
  const char * const *ccys = tsy_rollup_node_get_currencies (node);
  const char *report = tsy_rollup_node_get_report_currency (node);
  gint64 minor;

  for (guint i = 0; ccys != NULL && ccys[i] != NULL; i++)
    {
      g_autofree char *text = NULL;
      tsy_rollup_node_get_total (node, ccys[i], &minor);
      text = tsy_money_to_decimal (minor, ccys[i]);
      g_print ("  %s %18s", ccys[i], text);
    }
  if (report != NULL)
    {
      if (tsy_rollup_node_get_converted (node, &minor))
        {
          g_autofree char *text = tsy_money_to_decimal (minor, report);
          g_print ("  = %s %s", report, text);
        }
      else
        g_print ("  = %s ?", report);
    }
  g_print ("\n");
}

static void
print_node (TsyRollupNode *node,
            int            depth)
{
  GListModel *accounts = tsy_rollup_node_get_accounts (node);
  GListModel *children = tsy_rollup_node_get_children (node);
  g_autofree char *label = g_strdup_printf ("%*s%s [%s]", depth * 2, "",
                                            tsy_rollup_node_get_name (node),
                                            tsy_rollup_node_get_code (node));

  print_padded (label, 56);
  print_amounts (node);
  for (guint i = 0; i < g_list_model_get_n_items (accounts); i++)
    {
      g_autoptr(TsyRollupNode) a = g_list_model_get_item (accounts, i);
      const char *ccy = tsy_rollup_node_get_currency (a);
      const char *report = tsy_rollup_node_get_report_currency (a);
      gint64 minor = 0;
      TsyDate date = TSY_DATE_NONE;
      gboolean has = tsy_rollup_node_get_balance (a, &minor, &date);
      g_autofree char *bal = has ? tsy_money_to_decimal (minor, ccy) : g_strdup ("-");
      g_autofree char *date_text = has ? tsy_date_to_iso (date) : g_strdup ("-");
      g_autofree char *line = g_strdup_printf ("%*s%s %s (%s)", depth * 2 + 2, "",
                                               tsy_rollup_node_get_number (a),
                                               tsy_rollup_node_get_name (a),
                                               tsy_rollup_node_get_bank_code (a));
      print_padded (line, 56);
      g_print ("  %s %18s  %s", ccy, bal, date_text);
      if (report != NULL && has)
        {
          gint64 conv;
          if (tsy_rollup_node_get_converted (a, &conv))
            {
              g_autofree char *text = tsy_money_to_decimal (conv, report);
              g_print ("  = %s %s", report, text);
            }
        }
      g_print ("\n");
    }
  for (guint i = 0; i < g_list_model_get_n_items (children); i++)
    {
      g_autoptr(TsyRollupNode) c = g_list_model_get_item (children, i);
      print_node (c, depth + 1);
    }
}

int
tsy_cli_cmd_balances (TsyCli *cli,
                      int     argc,
                      char  **argv)
{
  g_autofree char *org = NULL;
  g_autofree char *by = NULL;
  g_autofree char *date_text = NULL;
  g_autofree char *currency = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "org", 0, 0, G_OPTION_ARG_STRING, &org, N_("Only this unit and the units below it"), N_("CODE") },
    { "by", 0, 0, G_OPTION_ARG_STRING, &by, N_("Group by org (default) or bank"), "org|bank" },
    { "date", 0, 0, G_OPTION_ARG_STRING, &date_text, N_("Balances on this date (default: today)"), "YYYY-MM-DD" },
    { "currency", 0, 0, G_OPTION_ARG_STRING, &currency, N_("Convert totals to this currency"), "CCY" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  const char *usage = "treasury balances [--org CODE] [--by org|bank] [--date YYYY-MM-DD] [--currency CCY] [--json]";
  TsyRollupQuery query = { 0 };
  g_autoptr(TsyRollupNode) root = NULL;
  GError *error = NULL;
  char date_buf[11];

  if (!tsy_cli_parse_options (&argc, &argv, "", entries) || !tsy_cli_want_args (argc, 0, usage))
    return 2;
  if (by == NULL || strcmp (by, "org") == 0)
    query.by = TSY_ROLLUP_BY_ORG;
  else if (strcmp (by, "bank") == 0)
    query.by = TSY_ROLLUP_BY_BANK;
  else
    return tsy_cli_usage_error (_("--by takes “org” or “bank”, not “%s”"), by);
  if (!parse_date_option (date_text, &query.date, &error))
    return tsy_cli_fail (cli, error);
  if (query.date == TSY_DATE_NONE)
    query.date = tsy_date_today ();
  query.org_code = org;
  query.currency = currency;
  query.strict_fx = TRUE;

  if (tsy_cli_open (cli, FALSE) == NULL)
    return 1;
  root = tsy_rollup_build (cli->store, &query, &error);
  if (root == NULL)
    return tsy_cli_fail (cli, error);

  tsy_date_format_iso (query.date, date_buf);
  if (json)
    {
      TsyJson j;
      tsy_json_init (&j);
      tsy_json_begin_object (&j);
      tsy_json_member (&j, "by", query.by == TSY_ROLLUP_BY_ORG ? "org" : "bank");
      tsy_json_member (&j, "date", date_buf);
      tsy_json_member (&j, "reporting_currency", currency);
      json_node (&j, root);
      tsy_json_end_object (&j);
      tsy_cli_print_json (&j);
    }
  else
    {
      GListModel *children = tsy_rollup_node_get_children (root);
      g_print (query.by == TSY_ROLLUP_BY_ORG ? _("Balances on %s by organisation\n")
                                             : _("Balances on %s by bank\n"), date_buf);
      for (guint i = 0; i < g_list_model_get_n_items (children); i++)
        {
          g_autoptr(TsyRollupNode) c = g_list_model_get_item (children, i);
          print_node (c, 0);
        }
      print_padded (_("Total"), 56);
      print_amounts (root);
    }
  return 0;
}
