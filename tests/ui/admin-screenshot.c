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
#include <stdlib.h>

#include "ui/tsy-admin-window-private.h"
#include "tsy-screenshot-util.h"
#include "tsy-test-ui.h"

static char *db_path;
static const char *page_name;
static const char *org_code;
static guint seconds;

static TsyAdminWindow *
find_admin_window (void)
{
  return (TsyAdminWindow *) tsy_test_ui_find_toplevel (TSY_TYPE_ADMIN_WINDOW);
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
  tsy_screenshot_quit_after (seconds);
  return G_SOURCE_REMOVE;
}

int
main (int    argc,
      char **argv)
{
  tsy_screenshot_init_locale ();

  if (argc != 4 && argc != 5)
    {
      g_printerr ("usage: admin-screenshot DB PAGE SECONDS [ORG]\n");
      return 2;
    }
  db_path = argv[1];
  page_name = argv[2];
  seconds = (guint) strtoul (argv[3], NULL, 10);
  org_code = argc == 5 ? argv[4] : NULL;

  return tsy_screenshot_run (db_path, TRUE, pose_cb, argv[0]);
}
