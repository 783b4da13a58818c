/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "tsy-amount-label.h"
#include "tsy-line-detail.h"

struct _TsyLineDetail
{
  GtkWidget    parent_instance;

  /* template */
  GtkTextView *raw_view;

  TsyLineItem *item;
};

G_DEFINE_FINAL_TYPE (TsyLineDetail, tsy_line_detail, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_ITEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Closures of tsy-line-detail.ui ------------------------------------------ */

static gboolean
field_present (gpointer    instance,
               const char *value)
{
  return value != NULL && value[0] != '\0';
}

/* A GtkTextBuffer refuses NULL text. */
static char *
field_or_empty (gpointer    instance,
                const char *value)
{
  return g_strdup (value != NULL ? value : "");
}

/* Who the money came from or went to; the bank's text when it names nobody. */
static char *
headline (gpointer    instance,
          const char *counterparty,
          const char *text)
{
  if (field_present (instance, counterparty))
    return g_strdup (counterparty);
  return g_strdup (text);
}

/* GObject ------------------------------------------------------------------ */

static void
tsy_line_detail_dispose (GObject *object)
{
  TsyLineDetail *self = TSY_LINE_DETAIL (object);

  gtk_widget_dispose_template (GTK_WIDGET (object), TSY_TYPE_LINE_DETAIL);
  /* The scrolled window is not a bound template child. */
  {
    GtkWidget *child;
    while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
      gtk_widget_unparent (child);
  }
  g_clear_object (&self->item);

  G_OBJECT_CLASS (tsy_line_detail_parent_class)->dispose (object);
}

static void
tsy_line_detail_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TsyLineDetail *self = TSY_LINE_DETAIL (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsy_line_detail_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TsyLineDetail *self = TSY_LINE_DETAIL (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      tsy_line_detail_set_item (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsy_line_detail_class_init (TsyLineDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsy_line_detail_dispose;
  object_class->get_property = tsy_line_detail_get_property;
  object_class->set_property = tsy_line_detail_set_property;

  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, TSY_TYPE_LINE_ITEM,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TSY_TYPE_AMOUNT_LABEL);
  g_type_ensure (TSY_TYPE_LINE_ITEM);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/treasurydesk/TreasuryDesk/tsy-line-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, TsyLineDetail, raw_view);
  gtk_widget_class_bind_template_callback (widget_class, field_present);
  gtk_widget_class_bind_template_callback (widget_class, field_or_empty);
  gtk_widget_class_bind_template_callback (widget_class, headline);
}

static void
tsy_line_detail_init (TsyLineDetail *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public API --------------------------------------------------------------- */

GtkWidget *
tsy_line_detail_new (void)
{
  return g_object_new (TSY_TYPE_LINE_DETAIL, NULL);
}

TsyLineItem *
tsy_line_detail_get_item (TsyLineDetail *self)
{
  g_return_val_if_fail (TSY_IS_LINE_DETAIL (self), NULL);

  return self->item;
}

void
tsy_line_detail_set_item (TsyLineDetail *self,
                          TsyLineItem   *item)
{
  g_return_if_fail (TSY_IS_LINE_DETAIL (self));
  g_return_if_fail (item == NULL || TSY_IS_LINE_ITEM (item));

  if (g_set_object (&self->item, item))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}

char *
tsy_line_detail_dup_raw_text (TsyLineDetail *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (TSY_IS_LINE_DETAIL (self), NULL);

  buffer = gtk_text_view_get_buffer (self->raw_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}
