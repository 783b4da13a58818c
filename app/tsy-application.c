/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Placeholder: the window lands with the UI part of issue 3. */
#include "config.h"
#include "tsy-application.h"

struct _TsyApplication { AdwApplication parent_instance; };
G_DEFINE_FINAL_TYPE (TsyApplication, tsy_application, ADW_TYPE_APPLICATION)
static void tsy_application_class_init (TsyApplicationClass *klass) { }
static void tsy_application_init (TsyApplication *self) { }
TsyApplication *
tsy_application_new (const char *db_path)
{
  return g_object_new (TSY_TYPE_APPLICATION, "application-id", APP_ID, NULL);
}
