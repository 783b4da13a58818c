/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "tsy-fuzz-sink.h"

/* abort(), not g_error(): libFuzzer saves the input on SIGABRT. */
static void
fail (const char *what,
      const char *detail)
{
  g_printerr ("%s: %s\n", what, detail != NULL ? detail : "");
  abort ();
}

static void
touch (TsyFuzzState *state,
       const char   *s)
{
  if (s == NULL)
    return;
  if (!g_utf8_validate (s, -1, NULL))
    fail ("a string given to the sink is not UTF-8", NULL);
  state->touched += strlen (s);
}

static void
touch_header (TsyFuzzState             *state,
              const TsyStatementHeader *h)
{
  touch (state, h->format);
  touch (state, h->account);
  touch (state, h->currency);
  touch (state, h->statement_id);
  touch (state, h->sequence);
}

static gboolean
on_begin (gpointer                  user_data,
          const TsyStatementHeader *h,
          GError                  **error)
{
  TsyFuzzState *state = user_data;

  if (state->open)
    fail ("a statement begins inside another", NULL);
  state->open = TRUE;
  touch_header (state, h);
  return TRUE;
}

static gboolean
on_entry (gpointer                 user_data,
          const TsyStatementEntry *e,
          GError                 **error)
{
  TsyFuzzState *state = user_data;

  if (!state->open)
    fail ("an entry outside a statement", NULL);
  touch (state, e->currency);
  touch (state, e->bank_ref);
  touch (state, e->customer_ref);
  touch (state, e->end_to_end_id);
  touch (state, e->counterparty_name);
  touch (state, e->counterparty_account);
  touch (state, e->counterparty_bank);
  touch (state, e->text);
  touch (state, e->bank_tx_code);
  touch (state, e->raw);
  for (guint i = 0; i < e->n_details; i++)
    {
      const TsyEntryDetail *d = &e->details[i];
      touch (state, d->end_to_end_id);
      touch (state, d->instruction_id);
      touch (state, d->uetr);
      touch (state, d->counterparty_name);
      touch (state, d->counterparty_account);
      touch (state, d->counterparty_bank);
      touch (state, d->text);
    }
  return TRUE;
}

static gboolean
on_end (gpointer                  user_data,
        const TsyStatementHeader *h,
        GError                  **error)
{
  TsyFuzzState *state = user_data;

  if (!state->open)
    fail ("a statement ends that never began", NULL);
  state->open = FALSE;
  touch_header (state, h);
  return TRUE;
}

const TsyStatementSink tsy_fuzz_sink = { on_begin, on_entry, on_end };

void
tsy_fuzz_check_result (gboolean      ok,
                       const GError *error)
{
  if (ok != (error == NULL))
    fail ("the result and the error disagree", error != NULL ? error->message : NULL);
  if (error != NULL && !g_utf8_validate (error->message, -1, NULL))
    fail ("the error message is not UTF-8", NULL);
}

void
tsy_fuzz_run (TsyFuzzParseFunc parse,
              const guint8    *data,
              gsize            size)
{
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data (data, (gssize) size, NULL);
  g_autoptr(GError) error = NULL;
  TsyFuzzState state = { 0 };
  gboolean ok = parse (in, "fuzz", &tsy_fuzz_sink, &state, NULL, &error);

  tsy_fuzz_check_result (ok, error);
  if (ok && state.open)
    fail ("the parse succeeded inside an open statement", NULL);
}
