/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Storing statements: identity, idempotency, overlap, balance checks, all or nothing. The sink
 * is driven directly, as a parser would, so these rules are tested apart from any format. */
#include <gio/gio.h>
#include <string.h>

#include "ledger/tsy-account.h"
#include "ledger/tsy-bank.h"
#include "ledger/tsy-ledger-error.h"
#include "ledger/tsy-org.h"
#include "ledger/tsy-statement-import.h"
#include "ledger/tsy-statement-lines.h"

typedef struct
{
  const char *ref;
  int         day;
  gint64      amount;
  const char *text;
} Line;

static TsyStore *
new_store (void)
{
  g_autoptr(GError) error = NULL;
  TsyStore *store = tsy_store_open (":memory:", &error);

  g_assert_no_error (error);
  g_assert_cmpint (tsy_org_add (store, "G", "G", NULL, &error), >, 0);
  g_assert_cmpint (tsy_bank_add (store, "B", "B", NULL, NULL, NULL, &error), >, 0);
  g_assert_cmpint (tsy_account_add (store, &(TsyAccountSpec) { .number = "111", .org_code = "G",
                   .bank_code = "B", .currency = "CNY" }, &error), >, 0);
  g_assert_cmpint (tsy_account_add (store, &(TsyAccountSpec) { .number = "NL77INGB0574908765",
                   .org_code = "G", .bank_code = "B", .currency = "EUR", .local_number = TRUE }, &error), >, 0);
  g_assert_no_error (error);
  return store;
}

/* Imports one statement of @lines; returns FALSE with @error like a refused file. */
static gboolean
import (TsyStore        *store,
        const char      *account,
        const char      *stmt_id,
        TsyStatementKind kind,
        gboolean         balances,
        gint64           opening,
        gint64           closing,
        const Line      *lines,
        guint            n,
        TsyImportResult *result,
        GError         **error)
{
  TsyStatementHeader h = { 0 };
  TsyImport *imp = tsy_import_begin (store, "test.sta", NULL, error);
  const TsyStatementSink *sink = tsy_import_sink ();

  if (imp == NULL)
    return FALSE;
  h.format = "mt940";
  h.kind = kind;
  h.account = account;
  h.statement_id = stmt_id;
  h.currency = NULL;
  if (!sink->begin_statement (imp, &h, error))
    goto fail;
  for (guint i = 0; i < n; i++)
    {
      TsyStatementEntry e = { 0 };
      e.booking_date = tsy_date_from_ymd (2026, 10, lines[i].day);
      e.value_date = e.booking_date;
      e.amount_minor = lines[i].amount;
      e.bank_ref = lines[i].ref;
      e.text = lines[i].text;
      e.raw = "raw";
      e.source_line = i + 1;
      if (!sink->entry (imp, &e, error))
        goto fail;
    }
  if (balances)
    {
      h.has_opening = h.has_closing = TRUE;
      h.opening_minor = opening;
      h.closing_minor = closing;
      h.opening_date = tsy_date_from_ymd (2026, 9, 30);
      h.closing_date = tsy_date_from_ymd (2026, 10, 31);
    }
  if (!sink->end_statement (imp, &h, error))
    goto fail;
  return tsy_import_commit (imp, result, error);

fail:
  tsy_import_abort (imp);
  return FALSE;
}

static guint64
count_lines (TsyStore *store)
{
  guint64 n = 0;

  g_assert_true (tsy_lines_count (store, NULL, &n, NULL));
  return n;
}

static void
test_reimport_adds_nothing (void)
{
  g_autoptr(TsyStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  const Line lines[] = {
    { "R1", 1, 10000, "a" }, { "R2", 2, -2500, "b" }, { NULL, 3, -500, "fee" }, { NULL, 3, -500, "fee" },
  };
  TsyImportResult r = { 0 };
  gint64 minor;
  TsyDate date;
  g_autoptr(TsyAccountInfo) acct = NULL;

  g_assert_true (import (store, "111", "S1", TSY_STATEMENT_KIND_FINAL, TRUE, 100000, 106500, lines, 4, &r, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (r.new_lines, ==, 4);   /* two equal charges on one day both stay */
  g_assert_cmpuint (r.present_lines, ==, 0);
  g_assert_cmpuint (r.statements, ==, 1);
  g_assert_cmpstr (r.format, ==, "mt940");
  tsy_import_result_clear (&r);

  g_assert_true (import (store, "111", "S1", TSY_STATEMENT_KIND_FINAL, TRUE, 100000, 106500, lines, 4, &r, &error));
  g_assert_cmpuint (r.new_lines, ==, 0);
  g_assert_cmpuint (r.present_lines, ==, 4);
  tsy_import_result_clear (&r);
  g_assert_cmpuint (count_lines (store), ==, 4);

  /* the closing balance became the account's balance */
  acct = tsy_account_lookup (store, "111", NULL);
  g_assert_true (tsy_balance_get (store, acct->id, tsy_date_from_ymd (2026, 11, 1), &minor, &date, NULL));
  g_assert_cmpint (minor, ==, 106500);
  g_assert_cmpint (date, ==, tsy_date_from_ymd (2026, 10, 31));
}

static void
test_overlap_intraday_then_final (void)
{
  g_autoptr(TsyStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  /* during the day: one charge and one receipt; at night the final statement has both charges */
  const Line intraday[] = { { NULL, 5, -300, "charge" }, { "X9", 5, 5000, "in" } };
  const Line final[] = { { NULL, 5, -300, "charge" }, { "X9", 5, 5000, "in" }, { NULL, 5, -300, "charge" } };
  TsyImportResult r = { 0 };

  g_assert_true (import (store, "111", "I1", TSY_STATEMENT_KIND_INTRADAY, FALSE, 0, 0, intraday, 2, &r, &error));
  g_assert_cmpuint (r.new_lines, ==, 2);
  tsy_import_result_clear (&r);
  g_assert_true (import (store, "111", "F1", TSY_STATEMENT_KIND_FINAL, TRUE, 0, 4400, final, 3, &r, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (r.new_lines, ==, 1);
  g_assert_cmpuint (r.present_lines, ==, 2);
  tsy_import_result_clear (&r);
  g_assert_cmpuint (count_lines (store), ==, 3);
}

static void
test_unbalanced_refused_whole (void)
{
  g_autoptr(TsyStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  const Line lines[] = { { "A", 1, 100, NULL }, { "B", 2, 200, NULL } };
  TsyImportResult r = { 0 };

  g_assert_false (import (store, "111", "S7", TSY_STATEMENT_KIND_FINAL, TRUE, 1000, 1301, lines, 2, &r, &error));
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_UNBALANCED);
  g_assert_nonnull (strstr (error->message, "S7"));
  g_assert_nonnull (strstr (error->message, "test.sta"));
  g_assert_nonnull (strstr (error->message, "0.01"));   /* the difference */
  g_assert_cmpuint (count_lines (store), ==, 0);
}

static void
test_unknown_account_and_currency (void)
{
  g_autoptr(TsyStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  const Line lines[] = { { "A", 1, 100, NULL } };
  TsyImportResult r = { 0 };

  g_assert_false (import (store, "999888777666", "S", TSY_STATEMENT_KIND_FINAL, FALSE, 0, 0, lines, 1, &r, &error));
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "7666"));   /* names the account, shortened */
  g_clear_error (&error);

  /* "BIC/number" and a currency suffix find the registered account */
  g_assert_true (import (store, "ICBKCNBJ/111", "S", TSY_STATEMENT_KIND_FINAL, FALSE, 0, 0, lines, 1, &r, &error));
  g_assert_no_error (error);
  tsy_import_result_clear (&r);
  g_assert_cmpuint (count_lines (store), ==, 1);
}

static void
test_no_currency_on_jpy_account (void)
{
  g_autoptr(TsyStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  const Line lines[] = { { "A", 1, 100, NULL } };
  TsyImportResult r = { 0 };

  g_assert_cmpint (tsy_account_add (store, &(TsyAccountSpec) { .number = "JP1", .org_code = "G",
                   .bank_code = "B", .currency = "JPY" }, &error), >, 0);
  /* the header names no currency: fine for CNY (two decimals), refused for JPY */
  g_assert_true (import (store, "111", "S", TSY_STATEMENT_KIND_FINAL, FALSE, 0, 0, lines, 1, &r, &error));
  tsy_import_result_clear (&r);
  g_assert_false (import (store, "JP1", "S", TSY_STATEMENT_KIND_FINAL, FALSE, 0, 0, lines, 1, &r, &error));
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_CURRENCY_MISMATCH);
  g_assert_nonnull (strstr (error->message, "JPY"));
}

static void
test_reused_reference_keeps_both (void)
{
  g_autoptr(TsyStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  /* a bank that reuses a reference for two different movements */
  const Line lines[] = { { "SAME", 1, 100, NULL }, { "SAME", 2, 700, NULL } };
  TsyImportResult r = { 0 };

  g_assert_true (import (store, "111", "S", TSY_STATEMENT_KIND_FINAL, FALSE, 0, 0, lines, 2, &r, &error));
  g_assert_cmpuint (r.new_lines, ==, 2);
  tsy_import_result_clear (&r);
  g_assert_true (import (store, "111", "S", TSY_STATEMENT_KIND_FINAL, FALSE, 0, 0, lines, 2, &r, &error));
  g_assert_cmpuint (r.new_lines, ==, 0);
  g_assert_cmpuint (r.present_lines, ==, 2);
  tsy_import_result_clear (&r);
}

static gboolean
collect_ref (const TsyLineRow *row, gpointer data)
{
  g_ptr_array_add (data, g_strdup (row->bank_ref));
  return TRUE;
}

static void
test_sink_error_rolls_back (void)
{
  g_autoptr(TsyStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) refs = g_ptr_array_new_with_free_func (g_free);
  TsyImport *imp = tsy_import_begin (store, "half.sta", NULL, &error);
  TsyStatementHeader h = { .format = "mt940", .account = "111" };
  TsyStatementEntry e = { .booking_date = tsy_date_from_ymd (2026, 10, 1), .amount_minor = 5, .bank_ref = "Z" };

  g_assert_true (tsy_import_sink ()->begin_statement (imp, &h, &error));
  g_assert_true (tsy_import_sink ()->entry (imp, &e, &error));
  tsy_import_abort (imp);   /* the parser failed later in the file */
  g_assert_cmpuint (count_lines (store), ==, 0);

  /* and an import afterwards works, with bank_ref as users see it */
  {
    const Line lines[] = { { "Z", 1, 5, NULL }, { NULL, 1, 6, "x" } };
    TsyImportResult r = { 0 };
    g_assert_true (import (store, "111", "S", TSY_STATEMENT_KIND_FINAL, FALSE, 0, 0, lines, 2, &r, &error));
    tsy_import_result_clear (&r);
  }
  g_assert_true (tsy_lines_foreach (store, NULL, collect_ref, refs, &error));
  g_assert_cmpuint (refs->len, ==, 2);
  g_assert_cmpstr (refs->pdata[0], ==, "Z");
  g_assert_true (g_str_has_prefix (refs->pdata[1], "h:"));
  g_assert_true (g_str_has_suffix (refs->pdata[1], "#1"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ledger/statements/reimport-adds-nothing", test_reimport_adds_nothing);
  g_test_add_func ("/ledger/statements/overlap-intraday-final", test_overlap_intraday_then_final);
  g_test_add_func ("/ledger/statements/unbalanced-refused", test_unbalanced_refused_whole);
  g_test_add_func ("/ledger/statements/unknown-account", test_unknown_account_and_currency);
  g_test_add_func ("/ledger/statements/reused-reference", test_reused_reference_keeps_both);
  g_test_add_func ("/ledger/statements/no-currency-jpy", test_no_currency_on_jpy_account);
  g_test_add_func ("/ledger/statements/sink-error-rolls-back", test_sink_error_rolls_back);
  return g_test_run ();
}
