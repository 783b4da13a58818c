/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "ledger/tsy-ledger-error.h"
#include "tsy-bank-error.h"
#include "tsy-crypto.h"
#include "tsy-payment-signer.h"

gint64
tsy_user_create (TsyStore   *store,
                 const char *name,
                 TsyRoles    roles,
                 const char *pem_path,
                 const char *pem_passphrase,
                 const char *passphrase,
                 const char *actor,
                 GError    **error)
{
  g_autoptr(TsyKey) key = NULL;
  g_autoptr(GBytes) public_der = NULL;
  g_autoptr(GBytes) sealed = NULL;

  g_return_val_if_fail (TSY_IS_STORE (store), 0);
  g_return_val_if_fail (passphrase != NULL, 0);

  if (strlen (passphrase) < 8)
    {
      g_set_error_literal (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PASSPHRASE,
                           _("A passphrase needs at least 8 characters"));
      return 0;
    }
  key = pem_path ? tsy_key_load_pem_file (pem_path, pem_passphrase, error) : tsy_key_generate (error);
  if (key == NULL)
    return 0;
  public_der = tsy_key_public_der (key);
  sealed = tsy_key_seal (key, passphrase, name, error);
  if (sealed == NULL)
    return 0;
  return tsy_user_add (store, name, roles, public_der, sealed, actor, error);
}

gboolean
tsy_payment_sign_approve (TsyStore     *store,
                          const gint64 *ids,
                          guint         n_ids,
                          const char   *user,
                          const char   *passphrase,
                          guint        *out_approved,
                          GError      **error)
{
  g_autoptr(TsyUserInfo) who = NULL;
  g_autoptr(TsyKey) key = NULL;
  g_autoptr(GBytes) public_der = NULL;
  guint approved = 0;

  g_return_val_if_fail (TSY_IS_STORE (store), FALSE);

  /* Role and maker are the ledger's to judge; the key is ours to open. */
  who = tsy_user_require (store, user, TSY_ROLE_APPROVER | TSY_ROLE_ADMIN, error);
  if (who == NULL)
    return FALSE;
  if (who->sealed_key == NULL)
    {
      g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_SIGNATURE,
                   _("The user “%s” has no private key here"), user);
      return FALSE;
    }
  key = tsy_key_unseal (who->sealed_key, passphrase, who->name, error);
  if (key == NULL)
    return FALSE;
  public_der = tsy_key_public_der (key);
  if (!g_bytes_equal (public_der, who->public_key))
    {
      g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_SIGNATURE,
                   _("The key of “%s” does not match the public key on record"), user);
      return FALSE;
    }

  for (guint i = 0; i < n_ids; i++)
    {
      g_autoptr(TsyPaymentInfo) info = tsy_payment_lookup (store, ids[i], error);
      g_autoptr(GBytes) signature = NULL;
      g_autofree char *hex = NULL;
      TsyPaymentStatus status;
      guint8 digest[32];

      if (info == NULL)
        return FALSE;
      tsy_payment_digest (info, digest);
      hex = tsy_payment_digest_hex (info);
      signature = tsy_key_sign_digest (key, digest, error);
      if (signature == NULL ||
          !tsy_crypto_verify_digest (who->public_key, digest, signature, error) ||
          !tsy_payment_approve (store, ids[i], user, hex, signature, &status, error))
        {
          if (out_approved != NULL)
            *out_approved = approved;
          return FALSE;
        }
      if (status == TSY_PAYMENT_APPROVED)
        approved++;
    }
  if (out_approved != NULL)
    *out_approved = approved;
  return TRUE;
}

typedef struct
{
  GArray    *ids;
  char      *user;
  TsySecret *passphrase;
  guint      approved;
} ApproveData;

static void
approve_data_free (ApproveData *d)
{
  g_array_unref (d->ids);
  g_free (d->user);
  tsy_secret_free (d->passphrase);
  g_free (d);
}

static void
approve_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ApproveData *d = task_data;
  g_autoptr(TsyStore) store = NULL;
  GError *error = NULL;

  store = tsy_store_reopen (source, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* all of them or none, as on the command line */
  if (!tsy_store_begin (store, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (!tsy_payment_sign_approve (store, (const gint64 *) (gpointer) d->ids->data, d->ids->len, d->user,
                                 d->passphrase, &d->approved, &error))
    {
      tsy_store_rollback (store);
      g_task_return_error (task, error);
      return;
    }
  if (!tsy_store_commit (store, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
tsy_payment_sign_approve_async (TsyStore            *store,
                                const gint64        *ids,
                                guint                n_ids,
                                const char          *user,
                                const char          *passphrase,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ApproveData *d;

  g_return_if_fail (TSY_IS_STORE (store));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, tsy_payment_sign_approve_async);
  if (ids == NULL || n_ids == 0 || user == NULL || passphrase == NULL)
    {
      g_task_return_new_error (task, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID, "%s",
                               _("Nothing to approve"));
      return;
    }
  d = g_new0 (ApproveData, 1);
  d->ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_ids);
  g_array_append_vals (d->ids, ids, n_ids);
  d->user = g_strdup (user);
  d->passphrase = g_strdup (passphrase);
  g_task_set_task_data (task, d, (GDestroyNotify) approve_data_free);
  g_task_run_in_thread (task, approve_thread);
}

gboolean
tsy_payment_sign_approve_finish (TsyStore     *store,
                                 GAsyncResult *result,
                                 guint        *out_approved,
                                 GError      **error)
{
  GTask *task = G_TASK (result);

  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);

  if (!g_task_propagate_boolean (task, error))
    return FALSE;
  if (out_approved != NULL)
    *out_approved = ((ApproveData *) g_task_get_task_data (task))->approved;
  return TRUE;
}

gboolean
tsy_payment_verify_approvals (TsyStore             *store,
                              const TsyPaymentInfo *info,
                              GError              **error)
{
  g_autoptr(GPtrArray) approvals = NULL;
  g_autofree char *hex = NULL;
  guint8 digest[32];

  g_return_val_if_fail (TSY_IS_STORE (store), FALSE);
  g_return_val_if_fail (info != NULL, FALSE);

  approvals = tsy_payment_approvals (store, info->id, error);
  if (approvals == NULL)
    return FALSE;
  tsy_payment_digest (info, digest);
  hex = tsy_payment_digest_hex (info);

  if (g_strcmp0 (info->digest, hex) != 0)
    goto changed;
  for (guint i = 0; i < approvals->len; i++)
    {
      TsyApprovalInfo *a = g_ptr_array_index (approvals, i);
      g_autofree char *key_id = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, a->public_key);
      g_autoptr(GError) local_error = NULL;

      if (g_strcmp0 (a->user, info->maker) == 0)
        {
          g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_SIGNATURE,
                       _("Payment %lld carries an approval by its own maker"), (long long) info->id);
          return FALSE;
        }
      if (g_strcmp0 (a->digest, hex) != 0)
        goto changed;
      if (g_strcmp0 (a->key_id, key_id) != 0 ||
          !tsy_crypto_verify_digest (a->public_key, digest, a->signature, &local_error))
        {
          g_debug ("approval of payment %" G_GINT64_FORMAT " by %s: %s", info->id, a->user,
                   local_error ? local_error->message : "key changed");
          goto changed;
        }
    }
  if (info->required_approvals == 0 || approvals->len < info->required_approvals)
    {
      g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_SIGNATURE,
                   /* Translators: %1$lld a payment id, %2$u and %3$u counts */
                   _("Payment %1$lld has %2$u valid approvals of the %3$u it needs"),
                   (long long) info->id, approvals->len, info->required_approvals);
      return FALSE;
    }
  return TRUE;

changed:
  g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_SIGNATURE,
               _("Payment %lld is refused: its content changed after it was approved"),
               (long long) info->id);
  return FALSE;
}
