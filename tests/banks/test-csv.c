/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The CSV statement parser (banks/formats/tsy-csv*.c) on sample exports of 工商银行, 建设银行,
 * 中国银行, 农业银行 and 招商银行 (tests/data/csv/), on a profile, and on small texts. */
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "banks/formats/tsy-statement-format.h"
#include "ledger/tsy-money.h"
#include "tsy-test-sink.h"

/* ---- helpers ---------------------------------------------------------------------------- */

static TsyTestSink *
parse_stream (GInputStream        *in,
              const char          *name,
              const TsyCsvProfile *profile,
              GError             **error)
{
  TsyTestSink *sink = tsy_test_sink_new ();
  GError *local = NULL;
  gboolean ok = tsy_csv_parse (in, name, profile, &tsy_test_sink_vtable, sink, NULL, &local);

  g_assert_true (ok == (local == NULL));
  if (ok)
    for (guint i = 0; i < sink->statements->len; i++)
      g_assert_true (tsy_test_sink_statement (sink, i)->ended);
  if (local != NULL)
    g_propagate_error (error, local);
  return sink;
}

static TsyTestSink *
parse_text (const char          *text,
            gssize               len,
            const TsyCsvProfile *profile,
            GError             **error)
{
  g_autoptr(GInputStream) in = NULL;

  if (len < 0)
    len = (gssize) strlen (text);
  in = g_memory_input_stream_new_from_data (g_memdup2 (text, (gsize) len), len, g_free);
  return parse_stream (in, "test.csv", profile, error);
}

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "csv", name, NULL);
}

static TsyTestSink *
parse_sample (const char          *name,
              const TsyCsvProfile *profile)
{
  g_autofree char *path = data_path (name);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, &error);
  TsyTestSink *sink;

  g_assert_no_error (error);
  sink = parse_stream (G_INPUT_STREAM (in), name, profile, &error);
  g_assert_no_error (error);
  return sink;
}

/* Parses @text, which must succeed with one statement, and returns it. */
static TsyTestStatement *
parse_one (const char   *text,
           TsyTestSink **out_sink)
{
  g_autoptr(GError) error = NULL;
  TsyTestSink *sink = parse_text (text, -1, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (sink->statements->len, ==, 1);
  *out_sink = sink;
  return tsy_test_sink_statement (sink, 0);
}

static TsyStatementEntry *
entry_at (TsyTestStatement *st,
          guint             i)
{
  g_assert_cmpuint (i, <, st->entries->len);
  return &((TsyTestEntry *) g_ptr_array_index (st->entries, i))->entry;
}

static void
assert_date (TsyDate     date,
             const char *iso)
{
  char buf[11];

  tsy_date_format_iso (date, buf);
  g_assert_cmpstr (buf, ==, iso);
}

static void
assert_statement (TsyTestStatement *st,
                  const char       *account,
                  const char       *currency,
                  guint             n,
                  gint64            sum,
                  gint64            opening,
                  gint64            closing)
{
  g_assert_cmpstr (st->header.format, ==, "csv");
  g_assert_cmpint (st->header.kind, ==, TSY_STATEMENT_KIND_FINAL);
  g_assert_cmpstr (st->header.account, ==, account);
  g_assert_cmpstr (st->header.currency, ==, currency);
  g_assert_cmpuint (st->entries->len, ==, n);
  g_assert_cmpint (tsy_test_statement_sum (st), ==, sum);
  g_assert_true (st->header.has_opening);
  g_assert_cmpint (st->header.opening_minor, ==, opening);
  g_assert_true (st->header.has_closing);
  g_assert_cmpint (st->header.closing_minor, ==, closing);
  /* the ledger's own check */
  g_assert_cmpint (opening + sum, ==, closing);
}

static void
assert_same_string (const char *a,
                    const char *b)
{
  g_assert_cmpstr (a, ==, b);
}

static void
assert_same_sinks (TsyTestSink *a,
                   TsyTestSink *b)
{
  g_assert_cmpuint (a->statements->len, ==, b->statements->len);
  for (guint i = 0; i < a->statements->len; i++)
    {
      TsyTestStatement *x = tsy_test_sink_statement (a, i), *y = tsy_test_sink_statement (b, i);

      assert_same_string (x->header.account, y->header.account);
      assert_same_string (x->header.currency, y->header.currency);
      assert_same_string (x->header.statement_id, y->header.statement_id);
      g_assert_cmpuint (x->header.from_date, ==, y->header.from_date);
      g_assert_cmpuint (x->header.to_date, ==, y->header.to_date);
      g_assert_cmpint (x->header.has_opening, ==, y->header.has_opening);
      g_assert_cmpint (x->header.opening_minor, ==, y->header.opening_minor);
      g_assert_cmpint (x->header.has_closing, ==, y->header.has_closing);
      g_assert_cmpint (x->header.closing_minor, ==, y->header.closing_minor);
      g_assert_cmpuint (x->entries->len, ==, y->entries->len);
      for (guint k = 0; k < x->entries->len; k++)
        {
          TsyStatementEntry *e = entry_at (x, k), *f = entry_at (y, k);

          g_assert_cmpuint (e->booking_date, ==, f->booking_date);
          g_assert_cmpuint (e->value_date, ==, f->value_date);
          g_assert_cmpint (e->amount_minor, ==, f->amount_minor);
          assert_same_string (e->bank_ref, f->bank_ref);
          assert_same_string (e->customer_ref, f->customer_ref);
          assert_same_string (e->counterparty_name, f->counterparty_name);
          assert_same_string (e->counterparty_account, f->counterparty_account);
          assert_same_string (e->counterparty_bank, f->counterparty_bank);
          assert_same_string (e->text, f->text);
          assert_same_string (e->bank_tx_code, f->bank_tx_code);
          assert_same_string (e->raw, f->raw);
          g_assert_cmpuint (e->source_line, ==, f->source_line);
        }
    }
}

/* Asserts that @text fails with "test.csv: line @line: …@reason…". */
static void
assert_error_with (const char          *text,
                   gssize               len,
                   const TsyCsvProfile *profile,
                   guint                line,
                   const char          *reason)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyTestSink) sink = parse_text (text, len, profile, &error);
  g_autofree char *prefix = g_strdup_printf ("test.csv: line %u: ", line);

  g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PARSE);
  if (!g_str_has_prefix (error->message, prefix) || strstr (error->message, reason) == NULL)
    g_error ("expected “%s…%s…”, got “%s”", prefix, reason, error->message);
}

static void
assert_error (const char *text,
              guint       line,
              const char *reason)
{
  assert_error_with (text, -1, NULL, line, reason);
}

static char *
write_temp (const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp ("tsy-csv-profile-XXXXXX.ini", &path, &error);

  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static TsyCsvProfile *
load_profile_text (const char *contents,
                   GError    **error)
{
  g_autofree char *path = write_temp (contents);
  TsyCsvProfile *profile = tsy_csv_profile_load (path, error);

  g_unlink (path);
  return profile;
}

static char *
to_gb18030 (const char *utf8,
            gsize      *len)
{
  g_autoptr(GError) error = NULL;
  char *out = g_convert (utf8, -1, "GB18030", "UTF-8", NULL, len, &error);

  g_assert_no_error (error);
  return out;
}

/* ---- the sample exports ----------------------------------------------------------------- */

static void
test_icbc (void)
{
  g_autoptr(TsyTestSink) sink = parse_sample ("icbc-2026-10.gb18030.csv", NULL);
  TsyTestStatement *st;
  TsyStatementEntry *e;

  g_assert_cmpuint (sink->statements->len, ==, 1);
  st = tsy_test_sink_statement (sink, 0);
  assert_statement (st, "1001234567890123456", "CNY", 12, 9943155, 128645032, 138588187);
  g_assert_cmpstr (st->header.statement_id, ==, "1001234567890123456:2026-10-01–2026-10-31");
  assert_date (st->header.from_date, "2026-10-01");
  assert_date (st->header.to_date, "2026-10-31");
  g_assert_cmpuint (st->header.source_line, ==, 1);

  e = entry_at (st, 0);
  assert_date (e->booking_date, "2026-10-08");
  g_assert_cmpuint (e->value_date, ==, TSY_DATE_NONE);
  g_assert_cmpint (e->amount_minor, ==, 32600000);
  g_assert_cmpstr (e->bank_ref, ==, "HQ26100800012345");
  g_assert_cmpstr (e->customer_ref, ==, "0001234");
  g_assert_cmpstr (e->counterparty_name, ==, "江苏常州恒信铸造有限公司");
  g_assert_cmpstr (e->counterparty_account, ==, "6222021001008765432");
  g_assert_cmpstr (e->counterparty_bank, ==, "工商银行常州分行营业部");
  g_assert_cmpstr (e->text, ==, "转账 / 货款");
  g_assert_cmpuint (e->source_line, ==, 7);
  g_assert_true (g_str_has_prefix (e->raw, "20261008,09:12:44,=\"HQ26100800012345\""));
  g_assert_true (g_utf8_validate (e->raw, -1, NULL));

  e = entry_at (st, 2);
  g_assert_cmpint (e->amount_minor, ==, -43682050);
  g_assert_null (e->customer_ref);
  g_assert_null (e->counterparty_name);
  e = entry_at (st, 11);
  g_assert_cmpint (e->amount_minor, ==, -12000000);
  g_assert_cmpuint (e->source_line, ==, 18);
}

static void
test_icbc_encodings (void)
{
  g_autoptr(TsyTestSink) gb = parse_sample ("icbc-2026-10.gb18030.csv", NULL);
  g_autoptr(TsyTestSink) utf8 = parse_sample ("icbc-2026-10.csv", NULL);

  g_assert_cmpuint (gb->n_entries, ==, 12);
  assert_same_sinks (gb, utf8);
}

static void
test_ccb (void)
{
  g_autoptr(TsyTestSink) sink = parse_sample ("ccb-2026-10.csv", NULL);
  TsyTestStatement *a, *b;
  TsyStatementEntry *e;

  /* one file, two accounts: one statement each, in file order */
  g_assert_cmpuint (sink->statements->len, ==, 2);
  a = tsy_test_sink_statement (sink, 0);
  b = tsy_test_sink_statement (sink, 1);
  assert_statement (a, "31050161373600001234", "CNY", 8, 27091232, 56231088, 83322320);
  assert_statement (b, "31050161373600005678", "CNY", 5, -199745589, 1000000000, 800254411);
  g_assert_cmpstr (a->header.statement_id, ==, "31050161373600001234:2026-10-08–2026-10-29");
  g_assert_cmpstr (b->header.statement_id, ==, "31050161373600005678:2026-10-09–2026-10-30");
  g_assert_cmpuint (b->header.source_line, ==, 10);

  e = entry_at (a, 0);
  /* 记账日期 is the booking date, over 交易时间 */
  assert_date (e->booking_date, "2026-10-08");
  g_assert_cmpint (e->amount_minor, ==, -1200000);
  /* the tab CCB puts before numbers is gone */
  g_assert_cmpstr (e->bank_ref, ==, "310501613736000012340001");
  g_assert_cmpstr (e->customer_ref, ==, "ERP20261008001");
  g_assert_cmpstr (e->counterparty_account, ==, "31001505100050001111");
  g_assert_cmpstr (e->counterparty_bank, ==, "建设银行上海分行");
  g_assert_cmpstr (e->text, ==, "运费 / 9月运费");
  /* 0.00 in both columns: a zero line */
  e = entry_at (a, 5);
  g_assert_cmpint (e->amount_minor, ==, 0);
  g_assert_cmpstr (e->text, ==, "账户管理费减免");
}

static void
test_ccb_bom (void)
{
  g_autoptr(TsyTestSink) bom = parse_sample ("ccb-2026-10.csv", NULL);
  g_autoptr(TsyTestSink) plain = parse_sample ("ccb-2026-10-nobom.csv", NULL);

  g_assert_cmpuint (bom->n_entries, ==, 13);
  assert_same_sinks (bom, plain);
}

static void
test_boc (void)
{
  g_autoptr(TsyTestSink) sink = parse_sample ("boc-2026-10.gb18030.csv", NULL);
  TsyTestStatement *st;
  TsyStatementEntry *e;

  g_assert_cmpuint (sink->statements->len, ==, 1);
  st = tsy_test_sink_statement (sink, 0);
  /* newest first: the opening comes from the last row, the closing from the first */
  assert_statement (st, "404700123456", "CNY", 10, -19854883, 2400000000, 2380145117);
  g_assert_cmpstr (st->header.statement_id, ==, "404700123456:2026-10-01–2026-10-31");
  e = entry_at (st, 0);
  assert_date (e->booking_date, "2026-10-31");
  g_assert_cmpint (e->amount_minor, ==, -880000);
  g_assert_cmpstr (e->bank_tx_code, ==, "转账支出");
  g_assert_cmpstr (e->bank_ref, ==, "BOC2026103100410");
  g_assert_cmpuint (e->source_line, ==, 8);
  e = entry_at (st, 9);
  assert_date (e->booking_date, "2026-10-02");
  g_assert_cmpint (e->amount_minor, ==, 18888800);
  g_assert_cmpstr (e->text, ==, "货款");
  /* a blank inside a tab-delimited cell stays */
  g_assert_cmpstr (entry_at (st, 2)->text, ==, "货款 尾款");
}

static void
test_boc_encodings (void)
{
  g_autoptr(TsyTestSink) gb = parse_sample ("boc-2026-10.gb18030.csv", NULL);
  g_autoptr(TsyTestSink) utf8 = parse_sample ("boc-2026-10.csv", NULL);

  g_assert_cmpuint (gb->n_entries, ==, 10);
  assert_same_sinks (gb, utf8);
}

static void
test_abc (void)
{
  g_autoptr(TsyTestSink) sink = parse_sample ("abc-2026-10.csv", NULL);
  TsyTestStatement *st;
  TsyStatementEntry *e;

  g_assert_cmpuint (sink->statements->len, ==, 1);
  st = tsy_test_sink_statement (sink, 0);
  /* the dated 期初余额 row is the opening, not a line */
  assert_statement (st, "6228480123456789012", "CNY", 6, 4992326, 8765432, 13757758);
  g_assert_cmpstr (st->header.statement_id, ==, "6228480123456789012:2026-10-03–2026-10-31");

  e = entry_at (st, 0);
  assert_date (e->booking_date, "2026-10-03");
  g_assert_cmpint (e->amount_minor, ==, 1500000);
  g_assert_cmpstr (e->text, ==, "报销款退回 / 转账");
  /* a quoted field holding a newline */
  e = entry_at (st, 1);
  g_assert_cmpint (e->amount_minor, ==, -230000);
  g_assert_cmpstr (e->text, ==, "电费\n9月 / 代扣");
  g_assert_cmpuint (e->source_line, ==, 9);
  g_assert_nonnull (strstr (e->raw, "\"电费\n9月\""));
  e = entry_at (st, 2);
  g_assert_cmpuint (e->source_line, ==, 11);
  g_assert_cmpstr (e->text, ==, "水费, 9月 / 代扣");
  /* "" inside quotes */
  g_assert_cmpstr (entry_at (st, 4)->counterparty_name, ==, "上海\"优品\"办公用品有限公司");
  g_assert_cmpint (entry_at (st, 4)->amount_minor, ==, -1234567);
  /* the last line has no newline */
  g_assert_cmpint (entry_at (st, 5)->amount_minor, ==, 1893);
}

static void
test_cmb (void)
{
  g_autoptr(TsyTestSink) sink = parse_sample ("cmb-2026-10.csv", NULL);
  TsyTestStatement *st;
  TsyStatementEntry *e;

  g_assert_cmpuint (sink->statements->len, ==, 1);
  st = tsy_test_sink_statement (sink, 0);
  /* 期初余额 and 期末余额 in the summary agree with the running balance */
  assert_statement (st, "755912345610888", "CNY", 5, 7755256, 30000000, 37755256);
  e = entry_at (st, 1);
  assert_date (e->booking_date, "2026-10-11");
  assert_date (e->value_date, "2026-10-10");
  g_assert_cmpint (e->amount_minor, ==, -3456789);
  g_assert_cmpstr (e->bank_ref, ==, "C4011DF0000456");
  g_assert_cmpstr (e->customer_ref, ==, "202610110002");
  g_assert_cmpstr (e->bank_tx_code, ==, "代发");
  g_assert_cmpstr (e->text, ==, "代发工资 / 10月工资");
  e = entry_at (st, 2);
  g_assert_cmpstr (e->counterparty_name, ==, "广州市番禺五金制品厂");
  g_assert_cmpstr (e->counterparty_account, ==, "44050123456789012");
  g_assert_cmpstr (e->counterparty_bank, ==, "建设银行广州番禺支行");
}

/* ---- profiles --------------------------------------------------------------------------- */

static void
check_custom (TsyTestSink *sink)
{
  TsyTestStatement *st;
  TsyStatementEntry *e;

  g_assert_cmpuint (sink->statements->len, ==, 1);
  st = tsy_test_sink_statement (sink, 0);
  assert_statement (st, "NRA1234567890123", "USD", 4, 123606798, 1000000, 124606798);
  e = entry_at (st, 0);
  assert_date (e->booking_date, "2026-10-05");
  g_assert_cmpint (e->amount_minor, ==, 250000);
  g_assert_cmpstr (e->bank_ref, ==, "TX-0001");
  g_assert_cmpstr (e->counterparty_name, ==, "Shenzhen Partner Ltd");
  g_assert_cmpstr (e->text, ==, "Einnahme");
  e = entry_at (st, 3);
  assert_date (e->booking_date, "2026-10-31");
  g_assert_cmpint (e->amount_minor, ==, 123456789);
  g_assert_cmpstr (e->text, ==, "Großauftrag");
  g_assert_cmpint (entry_at (st, 2)->amount_minor, ==, -1);
}

static void
test_profile_sample (void)
{
  g_autofree char *path = data_path ("sample-profile.ini");
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyCsvProfile) profile = tsy_csv_profile_load (path, &error);
  g_autoptr(TsyTestSink) sink = NULL;

  g_assert_no_error (error);
  sink = parse_sample ("custom-layout.gb18030.csv", profile);
  check_custom (sink);
}

static void
test_profile_utf8 (void)
{
  g_autofree char *path = data_path ("sample-profile.ini");
  g_autofree char *text = NULL;
  g_autofree char *utf8_text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyCsvProfile) profile = NULL;
  g_autoptr(TsyCsvProfile) gb_profile = NULL;
  g_autoptr(TsyTestSink) a = NULL;
  g_autoptr(TsyTestSink) b = NULL;
  GString *s;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  s = g_string_new (text);
  g_assert_cmpuint (g_string_replace (s, "encoding=GB18030", "encoding=UTF-8", 1), ==, 1);
  utf8_text = g_string_free (s, FALSE);
  profile = load_profile_text (utf8_text, &error);
  g_assert_no_error (error);
  gb_profile = tsy_csv_profile_load (path, &error);
  g_assert_no_error (error);

  a = parse_sample ("custom-layout.csv", profile);
  b = parse_sample ("custom-layout.gb18030.csv", gb_profile);
  check_custom (a);
  assert_same_sinks (a, b);
}

static void
test_profile_no_header (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyCsvProfile) profile =
    load_profile_text ("[profile]\n"
                       "header=false\n"
                       "skip_lines=1\n"
                       "delimiter=|\n"
                       "date_format=YYYY.MM.DD\n"
                       "[columns]\n"
                       "booking_date=2\n"
                       "amount=3\n"
                       "direction=4\n"
                       "direction_debit=OUT, 付出\n"
                       "direction_credit=IN\n"
                       "text=5,6\n"
                       "bank_ref=1\n", &error);
  g_autoptr(TsyTestSink) sink = NULL;
  TsyTestStatement *st;

  g_assert_no_error (error);
  sink = parse_text ("any title line, even with 交易日期,金额\n"
                     "R1|2026.10.08|10.00|OUT|rent|Oct\n"
                     "R2|2026.10.09|2.50|IN|refund|\n"
                     "R3|2026.10.10|1.00|付出||\n"
                     "R4|2026.10.11|4.00|借|x|y\n", -1, profile, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sink->statements->len, ==, 1);
  st = tsy_test_sink_statement (sink, 0);
  g_assert_null (st->header.account);
  g_assert_null (st->header.currency);
  g_assert_false (st->header.has_opening);
  g_assert_cmpuint (st->entries->len, ==, 4);
  g_assert_cmpint (entry_at (st, 0)->amount_minor, ==, -1000);
  g_assert_cmpstr (entry_at (st, 0)->text, ==, "rent / Oct");
  g_assert_cmpstr (entry_at (st, 0)->bank_ref, ==, "R1");
  g_assert_cmpint (entry_at (st, 1)->amount_minor, ==, 250);
  g_assert_cmpint (entry_at (st, 2)->amount_minor, ==, -100);
  /* the usual marks still count when the profile's do not match */
  g_assert_cmpint (entry_at (st, 3)->amount_minor, ==, -400);
  assert_date (entry_at (st, 3)->booking_date, "2026-10-11");
  g_assert_cmpuint (entry_at (st, 0)->source_line, ==, 2);
}

static void
test_profile_skip_lines (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyCsvProfile) profile =
    load_profile_text ("[profile]\nskip_lines=2\nencoding=UTF-8\ncurrency=港币\n"
                       "[columns]\nbooking_date=1\ndebit=2\ncredit=3\nbalance=4\n", &error);
  g_autoptr(TsyTestSink) sink = NULL;
  TsyTestStatement *st;

  g_assert_no_error (error);
  /* the header row is where skip_lines says, whatever its names */
  sink = parse_text ("导出\n账号：888 999\nD,Out,In,Bal\n"
                     "20261008,1.00,,9.00\n20261009,,3.00,12.00\n", -1, profile, &error);
  g_assert_no_error (error);
  st = tsy_test_sink_statement (sink, 0);
  assert_statement (st, "888999", "HKD", 2, 200, 1000, 1200);

  /* the header row named by the profile must be there */
  g_clear_pointer (&profile, tsy_csv_profile_free);
  profile = load_profile_text ("[profile]\nskip_lines=1\n[columns]\nbooking_date=Datum\n"
                               "amount=Betrag\n", &error);
  g_assert_no_error (error);
  assert_error_with ("x\n交易日期,交易金额\n2026-10-08,1.00\n", -1, profile, 2,
                     "no header row found after skipping 1 lines");
}

static void
test_profile_names (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyCsvProfile) profile =
    load_profile_text ("[columns]\nbooking_date=Buchung\namount = Betrag\ntext=Text,Zweck\n"
                       "balance=Saldo\n", &error);
  g_autoptr(TsyTestSink) sink = NULL;
  TsyTestStatement *st;

  g_assert_no_error (error);
  /* the header row is found by the profile's names, after a preamble */
  sink = parse_text ("账号：1234\n币种：欧元\nBuchung;Betrag;Saldo;Text;Zweck\n"
                     "2026-10-08;-1.50;8.50;Miete;Oktober\n", -1, profile, &error);
  g_assert_no_error (error);
  st = tsy_test_sink_statement (sink, 0);
  assert_statement (st, "1234", "EUR", 1, -150, 1000, 850);
  g_assert_cmpstr (entry_at (st, 0)->text, ==, "Miete / Oktober");
}

static void
test_profile_broken (void)
{
  static const struct
  {
    const char *contents;
    const char *expected;   /* after "<path>: " */
  } cases[] = {
    { "[profile]\nencoding=latin1\n", "[profile] encoding: " },
    { "[profile]\ndelimiter=#\n", "[profile] delimiter: " },
    { "[profile]\nskip_lines=-1\n", "[profile] skip_lines: " },
    { "[profile]\nskip_lines=many\n", "[profile] skip_lines: " },
    { "[profile]\nheader=perhaps\n", "[profile] header: " },
    { "[profile]\ndate_format=%Y-%m\n", "[profile] date_format: " },
    { "[profile]\ndate_format=%Y-%m-%d %Q\n", "[profile] date_format: " },
    { "[profile]\ndecimal=dot-ish\n", "[profile] decimal: " },
    { "[profile]\ncurrency=火星币\n", "[profile] currency: " },
    { "[profile]\naccount=  \n", "[profile] account: " },
    { "[profile]\ncolour=blue\n", "[profile] colour: unknown key" },
    { "[columns]\nbooking_date=1\namount=2\nfoo=3\n", "[columns] foo: unknown key" },
    { "[columns]\nbooking_date=\namount=2\n", "[columns] booking_date: " },
    { "[columns]\nbooking_date=0\namount=2\n", "[columns] booking_date: " },
    { "[columns]\nbooking_date=1\namount=99999\n", "[columns] amount: " },
    { "[columns]\namount=2\n", "[columns] booking_date: " },
    { "[columns]\nbooking_date=1\ntext=3\n", "[columns] amount: " },
    { "[columns]\nbooking_date=1\namount=2\ndirection_debit=\n", "[columns] direction_debit: " },
    { "[profile]\nheader=false\n[columns]\nbooking_date=日期\namount=2\n", "[profile] header: " },
    { "[other]\nx=1\n", "unknown group [other]" },
    { "this is not a key file\n", "" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = write_temp (cases[i].contents);
      g_autofree char *prefix = g_strdup_printf ("%s: %s", path, cases[i].expected);
      g_autoptr(GError) error = NULL;
      g_autoptr(TsyCsvProfile) profile = tsy_csv_profile_load (path, &error);

      g_unlink (path);
      g_assert_null (profile);
      g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PARSE);
      if (!g_str_has_prefix (error->message, prefix))
        g_error ("case %" G_GSIZE_FORMAT ": expected “%s…”, got “%s”", i, prefix, error->message);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TsyCsvProfile) profile = tsy_csv_profile_load ("/nonexistent/profile.ini", &error);

    g_assert_null (profile);
    g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PARSE);
    g_assert_true (g_str_has_prefix (error->message, "/nonexistent/profile.ini: "));
  }
}

/* ---- vocabulary, dates, amounts ---------------------------------------------------------- */

typedef enum
{
  V_BOOKING, V_VALUE, V_TIME, V_REF, V_CREF, V_DEBIT, V_CREDIT, V_AMOUNT, V_DIRECTION, V_BALANCE,
  V_CP_NAME, V_CP_ACCOUNT, V_CP_BANK, V_TEXT, V_CODE, V_CURRENCY, V_ACCOUNT,
} VRole;

static const struct
{
  const char *name;
  VRole       role;
} vocabulary[] = {
  { "交易日期", V_BOOKING }, { "记账日期", V_BOOKING }, { "入账日期", V_BOOKING },
  { "日期", V_BOOKING }, { "交易日", V_BOOKING }, { "记账日", V_BOOKING },
  { "账务日期", V_BOOKING },
  { "发生日期", V_BOOKING }, { "Transaction Date", V_BOOKING }, { "Booking Date", V_BOOKING },
  { "Date", V_BOOKING }, { " 交易日期 ", V_BOOKING }, { "*交易日期", V_BOOKING },
  { "起息日", V_VALUE }, { "起息日期", V_VALUE }, { "Value Date", V_VALUE },
  { "交易时间", V_TIME }, { "记账时间", V_TIME }, { "时间", V_TIME },
  { "交易流水号", V_REF }, { "流水号", V_REF }, { "交易序号", V_REF }, { "凭证号", V_REF },
  { "银行流水号", V_REF }, { "账户明细编号-交易流水号", V_REF }, { "交易参考号", V_REF },
  { "企业流水号", V_CREF }, { "业务参考号", V_CREF }, { "客户参考号", V_CREF },
  { "借方发生额", V_DEBIT }, { "支出金额", V_DEBIT }, { "借方金额", V_DEBIT }, { "支出", V_DEBIT },
  { "付款金额", V_DEBIT }, { "借方", V_DEBIT }, { "借方发生额(元)", V_DEBIT },
  { "借方发生额（支取）", V_DEBIT }, { "Debit", V_DEBIT }, { "Withdrawal", V_DEBIT },
  { "贷方发生额", V_CREDIT }, { "收入金额", V_CREDIT }, { "贷方金额", V_CREDIT },
  { "收入", V_CREDIT }, { "收款金额", V_CREDIT }, { "贷方", V_CREDIT }, { "存入金额", V_CREDIT },
  { "贷方发生额（收入）", V_CREDIT }, { "Credit", V_CREDIT }, { "Deposit", V_CREDIT },
  { "交易金额", V_AMOUNT }, { "发生额", V_AMOUNT }, { "金额", V_AMOUNT },
  { "交易金额(元)", V_AMOUNT },
  { "Amount", V_AMOUNT },
  { "借贷标志", V_DIRECTION }, { "借贷方向", V_DIRECTION }, { "收支标志", V_DIRECTION },
  { "借/贷", V_DIRECTION }, { "借贷", V_DIRECTION }, { "方向", V_DIRECTION },
  { "Dr/Cr", V_DIRECTION },
  { "余额", V_BALANCE }, { "账户余额", V_BALANCE }, { "当前余额", V_BALANCE },
  { "本次余额", V_BALANCE }, { "交易后余额", V_BALANCE }, { "余额(元)", V_BALANCE },
  { "Balance", V_BALANCE },
  { "对方户名", V_CP_NAME }, { "对方账户名", V_CP_NAME }, { "收(付)款人名称", V_CP_NAME },
  { "收（付）款人名称", V_CP_NAME }, { "对方单位", V_CP_NAME }, { "对方账户名称", V_CP_NAME },
  { "收/付方名称", V_CP_NAME }, { "对方名称", V_CP_NAME },
  { "对方账号", V_CP_ACCOUNT }, { "对方账户", V_CP_ACCOUNT }, { "收(付)款人账号", V_CP_ACCOUNT },
  { "对方帐号", V_CP_ACCOUNT }, { "收/付方帐号", V_CP_ACCOUNT },
  { "对方开户行", V_CP_BANK }, { "对方行名", V_CP_BANK }, { "对方开户机构", V_CP_BANK },
  { "收/付方开户行", V_CP_BANK },
  { "摘要", V_TEXT }, { "用途", V_TEXT }, { "附言", V_TEXT }, { "备注", V_TEXT },
  { "交易附言", V_TEXT }, { "交易用途", V_TEXT }, { "交易摘要", V_TEXT }, { "Description", V_TEXT },
  { "交易类型", V_CODE }, { "业务类型", V_CODE },
  { "币种", V_CURRENCY }, { "币别", V_CURRENCY }, { "Currency", V_CURRENCY },
  { "账号", V_ACCOUNT }, { "本方账号", V_ACCOUNT }, { "帐号", V_ACCOUNT },
  { "本方账户", V_ACCOUNT },
};

static void
test_vocabulary (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (vocabulary); i++)
    {
      const char *n = vocabulary[i].name;
      g_autofree char *text = NULL;
      g_autoptr(TsyTestSink) sink = NULL;
      TsyTestStatement *st;
      TsyStatementEntry *e;

      switch (vocabulary[i].role)
        {
        case V_BOOKING: text = g_strdup_printf ("%s,交易金额\n2026-10-08,1.00\n", n); break;
        case V_VALUE:
          text = g_strdup_printf ("交易日期,%s,交易金额\n"
                                  "2026-10-08,2026-10-07,1.00\n", n); break;
        case V_TIME: text = g_strdup_printf ("%s,交易金额\n2026-10-08 14:03:11,1.00\n", n); break;
        case V_DEBIT: text = g_strdup_printf ("交易日期,%s\n2026-10-08,1.00\n", n); break;
        case V_CREDIT: text = g_strdup_printf ("交易日期,%s\n2026-10-08,-1.00\n", n); break;
        case V_AMOUNT: text = g_strdup_printf ("交易日期,%s\n2026-10-08,1.00\n", n); break;
        case V_DIRECTION:
          text = g_strdup_printf ("交易日期,交易金额,%s\n"
                                  "2026-10-08,1.00,借\n", n); break;
        case V_BALANCE:
          text = g_strdup_printf ("交易日期,交易金额,%s\n"
                                  "2026-10-08,1.00,11.00\n2026-10-09,-2.00,9.00\n", n);
          break;
        case V_CURRENCY:
          text = g_strdup_printf ("交易日期,交易金额,%s\n"
                                  "2026-10-08,1.00,美元\n", n); break;
        case V_ACCOUNT:
          text = g_strdup_printf ("交易日期,交易金额,%s\n"
                                  "2026-10-08,1.00,6222 0001\n", n); break;
        case V_REF: case V_CREF: case V_CP_NAME: case V_CP_ACCOUNT: case V_CP_BANK: case V_TEXT:
        case V_CODE: default:
          text = g_strdup_printf ("交易日期,交易金额,%s\n2026-10-08,1.00,X-1\n", n);
          break;
        }
      g_test_message ("column name “%s”", n);
      st = parse_one (text, &sink);
      e = entry_at (st, 0);
      assert_date (e->booking_date, "2026-10-08");
      switch (vocabulary[i].role)
        {
        case V_BOOKING: case V_TIME: g_assert_cmpint (e->amount_minor, ==, 100); break;
        case V_VALUE: assert_date (e->value_date, "2026-10-07"); break;
        case V_REF: g_assert_cmpstr (e->bank_ref, ==, "X-1"); break;
        case V_CREF: g_assert_cmpstr (e->customer_ref, ==, "X-1"); break;
        case V_DEBIT: g_assert_cmpint (e->amount_minor, ==, -100); break;
        case V_CREDIT: g_assert_cmpint (e->amount_minor, ==, 100); break;
        case V_AMOUNT: g_assert_cmpint (e->amount_minor, ==, 100); break;
        case V_DIRECTION: g_assert_cmpint (e->amount_minor, ==, -100); break;
        case V_BALANCE:
          g_assert_cmpint (st->header.opening_minor, ==, 1000);
          g_assert_cmpint (st->header.closing_minor, ==, 900);
          break;
        case V_CP_NAME: g_assert_cmpstr (e->counterparty_name, ==, "X-1"); break;
        case V_CP_ACCOUNT: g_assert_cmpstr (e->counterparty_account, ==, "X-1"); break;
        case V_CP_BANK: g_assert_cmpstr (e->counterparty_bank, ==, "X-1"); break;
        case V_TEXT: g_assert_cmpstr (e->text, ==, "X-1"); break;
        case V_CODE: g_assert_cmpstr (e->bank_tx_code, ==, "X-1"); break;
        case V_CURRENCY: g_assert_cmpstr (st->header.currency, ==, "USD"); break;
        case V_ACCOUNT: g_assert_cmpstr (st->header.account, ==, "62220001"); break;
        default: g_assert_not_reached ();
        }
    }
}

static void
test_dates (void)
{
  static const char * const dates[] = {
    "2026-10-08", "2026/10/08", "20261008", "2026年10月08日", "2026.10.08", "2026-10-08 14:03:11",
    "2026/10/8", "2026年10月8日", "20261008 140311", "2026-10-08T14:03:11", "202610081403",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (dates); i++)
    {
      g_autofree char *text = g_strdup_printf ("交易日期,交易金额\n%s,1.00\n", dates[i]);
      g_autoptr(TsyTestSink) sink = NULL;
      TsyTestStatement *st = parse_one (text, &sink);

      g_test_message ("date “%s”", dates[i]);
      assert_date (entry_at (st, 0)->booking_date, "2026-10-08");
    }
}

static void
test_amounts (void)
{
  static const struct
  {
    const char *amount;
    gint64      minor;
  } amounts[] = {
    { "1,234.56", 123456 }, { "-1234.56", -123456 }, { "1234.56元", 123456 },
    { "(1,234.56)", -123456 }, { "+5", 500 }, { "¥1,000.00", 100000 }, { "￥0.01", 1 },
    { " 7.10 ", 710 }, { "0.00", 0 }, { "-0.5", -50 }, { "1,234,567.00", 123456700 },
  };
  static const struct
  {
    const char *debit, *credit;
    gint64      minor;
  } columns[] = {
    { "5.00", "", -500 }, { "", "5.00", 500 }, { "5.00", "0.00", -500 }, { "0.00", "5.00", 500 },
    { "5.00", "-", -500 }, { "--", "5.00", 500 }, { "-5.00", "", -500 }, { "0.00", "0.00", 0 },
    { "\"1,000.00\"", "", -100000 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (amounts); i++)
    {
      g_autofree char *text = g_strdup_printf ("交易日期,交易金额\n2026-10-08,\"%s\"\n",
                                               amounts[i].amount);
      g_autoptr(TsyTestSink) sink = NULL;
      TsyTestStatement *st = parse_one (text, &sink);

      g_test_message ("amount “%s”", amounts[i].amount);
      g_assert_cmpint (entry_at (st, 0)->amount_minor, ==, amounts[i].minor);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      g_autofree char *text = g_strdup_printf ("交易日期,借方发生额,贷方发生额\n2026-10-08,%s,%s\n",
                                               columns[i].debit, columns[i].credit);
      g_autoptr(TsyTestSink) sink = NULL;
      TsyTestStatement *st = parse_one (text, &sink);

      g_test_message ("debit “%s” credit “%s”", columns[i].debit, columns[i].credit);
      g_assert_cmpint (entry_at (st, 0)->amount_minor, ==, columns[i].minor);
    }
}

static void
test_directions (void)
{
  static const struct
  {
    const char *mark;
    const char *amount;
    gint64      minor;
  } marks[] = {
    { "借", "5.00", -500 }, { "出", "5.00", -500 }, { "支", "5.00", -500 }, { "D", "5.00", -500 },
    { "付", "5.00", -500 }, { "借方", "5.00", -500 }, { "支出", "5.00", -500 },
    { "DR", "5.00", -500 },
    { "贷", "5.00", 500 }, { "入", "5.00", 500 }, { "收", "5.00", 500 }, { "C", "5.00", 500 },
    { "存", "5.00", 500 }, { "贷方", "5.00", 500 }, { "收入", "5.00", 500 }, { "cr", "5.00", 500 },
    /* an empty mark leaves a signed amount as it is */
    { "", "-5.00", -500 }, { "", "5.00", 500 },
    { "借", "-5.00", -500 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (marks); i++)
    {
      g_autofree char *text = g_strdup_printf ("交易日期,交易金额,借贷标志\n2026-10-08,%s,%s\n",
                                               marks[i].amount, marks[i].mark);
      g_autoptr(TsyTestSink) sink = NULL;
      TsyTestStatement *st = parse_one (text, &sink);

      g_test_message ("mark “%s”", marks[i].mark);
      g_assert_cmpint (entry_at (st, 0)->amount_minor, ==, marks[i].minor);
    }
}

static void
test_delimiters (void)
{
  static const char * const texts[] = {
    "账号：1\n交易日期,交易金额,余额,摘要\n2026-10-08,1.00,11.00,a b\n2026-10-09,-2.00,9.00,c\n",
    "账号：1\n交易日期\t交易金额\t余额\t摘要\n"
    "2026-10-08\t1.00\t11.00\ta b\n2026-10-09\t-2.00\t9.00\tc\n",
    "账号：1\n交易日期;交易金额;余额;摘要\n2026-10-08;1.00;11.00;a b\n2026-10-09;-2.00;9.00;c\n",
    "账号：1\n交易日期|交易金额|余额|摘要\n2026-10-08|1.00|11.00|a b\n2026-10-09|-2.00|9.00|c\n",
    "账号：1\r\n\"交易日期\",\"交易金额\",\"余额\",\"摘要\"\r\n"
    "\"2026-10-08\",\"1.00\",\"11.00\",\"a b\"\r\n"
    "\"2026-10-09\",\"-2.00\",\"9.00\",\"c\"\r\n",
  };
  g_autoptr(TsyTestSink) first = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      TsyTestSink *sink = NULL;
      TsyTestStatement *st = parse_one (texts[i], &sink);

      assert_statement (st, "1", NULL, 2, -100, 1000, 900);
      g_assert_cmpstr (entry_at (st, 0)->text, ==, "a b");
      if (first == NULL)
        first = sink;
      else
        {
          g_assert_cmpuint (sink->n_entries, ==, first->n_entries);
          for (guint k = 0; k < 2; k++)
            g_assert_cmpint (entry_at (st, k)->amount_minor, ==,
                             entry_at (tsy_test_sink_statement (first, 0), k)->amount_minor);
          tsy_test_sink_free (sink);
        }
    }
}

static void
test_quotes (void)
{
  g_autoptr(TsyTestSink) sink = NULL;
  TsyTestStatement *st =
    parse_one ("交易日期,交易金额,交易流水号,对方账号,摘要\n"
               "2026-10-08,1.00,=\"000123\",'6222000011112222,\"say \"\"hi\"\", ok\"\n"
               "2026-10-09,1.00,\"=\"\"000124\"\"\",\t6222000011113333\t,\"two\n"
               "lines\"\n"
               "2026-10-10,1.00,\" 000125 \",\"\t6222000011114444\",plain \"quote\n", &sink);

  g_assert_cmpuint (st->entries->len, ==, 3);
  g_assert_cmpstr (entry_at (st, 0)->bank_ref, ==, "000123");
  g_assert_cmpstr (entry_at (st, 0)->counterparty_account, ==, "6222000011112222");
  g_assert_cmpstr (entry_at (st, 0)->text, ==, "say \"hi\", ok");
  g_assert_cmpstr (entry_at (st, 1)->bank_ref, ==, "000124");
  g_assert_cmpstr (entry_at (st, 1)->counterparty_account, ==, "6222000011113333");
  g_assert_cmpstr (entry_at (st, 1)->text, ==, "two\nlines");
  g_assert_cmpstr (entry_at (st, 1)->raw, ==,
                   "2026-10-09,1.00,\"=\"\"000124\"\"\",\t6222000011113333\t,\"two\nlines\"");
  g_assert_cmpuint (entry_at (st, 2)->source_line, ==, 5);
  g_assert_cmpstr (entry_at (st, 2)->bank_ref, ==, "000125");
  g_assert_cmpstr (entry_at (st, 2)->counterparty_account, ==, "6222000011114444");
  /* a quote inside an unquoted field is a character */
  g_assert_cmpstr (entry_at (st, 2)->text, ==, "plain \"quote");
}

/* ---- preamble, summary, sections -------------------------------------------------------- */

static void
test_preamble_currencies (void)
{
  static const struct
  {
    const char *text;
    const char *code;
  } names[] = {
    { "人民币", "CNY" }, { "CNY", "CNY" }, { "RMB", "CNY" }, { "人民币元", "CNY" },
    { "美元", "USD" }, { "USD", "USD" }, { "港币", "HKD" }, { "港元", "HKD" }, { "HKD", "HKD" },
    { "欧元", "EUR" }, { "eur", "EUR" }, { "日元", "JPY" }, { "英镑", "GBP" },
    { "美元现汇", "USD" }, { "港币钞", "HKD" }, { "美元(汇)", "USD" }, { "欧元（现钞）", "EUR" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *text = g_strdup_printf ("币种：%s\n交易日期,交易金额\n2026-10-08,1\n",
                                               names[i].text);
      g_autoptr(TsyTestSink) sink = NULL;
      TsyTestStatement *st = parse_one (text, &sink);

      g_test_message ("currency “%s”", names[i].text);
      g_assert_cmpstr (st->header.currency, ==, names[i].code);
      /* the exponent of the currency applies: 1 JPY is 1, 1 CNY is 100 */
      g_assert_cmpint (entry_at (st, 0)->amount_minor, ==,
                       strcmp (names[i].code, "JPY") == 0 ? 1 : 100);
    }
}

static void
test_preamble_period (void)
{
  static const char * const periods[] = {
    "起止日期：2026-10-01 至 2026-10-31",
    "查询日期:,2026/10/01-2026/10/31",
    "交易期间：20261001-20261031",
    "日期范围：2026年10月1日至2026年10月31日",
    "起始日期：2026-10-01,终止日期：2026-10-31",
    "\"起止日期\",\"2026.10.01 ~ 2026.10.31\"",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (periods); i++)
    {
      g_autofree char *text =
        g_strdup_printf ("账号： 6222 0202 0011 2233 445 ,户名：某某公司\n%s\n"
                         "交易日期,交易金额\n2026-10-08,1.00\n2026-10-09,2.00\n", periods[i]);
      g_autoptr(TsyTestSink) sink = NULL;
      TsyTestStatement *st = parse_one (text, &sink);

      g_test_message ("period “%s”", periods[i]);
      g_assert_cmpstr (st->header.account, ==, "6222020200112233445");
      assert_date (st->header.from_date, "2026-10-01");
      assert_date (st->header.to_date, "2026-10-31");
      g_assert_cmpstr (st->header.statement_id, ==, "6222020200112233445:2026-10-01–2026-10-31");
      g_assert_false (st->header.has_opening);
      g_assert_false (st->header.has_closing);
    }
}

static void
test_nothing_said (void)
{
  g_autoptr(TsyTestSink) sink = NULL;
  TsyTestStatement *st = parse_one ("交易日期,交易金额\n20261009,1.5\n20261008,-2\n", &sink);

  /* the ledger supplies account and currency; amounts are read with two decimals */
  g_assert_null (st->header.account);
  g_assert_null (st->header.currency);
  g_assert_cmpstr (st->header.statement_id, ==, "2026-10-08–2026-10-09");
  assert_date (st->header.from_date, "2026-10-08");
  assert_date (st->header.to_date, "2026-10-09");
  g_assert_cmpint (entry_at (st, 0)->amount_minor, ==, 150);
  g_assert_cmpint (entry_at (st, 1)->amount_minor, ==, -200);
  g_assert_false (st->header.has_opening);
  g_assert_null (entry_at (st, 0)->bank_ref);
  g_assert_null (entry_at (st, 0)->text);
}

static void
test_summary (void)
{
  g_autoptr(TsyTestSink) sink = NULL;
  TsyTestStatement *st =
    parse_one ("账号：555\n期初余额：100.00\n交易日期,摘要,借方金额,贷方金额\n"
               "2026-10-08,工资合计,10.00,\n"
               "2026-10-09,,,30.00\n"
               "本页小计,,10.00,30.00\n"
               "合计,,10.00,30.00\n"
               "总计：2笔\n"
               "笔数,2\n"
               "期末余额：,120.00\n"
               "以下空白\n"
               "打印时间：2026-11-01 09:00\n", &sink);

  /* a 摘要 holding 合计 is still a line; summary lines are not */
  assert_statement (st, "555", NULL, 2, 2000, 10000, 12000);
  g_assert_cmpstr (entry_at (st, 0)->text, ==, "工资合计");
}

static void
test_subtotal_rows (void)
{
  g_autoptr(TsyTestSink) sink = NULL;
  TsyTestStatement *st =
    parse_one ("交易日期,摘要,借方金额,贷方金额,余额\n"
               "2026-10-01,承前页,100.00,50.00,1000.00\n"
               "2026-10-01,x,10.00,,990.00\n"
               "2026-10-01,本日合计,10.00,0.00,990.00\n"
               "2026-10-02,y,,5.00,995.00\n"
               "2026-10-02,本日合计：,0.00,5.00,\n"
               "2026-10-02,过次页,110.00,55.00,995.00\n"
               "2026-10-03,合计红冲,,1.00,996.00\n", &sink);

  /* dated totals and page carries are not lines; a 摘要 that only begins so is */
  assert_statement (st, NULL, NULL, 3, -400, 100000, 99600);
  g_assert_cmpstr (entry_at (st, 2)->text, ==, "合计红冲");
}

static void
test_sections (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyTestSink) sink =
    parse_text ("账号：111\n币种：人民币\n交易日期,交易金额,余额\n"
                "2026-10-01,1.00,11.00\n2026-10-02,2.00,13.00\n合计,3.00,\n期末余额：13.00\n"
                "\n"
                "账号：222\n币种：美元\n期初余额：100.00\n交易日期,交易金额,余额\n"
                "2026-10-05,-1.00,99.00\n", -1, NULL, &error);
  TsyTestStatement *a, *b;

  g_assert_no_error (error);
  g_assert_cmpuint (sink->statements->len, ==, 2);
  a = tsy_test_sink_statement (sink, 0);
  b = tsy_test_sink_statement (sink, 1);
  assert_statement (a, "111", "CNY", 2, 300, 1000, 1300);
  assert_statement (b, "222", "USD", 1, -100, 10000, 9900);
  g_assert_cmpuint (b->header.source_line, ==, 9);
  g_assert_cmpuint (entry_at (b, 0)->source_line, ==, 13);
}

/* Found by fuzz-csv: a new account line with no header row after it (the key of the next row
 * pointed into the section that was just freed). */
static void
test_sections_no_header (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyTestSink) sink =
    parse_text ("账号：111\n币种：人民币\n交易日期,交易金额\n2026-10-01,1.00\n"
                "账号：222222222222\n币种：港币\n2026-10-02,2.00\n", -1, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (sink->statements->len, ==, 2);
  g_assert_cmpstr (tsy_test_sink_statement (sink, 0)->header.account, ==, "111");
  g_assert_cmpstr (tsy_test_sink_statement (sink, 1)->header.account, ==, "222222222222");
  g_assert_cmpstr (tsy_test_sink_statement (sink, 1)->header.currency, ==, "HKD");
  g_assert_cmpint (tsy_test_statement_sum (tsy_test_sink_statement (sink, 1)), ==, 200);
}

static void
test_page_headers (void)
{
  g_autoptr(TsyTestSink) sink = NULL;
  TsyTestStatement *st =
    parse_one ("账号：111\n交易日期,交易金额,余额\n2026-10-01,1.00,11.00\n本页合计,1.00,\n"
               "\n第2页\n账号：111\n交易日期,交易金额,余额\n2026-10-02,2.00,13.00\n", &sink);

  /* a page break repeats the header of the same account: one statement */
  assert_statement (st, "111", NULL, 2, 300, 1000, 1300);
}

static void
test_account_column (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyTestSink) sink =
    parse_text ("本方账号,币种,交易日期,交易金额,余额\n"
                "A1,人民币,2026-10-01,1.00,11.00\n"
                "A1,人民币,2026-10-02,1.00,12.00\n"
                "A1,美元,2026-10-01,1.00,5.00\n"
                "A2,人民币,2026-10-02,2.00,2.00\n"
                "A1,人民币,2026-10-03,1.00,13.00\n", -1, NULL, &error);

  g_assert_no_error (error);
  /* a change of account (or currency) starts a statement */
  g_assert_cmpuint (sink->statements->len, ==, 4);
  assert_statement (tsy_test_sink_statement (sink, 0), "A1", "CNY", 2, 200, 1000, 1200);
  assert_statement (tsy_test_sink_statement (sink, 1), "A1", "USD", 1, 100, 400, 500);
  assert_statement (tsy_test_sink_statement (sink, 2), "A2", "CNY", 1, 200, 0, 200);
  assert_statement (tsy_test_sink_statement (sink, 3), "A1", "CNY", 1, 100, 1200, 1300);
}

static void
test_empty_statement (void)
{
  g_autoptr(TsyTestSink) sink = NULL;
  TsyTestStatement *st =
    parse_one ("账号：333\n币种：人民币\n起止日期：2026-10-01 至 2026-10-31\n期初余额：50.00\n"
               "期末余额：50.00\n交易日期,交易金额\n", &sink);

  assert_statement (st, "333", "CNY", 0, 0, 5000, 5000);
  g_assert_cmpstr (st->header.statement_id, ==, "333:2026-10-01–2026-10-31");
}

static void
test_balance_rows (void)
{
  g_autoptr(TsyTestSink) sink = NULL;
  TsyTestStatement *st =
    parse_one ("交易日期,摘要,交易金额,余额\n"
               "2026-10-01,上日余额,,100.00\n"
               "2026-10-02,x,-10.00,90.00\n"
               "2026-10-02,y,5.00,\n"
               "2026-10-03,z,1.00,96.00\n"
               "2026-10-31,本日余额,,96.00\n", &sink);

  /* balance rows are not lines; a row without a balance is carried to the next */
  assert_statement (st, NULL, NULL, 3, -400, 10000, 9600);
}

/* ---- errors ----------------------------------------------------------------------------- */

static void
test_errors (void)
{
  g_autofree char *bad_gb = NULL;
  gsize bad_gb_len = 0;
  GString *s;

  assert_error ("hello\nworld\n", 2, "no header row found");
  assert_error ("", 1, "the file is empty");
  assert_error ("交易日期,交易金额,余额\n2026-10-08,1.00\n", 2,
                "wrong number of fields: 2, the header has 3");
  assert_error ("交易日期,交易金额\n2026-10-08,1.00\n2026-10-09,1.00,x\n", 3,
                "wrong number of fields");
  assert_error ("交易日期,交易金额\n2026-13-45,1.00\n", 2,
                "“2026-13-45” in column “交易日期” is not a date");
  assert_error ("交易日期,交易金额\n2026-10-08,1.00\n2026-10,2.00\n", 3,
                "in column “交易日期” is not a date");
  assert_error ("交易日期,交易金额\n,1.00\n", 2, "column “交易日期” is empty");
  assert_error ("交易日期,起息日,交易金额\n2026-10-08,10/08,1.00\n", 2,
                "in column “起息日” is not a date");
  assert_error ("交易日期,交易金额\n2026-10-08,12x.00\n", 2,
                "column “交易金额”: “12x.00” is not a valid amount");
  assert_error ("交易日期,交易金额(元)\n2026-10-08,1.234\n", 2,
                "column “交易金额(元)”: “1.234” has more decimals");
  assert_error ("交易日期,交易金额\n2026-10-08,(-1.00)\n", 2, "column “交易金额”");
  assert_error ("交易日期,借方金额,贷方金额\n2026-10-08,1.00,2.00\n", 2,
                "both “借方金额” and “贷方金额” are filled");
  assert_error ("交易日期,借方金额,贷方金额\n2026-10-08,,\n", 2,
                "no amount in the debit or credit column");
  assert_error ("交易日期,交易金额,余额\n2026-10-08,,11.00\n", 2, "column “交易金额” is empty");
  assert_error ("交易日期,交易金额,余额\n2026-10-08,1.00,11.00\n2026-10-09,1.00,12.01\n", 3,
                "running balance mismatch: “余额” is 12.01, but the previous balance 11.00 and the "
                "amount 1.00 give 12.00");
  assert_error ("交易日期,交易金额,余额\n2026-10-08,1.00,11.00\n2026-10-09,1.00,12.00\n"
                "2026-10-10,1.00,12.00\n", 4, "running balance mismatch");
  assert_error ("期初余额：5.00\n交易日期,交易金额,余额\n2026-10-08,1.00,11.00\n", 1,
                "the opening balance 5.00 does not match the running balance, which gives 10.00");
  assert_error ("交易日期,交易金额,余额\n2026-10-08,1.00,11.00\n合计,1.00,\n期末余额：12.00\n", 4,
                "the closing balance 12.00 does not match the running balance, which gives 11.00");
  assert_error ("期初余额：abc\n交易日期,交易金额\n2026-10-08,1.00\n", 1, "bad 期初余额");
  assert_error ("交易日期,交易金额,币种\n2026-10-08,1.00,火星币\n", 2,
                "unknown currency “火星币” in column “币种”");
  assert_error ("币种：火星币\n交易日期,交易金额\n2026-10-08,1.00\n", 1,
                "unknown currency “火星币”");
  assert_error ("交易日期,交易金额,借贷标志\n2026-10-08,1.00,X\n", 2,
                "“X” in column “借贷标志” is neither debit nor credit");
  assert_error ("交易日期,交易金额,摘要\n2026-10-08,1.00,\"abc\n2026-10-09,1.00,x\n", 2,
                "a quoted field is not closed");
  assert_error_with ("\xFF\xFE\x30\x00", 4, NULL, 1, "UTF-16");
  assert_error_with ("交易日期,交易金额\n2026-10-08,1.00\0\n",
                     (gssize) strlen ("交易日期,交易金额\n2026-10-08,1.00") + 2, NULL, 2,
                     "NUL byte");
  assert_error ("交易日期,交易金额,摘要\n2026-10-08,1.00,\xC3\x28\n", 2,
                "invalid UTF-8 bytes at byte 17");

  /* GB18030 detected from the header, then a broken byte pair */
  s = g_string_new (NULL);
  bad_gb = to_gb18030 ("交易日期,交易金额,摘要\n2026-10-08,1.00,好\n2026-10-09,1.00,", &bad_gb_len);
  g_string_append_len (s, bad_gb, (gssize) bad_gb_len);
  g_string_append (s, "\x81\x20\n");
  assert_error_with (s->str, (gssize) s->len, NULL, 3, "invalid GB18030 bytes at byte 17");
  g_string_free (s, TRUE);

  {
    /* a long run of non-header lines gives up */
    GString *t = g_string_new (NULL);
    for (int i = 0; i < 300; i++)
      g_string_append (t, "注：\n");
    assert_error (t->str, 201, "no header row found");
    g_string_free (t, TRUE);
  }
}

static void
test_sink_error (void)
{
  g_autofree char *path = data_path ("icbc-2026-10.gb18030.csv");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, NULL);
  g_autoptr(TsyTestSink) sink = tsy_test_sink_new ();
  g_autoptr(GError) error = NULL;

  sink->fail_at_entry = 3;
  g_assert_false (tsy_csv_parse (G_INPUT_STREAM (in), "icbc.csv", NULL, &tsy_test_sink_vtable,
                                 sink, NULL, &error));
  /* returned as the sink gave it */
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpstr (error->message, ==, "sink refused entry 3");
  g_assert_cmpuint (sink->n_entries, ==, 2);
  g_assert_false (tsy_test_sink_statement (sink, 0)->ended);
}

static void
test_cancel (void)
{
  g_autofree char *path = data_path ("icbc-2026-10.csv");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, NULL);
  g_autoptr(TsyTestSink) sink = tsy_test_sink_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (tsy_csv_parse (G_INPUT_STREAM (in), "icbc.csv", NULL, &tsy_test_sink_vtable,
                                 sink, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (sink->n_entries, ==, 0);
}

/* Every prefix of a small file parses or fails cleanly. */
static void
check_prefixes (const char *name)
{
  g_autofree char *path = data_path (name);
  g_autofree char *contents = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;
  guint ok = 0, failed = 0;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  for (gsize n = 0; n <= len; n++)
    {
      g_autoptr(GError) local = NULL;
      g_autoptr(TsyTestSink) sink = parse_text (contents, (gssize) n, NULL, &local);

      if (local == NULL)
        {
          ok++;
          g_assert_cmpuint (sink->statements->len, >=, 1);
        }
      else
        {
          failed++;
          g_assert_error (local, TSY_BANK_ERROR, TSY_BANK_ERROR_PARSE);
          g_assert_true (g_str_has_prefix (local->message, "test.csv: line "));
        }
    }
  /* the whole file parses; most cut-offs in the header or a field fail */
  g_assert_cmpuint (ok, >, 0);
  g_assert_cmpuint (failed, >, 0);
}

static void
test_truncation (void)
{
  check_prefixes ("icbc-2026-10.gb18030.csv");
  check_prefixes ("abc-2026-10.csv");
}

static void
test_many_lines (void)
{
  GString *utf8 = g_string_new ("账号：9\n币种：人民币\n"
                                 "交易日期,交易流水号,摘要,借方发生额,贷方发生额,余额\n");
  g_autofree char *gb = NULL;
  gsize gb_len = 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyTestSink) sink = NULL;
  gint64 balance = 0;
  const guint n = 20000;

  balance = 100000;
  for (guint i = 0; i < n; i++)
    {
      gint64 amount = (i % 3 == 0) ? -(gint64) (i % 997) * 7 : (gint64) (i % 1009) * 13;
      char a[32], b[32];

      balance += amount;
      tsy_money_format_plain (ABS (amount), 2, a, sizeof a);
      tsy_money_format_plain (balance, 2, b, sizeof b);
      g_string_append_printf (utf8, "2026-10-%02u,R%06u,货款 第%u笔,%s,%s,%s\n", 1 + i % 28, i, i,
                              amount < 0 ? a : "", amount < 0 ? "" : a, b);
    }
  gb = to_gb18030 (utf8->str, &gb_len);
  sink = parse_text (gb, (gssize) gb_len, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sink->n_entries, ==, n);
  assert_statement (tsy_test_sink_statement (sink, 0), "9", "CNY", n, balance - 100000, 100000,
                    balance);
  g_assert_cmpstr (entry_at (tsy_test_sink_statement (sink, 0), n - 1)->text, ==, "货款 第19999笔");
  g_string_free (utf8, TRUE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/banks/csv/icbc", test_icbc);
  g_test_add_func ("/banks/csv/icbc-gb18030-utf8", test_icbc_encodings);
  g_test_add_func ("/banks/csv/ccb", test_ccb);
  g_test_add_func ("/banks/csv/ccb-bom", test_ccb_bom);
  g_test_add_func ("/banks/csv/boc", test_boc);
  g_test_add_func ("/banks/csv/boc-gb18030-utf8", test_boc_encodings);
  g_test_add_func ("/banks/csv/abc", test_abc);
  g_test_add_func ("/banks/csv/cmb", test_cmb);
  g_test_add_func ("/banks/csv/profile/sample", test_profile_sample);
  g_test_add_func ("/banks/csv/profile/utf8", test_profile_utf8);
  g_test_add_func ("/banks/csv/profile/no-header", test_profile_no_header);
  g_test_add_func ("/banks/csv/profile/skip-lines", test_profile_skip_lines);
  g_test_add_func ("/banks/csv/profile/names", test_profile_names);
  g_test_add_func ("/banks/csv/profile/broken", test_profile_broken);
  g_test_add_func ("/banks/csv/vocabulary", test_vocabulary);
  g_test_add_func ("/banks/csv/dates", test_dates);
  g_test_add_func ("/banks/csv/amounts", test_amounts);
  g_test_add_func ("/banks/csv/directions", test_directions);
  g_test_add_func ("/banks/csv/delimiters", test_delimiters);
  g_test_add_func ("/banks/csv/quotes", test_quotes);
  g_test_add_func ("/banks/csv/preamble/currencies", test_preamble_currencies);
  g_test_add_func ("/banks/csv/preamble/period", test_preamble_period);
  g_test_add_func ("/banks/csv/preamble/nothing-said", test_nothing_said);
  g_test_add_func ("/banks/csv/summary", test_summary);
  g_test_add_func ("/banks/csv/subtotal-rows", test_subtotal_rows);
  g_test_add_func ("/banks/csv/sections", test_sections);
  g_test_add_func ("/banks/csv/sections-no-header", test_sections_no_header);
  g_test_add_func ("/banks/csv/page-headers", test_page_headers);
  g_test_add_func ("/banks/csv/account-column", test_account_column);
  g_test_add_func ("/banks/csv/empty-statement", test_empty_statement);
  g_test_add_func ("/banks/csv/balance-rows", test_balance_rows);
  g_test_add_func ("/banks/csv/errors", test_errors);
  g_test_add_func ("/banks/csv/sink-error", test_sink_error);
  g_test_add_func ("/banks/csv/cancel", test_cancel);
  g_test_add_func ("/banks/csv/truncation", test_truncation);
  g_test_add_func ("/banks/csv/many-lines", test_many_lines);
  return g_test_run ();
}
