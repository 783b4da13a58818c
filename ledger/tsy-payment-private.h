/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "tsy-account.h"
#include "tsy-payment.h"
#include "tsy-store-private.h"

G_BEGIN_DECLS

/* Inside ledger/ only: shared by the payment, user, policy and outbox files. */

/* "2026-11-23T08:15:02Z": the current instant, UTC. */
char           *tsy_payment_now_utc        (void);

/* One audit event in the caller's transaction (who, what, about which record, detail). */
gboolean        tsy_payment_audit          (TsyStore   *store,
                                            const char *actor,
                                            const char *action,
                                            const char *subject,
                                            const char *detail,
                                            GError    **error);

/* Reads the payment @id (inside or outside a transaction). NOT_FOUND when absent. */
TsyPaymentInfo *tsy_payment_load           (TsyStore   *store,
                                            gint64      id,
                                            GError    **error);

/* Sets status (and reason, bank status when not NULL) with an audit event. No transition check. */
gboolean        tsy_payment_set_status     (TsyStore        *store,
                                            gint64           id,
                                            TsyPaymentStatus from,
                                            TsyPaymentStatus to,
                                            const char      *actor,
                                            const char      *bank_status,
                                            const char      *reason,
                                            GError         **error);

/* The amount that decides the approval band: the payment, or its batch's total on the same
 * account when it belongs to a batch (so that splitting does not lower the band). */
gboolean        tsy_payment_band_amount    (TsyStore             *store,
                                            const TsyPaymentInfo *info,
                                            gint64               *out_minor,
                                            GError              **error);

/* The checks of tsy_payment_create() again, as they stand now (drafts do not count towards the
 * daily limit any more; duplicates were confirmed when saving). */
gboolean        tsy_payment_recheck        (TsyStore             *store,
                                            const TsyPaymentInfo *info,
                                            GError              **error);

/* The rows of a batch checked one after another: each against the database and the rows
 * before it (the daily limit and duplicates count the batch's own rows). One code path for
 * tsy_payment_create_batch(), the CSV import and its preview. */
typedef struct _TsyPaymentRowCheck TsyPaymentRowCheck;

TsyPaymentRowCheck   *tsy_payment_row_check_new      (void);
void                  tsy_payment_row_check_free     (TsyPaymentRowCheck   *check);
/* Every check of tsy_payment_create(); on success @spec joins the rows. */
gboolean              tsy_payment_row_check_add      (TsyPaymentRowCheck   *check,
                                                      TsyStore             *store,
                                                      const TsyPaymentSpec *spec,
                                                      GError              **error);
/* The debtor account of row @index (0-based) and its normalised creditor account. */
const TsyAccountInfo *tsy_payment_row_check_account  (TsyPaymentRowCheck   *check,
                                                      guint                 index);
const char           *tsy_payment_row_check_creditor (TsyPaymentRowCheck   *check,
                                                      guint                 index);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsyPaymentRowCheck, tsy_payment_row_check_free)

G_END_DECLS
