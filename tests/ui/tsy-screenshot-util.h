/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * What the posers of docs/screenshots/ share (not tests): the locale of TREASURY_LOCALEDIR, an
 * application that opens one database in the main window and poses it, the sidebar, quitting.
 */

#include <adwaita.h>

#include "ui/tsy-window.h"

G_BEGIN_DECLS

/* setlocale() and the text domain, from TREASURY_LOCALEDIR when set. */
void       tsy_screenshot_init_locale     (void);
/* Runs an application showing @db_path in a 1400×900 main window (maximized when @maximize),
 * with GSettings in memory, and calls @pose (data: the TsyWindow) every 100 ms until it returns
 * G_SOURCE_REMOVE. Returns: the application's exit status. */
int        tsy_screenshot_run             (const char  *db_path,
                                           gboolean     maximize,
                                           GSourceFunc  pose,
                                           char        *argv0);
/* Quits the application @seconds from now: time to take the picture. */
void       tsy_screenshot_quit_after      (guint        seconds);
/* The first descendant of @widget (depth first) that @match accepts, or NULL. */
GtkWidget *tsy_screenshot_find_widget     (GtkWidget   *widget,
                                           gboolean   (*match) (GtkWidget *));
/* Selects the sidebar's row @index (its section) in @window, when there is a sidebar. */
void       tsy_screenshot_select_section  (TsyWindow   *window,
                                           guint        index);

G_END_DECLS
