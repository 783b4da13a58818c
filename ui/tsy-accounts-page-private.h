/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tsy-accounts-page.h"

G_BEGIN_DECLS

/* For the ui tests: the widgets they inspect. (transfer none) */
GtkColumnView *tsy_accounts_page_get_column_view (TsyAccountsPage *self);
GtkLabel      *tsy_accounts_page_get_total_label (TsyAccountsPage *self);
GtkLabel      *tsy_accounts_page_get_count_label (TsyAccountsPage *self);

G_END_DECLS
