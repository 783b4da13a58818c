/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TSY_TYPE_PREFERENCES_WINDOW (tsy_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (TsyPreferencesWindow, tsy_preferences_window, TSY, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

/* The preferences (GSettings): reporting currency and accounts grouping. */
GtkWidget *tsy_preferences_window_new (GtkWindow *parent);

G_END_DECLS
