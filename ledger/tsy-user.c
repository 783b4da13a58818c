/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsy-ledger-error.h"
#include "tsy-payment-private.h"
#include "tsy-user.h"

static const struct
{
  TsyRoles    role;
  const char *name;
} role_names[] = {
  { TSY_ROLE_MAKER, "maker" },
  { TSY_ROLE_APPROVER, "approver" },
  { TSY_ROLE_ACCOUNTANT, "accountant" },
  { TSY_ROLE_ADMIN, "admin" },
};

const char *
tsy_role_to_string (TsyRoles role)
{
  for (guint i = 0; i < G_N_ELEMENTS (role_names); i++)
    if (role_names[i].role == role)
      return role_names[i].name;
  g_return_val_if_reached ("maker");
}

gboolean
tsy_roles_parse (const char *text,
                 TsyRoles   *out,
                 GError    **error)
{
  g_auto(GStrv) parts = g_strsplit (text ? text : "", ",", -1);
  TsyRoles roles = 0;

  for (guint p = 0; parts[p] != NULL; p++)
    {
      const char *word = g_strstrip (parts[p]);
      gboolean found = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (role_names); i++)
        if (strcmp (word, role_names[i].name) == 0)
          {
            roles |= role_names[i].role;
            found = TRUE;
          }
      if (!found)
        {
          g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                       _("“%s” is not a role (maker, approver, accountant or admin)"), word);
          return FALSE;
        }
    }
  if (roles == 0)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   "%s", _("A user needs a role (maker, approver, accountant or admin)"));
      return FALSE;
    }
  *out = roles;
  return TRUE;
}

char *
tsy_roles_to_string (TsyRoles roles)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (role_names); i++)
    if (roles & role_names[i].role)
      {
        if (out->len > 0)
          g_string_append_c (out, ',');
        g_string_append (out, role_names[i].name);
      }
  return g_string_free (out, FALSE);
}

void
tsy_user_info_free (TsyUserInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->name);
  g_clear_pointer (&info->public_key, g_bytes_unref);
  g_free (info->key_id);
  g_clear_pointer (&info->sealed_key, g_bytes_unref);
  g_free (info->created_at);
  g_free (info);
}

char *
tsy_user_key_id (GBytes *public_key)
{
  g_return_val_if_fail (public_key != NULL, NULL);
  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, public_key);
}

static gboolean
validate_user_name (const char *name,
                    GError    **error)
{
  glong len = name && g_utf8_validate (name, -1, NULL) ? g_utf8_strlen (name, -1) : 0;

  if (len < 1 || len > 64)
    goto bad;
  for (const char *p = name; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (!g_unichar_isalnum (c) && c != '.' && c != '_' && c != '-')
        goto bad;
    }
  return TRUE;

bad:
  g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
               _("“%s” is not a valid user name (1–64 letters, digits, “.”, “_” or “-”)"),
               name ? name : "");
  return FALSE;
}

static GBytes *
column_bytes (sqlite3_stmt *stmt,
              int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;
  return g_bytes_new (sqlite3_column_blob (stmt, column), sqlite3_column_bytes (stmt, column));
}

static gboolean
load_roles (TsyStore    *store,
            TsyUserInfo *info,
            GError     **error)
{
  sqlite3_stmt *stmt = tsy_store_prepare (store, "SELECT role FROM user_role WHERE user_id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, info->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TsyRoles role;
      if (tsy_roles_parse ((const char *) sqlite3_column_text (stmt, 0), &role, NULL))
        info->roles |= role;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return tsy_store_set_error (store, error);
  return TRUE;
}

#define USER_SELECT "SELECT id, name, public_key, key_id, sealed_key, created_at, active FROM app_user "

static TsyUserInfo *
lookup_common (TsyStore   *store,
               const char *sql,
               const char *name,
               gint64      id,
               GError    **error)
{
  sqlite3_stmt *stmt = tsy_store_prepare (store, sql, error);
  g_autoptr(TsyUserInfo) info = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  if (name != NULL)
    tsy_store_bind_text (stmt, 1, name);
  else
    sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      info = g_new0 (TsyUserInfo, 1);
      info->id = sqlite3_column_int64 (stmt, 0);
      info->name = tsy_store_column_dup (stmt, 1);
      info->public_key = column_bytes (stmt, 2);
      info->key_id = tsy_store_column_dup (stmt, 3);
      info->sealed_key = column_bytes (stmt, 4);
      info->created_at = tsy_store_column_dup (stmt, 5);
      info->active = sqlite3_column_int (stmt, 6) != 0;
    }
  else if (rc == SQLITE_DONE)
    {
      if (name != NULL)
        g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_NOT_FOUND,
                     _("There is no user “%s”"), name);
      else
        g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_NOT_FOUND,
                     _("There is no user with id %lld"), (long long) id);
    }
  else
    tsy_store_set_error (store, error);
  sqlite3_reset (stmt);
  if (info == NULL || !load_roles (store, info, error))
    return NULL;
  return g_steal_pointer (&info);
}

TsyUserInfo *
tsy_user_lookup (TsyStore   *store,
                 const char *name,
                 GError    **error)
{
  g_return_val_if_fail (TSY_IS_STORE (store), NULL);
  return lookup_common (store, USER_SELECT "WHERE name = ?1", name ? name : "", 0, error);
}

TsyUserInfo *
tsy_user_lookup_id (TsyStore *store,
                    gint64    id,
                    GError  **error)
{
  g_return_val_if_fail (TSY_IS_STORE (store), NULL);
  return lookup_common (store, USER_SELECT "WHERE id = ?1", NULL, id, error);
}

TsyUserInfo *
tsy_user_require (TsyStore   *store,
                  const char *name,
                  TsyRoles    roles,
                  GError    **error)
{
  g_autoptr(TsyUserInfo) user = tsy_user_lookup (store, name, error);

  if (user == NULL)
    return NULL;
  if (!user->active || (user->roles & roles) == 0)
    {
      g_autofree char *wanted = tsy_roles_to_string (roles);
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DENIED,
                   /* Translators: %1$s a user name, %2$s role names such as "approver,admin" */
                   _("The user “%1$s” may not do this (it needs one of the roles %2$s)"), name, wanted);
      return NULL;
    }
  return g_steal_pointer (&user);
}

GPtrArray *
tsy_user_list (TsyStore *store,
               GError  **error)
{
  sqlite3_stmt *stmt = tsy_store_prepare (store, "SELECT name FROM app_user ORDER BY name", error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) tsy_user_info_free);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (names, tsy_store_column_dup (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tsy_store_set_error (store, error);
      return NULL;
    }
  for (guint i = 0; i < names->len; i++)
    {
      TsyUserInfo *info = tsy_user_lookup (store, g_ptr_array_index (names, i), error);
      if (info == NULL)
        return NULL;
      g_ptr_array_add (list, info);
    }
  return g_steal_pointer (&list);
}

gint64
tsy_user_add (TsyStore   *store,
              const char *name,
              TsyRoles    roles,
              GBytes     *public_key,
              GBytes     *sealed_key,
              const char *actor,
              GError    **error)
{
  g_autofree char *key_id = NULL;
  g_autofree char *now = NULL;
  g_autofree char *role_text = NULL;
  g_autofree char *subject = NULL;
  sqlite3_stmt *stmt;
  gsize len;
  gconstpointer data;
  gint64 id;

  g_return_val_if_fail (TSY_IS_STORE (store), 0);

  if (!validate_user_name (name, error))
    return 0;
  if ((roles & TSY_ROLES_ALL) == 0 || (roles & ~TSY_ROLES_ALL) != 0)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   "%s", _("A user needs a role (maker, approver, accountant or admin)"));
      return 0;
    }
  if (public_key == NULL || g_bytes_get_size (public_key) < 32)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   "%s", _("A user needs a public key"));
      return 0;
    }

  key_id = tsy_user_key_id (public_key);
  now = tsy_payment_now_utc ();
  if (!tsy_store_begin (store, error))
    return 0;

  stmt = tsy_store_prepare (store, "SELECT name FROM app_user WHERE name = ?1 OR key_id = ?2", error);
  if (stmt == NULL)
    goto fail;
  tsy_store_bind_text (stmt, 1, name);
  tsy_store_bind_text (stmt, 2, key_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *other = tsy_store_column_dup (stmt, 0);
      sqlite3_reset (stmt);
      if (g_strcmp0 (other, name) == 0)
        g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DUPLICATE,
                     _("The user “%s” exists already"), name);
      else
        g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DUPLICATE,
                     _("This key belongs to the user “%s” already; every user needs a key of their own"),
                     other);
      goto fail;
    }
  sqlite3_reset (stmt);

  stmt = tsy_store_prepare (store,
      "INSERT INTO app_user (name, public_key, key_id, sealed_key, created_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5)", error);
  if (stmt == NULL)
    goto fail;
  tsy_store_bind_text (stmt, 1, name);
  data = g_bytes_get_data (public_key, &len);
  sqlite3_bind_blob (stmt, 2, data, (int) len, SQLITE_TRANSIENT);
  tsy_store_bind_text (stmt, 3, key_id);
  if (sealed_key != NULL)
    {
      data = g_bytes_get_data (sealed_key, &len);
      sqlite3_bind_blob (stmt, 4, data, (int) len, SQLITE_TRANSIENT);
    }
  tsy_store_bind_text (stmt, 5, now);
  if (!tsy_store_step_done (store, stmt, error))
    goto fail;
  id = sqlite3_last_insert_rowid (tsy_store_get_db (store));

  for (guint i = 0; i < G_N_ELEMENTS (role_names); i++)
    {
      if ((roles & role_names[i].role) == 0)
        continue;
      stmt = tsy_store_prepare (store, "INSERT INTO user_role (user_id, role) VALUES (?1, ?2)", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, id);
      tsy_store_bind_text (stmt, 2, role_names[i].name);
      if (!tsy_store_step_done (store, stmt, error))
        goto fail;
    }

  role_text = tsy_roles_to_string (roles);
  subject = g_strdup_printf ("user:%s", name);
  {
    g_autofree char *detail = g_strdup_printf ("roles=%s key=%s sealed=%s", role_text, key_id,
                                               sealed_key ? "yes" : "no");
    if (!tsy_payment_audit (store, actor, "user.add", subject, detail, error))
      goto fail;
  }
  if (!tsy_store_commit (store, error))
    return 0;
  return id;

fail:
  tsy_store_rollback (store);
  return 0;
}
