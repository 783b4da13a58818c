/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsy-account.h"
#include "tsy-bank.h"
#include "tsy-iban.h"
#include "tsy-ledger-error.h"
#include "tsy-money.h"
#include "tsy-org.h"
#include "tsy-store-private.h"
#include "tsy-validate-private.h"

static const char *const type_names[] = {
  [TSY_ACCOUNT_TYPE_BASIC] = "basic",
  [TSY_ACCOUNT_TYPE_GENERAL] = "general",
  [TSY_ACCOUNT_TYPE_SPECIAL] = "special",
  [TSY_ACCOUNT_TYPE_TEMPORARY] = "temporary",
  [TSY_ACCOUNT_TYPE_FOREIGN] = "foreign",
  [TSY_ACCOUNT_TYPE_OTHER] = "other",
};

static const char *const status_names[] = {
  [TSY_ACCOUNT_STATUS_OPEN] = "open",
  [TSY_ACCOUNT_STATUS_FROZEN] = "frozen",
  [TSY_ACCOUNT_STATUS_CLOSED] = "closed",
};

const char *
tsy_account_type_to_string (TsyAccountType type)
{
  g_return_val_if_fail ((guint) type < G_N_ELEMENTS (type_names), "other");
  return type_names[type];
}

gboolean
tsy_account_type_from_string (const char     *text,
                              TsyAccountType *out)
{
  int v;

  if (!tsy_validate_enum_name (type_names, G_N_ELEMENTS (type_names), text, &v))
    return FALSE;
  *out = (TsyAccountType) v;
  return TRUE;
}

const char *
tsy_account_status_to_string (TsyAccountStatus status)
{
  g_return_val_if_fail ((guint) status < G_N_ELEMENTS (status_names), "open");
  return status_names[status];
}

gboolean
tsy_account_status_from_string (const char       *text,
                                TsyAccountStatus *out)
{
  int v;

  if (!tsy_validate_enum_name (status_names, G_N_ELEMENTS (status_names), text, &v))
    return FALSE;
  *out = (TsyAccountStatus) v;
  return TRUE;
}

void
tsy_account_info_free (TsyAccountInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->number);
  g_free (info->name);
  g_free (info->org_code);
  g_free (info->bank_code);
  g_free (info);
}

char *
tsy_account_normalize_number (const char *number)
{
  GString *out;

  if (number == NULL)
    return g_strdup ("");
  if (tsy_iban_looks_like (number))
    return tsy_iban_normalize (number);
  out = g_string_new (NULL);
  for (const char *p = number; *p; p++)
    if (*p != ' ' && *p != '\t')
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

#define ACCOUNT_SELECT \
  "SELECT a.id, a.number, a.name, a.currency, a.org_id, o.code, a.bank_id, b.code, a.type, " \
  "a.status, a.pool_parent_id, a.daily_limit_minor FROM account a " \
  "JOIN org_unit o ON o.id = a.org_id JOIN bank b ON b.id = a.bank_id "

static TsyAccountInfo *
info_from_row (sqlite3_stmt *stmt)
{
  TsyAccountInfo *info = g_new0 (TsyAccountInfo, 1);
  const char *ccy = (const char *) sqlite3_column_text (stmt, 3);

  info->id = sqlite3_column_int64 (stmt, 0);
  info->number = tsy_store_column_dup (stmt, 1);
  info->name = tsy_store_column_dup (stmt, 2);
  g_strlcpy (info->currency, ccy ? ccy : "", sizeof info->currency);
  info->org_id = sqlite3_column_int64 (stmt, 4);
  info->org_code = tsy_store_column_dup (stmt, 5);
  info->bank_id = sqlite3_column_int64 (stmt, 6);
  info->bank_code = tsy_store_column_dup (stmt, 7);
  tsy_account_type_from_string ((const char *) sqlite3_column_text (stmt, 8), &info->type);
  tsy_account_status_from_string ((const char *) sqlite3_column_text (stmt, 9), &info->status);
  info->pool_parent_id = sqlite3_column_int64 (stmt, 10);
  info->has_daily_limit = sqlite3_column_type (stmt, 11) != SQLITE_NULL;
  info->daily_limit_minor = sqlite3_column_int64 (stmt, 11);
  return info;
}

TsyAccountInfo *
tsy_account_lookup (TsyStore   *store,
                    const char *number,
                    GError    **error)
{
  g_autofree char *normal = tsy_account_normalize_number (number);
  sqlite3_stmt *stmt = tsy_store_prepare (store, ACCOUNT_SELECT "WHERE a.number = ?1", error);
  TsyAccountInfo *info = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  tsy_store_bind_text (stmt, 1, normal);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    info = info_from_row (stmt);
  else if (rc == SQLITE_DONE)
    g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_NOT_FOUND,
                 _("There is no account “%s”"), normal);
  else
    tsy_store_set_error (store, error);
  sqlite3_reset (stmt);
  return info;
}

gint64
tsy_account_add (TsyStore             *store,
                 const TsyAccountSpec *spec,
                 GError              **error)
{
  g_autofree char *number = NULL;
  g_autoptr(TsyOrgInfo) org = NULL;
  g_autoptr(TsyBankInfo) bank = NULL;
  g_autoptr(TsyAccountInfo) existing = NULL;
  g_autoptr(TsyAccountInfo) parent = NULL;
  sqlite3_stmt *stmt;
  gint64 id;

  g_return_val_if_fail (TSY_IS_STORE (store), 0);
  g_return_val_if_fail (spec != NULL, 0);

  number = tsy_account_normalize_number (spec->number);
  if (*number == '\0' || strlen (number) > 64 || !g_utf8_validate (number, -1, NULL))
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   "%s", _("An account number must be 1–64 characters"));
      return 0;
    }
  if (!spec->local_number && tsy_iban_looks_like (number) && !tsy_iban_validate (number, error))
    return 0;
  if (!tsy_currency_check (spec->currency, error))
    return 0;
  if (spec->name != NULL && *spec->name != '\0' && !tsy_validate_name (spec->name, error))
    return 0;
  if (spec->has_daily_limit && spec->daily_limit_minor < 0)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   "%s", _("A daily payment limit cannot be negative"));
      return 0;
    }

  if (!tsy_store_begin (store, error))
    return 0;

  existing = tsy_account_lookup (store, number, NULL);
  if (existing != NULL)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DUPLICATE,
                   _("The account “%s” exists already"), number);
      goto fail;
    }
  org = tsy_org_lookup (store, spec->org_code, error);
  if (org == NULL)
    goto fail;
  bank = tsy_bank_lookup (store, spec->bank_code, error);
  if (bank == NULL)
    goto fail;
  if (spec->pool_parent != NULL && *spec->pool_parent != '\0')
    {
      parent = tsy_account_lookup (store, spec->pool_parent, error);
      if (parent == NULL)
        goto fail;
      if (strcmp (parent->currency, spec->currency) != 0)
        {
          g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_CURRENCY_MISMATCH,
                       /* Translators: %1$s an account number, %2$s and %3$s currency codes */
                       _("The pooling parent “%1$s” is in %2$s, not %3$s"),
                       parent->number, parent->currency, spec->currency);
          goto fail;
        }
    }

  stmt = tsy_store_prepare (store,
      "INSERT INTO account (number, name, currency, org_id, bank_id, type, status, pool_parent_id,"
      " daily_limit_minor) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", error);
  if (stmt == NULL)
    goto fail;
  tsy_store_bind_text (stmt, 1, number);
  tsy_store_bind_text (stmt, 2, spec->name && *spec->name ? spec->name : NULL);
  tsy_store_bind_text (stmt, 3, spec->currency);
  sqlite3_bind_int64 (stmt, 4, org->id);
  sqlite3_bind_int64 (stmt, 5, bank->id);
  tsy_store_bind_text (stmt, 6, tsy_account_type_to_string (spec->type));
  tsy_store_bind_text (stmt, 7, tsy_account_status_to_string (spec->status));
  if (parent != NULL)
    sqlite3_bind_int64 (stmt, 8, parent->id);
  if (spec->has_daily_limit)
    sqlite3_bind_int64 (stmt, 9, spec->daily_limit_minor);
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
tsy_account_list (TsyStore *store,
                  GError  **error)
{
  sqlite3_stmt *stmt = tsy_store_prepare (store, ACCOUNT_SELECT "ORDER BY a.number", error);

  if (stmt == NULL)
    return NULL;
  return tsy_store_collect (store, stmt, (TsyRowFunc) info_from_row, (GDestroyNotify) tsy_account_info_free, error);
}

gboolean
tsy_balance_set (TsyStore   *store,
                 const char *number,
                 gint64      amount_minor,
                 TsyDate     date,
                 GError    **error)
{
  g_autoptr(TsyAccountInfo) account = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TSY_IS_STORE (store), FALSE);

  if (date == TSY_DATE_NONE)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID, "%s", _("A balance needs a date"));
      return FALSE;
    }
  if (!tsy_store_begin (store, error))
    return FALSE;
  account = tsy_account_lookup (store, number, error);
  if (account == NULL)
    goto fail;
  stmt = tsy_store_prepare (store,
      "INSERT INTO balance (account_id, date, amount_minor, source) VALUES (?1, ?2, ?3, 'manual') "
      "ON CONFLICT (account_id, date) DO UPDATE SET amount_minor = excluded.amount_minor, "
      "source = excluded.source", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, account->id);
  tsy_store_bind_date (stmt, 2, date);
  sqlite3_bind_int64 (stmt, 3, amount_minor);
  if (!tsy_store_step_done (store, stmt, error))
    goto fail;
  return tsy_store_commit (store, error);

fail:
  tsy_store_rollback (store);
  return FALSE;
}

gboolean
tsy_balance_get (TsyStore *store,
                 gint64    account_id,
                 TsyDate   date,
                 gint64   *out_minor,
                 TsyDate  *out_date,
                 GError  **error)
{
  sqlite3_stmt *stmt = tsy_store_prepare (store,
      "SELECT amount_minor, date FROM balance WHERE account_id = ?1 AND date <= ?2 "
      "ORDER BY date DESC LIMIT 1", error);
  gboolean found = FALSE;
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  tsy_store_bind_date (stmt, 2, date);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_minor = sqlite3_column_int64 (stmt, 0);
      if (out_date != NULL)
        *out_date = tsy_store_column_date (stmt, 1);
      found = TRUE;
    }
  else if (rc == SQLITE_DONE)
    g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_NOT_FOUND,
                 "%s", _("The account has no balance on or before that date"));
  else
    tsy_store_set_error (store, error);
  sqlite3_reset (stmt);
  return found;
}

gboolean
tsy_balance_history (TsyStore *store,
                     gint64    account_id,
                     GArray  **out_dates,
                     GArray  **out_amounts,
                     GError  **error)
{
  sqlite3_stmt *stmt = tsy_store_prepare (store,
      "SELECT date, amount_minor FROM balance WHERE account_id = ?1 ORDER BY date", error);
  g_autoptr(GArray) dates = NULL;
  g_autoptr(GArray) amounts = NULL;
  int rc;

  if (stmt == NULL)
    return FALSE;
  dates = g_array_new (FALSE, FALSE, sizeof (TsyDate));
  amounts = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_bind_int64 (stmt, 1, account_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TsyDate d = tsy_store_column_date (stmt, 0);
      gint64 v = sqlite3_column_int64 (stmt, 1);
      g_array_append_val (dates, d);
      g_array_append_val (amounts, v);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return tsy_store_set_error (store, error);
  *out_dates = g_steal_pointer (&dates);
  *out_amounts = g_steal_pointer (&amounts);
  return TRUE;
}

gboolean
tsy_fx_set (TsyStore   *store,
            const char *from,
            const char *to,
            const char *rate_text,
            TsyDate     date,
            GError    **error)
{
  sqlite3_stmt *stmt;
  gint64 rate;

  g_return_val_if_fail (TSY_IS_STORE (store), FALSE);

  if (!tsy_currency_check (from, error) || !tsy_currency_check (to, error))
    return FALSE;
  if (strcmp (from, to) == 0)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   _("A rate needs two different currencies, not %s twice"), from);
      return FALSE;
    }
  if (!tsy_rate_parse (rate_text, &rate, error))
    return FALSE;
  if (date == TSY_DATE_NONE)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID, "%s", _("A rate needs a date"));
      return FALSE;
    }
  if (!tsy_store_begin (store, error))
    return FALSE;
  stmt = tsy_store_prepare (store,
      "INSERT INTO fx_rate (from_ccy, to_ccy, date, rate) VALUES (?1, ?2, ?3, ?4) "
      "ON CONFLICT (from_ccy, to_ccy, date) DO UPDATE SET rate = excluded.rate", error);
  if (stmt == NULL)
    goto fail;
  tsy_store_bind_text (stmt, 1, from);
  tsy_store_bind_text (stmt, 2, to);
  tsy_store_bind_date (stmt, 3, date);
  sqlite3_bind_int64 (stmt, 4, rate);
  if (!tsy_store_step_done (store, stmt, error))
    goto fail;
  return tsy_store_commit (store, error);

fail:
  tsy_store_rollback (store);
  return FALSE;
}

static gboolean
lookup_rate (TsyStore   *store,
             const char *from,
             const char *to,
             TsyDate     date,
             gint64     *rate,
             GError    **error)
{
  sqlite3_stmt *stmt = tsy_store_prepare (store,
      "SELECT rate FROM fx_rate WHERE from_ccy = ?1 AND to_ccy = ?2 AND date <= ?3 "
      "ORDER BY date DESC LIMIT 1", error);
  gboolean found = FALSE;
  int rc;

  if (stmt == NULL)
    return FALSE;
  tsy_store_bind_text (stmt, 1, from);
  tsy_store_bind_text (stmt, 2, to);
  tsy_store_bind_date (stmt, 3, date);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *rate = sqlite3_column_int64 (stmt, 0);
      found = TRUE;
    }
  else if (rc != SQLITE_DONE)
    tsy_store_set_error (store, error);
  sqlite3_reset (stmt);
  return found;
}

gboolean
tsy_fx_convert (TsyStore   *store,
                gint64      minor,
                const char *from,
                const char *to,
                TsyDate     date,
                gint64     *out_minor,
                GError    **error)
{
  GError *local_error = NULL;
  gint64 rate;
  char date_text[11];

  if (strcmp (from, to) == 0)
    {
      *out_minor = minor;
      return TRUE;
    }
  if (lookup_rate (store, from, to, date, &rate, &local_error))
    return tsy_money_convert (minor, from, rate, to, TSY_ROUND_HALF_EVEN, out_minor, error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (lookup_rate (store, to, from, date, &rate, error))
    return tsy_money_convert_inverse (minor, from, rate, to, TSY_ROUND_HALF_EVEN, out_minor, error);

  tsy_date_format_iso (date, date_text);
  g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_MISSING_RATE,
               /* Translators: %1$s and %2$s currency codes, %3$s a date */
               _("There is no %1$s/%2$s exchange rate on or before %3$s"), from, to, date_text);
  return FALSE;
}
