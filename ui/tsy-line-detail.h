/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ledger/tsy-line-model.h"

G_BEGIN_DECLS

#define TSY_TYPE_LINE_DETAIL (tsy_line_detail_get_type ())
G_DECLARE_FINAL_TYPE (TsyLineDetail, tsy_line_detail, TSY, LINE_DETAIL, GtkWidget)

/*
 * Every field of one statement line, and the raw text it came from in a
 * read-only monospace view. Fields the bank did not send are not shown.
 * A placeholder item (not loaded yet) fills in when its page arrives.
 *
 * Property: "item" (TsyLineItem, nullable).
 */
GtkWidget   *tsy_line_detail_new      (void);
TsyLineItem *tsy_line_detail_get_item (TsyLineDetail *self);
void         tsy_line_detail_set_item (TsyLineDetail *self,
                                       TsyLineItem   *item);
/* The raw source shown (tests). Returns: (transfer full) */
char        *tsy_line_detail_dup_raw_text (TsyLineDetail *self);

G_END_DECLS
