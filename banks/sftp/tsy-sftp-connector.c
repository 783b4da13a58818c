/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A bank reached over SFTP (libcurl with libssh2), with the folder layout of
 * banks/tsy-drop-box-private.h under the URL's path:
 *   outbox/<MsgId>.xml     our pain.001: uploaded as <MsgId>.xml.part, then renamed by a
 *                          POSTQUOTE command, which curl runs only once the upload is complete:
 *                          the bank never sees half a file
 *   inbox/<name>.xml       the bank's pain.002 files, found by their OrgnlMsgId
 *   inbox/<account>_<YYYY-MM-DD>.camt053.xml / .camt052.xml   statements
 *
 * Authentication by SSH key only (the channel's key file; its public half is <key>.pub when
 * present, else libssh2 derives it from the private key). The server's host key is always
 * verified against the bank's own known_hosts file (the channel's CA file): a key that is not
 * listed there for this host and port, or a different one, is refused; nothing is ever added to
 * it. There is no switch to turn this off. (A known_hosts line rather than a SHA-256 fingerprint:
 * it is what banks hand over, and it names the key type, which curl then asks the server for.)
 *
 * What a failure means for exactly-once sending: until the last byte of the file has been handed
 * to curl, the upload cannot have completed, so the rename was never issued and nothing exists
 * under the name the bank reads: the payment certainly did not arrive (NETWORK or TLS). After
 * that, the rename may or may not have happened: UNKNOWN_OUTCOME, and the status is asked. A .part
 * file left by a broken upload is never read by the bank and is overwritten by the next attempt.
 */
#include <glib/gi18n-lib.h>
#include <curl/curl.h>
#include <string.h>

#include "banks/tsy-bank-connector.h"
#include "banks/tsy-bank-error.h"
#include "banks/tsy-curl-util.h"
#include "banks/tsy-drop-box-private.h"

#define MAX_LISTING_BYTES (16 * 1024 * 1024)
#define INDEX_SECONDS 60

#define TSY_TYPE_SFTP_CONNECTOR (tsy_sftp_connector_get_type ())
G_DECLARE_FINAL_TYPE (TsySftpConnector, tsy_sftp_connector, TSY, SFTP_CONNECTOR, GObject)

struct _TsySftpConnector
{
  GObject     parent_instance;

  char       *base_url;         /* sftp://user@host:port/path, without a trailing '/' */
  char       *remote_dir;       /* the path on the server, for the rename command */
  char       *host;             /* for messages */
  char       *key_file;
  char       *public_key_file;  /* "" to let libssh2 derive it */
  char       *known_hosts;
  guint       connect_timeout_ms;
  guint       timeout_ms;
  CURL       *curl;             /* kept for connection reuse; one thread at a time */
  GHashTable *inbox_index;      /* inbox file name → InboxEntry, see fetch_status */
  GMutex      lock;
};

typedef struct
{
  gint64  mtime;              /* on the server, seconds */
  gint64  read_at;            /* monotonic time */
  GStrv   msg_ids;            /* the messages it answers; NULL: not a status report */
  GBytes *bytes;              /* only during the lookup that read it */
} InboxEntry;

static void tsy_sftp_connector_iface_init (TsyBankConnectorInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TsySftpConnector, tsy_sftp_connector, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (TSY_TYPE_BANK_CONNECTOR, tsy_sftp_connector_iface_init))

typedef enum
{
  OP_DOWNLOAD,
  OP_LIST,
  OP_UPLOAD,
} Op;

typedef struct
{
  GCancellable *cancellable;
  /* download and list */
  TsyCurlBody   body;
  /* upload */
  const guint8 *data;
  gsize         len;
  gsize         offset;
  gboolean      handed_all;    /* the last byte went to curl: the rename may follow */
  /* the host key check */
  gboolean      host_key_refused;
} Transfer;

static size_t
on_read_cb (char   *buffer,
            size_t  size,
            size_t  n,
            void   *user_data)
{
  Transfer *t = user_data;
  size_t room = size * n;
  size_t chunk = MIN (room, t->len - t->offset);

  if (g_cancellable_is_cancelled (t->cancellable))
    return CURL_READFUNC_ABORT;
  memcpy (buffer, t->data + t->offset, chunk);
  t->offset += chunk;
  if (t->offset >= t->len)
    t->handed_all = TRUE;
  return chunk;
}

/* Only a key listed for this host and port in the bank's known_hosts file passes; an unknown
 * or a different key is refused, and the file is never written. */
static int
on_host_key_cb (CURL                    *easy,
                const struct curl_khkey *known_key,
                const struct curl_khkey *found_key,
                enum curl_khmatch        match,
                void                    *user_data)
{
  Transfer *t = user_data;

  if (match == CURLKHMATCH_OK)
    return CURLKHSTAT_FINE;
  t->host_key_refused = TRUE;
  return CURLKHSTAT_REJECT;
}

/* One SFTP operation on @url. The host key check and key authentication are set on every
 * request: nothing can carry over from an earlier one. */
static CURLcode
perform (TsySftpConnector  *self,
         Op                 op,
         const char        *url,
         struct curl_slist *postquote,
         Transfer          *t)
{
  char errbuf[CURL_ERROR_SIZE] = "";
  CURL *c = self->curl;
  CURLcode code;

  curl_easy_reset (c);
  curl_easy_setopt (c, CURLOPT_URL, url);
  curl_easy_setopt (c, CURLOPT_PROTOCOLS_STR, "sftp");
  curl_easy_setopt (c, CURLOPT_REDIR_PROTOCOLS_STR, "sftp");
  curl_easy_setopt (c, CURLOPT_SSH_AUTH_TYPES, (long) CURLSSH_AUTH_PUBLICKEY);
  curl_easy_setopt (c, CURLOPT_SSH_PRIVATE_KEYFILE, self->key_file);
  curl_easy_setopt (c, CURLOPT_SSH_PUBLIC_KEYFILE, self->public_key_file);
  curl_easy_setopt (c, CURLOPT_SSH_KNOWNHOSTS, self->known_hosts);
  curl_easy_setopt (c, CURLOPT_SSH_KEYFUNCTION, on_host_key_cb);
  curl_easy_setopt (c, CURLOPT_SSH_KEYDATA, t);
  curl_easy_setopt (c, CURLOPT_CONNECTTIMEOUT_MS, (long) self->connect_timeout_ms);
  curl_easy_setopt (c, CURLOPT_TIMEOUT_MS, (long) self->timeout_ms);
  curl_easy_setopt (c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (c, CURLOPT_NOPROXY, "*");
  tsy_curl_set_cancellable (c, t->cancellable);
  curl_easy_setopt (c, CURLOPT_ERRORBUFFER, errbuf);
  switch (op)
    {
    case OP_UPLOAD:
      curl_easy_setopt (c, CURLOPT_UPLOAD, 1L);
      curl_easy_setopt (c, CURLOPT_READFUNCTION, on_read_cb);
      curl_easy_setopt (c, CURLOPT_READDATA, t);
      curl_easy_setopt (c, CURLOPT_INFILESIZE_LARGE, (curl_off_t) t->len);
      curl_easy_setopt (c, CURLOPT_POSTQUOTE, postquote);
      break;
    case OP_LIST:
      curl_easy_setopt (c, CURLOPT_DIRLISTONLY, 1L);
      G_GNUC_FALLTHROUGH;
    case OP_DOWNLOAD:
    default:
      tsy_curl_set_body (c, &t->body);
      curl_easy_setopt (c, CURLOPT_FILETIME, 1L);
      break;
    }

  code = curl_easy_perform (c);
  if (code != CURLE_OK)
    g_debug ("sftp %s: curl %d (%s)%s", url, code, *errbuf ? errbuf : curl_easy_strerror (code),
             t->host_key_refused ? ", host key refused" : "");
  /* The handle must not keep pointers into this transfer. */
  curl_easy_setopt (c, CURLOPT_POSTQUOTE, NULL);
  curl_easy_setopt (c, CURLOPT_ERRORBUFFER, NULL);
  curl_easy_setopt (c, CURLOPT_SSH_KEYDATA, NULL);
  return code;
}

/* An error of the connection or the session: who could not be reached or trusted, and why. */
static void
set_transfer_error (TsySftpConnector *self,
                    CURLcode          code,
                    const Transfer   *t,
                    GError          **error)
{
  if (code == CURLE_ABORTED_BY_CALLBACK || g_cancellable_is_cancelled (t->cancellable))
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
  else if (t->host_key_refused || code == CURLE_PEER_FAILED_VERIFICATION)
    g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_TLS,
                 /* Translators: %1$s a host, %2$s a known_hosts file */
                 _("The SSH server %1$s is not the one pinned in %2$s: its host key was refused"),
                 self->host, self->known_hosts);
  else if (code == CURLE_LOGIN_DENIED || code == CURLE_SSL_CERTPROBLEM)
    g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_TLS,
                 _("The SSH server %s did not accept our key"), self->host);
  else if (code == CURLE_OPERATION_TIMEDOUT)
    g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_NETWORK,
                 _("%s did not answer in time"), self->host);
  else
    g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_NETWORK,
                 /* Translators: %1$s a host, %2$s curl's reason */
                 _("Cannot reach %1$s: %2$s"), self->host, curl_easy_strerror (code));
}

/* A path as the quote commands of curl read it: in double quotes, '"' and '\' escaped. */
static void
append_quoted (GString    *out,
               const char *path)
{
  g_string_append_c (out, '"');
  for (const char *p = path; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static gboolean
send_payment (TsyBankConnector *connector,
              const char       *msg_id,
              GBytes           *document,
              GBytes          **out_status,
              GCancellable     *cancellable,
              GError          **error)
{
  TsySftpConnector *self = TSY_SFTP_CONNECTOR (connector);
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *url = NULL;
  g_autofree char *part = NULL;
  g_autofree char *final = NULL;
  g_autoptr(GString) rename = g_string_new ("rename ");
  struct curl_slist *postquote = NULL;
  Transfer t = { .cancellable = cancellable };
  CURLcode code;

  if (!tsy_drop_box_check_name (msg_id, error))
    return FALSE;
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_set_error_literal (error, TSY_BANK_ERROR, TSY_BANK_ERROR_NETWORK,
                           _("Cancelled before the payment file was sent; nothing was delivered"));
      return FALSE;
    }
  locker = g_mutex_locker_new (&self->lock);
  url = g_strdup_printf ("%s/outbox/%s.xml.part", self->base_url, msg_id);
  part = g_strdup_printf ("%s/outbox/%s.xml.part", self->remote_dir, msg_id);
  final = g_strdup_printf ("%s/outbox/%s.xml", self->remote_dir, msg_id);
  append_quoted (rename, part);
  g_string_append_c (rename, ' ');
  append_quoted (rename, final);
  postquote = curl_slist_append (NULL, rename->str);
  t.data = g_bytes_get_data (document, &t.len);

  code = perform (self, OP_UPLOAD, url, postquote, &t);
  curl_slist_free_all (postquote);
  if (code == CURLE_OK)
    return TRUE;    /* whole, under its name: no immediate answer over SFTP */

  if (!t.handed_all)
    {
      /* The upload did not complete, so the rename was never sent: the bank cannot have it. */
      g_autoptr(GError) why = NULL;
      set_transfer_error (self, code, &t, &why);
      if (g_error_matches (why, TSY_BANK_ERROR, TSY_BANK_ERROR_TLS))
        g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_TLS,
                     _("%s; nothing was sent"), why->message);
      else if (g_error_matches (why, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_set_error_literal (error, TSY_BANK_ERROR, TSY_BANK_ERROR_NETWORK,
                             _("Cancelled before the payment file was sent; nothing was delivered"));
      else if (code == CURLE_REMOTE_ACCESS_DENIED || code == CURLE_REMOTE_DISK_FULL ||
               code == CURLE_UPLOAD_FAILED || code == CURLE_REMOTE_FILE_NOT_FOUND)
        g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_NETWORK,
                     /* Translators: %1$s a host, %2$s curl's reason */
                     _("%1$s did not take the payment file (%2$s); nothing was delivered"),
                     self->host, curl_easy_strerror (code));
      else
        g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_NETWORK,
                     _("%s; nothing was delivered"), why->message);
      return FALSE;
    }
  /* Complete, and then something failed: closing the file or the rename. */
  g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_UNKNOWN_OUTCOME,
               /* Translators: %1$s a host, %2$s curl's reason */
               _("The transfer of the payment file to %1$s broke off at its end (%2$s); its status will be asked"),
               self->host, curl_easy_strerror (code));
  return FALSE;
}

/* Downloads @name from @folder ("inbox/"); NULL with @error, or with *@missing set when there is
 * no such file. */
static GBytes *
download (TsySftpConnector *self,
          const char       *name,
          gsize             max_bytes,
          gboolean         *out_missing,
          gint64           *out_mtime,
          GCancellable     *cancellable,
          GError          **error)
{
  g_autofree char *escaped = g_uri_escape_string (name, NULL, FALSE);
  g_autofree char *url = g_strdup_printf ("%s/inbox/%s", self->base_url, escaped);
  Transfer t = { .cancellable = cancellable, .body = { .bytes = g_byte_array_new (), .max_bytes = max_bytes } };
  g_autoptr(GBytes) bytes = NULL;
  CURLcode code = perform (self, OP_DOWNLOAD, url, NULL, &t);

  bytes = g_byte_array_free_to_bytes (t.body.bytes);
  *out_missing = code == CURLE_REMOTE_FILE_NOT_FOUND;
  if (t.body.too_big)
    {
      g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_IO,
                   _("The bank's file %s is too large"), name);
      return NULL;
    }
  if (code != CURLE_OK)
    {
      if (!*out_missing)
        set_transfer_error (self, code, &t, error);
      return NULL;
    }
  if (out_mtime != NULL)
    {
      curl_off_t mtime = -1;
      curl_easy_getinfo (self->curl, CURLINFO_FILETIME_T, &mtime);
      *out_mtime = (gint64) mtime;
    }
  return g_steal_pointer (&bytes);
}

static void
inbox_entry_free (InboxEntry *e)
{
  g_strfreev (e->msg_ids);
  g_clear_pointer (&e->bytes, g_bytes_unref);
  g_free (e);
}

/* Reads what each status report in the inbox answers into @index, reusing @known entries read
 * less than INDEX_SECONDS ago. */
static gboolean
read_inbox (TsySftpConnector *self,
            GStrv             names,
            GHashTable       *known,
            GHashTable       *index,
            GCancellable     *cancellable,
            GError          **error)
{
  gint64 now = g_get_monotonic_time ();

  for (guint i = 0; names[i] != NULL; i++)
    {
      char *name = g_strstrip (names[i]);
      g_autoptr(GError) local_error = NULL;
      gpointer key = NULL, value = NULL;
      InboxEntry *e;
      GBytes *data;
      gboolean missing = FALSE;
      gint64 mtime = -1;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (!tsy_drop_box_may_be_status (name) || strchr (name, '/') != NULL ||
          g_hash_table_contains (index, name))
        continue;
      if (known != NULL && g_hash_table_steal_extended (known, name, &key, &value))
        {
          if (now - ((InboxEntry *) value)->read_at < INDEX_SECONDS * G_USEC_PER_SEC)
            {
              g_hash_table_insert (index, key, value);
              continue;
            }
          g_free (key);
          inbox_entry_free (value);
        }
      data = download (self, name, TSY_DROP_BOX_MAX_FILE_BYTES, &missing, &mtime, cancellable, &local_error);
      if (data == NULL && (missing || g_error_matches (local_error, TSY_BANK_ERROR, TSY_BANK_ERROR_IO)))
        continue;     /* taken away meanwhile, or too large to be ours */
      if (data == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      e = g_new0 (InboxEntry, 1);
      e->mtime = mtime;
      e->read_at = now;
      e->msg_ids = tsy_drop_box_status_msg_ids (g_bytes_get_data (data, NULL), g_bytes_get_size (data));
      e->bytes = data;
      g_hash_table_insert (index, g_strdup (name), e);
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
  TsySftpConnector *self = TSY_SFTP_CONNECTOR (connector);
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GBytes) listing = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GHashTable) index = NULL;
  g_auto(GStrv) names = NULL;
  const char *newest = NULL;
  gint64 newest_time = G_MININT64;
  Transfer t = { .cancellable = cancellable, .body = { .max_bytes = MAX_LISTING_BYTES } };
  GHashTableIter iter;
  gpointer key, value;
  CURLcode code;

  if (!tsy_drop_box_check_name (msg_id, error))
    return FALSE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  locker = g_mutex_locker_new (&self->lock);
  url = g_strdup_printf ("%s/inbox/", self->base_url);
  t.body.bytes = g_byte_array_new ();
  code = perform (self, OP_LIST, url, NULL, &t);
  g_byte_array_append (t.body.bytes, (const guint8 *) "", 1);
  listing = g_byte_array_free_to_bytes (t.body.bytes);
  if (code == CURLE_REMOTE_FILE_NOT_FOUND)
    {
      g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_IO,
                   _("The bank's server %s has no inbox folder"), self->host);
      return FALSE;
    }
  if (t.body.too_big)
    {
      g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_IO,
                   _("The bank's inbox on %s lists too many files"), self->host);
      return FALSE;
    }
  if (code != CURLE_OK)
    {
      set_transfer_error (self, code, &t, error);
      return FALSE;
    }

  /* What each inbox file answers is remembered for a while, so that asking about many messages
   * in one run reads each file once, not once per message; the answer itself is read anew. */
  names = g_strsplit (g_bytes_get_data (listing, NULL), "\n", -1);
  index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) inbox_entry_free);
  if (!read_inbox (self, names, self->inbox_index, index, cancellable, error))
    return FALSE;
  g_clear_pointer (&self->inbox_index, g_hash_table_unref);
  self->inbox_index = g_hash_table_ref (index);

  /* The latest answer about this message wins. */
  g_hash_table_iter_init (&iter, index);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      InboxEntry *e = value;
      if (e->msg_ids != NULL && g_strv_contains ((const char *const *) e->msg_ids, msg_id) &&
          (newest == NULL || e->mtime > newest_time || (e->mtime == newest_time && strcmp (key, newest) > 0)))
        {
          newest = key;
          newest_time = e->mtime;
        }
    }
  if (newest != NULL)
    {
      InboxEntry *e = g_hash_table_lookup (index, newest);
      gboolean missing = FALSE;

      if (e->bytes != NULL)
        answer = g_bytes_ref (e->bytes);
      else
        {
          answer = download (self, newest, TSY_DROP_BOX_MAX_FILE_BYTES, &missing, NULL, cancellable, error);
          if (answer == NULL && !missing)
            return FALSE;
          if (answer != NULL && !tsy_drop_box_is_status_of (g_bytes_get_data (answer, NULL),
                                                            g_bytes_get_size (answer), msg_id))
            g_clear_pointer (&answer, g_bytes_unref);   /* rewritten meanwhile: asked again later */
          if (answer == NULL)
            g_hash_table_remove (index, newest);
        }
    }
  /* Only what was read during this lookup is kept in memory with its bytes. */
  g_hash_table_iter_init (&iter, index);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_clear_pointer (&((InboxEntry *) value)->bytes, g_bytes_unref);

  if (answer != NULL)
    {
      *out_lookup = TSY_STATUS_FOUND;
      *out_status = g_steal_pointer (&answer);
      return TRUE;
    }
  /* As with a folder: whether the file still waits in the outbox or the bank has taken it, no
   * answer yet. A server cannot prove that a file never arrived, so it never says so. */
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
  TsySftpConnector *self = TSY_SFTP_CONNECTOR (connector);
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *name = NULL;
  GBytes *data;
  gboolean missing = FALSE;

  if (!tsy_drop_box_check_name (account, error))
    return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  name = tsy_drop_box_statement_name (account, kind, date);
  locker = g_mutex_locker_new (&self->lock);
  data = download (self, name, TSY_DROP_BOX_MAX_FILE_BYTES, &missing, NULL, cancellable, error);
  if (data == NULL && missing)
    g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_REFUSED,
                 /* Translators: %1$s a host, %2$s a file name */
                 _("The bank's server %1$s has no statement %2$s"), self->host, name);
  return data;
}

static TsyConnectorCaps
get_capabilities (TsyBankConnector *connector)
{
  return TSY_CONNECTOR_SEND_PAYMENTS | TSY_CONNECTOR_PAYMENT_STATUS | TSY_CONNECTOR_STATEMENTS |
         TSY_CONNECTOR_INTRADAY;
}

static void
tsy_sftp_connector_iface_init (TsyBankConnectorInterface *iface)
{
  iface->get_capabilities = get_capabilities;
  iface->send_payment = send_payment;
  iface->fetch_status = fetch_status;
  iface->fetch_statement = fetch_statement;
}

static void
tsy_sftp_connector_finalize (GObject *object)
{
  TsySftpConnector *self = TSY_SFTP_CONNECTOR (object);

  g_clear_pointer (&self->curl, curl_easy_cleanup);
  g_clear_pointer (&self->inbox_index, g_hash_table_unref);
  g_free (self->base_url);
  g_free (self->remote_dir);
  g_free (self->host);
  g_free (self->key_file);
  g_free (self->public_key_file);
  g_free (self->known_hosts);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (tsy_sftp_connector_parent_class)->finalize (object);
}

static void
tsy_sftp_connector_class_init (TsySftpConnectorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tsy_sftp_connector_finalize;
}

static void
tsy_sftp_connector_init (TsySftpConnector *self)
{
  g_mutex_init (&self->lock);
}

TsyBankConnector *
tsy_sftp_connector_new (const TsyBankChannel *channel,
                        GError              **error)
{
  g_autoptr(TsySftpConnector) self = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *pub = NULL;
  const char *path;
  gboolean home;

  g_return_val_if_fail (channel != NULL, NULL);

  if (channel->url != NULL)
    uri = g_uri_parse (channel->url, G_URI_FLAGS_HAS_PASSWORD, NULL);
  if (uri == NULL || g_strcmp0 (g_uri_get_scheme (uri), "sftp") != 0 ||
      g_uri_get_user (uri) == NULL || *g_uri_get_user (uri) == '\0' ||
      g_uri_get_password (uri) != NULL || g_uri_get_host (uri) == NULL ||
      *g_uri_get_host (uri) == '\0' || g_uri_get_query (uri) != NULL ||
      g_uri_get_fragment (uri) != NULL || channel->key_file == NULL || channel->ca_file == NULL)
    {
      g_set_error_literal (error, TSY_BANK_ERROR, TSY_BANK_ERROR_TLS,
                           _("An sftp channel needs an sftp://user@host/path URL without a password, an SSH private key and the bank's known_hosts file"));
      return NULL;
    }
  for (const char *const *f = (const char *const[]) { channel->key_file, channel->ca_file, NULL }; *f; f++)
    if (!g_file_test (*f, G_FILE_TEST_IS_REGULAR))
      {
        g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_TLS, _("Cannot read “%s”"), *f);
        return NULL;
      }
  tsy_curl_global_init ();
  self = g_object_new (TSY_TYPE_SFTP_CONNECTOR, NULL);
  self->base_url = g_strdup (channel->url);
  while (g_str_has_suffix (self->base_url, "/"))
    self->base_url[strlen (self->base_url) - 1] = '\0';
  /* curl reads "/~/" as the user's home folder; the rename command takes it relative. */
  path = g_uri_get_path (uri);
  home = g_str_has_prefix (path, "/~/") || strcmp (path, "/~") == 0;
  self->remote_dir = g_strdup (home ? path + 2 + (path[2] == '/') : path);
  while (g_str_has_suffix (self->remote_dir, "/"))
    self->remote_dir[strlen (self->remote_dir) - 1] = '\0';
  if (home && *self->remote_dir == '\0')
    {
      g_free (self->remote_dir);
      self->remote_dir = g_strdup (".");    /* "./outbox/…"; the root stays "" for "/outbox/…" */
    }
  self->host = g_strdup (g_uri_get_host (uri));
  self->key_file = g_strdup (channel->key_file);
  pub = g_strconcat (channel->key_file, ".pub", NULL);
  self->public_key_file = g_file_test (pub, G_FILE_TEST_IS_REGULAR) ? g_steal_pointer (&pub) : g_strdup ("");
  self->known_hosts = g_strdup (channel->ca_file);
  self->connect_timeout_ms = channel->connect_timeout_ms ? channel->connect_timeout_ms : 10000;
  self->timeout_ms = channel->timeout_ms ? channel->timeout_ms : 60000;
  self->curl = curl_easy_init ();
  if (self->curl == NULL)
    {
      g_set_error_literal (error, TSY_BANK_ERROR, TSY_BANK_ERROR_NETWORK, _("Cannot start a network session"));
      return NULL;
    }
  return TSY_BANK_CONNECTOR (g_steal_pointer (&self));
}
