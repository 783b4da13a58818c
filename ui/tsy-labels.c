/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Words the pages share: role names, channel kinds, instants in local time. */
#include <glib/gi18n-lib.h>

#include "tsy-labels.h"

const char *
tsy_labels_role (TsyRoles role)
{
  switch (role)
    {
    case TSY_ROLE_MAKER:
      return C_("role", "Maker");
    case TSY_ROLE_APPROVER:
      return C_("role", "Approver");
    case TSY_ROLE_ACCOUNTANT:
      return C_("role", "Accountant");
    case TSY_ROLE_ADMIN:
      return C_("role", "Admin");
    default:
      return "";
    }
}

char *
tsy_labels_roles (TsyRoles roles)
{
  static const TsyRoles order[] = { TSY_ROLE_MAKER, TSY_ROLE_APPROVER, TSY_ROLE_ACCOUNTANT,
                                    TSY_ROLE_ADMIN };
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    if (roles & order[i])
      {
        if (text->len > 0)
          /* Translators: separates role names in a list */
          g_string_append (text, _(", "));
        g_string_append (text, tsy_labels_role (order[i]));
      }
  return g_string_free (text, FALSE);
}

char *
tsy_labels_instant (const char *iso)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc ();

  if (iso == NULL || *iso == '\0')
    return g_strdup ("—");
  utc = g_date_time_new_from_iso8601 (iso, tz);
  if (utc == NULL)
    return g_strdup (iso);
  local = g_date_time_to_local (utc);
  return g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
}

const char *
tsy_labels_channel_kind (TsyChannelKind kind)
{
  switch (kind)
    {
    case TSY_CHANNEL_HTTPS:
      return _("HTTPS host-to-host");
    case TSY_CHANNEL_SFTP:
      return _("SFTP");
    case TSY_CHANNEL_FOLDER:
    default:
      return _("Folder drop");
    }
}
