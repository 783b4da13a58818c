/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reconciliation: names and references, each rule on small hand-made cases, what must never
 * match, stability of confirmed and manual matches, the audit trail, the 余额调节表, and a
 * generated month against its truth. */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "bench/tsy-recon-gen.h"
#include "banks/tsy-demo-statements.h"
#include "banks/tsy-statement-importer.h"
#include "ledger/tsy-account.h"
#include "ledger/tsy-audit.h"
#include "ledger/tsy-bank.h"
#include "ledger/tsy-book.h"
#include "ledger/tsy-demo.h"
#include "ledger/tsy-demo-book.h"
#include "ledger/tsy-ledger-error.h"
#include "ledger/tsy-name-normalize.h"
#include "ledger/tsy-org.h"
#include "ledger/tsy-recon-model.h"
#include "ledger/tsy-recon-statement.h"
#include "ledger/tsy-reconcile-private.h"
#include "ledger/tsy-reconcile.h"
#include "ledger/tsy-statement-import.h"
#include "ledger/tsy-store-private.h"

#define D(day) tsy_date_from_ymd (2026, 3, (day))

/* ---- names and references -------------------------------------------------------------- */

static void
test_names (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "深圳市南山精密机械有限公司", "南山精密机械" },
    { "南山精密机械有限责任公司", "南山精密机械" },
    { "上海华东电子材料（股份）有限公司", "华东电子材料" },
    { "上海 华东电子材料 有限公司", "华东电子材料" },
    { "广东省深圳市华夏智能制造股份有限公司", "华夏智能制造" },
    { "华夏智能制造（深圳）有限公司", "华夏智能制造深圳" },
    { "ACME Trading Co., Ltd.", "ACMETRADING" },
    { "ＡＣＭＥ　ＴＲＡＤＩＮＧ　ＬＩＭＩＴＥＤ", "ACMETRADING" },
    { "acme trading ltd", "ACMETRADING" },
    { "中国平安财产保险股份有限公司", "平安财产保险" },
    { "上海", "上海" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *n = tsy_name_normalize (cases[i].in);
      g_assert_cmpstr (n, ==, cases[i].out);
    }
  g_assert_true (tsy_name_is_short_form ("南山精密", "南山精密机械"));
  g_assert_true (tsy_name_is_short_form ("南山精密机械", "南山精密"));
  g_assert_false (tsy_name_is_short_form ("南山精", "南山精密机械"));
  g_assert_false (tsy_name_is_short_form ("北山精密", "南山精密机械"));
  g_assert_false (tsy_name_is_short_form ("ACME", "ACMETRADING"));
  {
    g_autofree char *place = NULL;
    g_autofree char *n = tsy_name_normalize_full ("北京华联商厦有限公司", &place);
    g_assert_cmpstr (n, ==, "华联商厦");
    g_assert_cmpstr (place, ==, "北京");
  }
}

static void
collect_key (guint64  key,
             gpointer data)
{
  g_array_append_val ((GArray *) data, key);
}

static gboolean
has_key (GArray     *keys,
         const char *normalized)
{
  guint64 want = recon_hash_bytes (normalized, strlen (normalized));

  for (guint i = 0; i < keys->len; i++)
    if (g_array_index (keys, guint64, i) == want)
      return TRUE;
  return FALSE;
}

static void
test_windows (void)
{
  static const char *const texts[] = {
    "PAYMENT FOR INV 2026 004512", "inv2026004512", "货款INV-2026-004512", "RE:INV/2026/004512 THANKS",
    "付款 2026004512",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (guint64));
      recon_text_windows (texts[i], collect_key, keys);
      g_assert_true (has_key (keys, "2026004512"));
      if (i < 4)
        g_assert_true (has_key (keys, "INV2026004512"));
      /* a long word does not start a reference; short numbers are not references */
      g_assert_false (has_key (keys, "PAYMENTFORINV2026004512"));
      g_assert_false (has_key (keys, "2026"));
    }
  {
    g_autofree char *n = tsy_ref_normalize ("inv-2026/００4512");
    g_assert_cmpstr (n, ==, "INV2026004512");
  }
}

/* ---- the engine on hand-made cases ------------------------------------------------------ */

typedef struct
{
  ReconEngine *e;
} Eng;

static ReconEngine *
engine (void)
{
  TsyReconOptions o;

  tsy_recon_options_init (&o);
  o.window_days = 5;
  return recon_engine_new (&o, "CNY");
}

static const ReconResult *
match_of_bank (ReconEngine *e,
               guint        bank)
{
  const ReconItem *it = &g_array_index (e->bank, ReconItem, bank);

  if (it->match < 0)
    return NULL;
  return &g_array_index (e->matches, ReconResult, it->match);
}

static gboolean
matched_pair (ReconEngine *e,
              guint        bank,
              guint        book)
{
  const ReconItem *b = &g_array_index (e->bank, ReconItem, bank);
  const ReconItem *k = &g_array_index (e->book, ReconItem, book);

  return b->match >= 0 && b->match == k->match;
}

static void
test_engine_references (void)
{
  g_autoptr(ReconEngine) e = engine ();
  guint k0, k1, k2, b0, b1, b2;

  k0 = recon_engine_add_book (e, 1, D (2), 1234500, "上海华东电子材料有限公司", NULL, "INV-2026-004512", NULL);
  k1 = recon_engine_add_book (e, 2, D (3), -500000, "深圳供电局", NULL, "E2E0000012345", "电费");
  k2 = recon_engine_add_book (e, 3, D (3), 777700, "ACME TRADING LTD", NULL, "HX123456", NULL);
  recon_engine_index_book (e);
  b0 = recon_engine_add_bank (e, 11, D (4), 1234500, "某某公司", NULL, NULL, NULL, "PAYMENT FOR INV 2026 004512");
  b1 = recon_engine_add_bank (e, 12, D (3), -500000, NULL, NULL, "E2E0000012345", NULL, "电费");
  b2 = recon_engine_add_bank (e, 13, D (3), 777700, NULL, NULL, NULL, "NONREF", "货款 123456");
  recon_engine_run (e);

  g_assert_true (matched_pair (e, b0, k0));
  g_assert_cmpint (match_of_bank (e, b0)->rule, ==, TSY_RECON_RULE_REFERENCE_TEXT);
  g_assert_true (matched_pair (e, b1, k1));
  g_assert_cmpint (match_of_bank (e, b1)->rule, ==, TSY_RECON_RULE_REFERENCE);
  g_assert_cmpint (match_of_bank (e, b1)->score, ==, 1000);
  /* HX123456 ~ 123456: the short prefix */
  g_assert_true (matched_pair (e, b2, k2));
  g_assert_cmpuint (e->suggestions->len, ==, 0);
}

static void
test_engine_lookalikes (void)
{
  g_autoptr(ReconEngine) e = engine ();
  guint k0, k1, b0, b1, b2;

  /* same amount and day, other counterparties, no shared reference: never a match */
  k0 = recon_engine_add_book (e, 1, D (10), 880000, "北京星河物流有限公司", NULL, NULL, "运费");
  b0 = recon_engine_add_bank (e, 11, D (10), 880000, "杭州云帆软件科技有限公司", "571908765410201", NULL, NULL, "货款");
  /* same amount, same day, told apart by counterparty only */
  k1 = recon_engine_add_book (e, 2, D (12), 100000, "广州珠江纺织品进出口有限公司", NULL, NULL, NULL);
  recon_engine_add_book (e, 3, D (12), 100000, "深圳市南山精密机械有限公司", NULL, NULL, NULL);
  recon_engine_index_book (e);
  b1 = recon_engine_add_bank (e, 12, D (12), 100000, "深圳市南山精密机械有限公司", NULL, NULL, NULL, NULL);
  b2 = recon_engine_add_bank (e, 13, D (12), 100000, "广州珠江纺织品进出口有限公司", NULL, NULL, NULL, NULL);
  /* 北京华联 is not 上海华联 */
  recon_engine_run (e);

  g_assert_false (matched_pair (e, b0, k0));
  g_assert_cmpint (g_array_index (e->bank, ReconItem, b0).match, ==, -1);
  g_assert_true (matched_pair (e, b2, k1));
  g_assert_true (matched_pair (e, b1, 2));
  g_assert_cmpint (match_of_bank (e, b1)->rule, ==, TSY_RECON_RULE_COUNTERPARTY);
}

static void
test_engine_places (void)
{
  g_autoptr(ReconEngine) e = engine ();
  guint b;

  recon_engine_add_book (e, 1, D (10), 50000, "北京华联商厦有限公司", NULL, NULL, NULL);
  recon_engine_index_book (e);
  b = recon_engine_add_bank (e, 11, D (10), 50000, "上海华联商厦有限公司", NULL, NULL, NULL, NULL);
  recon_engine_run (e);
  g_assert_cmpint (g_array_index (e->bank, ReconItem, b).match, ==, -1);
}

static void
test_engine_names (void)
{
  g_autoptr(ReconEngine) e = engine ();
  guint b0, b1, b2, b3;

  recon_engine_add_book (e, 1, D (10), 120000, "南山精密", NULL, NULL, NULL);              /* short form */
  recon_engine_add_book (e, 2, D (8), -330000, "ＡＣＭＥ Trading Limited", NULL, NULL, NULL); /* 2 days */
  recon_engine_add_book (e, 3, D (1), 440000, "星河物流", NULL, NULL, NULL);                /* 9 days: too far */
  recon_engine_add_book (e, 4, D (11), 550000, "某人", "6222 0000 1111", NULL, NULL);       /* account */
  recon_engine_index_book (e);
  b0 = recon_engine_add_bank (e, 11, D (10), 120000, "深圳市南山精密机械有限公司", NULL, NULL, NULL, NULL);
  b1 = recon_engine_add_bank (e, 12, D (10), -330000, "ACME TRADING CO., LTD.", NULL, NULL, NULL, NULL);
  b2 = recon_engine_add_bank (e, 13, D (10), 440000, "北京星河物流有限公司", NULL, NULL, NULL, NULL);
  b3 = recon_engine_add_bank (e, 14, D (12), 550000, "张三", "622200001111", NULL, NULL, NULL);
  recon_engine_run (e);
  g_assert_true (matched_pair (e, b0, 0));
  g_assert_true (matched_pair (e, b1, 1));
  g_assert_cmpint (g_array_index (e->bank, ReconItem, b2).match, ==, -1);
  g_assert_true (matched_pair (e, b3, 3));
  g_assert_cmpint (match_of_bank (e, b3)->score, ==, 930 - 2);
}

static void
test_engine_ambiguous (void)
{
  g_autoptr(ReconEngine) e = engine ();
  guint b0, b1, b2;

  /* two equal invoices of one supplier two days running: a person decides */
  recon_engine_add_book (e, 1, D (10), -200000, "北京星河物流有限公司", NULL, NULL, NULL);
  recon_engine_add_book (e, 2, D (11), -200000, "北京星河物流有限公司", NULL, NULL, NULL);
  /* two book entries with the same reference and amount */
  recon_engine_add_book (e, 3, D (5), 990000, NULL, NULL, "SO12345678", NULL);
  recon_engine_add_book (e, 4, D (5), 990000, NULL, NULL, "SO12345678", NULL);
  recon_engine_index_book (e);
  b0 = recon_engine_add_bank (e, 11, D (11), -200000, "北京星河物流有限公司", NULL, NULL, NULL, NULL);
  b1 = recon_engine_add_bank (e, 12, D (12), -200000, "北京星河物流有限公司", NULL, NULL, NULL, NULL);
  b2 = recon_engine_add_bank (e, 13, D (5), 990000, NULL, NULL, "SO12345678", NULL, NULL);
  recon_engine_run (e);
  g_assert_cmpint (e->matches->len, ==, 0);
  g_assert_cmpint (g_array_index (e->bank, ReconItem, b0).state, ==, ITEM_CONTESTED);
  g_assert_cmpint (g_array_index (e->bank, ReconItem, b1).state, ==, ITEM_CONTESTED);
  g_assert_cmpint (g_array_index (e->bank, ReconItem, b2).state, ==, ITEM_CONTESTED);
  /* b0–k0, b0–k1, b1–k0, b1–k1 and b2 with each of k2, k3 */
  g_assert_cmpuint (e->suggestions->len, ==, 6);
}

static void
test_engine_groups (void)
{
  g_autoptr(ReconEngine) e = engine ();
  guint b_batch, b_i1, b_i2, b_i3, b_charge, b_bad;

  /* a payroll batch: three entries under one package number */
  recon_engine_add_book (e, 1, D (20), -350000, "张伟", NULL, "PK2026032000001", "工资");
  recon_engine_add_book (e, 2, D (20), -420000, "李娜", NULL, "PK2026032000001", "工资");
  recon_engine_add_book (e, 3, D (20), -515050, "王芳", NULL, "PK2026032000001", "工资");
  /* a contract paid in three instalments */
  recon_engine_add_book (e, 4, D (3), 3000000, "杭州云帆软件科技有限公司", NULL, "HT202600077", "合同款");
  /* a receipt short of a bank charge */
  recon_engine_add_book (e, 5, D (15), 1000000, "ACME", NULL, "INV-2026-000900", NULL);
  /* a package whose sum does not fit: nothing */
  recon_engine_add_book (e, 6, D (21), -100000, "甲", NULL, "PK2026032100002", NULL);
  recon_engine_add_book (e, 7, D (21), -100000, "乙", NULL, "PK2026032100002", NULL);
  recon_engine_index_book (e);
  b_batch = recon_engine_add_bank (e, 11, D (20), -1285050, NULL, NULL, "PK2026032000001", NULL, "代发工资");
  b_i1 = recon_engine_add_bank (e, 12, D (3), 1000000, NULL, NULL, NULL, NULL, "合同HT202600077 第1期");
  b_i2 = recon_engine_add_bank (e, 13, D (10), 1000000, NULL, NULL, NULL, NULL, "合同HT202600077 第2期");
  b_i3 = recon_engine_add_bank (e, 14, D (17), 1000000, NULL, NULL, NULL, NULL, "合同 HT202600077 第3期");
  b_charge = recon_engine_add_bank (e, 15, D (16), 998500, NULL, NULL, "INV-2026-000900", NULL, NULL);
  b_bad = recon_engine_add_bank (e, 16, D (21), -250000, NULL, NULL, NULL, NULL, "资金打包编号PK2026032100002");
  recon_engine_run (e);

  g_assert_cmpint (match_of_bank (e, b_batch)->rule, ==, TSY_RECON_RULE_BATCH);
  g_assert_cmpint (match_of_bank (e, b_batch)->n_book, ==, 3);
  g_assert_true (matched_pair (e, b_batch, 2));
  g_assert_cmpint (match_of_bank (e, b_i1)->rule, ==, TSY_RECON_RULE_INSTALMENTS);
  g_assert_true (matched_pair (e, b_i1, 3) && matched_pair (e, b_i2, 3) && matched_pair (e, b_i3, 3));
  g_assert_cmpint (match_of_bank (e, b_charge)->rule, ==, TSY_RECON_RULE_CHARGE);
  g_assert_cmpint (match_of_bank (e, b_charge)->charge, ==, 1500);
  g_assert_null (match_of_bank (e, b_bad));
}

static void
test_engine_charge_tolerance (void)
{
  g_autoptr(ReconEngine) e = engine ();
  guint b;

  g_assert_cmpint (recon_charge_tolerance ("CNY"), ==, 20000);
  g_assert_cmpint (recon_charge_tolerance ("JPY"), ==, 6000);
  g_assert_cmpint (recon_charge_tolerance ("KWD"), ==, 50000);
  /* short by more than the tolerance: not a charge */
  recon_engine_add_book (e, 1, D (15), 10000000, NULL, NULL, "INV-2026-000901", NULL);
  recon_engine_index_book (e);
  b = recon_engine_add_bank (e, 11, D (15), 10000000 - 20001, NULL, NULL, "INV-2026-000901", NULL, NULL);
  recon_engine_run (e);
  g_assert_null (match_of_bank (e, b));
}

/* ---- in the store -------------------------------------------------------------------------- */

typedef struct
{
  char     *dir;
  TsyStore *store;
} Fixture;

static void
fixture_setup (Fixture      *f,
               gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->store = tsy_store_open (":memory:", &error);
  g_assert_no_error (error);
  g_assert_cmpint (tsy_org_add (f->store, "G", "集团", NULL, &error), >, 0);
  g_assert_cmpint (tsy_bank_add (f->store, "ICBC", "工行", NULL, NULL, NULL, &error), >, 0);
  g_assert_cmpint (tsy_account_add (f->store, &(TsyAccountSpec) { .number = "6222001", .org_code = "G",
                   .bank_code = "ICBC", .currency = "CNY" }, &error), >, 0);
}

static void
fixture_teardown (Fixture      *f,
                  gconstpointer data)
{
  g_clear_object (&f->store);
}

typedef struct
{
  int         day;
  gint64      amount;
  const char *ref;
  const char *e2e;
  const char *cp;
  const char *text;
} Line;

/* One statement from 2026-03-01 to -31 with opening balance 1,000.00. */
static void
add_lines (TsyStore   *store,
           const Line *lines,
           guint       n)
{
  g_autoptr(GError) error = NULL;
  const TsyStatementSink *sink = tsy_import_sink ();
  TsyStatementHeader h = { .format = "test", .account = "6222001", .currency = "CNY",
                           .statement_id = "S1", .has_opening = TRUE, .opening_minor = 100000,
                           .opening_date = tsy_date_from_ymd (2026, 2, 28), .has_closing = TRUE,
                           .closing_date = D (31), .from_date = D (1), .to_date = D (31) };
  TsyImport *imp = tsy_import_begin (store, "t", NULL, &error);

  g_assert_no_error (error);
  h.closing_minor = h.opening_minor;
  for (guint i = 0; i < n; i++)
    h.closing_minor += lines[i].amount;
  g_assert_true (sink->begin_statement (imp, &h, &error));
  for (guint i = 0; i < n; i++)
    {
      TsyStatementEntry e = { 0 };
      e.booking_date = D (lines[i].day);
      e.amount_minor = lines[i].amount;
      e.bank_ref = lines[i].ref;
      e.end_to_end_id = lines[i].e2e;
      e.counterparty_name = lines[i].cp;
      e.text = lines[i].text;
      g_assert_true (sink->entry (imp, &e, &error));
    }
  g_assert_true (sink->end_statement (imp, &h, &error));
  g_assert_true (tsy_import_commit (imp, NULL, &error));
  g_assert_no_error (error);
}

static void
add_book (TsyStore   *store,
          const char *csv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data (csv, -1, NULL);

  g_assert_true (tsy_book_import_stream (store, in, "book.csv", NULL, NULL, &error));
  g_assert_no_error (error);
}

static const Line month[] = {
  { 3, 1234500, "R001", NULL, "上海华东电子材料有限公司", "PAYMENT FOR INV 2026 004512" },
  { 5, -500000, "R002", "E2E0000012345", "深圳供电局有限公司", "电费" },
  { 9, -88000, "R003", NULL, "杭州云帆软件科技有限公司", "服务费" },
  { 12, 100000, "R004", NULL, "北京星河物流有限公司", "往来款" },
  { 12, 100000, "R005", NULL, "广州珠江纺织品进出口有限公司", "往来款" },
  { 20, -1500, "R006", NULL, NULL, "手续费" },
  { 25, 777700, "R007", NULL, "某某贸易有限公司", "货款" },
};

static const char *const month_book =
  "id,account,date,amount,currency,counterparty,counterparty_account,reference,memo\n"
  "J1,6222001,2026-03-02,12345.00,CNY,华东电子材料,,INV-2026-004512,货款\n"
  "J2,6222001,2026-03-05,-5000.00,CNY,深圳供电局,,E2E0000012345,电费\n"
  "J3,6222001,2026-03-08,-880.00,CNY,杭州云帆软件科技有限公司,,,服务费\n"
  "J4,6222001,2026-03-12,1000.00,CNY,广州珠江纺织品进出口有限公司,,,\n"
  "J5,6222001,2026-03-12,1000.00,CNY,北京星河物流有限公司,,,\n"
  "J6,6222001,2026-03-25,7777.00,CNY,另一家公司,,,look-alike\n"
  "J7,6222001,2026-03-31,-300.00,CNY,某供应商,,,暂估\n";

static guint
count_rows (TsyStore   *store,
            const char *sql)
{
  sqlite3_stmt *stmt = tsy_store_prepare (store, sql, NULL);
  guint n;

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = (guint) sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

static void
test_store_month (Fixture      *f,
                  gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyReconStatement) st = NULL;
  TsyReconSummary s = { 0 };

  add_lines (f->store, month, G_N_ELEMENTS (month));
  add_book (f->store, month_book);
  g_assert_true (tsy_book_set_opening (f->store, "6222001", 100000, D (1), "test", &error));
  g_assert_true (tsy_reconcile (f->store, NULL, NULL, &s, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (s.accounts, ==, 1);
  g_assert_cmpuint (s.matched, ==, 5);
  g_assert_cmpuint (s.by_rule[TSY_RECON_RULE_REFERENCE], ==, 1);
  g_assert_cmpuint (s.by_rule[TSY_RECON_RULE_REFERENCE_TEXT], ==, 1);
  g_assert_cmpuint (s.by_rule[TSY_RECON_RULE_COUNTERPARTY], ==, 3);
  g_assert_cmpuint (s.unmatched_bank, ==, 2);     /* the charge, the look-alike */
  g_assert_cmpuint (s.unmatched_book, ==, 2);     /* the look-alike, the accrual */

  /* a second run changes nothing */
  memset (&s, 0, sizeof s);
  g_assert_true (tsy_reconcile (f->store, "6222001", NULL, &s, NULL, &error));
  g_assert_cmpuint (s.new_matches, ==, 0);
  g_assert_cmpuint (s.removed, ==, 0);
  g_assert_cmpuint (s.matched, ==, 5);

  /* new data that makes an auto match ambiguous: the match goes, the items are suggested */
  {
    TsyReconSummary s2 = { 0 };
    g_autoptr(GError) e2 = NULL;
    add_book (f->store, "id,account,date,amount,counterparty\nJ9,6222001,2026-03-10,-880.00,杭州云帆软件科技有限公司\n");
    g_assert_true (tsy_reconcile (f->store, NULL, NULL, &s2, NULL, &e2));
    g_assert_no_error (e2);
    g_assert_cmpuint (s2.removed, ==, 1);
    g_assert_cmpuint (s2.matched, ==, 4);
    g_assert_cmpuint (s2.suggested, ==, 2);
    g_assert_cmpint (count_rows (f->store, "SELECT count(*) FROM recon_bank WHERE match_id NOT IN (SELECT id FROM recon_match)"), ==, 0);
    g_assert_cmpint (count_rows (f->store, "SELECT count(*) FROM recon_book WHERE match_id NOT IN (SELECT id FROM recon_match)"), ==, 0);
    /* the ambiguity is resolved by a person: unmatch nothing, match by hand */
    {
      const char *b[] = { "R003", NULL };
      const char *k[] = { "J3", NULL };
      g_assert_cmpint (tsy_recon_match (f->store, NULL, b, k, "alice", &e2), >, 0);
      g_assert_no_error (e2);
    }
  }

  /* the 余额调节表 balances: bank 1000 + Σ lines; book 1000 + Σ entries */
  st = tsy_recon_statement_build (f->store, "6222001", D (31), &error);
  g_assert_no_error (error);
  g_assert_true (st->has_bank_balance);
  g_assert_cmpint (st->bank_balance, ==, 100000 + 1234500 - 500000 - 88000 + 200000 - 1500 + 777700);
  g_assert_cmpint (st->book_balance, ==, 100000 + 1234500 - 500000 - 88000 + 200000 + 777700 - 30000 - 88000);
  g_assert_cmpuint (st->bank_credits_not_in_book->len, ==, 1);   /* R007, the look-alike */
  g_assert_cmpuint (st->bank_debits_not_in_book->len, ==, 1);    /* R006, the charge */
  g_assert_cmpuint (st->book_credits_not_at_bank->len, ==, 1);   /* J6 */
  g_assert_cmpuint (st->book_debits_not_at_bank->len, ==, 2);    /* J7, J9 */
  g_assert_true (st->balanced);
  g_assert_cmpint (st->adjusted_bank_balance, ==, st->adjusted_book_balance);

  /* what the window shows: both sides, linked, and the running difference of a selection */
  {
    g_autoptr(TsyReconView) view = tsy_recon_view_load (f->store, "6222001", 0, 0, &error);
    GListModel *bank, *book;
    g_autoptr(TsyReconItem) r007 = NULL;
    g_autoptr(TsyReconItem) j6 = NULL;
    g_autoptr(TsyReconItem) r002 = NULL;
    g_autoptr(TsyReconItem) j2 = NULL;
    TsyReconItem *sel[2];
    gint64 diff = -1;

    g_assert_no_error (error);
    bank = tsy_recon_view_get_bank (view);
    book = tsy_recon_view_get_book (view);
    g_assert_cmpuint (g_list_model_get_n_items (bank), ==, 7);
    g_assert_cmpuint (g_list_model_get_n_items (book), ==, 8);
    g_assert_cmpuint (g_list_model_get_n_items (tsy_recon_view_get_matches (view)), ==, 5);
    g_assert_cmpuint (g_list_model_get_n_items (tsy_recon_view_get_suggestions (view)), ==, 0);  /* J9 is alone now */
    r002 = g_list_model_get_item (bank, 1);
    j2 = g_list_model_get_item (book, 1);
    g_assert_cmpstr (tsy_recon_item_get_ref (r002), ==, "R002");
    g_assert_cmpstr (tsy_recon_item_get_ref (j2), ==, "J2");
    g_assert_cmpint (tsy_recon_item_get_state (r002), ==, TSY_RECON_ITEM_MATCHED);
    g_assert_cmpint (tsy_recon_item_get_match_id (r002), ==, tsy_recon_item_get_match_id (j2));
    r007 = g_list_model_get_item (bank, 6);
    j6 = g_list_model_get_item (book, 6);
    g_assert_cmpstr (tsy_recon_item_get_ref (r007), ==, "R007");
    g_assert_cmpstr (tsy_recon_item_get_ref (j6), ==, "J6");
    g_assert_cmpint (tsy_recon_item_get_state (j6), ==, TSY_RECON_ITEM_UNMATCHED);
    sel[0] = r007;
    sel[1] = j6;
    g_assert_true (tsy_recon_items_difference (sel, 2, &diff));
    g_assert_cmpint (diff, ==, 0);
    sel[1] = j2;
    g_assert_true (tsy_recon_items_difference (sel, 2, &diff));
    g_assert_cmpint (diff, ==, -500000 - 777700);
  }
}

static void
test_store_stable (Fixture      *f,
                   gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  const char *bank_j6[] = { "R007", NULL };
  const char *book_j6[] = { "J6", NULL };
  const char *bank_j3[] = { "R003", NULL };
  const char *book_j3[] = { "J3", NULL };
  TsyReconSummary s = { 0 };
  gint64 id, bad = -1;

  add_lines (f->store, month, G_N_ELEMENTS (month));
  add_book (f->store, month_book);
  g_assert_true (tsy_reconcile (f->store, NULL, NULL, &s, NULL, &error));

  /* confirm an auto match: it stays, confirmed */
  id = tsy_recon_match (f->store, NULL, bank_j3, book_j3, "alice", &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f->store, "SELECT count(*) FROM recon_match WHERE status = 'confirmed'"), ==, 1);
  /* a manual match of the look-alike (a person knows better) */
  id = tsy_recon_match (f->store, "6222001", bank_j6, book_j6, "alice", &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  /* a line in a manual match cannot be matched again */
  g_assert_cmpint (tsy_recon_match (f->store, NULL, bank_j6, book_j3, "bob", &error), ==, 0);
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DUPLICATE);
  g_clear_error (&error);

  /* unmatch the name match of J4: a run never makes it again */
  g_assert_true (tsy_recon_unmatch (f->store, NULL, "J4", "alice", &error));
  g_assert_no_error (error);
  g_assert_false (tsy_recon_unmatch (f->store, NULL, "J4", "alice", &error));
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_NOT_FOUND);
  g_clear_error (&error);
  memset (&s, 0, sizeof s);
  g_assert_true (tsy_reconcile (f->store, NULL, NULL, &s, NULL, &error));
  g_assert_cmpuint (s.matched, ==, 5);  /* 4 of the 5 + the manual one */
  g_assert_cmpint (count_rows (f->store, "SELECT count(*) FROM recon_match WHERE status = 'manual'"), ==, 1);
  g_assert_cmpint (count_rows (f->store, "SELECT count(*) FROM recon_match WHERE status = 'confirmed'"), ==, 1);
  g_assert_cmpint (count_rows (f->store,
      "SELECT count(*) FROM recon_book rk JOIN book_entry e ON e.id = rk.entry_id WHERE e.ext_id = 'J4'"), ==, 0);

  /* a sum that does not fit is refused, and changes nothing */
  {
    const char *b[] = { "R004", NULL };
    const char *k[] = { "J7", NULL };
    guint before = count_rows (f->store, "SELECT count(*) FROM recon_match");
    g_assert_cmpint (tsy_recon_match (f->store, NULL, b, k, "bob", &error), ==, 0);
    g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_UNBALANCED);
    g_clear_error (&error);
    g_assert_cmpuint (count_rows (f->store, "SELECT count(*) FROM recon_match"), ==, before);
  }

  /* every change is in the audit trail, and the chain holds */
  g_assert_cmpint (count_rows (f->store, "SELECT count(*) FROM audit_event WHERE action = 'recon.match'"), ==, 2);
  g_assert_cmpint (count_rows (f->store, "SELECT count(*) FROM audit_event WHERE action = 'recon.unmatch'"), ==, 1);
  g_assert_true (tsy_audit_verify (f->store, &bad, &error));
  g_assert_cmpint (bad, ==, 0);
}

static void
test_audit_tamper (Fixture      *f,
                   gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  gint64 first, second, bad = -1;

  first = tsy_audit_append (f->store, "alice", "test.a", "x", "one", &error);
  second = tsy_audit_append (f->store, "bob", "test.b", "y", NULL, &error);
  g_assert_cmpint (tsy_audit_append (f->store, "carol", "test.c", "z", "three", &error), >, second);
  g_assert_true (tsy_audit_verify (f->store, &bad, &error));
  g_assert_cmpint (bad, ==, 0);
  /* the triggers refuse an edit … */
  g_assert_false (tsy_store_exec (f->store, "UPDATE audit_event SET detail = 'two' WHERE actor = 'bob'", NULL));
  /* … and an edit behind them is found */
  g_assert_true (tsy_store_exec (f->store, "DROP TRIGGER audit_event_no_update", &error));
  g_assert_true (tsy_store_exec (f->store, "UPDATE audit_event SET detail = 'two' WHERE actor = 'bob'", &error));
  g_assert_true (tsy_audit_verify (f->store, &bad, &error));
  g_assert_cmpint (bad, ==, second);
  (void) first;
}

/* ---- a generated month against its truth ------------------------------------------------- */

static void
test_generated (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tsy-recon-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "t.db", NULL);
  g_autoptr(TsyStore) store = tsy_store_open (db, &error);
  g_autoptr(TsyReconGenTruth) truth = NULL;
  TsyReconGenOptions o;
  TsyReconGenScore score;
  TsyReconSummary s = { 0 };
  g_autoptr(GDir) d = NULL;
  const char *name;

  g_assert_no_error (error);
  tsy_recon_gen_options_init (&o);
  o.n_bank_lines = 6000;
  o.n_accounts = 5;
  o.months = 2;
  g_assert_true (tsy_recon_gen_setup (store, &o, &error));
  truth = tsy_recon_gen_write (store, &o, dir, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < truth->statement_files->len; i++)
    {
      TsyImportResult r = { 0 };
      TsyImportOptions io = { .account = g_ptr_array_index (truth->file_accounts, i) };
      g_assert_true (tsy_statement_import_file (store, g_ptr_array_index (truth->statement_files, i), &io,
                                                &r, NULL, &error));
      g_assert_no_error (error);
      tsy_import_result_clear (&r);
    }
  g_assert_true (tsy_book_import_file (store, truth->book_csv, NULL, NULL, &error));
  g_assert_true (tsy_reconcile (store, NULL, NULL, &s, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (tsy_recon_gen_evaluate (store, truth, &score, &error));
  g_test_message ("matches %u, pairs %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " right of %" G_GUINT64_FORMAT " true, suggestions %u",
                  score.matches, score.correct_pairs, score.matched_pairs, score.true_pairs, score.suggestions);
  /* precision 100 %, recall >= 98 % */
  g_assert_cmpuint (score.correct_pairs, ==, score.matched_pairs);
  g_assert_cmpuint (score.correct_pairs * 100, >=, score.true_pairs * 98);
  for (guint i = 0; i < truth->accounts->len; i++)
    {
      g_autoptr(TsyReconStatement) st = tsy_recon_statement_build (store, g_ptr_array_index (truth->accounts, i),
                                                                   truth->end, &error);
      g_assert_no_error (error);
      g_assert_true (st->balanced);
    }

  g_clear_object (&store);
  d = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      g_unlink (p);
    }
  g_rmdir (dir);
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      if (g_file_test (p, G_FILE_TEST_IS_DIR))
        remove_dir (p);
      else
        g_unlink (p);
    }
  g_rmdir (dir);
}

static gboolean
count_rule (const TsyReconMatchRow *row,
            gpointer                data)
{
  ((guint *) data)[row->rule]++;
  return TRUE;
}

static void
on_async_done (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

/* The demo: a book with every case, and a balanced 余额调节表 for every account. */
static void
test_demo (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tsy-demo-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "demo.db", NULL);
  g_autofree char *files = g_build_filename (dir, "statements", NULL);
  g_autoptr(TsyStore) store = tsy_store_open (db, &error);
  g_autoptr(GPtrArray) accounts = NULL;
  TsyDate end = tsy_date_from_ymd (2026, 10, 31);
  guint rules[TSY_RECON_N_RULES] = { 0 };
  guint statements = 0;

  g_assert_no_error (error);
  g_assert_true (tsy_demo_fill (store, end, &error));
  g_assert_true (tsy_demo_statements_generate (store, files, NULL, NULL, &error));
  tsy_demo_book_fill (store, &error);
  g_assert_no_error (error);
  g_assert_true (tsy_recon_foreach_match (store, NULL, count_rule, rules, &error));
  g_assert_cmpuint (rules[TSY_RECON_RULE_REFERENCE], >, 0);
  g_assert_cmpuint (rules[TSY_RECON_RULE_REFERENCE_TEXT], >, 0);
  g_assert_cmpuint (rules[TSY_RECON_RULE_COUNTERPARTY], >, 0);
  g_assert_cmpuint (rules[TSY_RECON_RULE_BATCH], >, 0);
  g_assert_cmpuint (rules[TSY_RECON_RULE_CHARGE], >, 0);
  accounts = tsy_account_list (store, &error);
  for (guint i = 0; i < accounts->len; i++)
    {
      TsyAccountInfo *a = g_ptr_array_index (accounts, i);
      gboolean exists = FALSE;
      g_autoptr(TsyReconStatement) st = NULL;

      g_assert_true (tsy_book_exists (store, a->id, &exists, &error));
      if (!exists)
        continue;
      st = tsy_recon_statement_build (store, a->number, end, &error);
      g_assert_no_error (error);
      if (!st->balanced)
        g_error ("the 余额调节表 of %s does not balance", a->number);
      g_assert_cmpuint (st->bank_debits_not_in_book->len + st->book_credits_not_at_bank->len +
                        st->book_debits_not_at_bank->len, >, 0);
      statements++;
    }
  g_assert_cmpuint (statements, >=, 10);

  /* the window's loader, on a worker thread */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(TsyReconView) view = NULL;
    TsyAccountInfo *a = g_ptr_array_index (accounts, 0);
    guint linked = 0;

    tsy_recon_view_load_async (store, a->number, 0, 0, NULL, on_async_done, &result);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    view = tsy_recon_view_load_finish (store, result, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (tsy_recon_view_get_bank (view)), >, 0);
    for (guint i = 0; i < g_list_model_get_n_items (tsy_recon_view_get_bank (view)); i++)
      {
        g_autoptr(TsyReconItem) it = g_list_model_get_item (tsy_recon_view_get_bank (view), i);
        linked += tsy_recon_item_get_match_id (it) != 0;
      }
    g_assert_cmpuint (linked, >, 0);
    g_assert_cmpuint (g_list_model_get_n_items (tsy_recon_view_get_matches (view)), >, 0);
  }
  g_clear_object (&store);
  remove_dir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ledger/reconcile/names", test_names);
  g_test_add_func ("/ledger/reconcile/windows", test_windows);
  g_test_add_func ("/ledger/reconcile/engine/references", test_engine_references);
  g_test_add_func ("/ledger/reconcile/engine/lookalikes", test_engine_lookalikes);
  g_test_add_func ("/ledger/reconcile/engine/places", test_engine_places);
  g_test_add_func ("/ledger/reconcile/engine/names", test_engine_names);
  g_test_add_func ("/ledger/reconcile/engine/ambiguous", test_engine_ambiguous);
  g_test_add_func ("/ledger/reconcile/engine/groups", test_engine_groups);
  g_test_add_func ("/ledger/reconcile/engine/charge-tolerance", test_engine_charge_tolerance);
  g_test_add ("/ledger/reconcile/store/month", Fixture, NULL, fixture_setup, test_store_month, fixture_teardown);
  g_test_add ("/ledger/reconcile/store/stable", Fixture, NULL, fixture_setup, test_store_stable, fixture_teardown);
  g_test_add ("/ledger/audit/tamper", Fixture, NULL, fixture_setup, test_audit_tamper, fixture_teardown);
  g_test_add_func ("/ledger/reconcile/generated", test_generated);
  g_test_add_func ("/ledger/reconcile/demo", test_demo);
  return g_test_run ();
}
