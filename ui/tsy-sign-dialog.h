/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Called with the passphrase typed when the approver confirms; it is wiped from the entry
 * right after: whoever needs it copies it. */
typedef void (*TsySignDialogFunc) (gpointer    owner,
                                   const char *passphrase,
                                   gpointer    data);

/*
 * The dialog that asks an approver's passphrase before signing: @heading, @body, an optional
 * @extra widget above the password entry (what is signed), Cancel and @approve_label (the
 * suggested, default response; Enter in the entry confirms). On confirmation it calls @func
 * with @owner — a GObject, the dialog answers nothing once it is gone — and @data, which the
 * dialog owns (@destroy, may be NULL).
 */
void tsy_sign_dialog_present (GtkWidget         *owner,
                              const char        *heading,
                              const char        *body,
                              GtkWidget         *extra,
                              const char        *approve_label,
                              TsySignDialogFunc  func,
                              gpointer           data,
                              GDestroyNotify     destroy);

/* A block of text for a dialog that states what is signed or imported: selectable, wrapped,
 * in figures of equal width, scrolled beyond @max_height pixels. */
GtkWidget *tsy_sign_dialog_text (const char *text,
                                 int         max_height);

G_END_DECLS
