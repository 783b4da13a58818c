/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include "tsy-statement-format.h"

/* Placeholder until the parser lands (issue 4). */
struct _TsyCsvProfile { int unused; };

TsyCsvProfile *
tsy_csv_profile_load (const char *path, GError **error)
{
  g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_UNSUPPORTED, "%s", _("CSV profiles are not available yet"));
  return NULL;
}

void
tsy_csv_profile_free (TsyCsvProfile *profile)
{
  g_free (profile);
}

gboolean
tsy_csv_parse (GInputStream *in, const char *display_name, const TsyCsvProfile *profile,
               const TsyStatementSink *sink, gpointer user_data, GCancellable *cancellable,
               GError **error)
{
  g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_UNSUPPORTED, "%s", _("CSV is not supported yet"));
  return FALSE;
}
