/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ledger/tsy-statement.h"

G_BEGIN_DECLS

/*
 * Runs a parser on a thread of its own and replays what it produces into @sink on the calling
 * thread, through a bounded queue of batches: parsing and storing use both cores, and memory
 * stays bounded (a few batches of copies). The first error wins: a sink error stops the parser,
 * a parser error reaches the caller as is.
 */
typedef gboolean (*TsyPipeParseFunc) (const TsyStatementSink *sink,
                                      gpointer                sink_data,
                                      gpointer                user_data,
                                      GCancellable           *cancellable,
                                      GError                **error);

gboolean tsy_statement_pipe_run (TsyPipeParseFunc        parse,
                                 gpointer                parse_data,
                                 const TsyStatementSink *sink,
                                 gpointer                sink_data,
                                 GCancellable           *cancellable,
                                 GError                **error);

G_END_DECLS
