/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Not a test: poses the window for docs/screenshots/payments*.png. Opens DB on the Payments
 * page as USER with payment ID selected (the approver's view), then stays for SECONDS so that
 * `import -window root` can take the picture (ID 0: the new payment form, filled in):
 *
 *   TREASURY_LOCALEDIR=build/po LANGUAGE=zh_CN xvfb-run -s "-screen 0 1400x900x24" \
 *     sh -c 'build/tests/ui/payments-screenshot DB 3 12 ada & sleep 8; import -window root out.png'
 */
#include <adwaita.h>
#include <stdlib.h>

#include "ui/tsy-payments-page-private.h"
#include "tsy-screenshot-util.h"

static char *db_path;
static gint64 payment_id;
static guint seconds;
static const char *user;

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
  page = TSY_PAYMENTS_PAGE (tsy_screenshot_find_widget (GTK_WIDGET (window), is_payments_page));
  if (g_object_get_data (G_OBJECT (window), "posed") == NULL)
    {
      /* The Payments row of the sidebar: the fourth section. */
      tsy_screenshot_select_section (window, 3);
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
      g_printerr ("usage: payments-screenshot DB ID SECONDS [USER]\n");
      return 2;
    }
  db_path = argv[1];
  payment_id = g_ascii_strtoll (argv[2], NULL, 10);
  seconds = (guint) strtoul (argv[3], NULL, 10);
  user = argc == 5 ? argv[4] : NULL;

  return tsy_screenshot_run (db_path, TRUE, pose_cb, argv[0]);
}
