/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ledger/tsy-user.h"

G_BEGIN_DECLS

/* Helpers shared by the pages of the Administration window. */

typedef void (*TsyAdminFileChosen) (GtkWidget  *owner,
                                    const char *path);

/* Asks for a file (or a folder) with GtkFileChooserNative; @chosen runs only on accept. */
void  tsy_admin_choose_file        (GtkWidget          *owner,
                                    const char         *title,
                                    gboolean            folder,
                                    TsyAdminFileChosen  chosen);
/* Removes every row of @list. */
void  tsy_admin_list_box_clear     (GtkListBox         *list);
/* Shows @text (or hides the label when NULL): the inline error under a form. */
void  tsy_admin_set_error_label    (GtkLabel           *label,
                                    const char         *text);

G_END_DECLS
