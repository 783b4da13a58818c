/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ledger/tsy-payment.h"
#include "ledger/tsy-store.h"

G_BEGIN_DECLS

/*
 * Batches in the Payments page: importing a CSV (payroll 代发, supplier runs) and submitting a
 * batch on worker threads with their own connections, and the texts that describe a batch
 * (count and total per currency) and what an approver signs.
 */

typedef struct
{
  gint64     batch_id;
  guint      count;
  GPtrArray *payments;   /* (element-type TsyPaymentInfo): the new batch's payments */
} TsyBatchImport;

void            tsy_batch_import_free          (TsyBatchImport *import);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsyBatchImport, tsy_batch_import_free)

/**
 * tsy_payment_batch_import_async:
 * @store: a file store (the worker opens its own connection)
 * @csv_path: the file (UTF-8 or GB18030), see tsy_payment_import_csv()
 *
 * Checks every row and saves them as drafts of one new batch made by @maker, or nothing: the
 * error names the line and the reason. With @dry_run the ledger's preview runs the same parser
 * and checks in a read transaction: the result shows what would be saved (its batch_id is 0, its
 * payments have no ids) and nothing is written.
 */
void            tsy_payment_batch_import_async  (TsyStore            *store,
                                                 const char          *csv_path,
                                                 TsyBatchKind         kind,
                                                 const char          *maker,
                                                 gboolean             dry_run,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
/* Returns: (transfer full): the new batch, or NULL with @error. */
TsyBatchImport *tsy_payment_batch_import_finish (TsyStore            *store,
                                                 GAsyncResult        *result,
                                                 GError             **error);

/**
 * tsy_payment_batch_submit_async:
 * @ids: (array length=n_ids): drafts to submit, in order
 *
 * Submits each draft as @user (its maker). Stops at the first refusal; the ones before stay
 * submitted (the error says how many).
 */
void            tsy_payment_batch_submit_async  (TsyStore            *store,
                                                 const gint64        *ids,
                                                 guint                n_ids,
                                                 const char          *user,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean        tsy_payment_batch_submit_finish (TsyStore            *store,
                                                 GAsyncResult        *result,
                                                 guint               *out_submitted,
                                                 GError             **error);

/**
 * tsy_payment_totals_text:
 * @payments: (element-type TsyPaymentInfo)
 *
 * The total of @payments per currency, "CNY 1,234.56 · USD 10.00" (currencies in order of
 * first appearance). FALSE with an error when a total overflows.
 * Returns: (transfer full) (nullable)
 */
char           *tsy_payment_totals_text        (GPtrArray  *payments,
                                                GError    **error);

/**
 * tsy_payment_batch_signing_text:
 * @payments: (element-type TsyPaymentInfo): what @user will sign
 *
 * What the approver of a batch signs: the batch, how many payments and their total per
 * currency, then one line per payment (id, creditor, account, amount, digest).
 * Returns: (transfer full)
 */
char           *tsy_payment_batch_signing_text (gint64      batch_id,
                                                GPtrArray  *payments,
                                                const char *user);

/* "Batch 7 imported: 12 payments, total CNY 1,234.56. …" Returns: (transfer full) */
char           *tsy_payment_batch_imported_text (const TsyBatchImport *import);

/* What a dry run found, for the user to confirm: the file, kind, count, total per currency,
 * then one line per payment. Returns: (transfer full) */
char           *tsy_payment_batch_preview_text  (const char           *path,
                                                 TsyBatchKind          kind,
                                                 const TsyBatchImport *preview);

/* The window's side of an import: a file was picked (or dropped) and its batch kind chosen. */
typedef void  (*TsyBatchFileFunc)               (GtkWidget    *widget,
                                                 const char   *path,
                                                 TsyBatchKind  kind);

/* Opens a file chooser (GtkFileChooserNative: CSV files, a choice of batch kind); calls @func
 * on @widget once a file is picked, not when @widget is gone. */
void            tsy_payment_batch_choose_file   (GtkWidget        *widget,
                                                 TsyBatchFileFunc  func);
/* For a GtkDropTarget of GDK_TYPE_FILE_LIST: asks the batch kind of one dropped CSV file, then
 * calls @func. FALSE (nothing asked) when @value is not exactly one .csv file. */
gboolean        tsy_payment_batch_drop          (GtkWidget        *widget,
                                                 const GValue     *value,
                                                 TsyBatchFileFunc  func);
/* Asks to import @path after its dry run (@text from tsy_payment_batch_preview_text()); calls
 * @func on Import. Returns: (transfer none): the dialog, presented. */
GtkWidget      *tsy_payment_batch_confirm       (GtkWidget        *widget,
                                                 const char       *path,
                                                 TsyBatchKind      kind,
                                                 const char       *text,
                                                 TsyBatchFileFunc  func);
/* A refused import: a dialog with the reason (which names the line) and that nothing was saved. */
void            tsy_payment_batch_show_refusal  (GtkWidget        *widget,
                                                 const GError     *error);

G_END_DECLS
