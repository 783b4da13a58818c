/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "banks/formats/tsy-pain002.h"
#include "ledger/tsy-bank-channel.h"
#include "ledger/tsy-ledger-error.h"
#include "ledger/tsy-outbox.h"
#include "ledger/tsy-payment.h"
#include "tsy-bank-connector.h"
#include "tsy-bank-error.h"
#include "tsy-payment-sender.h"
#include "tsy-payment-signer.h"

#define DEFAULT_MAX_PER_MESSAGE 500

/* ---- Preparing messages ---------------------------------------------------------------- */

/* Verifies, writes and enqueues one message of @payments (all approved, one bank). Payments
 * whose signatures fail are marked failed and left out. Returns the message's MsgId (or NULL
 * when none was left), FALSE on a database error. */
static gboolean
enqueue_message (TsyStore          *store,
                 gint64             bank_id,
                 TsyPain001Version  version,
                 GPtrArray         *payments,
                 const char        *actor,
                 TsySendReport     *report,
                 char             **out_msg_id,
                 GError           **error)
{
  g_autoptr(GPtrArray) good = g_ptr_array_new ();
  g_autoptr(GPtrArray) digests = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) pmt_inf_ids = NULL;
  g_autoptr(GBytes) document = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *msg_id = tsy_outbox_new_msg_id ();
  g_autofree TsyOutboxEntry *entries = NULL;

  *out_msg_id = NULL;
  for (guint i = 0; i < payments->len; i++)
    {
      TsyPaymentInfo *p = g_ptr_array_index (payments, i);
      g_autoptr(GError) why = NULL;

      if (!tsy_payment_verify_approvals (store, p, &why))
        {
          g_autoptr(GError) local_error = NULL;
          g_debug ("payment %" G_GINT64_FORMAT " refused before sending: %s", p->id, why->message);
          if (!tsy_payment_fail (store, p->id, actor, why->message, &local_error) &&
              !g_error_matches (local_error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DENIED))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          report->failed_signature++;
          continue;
        }
      g_ptr_array_add (good, p);
      g_ptr_array_add (digests, tsy_payment_digest_hex (p));
    }
  if (good->len == 0)
    return TRUE;

  document = tsy_pain001_write (version, msg_id, now, good, &pmt_inf_ids, error);
  if (document == NULL)
    return FALSE;
  entries = g_new0 (TsyOutboxEntry, good->len);
  for (guint i = 0; i < good->len; i++)
    {
      entries[i].payment_id = ((TsyPaymentInfo *) good->pdata[i])->id;
      entries[i].digest_hex = g_ptr_array_index (digests, i);
      entries[i].pmt_inf_id = g_ptr_array_index (pmt_inf_ids, i);
    }
  if (tsy_outbox_enqueue (store, bank_id, msg_id, tsy_pain001_version_to_string (version), document,
                          entries, good->len, actor, error) == 0)
    return FALSE;
  report->prepared += good->len;
  report->messages++;
  *out_msg_id = g_steal_pointer (&msg_id);
  return TRUE;
}

static gint
compare_bank (gconstpointer a,
              gconstpointer b)
{
  const TsyPaymentInfo *pa = *(TsyPaymentInfo **) a;
  const TsyPaymentInfo *pb = *(TsyPaymentInfo **) b;

  if (pa->bank_id != pb->bank_id)
    return pa->bank_id < pb->bank_id ? -1 : 1;
  return pa->id < pb->id ? -1 : pa->id > pb->id;
}

gboolean
tsy_payment_prepare (TsyStore      *store,
                     const gint64  *ids,
                     guint          n_ids,
                     guint          max_per_message,
                     const char    *actor,
                     TsySendReport *report,
                     GError       **error)
{
  TsyPaymentFilter filter = { .statuses = 1u << TSY_PAYMENT_APPROVED };
  g_autoptr(GPtrArray) approved = NULL;
  g_autoptr(GPtrArray) chosen = g_ptr_array_new ();
  guint i = 0;

  g_return_val_if_fail (TSY_IS_STORE (store), FALSE);
  g_return_val_if_fail (report != NULL, FALSE);

  if (max_per_message == 0)
    max_per_message = DEFAULT_MAX_PER_MESSAGE;
  approved = tsy_payment_list (store, &filter, error);
  if (approved == NULL)
    return FALSE;

  if (ids != NULL)
    {
      /* Named payments: approved ones go; those already on their way are fine; others are an
       * error before anything happens. */
      for (guint k = 0; k < n_ids; k++)
        {
          g_autoptr(TsyPaymentInfo) p = tsy_payment_lookup (store, ids[k], error);
          gboolean found = FALSE;

          if (p == NULL)
            return FALSE;
          for (guint a = 0; a < approved->len && !found; a++)
            if (((TsyPaymentInfo *) approved->pdata[a])->id == ids[k])
              {
                g_ptr_array_add (chosen, approved->pdata[a]);
                found = TRUE;
              }
          if (!found && p->status < TSY_PAYMENT_SENT)
            {
              g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DENIED,
                           /* Translators: %1$lld an id, %2$s a status */
                           _("Payment %1$lld is %2$s; only approved payments are sent"),
                           (long long) p->id, tsy_payment_status_to_string (p->status));
              return FALSE;
            }
        }
    }
  else
    for (guint a = 0; a < approved->len; a++)
      g_ptr_array_add (chosen, approved->pdata[a]);

  g_ptr_array_sort (chosen, compare_bank);
  while (i < chosen->len)
    {
      gint64 bank_id = ((TsyPaymentInfo *) chosen->pdata[i])->bank_id;
      g_autoptr(TsyBankChannel) channel = tsy_bank_channel_lookup_id (store, bank_id, NULL);
      TsyPain001Version version = TSY_PAIN001_V09;
      guint end = i;

      while (end < chosen->len && ((TsyPaymentInfo *) chosen->pdata[end])->bank_id == bank_id)
        end++;
      if (channel == NULL || !channel->is_open)
        {
          if (ids != NULL)
            {
              g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_UNSUPPORTED,
                           _("The bank “%s” has no open channel; connect it with “treasury bank connect”"),
                           ((TsyPaymentInfo *) chosen->pdata[i])->bank_code);
              return FALSE;
            }
          report->waiting_channel += end - i;
          i = end;
          continue;
        }
      tsy_pain001_version_from_string (channel->format, &version);
      for (guint start = i; start < end; start += max_per_message)
        {
          g_autoptr(GPtrArray) part = g_ptr_array_new ();
          g_autofree char *msg_id = NULL;
          for (guint k = start; k < MIN (end, start + max_per_message); k++)
            g_ptr_array_add (part, chosen->pdata[k]);
          if (!enqueue_message (store, bank_id, version, part, actor, report, &msg_id, error))
            return FALSE;
        }
      i = end;
    }
  return TRUE;
}

/* ---- Working the outbox ---------------------------------------------------------------- */

typedef struct
{
  TsyStore         *store;
  TsyBankConnector *connector;
  TsyBankChannel   *channel;
  const char       *actor;
  TsySendReport    *report;
  GCancellable     *cancellable;
  char             *last_error;
  guint             last_latency_ms;
  gboolean          any_success;
} Work;

static void
note_channel (Work       *w,
              gint64      started_us,
              const char *error_text)
{
  guint ms = (guint) MIN ((g_get_monotonic_time () - started_us) / 1000, G_MAXUINT);

  if (error_text == NULL)
    {
      w->any_success = TRUE;
      w->last_latency_ms = ms;
    }
  else
    {
      g_free (w->last_error);
      w->last_error = g_strdup (error_text);
      w->report->channel_errors++;
    }
}

/* Imports a pain.002 answering @msg. FALSE with @why when it is unusable (malformed, about
 * another message): the outcome then stays unknown. */
static gboolean
apply_answer (Work                   *w,
              const TsyOutboxMessage *msg,
              GBytes                 *answer,
              GError                **why,
              GError                **error)
{
  g_autoptr(TsyStatusReport) report = NULL;
  guint changed = 0;

  report = tsy_pain002_parse (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer),
                              msg->msg_id, why);
  if (report == NULL)
    return FALSE;
  if (g_strcmp0 (report->orig_msg_id, msg->msg_id) != 0)
    {
      g_set_error (why, TSY_BANK_ERROR, TSY_BANK_ERROR_PARSE,
                   _("The bank answered about another message (%s)"), report->orig_msg_id);
      return FALSE;
    }
  if (!tsy_outbox_apply_report (w->store, report, w->actor, &changed, error))
    return FALSE;
  w->report->changed += changed;
  return TRUE;
}

/* The bank refused the message as a whole: its payments are rejected. */
static gboolean
apply_refusal (Work                   *w,
               const TsyOutboxMessage *msg,
               const char             *reason,
               GError                **error)
{
  g_autoptr(TsyStatusReport) report = tsy_status_report_new ();
  guint changed = 0;

  report->orig_msg_id = g_strdup (msg->msg_id);
  report->group_status = g_strdup ("RJCT");
  report->group_reason = g_strdup (reason);
  if (!tsy_outbox_apply_report (w->store, report, w->actor, &changed, error))
    return FALSE;
  w->report->changed += changed;
  w->report->refused++;
  return TRUE;
}

/* Moves @msg on, ignoring DENIED (another sender moved it first). */
static gboolean
move (Work           *w,
      const char     *msg_id,
      TsyOutboxState  from,
      TsyOutboxState  to,
      const char     *why,
      gboolean       *out_moved,
      GError        **error)
{
  g_autoptr(GError) local_error = NULL;

  if (out_moved != NULL)
    *out_moved = FALSE;
  if (tsy_outbox_transition (w->store, msg_id, from, to, why, &local_error))
    {
      if (out_moved != NULL)
        *out_moved = TRUE;
      return TRUE;
    }
  if (g_error_matches (local_error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DENIED))
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static gboolean
send_one (Work                   *w,
          const TsyOutboxMessage *msg,
          GError                **error)
{
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) send_error = NULL;
  gboolean moved = FALSE;
  gint64 started;

  /* State first: from here on a crash means "unknown", resolved by asking the bank. */
  if (!move (w, msg->msg_id, TSY_OUTBOX_PENDING, TSY_OUTBOX_SENDING, NULL, &moved, error))
    return FALSE;
  if (!moved)
    return TRUE;

  started = g_get_monotonic_time ();
  if (tsy_bank_connector_send_payment (w->connector, msg->msg_id, msg->document, &answer,
                                       w->cancellable, &send_error))
    {
      g_autoptr(GError) why = NULL;
      note_channel (w, started, NULL);
      w->report->sent++;
      if (answer == NULL)
        return move (w, msg->msg_id, TSY_OUTBOX_SENDING, TSY_OUTBOX_DELIVERED, NULL, NULL, error);
      if (apply_answer (w, msg, answer, &why, error))
        return TRUE;
      if (why == NULL)
        return FALSE;
      /* It arrived, but the answer is unreadable: the status will tell. */
      return move (w, msg->msg_id, TSY_OUTBOX_SENDING, TSY_OUTBOX_UNKNOWN, why->message, NULL, error);
    }

  note_channel (w, started, send_error->message);
  if (g_error_matches (send_error, TSY_BANK_ERROR, TSY_BANK_ERROR_NETWORK) ||
      g_error_matches (send_error, TSY_BANK_ERROR, TSY_BANK_ERROR_TLS))
    {
      /* Certainly not delivered (could not connect, handshake failed): it waits for the next
       * run, the same bytes under the same MsgId. */
      w->report->retried++;
      return move (w, msg->msg_id, TSY_OUTBOX_SENDING, TSY_OUTBOX_PENDING, send_error->message, NULL, error);
    }
  if (g_error_matches (send_error, TSY_BANK_ERROR, TSY_BANK_ERROR_REFUSED))
    {
      g_autoptr(GError) why = NULL;
      if (answer != NULL && apply_answer (w, msg, answer, &why, error))
        {
          w->report->refused++;
          return TRUE;
        }
      if (answer != NULL && why == NULL)
        return FALSE;
      return apply_refusal (w, msg, send_error->message, error);
    }
  /* Anything else: it may or may not have arrived. */
  return move (w, msg->msg_id, TSY_OUTBOX_SENDING, TSY_OUTBOX_UNKNOWN, send_error->message, NULL, error);
}

/* Asks the bank about @msg (unknown or delivered). */
static gboolean
ask_one (Work                   *w,
         const TsyOutboxMessage *msg,
         GError                **error)
{
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) ask_error = NULL;
  TsyStatusLookup lookup = TSY_STATUS_NOT_YET;
  gint64 started = g_get_monotonic_time ();

  if (!tsy_bank_connector_fetch_status (w->connector, msg->msg_id, &lookup, &answer, w->cancellable, &ask_error))
    {
      note_channel (w, started, ask_error->message);
      return TRUE;      /* stays as it is: asked again next time */
    }
  note_channel (w, started, NULL);

  switch (lookup)
    {
    case TSY_STATUS_FOUND:
      {
        g_autoptr(GError) why = NULL;
        if (apply_answer (w, msg, answer, &why, error))
          {
            if (msg->state == TSY_OUTBOX_UNKNOWN)
              w->report->resolved++;
            return TRUE;
          }
        if (why == NULL)
          return FALSE;
        g_debug ("status of %s unusable: %s", msg->msg_id, why->message);
        return TRUE;
      }
    case TSY_STATUS_NOT_YET:
      if (msg->state == TSY_OUTBOX_UNKNOWN)
        {
          w->report->resolved++;
          return move (w, msg->msg_id, TSY_OUTBOX_UNKNOWN, TSY_OUTBOX_DELIVERED, NULL, NULL, error);
        }
      return TRUE;
    case TSY_STATUS_NEVER_RECEIVED:
    default:
      if (msg->state == TSY_OUTBOX_UNKNOWN)
        {
          /* The bank says it never got it: now, and only now, it goes again. */
          gboolean moved = FALSE;
          if (!move (w, msg->msg_id, TSY_OUTBOX_UNKNOWN, TSY_OUTBOX_PENDING,
                     "the bank never received it", &moved, error))
            return FALSE;
          if (moved)
            {
              w->report->resent++;
              w->report->resolved++;
              return send_one (w, msg, error);
            }
          return TRUE;
        }
      /* Delivered, yet unknown to the bank: a file exported for a manual upload that has not
       * been uploaded yet, or a bank that lost it. Never resent by itself: a person decides. */
      g_debug ("bank %s does not know the delivered message %s", msg->bank_code, msg->msg_id);
      return TRUE;
    }
}

static gboolean
work_state (Work           *w,
            TsyOutboxState  state,
            GError        **error)
{
  g_autoptr(GPtrArray) messages = tsy_outbox_list (w->store, w->channel->bank_id, 1u << state, error);

  if (messages == NULL)
    return FALSE;
  for (guint i = 0; i < messages->len; i++)
    {
      TsyOutboxMessage *msg = g_ptr_array_index (messages, i);
      gboolean ok;

      if (g_cancellable_is_cancelled (w->cancellable))
        break;
      ok = state == TSY_OUTBOX_PENDING ? send_one (w, msg, error) : ask_one (w, msg, error);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

static gboolean
work_bank (TsyStore       *store,
           TsyBankChannel *channel,
           const char     *actor,
           TsySendReport  *report,
           GCancellable   *cancellable,
           GError        **error)
{
  g_autoptr(GError) connect_error = NULL;
  g_autoptr(TsyBankConnector) connector = tsy_bank_connector_new_for_channel (channel, &connect_error);
  Work w = { store, connector, channel, actor, report, cancellable, NULL, 0, FALSE };
  gboolean ok;

  if (connector == NULL)
    {
      report->channel_errors++;
      return tsy_bank_channel_record (store, channel->bank_id, 0, connect_error->message, error);
    }
  /* Unknown first (nothing new goes out before the past is settled), then the new ones, then
   * what just became unknown, then news of delivered ones. */
  ok = work_state (&w, TSY_OUTBOX_UNKNOWN, error) &&
       work_state (&w, TSY_OUTBOX_PENDING, error) &&
       work_state (&w, TSY_OUTBOX_UNKNOWN, error) &&
       work_state (&w, TSY_OUTBOX_DELIVERED, error);
  if (ok && w.any_success)
    ok = tsy_bank_channel_record (store, channel->bank_id, w.last_latency_ms, NULL, error);
  if (ok && w.last_error != NULL)
    ok = tsy_bank_channel_record (store, channel->bank_id, 0, w.last_error, error);
  g_free (w.last_error);
  return ok;
}

gboolean
tsy_payment_work_outbox (TsyStore      *store,
                         const char    *actor,
                         TsySendReport *report,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(GPtrArray) channels = NULL;
  g_autoptr(GPtrArray) left = NULL;

  g_return_val_if_fail (TSY_IS_STORE (store), FALSE);
  g_return_val_if_fail (report != NULL, FALSE);

  if (!tsy_outbox_recover (store, NULL, error))
    return FALSE;
  channels = tsy_bank_channel_list (store, error);
  if (channels == NULL)
    return FALSE;
  for (guint i = 0; i < channels->len; i++)
    {
      TsyBankChannel *channel = g_ptr_array_index (channels, i);
      if (channel->is_open && !work_bank (store, channel, actor, report, cancellable, error))
        return FALSE;
    }
  /* Statement lines imported since the last run may show executions pain.002 has not. */
  {
    guint executed = 0;
    if (!tsy_payment_match_statements (store, actor, &executed, error))
      return FALSE;
    report->changed += executed;
  }
  left = tsy_outbox_list (store, 0, 1u << TSY_OUTBOX_UNKNOWN | 1u << TSY_OUTBOX_SENDING, error);
  if (left == NULL)
    return FALSE;
  report->unknown = left->len;
  return TRUE;
}

/* ---- In a worker thread ---------------------------------------------------------------- */

static void
send_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  TsySendReport *report = g_new0 (TsySendReport, 1);
  g_autoptr(TsyStore) store = NULL;
  GError *error = NULL;

  store = tsy_store_reopen (source, &error);
  if (store == NULL ||
      !tsy_payment_prepare (store, NULL, 0, 0, "sender", report, &error) ||
      !tsy_payment_work_outbox (store, "sender", report, cancellable, &error))
    {
      g_free (report);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, report, g_free);
}

void
tsy_payment_send_async (TsyStore            *store,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TSY_IS_STORE (store));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, tsy_payment_send_async);
  g_task_run_in_thread (task, send_thread);
}

gboolean
tsy_payment_send_finish (TsyStore      *store,
                         GAsyncResult  *result,
                         TsySendReport *out_report,
                         GError       **error)
{
  g_autofree TsySendReport *report = NULL;

  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);

  report = g_task_propagate_pointer (G_TASK (result), error);
  if (report == NULL)
    return FALSE;
  if (out_report != NULL)
    *out_report = *report;
  return TRUE;
}

/* ---- Export for a manual upload ---------------------------------------------------------- */

GBytes *
tsy_payment_export_batch (TsyStore          *store,
                          gint64             batch_id,
                          TsyPain001Version  version,
                          const char        *actor,
                          GError           **error)
{
  TsyPaymentFilter filter = { .batch_id = batch_id };
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) approved = g_ptr_array_new ();
  g_autofree char *msg_id = NULL;
  g_autofree char *previous = NULL;
  TsySendReport report = { 0 };
  gint64 bank_id = 0;
  gboolean ok;

  g_return_val_if_fail (TSY_IS_STORE (store), NULL);

  all = tsy_payment_list (store, &filter, error);
  if (all == NULL)
    return NULL;
  if (all->len == 0)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_NOT_FOUND,
                   _("There is no batch %lld"), (long long) batch_id);
      return NULL;
    }
  for (guint i = 0; i < all->len; i++)
    {
      TsyPaymentInfo *p = g_ptr_array_index (all, i);
      if (bank_id != 0 && p->bank_id != bank_id)
        {
          g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                       _("Batch %lld pays from several banks; a file goes to one bank"),
                       (long long) batch_id);
          return NULL;
        }
      bank_id = p->bank_id;
      if (p->status == TSY_PAYMENT_APPROVED)
        g_ptr_array_add (approved, p);
      else if (p->msg_id != NULL)
        {
          if (previous != NULL && strcmp (previous, p->msg_id) != 0)
            {
              g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                           _("Batch %lld went to the bank in several messages already"),
                           (long long) batch_id);
              return NULL;
            }
          g_free (previous);
          previous = g_strdup (p->msg_id);
        }
    }

  if (approved->len == 0 && previous != NULL)
    {
      /* Exported (or sent) before: the same bytes again. */
      g_autoptr(TsyOutboxMessage) msg = tsy_outbox_lookup (store, previous, error);
      return msg ? g_bytes_ref (msg->document) : NULL;
    }
  if (approved->len == 0 || previous != NULL)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DENIED,
                   _("Batch %lld has no approved payments to export (or part of it went already)"),
                   (long long) batch_id);
      return NULL;
    }

  if (!tsy_store_begin (store, error))
    return NULL;
  ok = enqueue_message (store, bank_id, version, approved, actor, &report, &msg_id, error);
  if (ok && report.failed_signature > 0)
    {
      g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_SIGNATURE,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%u payment of the batch changed after its approval; nothing was exported",
                                "%u payments of the batch changed after their approval; nothing was exported",
                                report.failed_signature),
                   report.failed_signature);
      ok = FALSE;
    }
  if (ok)
    ok = tsy_outbox_transition (store, msg_id, TSY_OUTBOX_PENDING, TSY_OUTBOX_DELIVERED,
                                "exported for a manual upload", error);
  if (!ok)
    {
      tsy_store_rollback (store);
      /* The refusal of a tampered payment stands, in its own transaction. */
      for (guint i = 0; report.failed_signature > 0 && i < approved->len; i++)
        {
          TsyPaymentInfo *p = g_ptr_array_index (approved, i);
          if (!tsy_payment_verify_approvals (store, p, NULL))
            tsy_payment_fail (store, p->id, actor, _("content changed after approval"), NULL);
        }
      return NULL;
    }
  if (!tsy_store_commit (store, error))
    return NULL;
  {
    g_autoptr(TsyOutboxMessage) msg = tsy_outbox_lookup (store, msg_id, error);
    return msg ? g_bytes_ref (msg->document) : NULL;
  }
}
