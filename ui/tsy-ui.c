/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "tsy-accounts-page.h"
#include "tsy-amount-label.h"
#include "tsy-placeholder-page.h"
#include "tsy-ui.h"
#include "tsy-ui-resources.h"
#include "tsy-welcome-page.h"

void
tsy_ui_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      tsy_ui_register_resource ();
      g_type_ensure (TSY_TYPE_ACCOUNTS_PAGE);
      g_type_ensure (TSY_TYPE_AMOUNT_LABEL);
      g_type_ensure (TSY_TYPE_PLACEHOLDER_PAGE);
      g_type_ensure (TSY_TYPE_WELCOME_PAGE);
      g_type_ensure (TSY_TYPE_ROLLUP_NODE);
      g_once_init_leave (&initialized, 1);
    }
}

GSettings *
tsy_ui_settings_new (void)
{
  static GSettingsSchemaSource *uninstalled_source = NULL;
  static gsize looked_up = 0;
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, TSY_UI_APP_ID, TRUE);

#ifdef TSY_UNINSTALLED_SCHEMA_DIR
  if (schema == NULL)
    {
      if (g_once_init_enter (&looked_up))
        {
          /* Running from the build tree without `meson devenv`. */
          uninstalled_source =
            g_settings_schema_source_new_from_directory (TSY_UNINSTALLED_SCHEMA_DIR, source,
                                                         FALSE, NULL);
          g_once_init_leave (&looked_up, 1);
        }
      if (uninstalled_source != NULL)
        schema = g_settings_schema_source_lookup (uninstalled_source, TSY_UI_APP_ID, TRUE);
    }
#else
  (void) uninstalled_source;
  (void) looked_up;
#endif

  if (schema == NULL)
    {
      static gboolean warned = FALSE;
      if (!warned)
        g_message ("GSettings schema %s is not installed; preferences will not be kept",
                   TSY_UI_APP_ID);
      warned = TRUE;
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}

void
tsy_ui_toast (GtkWidget  *widget,
              const char *text)
{
  GtkWidget *overlay;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (text != NULL);

  overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  if (overlay == NULL)
    {
      g_message ("%s", text);
      return;
    }
  {
    /* a toast's title is Pango markup in libadwaita 1.2: "&" or "<" in a message must not break it */
    g_autofree char *escaped = g_markup_escape_text (text, -1);
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (escaped));
  }
}

void
tsy_ui_toast_error (GtkWidget    *widget,
                    const GError *error)
{
  g_autoptr(AdwToast) toast = NULL;
  GtkWidget *overlay;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (error != NULL);

  g_debug ("error shown: %s (%s %d)", error->message,
           g_quark_to_string (error->domain), error->code);
  overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  if (overlay == NULL)
    {
      g_message ("%s", error->message);
      return;
    }
  {
    g_autofree char *escaped = g_markup_escape_text (error->message, -1);
    toast = adw_toast_new (escaped);
  }
  /* Errors stay until dismissed: they may need reading twice. */
  adw_toast_set_timeout (toast, 0);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), g_steal_pointer (&toast));
}

/* Drop-downs of long strings -------------------------------------------------------------------- */

static void
on_drop_down_setup_cb (GtkSignalListItemFactory *factory,
                       GtkListItem              *item,
                       gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);
  int width_chars = GPOINTER_TO_INT (user_data);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (width_chars > 0)
    {
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_width_chars (GTK_LABEL (label), width_chars);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 3 * width_chars);
    }
  gtk_list_item_set_child (item, label);
}

static void
on_drop_down_bind_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      gpointer                  user_data)
{
  GtkWidget *label = gtk_list_item_get_child (item);
  GObject *object = gtk_list_item_get_item (item);
  const char *text = GTK_IS_STRING_OBJECT (object) ? gtk_string_object_get_string (GTK_STRING_OBJECT (object)) : "";

  gtk_label_set_text (GTK_LABEL (label), text);
  if (GPOINTER_TO_INT (user_data) > 0)
    gtk_widget_set_tooltip_text (label, text);
}

static GtkListItemFactory *
drop_down_factory (int width_chars)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (on_drop_down_setup_cb), GINT_TO_POINTER (width_chars));
  g_signal_connect (factory, "bind", G_CALLBACK (on_drop_down_bind_cb), GINT_TO_POINTER (width_chars));
  return factory;
}

void
tsy_ui_drop_down_ellipsize (GtkDropDown *drop_down,
                            int          width_chars)
{
  g_autoptr(GtkListItemFactory) button = drop_down_factory (width_chars);
  g_autoptr(GtkListItemFactory) list = drop_down_factory (0);

  g_return_if_fail (GTK_IS_DROP_DOWN (drop_down));
  g_return_if_fail (width_chars > 0);

  gtk_drop_down_set_factory (drop_down, button);
  gtk_drop_down_set_list_factory (drop_down, list);
}
