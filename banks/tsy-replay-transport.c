/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Recorded HTTP exchanges, for tests that must not touch a network, and the recorder that
 * writes them.
 *
 * A fixture folder (tests/data/banks/<bank>/) holds an index, `exchanges.ini`, with one group
 * per exchange, tried in the order of the file; the first that matches answers:
 *
 *   [send-accepted]
 *   request=POST /pain001                  method and path (with query); * and ? are wildcards
 *   match-header=X-Tsy-Msg-Id: M20261123A  optional: a request header and its value (wildcards)
 *   match-body=<MsgId>M20261123A</MsgId>   optional: a substring of the request's body
 *   uses=1                                 optional: answers that many times, then never again
 *   response=send-accepted.http            the answer: a status line, headers, a blank line and
 *                                          the body (as curl -i shows it)
 *   body=send-accepted.xml                 optional: the body from this file instead
 *   latency-ms=12                          optional
 *
 * or, instead of response=, a scripted failure:
 *
 *   fail=connect-failed       nothing left us (NETWORK)
 *   fail=tls-failed           the handshake failed, nothing left us (TLS)
 *   fail=timeout-after-send   the request left, no answer in time (UNKNOWN_OUTCOME)
 *   fail=dropped              the request left, the connection broke off (UNKNOWN_OUTCOME)
 *
 * Other keys (the recorder's request-body=, comments) are for the reader. A request that
 * matches nothing is an error naming it: a test never gets an answer nobody recorded.
 *
 * The recorder (TREASURY_HTTP_RECORD=DIR for the https connector) performs each exchange with
 * the real transport and appends it to DIR in this format, failures as fail=.
 */
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "tsy-bank-error.h"
#include "tsy-http-transport.h"

#define INDEX_NAME "exchanges.ini"

typedef enum
{
  FAIL_NONE,
  FAIL_CONNECT,
  FAIL_TLS,
  FAIL_TIMEOUT_AFTER_SEND,
  FAIL_DROPPED,
} Fail;

static const char *const fail_names[] = {
  [FAIL_NONE] = "", [FAIL_CONNECT] = "connect-failed", [FAIL_TLS] = "tls-failed",
  [FAIL_TIMEOUT_AFTER_SEND] = "timeout-after-send", [FAIL_DROPPED] = "dropped",
};

typedef struct
{
  char     *name;
  char     *method;
  char     *path;           /* a pattern */
  char     *header_name;    /* NULL: any */
  char     *header_value;   /* a pattern */
  char     *body_part;      /* NULL: any */
  guint     max_uses;       /* 0: unlimited */
  guint     uses;
  Fail      fail;
  guint     status;
  GPtrArray *headers;
  GBytes   *body;
  guint     latency_ms;
} Exchange;

#define TSY_TYPE_REPLAY_TRANSPORT (tsy_replay_transport_get_type ())
G_DECLARE_FINAL_TYPE (TsyReplayTransport, tsy_replay_transport, TSY, REPLAY_TRANSPORT, GObject)

struct _TsyReplayTransport
{
  GObject    parent_instance;

  char      *dir;
  GPtrArray *exchanges;     /* (element-type Exchange) in the index's order */
  guint      requests;
  GMutex     lock;
};

#define TSY_TYPE_RECORDING_TRANSPORT (tsy_recording_transport_get_type ())
G_DECLARE_FINAL_TYPE (TsyRecordingTransport, tsy_recording_transport, TSY, RECORDING_TRANSPORT, GObject)

struct _TsyRecordingTransport
{
  GObject           parent_instance;

  TsyHttpTransport *inner;
  char             *dir;
  GMutex            lock;
};

static void replay_iface_init (TsyHttpTransportInterface *iface);
static void recording_iface_init (TsyHttpTransportInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TsyReplayTransport, tsy_replay_transport, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (TSY_TYPE_HTTP_TRANSPORT, replay_iface_init))
G_DEFINE_FINAL_TYPE_WITH_CODE (TsyRecordingTransport, tsy_recording_transport, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (TSY_TYPE_HTTP_TRANSPORT, recording_iface_init))

static void
exchange_free (Exchange *x)
{
  g_free (x->name);
  g_free (x->method);
  g_free (x->path);
  g_free (x->header_name);
  g_free (x->header_value);
  g_free (x->body_part);
  g_clear_pointer (&x->headers, g_ptr_array_unref);
  g_clear_pointer (&x->body, g_bytes_unref);
  g_free (x);
}

static char *
host_of (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  return g_strdup (uri && g_uri_get_host (uri) ? g_uri_get_host (uri) : "?");
}

static gboolean
bad_index (const char  *index,
           const char  *group,
           const char  *why,
           GError     **error)
{
  g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PARSE,
               /* Translators: %1$s a file, %2$s a group of it, %3$s the reason */
               _("%1$s, exchange [%2$s]: %3$s"), index, group, why);
  return FALSE;
}

/* A response file: "HTTP/1.1 200 OK", headers, a blank line, the body. */
static gboolean
load_response (Exchange    *x,
               const char  *path,
               GError     **error)
{
  g_autofree char *text = NULL;
  gsize len = 0;
  const char *head_end;
  const char *body;
  g_autofree char *head = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *code = NULL;
  guint64 status = 0;

  if (!g_file_get_contents (path, &text, &len, error))
    return FALSE;
  if ((head_end = strstr (text, "\r\n\r\n")) != NULL)
    body = head_end + 4;
  else if ((head_end = strstr (text, "\n\n")) != NULL)
    body = head_end + 2;
  else
    body = head_end = text + len;
  head = g_strndup (text, (gsize) (head_end - text));
  lines = g_strsplit (head, "\n", -1);
  if (lines[0] != NULL && g_str_has_prefix (lines[0], "HTTP/") && strchr (lines[0], ' ') != NULL)
    code = g_strndup (strchr (lines[0], ' ') + 1, 3);
  if (code == NULL || !g_ascii_string_to_unsigned (code, 10, 100, 599, &status, NULL))
    {
      g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PARSE,
                   _("%s does not start with an HTTP status line"), path);
      return FALSE;
    }
  x->status = (guint) status;
  x->headers = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_strchomp (lines[i]);
      if (strchr (lines[i], ':') != NULL)
        g_ptr_array_add (x->headers, g_strdup (lines[i]));
    }
  x->body = g_bytes_new (body, (gsize) (text + len - body));
  return TRUE;
}

static Exchange *
load_exchange (GKeyFile    *index,
               const char  *index_path,
               const char  *dir,
               const char  *group,
               GError     **error)
{
  g_autofree char *request = g_key_file_get_string (index, group, "request", NULL);
  g_autofree char *header = g_key_file_get_string (index, group, "match-header", NULL);
  g_autofree char *fail = g_key_file_get_string (index, group, "fail", NULL);
  g_autofree char *response = g_key_file_get_string (index, group, "response", NULL);
  g_autofree char *body = g_key_file_get_string (index, group, "body", NULL);
  Exchange *x = g_new0 (Exchange, 1);
  const char *space;

  x->name = g_strdup (group);
  x->body_part = g_key_file_get_string (index, group, "match-body", NULL);
  x->max_uses = (guint) g_key_file_get_uint64 (index, group, "uses", NULL);
  x->latency_ms = (guint) g_key_file_get_uint64 (index, group, "latency-ms", NULL);
  if (request == NULL || (space = strchr (request, ' ')) == NULL)
    {
      bad_index (index_path, group, _("“request” must be a method and a path"), error);
      goto fail;
    }
  x->method = g_strndup (request, (gsize) (space - request));
  x->path = g_strstrip (g_strdup (space + 1));
  if (header != NULL)
    {
      const char *colon = strchr (header, ':');
      if (colon == NULL)
        {
          bad_index (index_path, group, _("“match-header” must be a name, a colon and a value"), error);
          goto fail;
        }
      x->header_name = g_strstrip (g_strndup (header, (gsize) (colon - header)));
      x->header_value = g_strstrip (g_strdup (colon + 1));
    }
  if (fail != NULL)
    {
      for (guint k = FAIL_CONNECT; k < G_N_ELEMENTS (fail_names); k++)
        if (strcmp (fail, fail_names[k]) == 0)
          x->fail = (Fail) k;
      if (x->fail == FAIL_NONE)
        {
          bad_index (index_path, group, _("unknown scripted failure"), error);
          goto fail;
        }
      return x;
    }
  if (response == NULL)
    {
      bad_index (index_path, group, _("neither “response” nor “fail”"), error);
      goto fail;
    }
  {
    g_autofree char *path = g_build_filename (dir, response, NULL);
    if (!load_response (x, path, error))
      goto fail;
  }
  if (body != NULL)
    {
      g_autofree char *path = g_build_filename (dir, body, NULL);
      g_autofree char *data = NULL;
      gsize len = 0;
      if (!g_file_get_contents (path, &data, &len, error))
        goto fail;
      g_bytes_unref (x->body);
      x->body = g_bytes_new_take (g_steal_pointer (&data), len);
    }
  return x;

fail:
  exchange_free (x);
  return NULL;
}

static gboolean
matches (const Exchange       *x,
         const TsyHttpRequest *request,
         const char           *path)
{
  if (g_ascii_strcasecmp (x->method, request->method) != 0 || !g_pattern_match_simple (x->path, path))
    return FALSE;
  if (x->header_name != NULL)
    {
      const char *value = tsy_http_request_get_header (request, x->header_name);
      if (value == NULL || !g_pattern_match_simple (x->header_value, value))
        return FALSE;
    }
  if (x->body_part != NULL)
    {
      gsize len = 0;
      const char *data = request->body ? g_bytes_get_data (request->body, &len) : NULL;
      if (data == NULL || g_strstr_len (data, (gssize) len, x->body_part) == NULL)
        return FALSE;
    }
  return x->max_uses == 0 || x->uses < x->max_uses;
}

static void
set_scripted_error (Fail        fail,
                    const char *url,
                    GError    **error)
{
  g_autofree char *host = host_of (url);

  switch (fail)
    {
    case FAIL_CONNECT:
      g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_NETWORK,
                   /* Translators: %1$s a host, %2$s curl's reason */
                   _("Cannot reach %1$s: %2$s"), host, "Couldn't connect to server");
      break;
    case FAIL_TLS:
      g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_TLS,
                   /* Translators: %1$s a host, %2$s curl's reason */
                   _("The secure connection to %1$s failed: %2$s"), host, "SSL peer certificate or SSH remote key was not OK");
      break;
    case FAIL_TIMEOUT_AFTER_SEND:
      g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_UNKNOWN_OUTCOME,
                   _("%s did not answer in time"), host);
      break;
    case FAIL_DROPPED:
    case FAIL_NONE:
    default:
      g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_UNKNOWN_OUTCOME,
                   /* Translators: %1$s a host, %2$s curl's reason */
                   _("The connection to %1$s broke off: %2$s"), host, "Server returned nothing (no headers, no data)");
      break;
    }
}

static TsyHttpResponse *
replay_perform (TsyHttpTransport     *transport,
                const TsyHttpRequest *request,
                GCancellable         *cancellable,
                GError              **error)
{
  TsyReplayTransport *self = TSY_REPLAY_TRANSPORT (transport);
  g_autofree char *path = tsy_http_request_get_path (request);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  TsyHttpResponse *response;
  Exchange *x = NULL;

  (void) locker;
  self->requests++;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  for (guint i = 0; i < self->exchanges->len && x == NULL; i++)
    if (matches (g_ptr_array_index (self->exchanges, i), request, path))
      x = g_ptr_array_index (self->exchanges, i);
  if (x == NULL)
    {
      const char *msg_id = tsy_http_request_get_header (request, "X-Tsy-Msg-Id");
      g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_IO,
                   /* Translators: %1$s a method, %2$s a path, %3$s a message id or "-", %4$s a folder */
                   _("No recorded exchange matches %1$s %2$s (message %3$s) in %4$s"),
                   request->method, path, msg_id ? msg_id : "-", self->dir);
      return NULL;
    }
  x->uses++;
  g_debug ("replay: %s %s answered by [%s]", request->method, path, x->name);
  if (x->fail != FAIL_NONE)
    {
      set_scripted_error (x->fail, request->url, error);
      return NULL;
    }
  response = tsy_http_response_new (x->status);
  for (guint i = 0; i < x->headers->len; i++)
    g_ptr_array_add (response->headers, g_strdup (g_ptr_array_index (x->headers, i)));
  g_bytes_unref (response->body);
  response->body = g_bytes_ref (x->body);
  response->latency_ms = x->latency_ms;
  return response;
}

static void
replay_iface_init (TsyHttpTransportInterface *iface)
{
  iface->perform = replay_perform;
}

/* ---- The recorder ------------------------------------------------------------------------- */

static const char *
extension_for (const char *content_type)
{
  if (content_type != NULL && strstr (content_type, "xml") != NULL)
    return "xml";
  return "txt";
}

/* "GET /status/M1?x" → "get-status" */
static char *
slug_of (const TsyHttpRequest *request,
         const char           *path)
{
  GString *slug = g_string_new (NULL);
  const char *p = path;

  for (const char *m = request->method; *m; m++)
    g_string_append_c (slug, g_ascii_tolower (*m));
  g_string_append_c (slug, '-');
  while (*p == '/')
    p++;
  for (; *p && *p != '/' && *p != '?'; p++)
    g_string_append_c (slug, g_ascii_isalnum (*p) ? g_ascii_tolower (*p) : '-');
  return g_string_free (slug, FALSE);
}

static void
write_file (const char *dir,
            const char *name,
            const void *data,
            gsize       len)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents (path, data, (gssize) len, &error))
    g_warning ("recording %s: %s", path, error->message);
}

/* Numbers go on from what is in the index (written by this or an earlier recorder). */
static guint
count_exchanges (const char *index_path)
{
  g_autoptr(GKeyFile) index = g_key_file_new ();
  gsize n = 0;
  g_auto(GStrv) groups = NULL;

  if (!g_key_file_load_from_file (index, index_path, G_KEY_FILE_NONE, NULL))
    return 0;
  groups = g_key_file_get_groups (index, &n);
  return (guint) n;
}

static void
record (TsyRecordingTransport *self,
        const TsyHttpRequest  *request,
        const TsyHttpResponse *response,
        const GError          *error,
        guint                  elapsed_ms)
{
  g_autofree char *path = tsy_http_request_get_path (request);
  g_autofree char *slug = slug_of (request, path);
  g_autofree char *index = g_build_filename (self->dir, INDEX_NAME, NULL);
  g_autofree char *name = g_strdup_printf ("%03u-%s", count_exchanges (index) + 1, slug);
  g_autoptr(GKeyFile) group = g_key_file_new ();
  g_autofree char *text = NULL;
  g_autofree char *request_line = g_strdup_printf ("%s %s", request->method, path);
  const char *msg_id = tsy_http_request_get_header (request, "X-Tsy-Msg-Id");
  FILE *out;

  g_key_file_set_string (group, name, "request", request_line);
  if (msg_id != NULL)
    {
      g_autofree char *match = g_strdup_printf ("X-Tsy-Msg-Id: %s", msg_id);
      g_key_file_set_string (group, name, "match-header", match);
    }
  if (request->body != NULL && g_bytes_get_size (request->body) > 0)
    {
      g_autofree char *file = g_strdup_printf ("%s.request.%s", name,
                                               extension_for (tsy_http_request_get_header (request, "Content-Type")));
      write_file (self->dir, file, g_bytes_get_data (request->body, NULL), g_bytes_get_size (request->body));
      g_key_file_set_string (group, name, "request-body", file);
    }
  if (response != NULL)
    {
      g_autofree char *head_file = g_strdup_printf ("%s.http", name);
      g_autofree char *body_file = g_strdup_printf ("%s.%s", name,
                                                    extension_for (tsy_http_response_get_header (response, "Content-Type")));
      GString *head = g_string_new (NULL);

      g_string_append_printf (head, "HTTP/1.1 %u\n", response->status);
      for (guint i = 0; i < response->headers->len; i++)
        g_string_append_printf (head, "%s\n", (const char *) g_ptr_array_index (response->headers, i));
      g_string_append_c (head, '\n');
      write_file (self->dir, head_file, head->str, head->len);
      g_string_free (head, TRUE);
      g_key_file_set_string (group, name, "response", head_file);
      if (g_bytes_get_size (response->body) > 0)
        {
          write_file (self->dir, body_file, g_bytes_get_data (response->body, NULL), g_bytes_get_size (response->body));
          g_key_file_set_string (group, name, "body", body_file);
        }
    }
  else
    {
      Fail fail = FAIL_DROPPED;
      guint timeout_ms = request->timeout_ms ? request->timeout_ms : 60000;

      if (g_error_matches (error, TSY_BANK_ERROR, TSY_BANK_ERROR_NETWORK))
        fail = FAIL_CONNECT;
      else if (g_error_matches (error, TSY_BANK_ERROR, TSY_BANK_ERROR_TLS))
        fail = FAIL_TLS;
      else if (elapsed_ms + 50 >= timeout_ms)
        fail = FAIL_TIMEOUT_AFTER_SEND;
      g_key_file_set_string (group, name, "fail", fail_names[fail]);
      g_key_file_set_comment (group, name, NULL, error ? error->message : "", NULL);
    }
  text = g_key_file_to_data (group, NULL, NULL);
  out = g_fopen (index, "a");
  if (out == NULL)
    {
      g_warning ("recording: cannot append to %s", index);
      return;
    }
  fprintf (out, "\n%s", text);
  fclose (out);
}

static TsyHttpResponse *
recording_perform (TsyHttpTransport     *transport,
                   const TsyHttpRequest *request,
                   GCancellable         *cancellable,
                   GError              **error)
{
  TsyRecordingTransport *self = TSY_RECORDING_TRANSPORT (transport);
  g_autoptr(GError) local = NULL;
  gint64 started = g_get_monotonic_time ();
  TsyHttpResponse *response = tsy_http_transport_perform (self->inner, request, cancellable, &local);
  guint elapsed_ms = (guint) ((g_get_monotonic_time () - started) / 1000);

  if (!g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
      (void) locker;
      record (self, request, response, local, elapsed_ms);
    }
  if (local != NULL)
    g_propagate_error (error, g_steal_pointer (&local));
  return response;
}

static void
recording_iface_init (TsyHttpTransportInterface *iface)
{
  iface->perform = recording_perform;
}

/* ---- Objects ------------------------------------------------------------------------------ */

static void
tsy_replay_transport_finalize (GObject *object)
{
  TsyReplayTransport *self = TSY_REPLAY_TRANSPORT (object);

  g_clear_pointer (&self->exchanges, g_ptr_array_unref);
  g_free (self->dir);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (tsy_replay_transport_parent_class)->finalize (object);
}

static void
tsy_replay_transport_class_init (TsyReplayTransportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tsy_replay_transport_finalize;
}

static void
tsy_replay_transport_init (TsyReplayTransport *self)
{
  g_mutex_init (&self->lock);
  self->exchanges = g_ptr_array_new_with_free_func ((GDestroyNotify) exchange_free);
}

static void
tsy_recording_transport_finalize (GObject *object)
{
  TsyRecordingTransport *self = TSY_RECORDING_TRANSPORT (object);

  g_clear_object (&self->inner);
  g_free (self->dir);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (tsy_recording_transport_parent_class)->finalize (object);
}

static void
tsy_recording_transport_class_init (TsyRecordingTransportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tsy_recording_transport_finalize;
}

static void
tsy_recording_transport_init (TsyRecordingTransport *self)
{
  g_mutex_init (&self->lock);
}

TsyHttpTransport *
tsy_replay_transport_new (const char  *dir,
                          GError     **error)
{
  g_autoptr(TsyReplayTransport) self = NULL;
  g_autoptr(GKeyFile) index = g_key_file_new ();
  g_autofree char *index_path = NULL;
  g_auto(GStrv) groups = NULL;

  g_return_val_if_fail (dir != NULL, NULL);

  index_path = g_build_filename (dir, INDEX_NAME, NULL);
  if (!g_key_file_load_from_file (index, index_path, G_KEY_FILE_NONE, error))
    {
      g_prefix_error (error, "%s: ", index_path);
      return NULL;
    }
  self = g_object_new (TSY_TYPE_REPLAY_TRANSPORT, NULL);
  self->dir = g_strdup (dir);
  groups = g_key_file_get_groups (index, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      Exchange *x = load_exchange (index, index_path, dir, groups[i], error);
      if (x == NULL)
        return NULL;
      g_ptr_array_add (self->exchanges, x);
    }
  return TSY_HTTP_TRANSPORT (g_steal_pointer (&self));
}

guint
tsy_replay_transport_get_uses (TsyHttpTransport *transport,
                               const char       *name)
{
  TsyReplayTransport *self;
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (TSY_IS_REPLAY_TRANSPORT (transport), 0);
  g_return_val_if_fail (name != NULL, 0);

  self = TSY_REPLAY_TRANSPORT (transport);
  locker = g_mutex_locker_new (&self->lock);
  for (guint i = 0; i < self->exchanges->len; i++)
    {
      Exchange *x = g_ptr_array_index (self->exchanges, i);
      if (strcmp (x->name, name) == 0)
        return x->uses;
    }
  g_return_val_if_reached (0);
}

guint
tsy_replay_transport_get_requests (TsyHttpTransport *transport)
{
  TsyReplayTransport *self;
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (TSY_IS_REPLAY_TRANSPORT (transport), 0);

  self = TSY_REPLAY_TRANSPORT (transport);
  locker = g_mutex_locker_new (&self->lock);
  return self->requests;
}

TsyHttpTransport *
tsy_recording_transport_new (TsyHttpTransport *inner,
                             const char       *dir)
{
  TsyRecordingTransport *self;

  g_return_val_if_fail (TSY_IS_HTTP_TRANSPORT (inner), NULL);
  g_return_val_if_fail (dir != NULL, NULL);

  self = g_object_new (TSY_TYPE_RECORDING_TRANSPORT, NULL);
  self->inner = g_object_ref (inner);
  self->dir = g_strdup (dir);
  g_mkdir_with_parents (dir, 0700);
  return TSY_HTTP_TRANSPORT (self);
}
