/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Reconciliation page: see tsy-reconciliation-page.h. */
#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "ledger/export/tsy-recon-xlsx.h"
#include "ledger/tsy-account.h"
#include "tsy-money-format.h"
#include "tsy-reconciliation-page-private.h"
#include "tsy-ui.h"

struct _TsyReconciliationPage
{
  GtkWidget           parent_instance;

  GtkDropDown        *account_dropdown;
  GtkStringList      *account_list;
  GtkButton          *reconcile_button;
  GtkCheckButton     *unmatched_check;
  GtkEntry           *from_entry;
  GtkEntry           *to_entry;
  GtkSearchEntry     *amount_entry;
  GtkButton          *statement_button;
  GtkLabel           *bank_heading;
  GtkLabel           *book_heading;
  GtkLabel           *suggestions_heading;
  GtkColumnView      *bank_view;
  GtkColumnView      *book_view;
  GtkListBox         *suggestions_list;
  GtkLabel           *counts_label;
  GtkLabel           *difference_label;
  GtkButton          *match_button;
  GtkButton          *unmatch_button;

  TsyStore           *store;
  GCancellable       *cancellable;
  GPtrArray          *accounts;        /* (element-type TsyAccountInfo) */
  TsyReconView       *view;
  GtkCustomFilter    *filter;
  GtkFilterListModel *bank_filtered;
  GtkFilterListModel *book_filtered;
  GtkMultiSelection  *bank_selection;
  GtkMultiSelection  *book_selection;
  guint               busy;
  gboolean            syncing;
  char               *last_message;
  gboolean            last_is_error;
  TsyReconStatement  *statement;       /* of the last statement window */
};

G_DEFINE_FINAL_TYPE (TsyReconciliationPage, tsy_reconciliation_page, GTK_TYPE_WIDGET)

enum { COL_DATE, COL_AMOUNT, COL_REF, COL_COUNTERPARTY, COL_TEXT, COL_STATE };

static void load_view (TsyReconciliationPage *self);

/* ---- messages ------------------------------------------------------------------------------ */

static void
show_message (TsyReconciliationPage *self,
              const char            *text)
{
  g_free (self->last_message);
  self->last_message = g_strdup (text);
  self->last_is_error = FALSE;
  tsy_ui_toast (GTK_WIDGET (self), text);
}

static void
show_error (TsyReconciliationPage *self,
            const GError          *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_free (self->last_message);
  self->last_message = g_strdup (error->message);
  self->last_is_error = TRUE;
  tsy_ui_toast_error (GTK_WIDGET (self), error);
}

static void
begin_busy (TsyReconciliationPage *self)
{
  self->busy++;
  gtk_widget_set_sensitive (GTK_WIDGET (self->reconcile_button), FALSE);
}

static void
end_busy (TsyReconciliationPage *self)
{
  g_return_if_fail (self->busy > 0);
  self->busy--;
  gtk_widget_set_sensitive (GTK_WIDGET (self->reconcile_button), self->busy == 0 && self->store != NULL);
}

static const char *
current_account (TsyReconciliationPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->account_dropdown);

  if (self->accounts == NULL || selected >= self->accounts->len)
    return NULL;
  return ((TsyAccountInfo *) g_ptr_array_index (self->accounts, selected))->number;
}

static const char *
actor (void)
{
  return g_get_user_name ();
}

/* ---- cells ------------------------------------------------------------------------------- */

static const char *
rule_title (const char *rule)
{
  if (rule == NULL)
    return NULL;
  if (strcmp (rule, "reference") == 0)
    return _("reference");
  if (strcmp (rule, "reference-text") == 0)
    return _("reference in text");
  if (strcmp (rule, "batch") == 0)
    return _("batch");
  if (strcmp (rule, "instalments") == 0)
    return _("instalments");
  if (strcmp (rule, "charge") == 0)
    return _("bank charge");
  if (strcmp (rule, "counterparty") == 0)
    return _("counterparty");
  if (strcmp (rule, "manual") == 0)
    return _("manual");
  return rule;
}

static char *
state_text (TsyReconItem *item)
{
  g_autofree char *rule = NULL;

  g_object_get (item, "rule", &rule, NULL);
  switch (tsy_recon_item_get_state (item))
    {
    case TSY_RECON_ITEM_MATCHED:
      /* Translators: a match state; %s is the rule that made it */
      return g_strdup_printf (_("Matched · %s"), rule_title (rule) != NULL ? rule_title (rule) : "");
    case TSY_RECON_ITEM_SUGGESTED:
      return g_strdup (_("Suggested"));
    case TSY_RECON_ITEM_UNMATCHED:
    default:
      return g_strdup (_("Unmatched"));
    }
}

static void
cell_setup (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  user_data)
{
  int column = GPOINTER_TO_INT (user_data);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), column == COL_AMOUNT ? 1.0f : 0.0f);
  switch (column)
    {
    case COL_AMOUNT:
      gtk_widget_add_css_class (label, "amount");
      gtk_widget_add_css_class (label, "numeric");
      break;
    case COL_REF:
      /* long bank references: their ends tell them apart */
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_START);
      gtk_label_set_width_chars (GTK_LABEL (label), 9);
      break;
    case COL_TEXT:
    case COL_COUNTERPARTY:
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_width_chars (GTK_LABEL (label), 7);
      break;
    default:
      break;
    }
  gtk_list_item_set_child (list_item, label);
}

static void
cell_bind (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  int column = GPOINTER_TO_INT (user_data);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (list_item));
  TsyReconItem *item = gtk_list_item_get_item (list_item);
  g_autofree char *text = NULL;

  gtk_widget_remove_css_class (GTK_WIDGET (label), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (label), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (label), "dim-label");
  switch (column)
    {
    case COL_DATE:
      text = tsy_date_to_iso (tsy_recon_item_get_date (item));
      break;
    case COL_AMOUNT:
      text = tsy_money_format (tsy_recon_item_get_amount_minor (item),
                               tsy_recon_item_get_currency (item), TSY_MONEY_FORMAT_DEFAULT);
      break;
    case COL_REF:
      text = g_strdup (tsy_recon_item_get_ref (item));
      break;
    case COL_COUNTERPARTY:
      g_object_get (item, "counterparty", &text, NULL);
      break;
    case COL_TEXT:
      g_object_get (item, "text", &text, NULL);
      break;
    case COL_STATE:
      text = state_text (item);
      gtk_widget_add_css_class (GTK_WIDGET (label),
                                tsy_recon_item_get_state (item) == TSY_RECON_ITEM_MATCHED ? "success"
                                : tsy_recon_item_get_state (item) == TSY_RECON_ITEM_SUGGESTED ? "warning"
                                : "dim-label");
      break;
    default:
      break;
    }
  gtk_label_set_text (label, text != NULL ? text : "");
  /* the whole text of the columns that may cut it */
  gtk_widget_set_tooltip_text (GTK_WIDGET (label),
                               column == COL_REF || column == COL_COUNTERPARTY || column == COL_TEXT ? text : NULL);
}

static void
add_column (GtkColumnView *view,
            const char    *title,
            int            column,
            gboolean       expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *col;

  g_signal_connect (factory, "setup", G_CALLBACK (cell_setup), GINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (cell_bind), GINT_TO_POINTER (column));
  col = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_resizable (col, TRUE);
  gtk_column_view_column_set_expand (col, expand);
  gtk_column_view_append_column (view, col);
  g_object_unref (col);
}

static void
add_columns (GtkColumnView *view,
             gboolean       bank)
{
  add_column (view, _("Date"), COL_DATE, FALSE);
  add_column (view, _("Amount"), COL_AMOUNT, FALSE);
  add_column (view, bank ? _("Bank ref") : _("Reference"), COL_REF, FALSE);
  add_column (view, _("Counterparty"), COL_COUNTERPARTY, TRUE);
  add_column (view, _("Text"), COL_TEXT, TRUE);
  add_column (view, _("State"), COL_STATE, FALSE);
}

/* ---- filters ----------------------------------------------------------------------------- */

/* The digits (and radix) of a text: "1,234.50" -> "1234.50". */
static char *
digits_of (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_isdigit (*p) || *p == '.')
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

static gboolean
item_visible (gpointer item,
              gpointer user_data)
{
  TsyReconciliationPage *self = user_data;
  TsyReconItem *it = item;
  const char *amount = gtk_editable_get_text (GTK_EDITABLE (self->amount_entry));

  if (gtk_check_button_get_active (self->unmatched_check) &&
      tsy_recon_item_get_state (it) == TSY_RECON_ITEM_MATCHED)
    return FALSE;
  if (amount != NULL && amount[0] != '\0')
    {
      gint64 minor = tsy_recon_item_get_amount_minor (it);
      g_autofree char *shown = tsy_money_format (minor < 0 ? -minor : minor,
                                                 tsy_recon_item_get_currency (it),
                                                 TSY_MONEY_FORMAT_DEFAULT);
      g_autofree char *have = digits_of (shown);
      g_autofree char *want = digits_of (amount);

      if (want[0] != '\0' && !g_str_has_prefix (have, want))
        return FALSE;
    }
  return TRUE;
}

static void
on_filter_changed_cb (TsyReconciliationPage *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
on_period_activate_cb (TsyReconciliationPage *self)
{
  load_view (self);
}

static gboolean
entry_date (GtkEntry *entry,
            TsyDate  *out)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  *out = 0;
  if (text == NULL || text[0] == '\0')
    return TRUE;
  return tsy_date_parse_iso (text, out, NULL);
}

/* ---- selection: linking and the running difference ---------------------------------------- */

static GPtrArray *
selected_items (GtkMultiSelection *selection)
{
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GtkBitset) set = NULL;
  GtkBitsetIter iter;
  guint position;

  if (selection == NULL)
    return items;
  set = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (selection));
  for (gboolean ok = gtk_bitset_iter_init_first (&iter, set, &position); ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    g_ptr_array_add (items, g_list_model_get_item (G_LIST_MODEL (selection), position));
  return items;
}

static void
update_selection_state (TsyReconciliationPage *self)
{
  g_autoptr(GPtrArray) bank = selected_items (self->bank_selection);
  g_autoptr(GPtrArray) book = selected_items (self->book_selection);
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  gboolean any_matched = FALSE;
  gint64 match_id = -1;
  gboolean one_match = TRUE;
  gint64 difference = 0;

  for (guint i = 0; i < bank->len; i++)
    g_ptr_array_add (all, bank->pdata[i]);
  for (guint i = 0; i < book->len; i++)
    g_ptr_array_add (all, book->pdata[i]);
  for (guint i = 0; i < all->len; i++)
    {
      TsyReconItem *item = all->pdata[i];
      gint64 id = tsy_recon_item_get_match_id (item);

      if (tsy_recon_item_get_state (item) == TSY_RECON_ITEM_MATCHED)
        any_matched = TRUE;
      if (match_id == -1)
        match_id = id;
      else if (match_id != id)
        one_match = FALSE;
    }

  if (all->len == 0)
    {
      gtk_label_set_text (self->difference_label, _("Select bank lines and book entries to match them"));
      gtk_widget_set_sensitive (GTK_WIDGET (self->match_button), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->unmatch_button), FALSE);
      return;
    }
  if (!tsy_recon_items_difference ((TsyReconItem * const *) all->pdata, all->len, &difference))
    {
      gtk_label_set_text (self->difference_label, _("The sum is too large"));
      gtk_widget_set_sensitive (GTK_WIDGET (self->match_button), FALSE);
    }
  else
    {
      const char *currency = self->view != NULL ? tsy_recon_view_get_currency (self->view) : NULL;
      g_autofree char *amount = tsy_money_format (difference, currency, TSY_MONEY_FORMAT_CODE);
      g_autofree char *bank_n = tsy_count_format (bank->len);
      g_autofree char *book_n = tsy_count_format (book->len);
      /* Translators: %1$s bank lines and %2$s book entries selected; %3$s the difference, book − bank */
      g_autofree char *text = g_strdup_printf (_("%1$s bank · %2$s book selected — difference %3$s"),
                                               bank_n, book_n, amount);

      gtk_label_set_text (self->difference_label, text);
      gtk_widget_set_sensitive (GTK_WIDGET (self->match_button),
                                self->busy == 0 && bank->len > 0 && book->len > 0 &&
                                difference == 0 && !any_matched);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->unmatch_button),
                            self->busy == 0 && any_matched && one_match && match_id > 0);
}

/* Selects every item of @match_id in @selection. */
static void
select_match (GtkMultiSelection *selection,
              gint64             match_id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (selection));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TsyReconItem) item = g_list_model_get_item (G_LIST_MODEL (selection), i);

      if (tsy_recon_item_get_match_id (item) == match_id &&
          !gtk_selection_model_is_selected (GTK_SELECTION_MODEL (selection), i))
        gtk_selection_model_select_item (GTK_SELECTION_MODEL (selection), i, FALSE);
    }
}

static void
on_selection_changed_cb (GtkSelectionModel     *model,
                         guint                  position,
                         guint                  n_items,
                         TsyReconciliationPage *self)
{
  if (self->syncing)
    return;
  self->syncing = TRUE;
  for (guint i = position; i < position + n_items; i++)
    {
      g_autoptr(TsyReconItem) item = NULL;
      gint64 match_id;

      if (!gtk_selection_model_is_selected (model, i))
        continue;
      item = g_list_model_get_item (G_LIST_MODEL (model), i);
      match_id = tsy_recon_item_get_match_id (item);
      if (match_id > 0)
        {
          /* A matched item brings its counterparts (and its own side's group) with it. */
          select_match (self->bank_selection, match_id);
          select_match (self->book_selection, match_id);
        }
    }
  self->syncing = FALSE;
  update_selection_state (self);
}

/* ---- the view -------------------------------------------------------------------------- */

static void
on_accept_clicked_cb (GtkButton             *button,
                      TsyReconciliationPage *self);

static GtkWidget *
create_suggestion_row (gpointer item,
                       gpointer user_data)
{
  TsyReconciliationPage *self = user_data;
  TsyReconGroup *group = item;
  const char * const *refs = tsy_recon_group_get_bank_refs (group);
  const char * const *ids = tsy_recon_group_get_book_ids (group);
  g_autofree char *bank = refs != NULL ? g_strjoinv (", ", (char **) refs) : g_strdup ("");
  g_autofree char *book = ids != NULL ? g_strjoinv (", ", (char **) ids) : g_strdup ("");
  g_autofree char *currency = NULL;
  g_autofree char *amount = NULL;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  gint64 bank_sum = 0;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *accept = gtk_button_new_with_label (_("Accept"));

  g_object_get (group, "bank-sum-minor", &bank_sum, "currency", &currency, NULL);
  amount = tsy_money_format (bank_sum, currency, TSY_MONEY_FORMAT_CODE);
  /* Translators: a suggestion: %1$s bank references ⇄ %2$s book ids */
  title = g_markup_escape_text (bank, -1);
  {
    g_autofree char *t = g_strdup_printf (_("%1$s ⇄ %2$s"), bank, book);
    g_free (title);
    title = g_markup_escape_text (t, -1);
  }
  /* Translators: %1$s the amount, %2$s the rule, %3$d the score in per cent */
  subtitle = g_strdup_printf (_("%1$s · %2$s · %3$d%%"), amount,
                              rule_title (tsy_recon_rule_to_string (tsy_recon_group_get_rule (group))),
                              tsy_recon_group_get_score (group) / 10);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (accept, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (accept, _("Accept this suggestion as a confirmed match"));
  g_object_set_data_full (G_OBJECT (accept), "tsy-group", g_object_ref (group), g_object_unref);
  g_signal_connect (accept, "clicked", G_CALLBACK (on_accept_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), accept);
  return row;
}

static void
count_states (GListModel *items,
              guint      *matched,
              guint      *suggested,
              guint      *unmatched)
{
  guint n = g_list_model_get_n_items (items);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TsyReconItem) item = g_list_model_get_item (items, i);

      switch (tsy_recon_item_get_state (item))
        {
        case TSY_RECON_ITEM_MATCHED:   (*matched)++; break;
        case TSY_RECON_ITEM_SUGGESTED: (*suggested)++; break;
        default:                       (*unmatched)++; break;
        }
    }
}

static void
set_heading (GtkLabel   *label,
             const char *title,
             GListModel *items)
{
  guint matched = 0, suggested = 0, unmatched = 0;
  g_autofree char *n = NULL;
  g_autofree char *m = NULL;
  g_autofree char *u = NULL;
  g_autofree char *text = NULL;

  if (items != NULL)
    count_states (items, &matched, &suggested, &unmatched);
  n = tsy_count_format (matched + suggested + unmatched);
  m = tsy_count_format (matched);
  u = tsy_count_format (suggested + unmatched);
  /* Translators: %1$s "Bank lines" or "Book entries"; %2$s items, %3$s matched, %4$s not */
  text = g_strdup_printf (_("%1$s — %2$s, %3$s matched, %4$s open"), title, n, m, u);
  gtk_label_set_text (label, text);
}

static void
apply_view (TsyReconciliationPage *self,
            TsyReconView          *view)
{
  g_set_object (&self->view, view);
  gtk_filter_list_model_set_model (self->bank_filtered, view != NULL ? tsy_recon_view_get_bank (view) : NULL);
  gtk_filter_list_model_set_model (self->book_filtered, view != NULL ? tsy_recon_view_get_book (view) : NULL);
  gtk_list_box_bind_model (self->suggestions_list,
                           view != NULL ? tsy_recon_view_get_suggestions (view) : NULL,
                           view != NULL ? create_suggestion_row : NULL, self, NULL);
  set_heading (self->bank_heading, _("Bank lines"), view != NULL ? tsy_recon_view_get_bank (view) : NULL);
  set_heading (self->book_heading, _("Book entries"), view != NULL ? tsy_recon_view_get_book (view) : NULL);
  {
    guint n = view != NULL ? g_list_model_get_n_items (tsy_recon_view_get_suggestions (view)) : 0;
    guint m = view != NULL ? g_list_model_get_n_items (tsy_recon_view_get_matches (view)) : 0;
    g_autofree char *ns = tsy_count_format (n);
    g_autofree char *ms = tsy_count_format (m);
    g_autofree char *text = NULL;

    /* Translators: %s suggestions */
    text = g_strdup_printf (_("Suggestions — %s"), ns);
    gtk_label_set_text (self->suggestions_heading, text);
    g_free (text);
    /* Translators: %s matches in the period shown */
    text = g_strdup_printf (_("%s matches"), ms);
    gtk_label_set_text (self->counts_label, text);
  }
  update_selection_state (self);
}

static void
on_view_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(TsyReconciliationPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyReconView) view = tsy_recon_view_load_finish (TSY_STORE (source), result, &error);

  end_busy (self);
  if (view == NULL)
    {
      show_error (self, error);
      return;
    }
  /* A later load for another account may have started; only the last one counts. */
  if (g_strcmp0 (tsy_recon_view_get_account (view), current_account (self)) != 0)
    return;
  apply_view (self, view);
}

static void
load_view (TsyReconciliationPage *self)
{
  const char *account = current_account (self);
  TsyDate from = 0, to = 0;

  if (self->store == NULL || account == NULL)
    {
      apply_view (self, NULL);
      return;
    }
  if (!entry_date (self->from_entry, &from) || !entry_date (self->to_entry, &to))
    {
      g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                                     _("Write dates as YYYY-MM-DD"));
      show_error (self, error);
      return;
    }
  begin_busy (self);
  tsy_recon_view_load_async (self->store, account, from, to, self->cancellable,
                             on_view_loaded_cb, g_object_ref (self));
}

static void
on_account_selected_cb (TsyReconciliationPage *self)
{
  apply_view (self, NULL);
  load_view (self);
}

/* The account list, on a worker with its own connection. */
static void
list_accounts_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(TsyStore) store = NULL;
  GError *error = NULL;
  GPtrArray *accounts;

  store = tsy_store_open_existing (path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  accounts = tsy_account_list (store, &error);
  if (accounts == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, accounts, (GDestroyNotify) g_ptr_array_unref);
}

static void
on_accounts_listed_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  TsyReconciliationPage *self = TSY_RECONCILIATION_PAGE (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *previous = g_strdup (current_account (self));
  g_autoptr(GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  guint selected = 0;

  end_busy (self);
  if (accounts == NULL)
    {
      show_error (self, error);
      return;
    }
  for (guint i = 0; i < accounts->len; i++)
    {
      const TsyAccountInfo *info = g_ptr_array_index (accounts, i);

      if (g_strcmp0 (info->number, previous) == 0)
        selected = i;
      if (info->name == NULL || info->name[0] == '\0')
        g_ptr_array_add (titles, g_strdup (info->number));
      else
        g_ptr_array_add (titles, g_strdup_printf ("%s %s", info->number, info->name));
    }
  g_ptr_array_add (titles, NULL);
  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  self->accounts = g_steal_pointer (&accounts);
  g_signal_handlers_block_by_func (self->account_dropdown, on_account_selected_cb, self);
  gtk_string_list_splice (self->account_list, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->account_list)),
                          (const char * const *) titles->pdata);
  gtk_drop_down_set_selected (self->account_dropdown, selected);
  g_signal_handlers_unblock_by_func (self->account_dropdown, on_account_selected_cb, self);
  load_view (self);
}

void
tsy_reconciliation_page_reload (TsyReconciliationPage *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TSY_IS_RECONCILIATION_PAGE (self));
  if (self->store == NULL || tsy_store_get_path (self->store) == NULL)
    return;
  begin_busy (self);
  task = g_task_new (self, self->cancellable, on_accounts_listed_cb, NULL);
  g_task_set_task_data (task, g_strdup (tsy_store_get_path (self->store)), g_free);
  g_task_run_in_thread (task, list_accounts_thread);
}

/* ---- actions ------------------------------------------------------------------------------ */

static void
on_reconciled_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(TsyReconciliationPage) self = user_data;
  g_autoptr(GError) error = NULL;
  TsyReconSummary summary = { 0 };

  end_busy (self);
  if (!tsy_reconcile_finish (TSY_STORE (source), result, &summary, &error))
    {
      show_error (self, error);
      return;
    }
  {
    g_autofree char *m = tsy_count_format (summary.matched);
    g_autofree char *n = tsy_count_format (summary.new_matches);
    g_autofree char *s = tsy_count_format (summary.suggested);
    g_autofree char *b = tsy_count_format (summary.unmatched_bank);
    g_autofree char *k = tsy_count_format (summary.unmatched_book);
    /* Translators: %1$s matches (%2$s new), %3$s suggestions, %4$s bank lines and %5$s book
     * entries left unmatched */
    g_autofree char *text = g_strdup_printf (_("Reconciled: %1$s matches (%2$s new), %3$s suggestions, "
                                               "%4$s bank lines and %5$s book entries unmatched"),
                                             m, n, s, b, k);
    show_message (self, text);
  }
  load_view (self);
}

static void
on_reconcile_clicked_cb (TsyReconciliationPage *self)
{
  const char *account = current_account (self);

  if (self->store == NULL || account == NULL)
    return;
  begin_busy (self);
  tsy_reconcile_async (self->store, account, NULL, self->cancellable, on_reconciled_cb, g_object_ref (self));
}

static void
on_accepted_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(TsyReconciliationPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 id = tsy_recon_accept_suggestion_finish (TSY_STORE (source), result, &error);

  end_busy (self);
  if (id == 0)
    {
      show_error (self, error);
      return;
    }
  show_message (self, _("Suggestion accepted"));
  load_view (self);
}

static void
accept_group (TsyReconciliationPage *self,
              TsyReconGroup         *group)
{
  begin_busy (self);
  tsy_recon_accept_suggestion_async (self->store, tsy_recon_group_get_id (group), actor (),
                                     self->cancellable, on_accepted_cb, g_object_ref (self));
}

static void
on_accept_clicked_cb (GtkButton             *button,
                      TsyReconciliationPage *self)
{
  TsyReconGroup *group = g_object_get_data (G_OBJECT (button), "tsy-group");

  if (self->store != NULL && group != NULL && self->busy == 0)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
      accept_group (self, group);
    }
}

void
tsy_reconciliation_page_accept_suggestion (TsyReconciliationPage *self,
                                           guint                  position)
{
  g_autoptr(TsyReconGroup) group = NULL;

  g_return_if_fail (TSY_IS_RECONCILIATION_PAGE (self) && self->view != NULL);
  group = g_list_model_get_item (tsy_recon_view_get_suggestions (self->view), position);
  g_return_if_fail (group != NULL);
  accept_group (self, group);
}

static void
on_matched_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(TsyReconciliationPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 id = tsy_recon_match_finish (TSY_STORE (source), result, &error);

  end_busy (self);
  if (id == 0)
    {
      show_error (self, error);
      return;
    }
  show_message (self, _("Matched"));
  load_view (self);
}

static void
on_match_clicked_cb (TsyReconciliationPage *self)
{
  g_autoptr(GPtrArray) bank = selected_items (self->bank_selection);
  g_autoptr(GPtrArray) book = selected_items (self->book_selection);
  g_autoptr(GPtrArray) refs = g_ptr_array_new ();
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();

  if (self->store == NULL || bank->len == 0 || book->len == 0)
    return;
  for (guint i = 0; i < bank->len; i++)
    g_ptr_array_add (refs, (gpointer) tsy_recon_item_get_ref (bank->pdata[i]));
  for (guint i = 0; i < book->len; i++)
    g_ptr_array_add (ids, (gpointer) tsy_recon_item_get_ref (book->pdata[i]));
  g_ptr_array_add (refs, NULL);
  g_ptr_array_add (ids, NULL);
  begin_busy (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->match_button), FALSE);
  tsy_recon_match_async (self->store, current_account (self),
                         (const char * const *) refs->pdata, (const char * const *) ids->pdata,
                         actor (), self->cancellable, on_matched_cb, g_object_ref (self));
}

static void
on_unmatched_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TsyReconciliationPage) self = user_data;
  g_autoptr(GError) error = NULL;

  end_busy (self);
  if (!tsy_recon_unmatch_finish (TSY_STORE (source), result, &error))
    {
      show_error (self, error);
      return;
    }
  show_message (self, _("Match dissolved"));
  load_view (self);
}

static void
on_unmatch_clicked_cb (TsyReconciliationPage *self)
{
  g_autoptr(GPtrArray) bank = selected_items (self->bank_selection);
  g_autoptr(GPtrArray) book = selected_items (self->book_selection);
  TsyReconItem *item = bank->len > 0 ? bank->pdata[0] : book->len > 0 ? book->pdata[0] : NULL;

  if (self->store == NULL || item == NULL)
    return;
  begin_busy (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->unmatch_button), FALSE);
  tsy_recon_unmatch_async (self->store, current_account (self), tsy_recon_item_get_ref (item),
                           actor (), self->cancellable, on_unmatched_cb, g_object_ref (self));
}

/* ---- the balance reconciliation statement (余额调节表) ------------------------------------ */

static char *
money (const TsyReconStatement *st,
       gint64                   minor)
{
  return tsy_money_format (minor, st->currency, TSY_MONEY_FORMAT_DEFAULT);
}

static GtkWidget *
amount_row (const char *title,
            const char *subtitle,
            const char *amount)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = gtk_label_new (amount);
  g_autofree char *escaped = g_markup_escape_text (title, -1);

  gtk_widget_add_css_class (label, "amount");
  gtk_widget_add_css_class (label, "numeric");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped);
  if (subtitle != NULL)
    {
      g_autofree char *sub = g_markup_escape_text (subtitle, -1);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), sub);
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  return row;
}

static void
add_category (AdwPreferencesPage      *page,
              const TsyReconStatement *st,
              const char              *title,
              GPtrArray               *items)
{
  GtkWidget *group = adw_preferences_group_new ();
  g_autofree char *total = money (st, tsy_recon_statement_total (items));
  g_autofree char *n = tsy_count_format (items->len);
  /* Translators: %1$s items, total %2$s */
  g_autofree char *description = g_strdup_printf (_("%1$s items, total %2$s"), n, total);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  for (guint i = 0; i < items->len; i++)
    {
      const TsyReconStatementItem *item = g_ptr_array_index (items, i);
      g_autofree char *date = tsy_date_to_iso (item->date);
      g_autofree char *amount = money (st, item->amount_minor);
      g_autofree char *t = g_strdup_printf ("%s  %s", date, item->ref != NULL ? item->ref : "");
      g_autofree char *sub = g_strdup_printf ("%s %s", item->counterparty != NULL ? item->counterparty : "",
                                              item->text != NULL ? item->text : "");

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), amount_row (t, g_strstrip (sub), amount));
    }
  adw_preferences_page_add (page, ADW_PREFERENCES_GROUP (group));
}

static void
fill_statement (AdwPreferencesPage      *page,
                const TsyReconStatement *st)
{
  GtkWidget *group = adw_preferences_group_new ();
  g_autofree char *bank = st->has_bank_balance ? money (st, st->bank_balance) : g_strdup (_("no balance"));
  g_autofree char *book = money (st, st->book_balance);
  g_autofree char *adj_bank = money (st, st->adjusted_bank_balance);
  g_autofree char *adj_book = money (st, st->adjusted_book_balance);
  g_autofree char *date = tsy_date_to_iso (st->date);
  g_autofree char *heading = g_strdup_printf ("%s %s · %s · %s", st->account,
                                              st->account_name != NULL ? st->account_name : "",
                                              st->currency, date);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), heading);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), amount_row (_("Bank statement balance"), NULL, bank));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), amount_row (_("Book balance"), NULL, book));
  adw_preferences_page_add (page, ADW_PREFERENCES_GROUP (group));

  add_category (page, st, _("Received by the bank, not in the book (银收企未收)"), st->bank_credits_not_in_book);
  add_category (page, st, _("Paid by the bank, not in the book (银付企未付)"), st->bank_debits_not_in_book);
  add_category (page, st, _("Received in the book, not at the bank (企收银未收)"), st->book_credits_not_at_bank);
  add_category (page, st, _("Paid in the book, not at the bank (企付银未付)"), st->book_debits_not_at_bank);

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Adjusted balances"));
  if (st->charges != NULL && st->charges->len > 0)
    {
      g_autofree char *charges = money (st, tsy_recon_statement_charges_total (st));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), amount_row (_("Bank charges in matches"), NULL, charges));
    }
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), amount_row (_("Adjusted bank balance"), NULL, adj_bank));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), amount_row (_("Adjusted book balance"), NULL, adj_book));
  {
    GtkWidget *row = amount_row (_("Result"), NULL, st->balanced ? _("Balanced") : _("Not balanced"));
    gtk_widget_add_css_class (row, st->balanced ? "success" : "error");
    gtk_widget_set_name (row, "balanced-row");
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  }
  adw_preferences_page_add (page, ADW_PREFERENCES_GROUP (group));
}

static void
write_xlsx_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  GtkWindow *window = source_object;
  const TsyReconStatement *st = g_object_get_data (G_OBJECT (window), "tsy-statement");
  GError *error = NULL;

  if (tsy_recon_xlsx_write (st, task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_xlsx_written_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(TsyReconciliationPage) self = user_data;
  g_autoptr(GError) error = NULL;

  end_busy (self);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    show_error (self, error);
  else
    show_message (self, _("The balance reconciliation statement was exported"));
}

static void
on_export_response_cb (GtkNativeDialog *chooser,
                       int              response,
                       gpointer         user_data)
{
  GtkWindow *window = user_data;
  TsyReconciliationPage *self = g_object_get_data (G_OBJECT (window), "tsy-page");

  if (response == GTK_RESPONSE_ACCEPT && self != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        {
          g_autoptr(GTask) task = g_task_new (window, NULL, on_xlsx_written_cb, g_object_ref (self));

          begin_busy (self);
          g_task_set_task_data (task, path, g_free);
          g_task_run_in_thread (task, write_xlsx_thread);
        }
    }
  g_object_unref (chooser);
}

static void
on_export_clicked_cb (GtkButton *button,
                      GtkWindow *window)
{
  const TsyReconStatement *st = g_object_get_data (G_OBJECT (window), "tsy-statement");
  GtkFileChooserNative *chooser;
  g_autofree char *date = NULL;
  g_autofree char *name = NULL;

  if (st == NULL)
    return;
  date = tsy_date_to_iso (st->date);
  /* Translators: the default file name of the export; %1$s account, %2$s date */
  name = g_strdup_printf (_("balance-reconciliation-%1$s-%2$s.xlsx"), st->account, date);
  chooser = gtk_file_chooser_native_new (_("Export to Excel"), window, GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_response_cb), window);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_statement_built_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GtkWindow) window = user_data;
  TsyReconciliationPage *self = g_object_get_data (G_OBJECT (window), "tsy-page");
  g_autoptr(GError) error = NULL;
  TsyReconStatement *st = tsy_recon_statement_build_finish (TSY_STORE (source), result, &error);
  AdwPreferencesPage *page = g_object_get_data (G_OBJECT (window), "tsy-prefs");
  GtkWidget *export = g_object_get_data (G_OBJECT (window), "tsy-export");

  if (self != NULL)
    end_busy (self);
  if (st == NULL)
    {
      if (self != NULL)
        show_error (self, error);
      gtk_window_destroy (window);
      return;
    }
  g_object_set_data_full (G_OBJECT (window), "tsy-statement", st, (GDestroyNotify) tsy_recon_statement_free);
  if (self != NULL)
    self->statement = st;
  fill_statement (page, st);
  gtk_widget_set_sensitive (export, TRUE);
}

static void
on_statement_window_destroy_cb (GtkWindow             *window,
                                TsyReconciliationPage *self)
{
  if (self->statement == g_object_get_data (G_OBJECT (window), "tsy-statement"))
    self->statement = NULL;
}

GtkWindow *
tsy_reconciliation_page_open_statement (TsyReconciliationPage *self,
                                        TsyDate                date)
{
  const char *account = current_account (self);
  GtkWidget *window, *box, *header, *export, *page;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  g_return_val_if_fail (TSY_IS_RECONCILIATION_PAGE (self), NULL);
  if (self->store == NULL || account == NULL)
    return NULL;
  if (date == 0)
    date = tsy_date_today ();

  window = adw_window_new ();
  gtk_window_set_title (GTK_WINDOW (window), _("Balance Reconciliation Statement"));
  gtk_window_set_default_size (GTK_WINDOW (window), 720, 760);
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  export = gtk_button_new_with_mnemonic (_("_Export to Excel…"));
  gtk_widget_set_sensitive (export, FALSE);
  g_signal_connect (export, "clicked", G_CALLBACK (on_export_clicked_cb), window);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), export);
  page = adw_preferences_page_new ();
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), page);
  adw_window_set_content (ADW_WINDOW (window), box);
  g_object_set_data_full (G_OBJECT (window), "tsy-page", g_object_ref (self), g_object_unref);
  g_object_set_data (G_OBJECT (window), "tsy-prefs", page);
  g_object_set_data (G_OBJECT (window), "tsy-export", export);
  g_signal_connect_object (window, "destroy", G_CALLBACK (on_statement_window_destroy_cb), self, 0);
  gtk_window_present (GTK_WINDOW (window));

  begin_busy (self);
  tsy_recon_statement_build_async (self->store, account, date, self->cancellable,
                                   on_statement_built_cb, g_object_ref (window));
  return GTK_WINDOW (window);
}

static void
on_statement_clicked_cb (TsyReconciliationPage *self)
{
  TsyDate to = 0;

  if (!entry_date (self->to_entry, &to))
    to = 0;
  tsy_reconciliation_page_open_statement (self, to);
}

/* ---- GObject ------------------------------------------------------------------------------ */

void
tsy_reconciliation_page_set_store (TsyReconciliationPage *self,
                                   TsyStore              *store)
{
  g_return_if_fail (TSY_IS_RECONCILIATION_PAGE (self));
  if (self->store == store)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_set_object (&self->store, store);
  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_signal_handlers_block_by_func (self->account_dropdown, on_account_selected_cb, self);
  gtk_string_list_splice (self->account_list, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->account_list)), NULL);
  g_signal_handlers_unblock_by_func (self->account_dropdown, on_account_selected_cb, self);
  apply_view (self, NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->reconcile_button), store != NULL);
  tsy_reconciliation_page_reload (self);
}

TsyStore *
tsy_reconciliation_page_get_store (TsyReconciliationPage *self)
{
  return self->store;
}

gboolean
tsy_reconciliation_page_get_busy (TsyReconciliationPage *self)
{
  return self->busy > 0;
}

GtkDropDown *
tsy_reconciliation_page_get_account_dropdown (TsyReconciliationPage *self)
{
  return self->account_dropdown;
}

GtkColumnView *
tsy_reconciliation_page_get_bank_view (TsyReconciliationPage *self)
{
  return self->bank_view;
}

GtkColumnView *
tsy_reconciliation_page_get_book_view (TsyReconciliationPage *self)
{
  return self->book_view;
}

GtkCheckButton *
tsy_reconciliation_page_get_unmatched_check (TsyReconciliationPage *self)
{
  return self->unmatched_check;
}

GtkButton *
tsy_reconciliation_page_get_match_button (TsyReconciliationPage *self)
{
  return self->match_button;
}

GtkButton *
tsy_reconciliation_page_get_reconcile_button (TsyReconciliationPage *self)
{
  return self->reconcile_button;
}

GtkLabel *
tsy_reconciliation_page_get_difference_label (TsyReconciliationPage *self)
{
  return self->difference_label;
}

TsyReconView *
tsy_reconciliation_page_get_view (TsyReconciliationPage *self)
{
  return self->view;
}

const TsyReconStatement *
tsy_reconciliation_page_get_statement (TsyReconciliationPage *self)
{
  return self->statement;
}

const char *
tsy_reconciliation_page_get_last_message (TsyReconciliationPage *self,
                                          gboolean              *is_error)
{
  if (is_error != NULL)
    *is_error = self->last_is_error;
  return self->last_message;
}

GtkWidget *
tsy_reconciliation_page_new (void)
{
  return g_object_new (TSY_TYPE_RECONCILIATION_PAGE, NULL);
}

static void
tsy_reconciliation_page_dispose (GObject *object)
{
  TsyReconciliationPage *self = TSY_RECONCILIATION_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TSY_TYPE_RECONCILIATION_PAGE);
  /* the unnamed boxes of the template */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->view);
  g_clear_object (&self->bank_selection);
  g_clear_object (&self->book_selection);
  g_clear_object (&self->filter);
  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  G_OBJECT_CLASS (tsy_reconciliation_page_parent_class)->dispose (object);
}

static void
tsy_reconciliation_page_finalize (GObject *object)
{
  TsyReconciliationPage *self = TSY_RECONCILIATION_PAGE (object);

  g_free (self->last_message);
  G_OBJECT_CLASS (tsy_reconciliation_page_parent_class)->finalize (object);
}

static void
tsy_reconciliation_page_class_init (TsyReconciliationPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsy_reconciliation_page_dispose;
  object_class->finalize = tsy_reconciliation_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/treasurydesk/TreasuryDesk/tsy-reconciliation-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TsyReconciliationPage, account_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsyReconciliationPage, account_list);
  gtk_widget_class_bind_template_child (widget_class, TsyReconciliationPage, reconcile_button);
  gtk_widget_class_bind_template_child (widget_class, TsyReconciliationPage, unmatched_check);
  gtk_widget_class_bind_template_child (widget_class, TsyReconciliationPage, from_entry);
  gtk_widget_class_bind_template_child (widget_class, TsyReconciliationPage, to_entry);
  gtk_widget_class_bind_template_child (widget_class, TsyReconciliationPage, amount_entry);
  gtk_widget_class_bind_template_child (widget_class, TsyReconciliationPage, statement_button);
  gtk_widget_class_bind_template_child (widget_class, TsyReconciliationPage, bank_heading);
  gtk_widget_class_bind_template_child (widget_class, TsyReconciliationPage, book_heading);
  gtk_widget_class_bind_template_child (widget_class, TsyReconciliationPage, suggestions_heading);
  gtk_widget_class_bind_template_child (widget_class, TsyReconciliationPage, bank_view);
  gtk_widget_class_bind_template_child (widget_class, TsyReconciliationPage, book_view);
  gtk_widget_class_bind_template_child (widget_class, TsyReconciliationPage, suggestions_list);
  gtk_widget_class_bind_template_child (widget_class, TsyReconciliationPage, counts_label);
  gtk_widget_class_bind_template_child (widget_class, TsyReconciliationPage, difference_label);
  gtk_widget_class_bind_template_child (widget_class, TsyReconciliationPage, match_button);
  gtk_widget_class_bind_template_child (widget_class, TsyReconciliationPage, unmatch_button);
  gtk_widget_class_bind_template_callback (widget_class, on_account_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_reconcile_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_period_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_statement_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_match_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_unmatch_clicked_cb);
  gtk_widget_class_set_css_name (widget_class, "reconciliation-page");
}

static void
tsy_reconciliation_page_init (TsyReconciliationPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  tsy_ui_drop_down_ellipsize (self->account_dropdown, 14);

  self->cancellable = g_cancellable_new ();
  self->filter = gtk_custom_filter_new (item_visible, self, NULL);
  self->bank_filtered = gtk_filter_list_model_new (NULL, g_object_ref (GTK_FILTER (self->filter)));
  self->book_filtered = gtk_filter_list_model_new (NULL, g_object_ref (GTK_FILTER (self->filter)));
  self->bank_selection = gtk_multi_selection_new (G_LIST_MODEL (self->bank_filtered));
  self->book_selection = gtk_multi_selection_new (G_LIST_MODEL (self->book_filtered));
  g_signal_connect (self->bank_selection, "selection-changed", G_CALLBACK (on_selection_changed_cb), self);
  g_signal_connect (self->book_selection, "selection-changed", G_CALLBACK (on_selection_changed_cb), self);
  gtk_column_view_set_model (self->bank_view, GTK_SELECTION_MODEL (self->bank_selection));
  gtk_column_view_set_model (self->book_view, GTK_SELECTION_MODEL (self->book_selection));
  add_columns (self->bank_view, TRUE);
  add_columns (self->book_view, FALSE);
  {
    GtkWidget *none = gtk_label_new (_("No suggestions: every open item is either unique or has no candidate"));

    gtk_widget_add_css_class (none, "dim-label");
    gtk_widget_set_margin_top (none, 12);
    gtk_widget_set_margin_bottom (none, 12);
    gtk_list_box_set_placeholder (self->suggestions_list, none);
  }
  gtk_widget_set_sensitive (GTK_WIDGET (self->reconcile_button), FALSE);
  apply_view (self, NULL);
}
