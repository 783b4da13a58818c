/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tsy-banksim-bank.h"

G_BEGIN_DECLS

/*
 * The simulated bank behind a shared folder or an SFTP server (treasury-banksim --share DIR):
 *   DIR/outbox/<MsgId>.xml             pain.001 the customer put there
 *   DIR/inbox/<MsgId>.pain002.xml      the bank's answer
 *   DIR/inbox/<account>_<date>.camt05N.xml   statements
 *   DIR/processed/                     pain.001 files read
 */

/* Makes the folders and the first statements. */
gboolean tsy_banksim_share_prepare (TsyBanksim *bank,
                                    const char *share,
                                    GError    **error);
/* Processes every whole file in the outbox. Returns: how many, or -1 with @error. */
int      tsy_banksim_share_poll    (TsyBanksim *bank,
                                    const char *share,
                                    gboolean    quiet,
                                    GError    **error);

G_END_DECLS
