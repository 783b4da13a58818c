/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The lifecycle of an instruction up to its approval: the canonical digest, submit, approve,
 * reject, fail. Sending and the bank's answers are in tsy-outbox.c. */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsy-account.h"
#include "tsy-iban.h"
#include "tsy-ledger-error.h"
#include "tsy-money.h"
#include "tsy-payment-private.h"
#include "tsy-policy.h"
#include "tsy-user.h"

/* ---- Canonical digest ------------------------------------------------------------------ */

static void
put_field (GByteArray *out,
           const char *name,
           const char *value)
{
  g_autofree char *head = NULL;
  gsize len = value ? strlen (value) : 0;

  /* name=LEN:VALUE\n — length-prefixed, so no value can imitate a field boundary; an absent
   * value and an empty one are the same (both "0:"). */
  head = g_strdup_printf ("%s=%" G_GSIZE_FORMAT ":", name, len);
  g_byte_array_append (out, (const guint8 *) head, (guint) strlen (head));
  if (len > 0)
    g_byte_array_append (out, (const guint8 *) value, (guint) len);
  g_byte_array_append (out, (const guint8 *) "\n", 1);
}

GBytes *
tsy_payment_canonical (const TsyPaymentInfo *info)
{
  GByteArray *out = g_byte_array_new ();
  char amount[32];
  char day[11];

  g_return_val_if_fail (info != NULL, NULL);

  g_snprintf (amount, sizeof amount, "%" G_GINT64_FORMAT, info->amount_minor);
  tsy_date_format_iso (info->execution_date, day);

  g_byte_array_append (out, (const guint8 *) "tsy-payment-1\n", 14);
  put_field (out, "end_to_end_id", info->end_to_end_id);
  put_field (out, "debtor_account", info->debtor_account);
  put_field (out, "debtor_bank", info->bank_code);
  put_field (out, "debtor_bic", info->bank_bic);
  put_field (out, "creditor_name", info->creditor_name);
  put_field (out, "creditor_account", info->creditor_account);
  put_field (out, "creditor_bic", info->creditor_bic);
  put_field (out, "creditor_cnaps", info->creditor_cnaps);
  put_field (out, "creditor_bank", info->creditor_bank);
  put_field (out, "amount_minor", amount);
  put_field (out, "currency", info->currency);
  put_field (out, "execution_date", day);
  put_field (out, "urgency", tsy_urgency_to_string (info->urgency));
  put_field (out, "remittance", info->remittance);
  put_field (out, "purpose", info->purpose);
  return g_byte_array_free_to_bytes (out);
}

void
tsy_payment_digest (const TsyPaymentInfo *info,
                    guint8                out[32])
{
  g_autoptr(GBytes) canonical = tsy_payment_canonical (info);
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  gsize len = 32;

  g_checksum_update (sum, g_bytes_get_data (canonical, NULL), (gssize) g_bytes_get_size (canonical));
  g_checksum_get_digest (sum, out, &len);
  g_assert (len == 32);
}

char *
tsy_payment_digest_hex (const TsyPaymentInfo *info)
{
  g_autoptr(GBytes) canonical = tsy_payment_canonical (info);

  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, canonical);
}

/* ---- Status changes -------------------------------------------------------------------- */

gboolean
tsy_payment_set_status (TsyStore        *store,
                        gint64           id,
                        TsyPaymentStatus from,
                        TsyPaymentStatus to,
                        const char      *actor,
                        const char      *bank_status,
                        const char      *reason,
                        GError         **error)
{
  g_autofree char *now = tsy_payment_now_utc ();
  g_autofree char *subject = g_strdup_printf ("payment:%" G_GINT64_FORMAT, id);
  g_autofree char *detail = NULL;
  sqlite3_stmt *stmt;

  g_assert (tsy_store_in_transaction (store));

  stmt = tsy_store_prepare (store,
      "UPDATE payment SET status = ?2, updated_at = ?3, bank_status = coalesce(?4, bank_status),"
      " status_reason = coalesce(?5, status_reason) WHERE id = ?1 AND status = ?6", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  tsy_store_bind_text (stmt, 2, tsy_payment_status_to_string (to));
  tsy_store_bind_text (stmt, 3, now);
  tsy_store_bind_text (stmt, 4, bank_status);
  tsy_store_bind_text (stmt, 5, reason);
  tsy_store_bind_text (stmt, 6, tsy_payment_status_to_string (from));
  if (!tsy_store_step_done (store, stmt, error))
    return FALSE;
  if (sqlite3_changes (tsy_store_get_db (store)) != 1)
    {
      /* Someone else moved it on meanwhile (another window, another process). */
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DENIED,
                   _("Payment %lld changed meanwhile; look at it again"), (long long) id);
      return FALSE;
    }
  detail = g_strdup_printf ("%s -> %s%s%s%s%s", tsy_payment_status_to_string (from),
                            tsy_payment_status_to_string (to),
                            bank_status ? " bank=" : "", bank_status ? bank_status : "",
                            reason ? " reason=" : "", reason ? reason : "");
  return tsy_payment_audit (store, actor, "payment.status", subject, detail, error);
}

static gboolean
wrong_status (const TsyPaymentInfo *info,
              const char           *wanted,
              GError              **error)
{
  g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DENIED,
               /* Translators: %1$lld id, %2$s current status, %3$s wanted status */
               _("Payment %1$lld is %2$s; this needs it %3$s"),
               (long long) info->id, tsy_payment_status_to_string (info->status), wanted);
  return FALSE;
}

gboolean
tsy_payment_submit (TsyStore   *store,
                    gint64      id,
                    const char *user,
                    GError    **error)
{
  g_autoptr(TsyUserInfo) who = NULL;
  g_autoptr(TsyPaymentInfo) info = NULL;
  g_autoptr(TsyPolicyBand) band = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *detail = NULL;
  sqlite3_stmt *stmt;
  gint64 band_amount;

  g_return_val_if_fail (TSY_IS_STORE (store), FALSE);

  if (!tsy_store_begin (store, error))
    return FALSE;
  who = tsy_user_require (store, user, TSY_ROLE_MAKER | TSY_ROLE_ADMIN, error);
  if (who == NULL)
    goto fail;
  info = tsy_payment_load (store, id, error);
  if (info == NULL)
    goto fail;
  if (info->status != TSY_PAYMENT_DRAFT)
    {
      wrong_status (info, tsy_payment_status_to_string (TSY_PAYMENT_DRAFT), error);
      goto fail;
    }
  if (info->maker_id != who->id)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DENIED,
                   /* Translators: %1$lld id, %2$s user name */
                   _("Only its maker submits payment %1$lld (made by “%2$s”)"),
                   (long long) id, info->maker);
      goto fail;
    }
  if (!tsy_payment_recheck (store, info, error) ||
      !tsy_payment_band_amount (store, info, &band_amount, error))
    goto fail;
  band = tsy_policy_resolve (store, info->org_id, band_amount, info->currency,
                             info->execution_date, error);
  if (band == NULL)
    goto fail;

  digest = tsy_payment_digest_hex (info);
  stmt = tsy_store_prepare (store,
      "UPDATE payment SET digest = ?2, required_approvals = ?3, required_role = ?4 WHERE id = ?1",
      error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  tsy_store_bind_text (stmt, 2, digest);
  sqlite3_bind_int (stmt, 3, (int) band->approvals);
  tsy_store_bind_text (stmt, 4, band->role ? tsy_role_to_string (band->role) : NULL);
  if (!tsy_store_step_done (store, stmt, error) ||
      !tsy_payment_set_status (store, id, TSY_PAYMENT_DRAFT, TSY_PAYMENT_SUBMITTED, who->name,
                               NULL, NULL, error))
    goto fail;
  subject = g_strdup_printf ("payment:%" G_GINT64_FORMAT, id);
  detail = g_strdup_printf ("digest=%s approvals=%u role=%s band=%s", digest, band->approvals,
                            band->role ? tsy_role_to_string (band->role) : "-",
                            band->org_code ? band->org_code : "default");
  if (!tsy_payment_audit (store, who->name, "payment.submit", subject, detail, error))
    goto fail;
  return tsy_store_commit (store, error);

fail:
  tsy_store_rollback (store);
  return FALSE;
}

/* Whether the approvals recorded so far satisfy the band: count and role. */
static gboolean
approvals_complete (TsyStore             *store,
                    const TsyPaymentInfo *info,
                    gboolean             *out_done,
                    GError              **error)
{
  sqlite3_stmt *stmt;
  guint count = 0;
  gboolean role_ok;
  int rc;

  stmt = tsy_store_prepare (store,
      "SELECT count(*), sum(EXISTS (SELECT 1 FROM user_role r WHERE r.user_id = a.user_id AND r.role = ?2)) "
      "FROM payment_approval a WHERE a.payment_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, info->id);
  tsy_store_bind_text (stmt, 2, info->required_role ? info->required_role : "");
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return tsy_store_set_error (store, error);
    }
  count = (guint) sqlite3_column_int (stmt, 0);
  role_ok = info->required_role == NULL || sqlite3_column_int (stmt, 1) > 0;
  sqlite3_reset (stmt);
  *out_done = info->required_approvals > 0 && count >= info->required_approvals && role_ok;
  return TRUE;
}

gboolean
tsy_payment_approve (TsyStore         *store,
                     gint64            id,
                     const char       *user,
                     const char       *digest_hex,
                     GBytes           *signature,
                     TsyPaymentStatus *out_status,
                     GError          **error)
{
  g_autoptr(TsyUserInfo) who = NULL;
  g_autoptr(TsyPaymentInfo) info = NULL;
  g_autofree char *current = NULL;
  g_autofree char *now = tsy_payment_now_utc ();
  g_autofree char *subject = NULL;
  g_autofree char *detail = NULL;
  sqlite3_stmt *stmt;
  gboolean done = FALSE;
  gsize sig_len;
  gconstpointer sig;
  int rc;

  g_return_val_if_fail (TSY_IS_STORE (store), FALSE);
  g_return_val_if_fail (signature != NULL, FALSE);

  if (!tsy_store_begin (store, error))
    return FALSE;
  who = tsy_user_require (store, user, TSY_ROLE_APPROVER | TSY_ROLE_ADMIN, error);
  if (who == NULL)
    goto fail;
  info = tsy_payment_load (store, id, error);
  if (info == NULL)
    goto fail;
  if (info->maker_id == who->id)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DENIED,
                   /* Translators: %1$s user name, %2$lld payment id */
                   _("“%1$s” made payment %2$lld and cannot approve it"),
                   who->name, (long long) id);
      goto fail;
    }
  if (info->status != TSY_PAYMENT_SUBMITTED)
    {
      wrong_status (info, tsy_payment_status_to_string (TSY_PAYMENT_SUBMITTED), error);
      goto fail;
    }

  stmt = tsy_store_prepare (store,
      "SELECT 1 FROM payment_approval WHERE payment_id = ?1 AND user_id = ?2", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, who->id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_ROW)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DENIED,
                   /* Translators: %1$s user name, %2$lld payment id */
                   _("“%1$s” has approved payment %2$lld already; one person counts once"),
                   who->name, (long long) id);
      goto fail;
    }

  /* The approver signed what they saw; it must be what the payment says now and what was
   * fixed at submission. */
  current = tsy_payment_digest_hex (info);
  if (digest_hex == NULL || g_ascii_strcasecmp (digest_hex, current) != 0 ||
      g_strcmp0 (info->digest, current) != 0)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   _("Payment %lld is not what was signed; its content differs"), (long long) id);
      goto fail;
    }
  sig = g_bytes_get_data (signature, &sig_len);
  if (sig_len < 8 || sig_len > 256)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   "%s", _("The signature is malformed"));
      goto fail;
    }

  stmt = tsy_store_prepare (store,
      "INSERT INTO payment_approval (payment_id, user_id, key_id, digest, signature, at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, who->id);
  tsy_store_bind_text (stmt, 3, who->key_id);
  tsy_store_bind_text (stmt, 4, current);
  sqlite3_bind_blob (stmt, 5, sig, (int) sig_len, SQLITE_TRANSIENT);
  tsy_store_bind_text (stmt, 6, now);
  if (!tsy_store_step_done (store, stmt, error))
    goto fail;

  subject = g_strdup_printf ("payment:%" G_GINT64_FORMAT, id);
  detail = g_strdup_printf ("digest=%s key=%s", current, who->key_id);
  if (!tsy_payment_audit (store, who->name, "payment.approve", subject, detail, error) ||
      !approvals_complete (store, info, &done, error))
    goto fail;
  if (done && !tsy_payment_set_status (store, id, TSY_PAYMENT_SUBMITTED, TSY_PAYMENT_APPROVED,
                                       who->name, NULL, NULL, error))
    goto fail;
  if (!tsy_store_commit (store, error))
    return FALSE;
  if (out_status != NULL)
    *out_status = done ? TSY_PAYMENT_APPROVED : TSY_PAYMENT_SUBMITTED;
  return TRUE;

fail:
  tsy_store_rollback (store);
  return FALSE;
}

gboolean
tsy_payment_reject (TsyStore   *store,
                    gint64      id,
                    const char *user,
                    const char *reason,
                    GError    **error)
{
  g_autoptr(TsyUserInfo) who = NULL;
  g_autoptr(TsyPaymentInfo) info = NULL;

  g_return_val_if_fail (TSY_IS_STORE (store), FALSE);

  if (reason == NULL || *reason == '\0' || !g_utf8_validate (reason, -1, NULL) ||
      g_utf8_strlen (reason, -1) > 200)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   "%s", _("A rejection needs a reason of 1–200 characters"));
      return FALSE;
    }
  if (!tsy_store_begin (store, error))
    return FALSE;
  who = tsy_user_lookup (store, user, error);
  if (who == NULL)
    goto fail;
  info = tsy_payment_load (store, id, error);
  if (info == NULL)
    goto fail;
  if (info->maker_id != who->id && (who->roles & (TSY_ROLE_APPROVER | TSY_ROLE_ADMIN)) == 0)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DENIED,
                   /* Translators: %1$s user name, %2$lld payment id */
                   _("“%1$s” may not reject payment %2$lld (approvers, admins and its maker may)"),
                   who->name, (long long) id);
      goto fail;
    }
  if (info->status != TSY_PAYMENT_DRAFT && info->status != TSY_PAYMENT_SUBMITTED)
    {
      wrong_status (info, _("a draft or submitted"), error);
      goto fail;
    }
  if (!tsy_payment_set_status (store, id, info->status, TSY_PAYMENT_REJECTED, who->name, NULL,
                               reason, error))
    goto fail;
  return tsy_store_commit (store, error);

fail:
  tsy_store_rollback (store);
  return FALSE;
}

gboolean
tsy_payment_fail (TsyStore   *store,
                  gint64      id,
                  const char *actor,
                  const char *reason,
                  GError    **error)
{
  g_autoptr(TsyPaymentInfo) info = NULL;

  g_return_val_if_fail (TSY_IS_STORE (store), FALSE);

  if (!tsy_store_begin (store, error))
    return FALSE;
  info = tsy_payment_load (store, id, error);
  if (info == NULL)
    goto fail;
  if (info->status != TSY_PAYMENT_APPROVED && info->status != TSY_PAYMENT_SUBMITTED)
    {
      wrong_status (info, tsy_payment_status_to_string (TSY_PAYMENT_APPROVED), error);
      goto fail;
    }
  if (!tsy_payment_set_status (store, id, info->status, TSY_PAYMENT_FAILED, actor, NULL, reason, error))
    goto fail;
  return tsy_store_commit (store, error);

fail:
  tsy_store_rollback (store);
  return FALSE;
}

void
tsy_approval_info_free (TsyApprovalInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->user);
  g_clear_pointer (&info->public_key, g_bytes_unref);
  g_free (info->key_id);
  g_free (info->digest);
  g_clear_pointer (&info->signature, g_bytes_unref);
  g_free (info->at);
  g_free (info);
}

GPtrArray *
tsy_payment_approvals (TsyStore *store,
                       gint64    id,
                       GError  **error)
{
  sqlite3_stmt *stmt = tsy_store_prepare (store,
      "SELECT u.name, u.public_key, a.key_id, a.digest, a.signature, a.at FROM payment_approval a "
      "JOIN app_user u ON u.id = a.user_id WHERE a.payment_id = ?1 ORDER BY a.at, u.name", error);
  g_autoptr(GPtrArray) list = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) tsy_approval_info_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TsyApprovalInfo *a = g_new0 (TsyApprovalInfo, 1);
      a->user = tsy_store_column_dup (stmt, 0);
      a->public_key = g_bytes_new (sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1));
      a->key_id = tsy_store_column_dup (stmt, 2);
      a->digest = tsy_store_column_dup (stmt, 3);
      a->signature = g_bytes_new (sqlite3_column_blob (stmt, 4), sqlite3_column_bytes (stmt, 4));
      a->at = tsy_store_column_dup (stmt, 5);
      g_ptr_array_add (list, a);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tsy_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}
