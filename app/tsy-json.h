/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A tiny streaming JSON writer for the CLI's --json output (amounts go in as decimal strings). */
typedef struct
{
  GString *out;
  guint    depth;
  gboolean need_comma[64];
  gboolean after_key;
} TsyJson;

void  tsy_json_init         (TsyJson *json);
/* Returns: (transfer full): the text; the writer is reset. */
char *tsy_json_finish       (TsyJson *json);
void  tsy_json_begin_object (TsyJson *json);
void  tsy_json_end_object   (TsyJson *json);
void  tsy_json_begin_array  (TsyJson *json);
void  tsy_json_end_array    (TsyJson *json);
void  tsy_json_key          (TsyJson *json, const char *key);
void  tsy_json_string       (TsyJson *json, const char *value);   /* NULL writes null */
void  tsy_json_int          (TsyJson *json, gint64 value);
void  tsy_json_bool         (TsyJson *json, gboolean value);
void  tsy_json_null         (TsyJson *json);
/* key + string in one call */
void  tsy_json_member       (TsyJson *json, const char *key, const char *value);

G_END_DECLS
