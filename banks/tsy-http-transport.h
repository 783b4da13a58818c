/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * One HTTP exchange, blocking, behind an interface: libcurl for the banks
 * (tsy_curl_transport_new), recorded exchanges for tests (tsy_replay_transport_new), and a
 * recorder around another transport that writes such fixtures (tsy_recording_transport_new).
 * Plain inputs, no globals: a connector gets its transport handed in.
 *
 * What a failed exchange says is what exactly-once sending rests on, so the error is precise:
 *
 *   TSY_BANK_ERROR_NETWORK          nothing of the request left us (the name did not resolve,
 *                                   the connection was refused): sending again is safe
 *   TSY_BANK_ERROR_TLS              the TLS handshake failed or the peer did not verify, before
 *                                   the request left: sending again is safe
 *   TSY_BANK_ERROR_UNKNOWN_OUTCOME  the request may have (partly) left and no usable answer came
 *                                   back (a time-out, a dropped connection, an answer too large)
 *   G_IO_ERROR_CANCELLED            the cancellable fired; whether anything left is not known
 *
 * An answer with any HTTP status (4xx and 5xx too) is a response, not an error: what a status
 * means is the connector's business.
 */

/* The request of one exchange. All fields are owned; build it with tsy_http_request_new (). */
typedef struct
{
  char      *method;              /* "GET" or "POST" */
  char      *url;                 /* https:// only for the curl transport */
  GPtrArray *headers;             /* (element-type utf8): "Name: value" lines */
  GBytes    *body;                /* (nullable): the body of a POST */
  guint      connect_timeout_ms;  /* 0: 10 s */
  guint      timeout_ms;          /* the whole exchange; 0: 60 s */
  gsize      max_answer_bytes;    /* a longer answer is an UNKNOWN_OUTCOME; 0: 64 MiB */
  char      *cert_file;           /* (nullable): our client certificate (PEM), mutual TLS */
  char      *key_file;            /* (nullable): its private key (PEM) */
  char      *ca_file;             /* (nullable): the only CA trusted for the peer (PEM) */
} TsyHttpRequest;

TsyHttpRequest *tsy_http_request_new        (const char           *method,
                                             const char           *url);
void            tsy_http_request_add_header (TsyHttpRequest       *request,
                                             const char           *name,
                                             const char           *value);
/* Returns: (nullable): the value of the first header @name (case-insensitive), trimmed. */
const char     *tsy_http_request_get_header (const TsyHttpRequest *request,
                                             const char           *name);
/* Returns: (transfer full): the path and query of the URL ("/status/M1?x=y"); "/" when empty. */
char           *tsy_http_request_get_path   (const TsyHttpRequest *request);
void            tsy_http_request_free       (TsyHttpRequest       *request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsyHttpRequest, tsy_http_request_free)

/* The answer of one exchange. */
typedef struct
{
  guint      status;              /* the HTTP status of the final answer */
  GPtrArray *headers;             /* (element-type utf8): "Name: value" lines, without the status line */
  GBytes    *body;                /* never NULL; may be empty */
  guint      latency_ms;          /* from the start of the exchange to its last byte */
} TsyHttpResponse;

TsyHttpResponse *tsy_http_response_new        (guint                  status);
void             tsy_http_response_add_header (TsyHttpResponse       *response,
                                               const char            *name,
                                               const char            *value);
/* Returns: (nullable): the value of the first header @name (case-insensitive), trimmed. */
const char      *tsy_http_response_get_header (const TsyHttpResponse *response,
                                               const char            *name);
void             tsy_http_response_free       (TsyHttpResponse       *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsyHttpResponse, tsy_http_response_free)

#define TSY_TYPE_HTTP_TRANSPORT (tsy_http_transport_get_type ())
G_DECLARE_INTERFACE (TsyHttpTransport, tsy_http_transport, TSY, HTTP_TRANSPORT, GObject)

struct _TsyHttpTransportInterface
{
  GTypeInterface parent_iface;

  TsyHttpResponse *(*perform) (TsyHttpTransport     *self,
                               const TsyHttpRequest *request,
                               GCancellable         *cancellable,
                               GError              **error);
};

/**
 * tsy_http_transport_perform:
 * @request: what to send
 * @cancellable: (nullable): aborts the exchange
 *
 * Performs one exchange; blocks (call it from a worker thread). Safe to call from several
 * threads: an implementation serialises what it must.
 *
 * Returns: (transfer full): the answer, whatever its HTTP status, or %NULL with @error (see
 *   above for what each code promises).
 */
TsyHttpResponse *tsy_http_transport_perform (TsyHttpTransport     *self,
                                             const TsyHttpRequest *request,
                                             GCancellable         *cancellable,
                                             GError              **error);

/* Implementations. */

/* libcurl: TLS 1.2 or later, peer and host verification always on, only @request->ca_file
 * trusted, https only, no proxy, no redirects. */
TsyHttpTransport *tsy_curl_transport_new       (void);

/**
 * tsy_replay_transport_new:
 * @dir: a fixture folder (tests/data/banks/<bank>/) with an `exchanges.ini` index
 *
 * Answers from recorded exchanges (the format is described in tsy-replay-transport.c). A
 * request no exchange matches is refused with a TSY_BANK_ERROR_IO error naming it.
 *
 * Returns: (transfer full): the transport, or %NULL with @error (a missing or bad index).
 */
TsyHttpTransport *tsy_replay_transport_new     (const char        *dir,
                                                GError           **error);
/* How many requests exchange @name (a group of the index) has answered so far. */
guint             tsy_replay_transport_get_uses (TsyHttpTransport *self,
                                                 const char       *name);
/* How many requests it was asked in all (answered or not). */
guint             tsy_replay_transport_get_requests (TsyHttpTransport *self);

/**
 * tsy_recording_transport_new:
 * @inner: the transport that really performs the exchanges
 * @dir: a folder; created when missing
 *
 * Performs every exchange with @inner and writes it to @dir in the replay format (appending
 * to its `exchanges.ini`), errors as scripted failures.
 *
 * Returns: (transfer full): the recorder
 */
TsyHttpTransport *tsy_recording_transport_new  (TsyHttpTransport *inner,
                                                const char       *dir);

G_END_DECLS
