/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ledger/tsy-store.h"

G_BEGIN_DECLS

/*
 * What the pages of the Administration window share: the database file, the admin acting (for
 * the audit trail), and the worker that runs their ledger work. Every job opens its own
 * connection on a worker thread, so the main thread never waits on SQLite or scrypt.
 *
 * Properties: "path" (construct-only), "actor" (nullable: no admin chosen), "pending" (jobs not
 * yet finished). Signal "changed" (TsyAdminChange flags) after a write succeeded.
 */

typedef enum
{
  TSY_ADMIN_CHANGE_USERS    = 1 << 0,
  TSY_ADMIN_CHANGE_POLICIES = 1 << 1,
  TSY_ADMIN_CHANGE_CHANNELS = 1 << 2,
} TsyAdminChange;

#define TSY_TYPE_ADMIN_SESSION (tsy_admin_session_get_type ())
G_DECLARE_FINAL_TYPE (TsyAdminSession, tsy_admin_session, TSY, ADMIN_SESSION, GObject)

/**
 * TsyAdminWork:
 * @store: the worker's own connection
 * @actor: who acts, for the audit trail (already checked for a write)
 * @input: the job's immutable input
 * @out_result: (out): what the main thread receives
 *
 * Runs on a worker thread. Returns: FALSE with @error on failure.
 */
typedef gboolean (*TsyAdminWork) (TsyStore    *store,
                                  const char  *actor,
                                  gpointer     input,
                                  gpointer    *out_result,
                                  GError     **error);
/* Runs on the main thread, unless the job was cancelled. @error is NULL on success. */
typedef void     (*TsyAdminDone) (gpointer      owner,
                                  gpointer      input,
                                  gpointer      result,
                                  const GError *error);

TsyAdminSession *tsy_admin_session_new         (const char      *path);
const char      *tsy_admin_session_get_path    (TsyAdminSession *self);
const char      *tsy_admin_session_get_actor   (TsyAdminSession *self);
void             tsy_admin_session_set_actor   (TsyAdminSession *self,
                                                const char      *actor);
guint            tsy_admin_session_get_pending (TsyAdminSession *self);
/* Cancels every job in flight; their done callbacks do not run. */
void             tsy_admin_session_cancel      (TsyAdminSession *self);

/**
 * tsy_admin_session_run:
 * @owner: a GObject kept alive until @done ran
 * @change: 0 for a read; for a write, what it changes: the actor is checked first (an admin
 *   must act once the database has one, as the CLI's --user), and "changed" follows success
 * @input_free: (nullable): frees @input after @done
 * @result_free: (nullable): frees the result after @done
 */
void             tsy_admin_session_run         (TsyAdminSession *self,
                                                gpointer         owner,
                                                TsyAdminChange   change,
                                                TsyAdminWork     work,
                                                gpointer         input,
                                                GDestroyNotify   input_free,
                                                GDestroyNotify   result_free,
                                                TsyAdminDone     done);

/* The CLI's check_admin: with @actor, it must be an active admin; without one, the database
 * must have no admin yet (the first admin is made without one). */
gboolean         tsy_admin_check_actor         (TsyStore        *store,
                                                const char      *actor,
                                                GError         **error);

G_END_DECLS
