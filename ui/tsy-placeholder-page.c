/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "tsy-placeholder-page.h"

struct _TsyPlaceholderPage
{
  GtkWidget      parent_instance;

  AdwStatusPage *status_page;
};

G_DEFINE_FINAL_TYPE (TsyPlaceholderPage, tsy_placeholder_page, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_ICON_NAME,
  PROP_TITLE,
  PROP_DESCRIPTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The status page's own properties of the same names. */
static const char * const forwarded[N_PROPS] = {
  [PROP_ICON_NAME] = "icon-name",
  [PROP_TITLE] = "title",
  [PROP_DESCRIPTION] = "description",
};

static void
on_status_page_notify_cb (TsyPlaceholderPage *self,
                          GParamSpec         *pspec)
{
  for (guint i = PROP_ICON_NAME; i < N_PROPS; i++)
    if (g_strcmp0 (pspec->name, forwarded[i]) == 0)
      g_object_notify_by_pspec (G_OBJECT (self), properties[i]);
}

static void
tsy_placeholder_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TSY_TYPE_PLACEHOLDER_PAGE);

  G_OBJECT_CLASS (tsy_placeholder_page_parent_class)->dispose (object);
}

static void
tsy_placeholder_page_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  TsyPlaceholderPage *self = TSY_PLACEHOLDER_PAGE (object);

  if (prop_id > PROP_0 && prop_id < N_PROPS)
    g_object_get_property (G_OBJECT (self->status_page), forwarded[prop_id], value);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
tsy_placeholder_page_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  TsyPlaceholderPage *self = TSY_PLACEHOLDER_PAGE (object);

  /* The status page notifies only on change; we forward its notifications. */
  if (prop_id > PROP_0 && prop_id < N_PROPS)
    g_object_set_property (G_OBJECT (self->status_page), forwarded[prop_id], value);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
tsy_placeholder_page_class_init (TsyPlaceholderPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsy_placeholder_page_dispose;
  object_class->get_property = tsy_placeholder_page_get_property;
  object_class->set_property = tsy_placeholder_page_set_property;

  properties[PROP_ICON_NAME] =
    g_param_spec_string ("icon-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/treasurydesk/TreasuryDesk/tsy-placeholder-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TsyPlaceholderPage, status_page);
}

static void
tsy_placeholder_page_init (TsyPlaceholderPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (self->status_page, "notify", G_CALLBACK (on_status_page_notify_cb),
                           self, G_CONNECT_SWAPPED);
}
