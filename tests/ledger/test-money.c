/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib.h>
#include <string.h>

#include "ledger/tsy-date.h"
#include "ledger/tsy-ledger-error.h"
#include "ledger/tsy-money.h"

static gint64
parse_ok (const char *text, const char *ccy, TsyDecimalStyle style)
{
  g_autoptr(GError) error = NULL;
  gint64 v = G_MININT64;

  g_assert_true (tsy_money_parse (text, -1, ccy, style, &v, &error));
  g_assert_no_error (error);
  return v;
}

static void
parse_fails (const char *text, const char *ccy, TsyDecimalStyle style, int code)
{
  g_autoptr(GError) error = NULL;
  gint64 v = 12345;

  g_assert_false (tsy_money_parse (text, -1, ccy, style, &v, &error));
  g_assert_error (error, TSY_LEDGER_ERROR, code);
  g_assert_cmpint (v, ==, 12345);   /* untouched on error */
}

static void
test_exponents (void)
{
  g_assert_cmpint (tsy_currency_exponent ("CNY"), ==, 2);
  g_assert_cmpint (tsy_currency_exponent ("JPY"), ==, 0);
  g_assert_cmpint (tsy_currency_exponent ("KWD"), ==, 3);
  g_assert_cmpint (tsy_currency_exponent ("BHD"), ==, 3);
  g_assert_cmpint (tsy_currency_exponent ("CLF"), ==, 4);
  g_assert_cmpint (tsy_currency_exponent ("KRW"), ==, 0);
  g_assert_cmpint (tsy_currency_exponent ("XXX"), ==, -1);
  g_assert_cmpint (tsy_currency_exponent ("cny"), ==, -1);
  g_assert_cmpint (tsy_currency_exponent ("CN"), ==, -1);
  g_assert_cmpint (tsy_currency_exponent (NULL), ==, -1);
}

static void
test_parse_point (void)
{
  g_assert_cmpint (parse_ok ("1234.56", "CNY", TSY_DECIMAL_POINT), ==, 123456);
  g_assert_cmpint (parse_ok ("1,234.56", "CNY", TSY_DECIMAL_POINT), ==, 123456);
  g_assert_cmpint (parse_ok ("1,234,567.5", "CNY", TSY_DECIMAL_POINT), ==, 123456750);
  g_assert_cmpint (parse_ok ("-0.05", "CNY", TSY_DECIMAL_POINT), ==, -5);
  g_assert_cmpint (parse_ok ("+7", "CNY", TSY_DECIMAL_POINT), ==, 700);
  g_assert_cmpint (parse_ok ("  12.3  ", "USD", TSY_DECIMAL_POINT), ==, 1230);
  g_assert_cmpint (parse_ok ("5.10000", "CNY", TSY_DECIMAL_POINT), ==, 510);
  g_assert_cmpint (parse_ok ("100", "JPY", TSY_DECIMAL_POINT), ==, 100);
  g_assert_cmpint (parse_ok ("100.", "CNY", TSY_DECIMAL_POINT), ==, 10000);
  g_assert_cmpint (parse_ok ("1.234", "KWD", TSY_DECIMAL_POINT), ==, 1234);
  g_assert_cmpint (parse_ok ("0.001", "KWD", TSY_DECIMAL_POINT), ==, 1);
  parse_fails ("1234,56", "CNY", TSY_DECIMAL_POINT, TSY_LEDGER_ERROR_INVALID);
  parse_fails ("1.234,56", "CNY", TSY_DECIMAL_POINT, TSY_LEDGER_ERROR_INVALID);
  parse_fails ("5.12345", "CNY", TSY_DECIMAL_POINT, TSY_LEDGER_ERROR_INVALID);
  parse_fails ("1.5", "JPY", TSY_DECIMAL_POINT, TSY_LEDGER_ERROR_INVALID);
  parse_fails ("", "CNY", TSY_DECIMAL_POINT, TSY_LEDGER_ERROR_INVALID);
  parse_fails ("-", "CNY", TSY_DECIMAL_POINT, TSY_LEDGER_ERROR_INVALID);
  parse_fails (".", "CNY", TSY_DECIMAL_POINT, TSY_LEDGER_ERROR_INVALID);
  parse_fails ("12a", "CNY", TSY_DECIMAL_POINT, TSY_LEDGER_ERROR_INVALID);
  parse_fails ("1e5", "CNY", TSY_DECIMAL_POINT, TSY_LEDGER_ERROR_INVALID);
  parse_fails ("--1", "CNY", TSY_DECIMAL_POINT, TSY_LEDGER_ERROR_INVALID);
  parse_fails ("1,23", "CNY", TSY_DECIMAL_POINT, TSY_LEDGER_ERROR_INVALID);
  parse_fails (",123", "CNY", TSY_DECIMAL_POINT, TSY_LEDGER_ERROR_INVALID);
  parse_fails ("1234,567.00", "CNY", TSY_DECIMAL_POINT, TSY_LEDGER_ERROR_INVALID);
  parse_fails ("1.00", "ZZZ", TSY_DECIMAL_POINT, TSY_LEDGER_ERROR_INVALID);
  parse_fails ("NaN", "CNY", TSY_DECIMAL_POINT, TSY_LEDGER_ERROR_INVALID);
}

static void
test_parse_comma (void)
{
  g_assert_cmpint (parse_ok ("1234,56", "EUR", TSY_DECIMAL_COMMA), ==, 123456);
  g_assert_cmpint (parse_ok ("1.234,56", "EUR", TSY_DECIMAL_COMMA), ==, 123456);
  g_assert_cmpint (parse_ok ("100,", "EUR", TSY_DECIMAL_COMMA), ==, 10000);
  g_assert_cmpint (parse_ok ("0,4", "EUR", TSY_DECIMAL_COMMA), ==, 40);
  g_assert_cmpint (parse_ok ("000000004433,52", "EUR", TSY_DECIMAL_COMMA), ==, 443352);
  parse_fails ("1234.56", "EUR", TSY_DECIMAL_COMMA, TSY_LEDGER_ERROR_INVALID);
  parse_fails ("12,345", "EUR", TSY_DECIMAL_COMMA, TSY_LEDGER_ERROR_INVALID);
}

static void
test_parse_len (void)
{
  gint64 v = 0;

  /* only the first @len bytes count */
  g_assert_true (tsy_money_parse ("12.34XYZ", 5, "CNY", TSY_DECIMAL_POINT, &v, NULL));
  g_assert_cmpint (v, ==, 1234);
}

static void
test_overflow (void)
{
  gint64 v = 0;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (parse_ok ("92233720368547758.07", "CNY", TSY_DECIMAL_POINT), ==, G_MAXINT64);
  parse_fails ("92233720368547758.08", "CNY", TSY_DECIMAL_POINT, TSY_LEDGER_ERROR_OVERFLOW);
  parse_fails ("99999999999999999999", "JPY", TSY_DECIMAL_POINT, TSY_LEDGER_ERROR_OVERFLOW);
  g_assert_false (tsy_money_add (G_MAXINT64, 1, &v, &error));
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_OVERFLOW);
  g_clear_error (&error);
  g_assert_false (tsy_money_sub (G_MININT64, 1, &v, &error));
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_OVERFLOW);
  g_assert_true (tsy_money_add (-5, 3, &v, NULL));
  g_assert_cmpint (v, ==, -2);
}

static void
test_format_roundtrip (void)
{
  static const struct { gint64 minor; const char *ccy; const char *text; } cases[] = {
    { 123456, "CNY", "1234.56" }, { -5, "CNY", "-0.05" }, { 0, "CNY", "0.00" },
    { 100, "JPY", "100" }, { -1, "KWD", "-0.001" }, { 1, "CLF", "0.0001" },
    { G_MAXINT64, "CNY", "92233720368547758.07" }, { G_MININT64, "JPY", "-9223372036854775808" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = tsy_money_to_decimal (cases[i].minor, cases[i].ccy);
      g_assert_cmpstr (text, ==, cases[i].text);
      if (cases[i].minor != G_MININT64)
        g_assert_cmpint (parse_ok (text, cases[i].ccy, TSY_DECIMAL_POINT), ==, cases[i].minor);
    }

  /* every amount of a range survives the round trip in every exponent */
  for (gint64 v = -2000; v <= 2000; v += 7)
    for (guint e = 0; e < 3; e++)
      {
        const char *ccy = (const char *[]) { "JPY", "CNY", "KWD" }[e];
        g_autofree char *text = tsy_money_to_decimal (v * 1000003, ccy);
        g_assert_cmpint (parse_ok (text, ccy, TSY_DECIMAL_POINT), ==, v * 1000003);
      }
}

static void
test_rescale_rounding (void)
{
  gint64 out;

  /* half-even: 0.125 -> 0.12, 0.135 -> 0.14, -0.125 -> -0.12 */
  g_assert_true (tsy_money_rescale (125, 3, 2, TSY_ROUND_HALF_EVEN, &out, NULL));
  g_assert_cmpint (out, ==, 12);
  g_assert_true (tsy_money_rescale (135, 3, 2, TSY_ROUND_HALF_EVEN, &out, NULL));
  g_assert_cmpint (out, ==, 14);
  g_assert_true (tsy_money_rescale (-125, 3, 2, TSY_ROUND_HALF_EVEN, &out, NULL));
  g_assert_cmpint (out, ==, -12);
  g_assert_true (tsy_money_rescale (-126, 3, 2, TSY_ROUND_HALF_EVEN, &out, NULL));
  g_assert_cmpint (out, ==, -13);
  g_assert_true (tsy_money_rescale (125, 3, 2, TSY_ROUND_HALF_UP, &out, NULL));
  g_assert_cmpint (out, ==, 13);
  g_assert_true (tsy_money_rescale (-125, 3, 2, TSY_ROUND_HALF_UP, &out, NULL));
  g_assert_cmpint (out, ==, -13);
  g_assert_true (tsy_money_rescale (129, 3, 2, TSY_ROUND_TOWARD_ZERO, &out, NULL));
  g_assert_cmpint (out, ==, 12);
  g_assert_true (tsy_money_rescale (12, 2, 3, TSY_ROUND_HALF_EVEN, &out, NULL));
  g_assert_cmpint (out, ==, 120);
  g_assert_false (tsy_money_rescale (G_MAXINT64 / 5, 0, 1, TSY_ROUND_HALF_EVEN, &out, NULL));
}

static void
test_rates_and_conversion (void)
{
  gint64 rate, out;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert_true (tsy_rate_parse ("7.1234", &rate, NULL));
  g_assert_cmpint (rate, ==, G_GINT64_CONSTANT (71234000000));
  text = tsy_rate_to_decimal (rate);
  g_assert_cmpstr (text, ==, "7.1234");
  g_assert_false (tsy_rate_parse ("0", &rate, NULL));
  g_assert_false (tsy_rate_parse ("-7.1", &rate, NULL));
  g_assert_false (tsy_rate_parse ("7,1", &rate, NULL));
  g_assert_false (tsy_rate_parse ("1.00000000001", &rate, NULL));
  g_assert_true (tsy_rate_parse ("1.000000000010", &rate, NULL) == FALSE);
  g_assert_true (tsy_rate_parse ("0.0000000001", &rate, NULL));
  g_assert_cmpint (rate, ==, 1);

  /* 100.00 USD at 7.1234 = 712.34 CNY */
  g_assert_true (tsy_rate_parse ("7.1234", &rate, NULL));
  g_assert_true (tsy_money_convert (10000, "USD", rate, "CNY", TSY_ROUND_HALF_EVEN, &out, NULL));
  g_assert_cmpint (out, ==, 71234);
  /* 0.01 USD at 7.125 = 0.07125 -> half-even 0.07; at 7.135 -> 0.07135 -> 0.07 */
  g_assert_true (tsy_rate_parse ("7.125", &rate, NULL));
  g_assert_true (tsy_money_convert (1, "USD", rate, "CNY", TSY_ROUND_HALF_EVEN, &out, NULL));
  g_assert_cmpint (out, ==, 7);
  /* exactly half: 0.05 USD at 0.5 = 0.025 -> 0.02 (even), half-up 0.03 */
  g_assert_true (tsy_rate_parse ("0.5", &rate, NULL));
  g_assert_true (tsy_money_convert (5, "USD", rate, "CNY", TSY_ROUND_HALF_EVEN, &out, NULL));
  g_assert_cmpint (out, ==, 2);
  g_assert_true (tsy_money_convert (5, "USD", rate, "CNY", TSY_ROUND_HALF_UP, &out, NULL));
  g_assert_cmpint (out, ==, 3);
  g_assert_true (tsy_money_convert (-5, "USD", rate, "CNY", TSY_ROUND_HALF_EVEN, &out, NULL));
  g_assert_cmpint (out, ==, -2);
  /* exponents differ: 1000 JPY at 0.048 CNY = 48.00 CNY; 1.000 KWD at 23.5 CNY */
  g_assert_true (tsy_rate_parse ("0.048", &rate, NULL));
  g_assert_true (tsy_money_convert (1000, "JPY", rate, "CNY", TSY_ROUND_HALF_EVEN, &out, NULL));
  g_assert_cmpint (out, ==, 4800);
  g_assert_true (tsy_rate_parse ("23.5", &rate, NULL));
  g_assert_true (tsy_money_convert (1000, "KWD", rate, "CNY", TSY_ROUND_HALF_EVEN, &out, NULL));
  g_assert_cmpint (out, ==, 2350);
  /* inverse: 712.34 CNY with USD/CNY 7.1234 = 100.00 USD */
  g_assert_true (tsy_rate_parse ("7.1234", &rate, NULL));
  g_assert_true (tsy_money_convert_inverse (71234, "CNY", rate, "USD", TSY_ROUND_HALF_EVEN, &out, NULL));
  g_assert_cmpint (out, ==, 10000);
  /* overflow is reported, not wrapped */
  g_assert_true (tsy_rate_parse ("1000", &rate, NULL));
  g_assert_false (tsy_money_convert (G_MAXINT64 / 10, "USD", rate, "CNY", TSY_ROUND_HALF_EVEN, &out, &error));
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_OVERFLOW);
}

static void
test_dates (void)
{
  TsyDate d, e;
  char buf[11];
  g_autoptr(GError) error = NULL;

  g_assert_true (tsy_date_parse_iso ("2024-02-29", &d, NULL));
  tsy_date_format_iso (d, buf);
  g_assert_cmpstr (buf, ==, "2024-02-29");
  g_assert_false (tsy_date_parse_iso ("2023-02-29", &d, &error));
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID);
  g_assert_false (tsy_date_parse_iso ("2026-1-05", &d, NULL));
  g_assert_false (tsy_date_parse_iso ("2026-13-01", &d, NULL));
  g_assert_false (tsy_date_parse_iso ("2026-11-23x", &d, NULL));
  g_assert_true (tsy_date_parse_iso ("2026-12-31", &d, NULL));
  e = tsy_date_add_days (d, 1);
  tsy_date_format_iso (e, buf);
  g_assert_cmpstr (buf, ==, "2027-01-01");
  g_assert_cmpint (e - d, ==, 1);
  g_assert_cmpint (tsy_date_from_ymd (2026, 2, 30), ==, TSY_DATE_NONE);

  /* the fast conversion agrees with GDate on every day from 1600 to 2400 */
  for (TsyDate j = tsy_date_from_ymd (1600, 1, 1); j <= tsy_date_from_ymd (2400, 12, 31); j++)
    {
      GDate gd;
      int y, m, dd;
      g_date_clear (&gd, 1);
      g_date_set_julian (&gd, j);
      tsy_date_to_ymd (j, &y, &m, &dd);
      if (y != (int) g_date_get_year (&gd) || m != (int) g_date_get_month (&gd) || dd != (int) g_date_get_day (&gd))
        g_error ("day %u: %d-%d-%d", j, y, m, dd);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ledger/money/exponents", test_exponents);
  g_test_add_func ("/ledger/money/parse-point", test_parse_point);
  g_test_add_func ("/ledger/money/parse-comma", test_parse_comma);
  g_test_add_func ("/ledger/money/parse-len", test_parse_len);
  g_test_add_func ("/ledger/money/overflow", test_overflow);
  g_test_add_func ("/ledger/money/format-roundtrip", test_format_roundtrip);
  g_test_add_func ("/ledger/money/rescale-rounding", test_rescale_rounding);
  g_test_add_func ("/ledger/money/rates-conversion", test_rates_and_conversion);
  g_test_add_func ("/ledger/money/dates", test_dates);
  return g_test_run ();
}
