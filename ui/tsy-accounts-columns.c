/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Accounts page's columns and cells: what a node shows in each column,
 * the balance columns per currency, and the search match. Split from
 * tsy-accounts-page.c by concern. */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsy-accounts-columns-private.h"
#include "tsy-amount-label.h"

gboolean
tsy_accounts_node_is_group (TsyRollupNode *node)
{
  return tsy_rollup_node_get_kind (node) != TSY_ROLLUP_NODE_ACCOUNT;
}

static gboolean
is_group (TsyRollupNode *node)
{
  return tsy_accounts_node_is_group (node);
}

/* What the tree shows under a node: its own accounts first, then its
 * sub-units (or banks), so a unit's accounts sit right below it and not
 * after the last of its subsidiaries. Returns: (transfer full) */
GListModel *
tsy_accounts_node_rows (TsyRollupNode *node)
{
  GListStore *parts = g_list_store_new (G_TYPE_LIST_MODEL);

  g_list_store_append (parts, tsy_rollup_node_get_accounts (node));
  g_list_store_append (parts, tsy_rollup_node_get_children (node));
  return G_LIST_MODEL (gtk_flatten_list_model_new (G_LIST_MODEL (parts)));
}

/* Search ----------------------------------------------------------------- */

static gboolean
text_matches (const char *text,
              const char *needle)
{
  g_autofree char *folded = NULL;

  if (text == NULL || text[0] == '\0')
    return FALSE;
  folded = g_utf8_casefold (text, -1);
  return strstr (folded, needle) != NULL;
}

gboolean
tsy_accounts_node_matches (TsyRollupNode *node,
              const char    *needle)
{
  if (text_matches (tsy_rollup_node_get_code (node), needle) ||
      text_matches (tsy_rollup_node_get_name (node), needle))
    return TRUE;
  if (!is_group (node))
    {
      const char *number = tsy_rollup_node_get_number (node);
      g_autofree char *compact = NULL;

      if (text_matches (number, needle))
        return TRUE;
      /* "6225 8801" finds 62258801 and the other way round. */
      if (number != NULL)
        {
          g_autofree char *needle_compact = NULL;
          GString *s = g_string_new (NULL);
          GString *n = g_string_new (NULL);

          for (const char *p = number; *p; p++)
            if (*p != ' ' && *p != '-')
              g_string_append_c (s, *p);
          for (const char *p = needle; *p; p++)
            if (*p != ' ' && *p != '-')
              g_string_append_c (n, *p);
          compact = g_string_free (s, FALSE);
          needle_compact = g_string_free (n, FALSE);
          if (needle_compact[0] != '\0' && text_matches (compact, needle_compact))
            return TRUE;
        }
    }
  return FALSE;
}

gboolean
tsy_accounts_node_matches_deep (TsyRollupNode *node,
                   const char    *needle)
{
  GListModel *items;
  guint n;

  if (tsy_accounts_node_matches (node, needle))
    return TRUE;
  if (!is_group (node))
    return FALSE;
  items = tsy_rollup_node_get_items (node);
  n = items != NULL ? g_list_model_get_n_items (items) : 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TsyRollupNode) child = g_list_model_get_item (items, i);
      if (tsy_accounts_node_matches_deep (child, needle))
        return TRUE;
    }
  return FALSE;
}

/* One balance column per currency ---------------------------------------- */

static void
currency_cell_setup (GtkSignalListItemFactory *factory,
                     GtkListItem              *list_item,
                     gpointer                  user_data)
{
  gtk_list_item_set_child (list_item, tsy_amount_label_new ());
}

static void
currency_cell_bind (GtkSignalListItemFactory *factory,
                    GtkListItem              *list_item,
                    gpointer                  user_data)
{
  const char *code = user_data;
  GtkTreeListRow *row = gtk_list_item_get_item (list_item);
  TsyAmountLabel *label = TSY_AMOUNT_LABEL (gtk_list_item_get_child (list_item));
  g_autoptr(TsyRollupNode) node = gtk_tree_list_row_get_item (row);
  gint64 minor;

  tsy_amount_label_set_missing_tooltip (label, NULL);
  if (is_group (node))
    {
      gtk_widget_add_css_class (GTK_WIDGET (label), "group-row");
      if (tsy_rollup_node_get_total (node, code, &minor))
        tsy_amount_label_set_amount (label, minor, code);
      else
        tsy_amount_label_clear (label);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (label), "group-row");
      if (g_strcmp0 (tsy_rollup_node_get_currency (node), code) != 0)
        tsy_amount_label_clear (label);
      else if (tsy_rollup_node_get_balance (node, &minor, NULL))
        tsy_amount_label_set_amount (label, minor, code);
      else
        {
          tsy_amount_label_set_missing_tooltip (label, _("No balance on or before this date"));
          tsy_amount_label_clear (label);
        }
    }
}

/* The sort key of a currency column: that currency's total, or the balance
 * of an account held in it; 0 for the other accounts. */
static gint64
currency_sort_key (TsyRollupNode *node,
                   gpointer       user_data)
{
  const char *code = user_data;
  gint64 minor = 0;

  if (node == NULL)
    return 0;
  if (is_group (node))
    {
      if (!tsy_rollup_node_get_total (node, code, &minor))
        minor = 0;
    }
  else if (g_strcmp0 (tsy_rollup_node_get_currency (node), code) == 0)
    {
      if (!tsy_rollup_node_get_balance (node, &minor, NULL))
        minor = 0;
    }
  return minor;
}

static void
free_closure_data (gpointer  data,
                   GClosure *closure)
{
  g_free (data);
}

GtkColumnViewColumn *
tsy_accounts_currency_column_new (const char *code)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkExpression *expression;
  GtkSorter *sorter;
  GtkColumnViewColumn *column;

  g_signal_connect (factory, "setup", G_CALLBACK (currency_cell_setup), NULL);
  g_signal_connect_data (factory, "bind", G_CALLBACK (currency_cell_bind),
                         g_strdup (code), free_closure_data, 0);

  expression = gtk_cclosure_expression_new (G_TYPE_INT64, NULL, 0, NULL,
                                            G_CALLBACK (currency_sort_key),
                                            g_strdup (code), free_closure_data);
  sorter = GTK_SORTER (gtk_numeric_sorter_new (expression));

  column = gtk_column_view_column_new (code, factory);
  gtk_column_view_column_set_sorter (column, sorter);
  gtk_column_view_column_set_resizable (column, TRUE);
  g_object_unref (sorter);
  return column;
}

/* Cells of the columns declared in tsy-accounts-page.ui -------------------- */

static char *
node_title (gpointer       instance,
            TsyRollupNode *node)
{
  if (node == NULL)
    return NULL;
  if (is_group (node))
    return g_strdup (tsy_rollup_node_get_name (node));
  /* The full number: treasurers need it; masking is for logs. */
  return g_strdup (tsy_rollup_node_get_number (node));
}

static char *
node_subtitle (gpointer       instance,
               TsyRollupNode *node)
{
  if (node == NULL)
    return NULL;
  if (is_group (node))
    return g_strdup (tsy_rollup_node_get_code (node));
  /* An account without a name of its own is named by its number: shown once. */
  if (g_strcmp0 (tsy_rollup_node_get_name (node), tsy_rollup_node_get_number (node)) == 0)
    return NULL;
  return g_strdup (tsy_rollup_node_get_name (node));
}

/* Sort key of the Name column: what it shows. */
static char *
node_sort_title (TsyRollupNode *node,
                 gpointer       user_data)
{
  return node_title (NULL, node);
}

static char **
node_title_classes (gpointer       instance,
                    TsyRollupNode *node)
{
  const char *classes[] = { NULL, NULL };

  if (node != NULL)
    classes[0] = is_group (node) ? "group-row" : "account-number";
  return g_strdupv ((char **) classes);
}

static char **
node_row_classes (gpointer       instance,
                  TsyRollupNode *node)
{
  const char *classes[] = { NULL, NULL };

  if (node != NULL && is_group (node))
    classes[0] = "group-row";
  return g_strdupv ((char **) classes);
}

static char *
missing_total_tooltip (gpointer       instance,
                       TsyRollupNode *node)
{

  if (node == NULL)
    return NULL;
  if (!is_group (node))
    {
      if (!tsy_rollup_node_get_balance (node, NULL, NULL))
        return g_strdup (_("No balance on or before this date"));
    }
  else if (tsy_rollup_node_get_n_accounts_deep (node) == 0)
    {
      return g_strdup (_("No accounts"));
    }
  return g_strdup (_("No exchange rate into the reporting currency on this date"));
}

static char *
status_text (gpointer       instance,
             TsyRollupNode *node)
{
  const char *status;

  if (node == NULL || is_group (node))
    return NULL;
  status = tsy_rollup_node_get_account_status (node);
  if (g_strcmp0 (status, "open") == 0)
    return g_strdup (C_("account status", "Open"));
  if (g_strcmp0 (status, "frozen") == 0)
    return g_strdup (C_("account status", "Frozen"));
  if (g_strcmp0 (status, "closed") == 0)
    return g_strdup (C_("account status", "Closed"));
  return g_strdup (status);
}

static char **
status_classes (gpointer       instance,
                TsyRollupNode *node)
{
  const char *classes[] = { NULL, NULL };

  if (node != NULL && !is_group (node))
    {
      const char *status = tsy_rollup_node_get_account_status (node);
      if (g_strcmp0 (status, "frozen") == 0)
        classes[0] = "status-frozen";
      else if (g_strcmp0 (status, "closed") == 0)
        classes[0] = "status-closed";
    }
  return g_strdupv ((char **) classes);
}

void
tsy_accounts_columns_bind_callbacks (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, node_title);
  gtk_widget_class_bind_template_callback (widget_class, node_subtitle);
  gtk_widget_class_bind_template_callback (widget_class, node_sort_title);
  gtk_widget_class_bind_template_callback (widget_class, node_title_classes);
  gtk_widget_class_bind_template_callback (widget_class, node_row_classes);
  gtk_widget_class_bind_template_callback (widget_class, missing_total_tooltip);
  gtk_widget_class_bind_template_callback (widget_class, status_text);
  gtk_widget_class_bind_template_callback (widget_class, status_classes);
}
