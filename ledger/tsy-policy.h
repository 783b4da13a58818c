/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tsy-date.h"
#include "tsy-store.h"
#include "tsy-user.h"

G_BEGIN_DECLS

/*
 * Approval policies per organisation unit, by amount band: "up to 1,000,000.00 CNY: one
 * approval; up to 50,000,000.00 CNY: two, one of them by an admin". A payment takes the
 * smallest band of its unit that covers its amount; a unit without bands inherits its parent's.
 * Without any policy up the tree, one approval by another person is still required: the
 * maker-checker rule never lapses.
 */

typedef struct
{
  gint64    id;              /* 0 for the built-in default */
  char     *org_code;        /* NULL for the built-in default */
  char      currency[4];
  gint64    up_to_minor;     /* the band covers amounts <= this */
  guint     approvals;       /* 1–9 distinct approvers, never the maker */
  TsyRoles  role;            /* 0, or: at least one approver holds this role */
} TsyPolicyBand;

void           tsy_policy_band_free (TsyPolicyBand *band);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsyPolicyBand, tsy_policy_band_free)

/* Sets (adds or replaces) the band of @org_code up to @up_to_minor in @currency. Audited. */
gboolean       tsy_policy_set       (TsyStore   *store,
                                     const char *org_code,
                                     const char *currency,
                                     gint64      up_to_minor,
                                     guint       approvals,
                                     TsyRoles    role,
                                     const char *actor,
                                     GError    **error);
/* Returns: (transfer full) (element-type TsyPolicyBand): bands of @org_code (all when NULL),
 * by unit, currency and amount. */
GPtrArray     *tsy_policy_list      (TsyStore   *store,
                                     const char *org_code,
                                     GError    **error);
/**
 * tsy_policy_resolve:
 * @org_id: the paying unit
 * @amount_minor: the amount that decides (a batch's total for a batch)
 * @currency: its currency; bands in another currency compare the amount converted at @date
 *
 * Returns: (transfer full): the band that applies, or %NULL with DENIED when the amount is
 *   above every band of the unit (or MISSING_RATE).
 */
TsyPolicyBand *tsy_policy_resolve   (TsyStore   *store,
                                     gint64      org_id,
                                     gint64      amount_minor,
                                     const char *currency,
                                     TsyDate     date,
                                     GError    **error);

G_END_DECLS
