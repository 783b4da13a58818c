/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Statement format names, detection from the content (never from the file name)
 * and the dispatcher to the parsers.
 */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsy-statement-format.h"

/* What detection reads of a file; tsy_statement_format_detect() needs no more. */
#define DETECT_HEAD 4096

static const struct
{
  TsyStatementFormat format;
  const char        *name;
} format_names[] = {
  { TSY_STATEMENT_FORMAT_MT940, "mt940" },
  { TSY_STATEMENT_FORMAT_MT942, "mt942" },
  { TSY_STATEMENT_FORMAT_CAMT, "camt" },
  { TSY_STATEMENT_FORMAT_BAI2, "bai2" },
  { TSY_STATEMENT_FORMAT_OFX, "ofx" },
  { TSY_STATEMENT_FORMAT_CSV, "csv" },
};

/* Other spellings users type for --format. */
static const struct
{
  TsyStatementFormat format;
  const char        *name;
} format_aliases[] = {
  { TSY_STATEMENT_FORMAT_MT940, "mt-940" },
  { TSY_STATEMENT_FORMAT_MT940, "swift" },
  { TSY_STATEMENT_FORMAT_MT942, "mt-942" },
  { TSY_STATEMENT_FORMAT_CAMT, "camt.052" },
  { TSY_STATEMENT_FORMAT_CAMT, "camt.053" },
  { TSY_STATEMENT_FORMAT_CAMT, "camt.054" },
  { TSY_STATEMENT_FORMAT_CAMT, "camt052" },
  { TSY_STATEMENT_FORMAT_CAMT, "camt053" },
  { TSY_STATEMENT_FORMAT_CAMT, "camt054" },
  { TSY_STATEMENT_FORMAT_BAI2, "bai" },
  { TSY_STATEMENT_FORMAT_OFX, "qfx" },
};

const char *
tsy_statement_format_to_string (TsyStatementFormat format)
{
  for (guint i = 0; i < G_N_ELEMENTS (format_names); i++)
    if (format_names[i].format == format)
      return format_names[i].name;
  return "unknown";
}

TsyStatementFormat
tsy_statement_format_from_string (const char *text)
{
  if (text == NULL)
    return TSY_STATEMENT_FORMAT_UNKNOWN;
  for (guint i = 0; i < G_N_ELEMENTS (format_names); i++)
    if (g_ascii_strcasecmp (text, format_names[i].name) == 0)
      return format_names[i].format;
  for (guint i = 0; i < G_N_ELEMENTS (format_aliases); i++)
    if (g_ascii_strcasecmp (text, format_aliases[i].name) == 0)
      return format_aliases[i].format;
  return TSY_STATEMENT_FORMAT_UNKNOWN;
}

/* ---- detection ----------------------------------------------------------- */

static gboolean
has_prefix (const guint8 *p,
            gsize         n,
            const char   *prefix)
{
  gsize l = strlen (prefix);

  return n >= l && memcmp (p, prefix, l) == 0;
}

static gboolean
has_prefix_ci (const guint8 *p,
               gsize         n,
               const char   *prefix)
{
  gsize l = strlen (prefix);

  return n >= l && g_ascii_strncasecmp ((const char *) p, prefix, l) == 0;
}

static gboolean
contains (const guint8 *p,
          gsize         n,
          const char   *needle)
{
  return memmem (p, n, needle, strlen (needle)) != NULL;
}

static gboolean
contains_ci (const guint8 *p,
             gsize         n,
             const char   *needle)
{
  gsize l = strlen (needle);

  for (gsize i = 0; i + l <= n; i++)
    if (g_ascii_strncasecmp ((const char *) p + i, needle, l) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
is_ws (guint8 c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The first element after the XML declaration, comments and processing instructions is
 * "Document" (in any namespace prefix). */
static gboolean
root_is_document (const guint8 *p,
                  gsize         n)
{
  gsize i = 0;

  while (i < n)
    {
      const guint8 *lt = memchr (p + i, '<', n - i);
      gsize start, end;

      if (lt == NULL)
        return FALSE;
      i = (gsize) (lt - p) + 1;
      if (i < n && (p[i] == '?' || p[i] == '!'))
        continue;
      start = end = i;
      while (end < n && !is_ws (p[end]) && p[end] != '>' && p[end] != '/')
        {
          if (p[end] == ':')
            start = end + 1;
          end++;
        }
      return end - start == 8 && memcmp (p + start, "Document", 8) == 0;
    }
  return FALSE;
}

/* ":20:", ":60F:", ":NS:" */
static gboolean
is_swift_tag (const guint8 *p,
              gsize         n)
{
  if (n >= 4 && p[0] == ':' && p[1] == 'N' && p[2] == 'S' && p[3] == ':')
    return TRUE;
  if (n < 4 || p[0] != ':' || !g_ascii_isdigit (p[1]) || !g_ascii_isdigit (p[2]))
    return FALSE;
  return p[3] == ':' || (n >= 5 && g_ascii_isupper (p[3]) && p[4] == ':');
}

/* SWIFT MT: an envelope, a ":940:" header line, or ":20:" and another field at line starts. */
static TsyStatementFormat
detect_swift (const guint8 *p,
              gsize         n)
{
  gboolean has_20 = FALSE, has_other = FALSE, is_942 = FALSE, first = TRUE, first_tag = FALSE;
  gsize i = 0;

  while (i < n)
    {
      const guint8 *line = p + i;
      const guint8 *nl = memchr (line, '\n', n - i);
      gsize len = nl ? (gsize) (nl - line) : n - i;
      const guint8 *b2;

      i += len + 1;
      while (len > 0 && (line[0] == 0x01 || line[0] == ' ' || line[0] == '\t'))
        {
          line++;
          len--;
        }
      if (len == 0 || (len == 1 && line[0] == '\r'))
        continue;

      /* a fragment that starts with a field is MT940 too: its parser says what is wrong */
      if (first && is_swift_tag (line, len))
        first_tag = TRUE;
      if (first && (has_prefix (line, len, ":940:") || has_prefix (line, len, ":942:")))
        {
          is_942 = line[3] == '2';
          has_20 = has_other = TRUE;
        }
      else if (has_prefix (line, len, "{1:") || has_prefix (line, len, "{2:") ||
               has_prefix (line, len, "{4:"))
        {
          has_20 = has_other = TRUE;
          b2 = memmem (line, len, "{2:", 3);
          if (b2 != NULL && (gsize) (b2 - line) + 7 <= len && memcmp (b2 + 4, "942", 3) == 0)
            is_942 = TRUE;
        }
      else if (has_prefix (line, len, ":20:"))
        has_20 = TRUE;
      else if (has_prefix (line, len, ":25:") || has_prefix (line, len, ":28C:") ||
               has_prefix (line, len, ":28:") || has_prefix (line, len, ":60F:") ||
               has_prefix (line, len, ":61:"))
        has_other = TRUE;
      else if (has_prefix (line, len, ":34F:") || has_prefix (line, len, ":13D:") ||
               has_prefix (line, len, ":90D:") || has_prefix (line, len, ":90C:"))
        {
          has_other = TRUE;
          is_942 = TRUE;
        }
      first = FALSE;
    }

  if (!has_20 || !has_other)
    return first_tag ? TSY_STATEMENT_FORMAT_MT940 : TSY_STATEMENT_FORMAT_UNKNOWN;
  return is_942 ? TSY_STATEMENT_FORMAT_MT942 : TSY_STATEMENT_FORMAT_MT940;
}

/* Text with field separators on its first lines; GB18030 and UTF-8 alike (bytes >= 0x80
 * are not judged), but no NUL or other binary control bytes. */
static gboolean
looks_like_csv (const guint8 *p,
                gsize         n)
{
  guint lines_with_sep = 0, lines = 0;
  gboolean sep = FALSE, text = FALSE;

  for (gsize i = 0; i < n; i++)
    {
      guint8 c = p[i];

      if (c < 0x20 && c != '\t' && c != '\r' && c != '\n' && c != 0x1a)
        return FALSE;
      if (c == ',' || c == ';' || c == '\t' || c == '|')
        sep = TRUE;
      else if (c == '\n')
        {
          if (text)
            lines++;
          if (sep)
            lines_with_sep++;
          sep = text = FALSE;
          if (lines >= 20)
            break;
        }
      else if (!is_ws (c))
        text = TRUE;
    }
  if (sep)
    lines_with_sep++;
  return lines_with_sep > 0;
}

TsyStatementFormat
tsy_statement_format_detect (const guint8 *head,
                             gsize         len)
{
  const guint8 *p = head;
  gsize n = len;
  TsyStatementFormat swift;

  if (head == NULL || len == 0)
    return TSY_STATEMENT_FORMAT_UNKNOWN;
  n = MIN (n, (gsize) DETECT_HEAD);

  /* UTF-8 byte order mark, then white space */
  if (has_prefix (p, n, "\xEF\xBB\xBF"))
    {
      p += 3;
      n -= 3;
    }
  while (n > 0 && is_ws (p[0]))
    {
      p++;
      n--;
    }
  if (n == 0)
    return TSY_STATEMENT_FORMAT_UNKNOWN;

  if (has_prefix_ci (p, n, "OFXHEADER"))
    return TSY_STATEMENT_FORMAT_OFX;

  if (p[0] == '<')
    {
      if (contains_ci (p, n, "<?OFX") || contains_ci (p, n, "<OFX>"))
        return TSY_STATEMENT_FORMAT_OFX;
      /* <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">, with any prefix;
       * the camt schemas (xs:schema) name the namespace too but are not statements */
      if (root_is_document (p, n) &&
          (contains (p, n, "urn:iso:std:iso:20022:tech:xsd:camt.05") || contains (p, n, "<BkToCstmr")))
        return TSY_STATEMENT_FORMAT_CAMT;
      return TSY_STATEMENT_FORMAT_UNKNOWN;
    }

  if (has_prefix (p, n, "01,"))
    return TSY_STATEMENT_FORMAT_BAI2;

  swift = detect_swift (head, MIN (len, (gsize) DETECT_HEAD));
  if (swift != TSY_STATEMENT_FORMAT_UNKNOWN)
    return swift;

  if (looks_like_csv (p, n))
    return TSY_STATEMENT_FORMAT_CSV;
  return TSY_STATEMENT_FORMAT_UNKNOWN;
}

/* ---- dispatch ------------------------------------------------------------ */

gboolean
tsy_statement_parse (GInputStream           *in,
                     const char             *display_name,
                     TsyStatementFormat      format,
                     const TsyCsvProfile    *profile,
                     const TsyStatementSink *sink,
                     gpointer                user_data,
                     GCancellable           *cancellable,
                     GError                **error)
{
  g_autoptr(GInputStream) buffered = NULL;

  g_return_val_if_fail (G_IS_INPUT_STREAM (in), FALSE);
  g_return_val_if_fail (sink != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (display_name == NULL)
    display_name = "";

  if (format == TSY_STATEMENT_FORMAT_UNKNOWN)
    {
      const guint8 *head;
      gsize avail = 0;

      /* Peek at the head through a buffer, so the parser still reads the whole stream. */
      if (G_IS_BUFFERED_INPUT_STREAM (in) &&
          g_buffered_input_stream_get_buffer_size (G_BUFFERED_INPUT_STREAM (in)) >= DETECT_HEAD)
        buffered = g_object_ref (in);
      else
        {
          buffered = g_buffered_input_stream_new_sized (in, 2 * DETECT_HEAD);
          /* the caller owns @in: closing our wrapper must not close it */
          g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (buffered), FALSE);
        }

      for (;;)
        {
          gssize got;

          avail = g_buffered_input_stream_get_available (G_BUFFERED_INPUT_STREAM (buffered));
          if (avail >= DETECT_HEAD)
            break;
          got = g_buffered_input_stream_fill (G_BUFFERED_INPUT_STREAM (buffered),
                                              DETECT_HEAD - avail, cancellable, error);
          if (got < 0)
            return FALSE;
          if (got == 0)
            break;
        }
      head = g_buffered_input_stream_peek_buffer (G_BUFFERED_INPUT_STREAM (buffered), &avail);
      format = tsy_statement_format_detect (head, avail);
      if (format == TSY_STATEMENT_FORMAT_UNKNOWN)
        {
          if (avail == 0)
            g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PARSE,
                         _("%s: the file is empty"), display_name);
          else
            g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_UNSUPPORTED,
                         _("%s: not a bank statement in a known format (MT940/MT942, camt, "
                           "BAI2, OFX or CSV)"), display_name);
          return FALSE;
        }
      g_debug ("%s: detected %s", display_name, tsy_statement_format_to_string (format));
      in = buffered;
    }

  switch (format)
    {
    case TSY_STATEMENT_FORMAT_MT940:
    case TSY_STATEMENT_FORMAT_MT942:
      return tsy_mt940_parse (in, display_name, sink, user_data, cancellable, error);
    case TSY_STATEMENT_FORMAT_CAMT:
      return tsy_camt_parse (in, display_name, sink, user_data, cancellable, error);
    case TSY_STATEMENT_FORMAT_BAI2:
      return tsy_bai2_parse (in, display_name, sink, user_data, cancellable, error);
    case TSY_STATEMENT_FORMAT_OFX:
      return tsy_ofx_parse (in, display_name, sink, user_data, cancellable, error);
    case TSY_STATEMENT_FORMAT_CSV:
      return tsy_csv_parse (in, display_name, profile, sink, user_data, cancellable, error);
    case TSY_STATEMENT_FORMAT_UNKNOWN:
    default:
      break;
    }
  g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_UNSUPPORTED,
               _("%s: unknown statement format"), display_name);
  return FALSE;
}
