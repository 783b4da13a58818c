/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "ledger/tsy-account.h"
#include "ledger/tsy-bank.h"
#include "ledger/tsy-line-model.h"
#include "ledger/tsy-org.h"
#include "ledger/tsy-statement-import.h"

#define N_LINES 20000

static char *dir;
static char *path;

static void
fill (TsyStore *store)
{
  g_autoptr(GError) error = NULL;
  TsyImport *imp;
  TsyStatementHeader h = { .format = "test", .account = "111" };
  const TsyStatementSink *sink = tsy_import_sink ();

  g_assert_cmpint (tsy_org_add (store, "G", "G", NULL, &error), >, 0);
  g_assert_cmpint (tsy_bank_add (store, "B", "B", NULL, NULL, NULL, &error), >, 0);
  g_assert_cmpint (tsy_account_add (store, &(TsyAccountSpec) { .number = "111", .org_code = "G",
                   .bank_code = "B", .currency = "CNY" }, &error), >, 0);
  imp = tsy_import_begin (store, "gen", NULL, &error);
  g_assert_true (sink->begin_statement (imp, &h, &error));
  for (guint i = 0; i < N_LINES; i++)
    {
      char ref[16], text[32];
      TsyStatementEntry e = { 0 };
      g_snprintf (ref, sizeof ref, "R%06u", i);
      g_snprintf (text, sizeof text, i % 1000 == 7 ? "needle %u" : "hay %u", i);
      e.booking_date = tsy_date_from_ymd (2026, 1, 1) + i / 100;
      e.amount_minor = (i % 2 ? 1 : -1) * (gint64) (i + 1);
      e.bank_ref = ref;
      e.text = text;
      e.raw = text;
      g_assert_true (sink->entry (imp, &e, &error));
    }
  g_assert_true (sink->end_statement (imp, &h, &error));
  g_assert_true (tsy_import_commit (imp, NULL, &error));
  g_assert_no_error (error);
}

static void
wait_loaded (TsyLineModel *model)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (tsy_line_model_get_loading (model))
    {
      g_main_context_iteration (NULL, FALSE);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
}

static TsyLineItem *
item_loaded (TsyLineModel *model, guint position)
{
  TsyLineItem *item = g_list_model_get_item (G_LIST_MODEL (model), position);
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  g_assert_nonnull (item);
  while (!tsy_line_item_get_loaded (item))
    {
      g_main_context_iteration (NULL, FALSE);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
  return item;
}

static void
on_items_changed (GListModel *model, guint position, guint removed, guint added, gpointer data)
{
  guint *count = data;

  g_assert_cmpuint (position, ==, 0);
  (*count)++;
}

static void
test_paging_and_sorting (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyStore) store = tsy_store_open (path, &error);
  g_autoptr(TsyLineModel) model = NULL;
  g_autoptr(TsyLineItem) first = NULL;
  g_autoptr(TsyLineItem) last = NULL;
  g_autoptr(TsyLineItem) placeholder = NULL;
  g_autofree char *date = NULL;
  guint changes = 0;

  model = tsy_line_model_new (store);
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), &changes);
  tsy_line_model_reload (model);
  g_assert_true (tsy_line_model_get_loading (model));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  wait_loaded (model);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_LINES);

  /* an item far down is a placeholder first, then filled in on the main thread */
  placeholder = g_list_model_get_item (G_LIST_MODEL (model), 15000);
  g_assert_false (tsy_line_item_get_loaded (placeholder));
  g_clear_object (&placeholder);

  /* newest first by default */
  first = item_loaded (model, 0);
  g_object_get (first, "booking-date", &date, NULL);
  g_assert_cmpstr (date, ==, "2026-07-19");   /* day 199 after 2026-01-01 */
  g_assert_cmpstr (tsy_line_item_get_currency (first), ==, "CNY");
  last = item_loaded (model, N_LINES - 1);
  g_clear_pointer (&date, g_free);
  g_object_get (last, "booking-date", &date, NULL);
  g_assert_cmpstr (date, ==, "2026-01-01");
  g_clear_object (&first);
  g_clear_object (&last);

  /* sorting by amount happens in SQL */
  tsy_line_model_set_sort (model, TSY_LINE_SORT_AMOUNT, FALSE);
  wait_loaded (model);
  first = item_loaded (model, 0);
  g_assert_cmpint (tsy_line_item_get_amount_minor (first), ==, -(N_LINES - 1));
  last = item_loaded (model, N_LINES - 1);
  g_assert_cmpint (tsy_line_item_get_amount_minor (last), ==, N_LINES);
}

static void
test_filter (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyStore) store = tsy_store_open (path, &error);
  g_autoptr(TsyLineModel) model = tsy_line_model_new (store);
  TsyLineFilter f = { .text = "needle", .account = "111" };
  g_autoptr(TsyLineItem) item = NULL;
  g_autofree char *text = NULL;

  tsy_line_model_set_filter (model, &f);
  wait_loaded (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_LINES / 1000);
  item = item_loaded (model, 0);
  g_object_get (item, "text", &text, NULL);
  g_assert_true (g_str_has_prefix (text, "needle"));
  g_clear_object (&item);

  f.text = NULL;
  f.has_min = TRUE;
  f.min_minor = N_LINES - 9;
  tsy_line_model_set_filter (model, &f);
  wait_loaded (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 10);

  f.from = f.to = tsy_date_from_ymd (2026, 1, 2);
  f.has_min = FALSE;
  tsy_line_model_set_filter (model, &f);
  wait_loaded (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 100);
}

static void
on_error (TsyLineModel *model, GError *error, gpointer data)
{
  *(gboolean *) data = TRUE;
}

static void
test_unknown_account_reports_error (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyStore) store = tsy_store_open (path, &error);
  g_autoptr(TsyLineModel) model = tsy_line_model_new (store);
  TsyLineFilter f = { .account = "nope" };
  gboolean failed = FALSE;

  g_signal_connect (model, "error", G_CALLBACK (on_error), &failed);
  tsy_line_model_set_filter (model, &f);
  wait_loaded (model);
  g_assert_true (failed);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  TsyStore *store;
  int status;

  g_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("tsy-lines-XXXXXX", NULL);
  path = g_build_filename (dir, "t.db", NULL);
  store = tsy_store_open (path, &error);
  g_assert_no_error (error);
  fill (store);
  g_object_unref (store);

  g_test_add_func ("/ledger/line-model/paging-and-sorting", test_paging_and_sorting);
  g_test_add_func ("/ledger/line-model/filter", test_filter);
  g_test_add_func ("/ledger/line-model/error", test_unknown_account_reports_error);
  status = g_test_run ();

  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);
    g_unlink (path);
    g_unlink (wal);
    g_unlink (shm);
    g_rmdir (dir);
  }
  return status;
}
