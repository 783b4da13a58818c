/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Users, approval policies, whitelists and payment instructions on the command line. */
#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "banks/tsy-bank-error.h"
#include "banks/tsy-crypto.h"
#include "banks/tsy-payment-signer.h"
#include "ledger/tsy-iban.h"
#include "ledger/tsy-ledger-error.h"
#include "ledger/tsy-money.h"
#include "ledger/tsy-outbox.h"
#include "ledger/tsy-payment.h"
#include "ledger/tsy-policy.h"
#include "ledger/tsy-user.h"
#include "tsy-cli-private.h"

char *
tsy_cli_actor (const char *user)
{
  if (user != NULL && *user != '\0')
    return g_strdup (user);
  return g_strdup_printf ("cli:%s", g_get_user_name ());
}

TsySecret *
tsy_cli_passphrase (int         fd,
                    const char *prompt,
                    gboolean    confirm,
                    GError    **error)
{
  if (fd >= 0)
    return tsy_crypto_read_passphrase_fd (fd, error);
  return tsy_crypto_prompt_passphrase (prompt, confirm, error);
}

/* An administrative change names an admin when the database has any (the first admin is made
 * without one). Returns FALSE with @error when @user may not make it. */
static gboolean
check_admin (TsyStore   *store,
             const char *user,
             GError    **error)
{
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(TsyUserInfo) who = NULL;
  gboolean any_admin = FALSE;

  if (user != NULL)
    {
      who = tsy_user_require (store, user, TSY_ROLE_ADMIN, error);
      return who != NULL;
    }
  users = tsy_user_list (store, error);
  if (users == NULL)
    return FALSE;
  for (guint i = 0; i < users->len; i++)
    any_admin |= (((TsyUserInfo *) users->pdata[i])->roles & TSY_ROLE_ADMIN) != 0;
  if (any_admin)
    {
      g_set_error_literal (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DENIED,
                           _("Name an admin with --user NAME to change this"));
      return FALSE;
    }
  return TRUE;
}

/* ---- user ------------------------------------------------------------------------------ */

int
tsy_cli_cmd_user_add (TsyCli *cli,
                      int     argc,
                      char  **argv)
{
  g_autofree char *role = NULL;
  g_autofree char *key = NULL;
  g_autofree char *admin = NULL;
  int fd = -1;
  const GOptionEntry entries[] = {
    { "role", 0, 0, G_OPTION_ARG_STRING, &role, N_("maker, approver, accountant or admin (comma-separated for several)"), N_("ROLE") },
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &key, N_("Import this PEM private key (EC P-256) instead of making one"), N_("FILE.pem") },
    { "passphrase-fd", 0, 0, G_OPTION_ARG_INT, &fd, N_("Read the passphrase from this file descriptor"), "N" },
    { "user", 0, 0, G_OPTION_ARG_STRING, &admin, N_("The admin who adds the user (for the audit trail)"), N_("NAME") },
    { NULL }
  };
  const char *usage = "treasury user add NAME --role ROLE [--key FILE.pem] [--passphrase-fd N]";
  g_autoptr(TsySecret) passphrase = NULL;
  g_autofree char *actor = NULL;
  GError *error = NULL;
  TsyRoles roles;

  if (!tsy_cli_parse_options (&argc, &argv, "NAME", entries) || !tsy_cli_want_args (argc, 1, usage))
    return 2;
  if (role == NULL)
    return tsy_cli_usage_error (_("Usage: %s"), usage);
  if (!tsy_roles_parse (role, &roles, &error))
    return tsy_cli_fail (cli, error);
  if (tsy_cli_open (cli, FALSE) == NULL)
    return 1;
  if (admin != NULL && !check_admin (cli->store, admin, &error))
    return tsy_cli_fail (cli, error);
  {
    g_autofree char *prompt = g_strdup_printf (_("Passphrase for %s: "), argv[1]);
    passphrase = tsy_cli_passphrase (fd, prompt, TRUE, &error);
  }
  if (passphrase == NULL)
    return tsy_cli_fail (cli, error);
  actor = tsy_cli_actor (admin);
  /* An encrypted PEM opens with the same passphrase. */
  if (tsy_user_create (cli->store, argv[1], roles, key, passphrase, passphrase, actor, &error) == 0)
    return tsy_cli_fail (cli, error);
  return 0;
}

int
tsy_cli_cmd_user_list (TsyCli *cli,
                       int     argc,
                       char  **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) users = NULL;
  GError *error = NULL;
  TsyJson j;

  if (!tsy_cli_parse_options (&argc, &argv, "", entries) || !tsy_cli_want_args (argc, 0, "treasury user list [--json]"))
    return 2;
  if (tsy_cli_open (cli, FALSE) == NULL)
    return 1;
  users = tsy_user_list (cli->store, &error);
  if (users == NULL)
    return tsy_cli_fail (cli, error);
  tsy_json_init (&j);
  tsy_json_begin_array (&j);
  for (guint i = 0; i < users->len; i++)
    {
      TsyUserInfo *u = g_ptr_array_index (users, i);
      g_autofree char *roles = tsy_roles_to_string (u->roles);

      if (json)
        {
          tsy_json_begin_object (&j);
          tsy_json_member (&j, "name", u->name);
          tsy_json_member (&j, "roles", roles);
          tsy_json_member (&j, "key_id", u->key_id);
          tsy_json_key (&j, "private_key");
          tsy_json_bool (&j, u->sealed_key != NULL);
          tsy_json_end_object (&j);
        }
      else
        g_print ("%-16s %-28s %.16s…\n", u->name, roles, u->key_id);
    }
  tsy_json_end_array (&j);
  if (json)
    tsy_cli_print_json (&j);
  else
    g_free (tsy_json_finish (&j));
  return 0;
}

/* ---- policy ---------------------------------------------------------------------------- */

int
tsy_cli_cmd_policy_set (TsyCli *cli,
                        int     argc,
                        char  **argv)
{
  g_autofree char *up_to = NULL;
  g_autofree char *role_text = NULL;
  g_autofree char *user = NULL;
  g_autofree char *actor = NULL;
  int approvals = 0;
  const GOptionEntry entries[] = {
    { "up-to", 0, 0, G_OPTION_ARG_STRING, &up_to, N_("Upper end of the amount band (the currency follows)"), N_("AMOUNT") },
    { "approvals", 0, 0, G_OPTION_ARG_INT, &approvals, N_("Approvals needed (1–9)"), "N" },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role_text, N_("One of the approvers must hold this role"), N_("ROLE") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("The admin who sets it"), N_("NAME") },
    { NULL }
  };
  const char *usage = "treasury policy set ORG --up-to AMOUNT CCY --approvals N [--role ROLE]";
  GError *error = NULL;
  TsyRoles role = 0;
  gint64 minor;
  const char *ccy;

  if (!tsy_cli_parse_options (&argc, &argv, "ORG CCY", entries) || !tsy_cli_want_args (argc, 2, usage))
    return 2;
  if (up_to == NULL || approvals == 0)
    return tsy_cli_usage_error (_("Usage: %s"), usage);
  ccy = argv[2];
  if (role_text != NULL && !tsy_roles_parse (role_text, &role, &error))
    return tsy_cli_fail (cli, error);
  if (!tsy_currency_check (ccy, &error) ||
      !tsy_money_parse (up_to, -1, ccy, TSY_DECIMAL_POINT, &minor, &error))
    return tsy_cli_fail (cli, error);
  if (approvals < 0)
    approvals = 0;
  if (tsy_cli_open (cli, FALSE) == NULL)
    return 1;
  actor = tsy_cli_actor (user);
  if (!check_admin (cli->store, user, &error) ||
      !tsy_policy_set (cli->store, argv[1], ccy, minor, (guint) approvals, role, actor, &error))
    return tsy_cli_fail (cli, error);
  return 0;
}

int
tsy_cli_cmd_policy_list (TsyCli *cli,
                         int     argc,
                         char  **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) bands = NULL;
  GError *error = NULL;
  TsyJson j;

  if (!tsy_cli_parse_options (&argc, &argv, "[ORG]", entries) || argc > 2)
    return tsy_cli_usage_error (_("Usage: %s"), "treasury policy list [ORG] [--json]");
  if (tsy_cli_open (cli, FALSE) == NULL)
    return 1;
  bands = tsy_policy_list (cli->store, argc == 2 ? argv[1] : NULL, &error);
  if (bands == NULL)
    return tsy_cli_fail (cli, error);
  tsy_json_init (&j);
  tsy_json_begin_array (&j);
  for (guint i = 0; i < bands->len; i++)
    {
      TsyPolicyBand *b = g_ptr_array_index (bands, i);
      g_autofree char *amount = tsy_money_to_decimal (b->up_to_minor, b->currency);
      const char *role = b->role ? tsy_role_to_string (b->role) : NULL;

      if (json)
        {
          tsy_json_begin_object (&j);
          tsy_json_member (&j, "org", b->org_code);
          tsy_json_member (&j, "up_to", amount);
          tsy_json_member (&j, "currency", b->currency);
          tsy_json_key (&j, "approvals");
          tsy_json_int (&j, b->approvals);
          tsy_json_member (&j, "role", role);
          tsy_json_end_object (&j);
        }
      else
        g_print ("%-12s %20s %s  %u %s\n", b->org_code, amount, b->currency, b->approvals, role ? role : "");
    }
  tsy_json_end_array (&j);
  if (json)
    tsy_cli_print_json (&j);
  else
    g_free (tsy_json_finish (&j));
  return 0;
}

/* ---- whitelist ------------------------------------------------------------------------- */

int
tsy_cli_cmd_whitelist_add (TsyCli *cli,
                           int     argc,
                           char  **argv)
{
  g_autofree char *name = NULL;
  g_autofree char *user = NULL;
  g_autofree char *actor = NULL;
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("The creditor's name"), N_("NAME") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("The admin who adds it"), N_("NAME") },
    { NULL }
  };
  GError *error = NULL;

  if (!tsy_cli_parse_options (&argc, &argv, "ACCOUNT CREDITOR_ACCOUNT", entries) ||
      !tsy_cli_want_args (argc, 2, "treasury whitelist add ACCOUNT CREDITOR_ACCOUNT [--name NAME]"))
    return 2;
  if (tsy_cli_open (cli, FALSE) == NULL)
    return 1;
  actor = tsy_cli_actor (user);
  if (!check_admin (cli->store, user, &error) ||
      !tsy_whitelist_add (cli->store, argv[1], argv[2], name, actor, &error))
    return tsy_cli_fail (cli, error);
  return 0;
}

/* ---- pay new / import ------------------------------------------------------------------ */

int
tsy_cli_cmd_pay_new (TsyCli *cli,
                     int     argc,
                     char  **argv)
{
  g_autofree char *from = NULL, *to_name = NULL, *to_account = NULL, *to_bic = NULL;
  g_autofree char *to_bank = NULL, *to_cnaps = NULL, *amount = NULL, *currency = NULL;
  g_autofree char *date = NULL, *text = NULL, *category = NULL, *purpose = NULL, *user = NULL;
  gboolean urgent = FALSE, confirm = FALSE;
  const GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, N_("Our paying account"), N_("ACCOUNT") },
    { "to-name", 0, 0, G_OPTION_ARG_STRING, &to_name, N_("The creditor's name"), N_("NAME") },
    { "to-account", 0, 0, G_OPTION_ARG_STRING, &to_account, N_("The creditor's account or IBAN"), N_("ACCT") },
    { "to-bic", 0, 0, G_OPTION_ARG_STRING, &to_bic, N_("The creditor's bank by BIC"), "BIC" },
    { "to-bank", 0, 0, G_OPTION_ARG_STRING, &to_bank, N_("The creditor's bank by name"), N_("NAME") },
    { "to-cnaps", 0, 0, G_OPTION_ARG_STRING, &to_cnaps, N_("The creditor's bank by CNAPS code"), N_("CODE") },
    { "amount", 0, 0, G_OPTION_ARG_STRING, &amount, N_("Amount"), N_("AMOUNT") },
    { "currency", 0, 0, G_OPTION_ARG_STRING, &currency, N_("ISO 4217 currency"), "CCY" },
    { "date", 0, 0, G_OPTION_ARG_STRING, &date, N_("Requested execution date"), "YYYY-MM-DD" },
    { "text", 0, 0, G_OPTION_ARG_STRING, &text, N_("Remittance information (附言)"), N_("TEXT") },
    { "category", 0, 0, G_OPTION_ARG_STRING, &category, N_("Cash-flow category"), N_("CODE") },
    { "purpose", 0, 0, G_OPTION_ARG_STRING, &purpose, N_("ISO 20022 purpose code (SUPP, SALA, …)"), N_("CODE") },
    { "urgent", 0, 0, G_OPTION_ARG_NONE, &urgent, N_("Urgent (加急)"), NULL },
    { "confirm-duplicate", 0, 0, G_OPTION_ARG_NONE, &confirm, N_("Make it even if it looks like a duplicate"), NULL },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("The maker"), N_("NAME") },
    { NULL }
  };
  const char *usage = "treasury pay new --from ACCOUNT --to-name NAME --to-account ACCT "
                      "[--to-bic BIC|--to-bank NAME] --amount AMOUNT --currency CCY --date YYYY-MM-DD "
                      "[--text TEXT] [--category CODE] --user NAME";
  TsyPaymentSpec spec = { 0 };
  GError *error = NULL;
  gint64 id;

  if (!tsy_cli_parse_options (&argc, &argv, "", entries) || !tsy_cli_want_args (argc, 0, usage))
    return 2;
  if (from == NULL || to_name == NULL || to_account == NULL || amount == NULL ||
      currency == NULL || date == NULL || user == NULL)
    return tsy_cli_usage_error (_("Usage: %s"), usage);

  spec.debtor_account = from;
  spec.creditor_name = to_name;
  spec.creditor_account = to_account;
  spec.creditor_bic = to_bic;
  spec.creditor_bank = to_bank;
  spec.creditor_cnaps = to_cnaps;
  spec.currency = currency;
  spec.remittance = text;
  spec.category = category;
  spec.purpose = purpose;
  spec.urgency = urgent ? TSY_URGENCY_URGENT : TSY_URGENCY_NORMAL;
  spec.confirm_duplicate = confirm;
  if (!tsy_currency_check (currency, &error) ||
      !tsy_money_parse (amount, -1, currency, TSY_DECIMAL_POINT, &spec.amount_minor, &error) ||
      !tsy_date_parse_iso (date, &spec.execution_date, &error))
    return tsy_cli_fail (cli, error);
  if (tsy_cli_open (cli, FALSE) == NULL)
    return 1;
  id = tsy_payment_create (cli->store, &spec, user, &error);
  if (id == 0)
    return tsy_cli_fail (cli, error);
  g_print ("%" G_GINT64_FORMAT "\n", id);
  return 0;
}

/* Prints what `pay import --dry-run` found; returns the exit status (1 when refused). */
static int
print_preview (TsyCli                  *cli,
               const TsyPaymentPreview *preview,
               gboolean                 json)
{
  if (json)
    {
      TsyJson j;

      tsy_json_init (&j);
      tsy_json_begin_object (&j);
      tsy_json_member (&j, "file", preview->file);
      tsy_json_key (&j, "would_import");
      tsy_json_bool (&j, preview->refusal == NULL);
      tsy_json_key (&j, "rows");
      tsy_json_begin_array (&j);
      for (guint i = 0; i < preview->rows->len; i++)
        {
          const TsyPaymentPreviewRow *row = g_ptr_array_index (preview->rows, i);
          g_autofree char *amount = tsy_money_to_decimal (row->amount_minor, row->currency);
          char date[11];

          tsy_date_format_iso (row->execution_date, date);
          tsy_json_begin_object (&j);
          tsy_json_key (&j, "line");
          tsy_json_int (&j, row->line);
          tsy_json_member (&j, "from", row->debtor_account);
          tsy_json_member (&j, "to_name", row->creditor_name);
          tsy_json_member (&j, "to_account", row->creditor_account);
          tsy_json_member (&j, "to_bic", row->creditor_bic);
          tsy_json_member (&j, "to_cnaps", row->creditor_cnaps);
          tsy_json_member (&j, "to_bank", row->creditor_bank);
          tsy_json_member (&j, "amount", amount);
          tsy_json_member (&j, "currency", row->currency);
          tsy_json_member (&j, "date", date);
          tsy_json_member (&j, "text", row->remittance);
          tsy_json_member (&j, "purpose", row->purpose);
          tsy_json_member (&j, "category", row->category);
          tsy_json_member (&j, "urgency", tsy_urgency_to_string (row->urgency));
          tsy_json_end_object (&j);
        }
      tsy_json_end_array (&j);
      tsy_json_key (&j, "totals");
      tsy_json_begin_array (&j);
      for (guint i = 0; i < preview->totals->len; i++)
        {
          const TsyPaymentPreviewTotal *t = &g_array_index (preview->totals, TsyPaymentPreviewTotal, i);
          g_autofree char *total = tsy_money_to_decimal (t->total_minor, t->currency);

          tsy_json_begin_object (&j);
          tsy_json_member (&j, "currency", t->currency);
          tsy_json_key (&j, "count");
          tsy_json_int (&j, t->count);
          tsy_json_member (&j, "total", total);
          tsy_json_end_object (&j);
        }
      tsy_json_end_array (&j);
      tsy_json_key (&j, "refusal");
      if (preview->refusal == NULL)
        tsy_json_null (&j);
      else
        {
          tsy_json_begin_object (&j);
          tsy_json_member (&j, "file", preview->file);
          tsy_json_key (&j, "line");
          tsy_json_int (&j, preview->refusal_line);
          tsy_json_member (&j, "reason", preview->refusal_reason);
          tsy_json_end_object (&j);
        }
      tsy_json_end_object (&j);
      tsy_cli_print_json (&j);
    }
  else if (preview->refusal == NULL)
    {
      guint n = preview->rows->len;

      for (guint i = 0; i < n; i++)
        {
          const TsyPaymentPreviewRow *row = g_ptr_array_index (preview->rows, i);
          g_autofree char *amount = tsy_money_to_decimal (row->amount_minor, row->currency);
          g_autofree char *masked = tsy_account_mask (row->creditor_account);
          char date[11];

          tsy_date_format_iso (row->execution_date, date);
          g_print ("%u\t%s\t%s\t%s\t%s\t%s\n", row->line, date, row->creditor_name, masked,
                   amount, row->currency);
        }
      for (guint i = 0; i < preview->totals->len; i++)
        {
          const TsyPaymentPreviewTotal *t = &g_array_index (preview->totals, TsyPaymentPreviewTotal, i);
          g_autofree char *total = tsy_money_to_decimal (t->total_minor, t->currency);

          /* Translators: %1$s a currency, %2$u a count, %3$s an amount */
          g_print (g_dngettext (GETTEXT_PACKAGE, "%1$s: %2$u payment, total %3$s\n",
                                "%1$s: %2$u payments, total %3$s\n", t->count),
                   t->currency, t->count, total);
        }
      /* Translators: %1$s a file name, %2$u a count */
      g_print (g_dngettext (GETTEXT_PACKAGE,
                            "Dry run: “%1$s” would import as a batch of %2$u payment; nothing was saved.\n",
                            "Dry run: “%1$s” would import as a batch of %2$u payments; nothing was saved.\n",
                            n), preview->file, n);
    }
  if (preview->refusal != NULL)
    {
      /* The one-line reason on stderr, as the import gives it; nothing was written. */
      return tsy_cli_fail (cli, g_error_copy (preview->refusal));
    }
  return 0;
}

int
tsy_cli_cmd_pay_import (TsyCli *cli,
                        int     argc,
                        char  **argv)
{
  g_autofree char *user = NULL;
  g_autofree char *kind_text = NULL;
  gboolean confirm = FALSE, dry_run = FALSE, json = FALSE;
  const GOptionEntry entries[] = {
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("The maker"), N_("NAME") },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind_text, N_("payroll, supplier or other"), N_("KIND") },
    { "confirm-duplicates", 0, 0, G_OPTION_ARG_NONE, &confirm, N_("Accept rows that look like duplicates"), NULL },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, N_("Check the file and show what would be saved; save nothing"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON (with --dry-run)"), NULL },
    { NULL }
  };
  const char *usage = "treasury pay import FILE.csv --user NAME [--dry-run [--json]]";
  TsyBatchKind kind = TSY_BATCH_OTHER;
  GError *error = NULL;
  guint count = 0;
  gint64 batch;

  if (!tsy_cli_parse_options (&argc, &argv, "FILE.csv", entries) || !tsy_cli_want_args (argc, 1, usage))
    return 2;
  if (user == NULL || (json && !dry_run))
    return tsy_cli_usage_error (_("Usage: %s"), usage);
  if (kind_text != NULL && !tsy_batch_kind_from_string (kind_text, &kind))
    return tsy_cli_usage_error (_("“%s” is not a batch kind (payroll, supplier, other)"), kind_text);
  if (tsy_cli_open (cli, FALSE) == NULL)
    return 1;
  if (dry_run)
    {
      g_autoptr(TsyPaymentPreview) preview = NULL;

      preview = tsy_payment_preview_csv (cli->store, argv[1], confirm, user, &error);
      if (preview == NULL)
        return tsy_cli_fail (cli, error);
      return print_preview (cli, preview, json);
    }
  batch = tsy_payment_import_csv (cli->store, argv[1], kind, confirm, user, &count, &error);
  if (batch == 0)
    return tsy_cli_fail (cli, error);
  /* Translators: %1$lld a batch id, %2$u a count */
  g_print (g_dngettext (GETTEXT_PACKAGE, "Batch %1$lld: %2$u payment\n",
                        "Batch %1$lld: %2$u payments\n", count), (long long) batch, count);
  return 0;
}

/* ---- submit / approve / reject ---------------------------------------------------------- */

/* The payments a command acts on: ID arguments, or every payment of --batch B. */
static GArray *
target_ids (TsyCli  *cli,
            int      argc,
            char   **argv,
            gint64   batch,
            GError **error)
{
  g_autoptr(GArray) ids = NULL;

  if (batch > 0)
    return tsy_payment_batch_ids (cli->store, batch, error);
  ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (int i = 1; i < argc; i++)
    {
      char *end = NULL;
      gint64 id = g_ascii_strtoll (argv[i], &end, 10);
      if (end == argv[i] || *end != '\0' || id <= 0)
        {
          g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                       _("“%s” is not a payment id"), argv[i]);
          return NULL;
        }
      g_array_append_val (ids, id);
    }
  return g_steal_pointer (&ids);
}

int
tsy_cli_cmd_pay_submit (TsyCli *cli,
                        int     argc,
                        char  **argv)
{
  g_autofree char *user = NULL;
  gint64 batch = 0;
  const GOptionEntry entries[] = {
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("The maker"), N_("NAME") },
    { "batch", 0, 0, G_OPTION_ARG_INT64, &batch, N_("Every payment of this batch"), N_("BATCH") },
    { NULL }
  };
  const char *usage = "treasury pay submit ID... | --batch BATCH --user NAME";
  g_autoptr(GArray) ids = NULL;
  GError *error = NULL;

  if (!tsy_cli_parse_options (&argc, &argv, "ID…", entries))
    return 2;
  if (user == NULL || (argc < 2 && batch <= 0) || (argc >= 2 && batch > 0))
    return tsy_cli_usage_error (_("Usage: %s"), usage);
  if (tsy_cli_open (cli, FALSE) == NULL)
    return 1;
  ids = target_ids (cli, argc, argv, batch, &error);
  if (ids == NULL || !tsy_store_begin (cli->store, &error))
    return tsy_cli_fail (cli, error);
  for (guint i = 0; i < ids->len; i++)
    if (!tsy_payment_submit (cli->store, g_array_index (ids, gint64, i), user, &error))
      {
        tsy_store_rollback (cli->store);
        return tsy_cli_fail (cli, error);
      }
  if (!tsy_store_commit (cli->store, &error))
    return tsy_cli_fail (cli, error);
  return 0;
}

int
tsy_cli_cmd_pay_approve (TsyCli *cli,
                         int     argc,
                         char  **argv)
{
  g_autofree char *user = NULL;
  gint64 batch = 0;
  int fd = -1;
  const GOptionEntry entries[] = {
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("The approver"), N_("NAME") },
    { "batch", 0, 0, G_OPTION_ARG_INT64, &batch, N_("Every payment of this batch"), N_("BATCH") },
    { "passphrase-fd", 0, 0, G_OPTION_ARG_INT, &fd, N_("Read the passphrase from this file descriptor"), "N" },
    { NULL }
  };
  const char *usage = "treasury pay approve ID... | --batch BATCH --user NAME [--passphrase-fd N]";
  g_autoptr(GArray) ids = NULL;
  g_autoptr(TsySecret) passphrase = NULL;
  g_autofree char *prompt = NULL;
  GError *error = NULL;
  guint approved = 0;

  if (!tsy_cli_parse_options (&argc, &argv, "ID…", entries))
    return 2;
  if (user == NULL || (argc < 2 && batch <= 0) || (argc >= 2 && batch > 0))
    return tsy_cli_usage_error (_("Usage: %s"), usage);
  if (tsy_cli_open (cli, FALSE) == NULL)
    return 1;
  ids = target_ids (cli, argc, argv, batch, &error);
  if (ids == NULL)
    return tsy_cli_fail (cli, error);
  prompt = g_strdup_printf (_("Passphrase for %s: "), user);
  passphrase = tsy_cli_passphrase (fd, prompt, FALSE, &error);
  if (passphrase == NULL)
    return tsy_cli_fail (cli, error);
  /* All of them or none. */
  if (!tsy_store_begin (cli->store, &error))
    return tsy_cli_fail (cli, error);
  if (!tsy_payment_sign_approve (cli->store, (const gint64 *) (gpointer) ids->data, ids->len, user,
                                 passphrase, &approved, &error))
    {
      tsy_store_rollback (cli->store);
      return tsy_cli_fail (cli, error);
    }
  if (!tsy_store_commit (cli->store, &error))
    return tsy_cli_fail (cli, error);
  /* Translators: %1$u approvals signed, %2$u payments now fully approved */
  g_print (_("%1$u signed, %2$u approved\n"), ids->len, approved);
  return 0;
}

int
tsy_cli_cmd_pay_reject (TsyCli *cli,
                        int     argc,
                        char  **argv)
{
  g_autofree char *user = NULL;
  g_autofree char *reason = NULL;
  const GOptionEntry entries[] = {
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("The approver, or the maker withdrawing it"), N_("NAME") },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_("Why"), N_("TEXT") },
    { NULL }
  };
  const char *usage = "treasury pay reject ID --user NAME --reason TEXT";
  g_autoptr(GArray) ids = NULL;
  GError *error = NULL;

  if (!tsy_cli_parse_options (&argc, &argv, "ID", entries) || !tsy_cli_want_args (argc, 1, usage))
    return 2;
  if (user == NULL || reason == NULL)
    return tsy_cli_usage_error (_("Usage: %s"), usage);
  if (tsy_cli_open (cli, FALSE) == NULL)
    return 1;
  ids = target_ids (cli, argc, argv, 0, &error);
  if (ids == NULL ||
      !tsy_payment_reject (cli->store, g_array_index (ids, gint64, 0), user, reason, &error))
    return tsy_cli_fail (cli, error);
  return 0;
}

/* ---- status ---------------------------------------------------------------------------- */

void
tsy_cli_json_payment (TsyJson              *j,
                      const TsyPaymentInfo *p)
{
  g_autofree char *amount = tsy_money_to_decimal (p->amount_minor, p->currency);
  g_autofree char *date = tsy_date_to_iso (p->execution_date);

  tsy_json_begin_object (j);
  tsy_json_key (j, "id");
  tsy_json_int (j, p->id);
  tsy_json_key (j, "batch");
  if (p->batch_id != 0)
    tsy_json_int (j, p->batch_id);
  else
    tsy_json_null (j);
  tsy_json_member (j, "status", tsy_payment_status_to_string (p->status));
  tsy_json_member (j, "from", p->debtor_account);
  tsy_json_member (j, "bank", p->bank_code);
  tsy_json_member (j, "to_name", p->creditor_name);
  tsy_json_member (j, "to_account", p->creditor_account);
  tsy_json_member (j, "to_bic", p->creditor_bic);
  tsy_json_member (j, "to_cnaps", p->creditor_cnaps);
  tsy_json_member (j, "to_bank", p->creditor_bank);
  tsy_json_member (j, "amount", amount);
  tsy_json_member (j, "currency", p->currency);
  tsy_json_member (j, "date", date);
  tsy_json_member (j, "text", p->remittance);
  tsy_json_member (j, "purpose", p->purpose);
  tsy_json_member (j, "category", p->category);
  tsy_json_member (j, "urgency", tsy_urgency_to_string (p->urgency));
  tsy_json_member (j, "maker", p->maker);
  tsy_json_key (j, "approvals");
  tsy_json_int (j, p->approvals);
  tsy_json_key (j, "approvals_required");
  tsy_json_int (j, p->required_approvals);
  tsy_json_member (j, "end_to_end_id", p->end_to_end_id);
  tsy_json_member (j, "msg_id", p->msg_id);
  tsy_json_member (j, "pmt_inf_id", p->pmt_inf_id);
  tsy_json_member (j, "digest", p->digest);
  tsy_json_member (j, "bank_status", p->bank_status);
  tsy_json_member (j, "reason", p->status_reason);
  tsy_json_member (j, "updated_at", p->updated_at);
  tsy_json_end_object (j);
}

int
tsy_cli_cmd_pay_status (TsyCli *cli,
                        int     argc,
                        char  **argv)
{
  gboolean json = FALSE;
  gint64 batch = 0;
  g_autofree char *status_text = NULL;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "batch", 0, 0, G_OPTION_ARG_INT64, &batch, N_("Only this batch"), N_("BATCH") },
    { "status", 0, 0, G_OPTION_ARG_STRING, &status_text, N_("Only payments in this status"), N_("STATUS") },
    { NULL }
  };
  TsyPaymentFilter filter = { 0 };
  g_autoptr(GPtrArray) list = NULL;
  GError *error = NULL;
  TsyJson j;

  if (!tsy_cli_parse_options (&argc, &argv, "", entries) ||
      !tsy_cli_want_args (argc, 0, "treasury pay status [--batch BATCH] [--status STATUS] [--json]"))
    return 2;
  if (status_text != NULL)
    {
      TsyPaymentStatus s;
      if (!tsy_payment_status_from_string (status_text, &s))
        return tsy_cli_usage_error (_("“%s” is not a payment status"), status_text);
      filter.statuses = 1u << s;
    }
  filter.batch_id = batch;
  if (tsy_cli_open (cli, FALSE) == NULL)
    return 1;
  /* Statement lines imported since the last look may carry executions. */
  if (!tsy_payment_match_statements (cli->store, "statements", NULL, &error))
    return tsy_cli_fail (cli, error);
  list = tsy_payment_list (cli->store, &filter, &error);
  if (list == NULL)
    return tsy_cli_fail (cli, error);
  tsy_json_init (&j);
  tsy_json_begin_array (&j);
  for (guint i = 0; i < list->len; i++)
    {
      TsyPaymentInfo *p = g_ptr_array_index (list, i);
      if (json)
        tsy_cli_json_payment (&j, p);
      else
        {
          g_autofree char *amount = tsy_money_to_decimal (p->amount_minor, p->currency);
          g_autofree char *date = tsy_date_to_iso (p->execution_date);
          g_print ("%6" G_GINT64_FORMAT " %-9s %-20s %-20s %16s %s %s %u/%u %s\n", p->id,
                   tsy_payment_status_to_string (p->status), p->debtor_account, p->creditor_name,
                   amount, p->currency, date, p->approvals, p->required_approvals, p->end_to_end_id);
        }
    }
  tsy_json_end_array (&j);
  if (json)
    tsy_cli_print_json (&j);
  else
    g_free (tsy_json_finish (&j));
  return 0;
}
