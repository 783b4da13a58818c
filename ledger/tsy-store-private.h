/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "tsy-date.h"
#include "tsy-store.h"

G_BEGIN_DECLS

/* Inside ledger/ only: the SQL side of the store. */
sqlite3      *tsy_store_get_db          (TsyStore   *self);
/* A cached prepared statement, reset and with bindings cleared. Never finalize it. */
sqlite3_stmt *tsy_store_prepare         (TsyStore   *self,
                                         const char *sql,
                                         GError    **error);
gboolean      tsy_store_exec            (TsyStore   *self,
                                         const char *sql,
                                         GError    **error);
/* Sets @error from the connection's last error; returns FALSE. */
gboolean      tsy_store_set_error       (TsyStore   *self,
                                         GError    **error);
gboolean      tsy_store_in_transaction  (TsyStore   *self);

/* Steps a statement expecting SQLITE_DONE. */
gboolean      tsy_store_step_done       (TsyStore     *self,
                                         sqlite3_stmt *stmt,
                                         GError      **error);

/* Steps @stmt to the end, turning each row into an element with @row; resets @stmt.
 * Returns: (transfer full): the elements, or %NULL with @error set. */
typedef gpointer (*TsyRowFunc) (sqlite3_stmt *stmt);
GPtrArray    *tsy_store_collect         (TsyStore      *self,
                                         sqlite3_stmt  *stmt,
                                         TsyRowFunc     row,
                                         GDestroyNotify free_func,
                                         GError       **error);

/* Dates are stored as 'YYYY-MM-DD' text. */
void          tsy_store_bind_date       (sqlite3_stmt *stmt,
                                         int           index,
                                         TsyDate       date);
TsyDate       tsy_store_column_date     (sqlite3_stmt *stmt,
                                         int           column);
/* Binds NULL for a NULL string. */
void          tsy_store_bind_text       (sqlite3_stmt *stmt,
                                         int           index,
                                         const char   *text);
char         *tsy_store_column_dup      (sqlite3_stmt *stmt,
                                         int           column);

/* Migrations (tsy-store-migrations.c). */
int           tsy_store_migrations_latest (void);
/* Applies migrations user_version+1 .. @target inside the caller's transaction. */
gboolean      tsy_store_migrate_to       (sqlite3    *db,
                                          int         target,
                                          GError    **error);

G_END_DECLS
