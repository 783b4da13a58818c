/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The MT940 / MT942 parser: every corpus file, every :61: sub-field, the :86: dialects,
 * the statement structure, the errors, and robustness on truncated input. */
#include <gio/gio.h>
#include <string.h>

#include "banks/formats/tsy-statement-format.h"
#include "tsy-test-sink.h"

/* ---- helpers -------------------------------------------------------------- */

static TsyDate
ymd (int y,
     int m,
     int d)
{
  return tsy_date_from_ymd (y, m, d);
}

static TsyStatementEntry *
entry_at (TsyTestSink *sink,
          guint        statement,
          guint        i)
{
  TsyTestStatement *st = tsy_test_sink_statement (sink, statement);

  g_assert_cmpuint (i, <, st->entries->len);
  return &((TsyTestEntry *) g_ptr_array_index (st->entries, i))->entry;
}

static TsyTestSink *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  TsyTestSink *sink = tsy_test_parse_string (tsy_mt940_parse, text, -1, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (sink->statements->len, >, 0);
  for (guint i = 0; i < sink->statements->len; i++)
    g_assert_true (tsy_test_sink_statement (sink, i)->ended);
  return sink;
}

/* Asserts a parse error naming the file and @line, with @part in the reason. */
static void
assert_parse_error (const GError *error,
                    const char   *file,
                    guint         line,
                    const char   *part)
{
  g_autofree char *prefix = g_strdup_printf ("%s: line %u: ", file, line);

  g_assert_nonnull (error);
  g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PARSE);
  if (!g_str_has_prefix (error->message, prefix) || strstr (error->message, part) == NULL)
    g_error ("message “%s” does not start with “%s” or lacks “%s”", error->message, prefix, part);
}

static void
parse_fails (const char *text,
             gssize      len,
             guint       line,
             const char *part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyTestSink) sink = tsy_test_parse_string (tsy_mt940_parse, text, len, &error);

  assert_parse_error (error, "test.txt", line, part);
}

/* A statement around @body: lines 1-4 are the header, @body starts on line 5. */
static char *
wrap (const char *body)
{
  return g_strconcat (":20:STMT1\n:25:NL91ABNA0417164300\n:28C:7/1\n:60F:C240101EUR1000,00\n",
                      body, ":62F:C240131EUR1000,00\n-\n", NULL);
}

/* The only entry of wrap (@body). */
static TsyTestSink *
parse_one (const char *body)
{
  g_autofree char *text = wrap (body);
  TsyTestSink *sink = parse_ok (text);

  g_assert_cmpuint (sink->statements->len, ==, 1);
  g_assert_cmpuint (sink->n_entries, ==, 1);
  return sink;
}

static void
assert_valid_strings (const TsyStatementEntry *e)
{
  const char *strings[] = {
    e->bank_ref, e->customer_ref, e->end_to_end_id, e->counterparty_name,
    e->counterparty_account, e->counterparty_bank, e->text, e->bank_tx_code, e->raw,
  };

  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    if (strings[i] != NULL)
      {
        g_assert_true (g_utf8_validate (strings[i], -1, NULL));
        g_assert_cmpuint (strlen (strings[i]), >, 0);
      }
}

/* ---- the corpus ------------------------------------------------------------ */

typedef struct
{
  const char *file;          /* relative to the corpus */
  int         n_statements;  /* -1: the file is refused */
  int         n_entries;
  const char *reconciles;    /* per statement: R = opening + entries == closing, N = not, - = MT942 */
  guint       error_line;    /* refused: the line the message names */
  const char *error_part;    /* refused: part of the reason */
  void      (*check) (TsyTestSink *sink);
} CorpusCase;

/* Answer key 1: ING, {1:}{2:}{4: envelope */
static void
check_ing (TsyTestSink *sink, TsyDate open_date, TsyDate close_date)
{
  TsyTestStatement *st = tsy_test_sink_statement (sink, 0);
  gint64 credits = 0, debits = 0;

  g_assert_cmpstr (st->header.format, ==, "mt940");
  g_assert_cmpint (st->header.kind, ==, TSY_STATEMENT_KIND_FINAL);
  g_assert_cmpstr (st->header.account, ==, "NL77INGB0574908765EUR");
  g_assert_cmpstr (st->header.currency, ==, "EUR");
  g_assert_cmpint (st->header.opening_minor, ==, 66223);
  g_assert_cmpuint (st->header.opening_date, ==, open_date);
  g_assert_cmpint (st->header.closing_minor, ==, 56435);
  g_assert_cmpuint (st->header.closing_date, ==, close_date);
  g_assert_true (st->header.has_available);
  g_assert_cmpint (st->header.available_minor, ==, 56435);
  for (guint i = 0; i < st->entries->len; i++)
    {
      gint64 a = entry_at (sink, 0, i)->amount_minor;
      if (a > 0)
        credits += a;
      else
        debits -= a;
    }
  g_assert_cmpint (credits, ==, 3658);
  g_assert_cmpint (debits, ==, 13446);
}

static void
check_ing_feb (TsyTestSink *sink)
{
  check_ing (sink, ymd (2014, 2, 19), ymd (2014, 2, 20));
  g_assert_cmpstr (tsy_test_sink_statement (sink, 0)->header.statement_id, ==, "P140220000000001");
  /* the structured :86: of the first entry */
  g_assert_cmpstr (entry_at (sink, 0, 0)->end_to_end_id, ==, "EV12341REP1231456T1234");
  g_assert_cmpstr (entry_at (sink, 0, 0)->counterparty_account, ==, "NL32INGB0000012345");
  g_assert_cmpstr (entry_at (sink, 0, 0)->counterparty_bank, ==, "INGBNL2A");
  g_assert_cmpstr (entry_at (sink, 0, 0)->counterparty_name, ==, "ING BANK NV INZAKE WEB");
  g_assert_cmpstr (entry_at (sink, 0, 0)->text, ==, "EV10001REP1000000T1000");
  g_assert_cmpstr (entry_at (sink, 0, 1)->bank_ref, ==, "00000000001006");
  /* a lone "-" line inside :86: is text, not the end of the message */
  g_assert_cmpstr (entry_at (sink, 0, 3)->end_to_end_id, ==, "EV123REP123412T1234");
  g_assert_cmpstr (entry_at (sink, 0, 5)->text, ==, "CONTRIBUTIE FEB 2014");
}

static void
check_ing_jan (TsyTestSink *sink)
{
  check_ing (sink, ymd (2014, 1, 19), ymd (2014, 1, 20));
}

/* Answer key 2: Rabobank, ":940:" first line, four statements */
static void
check_rabo (TsyTestSink *sink)
{
  static const char *const ids[] = { "940S140102", "940S140103", "940S140106", "940S140107" };
  const gint64 balances[] = { 443352, 483352, 483352, 479891, 479891 };
  const TsyDate dates[] = { ymd (2013, 12, 31), ymd (2014, 1, 2), ymd (2014, 1, 3),
                            ymd (2014, 1, 6), ymd (2014, 1, 7) };
  const guint counts[] = { 1, 0, 1, 0 };

  for (guint i = 0; i < 4; i++)
    {
      TsyTestStatement *st = tsy_test_sink_statement (sink, i);
      g_assert_cmpstr (st->header.statement_id, ==, ids[i]);
      g_assert_cmpstr (st->header.account, ==, "NL34RABO0142623393 EUR");
      g_assert_cmpstr (st->header.currency, ==, "EUR");
      g_assert_cmpint (st->header.opening_minor, ==, balances[i]);
      g_assert_cmpuint (st->header.opening_date, ==, dates[i]);
      g_assert_cmpint (st->header.closing_minor, ==, balances[i + 1]);
      g_assert_cmpuint (st->header.closing_date, ==, dates[i + 1]);
      g_assert_cmpuint (st->entries->len, ==, counts[i]);
    }
  g_assert_cmpint (entry_at (sink, 0, 0)->amount_minor, ==, 40000);
  g_assert_cmpstr (entry_at (sink, 0, 0)->counterparty_name, ==, "R. SMITH");
  /* the counterparty IBAN on the :61: supplementary line */
  g_assert_cmpstr (entry_at (sink, 0, 0)->counterparty_account, ==, "NL66RABO0160878799");
  g_assert_cmpstr (entry_at (sink, 0, 0)->text, ==, "Test money paid by other partner:");
  g_assert_cmpint (entry_at (sink, 2, 0)->amount_minor, ==, -3461);
  g_assert_cmpstr (entry_at (sink, 2, 0)->text, ==, "Periode 01-10-2013 t/m 31-12-2013");
}

/* Answer key 3: Sberbank HU, :NS: fields, funds code F */
static void
check_sberbank (TsyTestSink *sink)
{
  TsyTestStatement *st = tsy_test_sink_statement (sink, 0);

  g_assert_cmpstr (st->header.account, ==, "1966315302010001");
  g_assert_cmpstr (st->header.currency, ==, "HUF");
  g_assert_cmpint (st->header.opening_minor, ==, 62731130);
  g_assert_cmpint (st->header.closing_minor, ==, 61787430);
  g_assert_cmpuint (st->header.opening_date, ==, ymd (2017, 10, 11));
  g_assert_cmpuint (st->header.closing_date, ==, ymd (2017, 10, 11));
  g_assert_cmpint (entry_at (sink, 0, 0)->amount_minor, ==, -240200);
  g_assert_cmpint (entry_at (sink, 0, 1)->amount_minor, ==, -346000);
  g_assert_cmpint (entry_at (sink, 0, 2)->amount_minor, ==, -357500);
}

/* Answer key 4: mBank PL, funds code N */
static void
check_mbank (TsyTestSink *sink)
{
  TsyTestStatement *st = tsy_test_sink_statement (sink, 0);

  g_assert_cmpstr (st->header.statement_id, ==, "ST170119CYC/1");
  g_assert_cmpstr (st->header.account, ==, "PL29114010810000267002001002");
  g_assert_cmpstr (st->header.currency, ==, "PLN");
  g_assert_cmpint (st->header.opening_minor, ==, 40);
  g_assert_cmpint (st->header.closing_minor, ==, 43);
  g_assert_cmpuint (st->header.closing_date, ==, ymd (2017, 1, 19));
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (entry_at (sink, 0, i)->amount_minor, ==, 1);
  g_assert_cmpstr (entry_at (sink, 0, 2)->bank_ref, ==, "MB170119012121");
}

/* Answer key 5: cmxl, three statements, DEM / EUR / PLN */
static void
check_cmxl (TsyTestSink *sink)
{
  TsyTestStatement *a = tsy_test_sink_statement (sink, 0);
  TsyTestStatement *b = tsy_test_sink_statement (sink, 1);
  TsyTestStatement *c = tsy_test_sink_statement (sink, 2);

  g_assert_cmpstr (a->header.currency, ==, "DEM");
  g_assert_cmpstr (a->header.account, ==, "45050050/76198810");
  g_assert_cmpuint (a->entries->len, ==, 11);
  g_assert_cmpint (a->header.opening_minor, ==, 8434974);
  g_assert_cmpuint (a->header.opening_date, ==, ymd (2013, 10, 16));
  g_assert_cmpint (a->header.closing_minor, ==, 8443704);
  g_assert_cmpuint (a->header.closing_date, ==, ymd (2013, 10, 17));
  g_assert_cmpint (tsy_test_statement_sum (a), ==, 8730);

  g_assert_cmpstr (b->header.currency, ==, "EUR");
  g_assert_cmpstr (b->header.account, ==, "10020030/1234567");
  g_assert_cmpint (entry_at (sink, 1, 0)->amount_minor, ==, -80000);
  g_assert_cmpint (entry_at (sink, 1, 1)->amount_minor, ==, 300000);
  g_assert_cmpint (b->header.opening_minor, ==, 218795);
  g_assert_cmpint (b->header.closing_minor, ==, 438795);
  /* "DR" is D with funds code R, not a reversal */
  g_assert_false (entry_at (sink, 1, 0)->reversal);
  g_assert_cmpstr (entry_at (sink, 1, 0)->counterparty_name, ==, "MUELLER");

  g_assert_cmpstr (c->header.currency, ==, "PLN");
  g_assert_cmpstr (c->header.account, ==, "BPHKPLPK/320000546101");
  g_assert_cmpint (entry_at (sink, 2, 0)->amount_minor, ==, 2000000);
  g_assert_cmpint (entry_at (sink, 2, 1)->amount_minor, ==, -1000000);
  g_assert_cmpint (entry_at (sink, 2, 2)->amount_minor, ==, 4000);
  g_assert_cmpint (c->header.opening_minor, ==, 4000000);
  g_assert_cmpuint (c->header.opening_date, ==, ymd (2003, 10, 2));
  g_assert_cmpint (c->header.closing_minor, ==, 5004000);
  /* as the bank wrote it: before the opening date */
  g_assert_cmpuint (c->header.closing_date, ==, ymd (2002, 3, 25));
  g_assert_cmpstr (entry_at (sink, 2, 0)->counterparty_account, ==, "PL08106000760000777777777777");
}

/* Answer key 6: Citi, blank entry date, funds code, zero amounts */
static void
check_citi (TsyTestSink *sink)
{
  const gint64 amounts[] = { -21239, -36928, 0, 0, -56108 };
  TsyTestStatement *st = tsy_test_sink_statement (sink, 0);

  g_assert_cmpstr (st->header.currency, ==, "USD");
  g_assert_cmpint (st->header.opening_minor, ==, 1737667);
  g_assert_cmpint (st->header.closing_minor, ==, 1623392);
  for (guint i = 0; i < G_N_ELEMENTS (amounts); i++)
    {
      TsyStatementEntry *e = entry_at (sink, 0, i);
      g_assert_cmpint (e->amount_minor, ==, amounts[i]);
      g_assert_cmpuint (e->value_date, ==, ymd (2024, 3, 12));
      g_assert_cmpuint (e->booking_date, ==, ymd (2024, 3, 12));
      /* "NONREF//" and nothing after: no identity */
      g_assert_null (e->bank_ref);
    }
}

static void
check_abnamro (TsyTestSink *sink)
{
  g_assert_cmpuint (tsy_test_sink_statement (sink, 0)->entries->len, ==, 8);
  g_assert_cmpuint (tsy_test_sink_statement (sink, 1)->entries->len, ==, 2);
  g_assert_cmpint (tsy_test_sink_statement (sink, 0)->header.opening_minor, ==, 323628);
  g_assert_cmpint (tsy_test_sink_statement (sink, 0)->header.closing_minor, ==, 87684);
  g_assert_cmpint (tsy_test_sink_statement (sink, 1)->header.opening_minor, ==, 287684);
  g_assert_cmpint (tsy_test_sink_statement (sink, 1)->header.closing_minor, ==, 184975);
  /* :28: (old tag) and :60M:/:62M: */
  g_assert_cmpstr (tsy_test_sink_statement (sink, 0)->header.sequence, ==, "19321/1");
  g_assert_cmpstr (entry_at (sink, 0, 0)->text, ==,
                   "GIRO 428428 KPN - DIGITENNE BETALINGSKENM. 000000042188659 5314606715 "
                   "BETREFT FACTUUR D.D. 20-05-2011 INCL. 1,44 BTW");
}

static void
check_voorbeeld (TsyTestSink *sink)
{
  TsyTestStatement *st = tsy_test_sink_statement (sink, 0);
  TsyStatementEntry *last = entry_at (sink, 0, 20);

  g_assert_cmpint (st->header.opening_minor, ==, 0);
  g_assert_cmpint (st->header.closing_minor, ==, -135026);
  g_assert_cmpuint (st->header.closing_date, ==, ymd (2016, 9, 1));
  /* "/NAME/M" + "ollie B.V." across a line break */
  g_assert_cmpstr (last->counterparty_name, ==, "Mollie B.V.");
  g_assert_cmpstr (last->counterparty_account, ==, "NL80RABO0000000000");
  g_assert_cmpstr (last->text, ==, "Factuurnummer 2016.00000");
  g_assert_null (last->end_to_end_id);   /* NOTPROVIDED */
  g_assert_cmpstr (entry_at (sink, 0, 0)->end_to_end_id, ==, "tr_XXXXXXXXX");
}

static void
check_sepa (TsyTestSink *sink)
{
  TsyStatementEntry *rc = entry_at (sink, 0, 5);

  /* "RCR204,88": reversal of a credit, funds code R */
  g_assert_true (rc->reversal);
  g_assert_cmpint (rc->amount_minor, ==, -20488);
  g_assert_cmpint (tsy_test_sink_statement (sink, 0)->header.opening_minor, ==, -123471836);
}

static void
check_postfinance (TsyTestSink *sink)
{
  /* "01916//NONREF": the customer reference is the identity */
  g_assert_cmpstr (entry_at (sink, 0, 0)->customer_ref, ==, "01916");
  g_assert_cmpstr (entry_at (sink, 0, 0)->bank_ref, ==, "01916");
  g_assert_cmpstr (tsy_test_sink_statement (sink, 0)->header.currency, ==, "CHF");
}

static void
check_triodos (TsyTestSink *sink)
{
  g_assert_cmpstr (entry_at (sink, 0, 0)->text, ==,
                   "ALGEMENE TUSSENREKENING KOSTEN VAN 01-10-2010 TOT EN MET 31-12-2010");
  g_assert_cmpstr (entry_at (sink, 0, 0)->counterparty_account, ==, "0390123456");
}

static void
check_with_binary (TsyTestSink *sink)
{
  /* UTF-8 in :20: survives */
  g_assert_cmpstr (tsy_test_sink_statement (sink, 0)->header.statement_id, ==, "STAR1ÜTßUMS");
}

static void
check_mt942_mbank (TsyTestSink *sink)
{
  TsyTestStatement *st = tsy_test_sink_statement (sink, 0);

  g_assert_cmpstr (st->header.format, ==, "mt942");
  g_assert_cmpint (st->header.kind, ==, TSY_STATEMENT_KIND_INTRADAY);
  g_assert_cmpstr (st->header.account, ==, "PL29114010810000267002001002");
  g_assert_cmpstr (st->header.currency, ==, "PLN");
  g_assert_false (st->header.has_opening);
  g_assert_false (st->header.has_closing);
  g_assert_cmpuint (st->header.to_date, ==, ymd (2017, 1, 19));
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (entry_at (sink, 0, i)->amount_minor, ==, 1);
}

static void
check_mt942_self (TsyTestSink *sink)
{
  TsyTestStatement *st = tsy_test_sink_statement (sink, 0);

  g_assert_cmpstr (st->header.format, ==, "mt942");
  g_assert_cmpstr (st->header.currency, ==, "EUR");
  g_assert_cmpuint (st->header.to_date, ==, ymd (2016, 10, 30));
  g_assert_cmpint (entry_at (sink, 0, 0)->amount_minor, ==, -42);
  g_assert_cmpstr (entry_at (sink, 0, 0)->text, ==, "REMIT:Costs to MT940 Parsing. This is Somuchfun.");
}

#define M(f) "mt940/" f
static const CorpusCase corpus_cases[] = {
  /* the answer key of SOURCES.md */
  { M ("OCA_bank-statement-import_base-test-ing.940"), 1, 8, "R", 0, NULL, check_ing_feb },
  { M ("OCA_bank-statement-import_nl_ing-test-ing.940"), 1, 8, "R", 0, NULL, check_ing_feb },
  { M ("OCA_bank-statement-import_nl_ing-test-ing-old.940"), 1, 8, "R", 0, NULL, check_ing_jan },
  { M ("OCA_bank-statement-import_base-test-rabo.swi"), 4, 2, "RRRR", 0, NULL, check_rabo },
  { M ("OCA_bank-statement-import_nl_rabo-test-rabo.swi"), 4, 2, "RRRR", 0, NULL, check_rabo },
  { M ("wolph_mt940_sberbank-171011_01234945.sta"), 1, 3, "R", 0, NULL, check_sberbank },
  { M ("wolph_mt940_mBank-mt940.sta"), 1, 3, "R", 0, NULL, check_mbank },
  { M ("wolph_mt940_cmxl-mt940.sta"), 3, 16, "RRR", 0, NULL, check_cmxl },
  { M ("wolph_mt940_citi-mt940.txt"), 1, 5, "R", 0, NULL, check_citi },
  /* real layouts whose balances do not add up: passed on as they are */
  { M ("wolph_mt940_jejik-abnamro.sta"), 2, 10, "NN", 0, NULL, check_abnamro },
  { M ("wolph_mt940_jejik-ing.sta"), 1, 7, "N", 0, NULL, NULL },
  { M ("wolph_mt940_self-provided-raiffeisen-cmi.sta"), 1, 7, "N", 0, NULL, NULL },
  /* the rest of the file table */
  { M ("OCA_bank-statement-import_Voorbeeld_MT-940.mt940"), 1, 21, "R", 0, NULL, check_voorbeeld },
  { M ("hbci4j_hbci4java_test-mt940-001.sta"), 1, 2, "R", 0, NULL, NULL },
  { M ("hbci4j_hbci4java_test-mt940-002.sta"), 1, 2, "R", 0, NULL, NULL },
  { M ("wolph_mt940_ASNB-mt940.txt"), 31, 8, "RRRRRRRRRRRRRRRRRRRRRRRRRRRRRRR", 0, NULL, NULL },
  { M ("wolph_mt940_ASNB-mt940_with_spaces_for_entry_date.txt"), 31, 8,
    "RRRRRRRRRRRRRRRRRRRRRRRRRRRRRRR", 0, NULL, NULL },
  { M ("wolph_mt940_betterplace-sepa_mt9401.sta"), 26, 97, "RRRRRRRRRRRRRRRRRRRRRRRRRR", 0, NULL,
    check_sepa },
  { M ("wolph_mt940_betterplace-sepa_snippet.sta"), 2, 11, "RN", 0, NULL, NULL },
  { M ("wolph_mt940_betterplace-with_binary_character.sta"), 2, 4, "RR", 0, NULL, check_with_binary },
  { M ("wolph_mt940_jejik-generic.sta"), 2, 2, "RR", 0, NULL, NULL },
  { M ("wolph_mt940_jejik-knab.sta"), 2, 3, "RN", 0, NULL, NULL },
  { M ("wolph_mt940_jejik-postfinance.sta"), 2, 4, "RN", 0, NULL, check_postfinance },
  { M ("wolph_mt940_jejik-rabobank-iban.sta"), 2, 4, "RR", 0, NULL, NULL },
  { M ("wolph_mt940_jejik-rabobank.sta"), 4, 5, "NRNR", 0, NULL, NULL },
  { M ("wolph_mt940_jejik-sns.sta"), 2, 2, "RR", 0, NULL, NULL },
  { M ("wolph_mt940_jejik-triodos.sta"), 1, 2, "N", 0, NULL, check_triodos },
  { M ("wolph_mt940_mBank-with_newline_in_tnr.sta"), 1, 2, "N", 0, NULL, NULL },
  { M ("wolph_mt940_self-provided-details_60-63.sta"), 1, 1, "N", 0, NULL, NULL },
  { M ("wolph_mt940_self-provided-long_statement_number.sta"), 1, 0, "R", 0, NULL, NULL },
  { M ("wolph_mt940_self-provided-malformed_details.sta"), 1, 1, "N", 0, NULL, NULL },
  { M ("wolph_mt940_self-provided-overly_long_details.sta"), 1, 1, "N", 0, NULL, NULL },
  { M ("wolph_mt940_self-provided-whitespace.sta"), 1, 1, "N", 0, NULL, NULL },
  /* MT942 */
  { "mt942/wolph_mt940_mBank-mt942.sta", 1, 3, "-", 0, NULL, check_mt942_mbank },
  { "mt942/wolph_mt940_self-provided-mt942.sta", 1, 1, "-", 0, NULL, check_mt942_self },

  /* refused, with the line and the reason */
  { M ("OCA_bank-statement-import_base-test-sns.940"), -1, 0, NULL, 77, "without a closing balance" },
  { M ("OCA_bank-statement-import_base-test-wrong-file.940"), -1, 0, NULL, 1, ":9401:" },
  { M ("wolph_mt940_betterplace-amount_formats.sta"), -1, 0, NULL, 1, ":60F:" },
  { M ("wolph_mt940_betterplace-currency_in_25.sta"), -1, 0, NULL, 1, ":25:" },
  { M ("wolph_mt940_betterplace-empty_86.sta"), -1, 0, NULL, 1, ":86:" },
  { M ("wolph_mt940_betterplace-empty_entry_date.sta"), -1, 0, NULL, 1, ":61:" },
  { M ("wolph_mt940_betterplace-empty_line.sta"), -1, 0, NULL, 2, "account identification" },
  { M ("wolph_mt940_betterplace-missing_crlf_at_end.sta"), -1, 0, NULL, 1, ":62F:" },
  { M ("wolph_mt940_betterplace-sepa_snippet_broken.sta"), -1, 0, NULL, 6, "second account" },
  { M ("wolph_mt940_cmxl-account_balance_credit.sta"), -1, 0, NULL, 1, ":60F:" },
  { M ("wolph_mt940_cmxl-account_balance_debit.sta"), -1, 0, NULL, 1, ":60F:" },
  { M ("wolph_mt940_cmxl-account_identification_iban.sta"), -1, 0, NULL, 1, ":25:" },
  { M ("wolph_mt940_cmxl-account_identification_legacy.sta"), -1, 0, NULL, 1, ":25:" },
  { M ("wolph_mt940_cmxl-available_balance.sta"), -1, 0, NULL, 1, ":64:" },
  { M ("wolph_mt940_cmxl-closing_balance.sta"), -1, 0, NULL, 1, ":62F:" },
  { M ("wolph_mt940_cmxl-reference.sta"), -1, 0, NULL, 1, "account identification" },
  { M ("wolph_mt940_cmxl-statement_details.sta"), -1, 0, NULL, 1, ":61:" },
  { M ("wolph_mt940_cmxl-statement_line.sta"), -1, 0, NULL, 1, ":61:" },
  { M ("wolph_mt940_cmxl-statement_number.sta"), -1, 0, NULL, 1, ":28C:" },
  { M ("wolph_mt940_self-provided-account_identification.sta"), -1, 0, NULL, 2, "opening balance" },
  { M ("wolph_mt940_self-provided-empty_non_swift.sta"), -1, 0, NULL, 1, ":NS:" },
  /* February 30th: a date that does not exist is refused, naming the line */
  { M ("wolph_mt940_self-provided-february_30.sta"), -1, 0, NULL, 6, "160230" },
  { M ("wolph_mt940_self-provided-transaction_details_wrapped.sta"), -1, 0, NULL, 6, "160230" },
  { M ("wolph_mt940_self-provided-wrapped_timestamp.sta"), -1, 0, NULL, 5, "160230" },
  { M ("wolph_mt940_self-provided-gv_codes.sta"), -1, 0, NULL, 7, "without a closing balance" },
  { M ("wolph_mt940_self-provided-invalid_statement.sta"), -1, 0, NULL, 10, "no MT940" },
  /* a :61: after the end of the last message, outside any statement */
  { M ("wolph_mt940_self-provided-multiline.sta"), -1, 0, NULL, 38, ":61:" },
  /* :62M: without a currency */
  { M ("wolph_mt940_self-provided-raphaelm.sta"), -1, 0, NULL, 27, ":62M:" },
  /* line breaks inside the amount and inside the tag */
  { M ("wolph_mt940_self-provided-sparkassen.sta"), -1, 0, NULL, 1, ":61:" },
};
#undef M

static void
test_corpus_file (gconstpointer data)
{
  const CorpusCase *c = data;
  g_autofree char *path = tsy_test_corpus_path (c->file);
  g_autofree char *base = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyTestSink) sink = NULL;

  if (path == NULL)
    return;
  base = g_path_get_basename (path);
  sink = tsy_test_parse_file (tsy_mt940_parse, path, &error);

  if (c->n_statements < 0)
    {
      assert_parse_error (error, base, c->error_line, c->error_part);
      return;
    }

  g_assert_no_error (error);
  g_assert_cmpuint (sink->statements->len, ==, (guint) c->n_statements);
  g_assert_cmpuint (sink->n_entries, ==, (guint) c->n_entries);
  g_assert_cmpuint (strlen (c->reconciles), ==, (gsize) c->n_statements);
  for (guint i = 0; i < sink->statements->len; i++)
    {
      TsyTestStatement *st = tsy_test_sink_statement (sink, i);

      g_assert_true (st->ended);
      g_assert_nonnull (st->header.account);
      g_assert_nonnull (st->header.currency);
      g_assert_cmpuint (st->header.source_line, >, 0);
      if (c->reconciles[i] == '-')
        {
          g_assert_cmpstr (st->header.format, ==, "mt942");
          continue;
        }
      g_assert_cmpstr (st->header.format, ==, "mt940");
      g_assert_true (st->header.has_opening);
      g_assert_true (st->header.has_closing);
      if (c->reconciles[i] == 'R')
        g_assert_cmpint (st->header.opening_minor + tsy_test_statement_sum (st), ==,
                         st->header.closing_minor);
      else
        g_assert_cmpint (st->header.opening_minor + tsy_test_statement_sum (st), !=,
                         st->header.closing_minor);
      for (guint j = 0; j < st->entries->len; j++)
        {
          TsyStatementEntry *e = entry_at (sink, i, j);
          assert_valid_strings (e);
          g_assert_true (g_str_has_prefix (e->raw, ":61:"));
          g_assert_cmpuint (e->value_date, !=, TSY_DATE_NONE);
          g_assert_cmpuint (e->booking_date, !=, TSY_DATE_NONE);
          g_assert_cmpuint (e->source_line, >, st->header.source_line);
        }
    }
  if (c->check != NULL)
    c->check (sink);
}

/* Every file of the corpus folders has a case above. */
static void
test_corpus_complete (void)
{
  const char *dirs[] = { "mt940", "mt942" };
  guint seen = 0;

  for (guint d = 0; d < G_N_ELEMENTS (dirs); d++)
    {
      g_autofree char *dir_path = tsy_test_corpus_path (dirs[d]);
      g_autoptr(GDir) dir = NULL;
      const char *name;

      if (dir_path == NULL)
        return;
      dir = g_dir_open (dir_path, 0, NULL);
      g_assert_nonnull (dir);
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *rel = g_build_filename (dirs[d], name, NULL);
          g_autofree char *full = g_build_filename (dir_path, name, NULL);
          gboolean found = FALSE;

          if (g_file_test (full, G_FILE_TEST_IS_DIR))
            continue;
          for (guint i = 0; i < G_N_ELEMENTS (corpus_cases); i++)
            if (strcmp (corpus_cases[i].file, rel) == 0)
              found = TRUE;
          if (!found)
            g_error ("corpus file %s has no test case", rel);
          seen++;
        }
    }
  g_assert_cmpuint (seen, ==, G_N_ELEMENTS (corpus_cases));
}

/* Spaces for the entry date (Citi, ASN) read like no entry date. */
static void
test_corpus_blank_entry_date (void)
{
  g_autofree char *a = tsy_test_corpus_path ("mt940/wolph_mt940_ASNB-mt940.txt");
  g_autofree char *b = tsy_test_corpus_path ("mt940/wolph_mt940_ASNB-mt940_with_spaces_for_entry_date.txt");
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyTestSink) sa = NULL;
  g_autoptr(TsyTestSink) sb = NULL;
  guint compared = 0;

  if (a == NULL || b == NULL)
    return;
  sa = tsy_test_parse_file (tsy_mt940_parse, a, &error);
  g_assert_no_error (error);
  sb = tsy_test_parse_file (tsy_mt940_parse, b, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < sa->statements->len; i++)
    for (guint j = 0; j < tsy_test_sink_statement (sa, i)->entries->len; j++)
      {
        TsyStatementEntry *x = entry_at (sa, i, j), *y = entry_at (sb, i, j);
        g_assert_cmpint (x->amount_minor, ==, y->amount_minor);
        g_assert_cmpuint (x->value_date, ==, y->value_date);
        g_assert_cmpuint (x->booking_date, ==, y->booking_date);
        g_assert_cmpstr (x->text, ==, y->text);
        compared++;
      }
  g_assert_cmpuint (compared, ==, 8);
  /* the ASN :86: is free text with the counterparty on its first line */
  g_assert_cmpstr (entry_at (sa, 0, 0)->text, ==,
                   "NL47INGB9999999999 hr gjlm paulissen Betaling sieraden");
}

/* ---- :61: sub-fields ------------------------------------------------------ */

static void
test_line_value_date_only (void)
{
  g_autoptr(TsyTestSink) sink = parse_one (":61:240115C10,00NTRFREF1//BANK1\n");
  TsyStatementEntry *e = entry_at (sink, 0, 0);

  g_assert_cmpuint (e->value_date, ==, ymd (2024, 1, 15));
  g_assert_cmpuint (e->booking_date, ==, ymd (2024, 1, 15));
  g_assert_cmpint (e->amount_minor, ==, 1000);
  g_assert_false (e->reversal);
  g_assert_cmpstr (e->bank_tx_code, ==, "NTRF");
  g_assert_cmpstr (e->customer_ref, ==, "REF1");
  g_assert_cmpstr (e->bank_ref, ==, "BANK1");
  g_assert_null (e->currency);
  g_assert_null (e->text);
  g_assert_cmpuint (e->source_line, ==, 5);
}

static void
test_line_entry_date (void)
{
  g_autoptr(TsyTestSink) sink = parse_one (":61:2401150116D5,25NCHGNONREF\n");
  TsyStatementEntry *e = entry_at (sink, 0, 0);

  g_assert_cmpuint (e->value_date, ==, ymd (2024, 1, 15));
  g_assert_cmpuint (e->booking_date, ==, ymd (2024, 1, 16));
  g_assert_cmpint (e->amount_minor, ==, -525);
  g_assert_null (e->bank_ref);
  g_assert_null (e->customer_ref);
}

static void
test_line_year_rollover (void)
{
  g_autoptr(TsyTestSink) sink = parse_ok (
    ":20:X\n:25:NL91ABNA0417164300\n:60F:C231231EUR0,00\n"
    ":61:2312310102C1,00NTRFA1//B1\n"     /* value 31 Dec, booked 2 Jan of the next year */
    ":61:2401021229D1,00NTRFA2//B2\n"     /* value 2 Jan, booked 29 Dec of the year before */
    ":61:2402290229C1,00NTRFA3//B3\n"     /* leap day */
    ":62F:C240229EUR1,00\n");

  g_assert_cmpuint (entry_at (sink, 0, 0)->value_date, ==, ymd (2023, 12, 31));
  g_assert_cmpuint (entry_at (sink, 0, 0)->booking_date, ==, ymd (2024, 1, 2));
  g_assert_cmpuint (entry_at (sink, 0, 1)->value_date, ==, ymd (2024, 1, 2));
  g_assert_cmpuint (entry_at (sink, 0, 1)->booking_date, ==, ymd (2023, 12, 29));
  g_assert_cmpuint (entry_at (sink, 0, 2)->booking_date, ==, ymd (2024, 2, 29));
}

static void
test_line_blank_entry_date (void)
{
  g_autoptr(TsyTestSink) sink = parse_one (":61:240312    DD212,39NMSCNONREF//\n/ABC/DEF/MISC\n");
  TsyStatementEntry *e = entry_at (sink, 0, 0);

  g_assert_cmpuint (e->value_date, ==, ymd (2024, 3, 12));
  g_assert_cmpuint (e->booking_date, ==, ymd (2024, 3, 12));
  g_assert_cmpint (e->amount_minor, ==, -21239);
  g_assert_null (e->bank_ref);
  /* supplementary details stand in for the missing :86: */
  g_assert_cmpstr (e->text, ==, "/ABC/DEF/MISC");
}

static void
test_line_marks (void)
{
  g_autoptr(TsyTestSink) sink = parse_ok (
    ":20:X\n:25:NL91ABNA0417164300\n:60F:C240101EUR0,00\n"
    ":61:240101C1,00NTRFA//B1\n"
    ":61:240101D2,00NTRFA//B2\n"
    ":61:240101RC3,00NTRFA//B3\n"     /* reversal of a credit: money out */
    ":61:240101RD4,00NTRFA//B4\n"     /* reversal of a debit: money in */
    ":61:240101RCR5,00NRTIA//B5\n"    /* reversal with funds code R */
    ":61:240101CN6,00NTRFA//B6\n"     /* funds code N */
    ":61:240101DF7,00S051A//B7\n"     /* funds code F, SWIFT type S051 */
    ":61:240101DR8,00FCHGA//B8\n"     /* D with funds code R is not a reversal */
    ":62F:C240101EUR0,00\n");
  const gint64 amounts[] = { 100, -200, -300, 400, -500, 600, -700, -800 };
  const gboolean reversals[] = { FALSE, FALSE, TRUE, TRUE, TRUE, FALSE, FALSE, FALSE };

  for (guint i = 0; i < G_N_ELEMENTS (amounts); i++)
    {
      g_assert_cmpint (entry_at (sink, 0, i)->amount_minor, ==, amounts[i]);
      g_assert_cmpint (entry_at (sink, 0, i)->reversal, ==, reversals[i]);
    }
  g_assert_cmpstr (entry_at (sink, 0, 6)->bank_tx_code, ==, "S051");
  g_assert_cmpstr (entry_at (sink, 0, 7)->bank_tx_code, ==, "FCHG");
}

static void
test_line_amounts (void)
{
  g_autoptr(TsyTestSink) sink = parse_ok (
    ":20:X\n:25:NL91ABNA0417164300\n:60F:C240101EUR000000004433,52\n"
    ":61:240101C0,5NTRFA//B1\n"
    ":61:240101C500,NTRFA//B2\n"
    ":61:240101C000000000400,00NTRFA//B3\n"
    ":61:240101C500NTRFA//B4\n"             /* no decimal comma at all (Knab) */
    ":61:240101C1234567890123,45NTRFA//B5\n"
    ":62F:C240101EUR0,\n");

  g_assert_cmpint (tsy_test_sink_statement (sink, 0)->header.opening_minor, ==, 443352);
  g_assert_cmpint (tsy_test_sink_statement (sink, 0)->header.closing_minor, ==, 0);
  g_assert_cmpint (entry_at (sink, 0, 0)->amount_minor, ==, 50);
  g_assert_cmpint (entry_at (sink, 0, 1)->amount_minor, ==, 50000);
  g_assert_cmpint (entry_at (sink, 0, 2)->amount_minor, ==, 40000);
  g_assert_cmpint (entry_at (sink, 0, 3)->amount_minor, ==, 50000);
  g_assert_cmpint (entry_at (sink, 0, 4)->amount_minor, ==, G_GINT64_CONSTANT (123456789012345));
}

static void
test_line_currency_exponent (void)
{
  g_autoptr(TsyTestSink) sink = parse_ok (
    ":20:X\n:25:JP1\n:60F:C240101JPY1000,\n:61:240101D250,NTRFA//B1\n:62F:C240101JPY750,\n");

  g_assert_cmpint (entry_at (sink, 0, 0)->amount_minor, ==, -250);
  g_assert_cmpint (tsy_test_sink_statement (sink, 0)->header.opening_minor, ==, 1000);
  /* yen have no decimals */
  parse_fails (":20:X\n:25:JP1\n:60F:C240101JPY1000,\n:61:240101D250,5NTRFA//B1\n:62F:C240101JPY750,\n",
               -1, 4, "250,5");
  /* a balance of a currency ISO 4217 does not know */
  parse_fails (":20:X\n:25:A1\n:60F:C240101XYZ1,00\n:62F:C240101XYZ1,00\n", -1, 3, "XYZ");
}

static void
test_line_references (void)
{
  g_autoptr(TsyTestSink) sink = parse_ok (
    ":20:X\n:25:NL91ABNA0417164300\n:60F:C240101EUR0,00\n"
    ":61:240101C1,00NTRFMYREF//BANKREF\n"
    ":61:240101C1,00NTRFNONREF//BANKREF2\n"
    ":61:240101C1,00NTRFMYREF3\n"                    /* no "//": the customer reference */
    ":61:240101C1,00NTRFNONREF\n"
    ":61:240101C1,00NTRFEREF\n"                      /* "see /EREF/ in :86:" */
    ":61:240101C1,00NTRF\n"
    ":61:240101C1,00NTRFN\n"                         /* a one-letter code */
    ":61:240101C1,00NIOBNL91ABNA0417164300\n"        /* the counterparty's IBAN (ASN, SNS) */
    ":61:240101C1,00NTRFTFNr 40005 MSGID//0724710345313905\n"
    ":61:240101C1,00NTRFREF7//NONREF\n"
    ":62F:C240101EUR10,00\n");
  const char *bank_refs[] = { "BANKREF", "BANKREF2", "MYREF3", NULL, NULL, NULL, NULL, NULL,
                              "0724710345313905", "REF7" };
  const char *customer_refs[] = { "MYREF", NULL, "MYREF3", NULL, "EREF", NULL, "N",
                                  "NL91ABNA0417164300", "TFNr 40005 MSGID", "REF7" };

  for (guint i = 0; i < G_N_ELEMENTS (bank_refs); i++)
    {
      g_assert_cmpstr (entry_at (sink, 0, i)->bank_ref, ==, bank_refs[i]);
      g_assert_cmpstr (entry_at (sink, 0, i)->customer_ref, ==, customer_refs[i]);
    }
}

static void
test_line_supplementary (void)
{
  g_autoptr(TsyTestSink) sink = parse_ok (
    ":20:X\n:25:NL91ABNA0417164300\n:60F:C240101EUR0,00\n"
    ":61:240101C1,00NTRFNONREF//B1\nCard transaction\n"
    ":61:240101C1,00N541NONREF\nNL91ABNA0417164300\n:86:/ORDP//NAME/R. SMITH/REMI/Rent\n"
    ":62F:C240101EUR2,00\n");

  g_assert_cmpstr (entry_at (sink, 0, 0)->text, ==, "Card transaction");
  /* Rabobank: the counterparty's IBAN on the supplementary line */
  g_assert_cmpstr (entry_at (sink, 0, 1)->counterparty_account, ==, "NL91ABNA0417164300");
  g_assert_cmpstr (entry_at (sink, 0, 1)->counterparty_name, ==, "R. SMITH");
  g_assert_cmpstr (entry_at (sink, 0, 1)->text, ==, "Rent");
}

static void
test_line_errors (void)
{
  static const struct
  {
    const char *line;
    const char *part;
  } cases[] = {
    { ":61:240101X1,00NTRFA\n", "debit/credit mark" },
    { ":61:240101CNTRFA\n", "no amount" },
    { ":61:240101C1,2,3NTRFA\n", "1,2,3" },
    { ":61:240101C1,00\n", "transaction type" },
    { ":61:2401010230C1,00NTRFA\n", "0230" },
    { ":61:240230C1,00NTRFA\n", "240230" },
    { ":61:24AB01C1,00NTRFA\n", "24AB01" },
    { ":61:\n", "value date" },
    { ":61:240101C99999999999999999999,00NTRFA\n", "too large" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = wrap (cases[i].line);
      parse_fails (text, -1, 5, cases[i].part);
    }
}

/* ---- :86: dialects --------------------------------------------------------- */

static void
test_details_slash_ing (void)
{
  g_autoptr(TsyTestSink) sink = parse_one (
    ":61:1402200220C1,56NTRFEREF//00000000001005\n/TRCD/00100/\n"
    ":86:/EREF/EV12341REP1231456T1234//CNTP/NL32INGB0000012345/INGBNL2\n"
    "A/ING BANK NV INZAKE WEB///REMI/USTD//EV10001REP1000000T1000/\n");
  TsyStatementEntry *e = entry_at (sink, 0, 0);

  g_assert_cmpstr (e->end_to_end_id, ==, "EV12341REP1231456T1234");
  g_assert_cmpstr (e->counterparty_account, ==, "NL32INGB0000012345");
  g_assert_cmpstr (e->counterparty_bank, ==, "INGBNL2A");
  g_assert_cmpstr (e->counterparty_name, ==, "ING BANK NV INZAKE WEB");
  g_assert_cmpstr (e->text, ==, "EV10001REP1000000T1000");
  g_assert_cmpstr (e->bank_ref, ==, "00000000001005");
  g_assert_cmpuint (e->booking_date, ==, ymd (2014, 2, 20));
}

static void
test_details_slash_structured_remittance (void)
{
  g_autoptr(TsyTestSink) sink = parse_one (
    ":61:240101C32,00NTRF9001123412341234//00000000001011\n"
    ":86:/EREF/15814016000676480//CNTP/NL32INGB0000012345/INGBNL2A/J.J\n"
    "anssen///REMI/STRD/CUR/9001123412341234/\n");
  TsyStatementEntry *e = entry_at (sink, 0, 0);

  g_assert_cmpstr (e->counterparty_name, ==, "J.Janssen");
  g_assert_cmpstr (e->text, ==, "9001123412341234");
}

static void
test_details_slash_rabobank (void)
{
  g_autoptr(TsyTestSink) sink = parse_one (
    ":61:240102C400,00N541NONREF\n"
    ":86:/ORDP//NAME/R. SMITH/ADDR/Green market 74 3311BE Sheepcity Nederl\n"
    "and NL/REMI/Test money paid by other partner:\n/ISDT/2014-01-02\n");
  TsyStatementEntry *e = entry_at (sink, 0, 0);

  g_assert_cmpstr (e->counterparty_name, ==, "R. SMITH");
  g_assert_cmpstr (e->text, ==, "Test money paid by other partner:");
  g_assert_null (e->end_to_end_id);
}

static void
test_details_slash_abnamro (void)
{
  g_autoptr(TsyTestSink) sink = parse_ok (
    ":20:X\n:25:NL30ABNA0000000000\n:60F:C160901EUR0,00\n"
    ":61:1608310831C29,93NMSC\n"
    ":86:/TRTP/SEPA OVERBOEKING/IBAN/NL91ABNA0417164300/BIC/ABNANL2A/NAME/V. Oornaam/RE\n"
    "MI/Order 123/EREF/tr_XXXXXXXXX\n"
    ":61:1608310831D14,69NMSC\n"
    ":86:/TRTP/SEPA OVERBOEKING/IBAN/NL80RABO0000000000/BIC/ABNANL2A/NAME/Mollie/REMI/F\n"
    "actuur 7/EREF/NOTPROVIDED\n"
    ":62F:C160901EUR15,24\n");

  g_assert_cmpstr (entry_at (sink, 0, 0)->counterparty_account, ==, "NL91ABNA0417164300");
  g_assert_cmpstr (entry_at (sink, 0, 0)->counterparty_bank, ==, "ABNANL2A");
  g_assert_cmpstr (entry_at (sink, 0, 0)->counterparty_name, ==, "V. Oornaam");
  g_assert_cmpstr (entry_at (sink, 0, 0)->text, ==, "Order 123");
  g_assert_cmpstr (entry_at (sink, 0, 0)->end_to_end_id, ==, "tr_XXXXXXXXX");
  g_assert_null (entry_at (sink, 0, 1)->end_to_end_id);
  g_assert_cmpstr (entry_at (sink, 0, 1)->text, ==, "Factuur 7");
}

static void
test_details_slash_ultimate (void)
{
  g_autoptr(TsyTestSink) sink = parse_one (
    ":61:240101D10,00NTRFNONREF\n"
    ":86:/EREF/E2E-9/ULTD//NAME/Ultimate Debtor BV/BENM//NAME/Real Creditor/IBAN/NL91ABNA0417164300/RE\n"
    "MI/Invoice 9\n");
  TsyStatementEntry *e = entry_at (sink, 0, 0);

  /* the ultimate party's name is not the counterparty */
  g_assert_cmpstr (e->counterparty_name, ==, "Real Creditor");
  g_assert_cmpstr (e->counterparty_account, ==, "NL91ABNA0417164300");
  g_assert_cmpstr (e->end_to_end_id, ==, "E2E-9");
  g_assert_cmpstr (e->text, ==, "Invoice 9");
}

static void
test_details_german (void)
{
  g_autoptr(TsyTestSink) sink = parse_one (
    ":61:2401020102CR50,00NTRFNONREF//0724710333343453\n"
    ":86:166?00GUTSCHRIFT?100399?20EREF+E2E-4711 00?21 01?22SVWZ+Rechnung 4711 v\n"
    "om 2.1.?30BYLADEMM?31DE02700100800030876808?32Max Muster?33mann GmbH?34166\n");
  TsyStatementEntry *e = entry_at (sink, 0, 0);

  /* subfields wrap anywhere; lines join without a separator */
  g_assert_cmpstr (e->end_to_end_id, ==, "E2E-4711 00 01");
  g_assert_cmpstr (e->text, ==, "Rechnung 4711 vom 2.1.");
  g_assert_cmpstr (e->counterparty_name, ==, "Max Mustermann GmbH");
  g_assert_cmpstr (e->counterparty_account, ==, "DE02700100800030876808");
  g_assert_cmpstr (e->counterparty_bank, ==, "BYLADEMM");
  g_assert_cmpstr (e->bank_ref, ==, "0724710333343453");
}

static void
test_details_german_variants (void)
{
  g_autoptr(TsyTestSink) sink = parse_ok (
    ":20:X\n:25:12345678/1234567890\n:60F:C240101EUR0,00\n"
    /* the subfield code itself split over two lines; ?38 IBAN wins over ?31 */
    ":61:240101C1,00NTRFNONREF//B1\n"
    ":86:051?00UEBERWEISUNG?100599?20Gehalt Oktober?2\n1 Firma GmbH?3050060400?310847564700"
    "?38DE89370400440532013000?32MUELLER\n"
    /* no purpose: the posting text */
    ":61:240101D1,00NCHGNONREF//B2\n"
    ":86:805?00ENTGELTABSCHLUSS?106666\n"
    /* Triodos writes '>' */
    ":61:240101D15,70N000NONREF//B3\n"
    ":86:000>100987654321\n>20ALGEMENE TUSSENREKENING KOS>21TEN VAN 01-10-2010\n>310390123456\n"
    /* a trailing '?' with nothing after it; a second :86: is not glued to ?31 */
    ":61:240101D1,00NMSCNONREF//B4\n:86:105?20Text?31123?\n:86:second field\n"
    ":62F:C240101EUR0,00\n");

  g_assert_cmpstr (entry_at (sink, 0, 0)->text, ==, "Gehalt Oktober Firma GmbH");
  g_assert_cmpstr (entry_at (sink, 0, 0)->counterparty_account, ==, "DE89370400440532013000");
  g_assert_cmpstr (entry_at (sink, 0, 0)->counterparty_name, ==, "MUELLER");
  g_assert_cmpstr (entry_at (sink, 0, 1)->text, ==, "ENTGELTABSCHLUSS");
  g_assert_cmpstr (entry_at (sink, 0, 2)->text, ==, "ALGEMENE TUSSENREKENING KOSTEN VAN 01-10-2010");
  g_assert_cmpstr (entry_at (sink, 0, 2)->counterparty_account, ==, "0390123456");
  g_assert_cmpstr (entry_at (sink, 0, 3)->text, ==, "Text");
  g_assert_cmpstr (entry_at (sink, 0, 3)->counterparty_account, ==, "123?");
  g_assert_true (g_str_has_suffix (entry_at (sink, 0, 3)->raw, ":86:second field"));
}

static void
test_details_free_text (void)
{
  g_autoptr(TsyTestSink) sink = parse_ok (
    ":20:X\n:25:NL05SNSB0908244436\n:60F:C240101EUR0,00\n"
    /* short lines join with a space; a full 65-character line was wrapped, not broken */
    ":61:240101D1,00NBEA//228ohu/972795\n"
    ":86: \n"
    "Jumbo Wijchen B.V.    >WIJCHEN  27.12.2017 13U38 KV005 4XZJ4Z   M\n"
    "CC:5411 Contactloze betaling\n"
    "\n"
    /* "IBAN name" on the first line (SNS, ASN) */
    ":61:240101D1,00NINCNL91ABNA0417164300\nvitens nv\n"
    ":86:NL91ABNA0417164300 vitens nv\n\nEuropese incasso\n"
    ":62F:C240101EUR0,00\n");

  g_assert_cmpstr (entry_at (sink, 0, 0)->text, ==,
                   "Jumbo Wijchen B.V. >WIJCHEN 27.12.2017 13U38 KV005 4XZJ4Z MCC:5411 "
                   "Contactloze betaling");
  g_assert_null (entry_at (sink, 0, 0)->counterparty_account);
  g_assert_cmpstr (entry_at (sink, 0, 1)->counterparty_account, ==, "NL91ABNA0417164300");
  g_assert_cmpstr (entry_at (sink, 0, 1)->counterparty_name, ==, "vitens nv");
  g_assert_cmpstr (entry_at (sink, 0, 1)->text, ==, "NL91ABNA0417164300 vitens nv Europese incasso");
  /* an IBAN is not an identity */
  g_assert_null (entry_at (sink, 0, 1)->bank_ref);
}

static void
test_details_colon_in_text (void)
{
  g_autoptr(TsyTestSink) sink = parse_one (
    ":61:240101D6,00NMSCNONREF//B1\n"
    ":86:Payment: invoice 12, time 2017-01-01T13\n"
    ":12:11 and more\n"
    ":26:37 Folgenr. 007\n"
    "ref:x:y\n");
  TsyStatementEntry *e = entry_at (sink, 0, 0);

  /* ":12:" and ":26:" are not MT940 fields: the text goes on */
  g_assert_cmpstr (e->text, ==,
                   "Payment: invoice 12, time 2017-01-01T13 :12:11 and more :26:37 Folgenr. 007 ref:x:y");
}

static void
test_details_several_86 (void)
{
  g_autoptr(TsyTestSink) sink = parse_ok (
    ":20:X\n:25:1291.99.348EUR\n:60F:C110614EUR1000,00\n"
    ":61:110527D000000001213,28N0440121470966      W.P. Jansen\n"
    ":86:Terugboeking\n:86:NIET AKKOORD MET AFSCHRIJVING\n:86:20095731\n"
    ":62F:C110615EUR0,00\n"
    ":86:statement information, not an entry's\n"
    "-\n");
  TsyStatementEntry *e = entry_at (sink, 0, 0);

  g_assert_cmpstr (e->text, ==, "Terugboeking NIET AKKOORD MET AFSCHRIJVING 20095731");
  g_assert_cmpstr (e->raw, ==,
                   ":61:110527D000000001213,28N0440121470966      W.P. Jansen\n"
                   ":86:Terugboeking\n:86:NIET AKKOORD MET AFSCHRIJVING\n:86:20095731");
  /* account and name in the customer reference (old Rabobank): no identity */
  g_assert_null (e->bank_ref);
}

static void
test_details_empty_and_encoding (void)
{
  g_autoptr(TsyTestSink) sink = parse_ok (
    ":20:X\n:25:DE1\n:60F:C240101EUR0,00\n"
    ":61:240101C1,00NTRFNONREF//B1\n:86:\n"
    ":61:240101C1,00NTRFNONREF//B2\n:86:Caf\xe9 M\xfcller \x80 5\n"
    ":61:240101C1,00NTRFNONREF//B3\n:86:Caf\xc3\xa9 \xe4\xb8\xad\xe6\x96\x87\tok\n"
    ":62F:C240101EUR3,00\n");

  g_assert_null (entry_at (sink, 0, 0)->text);
  /* not UTF-8: read as Windows-1252 */
  g_assert_cmpstr (entry_at (sink, 0, 1)->text, ==, "Café Müller € 5");
  g_assert_true (g_utf8_validate (entry_at (sink, 0, 1)->raw, -1, NULL));
  /* UTF-8 stays; a tab is white space */
  g_assert_cmpstr (entry_at (sink, 0, 2)->text, ==, "Café 中文 ok");
}

static void
test_raw (void)
{
  const char *body = ":61:2401020102C1,00NTRFREF//BANK\nSUPPLEMENTARY\n"
                     ":86:first line\n second line  \n";
  g_autofree char *lf = wrap (body);
  g_autoptr(GString) crlf = g_string_new (NULL);
  g_autoptr(TsyTestSink) a = parse_one (body);
  g_autoptr(TsyTestSink) b = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (entry_at (a, 0, 0)->raw, ==,
                   ":61:2401020102C1,00NTRFREF//BANK\nSUPPLEMENTARY\n:86:first line\n second line");
  g_assert_cmpstr (entry_at (a, 0, 0)->text, ==, "first line second line");

  for (const char *c = lf; *c; c++)
    {
      if (*c == '\n')
        g_string_append_c (crlf, '\r');
      g_string_append_c (crlf, *c);
    }
  b = tsy_test_parse_string (tsy_mt940_parse, crlf->str, (gssize) crlf->len, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (entry_at (b, 0, 0)->raw, ==, entry_at (a, 0, 0)->raw);
}

/* ---- structure -------------------------------------------------------------- */

static const char *const ending_test =
  ":20:A\n:25:NL91ABNA0417164300\n:28C:1/1\n:60F:C240101EUR10,00\n"
  ":61:240101D1,00NTRFR1//B1\n:86:one\ntwo\n:62F:C240101EUR9,00\n-\n"
  ":20:B\n:25:NL91ABNA0417164300\n:28C:2/1\n:60F:C240102EUR9,00\n"
  ":61:240102C2,00NTRFR2//B2\n:86:three\n:62F:C240102EUR11,00\n-";

static void
assert_same (TsyTestSink *a,
             TsyTestSink *b)
{
  g_assert_cmpuint (a->statements->len, ==, b->statements->len);
  g_assert_cmpuint (a->n_entries, ==, b->n_entries);
  for (guint i = 0; i < a->statements->len; i++)
    {
      TsyTestStatement *x = tsy_test_sink_statement (a, i), *y = tsy_test_sink_statement (b, i);
      g_assert_cmpstr (x->header.statement_id, ==, y->header.statement_id);
      g_assert_cmpint (x->header.opening_minor, ==, y->header.opening_minor);
      g_assert_cmpint (x->header.closing_minor, ==, y->header.closing_minor);
      g_assert_cmpuint (x->header.source_line, ==, y->header.source_line);
      for (guint j = 0; j < x->entries->len; j++)
        {
          TsyStatementEntry *e = entry_at (a, i, j), *f = entry_at (b, i, j);
          g_assert_cmpint (e->amount_minor, ==, f->amount_minor);
          g_assert_cmpstr (e->text, ==, f->text);
          g_assert_cmpstr (e->raw, ==, f->raw);
          g_assert_cmpuint (e->source_line, ==, f->source_line);
        }
    }
}

static char *
replace_newlines (const char *text,
                  const char *with)
{
  g_auto(GStrv) parts = g_strsplit (text, "\n", -1);

  return g_strjoinv (with, parts);
}

static void
test_structure_line_endings (void)
{
  g_autofree char *crlf = replace_newlines (ending_test, "\r\n");
  g_autofree char *cr = replace_newlines (ending_test, "\r");
  g_autofree char *final_nl = g_strconcat (ending_test, "\n", NULL);
  g_autoptr(TsyTestSink) lf = parse_ok (ending_test);
  g_autoptr(TsyTestSink) s1 = parse_ok (crlf);
  g_autoptr(TsyTestSink) s2 = parse_ok (cr);
  g_autoptr(TsyTestSink) s3 = parse_ok (final_nl);

  g_assert_cmpuint (lf->statements->len, ==, 2);
  g_assert_cmpstr (entry_at (lf, 0, 0)->text, ==, "one two");
  g_assert_cmpuint (entry_at (lf, 1, 0)->source_line, ==, 14);
  assert_same (lf, s1);
  assert_same (lf, s2);
  assert_same (lf, s3);
}

static void
test_structure_header (void)
{
  g_autoptr(TsyTestSink) sink = parse_ok (
    "\x01\n"
    ":20:STARTUMS\n:21:NONREF\n:25:12345678/1234567890\n:28C:00046/001\n"
    ":60M:D240101EUR1234,56\n"       /* a debit balance is negative */
    ":61:240101C1,00NTRFA//B1\n"
    ":62M:D240102EUR1233,56\n"
    ":64:C240102EUR5,00\n"
    ":65:C240103EUR5,00\n"
    ":65:C240104EUR5,00\n"
    ":86:/SUM/1/0/0,00/1,00/\n"
    "-\x03\n");
  TsyTestStatement *st = tsy_test_sink_statement (sink, 0);

  g_assert_cmpstr (st->header.statement_id, ==, "STARTUMS");
  g_assert_cmpstr (st->header.sequence, ==, "00046/001");
  g_assert_cmpstr (st->header.account, ==, "12345678/1234567890");
  g_assert_cmpint (st->header.opening_minor, ==, -123456);
  g_assert_cmpint (st->header.closing_minor, ==, -123356);
  g_assert_cmpuint (st->header.from_date, ==, ymd (2024, 1, 1));
  g_assert_cmpuint (st->header.to_date, ==, ymd (2024, 1, 2));
  g_assert_true (st->header.has_available);
  g_assert_cmpint (st->header.available_minor, ==, 500);
  g_assert_cmpuint (st->header.available_date, ==, ymd (2024, 1, 2));
  g_assert_cmpuint (st->header.source_line, ==, 2);
  /* statement information after the closing balance is not the entry's */
  g_assert_null (entry_at (sink, 0, 0)->text);
}

static void
test_structure_envelopes (void)
{
  g_autoptr(TsyTestSink) sink = parse_ok (
    "{1:F01INGBNL2ABXXX0000000000}\n{2:I940INGBNL2AXXXN}\n{4:\n"
    ":20:P1\n:25:NL77INGB0574908765EUR\n:28C:0000\n0\n:60F:C140219EUR662,23\n"
    ":61:1402200220C1,56NTRFEREF//00000000001\n:86:/EREF/X1//REMI/USTD//one/\n"
    ":62F:C140220EUR663,79\n-}\n"
    "{1:F01SNSBNL2AXXXX0000000000}{2:O942SNSBNL2AXXXXN}{3:}{4:\n"
    ":20:P2\n:25:NL05SNSB0908244436\n:28C:1\n:34F:EURD0,00\n:13D:1701191815+0100\n"
    ":61:1701190119D0,42NCHGNONREF//X\n:86:cost\n-\n"
    ":90D:1EUR0,42\n"
    "-}{5:{CHK:123456789ABC}}\n"
    "{1:F01SNSBNL2AXXXX0000000000}{2:O940SNSBNL2AXXXXN}{3:}{4::20:P3\n"
    ":25:NL05SNSB0908244436\n:60F:C171227EUR1,00\n:62F:C171227EUR1,00\n-}\n");

  g_assert_cmpuint (sink->statements->len, ==, 3);
  g_assert_cmpstr (tsy_test_sink_statement (sink, 0)->header.format, ==, "mt940");
  g_assert_cmpstr (tsy_test_sink_statement (sink, 0)->header.sequence, ==, "00000");
  g_assert_cmpstr (tsy_test_sink_statement (sink, 1)->header.format, ==, "mt942");
  g_assert_cmpint (tsy_test_sink_statement (sink, 1)->header.kind, ==, TSY_STATEMENT_KIND_INTRADAY);
  g_assert_cmpstr (tsy_test_sink_statement (sink, 1)->header.currency, ==, "EUR");
  /* "-" followed by a field inside the MT942 text was text */
  g_assert_cmpstr (entry_at (sink, 1, 0)->text, ==, "cost -");
  g_assert_cmpstr (tsy_test_sink_statement (sink, 2)->header.statement_id, ==, "P3");
}

static void
test_structure_separators (void)
{
  g_autoptr(TsyTestSink) sink = parse_ok (
    ":940:\n"
    "ABNANL2A\n940\nABNANL2A\n"
    ":20:S1\n:25:1\n:60F:C240101EUR0,00\n"
    ":61:240101C1,00NTRFA1\n"
    ":86:/EREF/EV123R\nEP1//MARF/MND\n-\nEV01//REMI/USTD//x/\n"   /* ING wraps a "-" alone */
    ":62F:C240101EUR1,00\n"
    "\n\n"
    ":20:S2\n:25:1\n:60F:C240101EUR1,00\n:62F:C240101EUR1,00\n"    /* no "-": the next :20: ends it */
    /* MT942 has no closing balance: "-" then ":20:" ends the text and the message */
    ":20:S3\n:25:1\n:34F:EUR0,00\n:61:240101C1,00NTRFA3\n:86:text\n-\n"
    ":20:S4\n:25:1\n:60F:C240101EUR2,00\n:62F:C240101EUR2,00\n-XXX\n");

  g_assert_cmpuint (sink->statements->len, ==, 4);
  g_assert_cmpstr (tsy_test_sink_statement (sink, 2)->header.format, ==, "mt942");
  g_assert_cmpstr (entry_at (sink, 2, 0)->text, ==, "text");
  g_assert_cmpstr (tsy_test_sink_statement (sink, 3)->header.statement_id, ==, "S4");
  g_assert_cmpstr (entry_at (sink, 0, 0)->end_to_end_id, ==, "EV123REP1");
  g_assert_cmpstr (entry_at (sink, 0, 0)->text, ==, "x");
}

static void
test_structure_dash_ends_text (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyTestSink) sink = tsy_test_parse_string (tsy_mt940_parse,
    ":20:S3\n:25:1\n:60F:C240101EUR1,00\n:61:240101C1,00NTRFA3\n:86:text\n-\n\n"
    ":20:S4\n:25:1\n:60F:C240101EUR2,00\n:62F:C240101EUR2,00\n", -1, &error);

  /* "-" before a blank line ended the first message, which had no closing balance */
  assert_parse_error (error, "test.txt", 5, "without a closing balance");
}

static void
test_structure_mt942 (void)
{
  g_autoptr(TsyTestSink) sink = parse_ok (
    ":20:CGNGHKLI0290980\n:25:GJB0291077111\n:28C:03917/00001\n"
    ":34F:EURD0,00\n:34F:EURC0,00\n:13D:1610301730+0000\n"
    ":61:1610301031D0,42NCHGNONREF//055001022000001\nYAY MT942 CHG\n"
    ":86:REMIT:Costs\n"
    ":90D:1EUR0,42\n:90C:0EUR0,00\n\n\n");
  TsyTestStatement *st = tsy_test_sink_statement (sink, 0);

  g_assert_cmpstr (st->header.format, ==, "mt942");
  g_assert_cmpint (st->header.kind, ==, TSY_STATEMENT_KIND_INTRADAY);
  g_assert_cmpstr (st->header.currency, ==, "EUR");
  g_assert_false (st->header.has_opening);
  g_assert_false (st->header.has_closing);
  g_assert_cmpuint (st->header.from_date, ==, ymd (2016, 10, 30));
  g_assert_cmpuint (st->header.to_date, ==, ymd (2016, 10, 30));
  g_assert_cmpint (entry_at (sink, 0, 0)->amount_minor, ==, -42);
  g_assert_cmpuint (entry_at (sink, 0, 0)->booking_date, ==, ymd (2016, 10, 31));
  g_assert_cmpstr (entry_at (sink, 0, 0)->text, ==, "REMIT:Costs");

  /* MT942 without a currency before the first entry */
  parse_fails (":20:X\n:25:A\n:13D:1610301730+0000\n:61:161030D0,42NCHGNONREF\n", -1, 4, ":34F:");
  parse_fails (":20:X\n:25:A\n:34F:EU\n", -1, 3, ":34F:");
  parse_fails (":20:X\n:25:A\n:34F:EUR0,00\n:13D:161399\n", -1, 4, ":13D:");
  parse_fails (":20:X\n:25:A\n:34F:EUR0,00\n:90D:EUR0,00\n", -1, 4, ":90D:");
}

/* ---- errors ------------------------------------------------------------------ */

static void
test_errors (void)
{
  static const struct
  {
    const char *text;
    guint       line;
    const char *part;
  } cases[] = {
    { ":20:X\n:28C:1\n:60F:C240101EUR0,00\n:61:240101C1,00NTRFA\n:62F:C240101EUR1,00\n",
      4, "before the account identification" },
    { ":20:X\n:25:A\n:61:240101C1,00NTRFA\n", 3, "before the opening balance" },
    { ":20:X\n:25:A\n:60F:C240101EUR0,00\n:61:240101C1,00NTRFA\n", 4, "without a closing balance" },
    { ":20:X\n:25:A\n:60F:C240101EUR0,00\n\n:20:Y\n", 3, "without a closing balance" },
    { ":20:X\n:25:A\n:25:B\n", 3, "second account" },
    { ":20:X\n:25:A\n:60F:C240101EUR0,00\n:60F:C240101EUR0,00\n", 4, "second opening" },
    { ":20:X\n:25:A\n:34F:EUR0,00\n:61:240101C1,00NTRFA\n:60F:C240101EUR0,00\n",
      5, "after statement lines" },
    { ":20:X\n:25:A\n:60F:C240101EUR0,00\n:62F:C240101EUR0,00\n:61:240101C1,00NTRFA\n",
      5, "after the closing balance" },
    { ":20:X\n:25:A\n:60F:C240101EUR0,00\n:62F:C240101EUR0,00\n:62F:C240101EUR0,00\n", 5, "second closing" },
    { ":20:X\n:25:A\n:62F:C240101EUR0,00\n", 3, "before the opening balance" },
    { ":20:X\n:25:A\n:60F:C240101EUR0,00\n:62F:C240101USD0,00\n", 4, "USD" },
    { ":20:X\n:25:A\n:60F:C240230EUR0,00\n:62F:C240101EUR0,00\n", 3, "240230" },
    { ":20:X\n:25:A\n:60F:X240101EUR0,00\n", 3, ":60F:" },
    { ":20:X\n:25:A\n:60F:C240101EUR\n", 3, "amount is missing" },
    { ":20:X\n:25:A\n:60F:C240101EUR12.5\n", 3, "12.5" },
    { ":20:X\n:25:A\n:60F:C240101EUR0,00\n:64:C2401\n:62F:C240101EUR0,00\n", 4, ":64:" },
    { "hello\nworld\n", 2, "no MT940" },
    { "", 1, "no MT940" },
    { ":9401:\n:20:X\n", 1, ":9401:" },
    { ":61:240101C1,00NTRFA\n", 1, "before the start of a statement" },
    { ":20:X\n:25:A\n:60F:C240101EUR0,00\n:86:a\x02 b\n", 4, "binary data" },
    { "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\x0c", 3, "binary data" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %u", i);
      parse_fails (cases[i].text, -1, cases[i].line, cases[i].part);
    }
  /* a NUL byte */
  parse_fails (":20:X\n:25:A\0B\n", 14, 2, "0x00");
}

static void
test_long_line (void)
{
  GString *text = g_string_new (":20:X\n:25:A\n:60F:C240101EUR0,00\n:61:240101C1,00NTRFA\n:86:");
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyTestSink) sink = NULL;

  for (guint i = 0; i < 2 * 1024 * 1024 / 8; i++)
    g_string_append (text, "ABCDEFGH");
  sink = tsy_test_parse_string (tsy_mt940_parse, text->str, (gssize) text->len, &error);
  g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, "test.txt: "));
  g_assert_nonnull (strstr (error->message, "5"));
  g_string_free (text, TRUE);
}

/* A field of endless continuation lines is refused: memory does not grow with the file. */
static void
test_long_field (void)
{
  GString *text = g_string_new (":20:X\n:25:A\n:60F:C240101EUR0,00\n:61:240101C1,00NTRFA\n:86:start\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyTestSink) sink = NULL;
  static const char more[] = "another line of remittance text, 65 characters long ...........\n";
  const gsize more_len = sizeof more - 1;
  guint64 line, n_lines = 0;

  while (text->len < 80 * 1024)
    g_string_append (text, more);
  sink = tsy_test_parse_string (tsy_mt940_parse, text->str, (gssize) text->len, &error);
  g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, "test.txt: line "));
  g_assert_nonnull (strstr (error->message, ":86:"));
  /* the cap stops the parse inside the field, where it passes 64 KiB, not at the end of the file */
  line = g_ascii_strtoull (error->message + strlen ("test.txt: line "), NULL, 10);
  for (gsize i = 0; i < text->len; i++)
    n_lines += text->str[i] == '\n';
  g_assert_cmpuint (line, >, 64 * 1024 / more_len);
  g_assert_cmpuint (line, <, n_lines);
  g_assert_cmpuint (sink->n_entries, ==, 0);
  g_string_free (text, TRUE);
}

static void
test_cancelled (void)
{
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data (ending_test, -1, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(TsyTestSink) sink = tsy_test_sink_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (tsy_mt940_parse (in, "x", &tsy_test_sink_vtable, sink, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (sink->n_entries, ==, 0);
}

/* The sink's error stops the parse and comes back unchanged. */
static void
test_sink_error (void)
{
  g_autofree char *path = tsy_test_corpus_path ("mt940/wolph_mt940_betterplace-sepa_mt9401.sta");
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(TsyTestSink) sink = tsy_test_sink_new ();
  g_autoptr(GError) error = NULL;

  if (path == NULL)
    return;
  file = g_file_new_for_path (path);
  in = g_file_read (file, NULL, &error);
  g_assert_no_error (error);
  sink->fail_at_entry = 9;
  g_assert_false (tsy_mt940_parse (G_INPUT_STREAM (in), "sepa.sta", &tsy_test_sink_vtable, sink,
                                   NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpstr (error->message, ==, "sink refused entry 9");
  g_assert_cmpuint (sink->n_entries, ==, 8);
  /* nothing after the refused entry: the second statement is not ended */
  g_assert_cmpuint (sink->statements->len, ==, 2);
  g_assert_true (tsy_test_sink_statement (sink, 0)->ended);
  g_assert_false (tsy_test_sink_statement (sink, 1)->ended);
}

/* Every prefix of real files: an error or statements, never a crash. */
static void
test_truncated (void)
{
  const char *files[] = {
    "mt940/OCA_bank-statement-import_base-test-ing.940",
    "mt942/wolph_mt940_mBank-mt942.sta",
    "mt940/wolph_mt940_self-provided-multiline.sta",
  };

  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_autofree char *path = tsy_test_corpus_path (files[f]);
      g_autofree char *data = NULL;
      gsize len;
      guint ok = 0, refused = 0;

      if (path == NULL)
        return;
      g_assert_true (g_file_get_contents (path, &data, &len, NULL));
      for (gsize n = 0; n <= len; n++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(TsyTestSink) sink = tsy_test_parse_string (tsy_mt940_parse, data, (gssize) n, &error);

          if (error != NULL)
            {
              g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PARSE);
              g_assert_true (g_str_has_prefix (error->message, "test.txt: line "));
              refused++;
            }
          else
            {
              g_assert_cmpuint (sink->statements->len, >, 0);
              ok++;
            }
        }
      g_assert_cmpuint (refused, >, 0);
      g_test_message ("%s: %u prefixes parse, %u are refused", files[f], ok, refused);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (corpus_cases); i++)
    {
      g_autofree char *base = g_path_get_basename (corpus_cases[i].file);
      g_autofree char *test_path = g_strdup_printf ("/banks/mt940/corpus/%s", base);
      g_test_add_data_func (test_path, &corpus_cases[i], test_corpus_file);
    }
  g_test_add_func ("/banks/mt940/corpus-complete", test_corpus_complete);
  g_test_add_func ("/banks/mt940/corpus-blank-entry-date", test_corpus_blank_entry_date);

  g_test_add_func ("/banks/mt940/line/value-date-only", test_line_value_date_only);
  g_test_add_func ("/banks/mt940/line/entry-date", test_line_entry_date);
  g_test_add_func ("/banks/mt940/line/year-rollover", test_line_year_rollover);
  g_test_add_func ("/banks/mt940/line/blank-entry-date", test_line_blank_entry_date);
  g_test_add_func ("/banks/mt940/line/marks-and-funds-codes", test_line_marks);
  g_test_add_func ("/banks/mt940/line/amounts", test_line_amounts);
  g_test_add_func ("/banks/mt940/line/currency-exponent", test_line_currency_exponent);
  g_test_add_func ("/banks/mt940/line/references", test_line_references);
  g_test_add_func ("/banks/mt940/line/supplementary", test_line_supplementary);
  g_test_add_func ("/banks/mt940/line/errors", test_line_errors);

  g_test_add_func ("/banks/mt940/details/slash-ing", test_details_slash_ing);
  g_test_add_func ("/banks/mt940/details/slash-structured-remittance",
                   test_details_slash_structured_remittance);
  g_test_add_func ("/banks/mt940/details/slash-rabobank", test_details_slash_rabobank);
  g_test_add_func ("/banks/mt940/details/slash-abnamro", test_details_slash_abnamro);
  g_test_add_func ("/banks/mt940/details/slash-ultimate", test_details_slash_ultimate);
  g_test_add_func ("/banks/mt940/details/german", test_details_german);
  g_test_add_func ("/banks/mt940/details/german-variants", test_details_german_variants);
  g_test_add_func ("/banks/mt940/details/free-text", test_details_free_text);
  g_test_add_func ("/banks/mt940/details/colon-in-text", test_details_colon_in_text);
  g_test_add_func ("/banks/mt940/details/several-86", test_details_several_86);
  g_test_add_func ("/banks/mt940/details/empty-and-encoding", test_details_empty_and_encoding);
  g_test_add_func ("/banks/mt940/details/raw", test_raw);

  g_test_add_func ("/banks/mt940/structure/line-endings", test_structure_line_endings);
  g_test_add_func ("/banks/mt940/structure/header", test_structure_header);
  g_test_add_func ("/banks/mt940/structure/envelopes", test_structure_envelopes);
  g_test_add_func ("/banks/mt940/structure/separators", test_structure_separators);
  g_test_add_func ("/banks/mt940/structure/dash-ends-text", test_structure_dash_ends_text);
  g_test_add_func ("/banks/mt940/structure/mt942", test_structure_mt942);

  g_test_add_func ("/banks/mt940/errors", test_errors);
  g_test_add_func ("/banks/mt940/long-line", test_long_line);
  g_test_add_func ("/banks/mt940/long-field", test_long_field);
  g_test_add_func ("/banks/mt940/cancelled", test_cancelled);
  g_test_add_func ("/banks/mt940/sink-error", test_sink_error);
  g_test_add_func ("/banks/mt940/truncated", test_truncated);
  return g_test_run ();
}
