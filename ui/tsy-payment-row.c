/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "tsy-payment-row.h"

#include <glib/gi18n-lib.h>

#include "tsy-money-format.h"

struct _TsyPaymentRow
{
  GObject         parent_instance;
  TsyPaymentInfo *info;
};

enum
{
  PROP_0,
  PROP_ID,
  PROP_BATCH,
  PROP_STATUS,
  PROP_DEBTOR,
  PROP_CREDITOR,
  PROP_AMOUNT_MINOR,
  PROP_CURRENCY,
  PROP_DATE,
  PROP_APPROVALS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TsyPaymentRow, tsy_payment_row, G_TYPE_OBJECT)

typedef enum
{
  COL_ID,
  COL_BATCH,
  COL_STATUS,
  COL_DEBTOR,
  COL_CREDITOR,
  COL_AMOUNT,
  COL_CURRENCY,
  COL_DATE,
  COL_APPROVALS,
} Column;


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
    case PROP_ID:
      g_value_set_int64 (value, self->info->id);
      break;
    case PROP_BATCH:
      g_value_set_int64 (value, self->info->batch_id);
      break;
    case PROP_STATUS:
      g_value_set_string (value, tsy_payment_status_label (self->info->status));
      break;
    case PROP_DEBTOR:
      g_value_set_string (value, self->info->debtor_account);
      break;
    case PROP_CREDITOR:
      g_value_set_string (value, self->info->creditor_name);
      break;
    case PROP_AMOUNT_MINOR:
      g_value_set_int64 (value, self->info->amount_minor);
      break;
    case PROP_CURRENCY:
      g_value_set_string (value, self->info->currency);
      break;
    case PROP_DATE:
      tsy_date_format_iso (self->info->execution_date, buf);
      g_value_set_string (value, buf);
      break;
    case PROP_APPROVALS:
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
  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_BATCH] = g_param_spec_int64 ("batch", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, NULL, flags);
  properties[PROP_DEBTOR] = g_param_spec_string ("debtor", NULL, NULL, NULL, flags);
  properties[PROP_CREDITOR] = g_param_spec_string ("creditor", NULL, NULL, NULL, flags);
  properties[PROP_AMOUNT_MINOR] =
    g_param_spec_int64 ("amount-minor", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_CURRENCY] = g_param_spec_string ("currency", NULL, NULL, NULL, flags);
  properties[PROP_DATE] = g_param_spec_string ("date", NULL, NULL, NULL, flags);
  properties[PROP_APPROVALS] = g_param_spec_uint ("approvals", NULL, NULL, 0, G_MAXUINT, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tsy_payment_row_init (TsyPaymentRow *self)
{
}

TsyPaymentRow *
tsy_payment_row_new (TsyPaymentInfo *info)
{
  TsyPaymentRow *self;

  g_return_val_if_fail (info != NULL, NULL);

  self = g_object_new (TSY_TYPE_PAYMENT_ROW, NULL);
  self->info = info;
  return self;
}

const TsyPaymentInfo *
tsy_payment_row_get_info (TsyPaymentRow *self)
{
  g_return_val_if_fail (TSY_IS_PAYMENT_ROW (self), NULL);

  return self->info;
}

const char *
tsy_payment_status_label (TsyPaymentStatus status)
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

/* Columns ---------------------------------------------------------------------------------- */

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
  if (column == COL_AMOUNT || column == COL_ID || column == COL_BATCH || column == COL_APPROVALS)
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
    case COL_BATCH:
      text = info->batch_id > 0 ? g_strdup_printf ("%lld", (long long) info->batch_id) : g_strdup ("—");
      break;
    case COL_STATUS:
      text = g_strdup (tsy_payment_status_label (info->status));
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
add_column (GtkColumnView   *view,
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
  gtk_column_view_append_column (view, col);
  if (column == COL_ID)
    gtk_column_view_sort_by_column (view, col, GTK_SORT_DESCENDING);
  g_object_unref (sorter);
  g_object_unref (col);
}

void
tsy_payment_row_add_columns (GtkColumnView *view)
{
  g_return_if_fail (GTK_IS_COLUMN_VIEW (view));

  add_column (view, COL_ID, C_("column", "No."), "id", TRUE, FALSE, 44);
  add_column (view, COL_BATCH, C_("column", "Batch"), "batch", TRUE, FALSE, 52);
  add_column (view, COL_STATUS, C_("column", "Status"), "status", FALSE, FALSE, 88);
  add_column (view, COL_DEBTOR, C_("column", "From Account"), "debtor", FALSE, FALSE, 150);
  add_column (view, COL_CREDITOR, C_("column", "Creditor"), "creditor", FALSE, TRUE, 160);
  add_column (view, COL_AMOUNT, C_("column", "Amount"), "amount-minor", TRUE, FALSE, 124);
  add_column (view, COL_CURRENCY, C_("column", "Currency"), "currency", FALSE, FALSE, 48);
  add_column (view, COL_DATE, C_("column", "Date"), "date", FALSE, FALSE, 92);
  add_column (view, COL_APPROVALS, C_("column", "Approvals"), "approvals", TRUE, FALSE, 56);
}
