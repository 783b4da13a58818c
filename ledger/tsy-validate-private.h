/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A code: 1–32 characters of letters, digits, '_', '-', '.'; @what names it in the message. */
gboolean tsy_validate_code (const char *code,
                            const char *what,
                            GError    **error);
/* A name: non-empty valid UTF-8, at most 200 characters, no control characters. */
gboolean tsy_validate_name (const char *name,
                            GError    **error);
/* The index of @text in @names (the string table of an enum, indexed by value) into @out;
 * FALSE, @out untouched, when it is none of them. */
gboolean tsy_validate_enum_name (const char *const *names,
                                 guint              n_names,
                                 const char        *text,
                                 int               *out);

G_END_DECLS
