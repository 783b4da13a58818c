/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "banks/formats/tsy-pain001.h"
#include "ledger/tsy-store.h"

G_BEGIN_DECLS

/*
 * Sending approved payments exactly once (see ledger/tsy-outbox.h for the states).
 *
 *   prepare   approved payments of banks with an open channel → every approval's signature is
 *             verified against the current content (a tampered payment fails here) → pain.001
 *             messages written into the outbox, payments "sent", before any network call
 *   work      messages left "sending" by a crash become "unknown"; unknown ones are resolved by
 *             asking the bank (resent, same bytes and MsgId, only when the bank says it never
 *             got them); pending ones are sent; delivered ones are asked for news
 */

typedef struct
{
  guint prepared;           /* payments put into new messages */
  guint messages;           /* new messages */
  guint failed_signature;   /* payments refused: content changed after approval */
  guint waiting_channel;    /* approved payments of banks without an open channel */
  guint sent;               /* messages the bank took in this run */
  guint retried;            /* sends that certainly did not leave and went again */
  guint unknown;            /* messages whose outcome is unknown at the end of the run */
  guint resolved;           /* unknown messages the bank's status settled */
  guint resent;             /* messages the bank had never received, sent again */
  guint refused;            /* messages the bank refused */
  guint changed;            /* payment statuses changed by the bank's answers */
  guint channel_errors;
} TsySendReport;

/**
 * tsy_payment_prepare:
 * @ids: (array length=n_ids) (nullable): only these payments (they must be approved or in the
 *   outbox already); NULL: every approved payment
 * @max_per_message: payments per pain.001 at most (0: 500)
 */
gboolean tsy_payment_prepare      (TsyStore      *store,
                                   const gint64  *ids,
                                   guint          n_ids,
                                   guint          max_per_message,
                                   const char    *actor,
                                   TsySendReport *report,
                                   GError       **error);
/* Works the outbox of every bank with an open channel (see above). FALSE only when the
 * database fails; channel trouble is counted in @report and recorded as the channel's health. */
gboolean tsy_payment_work_outbox  (TsyStore      *store,
                                   const char    *actor,
                                   TsySendReport *report,
                                   GCancellable  *cancellable,
                                   GError       **error);

/* prepare + work on a worker thread with its own connection (file databases). */
void     tsy_payment_send_async   (TsyStore            *store,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
gboolean tsy_payment_send_finish  (TsyStore            *store,
                                   GAsyncResult        *result,
                                   TsySendReport       *out_report,
                                   GError             **error);

/**
 * tsy_payment_export_batch:
 *
 * The pain.001 of a batch for a manual upload to the bank's portal. The approved payments of
 * the batch (all of one bank) are verified and put into a message of the outbox marked
 * delivered (by hand), so they can never be sent a second time; exporting the same batch again
 * gives the same file.
 * Returns: (transfer full): the document.
 */
GBytes  *tsy_payment_export_batch (TsyStore          *store,
                                   gint64             batch_id,
                                   TsyPain001Version  version,
                                   const char        *actor,
                                   GError           **error);

G_END_DECLS
