/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "banks/tsy-bank-error.h"
#include "tsy-line-reader.h"

#define CHUNK (64 * 1024)

struct _TsyLineReader
{
  GInputStream *in;
  GCancellable *cancellable;
  char         *buf;
  gsize         cap;
  gsize         start;      /* first unread byte */
  gsize         end;        /* one past the last valid byte */
  gboolean      eof;
  gboolean      pushed_back;
  gboolean      had_newline;
  const char   *last;
  gsize         last_len;
  guint         line;
};

TsyLineReader *
tsy_line_reader_new (GInputStream *in,
                     GCancellable *cancellable)
{
  TsyLineReader *self = g_new0 (TsyLineReader, 1);

  self->in = g_object_ref (in);
  self->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  self->cap = 2 * CHUNK;
  self->buf = g_malloc (self->cap);
  return self;
}

void
tsy_line_reader_free (TsyLineReader *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->in);
  g_clear_object (&self->cancellable);
  g_free (self->buf);
  g_free (self);
}

static gboolean
set_too_long (TsyLineReader *self,
              GError       **error)
{
  g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PARSE,
               _("Line %u is longer than %u bytes"), self->line + 1,
               (guint) TSY_LINE_READER_MAX_LINE);
  return FALSE;
}

/* Reads more bytes, moving the unread part to the front and growing up to the line limit.
 * @pending: bytes of the current line read so far (its terminator not yet seen). */
static gboolean
fill (TsyLineReader *self,
      gsize          pending,
      GError       **error)
{
  gssize n;

  if (pending > TSY_LINE_READER_MAX_LINE)
    return set_too_long (self, error);
  if (self->start > 0)
    {
      memmove (self->buf, self->buf + self->start, self->end - self->start);
      self->end -= self->start;
      self->start = 0;
    }
  if (self->cap - self->end < CHUNK)
    {
      /* unread bytes are at most the limit plus a "\r": the buffer stays bounded */
      self->cap *= 2;
      self->buf = g_realloc (self->buf, self->cap);
    }
  n = g_input_stream_read (self->in, self->buf + self->end, self->cap - self->end,
                           self->cancellable, error);
  if (n < 0)
    return FALSE;
  if (n == 0)
    self->eof = TRUE;
  self->end += (gsize) n;
  return TRUE;
}

gboolean
tsy_line_reader_next (TsyLineReader *self,
                      const char   **line,
                      gsize         *len,
                      GError       **error)
{
  gsize scan_from = 0;

  if (self->pushed_back)
    {
      self->pushed_back = FALSE;
      *line = self->last;
      *len = self->last_len;
      self->line++;
      return TRUE;
    }

  for (;;)
    {
      char *p = self->buf + self->start + scan_from;
      gsize avail = self->end - self->start - scan_from;
      char *nl = NULL;

      for (gsize i = 0; i < avail; i++)
        if (p[i] == '\n' || p[i] == '\r')
          {
            nl = p + i;
            break;
          }

      if (nl != NULL)
        {
          gsize line_len = (gsize) (nl - (self->buf + self->start));
          gsize term = 1;

          if (*nl == '\r')
            {
              /* "\r\n" may straddle the buffer end: make sure the next byte is here. */
              if (nl + 1 == self->buf + self->end && !self->eof)
                {
                  scan_from = line_len;
                  if (!fill (self, line_len, error))
                    return FALSE;
                  continue;
                }
              if (nl + 1 < self->buf + self->end && nl[1] == '\n')
                term = 2;
            }
          if (line_len > TSY_LINE_READER_MAX_LINE)
            return set_too_long (self, error);
          *line = self->buf + self->start;
          *len = line_len;
          self->start += line_len + term;
          self->had_newline = TRUE;
          break;
        }

      if (self->eof)
        {
          gsize rest = self->end - self->start;
          if (rest == 0)
            return FALSE;
          if (rest > TSY_LINE_READER_MAX_LINE)
            return set_too_long (self, error);
          *line = self->buf + self->start;
          *len = rest;
          self->start = self->end;
          self->had_newline = FALSE;
          break;
        }

      scan_from = self->end - self->start;
      if (g_cancellable_set_error_if_cancelled (self->cancellable, error))
        return FALSE;
      if (!fill (self, scan_from, error))
        return FALSE;
    }

  self->last = *line;
  self->last_len = *len;
  self->line++;
  return TRUE;
}

void
tsy_line_reader_push_back (TsyLineReader *self)
{
  g_return_if_fail (!self->pushed_back && self->line > 0);
  self->pushed_back = TRUE;
  self->line--;
}

guint
tsy_line_reader_get_line (TsyLineReader *self)
{
  return self->line;
}

gboolean
tsy_line_reader_had_newline (TsyLineReader *self)
{
  return self->had_newline;
}
