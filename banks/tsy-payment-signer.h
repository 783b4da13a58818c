/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ledger/tsy-payment.h"
#include "ledger/tsy-store.h"
#include "ledger/tsy-user.h"

G_BEGIN_DECLS

/*
 * Where keys meet the ledger: users with their key pairs, approvals that are signatures, and
 * the check before sending that every signature still covers exactly what will be sent.
 */

/**
 * tsy_user_create:
 * @pem_path: (nullable): a PEM private key to import (EC P-256); NULL makes a new key
 * @pem_passphrase: (nullable): for an encrypted PEM
 * @passphrase: the user's passphrase, which seals the private key
 *
 * Returns: the user's id, 0 on error.
 */
gint64    tsy_user_create               (TsyStore   *store,
                                         const char *name,
                                         TsyRoles    roles,
                                         const char *pem_path,
                                         const char *pem_passphrase,
                                         const char *passphrase,
                                         const char *actor,
                                         GError    **error);

/**
 * tsy_payment_sign_approve:
 * @ids: (array length=n_ids): payments to approve
 * @passphrase: opens @user's sealed key (once for all of them)
 * @out_approved: (out) (optional): how many became approved
 *
 * Signs the canonical digest of each payment with @user's key, checks the signature against the
 * stored public key, and records the approval (ledger rules: never the maker, never twice).
 * Stops at the first error; approvals before it stay.
 */
gboolean  tsy_payment_sign_approve      (TsyStore     *store,
                                         const gint64 *ids,
                                         guint         n_ids,
                                         const char   *user,
                                         const char   *passphrase,
                                         guint        *out_approved,
                                         GError      **error);

/* The same on a worker thread with its own connection (file databases): opening the key takes a
 * noticeable moment (scrypt). The passphrase is copied and wiped when done. */
void      tsy_payment_sign_approve_async  (TsyStore            *store,
                                           const gint64        *ids,
                                           guint                n_ids,
                                           const char          *user,
                                           const char          *passphrase,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean  tsy_payment_sign_approve_finish (TsyStore            *store,
                                           GAsyncResult        *result,
                                           guint               *out_approved,
                                           GError             **error);

/**
 * tsy_payment_verify_approvals:
 *
 * The check before sending: recomputes the payment's digest from its current content and
 * verifies every approval's signature with the approver's stored public key. Fails (SIGNATURE)
 * when the content changed after approval, a signature does not verify, the maker signed, or
 * fewer distinct approvers signed than the band required.
 */
gboolean  tsy_payment_verify_approvals  (TsyStore             *store,
                                         const TsyPaymentInfo *info,
                                         GError              **error);

G_END_DECLS
