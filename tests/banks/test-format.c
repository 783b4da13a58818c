/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Format names, detection from the content, the dispatcher, and the shared line reader. */
#include <gio/gio.h>
#include <string.h>

#include "banks/formats/tsy-line-reader.h"
#include "banks/formats/tsy-statement-format.h"
#include "tsy-test-sink.h"

/* ---- a stream that returns at most @chunk bytes per read ------------------ */

#define TEST_TYPE_CHUNK_STREAM (test_chunk_stream_get_type ())
G_DECLARE_FINAL_TYPE (TestChunkStream, test_chunk_stream, TEST, CHUNK_STREAM, GInputStream)

struct _TestChunkStream
{
  GInputStream parent_instance;
  GBytes      *bytes;
  gsize        pos;
  gsize        chunk;
};

G_DEFINE_TYPE (TestChunkStream, test_chunk_stream, G_TYPE_INPUT_STREAM)

static gssize
test_chunk_stream_read (GInputStream  *stream,
                        void          *buffer,
                        gsize          count,
                        GCancellable  *cancellable,
                        GError       **error)
{
  TestChunkStream *self = TEST_CHUNK_STREAM (stream);
  gsize size;
  const guint8 *data = g_bytes_get_data (self->bytes, &size);
  gsize n = MIN (MIN (count, self->chunk), size - self->pos);

  if (n == 0)
    return 0;
  memcpy (buffer, data + self->pos, n);
  self->pos += n;
  return (gssize) n;
}

static void
test_chunk_stream_finalize (GObject *object)
{
  TestChunkStream *self = TEST_CHUNK_STREAM (object);

  g_bytes_unref (self->bytes);
  G_OBJECT_CLASS (test_chunk_stream_parent_class)->finalize (object);
}

static void
test_chunk_stream_class_init (TestChunkStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_chunk_stream_finalize;
  G_INPUT_STREAM_CLASS (klass)->read_fn = test_chunk_stream_read;
}

static void
test_chunk_stream_init (TestChunkStream *self)
{
}

static GInputStream *
chunk_stream_new (const char *data,
                  gsize       len,
                  gsize       chunk)
{
  TestChunkStream *self = g_object_new (TEST_TYPE_CHUNK_STREAM, NULL);

  self->bytes = g_bytes_new (data, len);
  self->chunk = chunk;
  return G_INPUT_STREAM (self);
}

/* All lines of @data read with chunks of @chunk bytes, joined with "|". */
static char *
read_lines (const char *data,
            gsize       len,
            gsize       chunk,
            GError    **error)
{
  g_autoptr(GInputStream) in = chunk_stream_new (data, len, chunk);
  g_autoptr(TsyLineReader) reader = tsy_line_reader_new (in, NULL);
  GString *out = g_string_new (NULL);
  const char *line;
  gsize n;
  guint count = 0;

  while (tsy_line_reader_next (reader, &line, &n, error))
    {
      if (count++ > 0)
        g_string_append_c (out, '|');
      g_string_append_len (out, line, n);
      g_assert_cmpuint (tsy_line_reader_get_line (reader), ==, count);
    }
  return g_string_free (out, FALSE);
}

/* ---- names ---------------------------------------------------------------- */

static void
test_names (void)
{
  const TsyStatementFormat all[] = {
    TSY_STATEMENT_FORMAT_MT940, TSY_STATEMENT_FORMAT_MT942, TSY_STATEMENT_FORMAT_CAMT,
    TSY_STATEMENT_FORMAT_BAI2, TSY_STATEMENT_FORMAT_OFX, TSY_STATEMENT_FORMAT_CSV,
  };

  g_assert_cmpstr (tsy_statement_format_to_string (TSY_STATEMENT_FORMAT_MT940), ==, "mt940");
  g_assert_cmpstr (tsy_statement_format_to_string (TSY_STATEMENT_FORMAT_MT942), ==, "mt942");
  g_assert_cmpstr (tsy_statement_format_to_string (TSY_STATEMENT_FORMAT_CAMT), ==, "camt");
  g_assert_cmpstr (tsy_statement_format_to_string (TSY_STATEMENT_FORMAT_BAI2), ==, "bai2");
  g_assert_cmpstr (tsy_statement_format_to_string (TSY_STATEMENT_FORMAT_OFX), ==, "ofx");
  g_assert_cmpstr (tsy_statement_format_to_string (TSY_STATEMENT_FORMAT_CSV), ==, "csv");
  g_assert_cmpstr (tsy_statement_format_to_string (TSY_STATEMENT_FORMAT_UNKNOWN), ==, "unknown");

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    g_assert_cmpint (tsy_statement_format_from_string (tsy_statement_format_to_string (all[i])),
                     ==, all[i]);
  g_assert_cmpint (tsy_statement_format_from_string ("MT940"), ==, TSY_STATEMENT_FORMAT_MT940);
  g_assert_cmpint (tsy_statement_format_from_string ("camt.053"), ==, TSY_STATEMENT_FORMAT_CAMT);
  g_assert_cmpint (tsy_statement_format_from_string ("CSV"), ==, TSY_STATEMENT_FORMAT_CSV);
  g_assert_cmpint (tsy_statement_format_from_string ("pdf"), ==, TSY_STATEMENT_FORMAT_UNKNOWN);
  g_assert_cmpint (tsy_statement_format_from_string (""), ==, TSY_STATEMENT_FORMAT_UNKNOWN);
  g_assert_cmpint (tsy_statement_format_from_string (NULL), ==, TSY_STATEMENT_FORMAT_UNKNOWN);
}

/* ---- detection ------------------------------------------------------------ */

static TsyStatementFormat
detect (const char *text)
{
  return tsy_statement_format_detect ((const guint8 *) text, strlen (text));
}

static void
test_detect_swift (void)
{
  g_assert_cmpint (detect (":20:REF\n:25:NL91ABNA0417164300\n:28C:1\n:60F:C240101EUR1,00\n"),
                   ==, TSY_STATEMENT_FORMAT_MT940);
  g_assert_cmpint (detect ("\r\n:20:STARTUMS\r\n:25:12345678/1234567890\r\n"),
                   ==, TSY_STATEMENT_FORMAT_MT940);
  g_assert_cmpint (detect ("{1:F01INGBNL2ABXXX0000000000}\n{2:I940INGBNL2AXXXN}\n{4:\n:20:P1\n"),
                   ==, TSY_STATEMENT_FORMAT_MT940);
  g_assert_cmpint (detect (":940:\n:20:940S140102\n:25:NL34RABO0142623393 EUR\n"),
                   ==, TSY_STATEMENT_FORMAT_MT940);
  /* bank header lines (ABN AMRO) and SOH before the first field */
  g_assert_cmpint (detect ("ABNANL2A\n940\nABNANL2A\n:20:ABN AMRO BANK NV\n:25:517852257\n"),
                   ==, TSY_STATEMENT_FORMAT_MT940);
  g_assert_cmpint (detect ("\x01\n:20:ST170119CYC/1\n:25:PL29114010810000267002001002\n"),
                   ==, TSY_STATEMENT_FORMAT_MT940);
  /* MT942 by its fields or by its envelope */
  g_assert_cmpint (detect (":20:X\n:25:GJB0291077111\n:28C:1\n:34F:EURD0,00\n:13D:1610301730+0000\n"),
                   ==, TSY_STATEMENT_FORMAT_MT942);
  g_assert_cmpint (detect ("{1:F01BANKDEFFXXXX0000000000}{2:O942BANKDEFFXXXXN}{4:\n:20:X\n"),
                   ==, TSY_STATEMENT_FORMAT_MT942);
  /* a fragment that starts with a field goes to the MT940 parser, which says what is wrong */
  g_assert_cmpint (detect (":60F:C100318EUR380115,12\n"), ==, TSY_STATEMENT_FORMAT_MT940);
  /* a lone ":20:" inside some other text is not enough */
  g_assert_cmpint (detect ("Notes\n:20: minutes of the meeting\nnothing else\n"),
                   ==, TSY_STATEMENT_FORMAT_UNKNOWN);
}

static void
test_detect_xml_and_others (void)
{
  const char *camt =
    "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt>";

  g_assert_cmpint (detect (camt), ==, TSY_STATEMENT_FORMAT_CAMT);
  g_assert_cmpint (detect ("\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                           "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.052.001.08\">"),
                   ==, TSY_STATEMENT_FORMAT_CAMT);
  g_assert_cmpint (detect ("<?xml version=\"1.0\"?>\n<ns2:Document "
                           "xmlns:ns2=\"urn:iso:std:iso:20022:tech:xsd:camt.054.001.04\">"),
                   ==, TSY_STATEMENT_FORMAT_CAMT);
  /* pain.002 is ISO 20022 too, but not a statement */
  g_assert_cmpint (detect ("<?xml version=\"1.0\"?><Document "
                           "xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.002.001.03\">"),
                   ==, TSY_STATEMENT_FORMAT_UNKNOWN);

  g_assert_cmpint (detect ("OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n<OFX>"),
                   ==, TSY_STATEMENT_FORMAT_OFX);
  g_assert_cmpint (detect ("<?xml version=\"1.0\"?>\n<?OFX OFXHEADER=\"200\" VERSION=\"211\"?>\n<OFX>"),
                   ==, TSY_STATEMENT_FORMAT_OFX);
  g_assert_cmpint (detect ("<OFX>\n<SIGNONMSGSRSV1>"), ==, TSY_STATEMENT_FORMAT_OFX);

  g_assert_cmpint (detect ("01,SVBUS,12345,220201,0400,1,,,2/\n02,,121140399,1,220201,,USD,2/\n"),
                   ==, TSY_STATEMENT_FORMAT_BAI2);

  g_assert_cmpint (detect ("交易日期,交易时间,收入金额,支出金额,余额\n20240101,10:00:00,100.00,,100.00\n"),
                   ==, TSY_STATEMENT_FORMAT_CSV);
  g_assert_cmpint (detect ("\xEF\xBB\xBF" "Date;Amount;Text\n2024-01-01;1,00;x\n"),
                   ==, TSY_STATEMENT_FORMAT_CSV);

  g_assert_cmpint (detect (""), ==, TSY_STATEMENT_FORMAT_UNKNOWN);
  g_assert_cmpint (detect ("   \n\n"), ==, TSY_STATEMENT_FORMAT_UNKNOWN);
  g_assert_cmpint (detect ("just a letter\nwith no columns\n"), ==, TSY_STATEMENT_FORMAT_UNKNOWN);
  g_assert_cmpint (tsy_statement_format_detect (NULL, 0), ==, TSY_STATEMENT_FORMAT_UNKNOWN);
}

static void
test_detect_gb18030 (void)
{
  const char *utf8 = "账号:6222000011112222\n交易日期,交易流水号,借方发生额,贷方发生额,余额,对方户名\n"
                     "2024-01-02,A0001,,1000.00,1000.00,上海某某有限公司\n";
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  g_autofree char *gb = g_convert (utf8, -1, "GB18030", "UTF-8", NULL, &len, &error);

  g_assert_no_error (error);
  g_assert_false (g_utf8_validate (gb, (gssize) len, NULL));
  g_assert_cmpint (tsy_statement_format_detect ((const guint8 *) gb, len), ==,
                   TSY_STATEMENT_FORMAT_CSV);
  /* binary data with commas is not CSV */
  g_assert_cmpint (tsy_statement_format_detect ((const guint8 *) "PK\x03\x04,,,\x00\x01", 9), ==,
                   TSY_STATEMENT_FORMAT_UNKNOWN);
  g_assert_cmpint (tsy_statement_format_detect ((const guint8 *) "%PDF-1.4\n\x01\x02,\x00", 14), ==,
                   TSY_STATEMENT_FORMAT_UNKNOWN);
}

static TsyStatementFormat
detect_file (const char *relative)
{
  g_autofree char *path = tsy_test_corpus_path (relative);
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;

  if (path == NULL)
    return TSY_STATEMENT_FORMAT_UNKNOWN;
  g_assert_true (g_file_get_contents (path, &data, &len, &error));
  g_assert_no_error (error);
  return tsy_statement_format_detect ((const guint8 *) data, MIN (len, 4096));
}

/* Every file of the corpus, by its folder (never by its name), with the odd ones out. */
static void
test_detect_corpus (void)
{
  static const struct
  {
    const char        *dir;
    TsyStatementFormat format;
  } dirs[] = {
    { "mt940", TSY_STATEMENT_FORMAT_MT940 },
    { "mt942", TSY_STATEMENT_FORMAT_MT942 },
    { "camt052", TSY_STATEMENT_FORMAT_CAMT },
    { "camt053", TSY_STATEMENT_FORMAT_CAMT },
    { "camt054", TSY_STATEMENT_FORMAT_CAMT },
    { "bai2", TSY_STATEMENT_FORMAT_BAI2 },
    { "ofx", TSY_STATEMENT_FORMAT_OFX },
    /* schemas and payment status reports are not statements */
    { "xsd", TSY_STATEMENT_FORMAT_UNKNOWN },
    { "pain002", TSY_STATEMENT_FORMAT_UNKNOWN },
  };
  static const struct
  {
    const char        *file;
    TsyStatementFormat format;
  } exceptions[] = {
    /* lines "1" to "10" */
    { "mt940/wolph_mt940_self-provided-invalid_statement.sta", TSY_STATEMENT_FORMAT_UNKNOWN },
    /* a zip archive */
    { "camt053/OCA_bank-statement-import_test-camt053.zip", TSY_STATEMENT_FORMAT_UNKNOWN },
    /* record "00," instead of "01,": text with commas, which the CSV parser refuses */
    { "bai2/moov-io_bai2_sample-parseError.txt", TSY_STATEMENT_FORMAT_CSV },
    /* a Document without a namespace: still handed to the camt parser */
    { "camt052/hbci4j_hbci4java_test-camt-parse-none.xml", TSY_STATEMENT_FORMAT_CAMT },
  };
  guint checked = 0;

  for (guint d = 0; d < G_N_ELEMENTS (dirs); d++)
    {
      g_autofree char *dir_path = tsy_test_corpus_path (dirs[d].dir);
      g_autoptr(GDir) dir = NULL;
      const char *name;

      if (dir_path == NULL)
        return;
      dir = g_dir_open (dir_path, 0, NULL);
      g_assert_nonnull (dir);
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *rel = g_build_filename (dirs[d].dir, name, NULL);
          g_autofree char *full = g_build_filename (dir_path, name, NULL);
          TsyStatementFormat want = dirs[d].format;

          if (g_file_test (full, G_FILE_TEST_IS_DIR))
            continue;
          for (guint e = 0; e < G_N_ELEMENTS (exceptions); e++)
            if (strcmp (rel, exceptions[e].file) == 0)
              want = exceptions[e].format;
          g_test_message ("%s", rel);
          g_assert_cmpstr (tsy_statement_format_to_string (detect_file (rel)), ==,
                           tsy_statement_format_to_string (want));
          checked++;
        }
    }
  g_assert_cmpuint (checked, >, 150);
}

/* ---- dispatcher ----------------------------------------------------------- */

static const char *const two_statements =
  ":20:ONE\n:25:NL91ABNA0417164300\n:28C:1/1\n:60F:C240102EUR100,00\n"
  ":61:240102D10,00NTRFNONREF//B1\n:86:first\n:62F:C240102EUR90,00\n-\n"
  ":20:TWO\n:25:NL91ABNA0417164300\n:28C:2/1\n:60F:C240103EUR90,00\n"
  ":61:240103C5,50NTRFNONREF//B2\n:86:second\n:62F:C240103EUR95,50\n-\n";

static TsyTestSink *
dispatch (const char        *text,
          gsize              len,
          gsize              chunk,
          TsyStatementFormat format,
          GError           **error)
{
  g_autoptr(GInputStream) in = chunk_stream_new (text, len, chunk);
  TsyTestSink *sink = tsy_test_sink_new ();

  tsy_statement_parse (in, "upload.dat", format, NULL, &tsy_test_sink_vtable, sink, NULL, error);
  /* the caller's stream is the caller's to close */
  g_assert_false (g_input_stream_is_closed (in));
  return sink;
}

static void
test_dispatch_detects (void)
{
  const gsize chunks[] = { 1, 7, 4096, 1 << 20 };

  /* detection peeks at the head; the parser must still see every byte */
  for (guint i = 0; i < G_N_ELEMENTS (chunks); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TsyTestSink) sink = dispatch (two_statements, strlen (two_statements), chunks[i],
                                              TSY_STATEMENT_FORMAT_UNKNOWN, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (sink->statements->len, ==, 2);
      g_assert_cmpuint (sink->n_entries, ==, 2);
      g_assert_cmpstr (tsy_test_sink_statement (sink, 0)->header.statement_id, ==, "ONE");
      g_assert_cmpstr (tsy_test_sink_statement (sink, 1)->header.statement_id, ==, "TWO");
      g_assert_cmpint (tsy_test_statement_sum (tsy_test_sink_statement (sink, 1)), ==, 550);
    }
}

static void
test_dispatch_long_head (void)
{
  /* a first statement longer than the detection head */
  GString *big = g_string_new (":20:BIG\n:25:NL91ABNA0417164300\n:28C:1\n:60F:C240102EUR0,00\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyTestSink) sink = NULL;

  for (guint i = 0; i < 300; i++)
    g_string_append_printf (big, ":61:240102C1,00NTRFREF%u//B%u\n:86:entry %u\n", i, i, i);
  g_string_append (big, ":62F:C240102EUR300,00\n-\n");
  sink = dispatch (big->str, big->len, 1000, TSY_STATEMENT_FORMAT_UNKNOWN, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sink->n_entries, ==, 300);
  g_assert_cmpint (tsy_test_sink_statement (sink, 0)->header.closing_minor, ==, 30000);
  g_string_free (big, TRUE);
}

static void
test_dispatch_explicit_and_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyTestSink) sink = NULL;

  sink = dispatch (two_statements, strlen (two_statements), 64, TSY_STATEMENT_FORMAT_MT942, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sink->statements->len, ==, 2);
  g_clear_pointer (&sink, tsy_test_sink_free);

  sink = dispatch ("hello world\n", 12, 64, TSY_STATEMENT_FORMAT_UNKNOWN, &error);
  g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_UNSUPPORTED);
  g_assert_true (g_str_has_prefix (error->message, "upload.dat: "));
  g_assert_cmpuint (sink->statements->len, ==, 0);
  g_clear_error (&error);
  g_clear_pointer (&sink, tsy_test_sink_free);

  sink = dispatch ("", 0, 64, TSY_STATEMENT_FORMAT_UNKNOWN, &error);
  g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, "upload.dat: "));
  g_clear_error (&error);
  g_clear_pointer (&sink, tsy_test_sink_free);

  /* MT940 text handed to the MT940 parser by name is parsed whatever detection would say */
  sink = dispatch (two_statements, strlen (two_statements), 64, TSY_STATEMENT_FORMAT_MT940, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sink->n_entries, ==, 2);
}

/* ---- line reader ---------------------------------------------------------- */

static void
test_reader_endings (void)
{
  const gsize chunks[] = { 1, 2, 3, 65536 };

  for (guint i = 0; i < G_N_ELEMENTS (chunks); i++)
    {
      g_autoptr(GError) error = NULL;
#define READ(literal) read_lines (literal, sizeof (literal) - 1, chunks[i], &error)
      g_autofree char *crlf = READ ("a\r\nbb\r\n\r\nccc\r\n");
      g_autofree char *lf = READ ("a\nbb\n\nccc\n");
      g_autofree char *cr = READ ("a\rbb\r\rccc\r");
      g_autofree char *mixed = READ ("a\r\r\nbb\n\rccc");
      g_autofree char *none = READ ("a\nlast");
      g_autofree char *empty = READ ("");
      g_autofree char *nul = READ ("a\0b\nc");
#undef READ

      g_assert_no_error (error);
      g_assert_cmpstr (crlf, ==, "a|bb||ccc");
      g_assert_cmpstr (lf, ==, "a|bb||ccc");
      g_assert_cmpstr (cr, ==, "a|bb||ccc");
      /* "\r\r\n" is a lone CR then a CRLF; "\n\r" a LF then a lone CR */
      g_assert_cmpstr (mixed, ==, "a||bb||ccc");
      g_assert_cmpstr (none, ==, "a|last");
      g_assert_cmpstr (empty, ==, "");
      g_assert_cmpmem (nul, 5, "a\0b|c", 5);
    }
}

static void
test_reader_final_newline (void)
{
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data ("one\r\ntwo", 8, NULL);
  g_autoptr(TsyLineReader) reader = tsy_line_reader_new (in, NULL);
  g_autoptr(GError) error = NULL;
  const char *line;
  gsize len;

  g_assert_cmpuint (tsy_line_reader_get_line (reader), ==, 0);
  g_assert_true (tsy_line_reader_next (reader, &line, &len, &error));
  g_assert_cmpmem (line, len, "one", 3);
  g_assert_true (tsy_line_reader_had_newline (reader));

  /* push back gives the same line again, with its number */
  tsy_line_reader_push_back (reader);
  g_assert_cmpuint (tsy_line_reader_get_line (reader), ==, 0);
  g_assert_true (tsy_line_reader_next (reader, &line, &len, &error));
  g_assert_cmpmem (line, len, "one", 3);
  g_assert_cmpuint (tsy_line_reader_get_line (reader), ==, 1);

  g_assert_true (tsy_line_reader_next (reader, &line, &len, &error));
  g_assert_cmpmem (line, len, "two", 3);
  g_assert_false (tsy_line_reader_had_newline (reader));
  g_assert_cmpuint (tsy_line_reader_get_line (reader), ==, 2);
  g_assert_false (tsy_line_reader_next (reader, &line, &len, &error));
  g_assert_no_error (error);
  g_assert_false (tsy_line_reader_next (reader, &line, &len, &error));
  g_assert_no_error (error);
}

/* A "\r\n" whose "\r" is the last byte of one 64 KiB read and "\n" the first of the next. */
static void
test_reader_crlf_split (void)
{
  const gsize first = 65535;
  GString *data = g_string_new (NULL);
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(TsyLineReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  const char *line;
  gsize len;

  for (gsize i = 0; i < first; i++)
    g_string_append_c (data, (char) ('a' + i % 26));
  g_string_append (data, "\r\nsecond\r\n");
  g_assert_cmpint (data->str[65535], ==, '\r');
  g_assert_cmpint (data->str[65536], ==, '\n');

  in = chunk_stream_new (data->str, data->len, 65536);
  reader = tsy_line_reader_new (in, NULL);
  g_assert_true (tsy_line_reader_next (reader, &line, &len, &error));
  g_assert_cmpuint (len, ==, first);
  g_assert_cmpmem (line, len, data->str, first);
  g_assert_true (tsy_line_reader_next (reader, &line, &len, &error));
  /* not an empty line for the "\n": the CRLF was one terminator */
  g_assert_cmpmem (line, len, "second", 6);
  g_assert_false (tsy_line_reader_next (reader, &line, &len, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tsy_line_reader_get_line (reader), ==, 2);
  g_string_free (data, TRUE);
}

/* Lines across many buffer refills keep their content. */
static void
test_reader_many_lines (void)
{
  GString *data = g_string_new (NULL);
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(TsyLineReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  const char *line;
  gsize len;
  guint n = 0;

  for (guint i = 0; i < 50000; i++)
    g_string_append_printf (data, "line %u%s", i, i % 3 == 0 ? "\r\n" : i % 3 == 1 ? "\n" : "\r");
  in = chunk_stream_new (data->str, data->len, 40000);
  reader = tsy_line_reader_new (in, NULL);
  while (tsy_line_reader_next (reader, &line, &len, &error))
    {
      g_autofree char *want = g_strdup_printf ("line %u", n);
      g_assert_cmpmem (line, len, want, strlen (want));
      n++;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 50000);
  g_string_free (data, TRUE);
}

static void
test_reader_too_long (void)
{
  const gsize limit = TSY_LINE_READER_MAX_LINE;
  gsize n = limit + 2;
  char *data = g_malloc (n + 8);
  g_autoptr(GError) error = NULL;
  g_autofree char *lines = NULL;

  /* exactly at the limit is fine */
  memset (data, 'x', n + 8);
  data[limit] = '\n';
  memcpy (data + limit + 1, "ok\n", 3);
  lines = read_lines (data, limit + 4, 65536, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (lines), ==, limit + 3);
  g_clear_pointer (&lines, g_free);

  /* one byte more, with or without a terminator later, is an error */
  memset (data, 'x', n + 8);
  data[n] = '\n';
  lines = read_lines (data, n + 1, 65536, &error);
  g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, "Line 1 "));
  g_clear_error (&error);
  g_clear_pointer (&lines, g_free);

  lines = read_lines (data, n, 65536, &error);
  g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PARSE);
  g_clear_error (&error);
  g_clear_pointer (&lines, g_free);

  /* the same in one big read */
  lines = read_lines (data, n + 1, n + 1, &error);
  g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PARSE);
  g_free (data);
}

static void
test_reader_cancelled (void)
{
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data ("a\nb\n", 4, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(TsyLineReader) reader = tsy_line_reader_new (in, cancellable);
  g_autoptr(GError) error = NULL;
  const char *line;
  gsize len;

  g_cancellable_cancel (cancellable);
  g_assert_false (tsy_line_reader_next (reader, &line, &len, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/banks/format/names", test_names);
  g_test_add_func ("/banks/format/detect-swift", test_detect_swift);
  g_test_add_func ("/banks/format/detect-xml-and-others", test_detect_xml_and_others);
  g_test_add_func ("/banks/format/detect-gb18030", test_detect_gb18030);
  g_test_add_func ("/banks/format/detect-corpus", test_detect_corpus);
  g_test_add_func ("/banks/format/dispatch-detects", test_dispatch_detects);
  g_test_add_func ("/banks/format/dispatch-long-head", test_dispatch_long_head);
  g_test_add_func ("/banks/format/dispatch-explicit-and-errors", test_dispatch_explicit_and_errors);
  g_test_add_func ("/banks/format/line-reader/endings", test_reader_endings);
  g_test_add_func ("/banks/format/line-reader/final-newline", test_reader_final_newline);
  g_test_add_func ("/banks/format/line-reader/crlf-split", test_reader_crlf_split);
  g_test_add_func ("/banks/format/line-reader/many-lines", test_reader_many_lines);
  g_test_add_func ("/banks/format/line-reader/too-long", test_reader_too_long);
  g_test_add_func ("/banks/format/line-reader/cancelled", test_reader_cancelled);
  return g_test_run ();
}
