/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The statement writers: what they write, our parsers read back exactly, and camt.053 files
 * validate against the official ISO 20022 schemas (xmllint --schema). */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "banks/formats/tsy-statement-writer.h"
#include "ledger/tsy-money.h"
#include "tsy-test-sink.h"

static const char *const names[] = { "上海华东电子材料有限公司", "ACME TRADING LTD", "O'Brien & Sons <UK>" };

/* Writes 3 statements of 7 entries; returns the file's bytes. */
static GBytes *
write_sample (TsyWriterFormat format, const char *account, const char *currency)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(TsyStatementWriter) w = tsy_statement_writer_new (format, out);
  g_autoptr(GError) error = NULL;
  const TsyStatementSink *sink = tsy_statement_writer_sink ();
  gboolean csv = format == TSY_WRITER_CSV_UTF8 || format == TSY_WRITER_CSV_GB18030;
  gint64 balance = -12345;
  TsyStatementHeader h = { 0 };

  h.account = account;
  h.currency = currency;
  h.has_opening = h.has_closing = TRUE;
  for (guint s = 0; s < 3; s++)
    {
      g_autofree char *id = g_strdup_printf ("ST%u", s);
      h.statement_id = id;
      h.opening_minor = balance;
      h.opening_date = tsy_date_from_ymd (2026, 10, 1 + s);
      h.from_date = h.to_date = tsy_date_from_ymd (2026, 10, 2 + s);
      /* camt puts both balances before the entries: the header is complete at the start */
      h.closing_minor = balance;
      for (guint i = 0; i < 7; i++)
        h.closing_minor += (i % 3 == 0 ? -1 : 1) * (gint64) (1000 + s * 97 + i * 13331);
      h.closing_date = h.to_date;
      if (csv && s == 0)
        {
          /* one statement for the whole file */
          for (guint k = 1; k < 3; k++)
            for (guint i = 0; i < 7; i++)
              h.closing_minor += (i % 3 == 0 ? -1 : 1) * (gint64) (1000 + k * 97 + i * 13331);
        }
      if (!csv || s == 0)
        g_assert_true (sink->begin_statement (w, &h, &error));
      for (guint i = 0; i < 7; i++)
        {
          TsyStatementEntry e = { 0 };
          char ref[32], e2e[32], text[64];
          g_snprintf (ref, sizeof ref, "R%u%02u", s, i);
          g_snprintf (e2e, sizeof e2e, "E2E-%u-%u", s, i);
          g_snprintf (text, sizeof text, "INV-2026-%05u, %s", s * 100 + i, i % 2 ? "货款" : "fee");
          e.booking_date = e.value_date = h.from_date;
          e.amount_minor = (i % 3 == 0 ? -1 : 1) * (gint64) (1000 + s * 97 + i * 13331);
          e.bank_ref = ref;
          e.end_to_end_id = e2e;
          e.counterparty_name = names[i % G_N_ELEMENTS (names)];
          e.counterparty_account = "6222000011112222";
          e.text = text;
          balance += e.amount_minor;
          g_assert_true (sink->entry (w, &e, &error));
        }
      if (!csv)
        g_assert_cmpint (h.closing_minor, ==, balance);
      if (!csv)
        g_assert_true (sink->end_statement (w, &h, &error));
    }
  if (csv)
    g_assert_true (sink->end_statement (w, &h, &error));
  g_assert_true (tsy_statement_writer_finish (w, &error));
  g_assert_true (g_output_stream_close (out, NULL, &error));
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

static gboolean
parse_any (GInputStream *in, const char *name, const TsyStatementSink *sink, gpointer data,
           GCancellable *c, GError **error)
{
  return tsy_statement_parse (in, name, TSY_STATEMENT_FORMAT_UNKNOWN, NULL, sink, data, c, error);
}

static void
check_round_trip (TsyWriterFormat format, guint n_statements)
{
  g_autoptr(GBytes) bytes = write_sample (format, "0200001209000123456", "CNY");
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  g_autoptr(TsyTestSink) sink = tsy_test_parse_string (parse_any, data, (gssize) len, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (sink->statements->len, ==, n_statements);
  g_assert_cmpuint (sink->n_entries, ==, 21);
  for (guint s = 0; s < n_statements; s++)
    {
      TsyTestStatement *st = tsy_test_sink_statement (sink, s);
      TsyTestEntry *first = g_ptr_array_index (st->entries, 0);
      g_assert_true (st->header.has_opening && st->header.has_closing);
      g_assert_cmpint (st->header.opening_minor + tsy_test_statement_sum (st), ==, st->header.closing_minor);
      g_assert_nonnull (st->header.account);
      g_assert_true (strstr (st->header.account, "0200001209000123456") != NULL);
      g_assert_cmpstr (first->entry.bank_ref, ==, s == 0 || n_statements == 1 ? "R000" : (s == 1 ? "R100" : "R200"));
      g_assert_cmpint (first->entry.amount_minor, ==, -(gint64) (1000 + s * 97));
      if (format != TSY_WRITER_MT940)
        g_assert_cmpstr (((TsyTestEntry *) g_ptr_array_index (st->entries, 1))->entry.counterparty_name, ==, names[1]);
    }
}

static void
test_mt940 (void)
{
  check_round_trip (TSY_WRITER_MT940, 3);
}

static void
test_camt_v2 (void)
{
  check_round_trip (TSY_WRITER_CAMT053_V2, 3);
}

static void
test_camt_v8 (void)
{
  check_round_trip (TSY_WRITER_CAMT053_V8, 3);
}

static void
test_csv_utf8 (void)
{
  check_round_trip (TSY_WRITER_CSV_UTF8, 1);
}

static void
test_csv_gb18030 (void)
{
  g_autoptr(GBytes) bytes = write_sample (TSY_WRITER_CSV_GB18030, "0200001209000123456", "CNY");
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  /* really GB18030: not valid UTF-8, and 账号 is encoded as D5 CB BA C5 */
  g_assert_false (g_utf8_validate (data, (gssize) len, NULL));
  g_assert_nonnull (memmem (data, len, "\xd5\xcb\xba\xc5", 4));
  check_round_trip (TSY_WRITER_CSV_GB18030, 1);
}

static void
validate_xsd (TsyWriterFormat format, const char *xsd_name)
{
  g_autofree char *xsd = tsy_test_corpus_path (xsd_name);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *file = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  if (xsd == NULL)
    return;
  if (g_find_program_in_path ("xmllint") == NULL)
    {
      g_test_skip ("xmllint is not installed (Debian package libxml2-utils)");
      return;
    }
  bytes = write_sample (format, "NL77ABNA0574908765", "EUR");
  dir = g_dir_make_tmp ("tsy-writer-XXXXXX", NULL);
  file = g_build_filename (dir, "camt.xml", NULL);
  g_assert_true (g_file_set_contents (file, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL));
  {
    const char *argv[] = { "xmllint", "--noout", "--schema", xsd, file, NULL };
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                                 &err, &status, &error));
  }
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s does not validate:\n%s", xsd_name, err);
  g_unlink (file);
  g_rmdir (dir);
}

static void
test_camt_v2_schema (void)
{
  validate_xsd (TSY_WRITER_CAMT053_V2, "xsd/genkgo_camt_camt.053.001.02.xsd");
}

static void
test_camt_v8_schema (void)
{
  validate_xsd (TSY_WRITER_CAMT053_V8, "xsd/genkgo_camt_camt.053.001.08.xsd");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/banks/writer/mt940", test_mt940);
  g_test_add_func ("/banks/writer/camt-v2", test_camt_v2);
  g_test_add_func ("/banks/writer/camt-v8", test_camt_v8);
  g_test_add_func ("/banks/writer/csv-utf8", test_csv_utf8);
  g_test_add_func ("/banks/writer/csv-gb18030", test_csv_gb18030);
  g_test_add_func ("/banks/writer/camt-v2-schema", test_camt_v2_schema);
  g_test_add_func ("/banks/writer/camt-v8-schema", test_camt_v8_schema);
  return g_test_run ();
}
