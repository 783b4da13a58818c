/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TSY_TYPE_APPLICATION (tsy_application_get_type ())
G_DECLARE_FINAL_TYPE (TsyApplication, tsy_application, TSY, APPLICATION, AdwApplication)

/**
 * tsy_application_new:
 * @db_path: (nullable): the database to open; %NULL: the default database, and
 *   when it does not exist the window offers to open one, create one or load the demo.
 */
TsyApplication *tsy_application_new (const char *db_path);

G_END_DECLS
