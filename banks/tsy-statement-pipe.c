/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "banks/tsy-bank-error.h"
#include "tsy-statement-pipe.h"

#define BATCH_EVENTS 512
#define N_BATCHES 4

typedef enum
{
  EVENT_BEGIN,
  EVENT_ENTRY,
  EVENT_END,
} EventKind;

typedef struct
{
  EventKind          kind;
  TsyStatementHeader header;
  TsyStatementEntry  entry;
} Event;

typedef struct
{
  GArray       *events;     /* Event; their strings point into @strings */
  GStringChunk *strings;
  GPtrArray    *blocks;     /* detail arrays */
  gboolean      last;       /* the parser is done; @error is its outcome */
  gboolean      ok;
  GError       *error;
} Batch;

typedef struct
{
  TsyPipeParseFunc parse;
  gpointer         parse_data;
  GCancellable    *cancellable;
  GAsyncQueue     *full;
  GAsyncQueue     *empty;
  Batch           *current;   /* producer side */
  gint             stop;      /* atomic: the consumer failed */
} Pipe;

static Batch *
batch_new (void)
{
  Batch *b = g_new0 (Batch, 1);

  b->events = g_array_sized_new (FALSE, FALSE, sizeof (Event), BATCH_EVENTS);
  b->strings = g_string_chunk_new (64 * 1024);
  b->blocks = g_ptr_array_new_with_free_func (g_free);
  return b;
}

static void
batch_reset (Batch *b)
{
  g_array_set_size (b->events, 0);
  g_string_chunk_clear (b->strings);
  g_ptr_array_set_size (b->blocks, 0);
  b->last = FALSE;
  b->ok = FALSE;
  g_clear_error (&b->error);
}

static void
batch_free (Batch *b)
{
  g_array_unref (b->events);
  g_string_chunk_free (b->strings);
  g_ptr_array_unref (b->blocks);
  g_clear_error (&b->error);
  g_free (b);
}

static const char *
copy (Batch      *b,
      const char *s)
{
  return s ? g_string_chunk_insert (b->strings, s) : NULL;
}

static gboolean
producer_take_batch (Pipe    *pipe,
                     GError **error)
{
  if (g_atomic_int_get (&pipe->stop))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "stopped");
      return FALSE;
    }
  if (pipe->current == NULL)
    pipe->current = g_async_queue_pop (pipe->empty);
  return TRUE;
}

static void
producer_flush (Pipe *pipe)
{
  if (pipe->current != NULL && pipe->current->events->len > 0)
    {
      g_async_queue_push (pipe->full, pipe->current);
      pipe->current = NULL;
    }
}

static gboolean
produce_header (Pipe                     *pipe,
                EventKind                 kind,
                const TsyStatementHeader *h,
                GError                  **error)
{
  Event ev = { 0 };
  Batch *b;

  if (!producer_take_batch (pipe, error))
    return FALSE;
  b = pipe->current;
  ev.kind = kind;
  ev.header = *h;
  ev.header.format = copy (b, h->format);
  ev.header.account = copy (b, h->account);
  ev.header.currency = copy (b, h->currency);
  ev.header.statement_id = copy (b, h->statement_id);
  ev.header.sequence = copy (b, h->sequence);
  g_array_append_val (b->events, ev);
  if (b->events->len >= BATCH_EVENTS)
    producer_flush (pipe);
  return TRUE;
}

static gboolean
on_begin (gpointer                  data,
          const TsyStatementHeader *h,
          GError                  **error)
{
  return produce_header (data, EVENT_BEGIN, h, error);
}

static gboolean
on_end (gpointer                  data,
        const TsyStatementHeader *h,
        GError                  **error)
{
  return produce_header (data, EVENT_END, h, error);
}

static gboolean
on_entry (gpointer                 data,
          const TsyStatementEntry *e,
          GError                 **error)
{
  Pipe *pipe = data;
  Event ev = { 0 };
  Batch *b;
  TsyStatementEntry *x = &ev.entry;

  if (!producer_take_batch (pipe, error))
    return FALSE;
  b = pipe->current;
  ev.kind = EVENT_ENTRY;
  *x = *e;
  x->currency = copy (b, e->currency);
  x->bank_ref = copy (b, e->bank_ref);
  x->customer_ref = copy (b, e->customer_ref);
  x->end_to_end_id = copy (b, e->end_to_end_id);
  x->counterparty_name = copy (b, e->counterparty_name);
  x->counterparty_account = copy (b, e->counterparty_account);
  x->counterparty_bank = copy (b, e->counterparty_bank);
  x->text = copy (b, e->text);
  x->bank_tx_code = copy (b, e->bank_tx_code);
  x->raw = copy (b, e->raw);
  if (e->n_details > 0)
    {
      TsyEntryDetail *d = g_memdup2 (e->details, sizeof (TsyEntryDetail) * e->n_details);
      for (guint i = 0; i < e->n_details; i++)
        {
          d[i].end_to_end_id = copy (b, d[i].end_to_end_id);
          d[i].instruction_id = copy (b, d[i].instruction_id);
          d[i].uetr = copy (b, d[i].uetr);
          d[i].counterparty_name = copy (b, d[i].counterparty_name);
          d[i].counterparty_account = copy (b, d[i].counterparty_account);
          d[i].counterparty_bank = copy (b, d[i].counterparty_bank);
          d[i].text = copy (b, d[i].text);
        }
      g_ptr_array_add (b->blocks, d);
      x->details = d;
    }
  g_array_append_val (b->events, ev);
  if (b->events->len >= BATCH_EVENTS)
    producer_flush (pipe);
  return TRUE;
}

static const TsyStatementSink pipe_sink = { on_begin, on_entry, on_end };

static gpointer
producer_thread (gpointer data)
{
  Pipe *pipe = data;
  GError *error = NULL;
  gboolean ok = pipe->parse (&pipe_sink, pipe, pipe->parse_data, pipe->cancellable, &error);
  Batch *last;

  producer_flush (pipe);
  last = pipe->current != NULL ? pipe->current : g_async_queue_pop (pipe->empty);
  pipe->current = NULL;
  last->last = TRUE;
  last->ok = ok;
  last->error = error;
  g_async_queue_push (pipe->full, last);
  return NULL;
}

gboolean
tsy_statement_pipe_run (TsyPipeParseFunc        parse,
                        gpointer                parse_data,
                        const TsyStatementSink *sink,
                        gpointer                sink_data,
                        GCancellable           *cancellable,
                        GError                **error)
{
  Pipe pipe = { 0 };
  GThread *thread;
  GError *consumer_error = NULL;
  GError *producer_error = NULL;
  gboolean producer_ok = FALSE;
  gboolean done = FALSE;

  pipe.parse = parse;
  pipe.parse_data = parse_data;
  pipe.cancellable = cancellable;
  pipe.full = g_async_queue_new ();
  pipe.empty = g_async_queue_new ();
  for (guint i = 0; i < N_BATCHES; i++)
    g_async_queue_push (pipe.empty, batch_new ());

  thread = g_thread_new ("tsy-parse", producer_thread, &pipe);

  while (!done)
    {
      Batch *b = g_async_queue_pop (pipe.full);

      /* after a failure, keep draining so the parser can finish, but store nothing more */
      for (guint i = 0; i < b->events->len && consumer_error == NULL; i++)
        {
          Event *ev = &g_array_index (b->events, Event, i);
          gboolean ok;

          switch (ev->kind)
            {
            case EVENT_BEGIN:
              ok = sink->begin_statement (sink_data, &ev->header, &consumer_error);
              break;
            case EVENT_ENTRY:
              ok = sink->entry (sink_data, &ev->entry, &consumer_error);
              break;
            case EVENT_END:
            default:
              ok = sink->end_statement (sink_data, &ev->header, &consumer_error);
              break;
            }
          if (!ok && consumer_error == NULL)
            g_set_error_literal (&consumer_error, TSY_BANK_ERROR, TSY_BANK_ERROR_IO, "sink failed");
        }
      if (consumer_error != NULL)
        g_atomic_int_set (&pipe.stop, 1);
      if (b->last)
        {
          done = TRUE;
          producer_ok = b->ok;
          producer_error = g_steal_pointer (&b->error);
        }
      batch_reset (b);
      g_async_queue_push (pipe.empty, b);
    }
  g_thread_join (thread);

  {
    Batch *b;
    while ((b = g_async_queue_try_pop (pipe.empty)) != NULL)
      batch_free (b);
  }
  g_async_queue_unref (pipe.full);
  g_async_queue_unref (pipe.empty);

  if (consumer_error != NULL)
    {
      g_clear_error (&producer_error);
      g_propagate_error (error, consumer_error);
      return FALSE;
    }
  if (!producer_ok)
    {
      if (producer_error == NULL)
        g_set_error_literal (&producer_error, TSY_BANK_ERROR, TSY_BANK_ERROR_PARSE, "parse failed");
      g_propagate_error (error, producer_error);
      return FALSE;
    }
  g_clear_error (&producer_error);
  return TRUE;
}
