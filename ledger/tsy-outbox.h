/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tsy-payment.h"
#include "tsy-store.h"

G_BEGIN_DECLS

/*
 * The durable outbox: exactly-once sending of pain.001 messages.
 *
 * A message (MsgId, the exact bytes of its document, the payments it carries) is written in one
 * transaction before any network call; its payments become "sent" in the same transaction. The
 * sender then moves the message pending → sending (committed) → delivered when the bank
 * answered, or unknown when the outcome is unknown (time-out, dropped connection, 5xx, a
 * malformed answer, a crash while "sending"). An unknown message is resolved only by asking the
 * bank for the status of its MsgId: a status means it arrived; "never received" puts it back to
 * pending and the very same bytes (same MsgId) go again. Nothing is ever sent blindly twice, and
 * the bank treats a repeated MsgId as a duplicate besides.
 */

typedef enum
{
  TSY_OUTBOX_PENDING,     /* written, not yet on the wire */
  TSY_OUTBOX_SENDING,     /* on the wire (a crash here means: unknown) */
  TSY_OUTBOX_UNKNOWN,     /* the bank may or may not have it: ask */
  TSY_OUTBOX_DELIVERED,   /* the bank has it; some payments not final yet */
  TSY_OUTBOX_CLOSED,      /* every payment final */
  TSY_OUTBOX_FAILED,      /* the bank refused the message before taking it */
} TsyOutboxState;

const char *tsy_outbox_state_to_string   (TsyOutboxState state);
gboolean    tsy_outbox_state_from_string (const char *text, TsyOutboxState *out);

typedef struct
{
  gint64          id;
  char           *msg_id;
  gint64          bank_id;
  char           *bank_code;
  char           *format;        /* "pain.001.001.09" or "pain.001.001.03" */
  TsyOutboxState  state;
  GBytes         *document;      /* the exact bytes sent, every time */
  guint           n_payments;
  guint           attempts;
  char           *created_at;
  char           *updated_at;
  char           *last_error;
} TsyOutboxMessage;

void              tsy_outbox_message_free (TsyOutboxMessage *msg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsyOutboxMessage, tsy_outbox_message_free)

/* Returns: (transfer full): a new message id, unique and ≤ 35 characters. */
char             *tsy_outbox_new_msg_id   (void);

typedef struct
{
  gint64      payment_id;
  const char *digest_hex;    /* the digest whose signatures the sender verified */
  const char *pmt_inf_id;    /* the PmtInf block the payment went into */
} TsyOutboxEntry;

/**
 * tsy_outbox_enqueue:
 * @entries: (array length=n_entries): the payments, each approved and with the digest verified
 *
 * In one transaction: stores the message as pending and moves each payment approved → sent,
 * recording MsgId and PmtInfId. Refuses (and changes nothing) when a payment is no longer
 * approved or its content no longer has @digest_hex. Each sent payment becomes a book entry.
 * Returns: the message's row id, 0 on error.
 */
gint64            tsy_outbox_enqueue      (TsyStore             *store,
                                           gint64                bank_id,
                                           const char           *msg_id,
                                           const char           *format,
                                           GBytes               *document,
                                           const TsyOutboxEntry *entries,
                                           guint                 n_entries,
                                           const char           *actor,
                                           GError              **error);
/* Returns: (transfer full): NOT_FOUND when no such message. */
TsyOutboxMessage *tsy_outbox_lookup       (TsyStore   *store,
                                           const char *msg_id,
                                           GError    **error);
/* Returns: (transfer full) (element-type TsyOutboxMessage): messages of @bank_id (0 = all)
 * whose state is in @states (bits 1 << TsyOutboxState; 0 = all), oldest first. */
GPtrArray        *tsy_outbox_list         (TsyStore   *store,
                                           gint64      bank_id,
                                           guint32     states,
                                           GError    **error);
/* Moves a message from @from to @to (attempts + 1 when @to is SENDING), with @last_error.
 * DENIED when it is not in @from any more (another sender took it). */
gboolean          tsy_outbox_transition   (TsyStore       *store,
                                           const char     *msg_id,
                                           TsyOutboxState  from,
                                           TsyOutboxState  to,
                                           const char     *last_error,
                                           GError        **error);
/* At start: every message left "sending" by a crash becomes "unknown". */
gboolean          tsy_outbox_recover      (TsyStore   *store,
                                           guint      *out_count,
                                           GError    **error);

/* ---- The bank's answers ------------------------------------------------------------------ */

/* A pain.002 (or any status report) as the ledger imports it. Codes are ISO 20022
 * ExternalPaymentTransactionStatus1Code / ExternalPaymentGroupStatus1Code values. */
typedef struct
{
  char *end_to_end_id;
  char *status;          /* ACSC, ACCP, RJCT, ... */
  char *reason;          /* reason code and text, or NULL */
} TsyTxStatus;

typedef struct
{
  char *pmt_inf_id;
  char *status;          /* may be NULL */
  char *reason;
} TsyPmtInfStatus;

typedef struct
{
  char      *msg_id;            /* the report's own MsgId */
  char      *orig_msg_id;       /* the pain.001 it answers */
  char      *group_status;      /* may be NULL */
  char      *group_reason;
  GPtrArray *pmt_infs;          /* (element-type TsyPmtInfStatus) */
  GPtrArray *txs;               /* (element-type TsyTxStatus) */
} TsyStatusReport;

TsyStatusReport  *tsy_status_report_new   (void);
void              tsy_status_report_free  (TsyStatusReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsyStatusReport, tsy_status_report_free)
void              tsy_status_report_add_tx     (TsyStatusReport *report,
                                                const char      *end_to_end_id,
                                                const char      *status,
                                                const char      *reason);
void              tsy_status_report_add_pmt_inf (TsyStatusReport *report,
                                                 const char      *pmt_inf_id,
                                                 const char      *status,
                                                 const char      *reason);

/* Maps an ISO status code to the payment status it means; FALSE when it decides nothing
 * (PART, unknown codes). */
gboolean          tsy_status_code_to_payment (const char       *code,
                                              TsyPaymentStatus *out);

/**
 * tsy_outbox_apply_report:
 * @out_changed: (out) (optional): payments whose status changed
 *
 * Imports a status report of a delivered (or unknown) message: per payment the most specific
 * status (transaction, else its PmtInf, else the group's). Statuses only move forward
 * (sent → accepted → executed; sent/accepted → rejected); repeated and stale reports change
 * nothing. The message becomes delivered, or closed when every payment is final. NOT_FOUND when
 * the report answers no message of ours.
 */
gboolean          tsy_outbox_apply_report (TsyStore              *store,
                                           const TsyStatusReport *report,
                                           const char            *actor,
                                           guint                 *out_changed,
                                           GError               **error);

/**
 * tsy_payment_match_statements:
 *
 * Payments sent or accepted whose end-to-end id appears on a statement line (or a line's
 * detail) of their account, as a debit of their amount, become executed.
 */
gboolean          tsy_payment_match_statements (TsyStore   *store,
                                                const char *actor,
                                                guint      *out_changed,
                                                GError    **error);

G_END_DECLS
