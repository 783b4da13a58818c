/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tsy-store.h"

G_BEGIN_DECLS

/*
 * The audit trail (table audit_event, append-only by triggers). Every event carries the SHA-256
 * of the previous event's hash and of its own fields, so an edit, a deletion or a reordering made
 * behind the program's back (with the sqlite3 shell, say) is found by tsy_audit_verify().
 *
 *   hash = hex SHA-256 of  "<len>:" prev_hash "<len>:" at "<len>:" actor "<len>:" action
 *                          "<len>:" subject "<len>:" detail          (lengths in bytes, decimal)
 *
 * The first event's prev_hash is 64 zeros.
 */

/**
 * tsy_audit_append:
 * @actor: who did it (a user name, or "cli" / "system")
 * @action: a stable dotted name, not translated ("recon.match", "payment.approve")
 * @subject: what it was done to (a record's identity)
 * @detail: (nullable): free text, not translated (amounts, ids)
 *
 * Appends one event in the caller's transaction (or in its own when there is none), chained to
 * the last one. Returns the new event's id, 0 on error.
 */
gint64   tsy_audit_append (TsyStore   *store,
                           const char *actor,
                           const char *action,
                           const char *subject,
                           const char *detail,
                           GError    **error);

/**
 * tsy_audit_verify:
 * @out_first_bad_id: (out) (optional): the id of the first event that does not fit the chain,
 *   0 when the chain is intact
 *
 * Recomputes the whole chain. Returns TRUE when it could be read, whether intact or not (look at
 * @out_first_bad_id); FALSE with @error when the database could not be read.
 */
gboolean tsy_audit_verify (TsyStore   *store,
                           gint64     *out_first_bad_id,
                           GError    **error);

G_END_DECLS
