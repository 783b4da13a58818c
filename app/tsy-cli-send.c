/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Bank channels and sending: bank connect/status/open/close/fetch, pay send, pay export. */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "banks/formats/tsy-pain001.h"
#include "banks/tsy-bank-connector.h"
#include "banks/tsy-bank-error.h"
#include "banks/tsy-payment-sender.h"
#include "banks/tsy-statement-importer.h"
#include "ledger/tsy-bank-channel.h"
#include "ledger/tsy-ledger-error.h"
#include "ledger/tsy-outbox.h"
#include "ledger/tsy-payment.h"
#include "ledger/tsy-user.h"
#include "tsy-cli-private.h"

static char *
absolute (const char *path)
{
  if (path == NULL)
    return NULL;
  if (g_path_is_absolute (path))
    return g_strdup (path);
  return g_canonicalize_filename (path, NULL);
}

int
tsy_cli_cmd_bank_connect (TsyCli *cli,
                          int     argc,
                          char  **argv)
{
  g_autofree char *kind = NULL, *url = NULL, *cert = NULL, *key = NULL, *ca = NULL;
  g_autofree char *format = NULL, *timeout = NULL, *connect_timeout = NULL, *user = NULL;
  const GOptionEntry entries[] = {
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind, N_("https, sftp or folder"), N_("KIND") },
    { "url", 0, 0, G_OPTION_ARG_STRING, &url, N_("https://host:port/path, sftp://user@host:port/path, or a folder"), "URL" },
    { "cert", 0, 0, G_OPTION_ARG_FILENAME, &cert, N_("Our client certificate (PEM; https only)"), N_("FILE") },
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &key, N_("https: the certificate's private key (PEM); sftp: our SSH private key"), N_("FILE") },
    { "ca", 0, 0, G_OPTION_ARG_FILENAME, &ca, N_("https: the bank's CA certificate, the only one trusted; sftp: the bank's known_hosts file, the only host key accepted"), N_("FILE") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("pain.001.001.09 (default) or pain.001.001.03"), N_("FORMAT") },
    { "timeout", 0, 0, G_OPTION_ARG_STRING, &timeout, N_("Total time-out of an exchange (default 60)"), N_("SECONDS") },
    { "connect-timeout", 0, 0, G_OPTION_ARG_STRING, &connect_timeout, N_("Connect time-out (default 10)"), N_("SECONDS") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("The admin who sets it"), N_("NAME") },
    { NULL }
  };
  const char *usage = "treasury bank connect CODE --kind https|sftp|folder --url URL [--cert FILE] [--key FILE --ca FILE]";
  g_autofree char *actor = NULL;
  TsyBankChannel channel = { 0 };
  GError *error = NULL;

  if (!tsy_cli_parse_options (&argc, &argv, "CODE", entries) || !tsy_cli_want_args (argc, 1, usage))
    return 2;
  if (kind == NULL || url == NULL)
    return tsy_cli_usage_error (_("Usage: %s"), usage);
  if (!tsy_channel_kind_from_string (kind, &channel.kind))
    return tsy_cli_usage_error (_("“%s” is not a channel kind (https, sftp, folder)"), kind);
  if (channel.kind == TSY_CHANNEL_SFTP && cert != NULL)
    return tsy_cli_usage_error ("%s", _("An sftp channel takes no --cert: it logs in with the SSH key of --key"));
  channel.bank_code = argv[1];
  channel.connect_timeout_ms = 10000;
  channel.timeout_ms = 60000;
  if ((timeout != NULL && !tsy_channel_seconds_parse (timeout, &channel.timeout_ms, &error)) ||
      (connect_timeout != NULL &&
       !tsy_channel_seconds_parse (connect_timeout, &channel.connect_timeout_ms, &error)))
    return tsy_cli_fail (cli, error);
  if (timeout != NULL && connect_timeout == NULL)
    channel.connect_timeout_ms = MIN (channel.connect_timeout_ms, channel.timeout_ms);
  {
    g_autofree char *abs_url = channel.kind == TSY_CHANNEL_FOLDER ? absolute (url) : g_strdup (url);
    g_autofree char *abs_cert = absolute (cert);
    g_autofree char *abs_key = absolute (key);
    g_autofree char *abs_ca = absolute (ca);

    channel.url = abs_url;
    channel.cert_file = abs_cert;
    channel.key_file = abs_key;
    channel.ca_file = abs_ca;
    channel.format = format;
    if (tsy_cli_open (cli, FALSE) == NULL)
      return 1;
    actor = tsy_cli_actor (user);
    if (user != NULL && tsy_user_require (cli->store, user, TSY_ROLE_ADMIN, &error) == NULL)
      return tsy_cli_fail (cli, error);
    if (!tsy_bank_channel_set (cli->store, &channel, actor, &error))
      return tsy_cli_fail (cli, error);
  }
  return 0;
}

static int
set_open (TsyCli     *cli,
          int         argc,
          char      **argv,
          gboolean    open)
{
  g_autofree char *user = NULL;
  g_autofree char *actor = NULL;
  const GOptionEntry entries[] = {
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("Who does it"), N_("NAME") },
    { NULL }
  };
  GError *error = NULL;

  if (!tsy_cli_parse_options (&argc, &argv, "CODE", entries) ||
      !tsy_cli_want_args (argc, 1, open ? "treasury bank open CODE" : "treasury bank close CODE"))
    return 2;
  if (tsy_cli_open (cli, FALSE) == NULL)
    return 1;
  actor = tsy_cli_actor (user);
  if (!tsy_bank_channel_set_open (cli->store, argv[1], open, actor, &error))
    return tsy_cli_fail (cli, error);
  return 0;
}

int
tsy_cli_cmd_bank_open (TsyCli *cli, int argc, char **argv)
{
  return set_open (cli, argc, argv, TRUE);
}

int
tsy_cli_cmd_bank_close (TsyCli *cli, int argc, char **argv)
{
  return set_open (cli, argc, argv, FALSE);
}

int
tsy_cli_cmd_bank_status (TsyCli *cli,
                         int     argc,
                         char  **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) channels = NULL;
  g_autoptr(GPtrArray) waiting = NULL;
  GError *error = NULL;
  TsyJson j;

  if (!tsy_cli_parse_options (&argc, &argv, "", entries) || !tsy_cli_want_args (argc, 0, "treasury bank status [--json]"))
    return 2;
  if (tsy_cli_open (cli, FALSE) == NULL)
    return 1;
  channels = tsy_bank_channel_list (cli->store, &error);
  if (channels == NULL)
    return tsy_cli_fail (cli, error);
  waiting = tsy_outbox_list (cli->store, 0, 1u << TSY_OUTBOX_PENDING | 1u << TSY_OUTBOX_SENDING |
                             1u << TSY_OUTBOX_UNKNOWN | 1u << TSY_OUTBOX_DELIVERED, &error);
  if (waiting == NULL)
    return tsy_cli_fail (cli, error);
  tsy_json_init (&j);
  tsy_json_begin_array (&j);
  for (guint i = 0; i < channels->len; i++)
    {
      TsyBankChannel *c = g_ptr_array_index (channels, i);
      guint counts[TSY_OUTBOX_FAILED + 1] = { 0 };

      for (guint m = 0; m < waiting->len; m++)
        {
          TsyOutboxMessage *msg = g_ptr_array_index (waiting, m);
          if (msg->bank_id == c->bank_id)
            counts[msg->state]++;
        }
      if (json)
        {
          tsy_json_begin_object (&j);
          tsy_json_member (&j, "bank", c->bank_code);
          tsy_json_member (&j, "kind", tsy_channel_kind_to_string (c->kind));
          tsy_json_member (&j, "url", c->url);
          tsy_json_member (&j, "format", c->format);
          tsy_json_key (&j, "open");
          tsy_json_bool (&j, c->is_open);
          tsy_json_member (&j, "last_success", c->last_success_at);
          tsy_json_member (&j, "last_error_at", c->last_error_at);
          tsy_json_member (&j, "last_error", c->last_error);
          tsy_json_key (&j, "latency_ms");
          if (c->latency_ms >= 0)
            tsy_json_int (&j, c->latency_ms);
          else
            tsy_json_null (&j);
          tsy_json_key (&j, "messages");
          tsy_json_begin_object (&j);
          for (TsyOutboxState s = TSY_OUTBOX_PENDING; s <= TSY_OUTBOX_DELIVERED; s++)
            {
              tsy_json_key (&j, tsy_outbox_state_to_string (s));
              tsy_json_int (&j, counts[s]);
            }
          tsy_json_end_object (&j);
          tsy_json_end_object (&j);
        }
      else
        {
          g_print ("%-8s %-6s %-6s %s\n", c->bank_code, tsy_channel_kind_to_string (c->kind),
                   c->is_open ? _("open") : _("closed"), c->url);
          /* Translators: %1$s an instant or "-", %2$d milliseconds */
          g_print (_("         last success %1$s, latency %2$d ms\n"),
                   c->last_success_at ? c->last_success_at : "-", c->latency_ms);
          if (c->last_error != NULL)
            /* Translators: %1$s an instant, %2$s a message */
            g_print (_("         last error %1$s: %2$s\n"), c->last_error_at, c->last_error);
          /* Translators: messages of the outbox by state */
          g_print (_("         pending %1$u, unknown %2$u, awaiting the bank's answer %3$u\n"),
                   counts[TSY_OUTBOX_PENDING] + counts[TSY_OUTBOX_SENDING], counts[TSY_OUTBOX_UNKNOWN],
                   counts[TSY_OUTBOX_DELIVERED]);
        }
    }
  tsy_json_end_array (&j);
  if (json)
    tsy_cli_print_json (&j);
  else
    g_free (tsy_json_finish (&j));
  return 0;
}

int
tsy_cli_cmd_bank_fetch (TsyCli *cli,
                        int     argc,
                        char  **argv)
{
  g_autofree char *account = NULL;
  g_autofree char *date_text = NULL;
  gboolean intraday = FALSE;
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &account, N_("The account"), N_("NUMBER") },
    { "date", 0, 0, G_OPTION_ARG_STRING, &date_text, N_("The day (default today)"), "YYYY-MM-DD" },
    { "intraday", 0, 0, G_OPTION_ARG_NONE, &intraday, N_("The intraday report (camt.052)"), NULL },
    { NULL }
  };
  const char *usage = "treasury bank fetch CODE --account NUMBER [--date YYYY-MM-DD] [--intraday]";
  g_autoptr(TsyBankChannel) channel = NULL;
  g_autoptr(TsyBankConnector) connector = NULL;
  g_autoptr(GBytes) doc = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  TsyImportOptions options = { 0 };
  TsyImportResult result = { 0 };
  TsyDate date = tsy_date_today ();
  GError *error = NULL;
  guint executed = 0;

  if (!tsy_cli_parse_options (&argc, &argv, "CODE", entries) || !tsy_cli_want_args (argc, 1, usage))
    return 2;
  if (account == NULL)
    return tsy_cli_usage_error (_("Usage: %s"), usage);
  if (date_text != NULL && !tsy_date_parse_iso (date_text, &date, &error))
    return tsy_cli_fail (cli, error);
  if (tsy_cli_open (cli, FALSE) == NULL)
    return 1;
  channel = tsy_bank_channel_lookup (cli->store, argv[1], &error);
  if (channel == NULL)
    return tsy_cli_fail (cli, error);
  connector = tsy_bank_connector_new_for_channel (channel, &error);
  if (connector == NULL)
    return tsy_cli_fail (cli, error);
  doc = tsy_bank_connector_fetch_statement (connector, account, intraday ? TSY_STATEMENT_KIND_INTRADAY
                                                                         : TSY_STATEMENT_KIND_FINAL,
                                            date, NULL, &error);
  if (doc == NULL)
    return tsy_cli_fail (cli, error);
  /* Through the statements importer, from a private temporary file. */
  dir = g_dir_make_tmp ("treasury-fetch-XXXXXX", &error);
  if (dir == NULL)
    return tsy_cli_fail (cli, error);
  path = g_build_filename (dir, intraday ? "camt052.xml" : "camt053.xml", NULL);
  if (!g_file_set_contents (path, g_bytes_get_data (doc, NULL), (gssize) g_bytes_get_size (doc), &error))
    return tsy_cli_fail (cli, error);
  options.account = account;
  if (!tsy_statement_import_file (cli->store, path, &options, &result, NULL, &error))
    {
      g_unlink (path);
      g_rmdir (dir);
      return tsy_cli_fail (cli, error);
    }
  g_unlink (path);
  g_rmdir (dir);
  if (!tsy_payment_match_statements (cli->store, "statements", &executed, &error))
    return tsy_cli_fail (cli, error);
  /* Translators: %1$u new lines, %2$u lines known already, %3$u payments found executed */
  g_print (_("%1$u new lines, %2$u known; %3$u payments executed\n"), result.new_lines,
           result.present_lines, executed);
  tsy_import_result_clear (&result);
  return 0;
}

/* ---- pay send / export ----------------------------------------------------------------- */

int
tsy_cli_cmd_pay_send (TsyCli *cli,
                      int     argc,
                      char  **argv)
{
  gboolean all = FALSE, json = FALSE;
  int per_message = 0;
  const GOptionEntry entries[] = {
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("Every approved payment"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "max-per-message", 0, 0, G_OPTION_ARG_INT, &per_message, N_("Payments per pain.001 file at most (default 500)"), "N" },
    { NULL }
  };
  const char *usage = "treasury pay send [ID...|--all] [--json]";
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  TsySendReport report = { 0 };
  GError *error = NULL;
  int status = 0;

  if (!tsy_cli_parse_options (&argc, &argv, "[ID…]", entries))
    return 2;
  if ((all && argc > 1) || per_message < 0 || per_message > 100000)
    return tsy_cli_usage_error (_("Usage: %s"), usage);
  for (int i = 1; i < argc; i++)
    {
      char *end = NULL;
      gint64 id = g_ascii_strtoll (argv[i], &end, 10);
      if (end == argv[i] || *end != '\0' || id <= 0)
        return tsy_cli_usage_error (_("“%s” is not a payment id"), argv[i]);
      g_array_append_val (ids, id);
    }
  if (tsy_cli_open (cli, FALSE) == NULL)
    return 1;
  /* Without ids and without --all, only the outbox is worked: nothing new leaves. */
  if ((all || ids->len > 0) &&
      !tsy_payment_prepare (cli->store, ids->len ? (const gint64 *) (gpointer) ids->data : NULL, ids->len,
                            (guint) per_message, "sender", &report, &error))
    return tsy_cli_fail (cli, error);
  if (!tsy_payment_work_outbox (cli->store, "sender", &report, NULL, &error))
    return tsy_cli_fail (cli, error);

  if (json)
    {
      TsyJson j;
      tsy_json_init (&j);
      tsy_json_begin_object (&j);
#define FIELD(name) tsy_json_key (&j, #name); tsy_json_int (&j, report.name)
      FIELD (prepared);
      FIELD (messages);
      FIELD (failed_signature);
      FIELD (waiting_channel);
      FIELD (sent);
      FIELD (retried);
      FIELD (unknown);
      FIELD (resolved);
      FIELD (resent);
      FIELD (refused);
      FIELD (changed);
      FIELD (channel_errors);
#undef FIELD
      tsy_json_end_object (&j);
      tsy_cli_print_json (&j);
    }
  else
    /* Translators: a summary of one run of the sender */
    g_print (_("%1$u payments in %2$u new messages; %3$u messages sent, %4$u resolved, %5$u status changes; "
               "%6$u messages await their status\n"),
             report.prepared, report.messages, report.sent, report.resolved, report.changed, report.unknown);

  if (report.failed_signature > 0)
    {
      g_printerr ("treasury: %s\n",
                  g_dngettext (GETTEXT_PACKAGE,
                               "A payment was refused: its content changed after it was approved (see pay status)",
                               "Payments were refused: their content changed after they were approved (see pay status)",
                               report.failed_signature));
      status = 1;
    }
  else if (report.unknown > 0 || report.channel_errors > 0)
    {
      g_printerr ("treasury: %s\n", _("Some banks did not answer; run “treasury pay send” again to settle"));
      status = 1;
    }
  return status;
}

int
tsy_cli_cmd_pay_export (TsyCli *cli,
                        int     argc,
                        char  **argv)
{
  g_autofree char *out = NULL;
  g_autofree char *format = NULL;
  const GOptionEntry entries[] = {
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, N_("The file to write"), N_("FILE.xml") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("pain.001.001.09 (default) or pain.001.001.03"), N_("FORMAT") },
    { NULL }
  };
  const char *usage = "treasury pay export BATCH --out FILE.xml";
  TsyPain001Version version = TSY_PAIN001_V09;
  g_autoptr(GBytes) doc = NULL;
  GError *error = NULL;
  char *end = NULL;
  gint64 batch;

  if (!tsy_cli_parse_options (&argc, &argv, "BATCH", entries) || !tsy_cli_want_args (argc, 1, usage))
    return 2;
  if (out == NULL)
    return tsy_cli_usage_error (_("Usage: %s"), usage);
  batch = g_ascii_strtoll (argv[1], &end, 10);
  if (end == argv[1] || *end != '\0' || batch <= 0)
    return tsy_cli_usage_error (_("“%s” is not a batch id"), argv[1]);
  if (format != NULL && !tsy_pain001_version_from_string (format, &version))
    return tsy_cli_usage_error (_("“%s” is not a payment format (pain.001.001.09, pain.001.001.03)"), format);
  if (tsy_cli_open (cli, FALSE) == NULL)
    return 1;
  doc = tsy_payment_export_batch (cli->store, batch, version, "export", &error);
  if (doc == NULL)
    return tsy_cli_fail (cli, error);
  if (!g_file_set_contents (out, g_bytes_get_data (doc, NULL), (gssize) g_bytes_get_size (doc), &error))
    return tsy_cli_fail (cli, error);
  return 0;
}
