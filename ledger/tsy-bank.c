/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsy-bank.h"
#include "tsy-iban.h"
#include "tsy-ledger-error.h"
#include "tsy-store-private.h"
#include "tsy-validate-private.h"

void
tsy_bank_info_free (TsyBankInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->code);
  g_free (info->name);
  g_free (info->bic);
  g_free (info->cnaps);
  g_free (info->country);
  g_free (info);
}

static TsyBankInfo *
info_from_row (sqlite3_stmt *stmt)
{
  TsyBankInfo *info = g_new0 (TsyBankInfo, 1);

  info->id = sqlite3_column_int64 (stmt, 0);
  info->code = tsy_store_column_dup (stmt, 1);
  info->name = tsy_store_column_dup (stmt, 2);
  info->bic = tsy_store_column_dup (stmt, 3);
  info->cnaps = tsy_store_column_dup (stmt, 4);
  info->country = tsy_store_column_dup (stmt, 5);
  return info;
}

TsyBankInfo *
tsy_bank_lookup (TsyStore   *store,
                 const char *code,
                 GError    **error)
{
  sqlite3_stmt *stmt = tsy_store_prepare (store,
      "SELECT id, code, name, bic, cnaps, country FROM bank WHERE code = ?1", error);
  TsyBankInfo *info = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  tsy_store_bind_text (stmt, 1, code);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    info = info_from_row (stmt);
  else if (rc == SQLITE_DONE)
    g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_NOT_FOUND,
                 _("There is no bank “%s”"), code ? code : "");
  else
    tsy_store_set_error (store, error);
  sqlite3_reset (stmt);
  return info;
}

static gboolean
validate_cnaps (const char *cnaps,
                GError    **error)
{
  gsize len = strlen (cnaps);

  if (len == 12)
    {
      gsize i;
      for (i = 0; i < len && g_ascii_isdigit (cnaps[i]); i++)
        ;
      if (i == len)
        return TRUE;
    }
  g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
               _("“%s” is not a CNAPS bank code (12 digits)"), cnaps);
  return FALSE;
}

gint64
tsy_bank_add (TsyStore   *store,
              const char *code,
              const char *name,
              const char *bic,
              const char *cnaps,
              const char *country,
              GError    **error)
{
  g_autoptr(TsyBankInfo) existing = NULL;
  g_autofree char *bic_upper = NULL;
  sqlite3_stmt *stmt;
  gint64 id;

  g_return_val_if_fail (TSY_IS_STORE (store), 0);

  if (!tsy_validate_code (code, _("bank code"), error) || !tsy_validate_name (name, error))
    return 0;
  if (bic != NULL && *bic != '\0')
    {
      bic_upper = g_ascii_strup (bic, -1);
      if (!tsy_bic_validate (bic_upper, error))
        return 0;
    }
  if (cnaps != NULL && *cnaps != '\0' && !validate_cnaps (cnaps, error))
    return 0;
  if (country != NULL && *country != '\0' &&
      (strlen (country) != 2 || !g_ascii_isalpha (country[0]) || !g_ascii_isalpha (country[1])))
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   _("“%s” is not an ISO 3166 country code"), country);
      return 0;
    }

  if (!tsy_store_begin (store, error))
    return 0;
  existing = tsy_bank_lookup (store, code, NULL);
  if (existing != NULL)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DUPLICATE,
                   _("The bank “%s” exists already"), code);
      goto fail;
    }
  stmt = tsy_store_prepare (store,
      "INSERT INTO bank (code, name, bic, cnaps, country) VALUES (?1, ?2, ?3, ?4, upper(?5))", error);
  if (stmt == NULL)
    goto fail;
  tsy_store_bind_text (stmt, 1, code);
  tsy_store_bind_text (stmt, 2, name);
  tsy_store_bind_text (stmt, 3, bic_upper);
  tsy_store_bind_text (stmt, 4, cnaps && *cnaps ? cnaps : NULL);
  tsy_store_bind_text (stmt, 5, country && *country ? country : NULL);
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
tsy_bank_list (TsyStore *store,
               GError  **error)
{
  sqlite3_stmt *stmt = tsy_store_prepare (store,
      "SELECT id, code, name, bic, cnaps, country FROM bank ORDER BY code", error);

  if (stmt == NULL)
    return NULL;
  return tsy_store_collect (store, stmt, (TsyRowFunc) info_from_row, (GDestroyNotify) tsy_bank_info_free, error);
}
