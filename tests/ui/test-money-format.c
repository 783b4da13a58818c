/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib.h>
#include <locale.h>

#include "ui/tsy-money-format.h"

#define MINUS TSY_MONEY_MINUS_SIGN

static const TsyNumberSymbols western = { ".", ",", "\3" };

static void
check (gint64               minor,
       const char          *currency,
       TsyMoneyFormatFlags  flags,
       const TsyNumberSymbols *symbols,
       const char          *expected)
{
  g_autofree char *text = tsy_money_format_with_symbols (minor, currency, flags, symbols);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_grouping (void)
{
  check (0, "CNY", 0, &western, "0.00");
  check (5, "CNY", 0, &western, "0.05");
  check (99999, "CNY", 0, &western, "999.99");
  check (100000, "CNY", 0, &western, "1,000.00");
  check (123456789, "CNY", 0, &western, "1,234,567.89");
  check (100000000000, "CNY", 0, &western, "1,000,000,000.00");
  check (G_MAXINT64, "CNY", 0, &western, "92,233,720,368,547,758.07");
}

static void
test_negative (void)
{
  check (-5, "CNY", 0, &western, MINUS "0.05");
  check (-123456, "CNY", 0, &western, MINUS "1,234.56");
  /* |G_MININT64| does not fit in a gint64. */
  check (G_MININT64, "CNY", 0, &western, MINUS "92,233,720,368,547,758.08");
  check (-123456, "USD", TSY_MONEY_FORMAT_CODE, &western, "USD " MINUS "1,234.56");
  /* The sign flag marks positives only; zero has no sign. */
  check (123456, "CNY", TSY_MONEY_FORMAT_PLUS, &western, "+1,234.56");
  check (0, "CNY", TSY_MONEY_FORMAT_PLUS, &western, "0.00");
  check (-1, "CNY", TSY_MONEY_FORMAT_PLUS, &western, MINUS "0.01");
}

static void
test_exponents (void)
{
  check (1234567, "JPY", 0, &western, "1,234,567");
  check (-7, "JPY", 0, &western, MINUS "7");
  check (1234567, "KWD", 0, &western, "1,234.567");
  check (5, "KWD", 0, &western, "0.005");
  check (1234567, "BHD", TSY_MONEY_FORMAT_CODE, &western, "BHD 1,234.567");
  check (123456, "CLF", 0, &western, "12.3456");
  check (1234567, "HKD", TSY_MONEY_FORMAT_CODE, &western, "HKD 12,345.67");
}

static void
test_symbols (void)
{
  const TsyNumberSymbols german = { ",", ".", "\3" };
  const TsyNumberSymbols indian = { ".", ",", "\3\2" };
  const TsyNumberSymbols french = { ",", "\xe2\x80\xaf", "\3" };
  const TsyNumberSymbols ungrouped = { ".", "", "\3" };

  check (123456789, "EUR", 0, &german, "1.234.567,89");
  check (123456789012, "INR", 0, &indian, "1,23,45,67,890.12");
  check (99999, "INR", 0, &indian, "999.99");
  check (-123456789, "EUR", 0, &french, MINUS "1\xe2\x80\xaf" "234\xe2\x80\xaf" "567,89");
  check (123456789, "CNY", 0, &ungrouped, "1234567.89");
}

static void
test_locale (void)
{
  TsyNumberSymbols symbols;
  g_autofree char *text = NULL;
  g_autofree char *count = NULL;

  /* The C locale groups nothing; amounts are grouped anyway. */
  g_assert_nonnull (setlocale (LC_NUMERIC, "C"));
  tsy_number_symbols_get_locale (&symbols);
  g_assert_cmpstr (symbols.decimal_point, ==, ".");
  g_assert_cmpstr (symbols.thousands_sep, ==, ",");

  text = tsy_money_format (-123456789, "CNY", TSY_MONEY_FORMAT_CODE);
  g_assert_cmpstr (text, ==, "CNY " MINUS "1,234,567.89");
  count = tsy_count_format (1234567);
  g_assert_cmpstr (count, ==, "1,234,567");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ui/money-format/grouping", test_grouping);
  g_test_add_func ("/ui/money-format/negative", test_negative);
  g_test_add_func ("/ui/money-format/exponents", test_exponents);
  g_test_add_func ("/ui/money-format/symbols", test_symbols);
  g_test_add_func ("/ui/money-format/locale", test_locale);

  return g_test_run ();
}
