/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ledger/tsy-store.h"

G_BEGIN_DECLS

/*
 * What the Payments page shows, queried on a worker thread with its own connection: the
 * payments (in some states), the users and the bank channels. While payments are in flight the
 * page polls: the worker first asks the banks for news (the outbox is worked), then queries.
 */

typedef struct
{
  GPtrArray *payments;   /* (element-type TsyPaymentInfo), by id */
  GPtrArray *users;      /* (element-type TsyUserInfo) */
  GPtrArray *channels;   /* (element-type TsyBankChannel) */
} TsyPaymentQuery;

void             tsy_payment_query_free   (TsyPaymentQuery *query);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsyPaymentQuery, tsy_payment_query_free)

/**
 * tsy_payment_query_async:
 * @store: a file store
 * @statuses: bit (1 << TsyPaymentStatus) of the payments wanted; 0 = all
 * @work_outbox: ask the banks for news first (the poll), as @actor
 */
void             tsy_payment_query_async  (TsyStore            *store,
                                           guint32              statuses,
                                           gboolean             work_outbox,
                                           const char          *actor,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
/* Returns: (transfer full): the result, or NULL with @error. */
TsyPaymentQuery *tsy_payment_query_finish (TsyStore            *store,
                                           GAsyncResult        *result,
                                           GError             **error);

G_END_DECLS
