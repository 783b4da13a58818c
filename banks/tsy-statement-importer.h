/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "banks/formats/tsy-statement-format.h"
#include "ledger/tsy-statement-import.h"
#include "ledger/tsy-store.h"

G_BEGIN_DECLS

/*
 * Reads a statement file with its parser into a ledger import: one transaction per file, all
 * or nothing. The parser never sees the database; the ledger never sees the bytes.
 */
typedef struct
{
  TsyStatementFormat format;     /* UNKNOWN: detect from the content */
  const char        *profile;    /* CSV column profile file, or NULL */
  const char        *account;    /* account for statements that name none, or NULL */
} TsyImportOptions;

gboolean         tsy_statement_import_file        (TsyStore               *store,
                                                   const char             *path,
                                                   const TsyImportOptions *options,
                                                   TsyImportResult        *result,
                                                   GCancellable           *cancellable,
                                                   GError                **error);

/* Same on a worker thread with its own connection. @progress (nullable) is called on the
 * calling thread's main context with the part of the file read, in thousandths. */
typedef void (*TsyImportProgressFunc) (guint permille, gpointer user_data);

void             tsy_statement_import_file_async  (TsyStore               *store,
                                                   const char             *path,
                                                   const TsyImportOptions *options,
                                                   TsyImportProgressFunc   progress,
                                                   gpointer                progress_data,
                                                   GCancellable           *cancellable,
                                                   GAsyncReadyCallback     callback,
                                                   gpointer                user_data);
/* Returns: (transfer full): the result (free with tsy_import_result_clear() + g_free()), or NULL */
TsyImportResult *tsy_statement_import_file_finish (TsyStore               *store,
                                                   GAsyncResult           *result,
                                                   GError                **error);

G_END_DECLS
