/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The outbox of pain.001 messages and the bank's answers (pain.002, statement lines). */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsy-book.h"
#include "tsy-ledger-error.h"
#include "tsy-outbox.h"
#include "tsy-payment-private.h"
#include "tsy-validate-private.h"

static const char *const state_names[] = {
  [TSY_OUTBOX_PENDING] = "pending",
  [TSY_OUTBOX_SENDING] = "sending",
  [TSY_OUTBOX_UNKNOWN] = "unknown",
  [TSY_OUTBOX_DELIVERED] = "delivered",
  [TSY_OUTBOX_CLOSED] = "closed",
  [TSY_OUTBOX_FAILED] = "failed",
};

const char *
tsy_outbox_state_to_string (TsyOutboxState state)
{
  g_return_val_if_fail ((guint) state < G_N_ELEMENTS (state_names), "pending");
  return state_names[state];
}

gboolean
tsy_outbox_state_from_string (const char     *text,
                              TsyOutboxState *out)
{
  int v;

  if (!tsy_validate_enum_name (state_names, G_N_ELEMENTS (state_names), text, &v))
    return FALSE;
  *out = (TsyOutboxState) v;
  return TRUE;
}

void
tsy_outbox_message_free (TsyOutboxMessage *msg)
{
  if (msg == NULL)
    return;
  g_free (msg->msg_id);
  g_free (msg->bank_code);
  g_free (msg->format);
  g_clear_pointer (&msg->document, g_bytes_unref);
  g_free (msg->created_at);
  g_free (msg->updated_at);
  g_free (msg->last_error);
  g_free (msg);
}

char *
tsy_outbox_new_msg_id (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d%H%M%S");

  /* "M" + 14 digits + 16 hex = 31 characters (Max35Text) */
  return g_strdup_printf ("M%s%08X%08X", stamp, g_random_int (), g_random_int ());
}

#define MESSAGE_SELECT \
  "SELECT m.id, m.msg_id, m.bank_id, b.code, m.format, m.state, m.document, m.n_payments," \
  " m.attempts, m.created_at, m.updated_at, m.last_error FROM payment_message m " \
  "JOIN bank b ON b.id = m.bank_id "

static TsyOutboxMessage *
message_from_row (sqlite3_stmt *stmt)
{
  TsyOutboxMessage *msg = g_new0 (TsyOutboxMessage, 1);

  msg->id = sqlite3_column_int64 (stmt, 0);
  msg->msg_id = tsy_store_column_dup (stmt, 1);
  msg->bank_id = sqlite3_column_int64 (stmt, 2);
  msg->bank_code = tsy_store_column_dup (stmt, 3);
  msg->format = tsy_store_column_dup (stmt, 4);
  tsy_outbox_state_from_string ((const char *) sqlite3_column_text (stmt, 5), &msg->state);
  msg->document = g_bytes_new (sqlite3_column_blob (stmt, 6), sqlite3_column_bytes (stmt, 6));
  msg->n_payments = (guint) sqlite3_column_int (stmt, 7);
  msg->attempts = (guint) sqlite3_column_int (stmt, 8);
  msg->created_at = tsy_store_column_dup (stmt, 9);
  msg->updated_at = tsy_store_column_dup (stmt, 10);
  msg->last_error = tsy_store_column_dup (stmt, 11);
  return msg;
}

TsyOutboxMessage *
tsy_outbox_lookup (TsyStore   *store,
                   const char *msg_id,
                   GError    **error)
{
  sqlite3_stmt *stmt = tsy_store_prepare (store, MESSAGE_SELECT "WHERE m.msg_id = ?1", error);
  TsyOutboxMessage *msg = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  tsy_store_bind_text (stmt, 1, msg_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    msg = message_from_row (stmt);
  else if (rc == SQLITE_DONE)
    g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_NOT_FOUND,
                 _("There is no message “%s” in the outbox"), msg_id ? msg_id : "");
  else
    tsy_store_set_error (store, error);
  sqlite3_reset (stmt);
  return msg;
}

GPtrArray *
tsy_outbox_list (TsyStore *store,
                 gint64    bank_id,
                 guint32   states,
                 GError  **error)
{
  sqlite3_stmt *stmt = tsy_store_prepare (store,
      MESSAGE_SELECT "WHERE ?1 = 0 OR m.bank_id = ?1 ORDER BY m.id", error);
  g_autoptr(GPtrArray) list = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, bank_id);
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) tsy_outbox_message_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TsyOutboxState state;
      if (!tsy_outbox_state_from_string ((const char *) sqlite3_column_text (stmt, 5), &state) ||
          (states != 0 && (states & (1u << state)) == 0))
        continue;
      g_ptr_array_add (list, message_from_row (stmt));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tsy_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

/* A sent payment becomes an entry of its account's book (issue 5): money out on the requested
 * execution date, with the end-to-end id as id and reference, so reconciliation pairs it with
 * the bank's line. */
static gboolean
book_entry_for_sent (TsyStore             *store,
                     const TsyPaymentInfo *info,
                     GError              **error)
{
  TsyBookEntrySpec spec = {
    .ext_id = info->end_to_end_id,
    .account = info->debtor_account,
    .date = info->execution_date,
    .amount_minor = -info->amount_minor,
    .currency = info->currency,
    .counterparty = info->creditor_name,
    .counterparty_account = info->creditor_account,
    .reference = info->end_to_end_id,
    .memo = info->remittance,
    .source = "payment",
  };

  if (tsy_book_add_entry (store, &spec, NULL, error) == 0)
    {
      g_prefix_error (error, _("Payment %lld: "), (long long) info->id);
      return FALSE;
    }
  return TRUE;
}

gint64
tsy_outbox_enqueue (TsyStore             *store,
                    gint64                bank_id,
                    const char           *msg_id,
                    const char           *format,
                    GBytes               *document,
                    const TsyOutboxEntry *entries,
                    guint                 n_entries,
                    const char           *actor,
                    GError              **error)
{
  g_autofree char *now = tsy_payment_now_utc ();
  g_autofree char *subject = NULL;
  g_autofree char *detail = NULL;
  sqlite3_stmt *stmt;
  gconstpointer data;
  gsize len;
  gint64 row_id;

  g_return_val_if_fail (TSY_IS_STORE (store), 0);
  g_return_val_if_fail (msg_id != NULL && document != NULL, 0);

  if (n_entries == 0)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   "%s", _("A message needs at least one payment"));
      return 0;
    }
  if (!tsy_store_begin (store, error))
    return 0;

  stmt = tsy_store_prepare (store,
      "INSERT INTO payment_message (msg_id, bank_id, format, state, document, n_payments,"
      " created_at, updated_at) VALUES (?1, ?2, ?3, 'pending', ?4, ?5, ?6, ?6)", error);
  if (stmt == NULL)
    goto fail;
  tsy_store_bind_text (stmt, 1, msg_id);
  sqlite3_bind_int64 (stmt, 2, bank_id);
  tsy_store_bind_text (stmt, 3, format);
  data = g_bytes_get_data (document, &len);
  sqlite3_bind_blob (stmt, 4, data, (int) len, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 5, (int) n_entries);
  tsy_store_bind_text (stmt, 6, now);
  if (!tsy_store_step_done (store, stmt, error))
    goto fail;
  row_id = sqlite3_last_insert_rowid (tsy_store_get_db (store));

  for (guint i = 0; i < n_entries; i++)
    {
      g_autoptr(TsyPaymentInfo) info = tsy_payment_load (store, entries[i].payment_id, error);
      g_autofree char *digest = NULL;

      if (info == NULL)
        goto fail;
      if (info->status != TSY_PAYMENT_APPROVED || info->bank_id != bank_id)
        {
          g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DENIED,
                       _("Payment %lld is not an approved payment of this bank"),
                       (long long) info->id);
          goto fail;
        }
      digest = tsy_payment_digest_hex (info);
      if (g_strcmp0 (digest, entries[i].digest_hex) != 0 || g_strcmp0 (digest, info->digest) != 0)
        {
          g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                       _("Payment %lld changed after its approval"), (long long) info->id);
          goto fail;
        }
      stmt = tsy_store_prepare (store,
          "UPDATE payment SET message_id = ?2, pmt_inf_id = ?3 WHERE id = ?1", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, info->id);
      sqlite3_bind_int64 (stmt, 2, row_id);
      tsy_store_bind_text (stmt, 3, entries[i].pmt_inf_id);
      if (!tsy_store_step_done (store, stmt, error) ||
          !tsy_payment_set_status (store, info->id, TSY_PAYMENT_APPROVED, TSY_PAYMENT_SENT, actor,
                                   NULL, NULL, error) ||
          !book_entry_for_sent (store, info, error))
        goto fail;
    }

  subject = g_strdup_printf ("message:%s", msg_id);
  detail = g_strdup_printf ("bank=%" G_GINT64_FORMAT " format=%s payments=%u bytes=%" G_GSIZE_FORMAT,
                            bank_id, format, n_entries, len);
  if (!tsy_payment_audit (store, actor, "message.enqueue", subject, detail, error))
    goto fail;
  if (!tsy_store_commit (store, error))
    return 0;
  return row_id;

fail:
  tsy_store_rollback (store);
  return 0;
}

gboolean
tsy_outbox_transition (TsyStore       *store,
                       const char     *msg_id,
                       TsyOutboxState  from,
                       TsyOutboxState  to,
                       const char     *last_error,
                       GError        **error)
{
  g_autofree char *now = tsy_payment_now_utc ();
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TSY_IS_STORE (store), FALSE);

  if (!tsy_store_begin (store, error))
    return FALSE;
  stmt = tsy_store_prepare (store,
      "UPDATE payment_message SET state = ?3, updated_at = ?4, last_error = ?5,"
      " attempts = attempts + ?6 WHERE msg_id = ?1 AND state = ?2", error);
  if (stmt == NULL)
    goto fail;
  tsy_store_bind_text (stmt, 1, msg_id);
  tsy_store_bind_text (stmt, 2, tsy_outbox_state_to_string (from));
  tsy_store_bind_text (stmt, 3, tsy_outbox_state_to_string (to));
  tsy_store_bind_text (stmt, 4, now);
  tsy_store_bind_text (stmt, 5, last_error);
  sqlite3_bind_int (stmt, 6, to == TSY_OUTBOX_SENDING ? 1 : 0);
  if (!tsy_store_step_done (store, stmt, error))
    goto fail;
  if (sqlite3_changes (tsy_store_get_db (store)) != 1)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DENIED,
                   _("The message “%s” changed meanwhile (another sender?)"), msg_id);
      goto fail;
    }
  /* Transitions that change what the bank may hold are audited; the rest is bookkeeping. */
  if (to == TSY_OUTBOX_SENDING || to == TSY_OUTBOX_UNKNOWN || to == TSY_OUTBOX_FAILED ||
      (from == TSY_OUTBOX_UNKNOWN && to == TSY_OUTBOX_PENDING) ||
      (from == TSY_OUTBOX_PENDING && to == TSY_OUTBOX_DELIVERED))
    {
      g_autofree char *subject = g_strdup_printf ("message:%s", msg_id);
      g_autofree char *detail = g_strdup_printf ("%s -> %s%s%s", tsy_outbox_state_to_string (from),
                                                 tsy_outbox_state_to_string (to),
                                                 last_error ? " error=" : "",
                                                 last_error ? last_error : "");
      if (!tsy_payment_audit (store, "sender", "message.state", subject, detail, error))
        goto fail;
    }
  return tsy_store_commit (store, error);

fail:
  tsy_store_rollback (store);
  return FALSE;
}

gboolean
tsy_outbox_recover (TsyStore *store,
                    guint    *out_count,
                    GError  **error)
{
  g_autoptr(GPtrArray) stuck = tsy_outbox_list (store, 0, 1u << TSY_OUTBOX_SENDING, error);
  guint n = 0;

  if (stuck == NULL)
    return FALSE;
  for (guint i = 0; i < stuck->len; i++)
    {
      TsyOutboxMessage *msg = g_ptr_array_index (stuck, i);
      g_autoptr(GError) local_error = NULL;

      if (tsy_outbox_transition (store, msg->msg_id, TSY_OUTBOX_SENDING, TSY_OUTBOX_UNKNOWN,
                                 "interrupted while sending", &local_error))
        n++;
      else if (!g_error_matches (local_error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DENIED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
  if (out_count != NULL)
    *out_count = n;
  return TRUE;
}

/* ---- Status reports -------------------------------------------------------------------- */

static void
tx_status_free (TsyTxStatus *tx)
{
  g_free (tx->end_to_end_id);
  g_free (tx->status);
  g_free (tx->reason);
  g_free (tx);
}

static void
pmt_inf_status_free (TsyPmtInfStatus *p)
{
  g_free (p->pmt_inf_id);
  g_free (p->status);
  g_free (p->reason);
  g_free (p);
}

TsyStatusReport *
tsy_status_report_new (void)
{
  TsyStatusReport *report = g_new0 (TsyStatusReport, 1);

  report->pmt_infs = g_ptr_array_new_with_free_func ((GDestroyNotify) pmt_inf_status_free);
  report->txs = g_ptr_array_new_with_free_func ((GDestroyNotify) tx_status_free);
  return report;
}

void
tsy_status_report_free (TsyStatusReport *report)
{
  if (report == NULL)
    return;
  g_free (report->msg_id);
  g_free (report->orig_msg_id);
  g_free (report->group_status);
  g_free (report->group_reason);
  g_ptr_array_unref (report->pmt_infs);
  g_ptr_array_unref (report->txs);
  g_free (report);
}

void
tsy_status_report_add_tx (TsyStatusReport *report,
                          const char      *end_to_end_id,
                          const char      *status,
                          const char      *reason)
{
  TsyTxStatus *tx = g_new0 (TsyTxStatus, 1);

  tx->end_to_end_id = g_strdup (end_to_end_id);
  tx->status = g_strdup (status);
  tx->reason = g_strdup (reason);
  g_ptr_array_add (report->txs, tx);
}

void
tsy_status_report_add_pmt_inf (TsyStatusReport *report,
                               const char      *pmt_inf_id,
                               const char      *status,
                               const char      *reason)
{
  TsyPmtInfStatus *p = g_new0 (TsyPmtInfStatus, 1);

  p->pmt_inf_id = g_strdup (pmt_inf_id);
  p->status = g_strdup (status);
  p->reason = g_strdup (reason);
  g_ptr_array_add (report->pmt_infs, p);
}

gboolean
tsy_status_code_to_payment (const char       *code,
                            TsyPaymentStatus *out)
{
  static const struct
  {
    const char      *code;
    TsyPaymentStatus status;
  } map[] = {
    { "ACSC", TSY_PAYMENT_EXECUTED },   /* settlement on the debtor's account completed */
    { "ACCC", TSY_PAYMENT_EXECUTED },   /* settlement on the creditor's account completed */
    { "ACCP", TSY_PAYMENT_ACCEPTED },
    { "ACTC", TSY_PAYMENT_ACCEPTED },
    { "ACSP", TSY_PAYMENT_ACCEPTED },
    { "ACWC", TSY_PAYMENT_ACCEPTED },
    { "ACWP", TSY_PAYMENT_ACCEPTED },
    { "ACFC", TSY_PAYMENT_ACCEPTED },
    { "ACCR", TSY_PAYMENT_ACCEPTED },
    { "RCVD", TSY_PAYMENT_ACCEPTED },
    { "PDNG", TSY_PAYMENT_ACCEPTED },
    { "RJCT", TSY_PAYMENT_REJECTED },
    { "CANC", TSY_PAYMENT_REJECTED },
  };

  for (guint i = 0; code != NULL && i < G_N_ELEMENTS (map); i++)
    if (strcmp (code, map[i].code) == 0)
      {
        *out = map[i].status;
        return TRUE;
      }
  return FALSE;
}

/* Forward moves only: sent → accepted → executed; sent/accepted → rejected. */
static gboolean
moves_forward (TsyPaymentStatus from,
               TsyPaymentStatus to)
{
  switch (from)
    {
    case TSY_PAYMENT_SENT:
      return to == TSY_PAYMENT_ACCEPTED || to == TSY_PAYMENT_EXECUTED || to == TSY_PAYMENT_REJECTED;
    case TSY_PAYMENT_ACCEPTED:
      return to == TSY_PAYMENT_EXECUTED || to == TSY_PAYMENT_REJECTED;
    case TSY_PAYMENT_DRAFT:
    case TSY_PAYMENT_SUBMITTED:
    case TSY_PAYMENT_APPROVED:
    case TSY_PAYMENT_REJECTED:
    case TSY_PAYMENT_EXECUTED:
    case TSY_PAYMENT_FAILED:
    default:
      return FALSE;
    }
}

static const TsyTxStatus *
find_tx (const TsyStatusReport *report,
         const char            *e2e)
{
  const TsyTxStatus *found = NULL;

  /* The last one decisive: a report that repeats a transaction repeats its latest word. */
  for (guint i = 0; i < report->txs->len; i++)
    {
      const TsyTxStatus *tx = g_ptr_array_index (report->txs, i);
      TsyPaymentStatus ignored;
      if (g_strcmp0 (tx->end_to_end_id, e2e) == 0 && tsy_status_code_to_payment (tx->status, &ignored))
        found = tx;
    }
  return found;
}

static const TsyPmtInfStatus *
find_pmt_inf (const TsyStatusReport *report,
              const char            *id)
{
  for (guint i = 0; i < report->pmt_infs->len; i++)
    {
      const TsyPmtInfStatus *p = g_ptr_array_index (report->pmt_infs, i);
      TsyPaymentStatus ignored;
      if (g_strcmp0 (p->pmt_inf_id, id) == 0 && tsy_status_code_to_payment (p->status, &ignored))
        return p;
    }
  return NULL;
}

static gboolean
close_if_final (TsyStore   *store,
                gint64      message_row,
                const char *msg_id,
                GError    **error)
{
  g_autofree char *now = tsy_payment_now_utc ();
  sqlite3_stmt *stmt = tsy_store_prepare (store,
      "UPDATE payment_message SET state = CASE WHEN EXISTS (SELECT 1 FROM payment p WHERE"
      " p.message_id = ?1 AND p.status IN ('sent','accepted')) THEN 'delivered' ELSE 'closed' END,"
      " updated_at = ?2, last_error = NULL WHERE id = ?1 AND state IN ('sending','unknown','delivered','pending')",
      error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, message_row);
  tsy_store_bind_text (stmt, 2, now);
  return tsy_store_step_done (store, stmt, error);
}

gboolean
tsy_outbox_apply_report (TsyStore              *store,
                         const TsyStatusReport *report,
                         const char            *actor,
                         guint                 *out_changed,
                         GError               **error)
{
  g_autoptr(TsyOutboxMessage) msg = NULL;
  g_autoptr(GPtrArray) payments = NULL;
  TsyPaymentFilter filter = { 0 };
  guint changed = 0;

  g_return_val_if_fail (TSY_IS_STORE (store), FALSE);
  g_return_val_if_fail (report != NULL, FALSE);

  if (!tsy_store_begin (store, error))
    return FALSE;
  msg = tsy_outbox_lookup (store, report->orig_msg_id, error);
  if (msg == NULL)
    goto fail;
  filter.message_id = msg->id;
  payments = tsy_payment_list (store, &filter, error);
  if (payments == NULL)
    goto fail;

  for (guint i = 0; i < payments->len; i++)
    {
      TsyPaymentInfo *p = g_ptr_array_index (payments, i);
      const TsyTxStatus *tx = find_tx (report, p->end_to_end_id);
      const TsyPmtInfStatus *pi = tx ? NULL : find_pmt_inf (report, p->pmt_inf_id);
      const char *code = tx ? tx->status : pi ? pi->status : report->group_status;
      const char *reason = tx ? tx->reason : pi ? pi->reason : report->group_reason;
      TsyPaymentStatus to;

      if (!tsy_status_code_to_payment (code, &to))
        continue;
      if (!moves_forward (p->status, to))
        {
          if (p->status != to && tsy_payment_status_is_final (p->status))
            g_debug ("payment %" G_GINT64_FORMAT " is %s; the bank's %s changes nothing",
                     p->id, tsy_payment_status_to_string (p->status), code);
          continue;
        }
      if (!tsy_payment_set_status (store, p->id, p->status, to, actor, code, reason, error))
        goto fail;
      changed++;
    }
  if (!close_if_final (store, msg->id, msg->msg_id, error))
    goto fail;
  if (!tsy_store_commit (store, error))
    return FALSE;
  if (out_changed != NULL)
    *out_changed = changed;
  return TRUE;

fail:
  tsy_store_rollback (store);
  return FALSE;
}

gboolean
tsy_payment_match_statements (TsyStore   *store,
                              const char *actor,
                              guint      *out_changed,
                              GError    **error)
{
  sqlite3_stmt *stmt;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) from = g_ptr_array_new ();
  guint changed = 0;
  int rc;

  g_return_val_if_fail (TSY_IS_STORE (store), FALSE);

  if (!tsy_store_begin (store, error))
    return FALSE;
  /* A debit of exactly the payment's amount on its own account carrying its end-to-end id,
   * on the line itself or in one of its transaction details (batched bookings). */
  stmt = tsy_store_prepare (store,
      "SELECT p.id, p.status FROM payment p WHERE p.status IN ('sent','accepted') AND ("
      " EXISTS (SELECT 1 FROM statement_line l WHERE l.account_id = p.account_id"
      "   AND l.end_to_end_id = p.end_to_end_id AND l.amount_minor = -p.amount_minor"
      "   AND l.currency = p.currency AND l.reversal = 0)"
      " OR EXISTS (SELECT 1 FROM statement_line_detail d JOIN statement_line l ON l.id = d.line_id"
      "   WHERE l.account_id = p.account_id AND d.end_to_end_id = p.end_to_end_id"
      "   AND (d.amount_minor IS NULL OR d.amount_minor = -p.amount_minor) AND l.reversal = 0))",
      error);
  if (stmt == NULL)
    goto fail;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      TsyPaymentStatus status = TSY_PAYMENT_SENT;
      tsy_payment_status_from_string ((const char *) sqlite3_column_text (stmt, 1), &status);
      g_array_append_val (ids, id);
      g_ptr_array_add (from, GINT_TO_POINTER (status));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tsy_store_set_error (store, error);
      goto fail;
    }
  for (guint i = 0; i < ids->len; i++)
    {
      if (!tsy_payment_set_status (store, g_array_index (ids, gint64, i),
                                   GPOINTER_TO_INT (g_ptr_array_index (from, i)),
                                   TSY_PAYMENT_EXECUTED, actor, "BOOKED",
                                   _("booked on the account's statement"), error))
        goto fail;
      changed++;
    }
  /* Messages whose payments are now all final close; one still waiting to go (or unknown)
   * whose payments the bank booked must never go again. */
  stmt = tsy_store_prepare (store,
      "UPDATE payment_message SET state = 'closed' WHERE state IN ('pending','unknown','delivered')"
      " AND NOT EXISTS"
      " (SELECT 1 FROM payment p WHERE p.message_id = payment_message.id"
      "  AND p.status IN ('sent','accepted'))", error);
  if (stmt == NULL || !tsy_store_step_done (store, stmt, error))
    goto fail;
  if (!tsy_store_commit (store, error))
    return FALSE;
  if (out_changed != NULL)
    *out_changed = changed;
  return TRUE;

fail:
  tsy_store_rollback (store);
  return FALSE;
}
