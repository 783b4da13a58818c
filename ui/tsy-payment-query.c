/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "tsy-payment-query.h"

#include "banks/tsy-payment-sender.h"
#include "ledger/tsy-bank-channel.h"
#include "ledger/tsy-payment.h"
#include "ledger/tsy-user.h"

typedef struct
{
  char     *path;
  guint32   statuses;
  gboolean  work_outbox;
  char     *actor;
} QueryRequest;

static void
query_request_free (QueryRequest *request)
{
  g_free (request->path);
  g_free (request->actor);
  g_free (request);
}

void
tsy_payment_query_free (TsyPaymentQuery *query)
{
  if (query == NULL)
    return;
  g_clear_pointer (&query->payments, g_ptr_array_unref);
  g_clear_pointer (&query->users, g_ptr_array_unref);
  g_clear_pointer (&query->channels, g_ptr_array_unref);
  g_free (query);
}

static void
query_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  QueryRequest *request = task_data;
  g_autoptr(TsyStore) store = NULL;
  g_autoptr(TsyPaymentQuery) query = g_new0 (TsyPaymentQuery, 1);
  TsyPaymentFilter filter = { .statuses = request->statuses };
  GError *error = NULL;

  store = tsy_store_open_existing (request->path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (request->work_outbox)
    {
      TsySendReport report = { 0 };
      g_autoptr(GError) send_error = NULL;

      /* Channel trouble is recorded as the channel's health; only news is asked here. */
      if (!tsy_payment_work_outbox (store, request->actor, &report, cancellable, &send_error))
        g_debug ("poll: %s", send_error->message);
    }
  query->payments = tsy_payment_list (store, &filter, &error);
  if (query->payments != NULL)
    query->users = tsy_user_list (store, &error);
  if (query->users != NULL)
    query->channels = tsy_bank_channel_list (store, &error);
  if (query->channels == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&query), (GDestroyNotify) tsy_payment_query_free);
}

void
tsy_payment_query_async (TsyStore            *store,
                         guint32              statuses,
                         gboolean             work_outbox,
                         const char          *actor,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  QueryRequest *request;

  g_return_if_fail (TSY_IS_STORE (store));
  g_return_if_fail (actor != NULL);

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, tsy_payment_query_async);
  request = g_new0 (QueryRequest, 1);
  request->path = g_strdup (tsy_store_get_path (store));
  request->statuses = statuses;
  request->work_outbox = work_outbox;
  request->actor = g_strdup (actor);
  g_task_set_task_data (task, request, (GDestroyNotify) query_request_free);
  g_task_run_in_thread (task, query_thread);
}

TsyPaymentQuery *
tsy_payment_query_finish (TsyStore      *store,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
