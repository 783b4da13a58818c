/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tsy-statement-lines.h"
#include "tsy-store.h"

G_BEGIN_DECLS

/*
 * Statement lines as a GListModel that scrolls a million rows: the matching line ids are
 * fetched once (on a worker thread), and rows are read in pages of 256 on the same worker when
 * a view asks for them. Until its page arrives an item is a placeholder ("loaded" FALSE) whose
 * properties are filled in — with notifications — on the main thread. No SQL runs on the
 * thread that calls the model. Sorting happens in SQL (tsy_line_model_set_sort()).
 */

#define TSY_TYPE_LINE_ITEM (tsy_line_item_get_type ())
G_DECLARE_FINAL_TYPE (TsyLineItem, tsy_line_item, TSY, LINE_ITEM, GObject)

/*
 * TsyLineItem properties (read-only): "loaded" (boolean), "id" (int64), "account",
 * "booking-date" and "value-date" (YYYY-MM-DD), "amount-minor" (int64), "currency", "bank-ref",
 * "end-to-end-id", "customer-ref", "counterparty", "counterparty-account", "counterparty-bank",
 * "text", "bank-tx-code", "raw", "statement", "reversal" (boolean).
 */
gboolean    tsy_line_item_get_loaded       (TsyLineItem *self);
gint64      tsy_line_item_get_id           (TsyLineItem *self);
gint64      tsy_line_item_get_amount_minor (TsyLineItem *self);
const char *tsy_line_item_get_currency     (TsyLineItem *self);
const char *tsy_line_item_get_raw          (TsyLineItem *self);

typedef enum
{
  TSY_LINE_SORT_BOOKING_DATE,
  TSY_LINE_SORT_AMOUNT,
  TSY_LINE_SORT_ACCOUNT,
  TSY_LINE_SORT_COUNTERPARTY,
  TSY_LINE_SORT_BANK_REF,
  TSY_LINE_SORT_VALUE_DATE,
  TSY_LINE_SORT_CURRENCY,
  TSY_LINE_SORT_COUNTERPARTY_ACCOUNT,
  TSY_LINE_SORT_TEXT,
  TSY_LINE_SORT_END_TO_END_ID,
} TsyLineSort;

#define TSY_TYPE_LINE_MODEL (tsy_line_model_get_type ())
G_DECLARE_FINAL_TYPE (TsyLineModel, tsy_line_model, TSY, LINE_MODEL, GObject)

/* Properties: "loading" (boolean), "n-items" (uint). Signal "error" (GError*) when a query fails. */
TsyLineModel *tsy_line_model_new        (TsyStore            *store);
/* Reloads with @filter (copied; NULL = all lines). Asynchronous; items-changed when ready. */
void          tsy_line_model_set_filter (TsyLineModel        *self,
                                         const TsyLineFilter *filter);
void          tsy_line_model_set_sort   (TsyLineModel        *self,
                                         TsyLineSort          sort,
                                         gboolean             descending);
void          tsy_line_model_reload     (TsyLineModel        *self);
gboolean      tsy_line_model_get_loading (TsyLineModel       *self);

G_END_DECLS
