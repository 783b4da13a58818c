/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "tsy-http-transport.h"

G_DEFINE_INTERFACE (TsyHttpTransport, tsy_http_transport, G_TYPE_OBJECT)

/* The value of header line @line when its name is @name; NULL otherwise. */
static const char *
header_value (const char *line,
              const char *name)
{
  gsize n = strlen (name);

  if (g_ascii_strncasecmp (line, name, n) != 0 || line[n] != ':')
    return NULL;
  line += n + 1;
  while (*line == ' ' || *line == '\t')
    line++;
  return line;
}

static const char *
find_header (GPtrArray  *headers,
             const char *name)
{
  for (guint i = 0; headers != NULL && i < headers->len; i++)
    {
      const char *value = header_value (g_ptr_array_index (headers, i), name);
      if (value != NULL)
        return value;
    }
  return NULL;
}

static char *
header_line (const char *name,
             const char *value)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (value));

  return g_strdup_printf ("%s: %s", name, trimmed);
}

static void
tsy_http_transport_default_init (TsyHttpTransportInterface *iface)
{
}

TsyHttpRequest *
tsy_http_request_new (const char *method,
                      const char *url)
{
  TsyHttpRequest *request;

  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (url != NULL, NULL);

  request = g_new0 (TsyHttpRequest, 1);
  request->method = g_strdup (method);
  request->url = g_strdup (url);
  request->headers = g_ptr_array_new_with_free_func (g_free);
  return request;
}

void
tsy_http_request_add_header (TsyHttpRequest *request,
                             const char     *name,
                             const char     *value)
{
  g_return_if_fail (request != NULL);
  g_return_if_fail (name != NULL && value != NULL);

  g_ptr_array_add (request->headers, header_line (name, value));
}

const char *
tsy_http_request_get_header (const TsyHttpRequest *request,
                             const char           *name)
{
  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return find_header (request->headers, name);
}

char *
tsy_http_request_get_path (const TsyHttpRequest *request)
{
  g_autoptr(GUri) uri = NULL;
  const char *path;
  const char *query;

  g_return_val_if_fail (request != NULL, NULL);

  uri = g_uri_parse (request->url, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL)
    return g_strdup (request->url);
  path = *g_uri_get_path (uri) ? g_uri_get_path (uri) : "/";
  query = g_uri_get_query (uri);
  return query ? g_strconcat (path, "?", query, NULL) : g_strdup (path);
}

void
tsy_http_request_free (TsyHttpRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->method);
  g_free (request->url);
  g_clear_pointer (&request->headers, g_ptr_array_unref);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request->cert_file);
  g_free (request->key_file);
  g_free (request->ca_file);
  g_free (request);
}

TsyHttpResponse *
tsy_http_response_new (guint status)
{
  TsyHttpResponse *response = g_new0 (TsyHttpResponse, 1);

  response->status = status;
  response->headers = g_ptr_array_new_with_free_func (g_free);
  response->body = g_bytes_new (NULL, 0);
  return response;
}

void
tsy_http_response_add_header (TsyHttpResponse *response,
                              const char      *name,
                              const char      *value)
{
  g_return_if_fail (response != NULL);
  g_return_if_fail (name != NULL && value != NULL);

  g_ptr_array_add (response->headers, header_line (name, value));
}

const char *
tsy_http_response_get_header (const TsyHttpResponse *response,
                              const char            *name)
{
  g_return_val_if_fail (response != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return find_header (response->headers, name);
}

void
tsy_http_response_free (TsyHttpResponse *response)
{
  if (response == NULL)
    return;
  g_clear_pointer (&response->headers, g_ptr_array_unref);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_free (response);
}

TsyHttpResponse *
tsy_http_transport_perform (TsyHttpTransport     *self,
                            const TsyHttpRequest *request,
                            GCancellable         *cancellable,
                            GError              **error)
{
  TsyHttpTransportInterface *iface;

  g_return_val_if_fail (TSY_IS_HTTP_TRANSPORT (self), NULL);
  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  iface = TSY_HTTP_TRANSPORT_GET_IFACE (self);
  g_return_val_if_fail (iface->perform != NULL, NULL);
  return iface->perform (self, request, cancellable, error);
}
