/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "tsy-payments-page.h"
#include "tsy-payments-page-private.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "banks/tsy-payment-sender.h"
#include "banks/tsy-payment-signer.h"
#include "ledger/tsy-bank-channel.h"
#include "ledger/tsy-date.h"
#include "ledger/tsy-ledger-error.h"
#include "ledger/tsy-money.h"
#include "ledger/tsy-payment.h"
#include "ledger/tsy-user.h"
#include "tsy-money-format.h"
#include "tsy-ui.h"

/* How long typing pauses before the ledger checks the form, and the poll while in flight. */
#define CHECK_DELAY_MS   250
#define POLL_SECONDS     3
#define POLL_MAX_TICKS   40

/* A row of the table ---------------------------------------------------------------------- */

#define TSY_TYPE_PAYMENT_ROW (tsy_payment_row_get_type ())
G_DECLARE_FINAL_TYPE (TsyPaymentRow, tsy_payment_row, TSY, PAYMENT_ROW, GObject)

struct _TsyPaymentRow
{
  GObject         parent_instance;
  TsyPaymentInfo *info;
};

enum
{
  ROW_PROP_0,
  ROW_PROP_ID,
  ROW_PROP_STATUS,
  ROW_PROP_DEBTOR,
  ROW_PROP_CREDITOR,
  ROW_PROP_AMOUNT_MINOR,
  ROW_PROP_CURRENCY,
  ROW_PROP_DATE,
  ROW_PROP_APPROVALS,
  ROW_N_PROPS
};

static GParamSpec *row_properties[ROW_N_PROPS];

G_DEFINE_FINAL_TYPE (TsyPaymentRow, tsy_payment_row, G_TYPE_OBJECT)

static const char *
status_label (TsyPaymentStatus status)
{
  switch (status)
    {
    case TSY_PAYMENT_DRAFT: return C_("payment status", "Draft");
    case TSY_PAYMENT_SUBMITTED: return C_("payment status", "Awaiting approval");
    case TSY_PAYMENT_APPROVED: return C_("payment status", "Approved");
    case TSY_PAYMENT_SENT: return C_("payment status", "Sent");
    case TSY_PAYMENT_ACCEPTED: return C_("payment status", "Accepted by the bank");
    case TSY_PAYMENT_REJECTED: return C_("payment status", "Rejected");
    case TSY_PAYMENT_EXECUTED: return C_("payment status", "Executed");
    case TSY_PAYMENT_FAILED: return C_("payment status", "Failed");
    default: return "";
    }
}

static void
tsy_payment_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TsyPaymentRow *self = TSY_PAYMENT_ROW (object);
  char buf[16];

  switch (prop_id)
    {
    case ROW_PROP_ID:
      g_value_set_int64 (value, self->info->id);
      break;
    case ROW_PROP_STATUS:
      g_value_set_string (value, status_label (self->info->status));
      break;
    case ROW_PROP_DEBTOR:
      g_value_set_string (value, self->info->debtor_account);
      break;
    case ROW_PROP_CREDITOR:
      g_value_set_string (value, self->info->creditor_name);
      break;
    case ROW_PROP_AMOUNT_MINOR:
      g_value_set_int64 (value, self->info->amount_minor);
      break;
    case ROW_PROP_CURRENCY:
      g_value_set_string (value, self->info->currency);
      break;
    case ROW_PROP_DATE:
      tsy_date_format_iso (self->info->execution_date, buf);
      g_value_set_string (value, buf);
      break;
    case ROW_PROP_APPROVALS:
      g_value_set_uint (value, self->info->approvals);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsy_payment_row_finalize (GObject *object)
{
  TsyPaymentRow *self = TSY_PAYMENT_ROW (object);

  g_clear_pointer (&self->info, tsy_payment_info_free);
  G_OBJECT_CLASS (tsy_payment_row_parent_class)->finalize (object);
}

static void
tsy_payment_row_class_init (TsyPaymentRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->get_property = tsy_payment_row_get_property;
  object_class->finalize = tsy_payment_row_finalize;
  row_properties[ROW_PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  row_properties[ROW_PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, NULL, flags);
  row_properties[ROW_PROP_DEBTOR] = g_param_spec_string ("debtor", NULL, NULL, NULL, flags);
  row_properties[ROW_PROP_CREDITOR] = g_param_spec_string ("creditor", NULL, NULL, NULL, flags);
  row_properties[ROW_PROP_AMOUNT_MINOR] =
    g_param_spec_int64 ("amount-minor", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  row_properties[ROW_PROP_CURRENCY] = g_param_spec_string ("currency", NULL, NULL, NULL, flags);
  row_properties[ROW_PROP_DATE] = g_param_spec_string ("date", NULL, NULL, NULL, flags);
  row_properties[ROW_PROP_APPROVALS] = g_param_spec_uint ("approvals", NULL, NULL, 0, G_MAXUINT, 0, flags);
  g_object_class_install_properties (object_class, ROW_N_PROPS, row_properties);
}

static void
tsy_payment_row_init (TsyPaymentRow *self)
{
}

static TsyPaymentRow *
tsy_payment_row_new (TsyPaymentInfo *info)
{
  TsyPaymentRow *self = g_object_new (TSY_TYPE_PAYMENT_ROW, NULL);

  self->info = info;
  return self;
}

/* The page ---------------------------------------------------------------------------------- */

typedef enum
{
  COL_ID,
  COL_STATUS,
  COL_DEBTOR,
  COL_CREDITOR,
  COL_AMOUNT,
  COL_CURRENCY,
  COL_DATE,
  COL_APPROVALS,
} Column;

struct _TsyPaymentsPage
{
  GtkWidget           parent_instance;

  TsyStore           *store;
  GCancellable       *cancellable;
  GListStore         *payments;
  GtkSingleSelection *selection;
  GPtrArray          *user_names;       /* names, in the order of user_list */
  char               *user;             /* the current user's name */
  gint64              selected_id;
  guint               pending;
  guint               check_source;
  guint               check_serial;
  gboolean            form_checked;
  guint               poll_source;
  guint               poll_ticks;
  gboolean            sending;
  gboolean            filling_users;
  char               *last_message;
  gboolean            last_is_error;

  GtkDropDown        *user_dropdown;
  GtkStringList      *user_list;
  GtkDropDown        *status_dropdown;
  GtkButton          *send_button;
  GtkSpinner         *send_spinner;
  GtkColumnView      *column_view;
  GtkListBox         *channel_list;
  GtkStack           *side_stack;
  AdwEntryRow        *from_row;
  AdwEntryRow        *to_name_row;
  AdwEntryRow        *to_account_row;
  AdwEntryRow        *to_bank_row;
  AdwEntryRow        *amount_row;
  AdwEntryRow        *currency_row;
  AdwEntryRow        *date_row;
  AdwEntryRow        *text_row;
  GtkLabel           *form_error_label;
  GtkCheckButton     *duplicate_check;
  GtkButton          *save_button;
  GtkButton          *submit_button;
  GtkListBox         *detail_list;
  GtkButton          *approve_button;
  GtkButton          *reject_button;
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

static void
show_error (TsyPaymentsPage *self,
            const GError    *error)
{
  g_free (self->last_message);
  self->last_message = g_strdup (error->message);
  self->last_is_error = TRUE;
  tsy_ui_toast_error (GTK_WIDGET (self), error);
}

/* Worker tasks: each opens its own connection on the page's file ----------------------------- */

typedef void (*PageCallback) (TsyPaymentsPage *self, GTask *task);

static void
on_page_task_done_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(TsyPaymentsPage) self = user_data;
  PageCallback callback = g_object_get_data (G_OBJECT (result), "tsy-page-callback");

  self->pending--;
  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;
  callback (self, G_TASK (result));
}

static GTask *
page_task_new (TsyPaymentsPage *self,
               gpointer         source_tag,
               PageCallback     callback)
{
  GTask *task = g_task_new (NULL, self->cancellable, on_page_task_done_cb, g_object_ref (self));

  g_task_set_source_tag (task, source_tag);
  g_object_set_data (G_OBJECT (task), "tsy-page-callback", callback);
  self->pending++;
  return task;
}

static TsyStore *
worker_store (const char  *path,
              GError     **error)
{
  return tsy_store_open_existing (path, error);
}

/* Loading ------------------------------------------------------------------------------------- */

typedef struct
{
  char     *path;
  guint32   statuses;
  gboolean  work_outbox;   /* the poll: ask the banks for news first */
  char     *actor;
} LoadRequest;

typedef struct
{
  GPtrArray *payments;
  GPtrArray *users;
  GPtrArray *channels;
} LoadResult;

static void
load_request_free (LoadRequest *request)
{
  g_free (request->path);
  g_free (request->actor);
  g_free (request);
}

static void
load_result_free (LoadResult *result)
{
  g_clear_pointer (&result->payments, g_ptr_array_unref);
  g_clear_pointer (&result->users, g_ptr_array_unref);
  g_clear_pointer (&result->channels, g_ptr_array_unref);
  g_free (result);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadRequest *request = task_data;
  g_autoptr(TsyStore) store = NULL;
  TsyPaymentFilter filter = { .statuses = request->statuses };
  LoadResult *result;
  GError *error = NULL;

  store = worker_store (request->path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (request->work_outbox)
    {
      TsySendReport report = { 0 };
      g_autoptr(GError) send_error = NULL;

      /* Channel trouble is recorded as the channel's health; only news is asked here. */
      if (!tsy_payment_work_outbox (store, request->actor, &report, cancellable, &send_error))
        g_debug ("poll: %s", send_error->message);
    }
  result = g_new0 (LoadResult, 1);
  result->payments = tsy_payment_list (store, &filter, &error);
  if (result->payments != NULL)
    result->users = tsy_user_list (store, &error);
  if (result->users != NULL)
    result->channels = tsy_bank_channel_list (store, &error);
  if (result->channels == NULL)
    {
      load_result_free (result);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, result, (GDestroyNotify) load_result_free);
}

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
      g_autofree char *roles = tsy_roles_to_string (info->roles);

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
}

static void set_channel_open (TsyPaymentsPage *self, const char *bank_code, gboolean open);

static void
on_channel_switch_cb (GtkSwitch       *sw,
                      GParamSpec      *pspec,
                      TsyPaymentsPage *self)
{
  set_channel_open (self, g_object_get_data (G_OBJECT (sw), "tsy-bank-code"),
                    gtk_switch_get_active (sw));
}

static void
apply_channels (TsyPaymentsPage *self,
                GPtrArray       *channels)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->channel_list))) != NULL)
    gtk_list_box_remove (self->channel_list, child);
  if (channels->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     _("No bank is connected yet (treasury bank connect)."));
      gtk_list_box_append (self->channel_list, row);
      return;
    }
  for (guint i = 0; i < channels->len; i++)
    {
      const TsyBankChannel *channel = g_ptr_array_index (channels, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *sw = gtk_switch_new ();
      g_autofree char *latency = NULL;
      g_autofree char *subtitle = NULL;

      latency = channel->latency_ms >= 0
        /* Translators: latency of a bank channel in milliseconds */
        ? g_strdup_printf (_("%d ms"), channel->latency_ms) : g_strdup ("—");
      /* Translators: a bank channel: kind (https, sftp, folder), state, last success,
       * last error, latency */
      subtitle = g_strdup_printf (_("%1$s · %2$s · last success %3$s · last error %4$s · %5$s"),
                                  tsy_channel_kind_to_string (channel->kind),
                                  channel->is_open ? _("open") : _("closed"),
                                  channel->last_success_at != NULL ? channel->last_success_at : "—",
                                  channel->last_error != NULL ? channel->last_error : "—",
                                  latency);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), channel->bank_code);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_switch_set_active (GTK_SWITCH (sw), channel->is_open);
      gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (sw, _("Open or close the channel to this bank"));
      g_object_set_data_full (G_OBJECT (sw), "tsy-bank-code", g_strdup (channel->bank_code), g_free);
      g_signal_connect_object (sw, "notify::active", G_CALLBACK (on_channel_switch_cb), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
      gtk_list_box_append (self->channel_list, row);
    }
}

static gboolean
anything_in_flight (TsyPaymentsPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->payments));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TsyPaymentRow) row = g_list_model_get_item (G_LIST_MODEL (self->payments), i);

      if (row->info->status == TSY_PAYMENT_SENT || row->info->status == TSY_PAYMENT_ACCEPTED)
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
on_loaded (TsyPaymentsPage *self,
           GTask           *task)
{
  g_autoptr(GError) error = NULL;
  LoadResult *result = g_task_propagate_pointer (task, &error);
  g_autoptr(GPtrArray) rows = NULL;
  guint keep = GTK_INVALID_LIST_POSITION;

  if (result == NULL)
    {
      show_error (self, error);
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
  if (keep != GTK_INVALID_LIST_POSITION)
    {
      /* the sort model may put it elsewhere: find it by id */
      GListModel *model = G_LIST_MODEL (self->selection);
      guint n = g_list_model_get_n_items (model);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(TsyPaymentRow) row = g_list_model_get_item (model, i);

          if (row->info->id == self->selected_id)
            {
              gtk_single_selection_set_selected (self->selection, i);
              break;
            }
        }
    }
  apply_users (self, result->users);
  apply_channels (self, result->channels);
  load_result_free (result);
  show_detail (self);
  schedule_poll (self);
}

static void
start_load (TsyPaymentsPage *self,
            gboolean         work_outbox)
{
  g_autoptr(GTask) task = NULL;
  LoadRequest *request;

  if (self->store == NULL)
    return;
  request = g_new0 (LoadRequest, 1);
  request->path = g_strdup (tsy_store_get_path (self->store));
  request->statuses = filter_statuses (self);
  request->work_outbox = work_outbox;
  request->actor = g_strdup (self->user != NULL ? self->user : "window");
  task = page_task_new (self, start_load, on_loaded);
  g_task_set_task_data (task, request, (GDestroyNotify) load_request_free);
  g_task_run_in_thread (task, load_thread);
}

void
tsy_payments_page_reload (TsyPaymentsPage *self)
{
  g_return_if_fail (TSY_IS_PAYMENTS_PAGE (self));

  self->poll_ticks = 0;
  start_load (self, FALSE);
}

/* The new payment form -------------------------------------------------------------------- */

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

  store = worker_store (request->path, &error);
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
set_form_error (TsyPaymentsPage *self,
                const char      *text)
{
  gtk_label_set_text (self->form_error_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->form_error_label), text != NULL);
}

/* Parses what can be parsed here; the ledger checks the rest. NULL with a reason shown. */
static FormRequest *
form_request_new (TsyPaymentsPage *self,
                  int              op,
                  gboolean         show)
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
        set_form_error (self, _("Fill in the account, the creditor, the amount, the currency and the date."));
      form_request_free (request);
      return NULL;
    }
  if (!tsy_currency_check (request->currency, &error) ||
      !tsy_money_parse (amount, -1, request->currency, TSY_DECIMAL_POINT,
                        &request->amount_minor, &error) ||
      !tsy_date_parse_iso (date, &request->date, &error))
    {
      if (show)
        set_form_error (self, error->message);
      form_request_free (request);
      return NULL;
    }
  return request;
}

static void
on_form_checked (TsyPaymentsPage *self,
                 GTask           *task)
{
  FormRequest *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree gint64 *ok = g_task_propagate_pointer (task, &error);

  if (request->serial != self->check_serial)
    return;   /* the user typed on meanwhile */
  self->form_checked = TRUE;
  set_form_error (self, ok != NULL ? NULL : error->message);
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
  TsyPaymentsPage *self = data;
  g_autoptr(GTask) task = NULL;
  FormRequest *request;

  self->check_source = 0;
  if (self->store == NULL)
    return G_SOURCE_REMOVE;
  request = form_request_new (self, FORM_CHECK, TRUE);
  if (request == NULL)
    {
      self->form_checked = TRUE;
      return G_SOURCE_REMOVE;
    }
  request->serial = self->check_serial;
  task = page_task_new (self, on_check_timeout_cb, on_form_checked);
  g_task_set_task_data (task, request, (GDestroyNotify) form_request_free);
  g_task_run_in_thread (task, form_thread);
  return G_SOURCE_REMOVE;
}

static void
on_form_changed_cb (TsyPaymentsPage *self)
{
  self->check_serial++;
  self->form_checked = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->submit_button), FALSE);
  g_clear_handle_id (&self->check_source, g_source_remove);
  self->check_source = g_timeout_add (CHECK_DELAY_MS, on_check_timeout_cb, self);
}

static void
on_form_saved (TsyPaymentsPage *self,
               GTask           *task)
{
  FormRequest *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree gint64 *id = g_task_propagate_pointer (task, &error);
  g_autofree char *text = NULL;

  if (id == NULL)
    {
      set_form_error (self, error->message);
      show_error (self, error);
      tsy_payments_page_reload (self);
      return;
    }
  text = request->op == FORM_SUBMIT
    ? g_strdup_printf (_("Payment %lld submitted for approval."), (long long) *id)
    : g_strdup_printf (_("Payment %lld saved as a draft."), (long long) *id);
  show_message (self, text, FALSE);
  self->selected_id = *id;
  tsy_payments_page_reload (self);
}

static void
save_form (TsyPaymentsPage *self,
           gboolean         submit)
{
  g_autoptr(GTask) task = NULL;
  FormRequest *request;

  if (self->store == NULL)
    return;
  if (self->user == NULL)
    {
      set_form_error (self, _("Pick the user who makes the payment."));
      return;
    }
  request = form_request_new (self, submit ? FORM_SUBMIT : FORM_SAVE, TRUE);
  if (request == NULL)
    return;
  task = page_task_new (self, save_form, on_form_saved);
  g_task_set_task_data (task, request, (GDestroyNotify) form_request_free);
  g_task_run_in_thread (task, form_thread);
}

static void
on_save_clicked_cb (TsyPaymentsPage *self)
{
  save_form (self, FALSE);
}

static void
on_submit_clicked_cb (TsyPaymentsPage *self)
{
  save_form (self, TRUE);
}

static void
on_new_clicked_cb (TsyPaymentsPage *self)
{
  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
  self->selected_id = 0;
  if (gtk_editable_get_text (GTK_EDITABLE (self->date_row))[0] == '\0')
    {
      g_autofree char *today = tsy_date_to_iso (tsy_date_today ());
      gtk_editable_set_text (GTK_EDITABLE (self->date_row), today);
    }
  gtk_stack_set_visible_child_name (self->side_stack, "form");
  gtk_widget_grab_focus (GTK_WIDGET (self->from_row));
}

/* The approver's view ------------------------------------------------------------------------ */

static TsyPaymentRow *
selected_row (TsyPaymentsPage *self)
{
  return gtk_single_selection_get_selected_item (self->selection);
}

static void
add_detail (TsyPaymentsPage *self,
            const char      *title,
            const char      *value)
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
show_detail (TsyPaymentsPage *self)
{
  TsyPaymentRow *row = selected_row (self);
  const TsyPaymentInfo *info;
  GtkWidget *child;
  char date[16];
  g_autofree char *id = NULL;
  g_autofree char *amount = NULL;
  g_autofree char *approvals = NULL;
  g_autofree char *debtor = NULL;

  if (row == NULL)
    {
      if (g_strcmp0 (gtk_stack_get_visible_child_name (self->side_stack), "detail") == 0)
        gtk_stack_set_visible_child_name (self->side_stack, "empty");
      return;
    }
  info = row->info;
  self->selected_id = info->id;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->detail_list))) != NULL)
    gtk_list_box_remove (self->detail_list, child);

  id = g_strdup_printf ("%lld", (long long) info->id);
  amount = tsy_money_format (info->amount_minor, info->currency, TSY_MONEY_FORMAT_CODE);
  tsy_date_format_iso (info->execution_date, date);
  /* Translators: approvals so far and approvals required, e.g. "1 / 2" */
  approvals = g_strdup_printf (_("%1$u / %2$u"), info->approvals, info->required_approvals);
  debtor = info->debtor_name != NULL
    ? g_strdup_printf ("%s %s", info->debtor_account, info->debtor_name)
    : g_strdup (info->debtor_account);

  add_detail (self, _("Payment"), id);
  add_detail (self, _("Status"), status_label (info->status));
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
  gtk_stack_set_visible_child_name (self->side_stack, "detail");
}

static void
on_selection_changed_cb (TsyPaymentsPage *self)
{
  show_detail (self);
}

static void
on_approved (TsyPaymentsPage *self,
             GTask           *task)
{
  g_autoptr(GError) error = NULL;
  g_autofree guint *approved = g_task_propagate_pointer (task, &error);

  if (approved == NULL)
    show_error (self, error);
  else if (*approved > 0)
    show_message (self, _("Approved: the payment has all its signatures and can be sent."), FALSE);
  else
    show_message (self, _("Your approval is recorded; the payment awaits further approvals."), FALSE);
  tsy_payments_page_reload (self);
}

static void
on_sign_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  guint approved = 0;

  if (tsy_payment_sign_approve_finish (TSY_STORE (source), result, &approved, &error))
    g_task_return_pointer (task, g_memdup2 (&approved, sizeof approved), g_free);
  else
    g_task_return_error (task, error);
  g_object_unref (task);
}

static void
approve (TsyPaymentsPage *self,
         gint64           id,
         const char      *passphrase)
{
  GTask *task;

  if (self->store == NULL || self->user == NULL)
    return;
  task = page_task_new (self, approve, on_approved);
  /* The passphrase is copied by the signer, used on its thread and wiped; never kept here. */
  tsy_payment_sign_approve_async (self->store, &id, 1, self->user, passphrase,
                                  self->cancellable, on_sign_done_cb, task);
}

static void
on_approve_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        TsyPaymentsPage  *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "tsy-passphrase");
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "tsy-payment-id"));

  if (g_strcmp0 (response, "approve") == 0)
    approve (self, id, gtk_editable_get_text (entry));
  gtk_editable_set_text (entry, "");
}

static void
on_approve_clicked_cb (TsyPaymentsPage *self)
{
  TsyPaymentRow *row = selected_row (self);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;
  GtkWidget *entry;
  g_autofree char *amount = NULL;

  if (row == NULL || self->user == NULL)
    return;
  amount = tsy_money_format (row->info->amount_minor, row->info->currency, TSY_MONEY_FORMAT_CODE);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Approve and Sign?"), NULL);
  /* Translators: %1$s the user, %2$s the amount, %3$s the creditor, %4$s the digest */
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("%1$s signs the payment of %2$s to %3$s (digest %4$s). Enter your passphrase: it unlocks your key for this signature only and is not kept."),
                                  self->user, amount, row->info->creditor_name,
                                  row->info->digest != NULL ? row->info->digest : "");
  entry = gtk_password_entry_new ();
  gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (entry), TRUE);
  g_object_set (entry, "activates-default", TRUE, NULL);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "approve", _("_Approve"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "approve",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "approve");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "tsy-passphrase", entry);
  g_object_set_data (G_OBJECT (dialog), "tsy-payment-id", GSIZE_TO_POINTER ((gsize) row->info->id));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_approve_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
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

  store = worker_store (request->path, &error);
  if (store == NULL || !tsy_payment_reject (store, request->id, request->user, request->reason, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_rejected (TsyPaymentsPage *self,
             GTask           *task)
{
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (task, &error))
    show_error (self, error);
  else
    show_message (self, _("The payment is rejected."), FALSE);
  tsy_payments_page_reload (self);
}

static void
on_reject_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       TsyPaymentsPage  *self)
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
  task = page_task_new (self, on_reject_response_cb, on_rejected);
  g_task_set_task_data (task, request, (GDestroyNotify) reject_request_free);
  g_task_run_in_thread (task, reject_thread);
}

static void
on_reject_clicked_cb (TsyPaymentsPage *self)
{
  TsyPaymentRow *row = selected_row (self);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;
  GtkWidget *entry;

  if (row == NULL || self->user == NULL)
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
  g_object_set_data (G_OBJECT (dialog), "tsy-payment-id", GSIZE_TO_POINTER ((gsize) row->info->id));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_reject_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
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
on_sent (TsyPaymentsPage *self,
         GTask           *task)
{
  g_autoptr(GError) error = NULL;
  g_autofree TsySendReport *report = g_task_propagate_pointer (task, &error);
  g_autofree char *text = NULL;

  set_sending (self, FALSE);
  if (report == NULL)
    {
      show_error (self, error);
      tsy_payments_page_reload (self);
      return;
    }
  /* Translators: a summary of one run of the sender */
  text = g_strdup_printf (_("Sent: %1$u payments in %2$u messages; %3$u refused (content changed after approval), %4$u waiting for a closed channel, %5$u channel errors."),
                          report->prepared, report->messages, report->failed_signature,
                          report->waiting_channel, report->channel_errors);
  show_message (self, text, report->failed_signature > 0 || report->channel_errors > 0);
  tsy_payments_page_reload (self);
}

static void
on_send_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  TsySendReport report = { 0 };

  if (tsy_payment_send_finish (TSY_STORE (source), result, &report, &error))
    g_task_return_pointer (task, g_memdup2 (&report, sizeof report), g_free);
  else
    g_task_return_error (task, error);
  g_object_unref (task);
}

static void
on_send_clicked_cb (TsyPaymentsPage *self)
{
  GTask *task;

  if (self->store == NULL || self->sending)
    return;
  set_sending (self, TRUE);
  task = page_task_new (self, on_send_clicked_cb, on_sent);
  tsy_payment_send_async (self->store, self->cancellable, on_send_done_cb, task);
}

/* Channels ------------------------------------------------------------------------------------ */

typedef struct
{
  char     *path;
  char     *bank_code;
  char     *actor;
  gboolean  open;
} ChannelRequest;

static void
channel_request_free (ChannelRequest *request)
{
  g_free (request->path);
  g_free (request->bank_code);
  g_free (request->actor);
  g_free (request);
}

static void
channel_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ChannelRequest *request = task_data;
  g_autoptr(TsyStore) store = NULL;
  GError *error = NULL;

  store = worker_store (request->path, &error);
  if (store == NULL ||
      !tsy_bank_channel_set_open (store, request->bank_code, request->open, request->actor, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_channel_set (TsyPaymentsPage *self,
                GTask           *task)
{
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (task, &error))
    show_error (self, error);
  tsy_payments_page_reload (self);
}

static void
set_channel_open (TsyPaymentsPage *self,
                  const char      *bank_code,
                  gboolean         open)
{
  g_autoptr(GTask) task = NULL;
  ChannelRequest *request;

  if (self->store == NULL || bank_code == NULL)
    return;
  request = g_new0 (ChannelRequest, 1);
  request->path = g_strdup (tsy_store_get_path (self->store));
  request->bank_code = g_strdup (bank_code);
  request->actor = g_strdup (self->user != NULL ? self->user : "window");
  request->open = open;
  task = page_task_new (self, set_channel_open, on_channel_set);
  g_task_set_task_data (task, request, (GDestroyNotify) channel_request_free);
  g_task_run_in_thread (task, channel_thread);
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
  show_detail (self);
  on_form_changed_cb (self);
}

static void
on_status_selected_cb (TsyPaymentsPage *self)
{
  tsy_payments_page_reload (self);
}

/* Columns ---------------------------------------------------------------------------------------- */

static void
cell_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  data)
{
  Column column = GPOINTER_TO_INT (data);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (column == COL_AMOUNT || column == COL_ID || column == COL_APPROVALS)
    {
      gtk_label_set_xalign (GTK_LABEL (label), 1);
      gtk_widget_add_css_class (label, "amount");
    }
  gtk_list_item_set_child (item, label);
}

static void
cell_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  data)
{
  Column column = GPOINTER_TO_INT (data);
  TsyPaymentRow *row = gtk_list_item_get_item (item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  const TsyPaymentInfo *info = row->info;
  g_autofree char *text = NULL;
  char date[16];

  gtk_widget_remove_css_class (GTK_WIDGET (label), "negative");
  switch (column)
    {
    case COL_ID:
      text = g_strdup_printf ("%lld", (long long) info->id);
      break;
    case COL_STATUS:
      text = g_strdup (status_label (info->status));
      break;
    case COL_DEBTOR:
      text = g_strdup (info->debtor_account);
      break;
    case COL_CREDITOR:
      text = g_strdup (info->creditor_name);
      break;
    case COL_AMOUNT:
      text = tsy_money_format (info->amount_minor, info->currency, TSY_MONEY_FORMAT_DEFAULT);
      if (info->amount_minor < 0)
        gtk_widget_add_css_class (GTK_WIDGET (label), "negative");
      break;
    case COL_CURRENCY:
      text = g_strdup (info->currency);
      break;
    case COL_DATE:
      tsy_date_format_iso (info->execution_date, date);
      text = g_strdup (date);
      break;
    case COL_APPROVALS:
      text = info->required_approvals > 0
        ? g_strdup_printf (_("%1$u / %2$u"), info->approvals, info->required_approvals)
        : g_strdup ("—");
      break;
    default:
      break;
    }
  gtk_label_set_text (label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (label), column == COL_CREDITOR || column == COL_STATUS ? text : NULL);
}

static void
add_column (TsyPaymentsPage *self,
            Column           column,
            const char      *title,
            const char      *property,
            gboolean         numeric,
            gboolean         expand,
            int              width)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *col;
  GtkExpression *expression = gtk_property_expression_new (TSY_TYPE_PAYMENT_ROW, NULL, property);
  GtkSorter *sorter = numeric
    ? GTK_SORTER (gtk_numeric_sorter_new (expression))
    : GTK_SORTER (gtk_string_sorter_new (expression));

  g_signal_connect (factory, "setup", G_CALLBACK (cell_setup_cb), GINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (cell_bind_cb), GINT_TO_POINTER (column));
  col = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_sorter (col, sorter);
  gtk_column_view_column_set_expand (col, expand);
  gtk_column_view_column_set_fixed_width (col, width);
  gtk_column_view_column_set_resizable (col, TRUE);
  gtk_column_view_append_column (self->column_view, col);
  if (column == COL_ID)
    gtk_column_view_sort_by_column (self->column_view, col, GTK_SORT_DESCENDING);
  g_object_unref (sorter);
  g_object_unref (col);
}

/* GObject ----------------------------------------------------------------------------------- */

static void
tsy_payments_page_dispose (GObject *object)
{
  TsyPaymentsPage *self = TSY_PAYMENTS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->check_source, g_source_remove);
  g_clear_handle_id (&self->poll_source, g_source_remove);
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
  g_clear_object (&self->selection);
  g_clear_pointer (&self->user_names, g_ptr_array_unref);
  g_free (self->user);
  g_free (self->last_message);
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

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/treasurydesk/TreasuryDesk/tsy-payments-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentsPage, user_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentsPage, user_list);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentsPage, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentsPage, send_button);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentsPage, send_spinner);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentsPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentsPage, channel_list);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentsPage, side_stack);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentsPage, from_row);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentsPage, to_name_row);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentsPage, to_account_row);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentsPage, to_bank_row);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentsPage, amount_row);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentsPage, currency_row);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentsPage, date_row);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentsPage, text_row);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentsPage, form_error_label);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentsPage, duplicate_check);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentsPage, save_button);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentsPage, submit_button);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentsPage, detail_list);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentsPage, approve_button);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentsPage, reject_button);
  gtk_widget_class_bind_template_callback (widget_class, on_user_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_status_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_new_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_send_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_form_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_submit_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_approve_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_reject_clicked_cb);
}

static void
tsy_payments_page_init (TsyPaymentsPage *self)
{
  GtkSortListModel *sorted;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->user_names = g_ptr_array_new_with_free_func (g_free);
  self->payments = g_list_store_new (TSY_TYPE_PAYMENT_ROW);

  add_column (self, COL_ID, C_("column", "No."), "id", TRUE, FALSE, 44);
  add_column (self, COL_STATUS, C_("column", "Status"), "status", FALSE, FALSE, 88);
  add_column (self, COL_DEBTOR, C_("column", "From Account"), "debtor", FALSE, FALSE, 150);
  add_column (self, COL_CREDITOR, C_("column", "Creditor"), "creditor", FALSE, TRUE, 160);
  add_column (self, COL_AMOUNT, C_("column", "Amount"), "amount-minor", TRUE, FALSE, 124);
  add_column (self, COL_CURRENCY, C_("column", "Currency"), "currency", FALSE, FALSE, 48);
  add_column (self, COL_DATE, C_("column", "Date"), "date", FALSE, FALSE, 92);
  add_column (self, COL_APPROVALS, C_("column", "Approvals"), "approvals", TRUE, FALSE, 56);

  sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->payments)),
                                    g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (sorted));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (on_selection_changed_cb), self, G_CONNECT_SWAPPED);
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
  self->selected_id = 0;
  g_list_store_remove_all (self->payments);
  tsy_payments_page_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

/* Test hooks ----------------------------------------------------------------------------------- */

guint
tsy_payments_page_get_pending (TsyPaymentsPage *self)
{
  return self->pending + (self->check_source != 0 ? 1 : 0);
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
tsy_payments_page_get_form_error (TsyPaymentsPage *self)
{
  if (!gtk_widget_get_visible (GTK_WIDGET (self->form_error_label)))
    return NULL;
  return gtk_label_get_text (self->form_error_label);
}

gboolean
tsy_payments_page_get_form_checked (TsyPaymentsPage *self)
{
  return self->form_checked && self->check_source == 0;
}

gboolean
tsy_payments_page_confirm_duplicate (TsyPaymentsPage *self)
{
  if (!gtk_widget_get_visible (GTK_WIDGET (self->duplicate_check)))
    return FALSE;
  gtk_check_button_set_active (self->duplicate_check, TRUE);
  return TRUE;
}

void
tsy_payments_page_save_form (TsyPaymentsPage *self,
                             gboolean         submit)
{
  save_form (self, submit);
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

      if (row->info->id == id)
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
  GString *out = g_string_new (NULL);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->detail_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    g_string_append_printf (out, "%s: %s\n",
                            (const char *) g_object_get_data (G_OBJECT (row), "tsy-title"),
                            (const char *) g_object_get_data (G_OBJECT (row), "tsy-value"));
  return g_string_free (out, FALSE);
}

void
tsy_payments_page_approve_selected (TsyPaymentsPage *self,
                                    const char      *passphrase)
{
  TsyPaymentRow *row = selected_row (self);

  if (row != NULL)
    approve (self, row->info->id, passphrase);
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
