/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "tsy-payment-batch.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "ledger/tsy-date.h"
#include "ledger/tsy-ledger-error.h"
#include "ledger/tsy-money.h"
#include "tsy-money-format.h"
#include "tsy-sign-dialog.h"

typedef struct
{
  char         *path;
  char         *csv_path;
  char         *user;
  TsyBatchKind  kind;
  gboolean      dry_run;
  GArray       *ids;
} BatchRequest;

static void
batch_request_free (BatchRequest *request)
{
  g_free (request->path);
  g_free (request->csv_path);
  g_free (request->user);
  g_clear_pointer (&request->ids, g_array_unref);
  g_free (request);
}

/* The request of @task for @user on @store's file; NULL, the task answered, without either. */
static BatchRequest *
batch_request_new (GTask      *task,
                   TsyStore   *store,
                   const char *user)
{
  BatchRequest *request;

  if (tsy_store_get_path (store) == NULL || user == NULL)
    {
      g_task_return_new_error (task, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                               _("Pick the user who makes the payments."));
      return NULL;
    }
  request = g_new0 (BatchRequest, 1);
  request->path = g_strdup (tsy_store_get_path (store));
  request->user = g_strdup (user);
  g_task_set_task_data (task, request, (GDestroyNotify) batch_request_free);
  return request;
}

void
tsy_batch_import_free (TsyBatchImport *import)
{
  if (import == NULL)
    return;
  g_clear_pointer (&import->payments, g_ptr_array_unref);
  g_free (import);
}

/* What a dry run would save, as payments without ids for the preview text. */
static GPtrArray *
payments_of_preview (const TsyPaymentPreview *preview)
{
  GPtrArray *payments = g_ptr_array_new_with_free_func ((GDestroyNotify) tsy_payment_info_free);

  for (guint i = 0; i < preview->rows->len; i++)
    {
      const TsyPaymentPreviewRow *row = g_ptr_array_index (preview->rows, i);
      TsyPaymentInfo *info = g_new0 (TsyPaymentInfo, 1);

      info->status = TSY_PAYMENT_DRAFT;
      info->debtor_account = g_strdup (row->debtor_account);
      info->creditor_name = g_strdup (row->creditor_name);
      info->creditor_account = g_strdup (row->creditor_account);
      info->creditor_bic = g_strdup (row->creditor_bic);
      info->creditor_cnaps = g_strdup (row->creditor_cnaps);
      info->creditor_bank = g_strdup (row->creditor_bank);
      info->amount_minor = row->amount_minor;
      memcpy (info->currency, row->currency, sizeof info->currency);
      info->execution_date = row->execution_date;
      info->remittance = g_strdup (row->remittance);
      info->purpose = g_strdup (row->purpose);
      info->category = g_strdup (row->category);
      info->urgency = row->urgency;
      g_ptr_array_add (payments, info);
    }
  return payments;
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  BatchRequest *request = task_data;
  g_autoptr(TsyStore) store = NULL;
  g_autoptr(TsyBatchImport) import = g_new0 (TsyBatchImport, 1);
  TsyPaymentFilter filter = { 0 };
  GError *error = NULL;

  store = tsy_store_open_existing (request->path, &error);
  if (store != NULL && request->dry_run)
    {
      /* The ledger's dry run: the import's own parser and checks in a read transaction;
       * nothing is written and no write lock is held while the file is checked. */
      g_autoptr(TsyPaymentPreview) preview = NULL;

      preview = tsy_payment_preview_csv (store, request->csv_path, FALSE, request->user, &error);
      if (preview != NULL && preview->refusal != NULL)
        error = g_steal_pointer (&preview->refusal);
      else if (preview != NULL)
        {
          import->payments = payments_of_preview (preview);
          import->count = import->payments->len;
        }
    }
  else if (store != NULL)
    {
      import->batch_id = tsy_payment_import_csv (store, request->csv_path, request->kind, FALSE,
                                                 request->user, &import->count, &error);
      if (import->batch_id != 0)
        {
          filter.batch_id = import->batch_id;
          import->payments = tsy_payment_list (store, &filter, &error);
        }
    }
  if (import->payments == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&import), (GDestroyNotify) tsy_batch_import_free);
}

void
tsy_payment_batch_import_async (TsyStore            *store,
                                const char          *csv_path,
                                TsyBatchKind         kind,
                                const char          *maker,
                                gboolean             dry_run,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  BatchRequest *request;

  g_return_if_fail (TSY_IS_STORE (store));
  g_return_if_fail (csv_path != NULL);

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, tsy_payment_batch_import_async);
  if ((request = batch_request_new (task, store, maker)) == NULL)
    return;
  request->csv_path = g_strdup (csv_path);
  request->kind = kind;
  request->dry_run = dry_run;
  g_task_run_in_thread (task, import_thread);
}

TsyBatchImport *
tsy_payment_batch_import_finish (TsyStore      *store,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
submit_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  BatchRequest *request = task_data;
  g_autoptr(TsyStore) store = NULL;
  GError *error = NULL;
  guint done = 0;

  store = tsy_store_open_existing (request->path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  for (guint i = 0; i < request->ids->len; i++)
    {
      gint64 id = g_array_index (request->ids, gint64, i);

      if (!tsy_payment_submit (store, id, request->user, &error))
        {
          /* Translators: %1$u payments were submitted before payment %2$lld was refused */
          g_prefix_error (&error, _("%1$u submitted; payment %2$lld refused: "),
                          done, (long long) id);
          g_task_return_error (task, error);
          return;
        }
      done++;
    }
  g_task_return_int (task, done);
}

void
tsy_payment_batch_submit_async (TsyStore            *store,
                                const gint64        *ids,
                                guint                n_ids,
                                const char          *user,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  BatchRequest *request;

  g_return_if_fail (TSY_IS_STORE (store));
  g_return_if_fail (ids != NULL || n_ids == 0);

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, tsy_payment_batch_submit_async);
  if ((request = batch_request_new (task, store, user)) == NULL)
    return;
  request->ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_ids);
  g_array_append_vals (request->ids, ids, n_ids);
  g_task_run_in_thread (task, submit_thread);
}

gboolean
tsy_payment_batch_submit_finish (TsyStore      *store,
                                 GAsyncResult  *result,
                                 guint         *out_submitted,
                                 GError       **error)
{
  gssize done;

  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);

  done = g_task_propagate_int (G_TASK (result), error);
  if (done < 0)
    return FALSE;
  if (out_submitted != NULL)
    *out_submitted = (guint) done;
  return TRUE;
}

typedef struct
{
  char   currency[4];
  gint64 minor;
} Total;

char *
tsy_payment_totals_text (GPtrArray  *payments,
                         GError    **error)
{
  g_autoptr(GArray) totals = g_array_new (FALSE, TRUE, sizeof (Total));
  g_autoptr(GString) out = g_string_new (NULL);

  g_return_val_if_fail (payments != NULL, NULL);

  for (guint i = 0; i < payments->len; i++)
    {
      const TsyPaymentInfo *info = g_ptr_array_index (payments, i);
      Total *total = NULL;

      for (guint j = 0; j < totals->len && total == NULL; j++)
        if (strcmp (g_array_index (totals, Total, j).currency, info->currency) == 0)
          total = &g_array_index (totals, Total, j);
      if (total == NULL)
        {
          Total t = { { 0 }, 0 };

          g_strlcpy (t.currency, info->currency, sizeof t.currency);
          g_array_append_val (totals, t);
          total = &g_array_index (totals, Total, totals->len - 1);
        }
      if (!tsy_money_add (total->minor, info->amount_minor, &total->minor, error))
        return NULL;
    }
  for (guint j = 0; j < totals->len; j++)
    {
      const Total *total = &g_array_index (totals, Total, j);
      g_autofree char *text = tsy_money_format (total->minor, total->currency, TSY_MONEY_FORMAT_CODE);

      if (j > 0)
        g_string_append (out, " · ");
      g_string_append (out, text);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
tsy_payment_batch_signing_text (gint64      batch_id,
                                GPtrArray  *payments,
                                const char *user)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *totals = NULL;
  g_autofree char *head = NULL;
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (payments != NULL, NULL);

  totals = tsy_payment_totals_text (payments, &error);
  if (totals == NULL)
    totals = g_strdup (error->message);
  /* Translators: %1$s the approver, %2$u how many payments, %3$lld the batch, %4$s the total
   * per currency ("CNY 1,234.56 · USD 10.00") */
  head = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%1$s signs %2$u payment of batch %3$lld, total %4$s. Each payment's digest is signed on its own.",
                                       "%1$s signs %2$u payments of batch %3$lld, total %4$s. Each payment's digest is signed on its own.",
                                       payments->len),
                          user, payments->len, (long long) batch_id, totals);
  g_string_append (out, head);
  for (guint i = 0; i < payments->len; i++)
    {
      const TsyPaymentInfo *info = g_ptr_array_index (payments, i);
      g_autofree char *amount = tsy_money_format (info->amount_minor, info->currency,
                                                  TSY_MONEY_FORMAT_CODE);

      /* Translators: one payment an approver signs: id, creditor, creditor account, amount,
       * digest */
      g_string_append_printf (out, _("\n%1$lld · %2$s · %3$s · %4$s · %5$s"),
                              (long long) info->id, info->creditor_name, info->creditor_account,
                              amount, info->digest != NULL ? info->digest : "—");
    }
  return g_string_free (out, FALSE);
}

char *
tsy_payment_batch_imported_text (const TsyBatchImport *import)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *totals = NULL;

  g_return_val_if_fail (import != NULL, NULL);

  totals = tsy_payment_totals_text (import->payments, &error);
  /* Translators: %1$lld the new batch, %2$u how many payments, %3$s the total per currency */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Batch %1$lld imported: %2$u payment, total %3$s. Submit the batch for approval.",
                                       "Batch %1$lld imported: %2$u payments, total %3$s. Submit the batch for approval.",
                                       import->count),
                          (long long) import->batch_id, import->count,
                          totals != NULL ? totals : error->message);
}

static const char *
kind_label (TsyBatchKind kind)
{
  switch (kind)
    {
    case TSY_BATCH_PAYROLL: return _("Payroll");
    case TSY_BATCH_SUPPLIER: return _("Supplier run");
    case TSY_BATCH_SINGLE:
    case TSY_BATCH_OTHER:
    default: return _("Other");
    }
}

char *
tsy_payment_batch_preview_text (const char           *path,
                                TsyBatchKind          kind,
                                const TsyBatchImport *preview)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *totals = NULL;
  g_autofree char *name = NULL;
  g_autofree char *head = NULL;
  GString *out;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (preview != NULL && preview->payments != NULL, NULL);

  totals = tsy_payment_totals_text (preview->payments, &error);
  name = g_path_get_basename (path);
  /* Translators: %1$s a file name, %2$s the batch kind (Payroll, Supplier run, Other),
   * %3$u how many payments, %4$s the total per currency */
  head = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "“%1$s” (%2$s): %3$u payment, total %4$s. Every row passed the checks; it is saved as a draft of one new batch.",
                                       "“%1$s” (%2$s): %3$u payments, total %4$s. Every row passed the checks; they are saved as drafts of one new batch.",
                                       preview->payments->len),
                          name, kind_label (kind), preview->payments->len,
                          totals != NULL ? totals : error->message);
  out = g_string_new (head);
  for (guint i = 0; i < preview->payments->len; i++)
    {
      const TsyPaymentInfo *info = g_ptr_array_index (preview->payments, i);
      g_autofree char *amount = tsy_money_format (info->amount_minor, info->currency,
                                                  TSY_MONEY_FORMAT_CODE);
      char date[16];

      tsy_date_format_iso (info->execution_date, date);
      /* Translators: one payment of a file to import: creditor, account, amount, date, text */
      g_string_append_printf (out, _("\n%1$s · %2$s · %3$s · %4$s · %5$s"),
                              info->creditor_name, info->creditor_account, amount, date,
                              info->remittance != NULL ? info->remittance : "—");
    }
  return g_string_free (out, FALSE);
}

/* The file dialogs ------------------------------------------------------------------------- */

static GtkWindow *
parent_window (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/* Calls the file func of @dialog on its widget, if the widget is still there. */
static void
call_func (GObject      *dialog,
           const char   *path,
           TsyBatchKind  kind)
{
  GWeakRef *ref = g_object_get_data (dialog, "tsy-widget");
  TsyBatchFileFunc func = (TsyBatchFileFunc) g_object_get_data (dialog, "tsy-func");
  g_autoptr(GtkWidget) widget = g_weak_ref_get (ref);

  if (widget != NULL && path != NULL)
    func (widget, path, kind);
}

static void
weak_ref_free (GWeakRef *ref)
{
  g_weak_ref_clear (ref);
  g_free (ref);
}

static void
attach (GObject          *dialog,
        GtkWidget        *widget,
        TsyBatchFileFunc  func)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  g_weak_ref_init (ref, widget);
  g_object_set_data_full (dialog, "tsy-widget", ref, (GDestroyNotify) weak_ref_free);
  g_object_set_data (dialog, "tsy-func", (gpointer) func);
}

static void
on_chooser_response_cb (GtkNativeDialog *chooser,
                        int              response,
                        gpointer         user_data)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      const char *kind_text = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "kind");
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
      TsyBatchKind kind = TSY_BATCH_OTHER;

      if (kind_text == NULL || !tsy_batch_kind_from_string (kind_text, &kind))
        kind = TSY_BATCH_OTHER;
      call_func (G_OBJECT (chooser), path, kind);
    }
  g_object_unref (chooser);
}

void
tsy_payment_batch_choose_file (GtkWidget        *widget,
                               TsyBatchFileFunc  func)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  const char *kinds[] = { "payroll", "supplier", "other", NULL };
  const char *labels[] = { _("Payroll"), _("Supplier run"), _("Other"), NULL };

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (func != NULL);

  chooser = gtk_file_chooser_native_new (_("Import a Batch of Payments"), parent_window (widget),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("CSV files (UTF-8 or GB18030)"));
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), "kind", _("Batch kind"), kinds, labels);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (chooser), "kind", "supplier");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  attach (G_OBJECT (chooser), widget, func);
  /* The chooser holds itself until its response. */
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response_cb), NULL);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_kind_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     gpointer          user_data)
{
  TsyBatchKind kind;

  if (tsy_batch_kind_from_string (response, &kind))
    call_func (G_OBJECT (dialog), g_object_get_data (G_OBJECT (dialog), "tsy-path"), kind);
}

gboolean
tsy_payment_batch_drop (GtkWidget        *widget,
                        const GValue     *value,
                        TsyBatchFileFunc  func)
{
  GSList *files;
  g_autofree char *path = NULL;
  g_autofree char *lower = NULL;
  g_autofree char *name = NULL;
  GtkWidget *dialog;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  files = G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST) ? g_value_get_boxed (value) : NULL;
  if (files == NULL || files->next != NULL || (path = g_file_get_path (files->data)) == NULL)
    return FALSE;
  lower = g_ascii_strdown (path, -1);
  if (!g_str_has_suffix (lower, ".csv"))
    return FALSE;
  name = g_path_get_basename (path);
  dialog = adw_message_dialog_new (parent_window (widget), NULL,
                                   _("Every row is checked first; nothing is saved unless all of them are valid."));
  /* Translators: %s a file name */
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _("Import “%s” as a Batch?"), name);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "other", _("_Other"),
                                    "payroll", _("_Payroll"),
                                    "supplier", _("_Supplier Run"),
                                    NULL);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  attach (G_OBJECT (dialog), widget, func);
  g_object_set_data_full (G_OBJECT (dialog), "tsy-path", g_steal_pointer (&path), g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (on_kind_response_cb), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

void
tsy_payment_batch_show_refusal (GtkWidget    *widget,
                                const GError *error)
{
  GtkWidget *dialog;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (error != NULL);

  /* The user must fix the file: a dialog that stays, not a toast that goes. */
  g_debug ("batch import refused: %s", error->message);
  dialog = adw_message_dialog_new (parent_window (widget), _("Batch Not Imported"), NULL);
  /* Translators: %s the reason, which names the line of the file */
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("%s\n\nNothing was saved. Correct the file and import it again."),
                                  error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_confirm_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        gpointer          user_data)
{
  TsyBatchKind kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "tsy-kind"));

  if (g_strcmp0 (response, "import") == 0)
    call_func (G_OBJECT (dialog), g_object_get_data (G_OBJECT (dialog), "tsy-path"), kind);
}

GtkWidget *
tsy_payment_batch_confirm (GtkWidget        *widget,
                           const char       *path,
                           TsyBatchKind      kind,
                           const char       *text,
                           TsyBatchFileFunc  func)
{
  GtkWidget *dialog;
  GtkWidget *scrolled;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);
  g_return_val_if_fail (path != NULL && text != NULL && func != NULL, NULL);

  dialog = adw_message_dialog_new (parent_window (widget), _("Import the Batch?"), NULL);
  scrolled = tsy_sign_dialog_text (text, 360);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), scrolled);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "import", _("_Import"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "import",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "import");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  attach (G_OBJECT (dialog), widget, func);
  g_object_set_data_full (G_OBJECT (dialog), "tsy-path", g_strdup (path), g_free);
  g_object_set_data (G_OBJECT (dialog), "tsy-kind", GINT_TO_POINTER (kind));
  g_signal_connect (dialog, "response", G_CALLBACK (on_confirm_response_cb), NULL);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}
