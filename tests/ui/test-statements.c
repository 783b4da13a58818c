/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Statements page on a demo database with a month of statements: the
 * lines and their count, the text, amount and account filters against the
 * ledger's own counts, sorting by a column header in SQL, a line's detail
 * with its raw source, and importing a file (and a bad one) through the page;
 * a CSV file that names no account imported into the account chosen in a dialog. */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "banks/formats/tsy-statement-writer.h"
#include "banks/tsy-demo-statements.h"
#include "ledger/tsy-account.h"
#include "ledger/tsy-demo.h"
#include "ledger/tsy-line-model.h"
#include "ledger/tsy-statement-lines.h"
#include "ledger/tsy-store.h"
#include "ui/tsy-import-target-dialog.h"
#include "ui/tsy-line-detail.h"
#include "ui/tsy-money-format.h"
#include "ui/tsy-statements-page-private.h"
#include "ui/tsy-ui.h"
#include "ui/tsy-window.h"

#include "tsy-test-ui.h"

#define TIMEOUT_SECONDS 60

typedef struct
{
  char              *dir;
  char              *path;
  TsyWindow         *window;
  TsyStatementsPage *page;
  GListModel        *rows;   /* the column view's selection model */
} Fixture;

static gboolean
lines_loaded (gpointer data)
{
  Fixture *f = data;

  return !tsy_statements_page_get_loading (f->page) &&
         tsy_statements_page_get_store (f->page) != NULL;
}

static gboolean
import_done (gpointer data)
{
  Fixture *f = data;

  return !tsy_statements_page_get_importing (f->page) &&
         !tsy_statements_page_get_loading (f->page);
}

static TsyStore *
open_store (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  TsyStore *store = tsy_store_open_existing (f->path, &error);

  g_assert_no_error (error);
  return store;
}

static guint64
count_lines (Fixture             *f,
             const TsyLineFilter *filter)
{
  g_autoptr(TsyStore) store = open_store (f);
  g_autoptr(GError) error = NULL;
  guint64 n = 0;

  g_assert_true (tsy_lines_count (store, filter, &n, &error));
  g_assert_no_error (error);
  return n;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyStore) store = NULL;
  g_autofree char *statements = NULL;
  guint n_files = 0, n_lines = 0;

  f->dir = g_dir_make_tmp ("tsy-ui-statements-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "demo.db", NULL);
  statements = g_build_filename (f->dir, "statements", NULL);
  store = tsy_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_true (tsy_demo_fill (store, TSY_DATE_NONE, &error));
  g_assert_no_error (error);
  g_assert_true (tsy_demo_statements_generate (store, statements, &n_files, &n_lines, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_files, >, 0);
  g_assert_cmpuint (n_lines, >, 0);
  g_clear_object (&store);

  f->window = tsy_window_new (NULL, f->path);
  gtk_window_present (GTK_WINDOW (f->window));
  tsy_test_ui_wait_until (tsy_test_ui_window_has_store, f->window, TIMEOUT_SECONDS,
                          "the database to open");
  f->page = tsy_window_get_statements_page (f->window);
  g_assert_nonnull (f->page);
  tsy_test_ui_show_page (GTK_WIDGET (f->page));
  tsy_test_ui_wait_until (lines_loaded, f, TIMEOUT_SECONDS, "the lines to load");
  f->rows = G_LIST_MODEL (gtk_column_view_get_model (tsy_statements_page_get_column_view (f->page)));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  tsy_test_ui_remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* The loaded item at @position (the model fills it in on its worker thread). */
static TsyLineItem *
loaded_item (Fixture *f,
             guint    position)
{
  TsyLineItem *item = g_list_model_get_item (f->rows, position);
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_SECONDS * G_USEC_PER_SEC;

  g_assert_true (TSY_IS_LINE_ITEM (item));
  while (!tsy_line_item_get_loaded (item))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out waiting for line %u", position);
      g_main_context_iteration (NULL, TRUE);
    }
  return item;
}

static GtkColumnViewColumn *
column_titled (Fixture    *f,
               const char *title)
{
  GListModel *columns = gtk_column_view_get_columns (tsy_statements_page_get_column_view (f->page));

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      if (g_strcmp0 (gtk_column_view_column_get_title (column), title) == 0)
        return column;   /* the view keeps it */
    }
  g_error ("no column %s", title);
  return NULL;
}

static void
set_search (Fixture    *f,
            const char *text)
{
  GtkSearchEntry *entry = tsy_statements_page_get_search_entry (f->page);

  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  g_signal_emit_by_name (entry, "search-changed");
  tsy_test_ui_wait_until (lines_loaded, f, TIMEOUT_SECONDS, "the search");
}

typedef struct
{
  char   *counterparty;
  gint64  min;
  gint64  max;
  guint   n;
} Scan;

static gboolean
scan_line (const TsyLineRow *row,
           gpointer          user_data)
{
  Scan *scan = user_data;

  if (scan->counterparty == NULL && row->counterparty != NULL && row->counterparty[0] != '\0')
    scan->counterparty = g_strdup (row->counterparty);
  if (scan->n == 0 || row->amount_minor < scan->min)
    scan->min = row->amount_minor;
  if (scan->n == 0 || row->amount_minor > scan->max)
    scan->max = row->amount_minor;
  scan->n++;
  return TRUE;
}

static void
scan_lines (Fixture             *f,
            const TsyLineFilter *filter,
            Scan                *scan)
{
  g_autoptr(TsyStore) store = open_store (f);
  g_autoptr(GError) error = NULL;

  memset (scan, 0, sizeof *scan);
  g_assert_true (tsy_lines_foreach (store, filter, scan_line, scan, &error));
  g_assert_no_error (error);
}

/* Every line, the count in the status bar, and the detail of a selected line. */
static void
test_lines (Fixture       *f,
            gconstpointer  data)
{
  guint64 total = count_lines (f, NULL);
  g_autofree char *count = tsy_count_format (total);
  g_autoptr(TsyLineItem) first = NULL;
  TsyLineDetail *detail = tsy_statements_page_get_detail (f->page);
  g_autofree char *raw = NULL;

  g_assert_cmpuint (total, >, 256);   /* more than one page of the model */
  g_assert_cmpuint (g_list_model_get_n_items (f->rows), ==, total);
  g_assert_nonnull (strstr (gtk_label_get_text (tsy_statements_page_get_count_label (f->page)), count));

  /* Newest first by default. */
  first = loaded_item (f, 0);
  {
    g_autoptr(TsyLineItem) last = loaded_item (f, (guint) total - 1);
    g_autofree char *first_date = NULL;
    g_autofree char *last_date = NULL;

    g_object_get (first, "booking-date", &first_date, NULL);
    g_object_get (last, "booking-date", &last_date, NULL);
    g_assert_cmpstr (first_date, >=, last_date);
  }

  /* Selecting a line shows all of it, with its raw source. */
  g_assert_null (tsy_line_detail_get_item (detail));
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (f->rows), 0);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (tsy_line_detail_get_item (detail) == first);
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_parent (GTK_WIDGET (detail))));
  raw = tsy_line_detail_dup_raw_text (detail);
  g_assert_nonnull (tsy_line_item_get_raw (first));
  g_assert_cmpstr (raw, !=, "");
  g_assert_cmpstr (raw, ==, tsy_line_item_get_raw (first));

  /* Closing the detail unselects. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "statements.close-detail", NULL));
  g_assert_null (tsy_line_detail_get_item (detail));
  g_assert_cmpuint (gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (f->rows)), ==,
                    GTK_INVALID_LIST_POSITION);
}

/* The text filter and sorting by the amount column, checked against the ledger. */
static void
test_filter_and_sort (Fixture       *f,
                      gconstpointer  data)
{
  guint64 total = count_lines (f, NULL);
  TsyLineFilter filter = { 0, };
  Scan all, found;
  guint64 expected;
  GtkColumnViewColumn *amount;
  GtkColumnView *view = tsy_statements_page_get_column_view (f->page);

  scan_lines (f, NULL, &all);
  g_assert_nonnull (all.counterparty);
  filter.text = all.counterparty;
  expected = count_lines (f, &filter);
  g_assert_cmpuint (expected, >, 0);
  g_assert_cmpuint (expected, <, total);
  scan_lines (f, &filter, &found);

  set_search (f, all.counterparty);
  g_assert_cmpuint (g_list_model_get_n_items (f->rows), ==, expected);

  /* Ascending amount: the first line is the smallest (the largest outflow). */
  amount = column_titled (f, "Amount");
  gtk_column_view_sort_by_column (view, amount, GTK_SORT_ASCENDING);
  g_assert_true (tsy_statements_page_get_loading (f->page));
  tsy_test_ui_wait_until (lines_loaded, f, TIMEOUT_SECONDS, "the sorted lines");
  g_assert_cmpuint (g_list_model_get_n_items (f->rows), ==, expected);
  {
    g_autoptr(TsyLineItem) item = loaded_item (f, 0);
    g_autoptr(TsyLineItem) next = loaded_item (f, 1);
    g_assert_cmpint (tsy_line_item_get_amount_minor (item), ==, found.min);
    g_assert_cmpint (tsy_line_item_get_amount_minor (item), <=,
                     tsy_line_item_get_amount_minor (next));
  }
  /* Clicking again: descending, the largest first. */
  gtk_column_view_sort_by_column (view, amount, GTK_SORT_DESCENDING);
  tsy_test_ui_wait_until (lines_loaded, f, TIMEOUT_SECONDS, "the lines sorted the other way");
  {
    g_autoptr(TsyLineItem) item = loaded_item (f, 0);
    g_assert_cmpint (tsy_line_item_get_amount_minor (item), ==, found.max);
  }

  /* Another column: the value dates ascend. */
  gtk_column_view_sort_by_column (view, column_titled (f, "Value Date"), GTK_SORT_ASCENDING);
  tsy_test_ui_wait_until (lines_loaded, f, TIMEOUT_SECONDS, "the lines by value date");
  {
    g_autoptr(TsyLineItem) a = loaded_item (f, 0);
    g_autoptr(TsyLineItem) b = loaded_item (f, (guint) expected - 1);
    g_autofree char *da = NULL;
    g_autofree char *db = NULL;

    g_object_get (a, "value-date", &da, NULL);
    g_object_get (b, "value-date", &db, NULL);
    g_assert_cmpstr (da, <=, db);
  }

  set_search (f, "");
  g_assert_cmpuint (g_list_model_get_n_items (f->rows), ==, total);
  g_free (all.counterparty);
  g_free (found.counterparty);
}

/* Amounts are read into minor units by the ledger's parser; text that is no amount is marked
 * and changes nothing. The account drop-down narrows to one account. */
static void
test_amount_and_account (Fixture       *f,
                         gconstpointer  data)
{
  guint64 total = count_lines (f, NULL);
  GtkEditable *min_entry = tsy_statements_page_get_min_entry (f->page);
  GtkEditable *max_entry = tsy_statements_page_get_max_entry (f->page);
  GtkDropDown *accounts = tsy_statements_page_get_account_dropdown (f->page);
  TsyLineFilter filter = { 0, };
  guint64 expected;
  g_autoptr(GPtrArray) list = NULL;

  /* |amount| >= 100,000.00 CNY (the demo's accounts all have two decimals). */
  filter.has_min = TRUE;
  filter.min_minor = 10000000;
  expected = count_lines (f, &filter);
  g_assert_cmpuint (expected, >, 0);
  g_assert_cmpuint (expected, <, total);
  gtk_editable_set_text (min_entry, "100,000.00");
  tsy_test_ui_wait_until (lines_loaded, f, TIMEOUT_SECONDS, "the amount filter");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (min_entry), "error"));
  g_assert_cmpuint (g_list_model_get_n_items (f->rows), ==, expected);

  /* Not an amount: marked, and the list stays. */
  gtk_editable_set_text (max_entry, "12.3.4");
  tsy_test_ui_wait_until (lines_loaded, f, TIMEOUT_SECONDS, "nothing");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (max_entry), "error"));
  g_assert_cmpuint (g_list_model_get_n_items (f->rows), ==, expected);
  /* More decimals than the currency has: refused, never rounded. */
  gtk_editable_set_text (max_entry, "1.005");
  tsy_test_ui_wait_until (lines_loaded, f, TIMEOUT_SECONDS, "nothing");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (max_entry), "error"));
  g_assert_cmpuint (g_list_model_get_n_items (f->rows), ==, expected);

  /* A range. */
  filter.has_max = TRUE;
  filter.max_minor = 50000000;
  expected = count_lines (f, &filter);
  gtk_editable_set_text (max_entry, "500000");
  tsy_test_ui_wait_until (lines_loaded, f, TIMEOUT_SECONDS, "the amount range");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (max_entry), "error"));
  g_assert_cmpuint (g_list_model_get_n_items (f->rows), ==, expected);

  gtk_editable_set_text (min_entry, "");
  gtk_editable_set_text (max_entry, "");
  tsy_test_ui_wait_until (lines_loaded, f, TIMEOUT_SECONDS, "no amount filter");
  g_assert_cmpuint (g_list_model_get_n_items (f->rows), ==, total);

  /* The drop-down lists "All accounts" and then every account. */
  {
    g_autoptr(TsyStore) store = open_store (f);
    g_autoptr(GError) error = NULL;

    list = tsy_account_list (store, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (accounts)), ==,
                    list->len + 1);
  for (guint i = 0; i < list->len; i++)
    {
      TsyAccountInfo *info = g_ptr_array_index (list, i);

      memset (&filter, 0, sizeof filter);
      filter.account = info->number;
      expected = count_lines (f, &filter);
      if (expected == 0)
        continue;
      gtk_drop_down_set_selected (accounts, i + 1);
      tsy_test_ui_wait_until (lines_loaded, f, TIMEOUT_SECONDS, "the account filter");
      g_assert_cmpuint (g_list_model_get_n_items (f->rows), ==, expected);
      {
        g_autoptr(TsyLineItem) item = loaded_item (f, 0);
        g_autofree char *number = NULL;

        g_object_get (item, "account", &number, NULL);
        g_assert_cmpstr (number, ==, info->number);
      }
      break;
    }
  gtk_drop_down_set_selected (accounts, 0);
  tsy_test_ui_wait_until (lines_loaded, f, TIMEOUT_SECONDS, "all accounts");
  g_assert_cmpuint (g_list_model_get_n_items (f->rows), ==, total);
}

static void
pick_day (GtkCalendar *calendar,
          TsyDate      date)
{
  int y, m, d;
  g_autoptr(GDateTime) when = NULL;

  tsy_date_to_ymd (date, &y, &m, &d);
  when = g_date_time_new_local (y, m, d, 12, 0, 0);
  gtk_calendar_select_day (calendar, when);
}

/* The booking date range, chosen on the two calendars, against the ledger's counts. */
static void
test_dates (Fixture       *f,
            gconstpointer  data)
{
  guint64 total = count_lines (f, NULL);
  TsyLineFilter filter = { 0, };
  g_autoptr(TsyLineItem) newest = loaded_item (f, 0);
  g_autofree char *newest_text = NULL;
  TsyDate newest_date;
  guint64 expected;

  g_object_get (newest, "booking-date", &newest_text, NULL);
  g_assert_true (tsy_date_parse_iso (newest_text, &newest_date, NULL));

  /* From a week before the newest line. */
  filter.from = tsy_date_add_days (newest_date, -7);
  expected = count_lines (f, &filter);
  g_assert_cmpuint (expected, >, 0);
  g_assert_cmpuint (expected, <, total);
  pick_day (tsy_statements_page_get_from_calendar (f->page), filter.from);
  tsy_test_ui_wait_until (lines_loaded, f, TIMEOUT_SECONDS, "the lines from a date");
  g_assert_cmpuint (g_list_model_get_n_items (f->rows), ==, expected);

  /* … up to three days before it. */
  filter.to = tsy_date_add_days (newest_date, -3);
  expected = count_lines (f, &filter);
  g_assert_cmpuint (expected, >, 0);
  pick_day (tsy_statements_page_get_to_calendar (f->page), filter.to);
  tsy_test_ui_wait_until (lines_loaded, f, TIMEOUT_SECONDS, "the lines between two dates");
  g_assert_cmpuint (g_list_model_get_n_items (f->rows), ==, expected);
  {
    g_autoptr(TsyLineItem) item = loaded_item (f, 0);
    g_autofree char *date = NULL;
    g_autofree char *to = tsy_date_to_iso (filter.to);

    g_object_get (item, "booking-date", &date, NULL);
    g_assert_cmpstr (date, <=, to);
  }

  /* Cleared, both ends. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "statements.clear-from", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "statements.clear-to", NULL));
  tsy_test_ui_wait_until (lines_loaded, f, TIMEOUT_SECONDS, "all dates");
  g_assert_cmpuint (g_list_model_get_n_items (f->rows), ==, total);
}

/* Writes an MT940 file of @n_lines new lines for @account. */
static char *
write_statement (Fixture              *f,
                 const TsyAccountInfo *account,
                 guint                 n_lines)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "extra.sta", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE,
                                                     NULL, &error);
  g_autoptr(TsyStatementWriter) writer = NULL;
  const TsyStatementSink *sink = tsy_statement_writer_sink ();
  TsyStatementHeader header = { 0, };
  TsyDate day = tsy_date_today ();

  g_assert_no_error (error);
  writer = tsy_statement_writer_new (TSY_WRITER_MT940, G_OUTPUT_STREAM (out));
  header.account = account->number;
  header.currency = account->currency;
  header.statement_id = "UITEST0001";
  header.has_opening = TRUE;
  header.opening_minor = 1000000;
  header.opening_date = tsy_date_add_days (day, -1);
  header.has_closing = TRUE;
  header.closing_minor = 1000000;
  header.closing_date = day;
  header.from_date = header.to_date = day;
  for (guint i = 0; i < n_lines; i++)
    header.closing_minor += 12345 * (gint64) (i + 1);
  g_assert_true (sink->begin_statement (writer, &header, &error));
  for (guint i = 0; i < n_lines; i++)
    {
      TsyStatementEntry entry = { 0, };
      g_autofree char *ref = g_strdup_printf ("UIREF%04u", i);

      entry.booking_date = entry.value_date = day;
      entry.amount_minor = 12345 * (gint64) (i + 1);
      entry.bank_ref = ref;
      entry.counterparty_name = "UI TEST COUNTERPARTY";
      entry.text = "ui test import";
      g_assert_true (sink->entry (writer, &entry, &error));
    }
  g_assert_true (sink->end_statement (writer, &header, &error));
  g_assert_true (tsy_statement_writer_finish (writer, &error));
  g_assert_true (g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static void
import_paths (Fixture    *f,
              const char *path)
{
  g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  g_list_store_append (files, file);
  tsy_statements_page_import_files (f->page, G_LIST_MODEL (files));
  g_assert_true (tsy_statements_page_get_importing (f->page));
  tsy_test_ui_wait_until (import_done, f, TIMEOUT_SECONDS, "the import");
}

/* Drops @path on the page as a file manager would. */
static void
drop_path (Fixture    *f,
           const char *path)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (f->page));
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GtkDropTarget *target = NULL;
  GSList *files = g_slist_prepend (NULL, file);
  GValue value = G_VALUE_INIT;
  gboolean accepted = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && target == NULL; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);
      if (GTK_IS_DROP_TARGET (controller))
        target = GTK_DROP_TARGET (controller);
    }
  g_assert_nonnull (target);
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (files));
  g_slist_free (files);
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  g_value_unset (&value);
  g_assert_true (accepted);
  g_assert_true (tsy_statements_page_get_importing (f->page));
  tsy_test_ui_wait_until (import_done, f, TIMEOUT_SECONDS, "the dropped file's import");
}

static void
test_import (Fixture       *f,
             gconstpointer  data)
{
  guint64 total = count_lines (f, NULL);
  g_autoptr(GPtrArray) accounts = NULL;
  const TsyAccountInfo *account = NULL;
  g_autofree char *good = NULL;
  g_autofree char *bad = g_build_filename (f->dir, "broken.sta", NULL);
  const char *message;
  gboolean is_error = TRUE;

  {
    g_autoptr(TsyStore) store = open_store (f);
    g_autoptr(GError) error = NULL;

    accounts = tsy_account_list (store, &error);
    g_assert_no_error (error);
  }
  for (guint i = 0; i < accounts->len && account == NULL; i++)
    {
      const TsyAccountInfo *info = g_ptr_array_index (accounts, i);
      if (g_strcmp0 (info->currency, "CNY") == 0)
        account = info;
    }
  g_assert_nonnull (account);

  /* Three new lines appear, and the summary names the file and the counts. */
  good = write_statement (f, account, 3);
  import_paths (f, good);
  message = tsy_statements_page_get_last_message (f->page, &is_error);
  g_assert_false (is_error);
  g_assert_nonnull (strstr (message, "extra.sta"));
  g_assert_nonnull (strstr (message, "MT940"));
  g_assert_nonnull (strstr (message, "3 new lines"));
  g_assert_cmpuint (count_lines (f, NULL), ==, total + 3);
  g_assert_cmpuint (g_list_model_get_n_items (f->rows), ==, total + 3);

  /* The same file again adds nothing. */
  import_paths (f, good);
  message = tsy_statements_page_get_last_message (f->page, &is_error);
  g_assert_false (is_error);
  g_assert_nonnull (strstr (message, "0 new lines"));
  g_assert_nonnull (strstr (message, "3 already present"));
  g_assert_cmpuint (g_list_model_get_n_items (f->rows), ==, total + 3);

  /* A broken file, dropped on the page: an error naming it, and no line. */
  g_assert_true (g_file_set_contents (bad, ":20:BROKEN\n:25:NOWHERE\n:61:garbage\n", -1, NULL));
  drop_path (f, bad);
  message = tsy_statements_page_get_last_message (f->page, &is_error);
  g_assert_true (is_error);
  g_assert_nonnull (strstr (message, "broken.sta"));
  g_assert_cmpuint (count_lines (f, NULL), ==, total + 3);
  g_assert_cmpuint (g_list_model_get_n_items (f->rows), ==, total + 3);
}

/* Cancelling leaves nothing of the file: the import is one transaction. */
static void
test_cancel_import (Fixture       *f,
                    gconstpointer  data)
{
  guint64 total = count_lines (f, NULL);
  g_autoptr(GPtrArray) accounts = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);
  g_autoptr(GFile) file = NULL;
  const char *message;
  gboolean is_error = TRUE;

  {
    g_autoptr(TsyStore) store = open_store (f);
    g_autoptr(GError) error = NULL;

    accounts = tsy_account_list (store, &error);
    g_assert_no_error (error);
  }
  path = write_statement (f, g_ptr_array_index (accounts, 0), 20000);
  file = g_file_new_for_path (path);
  g_list_store_append (files, file);
  tsy_statements_page_import_files (f->page, G_LIST_MODEL (files));
  g_assert_true (tsy_statements_page_get_importing (f->page));
  tsy_statements_page_cancel_import (f->page);
  tsy_test_ui_wait_until (import_done, f, TIMEOUT_SECONDS, "the cancelled import");

  message = tsy_statements_page_get_last_message (f->page, &is_error);
  g_assert_false (is_error);
  g_assert_nonnull (strstr (message, "cancelled"));
  g_assert_cmpuint (count_lines (f, NULL), ==, total);
  g_assert_cmpuint (g_list_model_get_n_items (f->rows), ==, total);
}

static gboolean
import_asked (gpointer data)
{
  Fixture *f = data;

  return import_done (f) && tsy_statements_page_get_target_dialog (f->page) != NULL;
}

static gboolean
import_answered (gpointer data)
{
  Fixture *f = data;

  return import_done (f) && tsy_statements_page_get_target_dialog (f->page) == NULL;
}

/* Answers the account dialog as a click on @response does, and closes it. */
static void
answer_dialog (Fixture    *f,
               const char *response)
{
  g_autoptr(GtkWindow) dialog = g_object_ref (tsy_statements_page_get_target_dialog (f->page));

  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
  gtk_window_destroy (dialog);
  tsy_test_ui_wait_until (import_answered, f, TIMEOUT_SECONDS, "the answered dialog's import");
}

typedef struct
{
  guint   n;
  gint64  sum;
  gint64  credit;
  gint64  debit;
} UiLines;

static gboolean
collect_ui_line (const TsyLineRow *row,
                 gpointer          user_data)
{
  UiLines *lines = user_data;

  if (!g_str_has_prefix (row->bank_ref, "UIACC"))
    return TRUE;
  g_assert_cmpstr (row->currency, ==, "CNY");
  lines->n++;
  lines->sum += row->amount_minor;
  if (row->amount_minor > 0)
    lines->credit = row->amount_minor;
  else
    lines->debit = row->amount_minor;
  return TRUE;
}

static UiLines
ui_lines (Fixture    *f,
          const char *account)
{
  g_autoptr(TsyStore) store = open_store (f);
  g_autoptr(GError) error = NULL;
  TsyLineFilter filter = { 0, };
  UiLines lines = { 0, };

  filter.account = account;
  g_assert_true (tsy_lines_foreach (store, &filter, collect_ui_line, &lines, &error));
  g_assert_no_error (error);
  return lines;
}

/* A CSV export that names no account (as many Chinese banks' do) is refused, and the page
 * asks which account it goes into: Cancel keeps nothing, the account chosen gets its lines.
 * "Import into account…" asks the same before the files. */
static void
test_import_into_account (Fixture       *f,
                          gconstpointer  data)
{
  guint64 total = count_lines (f, NULL);
  g_autoptr(GPtrArray) accounts = NULL;
  const TsyAccountInfo *account = NULL;
  g_autofree char *path = g_build_filename (f->dir, "noacct.csv", NULL);
  g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  TsyImportTargetDialog *dialog;
  g_autofree char *name = NULL;
  const char *message;
  gboolean is_error = FALSE;
  guint64 before;
  UiLines lines;

  {
    g_autoptr(TsyStore) store = open_store (f);
    g_autoptr(GError) error = NULL;

    accounts = tsy_account_list (store, &error);
    g_assert_no_error (error);
  }
  for (guint i = accounts->len; i > 0 && account == NULL; i--)
    {
      const TsyAccountInfo *info = g_ptr_array_index (accounts, i - 1);
      if (g_strcmp0 (info->currency, "CNY") == 0)
        account = info;
    }
  g_assert_nonnull (account);
  before = count_lines (f, &(TsyLineFilter) { .account = account->number });
  g_assert_true (g_file_set_contents (path,
                                      "交易日期,交易流水号,摘要,借方金额,贷方金额\n"
                                      "2026-10-08,UIACC0001,货款,,1234.56\n"
                                      "2026-10-09,UIACC0002,手续费,12.30,\n", -1, NULL));
  g_list_store_append (files, file);

  /* Refused: the dialog names the file and the reason; Cancel stores nothing. */
  tsy_statements_page_import_files (f->page, G_LIST_MODEL (files));
  tsy_test_ui_wait_until (import_asked, f, TIMEOUT_SECONDS, "the account dialog");
  message = tsy_statements_page_get_last_message (f->page, &is_error);
  g_assert_true (is_error);
  g_assert_nonnull (strstr (message, "noacct.csv"));
  dialog = TSY_IMPORT_TARGET_DIALOG (tsy_statements_page_get_target_dialog (f->page));
  name = g_file_get_basename (tsy_import_target_dialog_get_file (dialog));
  g_assert_cmpstr (name, ==, "noacct.csv");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), message));
  g_assert_null (tsy_import_target_dialog_get_account (dialog));
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "import"));
  answer_dialog (f, "cancel");
  g_assert_cmpuint (count_lines (f, NULL), ==, total);
  g_assert_cmpuint (ui_lines (f, NULL).n, ==, 0);

  /* Again, into the account chosen: its two lines, with their amounts, and nothing else. */
  tsy_statements_page_import_files (f->page, G_LIST_MODEL (files));
  tsy_test_ui_wait_until (import_asked, f, TIMEOUT_SECONDS, "the account dialog again");
  dialog = TSY_IMPORT_TARGET_DIALOG (tsy_statements_page_get_target_dialog (f->page));
  g_assert_false (tsy_import_target_dialog_select_account (dialog, "NO-SUCH-ACCOUNT"));
  g_assert_true (tsy_import_target_dialog_select_account (dialog, account->number));
  g_assert_cmpstr (tsy_import_target_dialog_get_account (dialog), ==, account->number);
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "import"));
  answer_dialog (f, "import");
  message = tsy_statements_page_get_last_message (f->page, &is_error);
  g_assert_false (is_error);
  g_assert_nonnull (strstr (message, "noacct.csv"));
  g_assert_nonnull (strstr (message, "2 new lines"));
  g_assert_cmpuint (count_lines (f, NULL), ==, total + 2);
  g_assert_cmpuint (count_lines (f, &(TsyLineFilter) { .account = account->number }), ==,
                    before + 2);
  lines = ui_lines (f, account->number);
  g_assert_cmpuint (lines.n, ==, 2);
  g_assert_cmpint (lines.credit, ==, 123456);
  g_assert_cmpint (lines.debit, ==, -1230);
  g_assert_cmpint (lines.sum, ==, 122226);
  g_assert_cmpuint (ui_lines (f, NULL).n, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (f->rows), ==, total + 2);

  /* "Import into account…": the account first, then the files (not driven: a native chooser). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "statements.import-into", NULL));
  dialog = TSY_IMPORT_TARGET_DIALOG (tsy_statements_page_get_target_dialog (f->page));
  g_assert_nonnull (dialog);
  g_assert_null (tsy_import_target_dialog_get_file (dialog));
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "import"));
  g_assert_true (tsy_import_target_dialog_select_account (dialog, account->number));
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "import"));
  answer_dialog (f, "cancel");
  g_assert_cmpuint (count_lines (f, NULL), ==, total + 2);
}

/* A CSV layout the program does not recognise: the dialog takes a column profile (and the
 * account, as the file names none), and the file is read with it. */
static void
test_import_with_profile (Fixture       *f,
                          gconstpointer  data)
{
  guint64 total = count_lines (f, NULL);
  g_autoptr(GPtrArray) accounts = NULL;
  const TsyAccountInfo *account = NULL;
  g_autofree char *path = g_build_filename (f->dir, "layout.csv", NULL);
  g_autofree char *profile = g_build_filename (f->dir, "layout.ini", NULL);
  g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  TsyImportTargetDialog *dialog;
  const char *message;
  gboolean is_error = FALSE;
  UiLines lines;

  {
    g_autoptr(TsyStore) store = open_store (f);
    g_autoptr(GError) error = NULL;

    accounts = tsy_account_list (store, &error);
    g_assert_no_error (error);
  }
  for (guint i = 0; i < accounts->len && account == NULL; i++)
    {
      const TsyAccountInfo *info = g_ptr_array_index (accounts, i);
      if (g_strcmp0 (info->currency, "CNY") == 0)
        account = info;
    }
  g_assert_nonnull (account);
  g_assert_true (g_file_set_contents (path,
                                      "Datum;Betrag;Ref\n"
                                      "08.10.2026;500,00;UIACC0101\n"
                                      "09.10.2026;-20,05;UIACC0102\n", -1, NULL));
  g_assert_true (g_file_set_contents (profile,
                                      "[profile]\n"
                                      "delimiter=semicolon\n"
                                      "decimal=comma\n"
                                      "date_format=%d.%m.%Y\n"
                                      "[columns]\n"
                                      "booking_date=Datum\n"
                                      "amount=Betrag\n"
                                      "bank_ref=Ref\n", -1, NULL));
  g_list_store_append (files, file);

  tsy_statements_page_import_files (f->page, G_LIST_MODEL (files));
  tsy_test_ui_wait_until (import_asked, f, TIMEOUT_SECONDS, "the dialog for the unknown layout");
  message = tsy_statements_page_get_last_message (f->page, &is_error);
  g_assert_true (is_error);
  g_assert_nonnull (strstr (message, "layout.csv"));
  g_assert_cmpuint (count_lines (f, NULL), ==, total);
  dialog = TSY_IMPORT_TARGET_DIALOG (tsy_statements_page_get_target_dialog (f->page));
  /* The layout, not the account, was refused: the file may keep the account it names. */
  g_assert_null (tsy_import_target_dialog_get_account (dialog));
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "import"));
  g_assert_null (tsy_import_target_dialog_get_profile (dialog));
  tsy_import_target_dialog_set_profile (dialog, profile);
  g_assert_cmpstr (tsy_import_target_dialog_get_profile (dialog), ==, profile);
  g_assert_true (tsy_import_target_dialog_select_account (dialog, account->number));
  answer_dialog (f, "import");

  message = tsy_statements_page_get_last_message (f->page, &is_error);
  g_assert_false (is_error);
  g_assert_nonnull (strstr (message, "layout.csv"));
  g_assert_nonnull (strstr (message, "CSV"));
  g_assert_nonnull (strstr (message, "2 new lines"));
  g_assert_cmpuint (count_lines (f, NULL), ==, total + 2);
  lines = ui_lines (f, account->number);
  g_assert_cmpuint (lines.n, ==, 2);
  g_assert_cmpint (lines.credit, ==, 50000);
  g_assert_cmpint (lines.debit, ==, -2005);
  g_assert_cmpuint (ui_lines (f, NULL).n, ==, 2);
}

int
main (int    argc,
      char **argv)
{
  tsy_test_ui_private_home ();

  if (!tsy_test_ui_init (&argc, &argv, "window"))
    return 77;

  g_test_add ("/ui/statements/lines", Fixture, NULL, fixture_setup, test_lines,
              fixture_teardown);
  g_test_add ("/ui/statements/filter-and-sort", Fixture, NULL, fixture_setup,
              test_filter_and_sort, fixture_teardown);
  g_test_add ("/ui/statements/amount-and-account", Fixture, NULL, fixture_setup,
              test_amount_and_account, fixture_teardown);
  g_test_add ("/ui/statements/dates", Fixture, NULL, fixture_setup, test_dates,
              fixture_teardown);
  g_test_add ("/ui/statements/import", Fixture, NULL, fixture_setup, test_import,
              fixture_teardown);
  g_test_add ("/ui/statements/cancel-import", Fixture, NULL, fixture_setup,
              test_cancel_import, fixture_teardown);
  g_test_add ("/ui/statements/import-into-account", Fixture, NULL, fixture_setup,
              test_import_into_account, fixture_teardown);
  g_test_add ("/ui/statements/import-with-profile", Fixture, NULL, fixture_setup,
              test_import_with_profile, fixture_teardown);

  return g_test_run ();
}
