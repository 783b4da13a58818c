/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>

#include <string.h>

#include "banks/tsy-bank-error.h"
#include "tsy-statement-importer.h"
#include "tsy-statement-pipe.h"

/* A pass-through stream that counts the bytes read, for progress. */
#define TSY_TYPE_COUNTING_STREAM (tsy_counting_stream_get_type ())
G_DECLARE_FINAL_TYPE (TsyCountingStream, tsy_counting_stream, TSY, COUNTING_STREAM, GFilterInputStream)

struct _TsyCountingStream
{
  GFilterInputStream parent_instance;
  gsize              count;     /* atomic */
};

G_DEFINE_FINAL_TYPE (TsyCountingStream, tsy_counting_stream, G_TYPE_FILTER_INPUT_STREAM)

static gssize
counting_read (GInputStream *stream,
               void         *buffer,
               gsize         count,
               GCancellable *cancellable,
               GError      **error)
{
  TsyCountingStream *self = TSY_COUNTING_STREAM (stream);
  GInputStream *base = g_filter_input_stream_get_base_stream (G_FILTER_INPUT_STREAM (stream));
  gssize n = g_input_stream_read (base, buffer, count, cancellable, error);

  if (n > 0)
    g_atomic_pointer_add ((gpointer *) &self->count, n);
  return n;
}

static void
tsy_counting_stream_class_init (TsyCountingStreamClass *klass)
{
  G_INPUT_STREAM_CLASS (klass)->read_fn = counting_read;
}

static void
tsy_counting_stream_init (TsyCountingStream *self)
{
}

typedef struct
{
  TsyImportProgressFunc progress;
  gpointer              data;
  guint                 permille;
} ProgressCall;

static gboolean
deliver_progress (gpointer user_data)
{
  ProgressCall *call = user_data;

  call->progress (call->permille, call->data);
  return G_SOURCE_REMOVE;
}

typedef struct
{
  TsyCountingStream    *stream;
  goffset               size;
  TsyImportProgressFunc progress;
  gpointer              progress_data;
  GMainContext         *context;
  gint64                last_report;
} Progress;

/* The sink that wraps the ledger's: passes everything on, and reports progress now and then. */
typedef struct
{
  TsyImport *imp;
  Progress  *progress;
} Relay;

static void
maybe_report (Progress *p)
{
  gint64 now;
  ProgressCall *call;

  if (p == NULL || p->progress == NULL || p->size <= 0)
    return;
  now = g_get_monotonic_time ();
  if (now - p->last_report < 100 * 1000)
    return;
  p->last_report = now;
  call = g_new0 (ProgressCall, 1);
  call->progress = p->progress;
  call->data = p->progress_data;
  call->permille = (guint) MIN ((guint64) 1000,
                                (guint64) (gsize) g_atomic_pointer_get ((gpointer *) &p->stream->count) * 1000 / (guint64) p->size);
  {
    /* a source, so that the callback runs in the thread that iterates the context */
    GSource *source = g_idle_source_new ();
    g_source_set_priority (source, G_PRIORITY_DEFAULT);
    g_source_set_callback (source, deliver_progress, call, g_free);
    g_source_attach (source, p->context);
    g_source_unref (source);
  }
}

static gboolean
relay_begin (gpointer user_data, const TsyStatementHeader *h, GError **error)
{
  Relay *r = user_data;
  return tsy_import_sink ()->begin_statement (r->imp, h, error);
}

static gboolean
relay_entry (gpointer user_data, const TsyStatementEntry *e, GError **error)
{
  Relay *r = user_data;
  maybe_report (r->progress);
  return tsy_import_sink ()->entry (r->imp, e, error);
}

static gboolean
relay_end (gpointer user_data, const TsyStatementHeader *h, GError **error)
{
  Relay *r = user_data;
  return tsy_import_sink ()->end_statement (r->imp, h, error);
}

static const TsyStatementSink relay_sink = { relay_begin, relay_entry, relay_end };

static gboolean
import_file (TsyStore               *store,
             const char             *path,
             const TsyImportOptions *options,
             Progress               *progress,
             TsyImportResult        *result,
             GCancellable           *cancellable,
             GError                **error);

typedef struct
{
  GInputStream          *in;
  const char            *name;
  TsyStatementFormat     format;
  const TsyCsvProfile   *profile;
} ParseArgs;

/* The parser's side of the pipe: runs on its own thread. */
static gboolean
parse_in_thread (const TsyStatementSink *sink,
                 gpointer                sink_data,
                 gpointer                user_data,
                 GCancellable           *cancellable,
                 GError                **error)
{
  ParseArgs *args = user_data;

  return tsy_statement_parse (args->in, args->name, args->format, args->profile, sink, sink_data,
                              cancellable, error);
}

static inline guint64
rotl64 (guint64 x,
        int     r)
{
  return (x << r) | (x >> (64 - r));
}

/*
 * A fingerprint of the file's bytes: two independent 64-bit multiply-rotate lanes over 8-byte
 * words plus the length (~2 GB/s). It recognises a file imported before; it is not a defence
 * against a forged file (a forged statement file would fail far earlier checks anyway).
 */
static char *
fingerprint_stream (GInputStream *in,
                    GCancellable *cancellable,
                    GError      **error)
{
  g_autofree guchar *buf = g_malloc (1 << 20);
  guint64 a = G_GUINT64_CONSTANT (0x243F6A8885A308D3);
  guint64 b = G_GUINT64_CONSTANT (0x13198A2E03707344);
  guint64 total = 0;
  gsize carry = 0;
  gssize n;

  while ((n = g_input_stream_read (in, buf + carry, (1 << 20) - carry, cancellable, error)) > 0)
    {
      gsize len = carry + (gsize) n;
      gsize words = len / 8;

      for (gsize i = 0; i < words; i++)
        {
          guint64 v;
          memcpy (&v, buf + i * 8, 8);
          a = rotl64 (a ^ (v * G_GUINT64_CONSTANT (0x87C37B91114253D5)), 31) * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);
          b = rotl64 (b + (v ^ G_GUINT64_CONSTANT (0x4CF5AD432745937F)), 27) * G_GUINT64_CONSTANT (0xC2B2AE3D27D4EB4F) + a;
        }
      carry = len - words * 8;
      memmove (buf, buf + words * 8, carry);
      total += (guint64) n;
    }
  if (n < 0)
    return NULL;
  for (gsize i = 0; i < carry; i++)
    {
      a = rotl64 (a ^ (buf[i] * G_GUINT64_CONSTANT (0x87C37B91114253D5)), 31) * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);
      b = rotl64 (b + buf[i] + 1, 27) * G_GUINT64_CONSTANT (0xC2B2AE3D27D4EB4F) + a;
    }
  a ^= total;
  b ^= rotl64 (total, 17);
  a = (a ^ (a >> 33)) * G_GUINT64_CONSTANT (0xFF51AFD7ED558CCD);
  b = (b ^ (b >> 29)) * G_GUINT64_CONSTANT (0xC4CEB9FE1A85EC53);
  return g_strdup_printf ("v1:%" G_GUINT64_FORMAT ":%016" G_GINT64_MODIFIER "x%016" G_GINT64_MODIFIER "x",
                          total, a ^ (a >> 33), b ^ (b >> 31));
}

gboolean
tsy_statement_import_file (TsyStore               *store,
                           const char             *path,
                           const TsyImportOptions *options,
                           TsyImportResult        *result,
                           GCancellable           *cancellable,
                           GError                **error)
{
  return import_file (store, path, options, NULL, result, cancellable, error);
}

static gboolean
import_file (TsyStore               *store,
             const char             *path,
             const TsyImportOptions *options,
             Progress               *progress,
             TsyImportResult        *result,
             GCancellable           *cancellable,
             GError                **error)
{
  g_autoptr(GInputStream) counted = NULL;
  Relay relay = { NULL, progress };
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(TsyCsvProfile) profile = NULL;
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *fingerprint = NULL;
  TsyImportOptions none = { 0 };
  TsyImport *imp;

  if (options == NULL)
    options = &none;
  if (options->profile != NULL)
    {
      profile = tsy_csv_profile_load (options->profile, error);
      if (profile == NULL)
        return FALSE;
    }
  in = g_file_read (file, cancellable, error);
  if (in == NULL)
    {
      g_prefix_error (error, "%s: ", name);
      return FALSE;
    }
  /* A file imported before byte for byte is recognised without parsing it again. */
  fingerprint = fingerprint_stream (G_INPUT_STREAM (in), cancellable, error);
  if (fingerprint == NULL ||
      !g_seekable_seek (G_SEEKABLE (in), 0, G_SEEK_SET, cancellable, error))
    {
      g_prefix_error (error, "%s: ", name);
      return FALSE;
    }
  {
    GError *local_error = NULL;
    if (tsy_import_find_previous (store, fingerprint, options->account, result, &local_error))
      return TRUE;
    if (local_error != NULL)
      {
        g_propagate_error (error, local_error);
        return FALSE;
      }
  }

  imp = tsy_import_begin (store, name, options->account, error);
  if (imp == NULL)
    return FALSE;
  tsy_import_set_fingerprint (imp, fingerprint);
  relay.imp = imp;
  counted = g_object_new (TSY_TYPE_COUNTING_STREAM, "base-stream", in, NULL);
  if (progress != NULL)
    {
      g_autoptr(GFileInfo) info = g_file_input_stream_query_info (in, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                                  NULL, NULL);
      progress->stream = TSY_COUNTING_STREAM (counted);
      progress->size = info ? g_file_info_get_size (info) : 0;
    }
  {
    ParseArgs args = { counted, name, options->format, profile };
    if (!tsy_statement_pipe_run (parse_in_thread, &args, &relay_sink, &relay, cancellable, error))
    {
      tsy_import_abort (imp);
      return FALSE;
    }
  }
  return tsy_import_commit (imp, result, error);
}

/* async */

typedef struct
{
  char                 *path;
  char                 *profile;
  char                 *account;
  TsyImportOptions      options;
  TsyImportProgressFunc progress;
  gpointer              progress_data;
  GMainContext         *context;
} ImportJob;

static void
import_job_free (gpointer data)
{
  ImportJob *job = data;

  g_free (job->path);
  g_free (job->profile);
  g_free (job->account);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_free (job);
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportJob *job = task_data;
  g_autoptr(TsyStore) own = NULL;
  TsyImportResult *result = g_new0 (TsyImportResult, 1);
  Progress progress = { NULL, 0, job->progress, job->progress_data, job->context, 0 };
  GError *error = NULL;

  own = tsy_store_reopen (TSY_STORE (source_object), &error);
  if (own == NULL ||
      !import_file (own, job->path, &job->options, &progress, result, cancellable, &error))
    {
      g_free (result);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, result, (GDestroyNotify) tsy_import_result_free);
}

void
tsy_statement_import_file_async (TsyStore               *store,
                                 const char             *path,
                                 const TsyImportOptions *options,
                                 TsyImportProgressFunc   progress,
                                 gpointer                progress_data,
                                 GCancellable           *cancellable,
                                 GAsyncReadyCallback     callback,
                                 gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  ImportJob *job = g_new0 (ImportJob, 1);

  g_return_if_fail (TSY_IS_STORE (store));
  g_return_if_fail (path != NULL);

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, tsy_statement_import_file_async);
  /* The outcome is the import's: a cancel that comes after the commit must not report a file
   * as not imported when its lines are stored. */
  g_task_set_check_cancellable (task, FALSE);
  job->path = g_strdup (path);
  if (options != NULL)
    {
      job->options = *options;
      job->profile = g_strdup (options->profile);
      job->account = g_strdup (options->account);
    }
  job->options.profile = job->profile;
  job->options.account = job->account;
  job->progress = progress;
  job->progress_data = progress_data;
  job->context = g_main_context_ref_thread_default ();
  g_task_set_task_data (task, job, import_job_free);
  g_task_run_in_thread (task, import_thread);
}

TsyImportResult *
tsy_statement_import_file_finish (TsyStore     *store,
                                  GAsyncResult *result,
                                  GError      **error)
{
  TsyImportResult *r;

  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  r = g_task_propagate_pointer (G_TASK (result), error);
  return r;
}
