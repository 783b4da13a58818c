/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include "tsy-statement-format.h"

/* Placeholder until the parser lands (issue 4). */
gboolean
tsy_camt_parse (GInputStream *in, const char *display_name, const TsyStatementSink *sink,
               gpointer user_data, GCancellable *cancellable, GError **error)
{
  g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_UNSUPPORTED, "%s", _("This format is not supported yet"));
  return FALSE;
}
