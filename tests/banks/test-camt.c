/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <gio/gio.h>
#include <string.h>

#include "banks/formats/tsy-statement-format.h"
#include "tsy-test-sink.h"

/* ---- helpers ------------------------------------------------------------------------------ */

static TsyDate
ymd (int y, int m, int d)
{
  return tsy_date_from_ymd (y, m, d);
}

static TsyTestEntry *
entry_at (TsyTestStatement *st,
          guint             i)
{
  g_assert_cmpuint (i, <, st->entries->len);
  return g_ptr_array_index (st->entries, i);
}

static TsyTestSink *
parse_corpus (const char *relative,
              GError    **error)
{
  g_autofree char *path = tsy_test_corpus_path (relative);

  if (path == NULL)
    return NULL;
  return tsy_test_parse_file (tsy_camt_parse, path, error);
}

static TsyTestSink *
parse_text (const char *text,
            GError    **error)
{
  return tsy_test_parse_string (tsy_camt_parse, text, -1, error);
}

/* A camt.053.001.08 document around @stmt_children (the Stmt content after Acct). */
static char *
doc053 (const char *stmt_children)
{
  return g_strdup_printf (
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\">\n"
    "<BkToCstmrStmt>\n"
    "<GrpHdr><MsgId>M1</MsgId><CreDtTm>2024-03-04T12:00:00</CreDtTm></GrpHdr>\n"
    "<Stmt>\n"
    "<Id>S1</Id><ElctrncSeqNb>7</ElctrncSeqNb>\n"
    "<Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>\n"
    "%s\n"
    "</Stmt>\n"
    "</BkToCstmrStmt>\n"
    "</Document>\n", stmt_children);
}

#define BAL(code, amt, cdi, date) \
  "<Bal><Tp><CdOrPrtry><Cd>" code "</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">" amt "</Amt>" \
  "<CdtDbtInd>" cdi "</CdtDbtInd><Dt><Dt>" date "</Dt></Dt></Bal>\n"

static void
assert_parse_error (GError     *error,
                    const char *file,
                    const char *path_part)
{
  g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, file));
  g_assert_nonnull (strstr (error->message, ": line "));
  if (path_part != NULL && strstr (error->message, path_part) == NULL)
    g_error ("“%s” does not name “%s”", error->message, path_part);
}

/* ---- the answer key of SOURCES.md ---------------------------------------------------------- */

static void
test_corpus_oca_camt053 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyTestSink) sink = parse_corpus ("camt053/OCA_bank-statement-import_test-camt053.xml",
                                              &error);
  TsyTestStatement *st;
  TsyTestEntry *e;

  if (sink == NULL)
    return;
  g_assert_no_error (error);
  g_assert_cmpuint (sink->statements->len, ==, 1);
  st = tsy_test_sink_statement (sink, 0);
  g_assert_true (st->ended);
  g_assert_cmpstr (st->header.format, ==, "camt.053.001.02");
  g_assert_cmpint (st->header.kind, ==, TSY_STATEMENT_KIND_FINAL);
  g_assert_cmpstr (st->header.statement_id, ==, "1234Test/1");
  g_assert_cmpstr (st->header.account, ==, "NL77ABNA0574908765");
  g_assert_cmpstr (st->header.currency, ==, "EUR");
  g_assert_cmpstr (st->header.sequence, ==, "2");
  g_assert_cmpuint (st->header.from_date, ==, ymd (2014, 1, 5));
  g_assert_true (st->header.has_opening);
  g_assert_cmpint (st->header.opening_minor, ==, 1556827);
  g_assert_cmpuint (st->header.opening_date, ==, ymd (2014, 1, 5));
  g_assert_true (st->header.has_closing);
  g_assert_cmpint (st->header.closing_minor, ==, 1512112);
  g_assert_cmpuint (st->header.closing_date, ==, ymd (2014, 1, 5));
  g_assert_cmpuint (st->header.source_line, ==, 7);

  /* 3 Ntry / 4 TxDtls; net -12.99; does not reconcile (kept as the bank sent it) */
  g_assert_cmpuint (st->entries->len, ==, 3);
  g_assert_cmpint (tsy_test_statement_sum (st), ==, -1299);
  g_assert_cmpint (st->header.opening_minor + tsy_test_statement_sum (st), !=,
                   st->header.closing_minor);

  e = entry_at (st, 0);
  g_assert_cmpint (e->entry.amount_minor, ==, -75425);
  g_assert_null (e->entry.currency);
  g_assert_false (e->entry.reversal);
  g_assert_cmpuint (e->entry.booking_date, ==, ymd (2014, 1, 5));
  g_assert_cmpuint (e->entry.value_date, ==, ymd (2014, 1, 5));
  g_assert_cmpstr (e->entry.bank_tx_code, ==, "PMNT/RDDT/ESDD");
  g_assert_cmpstr (e->entry.end_to_end_id, ==, "435005714488-ABNO33052620");
  g_assert_cmpstr (e->entry.customer_ref, ==, "INNDNL2U20141231000142300002844");
  /* OCA golden: partner INSURANCE COMPANY TESTX, NL46ABNA0499998748 */
  g_assert_cmpstr (e->entry.counterparty_name, ==, "INSURANCE COMPANY TESTX");
  g_assert_cmpstr (e->entry.counterparty_account, ==, "NL46ABNA0499998748");
  g_assert_cmpstr (e->entry.counterparty_bank, ==, "ABNANL2A");
  g_assert_cmpstr (e->entry.text, ==, "Insurance policy 857239PERIOD 01.01.2014 - 31.12.2014");
  g_assert_null (e->entry.bank_ref);
  g_assert_cmpuint (e->entry.source_line, ==, 50);
  g_assert_nonnull (strstr (e->entry.raw, "754.25"));
  g_assert_cmpuint (e->entry.n_details, ==, 1);

  /* the reversed batch: -664.05 = -564.05 - 100.00, both to "Test Customer" */
  e = entry_at (st, 1);
  g_assert_cmpint (e->entry.amount_minor, ==, -66405);
  g_assert_true (e->entry.reversal);
  g_assert_cmpuint (e->entry.n_details, ==, 2);
  g_assert_true (e->entry.details[0].has_amount);
  g_assert_cmpint (e->entry.details[0].amount_minor, ==, -56405);
  g_assert_cmpint (e->entry.details[1].amount_minor, ==, -10000);
  g_assert_cmpstr (e->entry.details[0].end_to_end_id, ==, "TESTBANK/NL/20141229/01206408");
  g_assert_cmpstr (e->entry.details[1].end_to_end_id, ==, "TESTBANK/NL/20141229/01206407");
  g_assert_cmpstr (e->entry.details[1].counterparty_name, ==, "Test Customer");
  g_assert_cmpstr (e->entry.details[1].counterparty_account, ==, "NL46ABNA0499998748");
  g_assert_null (e->entry.end_to_end_id);
  g_assert_cmpstr (e->entry.customer_ref, ==, "2018/125-20141229-NORM");

  e = entry_at (st, 2);
  g_assert_cmpint (e->entry.amount_minor, ==, 140531);
  g_assert_cmpstr (e->entry.counterparty_name, ==, "3rd party Media");
  g_assert_cmpstr (e->entry.counterparty_account, ==, "NL69ABNA0522123643");
  g_assert_cmpstr (e->entry.end_to_end_id, ==, "115");
  g_assert_cmpstr (e->entry.text, ==, "#RD PARTY MEDIA CUSNO 90782 4210773");
}

static void
test_corpus_oca_txdtls (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyTestSink) sink =
    parse_corpus ("camt053/OCA_bank-statement-import_test-camt053-txdtls.xml", &error);
  TsyTestStatement *st;
  TsyTestEntry *e;

  if (sink == NULL)
    return;
  g_assert_no_error (error);
  g_assert_cmpuint (sink->statements->len, ==, 1);
  st = tsy_test_sink_statement (sink, 0);
  g_assert_cmpstr (st->header.format, ==, "camt.053.001.04");
  g_assert_cmpstr (st->header.statement_id, ==, "20170323123456789012345");
  g_assert_cmpstr (st->header.account, ==, "CH1111000000123456789");
  g_assert_cmpstr (st->header.currency, ==, "CHF");
  g_assert_cmpint (st->header.opening_minor, ==, 7596015);
  g_assert_cmpuint (st->header.opening_date, ==, ymd (2017, 3, 22));
  g_assert_cmpint (st->header.closing_minor, ==, 7944315);
  g_assert_cmpuint (st->header.closing_date, ==, ymd (2017, 3, 23));
  g_assert_cmpuint (st->entries->len, ==, 1);
  g_assert_cmpint (st->header.opening_minor + tsy_test_statement_sum (st), ==,
                   st->header.closing_minor);
  e = entry_at (st, 0);
  g_assert_cmpint (e->entry.amount_minor, ==, 348300);
  g_assert_cmpuint (e->entry.n_details, ==, 2);
  g_assert_cmpint (e->entry.details[0].amount_minor, ==, 218700);
  g_assert_cmpint (e->entry.details[1].amount_minor, ==, 129600);
  g_assert_cmpint (e->entry.details[0].amount_minor + e->entry.details[1].amount_minor, ==,
                   e->entry.amount_minor);
  /* OCA golden: both from Banque Cantonale Vaudoise, refs from Strd/CdtrRefInf/Ref */
  g_assert_cmpstr (e->entry.details[0].counterparty_name, ==, "Banque Cantonale Vaudoise");
  g_assert_cmpstr (e->entry.details[0].counterparty_account, ==, "CH2222000000123456789");
  g_assert_cmpstr (e->entry.details[1].counterparty_account, ==, "CH3333000000123456789");
  g_assert_cmpstr (e->entry.details[0].text, ==, "302388292000011111111111111");
  g_assert_cmpstr (e->entry.bank_tx_code, ==, "PMNT/RCDT/VCOM");
  g_assert_nonnull (e->entry.bank_ref);
}

static void
test_corpus_multi_statement (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyTestSink) sink = parse_corpus ("camt053/genkgo_camt_camt053.v2.multi.statement.xml",
                                              &error);
  TsyTestStatement *a, *b;

  if (sink == NULL)
    return;
  g_assert_no_error (error);
  g_assert_cmpuint (sink->statements->len, ==, 2);
  a = tsy_test_sink_statement (sink, 0);
  b = tsy_test_sink_statement (sink, 1);
  g_assert_true (g_str_has_prefix (a->header.statement_id, "253EUR"));
  g_assert_true (g_str_has_prefix (b->header.statement_id, "254EUR"));
  g_assert_cmpstr (a->header.account, ==, "NL26VAYB8060476890");
  g_assert_cmpstr (b->header.account, ==, "NL26VAYB8060476890");
  g_assert_cmpstr (b->header.currency, ==, "EUR");
  g_assert_cmpint (a->header.opening_minor, ==, 1815);
  g_assert_cmpint (a->header.closing_minor, ==, 2700);
  g_assert_cmpint (b->header.opening_minor, ==, 2700);
  g_assert_cmpint (b->header.closing_minor, ==, 2000);
  g_assert_cmpuint (a->entries->len, ==, 1);
  g_assert_cmpuint (b->entries->len, ==, 1);
  g_assert_cmpint (entry_at (a, 0)->entry.amount_minor, ==, 885);
  g_assert_cmpint (entry_at (b, 0)->entry.amount_minor, ==, -700);
  g_assert_cmpint (a->header.opening_minor + tsy_test_statement_sum (a), ==,
                   a->header.closing_minor);
  g_assert_cmpint (b->header.opening_minor + tsy_test_statement_sum (b), ==,
                   b->header.closing_minor);
}

static void
test_corpus_no_entries (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyTestSink) sink =
    parse_corpus ("camt053/OCA_bank-statement-import_test-camt053-no-ntry.xml", &error);
  TsyTestStatement *st;

  if (sink == NULL)
    return;
  g_assert_no_error (error);
  g_assert_cmpuint (sink->statements->len, ==, 1);
  st = tsy_test_sink_statement (sink, 0);
  g_assert_true (st->ended);
  g_assert_cmpuint (st->entries->len, ==, 0);
  g_assert_cmpstr (st->header.currency, ==, "CHF");
  g_assert_cmpint (st->header.opening_minor, ==, 152076);
  g_assert_cmpint (st->header.closing_minor, ==, 152076);
  g_assert_cmpuint (st->header.opening_date, ==, ymd (2014, 1, 5));
}

/* camt.053.001.08: the .08 shapes (Sts/Cd, Dbtr/Pty/Nm, BookgDt/DtTm) and balances in four
 * currencies, of which only the EUR opening belongs to the EUR statement. */
static void
test_corpus_v8 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyTestSink) sink = parse_corpus ("camt053/genkgo_camt_camt053.v8.xml", &error);
  TsyTestStatement *st;
  TsyTestEntry *e;

  if (sink == NULL)
    return;
  g_assert_no_error (error);
  st = tsy_test_sink_statement (sink, 0);
  g_assert_cmpstr (st->header.format, ==, "camt.053.001.08");
  g_assert_cmpstr (st->header.account, ==, "NL26VAYB8060476890");
  g_assert_cmpstr (st->header.currency, ==, "EUR");
  g_assert_cmpstr (st->header.sequence, ==, "12312");
  g_assert_true (st->header.has_opening);
  g_assert_cmpint (st->header.opening_minor, ==, 1815);
  g_assert_false (st->header.has_closing);    /* CLBD is in SEK */
  g_assert_false (st->header.has_available);  /* CLAV is in JPY */
  g_assert_cmpuint (st->header.from_date, ==, ymd (2007, 10, 18));
  g_assert_cmpuint (st->entries->len, ==, 1);
  e = entry_at (st, 0);
  g_assert_cmpint (e->entry.amount_minor, ==, 885);
  g_assert_cmpuint (e->entry.booking_date, ==, ymd (2014, 12, 31));
  g_assert_cmpuint (e->entry.value_date, ==, ymd (2015, 1, 2));
  g_assert_cmpstr (e->entry.bank_ref, ==, "AAAASESS-FP-CN_98765/01");
  g_assert_cmpstr (e->entry.bank_tx_code, ==, "PMNT/RCDT/BOOK");
  g_assert_cmpstr (e->entry.end_to_end_id, ==, "MUELL/FINP/RA12345");
  g_assert_cmpstr (e->entry.counterparty_name, ==, "NAME NAME");
  g_assert_cmpstr (e->entry.counterparty_account, ==, "NL56AGDH9619008421");
  g_assert_cmpstr (e->entry.text, ==, "4654654654654654");
  /* TxDtls/Amt is in SEK, not the entry's EUR: no detail amount */
  g_assert_false (e->entry.details[0].has_amount);
}

/* ---- every file of the corpus -------------------------------------------------------------- */

typedef struct
{
  const char *file;
  const char *format;
  guint       n_statements;
  guint       n_entries;
  guint       n_details;
  gint64      sum;
  const char *account;     /* of the first statement */
  const char *currency;
  gboolean    has_opening;
  gint64      opening;
  gboolean    has_closing;
  gint64      closing;
} Facts;

/* From SOURCES.md (answer key and the file table), in minor units; balances in
 * another currency than the statement's are not in the header. */
static const Facts facts[] = {
  { "camt052/genkgo_camt_camt052.v1.xml", "camt.052.001.01", 1, 1, 0, -20000000,
    "CH2801234000123456789", "SEK", FALSE, 0, FALSE, 0 },
  { "camt052/genkgo_camt_camt052.v2.other-account.xml", "camt.052.001.02", 1, 1, 1, -20000000,
    "CH2801234000123456789", "SEK", FALSE, 0, FALSE, 0 },
  { "camt052/genkgo_camt_camt052.v2.with-account-name.xml", "camt.052.001.02", 1, 1, 1, -20000000,
    "CH2801234000123456789", "SEK", FALSE, 0, FALSE, 0 },
  { "camt052/genkgo_camt_camt052.v2.xml", "camt.052.001.02", 1, 1, 1, -20000000,
    "CH2801234000123456789", "SEK", FALSE, 0, FALSE, 0 },
  /* ITBD CHF 10022.15 is the intraday booked balance */
  { "camt052/genkgo_camt_camt052.v4.xml", "camt.052.001.04", 1, 1, 1, -20000000,
    "CH2801234000123456789", "CHF", FALSE, 0, TRUE, 1002215 },
  { "camt052/genkgo_camt_camt052.v6.Amt-zero.xml", "camt.052.001.06", 1, 1, 1, -20000000,
    "CH2801234000123456789", "CHF", FALSE, 0, TRUE, 1002215 },
  { "camt052/genkgo_camt_camt052.v6.xml", "camt.052.001.06", 1, 1, 1, -20000000,
    "CH2801234000123456789", "CHF", FALSE, 0, TRUE, 1002215 },
  { "camt052/genkgo_camt_camt052.v8.xml", "camt.052.001.08", 1, 1, 0, -20000000,
    "CH2801234000123456789", "SEK", FALSE, 0, FALSE, 0 },
  { "camt052/hbci4j_hbci4java_test-camt-parse-05200102.xml", "camt.052.001.02", 1, 2, 2, 1050,
    "DE12345678901234567890", "EUR", TRUE, 10000, TRUE, 11050 },
  { "camt052/hbci4j_hbci4java_test-camt-parse-05200108.xml", "camt.052.001.08", 1, 1, 1, -3400,
    "DE12345678901234567890", "EUR", TRUE, 10000, TRUE, 6600 },
  { "camt052/hbci4j_hbci4java_test-camt-ruecklastschrift.xml", "camt.052.001.02", 1, 1, 1, -5300,
    "DE1234567890", "EUR", TRUE, 10000, TRUE, 10000 },
  { "camt053/OCA_bank-statement-import_sftp-camt053.xml", "camt.053.001.02", 1, 1, 1, -120000,
    "NL12ABCD3456789012", "EUR", TRUE, 7500000, FALSE, 0 },
  { "camt053/OCA_bank-statement-import_test-camt053-bookgdt-dttm.xml", "camt.053.001.02", 1, 1, 1,
    -75425, "NL77ABNA0574908765", "EUR", TRUE, 1556827, TRUE, 1512112 },
  { "camt053/OCA_bank-statement-import_test-camt053-no-ntry.xml", "camt.053.001.04", 1, 0, 0, 0,
    "NL77ABNA0574908765", "CHF", TRUE, 152076, TRUE, 152076 },
  { "camt053/OCA_bank-statement-import_test-camt053-txdtls.xml", "camt.053.001.04", 1, 1, 2, 348300,
    "CH1111000000123456789", "CHF", TRUE, 7596015, TRUE, 7944315 },
  { "camt053/OCA_bank-statement-import_test-camt053.xml", "camt.053.001.02", 1, 3, 4, -1299,
    "NL77ABNA0574908765", "EUR", TRUE, 1556827, TRUE, 1512112 },
  { "camt053/genkgo_camt_camt053.v2.all-balance-types.xml", "camt.053.001.02", 1, 1, 1, 885,
    "CH2801234000123456789", "EUR", TRUE, 101, TRUE, 404 },
  /* "18.150": trailing zeros are not extra precision */
  { "camt053/genkgo_camt_camt053.v2.five.decimals.xml", "camt.053.001.02", 1, 1, 1, 885,
    "NL26VAYB8060476890", "EUR", TRUE, 1815, TRUE, 2705 },
  { "camt053/genkgo_camt_camt053.v2.minimal.ultimate.xml", "camt.053.001.02", 1, 1, 1, 885,
    "NL26VAYB8060476890", "EUR", TRUE, 1815, FALSE, 0 },
  { "camt053/genkgo_camt_camt053.v2.minimal.xml", "camt.053.001.02", 1, 1, 1, 885,
    "NL26VAYB8060476890", "EUR", TRUE, 1815, FALSE, 0 },
  { "camt053/genkgo_camt_camt053.v2.multi.statement.xml", "camt.053.001.02", 2, 2, 2, 185,
    "NL26VAYB8060476890", "EUR", TRUE, 1815, TRUE, 2700 },
  { "camt053/genkgo_camt_camt053.v2.with-account-name.xml", "camt.053.001.02", 1, 1, 1, 885,
    "CH2801234000123456789", "EUR", FALSE, 0, FALSE, 0 },
  { "camt053/genkgo_camt_camt053.v2.with-party-ids.xml", "camt.053.001.02", 1, 1, 1, 885,
    "NL26VAYB8060476890", "EUR", TRUE, 1815, FALSE, 0 },
  { "camt053/genkgo_camt_camt053.v3.xml", "camt.053.001.03", 1, 1, 1, 885,
    "NL26VAYB8060476890", "EUR", TRUE, 1815, FALSE, 0 },
  { "camt053/genkgo_camt_camt053.v4.xml", "camt.053.001.04", 1, 1, 1, 885,
    "NL26VAYB8060476890", "EUR", TRUE, 1815, FALSE, 0 },
  { "camt053/genkgo_camt_camt053.v8.xml", "camt.053.001.08", 1, 1, 1, 885,
    "NL26VAYB8060476890", "EUR", TRUE, 1815, FALSE, 0 },
  /* "5442.09000" RON */
  { "camt053/genkgo_camt_camt53.only-Dt-with-DtTm.xml", "camt.053.001.02", 1, 0, 0, 0,
    "GB33BUKB20201555555555", "RON", TRUE, 544209, FALSE, 0 },
  { "camt054/OCA_bank-statement-import_test-camt054.xml", "camt.054.001.04", 1, 1, 1, 500,
    "NL77ABNA0574908765", "EUR", FALSE, 0, FALSE, 0 },
  { "camt054/genkgo_camt_camt054.v2.with-account-name.xml", "camt.054.001.02", 1, 1, 1, -20000000,
    "CH2801234000123456789", "SEK", FALSE, 0, FALSE, 0 },
  { "camt054/genkgo_camt_camt054.v2.xml", "camt.054.001.02", 1, 1, 3, -20000000,
    "CH2801234000123456789", "SEK", FALSE, 0, FALSE, 0 },
  { "camt054/genkgo_camt_camt054.v4.xml", "camt.054.001.04", 1, 1, 3, -20000000,
    "CH2801234000123456789", "SEK", FALSE, 0, FALSE, 0 },
  { "camt054/genkgo_camt_camt054.v8-with-UETR.xml", "camt.054.001.08", 1, 1, 1, -20000000,
    "CH2801234000123456789", "SEK", FALSE, 0, FALSE, 0 },
  { "camt054/genkgo_camt_camt054.v8-with-financial-institution.xml", "camt.054.001.08", 1, 1, 1,
    -20000000, "CH2801234000123456789", "SEK", FALSE, 0, FALSE, 0 },
  { "camt054/genkgo_camt_camt054.v8.xml", "camt.054.001.08", 1, 1, 3, -20000000,
    "CH2801234000123456789", "SEK", FALSE, 0, FALSE, 0 },
};

/* Files refused on purpose, and what the message must point at. */
static const struct
{
  const char *file;
  const char *where;
} refused[] = {
  /* 13 decimals on a EUR balance */
  { "camt052/hbci4j_hbci4java_test-camt-parse-5200108-invalid-saldo.xml", "/Bal[1]/Amt" },
  /* Bal without Dt */
  { "camt052/hbci4j_hbci4java_test-camt-parse-5200108-missing-date.xml", "/Rpt[1]/Bal[1]" },
  /* namespace "...:xsd:camt" without a version */
  { "camt052/hbci4j_hbci4java_test-camt-parse-invalid.xml", "/Document" },
  /* no namespace at all */
  { "camt052/hbci4j_hbci4java_test-camt-parse-none.xml", "/Document" },
  /* BkToCstmrStmt without Stmt */
  { "camt053/genkgo_camt_camt053.v2.wrong.xml", "/Document/BkToCstmrStmt" },
  /* a zip archive is not XML (unpacking is the importer's business) */
  { "camt053/OCA_bank-statement-import_test-camt053.zip", "XML" },
};

static const Facts *
find_facts (const char *relative)
{
  for (gsize i = 0; i < G_N_ELEMENTS (facts); i++)
    if (strcmp (facts[i].file, relative) == 0)
      return &facts[i];
  return NULL;
}

static const char *
find_refusal (const char *relative)
{
  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    if (strcmp (refused[i].file, relative) == 0)
      return refused[i].where;
  return NULL;
}

static void
check_facts (const Facts *f,
             TsyTestSink *sink)
{
  TsyTestStatement *first;
  guint n_entries = 0, n_details = 0;
  gint64 sum = 0;

  g_assert_cmpuint (sink->statements->len, ==, f->n_statements);
  for (guint i = 0; i < sink->statements->len; i++)
    {
      TsyTestStatement *st = tsy_test_sink_statement (sink, i);
      g_assert_true (st->ended);
      g_assert_cmpstr (st->header.format, ==, f->format);
      n_entries += st->entries->len;
      sum += tsy_test_statement_sum (st);
      for (guint j = 0; j < st->entries->len; j++)
        {
          TsyTestEntry *e = entry_at (st, j);
          n_details += e->entry.n_details;
          g_assert_nonnull (e->entry.raw);
          g_assert_cmpuint (e->entry.source_line, >, 1);
        }
    }
  g_assert_cmpuint (n_entries, ==, f->n_entries);
  g_assert_cmpuint (n_details, ==, f->n_details);
  g_assert_cmpint (sum, ==, f->sum);
  first = tsy_test_sink_statement (sink, 0);
  g_assert_cmpstr (first->header.account, ==, f->account);
  g_assert_cmpstr (first->header.currency, ==, f->currency);
  g_assert_cmpint (first->header.has_opening, ==, f->has_opening);
  if (f->has_opening)
    g_assert_cmpint (first->header.opening_minor, ==, f->opening);
  g_assert_cmpint (first->header.has_closing, ==, f->has_closing);
  if (f->has_closing)
    g_assert_cmpint (first->header.closing_minor, ==, f->closing);
  g_assert_cmpint (first->header.kind, ==,
                   g_str_has_prefix (f->format, "camt.052") ? TSY_STATEMENT_KIND_INTRADAY :
                   g_str_has_prefix (f->format, "camt.053") ? TSY_STATEMENT_KIND_FINAL :
                   TSY_STATEMENT_KIND_NOTIFICATION);
}

static void
test_corpus_every_file (void)
{
  static const char *const dirs[] = { "camt052", "camt053", "camt054" };
  guint seen = 0;

  for (gsize k = 0; k < G_N_ELEMENTS (dirs); k++)
    {
      g_autofree char *dir_path = tsy_test_corpus_path (dirs[k]);
      g_autoptr(GDir) dir = NULL;
      const char *name;

      if (dir_path == NULL)
        return;
      dir = g_dir_open (dir_path, 0, NULL);
      g_assert_nonnull (dir);
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *relative = g_build_filename (dirs[k], name, NULL);
          g_autofree char *full = g_build_filename (dir_path, name, NULL);
          g_autoptr(GError) error = NULL;
          g_autoptr(TsyTestSink) sink = NULL;
          const Facts *f = find_facts (relative);
          const char *where = find_refusal (relative);

          if (g_file_test (full, G_FILE_TEST_IS_DIR))
            continue;   /* expected_json/, expected_oca/ */
          g_test_message ("%s", relative);
          if (f == NULL && where == NULL)
            g_error ("no expectation for corpus file %s", relative);
          sink = tsy_test_parse_file (tsy_camt_parse, full, &error);
          g_assert_nonnull (sink);
          if (where != NULL)
            {
              g_assert_nonnull (error);
              g_test_message ("  refused: %s", error->message);
              assert_parse_error (error, name, where);
            }
          else
            {
              g_assert_no_error (error);
              check_facts (f, sink);
            }
          seen++;
        }
    }
  g_assert_cmpuint (seen, ==, G_N_ELEMENTS (facts) + G_N_ELEMENTS (refused));
}

/* ---- genkgo's decoder output as a second answer key ---------------------------------------- */

typedef struct
{
  gint64  amount;
  char   *currency;
  char   *type;
  TsyDate date;
} JsonBalance;

static void
json_balance_free (gpointer p)
{
  JsonBalance *b = p;

  g_free (b->currency);
  g_free (b->type);
  g_free (b);
}

/* The first balance of @type in @currency, or NULL. */
static const JsonBalance *
json_balance (GPtrArray  *balances,
              const char *type,
              const char *currency)
{
  for (guint i = 0; i < balances->len; i++)
    {
      const JsonBalance *b = g_ptr_array_index (balances, i);
      if (strcmp (b->type, type) == 0 && g_strcmp0 (b->currency, currency) == 0)
        return b;
    }
  return NULL;
}

static void
check_json_balance (gboolean           has,
                    gint64             amount,
                    TsyDate            date,
                    const JsonBalance *want)
{
  g_assert_cmpint (has, ==, want != NULL);
  if (want != NULL)
    {
      g_assert_cmpint (amount, ==, want->amount);
      g_assert_cmpuint (date, ==, want->date);
    }
}

static void
test_corpus_genkgo_json (void)
{
  static const char *const dirs[] = { "camt052", "camt053", "camt054" };
  g_autoptr(GRegex) entry_re = g_regex_new (
    "DTO\\W+Entry\",\\s*\"getAccountServicerReference\": (?:null|\"([^\"]*)\"),\\s*"
    "\"getAdditionalInfo\": [^\\n]*\\n\\s*\"getAmount\": \\{\\s*\"__CLASS__\": \"Money\\W+Money\","
    "\\s*\"getAmount\": \"(-?\\d+)\",\\s*\"getCurrency\": \\{\\s*"
    "\"__CLASS__\": \"Money\\W+Currency\","
    "\\s*\"getCode\": \"([A-Z]{3})\"", 0, 0, NULL);
  g_autoptr(GRegex) balance_re = g_regex_new (
    "DTO\\W+Balance\",\\s*\"getAmount\": \\{\\s*\"__CLASS__\": \"Money\\W+Money\",\\s*"
    "\"getAmount\": \"(-?\\d+)\",\\s*\"getCurrency\": \\{\\s*\"__CLASS__\": \"Money\\W+Currency\","
    "\\s*\"getCode\": \"([A-Z]{3})\"\\s*\\}\\s*\\},\\s*\"getDate\": \\{\\s*\"__CLASS__\": "
    "\"DateTimeImmutable\",\\s*\"0\": \"(\\d{4})-(\\d\\d)-(\\d\\d)[^\"]*\"\\s*\\},\\s*"
    "\"getType\": \"(\\w+)\"", 0, 0, NULL);
  guint checked = 0;

  g_assert_nonnull (entry_re);
  g_assert_nonnull (balance_re);
  for (gsize k = 0; k < G_N_ELEMENTS (dirs); k++)
    {
      g_autofree char *json_dir = g_build_filename (dirs[k], "expected_json", NULL);
      g_autofree char *dir_path = tsy_test_corpus_path (json_dir);
      g_autoptr(GDir) dir = NULL;
      const char *name;

      if (dir_path == NULL)
        return;
      dir = g_dir_open (dir_path, 0, NULL);
      g_assert_nonnull (dir);
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *json_path = g_build_filename (dir_path, name, NULL);
          g_autofree char *stem = g_strndup (name, strlen (name) - strlen (".json"));
          g_autofree char *xml_name = g_strconcat (stem, ".xml", NULL);
          g_autofree char *xml_rel = g_build_filename (dirs[k], xml_name, NULL);
          g_autofree char *json = NULL;
          g_autoptr(GError) error = NULL;
          g_autoptr(TsyTestSink) sink = NULL;
          g_autoptr(GMatchInfo) match = NULL;
          g_autoptr(GPtrArray) all = g_ptr_array_new ();
          g_autoptr(GPtrArray) balances = g_ptr_array_new_with_free_func (json_balance_free);
          TsyTestStatement *last;
          guint next = 0, n_json = 0;

          if (!g_str_has_suffix (name, ".json"))
            continue;
          g_test_message ("%s", name);
          g_assert_true (g_file_get_contents (json_path, &json, NULL, NULL));
          sink = parse_corpus (xml_rel, &error);
          g_assert_no_error (error);
          g_assert_nonnull (sink);
          for (guint i = 0; i < sink->statements->len; i++)
            {
              TsyTestStatement *st = tsy_test_sink_statement (sink, i);
              for (guint j = 0; j < st->entries->len; j++)
                g_ptr_array_add (all, entry_at (st, j));
            }
          last = tsy_test_sink_statement (sink, sink->statements->len - 1);

          /* genkgo's entries (of the last record) appear among ours, in order */
          g_regex_match (entry_re, json, 0, &match);
          while (g_match_info_matches (match))
            {
              g_autofree char *ref = g_match_info_fetch (match, 1);
              g_autofree char *amount = g_match_info_fetch (match, 2);
              g_autofree char *ccy = g_match_info_fetch (match, 3);
              gint64 want = g_ascii_strtoll (amount, NULL, 10);
              gboolean found = FALSE;

              n_json++;
              for (; next < all->len && !found; next++)
                {
                  TsyTestEntry *e = g_ptr_array_index (all, next);
                  const char *our_ccy = e->entry.currency ? e->entry.currency :
                                        last->header.currency;
                  if (e->entry.amount_minor != want || g_strcmp0 (our_ccy, ccy) != 0)
                    continue;
                  if (ref != NULL && *ref != '\0' && strcmp (ref, "NONREF") != 0)
                    g_assert_cmpstr (e->entry.bank_ref, ==, ref);
                  found = TRUE;
                }
              if (!found)
                g_error ("%s: genkgo entry %s %s not found", name, amount, ccy);
              g_match_info_next (match, NULL);
            }
          g_clear_pointer (&match, g_match_info_free);
          /* the pattern matched every entry genkgo wrote */
          {
            guint n_markers = 0;
            for (const char *q = json; (q = strstr (q, "DTO\\\\Entry\"")) != NULL; q++)
              n_markers++;
            g_assert_cmpuint (n_json, ==, n_markers);
          }

          /* genkgo's balances of the last record: ours are those in the statement currency */
          g_regex_match (balance_re, json, 0, &match);
          while (g_match_info_matches (match))
            {
              JsonBalance *b = g_new0 (JsonBalance, 1);
              g_autofree char *amount = g_match_info_fetch (match, 1);
              g_autofree char *y = g_match_info_fetch (match, 3);
              g_autofree char *m = g_match_info_fetch (match, 4);
              g_autofree char *d = g_match_info_fetch (match, 5);
              b->amount = g_ascii_strtoll (amount, NULL, 10);
              b->currency = g_match_info_fetch (match, 2);
              b->date = ymd (g_ascii_strtoll (y, NULL, 10), g_ascii_strtoll (m, NULL, 10),
                             g_ascii_strtoll (d, NULL, 10));
              b->type = g_match_info_fetch (match, 6);
              g_ptr_array_add (balances, b);
              g_match_info_next (match, NULL);
            }
          if (balances->len > 0)
            {
              const char *ccy = last->header.currency;
              const JsonBalance *close = json_balance (balances, "closing", ccy);
              const JsonBalance *avail = json_balance (balances, "closing_available", ccy);
              if (close == NULL)
                close = json_balance (balances, "interim", ccy);
              if (avail == NULL)
                avail = json_balance (balances, "interim_available", ccy);
              check_json_balance (last->header.has_opening, last->header.opening_minor,
                                  last->header.opening_date,
                                  json_balance (balances, "opening", ccy));
              check_json_balance (last->header.has_closing, last->header.closing_minor,
                                  last->header.closing_date, close);
              check_json_balance (last->header.has_available, last->header.available_minor,
                                  last->header.available_date, avail);
            }
          g_assert_cmpuint (n_json + balances->len, >, 0);
          checked++;
        }
    }
  g_assert_cmpuint (checked, ==, 25);
}

/* ---- string cases -------------------------------------------------------------------------- */

static const char prefixed[] =
  "<?xml version=\"1.0\"?>\n"
  "<c:Document xmlns:c=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">\n"
  " <c:BkToCstmrStmt>\n"
  "  <c:GrpHdr><c:MsgId>M</c:MsgId></c:GrpHdr>\n"
  "  <c:Stmt>\n"
  "   <c:Id>P1</c:Id>\n"
  "   <c:Acct><c:Id><c:Othr><c:Id>12345678</c:Id></c:Othr></c:Id></c:Acct>\n"
  "   <c:Bal><c:Tp><c:CdOrPrtry><c:Cd>OPBD</c:Cd></c:CdOrPrtry></c:Tp>"
  "<c:Amt Ccy=\"CNY\">100.00</c:Amt><c:CdtDbtInd>DBIT</c:CdtDbtInd>"
  "<c:Dt><c:Dt>2024-03-01</c:Dt></c:Dt></c:Bal>\n"
  "   <c:Ntry><c:Amt Ccy=\"CNY\">1,5</c:Amt><c:CdtDbtInd>CRDT</c:CdtDbtInd></c:Ntry>\n"
  "  </c:Stmt>\n"
  " </c:BkToCstmrStmt>\n"
  "</c:Document>\n";

static void
test_prefix (void)
{
  g_autofree char *fixed = NULL;
  g_autofree char *plain = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyTestSink) sink = NULL;
  g_autoptr(TsyTestSink) sink2 = NULL;
  TsyTestStatement *st, *st2;
  g_auto(GStrv) parts = NULL;

  /* "1,5" is not an xs:decimal */
  sink = parse_text (prefixed, &error);
  assert_parse_error (error, "test.txt", "/Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/Amt");
  g_clear_pointer (&sink, tsy_test_sink_free);
  g_clear_error (&error);

  parts = g_strsplit (prefixed, "1,5", -1);
  fixed = g_strjoinv ("1.50", parts);
  sink = parse_text (fixed, &error);
  g_assert_no_error (error);
  st = tsy_test_sink_statement (sink, 0);
  g_assert_cmpstr (st->header.account, ==, "12345678");
  g_assert_cmpstr (st->header.currency, ==, "CNY");
  g_assert_cmpint (st->header.opening_minor, ==, -10000);
  g_assert_cmpint (entry_at (st, 0)->entry.amount_minor, ==, 150);

  /* the same without a prefix gives the same result */
  g_strfreev (parts);
  parts = g_strsplit (fixed, "c:", -1);
  plain = g_strjoinv ("", parts);
  {
    g_auto(GStrv) p2 = g_strsplit (plain, "xmlns:c=", -1);
    g_free (plain);
    plain = g_strjoinv ("xmlns=", p2);
  }
  sink2 = parse_text (plain, &error);
  g_assert_no_error (error);
  st2 = tsy_test_sink_statement (sink2, 0);
  g_assert_cmpstr (st2->header.account, ==, st->header.account);
  g_assert_cmpint (st2->header.opening_minor, ==, st->header.opening_minor);
  g_assert_cmpint (entry_at (st2, 0)->entry.amount_minor, ==, entry_at (st, 0)->entry.amount_minor);
}

static void
test_foreign_elements (void)
{
  /* an element of another namespace with camt-like names is not read as camt */
  g_autofree char *doc = doc053 (
    "<Ntry><Amt Ccy=\"EUR\">5.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>"
    "<x:AcctSvcrRef xmlns:x=\"urn:example\">NOT-IT</x:AcctSvcrRef>"
    "<AcctSvcrRef>REF-1</AcctSvcrRef></Ntry>");
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyTestSink) sink = parse_text (doc, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (entry_at (tsy_test_sink_statement (sink, 0), 0)->entry.bank_ref, ==, "REF-1");
}

static void
test_dates (void)
{
  g_autofree char *doc = doc053 (
    "<FrToDt><FrDtTm>2024-03-01T00:00:00+08:00</FrDtTm><ToDtTm>2024-03-31T23:59:59Z</ToDtTm>"
    "</FrToDt>\n"
    "<Ntry><Amt Ccy=\"EUR\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>"
    "<BookgDt><DtTm>2024-03-01T23:30:00.123+08:00</DtTm></BookgDt><ValDt><Dt>2024-03-04</Dt>"
    "</ValDt></Ntry>\n"
    "<Ntry><Amt Ccy=\"EUR\">2.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>"
    "<ValDt><DtTm>2024-03-05T08:00:00</DtTm></ValDt></Ntry>\n");
  g_autofree char *bad = doc053 (
    "<Ntry><Amt Ccy=\"EUR\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>"
    "<BookgDt><Dt>2024-02-30</Dt></BookgDt></Ntry>");
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyTestSink) sink = parse_text (doc, &error);
  TsyTestStatement *st;

  g_assert_no_error (error);
  st = tsy_test_sink_statement (sink, 0);
  g_assert_cmpuint (st->header.from_date, ==, ymd (2024, 3, 1));
  g_assert_cmpuint (st->header.to_date, ==, ymd (2024, 3, 31));
  g_assert_cmpuint (entry_at (st, 0)->entry.booking_date, ==, ymd (2024, 3, 1));
  g_assert_cmpuint (entry_at (st, 0)->entry.value_date, ==, ymd (2024, 3, 4));
  /* no BookgDt: the value date stands in */
  g_assert_cmpuint (entry_at (st, 1)->entry.booking_date, ==, ymd (2024, 3, 5));
  g_assert_cmpuint (entry_at (st, 1)->entry.value_date, ==, ymd (2024, 3, 5));

  g_clear_pointer (&sink, tsy_test_sink_free);
  sink = parse_text (bad, &error);
  assert_parse_error (error, "test.txt", "/Stmt[1]/Ntry[1]/BookgDt/Dt");
  g_assert_nonnull (strstr (error->message, "2024-02-30"));
}

static void
test_related_parties (void)
{
  /* .02: Dbtr/Nm; .08: Cdtr/Pty/Nm. The own account is never the counterparty. */
  g_autofree char *doc = doc053 (
    "<Ntry><Amt Ccy=\"EUR\">10.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><NtryDtls><TxDtls>"
    "<Refs><EndToEndId>E2E-1</EndToEndId><InstrId>NOTPROVIDED</InstrId></Refs>"
    "<RltdPties><Dbtr><Nm>Alpha GmbH</Nm></Dbtr><DbtrAcct><Id>"
    "<IBAN>DE02120300000000202051</IBAN></Id></DbtrAcct>"
    "<Cdtr><Nm>Us</Nm></Cdtr><CdtrAcct><Id><IBAN>DE89370400440532013000</IBAN></Id></CdtrAcct>"
    "</RltdPties>"
    "<RltdAgts><DbtrAgt><FinInstnId><BIC>BYLADEM1001</BIC></FinInstnId></DbtrAgt></RltdAgts>"
    "<RmtInf><Ustrd>Invoice 1</Ustrd><Ustrd>and 2</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>\n"
    "<Ntry><Amt Ccy=\"EUR\">20.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><NtryDtls><TxDtls>"
    "<Amt Ccy=\"EUR\">20.00</Amt><CdtDbtInd>DBIT</CdtDbtInd>"
    "<RltdPties><Dbtr><Pty><Nm>Us</Nm></Pty></Dbtr><DbtrAcct><Id>"
    "<IBAN>DE89 3704 0044 0532 0130 00</IBAN></Id></DbtrAcct>"
    "<Cdtr><Pty><Nm>Beta SARL</Nm></Pty></Cdtr><CdtrAcct><Id><Othr><Id>FR-998877</Id></Othr>"
    "</Id></CdtrAcct></RltdPties>"
    "<RltdAgts><CdtrAgt><FinInstnId><BICFI>BNPAFRPP</BICFI></FinInstnId></CdtrAgt></RltdAgts>"
    "<RmtInf><Strd><CdtrRefInf><Ref>RF18539007547034</Ref></CdtrRefInf></Strd></RmtInf>"
    "</TxDtls></NtryDtls></Ntry>\n"
    /* a debit where the creditor's account is ours: the other side is the counterparty */
    "<Ntry><Amt Ccy=\"EUR\">30.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><NtryDtls><TxDtls>"
    "<RltdPties><Dbtr><Nm>Gamma</Nm></Dbtr><DbtrAcct><Id><IBAN>DE75512108001245126199</IBAN>"
    "</Id></DbtrAcct>"
    "<Cdtr><Nm>Us</Nm></Cdtr><CdtrAcct><Id><IBAN>DE89370400440532013000</IBAN></Id></CdtrAcct>"
    "</RltdPties>"
    "</TxDtls></NtryDtls></Ntry>\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyTestSink) sink = parse_text (doc, &error);
  TsyTestStatement *st;
  TsyTestEntry *e;

  g_assert_no_error (error);
  st = tsy_test_sink_statement (sink, 0);
  e = entry_at (st, 0);
  g_assert_cmpstr (e->entry.counterparty_name, ==, "Alpha GmbH");
  g_assert_cmpstr (e->entry.counterparty_account, ==, "DE02120300000000202051");
  g_assert_cmpstr (e->entry.counterparty_bank, ==, "BYLADEM1001");
  g_assert_cmpstr (e->entry.text, ==, "Invoice 1 and 2");
  g_assert_cmpstr (e->entry.end_to_end_id, ==, "E2E-1");
  g_assert_null (e->entry.customer_ref);      /* NOTPROVIDED */
  g_assert_false (e->entry.details[0].has_amount);

  e = entry_at (st, 1);
  g_assert_cmpint (e->entry.amount_minor, ==, -2000);
  g_assert_cmpstr (e->entry.counterparty_name, ==, "Beta SARL");
  g_assert_cmpstr (e->entry.counterparty_account, ==, "FR-998877");
  g_assert_cmpstr (e->entry.counterparty_bank, ==, "BNPAFRPP");
  g_assert_cmpstr (e->entry.text, ==, "RF18539007547034");
  g_assert_true (e->entry.details[0].has_amount);
  g_assert_cmpint (e->entry.details[0].amount_minor, ==, -2000);

  e = entry_at (st, 2);
  g_assert_cmpstr (e->entry.counterparty_name, ==, "Gamma");
}

static void
test_reversal (void)
{
  /* a returned outgoing transfer: booked CRDT with RvslInd, parties of the original debit */
  g_autofree char *doc = doc053 (
    "<Ntry><Amt Ccy=\"EUR\">99.99</Amt><CdtDbtInd>CRDT</CdtDbtInd><RvslInd>true</RvslInd>"
    "<Sts>BOOK</Sts><AcctSvcrRef>NONREF</AcctSvcrRef><NtryRef>NR-5</NtryRef>"
    "<BkTxCd><Prtry><Cd>NRTI+159</Cd></Prtry></BkTxCd><NtryDtls><TxDtls>"
    "<RltdPties><Dbtr><Nm>Us</Nm></Dbtr><Cdtr><Nm>Supplier AG</Nm></Cdtr>"
    "<CdtrAcct><Id><IBAN>CH9300762011623852957</IBAN></Id></CdtrAcct></RltdPties>"
    "<AddtlTxInf>RETOURE AC04</AddtlTxInf></TxDtls></NtryDtls></Ntry>");
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyTestSink) sink = parse_text (doc, &error);
  TsyTestEntry *e;

  g_assert_no_error (error);
  e = entry_at (tsy_test_sink_statement (sink, 0), 0);
  g_assert_true (e->entry.reversal);
  g_assert_cmpint (e->entry.amount_minor, ==, 9999);   /* the sign follows CdtDbtInd */
  g_assert_cmpstr (e->entry.counterparty_name, ==, "Supplier AG");
  g_assert_cmpstr (e->entry.counterparty_account, ==, "CH9300762011623852957");
  g_assert_cmpstr (e->entry.bank_ref, ==, "NR-5");     /* NONREF is no identity */
  g_assert_cmpstr (e->entry.bank_tx_code, ==, "NRTI+159");
  g_assert_cmpstr (e->entry.text, ==, "RETOURE AC04");
  g_assert_nonnull (strstr (e->entry.raw, "RvslInd true"));
}

static char *
batch_doc (guint n)
{
  g_autoptr(GString) s = g_string_new (NULL);
  g_autofree char *amount = NULL;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, "<TxDtls><Refs><EndToEndId>E%u</EndToEndId><PmtInfId>PI-1</PmtInfId>"
                               "</Refs><AmtDtls><TxAmt><Amt Ccy=\"EUR\">1.00</Amt></TxAmt>"
                               "</AmtDtls>"
                               "<RltdPties><Cdtr><Nm>Payee %u</Nm></Cdtr></RltdPties></TxDtls>\n",
                            i, i);
  amount = g_strdup_printf ("%u.00", n);
  {
    g_autofree char *ntry = g_strdup_printf (
      "<Ntry><Amt Ccy=\"EUR\">%s</Amt><CdtDbtInd>DBIT</CdtDbtInd><AcctSvcrRef>B-1</AcctSvcrRef>"
      "<NtryDtls><Btch><NbOfTxs>%u</NbOfTxs></Btch>\n%s</NtryDtls>"
      "<AddtlNtryInf>SALARIES</AddtlNtryInf></Ntry>",
      amount, n, s->str);
    return doc053 (ntry);
  }
}

static void
test_batch (void)
{
  g_autofree char *doc = batch_doc (3);
  g_autofree char *big = batch_doc (10000);
  g_autofree char *too_big = batch_doc (10001);
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyTestSink) sink = parse_text (doc, &error);
  TsyTestEntry *e;
  gint64 sum = 0;

  g_assert_no_error (error);
  e = entry_at (tsy_test_sink_statement (sink, 0), 0);
  g_assert_cmpint (e->entry.amount_minor, ==, -300);
  g_assert_cmpuint (e->entry.n_details, ==, 3);
  g_assert_null (e->entry.counterparty_name);
  g_assert_null (e->entry.end_to_end_id);
  g_assert_cmpstr (e->entry.text, ==, "SALARIES");
  g_assert_cmpstr (e->entry.customer_ref, ==, "PI-1");
  g_assert_cmpstr (e->entry.bank_ref, ==, "B-1");
  g_assert_cmpstr (e->entry.details[2].end_to_end_id, ==, "E2");
  g_assert_cmpstr (e->entry.details[2].counterparty_name, ==, "Payee 2");
  g_assert_cmpint (e->entry.details[2].amount_minor, ==, -100);

  g_clear_pointer (&sink, tsy_test_sink_free);
  sink = parse_text (big, &error);
  g_assert_no_error (error);
  e = entry_at (tsy_test_sink_statement (sink, 0), 0);
  g_assert_cmpuint (e->entry.n_details, ==, 10000);
  for (guint i = 0; i < e->entry.n_details; i++)
    sum += e->entry.details[i].amount_minor;
  g_assert_cmpint (sum, ==, e->entry.amount_minor);
  g_assert_cmpstr (e->entry.details[9999].counterparty_name, ==, "Payee 9999");

  g_clear_pointer (&sink, tsy_test_sink_free);
  sink = parse_text (too_big, &error);
  assert_parse_error (error, "test.txt", "/Ntry[1]/NtryDtls/TxDtls[10001]");
  g_assert_nonnull (strstr (error->message, "10000"));
}

static void
test_balances (void)
{
  g_autofree char *doc = doc053 (
    BAL ("PRCD", "50.00", "CRDT", "2024-02-29")
    BAL ("OPBD", "100.00", "CRDT", "2024-03-01")
    "<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"USD\">1.00</Amt>"
    "<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2024-03-01</Dt></Dt></Bal>\n"
    BAL ("CLBD", "12.50", "DBIT", "2024-03-01")
    BAL ("CLAV", "0", "CRDT", "2024-03-02")
    "<Ntry><Amt Ccy=\"EUR\">112.50</Amt><CdtDbtInd>DBIT</CdtDbtInd></Ntry>");
  g_autofree char *prcd = doc053 (BAL ("PRCD", "50.00", "CRDT", "2024-02-29")
                                  BAL ("ITBD", "60.00", "CRDT", "2024-03-01"));
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyTestSink) sink = parse_text (doc, &error);
  TsyTestStatement *st;

  g_assert_no_error (error);
  st = tsy_test_sink_statement (sink, 0);
  g_assert_cmpint (st->header.opening_minor, ==, 10000);     /* OPBD wins over PRCD */
  g_assert_cmpuint (st->header.opening_date, ==, ymd (2024, 3, 1));
  g_assert_true (st->header.has_closing);
  g_assert_cmpint (st->header.closing_minor, ==, -1250);     /* the USD CLBD is left out */
  g_assert_true (st->header.has_available);
  g_assert_cmpint (st->header.available_minor, ==, 0);
  g_assert_cmpuint (st->header.available_date, ==, ymd (2024, 3, 2));
  g_assert_cmpint (st->header.opening_minor + tsy_test_statement_sum (st), ==,
                   st->header.closing_minor);

  g_clear_pointer (&sink, tsy_test_sink_free);
  sink = parse_text (prcd, &error);
  g_assert_no_error (error);
  st = tsy_test_sink_statement (sink, 0);
  g_assert_cmpint (st->header.opening_minor, ==, 5000);      /* PRCD when no OPBD */
  g_assert_cmpint (st->header.closing_minor, ==, 6000);      /* ITBD when no CLBD */
}

static void
test_versions (void)
{
  static const struct { const char *ns; const char *format; int kind; } ok[] = {
    { "camt.052.001.13", "camt.052.001.13", TSY_STATEMENT_KIND_INTRADAY },
    { "camt.053.001.10", "camt.053.001.10", TSY_STATEMENT_KIND_FINAL },
    { "camt.054.001.01", "camt.054.001.01", TSY_STATEMENT_KIND_NOTIFICATION },
  };
  static const char *const bad[] = {
    "camt.055.001.02", "camt.053.002.02", "camt.053.001.2", "camt.053.001.00", "pain.001.001.03",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (ok) + G_N_ELEMENTS (bad); i++)
    {
      const char *ns = i < G_N_ELEMENTS (ok) ? ok[i].ns : bad[i - G_N_ELEMENTS (ok)];
      g_autofree char *doc = g_strdup_printf (
        "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:%s\"><BkToCstmrX><Rpt><Id>R</Id>"
        "<Acct><Id><IBAN>X1</IBAN></Id></Acct></Rpt></BkToCstmrX></Document>", ns);
      g_autoptr(GError) error = NULL;
      g_autoptr(TsyTestSink) sink = parse_text (doc, &error);

      if (i < G_N_ELEMENTS (ok))
        {
          g_assert_no_error (error);
          g_assert_cmpstr (tsy_test_sink_statement (sink, 0)->header.format, ==, ok[i].format);
          g_assert_cmpint (tsy_test_sink_statement (sink, 0)->header.kind, ==, ok[i].kind);
        }
      else
        {
          assert_parse_error (error, "test.txt", "/Document");
          g_assert_nonnull (strstr (error->message, ns));
          g_assert_cmpuint (sink->statements->len, ==, 0);
        }
    }
}

static void
test_doctype_refused (void)
{
  static const char *const docs[] = {
    /* billion laughs */
    "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE lolz [\n"
    " <!ENTITY lol \"lol\">\n"
    " <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
    " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
    " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
    "]>\n"
    "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt><Stmt>"
    "<Id>&lol4;</Id><Acct><Id><IBAN>X</IBAN></Id></Acct></Stmt></BkToCstmrStmt></Document>\n",
    /* external entity */
    "<!-- c --><!DOCTYPE Document [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
    "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt><Stmt>"
    "<Id>&xxe;</Id><Acct><Id><IBAN>X</IBAN></Id></Acct></Stmt></BkToCstmrStmt></Document>",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (docs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TsyTestSink) sink = parse_text (docs[i], &error);

      assert_parse_error (error, "test.txt", "DOCTYPE");
      g_assert_cmpuint (sink->statements->len, ==, 0);
    }
}

static void
test_missing_elements (void)
{
  static const struct { const char *children; const char *where; } cases[] = {
    { "<Ntry><CdtDbtInd>CRDT</CdtDbtInd></Ntry>", "/Stmt[1]/Ntry[1]: " },
    { "<Ntry><Amt Ccy=\"EUR\">1.00</Amt></Ntry>", "/Stmt[1]/Ntry[1]: " },
    { "<Ntry><Amt>1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd></Ntry>", "/Ntry[1]/Amt: " },
    { "<Ntry><Amt Ccy=\"EUR\">-1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd></Ntry>", "/Ntry[1]/Amt: " },
    { "<Ntry><Amt Ccy=\"EUR\">1.005</Amt><CdtDbtInd>CRDT</CdtDbtInd></Ntry>", "/Ntry[1]/Amt: " },
    { "<Ntry><Amt Ccy=\"XYZ\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd></Ntry>", "/Ntry[1]/Amt: " },
    { "<Ntry><Amt Ccy=\"EUR\">1.00</Amt><CdtDbtInd>C</CdtDbtInd></Ntry>", "/Ntry[1]/CdtDbtInd: " },
    { "<Ntry><Amt Ccy=\"EUR\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><RvslInd>yes</RvslInd></Ntry>",
      "/Ntry[1]/RvslInd: " },
    { "<Ntry><Amt Ccy=\"EUR\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd></Ntry><Ntry/>",
      "/Stmt[1]/Ntry[2]: " },
    { BAL ("OPBD", "1.00", "CRDT", "2024-01-01")
      "<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp>"
      "<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2024-01-01</Dt></Dt></Bal>", "/Stmt[1]/Bal[2]: " },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *doc = doc053 (cases[i].children);
      g_autoptr(GError) error = NULL;
      g_autoptr(TsyTestSink) sink = parse_text (doc, &error);

      g_test_message ("case %zu: %s", i, error ? error->message : "(no error)");
      assert_parse_error (error, "test.txt", cases[i].where);
    }

  /* no account */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TsyTestSink) sink = parse_text (
      "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.054.001.08\">\n"
      "<BkToCstmrDbtCdtNtfctn><Ntfctn><Id>N</Id></Ntfctn>\n"
      "<Ntfctn><Id>N2</Id><Acct><Ownr><Nm>X</Nm></Ownr></Acct>\n"
      "<Ntry><Amt Ccy=\"EUR\">1</Amt><CdtDbtInd>DBIT</CdtDbtInd></Ntry></Ntfctn>"
      "</BkToCstmrDbtCdtNtfctn></Document>", &error);
    assert_parse_error (error, "test.txt", "/Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]: ");
    g_assert_nonnull (strstr (error->message, "line 2:"));
  }
}

static void
test_malformed_xml (void)
{
  g_autofree char *doc = doc053 ("<Ntry><Amt Ccy=\"EUR\">1.00</Amt>\n"
                                 "<CdtDbtInd>CRDT</CdtDbtInd>\n</Ntri>");
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyTestSink) sink = NULL;

  if (g_test_subprocess ())
    {
      /* libxml2 must not print anything itself */
      sink = parse_text (doc, &error);
      assert_parse_error (error, "test.txt", "/Document/BkToCstmrStmt/Stmt");
      /* the SAX callbacks run in step with the parser: the path has its sibling indexes */
      g_assert_nonnull (strstr (error->message, "/Stmt[1]/Ntry[1]: "));
      g_assert_nonnull (strstr (error->message, "line 10:"));
      g_assert_nonnull (strstr (error->message, "malformed XML"));
      g_clear_pointer (&sink, tsy_test_sink_free);
      g_clear_error (&error);
      sink = parse_text ("not xml at all", &error);
      assert_parse_error (error, "test.txt", NULL);
      g_clear_pointer (&sink, tsy_test_sink_free);
      g_clear_error (&error);
      sink = parse_text ("", &error);
      assert_parse_error (error, "test.txt", NULL);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr_unmatched ("?*");
}

static void
test_truncated (void)
{
  g_autofree char *path =
    tsy_test_corpus_path ("camt053/OCA_bank-statement-import_test-camt053.xml");
  g_autofree char *text = NULL;
  gsize len = 0;
  guint n = 0;

  if (path == NULL)
    return;
  g_assert_true (g_file_get_contents (path, &text, &len, NULL));
  for (gsize cut = 97; cut < len; cut += 97)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TsyTestSink) sink = tsy_test_parse_string (tsy_camt_parse, text, cut, &error);

      g_assert_nonnull (error);
      g_assert_true (error->domain == TSY_BANK_ERROR);
      g_assert_true (g_str_has_prefix (error->message, "test.txt: line "));
      n++;
    }
  g_assert_cmpuint (n, >, 100);
}

static void
test_sink_error_stops (void)
{
  g_autofree char *path =
    tsy_test_corpus_path ("camt053/OCA_bank-statement-import_test-camt053.xml");
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(TsyTestSink) sink = tsy_test_sink_new ();

  if (path == NULL)
    return;
  file = g_file_new_for_path (path);
  in = g_file_read (file, NULL, NULL);
  sink->fail_at_entry = 2;
  g_assert_false (tsy_camt_parse (G_INPUT_STREAM (in), "x.xml", &tsy_test_sink_vtable, sink,
                                  NULL, &error));
  /* returned as is */
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpstr (error->message, ==, "sink refused entry 2");
  g_assert_cmpuint (sink->n_entries, ==, 1);
  g_assert_false (tsy_test_sink_statement (sink, 0)->ended);
}

static void
test_cancel (void)
{
  g_autofree char *doc = batch_doc (2);
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data (doc, -1, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(TsyTestSink) sink = tsy_test_sink_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (tsy_camt_parse (in, "c.xml", &tsy_test_sink_vtable, sink, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Lines stay exact past libxml2's 65535 cap of tree lines; the parser's lines are ints. */
static void
test_big_lines (void)
{
  g_autofree char *pad = g_strnfill (70000, '\n');
  g_autofree char *children = g_strdup_printf (
    "%s<Ntry><Amt Ccy=\"EUR\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd></Ntry>\n"
    "<Ntry><Amt Ccy=\"EUR\">1.0.0</Amt><CdtDbtInd>CRDT</CdtDbtInd></Ntry>", pad);
  g_autofree char *doc = doc053 (children);
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyTestSink) sink = parse_text (doc, &error);
  TsyTestStatement *st;

  /* doc053 puts the Stmt children on line 8 */
  assert_parse_error (error, "test.txt", "/Stmt[1]/Ntry[2]/Amt: ");
  g_assert_nonnull (strstr (error->message, "line 70009:"));
  st = tsy_test_sink_statement (sink, 0);
  g_assert_cmpuint (st->entries->len, ==, 1);
  g_assert_cmpuint (entry_at (st, 0)->entry.source_line, ==, 70008);
  g_assert_nonnull (strstr (entry_at (st, 0)->entry.raw, "Ntry line 70008:"));
}

/* The stream is handed to the parser in 64 KiB chunks: a value, a tag or an attribute cut by a
 * chunk boundary reads the same as one that is not. */
static void
test_chunk_boundaries (void)
{
  const char *ntry = "<Ntry><Amt Ccy=\"EUR\">12.34</Amt><CdtDbtInd>DBIT</CdtDbtInd><NtryDtls><TxDtls>"
                     "<RltdPties><Cdtr><Nm>Zhongguo 中国 Trading</Nm></Cdtr></RltdPties>"
                     "</TxDtls></NtryDtls></Ntry>";
  g_autofree char *probe = doc053 (ntry);
  gsize at = strstr (probe, "<Ntry>") - probe;
  gsize span = strlen (ntry);

  g_assert_cmpuint (at, <, 65536);
  for (gsize cut = 0; cut <= span; cut++)
    {
      /* a comment before the Ntry moves the boundary to offset @cut inside it */
      gsize fill = 65536 - at - cut - strlen ("<!---->");
      g_autofree char *dashes = g_strnfill (fill, 'c');
      g_autofree char *children = g_strdup_printf ("<!--%s-->%s", dashes, ntry);
      g_autofree char *doc = doc053 (children);
      g_autoptr(GError) error = NULL;
      g_autoptr(TsyTestSink) sink = NULL;
      TsyTestEntry *e;

      g_assert_cmpint (strstr (doc, "<Ntry>") - doc, ==, 65536 - cut);
      sink = parse_text (doc, &error);
      g_assert_no_error (error);
      e = entry_at (tsy_test_sink_statement (sink, 0), 0);
      g_assert_cmpint (e->entry.amount_minor, ==, -1234);
      g_assert_cmpstr (e->entry.counterparty_name, ==, "Zhongguo 中国 Trading");
      g_assert_cmpuint (e->entry.source_line, ==, 8);
    }
}

/* A DOCTYPE is refused wherever it stands in the prolog, also after more than a chunk of it. */
static void
test_doctype_late (void)
{
  g_autofree char *comment = g_strnfill (200000, 'x');
  g_autofree char *doc = g_strdup_printf (
    "<?xml version=\"1.0\"?>\n<!--%s-->\n<?pi data?>\n"
    "<!DOCTYPE Document [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n"
    "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt><Stmt>"
    "<Id>&b;</Id><Acct><Id><IBAN>X</IBAN></Id></Acct></Stmt></BkToCstmrStmt></Document>\n",
    comment);
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyTestSink) sink = parse_text (doc, &error);

  assert_parse_error (error, "test.txt", "DOCTYPE");
  g_assert_nonnull (strstr (error->message, "line 4:"));
  g_assert_cmpuint (sink->statements->len, ==, 0);
}

/* What the end of a document and its nesting can go wrong with. */
static void
test_document_shape (void)
{
  g_autofree char *good = doc053 ("<Ntry><Amt Ccy=\"EUR\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd></Ntry>");
  g_autofree char *trailing = g_strconcat (good, "<Document/>\n", NULL);
  g_autofree char *deep = NULL;
  g_autoptr(GString) nest = g_string_new (NULL);
  const char *cut_at = strstr (good, "<BkToCstmrStmt>") + strlen ("<BkTo");
  g_autofree char *cut = g_strndup (good, cut_at - good);

  for (int i = 0; i < 300; i++)
    g_string_append (nest, "<a>");
  for (int i = 0; i < 300; i++)
    g_string_append (nest, "</a>");
  deep = doc053 (nest->str);

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TsyTestSink) sink = parse_text (trailing, &error);
    g_test_message ("%s", error->message);
    assert_parse_error (error, "test.txt", "malformed XML");
    g_assert_nonnull (strstr (error->message, "line 12:"));
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TsyTestSink) sink = parse_text (deep, &error);
    g_test_message ("%s", error->message);
    assert_parse_error (error, "test.txt", "/Stmt[1]/a/a/");
    g_assert_nonnull (strstr (error->message, "/…/"));
    g_assert_nonnull (strstr (error->message, "nested too deeply"));
  }
  {
    /* cut inside a start tag: a syntax error, not a verdict on the half name "BkTo" */
    g_autoptr(GError) error = NULL;
    g_autoptr(TsyTestSink) sink = parse_text (cut, &error);
    g_test_message ("%s", error->message);
    assert_parse_error (error, "test.txt", "malformed XML");
    g_assert_null (strstr (error->message, "bank-to-customer"));
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TsyTestSink) sink = parse_text ("PK\003\004\024\000", &error);
    assert_parse_error (error, "test.txt", "XML");
    g_assert_nonnull (strstr (error->message, "line 1: /: "));
  }
}

/* Text comes as CDATA, character references and runs of white space; an amount's Ccy may be
 * given as a reference too. */
static void
test_text_forms (void)
{
  g_autofree char *doc = doc053 (
    "<Ntry><Amt Ccy=\"E&#x55;R\">  1.50\n </Amt><CdtDbtInd>CRDT</CdtDbtInd><NtryDtls><TxDtls>"
    "<RltdPties><Dbtr><Nm><![CDATA[Smith & <Sons>]]>\n\t Ltd</Nm></Dbtr></RltdPties>"
    "<RmtInf><Ustrd>A&amp;B &#x4E2D;&#25991;</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>");
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyTestSink) sink = parse_text (doc, &error);
  TsyTestEntry *e;

  g_assert_no_error (error);
  e = entry_at (tsy_test_sink_statement (sink, 0), 0);
  g_assert_cmpint (e->entry.amount_minor, ==, 150);
  g_assert_cmpstr (e->entry.counterparty_name, ==, "Smith & <Sons> Ltd");
  g_assert_cmpstr (e->entry.text, ==, "A&B 中文");
}

/* A sink error deep in a file of many chunks stops the parser there and is returned as is. */
static void
test_sink_error_mid_stream (void)
{
  g_autoptr(GString) children = g_string_new (NULL);
  g_autofree char *doc = NULL;
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(TsyTestSink) sink = tsy_test_sink_new ();
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 3000; i++)
    g_string_append_printf (children, "<Ntry><Amt Ccy=\"EUR\">%u.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>"
                            "<AcctSvcrRef>R%u</AcctSvcrRef></Ntry>\n", i + 1, i);
  doc = doc053 (children->str);
  g_assert_cmpuint (strlen (doc), >, 3 * 65536);
  in = g_memory_input_stream_new_from_data (doc, -1, NULL);
  sink->fail_at_entry = 2500;
  g_assert_false (tsy_camt_parse (in, "m.xml", &tsy_test_sink_vtable, sink, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpstr (error->message, ==, "sink refused entry 2500");
  g_assert_cmpuint (sink->n_entries, ==, 2499);
  g_assert_false (tsy_test_sink_statement (sink, 0)->ended);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/banks/camt/corpus/oca-camt053", test_corpus_oca_camt053);
  g_test_add_func ("/banks/camt/corpus/oca-txdtls", test_corpus_oca_txdtls);
  g_test_add_func ("/banks/camt/corpus/multi-statement", test_corpus_multi_statement);
  g_test_add_func ("/banks/camt/corpus/no-entries", test_corpus_no_entries);
  g_test_add_func ("/banks/camt/corpus/v8", test_corpus_v8);
  g_test_add_func ("/banks/camt/corpus/every-file", test_corpus_every_file);
  g_test_add_func ("/banks/camt/corpus/genkgo-json", test_corpus_genkgo_json);
  g_test_add_func ("/banks/camt/prefix", test_prefix);
  g_test_add_func ("/banks/camt/foreign-elements", test_foreign_elements);
  g_test_add_func ("/banks/camt/dates", test_dates);
  g_test_add_func ("/banks/camt/related-parties", test_related_parties);
  g_test_add_func ("/banks/camt/reversal", test_reversal);
  g_test_add_func ("/banks/camt/batch", test_batch);
  g_test_add_func ("/banks/camt/balances", test_balances);
  g_test_add_func ("/banks/camt/versions", test_versions);
  g_test_add_func ("/banks/camt/doctype-refused", test_doctype_refused);
  g_test_add_func ("/banks/camt/missing-elements", test_missing_elements);
  g_test_add_func ("/banks/camt/malformed-xml", test_malformed_xml);
  g_test_add_func ("/banks/camt/truncated", test_truncated);
  g_test_add_func ("/banks/camt/sink-error-stops", test_sink_error_stops);
  g_test_add_func ("/banks/camt/cancel", test_cancel);
  g_test_add_func ("/banks/camt/big-lines", test_big_lines);
  g_test_add_func ("/banks/camt/chunk-boundaries", test_chunk_boundaries);
  g_test_add_func ("/banks/camt/doctype-late", test_doctype_late);
  g_test_add_func ("/banks/camt/document-shape", test_document_shape);
  g_test_add_func ("/banks/camt/text-forms", test_text_forms);
  g_test_add_func ("/banks/camt/sink-error-mid-stream", test_sink_error_mid_stream);
  return g_test_run ();
}
