/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsy-ledger-error.h"
#include "tsy-validate-private.h"

gboolean
tsy_validate_code (const char *code,
                   const char *what,
                   GError    **error)
{
  gsize len = code ? strlen (code) : 0;

  if (len == 0 || len > 32)
    goto bad;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (code[i]) && code[i] != '_' && code[i] != '-' && code[i] != '.')
      goto bad;
  return TRUE;

bad:
  g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
               /* Translators: %1$s e.g. "organisation code", %2$s the text given */
               _("“%2$s” is not a valid %1$s (1–32 letters, digits, “_”, “-” or “.”)"),
               what, code ? code : "");
  return FALSE;
}

gboolean
tsy_validate_name (const char *name,
                   GError    **error)
{
  if (name == NULL || *name == '\0' || !g_utf8_validate (name, -1, NULL) ||
      g_utf8_strlen (name, -1) > 200)
    goto bad;
  for (const char *p = name; *p; p++)
    if ((guchar) *p < 0x20)
      goto bad;
  return TRUE;

bad:
  g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
               "%s", _("A name must be 1–200 characters of text"));
  return FALSE;
}

gboolean
tsy_validate_enum_name (const char *const *names,
                        guint              n_names,
                        const char        *text,
                        int               *out)
{
  for (guint i = 0; i < n_names; i++)
    if (g_strcmp0 (text, names[i]) == 0)
      {
        *out = (int) i;
        return TRUE;
      }
  return FALSE;
}
