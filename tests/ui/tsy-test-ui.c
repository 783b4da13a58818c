/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "tsy-test-ui.h"

#include <glib/gstdio.h>

#include "ui/tsy-ui.h"
#include "ui/tsy-window.h"

gboolean
tsy_test_ui_init (int         *argc,
                  char      ***argv,
                  const char  *what)
{
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);

  g_test_init (argc, argv, NULL);

  if (!gtk_init_check ())
    {
      g_test_message ("no display: skipping the %s tests", what);
      return FALSE;
    }
  adw_init ();
  tsy_ui_init ();
  return TRUE;
}

static gboolean
wake_up (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

void
tsy_test_ui_wait (gboolean   (*busy) (gpointer data),
                  gpointer     data,
                  const char  *what)
{
  gint64 deadline = g_get_monotonic_time () + TSY_TEST_UI_TIMEOUT_SECONDS * G_USEC_PER_SEC;
  guint tick = g_timeout_add (20, wake_up, NULL);

  do
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out waiting for %s", what);
      g_main_context_iteration (NULL, TRUE);
    }
  while (busy (data));
  g_source_remove (tick);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

void
tsy_test_ui_wait_until (gboolean   (*done) (gpointer data),
                        gpointer     data,
                        guint        timeout_seconds,
                        const char  *what)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_seconds * G_USEC_PER_SEC;
  guint tick = g_timeout_add (20, wake_up, NULL);

  while (!done (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out waiting for %s", what);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (tick);
  /* Let the views catch up with the models. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

void
tsy_test_ui_private_home (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *home = g_dir_make_tmp ("tsy-ui-home-XXXXXX", &error);
  const char *vars[] = { "HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME",
                         "XDG_STATE_HOME" };

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
    {
      g_autofree char *dir = g_build_filename (home, vars[i], NULL);
      g_mkdir_with_parents (dir, 0700);
      g_setenv (vars[i], dir, TRUE);
    }
}

gboolean
tsy_test_ui_window_has_store (gpointer window)
{
  return tsy_window_get_store (TSY_WINDOW (window)) != NULL;
}

void
tsy_test_ui_show_page (GtkWidget *page)
{
  GtkWidget *w = gtk_widget_get_parent (page);

  while (w != NULL && !ADW_IS_VIEW_STACK (w))
    w = gtk_widget_get_parent (w);
  g_assert_nonnull (w);
  adw_view_stack_set_visible_child (ADW_VIEW_STACK (w), page);
}

void
tsy_test_ui_remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);

  if (dir != NULL)
    {
      const char *name;
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          if (g_file_test (child, G_FILE_TEST_IS_DIR))
            tsy_test_ui_remove_tree (child);
          else
            g_remove (child);
        }
      g_dir_close (dir);
    }
  g_rmdir (path);
}

GtkWindow *
tsy_test_ui_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* (transfer none) */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);
      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return GTK_WINDOW (window);
    }
  return NULL;
}
