/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsy-account.h"
#include "tsy-statement-lines.h"
#include "tsy-store-private.h"

#define LINE_WHERE \
  " WHERE (?1 IS NULL OR a.number = ?1)" \
  " AND (?2 IS NULL OR l.booking_date >= ?2)" \
  " AND (?3 IS NULL OR l.booking_date <= ?3)" \
  " AND (?4 IS NULL OR instr(l.text, ?4) > 0 OR instr(l.counterparty, ?4) > 0" \
  "      OR instr(l.ident, ?4) > 0 OR instr(l.end_to_end_id, ?4) > 0" \
  "      OR instr(l.customer_ref, ?4) > 0 OR instr(l.counterparty_account, ?4) > 0)" \
  " AND (?5 IS NULL OR abs(l.amount_minor) >= ?5)" \
  " AND (?6 IS NULL OR abs(l.amount_minor) <= ?6)"

static gboolean
bind_filter (TsyStore            *store,
             sqlite3_stmt        *stmt,
             const TsyLineFilter *f,
             GError             **error)
{
  TsyLineFilter none = { 0 };

  if (f == NULL)
    f = &none;
  if (f->account != NULL)
    {
      g_autofree char *normal = tsy_account_normalize_number (f->account);
      g_autoptr(TsyAccountInfo) info = tsy_account_lookup (store, normal, error);
      if (info == NULL)
        return FALSE;
      tsy_store_bind_text (stmt, 1, info->number);
    }
  tsy_store_bind_date (stmt, 2, f->from);
  tsy_store_bind_date (stmt, 3, f->to);
  if (f->text != NULL && *f->text != '\0')
    tsy_store_bind_text (stmt, 4, f->text);
  if (f->has_min)
    sqlite3_bind_int64 (stmt, 5, f->min_minor);
  if (f->has_max)
    sqlite3_bind_int64 (stmt, 6, f->max_minor);
  return TRUE;
}

gboolean
tsy_lines_foreach (TsyStore            *store,
                   const TsyLineFilter *filter,
                   TsyLineFunc          func,
                   gpointer             user_data,
                   GError             **error)
{
  /* A dedicated statement, not the cache: @func may run other queries meanwhile. */
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (tsy_store_get_db (store),
        "SELECT l.id, a.number, l.ident, l.booking_date, l.value_date, l.amount_minor, l.currency,"
        " l.reversal, l.customer_ref, l.end_to_end_id, l.counterparty, l.counterparty_account,"
        " l.counterparty_bank, l.text, l.bank_tx_code, l.raw, s.bank_statement_id, l.n_details"
        " FROM statement_line l JOIN account a ON a.id = l.account_id"
        " JOIN statement s ON s.id = l.statement_id" LINE_WHERE
        " ORDER BY a.number, l.booking_date, l.id", -1, &stmt, NULL) != SQLITE_OK)
    return tsy_store_set_error (store, error);
  if (!bind_filter (store, stmt, filter, error))
    {
      sqlite3_finalize (stmt);
      return FALSE;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TsyLineRow row = { 0 };
      const char *ident = (const char *) sqlite3_column_text (stmt, 2);

      row.id = sqlite3_column_int64 (stmt, 0);
      row.account = (const char *) sqlite3_column_text (stmt, 1);
      row.ident = ident;
      row.bank_ref = g_str_has_prefix (ident, "r:") ? ident + 2 : ident;
      row.booking_date = tsy_store_column_date (stmt, 3);
      row.value_date = tsy_store_column_date (stmt, 4);
      row.amount_minor = sqlite3_column_int64 (stmt, 5);
      row.currency = (const char *) sqlite3_column_text (stmt, 6);
      row.reversal = sqlite3_column_int (stmt, 7) != 0;
      row.customer_ref = (const char *) sqlite3_column_text (stmt, 8);
      row.end_to_end_id = (const char *) sqlite3_column_text (stmt, 9);
      row.counterparty = (const char *) sqlite3_column_text (stmt, 10);
      row.counterparty_account = (const char *) sqlite3_column_text (stmt, 11);
      row.counterparty_bank = (const char *) sqlite3_column_text (stmt, 12);
      row.text = (const char *) sqlite3_column_text (stmt, 13);
      row.bank_tx_code = (const char *) sqlite3_column_text (stmt, 14);
      row.raw = (const char *) sqlite3_column_text (stmt, 15);
      row.statement = (const char *) sqlite3_column_text (stmt, 16);
      row.n_details = (guint) sqlite3_column_int (stmt, 17);
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

gboolean
tsy_lines_count (TsyStore            *store,
                 const TsyLineFilter *filter,
                 guint64             *out_count,
                 GError             **error)
{
  sqlite3_stmt *stmt = tsy_store_prepare (store,
      "SELECT count(*) FROM statement_line l JOIN account a ON a.id = l.account_id" LINE_WHERE,
      error);

  if (stmt == NULL)
    return FALSE;
  if (!bind_filter (store, stmt, filter, error))
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      tsy_store_set_error (store, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  *out_count = (guint64) sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}
