/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Payment instructions: the checks before saving, drafts and batches, reading them back. */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsy-account.h"
#include "tsy-audit.h"
#include "tsy-iban.h"
#include "tsy-ledger-error.h"
#include "tsy-money.h"
#include "tsy-payment-private.h"
#include "tsy-user.h"
#include "tsy-validate-private.h"

/* Two instructions are duplicates when they pay the same amount from the same account to the
 * same creditor account with execution dates at most this many days apart. */
#define DUPLICATE_WINDOW_DAYS 7
/* The furthest a requested execution date may lie ahead. */
#define MAX_DAYS_AHEAD 366

static const char *const status_names[] = {
  [TSY_PAYMENT_DRAFT] = "draft",
  [TSY_PAYMENT_SUBMITTED] = "submitted",
  [TSY_PAYMENT_APPROVED] = "approved",
  [TSY_PAYMENT_SENT] = "sent",
  [TSY_PAYMENT_ACCEPTED] = "accepted",
  [TSY_PAYMENT_REJECTED] = "rejected",
  [TSY_PAYMENT_EXECUTED] = "executed",
  [TSY_PAYMENT_FAILED] = "failed",
};

static const char *const urgency_names[] = {
  [TSY_URGENCY_NORMAL] = "normal",
  [TSY_URGENCY_URGENT] = "urgent",
};

static const char *const batch_kind_names[] = {
  [TSY_BATCH_SINGLE] = "single",
  [TSY_BATCH_PAYROLL] = "payroll",
  [TSY_BATCH_SUPPLIER] = "supplier",
  [TSY_BATCH_OTHER] = "other",
};

const char *
tsy_payment_status_to_string (TsyPaymentStatus status)
{
  g_return_val_if_fail ((guint) status < G_N_ELEMENTS (status_names), "draft");
  return status_names[status];
}

gboolean
tsy_payment_status_from_string (const char       *text,
                                TsyPaymentStatus *out)
{
  int v;

  if (!tsy_validate_enum_name (status_names, G_N_ELEMENTS (status_names), text, &v))
    return FALSE;
  *out = (TsyPaymentStatus) v;
  return TRUE;
}

gboolean
tsy_payment_status_is_final (TsyPaymentStatus status)
{
  return status == TSY_PAYMENT_REJECTED || status == TSY_PAYMENT_EXECUTED ||
         status == TSY_PAYMENT_FAILED;
}

const char *
tsy_urgency_to_string (TsyUrgency urgency)
{
  g_return_val_if_fail ((guint) urgency < G_N_ELEMENTS (urgency_names), "normal");
  return urgency_names[urgency];
}

gboolean
tsy_urgency_from_string (const char *text,
                         TsyUrgency *out)
{
  int v;

  if (!tsy_validate_enum_name (urgency_names, G_N_ELEMENTS (urgency_names), text, &v))
    return FALSE;
  *out = (TsyUrgency) v;
  return TRUE;
}

const char *
tsy_batch_kind_to_string (TsyBatchKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (batch_kind_names), "other");
  return batch_kind_names[kind];
}

gboolean
tsy_batch_kind_from_string (const char   *text,
                            TsyBatchKind *out)
{
  int v;

  if (!tsy_validate_enum_name (batch_kind_names, G_N_ELEMENTS (batch_kind_names), text, &v))
    return FALSE;
  *out = (TsyBatchKind) v;
  return TRUE;
}

void
tsy_payment_info_free (TsyPaymentInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->debtor_account);
  g_free (info->debtor_name);
  g_free (info->org_code);
  g_free (info->bank_code);
  g_free (info->bank_bic);
  g_free (info->bank_cnaps);
  g_free (info->creditor_name);
  g_free (info->creditor_account);
  g_free (info->creditor_bic);
  g_free (info->creditor_cnaps);
  g_free (info->creditor_bank);
  g_free (info->remittance);
  g_free (info->purpose);
  g_free (info->category);
  g_free (info->end_to_end_id);
  g_free (info->msg_id);
  g_free (info->pmt_inf_id);
  g_free (info->maker);
  g_free (info->digest);
  g_free (info->required_role);
  g_free (info->bank_status);
  g_free (info->status_reason);
  g_free (info->created_at);
  g_free (info->updated_at);
  g_free (info);
}

char *
tsy_payment_now_utc (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

gboolean
tsy_payment_audit (TsyStore   *store,
                   const char *actor,
                   const char *action,
                   const char *subject,
                   const char *detail,
                   GError    **error)
{
  g_assert (tsy_store_in_transaction (store));
  if (actor == NULL || *actor == '\0')
    actor = "?";
  return tsy_audit_append (store, actor, action, subject, detail, error) != 0;
}

/* ---- Reading --------------------------------------------------------------------------- */

#define PAYMENT_SELECT \
  "SELECT p.id, p.batch_id, p.status, p.account_id, a.number, o.name, o.code, o.id, b.id, b.code," \
  " b.bic, b.cnaps, p.creditor_name, p.creditor_account, p.creditor_bic, p.creditor_cnaps," \
  " p.creditor_bank, p.amount_minor, p.currency, p.execution_date, p.remittance, p.purpose," \
  " p.category, p.urgency, p.end_to_end_id, m.msg_id, p.pmt_inf_id, u.name, p.maker_id, p.digest," \
  " (SELECT count(*) FROM payment_approval pa WHERE pa.payment_id = p.id), p.required_approvals," \
  " p.required_role, p.bank_status, p.status_reason, p.created_at, p.updated_at " \
  "FROM payment p JOIN account a ON a.id = p.account_id JOIN org_unit o ON o.id = a.org_id " \
  "JOIN bank b ON b.id = a.bank_id JOIN app_user u ON u.id = p.maker_id " \
  "LEFT JOIN payment_message m ON m.id = p.message_id "

static TsyPaymentInfo *
info_from_row (sqlite3_stmt *stmt)
{
  TsyPaymentInfo *info = g_new0 (TsyPaymentInfo, 1);
  const char *ccy;

  info->id = sqlite3_column_int64 (stmt, 0);
  info->batch_id = sqlite3_column_int64 (stmt, 1);
  tsy_payment_status_from_string ((const char *) sqlite3_column_text (stmt, 2), &info->status);
  info->account_id = sqlite3_column_int64 (stmt, 3);
  info->debtor_account = tsy_store_column_dup (stmt, 4);
  info->debtor_name = tsy_store_column_dup (stmt, 5);
  info->org_code = tsy_store_column_dup (stmt, 6);
  info->org_id = sqlite3_column_int64 (stmt, 7);
  info->bank_id = sqlite3_column_int64 (stmt, 8);
  info->bank_code = tsy_store_column_dup (stmt, 9);
  info->bank_bic = tsy_store_column_dup (stmt, 10);
  info->bank_cnaps = tsy_store_column_dup (stmt, 11);
  info->creditor_name = tsy_store_column_dup (stmt, 12);
  info->creditor_account = tsy_store_column_dup (stmt, 13);
  info->creditor_bic = tsy_store_column_dup (stmt, 14);
  info->creditor_cnaps = tsy_store_column_dup (stmt, 15);
  info->creditor_bank = tsy_store_column_dup (stmt, 16);
  info->amount_minor = sqlite3_column_int64 (stmt, 17);
  ccy = (const char *) sqlite3_column_text (stmt, 18);
  g_strlcpy (info->currency, ccy ? ccy : "", sizeof info->currency);
  info->execution_date = tsy_store_column_date (stmt, 19);
  info->remittance = tsy_store_column_dup (stmt, 20);
  info->purpose = tsy_store_column_dup (stmt, 21);
  info->category = tsy_store_column_dup (stmt, 22);
  tsy_urgency_from_string ((const char *) sqlite3_column_text (stmt, 23), &info->urgency);
  info->end_to_end_id = tsy_store_column_dup (stmt, 24);
  info->msg_id = tsy_store_column_dup (stmt, 25);
  info->pmt_inf_id = tsy_store_column_dup (stmt, 26);
  info->maker = tsy_store_column_dup (stmt, 27);
  info->maker_id = sqlite3_column_int64 (stmt, 28);
  info->digest = tsy_store_column_dup (stmt, 29);
  info->approvals = (guint) sqlite3_column_int (stmt, 30);
  info->required_approvals = (guint) sqlite3_column_int (stmt, 31);
  info->required_role = tsy_store_column_dup (stmt, 32);
  info->bank_status = tsy_store_column_dup (stmt, 33);
  info->status_reason = tsy_store_column_dup (stmt, 34);
  info->created_at = tsy_store_column_dup (stmt, 35);
  info->updated_at = tsy_store_column_dup (stmt, 36);
  return info;
}

static TsyPaymentInfo *
load_one (TsyStore   *store,
          const char *sql,
          gint64      id,
          const char *text,
          GError    **error)
{
  sqlite3_stmt *stmt = tsy_store_prepare (store, sql, error);
  TsyPaymentInfo *info = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  if (text != NULL)
    tsy_store_bind_text (stmt, 1, text);
  else
    sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    info = info_from_row (stmt);
  else if (rc == SQLITE_DONE && text != NULL)
    g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_NOT_FOUND,
                 _("There is no payment with the end-to-end id “%s”"), text);
  else if (rc == SQLITE_DONE)
    g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_NOT_FOUND,
                 _("There is no payment %lld"), (long long) id);
  else
    tsy_store_set_error (store, error);
  sqlite3_reset (stmt);
  return info;
}

TsyPaymentInfo *
tsy_payment_load (TsyStore *store,
                  gint64    id,
                  GError  **error)
{
  return load_one (store, PAYMENT_SELECT "WHERE p.id = ?1", id, NULL, error);
}

TsyPaymentInfo *
tsy_payment_lookup (TsyStore *store,
                    gint64    id,
                    GError  **error)
{
  g_return_val_if_fail (TSY_IS_STORE (store), NULL);
  return tsy_payment_load (store, id, error);
}

TsyPaymentInfo *
tsy_payment_lookup_e2e (TsyStore   *store,
                        const char *end_to_end_id,
                        GError    **error)
{
  g_return_val_if_fail (TSY_IS_STORE (store), NULL);
  return load_one (store, PAYMENT_SELECT "WHERE p.end_to_end_id = ?1", 0,
                   end_to_end_id ? end_to_end_id : "", error);
}

GPtrArray *
tsy_payment_list (TsyStore               *store,
                  const TsyPaymentFilter *filter,
                  GError                **error)
{
  static const TsyPaymentFilter none = { 0 };
  sqlite3_stmt *stmt;
  g_autoptr(GPtrArray) list = NULL;
  int rc;

  g_return_val_if_fail (TSY_IS_STORE (store), NULL);
  if (filter == NULL)
    filter = &none;

  stmt = tsy_store_prepare (store,
      PAYMENT_SELECT "WHERE (?1 = 0 OR p.batch_id = ?1) AND (?2 = 0 OR b.id = ?2) "
      "AND (?3 = 0 OR p.message_id = ?3) ORDER BY p.id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, filter->batch_id);
  sqlite3_bind_int64 (stmt, 2, filter->bank_id);
  sqlite3_bind_int64 (stmt, 3, filter->message_id);
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) tsy_payment_info_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TsyPaymentInfo *info = info_from_row (stmt);
      if (filter->statuses != 0 && (filter->statuses & (1u << info->status)) == 0)
        tsy_payment_info_free (info);
      else
        g_ptr_array_add (list, info);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tsy_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

GArray *
tsy_payment_batch_ids (TsyStore *store,
                       gint64    batch_id,
                       GError  **error)
{
  sqlite3_stmt *stmt = tsy_store_prepare (store,
      "SELECT id FROM payment WHERE batch_id = ?1 ORDER BY id", error);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, batch_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tsy_store_set_error (store, error);
      return NULL;
    }
  if (ids->len == 0)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_NOT_FOUND,
                   _("There is no batch %lld"), (long long) batch_id);
      return NULL;
    }
  return g_steal_pointer (&ids);
}

/* ---- Checks ---------------------------------------------------------------------------- */

/* A row of the batch being checked, not yet in the database. */
typedef struct
{
  gint64  account_id;
  char   *creditor_account;
  gint64  amount_minor;
  TsyDate date;
} PendingRow;

static void
pending_row_clear (PendingRow *row)
{
  g_free (row->creditor_account);
}

static gboolean
check_text (const char *text,
            glong       max_chars,
            gboolean    required,
            const char *what,
            GError    **error)
{
  glong len;

  if (text == NULL || *text == '\0')
    {
      if (!required)
        return TRUE;
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   _("The %s is missing"), what);
      return FALSE;
    }
  len = g_utf8_validate (text, -1, NULL) ? g_utf8_strlen (text, -1) : -1;
  if (len < 0 || len > max_chars)
    goto bad;
  for (const char *p = text; *p; p++)
    if ((guchar) *p < 0x20)
      goto bad;
  return TRUE;

bad:
  g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
               /* Translators: %1$s e.g. "creditor name", %2$ld a number of characters */
               _("The %1$s must be at most %2$ld characters of text"), what, max_chars);
  return FALSE;
}

static gboolean
check_creditor_account (const char *normal,
                        GError    **error)
{
  gsize len = strlen (normal);

  if (len == 0 || len > 34)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   "%s", _("The creditor's account must be 1–34 characters"));
      return FALSE;
    }
  for (const char *p = normal; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '/')
      {
        g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                     "%s", _("The creditor's account may hold only letters, digits, “-” and “/”"));
        return FALSE;
      }
  if (tsy_iban_looks_like (normal) && !tsy_iban_validate (normal, error))
    {
      g_prefix_error (error, "%s", _("Creditor account: "));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_cnaps (const char *cnaps,
             GError    **error)
{
  if (cnaps == NULL || *cnaps == '\0')
    return TRUE;
  for (const char *p = cnaps; *p; p++)
    if (!g_ascii_isdigit (*p))
      goto bad;
  if (strlen (cnaps) == 12)
    return TRUE;
bad:
  g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
               _("“%s” is not a CNAPS bank code (12 digits)"), cnaps);
  return FALSE;
}

static gboolean
check_purpose (const char *purpose,
               GError    **error)
{
  gsize len = purpose ? strlen (purpose) : 0;

  if (len == 0)
    return TRUE;
  if (len == 4)
    {
      gboolean ok = TRUE;
      for (gsize i = 0; i < len; i++)
        ok = ok && g_ascii_isupper (purpose[i]);
      if (ok)
        return TRUE;
    }
  g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
               _("“%s” is not an ISO 20022 purpose code (four capital letters, e.g. SUPP or SALA)"),
               purpose);
  return FALSE;
}

static gboolean
account_has_whitelist (TsyStore *store,
                       gint64    account_id,
                       gboolean *out_has,
                       GError  **error)
{
  sqlite3_stmt *stmt = tsy_store_prepare (store,
      "SELECT 1 FROM payee_whitelist WHERE account_id = ?1 LIMIT 1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return tsy_store_set_error (store, error);
  *out_has = rc == SQLITE_ROW;
  return TRUE;
}

static gboolean
whitelisted (TsyStore   *store,
             gint64      account_id,
             const char *creditor,
             gboolean   *out_ok,
             GError    **error)
{
  sqlite3_stmt *stmt = tsy_store_prepare (store,
      "SELECT 1 FROM payee_whitelist WHERE account_id = ?1 AND creditor_account = ?2", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  tsy_store_bind_text (stmt, 2, creditor);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return tsy_store_set_error (store, error);
  *out_ok = rc == SQLITE_ROW;
  return TRUE;
}

/* Sum of the live instructions of an account on a day (drafts included: they are on their
 * way), excluding @exclude_id. */
static gboolean
day_total (TsyStore *store,
           gint64    account_id,
           TsyDate   date,
           gint64    exclude_id,
           gboolean  include_drafts,
           gint64   *out,
           GError  **error)
{
  sqlite3_stmt *stmt = tsy_store_prepare (store,
      "SELECT amount_minor FROM payment WHERE account_id = ?1 AND execution_date = ?2 AND id <> ?3 "
      "AND status NOT IN ('rejected','failed') AND (?4 OR status <> 'draft')", error);
  gint64 total = 0;
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  tsy_store_bind_date (stmt, 2, date);
  sqlite3_bind_int64 (stmt, 3, exclude_id);
  sqlite3_bind_int (stmt, 4, include_drafts);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (!tsy_money_add (total, sqlite3_column_int64 (stmt, 0), &total, error))
      {
        sqlite3_reset (stmt);
        return FALSE;
      }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return tsy_store_set_error (store, error);
  *out = total;
  return TRUE;
}

static gboolean
check_daily_limit (TsyStore             *store,
                   const TsyAccountInfo *account,
                   TsyDate               date,
                   gint64                amount_minor,
                   gint64                exclude_id,
                   gboolean              include_drafts,
                   GArray               *pending,
                   GError              **error)
{
  gint64 total;

  if (!account->has_daily_limit)
    return TRUE;
  if (!day_total (store, account->id, date, exclude_id, include_drafts, &total, error))
    return FALSE;
  for (guint i = 0; pending != NULL && i < pending->len; i++)
    {
      PendingRow *row = &g_array_index (pending, PendingRow, i);
      if (row->account_id == account->id && row->date == date &&
          !tsy_money_add (total, row->amount_minor, &total, error))
        return FALSE;
    }
  if (!tsy_money_add (total, amount_minor, &total, error))
    return FALSE;
  if (total > account->daily_limit_minor)
    {
      g_autofree char *masked = tsy_account_mask (account->number);
      g_autofree char *limit = tsy_money_to_decimal (account->daily_limit_minor, account->currency);
      g_autofree char *sum = tsy_money_to_decimal (total, account->currency);
      char day[11];

      tsy_date_format_iso (date, day);
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DENIED,
                   /* Translators: %1$s masked account, %2$s amount, %3$s currency, %4$s date, %5$s amount */
                   _("The daily limit of account %1$s is %2$s %3$s; payments on %4$s would come to %5$s"),
                   masked, limit, account->currency, day, sum);
      return FALSE;
    }
  return TRUE;
}

static gboolean
find_duplicate (TsyStore   *store,
                gint64      account_id,
                const char *creditor,
                gint64      amount_minor,
                const char *currency,
                TsyDate     date,
                gint64      exclude_id,
                gint64     *out_id,
                GError    **error)
{
  sqlite3_stmt *stmt = tsy_store_prepare (store,
      "SELECT id FROM payment WHERE account_id = ?1 AND creditor_account = ?2 AND amount_minor = ?3 "
      "AND currency = ?4 AND execution_date BETWEEN ?5 AND ?6 AND id <> ?7 "
      "AND status NOT IN ('rejected','failed') ORDER BY id LIMIT 1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  tsy_store_bind_text (stmt, 2, creditor);
  sqlite3_bind_int64 (stmt, 3, amount_minor);
  tsy_store_bind_text (stmt, 4, currency);
  tsy_store_bind_date (stmt, 5, tsy_date_add_days (date, -DUPLICATE_WINDOW_DAYS));
  tsy_store_bind_date (stmt, 6, tsy_date_add_days (date, DUPLICATE_WINDOW_DAYS));
  sqlite3_bind_int64 (stmt, 7, exclude_id);
  rc = sqlite3_step (stmt);
  *out_id = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return tsy_store_set_error (store, error);
  return TRUE;
}

static gboolean
set_duplicate_error (const char *creditor,
                     gint64      amount_minor,
                     const char *currency,
                     gint64      other_id,
                     guint       other_row,
                     GError    **error)
{
  g_autofree char *masked = tsy_account_mask (creditor);
  g_autofree char *amount = tsy_money_to_decimal (amount_minor, currency);

  if (other_id != 0)
    g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DUPLICATE,
                 /* Translators: %1$lld a payment id, %2$s amount, %3$s currency, %4$s masked account */
                 _("Payment %1$lld already pays %2$s %3$s to %4$s within a week; "
                   "confirm the duplicate to make another"),
                 (long long) other_id, amount, currency, masked);
  else
    g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DUPLICATE,
                 /* Translators: %1$u a row number, %2$s amount, %3$s currency, %4$s masked account */
                 _("Row %1$u already pays %2$s %3$s to %4$s within a week; "
                   "confirm the duplicate to make another"),
                 other_row, amount, currency, masked);
  return FALSE;
}

/*
 * Every check of an instruction. @exclude_id: the payment itself when re-checking one that is
 * saved; @pending: rows of a batch checked before this one. On success *@out_account holds the
 * debtor account and *@out_creditor the normalised creditor account.
 */
static gboolean
check_spec (TsyStore             *store,
            const TsyPaymentSpec *spec,
            gint64                exclude_id,
            gboolean              include_drafts,
            GArray               *pending,
            TsyAccountInfo      **out_account,
            char                **out_creditor,
            GError              **error)
{
  g_autoptr(TsyAccountInfo) account = NULL;
  g_autofree char *creditor = NULL;
  gboolean has_list = FALSE, listed = FALSE;
  gint64 dup_id;
  TsyDate today = tsy_date_today ();

  if (spec->debtor_account == NULL || *spec->debtor_account == '\0')
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   "%s", _("The paying account is missing"));
      return FALSE;
    }
  account = tsy_account_lookup (store, spec->debtor_account, error);
  if (account == NULL)
    return FALSE;
  if (account->status != TSY_ACCOUNT_STATUS_OPEN)
    {
      g_autofree char *masked = tsy_account_mask (account->number);
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DENIED,
                   /* Translators: %1$s masked account, %2$s "frozen" or "closed" */
                   _("The account %1$s is %2$s; it cannot pay"), masked,
                   account->status == TSY_ACCOUNT_STATUS_FROZEN ? _("frozen") : _("closed"));
      return FALSE;
    }
  if (!tsy_currency_check (spec->currency, error))
    return FALSE;
  if (strcmp (spec->currency, account->currency) != 0)
    {
      g_autofree char *masked = tsy_account_mask (account->number);
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_CURRENCY_MISMATCH,
                   /* Translators: %1$s masked account, %2$s and %3$s currency codes */
                   _("The account %1$s holds %2$s; it cannot pay in %3$s"),
                   masked, account->currency, spec->currency);
      return FALSE;
    }
  if (spec->amount_minor <= 0)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   "%s", _("The amount of a payment must be more than zero"));
      return FALSE;
    }
  if (!check_text (spec->creditor_name, 140, TRUE, _("creditor name"), error))
    return FALSE;
  creditor = tsy_account_normalize_number (spec->creditor_account);
  if (!check_creditor_account (creditor, error))
    return FALSE;
  if (strcmp (creditor, account->number) == 0)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   "%s", _("An account cannot pay itself"));
      return FALSE;
    }
  if (spec->creditor_bic != NULL && *spec->creditor_bic != '\0' &&
      !tsy_bic_validate (spec->creditor_bic, error))
    return FALSE;
  if (!check_cnaps (spec->creditor_cnaps, error) ||
      !check_text (spec->creditor_bank, 140, FALSE, _("creditor's bank"), error) ||
      !check_text (spec->remittance, 140, FALSE, _("remittance text"), error) ||
      !check_purpose (spec->purpose, error))
    return FALSE;
  if (spec->category != NULL && *spec->category != '\0' &&
      !tsy_validate_code (spec->category, _("cash-flow category"), error))
    return FALSE;
  if ((guint) spec->urgency >= G_N_ELEMENTS (urgency_names))
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID, "%s", _("Unknown urgency"));
      return FALSE;
    }
  if (spec->execution_date == TSY_DATE_NONE)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   "%s", _("The requested execution date is missing"));
      return FALSE;
    }
  if (spec->execution_date < today && exclude_id == 0)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   "%s", _("The requested execution date is in the past"));
      return FALSE;
    }
  if (spec->execution_date > tsy_date_add_days (today, MAX_DAYS_AHEAD))
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   "%s", _("The requested execution date is more than a year ahead"));
      return FALSE;
    }

  if (!account_has_whitelist (store, account->id, &has_list, error))
    return FALSE;
  if (has_list)
    {
      if (!whitelisted (store, account->id, creditor, &listed, error))
        return FALSE;
      if (!listed)
        {
          g_autofree char *masked = tsy_account_mask (creditor);
          g_autofree char *own = tsy_account_mask (account->number);
          g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DENIED,
                       /* Translators: %1$s and %2$s masked account numbers */
                       _("%1$s is not on the whitelist of account %2$s (约定转账账户)"), masked, own);
          return FALSE;
        }
    }

  if (!check_daily_limit (store, account, spec->execution_date, spec->amount_minor, exclude_id,
                          include_drafts, pending, error))
    return FALSE;

  if (!spec->confirm_duplicate)
    {
      if (!find_duplicate (store, account->id, creditor, spec->amount_minor, spec->currency,
                           spec->execution_date, exclude_id, &dup_id, error))
        return FALSE;
      if (dup_id != 0)
        return set_duplicate_error (creditor, spec->amount_minor, spec->currency, dup_id, 0, error);
      for (guint i = 0; pending != NULL && i < pending->len; i++)
        {
          PendingRow *row = &g_array_index (pending, PendingRow, i);
          int days = (int) row->date - (int) spec->execution_date;
          if (row->account_id == account->id && row->amount_minor == spec->amount_minor &&
              strcmp (row->creditor_account, creditor) == 0 && ABS (days) <= DUPLICATE_WINDOW_DAYS)
            return set_duplicate_error (creditor, spec->amount_minor, spec->currency, 0, i + 1, error);
        }
    }

  if (out_account != NULL)
    *out_account = g_steal_pointer (&account);
  if (out_creditor != NULL)
    *out_creditor = g_steal_pointer (&creditor);
  return TRUE;
}

gboolean
tsy_payment_check (TsyStore             *store,
                   const TsyPaymentSpec *spec,
                   GError              **error)
{
  g_return_val_if_fail (TSY_IS_STORE (store), FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);
  return check_spec (store, spec, 0, TRUE, NULL, NULL, NULL, error);
}

/* The rows of a batch checked so far: each row is checked against the database and the rows
 * before it, so that the daily limit and the duplicate check count the batch itself. The batch
 * import, its preview (tsy-payment-csv.c) and tsy_payment_create_batch() all check this way. */
struct _TsyPaymentRowCheck
{
  GArray    *pending;    /* PendingRow */
  GPtrArray *accounts;   /* TsyAccountInfo, the debtor account of each row */
};

TsyPaymentRowCheck *
tsy_payment_row_check_new (void)
{
  TsyPaymentRowCheck *check = g_new0 (TsyPaymentRowCheck, 1);

  check->pending = g_array_new (FALSE, TRUE, sizeof (PendingRow));
  g_array_set_clear_func (check->pending, (GDestroyNotify) pending_row_clear);
  check->accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) tsy_account_info_free);
  return check;
}

void
tsy_payment_row_check_free (TsyPaymentRowCheck *check)
{
  if (check == NULL)
    return;
  g_array_unref (check->pending);
  g_ptr_array_unref (check->accounts);
  g_free (check);
}

gboolean
tsy_payment_row_check_add (TsyPaymentRowCheck   *check,
                           TsyStore             *store,
                           const TsyPaymentSpec *spec,
                           GError              **error)
{
  TsyAccountInfo *account = NULL;
  char *creditor = NULL;
  PendingRow row = { 0 };

  g_assert (check != NULL && spec != NULL);

  if (!check_spec (store, spec, 0, TRUE, check->pending, &account, &creditor, error))
    return FALSE;
  row.account_id = account->id;
  row.creditor_account = creditor;
  row.amount_minor = spec->amount_minor;
  row.date = spec->execution_date;
  g_array_append_val (check->pending, row);
  g_ptr_array_add (check->accounts, account);
  return TRUE;
}

const TsyAccountInfo *
tsy_payment_row_check_account (TsyPaymentRowCheck *check,
                               guint               index)
{
  g_assert (index < check->accounts->len);
  return g_ptr_array_index (check->accounts, index);
}

const char *
tsy_payment_row_check_creditor (TsyPaymentRowCheck *check,
                                guint               index)
{
  g_assert (index < check->pending->len);
  return g_array_index (check->pending, PendingRow, index).creditor_account;
}

/* ---- Saving ---------------------------------------------------------------------------- */

static char *
new_end_to_end_id (TsyDate date)
{
  int y, m, d;

  tsy_date_to_ymd (date, &y, &m, &d);
  /* 25 characters, within Max35Text; 64 random bits make a clash across databases unlikely
   * and the UNIQUE column refuses one within a database. */
  return g_strdup_printf ("E%04d%02d%02d%08X%08X", y, m, d, g_random_int (), g_random_int ());
}

static gint64
insert_payment (TsyStore             *store,
                const TsyPaymentSpec *spec,
                const TsyAccountInfo *account,
                const char           *creditor,
                gint64                maker_id,
                gint64                batch_id,
                const char           *maker,
                GError              **error)
{
  g_autofree char *e2e = new_end_to_end_id (tsy_date_today ());
  g_autofree char *now = tsy_payment_now_utc ();
  g_autofree char *subject = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *amount = NULL;
  g_autofree char *masked = NULL;
  char day[11];
  sqlite3_stmt *stmt;
  gint64 id;

  stmt = tsy_store_prepare (store,
      "INSERT INTO payment (batch_id, account_id, creditor_name, creditor_account, creditor_bic,"
      " creditor_cnaps, creditor_bank, amount_minor, currency, execution_date, remittance, purpose,"
      " category, urgency, end_to_end_id, status, maker_id, created_at, updated_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, 'draft', ?16, ?17, ?17)",
      error);
  if (stmt == NULL)
    return 0;
  if (batch_id != 0)
    sqlite3_bind_int64 (stmt, 1, batch_id);
  sqlite3_bind_int64 (stmt, 2, account->id);
  tsy_store_bind_text (stmt, 3, spec->creditor_name);
#define OPT(s) ((s) != NULL && *(s) != '\0' ? (s) : NULL)
  tsy_store_bind_text (stmt, 4, creditor);
  if (OPT (spec->creditor_bic))
    {
      g_autofree char *bic = g_ascii_strup (spec->creditor_bic, -1);
      tsy_store_bind_text (stmt, 5, bic);
    }
  tsy_store_bind_text (stmt, 6, OPT (spec->creditor_cnaps));
  tsy_store_bind_text (stmt, 7, OPT (spec->creditor_bank));
  sqlite3_bind_int64 (stmt, 8, spec->amount_minor);
  tsy_store_bind_text (stmt, 9, spec->currency);
  tsy_store_bind_date (stmt, 10, spec->execution_date);
  tsy_store_bind_text (stmt, 11, OPT (spec->remittance));
  tsy_store_bind_text (stmt, 12, OPT (spec->purpose));
  tsy_store_bind_text (stmt, 13, OPT (spec->category));
#undef OPT
  tsy_store_bind_text (stmt, 14, tsy_urgency_to_string (spec->urgency));
  tsy_store_bind_text (stmt, 15, e2e);
  sqlite3_bind_int64 (stmt, 16, maker_id);
  tsy_store_bind_text (stmt, 17, now);
  if (!tsy_store_step_done (store, stmt, error))
    return 0;
  id = sqlite3_last_insert_rowid (tsy_store_get_db (store));

  subject = g_strdup_printf ("payment:%" G_GINT64_FORMAT, id);
  amount = tsy_money_to_decimal (spec->amount_minor, spec->currency);
  masked = tsy_account_mask (creditor);
  tsy_date_format_iso (spec->execution_date, day);
  detail = g_strdup_printf ("draft e2e=%s amount=%s %s to=%s date=%s batch=%" G_GINT64_FORMAT "%s",
                            e2e, amount, spec->currency, masked, day, batch_id,
                            spec->confirm_duplicate ? " duplicate-confirmed" : "");
  if (!tsy_payment_audit (store, maker, "payment.create", subject, detail, error))
    return 0;
  return id;
}

gint64
tsy_payment_create (TsyStore             *store,
                    const TsyPaymentSpec *spec,
                    const char           *maker,
                    GError              **error)
{
  g_autoptr(TsyUserInfo) user = NULL;
  g_autoptr(TsyAccountInfo) account = NULL;
  g_autofree char *creditor = NULL;
  gint64 id;

  g_return_val_if_fail (TSY_IS_STORE (store), 0);
  g_return_val_if_fail (spec != NULL, 0);

  if (!tsy_store_begin (store, error))
    return 0;
  user = tsy_user_require (store, maker, TSY_ROLE_MAKER | TSY_ROLE_ADMIN, error);
  if (user == NULL ||
      !check_spec (store, spec, 0, TRUE, NULL, &account, &creditor, error))
    goto fail;
  id = insert_payment (store, spec, account, creditor, user->id, 0, user->name, error);
  if (id == 0)
    goto fail;
  if (!tsy_store_commit (store, error))
    return 0;
  return id;

fail:
  tsy_store_rollback (store);
  return 0;
}

gint64
tsy_payment_create_batch (TsyStore             *store,
                          TsyBatchKind          kind,
                          const char           *name,
                          const TsyPaymentSpec *specs,
                          guint                 n_specs,
                          const char           *maker,
                          GError              **error)
{
  g_autoptr(TsyUserInfo) user = NULL;
  g_autoptr(TsyPaymentRowCheck) rows = NULL;
  g_autofree char *now = tsy_payment_now_utc ();
  g_autofree char *subject = NULL;
  g_autofree char *detail = NULL;
  sqlite3_stmt *stmt;
  gint64 batch_id;

  g_return_val_if_fail (TSY_IS_STORE (store), 0);
  g_return_val_if_fail (specs != NULL || n_specs == 0, 0);

  if (n_specs == 0)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   "%s", _("A batch needs at least one payment"));
      return 0;
    }
  if (name != NULL && *name != '\0' && !tsy_validate_name (name, error))
    return 0;

  if (!tsy_store_begin (store, error))
    return 0;
  user = tsy_user_require (store, maker, TSY_ROLE_MAKER | TSY_ROLE_ADMIN, error);
  if (user == NULL)
    goto fail;

  stmt = tsy_store_prepare (store,
      "INSERT INTO payment_batch (kind, name, maker_id, created_at) VALUES (?1, ?2, ?3, ?4)", error);
  if (stmt == NULL)
    goto fail;
  tsy_store_bind_text (stmt, 1, tsy_batch_kind_to_string (kind));
  tsy_store_bind_text (stmt, 2, name && *name ? name : NULL);
  sqlite3_bind_int64 (stmt, 3, user->id);
  tsy_store_bind_text (stmt, 4, now);
  if (!tsy_store_step_done (store, stmt, error))
    goto fail;
  batch_id = sqlite3_last_insert_rowid (tsy_store_get_db (store));

  /* Check every row against the database and the rows before it, then insert them all. */
  rows = tsy_payment_row_check_new ();
  for (guint i = 0; i < n_specs; i++)
    if (!tsy_payment_row_check_add (rows, store, &specs[i], error))
      {
        g_prefix_error (error, _("Payment %u of the batch: "), i + 1);
        goto fail;
      }
  for (guint i = 0; i < n_specs; i++)
    if (insert_payment (store, &specs[i], tsy_payment_row_check_account (rows, i),
                        tsy_payment_row_check_creditor (rows, i),
                        user->id, batch_id, user->name, error) == 0)
      goto fail;

  subject = g_strdup_printf ("batch:%" G_GINT64_FORMAT, batch_id);
  detail = g_strdup_printf ("kind=%s payments=%u", tsy_batch_kind_to_string (kind), n_specs);
  if (!tsy_payment_audit (store, user->name, "batch.create", subject, detail, error))
    goto fail;
  if (!tsy_store_commit (store, error))
    return 0;
  return batch_id;

fail:
  tsy_store_rollback (store);
  return 0;
}

/* ---- Whitelist ------------------------------------------------------------------------- */

gboolean
tsy_whitelist_add (TsyStore   *store,
                   const char *account,
                   const char *creditor_account,
                   const char *creditor_name,
                   const char *actor,
                   GError    **error)
{
  g_autoptr(TsyAccountInfo) info = NULL;
  g_autofree char *creditor = tsy_account_normalize_number (creditor_account);
  g_autofree char *subject = NULL;
  g_autofree char *masked = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TSY_IS_STORE (store), FALSE);

  if (!check_creditor_account (creditor, error) ||
      !check_text (creditor_name, 140, FALSE, _("creditor name"), error))
    return FALSE;
  if (!tsy_store_begin (store, error))
    return FALSE;
  info = tsy_account_lookup (store, account, error);
  if (info == NULL)
    goto fail;
  stmt = tsy_store_prepare (store,
      "INSERT INTO payee_whitelist (account_id, creditor_account, creditor_name) VALUES (?1, ?2, ?3) "
      "ON CONFLICT (account_id, creditor_account) DO UPDATE SET creditor_name = excluded.creditor_name",
      error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, info->id);
  tsy_store_bind_text (stmt, 2, creditor);
  tsy_store_bind_text (stmt, 3, creditor_name && *creditor_name ? creditor_name : NULL);
  if (!tsy_store_step_done (store, stmt, error))
    goto fail;
  subject = g_strdup_printf ("account:%s", info->number);
  masked = tsy_account_mask (creditor);
  if (!tsy_payment_audit (store, actor, "whitelist.add", subject, masked, error))
    goto fail;
  return tsy_store_commit (store, error);

fail:
  tsy_store_rollback (store);
  return FALSE;
}

GPtrArray *
tsy_whitelist_list (TsyStore   *store,
                    const char *account,
                    GError    **error)
{
  g_autoptr(TsyAccountInfo) info = tsy_account_lookup (store, account, error);
  g_autoptr(GPtrArray) list = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (info == NULL)
    return NULL;
  stmt = tsy_store_prepare (store,
      "SELECT creditor_account FROM payee_whitelist WHERE account_id = ?1 ORDER BY creditor_account",
      error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, info->id);
  list = g_ptr_array_new_with_free_func (g_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, tsy_store_column_dup (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tsy_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

/* ---- Re-checks used by the lifecycle ----------------------------------------------------- */

gboolean
tsy_payment_band_amount (TsyStore             *store,
                         const TsyPaymentInfo *info,
                         gint64               *out_minor,
                         GError              **error)
{
  sqlite3_stmt *stmt;
  gint64 total = 0;
  int rc;

  if (info->batch_id == 0)
    {
      *out_minor = info->amount_minor;
      return TRUE;
    }
  stmt = tsy_store_prepare (store,
      "SELECT amount_minor FROM payment WHERE batch_id = ?1 AND account_id = ?2 "
      "AND status NOT IN ('rejected','failed')", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, info->batch_id);
  sqlite3_bind_int64 (stmt, 2, info->account_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (!tsy_money_add (total, sqlite3_column_int64 (stmt, 0), &total, error))
      {
        sqlite3_reset (stmt);
        return FALSE;
      }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return tsy_store_set_error (store, error);
  *out_minor = MAX (total, info->amount_minor);
  return TRUE;
}

gboolean
tsy_payment_recheck (TsyStore             *store,
                     const TsyPaymentInfo *info,
                     GError              **error)
{
  TsyPaymentSpec spec = {
    .debtor_account = info->debtor_account,
    .creditor_name = info->creditor_name,
    .creditor_account = info->creditor_account,
    .creditor_bic = info->creditor_bic,
    .creditor_cnaps = info->creditor_cnaps,
    .creditor_bank = info->creditor_bank,
    .amount_minor = info->amount_minor,
    .currency = info->currency,
    .execution_date = info->execution_date,
    .remittance = info->remittance,
    .purpose = info->purpose,
    .category = info->category,
    .urgency = info->urgency,
    /* the maker confirmed (or there was none) when saving; submitting does not ask again */
    .confirm_duplicate = TRUE,
  };

  if (info->execution_date < tsy_date_today ())
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   "%s", _("The requested execution date has passed; make a new payment"));
      return FALSE;
    }
  return check_spec (store, &spec, info->id, FALSE, NULL, NULL, NULL, error);
}
