/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsy-iban.h"
#include "tsy-ledger-error.h"

/* ISO 13616 IBAN lengths by country (SWIFT IBAN registry). */
static const struct
{
  char  country[3];
  guint8 length;
} iban_lengths[] = {
  { "AD", 24 }, { "AE", 23 }, { "AL", 28 }, { "AT", 20 }, { "AZ", 28 }, { "BA", 20 },
  { "BE", 16 }, { "BG", 22 }, { "BH", 22 }, { "BI", 27 }, { "BR", 29 }, { "BY", 28 },
  { "CH", 21 }, { "CR", 22 }, { "CY", 28 }, { "CZ", 24 }, { "DE", 22 }, { "DJ", 27 },
  { "DK", 18 }, { "DO", 28 }, { "EE", 20 }, { "EG", 29 }, { "ES", 24 }, { "FI", 18 },
  { "FK", 18 }, { "FO", 18 }, { "FR", 27 }, { "GB", 22 }, { "GE", 22 }, { "GI", 23 },
  { "GL", 18 }, { "GR", 27 }, { "GT", 28 }, { "HR", 21 }, { "HU", 28 }, { "IE", 22 },
  { "IL", 23 }, { "IQ", 23 }, { "IS", 26 }, { "IT", 27 }, { "JO", 30 }, { "KW", 30 },
  { "KZ", 20 }, { "LB", 28 }, { "LC", 32 }, { "LI", 21 }, { "LT", 20 }, { "LU", 20 },
  { "LV", 21 }, { "LY", 25 }, { "MC", 27 }, { "MD", 24 }, { "ME", 22 }, { "MK", 19 },
  { "MN", 20 }, { "MR", 27 }, { "MT", 31 }, { "MU", 30 }, { "NI", 28 }, { "NL", 18 },
  { "NO", 15 }, { "OM", 23 }, { "PK", 24 }, { "PL", 28 }, { "PS", 29 }, { "PT", 25 },
  { "QA", 29 }, { "RO", 24 }, { "RS", 22 }, { "RU", 33 }, { "SA", 24 }, { "SC", 31 },
  { "SD", 18 }, { "SE", 24 }, { "SI", 19 }, { "SK", 24 }, { "SM", 27 }, { "SO", 23 },
  { "ST", 25 }, { "SV", 28 }, { "TL", 23 }, { "TN", 24 }, { "TR", 26 }, { "UA", 29 },
  { "VA", 22 }, { "VG", 24 }, { "XK", 20 },
};

char *
tsy_iban_normalize (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text ? text : ""; *p; p++)
    if (*p != ' ' && *p != '\t' && *p != '-')
      g_string_append_c (out, g_ascii_toupper (*p));
  return g_string_free (out, FALSE);
}

gboolean
tsy_iban_looks_like (const char *text)
{
  g_autofree char *n = tsy_iban_normalize (text);

  return strlen (n) >= 5 && g_ascii_isalpha (n[0]) && g_ascii_isalpha (n[1]) &&
         g_ascii_isdigit (n[2]) && g_ascii_isdigit (n[3]);
}

static int
expected_length (const char *country)
{
  for (gsize i = 0; i < G_N_ELEMENTS (iban_lengths); i++)
    if (memcmp (country, iban_lengths[i].country, 2) == 0)
      return iban_lengths[i].length;
  return -1;
}

gboolean
tsy_iban_validate (const char *text,
                   GError    **error)
{
  g_autofree char *iban = tsy_iban_normalize (text);
  gsize len = strlen (iban);
  int want;
  guint remainder = 0;

  if (len < 5 || len > 34 || !g_ascii_isupper (iban[0]) || !g_ascii_isupper (iban[1]) ||
      !g_ascii_isdigit (iban[2]) || !g_ascii_isdigit (iban[3]))
    goto bad_shape;
  for (gsize i = 4; i < len; i++)
    if (!g_ascii_isdigit (iban[i]) && !g_ascii_isupper (iban[i]))
      goto bad_shape;

  want = expected_length (iban);
  if (want < 0)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   _("“%s” is not an IBAN: unknown country code"), text);
      return FALSE;
    }
  if ((gsize) want != len)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   /* Translators: %1$s an IBAN, %2$d a number of characters, %3$.2s a country code */
                   _("“%1$s” is not an IBAN: %3$.2s IBANs have %2$d characters"), text, want, iban);
      return FALSE;
    }

  /* mod 97 of the rearranged number, letters as 10..35, digit by digit */
  for (gsize k = 0; k < len; k++)
    {
      char c = iban[(k + 4) % len];
      if (g_ascii_isdigit (c))
        remainder = (remainder * 10 + (guint) (c - '0')) % 97;
      else
        remainder = (remainder * 100 + (guint) (c - 'A' + 10)) % 97;
    }
  if (remainder != 1)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   _("“%s” is not a valid IBAN: the check digits are wrong"), text);
      return FALSE;
    }
  return TRUE;

bad_shape:
  g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
               _("“%s” is not an IBAN"), text ? text : "");
  return FALSE;
}

gboolean
tsy_bic_validate (const char *text,
                  GError    **error)
{
  gsize len = text ? strlen (text) : 0;

  if (len != 8 && len != 11)
    goto bad;
  for (gsize i = 0; i < 6; i++)
    if (!g_ascii_isupper (text[i]))
      goto bad;
  for (gsize i = 6; i < len; i++)
    if (!g_ascii_isupper (text[i]) && !g_ascii_isdigit (text[i]))
      goto bad;
  return TRUE;

bad:
  g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
               _("“%s” is not a BIC (8 or 11 characters: bank, country, location, branch)"),
               text ? text : "");
  return FALSE;
}

char *
tsy_account_mask (const char *number)
{
  gsize len = number ? strlen (number) : 0;

  if (len <= 4)
    return g_strdup ("****");
  return g_strdup_printf ("****%s", number + len - 4);
}
