/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ledger/tsy-store.h"

G_BEGIN_DECLS

#define TSY_TYPE_PAYMENTS_PAGE (tsy_payments_page_get_type ())
G_DECLARE_FINAL_TYPE (TsyPaymentsPage, tsy_payments_page, TSY, PAYMENTS_PAGE, GtkWidget)

/*
 * The Payments section: the payment instructions in a table filtered by status and by batch,
 * a form for a new payment that the ledger checks as the user types (daily limit, whitelist,
 * IBAN/BIC, currency), saved as a draft or submitted by the current user (the maker); batches
 * (payroll 代发, supplier runs) imported from a CSV file (Import Batch or a file dropped on the
 * page: a dry run shows what would be saved, then one batch or nothing), each with its count
 * and total per currency, submitted whole and approved whole with one passphrase; the
 * approver's view of exactly what will be signed with Approve (passphrase, signature on a
 * worker thread) and Reject; Send for approved payments with the ledger polled while something
 * is in flight; and the bank connections with their health, each closed or opened again.
 *
 * Parts: tsy-payment-form (the form), tsy-payment-detail (the approver's view),
 * tsy-payment-batch-bar and tsy-payment-batch (batches), tsy-connections-view (channels),
 * tsy-payment-row (rows and columns), tsy-payment-query (what is shown).
 *
 * Every query and every write runs on a worker thread with its own connection.
 * Property "store" (TsyStore, a file database).
 */
GtkWidget *tsy_payments_page_new       (void);
TsyStore  *tsy_payments_page_get_store (TsyPaymentsPage *self);
void       tsy_payments_page_set_store (TsyPaymentsPage *self,
                                        TsyStore        *store);
/* Queries the payments, users and channels again. */
void       tsy_payments_page_reload    (TsyPaymentsPage *self);

G_END_DECLS
