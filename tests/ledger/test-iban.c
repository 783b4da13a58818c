/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib.h>

#include "ledger/tsy-iban.h"
#include "ledger/tsy-ledger-error.h"

static void
test_valid (void)
{
  static const char *valid[] = {
    "NL77ABNA0574908765", "BE68 5390 0754 7034",
    "DE89370400440532013000", "GB29NWBK60161331926819", "FR1420041010050500013M02606",
    "PL29114010810000267002001002", "nl34rabo0142623393", "NO9386011117947", "MT84MALT011000012345MTLCAST001S",
  };

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_assert_true (tsy_iban_validate (valid[i], &error));
      g_assert_no_error (error);
    }
}

static void
test_invalid (void)
{
  static const char *invalid[] = {
    "NL78ABNA0574908765",      /* check digits */
    "DE89370400440532013001",  /* one digit changed */
    "DE8937040044053201300",   /* length */
    "XX89370400440532013000",  /* country */
    "GB29NWBK6016133192681!",  /* character */
    "12ABCDEFGH",
    "CH1111000000123456789",   /* the camt sample's made-up IBAN */
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_assert_false (tsy_iban_validate (invalid[i], &error));
      g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID);
    }
}

static void
test_every_single_digit_error (void)
{
  /* mod 97 catches every single-character substitution */
  const char *good = "DE89370400440532013000";

  for (gsize pos = 4; good[pos]; pos++)
    for (char c = '0'; c <= '9'; c++)
      {
        g_autofree char *bad = g_strdup (good);
        if (bad[pos] == c)
          continue;
        bad[pos] = c;
        g_assert_false (tsy_iban_validate (bad, NULL));
      }
}

static void
test_bic (void)
{
  g_assert_true (tsy_bic_validate ("ICBKCNBJ", NULL));
  g_assert_true (tsy_bic_validate ("HSBCHKHHHKH", NULL));
  g_assert_true (tsy_bic_validate ("COBADEFFXXX", NULL));
  g_assert_false (tsy_bic_validate ("ICBKCN", NULL));
  g_assert_false (tsy_bic_validate ("ICBK1NBJ", NULL));
  g_assert_false (tsy_bic_validate ("icbkcnbj", NULL));
  g_assert_false (tsy_bic_validate ("ICBKCNBJX", NULL));
}

static void
test_mask (void)
{
  g_autofree char *m = tsy_account_mask ("0200001209000123456");
  g_autofree char *s = tsy_account_mask ("12");

  g_assert_cmpstr (m, ==, "****3456");
  g_assert_cmpstr (s, ==, "****");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ledger/iban/valid", test_valid);
  g_test_add_func ("/ledger/iban/invalid", test_invalid);
  g_test_add_func ("/ledger/iban/single-digit-errors", test_every_single_digit_error);
  g_test_add_func ("/ledger/iban/bic", test_bic);
  g_test_add_func ("/ledger/iban/mask", test_mask);
  return g_test_run ();
}
