/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Records the replay fixtures of tests/data/banks/banksim/ from a real treasury-banksim: the
 * https connector with TREASURY_HTTP_RECORD=DIR (the recording transport around curl) goes
 * through every case test-https-replay needs, the faults switched on in the simulator where a
 * case needs one. Not a test; run by hand when the simulator's answers change:
 *
 *   TREASURY_BANKSIM=build/banks/sim/treasury-banksim TSY_CORPUS_DIR=../shared/corpus \
 *     build/tests/banks/tsy-record-banksim OUT_DIR
 *
 * then name the groups of OUT_DIR/exchanges.ini as tests/data/banks/banksim/exchanges.ini does.
 */
#include <gio/gio.h>
#include <string.h>

#include "banks/formats/tsy-pain001.h"
#include "banks/https/tsy-https-connector-private.h"
#include "banks/tsy-bank-error.h"
#include "ledger/tsy-bank-channel.h"
#include "ledger/tsy-payment.h"
#include "tsy-test-banksim.h"

#define RICH "0200001209000123456"
#define PAYEE "4000023009200012345"

static GBytes *
pain001 (const char *msg_id,
         const char *e2e,
         gint64      amount_minor)
{
  g_autoptr(GPtrArray) payments = g_ptr_array_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  TsyPaymentInfo p = { .debtor_account = RICH, .debtor_name = "华夏控股集团有限公司", .bank_bic = "ICBKCNBJ",
                       .creditor_name = "深圳市供应商有限公司", .creditor_account = PAYEE,
                       .creditor_bic = "ICBKCNBJ", .amount_minor = amount_minor, .currency = "CNY",
                       .execution_date = tsy_date_today (), .remittance = "INV-2026-004512",
                       .end_to_end_id = (char *) e2e };
  GBytes *doc;

  g_ptr_array_add (payments, &p);
  doc = tsy_pain001_write (TSY_PAIN001_V09, msg_id, now, payments, NULL, &error);
  g_assert_no_error (error);
  return doc;
}

static void
admin_faults (TsyTestBank *bank,
              const char  *spec)
{
  long status = 0;
  g_autofree char *ok = tsy_test_bank_request (bank, "/admin/faults", spec, &status);

  g_assert_cmpint (status, ==, 200);
}

static TsyBankConnector *
connector_for (TsyTestBank *bank,
               const char  *url,
               const char  *ca)
{
  g_autoptr(GError) error = NULL;
  TsyBankChannel channel = { .bank_code = "ICBC", .kind = TSY_CHANNEL_HTTPS, .url = (char *) url,
                             .cert_file = bank->client_cert, .key_file = bank->client_key,
                             .ca_file = (char *) ca, .connect_timeout_ms = 1000, .timeout_ms = 1000 };
  TsyBankConnector *connector = tsy_https_connector_new (&channel, &error);

  g_assert_no_error (error);
  return connector;
}

static void
say (const char   *what,
     const GError *error)
{
  g_print ("%-28s %s\n", what, error ? error->message : "ok");
}

int
main (int argc, char **argv)
{
  const char *accounts[] = { RICH ":CNY:1000000.00:ICBKCNBJ", PAYEE ":CNY:0:ICBKCNBJ:深圳市供应商有限公司", NULL };
  g_autoptr(TsyBankConnector) bank_connector = NULL;
  g_autoptr(TsyBankConnector) closed = NULL;
  g_autoptr(TsyBankConnector) stranger = NULL;
  g_autofree char *closed_url = NULL;
  g_autofree char *day = tsy_date_to_iso (tsy_date_today ());
  TsyTestBank *bank;
  TsyStatusLookup lookup;

  g_test_init (&argc, &argv, NULL);
  if (argc != 2)
    {
      g_printerr ("usage: tsy-record-banksim OUT_DIR\n");
      return 2;
    }
  bank = tsy_test_bank_start (accounts, NULL, 120);
  if (bank == NULL)
    {
      g_printerr ("cannot start treasury-banksim (TREASURY_BANKSIM, TSY_CORPUS_DIR)\n");
      return 1;
    }
  g_setenv ("TREASURY_HTTP_RECORD", argv[1], TRUE);
  bank_connector = connector_for (bank, bank->url, bank->ca);
  /* a port nobody listens on: the simulator's port + 1 is free often enough; checked below */
  {
    g_autoptr(GSocket) s = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
    g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
    g_autoptr(GSocketAddress) bound = NULL;
    g_assert_true (g_socket_bind (s, any, FALSE, NULL));
    bound = g_socket_get_local_address (s, NULL);
    closed_url = g_strdup_printf ("https://127.0.0.1:%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
    /* closed when s goes: nothing listens there */
  }
  closed = connector_for (bank, closed_url, bank->ca);
  stranger = connector_for (bank, bank->url, bank->other_ca);

  /* accepted, with the bank's immediate pain.002 */
  {
    g_autoptr(GBytes) doc = pain001 ("MREPLAYACCEPTED", "E2EREPLAYACCEPTED", 1234567);
    g_autoptr(GBytes) answer = NULL;
    g_autoptr(GError) error = NULL;
    tsy_bank_connector_send_payment (bank_connector, "MREPLAYACCEPTED", doc, &answer, NULL, &error);
    say ("send accepted", error);
  }
  /* refused as a whole by the bank */
  admin_faults (bank, "refuse=1");
  {
    g_autoptr(GBytes) doc = pain001 ("MREPLAYREFUSED", "E2EREPLAYREFUSED", 1000);
    g_autoptr(GBytes) answer = NULL;
    g_autoptr(GError) error = NULL;
    tsy_bank_connector_send_payment (bank_connector, "MREPLAYREFUSED", doc, &answer, NULL, &error);
    say ("send refused", error);
  }
  /* 5xx, dropped after processing */
  admin_faults (bank, "5xx=1");
  {
    g_autoptr(GBytes) doc = pain001 ("MREPLAY5XX", "E2EREPLAY5XX", 1001);
    g_autoptr(GBytes) answer = NULL;
    g_autoptr(GError) error = NULL;
    tsy_bank_connector_send_payment (bank_connector, "MREPLAY5XX", doc, &answer, NULL, &error);
    say ("send 5xx", error);
  }
  admin_faults (bank, "drop=1");
  {
    g_autoptr(GBytes) doc = pain001 ("MREPLAYDROPPED", "E2EREPLAYDROPPED", 1002);
    g_autoptr(GBytes) answer = NULL;
    g_autoptr(GError) error = NULL;
    tsy_bank_connector_send_payment (bank_connector, "MREPLAYDROPPED", doc, &answer, NULL, &error);
    say ("send dropped", error);
  }
  /* time-out after sending; then, asked at once, the bank has it and no answer yet (when it
   * processes after the wait; it picks at random, so a few tries) */
  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *msg_id = g_strdup_printf ("MREPLAYTIMEOUT%u", i);
      g_autofree char *e2e = g_strdup_printf ("E2EREPLAYTIMEOUT%u", i);
      g_autoptr(GBytes) doc = pain001 (msg_id, e2e, 1003 + i);
      g_autoptr(GBytes) answer = NULL;
      g_autoptr(GBytes) status = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) status_error = NULL;

      admin_faults (bank, "timeout=1,hang-ms=2500");
      tsy_bank_connector_send_payment (bank_connector, msg_id, doc, &answer, NULL, &error);
      say ("send timed out", error);
      admin_faults (bank, "none");
      tsy_bank_connector_fetch_status (bank_connector, msg_id, &lookup, &status, NULL, &status_error);
      say (lookup == TSY_STATUS_NOT_YET ? "status not yet" : "status found", status_error);
      if (status_error == NULL && lookup == TSY_STATUS_NOT_YET)
        break;
    }
  g_usleep (3 * G_USEC_PER_SEC);
  admin_faults (bank, "none");
  /* status: found, never received */
  {
    g_autoptr(GBytes) status = NULL;
    g_autoptr(GError) error = NULL;
    tsy_bank_connector_fetch_status (bank_connector, "MREPLAYACCEPTED", &lookup, &status, NULL, &error);
    say ("status found", error);
    g_clear_pointer (&status, g_bytes_unref);
    tsy_bank_connector_fetch_status (bank_connector, "MREPLAYNEVERSENT", &lookup, &status, NULL, &error);
    say ("status never received", error);
  }
  /* the day's statements */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) doc = tsy_bank_connector_fetch_statement (bank_connector, RICH, TSY_STATEMENT_KIND_FINAL,
                                                                tsy_date_today (), NULL, &error);
    say ("camt.053", error);
    g_print ("(the statement is of %s)\n", day);
  }
  /* nothing listening; a CA that is not the bank's */
  {
    g_autoptr(GBytes) doc = pain001 ("MREPLAYNOCONNECT", "E2EREPLAYNOCONNECT", 1004);
    g_autoptr(GBytes) answer = NULL;
    g_autoptr(GError) error = NULL;
    tsy_bank_connector_send_payment (closed, "MREPLAYNOCONNECT", doc, &answer, NULL, &error);
    say ("send, nothing listening", error);
  }
  {
    g_autoptr(GBytes) doc = pain001 ("MREPLAYBADTLS", "E2EREPLAYBADTLS", 1005);
    g_autoptr(GBytes) answer = NULL;
    g_autoptr(GError) error = NULL;
    tsy_bank_connector_send_payment (stranger, "MREPLAYBADTLS", doc, &answer, NULL, &error);
    say ("send, wrong CA", error);
  }
  tsy_test_bank_stop (bank);
  return 0;
}
