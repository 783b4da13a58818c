/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsy-account.h"
#include "tsy-bank.h"
#include "tsy-book.h"
#include "tsy-ledger-error.h"
#include "tsy-money.h"
#include "tsy-recon-statement.h"
#include "tsy-store-private.h"

typedef struct
{
  TsyDate last_bank;
  TsyDate last_book;
  gint64  charge;
  gint64  bank_sum;
  gint64  book_sum;
  GString *bank_refs;
  GString *book_ids;
} MatchSpan;

static void
item_free (gpointer data)
{
  TsyReconStatementItem *it = data;

  g_free (it->ref);
  g_free (it->counterparty);
  g_free (it->text);
  g_free (it);
}

static void
charge_free (gpointer data)
{
  TsyReconStatementCharge *c = data;

  g_free (c->bank_refs);
  g_free (c->book_ids);
  g_free (c);
}

static void
span_free (gpointer data)
{
  MatchSpan *s = data;

  g_string_free (s->bank_refs, TRUE);
  g_string_free (s->book_ids, TRUE);
  g_free (s);
}

void
tsy_recon_statement_free (TsyReconStatement *statement)
{
  if (statement == NULL)
    return;
  g_free (statement->account);
  g_free (statement->account_name);
  g_free (statement->bank_name);
  g_clear_pointer (&statement->bank_credits_not_in_book, g_ptr_array_unref);
  g_clear_pointer (&statement->bank_debits_not_in_book, g_ptr_array_unref);
  g_clear_pointer (&statement->book_credits_not_at_bank, g_ptr_array_unref);
  g_clear_pointer (&statement->book_debits_not_at_bank, g_ptr_array_unref);
  g_clear_pointer (&statement->charges, g_ptr_array_unref);
  g_free (statement);
}

gint64
tsy_recon_statement_total (GPtrArray *items)
{
  gint64 total = 0;

  for (guint i = 0; i < items->len; i++)
    total += ((TsyReconStatementItem *) g_ptr_array_index (items, i))->amount_minor;
  return total;
}

gint64
tsy_recon_statement_charges_total (const TsyReconStatement *statement)
{
  gint64 total = 0;

  for (guint i = 0; i < statement->charges->len; i++)
    total += ((TsyReconStatementCharge *) g_ptr_array_index (statement->charges, i))->amount_minor;
  return total;
}

static MatchSpan *
span_of (GHashTable *spans,
         gint64      match_id)
{
  MatchSpan *s = g_hash_table_lookup (spans, &match_id);

  if (s == NULL)
    {
      gint64 *key = g_new (gint64, 1);
      *key = match_id;
      s = g_new0 (MatchSpan, 1);
      s->bank_refs = g_string_new (NULL);
      s->book_ids = g_string_new (NULL);
      g_hash_table_insert (spans, key, s);
    }
  return s;
}

/* The latest date of each side of every match of the account, and their references. */
static gboolean
load_spans (TsyStore   *store,
            gint64      account_id,
            GHashTable *spans,
            GError    **error)
{
  for (int side = 0; side < 2; side++)
    {
      sqlite3_stmt *stmt = tsy_store_prepare (store, side == 0
          ? "SELECT rb.match_id, l.booking_date, l.amount_minor, l.ident FROM statement_line l"
            " JOIN recon_bank rb ON rb.line_id = l.id WHERE l.account_id = ?1"
          : "SELECT rk.match_id, e.date, e.amount_minor, e.ext_id FROM book_entry e"
            " JOIN recon_book rk ON rk.entry_id = e.id WHERE e.account_id = ?1", error);
      int rc;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, account_id);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          MatchSpan *s = span_of (spans, sqlite3_column_int64 (stmt, 0));
          TsyDate d = tsy_store_column_date (stmt, 1);
          const char *ref = (const char *) sqlite3_column_text (stmt, 3);
          GString *refs = side == 0 ? s->bank_refs : s->book_ids;

          if (side == 0)
            {
              s->last_bank = MAX (s->last_bank, d);
              s->bank_sum += sqlite3_column_int64 (stmt, 2);
              if (g_str_has_prefix (ref, "r:"))
                ref += 2;
            }
          else
            {
              s->last_book = MAX (s->last_book, d);
              s->book_sum += sqlite3_column_int64 (stmt, 2);
            }
          if (refs->len < 200)
            g_string_append_printf (refs, "%s%s", refs->len ? "," : "", ref);
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return tsy_store_set_error (store, error);
    }
  return TRUE;
}

static gboolean
collect_side (TsyStore          *store,
              TsyReconStatement *st,
              gint64             account_id,
              TsyDate            from,
              TsyReconSide       side,
              GHashTable        *spans,
              GError           **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (tsy_store_get_db (store), side == TSY_RECON_SIDE_BANK
        ? "SELECT l.id, l.ident, l.booking_date, l.amount_minor, l.counterparty, l.text, rb.match_id"
          " FROM statement_line l LEFT JOIN recon_bank rb ON rb.line_id = l.id"
          " WHERE l.account_id = ?1 AND l.booking_date <= ?2 AND (?3 IS NULL OR l.booking_date >= ?3)"
          " ORDER BY l.booking_date, l.id"
        : "SELECT e.id, e.ext_id, e.date, e.amount_minor, e.counterparty, e.memo, rk.match_id"
          " FROM book_entry e LEFT JOIN recon_book rk ON rk.entry_id = e.id"
          " WHERE e.account_id = ?1 AND e.date <= ?2 AND (?3 IS NULL OR e.date >= ?3)"
          " ORDER BY e.date, e.id", -1, &stmt, NULL) != SQLITE_OK)
    return tsy_store_set_error (store, error);
  sqlite3_bind_int64 (stmt, 1, account_id);
  tsy_store_bind_date (stmt, 2, st->date);
  tsy_store_bind_date (stmt, 3, from);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TsyReconStatementItem *it;
      GPtrArray *list;
      const char *ref = (const char *) sqlite3_column_text (stmt, 1);

      if (sqlite3_column_type (stmt, 6) != SQLITE_NULL)
        {
          gint64 match_id = sqlite3_column_int64 (stmt, 6);
          MatchSpan *s = g_hash_table_lookup (spans, &match_id);
          if (s != NULL && s->last_bank <= st->date && s->last_book <= st->date)
            continue;   /* reconciled at D */
        }
      it = g_new0 (TsyReconStatementItem, 1);
      it->side = side;
      it->id = sqlite3_column_int64 (stmt, 0);
      it->ref = g_strdup (side == TSY_RECON_SIDE_BANK && g_str_has_prefix (ref, "r:") ? ref + 2 : ref);
      it->date = tsy_store_column_date (stmt, 2);
      it->amount_minor = sqlite3_column_int64 (stmt, 3);
      it->counterparty = tsy_store_column_dup (stmt, 4);
      it->text = tsy_store_column_dup (stmt, 5);
      if (side == TSY_RECON_SIDE_BANK)
        list = it->amount_minor >= 0 ? st->bank_credits_not_in_book : st->bank_debits_not_in_book;
      else
        list = it->amount_minor >= 0 ? st->book_credits_not_at_bank : st->book_debits_not_at_bank;
      g_ptr_array_add (list, it);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return tsy_store_set_error (store, error);
  return TRUE;
}

static gint
cmp_charge (gconstpointer a,
            gconstpointer b)
{
  const TsyReconStatementCharge *x = *(TsyReconStatementCharge * const *) a;
  const TsyReconStatementCharge *y = *(TsyReconStatementCharge * const *) b;

  if (x->date != y->date)
    return x->date < y->date ? -1 : 1;
  return x->match_id < y->match_id ? -1 : x->match_id > y->match_id;
}

static gboolean
add_all (gint64     *total,
         GPtrArray  *items,
         GError    **error)
{
  for (guint i = 0; i < items->len; i++)
    if (!tsy_money_add (*total, ((TsyReconStatementItem *) g_ptr_array_index (items, i))->amount_minor,
                        total, error))
      return FALSE;
  return TRUE;
}

TsyReconStatement *
tsy_recon_statement_build (TsyStore   *store,
                           const char *account,
                           TsyDate     date,
                           GError    **error)
{
  g_autoptr(TsyReconStatement) st = g_new0 (TsyReconStatement, 1);
  g_autoptr(TsyAccountInfo) info = NULL;
  g_autoptr(TsyBankInfo) bank = NULL;
  g_autoptr(GHashTable) spans = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, span_free);
  GError *local = NULL;
  TsyDate from = TSY_DATE_NONE;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (TSY_IS_STORE (store), NULL);
  g_return_val_if_fail (account != NULL, NULL);

  if (date == TSY_DATE_NONE)
    {
      g_set_error_literal (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                           _("The reconciliation statement needs a date"));
      return NULL;
    }
  info = tsy_account_lookup (store, account, error);
  if (info == NULL)
    return NULL;
  bank = tsy_bank_lookup (store, info->bank_code, NULL);
  st->account = g_strdup (info->number);
  st->account_name = g_strdup (info->name);
  st->bank_name = bank ? g_strdup (bank->name) : NULL;
  memcpy (st->currency, info->currency, 4);
  st->date = date;
  st->bank_credits_not_in_book = g_ptr_array_new_with_free_func (item_free);
  st->bank_debits_not_in_book = g_ptr_array_new_with_free_func (item_free);
  st->book_credits_not_at_bank = g_ptr_array_new_with_free_func (item_free);
  st->book_debits_not_at_bank = g_ptr_array_new_with_free_func (item_free);
  st->charges = g_ptr_array_new_with_free_func (charge_free);

  if (!tsy_book_get_opening (store, info->id, NULL, &from, &local))
    {
      if (!g_error_matches (local, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, local);
          return NULL;
        }
      g_clear_error (&local);
    }
  if (from != TSY_DATE_NONE && date < from)
    {
      char text[11];
      tsy_date_format_iso (from, text);
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   _("The book of %1$s opens on %2$s, after the date asked for"), info->number, text);
      return NULL;
    }
  if (tsy_balance_get (store, info->id, date, &st->bank_balance, &st->bank_balance_date, &local))
    {
      /* a monthly statement gives balances at its ends only: add the lines after the last one */
      sqlite3_stmt *stmt = tsy_store_prepare (store,
          "SELECT amount_minor FROM statement_line WHERE account_id = ?1 AND booking_date > ?2"
          " AND booking_date <= ?3", error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_int64 (stmt, 1, info->id);
      tsy_store_bind_date (stmt, 2, st->bank_balance_date);
      tsy_store_bind_date (stmt, 3, date);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        if (!tsy_money_add (st->bank_balance, sqlite3_column_int64 (stmt, 0), &st->bank_balance, error))
          {
            sqlite3_reset (stmt);
            return NULL;
          }
      sqlite3_reset (stmt);
      st->has_bank_balance = TRUE;
    }
  else if (g_error_matches (local, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_NOT_FOUND))
    g_clear_error (&local);
  else
    {
      g_propagate_error (error, local);
      return NULL;
    }
  if (!tsy_book_balance (store, info->id, date, &st->book_balance, error) ||
      !load_spans (store, info->id, spans, error) ||
      !collect_side (store, st, info->id, from, TSY_RECON_SIDE_BANK, spans, error) ||
      !collect_side (store, st, info->id, from, TSY_RECON_SIDE_BOOK, spans, error))
    return NULL;

  g_hash_table_iter_init (&iter, spans);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      MatchSpan *s = value;
      TsyReconStatementCharge *c;

      if (s->bank_sum == s->book_sum || s->last_bank > date || s->last_book > date)
        continue;
      if (from != TSY_DATE_NONE && (s->last_bank < from || s->last_book < from))
        continue;
      c = g_new0 (TsyReconStatementCharge, 1);
      c->match_id = *(gint64 *) key;
      c->bank_refs = g_strdup (s->bank_refs->str);
      c->book_ids = g_strdup (s->book_ids->str);
      c->date = MAX (s->last_bank, s->last_book);
      c->amount_minor = s->bank_sum - s->book_sum;
      g_ptr_array_add (st->charges, c);
    }
  g_ptr_array_sort (st->charges, cmp_charge);

  st->adjusted_bank_balance = st->bank_balance;
  st->adjusted_book_balance = st->book_balance;
  if (!add_all (&st->adjusted_bank_balance, st->book_credits_not_at_bank, error) ||
      !add_all (&st->adjusted_bank_balance, st->book_debits_not_at_bank, error) ||
      !add_all (&st->adjusted_book_balance, st->bank_credits_not_in_book, error) ||
      !add_all (&st->adjusted_book_balance, st->bank_debits_not_in_book, error) ||
      !tsy_money_add (st->adjusted_book_balance, tsy_recon_statement_charges_total (st),
                      &st->adjusted_book_balance, error))
    return NULL;
  st->balanced = st->has_bank_balance && st->adjusted_bank_balance == st->adjusted_book_balance;
  return g_steal_pointer (&st);
}

typedef struct
{
  char   *account;
  TsyDate date;
} BuildData;

static void
build_data_free (gpointer data)
{
  BuildData *d = data;

  g_free (d->account);
  g_free (d);
}

static void
build_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  BuildData *d = task_data;
  g_autoptr(TsyStore) own = NULL;
  TsyReconStatement *st = NULL;
  GError *error = NULL;

  own = tsy_store_reopen (TSY_STORE (source_object), &error);
  if (own != NULL)
    st = tsy_recon_statement_build (own, d->account, d->date, &error);
  if (st == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, st, (GDestroyNotify) tsy_recon_statement_free);
}

void
tsy_recon_statement_build_async (TsyStore           *store,
                                 const char         *account,
                                 TsyDate             date,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  BuildData *d = g_new0 (BuildData, 1);

  g_return_if_fail (TSY_IS_STORE (store));
  d->account = g_strdup (account);
  d->date = date;
  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, tsy_recon_statement_build_async);
  g_task_set_task_data (task, d, build_data_free);
  g_task_run_in_thread (task, build_thread);
}

TsyReconStatement *
tsy_recon_statement_build_finish (TsyStore     *store,
                                  GAsyncResult *result,
                                  GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
