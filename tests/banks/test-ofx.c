/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <gio/gio.h>
#include <string.h>

#include "banks/formats/tsy-statement-format.h"
#include "tsy-test-sink.h"

/* ---- helpers ---- */

#define entry_at tsy_test_entry_at

static TsyDate
ymd (int y, int m, int d)
{
  return tsy_date_from_ymd (y, m, d);
}

/* the shared helpers of tsy-test-sink.h, bound to this format's parser */
static TsyTestSink *
parse_ok (const char *text)
{
  return tsy_test_parse_ok (tsy_ofx_parse, text);
}

static void
assert_refused (const char *text, int code, const char **needles)
{
  tsy_test_assert_refused (tsy_ofx_parse, text, code, needles);
}

static TsyTestSink *
parse_corpus (const char *name, GError **error)
{
  return tsy_test_parse_corpus (tsy_ofx_parse, "ofx", name, error);
}

/* Parses a corpus file that must be refused; returns FALSE when the corpus is missing. */
static gboolean
corpus_refused (const char  *name,
                int          code,
                const char **needles)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyTestSink) sink = parse_corpus (name, &error);

  if (sink == NULL && error == NULL)
    return FALSE;
  g_assert_error (error, TSY_BANK_ERROR, code);
  g_assert_true (g_str_has_prefix (error->message, name));
  for (guint i = 0; needles != NULL && needles[i] != NULL; i++)
    if (strstr (error->message, needles[i]) == NULL)
      g_error ("“%s” not in the message “%s”", needles[i], error->message);
  return TRUE;
}

#define SGML_HEADER "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\n" \
                    "CHARSET:1252\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n"
#define XML_HEADER "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" \
                   "<?OFX OFXHEADER=\"200\" VERSION=\"211\" SECURITY=\"NONE\" " \
                   "OLDFILEUID=\"NONE\" NEWFILEUID=\"NONE\"?>\n"

/* ---- corpus: the answer key of SOURCES.md ---- */

static void
test_corpus_checking (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyTestSink) sink = parse_corpus ("jseutter_ofxparse_checking.ofx", &error);
  TsyTestStatement *st;
  TsyStatementEntry *e;

  if (sink == NULL && error == NULL)
    return;
  g_assert_no_error (error);
  g_assert_cmpuint (sink->statements->len, ==, 1);
  st = tsy_test_sink_statement (sink, 0);
  g_assert_true (st->ended);
  g_assert_cmpstr (st->header.format, ==, "ofx");
  g_assert_cmpint (st->header.kind, ==, TSY_STATEMENT_KIND_FINAL);
  g_assert_cmpstr (st->header.account, ==, "1452687~7");
  g_assert_cmpstr (st->header.currency, ==, "USD");
  g_assert_cmpuint (st->header.from_date, ==, ymd (2000, 1, 1));
  g_assert_cmpuint (st->header.to_date, ==, ymd (2013, 5, 25));
  g_assert_false (st->header.has_opening);
  g_assert_true (st->header.has_closing);
  g_assert_cmpint (st->header.closing_minor, ==, 10099);
  g_assert_cmpuint (st->header.closing_date, ==, ymd (2013, 5, 25));
  g_assert_true (st->header.has_available);
  g_assert_cmpint (st->header.available_minor, ==, 7599);
  g_assert_cmpuint (st->header.available_date, ==, ymd (2013, 5, 25));
  g_assert_cmpuint (st->header.source_line, ==, 36);

  g_assert_cmpuint (st->entries->len, ==, 3);
  e = entry_at (st, 0);
  g_assert_cmpint (e->amount_minor, ==, 1);
  g_assert_cmpstr (e->bank_tx_code, ==, "CREDIT");
  g_assert_cmpstr (e->bank_ref, ==, "0000486");
  g_assert_cmpuint (e->booking_date, ==, ymd (2011, 3, 31));
  g_assert_cmpstr (e->counterparty_name, ==, "DIVIDEND EARNED FOR PERIOD OF 03");
  g_assert_true (g_str_has_prefix (e->text, "DIVIDEND EARNED FOR PERIOD OF 03/01/2011"));
  g_assert_null (e->currency);
  g_assert_cmpuint (e->source_line, ==, 46);
  g_assert_true (g_str_has_prefix (e->raw, "<STMTTRN>"));
  g_assert_nonnull (strstr (e->raw, "<FITID>0000486"));
  g_assert_true (g_str_has_suffix (e->raw, "</STMTTRN>"));
  e = entry_at (st, 1);
  g_assert_cmpint (e->amount_minor, ==, -3451);
  g_assert_cmpstr (e->bank_tx_code, ==, "DEBIT");
  e = entry_at (st, 2);
  g_assert_cmpint (e->amount_minor, ==, -2500);
  g_assert_cmpstr (e->bank_tx_code, ==, "CHECK");
  g_assert_cmpstr (e->customer_ref, ==, "319");
  g_assert_cmpint (tsy_test_statement_sum (st), ==, -5950);
}

static void
test_corpus_bank_medium (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyTestSink) sink = parse_corpus ("jseutter_ofxparse_bank_medium.ofx", &error);
  TsyTestStatement *st;
  TsyStatementEntry *e;

  if (sink == NULL && error == NULL)
    return;
  g_assert_no_error (error);
  g_assert_cmpuint (sink->statements->len, ==, 1);
  st = tsy_test_sink_statement (sink, 0);
  g_assert_cmpstr (st->header.account, ==, "12300 000012345678");
  g_assert_cmpstr (st->header.currency, ==, "CAD");
  g_assert_cmpuint (st->header.from_date, ==, ymd (2009, 4, 1));
  g_assert_cmpuint (st->header.to_date, ==, ymd (2009, 5, 23));
  g_assert_cmpint (st->header.closing_minor, ==, 38234);
  g_assert_cmpint (st->header.available_minor, ==, 68234);
  g_assert_cmpuint (st->entries->len, ==, 3);
  e = entry_at (st, 0);
  g_assert_cmpint (e->amount_minor, ==, -660);
  g_assert_cmpstr (e->bank_tx_code, ==, "POS");
  g_assert_cmpuint (e->booking_date, ==, ymd (2009, 4, 1));    /* "…122017.000[-5:EST]" */
  g_assert_cmpstr (e->counterparty_name, ==, "MCDONALD'S #112");
  g_assert_cmpstr (e->text, ==, "POS MERCHANDISE;MCDONALD'S #112");
  e = entry_at (st, 1);
  g_assert_cmpint (e->amount_minor, ==, -31667);
  g_assert_null (e->customer_ref);                  /* CHECKNUM 0 is a filler */
  g_assert_cmpint (entry_at (st, 2)->amount_minor, ==, -2200);
  g_assert_cmpint (tsy_test_statement_sum (st), ==, -34527);
}

static void
test_corpus_oca (void)
{
  const char *names[] = { "OCA_bank-statement-import_test_ofx.ofx",
                          "OCA_bank-statement-import_test_ofx_iban.ofx" };
  const char *accounts[] = { "123456", "12345678901" };
  const gint64 amounts[] = { -8000, -9000, -10000, -9000 };
  const char *fitids[] = { "219378", "219379", "219380", "219381" };

  for (guint k = 0; k < G_N_ELEMENTS (names); k++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TsyTestSink) sink = parse_corpus (names[k], &error);
      TsyTestStatement *st;

      if (sink == NULL && error == NULL)
        return;
      g_assert_no_error (error);
      g_assert_cmpuint (sink->statements->len, ==, 2);
      st = tsy_test_sink_statement (sink, 0);
      g_assert_cmpstr (st->header.account, ==, accounts[k]);
      g_assert_cmpstr (st->header.currency, ==, "USD");
      /* Four BANKTRANLISTs in one STMTRS. */
      g_assert_cmpuint (st->entries->len, ==, 4);
      for (guint i = 0; i < 4; i++)
        {
          g_assert_cmpint (entry_at (st, i)->amount_minor, ==, amounts[i]);
          g_assert_cmpstr (entry_at (st, i)->bank_ref, ==, fitids[i]);
          g_assert_cmpuint (entry_at (st, i)->booking_date, ==, ymd (2013, 8, 24));
        }
      g_assert_cmpint (tsy_test_statement_sum (st), ==, -36000);
      g_assert_cmpstr (entry_at (st, 1)->counterparty_name, ==, "China Export");
      g_assert_true (st->header.has_closing);
      g_assert_cmpint (st->header.closing_minor, ==, 215656);
      g_assert_cmpuint (st->header.closing_date, ==, ymd (2013, 8, 31));
      g_assert_false (st->header.has_opening);
      g_assert_false (st->header.has_available);
      g_assert_cmpuint (st->header.from_date, ==, ymd (2013, 8, 1));
      g_assert_cmpuint (st->header.to_date, ==, ymd (2013, 8, 31));
      g_assert_nonnull (strstr (entry_at (st, 0)->raw, "<TRNAMT>-80</TRNAMT>"));

      st = tsy_test_sink_statement (sink, 1);
      g_assert_true (st->ended);
      g_assert_cmpstr (st->header.account, ==, "123412341234");
      g_assert_cmpuint (st->entries->len, ==, 0);
      g_assert_cmpint (st->header.closing_minor, ==, -56200);
    }
}

static void
test_corpus_credit_cards (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyTestSink) anz = parse_corpus ("jseutter_ofxparse_anzcc.ofx", &error);
  g_autoptr(TsyTestSink) chase = NULL;
  TsyTestStatement *st;

  if (anz == NULL && error == NULL)
    return;
  /* XML declaration, SGML-style leaves. */
  g_assert_no_error (error);
  st = tsy_test_sink_statement (anz, 0);
  g_assert_cmpstr (st->header.account, ==, "1234123412341234");
  g_assert_cmpstr (st->header.currency, ==, "AUD");
  g_assert_cmpint (st->header.closing_minor, ==, -12345);
  g_assert_cmpint (st->header.available_minor, ==, 12345);
  g_assert_cmpuint (st->entries->len, ==, 1);
  g_assert_cmpint (entry_at (st, 0)->amount_minor, ==, -550);
  g_assert_cmpstr (entry_at (st, 0)->text, ==, "SOME MEMO");
  g_assert_null (entry_at (st, 0)->counterparty_name);

  chase = parse_corpus ("jseutter_ofxparse_chase_cc.qfx", &error);
  g_assert_no_error (error);
  st = tsy_test_sink_statement (chase, 0);
  g_assert_cmpstr (st->header.account, ==, "0123012301230123");
  g_assert_cmpint (st->header.closing_minor, ==, -1000);
  g_assert_cmpint (st->header.available_minor, ==, 9000);
  g_assert_cmpint (entry_at (st, 0)->amount_minor, ==, -1000);
  /* CHARSET:1252 in the header, UTF-8 in the body: the UTF-8 is kept. */
  g_assert_cmpstr (entry_at (st, 0)->counterparty_name, ==, "SQ *ECCO UN POCO \xC2\xA6 NATURA");
}

static void
test_corpus_suncorp_cdata (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyTestSink) sink = parse_corpus ("jseutter_ofxparse_suncorp.ofx", &error);
  TsyTestStatement *st;

  if (sink == NULL && error == NULL)
    return;
  g_assert_no_error (error);
  st = tsy_test_sink_statement (sink, 0);
  g_assert_cmpstr (st->header.currency, ==, "AUD");
  g_assert_cmpint (st->header.closing_minor, ==, 123412);
  g_assert_cmpint (entry_at (st, 0)->amount_minor, ==, -1685);
  g_assert_cmpstr (entry_at (st, 0)->counterparty_name, ==, "EFTPOS WDL HANDYWAY ALDI STORE");
  g_assert_cmpstr (entry_at (st, 0)->text, ==,
                   "EFTPOS WDL HANDYWAY ALDI STORE   GEELONG WEST VICAU");
}

static void
test_corpus_multiple_accounts (void)
{
  const char *names[] = { "jseutter_ofxparse_multiple_accounts.ofx",
                          "jseutter_ofxparse_multiple_accounts2.ofx" };

  for (guint k = 0; k < G_N_ELEMENTS (names); k++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TsyTestSink) sink = parse_corpus (names[k], &error);

      if (sink == NULL && error == NULL)
        return;
      /* Two statements with balances and no transactions. */
      g_assert_no_error (error);
      g_assert_cmpuint (sink->statements->len, ==, 2);
      g_assert_cmpuint (sink->n_entries, ==, 0);
      g_assert_cmpstr (tsy_test_sink_statement (sink, 0)->header.account, ==, "9100");
      g_assert_cmpint (tsy_test_sink_statement (sink, 0)->header.closing_minor, ==, 11100);
      g_assert_cmpuint (tsy_test_sink_statement (sink, 0)->header.closing_date, ==,
                        ymd (2012, 6, 3));
      g_assert_cmpstr (tsy_test_sink_statement (sink, 1)->header.account, ==, "9200");
      g_assert_cmpint (tsy_test_sink_statement (sink, 1)->header.closing_minor, ==, 22200);
    }
}

static void
test_corpus_empty_tags (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyTestSink) sink = parse_corpus ("jseutter_ofxparse_ofx-v102-empty-tags.ofx", &error);
  TsyTestStatement *st;
  TsyStatementEntry *e;

  if (sink == NULL && error == NULL)
    return;
  /* Empty CURDEF, FITID, NAME, BALAMT; the transaction says CURRENCY/CURSYM AUD. */
  g_assert_no_error (error);
  st = tsy_test_sink_statement (sink, 0);
  g_assert_cmpstr (st->header.account, ==, "12345678");
  g_assert_null (st->header.currency);
  g_assert_false (st->header.has_closing);
  g_assert_cmpuint (st->entries->len, ==, 1);
  e = entry_at (st, 0);
  g_assert_cmpint (e->amount_minor, ==, 1234);
  g_assert_cmpstr (e->currency, ==, "AUD");
  g_assert_null (e->bank_ref);
  g_assert_null (e->counterparty_name);
  g_assert_cmpstr (e->text, ==, "CBA:Transfer");
  g_assert_cmpuint (e->booking_date, ==, ymd (2018, 5, 7));
}

static void
test_corpus_empty_balance (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyTestSink) sink =
    parse_corpus ("jseutter_ofxparse_fail_nice-empty_balance.ofx", &error);
  TsyTestStatement *st;

  if (sink == NULL && error == NULL)
    return;
  /* An empty BALAMT is "no balance given": the line imports, no balance is invented. */
  g_assert_no_error (error);
  st = tsy_test_sink_statement (sink, 0);
  g_assert_cmpstr (st->header.currency, ==, "CAD");
  g_assert_false (st->header.has_closing);
  g_assert_false (st->header.has_available);
  g_assert_cmpuint (st->entries->len, ==, 1);
  g_assert_cmpint (entry_at (st, 0)->amount_minor, ==, 12000);
  g_assert_cmpuint (entry_at (st, 0)->booking_date, ==, ymd (2011, 3, 8));
}

static void
test_corpus_refused (void)
{
  const char *wrong[] = { ": line 21: ", "no account number", NULL };
  const char *date_missing[] = { ": line 33: ", "DTPOSTED", NULL };
  const char *decimal_error[] = { ": line 36: ", "DTPOSTED “201120000000” is not a date", NULL };
  const char *server_error[] = { ": line 22: ", "no statement", "2000", "General Server Error",
                                 NULL };
  const char *signon[] = { ": line 11: ", "no statement", "sign-on", "15500",
                           "password was incorrect", NULL };
  const char *none[] = { ": no statement in the file", NULL };
  const char *investment[] = { ": line ", "INVSTMTRS", NULL };
  const char *no_statement[] = { "jseutter_ofxparse_account_listing_aggregation.ofx",
                                 "jseutter_ofxparse_bank_small.ofx",
                                 "jseutter_ofxparse_signon_success.ofx",
                                 "jseutter_ofxparse_signon_success_no_message.ofx" };
  const char *investments[] = { "jseutter_ofxparse_fidelity-savings.ofx",
                                "jseutter_ofxparse_fidelity.ofx",
                                "jseutter_ofxparse_investment_401k.ofx",
                                "jseutter_ofxparse_investment_medium.ofx",
                                "jseutter_ofxparse_td_ameritrade.ofx",
                                "jseutter_ofxparse_tiaacref.ofx",
                                "jseutter_ofxparse_vanguard.ofx",
                                "jseutter_ofxparse_vanguard401k.ofx" };

  /* CURDEF and BANKACCTFROM commented out. */
  if (!corpus_refused ("OCA_bank-statement-import_test_ofx_wrong.ofx", TSY_BANK_ERROR_PARSE,
                       wrong))
    return;
  corpus_refused ("jseutter_ofxparse_fail_nice-date_missing.ofx", TSY_BANK_ERROR_PARSE,
                  date_missing);
  corpus_refused ("jseutter_ofxparse_fail_nice-decimal_error.ofx", TSY_BANK_ERROR_PARSE,
                  decimal_error);
  corpus_refused ("jseutter_ofxparse_error_message.ofx", TSY_BANK_ERROR_PARSE, server_error);
  corpus_refused ("jseutter_ofxparse_signon_fail.ofx", TSY_BANK_ERROR_PARSE, signon);
  for (guint i = 0; i < G_N_ELEMENTS (no_statement); i++)
    corpus_refused (no_statement[i], TSY_BANK_ERROR_PARSE, none);
  for (guint i = 0; i < G_N_ELEMENTS (investments); i++)
    corpus_refused (investments[i], TSY_BANK_ERROR_UNSUPPORTED, investment);
}

/* Every file of the corpus parses to statements with lines or balances, or is refused
 * with a message naming the file. */
static void
test_corpus_all (void)
{
  g_autofree char *dir_path = tsy_test_corpus_path ("ofx");
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint n_files = 0, n_ok = 0;

  if (dir_path == NULL)
    return;
  dir = g_dir_open (dir_path, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(TsyTestSink) sink = NULL;

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        continue;
      n_files++;
      sink = tsy_test_parse_file (tsy_ofx_parse, path, &error);
      if (error == NULL)
        {
          g_assert_cmpuint (sink->statements->len, >, 0);
          for (guint i = 0; i < sink->statements->len; i++)
            {
              TsyTestStatement *st = tsy_test_sink_statement (sink, i);
              g_assert_true (st->ended);
              g_assert_true (st->entries->len > 0 || st->header.has_closing);
            }
          n_ok++;
        }
      else
        {
          g_autofree char *prefix = g_strdup_printf ("%s: ", name);
          g_assert_true (error->domain == TSY_BANK_ERROR);
          if (!g_str_has_prefix (error->message, prefix))
            g_error ("unclear refusal of %s: %s", name, error->message);
        }
    }
  g_assert_cmpuint (n_files, ==, 28);
  g_assert_cmpuint (n_ok, ==, 11);
}

/* ---- syntax ---- */

static void
test_sgml_one_line (void)
{
  g_autoptr(TsyTestSink) sink =
    parse_ok (SGML_HEADER "<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS>"
              "<DTSERVER>20240105<LANGUAGE>ENG</SONRS></SIGNONMSGSRSV1><BANKMSGSRSV1><STMTTRNRS>"
              "<TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS><STMTRS><CURDEF>EUR<BANKACCTFROM>"
              "<BANKID>BANK<ACCTID>DE001<ACCTTYPE>CHECKING</BANKACCTFROM><BANKTRANLIST>"
              "<DTSTART>20240101<DTEND>20240105<STMTTRN><TRNTYPE>DEBIT"
              "<DTPOSTED>20240102120000.000[+1:CET]<DTAVAIL>20240103<TRNAMT>-12.50<FITID>F1"
              "<REFNUM>R1<NAME>ACME &amp; SONS<MEMO>INVOICE 7</STMTTRN><STMTTRN><TRNTYPE>CREDIT"
              "<DTPOSTED>20240104<TRNAMT>1,234.56<FITID>F2<PAYEE><NAME>PAYER LTD</PAYEE>"
              "<BANKACCTTO><BANKID>OTHERBANK<ACCTID>DE999<ACCTTYPE>SAVINGS</BANKACCTTO>"
              "</STMTTRN></BANKTRANLIST><LEDGERBAL><BALAMT>1000.00<DTASOF>20240105</LEDGERBAL>"
              "<AVAILBAL><BALAMT>900<DTASOF>20240104</AVAILBAL></STMTRS></STMTTRNRS>"
              "</BANKMSGSRSV1></OFX>");
  TsyTestStatement *st = tsy_test_sink_statement (sink, 0);
  TsyStatementEntry *e;

  g_assert_cmpstr (st->header.account, ==, "DE001");
  g_assert_cmpstr (st->header.currency, ==, "EUR");
  g_assert_cmpuint (st->header.source_line, ==, 11);
  g_assert_cmpint (st->header.closing_minor, ==, 100000);
  g_assert_cmpint (st->header.available_minor, ==, 90000);
  g_assert_cmpuint (st->header.available_date, ==, ymd (2024, 1, 4));
  g_assert_cmpuint (st->entries->len, ==, 2);
  e = entry_at (st, 0);
  g_assert_cmpint (e->amount_minor, ==, -1250);
  g_assert_cmpuint (e->booking_date, ==, ymd (2024, 1, 2));
  g_assert_cmpuint (e->value_date, ==, ymd (2024, 1, 3));
  g_assert_cmpstr (e->bank_ref, ==, "F1");
  g_assert_cmpstr (e->customer_ref, ==, "R1");
  g_assert_cmpstr (e->counterparty_name, ==, "ACME & SONS");
  g_assert_cmpstr (e->text, ==, "INVOICE 7");
  e = entry_at (st, 1);
  g_assert_cmpint (e->amount_minor, ==, 123456);
  g_assert_cmpuint (e->value_date, ==, TSY_DATE_NONE);
  g_assert_cmpstr (e->counterparty_name, ==, "PAYER LTD");
  g_assert_cmpstr (e->counterparty_account, ==, "DE999");
  g_assert_cmpstr (e->counterparty_bank, ==, "OTHERBANK");
  g_assert_cmpstr (e->text, ==, "PAYER LTD");
}

static void
test_xml (void)
{
  g_autoptr(TsyTestSink) sink =
    parse_ok (XML_HEADER
              "<OFX>\n"
              "  <!-- a comment with <TAGS> inside -->\n"
              "  <CREDITCARDMSGSRSV1><CCSTMTTRNRS><TRNUID>1</TRNUID>\n"
              "    <STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS>\n"
              "    <CCSTMTRS>\n"
              "      <CURDEF>JPY</CURDEF>\n"
              "      <CCACCTFROM><ACCTID>4111</ACCTID></CCACCTFROM>\n"
              "      <BANKTRANLIST>\n"
              "        <DTSTART>20240101</DTSTART><DTEND>20240131</DTEND>\n"
              "        <STMTTRN>\n"
              "          <TRNTYPE>DEBIT</TRNTYPE>\n"
              "          <DTPOSTED>20240110</DTPOSTED>\n"
              "          <TRNAMT>-1500</TRNAMT>\n"
              "          <FITID>A&#49;</FITID>\n"
              "          <NAME><![CDATA[<SHOP> & CO]]></NAME>\n"
              "          <MEMO/>\n"
              "        </STMTTRN>\n"
              "      </BANKTRANLIST>\n"
              "      <LEDGERBAL><BALAMT>-1500</BALAMT><DTASOF>20240131</DTASOF></LEDGERBAL>\n"
              "    </CCSTMTRS>\n"
              "  </CCSTMTTRNRS></CREDITCARDMSGSRSV1>\n"
              "</OFX>\n");
  TsyTestStatement *st = tsy_test_sink_statement (sink, 0);
  TsyStatementEntry *e = entry_at (st, 0);

  g_assert_cmpstr (st->header.account, ==, "4111");
  g_assert_cmpstr (st->header.currency, ==, "JPY");
  g_assert_cmpint (st->header.closing_minor, ==, -1500);   /* JPY: no minor digits */
  g_assert_cmpuint (st->header.source_line, ==, 7);
  g_assert_cmpint (e->amount_minor, ==, -1500);
  g_assert_cmpstr (e->bank_ref, ==, "A1");
  g_assert_cmpstr (e->counterparty_name, ==, "<SHOP> & CO");
  g_assert_cmpstr (e->text, ==, "<SHOP> & CO");
  g_assert_cmpuint (e->source_line, ==, 12);
  g_assert_true (g_str_has_prefix (e->raw, "<STMTTRN>"));
  g_assert_true (g_str_has_suffix (e->raw, "</STMTTRN>"));
}

static void
test_empty_tags (void)
{
  g_autoptr(TsyTestSink) sink =
    parse_ok ("<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD</CURDEF>"
              "<BANKACCTFROM><BANKID></BANKID><BRANCHID/><ACCTID>42</ACCTID><ACCTTYPE>"
              "</BANKACCTFROM><BANKTRANLIST><DTSTART></DTSTART><DTEND>\n</DTEND>"
              "<STMTTRN><TRNTYPE>OTHER<DTPOSTED>20240102<TRNAMT>5<FITID>\n<NAME><MEMO></MEMO>"
              "<CHECKNUM></CHECKNUM></STMTTRN></BANKTRANLIST>"
              "<LEDGERBAL><BALAMT></BALAMT><DTASOF></DTASOF></LEDGERBAL>"
              "<AVAILBAL><BALAMT>  </BALAMT></AVAILBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>");
  TsyTestStatement *st = tsy_test_sink_statement (sink, 0);
  TsyStatementEntry *e = entry_at (st, 0);

  g_assert_cmpstr (st->header.account, ==, "42");
  g_assert_cmpuint (st->header.from_date, ==, TSY_DATE_NONE);
  g_assert_false (st->header.has_closing);
  g_assert_false (st->header.has_available);
  g_assert_cmpint (e->amount_minor, ==, 500);
  g_assert_null (e->bank_ref);
  g_assert_null (e->counterparty_name);
  g_assert_null (e->customer_ref);
  g_assert_null (e->text);
}

static void
test_amounts (void)
{
  static const struct
  {
    const char *text;
    gint64      minor;
  } cases[] = {
    { "-12.34", -1234 }, { "+12.34", 1234 }, { "12", 1200 }, { "-0.01", -1 },
    { "12,34", 1234 }, { "-1.234,56", -123456 }, { "1,234.56", 123456 },
    { "-00000000001500.0000", -150000 }, { " 7.5 ", 750 },
  };
  const char *bad[] = { "TRNAMT", "“$120”", NULL };
  const char *too_precise[] = { "TRNAMT", "1.005", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup_printf (
        "<OFX><STMTRS><CURDEF>USD<BANKACCTFROM><ACCTID>1</BANKACCTFROM><BANKTRANLIST>"
        "<STMTTRN><TRNTYPE>X<DTPOSTED>20240102<TRNAMT>%s<FITID>1</STMTTRN></BANKTRANLIST>"
        "</STMTRS></OFX>", cases[i].text);
      g_autoptr(TsyTestSink) sink = parse_ok (text);

      g_test_message ("%s", cases[i].text);
      g_assert_cmpint (entry_at (tsy_test_sink_statement (sink, 0), 0)->amount_minor, ==,
                       cases[i].minor);
    }
  assert_refused ("<OFX><STMTRS><CURDEF>USD<BANKACCTFROM><ACCTID>1</BANKACCTFROM><BANKTRANLIST>"
                  "<STMTTRN><DTPOSTED>20240102\n<TRNAMT>$120</STMTTRN></BANKTRANLIST></STMTRS>"
                  "</OFX>", TSY_BANK_ERROR_PARSE, bad);
  assert_refused ("<OFX><STMTRS><CURDEF>USD<BANKACCTFROM><ACCTID>1</BANKACCTFROM><BANKTRANLIST>"
                  "<STMTTRN><DTPOSTED>20240102\n<TRNAMT>1.005</STMTTRN></BANKTRANLIST></STMTRS>"
                  "</OFX>", TSY_BANK_ERROR_PARSE, too_precise);
}

/* Found by the fuzzer: the message about a long bad amount stays valid UTF-8. */
static void
test_long_bad_amount_message (void)
{
  g_autoptr(GString) text = g_string_new ("<OFX><STMTRS><CURDEF>USD<BANKACCTFROM><ACCTID>1"
                                          "</BANKACCTFROM><BANKTRANLIST><STMTTRN>"
                                          "<DTPOSTED>20240102<TRNAMT>");
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyTestSink) sink = NULL;

  for (int i = 0; i < 63; i++)
    g_string_append_c (text, 'x');
  g_string_append (text, "\xC3\xA9</STMTTRN></BANKTRANLIST></STMTRS></OFX>");
  sink = tsy_test_parse_string (tsy_ofx_parse, text->str, -1, &error);
  g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "TRNAMT"));
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

static void
test_transaction_currency (void)
{
  g_autoptr(TsyTestSink) sink =
    parse_ok ("<OFX><STMTRS><CURDEF>USD<BANKACCTFROM><ACCTID>1</BANKACCTFROM><BANKTRANLIST>"
              "<STMTTRN><DTPOSTED>20240102<TRNAMT>-1500<FITID>1"
              "<CURRENCY><CURRATE>0.0068<CURSYM>jpy</CURRENCY></STMTTRN>"
              "<STMTTRN><DTPOSTED>20240102<TRNAMT>-10.20<FITID>2"
              "<ORIGCURRENCY><CURRATE>1.1<CURSYM>EUR</ORIGCURRENCY></STMTTRN>"
              "<STMTTRN><DTPOSTED>20240102<TRNAMT>-3.00<FITID>3"
              "<CURRENCY><CURRATE>1<CURSYM>USD</CURRENCY></STMTTRN>"
              "</BANKTRANLIST></STMTRS></OFX>");
  TsyTestStatement *st = tsy_test_sink_statement (sink, 0);
  const char *unknown[] = { "unknown currency “ABC” (CURSYM)", NULL };
  const char *none[] = { "no CURDEF", NULL };

  /* CURRENCY: the amount is in CURSYM; ORIGCURRENCY: it is in CURDEF already. */
  g_assert_cmpstr (entry_at (st, 0)->currency, ==, "JPY");
  g_assert_cmpint (entry_at (st, 0)->amount_minor, ==, -1500);
  g_assert_null (entry_at (st, 1)->currency);
  g_assert_cmpint (entry_at (st, 1)->amount_minor, ==, -1020);
  g_assert_null (entry_at (st, 2)->currency);
  assert_refused ("<OFX><STMTRS><CURDEF>USD<BANKACCTFROM><ACCTID>1</BANKACCTFROM><BANKTRANLIST>"
                  "<STMTTRN><DTPOSTED>20240102<TRNAMT>-1<CURRENCY><CURSYM>ABC</CURRENCY>"
                  "</STMTTRN></BANKTRANLIST></STMTRS></OFX>", TSY_BANK_ERROR_PARSE, unknown);
  assert_refused ("<OFX><STMTRS><BANKACCTFROM><ACCTID>1</BANKACCTFROM><BANKTRANLIST>"
                  "<STMTTRN><DTPOSTED>20240102<TRNAMT>-1</STMTTRN></BANKTRANLIST></STMTRS></OFX>",
                  TSY_BANK_ERROR_PARSE, none);
}

static void
test_multiple_accounts (void)
{
  g_autoptr(TsyTestSink) sink =
    parse_ok (XML_HEADER "<OFX><BANKMSGSRSV1>"
              "<STMTTRNRS><STMTRS><CURDEF>EUR</CURDEF><BANKACCTFROM><ACCTID>A</ACCTID>"
              "</BANKACCTFROM><BANKTRANLIST><DTSTART>20240102</DTSTART><DTEND>20240103</DTEND>"
              "<STMTTRN><DTPOSTED>20240102</DTPOSTED><TRNAMT>-1.00</TRNAMT><FITID>1</FITID>"
              "</STMTTRN></BANKTRANLIST><BANKTRANLIST><DTSTART>20231230</DTSTART>"
              "<DTEND>20240104</DTEND><STMTTRN><DTPOSTED>20240103</DTPOSTED><TRNAMT>-2.00</TRNAMT>"
              "<FITID>2</FITID></STMTTRN></BANKTRANLIST></STMTRS></STMTTRNRS>"
              "<STMTTRNRS><STMTRS><CURDEF>GBP</CURDEF><BANKACCTFROM><ACCTID>B</ACCTID>"
              "</BANKACCTFROM><BANKTRANLIST><STMTTRN><DTPOSTED>20240105</DTPOSTED>"
              "<TRNAMT>3.00</TRNAMT><FITID>3</FITID></STMTTRN></BANKTRANLIST>"
              "<LEDGERBAL><BALAMT>3</BALAMT><DTASOF>20240105</DTASOF></LEDGERBAL>"
              "</STMTRS></STMTTRNRS>"
              "</BANKMSGSRSV1></OFX>");
  TsyTestStatement *a = tsy_test_sink_statement (sink, 0);
  TsyTestStatement *b = tsy_test_sink_statement (sink, 1);

  g_assert_cmpuint (sink->statements->len, ==, 2);
  g_assert_cmpstr (a->header.account, ==, "A");
  g_assert_cmpstr (a->header.currency, ==, "EUR");
  g_assert_cmpuint (a->entries->len, ==, 2);
  g_assert_cmpint (tsy_test_statement_sum (a), ==, -300);
  /* The period covers both BANKTRANLISTs. */
  g_assert_cmpuint (a->header.from_date, ==, ymd (2023, 12, 30));
  g_assert_cmpuint (a->header.to_date, ==, ymd (2024, 1, 4));
  g_assert_false (a->header.has_closing);
  g_assert_cmpstr (b->header.account, ==, "B");
  g_assert_cmpstr (b->header.currency, ==, "GBP");
  g_assert_cmpuint (b->entries->len, ==, 1);
  g_assert_cmpint (b->header.closing_minor, ==, 300);
}

static void
test_investment_skipped_beside_bank (void)
{
  g_autoptr(TsyTestSink) sink =
    parse_ok ("<OFX><INVSTMTMSGSRSV1><INVSTMTTRNRS><INVSTMTRS><CURDEF>USD"
              "<INVACCTFROM><BROKERID>B<ACCTID>INV1</INVACCTFROM><INVTRANLIST>"
              "<INVBANKTRAN><STMTTRN><TRNTYPE>CHECK<DTPOSTED>20240102<TRNAMT>-15.00<FITID>I1"
              "</STMTTRN><SUBACCTFUND>CASH</INVBANKTRAN></INVTRANLIST></INVSTMTRS>"
              "</INVSTMTTRNRS></INVSTMTMSGSRSV1>"
              "<BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD<BANKACCTFROM><ACCTID>CHK"
              "</BANKACCTFROM><BANKTRANLIST><STMTTRN><DTPOSTED>20240102<TRNAMT>-1.00<FITID>C1"
              "</STMTTRN></BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>");

  g_assert_cmpuint (sink->statements->len, ==, 1);
  g_assert_cmpstr (tsy_test_sink_statement (sink, 0)->header.account, ==, "CHK");
  g_assert_cmpuint (sink->n_entries, ==, 1);
  g_assert_cmpstr (entry_at (tsy_test_sink_statement (sink, 0), 0)->bank_ref, ==, "C1");
}

static void
test_windows_1252 (void)
{
  g_autoptr(TsyTestSink) sink =
    parse_ok (SGML_HEADER "<OFX><STMTRS><CURDEF>EUR<BANKACCTFROM><ACCTID>1</BANKACCTFROM>"
              "<BANKTRANLIST><STMTTRN><DTPOSTED>20240102<TRNAMT>1<FITID>1"
              "<NAME>Caf\xE9 M\xFCller \x80</STMTTRN></BANKTRANLIST></STMTRS></OFX>");

  g_assert_cmpstr (entry_at (tsy_test_sink_statement (sink, 0), 0)->counterparty_name, ==,
                   "Caf\xC3\xA9 M\xC3\xBCller \xE2\x82\xAC");
}

static void
test_errors (void)
{
  const char *truncated[] = { "line 2:", "</OFX>", "truncated", NULL };
  const char *not_ofx[] = { "line 1:", "not an OFX file", NULL };
  const char *no_root[] = { "not an OFX file (no <OFX> element)", NULL };
  const char *bad_curdef[] = { "line 1:", "“XYZ”", NULL };
  const char *nested[] = { "inside another statement", NULL };
  const char *correction[] = { "CORRECTACTION", NULL };
  const char *deep[] = { "nested too deeply", NULL };
  const char *bad_tag[] = { "line 1:", "not a well-formed tag", NULL };
  const char *no_amount[] = { "line 1:", "no amount (TRNAMT)", NULL };
  const char *bad_balance[] = { "LEDGERBAL", "“abc”", NULL };
  GString *deep_file = g_string_new ("<OFX>");

  assert_refused ("<OFX><STMTRS><CURDEF>USD<BANKACCTFROM><ACCTID>1</BANKACCTFROM>\n"
                  "<BANKTRANLIST><STMTTRN><DTPOSTED>20240102<TRNAMT>1", TSY_BANK_ERROR_PARSE,
                  truncated);
  assert_refused ("<html><body>hello</body></html>", TSY_BANK_ERROR_PARSE, not_ofx);
  assert_refused ("01,SENDER,RECEIVER,240105,0900,7,80,1,2/\n", TSY_BANK_ERROR_PARSE, no_root);
  assert_refused ("", TSY_BANK_ERROR_PARSE, no_root);
  assert_refused ("<OFX><STMTRS><CURDEF>XYZ<BANKACCTFROM><ACCTID>1</BANKACCTFROM></STMTRS></OFX>",
                  TSY_BANK_ERROR_PARSE, bad_curdef);
  assert_refused ("<OFX><STMTRS><CURDEF>USD<STMTRS></STMTRS></STMTRS></OFX>",
                  TSY_BANK_ERROR_PARSE, nested);
  assert_refused ("<OFX><STMTRS><CURDEF>USD<BANKACCTFROM><ACCTID>1</BANKACCTFROM><BANKTRANLIST>"
                  "<STMTTRN><DTPOSTED>20240102<TRNAMT>1<CORRECTFITID>9<CORRECTACTION>DELETE"
                  "</STMTTRN></BANKTRANLIST></STMTRS></OFX>", TSY_BANK_ERROR_UNSUPPORTED,
                  correction);
  for (int i = 0; i < 1000; i++)
    g_string_append (deep_file, "<A>");
  assert_refused (deep_file->str, TSY_BANK_ERROR_PARSE, deep);
  g_string_free (deep_file, TRUE);
  assert_refused ("<OFX><STMTRS <CURDEF>USD</STMTRS></OFX>", TSY_BANK_ERROR_PARSE, bad_tag);
  assert_refused ("<OFX><STMTRS><CURDEF>USD<BANKACCTFROM><ACCTID>1</BANKACCTFROM><BANKTRANLIST>"
                  "<STMTTRN><DTPOSTED>20240102</STMTTRN></BANKTRANLIST></STMTRS></OFX>",
                  TSY_BANK_ERROR_PARSE, no_amount);
  assert_refused ("<OFX><STMTRS><CURDEF>USD<BANKACCTFROM><ACCTID>1</BANKACCTFROM>"
                  "<LEDGERBAL><BALAMT>abc<DTASOF>20240101</LEDGERBAL></STMTRS></OFX>",
                  TSY_BANK_ERROR_PARSE, bad_balance);
}

/* ---- the sink, cancellation, truncation ---- */

static void
test_sink_error_stops (void)
{
  const char *text = "<OFX><STMTRS><CURDEF>USD<BANKACCTFROM><ACCTID>1</BANKACCTFROM><BANKTRANLIST>"
                     "<STMTTRN><DTPOSTED>20240102<TRNAMT>1<FITID>1</STMTTRN>"
                     "<STMTTRN><DTPOSTED>20240102<TRNAMT>2<FITID>2</STMTTRN>"
                     "<STMTTRN><DTPOSTED>20240102<TRNAMT>3<FITID>3</STMTTRN>"
                     "</BANKTRANLIST></STMTRS></OFX>";
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data (text, -1, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyTestSink) sink = tsy_test_sink_new ();

  sink->fail_at_entry = 2;
  g_assert_false (tsy_ofx_parse (in, "x.ofx", &tsy_test_sink_vtable, sink, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpstr (error->message, ==, "sink refused entry 2");
  g_assert_cmpuint (sink->n_entries, ==, 1);
  g_assert_false (tsy_test_sink_statement (sink, 0)->ended);
}

static void
test_cancelled (void)
{
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data ("<OFX></OFX>", -1, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyTestSink) sink = tsy_test_sink_new ();

  g_cancellable_cancel (cancellable);
  g_assert_false (tsy_ofx_parse (in, "x.ofx", &tsy_test_sink_vtable, sink, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_every_prefix (void)
{
  const char *names[] = { "jseutter_ofxparse_checking.ofx", "OCA_bank-statement-import_test_ofx.ofx",
                          "jseutter_ofxparse_bank_medium.ofx" };

  for (guint k = 0; k < G_N_ELEMENTS (names); k++)
    {
      guint n_ok = tsy_test_every_prefix (tsy_ofx_parse, "ofx", names[k]);

      if (n_ok == G_MAXUINT)
        return;
      /* Only prefixes that end after </OFX> (losing a final line break) are complete. */
      g_assert_cmpuint (n_ok, <=, 1);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/banks/ofx/corpus/checking", test_corpus_checking);
  g_test_add_func ("/banks/ofx/corpus/bank-medium", test_corpus_bank_medium);
  g_test_add_func ("/banks/ofx/corpus/oca", test_corpus_oca);
  g_test_add_func ("/banks/ofx/corpus/credit-cards", test_corpus_credit_cards);
  g_test_add_func ("/banks/ofx/corpus/suncorp-cdata", test_corpus_suncorp_cdata);
  g_test_add_func ("/banks/ofx/corpus/multiple-accounts", test_corpus_multiple_accounts);
  g_test_add_func ("/banks/ofx/corpus/empty-tags", test_corpus_empty_tags);
  g_test_add_func ("/banks/ofx/corpus/empty-balance", test_corpus_empty_balance);
  g_test_add_func ("/banks/ofx/corpus/refused", test_corpus_refused);
  g_test_add_func ("/banks/ofx/corpus/all", test_corpus_all);
  g_test_add_func ("/banks/ofx/sgml-one-line", test_sgml_one_line);
  g_test_add_func ("/banks/ofx/xml", test_xml);
  g_test_add_func ("/banks/ofx/empty-tags", test_empty_tags);
  g_test_add_func ("/banks/ofx/amounts", test_amounts);
  g_test_add_func ("/banks/ofx/long-bad-amount-message", test_long_bad_amount_message);
  g_test_add_func ("/banks/ofx/transaction-currency", test_transaction_currency);
  g_test_add_func ("/banks/ofx/multiple-accounts", test_multiple_accounts);
  g_test_add_func ("/banks/ofx/investment-skipped", test_investment_skipped_beside_bank);
  g_test_add_func ("/banks/ofx/windows-1252", test_windows_1252);
  g_test_add_func ("/banks/ofx/errors", test_errors);
  g_test_add_func ("/banks/ofx/sink-error-stops", test_sink_error_stops);
  g_test_add_func ("/banks/ofx/cancelled", test_cancelled);
  g_test_add_func ("/banks/ofx/every-prefix", test_every_prefix);
  return g_test_run ();
}
