/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "tsy-json.h"

void
tsy_json_init (TsyJson *json)
{
  memset (json, 0, sizeof *json);
  json->out = g_string_new (NULL);
}

char *
tsy_json_finish (TsyJson *json)
{
  char *text = g_string_free (json->out, FALSE);

  json->out = NULL;
  return text;
}

static void
separate (TsyJson *json)
{
  if (json->after_key)
    {
      json->after_key = FALSE;
      return;
    }
  if (json->need_comma[json->depth])
    g_string_append_c (json->out, ',');
  json->need_comma[json->depth] = TRUE;
}

static void
open_container (TsyJson *json,
                char     c)
{
  separate (json);
  g_string_append_c (json->out, c);
  g_assert (json->depth + 1 < G_N_ELEMENTS (json->need_comma));
  json->depth++;
  json->need_comma[json->depth] = FALSE;
}

static void
close_container (TsyJson *json,
                 char     c)
{
  g_assert (json->depth > 0);
  json->depth--;
  g_string_append_c (json->out, c);
}

void
tsy_json_begin_object (TsyJson *json)
{
  open_container (json, '{');
}

void
tsy_json_end_object (TsyJson *json)
{
  close_container (json, '}');
}

void
tsy_json_begin_array (TsyJson *json)
{
  open_container (json, '[');
}

void
tsy_json_end_array (TsyJson *json)
{
  close_container (json, ']');
}

static void
append_escaped (GString    *out,
                const char *s)
{
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) s; *p; p++)
    {
      switch (*p)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, (char) *p);
        }
    }
  g_string_append_c (out, '"');
}

void
tsy_json_key (TsyJson    *json,
              const char *key)
{
  separate (json);
  append_escaped (json->out, key);
  g_string_append_c (json->out, ':');
  json->after_key = TRUE;
}

void
tsy_json_string (TsyJson    *json,
                 const char *value)
{
  separate (json);
  if (value == NULL)
    g_string_append (json->out, "null");
  else if (g_utf8_validate (value, -1, NULL))
    append_escaped (json->out, value);
  else
    {
      g_autofree char *valid = g_utf8_make_valid (value, -1);
      append_escaped (json->out, valid);
    }
}

void
tsy_json_int (TsyJson *json,
              gint64   value)
{
  separate (json);
  g_string_append_printf (json->out, "%" G_GINT64_FORMAT, value);
}

void
tsy_json_bool (TsyJson *json,
               gboolean value)
{
  separate (json);
  g_string_append (json->out, value ? "true" : "false");
}

void
tsy_json_null (TsyJson *json)
{
  separate (json);
  g_string_append (json->out, "null");
}

void
tsy_json_member (TsyJson    *json,
                 const char *key,
                 const char *value)
{
  tsy_json_key (json, key);
  tsy_json_string (json, value);
}
