/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Not a test: poses the Administration window for docs/screenshots/administration*.png. Opens
 * DB, then the Administration window on PAGE (users, policies or channels) through the main
 * window's win.administration, and stays for SECONDS so that `import -window root` can take the
 * picture. On "policies" it shows the unit ORG when given; on "channels" it expands every bank,
 * or, given a bank code as ORG, opens the Connect form on that bank (filled in for SFTP).
 *
 *   TREASURY_LOCALEDIR=build/po LANGUAGE=zh_CN xvfb-run -s "-screen 0 1400x900x24" \
 *     sh -c 'build/tests/ui/admin-screenshot DB users 12 & sleep 8; import -window root out.png'
 */
#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <locale.h>
#include <stdlib.h>

#include "ui/tsy-admin-window-private.h"
#include "ui/tsy-ui.h"
#include "ui/tsy-window.h"

static char *db_path;
static const char *page_name;
static const char *org_code;
static guint seconds;

static gboolean
quit_cb (gpointer data)
{
  g_application_quit (G_APPLICATION (data));
  return G_SOURCE_REMOVE;
}

static TsyAdminWindow *
find_admin_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* (transfer none) */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);
      if (TSY_IS_ADMIN_WINDOW (window))
        return TSY_ADMIN_WINDOW (window);
    }
  return NULL;
}

static void
expand_all (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (ADW_IS_EXPANDER_ROW (child) &&
          adw_expander_row_get_enable_expansion (ADW_EXPANDER_ROW (child)))
        adw_expander_row_set_expanded (ADW_EXPANDER_ROW (child), TRUE);
      expand_all (child);
    }
}

static gboolean
pose_cb (gpointer data)
{
  TsyWindow *window = data;
  TsyAdminWindow *admin;

  if (tsy_window_get_store (window) == NULL)
    return G_SOURCE_CONTINUE;
  admin = find_admin_window ();
  if (admin == NULL)
    {
      gtk_widget_activate_action (GTK_WIDGET (window), "win.administration", "s", page_name);
      return G_SOURCE_CONTINUE;
    }
  if (tsy_admin_window_get_pending (admin) > 0)
    return G_SOURCE_CONTINUE;
  if (org_code != NULL && g_str_equal (page_name, "policies"))
    tsy_admin_policies_select_org (tsy_admin_window_get_policies_page (admin), org_code);
  else if (org_code != NULL && g_str_equal (page_name, "channels"))
    tsy_admin_channels_fill (tsy_admin_window_get_channels_page (admin), org_code, TSY_CHANNEL_SFTP,
                             "sftp://hxgroup@sftp.bank.example:22/h2h", NULL,
                             "/etc/treasury/keys/id_ed25519", "/etc/treasury/keys/known_hosts",
                             "pain.001.001.09", "10", "60");
  else
    expand_all (GTK_WIDGET (tsy_admin_window_get_channels_page (admin)));
  g_timeout_add_seconds (seconds, quit_cb, gtk_window_get_application (GTK_WINDOW (window)));
  return G_SOURCE_REMOVE;
}

static void
on_activate_cb (GApplication *app)
{
  TsyWindow *window = tsy_window_new (GTK_APPLICATION (app), db_path);

  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  gtk_window_maximize (GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (window));
  g_timeout_add (100, pose_cb, window);
}

int
main (int    argc,
      char **argv)
{
  const char *localedir = g_getenv ("TREASURY_LOCALEDIR");
  g_autoptr(AdwApplication) app = NULL;

  if (setlocale (LC_ALL, "") == NULL)
    setlocale (LC_ALL, "C.UTF-8");
  if (localedir != NULL)
    bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc != 4 && argc != 5)
    {
      g_printerr ("usage: admin-screenshot DB PAGE SECONDS [ORG]\n");
      return 2;
    }
  db_path = argv[1];
  page_name = argv[2];
  seconds = (guint) strtoul (argv[3], NULL, 10);
  org_code = argc == 5 ? argv[4] : NULL;

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
