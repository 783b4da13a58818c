/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Company names and references as reconciliation compares them.
 *
 * A name is normalised so that the forms a bank and a book write for the same company agree:
 * full-width letters, digits and brackets become ASCII; ASCII is upper-cased; spaces and
 * punctuation go; "(股份)" goes, other brackets lose only the bracket characters; legal-form
 * suffixes go (股份有限公司, 有限责任公司, 有限公司, 股份公司, 公司; CO LTD, LIMITED, INC, CORP,
 * LLC, PLC, GMBH, COMPANY as trailing words); a leading province, municipality or city
 * (广东省, 深圳市, 上海, 中国, …) goes when something remains.
 *   "深圳市南山精密机械有限公司" → "南山精密机械"    "ACME Trading Co., Ltd." → "ACMETRADING"
 */

/* Returns: (transfer full): the normalised name, "" when nothing is left (or @name is NULL). */
char     *tsy_name_normalize     (const char *name);
/* Same, and the leading place(s) it removed ("广东省深圳市"; "" when none) in @out_place:
 * two names whose places are both known and differ are not the same company. */
char     *tsy_name_normalize_full (const char *name,
                                   char      **out_place);

/*
 * TRUE when one normalised name is the other's short form: the shorter is a prefix of the longer
 * and has at least 4 characters (CJK) or 6 (ASCII). Equal names are short forms of each other.
 */
gboolean  tsy_name_is_short_form (const char *a,
                                  const char *b);

/* Length in bytes of the prefix of a normalised name that short forms must share: its first 4
 * characters when it starts with a non-ASCII one, else its first 6 (the whole name when
 * shorter). */
gsize     tsy_name_prefix_len    (const char *normalized);

/* A reference as compared: ASCII letters and digits only, upper-cased (full-width folded).
 * "inv-2026/004512" → "INV2026004512". Returns: (transfer full) */
char     *tsy_ref_normalize      (const char *ref);

G_END_DECLS
