/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Host-to-host over HTTPS through a TsyHttpTransport (libcurl in production: mutual TLS with our
 * client certificate, the bank's CA pinned, peer and host verification always on, connect and
 * total time-outs, cancellation; a replay of recorded exchanges in tests). This file decides
 * what an exchange means: retries with backoff only where a retry cannot duplicate anything,
 * and NETWORK / TLS (certainly not delivered) apart from UNKNOWN_OUTCOME (ask, never resend) as
 * the transport reports them.
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
#include <string.h>

#include "banks/https/tsy-https-connector-private.h"
#include "banks/tsy-bank-error.h"
#include "banks/tsy-crypto.h"

#define MAX_ATTEMPTS 3
#define FIRST_BACKOFF_MS 250

#define TSY_TYPE_HTTPS_CONNECTOR (tsy_https_connector_get_type ())
G_DECLARE_FINAL_TYPE (TsyHttpsConnector, tsy_https_connector, TSY, HTTPS_CONNECTOR, GObject)

struct _TsyHttpsConnector
{
  GObject           parent_instance;

  char             *base_url;          /* without a trailing '/' */
  char             *cert_file;
  char             *key_file;
  char             *ca_file;
  guint             connect_timeout_ms;
  guint             timeout_ms;
  TsyKey           *sign_key;          /* the client certificate's key: signs what we send */
  TsyHttpTransport *transport;
};

static void tsy_https_connector_iface_init (TsyBankConnectorInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TsyHttpsConnector, tsy_https_connector, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (TSY_TYPE_BANK_CONNECTOR, tsy_https_connector_iface_init))

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

/* A request with the channel's TLS material and time-outs. */
static TsyHttpRequest *
new_request (TsyHttpsConnector *self,
             const char        *method,
             const char        *url)
{
  TsyHttpRequest *request = tsy_http_request_new (method, url);

  request->cert_file = g_strdup (self->cert_file);
  request->key_file = g_strdup (self->key_file);
  request->ca_file = g_strdup (self->ca_file);
  request->connect_timeout_ms = self->connect_timeout_ms;
  request->timeout_ms = self->timeout_ms;
  return request;
}

/* Nothing of the request left us: trying again cannot duplicate anything. */
static gboolean
not_sent (const GError *error)
{
  return g_error_matches (error, TSY_BANK_ERROR, TSY_BANK_ERROR_NETWORK) ||
         g_error_matches (error, TSY_BANK_ERROR, TSY_BANK_ERROR_TLS);
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
  g_autoptr(TsyHttpRequest) request = new_request (self, "POST", url);
  g_autoptr(GBytes) signature = NULL;
  g_autofree char *sig64 = NULL;
  gboolean ok = FALSE;

  signature = tsy_key_sign_data (self->sign_key, document, error);
  if (signature == NULL)
    return FALSE;
  sig64 = g_base64_encode (g_bytes_get_data (signature, NULL), g_bytes_get_size (signature));
  tsy_http_request_add_header (request, "Content-Type", "application/xml; charset=utf-8");
  tsy_http_request_add_header (request, "X-Tsy-Msg-Id", msg_id);
  tsy_http_request_add_header (request, "X-Tsy-Signature", sig64);
  request->body = g_bytes_ref (document);

  for (guint attempt = 0; attempt < MAX_ATTEMPTS; attempt++)
    {
      g_autoptr(GError) local = NULL;
      g_autoptr(TsyHttpResponse) response = tsy_http_transport_perform (self->transport, request, cancellable, &local);

      if (response != NULL)
        {
          guint status = response->status;
          gsize size = g_bytes_get_size (response->body);

          if (status == 200 || status == 409 || (status == 202 && size > 0))
            {
              *out_status = g_bytes_ref (response->body);
              ok = TRUE;
            }
          else if (status == 202)
            ok = TRUE;
          else if (status >= 400 && status < 500)
            {
              /* The bank read it and said no; its pain.002, if any, explains. */
              if (size > 0)
                *out_status = g_bytes_ref (response->body);
              g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_REFUSED,
                           /* Translators: %1$s a host, %2$ld an HTTP status */
                           _("%1$s refused the payment file (HTTP %2$ld)"), host, (long) status);
            }
          else
            g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_UNKNOWN_OUTCOME,
                         /* Translators: %1$s a host, %2$ld an HTTP status */
                         _("%1$s failed while taking the payment file (HTTP %2$ld); its status will be asked"),
                         host, (long) status);
          break;
        }
      if (not_sent (local) && attempt + 1 < MAX_ATTEMPTS && !g_cancellable_is_cancelled (cancellable))
        {
          backoff (attempt, cancellable);
          continue;
        }
      if (not_sent (local))
        g_propagate_error (error, g_steal_pointer (&local));
      else
        /* A time-out, a dropped connection, a cancellation in the middle: it may be there. */
        g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_UNKNOWN_OUTCOME,
                     /* Translators: %1$s a host, %2$s the reason */
                     _("The answer of %1$s to the payment file was lost (%2$s); its status will be asked"),
                     host, local->message);
      break;
    }
  return ok;
}

/* GET with retries: asking twice changes nothing at the bank. */
static TsyHttpResponse *
get_with_retries (TsyHttpsConnector *self,
                  const char        *url,
                  GCancellable      *cancellable,
                  GError           **error)
{
  g_autofree char *host = host_of (self->base_url);
  g_autoptr(TsyHttpRequest) request = new_request (self, "GET", url);

  tsy_http_request_add_header (request, "Accept", "application/xml");
  for (guint attempt = 0; attempt < MAX_ATTEMPTS; attempt++)
    {
      g_autoptr(GError) local = NULL;
      g_autoptr(TsyHttpResponse) response = tsy_http_transport_perform (self->transport, request, cancellable, &local);
      gboolean last = attempt + 1 >= MAX_ATTEMPTS || g_cancellable_is_cancelled (cancellable);

      if (response != NULL && response->status < 500)
        return g_steal_pointer (&response);
      if (!last && !g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          backoff (attempt, cancellable);
          continue;
        }
      if (response != NULL)
        g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_NETWORK,
                     _("%1$s failed (HTTP %2$ld)"), host, (long) response->status);
      else if (g_error_matches (local, TSY_BANK_ERROR, TSY_BANK_ERROR_UNKNOWN_OUTCOME))
        /* Nothing was asked to change: a lost answer to a question is a network failure. */
        g_set_error_literal (error, TSY_BANK_ERROR, TSY_BANK_ERROR_NETWORK, local->message);
      else
        g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  g_assert_not_reached ();
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
  g_autoptr(TsyHttpResponse) response = get_with_retries (self, url, cancellable, error);
  guint status;

  if (response == NULL)
    return FALSE;
  status = response->status;
  if (status == 200 && g_bytes_get_size (response->body) > 0)
    {
      *out_lookup = TSY_STATUS_FOUND;
      *out_status = g_bytes_ref (response->body);
      return TRUE;
    }
  if (status == 202)
    {
      *out_lookup = TSY_STATUS_NOT_YET;
      return TRUE;
    }
  /* "Never received" only when the bank says exactly that; a bare 404 (a wrong URL, a proxy)
   * proves nothing. */
  if (status == 404 && tsy_http_response_get_header (response, "X-Tsy-Unknown-Message") != NULL)
    {
      *out_lookup = TSY_STATUS_NEVER_RECEIVED;
      return TRUE;
    }
  g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_NETWORK,
               _("Unexpected answer to a status request (HTTP %ld)"), (long) status);
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
  g_autoptr(TsyHttpResponse) response = get_with_retries (self, url, cancellable, error);

  if (response == NULL)
    return NULL;
  if (response->status != 200 || g_bytes_get_size (response->body) == 0)
    {
      g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_REFUSED,
                   _("The bank has no statement for this account and day (HTTP %ld)"), (long) response->status);
      return NULL;
    }
  return g_bytes_ref (response->body);
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

  g_clear_object (&self->transport);
  g_clear_pointer (&self->sign_key, tsy_key_free);
  g_free (self->base_url);
  g_free (self->cert_file);
  g_free (self->key_file);
  g_free (self->ca_file);
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
}

TsyBankConnector *
tsy_https_connector_new_with_transport (const TsyBankChannel *channel,
                                        TsyHttpTransport     *transport,
                                        GError              **error)
{
  g_autoptr(TsyHttpsConnector) self = NULL;

  g_return_val_if_fail (channel != NULL, NULL);
  g_return_val_if_fail (TSY_IS_HTTP_TRANSPORT (transport), NULL);

  if (channel->url == NULL || !g_str_has_prefix (channel->url, "https://") || channel->key_file == NULL)
    {
      g_set_error_literal (error, TSY_BANK_ERROR, TSY_BANK_ERROR_TLS,
                           _("An https channel needs an https:// URL, a client certificate, its key and the bank's CA"));
      return NULL;
    }
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
  self->transport = g_object_ref (transport);
  return TSY_BANK_CONNECTOR (g_steal_pointer (&self));
}

TsyBankConnector *
tsy_https_connector_new (const TsyBankChannel *channel,
                         GError              **error)
{
  g_autoptr(TsyHttpTransport) transport = NULL;
  const char *record_dir = g_getenv ("TREASURY_HTTP_RECORD");

  g_return_val_if_fail (channel != NULL, NULL);

  if (channel->url == NULL || !g_str_has_prefix (channel->url, "https://") || channel->cert_file == NULL ||
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
  transport = tsy_curl_transport_new ();
  /* Fixtures for the replay transport are recorded from a real server (treasury-banksim). */
  if (record_dir != NULL && *record_dir != '\0')
    {
      TsyHttpTransport *recorder = tsy_recording_transport_new (transport, record_dir);
      /* It writes what is sent (payment files) to that folder: say so. */
      g_message ("recording the HTTP exchanges with %s to %s", channel->bank_code ? channel->bank_code : "?", record_dir);
      g_object_unref (transport);
      transport = recorder;
    }
  return tsy_https_connector_new_with_transport (channel, transport, error);
}
