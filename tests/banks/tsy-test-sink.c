/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <gio/gio.h>
#include <string.h>

#include "banks/tsy-bank-error.h"

#include "tsy-test-sink.h"

static void
free_header_strings (TsyStatementHeader *h)
{
  g_free ((char *) h->format);
  g_free ((char *) h->account);
  g_free ((char *) h->currency);
  g_free ((char *) h->statement_id);
  g_free ((char *) h->sequence);
}

static void
copy_header (TsyStatementHeader       *dst,
             const TsyStatementHeader *src)
{
  *dst = *src;
  dst->format = g_strdup (src->format);
  dst->account = g_strdup (src->account);
  dst->currency = g_strdup (src->currency);
  dst->statement_id = g_strdup (src->statement_id);
  dst->sequence = g_strdup (src->sequence);
}

static void
statement_free (gpointer p)
{
  TsyTestStatement *st = p;

  free_header_strings (&st->header);
  g_ptr_array_unref (st->entries);
  g_free (st);
}

static void
entry_free (gpointer p)
{
  TsyTestEntry *e = p;
  TsyStatementEntry *x = &e->entry;

  g_free ((char *) x->currency);
  g_free ((char *) x->bank_ref);
  g_free ((char *) x->customer_ref);
  g_free ((char *) x->end_to_end_id);
  g_free ((char *) x->counterparty_name);
  g_free ((char *) x->counterparty_account);
  g_free ((char *) x->counterparty_bank);
  g_free ((char *) x->text);
  g_free ((char *) x->bank_tx_code);
  g_free ((char *) x->raw);
  for (guint i = 0; i < x->n_details; i++)
    {
      TsyEntryDetail *d = (TsyEntryDetail *) &x->details[i];
      g_free ((char *) d->end_to_end_id);
      g_free ((char *) d->instruction_id);
      g_free ((char *) d->uetr);
      g_free ((char *) d->counterparty_name);
      g_free ((char *) d->counterparty_account);
      g_free ((char *) d->counterparty_bank);
      g_free ((char *) d->text);
    }
  g_free ((gpointer) x->details);
  g_free (e);
}

static gboolean
on_begin (gpointer                  user_data,
          const TsyStatementHeader *header,
          GError                  **error)
{
  TsyTestSink *sink = user_data;
  TsyTestStatement *st = g_new0 (TsyTestStatement, 1);

  copy_header (&st->header, header);
  st->entries = g_ptr_array_new_with_free_func (entry_free);
  g_ptr_array_add (sink->statements, st);
  return TRUE;
}

static gboolean
on_entry (gpointer                 user_data,
          const TsyStatementEntry *entry,
          GError                 **error)
{
  TsyTestSink *sink = user_data;
  TsyTestStatement *st;
  TsyTestEntry *e;
  TsyStatementEntry *x;

  g_assert_cmpuint (sink->statements->len, >, 0);
  st = g_ptr_array_index (sink->statements, sink->statements->len - 1);
  g_assert_false (st->ended);

  if (sink->fail_at_entry > 0 && sink->n_entries + 1 == sink->fail_at_entry)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "sink refused entry %u",
                   sink->fail_at_entry);
      return FALSE;
    }

  e = g_new0 (TsyTestEntry, 1);
  x = &e->entry;
  *x = *entry;
  x->currency = g_strdup (entry->currency);
  x->bank_ref = g_strdup (entry->bank_ref);
  x->customer_ref = g_strdup (entry->customer_ref);
  x->end_to_end_id = g_strdup (entry->end_to_end_id);
  x->counterparty_name = g_strdup (entry->counterparty_name);
  x->counterparty_account = g_strdup (entry->counterparty_account);
  x->counterparty_bank = g_strdup (entry->counterparty_bank);
  x->text = g_strdup (entry->text);
  x->bank_tx_code = g_strdup (entry->bank_tx_code);
  x->raw = g_strdup (entry->raw);
  if (entry->n_details > 0)
    {
      TsyEntryDetail *d = g_new0 (TsyEntryDetail, entry->n_details);
      for (guint i = 0; i < entry->n_details; i++)
        {
          d[i] = entry->details[i];
          d[i].end_to_end_id = g_strdup (entry->details[i].end_to_end_id);
          d[i].instruction_id = g_strdup (entry->details[i].instruction_id);
          d[i].uetr = g_strdup (entry->details[i].uetr);
          d[i].counterparty_name = g_strdup (entry->details[i].counterparty_name);
          d[i].counterparty_account = g_strdup (entry->details[i].counterparty_account);
          d[i].counterparty_bank = g_strdup (entry->details[i].counterparty_bank);
          d[i].text = g_strdup (entry->details[i].text);
        }
      x->details = d;
    }
  else
    x->details = NULL;
  g_ptr_array_add (st->entries, e);
  sink->n_entries++;
  return TRUE;
}

static gboolean
on_end (gpointer                  user_data,
        const TsyStatementHeader *header,
        GError                  **error)
{
  TsyTestSink *sink = user_data;
  TsyTestStatement *st;

  g_assert_cmpuint (sink->statements->len, >, 0);
  st = g_ptr_array_index (sink->statements, sink->statements->len - 1);
  g_assert_false (st->ended);
  free_header_strings (&st->header);
  copy_header (&st->header, header);
  st->ended = TRUE;
  return TRUE;
}

const TsyStatementSink tsy_test_sink_vtable = { on_begin, on_entry, on_end };

TsyTestSink *
tsy_test_sink_new (void)
{
  TsyTestSink *sink = g_new0 (TsyTestSink, 1);

  sink->statements = g_ptr_array_new_with_free_func (statement_free);
  return sink;
}

void
tsy_test_sink_free (TsyTestSink *sink)
{
  if (sink == NULL)
    return;
  g_ptr_array_unref (sink->statements);
  g_free (sink);
}

TsyTestStatement *
tsy_test_sink_statement (TsyTestSink *sink,
                         guint        i)
{
  g_assert_cmpuint (i, <, sink->statements->len);
  return g_ptr_array_index (sink->statements, i);
}

gint64
tsy_test_statement_sum (TsyTestStatement *st)
{
  gint64 sum = 0;

  for (guint i = 0; i < st->entries->len; i++)
    sum += ((TsyTestEntry *) g_ptr_array_index (st->entries, i))->entry.amount_minor;
  return sum;
}

char *
tsy_test_corpus_path (const char *relative)
{
  const char *dir = g_getenv ("TREASURY_CORPUS");
  char *path;

  if (dir == NULL || *dir == '\0')
    dir = g_getenv ("TSY_CORPUS_DIR");

  if (g_path_is_absolute (relative))
    return g_strdup (relative);
  if (dir == NULL)
    dir = "../shared/corpus";
  path = g_build_filename (dir, relative, NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip_printf ("corpus file %s is missing (../shared/corpus not beside the checkout)",
                          path);
      g_free (path);
      return NULL;
    }
  return path;
}

TsyTestSink *
tsy_test_parse_file (TsyTestParseFunc parse,
                     const char      *path,
                     GError         **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, error);
  g_autofree char *base = g_path_get_basename (path);
  TsyTestSink *sink;

  if (in == NULL)
    return NULL;
  sink = tsy_test_sink_new ();
  parse (G_INPUT_STREAM (in), base, &tsy_test_sink_vtable, sink, NULL, error);
  return sink;
}

TsyTestSink *
tsy_test_parse_string (TsyTestParseFunc parse,
                       const char      *text,
                       gssize           len,
                       GError         **error)
{
  g_autoptr(GInputStream) in = NULL;
  TsyTestSink *sink = tsy_test_sink_new ();

  if (len < 0)
    len = strlen (text);
  in = g_memory_input_stream_new_from_data (g_memdup2 (text, len), len, g_free);
  parse (in, "test.txt", &tsy_test_sink_vtable, sink, NULL, error);
  return sink;
}

TsyStatementEntry *
tsy_test_entry_at (TsyTestStatement *st,
                   guint             i)
{
  g_assert_cmpuint (i, <, st->entries->len);
  return &((TsyTestEntry *) g_ptr_array_index (st->entries, i))->entry;
}

TsyTestSink *
tsy_test_parse_ok (TsyTestParseFunc parse,
                   const char      *text)
{
  g_autoptr(GError) error = NULL;
  TsyTestSink *sink = tsy_test_parse_string (parse, text, -1, &error);

  g_assert_no_error (error);
  return sink;
}

void
tsy_test_assert_refused (TsyTestParseFunc parse,
                         const char      *text,
                         int              code,
                         const char     **needles)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyTestSink) sink = tsy_test_parse_string (parse, text, -1, &error);

  g_assert_error (error, TSY_BANK_ERROR, code);
  g_assert_true (g_str_has_prefix (error->message, "test.txt: "));
  for (guint i = 0; needles != NULL && needles[i] != NULL; i++)
    if (strstr (error->message, needles[i]) == NULL)
      g_error ("“%s” not in the message “%s”", needles[i], error->message);
}

TsyTestSink *
tsy_test_parse_corpus (TsyTestParseFunc parse,
                       const char      *folder,
                       const char      *name,
                       GError         **error)
{
  g_autofree char *rel = g_build_filename (folder, name, NULL);
  g_autofree char *path = tsy_test_corpus_path (rel);

  if (path == NULL)
    return NULL;
  return tsy_test_parse_file (parse, path, error);
}

guint
tsy_test_every_prefix (TsyTestParseFunc parse,
                       const char      *folder,
                       const char      *name)
{
  g_autofree char *rel = g_build_filename (folder, name, NULL);
  g_autofree char *path = tsy_test_corpus_path (rel);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyTestSink) full = NULL;
  gsize len;
  guint n_ok = 0;

  if (path == NULL)
    return G_MAXUINT;
  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  full = tsy_test_parse_string (parse, contents, (gssize) len, &error);
  g_assert_no_error (error);

  for (gsize n = 0; n < len; n++)
    {
      g_autoptr(GError) prefix_error = NULL;
      g_autoptr(TsyTestSink) sink = tsy_test_parse_string (parse, contents, (gssize) n, &prefix_error);

      if (prefix_error != NULL)
        {
          g_assert_true (prefix_error->domain == TSY_BANK_ERROR);
          g_assert_true (g_str_has_prefix (prefix_error->message, "test.txt: "));
          continue;
        }
      n_ok++;
      g_assert_cmpuint (sink->statements->len, ==, full->statements->len);
      g_assert_cmpuint (sink->n_entries, ==, full->n_entries);
    }
  return n_ok;
}
