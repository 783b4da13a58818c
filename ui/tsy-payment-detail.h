/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ledger/tsy-store.h"
#include "tsy-payment-row.h"

G_BEGIN_DECLS

#define TSY_TYPE_PAYMENT_DETAIL (tsy_payment_detail_get_type ())
G_DECLARE_FINAL_TYPE (TsyPaymentDetail, tsy_payment_detail, TSY, PAYMENT_DETAIL, GtkWidget)

/*
 * The approver's view of one payment in the Payments page: every field that moves money and
 * the digest an approval signs, with Approve (passphrase; the signature is made on a worker
 * thread) and Reject (reason, kept in the audit trail) for the current user. The ledger decides
 * who may approve; a refusal (the maker, a second approval by the same person) is shown.
 *
 * Signals: "message" (const char *text) after an action; "failed" (GError) when refused. The
 * owner queries the payments again after either.
 */
GtkWidget *tsy_payment_detail_new         (void);
void       tsy_payment_detail_set_store   (TsyPaymentDetail *self,
                                           TsyStore         *store);
void       tsy_payment_detail_set_user    (TsyPaymentDetail *self,
                                           const char       *user);
/* Shows @row (NULL: nothing). */
void       tsy_payment_detail_set_row     (TsyPaymentDetail *self,
                                           TsyPaymentRow    *row);
/* Everything shown, one "title: value" a line. Returns: (transfer full) */
char      *tsy_payment_detail_get_text    (TsyPaymentDetail *self);
/* Approves the payment shown as the current user with @passphrase (as the dialog does). */
void       tsy_payment_detail_approve     (TsyPaymentDetail *self,
                                           const char       *passphrase);
/* Work not yet finished. */
guint      tsy_payment_detail_get_pending (TsyPaymentDetail *self);

G_END_DECLS
