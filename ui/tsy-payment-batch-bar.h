/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ledger/tsy-store.h"

G_BEGIN_DECLS

#define TSY_TYPE_PAYMENT_BATCH_BAR (tsy_payment_batch_bar_get_type ())
G_DECLARE_FINAL_TYPE (TsyPaymentBatchBar, tsy_payment_batch_bar, TSY, PAYMENT_BATCH_BAR, GtkWidget)

/*
 * The batches of the Payments page: a drop-down of the batches listed (each with its count and
 * total per currency) and, for the one picked, its count and total per currency, Submit Batch (every
 * draft, by its maker) and Approve Batch (every payment awaiting approval, signed one by one
 * after a single passphrase entry; the dialog lists exactly what will be signed).
 *
 * Signals: "message" (const char *text) after an action; "failed" (GError) when refused.
 */
GtkWidget *tsy_payment_batch_bar_new               (void);
void       tsy_payment_batch_bar_set_store         (TsyPaymentBatchBar *self,
                                                    TsyStore           *store);
void       tsy_payment_batch_bar_set_user          (TsyPaymentBatchBar *self,
                                                    const char         *user);
/* @payments: (element-type TsyPaymentRow): every payment listed; the drop-down offers their
 * batches (newest first, each with its count and total) and keeps the one shown when listed. */
void       tsy_payment_batch_bar_update            (TsyPaymentBatchBar *self,
                                                    GListModel         *payments);
/* Property "batch-id": the batch shown, 0 = all. */
gint64     tsy_payment_batch_bar_get_batch_id      (TsyPaymentBatchBar *self);
void       tsy_payment_batch_bar_set_batch_id      (TsyPaymentBatchBar *self,
                                                    gint64              batch_id);
/* The drop-down's current title ("Batch 7 · 12 payments · CNY 1,234.00"). */
const char *tsy_payment_batch_bar_get_title        (TsyPaymentBatchBar *self);
/* The summary shown (count, total per currency). */
const char *tsy_payment_batch_bar_get_summary      (TsyPaymentBatchBar *self);
/* What Approve Batch signs, as its dialog states it; NULL when nothing awaits approval.
 * Returns: (transfer full) (nullable) */
char      *tsy_payment_batch_bar_get_signing_text  (TsyPaymentBatchBar *self);
/* Submits the batch's drafts as the current user (as the button does). */
void       tsy_payment_batch_bar_submit            (TsyPaymentBatchBar *self);
/* Approves what the dialog lists with @passphrase (as the dialog does). */
void       tsy_payment_batch_bar_approve           (TsyPaymentBatchBar *self,
                                                    const char         *passphrase);
guint      tsy_payment_batch_bar_get_pending       (TsyPaymentBatchBar *self);

G_END_DECLS
