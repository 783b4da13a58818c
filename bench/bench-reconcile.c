/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Reconciliation benchmark (issue 5). Generates realistic months (tsy-recon-gen.h) for several
 * banks and formats with the truth of every match, imports the statements and the book, then
 * runs `treasury reconcile` in a child process as a user would and prints its wall time, CPU
 * time and peak RSS (wait4's rusage), the same for a second run over unchanged data, and the
 * precision and recall of the matched pairs against the truth.
 *
 *   bench-reconcile --treasury build/app/treasury [--lines 1000000] [--accounts 10]
 *                   [--months 3] [--seed N] [--runs N] [--dir DIR] [--keep]
 *
 * With --runs N the first run is timed N times (the matches are cleared in between) and the
 * fastest and the median are printed: the machine is shared.
 */
#include <fcntl.h>
#include <glib.h>
#include <sqlite3.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "banks/tsy-statement-importer.h"
#include "ledger/tsy-book.h"
#include "ledger/tsy-recon-statement.h"
#include "ledger/tsy-reconcile.h"
#include "tsy-recon-gen.h"

typedef struct
{
  double seconds;
  double cpu_seconds;
  long   max_rss_kb;
  int    status;
} ChildRun;

static ChildRun
run (char **argv)
{
  ChildRun r = { 0 };
  struct rusage usage;
  gint64 start = g_get_monotonic_time ();
  int status = 0;
  pid_t pid = fork ();

  if (pid == 0)
    {
      int devnull = open ("/dev/null", O_WRONLY);
      dup2 (devnull, 1);
      execv (argv[0], argv);
      _exit (127);
    }
  wait4 (pid, &status, 0, &usage);
  r.seconds = (g_get_monotonic_time () - start) / 1e6;
  r.cpu_seconds = usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
                  usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
  r.max_rss_kb = usage.ru_maxrss;
  r.status = WIFEXITED (status) ? WEXITSTATUS (status) : 128;
  return r;
}

static gint
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *p = g_build_filename (path, name, NULL);
      g_unlink (p);
    }
  g_rmdir (path);
}

int
main (int argc, char **argv)
{
  g_autofree char *treasury = NULL;
  g_autofree char *dir = NULL;
  int lines = 1000000, accounts = 10, months = 3, seed = 2026, runs = 1;
  gboolean keep = FALSE;
  const GOptionEntry entries[] = {
    { "treasury", 0, 0, G_OPTION_ARG_FILENAME, &treasury, "the treasury binary", "PATH" },
    { "lines", 0, 0, G_OPTION_ARG_INT, &lines, "bank lines to generate (about)", "N" },
    { "accounts", 0, 0, G_OPTION_ARG_INT, &accounts, "accounts (banks rotate)", "N" },
    { "months", 0, 0, G_OPTION_ARG_INT, &months, "months", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "random seed", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "time the first run this many times", "N" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, "work folder (default: a new temporary one)", "DIR" },
    { "keep", 0, 0, G_OPTION_ARG_NONE, &keep, "keep the files", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("- reconciliation benchmark");
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyStore) store = NULL;
  g_autoptr(TsyReconGenTruth) truth = NULL;
  g_autofree char *db = NULL;
  TsyReconGenOptions options;
  TsyReconGenScore score;
  TsyBookImportResult book = { 0 };
  ChildRun first, again;
  guint imported = 0, balanced = 0;
  gint64 t0;
  double gen_s, import_s, book_s;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || treasury == NULL)
    {
      g_printerr ("%s\n", error ? error->message : "--treasury is required");
      return 2;
    }
  if (dir == NULL)
    dir = g_dir_make_tmp ("tsy-bench-recon-XXXXXX", NULL);
  db = g_build_filename (dir, "bench.db", NULL);
  g_unlink (db);

  tsy_recon_gen_options_init (&options);
  options.n_bank_lines = (guint) lines;
  options.n_accounts = (guint) CLAMP (accounts, 1, 20);
  options.months = (guint) CLAMP (months, 1, 12);
  options.seed = (guint32) seed;

  store = tsy_store_open (db, &error);
  if (store == NULL || !tsy_recon_gen_setup (store, &options, &error))
    goto fail;
  t0 = g_get_monotonic_time ();
  truth = tsy_recon_gen_write (store, &options, dir, &error);
  if (truth == NULL)
    goto fail;
  gen_s = (g_get_monotonic_time () - t0) / 1e6;

  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < truth->statement_files->len; i++)
    {
      TsyImportResult result = { 0 };
      TsyImportOptions io = { 0 };

      io.account = g_ptr_array_index (truth->file_accounts, i);
      if (!tsy_statement_import_file (store, g_ptr_array_index (truth->statement_files, i), &io,
                                      &result, NULL, &error))
        goto fail;
      imported += result.new_lines;
      tsy_import_result_clear (&result);
    }
  import_s = (g_get_monotonic_time () - t0) / 1e6;
  t0 = g_get_monotonic_time ();
  if (!tsy_book_import_file (store, truth->book_csv, &book, NULL, &error))
    goto fail;
  book_s = (g_get_monotonic_time () - t0) / 1e6;
  g_clear_object (&store);
  sync ();

  {
    char *cmd[] = { treasury, "--db", db, "reconcile", NULL };
    g_autoptr(GArray) walls = g_array_new (FALSE, FALSE, sizeof (double));

    for (int r = 0; r < MAX (runs, 1); r++)
      {
        ChildRun one;

        if (r > 0)
          {
            sqlite3 *raw = NULL;
            if (sqlite3_open (db, &raw) != SQLITE_OK ||
                sqlite3_exec (raw, "DELETE FROM recon_bank; DELETE FROM recon_book; DELETE FROM recon_match;"
                                   " DELETE FROM recon_suggestion_item; DELETE FROM recon_suggestion;"
                                   " PRAGMA wal_checkpoint(TRUNCATE);", NULL, NULL, NULL) != SQLITE_OK)
              g_printerr ("clearing the matches failed: %s\n", sqlite3_errmsg (raw));
            sqlite3_close (raw);
            sync ();
          }
        one = run (cmd);
        g_array_append_val (walls, one.seconds);
        if (r == 0 || one.seconds < first.seconds)
          first = one;
      }
    again = run (cmd);
    if (walls->len > 1)
      {
        g_array_sort (walls, cmp_double);
        g_print ("first runs, wall seconds:");
        for (guint i = 0; i < walls->len; i++)
          g_print (" %.2f", g_array_index (walls, double, i));
        g_print (" (median %.2f)\n", g_array_index (walls, double, walls->len / 2));
      }
  }

  store = tsy_store_open_existing (db, &error);
  if (store == NULL || !tsy_recon_gen_evaluate (store, truth, &score, &error))
    goto fail;
  for (guint i = 0; i < truth->accounts->len; i++)
    {
      g_autoptr(TsyReconStatement) st = tsy_recon_statement_build (store, g_ptr_array_index (truth->accounts, i),
                                                                   truth->end, &error);
      if (st == NULL)
        goto fail;
      balanced += st->balanced;
    }

  g_print ("generated %u accounts x %u months: %u bank lines in %u files, %u book entries (%.1f s)\n",
           options.n_accounts, options.months, truth->n_bank, truth->statement_files->len,
           truth->n_book, gen_s);
  g_print ("events:");
  for (int c = 0; c < GEN_N_CASES; c++)
    g_print ("%s %s %u", c ? "," : "", tsy_recon_gen_case_name (c), truth->events[c]);
  g_print ("\n");
  g_print ("statement import: %u lines in %.1f s (%.0f lines/s); book import: %u entries in %.1f s (%.0f rows/s)\n",
           imported, import_s, imported / import_s, book.new_entries, book_s, book.new_entries / book_s);
  g_print ("reconcile:        %.2f s wall, %.2f s CPU, peak RSS %.0f MB%s\n", first.seconds,
           first.cpu_seconds, first.max_rss_kb / 1024.0, first.status ? " (FAILED)" : "");
  g_print ("reconcile again:  %.2f s wall, %.2f s CPU, peak RSS %.0f MB%s (nothing changed)\n",
           again.seconds, again.cpu_seconds, again.max_rss_kb / 1024.0, again.status ? " (FAILED)" : "");
  g_print ("matches %u (%" G_GUINT64_FORMAT " pairs), suggestions %u, wrong matches %u\n",
           score.matches, score.matched_pairs, score.suggestions, score.wrong_matches);
  g_print ("precision %.4f%% (%" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT "), recall %.4f%% (%" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT ")\n",
           score.matched_pairs ? 100.0 * score.correct_pairs / score.matched_pairs : 100.0,
           score.correct_pairs, score.matched_pairs,
           score.true_pairs ? 100.0 * score.correct_pairs / score.true_pairs : 100.0,
           score.correct_pairs, score.true_pairs);
  g_print ("true matches not found, by case:");
  for (int c = 0; c < GEN_N_CASES; c++)
    if (score.missed_by_case[c] > 0)
      g_print (" %s %" G_GUINT64_FORMAT, tsy_recon_gen_case_name (c), score.missed_by_case[c]);
  g_print ("\nbalance reconciliation statement balanced for %u of %u accounts at the last day\n", balanced, truth->accounts->len);
  g_clear_object (&store);
  if (!keep)
    remove_tree (dir);
  return first.status || score.wrong_matches > 0 ? 1 : 0;

fail:
  g_printerr ("bench-reconcile: %s\n", error ? error->message : "failed");
  return 1;
}
