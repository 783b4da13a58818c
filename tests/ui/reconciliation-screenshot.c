/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Not a test: poses the window for docs/screenshots/reconciliation*.png. Makes a demo database
 * with its book, reconciled, in DIR, opens it on the Reconciliation page (account number INDEX
 * of the list) with an open bank line selected, and stays for SECONDS:
 *
 *   TREASURY_LOCALEDIR=build/po LANGUAGE=zh_CN xvfb-run -s "-screen 0 1400x900x24" \
 *     sh -c 'build/tests/ui/reconciliation-screenshot DIR 0 20 & sleep 12; import -window root out.png'
 *
 * With TSY_SCREENSHOT_STATEMENT=1 it opens the 余额调节表 instead.
 */
#include <adwaita.h>
#include <stdlib.h>

#include "banks/tsy-demo-statements.h"
#include "ledger/tsy-account.h"
#include "ledger/tsy-book.h"
#include "ledger/tsy-demo-book.h"
#include "ledger/tsy-demo.h"
#include "ui/tsy-reconciliation-page-private.h"
#include "tsy-screenshot-util.h"

static char *db_path;
static guint account_index;
static guint seconds;

static gboolean
first_open_line (const TsyReconItemRow *row,
                 gpointer               user_data)
{
  TsyBookEntrySpec *spec = user_data;

  if (spec->account != NULL || row->counterparty == NULL || row->counterparty[0] == '\0')
    return TRUE;
  spec->account = g_strdup (row->account);
  spec->date = row->date;
  spec->amount_minor = row->amount_minor;
  spec->counterparty = g_strdup (row->counterparty);
  return TRUE;
}

/* Two book entries equally good for an open bank line: the run suggests both (the suggestions
 * list is empty in the demo, where every case is decided). */
static gboolean
add_suggestion (TsyStore *store,
                GError  **error)
{
  g_autoptr(GPtrArray) accounts = tsy_account_list (store, error);
  TsyBookEntrySpec spec = { 0 };
  const char *number;
  gboolean ok = TRUE;

  if (accounts == NULL || account_index >= accounts->len)
    return accounts != NULL;
  number = ((TsyAccountInfo *) g_ptr_array_index (accounts, account_index))->number;
  if (!tsy_recon_foreach_unmatched (store, number, TSY_RECON_SIDE_BANK, first_open_line, &spec, error))
    return FALSE;
  if (spec.account == NULL)
    return TRUE;
  spec.memo = "demo";
  for (int i = 0; i < 2 && ok; i++)
    {
      spec.ext_id = i == 0 ? "记-SHOT-A" : "记-SHOT-B";
      ok = tsy_book_add_entry (store, &spec, NULL, error) != 0;
    }
  ok = ok && tsy_reconcile (store, spec.account, NULL, NULL, NULL, error);
  g_free ((char *) spec.account);
  g_free ((char *) spec.counterparty);
  return ok;
}

static gboolean
pose_cb (gpointer data)
{
  TsyWindow *window = data;
  TsyReconciliationPage *page = tsy_window_get_reconciliation_page (window);
  GtkDropDown *dropdown = tsy_reconciliation_page_get_account_dropdown (page);
  int stage = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (window), "stage"));

  if (tsy_window_get_store (window) == NULL || tsy_reconciliation_page_get_busy (page) ||
      g_list_model_get_n_items (gtk_drop_down_get_model (dropdown)) <= account_index)
    return G_SOURCE_CONTINUE;
  if (stage == 0)
    {
      GtkWidget *w = gtk_widget_get_parent (GTK_WIDGET (page));
      while (w != NULL && !ADW_IS_VIEW_STACK (w))
        w = gtk_widget_get_parent (w);
      adw_view_stack_set_visible_child (ADW_VIEW_STACK (w), GTK_WIDGET (page));
      tsy_screenshot_select_section (window, 2);
      gtk_drop_down_set_selected (dropdown, account_index);
      g_object_set_data (G_OBJECT (window), "stage", GINT_TO_POINTER (1));
      return G_SOURCE_CONTINUE;
    }
  if (tsy_reconciliation_page_get_view (page) == NULL)
    return G_SOURCE_CONTINUE;
  if (g_getenv ("TSY_SCREENSHOT_STATEMENT") != NULL)
    tsy_reconciliation_page_open_statement (page, 0);
  else
    {
      GListModel *bank = G_LIST_MODEL (gtk_column_view_get_model (tsy_reconciliation_page_get_bank_view (page)));

      for (guint i = 0; i < g_list_model_get_n_items (bank); i++)
        {
          g_autoptr(TsyReconItem) item = g_list_model_get_item (bank, i);
          if (tsy_recon_item_get_match_id (item) != 0)
            {
              gtk_selection_model_select_item (GTK_SELECTION_MODEL (bank), i, TRUE);
              break;
            }
        }
    }
  tsy_screenshot_quit_after (seconds);
  return G_SOURCE_REMOVE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyStore) store = NULL;
  g_autofree char *statements = NULL;

  tsy_screenshot_init_locale ();

  if (argc != 4)
    {
      g_printerr ("usage: reconciliation-screenshot DIR INDEX SECONDS\n");
      return 2;
    }
  db_path = g_build_filename (argv[1], "demo.db", NULL);
  statements = g_build_filename (argv[1], "statements", NULL);
  account_index = (guint) strtoul (argv[2], NULL, 10);
  seconds = (guint) strtoul (argv[3], NULL, 10);
  g_mkdir_with_parents (argv[1], 0700);
  store = tsy_store_open (db_path, &error);
  if (store == NULL || !tsy_demo_fill (store, TSY_DATE_NONE, &error) ||
      !tsy_demo_statements_generate (store, statements, NULL, NULL, &error) ||
      !tsy_demo_book_fill (store, &error) || !add_suggestion (store, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_clear_object (&store);

  return tsy_screenshot_run (db_path, TRUE, pose_cb, argv[0]);
}
