/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Smoke test of the window on a demo database: it opens, finds the account
 * tree, shows the ledger's grand total, and the bank view gives the same. */
#include <adwaita.h>
#include <glib/gstdio.h>

#include "ledger/tsy-demo.h"
#include "ledger/tsy-org.h"
#include "ledger/tsy-rollup.h"
#include "ledger/tsy-store.h"
#include "ui/tsy-accounts-page-private.h"
#include "ui/tsy-money-format.h"
#include "ui/tsy-preferences-window.h"
#include "ui/tsy-ui.h"
#include "ui/tsy-welcome-page.h"
#include "ui/tsy-window.h"

#include "tsy-test-ui.h"

#define TIMEOUT_SECONDS 30

static gboolean
page_loaded (gpointer data)
{
  TsyWindow *window = data;
  TsyAccountsPage *page = tsy_window_get_accounts_page (window);

  return tsy_window_get_store (window) != NULL &&
         !tsy_accounts_page_get_loading (page) &&
         tsy_accounts_page_get_root (page) != NULL;
}

static char *
make_demo_database (char **out_dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyStore) store = NULL;
  char *dir = g_dir_make_tmp ("tsy-ui-XXXXXX", &error);
  char *path;

  g_assert_no_error (error);
  path = g_build_filename (dir, "demo.db", NULL);
  store = tsy_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (tsy_demo_fill (store, TSY_DATE_NONE, &error));
  g_assert_no_error (error);
  *out_dir = dir;
  return path;
}

static void
remove_database (char *dir,
                 char *path)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_remove (file);
    }
  g_rmdir (dir);
  g_free (path);
  g_free (dir);
}

/* The ledger's grand total, as the window must print it. */
static char *
expected_total (const char        *path,
                TsyRollupGrouping  by)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyStore) store = tsy_store_open_existing (path, &error);
  g_autoptr(TsyRollupNode) root = NULL;
  TsyRollupQuery query = { 0, };
  gint64 minor;

  g_assert_no_error (error);
  query.by = by;
  query.date = TSY_DATE_NONE;
  query.currency = "CNY";
  query.strict_fx = FALSE;
  root = tsy_rollup_build (store, &query, &error);
  g_assert_no_error (error);
  g_assert_true (tsy_rollup_node_get_converted (root, &minor));
  g_assert_cmpint (minor, !=, 0);
  return tsy_money_format (minor, "CNY", TSY_MONEY_FORMAT_CODE);
}

static char *
holding_name (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyStore) store = tsy_store_open_existing (path, &error);
  g_autoptr(GPtrArray) orgs = NULL;

  g_assert_no_error (error);
  orgs = tsy_org_list (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < orgs->len; i++)
    {
      TsyOrgInfo *org = g_ptr_array_index (orgs, i);
      if (org->parent_id == 0)
        return g_strdup (org->name);
    }
  g_assert_not_reached ();
  return NULL;
}

static TsyRollupNode *
row_node (GListModel *rows,
          guint       position,
          guint      *out_depth)
{
  g_autoptr(GtkTreeListRow) row = g_list_model_get_item (rows, position);

  g_assert_true (GTK_IS_TREE_LIST_ROW (row));
  if (out_depth != NULL)
    *out_depth = gtk_tree_list_row_get_depth (row);
  return gtk_tree_list_row_get_item (row);
}

static GtkWidget *
find_by_type (GtkWidget *widget,
              GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_type (child, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* At its default size (1280 × 800) the window shows the sidebar and the page side by side: no
 * page may be so wide at its minimum that the leaflet folds into its narrow (phone) mode. */
static void
test_not_folded (void)
{
  g_autofree char *dir = NULL;
  char *path = make_demo_database (&dir);
  TsyWindow *window = tsy_window_new (NULL, path);
  AdwLeaflet *leaflet;
  AdwViewStack *stack;
  GListModel *pages;

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  tsy_test_ui_wait_until (page_loaded, window, TIMEOUT_SECONDS, "the accounts to load");
  leaflet = ADW_LEAFLET (find_by_type (GTK_WIDGET (window), ADW_TYPE_LEAFLET));
  stack = ADW_VIEW_STACK (find_by_type (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK));
  g_assert_nonnull (leaflet);
  g_assert_nonnull (stack);
  pages = G_LIST_MODEL (adw_view_stack_get_pages (stack));
  for (guint i = 0; i < g_list_model_get_n_items (pages); i++)
    {
      g_autoptr(AdwViewStackPage) page = g_list_model_get_item (pages, i);
      int min = 0, nat = 0;

      gtk_widget_measure (adw_view_stack_page_get_child (page), GTK_ORIENTATION_HORIZONTAL, -1,
                          &min, &nat, NULL, NULL);
      /* the stack is as wide as its widest page: each must leave room for the sidebar */
      g_test_message ("page %s: minimum width %d", adw_view_stack_page_get_name (page), min);
      g_assert_cmpint (min, <=, 1280 - 240);
    }
  g_object_unref (pages);
  g_assert_false (adw_leaflet_get_folded (leaflet));
  gtk_window_destroy (GTK_WINDOW (window));
  g_free (path);
}

static void
test_accounts_tree (void)
{
  g_autofree char *dir = NULL;
  char *path = make_demo_database (&dir);
  g_autofree char *total_by_org = expected_total (path, TSY_ROLLUP_BY_ORG);
  g_autofree char *total_by_bank = expected_total (path, TSY_ROLLUP_BY_BANK);
  g_autofree char *holding = holding_name (path);
  TsyWindow *window;
  TsyAccountsPage *page;
  GListModel *rows;
  g_autoptr(TsyRollupNode) first = NULL;
  g_autoptr(GtkTreeListRow) first_row = NULL;
  guint n_rows, n_children, depth;

  window = tsy_window_new (NULL, path);
  gtk_window_present (GTK_WINDOW (window));
  tsy_test_ui_wait_until (page_loaded, window, TIMEOUT_SECONDS, "the accounts to load");

  page = tsy_window_get_accounts_page (window);
  g_assert_cmpstr (tsy_accounts_page_get_grouping (page), ==, "org");
  rows = G_LIST_MODEL (gtk_column_view_get_model (tsy_accounts_page_get_column_view (page)));
  n_rows = g_list_model_get_n_items (rows);
  g_assert_cmpuint (n_rows, >, 1);

  /* The first row is the holding company, expanded. */
  first = row_node (rows, 0, &depth);
  g_assert_cmpuint (depth, ==, 0);
  g_assert_cmpint (tsy_rollup_node_get_kind (first), ==, TSY_ROLLUP_NODE_ORG);
  g_assert_cmpstr (tsy_rollup_node_get_name (first), ==, holding);
  first_row = g_list_model_get_item (rows, 0);
  g_assert_true (gtk_tree_list_row_get_expanded (first_row));

  /* Collapsing hides its subtree; expanding shows exactly its accounts and units. */
  gtk_tree_list_row_set_expanded (first_row, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (rows), <, n_rows);
  gtk_tree_list_row_set_expanded (first_row, TRUE);
  n_children = g_list_model_get_n_items (tsy_rollup_node_get_items (first));
  g_assert_cmpuint (n_children, >, 0);
  g_assert_cmpuint (g_list_model_get_n_items (rows), >=, 1 + n_children);
  for (guint i = 1; i <= n_children; i++)
    {
      g_autoptr(TsyRollupNode) child = row_node (rows, i, &depth);
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (rows, i);
      g_autoptr(GtkTreeListRow) parent = gtk_tree_list_row_get_parent (row);

      g_assert_cmpuint (depth, ==, 1);
      g_assert_true (parent == first_row);
    }

  /* Sorting by the converted total orders siblings by the int64 amount. */
  {
    GtkColumnView *view = tsy_accounts_page_get_column_view (page);
    GListModel *columns = gtk_column_view_get_columns (view);
    GtkColumnViewColumn *converted = NULL;
    gint64 previous = G_MAXINT64;
    guint n_siblings = 0;

    for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
      {
        g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
        if (g_strcmp0 (gtk_column_view_column_get_title (column), "Total (CNY)") == 0)
          converted = column;
      }
    g_assert_nonnull (converted);
    gtk_column_view_sort_by_column (view, converted, GTK_SORT_DESCENDING);
    for (guint i = 1; i < g_list_model_get_n_items (rows); i++)
      {
        g_autoptr(TsyRollupNode) node = row_node (rows, i, &depth);
        gint64 minor;

        if (depth != 1)
          continue;
        g_object_get (node, "total-minor", &minor, NULL);
        g_assert_cmpint (minor, <=, previous);
        previous = minor;
        n_siblings++;
      }
    g_assert_cmpuint (n_siblings, ==, n_children);
    gtk_column_view_sort_by_column (view, NULL, GTK_SORT_ASCENDING);
  }

  /* The grand total is the ledger's, formatted by tsy-money-format. */
  g_assert_cmpstr (gtk_label_get_text (tsy_accounts_page_get_total_label (page)), ==,
                   total_by_org);
  g_assert_cmpstr (gtk_label_get_text (tsy_accounts_page_get_count_label (page)), !=, "");

  /* By bank: banks on top, the same grand total. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "accounts.grouping", "s", "bank"));
  g_assert_cmpstr (tsy_accounts_page_get_grouping (page), ==, "bank");
  g_assert_true (tsy_accounts_page_get_loading (page));
  tsy_test_ui_wait_until (page_loaded, window, TIMEOUT_SECONDS, "the bank view to load");
  rows = G_LIST_MODEL (gtk_column_view_get_model (tsy_accounts_page_get_column_view (page)));
  g_assert_cmpuint (g_list_model_get_n_items (rows), >, 1);
  {
    g_autoptr(TsyRollupNode) bank = row_node (rows, 0, &depth);
    g_assert_cmpint (tsy_rollup_node_get_kind (bank), ==, TSY_ROLLUP_NODE_BANK);
  }
  g_assert_cmpstr (total_by_bank, ==, total_by_org);
  g_assert_cmpstr (gtk_label_get_text (tsy_accounts_page_get_total_label (page)), ==,
                   total_by_bank);

  gtk_window_destroy (GTK_WINDOW (window));
  remove_database (g_steal_pointer (&dir), path);
}

static void
test_search (void)
{
  g_autofree char *dir = NULL;
  char *path = make_demo_database (&dir);
  TsyWindow *window = tsy_window_new (NULL, path);
  TsyAccountsPage *page;
  GtkColumnView *view;
  GListModel *rows;
  GtkWidget *entry;
  guint n_all, n_found;
  g_autoptr(TsyRollupNode) account = NULL;
  guint depth = 0;

  gtk_window_present (GTK_WINDOW (window));
  tsy_test_ui_wait_until (page_loaded, window, TIMEOUT_SECONDS, "the accounts to load");
  page = tsy_window_get_accounts_page (window);
  view = tsy_accounts_page_get_column_view (page);
  rows = G_LIST_MODEL (gtk_column_view_get_model (view));
  n_all = g_list_model_get_n_items (rows);

  /* Find an account row and search for its number. */
  for (guint i = 0; i < n_all && account == NULL; i++)
    {
      g_autoptr(TsyRollupNode) node = row_node (rows, i, &depth);
      if (tsy_rollup_node_get_kind (node) == TSY_ROLLUP_NODE_ACCOUNT)
        account = g_steal_pointer (&node);
    }
  g_assert_nonnull (account);

  entry = gtk_widget_get_first_child (GTK_WIDGET (page));   /* the toolbar */
  for (entry = gtk_widget_get_first_child (entry); entry != NULL;
       entry = gtk_widget_get_next_sibling (entry))
    if (GTK_IS_SEARCH_ENTRY (entry))
      break;
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), tsy_rollup_node_get_number (account));
  g_signal_emit_by_name (entry, "search-changed");
  while (g_main_context_iteration (NULL, FALSE))
    ;

  n_found = g_list_model_get_n_items (rows);
  g_assert_cmpuint (n_found, >, 0);
  g_assert_cmpuint (n_found, <, n_all);
  /* The match is there, under its parents. */
  {
    g_autoptr(TsyRollupNode) last = row_node (rows, n_found - 1, &depth);
    g_assert_true (last == account ||
                   g_strcmp0 (tsy_rollup_node_get_number (last),
                              tsy_rollup_node_get_number (account)) == 0);
  }

  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  g_signal_emit_by_name (entry, "search-changed");
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, n_all);

  gtk_window_destroy (GTK_WINDOW (window));
  remove_database (g_steal_pointer (&dir), path);
}

static gboolean
welcome_shown (gpointer data)
{
  TsyWindow *window = data;
  GtkWidget *w = GTK_WIDGET (window);

  /* The welcome page is the only TsyWelcomePage; look for it mapped. */
  while (w != NULL)
    {
      if (TSY_IS_WELCOME_PAGE (w))
        return gtk_widget_get_mapped (w);
      if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != NULL && gtk_widget_get_next_sibling (w) == NULL)
            w = gtk_widget_get_parent (w);
          if (w != NULL)
            w = gtk_widget_get_next_sibling (w);
        }
    }
  return FALSE;
}

static void
test_welcome_demo (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("tsy-ui-XXXXXX", &error);
  char *path = g_build_filename (dir, "sub", "new.db", NULL);
  g_autofree char *sub = g_path_get_dirname (path);
  TsyWindow *window;
  TsyAccountsPage *page;

  g_assert_no_error (error);
  window = tsy_window_new (NULL, path);
  gtk_window_present (GTK_WINDOW (window));
  tsy_test_ui_wait_until (welcome_shown, window, TIMEOUT_SECONDS, "the welcome page");
  g_assert_null (tsy_window_get_store (window));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* "Load the demo" creates the database there and shows it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.load-demo-here", NULL));
  tsy_test_ui_wait_until (page_loaded, window, TIMEOUT_SECONDS, "the demo to load");
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  page = tsy_window_get_accounts_page (window);
  g_assert_cmpuint (tsy_rollup_node_get_n_accounts_deep (tsy_accounts_page_get_root (page)), >, 0);
  g_assert_cmpstr (tsy_window_get_database_path (window), ==, path);

  gtk_window_destroy (GTK_WINDOW (window));
  /* The demo's month of statement files, written beside the database and imported. */
  {
    g_autofree char *statements = g_strconcat (path, ".statements", NULL);
    GDir *files = g_dir_open (statements, 0, &error);
    const char *name;
    guint n_files = 0;

    g_assert_no_error (error);
    while ((name = g_dir_read_name (files)) != NULL)
      {
        g_autofree char *file = g_build_filename (statements, name, NULL);
        g_assert_cmpint (g_remove (file), ==, 0);
        n_files++;
      }
    g_dir_close (files);
    g_assert_cmpuint (n_files, >, 0);
    g_assert_cmpint (g_rmdir (statements), ==, 0);
  }
  remove_database (g_strdup (sub), path);
  g_rmdir (dir);
  g_free (dir);
}

static gboolean
welcome_cannot_create (gpointer data)
{
  TsyWindow *window = data;
  GtkWidget *w = GTK_WIDGET (window);

  if (!welcome_shown (window))
    return FALSE;
  while (w != NULL && !TSY_IS_WELCOME_PAGE (w))
    {
      if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != NULL && gtk_widget_get_next_sibling (w) == NULL)
            w = gtk_widget_get_parent (w);
          if (w != NULL)
            w = gtk_widget_get_next_sibling (w);
        }
    }
  return w != NULL && !tsy_welcome_page_get_can_create (TSY_WELCOME_PAGE (w));
}

static void
test_unusable_file (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("tsy-ui-XXXXXX", &error);
  char *path = g_build_filename (dir, "notes.db", NULL);
  const char *content = "not a database\n";
  g_autofree char *after = NULL;
  TsyWindow *window;
  GListModel *toplevels;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, content, -1, &error));
  window = tsy_window_new (NULL, path);
  gtk_window_present (GTK_WINDOW (window));
  tsy_test_ui_wait_until (welcome_cannot_create, window, TIMEOUT_SECONDS,
                          "the welcome page without creation");
  g_assert_null (tsy_window_get_store (window));

  /* Nothing is created over the file. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.load-demo-here", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.create-database", NULL);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (g_file_get_contents (path, &after, NULL, &error));
  g_assert_cmpstr (after, ==, content);

  /* The error dialog asks what to do; close everything. */
  toplevels = gtk_window_get_toplevels ();
  g_assert_cmpuint (g_list_model_get_n_items (toplevels), >=, 2);
  while (g_list_model_get_n_items (toplevels) > 0)
    {
      g_autoptr(GtkWindow) top = g_list_model_get_item (toplevels, 0);
      gtk_window_destroy (top);
    }
  remove_database (dir, path);
}

static void
test_preferences (void)
{
  g_autoptr(GSettings) settings = tsy_ui_settings_new ();
  GtkWidget *preferences;
  g_autofree char *grouping = NULL;

  g_assert_nonnull (settings);
  g_settings_set_string (settings, "accounts-grouping", "org");
  preferences = tsy_preferences_window_new (NULL);
  gtk_window_present (GTK_WINDOW (preferences));
  while (g_main_context_iteration (NULL, FALSE))
    ;

  /* The window follows the settings both ways. */
  g_settings_set_string (settings, "accounts-grouping", "bank");
  while (g_main_context_iteration (NULL, FALSE))
    ;
  {
    GtkWidget *w = preferences;
    AdwComboRow *grouping_row = NULL;

    /* The second combo row is the grouping. */
    while (w != NULL && grouping_row == NULL)
      {
        if (ADW_IS_COMBO_ROW (w) &&
            g_list_model_get_n_items (adw_combo_row_get_model (ADW_COMBO_ROW (w))) == 2)
          grouping_row = ADW_COMBO_ROW (w);
        else if (gtk_widget_get_first_child (w) != NULL)
          w = gtk_widget_get_first_child (w);
        else
          {
            while (w != NULL && gtk_widget_get_next_sibling (w) == NULL)
              w = gtk_widget_get_parent (w);
            if (w != NULL)
              w = gtk_widget_get_next_sibling (w);
          }
      }
    g_assert_nonnull (grouping_row);
    g_assert_cmpuint (adw_combo_row_get_selected (grouping_row), ==, 1);
    adw_combo_row_set_selected (grouping_row, 0);
  }
  grouping = g_settings_get_string (settings, "accounts-grouping");
  g_assert_cmpstr (grouping, ==, "org");

  gtk_window_destroy (GTK_WINDOW (preferences));
}

int
main (int    argc,
      char **argv)
{
  tsy_test_ui_private_home ();

  if (!tsy_test_ui_init (&argc, &argv, "window"))
    return 77;

  g_test_add_func ("/ui/window/accounts-tree", test_accounts_tree);
  g_test_add_func ("/ui/window/search", test_search);
  g_test_add_func ("/ui/window/not-folded", test_not_folded);
  g_test_add_func ("/ui/window/welcome-demo", test_welcome_demo);
  g_test_add_func ("/ui/window/unusable-file", test_unusable_file);
  g_test_add_func ("/ui/preferences/follow-settings", test_preferences);

  return g_test_run ();
}
