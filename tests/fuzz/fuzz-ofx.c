/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer harness for tsy_ofx_parse(): any input must either parse or fail
 * with an error, never crash, leak or read out of bounds. The sink does
 * nothing but touch every string it is given (so the sanitizers see a
 * dangling or unterminated one) and checks they are valid UTF-8.
 */
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "banks/formats/tsy-statement-format.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* abort(), not g_error(): libFuzzer saves the input on SIGABRT. */
static void
fail (const char *what,
      const char *detail)
{
  g_printerr ("%s: %s\n", what, detail != NULL ? detail : "");
  abort ();
}

static void
touch (const char *s)
{
  if (s != NULL && !g_utf8_validate (s, -1, NULL))
    fail ("a string given to the sink is not UTF-8", NULL);
}

static gboolean
on_header (gpointer                  user_data,
           const TsyStatementHeader *h,
           GError                  **error)
{
  touch (h->format);
  touch (h->account);
  touch (h->currency);
  touch (h->statement_id);
  touch (h->sequence);
  return TRUE;
}

static gboolean
on_entry (gpointer                 user_data,
          const TsyStatementEntry *e,
          GError                 **error)
{
  touch (e->currency);
  touch (e->bank_ref);
  touch (e->customer_ref);
  touch (e->end_to_end_id);
  touch (e->counterparty_name);
  touch (e->counterparty_account);
  touch (e->counterparty_bank);
  touch (e->text);
  touch (e->bank_tx_code);
  touch (e->raw);
  for (guint i = 0; i < e->n_details; i++)
    touch (e->details[i].text);
  return TRUE;
}

static const TsyStatementSink sink = { on_header, on_entry, on_header };

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data (data, (gssize) size, NULL);
  g_autoptr(GError) error = NULL;
  gboolean ok = tsy_ofx_parse (in, "fuzz", &sink, NULL, NULL, &error);

  if (ok != (error == NULL))
    fail ("the result and the error disagree", error != NULL ? error->message : NULL);
  if (error != NULL && !g_utf8_validate (error->message, -1, NULL))
    fail ("the error message is not UTF-8", NULL);
  return 0;
}
