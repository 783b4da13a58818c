/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Not a test: poses the window for docs/screenshots/statements*.png. Opens
 * DB on the Statements page (the lines of ACCOUNT, if given) with line ROW
 * selected and its detail shown, then stays for SECONDS so that
 * `import -window root` can take the picture:
 *
 *   TREASURY_LOCALEDIR=build/po LANGUAGE=zh_CN xvfb-run -s "-screen 0 1400x900x24" \
 *     sh -c 'build/tests/ui/statements-screenshot DB 3 12 & sleep 8; import -window root out.png'
 *
 * With TSY_SCREENSHOT_IMPORT=FILE it then starts importing FILE (the progress bar).
 */
#include <adwaita.h>
#include <stdlib.h>

#include "ui/tsy-statements-page-private.h"
#include "tsy-screenshot-util.h"

static char *db_path;
static guint row;
static guint seconds;
static const char *account;

static gboolean
pose_cb (gpointer data)
{
  TsyWindow *window = data;
  TsyStatementsPage *page = tsy_window_get_statements_page (window);
  GtkSelectionModel *rows;
  g_autoptr(TsyLineItem) item = NULL;

  if (tsy_window_get_store (window) == NULL || tsy_statements_page_get_loading (page))
    return G_SOURCE_CONTINUE;
  if (g_object_get_data (G_OBJECT (window), "posed") == NULL)
    {
      /* The Statements row of the sidebar: the second section. */
      tsy_screenshot_select_section (window, 1);
      g_object_set_data (G_OBJECT (window), "posed", GINT_TO_POINTER (1));
      return G_SOURCE_CONTINUE;
    }
  if (account != NULL && g_object_get_data (G_OBJECT (window), "filtered") == NULL)
    {
      GtkDropDown *dropdown = tsy_statements_page_get_account_dropdown (page);
      GListModel *titles = gtk_drop_down_get_model (dropdown);

      for (guint i = 0; i < g_list_model_get_n_items (titles); i++)
        if (g_str_has_prefix (gtk_string_list_get_string (GTK_STRING_LIST (titles), i), account))
          {
            gtk_drop_down_set_selected (dropdown, i);
            g_object_set_data (G_OBJECT (window), "filtered", GINT_TO_POINTER (1));
          }
      return G_SOURCE_CONTINUE;
    }
  rows = gtk_column_view_get_model (tsy_statements_page_get_column_view (page));
  if (g_list_model_get_n_items (G_LIST_MODEL (rows)) <= row)
    return G_SOURCE_CONTINUE;
  item = g_list_model_get_item (G_LIST_MODEL (rows), row);
  if (!tsy_line_item_get_loaded (item))
    return G_SOURCE_CONTINUE;
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (rows), row);
  if (g_getenv ("TSY_SCREENSHOT_IMPORT") != NULL)
    {
      g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);
      g_autoptr(GFile) file = g_file_new_for_path (g_getenv ("TSY_SCREENSHOT_IMPORT"));

      g_list_store_append (files, file);
      tsy_statements_page_import_files (page, G_LIST_MODEL (files));
    }
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
      g_printerr ("usage: statements-screenshot DB ROW SECONDS [ACCOUNT]\n");
      return 2;
    }
  account = argc == 5 ? argv[4] : NULL;
  db_path = argv[1];
  row = (guint) strtoul (argv[2], NULL, 10);
  seconds = (guint) strtoul (argv[3], NULL, 10);

  return tsy_screenshot_run (db_path, FALSE, pose_cb, argv[0]);
}
