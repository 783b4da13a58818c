/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>

#include "tsy-bank-connector.h"
#include "tsy-bank-error.h"

G_DEFINE_INTERFACE (TsyBankConnector, tsy_bank_connector, G_TYPE_OBJECT)

static gboolean
unsupported (GError **error)
{
  g_set_error_literal (error, TSY_BANK_ERROR, TSY_BANK_ERROR_UNSUPPORTED,
                       _("This bank's channel cannot do that"));
  return FALSE;
}

static TsyConnectorCaps
default_get_capabilities (TsyBankConnector *self)
{
  return 0;
}

static gboolean
default_send_payment (TsyBankConnector *self,
                      const char       *msg_id,
                      GBytes           *document,
                      GBytes          **out_status,
                      GCancellable     *cancellable,
                      GError          **error)
{
  return unsupported (error);
}

static gboolean
default_fetch_status (TsyBankConnector *self,
                      const char       *msg_id,
                      TsyStatusLookup  *out_lookup,
                      GBytes          **out_status,
                      GCancellable     *cancellable,
                      GError          **error)
{
  return unsupported (error);
}

static GBytes *
default_fetch_statement (TsyBankConnector *self,
                         const char       *account,
                         TsyStatementKind  kind,
                         TsyDate           date,
                         GCancellable     *cancellable,
                         GError          **error)
{
  unsupported (error);
  return NULL;
}

static void
tsy_bank_connector_default_init (TsyBankConnectorInterface *iface)
{
  iface->get_capabilities = default_get_capabilities;
  iface->send_payment = default_send_payment;
  iface->fetch_status = default_fetch_status;
  iface->fetch_statement = default_fetch_statement;
}

TsyBankConnector *
tsy_bank_connector_new_for_channel (const TsyBankChannel *channel,
                                    GError              **error)
{
  g_return_val_if_fail (channel != NULL, NULL);

  switch (channel->kind)
    {
    case TSY_CHANNEL_HTTPS:
      return tsy_https_connector_new (channel, error);
    case TSY_CHANNEL_FOLDER:
      return tsy_folder_connector_new (channel, error);
    case TSY_CHANNEL_SFTP:
      return tsy_sftp_connector_new (channel, error);
    default:
      g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_UNSUPPORTED,
                   _("The %s channel kind is not available in this build"),
                   tsy_channel_kind_to_string (channel->kind));
      return NULL;
    }
}

TsyConnectorCaps
tsy_bank_connector_get_capabilities (TsyBankConnector *self)
{
  g_return_val_if_fail (TSY_IS_BANK_CONNECTOR (self), 0);
  return TSY_BANK_CONNECTOR_GET_IFACE (self)->get_capabilities (self);
}

gboolean
tsy_bank_connector_send_payment (TsyBankConnector *self,
                                 const char       *msg_id,
                                 GBytes           *document,
                                 GBytes          **out_status,
                                 GCancellable     *cancellable,
                                 GError          **error)
{
  g_return_val_if_fail (TSY_IS_BANK_CONNECTOR (self), FALSE);
  g_return_val_if_fail (msg_id != NULL && document != NULL, FALSE);

  if (out_status != NULL)
    *out_status = NULL;
  return TSY_BANK_CONNECTOR_GET_IFACE (self)->send_payment (self, msg_id, document, out_status,
                                                            cancellable, error);
}

gboolean
tsy_bank_connector_fetch_status (TsyBankConnector *self,
                                 const char       *msg_id,
                                 TsyStatusLookup  *out_lookup,
                                 GBytes          **out_status,
                                 GCancellable     *cancellable,
                                 GError          **error)
{
  g_return_val_if_fail (TSY_IS_BANK_CONNECTOR (self), FALSE);
  g_return_val_if_fail (msg_id != NULL && out_lookup != NULL && out_status != NULL, FALSE);

  *out_status = NULL;
  return TSY_BANK_CONNECTOR_GET_IFACE (self)->fetch_status (self, msg_id, out_lookup, out_status,
                                                            cancellable, error);
}

GBytes *
tsy_bank_connector_fetch_statement (TsyBankConnector *self,
                                    const char       *account,
                                    TsyStatementKind  kind,
                                    TsyDate           date,
                                    GCancellable     *cancellable,
                                    GError          **error)
{
  g_return_val_if_fail (TSY_IS_BANK_CONNECTOR (self), NULL);
  g_return_val_if_fail (account != NULL, NULL);

  return TSY_BANK_CONNECTOR_GET_IFACE (self)->fetch_statement (self, account, kind, date,
                                                               cancellable, error);
}

/* ---- Async pairs ----------------------------------------------------------------------- */

typedef struct
{
  char            *what;      /* msg id or account */
  TsyStatementKind kind;
  TsyDate          date;
  TsyStatusLookup  lookup;
} TaskData;

static void
task_data_free (TaskData *d)
{
  g_free (d->what);
  g_free (d);
}

static void
fetch_status_thread (GTask        *task,
                     gpointer      source,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  TaskData *d = task_data;
  GBytes *status = NULL;
  GError *error = NULL;

  if (!tsy_bank_connector_fetch_status (source, d->what, &d->lookup, &status, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, status, (GDestroyNotify) g_bytes_unref);
}

void
tsy_bank_connector_fetch_status_async (TsyBankConnector    *self,
                                       const char          *msg_id,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TaskData *d;

  g_return_if_fail (TSY_IS_BANK_CONNECTOR (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tsy_bank_connector_fetch_status_async);
  if (msg_id == NULL)
    {
      g_task_return_new_error (task, TSY_BANK_ERROR, TSY_BANK_ERROR_UNSUPPORTED, "%s",
                               _("No message to ask about"));
      return;
    }
  d = g_new0 (TaskData, 1);
  d->what = g_strdup (msg_id);
  g_task_set_task_data (task, d, (GDestroyNotify) task_data_free);
  g_task_run_in_thread (task, fetch_status_thread);
}

GBytes *
tsy_bank_connector_fetch_status_finish (TsyBankConnector *self,
                                        GAsyncResult     *result,
                                        TsyStatusLookup  *out_lookup,
                                        GError          **error)
{
  GTask *task = G_TASK (result);
  GBytes *status;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  status = g_task_propagate_pointer (task, error);
  if (out_lookup != NULL && !g_task_had_error (task))
    *out_lookup = ((TaskData *) g_task_get_task_data (task))->lookup;
  return status;
}

static void
fetch_statement_thread (GTask        *task,
                        gpointer      source,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  TaskData *d = task_data;
  GError *error = NULL;
  GBytes *doc = tsy_bank_connector_fetch_statement (source, d->what, d->kind, d->date, cancellable, &error);

  if (doc == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, doc, (GDestroyNotify) g_bytes_unref);
}

void
tsy_bank_connector_fetch_statement_async (TsyBankConnector    *self,
                                          const char          *account,
                                          TsyStatementKind     kind,
                                          TsyDate              date,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TaskData *d;

  g_return_if_fail (TSY_IS_BANK_CONNECTOR (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tsy_bank_connector_fetch_statement_async);
  if (account == NULL)
    {
      g_task_return_new_error (task, TSY_BANK_ERROR, TSY_BANK_ERROR_UNSUPPORTED, "%s",
                               _("No account to ask about"));
      return;
    }
  d = g_new0 (TaskData, 1);
  d->what = g_strdup (account);
  d->kind = kind;
  d->date = date;
  g_task_set_task_data (task, d, (GDestroyNotify) task_data_free);
  g_task_run_in_thread (task, fetch_statement_thread);
}

GBytes *
tsy_bank_connector_fetch_statement_finish (TsyBankConnector *self,
                                           GAsyncResult     *result,
                                           GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
