/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * How the Statements page's model behaves over a million lines (issue 4): the time to load the
 * ids of all lines (on the model's worker), the worst time one get_item() takes on the main
 * thread while "scrolling" through the whole list (it never runs SQL there), and how long a
 * page of rows takes to be filled in after it is first asked for.
 *
 *   bench-line-model --db DB      (a database with many statement lines, e.g. made by
 *                                  bench-import --keep)
 */
#include <gio/gio.h>

#include "ledger/tsy-line-model.h"

static void
wait_loaded (TsyLineModel *model)
{
  while (tsy_line_model_get_loading (model))
    g_main_context_iteration (NULL, TRUE);
}

int
main (int argc, char **argv)
{
  g_autofree char *db = NULL;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "database", "PATH" },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("- line model benchmark");
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyStore) store = NULL;
  g_autoptr(TsyLineModel) model = NULL;
  gint64 t0, worst = 0, total_get = 0, fill_worst = 0, fill_total = 0;
  guint n, gets = 0, fills = 0;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || db == NULL)
    {
      g_printerr ("%s\n", error ? error->message : "--db is required");
      return 2;
    }
  store = tsy_store_open_existing (db, &error);
  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  model = tsy_line_model_new (store);

  t0 = g_get_monotonic_time ();
  tsy_line_model_reload (model);
  wait_loaded (model);
  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  g_print ("lines: %u; ids loaded (newest first) in %.2f s on the worker\n", n,
           (g_get_monotonic_time () - t0) / 1e6);

  /* Scroll: a screenful of 40 rows at 200 places from top to bottom. */
  for (guint step = 0; step < 200 && n > 0; step++)
    {
      guint first = (guint) ((guint64) step * (n - 1) / 199);
      g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
      gint64 asked = g_get_monotonic_time ();
      gboolean all;

      for (guint i = first; i < MIN (n, first + 40); i++)
        {
          gint64 s = g_get_monotonic_time ();
          g_ptr_array_add (items, g_list_model_get_item (G_LIST_MODEL (model), i));
          s = g_get_monotonic_time () - s;
          worst = MAX (worst, s);
          total_get += s;
          gets++;
        }
      /* until the rows are filled in (the main loop keeps running meanwhile) */
      do
        {
          all = TRUE;
          for (guint i = 0; i < items->len; i++)
            if (!tsy_line_item_get_loaded (g_ptr_array_index (items, i)))
              all = FALSE;
          if (!all)
            g_main_context_iteration (NULL, TRUE);
        }
      while (!all);
      asked = g_get_monotonic_time () - asked;
      fill_worst = MAX (fill_worst, asked);
      fill_total += asked;
      fills++;
    }
  g_print ("main thread, get_item(): worst %.3f ms, mean %.4f ms over %u calls\n", worst / 1e3,
           gets ? total_get / 1e3 / gets : 0.0, gets);
  g_print ("a screenful filled in: worst %.1f ms, mean %.1f ms over %u jumps across the list\n",
           fill_worst / 1e3, fills ? fill_total / 1e3 / fills : 0.0, fills);
  return 0;
}
