/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ledger/tsy-store.h"

G_BEGIN_DECLS

#define TSY_TYPE_ADMIN_WINDOW (tsy_admin_window_get_type ())
G_DECLARE_FINAL_TYPE (TsyAdminWindow, tsy_admin_window, TSY, ADMIN_WINDOW, AdwWindow)

/*
 * The Administration window (系统管理): users and their keys, approval policies per
 * organisation unit, bank channels and their health. Changes are made in the name of the admin
 * chosen under "Acting as" (none while the database has no admin: the first admin is added
 * without one, as on the command line). All ledger work runs on worker threads with their own
 * connection on @store's file.
 *
 * Signal "ledger-changed": a change was written (users, policies or channels).
 */
TsyAdminWindow *tsy_admin_window_new           (GtkWindow      *parent,
                                                TsyStore       *store);
/* Shows the page "users", "policies" or "channels"; FALSE for another name. */
gboolean        tsy_admin_window_set_page      (TsyAdminWindow *self,
                                                const char     *name);

G_END_DECLS
