/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "ledger/tsy-date.h"
#include "ledger/tsy-statement.h"

G_BEGIN_DECLS

/*
 * The layout shared by the connectors that drop files for a bank (a mounted folder, an SFTP
 * server):
 *   outbox/<MsgId>.xml          our pain.001, appearing whole under that name (written under a
 *                               temporary name first, then renamed)
 *   inbox/<anything>.xml        the bank's pain.002 files, found by their OrgnlMsgId
 *   inbox/<account>_<YYYY-MM-DD>.camt053.xml / .camt052.xml   statements
 */

#define TSY_DROP_BOX_MAX_FILE_BYTES (64 * 1024 * 1024)

/* A MsgId or an account becomes a file name: only letters, digits, '-' and '_', at most 64. */
gboolean tsy_drop_box_check_name        (const char       *id,
                                         GError          **error);
/* Whether an inbox file of that name may be a status report (not a statement, not hidden,
 * not half written). */
gboolean tsy_drop_box_may_be_status     (const char       *name);
/* Whether @data is a pain.002 answering @msg_id. */
gboolean tsy_drop_box_is_status_of      (const char       *data,
                                         gsize             len,
                                         const char       *msg_id);
/* Returns: (transfer full) (nullable): the OrgnlMsgIds that @data, a pain.002, answers; NULL
 * when it is not a status report. */
GStrv    tsy_drop_box_status_msg_ids    (const char       *data,
                                         gsize             len);
/* Returns: (transfer full): "<account>_<YYYY-MM-DD>.camt053.xml" (or .camt052.xml). */
char    *tsy_drop_box_statement_name    (const char       *account,
                                         TsyStatementKind  kind,
                                         TsyDate           date);

G_END_DECLS
