/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsy-account.h"
#include "tsy-audit.h"
#include "tsy-book.h"
#include "tsy-ledger-error.h"
#include "tsy-money.h"
#include "tsy-store-private.h"

#define MAX_RECORD (1024 * 1024)
#define MAX_ID 100
#define MAX_TEXT 2000

typedef struct
{
  gint64  id;
  char    number[64];
  char    currency[4];
  TsyDate opening;            /* 0: none */
} AccountSlot;

/* A streaming CSV reader (RFC 4180): one record at a time, fields NUL-separated in @rec. */
typedef struct
{
  GInputStream *in;
  GCancellable *cancellable;
  char         *buf;
  gsize         len;
  gsize         pos;
  gboolean      eof;
  gboolean      first;
  GString      *rec;
  GArray       *starts;       /* guint offsets of the fields in @rec */
} CsvReader;

enum
{
  COL_ID,
  COL_ACCOUNT,
  COL_DATE,
  COL_AMOUNT,
  COL_CURRENCY,
  COL_COUNTERPARTY,
  COL_COUNTERPARTY_ACCOUNT,
  COL_REFERENCE,
  COL_MEMO,
  N_COLS
};

static const char *const col_names[N_COLS] = {
  "id", "account", "date", "amount", "currency", "counterparty", "counterparty_account",
  "reference", "memo",
};

static const char *const source_names[] = { "import", "payment", "manual" };

static gboolean
fill (CsvReader *r,
      GError   **error)
{
  gssize n;

  if (r->eof)
    return TRUE;
  n = g_input_stream_read (r->in, r->buf, 65536, r->cancellable, error);
  if (n < 0)
    return FALSE;
  r->len = (gsize) n;
  r->pos = 0;
  if (n == 0)
    r->eof = TRUE;
  if (r->first && r->len >= 3 && memcmp (r->buf, "\xef\xbb\xbf", 3) == 0)
    r->pos = 3;
  r->first = FALSE;
  return TRUE;
}

/* 1: a record; 0: end of input; -1: error. */
static int
read_record (CsvReader *r,
             GError   **error)
{
  enum { START, PLAIN, QUOTED, QUOTE_SEEN } state = START;
  gboolean any = FALSE;

  g_string_truncate (r->rec, 0);
  g_array_set_size (r->starts, 0);
  for (;;)
    {
      char c;

      if (r->pos >= r->len)
        {
          if (!fill (r, error))
            return -1;
          if (r->eof)
            break;
          continue;
        }
      c = r->buf[r->pos++];
      any = TRUE;
      if (r->rec->len > MAX_RECORD)
        {
          g_set_error_literal (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                               _("a row is longer than 1 MB (an unclosed quote?)"));
          return -1;
        }
      if (state == QUOTED)
        {
          if (c == '"')
            state = QUOTE_SEEN;
          else
            g_string_append_c (r->rec, c);
          continue;
        }
      if (state == QUOTE_SEEN)
        {
          if (c == '"')
            {
              g_string_append_c (r->rec, '"');
              state = QUOTED;
              continue;
            }
          state = PLAIN;
        }
      if (state == START)
        {
          guint start = (guint) r->rec->len;
          g_array_append_val (r->starts, start);
          state = PLAIN;
          if (c == '"')
            {
              state = QUOTED;
              continue;
            }
        }
      if (c == ',')
        {
          g_string_append_c (r->rec, '\0');
          state = START;
        }
      else if (c == '\n')
        {
          if (r->rec->len > 0 && r->rec->str[r->rec->len - 1] == '\r')
            g_string_truncate (r->rec, r->rec->len - 1);
          g_string_append_c (r->rec, '\0');
          return 1;
        }
      else
        g_string_append_c (r->rec, c);
    }
  if (state == QUOTED)
    {
      g_set_error_literal (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                           _("a quoted field is not closed at the end of the file"));
      return -1;
    }
  if (!any)
    return 0;
  if (state == START)
    {
      guint start = (guint) r->rec->len;
      g_array_append_val (r->starts, start);
    }
  if (r->rec->len > 0 && r->rec->str[r->rec->len - 1] == '\r')
    g_string_truncate (r->rec, r->rec->len - 1);
  g_string_append_c (r->rec, '\0');
  return 1;
}

static const char *
field (CsvReader *r,
       int        index)
{
  if (index < 0 || (guint) index >= r->starts->len)
    return NULL;
  return r->rec->str + g_array_index (r->starts, guint, index);
}

static gboolean
record_is_blank (CsvReader *r)
{
  for (guint i = 0; i < r->starts->len; i++)
    {
      const char *f = field (r, (int) i);
      for (; *f; f++)
        if (!g_ascii_isspace (*f))
          return FALSE;
    }
  return TRUE;
}

/* Trims ASCII spaces in place (the record's buffer is ours). */
static char *
trimmed (const char *text)
{
  char *t = (char *) text;

  if (t == NULL)
    return NULL;
  return g_strstrip (t);
}

static gboolean
check_text (const char *text,
            const char *what,
            gsize       max,
            GError    **error)
{
  if (text == NULL)
    return TRUE;
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   _("the field “%s” is not valid UTF-8"), what);
      return FALSE;
    }
  if (strlen (text) > max)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   _("the field “%s” is too long"), what);
      return FALSE;
    }
  for (const char *p = text; *p; p++)
    if ((guchar) *p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
      {
        g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                     _("the field “%s” contains a control character"), what);
        return FALSE;
      }
  return TRUE;
}

static gboolean
resolve_account (TsyStore    *store,
                 GHashTable  *cache,
                 const char  *number,
                 AccountSlot **out,
                 GError     **error)
{
  AccountSlot *slot = cache ? g_hash_table_lookup (cache, number) : NULL;
  g_autoptr(TsyAccountInfo) info = NULL;
  sqlite3_stmt *stmt;

  if (slot != NULL)
    {
      *out = slot;
      return TRUE;
    }
  info = tsy_account_lookup (store, number, error);
  if (info == NULL)
    return FALSE;
  slot = g_new0 (AccountSlot, 1);
  slot->id = info->id;
  g_strlcpy (slot->number, info->number, sizeof slot->number);
  memcpy (slot->currency, info->currency, 4);
  stmt = tsy_store_prepare (store, "SELECT date FROM book_opening WHERE account_id = ?1", error);
  if (stmt == NULL)
    {
      g_free (slot);
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, slot->id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    slot->opening = tsy_store_column_date (stmt, 0);
  sqlite3_reset (stmt);
  if (cache != NULL)
    g_hash_table_insert (cache, g_strdup (number), slot);
  *out = slot;
  return TRUE;
}

/* Inserts or recognises one entry whose fields are checked. */
static gboolean
insert_entry (TsyStore               *store,
              const AccountSlot      *account,
              const TsyBookEntrySpec *spec,
              gint64                  import_id,
              gint64                 *out_id,
              gboolean               *out_new,
              GError                **error)
{
  sqlite3_stmt *stmt;
  char date_text[11];
  const char *source = spec->source ? spec->source : "manual";

  if (account->opening != TSY_DATE_NONE && spec->date < account->opening)
    {
      char opening[11];
      tsy_date_format_iso (account->opening, opening);
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   /* Translators: %1$s an account number, %2$s a date */
                   _("the entry is dated before the opening balance of the book of %1$s (%2$s)"),
                   account->number, opening);
      return FALSE;
    }
  stmt = tsy_store_prepare (store,
      "INSERT INTO book_entry (ext_id, account_id, date, amount_minor, currency, counterparty,"
      " counterparty_account, reference, memo, source, import_id)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT (ext_id) DO NOTHING",
      error);
  if (stmt == NULL)
    return FALSE;
  tsy_store_bind_text (stmt, 1, spec->ext_id);
  sqlite3_bind_int64 (stmt, 2, account->id);
  tsy_store_bind_date (stmt, 3, spec->date);
  sqlite3_bind_int64 (stmt, 4, spec->amount_minor);
  tsy_store_bind_text (stmt, 5, account->currency);
  tsy_store_bind_text (stmt, 6, spec->counterparty && *spec->counterparty ? spec->counterparty : NULL);
  tsy_store_bind_text (stmt, 7, spec->counterparty_account && *spec->counterparty_account
                                  ? spec->counterparty_account : NULL);
  tsy_store_bind_text (stmt, 8, spec->reference && *spec->reference ? spec->reference : NULL);
  tsy_store_bind_text (stmt, 9, spec->memo && *spec->memo ? spec->memo : NULL);
  tsy_store_bind_text (stmt, 10, source);
  if (import_id > 0)
    sqlite3_bind_int64 (stmt, 11, import_id);
  if (!tsy_store_step_done (store, stmt, error))
    return FALSE;
  if (sqlite3_changes (tsy_store_get_db (store)) > 0)
    {
      *out_id = sqlite3_last_insert_rowid (tsy_store_get_db (store));
      *out_new = TRUE;
      return TRUE;
    }

  /* A known id: the same facts are a re-import; other facts are refused. */
  stmt = tsy_store_prepare (store,
      "SELECT id, account_id, date, amount_minor, import_id FROM book_entry WHERE ext_id = ?1",
      error);
  if (stmt == NULL)
    return FALSE;
  tsy_store_bind_text (stmt, 1, spec->ext_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      tsy_store_set_error (store, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  tsy_date_format_iso (spec->date, date_text);
  if (import_id > 0 && sqlite3_column_type (stmt, 4) != SQLITE_NULL &&
      sqlite3_column_int64 (stmt, 4) == import_id)
    {
      sqlite3_reset (stmt);
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DUPLICATE,
                   _("the id “%s” appears twice in the file"), spec->ext_id);
      return FALSE;
    }
  if (sqlite3_column_int64 (stmt, 1) != account->id ||
      g_strcmp0 ((const char *) sqlite3_column_text (stmt, 2), date_text) != 0 ||
      sqlite3_column_int64 (stmt, 3) != spec->amount_minor)
    {
      sqlite3_reset (stmt);
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DUPLICATE,
                   _("the id “%s” is already in the book with another account, date or amount"),
                   spec->ext_id);
      return FALSE;
    }
  *out_id = sqlite3_column_int64 (stmt, 0);
  *out_new = FALSE;
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
check_spec_texts (const TsyBookEntrySpec *spec,
                  GError                **error)
{
  if (spec->ext_id == NULL || *spec->ext_id == '\0')
    {
      g_set_error_literal (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID, _("the id is empty"));
      return FALSE;
    }
  /* the names of the CSV columns, which are not translated */
  return check_text (spec->ext_id, "id", MAX_ID, error) &&
         check_text (spec->counterparty, "counterparty", MAX_TEXT, error) &&
         check_text (spec->counterparty_account, "counterparty_account", MAX_TEXT, error) &&
         check_text (spec->reference, "reference", MAX_TEXT, error) &&
         check_text (spec->memo, "memo", MAX_TEXT, error);
}

static gboolean
parse_row (TsyStore         *store,
           GHashTable       *accounts,
           CsvReader        *r,
           const int        *cols,
           TsyBookEntrySpec *spec,
           AccountSlot     **out_account,
           GError          **error)
{
  const char *date = trimmed (field (r, cols[COL_DATE]));
  const char *amount = trimmed (field (r, cols[COL_AMOUNT]));
  const char *currency = trimmed (field (r, cols[COL_CURRENCY]));
  AccountSlot *account = NULL;

  if (r->starts->len < (guint) cols[COL_AMOUNT] + 1 || r->starts->len < (guint) cols[COL_DATE] + 1 ||
      r->starts->len < (guint) cols[COL_ID] + 1 || r->starts->len < (guint) cols[COL_ACCOUNT] + 1)
    {
      g_set_error_literal (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                           _("the row has fewer columns than the header"));
      return FALSE;
    }
  memset (spec, 0, sizeof *spec);
  spec->ext_id = trimmed (field (r, cols[COL_ID]));
  spec->account = trimmed (field (r, cols[COL_ACCOUNT]));
  spec->counterparty = trimmed (field (r, cols[COL_COUNTERPARTY]));
  spec->counterparty_account = trimmed (field (r, cols[COL_COUNTERPARTY_ACCOUNT]));
  spec->reference = trimmed (field (r, cols[COL_REFERENCE]));
  spec->memo = trimmed (field (r, cols[COL_MEMO]));
  spec->source = "import";
  if (!check_spec_texts (spec, error))
    return FALSE;
  if (spec->account == NULL || *spec->account == '\0')
    {
      g_set_error_literal (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                           _("the account is empty"));
      return FALSE;
    }
  if (!check_text (spec->account, "account", 64, error) ||
      !resolve_account (store, accounts, spec->account, &account, error))
    return FALSE;
  if (date == NULL || *date == '\0')
    {
      g_set_error_literal (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                           _("the date is empty"));
      return FALSE;
    }
  if (!tsy_date_parse_iso (date, &spec->date, error))
    return FALSE;
  if (currency != NULL && *currency != '\0' && g_ascii_strcasecmp (currency, account->currency) != 0)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_CURRENCY_MISMATCH,
                   /* Translators: %1$s and %3$s currency codes, %2$s an account number */
                   _("the entry is in %1$s but the account %2$s is in %3$s"),
                   currency, account->number, account->currency);
      return FALSE;
    }
  if (amount == NULL || *amount == '\0')
    {
      g_set_error_literal (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                           _("the amount is empty"));
      return FALSE;
    }
  if (!tsy_money_parse (amount, -1, account->currency, TSY_DECIMAL_POINT, &spec->amount_minor, error))
    return FALSE;
  *out_account = account;
  return TRUE;
}

static gboolean
read_header (CsvReader *r,
             int       *cols,
             GError   **error)
{
  int rc = read_record (r, error);

  if (rc < 0)
    return FALSE;
  if (rc == 0)
    {
      g_set_error_literal (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                           _("the file is empty (a header row is needed)"));
      return FALSE;
    }
  for (int c = 0; c < N_COLS; c++)
    cols[c] = -1;
  for (guint i = 0; i < r->starts->len; i++)
    {
      g_autofree char *name = g_ascii_strdown (trimmed (field (r, (int) i)), -1);
      for (int c = 0; c < N_COLS; c++)
        if (strcmp (name, col_names[c]) == 0)
          {
            if (cols[c] >= 0)
              {
                g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                             _("the column “%s” appears twice in the header"), col_names[c]);
                return FALSE;
              }
            cols[c] = (int) i;
          }
    }
  for (int c = 0; c <= COL_AMOUNT; c++)
    if (cols[c] < 0)
      {
        g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                     _("the header has no column “%s” (id,account,date,amount,currency,counterparty,counterparty_account,reference,memo)"),
                     col_names[c]);
        return FALSE;
      }
  return TRUE;
}

gboolean
tsy_book_import_stream (TsyStore            *store,
                        GInputStream        *stream,
                        const char          *display_name,
                        TsyBookImportResult *result,
                        GCancellable        *cancellable,
                        GError             **error)
{
  g_autoptr(GHashTable) accounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = g_date_time_format_iso8601 (now);
  CsvReader r = { 0 };
  TsyBookImportResult res = { 0 };
  GError *local = NULL;
  int cols[N_COLS];
  guint row = 1;
  gint64 import_id = 0;
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  g_return_val_if_fail (TSY_IS_STORE (store), FALSE);
  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), FALSE);

  r.in = stream;
  r.cancellable = cancellable;
  r.buf = g_malloc (65536);
  r.first = TRUE;
  r.rec = g_string_sized_new (256);
  r.starts = g_array_new (FALSE, FALSE, sizeof (guint));

  if (!tsy_store_begin (store, error))
    goto out;
  if (!read_header (&r, cols, &local))
    goto fail;
  stmt = tsy_store_prepare (store, "INSERT INTO book_import (file_name, at) VALUES (?1, ?2)", &local);
  if (stmt == NULL)
    goto fail;
  tsy_store_bind_text (stmt, 1, display_name);
  tsy_store_bind_text (stmt, 2, at);
  if (!tsy_store_step_done (store, stmt, &local))
    goto fail;
  import_id = sqlite3_last_insert_rowid (tsy_store_get_db (store));

  for (;;)
    {
      TsyBookEntrySpec spec;
      AccountSlot *account = NULL;
      gboolean is_new = FALSE;
      gint64 id = 0;
      int rc = read_record (&r, &local);

      if (rc < 0)
        {
          row++;
          goto fail_row;
        }
      if (rc == 0)
        break;
      row++;
      if (record_is_blank (&r))
        continue;
      if ((row & 4095) == 0 && g_cancellable_set_error_if_cancelled (cancellable, &local))
        goto fail;
      if (!parse_row (store, accounts, &r, cols, &spec, &account, &local) ||
          !insert_entry (store, account, &spec, import_id, &id, &is_new, &local))
        goto fail_row;
      res.rows++;
      if (is_new)
        res.new_entries++;
      else
        res.present_entries++;
    }

  stmt = tsy_store_prepare (store,
      "UPDATE book_import SET new_entries = ?2, present_entries = ?3 WHERE id = ?1", &local);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, import_id);
  sqlite3_bind_int64 (stmt, 2, res.new_entries);
  sqlite3_bind_int64 (stmt, 3, res.present_entries);
  if (!tsy_store_step_done (store, stmt, &local))
    goto fail;
  if (!tsy_store_commit (store, &local))
    goto out_error;
  if (result != NULL)
    *result = res;
  ok = TRUE;
  goto out;

fail_row:
  tsy_store_rollback (store);
  g_set_error (error, local->domain, local->code,
               /* Translators: %1$s a file name, %2$u a row number (the header is row 1), %3$s the reason */
               _("%1$s: row %2$u: %3$s"), display_name, row, local->message);
  g_clear_error (&local);
  goto out;
fail:
  tsy_store_rollback (store);
out_error:
  g_prefix_error (&local, "%s: ", display_name);
  g_propagate_error (error, local);
out:
  g_free (r.buf);
  g_string_free (r.rec, TRUE);
  g_array_unref (r.starts);
  return ok;
}

gboolean
tsy_book_import_file (TsyStore            *store,
                      const char          *path,
                      TsyBookImportResult *result,
                      GCancellable        *cancellable,
                      GError             **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = NULL;
  g_autofree char *name = g_path_get_basename (path);

  in = g_file_read (file, cancellable, error);
  if (in == NULL)
    return FALSE;
  return tsy_book_import_stream (store, G_INPUT_STREAM (in), name, result, cancellable, error);
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  g_autoptr(TsyStore) own = NULL;
  TsyBookImportResult *res = g_new0 (TsyBookImportResult, 1);
  GError *error = NULL;

  own = tsy_store_reopen (TSY_STORE (source_object), &error);
  if (own == NULL || !tsy_book_import_file (own, task_data, res, cancellable, &error))
    {
      g_free (res);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, res, g_free);
}

void
tsy_book_import_file_async (TsyStore           *store,
                            const char         *path,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TSY_IS_STORE (store));
  g_return_if_fail (path != NULL);

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, tsy_book_import_file_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, import_thread);
}

gboolean
tsy_book_import_file_finish (TsyStore            *store,
                             GAsyncResult        *result,
                             TsyBookImportResult *out_result,
                             GError             **error)
{
  g_autofree TsyBookImportResult *res = NULL;

  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  res = g_task_propagate_pointer (G_TASK (result), error);
  if (res == NULL)
    return FALSE;
  if (out_result != NULL)
    *out_result = *res;
  return TRUE;
}

gint64
tsy_book_add_entry (TsyStore               *store,
                    const TsyBookEntrySpec *spec,
                    gboolean               *out_new,
                    GError                **error)
{
  AccountSlot *account = NULL;
  gboolean is_new = FALSE;
  gint64 id = 0;
  gboolean known_source = spec->source == NULL;

  g_return_val_if_fail (TSY_IS_STORE (store), 0);
  g_return_val_if_fail (spec != NULL, 0);

  for (guint i = 0; i < G_N_ELEMENTS (source_names); i++)
    if (g_strcmp0 (spec->source, source_names[i]) == 0)
      known_source = TRUE;
  g_return_val_if_fail (known_source, 0);

  if (!check_spec_texts (spec, error))
    return 0;
  if (spec->date == TSY_DATE_NONE)
    {
      g_set_error_literal (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                           _("A book entry needs a date"));
      return 0;
    }
  if (!tsy_store_begin (store, error))
    return 0;
  if (!resolve_account (store, NULL, spec->account, &account, error))
    goto fail;
  if (spec->currency != NULL && g_ascii_strcasecmp (spec->currency, account->currency) != 0)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_CURRENCY_MISMATCH,
                   _("the entry is in %1$s but the account %2$s is in %3$s"),
                   spec->currency, account->number, account->currency);
      goto fail;
    }
  if (!insert_entry (store, account, spec, 0, &id, &is_new, error))
    goto fail;
  g_clear_pointer (&account, g_free);
  if (!tsy_store_commit (store, error))
    return 0;
  if (out_new != NULL)
    *out_new = is_new;
  return id;

fail:
  g_free (account);
  tsy_store_rollback (store);
  return 0;
}

gboolean
tsy_book_set_opening (TsyStore   *store,
                      const char *account,
                      gint64      amount_minor,
                      TsyDate     date,
                      const char *actor,
                      GError    **error)
{
  g_autoptr(TsyAccountInfo) info = NULL;
  g_autofree char *amount = NULL;
  g_autofree char *detail = NULL;
  sqlite3_stmt *stmt;
  char date_text[11];

  g_return_val_if_fail (TSY_IS_STORE (store), FALSE);
  g_return_val_if_fail (account != NULL, FALSE);

  if (date == TSY_DATE_NONE)
    {
      g_set_error_literal (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                           _("The opening balance needs a date"));
      return FALSE;
    }
  if (!tsy_store_begin (store, error))
    return FALSE;
  info = tsy_account_lookup (store, account, error);
  if (info == NULL)
    goto fail;
  tsy_date_format_iso (date, date_text);
  stmt = tsy_store_prepare (store,
      "SELECT min(date) FROM book_entry WHERE account_id = ?1 AND date < ?2", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, info->id);
  tsy_store_bind_text (stmt, 2, date_text);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    {
      g_autofree char *first = tsy_store_column_dup (stmt, 0);
      sqlite3_reset (stmt);
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   /* Translators: %1$s an account number, %2$s a date, %3$s a date */
                   _("The book of %1$s has entries from %2$s, before the opening date %3$s"),
                   info->number, first, date_text);
      goto fail;
    }
  sqlite3_reset (stmt);
  stmt = tsy_store_prepare (store,
      "INSERT INTO book_opening (account_id, date, amount_minor) VALUES (?1, ?2, ?3)"
      " ON CONFLICT (account_id) DO UPDATE SET date = excluded.date,"
      " amount_minor = excluded.amount_minor", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, info->id);
  tsy_store_bind_text (stmt, 2, date_text);
  sqlite3_bind_int64 (stmt, 3, amount_minor);
  if (!tsy_store_step_done (store, stmt, error))
    goto fail;
  amount = tsy_money_to_decimal (amount_minor, info->currency);
  detail = g_strdup_printf ("%s %s %s", date_text, amount, info->currency);
  if (tsy_audit_append (store, actor ? actor : "system", "book.opening", info->number, detail,
                        error) == 0)
    goto fail;
  return tsy_store_commit (store, error);

fail:
  tsy_store_rollback (store);
  return FALSE;
}

gboolean
tsy_book_get_opening (TsyStore *store,
                      gint64    account_id,
                      gint64   *out_amount_minor,
                      TsyDate  *out_date,
                      GError  **error)
{
  sqlite3_stmt *stmt = tsy_store_prepare (store,
      "SELECT amount_minor, date FROM book_opening WHERE account_id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      if (out_amount_minor != NULL)
        *out_amount_minor = sqlite3_column_int64 (stmt, 0);
      if (out_date != NULL)
        *out_date = tsy_store_column_date (stmt, 1);
      sqlite3_reset (stmt);
      return TRUE;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return tsy_store_set_error (store, error);
  g_set_error_literal (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_NOT_FOUND,
                       _("The book of this account has no opening balance"));
  return FALSE;
}

gboolean
tsy_book_balance (TsyStore *store,
                  gint64    account_id,
                  TsyDate   date,
                  gint64   *out_minor,
                  GError  **error)
{
  gint64 opening = 0;
  TsyDate opening_date = TSY_DATE_NONE;
  gint64 total = 0;
  GError *local = NULL;
  sqlite3_stmt *stmt;

  if (!tsy_book_get_opening (store, account_id, &opening, &opening_date, &local))
    {
      if (!g_error_matches (local, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, local);
          return FALSE;
        }
      g_clear_error (&local);
    }
  /* summed in C with overflow checks, not by SQL's sum() */
  stmt = tsy_store_prepare (store,
      "SELECT amount_minor FROM book_entry WHERE account_id = ?1 AND date <= ?2"
      " AND (?3 IS NULL OR date >= ?3)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  tsy_store_bind_date (stmt, 2, date);
  tsy_store_bind_date (stmt, 3, opening_date);
  total = opening;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    if (!tsy_money_add (total, sqlite3_column_int64 (stmt, 0), &total, error))
      {
        sqlite3_reset (stmt);
        return FALSE;
      }
  sqlite3_reset (stmt);
  *out_minor = total;
  return TRUE;
}

gboolean
tsy_book_exists (TsyStore *store,
                 gint64    account_id,
                 gboolean *out_exists,
                 GError  **error)
{
  sqlite3_stmt *stmt = tsy_store_prepare (store,
      "SELECT EXISTS (SELECT 1 FROM book_opening WHERE account_id = ?1)"
      " OR EXISTS (SELECT 1 FROM book_entry WHERE account_id = ?1)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return tsy_store_set_error (store, error);
    }
  *out_exists = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
tsy_book_foreach (TsyStore    *store,
                  const char  *account,
                  TsyDate      from,
                  TsyDate      to,
                  TsyBookFunc  func,
                  gpointer     user_data,
                  GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autofree char *number = NULL;
  int rc;

  if (account != NULL)
    {
      g_autoptr(TsyAccountInfo) info = tsy_account_lookup (store, account, error);
      if (info == NULL)
        return FALSE;
      number = g_strdup (info->number);
    }
  if (sqlite3_prepare_v2 (tsy_store_get_db (store),
        "SELECT e.id, e.ext_id, a.number, e.date, e.amount_minor, e.currency, e.counterparty,"
        " e.counterparty_account, e.reference, e.memo, e.source"
        " FROM book_entry e JOIN account a ON a.id = e.account_id"
        " WHERE (?1 IS NULL OR a.number = ?1) AND (?2 IS NULL OR e.date >= ?2)"
        " AND (?3 IS NULL OR e.date <= ?3)"
        " ORDER BY a.number, e.date, e.id", -1, &stmt, NULL) != SQLITE_OK)
    return tsy_store_set_error (store, error);
  tsy_store_bind_text (stmt, 1, number);
  tsy_store_bind_date (stmt, 2, from);
  tsy_store_bind_date (stmt, 3, to);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TsyBookRow row = { 0 };

      row.id = sqlite3_column_int64 (stmt, 0);
      row.ext_id = (const char *) sqlite3_column_text (stmt, 1);
      row.account = (const char *) sqlite3_column_text (stmt, 2);
      row.date = tsy_store_column_date (stmt, 3);
      row.amount_minor = sqlite3_column_int64 (stmt, 4);
      row.currency = (const char *) sqlite3_column_text (stmt, 5);
      row.counterparty = (const char *) sqlite3_column_text (stmt, 6);
      row.counterparty_account = (const char *) sqlite3_column_text (stmt, 7);
      row.reference = (const char *) sqlite3_column_text (stmt, 8);
      row.memo = (const char *) sqlite3_column_text (stmt, 9);
      row.source = (const char *) sqlite3_column_text (stmt, 10);
      if (!func (&row, user_data))
        break;
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      tsy_store_set_error (store, error);
      sqlite3_finalize (stmt);
      return FALSE;
    }
  sqlite3_finalize (stmt);
  return TRUE;
}
