/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Removes spaces and upper-cases. Returns: (transfer full) */
char     *tsy_iban_normalize  (const char *text);
/* TRUE when @text (normalised) looks like an IBAN: two letters then two digits. */
gboolean  tsy_iban_looks_like (const char *text);
/* ISO 13616: country length table and mod-97 check digits. */
gboolean  tsy_iban_validate   (const char *text,
                               GError    **error);
/* ISO 9362: 8 or 11 characters, 4 letters bank, 2 letters country, 2 alnum location. */
gboolean  tsy_bic_validate    (const char *text,
                               GError    **error);
/* Returns: (transfer full): "**** 1234" style mask for logs and messages. */
char     *tsy_account_mask    (const char *number);

G_END_DECLS
