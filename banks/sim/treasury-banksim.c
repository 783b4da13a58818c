/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * treasury-banksim: a simulated bank for tests and the demo. A real HTTPS server (libsoup 3 over
 * GIO's TLS) that requires client certificates, checks the signature header of what it is sent,
 * validates pain.001 against the ISO schema, keeps accounts and balances in its state folder,
 * executes transfers (between its own accounts too, across the banks it simulates), answers with
 * pain.002, serves camt.053 / camt.052, treats a repeated MsgId as a duplicate, and injects
 * faults on command:
 *
 *   --faults "refuse=0.05,slow=0.05,timeout=0.05,drop=0.1,5xx=0.05,dup-status=0.05,malformed=0.05,seed=7"
 *
 *   refuse      the file is refused as a whole (pain.002 RJCT, HTTP 422)
 *   slow        the answer comes late (slow-ms, default 300)
 *   timeout     no answer within hang-ms (default 4000): processed before or after the wait
 *   drop        processed, then the connection is dropped without an answer
 *   5xx         HTTP 503 before processing, or 500 after it
 *   dup-status  every transaction status appears twice in the answer
 *   malformed   processed, the answer is cut in half
 *
 * The same faults (except refuse and dup-status) hit status requests. POST /admin/faults sets a
 * new SPEC at run time; GET /admin/executions and /admin/accounts report for tests.
 *
 * --share DIR (repeatable) adds the file gateway of a bank reached by SFTP or a shared folder:
 * pain.001 files put in DIR/outbox are processed the same way and answered in DIR/inbox (see
 * tsy-banksim-share.h). With only --share, no HTTPS server is started.
 */
#include <glib-unix.h>
#include <libsoup/soup.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banks/formats/tsy-pain002.h"
#include "banks/tsy-crypto.h"
#include "tsy-banksim-bank.h"
#include "tsy-banksim-share.h"

typedef enum
{
  FAULT_NONE,
  FAULT_REFUSE,
  FAULT_SLOW,
  FAULT_TIMEOUT,
  FAULT_DROP,
  FAULT_5XX,
  FAULT_DUP_STATUS,
  FAULT_MALFORMED,
  N_FAULTS
} Fault;

static const char *const fault_names[N_FAULTS] = {
  [FAULT_NONE] = "none", [FAULT_REFUSE] = "refuse", [FAULT_SLOW] = "slow", [FAULT_TIMEOUT] = "timeout",
  [FAULT_DROP] = "drop", [FAULT_5XX] = "5xx", [FAULT_DUP_STATUS] = "dup-status", [FAULT_MALFORMED] = "malformed",
};

typedef struct
{
  guint per_mille[N_FAULTS];
  guint slow_ms;
  guint hang_ms;
  GRand *rand;
} Faults;

typedef struct
{
  TsyBanksim *bank;
  Faults      faults;
  GMainLoop  *loop;
  gboolean    quiet;
  guint       requests;
  char      **shares;   /* folders served by the file gateway (--share) */
} Sim;

/* "0.05" → 50 per mille; integers only, at most three decimals. */
static gboolean
parse_per_mille (const char *text,
                 guint      *out)
{
  guint whole = 0, frac = 0, digits = 0;
  const char *p = text;

  if (!g_ascii_isdigit (*p))
    return FALSE;
  while (g_ascii_isdigit (*p) && whole <= 1)
    whole = whole * 10 + (guint) (*p++ - '0');
  if (*p == '.')
    for (p++; g_ascii_isdigit (*p) && digits < 3; p++, digits++)
      frac = frac * 10 + (guint) (*p - '0');
  if (*p != '\0')
    return FALSE;
  for (; digits < 3; digits++)
    frac *= 10;
  *out = whole * 1000 + frac;
  return *out <= 1000;
}

static gboolean
faults_parse (Faults     *f,
              const char *spec,
              GError    **error)
{
  g_auto(GStrv) items = g_strsplit (spec ? spec : "", ",", -1);
  Faults next = { .slow_ms = 300, .hang_ms = 4000 };
  guint64 seed = (guint64) g_get_real_time ();
  guint total = 0;

  for (guint i = 0; items[i] != NULL; i++)
    {
      g_auto(GStrv) kv = g_strsplit (g_strstrip (items[i]), "=", 2);
      gboolean known = FALSE;

      if (*kv[0] == '\0' || strcmp (kv[0], "none") == 0)
        continue;
      if (kv[1] == NULL)
        goto bad;
      if (strcmp (kv[0], "seed") == 0)
        {
          seed = g_ascii_strtoull (kv[1], NULL, 10);
          continue;
        }
      if (strcmp (kv[0], "slow-ms") == 0 || strcmp (kv[0], "hang-ms") == 0)
        {
          guint64 ms = g_ascii_strtoull (kv[1], NULL, 10);
          if (ms == 0 || ms > 600000)
            goto bad;
          *(kv[0][0] == 's' ? &next.slow_ms : &next.hang_ms) = (guint) ms;
          continue;
        }
      for (guint k = 1; k < N_FAULTS; k++)
        if (strcmp (kv[0], fault_names[k]) == 0)
          {
            if (!parse_per_mille (kv[1], &next.per_mille[k]))
              goto bad;
            total += next.per_mille[k];
            known = TRUE;
          }
      if (!known)
        goto bad;
    }
  if (total > 1000)
    goto bad;
  if (f->rand != NULL)
    g_rand_free (f->rand);
  *f = next;
  f->rand = g_rand_new_with_seed ((guint32) seed);
  return TRUE;

bad:
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "bad fault spec “%s”", spec);
  return FALSE;
}

static Fault
roll (Sim      *sim,
      gboolean  status_request)
{
  guint r = (guint) g_rand_int_range (sim->faults.rand, 0, 1000);
  guint acc = 0;

  for (guint k = 1; k < N_FAULTS; k++)
    {
      acc += sim->faults.per_mille[k];
      if (r < acc)
        {
          if (status_request && (k == FAULT_REFUSE || k == FAULT_DUP_STATUS))
            return FAULT_NONE;
          return (Fault) k;
        }
    }
  return FAULT_NONE;
}

static void
respond (SoupServerMessage *msg,
         guint              status,
         GBytes            *body)
{
  soup_server_message_set_status (msg, status, NULL);
  if (body != NULL)
    soup_server_message_set_response (msg, "application/xml; charset=utf-8", SOUP_MEMORY_COPY,
                                      g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

static void
respond_text (SoupServerMessage *msg,
              guint              status,
              const char        *text)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/plain; charset=utf-8", SOUP_MEMORY_COPY, text, strlen (text));
}

/* Every request comes over TLS with a client certificate our CA signed (the handshake insists);
 * this checks it once more and returns its PEM. */
static char *
client_certificate (SoupServerMessage *msg)
{
  GTlsCertificate *cert = soup_server_message_get_tls_peer_certificate (msg);
  char *pem = NULL;

  if (cert == NULL || soup_server_message_get_tls_peer_certificate_errors (msg) != 0)
    return NULL;
  g_object_get (cert, "certificate-pem", &pem, NULL);
  return pem;
}

static void
drop_connection (SoupServerMessage *msg)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);
}

typedef struct
{
  Sim               *sim;
  SoupServerMessage *msg;
  GBytes            *document;
  char              *msg_id;
  Fault              fault;
} Later;

static void
later_free (Later *l)
{
  g_clear_pointer (&l->document, g_bytes_unref);
  g_free (l->msg_id);
  g_object_unref (l->msg);
  g_free (l);
}

static gboolean
on_unpause_cb (gpointer data)
{
  SoupServerMessage *msg = data;

  soup_server_message_unpause (msg);
  g_object_unref (msg);
  return G_SOURCE_REMOVE;
}

static void
delay (SoupServerMessage *msg,
       guint              ms)
{
  soup_server_message_pause (msg);
  g_timeout_add (ms, on_unpause_cb, g_object_ref (msg));
}

/* Builds the answer to a processed pain.001 according to the fault. */
static GBytes *
shape_answer (GBytes *answer,
              Fault   fault)
{
  if (answer == NULL)
    return NULL;
  if (fault == FAULT_MALFORMED)
    return g_bytes_new_from_bytes (answer, 0, g_bytes_get_size (answer) / 2);
  if (fault == FAULT_DUP_STATUS)
    {
      g_autoptr(TsyStatusReport) report = tsy_pain002_parse (g_bytes_get_data (answer, NULL),
                                                             g_bytes_get_size (answer), "answer", NULL);
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      guint n;
      if (report == NULL)
        return g_bytes_ref (answer);
      n = report->txs->len;
      for (guint i = 0; i < n; i++)
        {
          TsyTxStatus *tx = g_ptr_array_index (report->txs, i);
          tsy_status_report_add_tx (report, tx->end_to_end_id, tx->status, tx->reason);
        }
      return tsy_pain002_write (report, now);
    }
  return g_bytes_ref (answer);
}

static void
process_and_answer (Sim               *sim,
                    SoupServerMessage *msg,
                    GBytes            *document,
                    Fault              fault)
{
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GBytes) shaped = NULL;
  g_autofree char *reason = NULL;
  TsyBanksimOutcome outcome = tsy_banksim_process (sim->bank, document, fault == FAULT_REFUSE, &answer, &reason);

  if (!sim->quiet)
    g_printerr ("banksim: pain.001 %s%s%s (fault: %s)\n",
                outcome == TSY_BANKSIM_NEW ? "processed" : outcome == TSY_BANKSIM_DUPLICATE ? "duplicate" : "invalid",
                reason ? ": " : "", reason ? reason : "", fault_names[fault]);
  if (outcome == TSY_BANKSIM_INVALID)
    {
      respond (msg, SOUP_STATUS_BAD_REQUEST, answer);
      return;
    }
  if (fault == FAULT_DROP)
    {
      drop_connection (msg);
      return;
    }
  if (fault == FAULT_5XX)
    {
      respond_text (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal error");
      return;
    }
  shaped = shape_answer (answer, fault);
  if (outcome == TSY_BANKSIM_DUPLICATE)
    respond (msg, SOUP_STATUS_CONFLICT, shaped);
  else if (fault == FAULT_REFUSE)
    respond (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, shaped);
  else
    respond (msg, SOUP_STATUS_OK, shaped);
}

static gboolean
on_hang_over_cb (gpointer data)
{
  Later *l = data;

  /* Processed after the wait: the client has usually given up and asks for the status. */
  process_and_answer (l->sim, l->msg, l->document, FAULT_NONE);
  tsy_banksim_forget_arrival (l->sim->bank, l->msg_id);
  soup_server_message_unpause (l->msg);
  later_free (l);
  return G_SOURCE_REMOVE;
}

static void
on_pain001_cb (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  Sim *sim = user_data;
  g_autofree char *pem = client_certificate (msg);
  g_autoptr(GBytes) document = NULL;
  g_autoptr(GBytes) signature = NULL;
  g_autoptr(GError) error = NULL;
  const char *sig64;
  Fault fault;

  sim->requests++;
  if (pem == NULL)
    {
      respond_text (msg, SOUP_STATUS_FORBIDDEN, "a client certificate is required");
      return;
    }
  if (strcmp (soup_server_message_get_method (msg), "POST") != 0)
    {
      respond_text (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "POST a pain.001");
      return;
    }
  document = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  sig64 = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "X-Tsy-Signature");
  if (sig64 != NULL)
    {
      gsize len = 0;
      guchar *raw = g_base64_decode (sig64, &len);
      signature = g_bytes_new_take (raw, len);
    }
  /* The signature of the file must be the client certificate's: what the bank executes is what
   * the authenticated customer sent. */
  if (signature == NULL || g_bytes_get_size (signature) == 0 ||
      !tsy_crypto_verify_data_cert (pem, document, signature, &error))
    {
      if (!sim->quiet)
        g_printerr ("banksim: pain.001 refused: the signature header does not verify (%" G_GSIZE_FORMAT " bytes, %s)\n",
                    g_bytes_get_size (document), error ? error->message : "no signature");
      respond_text (msg, SOUP_STATUS_FORBIDDEN, "the signature header does not verify");
      return;
    }

  fault = roll (sim, FALSE);
  switch (fault)
    {
    case FAULT_5XX:
      if (g_rand_boolean (sim->faults.rand))
        {
          respond_text (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "try again later");
          return;
        }
      process_and_answer (sim, msg, document, fault);
      return;
    case FAULT_SLOW:
      process_and_answer (sim, msg, document, fault);
      delay (msg, sim->faults.slow_ms);
      return;
    case FAULT_TIMEOUT:
      if (g_rand_boolean (sim->faults.rand))
        {
          process_and_answer (sim, msg, document, FAULT_NONE);
          delay (msg, sim->faults.hang_ms);
        }
      else
        {
          Later *l = g_new0 (Later, 1);
          l->sim = sim;
          l->msg = g_object_ref (msg);
          l->document = g_bytes_ref (document);
          l->msg_id = tsy_banksim_peek_msg_id (document);
          tsy_banksim_note_arrival (sim->bank, l->msg_id);
          soup_server_message_pause (msg);
          g_timeout_add (sim->faults.hang_ms, on_hang_over_cb, l);
        }
      return;
    case FAULT_NONE:
    case FAULT_REFUSE:
    case FAULT_DROP:
    case FAULT_DUP_STATUS:
    case FAULT_MALFORMED:
    case N_FAULTS:
    default:
      process_and_answer (sim, msg, document, fault);
      return;
    }
}

static void
on_status_cb (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  Sim *sim = user_data;
  g_autofree char *pem = client_certificate (msg);
  g_autoptr(GBytes) answer = NULL;
  const char *msg_id = path + strlen ("/status/");
  gboolean arriving = FALSE;
  Fault fault;

  sim->requests++;
  if (pem == NULL)
    {
      respond_text (msg, SOUP_STATUS_FORBIDDEN, "a client certificate is required");
      return;
    }
  if (!g_str_has_prefix (path, "/status/") || *msg_id == '\0')
    {
      respond_text (msg, SOUP_STATUS_NOT_FOUND, "GET /status/MSGID");
      return;
    }
  fault = roll (sim, TRUE);
  if (fault == FAULT_5XX)
    {
      respond_text (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "try again later");
      return;
    }
  if (fault == FAULT_DROP)
    {
      drop_connection (msg);
      return;
    }
  answer = tsy_banksim_status (sim->bank, msg_id, &arriving);
  if (answer != NULL)
    {
      g_autoptr(GBytes) shaped = shape_answer (answer, fault == FAULT_MALFORMED ? FAULT_MALFORMED : FAULT_NONE);
      respond (msg, SOUP_STATUS_OK, shaped);
    }
  else if (arriving)
    respond_text (msg, SOUP_STATUS_ACCEPTED, "");
  else
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "X-Tsy-Unknown-Message", "1");
      respond_text (msg, SOUP_STATUS_NOT_FOUND, "no such message");
    }
  if (fault == FAULT_SLOW || fault == FAULT_TIMEOUT)
    delay (msg, fault == FAULT_SLOW ? sim->faults.slow_ms : sim->faults.hang_ms);
}

static void
on_statement_cb (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  Sim *sim = user_data;
  g_autofree char *pem = client_certificate (msg);
  const char *account = path + strlen ("/statements/");
  const char *date_text = query ? g_hash_table_lookup (query, "date") : NULL;
  const char *type = query ? g_hash_table_lookup (query, "type") : NULL;
  g_autoptr(GBytes) doc = NULL;
  g_autoptr(GError) error = NULL;
  TsyDate date = tsy_date_today ();

  if (pem == NULL)
    {
      respond_text (msg, SOUP_STATUS_FORBIDDEN, "a client certificate is required");
      return;
    }
  if (!g_str_has_prefix (path, "/statements/") || (date_text != NULL && !tsy_date_parse_iso (date_text, &date, NULL)))
    {
      respond_text (msg, SOUP_STATUS_BAD_REQUEST, "GET /statements/ACCOUNT?date=YYYY-MM-DD&type=camt.053|camt.052");
      return;
    }
  doc = tsy_banksim_statement (sim->bank, account,
                               g_strcmp0 (type, "camt.052") == 0 ? TSY_STATEMENT_KIND_INTRADAY : TSY_STATEMENT_KIND_FINAL,
                               date, &error);
  if (doc == NULL)
    respond_text (msg, SOUP_STATUS_NOT_FOUND, error ? error->message : "no such account");
  else
    respond (msg, SOUP_STATUS_OK, doc);
}

static void
on_admin_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  Sim *sim = user_data;
  g_autofree char *pem = client_certificate (msg);
  g_autoptr(GError) error = NULL;

  if (pem == NULL)
    {
      respond_text (msg, SOUP_STATUS_FORBIDDEN, "a client certificate is required");
      return;
    }
  if (strcmp (path, "/admin/faults") == 0 && strcmp (soup_server_message_get_method (msg), "POST") == 0)
    {
      g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
      g_autofree char *spec = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
      if (faults_parse (&sim->faults, g_strstrip (spec), &error))
        respond_text (msg, SOUP_STATUS_OK, "ok\n");
      else
        respond_text (msg, SOUP_STATUS_BAD_REQUEST, error->message);
    }
  else if (strcmp (path, "/admin/executions") == 0)
    {
      g_autofree char *text = tsy_banksim_executions (sim->bank);
      respond_text (msg, SOUP_STATUS_OK, text);
    }
  else if (strcmp (path, "/admin/accounts") == 0)
    {
      g_autofree char *text = tsy_banksim_accounts (sim->bank);
      respond_text (msg, SOUP_STATUS_OK, text);
    }
  else
    respond_text (msg, SOUP_STATUS_NOT_FOUND, "no such page");
}

/* GIO leaves the last word on a client certificate to the server, even when the database found
 * nothing wrong with it: accept exactly the certificates our client CA verified. */
static gboolean
on_accept_certificate_cb (SoupServerMessage   *msg,
                          GTlsCertificate     *certificate,
                          GTlsCertificateFlags errors,
                          gpointer             user_data)
{
  return certificate != NULL && errors == 0;
}

static void
on_request_started_cb (SoupServer        *server,
                       SoupServerMessage *msg,
                       gpointer           user_data)
{
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (on_accept_certificate_cb), NULL);
  /* One request per connection: libsoup 3.2 knows the client certificate only on a
   * connection's first message, and every request must show one. */
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
}

static gboolean
on_share_poll_cb (gpointer data)
{
  Sim *sim = data;

  for (guint i = 0; sim->shares[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      if (tsy_banksim_share_poll (sim->bank, sim->shares[i], sim->quiet, &error) < 0)
        g_printerr ("banksim: share %s: %s\n", sim->shares[i], error->message);
    }
  return G_SOURCE_CONTINUE;
}

static SoupServer *
start_https (Sim        *sim,
             const char *listen,
             const char *cert,
             const char *key,
             const char *client_ca,
             GError    **error)
{
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GTlsCertificate) tls_cert = NULL;
  g_autoptr(GTlsDatabase) tls_db = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  const char *colon = strrchr (listen, ':');
  GSList *uris;

  if (colon == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--listen wants HOST:PORT");
      return NULL;
    }
  {
    g_autofree char *host = g_strndup (listen, (gsize) (colon - listen));
    g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (host);
    guint64 port = g_ascii_strtoull (colon + 1, NULL, 10);
    if (inet == NULL || port > 65535)
      {
        g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                             "--listen wants an IP address and a port");
        return NULL;
      }
    address = g_inet_socket_address_new (inet, (guint16) port);
  }
  tls_cert = g_tls_certificate_new_from_files (cert, key, error);
  if (tls_cert == NULL)
    return NULL;
  {
    /* GIO wants an absolute path for the anchors. */
    g_autofree char *anchors = g_canonicalize_filename (client_ca, NULL);
    tls_db = g_tls_file_database_new (anchors, error);
  }
  if (tls_db == NULL)
    return NULL;

  server = soup_server_new ("tls-certificate", tls_cert, "server-header", "treasury-banksim", NULL);
  soup_server_set_tls_database (server, tls_db);
  soup_server_set_tls_auth_mode (server, G_TLS_AUTHENTICATION_REQUIRED);
  g_signal_connect (server, "request-started", G_CALLBACK (on_request_started_cb), NULL);
  soup_server_add_handler (server, "/pain001", on_pain001_cb, sim, NULL);
  soup_server_add_handler (server, "/status", on_status_cb, sim, NULL);
  soup_server_add_handler (server, "/statements", on_statement_cb, sim, NULL);
  soup_server_add_handler (server, "/admin", on_admin_cb, sim, NULL);
  if (!soup_server_listen (server, address, SOUP_SERVER_LISTEN_HTTPS, error))
    return NULL;
  uris = soup_server_get_uris (server);
  if (uris != NULL)
    {
      g_autofree char *text = g_uri_to_string (uris->data);
      g_print ("listening on %s\n", text);
      fflush (stdout);
    }
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return g_steal_pointer (&server);
}

static gboolean
on_quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *listen = NULL, *state = NULL, *cert = NULL, *key = NULL, *client_ca = NULL;
  g_autofree char *faults = NULL, *xsd_dir = NULL;
  g_auto(GStrv) accounts = NULL;
  g_auto(GStrv) shares = NULL;
  int lifetime = 0;
  int poll_ms = 200;
  gboolean quiet = FALSE;
  const GOptionEntry entries[] = {
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen, "Address to listen on (port 0 picks one)", "127.0.0.1:PORT" },
    { "state", 0, 0, G_OPTION_ARG_FILENAME, &state, "The bank's state folder", "DIR" },
    { "cert", 0, 0, G_OPTION_ARG_FILENAME, &cert, "Server certificate (PEM)", "FILE" },
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &key, "Its private key (PEM)", "FILE" },
    { "client-ca", 0, 0, G_OPTION_ARG_FILENAME, &client_ca, "CA of the client certificates (required)", "FILE" },
    { "faults", 0, 0, G_OPTION_ARG_STRING, &faults, "Faults to inject", "SPEC" },
    { "xsd-dir", 0, 0, G_OPTION_ARG_FILENAME, &xsd_dir, "Folder of the pain.001 schemas", "DIR" },
    { "account", 0, 0, G_OPTION_ARG_STRING_ARRAY, &accounts, "An account for a new state folder", "NUMBER:CCY:BALANCE[:BIC[:NAME]]" },
    { "share", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &shares, "Serve this folder as a file gateway (SFTP or a shared folder)", "DIR" },
    { "poll-ms", 0, 0, G_OPTION_ARG_INT, &poll_ms, "How often the file gateway looks (default 200)", "MS" },
    { "max-lifetime", 0, 0, G_OPTION_ARG_INT, &lifetime, "Stop after this many seconds", "SECONDS" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No log of requests on stderr", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("- a simulated bank");
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  Sim sim = { 0 };

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("treasury-banksim: %s\n", error->message);
      return 2;
    }
  if (state == NULL || (shares == NULL && listen == NULL) ||
      (listen != NULL && (cert == NULL || key == NULL || client_ca == NULL)) || poll_ms < 10)
    {
      g_printerr ("treasury-banksim: %s\n",
                  "usage: treasury-banksim --listen 127.0.0.1:PORT --state DIR --cert FILE --key FILE "
                  "--client-ca FILE [--faults SPEC] [--share DIR...]\n"
                  "       treasury-banksim --state DIR --share DIR... [--poll-ms MS]");
      return 2;
    }
  if (xsd_dir == NULL)
    xsd_dir = g_strdup (g_getenv ("TSY_XSD_DIR") ? g_getenv ("TSY_XSD_DIR") : TSY_XSD_DIR);
  if (!faults_parse (&sim.faults, faults, &error))
    {
      g_printerr ("treasury-banksim: %s\n", error->message);
      return 2;
    }
  sim.quiet = quiet;
  sim.shares = shares;
  sim.bank = tsy_banksim_open (state, xsd_dir, (const char *const *) accounts, &error);
  if (sim.bank == NULL)
    {
      g_printerr ("treasury-banksim: %s\n", error->message);
      return 1;
    }
  for (guint i = 0; shares != NULL && shares[i] != NULL; i++)
    if (!tsy_banksim_share_prepare (sim.bank, shares[i], &error))
      {
        g_printerr ("treasury-banksim: %s\n", error->message);
        return 1;
      }
  if (listen != NULL)
    {
      server = start_https (&sim, listen, cert, key, client_ca, &error);
      if (server == NULL)
        {
          g_printerr ("treasury-banksim: %s\n", error->message);
          return error->domain == G_OPTION_ERROR ? 2 : 1;
        }
    }
  if (shares != NULL)
    {
      g_print ("serving %u shared folder(s)\n", g_strv_length (shares));
      fflush (stdout);
      g_timeout_add ((guint) poll_ms, on_share_poll_cb, &sim);
    }

  loop = g_main_loop_new (NULL, FALSE);
  sim.loop = loop;
  g_unix_signal_add (SIGTERM, on_quit_cb, loop);
  g_unix_signal_add (SIGINT, on_quit_cb, loop);
  if (lifetime > 0)
    g_timeout_add_seconds ((guint) lifetime, on_quit_cb, loop);
  g_main_loop_run (loop);

  tsy_banksim_free (sim.bank);
  if (sim.faults.rand != NULL)
    g_rand_free (sim.faults.rand);
  return 0;
}
