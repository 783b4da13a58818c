/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "ledger/tsy-account.h"
#include "ledger/tsy-bank.h"
#include "ledger/tsy-ledger-error.h"
#include "ledger/tsy-org.h"
#include "ledger/tsy-store-private.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->dir = g_dir_make_tmp ("tsy-store-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
  f->path = g_build_filename (f->dir, "t.db", NULL);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);

  g_unlink (f->path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static int
user_version (const char *path)
{
  sqlite3 *db;
  sqlite3_stmt *st;
  int v;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &st, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (st), ==, SQLITE_ROW);
  v = sqlite3_column_int (st, 0);
  sqlite3_finalize (st);
  sqlite3_close (db);
  return v;
}

static void
test_open_creates_and_migrates (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  TsyStore *store;

  store = tsy_store_open_existing (f->path, &error);
  g_assert_null (store);
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_NOT_FOUND);
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  store = tsy_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_object_unref (store);
  g_assert_cmpint (user_version (f->path), ==, tsy_store_schema_version ());
  g_assert_cmpint (tsy_store_schema_version (), >=, 2);
}

static void
test_upgrade_from_v1 (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  sqlite3 *db;
  TsyStore *store;
  gint64 minor = 0;
  TsyDate date = 0;

  /* Build a database of schema version 1 as the first release wrote it, with data. */
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_true (tsy_store_migrate_to (db, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_exec (db,
      "INSERT INTO org_unit (code, name) VALUES ('G', 'Group');"
      "INSERT INTO bank (code, name) VALUES ('B', 'Bank');"
      "INSERT INTO account (number, currency, org_id, bank_id) VALUES ('123', 'CNY', 1, 1);"
      "INSERT INTO balance (account_id, date, amount_minor) VALUES (1, '2026-01-31', 4200);",
      NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_cmpint (user_version (f->path), ==, 1);

  store = tsy_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (user_version (f->path), ==, tsy_store_schema_version ());

  accounts = tsy_account_list (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 1);
  g_assert_true (tsy_balance_get (store, ((TsyAccountInfo *) accounts->pdata[0])->id,
                                  tsy_date_from_ymd (2026, 2, 1), &minor, &date, &error));
  g_assert_cmpint (minor, ==, 4200);
  g_assert_cmpint (date, ==, tsy_date_from_ymd (2026, 1, 31));
  /* the v2 column exists and old rows got its default */
  g_assert_true (tsy_store_exec (store, "SELECT source FROM balance", &error));
  g_object_unref (store);
}

static void
test_newer_schema_refused (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *db;
  g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = %d", tsy_store_schema_version () + 1);

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_null (tsy_store_open (f->path, &error));
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_STORE);
}

static void
test_not_a_database (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (f->path, "this is not sqlite, just text of some length.......", -1, NULL));
  g_assert_null (tsy_store_open (f->path, &error));
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_STORE);
}

static void
test_nested_transactions (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyStore) store = tsy_store_open (f->path, &error);
  g_autoptr(GPtrArray) orgs = NULL;

  g_assert_no_error (error);
  /* an inner failure undoes the whole outer change */
  g_assert_true (tsy_store_begin (store, &error));
  g_assert_cmpint (tsy_org_add (store, "A", "Alpha", NULL, &error), >, 0);
  g_assert_cmpint (tsy_org_add (store, "B", "Beta", "NOPE", &error), ==, 0);
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (tsy_store_commit (store, &error));
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_STORE);
  g_clear_error (&error);
  orgs = tsy_org_list (store, &error);
  g_assert_cmpuint (orgs->len, ==, 0);
}

static void
test_org_bank_account_rules (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyStore) store = tsy_store_open (":memory:", &error);
  g_autoptr(TsyAccountInfo) info = NULL;
  TsyAccountSpec spec = { .number = "NL77 ABNA 0574 9087 65", .org_code = "G", .bank_code = "ABN",
                          .currency = "EUR", .type = TSY_ACCOUNT_TYPE_GENERAL };

  g_assert_no_error (error);
  g_assert_cmpint (tsy_org_add (store, "G", "集团", NULL, &error), >, 0);
  g_assert_cmpint (tsy_org_add (store, "G", "again", NULL, &error), ==, 0);
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DUPLICATE);
  g_clear_error (&error);
  g_assert_cmpint (tsy_org_add (store, "bad code", "x", NULL, &error), ==, 0);
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (tsy_bank_add (store, "ABN", "ABN AMRO", "abnanl2a", NULL, "NL", &error), >, 0);
  g_assert_cmpint (tsy_bank_add (store, "X", "X", "NOTABIC", NULL, NULL, &error), ==, 0);
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (tsy_bank_add (store, "Y", "Y", NULL, "12345", NULL, &error), ==, 0);
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_cmpint (tsy_account_add (store, &spec, &error), >, 0);
  g_assert_no_error (error);
  info = tsy_account_lookup (store, "nl77abna0574908765", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->number, ==, "NL77ABNA0574908765");
  g_assert_cmpstr (info->currency, ==, "EUR");

  g_assert_cmpint (tsy_account_add (store, &spec, &error), ==, 0);
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DUPLICATE);
  g_clear_error (&error);
  spec.number = "NL78ABNA0574908765";
  g_assert_cmpint (tsy_account_add (store, &spec, &error), ==, 0);
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID);
  g_clear_error (&error);
  spec.number = "6222021234";
  spec.currency = "EUX";
  g_assert_cmpint (tsy_account_add (store, &spec, &error), ==, 0);
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID);
  g_clear_error (&error);
  spec.currency = "USD";
  spec.pool_parent = "NL77ABNA0574908765";
  g_assert_cmpint (tsy_account_add (store, &spec, &error), ==, 0);
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_CURRENCY_MISMATCH);
  g_clear_error (&error);
  spec.org_code = "NOPE";
  spec.pool_parent = NULL;
  g_assert_cmpint (tsy_account_add (store, &spec, &error), ==, 0);
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_NOT_FOUND);
}

static void
test_audit_is_append_only (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyStore) store = tsy_store_open (":memory:", &error);

  g_assert_true (tsy_store_exec (store,
      "INSERT INTO audit_event (at, actor, action, subject, prev_hash, hash) "
      "VALUES ('2026-11-23T00:00:00Z', 'a', 'x', 's', '', 'h')", &error));
  g_assert_false (tsy_store_exec (store, "UPDATE audit_event SET actor = 'b'", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (tsy_store_exec (store, "DELETE FROM audit_event", &error));
  g_assert_nonnull (error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/ledger/store/open-creates-and-migrates", Fixture, NULL, fixture_setup,
              test_open_creates_and_migrates, fixture_teardown);
  g_test_add ("/ledger/store/upgrade-from-v1", Fixture, NULL, fixture_setup, test_upgrade_from_v1,
              fixture_teardown);
  g_test_add ("/ledger/store/newer-schema-refused", Fixture, NULL, fixture_setup,
              test_newer_schema_refused, fixture_teardown);
  g_test_add ("/ledger/store/not-a-database", Fixture, NULL, fixture_setup, test_not_a_database,
              fixture_teardown);
  g_test_add ("/ledger/store/nested-transactions", Fixture, NULL, fixture_setup,
              test_nested_transactions, fixture_teardown);
  g_test_add ("/ledger/store/org-bank-account-rules", Fixture, NULL, fixture_setup,
              test_org_bank_account_rules, fixture_teardown);
  g_test_add ("/ledger/store/audit-append-only", Fixture, NULL, fixture_setup,
              test_audit_is_append_only, fixture_teardown);
  return g_test_run ();
}
