/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tsy-date.h"
#include "tsy-store.h"

G_BEGIN_DECLS

/*
 * Payment instructions and batches.
 *
 * Lifecycle: draft → submitted → approved → sent → accepted / rejected / executed, or failed.
 * Every transition is one transaction with an audit event (who, when, what). Checks before
 * anything is saved: the account is open and in the payment's currency, the amount is above
 * zero, the account's daily limit holds, the creditor is on the account's whitelist when it has
 * one (约定转账账户), IBAN and BIC are valid, and no recent instruction is an exact duplicate
 * unless the maker confirms it.
 *
 * Approvals: each is a signature (made in banks/tsy-crypto) over the canonical digest of the
 * instruction (every field that moves money). The ledger stores the signature; it refuses an
 * approval by the maker, a second approval by the same person, and an approval whose digest is
 * not the instruction's current one. Content is frozen once submitted (also by a trigger).
 */

typedef enum
{
  TSY_PAYMENT_DRAFT,
  TSY_PAYMENT_SUBMITTED,
  TSY_PAYMENT_APPROVED,
  TSY_PAYMENT_SENT,
  TSY_PAYMENT_ACCEPTED,
  TSY_PAYMENT_REJECTED,
  TSY_PAYMENT_EXECUTED,
  TSY_PAYMENT_FAILED,
} TsyPaymentStatus;

typedef enum
{
  TSY_URGENCY_NORMAL,
  TSY_URGENCY_URGENT,
} TsyUrgency;

typedef enum
{
  TSY_BATCH_SINGLE,
  TSY_BATCH_PAYROLL,     /* 代发 */
  TSY_BATCH_SUPPLIER,
  TSY_BATCH_OTHER,
} TsyBatchKind;

/* "draft", "submitted", ... — stable names of the CLI, JSON and the database. */
const char *tsy_payment_status_to_string   (TsyPaymentStatus status);
gboolean    tsy_payment_status_from_string (const char *text, TsyPaymentStatus *out);
/* TRUE for rejected, executed and failed: nothing more happens to the payment. */
gboolean    tsy_payment_status_is_final    (TsyPaymentStatus status);
const char *tsy_urgency_to_string          (TsyUrgency urgency);
gboolean    tsy_urgency_from_string        (const char *text, TsyUrgency *out);
const char *tsy_batch_kind_to_string       (TsyBatchKind kind);
gboolean    tsy_batch_kind_from_string     (const char *text, TsyBatchKind *out);

/* What a maker enters. Strings may be NULL when optional. */
typedef struct
{
  const char *debtor_account;     /* ours: number or IBAN */
  const char *creditor_name;
  const char *creditor_account;   /* number or IBAN */
  const char *creditor_bic;       /* optional: BIC ... */
  const char *creditor_cnaps;     /* ... or 12-digit CNAPS bank code ... */
  const char *creditor_bank;      /* ... or the bank's name */
  gint64      amount_minor;       /* > 0 */
  const char *currency;
  TsyDate     execution_date;     /* requested execution date */
  const char *remittance;         /* 附言 / remittance information, ≤ 140 characters */
  const char *purpose;            /* ISO 20022 purpose code (SALA, SUPP, ...), optional */
  const char *category;           /* cash-flow category code, optional */
  TsyUrgency  urgency;
  gboolean    confirm_duplicate;  /* the maker saw the duplicate warning and wants it anyway */
} TsyPaymentSpec;

typedef struct
{
  gint64           id;
  gint64           batch_id;            /* 0 = none */
  TsyPaymentStatus status;
  gint64           account_id;
  char            *debtor_account;      /* normalised */
  char            *debtor_name;         /* the paying unit's name */
  char            *org_code;
  gint64           org_id;
  gint64           bank_id;
  char            *bank_code;
  char            *bank_bic;            /* NULL when unknown */
  char            *bank_cnaps;
  char            *creditor_name;
  char            *creditor_account;
  char            *creditor_bic;
  char            *creditor_cnaps;
  char            *creditor_bank;
  gint64           amount_minor;
  char             currency[4];
  TsyDate          execution_date;
  char            *remittance;
  char            *purpose;
  char            *category;
  TsyUrgency       urgency;
  char            *end_to_end_id;
  char            *msg_id;              /* set when sent */
  char            *pmt_inf_id;
  char            *maker;
  gint64           maker_id;
  char            *digest;              /* hex SHA-256 fixed at submission; NULL for drafts */
  guint            approvals;           /* approvals so far */
  guint            required_approvals;  /* 0 while a draft */
  char            *required_role;       /* NULL = none */
  char            *bank_status;         /* last ISO status code from the bank (ACSC, RJCT, ...) */
  char            *status_reason;
  char            *created_at;
  char            *updated_at;
} TsyPaymentInfo;

void            tsy_payment_info_free (TsyPaymentInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsyPaymentInfo, tsy_payment_info_free)

/**
 * tsy_payment_check:
 *
 * Runs every check of tsy_payment_create() without saving: for a form that validates as the
 * user types. DUPLICATE when an exact duplicate exists and @spec does not confirm it.
 */
gboolean        tsy_payment_check     (TsyStore             *store,
                                       const TsyPaymentSpec *spec,
                                       GError              **error);
/**
 * tsy_payment_create:
 * @maker: the user who makes it (role maker or admin)
 *
 * Checks and saves a draft with a new end-to-end id, in its own transaction (audited).
 * Returns: its id, 0 on error.
 */
gint64          tsy_payment_create    (TsyStore             *store,
                                       const TsyPaymentSpec *spec,
                                       const char           *maker,
                                       GError              **error);
/**
 * tsy_payment_create_batch:
 * @specs: (array length=n_specs): the instructions
 *
 * Checks and saves all of them as drafts of one new batch, or nothing (the error names the
 * row, 1-based). Limits and duplicates count the batch's own rows too.
 * Returns: the batch id, 0 on error.
 */
gint64          tsy_payment_create_batch (TsyStore             *store,
                                          TsyBatchKind          kind,
                                          const char           *name,
                                          const TsyPaymentSpec *specs,
                                          guint                 n_specs,
                                          const char           *maker,
                                          GError              **error);
/**
 * tsy_payment_import_csv:
 * @path: a UTF-8 (or GB18030) CSV file with a header row naming the columns
 *   `from,to_name,to_account,amount,currency,date` and optionally
 *   `to_bic,to_cnaps,to_bank,text,purpose,category,urgency`
 * @confirm_duplicates: accept rows that duplicate recent instructions
 *
 * One batch, all or nothing; a bad row refuses the file with its line and reason.
 * Returns: the batch id, 0 on error.
 */
gint64          tsy_payment_import_csv (TsyStore     *store,
                                        const char   *path,
                                        TsyBatchKind  kind,
                                        gboolean      confirm_duplicates,
                                        const char   *maker,
                                        guint        *out_count,
                                        GError      **error);

/* One row of a payment file as the import would save it. */
typedef struct
{
  guint       line;               /* the file's line where the row starts (1 = the header) */
  char       *debtor_account;     /* normalised, as saved */
  char       *creditor_name;
  char       *creditor_account;   /* normalised, as saved */
  char       *creditor_bic;       /* upper case; NULL when absent */
  char       *creditor_cnaps;     /* NULL when absent */
  char       *creditor_bank;      /* NULL when absent */
  gint64      amount_minor;
  char        currency[4];
  TsyDate     execution_date;
  char       *remittance;         /* NULL when absent */
  char       *purpose;            /* NULL when absent */
  char       *category;           /* NULL when absent */
  TsyUrgency  urgency;
} TsyPaymentPreviewRow;

/* The count and sum of a file's rows in one currency. */
typedef struct
{
  char    currency[4];
  guint   count;
  gint64  total_minor;
} TsyPaymentPreviewTotal;

typedef struct
{
  char      *file;            /* the file's base name */
  GPtrArray *rows;            /* (element-type TsyPaymentPreviewRow): rows that passed, in order */
  GArray    *totals;          /* (element-type TsyPaymentPreviewTotal): per currency, in order of
                               * first appearance; only of @rows */
  /* The first refusal, or all NULL/0 when the file would import. */
  guint      refusal_line;    /* its line; 0 when it concerns the whole file (or the maker) */
  char      *refusal_reason;  /* the reason alone */
  GError    *refusal;         /* the error the import gives: "FILE, line N: reason", its code */
} TsyPaymentPreview;

void            tsy_payment_preview_free (TsyPaymentPreview *preview);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsyPaymentPreview, tsy_payment_preview_free)

/**
 * tsy_payment_preview_csv:
 * @path: a payment file as for tsy_payment_import_csv()
 * @maker: (nullable): the user who would import it (role maker or admin); %NULL skips that check
 *
 * The dry run of tsy_payment_import_csv(): the same parser and the same checks of every row
 * (against the database and the file's rows before it), in a read transaction; nothing is
 * written and the write lock is never taken. A refusal is part of the preview, not an error.
 *
 * Returns: (transfer full): the preview, or %NULL with @error when the database cannot be read.
 */
TsyPaymentPreview *tsy_payment_preview_csv (TsyStore   *store,
                                            const char *path,
                                            gboolean    confirm_duplicates,
                                            const char *maker,
                                            GError    **error);

/* Returns: (transfer full): the payment, or %NULL with NOT_FOUND. */
TsyPaymentInfo *tsy_payment_lookup    (TsyStore   *store,
                                       gint64      id,
                                       GError    **error);
/* Returns: (transfer full): the payment with this end-to-end id. */
TsyPaymentInfo *tsy_payment_lookup_e2e (TsyStore   *store,
                                        const char *end_to_end_id,
                                        GError    **error);

typedef struct
{
  guint32     statuses;    /* bit (1 << TsyPaymentStatus); 0 = all */
  gint64      batch_id;    /* 0 = all */
  gint64      bank_id;     /* 0 = all */
  gint64      message_id;  /* 0 = all */
} TsyPaymentFilter;

/* Returns: (transfer full) (element-type TsyPaymentInfo): payments by id. */
GPtrArray      *tsy_payment_list      (TsyStore               *store,
                                       const TsyPaymentFilter *filter,
                                       GError                **error);
/* Ids of a batch's payments, in order. Returns: (transfer full) (element-type gint64) */
GArray         *tsy_payment_batch_ids (TsyStore   *store,
                                       gint64      batch_id,
                                       GError    **error);

/* Whitelist (约定转账账户): once an account has one, payments from it go only to its entries. */
gboolean        tsy_whitelist_add     (TsyStore   *store,
                                       const char *account,
                                       const char *creditor_account,
                                       const char *creditor_name,
                                       const char *actor,
                                       GError    **error);
/* Returns: (transfer full) (element-type utf8): creditor accounts of @account's whitelist. */
GPtrArray      *tsy_whitelist_list    (TsyStore   *store,
                                       const char *account,
                                       GError    **error);

/* ---- Canonical digest ---------------------------------------------------------------- */

/**
 * tsy_payment_canonical:
 *
 * The canonical text of every field that moves money, in a fixed order with length-prefixed
 * values ("tsy-payment-1" …): end-to-end id, debtor account and bank, creditor name, account,
 * BIC, CNAPS and bank, amount in minor units, currency, execution date, urgency, remittance
 * and purpose. Category and internal state are not part of it.
 *
 * Returns: (transfer full): the bytes that are hashed.
 */
GBytes         *tsy_payment_canonical (const TsyPaymentInfo *info);
/* Returns: (transfer full): hex SHA-256 of tsy_payment_canonical(). */
char           *tsy_payment_digest_hex (const TsyPaymentInfo *info);
/* The 32 raw bytes of the digest into @out. */
void            tsy_payment_digest     (const TsyPaymentInfo *info,
                                        guint8                out[32]);

/* ---- Lifecycle -------------------------------------------------------------------------- */

/* draft → submitted, by its maker: re-checks, resolves the approval band, fixes the digest. */
gboolean        tsy_payment_submit    (TsyStore   *store,
                                       gint64      id,
                                       const char *user,
                                       GError    **error);
/**
 * tsy_payment_approve:
 * @digest_hex: the digest the approver signed (must be the payment's current one)
 * @signature: the DER ECDSA signature over the 32 digest bytes, made with @user's key
 * @out_status: (out) (optional): the status afterwards (submitted or approved)
 *
 * Records one approval. DENIED for the maker, for a second approval by the same user, for a
 * user without the approver or admin role; INVALID when @digest_hex is not the payment's.
 * The payment becomes approved when the band's count (and role) is reached.
 */
gboolean        tsy_payment_approve   (TsyStore         *store,
                                       gint64            id,
                                       const char       *user,
                                       const char       *digest_hex,
                                       GBytes           *signature,
                                       TsyPaymentStatus *out_status,
                                       GError          **error);
/* draft/submitted → rejected, by an approver/admin, or by its maker (withdrawal). */
gboolean        tsy_payment_reject    (TsyStore   *store,
                                       gint64      id,
                                       const char *user,
                                       const char *reason,
                                       GError    **error);

/* One stored approval, for the check before sending. */
typedef struct
{
  char   *user;
  GBytes *public_key;   /* the approver's DER public key */
  char   *key_id;
  char   *digest;       /* hex digest signed */
  GBytes *signature;
  char   *at;
} TsyApprovalInfo;

void            tsy_approval_info_free (TsyApprovalInfo *info);
/* Returns: (transfer full) (element-type TsyApprovalInfo): approvals of @id, oldest first. */
GPtrArray      *tsy_payment_approvals  (TsyStore   *store,
                                        gint64      id,
                                        GError    **error);

/* approved → failed (e.g. a signature does not verify: the content changed after approval). */
gboolean        tsy_payment_fail      (TsyStore   *store,
                                       gint64      id,
                                       const char *actor,
                                       const char *reason,
                                       GError    **error);

G_END_DECLS
