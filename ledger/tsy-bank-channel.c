/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsy-bank-channel.h"
#include "tsy-bank.h"
#include "tsy-ledger-error.h"
#include "tsy-payment-private.h"
#include "tsy-validate-private.h"

static const char *const kind_names[] = {
  [TSY_CHANNEL_HTTPS] = "https",
  [TSY_CHANNEL_SFTP] = "sftp",
  [TSY_CHANNEL_FOLDER] = "folder",
};

const char *
tsy_channel_kind_to_string (TsyChannelKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kind_names), "https");
  return kind_names[kind];
}

gboolean
tsy_channel_kind_from_string (const char     *text,
                              TsyChannelKind *out)
{
  int v;

  if (!tsy_validate_enum_name (kind_names, G_N_ELEMENTS (kind_names), text, &v))
    return FALSE;
  *out = (TsyChannelKind) v;
  return TRUE;
}

gboolean
tsy_channel_seconds_parse (const char *text,
                           guint      *out_ms,
                           GError    **error)
{
  guint64 whole = 0, frac = 0;
  guint digits = 0;
  const char *p = text;

  g_return_val_if_fail (text != NULL, FALSE);
  if (!g_ascii_isdigit (*p))
    goto bad;
  while (g_ascii_isdigit (*p) && whole < 100000)
    whole = whole * 10 + (guint64) (*p++ - '0');
  if (*p == '.')
    for (p++; g_ascii_isdigit (*p) && digits < 3; p++, digits++)
      frac = frac * 10 + (guint64) (*p - '0');
  if (*p != '\0' || whole >= 100000)
    goto bad;
  for (; digits < 3; digits++)
    frac *= 10;
  *out_ms = (guint) (whole * 1000 + frac);
  return TRUE;

bad:
  g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
               _("“%s” is not a number of seconds"), text);
  return FALSE;
}

char *
tsy_channel_seconds_format (guint ms)
{
  if (ms % 1000 == 0)
    return g_strdup_printf ("%u", ms / 1000);
  return g_strdup_printf ("%u.%03u", ms / 1000, ms % 1000);
}

void
tsy_bank_channel_free (TsyBankChannel *channel)
{
  if (channel == NULL)
    return;
  g_free (channel->bank_code);
  g_free (channel->url);
  g_free (channel->cert_file);
  g_free (channel->key_file);
  g_free (channel->ca_file);
  g_free (channel->format);
  g_free (channel->last_success_at);
  g_free (channel->last_error_at);
  g_free (channel->last_error);
  g_free (channel);
}

#define CHANNEL_SELECT \
  "SELECT c.bank_id, b.code, c.kind, c.url, c.cert_file, c.key_file, c.ca_file, c.format," \
  " c.connect_timeout_ms, c.timeout_ms, c.is_open, c.last_success_at, c.last_error_at," \
  " c.last_error, c.latency_ms FROM bank_channel c JOIN bank b ON b.id = c.bank_id "

static TsyBankChannel *
channel_from_row (sqlite3_stmt *stmt)
{
  TsyBankChannel *c = g_new0 (TsyBankChannel, 1);

  c->bank_id = sqlite3_column_int64 (stmt, 0);
  c->bank_code = tsy_store_column_dup (stmt, 1);
  tsy_channel_kind_from_string ((const char *) sqlite3_column_text (stmt, 2), &c->kind);
  c->url = tsy_store_column_dup (stmt, 3);
  c->cert_file = tsy_store_column_dup (stmt, 4);
  c->key_file = tsy_store_column_dup (stmt, 5);
  c->ca_file = tsy_store_column_dup (stmt, 6);
  c->format = tsy_store_column_dup (stmt, 7);
  c->connect_timeout_ms = (guint) sqlite3_column_int (stmt, 8);
  c->timeout_ms = (guint) sqlite3_column_int (stmt, 9);
  c->is_open = sqlite3_column_int (stmt, 10) != 0;
  c->last_success_at = tsy_store_column_dup (stmt, 11);
  c->last_error_at = tsy_store_column_dup (stmt, 12);
  c->last_error = tsy_store_column_dup (stmt, 13);
  c->latency_ms = sqlite3_column_type (stmt, 14) == SQLITE_NULL ? -1 : sqlite3_column_int (stmt, 14);
  return c;
}

static TsyBankChannel *
lookup_common (TsyStore   *store,
               const char *sql,
               const char *code,
               gint64      id,
               GError    **error)
{
  sqlite3_stmt *stmt = tsy_store_prepare (store, sql, error);
  TsyBankChannel *channel = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  if (code != NULL)
    tsy_store_bind_text (stmt, 1, code);
  else
    sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    channel = channel_from_row (stmt);
  else if (rc == SQLITE_DONE)
    g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_NOT_FOUND,
                 _("The bank “%s” has no channel; set one with “treasury bank connect”"),
                 code ? code : "?");
  else
    tsy_store_set_error (store, error);
  sqlite3_reset (stmt);
  return channel;
}

TsyBankChannel *
tsy_bank_channel_lookup (TsyStore   *store,
                         const char *bank_code,
                         GError    **error)
{
  g_return_val_if_fail (TSY_IS_STORE (store), NULL);
  return lookup_common (store, CHANNEL_SELECT "WHERE b.code = ?1", bank_code ? bank_code : "", 0, error);
}

TsyBankChannel *
tsy_bank_channel_lookup_id (TsyStore *store,
                            gint64    bank_id,
                            GError  **error)
{
  g_return_val_if_fail (TSY_IS_STORE (store), NULL);
  return lookup_common (store, CHANNEL_SELECT "WHERE c.bank_id = ?1", NULL, bank_id, error);
}

GPtrArray *
tsy_bank_channel_list (TsyStore *store,
                       GError  **error)
{
  sqlite3_stmt *stmt = tsy_store_prepare (store, CHANNEL_SELECT "ORDER BY b.code", error);
  g_autoptr(GPtrArray) list = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) tsy_bank_channel_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, channel_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tsy_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

static gboolean
check_path (const char *path,
            const char *what,
            GError    **error)
{
  if (path == NULL || *path == '\0')
    return TRUE;
  if (!g_path_is_absolute (path) || !g_utf8_validate (path, -1, NULL) || strlen (path) > 4096)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   /* Translators: %1$s e.g. "certificate file", %2$s a path */
                   _("The %1$s must be an absolute path, not “%2$s”"), what, path);
      return FALSE;
    }
  return TRUE;
}

/* SFTP: a user in the URL and never a password (the SSH key is the only way in), the key, and
 * the bank's known_hosts file (the server's host key is always verified). */
static gboolean
check_sftp (const TsyBankChannel *channel,
            GError              **error)
{
  g_autoptr(GUri) uri = g_uri_parse (channel->url, G_URI_FLAGS_HAS_PASSWORD, NULL);

  if (uri == NULL || g_strcmp0 (g_uri_get_scheme (uri), "sftp") != 0 ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   _("“%s” is not an sftp://user@host:port/path URL"), channel->url);
      return FALSE;
    }
  if (g_uri_get_user (uri) == NULL || *g_uri_get_user (uri) == '\0')
    {
      g_set_error_literal (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                           _("An sftp URL names the user we log in as: sftp://user@host:port/path"));
      return FALSE;
    }
  if (g_uri_get_password (uri) != NULL)
    {
      g_set_error_literal (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                           _("An sftp URL must not hold a password: the channel logs in with an SSH key only"));
      return FALSE;
    }
  if (channel->key_file == NULL || *channel->key_file == '\0')
    {
      g_set_error_literal (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                           _("An sftp channel needs our SSH private key"));
      return FALSE;
    }
  if (channel->ca_file == NULL || *channel->ca_file == '\0')
    {
      g_set_error_literal (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                           _("An sftp channel needs the bank's known_hosts file with the server's host key"));
      return FALSE;
    }
  return TRUE;
}

gboolean
tsy_bank_channel_set (TsyStore             *store,
                      const TsyBankChannel *channel,
                      const char           *actor,
                      GError              **error)
{
  g_autoptr(TsyBankInfo) bank = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *detail = NULL;
  const char *format;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TSY_IS_STORE (store), FALSE);
  g_return_val_if_fail (channel != NULL, FALSE);

  format = channel->format ? channel->format : "pain.001.001.09";
  if (strcmp (format, "pain.001.001.09") != 0 && strcmp (format, "pain.001.001.03") != 0)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   _("“%s” is not a payment format we write (pain.001.001.09 or pain.001.001.03)"),
                   format);
      return FALSE;
    }
  if (channel->url == NULL || *channel->url == '\0' || strlen (channel->url) > 2048)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID, "%s", _("A channel needs a URL"));
      return FALSE;
    }
  switch (channel->kind)
    {
    case TSY_CHANNEL_HTTPS:
      /* No plain HTTP, ever: payments travel over TLS with a client certificate. */
      if (!g_str_has_prefix (channel->url, "https://") || channel->cert_file == NULL ||
          channel->key_file == NULL || channel->ca_file == NULL)
        {
          g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID, "%s",
                       _("An https channel needs an https:// URL, a client certificate, its key and the bank's CA"));
          return FALSE;
        }
      break;
    case TSY_CHANNEL_SFTP:
      if (!check_sftp (channel, error))
        return FALSE;
      break;
    case TSY_CHANNEL_FOLDER:
    default:
      if (!check_path (channel->url, _("folder"), error))
        return FALSE;
      break;
    }
  if (!check_path (channel->cert_file, _("certificate file"), error) ||
      !check_path (channel->key_file, _("key file"), error) ||
      !check_path (channel->ca_file, _("CA file"), error))
    return FALSE;
  if (channel->timeout_ms < 100 || channel->connect_timeout_ms < 100 ||
      channel->connect_timeout_ms > channel->timeout_ms || channel->timeout_ms > 600000)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID, "%s",
                   _("Time-outs must lie between 0.1 s and 600 s, the connect time-out within the total"));
      return FALSE;
    }

  if (!tsy_store_begin (store, error))
    return FALSE;
  bank = tsy_bank_lookup (store, channel->bank_code, error);
  if (bank == NULL)
    goto fail;
  stmt = tsy_store_prepare (store,
      "INSERT INTO bank_channel (bank_id, kind, url, cert_file, key_file, ca_file, format,"
      " connect_timeout_ms, timeout_ms, is_open) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1) "
      "ON CONFLICT (bank_id) DO UPDATE SET kind = excluded.kind, url = excluded.url,"
      " cert_file = excluded.cert_file, key_file = excluded.key_file, ca_file = excluded.ca_file,"
      " format = excluded.format, connect_timeout_ms = excluded.connect_timeout_ms,"
      " timeout_ms = excluded.timeout_ms, is_open = 1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, bank->id);
  tsy_store_bind_text (stmt, 2, tsy_channel_kind_to_string (channel->kind));
  tsy_store_bind_text (stmt, 3, channel->url);
  /* SFTP logs in with the SSH key alone: a certificate left over from another kind is dropped. */
  tsy_store_bind_text (stmt, 4, channel->kind == TSY_CHANNEL_SFTP ? NULL : channel->cert_file);
  tsy_store_bind_text (stmt, 5, channel->key_file);
  tsy_store_bind_text (stmt, 6, channel->ca_file);
  tsy_store_bind_text (stmt, 7, format);
  sqlite3_bind_int (stmt, 8, (int) channel->connect_timeout_ms);
  sqlite3_bind_int (stmt, 9, (int) channel->timeout_ms);
  if (!tsy_store_step_done (store, stmt, error))
    goto fail;
  subject = g_strdup_printf ("bank:%s", bank->code);
  detail = g_strdup_printf ("kind=%s url=%s format=%s", tsy_channel_kind_to_string (channel->kind),
                            channel->url, format);
  if (!tsy_payment_audit (store, actor, "channel.set", subject, detail, error))
    goto fail;
  return tsy_store_commit (store, error);

fail:
  tsy_store_rollback (store);
  return FALSE;
}

gboolean
tsy_bank_channel_set_open (TsyStore   *store,
                           const char *bank_code,
                           gboolean    open,
                           const char *actor,
                           GError    **error)
{
  g_autoptr(TsyBankChannel) channel = NULL;
  g_autofree char *subject = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TSY_IS_STORE (store), FALSE);

  if (!tsy_store_begin (store, error))
    return FALSE;
  channel = tsy_bank_channel_lookup (store, bank_code, error);
  if (channel == NULL)
    goto fail;
  stmt = tsy_store_prepare (store, "UPDATE bank_channel SET is_open = ?2 WHERE bank_id = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, channel->bank_id);
  sqlite3_bind_int (stmt, 2, open ? 1 : 0);
  if (!tsy_store_step_done (store, stmt, error))
    goto fail;
  subject = g_strdup_printf ("bank:%s", channel->bank_code);
  if (!tsy_payment_audit (store, actor, open ? "channel.open" : "channel.close", subject, "", error))
    goto fail;
  return tsy_store_commit (store, error);

fail:
  tsy_store_rollback (store);
  return FALSE;
}

gboolean
tsy_bank_channel_record (TsyStore   *store,
                         gint64      bank_id,
                         guint       latency_ms,
                         const char *error_text,
                         GError    **error)
{
  g_autofree char *now = tsy_payment_now_utc ();
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TSY_IS_STORE (store), FALSE);

  if (!tsy_store_begin (store, error))
    return FALSE;
  if (error_text == NULL)
    stmt = tsy_store_prepare (store,
        "UPDATE bank_channel SET last_success_at = ?2, latency_ms = ?3 WHERE bank_id = ?1", error);
  else
    stmt = tsy_store_prepare (store,
        "UPDATE bank_channel SET last_error_at = ?2, last_error = ?4 WHERE bank_id = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, bank_id);
  tsy_store_bind_text (stmt, 2, now);
  if (error_text == NULL)
    sqlite3_bind_int (stmt, 3, (int) MIN (latency_ms, (guint) G_MAXINT));
  else
    tsy_store_bind_text (stmt, 4, error_text);
  if (!tsy_store_step_done (store, stmt, error))
    goto fail;
  return tsy_store_commit (store, error);

fail:
  tsy_store_rollback (store);
  return FALSE;
}
