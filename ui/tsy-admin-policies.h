/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tsy-admin-session.h"

G_BEGIN_DECLS

#define TSY_TYPE_ADMIN_POLICIES (tsy_admin_policies_get_type ())
G_DECLARE_FINAL_TYPE (TsyAdminPolicies, tsy_admin_policies, TSY, ADMIN_POLICIES, AdwPreferencesPage)

/*
 * Approval policies per organisation unit: the unit's bands (up to an amount → how many
 * approvals, and a role one approver must hold), or the bands it inherits from the nearest
 * unit above that has some; and the form that adds or replaces a band. Amounts are parsed
 * with the ledger's money parser and shown with tsy_money_format().
 */
void tsy_admin_policies_set_session (TsyAdminPolicies *self,
                                     TsyAdminSession  *session);
void tsy_admin_policies_reload      (TsyAdminPolicies *self);

G_END_DECLS
