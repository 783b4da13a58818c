/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ledger/tsy-store.h"
#include "tsy-accounts-page.h"
#include "tsy-reconciliation-page.h"
#include "tsy-statements-page.h"

G_BEGIN_DECLS

#define TSY_TYPE_WINDOW (tsy_window_get_type ())
G_DECLARE_FINAL_TYPE (TsyWindow, tsy_window, TSY, WINDOW, AdwApplicationWindow)

/*
 * The main window: a sidebar of the product's sections beside the section
 * shown. Opens "database-path" on a worker thread; without a database file
 * there it shows the welcome page (open one, create one, or load the demo).
 *
 * Properties: "database-path" (string), "store" (read-only TsyStore, %NULL
 * until a database is open).
 */
TsyWindow       *tsy_window_new                (GtkApplication *application,
                                                const char     *database_path);
const char      *tsy_window_get_database_path  (TsyWindow      *self);
/* Opens @path (asynchronously): the window shows it, or the welcome page. */
void             tsy_window_open_database      (TsyWindow      *self,
                                                const char     *path);
TsyStore        *tsy_window_get_store          (TsyWindow      *self);
TsyAccountsPage *tsy_window_get_accounts_page  (TsyWindow      *self);
TsyStatementsPage *tsy_window_get_statements_page (TsyWindow    *self);
TsyReconciliationPage *tsy_window_get_reconciliation_page (TsyWindow *self);

G_END_DECLS
