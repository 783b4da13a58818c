/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>

#include "tsy-preferences-window.h"
#include "tsy-ui.h"

struct _TsyPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  AdwComboRow         *currency_row;
  GtkStringList       *currency_list;
  AdwComboRow         *grouping_row;

  GSettings           *settings;
  gboolean             syncing;
};

G_DEFINE_FINAL_TYPE (TsyPreferencesWindow, tsy_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* The order of the grouping row's items. */
static const char * const groupings[] = { "org", "bank" };

static void
sync_from_settings (TsyPreferencesWindow *self)
{
  g_autofree char *currency = NULL;
  g_autofree char *grouping = NULL;
  guint n;

  if (self->settings == NULL)
    return;

  self->syncing = TRUE;
  currency = g_settings_get_string (self->settings, "reporting-currency");
  n = g_list_model_get_n_items (G_LIST_MODEL (self->currency_list));
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (gtk_string_list_get_string (self->currency_list, i), currency) == 0)
      adw_combo_row_set_selected (self->currency_row, i);

  grouping = g_settings_get_string (self->settings, "accounts-grouping");
  for (guint i = 0; i < G_N_ELEMENTS (groupings); i++)
    if (g_strcmp0 (groupings[i], grouping) == 0)
      adw_combo_row_set_selected (self->grouping_row, i);
  self->syncing = FALSE;
}

static void
on_currency_row_selected_cb (TsyPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->currency_row);
  const char *code;

  if (self->syncing || self->settings == NULL || selected == GTK_INVALID_LIST_POSITION)
    return;
  code = gtk_string_list_get_string (self->currency_list, selected);
  if (code != NULL)
    g_settings_set_string (self->settings, "reporting-currency", code);
}

static void
on_grouping_row_selected_cb (TsyPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->grouping_row);

  if (self->syncing || self->settings == NULL || selected >= G_N_ELEMENTS (groupings))
    return;
  g_settings_set_string (self->settings, "accounts-grouping", groupings[selected]);
}

static void
tsy_preferences_window_dispose (GObject *object)
{
  TsyPreferencesWindow *self = TSY_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (object), TSY_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tsy_preferences_window_parent_class)->dispose (object);
}

static void
tsy_preferences_window_class_init (TsyPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsy_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/treasurydesk/TreasuryDesk/tsy-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TsyPreferencesWindow, currency_row);
  gtk_widget_class_bind_template_child (widget_class, TsyPreferencesWindow, currency_list);
  gtk_widget_class_bind_template_child (widget_class, TsyPreferencesWindow, grouping_row);
  gtk_widget_class_bind_template_callback (widget_class, on_currency_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_grouping_row_selected_cb);
}

static void
tsy_preferences_window_init (TsyPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = tsy_ui_settings_new ();
  if (self->settings == NULL)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->currency_row), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->grouping_row), FALSE);
      return;
    }

  /* The currencies offered are the schema's choices: one list, in the schema. */
  {
    g_autoptr(GSettingsSchema) schema = NULL;
    g_autoptr(GSettingsSchemaKey) key = NULL;
    g_autoptr(GVariant) range = NULL;
    g_autoptr(GVariant) choices = NULL;
    const char *type = NULL;
    g_autofree const char **codes = NULL;

    g_object_get (self->settings, "settings-schema", &schema, NULL);
    key = g_settings_schema_get_key (schema, "reporting-currency");
    range = g_settings_schema_key_get_range (key);
    g_variant_get (range, "(&sv)", &type, &choices);
    codes = g_variant_get_strv (choices, NULL);
    gtk_string_list_splice (self->currency_list, 0, 0, codes);
  }

  sync_from_settings (self);
  g_signal_connect_object (self->settings, "changed", G_CALLBACK (sync_from_settings), self,
                           G_CONNECT_SWAPPED);
}

GtkWidget *
tsy_preferences_window_new (GtkWindow *parent)
{
  return g_object_new (TSY_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       NULL);
}
