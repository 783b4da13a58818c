/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "ledger/tsy-account.h"
#include "ledger/tsy-line-model.h"
#include "ledger/tsy-money.h"
#include "tsy-amount-label.h"
#include "tsy-import-queue.h"
#include "tsy-import-target-dialog.h"
#include "tsy-line-detail.h"
#include "tsy-money-format.h"
#include "tsy-statements-page-private.h"
#include "tsy-statements-page.h"

/*
 * Why this table does not follow STYLE §5 (GtkFilterListModel → GtkSortListModel → model):
 * those models ask every item of their source for its properties, and the TsyLineModel is
 * built to hold a million lines of which only the pages on screen are ever read. So the
 * filters of the toolbar become a TsyLineFilter and the sort order a TsyLineSort, and SQL
 * does both on the model's worker thread.
 *
 * The column headers still sort: every column has a GtkCustomSorter, and when the column
 * view's sorter changes we find out which column is now its primary one and in which
 * direction. GTK 4.8 has no public GtkColumnViewSorter (primary-sort-column arrives in 4.10),
 * but its compare() asks the primary column's sorter first and swaps the items when that
 * column is descending. So we compare two probe objects: the first column sorter called is
 * the primary column, and the result tells the direction. Nothing else ever calls these
 * sorters, as no sort model sits on the view.
 */

typedef struct
{
  TsyStatementsPage *page;   /* (unowned): the sorter lives in the page's column view */
  TsyLineSort        sort;
} SortProbe;

struct _TsyStatementsPage
{
  GtkWidget            parent_instance;

  /* template */
  GtkDropDown         *account_dropdown;
  GtkStringList       *account_list;
  GtkLabel            *from_label;
  GtkPopover          *from_popover;
  GtkCalendar         *from_calendar;
  GtkLabel            *to_label;
  GtkPopover          *to_popover;
  GtkCalendar         *to_calendar;
  GtkSearchEntry      *search_entry;
  GtkEntry            *min_entry;
  GtkEntry            *max_entry;
  GtkRevealer         *import_revealer;
  GtkLabel            *import_label;
  GtkProgressBar      *import_progress;
  GtkStack            *content_stack;
  GtkColumnView       *column_view;
  GtkSingleSelection  *selection;
  GtkColumnViewColumn *booking_date_column;
  GtkColumnViewColumn *value_date_column;
  GtkColumnViewColumn *account_column;
  GtkColumnViewColumn *amount_column;
  GtkColumnViewColumn *currency_column;
  GtkColumnViewColumn *bank_ref_column;
  GtkColumnViewColumn *counterparty_column;
  GtkColumnViewColumn *counterparty_account_column;
  GtkColumnViewColumn *text_column;
  GtkColumnViewColumn *end_to_end_column;
  GtkWidget           *detail_pane;
  TsyLineDetail       *detail;
  GtkLabel            *count_label;

  TsyStore            *store;
  TsyLineModel        *lines;
  GCancellable        *accounts_cancellable;
  /* (element-type TsyAccountInfo): the accounts after "All accounts" in the drop-down */
  GPtrArray           *accounts;
  gboolean             loading;
  gboolean             updating_accounts;
  gboolean             updating_calendar;

  /* the filter shown in the toolbar */
  char                *account;       /* number, NULL: all accounts */
  TsyDate              from;
  TsyDate              to;
  char                *search_text;   /* NULL: no text */
  gboolean             has_min;
  gint64               min_minor;
  gboolean             has_max;
  gint64               max_minor;

  /* the sort order, from the column headers */
  TsyLineSort          sort;
  gboolean             descending;
  GObject             *probe_a;
  GObject             *probe_b;
  gboolean             probing;
  int                  probe_hit;     /* TsyLineSort of the first sorter asked, or -1 */

  /* imports: one file at a time, the rest queued */
  TsyImportQueue      *imports;
  gboolean             import_changed_data;
  GtkNativeDialog     *chooser;
  GtkWindow           *target_dialog;   /* (unowned): the account asked for a refused file */
  GQueue               refused;         /* GFile, with its "tsy-error": waiting for the dialog */

  char                *last_message;
  gboolean             last_is_error;
};

G_DEFINE_FINAL_TYPE (TsyStatementsPage, tsy_statements_page, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_STORE,
  PROP_LOADING,
  PROP_IMPORTING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_IMPORTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Helpers ---------------------------------------------------------------- */

/* g_set_str() arrives in GLib 2.76; the baseline is 2.74. */
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

static void
set_loading (TsyStatementsPage *self,
             gboolean           loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
remember_message (TsyStatementsPage *self,
                  const char        *text,
                  gboolean           is_error)
{
  replace_string (&self->last_message, text);
  self->last_is_error = is_error;
}

static void
show_toast (TsyStatementsPage *self,
            const char        *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  g_autofree char *markup = g_markup_escape_text (text, -1);

  remember_message (self, text, FALSE);
  if (overlay == NULL)
    {
      g_message ("%s", text);
      return;
    }
  /* A toast title is Pango markup in libadwaita 1.2: file names may hold '&' or '<'. */
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (markup));
}

static void
on_error_toast_button_clicked_cb (AdwToast *toast,
                                  gpointer  user_data)
{
  GtkWidget *widget = user_data;
  const char *message = g_object_get_data (G_OBJECT (toast), "tsy-message");
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Import Failed"), message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

/* An error stays until dismissed; the message may be long (file, line, reason), so the toast
 * wraps it and offers the whole text in a dialog. */
static void
show_error_toast (TsyStatementsPage *self,
                  const GError      *error)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  g_autoptr(AdwToast) toast = NULL;
  GtkWidget *label;

  g_debug ("import error shown: %s (%s %d)", error->message,
           g_quark_to_string (error->domain), error->code);
  remember_message (self, error->message, TRUE);
  if (overlay == NULL)
    {
      g_message ("%s", error->message);
      return;
    }
  label = gtk_label_new (error->message);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 60);
  gtk_label_set_lines (GTK_LABEL (label), 3);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (label), 0);

  toast = adw_toast_new ("");
  adw_toast_set_custom_title (toast, label);
  adw_toast_set_timeout (toast, 0);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_button_label (toast, _("_Details"));
  g_object_set_data_full (G_OBJECT (toast), "tsy-message", g_strdup (error->message), g_free);
  g_signal_connect_object (toast, "button-clicked",
                           G_CALLBACK (on_error_toast_button_clicked_cb), overlay, 0);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), g_steal_pointer (&toast));
}

/* Views ------------------------------------------------------------------ */

static gboolean
filter_is_active (TsyStatementsPage *self)
{
  return self->account != NULL || self->from != TSY_DATE_NONE || self->to != TSY_DATE_NONE ||
         self->search_text != NULL || self->has_min || self->has_max;
}

static guint
n_lines (TsyStatementsPage *self)
{
  return self->lines != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->lines)) : 0;
}

static void
update_content_stack (TsyStatementsPage *self)
{
  const char *name = "table";

  if (self->store == NULL)
    name = "empty";
  else if (n_lines (self) == 0 && !self->loading)
    name = filter_is_active (self) ? "no-results" : "empty";
  gtk_stack_set_visible_child_name (self->content_stack, name);
}

static void
update_count (TsyStatementsPage *self)
{
  guint n = n_lines (self);
  g_autofree char *count = NULL;
  g_autofree char *text = NULL;

  if (self->store == NULL || (self->loading && n == 0))
    {
      gtk_label_set_text (self->count_label, "");
      return;
    }
  count = tsy_count_format (n);
  /* Translators: %s is a number (already formatted, e.g. "1,234"). */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s line", "%s lines", n), count);
  gtk_label_set_text (self->count_label, text);
}

static void
update_date_labels (TsyStatementsPage *self)
{
  g_autofree char *from = self->from != TSY_DATE_NONE ? tsy_date_to_iso (self->from) : NULL;
  g_autofree char *to = self->to != TSY_DATE_NONE ? tsy_date_to_iso (self->to) : NULL;

  /* Translators: the button of the first booking date shown, when none is chosen. */
  gtk_label_set_text (self->from_label, from != NULL ? from : C_("date filter", "From"));
  /* Translators: the button of the last booking date shown, when none is chosen. */
  gtk_label_set_text (self->to_label, to != NULL ? to : C_("date filter", "To"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "statements.clear-from",
                                 self->from != TSY_DATE_NONE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "statements.clear-to",
                                 self->to != TSY_DATE_NONE);
}

static void
show_detail (TsyStatementsPage *self,
             TsyLineItem       *item)
{
  tsy_line_detail_set_item (self->detail, item);
  gtk_widget_set_visible (self->detail_pane, item != NULL);
}

/* Filtering --------------------------------------------------------------- */

static void
apply_filter (TsyStatementsPage *self)
{
  TsyLineFilter filter = { 0, };

  update_content_stack (self);
  if (self->lines == NULL)
    return;
  filter.account = self->account;
  filter.from = self->from;
  filter.to = self->to;
  filter.text = self->search_text;
  filter.has_min = self->has_min;
  filter.min_minor = self->min_minor;
  filter.has_max = self->has_max;
  filter.max_minor = self->max_minor;
  tsy_line_model_set_filter (self->lines, &filter);
}

static const TsyAccountInfo *
selected_account (TsyStatementsPage *self)
{
  if (self->account == NULL || self->accounts == NULL)
    return NULL;
  for (guint i = 0; i < self->accounts->len; i++)
    {
      const TsyAccountInfo *info = g_ptr_array_index (self->accounts, i);
      if (g_strcmp0 (info->number, self->account) == 0)
        return info;
    }
  return NULL;
}

/* The currency whose exponent reads the amount entries: the chosen account's; with all
 * accounts, theirs when they all have the same exponent. NULL when that is ambiguous (a JPY
 * and a CNY account: "100" would be 100 yen but 1.00 yuan in minor units). */
static const char *
amount_currency (TsyStatementsPage *self)
{
  const TsyAccountInfo *account = selected_account (self);
  const char *currency = "CNY";

  if (account != NULL)
    return account->currency;
  if (self->accounts == NULL || self->accounts->len == 0)
    return currency;
  currency = ((TsyAccountInfo *) g_ptr_array_index (self->accounts, 0))->currency;
  for (guint i = 1; i < self->accounts->len; i++)
    {
      const TsyAccountInfo *info = g_ptr_array_index (self->accounts, i);
      if (tsy_currency_exponent (info->currency) != tsy_currency_exponent (currency))
        return NULL;
    }
  return currency;
}

/* Reads one amount entry into minor units, with the parser of the ledger (never a float).
 * Returns FALSE, and marks the entry, when the text is no amount. */
static gboolean
parse_amount_entry (TsyStatementsPage *self,
                    GtkEntry          *entry,
                    gboolean          *out_has,
                    gint64            *out_minor)
{
  const char *tooltip = g_object_get_data (G_OBJECT (entry), "tsy-tooltip");
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  TsyNumberSymbols symbols;
  const char *currency;
  gint64 minor = 0;

  *out_has = FALSE;
  *out_minor = 0;
  if (text[0] == '\0')
    {
      gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (entry), tooltip);
      return TRUE;
    }

  currency = amount_currency (self);
  tsy_number_symbols_get_locale (&symbols);
  if (currency == NULL)
    message = g_strdup (_("Choose an account first: the accounts’ currencies have different numbers of decimals."));
  else if (!tsy_money_parse (text, -1, currency,
                             g_strcmp0 (symbols.decimal_point, ",") == 0 ? TSY_DECIMAL_COMMA
                                                                         : TSY_DECIMAL_POINT,
                             &minor, &error))
    message = g_strdup (error->message);
  else if (minor < 0)
    message = g_strdup (_("Enter the amount without a sign: money in and money out are compared by size."));

  if (message != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (entry), message);
      return FALSE;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
  gtk_widget_set_tooltip_text (GTK_WIDGET (entry), tooltip);
  *out_has = TRUE;
  *out_minor = minor;
  return TRUE;
}

/* Applies the amount entries; while one holds no amount the list stays as it is.
 * Returns: whether the filter was applied (queried again). */
static gboolean
read_amount_entries (TsyStatementsPage *self,
                     gboolean           force)
{
  gboolean has_min, has_max;
  gint64 min_minor, max_minor;
  gboolean min_ok = parse_amount_entry (self, self->min_entry, &has_min, &min_minor);
  gboolean max_ok = parse_amount_entry (self, self->max_entry, &has_max, &max_minor);

  if (!min_ok || !max_ok)
    return FALSE;
  if (!force && has_min == self->has_min && min_minor == self->min_minor &&
      has_max == self->has_max && max_minor == self->max_minor)
    return FALSE;
  self->has_min = has_min;
  self->min_minor = min_minor;
  self->has_max = has_max;
  self->max_minor = max_minor;
  apply_filter (self);
  return TRUE;
}

/* Sorting ---------------------------------------------------------------- */

static int
probe_compare (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  SortProbe *probe = user_data;
  TsyStatementsPage *self = probe->page;

  if (!self->probing)
    return GTK_ORDERING_EQUAL;
  if (self->probe_hit < 0)
    self->probe_hit = (int) probe->sort;
  return a == (gconstpointer) self->probe_a ? GTK_ORDERING_SMALLER : GTK_ORDERING_LARGER;
}

static void
on_view_sorter_changed_cb (TsyStatementsPage *self,
                           GtkSorterChange    change,
                           GtkSorter         *sorter)
{
  GtkOrdering order;

  self->probing = TRUE;
  self->probe_hit = -1;
  order = gtk_sorter_compare (sorter, self->probe_a, self->probe_b);
  self->probing = FALSE;

  if (self->probe_hit < 0)
    {
      /* No column chosen: newest first, as the model starts. */
      self->sort = TSY_LINE_SORT_BOOKING_DATE;
      self->descending = TRUE;
    }
  else
    {
      self->sort = (TsyLineSort) self->probe_hit;
      self->descending = order == GTK_ORDERING_LARGER;
    }
  if (self->lines != NULL)
    tsy_line_model_set_sort (self->lines, self->sort, self->descending);
}

static void
setup_sorters (TsyStatementsPage *self)
{
  const struct { GtkColumnViewColumn *column; TsyLineSort sort; } columns[] = {
    { self->booking_date_column, TSY_LINE_SORT_BOOKING_DATE },
    { self->value_date_column, TSY_LINE_SORT_VALUE_DATE },
    { self->account_column, TSY_LINE_SORT_ACCOUNT },
    { self->amount_column, TSY_LINE_SORT_AMOUNT },
    { self->currency_column, TSY_LINE_SORT_CURRENCY },
    { self->bank_ref_column, TSY_LINE_SORT_BANK_REF },
    { self->counterparty_column, TSY_LINE_SORT_COUNTERPARTY },
    { self->counterparty_account_column, TSY_LINE_SORT_COUNTERPARTY_ACCOUNT },
    { self->text_column, TSY_LINE_SORT_TEXT },
    { self->end_to_end_column, TSY_LINE_SORT_END_TO_END_ID },
  };

  self->probe_a = g_object_new (G_TYPE_OBJECT, NULL);
  self->probe_b = g_object_new (G_TYPE_OBJECT, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      SortProbe *probe = g_new0 (SortProbe, 1);
      g_autoptr(GtkCustomSorter) sorter = NULL;

      probe->page = self;
      probe->sort = columns[i].sort;
      sorter = gtk_custom_sorter_new (probe_compare, probe, g_free);
      gtk_column_view_column_set_sorter (columns[i].column, GTK_SORTER (sorter));
    }
  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (on_view_sorter_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_column_view_sort_by_column (self->column_view, self->booking_date_column,
                                  GTK_SORT_DESCENDING);
}

/* The account drop-down ---------------------------------------------------- */

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

static char *
account_title (const TsyAccountInfo *info)
{
  if (info->name == NULL || info->name[0] == '\0' || g_strcmp0 (info->name, info->number) == 0)
    return g_strdup (info->number);
  return g_strdup_printf ("%s %s", info->number, info->name);
}

static void
apply_accounts (TsyStatementsPage *self,
                GPtrArray         *accounts)
{
  g_autoptr(GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->account_list));
  guint selected = 0;
  gboolean still_there = self->account == NULL;

  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  self->accounts = accounts != NULL ? g_ptr_array_ref (accounts) : NULL;

  g_ptr_array_add (titles, g_strdup (_("All accounts")));
  for (guint i = 0; accounts != NULL && i < accounts->len; i++)
    {
      const TsyAccountInfo *info = g_ptr_array_index (accounts, i);

      g_ptr_array_add (titles, account_title (info));
      if (g_strcmp0 (info->number, self->account) == 0)
        {
          selected = i + 1;
          still_there = TRUE;
        }
    }
  g_ptr_array_add (titles, NULL);

  self->updating_accounts = TRUE;
  gtk_string_list_splice (self->account_list, 0, n, (const char * const *) titles->pdata);
  gtk_drop_down_set_selected (self->account_dropdown, selected);
  self->updating_accounts = FALSE;

  if (!still_there)
    {
      g_clear_pointer (&self->account, g_free);
      apply_filter (self);
    }
  /* The amounts typed may read differently with these currencies. */
  read_amount_entries (self, FALSE);
}

static void
on_accounts_listed_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(TsyStatementsPage) self = user_data;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;

  accounts = g_task_propagate_pointer (G_TASK (result), &error);
  if (accounts == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error_toast (self, error);
      return;
    }
  apply_accounts (self, accounts);
}

static void
load_accounts (TsyStatementsPage *self)
{
  g_autoptr(GTask) task = NULL;

  g_cancellable_cancel (self->accounts_cancellable);
  g_clear_object (&self->accounts_cancellable);
  if (self->store == NULL)
    {
      apply_accounts (self, NULL);
      return;
    }
  self->accounts_cancellable = g_cancellable_new ();
  task = g_task_new (NULL, self->accounts_cancellable, on_accounts_listed_cb,
                     g_object_ref (self));
  g_task_set_source_tag (task, load_accounts);
  g_task_set_task_data (task, g_strdup (tsy_store_get_path (self->store)), g_free);
  g_task_run_in_thread (task, list_accounts_thread);
}

/* The line model ------------------------------------------------------------ */

static void
on_lines_loading_cb (TsyStatementsPage *self)
{
  set_loading (self, tsy_line_model_get_loading (self->lines));
  update_count (self);
  update_content_stack (self);
}

static void
on_lines_n_items_cb (TsyStatementsPage *self)
{
  update_count (self);
  update_content_stack (self);
}

static void
on_lines_error_cb (TsyStatementsPage *self,
                   GError            *error)
{
  show_error_toast (self, error);
}

static void
set_lines (TsyStatementsPage *self,
           TsyLineModel      *lines)
{
  if (self->lines != NULL)
    g_signal_handlers_disconnect_by_data (self->lines, self);
  g_set_object (&self->lines, lines);
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (lines));
  show_detail (self, NULL);
  if (lines == NULL)
    {
      set_loading (self, FALSE);
      update_count (self);
      update_content_stack (self);
      return;
    }
  g_signal_connect_object (lines, "notify::loading", G_CALLBACK (on_lines_loading_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (lines, "notify::n-items", G_CALLBACK (on_lines_n_items_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (lines, "error", G_CALLBACK (on_lines_error_cb), self,
                           G_CONNECT_SWAPPED);
  tsy_line_model_set_sort (lines, self->sort, self->descending);
  apply_filter (self);   /* queries */
  on_lines_loading_cb (self);
}

/* Importing (TsyImportQueue does the work) ------------------------------------ */

static void
on_imports_importing_cb (TsyStatementsPage *self)
{
  gboolean importing = tsy_import_queue_get_importing (self->imports);

  gtk_revealer_set_reveal_child (self->import_revealer, importing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "statements.cancel-import", importing);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMPORTING]);
}

static void
on_imports_file_imported_cb (TsyStatementsPage *self,
                             GFile             *file,
                             gpointer           data)
{
  const TsyImportResult *result = data;
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *summary = tsy_import_queue_describe (name, result);

  show_toast (self, summary);
  if (result->statements > 0 || result->new_lines > 0)
    self->import_changed_data = TRUE;
}

static void on_target_dialog_response_cb (TsyStatementsPage *self,
                                          const char        *response,
                                          AdwMessageDialog  *dialog);

/* Asks the account (and column profile) of @file, refused with @error, or of files to choose. */
static void
present_target_dialog (TsyStatementsPage *self,
                       GFile             *file,
                       const GError      *error)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  self->target_dialog =
    GTK_WINDOW (tsy_import_target_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                              file, error, self->accounts, self->account));
  g_signal_connect_object (self->target_dialog, "response",
                           G_CALLBACK (on_target_dialog_response_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (self->target_dialog);
}

static void
present_next_refused (TsyStatementsPage *self)
{
  g_autoptr(GFile) file = NULL;

  if (self->target_dialog == NULL && (file = g_queue_pop_head (&self->refused)) != NULL)
    present_target_dialog (self, file, g_object_get_data (G_OBJECT (file), "tsy-error"));
}

static void
on_imports_file_failed_cb (TsyStatementsPage *self,
                           GFile             *file,
                           GError            *error)
{
  if (!tsy_import_target_dialog_can_resolve (file, error))
    {
      show_error_toast (self, error);
      return;
    }
  /* The file names no account the ledger knows, or a layout it does not read: the user says
   * which account (or column profile), one file at a time. Our own GFile carries the reason. */
  remember_message (self, error->message, TRUE);
  file = g_file_dup (file);
  g_object_set_data_full (G_OBJECT (file), "tsy-error", g_error_copy (error),
                          (GDestroyNotify) g_error_free);
  g_queue_push_tail (&self->refused, file);
  present_next_refused (self);
}

static void
on_imports_cancelled_cb (TsyStatementsPage *self,
                         GFile             *file)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *text = NULL;

  /* Translators: %s is a file name. The import is all or nothing per file. */
  text = g_strdup_printf (_("Import of %s cancelled: nothing of it was kept"), name);
  show_toast (self, text);
  /* Query again all the same: what is on screen comes from the database, never from what we
   * believe happened (a cancel may cross the file's commit). */
  self->import_changed_data = TRUE;
}

static void
on_imports_finished_cb (TsyStatementsPage *self)
{
  if (!self->import_changed_data)
    return;
  self->import_changed_data = FALSE;
  tsy_statements_page_reload (self);
  g_signal_emit (self, signals[SIGNAL_IMPORTED], 0);
}

static void
on_chooser_response_cb (GtkNativeDialog *chooser,
                        int              response,
                        gpointer         user_data)
{
  TsyStatementsPage *self = TSY_STATEMENTS_PAGE (user_data);
  g_autoptr(GListModel) files = NULL;

  if (response == GTK_RESPONSE_ACCEPT && self->store != NULL)
    tsy_import_queue_add_files_with_options (self->imports,
                                             files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser)),
                                             g_object_get_data (G_OBJECT (chooser), "tsy-account"),
                                             g_object_get_data (G_OBJECT (chooser), "tsy-profile"));
  if (self->chooser == chooser)
    g_clear_object (&self->chooser);
}

static void
run_chooser (TsyStatementsPage *self,
             const char        *account,
             const char        *profile)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  chooser = tsy_import_target_dialog_new_files_chooser (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                             : NULL);
  g_object_set_data_full (G_OBJECT (chooser), "tsy-account", g_strdup (account), g_free);
  g_object_set_data_full (G_OBJECT (chooser), "tsy-profile", g_strdup (profile), g_free);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_chooser_response_cb), self, 0);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

static void
on_target_dialog_response_cb (TsyStatementsPage *self,
                              const char        *response,
                              AdwMessageDialog  *dialog)
{
  TsyImportTargetDialog *target = TSY_IMPORT_TARGET_DIALOG (dialog);
  GFile *file = tsy_import_target_dialog_get_file (target);
  const char *account = tsy_import_target_dialog_get_account (target);
  const char *profile = tsy_import_target_dialog_get_profile (target);
  g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);

  /* Cancel: the refused file was rolled back whole, nothing of it is stored. */
  if (g_strcmp0 (response, "import") == 0 && file == NULL)
    run_chooser (self, account, profile);
  else if (g_strcmp0 (response, "import") == 0 && self->store != NULL)
    {
      g_list_store_append (files, file);
      tsy_import_queue_add_files_with_options (self->imports, G_LIST_MODEL (files), account,
                                               profile);
    }
  if (self->target_dialog == GTK_WINDOW (dialog))
    self->target_dialog = NULL;
  present_next_refused (self);
}

static gboolean
on_drop_target_drop_cb (TsyStatementsPage *self,
                        const GValue      *value,
                        double             x,
                        double             y,
                        GtkDropTarget     *target)
{
  GSList *files;
  g_autoptr(GListStore) store = NULL;

  if (self->store == NULL || !G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  files = gdk_file_list_get_files (g_value_get_boxed (value));
  store = g_list_store_new (G_TYPE_FILE);
  for (GSList *l = files; l != NULL; l = l->next)
    g_list_store_append (store, l->data);
  g_slist_free (files);
  if (g_list_model_get_n_items (G_LIST_MODEL (store)) == 0)
    return FALSE;
  tsy_statements_page_import_files (self, G_LIST_MODEL (store));
  return TRUE;
}

/* Template callbacks --------------------------------------------------------- */

static void
on_account_dropdown_selected_cb (TsyStatementsPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->account_dropdown);
  const char *number = NULL;

  if (self->updating_accounts)
    return;
  if (selected != GTK_INVALID_LIST_POSITION && selected > 0 && self->accounts != NULL &&
      selected - 1 < self->accounts->len)
    number = ((TsyAccountInfo *) g_ptr_array_index (self->accounts, selected - 1))->number;
  if (!replace_string (&self->account, number))
    return;
  /* The chosen account's currency reads the amounts. */
  if (!read_amount_entries (self, TRUE))
    apply_filter (self);
}

static void
select_calendar_day (TsyStatementsPage *self,
                     GtkCalendar       *calendar,
                     TsyDate            date)
{
  g_autoptr(GDateTime) when = NULL;
  int y, m, d;

  tsy_date_to_ymd (date != TSY_DATE_NONE ? date : tsy_date_today (), &y, &m, &d);
  when = g_date_time_new_local (y, m, d, 12, 0, 0);
  self->updating_calendar = TRUE;
  gtk_calendar_select_day (calendar, when);
  self->updating_calendar = FALSE;
}

static TsyDate
calendar_date (GtkCalendar *calendar)
{
  g_autoptr(GDateTime) when = gtk_calendar_get_date (calendar);

  return tsy_date_from_ymd (g_date_time_get_year (when), g_date_time_get_month (when),
                            g_date_time_get_day_of_month (when));
}

static void
on_from_popover_show_cb (TsyStatementsPage *self)
{
  select_calendar_day (self, self->from_calendar, self->from);
}

static void
on_to_popover_show_cb (TsyStatementsPage *self)
{
  select_calendar_day (self, self->to_calendar, self->to);
}

static void
set_dates (TsyStatementsPage *self,
           TsyDate            from,
           TsyDate            to)
{
  if (self->from == from && self->to == to)
    return;
  self->from = from;
  self->to = to;
  update_date_labels (self);
  apply_filter (self);
}

static void
on_from_calendar_day_selected_cb (TsyStatementsPage *self)
{
  TsyDate date;

  if (self->updating_calendar)
    return;
  date = calendar_date (self->from_calendar);
  /* A start after the end moves the end along: the range stays a range. */
  set_dates (self, date, self->to != TSY_DATE_NONE && self->to < date ? date : self->to);
  gtk_popover_popdown (self->from_popover);
}

static void
on_to_calendar_day_selected_cb (TsyStatementsPage *self)
{
  TsyDate date;

  if (self->updating_calendar)
    return;
  date = calendar_date (self->to_calendar);
  set_dates (self, self->from != TSY_DATE_NONE && self->from > date ? date : self->from, date);
  gtk_popover_popdown (self->to_popover);
}

static void
on_search_entry_search_changed_cb (TsyStatementsPage *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));

  if (!replace_string (&self->search_text, text[0] != '\0' ? text : NULL))
    return;
  apply_filter (self);
}

static void
on_amount_entry_changed_cb (TsyStatementsPage *self)
{
  read_amount_entries (self, FALSE);
}

static void
on_selection_selected_item_cb (TsyStatementsPage *self)
{
  show_detail (self, gtk_single_selection_get_selected_item (self->selection));
}

static void
on_column_view_activate_cb (TsyStatementsPage *self,
                            guint              position)
{
  gtk_single_selection_set_selected (self->selection, position);
}

/* Actions -------------------------------------------------------------------- */

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  run_chooser (TSY_STATEMENTS_PAGE (widget), NULL, NULL);
}

static void
import_into_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  TsyStatementsPage *self = TSY_STATEMENTS_PAGE (widget);

  if (self->target_dialog == NULL)
    present_target_dialog (self, NULL, NULL);
}

static void
cancel_import_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  tsy_statements_page_cancel_import (TSY_STATEMENTS_PAGE (widget));
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  tsy_statements_page_reload (TSY_STATEMENTS_PAGE (widget));
}

static void
clear_from_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  TsyStatementsPage *self = TSY_STATEMENTS_PAGE (widget);

  set_dates (self, TSY_DATE_NONE, self->to);
  gtk_popover_popdown (self->from_popover);
}

static void
clear_to_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  TsyStatementsPage *self = TSY_STATEMENTS_PAGE (widget);

  set_dates (self, self->from, TSY_DATE_NONE);
  gtk_popover_popdown (self->to_popover);
}

static void
clear_filters_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  TsyStatementsPage *self = TSY_STATEMENTS_PAGE (widget);

  self->updating_accounts = TRUE;
  gtk_drop_down_set_selected (self->account_dropdown, 0);
  self->updating_accounts = FALSE;
  g_clear_pointer (&self->account, g_free);
  self->from = TSY_DATE_NONE;
  self->to = TSY_DATE_NONE;
  update_date_labels (self);
  g_clear_pointer (&self->search_text, g_free);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->min_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->max_entry), "");
  read_amount_entries (self, TRUE);
}

static void
close_detail_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  TsyStatementsPage *self = TSY_STATEMENTS_PAGE (widget);

  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  show_detail (self, NULL);
}

/* GObject ------------------------------------------------------------------ */

static void
tsy_statements_page_dispose (GObject *object)
{
  TsyStatementsPage *self = TSY_STATEMENTS_PAGE (object);

  g_cancellable_cancel (self->accounts_cancellable);
  g_clear_object (&self->accounts_cancellable);
  if (self->imports != NULL)
    {
      /* Stops the import under way: nothing of its file is kept. */
      g_signal_handlers_disconnect_by_data (self->imports, self);
      tsy_import_queue_set_store (self->imports, NULL);
      g_clear_object (&self->imports);
    }
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  g_queue_clear_full (&self->refused, g_object_unref);
  if (self->target_dialog != NULL)
    gtk_window_destroy (g_steal_pointer (&self->target_dialog));
  if (self->lines != NULL)
    g_signal_handlers_disconnect_by_data (self->lines, self);

  gtk_widget_dispose_template (GTK_WIDGET (object), TSY_TYPE_STATEMENTS_PAGE);
  /* The toolbar, the import bar and the status bar are not bound template children. */
  {
    GtkWidget *child;
    while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
      gtk_widget_unparent (child);
  }

  g_clear_object (&self->lines);
  g_clear_object (&self->store);
  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_clear_object (&self->probe_a);
  g_clear_object (&self->probe_b);

  G_OBJECT_CLASS (tsy_statements_page_parent_class)->dispose (object);
}

static void
tsy_statements_page_finalize (GObject *object)
{
  TsyStatementsPage *self = TSY_STATEMENTS_PAGE (object);

  g_clear_pointer (&self->account, g_free);
  g_clear_pointer (&self->search_text, g_free);
  g_clear_pointer (&self->last_message, g_free);

  G_OBJECT_CLASS (tsy_statements_page_parent_class)->finalize (object);
}

static void
tsy_statements_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TsyStatementsPage *self = TSY_STATEMENTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_IMPORTING:
      g_value_set_boolean (value, tsy_import_queue_get_importing (self->imports));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsy_statements_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  TsyStatementsPage *self = TSY_STATEMENTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      tsy_statements_page_set_store (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsy_statements_page_class_init (TsyStatementsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsy_statements_page_dispose;
  object_class->finalize = tsy_statements_page_finalize;
  object_class->get_property = tsy_statements_page_get_property;
  object_class->set_property = tsy_statements_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TSY_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IMPORTING] =
    g_param_spec_boolean ("importing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_IMPORTED] =
    g_signal_new ("imported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);

  g_type_ensure (TSY_TYPE_AMOUNT_LABEL);
  g_type_ensure (TSY_TYPE_LINE_DETAIL);
  g_type_ensure (TSY_TYPE_LINE_ITEM);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/treasurydesk/TreasuryDesk/tsy-statements-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TsyStatementsPage, account_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsyStatementsPage, account_list);
  gtk_widget_class_bind_template_child (widget_class, TsyStatementsPage, from_label);
  gtk_widget_class_bind_template_child (widget_class, TsyStatementsPage, from_popover);
  gtk_widget_class_bind_template_child (widget_class, TsyStatementsPage, from_calendar);
  gtk_widget_class_bind_template_child (widget_class, TsyStatementsPage, to_label);
  gtk_widget_class_bind_template_child (widget_class, TsyStatementsPage, to_popover);
  gtk_widget_class_bind_template_child (widget_class, TsyStatementsPage, to_calendar);
  gtk_widget_class_bind_template_child (widget_class, TsyStatementsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TsyStatementsPage, min_entry);
  gtk_widget_class_bind_template_child (widget_class, TsyStatementsPage, max_entry);
  gtk_widget_class_bind_template_child (widget_class, TsyStatementsPage, import_revealer);
  gtk_widget_class_bind_template_child (widget_class, TsyStatementsPage, import_label);
  gtk_widget_class_bind_template_child (widget_class, TsyStatementsPage, import_progress);
  gtk_widget_class_bind_template_child (widget_class, TsyStatementsPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, TsyStatementsPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, TsyStatementsPage, selection);
  gtk_widget_class_bind_template_child (widget_class, TsyStatementsPage, booking_date_column);
  gtk_widget_class_bind_template_child (widget_class, TsyStatementsPage, value_date_column);
  gtk_widget_class_bind_template_child (widget_class, TsyStatementsPage, account_column);
  gtk_widget_class_bind_template_child (widget_class, TsyStatementsPage, amount_column);
  gtk_widget_class_bind_template_child (widget_class, TsyStatementsPage, currency_column);
  gtk_widget_class_bind_template_child (widget_class, TsyStatementsPage, bank_ref_column);
  gtk_widget_class_bind_template_child (widget_class, TsyStatementsPage, counterparty_column);
  gtk_widget_class_bind_template_child (widget_class, TsyStatementsPage, counterparty_account_column);
  gtk_widget_class_bind_template_child (widget_class, TsyStatementsPage, text_column);
  gtk_widget_class_bind_template_child (widget_class, TsyStatementsPage, end_to_end_column);
  gtk_widget_class_bind_template_child (widget_class, TsyStatementsPage, detail_pane);
  gtk_widget_class_bind_template_child (widget_class, TsyStatementsPage, detail);
  gtk_widget_class_bind_template_child (widget_class, TsyStatementsPage, count_label);
  gtk_widget_class_bind_template_callback (widget_class, on_account_dropdown_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_from_popover_show_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_to_popover_show_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_from_calendar_day_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_to_calendar_day_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_amount_entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_selection_selected_item_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_column_view_activate_cb);

  gtk_widget_class_install_action (widget_class, "statements.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "statements.import-into", NULL,
                                   import_into_action);
  gtk_widget_class_install_action (widget_class, "statements.cancel-import", NULL,
                                   cancel_import_action);
  gtk_widget_class_install_action (widget_class, "statements.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "statements.clear-from", NULL, clear_from_action);
  gtk_widget_class_install_action (widget_class, "statements.clear-to", NULL, clear_to_action);
  gtk_widget_class_install_action (widget_class, "statements.clear-filters", NULL,
                                   clear_filters_action);
  gtk_widget_class_install_action (widget_class, "statements.close-detail", NULL,
                                   close_detail_action);
}

static void
tsy_statements_page_init (TsyStatementsPage *self)
{
  GtkDropTarget *target;

  self->sort = TSY_LINE_SORT_BOOKING_DATE;
  self->descending = TRUE;
  self->probe_hit = -1;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->imports = tsy_import_queue_new ();
  g_object_bind_property (self->imports, "fraction", self->import_progress, "fraction",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->imports, "status", self->import_label, "label",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->imports, "notify::importing",
                           G_CALLBACK (on_imports_importing_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->imports, "file-imported",
                           G_CALLBACK (on_imports_file_imported_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->imports, "file-failed",
                           G_CALLBACK (on_imports_file_failed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->imports, "cancelled",
                           G_CALLBACK (on_imports_cancelled_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->imports, "finished",
                           G_CALLBACK (on_imports_finished_cb), self, G_CONNECT_SWAPPED);

  g_object_set_data_full (G_OBJECT (self->min_entry), "tsy-tooltip",
                          g_strdup (gtk_widget_get_tooltip_text (GTK_WIDGET (self->min_entry))),
                          g_free);
  g_object_set_data_full (G_OBJECT (self->max_entry), "tsy-tooltip",
                          g_strdup (gtk_widget_get_tooltip_text (GTK_WIDGET (self->max_entry))),
                          g_free);
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));
  setup_sorters (self);

  /* Statement files dropped anywhere on the page are imported. */
  target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect_object (target, "drop", G_CALLBACK (on_drop_target_drop_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "statements.cancel-import", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "statements.import", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "statements.import-into", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "statements.refresh", FALSE);
  apply_accounts (self, NULL);
  update_date_labels (self);
  update_count (self);
  update_content_stack (self);
}

/* Public API --------------------------------------------------------------- */

GtkWidget *
tsy_statements_page_new (void)
{
  return g_object_new (TSY_TYPE_STATEMENTS_PAGE, NULL);
}

TsyStore *
tsy_statements_page_get_store (TsyStatementsPage *self)
{
  g_return_val_if_fail (TSY_IS_STATEMENTS_PAGE (self), NULL);

  return self->store;
}

void
tsy_statements_page_set_store (TsyStatementsPage *self,
                               TsyStore          *store)
{
  g_autoptr(TsyLineModel) lines = NULL;

  g_return_if_fail (TSY_IS_STATEMENTS_PAGE (self));
  g_return_if_fail (store == NULL || TSY_IS_STORE (store));

  if (self->store == store)
    return;
  /* Another database: imports into the old one stop, and nothing of it stays on screen. */
  tsy_import_queue_set_store (self->imports, store);
  self->import_changed_data = FALSE;
  g_set_object (&self->store, store);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "statements.import", store != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "statements.import-into", store != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "statements.refresh", store != NULL);
  g_clear_pointer (&self->account, g_free);
  if (store != NULL)
    lines = tsy_line_model_new (store);
  set_lines (self, lines);
  load_accounts (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

gboolean
tsy_statements_page_get_loading (TsyStatementsPage *self)
{
  g_return_val_if_fail (TSY_IS_STATEMENTS_PAGE (self), FALSE);

  return self->loading;
}

gboolean
tsy_statements_page_get_importing (TsyStatementsPage *self)
{
  g_return_val_if_fail (TSY_IS_STATEMENTS_PAGE (self), FALSE);

  return tsy_import_queue_get_importing (self->imports);
}

void
tsy_statements_page_import_files (TsyStatementsPage *self,
                                  GListModel        *files)
{
  g_return_if_fail (TSY_IS_STATEMENTS_PAGE (self));
  g_return_if_fail (G_IS_LIST_MODEL (files));

  tsy_import_queue_add_files (self->imports, files);
}

void
tsy_statements_page_cancel_import (TsyStatementsPage *self)
{
  g_return_if_fail (TSY_IS_STATEMENTS_PAGE (self));

  tsy_import_queue_cancel (self->imports);
}

void
tsy_statements_page_reload (TsyStatementsPage *self)
{
  g_return_if_fail (TSY_IS_STATEMENTS_PAGE (self));

  if (self->lines != NULL)
    tsy_line_model_reload (self->lines);
  load_accounts (self);
}

void
tsy_statements_page_focus_search (TsyStatementsPage *self)
{
  g_return_if_fail (TSY_IS_STATEMENTS_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* For the tests ------------------------------------------------------------ */

GtkColumnView *
tsy_statements_page_get_column_view (TsyStatementsPage *self)
{
  g_return_val_if_fail (TSY_IS_STATEMENTS_PAGE (self), NULL);

  return self->column_view;
}

GtkSearchEntry *
tsy_statements_page_get_search_entry (TsyStatementsPage *self)
{
  g_return_val_if_fail (TSY_IS_STATEMENTS_PAGE (self), NULL);

  return self->search_entry;
}

GtkEditable *
tsy_statements_page_get_min_entry (TsyStatementsPage *self)
{
  g_return_val_if_fail (TSY_IS_STATEMENTS_PAGE (self), NULL);

  return GTK_EDITABLE (self->min_entry);
}

GtkEditable *
tsy_statements_page_get_max_entry (TsyStatementsPage *self)
{
  g_return_val_if_fail (TSY_IS_STATEMENTS_PAGE (self), NULL);

  return GTK_EDITABLE (self->max_entry);
}

GtkDropDown *
tsy_statements_page_get_account_dropdown (TsyStatementsPage *self)
{
  g_return_val_if_fail (TSY_IS_STATEMENTS_PAGE (self), NULL);

  return self->account_dropdown;
}

GtkCalendar *
tsy_statements_page_get_from_calendar (TsyStatementsPage *self)
{
  g_return_val_if_fail (TSY_IS_STATEMENTS_PAGE (self), NULL);

  return self->from_calendar;
}

GtkCalendar *
tsy_statements_page_get_to_calendar (TsyStatementsPage *self)
{
  g_return_val_if_fail (TSY_IS_STATEMENTS_PAGE (self), NULL);

  return self->to_calendar;
}

GtkLabel *
tsy_statements_page_get_count_label (TsyStatementsPage *self)
{
  g_return_val_if_fail (TSY_IS_STATEMENTS_PAGE (self), NULL);

  return self->count_label;
}

TsyLineDetail *
tsy_statements_page_get_detail (TsyStatementsPage *self)
{
  g_return_val_if_fail (TSY_IS_STATEMENTS_PAGE (self), NULL);

  return self->detail;
}

const char *
tsy_statements_page_get_last_message (TsyStatementsPage *self,
                                      gboolean          *is_error)
{
  g_return_val_if_fail (TSY_IS_STATEMENTS_PAGE (self), NULL);

  if (is_error != NULL)
    *is_error = self->last_is_error;
  return self->last_message;
}

GtkWindow *
tsy_statements_page_get_target_dialog (TsyStatementsPage *self)
{
  g_return_val_if_fail (TSY_IS_STATEMENTS_PAGE (self), NULL);

  return self->target_dialog;
}
