/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "ledger/tsy-recon-statement.h"

G_BEGIN_DECLS

/**
 * tsy_recon_xlsx_write:
 * @statement: a balance reconciliation statement
 * @path: the .xlsx file to write (replaced)
 *
 * Writes the 余额调节表 in its customary layout: the book side on the left (book balance, plus
 * bank credits not in the book, less bank debits not in the book, less bank charges, adjusted
 * balance), the bank side on the right (bank balance, plus book credits not at the bank, less
 * book debits not at the bank, adjusted balance), then the outstanding items of each kind with
 * subtotals. Totals and adjusted balances are formulas (with their values cached). Blocking:
 * call it on a worker thread.
 */
gboolean tsy_recon_xlsx_write (const TsyReconStatement *statement,
                               const char              *path,
                               GError                 **error);

/* The one conversion of money to a double in the program, for spreadsheet cells: exact for
 * |minor| < 2^53, which the test checks. */
double   tsy_xlsx_money_number (gint64 minor,
                                int    exponent);

G_END_DECLS
