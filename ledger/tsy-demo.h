/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "tsy-store.h"
#include "tsy-date.h"

G_BEGIN_DECLS

/**
 * tsy_demo_fill:
 * @store: an empty, migrated store
 *
 * Fills the store with a believable Chinese group: a holding, member companies two levels
 * deep, five banks, ~15 accounts in CNY, USD and HKD, a month of daily balances ending on
 * @end_date (TSY_DATE_NONE: yesterday) and FX rates. One transaction; refuses a store that
 * already holds org units.
 */
gboolean tsy_demo_fill        (TsyStore           *store,
                               TsyDate             end_date,
                               GError            **error);
/* Runs tsy_demo_fill() on a worker thread with its own connection (file stores only). */
void     tsy_demo_fill_async  (TsyStore           *store,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data);
gboolean tsy_demo_fill_finish (TsyStore           *store,
                               GAsyncResult       *result,
                               GError            **error);

G_END_DECLS
