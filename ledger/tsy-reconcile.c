/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reconciliation runs: load an account into the engine, run it, write what changed. */
#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "tsy-account.h"
#include "tsy-book.h"
#include "tsy-ledger-error.h"
#include "tsy-reconcile-private.h"
#include "tsy-reconcile.h"
#include "tsy-store-private.h"

/* The page cache a run may use: a million matches touch tens of MB of b-tree pages. */
#define RUN_CACHE_KIB 262144

typedef struct
{
  gint64         id;
  TsyReconStatus status;
  TsyReconRule   rule;
  int            score;
  gint64         charge;
  guint          n_items;
  gboolean       kept;
} OldMatch;

/* The matches of an account before the run, found by id through an open-addressing table (a
 * lookup per loaded item: GHashTable's indirections cost more than the rest of the load). */
typedef struct
{
  GArray  *matches;      /* OldMatch */
  gint64  *slot_id;
  guint32 *slot_index;
  guint    mask;
} OldMatches;

static void
old_clear (OldMatches *old)
{
  g_clear_pointer (&old->matches, g_array_unref);
  g_clear_pointer (&old->slot_id, g_free);
  g_clear_pointer (&old->slot_index, g_free);
}

static inline guint
old_slot (const OldMatches *old,
          gint64            id)
{
  return (guint) (((guint64) id * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15)) >> 32) & old->mask;
}

static void
old_index (OldMatches *old)
{
  guint cap = 16;

  while (cap < old->matches->len * 2)
    cap <<= 1;
  old->mask = cap - 1;
  old->slot_id = g_new0 (gint64, cap);
  old->slot_index = g_new (guint32, cap);
  for (guint i = 0; i < old->matches->len; i++)
    {
      gint64 id = g_array_index (old->matches, OldMatch, i).id;
      guint slot = old_slot (old, id);

      while (old->slot_id[slot] != 0)
        slot = (slot + 1) & old->mask;
      old->slot_id[slot] = id;
      old->slot_index[slot] = i;
    }
}

static OldMatch *
old_find (const OldMatches *old,
          gint64            id)
{
  for (guint slot = old_slot (old, id); old->slot_id[slot] != 0; slot = (slot + 1) & old->mask)
    if (old->slot_id[slot] == id)
      return &g_array_index (old->matches, OldMatch, old->slot_index[slot]);
  return NULL;
}

static const char *const status_names[] = {
  [TSY_RECON_STATUS_AUTO] = "auto",
  [TSY_RECON_STATUS_CONFIRMED] = "confirmed",
  [TSY_RECON_STATUS_MANUAL] = "manual",
};

const char *
tsy_recon_rule_to_string (TsyReconRule rule)
{
  return recon_rule_name (rule);
}

const char *
tsy_recon_status_to_string (TsyReconStatus status)
{
  g_return_val_if_fail ((guint) status < G_N_ELEMENTS (status_names), "auto");
  return status_names[status];
}

TsyReconStatus
recon_status_from_string (const char *text)
{
  for (guint i = 0; i < G_N_ELEMENTS (status_names); i++)
    if (g_strcmp0 (text, status_names[i]) == 0)
      return (TsyReconStatus) i;
  return TSY_RECON_STATUS_AUTO;
}

TsyReconRule
recon_rule_from_string (const char *text)
{
  TsyReconRule rule = TSY_RECON_RULE_MANUAL;

  recon_rule_from_name (text, &rule);
  return rule;
}

void
tsy_recon_options_init (TsyReconOptions *options)
{
  g_return_if_fail (options != NULL);
  options->window_days = -1;
  options->ref_window_days = 62;
  options->charge_tolerance = -1;
}

/* 'YYYY-MM-DD' to a day number, remembering the last one (dates repeat line after line). */
typedef struct
{
  char    text[11];
  TsyDate date;
} DateCache;

static TsyDate
column_date (sqlite3_stmt *stmt,
             int           column,
             DateCache    *cache)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  if (text == NULL)
    return TSY_DATE_NONE;
  if (strncmp (text, cache->text, 11) != 0)
    {
      g_strlcpy (cache->text, text, sizeof cache->text);
      cache->date = TSY_DATE_NONE;
      tsy_date_parse_iso (cache->text, &cache->date, NULL);
    }
  return cache->date;
}

char *
recon_now_iso (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format_iso8601 (now);
}

gboolean
tsy_recon_set_window (TsyStore   *store,
                      const char *account,
                      int         days,
                      GError    **error)
{
  g_autoptr(TsyAccountInfo) info = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TSY_IS_STORE (store), FALSE);
  if (days < 0 || days > 40)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   _("The date window is 0 to 40 days, not %d"), days);
      return FALSE;
    }
  if (!tsy_store_begin (store, error))
    return FALSE;
  info = tsy_account_lookup (store, account, error);
  if (info == NULL)
    goto fail;
  stmt = tsy_store_prepare (store,
      "INSERT INTO recon_setting (account_id, window_days) VALUES (?1, ?2)"
      " ON CONFLICT (account_id) DO UPDATE SET window_days = excluded.window_days", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, info->id);
  sqlite3_bind_int (stmt, 2, days);
  if (!tsy_store_step_done (store, stmt, error))
    goto fail;
  return tsy_store_commit (store, error);

fail:
  tsy_store_rollback (store);
  return FALSE;
}

gboolean
tsy_recon_get_window (TsyStore *store,
                      gint64    account_id,
                      int      *out_days,
                      GError  **error)
{
  sqlite3_stmt *stmt = tsy_store_prepare (store,
      "SELECT window_days FROM recon_setting WHERE account_id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  rc = sqlite3_step (stmt);
  *out_days = rc == SQLITE_ROW ? sqlite3_column_int (stmt, 0) : 5;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return tsy_store_set_error (store, error);
  return TRUE;
}

/* ---- a run --------------------------------------------------------------------------------- */

void
recon_account_free (gpointer data)
{
  ReconAccount *a = data;

  g_free (a->number);
  g_free (a);
}

/* Accounts with a book (an opening or entries), or just @account. */
GPtrArray *
recon_accounts (TsyStore   *store,
                       const char *account,
                       gboolean    with_book_only,
                       GError    **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (recon_account_free);
  sqlite3_stmt *stmt;
  int rc;

  if (account != NULL)
    {
      g_autoptr(TsyAccountInfo) info = tsy_account_lookup (store, account, error);
      ReconAccount *a;

      if (info == NULL)
        return NULL;
      a = g_new0 (ReconAccount, 1);
      a->id = info->id;
      a->number = g_strdup (info->number);
      memcpy (a->currency, info->currency, 4);
      g_ptr_array_add (out, a);
      return g_steal_pointer (&out);
    }
  stmt = tsy_store_prepare (store, with_book_only
      ? "SELECT id, number, currency FROM account WHERE id IN"
        " (SELECT account_id FROM book_opening UNION SELECT DISTINCT account_id FROM book_entry)"
        " ORDER BY number"
      : "SELECT id, number, currency FROM account ORDER BY number", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ReconAccount *a = g_new0 (ReconAccount, 1);
      a->id = sqlite3_column_int64 (stmt, 0);
      a->number = tsy_store_column_dup (stmt, 1);
      g_strlcpy (a->currency, (const char *) sqlite3_column_text (stmt, 2), sizeof a->currency);
      g_ptr_array_add (out, a);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tsy_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&out);
}

static gboolean
opening_date (TsyStore *store,
              gint64    account_id,
              TsyDate  *out,
              GError  **error)
{
  GError *local = NULL;

  *out = TSY_DATE_NONE;
  if (tsy_book_get_opening (store, account_id, NULL, out, &local))
    return TRUE;
  if (g_error_matches (local, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_NOT_FOUND))
    {
      g_error_free (local);
      return TRUE;
    }
  g_propagate_error (error, local);
  return FALSE;
}

static gboolean
load_matches (TsyStore   *store,
              gint64      account_id,
              OldMatches *old,
              GError    **error)
{
  sqlite3_stmt *stmt = tsy_store_prepare (store,
      "SELECT id, status, rule, score, charge_minor FROM recon_match WHERE account_id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      OldMatch m = { 0 };

      m.id = sqlite3_column_int64 (stmt, 0);
      m.status = recon_status_from_string ((const char *) sqlite3_column_text (stmt, 1));
      m.rule = recon_rule_from_string ((const char *) sqlite3_column_text (stmt, 2));
      m.score = sqlite3_column_int (stmt, 3);
      m.charge = sqlite3_column_int64 (stmt, 4);
      g_array_append_val (old->matches, m);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return tsy_store_set_error (store, error);
  old_index (old);
  return TRUE;
}

/* After both sides are loaded: items of confirmed and manual matches are fixed; the others
 * remember their auto match, whose items are counted. */
static void
resolve_old_matches (OldMatches  *old,
                     ReconEngine *e)
{
  for (int side = 0; side < 2; side++)
    {
      GArray *items = side == 0 ? e->bank : e->book;
      for (guint i = 0; i < items->len; i++)
        {
          ReconItem *it = &g_array_index (items, ReconItem, i);
          OldMatch *m;

          if (it->old_match == 0)
            continue;
          m = old_find (old, it->old_match);
          if (m == NULL)
            it->old_match = 0;
          else if (m->status != TSY_RECON_STATUS_AUTO)
            {
              it->state = ITEM_FIXED;
              it->old_match = 0;
              m->n_items++;
            }
          else
            m->n_items++;
        }
    }
}

/*
 * Where an account's rows lie. Statement lines and book entries arrive a file at a time, so an
 * account's rows are mostly one run of row ids: when they fill at least half of their id range,
 * walking that range of the table reads it in order, instead of one b-tree descent per row
 * through the (account, date) index.
 */
static gboolean
account_range (TsyStore   *store,
               const char *sql,
               gint64      account_id,
               gint64     *out_first,
               gint64     *out_last,
               gboolean   *out_dense,
               guint      *out_count,
               GError    **error)
{
  sqlite3_stmt *stmt = tsy_store_prepare (store, sql, error);
  gint64 n;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return tsy_store_set_error (store, error);
    }
  *out_first = sqlite3_column_int64 (stmt, 0);
  *out_last = sqlite3_column_int64 (stmt, 1);
  n = sqlite3_column_int64 (stmt, 2);
  sqlite3_reset (stmt);
  *out_dense = n > 0 && (*out_last - *out_first + 1) <= 2 * n;
  *out_count = (guint) MIN (n, G_MAXUINT);
  return TRUE;
}

static gboolean
load_book (TsyStore    *store,
           gint64       account_id,
           ReconEngine *e,
           GError     **error)
{
  sqlite3_stmt *stmt;
  DateCache dc = { "", 0 };
  gint64 first = 0, last = 0;
  gboolean dense = FALSE;
  guint count = 0;
  int rc;

  if (!account_range (store, "SELECT min(id), max(id), count(*) FROM book_entry WHERE account_id = ?1",
                      account_id, &first, &last, &dense, &count, error))
    return FALSE;
  recon_engine_reserve (e, FALSE, count);
  stmt = tsy_store_prepare (store, dense
      ? "SELECT e.id, e.date, e.amount_minor, e.counterparty, e.counterparty_account, e.reference,"
        " e.memo, rk.match_id FROM book_entry e NOT INDEXED LEFT JOIN recon_book rk ON rk.entry_id = e.id"
        " WHERE e.id BETWEEN ?2 AND ?3 AND e.account_id = ?1"
      : "SELECT e.id, e.date, e.amount_minor, e.counterparty, e.counterparty_account, e.reference,"
        " e.memo, rk.match_id FROM book_entry e LEFT JOIN recon_book rk ON rk.entry_id = e.id"
        " WHERE e.account_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  if (dense)
    {
      sqlite3_bind_int64 (stmt, 2, first);
      sqlite3_bind_int64 (stmt, 3, last);
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint i = recon_engine_add_book (e, sqlite3_column_int64 (stmt, 0), column_date (stmt, 1, &dc),
                                       sqlite3_column_int64 (stmt, 2),
                                       (const char *) sqlite3_column_text (stmt, 3),
                                       (const char *) sqlite3_column_text (stmt, 4),
                                       (const char *) sqlite3_column_text (stmt, 5),
                                       (const char *) sqlite3_column_text (stmt, 6));
      if (sqlite3_column_type (stmt, 7) != SQLITE_NULL)
        g_array_index (e->book, ReconItem, i).old_match = sqlite3_column_int64 (stmt, 7);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return tsy_store_set_error (store, error);
  recon_engine_index_book (e);
  return TRUE;
}

static gboolean
load_bank (TsyStore    *store,
           gint64       account_id,
           TsyDate      from,
           ReconEngine *e,
           GError     **error)
{
  sqlite3_stmt *stmt;
  DateCache dc = { "", 0 };
  gint64 first = 0, last = 0;
  gboolean dense = FALSE;
  guint count = 0;
  int rc;

  if (!account_range (store, "SELECT min(id), max(id), count(*) FROM statement_line WHERE account_id = ?1",
                      account_id, &first, &last, &dense, &count, error))
    return FALSE;
  recon_engine_reserve (e, TRUE, count);
  stmt = tsy_store_prepare (store, dense
      ? "SELECT l.id, l.booking_date, l.amount_minor, l.counterparty, l.counterparty_account,"
        " l.end_to_end_id, l.customer_ref, l.text, rb.match_id"
        " FROM statement_line l NOT INDEXED LEFT JOIN recon_bank rb ON rb.line_id = l.id"
        " WHERE l.id BETWEEN ?3 AND ?4 AND l.account_id = ?1 AND (?2 IS NULL OR l.booking_date >= ?2)"
      : "SELECT l.id, l.booking_date, l.amount_minor, l.counterparty, l.counterparty_account,"
        " l.end_to_end_id, l.customer_ref, l.text, rb.match_id"
        " FROM statement_line l LEFT JOIN recon_bank rb ON rb.line_id = l.id"
        " WHERE l.account_id = ?1 AND (?2 IS NULL OR l.booking_date >= ?2)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  if (dense)
    {
      sqlite3_bind_int64 (stmt, 3, first);
      sqlite3_bind_int64 (stmt, 4, last);
    }
  tsy_store_bind_date (stmt, 2, from);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint i = recon_engine_add_bank (e, sqlite3_column_int64 (stmt, 0), column_date (stmt, 1, &dc),
                                       sqlite3_column_int64 (stmt, 2),
                                       (const char *) sqlite3_column_text (stmt, 3),
                                       (const char *) sqlite3_column_text (stmt, 4),
                                       (const char *) sqlite3_column_text (stmt, 5),
                                       (const char *) sqlite3_column_text (stmt, 6),
                                       (const char *) sqlite3_column_text (stmt, 7));
      if (sqlite3_column_type (stmt, 8) != SQLITE_NULL)
        g_array_index (e->bank, ReconItem, i).old_match = sqlite3_column_int64 (stmt, 8);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return tsy_store_set_error (store, error);
  return TRUE;
}

static gboolean
load_rejected (TsyStore    *store,
               gint64       account_id,
               ReconEngine *e,
               GError     **error)
{
  sqlite3_stmt *stmt = tsy_store_prepare (store,
      "SELECT r.line_id, r.entry_id FROM recon_reject r JOIN book_entry e ON e.id = r.entry_id"
      " WHERE e.account_id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    recon_engine_reject (e, sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return tsy_store_set_error (store, error);
  return TRUE;
}

gboolean
recon_delete_item (TsyStore *store,
                 gboolean  bank,
                 gint64    id,
                 GError  **error)
{
  sqlite3_stmt *stmt = tsy_store_prepare (store, bank
      ? "DELETE FROM recon_bank WHERE line_id = ?1"
      : "DELETE FROM recon_book WHERE entry_id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return tsy_store_step_done (store, stmt, error);
}

gboolean
recon_insert_item (TsyStore *store,
                 gboolean  bank,
                 gint64    id,
                 gint64    match_id,
                 GError  **error)
{
  sqlite3_stmt *stmt = tsy_store_prepare (store, bank
      ? "INSERT INTO recon_bank (line_id, match_id) VALUES (?1, ?2)"
      : "INSERT INTO recon_book (entry_id, match_id) VALUES (?1, ?2)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, match_id);
  return tsy_store_step_done (store, stmt, error);
}

gint64
recon_insert_match (TsyStore       *store,
                  gint64          account_id,
                  TsyReconStatus  status,
                  TsyReconRule    rule,
                  int             score,
                  gint64          charge,
                  const char     *at,
                  const char     *actor,
                  GError        **error)
{
  sqlite3_stmt *stmt = tsy_store_prepare (store,
      "INSERT INTO recon_match (account_id, status, rule, score, charge_minor, at, actor)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error);

  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_text (stmt, 2, status_names[status], -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, recon_rule_name (rule), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 4, score);
  sqlite3_bind_int64 (stmt, 5, charge);
  sqlite3_bind_text (stmt, 6, at, -1, SQLITE_STATIC);
  tsy_store_bind_text (stmt, 7, actor);
  if (!tsy_store_step_done (store, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (tsy_store_get_db (store));
}

static gboolean
delete_suggestions (TsyStore *store,
                    gint64    account_id,
                    GError  **error)
{
  sqlite3_stmt *stmt = tsy_store_prepare (store,
      "DELETE FROM recon_suggestion_item WHERE suggestion_id IN"
      " (SELECT id FROM recon_suggestion WHERE account_id = ?1)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  if (!tsy_store_step_done (store, stmt, error))
    return FALSE;
  stmt = tsy_store_prepare (store, "DELETE FROM recon_suggestion WHERE account_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  return tsy_store_step_done (store, stmt, error);
}

/* Is new match @r exactly the old auto match its items were in (same items, rule and score)? */
static gboolean
same_as_old (ReconEngine       *e,
             const ReconResult *r,
             OldMatches        *old)
{
  const guint32 *m = &g_array_index (e->match_members, guint32, r->members);
  gint64 first = g_array_index (e->bank, ReconItem, m[0]).old_match;
  OldMatch *om;

  if (first == 0)
    return FALSE;
  om = old_find (old, first);
  if (om == NULL || om->status != TSY_RECON_STATUS_AUTO || om->rule != r->rule ||
      om->score != r->score || om->charge != r->charge || om->n_items != r->n_bank + r->n_book)
    return FALSE;
  for (guint i = 0; i < r->n_bank; i++)
    if (g_array_index (e->bank, ReconItem, m[i]).old_match != first)
      return FALSE;
  for (guint i = 0; i < r->n_book; i++)
    if (g_array_index (e->book, ReconItem, m[r->n_bank + i]).old_match != first)
      return FALSE;
  om->kept = TRUE;
  return TRUE;
}

#define ROWS_PER_INSERT 64

/* "INSERT INTO @table VALUES (…),(…)…" with @rows groups of @cols parameters. */
static sqlite3_stmt *
prepare_rows (TsyStore   *store,
              const char *head,
              const char *group,
              guint       rows,
              GError    **error)
{
  g_autoptr(GString) sql = g_string_new ("INSERT INTO ");
  sqlite3_stmt *stmt = NULL;

  g_string_append (sql, head);
  g_string_append (sql, " VALUES ");
  for (guint i = 0; i < rows; i++)
    {
      if (i > 0)
        g_string_append_c (sql, ',');
      g_string_append (sql, group);
    }
  if (sqlite3_prepare_v2 (tsy_store_get_db (store), sql->str, -1, &stmt, NULL) != SQLITE_OK)
    {
      tsy_store_set_error (store, error);
      return NULL;
    }
  return stmt;
}

static gboolean
step_rows (TsyStore     *store,
           sqlite3_stmt *stmt,
           GError      **error)
{
  gboolean ok = sqlite3_step (stmt) == SQLITE_DONE;

  if (!ok)
    tsy_store_set_error (store, error);
  sqlite3_reset (stmt);
  return ok;
}

/* (key, val) pairs into a two-column table, in their order. */
static gboolean
insert_pairs (TsyStore   *store,
              const char *head,
              GArray     *rows,
              GError    **error)
{
  sqlite3_stmt *many = NULL, *one = NULL;
  const ReconKV *v = (const ReconKV *) rows->data;
  gboolean ok = TRUE;
  guint i = 0;

  if (rows->len == 0)
    return TRUE;
  many = prepare_rows (store, head, "(?,?)", ROWS_PER_INSERT, error);
  one = prepare_rows (store, head, "(?,?)", 1, error);
  ok = many != NULL && one != NULL;
  for (; ok && i + ROWS_PER_INSERT <= rows->len; i += ROWS_PER_INSERT)
    {
      for (guint k = 0; k < ROWS_PER_INSERT; k++)
        {
          sqlite3_bind_int64 (many, (int) (2 * k + 1), (gint64) v[i + k].key);
          sqlite3_bind_int64 (many, (int) (2 * k + 2), (gint64) v[i + k].val);
        }
      ok = step_rows (store, many, error);
    }
  for (; ok && i < rows->len; i++)
    {
      sqlite3_bind_int64 (one, 1, (gint64) v[i].key);
      sqlite3_bind_int64 (one, 2, (gint64) v[i].val);
      ok = step_rows (store, one, error);
    }
  sqlite3_finalize (many);
  sqlite3_finalize (one);
  return ok;
}

static void
bind_match (sqlite3_stmt      *stmt,
            int                base,
            gint64             id,
            gint64             account_id,
            const ReconResult *r,
            const char        *at)
{
  sqlite3_bind_int64 (stmt, base + 1, id);
  sqlite3_bind_int64 (stmt, base + 2, account_id);
  sqlite3_bind_text (stmt, base + 3, recon_rule_name (r->rule), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, base + 4, r->score);
  sqlite3_bind_int64 (stmt, base + 5, r->charge);
  sqlite3_bind_text (stmt, base + 6, at, -1, SQLITE_STATIC);
}

/* The matches @which (indexes in e->matches) as auto matches with ids from @first_id. */
static gboolean
insert_new_matches (TsyStore    *store,
                    gint64       account_id,
                    ReconEngine *e,
                    GArray      *which,
                    gint64       first_id,
                    const char  *at,
                    GError     **error)
{
  const char *head = "recon_match (id, account_id, status, rule, score, charge_minor, at)";
  const char *group = "(?,?,'auto',?,?,?,?)";
  sqlite3_stmt *many = NULL, *one = NULL;
  const guint32 *w = (const guint32 *) which->data;
  gboolean ok;
  guint i = 0;

  if (which->len == 0)
    return TRUE;
  many = prepare_rows (store, head, group, ROWS_PER_INSERT, error);
  one = prepare_rows (store, head, group, 1, error);
  ok = many != NULL && one != NULL;
  for (; ok && i + ROWS_PER_INSERT <= which->len; i += ROWS_PER_INSERT)
    {
      for (guint k = 0; k < ROWS_PER_INSERT; k++)
        bind_match (many, (int) (6 * k), first_id + i + k, account_id,
                    &g_array_index (e->matches, ReconResult, w[i + k]), at);
      ok = step_rows (store, many, error);
    }
  for (; ok && i < which->len; i++)
    {
      bind_match (one, 0, first_id + i, account_id, &g_array_index (e->matches, ReconResult, w[i]), at);
      ok = step_rows (store, one, error);
    }
  sqlite3_finalize (many);
  sqlite3_finalize (one);
  return ok;
}

static gboolean
write_results (TsyStore        *store,
               gint64           account_id,
               ReconEngine     *e,
               OldMatches      *old,
               TsyReconSummary *summary,
               GError         **error)
{
  g_autofree char *at = recon_now_iso ();
  g_autofree gboolean *keep = g_new0 (gboolean, MAX (e->matches->len, 1));
  guint removed = 0;

  if (!delete_suggestions (store, account_id, error))
    return FALSE;
  for (guint i = 0; i < e->matches->len; i++)
    keep[i] = same_as_old (e, &g_array_index (e->matches, ReconResult, i), old);

  /* earlier auto matches that no longer hold: their items, then themselves */
  for (int side = 0; side < 2; side++)
    {
      GArray *items = side == 0 ? e->bank : e->book;
      for (guint i = 0; i < items->len; i++)
        {
          ReconItem *it = &g_array_index (items, ReconItem, i);
          OldMatch *om;

          if (it->old_match == 0)
            continue;
          om = old_find (old, it->old_match);
          if (om != NULL && !om->kept && !recon_delete_item (store, side == 0, it->db_id, error))
            return FALSE;
        }
    }
  for (guint i = 0; i < old->matches->len; i++)
    {
      OldMatch *om = &g_array_index (old->matches, OldMatch, i);
      sqlite3_stmt *stmt;

      if (om->status != TSY_RECON_STATUS_AUTO)
        {
          summary->matched++;
          summary->by_rule[om->rule]++;
          continue;
        }
      if (om->kept)
        continue;
      stmt = tsy_store_prepare (store, "DELETE FROM recon_match WHERE id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, om->id);
      if (!tsy_store_step_done (store, stmt, error))
        return FALSE;
      removed++;
    }
  summary->removed += removed;
  /* an earlier match may hold items this run did not load (dated before a later opening) */
  if (removed > 0 &&
      (!tsy_store_exec (store, "DELETE FROM recon_bank WHERE match_id NOT IN (SELECT id FROM recon_match)", error) ||
       !tsy_store_exec (store, "DELETE FROM recon_book WHERE match_id NOT IN (SELECT id FROM recon_match)", error)))
    return FALSE;

  /* The hot loop of a first run. Rows go in 64 to a statement (fewer virtual machine runs);
   * match ids are given here (the write lock is ours); the item tables are filled in key order,
   * so that their b-trees only ever grow at the end. */
  {
    g_autoptr(GArray) bank_rows = g_array_new (FALSE, FALSE, sizeof (ReconKV));
    g_autoptr(GArray) book_rows = g_array_new (FALSE, FALSE, sizeof (ReconKV));
    g_autoptr(GArray) new_matches = g_array_new (FALSE, FALSE, sizeof (guint32));
    sqlite3_stmt *stmt;
    gint64 next_id = 0;

    stmt = tsy_store_prepare (store, "SELECT coalesce(max(id), 0) FROM recon_match", error);
    if (stmt == NULL)
      return FALSE;
    if (sqlite3_step (stmt) != SQLITE_ROW)
      {
        sqlite3_reset (stmt);
        return tsy_store_set_error (store, error);
      }
    next_id = sqlite3_column_int64 (stmt, 0) + 1;
    sqlite3_reset (stmt);

    for (guint i = 0; i < e->matches->len; i++)
      {
        const ReconResult *r = &g_array_index (e->matches, ReconResult, i);
        const guint32 *m = &g_array_index (e->match_members, guint32, r->members);
        gint64 match_id;

        summary->matched++;
        summary->by_rule[r->rule]++;
        if (keep[i])
          continue;
        match_id = next_id + new_matches->len;
        g_array_append_val (new_matches, i);
        for (guint j = 0; j < (guint) r->n_bank + r->n_book; j++)
          {
            gboolean bank = j < r->n_bank;
            ReconKV kv;

            kv.key = (guint64) (bank ? g_array_index (e->bank, ReconItem, m[j]).db_id
                                     : g_array_index (e->book, ReconItem, m[j]).db_id);
            kv.val = (guint64) match_id;
            g_array_append_val (bank ? bank_rows : book_rows, kv);
          }
        summary->new_matches++;
      }
    recon_sort_kv ((ReconKV *) bank_rows->data, bank_rows->len);
    recon_sort_kv ((ReconKV *) book_rows->data, book_rows->len);
    if (!insert_new_matches (store, account_id, e, new_matches, next_id, at, error) ||
        !insert_pairs (store, "recon_bank (line_id, match_id)", bank_rows, error) ||
        !insert_pairs (store, "recon_book (entry_id, match_id)", book_rows, error))
      return FALSE;
  }

  for (guint i = 0; i < e->suggestions->len; i++)
    {
      const ReconResult *r = &g_array_index (e->suggestions, ReconResult, i);
      const guint32 *m = &g_array_index (e->suggestion_members, guint32, r->members);
      sqlite3_stmt *stmt = tsy_store_prepare (store,
          "INSERT INTO recon_suggestion (account_id, rule, score, charge_minor) VALUES (?1, ?2, ?3, ?4)",
          error);
      gint64 sid;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, account_id);
      sqlite3_bind_text (stmt, 2, recon_rule_name (r->rule), -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 3, r->score);
      sqlite3_bind_int64 (stmt, 4, r->charge);
      if (!tsy_store_step_done (store, stmt, error))
        return FALSE;
      sid = sqlite3_last_insert_rowid (tsy_store_get_db (store));
      for (guint j = 0; j < (guint) r->n_bank + r->n_book; j++)
        {
          gboolean bank = j < r->n_bank;
          gint64 item = bank ? g_array_index (e->bank, ReconItem, m[j]).db_id
                             : g_array_index (e->book, ReconItem, m[j]).db_id;
          stmt = tsy_store_prepare (store,
              "INSERT OR IGNORE INTO recon_suggestion_item (suggestion_id, side, item_id) VALUES (?1, ?2, ?3)",
              error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, sid);
          sqlite3_bind_int (stmt, 2, bank ? TSY_RECON_SIDE_BANK : TSY_RECON_SIDE_BOOK);
          sqlite3_bind_int64 (stmt, 3, item);
          if (!tsy_store_step_done (store, stmt, error))
            return FALSE;
        }
      summary->suggested++;
    }
  return TRUE;
}

static void
count_unmatched (ReconEngine     *e,
                 TsyReconSummary *summary)
{
  g_autofree guint8 *in_sugg_b = g_new0 (guint8, MAX (e->bank->len, 1));
  g_autofree guint8 *in_sugg_k = g_new0 (guint8, MAX (e->book->len, 1));

  for (guint i = 0; i < e->suggestions->len; i++)
    {
      const ReconResult *r = &g_array_index (e->suggestions, ReconResult, i);
      const guint32 *m = &g_array_index (e->suggestion_members, guint32, r->members);
      for (guint j = 0; j < r->n_bank; j++)
        in_sugg_b[m[j]] = 1;
      for (guint j = 0; j < r->n_book; j++)
        in_sugg_k[m[r->n_bank + j]] = 1;
    }
  for (guint i = 0; i < e->bank->len; i++)
    {
      const ReconItem *it = &g_array_index (e->bank, ReconItem, i);
      if (it->state != ITEM_MATCHED && it->state != ITEM_FIXED && !in_sugg_b[i])
        summary->unmatched_bank++;
    }
  for (guint i = 0; i < e->book->len; i++)
    {
      const ReconItem *it = &g_array_index (e->book, ReconItem, i);
      if (it->state != ITEM_MATCHED && it->state != ITEM_FIXED && !in_sugg_k[i])
        summary->unmatched_book++;
    }
}

/* An account's run: loaded and matched (on any connection), then written (on the writer's). */
typedef struct
{
  const ReconAccount *account;
  TsyReconOptions     options;
  TsyDate             from;
  gint64              t0;
  ReconEngine        *engine;
  OldMatches          old;
  GError             *error;
  gboolean            done;
} Job;

static void
job_clear (Job *job)
{
  g_clear_pointer (&job->engine, recon_engine_free);
  old_clear (&job->old);
  g_clear_error (&job->error);
}

/* Big reads: map the file instead of copying pages (at most 1 GiB of it); the writer keeps a
 * large page cache for its inserts, a reader a modest one. */
static void
tune_for_run (TsyStore *store,
              gboolean  writer)
{
  g_autofree char *cache = g_strdup_printf ("PRAGMA cache_size = -%d", writer ? RUN_CACHE_KIB : 16384);

  tsy_store_exec (store, cache, NULL);
  tsy_store_exec (store, "PRAGMA mmap_size = 1073741824", NULL);
}

/* The part of a job before loading: settings, the engine and the earlier matches. */
static gboolean
begin_job (TsyStore *store,
           Job      *job,
           GError  **error)
{
  const ReconAccount *account = job->account;

  job->t0 = g_get_monotonic_time ();
  job->old.matches = g_array_new (FALSE, FALSE, sizeof (OldMatch));
  if (job->options.window_days < 0 &&
      !tsy_recon_get_window (store, account->id, &job->options.window_days, error))
    return FALSE;
  if (!opening_date (store, account->id, &job->from, error))
    return FALSE;
  job->engine = recon_engine_new (&job->options, account->currency);
  return load_matches (store, account->id, &job->old, error) &&
         load_rejected (store, account->id, job->engine, error);
}

static gboolean
end_job (Job          *job,
         GCancellable *cancellable,
         GError      **error)
{
  ReconEngine *e = job->engine;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  resolve_old_matches (&job->old, e);
  g_debug ("reconcile %s: loaded %u lines and %u entries in %.2f s", job->account->number,
           e->bank->len, e->book->len, (g_get_monotonic_time () - job->t0) / 1e6);
  recon_engine_run (e);
  g_debug ("reconcile %s: %u links, %u matches, %u suggestions at %.2f s", job->account->number,
           e->links->len, e->matches->len, e->suggestions->len,
           (g_get_monotonic_time () - job->t0) / 1e6);
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

/* Loads and matches one account on one connection. */
static gboolean
prepare_job (TsyStore     *store,
             Job          *job,
             GCancellable *cancellable,
             GError      **error)
{
  return begin_job (store, job, error) &&
         load_book (store, job->account->id, job->engine, error) &&
         load_bank (store, job->account->id, job->from, job->engine, error) &&
         end_job (job, cancellable, error);
}

typedef struct
{
  TsyStore *store;
  Job      *job;
  GError   *error;
} SideLoad;

static gpointer
bank_side_main (gpointer data)
{
  SideLoad *side = data;
  g_autoptr(TsyStore) own = tsy_store_reopen (side->store, &side->error);

  if (own != NULL)
    {
      tune_for_run (own, FALSE);
      load_bank (own, side->job->account->id, side->job->from, side->job->engine, &side->error);
    }
  return NULL;
}

/* One account alone: its bank lines load on a second connection while the book loads here. */
static gboolean
prepare_job_split (TsyStore     *store,
                   Job          *job,
                   GCancellable *cancellable,
                   GError      **error)
{
  SideLoad side = { store, job, NULL };
  GThread *thread;
  gboolean ok;

  if (!begin_job (store, job, error))
    return FALSE;
  thread = g_thread_new ("tsy-reconcile-bank", bank_side_main, &side);
  ok = load_book (store, job->account->id, job->engine, error);
  g_thread_join (thread);
  if (ok && side.error != NULL)
    {
      g_propagate_error (error, side.error);
      return FALSE;
    }
  g_clear_error (&side.error);
  return ok && end_job (job, cancellable, error);
}

static gboolean
write_job (TsyStore        *store,
           Job             *job,
           TsyReconSummary *summary,
           GError         **error)
{
  ReconEngine *e = job->engine;
  gint64 t0 = g_get_monotonic_time ();

  summary->accounts++;
  summary->bank_lines += e->bank->len;
  summary->book_entries += e->book->len;
  count_unmatched (e, summary);
  if (!write_results (store, job->account->id, e, &job->old, summary, error))
    return FALSE;
  g_debug ("reconcile %s: written in %.2f s", job->account->number, (g_get_monotonic_time () - t0) / 1e6);
  return TRUE;
}

/* Workers load and match accounts on their own connections while the caller's connection,
 * which holds the write transaction, writes the results in account order. A reader sees the
 * last committed state, which for an account not yet written is this run's starting state. */
typedef struct
{
  TsyStore     *store;
  GPtrArray    *accounts;
  Job          *jobs;
  GCancellable *cancellable;
  GMutex        lock;
  GCond         cond;
  guint         next;
  gboolean      stop;
} Pool;

static gpointer
worker_main (gpointer data)
{
  Pool *pool = data;
  g_autoptr(TsyStore) own = NULL;
  GError *error = NULL;

  own = tsy_store_reopen (pool->store, &error);
  if (own != NULL)
    tune_for_run (own, FALSE);
  for (;;)
    {
      Job *job;
      guint i;

      g_mutex_lock (&pool->lock);
      i = pool->next++;
      g_mutex_unlock (&pool->lock);
      if (i >= pool->accounts->len || pool->stop)
        break;
      job = &pool->jobs[i];
      if (own == NULL)
        job->error = g_error_copy (error);
      else
        prepare_job (own, job, pool->cancellable, &job->error);
      g_mutex_lock (&pool->lock);
      job->done = TRUE;
      g_cond_broadcast (&pool->cond);
      g_mutex_unlock (&pool->lock);
    }
  g_clear_error (&error);
  return NULL;
}

static gboolean
run_accounts (TsyStore              *store,
              GPtrArray             *accounts,
              const TsyReconOptions *options,
              TsyReconSummary       *summary,
              GCancellable          *cancellable,
              GError               **error)
{
  g_autofree Job *jobs = g_new0 (Job, MAX (accounts->len, 1));
  guint n_workers = 0;
  GThread *workers[2] = { NULL, NULL };
  Pool pool = { 0 };
  gboolean ok = TRUE;

  for (guint i = 0; i < accounts->len; i++)
    {
      jobs[i].account = g_ptr_array_index (accounts, i);
      jobs[i].options = *options;
    }
  if (g_strcmp0 (tsy_store_get_path (store), ":memory:") != 0 && accounts->len > 1)
    n_workers = MIN (MIN (accounts->len, G_N_ELEMENTS (workers)), MAX (g_get_num_processors (), 1));
  /* for measurements: TSY_RECONCILE_WORKERS=0 runs everything on the caller's connection */
  if (g_getenv ("TSY_RECONCILE_WORKERS") != NULL)
    n_workers = MIN ((guint) atoi (g_getenv ("TSY_RECONCILE_WORKERS")), MIN (accounts->len, G_N_ELEMENTS (workers)));

  if (n_workers == 0)
    {
      gboolean split = g_strcmp0 (tsy_store_get_path (store), ":memory:") != 0 &&
                       g_get_num_processors () > 1 && g_getenv ("TSY_RECONCILE_WORKERS") == NULL;

      for (guint i = 0; i < accounts->len && ok; i++)
        {
          ok = (split ? prepare_job_split (store, &jobs[i], cancellable, error)
                      : prepare_job (store, &jobs[i], cancellable, error)) &&
               write_job (store, &jobs[i], summary, error);
          job_clear (&jobs[i]);
        }
      return ok;
    }

  pool.store = store;
  pool.accounts = accounts;
  pool.jobs = jobs;
  pool.cancellable = cancellable;
  g_mutex_init (&pool.lock);
  g_cond_init (&pool.cond);
  for (guint w = 0; w < n_workers; w++)
    workers[w] = g_thread_new ("tsy-reconcile", worker_main, &pool);
  for (guint i = 0; i < accounts->len; i++)
    {
      g_mutex_lock (&pool.lock);
      while (!jobs[i].done)
        g_cond_wait (&pool.cond, &pool.lock);
      g_mutex_unlock (&pool.lock);
      if (ok && jobs[i].error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&jobs[i].error));
          ok = FALSE;
        }
      if (ok && !write_job (store, &jobs[i], summary, error))
        ok = FALSE;
      if (!ok)
        {
          g_mutex_lock (&pool.lock);
          pool.stop = TRUE;
          g_mutex_unlock (&pool.lock);
        }
      job_clear (&jobs[i]);
      if (!ok)
        break;
    }
  for (guint w = 0; w < n_workers; w++)
    g_thread_join (workers[w]);
  for (guint i = 0; i < accounts->len; i++)
    job_clear (&jobs[i]);
  g_mutex_clear (&pool.lock);
  g_cond_clear (&pool.cond);
  return ok;
}

gboolean
tsy_reconcile (TsyStore              *store,
               const char            *account,
               const TsyReconOptions *options,
               TsyReconSummary       *summary,
               GCancellable          *cancellable,
               GError               **error)
{
  g_autoptr(GPtrArray) accounts = NULL;
  TsyReconOptions defaults;
  TsyReconSummary sum = { 0 };
  int cache_pages = 0;
  gint64 mmap_size = 0;
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (TSY_IS_STORE (store), FALSE);

  if (options == NULL)
    {
      tsy_recon_options_init (&defaults);
      options = &defaults;
    }
  if (options->window_days > 40)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   _("The date window is 0 to 40 days, not %d"), options->window_days);
      return FALSE;
    }
  stmt = tsy_store_prepare (store, "PRAGMA cache_size", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    cache_pages = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  stmt = tsy_store_prepare (store, "PRAGMA mmap_size", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    mmap_size = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (!tsy_store_begin (store, error))
    return FALSE;
  tune_for_run (store, TRUE);
  accounts = recon_accounts (store, account, TRUE, error);
  ok = accounts != NULL && run_accounts (store, accounts, options, &sum, cancellable, error);
  if (ok)
    {
      gint64 t0 = g_get_monotonic_time ();
      ok = tsy_store_commit (store, error);
      g_debug ("reconcile: committed in %.2f s", (g_get_monotonic_time () - t0) / 1e6);
    }
  else
    tsy_store_rollback (store);
  {
    g_autofree char *pragma = g_strdup_printf ("PRAGMA cache_size = %d", cache_pages);
    g_autofree char *mmap = g_strdup_printf ("PRAGMA mmap_size = %" G_GINT64_FORMAT, mmap_size);
    tsy_store_exec (store, pragma, NULL);
    tsy_store_exec (store, mmap, NULL);
  }
  if (ok && summary != NULL)
    *summary = sum;
  return ok;
}

typedef struct
{
  char           *account;
  TsyReconOptions options;
} RunData;

static void
run_data_free (gpointer data)
{
  RunData *d = data;

  g_free (d->account);
  g_free (d);
}

static void
reconcile_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  RunData *d = task_data;
  g_autoptr(TsyStore) own = NULL;
  TsyReconSummary *summary = g_new0 (TsyReconSummary, 1);
  GError *error = NULL;

  own = tsy_store_reopen (TSY_STORE (source_object), &error);
  if (own == NULL || !tsy_reconcile (own, d->account, &d->options, summary, cancellable, &error))
    {
      g_free (summary);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, summary, g_free);
}

void
tsy_reconcile_async (TsyStore              *store,
                     const char            *account,
                     const TsyReconOptions *options,
                     GCancellable          *cancellable,
                     GAsyncReadyCallback    callback,
                     gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  RunData *d = g_new0 (RunData, 1);

  g_return_if_fail (TSY_IS_STORE (store));

  d->account = g_strdup (account);
  if (options != NULL)
    d->options = *options;
  else
    tsy_recon_options_init (&d->options);
  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, tsy_reconcile_async);
  g_task_set_task_data (task, d, run_data_free);
  g_task_run_in_thread (task, reconcile_thread);
}

gboolean
tsy_reconcile_finish (TsyStore        *store,
                      GAsyncResult    *result,
                      TsyReconSummary *summary,
                      GError         **error)
{
  g_autofree TsyReconSummary *s = NULL;

  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  s = g_task_propagate_pointer (G_TASK (result), error);
  if (s == NULL)
    return FALSE;
  if (summary != NULL)
    *summary = *s;
  return TRUE;
}
