/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "tsy-payment-batch-bar.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "banks/tsy-payment-signer.h"
#include "tsy-payment-batch.h"
#include "tsy-payment-row.h"
#include "tsy-sign-dialog.h"

struct _TsyPaymentBatchBar
{
  GtkWidget      parent_instance;

  TsyStore      *store;
  char          *user;
  gint64         batch_id;       /* the batch shown; 0 = all */
  GArray        *batch_ids;      /* gint64, in the order of batch_list; [0] = 0, all */
  gboolean       filling;
  GListModel    *payments;       /* TsyPaymentRow: every payment listed */
  GPtrArray     *rows;           /* TsyPaymentRow: the batch's */
  GCancellable  *cancellable;
  guint          pending;
  guint          signing;        /* how many payments the running approval signs */

  GtkDropDown   *batch_dropdown;
  GtkStringList *batch_list;
  GtkLabel      *summary_label;
  GtkButton     *submit_button;
  GtkButton     *approve_button;
};

enum
{
  SIGNAL_MESSAGE,
  SIGNAL_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum
{
  PROP_0,
  PROP_BATCH_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TsyPaymentBatchBar, tsy_payment_batch_bar, GTK_TYPE_WIDGET)

/* The infos of the rows in @status (or all when @status is -1). Returns: (transfer container) */
static GPtrArray *
infos_in (TsyPaymentBatchBar *self,
          int                 status)
{
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; i < self->rows->len; i++)
    {
      const TsyPaymentInfo *info = tsy_payment_row_get_info (g_ptr_array_index (self->rows, i));

      if (status < 0 || (int) info->status == status)
        g_ptr_array_add (out, (gpointer) info);
    }
  return out;
}

static GArray *
ids_of (GPtrArray *infos)
{
  GArray *ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), infos->len);

  for (guint i = 0; i < infos->len; i++)
    g_array_append_val (ids, ((const TsyPaymentInfo *) g_ptr_array_index (infos, i))->id);
  return ids;
}

static void
update (TsyPaymentBatchBar *self)
{
  g_autoptr(GPtrArray) all = infos_in (self, -1);
  g_autoptr(GPtrArray) drafts = infos_in (self, TSY_PAYMENT_DRAFT);
  g_autoptr(GPtrArray) submitted = infos_in (self, TSY_PAYMENT_SUBMITTED);
  g_autoptr(GError) error = NULL;
  g_autofree char *totals = tsy_payment_totals_text (all, &error);
  g_autofree char *count = NULL;
  g_autofree char *text = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->summary_label), self->batch_id != 0);
  gtk_widget_set_visible (GTK_WIDGET (self->submit_button), self->batch_id != 0);
  gtk_widget_set_visible (GTK_WIDGET (self->approve_button), self->batch_id != 0);
  /* Translators: how many payments of a batch are listed */
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u payment", "%u payments", all->len),
                           all->len);
  /* Translators: %1$lld a batch id, %2$s "12 payments", %3$s the total per currency,
   * %4$u drafts, %5$u awaiting approval */
  text = g_strdup_printf (_("Batch %1$lld: %2$s, total %3$s (%4$u drafts, %5$u awaiting approval)"),
                          (long long) self->batch_id, count,
                          totals != NULL ? totals : error->message, drafts->len, submitted->len);
  gtk_label_set_text (self->summary_label, text);
  gtk_widget_set_sensitive (GTK_WIDGET (self->submit_button),
                            drafts->len > 0 && self->user != NULL && self->pending == 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->approve_button),
                            submitted->len > 0 && self->user != NULL && self->pending == 0);
}

static void
finish (TsyPaymentBatchBar *self,
        const char         *text,
        const GError       *error)
{
  self->pending--;
  update (self);
  if (error != NULL)
    g_signal_emit (self, signals[SIGNAL_FAILED], 0, error);
  else
    g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, text);
}

/* The batch drop-down ------------------------------------------------------------------------ */

/* Returns: (transfer full) (element-type TsyPaymentRow): the rows of @batch_id in @payments. */
static GPtrArray *
rows_of_batch (GListModel *payments,
               gint64      batch_id)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = g_list_model_get_n_items (payments);

  for (guint i = 0; i < n; i++)
    {
      TsyPaymentRow *row = g_list_model_get_item (payments, i);

      if (tsy_payment_row_get_info (row)->batch_id == batch_id)
        g_ptr_array_add (rows, row);
      else
        g_object_unref (row);
    }
  return rows;
}

static char *
batch_title (gint64     batch_id,
             GPtrArray *rows)
{
  g_autoptr(GPtrArray) infos = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *totals = NULL;

  for (guint j = 0; j < rows->len; j++)
    g_ptr_array_add (infos, (gpointer) tsy_payment_row_get_info (g_ptr_array_index (rows, j)));
  totals = tsy_payment_totals_text (infos, &error);
  /* Translators: a batch in the drop-down: %1$lld its id, %2$u how many payments, %3$s the
   * total per currency */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Batch %1$lld · %2$u payment · %3$s",
                                       "Batch %1$lld · %2$u payments · %3$s", rows->len),
                          (long long) batch_id, rows->len, totals != NULL ? totals : error->message);
}

static void
set_rows (TsyPaymentBatchBar *self,
          gint64              batch_id)
{
  g_ptr_array_set_size (self->rows, 0);
  if (batch_id != 0 && self->payments != NULL)
    g_ptr_array_extend_and_steal (self->rows, rows_of_batch (self->payments, batch_id));
}

static int
compare_ids_descending (gconstpointer a,
                        gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? 1 : x > y ? -1 : 0;
}

static void
set_batch_id (TsyPaymentBatchBar *self,
              gint64              batch_id)
{
  if (self->batch_id == batch_id)
    return;
  self->batch_id = batch_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BATCH_ID]);
}

static void
on_batch_selected_cb (TsyPaymentBatchBar *self)
{
  guint i = gtk_drop_down_get_selected (self->batch_dropdown);

  if (self->filling || i >= self->batch_ids->len)
    return;
  set_rows (self, g_array_index (self->batch_ids, gint64, i));
  set_batch_id (self, g_array_index (self->batch_ids, gint64, i));
  update (self);
}

/* Submit ----------------------------------------------------------------------------------- */

static void
on_submitted_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TsyPaymentBatchBar) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint submitted = 0;

  if (g_cancellable_is_cancelled (self->cancellable))
    {
      self->pending--;
      return;
    }
  if (tsy_payment_batch_submit_finish (TSY_STORE (source), result, &submitted, &error))
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u payment of the batch submitted for approval.",
                                         "%u payments of the batch submitted for approval.",
                                         submitted), submitted);
  finish (self, text, error);
}

static void
on_submit_clicked_cb (TsyPaymentBatchBar *self)
{
  tsy_payment_batch_bar_submit (self);
}

/* Approve ----------------------------------------------------------------------------------- */

static void
on_signed_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TsyPaymentBatchBar) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint approved = 0;
  guint n = self->signing;

  if (g_cancellable_is_cancelled (self->cancellable))
    {
      self->pending--;
      return;
    }
  if (tsy_payment_sign_approve_finish (TSY_STORE (source), result, &approved, &error))
    /* Translators: %1$u payments signed, %2$u of them now have every approval they need */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Signed %1$u payment; %2$u now fully approved.",
                                         "Signed %1$u payments; %2$u now fully approved.", n),
                            n, approved);
  finish (self, text, error);
}

static void
approve_ids (TsyPaymentBatchBar *self,
             GArray             *ids,
             const char         *passphrase)
{
  if (self->store == NULL || self->user == NULL || ids->len == 0)
    return;
  self->signing = ids->len;
  self->pending++;
  update (self);
  /* The passphrase is copied by the signer, used once for all of them and wiped. */
  tsy_payment_sign_approve_async (self->store, (const gint64 *) ids->data, ids->len, self->user,
                                  passphrase, self->cancellable, on_signed_cb, g_object_ref (self));
}

static void
on_sign_confirmed (gpointer    owner,
                   const char *passphrase,
                   gpointer    data)
{
  approve_ids (TSY_PAYMENT_BATCH_BAR (owner), data, passphrase);
}

static void
on_approve_clicked_cb (TsyPaymentBatchBar *self)
{
  g_autoptr(GPtrArray) submitted = infos_in (self, TSY_PAYMENT_SUBMITTED);
  g_autofree char *text = tsy_payment_batch_bar_get_signing_text (self);
  GtkWidget *scrolled;

  if (text == NULL || self->user == NULL)
    return;
  scrolled = tsy_sign_dialog_text (text, 320);
  /* Exactly the payments listed in the dialog are signed, whatever is reloaded meanwhile. */
  tsy_sign_dialog_present (GTK_WIDGET (self), _("Approve and Sign the Batch?"),
                           _("Enter your passphrase once: it unlocks your key for these signatures only and is not kept."),
                           scrolled, _("_Approve All"), on_sign_confirmed,
                           ids_of (submitted), (GDestroyNotify) g_array_unref);
}

/* GObject ----------------------------------------------------------------------------------- */

static void
tsy_payment_batch_bar_dispose (GObject *object)
{
  TsyPaymentBatchBar *self = TSY_PAYMENT_BATCH_BAR (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TSY_TYPE_PAYMENT_BATCH_BAR);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL; )
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_object (&self->payments);
  g_clear_pointer (&self->batch_ids, g_array_unref);
  G_OBJECT_CLASS (tsy_payment_batch_bar_parent_class)->dispose (object);
}

static void
tsy_payment_batch_bar_finalize (GObject *object)
{
  TsyPaymentBatchBar *self = TSY_PAYMENT_BATCH_BAR (object);

  g_clear_object (&self->cancellable);
  g_free (self->user);
  G_OBJECT_CLASS (tsy_payment_batch_bar_parent_class)->finalize (object);
}

static void
tsy_payment_batch_bar_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  TsyPaymentBatchBar *self = TSY_PAYMENT_BATCH_BAR (object);

  switch (prop_id)
    {
    case PROP_BATCH_ID:
      g_value_set_int64 (value, self->batch_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsy_payment_batch_bar_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  TsyPaymentBatchBar *self = TSY_PAYMENT_BATCH_BAR (object);

  switch (prop_id)
    {
    case PROP_BATCH_ID:
      tsy_payment_batch_bar_set_batch_id (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsy_payment_batch_bar_class_init (TsyPaymentBatchBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsy_payment_batch_bar_dispose;
  object_class->finalize = tsy_payment_batch_bar_finalize;
  object_class->get_property = tsy_payment_batch_bar_get_property;
  object_class->set_property = tsy_payment_batch_bar_set_property;

  /* The batch shown (the owner lists only its payments); 0 = every payment. */
  properties[PROP_BATCH_ID] =
    g_param_spec_int64 ("batch-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TsyPaymentBatchBar::message:
   * @text: what was done (translated)
   */
  signals[SIGNAL_MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * TsyPaymentBatchBar::failed:
   * @error: why the ledger refused
   */
  signals[SIGNAL_FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/treasurydesk/TreasuryDesk/tsy-payment-batch-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentBatchBar, batch_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentBatchBar, batch_list);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentBatchBar, summary_label);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentBatchBar, submit_button);
  gtk_widget_class_bind_template_child (widget_class, TsyPaymentBatchBar, approve_button);
  gtk_widget_class_bind_template_callback (widget_class, on_batch_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_submit_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_approve_clicked_cb);
}

static void
tsy_payment_batch_bar_init (TsyPaymentBatchBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  gint64 all = 0;

  self->rows = g_ptr_array_new_with_free_func (g_object_unref);
  self->batch_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_array_append_val (self->batch_ids, all);
  gtk_string_list_append (self->batch_list, C_("batch filter", "All batches"));
  update (self);
}

GtkWidget *
tsy_payment_batch_bar_new (void)
{
  return g_object_new (TSY_TYPE_PAYMENT_BATCH_BAR, NULL);
}

void
tsy_payment_batch_bar_set_store (TsyPaymentBatchBar *self,
                                 TsyStore           *store)
{
  g_return_if_fail (TSY_IS_PAYMENT_BATCH_BAR (self));

  g_set_object (&self->store, store);
}

void
tsy_payment_batch_bar_set_user (TsyPaymentBatchBar *self,
                                const char         *user)
{
  g_return_if_fail (TSY_IS_PAYMENT_BATCH_BAR (self));

  g_free (self->user);
  self->user = g_strdup (user);
  update (self);
}

void
tsy_payment_batch_bar_update (TsyPaymentBatchBar *self,
                              GListModel         *payments)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  guint n;
  guint selected = 0;
  gint64 all = 0;

  g_return_if_fail (TSY_IS_PAYMENT_BATCH_BAR (self));
  g_return_if_fail (G_IS_LIST_MODEL (payments));

  g_set_object (&self->payments, payments);
  n = g_list_model_get_n_items (payments);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TsyPaymentRow) row = g_list_model_get_item (payments, i);
      const TsyPaymentInfo *info = tsy_payment_row_get_info (row);

      if (info->batch_id > 0 && !g_hash_table_contains (seen, &info->batch_id))
        {
          g_array_append_val (ids, info->batch_id);
          g_hash_table_add (seen, (gpointer) &info->batch_id);
        }
    }
  g_array_sort (ids, compare_ids_descending);
  g_array_prepend_val (ids, all);
  g_ptr_array_add (titles, g_strdup (C_("batch filter", "All batches")));
  for (guint i = 1; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      g_autoptr(GPtrArray) rows = rows_of_batch (payments, id);

      g_ptr_array_add (titles, batch_title (id, rows));
      if (id == self->batch_id)
        selected = i;
    }
  g_ptr_array_add (titles, NULL);
  self->filling = TRUE;
  gtk_string_list_splice (self->batch_list, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->batch_list)),
                          (const char * const *) titles->pdata);
  gtk_drop_down_set_selected (self->batch_dropdown, selected);
  self->filling = FALSE;
  g_array_unref (self->batch_ids);
  self->batch_ids = g_steal_pointer (&ids);
  set_rows (self, g_array_index (self->batch_ids, gint64, selected));
  set_batch_id (self, g_array_index (self->batch_ids, gint64, selected));
  update (self);
}

gint64
tsy_payment_batch_bar_get_batch_id (TsyPaymentBatchBar *self)
{
  g_return_val_if_fail (TSY_IS_PAYMENT_BATCH_BAR (self), 0);

  return self->batch_id;
}

void
tsy_payment_batch_bar_set_batch_id (TsyPaymentBatchBar *self,
                                    gint64              batch_id)
{
  g_return_if_fail (TSY_IS_PAYMENT_BATCH_BAR (self));

  for (guint i = 0; i < self->batch_ids->len; i++)
    if (g_array_index (self->batch_ids, gint64, i) == batch_id)
      {
        gtk_drop_down_set_selected (self->batch_dropdown, i);
        return;
      }
  /* Not listed yet (just imported): shown once the next update lists it. */
  g_ptr_array_set_size (self->rows, 0);
  set_batch_id (self, batch_id);
  update (self);
}

const char *
tsy_payment_batch_bar_get_title (TsyPaymentBatchBar *self)
{
  g_return_val_if_fail (TSY_IS_PAYMENT_BATCH_BAR (self), NULL);

  return gtk_string_list_get_string (self->batch_list,
                                     gtk_drop_down_get_selected (self->batch_dropdown));
}

const char *
tsy_payment_batch_bar_get_summary (TsyPaymentBatchBar *self)
{
  g_return_val_if_fail (TSY_IS_PAYMENT_BATCH_BAR (self), NULL);

  return gtk_label_get_text (self->summary_label);
}

char *
tsy_payment_batch_bar_get_signing_text (TsyPaymentBatchBar *self)
{
  g_autoptr(GPtrArray) submitted = NULL;

  g_return_val_if_fail (TSY_IS_PAYMENT_BATCH_BAR (self), NULL);

  submitted = infos_in (self, TSY_PAYMENT_SUBMITTED);
  if (submitted->len == 0 || self->user == NULL)
    return NULL;
  return tsy_payment_batch_signing_text (self->batch_id, submitted, self->user);
}

void
tsy_payment_batch_bar_submit (TsyPaymentBatchBar *self)
{
  g_autoptr(GPtrArray) drafts = NULL;
  g_autoptr(GArray) ids = NULL;

  g_return_if_fail (TSY_IS_PAYMENT_BATCH_BAR (self));

  drafts = infos_in (self, TSY_PAYMENT_DRAFT);
  if (self->store == NULL || self->user == NULL || drafts->len == 0)
    return;
  ids = ids_of (drafts);
  self->pending++;
  update (self);
  tsy_payment_batch_submit_async (self->store, (const gint64 *) ids->data, ids->len, self->user,
                                  self->cancellable, on_submitted_cb, g_object_ref (self));
}

void
tsy_payment_batch_bar_approve (TsyPaymentBatchBar *self,
                               const char         *passphrase)
{
  g_autoptr(GPtrArray) submitted = NULL;
  g_autoptr(GArray) ids = NULL;

  g_return_if_fail (TSY_IS_PAYMENT_BATCH_BAR (self));
  g_return_if_fail (passphrase != NULL);

  submitted = infos_in (self, TSY_PAYMENT_SUBMITTED);
  ids = ids_of (submitted);
  approve_ids (self, ids, passphrase);
}

guint
tsy_payment_batch_bar_get_pending (TsyPaymentBatchBar *self)
{
  g_return_val_if_fail (TSY_IS_PAYMENT_BATCH_BAR (self), 0);

  return self->pending;
}
