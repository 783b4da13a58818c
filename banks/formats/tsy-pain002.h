/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ledger/tsy-outbox.h"

G_BEGIN_DECLS

/*
 * The bank's answer to a pain.001: the customer payment status report, pain.002 (versions
 * .001.03 and .001.10 and their national variants; the namespace may be absent). It becomes a
 * TsyStatusReport, which the ledger imports (tsy_outbox_apply_report()).
 *
 * Safety: no DTD (a DOCTYPE is refused), no entity substitution, no network; depth, text and
 * count limits; a malformed file is an error naming the element, never a partial report.
 */

/**
 * tsy_pain002_parse:
 * @display_name: names the file in messages
 *
 * Returns: (transfer full): the report, or %NULL with a PARSE or UNSUPPORTED error.
 */
TsyStatusReport *tsy_pain002_parse (const char  *data,
                                    gsize        len,
                                    const char  *display_name,
                                    GError     **error);

/**
 * tsy_pain002_write:
 * @report: what to say (group, PmtInf and transaction statuses)
 * @created: the creation instant
 *
 * Writes a pain.002.001.10 document (the bank simulator answers with it).
 * Returns: (transfer full):
 */
GBytes          *tsy_pain002_write (const TsyStatusReport *report,
                                    GDateTime             *created);

G_END_DECLS
