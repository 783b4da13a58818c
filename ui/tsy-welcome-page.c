/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>

#include "tsy-welcome-page.h"

struct _TsyWelcomePage
{
  GtkWidget      parent_instance;

  AdwStatusPage *status_page;
  GtkStack      *stack;
  GtkSpinner    *spinner;
  GtkLabel      *busy_label;

  char          *path;
  gboolean       busy;
  gboolean       can_create;
};

G_DEFINE_FINAL_TYPE (TsyWelcomePage, tsy_welcome_page, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_PATH,
  PROP_BUSY,
  PROP_CAN_CREATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_description (TsyWelcomePage *self)
{
  g_autofree char *escaped = NULL;
  g_autofree char *text = NULL;

  if (self->path == NULL)
    {
      adw_status_page_set_description (self->status_page, NULL);
      return;
    }
  escaped = g_markup_escape_text (self->path, -1);
  if (self->can_create)
    /* Translators: %s is the path of a database file; this is Pango markup. */
    text = g_strdup_printf (_("There is no database at <b>%s</b> yet.\n"
                              "Load a demo group to explore, start an empty database there, "
                              "or open an existing one."),
                            escaped);
  else
    /* Translators: %s is the path of a file; this is Pango markup. */
    text = g_strdup_printf (_("The file <b>%s</b> cannot be opened as a database.\n"
                              "Open another one, or load the demo into a new database "
                              "from the main menu."),
                            escaped);
  adw_status_page_set_description (self->status_page, text);
}

static void
tsy_welcome_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TSY_TYPE_WELCOME_PAGE);

  G_OBJECT_CLASS (tsy_welcome_page_parent_class)->dispose (object);
}

static void
tsy_welcome_page_finalize (GObject *object)
{
  TsyWelcomePage *self = TSY_WELCOME_PAGE (object);

  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (tsy_welcome_page_parent_class)->finalize (object);
}

static void
tsy_welcome_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TsyWelcomePage *self = TSY_WELCOME_PAGE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_CAN_CREATE:
      g_value_set_boolean (value, self->can_create);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsy_welcome_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  TsyWelcomePage *self = TSY_WELCOME_PAGE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      tsy_welcome_page_set_path (self, g_value_get_string (value));
      break;
    case PROP_BUSY:
      tsy_welcome_page_set_busy (self, g_value_get_boolean (value), NULL);
      break;
    case PROP_CAN_CREATE:
      tsy_welcome_page_set_can_create (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsy_welcome_page_class_init (TsyWelcomePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsy_welcome_page_dispose;
  object_class->finalize = tsy_welcome_page_finalize;
  object_class->get_property = tsy_welcome_page_get_property;
  object_class->set_property = tsy_welcome_page_set_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_CREATE] =
    g_param_spec_boolean ("can-create", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/treasurydesk/TreasuryDesk/tsy-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TsyWelcomePage, status_page);
  gtk_widget_class_bind_template_child (widget_class, TsyWelcomePage, stack);
  gtk_widget_class_bind_template_child (widget_class, TsyWelcomePage, spinner);
  gtk_widget_class_bind_template_child (widget_class, TsyWelcomePage, busy_label);
}

static void
tsy_welcome_page_init (TsyWelcomePage *self)
{
  self->can_create = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
}

const char *
tsy_welcome_page_get_path (TsyWelcomePage *self)
{
  g_return_val_if_fail (TSY_IS_WELCOME_PAGE (self), NULL);

  return self->path;
}

void
tsy_welcome_page_set_path (TsyWelcomePage *self,
                           const char     *path)
{
  g_return_if_fail (TSY_IS_WELCOME_PAGE (self));

  if (g_strcmp0 (self->path, path) == 0)
    return;
  g_free (self->path);
  self->path = g_strdup (path);
  update_description (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PATH]);
}

gboolean
tsy_welcome_page_get_can_create (TsyWelcomePage *self)
{
  g_return_val_if_fail (TSY_IS_WELCOME_PAGE (self), FALSE);

  return self->can_create;
}

void
tsy_welcome_page_set_can_create (TsyWelcomePage *self,
                                 gboolean        can_create)
{
  g_return_if_fail (TSY_IS_WELCOME_PAGE (self));

  can_create = !!can_create;
  if (self->can_create == can_create)
    return;
  self->can_create = can_create;
  update_description (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_CREATE]);
}

gboolean
tsy_welcome_page_get_busy (TsyWelcomePage *self)
{
  g_return_val_if_fail (TSY_IS_WELCOME_PAGE (self), FALSE);

  return self->busy;
}

/**
 * tsy_welcome_page_set_busy:
 * @busy_text: (nullable): what is going on ("Loading the demo…")
 */
void
tsy_welcome_page_set_busy (TsyWelcomePage *self,
                           gboolean        busy,
                           const char     *busy_text)
{
  g_return_if_fail (TSY_IS_WELCOME_PAGE (self));

  busy = !!busy;
  if (busy_text != NULL)
    gtk_label_set_text (self->busy_label, busy_text);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_stack_set_visible_child_name (self->stack, busy ? "busy" : "choices");
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}
