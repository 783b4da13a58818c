/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tsy-date.h"
#include "tsy-store.h"

G_BEGIN_DECLS

/*
 * Reconciliation: bank statement lines ticked against the book (tsy-book.h), per account.
 *
 * Rules, strongest first; each match records its rule and a score (per mille):
 *   reference       the same end-to-end id / reference on both sides (normalised: case, spaces,
 *                   dashes), equal amounts;
 *   reference-text  a reference of one side found in the other side's text, tolerant of case,
 *                   spaces, dashes and short prefixes (INV-2026-004512 ~ inv2026004512 ~
 *                   "PAYMENT FOR INV 2026 004512"), equal amounts;
 *   batch           one bank line = every book entry carrying the package number (资金打包编号)
 *                   it cites, summing to the line;
 *   instalments     several bank lines citing one book entry's reference, summing to it;
 *   charge          a bank line short of its referenced book entry by at most the currency's
 *                   charge tolerance; the difference is recorded as a bank charge;
 *   counterparty    equal amount, the same counterparty (normalised name, short form, or
 *                   counterparty account) and dates within the account's window (default 5
 *                   days, at most 40), the only candidate on both sides;
 *   manual          made by a user.
 * When two or more candidates are equally good nothing is decided: the items go to the
 * suggestions. Look-alikes (same amount and day, another counterparty, no shared reference) are
 * never matched. Confirmed and manual matches are never undone by a run, nor is a pair a user
 * unmatched ever matched again automatically.
 *
 * Every bank line and book entry of an account is in exactly one of: a match (auto, confirmed
 * or manual), the suggestions, or unmatched. Bank lines dated before the book's opening date
 * belong to the opening balance and take no part.
 *
 * How: per account, the book's references are hashed into an index; every bank line's
 * references and the reference-like windows of its text probe it (and the other way round);
 * groups (batches, instalments) are only ever a whole reference group of bounded size; the
 * counterparty rule is a sort-merge join on (amount, name) and (amount, account) within sorted
 * date windows. Nothing enumerates subsets. Results are written in one transaction, and only
 * where they changed.
 */

typedef enum
{
  TSY_RECON_RULE_REFERENCE,
  TSY_RECON_RULE_REFERENCE_TEXT,
  TSY_RECON_RULE_BATCH,
  TSY_RECON_RULE_INSTALMENTS,
  TSY_RECON_RULE_CHARGE,
  TSY_RECON_RULE_COUNTERPARTY,
  TSY_RECON_RULE_MANUAL,
  TSY_RECON_N_RULES
} TsyReconRule;

typedef enum
{
  TSY_RECON_STATUS_AUTO,         /* found by a run; a later run may revise it */
  TSY_RECON_STATUS_CONFIRMED,    /* a run's match or suggestion accepted by a user */
  TSY_RECON_STATUS_MANUAL,       /* made by a user */
} TsyReconStatus;

typedef enum
{
  TSY_RECON_SIDE_BANK,
  TSY_RECON_SIDE_BOOK,
} TsyReconSide;

/* Stable names used by the CLI, JSON and the database: "reference", …, "manual". */
const char *tsy_recon_rule_to_string   (TsyReconRule   rule);
const char *tsy_recon_status_to_string (TsyReconStatus status);

typedef struct
{
  int    window_days;        /* counterparty rule; -1: the account's setting (default 5) */
  int    ref_window_days;    /* reference rules: how far apart the dates may be; default 62 */
  gint64 charge_tolerance;   /* minor units; -1: the currency's default (CNY 200.00, USD 50.00 …) */
} TsyReconOptions;

void        tsy_recon_options_init (TsyReconOptions *options);

typedef struct
{
  guint accounts;            /* accounts reconciled */
  guint bank_lines;
  guint book_entries;
  guint matched;             /* matches in force after the run */
  guint new_matches;         /* written by this run */
  guint removed;             /* auto matches of an earlier run that no longer hold */
  guint suggested;           /* suggestions */
  guint unmatched_bank;
  guint unmatched_book;
  guint by_rule[TSY_RECON_N_RULES];   /* matches in force by rule */
} TsyReconSummary;

/**
 * tsy_reconcile:
 * @account: (nullable): an account number; %NULL: every account that has a book (an opening
 *   balance or entries)
 * @options: (nullable): %NULL for the defaults
 * @summary: (out) (optional):
 *
 * Runs the matching in one transaction. Blocking: call it on a worker thread (or use
 * tsy_reconcile_async()).
 */
gboolean tsy_reconcile        (TsyStore              *store,
                               const char            *account,
                               const TsyReconOptions *options,
                               TsyReconSummary       *summary,
                               GCancellable          *cancellable,
                               GError               **error);
/* On a worker thread with its own connection (file stores only). */
void     tsy_reconcile_async  (TsyStore              *store,
                               const char            *account,
                               const TsyReconOptions *options,
                               GCancellable          *cancellable,
                               GAsyncReadyCallback    callback,
                               gpointer               user_data);
gboolean tsy_reconcile_finish (TsyStore              *store,
                               GAsyncResult          *result,
                               TsyReconSummary       *summary,
                               GError               **error);

/* The counterparty rule's date window of an account: 0 to 40 days; 5 when never set. */
gboolean tsy_recon_set_window (TsyStore   *store,
                               const char *account,
                               int         days,
                               GError    **error);
gboolean tsy_recon_get_window (TsyStore   *store,
                               gint64      account_id,
                               int        *out_days,
                               GError    **error);

/* ---- Reading: what a view shows ------------------------------------------------------------ */

/* A match in force, or a suggestion. Arrays are valid during the callback only. */
typedef struct
{
  gint64              id;              /* match id (or suggestion id) */
  const char         *account;
  const char         *currency;
  TsyReconStatus      status;          /* suggestions: AUTO */
  TsyReconRule        rule;
  int                 score;           /* per mille: 970 = 0.97 */
  gint64              charge_minor;    /* book - bank (bank charges), 0 when none */
  guint               n_bank;
  const gint64       *bank_line_ids;
  const char * const *bank_refs;       /* as TsyLineRow.bank_ref */
  guint               n_book;
  const gint64       *book_entry_ids;
  const char * const *book_ids;        /* the book's own ids */
  gint64              bank_sum;
  gint64              book_sum;
} TsyReconMatchRow;

typedef gboolean (*TsyReconMatchFunc) (const TsyReconMatchRow *row,
                                       gpointer                user_data);

/* Matches in force of @account (NULL: all accounts) by account and id. */
gboolean tsy_recon_foreach_match      (TsyStore          *store,
                                       const char        *account,
                                       TsyReconMatchFunc  func,
                                       gpointer           user_data,
                                       GError           **error);
/* The suggestions of the last run. An item may be in several. */
gboolean tsy_recon_foreach_suggestion (TsyStore          *store,
                                       const char        *account,
                                       TsyReconMatchFunc  func,
                                       gpointer           user_data,
                                       GError           **error);

typedef struct
{
  TsyReconSide side;
  gint64       id;                     /* line id or entry id */
  const char  *account;
  const char  *ref;                    /* bank_ref or book id */
  TsyDate      date;
  gint64       amount_minor;
  const char  *currency;
  const char  *counterparty;
  const char  *text;                   /* bank text or book memo */
  gboolean     suggested;              /* in at least one suggestion */
} TsyReconItemRow;

typedef gboolean (*TsyReconItemFunc) (const TsyReconItemRow *row,
                                      gpointer               user_data);

/* Items of @side in no match, by account, date and id (those in suggestions too, flagged). */
gboolean tsy_recon_foreach_unmatched  (TsyStore          *store,
                                       const char        *account,
                                       TsyReconSide       side,
                                       TsyReconItemFunc   func,
                                       gpointer           user_data,
                                       GError           **error);

/* ---- Changes by a user: each one transaction, audited ("recon.match", "recon.unmatch") ---- */

/**
 * tsy_recon_match:
 * @account: (nullable): needed only when a bank reference is not unique across accounts
 * @bank_refs: (array zero-terminated=1): bank references (TsyLineRow.bank_ref)
 * @book_ids: (array zero-terminated=1): book ids
 * @actor: who (for the audit trail)
 *
 * Matches the items by hand. They must be of one account and in no confirmed or manual match
 * (an auto match or suggestion they are in gives way). The sums must be equal, or the bank short
 * of the book by at most the charge tolerance (recorded as a charge). When the items are exactly
 * an auto match or a suggestion, that becomes "confirmed" with its rule; else the rule is
 * "manual". Returns the match id, 0 on error.
 */
gint64   tsy_recon_match             (TsyStore           *store,
                                      const char         *account,
                                      const char * const *bank_refs,
                                      const char * const *book_ids,
                                      const char         *actor,
                                      GError            **error);
/**
 * tsy_recon_unmatch:
 * @ref_or_id: a bank reference or a book id
 *
 * Dissolves the match the item is in, whatever its status; its pairs are never matched again
 * automatically. NOT_FOUND when the item is in no match.
 */
gboolean tsy_recon_unmatch           (TsyStore           *store,
                                      const char         *account,
                                      const char         *ref_or_id,
                                      const char         *actor,
                                      GError            **error);
/* Accepts a suggestion (tsy_recon_foreach_suggestion() id): a confirmed match. */
gint64   tsy_recon_accept_suggestion (TsyStore           *store,
                                      gint64              suggestion_id,
                                      const char         *actor,
                                      GError            **error);

/* The same on a worker thread with its own connection, for the window. */
void     tsy_recon_match_async       (TsyStore           *store,
                                      const char         *account,
                                      const char * const *bank_refs,
                                      const char * const *book_ids,
                                      const char         *actor,
                                      GCancellable       *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer            user_data);
/* Returns the match id, 0 on error. */
gint64   tsy_recon_match_finish      (TsyStore           *store,
                                      GAsyncResult       *result,
                                      GError            **error);
void     tsy_recon_unmatch_async     (TsyStore           *store,
                                      const char         *account,
                                      const char         *ref_or_id,
                                      const char         *actor,
                                      GCancellable       *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer            user_data);
gboolean tsy_recon_unmatch_finish    (TsyStore           *store,
                                      GAsyncResult       *result,
                                      GError            **error);

G_END_DECLS
