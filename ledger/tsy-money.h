/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* An amount: integer minor units plus an ISO 4217 code. Never a double. */
typedef struct
{
  gint64 minor;
  char   currency[4];
} TsyMoney;

typedef enum
{
  TSY_DECIMAL_POINT,   /* 1234.56  1,234.56 (comma as grouping only when followed by 3 digits) */
  TSY_DECIMAL_COMMA,   /* 1234,56  1.234,56 (SWIFT MT, many European exports) */
} TsyDecimalStyle;

typedef enum
{
  TSY_ROUND_HALF_EVEN,
  TSY_ROUND_HALF_UP,
  TSY_ROUND_TOWARD_ZERO,
} TsyRounding;

/* Fixed scale of stored FX rates: a rate is an integer of 10^-10 units. */
#define TSY_RATE_SCALE_DIGITS 10
#define TSY_RATE_SCALE G_GINT64_CONSTANT (10000000000)

/**
 * tsy_currency_exponent:
 * @code: an ISO 4217 alphabetic code ("CNY")
 *
 * Returns: the number of minor-unit digits (CNY 2, JPY 0, KWD 3), or -1 when
 *   the code is not a known currency.
 */
int         tsy_currency_exponent     (const char *code);
gboolean    tsy_currency_is_known     (const char *code);
/* Checks @code is a known ISO 4217 currency; error names it otherwise. */
gboolean    tsy_currency_check        (const char *code,
                                       GError    **error);

/**
 * tsy_money_parse:
 * @text: decimal text, optional leading '+' or '-', optional grouping
 * @len: length of @text, or -1 when NUL-terminated
 * @currency: ISO code whose exponent applies
 * @style: which character is the decimal separator
 * @out_minor: (out): the amount in minor units
 *
 * Exact parse of decimal text into minor units, no floating point. More
 * fraction digits than the currency allows is an error unless they are zeros
 * ("5.10000" is 5.10 CNY; "5.12345" is refused). Overflow is an error.
 */
gboolean    tsy_money_parse           (const char     *text,
                                       gssize          len,
                                       const char     *currency,
                                       TsyDecimalStyle style,
                                       gint64         *out_minor,
                                       GError        **error);

/**
 * tsy_money_to_decimal:
 *
 * Returns: (transfer full): "1234.56", "-0.05", "100" (JPY): plain decimal
 *   text with a '.' separator and no grouping, for files and JSON.
 */
char       *tsy_money_to_decimal      (gint64      minor,
                                       const char *currency);

/* Same as tsy_money_to_decimal() into a caller buffer of >= 32 bytes. */
void        tsy_money_format_plain    (gint64      minor,
                                       int         exponent,
                                       char       *buf,
                                       gsize       buf_len);

gboolean    tsy_money_add             (gint64      a,
                                       gint64      b,
                                       gint64     *out,
                                       GError    **error);

gboolean    tsy_money_sub             (gint64      a,
                                       gint64      b,
                                       gint64     *out,
                                       GError    **error);

/**
 * tsy_money_rescale:
 * @value: an integer
 * @from_digits: decimal digits of @value's scale
 * @to_digits: decimal digits wanted
 *
 * Changes the scale of an integer amount, rounding with @mode where digits
 * are dropped. Errors on overflow.
 */
gboolean    tsy_money_rescale         (gint64      value,
                                       int         from_digits,
                                       int         to_digits,
                                       TsyRounding mode,
                                       gint64     *out,
                                       GError    **error);

/**
 * tsy_rate_parse:
 * @text: a positive decimal such as "7.1234" (at most 10 fraction digits)
 * @out_rate: (out): the rate in units of 10^-10
 */
gboolean    tsy_rate_parse            (const char *text,
                                       gint64     *out_rate,
                                       GError    **error);
char       *tsy_rate_to_decimal       (gint64      rate);

/**
 * tsy_money_convert:
 * @minor: amount in @from minor units
 * @from: source currency
 * @rate: units of @to per one unit of @from, scaled by %TSY_RATE_SCALE
 * @to: target currency
 * @mode: rounding of the last minor unit of @to (name it at the call site)
 * @out_minor: (out): amount in @to minor units
 *
 * Exact integer conversion (128-bit intermediate), one rounding at the end.
 */
gboolean    tsy_money_convert         (gint64      minor,
                                       const char *from,
                                       gint64      rate,
                                       const char *to,
                                       TsyRounding mode,
                                       gint64     *out_minor,
                                       GError    **error);

/**
 * tsy_money_convert_inverse:
 *
 * Converts with the rate of the opposite pair: @rate is units of @from per
 * one unit of @to, so the amount is divided by it.
 */
gboolean    tsy_money_convert_inverse (gint64      minor,
                                       const char *from,
                                       gint64      rate,
                                       const char *to,
                                       TsyRounding mode,
                                       gint64     *out_minor,
                                       GError    **error);

G_END_DECLS
