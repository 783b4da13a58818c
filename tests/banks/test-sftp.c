/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The SFTP connector against a real OpenSSH server started on 127.0.0.1 by the test (keys made
 * now with ssh-keygen): payments through the ledger into the outbox, their pain.002 from the
 * inbox, statements, the pinned host key, a key the server does not know, a stopped server,
 * cancellation, and the channel's validation. */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "banks/formats/tsy-pain002.h"
#include "banks/tsy-bank-connector.h"
#include "banks/tsy-bank-error.h"
#include "banks/tsy-payment-sender.h"
#include "banks/tsy-payment-signer.h"
#include "ledger/tsy-account.h"
#include "ledger/tsy-bank-channel.h"
#include "ledger/tsy-bank.h"
#include "ledger/tsy-ledger-error.h"
#include "ledger/tsy-org.h"
#include "ledger/tsy-outbox.h"
#include "ledger/tsy-payment.h"
#include "ledger/tsy-user.h"
#include "tsy-test-banksim.h"
#include "tsy-test-payments.h"

#define SSHD "/usr/sbin/sshd"
#define RICH "0200001209000123456"
#define PAYEE "4000023009200012345"

typedef struct
{
  char        *dir;
  char        *share;           /* the server's folder: outbox/ and inbox/ */
  char        *url;             /* sftp://user@127.0.0.1:PORT/<share> */
  char        *client_key;
  char        *other_client_key;
  char        *known_hosts;     /* the server's host key, as the bank gives it */
  char        *wrong_known_hosts;   /* another key for the same host and port */
  char        *config;
  char        *log;
  guint16      port;
  GSubprocess *sshd;
  TsyStore    *store;
} Fixture;

static void
run (const char *const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                               NULL, NULL, NULL, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", argv[0], err);
}

static char *
keygen (Fixture *f, const char *name)
{
  char *path = g_build_filename (f->dir, name, NULL);
  const char *argv[] = { "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", path, NULL };

  run (argv);
  return path;
}

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  return text;
}

static void
write_text (const char *path, const char *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);
}

static guint16
free_port (void)
{
  g_autoptr(GSocket) s = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_socket_bind (s, any, TRUE, &error));
  bound = g_socket_get_local_address (s, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static gboolean
port_open (guint16 port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;

  conn = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);
  return conn != NULL;
}

/* Starts sshd on f->port; FALSE when that port was taken meanwhile. Ready when it says it
 * listens (a connection to the port could reach whoever took it). */
static gboolean
start_sshd (Fixture *f)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;

  g_subprocess_launcher_set_stderr_file_path (launcher, f->log);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  /* sshd re-executes itself, so it must be started with its absolute path. */
  f->sshd = g_subprocess_launcher_spawn (launcher, &error, SSHD, "-D", "-e", "-f", f->config, NULL);
  g_assert_no_error (error);
  for (;;)
    {
      g_autofree char *log = NULL;
      gboolean exited = g_subprocess_get_identifier (f->sshd) == NULL;

      g_file_get_contents (f->log, &log, NULL, NULL);
      if (log != NULL && strstr (log, "Server listening on") != NULL && port_open (f->port))
        return TRUE;
      if (exited && log != NULL && strstr (log, "Address already in use") != NULL)
        {
          g_clear_object (&f->sshd);
          return FALSE;
        }
      if (exited || g_get_monotonic_time () > deadline)
        g_error ("sshd did not start on port %u: %s", f->port, log ? log : "");
      g_usleep (20 * 1000);
    }
}

static void
stop_sshd (Fixture *f)
{
  if (f->sshd == NULL)
    return;
  g_subprocess_send_signal (f->sshd, SIGTERM);
  g_subprocess_wait (f->sshd, NULL, NULL);
  g_clear_object (&f->sshd);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *host_key = NULL, *other_host_key = NULL, *authorized = NULL, *pub = NULL;
  g_autofree char *text = NULL, *host_pub = NULL, *other_pub = NULL;
  g_autofree char *outbox = NULL, *inbox = NULL, *keygen_path = NULL;

  if (!g_file_test (SSHD, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_fail_printf ("%s is missing: the SFTP tests need the OpenSSH server "
                          "(apt-get install openssh-server, see scripts/deps.txt)", SSHD);
      return;
    }
  keygen_path = g_find_program_in_path ("ssh-keygen");
  if (keygen_path == NULL)
    {
      g_test_fail_printf ("ssh-keygen is missing (apt-get install openssh-client)");
      return;
    }
  /* As root, sshd wants its privilege separation folder. */
  if (getuid () == 0 && !g_file_test ("/run/sshd", G_FILE_TEST_IS_DIR))
    g_assert_cmpint (g_mkdir_with_parents ("/run/sshd", 0755), ==, 0);

  f->dir = g_dir_make_tmp ("tsy-sftp-XXXXXX", &error);
  g_assert_no_error (error);
  f->share = g_build_filename (f->dir, "share", NULL);
  outbox = g_build_filename (f->share, "outbox", NULL);
  inbox = g_build_filename (f->share, "inbox", NULL);
  g_assert_cmpint (g_mkdir_with_parents (outbox, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (inbox, 0700), ==, 0);

  host_key = keygen (f, "host_key");
  other_host_key = keygen (f, "other_host_key");
  f->client_key = keygen (f, "client_key");
  f->other_client_key = keygen (f, "other_client_key");
  authorized = g_build_filename (f->dir, "authorized_keys", NULL);
  pub = g_strconcat (f->client_key, ".pub", NULL);
  text = read_text (pub);
  write_text (authorized, text);

  f->config = g_build_filename (f->dir, "sshd_config", NULL);
  f->log = g_build_filename (f->dir, "sshd.log", NULL);
  for (guint attempt = 0; f->sshd == NULL; attempt++)
    {
      g_assert_cmpuint (attempt, <, 5);
      f->port = free_port ();
      g_clear_pointer (&text, g_free);
      text = g_strdup_printf ("ListenAddress 127.0.0.1\n"
                              "Port %u\n"
                              "HostKey %s\n"
                              "AuthorizedKeysFile %s\n"
                              "PasswordAuthentication no\n"
                              "KbdInteractiveAuthentication no\n"
                              "PubkeyAuthentication yes\n"
                              "Subsystem sftp internal-sftp\n"
                              "PidFile %s/sshd.pid\n"
                              "StrictModes no\n"
                              /* As root without PAM (no session bookkeeping on the machine).
                               * Run by another user, sshd without PAM may refuse the account
                               * as locked (it does for "nobody"); through PAM it takes the key. */
                              "UsePAM %s\n", f->port, host_key, authorized, f->dir,
                              getuid () == 0 ? "no" : "yes");
      write_text (f->config, text);
      start_sshd (f);
    }

  {
    g_autofree char *p1 = g_strconcat (host_key, ".pub", NULL);
    g_autofree char *p2 = g_strconcat (other_host_key, ".pub", NULL);
    g_autofree char *line = NULL;
    host_pub = read_text (p1);
    other_pub = read_text (p2);
    f->known_hosts = g_build_filename (f->dir, "known_hosts", NULL);
    line = g_strdup_printf ("[127.0.0.1]:%u %s", f->port, host_pub);
    write_text (f->known_hosts, line);
    f->wrong_known_hosts = g_build_filename (f->dir, "wrong_known_hosts", NULL);
    g_free (line);
    line = g_strdup_printf ("[127.0.0.1]:%u %s", f->port, other_pub);
    write_text (f->wrong_known_hosts, line);
  }
  f->url = g_strdup_printf ("sftp://%s@127.0.0.1:%u%s", g_get_user_name (), f->port, f->share);

  f->store = tsy_test_payment_store (f->dir, (const char *const[]) { RICH, NULL });
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  stop_sshd (f);
  g_clear_object (&f->store);
  if (f->dir != NULL)
    tsy_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->share);
  g_free (f->url);
  g_free (f->client_key);
  g_free (f->other_client_key);
  g_free (f->known_hosts);
  g_free (f->wrong_known_hosts);
  g_free (f->config);
  g_free (f->log);
}

static void
connect_bank (Fixture *f, const char *key, const char *known_hosts)
{
  g_autoptr(GError) error = NULL;
  TsyBankChannel channel = { .bank_code = "ICBC", .kind = TSY_CHANNEL_SFTP, .url = f->url,
                             .key_file = (char *) key, .ca_file = (char *) known_hosts,
                             .connect_timeout_ms = 5000, .timeout_ms = 20000 };

  g_assert_true (tsy_bank_channel_set (f->store, &channel, "test", &error));
  g_assert_no_error (error);
}

static TsyBankConnector *
connector_of (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyBankChannel) channel = tsy_bank_channel_lookup (f->store, "ICBC", &error);
  TsyBankConnector *connector;

  g_assert_no_error (error);
  connector = tsy_bank_connector_new_for_channel (channel, &error);
  g_assert_no_error (error);
  return connector;
}

static guint
count_files (Fixture *f, const char *folder)
{
  g_autofree char *path = g_build_filename (f->share, folder, NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static void
put_inbox (Fixture *f, const char *name, GBytes *doc)
{
  g_autofree char *path = g_build_filename (f->share, "inbox", name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (doc, NULL), (gssize) g_bytes_get_size (doc), &error));
  g_assert_no_error (error);
}

static GBytes *
pain002_for (const TsyPaymentInfo *p, const char *status)
{
  g_autoptr(TsyStatusReport) r = tsy_status_report_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  r->orig_msg_id = g_strdup (p->msg_id);
  tsy_status_report_add_tx (r, p->end_to_end_id, status, NULL);
  return tsy_pain002_write (r, now);
}

static void
test_send_status_statement (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *outbox_file = NULL;
  g_autofree char *part_file = NULL;
  g_autofree char *on_disk = NULL;
  g_autoptr(TsyPaymentInfo) p = NULL;
  g_autoptr(TsyBankConnector) connector = NULL;
  g_autoptr(GBytes) answer = NULL;
  TsySendReport report = { 0 };
  TsyStatusLookup lookup = TSY_STATUS_FOUND;
  gsize len = 0;
  gint64 id;

  if (f->sshd == NULL)
    return;
  connect_bank (f, f->client_key, f->known_hosts);
  id = tsy_test_payment_approved (f->store, RICH, PAYEE, 777);
  g_assert_true (tsy_payment_prepare (f->store, NULL, 0, 0, "sender", &report, &error));
  g_assert_true (tsy_payment_work_outbox (f->store, "sender", &report, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.sent, ==, 1);

  /* whole, under its MsgId, and nothing half-written left beside it */
  p = tsy_test_payment_lookup (f->store, id);
  outbox_file = g_strdup_printf ("%s/outbox/%s.xml", f->share, p->msg_id);
  part_file = g_strconcat (outbox_file, ".part", NULL);
  g_assert_true (g_file_get_contents (outbox_file, &on_disk, &len, NULL));
  g_assert_false (g_file_test (part_file, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_files (f, "outbox"), ==, 1);
  {
    g_autoptr(TsyOutboxMessage) msg = tsy_outbox_lookup (f->store, p->msg_id, &error);
    g_assert_cmpint (msg->state, ==, TSY_OUTBOX_DELIVERED);
    g_assert_cmpmem (on_disk, len, g_bytes_get_data (msg->document, NULL), g_bytes_get_size (msg->document));
  }
  g_assert_nonnull (strstr (on_disk, p->end_to_end_id));

  /* no answer yet: it waits */
  connector = connector_of (f);
  g_assert_true (tsy_bank_connector_fetch_status (connector, p->msg_id, &lookup, &answer, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (lookup, ==, TSY_STATUS_NOT_YET);
  g_assert_null (answer);

  /* the bank's gateway answers in the inbox, among other files */
  {
    g_autoptr(GBytes) other = NULL;
    g_autoptr(GBytes) doc = pain002_for (p, "ACSC");
    TsyPaymentInfo stranger = { .msg_id = "M-SOMEONE-ELSE", .end_to_end_id = "E-ELSE" };
    other = pain002_for (&stranger, "RJCT");
    put_inbox (f, "a-other.xml", other);
    put_inbox (f, "answer 1.xml", doc);
    put_inbox (f, "notes.txt", other);
  }
  g_assert_true (tsy_payment_work_outbox (f->store, "sender", &report, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&p, tsy_payment_info_free);
  p = tsy_test_payment_lookup (f->store, id);
  g_assert_cmpint (p->status, ==, TSY_PAYMENT_EXECUTED);
  g_assert_cmpstr (p->bank_status, ==, "ACSC");
  {
    g_autoptr(TsyBankChannel) after = tsy_bank_channel_lookup (f->store, "ICBC", &error);
    g_assert_nonnull (after->last_success_at);
    g_assert_cmpint (after->latency_ms, >=, 0);
  }
  g_assert_true (tsy_bank_connector_fetch_status (connector, p->msg_id, &lookup, &answer, NULL, &error));
  g_assert_cmpint (lookup, ==, TSY_STATUS_FOUND);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (answer, NULL), (gssize) g_bytes_get_size (answer), "ACSC"));
  /* asked again at once (the inbox's index is remembered): the answer itself is read anew */
  {
    g_autoptr(GBytes) doc = pain002_for (p, "RJCT");
    g_autofree char *path = g_build_filename (f->share, "inbox", "answer 1.xml", NULL);
    put_inbox (f, "answer 1.xml", doc);
    g_clear_pointer (&answer, g_bytes_unref);
    g_assert_true (tsy_bank_connector_fetch_status (connector, p->msg_id, &lookup, &answer, NULL, &error));
    g_assert_cmpint (lookup, ==, TSY_STATUS_FOUND);
    g_assert_true (g_bytes_equal (answer, doc));
    /* and an answer taken away is gone */
    g_assert_cmpint (g_unlink (path), ==, 0);
    g_clear_pointer (&answer, g_bytes_unref);
    g_assert_true (tsy_bank_connector_fetch_status (connector, p->msg_id, &lookup, &answer, NULL, &error));
    g_assert_cmpint (lookup, ==, TSY_STATUS_NOT_YET);
    g_assert_null (answer);
  }

  /* statements: the day's camt.053 and camt.052, byte for byte; a missing day is refused */
  {
    g_autofree char *day = tsy_date_to_iso (tsy_date_today ());
    g_autofree char *name053 = g_strdup_printf ("%s_%s.camt053.xml", RICH, day);
    g_autofree char *name052 = g_strdup_printf ("%s_%s.camt052.xml", RICH, day);
    g_autoptr(GBytes) final = g_bytes_new_static ("<Document>camt.053 of the day</Document>", 40);
    g_autoptr(GBytes) intraday = g_bytes_new_static ("<Document>camt.052 so far</Document>", 36);
    g_autoptr(GBytes) got = NULL;
    put_inbox (f, name053, final);
    put_inbox (f, name052, intraday);
    got = tsy_bank_connector_fetch_statement (connector, RICH, TSY_STATEMENT_KIND_FINAL, tsy_date_today (), NULL, &error);
    g_assert_no_error (error);
    g_assert_true (g_bytes_equal (got, final));
    g_clear_pointer (&got, g_bytes_unref);
    got = tsy_bank_connector_fetch_statement (connector, RICH, TSY_STATEMENT_KIND_INTRADAY, tsy_date_today (), NULL, &error);
    g_assert_no_error (error);
    g_assert_true (g_bytes_equal (got, intraday));
    g_clear_pointer (&got, g_bytes_unref);
    got = tsy_bank_connector_fetch_statement (connector, RICH, TSY_STATEMENT_KIND_FINAL,
                                              tsy_date_add_days (tsy_date_today (), -1), NULL, &error);
    g_assert_null (got);
    g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_REFUSED);
    g_clear_error (&error);
    /* a name that is not a plain account never reaches the server */
    got = tsy_bank_connector_fetch_statement (connector, "../outbox/x", TSY_STATEMENT_KIND_FINAL, tsy_date_today (), NULL, &error);
    g_assert_null (got);
    g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_UNSUPPORTED);
  }
}

/* A server whose host key is not the pinned one: nothing leaves, it is certainly not sent, and
 * the known_hosts file is never changed. */
/* The whole way: the SFTP server's folder is the simulated bank's file gateway
 * (treasury-banksim --share), which reads the outbox, executes, answers and issues statements. */
static void
test_bank_executes (Fixture *f, gconstpointer data)
{
  const char *accounts[] = { RICH ":CNY:1000000.00:ICBKCNBJ", PAYEE ":CNY:0:ICBKCNBJ:深圳市供应商有限公司", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyPaymentInfo) p = NULL;
  g_autoptr(TsyBankConnector) connector = NULL;
  g_autoptr(GBytes) doc = NULL;
  TsySendReport report = { 0 };
  TsyTestBank *bank;
  gint64 id;

  if (f->sshd == NULL)
    return;
  bank = tsy_test_bank_start (accounts, NULL, 120);
  g_assert_nonnull (bank);
  g_free (f->url);
  f->url = g_strdup_printf ("sftp://%s@127.0.0.1:%u%s", g_get_user_name (), f->port, bank->share);
  connect_bank (f, f->client_key, f->known_hosts);
  id = tsy_test_payment_approved (f->store, RICH, PAYEE, 98765);
  g_assert_true (tsy_payment_prepare (f->store, NULL, 0, 0, "sender", &report, &error));
  g_assert_true (tsy_payment_work_outbox (f->store, "sender", &report, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.sent, ==, 1);
  p = tsy_test_payment_wait_answer (f->store, id, 100, 60);
  g_assert_cmpint (p->status, ==, TSY_PAYMENT_EXECUTED);
  /* the bank's own word: executed once */
  g_assert_cmpuint (tsy_test_bank_executions (bank, p->end_to_end_id), ==, 1);
  /* its intraday report over SFTP carries the payment */
  connector = connector_of (f);
  doc = tsy_test_fetch_intraday_naming (connector, RICH, p->end_to_end_id, 100, 10);
  tsy_test_bank_stop (bank);
}

static void
test_host_key_pinned (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyPaymentInfo) p = NULL;
  g_autofree char *before = NULL, *after = NULL, *elsewhere = NULL;
  TsySendReport report = { 0 };
  gint64 id;

  if (f->sshd == NULL)
    return;
  before = read_text (f->wrong_known_hosts);
  connect_bank (f, f->client_key, f->wrong_known_hosts);
  id = tsy_test_payment_approved (f->store, RICH, PAYEE, 500);
  g_assert_true (tsy_payment_prepare (f->store, NULL, 0, 0, "sender", &report, &error));
  g_assert_true (tsy_payment_work_outbox (f->store, "sender", &report, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.retried, ==, 1);
  g_assert_cmpuint (count_files (f, "outbox"), ==, 0);
  p = tsy_test_payment_lookup (f->store, id);
  g_assert_cmpint (p->status, ==, TSY_PAYMENT_SENT);
  {
    g_autoptr(TsyOutboxMessage) msg = tsy_outbox_lookup (f->store, p->msg_id, &error);
    g_autoptr(TsyBankConnector) connector = connector_of (f);
    g_assert_cmpint (msg->state, ==, TSY_OUTBOX_PENDING);
    g_assert_nonnull (strstr (msg->last_error, "host key"));
    g_assert_false (tsy_bank_connector_send_payment (connector, msg->msg_id, msg->document, NULL, NULL, &error));
    g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_TLS);
    g_test_message ("%s", error->message);
    g_clear_error (&error);
  }
  after = read_text (f->wrong_known_hosts);
  g_assert_cmpstr (before, ==, after);

  /* a known_hosts that does not know this host and port at all: refused the same way */
  elsewhere = g_build_filename (f->dir, "elsewhere_known_hosts", NULL);
  {
    g_autofree char *line = NULL;
    g_autofree char *right = read_text (f->known_hosts);
    line = g_strdup_printf ("[127.0.0.1]:%u %s", f->port == 65535 ? 1 : f->port + 1, strchr (right, ' ') + 1);
    write_text (elsewhere, line);
  }
  connect_bank (f, f->client_key, elsewhere);
  g_assert_true (tsy_payment_work_outbox (f->store, "sender", &report, NULL, &error));
  g_assert_cmpuint (count_files (f, "outbox"), ==, 0);
  g_clear_pointer (&after, g_free);
  after = read_text (elsewhere);
  g_assert_null (strstr (after, "\n["));

  /* the bank's real key: it goes, once */
  connect_bank (f, f->client_key, f->known_hosts);
  for (int round = 0; round < 2; round++)
    g_assert_true (tsy_payment_work_outbox (f->store, "sender", &report, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_files (f, "outbox"), ==, 1);
  {
    g_autoptr(TsyOutboxMessage) msg = tsy_outbox_lookup (f->store, p->msg_id, &error);
    g_assert_cmpint (msg->state, ==, TSY_OUTBOX_DELIVERED);
  }
}

/* Our key is not one the server accepts: refused before anything is uploaded. */
static void
test_key_refused (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyBankConnector) connector = NULL;
  g_autoptr(GBytes) doc = g_bytes_new_static ("<Document/>", 11);
  g_autoptr(GBytes) answer = NULL;
  TsyStatusLookup lookup;

  if (f->sshd == NULL)
    return;
  connect_bank (f, f->other_client_key, f->known_hosts);
  connector = connector_of (f);
  g_assert_false (tsy_bank_connector_send_payment (connector, "M1", doc, NULL, NULL, &error));
  g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_TLS);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_cmpuint (count_files (f, "outbox"), ==, 0);
  g_assert_false (tsy_bank_connector_fetch_status (connector, "M1", &lookup, &answer, NULL, &error));
  g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_TLS);
}

/* The server is down: certainly not sent (NETWORK); status and statements fail the same way. */
static void
test_server_down (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyBankConnector) connector = NULL;
  g_autoptr(GBytes) doc = g_bytes_new_static ("<Document/>", 11);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GBytes) statement = NULL;
  TsyStatusLookup lookup;

  if (f->sshd == NULL)
    return;
  /* our key alone, without its .pub beside it: the public half is derived from it */
  {
    g_autofree char *bare = g_build_filename (f->dir, "bare", "id_ed25519", NULL);
    g_autofree char *text = read_text (f->client_key);
    g_autofree char *folder = g_path_get_dirname (bare);
    g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
    g_assert_true (g_file_set_contents_full (bare, text, -1, G_FILE_SET_CONTENTS_NONE, 0600, &error));
    connect_bank (f, bare, f->known_hosts);
  }
  connector = connector_of (f);
  g_assert_true (tsy_bank_connector_send_payment (connector, "M1", doc, NULL, NULL, &error));
  g_assert_no_error (error);
  /* (the open session is served by its own process, which outlives the listener) */
  g_clear_object (&connector);
  stop_sshd (f);
  g_assert_false (port_open (f->port));
  connector = connector_of (f);
  g_assert_false (tsy_bank_connector_send_payment (connector, "M2", doc, NULL, NULL, &error));
  g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_NETWORK);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_false (tsy_bank_connector_fetch_status (connector, "M1", &lookup, &answer, NULL, &error));
  g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_NETWORK);
  g_clear_error (&error);
  statement = tsy_bank_connector_fetch_statement (connector, RICH, TSY_STATEMENT_KIND_FINAL, tsy_date_today (), NULL, &error);
  g_assert_null (statement);
  g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_NETWORK);
  g_assert_cmpuint (count_files (f, "outbox"), ==, 1);
}

typedef struct
{
  GCancellable *cancellable;
  guint         after_ms;
} CancelLater;

static gpointer
cancel_later (gpointer data)
{
  CancelLater *c = data;

  g_usleep (c->after_ms * 1000);
  g_cancellable_cancel (c->cancellable);
  return NULL;
}

/* Cancelled before anything left, or while the server keeps us waiting: it stops at once and
 * nothing was delivered. */
static void
test_cancel (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(GBytes) doc = g_bytes_new_static ("<Document/>", 11);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(TsyBankConnector) connector = NULL;
  g_autoptr(GSocket) silent = NULL;
  g_autofree char *silent_url = NULL;
  TsyStatusLookup lookup;

  if (f->sshd == NULL)
    return;
  connect_bank (f, f->client_key, f->known_hosts);
  connector = connector_of (f);
  g_cancellable_cancel (cancelled);
  g_assert_false (tsy_bank_connector_send_payment (connector, "M1", doc, NULL, cancelled, &error));
  g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_NETWORK);
  g_clear_error (&error);
  g_assert_false (tsy_bank_connector_fetch_status (connector, "M1", &lookup, &answer, cancelled, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (count_files (f, "outbox"), ==, 0);

  /* a server that accepts the connection and never says a word; the time-outs are long */
  {
    g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
    g_autoptr(GSocketAddress) bound = NULL;
    g_autoptr(TsyBankConnector) stuck = NULL;
    TsyBankChannel channel = { .bank_code = "ICBC", .kind = TSY_CHANNEL_SFTP,
                               .key_file = f->client_key, .ca_file = f->known_hosts,
                               .connect_timeout_ms = 60000, .timeout_ms = 60000 };
    silent = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
    g_assert_true (g_socket_bind (silent, any, TRUE, &error));
    g_assert_true (g_socket_listen (silent, &error));
    bound = g_socket_get_local_address (silent, &error);
    g_assert_no_error (error);
    silent_url = g_strdup_printf ("sftp://%s@127.0.0.1:%u%s", g_get_user_name (),
                                  g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)), f->share);
    channel.url = silent_url;
    stuck = tsy_bank_connector_new_for_channel (&channel, &error);
    g_assert_no_error (error);
    for (int round = 0; round < 2; round++)
      {
        g_autoptr(GCancellable) later = g_cancellable_new ();
        CancelLater c = { later, 300 };
        GThread *thread = g_thread_new ("cancel", cancel_later, &c);
        gint64 started = g_get_monotonic_time ();
        if (round == 0)
          {
            g_assert_false (tsy_bank_connector_send_payment (stuck, "M2", doc, NULL, later, &error));
            g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_NETWORK);
          }
        else
          {
            g_assert_false (tsy_bank_connector_fetch_status (stuck, "M2", &lookup, &answer, later, &error));
            g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
          }
        g_clear_error (&error);
        g_assert_cmpint (g_get_monotonic_time () - started, <, 10 * G_USEC_PER_SEC);
        g_thread_join (thread);
      }
    /* the channel's connect time-out bounds the wait for the SSH handshake too */
    g_clear_object (&stuck);
    channel.connect_timeout_ms = 500;
    stuck = tsy_bank_connector_new_for_channel (&channel, &error);
    g_assert_no_error (error);
    {
      gint64 started = g_get_monotonic_time ();
      g_assert_false (tsy_bank_connector_send_payment (stuck, "M3", doc, NULL, NULL, &error));
      g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_NETWORK);
      g_test_message ("%s", error->message);
      g_clear_error (&error);
      g_assert_cmpint (g_get_monotonic_time () - started, <, 10 * G_USEC_PER_SEC);
    }
  }
}

typedef struct
{
  GCancellable *cancellable;
  char         *part;
  gboolean      seen;
} CancelMidway;

/* Cancels as soon as the server has written part of the file. */
static gpointer
cancel_midway (gpointer data)
{
  CancelMidway *c = data;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline && !g_cancellable_is_cancelled (c->cancellable))
    {
      GStatBuf st;
      if (g_stat (c->part, &st) == 0 && st.st_size > 0)
        {
          c->seen = TRUE;
          g_cancellable_cancel (c->cancellable);
          break;
        }
      g_usleep (500);
    }
  return NULL;
}

/* Cancelled in the middle of the upload: the rename is never sent, so nothing is under the name
 * the bank reads, and it is reported as certainly not delivered (sending again is safe). */
static void
test_cancel_mid_upload (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyBankConnector) connector = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *final = NULL;
  gsize size = 64 * 1024 * 1024;
  char *big = g_malloc (size);
  g_autoptr(GBytes) doc = NULL;
  CancelMidway c = { cancellable, NULL, FALSE };
  GThread *thread;

  if (f->sshd == NULL)
    {
      g_free (big);
      return;
    }
  memset (big, 'x', size);
  doc = g_bytes_new_take (big, size);
  connect_bank (f, f->client_key, f->known_hosts);
  connector = connector_of (f);
  c.part = g_build_filename (f->share, "outbox", "MBIG.xml.part", NULL);
  final = g_build_filename (f->share, "outbox", "MBIG.xml", NULL);
  thread = g_thread_new ("cancel", cancel_midway, &c);
  g_assert_false (tsy_bank_connector_send_payment (connector, "MBIG", doc, NULL, cancellable, &error));
  g_cancellable_cancel (cancellable);
  g_thread_join (thread);
  g_assert_true (c.seen);
  g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_NETWORK);
  g_assert_false (g_file_test (final, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* sent again: the whole file, under its name, the partial one replaced */
  g_clear_object (&connector);
  connector = connector_of (f);
  g_assert_true (tsy_bank_connector_send_payment (connector, "MBIG", doc, NULL, NULL, &error));
  g_assert_no_error (error);
  {
    GStatBuf st;
    g_assert_cmpint (g_stat (final, &st), ==, 0);
    g_assert_cmpint (st.st_size, ==, (gint64) size);
    g_assert_false (g_file_test (c.part, G_FILE_TEST_EXISTS));
  }
  g_free (c.part);
}

/* The ledger refuses an sftp channel that could not be verified or authenticated. */
static void
test_channel_validation (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  TsyBankChannel channel = { .bank_code = "ICBC", .kind = TSY_CHANNEL_SFTP, .url = f->url,
                             .key_file = f->client_key, .ca_file = f->known_hosts,
                             .connect_timeout_ms = 1000, .timeout_ms = 1000 };
  g_autofree char *no_user = NULL, *with_password = NULL;

  if (f->sshd == NULL)
    return;
  g_assert_true (tsy_bank_channel_set (f->store, &channel, "test", &error));
  g_assert_no_error (error);
  /* a certificate left over from an https channel means nothing here: none is kept */
  {
    TsyBankChannel with_cert = channel;
    g_autoptr(TsyBankChannel) stored = NULL;
    with_cert.cert_file = f->known_hosts;
    g_assert_true (tsy_bank_channel_set (f->store, &with_cert, "test", &error));
    stored = tsy_bank_channel_lookup (f->store, "ICBC", &error);
    g_assert_no_error (error);
    g_assert_null (stored->cert_file);
    g_assert_cmpstr (stored->key_file, ==, f->client_key);
    g_assert_cmpstr (stored->ca_file, ==, f->known_hosts);
  }

  no_user = g_strdup_printf ("sftp://127.0.0.1:%u%s", f->port, f->share);
  with_password = g_strdup_printf ("sftp://u:secret@127.0.0.1:%u%s", f->port, f->share);
  for (guint i = 0; i < 5; i++)
    {
      TsyBankChannel bad = channel;
      switch (i)
        {
        case 0: bad.url = no_user; break;
        case 1: bad.url = with_password; break;
        case 2: bad.key_file = NULL; break;
        case 3: bad.ca_file = NULL; break;
        default: bad.url = "https://127.0.0.1/share"; break;
        }
      g_assert_false (tsy_bank_channel_set (f->store, &bad, "test", &error));
      g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID);
      g_clear_error (&error);
      /* the connector refuses the same on its own */
      g_assert_null (tsy_bank_connector_new_for_channel (&bad, &error));
      g_assert_nonnull (error);
      g_clear_error (&error);
    }
}

/* `treasury bank connect --kind sftp` on the command line, and `bank status` shows it. */
static char *
cli (const char *db, int expect, const char *const *args)
{
  g_autofree char *err = NULL;
  char *out = tsy_test_cli (db, NULL, expect, &err, args);

  if (expect != 0)
    g_assert_nonnull (strstr (err, "sftp"));
  return out;
}

static void
test_cli (Fixture *f, gconstpointer data)
{
  g_autofree char *db = NULL;
  g_autofree char *status = NULL, *again = NULL, *help = NULL, *no_user = NULL;

  if (f->sshd == NULL)
    return;
  g_assert_nonnull (g_getenv ("TREASURY_BIN"));
  db = g_build_filename (f->dir, "cli.db", NULL);
  g_free (cli (db, 0, (const char *[]) { "init", NULL }));
  g_free (cli (db, 0, (const char *[]) { "bank", "add", "ICBC", "--name", "中国工商银行", NULL }));
  g_free (cli (db, 0, (const char *[]) { "bank", "connect", "ICBC", "--kind", "sftp", "--url", f->url,
                                         "--key", f->client_key, "--ca", f->known_hosts, NULL }));
  status = cli (db, 0, (const char *[]) { "bank", "status", "--json", NULL });
  g_assert_nonnull (strstr (status, "\"kind\":\"sftp\""));
  g_assert_nonnull (strstr (status, f->url));
  /* without a user, or without the known_hosts file: refused, and the channel stays as it was */
  no_user = g_strdup_printf ("sftp://127.0.0.1:%u%s", f->port, f->share);
  g_free (cli (db, 1, (const char *[]) { "bank", "connect", "ICBC", "--kind", "sftp", "--url", no_user,
                                         "--key", f->client_key, "--ca", f->known_hosts, NULL }));
  g_free (cli (db, 1, (const char *[]) { "bank", "connect", "ICBC", "--kind", "sftp", "--url", f->url,
                                         "--key", f->client_key, NULL }));
  g_free (cli (db, 2, (const char *[]) { "bank", "connect", "ICBC", "--kind", "sftp", "--url", f->url,
                                         "--cert", f->client_key, "--key", f->client_key,
                                         "--ca", f->known_hosts, NULL }));
  again = cli (db, 0, (const char *[]) { "bank", "status", "--json", NULL });
  g_assert_cmpstr (again, ==, status);
  help = cli (db, 0, (const char *[]) { "bank", "connect", "--help", NULL });
  g_assert_nonnull (strstr (help, "known_hosts"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/banks/sftp/send-status-statement", test_send_status_statement);
  ADD ("/banks/sftp/bank-executes", test_bank_executes);
  ADD ("/banks/sftp/host-key-pinned", test_host_key_pinned);
  ADD ("/banks/sftp/key-refused", test_key_refused);
  ADD ("/banks/sftp/server-down", test_server_down);
  ADD ("/banks/sftp/cancel", test_cancel);
  ADD ("/banks/sftp/cancel-mid-upload", test_cancel_mid_upload);
  ADD ("/banks/sftp/channel-validation", test_channel_validation);
  ADD ("/banks/sftp/cli", test_cli);
  return g_test_run ();
}
