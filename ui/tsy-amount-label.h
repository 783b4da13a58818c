/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TSY_TYPE_AMOUNT_LABEL (tsy_amount_label_get_type ())
G_DECLARE_FINAL_TYPE (TsyAmountLabel, tsy_amount_label, TSY, AMOUNT_LABEL, GtkWidget)

/*
 * A right-aligned amount for dense table cells: formatted by tsy-money-format,
 * tabular figures, CSS class "negative" (with a minus sign) below zero and
 * "missing" with an em dash when there is no amount.
 *
 * Properties: "minor" (int64), "currency" (string), "has-amount" (boolean),
 * "show-code" (boolean: prefix the ISO code), "missing-tooltip" (string).
 */
GtkWidget  *tsy_amount_label_new            (void);
void        tsy_amount_label_set_amount     (TsyAmountLabel *self,
                                             gint64          minor,
                                             const char     *currency);
void        tsy_amount_label_clear          (TsyAmountLabel *self);
gint64      tsy_amount_label_get_minor      (TsyAmountLabel *self);
void        tsy_amount_label_set_minor      (TsyAmountLabel *self,
                                             gint64          minor);
const char *tsy_amount_label_get_currency   (TsyAmountLabel *self);
void        tsy_amount_label_set_currency   (TsyAmountLabel *self,
                                             const char     *currency);
gboolean    tsy_amount_label_get_has_amount (TsyAmountLabel *self);
void        tsy_amount_label_set_has_amount (TsyAmountLabel *self,
                                             gboolean        has_amount);
/* Tooltip of the em dash shown without an amount; %NULL shows nothing at all. */
void        tsy_amount_label_set_missing_tooltip (TsyAmountLabel *self,
                                                  const char     *tooltip);
/* The displayed text (tests). */
const char *tsy_amount_label_get_text       (TsyAmountLabel *self);

G_END_DECLS
