/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "tsy-test-cli.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

void
tsy_test_run_clear (TsyTestRun *r)
{
  g_free (r->out);
  g_free (r->err);
}

/* treasury [--db DB] ARGS, NULL-terminated. (transfer full) */
static GPtrArray *
command_line (const char         *treasury,
              const char         *db,
              const char * const *args)
{
  GPtrArray *argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (char *) treasury);
  if (db != NULL)
    {
      g_ptr_array_add (argv, "--db");
      g_ptr_array_add (argv, (char *) db);
    }
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  return argv;
}

void
tsy_test_cli_run (TsyTestRun         *r,
                  const char         *treasury,
                  const char         *db,
                  const char * const *args)
{
  g_autoptr(GPtrArray) argv = command_line (treasury, db, args);
  g_autoptr(GError) error = NULL;
  int wait_status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &r->out, &r->err, &wait_status, &error));
  g_assert_no_error (error);
  r->status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : 128;
}

void
tsy_test_cli_run_input (TsyTestRun         *r,
                        const char         *treasury,
                        const char         *db,
                        const char         *input,
                        const char * const *args)
{
  g_autoptr(GPtrArray) argv = command_line (treasury, db, args);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;

  proc = g_subprocess_newv ((const char * const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                            G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (proc, input, NULL, &r->out, &r->err, &error));
  g_assert_no_error (error);
  r->status = g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc) : 128;
}

void
tsy_test_cli_assert_failed (const TsyTestRun   *r,
                            const char * const *args)
{
  if (r->status == 0)
    g_error ("treasury %s %s succeeded but should fail", args[0], args[1] ? args[1] : "");
  g_assert_true (g_str_has_prefix (r->err, "treasury: "));
  g_assert_nonnull (strchr (r->err, '\n'));
  g_assert_cmpstr (strchr (r->err, '\n') + 1, ==, "");   /* exactly one line */
}

void
tsy_test_cli_must_succeed (const char         *treasury,
                           const char         *db,
                           const char * const *args)
{
  g_auto(TsyTestRun) r = { 0 };

  tsy_test_cli_run (&r, treasury, db, args);
  if (r.status != 0)
    g_error ("treasury %s failed (%d): %s", args[0], r.status, r.err);
}

void
tsy_test_cli_must_fail (const char         *treasury,
                        const char         *db,
                        const char         *needle,
                        const char * const *args)
{
  g_autofree char *before = tsy_test_cli_file_digest (db);
  g_autofree char *after = NULL;
  g_auto(TsyTestRun) r = { 0 };

  tsy_test_cli_run (&r, treasury, db, args);
  after = tsy_test_cli_file_digest (db);
  tsy_test_cli_assert_failed (&r, args);
  if (needle != NULL && strstr (r.err, needle) == NULL)
    g_error ("error of treasury %s lacks “%s”: %s", args[0], needle, r.err);
  g_assert_cmpstr (before, ==, after);
}

char *
tsy_test_cli_file_digest (const char *path)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &data, &len, NULL))
    return g_strdup ("absent");
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, len);
}

void
tsy_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *p = g_build_filename (path, name, NULL);
      if (g_file_test (p, G_FILE_TEST_IS_DIR))
        tsy_test_remove_tree (p);
      else
        g_unlink (p);
    }
  g_rmdir (path);
}
