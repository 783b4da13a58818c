/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* U+2212 MINUS SIGN: as wide as a tabular digit, unlike the hyphen. */
#define TSY_MONEY_MINUS_SIGN "\xe2\x88\x92"

/**
 * TsyMoneyFormatFlags:
 * @TSY_MONEY_FORMAT_DEFAULT: "1,234.56", "−0.05"
 * @TSY_MONEY_FORMAT_CODE: prefix the ISO code: "CNY 1,234.56"
 * @TSY_MONEY_FORMAT_PLUS: show "+" on positive amounts (movements)
 */
typedef enum
{
  TSY_MONEY_FORMAT_DEFAULT = 0,
  TSY_MONEY_FORMAT_CODE    = 1 << 0,
  TSY_MONEY_FORMAT_PLUS    = 1 << 1,
} TsyMoneyFormatFlags;

/**
 * TsyNumberSymbols:
 * @decimal_point: the radix character ("." or ",")
 * @thousands_sep: the grouping separator ("," "." or a narrow space)
 * @grouping: POSIX grouping sizes, e.g. "\3" or "\3\2"; the last size repeats
 */
typedef struct
{
  const char *decimal_point;
  const char *thousands_sep;
  const char *grouping;
} TsyNumberSymbols;

/**
 * tsy_number_symbols_get_locale:
 * @out: (out caller-allocates): the symbols of the current LC_NUMERIC locale
 *
 * Falls back to "." and "," grouped by three when the locale has no grouping
 * (the C locale): treasury amounts are always grouped. The strings belong to
 * the C library; use them before the locale changes.
 */
void  tsy_number_symbols_get_locale    (TsyNumberSymbols   *out);

/**
 * tsy_money_format:
 * @minor: the amount in minor units
 * @currency: the ISO 4217 code whose exponent applies (CNY 2, JPY 0, KWD 3)
 * @flags: what to add around the number
 *
 * The one place where amounts become text for display: locale-aware grouping
 * and radix, every minor digit shown, negatives with %TSY_MONEY_MINUS_SIGN.
 * Display it with tabular figures (CSS class "amount"); never parse it back.
 *
 * Returns: (transfer full): the text.
 */
char *tsy_money_format                 (gint64               minor,
                                        const char          *currency,
                                        TsyMoneyFormatFlags  flags);

/* Same with explicit symbols (tests, exports in a fixed style). Returns: (transfer full) */
char *tsy_money_format_with_symbols    (gint64                  minor,
                                        const char             *currency,
                                        TsyMoneyFormatFlags     flags,
                                        const TsyNumberSymbols *symbols);

/**
 * tsy_count_format:
 * @count: a count of things (accounts, lines)
 *
 * Returns: (transfer full): @count grouped like amounts ("1,234").
 */
char *tsy_count_format                 (guint64              count);

G_END_DECLS
