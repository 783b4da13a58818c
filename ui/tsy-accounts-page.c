/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "ledger/tsy-money.h"
#include "tsy-accounts-columns-private.h"
#include "tsy-accounts-page-private.h"
#include "tsy-accounts-page.h"
#include "tsy-amount-label.h"
#include "tsy-money-format.h"
#include "tsy-ui.h"

/* Rows expanded when a tree is first shown: the holding and its companies,
 * or every bank; fewer when the tree is large. */
#define DEFAULT_EXPAND_DEPTH 2
#define DEFAULT_EXPAND_MAX_ROWS 250

struct _TsyAccountsPage
{
  GtkWidget            parent_instance;

  /* template */
  GtkLabel            *date_label;
  GtkPopover          *date_popover;
  GtkCalendar         *calendar;
  GtkDropDown         *currency_dropdown;
  GtkStringList       *currency_list;
  GtkSearchEntry      *search_entry;
  GtkStack            *content_stack;
  GtkSpinner          *big_spinner;
  GtkColumnView       *column_view;
  GtkSortListModel    *sort_model;
  GtkFilterListModel  *filter_model;
  GtkCustomFilter     *search_filter;
  GtkColumnViewColumn *name_column;
  GtkColumnViewColumn *bank_column;
  GtkColumnViewColumn *owner_column;
  GtkColumnViewColumn *converted_column;
  GtkLabel            *count_label;
  GtkLabel            *currency_totals_label;
  GtkWidget           *missing_rate_icon;
  GtkLabel            *total_caption_label;
  GtkLabel            *total_label;

  TsyStore            *store;
  GSettings           *settings;
  GCancellable        *cancellable;
  TsyRollupNode       *root;
  GtkTreeListModel    *tree;
  /* (element-type GtkColumnViewColumn): one balance column per currency */
  GPtrArray           *currency_columns;
  char                *grouping;      /* "org" or "bank" */
  char                *shown_grouping; /* grouping of @root */
  char                *currency;
  char                *search_text;   /* case-folded, NULL when not searching */
  TsyDate              date;          /* TSY_DATE_NONE: today */
  gboolean             loading;
  gboolean             updating_currency_list;
  gboolean             updating_calendar;
};

G_DEFINE_FINAL_TYPE (TsyAccountsPage, tsy_accounts_page, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_STORE,
  PROP_GROUPING,
  PROP_CURRENCY,
  PROP_DATE,
  PROP_LOADING,
  PROP_ROOT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Offered in the currency menu even when no account holds them. */
static const char * const usual_currencies[] = { "CNY", "USD", "HKD", "EUR" };

static gboolean
replace_string (char       **slot,
                const char  *value)
{
  if (g_strcmp0 (*slot, value) == 0)
    return FALSE;
  g_free (*slot);
  *slot = g_strdup (value);
  return TRUE;
}

static TsyDate
effective_date (TsyAccountsPage *self)
{
  return self->date != TSY_DATE_NONE ? self->date : tsy_date_today ();
}

static gboolean
is_group (TsyRollupNode *node)
{
  return tsy_accounts_node_is_group (node);
}

static void
set_loading (TsyAccountsPage *self,
             gboolean         loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  gtk_spinner_set_spinning (self->big_spinner, loading);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* Tree ------------------------------------------------------------------- */

static GListModel *
create_child_model (gpointer item,
                    gpointer user_data)
{
  TsyRollupNode *node = item;
  GListModel *items;

  if (!is_group (node))
    return NULL;
  items = tsy_rollup_node_get_items (node);
  if (items == NULL || g_list_model_get_n_items (items) == 0)
    return NULL;
  return tsy_accounts_node_rows (node);
}

static char *
node_key (TsyRollupNode *node)
{
  return g_strdup_printf ("%d:%s", (int) tsy_rollup_node_get_kind (node),
                          tsy_rollup_node_get_code (node));
}

/* Returns: (transfer full) (nullable): keys of the expanded rows */
static GHashTable *
collect_expanded (GtkTreeListModel *tree)
{
  GHashTable *expanded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (tree));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkTreeListRow) row = gtk_tree_list_model_get_row (tree, i);
      g_autoptr(TsyRollupNode) node = NULL;

      if (row == NULL || !gtk_tree_list_row_get_expanded (row))
        continue;
      node = gtk_tree_list_row_get_item (row);
      g_hash_table_add (expanded, node_key (node));
    }
  return expanded;
}

static void
expand_rows (GtkTreeListModel *tree,
             GHashTable       *expanded)
{
  /* Expanding inserts the children right after the row, so the loop visits them too. */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (tree)); i++)
    {
      g_autoptr(GtkTreeListRow) row = gtk_tree_list_model_get_row (tree, i);
      g_autoptr(TsyRollupNode) node = NULL;
      gboolean expand;

      if (row == NULL || !gtk_tree_list_row_is_expandable (row))
        continue;
      node = gtk_tree_list_row_get_item (row);
      if (expanded != NULL)
        {
          g_autofree char *key = node_key (node);
          expand = g_hash_table_contains (expanded, key);
        }
      else
        {
          expand = gtk_tree_list_row_get_depth (row) < DEFAULT_EXPAND_DEPTH &&
                   g_list_model_get_n_items (G_LIST_MODEL (tree)) < DEFAULT_EXPAND_MAX_ROWS;
        }
      if (expand)
        gtk_tree_list_row_set_expanded (row, TRUE);
    }
}

static void
rebuild_tree (TsyAccountsPage *self,
              GHashTable      *expanded)
{
  g_autoptr(GListModel) items = NULL;
  gboolean searching = self->search_text != NULL;

  if (self->root != NULL)
    items = tsy_accounts_node_rows (self->root);
  else
    items = G_LIST_MODEL (g_list_store_new (TSY_TYPE_ROLLUP_NODE));

  /* While searching everything is expanded, so that matches deep in the
   * tree show; the filter then hides what does not match. */
  g_clear_object (&self->tree);
  self->tree = gtk_tree_list_model_new (g_steal_pointer (&items), FALSE, searching,
                                        create_child_model, NULL, NULL);
  if (!searching)
    expand_rows (self->tree, expanded);
  gtk_sort_list_model_set_model (self->sort_model, G_LIST_MODEL (self->tree));
}

/* Search ----------------------------------------------------------------- */

/* A row stays when it, a descendant (the path to a match) or an ancestor
 * (the contents of a matching unit or bank) matches. */
static gboolean
filter_row (gpointer item,
            gpointer user_data)
{
  TsyAccountsPage *self = user_data;
  GtkTreeListRow *row = item;
  g_autoptr(TsyRollupNode) node = NULL;
  g_autoptr(GtkTreeListRow) parent = NULL;

  if (self->search_text == NULL)
    return TRUE;
  node = gtk_tree_list_row_get_item (row);
  if (tsy_accounts_node_matches_deep (node, self->search_text))
    return TRUE;
  parent = gtk_tree_list_row_get_parent (row);
  while (parent != NULL)
    {
      g_autoptr(TsyRollupNode) parent_node = gtk_tree_list_row_get_item (parent);
      GtkTreeListRow *next;

      if (tsy_accounts_node_matches (parent_node, self->search_text))
        return TRUE;
      next = gtk_tree_list_row_get_parent (parent);
      g_object_unref (parent);
      parent = next;
    }
  return FALSE;
}

/* Views ------------------------------------------------------------------ */

static void
update_content_stack (TsyAccountsPage *self)
{
  const char *name = "table";

  if (self->root == NULL)
    name = self->loading ? "loading" : "empty";
  else if (tsy_rollup_node_get_n_accounts_deep (self->root) == 0)
    name = "empty";
  else if (self->search_text != NULL &&
           g_list_model_get_n_items (G_LIST_MODEL (self->filter_model)) == 0)
    name = "no-results";
  gtk_stack_set_visible_child_name (self->content_stack, name);
}

static void
update_date_label (TsyAccountsPage *self)
{
  g_autofree char *iso = tsy_date_to_iso (effective_date (self));
  g_autofree char *text = NULL;

  /* Translators: %s is a date in the form YYYY-MM-DD; balances on or before it are shown. */
  text = g_strdup_printf (_("As of %s"), iso);
  gtk_label_set_text (self->date_label, text);
}

static void
update_converted_title (TsyAccountsPage *self)
{
  g_autofree char *title = NULL;

  /* Translators: column title; %s is the reporting currency code, e.g. "Total (CNY)". */
  title = g_strdup_printf (C_("column", "Total (%s)"), self->currency);
  gtk_column_view_column_set_title (self->converted_column, title);
}

static void
update_grouping_columns (TsyAccountsPage *self)
{
  gboolean by_bank = g_strcmp0 (self->shown_grouping, "bank") == 0;

  gtk_column_view_column_set_visible (self->bank_column, !by_bank);
  gtk_column_view_column_set_visible (self->owner_column, by_bank);
}

static void
update_summary (TsyAccountsPage *self)
{
  g_autoptr(GString) totals = g_string_new (NULL);
  g_autofree char *count = NULL;
  g_autofree char *count_text = NULL;
  g_autofree char *caption = NULL;
  const char * const *currencies;
  const char *report_currency;
  guint n_accounts;
  gint64 converted;
  gboolean has_converted;

  if (self->root == NULL)
    {
      gtk_label_set_text (self->count_label, "");
      gtk_label_set_text (self->currency_totals_label, "");
      gtk_label_set_text (self->total_caption_label, "");
      gtk_label_set_text (self->total_label, "");
      gtk_widget_set_visible (self->missing_rate_icon, FALSE);
      return;
    }

  n_accounts = tsy_rollup_node_get_n_accounts_deep (self->root);
  count = tsy_count_format (n_accounts);
  /* Translators: %s is a number (already formatted, e.g. "1,234"). */
  count_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s account", "%s accounts",
                                             n_accounts),
                                count);
  gtk_label_set_text (self->count_label, count_text);

  currencies = tsy_rollup_node_get_currencies (self->root);
  for (guint i = 0; currencies != NULL && currencies[i] != NULL; i++)
    {
      gint64 minor;

      if (!tsy_rollup_node_get_total (self->root, currencies[i], &minor))
        continue;
      {
        g_autofree char *text = tsy_money_format (minor, currencies[i], TSY_MONEY_FORMAT_CODE);
        if (totals->len > 0)
          g_string_append (totals, "    ");
        g_string_append (totals, text);
      }
    }
  gtk_label_set_text (self->currency_totals_label, totals->str);

  report_currency = tsy_rollup_node_get_report_currency (self->root);
  if (report_currency == NULL)
    report_currency = self->currency;
  /* Translators: %s is the reporting currency code: the caption of the grand total. */
  caption = g_strdup_printf (_("Total in %s"), report_currency);
  gtk_label_set_text (self->total_caption_label, caption);

  has_converted = tsy_rollup_node_get_converted (self->root, &converted);
  if (has_converted)
    {
      g_autofree char *text = tsy_money_format (converted, report_currency,
                                                TSY_MONEY_FORMAT_CODE);
      gtk_label_set_text (self->total_label, text);
    }
  else
    {
      gtk_label_set_text (self->total_label, "\xe2\x80\x94");
    }
  if (has_converted && converted < 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->total_label), "negative");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->total_label), "negative");
  gtk_widget_set_visible (self->missing_rate_icon, !has_converted && n_accounts > 0);
}

static gboolean
string_list_contains (GPtrArray  *codes,
                      const char *code)
{
  for (guint i = 0; i < codes->len; i++)
    if (g_strcmp0 (g_ptr_array_index (codes, i), code) == 0)
      return TRUE;
  return FALSE;
}

static void
update_currency_list (TsyAccountsPage *self)
{
  g_autoptr(GPtrArray) codes = g_ptr_array_new ();
  GListModel *model = G_LIST_MODEL (self->currency_list);
  guint n = g_list_model_get_n_items (model);
  gboolean same;
  guint selected = GTK_INVALID_LIST_POSITION;

  for (guint i = 0; i < G_N_ELEMENTS (usual_currencies); i++)
    g_ptr_array_add (codes, (gpointer) usual_currencies[i]);
  if (self->root != NULL)
    {
      const char * const *present = tsy_rollup_node_get_currencies (self->root);
      for (guint i = 0; present != NULL && present[i] != NULL; i++)
        if (!string_list_contains (codes, present[i]))
          g_ptr_array_add (codes, (gpointer) present[i]);
    }
  if (self->currency != NULL && !string_list_contains (codes, self->currency))
    g_ptr_array_add (codes, self->currency);

  same = n == codes->len;
  for (guint i = 0; same && i < n; i++)
    same = g_strcmp0 (gtk_string_list_get_string (self->currency_list, i),
                      g_ptr_array_index (codes, i)) == 0;

  self->updating_currency_list = TRUE;
  if (!same)
    {
      g_ptr_array_add (codes, NULL);
      gtk_string_list_splice (self->currency_list, 0, n, (const char * const *) codes->pdata);
      g_ptr_array_remove_index (codes, codes->len - 1);
    }
  for (guint i = 0; i < codes->len; i++)
    if (g_strcmp0 (g_ptr_array_index (codes, i), self->currency) == 0)
      selected = i;
  gtk_drop_down_set_selected (self->currency_dropdown, selected);
  self->updating_currency_list = FALSE;
}

/* One balance column per currency ---------------------------------------- */

static guint
column_position (GtkColumnView       *view,
                 GtkColumnViewColumn *column)
{
  GListModel *columns = gtk_column_view_get_columns (view);
  guint n = g_list_model_get_n_items (columns);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkColumnViewColumn) c = g_list_model_get_item (columns, i);
      if (c == column)
        return i;
    }
  return n;
}

static void
update_currency_columns (TsyAccountsPage *self)
{
  const char * const *currencies = NULL;
  guint n_currencies = 0;
  gboolean same;
  guint position;

  if (self->root != NULL)
    currencies = tsy_rollup_node_get_currencies (self->root);
  while (currencies != NULL && currencies[n_currencies] != NULL)
    n_currencies++;

  /* Keep the columns (their widths and sort state) when the currencies stay. */
  same = n_currencies == self->currency_columns->len;
  for (guint i = 0; same && i < n_currencies; i++)
    same = g_strcmp0 (gtk_column_view_column_get_title (g_ptr_array_index (self->currency_columns, i)),
                      currencies[i]) == 0;
  if (same)
    return;

  for (guint i = 0; i < self->currency_columns->len; i++)
    gtk_column_view_remove_column (self->column_view,
                                   g_ptr_array_index (self->currency_columns, i));
  g_ptr_array_set_size (self->currency_columns, 0);

  position = column_position (self->column_view, self->converted_column);
  for (guint i = 0; i < n_currencies; i++)
    {
      GtkColumnViewColumn *column = tsy_accounts_currency_column_new (currencies[i]);
      gtk_column_view_insert_column (self->column_view, position + i, column);
      g_ptr_array_add (self->currency_columns, column);
    }
}

/* Loading ---------------------------------------------------------------- */

static void
apply_root (TsyAccountsPage *self,
            TsyRollupNode   *root)
{
  g_autoptr(GHashTable) expanded = NULL;

  if (self->tree != NULL && self->root != NULL && root != NULL &&
      g_strcmp0 (self->shown_grouping, self->grouping) == 0 && self->search_text == NULL)
    expanded = collect_expanded (self->tree);

  g_set_object (&self->root, root);
  replace_string (&self->shown_grouping, self->grouping);

  update_currency_columns (self);
  update_grouping_columns (self);
  rebuild_tree (self, expanded);
  update_currency_list (self);
  update_summary (self);
  update_content_stack (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROOT]);
}

static void
on_rollup_built_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(TsyAccountsPage) self = user_data;
  g_autoptr(TsyRollupNode) root = NULL;
  g_autoptr(GError) error = NULL;

  root = tsy_rollup_build_finish (TSY_STORE (source), result, &error);
  if (root == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_loading (self, FALSE);
      update_content_stack (self);
      tsy_ui_toast_error (GTK_WIDGET (self), error);
      return;
    }
  set_loading (self, FALSE);
  apply_root (self, root);
}

static void
reload (TsyAccountsPage *self)
{
  TsyRollupQuery query = { 0, };

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->store == NULL)
    {
      set_loading (self, FALSE);
      apply_root (self, NULL);
      return;
    }

  query.by = g_strcmp0 (self->grouping, "bank") == 0 ? TSY_ROLLUP_BY_BANK : TSY_ROLLUP_BY_ORG;
  query.org_code = NULL;
  query.date = effective_date (self);
  query.currency = self->currency;
  query.strict_fx = FALSE;

  self->cancellable = g_cancellable_new ();
  set_loading (self, TRUE);
  update_content_stack (self);
  tsy_rollup_build_async (self->store, &query, self->cancellable, on_rollup_built_cb,
                          g_object_ref (self));
}

/* Template callbacks: toolbar -------------------------------------------- */

static void
on_date_popover_show_cb (TsyAccountsPage *self)
{
  int y, m, d;
  g_autoptr(GDateTime) when = NULL;

  tsy_date_to_ymd (effective_date (self), &y, &m, &d);
  when = g_date_time_new_local (y, m, d, 12, 0, 0);
  self->updating_calendar = TRUE;
  gtk_calendar_select_day (self->calendar, when);
  self->updating_calendar = FALSE;
}

static void
on_calendar_day_selected_cb (TsyAccountsPage *self)
{
  g_autoptr(GDateTime) when = NULL;
  TsyDate date;

  if (self->updating_calendar)
    return;
  when = gtk_calendar_get_date (self->calendar);
  date = tsy_date_from_ymd (g_date_time_get_year (when), g_date_time_get_month (when),
                            g_date_time_get_day_of_month (when));
  /* Picking today follows today from now on (the page may stay open overnight). */
  tsy_accounts_page_set_date (self, date == tsy_date_today () ? TSY_DATE_NONE : date);
  gtk_popover_popdown (self->date_popover);
}

static void
on_currency_dropdown_selected_cb (TsyAccountsPage *self)
{
  guint selected;
  const char *code;

  if (self->updating_currency_list)
    return;
  selected = gtk_drop_down_get_selected (self->currency_dropdown);
  if (selected == GTK_INVALID_LIST_POSITION)
    return;
  code = gtk_string_list_get_string (self->currency_list, selected);
  if (code != NULL)
    tsy_accounts_page_set_currency (self, code);
}

static void
on_search_entry_search_changed_cb (TsyAccountsPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  g_autofree char *folded = NULL;
  gboolean was_searching = self->search_text != NULL;

  if (stripped[0] != '\0')
    folded = g_utf8_casefold (stripped, -1);
  if (g_strcmp0 (folded, self->search_text) == 0)
    return;
  g_free (self->search_text);
  self->search_text = g_steal_pointer (&folded);

  if (was_searching != (self->search_text != NULL))
    rebuild_tree (self, NULL);
  gtk_filter_changed (GTK_FILTER (self->search_filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_content_stack (self);
}

static void
on_column_view_activate_cb (TsyAccountsPage *self,
                            guint            position)
{
  g_autoptr(GtkTreeListRow) row =
    g_list_model_get_item (G_LIST_MODEL (self->filter_model), position);

  if (row != NULL && gtk_tree_list_row_is_expandable (row))
    gtk_tree_list_row_set_expanded (row, !gtk_tree_list_row_get_expanded (row));
}

static void
on_settings_currency_changed_cb (TsyAccountsPage *self,
                                 const char      *key,
                                 GSettings       *settings)
{
  g_autofree char *code = g_settings_get_string (settings, key);

  tsy_accounts_page_set_currency (self, code);
}

static void
today_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  TsyAccountsPage *self = TSY_ACCOUNTS_PAGE (widget);

  tsy_accounts_page_set_date (self, TSY_DATE_NONE);
  gtk_popover_popdown (self->date_popover);
}

/* GObject ---------------------------------------------------------------- */

static void
tsy_accounts_page_dispose (GObject *object)
{
  TsyAccountsPage *self = TSY_ACCOUNTS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);

  gtk_widget_dispose_template (GTK_WIDGET (object), TSY_TYPE_ACCOUNTS_PAGE);
  /* The toolbar and the summary bar are not bound template children. */
  {
    GtkWidget *child;
    while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
      gtk_widget_unparent (child);
  }

  g_clear_object (&self->tree);
  g_clear_object (&self->root);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->currency_columns, g_ptr_array_unref);

  G_OBJECT_CLASS (tsy_accounts_page_parent_class)->dispose (object);
}

static void
tsy_accounts_page_finalize (GObject *object)
{
  TsyAccountsPage *self = TSY_ACCOUNTS_PAGE (object);

  g_clear_pointer (&self->grouping, g_free);
  g_clear_pointer (&self->shown_grouping, g_free);
  g_clear_pointer (&self->currency, g_free);
  g_clear_pointer (&self->search_text, g_free);

  G_OBJECT_CLASS (tsy_accounts_page_parent_class)->finalize (object);
}

static void
tsy_accounts_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TsyAccountsPage *self = TSY_ACCOUNTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_GROUPING:
      g_value_set_string (value, self->grouping);
      break;
    case PROP_CURRENCY:
      g_value_set_string (value, self->currency);
      break;
    case PROP_DATE:
      g_value_set_uint (value, self->date);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_ROOT:
      g_value_set_object (value, self->root);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsy_accounts_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TsyAccountsPage *self = TSY_ACCOUNTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      tsy_accounts_page_set_store (self, g_value_get_object (value));
      break;
    case PROP_GROUPING:
      tsy_accounts_page_set_grouping (self, g_value_get_string (value));
      break;
    case PROP_CURRENCY:
      tsy_accounts_page_set_currency (self, g_value_get_string (value));
      break;
    case PROP_DATE:
      tsy_accounts_page_set_date (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsy_accounts_page_class_init (TsyAccountsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsy_accounts_page_dispose;
  object_class->finalize = tsy_accounts_page_finalize;
  object_class->get_property = tsy_accounts_page_get_property;
  object_class->set_property = tsy_accounts_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TSY_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_GROUPING] =
    g_param_spec_string ("grouping", NULL, NULL, "org",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CURRENCY] =
    g_param_spec_string ("currency", NULL, NULL, "CNY",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DATE] =
    g_param_spec_uint ("date", NULL, NULL, 0, G_MAXUINT32, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ROOT] =
    g_param_spec_object ("root", NULL, NULL, TSY_TYPE_ROLLUP_NODE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TSY_TYPE_AMOUNT_LABEL);
  g_type_ensure (TSY_TYPE_ROLLUP_NODE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/treasurydesk/TreasuryDesk/tsy-accounts-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TsyAccountsPage, date_label);
  gtk_widget_class_bind_template_child (widget_class, TsyAccountsPage, date_popover);
  gtk_widget_class_bind_template_child (widget_class, TsyAccountsPage, calendar);
  gtk_widget_class_bind_template_child (widget_class, TsyAccountsPage, currency_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsyAccountsPage, currency_list);
  gtk_widget_class_bind_template_child (widget_class, TsyAccountsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TsyAccountsPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, TsyAccountsPage, big_spinner);
  gtk_widget_class_bind_template_child (widget_class, TsyAccountsPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, TsyAccountsPage, sort_model);
  gtk_widget_class_bind_template_child (widget_class, TsyAccountsPage, filter_model);
  gtk_widget_class_bind_template_child (widget_class, TsyAccountsPage, search_filter);
  gtk_widget_class_bind_template_child (widget_class, TsyAccountsPage, name_column);
  gtk_widget_class_bind_template_child (widget_class, TsyAccountsPage, bank_column);
  gtk_widget_class_bind_template_child (widget_class, TsyAccountsPage, owner_column);
  gtk_widget_class_bind_template_child (widget_class, TsyAccountsPage, converted_column);
  gtk_widget_class_bind_template_child (widget_class, TsyAccountsPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, TsyAccountsPage, currency_totals_label);
  gtk_widget_class_bind_template_child (widget_class, TsyAccountsPage, missing_rate_icon);
  gtk_widget_class_bind_template_child (widget_class, TsyAccountsPage, total_caption_label);
  gtk_widget_class_bind_template_child (widget_class, TsyAccountsPage, total_label);
  tsy_accounts_columns_bind_callbacks (widget_class);
  gtk_widget_class_bind_template_callback (widget_class, on_date_popover_show_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_calendar_day_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_currency_dropdown_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_column_view_activate_cb);

  gtk_widget_class_install_property_action (widget_class, "accounts.grouping", "grouping");
  gtk_widget_class_install_action (widget_class, "accounts.today", NULL, today_action);
}

static void
tsy_accounts_page_init (TsyAccountsPage *self)
{
  self->grouping = g_strdup ("org");
  self->shown_grouping = g_strdup ("org");
  self->currency = g_strdup ("CNY");
  self->currency_columns = g_ptr_array_new_with_free_func (g_object_unref);

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_custom_filter_set_filter_func (self->search_filter, filter_row, self, NULL);
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));

  self->settings = tsy_ui_settings_new ();
  if (self->settings != NULL)
    {
      g_autofree char *code = g_settings_get_string (self->settings, "reporting-currency");

      g_settings_bind (self->settings, "accounts-grouping", self, "grouping",
                       G_SETTINGS_BIND_DEFAULT);
      tsy_accounts_page_set_currency (self, code);
      /* Written back by set_currency() only when the schema allows the code. */
      g_signal_connect_object (self->settings, "changed::reporting-currency",
                               G_CALLBACK (on_settings_currency_changed_cb), self,
                               G_CONNECT_SWAPPED);
    }

  update_date_label (self);
  update_converted_title (self);
  update_grouping_columns (self);
  update_currency_list (self);
  rebuild_tree (self, NULL);
  update_summary (self);
  update_content_stack (self);
}

/* Public API ------------------------------------------------------------- */

GtkWidget *
tsy_accounts_page_new (void)
{
  return g_object_new (TSY_TYPE_ACCOUNTS_PAGE, NULL);
}

TsyStore *
tsy_accounts_page_get_store (TsyAccountsPage *self)
{
  g_return_val_if_fail (TSY_IS_ACCOUNTS_PAGE (self), NULL);

  return self->store;
}

void
tsy_accounts_page_set_store (TsyAccountsPage *self,
                             TsyStore        *store)
{
  g_return_if_fail (TSY_IS_ACCOUNTS_PAGE (self));
  g_return_if_fail (store == NULL || TSY_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;
  /* Another database: nothing of the old one stays on screen. */
  g_clear_object (&self->tree);
  if (self->root != NULL)
    {
      g_clear_object (&self->root);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROOT]);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
  reload (self);
}

const char *
tsy_accounts_page_get_grouping (TsyAccountsPage *self)
{
  g_return_val_if_fail (TSY_IS_ACCOUNTS_PAGE (self), NULL);

  return self->grouping;
}

/**
 * tsy_accounts_page_set_grouping:
 * @grouping: "org" or "bank"
 */
void
tsy_accounts_page_set_grouping (TsyAccountsPage *self,
                                const char      *grouping)
{
  g_return_if_fail (TSY_IS_ACCOUNTS_PAGE (self));
  g_return_if_fail (g_strcmp0 (grouping, "org") == 0 || g_strcmp0 (grouping, "bank") == 0);

  if (!replace_string (&self->grouping, grouping))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GROUPING]);
  reload (self);
}

const char *
tsy_accounts_page_get_currency (TsyAccountsPage *self)
{
  g_return_val_if_fail (TSY_IS_ACCOUNTS_PAGE (self), NULL);

  return self->currency;
}

/**
 * tsy_accounts_page_set_currency:
 * @currency: an ISO 4217 code: the reporting currency
 */
void
tsy_accounts_page_set_currency (TsyAccountsPage *self,
                                const char      *currency)
{
  g_return_if_fail (TSY_IS_ACCOUNTS_PAGE (self));
  g_return_if_fail (currency != NULL);

  if (!tsy_currency_is_known (currency))
    {
      g_debug ("ignoring unknown reporting currency %s", currency);
      return;
    }
  if (!replace_string (&self->currency, currency))
    return;

  if (self->settings != NULL)
    {
      g_autoptr(GSettingsSchema) schema = NULL;
      g_autoptr(GSettingsSchemaKey) key = NULL;
      g_autoptr(GVariant) value = g_variant_ref_sink (g_variant_new_string (currency));

      g_object_get (self->settings, "settings-schema", &schema, NULL);
      key = g_settings_schema_get_key (schema, "reporting-currency");
      if (g_settings_schema_key_range_check (key, value))
        g_settings_set_string (self->settings, "reporting-currency", currency);
    }

  update_converted_title (self);
  update_currency_list (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENCY]);
  reload (self);
}

TsyDate
tsy_accounts_page_get_date (TsyAccountsPage *self)
{
  g_return_val_if_fail (TSY_IS_ACCOUNTS_PAGE (self), TSY_DATE_NONE);

  return self->date;
}

/**
 * tsy_accounts_page_set_date:
 * @date: the date of the balances, or %TSY_DATE_NONE for today
 */
void
tsy_accounts_page_set_date (TsyAccountsPage *self,
                            TsyDate          date)
{
  g_return_if_fail (TSY_IS_ACCOUNTS_PAGE (self));

  if (self->date == date)
    return;
  self->date = date;
  update_date_label (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATE]);
  reload (self);
}

gboolean
tsy_accounts_page_get_loading (TsyAccountsPage *self)
{
  g_return_val_if_fail (TSY_IS_ACCOUNTS_PAGE (self), FALSE);

  return self->loading;
}

/**
 * tsy_accounts_page_get_root:
 *
 * Returns: (transfer none) (nullable): the roll-up on screen
 */
TsyRollupNode *
tsy_accounts_page_get_root (TsyAccountsPage *self)
{
  g_return_val_if_fail (TSY_IS_ACCOUNTS_PAGE (self), NULL);

  return self->root;
}

void
tsy_accounts_page_reload (TsyAccountsPage *self)
{
  g_return_if_fail (TSY_IS_ACCOUNTS_PAGE (self));

  update_date_label (self);
  reload (self);
}

void
tsy_accounts_page_focus_search (TsyAccountsPage *self)
{
  g_return_if_fail (TSY_IS_ACCOUNTS_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

GtkColumnView *
tsy_accounts_page_get_column_view (TsyAccountsPage *self)
{
  g_return_val_if_fail (TSY_IS_ACCOUNTS_PAGE (self), NULL);

  return self->column_view;
}

GtkLabel *
tsy_accounts_page_get_total_label (TsyAccountsPage *self)
{
  g_return_val_if_fail (TSY_IS_ACCOUNTS_PAGE (self), NULL);

  return self->total_label;
}

GtkLabel *
tsy_accounts_page_get_count_label (TsyAccountsPage *self)
{
  g_return_val_if_fail (TSY_IS_ACCOUNTS_PAGE (self), NULL);

  return self->count_label;
}
