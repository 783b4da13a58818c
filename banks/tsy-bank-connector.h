/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ledger/tsy-bank-channel.h"
#include "ledger/tsy-date.h"
#include "ledger/tsy-statement.h"

G_BEGIN_DECLS

/*
 * One bank's channel: every bank implements this interface (https host-to-host, a folder on a
 * mounted share, SFTP). Connectors never touch the database: they move bytes (pain.001 out,
 * pain.002 and statements in) and say precisely what they know about the outcome, which is what
 * exactly-once sending rests on:
 *
 *   send_payment   TRUE: the bank has the message (with its immediate answer, if any).
 *                  NETWORK / TLS error: it certainly did not leave (could not connect, handshake
 *                  failed); sending again is safe.
 *                  REFUSED: the bank answered and refused the message as a whole.
 *                  UNKNOWN_OUTCOME: it may or may not have arrived (time-out, dropped
 *                  connection, 5xx, an unreadable answer): ask fetch_status, never resend.
 *   fetch_status   FOUND with the pain.002; NOT_YET (the bank has it, no answer yet);
 *                  NEVER_RECEIVED only when the bank says so explicitly.
 *
 * The sync methods block (call them from a worker thread); the _async pairs run them in a GTask
 * thread for the window.
 */

#define TSY_TYPE_BANK_CONNECTOR (tsy_bank_connector_get_type ())
G_DECLARE_INTERFACE (TsyBankConnector, tsy_bank_connector, TSY, BANK_CONNECTOR, GObject)

typedef enum
{
  TSY_CONNECTOR_SEND_PAYMENTS  = 1 << 0,
  TSY_CONNECTOR_PAYMENT_STATUS = 1 << 1,
  TSY_CONNECTOR_STATEMENTS     = 1 << 2,   /* camt.053, end of day */
  TSY_CONNECTOR_INTRADAY       = 1 << 3,   /* camt.052 */
} TsyConnectorCaps;

typedef enum
{
  TSY_STATUS_FOUND,
  TSY_STATUS_NOT_YET,
  TSY_STATUS_NEVER_RECEIVED,
} TsyStatusLookup;

struct _TsyBankConnectorInterface
{
  GTypeInterface parent_iface;

  TsyConnectorCaps (*get_capabilities) (TsyBankConnector *self);
  gboolean         (*send_payment)     (TsyBankConnector *self,
                                        const char       *msg_id,
                                        GBytes           *document,
                                        GBytes          **out_status,
                                        GCancellable     *cancellable,
                                        GError          **error);
  gboolean         (*fetch_status)     (TsyBankConnector *self,
                                        const char       *msg_id,
                                        TsyStatusLookup  *out_lookup,
                                        GBytes          **out_status,
                                        GCancellable     *cancellable,
                                        GError          **error);
  GBytes          *(*fetch_statement)  (TsyBankConnector *self,
                                        const char       *account,
                                        TsyStatementKind  kind,
                                        TsyDate           date,
                                        GCancellable     *cancellable,
                                        GError          **error);
};

/**
 * tsy_bank_connector_new_for_channel:
 *
 * Returns: (transfer full): the connector of a channel's kind, or %NULL with @error (files that
 *   cannot be read, an unsupported kind).
 */
TsyBankConnector *tsy_bank_connector_new_for_channel (const TsyBankChannel *channel,
                                                      GError              **error);

TsyConnectorCaps tsy_bank_connector_get_capabilities (TsyBankConnector *self);

/**
 * tsy_bank_connector_send_payment:
 * @msg_id: the message's MsgId (the bank deduplicates on it)
 * @document: the pain.001 bytes, the same on every attempt
 * @out_status: (out) (optional) (nullable): the bank's immediate pain.002, if it gave one
 */
gboolean         tsy_bank_connector_send_payment  (TsyBankConnector *self,
                                                   const char       *msg_id,
                                                   GBytes           *document,
                                                   GBytes          **out_status,
                                                   GCancellable     *cancellable,
                                                   GError          **error);
gboolean         tsy_bank_connector_fetch_status  (TsyBankConnector *self,
                                                   const char       *msg_id,
                                                   TsyStatusLookup  *out_lookup,
                                                   GBytes          **out_status,
                                                   GCancellable     *cancellable,
                                                   GError          **error);
/* Returns: (transfer full): a camt.053 (FINAL) or camt.052 (INTRADAY) document. */
GBytes          *tsy_bank_connector_fetch_statement (TsyBankConnector *self,
                                                     const char       *account,
                                                     TsyStatementKind  kind,
                                                     TsyDate           date,
                                                     GCancellable     *cancellable,
                                                     GError          **error);

/* The same in a worker thread. */
void             tsy_bank_connector_fetch_status_async  (TsyBankConnector    *self,
                                                         const char          *msg_id,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
/* Returns: (transfer full) (nullable): the pain.002 when FOUND. */
GBytes          *tsy_bank_connector_fetch_status_finish (TsyBankConnector    *self,
                                                         GAsyncResult        *result,
                                                         TsyStatusLookup     *out_lookup,
                                                         GError             **error);
void             tsy_bank_connector_fetch_statement_async  (TsyBankConnector    *self,
                                                            const char          *account,
                                                            TsyStatementKind     kind,
                                                            TsyDate              date,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
GBytes          *tsy_bank_connector_fetch_statement_finish (TsyBankConnector    *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);

/* Implementations (banks/https/, banks/folder/, banks/sftp/). */
TsyBankConnector *tsy_https_connector_new  (const TsyBankChannel *channel,
                                            GError              **error);
TsyBankConnector *tsy_folder_connector_new (const TsyBankChannel *channel,
                                            GError              **error);
TsyBankConnector *tsy_sftp_connector_new   (const TsyBankChannel *channel,
                                            GError              **error);

G_END_DECLS
