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

/* The first toplevel window of @type (or a subtype), or NULL. (transfer none) */
GtkWindow *tsy_test_ui_find_toplevel (GType type);

G_END_DECLS
