/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>

#include "tsy-amount-label.h"
#include "tsy-money-format.h"

struct _TsyAmountLabel
{
  GtkWidget  parent_instance;

  GtkLabel  *label;

  gint64     minor;
  char      *currency;
  gboolean   has_amount;
  gboolean   show_code;
  char      *missing_tooltip;
};

G_DEFINE_FINAL_TYPE (TsyAmountLabel, tsy_amount_label, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_MINOR,
  PROP_CURRENCY,
  PROP_HAS_AMOUNT,
  PROP_SHOW_CODE,
  PROP_MISSING_TOOLTIP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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
update_text (TsyAmountLabel *self)
{
  GtkWidget *label = GTK_WIDGET (self->label);
  gboolean shown = self->has_amount && self->currency != NULL && self->currency[0] != '\0';

  if (shown)
    {
      g_autofree char *text =
        tsy_money_format (self->minor, self->currency,
                          self->show_code ? TSY_MONEY_FORMAT_CODE : TSY_MONEY_FORMAT_DEFAULT);
      gtk_label_set_text (self->label, text);
      gtk_widget_set_tooltip_text (label, NULL);
    }
  else
    {
      /* An em dash: "no amount" must not read as zero. */
      gtk_label_set_text (self->label, self->missing_tooltip != NULL ? "\xe2\x80\x94" : "");
      gtk_widget_set_tooltip_text (label, self->missing_tooltip);
    }

  if (shown && self->minor < 0)
    gtk_widget_add_css_class (label, "negative");
  else
    gtk_widget_remove_css_class (label, "negative");
  if (!shown)
    gtk_widget_add_css_class (label, "missing");
  else
    gtk_widget_remove_css_class (label, "missing");
}

static void
tsy_amount_label_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TSY_TYPE_AMOUNT_LABEL);

  G_OBJECT_CLASS (tsy_amount_label_parent_class)->dispose (object);
}

static void
tsy_amount_label_finalize (GObject *object)
{
  TsyAmountLabel *self = TSY_AMOUNT_LABEL (object);

  g_clear_pointer (&self->currency, g_free);
  g_clear_pointer (&self->missing_tooltip, g_free);

  G_OBJECT_CLASS (tsy_amount_label_parent_class)->finalize (object);
}

static void
tsy_amount_label_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TsyAmountLabel *self = TSY_AMOUNT_LABEL (object);

  switch (prop_id)
    {
    case PROP_MINOR:
      g_value_set_int64 (value, self->minor);
      break;
    case PROP_CURRENCY:
      g_value_set_string (value, self->currency);
      break;
    case PROP_HAS_AMOUNT:
      g_value_set_boolean (value, self->has_amount);
      break;
    case PROP_SHOW_CODE:
      g_value_set_boolean (value, self->show_code);
      break;
    case PROP_MISSING_TOOLTIP:
      g_value_set_string (value, self->missing_tooltip);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsy_amount_label_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  TsyAmountLabel *self = TSY_AMOUNT_LABEL (object);

  switch (prop_id)
    {
    case PROP_MINOR:
      tsy_amount_label_set_minor (self, g_value_get_int64 (value));
      break;
    case PROP_CURRENCY:
      tsy_amount_label_set_currency (self, g_value_get_string (value));
      break;
    case PROP_HAS_AMOUNT:
      tsy_amount_label_set_has_amount (self, g_value_get_boolean (value));
      break;
    case PROP_SHOW_CODE:
      if (self->show_code != g_value_get_boolean (value))
        {
          self->show_code = g_value_get_boolean (value);
          update_text (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_MISSING_TOOLTIP:
      tsy_amount_label_set_missing_tooltip (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsy_amount_label_class_init (TsyAmountLabelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsy_amount_label_dispose;
  object_class->finalize = tsy_amount_label_finalize;
  object_class->get_property = tsy_amount_label_get_property;
  object_class->set_property = tsy_amount_label_set_property;

  properties[PROP_MINOR] =
    g_param_spec_int64 ("minor", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CURRENCY] =
    g_param_spec_string ("currency", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HAS_AMOUNT] =
    g_param_spec_boolean ("has-amount", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_CODE] =
    g_param_spec_boolean ("show-code", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MISSING_TOOLTIP] =
    g_param_spec_string ("missing-tooltip", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/treasurydesk/TreasuryDesk/tsy-amount-label.ui");
  gtk_widget_class_bind_template_child (widget_class, TsyAmountLabel, label);
}

static void
tsy_amount_label_init (TsyAmountLabel *self)
{
  self->has_amount = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  update_text (self);
}

GtkWidget *
tsy_amount_label_new (void)
{
  return g_object_new (TSY_TYPE_AMOUNT_LABEL, NULL);
}

void
tsy_amount_label_set_amount (TsyAmountLabel *self,
                             gint64          minor,
                             const char     *currency)
{
  g_return_if_fail (TSY_IS_AMOUNT_LABEL (self));

  g_object_freeze_notify (G_OBJECT (self));
  tsy_amount_label_set_currency (self, currency);
  tsy_amount_label_set_minor (self, minor);
  tsy_amount_label_set_has_amount (self, TRUE);
  g_object_thaw_notify (G_OBJECT (self));
}

void
tsy_amount_label_clear (TsyAmountLabel *self)
{
  g_return_if_fail (TSY_IS_AMOUNT_LABEL (self));

  tsy_amount_label_set_has_amount (self, FALSE);
}

gint64
tsy_amount_label_get_minor (TsyAmountLabel *self)
{
  g_return_val_if_fail (TSY_IS_AMOUNT_LABEL (self), 0);

  return self->minor;
}

void
tsy_amount_label_set_minor (TsyAmountLabel *self,
                            gint64          minor)
{
  g_return_if_fail (TSY_IS_AMOUNT_LABEL (self));

  if (self->minor == minor)
    return;
  self->minor = minor;
  update_text (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MINOR]);
}

const char *
tsy_amount_label_get_currency (TsyAmountLabel *self)
{
  g_return_val_if_fail (TSY_IS_AMOUNT_LABEL (self), NULL);

  return self->currency;
}

void
tsy_amount_label_set_currency (TsyAmountLabel *self,
                               const char     *currency)
{
  g_return_if_fail (TSY_IS_AMOUNT_LABEL (self));

  if (!replace_string (&self->currency, currency))
    return;
  update_text (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENCY]);
}

gboolean
tsy_amount_label_get_has_amount (TsyAmountLabel *self)
{
  g_return_val_if_fail (TSY_IS_AMOUNT_LABEL (self), FALSE);

  return self->has_amount;
}

void
tsy_amount_label_set_has_amount (TsyAmountLabel *self,
                                 gboolean        has_amount)
{
  g_return_if_fail (TSY_IS_AMOUNT_LABEL (self));

  has_amount = !!has_amount;
  if (self->has_amount == has_amount)
    return;
  self->has_amount = has_amount;
  update_text (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_AMOUNT]);
}

void
tsy_amount_label_set_missing_tooltip (TsyAmountLabel *self,
                                      const char     *tooltip)
{
  g_return_if_fail (TSY_IS_AMOUNT_LABEL (self));

  if (!replace_string (&self->missing_tooltip, tooltip))
    return;
  update_text (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MISSING_TOOLTIP]);
}

const char *
tsy_amount_label_get_text (TsyAmountLabel *self)
{
  g_return_val_if_fail (TSY_IS_AMOUNT_LABEL (self), NULL);

  return gtk_label_get_text (self->label);
}
