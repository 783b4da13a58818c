/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The https connector over the replay transport: exchanges recorded from treasury-banksim
 * (tests/data/banks/banksim/) and its scripted failures, no network and no simulator. What is
 * checked is the connector's reading of each outcome, which exactly-once sending rests on:
 * accepted, refused, not sent (retried, safe), unknown (never sent again), and the status and
 * statement questions.
 */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "banks/formats/tsy-pain002.h"
#include "banks/formats/tsy-statement-format.h"
#include "banks/https/tsy-https-connector-private.h"
#include "banks/tsy-bank-error.h"
#include "banks/tsy-http-transport.h"
#include "ledger/tsy-bank-channel.h"
#include "tsy-test-banksim.h"

#define RICH "0200001209000123456"

typedef struct
{
  char             *dir;          /* the client key (made now: no private key is committed) */
  char             *fixtures;
  TsyBankChannel    channel;
  TsyHttpTransport *replay;
  TsyBankConnector *connector;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  TsyBankChannel channel = { .bank_code = "ICBC", .kind = TSY_CHANNEL_HTTPS, .url = "https://127.0.0.1:8443/",
                             .connect_timeout_ms = 1000, .timeout_ms = 1000 };

  if (g_find_program_in_path ("openssl") == NULL)
    {
      g_test_skip ("openssl is missing (it makes the client key)");
      return;
    }
  f->dir = g_dir_make_tmp ("tsy-https-replay-XXXXXX", NULL);
  tsy_test_openssl (f->dir, (const char *const[]) { "genpkey", "-algorithm", "EC", "-pkeyopt",
                                                    "ec_paramgen_curve:P-256", "-out", "client.key", NULL });
  channel.key_file = g_build_filename (f->dir, "client.key", NULL);
  /* the replay transport never opens them */
  channel.cert_file = g_build_filename (f->dir, "client.pem", NULL);
  channel.ca_file = g_build_filename (f->dir, "ca.pem", NULL);
  f->channel = channel;
  f->fixtures = g_test_build_filename (G_TEST_DIST, "data", "banks", "banksim", NULL);
  f->replay = tsy_replay_transport_new (f->fixtures, &error);
  g_assert_no_error (error);
  f->connector = tsy_https_connector_new_with_transport (&f->channel, f->replay, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->connector);
  g_clear_object (&f->replay);
  if (f->dir != NULL)
    tsy_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->fixtures);
  g_free (f->channel.key_file);
  g_free (f->channel.cert_file);
  g_free (f->channel.ca_file);
}

/* What was sent when the exchange was recorded: the pain.001 the simulator validated. */
static GBytes *
recorded_document (Fixture *f, const char *exchange)
{
  g_autofree char *name = g_strconcat (exchange, ".request.xml", NULL);
  g_autofree char *path = g_build_filename (f->fixtures, name, NULL);
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &data, &len, &error));
  g_assert_no_error (error);
  return g_bytes_new_take (data, len);
}

static TsyStatusReport *
parse_pain002 (GBytes *answer)
{
  g_autoptr(GError) error = NULL;
  TsyStatusReport *r;

  g_assert_nonnull (answer);
  r = tsy_pain002_parse (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), "answer", &error);
  g_assert_no_error (error);
  return r;
}

static void
test_send_accepted (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) doc = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyStatusReport) r = NULL;
  TsyTxStatus *tx;

  if (f->connector == NULL)
    return;
  doc = recorded_document (f, "send-accepted");
  g_assert_true (tsy_bank_connector_send_payment (f->connector, "MREPLAYACCEPTED", doc, &answer, NULL, &error));
  g_assert_no_error (error);
  r = parse_pain002 (answer);
  g_assert_cmpstr (r->orig_msg_id, ==, "MREPLAYACCEPTED");
  g_assert_cmpstr (r->group_status, ==, "ACSC");
  g_assert_cmpuint (r->txs->len, ==, 1);
  tx = g_ptr_array_index (r->txs, 0);
  g_assert_cmpstr (tx->end_to_end_id, ==, "E2EREPLAYACCEPTED");
  g_assert_cmpstr (tx->status, ==, "ACSC");
  g_assert_cmpuint (tsy_replay_transport_get_uses (f->replay, "send-accepted"), ==, 1);
  g_assert_cmpuint (tsy_replay_transport_get_requests (f->replay), ==, 1);
}

static void
test_send_refused (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) doc = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyStatusReport) r = NULL;

  if (f->connector == NULL)
    return;
  doc = recorded_document (f, "send-refused");
  g_assert_false (tsy_bank_connector_send_payment (f->connector, "MREPLAYREFUSED", doc, &answer, NULL, &error));
  g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "422"));
  /* the bank's reason comes with the refusal */
  r = parse_pain002 (answer);
  g_assert_cmpstr (r->orig_msg_id, ==, "MREPLAYREFUSED");
  g_assert_cmpstr (r->group_status, ==, "RJCT");
  g_assert_nonnull (r->group_reason);
  g_assert_nonnull (strstr (r->group_reason, "NARR"));
  /* an answer is an answer: never asked twice */
  g_assert_cmpuint (tsy_replay_transport_get_uses (f->replay, "send-refused"), ==, 1);
}

/* Nothing left us: the connector tries again (it is safe) and then says NETWORK / TLS, which
 * the sender reads as "send again later". */
static void
test_send_not_sent (Fixture *f, gconstpointer data)
{
  static const struct { const char *exchange, *msg_id; int code; } cases[] = {
    { "send-connect-failed", "MREPLAYNOCONNECT", TSY_BANK_ERROR_NETWORK },
    { "send-tls-failed", "MREPLAYBADTLS", TSY_BANK_ERROR_TLS },
  };

  if (f->connector == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) doc = recorded_document (f, cases[i].exchange);
      g_autoptr(GBytes) answer = NULL;
      g_autoptr(GError) error = NULL;
      guint before = tsy_replay_transport_get_requests (f->replay);

      g_assert_false (tsy_bank_connector_send_payment (f->connector, cases[i].msg_id, doc, &answer, NULL, &error));
      g_assert_error (error, TSY_BANK_ERROR, cases[i].code);
      g_assert_null (answer);
      g_assert_cmpuint (tsy_replay_transport_get_uses (f->replay, cases[i].exchange), ==, 3);
      g_assert_cmpuint (tsy_replay_transport_get_requests (f->replay) - before, ==, 3);
    }
}

/* It may have arrived: UNKNOWN_OUTCOME after exactly one attempt, never a second send. */
static void
test_send_unknown (Fixture *f, gconstpointer data)
{
  static const struct { const char *exchange, *msg_id; } cases[] = {
    { "send-timeout", "MREPLAYTIMEOUT0" },
    { "send-5xx", "MREPLAY5XX" },
    { "send-dropped", "MREPLAYDROPPED" },
  };

  if (f->connector == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) doc = recorded_document (f, cases[i].exchange);
      g_autoptr(GBytes) answer = NULL;
      g_autoptr(GError) error = NULL;
      guint before = tsy_replay_transport_get_requests (f->replay);

      g_assert_false (tsy_bank_connector_send_payment (f->connector, cases[i].msg_id, doc, &answer, NULL, &error));
      g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_UNKNOWN_OUTCOME);
      g_assert_nonnull (strstr (error->message, "status will be asked"));
      g_assert_null (answer);
      g_assert_cmpuint (tsy_replay_transport_get_uses (f->replay, cases[i].exchange), ==, 1);
      g_assert_cmpuint (tsy_replay_transport_get_requests (f->replay) - before, ==, 1);
    }
}

static void
test_fetch_status (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) answer = NULL;
  TsyStatusLookup lookup = TSY_STATUS_NEVER_RECEIVED;

  if (f->connector == NULL)
    return;
  /* FOUND, with the pain.002 */
  g_assert_true (tsy_bank_connector_fetch_status (f->connector, "MREPLAYACCEPTED", &lookup, &answer, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (lookup, ==, TSY_STATUS_FOUND);
  {
    g_autoptr(TsyStatusReport) r = parse_pain002 (answer);
    g_assert_cmpstr (r->orig_msg_id, ==, "MREPLAYACCEPTED");
    g_assert_cmpstr (r->group_status, ==, "ACSC");
  }
  /* NOT_YET: the bank has it (it was still working on it after the time-out) */
  g_clear_pointer (&answer, g_bytes_unref);
  lookup = TSY_STATUS_NEVER_RECEIVED;
  g_assert_true (tsy_bank_connector_fetch_status (f->connector, "MREPLAYTIMEOUT0", &lookup, &answer, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (lookup, ==, TSY_STATUS_NOT_YET);
  g_assert_null (answer);
  /* NEVER_RECEIVED: the bank says so explicitly */
  lookup = TSY_STATUS_FOUND;
  g_assert_true (tsy_bank_connector_fetch_status (f->connector, "MREPLAYNEVERSENT", &lookup, &answer, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (lookup, ==, TSY_STATUS_NEVER_RECEIVED);
  g_assert_null (answer);
  /* a bare 404 proves nothing */
  lookup = TSY_STATUS_FOUND;
  g_assert_false (tsy_bank_connector_fetch_status (f->connector, "MREPLAYBARE404", &lookup, &answer, NULL, &error));
  g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_NETWORK);
  g_assert_cmpint (lookup, !=, TSY_STATUS_NEVER_RECEIVED);
  g_assert_cmpuint (tsy_replay_transport_get_uses (f->replay, "status-never-received"), ==, 1);
}

typedef struct
{
  guint   statements;
  guint   entries;
  gint64  sum_minor;
  gint64  opening_minor;
  gint64  closing_minor;
  char   *account;
  gint64  accepted_minor;    /* the entry of E2EREPLAYACCEPTED */
  gboolean accepted_seen;
} Seen;

static gboolean
on_begin_cb (gpointer user_data, const TsyStatementHeader *header, GError **error)
{
  Seen *s = user_data;

  s->statements++;
  g_free (s->account);
  s->account = g_strdup (header->account);
  return TRUE;
}

static gboolean
on_entry_cb (gpointer user_data, const TsyStatementEntry *entry, GError **error)
{
  Seen *s = user_data;
  const char *e2e = entry->end_to_end_id;

  if (e2e == NULL && entry->n_details > 0)
    e2e = entry->details[0].end_to_end_id;
  s->entries++;
  s->sum_minor += entry->amount_minor;
  if (g_strcmp0 (e2e, "E2EREPLAYACCEPTED") == 0)
    {
      s->accepted_seen = TRUE;
      s->accepted_minor = entry->amount_minor;
    }
  return TRUE;
}

static gboolean
on_end_cb (gpointer user_data, const TsyStatementHeader *header, GError **error)
{
  Seen *s = user_data;

  g_assert_true (header->has_opening);
  g_assert_true (header->has_closing);
  s->opening_minor = header->opening_minor;
  s->closing_minor = header->closing_minor;
  return TRUE;
}

static void
test_fetch_statement (Fixture *f, gconstpointer data)
{
  static const TsyStatementSink sink = { on_begin_cb, on_entry_cb, on_end_cb };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) doc = NULL;
  g_autoptr(GInputStream) in = NULL;
  TsyDate day;
  Seen seen = { 0 };

  if (f->connector == NULL)
    return;
  g_assert_true (tsy_date_parse_iso ("2026-11-23", &day, NULL));
  doc = tsy_bank_connector_fetch_statement (f->connector, RICH, TSY_STATEMENT_KIND_FINAL, day, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (doc);
  g_assert_cmpint (tsy_statement_format_detect (g_bytes_get_data (doc, NULL), g_bytes_get_size (doc)), ==,
                   TSY_STATEMENT_FORMAT_CAMT);
  in = g_memory_input_stream_new_from_bytes (doc);
  g_assert_true (tsy_camt_parse (in, "statement-camt053.xml", &sink, &seen, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (seen.statements, ==, 1);
  g_assert_cmpstr (seen.account, ==, RICH);
  /* the accepted payment is booked, to the fen, and the balances add up */
  g_assert_true (seen.accepted_seen);
  g_assert_cmpint (seen.accepted_minor, ==, -1234567);
  g_assert_cmpuint (seen.entries, ==, 3);
  g_assert_cmpint (seen.opening_minor, ==, 100000000);
  g_assert_cmpint (seen.opening_minor + seen.sum_minor, ==, seen.closing_minor);
  g_free (seen.account);

  /* another day was never recorded: an error, not an empty statement */
  g_clear_pointer (&doc, g_bytes_unref);
  doc = tsy_bank_connector_fetch_statement (f->connector, RICH, TSY_STATEMENT_KIND_FINAL,
                                            tsy_date_add_days (day, 1), NULL, &error);
  g_assert_null (doc);
  g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_IO);
}

/* A request no exchange matches is refused with an error naming it. */
static void
test_unmatched (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyHttpRequest) request = NULL;
  g_autoptr(TsyHttpResponse) response = NULL;
  g_autoptr(GBytes) doc = NULL;
  g_autoptr(GBytes) answer = NULL;

  if (f->connector == NULL)
    return;
  request = tsy_http_request_new ("GET", "https://127.0.0.1:8443/statements/" RICH "?date=2026-11-23&type=camt.052");
  response = tsy_http_transport_perform (f->replay, request, NULL, &error);
  g_assert_null (response);
  g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "GET /statements/" RICH "?date=2026-11-23&type=camt.052"));
  g_clear_error (&error);

  /* the method counts: a GET of a POST's path matches nothing */
  g_clear_pointer (&request, tsy_http_request_free);
  request = tsy_http_request_new ("GET", "https://127.0.0.1:8443/pain001");
  tsy_http_request_add_header (request, "X-Tsy-Msg-Id", "MREPLAYACCEPTED");
  g_assert_null (tsy_http_transport_perform (f->replay, request, NULL, &error));
  g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_IO);
  g_clear_error (&error);

  /* through the connector: a payment file nobody recorded is not "accepted"; since the
   * transport cannot say it did not leave, the connector stays on the safe side */
  doc = recorded_document (f, "send-accepted");
  g_assert_false (tsy_bank_connector_send_payment (f->connector, "MNOTRECORDED", doc, &answer, NULL, &error));
  g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_UNKNOWN_OUTCOME);
  g_assert_nonnull (strstr (error->message, "MNOTRECORDED"));
  g_assert_null (answer);
  g_assert_cmpuint (tsy_replay_transport_get_uses (f->replay, "send-accepted"), ==, 0);
}

/* Cancelled: a question just stops; a payment file may have left, so it is unknown. */
static void
test_cancelled (Fixture *f, gconstpointer data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) doc = NULL;
  g_autoptr(GBytes) answer = NULL;
  TsyStatusLookup lookup;

  if (f->connector == NULL)
    return;
  g_cancellable_cancel (cancellable);
  g_assert_false (tsy_bank_connector_fetch_status (f->connector, "MREPLAYACCEPTED", &lookup, &answer, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (tsy_replay_transport_get_requests (f->replay), ==, 1);
  doc = recorded_document (f, "send-accepted");
  g_assert_false (tsy_bank_connector_send_payment (f->connector, "MREPLAYACCEPTED", doc, &answer, cancellable, &error));
  g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_UNKNOWN_OUTCOME);
  g_assert_cmpuint (tsy_replay_transport_get_requests (f->replay), ==, 2);
  g_assert_cmpuint (tsy_replay_transport_get_uses (f->replay, "send-accepted"), ==, 0);
}

/* What the recorder writes replays to the same outcomes (recorded here around the replay
 * transport itself: no network). */
static void
test_record_round_trip (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = NULL;
  g_autoptr(GBytes) accepted = NULL;
  g_autoptr(GBytes) lost = NULL;
  g_autoptr(GBytes) unreachable = NULL;

  if (f->connector == NULL)
    return;
  dir = g_build_filename (f->dir, "recorded", NULL);
  accepted = recorded_document (f, "send-accepted");
  lost = recorded_document (f, "send-timeout");
  unreachable = recorded_document (f, "send-connect-failed");
  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TsyHttpTransport) transport = NULL;
      g_autoptr(TsyBankConnector) connector = NULL;
      g_autoptr(GBytes) answer = NULL;
      TsyStatusLookup lookup = TSY_STATUS_FOUND;

      /* round 0 records through the recorder, round 1 replays only what was recorded */
      transport = round == 0 ? tsy_recording_transport_new (f->replay, dir) : tsy_replay_transport_new (dir, &error);
      g_assert_no_error (error);
      connector = tsy_https_connector_new_with_transport (&f->channel, transport, &error);
      g_assert_no_error (error);

      g_assert_true (tsy_bank_connector_send_payment (connector, "MREPLAYACCEPTED", accepted, &answer, NULL, &error));
      g_assert_no_error (error);
      {
        g_autoptr(TsyStatusReport) r = parse_pain002 (answer);
        g_assert_cmpstr (r->orig_msg_id, ==, "MREPLAYACCEPTED");
        g_assert_cmpstr (r->group_status, ==, "ACSC");
      }
      g_clear_pointer (&answer, g_bytes_unref);
      g_assert_true (tsy_bank_connector_fetch_status (connector, "MREPLAYNEVERSENT", &lookup, &answer, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpint (lookup, ==, TSY_STATUS_NEVER_RECEIVED);
      g_assert_false (tsy_bank_connector_send_payment (connector, "MREPLAYTIMEOUT0", lost, &answer, NULL, &error));
      g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_UNKNOWN_OUTCOME);
      g_clear_error (&error);
      g_assert_false (tsy_bank_connector_send_payment (connector, "MREPLAYNOCONNECT", unreachable, &answer, NULL, &error));
      g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_NETWORK);
      g_clear_error (&error);
      if (round == 1)
        {
          /* the request a recording never saw is not there */
          g_assert_false (tsy_bank_connector_fetch_status (connector, "MREPLAYACCEPTED", &lookup, &answer, NULL, &error));
          g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_IO);
        }
    }
}

/* A fixture folder whose index is broken is refused when it is opened. */
static void
test_bad_index (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tsy-replay-bad-XXXXXX", NULL);
  g_autofree char *index = g_build_filename (dir, "exchanges.ini", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyHttpTransport) replay = NULL;

  replay = tsy_replay_transport_new (dir, &error);
  g_assert_null (replay);
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (index, "[x]\nrequest=GET /a\nfail=exploded\n", -1, NULL));
  replay = tsy_replay_transport_new (dir, &error);
  g_assert_null (replay);
  g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "[x]"));
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (index, "[y]\nrequest=GET /a\n", -1, NULL));
  replay = tsy_replay_transport_new (dir, &error);
  g_assert_null (replay);
  g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PARSE);
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (index, "[z]\nrequest=GET /a\nuses=1\nfail=connect-failed\n", -1, NULL));
  replay = tsy_replay_transport_new (dir, &error);
  g_assert_no_error (error);
  {
    g_autoptr(TsyHttpRequest) request = tsy_http_request_new ("GET", "https://h/a");
    g_assert_null (tsy_http_transport_perform (replay, request, NULL, &error));
    g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_NETWORK);
    g_clear_error (&error);
    /* used up */
    g_assert_null (tsy_http_transport_perform (replay, request, NULL, &error));
    g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_IO);
  }
  g_unlink (index);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/banks/https-replay/send-accepted", test_send_accepted);
  ADD ("/banks/https-replay/send-refused", test_send_refused);
  ADD ("/banks/https-replay/send-not-sent", test_send_not_sent);
  ADD ("/banks/https-replay/send-unknown", test_send_unknown);
  ADD ("/banks/https-replay/fetch-status", test_fetch_status);
  ADD ("/banks/https-replay/fetch-statement", test_fetch_statement);
  ADD ("/banks/https-replay/unmatched", test_unmatched);
  ADD ("/banks/https-replay/cancelled", test_cancelled);
  ADD ("/banks/https-replay/record-round-trip", test_record_round_trip);
  g_test_add_func ("/banks/https-replay/bad-index", test_bad_index);
  return g_test_run ();
}
