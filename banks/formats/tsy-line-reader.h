/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A fast buffered line reader over a GInputStream (placeholder until issue 4). */
typedef struct _TsyLineReader TsyLineReader;

G_END_DECLS
