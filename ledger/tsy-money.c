/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsy-ledger-error.h"
#include "tsy-money.h"

/* ISO 4217 alphabetic codes and their minor-unit exponents, sorted by code.
 * The one table of exponents in the program. */
static const struct
{
  char code[4];
  gint8 exponent;
} currencies[] = {
  { "AED", 2 }, { "AFN", 2 }, { "ALL", 2 }, { "AMD", 2 }, { "ANG", 2 }, { "AOA", 2 },
  { "ARS", 2 }, { "AUD", 2 }, { "AWG", 2 }, { "AZN", 2 }, { "BAM", 2 }, { "BBD", 2 },
  { "BDT", 2 }, { "BGN", 2 }, { "BHD", 3 }, { "BIF", 0 }, { "BMD", 2 }, { "BND", 2 },
  { "BOB", 2 }, { "BRL", 2 }, { "BSD", 2 }, { "BTN", 2 }, { "BWP", 2 }, { "BYN", 2 },
  { "BZD", 2 }, { "CAD", 2 }, { "CDF", 2 }, { "CHF", 2 }, { "CLF", 4 }, { "CLP", 0 },
  { "CNH", 2 }, { "CNY", 2 }, { "COP", 2 }, { "CRC", 2 }, { "CUP", 2 }, { "CVE", 2 },
  { "CZK", 2 },
  /* Deutsche Mark: withdrawn in 2002, still found in archived MT940 statements */
  { "DEM", 2 },
  { "DJF", 0 }, { "DKK", 2 }, { "DOP", 2 }, { "DZD", 2 }, { "EGP", 2 },
  { "ERN", 2 }, { "ETB", 2 }, { "EUR", 2 }, { "FJD", 2 }, { "FKP", 2 }, { "GBP", 2 },
  { "GEL", 2 }, { "GHS", 2 }, { "GIP", 2 }, { "GMD", 2 }, { "GNF", 0 }, { "GTQ", 2 },
  { "GYD", 2 }, { "HKD", 2 }, { "HNL", 2 }, { "HTG", 2 }, { "HUF", 2 }, { "IDR", 2 },
  { "ILS", 2 }, { "INR", 2 }, { "IQD", 3 }, { "IRR", 2 }, { "ISK", 0 }, { "JMD", 2 },
  { "JOD", 3 }, { "JPY", 0 }, { "KES", 2 }, { "KGS", 2 }, { "KHR", 2 }, { "KMF", 0 },
  { "KPW", 2 }, { "KRW", 0 }, { "KWD", 3 }, { "KYD", 2 }, { "KZT", 2 }, { "LAK", 2 },
  { "LBP", 2 }, { "LKR", 2 }, { "LRD", 2 }, { "LSL", 2 }, { "LYD", 3 }, { "MAD", 2 },
  { "MDL", 2 }, { "MGA", 2 }, { "MKD", 2 }, { "MMK", 2 }, { "MNT", 2 }, { "MOP", 2 },
  { "MRU", 2 }, { "MUR", 2 }, { "MVR", 2 }, { "MWK", 2 }, { "MXN", 2 }, { "MYR", 2 },
  { "MZN", 2 }, { "NAD", 2 }, { "NGN", 2 }, { "NIO", 2 }, { "NOK", 2 }, { "NPR", 2 },
  { "NZD", 2 }, { "OMR", 3 }, { "PAB", 2 }, { "PEN", 2 }, { "PGK", 2 }, { "PHP", 2 },
  { "PKR", 2 }, { "PLN", 2 }, { "PYG", 0 }, { "QAR", 2 }, { "RON", 2 }, { "RSD", 2 },
  { "RUB", 2 }, { "RWF", 0 }, { "SAR", 2 }, { "SBD", 2 }, { "SCR", 2 }, { "SDG", 2 },
  { "SEK", 2 }, { "SGD", 2 }, { "SHP", 2 }, { "SLE", 2 }, { "SOS", 2 }, { "SRD", 2 },
  { "SSP", 2 }, { "STN", 2 }, { "SVC", 2 }, { "SYP", 2 }, { "SZL", 2 }, { "THB", 2 },
  { "TJS", 2 }, { "TMT", 2 }, { "TND", 3 }, { "TOP", 2 }, { "TRY", 2 }, { "TTD", 2 },
  { "TWD", 2 }, { "TZS", 2 }, { "UAH", 2 }, { "UGX", 0 }, { "USD", 2 }, { "UYI", 0 },
  { "UYU", 2 }, { "UZS", 2 }, { "VES", 2 }, { "VND", 0 }, { "VUV", 0 }, { "WST", 2 },
  { "XAF", 0 }, { "XCD", 2 }, { "XOF", 0 }, { "XPF", 0 }, { "YER", 2 }, { "ZAR", 2 },
  { "ZMW", 2 }, { "ZWL", 2 },
};

static const gint64 pow10_table[19] = {
  G_GINT64_CONSTANT (1), G_GINT64_CONSTANT (10), G_GINT64_CONSTANT (100),
  G_GINT64_CONSTANT (1000), G_GINT64_CONSTANT (10000), G_GINT64_CONSTANT (100000),
  G_GINT64_CONSTANT (1000000), G_GINT64_CONSTANT (10000000), G_GINT64_CONSTANT (100000000),
  G_GINT64_CONSTANT (1000000000), G_GINT64_CONSTANT (10000000000),
  G_GINT64_CONSTANT (100000000000), G_GINT64_CONSTANT (1000000000000),
  G_GINT64_CONSTANT (10000000000000), G_GINT64_CONSTANT (100000000000000),
  G_GINT64_CONSTANT (1000000000000000), G_GINT64_CONSTANT (10000000000000000),
  G_GINT64_CONSTANT (100000000000000000), G_GINT64_CONSTANT (1000000000000000000),
};

int
tsy_currency_exponent (const char *code)
{
  gsize lo = 0, hi = G_N_ELEMENTS (currencies);

  if (code == NULL || strlen (code) != 3)
    return -1;
  while (lo < hi)
    {
      gsize mid = (lo + hi) / 2;
      int c = memcmp (code, currencies[mid].code, 3);
      if (c == 0)
        return currencies[mid].exponent;
      if (c < 0)
        hi = mid;
      else
        lo = mid + 1;
    }
  return -1;
}

gboolean
tsy_currency_is_known (const char *code)
{
  return tsy_currency_exponent (code) >= 0;
}

gboolean
tsy_currency_check (const char *code,
                    GError    **error)
{
  if (tsy_currency_is_known (code))
    return TRUE;
  g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
               _("“%s” is not an ISO 4217 currency code"), code ? code : "");
  return FALSE;
}

/* At most 64 bytes of @text for a message, cut on a character boundary and valid UTF-8. */
static char *
excerpt (const char *text,
         gsize       len)
{
  g_autofree char *raw = g_strndup (text, MIN (len, 64));

  return g_utf8_make_valid (raw, -1);
}

static gboolean
set_bad_amount (GError     **error,
                const char  *text,
                gsize        len)
{
  g_autofree char *copy = excerpt (text, len);

  g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
               _("“%s” is not a valid amount"), copy);
  return FALSE;
}

static gboolean
set_overflow (GError **error)
{
  g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_OVERFLOW,
               "%s", _("The amount is too large"));
  return FALSE;
}

gboolean
tsy_money_parse (const char     *text,
                 gssize          len,
                 const char     *currency,
                 TsyDecimalStyle style,
                 gint64         *out_minor,
                 GError        **error)
{
  const char decimal = style == TSY_DECIMAL_COMMA ? ',' : '.';
  const char group = style == TSY_DECIMAL_COMMA ? '.' : ',';
  int exponent = tsy_currency_exponent (currency);
  gsize n, i = 0, end;
  gboolean negative = FALSE;
  gboolean seen_digit = FALSE;
  gboolean seen_group = FALSE;
  gint64 value = 0;
  int frac_digits = 0;
  int digits_since_group = 0;

  g_return_val_if_fail (out_minor != NULL, FALSE);

  if (exponent < 0)
    return tsy_currency_check (currency, error);
  if (text == NULL)
    return set_bad_amount (error, "", 0);

  n = len < 0 ? strlen (text) : (gsize) len;
  end = n;
  while (i < end && g_ascii_isspace (text[i]))
    i++;
  while (end > i && g_ascii_isspace (text[end - 1]))
    end--;

  if (i < end && (text[i] == '-' || text[i] == '+'))
    {
      negative = text[i] == '-';
      i++;
    }

  /* Integer part, with optional grouping characters each followed by three digits. */
  for (; i < end; i++)
    {
      char c = text[i];
      if (c >= '0' && c <= '9')
        {
          if (__builtin_mul_overflow (value, 10, &value) ||
              __builtin_add_overflow (value, c - '0', &value))
            return set_overflow (error);
          seen_digit = TRUE;
          digits_since_group++;
        }
      else if (c == group || (style == TSY_DECIMAL_COMMA && c == ' ') || c == '\'')
        {
          if (!seen_digit || (seen_group && digits_since_group != 3) ||
              (!seen_group && digits_since_group > 3))
            return set_bad_amount (error, text, n);
          seen_group = TRUE;
          digits_since_group = 0;
        }
      else
        break;
    }
  if (seen_group && digits_since_group != 3)
    return set_bad_amount (error, text, n);

  if (i < end && text[i] == decimal)
    {
      i++;
      for (; i < end; i++)
        {
          char c = text[i];
          if (c < '0' || c > '9')
            return set_bad_amount (error, text, n);
          seen_digit = TRUE;
          if (frac_digits < exponent)
            {
              if (__builtin_mul_overflow (value, 10, &value) ||
                  __builtin_add_overflow (value, c - '0', &value))
                return set_overflow (error);
              frac_digits++;
            }
          else if (c != '0')
            {
              g_autofree char *copy = excerpt (text, n);
              g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                           /* Translators: %1$s an amount, %2$s a currency code, %3$d a count */
                           _("“%1$s” has more decimals than %2$s allows (%3$d)"),
                           copy, currency, exponent);
              return FALSE;
            }
        }
    }
  if (i != end || !seen_digit)
    return set_bad_amount (error, text, n);

  for (; frac_digits < exponent; frac_digits++)
    if (__builtin_mul_overflow (value, 10, &value))
      return set_overflow (error);

  *out_minor = negative ? -value : value;
  return TRUE;
}

void
tsy_money_format_plain (gint64 minor,
                        int    exponent,
                        char  *buf,
                        gsize  buf_len)
{
  char digits[32];
  guint64 mag;
  int nd = 0;
  gsize o = 0;

  g_assert (buf_len >= 32);
  g_assert (exponent >= 0 && exponent <= 18);

  mag = minor < 0 ? (guint64) 0 - (guint64) minor : (guint64) minor;
  do
    {
      digits[nd++] = '0' + (char) (mag % 10);
      mag /= 10;
    }
  while (mag > 0);
  while (nd <= exponent)
    digits[nd++] = '0';

  if (minor < 0)
    buf[o++] = '-';
  for (int k = nd - 1; k >= 0; k--)
    {
      buf[o++] = digits[k];
      if (k == exponent && exponent > 0)
        buf[o++] = '.';
    }
  buf[o] = '\0';
}

char *
tsy_money_to_decimal (gint64      minor,
                      const char *currency)
{
  char buf[32];
  int exponent = tsy_currency_exponent (currency);

  g_return_val_if_fail (exponent >= 0, NULL);
  tsy_money_format_plain (minor, exponent, buf, sizeof buf);
  return g_strdup (buf);
}

gboolean
tsy_money_add (gint64  a,
               gint64  b,
               gint64 *out,
               GError **error)
{
  if (__builtin_add_overflow (a, b, out))
    return set_overflow (error);
  return TRUE;
}

gboolean
tsy_money_sub (gint64  a,
               gint64  b,
               gint64 *out,
               GError **error)
{
  if (__builtin_sub_overflow (a, b, out))
    return set_overflow (error);
  return TRUE;
}

/* n / d rounded by @mode; d > 0. */
static __int128
div_round (__int128    n,
           __int128    d,
           TsyRounding mode)
{
  __int128 q = n / d;
  __int128 r = n % d;
  __int128 twice;

  if (r == 0 || mode == TSY_ROUND_TOWARD_ZERO)
    return q;
  if (r < 0)
    r = -r;
  twice = r * 2;
  if (twice > d || (twice == d && (mode == TSY_ROUND_HALF_UP || (q % 2) != 0)))
    return n < 0 ? q - 1 : q + 1;
  return q;
}

static gboolean
fits_gint64 (__int128 v)
{
  return v >= G_MININT64 && v <= G_MAXINT64;
}

gboolean
tsy_money_rescale (gint64      value,
                   int         from_digits,
                   int         to_digits,
                   TsyRounding mode,
                   gint64     *out,
                   GError    **error)
{
  g_return_val_if_fail (from_digits >= 0 && from_digits <= 18, FALSE);
  g_return_val_if_fail (to_digits >= 0 && to_digits <= 18, FALSE);

  if (to_digits >= from_digits)
    {
      if (__builtin_mul_overflow (value, pow10_table[to_digits - from_digits], out))
        return set_overflow (error);
      return TRUE;
    }
  *out = (gint64) div_round (value, pow10_table[from_digits - to_digits], mode);
  return TRUE;
}

gboolean
tsy_rate_parse (const char *text,
                gint64     *out_rate,
                GError    **error)
{
  gint64 integer = 0, frac = 0;
  int frac_digits = 0;
  const char *p = text;
  gboolean seen = FALSE;

  if (p == NULL)
    p = "";
  for (; *p >= '0' && *p <= '9'; p++)
    {
      seen = TRUE;
      if (__builtin_mul_overflow (integer, 10, &integer) ||
          __builtin_add_overflow (integer, *p - '0', &integer))
        goto bad;
    }
  if (*p == '.')
    {
      for (p++; *p >= '0' && *p <= '9'; p++)
        {
          seen = TRUE;
          if (frac_digits == TSY_RATE_SCALE_DIGITS)
            {
              if (*p != '0')
                goto bad;
              continue;
            }
          frac = frac * 10 + (*p - '0');
          frac_digits++;
        }
    }
  if (*p != '\0' || !seen)
    goto bad;
  for (; frac_digits < TSY_RATE_SCALE_DIGITS; frac_digits++)
    frac *= 10;
  if (__builtin_mul_overflow (integer, TSY_RATE_SCALE, out_rate) ||
      __builtin_add_overflow (*out_rate, frac, out_rate))
    goto bad;
  if (*out_rate <= 0)
    goto bad;
  return TRUE;

bad:
  g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
               _("“%s” is not a valid exchange rate (a positive decimal with at most 10 decimals)"),
               text ? text : "");
  return FALSE;
}

char *
tsy_rate_to_decimal (gint64 rate)
{
  char buf[32];
  gsize len;

  tsy_money_format_plain (rate, TSY_RATE_SCALE_DIGITS, buf, sizeof buf);
  len = strlen (buf);
  while (len > 0 && buf[len - 1] == '0')
    buf[--len] = '\0';
  if (len > 0 && buf[len - 1] == '.')
    buf[--len] = '\0';
  return g_strdup (buf);
}

static gboolean
convert_common (gint64      minor,
                const char *from,
                gint64      rate,
                const char *to,
                gboolean    inverse,
                TsyRounding mode,
                gint64     *out_minor,
                GError    **error)
{
  int ef = tsy_currency_exponent (from);
  int et = tsy_currency_exponent (to);
  __int128 num, den, q;

  if (ef < 0)
    return tsy_currency_check (from, error);
  if (et < 0)
    return tsy_currency_check (to, error);
  g_return_val_if_fail (rate > 0, FALSE);

  if (!inverse)
    {
      /* minor * rate * 10^et / (10^10 * 10^ef) */
      if (__builtin_mul_overflow ((__int128) minor, (__int128) rate, &num) ||
          __builtin_mul_overflow (num, (__int128) pow10_table[et], &num))
        return set_overflow (error);
      den = (__int128) TSY_RATE_SCALE * pow10_table[ef];
    }
  else
    {
      /* minor * 10^10 * 10^et / (rate * 10^ef) */
      if (__builtin_mul_overflow ((__int128) minor, (__int128) TSY_RATE_SCALE, &num) ||
          __builtin_mul_overflow (num, (__int128) pow10_table[et], &num))
        return set_overflow (error);
      den = (__int128) rate * pow10_table[ef];
    }
  q = div_round (num, den, mode);
  if (!fits_gint64 (q))
    return set_overflow (error);
  *out_minor = (gint64) q;
  return TRUE;
}

gboolean
tsy_money_convert (gint64      minor,
                   const char *from,
                   gint64      rate,
                   const char *to,
                   TsyRounding mode,
                   gint64     *out_minor,
                   GError    **error)
{
  return convert_common (minor, from, rate, to, FALSE, mode, out_minor, error);
}

gboolean
tsy_money_convert_inverse (gint64      minor,
                           const char *from,
                           gint64      rate,
                           const char *to,
                           TsyRounding mode,
                           gint64     *out_minor,
                           GError    **error)
{
  return convert_common (minor, from, rate, to, TRUE, mode, out_minor, error);
}
