/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The book: CSV import all or nothing with row and reason, idempotence by id, the opening
 * balance and the book balance. */
#include <gio/gio.h>
#include <string.h>

#include "ledger/tsy-account.h"
#include "ledger/tsy-bank.h"
#include "ledger/tsy-book.h"
#include "ledger/tsy-ledger-error.h"
#include "ledger/tsy-org.h"
#include "ledger/tsy-store-private.h"

typedef struct
{
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
  g_assert_cmpint (tsy_bank_add (f->store, "B", "银行", NULL, NULL, NULL, &error), >, 0);
  g_assert_cmpint (tsy_account_add (f->store, &(TsyAccountSpec) { .number = "6222001", .org_code = "G",
                   .bank_code = "B", .currency = "CNY" }, &error), >, 0);
  g_assert_cmpint (tsy_account_add (f->store, &(TsyAccountSpec) { .number = "778866", .org_code = "G",
                   .bank_code = "B", .currency = "JPY" }, &error), >, 0);
}

static void
fixture_teardown (Fixture      *f,
                  gconstpointer data)
{
  g_clear_object (&f->store);
}

static gboolean
import (Fixture             *f,
        const char          *csv,
        TsyBookImportResult *result,
        GError             **error)
{
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data (csv, -1, NULL);

  return tsy_book_import_stream (f->store, in, "book.csv", result, NULL, error);
}

static guint
n_entries (Fixture *f)
{
  sqlite3_stmt *stmt = tsy_store_prepare (f->store, "SELECT count(*) FROM book_entry", NULL);
  guint n;

  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = (guint) sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

typedef struct
{
  guint   n;
  gint64  sum;
  GString *memos;
} Seen;

static gboolean
collect (const TsyBookRow *row,
         gpointer          data)
{
  Seen *s = data;

  s->n++;
  s->sum += row->amount_minor;
  g_string_append_printf (s->memos, "%s|", row->memo ? row->memo : "");
  return TRUE;
}

static void
test_import (Fixture      *f,
             gconstpointer data)
{
  /* BOM, CRLF, columns in another order, an unknown column, quotes with commas, quotes and a
   * line break, grouping in a quoted amount, a blank line */
  const char *csv =
    "\xef\xbb\xbfmemo,id,account,date,amount,extra,currency,counterparty,counterparty_account,reference\r\n"
    "\"货款, 三月\",J1,6222001,2026-03-02,\"1,234.50\",x,CNY,上海华东电子材料有限公司,,INV-2026-004512\r\n"
    "\"他说\"\"好\"\"\nsecond line\",J2,6222001,2026-03-05,-5000,x,,深圳供电局,4000020009200011111,\r\n"
    "\r\n"
    ",J3,778866,2026-03-05,120000,x,JPY,ACME,,\r\n";
  TsyBookImportResult r = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) memos = g_string_new (NULL);
  Seen seen = { 0, 0, memos };
  gint64 balance = 0;

  g_assert_true (import (f, csv, &r, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (r.rows, ==, 3);
  g_assert_cmpuint (r.new_entries, ==, 3);
  g_assert_true (tsy_book_foreach (f->store, "6222001", 0, 0, collect, &seen, &error));
  g_assert_cmpuint (seen.n, ==, 2);
  g_assert_cmpint (seen.sum, ==, 123450 - 500000);
  g_assert_cmpstr (memos->str, ==, "货款, 三月|他说\"好\"\nsecond line|");

  /* a re-import adds nothing and changes nothing */
  memset (&r, 0, sizeof r);
  g_assert_true (import (f, csv, &r, &error));
  g_assert_cmpuint (r.new_entries, ==, 0);
  g_assert_cmpuint (r.present_entries, ==, 3);
  g_assert_cmpuint (n_entries (f), ==, 3);

  {
    g_autoptr(TsyAccountInfo) a = tsy_account_lookup (f->store, "6222001", &error);
    g_assert_true (tsy_book_balance (f->store, a->id, tsy_date_from_ymd (2026, 3, 3), &balance, &error));
    g_assert_cmpint (balance, ==, 123450);
  }
}

static void
check_refused (Fixture    *f,
               const char *csv,
               const char *needle)
{
  g_autoptr(GError) error = NULL;
  guint before = n_entries (f);

  g_assert_false (import (f, csv, NULL, &error));
  g_assert_nonnull (error);
  if (strstr (error->message, needle) == NULL)
    g_error ("“%s” lacks “%s”", error->message, needle);
  g_assert_cmpuint (n_entries (f), ==, before);
}

static void
test_refused (Fixture      *f,
              gconstpointer data)
{
  const char *head = "id,account,date,amount,currency,counterparty,counterparty_account,reference,memo\n";
  g_autofree char *bad_amount = g_strconcat (head, "A1,6222001,2026-03-01,10.00,,,,,\n",
                                             "A2,6222001,2026-03-01,12.345,,,,,\n", NULL);
  g_autofree char *bad_date = g_strconcat (head, "A1,6222001,2026-02-30,1,,,,,\n", NULL);
  g_autofree char *bad_account = g_strconcat (head, "A1,999,2026-03-01,1,,,,,\n", NULL);
  g_autofree char *bad_currency = g_strconcat (head, "A1,6222001,2026-03-01,1,USD,,,,\n", NULL);
  g_autofree char *twice = g_strconcat (head, "A1,6222001,2026-03-01,1,,,,,\n", "A1,6222001,2026-03-01,1,,,,,\n", NULL);
  g_autofree char *no_id = g_strconcat (head, ",6222001,2026-03-01,1,,,,,\n", NULL);
  g_autofree char *short_row = g_strconcat (head, "A1,6222001\n", NULL);
  g_autofree char *quote = g_strconcat (head, "A1,6222001,2026-03-01,1,,\"open,,,\n", NULL);
  g_autofree char *jpy = g_strconcat (head, "A1,778866,2026-03-01,1.5,,,,,\n", NULL);
  g_autofree char *good = g_strconcat (head, "K1,6222001,2026-03-01,1.00,,,,,\n", NULL);
  g_autofree char *other = g_strconcat (head, "K1,6222001,2026-03-01,2.00,,,,,\n", NULL);

  check_refused (f, "", "empty");
  check_refused (f, "id,account,date\n", "amount");
  check_refused (f, bad_amount, "row 3");
  check_refused (f, bad_date, "row 2");
  check_refused (f, bad_account, "999");
  check_refused (f, bad_currency, "USD");
  check_refused (f, twice, "twice");
  check_refused (f, no_id, "id");
  check_refused (f, short_row, "fewer columns");
  check_refused (f, quote, "quoted");
  check_refused (f, jpy, "row 2");
  {
    g_autoptr(GError) error = NULL;
    g_assert_true (import (f, good, NULL, &error));
  }
  /* a known id with another amount */
  check_refused (f, other, "K1");
}

static void
test_opening (Fixture      *f,
              gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyAccountInfo) a = tsy_account_lookup (f->store, "6222001", &error);
  const char *csv = "id,account,date,amount\nO1,6222001,2026-03-01,100.00\nO2,6222001,2026-03-10,-30.00\n";
  gint64 amount = 0, balance = 0;
  TsyDate date = 0;

  g_assert_false (tsy_book_get_opening (f->store, a->id, &amount, &date, &error));
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (tsy_book_set_opening (f->store, "6222001", 500000, tsy_date_from_ymd (2026, 3, 1), "t", &error));
  g_assert_true (import (f, csv, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (tsy_book_get_opening (f->store, a->id, &amount, &date, &error));
  g_assert_cmpint (amount, ==, 500000);
  g_assert_true (tsy_book_balance (f->store, a->id, tsy_date_from_ymd (2026, 3, 9), &balance, &error));
  g_assert_cmpint (balance, ==, 510000);
  g_assert_true (tsy_book_balance (f->store, a->id, tsy_date_from_ymd (2026, 3, 31), &balance, &error));
  g_assert_cmpint (balance, ==, 507000);
  /* entries before the opening: refused either way */
  check_refused (f, "id,account,date,amount\nO3,6222001,2026-02-28,1\n", "opening");
  g_assert_false (tsy_book_set_opening (f->store, "6222001", 0, tsy_date_from_ymd (2026, 3, 2), "t", &error));
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID);
  g_clear_error (&error);
  /* a payment made in the application becomes an entry; the same again is recognised */
  {
    TsyBookEntrySpec spec = { .ext_id = "PAY-1", .account = "6222001", .date = tsy_date_from_ymd (2026, 3, 12),
                              .amount_minor = -12345, .reference = "E2E000000001", .source = "payment" };
    gboolean is_new = FALSE;
    gint64 id = tsy_book_add_entry (f->store, &spec, &is_new, &error);
    g_assert_cmpint (id, >, 0);
    g_assert_true (is_new);
    g_assert_cmpint (tsy_book_add_entry (f->store, &spec, &is_new, &error), ==, id);
    g_assert_false (is_new);
    spec.amount_minor = -1;
    g_assert_cmpint (tsy_book_add_entry (f->store, &spec, &is_new, &error), ==, 0);
    g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DUPLICATE);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/ledger/book/import", Fixture, NULL, fixture_setup, test_import, fixture_teardown);
  g_test_add ("/ledger/book/refused", Fixture, NULL, fixture_setup, test_refused, fixture_teardown);
  g_test_add ("/ledger/book/opening", Fixture, NULL, fixture_setup, test_opening, fixture_teardown);
  return g_test_run ();
}
