/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ledger/tsy-rollup.h"
#include "ledger/tsy-store.h"

G_BEGIN_DECLS

#define TSY_TYPE_ACCOUNTS_PAGE (tsy_accounts_page_get_type ())
G_DECLARE_FINAL_TYPE (TsyAccountsPage, tsy_accounts_page, TSY, ACCOUNTS_PAGE, GtkWidget)

/*
 * The Accounts section: every bank account of the group in a tree (by
 * organisation or by bank), with balances per currency, the total converted
 * into the reporting currency, and a summary.
 *
 * Properties: "store" (TsyStore), "grouping" ("org" or "bank"), "currency"
 * (reporting currency), "date" (uint, a TsyDate; 0 follows today),
 * "loading" (read-only), "root" (read-only TsyRollupNode: what is shown).
 * Grouping and currency follow GSettings.
 */
GtkWidget     *tsy_accounts_page_new          (void);
TsyStore      *tsy_accounts_page_get_store    (TsyAccountsPage *self);
void           tsy_accounts_page_set_store    (TsyAccountsPage *self,
                                               TsyStore        *store);
const char    *tsy_accounts_page_get_grouping (TsyAccountsPage *self);
void           tsy_accounts_page_set_grouping (TsyAccountsPage *self,
                                               const char      *grouping);
const char    *tsy_accounts_page_get_currency (TsyAccountsPage *self);
void           tsy_accounts_page_set_currency (TsyAccountsPage *self,
                                               const char      *currency);
TsyDate        tsy_accounts_page_get_date     (TsyAccountsPage *self);
void           tsy_accounts_page_set_date     (TsyAccountsPage *self,
                                               TsyDate          date);
gboolean       tsy_accounts_page_get_loading  (TsyAccountsPage *self);
TsyRollupNode *tsy_accounts_page_get_root     (TsyAccountsPage *self);
/* Moves the keyboard focus to the search entry. */
void           tsy_accounts_page_focus_search (TsyAccountsPage *self);
/* Reloads the balances from the store on a worker thread. */
void           tsy_accounts_page_reload       (TsyAccountsPage *self);

G_END_DECLS
