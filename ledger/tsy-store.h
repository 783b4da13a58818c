/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TSY_TYPE_STORE (tsy_store_get_type ())
G_DECLARE_FINAL_TYPE (TsyStore, tsy_store, TSY, STORE, GObject)

/* Current schema version (PRAGMA user_version after migration). */
#define TSY_STORE_SCHEMA_VERSION tsy_store_schema_version ()
int         tsy_store_schema_version (void);

/**
 * tsy_store_open:
 * @path: a database file, or ":memory:"
 *
 * Opens (creating when needed) and migrates the database: WAL, foreign keys
 * on, schema upgraded by `user_version` in one transaction.
 *
 * Returns: (transfer full): the store, or %NULL with @error set.
 */
TsyStore   *tsy_store_open           (const char *path,
                                      GError    **error);
/* Same as tsy_store_open() but fails when @path does not exist yet. */
TsyStore   *tsy_store_open_existing  (const char *path,
                                      GError    **error);
/**
 * tsy_store_reopen:
 *
 * Opens a second connection on the same file, for use by one worker thread.
 * Fails for ":memory:" stores.
 *
 * Returns: (transfer full):
 */
TsyStore   *tsy_store_reopen         (TsyStore   *self,
                                      GError    **error);
const char *tsy_store_get_path       (TsyStore   *self);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK. Every change of the ledger is one transaction. */
gboolean    tsy_store_begin          (TsyStore   *self,
                                      GError    **error);
gboolean    tsy_store_commit         (TsyStore   *self,
                                      GError    **error);
void        tsy_store_rollback       (TsyStore   *self);


G_END_DECLS
