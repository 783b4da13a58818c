/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tsy-store.h"

G_BEGIN_DECLS

/**
 * tsy_demo_book_fill:
 * @store: a store filled by tsy_demo_fill() whose statements are imported
 *   (tsy_demo_statements_generate())
 *
 * Writes the book (银行日记账) of every demo account that has statement lines, as an ERP would
 * have kept it, with every case reconciliation knows: exact references, references written
 * another way, name-only entries (short names, other legal forms), payroll/supplier batches under
 * the line's package number, receipts short of a bank charge, bank-only lines (charges, lines the
 * accountant has not booked), look-alikes (a book-only entry of the same amount and day as a
 * bank-only line, another counterparty) and book-only accruals at month end. The opening balance
 * of each book is the bank's before the first line. Then reconciles, so the demo opens with
 * matches, suggestions and a balanced 余额调节表 for every account. Deterministic (fixed seed).
 * One transaction for the book, one for the run.
 */
gboolean tsy_demo_book_fill (TsyStore *store,
                             GError  **error);

G_END_DECLS
