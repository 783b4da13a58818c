/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness for the MT940/MT942 parser: any bytes, no crash, no out-of-bounds read.
 * Format detection runs on the same bytes. */
#include <gio/gio.h>
#include <stddef.h>
#include <stdint.h>

#include "banks/formats/tsy-statement-format.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static gboolean
on_begin (gpointer user_data, const TsyStatementHeader *header, GError **error)
{
  return TRUE;
}

static gboolean
on_entry (gpointer user_data, const TsyStatementEntry *entry, GError **error)
{
  return TRUE;
}

static gboolean
on_end (gpointer user_data, const TsyStatementHeader *header, GError **error)
{
  return TRUE;
}

static const TsyStatementSink sink = { on_begin, on_entry, on_end };

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  GInputStream *in = g_memory_input_stream_new_from_data (data, (gssize) size, NULL);

  (void) tsy_statement_format_detect (data, size);
  (void) tsy_mt940_parse (in, "fuzz", &sink, NULL, NULL, NULL);
  g_object_unref (in);
  return 0;
}
