/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ledger/tsy-payment.h"

G_BEGIN_DECLS

/*
 * The ISO 20022 customer credit transfer initiation (pain.001) we send to banks:
 * pain.001.001.09 (current) and pain.001.001.03 (for banks that still want it). Both validate
 * against the official schemas (tests run xmllint --schema on every file written).
 *
 * Payments are grouped into PmtInf blocks by debtor account, requested execution date and
 * urgency (InstrPrty HIGH for urgent); each block's PmtInfId is "<MsgId>-<n>". EndToEndId is
 * the payment's own. Amounts come from minor units, never through floating point.
 */

typedef enum
{
  TSY_PAIN001_V09,
  TSY_PAIN001_V03,
} TsyPain001Version;

/* "pain.001.001.09" / "pain.001.001.03" */
const char *tsy_pain001_version_to_string   (TsyPain001Version version);
gboolean    tsy_pain001_version_from_string (const char        *text,
                                             TsyPain001Version *out);

/**
 * tsy_pain001_write:
 * @msg_id: the message id (≤ 35 characters)
 * @created: the creation instant (written as UTC)
 * @payments: (element-type TsyPaymentInfo): the payments, at least one
 * @out_pmt_inf_ids: (out) (optional) (element-type utf8): per payment (same order), the
 *   PmtInfId of its block
 *
 * Returns: (transfer full): the UTF-8 document, or %NULL with @error (a field the schema
 *   cannot hold).
 */
GBytes     *tsy_pain001_write (TsyPain001Version  version,
                               const char        *msg_id,
                               GDateTime         *created,
                               GPtrArray         *payments,
                               GPtrArray        **out_pmt_inf_ids,
                               GError           **error);

G_END_DECLS
