/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * A fast buffered line reader over a GInputStream, for the text formats.
 * Lines end at "\n", "\r\n" or a lone "\r"; the terminator is not returned.
 * Memory is bounded: a line longer than the limit is an error, not a bigger buffer.
 */
typedef struct _TsyLineReader TsyLineReader;

#define TSY_LINE_READER_MAX_LINE (1024 * 1024)

TsyLineReader *tsy_line_reader_new         (GInputStream  *in,
                                            GCancellable  *cancellable);
void           tsy_line_reader_free        (TsyLineReader *reader);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsyLineReader, tsy_line_reader_free)

/**
 * tsy_line_reader_next:
 * @line: (out): the line; NOT NUL-terminated (may contain NUL bytes); valid until
 *   the next call
 * @len: (out): its length in bytes
 *
 * Returns: %TRUE with a line; %FALSE at the end (@error unset) or on error.
 */
gboolean       tsy_line_reader_next        (TsyLineReader *reader,
                                            const char   **line,
                                            gsize         *len,
                                            GError       **error);
/* Makes the next call return the last line again (one level only). */
void           tsy_line_reader_push_back   (TsyLineReader *reader);
/* 1-based number of the last line returned (0 before the first). */
guint          tsy_line_reader_get_line    (TsyLineReader *reader);
/* TRUE when the last line returned ended with a terminator (FALSE for a final line without). */
gboolean       tsy_line_reader_had_newline (TsyLineReader *reader);

G_END_DECLS
