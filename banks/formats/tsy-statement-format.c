/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include "tsy-statement-format.h"

/* Placeholder until issue 4. */
const char *
tsy_statement_format_to_string (TsyStatementFormat format)
{
  return "unknown";
}
