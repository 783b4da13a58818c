/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "banks/tsy-bank-connector.h"
#include "ledger/tsy-payment.h"
#include "ledger/tsy-store.h"

G_BEGIN_DECLS

/*
 * Payments in the tests that send them to a bank: the store has the maker "mia" and the
 * approver "ada" (passphrase "approver passphrase"). Every helper asserts its own success.
 */

/* A new store <@dir>/t.db with the unit "G", the bank "ICBC", the CNY accounts @accounts
 * (NULL-terminated numbers) at that bank, the maker "mia" and the approver "ada".
 * Returns: (transfer full): the store. */
TsyStore       *tsy_test_payment_store          (const char        *dir,
                                                 const char *const *accounts);
/* A payment of @amount minor units (CNY) from @from to @to, made, submitted and approved.
 * Returns: its id. */
gint64          tsy_test_payment_approved       (TsyStore         *store,
                                                 const char       *from,
                                                 const char       *to,
                                                 gint64            amount);
/* Returns: (transfer full): the payment @id as it stands. */
TsyPaymentInfo *tsy_test_payment_lookup         (TsyStore         *store,
                                                 gint64            id);
/* Works the outbox as "sender" every @interval_ms while payment @id is still SENT, for at most
 * @timeout_s seconds. Returns: (transfer full): the payment as it then stands. */
TsyPaymentInfo *tsy_test_payment_wait_answer    (TsyStore         *store,
                                                 gint64            id,
                                                 guint             interval_ms,
                                                 guint             timeout_s);
/* Fetches today's intraday statement of @account every @interval_ms until it names @e2e, for at
 * most @timeout_s seconds; asserts that it does. Returns: (transfer full): that statement. */
GBytes         *tsy_test_fetch_intraday_naming  (TsyBankConnector *connector,
                                                 const char       *account,
                                                 const char       *e2e,
                                                 guint             interval_ms,
                                                 guint             timeout_s);

G_END_DECLS
