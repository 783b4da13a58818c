/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Host-to-host over HTTPS with libcurl: mutual TLS (our client certificate), the bank's CA
 * pinned (nothing else is trusted, not even the system's CAs), peer and host verification always
 * on, connect and total time-outs, cancellation through the transfer callback, retries with
 * backoff only where a retry cannot duplicate anything.
 *
 * The bank's API (as treasury-banksim serves it):
 *   POST {url}/pain001                   body: pain.001; header X-Tsy-Signature: base64 of our
 *                                        ECDSA signature of the body's SHA-256 with the client
 *                                        certificate's key
 *        200 pain.002 (done) · 202 (taken, no answer yet) · 409 pain.002 (a repeated MsgId:
 *        the first one's status) · 4xx refused · 5xx unknown
 *   GET  {url}/status/{MsgId}            200 pain.002 · 202 not yet · 404 + X-Tsy-Unknown-Message
 *   GET  {url}/statements/{account}?date=YYYY-MM-DD&type=camt.053|camt.052
 */
#include <glib/gi18n-lib.h>
#include <curl/curl.h>
#include <string.h>

#include "banks/tsy-bank-connector.h"
#include "banks/tsy-bank-error.h"
#include "banks/tsy-crypto.h"

#define MAX_ANSWER_BYTES (64 * 1024 * 1024)
#define MAX_ATTEMPTS 3
#define FIRST_BACKOFF_MS 250

#define TSY_TYPE_HTTPS_CONNECTOR (tsy_https_connector_get_type ())
G_DECLARE_FINAL_TYPE (TsyHttpsConnector, tsy_https_connector, TSY, HTTPS_CONNECTOR, GObject)

struct _TsyHttpsConnector
{
  GObject  parent_instance;

  char    *base_url;          /* without a trailing '/' */
  char    *cert_file;
  char    *key_file;
  char    *ca_file;
  guint    connect_timeout_ms;
  guint    timeout_ms;
  TsyKey  *sign_key;          /* the client certificate's key: signs what we send */
  CURL    *curl;              /* kept for connection reuse; one thread at a time */
  GMutex   lock;
};

static void tsy_https_connector_iface_init (TsyBankConnectorInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TsyHttpsConnector, tsy_https_connector, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (TSY_TYPE_BANK_CONNECTOR, tsy_https_connector_iface_init))

typedef struct
{
  GByteArray   *body;
  gboolean      too_big;
  gboolean      unknown_message;   /* X-Tsy-Unknown-Message: the bank says it never got it */
  GCancellable *cancellable;
} Exchange;

typedef struct
{
  long     http_status;
  CURLcode code;
  gboolean request_sent;          /* bytes of the request left us */
} Outcome;

static size_t
on_body_cb (char   *data,
            size_t  size,
            size_t  n,
            void   *user_data)
{
  Exchange *x = user_data;
  size_t len = size * n;

  if (x->body->len + len > MAX_ANSWER_BYTES)
    {
      x->too_big = TRUE;
      return 0;
    }
  g_byte_array_append (x->body, (const guint8 *) data, (guint) len);
  return len;
}

static size_t
on_header_cb (char   *data,
              size_t  size,
              size_t  n,
              void   *user_data)
{
  Exchange *x = user_data;
  size_t len = size * n;

  if (len >= 22 && g_ascii_strncasecmp (data, "X-Tsy-Unknown-Message:", 22) == 0)
    x->unknown_message = TRUE;
  return len;
}

static int
on_progress_cb (void      *user_data,
                curl_off_t dltotal,
                curl_off_t dlnow,
                curl_off_t ultotal,
                curl_off_t ulnow)
{
  Exchange *x = user_data;

  return g_cancellable_is_cancelled (x->cancellable) ? 1 : 0;
}

static void
ensure_curl_global (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      curl_global_init (CURL_GLOBAL_DEFAULT);
      g_once_init_leave (&done, 1);
    }
}

/* One HTTP exchange. TLS verification is set explicitly on every request: nothing can leave it
 * off from an earlier one. */
static Outcome
perform (TsyHttpsConnector  *self,
         const char         *method,
         const char         *url,
         GBytes             *body,
         struct curl_slist  *headers,
         Exchange           *x)
{
  Outcome o = { 0 };
  curl_off_t sent = 0;
  char errbuf[CURL_ERROR_SIZE] = "";
  CURL *c = self->curl;

  curl_easy_reset (c);
  curl_easy_setopt (c, CURLOPT_URL, url);
  curl_easy_setopt (c, CURLOPT_PROTOCOLS_STR, "https");
  curl_easy_setopt (c, CURLOPT_REDIR_PROTOCOLS_STR, "https");
  curl_easy_setopt (c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt (c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt (c, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt (c, CURLOPT_SSLVERSION, (long) CURL_SSLVERSION_TLSv1_2);
  curl_easy_setopt (c, CURLOPT_CAINFO, self->ca_file);
  curl_easy_setopt (c, CURLOPT_CAPATH, NULL);
  curl_easy_setopt (c, CURLOPT_SSLCERT, self->cert_file);
  curl_easy_setopt (c, CURLOPT_SSLCERTTYPE, "PEM");
  curl_easy_setopt (c, CURLOPT_SSLKEY, self->key_file);
  curl_easy_setopt (c, CURLOPT_SSLKEYTYPE, "PEM");
  curl_easy_setopt (c, CURLOPT_CONNECTTIMEOUT_MS, (long) self->connect_timeout_ms);
  curl_easy_setopt (c, CURLOPT_TIMEOUT_MS, (long) self->timeout_ms);
  curl_easy_setopt (c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (c, CURLOPT_NOPROXY, "*");
  curl_easy_setopt (c, CURLOPT_USERAGENT, "TreasuryDesk");
  curl_easy_setopt (c, CURLOPT_WRITEFUNCTION, on_body_cb);
  curl_easy_setopt (c, CURLOPT_WRITEDATA, x);
  curl_easy_setopt (c, CURLOPT_HEADERFUNCTION, on_header_cb);
  curl_easy_setopt (c, CURLOPT_HEADERDATA, x);
  curl_easy_setopt (c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt (c, CURLOPT_XFERINFOFUNCTION, on_progress_cb);
  curl_easy_setopt (c, CURLOPT_XFERINFODATA, x);
  curl_easy_setopt (c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt (c, CURLOPT_HTTPHEADER, headers);
  if (strcmp (method, "POST") == 0)
    {
      gsize len = 0;
      gconstpointer data = g_bytes_get_data (body, &len);
      curl_easy_setopt (c, CURLOPT_POST, 1L);
      curl_easy_setopt (c, CURLOPT_POSTFIELDS, data);
      curl_easy_setopt (c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) len);
    }
  else
    curl_easy_setopt (c, CURLOPT_HTTPGET, 1L);

  o.code = curl_easy_perform (c);
  curl_easy_getinfo (c, CURLINFO_RESPONSE_CODE, &o.http_status);
  curl_easy_getinfo (c, CURLINFO_SIZE_UPLOAD_T, &sent);
  {
    long request_size = 0;
    curl_easy_getinfo (c, CURLINFO_REQUEST_SIZE, &request_size);
    o.request_sent = request_size > 0 || sent > 0;
  }
  if (o.code != CURLE_OK)
    g_debug ("%s %s: curl %d (%s), request sent: %s", method, url, o.code,
             *errbuf ? errbuf : curl_easy_strerror (o.code), o.request_sent ? "yes" : "no");
  /* The handle must not keep pointers into this exchange. */
  curl_easy_setopt (c, CURLOPT_HTTPHEADER, NULL);
  curl_easy_setopt (c, CURLOPT_ERRORBUFFER, NULL);
  return o;
}

/* Errors before any byte of the request left: connecting or the TLS handshake. */
static gboolean
failed_before_sending (const Outcome *o)
{
  if (o->request_sent)
    return FALSE;
  switch (o->code)
    {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
is_tls_error (CURLcode code)
{
  return code == CURLE_SSL_CONNECT_ERROR || code == CURLE_PEER_FAILED_VERIFICATION ||
         code == CURLE_SSL_CERTPROBLEM || code == CURLE_SSL_CIPHER || code == CURLE_SSL_CACERT_BADFILE ||
         code == CURLE_SSL_ISSUER_ERROR || code == CURLE_SSL_PINNEDPUBKEYNOTMATCH ||
         code == CURLE_SSL_INVALIDCERTSTATUS;
}

static void
set_transport_error (const Outcome *o,
                     const char    *host,
                     GError       **error)
{
  if (o->code == CURLE_ABORTED_BY_CALLBACK)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
  else if (is_tls_error (o->code))
    g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_TLS,
                 /* Translators: %1$s a host, %2$s curl's reason */
                 _("The secure connection to %1$s failed: %2$s"), host, curl_easy_strerror (o->code));
  else if (o->code == CURLE_OPERATION_TIMEDOUT)
    g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_NETWORK,
                 _("%s did not answer in time"), host);
  else
    g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_NETWORK,
                 /* Translators: %1$s a host, %2$s curl's reason */
                 _("Cannot reach %1$s: %2$s"), host, curl_easy_strerror (o->code));
}

static char *
host_of (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  return g_strdup (uri && g_uri_get_host (uri) ? g_uri_get_host (uri) : "?");
}

static void
backoff (guint           attempt,
         GCancellable   *cancellable)
{
  guint ms = FIRST_BACKOFF_MS << attempt;

  for (guint waited = 0; waited < ms && !g_cancellable_is_cancelled (cancellable); waited += 50)
    g_usleep (50 * 1000);
}

static gboolean
send_payment (TsyBankConnector *connector,
              const char       *msg_id,
              GBytes           *document,
              GBytes          **out_status,
              GCancellable     *cancellable,
              GError          **error)
{
  TsyHttpsConnector *self = TSY_HTTPS_CONNECTOR (connector);
  g_autofree char *url = g_strconcat (self->base_url, "/pain001", NULL);
  g_autofree char *host = host_of (self->base_url);
  g_autoptr(GBytes) signature = NULL;
  g_autofree char *sig64 = NULL;
  g_autofree char *sig_header = NULL;
  g_autofree char *id_header = g_strdup_printf ("X-Tsy-Msg-Id: %s", msg_id);
  struct curl_slist *headers = NULL;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  gboolean ok = FALSE;

  (void) locker;      /* held until the function returns: one exchange at a time on the handle */
  signature = tsy_key_sign_data (self->sign_key, document, error);
  if (signature == NULL)
    return FALSE;
  sig64 = g_base64_encode (g_bytes_get_data (signature, NULL), g_bytes_get_size (signature));
  sig_header = g_strdup_printf ("X-Tsy-Signature: %s", sig64);
  headers = curl_slist_append (headers, "Content-Type: application/xml; charset=utf-8");
  headers = curl_slist_append (headers, "Expect:");
  headers = curl_slist_append (headers, id_header);
  headers = curl_slist_append (headers, sig_header);

  for (guint attempt = 0; attempt < MAX_ATTEMPTS; attempt++)
    {
      Exchange x = { .body = g_byte_array_new (), .cancellable = cancellable };
      Outcome o = perform (self, "POST", url, document, headers, &x);
      g_autoptr(GBytes) answer = g_byte_array_free_to_bytes (x.body);

      if (o.code == CURLE_OK && !x.too_big)
        {
          if (o.http_status == 200 || o.http_status == 409 || (o.http_status == 202 && g_bytes_get_size (answer) > 0))
            {
              *out_status = g_steal_pointer (&answer);
              ok = TRUE;
            }
          else if (o.http_status == 202)
            ok = TRUE;
          else if (o.http_status >= 400 && o.http_status < 500)
            {
              /* The bank read it and said no; its pain.002, if any, explains. */
              if (g_bytes_get_size (answer) > 0)
                *out_status = g_steal_pointer (&answer);
              g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_REFUSED,
                           /* Translators: %1$s a host, %2$ld an HTTP status */
                           _("%1$s refused the payment file (HTTP %2$ld)"), host, o.http_status);
            }
          else
            g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_UNKNOWN_OUTCOME,
                         /* Translators: %1$s a host, %2$ld an HTTP status */
                         _("%1$s failed while taking the payment file (HTTP %2$ld); its status will be asked"),
                         host, o.http_status);
          break;
        }
      if (failed_before_sending (&o) && attempt + 1 < MAX_ATTEMPTS &&
          !g_cancellable_is_cancelled (cancellable))
        {
          /* Nothing left us: trying again cannot duplicate anything. */
          backoff (attempt, cancellable);
          continue;
        }
      if (failed_before_sending (&o))
        set_transport_error (&o, host, error);
      else
        g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_UNKNOWN_OUTCOME,
                     /* Translators: %1$s a host, %2$s curl's reason */
                     _("The answer of %1$s to the payment file was lost (%2$s); its status will be asked"),
                     host, x.too_big ? "too large" : curl_easy_strerror (o.code));
      break;
    }
  curl_slist_free_all (headers);
  return ok;
}

/* GET with retries: asking twice changes nothing at the bank. */
static gboolean
get_with_retries (TsyHttpsConnector *self,
                  const char        *url,
                  long              *out_status,
                  gboolean          *out_unknown,
                  GBytes           **out_body,
                  GCancellable      *cancellable,
                  GError           **error)
{
  g_autofree char *host = host_of (self->base_url);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  struct curl_slist *headers = curl_slist_append (NULL, "Accept: application/xml");
  gboolean ok = FALSE;

  (void) locker;

  for (guint attempt = 0; attempt < MAX_ATTEMPTS; attempt++)
    {
      Exchange x = { .body = g_byte_array_new (), .cancellable = cancellable };
      Outcome o = perform (self, "GET", url, NULL, headers, &x);
      g_autoptr(GBytes) answer = g_byte_array_free_to_bytes (x.body);
      gboolean last = attempt + 1 >= MAX_ATTEMPTS || g_cancellable_is_cancelled (cancellable);

      if (o.code == CURLE_OK && !x.too_big && o.http_status < 500)
        {
          *out_status = o.http_status;
          *out_unknown = x.unknown_message;
          *out_body = g_steal_pointer (&answer);
          ok = TRUE;
          break;
        }
      if (!last && o.code != CURLE_ABORTED_BY_CALLBACK)
        {
          backoff (attempt, cancellable);
          continue;
        }
      if (o.code == CURLE_OK)
        g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_NETWORK,
                     _("%1$s failed (HTTP %2$ld)"), host, o.http_status);
      else
        set_transport_error (&o, host, error);
      break;
    }
  curl_slist_free_all (headers);
  return ok;
}

static gboolean
fetch_status (TsyBankConnector *connector,
              const char       *msg_id,
              TsyStatusLookup  *out_lookup,
              GBytes          **out_status,
              GCancellable     *cancellable,
              GError          **error)
{
  TsyHttpsConnector *self = TSY_HTTPS_CONNECTOR (connector);
  g_autofree char *escaped = g_uri_escape_string (msg_id, NULL, FALSE);
  g_autofree char *url = g_strconcat (self->base_url, "/status/", escaped, NULL);
  g_autoptr(GBytes) body = NULL;
  gboolean unknown = FALSE;
  long status = 0;

  if (!get_with_retries (self, url, &status, &unknown, &body, cancellable, error))
    return FALSE;
  if (status == 200 && g_bytes_get_size (body) > 0)
    {
      *out_lookup = TSY_STATUS_FOUND;
      *out_status = g_steal_pointer (&body);
      return TRUE;
    }
  if (status == 202)
    {
      *out_lookup = TSY_STATUS_NOT_YET;
      return TRUE;
    }
  /* "Never received" only when the bank says exactly that; a bare 404 (a wrong URL, a proxy)
   * proves nothing. */
  if (status == 404 && unknown)
    {
      *out_lookup = TSY_STATUS_NEVER_RECEIVED;
      return TRUE;
    }
  g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_NETWORK,
               _("Unexpected answer to a status request (HTTP %ld)"), status);
  return FALSE;
}

static GBytes *
fetch_statement (TsyBankConnector *connector,
                 const char       *account,
                 TsyStatementKind  kind,
                 TsyDate           date,
                 GCancellable     *cancellable,
                 GError          **error)
{
  TsyHttpsConnector *self = TSY_HTTPS_CONNECTOR (connector);
  g_autofree char *escaped = g_uri_escape_string (account, NULL, FALSE);
  g_autofree char *day = tsy_date_to_iso (date);
  g_autofree char *url = g_strdup_printf ("%s/statements/%s?date=%s&type=%s", self->base_url, escaped, day,
                                          kind == TSY_STATEMENT_KIND_INTRADAY ? "camt.052" : "camt.053");
  g_autoptr(GBytes) body = NULL;
  gboolean unknown = FALSE;
  long status = 0;

  if (!get_with_retries (self, url, &status, &unknown, &body, cancellable, error))
    return NULL;
  if (status != 200 || g_bytes_get_size (body) == 0)
    {
      g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_REFUSED,
                   _("The bank has no statement for this account and day (HTTP %ld)"), status);
      return NULL;
    }
  return g_steal_pointer (&body);
}

static TsyConnectorCaps
get_capabilities (TsyBankConnector *connector)
{
  return TSY_CONNECTOR_SEND_PAYMENTS | TSY_CONNECTOR_PAYMENT_STATUS | TSY_CONNECTOR_STATEMENTS |
         TSY_CONNECTOR_INTRADAY;
}

static void
tsy_https_connector_iface_init (TsyBankConnectorInterface *iface)
{
  iface->get_capabilities = get_capabilities;
  iface->send_payment = send_payment;
  iface->fetch_status = fetch_status;
  iface->fetch_statement = fetch_statement;
}

static void
tsy_https_connector_finalize (GObject *object)
{
  TsyHttpsConnector *self = TSY_HTTPS_CONNECTOR (object);

  g_clear_pointer (&self->curl, curl_easy_cleanup);
  g_clear_pointer (&self->sign_key, tsy_key_free);
  g_free (self->base_url);
  g_free (self->cert_file);
  g_free (self->key_file);
  g_free (self->ca_file);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (tsy_https_connector_parent_class)->finalize (object);
}

static void
tsy_https_connector_class_init (TsyHttpsConnectorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tsy_https_connector_finalize;
}

static void
tsy_https_connector_init (TsyHttpsConnector *self)
{
  g_mutex_init (&self->lock);
}

TsyBankConnector *
tsy_https_connector_new (const TsyBankChannel *channel,
                         GError              **error)
{
  g_autoptr(TsyHttpsConnector) self = NULL;

  g_return_val_if_fail (channel != NULL, NULL);

  if (!g_str_has_prefix (channel->url, "https://") || channel->cert_file == NULL ||
      channel->key_file == NULL || channel->ca_file == NULL)
    {
      g_set_error_literal (error, TSY_BANK_ERROR, TSY_BANK_ERROR_TLS,
                           _("An https channel needs an https:// URL, a client certificate, its key and the bank's CA"));
      return NULL;
    }
  for (const char *const *f = (const char *const[]) { channel->cert_file, channel->key_file, channel->ca_file, NULL }; *f; f++)
    if (!g_file_test (*f, G_FILE_TEST_IS_REGULAR))
      {
        g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_TLS, _("Cannot read “%s”"), *f);
        return NULL;
      }
  ensure_curl_global ();
  self = g_object_new (TSY_TYPE_HTTPS_CONNECTOR, NULL);
  self->base_url = g_strdup (channel->url);
  while (g_str_has_suffix (self->base_url, "/"))
    self->base_url[strlen (self->base_url) - 1] = '\0';
  self->cert_file = g_strdup (channel->cert_file);
  self->key_file = g_strdup (channel->key_file);
  self->ca_file = g_strdup (channel->ca_file);
  self->connect_timeout_ms = channel->connect_timeout_ms ? channel->connect_timeout_ms : 10000;
  self->timeout_ms = channel->timeout_ms ? channel->timeout_ms : 60000;
  self->sign_key = tsy_key_load_pem_file (channel->key_file, NULL, error);
  if (self->sign_key == NULL)
    return NULL;
  self->curl = curl_easy_init ();
  if (self->curl == NULL)
    {
      g_set_error_literal (error, TSY_BANK_ERROR, TSY_BANK_ERROR_NETWORK, _("Cannot start a network session"));
      return NULL;
    }
  return TSY_BANK_CONNECTOR (g_steal_pointer (&self));
}
