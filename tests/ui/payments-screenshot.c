/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Not a test: poses the window for docs/screenshots/payments*.png. Opens DB on the Payments
 * page as USER with payment ID selected (the approver's view), then stays for SECONDS so that
 * `import -window root` can take the picture (ID 0: the new payment form, filled in):
 *
 *   TREASURY_LOCALEDIR=build/po LANGUAGE=zh_CN xvfb-run -s "-screen 0 1400x900x24" \
 *     sh -c 'build/tests/ui/payments-screenshot DB 3 12 ada & sleep 8; import -window root out.png'
 */
#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <locale.h>
#include <stdlib.h>

#include "ui/tsy-payments-page-private.h"
#include "ui/tsy-ui.h"
#include "ui/tsy-window.h"

static char *db_path;
static gint64 payment_id;
static guint seconds;
static const char *user;

static gboolean
quit_cb (gpointer data)
{
  g_application_quit (G_APPLICATION (data));
  return G_SOURCE_REMOVE;
}

static GtkWidget *
find_widget (GtkWidget *widget,
             gboolean (*match) (GtkWidget *))
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (match (child))
        return child;
      if ((found = find_widget (child, match)) != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_sidebar (GtkWidget *w)
{
  return GTK_IS_LIST_BOX (w) && gtk_widget_has_css_class (w, "navigation-sidebar");
}

static gboolean
is_payments_page (GtkWidget *w)
{
  return TSY_IS_PAYMENTS_PAGE (w);
}

static gboolean
pose_cb (gpointer data)
{
  TsyWindow *window = data;
  TsyPaymentsPage *page;

  if (tsy_window_get_store (window) == NULL)
    return G_SOURCE_CONTINUE;
  page = TSY_PAYMENTS_PAGE (find_widget (GTK_WIDGET (window), is_payments_page));
  if (g_object_get_data (G_OBJECT (window), "posed") == NULL)
    {
      GtkWidget *sidebar = find_widget (GTK_WIDGET (window), is_sidebar);

      /* The Payments row of the sidebar: the fourth section. */
      if (sidebar != NULL)
        gtk_list_box_select_row (GTK_LIST_BOX (sidebar),
                                 gtk_list_box_get_row_at_index (GTK_LIST_BOX (sidebar), 3));
      g_object_set_data (G_OBJECT (window), "posed", GINT_TO_POINTER (1));
      return G_SOURCE_CONTINUE;
    }
  if (tsy_payments_page_get_pending (page) > 0 || tsy_payments_page_get_n_payments (page) == 0)
    return G_SOURCE_CONTINUE;
  if (user != NULL && !tsy_payments_page_set_user (page, user))
    return G_SOURCE_CONTINUE;
  if (payment_id > 0)
    tsy_payments_page_select (page, payment_id);
  else   /* ID 0: the new payment form, with a creditor IBAN whose check digits are wrong */
    tsy_payments_page_fill_form (page, "0200001209000123456", "Müller Maschinenbau GmbH",
                                 "DE89370400440532013001", "COBADEFFXXX", "86,500.00", "CNY",
                                 "2026-11-25", "PO 4711");
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
      g_printerr ("usage: payments-screenshot DB ID SECONDS [USER]\n");
      return 2;
    }
  db_path = argv[1];
  payment_id = g_ascii_strtoll (argv[2], NULL, 10);
  seconds = (guint) strtoul (argv[3], NULL, 10);
  user = argc == 5 ? argv[4] : NULL;

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
