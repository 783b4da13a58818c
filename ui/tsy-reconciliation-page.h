/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ledger/tsy-store.h"

G_BEGIN_DECLS

#define TSY_TYPE_RECONCILIATION_PAGE (tsy_reconciliation_page_get_type ())
G_DECLARE_FINAL_TYPE (TsyReconciliationPage, tsy_reconciliation_page, TSY, RECONCILIATION_PAGE, GtkWidget)

/*
 * The Reconciliation page, per account: bank lines and book entries side by side (matched items
 * linked), the suggestions (accepted with one click), a manual match of a selection on both
 * sides with its running difference, unmatch, filters, and the balance reconciliation statement
 * (余额调节表) with its export. Every query runs on a worker (TsyReconView and the async calls of
 * tsy-reconcile.h).
 */
GtkWidget *tsy_reconciliation_page_new         (void);
void       tsy_reconciliation_page_set_store   (TsyReconciliationPage *self,
                                                TsyStore              *store);
TsyStore  *tsy_reconciliation_page_get_store   (TsyReconciliationPage *self);
/* TRUE while the page loads or changes something. */
gboolean   tsy_reconciliation_page_get_busy    (TsyReconciliationPage *self);
/* Loads the account list and the selected account's view again. */
void       tsy_reconciliation_page_reload      (TsyReconciliationPage *self);

G_END_DECLS
