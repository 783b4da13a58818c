/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "banks/formats/tsy-statement-format.h"

G_BEGIN_DECLS

/*
 * Writers of bank statement files, streaming: a writer is a TsyStatementSink, so whatever
 * produces statements (the demo, the benchmark's generator, the bank simulator) calls
 * begin_statement / entry / end_statement and the file is written as it goes. The header given
 * to begin_statement must already carry the opening and the closing balance (camt.053 writes
 * both before the entries).
 *
 * Formats: MT940 (with a {1:}{2:}{4: envelope), camt.053.001.02 and camt.053.001.08, and the
 * CSV export of a Chinese bank (UTF-8 or GB18030).
 */
typedef enum
{
  TSY_WRITER_MT940,
  TSY_WRITER_CAMT053_V2,
  TSY_WRITER_CAMT053_V8,
  TSY_WRITER_CSV_UTF8,
  TSY_WRITER_CSV_GB18030,
} TsyWriterFormat;

typedef struct _TsyStatementWriter TsyStatementWriter;

TsyStatementWriter     *tsy_statement_writer_new    (TsyWriterFormat  format,
                                                     GOutputStream   *out);
/* The sink to drive the writer with; its user data is the writer. */
const TsyStatementSink *tsy_statement_writer_sink   (void);
/* Flushes the end of the file (camt: closes the document). */
gboolean                tsy_statement_writer_finish (TsyStatementWriter *writer,
                                                     GError            **error);
void                    tsy_statement_writer_free   (TsyStatementWriter *writer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsyStatementWriter, tsy_statement_writer_free)

G_END_DECLS
