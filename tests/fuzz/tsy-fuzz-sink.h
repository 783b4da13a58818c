/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ledger/tsy-statement.h"

G_BEGIN_DECLS

/*
 * The sink every parser's harness uses: it checks the nesting of begin/entry/end, reads every
 * string it is given (so the sanitizers see a dangling or unterminated one) and checks that it
 * is valid UTF-8. A broken rule aborts, and libFuzzer keeps the input.
 */
typedef struct
{
  gboolean open;
  gsize    touched;
} TsyFuzzState;

extern const TsyStatementSink tsy_fuzz_sink;

/* Checks that a parser's result and its error agree and that the message is valid UTF-8. */
void tsy_fuzz_check_result (gboolean      ok,
                            const GError *error);

/* Runs @parse over @data with the checking sink. */
typedef gboolean (*TsyFuzzParseFunc) (GInputStream *, const char *, const TsyStatementSink *,
                                      gpointer, GCancellable *, GError **);
void tsy_fuzz_run (TsyFuzzParseFunc parse,
                   const guint8    *data,
                   gsize            size);

G_END_DECLS
