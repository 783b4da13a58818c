/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Statement import benchmark (issue 4). Generates a statement file of N lines (MT940 or
 * camt.053), then runs `treasury import` on it twice in a child process, as a user would, and
 * prints lines per second and the child's peak RSS (from wait4's rusage) for the first import
 * and for the re-import of the same file.
 *
 *   bench-import --treasury build/app/treasury [--format mt940|camt|csv] [--lines 1000000]
 *                [--dir DIR] [--keep]
 */
#include <stdio.h>
#include <glib.h>
#include <string.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "banks/formats/tsy-statement-writer.h"
#include "ledger/tsy-money.h"

#define PER_STATEMENT 1000

static const char *const names[] = {
  "上海华东电子材料有限公司", "深圳市南山精密机械有限公司", "ACME TRADING LTD", "北京星河物流有限公司",
  "Guangzhou Pearl Textiles Co Ltd", "杭州云帆软件科技有限公司", "HONG KONG ORIENT SHIPPING",
};

static gboolean
generate (const char     *path,
          TsyWriterFormat format,
          guint           n_lines,
          const char     *account,
          GError        **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, error);
  g_autoptr(TsyStatementWriter) w = NULL;
  const TsyStatementSink *sink = tsy_statement_writer_sink ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  gint64 balance = 500000000;
  TsyDate day = tsy_date_from_ymd (2024, 1, 1);
  guint written = 0;
  char ref[32], cref[32], e2e[40], text[96], cpacct[32];

  if (out == NULL)
    return FALSE;
  w = tsy_statement_writer_new (format, G_OUTPUT_STREAM (out));
  for (guint s = 0; written < n_lines; s++)
    {
      TsyStatementHeader h = { 0 };
      g_autofree char *id = g_strdup_printf ("STMT%06u", s);
      g_autofree char *seq = g_strdup_printf ("%u", s + 1);
      guint n = MIN (PER_STATEMENT, n_lines - written);
      gint64 start = balance;

      h.format = "bench";
      h.account = account;
      h.currency = "CNY";
      h.statement_id = id;
      h.sequence = seq;
      h.has_opening = TRUE;
      h.opening_minor = balance;
      h.opening_date = tsy_date_add_days (day, -1);
      h.from_date = h.to_date = day;
      if (!sink->begin_statement (w, &h, error))
        return FALSE;
      for (guint i = 0; i < n; i++, written++)
        {
          TsyStatementEntry e = { 0 };
          gint64 amount = (gint64) g_rand_int_range (rand, 100, 5000000);

          if (g_rand_boolean (rand))
            amount = -amount;
          g_snprintf (ref, sizeof ref, "B%010u", written);
          g_snprintf (cref, sizeof cref, "INV%08u", g_rand_int_range (rand, 0, 99999999));
          g_snprintf (e2e, sizeof e2e, "E2E-%u-%u", s, i);
          g_snprintf (cpacct, sizeof cpacct, "6222%012u", g_rand_int_range (rand, 0, 999999999));
          g_snprintf (text, sizeof text, "PAYMENT %s ORDER %u", cref, g_rand_int_range (rand, 0, 100000));
          e.booking_date = e.value_date = day;
          e.amount_minor = amount;
          e.bank_ref = ref;
          e.customer_ref = cref;
          e.end_to_end_id = e2e;
          e.counterparty_name = names[written % G_N_ELEMENTS (names)];
          e.counterparty_account = cpacct;
          e.text = text;
          balance += amount;
          if (!sink->entry (w, &e, error))
            return FALSE;
        }
      h.has_closing = TRUE;
      h.closing_minor = balance;
      h.closing_date = day;
      if (!sink->end_statement (w, &h, error))
        return FALSE;
      (void) start;
      day = tsy_date_add_days (day, 1);
    }
  if (!tsy_statement_writer_finish (w, error))
    return FALSE;
  return g_output_stream_close (G_OUTPUT_STREAM (out), NULL, error);
}

static gboolean
null_begin (gpointer u, const TsyStatementHeader *h, GError **e)
{
  return TRUE;
}

static gboolean
null_entry (gpointer u, const TsyStatementEntry *x, GError **e)
{
  (*(guint *) u)++;
  return TRUE;
}

static const TsyStatementSink null_sink = { null_begin, null_entry, null_begin };

/* The parser alone, in this process: how much of the import is parsing. */
static void
parse_only (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, NULL);
  g_autoptr(GError) error = NULL;
  guint n = 0;
  gint64 t0 = g_get_monotonic_time ();
  double s;

  if (!tsy_statement_parse (G_INPUT_STREAM (in), path, TSY_STATEMENT_FORMAT_UNKNOWN, NULL,
                            &null_sink, &n, NULL, &error))
    g_printerr ("parse: %s\n", error->message);
  s = (g_get_monotonic_time () - t0) / 1e6;
  g_print ("parse only: %.2f s, %.0f lines/s (%u lines)\n", s, n / s, n);
}

typedef struct
{
  double seconds;
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
      dup2 (devnull, 2);
      execv (argv[0], argv);
      _exit (127);
    }
  wait4 (pid, &status, 0, &usage);
  r.seconds = (g_get_monotonic_time () - start) / 1e6;
  r.max_rss_kb = usage.ru_maxrss;
  r.status = WIFEXITED (status) ? WEXITSTATUS (status) : 128;
  return r;
}

int
main (int argc, char **argv)
{
  g_autofree char *treasury = NULL;
  g_autofree char *format = NULL;
  g_autofree char *dir = NULL;
  int lines = 1000000;
  gboolean keep = FALSE;
  gboolean parse = FALSE;
  int ref_lines = 50000;
  const GOptionEntry entries[] = {
    { "reference-lines", 0, 0, G_OPTION_ARG_INT, &ref_lines,
      "lines for the aqbanking-cli reference run (0: none; it needs far more memory)", "N" },
    { "parse-only", 0, 0, G_OPTION_ARG_NONE, &parse, "also time the parser alone", NULL },
    { "treasury", 0, 0, G_OPTION_ARG_FILENAME, &treasury, "the treasury binary", "PATH" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, "mt940 (default), camt or csv", "FORMAT" },
    { "lines", 0, 0, G_OPTION_ARG_INT, &lines, "statement lines to generate", "N" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, "work folder (default: a new temporary one)", "DIR" },
    { "keep", 0, 0, G_OPTION_ARG_NONE, &keep, "keep the files", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("- statement import benchmark");
  g_autoptr(GError) error = NULL;
  g_autofree char *file = NULL;
  g_autofree char *db = NULL;
  TsyWriterFormat wf = TSY_WRITER_MT940;
  const char *account = "0200001209000123456";
  const char *ext = "sta";
  ChildRun first, again, overlap;
  g_autofree char *file2 = NULL;
  struct stat st;
  gint64 t0;
  double gen_s;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || treasury == NULL)
    {
      g_printerr ("%s\n", error ? error->message : "--treasury is required");
      return 2;
    }
  if (format != NULL && g_str_equal (format, "camt"))
    {
      wf = TSY_WRITER_CAMT053_V2;
      ext = "xml";
    }
  else if (format != NULL && g_str_equal (format, "csv"))
    {
      wf = TSY_WRITER_CSV_GB18030;
      ext = "csv";
    }
  if (dir == NULL)
    dir = g_dir_make_tmp ("tsy-bench-XXXXXX", NULL);
  file = g_strdup_printf ("%s/bench-%d.%s", dir, lines, ext);
  db = g_strdup_printf ("%s/bench.db", dir);
  g_unlink (db);

  t0 = g_get_monotonic_time ();
  if (!generate (file, wf, (guint) lines, account, &error))
    {
      g_printerr ("generate: %s\n", error->message);
      return 1;
    }
  gen_s = (g_get_monotonic_time () - t0) / 1e6;
  g_stat (file, &st);
  /* the generated file's dirty pages must not be written back while the import is timed */
  sync ();
  if (parse)
    parse_only (file);

  {
    char *init[] = { treasury, "--db", db, "init", NULL };
    char *org[] = { treasury, "--db", db, "org", "add", "G", "--name", "Group", NULL };
    char *bank[] = { treasury, "--db", db, "bank", "add", "ICBC", "--name", "ICBC", NULL };
    char *acct[] = { treasury, "--db", db, "account", "add", (char *) account, "--org", "G",
                     "--bank", "ICBC", "--currency", "CNY", NULL };
    char *imp[] = { treasury, "--db", db, "import", file, NULL };

    if (run (init).status || run (org).status || run (bank).status || run (acct).status)
      {
        g_printerr ("setting up the database failed\n");
        return 1;
      }
    char *imp2[] = { treasury, "--db", db, "import", NULL, NULL };
    g_autofree char *contents = NULL;
    gsize len;

    first = run (imp);
    again = run (imp);
    /* The same lines in a file that is not byte for byte the same (a trailing blank line):
     * every line goes through the identity check. */
    file2 = g_strdup_printf ("%s.2", file);
    g_file_get_contents (file, &contents, &len, NULL);
    g_file_set_contents (file2, contents, len, NULL);
    {
      FILE *f = fopen (file2, "a");
      fputs (wf == TSY_WRITER_MT940 || wf == TSY_WRITER_CSV_GB18030 ? "\r\n" : "\n", f);
      fclose (f);
    }
    g_clear_pointer (&contents, g_free);
    imp2[4] = file2;
    overlap = run (imp2);
  }

  g_print ("format: %s, %d lines, file %.1f MB (generated in %.1f s)\n",
           format ? format : "mt940", lines, st.st_size / 1e6, gen_s);
  g_print ("import:    %.2f s, %.0f lines/s, peak RSS %.1f MB%s\n", first.seconds,
           lines / first.seconds, first.max_rss_kb / 1024.0, first.status ? " (FAILED)" : "");
  g_print ("re-import, same file: %.2f s, %.0f lines/s, peak RSS %.1f MB%s\n", again.seconds,
           lines / again.seconds, again.max_rss_kb / 1024.0, again.status ? " (FAILED)" : "");
  g_print ("re-import, same lines in another file: %.2f s, %.0f lines/s, peak RSS %.1f MB%s\n",
           overlap.seconds, lines / overlap.seconds, overlap.max_rss_kb / 1024.0,
           overlap.status ? " (FAILED)" : "");

  /* The reference: Debian's aqbanking-cli on a smaller file of the same kind (it keeps every
   * transaction in memory, so a million lines would need gigabytes). camt: its profile is
   * camt.053.001.04, so the copy says .04 (the .02 elements it uses are the same). */
  if (ref_lines > 0 && g_find_program_in_path ("aqbanking-cli") != NULL && wf != TSY_WRITER_CSV_GB18030)
    {
      g_autofree char *ref = g_strdup_printf ("%s/reference.%s", dir, ext);
      g_autofree char *ctx_file = g_strdup_printf ("%s/reference.ctx", dir);
      g_autofree char *home = g_dir_make_tmp ("tsy-aqbanking-XXXXXX", NULL);
      g_autoptr(GError) gen_error = NULL;
      ChildRun aq;

      g_mkdir_with_parents (home, 0700);
      g_setenv ("HOME", home, TRUE);
      if (generate (ref, wf, (guint) ref_lines, account, &gen_error))
        {
          char *aq_mt940[] = { "/usr/bin/aqbanking-cli", "import", "--importer=swift",
                               "--profile=SWIFT-MT940", "-f", ref, "-c", ctx_file, NULL };
          char *aq_camt[] = { "/usr/bin/aqbanking-cli", "import", "--importer=xml",
                              "--profile=camt_053_001_04", "-f", ref, "-c", ctx_file, NULL };
          if (wf != TSY_WRITER_MT940)
            {
              g_autofree char *xml = NULL;
              gsize len;
              g_file_get_contents (ref, &xml, &len, NULL);
              {
                char *ns = strstr (xml, "camt.053.001.02");
                if (ns != NULL)
                  ns[14] = '4';
              }
              g_file_set_contents (ref, xml, len, NULL);
            }
          aq = run (wf == TSY_WRITER_MT940 ? aq_mt940 : aq_camt);
          g_print ("reference, aqbanking-cli import (%d lines, to its context file, no database): "
                   "%.2f s, %.0f lines/s, peak RSS %.1f MB%s\n", ref_lines, aq.seconds,
                   ref_lines / aq.seconds, aq.max_rss_kb / 1024.0, aq.status ? " (FAILED)" : "");
        }
      g_unlink (ref);
      g_unlink (ctx_file);
    }

  if (!keep)
    {
      g_autofree char *wal = g_strconcat (db, "-wal", NULL);
      g_autofree char *shm = g_strconcat (db, "-shm", NULL);
      g_unlink (file);
      g_unlink (file2);
      g_unlink (db);
      g_unlink (wal);
      g_unlink (shm);
      g_rmdir (dir);
    }
  return first.status || again.status || overlap.status;
}
