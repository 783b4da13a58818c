/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ledger/tsy-recon-model.h"
#include "ledger/tsy-recon-statement.h"
#include "tsy-reconciliation-page.h"

G_BEGIN_DECLS

/* For the ui tests: the widgets they drive and inspect. (transfer none) */
GtkDropDown    *tsy_reconciliation_page_get_account_dropdown (TsyReconciliationPage *self);
GtkColumnView  *tsy_reconciliation_page_get_bank_view        (TsyReconciliationPage *self);
GtkColumnView  *tsy_reconciliation_page_get_book_view        (TsyReconciliationPage *self);
GtkCheckButton *tsy_reconciliation_page_get_unmatched_check  (TsyReconciliationPage *self);
GtkButton      *tsy_reconciliation_page_get_match_button     (TsyReconciliationPage *self);
GtkButton      *tsy_reconciliation_page_get_reconcile_button (TsyReconciliationPage *self);
GtkLabel       *tsy_reconciliation_page_get_difference_label (TsyReconciliationPage *self);
/* The snapshot shown, or NULL. (transfer none) */
TsyReconView   *tsy_reconciliation_page_get_view             (TsyReconciliationPage *self);
/* Accepts the suggestion at @position of the suggestions list (what its button does). */
void            tsy_reconciliation_page_accept_suggestion    (TsyReconciliationPage *self,
                                                              guint                  position);
/* Opens the balance reconciliation statement of the account at @date (0: today); returns the
 * window. tsy_reconciliation_page_get_statement() gives its statement once built. */
GtkWindow      *tsy_reconciliation_page_open_statement       (TsyReconciliationPage *self,
                                                              TsyDate                date);
const TsyReconStatement *tsy_reconciliation_page_get_statement (TsyReconciliationPage *self);
const char     *tsy_reconciliation_page_get_last_message     (TsyReconciliationPage *self,
                                                              gboolean              *is_error);

G_END_DECLS
