/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A bank reached through a folder (a mounted share that the bank's gateway polls):
 *   URL/outbox/<MsgId>.xml          our pain.001, written whole (temporary name, fsync, rename)
 *   URL/inbox/<anything>.xml        the bank's pain.002 files (found by their OrgnlMsgId)
 *   URL/inbox/<account>_<YYYY-MM-DD>.camt053.xml / .camt052.xml   statements
 * The bank may take (move away) a file from the outbox once it has read it.
 */
#include <glib/gi18n-lib.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "banks/tsy-bank-connector.h"
#include "banks/tsy-bank-error.h"
#include "banks/tsy-drop-box-private.h"

#define MAX_FILE_BYTES TSY_DROP_BOX_MAX_FILE_BYTES

#define TSY_TYPE_FOLDER_CONNECTOR (tsy_folder_connector_get_type ())
G_DECLARE_FINAL_TYPE (TsyFolderConnector, tsy_folder_connector, TSY, FOLDER_CONNECTOR, GObject)

struct _TsyFolderConnector
{
  GObject  parent_instance;
  char    *outbox;
  char    *inbox;
};

static void tsy_folder_connector_iface_init (TsyBankConnectorInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TsyFolderConnector, tsy_folder_connector, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (TSY_TYPE_BANK_CONNECTOR, tsy_folder_connector_iface_init))

static gboolean
send_payment (TsyBankConnector *connector,
              const char       *msg_id,
              GBytes           *document,
              GBytes          **out_status,
              GCancellable     *cancellable,
              GError          **error)
{
  TsyFolderConnector *self = TSY_FOLDER_CONNECTOR (connector);
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) target = NULL;
  GError *local_error = NULL;

  if (!tsy_drop_box_check_name (msg_id, error))
    return FALSE;
  name = g_strconcat (msg_id, ".xml", NULL);
  path = g_build_filename (self->outbox, name, NULL);
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;      /* there already, the same bytes: the bank will read it once */
  target = g_file_new_for_path (path);
  /* g_file_replace_contents writes a temporary file, syncs it and renames it over the target:
   * the bank never sees half a file. */
  if (!g_file_replace_contents (target, g_bytes_get_data (document, NULL), g_bytes_get_size (document),
                                NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL, cancellable, &local_error))
    {
      /* Nothing is in the outbox under that name: not delivered. */
      g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_NETWORK,
                   _("Cannot write to the bank's folder: %s"), local_error->message);
      g_error_free (local_error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
fetch_status (TsyBankConnector *connector,
              const char       *msg_id,
              TsyStatusLookup  *out_lookup,
              GBytes          **out_status,
              GCancellable     *cancellable,
              GError          **error)
{
  TsyFolderConnector *self = TSY_FOLDER_CONNECTOR (connector);
  g_autoptr(GDir) dir = NULL;
  GError *local_error = NULL;
  const char *entry;
  g_autofree char *newest = NULL;
  gint64 newest_time = -1;

  if (!tsy_drop_box_check_name (msg_id, error))
    return FALSE;
  dir = g_dir_open (self->inbox, 0, &local_error);
  if (dir == NULL)
    {
      g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_IO,
                   _("Cannot read the bank's folder: %s"), local_error->message);
      g_error_free (local_error);
      return FALSE;
    }
  /* The latest answer about this message wins. */
  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *data = NULL;
      GStatBuf st;
      gsize len = 0;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (!tsy_drop_box_may_be_status (entry))
        continue;
      path = g_build_filename (self->inbox, entry, NULL);
      if (g_stat (path, &st) != 0 || st.st_size > MAX_FILE_BYTES ||
          !g_file_get_contents (path, &data, &len, NULL) || !tsy_drop_box_is_status_of (data, len, msg_id))
        continue;
      if ((gint64) st.st_mtime >= newest_time)
        {
          newest_time = st.st_mtime;
          g_free (newest);
          newest = g_steal_pointer (&path);
        }
    }
  if (newest != NULL)
    {
      char *data = NULL;
      gsize len = 0;
      if (!g_file_get_contents (newest, &data, &len, error))
        return FALSE;
      *out_lookup = TSY_STATUS_FOUND;
      *out_status = g_bytes_new_take (data, len);
      return TRUE;
    }
  /* Written whole (or taken by the bank): no answer yet. A folder cannot prove that a file
   * never arrived, so it never says so: the message waits for its answer. */
  *out_lookup = TSY_STATUS_NOT_YET;
  return TRUE;
}

static GBytes *
fetch_statement (TsyBankConnector *connector,
                 const char       *account,
                 TsyStatementKind  kind,
                 TsyDate           date,
                 GCancellable     *cancellable,
                 GError          **error)
{
  TsyFolderConnector *self = TSY_FOLDER_CONNECTOR (connector);
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  char *data = NULL;
  gsize len = 0;

  if (!tsy_drop_box_check_name (account, error))
    return NULL;
  name = tsy_drop_box_statement_name (account, kind, date);
  path = g_build_filename (self->inbox, name, NULL);
  if (!g_file_get_contents (path, &data, &len, NULL))
    {
      g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_REFUSED,
                   _("The bank's folder has no statement %s"), name);
      return NULL;
    }
  return g_bytes_new_take (data, len);
}

static TsyConnectorCaps
get_capabilities (TsyBankConnector *connector)
{
  return TSY_CONNECTOR_SEND_PAYMENTS | TSY_CONNECTOR_PAYMENT_STATUS | TSY_CONNECTOR_STATEMENTS |
         TSY_CONNECTOR_INTRADAY;
}

static void
tsy_folder_connector_iface_init (TsyBankConnectorInterface *iface)
{
  iface->get_capabilities = get_capabilities;
  iface->send_payment = send_payment;
  iface->fetch_status = fetch_status;
  iface->fetch_statement = fetch_statement;
}

static void
tsy_folder_connector_finalize (GObject *object)
{
  TsyFolderConnector *self = TSY_FOLDER_CONNECTOR (object);

  g_free (self->outbox);
  g_free (self->inbox);
  G_OBJECT_CLASS (tsy_folder_connector_parent_class)->finalize (object);
}

static void
tsy_folder_connector_class_init (TsyFolderConnectorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tsy_folder_connector_finalize;
}

static void
tsy_folder_connector_init (TsyFolderConnector *self)
{
}

TsyBankConnector *
tsy_folder_connector_new (const TsyBankChannel *channel,
                          GError              **error)
{
  g_autoptr(TsyFolderConnector) self = NULL;

  g_return_val_if_fail (channel != NULL, NULL);

  if (!g_path_is_absolute (channel->url) || !g_file_test (channel->url, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_IO,
                   _("The bank's folder “%s” does not exist"), channel->url);
      return NULL;
    }
  self = g_object_new (TSY_TYPE_FOLDER_CONNECTOR, NULL);
  self->outbox = g_build_filename (channel->url, "outbox", NULL);
  self->inbox = g_build_filename (channel->url, "inbox", NULL);
  if (g_mkdir_with_parents (self->outbox, 0700) != 0 || g_mkdir_with_parents (self->inbox, 0700) != 0)
    {
      g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_IO,
                   _("Cannot make the outbox and inbox in “%s”"), channel->url);
      return NULL;
    }
  return TSY_BANK_CONNECTOR (g_steal_pointer (&self));
}
