/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "tsy-audit.h"
#include "tsy-store-private.h"

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

static void
feed (GChecksum  *sum,
      const char *text)
{
  char len[24];

  if (text == NULL)
    text = "";
  g_snprintf (len, sizeof len, "%zu:", strlen (text));
  g_checksum_update (sum, (const guchar *) len, -1);
  g_checksum_update (sum, (const guchar *) text, (gssize) strlen (text));
}

static char *
compute_hash (const char *prev_hash,
              const char *at,
              const char *actor,
              const char *action,
              const char *subject,
              const char *detail)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);

  feed (sum, prev_hash);
  feed (sum, at);
  feed (sum, actor);
  feed (sum, action);
  feed (sum, subject);
  feed (sum, detail);
  return g_strdup (g_checksum_get_string (sum));
}

gint64
tsy_audit_append (TsyStore   *store,
                  const char *actor,
                  const char *action,
                  const char *subject,
                  const char *detail,
                  GError    **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = g_date_time_format_iso8601 (now);
  g_autofree char *prev = NULL;
  g_autofree char *hash = NULL;
  sqlite3_stmt *stmt;
  gint64 id;
  int rc;

  g_return_val_if_fail (TSY_IS_STORE (store), 0);
  g_return_val_if_fail (actor != NULL && action != NULL && subject != NULL, 0);

  if (!tsy_store_begin (store, error))
    return 0;
  stmt = tsy_store_prepare (store, "SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1", error);
  if (stmt == NULL)
    goto fail;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    prev = tsy_store_column_dup (stmt, 0);
  else if (rc != SQLITE_DONE)
    {
      tsy_store_set_error (store, error);
      sqlite3_reset (stmt);
      goto fail;
    }
  sqlite3_reset (stmt);
  if (prev == NULL)
    prev = g_strdup (ZERO_HASH);
  if (detail == NULL)
    detail = "";
  hash = compute_hash (prev, at, actor, action, subject, detail);

  stmt = tsy_store_prepare (store,
      "INSERT INTO audit_event (at, actor, action, subject, detail, prev_hash, hash)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error);
  if (stmt == NULL)
    goto fail;
  tsy_store_bind_text (stmt, 1, at);
  tsy_store_bind_text (stmt, 2, actor);
  tsy_store_bind_text (stmt, 3, action);
  tsy_store_bind_text (stmt, 4, subject);
  tsy_store_bind_text (stmt, 5, detail);
  tsy_store_bind_text (stmt, 6, prev);
  tsy_store_bind_text (stmt, 7, hash);
  if (!tsy_store_step_done (store, stmt, error))
    goto fail;
  id = sqlite3_last_insert_rowid (tsy_store_get_db (store));
  if (!tsy_store_commit (store, error))
    return 0;
  return id;

fail:
  tsy_store_rollback (store);
  return 0;
}

gboolean
tsy_audit_verify (TsyStore *store,
                  gint64   *out_first_bad_id,
                  GError  **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autofree char *prev = g_strdup (ZERO_HASH);
  gint64 bad = 0;
  int rc;

  g_return_val_if_fail (TSY_IS_STORE (store), FALSE);

  /* own statement: the cache may be in use by the caller */
  if (sqlite3_prepare_v2 (tsy_store_get_db (store),
        "SELECT id, at, actor, action, subject, detail, prev_hash, hash FROM audit_event ORDER BY id",
        -1, &stmt, NULL) != SQLITE_OK)
    return tsy_store_set_error (store, error);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      const char *stored_prev = (const char *) sqlite3_column_text (stmt, 6);
      const char *stored_hash = (const char *) sqlite3_column_text (stmt, 7);
      g_autofree char *hash = compute_hash (prev,
                                            (const char *) sqlite3_column_text (stmt, 1),
                                            (const char *) sqlite3_column_text (stmt, 2),
                                            (const char *) sqlite3_column_text (stmt, 3),
                                            (const char *) sqlite3_column_text (stmt, 4),
                                            (const char *) sqlite3_column_text (stmt, 5));

      if (g_strcmp0 (stored_prev, prev) != 0 || g_strcmp0 (stored_hash, hash) != 0)
        {
          bad = id;
          break;
        }
      g_free (prev);
      prev = g_steal_pointer (&hash);
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      tsy_store_set_error (store, error);
      sqlite3_finalize (stmt);
      return FALSE;
    }
  sqlite3_finalize (stmt);
  if (out_first_bad_id != NULL)
    *out_first_bad_id = bad;
  return TRUE;
}
