/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "tsy-store.h"
#include "tsy-date.h"

G_BEGIN_DECLS

typedef enum
{
  TSY_ROLLUP_BY_ORG,
  TSY_ROLLUP_BY_BANK,
} TsyRollupGrouping;

typedef enum
{
  TSY_ROLLUP_NODE_ROOT,     /* everything selected: the grand total */
  TSY_ROLLUP_NODE_ORG,
  TSY_ROLLUP_NODE_BANK,
  TSY_ROLLUP_NODE_ACCOUNT,  /* a leaf */
} TsyRollupNodeKind;

typedef struct
{
  TsyRollupGrouping by;
  const char       *org_code;     /* NULL: all orgs; else that unit's subtree */
  TsyDate           date;         /* balances on or before; TSY_DATE_NONE = today */
  const char       *currency;     /* reporting currency, or NULL for none */
  gboolean          strict_fx;    /* TRUE: a missing rate fails the build (CLI);
                                   * FALSE: the node has no converted total (window) */
} TsyRollupQuery;

#define TSY_TYPE_ROLLUP_NODE (tsy_rollup_node_get_type ())
G_DECLARE_FINAL_TYPE (TsyRollupNode, tsy_rollup_node, TSY, ROLLUP_NODE, GObject)

/*
 * Properties (all read-only, for GtkExpression bindings):
 *   "kind" (int, TsyRollupNodeKind), "code", "name",
 *   "has-total" (boolean), "total-minor" (int64),
 *   "report-currency" (string), and for accounts: "number", "currency",
 *   "balance-minor" (int64), "has-balance" (boolean), "balance-date" (string
 *   YYYY-MM-DD or NULL), "bank-code", "bank-name", "org-code", "org-name",
 *   "account-type" (string), "account-status" (string).
 */
TsyRollupNodeKind tsy_rollup_node_get_kind            (TsyRollupNode *self);
const char       *tsy_rollup_node_get_code            (TsyRollupNode *self);
const char       *tsy_rollup_node_get_name            (TsyRollupNode *self);
/* Sub-groups (org units or banks), as TsyRollupNode. (transfer none) */
GListModel       *tsy_rollup_node_get_children        (TsyRollupNode *self);
/* Accounts directly under this node, as TsyRollupNode leaves. (transfer none) */
GListModel       *tsy_rollup_node_get_accounts        (TsyRollupNode *self);
/* Children then accounts: what a tree view shows under the node. (transfer none) */
GListModel       *tsy_rollup_node_get_items           (TsyRollupNode *self);

/* Currencies present in this node's totals, sorted. (transfer none) */
const char * const *tsy_rollup_node_get_currencies    (TsyRollupNode *self);
/* Total of one currency (own accounts + children); FALSE when absent. */
gboolean          tsy_rollup_node_get_total           (TsyRollupNode *self,
                                                       const char    *currency,
                                                       gint64        *out_minor);
/* The converted total in the reporting currency; FALSE when none asked or a rate is missing. */
gboolean          tsy_rollup_node_get_converted       (TsyRollupNode *self,
                                                       gint64        *out_minor);
const char       *tsy_rollup_node_get_report_currency (TsyRollupNode *self);
guint             tsy_rollup_node_get_n_accounts_deep (TsyRollupNode *self);

/* Account leaves */
const char       *tsy_rollup_node_get_number          (TsyRollupNode *self);
const char       *tsy_rollup_node_get_currency        (TsyRollupNode *self);
gboolean          tsy_rollup_node_get_balance         (TsyRollupNode *self,
                                                       gint64        *out_minor,
                                                       TsyDate       *out_date);
const char       *tsy_rollup_node_get_bank_code       (TsyRollupNode *self);
const char       *tsy_rollup_node_get_bank_name       (TsyRollupNode *self);
const char       *tsy_rollup_node_get_org_code        (TsyRollupNode *self);
const char       *tsy_rollup_node_get_org_name        (TsyRollupNode *self);
const char       *tsy_rollup_node_get_account_type    (TsyRollupNode *self);
const char       *tsy_rollup_node_get_account_status  (TsyRollupNode *self);

/**
 * tsy_rollup_build:
 *
 * Rolls balances up the org tree (or groups them by bank). Each node's totals
 * are the sums of its accounts and its children, per currency; converted
 * totals convert each account once (half-even) and add up, so both
 * groupings give the same grand total.
 *
 * Returns: (transfer full): the root node.
 */
TsyRollupNode    *tsy_rollup_build                    (TsyStore             *store,
                                                       const TsyRollupQuery *query,
                                                       GError              **error);
/* Runs tsy_rollup_build() on a worker thread with its own connection. */
void              tsy_rollup_build_async              (TsyStore             *store,
                                                       const TsyRollupQuery *query,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
TsyRollupNode    *tsy_rollup_build_finish             (TsyStore             *store,
                                                       GAsyncResult         *result,
                                                       GError              **error);

G_END_DECLS
