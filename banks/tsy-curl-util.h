/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * What the libcurl users of banks/ (the https transport, the SFTP connector) share: curl's
 * one-time global set-up, an answer body kept in memory up to a cap, and cancellation through
 * the transfer callback. Private to banks/.
 */

#include <curl/curl.h>
#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  GByteArray *bytes;        /* the caller's; what arrived so far */
  gsize       max_bytes;
  gboolean    too_big;      /* more than @max_bytes came: the transfer was stopped */
} TsyCurlBody;

/* curl_global_init() once per process, thread-safe. */
void tsy_curl_global_init     (void);
/* Collects what is downloaded into @body; stops the transfer past @body->max_bytes. */
void tsy_curl_set_body        (CURL         *curl,
                               TsyCurlBody  *body);
/* Stops the transfer (CURLE_ABORTED_BY_CALLBACK) once @cancellable (may be NULL) is cancelled. */
void tsy_curl_set_cancellable (CURL         *curl,
                               GCancellable *cancellable);

G_END_DECLS
