/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsy-ledger-error.h"
#include "tsy-store-private.h"

struct _TsyStore
{
  GObject     parent_instance;

  sqlite3    *db;
  char       *path;
  GHashTable *statements;      /* SQL text -> sqlite3_stmt* */
  guint       tx_depth;
  gboolean    rollback_only;
};

G_DEFINE_FINAL_TYPE (TsyStore, tsy_store, G_TYPE_OBJECT)

static void
finalize_statement (gpointer data)
{
  sqlite3_finalize (data);
}

static gboolean
set_error_from_db (sqlite3    *db,
                   const char *what,
                   GError    **error)
{
  int code = db ? sqlite3_extended_errcode (db) : SQLITE_NOMEM;
  const char *msg = db ? sqlite3_errmsg (db) : "out of memory";

  g_debug ("sqlite error %d during %s: %s", code, what, msg);
  if ((code & 0xff) == SQLITE_CONSTRAINT)
    g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                 _("The change breaks a rule of the ledger: %s"), msg);
  else if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
    g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_STORE,
                 "%s", _("The database is busy in another program; try again"));
  else
    g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_STORE,
                 _("Database error: %s"), msg);
  return FALSE;
}

static void
tsy_store_finalize (GObject *object)
{
  TsyStore *self = TSY_STORE (object);

  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    {
      if (self->tx_depth > 0)
        sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      sqlite3_close_v2 (self->db);
      self->db = NULL;
    }
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (tsy_store_parent_class)->finalize (object);
}

static void
tsy_store_class_init (TsyStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  /* Before SQLite initialises: without memory statistics, its allocations take no global mutex
   * (a tenth of the cost of a bulk import). We never read those statistics. */
  sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);

  object_class->finalize = tsy_store_finalize;
}

static void
tsy_store_init (TsyStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_statement);
}

int
tsy_store_schema_version (void)
{
  return tsy_store_migrations_latest ();
}

static int
read_user_version (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  int version = -1;

  if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return version;
}

static TsyStore *
open_common (const char *path,
             gboolean    create,
             gboolean    migrate,
             GError    **error)
{
  g_autoptr(TsyStore) self = NULL;
  gboolean memory;
  int flags;
  int version;

  g_return_val_if_fail (path != NULL, NULL);

  memory = strcmp (path, ":memory:") == 0;
  if (!memory && !create && !g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_NOT_FOUND,
                   _("There is no database at “%s”; create one with “treasury init”"), path);
      return NULL;
    }

  self = g_object_new (TSY_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  if (sqlite3_open_v2 (path, &self->db, flags, NULL) != SQLITE_OK)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_STORE,
                   /* Translators: %1$s a file path, %2$s the database's message */
                   _("Cannot open the database “%1$s”: %2$s"), path,
                   self->db ? sqlite3_errmsg (self->db) : "out of memory");
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, 5000);

  version = read_user_version (self->db);
  if (version < 0)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_STORE,
                   _("“%s” is not a Treasury Desk database"), path);
      return NULL;
    }
  if (version > tsy_store_migrations_latest ())
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_STORE,
                   /* Translators: %1$s a path, %2$d and %3$d schema versions */
                   _("“%1$s” was written by a newer Treasury Desk (schema %2$d; this one reads up to %3$d)"),
                   path, version, tsy_store_migrations_latest ());
      return NULL;
    }

  if (!tsy_store_exec (self, "PRAGMA foreign_keys = ON", error))
    return NULL;
  if (version == 0 && !memory)
    {
      /* A new file: large pages. Statement lines are most of the data and arrive in bulk;
       * 32 KiB pages make an import about half again as fast as SQLite's 4 KiB (fewer pages
       * to split, log and copy) and cost little for the small tables. Only possible before the
       * first write. */
      if (!tsy_store_exec (self, "PRAGMA page_size = 32768", error))
        return NULL;
    }
  if (!memory)
    {
      /* WAL lets a reader (the window) see a consistent state while the writer works. */
      if (!tsy_store_exec (self, "PRAGMA journal_mode = WAL", error) ||
          !tsy_store_exec (self, "PRAGMA synchronous = NORMAL", error))
        return NULL;
    }

  if (migrate && version < tsy_store_migrations_latest ())
    {
      if (!tsy_store_begin (self, error))
        return NULL;
      if (!tsy_store_migrate_to (self->db, tsy_store_migrations_latest (), error))
        {
          tsy_store_rollback (self);
          return NULL;
        }
      if (!tsy_store_commit (self, error))
        return NULL;
    }

  return g_steal_pointer (&self);
}

TsyStore *
tsy_store_open (const char *path,
                GError    **error)
{
  return open_common (path, TRUE, TRUE, error);
}

TsyStore *
tsy_store_open_existing (const char *path,
                         GError    **error)
{
  return open_common (path, FALSE, TRUE, error);
}

TsyStore *
tsy_store_reopen (TsyStore *self,
                  GError  **error)
{
  g_return_val_if_fail (TSY_IS_STORE (self), NULL);

  if (strcmp (self->path, ":memory:") == 0)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_STORE,
                   "%s", _("An in-memory database cannot be opened twice"));
      return NULL;
    }
  return open_common (self->path, FALSE, FALSE, error);
}

const char *
tsy_store_get_path (TsyStore *self)
{
  g_return_val_if_fail (TSY_IS_STORE (self), NULL);
  return self->path;
}

sqlite3 *
tsy_store_get_db (TsyStore *self)
{
  return self->db;
}

gboolean
tsy_store_set_error (TsyStore *self,
                     GError  **error)
{
  return set_error_from_db (self->db, "statement", error);
}

gboolean
tsy_store_exec (TsyStore   *self,
                const char *sql,
                GError    **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return set_error_from_db (self->db, sql, error);
  return TRUE;
}

sqlite3_stmt *
tsy_store_prepare (TsyStore   *self,
                   const char *sql,
                   GError    **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);

  if (stmt == NULL)
    {
      if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
        {
          set_error_from_db (self->db, sql, error);
          return NULL;
        }
      g_hash_table_insert (self->statements, g_strdup (sql), stmt);
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return stmt;
}

gboolean
tsy_store_step_done (TsyStore     *self,
                     sqlite3_stmt *stmt,
                     GError      **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    {
      set_error_from_db (self->db, sqlite3_sql (stmt), error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
tsy_store_begin (TsyStore *self,
                 GError  **error)
{
  g_return_val_if_fail (TSY_IS_STORE (self), FALSE);

  if (self->tx_depth == 0)
    {
      if (!tsy_store_exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      self->rollback_only = FALSE;
    }
  self->tx_depth++;
  return TRUE;
}

gboolean
tsy_store_commit (TsyStore *self,
                  GError  **error)
{
  g_return_val_if_fail (TSY_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->tx_depth > 0, FALSE);

  if (--self->tx_depth > 0)
    return TRUE;
  if (self->rollback_only)
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      self->rollback_only = FALSE;
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_STORE,
                   "%s", _("The change was undone because a part of it failed"));
      return FALSE;
    }
  if (!tsy_store_exec (self, "COMMIT", error))
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  return TRUE;
}

void
tsy_store_rollback (TsyStore *self)
{
  g_return_if_fail (TSY_IS_STORE (self));
  g_return_if_fail (self->tx_depth > 0);

  if (--self->tx_depth > 0)
    {
      self->rollback_only = TRUE;
      return;
    }
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  self->rollback_only = FALSE;
}

gboolean
tsy_store_in_transaction (TsyStore *self)
{
  return self->tx_depth > 0;
}

GPtrArray *
tsy_store_collect (TsyStore      *self,
                   sqlite3_stmt  *stmt,
                   TsyRowFunc     row,
                   GDestroyNotify free_func,
                   GError       **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (free_func);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tsy_store_set_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

void
tsy_store_bind_date (sqlite3_stmt *stmt,
                     int           index,
                     TsyDate       date)
{
  char buf[11];

  if (date == TSY_DATE_NONE)
    {
      sqlite3_bind_null (stmt, index);
      return;
    }
  tsy_date_format_iso (date, buf);
  /* ten bytes: SQLite keeps them in the statement's own cell without a malloc */
  sqlite3_bind_text (stmt, index, buf, 10, SQLITE_TRANSIENT);
}

TsyDate
tsy_store_column_date (sqlite3_stmt *stmt,
                       int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);
  TsyDate date = TSY_DATE_NONE;

  if (text != NULL)
    tsy_date_parse_iso (text, &date, NULL);
  return date;
}

void
tsy_store_bind_text (sqlite3_stmt *stmt,
                     int           index,
                     const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

char *
tsy_store_column_dup (sqlite3_stmt *stmt,
                      int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text ? g_strdup (text) : NULL;
}
