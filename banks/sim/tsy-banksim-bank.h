/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ledger/tsy-date.h"
#include "ledger/tsy-statement.h"

G_BEGIN_DECLS

/*
 * The simulated bank's books (no HTTP here). It may hold accounts of several banks (by BIC), so
 * that transfers between two simulated banks work. Its state directory:
 *   accounts.ini         the accounts and their opening balances (written by whoever sets up)
 *   journal.log          append-only, synced: one line per message and per transaction
 *   messages/            each pain.001 received and the pain.002 answered
 * Balances are the opening balances plus the journal, so a restart loses nothing.
 */

typedef struct _TsyBanksim TsyBanksim;

typedef enum
{
  TSY_BANKSIM_NEW,          /* processed now */
  TSY_BANKSIM_DUPLICATE,    /* the MsgId was processed before: its first answer */
  TSY_BANKSIM_INVALID,      /* not a valid pain.001: nothing recorded */
} TsyBanksimOutcome;

/**
 * tsy_banksim_open:
 * @xsd_dir: a folder with hbci4j_hbci4java_pain.001.001.09.xsd and
 *   raphaelm_python-sepaxml_pain.001.001.03.xsd
 * @seed_accounts: (nullable): "NUMBER:CCY:BALANCE[:BIC[:NAME]]" entries added when the state
 *   directory holds no accounts yet (BALANCE a decimal)
 */
TsyBanksim        *tsy_banksim_open           (const char        *state_dir,
                                               const char        *xsd_dir,
                                               const char *const *seed_accounts,
                                               GError           **error);
void               tsy_banksim_free           (TsyBanksim        *sim);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsyBanksim, tsy_banksim_free)

/* Marks @msg_id as arriving (status "not yet" until processed). */
void               tsy_banksim_note_arrival   (TsyBanksim        *sim,
                                               const char        *msg_id);
void               tsy_banksim_forget_arrival (TsyBanksim        *sim,
                                               const char        *msg_id);
/* The MsgId of a document, without validating it (NULL when unreadable). */
char              *tsy_banksim_peek_msg_id    (GBytes            *document);

/**
 * tsy_banksim_process:
 * @refuse: refuse the whole message (fault injection): recorded as rejected
 * @out_answer: (out): the pain.002 (also for INVALID when the MsgId could be read)
 *
 * Validates against the schema, executes every transaction (debit; credit when the creditor
 * account is ours too), journals it durably, and answers.
 */
TsyBanksimOutcome  tsy_banksim_process        (TsyBanksim        *sim,
                                               GBytes            *document,
                                               gboolean           refuse,
                                               GBytes           **out_answer,
                                               char             **out_reason);
/* Returns: (transfer full) (nullable): the stored answer of @msg_id. *@out_arriving is TRUE
 * when it is being processed. */
GBytes            *tsy_banksim_status         (TsyBanksim        *sim,
                                               const char        *msg_id,
                                               gboolean          *out_arriving);
/* Returns: (transfer full): camt.053 (FINAL) or camt.052 (INTRADAY) of @account on @date, or
 * NULL when the account is not ours. */
GBytes            *tsy_banksim_statement      (TsyBanksim        *sim,
                                               const char        *account,
                                               TsyStatementKind   kind,
                                               TsyDate            date,
                                               GError           **error);
/* Text for tests: "E2E\texecutions\tmessages\tstatus" per line. */
char              *tsy_banksim_executions     (TsyBanksim        *sim);
/* Text for tests: "NUMBER\tCCY\tBALANCE_MINOR" per line. */
char              *tsy_banksim_accounts       (TsyBanksim        *sim);

G_END_DECLS
