/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Reconciliation page on a demo database with a month of statements and its book,
 * reconciled: the counts of matched and open rows against the ledger's, the unmatched-only
 * filter, linking of a match's items, accepting a suggestion, a manual match of a known pair
 * (after unmatching it) with its running difference, and the 余额调节表 against the ledger's. */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "banks/tsy-demo-statements.h"
#include "ledger/export/tsy-recon-xlsx.h"
#include "ledger/tsy-account.h"
#include "ledger/tsy-book.h"
#include "ledger/tsy-demo-book.h"
#include "ledger/tsy-demo.h"
#include "ledger/tsy-recon-model.h"
#include "ledger/tsy-recon-statement.h"
#include "ledger/tsy-reconcile.h"
#include "ledger/tsy-store.h"
#include "ui/tsy-money-format.h"
#include "ui/tsy-reconciliation-page-private.h"
#include "ui/tsy-ui.h"
#include "ui/tsy-window.h"

#include "tsy-test-ui.h"

#define TIMEOUT_SECONDS 60

typedef struct
{
  char                  *dir;
  char                  *path;
  char                  *account;     /* an account with a suggestion */
  TsyStore              *store;       /* the test's own connection, to ask the ledger */
  TsyWindow             *window;
  TsyReconciliationPage *page;
} Fixture;

static gboolean
page_idle (gpointer data)
{
  Fixture *f = data;
  TsyReconView *view = tsy_reconciliation_page_get_view (f->page);

  return !tsy_reconciliation_page_get_busy (f->page) && view != NULL &&
         g_strcmp0 (tsy_recon_view_get_account (view), f->account) == 0;
}

typedef struct
{
  char   *account;
  TsyDate date;
  gint64  amount;
  char   *counterparty;
} OpenLine;

static gboolean
first_open_line (const TsyReconItemRow *row,
                 gpointer               user_data)
{
  OpenLine *l = user_data;

  if (l->account == NULL && row->counterparty != NULL && row->counterparty[0] != '\0' &&
      row->amount_minor != 0)
    {
      l->account = g_strdup (row->account);
      l->date = row->date;
      l->amount = row->amount_minor;
      l->counterparty = g_strdup (row->counterparty);
    }
  return TRUE;
}

/* Two book entries equally good for an open bank line (same amount, day and counterparty):
 * a run cannot decide and suggests both. */
static void
make_suggestion (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  OpenLine l = { 0 };

  g_assert_true (tsy_recon_foreach_unmatched (f->store, NULL, TSY_RECON_SIDE_BANK, first_open_line, &l, &error));
  g_assert_no_error (error);
  g_assert_nonnull (l.account);
  for (int i = 0; i < 2; i++)
    {
      TsyBookEntrySpec spec = { 0 };

      spec.ext_id = i == 0 ? "UI-TEST-A" : "UI-TEST-B";
      spec.account = l.account;
      spec.date = l.date;
      spec.amount_minor = l.amount;
      spec.counterparty = l.counterparty;
      spec.memo = "ui test";
      g_assert_cmpint (tsy_book_add_entry (f->store, &spec, NULL, &error), >, 0);
      g_assert_no_error (error);
    }
  g_assert_true (tsy_reconcile (f->store, l.account, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  f->account = l.account;
  g_free (l.counterparty);
}

static void
select_account (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = tsy_account_list (f->store, &error);
  guint index = G_MAXUINT;

  g_assert_no_error (error);
  for (guint i = 0; i < accounts->len; i++)
    if (g_strcmp0 (((TsyAccountInfo *) g_ptr_array_index (accounts, i))->number, f->account) == 0)
      index = i;
  g_assert_cmpuint (index, !=, G_MAXUINT);
  {
    GtkDropDown *dropdown = tsy_reconciliation_page_get_account_dropdown (f->page);
    gint64 deadline = g_get_monotonic_time () + TIMEOUT_SECONDS * G_USEC_PER_SEC;

    /* the account list loads on a worker */
    while (g_list_model_get_n_items (gtk_drop_down_get_model (dropdown)) != accounts->len)
      {
        if (g_get_monotonic_time () > deadline)
          g_error ("timed out waiting for the account list");
        g_main_context_iteration (NULL, TRUE);
      }
    gtk_drop_down_set_selected (dropdown, index);
  }
  tsy_test_ui_wait_until (page_idle, f, TIMEOUT_SECONDS, "the account's view to load");
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *statements = NULL;

  f->dir = g_dir_make_tmp ("tsy-ui-recon-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "demo.db", NULL);
  statements = g_build_filename (f->dir, "statements", NULL);
  f->store = tsy_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_true (tsy_demo_fill (f->store, TSY_DATE_NONE, &error));
  g_assert_true (tsy_demo_statements_generate (f->store, statements, NULL, NULL, &error));
  g_assert_no_error (error);
  /* the book of every account, reconciled (as `treasury demo` leaves it) */
  g_assert_true (tsy_demo_book_fill (f->store, &error));
  g_assert_no_error (error);
  make_suggestion (f);

  f->window = tsy_window_new (NULL, f->path);
  gtk_window_present (GTK_WINDOW (f->window));
  tsy_test_ui_wait_until (tsy_test_ui_window_has_store, f->window, TIMEOUT_SECONDS,
                          "the database to open");
  f->page = tsy_window_get_reconciliation_page (f->window);
  g_assert_nonnull (f->page);
  tsy_test_ui_show_page (GTK_WIDGET (f->page));
  select_account (f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->store);
  tsy_test_ui_remove_tree (f->dir);
  g_free (f->account);
  g_free (f->path);
  g_free (f->dir);
}

/* ---- the ledger's figures ---- */

typedef struct
{
  guint  matched_bank;
  guint  matched_book;
  gint64 single_match;      /* a match of one bank line and one book entry */
  char  *single_bank_ref;
  char  *single_book_id;
} MatchCount;

static gboolean
count_match (const TsyReconMatchRow *row,
             gpointer                user_data)
{
  MatchCount *c = user_data;

  c->matched_bank += row->n_bank;
  c->matched_book += row->n_book;
  if (c->single_match == 0 && row->n_bank == 1 && row->n_book == 1 && row->charge_minor == 0)
    {
      c->single_match = row->id;
      c->single_bank_ref = g_strdup (row->bank_refs[0]);
      c->single_book_id = g_strdup (row->book_ids[0]);
    }
  return TRUE;
}

static gboolean
count_item (const TsyReconItemRow *row,
            gpointer               user_data)
{
  (*(guint *) user_data)++;
  return TRUE;
}

static guint
count_state (GListModel *model,
             gboolean    matched)
{
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(TsyReconItem) item = g_list_model_get_item (model, i);
      if ((tsy_recon_item_get_state (item) == TSY_RECON_ITEM_MATCHED) == matched)
        n++;
    }
  return n;
}

static GListModel *
rows_of (GtkColumnView *view)
{
  return G_LIST_MODEL (gtk_column_view_get_model (view));
}

static void
test_counts (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  MatchCount c = { 0 };
  guint open_bank = 0, open_book = 0;
  GListModel *bank = rows_of (tsy_reconciliation_page_get_bank_view (f->page));
  GListModel *book = rows_of (tsy_reconciliation_page_get_book_view (f->page));

  g_assert_true (tsy_recon_foreach_match (f->store, f->account, count_match, &c, &error));
  g_assert_true (tsy_recon_foreach_unmatched (f->store, f->account, TSY_RECON_SIDE_BANK, count_item, &open_bank, &error));
  g_assert_true (tsy_recon_foreach_unmatched (f->store, f->account, TSY_RECON_SIDE_BOOK, count_item, &open_book, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (c.matched_bank, >, 0);
  g_assert_cmpuint (open_bank + open_book, >, 0);

  g_assert_cmpuint (count_state (bank, TRUE), ==, c.matched_bank);
  g_assert_cmpuint (count_state (book, TRUE), ==, c.matched_book);
  g_assert_cmpuint (count_state (bank, FALSE), ==, open_bank);
  g_assert_cmpuint (count_state (book, FALSE), ==, open_book);

  /* unmatched only */
  gtk_check_button_set_active (tsy_reconciliation_page_get_unmatched_check (f->page), TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (bank), ==, open_bank);
  g_assert_cmpuint (g_list_model_get_n_items (book), ==, open_book);
  gtk_check_button_set_active (tsy_reconciliation_page_get_unmatched_check (f->page), FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (bank), ==, open_bank + c.matched_bank);

  /* selecting a matched bank line selects its book entries */
  {
    guint n = g_list_model_get_n_items (bank);
    gboolean done = FALSE;

    for (guint i = 0; i < n && !done; i++)
      {
        g_autoptr(TsyReconItem) item = g_list_model_get_item (bank, i);
        gint64 match_id = tsy_recon_item_get_match_id (item);
        guint linked = 0, expected = 0;

        if (match_id == 0)
          continue;
        gtk_selection_model_select_item (GTK_SELECTION_MODEL (bank), i, TRUE);
        for (guint j = 0; j < g_list_model_get_n_items (book); j++)
          {
            g_autoptr(TsyReconItem) other = g_list_model_get_item (book, j);
            if (tsy_recon_item_get_match_id (other) == match_id)
              {
                expected++;
                if (gtk_selection_model_is_selected (GTK_SELECTION_MODEL (book), j))
                  linked++;
              }
          }
        g_assert_cmpuint (expected, >, 0);
        g_assert_cmpuint (linked, ==, expected);
        /* a matched selection can be unmatched, not matched again */
        g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (tsy_reconciliation_page_get_match_button (f->page))));
        done = TRUE;
      }
    g_assert_true (done);
  }
  g_free (c.single_bank_ref);
  g_free (c.single_book_id);
}

typedef struct
{
  const char *bank_ref;
  gint64      found;
  int         status;
} FindMatch;

static gboolean
find_match (const TsyReconMatchRow *row,
            gpointer                user_data)
{
  FindMatch *m = user_data;

  for (guint i = 0; i < row->n_bank; i++)
    if (g_strcmp0 (row->bank_refs[i], m->bank_ref) == 0)
      {
        m->found = row->id;
        m->status = row->status;
      }
  return TRUE;
}

static void
test_accept_suggestion (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TsyReconView *view = tsy_reconciliation_page_get_view (f->page);
  GListModel *suggestions = tsy_recon_view_get_suggestions (view);
  g_autoptr(TsyReconGroup) group = NULL;
  g_autofree char *bank_ref = NULL;
  FindMatch m = { 0 };

  /* the Reconcile button runs the engine again: the same suggestions, a toast with the counts */
  {
    g_autofree char *two = tsy_count_format (g_list_model_get_n_items (suggestions));
    const char *message;
    gboolean is_error = TRUE;

    g_signal_emit_by_name (tsy_reconciliation_page_get_reconcile_button (f->page), "clicked");
    g_assert_true (tsy_reconciliation_page_get_busy (f->page));
    tsy_test_ui_wait_until (page_idle, f, TIMEOUT_SECONDS, "the reconciliation run");
    message = tsy_reconciliation_page_get_last_message (f->page, &is_error);
    g_assert_nonnull (message);
    g_assert_false (is_error);
    g_assert_nonnull (strstr (message, two));
    view = tsy_reconciliation_page_get_view (f->page);
    suggestions = tsy_recon_view_get_suggestions (view);
  }
  g_assert_cmpuint (g_list_model_get_n_items (suggestions), >, 0);
  group = g_list_model_get_item (suggestions, 0);
  g_assert_nonnull (tsy_recon_group_get_bank_refs (group));
  bank_ref = g_strdup (tsy_recon_group_get_bank_refs (group)[0]);
  m.bank_ref = bank_ref;
  g_assert_true (tsy_recon_foreach_match (f->store, f->account, find_match, &m, &error));
  g_assert_cmpint (m.found, ==, 0);

  tsy_reconciliation_page_accept_suggestion (f->page, 0);
  g_assert_true (tsy_reconciliation_page_get_busy (f->page));
  tsy_test_ui_wait_until (page_idle, f, TIMEOUT_SECONDS, "the suggestion to be accepted");
  g_assert_cmpstr (tsy_reconciliation_page_get_last_message (f->page, NULL), !=, NULL);

  g_assert_true (tsy_recon_foreach_match (f->store, f->account, find_match, &m, &error));
  g_assert_no_error (error);
  g_assert_cmpint (m.found, >, 0);
  g_assert_cmpint (m.status, ==, TSY_RECON_STATUS_CONFIRMED);
}

static guint
position_of (GListModel *model,
             const char *ref)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(TsyReconItem) item = g_list_model_get_item (model, i);
      if (g_strcmp0 (tsy_recon_item_get_ref (item), ref) == 0)
        return i;
    }
  g_error ("%s is not on the page", ref);
  return G_MAXUINT;
}

static void
test_manual_match (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  MatchCount c = { 0 };
  FindMatch m = { 0 };
  GListModel *bank = rows_of (tsy_reconciliation_page_get_bank_view (f->page));
  GListModel *book = rows_of (tsy_reconciliation_page_get_book_view (f->page));
  GtkWidget *match = GTK_WIDGET (tsy_reconciliation_page_get_match_button (f->page));

  /* a known pair, taken apart in the ledger */
  g_assert_true (tsy_recon_foreach_match (f->store, f->account, count_match, &c, &error));
  g_assert_cmpint (c.single_match, >, 0);
  g_assert_true (tsy_recon_unmatch (f->store, f->account, c.single_bank_ref, "test", &error));
  g_assert_no_error (error);
  tsy_reconciliation_page_reload (f->page);
  tsy_test_ui_wait_until (page_idle, f, TIMEOUT_SECONDS, "the view to reload");

  /* one side only: no match; both sides of equal sums: match */
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (bank), position_of (bank, c.single_bank_ref), TRUE);
  g_assert_false (gtk_widget_get_sensitive (match));
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (book), position_of (book, c.single_book_id), TRUE);
  g_assert_true (gtk_widget_get_sensitive (match));
  {
    g_autofree char *zero = tsy_money_format (0, tsy_recon_view_get_currency (tsy_reconciliation_page_get_view (f->page)),
                                              TSY_MONEY_FORMAT_CODE);
    g_assert_nonnull (strstr (gtk_label_get_text (tsy_reconciliation_page_get_difference_label (f->page)), zero));
  }
  /* a third, unrelated open item breaks the balance */
  for (guint i = 0; i < g_list_model_get_n_items (book); i++)
    {
      g_autoptr(TsyReconItem) item = g_list_model_get_item (book, i);
      if (tsy_recon_item_get_state (item) != TSY_RECON_ITEM_MATCHED && tsy_recon_item_get_amount_minor (item) != 0 &&
          g_strcmp0 (tsy_recon_item_get_ref (item), c.single_book_id) != 0)
        {
          gtk_selection_model_select_item (GTK_SELECTION_MODEL (book), i, FALSE);
          g_assert_false (gtk_widget_get_sensitive (match));
          gtk_selection_model_unselect_item (GTK_SELECTION_MODEL (book), i);
          break;
        }
    }
  g_assert_true (gtk_widget_get_sensitive (match));
  g_signal_emit_by_name (match, "clicked");
  g_assert_true (tsy_reconciliation_page_get_busy (f->page));
  tsy_test_ui_wait_until (page_idle, f, TIMEOUT_SECONDS, "the manual match");
  {
    gboolean is_error = TRUE;
    const char *message = tsy_reconciliation_page_get_last_message (f->page, &is_error);

    g_assert_nonnull (message);
    if (is_error)
      g_error ("the manual match failed: %s", message);
  }

  m.bank_ref = c.single_bank_ref;
  g_assert_true (tsy_recon_foreach_match (f->store, f->account, find_match, &m, &error));
  g_assert_no_error (error);
  g_assert_cmpint (m.found, >, 0);
  g_assert_cmpint (m.status, ==, TSY_RECON_STATUS_MANUAL);
  g_assert_cmpuint (count_state (bank, TRUE), ==, c.matched_bank);
  g_free (c.single_bank_ref);
  g_free (c.single_book_id);
}

static gboolean
statement_built (gpointer data)
{
  Fixture *f = data;

  return tsy_reconciliation_page_get_statement (f->page) != NULL;
}

static void
test_statement (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TsyDate today = tsy_date_today ();
  g_autoptr(TsyReconStatement) expected = tsy_recon_statement_build (f->store, f->account, today, &error);
  GtkWindow *window;
  const TsyReconStatement *shown;

  g_assert_no_error (error);
  window = tsy_reconciliation_page_open_statement (f->page, today);
  g_assert_nonnull (window);
  tsy_test_ui_wait_until (statement_built, f, TIMEOUT_SECONDS, "the balance reconciliation statement");
  shown = tsy_reconciliation_page_get_statement (f->page);
  g_assert_cmpint (shown->balanced, ==, expected->balanced);
  g_assert_true (shown->balanced);
  g_assert_cmpint (shown->adjusted_bank_balance, ==, expected->adjusted_bank_balance);
  g_assert_cmpint (shown->adjusted_book_balance, ==, expected->adjusted_book_balance);
  g_assert_cmpuint (shown->bank_debits_not_in_book->len, ==, expected->bank_debits_not_in_book->len);

  /* the export writes what is shown */
  {
    g_autofree char *xlsx = g_build_filename (f->dir, "statement.xlsx", NULL);
    g_assert_true (tsy_recon_xlsx_write (shown, xlsx, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_test (xlsx, G_FILE_TEST_IS_REGULAR));
  }
  gtk_window_destroy (window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (tsy_reconciliation_page_get_statement (f->page));
}

int
main (int    argc,
      char **argv)
{
  tsy_test_ui_private_home ();

  if (!tsy_test_ui_init (&argc, &argv, "window"))
    return 77;

  g_test_add ("/ui/reconciliation/counts", Fixture, NULL, fixture_setup, test_counts, fixture_teardown);
  g_test_add ("/ui/reconciliation/accept-suggestion", Fixture, NULL, fixture_setup,
              test_accept_suggestion, fixture_teardown);
  g_test_add ("/ui/reconciliation/manual-match", Fixture, NULL, fixture_setup, test_manual_match,
              fixture_teardown);
  g_test_add ("/ui/reconciliation/statement", Fixture, NULL, fixture_setup, test_statement,
              fixture_teardown);
  return g_test_run ();
}
