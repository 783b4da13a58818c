/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "tsy-payments-page.h"
#include "tsy-payments-page-private.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "banks/tsy-payment-sender.h"
#include "ledger/tsy-payment.h"
#include "ledger/tsy-user.h"
#include "tsy-connections-view.h"
#include "tsy-labels.h"
#include "tsy-payment-batch-bar.h"
#include "tsy-payment-batch.h"
#include "tsy-payment-detail.h"
#include "tsy-payment-form.h"
#include "tsy-payment-query.h"
#include "tsy-payment-row.h"
#include "tsy-ui.h"

/* The poll while something is in flight. */
#define POLL_SECONDS     3
#define POLL_MAX_TICKS   40

struct _TsyPaymentsPage
{
  GtkWidget           parent_instance;

  TsyStore           *store;
  GCancellable       *cancellable;
  GListStore         *payments;
  GtkCustomFilter    *batch_filter;
  GtkSingleSelection *selection;
  GPtrArray          *user_names;       /* names, in the order of user_list */
  char               *user;             /* the current user's name */
  gint64              selected_id;
  gint64              batch_id;         /* the batch listed (the batch bar's); 0 = all */
  gint64              last_batch;       /* the last batch imported here */
  char               *preview_path;     /* the file whose dry run awaits confirmation */
  TsyBatchKind        preview_kind;
  char               *preview_text;     /* what that dry run found, as the dialog says it */
  GtkWidget          *preview_dialog;   /* (weak) */
  guint               pending;
  guint               poll_source;
  guint               poll_ticks;
  gboolean            sending;
  gboolean            filling_users;
  char               *last_message;
  gboolean            last_is_error;

  GtkDropDown        *user_dropdown;
  GtkStringList      *user_list;
  GtkDropDown        *status_dropdown;
  TsyPaymentBatchBar *batch_bar;
  GtkButton          *send_button;
  GtkSpinner         *send_spinner;
  GtkColumnView      *column_view;
  TsyConnectionsView *connections;
  GtkStack           *side_stack;
  TsyPaymentForm     *form;
  TsyPaymentDetail   *detail;
};

enum
{
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TsyPaymentsPage, tsy_payments_page, GTK_TYPE_WIDGET)

static void show_detail (TsyPaymentsPage *self);

static const TsyPaymentInfo *
info_of (gpointer row)
{
  return tsy_payment_row_get_info (TSY_PAYMENT_ROW (row));
}

/* Messages ------------------------------------------------------------------------------------ */

static void
show_message (TsyPaymentsPage *self,
              const char      *text,
              gboolean         is_error)
{
  g_free (self->last_message);
  self->last_message = g_strdup (text);
  self->last_is_error = is_error;
  tsy_ui_toast (GTK_WIDGET (self), text);
}

/* Records @error for the test hooks and shows it as a toast (unless @toast is FALSE). */
static void
record_error (TsyPaymentsPage *self,
              const GError    *error,
              gboolean         toast)
{
  g_free (self->last_message);
  self->last_message = g_strdup (error->message);
  self->last_is_error = TRUE;
  if (toast)
    tsy_ui_toast_error (GTK_WIDGET (self), error);
}

/* Loading (ui/tsy-payment-query.c) --------------------------------------------------------- */

static guint32
filter_statuses (TsyPaymentsPage *self)
{
  switch (gtk_drop_down_get_selected (self->status_dropdown))
    {
    case 1: return 1u << TSY_PAYMENT_DRAFT;
    case 2: return 1u << TSY_PAYMENT_SUBMITTED;
    case 3: return 1u << TSY_PAYMENT_APPROVED;
    case 4: return (1u << TSY_PAYMENT_SENT) | (1u << TSY_PAYMENT_ACCEPTED);
    case 5: return (1u << TSY_PAYMENT_EXECUTED) | (1u << TSY_PAYMENT_REJECTED) |
                   (1u << TSY_PAYMENT_FAILED);
    default: return 0;
    }
}

/* Who works here: the maker of the form, the approver of the detail and the batch bar. */
static void
apply_user (TsyPaymentsPage *self)
{
  tsy_payment_form_set_user (self->form, self->user);
  tsy_payment_detail_set_user (self->detail, self->user);
  tsy_payment_batch_bar_set_user (self->batch_bar, self->user);
  tsy_connections_view_set_actor (self->connections, self->user);
}

static void
apply_users (TsyPaymentsPage *self,
             GPtrArray       *users)
{
  g_autoptr(GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  guint selected = 0;

  g_ptr_array_set_size (self->user_names, 0);
  for (guint i = 0; i < users->len; i++)
    {
      const TsyUserInfo *info = g_ptr_array_index (users, i);
      g_autofree char *roles = tsy_labels_roles (info->roles);

      if (!info->active)
        continue;
      if (g_strcmp0 (info->name, self->user) == 0)
        selected = self->user_names->len;
      g_ptr_array_add (self->user_names, g_strdup (info->name));
      /* Translators: a user in the drop-down: name and roles, e.g. "mia (maker)" */
      g_ptr_array_add (titles, g_strdup_printf (_("%1$s (%2$s)"), info->name, roles));
    }
  g_ptr_array_add (titles, NULL);
  self->filling_users = TRUE;
  gtk_string_list_splice (self->user_list, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->user_list)),
                          (const char * const *) titles->pdata);
  if (self->user_names->len > 0)
    gtk_drop_down_set_selected (self->user_dropdown, selected);
  self->filling_users = FALSE;
  g_free (self->user);
  self->user = self->user_names->len > 0
    ? g_strdup (g_ptr_array_index (self->user_names, selected)) : NULL;
  apply_user (self);
}

static gboolean
anything_in_flight (TsyPaymentsPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->payments));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TsyPaymentRow) row = g_list_model_get_item (G_LIST_MODEL (self->payments), i);

      if (info_of (row)->status == TSY_PAYMENT_SENT || info_of (row)->status == TSY_PAYMENT_ACCEPTED)
        return TRUE;
    }
  return FALSE;
}

static void start_load (TsyPaymentsPage *self, gboolean work_outbox);

static gboolean
on_poll_cb (gpointer data)
{
  TsyPaymentsPage *self = data;

  self->poll_source = 0;
  if (self->pending == 0)
    start_load (self, TRUE);
  else
    self->poll_source = g_timeout_add_seconds (POLL_SECONDS, on_poll_cb, self);
  return G_SOURCE_REMOVE;
}

static void
schedule_poll (TsyPaymentsPage *self)
{
  if (self->poll_source != 0 || self->poll_ticks >= POLL_MAX_TICKS || !anything_in_flight (self))
    return;
  self->poll_ticks++;
  self->poll_source = g_timeout_add_seconds (POLL_SECONDS, on_poll_cb, self);
}

static void
on_loaded_cb (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  g_autoptr(TsyPaymentsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyPaymentQuery) result = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  guint keep = GTK_INVALID_LIST_POSITION;

  self->pending--;
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  result = tsy_payment_query_finish (TSY_STORE (source), res, &error);
  if (result == NULL)
    {
      record_error (self, error, TRUE);
      return;
    }
  rows = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = result->payments->len; i > 0; i--)   /* newest first */
    {
      TsyPaymentInfo *info = g_ptr_array_steal_index (result->payments, i - 1);

      if (info->id == self->selected_id)
        keep = rows->len;
      g_ptr_array_add (rows, tsy_payment_row_new (info));
    }
  g_list_store_splice (self->payments, 0, g_list_model_get_n_items (G_LIST_MODEL (self->payments)),
                       rows->pdata, rows->len);
  tsy_payment_batch_bar_update (self->batch_bar, G_LIST_MODEL (self->payments));
  if (keep != GTK_INVALID_LIST_POSITION)
    {
      /* the sort model may put it elsewhere: find it by id */
      GListModel *model = G_LIST_MODEL (self->selection);
      guint n = g_list_model_get_n_items (model);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(TsyPaymentRow) row = g_list_model_get_item (model, i);

          if (info_of (row)->id == self->selected_id)
            {
              gtk_single_selection_set_selected (self->selection, i);
              break;
            }
        }
    }
  apply_users (self, result->users);
  tsy_connections_view_set_channels (self->connections, result->channels);
  show_detail (self);
  schedule_poll (self);
}

static void
start_load (TsyPaymentsPage *self,
            gboolean         work_outbox)
{
  if (self->store == NULL)
    return;
  self->pending++;
  tsy_payment_query_async (self->store, filter_statuses (self), work_outbox,
                           self->user != NULL ? self->user : "window", self->cancellable,
                           on_loaded_cb, g_object_ref (self));
}

void
tsy_payments_page_reload (TsyPaymentsPage *self)
{
  g_return_if_fail (TSY_IS_PAYMENTS_PAGE (self));

  self->poll_ticks = 0;
  start_load (self, FALSE);
}

/* The new payment form (ui/tsy-payment-form.c) ------------------------------------------- */

static void
on_new_clicked_cb (TsyPaymentsPage *self)
{
  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
  self->selected_id = 0;
  gtk_stack_set_visible_child_name (self->side_stack, "form");
  tsy_payment_form_start (self->form);
}

static void
on_form_saved_cb (TsyPaymentsPage *self,
                  gint64           id,
                  gboolean         submitted)
{
  g_autofree char *text = NULL;

  text = submitted
    ? g_strdup_printf (_("Payment %lld submitted for approval."), (long long) id)
    : g_strdup_printf (_("Payment %lld saved as a draft."), (long long) id);
  show_message (self, text, FALSE);
  self->selected_id = id;
  tsy_payments_page_reload (self);
}

static void
on_form_failed_cb (TsyPaymentsPage *self,
                   GError          *error)
{
  record_error (self, error, TRUE);
  tsy_payments_page_reload (self);
}

/* The approver's view (ui/tsy-payment-detail.c) ----------------------------------------- */

static void
show_detail (TsyPaymentsPage *self)
{
  TsyPaymentRow *row = gtk_single_selection_get_selected_item (self->selection);

  tsy_payment_detail_set_row (self->detail, row);
  if (row == NULL)
    {
      if (g_strcmp0 (gtk_stack_get_visible_child_name (self->side_stack), "detail") == 0)
        gtk_stack_set_visible_child_name (self->side_stack, "empty");
      return;
    }
  self->selected_id = tsy_payment_row_get_info (row)->id;
  gtk_stack_set_visible_child_name (self->side_stack, "detail");
}

static void
on_selection_changed_cb (TsyPaymentsPage *self)
{
  show_detail (self);
}

/* The approver's view and the batch bar report here; the payments are queried again. */
static void
on_child_message_cb (TsyPaymentsPage *self,
                     const char      *text)
{
  show_message (self, text, FALSE);
  tsy_payments_page_reload (self);
}

static void
on_child_failed_cb (TsyPaymentsPage *self,
                    GError          *error)
{
  record_error (self, error, TRUE);
  tsy_payments_page_reload (self);
}

/* Batches (ui/tsy-payment-batch.c, ui/tsy-payment-batch-bar.c) --------------------------- */

static gboolean
match_batch (gpointer item,
             gpointer data)
{
  TsyPaymentsPage *self = data;

  return self->batch_id == 0 || info_of (item)->batch_id == self->batch_id;
}

static void
on_batch_selected_cb (TsyPaymentsPage *self)
{
  gint64 batch_id = tsy_payment_batch_bar_get_batch_id (self->batch_bar);

  if (batch_id == self->batch_id)
    return;
  self->batch_id = batch_id;
  gtk_filter_changed (GTK_FILTER (self->batch_filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
on_imported_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(TsyPaymentsPage) self = user_data;
  g_autoptr(TsyBatchImport) import = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  self->pending--;
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  import = tsy_payment_batch_import_finish (TSY_STORE (source), result, &error);
  if (import == NULL)
    {
      record_error (self, error, FALSE);
      tsy_payment_batch_show_refusal (GTK_WIDGET (self), error);
      return;
    }
  text = tsy_payment_batch_imported_text (import);
  show_message (self, text, FALSE);
  self->last_batch = import->batch_id;
  /* Show the new batch (drafts: every status must be listed). */
  tsy_payment_batch_bar_set_batch_id (self->batch_bar, import->batch_id);
  if (gtk_drop_down_get_selected (self->status_dropdown) != 0)
    gtk_drop_down_set_selected (self->status_dropdown, 0);
  else
    tsy_payments_page_reload (self);
}

static void
do_import (GtkWidget    *widget,
           const char   *path,
           TsyBatchKind  kind)
{
  TsyPaymentsPage *self = TSY_PAYMENTS_PAGE (widget);

  if (self->store == NULL)
    return;
  self->pending++;
  tsy_payment_batch_import_async (self->store, path, kind, self->user, FALSE, self->cancellable,
                                  on_imported_cb, g_object_ref (self));
}

/* The dry run's outcome: a refusal naming the line, or what would be saved, to confirm. */
static void
on_previewed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TsyPaymentsPage) self = user_data;
  g_autoptr(TsyBatchImport) preview = NULL;
  g_autoptr(GError) error = NULL;

  self->pending--;
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  preview = tsy_payment_batch_import_finish (TSY_STORE (source), result, &error);
  if (preview == NULL)
    {
      record_error (self, error, FALSE);
      tsy_payment_batch_show_refusal (GTK_WIDGET (self), error);
      return;
    }
  g_free (self->preview_text);
  self->preview_text = tsy_payment_batch_preview_text (self->preview_path, self->preview_kind,
                                                       preview);
  g_clear_weak_pointer (&self->preview_dialog);
  g_set_weak_pointer (&self->preview_dialog,
                      tsy_payment_batch_confirm (GTK_WIDGET (self), self->preview_path,
                                                 self->preview_kind, self->preview_text, do_import));
}

static void
start_import (GtkWidget    *widget,
              const char   *path,
              TsyBatchKind  kind)
{
  TsyPaymentsPage *self = TSY_PAYMENTS_PAGE (widget);

  if (self->store == NULL)
    return;
  g_free (self->preview_path);
  self->preview_path = g_strdup (path);
  self->preview_kind = kind;
  g_clear_pointer (&self->preview_text, g_free);
  self->pending++;
  tsy_payment_batch_import_async (self->store, path, kind, self->user, TRUE, self->cancellable,
                                  on_previewed_cb, g_object_ref (self));
}

static void
on_import_clicked_cb (TsyPaymentsPage *self)
{
  tsy_payment_batch_choose_file (GTK_WIDGET (self), start_import);
}

static gboolean
on_drop_cb (GtkDropTarget   *target,
            const GValue    *value,
            double           x,
            double           y,
            TsyPaymentsPage *self)
{
  if (tsy_payment_batch_drop (GTK_WIDGET (self), value, start_import))
    return TRUE;
  show_message (self, _("Drop one CSV file to import it as a batch of payments."), TRUE);
  return FALSE;
}

/* Send ---------------------------------------------------------------------------------------- */

static void
set_sending (TsyPaymentsPage *self,
             gboolean         sending)
{
  self->sending = sending;
  gtk_spinner_set_spinning (self->send_spinner, sending);
  gtk_widget_set_sensitive (GTK_WIDGET (self->send_button), !sending);
}

static void
on_sent_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TsyPaymentsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  TsySendReport report = { 0 };

  self->pending--;
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  set_sending (self, FALSE);
  if (!tsy_payment_send_finish (TSY_STORE (source), result, &report, &error))
    {
      record_error (self, error, TRUE);
      tsy_payments_page_reload (self);
      return;
    }
  /* Translators: a summary of one run of the sender */
  text = g_strdup_printf (_("Sent: %1$u payments in %2$u messages; %3$u refused (content changed after approval), %4$u waiting for a closed channel, %5$u channel errors."),
                          report.prepared, report.messages, report.failed_signature,
                          report.waiting_channel, report.channel_errors);
  show_message (self, text, report.failed_signature > 0 || report.channel_errors > 0);
  tsy_payments_page_reload (self);
}

static void
on_send_clicked_cb (TsyPaymentsPage *self)
{
  if (self->store == NULL || self->sending)
    return;
  set_sending (self, TRUE);
  self->pending++;
  tsy_payment_send_async (self->store, self->cancellable, on_sent_cb, g_object_ref (self));
}

static void
on_connections_changed_cb (TsyPaymentsPage *self)
{
  tsy_payments_page_reload (self);
}

/* Filters and user ------------------------------------------------------------------------------ */

static void
on_user_selected_cb (TsyPaymentsPage *self)
{
  guint i = gtk_drop_down_get_selected (self->user_dropdown);

  if (self->filling_users || i >= self->user_names->len)
    return;
  g_free (self->user);
  self->user = g_strdup (g_ptr_array_index (self->user_names, i));
  apply_user (self);
}

static void
on_status_selected_cb (TsyPaymentsPage *self)
{
  tsy_payments_page_reload (self);
}

/* GObject ----------------------------------------------------------------------------------- */

static void
tsy_payments_page_dispose (GObject *object)
{
  TsyPaymentsPage *self = TSY_PAYMENTS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->poll_source, g_source_remove);
  g_clear_weak_pointer (&self->preview_dialog);
  gtk_widget_dispose_template (GTK_WIDGET (self), TSY_TYPE_PAYMENTS_PAGE);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL; )
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (tsy_payments_page_parent_class)->dispose (object);
}

static void
tsy_payments_page_finalize (GObject *object)
{
  TsyPaymentsPage *self = TSY_PAYMENTS_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->payments);
  g_clear_object (&self->batch_filter);
  g_clear_object (&self->selection);
  g_clear_pointer (&self->user_names, g_ptr_array_unref);

  g_free (self->user);
  g_free (self->last_message);
  g_free (self->preview_path);
  g_free (self->preview_text);
  G_OBJECT_CLASS (tsy_payments_page_parent_class)->finalize (object);
}

static void
tsy_payments_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TsyPaymentsPage *self = TSY_PAYMENTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsy_payments_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TsyPaymentsPage *self = TSY_PAYMENTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      tsy_payments_page_set_store (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsy_payments_page_class_init (TsyPaymentsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsy_payments_page_dispose;
  object_class->finalize = tsy_payments_page_finalize;
  object_class->get_property = tsy_payments_page_get_property;
  object_class->set_property = tsy_payments_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TSY_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TSY_TYPE_CONNECTIONS_VIEW);
  g_type_ensure (TSY_TYPE_PAYMENT_FORM);
  g_type_ensure (TSY_TYPE_PAYMENT_DETAIL);
  g_type_ensure (TSY_TYPE_PAYMENT_BATCH_BAR);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/treasurydesk/TreasuryDesk/tsy-payments-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentsPage, user_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentsPage, user_list);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentsPage, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentsPage, batch_bar);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentsPage, send_button);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentsPage, send_spinner);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentsPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentsPage, connections);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentsPage, side_stack);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentsPage, form);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentsPage, detail);
  gtk_widget_class_bind_template_callback (widget_class, on_user_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_status_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_batch_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_import_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_child_message_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_child_failed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_new_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_send_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_connections_changed_cb);
}

static void
tsy_payments_page_init (TsyPaymentsPage *self)
{
  GtkSortListModel *sorted;
  GtkFilterListModel *filtered;
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->user_names = g_ptr_array_new_with_free_func (g_free);
  self->payments = g_list_store_new (TSY_TYPE_PAYMENT_ROW);
  g_signal_connect_object (self->form, "saved", G_CALLBACK (on_form_saved_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->form, "failed", G_CALLBACK (on_form_failed_cb), self,
                           G_CONNECT_SWAPPED);

  tsy_payment_row_add_columns (self->column_view);

  sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->payments)),
                                    g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  self->batch_filter = gtk_custom_filter_new (match_batch, self, NULL);
  filtered = gtk_filter_list_model_new (G_LIST_MODEL (sorted),
                                        g_object_ref (GTK_FILTER (self->batch_filter)));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (filtered));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (on_selection_changed_cb), self, G_CONNECT_SWAPPED);

  /* A CSV dropped on the page is imported as a batch, as with Import Batch. */
  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect_object (drop, "drop", G_CALLBACK (on_drop_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
}

GtkWidget *
tsy_payments_page_new (void)
{
  return g_object_new (TSY_TYPE_PAYMENTS_PAGE, NULL);
}

TsyStore *
tsy_payments_page_get_store (TsyPaymentsPage *self)
{
  g_return_val_if_fail (TSY_IS_PAYMENTS_PAGE (self), NULL);

  return self->store;
}

void
tsy_payments_page_set_store (TsyPaymentsPage *self,
                             TsyStore        *store)
{
  g_return_if_fail (TSY_IS_PAYMENTS_PAGE (self));
  g_return_if_fail (store == NULL || TSY_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;
  tsy_payment_form_set_store (self->form, store);
  tsy_payment_detail_set_store (self->detail, store);
  tsy_payment_batch_bar_set_store (self->batch_bar, store);
  tsy_connections_view_set_store (self->connections, store);
  self->selected_id = 0;
  g_list_store_remove_all (self->payments);
  tsy_payments_page_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

/* Test hooks ----------------------------------------------------------------------------------- */

guint
tsy_payments_page_get_pending (TsyPaymentsPage *self)
{
  return self->pending + tsy_payment_form_get_pending (self->form) +
         tsy_payment_detail_get_pending (self->detail) +
         tsy_payment_batch_bar_get_pending (self->batch_bar) +
         tsy_connections_view_get_pending (self->connections);
}

guint
tsy_payments_page_get_n_payments (TsyPaymentsPage *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->payments));
}

gboolean
tsy_payments_page_set_user (TsyPaymentsPage *self,
                            const char      *name)
{
  for (guint i = 0; i < self->user_names->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->user_names, i), name) == 0)
      {
        gtk_drop_down_set_selected (self->user_dropdown, i);
        return g_strcmp0 (self->user, name) == 0;
      }
  return FALSE;
}

void
tsy_payments_page_fill_form (TsyPaymentsPage *self,
                             const char      *from,
                             const char      *to_name,
                             const char      *to_account,
                             const char      *to_bank,
                             const char      *amount,
                             const char      *currency,
                             const char      *date,
                             const char      *text)
{
  on_new_clicked_cb (self);
  tsy_payment_form_fill (self->form, from, to_name, to_account, to_bank, amount, currency, date,
                         text);
}

const char *
tsy_payments_page_get_form_error (TsyPaymentsPage *self)
{
  return tsy_payment_form_get_error (self->form);
}

gboolean
tsy_payments_page_get_form_checked (TsyPaymentsPage *self)
{
  return tsy_payment_form_get_checked (self->form);
}

gboolean
tsy_payments_page_confirm_duplicate (TsyPaymentsPage *self)
{
  return tsy_payment_form_confirm_duplicate (self->form);
}

void
tsy_payments_page_save_form (TsyPaymentsPage *self,
                             gboolean         submit)
{
  tsy_payment_form_save (self->form, submit);
}

gboolean
tsy_payments_page_select (TsyPaymentsPage *self,
                          gint64           id)
{
  GListModel *model = G_LIST_MODEL (self->selection);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TsyPaymentRow) row = g_list_model_get_item (model, i);

      if (info_of (row)->id == id)
        {
          gtk_single_selection_set_selected (self->selection, i);
          return TRUE;
        }
    }
  return FALSE;
}

char *
tsy_payments_page_get_detail_text (TsyPaymentsPage *self)
{
  return tsy_payment_detail_get_text (self->detail);
}

void
tsy_payments_page_approve_selected (TsyPaymentsPage *self,
                                    const char      *passphrase)
{
  tsy_payment_detail_approve (self->detail, passphrase);
}

void
tsy_payments_page_send (TsyPaymentsPage *self)
{
  on_send_clicked_cb (self);
}

const char *
tsy_payments_page_get_last_message (TsyPaymentsPage *self,
                                    gboolean        *is_error)
{
  if (is_error != NULL)
    *is_error = self->last_is_error;
  return self->last_message;
}

void
tsy_payments_page_import_batch (TsyPaymentsPage *self,
                                const char      *path,
                                TsyBatchKind     kind)
{
  start_import (GTK_WIDGET (self), path, kind);
}

const char *
tsy_payments_page_get_batch_preview (TsyPaymentsPage *self)
{
  return self->preview_text;
}

gboolean
tsy_payments_page_confirm_batch_import (TsyPaymentsPage *self)
{
  if (self->preview_dialog == NULL)
    return FALSE;
  gtk_window_destroy (GTK_WINDOW (self->preview_dialog));
  do_import (GTK_WIDGET (self), self->preview_path, self->preview_kind);
  return TRUE;
}

gint64
tsy_payments_page_get_last_batch (TsyPaymentsPage *self)
{
  return self->last_batch;
}

gboolean
tsy_payments_page_set_batch (TsyPaymentsPage *self,
                             gint64           batch_id)
{
  tsy_payment_batch_bar_set_batch_id (self->batch_bar, batch_id);
  return self->batch_id == batch_id;
}

guint
tsy_payments_page_get_n_listed (TsyPaymentsPage *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->selection));
}

const char *
tsy_payments_page_get_batch_title (TsyPaymentsPage *self)
{
  return tsy_payment_batch_bar_get_title (self->batch_bar);
}

const char *
tsy_payments_page_get_batch_summary (TsyPaymentsPage *self)
{
  return self->batch_id != 0 ? tsy_payment_batch_bar_get_summary (self->batch_bar) : NULL;
}

void
tsy_payments_page_submit_batch (TsyPaymentsPage *self)
{
  tsy_payment_batch_bar_submit (self->batch_bar);
}

char *
tsy_payments_page_get_batch_signing_text (TsyPaymentsPage *self)
{
  return tsy_payment_batch_bar_get_signing_text (self->batch_bar);
}

void
tsy_payments_page_approve_batch (TsyPaymentsPage *self,
                                 const char      *passphrase)
{
  tsy_payment_batch_bar_approve (self->batch_bar, passphrase);
}
