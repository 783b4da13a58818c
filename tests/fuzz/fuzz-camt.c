/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness for the camt.052/053/054 parser: any bytes, a sink that accepts everything. */
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include <gio/gio.h>

#include "banks/formats/tsy-statement-format.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static gboolean
on_header (gpointer                  user_data,
           const TsyStatementHeader *header,
           GError                  **error)
{
  /* touch the strings so that the sanitizers see a dangling pointer */
  gsize *n = user_data;
  *n += header->account != NULL ? strlen (header->account) : 0;
  *n += header->currency != NULL ? strlen (header->currency) : 0;
  return TRUE;
}

static gboolean
on_entry (gpointer                 user_data,
          const TsyStatementEntry *entry,
          GError                 **error)
{
  gsize *n = user_data;

  *n += entry->raw != NULL ? strlen (entry->raw) : 0;
  *n += entry->text != NULL ? strlen (entry->text) : 0;
  *n += entry->bank_ref != NULL ? strlen (entry->bank_ref) : 0;
  for (guint i = 0; i < entry->n_details; i++)
    {
      const TsyEntryDetail *d = &entry->details[i];
      *n += d->text != NULL ? strlen (d->text) : 0;
      *n += d->counterparty_name != NULL ? strlen (d->counterparty_name) : 0;
      *n += d->end_to_end_id != NULL ? strlen (d->end_to_end_id) : 0;
    }
  return TRUE;
}

static const TsyStatementSink sink = { on_header, on_entry, on_header };

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data (data, size, NULL);
  g_autoptr(GError) error = NULL;
  gsize n = 0;

  if (!tsy_camt_parse (in, "fuzz.xml", &sink, &n, NULL, &error))
    g_assert (error != NULL && error->message != NULL);
  return 0;
}
