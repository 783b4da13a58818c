/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Test hooks of the Payments page (tests/ui/test-payments.c). */

#include "ledger/tsy-payment.h"
#include "tsy-payments-page.h"

G_BEGIN_DECLS

/* Work on worker threads not yet finished (queries, checks, writes, signatures). */
guint       tsy_payments_page_get_pending     (TsyPaymentsPage *self);
/* Number of payments listed. */
guint       tsy_payments_page_get_n_payments  (TsyPaymentsPage *self);
/* Picks the current user by name; FALSE when not listed. */
gboolean    tsy_payments_page_set_user        (TsyPaymentsPage *self,
                                               const char      *name);
/* Opens the new payment form and fills it (as typed: the check runs after a short pause). */
void        tsy_payments_page_fill_form       (TsyPaymentsPage *self,
                                               const char      *from,
                                               const char      *to_name,
                                               const char      *to_account,
                                               const char      *to_bank,
                                               const char      *amount,
                                               const char      *currency,
                                               const char      *date,
                                               const char      *text);
/* The reason shown under the form, or NULL when the form is valid (or not yet checked). */
const char *tsy_payments_page_get_form_error  (TsyPaymentsPage *self);
/* TRUE once the last typed content was checked. */
gboolean    tsy_payments_page_get_form_checked (TsyPaymentsPage *self);
/* Ticks "make it anyway" after a duplicate warning; FALSE when no warning is shown. */
gboolean    tsy_payments_page_confirm_duplicate (TsyPaymentsPage *self);
/* Saves the form as a draft (@submit FALSE) or saves and submits it. */
void        tsy_payments_page_save_form       (TsyPaymentsPage *self,
                                               gboolean         submit);
/* Selects the payment @id in the table; FALSE when not listed. */
gboolean    tsy_payments_page_select          (TsyPaymentsPage *self,
                                               gint64           id);
/* Everything the approver's view shows, one "title: value" a line. Returns: (transfer full) */
char       *tsy_payments_page_get_detail_text (TsyPaymentsPage *self);
/* Approves the selected payment as the current user with @passphrase (as the dialog does). */
void        tsy_payments_page_approve_selected (TsyPaymentsPage *self,
                                                const char      *passphrase);
/* Sends every approved payment (as the Send button does). */
void        tsy_payments_page_send            (TsyPaymentsPage *self);
/* The last message shown in a toast. */
const char *tsy_payments_page_get_last_message (TsyPaymentsPage *self,
                                                gboolean        *is_error);

/* Starts importing @path as a batch made by the current user, as Import Batch and a drop do:
 * a dry run first, then a refusal naming the line, or a dialog asking to import what it found. */
void        tsy_payments_page_import_batch    (TsyPaymentsPage *self,
                                               const char      *path,
                                               TsyBatchKind     kind);
/* What the confirmation dialog of the last dry run states; NULL when none. */
const char *tsy_payments_page_get_batch_preview (TsyPaymentsPage *self);
/* Answers Import in that dialog; FALSE when no dialog is open. */
gboolean    tsy_payments_page_confirm_batch_import (TsyPaymentsPage *self);
/* The batch of the last import that succeeded here; 0 when none. */
gint64      tsy_payments_page_get_last_batch  (TsyPaymentsPage *self);
/* Picks @batch_id in the batch drop-down (0: all); FALSE when it is not listed. */
gboolean    tsy_payments_page_set_batch       (TsyPaymentsPage *self,
                                               gint64           batch_id);
/* Payments in the table (after the batch filter). */
guint       tsy_payments_page_get_n_listed    (TsyPaymentsPage *self);
/* The batch drop-down's current title. */
const char *tsy_payments_page_get_batch_title (TsyPaymentsPage *self);
/* The summary of the batch picked (count, total per currency); NULL when all are shown. */
const char *tsy_payments_page_get_batch_summary (TsyPaymentsPage *self);
/* Submits the drafts of the batch picked (as Submit Batch does). */
void        tsy_payments_page_submit_batch    (TsyPaymentsPage *self);
/* What Approve Batch signs, as its dialog states it. Returns: (transfer full) (nullable) */
char       *tsy_payments_page_get_batch_signing_text (TsyPaymentsPage *self);
/* Signs what that dialog lists with @passphrase (as the dialog does). */
void        tsy_payments_page_approve_batch   (TsyPaymentsPage *self,
                                               const char      *passphrase);

G_END_DECLS
