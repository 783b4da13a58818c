/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "tsy-payment-detail.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "banks/tsy-payment-signer.h"
#include "ledger/tsy-date.h"
#include "tsy-money-format.h"
#include "tsy-sign-dialog.h"

struct _TsyPaymentDetail
{
  GtkWidget      parent_instance;

  TsyStore      *store;
  char          *user;
  TsyPaymentRow *row;
  GCancellable  *cancellable;
  guint          pending;

  GtkListBox    *detail_list;
  GtkButton     *approve_button;
  GtkButton     *reject_button;
};

enum
{
  SIGNAL_MESSAGE,
  SIGNAL_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TsyPaymentDetail, tsy_payment_detail, GTK_TYPE_WIDGET)

static void
emit_result (TsyPaymentDetail *self,
             const char       *text,
             const GError     *error)
{
  if (error != NULL)
    g_signal_emit (self, signals[SIGNAL_FAILED], 0, error);
  else
    g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, text);
}

static void
add_detail (TsyPaymentDetail *self,
            const char       *title,
            const char       *value)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *caption = gtk_label_new (title);
  GtkWidget *label = gtk_label_new (value != NULL && value[0] != '\0' ? value : "—");

  gtk_label_set_xalign (GTK_LABEL (caption), 0);
  gtk_widget_add_css_class (caption, "caption");
  gtk_widget_add_css_class (caption, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_box_append (GTK_BOX (box), caption);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  g_object_set_data_full (G_OBJECT (row), "tsy-title", g_strdup (title), g_free);
  g_object_set_data_full (G_OBJECT (row), "tsy-value", g_strdup (gtk_label_get_text (GTK_LABEL (label))), g_free);
  gtk_list_box_append (self->detail_list, row);
}

static void
show_detail (TsyPaymentDetail *self)
{
  const TsyPaymentInfo *info;
  GtkWidget *child;
  char date[16];
  g_autofree char *id = NULL;
  g_autofree char *batch = NULL;
  g_autofree char *amount = NULL;
  g_autofree char *approvals = NULL;
  g_autofree char *debtor = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->detail_list))) != NULL)
    gtk_list_box_remove (self->detail_list, child);
  if (self->row == NULL)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->approve_button), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->reject_button), FALSE);
      return;
    }
  info = tsy_payment_row_get_info (self->row);

  id = g_strdup_printf ("%lld", (long long) info->id);
  batch = info->batch_id > 0 ? g_strdup_printf ("%lld", (long long) info->batch_id) : NULL;
  amount = tsy_money_format (info->amount_minor, info->currency, TSY_MONEY_FORMAT_CODE);
  tsy_date_format_iso (info->execution_date, date);
  /* Translators: approvals so far and approvals required, e.g. "1 / 2" */
  approvals = g_strdup_printf (_("%1$u / %2$u"), info->approvals, info->required_approvals);
  debtor = info->debtor_name != NULL
    ? g_strdup_printf ("%s %s", info->debtor_account, info->debtor_name)
    : g_strdup (info->debtor_account);

  add_detail (self, _("Payment"), id);
  if (batch != NULL)
    add_detail (self, _("Batch"), batch);
  add_detail (self, _("Status"), tsy_payment_status_label (info->status));
  add_detail (self, _("Maker"), info->maker);
  add_detail (self, _("Approvals"), approvals);
  add_detail (self, _("From account"), debtor);
  add_detail (self, _("Debtor bank"), info->bank_bic != NULL ? info->bank_bic : info->bank_code);
  add_detail (self, _("Creditor"), info->creditor_name);
  add_detail (self, _("Creditor account"), info->creditor_account);
  add_detail (self, _("Creditor BIC"), info->creditor_bic);
  add_detail (self, _("Creditor CNAPS code"), info->creditor_cnaps);
  add_detail (self, _("Creditor bank"), info->creditor_bank);
  add_detail (self, _("Amount"), amount);
  add_detail (self, _("Execution date"), date);
  add_detail (self, _("Urgency"), info->urgency == TSY_URGENCY_URGENT ? _("Urgent") : _("Normal"));
  add_detail (self, _("Remittance text"), info->remittance);
  add_detail (self, _("Purpose"), info->purpose);
  add_detail (self, _("End-to-end id"), info->end_to_end_id);
  add_detail (self, _("Digest (SHA-256)"), info->digest);
  if (info->status_reason != NULL)
    add_detail (self, _("Reason"), info->status_reason);

  gtk_widget_set_sensitive (GTK_WIDGET (self->approve_button),
                            info->status == TSY_PAYMENT_SUBMITTED && self->user != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->reject_button),
                            (info->status == TSY_PAYMENT_DRAFT ||
                             info->status == TSY_PAYMENT_SUBMITTED) && self->user != NULL);
}

/* Approve ------------------------------------------------------------------------------------ */

static void
on_sign_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TsyPaymentDetail) self = user_data;
  g_autoptr(GError) error = NULL;
  guint approved = 0;

  self->pending--;
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (!tsy_payment_sign_approve_finish (TSY_STORE (source), result, &approved, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        emit_result (self, NULL, error);
      return;
    }
  emit_result (self, approved > 0
               ? _("Approved: the payment has all its signatures and can be sent.")
               : _("Your approval is recorded; the payment awaits further approvals."),
               NULL);
}

static void
approve (TsyPaymentDetail *self,
         gint64            id,
         const char       *passphrase)
{
  if (self->store == NULL || self->user == NULL)
    return;
  self->pending++;
  /* The passphrase is copied by the signer, used on its thread and wiped; never kept here. */
  tsy_payment_sign_approve_async (self->store, &id, 1, self->user, passphrase,
                                  self->cancellable, on_sign_done_cb, g_object_ref (self));
}

static void
on_sign_confirmed (gpointer    owner,
                   const char *passphrase,
                   gpointer    data)
{
  approve (TSY_PAYMENT_DETAIL (owner), (gint64) GPOINTER_TO_SIZE (data), passphrase);
}

static void
on_approve_clicked_cb (TsyPaymentDetail *self)
{
  const TsyPaymentInfo *info;
  g_autofree char *amount = NULL;
  g_autofree char *body = NULL;

  if (self->row == NULL || self->user == NULL)
    return;
  info = tsy_payment_row_get_info (self->row);
  amount = tsy_money_format (info->amount_minor, info->currency, TSY_MONEY_FORMAT_CODE);
  /* Translators: %1$s the user, %2$s the amount, %3$s the creditor, %4$s the digest */
  body = g_strdup_printf (_("%1$s signs the payment of %2$s to %3$s (digest %4$s). Enter your passphrase: it unlocks your key for this signature only and is not kept."),
                          self->user, amount, info->creditor_name,
                          info->digest != NULL ? info->digest : "");
  tsy_sign_dialog_present (GTK_WIDGET (self), _("Approve and Sign?"), body, NULL, _("_Approve"),
                           on_sign_confirmed, GSIZE_TO_POINTER ((gsize) info->id), NULL);
}

/* Reject ---------------------------------------------------------------------------------------- */

typedef struct
{
  char   *path;
  gint64  id;
  char   *user;
  char   *reason;
} RejectRequest;

static void
reject_request_free (RejectRequest *request)
{
  g_free (request->path);
  g_free (request->user);
  g_free (request->reason);
  g_free (request);
}

static void
reject_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RejectRequest *request = task_data;
  g_autoptr(TsyStore) store = NULL;
  GError *error = NULL;

  store = tsy_store_open_existing (request->path, &error);
  if (store == NULL || !tsy_payment_reject (store, request->id, request->user, request->reason, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_rejected_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(TsyPaymentDetail) self = user_data;
  g_autoptr(GError) error = NULL;

  self->pending--;
  /* Cancelled in dispose: the owner may be gone. */
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (g_task_propagate_boolean (G_TASK (result), &error))
    emit_result (self, _("The payment is rejected."), NULL);
  else
    emit_result (self, NULL, error);
}

static void
on_reject_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       TsyPaymentDetail *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "tsy-reason");
  g_autoptr(GTask) task = NULL;
  RejectRequest *request;

  if (g_strcmp0 (response, "reject") != 0 || self->store == NULL || self->user == NULL)
    return;
  request = g_new0 (RejectRequest, 1);
  request->path = g_strdup (tsy_store_get_path (self->store));
  request->id = (gint64) GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "tsy-payment-id"));
  request->user = g_strdup (self->user);
  request->reason = g_strdup (gtk_editable_get_text (entry));
  task = g_task_new (NULL, self->cancellable, on_rejected_cb, g_object_ref (self));
  g_task_set_source_tag (task, on_reject_response_cb);
  g_task_set_task_data (task, request, (GDestroyNotify) reject_request_free);
  self->pending++;
  g_task_run_in_thread (task, reject_thread);
}

static void
on_reject_clicked_cb (TsyPaymentDetail *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;
  GtkWidget *entry;

  if (self->row == NULL || self->user == NULL)
    return;
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Reject the Payment?"),
                                   _("The payment will not be sent. Give the reason; it is kept in the audit trail."));
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Reason"));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "reject", _("_Reject"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "reject",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "tsy-reason", entry);
  g_object_set_data (G_OBJECT (dialog), "tsy-payment-id",
                     GSIZE_TO_POINTER ((gsize) tsy_payment_row_get_info (self->row)->id));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_reject_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* GObject ----------------------------------------------------------------------------------- */

static void
tsy_payment_detail_dispose (GObject *object)
{
  TsyPaymentDetail *self = TSY_PAYMENT_DETAIL (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TSY_TYPE_PAYMENT_DETAIL);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL; )
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  g_clear_object (&self->row);
  G_OBJECT_CLASS (tsy_payment_detail_parent_class)->dispose (object);
}

static void
tsy_payment_detail_finalize (GObject *object)
{
  TsyPaymentDetail *self = TSY_PAYMENT_DETAIL (object);

  g_clear_object (&self->cancellable);
  g_free (self->user);
  G_OBJECT_CLASS (tsy_payment_detail_parent_class)->finalize (object);
}

static void
tsy_payment_detail_class_init (TsyPaymentDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsy_payment_detail_dispose;
  object_class->finalize = tsy_payment_detail_finalize;

  /**
   * TsyPaymentDetail::message:
   * @text: what was done (translated)
   */
  signals[SIGNAL_MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * TsyPaymentDetail::failed:
   * @error: why the ledger refused
   */
  signals[SIGNAL_FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/treasurydesk/TreasuryDesk/tsy-payment-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentDetail, detail_list);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentDetail, approve_button);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentDetail, reject_button);
  gtk_widget_class_bind_template_callback (widget_class, on_approve_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_reject_clicked_cb);
}

static void
tsy_payment_detail_init (TsyPaymentDetail *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

GtkWidget *
tsy_payment_detail_new (void)
{
  return g_object_new (TSY_TYPE_PAYMENT_DETAIL, NULL);
}

void
tsy_payment_detail_set_store (TsyPaymentDetail *self,
                              TsyStore         *store)
{
  g_return_if_fail (TSY_IS_PAYMENT_DETAIL (self));

  g_set_object (&self->store, store);
}

void
tsy_payment_detail_set_user (TsyPaymentDetail *self,
                             const char       *user)
{
  g_return_if_fail (TSY_IS_PAYMENT_DETAIL (self));

  g_free (self->user);
  self->user = g_strdup (user);
  show_detail (self);
}

void
tsy_payment_detail_set_row (TsyPaymentDetail *self,
                            TsyPaymentRow    *row)
{
  g_return_if_fail (TSY_IS_PAYMENT_DETAIL (self));
  g_return_if_fail (row == NULL || TSY_IS_PAYMENT_ROW (row));

  g_set_object (&self->row, row);
  show_detail (self);
}

char *
tsy_payment_detail_get_text (TsyPaymentDetail *self)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (TSY_IS_PAYMENT_DETAIL (self), NULL);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->detail_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    g_string_append_printf (out, "%s: %s\n",
                            (const char *) g_object_get_data (G_OBJECT (row), "tsy-title"),
                            (const char *) g_object_get_data (G_OBJECT (row), "tsy-value"));
  return g_string_free (out, FALSE);
}

void
tsy_payment_detail_approve (TsyPaymentDetail *self,
                            const char       *passphrase)
{
  g_return_if_fail (TSY_IS_PAYMENT_DETAIL (self));
  g_return_if_fail (passphrase != NULL);

  if (self->row != NULL)
    approve (self, tsy_payment_row_get_info (self->row)->id, passphrase);
}

guint
tsy_payment_detail_get_pending (TsyPaymentDetail *self)
{
  g_return_val_if_fail (TSY_IS_PAYMENT_DETAIL (self), 0);

  return self->pending;
}
