/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "tsy-application.h"
#include "ui/tsy-preferences-window.h"
#include "ui/tsy-ui.h"
#include "ui/tsy-window.h"

struct _TsyApplication
{
  AdwApplication  parent_instance;

  char           *db_path;   /* from --db; NULL: $TREASURY_DB, the last one, or the default */
};

G_DEFINE_FINAL_TYPE (TsyApplication, tsy_application, ADW_TYPE_APPLICATION)

enum
{
  PROP_0,
  PROP_DB_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Accelerators live here only (STYLE.md §4). */
static const struct
{
  const char *action;
  const char *accels[3];
} accelerators[] = {
  { "app.quit", { "<Primary>q", NULL } },
  { "app.preferences", { "<Primary>comma", NULL } },
  { "win.open-database", { "<Primary>o", NULL } },
  { "win.new-database", { "<Primary>n", NULL } },
  { "win.refresh", { "F5", "<Primary>r", NULL } },
  { "win.find", { "<Primary>f", NULL } },
  { "win.show-help-overlay", { "<Primary>question", NULL } },
  { "window.close", { "<Primary>w", NULL } },
};

/* The database the window opens: --db, else $TREASURY_DB, else the one
 * opened last (when it still exists), else the default path. */
static char *
resolve_db_path (TsyApplication *self)
{
  const char *env = g_getenv ("TREASURY_DB");
  g_autoptr(GSettings) settings = NULL;

  if (self->db_path != NULL && self->db_path[0] != '\0')
    return g_strdup (self->db_path);
  if (env != NULL && env[0] != '\0')
    return g_strdup (env);
  settings = tsy_ui_settings_new ();
  if (settings != NULL)
    {
      g_autofree char *last = g_settings_get_string (settings, "last-database");
      if (last[0] != '\0' && g_file_test (last, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&last);
    }
  return g_build_filename (g_get_user_data_dir (), "treasury", "treasury.db", NULL);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GApplication *app = G_APPLICATION (user_data);
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  /* Close the windows (they save their state), then quit. */
  for (GList *l = windows; l != NULL;)
    {
      GtkWindow *window = l->data;
      l = l->next;
      gtk_window_close (window);
    }
  g_application_quit (app);
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  const char *developers[] = { _("The Treasury Desk developers"), NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "application-icon", APP_ID,
                        "application-name", _("Treasury Desk"),
                        "developer-name", _("The Treasury Desk developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Cash, accounts and payments of a company group across all its banks."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: your name, one per line: "Name <email>". */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  GtkWidget *preferences = tsy_preferences_window_new (gtk_application_get_active_window (app));

  gtk_window_present (GTK_WINDOW (preferences));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action, NULL, NULL, NULL, { 0 } },
  { "about", about_action, NULL, NULL, NULL, { 0 } },
  { "preferences", preferences_action, NULL, NULL, NULL, { 0 } },
};

static void
tsy_application_startup (GApplication *app)
{
  G_APPLICATION_CLASS (tsy_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions),
                                   app);
  for (guint i = 0; i < G_N_ELEMENTS (accelerators); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), accelerators[i].action,
                                           accelerators[i].accels);
}

static void
tsy_application_activate (GApplication *app)
{
  TsyApplication *self = TSY_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      g_autofree char *path = resolve_db_path (self);
      window = GTK_WINDOW (tsy_window_new (GTK_APPLICATION (app), path));
    }
  gtk_window_present (window);
}

static void
tsy_application_finalize (GObject *object)
{
  TsyApplication *self = TSY_APPLICATION (object);

  g_clear_pointer (&self->db_path, g_free);

  G_OBJECT_CLASS (tsy_application_parent_class)->finalize (object);
}

static void
tsy_application_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TsyApplication *self = TSY_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_DB_PATH:
      g_value_set_string (value, self->db_path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsy_application_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TsyApplication *self = TSY_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_DB_PATH:
      g_free (self->db_path);
      self->db_path = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsy_application_class_init (TsyApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = tsy_application_finalize;
  object_class->get_property = tsy_application_get_property;
  object_class->set_property = tsy_application_set_property;
  app_class->startup = tsy_application_startup;
  app_class->activate = tsy_application_activate;

  properties[PROP_DB_PATH] =
    g_param_spec_string ("db-path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tsy_application_init (TsyApplication *self)
{
  /* Before AdwApplication's startup loads style.css from the resources. */
  tsy_ui_init ();
}

TsyApplication *
tsy_application_new (const char *db_path)
{
  /* A window per named database: a second `treasury --db other.db` must open
   * that database, not raise the first instance. */
  GApplicationFlags flags = db_path != NULL ? G_APPLICATION_NON_UNIQUE : G_APPLICATION_DEFAULT_FLAGS;

  return g_object_new (TSY_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", flags,
                       "resource-base-path", "/org/treasurydesk/TreasuryDesk",
                       "db-path", db_path,
                       NULL);
}
