/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ledger/tsy-store.h"

G_BEGIN_DECLS

#define TSY_TYPE_STATEMENTS_PAGE (tsy_statements_page_get_type ())
G_DECLARE_FINAL_TYPE (TsyStatementsPage, tsy_statements_page, TSY, STATEMENTS_PAGE, GtkWidget)

/*
 * The Statements section: the imported bank statement lines in a table that
 * scrolls a million rows (a TsyLineModel, paged on a worker thread), filters
 * by account, booking dates, text and amount, a line's detail with its raw
 * source, and import of statement files by file chooser or drag and drop,
 * with progress and cancel.
 *
 * Properties: "store" (TsyStore), "loading" (read-only: the lines are being
 * queried), "importing" (read-only: files are being imported).
 * Signal "imported" (no arguments) after a file added lines, so that the
 * window can reload what depends on balances.
 */
GtkWidget *tsy_statements_page_new           (void);
TsyStore  *tsy_statements_page_get_store     (TsyStatementsPage *self);
void       tsy_statements_page_set_store     (TsyStatementsPage *self,
                                              TsyStore          *store);
gboolean   tsy_statements_page_get_loading   (TsyStatementsPage *self);
gboolean   tsy_statements_page_get_importing (TsyStatementsPage *self);
/* Imports @files (a GListModel of GFile) one after the other, each all or nothing, on a
 * worker thread; files given while an import runs are queued. */
void       tsy_statements_page_import_files  (TsyStatementsPage *self,
                                              GListModel        *files);
/* Cancels the file being imported (nothing of it stays) and drops the queue. */
void       tsy_statements_page_cancel_import (TsyStatementsPage *self);
/* Queries the lines and the account list again. */
void       tsy_statements_page_reload        (TsyStatementsPage *self);
/* Moves the keyboard focus to the search entry. */
void       tsy_statements_page_focus_search  (TsyStatementsPage *self);

G_END_DECLS
