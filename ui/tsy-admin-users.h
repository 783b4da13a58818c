/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tsy-admin-session.h"

G_BEGIN_DECLS

#define TSY_TYPE_ADMIN_USERS (tsy_admin_users_get_type ())
G_DECLARE_FINAL_TYPE (TsyAdminUsers, tsy_admin_users, TSY, ADMIN_USERS, AdwPreferencesPage)

/*
 * The users of the ledger (name, roles, key id, sealed private key or not) and the form that
 * adds one: roles, a passphrase typed twice that seals a key made on a worker thread (or an
 * imported PEM key). The passphrase is never kept: it is copied for the worker, wiped after use,
 * and the entries are cleared at once.
 */
void tsy_admin_users_set_session (TsyAdminUsers   *self,
                                  TsyAdminSession *session);
void tsy_admin_users_reload      (TsyAdminUsers   *self);

G_END_DECLS
