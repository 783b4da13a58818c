/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "tsy-payment-form.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "ledger/tsy-date.h"
#include "ledger/tsy-ledger-error.h"
#include "ledger/tsy-money.h"
#include "ledger/tsy-payment.h"

/* How long typing pauses before the ledger checks the form. */
#define CHECK_DELAY_MS 250

struct _TsyPaymentForm
{
  GtkWidget       parent_instance;

  TsyStore       *store;
  char           *user;
  GCancellable   *cancellable;
  guint           pending;
  guint           check_source;
  guint           check_serial;
  gboolean        checked;

  AdwEntryRow    *from_row;
  AdwEntryRow    *to_name_row;
  AdwEntryRow    *to_account_row;
  AdwEntryRow    *to_bank_row;
  AdwEntryRow    *amount_row;
  AdwEntryRow    *currency_row;
  AdwEntryRow    *date_row;
  AdwEntryRow    *text_row;
  GtkLabel       *error_label;
  GtkCheckButton *duplicate_check;
  GtkButton      *save_button;
  GtkButton      *submit_button;
};

enum
{
  SIGNAL_SAVED,
  SIGNAL_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TsyPaymentForm, tsy_payment_form, GTK_TYPE_WIDGET)

enum
{
  FORM_CHECK,
  FORM_SAVE,
  FORM_SUBMIT,
};

typedef struct
{
  char    *path;
  int      op;
  guint    serial;
  char    *from;
  char    *to_name;
  char    *to_account;
  char    *to_bank;
  char    *currency;
  char    *text;
  char    *maker;
  gint64   amount_minor;
  TsyDate  date;
  gboolean confirm_duplicate;
} FormRequest;

typedef void (*FormCallback) (TsyPaymentForm *self, GTask *task);

static void
form_request_free (FormRequest *request)
{
  g_free (request->path);
  g_free (request->from);
  g_free (request->to_name);
  g_free (request->to_account);
  g_free (request->to_bank);
  g_free (request->currency);
  g_free (request->text);
  g_free (request->maker);
  g_free (request);
}

static char *
row_text (AdwEntryRow *row)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)));

  g_strstrip (text);
  return text[0] != '\0' ? g_steal_pointer (&text) : NULL;
}

static gboolean
all_of (const char *text,
        gboolean  (*pred) (char))
{
  for (const char *p = text; *p != '\0'; p++)
    if (!pred (*p))
      return FALSE;
  return TRUE;
}

static gboolean
is_bic_char (char c)
{
  return g_ascii_isupper (c) || g_ascii_isdigit (c);
}

static gboolean
is_digit_char (char c)
{
  return g_ascii_isdigit (c);
}

static void
fill_spec (const FormRequest *request,
           TsyPaymentSpec    *spec)
{
  size_t bank_len = request->to_bank != NULL ? strlen (request->to_bank) : 0;

  memset (spec, 0, sizeof *spec);
  spec->debtor_account = request->from;
  spec->creditor_name = request->to_name;
  spec->creditor_account = request->to_account;
  /* One field for the creditor's bank: a BIC, a 12-digit CNAPS code, or its name. */
  if (bank_len == 12 && all_of (request->to_bank, is_digit_char))
    spec->creditor_cnaps = request->to_bank;
  else if ((bank_len == 8 || bank_len == 11) && all_of (request->to_bank, is_bic_char))
    spec->creditor_bic = request->to_bank;
  else
    spec->creditor_bank = request->to_bank;
  spec->amount_minor = request->amount_minor;
  spec->currency = request->currency;
  spec->execution_date = request->date;
  spec->remittance = request->text;
  spec->urgency = TSY_URGENCY_NORMAL;
  spec->confirm_duplicate = request->confirm_duplicate;
}

static void
form_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  FormRequest *request = task_data;
  g_autoptr(TsyStore) store = NULL;
  TsyPaymentSpec spec;
  GError *error = NULL;
  gint64 id;

  store = tsy_store_open_existing (request->path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  fill_spec (request, &spec);
  if (request->op == FORM_CHECK)
    {
      if (tsy_payment_check (store, &spec, &error))
        g_task_return_pointer (task, g_new0 (gint64, 1), g_free);
      else
        g_task_return_error (task, error);
      return;
    }
  id = tsy_payment_create (store, &spec, request->maker, &error);
  if (id == 0)
    {
      g_task_return_error (task, error);
      return;
    }
  if (request->op == FORM_SUBMIT && !tsy_payment_submit (store, id, request->maker, &error))
    {
      g_prefix_error (&error, _("Saved as draft %lld, but not submitted: "), (long long) id);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_memdup2 (&id, sizeof id), g_free);
}

static void
on_task_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TsyPaymentForm) self = user_data;
  FormCallback callback = g_object_get_data (G_OBJECT (result), "tsy-form-callback");

  self->pending--;
  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;
  callback (self, G_TASK (result));
}

static void
run_request (TsyPaymentForm *self,
             FormRequest    *request,
             FormCallback    callback)
{
  g_autoptr(GTask) task = g_task_new (NULL, self->cancellable, on_task_done_cb, g_object_ref (self));

  g_task_set_source_tag (task, run_request);
  g_object_set_data (G_OBJECT (task), "tsy-form-callback", callback);
  g_task_set_task_data (task, request, (GDestroyNotify) form_request_free);
  self->pending++;
  g_task_run_in_thread (task, form_thread);
}

static void
set_error (TsyPaymentForm *self,
           const char     *text)
{
  gtk_label_set_text (self->error_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text != NULL);
}

/* Parses what can be parsed here; the ledger checks the rest. NULL with a reason shown. */
static FormRequest *
form_request_new (TsyPaymentForm *self,
                  int             op,
                  gboolean        show)
{
  FormRequest *request = g_new0 (FormRequest, 1);
  g_autofree char *amount = row_text (self->amount_row);
  g_autofree char *date = row_text (self->date_row);
  g_autoptr(GError) error = NULL;

  request->op = op;
  request->path = g_strdup (tsy_store_get_path (self->store));
  request->from = row_text (self->from_row);
  request->to_name = row_text (self->to_name_row);
  request->to_account = row_text (self->to_account_row);
  request->to_bank = row_text (self->to_bank_row);
  request->currency = row_text (self->currency_row);
  request->text = row_text (self->text_row);
  request->maker = g_strdup (self->user);
  request->confirm_duplicate = gtk_widget_get_visible (GTK_WIDGET (self->duplicate_check)) &&
                               gtk_check_button_get_active (self->duplicate_check);
  if (request->currency != NULL)
    {
      g_autofree char *up = g_ascii_strup (request->currency, -1);
      g_free (request->currency);
      request->currency = g_steal_pointer (&up);
    }

  if (request->from == NULL || request->to_name == NULL || request->to_account == NULL ||
      amount == NULL || request->currency == NULL || date == NULL)
    {
      if (show)
        set_error (self, _("Fill in the account, the creditor, the amount, the currency and the date."));
      form_request_free (request);
      return NULL;
    }
  if (!tsy_currency_check (request->currency, &error) ||
      !tsy_money_parse (amount, -1, request->currency, TSY_DECIMAL_POINT,
                        &request->amount_minor, &error) ||
      !tsy_date_parse_iso (date, &request->date, &error))
    {
      if (show)
        set_error (self, error->message);
      form_request_free (request);
      return NULL;
    }
  return request;
}

static void
on_checked (TsyPaymentForm *self,
            GTask          *task)
{
  FormRequest *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree gint64 *ok = g_task_propagate_pointer (task, &error);

  if (request->serial != self->check_serial)
    return;   /* the user typed on meanwhile */
  self->checked = TRUE;
  set_error (self, ok != NULL ? NULL : error->message);
  /* An exact duplicate of a recent payment may be made on purpose, once the maker says so. */
  if (ok == NULL && g_error_matches (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DUPLICATE))
    gtk_widget_set_visible (GTK_WIDGET (self->duplicate_check), TRUE);
  else if (!request->confirm_duplicate)
    gtk_widget_set_visible (GTK_WIDGET (self->duplicate_check), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), ok != NULL && self->user != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->submit_button), ok != NULL && self->user != NULL);
}

static gboolean
on_check_timeout_cb (gpointer data)
{
  TsyPaymentForm *self = data;
  FormRequest *request;

  self->check_source = 0;
  if (self->store == NULL)
    return G_SOURCE_REMOVE;
  request = form_request_new (self, FORM_CHECK, TRUE);
  if (request == NULL)
    {
      self->checked = TRUE;
      return G_SOURCE_REMOVE;
    }
  request->serial = self->check_serial;
  run_request (self, request, on_checked);
  return G_SOURCE_REMOVE;
}

static void
on_form_changed_cb (TsyPaymentForm *self)
{
  self->check_serial++;
  self->checked = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->submit_button), FALSE);
  g_clear_handle_id (&self->check_source, g_source_remove);
  self->check_source = g_timeout_add (CHECK_DELAY_MS, on_check_timeout_cb, self);
}

static void
on_saved (TsyPaymentForm *self,
          GTask          *task)
{
  FormRequest *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree gint64 *id = g_task_propagate_pointer (task, &error);

  if (id == NULL)
    {
      set_error (self, error->message);
      g_signal_emit (self, signals[SIGNAL_FAILED], 0, error);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_SAVED], 0, *id, request->op == FORM_SUBMIT);
}

static void
on_save_clicked_cb (TsyPaymentForm *self)
{
  tsy_payment_form_save (self, FALSE);
}

static void
on_submit_clicked_cb (TsyPaymentForm *self)
{
  tsy_payment_form_save (self, TRUE);
}

static void
tsy_payment_form_dispose (GObject *object)
{
  TsyPaymentForm *self = TSY_PAYMENT_FORM (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->check_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), TSY_TYPE_PAYMENT_FORM);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL; )
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (tsy_payment_form_parent_class)->dispose (object);
}

static void
tsy_payment_form_finalize (GObject *object)
{
  TsyPaymentForm *self = TSY_PAYMENT_FORM (object);

  g_clear_object (&self->cancellable);
  g_free (self->user);
  G_OBJECT_CLASS (tsy_payment_form_parent_class)->finalize (object);
}

static void
tsy_payment_form_class_init (TsyPaymentFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsy_payment_form_dispose;
  object_class->finalize = tsy_payment_form_finalize;

  /**
   * TsyPaymentForm::saved:
   * @id: the new payment
   * @submitted: TRUE when it was also submitted for approval
   */
  signals[SIGNAL_SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                        G_TYPE_INT64, G_TYPE_BOOLEAN);
  /**
   * TsyPaymentForm::failed:
   * @error: why the ledger refused the save
   */
  signals[SIGNAL_FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/treasurydesk/TreasuryDesk/tsy-payment-form.ui");
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentForm, from_row);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentForm, to_name_row);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentForm, to_account_row);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentForm, to_bank_row);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentForm, amount_row);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentForm, currency_row);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentForm, date_row);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentForm, text_row);
  gtk_widget_class_bind_template_child_full (widget_class, "form_error_label", FALSE,
                                             G_STRUCT_OFFSET (TsyPaymentForm, error_label));
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentForm, duplicate_check);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentForm, save_button);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentForm, submit_button);
  gtk_widget_class_bind_template_callback (widget_class, on_form_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_submit_clicked_cb);
}

static void
tsy_payment_form_init (TsyPaymentForm *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

GtkWidget *
tsy_payment_form_new (void)
{
  return g_object_new (TSY_TYPE_PAYMENT_FORM, NULL);
}

void
tsy_payment_form_set_store (TsyPaymentForm *self,
                            TsyStore       *store)
{
  g_return_if_fail (TSY_IS_PAYMENT_FORM (self));

  g_set_object (&self->store, store);
}

void
tsy_payment_form_set_user (TsyPaymentForm *self,
                           const char     *user)
{
  g_return_if_fail (TSY_IS_PAYMENT_FORM (self));

  if (g_strcmp0 (self->user, user) == 0)
    return;
  g_free (self->user);
  self->user = g_strdup (user);
  /* Only a form already typed into is checked again (who may save it changed). */
  if (self->check_serial > 0)
    on_form_changed_cb (self);
}

void
tsy_payment_form_start (TsyPaymentForm *self)
{
  g_return_if_fail (TSY_IS_PAYMENT_FORM (self));

  if (gtk_editable_get_text (GTK_EDITABLE (self->date_row))[0] == '\0')
    {
      g_autofree char *today = tsy_date_to_iso (tsy_date_today ());
      gtk_editable_set_text (GTK_EDITABLE (self->date_row), today);
    }
  gtk_widget_grab_focus (GTK_WIDGET (self->from_row));
}

void
tsy_payment_form_fill (TsyPaymentForm *self,
                       const char     *from,
                       const char     *to_name,
                       const char     *to_account,
                       const char     *to_bank,
                       const char     *amount,
                       const char     *currency,
                       const char     *date,
                       const char     *text)
{
  g_return_if_fail (TSY_IS_PAYMENT_FORM (self));

  gtk_editable_set_text (GTK_EDITABLE (self->from_row), from);
  gtk_editable_set_text (GTK_EDITABLE (self->to_name_row), to_name);
  gtk_editable_set_text (GTK_EDITABLE (self->to_account_row), to_account);
  gtk_editable_set_text (GTK_EDITABLE (self->to_bank_row), to_bank);
  gtk_editable_set_text (GTK_EDITABLE (self->amount_row), amount);
  gtk_editable_set_text (GTK_EDITABLE (self->currency_row), currency);
  gtk_editable_set_text (GTK_EDITABLE (self->date_row), date);
  gtk_editable_set_text (GTK_EDITABLE (self->text_row), text);
}

const char *
tsy_payment_form_get_error (TsyPaymentForm *self)
{
  g_return_val_if_fail (TSY_IS_PAYMENT_FORM (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;
  return gtk_label_get_text (self->error_label);
}

gboolean
tsy_payment_form_get_checked (TsyPaymentForm *self)
{
  g_return_val_if_fail (TSY_IS_PAYMENT_FORM (self), FALSE);

  return self->checked && self->check_source == 0;
}

gboolean
tsy_payment_form_confirm_duplicate (TsyPaymentForm *self)
{
  g_return_val_if_fail (TSY_IS_PAYMENT_FORM (self), FALSE);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->duplicate_check)))
    return FALSE;
  gtk_check_button_set_active (self->duplicate_check, TRUE);
  return TRUE;
}

void
tsy_payment_form_save (TsyPaymentForm *self,
                       gboolean        submit)
{
  FormRequest *request;

  g_return_if_fail (TSY_IS_PAYMENT_FORM (self));

  if (self->store == NULL)
    return;
  if (self->user == NULL)
    {
      set_error (self, _("Pick the user who makes the payment."));
      return;
    }
  request = form_request_new (self, submit ? FORM_SUBMIT : FORM_SAVE, TRUE);
  if (request != NULL)
    run_request (self, request, on_saved);
}

guint
tsy_payment_form_get_pending (TsyPaymentForm *self)
{
  g_return_val_if_fail (TSY_IS_PAYMENT_FORM (self), 0);

  return self->pending + (self->check_source != 0 ? 1 : 0);
}
