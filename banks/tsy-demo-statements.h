/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ledger/tsy-store.h"

G_BEGIN_DECLS

/**
 * tsy_demo_statements_generate:
 * @store: a store filled by tsy_demo_fill()
 * @dir: where to write the files (created when missing)
 * @n_files: (out) (optional): how many files were imported
 * @n_lines: (out) (optional): how many statement lines they held
 *
 * Writes a month of statements of every demo account, in the format its bank uses (ICBC: CSV
 * in GB18030, CCB: CSV in UTF-8, BOC: MT940, CMB: camt.053.001.02, HSBC: camt.053.001.08), whose
 * daily closing balances are the demo's, and imports them through the parsers like any file.
 */
gboolean tsy_demo_statements_generate (TsyStore   *store,
                                       const char *dir,
                                       guint      *n_files,
                                       guint      *n_lines,
                                       GError    **error);

/* The whole demo on a worker thread: tsy_demo_fill(), the statements into @dir, and the book
 * reconciled (tsy_demo_book_fill()). */
void     tsy_demo_load_async          (TsyStore           *store,
                                       const char         *dir,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data);
gboolean tsy_demo_load_finish         (TsyStore           *store,
                                       GAsyncResult       *result,
                                       GError            **error);

G_END_DECLS
