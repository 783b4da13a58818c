/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading matches, suggestions and unmatched items; manual match, unmatch, accept. */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsy-account.h"
#include "tsy-audit.h"
#include "tsy-book.h"
#include "tsy-ledger-error.h"
#include "tsy-money.h"
#include "tsy-reconcile-private.h"
#include "tsy-reconcile.h"
#include "tsy-store-private.h"

typedef struct
{
  gint64      group;     /* match or suggestion id */
  gint64      item;      /* line or entry id */
  gint64      amount;
  const char *ref;       /* in the string chunk */
} Member;

static int
cmp_member (gconstpointer a,
            gconstpointer b)
{
  const Member *x = a, *y = b;

  if (x->group != y->group)
    return x->group < y->group ? -1 : 1;
  return x->item < y->item ? -1 : x->item > y->item;
}

static const char *
bank_ref_of_ident (const char *ident)
{
  return g_str_has_prefix (ident, "r:") ? ident + 2 : ident;
}

typedef struct
{
  gint64         id;
  TsyReconStatus status;
  TsyReconRule   rule;
  int            score;
  gint64         charge;
} Header;

/* Calls @func for every group of @headers with its members (both arrays sorted by group). */
static gboolean
emit_groups (const ReconAccount *acc,
             GArray            *headers,
             GArray            *bank,
             GArray            *book,
             TsyReconMatchFunc  func,
             gpointer           user_data)
{
  g_autoptr(GArray) bank_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) book_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) bank_refs = g_ptr_array_new ();
  g_autoptr(GPtrArray) book_refs = g_ptr_array_new ();
  guint bi = 0, ki = 0;

  g_array_sort (bank, cmp_member);
  g_array_sort (book, cmp_member);
  for (guint h = 0; h < headers->len; h++)
    {
      const Header *hd = &g_array_index (headers, Header, h);
      TsyReconMatchRow row = { 0 };

      g_array_set_size (bank_ids, 0);
      g_array_set_size (book_ids, 0);
      g_ptr_array_set_size (bank_refs, 0);
      g_ptr_array_set_size (book_refs, 0);
      while (bi < bank->len && g_array_index (bank, Member, bi).group < hd->id)
        bi++;
      while (ki < book->len && g_array_index (book, Member, ki).group < hd->id)
        ki++;
      for (; bi < bank->len && g_array_index (bank, Member, bi).group == hd->id; bi++)
        {
          const Member *m = &g_array_index (bank, Member, bi);
          g_array_append_val (bank_ids, m->item);
          g_ptr_array_add (bank_refs, (gpointer) m->ref);
          row.bank_sum += m->amount;
        }
      for (; ki < book->len && g_array_index (book, Member, ki).group == hd->id; ki++)
        {
          const Member *m = &g_array_index (book, Member, ki);
          g_array_append_val (book_ids, m->item);
          g_ptr_array_add (book_refs, (gpointer) m->ref);
          row.book_sum += m->amount;
        }
      g_ptr_array_add (bank_refs, NULL);
      g_ptr_array_add (book_refs, NULL);
      row.id = hd->id;
      row.account = acc->number;
      row.currency = acc->currency;
      row.status = hd->status;
      row.rule = hd->rule;
      row.score = hd->score;
      row.charge_minor = hd->charge;
      row.n_bank = bank_ids->len;
      row.bank_line_ids = (const gint64 *) bank_ids->data;
      row.bank_refs = (const char * const *) bank_refs->pdata;
      row.n_book = book_ids->len;
      row.book_entry_ids = (const gint64 *) book_ids->data;
      row.book_ids = (const char * const *) book_refs->pdata;
      if (!func (&row, user_data))
        return FALSE;
    }
  return TRUE;
}

static gboolean
collect_members (TsyStore     *store,
                 const char   *sql,
                 gint64        account_id,
                 gboolean      bank,
                 GStringChunk *chunk,
                 GArray       *out,
                 GError      **error)
{
  sqlite3_stmt *stmt = tsy_store_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Member m;
      const char *ref = (const char *) sqlite3_column_text (stmt, 2);

      m.group = sqlite3_column_int64 (stmt, 0);
      m.item = sqlite3_column_int64 (stmt, 1);
      m.ref = g_string_chunk_insert (chunk, bank ? bank_ref_of_ident (ref) : ref);
      m.amount = sqlite3_column_int64 (stmt, 3);
      g_array_append_val (out, m);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return tsy_store_set_error (store, error);
  return TRUE;
}

/* Calls @func for each group of the accounts @account names. @header_sql selects, for account ?1,
 * id, status, rule, score, charge_minor of its groups in order, or without the status column when
 * @with_status is FALSE (such groups are automatic). @bank_sql and @book_sql select their members
 * as collect_members() reads them. */
static gboolean
foreach_group (TsyStore          *store,
               const char        *account,
               const char        *header_sql,
               gboolean           with_status,
               const char        *bank_sql,
               const char        *book_sql,
               TsyReconMatchFunc  func,
               gpointer           user_data,
               GError           **error)
{
  g_autoptr(GPtrArray) accounts = NULL;

  accounts = recon_accounts (store, account, FALSE, error);
  if (accounts == NULL)
    return FALSE;
  for (guint a = 0; a < accounts->len; a++)
    {
      ReconAccount *acc = g_ptr_array_index (accounts, a);
      g_autoptr(GArray) headers = g_array_new (FALSE, FALSE, sizeof (Header));
      g_autoptr(GArray) bank = g_array_new (FALSE, FALSE, sizeof (Member));
      g_autoptr(GArray) book = g_array_new (FALSE, FALSE, sizeof (Member));
      GStringChunk *chunk;
      sqlite3_stmt *stmt = tsy_store_prepare (store, header_sql, error);
      gboolean ok;
      int rc;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, acc->id);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          int col = 0;
          Header h;
          h.id = sqlite3_column_int64 (stmt, col++);
          if (with_status)
            h.status = recon_status_from_string ((const char *) sqlite3_column_text (stmt, col++));
          else
            h.status = TSY_RECON_STATUS_AUTO;
          h.rule = recon_rule_from_string ((const char *) sqlite3_column_text (stmt, col++));
          h.score = sqlite3_column_int (stmt, col++);
          h.charge = sqlite3_column_int64 (stmt, col++);
          g_array_append_val (headers, h);
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return tsy_store_set_error (store, error);
      if (headers->len == 0)
        continue;
      chunk = g_string_chunk_new (64 * 1024);
      ok = collect_members (store, bank_sql, acc->id, TRUE, chunk, bank, error) &&
           collect_members (store, book_sql, acc->id, FALSE, chunk, book, error);
      if (ok && !emit_groups (acc, headers, bank, book, func, user_data))
        {
          g_string_chunk_free (chunk);
          return TRUE;
        }
      g_string_chunk_free (chunk);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

gboolean
tsy_recon_foreach_match (TsyStore          *store,
                         const char        *account,
                         TsyReconMatchFunc  func,
                         gpointer           user_data,
                         GError           **error)
{
  g_return_val_if_fail (TSY_IS_STORE (store), FALSE);

  return foreach_group (store, account,
      "SELECT id, status, rule, score, charge_minor FROM recon_match WHERE account_id = ?1"
      " ORDER BY id", TRUE,
      "SELECT rb.match_id, l.id, l.ident, l.amount_minor FROM statement_line l"
      " JOIN recon_bank rb ON rb.line_id = l.id WHERE l.account_id = ?1",
      "SELECT rk.match_id, e.id, e.ext_id, e.amount_minor FROM book_entry e"
      " JOIN recon_book rk ON rk.entry_id = e.id WHERE e.account_id = ?1",
      func, user_data, error);
}

gboolean
tsy_recon_foreach_suggestion (TsyStore          *store,
                              const char        *account,
                              TsyReconMatchFunc  func,
                              gpointer           user_data,
                              GError           **error)
{
  g_return_val_if_fail (TSY_IS_STORE (store), FALSE);

  return foreach_group (store, account,
      "SELECT id, rule, score, charge_minor FROM recon_suggestion WHERE account_id = ?1"
      " ORDER BY id", FALSE,
      "SELECT si.suggestion_id, l.id, l.ident, l.amount_minor FROM recon_suggestion s"
      " JOIN recon_suggestion_item si ON si.suggestion_id = s.id AND si.side = 0"
      " JOIN statement_line l ON l.id = si.item_id WHERE s.account_id = ?1",
      "SELECT si.suggestion_id, e.id, e.ext_id, e.amount_minor FROM recon_suggestion s"
      " JOIN recon_suggestion_item si ON si.suggestion_id = s.id AND si.side = 1"
      " JOIN book_entry e ON e.id = si.item_id WHERE s.account_id = ?1",
      func, user_data, error);
}

static gboolean
suggested_items (TsyStore   *store,
                 gint64      account_id,
                 int         side,
                 GHashTable *out,
                 GError    **error)
{
  sqlite3_stmt *stmt = tsy_store_prepare (store,
      "SELECT si.item_id FROM recon_suggestion s JOIN recon_suggestion_item si"
      " ON si.suggestion_id = s.id AND si.side = ?2 WHERE s.account_id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_int (stmt, 2, side);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 *id = g_new (gint64, 1);
      *id = sqlite3_column_int64 (stmt, 0);
      g_hash_table_add (out, id);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return tsy_store_set_error (store, error);
  return TRUE;
}

gboolean
tsy_recon_foreach_unmatched (TsyStore         *store,
                             const char       *account,
                             TsyReconSide      side,
                             TsyReconItemFunc  func,
                             gpointer          user_data,
                             GError          **error)
{
  g_autoptr(GPtrArray) accounts = NULL;

  g_return_val_if_fail (TSY_IS_STORE (store), FALSE);

  accounts = recon_accounts (store, account, account == NULL, error);
  if (accounts == NULL)
    return FALSE;
  for (guint a = 0; a < accounts->len; a++)
    {
      ReconAccount *acc = g_ptr_array_index (accounts, a);
      g_autoptr(GHashTable) suggested = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      sqlite3_stmt *stmt = NULL;
      TsyDate from = TSY_DATE_NONE;
      GError *local = NULL;
      int rc;

      if (!tsy_book_get_opening (store, acc->id, NULL, &from, &local))
        {
          if (!g_error_matches (local, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_NOT_FOUND))
            {
              g_propagate_error (error, local);
              return FALSE;
            }
          g_clear_error (&local);
        }
      if (!suggested_items (store, acc->id, side, suggested, error))
        return FALSE;
      /* own statement: @func may run queries */
      if (sqlite3_prepare_v2 (tsy_store_get_db (store), side == TSY_RECON_SIDE_BANK
            ? "SELECT l.id, l.ident, l.booking_date, l.amount_minor, l.currency, l.counterparty, l.text"
              " FROM statement_line l WHERE l.account_id = ?1 AND (?2 IS NULL OR l.booking_date >= ?2)"
              " AND NOT EXISTS (SELECT 1 FROM recon_bank rb WHERE rb.line_id = l.id)"
              " ORDER BY l.booking_date, l.id"
            : "SELECT e.id, e.ext_id, e.date, e.amount_minor, e.currency, e.counterparty, e.memo"
              " FROM book_entry e WHERE e.account_id = ?1"
              " AND NOT EXISTS (SELECT 1 FROM recon_book rk WHERE rk.entry_id = e.id)"
              " ORDER BY e.date, e.id", -1, &stmt, NULL) != SQLITE_OK)
        return tsy_store_set_error (store, error);
      sqlite3_bind_int64 (stmt, 1, acc->id);
      if (side == TSY_RECON_SIDE_BANK)
        tsy_store_bind_date (stmt, 2, from);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          TsyReconItemRow row = { 0 };
          const char *ref = (const char *) sqlite3_column_text (stmt, 1);

          row.side = side;
          row.id = sqlite3_column_int64 (stmt, 0);
          row.account = acc->number;
          row.ref = side == TSY_RECON_SIDE_BANK ? bank_ref_of_ident (ref) : ref;
          row.date = tsy_store_column_date (stmt, 2);
          row.amount_minor = sqlite3_column_int64 (stmt, 3);
          row.currency = (const char *) sqlite3_column_text (stmt, 4);
          row.counterparty = (const char *) sqlite3_column_text (stmt, 5);
          row.text = (const char *) sqlite3_column_text (stmt, 6);
          row.suggested = g_hash_table_contains (suggested, &row.id);
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
      if (rc == SQLITE_ROW)
        return TRUE;
    }
  return TRUE;
}

/* ---- manual changes ------------------------------------------------------------------------- */

typedef struct
{
  gint64 id;
  gint64 account_id;
  gint64 amount;
  gint64 match_id;         /* 0: none */
  char  *ref;
} Item;

static void
item_clear (gpointer data)
{
  Item *it = data;

  g_free (it->ref);
}

static gboolean
item_match (TsyStore *store,
            gboolean  bank,
            Item     *it,
            GError  **error)
{
  sqlite3_stmt *stmt = tsy_store_prepare (store, bank
      ? "SELECT match_id FROM recon_bank WHERE line_id = ?1"
      : "SELECT match_id FROM recon_book WHERE entry_id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, it->id);
  rc = sqlite3_step (stmt);
  it->match_id = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return tsy_store_set_error (store, error);
  return TRUE;
}

/* A bank line by its reference, in @account_id or (0) in whichever account has it. */
static gboolean
find_line (TsyStore   *store,
           gint64      account_id,
           const char *ref,
           Item       *out,
           gboolean   *found,
           GError    **error)
{
  g_autoptr(GPtrArray) accounts = NULL;
  g_autofree char *ident = g_strconcat ("r:", ref, NULL);
  guint hits = 0;

  *found = FALSE;
  accounts = recon_accounts (store, NULL, FALSE, error);
  if (accounts == NULL)
    return FALSE;
  for (guint a = 0; a < accounts->len; a++)
    {
      ReconAccount *acc = g_ptr_array_index (accounts, a);

      if (account_id != 0 && acc->id != account_id)
        continue;
      for (int form = 0; form < 2; form++)
        {
          sqlite3_stmt *stmt;
          const char *key = form == 0 ? ident : ref;

          if (form == 1 && !g_str_has_prefix (ref, "h:"))
            continue;
          stmt = tsy_store_prepare (store,
              "SELECT id, amount_minor FROM statement_line WHERE account_id = ?1 AND ident = ?2", error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, acc->id);
          tsy_store_bind_text (stmt, 2, key);
          if (sqlite3_step (stmt) == SQLITE_ROW)
            {
              hits++;
              out->id = sqlite3_column_int64 (stmt, 0);
              out->amount = sqlite3_column_int64 (stmt, 1);
              out->account_id = acc->id;
              g_free (out->ref);
              out->ref = g_strdup (ref);
            }
          sqlite3_reset (stmt);
        }
    }
  if (hits > 1)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   _("The bank reference “%s” is in several accounts; name the account with --account"),
                   ref);
      return FALSE;
    }
  *found = hits == 1;
  return item_match (store, TRUE, out, error);
}

static gboolean
find_entry (TsyStore   *store,
            const char *book_id,
            Item       *out,
            gboolean   *found,
            GError    **error)
{
  sqlite3_stmt *stmt = tsy_store_prepare (store,
      "SELECT id, account_id, amount_minor FROM book_entry WHERE ext_id = ?1", error);
  int rc;

  *found = FALSE;
  if (stmt == NULL)
    return FALSE;
  tsy_store_bind_text (stmt, 1, book_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      out->id = sqlite3_column_int64 (stmt, 0);
      out->account_id = sqlite3_column_int64 (stmt, 1);
      out->amount = sqlite3_column_int64 (stmt, 2);
      g_free (out->ref);
      out->ref = g_strdup (book_id);
      *found = TRUE;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return tsy_store_set_error (store, error);
  return *found ? item_match (store, FALSE, out, error) : TRUE;
}

static gboolean
match_status (TsyStore       *store,
              gint64          match_id,
              TsyReconStatus *status,
              TsyReconRule   *rule,
              int            *score,
              GError        **error)
{
  sqlite3_stmt *stmt = tsy_store_prepare (store,
      "SELECT status, rule, score FROM recon_match WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, match_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return tsy_store_set_error (store, error);
    }
  *status = recon_status_from_string ((const char *) sqlite3_column_text (stmt, 0));
  *rule = recon_rule_from_string ((const char *) sqlite3_column_text (stmt, 1));
  *score = sqlite3_column_int (stmt, 2);
  sqlite3_reset (stmt);
  return TRUE;
}

/* Member ids of a match or suggestion: bank lines into @lines, book entries into @entries. */
static gboolean
group_members (TsyStore *store,
               gboolean  suggestion,
               gint64    id,
               GArray   *lines,
               GArray   *entries,
               GError  **error)
{
  for (int side = 0; side < 2; side++)
    {
      sqlite3_stmt *stmt;
      int rc;

      if (suggestion)
        {
          stmt = tsy_store_prepare (store,
              "SELECT item_id FROM recon_suggestion_item WHERE suggestion_id = ?1 AND side = ?2", error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int (stmt, 2, side);
        }
      else
        stmt = tsy_store_prepare (store, side == 0
            ? "SELECT line_id FROM recon_bank WHERE match_id = ?1"
            : "SELECT entry_id FROM recon_book WHERE match_id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          gint64 v = sqlite3_column_int64 (stmt, 0);
          g_array_append_val (side == 0 ? lines : entries, v);
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return tsy_store_set_error (store, error);
    }
  return TRUE;
}

static gboolean
delete_match (TsyStore *store,
              gint64    match_id,
              GArray   *lines,
              GArray   *entries,
              GError  **error)
{
  sqlite3_stmt *stmt;

  for (guint i = 0; i < lines->len; i++)
    if (!recon_delete_item (store, TRUE, g_array_index (lines, gint64, i), error))
      return FALSE;
  for (guint i = 0; i < entries->len; i++)
    if (!recon_delete_item (store, FALSE, g_array_index (entries, gint64, i), error))
      return FALSE;
  stmt = tsy_store_prepare (store, "DELETE FROM recon_match WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, match_id);
  return tsy_store_step_done (store, stmt, error);
}

/* Suggestions that hold any of these items are out of date once they are matched. */
static gboolean
drop_suggestions_of (TsyStore *store,
                     int       side,
                     gint64    item,
                     GError  **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt = tsy_store_prepare (store,
      "SELECT suggestion_id FROM recon_suggestion_item WHERE side = ?1 AND item_id = ?2", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, side);
  sqlite3_bind_int64 (stmt, 2, item);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 v = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, v);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return tsy_store_set_error (store, error);
  for (guint i = 0; i < ids->len; i++)
    {
      stmt = tsy_store_prepare (store, "DELETE FROM recon_suggestion_item WHERE suggestion_id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, g_array_index (ids, gint64, i));
      if (!tsy_store_step_done (store, stmt, error))
        return FALSE;
      stmt = tsy_store_prepare (store, "DELETE FROM recon_suggestion WHERE id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, g_array_index (ids, gint64, i));
      if (!tsy_store_step_done (store, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static int
cmp_i64 (gconstpointer a,
         gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static gboolean
same_set (GArray *a,
          GArray *b)
{
  if (a->len != b->len)
    return FALSE;
  g_array_sort (a, cmp_i64);
  g_array_sort (b, cmp_i64);
  return memcmp (a->data, b->data, a->len * sizeof (gint64)) == 0;
}

/* A suggestion of @account_id with exactly these items: its id, rule and score. */
static gboolean
find_suggestion (TsyStore     *store,
                 gint64        account_id,
                 GArray       *items_bank,
                 GArray       *items_book,
                 gint64       *out_id,
                 TsyReconRule *out_rule,
                 int          *out_score,
                 GError      **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc;

  *out_id = 0;
  if (items_bank->len == 0)
    return TRUE;
  stmt = tsy_store_prepare (store,
      "SELECT si.suggestion_id FROM recon_suggestion_item si JOIN recon_suggestion s"
      " ON s.id = si.suggestion_id WHERE si.side = 0 AND si.item_id = ?1 AND s.account_id = ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, g_array_index (items_bank, gint64, 0));
  sqlite3_bind_int64 (stmt, 2, account_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 v = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, v);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return tsy_store_set_error (store, error);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (gint64));
      gint64 sid = g_array_index (ids, gint64, i);

      if (!group_members (store, TRUE, sid, lines, entries, error))
        return FALSE;
      if (same_set (lines, items_bank) && same_set (entries, items_book))
        {
          stmt = tsy_store_prepare (store, "SELECT rule, score FROM recon_suggestion WHERE id = ?1", error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, sid);
          if (sqlite3_step (stmt) == SQLITE_ROW)
            {
              *out_id = sid;
              *out_rule = recon_rule_from_string ((const char *) sqlite3_column_text (stmt, 0));
              *out_score = sqlite3_column_int (stmt, 1);
            }
          sqlite3_reset (stmt);
          return TRUE;
        }
    }
  return TRUE;
}

static char *
join_refs (GArray *items)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < items->len; i++)
    {
      if (i > 0)
        g_string_append_c (s, ',');
      g_string_append (s, g_array_index (items, Item, i).ref);
    }
  return g_string_free (s, FALSE);
}

/* The work of tsy_recon_match() inside its transaction. */
static gint64
match_items (TsyStore  *store,
             GArray    *lines,       /* Item */
             GArray    *entries,     /* Item */
             const char *actor,
             GError   **error)
{
  g_autoptr(GArray) line_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) entry_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GHashTable) dissolve = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(TsyAccountInfo) info = NULL;
  g_autofree char *at = recon_now_iso ();
  g_autofree char *bank_text = NULL;
  g_autofree char *book_text = NULL;
  g_autofree char *charge_text = NULL;
  g_autofree char *detail = NULL;
  gint64 account_id = 0, bank_sum = 0, book_sum = 0, charge = 0, match_id = 0;
  gint64 auto_match = 0;
  gboolean all_in_one_auto = TRUE;
  TsyReconStatus status = TSY_RECON_STATUS_MANUAL;
  TsyReconRule rule = TSY_RECON_RULE_MANUAL;
  int score = 1000;
  gint64 sid = 0;
  GHashTableIter iter;
  gpointer key;

  if (lines->len == 0 || entries->len == 0)
    {
      g_set_error_literal (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                           _("A match needs at least one bank line and one book entry"));
      return 0;
    }
  for (int side = 0; side < 2; side++)
    {
      GArray *items = side == 0 ? lines : entries;
      for (guint i = 0; i < items->len; i++)
        {
          Item *it = &g_array_index (items, Item, i);
          gint64 *sum = side == 0 ? &bank_sum : &book_sum;

          if (account_id == 0)
            account_id = it->account_id;
          else if (it->account_id != account_id)
            {
              g_set_error_literal (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                                   _("The items of a match must all be of one account"));
              return 0;
            }
          for (guint j = 0; j < i; j++)
            if (g_array_index (items, Item, j).id == it->id)
              {
                g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                             _("“%s” is named twice"), it->ref);
                return 0;
              }
          if (it->match_id != 0)
            {
              TsyReconStatus st;
              TsyReconRule r;
              int sc;
              if (!match_status (store, it->match_id, &st, &r, &sc, error))
                return 0;
              if (st != TSY_RECON_STATUS_AUTO)
                {
                  g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DUPLICATE,
                               _("“%s” is already in a confirmed or manual match; unmatch it first"),
                               it->ref);
                  return 0;
                }
              if (auto_match == 0)
                auto_match = it->match_id;
              else if (auto_match != it->match_id)
                all_in_one_auto = FALSE;
              if (!g_hash_table_contains (dissolve, &it->match_id))
                g_hash_table_add (dissolve, g_memdup2 (&it->match_id, sizeof (gint64)));
            }
          else
            all_in_one_auto = FALSE;
          if (!tsy_money_add (*sum, it->amount, sum, error))
            return 0;
          g_array_append_val (side == 0 ? line_ids : entry_ids, it->id);
        }
    }

  {
    sqlite3_stmt *stmt = tsy_store_prepare (store, "SELECT number FROM account WHERE id = ?1", error);
    g_autofree char *number = NULL;

    if (stmt == NULL)
      return 0;
    sqlite3_bind_int64 (stmt, 1, account_id);
    if (sqlite3_step (stmt) == SQLITE_ROW)
      number = tsy_store_column_dup (stmt, 0);
    sqlite3_reset (stmt);
    info = number ? tsy_account_lookup (store, number, error) : NULL;
    if (info == NULL)
      return 0;
  }

  if (!tsy_money_sub (book_sum, bank_sum, &charge, error))
    return 0;
  if (charge != 0)
    {
      g_autofree char *bank_amount = tsy_money_to_decimal (bank_sum, info->currency);
      g_autofree char *book_amount = tsy_money_to_decimal (book_sum, info->currency);

      if (!((bank_sum > 0 && book_sum > 0) || (bank_sum < 0 && book_sum < 0)) || charge < 0 ||
          charge > recon_charge_tolerance (info->currency))
        {
          g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_UNBALANCED,
                       /* Translators: %1$s and %2$s amounts, %3$s a currency code */
                       _("The bank side sums to %1$s and the book side to %2$s %3$s: the difference is not a bank charge within the tolerance"),
                       bank_amount, book_amount, info->currency);
          return 0;
        }
    }

  /* exactly an auto match: it becomes confirmed */
  if (all_in_one_auto && auto_match != 0)
    {
      g_autoptr(GArray) ml = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr(GArray) me = g_array_new (FALSE, FALSE, sizeof (gint64));

      if (!group_members (store, FALSE, auto_match, ml, me, error))
        return 0;
      if (same_set (ml, line_ids) && same_set (me, entry_ids))
        {
          sqlite3_stmt *stmt = tsy_store_prepare (store,
              "UPDATE recon_match SET status = 'confirmed', at = ?2, actor = ?3 WHERE id = ?1", error);
          if (stmt == NULL)
            return 0;
          sqlite3_bind_int64 (stmt, 1, auto_match);
          tsy_store_bind_text (stmt, 2, at);
          tsy_store_bind_text (stmt, 3, actor);
          if (!tsy_store_step_done (store, stmt, error))
            return 0;
          match_id = auto_match;
          status = TSY_RECON_STATUS_CONFIRMED;
        }
    }

  if (match_id == 0)
    {
      g_hash_table_iter_init (&iter, dissolve);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        {
          g_autoptr(GArray) ml = g_array_new (FALSE, FALSE, sizeof (gint64));
          g_autoptr(GArray) me = g_array_new (FALSE, FALSE, sizeof (gint64));
          if (!group_members (store, FALSE, *(gint64 *) key, ml, me, error) ||
              !delete_match (store, *(gint64 *) key, ml, me, error))
            return 0;
        }
      if (!find_suggestion (store, account_id, line_ids, entry_ids, &sid, &rule, &score, error))
        return 0;
      if (sid != 0)
        status = TSY_RECON_STATUS_CONFIRMED;
      else
        {
          rule = TSY_RECON_RULE_MANUAL;
          score = 1000;
        }
      match_id = recon_insert_match (store, account_id, status, rule, score, charge, at, actor, error);
      if (match_id == 0)
        return 0;
      for (guint i = 0; i < line_ids->len; i++)
        if (!recon_insert_item (store, TRUE, g_array_index (line_ids, gint64, i), match_id, error))
          return 0;
      for (guint i = 0; i < entry_ids->len; i++)
        if (!recon_insert_item (store, FALSE, g_array_index (entry_ids, gint64, i), match_id, error))
          return 0;
    }

  for (guint i = 0; i < line_ids->len; i++)
    if (!drop_suggestions_of (store, TSY_RECON_SIDE_BANK, g_array_index (line_ids, gint64, i), error))
      return 0;
  for (guint i = 0; i < entry_ids->len; i++)
    if (!drop_suggestions_of (store, TSY_RECON_SIDE_BOOK, g_array_index (entry_ids, gint64, i), error))
      return 0;
  for (guint i = 0; i < line_ids->len; i++)
    for (guint j = 0; j < entry_ids->len; j++)
      {
        sqlite3_stmt *stmt = tsy_store_prepare (store,
            "DELETE FROM recon_reject WHERE line_id = ?1 AND entry_id = ?2", error);
        if (stmt == NULL)
          return 0;
        sqlite3_bind_int64 (stmt, 1, g_array_index (line_ids, gint64, i));
        sqlite3_bind_int64 (stmt, 2, g_array_index (entry_ids, gint64, j));
        if (!tsy_store_step_done (store, stmt, error))
          return 0;
      }

  bank_text = join_refs (lines);
  book_text = join_refs (entries);
  charge_text = tsy_money_to_decimal (charge, info->currency);
  detail = g_strdup_printf ("match %" G_GINT64_FORMAT " %s rule=%s bank=%s book=%s charge=%s",
                            match_id, tsy_recon_status_to_string (status), recon_rule_name (rule),
                            bank_text, book_text, charge_text);
  if (tsy_audit_append (store, actor ? actor : "system", "recon.match", info->number, detail, error) == 0)
    return 0;
  return match_id;
}

gint64
tsy_recon_match (TsyStore           *store,
                 const char         *account,
                 const char * const *bank_refs,
                 const char * const *book_ids,
                 const char         *actor,
                 GError            **error)
{
  g_autoptr(GArray) lines = g_array_new (FALSE, TRUE, sizeof (Item));
  g_autoptr(GArray) entries = g_array_new (FALSE, TRUE, sizeof (Item));
  gint64 account_id = 0;
  gint64 id;

  g_return_val_if_fail (TSY_IS_STORE (store), 0);
  g_array_set_clear_func (lines, item_clear);
  g_array_set_clear_func (entries, item_clear);

  if (!tsy_store_begin (store, error))
    return 0;
  if (account != NULL)
    {
      g_autoptr(TsyAccountInfo) info = tsy_account_lookup (store, account, error);
      if (info == NULL)
        goto fail;
      account_id = info->id;
    }
  for (guint i = 0; book_ids != NULL && book_ids[i] != NULL; i++)
    {
      Item it = { 0 };
      gboolean found;

      if (!find_entry (store, book_ids[i], &it, &found, error))
        {
          item_clear (&it);
          goto fail;
        }
      if (!found || (account_id != 0 && it.account_id != account_id))
        {
          item_clear (&it);
          g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_NOT_FOUND,
                       _("There is no book entry “%s”"), book_ids[i]);
          goto fail;
        }
      if (account_id == 0)
        account_id = it.account_id;
      g_array_append_val (entries, it);
    }
  for (guint i = 0; bank_refs != NULL && bank_refs[i] != NULL; i++)
    {
      Item it = { 0 };
      gboolean found;

      if (!find_line (store, account_id, bank_refs[i], &it, &found, error))
        {
          item_clear (&it);
          goto fail;
        }
      if (!found)
        {
          item_clear (&it);
          g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_NOT_FOUND,
                       _("There is no bank line “%s”"), bank_refs[i]);
          goto fail;
        }
      g_array_append_val (lines, it);
    }
  id = match_items (store, lines, entries, actor, error);
  if (id == 0)
    goto fail;
  if (!tsy_store_commit (store, error))
    return 0;
  return id;

fail:
  tsy_store_rollback (store);
  return 0;
}

gboolean
tsy_recon_unmatch (TsyStore   *store,
                   const char *account,
                   const char *ref_or_id,
                   const char *actor,
                   GError    **error)
{
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *detail = NULL;
  g_autofree char *number = NULL;
  Item entry = { 0 }, line = { 0 };
  gboolean entry_found = FALSE, line_found = FALSE;
  gint64 account_id = 0, match_id;
  TsyReconStatus status;
  TsyReconRule rule;
  int score;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TSY_IS_STORE (store), FALSE);
  g_return_val_if_fail (ref_or_id != NULL, FALSE);

  if (!tsy_store_begin (store, error))
    return FALSE;
  if (account != NULL)
    {
      g_autoptr(TsyAccountInfo) info = tsy_account_lookup (store, account, error);
      if (info == NULL)
        goto fail;
      account_id = info->id;
    }
  if (!find_entry (store, ref_or_id, &entry, &entry_found, error) ||
      !find_line (store, account_id, ref_or_id, &line, &line_found, error))
    goto fail;
  if (entry_found && account_id != 0 && entry.account_id != account_id)
    entry_found = FALSE;
  if (entry_found && line_found && entry.match_id != 0 && line.match_id != 0 &&
      entry.match_id != line.match_id)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   _("“%s” is both a book id and a bank reference in different matches"), ref_or_id);
      goto fail;
    }
  if (!entry_found && !line_found)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_NOT_FOUND,
                   _("There is no bank line or book entry “%s”"), ref_or_id);
      goto fail;
    }
  match_id = entry_found && entry.match_id != 0 ? entry.match_id : line_found ? line.match_id : 0;
  if (match_id == 0)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_NOT_FOUND,
                   _("“%s” is in no match"), ref_or_id);
      goto fail;
    }
  if (!match_status (store, match_id, &status, &rule, &score, error) ||
      !group_members (store, FALSE, match_id, lines, entries, error))
    goto fail;
  for (guint i = 0; i < lines->len; i++)
    for (guint j = 0; j < entries->len; j++)
      {
        stmt = tsy_store_prepare (store,
            "INSERT OR IGNORE INTO recon_reject (line_id, entry_id) VALUES (?1, ?2)", error);
        if (stmt == NULL)
          goto fail;
        sqlite3_bind_int64 (stmt, 1, g_array_index (lines, gint64, i));
        sqlite3_bind_int64 (stmt, 2, g_array_index (entries, gint64, j));
        if (!tsy_store_step_done (store, stmt, error))
          goto fail;
      }
  if (!delete_match (store, match_id, lines, entries, error))
    goto fail;
  stmt = tsy_store_prepare (store,
      "SELECT a.number FROM book_entry e JOIN account a ON a.id = e.account_id WHERE e.id = ?1",
      error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, entries->len > 0 ? g_array_index (entries, gint64, 0) : 0);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    number = tsy_store_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  detail = g_strdup_printf ("match %" G_GINT64_FORMAT " %s rule=%s by %s (%u bank, %u book)",
                            match_id, tsy_recon_status_to_string (status), recon_rule_name (rule),
                            ref_or_id, lines->len, entries->len);
  if (tsy_audit_append (store, actor ? actor : "system", "recon.unmatch", number ? number : "?",
                        detail, error) == 0)
    goto fail;
  item_clear (&entry);
  item_clear (&line);
  return tsy_store_commit (store, error);

fail:
  item_clear (&entry);
  item_clear (&line);
  tsy_store_rollback (store);
  return FALSE;
}

gint64
tsy_recon_accept_suggestion (TsyStore   *store,
                             gint64      suggestion_id,
                             const char *actor,
                             GError    **error)
{
  g_autoptr(GArray) line_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) entry_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) lines = g_array_new (FALSE, TRUE, sizeof (Item));
  g_autoptr(GArray) entries = g_array_new (FALSE, TRUE, sizeof (Item));
  gint64 id;

  g_return_val_if_fail (TSY_IS_STORE (store), 0);
  g_array_set_clear_func (lines, item_clear);
  g_array_set_clear_func (entries, item_clear);

  if (!tsy_store_begin (store, error))
    return 0;
  if (!group_members (store, TRUE, suggestion_id, line_ids, entry_ids, error))
    goto fail;
  if (line_ids->len == 0 || entry_ids->len == 0)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, suggestion_id);
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_NOT_FOUND,
                   _("There is no suggestion %s"), text);
      goto fail;
    }
  for (int side = 0; side < 2; side++)
    {
      GArray *ids = side == 0 ? line_ids : entry_ids;
      for (guint i = 0; i < ids->len; i++)
        {
          sqlite3_stmt *stmt = tsy_store_prepare (store, side == 0
              ? "SELECT account_id, amount_minor, ident FROM statement_line WHERE id = ?1"
              : "SELECT account_id, amount_minor, ext_id FROM book_entry WHERE id = ?1", error);
          Item it = { 0 };

          if (stmt == NULL)
            goto fail;
          it.id = g_array_index (ids, gint64, i);
          sqlite3_bind_int64 (stmt, 1, it.id);
          if (sqlite3_step (stmt) != SQLITE_ROW)
            {
              sqlite3_reset (stmt);
              tsy_store_set_error (store, error);
              goto fail;
            }
          it.account_id = sqlite3_column_int64 (stmt, 0);
          it.amount = sqlite3_column_int64 (stmt, 1);
          it.ref = g_strdup (side == 0 ? bank_ref_of_ident ((const char *) sqlite3_column_text (stmt, 2))
                                       : (const char *) sqlite3_column_text (stmt, 2));
          sqlite3_reset (stmt);
          if (!item_match (store, side == 0, &it, error))
            {
              item_clear (&it);
              goto fail;
            }
          g_array_append_val (side == 0 ? lines : entries, it);
        }
    }
  id = match_items (store, lines, entries, actor, error);
  if (id == 0)
    goto fail;
  if (!tsy_store_commit (store, error))
    return 0;
  return id;

fail:
  tsy_store_rollback (store);
  return 0;
}

/* ---- async, for the window ----------------------------------------------------------------- */

typedef struct
{
  char  *account;
  char **bank_refs;
  char **book_ids;
  char  *ref;
  char  *actor;
} ChangeData;

static void
change_data_free (gpointer data)
{
  ChangeData *d = data;

  g_free (d->account);
  g_strfreev (d->bank_refs);
  g_strfreev (d->book_ids);
  g_free (d->ref);
  g_free (d->actor);
  g_free (d);
}

static void
match_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ChangeData *d = task_data;
  g_autoptr(TsyStore) own = NULL;
  GError *error = NULL;
  gint64 id = 0;

  own = tsy_store_reopen (TSY_STORE (source_object), &error);
  if (own != NULL)
    id = tsy_recon_match (own, d->account, (const char * const *) d->bank_refs,
                          (const char * const *) d->book_ids, d->actor, &error);
  if (id == 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, id);
}

void
tsy_recon_match_async (TsyStore           *store,
                       const char         *account,
                       const char * const *bank_refs,
                       const char * const *book_ids,
                       const char         *actor,
                       GCancellable       *cancellable,
                       GAsyncReadyCallback callback,
                       gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  ChangeData *d = g_new0 (ChangeData, 1);

  g_return_if_fail (TSY_IS_STORE (store));
  d->account = g_strdup (account);
  d->bank_refs = g_strdupv ((char **) bank_refs);
  d->book_ids = g_strdupv ((char **) book_ids);
  d->actor = g_strdup (actor);
  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, tsy_recon_match_async);
  g_task_set_task_data (task, d, change_data_free);
  g_task_run_in_thread (task, match_thread);
}

gint64
tsy_recon_match_finish (TsyStore     *store,
                        GAsyncResult *result,
                        GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), 0);
  return (gint64) g_task_propagate_int (G_TASK (result), error);
}

static void
unmatch_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ChangeData *d = task_data;
  g_autoptr(TsyStore) own = NULL;
  GError *error = NULL;

  own = tsy_store_reopen (TSY_STORE (source_object), &error);
  if (own == NULL || !tsy_recon_unmatch (own, d->account, d->ref, d->actor, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
tsy_recon_unmatch_async (TsyStore           *store,
                         const char         *account,
                         const char         *ref_or_id,
                         const char         *actor,
                         GCancellable       *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  ChangeData *d = g_new0 (ChangeData, 1);

  g_return_if_fail (TSY_IS_STORE (store));
  d->account = g_strdup (account);
  d->ref = g_strdup (ref_or_id);
  d->actor = g_strdup (actor);
  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, tsy_recon_unmatch_async);
  g_task_set_task_data (task, d, change_data_free);
  g_task_run_in_thread (task, unmatch_thread);
}

gboolean
tsy_recon_unmatch_finish (TsyStore     *store,
                          GAsyncResult *result,
                          GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
