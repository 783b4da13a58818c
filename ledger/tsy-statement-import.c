/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsy-account.h"
#include "tsy-iban.h"
#include "tsy-ledger-error.h"
#include "tsy-money.h"
#include "tsy-statement-import.h"
#include "tsy-store-private.h"

struct _TsyImport
{
  TsyStore       *store;
  char           *display_name;
  char           *fingerprint;
  TsyAccountInfo *forced;          /* --account */
  gint64          import_id;
  gint64          first_line_id;   /* lines of this import have larger ids */
  char           *format;
  guint           statements;
  guint           new_lines;
  guint           present_lines;
  GPtrArray      *accounts;        /* numbers touched */
  GChecksum      *checksum;
  GString        *buf;             /* scratch */
  TsyDate         date_cached[2];  /* booking, value: the last formatted dates */
  char            date_text[2][11];

  /* the statement being read */
  gboolean        in_statement;
  TsyAccountInfo *account;
  char            currency[4];
  gint64          statement_row;
  gint64          sum;
  guint           n_lines;
  guint           n_new_in_statement;
  char           *statement_label;

  sqlite3_stmt   *insert_line;
  sqlite3_stmt   *find_line;
  sqlite3_stmt   *insert_detail;
  sqlite3_stmt   *bump_occurrence;
  sqlite3_stmt   *get_occurrence;
};

static gboolean create_statement_row (TsyImport                *imp,
                                      const TsyStatementHeader *header,
                                      GError                  **error);

static const char *const kind_names[] = {
  [TSY_STATEMENT_KIND_FINAL] = "final",
  [TSY_STATEMENT_KIND_INTRADAY] = "intraday",
  [TSY_STATEMENT_KIND_NOTIFICATION] = "notification",
};

void
tsy_import_result_clear (TsyImportResult *result)
{
  g_clear_pointer (&result->format, g_free);
  g_clear_pointer (&result->accounts, g_ptr_array_unref);
  memset (result, 0, sizeof *result);
}

void
tsy_import_result_free (TsyImportResult *result)
{
  if (result == NULL)
    return;
  tsy_import_result_clear (result);
  g_free (result);
}

static void
import_free (TsyImport *imp)
{
  g_clear_object (&imp->store);
  g_free (imp->display_name);
  g_free (imp->fingerprint);
  g_clear_pointer (&imp->forced, tsy_account_info_free);
  g_clear_pointer (&imp->account, tsy_account_info_free);
  g_free (imp->format);
  g_free (imp->statement_label);
  g_clear_pointer (&imp->accounts, g_ptr_array_unref);
  g_clear_pointer (&imp->checksum, g_checksum_free);
  if (imp->buf != NULL)
    g_string_free (imp->buf, TRUE);
  g_free (imp);
}

/* "NL77…8765": enough to recognise an account in a message without showing all of it. */
static char *
short_account (const char *number)
{
  gsize len = number ? strlen (number) : 0;

  if (len <= 8)
    return tsy_account_mask (number);
  return g_strdup_printf ("%.4s…%s", number, number + len - 4);
}

static gboolean
prepare_all (TsyImport *imp,
             GError   **error)
{
  sqlite3 *db = tsy_store_get_db (imp->store);
  struct { sqlite3_stmt **stmt; const char *sql; } list[] = {
    { &imp->insert_line,
      "INSERT INTO statement_line (account_id, ident, statement_id, booking_date, value_date,"
      " amount_minor, currency, reversal, bank_ref, customer_ref, end_to_end_id, counterparty,"
      " counterparty_account, counterparty_bank, text, bank_tx_code, raw, n_details)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)"
      " ON CONFLICT (account_id, ident) DO NOTHING" },
    { &imp->find_line,
      "SELECT amount_minor, booking_date FROM statement_line WHERE account_id = ?1 AND ident = ?2" },
    { &imp->insert_detail,
      "INSERT INTO statement_line_detail (line_id, seq, amount_minor, end_to_end_id, instruction_id,"
      " uetr, counterparty, counterparty_account, counterparty_bank, text)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)" },
    { &imp->bump_occurrence,
      "INSERT INTO temp.import_occurrence (account_id, hash, n) VALUES (?1, ?2, 1)"
      " ON CONFLICT (account_id, hash) DO UPDATE SET n = n + 1" },
    { &imp->get_occurrence,
      "SELECT n FROM temp.import_occurrence WHERE account_id = ?1 AND hash = ?2" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (list); i++)
    {
      *list[i].stmt = tsy_store_prepare (imp->store, list[i].sql, error);
      if (*list[i].stmt == NULL)
        return FALSE;
    }
  (void) db;
  return TRUE;
}

TsyImport *
tsy_import_begin (TsyStore   *store,
                  const char *display_name,
                  const char *account,
                  GError    **error)
{
  TsyImport *imp;
  sqlite3_stmt *stmt;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = g_date_time_format_iso8601 (now);

  g_return_val_if_fail (TSY_IS_STORE (store), NULL);

  imp = g_new0 (TsyImport, 1);
  imp->store = g_object_ref (store);
  imp->display_name = g_strdup (display_name ? display_name : "-");
  imp->accounts = g_ptr_array_new_with_free_func (g_free);
  imp->checksum = g_checksum_new (G_CHECKSUM_SHA256);
  imp->buf = g_string_sized_new (256);

  if (!tsy_store_exec (store,
                       "CREATE TEMP TABLE IF NOT EXISTS import_occurrence ("
                       " account_id INTEGER NOT NULL, hash TEXT NOT NULL, n INTEGER NOT NULL,"
                       " PRIMARY KEY (account_id, hash)) WITHOUT ROWID", error))
    {
      import_free (imp);
      return NULL;
    }
  if (!tsy_store_begin (store, error))
    {
      import_free (imp);
      return NULL;
    }
  if (!tsy_store_exec (store, "DELETE FROM temp.import_occurrence", error))
    goto fail;
  if (account != NULL)
    {
      imp->forced = tsy_account_lookup (store, account, error);
      if (imp->forced == NULL)
        goto fail;
    }
  stmt = tsy_store_prepare (store, "INSERT INTO import_batch (file_name, at) VALUES (?1, ?2)", error);
  if (stmt == NULL)
    goto fail;
  tsy_store_bind_text (stmt, 1, imp->display_name);
  tsy_store_bind_text (stmt, 2, at);
  if (!tsy_store_step_done (store, stmt, error))
    goto fail;
  imp->import_id = sqlite3_last_insert_rowid (tsy_store_get_db (store));
  stmt = tsy_store_prepare (store, "SELECT coalesce (max (id), 0) FROM statement_line", error);
  if (stmt == NULL)
    goto fail;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    imp->first_line_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  /* A large page cache for the bulk of one file: fewer reads of index pages back from disk. */
  if (!tsy_store_exec (store, "PRAGMA cache_size = -24000", error))
    goto fail;
  if (!prepare_all (imp, error))
    goto fail;
  return imp;

fail:
  tsy_store_rollback (store);
  import_free (imp);
  return NULL;
}

void
tsy_import_set_fingerprint (TsyImport  *imp,
                            const char *fingerprint)
{
  g_free (imp->fingerprint);
  imp->fingerprint = g_strdup (fingerprint);
}

gboolean
tsy_import_find_previous (TsyStore        *store,
                          const char      *fingerprint,
                          const char      *account,
                          TsyImportResult *result,
                          GError         **error)
{
  g_autoptr(TsyAccountInfo) forced = NULL;
  sqlite3_stmt *stmt;
  gint64 id = 0;

  g_return_val_if_fail (TSY_IS_STORE (store), FALSE);

  if (fingerprint == NULL)
    return FALSE;
  if (account != NULL)
    {
      forced = tsy_account_lookup (store, account, NULL);
      if (forced == NULL)
        return FALSE;   /* the import proper reports the unknown account */
    }
  stmt = tsy_store_prepare (store,
      "SELECT id, format, statements, new_lines + present_lines FROM import_batch"
      " WHERE fingerprint = ?1 AND account_option IS ?2 ORDER BY id LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  tsy_store_bind_text (stmt, 1, fingerprint);
  tsy_store_bind_text (stmt, 2, forced ? forced->number : NULL);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      id = sqlite3_column_int64 (stmt, 0);
      result->format = tsy_store_column_dup (stmt, 1);
      result->statements = (guint) sqlite3_column_int (stmt, 2);
      result->new_lines = 0;
      result->present_lines = (guint) sqlite3_column_int (stmt, 3);
    }
  sqlite3_reset (stmt);
  if (id == 0)
    return FALSE;

  result->accounts = g_ptr_array_new_with_free_func (g_free);
  stmt = tsy_store_prepare (store,
      "SELECT number FROM import_batch_account WHERE import_id = ?1 ORDER BY seq", error);
  if (stmt == NULL)
    {
      tsy_import_result_clear (result);
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (result->accounts, tsy_store_column_dup (stmt, 0));
  sqlite3_reset (stmt);
  return TRUE;
}

void
tsy_import_abort (TsyImport *imp)
{
  if (imp == NULL)
    return;
  tsy_store_rollback (imp->store);
  import_free (imp);
}

gboolean
tsy_import_commit (TsyImport       *imp,
                   TsyImportResult *result,
                   GError         **error)
{
  sqlite3_stmt *stmt;

  if (imp->in_statement)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   _("%s: the file ends inside a statement"), imp->display_name);
      tsy_import_abort (imp);
      return FALSE;
    }
  if (imp->statements == 0)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   _("%s: the file holds no statement"), imp->display_name);
      tsy_import_abort (imp);
      return FALSE;
    }
  stmt = tsy_store_prepare (imp->store,
      "UPDATE import_batch SET format = ?2, statements = ?3, new_lines = ?4, present_lines = ?5,"
      " fingerprint = ?6, account_option = ?7 WHERE id = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, imp->import_id);
  tsy_store_bind_text (stmt, 2, imp->format);
  sqlite3_bind_int (stmt, 3, imp->statements);
  sqlite3_bind_int (stmt, 4, imp->new_lines);
  sqlite3_bind_int (stmt, 5, imp->present_lines);
  tsy_store_bind_text (stmt, 6, imp->fingerprint);
  tsy_store_bind_text (stmt, 7, imp->forced ? imp->forced->number : NULL);
  if (!tsy_store_step_done (imp->store, stmt, error))
    goto fail;
  for (guint i = 0; i < imp->accounts->len; i++)
    {
      stmt = tsy_store_prepare (imp->store,
          "INSERT INTO import_batch_account (import_id, seq, number) VALUES (?1, ?2, ?3)", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, imp->import_id);
      sqlite3_bind_int (stmt, 2, (int) i);
      tsy_store_bind_text (stmt, 3, g_ptr_array_index (imp->accounts, i));
      if (!tsy_store_step_done (imp->store, stmt, error))
        goto fail;
    }
  if (
      !tsy_store_exec (imp->store, "DELETE FROM temp.import_occurrence", error))
    goto fail;
  if (!tsy_store_commit (imp->store, error))
    {
      import_free (imp);
      return FALSE;
    }
  if (result != NULL)
    {
      result->format = g_steal_pointer (&imp->format);
      result->statements = imp->statements;
      result->new_lines = imp->new_lines;
      result->present_lines = imp->present_lines;
      result->accounts = g_steal_pointer (&imp->accounts);
    }
  import_free (imp);
  return TRUE;

fail:
  tsy_import_abort (imp);
  return FALSE;
}

/* Finds the registered account a statement names: as written, without a "BIC/" or "BLZ/"
 * prefix, or without a currency suffix (ING's "NL77INGB0574908765EUR"). */
static TsyAccountInfo *
resolve_account (TsyImport                *imp,
                 const TsyStatementHeader *header,
                 GError                  **error)
{
  const char *name = header->account;
  TsyAccountInfo *info;
  g_autofree char *shown = NULL;

  if (imp->forced != NULL)
    {
      TsyAccountInfo *copy = tsy_account_lookup (imp->store, imp->forced->number, error);
      return copy;
    }
  if (name == NULL || *name == '\0')
    {
      /* NOT_FOUND, as for an unknown number: the caller may ask which account is meant. */
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_NOT_FOUND,
                   _("%s: the statement does not name its account; say which account it belongs to"),
                   imp->display_name);
      return NULL;
    }
  info = tsy_account_lookup (imp->store, name, NULL);
  if (info == NULL && strchr (name, '/') != NULL)
    info = tsy_account_lookup (imp->store, strrchr (name, '/') + 1, NULL);
  if (info == NULL)
    {
      g_autofree char *normal = tsy_account_normalize_number (name);
      gsize len = strlen (normal);
      if (len > 3 && header->currency != NULL && g_str_has_suffix (normal, header->currency))
        {
          normal[len - 3] = '\0';
          info = tsy_account_lookup (imp->store, normal, NULL);
        }
    }
  if (info != NULL)
    return info;
  shown = short_account (name);
  g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_NOT_FOUND,
               /* Translators: %1$s a file name, %2$s a shortened account number */
               _("%1$s: the account %2$s is not registered; add it first (treasury account add)"),
               imp->display_name, shown);
  return NULL;
}

static gboolean
begin_statement (gpointer                  user_data,
                 const TsyStatementHeader *header,
                 GError                  **error)
{
  TsyImport *imp = user_data;
  g_autofree char *number = NULL;

  if (imp->in_statement)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   _("%s: a statement starts inside another"), imp->display_name);
      return FALSE;
    }
  g_clear_pointer (&imp->account, tsy_account_info_free);
  imp->account = resolve_account (imp, header, error);
  if (imp->account == NULL)
    return FALSE;
  if (header->currency != NULL && strcmp (header->currency, imp->account->currency) != 0)
    {
      g_autofree char *shown = short_account (imp->account->number);
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_CURRENCY_MISMATCH,
                   /* Translators: %1$s file, %2$s account, %3$s and %4$s currency codes */
                   _("%1$s: the statement of %2$s is in %3$s but the account is in %4$s"),
                   imp->display_name, shown, header->currency, imp->account->currency);
      return FALSE;
    }
  if (header->currency == NULL && tsy_currency_exponent (imp->account->currency) != 2)
    {
      /* A file that does not say its currency was read with two decimals (the common case);
       * that reading is wrong for JPY (0) or KWD (3): refuse rather than scale by 100. */
      g_autofree char *shown = short_account (imp->account->number);
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_CURRENCY_MISMATCH,
                   /* Translators: %1$s file, %2$s account, %3$s currency code */
                   _("%1$s: the file does not say its currency and the account %2$s is in %3$s; give a column profile that names the currency"),
                   imp->display_name, shown, imp->account->currency);
      return FALSE;
    }
  g_strlcpy (imp->currency, imp->account->currency, sizeof imp->currency);
  imp->in_statement = TRUE;
  imp->sum = 0;
  imp->n_lines = 0;
  imp->n_new_in_statement = 0;
  imp->statement_row = 0;
  g_free (imp->statement_label);
  imp->statement_label = g_strdup (header->statement_id ? header->statement_id : "-");
  if (imp->format == NULL && header->format != NULL)
    imp->format = g_strdup (header->format);

  if (!create_statement_row (imp, header, error))
    return FALSE;

  number = g_strdup (imp->account->number);
  if (!g_ptr_array_find_with_equal_func (imp->accounts, number, g_str_equal, NULL))
    g_ptr_array_add (imp->accounts, g_steal_pointer (&number));
  return TRUE;
}

/* The statement row is made when the statement begins, under a provisional identity; when it
 * ends and its dates and balances are known, it takes its real identity — or, when the same
 * statement was imported before, its new lines move to that row and the provisional one goes. */
static gboolean
create_statement_row (TsyImport                *imp,
                      const TsyStatementHeader *header,
                      GError                  **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *ident = g_strdup_printf ("pending:%" G_GINT64_FORMAT ":%u", imp->import_id,
                                            imp->statements);
  TsyStatementKind kind = header->kind <= TSY_STATEMENT_KIND_NOTIFICATION ? header->kind : 0;

  stmt = tsy_store_prepare (imp->store,
      "INSERT INTO statement (account_id, ident, import_id, format, kind, bank_statement_id,"
      " sequence, currency) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, imp->account->id);
  tsy_store_bind_text (stmt, 2, ident);
  sqlite3_bind_int64 (stmt, 3, imp->import_id);
  tsy_store_bind_text (stmt, 4, header->format ? header->format : "unknown");
  tsy_store_bind_text (stmt, 5, kind_names[kind]);
  tsy_store_bind_text (stmt, 6, header->statement_id);
  tsy_store_bind_text (stmt, 7, header->sequence);
  tsy_store_bind_text (stmt, 8, imp->currency);
  if (!tsy_store_step_done (imp->store, stmt, error))
    return FALSE;
  imp->statement_row = sqlite3_last_insert_rowid (tsy_store_get_db (imp->store));
  return TRUE;
}

static gboolean
settle_statement_row (TsyImport                *imp,
                      const TsyStatementHeader *header,
                      GError                  **error)
{
  sqlite3_stmt *stmt;
  char d[4][11];
  g_autofree char *ident = NULL;
  TsyStatementKind kind = header->kind <= TSY_STATEMENT_KIND_NOTIFICATION ? header->kind : 0;
  gint64 existing = 0;

  tsy_date_format_iso (header->from_date, d[0]);
  tsy_date_format_iso (header->to_date, d[1]);
  tsy_date_format_iso (header->has_opening ? header->opening_date : TSY_DATE_NONE, d[2]);
  tsy_date_format_iso (header->has_closing ? header->closing_date : TSY_DATE_NONE, d[3]);
  ident = g_strdup_printf ("%s|%s|%s|%s|%s|%s|%s|%s", kind_names[kind],
                           header->statement_id ? header->statement_id : "",
                           header->sequence ? header->sequence : "", d[0], d[1], d[2], d[3],
                           header->format ? header->format : "");

  stmt = tsy_store_prepare (imp->store,
      "SELECT id FROM statement WHERE account_id = ?1 AND ident = ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, imp->account->id);
  tsy_store_bind_text (stmt, 2, ident);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    existing = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (existing != 0)
    {
      stmt = tsy_store_prepare (imp->store,
          "UPDATE statement_line SET statement_id = ?2 WHERE id > ?3 AND statement_id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, imp->statement_row);
      sqlite3_bind_int64 (stmt, 2, existing);
      sqlite3_bind_int64 (stmt, 3, imp->first_line_id);
      if (!tsy_store_step_done (imp->store, stmt, error))
        return FALSE;
      stmt = tsy_store_prepare (imp->store, "DELETE FROM statement WHERE id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, imp->statement_row);
      if (!tsy_store_step_done (imp->store, stmt, error))
        return FALSE;
      imp->statement_row = existing;
      return TRUE;
    }

  stmt = tsy_store_prepare (imp->store, "UPDATE statement SET ident = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, imp->statement_row);
  tsy_store_bind_text (stmt, 2, ident);
  return tsy_store_step_done (imp->store, stmt, error);
}

static void
hash_field (GChecksum  *sum,
            const char *text)
{
  if (text != NULL)
    g_checksum_update (sum, (const guchar *) text, -1);
  g_checksum_update (sum, (const guchar *) "\x1f", 1);
}

/* Text with runs of white space folded, so that two files of one bank hash alike. */
static void
hash_text (GChecksum  *sum,
           const char *text)
{
  gboolean space = FALSE;

  for (const char *p = text ? text : ""; *p; p++)
    {
      if (g_ascii_isspace (*p))
        {
          space = TRUE;
          continue;
        }
      if (space)
        g_checksum_update (sum, (const guchar *) " ", 1);
      space = FALSE;
      g_checksum_update (sum, (const guchar *) p, 1);
    }
  g_checksum_update (sum, (const guchar *) "\x1f", 1);
}

/* Lines come in date order: format each date once and bind it without a copy. */
static void
bind_cached_date (TsyImport    *imp,
                  sqlite3_stmt *st,
                  int           index,
                  guint         slot,
                  TsyDate       date)
{
  if (date == TSY_DATE_NONE)
    {
      sqlite3_bind_null (st, index);
      return;
    }
  if (imp->date_cached[slot] != date)
    {
      tsy_date_format_iso (date, imp->date_text[slot]);
      imp->date_cached[slot] = date;
    }
  sqlite3_bind_text (st, index, imp->date_text[slot], 10, SQLITE_STATIC);
}

static void
bind_static (sqlite3_stmt *st,
             int           index,
             const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (st, index);
  else
    sqlite3_bind_text (st, index, text, -1, SQLITE_STATIC);
}

static gboolean
bind_and_insert_line (TsyImport               *imp,
                      const TsyStatementEntry *e,
                      const char              *ident,
                      TsyDate                  booking,
                      gboolean                *inserted,
                      GError                 **error)
{
  sqlite3_stmt *st = imp->insert_line;

  /* The strings outlive the step: bind them without copies (this is the hot path). */
  sqlite3_reset (st);
  sqlite3_bind_int64 (st, 1, imp->account->id);
  sqlite3_bind_text (st, 2, ident, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (st, 3, imp->statement_row);
  bind_cached_date (imp, st, 4, 0, booking);
  bind_cached_date (imp, st, 5, 1, e->value_date);
  sqlite3_bind_int64 (st, 6, e->amount_minor);
  sqlite3_bind_text (st, 7, imp->currency, 3, SQLITE_STATIC);
  sqlite3_bind_int (st, 8, e->reversal ? 1 : 0);
  bind_static (st, 9, e->bank_ref);
  bind_static (st, 10, e->customer_ref);
  bind_static (st, 11, e->end_to_end_id);
  bind_static (st, 12, e->counterparty_name);
  bind_static (st, 13, e->counterparty_account);
  bind_static (st, 14, e->counterparty_bank);
  bind_static (st, 15, e->text);
  bind_static (st, 16, e->bank_tx_code);
  bind_static (st, 17, e->raw);
  sqlite3_bind_int (st, 18, (int) e->n_details);
  if (sqlite3_step (st) != SQLITE_DONE)
    {
      tsy_store_set_error (imp->store, error);
      sqlite3_reset (st);
      return FALSE;
    }
  sqlite3_reset (st);
  *inserted = sqlite3_changes (tsy_store_get_db (imp->store)) > 0;
  return TRUE;
}

static gboolean
insert_details (TsyImport               *imp,
                const TsyStatementEntry *e,
                GError                 **error)
{
  gint64 line_id = sqlite3_last_insert_rowid (tsy_store_get_db (imp->store));

  for (guint i = 0; i < e->n_details; i++)
    {
      const TsyEntryDetail *d = &e->details[i];
      sqlite3_stmt *st = imp->insert_detail;

      sqlite3_reset (st);
      sqlite3_bind_int64 (st, 1, line_id);
      sqlite3_bind_int (st, 2, (int) i);
      if (d->has_amount)
        sqlite3_bind_int64 (st, 3, d->amount_minor);
      else
        sqlite3_bind_null (st, 3);
      tsy_store_bind_text (st, 4, d->end_to_end_id);
      tsy_store_bind_text (st, 5, d->instruction_id);
      tsy_store_bind_text (st, 6, d->uetr);
      tsy_store_bind_text (st, 7, d->counterparty_name);
      tsy_store_bind_text (st, 8, d->counterparty_account);
      tsy_store_bind_text (st, 9, d->counterparty_bank);
      tsy_store_bind_text (st, 10, d->text);
      if (sqlite3_step (st) != SQLITE_DONE)
        {
          tsy_store_set_error (imp->store, error);
          sqlite3_reset (st);
          return FALSE;
        }
      sqlite3_reset (st);
    }
  return TRUE;
}

/* For a bank reference: "r:REF"; when the bank used the same reference for a different line
 * (another amount or day), "r:REF#2", "#3", … so nothing is lost and a re-import still matches. */
static gboolean
store_by_reference (TsyImport               *imp,
                    const TsyStatementEntry *e,
                    TsyDate                  booking,
                    gboolean                *is_new,
                    GError                 **error)
{
  char date_text[11];

  tsy_date_format_iso (booking, date_text);
  for (guint k = 1; k < 1000; k++)
    {
      gboolean inserted = FALSE;
      sqlite3_stmt *st = imp->find_line;
      gboolean same;

      g_string_assign (imp->buf, "r:");
      g_string_append (imp->buf, e->bank_ref);
      if (k > 1)
        g_string_append_printf (imp->buf, "#%u", k);
      if (!bind_and_insert_line (imp, e, imp->buf->str, booking, &inserted, error))
        return FALSE;
      if (inserted)
        {
          *is_new = TRUE;
          return insert_details (imp, e, error);
        }
      sqlite3_reset (st);
      sqlite3_bind_int64 (st, 1, imp->account->id);
      sqlite3_bind_text (st, 2, imp->buf->str, (int) imp->buf->len, SQLITE_STATIC);
      if (sqlite3_step (st) != SQLITE_ROW)
        {
          tsy_store_set_error (imp->store, error);
          sqlite3_reset (st);
          return FALSE;
        }
      same = sqlite3_column_int64 (st, 0) == e->amount_minor &&
             g_strcmp0 ((const char *) sqlite3_column_text (st, 1), date_text) == 0;
      sqlite3_reset (st);
      if (same)
        {
          *is_new = FALSE;
          return TRUE;
        }
    }
  g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
               /* Translators: %1$s a file name, %2$u a line number, %3$s a bank reference */
               _("%1$s: line %2$u: the bank reference “%3$s” is used by too many different lines"),
               imp->display_name, e->source_line, e->bank_ref);
  return FALSE;
}

/* Without a reference: "h:" + SHA-256 of the content + "#" + the occurrence of that content in
 * this file, counted in a temporary table so that memory does not grow with the file. */
static gboolean
store_by_content (TsyImport               *imp,
                  const TsyStatementEntry *e,
                  TsyDate                  booking,
                  gboolean                *is_new,
                  GError                 **error)
{
  GChecksum *sum = imp->checksum;
  char buf[32];
  char date_text[11];
  const char *hex;
  g_autofree char *hash = NULL;
  sqlite3_stmt *st;
  gint64 occurrence = 0;

  g_checksum_reset (sum);
  tsy_date_format_iso (booking, date_text);
  hash_field (sum, date_text);
  tsy_date_format_iso (e->value_date, date_text);
  hash_field (sum, date_text);
  g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, e->amount_minor);
  hash_field (sum, buf);
  hash_field (sum, imp->currency);
  hash_field (sum, e->customer_ref);
  hash_field (sum, e->end_to_end_id);
  hash_field (sum, e->counterparty_account);
  hash_text (sum, e->counterparty_name);
  hash_text (sum, e->text);
  hex = g_checksum_get_string (sum);
  hash = g_strndup (hex, 32);

  st = imp->bump_occurrence;
  sqlite3_reset (st);
  sqlite3_bind_int64 (st, 1, imp->account->id);
  sqlite3_bind_text (st, 2, hash, -1, SQLITE_STATIC);
  if (sqlite3_step (st) != SQLITE_DONE)
    goto sql_error;
  sqlite3_reset (st);
  st = imp->get_occurrence;
  sqlite3_reset (st);
  sqlite3_bind_int64 (st, 1, imp->account->id);
  sqlite3_bind_text (st, 2, hash, -1, SQLITE_STATIC);
  if (sqlite3_step (st) != SQLITE_ROW)
    goto sql_error;
  occurrence = sqlite3_column_int64 (st, 0);
  sqlite3_reset (st);

  g_string_printf (imp->buf, "h:%s#%" G_GINT64_FORMAT, hash, occurrence);
  if (!bind_and_insert_line (imp, e, imp->buf->str, booking, is_new, error))
    return FALSE;
  return *is_new ? insert_details (imp, e, error) : TRUE;

sql_error:
  tsy_store_set_error (imp->store, error);
  sqlite3_reset (st);
  return FALSE;
}

static gboolean
on_entry (gpointer                 user_data,
          const TsyStatementEntry *e,
          GError                 **error)
{
  TsyImport *imp = user_data;
  TsyDate booking = e->booking_date ? e->booking_date : e->value_date;
  gboolean is_new = FALSE;
  gboolean ok;

  if (!imp->in_statement)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   _("%1$s: line %2$u: an entry outside a statement"), imp->display_name,
                   e->source_line);
      return FALSE;
    }
  if (e->currency != NULL && strcmp (e->currency, imp->currency) != 0)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_CURRENCY_MISMATCH,
                   /* Translators: %1$s file, %2$u line, %3$s and %4$s currency codes */
                   _("%1$s: line %2$u: an entry in %3$s on an account in %4$s"),
                   imp->display_name, e->source_line, e->currency, imp->currency);
      return FALSE;
    }
  if (booking == TSY_DATE_NONE)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   _("%1$s: line %2$u: the entry has no date"), imp->display_name, e->source_line);
      return FALSE;
    }
  if (!tsy_money_add (imp->sum, e->amount_minor, &imp->sum, error))
    {
      g_prefix_error (error, "%s: ", imp->display_name);
      return FALSE;
    }
  imp->n_lines++;

  if (e->bank_ref != NULL && *e->bank_ref != '\0')
    ok = store_by_reference (imp, e, booking, &is_new, error);
  else
    ok = store_by_content (imp, e, booking, &is_new, error);
  if (!ok)
    return FALSE;
  if (is_new)
    {
      imp->new_lines++;
      imp->n_new_in_statement++;
    }
  else
    imp->present_lines++;
  return TRUE;
}

static gboolean
set_balance (TsyImport *imp,
             gint64     minor,
             TsyDate    date,
             gboolean   replace,
             GError   **error)
{
  sqlite3_stmt *stmt = tsy_store_prepare (imp->store, replace
      ? "INSERT INTO balance (account_id, date, amount_minor, source) VALUES (?1, ?2, ?3, 'statement')"
        " ON CONFLICT (account_id, date) DO UPDATE SET amount_minor = excluded.amount_minor,"
        " source = excluded.source"
      : "INSERT INTO balance (account_id, date, amount_minor, source) VALUES (?1, ?2, ?3, 'statement')"
        " ON CONFLICT (account_id, date) DO NOTHING", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, imp->account->id);
  tsy_store_bind_date (stmt, 2, date);
  sqlite3_bind_int64 (stmt, 3, minor);
  return tsy_store_step_done (imp->store, stmt, error);
}

static gboolean
on_end_statement (gpointer                  user_data,
                  const TsyStatementHeader *header,
                  GError                  **error)
{
  TsyImport *imp = user_data;
  sqlite3_stmt *stmt;
  gint64 expected;

  if (!imp->in_statement)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   _("%s: a statement ends that never began"), imp->display_name);
      return FALSE;
    }

  if (header->has_opening && header->has_closing)
    {
      if (!tsy_money_add (header->opening_minor, imp->sum, &expected, error))
        return FALSE;
      if (expected != header->closing_minor)
        {
          g_autofree char *open = tsy_money_to_decimal (header->opening_minor, imp->currency);
          g_autofree char *moves = tsy_money_to_decimal (imp->sum, imp->currency);
          g_autofree char *close = tsy_money_to_decimal (header->closing_minor, imp->currency);
          g_autofree char *diff = NULL;
          gint64 d;
          tsy_money_sub (header->closing_minor, expected, &d, NULL);
          diff = tsy_money_to_decimal (d, imp->currency);
          g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_UNBALANCED,
                       /* Translators: %1$s file, %2$s statement id, %3$s opening, %4$s sum of
                        * movements, %5$s closing, %6$s difference, %7$s currency */
                       _("%1$s: statement %2$s does not add up: opening %3$s + movements %4$s ≠ closing %5$s %7$s (difference %6$s); nothing was imported"),
                       imp->display_name, header->statement_id ? header->statement_id : "-",
                       open, moves, close, diff, imp->currency);
          return FALSE;
        }
    }

  if (!settle_statement_row (imp, header, error))
    return FALSE;
  stmt = tsy_store_prepare (imp->store,
      "UPDATE statement SET from_date = coalesce(?2, from_date), to_date = coalesce(?3, to_date),"
      " opening_minor = ?4, opening_date = ?5, closing_minor = ?6, closing_date = ?7,"
      " available_minor = ?8, available_date = ?9,"
      " n_lines = n_lines + ?10"
      " WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, imp->statement_row);
  tsy_store_bind_date (stmt, 2, header->from_date);
  tsy_store_bind_date (stmt, 3, header->to_date);
  if (header->has_opening)
    {
      sqlite3_bind_int64 (stmt, 4, header->opening_minor);
      tsy_store_bind_date (stmt, 5, header->opening_date);
    }
  if (header->has_closing)
    {
      sqlite3_bind_int64 (stmt, 6, header->closing_minor);
      tsy_store_bind_date (stmt, 7, header->closing_date);
    }
  if (header->has_available)
    {
      sqlite3_bind_int64 (stmt, 8, header->available_minor);
      tsy_store_bind_date (stmt, 9, header->available_date);
    }
  sqlite3_bind_int (stmt, 10, (int) imp->n_new_in_statement);
  if (!tsy_store_step_done (imp->store, stmt, error))
    return FALSE;

  /* A final statement's balances are the bank's word on those days. */
  if (header->kind == TSY_STATEMENT_KIND_FINAL)
    {
      if (header->has_opening && header->opening_date != TSY_DATE_NONE &&
          !set_balance (imp, header->opening_minor, header->opening_date, FALSE, error))
        return FALSE;
      if (header->has_closing && header->closing_date != TSY_DATE_NONE &&
          !set_balance (imp, header->closing_minor, header->closing_date, TRUE, error))
        return FALSE;
    }

  imp->statements++;
  imp->in_statement = FALSE;
  return TRUE;
}

static const TsyStatementSink import_sink = { begin_statement, on_entry, on_end_statement };

const TsyStatementSink *
tsy_import_sink (void)
{
  return &import_sink;
}
