/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ledger/tsy-payment.h"

G_BEGIN_DECLS

/*
 * One payment in the Payments page's table: a read-only GObject over a TsyPaymentInfo, with
 * typed properties for the column sorters ("id", "batch", "amount-minor", ...).
 */

#define TSY_TYPE_PAYMENT_ROW (tsy_payment_row_get_type ())
G_DECLARE_FINAL_TYPE (TsyPaymentRow, tsy_payment_row, TSY, PAYMENT_ROW, GObject)

/* Takes ownership of @info. */
TsyPaymentRow        *tsy_payment_row_new      (TsyPaymentInfo *info);
const TsyPaymentInfo *tsy_payment_row_get_info (TsyPaymentRow  *self);

/* Adds the payment columns (each with its sorter; sorted by id, newest first) to @view. */
void                  tsy_payment_row_add_columns (GtkColumnView *view);

/* The translated name of a status as the window shows it ("Awaiting approval", ...). */
const char           *tsy_payment_status_label (TsyPaymentStatus status);

G_END_DECLS
