/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ledger/tsy-rollup.h"

G_BEGIN_DECLS

/* Internal to the Accounts page (tsy-accounts-page.c, tsy-accounts-columns.c). */

gboolean             tsy_accounts_node_is_group          (TsyRollupNode  *node);
/* A group's own accounts first, then its sub-units or banks. Returns: (transfer full) */
GListModel          *tsy_accounts_node_rows              (TsyRollupNode  *node);
/* @needle is case-folded. The number also matches without spaces or dashes. */
gboolean             tsy_accounts_node_matches           (TsyRollupNode  *node,
                                                          const char     *needle);
/* The node or anything below it matches. */
gboolean             tsy_accounts_node_matches_deep      (TsyRollupNode  *node,
                                                          const char     *needle);
/* A right-aligned balance column for @code, sorted on the int64 amount. Returns: (transfer full) */
GtkColumnViewColumn *tsy_accounts_currency_column_new    (const char     *code);
/* Binds the closures the cell templates of tsy-accounts-page.ui call. */
void                 tsy_accounts_columns_bind_callbacks (GtkWidgetClass *widget_class);

G_END_DECLS
