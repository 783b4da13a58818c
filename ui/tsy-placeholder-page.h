/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TSY_TYPE_PLACEHOLDER_PAGE (tsy_placeholder_page_get_type ())
G_DECLARE_FINAL_TYPE (TsyPlaceholderPage, tsy_placeholder_page, TSY, PLACEHOLDER_PAGE, GtkWidget)

/*
 * The empty state of a section whose issue has not landed yet. Properties
 * "icon-name", "title", "description" (set in tsy-window.ui). A section's
 * real page replaces its TsyPlaceholderPage there.
 */

G_END_DECLS
