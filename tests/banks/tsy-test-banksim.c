/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <curl/curl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tsy-test-banksim.h"

void
tsy_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *p = g_build_filename (path, name, NULL);
      if (g_file_test (p, G_FILE_TEST_IS_DIR) && !g_file_test (p, G_FILE_TEST_IS_SYMLINK))
        tsy_test_remove_tree (p);
      else
        g_unlink (p);
    }
  g_rmdir (path);
}

void
tsy_test_openssl (const char        *dir,
                  const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_ptr_array_add (argv, "openssl");
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (dir, (char **) argv->pdata, NULL,
                               G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                               &err, &status, &error));
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("openssl %s failed: %s", args[0], err);
}

#define OPENSSL(dir, ...) tsy_test_openssl ((dir), (const char *const[]) { __VA_ARGS__, NULL })

static void
make_ca (const char *dir,
         const char *name)
{
  g_autofree char *key = g_strconcat (name, ".key", NULL);
  g_autofree char *pem = g_strconcat (name, ".pem", NULL);
  g_autofree char *subject = g_strdup_printf ("/CN=%s test CA", name);

  OPENSSL (dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key);
  OPENSSL (dir, "req", "-x509", "-new", "-key", key, "-subj", subject, "-days", "2", "-out", pem,
           "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
}

static void
make_leaf (const char *dir,
           const char *ca,
           const char *name,
           const char *cn,
           const char *extensions)
{
  g_autofree char *key = g_strconcat (name, ".key", NULL);
  g_autofree char *csr = g_strconcat (name, ".csr", NULL);
  g_autofree char *pem = g_strconcat (name, ".pem", NULL);
  g_autofree char *ext = g_strconcat (name, ".ext", NULL);
  g_autofree char *ext_path = g_build_filename (dir, ext, NULL);
  g_autofree char *subject = g_strdup_printf ("/CN=%s", cn);
  g_autofree char *ca_pem = g_strconcat (ca, ".pem", NULL);
  g_autofree char *ca_key = g_strconcat (ca, ".key", NULL);

  g_assert_true (g_file_set_contents (ext_path, extensions, -1, NULL));
  OPENSSL (dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key);
  OPENSSL (dir, "req", "-new", "-key", key, "-subj", subject, "-out", csr);
  OPENSSL (dir, "x509", "-req", "-in", csr, "-CA", ca_pem, "-CAkey", ca_key, "-CAcreateserial",
           "-days", "2", "-out", pem, "-extfile", ext);
}

static void
child_setup (gpointer data)
{
  /* The simulator never outlives the test. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

TsyTestBank *
tsy_test_bank_start (const char *const *accounts,
                     const char        *faults,
                     guint              lifetime_s)
{
  const char *banksim = g_getenv ("TREASURY_BANKSIM");
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOChannel) channel = NULL;
  TsyTestBank *bank;
  g_autofree char *line = NULL;
  int out_fd = -1;
  gint64 deadline;

  const char *corpus = g_getenv ("TSY_CORPUS_DIR");
  g_autofree char *xsd_dir = corpus ? g_build_filename (corpus, "xsd", NULL) : NULL;
  g_autofree char *xsd = xsd_dir ? g_build_filename (xsd_dir, "hbci4j_hbci4java_pain.001.001.09.xsd", NULL) : NULL;

  if (banksim == NULL || g_find_program_in_path ("openssl") == NULL)
    {
      g_test_skip ("TREASURY_BANKSIM is not set or openssl is missing");
      return NULL;
    }
  if (xsd == NULL || !g_file_test (xsd, G_FILE_TEST_IS_REGULAR))
    {
      /* the simulator validates every pain.001 against the schemas of the shared corpus */
      g_test_skip ("the corpus with the pain.001 schemas is missing (TSY_CORPUS_DIR)");
      return NULL;
    }
  bank = g_new0 (TsyTestBank, 1);
  bank->dir = g_dir_make_tmp ("tsy-banksim-XXXXXX", NULL);
  make_ca (bank->dir, "ca");
  make_leaf (bank->dir, "ca", "server", "127.0.0.1",
             "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n");
  make_leaf (bank->dir, "ca", "client", "Treasury Desk test client",
             "extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n");
  make_ca (bank->dir, "other");
  make_leaf (bank->dir, "other", "stranger", "Someone else",
             "extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n");
  bank->ca = g_build_filename (bank->dir, "ca.pem", NULL);
  bank->client_cert = g_build_filename (bank->dir, "client.pem", NULL);
  bank->client_key = g_build_filename (bank->dir, "client.key", NULL);
  bank->other_ca = g_build_filename (bank->dir, "other.pem", NULL);
  bank->other_cert = g_build_filename (bank->dir, "stranger.pem", NULL);
  bank->other_key = g_build_filename (bank->dir, "stranger.key", NULL);

  g_ptr_array_add (argv, g_strdup (banksim));
  g_ptr_array_add (argv, g_strdup ("--listen=127.0.0.1:0"));
  g_ptr_array_add (argv, g_strdup_printf ("--state=%s/state", bank->dir));
  g_ptr_array_add (argv, g_strdup_printf ("--cert=%s/server.pem", bank->dir));
  g_ptr_array_add (argv, g_strdup_printf ("--key=%s/server.key", bank->dir));
  g_ptr_array_add (argv, g_strdup_printf ("--client-ca=%s", bank->ca));
  g_ptr_array_add (argv, g_strdup_printf ("--max-lifetime=%u", lifetime_s));
  bank->share = g_build_filename (bank->dir, "share", NULL);
  g_ptr_array_add (argv, g_strdup_printf ("--share=%s", bank->share));
  g_ptr_array_add (argv, g_strdup ("--poll-ms=50"));
  g_ptr_array_add (argv, g_strdup ("--quiet"));
  g_ptr_array_add (argv, g_strdup_printf ("--xsd-dir=%s", xsd_dir));
  if (faults != NULL)
    g_ptr_array_add (argv, g_strdup_printf ("--faults=%s", faults));
  for (guint i = 0; accounts != NULL && accounts[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup_printf ("--account=%s", accounts[i]));
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_async_with_pipes (bank->dir, (char **) argv->pdata, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                           child_setup, NULL, &bank->pid, NULL, &out_fd, NULL, &error));
  g_assert_no_error (error);

  /* "listening on https://127.0.0.1:PORT/" */
  channel = g_io_channel_unix_new (out_fd);
  g_io_channel_set_close_on_unref (channel, TRUE);
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (line == NULL && g_get_monotonic_time () < deadline)
    {
      gsize len = 0;
      GIOStatus st = g_io_channel_read_line (channel, &line, &len, NULL, NULL);
      if (st == G_IO_STATUS_EOF || st == G_IO_STATUS_ERROR)
        break;
    }
  if (line == NULL || !g_str_has_prefix (line, "listening on "))
    g_error ("treasury-banksim did not start: %s", line ? line : "(nothing)");
  bank->url = g_strstrip (g_strdup (line + strlen ("listening on ")));
  if (g_str_has_suffix (bank->url, "/"))
    bank->url[strlen (bank->url) - 1] = '\0';
  return bank;
}

void
tsy_test_bank_stop (TsyTestBank *bank)
{
  int status = 0;

  if (bank == NULL)
    return;
  if (bank->pid > 0)
    {
      kill (bank->pid, SIGTERM);
      waitpid (bank->pid, &status, 0);
      g_spawn_close_pid (bank->pid);
    }
  tsy_test_remove_tree (bank->dir);
  g_free (bank->dir);
  g_free (bank->url);
  g_free (bank->ca);
  g_free (bank->client_cert);
  g_free (bank->client_key);
  g_free (bank->other_ca);
  g_free (bank->other_cert);
  g_free (bank->other_key);
  g_free (bank->share);
  g_free (bank);
}

static size_t
collect_cb (char *data, size_t size, size_t n, void *user_data)
{
  g_string_append_len (user_data, data, (gssize) (size * n));
  return size * n;
}

char *
tsy_test_bank_request (TsyTestBank *bank,
                       const char  *path,
                       const char  *body,
                       long        *out_status)
{
  g_autofree char *url = g_strconcat (bank->url, path, NULL);
  GString *answer = g_string_new (NULL);
  CURL *c = curl_easy_init ();
  CURLcode rc;

  curl_easy_setopt (c, CURLOPT_URL, url);
  curl_easy_setopt (c, CURLOPT_CAINFO, bank->ca);
  curl_easy_setopt (c, CURLOPT_SSLCERT, bank->client_cert);
  curl_easy_setopt (c, CURLOPT_SSLKEY, bank->client_key);
  curl_easy_setopt (c, CURLOPT_TIMEOUT, 20L);
  curl_easy_setopt (c, CURLOPT_NOPROXY, "*");
  curl_easy_setopt (c, CURLOPT_WRITEFUNCTION, collect_cb);
  curl_easy_setopt (c, CURLOPT_WRITEDATA, answer);
  if (body != NULL)
    curl_easy_setopt (c, CURLOPT_POSTFIELDS, body);
  rc = curl_easy_perform (c);
  g_assert_cmpint (rc, ==, CURLE_OK);
  curl_easy_getinfo (c, CURLINFO_RESPONSE_CODE, out_status);
  curl_easy_cleanup (c);
  return g_string_free (answer, FALSE);
}

guint
tsy_test_bank_executions (TsyTestBank *bank,
                          const char  *e2e)
{
  long status = 0;
  g_autofree char *text = tsy_test_bank_request (bank, "/admin/executions", NULL, &status);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  g_assert_cmpint (status, ==, 200);
  for (guint i = 0; lines[i]; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], "\t", -1);
      if (g_strv_length (fields) >= 2 && strcmp (fields[0], e2e) == 0)
        return (guint) g_ascii_strtoull (fields[1], NULL, 10);
    }
  return 0;
}

char *
tsy_test_cli (const char        *db,
              const char        *input,
              int                expect,
              char             **out_err,
              const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  int status;

  g_ptr_array_add (argv, (char *) g_getenv ("TREASURY_BIN"));
  g_ptr_array_add (argv, "--db");
  g_ptr_array_add (argv, (char *) db);
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  proc = g_subprocess_newv ((const char * const *) argv->pdata, G_SUBPROCESS_FLAGS_STDIN_PIPE |
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (proc, input, NULL, &out, &err, &error));
  status = g_subprocess_get_exit_status (proc);
  if (status != expect)
    g_error ("treasury %s %s: exit %d (expected %d): %s", args[0], args[1] ? args[1] : "", status, expect, err);
  if (out_err != NULL)
    *out_err = g_steal_pointer (&err);
  return out;
}
