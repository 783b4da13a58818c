/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "banks/tsy-bank-error.h"
#include "banks/tsy-drop-box-private.h"

gboolean
tsy_drop_box_check_name (const char *id,
                         GError    **error)
{
  if (id == NULL || *id == '\0' || strlen (id) > 64)
    goto bad;
  for (const char *p = id; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      goto bad;
  return TRUE;

bad:
  g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_UNSUPPORTED,
               _("“%s” cannot name a file in the bank's folder"), id ? id : "");
  return FALSE;
}

gboolean
tsy_drop_box_may_be_status (const char *name)
{
  return name[0] != '.' && g_str_has_suffix (name, ".xml") && strstr (name, ".camt05") == NULL;
}

gboolean
tsy_drop_box_is_status_of (const char *data,
                           gsize       len,
                           const char *msg_id)
{
  g_autofree char *needle = g_strdup_printf ("<OrgnlMsgId>%s</OrgnlMsgId>", msg_id);

  return len < TSY_DROP_BOX_MAX_FILE_BYTES && g_strstr_len (data, (gssize) len, needle) != NULL &&
         g_strstr_len (data, (gssize) len, "CstmrPmtStsRpt") != NULL;
}

GStrv
tsy_drop_box_status_msg_ids (const char *data,
                             gsize       len)
{
  static const char open_tag[] = "<OrgnlMsgId>";
  static const char close_tag[] = "</OrgnlMsgId>";
  g_autoptr(GStrvBuilder) ids = NULL;
  const char *end = data + len;
  const char *p = data;

  if (len >= TSY_DROP_BOX_MAX_FILE_BYTES || g_strstr_len (data, (gssize) len, "CstmrPmtStsRpt") == NULL)
    return NULL;
  ids = g_strv_builder_new ();
  while ((p = g_strstr_len (p, end - p, open_tag)) != NULL)
    {
      const char *value = p + sizeof open_tag - 1;
      const char *stop = g_strstr_len (value, end - value, close_tag);

      if (stop == NULL)
        break;
      if (stop - value <= 64)
        {
          g_autofree char *id = g_strndup (value, (gsize) (stop - value));
          g_strv_builder_add (ids, id);
        }
      p = stop + sizeof close_tag - 1;
    }
  return g_strv_builder_end (ids);
}

char *
tsy_drop_box_statement_name (const char       *account,
                             TsyStatementKind  kind,
                             TsyDate           date)
{
  g_autofree char *day = tsy_date_to_iso (date);

  return g_strdup_printf ("%s_%s.%s.xml", account, day,
                          kind == TSY_STATEMENT_KIND_INTRADAY ? "camt052" : "camt053");
}
