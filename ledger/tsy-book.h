/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tsy-date.h"
#include "tsy-store.h"

G_BEGIN_DECLS

/*
 * The book (银行日记账): the company's own record of each bank account, what reconciliation
 * ticks the bank's statement lines against. Entries come from the ERP as CSV
 * (tsy_book_import_file()) or are made by the application itself (payments call
 * tsy_book_add_entry()). An entry's id (ext_id) is the book's own and unique in the whole book;
 * an entry is never changed once written, so a re-import of known ids adds nothing.
 *
 * The opening balance of an account's book is its balance at the start of the opening date,
 * before any entry: entries dated before it are refused. The book balance at a date D is the
 * opening plus every entry dated from the opening date up to and including D.
 *
 * CSV (UTF-8, optional BOM, header row, RFC 4180 quotes; columns by name, in any order; columns
 * not listed here are ignored):
 *   id,account,date,amount,currency,counterparty,counterparty_account,reference,memo
 * id, account, date (YYYY-MM-DD) and amount (signed decimal, receipts positive, '.' decimal
 * point, optional ',' grouping) are required; currency, when given, must be the account's.
 */

typedef struct
{
  const char *ext_id;                 /* the book's id of the entry */
  const char *account;                /* account number */
  TsyDate     date;
  gint64      amount_minor;           /* signed: receipts > 0 */
  const char *currency;               /* NULL: the account's; else must be the account's */
  const char *counterparty;           /* nullable */
  const char *counterparty_account;   /* nullable */
  const char *reference;              /* nullable: invoice, end-to-end id or package number */
  const char *memo;                   /* nullable */
  const char *source;                 /* "import", "payment" or "manual"; NULL = "manual" */
} TsyBookEntrySpec;

typedef struct
{
  guint rows;                         /* data rows read */
  guint new_entries;
  guint present_entries;              /* known ids with the same facts: skipped */
} TsyBookImportResult;

/**
 * tsy_book_import_file:
 * @path: a CSV file
 * @result: (out) (optional): counts
 *
 * Imports a CSV export of the book in one transaction, streaming (memory does not grow with the
 * file). A bad row refuses the whole file: the error names the file, the row (the header is row
 * 1) and the reason, and nothing is written. A known id whose account, date, amount and
 * currency agree is skipped; a known id with other facts is a bad row.
 */
gboolean tsy_book_import_file   (TsyStore            *store,
                                 const char          *path,
                                 TsyBookImportResult *result,
                                 GCancellable        *cancellable,
                                 GError             **error);
/* Same, from a stream; @display_name names it in messages. */
gboolean tsy_book_import_stream (TsyStore            *store,
                                 GInputStream        *stream,
                                 const char          *display_name,
                                 TsyBookImportResult *result,
                                 GCancellable        *cancellable,
                                 GError             **error);

/* Runs tsy_book_import_file() on a worker thread with its own connection (file stores only). */
void     tsy_book_import_file_async  (TsyStore           *store,
                                      const char         *path,
                                      GCancellable       *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer            user_data);
gboolean tsy_book_import_file_finish (TsyStore            *store,
                                      GAsyncResult        *result,
                                      TsyBookImportResult *out_result,
                                      GError             **error);

/**
 * tsy_book_add_entry:
 * @out_new: (out) (optional): FALSE when the id was known with the same facts
 *
 * Adds one entry in the caller's transaction (or its own). This is how payments made in the
 * application become book entries. Returns the entry's row id (also for a known id), 0 on
 * error (DUPLICATE when the id is known with other facts).
 */
gint64   tsy_book_add_entry     (TsyStore               *store,
                                 const TsyBookEntrySpec *spec,
                                 gboolean               *out_new,
                                 GError                **error);

/**
 * tsy_book_set_opening:
 *
 * Sets (or replaces) the opening balance of @account's book at the start of @date. Refused
 * when entries dated before @date exist. Audited as "book.opening".
 */
gboolean tsy_book_set_opening   (TsyStore   *store,
                                 const char *account,
                                 gint64      amount_minor,
                                 TsyDate     date,
                                 const char *actor,
                                 GError    **error);
/* FALSE with NOT_FOUND when the account's book has no opening. */
gboolean tsy_book_get_opening   (TsyStore   *store,
                                 gint64      account_id,
                                 gint64     *out_amount_minor,
                                 TsyDate    *out_date,
                                 GError    **error);
/* Opening (0 when none) + entries dated up to and including @date. */
gboolean tsy_book_balance       (TsyStore   *store,
                                 gint64      account_id,
                                 TsyDate     date,
                                 gint64     *out_minor,
                                 GError    **error);
/* TRUE when the account has an opening or at least one entry. */
gboolean tsy_book_exists        (TsyStore   *store,
                                 gint64      account_id,
                                 gboolean   *out_exists,
                                 GError    **error);

typedef struct
{
  gint64      id;                     /* row id */
  const char *ext_id;
  const char *account;
  TsyDate     date;
  gint64      amount_minor;
  const char *currency;
  const char *counterparty;
  const char *counterparty_account;
  const char *reference;
  const char *memo;
  const char *source;
} TsyBookRow;

typedef gboolean (*TsyBookFunc) (const TsyBookRow *row,
                                 gpointer          user_data);

/* Entries of @account (NULL: all) dated within [@from, @to] (0 = open), by account, date, id. */
gboolean tsy_book_foreach       (TsyStore    *store,
                                 const char  *account,
                                 TsyDate      from,
                                 TsyDate      to,
                                 TsyBookFunc  func,
                                 gpointer     user_data,
                                 GError     **error);

G_END_DECLS
