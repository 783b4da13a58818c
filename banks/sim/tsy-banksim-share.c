/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The simulated bank's file gateway: what a bank runs behind an SFTP server or a shared folder.
 * It polls SHARE/outbox for pain.001 files (whole files only: names ending in ".xml" that do not
 * start with a dot, so the temporary files of an upload in progress are never read), processes
 * each exactly like the HTTPS endpoint does (schema, signatures header aside, execution, the
 * journal), writes the pain.002 answer to SHARE/inbox/<MsgId>.pain002.xml (temporary name, then
 * rename) and moves the pain.001 to SHARE/processed/. It keeps the statements of every account in
 * the inbox: <account>_<today>.camt052.xml refreshed after each batch, and
 * <account>_<yesterday>.camt053.xml, the layout banks/folder and banks/sftp read.
 */
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <string.h>

#include "tsy-banksim-share.h"

#define MAX_FILE_BYTES (64 * 1024 * 1024)

static gboolean
write_whole (const char *dir,
             const char *name,
             GBytes     *bytes,
             GError    **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  /* A temporary file in the same folder, synced, then renamed over the name. */
  return g_file_replace_contents (file, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                  NULL, FALSE, G_FILE_CREATE_NONE, NULL, NULL, error);
}

static gboolean
write_statements (TsyBanksim *bank,
                  const char *inbox,
                  gboolean    only_missing,
                  GError    **error)
{
  g_autofree char *accounts = tsy_banksim_accounts (bank);
  g_auto(GStrv) lines = g_strsplit (accounts, "\n", -1);
  TsyDate today = tsy_date_today ();
  TsyDate yesterday = tsy_date_add_days (today, -1);
  g_autofree char *today_iso = tsy_date_to_iso (today);
  g_autofree char *yesterday_iso = tsy_date_to_iso (yesterday);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *number = NULL;
      const char *tab = strchr (lines[i], '\t');
      const struct { TsyStatementKind kind; TsyDate date; const char *day; const char *ext; } wanted[] = {
        { TSY_STATEMENT_KIND_INTRADAY, today, today_iso, "camt052" },
        { TSY_STATEMENT_KIND_FINAL, yesterday, yesterday_iso, "camt053" },
      };

      if (tab == NULL)
        continue;
      number = g_strndup (lines[i], (gsize) (tab - lines[i]));
      for (guint k = 0; k < G_N_ELEMENTS (wanted); k++)
        {
          g_autofree char *name = g_strdup_printf ("%s_%s.%s.xml", number, wanted[k].day, wanted[k].ext);
          g_autofree char *path = g_build_filename (inbox, name, NULL);
          g_autoptr(GBytes) doc = NULL;

          if (only_missing && g_file_test (path, G_FILE_TEST_EXISTS))
            continue;
          if (wanted[k].kind == TSY_STATEMENT_KIND_FINAL && g_file_test (path, G_FILE_TEST_EXISTS))
            continue;   /* an end-of-day statement never changes once issued */
          doc = tsy_banksim_statement (bank, number, wanted[k].kind, wanted[k].date, error);
          if (doc == NULL || !write_whole (inbox, name, doc, error))
            return FALSE;
        }
    }
  return TRUE;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* A MsgId names the answer file only when it is letters, digits, '-' and '_'. */
static gboolean
safe_name (const char *id)
{
  if (id == NULL || *id == '\0' || strlen (id) > 64)
    return FALSE;
  for (const char *p = id; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

gboolean
tsy_banksim_share_prepare (TsyBanksim *bank,
                           const char *share,
                           GError    **error)
{
  const char *const subdirs[] = { "outbox", "inbox", "processed" };
  g_autofree char *inbox = g_build_filename (share, "inbox", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      g_autofree char *dir = g_build_filename (share, subdirs[i], NULL);
      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot make %s", dir);
          return FALSE;
        }
    }
  return write_statements (bank, inbox, TRUE, error);
}

int
tsy_banksim_share_poll (TsyBanksim *bank,
                        const char *share,
                        gboolean    quiet,
                        GError    **error)
{
  g_autofree char *outbox = g_build_filename (share, "outbox", NULL);
  g_autofree char *inbox = g_build_filename (share, "inbox", NULL);
  g_autofree char *processed = g_build_filename (share, "processed", NULL);
  g_autoptr(GDir) dir = g_dir_open (outbox, 0, error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *entry;
  int done = 0;

  if (dir == NULL)
    return -1;
  while ((entry = g_dir_read_name (dir)) != NULL)
    if (entry[0] != '.' && g_str_has_suffix (entry, ".xml"))
      g_ptr_array_add (names, g_strdup (entry));
  /* In name order: a MsgId sent twice is processed once, then answered as a duplicate. */
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (outbox, name, NULL);
      g_autofree char *moved = g_build_filename (processed, name, NULL);
      g_autofree char *data = NULL;
      g_autofree char *reason = NULL;
      g_autofree char *msg_id = NULL;
      g_autofree char *answer_name = NULL;
      g_autoptr(GBytes) document = NULL;
      g_autoptr(GBytes) answer = NULL;
      TsyBanksimOutcome outcome;
      GStatBuf st;
      gsize len = 0;

      if (g_stat (path, &st) != 0 || st.st_size > MAX_FILE_BYTES ||
          !g_file_get_contents (path, &data, &len, NULL))
        continue;   /* taken meanwhile, or not ours to read */
      document = g_bytes_new_take (g_steal_pointer (&data), len);
      msg_id = tsy_banksim_peek_msg_id (document);
      outcome = tsy_banksim_process (bank, document, FALSE, &answer, &reason);
      if (!quiet)
        g_printerr ("banksim: share %s: %s %s%s%s\n", share, name,
                    outcome == TSY_BANKSIM_NEW ? "processed" : outcome == TSY_BANKSIM_DUPLICATE ? "duplicate" : "invalid",
                    reason ? ": " : "", reason ? reason : "");
      /* The answer first, then the file leaves the outbox: a crash in between re-reads the
       * file, which the journal answers as a duplicate. */
      if (answer != NULL)
        {
          answer_name = g_strdup_printf ("%s.pain002.xml", safe_name (msg_id) ? msg_id : "invalid");
          if (!write_whole (inbox, answer_name, answer, error))
            return -1;
        }
      if (g_rename (path, moved) != 0)
        g_unlink (path);
      done++;
    }
  if (done > 0 && !write_statements (bank, inbox, FALSE, error))
    return -1;
  return done;
}
