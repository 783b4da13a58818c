/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What the window tests under Xvfb share: starting GTK for a test, and running the main loop
 * until the widget under test has nothing in flight. */

#include <adwaita.h>

G_BEGIN_DECLS

#define TSY_TEST_UI_TIMEOUT_SECONDS 60

/* Fast and quiet under Xvfb (no GL, no accessibility bus, GSettings in memory), then
 * g_test_init(), GTK, libadwaita and the application's resources. Returns: FALSE when there is
 * no display: the caller returns 77 (skipped), @what naming the tests in the message. */
gboolean tsy_test_ui_init (int         *argc,
                           char      ***argv,
                           const char  *what);
/* Runs the main loop (at least once) until @busy (@data) is FALSE, then lets the views catch
 * up; fails the test after TSY_TEST_UI_TIMEOUT_SECONDS, naming @what. */
void     tsy_test_ui_wait (gboolean   (*busy) (gpointer data),
                           gpointer     data,
                           const char  *what);

/* Runs the main loop until @done (@data) is TRUE (not at all when it already is), then lets the
 * views catch up with the models; fails the test after @timeout_seconds, naming @what. */
void     tsy_test_ui_wait_until (gboolean   (*done) (gpointer data),
                                 gpointer     data,
                                 guint        timeout_seconds,
                                 const char  *what);

/* Replaces the user's own directories (HOME and the XDG_*_HOME) with fresh temporary ones, so
 * no user file is ever touched; call it before tsy_test_ui_init(). Not
 * G_TEST_OPTION_ISOLATE_DIRS: it also hides XDG_DATA_DIRS, and with them the MIME database GTK
 * needs to load its SVG icons. */
void     tsy_test_ui_private_home (void);

/* A condition for tsy_test_ui_wait_until(): the TsyWindow @window has its database open. */
gboolean tsy_test_ui_window_has_store (gpointer window);

/* Makes @page the visible child of the view stack it stands in (fails the test without one). */
void     tsy_test_ui_show_page (GtkWidget *page);

/* Removes @path and everything under it. */
void     tsy_test_ui_remove_tree (const char *path);

/* The first toplevel window of @type (or a subtype), or NULL. (transfer none) */
GtkWindow *tsy_test_ui_find_toplevel (GType type);

G_END_DECLS
