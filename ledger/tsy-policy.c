/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsy-account.h"
#include "tsy-ledger-error.h"
#include "tsy-money.h"
#include "tsy-org.h"
#include "tsy-payment-private.h"
#include "tsy-policy.h"

void
tsy_policy_band_free (TsyPolicyBand *band)
{
  if (band == NULL)
    return;
  g_free (band->org_code);
  g_free (band);
}

#define BAND_SELECT \
  "SELECT p.id, o.code, p.currency, p.up_to_minor, p.approvals, p.role FROM approval_policy p " \
  "JOIN org_unit o ON o.id = p.org_id "

static TsyPolicyBand *
band_from_row (sqlite3_stmt *stmt)
{
  TsyPolicyBand *band = g_new0 (TsyPolicyBand, 1);
  const char *ccy = (const char *) sqlite3_column_text (stmt, 2);

  band->id = sqlite3_column_int64 (stmt, 0);
  band->org_code = tsy_store_column_dup (stmt, 1);
  g_strlcpy (band->currency, ccy ? ccy : "", sizeof band->currency);
  band->up_to_minor = sqlite3_column_int64 (stmt, 3);
  band->approvals = (guint) sqlite3_column_int (stmt, 4);
  if (sqlite3_column_type (stmt, 5) != SQLITE_NULL)
    tsy_roles_parse ((const char *) sqlite3_column_text (stmt, 5), &band->role, NULL);
  return band;
}

static gboolean
single_role (TsyRoles role)
{
  return role != 0 && (role & (role - 1)) == 0 && (role & ~TSY_ROLES_ALL) == 0;
}

gboolean
tsy_policy_set (TsyStore   *store,
                const char *org_code,
                const char *currency,
                gint64      up_to_minor,
                guint       approvals,
                TsyRoles    role,
                const char *actor,
                GError    **error)
{
  g_autoptr(TsyOrgInfo) org = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *amount = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TSY_IS_STORE (store), FALSE);

  if (!tsy_currency_check (currency, error))
    return FALSE;
  if (up_to_minor <= 0)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   "%s", _("The upper end of an approval band must be more than zero"));
      return FALSE;
    }
  if (approvals < 1 || approvals > 9)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   "%s", _("A band needs 1 to 9 approvals"));
      return FALSE;
    }
  if (role != 0 && !single_role (role))
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   "%s", _("A band names at most one role"));
      return FALSE;
    }
  if (role == TSY_ROLE_MAKER || role == TSY_ROLE_ACCOUNTANT)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   "%s", _("Only approvers and admins approve payments"));
      return FALSE;
    }

  if (!tsy_store_begin (store, error))
    return FALSE;
  org = tsy_org_lookup (store, org_code, error);
  if (org == NULL)
    goto fail;
  stmt = tsy_store_prepare (store,
      "INSERT INTO approval_policy (org_id, currency, up_to_minor, approvals, role) "
      "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (org_id, currency, up_to_minor) DO UPDATE SET "
      "approvals = excluded.approvals, role = excluded.role", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, org->id);
  tsy_store_bind_text (stmt, 2, currency);
  sqlite3_bind_int64 (stmt, 3, up_to_minor);
  sqlite3_bind_int (stmt, 4, (int) approvals);
  tsy_store_bind_text (stmt, 5, role ? tsy_role_to_string (role) : NULL);
  if (!tsy_store_step_done (store, stmt, error))
    goto fail;

  subject = g_strdup_printf ("org:%s", org->code);
  amount = tsy_money_to_decimal (up_to_minor, currency);
  detail = g_strdup_printf ("up_to=%s %s approvals=%u role=%s", amount, currency, approvals,
                            role ? tsy_role_to_string (role) : "-");
  if (!tsy_payment_audit (store, actor, "policy.set", subject, detail, error))
    goto fail;
  return tsy_store_commit (store, error);

fail:
  tsy_store_rollback (store);
  return FALSE;
}

GPtrArray *
tsy_policy_list (TsyStore   *store,
                 const char *org_code,
                 GError    **error)
{
  sqlite3_stmt *stmt = tsy_store_prepare (store,
      BAND_SELECT "WHERE ?1 IS NULL OR o.code = ?1 ORDER BY o.code, p.currency, p.up_to_minor", error);
  g_autoptr(GPtrArray) list = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  tsy_store_bind_text (stmt, 1, org_code);
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) tsy_policy_band_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, band_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tsy_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

/* The bands of one unit: in @currency when there are any, else in the unit's first currency. */
static GPtrArray *
unit_bands (TsyStore   *store,
            gint64      org_id,
            const char *currency,
            GError    **error)
{
  sqlite3_stmt *stmt = tsy_store_prepare (store,
      BAND_SELECT "WHERE p.org_id = ?1 ORDER BY p.currency <> ?2, p.currency, p.up_to_minor", error);
  g_autoptr(GPtrArray) list = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, org_id);
  tsy_store_bind_text (stmt, 2, currency);
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) tsy_policy_band_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TsyPolicyBand *band = band_from_row (stmt);
      /* one currency only: the first row's */
      if (list->len > 0 && strcmp (band->currency, ((TsyPolicyBand *) list->pdata[0])->currency) != 0)
        {
          tsy_policy_band_free (band);
          break;
        }
      g_ptr_array_add (list, band);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      tsy_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

static gboolean
parent_of (TsyStore *store,
           gint64    org_id,
           gint64   *out_parent,
           GError  **error)
{
  sqlite3_stmt *stmt = tsy_store_prepare (store, "SELECT parent_id FROM org_unit WHERE id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, org_id);
  rc = sqlite3_step (stmt);
  *out_parent = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return tsy_store_set_error (store, error);
  return TRUE;
}

TsyPolicyBand *
tsy_policy_resolve (TsyStore   *store,
                    gint64      org_id,
                    gint64      amount_minor,
                    const char *currency,
                    TsyDate     date,
                    GError    **error)
{
  gint64 unit = org_id;
  guint depth = 0;

  g_return_val_if_fail (TSY_IS_STORE (store), NULL);

  while (unit != 0 && depth++ < 64)
    {
      g_autoptr(GPtrArray) bands = unit_bands (store, unit, currency, error);
      gint64 amount = amount_minor;
      TsyPolicyBand *first;

      if (bands == NULL)
        return NULL;
      if (bands->len == 0)
        {
          if (!parent_of (store, unit, &unit, error))
            return NULL;
          continue;
        }
      first = g_ptr_array_index (bands, 0);
      if (strcmp (first->currency, currency) != 0)
        {
          /* Converted half-even at the day's rate; one minor unit of margin so that rounding
           * never moves an amount into a lower band than it belongs to. */
          if (!tsy_fx_convert (store, amount_minor, currency, first->currency, date, &amount, error) ||
              !tsy_money_add (amount, 1, &amount, error))
            return NULL;
        }
      for (guint i = 0; i < bands->len; i++)
        {
          TsyPolicyBand *band = g_ptr_array_index (bands, i);
          if (amount <= band->up_to_minor)
            return g_ptr_array_steal_index (bands, i);
        }
      {
        TsyPolicyBand *last = g_ptr_array_index (bands, bands->len - 1);
        g_autofree char *text = tsy_money_to_decimal (amount_minor, currency);
        g_autofree char *limit = tsy_money_to_decimal (last->up_to_minor, last->currency);
        g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DENIED,
                     /* Translators: %1$s amount, %2$s currency, %3$s org code, %4$s amount, %5$s currency */
                     _("%1$s %2$s is above every approval band of “%3$s” (the largest goes up to %4$s %5$s); "
                       "set a larger band with “treasury policy set”"),
                     text, currency, last->org_code, limit, last->currency);
        return NULL;
      }
    }

  {
    /* No policy anywhere up the tree: one approval by someone else than the maker. */
    TsyPolicyBand *band = g_new0 (TsyPolicyBand, 1);
    g_strlcpy (band->currency, currency, sizeof band->currency);
    band->up_to_minor = G_MAXINT64;
    band->approvals = 1;
    return band;
  }
}
