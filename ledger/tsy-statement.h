/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "tsy-date.h"

G_BEGIN_DECLS

/*
 * Value objects of bank statements, shared by the parsers (banks/formats/)
 * and the importer (ledger/). Parsers stream: they call a TsyStatementSink per
 * statement and per entry, so memory does not grow with the file. Every string
 * pointer is owned by the parser and valid only during the call; NULL = absent.
 */

typedef enum
{
  TSY_STATEMENT_KIND_FINAL,         /* MT940, camt.053, BAI2, OFX, CSV: end of day */
  TSY_STATEMENT_KIND_INTRADAY,      /* MT942, camt.052 */
  TSY_STATEMENT_KIND_NOTIFICATION,  /* camt.054: entries, no balances */
} TsyStatementKind;

typedef struct
{
  const char      *format;          /* "mt940", "mt942", "camt.053.001.02", "bai2", "ofx", "csv" */
  TsyStatementKind kind;
  const char      *account;         /* as the bank wrote it: IBAN, number, "BIC/number" */
  const char      *currency;        /* ISO 4217; NULL when the file does not say */
  const char      *statement_id;    /* :20:, Stmt/Id, BAI2 file id + account, OFX none */
  const char      *sequence;        /* :28C:, ElctrncSeqNb, LglSeqNb */
  TsyDate          from_date;       /* period, when known */
  TsyDate          to_date;
  gboolean         has_opening;
  gint64           opening_minor;   /* signed, in the statement currency */
  TsyDate          opening_date;
  gboolean         has_closing;
  gint64           closing_minor;   /* booked closing (62F/62M, CLBD, BAI2 010, LEDGERBAL) */
  TsyDate          closing_date;
  gboolean         has_available;
  gint64           available_minor; /* 64 / CLAV / AVAILBAL */
  TsyDate          available_date;
  guint            source_line;     /* 1-based line of the statement's start in the file */
} TsyStatementHeader;

/* One transaction detail of a (possibly batched) entry: camt TxDtls. */
typedef struct
{
  gboolean    has_amount;
  gint64      amount_minor;         /* signed like the entry */
  const char *end_to_end_id;
  const char *instruction_id;
  const char *uetr;
  const char *counterparty_name;
  const char *counterparty_account;
  const char *counterparty_bank;
  const char *text;                 /* remittance: Ustrd joined, or Strd CdtrRefInf/Ref */
} TsyEntryDetail;

typedef struct
{
  TsyDate               booking_date;
  TsyDate               value_date;
  gint64                amount_minor;   /* signed: credit (money in) > 0, debit < 0 */
  const char           *currency;       /* NULL: the statement's */
  gboolean              reversal;       /* RC/RD, RvslInd */
  const char           *bank_ref;       /* identity per DESIGN.md; NULL when the bank gave none */
  const char           *customer_ref;   /* MT940 ref before '//', camt InstrId, ... */
  const char           *end_to_end_id;
  const char           *counterparty_name;
  const char           *counterparty_account;
  const char           *counterparty_bank;
  const char           *text;           /* remittance / purpose / 摘要, joined */
  const char           *bank_tx_code;   /* MT940 N-code, camt BkTxCd (Domn/Fmly/SubFmly or Prtry), BAI2 type */
  const char           *raw;            /* the source text of this entry */
  const TsyEntryDetail *details;        /* camt TxDtls, n_details of them */
  guint                 n_details;
  guint                 source_line;    /* 1-based */
} TsyStatementEntry;

typedef struct
{
  /* Called when a statement starts; balances may still be unknown (MT940). */
  gboolean (*begin_statement) (gpointer                  user_data,
                               const TsyStatementHeader *header,
                               GError                  **error);
  gboolean (*entry)           (gpointer                  user_data,
                               const TsyStatementEntry  *entry,
                               GError                  **error);
  /* Called when the statement ends, with the complete header (balances). */
  gboolean (*end_statement)   (gpointer                  user_data,
                               const TsyStatementHeader *header,
                               GError                  **error);
} TsyStatementSink;

G_END_DECLS
