/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Connectors against treasury-banksim (a real HTTPS server with client certificates, started on
 * 127.0.0.1 by the test) and against a folder: sending, status, duplicates, statements, TLS
 * pinning, the signature header, schema refusals, a tampered payment that never leaves. */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "banks/formats/tsy-pain002.h"
#include "banks/tsy-bank-connector.h"
#include "banks/tsy-bank-error.h"
#include "banks/tsy-payment-sender.h"
#include "banks/tsy-payment-signer.h"
#include "banks/tsy-statement-importer.h"
#include "ledger/tsy-account.h"
#include "ledger/tsy-bank-channel.h"
#include "ledger/tsy-bank.h"
#include "ledger/tsy-ledger-error.h"
#include "ledger/tsy-org.h"
#include "ledger/tsy-outbox.h"
#include "ledger/tsy-payment.h"
#include "ledger/tsy-statement-lines.h"
#include "ledger/tsy-store-private.h"
#include "tsy-test-banksim.h"
#include "tsy-test-payments.h"

#define RICH "0200001209000123456"
#define POOR "0200001209000999888"
#define PAYEE "4000023009200012345"     /* an account of the simulated bank too */

typedef struct
{
  TsyTestBank *bank;
  char        *dir;
  TsyStore    *store;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  const char *accounts[] = { RICH ":CNY:1000000.00:ICBKCNBJ", POOR ":CNY:100.00:ICBKCNBJ",
                             PAYEE ":CNY:0:ICBKCNBJ:深圳市供应商有限公司", NULL };

  f->bank = tsy_test_bank_start (accounts, NULL, 120);
  if (f->bank == NULL)
    return;
  f->dir = g_dir_make_tmp ("tsy-banksim-db-XXXXXX", NULL);
  f->store = tsy_test_payment_store (f->dir, (const char *const[]) { RICH, POOR, NULL });
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->store);
  tsy_test_bank_stop (f->bank);
  if (f->dir != NULL)
    tsy_test_remove_tree (f->dir);
  g_free (f->dir);
}

static void
connect_bank (Fixture *f, const char *ca, const char *cert, const char *key)
{
  g_autoptr(GError) error = NULL;
  TsyBankChannel channel = { .bank_code = "ICBC", .kind = TSY_CHANNEL_HTTPS, .url = f->bank->url,
                             .cert_file = (char *) cert, .key_file = (char *) key, .ca_file = (char *) ca,
                             .connect_timeout_ms = 2000, .timeout_ms = 5000 };

  g_assert_true (tsy_bank_channel_set (f->store, &channel, "test", &error));
  g_assert_no_error (error);
}

/* The simulator's statements are valid camt (the schemas of the shared corpus). */
static void
validate_camt (GBytes *doc, const char *xsd_name)
{
  const char *corpus = g_getenv ("TSY_CORPUS_DIR");
  g_autofree char *xsd = g_build_filename (corpus, "xsd", xsd_name, NULL);
  g_autofree char *dir = g_dir_make_tmp ("tsy-camt-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "doc.xml", NULL);
  g_autofree char *err = NULL;
  const char *argv[] = { "xmllint", "--noout", "--schema", xsd, file, NULL };
  int status = 0;

  if (g_find_program_in_path ("xmllint") == NULL)
    return;
  g_assert_true (g_file_set_contents (file, g_bytes_get_data (doc, NULL), (gssize) g_bytes_get_size (doc), NULL));
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                               NULL, NULL, NULL, &err, &status, NULL));
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s does not validate: %s", xsd_name, err);
  g_unlink (file);
  g_rmdir (dir);
}

static void
test_send_status_statement (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  TsySendReport report = { 0 };
  gint64 ok_id, poor_id;
  g_autoptr(TsyPaymentInfo) ok = NULL;
  g_autoptr(TsyPaymentInfo) poor = NULL;
  g_autoptr(TsyBankChannel) channel = NULL;
  g_autoptr(TsyBankConnector) connector = NULL;
  g_autoptr(TsyOutboxMessage) msg = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GBytes) statement = NULL;
  TsyStatusLookup lookup;

  if (f->bank == NULL)
    return;
  connect_bank (f, f->bank->ca, f->bank->client_cert, f->bank->client_key);
  ok_id = tsy_test_payment_approved (f->store, RICH, PAYEE, 1234567);
  poor_id = tsy_test_payment_approved (f->store, POOR, PAYEE, 20000);          /* 200.00 from an account holding 100.00 */

  g_assert_true (tsy_payment_prepare (f->store, NULL, 0, 0, "sender", &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.prepared, ==, 2);
  g_assert_cmpuint (report.messages, ==, 1);
  g_assert_true (tsy_payment_work_outbox (f->store, "sender", &report, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.sent, ==, 1);
  g_assert_cmpuint (report.unknown, ==, 0);

  ok = tsy_test_payment_lookup (f->store, ok_id);
  poor = tsy_test_payment_lookup (f->store, poor_id);
  g_assert_cmpint (ok->status, ==, TSY_PAYMENT_EXECUTED);
  g_assert_cmpstr (ok->bank_status, ==, "ACSC");
  g_assert_cmpint (poor->status, ==, TSY_PAYMENT_REJECTED);
  g_assert_nonnull (strstr (poor->status_reason, "AM04"));
  g_assert_cmpuint (tsy_test_bank_executions (f->bank, ok->end_to_end_id), ==, 1);
  g_assert_cmpuint (tsy_test_bank_executions (f->bank, poor->end_to_end_id), ==, 0);

  /* the same MsgId again is a duplicate: the first answer, nothing executed twice */
  channel = tsy_bank_channel_lookup (f->store, "ICBC", &error);
  connector = tsy_bank_connector_new_for_channel (channel, &error);
  g_assert_no_error (error);
  msg = tsy_outbox_lookup (f->store, ok->msg_id, &error);
  g_assert_true (tsy_bank_connector_send_payment (connector, msg->msg_id, msg->document, &answer, NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr(TsyStatusReport) r = tsy_pain002_parse (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), "dup", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (r->orig_msg_id, ==, msg->msg_id);
    g_assert_cmpstr (r->group_status, ==, "PART");
  }
  g_assert_cmpuint (tsy_test_bank_executions (f->bank, ok->end_to_end_id), ==, 1);

  /* status: known, and "never received" only for what it never got */
  g_clear_pointer (&answer, g_bytes_unref);
  g_assert_true (tsy_bank_connector_fetch_status (connector, msg->msg_id, &lookup, &answer, NULL, &error));
  g_assert_cmpint (lookup, ==, TSY_STATUS_FOUND);
  g_clear_pointer (&answer, g_bytes_unref);
  g_assert_true (tsy_bank_connector_fetch_status (connector, "M20260101000000NEVERSENT", &lookup, &answer, NULL, &error));
  g_assert_cmpint (lookup, ==, TSY_STATUS_NEVER_RECEIVED);
  g_assert_null (answer);

  /* the day's camt.053 carries the payment with its end-to-end id and imports */
  statement = tsy_bank_connector_fetch_statement (connector, RICH, TSY_STATEMENT_KIND_FINAL, tsy_date_today (), NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (statement, NULL), (gssize) g_bytes_get_size (statement), ok->end_to_end_id));
  validate_camt (statement, "genkgo_camt_camt.053.001.08.xsd");
  {
    g_autoptr(GBytes) intraday = tsy_bank_connector_fetch_statement (connector, RICH, TSY_STATEMENT_KIND_INTRADAY,
                                                                     tsy_date_today (), NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (g_strstr_len (g_bytes_get_data (intraday, NULL), (gssize) g_bytes_get_size (intraday), "BkToCstmrAcctRpt"));
    validate_camt (intraday, "genkgo_camt_camt.052.001.08.xsd");
  }
  {
    g_autofree char *path = g_build_filename (f->dir, "camt053.xml", NULL);
    TsyImportOptions options = { 0 };
    TsyImportResult result = { 0 };
    guint64 n = 0;
    TsyLineFilter filter = { .account = RICH };
    g_assert_true (g_file_set_contents (path, g_bytes_get_data (statement, NULL), (gssize) g_bytes_get_size (statement), NULL));
    g_assert_true (tsy_statement_import_file (f->store, path, &options, &result, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (result.new_lines, ==, 1);
    tsy_import_result_clear (&result);
    g_assert_true (tsy_lines_count (f->store, &filter, &n, &error));
    g_assert_cmpuint (n, ==, 1);
  }
  /* the channel's health is recorded */
  {
    g_autoptr(TsyBankChannel) after = tsy_bank_channel_lookup (f->store, "ICBC", &error);
    g_assert_nonnull (after->last_success_at);
    g_assert_cmpint (after->latency_ms, >=, 0);
  }
}

static void
test_tls_is_pinned (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  TsySendReport report = { 0 };
  gint64 id;
  g_autoptr(TsyPaymentInfo) p = NULL;
  g_autoptr(TsyBankChannel) channel = NULL;

  if (f->bank == NULL)
    return;
  /* Trusting another CA than the bank's: the handshake fails, nothing leaves, it waits. */
  connect_bank (f, f->bank->other_ca, f->bank->client_cert, f->bank->client_key);
  id = tsy_test_payment_approved (f->store, RICH, PAYEE, 500);
  g_assert_true (tsy_payment_prepare (f->store, NULL, 0, 0, "sender", &report, &error));
  g_assert_true (tsy_payment_work_outbox (f->store, "sender", &report, NULL, &error));
  g_assert_no_error (error);
  p = tsy_test_payment_lookup (f->store, id);
  g_assert_cmpint (p->status, ==, TSY_PAYMENT_SENT);
  {
    g_autoptr(TsyOutboxMessage) msg = tsy_outbox_lookup (f->store, p->msg_id, &error);
    g_assert_cmpint (msg->state, ==, TSY_OUTBOX_PENDING);
    g_assert_nonnull (msg->last_error);
  }
  channel = tsy_bank_channel_lookup (f->store, "ICBC", &error);
  g_assert_nonnull (channel->last_error);
  g_assert_cmpuint (tsy_test_bank_executions (f->bank, p->end_to_end_id), ==, 0);

  /* A client certificate the bank's CA never signed: refused by the bank; executed nothing. */
  connect_bank (f, f->bank->ca, f->bank->other_cert, f->bank->other_key);
  g_assert_true (tsy_payment_work_outbox (f->store, "sender", &report, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tsy_test_bank_executions (f->bank, p->end_to_end_id), ==, 0);
  g_clear_pointer (&p, tsy_payment_info_free);
  p = tsy_test_payment_lookup (f->store, id);
  g_assert_cmpint (p->status, ==, TSY_PAYMENT_SENT);

  /* The right certificates: it goes, once. */
  connect_bank (f, f->bank->ca, f->bank->client_cert, f->bank->client_key);
  for (int round = 0; round < 3; round++)
    g_assert_true (tsy_payment_work_outbox (f->store, "sender", &report, NULL, &error));
  g_clear_pointer (&p, tsy_payment_info_free);
  p = tsy_test_payment_lookup (f->store, id);
  g_assert_cmpint (p->status, ==, TSY_PAYMENT_EXECUTED);
  g_assert_cmpuint (tsy_test_bank_executions (f->bank, p->end_to_end_id), ==, 1);
}

static void
test_bank_refusals (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyBankChannel) channel = NULL;
  g_autoptr(TsyBankConnector) connector = NULL;
  g_autoptr(GBytes) answer = NULL;
  static const char bad_xml[] = "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.09\">"
                                "<CstmrCdtTrfInitn><GrpHdr><MsgId>BAD1</MsgId></GrpHdr>"
                                "</CstmrCdtTrfInitn></Document>";
  g_autoptr(GBytes) bad = g_bytes_new_static (bad_xml, sizeof bad_xml - 1);
  long status = 0;
  g_autofree char *text = NULL;

  if (f->bank == NULL)
    return;
  connect_bank (f, f->bank->ca, f->bank->client_cert, f->bank->client_key);
  channel = tsy_bank_channel_lookup (f->store, "ICBC", &error);
  connector = tsy_bank_connector_new_for_channel (channel, &error);
  g_assert_no_error (error);

  /* not valid against the schema: refused with a pain.002 RJCT */
  g_assert_false (tsy_bank_connector_send_payment (connector, "BAD1", bad, &answer, NULL, &error));
  g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_REFUSED);
  g_clear_error (&error);
  g_assert_nonnull (answer);
  {
    g_autoptr(TsyStatusReport) r = tsy_pain002_parse (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), "a", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (r->group_status, ==, "RJCT");
    g_assert_nonnull (strstr (r->group_reason, "FF01"));
  }
  /* a file without our signature header (or with a wrong one) is refused */
  text = tsy_test_bank_request (f->bank, "/pain001", "<Document/>", &status);
  g_assert_cmpint (status, ==, 403);
  g_assert_nonnull (strstr (text, "signature"));
}

static void
test_tampered_never_leaves (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  TsySendReport report = { 0 };
  gint64 id;
  g_autoptr(TsyPaymentInfo) p = NULL;

  if (f->bank == NULL)
    return;
  connect_bank (f, f->bank->ca, f->bank->client_cert, f->bank->client_key);
  id = tsy_test_payment_approved (f->store, RICH, PAYEE, 100000);
  /* behind the program's back: the trigger dropped, the amount raised */
  g_assert_true (tsy_store_exec (f->store, "DROP TRIGGER payment_content_frozen", &error));
  g_assert_true (tsy_store_exec (f->store, "UPDATE payment SET amount_minor = 99900000", &error));
  g_assert_true (tsy_payment_prepare (f->store, NULL, 0, 0, "sender", &report, &error));
  g_assert_true (tsy_payment_work_outbox (f->store, "sender", &report, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.failed_signature, ==, 1);
  g_assert_cmpuint (report.messages, ==, 0);
  p = tsy_test_payment_lookup (f->store, id);
  g_assert_cmpint (p->status, ==, TSY_PAYMENT_FAILED);
  g_assert_nonnull (strstr (p->status_reason, "changed after"));
  g_assert_cmpuint (tsy_test_bank_executions (f->bank, p->end_to_end_id), ==, 0);
}

static void
test_folder_channel (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *share = NULL;
  g_autofree char *outbox_file = NULL;
  TsySendReport report = { 0 };
  TsyBankChannel channel = { .bank_code = "ICBC", .kind = TSY_CHANNEL_FOLDER,
                             .connect_timeout_ms = 1000, .timeout_ms = 1000 };
  g_autoptr(TsyPaymentInfo) p = NULL;
  gint64 id;

  if (f->bank == NULL)
    return;
  share = g_build_filename (f->dir, "share", NULL);
  g_assert_cmpint (g_mkdir (share, 0700), ==, 0);
  channel.url = share;
  g_assert_true (tsy_bank_channel_set (f->store, &channel, "test", &error));
  id = tsy_test_payment_approved (f->store, RICH, PAYEE, 777);
  g_assert_true (tsy_payment_prepare (f->store, NULL, 0, 0, "sender", &report, &error));
  g_assert_true (tsy_payment_work_outbox (f->store, "sender", &report, NULL, &error));
  g_assert_no_error (error);
  p = tsy_test_payment_lookup (f->store, id);
  outbox_file = g_strdup_printf ("%s/outbox/%s.xml", share, p->msg_id);
  g_assert_true (g_file_test (outbox_file, G_FILE_TEST_IS_REGULAR));
  {
    g_autoptr(TsyOutboxMessage) msg = tsy_outbox_lookup (f->store, p->msg_id, &error);
    g_assert_cmpint (msg->state, ==, TSY_OUTBOX_DELIVERED);
  }
  /* the bank's gateway answers in the inbox */
  {
    g_autoptr(TsyStatusReport) r = tsy_status_report_new ();
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(GBytes) doc = NULL;
    g_autofree char *inbox_file = g_strdup_printf ("%s/inbox/answer-1.xml", share);
    r->orig_msg_id = g_strdup (p->msg_id);
    tsy_status_report_add_tx (r, p->end_to_end_id, "ACSC", NULL);
    doc = tsy_pain002_write (r, now);
    g_assert_true (g_file_set_contents (inbox_file, g_bytes_get_data (doc, NULL), (gssize) g_bytes_get_size (doc), NULL));
  }
  g_assert_true (tsy_payment_work_outbox (f->store, "sender", &report, NULL, &error));
  g_clear_pointer (&p, tsy_payment_info_free);
  p = tsy_test_payment_lookup (f->store, id);
  g_assert_cmpint (p->status, ==, TSY_PAYMENT_EXECUTED);
}

/* A folder channel on the simulated bank's own file gateway (treasury-banksim --share): the bank
 * reads the outbox, executes, answers in the inbox and issues statements there. */
static void
test_share_gateway (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  TsySendReport report = { 0 };
  TsyBankChannel channel = { .bank_code = "ICBC", .kind = TSY_CHANNEL_FOLDER,
                             .connect_timeout_ms = 1000, .timeout_ms = 1000 };
  g_autoptr(TsyPaymentInfo) p = NULL;
  g_autofree char *processed = NULL;
  gint64 id, poor_id;

  if (f->bank == NULL)
    return;
  channel.url = f->bank->share;
  g_assert_true (tsy_bank_channel_set (f->store, &channel, "test", &error));
  id = tsy_test_payment_approved (f->store, RICH, PAYEE, 4321);
  poor_id = tsy_test_payment_approved (f->store, POOR, PAYEE, 50000);        /* 500.00 from 100.00: the bank rejects it */
  g_assert_true (tsy_payment_prepare (f->store, NULL, 0, 0, "sender", &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.messages, ==, 1);
  g_assert_true (tsy_payment_work_outbox (f->store, "sender", &report, NULL, &error));
  g_assert_no_error (error);
  p = tsy_test_payment_lookup (f->store, id);
  g_assert_cmpint (p->status, ==, TSY_PAYMENT_SENT);
  processed = g_strdup_printf ("%s/processed/%s.xml", f->bank->share, p->msg_id);
  /* the gateway polls every 50 ms; asking again meanwhile resends nothing */
  g_clear_pointer (&p, tsy_payment_info_free);
  p = tsy_test_payment_wait_answer (f->store, id, 50, 60);
  g_assert_cmpint (p->status, ==, TSY_PAYMENT_EXECUTED);
  g_assert_true (g_file_test (processed, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (tsy_test_bank_executions (f->bank, p->end_to_end_id), ==, 1);
  {
    g_autoptr(TsyPaymentInfo) poor = tsy_test_payment_lookup (f->store, poor_id);
    g_assert_cmpint (poor->status, ==, TSY_PAYMENT_REJECTED);
    g_assert_cmpuint (tsy_test_bank_executions (f->bank, poor->end_to_end_id), ==, 0);
  }
  /* the intraday statement in the inbox carries the payment, and is valid camt.052 */
  {
    g_autoptr(TsyBankChannel) stored = tsy_bank_channel_lookup (f->store, "ICBC", &error);
    g_autoptr(TsyBankConnector) connector = tsy_bank_connector_new_for_channel (stored, &error);
    g_autoptr(GBytes) doc = NULL;

    g_assert_no_error (error);
    /* refreshed after the batch: wait for the file that names the payment */
    doc = tsy_test_fetch_intraday_naming (connector, RICH, p->end_to_end_id, 50, 10);
    validate_camt (doc, "genkgo_camt_camt.052.001.08.xsd");
    g_clear_pointer (&doc, g_bytes_unref);
    doc = tsy_bank_connector_fetch_statement (connector, RICH, TSY_STATEMENT_KIND_FINAL,
                                              tsy_date_add_days (tsy_date_today (), -1), NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (doc);
  }
}

typedef struct
{
  GError  *error;
  guint    approved;
  gboolean done;
} AsyncResult;

static void
on_approved_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AsyncResult *r = user_data;

  tsy_payment_sign_approve_finish (TSY_STORE (source), result, &r->approved, &r->error);
  r->done = TRUE;
}

static void
test_approve_async (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  TsyPaymentSpec spec = { .debtor_account = RICH, .creditor_name = "甲", .creditor_account = PAYEE,
                          .amount_minor = 100, .currency = "CNY", .execution_date = tsy_date_today () };
  AsyncResult wrong = { 0 }, right = { 0 };
  gint64 ids[2];

  if (f->bank == NULL)
    return;
  for (guint i = 0; i < 2; i++)
    {
      spec.amount_minor = 100 + i;
      ids[i] = tsy_payment_create (f->store, &spec, "mia", &error);
      g_assert_true (tsy_payment_submit (f->store, ids[i], "mia", &error));
      g_assert_no_error (error);
    }
  /* a wrong passphrase approves nothing */
  tsy_payment_sign_approve_async (f->store, ids, 2, "ada", "wrong passphrase", NULL, on_approved_cb, &wrong);
  while (!wrong.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (wrong.error, TSY_BANK_ERROR, TSY_BANK_ERROR_PASSPHRASE);
  g_clear_error (&wrong.error);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(TsyPaymentInfo) p = tsy_test_payment_lookup (f->store, ids[i]);
      g_assert_cmpint (p->status, ==, TSY_PAYMENT_SUBMITTED);
    }
  /* the right one approves both, on a worker thread */
  tsy_payment_sign_approve_async (f->store, ids, 2, "ada", "approver passphrase", NULL, on_approved_cb, &right);
  while (!right.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (right.error);
  g_assert_cmpuint (right.approved, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(TsyPaymentInfo) p = tsy_test_payment_lookup (f->store, ids[i]);
      g_assert_cmpint (p->status, ==, TSY_PAYMENT_APPROVED);
    }
}

/* ---- The whole way on the command line ------------------------------------------------- */

#define CLI(db, ...) g_free (tsy_test_cli ((db), NULL, 0, NULL, (const char *[]) { __VA_ARGS__, NULL }))
#define CLI_IN(db, input, ...) g_free (tsy_test_cli ((db), (input), 0, NULL, (const char *[]) { __VA_ARGS__, NULL }))
#define CLI_OUT(db, ...) tsy_test_cli ((db), NULL, 0, NULL, (const char *[]) { __VA_ARGS__, NULL })

static JsonNode *
parse_json (char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *owned = text;
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, owned, -1, &error));
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
test_cli_end_to_end (Fixture *f, gconstpointer data)
{
  g_autofree char *db = NULL;
  g_autofree char *day = tsy_date_to_iso (tsy_date_today ());
  g_autofree char *id = NULL;
  g_autofree char *e2e = NULL;
  g_autoptr(JsonNode) status = NULL;
  g_autoptr(JsonNode) sent = NULL;
  g_autoptr(JsonNode) banks = NULL;
  g_autoptr(JsonNode) recon = NULL;
  JsonObject *p;

  if (f->bank == NULL)
    return;
  if (g_getenv ("TREASURY_BIN") == NULL)
    {
      g_test_skip ("TREASURY_BIN is not set");
      return;
    }
  db = g_build_filename (f->dir, "cli.db", NULL);
  CLI (db, "init");
  CLI (db, "org", "add", "G", "--name", "华夏控股集团有限公司");
  CLI (db, "bank", "add", "ICBC", "--name", "中国工商银行", "--bic", "ICBKCNBJ");
  CLI (db, "account", "add", RICH, "--org", "G", "--bank", "ICBC", "--currency", "CNY");
  CLI_IN (db, "admin pass 1\n", "user", "add", "root", "--role", "admin", "--passphrase-fd", "0");
  CLI_IN (db, "maker pass 1\n", "user", "add", "mia", "--role", "maker", "--passphrase-fd", "0");
  CLI_IN (db, "approver pass 1\n", "user", "add", "ada", "--role", "approver", "--passphrase-fd", "0");
  CLI_IN (db, "approver pass 2\n", "user", "add", "alan", "--role", "approver", "--passphrase-fd", "0");
  CLI (db, "policy", "set", "G", "--up-to", "100000000", "CNY", "--approvals", "2", "--user", "root");
  CLI (db, "bank", "connect", "ICBC", "--kind", "https", "--url", f->bank->url, "--cert", f->bank->client_cert,
       "--key", f->bank->client_key, "--ca", f->bank->ca, "--timeout", "5", "--user", "root");

  /* made, approved by two people, sent */
  id = CLI_OUT (db, "pay", "new", "--from", RICH, "--to-name", "深圳市供应商有限公司", "--to-account", PAYEE,
                "--to-bank", "中国工商银行深圳分行", "--amount", "88888.88", "--currency", "CNY", "--date", day,
                "--text", "INV-2026-004512 货款", "--user", "mia");
  g_strstrip (id);
  CLI (db, "pay", "submit", id, "--user", "mia");
  g_free (tsy_test_cli (db, "maker pass 1\n", 1, NULL, (const char *[]) { "pay", "approve", id, "--user", "mia", "--passphrase-fd", "0", NULL }));
  CLI_IN (db, "approver pass 1\n", "pay", "approve", id, "--user", "ada", "--passphrase-fd", "0");
  CLI_IN (db, "approver pass 2\n", "pay", "approve", id, "--user", "alan", "--passphrase-fd", "0");
  sent = parse_json (CLI_OUT (db, "pay", "send", "--all", "--json"));
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (sent), "prepared"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (sent), "unknown"), ==, 0);

  /* back executed */
  status = parse_json (CLI_OUT (db, "pay", "status", "--json"));
  p = json_array_get_object_element (json_node_get_array (status), 0);
  g_assert_cmpstr (json_object_get_string_member (p, "status"), ==, "executed");
  g_assert_cmpstr (json_object_get_string_member (p, "bank_status"), ==, "ACSC");
  g_assert_cmpint (json_object_get_int_member (p, "approvals"), ==, 2);
  e2e = g_strdup (json_object_get_string_member (p, "end_to_end_id"));
  g_assert_cmpuint (tsy_test_bank_executions (f->bank, e2e), ==, 1);

  /* the channel's health */
  banks = parse_json (CLI_OUT (db, "bank", "status", "--json"));
  p = json_array_get_object_element (json_node_get_array (banks), 0);
  g_assert_cmpstr (json_object_get_string_member (p, "bank"), ==, "ICBC");
  g_assert_true (json_object_get_boolean_member (p, "open"));
  g_assert_nonnull (json_object_get_string_member (p, "last_success"));

  /* the statement carries it; reconciliation pairs the bank's line with the payment's book entry */
  CLI (db, "bank", "fetch", "ICBC", "--account", RICH);
  recon = parse_json (CLI_OUT (db, "reconcile", "--account", RICH, "--json"));
  {
    JsonArray *matched = json_object_get_array_member (json_node_get_object (recon), "matched");
    gboolean found = FALSE;
    for (guint i = 0; i < json_array_get_length (matched); i++)
      {
        JsonArray *book = json_object_get_array_member (json_array_get_object_element (matched, i), "book");
        for (guint k = 0; k < json_array_get_length (book); k++)
          found |= g_strcmp0 (json_array_get_string_element (book, k), e2e) == 0;
      }
    g_assert_true (found);
  }

  /* closed channel: nothing leaves; reopened: it goes */
  CLI (db, "bank", "close", "ICBC");
  {
    g_autofree char *id2 = CLI_OUT (db, "pay", "new", "--from", RICH, "--to-name", "乙公司", "--to-account", PAYEE,
                                    "--amount", "1.00", "--currency", "CNY", "--date", day, "--user", "mia");
    g_autoptr(JsonNode) again = NULL;
    g_strstrip (id2);
    CLI (db, "pay", "submit", id2, "--user", "mia");
    CLI_IN (db, "approver pass 1\n", "pay", "approve", id2, "--user", "ada", "--passphrase-fd", "0");
    CLI_IN (db, "approver pass 2\n", "pay", "approve", id2, "--user", "alan", "--passphrase-fd", "0");
    again = parse_json (CLI_OUT (db, "pay", "send", "--all", "--json"));
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (again), "waiting_channel"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (again), "prepared"), ==, 0);
    CLI (db, "bank", "open", "ICBC");
    g_clear_pointer (&again, json_node_unref);
    again = parse_json (CLI_OUT (db, "pay", "send", id2, "--json"));
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (again), "prepared"), ==, 1);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/banks/banksim/send-status-statement", test_send_status_statement);
  ADD ("/banks/banksim/tls-is-pinned", test_tls_is_pinned);
  ADD ("/banks/banksim/refusals", test_bank_refusals);
  ADD ("/banks/banksim/tampered-never-leaves", test_tampered_never_leaves);
  ADD ("/banks/banksim/folder-channel", test_folder_channel);
  ADD ("/banks/banksim/share-gateway", test_share_gateway);
  ADD ("/banks/banksim/cli-end-to-end", test_cli_end_to_end);
  ADD ("/banks/banksim/approve-async", test_approve_async);
  return g_test_run ();
}
