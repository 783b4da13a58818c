/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <langinfo.h>
#include <limits.h>
#include <string.h>

#include "ledger/tsy-money.h"
#include "tsy-money-format.h"

#define MAX_DIGITS 24

static const TsyNumberSymbols fallback_symbols = { ".", ",", "\3" };

/* Appends the decimal digits of @value with separators placed by @symbols
 * (POSIX grouping: sizes from the right, the last one repeating, CHAR_MAX
 * stops grouping). */
static void
append_grouped (GString                *out,
                guint64                 value,
                const TsyNumberSymbols *symbols)
{
  char digits[MAX_DIGITS];
  gboolean separator_after[MAX_DIGITS] = { FALSE, };
  const char *grouping = symbols->grouping;
  int n = 0;

  do
    {
      digits[n++] = (char) ('0' + value % 10);
      value /= 10;
    }
  while (value > 0);

  /* separator_after[i]: a separator follows digit i (counted from the
   * right), i.e. i digits stand to its right. */
  if (symbols->thousands_sep != NULL && symbols->thousands_sep[0] != '\0' && grouping != NULL)
    {
      int pos = 0;

      while (*grouping > 0 && *grouping != CHAR_MAX)
        {
          pos += *grouping;
          if (pos >= n)
            break;
          separator_after[pos] = TRUE;
          if (grouping[1] != '\0')
            grouping++;
        }
    }

  for (int i = n - 1; i >= 0; i--)
    {
      g_string_append_c (out, digits[i]);
      if (i > 0 && separator_after[i])
        g_string_append (out, symbols->thousands_sep);
    }
}

void
tsy_number_symbols_get_locale (TsyNumberSymbols *out)
{
  const char *decimal_point = nl_langinfo (RADIXCHAR);
  const char *thousands_sep = nl_langinfo (THOUSEP);
  const char *grouping = nl_langinfo (GROUPING);

  g_return_if_fail (out != NULL);

  *out = fallback_symbols;
  if (decimal_point != NULL && decimal_point[0] != '\0')
    out->decimal_point = decimal_point;
  /* The C locale groups nothing; amounts are always grouped, so keep the
   * fallback unless the locale has a real grouping of its own (and a
   * separator different from its radix). */
  if (thousands_sep != NULL && thousands_sep[0] != '\0' && grouping != NULL &&
      grouping[0] > 0 && grouping[0] != CHAR_MAX &&
      g_strcmp0 (thousands_sep, out->decimal_point) != 0)
    {
      out->thousands_sep = thousands_sep;
      out->grouping = grouping;
    }
  else if (g_strcmp0 (out->decimal_point, ",") == 0)
    {
      out->thousands_sep = ".";
    }
}

char *
tsy_money_format_with_symbols (gint64                  minor,
                               const char             *currency,
                               TsyMoneyFormatFlags     flags,
                               const TsyNumberSymbols *symbols)
{
  GString *out;
  guint64 magnitude;
  guint64 scale = 1;
  int exponent;

  g_return_val_if_fail (currency != NULL, NULL);
  g_return_val_if_fail (symbols != NULL, NULL);

  exponent = tsy_currency_exponent (currency);
  if (exponent < 0)
    exponent = 2;  /* not an ISO code we know; ledger refuses those on input */
  for (int i = 0; i < exponent; i++)
    scale *= 10;

  /* |G_MININT64| does not fit in a gint64, but does in a guint64. */
  magnitude = minor < 0 ? (guint64) (-(minor + 1)) + 1 : (guint64) minor;

  out = g_string_new (NULL);
  if (flags & TSY_MONEY_FORMAT_CODE)
    {
      g_string_append (out, currency);
      g_string_append_c (out, ' ');
    }
  if (minor < 0)
    g_string_append (out, TSY_MONEY_MINUS_SIGN);
  else if (minor > 0 && (flags & TSY_MONEY_FORMAT_PLUS))
    g_string_append_c (out, '+');

  append_grouped (out, magnitude / scale, symbols);
  if (exponent > 0)
    {
      guint64 fraction = magnitude % scale;
      char buf[MAX_DIGITS];

      g_string_append (out, symbols->decimal_point);
      for (int i = exponent - 1; i >= 0; i--)
        {
          buf[i] = (char) ('0' + fraction % 10);
          fraction /= 10;
        }
      g_string_append_len (out, buf, exponent);
    }

  return g_string_free (out, FALSE);
}

char *
tsy_money_format (gint64               minor,
                  const char          *currency,
                  TsyMoneyFormatFlags  flags)
{
  TsyNumberSymbols symbols;

  tsy_number_symbols_get_locale (&symbols);
  return tsy_money_format_with_symbols (minor, currency, flags, &symbols);
}

char *
tsy_count_format (guint64 count)
{
  TsyNumberSymbols symbols;
  GString *out = g_string_new (NULL);

  tsy_number_symbols_get_locale (&symbols);
  append_grouped (out, count, &symbols);
  return g_string_free (out, FALSE);
}
