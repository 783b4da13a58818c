/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The libcurl transport: https only, TLS 1.2 or later, peer and host verification always on
 * (set on every exchange, so nothing can leave them off from an earlier one), only the request's
 * CA trusted (not even the system's), our client certificate for mutual TLS, connect and total
 * time-outs, no proxy, no redirects, cancellation through the transfer callback.
 *
 * What matters most is telling "nothing left us" (connecting or the TLS handshake failed:
 * NETWORK / TLS) from "it may have arrived" (UNKNOWN_OUTCOME): curl says how many bytes of the
 * request it sent, and only the failures of connecting and of the handshake with nothing sent
 * count as the former.
 */
#include <glib/gi18n-lib.h>
#include <curl/curl.h>
#include <string.h>

#include "banks/tsy-bank-error.h"
#include "banks/tsy-curl-util.h"
#include "banks/tsy-http-transport.h"

#define DEFAULT_MAX_ANSWER_BYTES ((gsize) 64 * 1024 * 1024)
#define DEFAULT_CONNECT_TIMEOUT_MS 10000
#define DEFAULT_TIMEOUT_MS 60000

#define TSY_TYPE_CURL_TRANSPORT (tsy_curl_transport_get_type ())
G_DECLARE_FINAL_TYPE (TsyCurlTransport, tsy_curl_transport, TSY, CURL_TRANSPORT, GObject)

struct _TsyCurlTransport
{
  GObject  parent_instance;

  CURL    *curl;              /* kept for connection reuse; one exchange at a time */
  GMutex   lock;
};

static void tsy_curl_transport_iface_init (TsyHttpTransportInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TsyCurlTransport, tsy_curl_transport, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (TSY_TYPE_HTTP_TRANSPORT, tsy_curl_transport_iface_init))

typedef struct
{
  TsyCurlBody   body;
  GPtrArray    *headers;      /* of the last answer's head */
} Exchange;

static size_t
on_header_cb (char   *data,
              size_t  size,
              size_t  n,
              void   *user_data)
{
  Exchange *x = user_data;
  size_t len = size * n;
  g_autofree char *line = g_strndup (data, len);

  g_strchomp (line);
  /* A new status line starts a new head (after a 100 Continue): keep the final answer's. */
  if (g_str_has_prefix (line, "HTTP/"))
    g_ptr_array_set_size (x->headers, 0);
  else if (strchr (line, ':') != NULL)
    g_ptr_array_add (x->headers, g_steal_pointer (&line));
  return len;
}

static char *
host_of (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  return g_strdup (uri && g_uri_get_host (uri) ? g_uri_get_host (uri) : "?");
}

static gboolean
is_tls_error (CURLcode code)
{
  return code == CURLE_SSL_CONNECT_ERROR || code == CURLE_PEER_FAILED_VERIFICATION ||
         code == CURLE_SSL_CERTPROBLEM || code == CURLE_SSL_CIPHER || code == CURLE_SSL_CACERT_BADFILE ||
         code == CURLE_SSL_ISSUER_ERROR || code == CURLE_SSL_PINNEDPUBKEYNOTMATCH ||
         code == CURLE_SSL_INVALIDCERTSTATUS;
}

/* Errors before any byte of the request left: connecting or the TLS handshake. A time-out is
 * not one of them even while connecting: curl does not say precisely enough where it struck. */
static gboolean
failed_before_sending (CURLcode code,
                       gboolean request_sent)
{
  if (request_sent)
    return FALSE;
  return code == CURLE_COULDNT_RESOLVE_HOST || code == CURLE_COULDNT_CONNECT || is_tls_error (code);
}

static void
set_error (CURLcode     code,
           gboolean     request_sent,
           gboolean     too_big,
           const char  *url,
           GError     **error)
{
  g_autofree char *host = host_of (url);
  const char *reason = curl_easy_strerror (code);

  if (code == CURLE_ABORTED_BY_CALLBACK)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
  else if (failed_before_sending (code, request_sent) && is_tls_error (code))
    g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_TLS,
                 /* Translators: %1$s a host, %2$s curl's reason */
                 _("The secure connection to %1$s failed: %2$s"), host, reason);
  else if (failed_before_sending (code, request_sent))
    g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_NETWORK,
                 /* Translators: %1$s a host, %2$s curl's reason */
                 _("Cannot reach %1$s: %2$s"), host, reason);
  else if (too_big)
    g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_UNKNOWN_OUTCOME,
                 _("The answer of %s is too large"), host);
  else if (code == CURLE_OPERATION_TIMEDOUT)
    g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_UNKNOWN_OUTCOME,
                 _("%s did not answer in time"), host);
  else
    g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_UNKNOWN_OUTCOME,
                 /* Translators: %1$s a host, %2$s curl's reason */
                 _("The connection to %1$s broke off: %2$s"), host, reason);
}

static struct curl_slist *
make_header_list (const TsyHttpRequest *request)
{
  struct curl_slist *list = NULL;

  for (guint i = 0; i < request->headers->len; i++)
    list = curl_slist_append (list, g_ptr_array_index (request->headers, i));
  /* No "Expect: 100-continue" round trip before a POST body. */
  if (tsy_http_request_get_header (request, "Expect") == NULL)
    list = curl_slist_append (list, "Expect:");
  return list;
}

static TsyHttpResponse *
perform (TsyHttpTransport     *transport,
         const TsyHttpRequest *request,
         GCancellable         *cancellable,
         GError              **error)
{
  TsyCurlTransport *self = TSY_CURL_TRANSPORT (transport);
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GPtrArray) headers = g_ptr_array_new_with_free_func (g_free);
  Exchange x = { .headers = headers,
                 .body = { .bytes = g_byte_array_new (),
                           .max_bytes = request->max_answer_bytes ? request->max_answer_bytes : DEFAULT_MAX_ANSWER_BYTES } };
  g_autoptr(GBytes) answer = NULL;
  struct curl_slist *list = NULL;
  char errbuf[CURL_ERROR_SIZE] = "";
  curl_off_t sent = 0;
  curl_off_t total_us = 0;
  long request_size = 0;
  long http_status = 0;
  gboolean request_sent;
  TsyHttpResponse *response;
  CURLcode code;
  CURL *c;

  if (self->curl == NULL)
    {
      g_byte_array_unref (x.body.bytes);
      g_set_error_literal (error, TSY_BANK_ERROR, TSY_BANK_ERROR_NETWORK, _("Cannot start a network session"));
      return NULL;
    }
  if (request->ca_file == NULL)
    {
      g_autofree char *host = host_of (request->url);
      g_byte_array_unref (x.body.bytes);
      /* Never fall back to the system's CAs: the bank's CA is pinned or nothing is trusted. */
      g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_TLS,
                   _("No certificate authority is pinned for %s"), host);
      return NULL;
    }

  locker = g_mutex_locker_new (&self->lock);
  (void) locker;        /* held until the function returns: one exchange at a time on the handle */
  c = self->curl;
  list = make_header_list (request);
  curl_easy_reset (c);
  curl_easy_setopt (c, CURLOPT_URL, request->url);
  curl_easy_setopt (c, CURLOPT_PROTOCOLS_STR, "https");
  curl_easy_setopt (c, CURLOPT_REDIR_PROTOCOLS_STR, "https");
  curl_easy_setopt (c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt (c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt (c, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt (c, CURLOPT_SSLVERSION, (long) CURL_SSLVERSION_TLSv1_2);
  curl_easy_setopt (c, CURLOPT_CAINFO, request->ca_file);
  curl_easy_setopt (c, CURLOPT_CAPATH, NULL);
  if (request->cert_file != NULL)
    {
      curl_easy_setopt (c, CURLOPT_SSLCERT, request->cert_file);
      curl_easy_setopt (c, CURLOPT_SSLCERTTYPE, "PEM");
    }
  if (request->key_file != NULL)
    {
      curl_easy_setopt (c, CURLOPT_SSLKEY, request->key_file);
      curl_easy_setopt (c, CURLOPT_SSLKEYTYPE, "PEM");
    }
  curl_easy_setopt (c, CURLOPT_CONNECTTIMEOUT_MS,
                    (long) (request->connect_timeout_ms ? request->connect_timeout_ms : DEFAULT_CONNECT_TIMEOUT_MS));
  curl_easy_setopt (c, CURLOPT_TIMEOUT_MS, (long) (request->timeout_ms ? request->timeout_ms : DEFAULT_TIMEOUT_MS));
  curl_easy_setopt (c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (c, CURLOPT_NOPROXY, "*");
  curl_easy_setopt (c, CURLOPT_USERAGENT, "TreasuryDesk");
  tsy_curl_set_body (c, &x.body);
  curl_easy_setopt (c, CURLOPT_HEADERFUNCTION, on_header_cb);
  curl_easy_setopt (c, CURLOPT_HEADERDATA, &x);
  tsy_curl_set_cancellable (c, cancellable);
  curl_easy_setopt (c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt (c, CURLOPT_HTTPHEADER, list);
  if (g_ascii_strcasecmp (request->method, "POST") == 0)
    {
      gsize len = 0;
      gconstpointer data = request->body ? g_bytes_get_data (request->body, &len) : "";
      curl_easy_setopt (c, CURLOPT_POST, 1L);
      curl_easy_setopt (c, CURLOPT_POSTFIELDS, data);
      curl_easy_setopt (c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) len);
    }
  else
    curl_easy_setopt (c, CURLOPT_HTTPGET, 1L);

  code = curl_easy_perform (c);
  curl_easy_getinfo (c, CURLINFO_RESPONSE_CODE, &http_status);
  curl_easy_getinfo (c, CURLINFO_SIZE_UPLOAD_T, &sent);
  curl_easy_getinfo (c, CURLINFO_REQUEST_SIZE, &request_size);
  curl_easy_getinfo (c, CURLINFO_TOTAL_TIME_T, &total_us);
  request_sent = request_size > 0 || sent > 0;
  /* The handle must not keep pointers into this exchange. */
  curl_easy_setopt (c, CURLOPT_HTTPHEADER, NULL);
  curl_easy_setopt (c, CURLOPT_ERRORBUFFER, NULL);
  curl_slist_free_all (list);
  answer = g_byte_array_free_to_bytes (x.body.bytes);

  if (code != CURLE_OK || x.body.too_big)
    {
      g_debug ("%s %s: curl %d (%s), request sent: %s", request->method, request->url, code,
               *errbuf ? errbuf : curl_easy_strerror (code), request_sent ? "yes" : "no");
      set_error (code, request_sent, x.body.too_big, request->url, error);
      return NULL;
    }
  response = tsy_http_response_new ((guint) http_status);
  g_ptr_array_extend_and_steal (response->headers, g_steal_pointer (&headers));
  g_bytes_unref (response->body);
  response->body = g_steal_pointer (&answer);
  response->latency_ms = (guint) MIN (total_us / 1000, (curl_off_t) G_MAXUINT);
  return response;
}

static void
tsy_curl_transport_iface_init (TsyHttpTransportInterface *iface)
{
  iface->perform = perform;
}

static void
tsy_curl_transport_finalize (GObject *object)
{
  TsyCurlTransport *self = TSY_CURL_TRANSPORT (object);

  g_clear_pointer (&self->curl, curl_easy_cleanup);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (tsy_curl_transport_parent_class)->finalize (object);
}

static void
tsy_curl_transport_class_init (TsyCurlTransportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tsy_curl_transport_finalize;
}

static void
tsy_curl_transport_init (TsyCurlTransport *self)
{
  g_mutex_init (&self->lock);
}

TsyHttpTransport *
tsy_curl_transport_new (void)
{
  TsyCurlTransport *self;

  tsy_curl_global_init ();
  self = g_object_new (TSY_TYPE_CURL_TRANSPORT, NULL);
  /* NULL only when out of memory; every exchange then fails as "not sent". */
  self->curl = curl_easy_init ();
  return TSY_HTTP_TRANSPORT (self);
}
