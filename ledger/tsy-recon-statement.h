/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tsy-date.h"
#include "tsy-reconcile.h"
#include "tsy-store.h"

G_BEGIN_DECLS

/*
 * The balance reconciliation statement (银行存款余额调节表) of an account at a date D.
 *
 * An item dated on or before D (and not before the book's opening date) is reconciled at D when
 * it is in a match all of whose items, on both sides, are dated on or before D; otherwise it is
 * outstanding on its side:
 *   bank credits not in book   银收企未收      book credits not at bank   企收银未收
 *   bank debits not in book    银付企未付      book debits not at bank    企付银未付
 * Reconciled matches whose sides differ by a bank charge list the charge, as the signed amount it
 * adds to the book (bank - book, so a charge of 15.00 is -15.00).
 *
 *   adjusted bank balance = bank balance + Σ book-only items (signed)
 *   adjusted book balance = book balance + Σ bank-only items (signed) + Σ charges
 *
 * The bank balance is the account's balance at D as the bank reported it: the latest balance
 * on or before D plus the lines booked after it up to D (a monthly statement states balances at
 * its ends only); the book balance is tsy_book_balance(). Balanced when the two adjusted balances
 * are equal.
 */

typedef struct
{
  TsyReconSide side;
  gint64       id;               /* line or entry id */
  char        *ref;              /* bank reference or book id */
  TsyDate      date;
  gint64       amount_minor;     /* signed as on its side */
  char        *counterparty;
  char        *text;             /* bank text or book memo */
} TsyReconStatementItem;

typedef struct
{
  gint64       match_id;
  char        *bank_refs;        /* comma-separated */
  char        *book_ids;
  TsyDate      date;             /* the latest date of the match */
  gint64       amount_minor;     /* bank - book (negative for a charge) */
} TsyReconStatementCharge;

typedef struct
{
  char      *account;
  char      *account_name;
  char      *bank_name;
  char       currency[4];
  TsyDate    date;
  gboolean   has_bank_balance;
  gint64     bank_balance;
  TsyDate    bank_balance_date;
  gint64     book_balance;
  GPtrArray *bank_credits_not_in_book;   /* (element-type TsyReconStatementItem) */
  GPtrArray *bank_debits_not_in_book;
  GPtrArray *book_credits_not_at_bank;
  GPtrArray *book_debits_not_at_bank;
  GPtrArray *charges;                    /* (element-type TsyReconStatementCharge) */
  gint64     adjusted_bank_balance;
  gint64     adjusted_book_balance;
  gboolean   balanced;
} TsyReconStatement;

void               tsy_recon_statement_free   (TsyReconStatement *statement);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsyReconStatement, tsy_recon_statement_free)

/* Sums of the four lists and of the charges. */
gint64             tsy_recon_statement_total  (GPtrArray *items);
gint64             tsy_recon_statement_charges_total (const TsyReconStatement *statement);

/**
 * tsy_recon_statement_build:
 *
 * Returns: (transfer full): the statement of @account at @date, or %NULL with @error.
 * Blocking; see tsy_recon_statement_build_async().
 */
TsyReconStatement *tsy_recon_statement_build  (TsyStore    *store,
                                               const char  *account,
                                               TsyDate      date,
                                               GError     **error);
void               tsy_recon_statement_build_async  (TsyStore           *store,
                                                     const char         *account,
                                                     TsyDate             date,
                                                     GCancellable       *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer            user_data);
TsyReconStatement *tsy_recon_statement_build_finish (TsyStore           *store,
                                                     GAsyncResult       *result,
                                                     GError            **error);

G_END_DECLS
