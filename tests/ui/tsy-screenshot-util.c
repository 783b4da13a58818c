/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include <locale.h>

#include "tsy-screenshot-util.h"
#include "ui/tsy-ui.h"

static const char *run_db_path;
static gboolean run_maximize;
static GSourceFunc run_pose;

void
tsy_screenshot_init_locale (void)
{
  const char *localedir = g_getenv ("TREASURY_LOCALEDIR");

  if (setlocale (LC_ALL, "") == NULL)
    setlocale (LC_ALL, "C.UTF-8");
  if (localedir != NULL)
    bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

static void
on_activate_cb (GApplication *app)
{
  TsyWindow *window = tsy_window_new (GTK_APPLICATION (app), run_db_path);

  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  if (run_maximize)
    gtk_window_maximize (GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (window));
  g_timeout_add (100, run_pose, window);
}

int
tsy_screenshot_run (const char  *db_path,
                    gboolean     maximize,
                    GSourceFunc  pose,
                    char        *argv0)
{
  g_autoptr(AdwApplication) app = NULL;
  char *argv[] = { argv0, NULL };

  run_db_path = db_path;
  run_maximize = maximize;
  run_pose = pose;
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  tsy_ui_init ();
  app = g_object_new (ADW_TYPE_APPLICATION,
                      "application-id", TSY_UI_APP_ID ".Screenshot",
                      "flags", G_APPLICATION_NON_UNIQUE,
                      "resource-base-path", "/org/treasurydesk/TreasuryDesk",
                      NULL);
  g_signal_connect (app, "activate", G_CALLBACK (on_activate_cb), NULL);
  return g_application_run (G_APPLICATION (app), 1, argv);
}

static gboolean
quit_cb (gpointer data)
{
  g_application_quit (g_application_get_default ());
  return G_SOURCE_REMOVE;
}

void
tsy_screenshot_quit_after (guint seconds)
{
  g_timeout_add_seconds (seconds, quit_cb, NULL);
}

GtkWidget *
tsy_screenshot_find_widget (GtkWidget *widget,
                            gboolean (*match) (GtkWidget *))
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (match (child))
        return child;
      if ((found = tsy_screenshot_find_widget (child, match)) != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_sidebar (GtkWidget *w)
{
  return GTK_IS_LIST_BOX (w) && gtk_widget_has_css_class (w, "navigation-sidebar");
}

void
tsy_screenshot_select_section (TsyWindow *window,
                               guint      index)
{
  GtkWidget *sidebar = tsy_screenshot_find_widget (GTK_WIDGET (window), is_sidebar);

  if (sidebar != NULL)
    gtk_list_box_select_row (GTK_LIST_BOX (sidebar),
                             gtk_list_box_get_row_at_index (GTK_LIST_BOX (sidebar), (int) index));
}
