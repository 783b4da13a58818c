/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsy-ledger-error.h"
#include "tsy-org.h"
#include "tsy-store-private.h"
#include "tsy-validate-private.h"

void
tsy_org_info_free (TsyOrgInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->code);
  g_free (info->name);
  g_free (info->parent_code);
  g_free (info);
}

static TsyOrgInfo *
info_from_row (sqlite3_stmt *stmt)
{
  TsyOrgInfo *info = g_new0 (TsyOrgInfo, 1);

  info->id = sqlite3_column_int64 (stmt, 0);
  info->code = tsy_store_column_dup (stmt, 1);
  info->name = tsy_store_column_dup (stmt, 2);
  info->parent_id = sqlite3_column_int64 (stmt, 3);
  info->parent_code = tsy_store_column_dup (stmt, 4);
  return info;
}

#define ORG_SELECT \
  "SELECT o.id, o.code, o.name, o.parent_id, p.code FROM org_unit o " \
  "LEFT JOIN org_unit p ON p.id = o.parent_id "

TsyOrgInfo *
tsy_org_lookup (TsyStore   *store,
                const char *code,
                GError    **error)
{
  sqlite3_stmt *stmt = tsy_store_prepare (store, ORG_SELECT "WHERE o.code = ?1", error);
  TsyOrgInfo *info = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  tsy_store_bind_text (stmt, 1, code);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    info = info_from_row (stmt);
  else if (rc == SQLITE_DONE)
    g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_NOT_FOUND,
                 _("There is no organisation unit “%s”"), code ? code : "");
  else
    tsy_store_set_error (store, error);
  sqlite3_reset (stmt);
  return info;
}

gint64
tsy_org_add (TsyStore   *store,
             const char *code,
             const char *name,
             const char *parent_code,
             GError    **error)
{
  g_autoptr(TsyOrgInfo) parent = NULL;
  g_autoptr(TsyOrgInfo) existing = NULL;
  sqlite3_stmt *stmt;
  gint64 id;

  g_return_val_if_fail (TSY_IS_STORE (store), 0);

  if (!tsy_validate_code (code, _("organisation code"), error) ||
      !tsy_validate_name (name, error))
    return 0;
  if (!tsy_store_begin (store, error))
    return 0;

  existing = tsy_org_lookup (store, code, NULL);
  if (existing != NULL)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DUPLICATE,
                   _("The organisation unit “%s” exists already"), code);
      goto fail;
    }
  if (parent_code != NULL)
    {
      parent = tsy_org_lookup (store, parent_code, error);
      if (parent == NULL)
        goto fail;
    }

  stmt = tsy_store_prepare (store, "INSERT INTO org_unit (code, name, parent_id) VALUES (?1, ?2, ?3)",
                            error);
  if (stmt == NULL)
    goto fail;
  tsy_store_bind_text (stmt, 1, code);
  tsy_store_bind_text (stmt, 2, name);
  if (parent != NULL)
    sqlite3_bind_int64 (stmt, 3, parent->id);
  if (!tsy_store_step_done (store, stmt, error))
    goto fail;
  id = sqlite3_last_insert_rowid (tsy_store_get_db (store));
  if (!tsy_store_commit (store, error))
    return 0;
  return id;

fail:
  tsy_store_rollback (store);
  return 0;
}

GPtrArray *
tsy_org_list (TsyStore *store,
              GError  **error)
{
  /* Parents before children: a recursive walk from the roots, ordered by code within a level. */
  sqlite3_stmt *stmt = tsy_store_prepare (store,
      "WITH RECURSIVE tree(id, depth, path) AS ("
      "  SELECT id, 0, code FROM org_unit WHERE parent_id IS NULL"
      "  UNION ALL"
      "  SELECT o.id, t.depth + 1, t.path || char(1) || o.code FROM org_unit o"
      "  JOIN tree t ON o.parent_id = t.id) "
      ORG_SELECT "JOIN tree t ON t.id = o.id ORDER BY t.path", error);

  if (stmt == NULL)
    return NULL;
  return tsy_store_collect (store, stmt, (TsyRowFunc) info_from_row, (GDestroyNotify) tsy_org_info_free, error);
}
