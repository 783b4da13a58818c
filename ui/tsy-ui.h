/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The application id = GSettings schema id = resource base path. */
#define TSY_UI_APP_ID "org.treasurydesk.TreasuryDesk"

/**
 * tsy_ui_init:
 *
 * Registers the ui GResource (templates, style.css, icons) and the widget
 * types used in templates. Idempotent; call before creating any widget.
 */
void       tsy_ui_init          (void);

/**
 * tsy_ui_settings_new:
 *
 * The application's settings: the installed schema, else the one compiled
 * in the build tree (running uninstalled).
 *
 * Returns: (transfer full) (nullable): %NULL when no schema is found; the
 *   window then works with defaults and remembers nothing.
 */
GSettings *tsy_ui_settings_new  (void);

/* Shows @text in the nearest AdwToastOverlay above @widget. */
void       tsy_ui_toast         (GtkWidget    *widget,
                                 const char   *text);
/* Shows a (translated, user-facing) error as a toast; technical detail goes to g_debug. */
void       tsy_ui_toast_error   (GtkWidget    *widget,
                                 const GError *error);

/* A drop-down of strings (a GtkStringList) whose button shows the chosen string in about
 * @width_chars characters, ellipsized (the whole string in its tooltip), while the list shows
 * every string whole: a long account name no longer makes the page wider than the window. */
void       tsy_ui_drop_down_ellipsize (GtkDropDown *drop_down,
                                       int          width_chars);

G_END_DECLS
