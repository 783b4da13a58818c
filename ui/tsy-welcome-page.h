/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TSY_TYPE_WELCOME_PAGE (tsy_welcome_page_get_type ())
G_DECLARE_FINAL_TYPE (TsyWelcomePage, tsy_welcome_page, TSY, WELCOME_PAGE, GtkWidget)

/*
 * First start: no database at "path". Offers win.open-database,
 * win.create-database and win.load-demo-here; when "can-create" is FALSE
 * (a file is there but is no usable database) only opening another. While "busy" it shows a spinner
 * with "busy-text" and a button for win.cancel-operation.
 */
const char *tsy_welcome_page_get_path      (TsyWelcomePage *self);
void        tsy_welcome_page_set_path      (TsyWelcomePage *self,
                                            const char     *path);
gboolean    tsy_welcome_page_get_can_create (TsyWelcomePage *self);
void        tsy_welcome_page_set_can_create (TsyWelcomePage *self,
                                             gboolean        can_create);
gboolean    tsy_welcome_page_get_busy      (TsyWelcomePage *self);
void        tsy_welcome_page_set_busy      (TsyWelcomePage *self,
                                            gboolean        busy,
                                            const char     *busy_text);

G_END_DECLS
