/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "banks/tsy-curl-util.h"

static size_t
on_body_cb (char   *data,
            size_t  size,
            size_t  n,
            void   *user_data)
{
  TsyCurlBody *body = user_data;
  size_t len = size * n;

  if (body->bytes->len + len > body->max_bytes)
    {
      body->too_big = TRUE;
      return 0;
    }
  g_byte_array_append (body->bytes, (const guint8 *) data, (guint) len);
  return len;
}

static int
on_progress_cb (void      *user_data,
                curl_off_t dltotal,
                curl_off_t dlnow,
                curl_off_t ultotal,
                curl_off_t ulnow)
{
  GCancellable *cancellable = user_data;

  return g_cancellable_is_cancelled (cancellable) ? 1 : 0;
}

void
tsy_curl_global_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      curl_global_init (CURL_GLOBAL_DEFAULT);
      g_once_init_leave (&done, 1);
    }
}

void
tsy_curl_set_body (CURL        *curl,
                   TsyCurlBody *body)
{
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, on_body_cb);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, body);
}

void
tsy_curl_set_cancellable (CURL         *curl,
                          GCancellable *cancellable)
{
  curl_easy_setopt (curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt (curl, CURLOPT_XFERINFOFUNCTION, on_progress_cb);
  curl_easy_setopt (curl, CURLOPT_XFERINFODATA, cancellable);
}
