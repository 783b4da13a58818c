/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ledger/tsy-statement-import.h"
#include "ledger/tsy-store.h"

G_BEGIN_DECLS

#define TSY_TYPE_IMPORT_QUEUE (tsy_import_queue_get_type ())
G_DECLARE_FINAL_TYPE (TsyImportQueue, tsy_import_queue, TSY, IMPORT_QUEUE, GObject)

/*
 * Statement files imported one after the other into "store", each all or nothing on a worker
 * thread (tsy_statement_import_file_async), the format read from the content. Files added while
 * one is being imported wait their turn. What a view shows of it:
 *
 * Properties (read-only unless said): "store" (TsyStore, read-write), "importing" (boolean),
 * "fraction" (double 0…1: the files done plus the part read of the current one), "status"
 * (string: which file, and how many).
 *
 * Signals: "file-imported" (GFile *file, gpointer result: the TsyImportResult, valid during the
 * emission), "file-failed" (GFile *file, GError *error: not for a cancel), "cancelled" (GFile
 * *file: the file whose import was cancelled; nothing of it is kept), and "finished" (no
 * arguments) when the queue is empty again, after a cancel too.
 */
TsyImportQueue *tsy_import_queue_new           (void);
TsyStore       *tsy_import_queue_get_store     (TsyImportQueue  *self);
/* Another store cancels what is under way. */
void            tsy_import_queue_set_store     (TsyImportQueue  *self,
                                                TsyStore        *store);
gboolean        tsy_import_queue_get_importing (TsyImportQueue  *self);
double          tsy_import_queue_get_fraction  (TsyImportQueue  *self);
const char     *tsy_import_queue_get_status    (TsyImportQueue  *self);
/* Queues @files (a GListModel of GFile). */
void            tsy_import_queue_add_files     (TsyImportQueue  *self,
                                                GListModel      *files);
/* Same, with the account (number) for statements that name none or another, and a CSV column
 * profile (a file; the files are then read as CSV). Both nullable, as in TsyImportOptions. */
void            tsy_import_queue_add_files_with_options (TsyImportQueue *self,
                                                         GListModel     *files,
                                                         const char     *account,
                                                         const char     *profile);
/* Cancels the file being imported and drops the files waiting. */
void            tsy_import_queue_cancel        (TsyImportQueue  *self);

/* "bank.sta: MT940, 3 statements, 120 new lines, 0 already present", translated.
 * Returns: (transfer full) */
char           *tsy_import_queue_describe      (const char            *name,
                                                const TsyImportResult *result);

G_END_DECLS
