/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "ledger/tsy-ledger-error.h"
#include "tsy-cli-private.h"
#include "tsy-cli.h"
#ifdef TSY_HAVE_GUI
#include "tsy-application.h"
#endif

static const struct
{
  const char        *word1;
  const char        *word2;     /* NULL: a one-word command */
  TsyCliCommandFunc  func;
  const char        *summary;
} commands[] = {
  { "init", NULL, tsy_cli_cmd_init, N_("Create or upgrade the database") },
  { "demo", NULL, tsy_cli_cmd_demo, N_("Fill a new database with a demo group") },
  { "org", "add", tsy_cli_cmd_org_add, N_("Add an organisation unit") },
  { "org", "list", tsy_cli_cmd_org_list, N_("List the organisation tree") },
  { "bank", "add", tsy_cli_cmd_bank_add, N_("Add a bank") },
  { "bank", "list", tsy_cli_cmd_bank_list, N_("List the banks") },
  { "account", "add", tsy_cli_cmd_account_add, N_("Add a bank account") },
  { "account", "list", tsy_cli_cmd_account_list, N_("List the bank accounts") },
  { "fx", "set", tsy_cli_cmd_fx_set, N_("Set an exchange rate for a date") },
  { "balance", "set", tsy_cli_cmd_balance_set, N_("Set an account's balance for a date") },
  { "balances", NULL, tsy_cli_cmd_balances, N_("Show balances rolled up by organisation or bank") },
  { "import", NULL, tsy_cli_cmd_import, N_("Import bank statement files") },
  { "lines", NULL, tsy_cli_cmd_lines, N_("List imported statement lines") },
  { "user", "add", tsy_cli_cmd_user_add, N_("Add a user with a role and a key pair") },
  { "user", "list", tsy_cli_cmd_user_list, N_("List the users") },
  { "policy", "set", tsy_cli_cmd_policy_set, N_("Set an approval band of an organisation unit") },
  { "policy", "list", tsy_cli_cmd_policy_list, N_("List the approval bands") },
  { "whitelist", "add", tsy_cli_cmd_whitelist_add, N_("Allow a creditor account for an account (约定转账账户)") },
  { "pay", "new", tsy_cli_cmd_pay_new, N_("Make a payment instruction") },
  { "pay", "import", tsy_cli_cmd_pay_import, N_("Make a batch of payments from a CSV file") },
  { "pay", "submit", tsy_cli_cmd_pay_submit, N_("Submit payments for approval") },
  { "pay", "approve", tsy_cli_cmd_pay_approve, N_("Approve (sign) payments") },
  { "pay", "reject", tsy_cli_cmd_pay_reject, N_("Reject a payment") },
  { "pay", "status", tsy_cli_cmd_pay_status, N_("List payments and their status") },
  { "pay", "send", tsy_cli_cmd_pay_send, N_("Send approved payments to their banks, exactly once") },
  { "pay", "export", tsy_cli_cmd_pay_export, N_("Write a batch as pain.001 for a manual upload") },
  { "bank", "connect", tsy_cli_cmd_bank_connect, N_("Set how to reach a bank (https, sftp, folder)") },
  { "bank", "status", tsy_cli_cmd_bank_status, N_("Show each bank's channel and its health") },
  { "bank", "open", tsy_cli_cmd_bank_open, N_("Reopen a bank's channel") },
  { "bank", "close", tsy_cli_cmd_bank_close, N_("Close a bank's channel (nothing is sent)") },
  { "bank", "fetch", tsy_cli_cmd_bank_fetch, N_("Download and import an account's statement") },
  { "book", "import", tsy_cli_cmd_book_import, N_("Import book entries (银行日记账) from CSV") },
  { "book", "opening", tsy_cli_cmd_book_opening, N_("Set the opening balance of an account's book") },
  { "reconcile", NULL, tsy_cli_cmd_reconcile, N_("Match bank lines to book entries") },
  { "match", NULL, tsy_cli_cmd_match, N_("Match bank lines to book entries by hand") },
  { "unmatch", NULL, tsy_cli_cmd_unmatch, N_("Undo the match of a bank line or book entry") },
  { "recon-statement", NULL, tsy_cli_cmd_recon_statement, N_("Balance reconciliation statement (余额调节表)") },
};

static void
print_help (void)
{
  g_print ("%s\n\n", _("Usage: treasury [--db PATH] [COMMAND [ARGS…]]"));
  g_print ("%s\n\n", _("Without a command the window opens. Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *words = g_strjoin (" ", commands[i].word1, commands[i].word2, NULL);
      g_print ("  %-16s %s\n", words, _(commands[i].summary));
    }
  g_print ("\n%s\n", _("The database is --db PATH, else $TREASURY_DB, else $XDG_DATA_HOME/treasury/treasury.db."));
  g_print ("%s\n", _("“treasury COMMAND --help” describes a command's options."));
}

static char *
default_db_path (void)
{
  const char *env = g_getenv ("TREASURY_DB");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), "treasury", "treasury.db", NULL);
}

int
tsy_cli_usage_error (const char *format,
                     ...)
{
  va_list args;
  g_autofree char *msg = NULL;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("treasury: %s\n", msg);
  return 2;
}

gboolean
tsy_cli_want_args (int         argc,
                   int         n,
                   const char *usage)
{
  if (argc - 1 == n)
    return TRUE;
  tsy_cli_usage_error (_("Usage: %s"), usage);
  return FALSE;
}

int
tsy_cli_fail (TsyCli *cli,
              GError *error)
{
  char *nl;

  if (error != NULL)
    {
      /* one line, whatever the message */
      while ((nl = strchr (error->message, '\n')) != NULL)
        *nl = ' ';
      g_printerr ("treasury: %s\n", error->message);
      g_error_free (error);
    }
  else
    g_printerr ("treasury: %s\n", _("The command failed"));

  if (!cli->db_existed && cli->db_path != NULL && strcmp (cli->db_path, ":memory:") != 0)
    {
      /* The command created the file: leave nothing behind. */
      g_autofree char *wal = g_strconcat (cli->db_path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (cli->db_path, "-shm", NULL);
      g_clear_object (&cli->store);
      g_unlink (cli->db_path);
      g_unlink (wal);
      g_unlink (shm);
    }
  return 1;
}

TsyStore *
tsy_cli_open (TsyCli  *cli,
              gboolean create)
{
  GError *error = NULL;

  if (cli->store != NULL)
    return cli->store;
  if (create)
    {
      g_autofree char *dir = g_path_get_dirname (cli->db_path);
      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          g_printerr ("treasury: %s\n", _("Cannot create the folder of the database"));
          return NULL;
        }
      cli->store = tsy_store_open (cli->db_path, &error);
    }
  else
    cli->store = tsy_store_open_existing (cli->db_path, &error);
  if (cli->store == NULL)
    {
      tsy_cli_fail (cli, error);
      return NULL;
    }
  return cli->store;
}

void
tsy_cli_print_json (TsyJson *json)
{
  g_autofree char *text = tsy_json_finish (json);

  fputs (text, stdout);
  fputc ('\n', stdout);
}

/* GOptionContext would take "-100.00" for options: protect negative numbers. */
#define NEG_MARK '\x01'

gboolean
tsy_cli_parse_options (int                 *argc,
                       char              ***argv,
                       const char          *usage,
                       const GOptionEntry  *entries)
{
  g_autoptr(GOptionContext) ctx = g_option_context_new (usage);
  g_autoptr(GError) error = NULL;
  char **args = *argv;

  for (int i = 1; i < *argc; i++)
    if (args[i][0] == '-' && g_ascii_isdigit (args[i][1]))
      args[i][0] = NEG_MARK;

  g_option_context_set_translation_domain (ctx, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (ctx, argc, argv, &error))
    {
      tsy_cli_usage_error ("%s", error->message);
      return FALSE;
    }
  args = *argv;
  for (int i = 1; i < *argc; i++)
    if (args[i][0] == NEG_MARK)
      args[i][0] = '-';
  return TRUE;
}

static int
open_window (const char *db_path,
             const char *argv0)
{
#ifdef TSY_HAVE_GUI
  g_autoptr(TsyApplication) app = tsy_application_new (db_path);
  char *args[] = { (char *) argv0, NULL };

  return g_application_run (G_APPLICATION (app), 1, args);
#else
  g_printerr ("treasury: %s\n", _("This build has no window; give a command (treasury --help)"));
  return 2;
#endif
}

int
tsy_cli_main (int    argc,
              char **argv)
{
  TsyCli cli = { 0 };
  const char *db_arg = NULL;
  int i = 1;
  int status;

  /* Global options come before the command. */
  while (i < argc && argv[i][0] == '-')
    {
      if (strcmp (argv[i], "--db") == 0 && i + 1 < argc)
        {
          db_arg = argv[i + 1];
          i += 2;
        }
      else if (g_str_has_prefix (argv[i], "--db="))
        db_arg = argv[i++] + 5;
      else if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0)
        {
          print_help ();
          return 0;
        }
      else if (strcmp (argv[i], "--version") == 0)
        {
          g_print ("treasury %s\n", PACKAGE_VERSION);
          return 0;
        }
      else
        return tsy_cli_usage_error (_("Unknown option “%s” (treasury --help lists them)"), argv[i]);
    }

  if (i >= argc)
    return open_window (db_arg, argv[0]);

  for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
    {
      int consumed;

      if (strcmp (argv[i], commands[c].word1) != 0)
        continue;
      if (commands[c].word2 != NULL &&
          (i + 1 >= argc || strcmp (argv[i + 1], commands[c].word2) != 0))
        continue;
      consumed = commands[c].word2 != NULL ? 2 : 1;

      cli.db_path = db_arg ? g_strdup (db_arg) : default_db_path ();
      cli.db_existed = strcmp (cli.db_path, ":memory:") == 0 ||
                       g_file_test (cli.db_path, G_FILE_TEST_EXISTS);
      {
        /* The command sees argv[0] = "treasury WORD1 [WORD2]" and its own arguments. */
        g_autofree char *name = g_strjoin (" ", "treasury", commands[c].word1, commands[c].word2, NULL);
        g_autofree char **sub = g_new0 (char *, argc - i - consumed + 2);
        int n = 0;
        sub[n++] = name;
        for (int k = i + consumed; k < argc; k++)
          sub[n++] = argv[k];
        g_set_prgname (name);
        status = commands[c].func (&cli, n, sub);
      }
      g_clear_object (&cli.store);
      g_free (cli.db_path);
      return status;
    }

  return tsy_cli_usage_error (_("Unknown command “%s” (treasury --help lists them)"), argv[i]);
}
