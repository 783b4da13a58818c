/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsy-account.h"
#include "tsy-book.h"
#include "tsy-ledger-error.h"
#include "tsy-money.h"
#include "tsy-recon-model.h"
#include "tsy-reconcile-private.h"
#include "tsy-store-private.h"

struct _TsyReconItem
{
  GObject           parent_instance;
  TsyReconSide      side;
  gint64            id;
  char             *ref;
  TsyDate           date;
  gint64            amount_minor;
  char              currency[4];
  char             *counterparty;
  char             *text;
  TsyReconItemState state;
  gint64            match_id;
  const char       *rule;      /* static */
  int               score;
};

struct _TsyReconGroup
{
  GObject        parent_instance;
  gint64         id;
  gboolean       suggestion;
  TsyReconStatus status;
  TsyReconRule   rule;
  int            score;
  gint64         charge_minor;
  char           currency[4];
  GStrv          bank_refs;
  GStrv          book_ids;
  gint64         bank_sum_minor;
  gint64         book_sum_minor;
};

struct _TsyReconView
{
  GObject     parent_instance;
  char       *account;
  char        currency[4];
  GListStore *bank;
  GListStore *book;
  GListStore *matches;
  GListStore *suggestions;
};

G_DEFINE_FINAL_TYPE (TsyReconItem, tsy_recon_item, G_TYPE_OBJECT)
G_DEFINE_FINAL_TYPE (TsyReconGroup, tsy_recon_group, G_TYPE_OBJECT)
G_DEFINE_FINAL_TYPE (TsyReconView, tsy_recon_view, G_TYPE_OBJECT)

enum
{
  ITEM_PROP_0,
  ITEM_PROP_SIDE,
  ITEM_PROP_ID,
  ITEM_PROP_REF,
  ITEM_PROP_DATE,
  ITEM_PROP_AMOUNT_MINOR,
  ITEM_PROP_CURRENCY,
  ITEM_PROP_COUNTERPARTY,
  ITEM_PROP_TEXT,
  ITEM_PROP_STATE,
  ITEM_PROP_MATCH_ID,
  ITEM_PROP_RULE,
  ITEM_PROP_SCORE,
  ITEM_N_PROPS
};

enum
{
  GROUP_PROP_0,
  GROUP_PROP_ID,
  GROUP_PROP_SUGGESTION,
  GROUP_PROP_STATUS,
  GROUP_PROP_RULE,
  GROUP_PROP_SCORE,
  GROUP_PROP_CHARGE_MINOR,
  GROUP_PROP_CURRENCY,
  GROUP_PROP_BANK_REFS,
  GROUP_PROP_BOOK_IDS,
  GROUP_PROP_BANK_SUM_MINOR,
  GROUP_PROP_BOOK_SUM_MINOR,
  GROUP_N_PROPS
};

static GParamSpec *item_props[ITEM_N_PROPS];
static GParamSpec *group_props[GROUP_N_PROPS];

/* ---- TsyReconItem ---------------------------------------------------------------------------- */

static void
tsy_recon_item_finalize (GObject *object)
{
  TsyReconItem *self = TSY_RECON_ITEM (object);

  g_free (self->ref);
  g_free (self->counterparty);
  g_free (self->text);
  G_OBJECT_CLASS (tsy_recon_item_parent_class)->finalize (object);
}

static void
tsy_recon_item_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TsyReconItem *self = TSY_RECON_ITEM (object);

  switch (prop_id)
    {
    case ITEM_PROP_SIDE:
      g_value_set_int (value, self->side);
      break;
    case ITEM_PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case ITEM_PROP_REF:
      g_value_set_string (value, self->ref);
      break;
    case ITEM_PROP_DATE:
      g_value_take_string (value, tsy_date_to_iso (self->date));
      break;
    case ITEM_PROP_AMOUNT_MINOR:
      g_value_set_int64 (value, self->amount_minor);
      break;
    case ITEM_PROP_CURRENCY:
      g_value_set_string (value, self->currency);
      break;
    case ITEM_PROP_COUNTERPARTY:
      g_value_set_string (value, self->counterparty);
      break;
    case ITEM_PROP_TEXT:
      g_value_set_string (value, self->text);
      break;
    case ITEM_PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case ITEM_PROP_MATCH_ID:
      g_value_set_int64 (value, self->match_id);
      break;
    case ITEM_PROP_RULE:
      g_value_set_string (value, self->rule);
      break;
    case ITEM_PROP_SCORE:
      g_value_set_int (value, self->score);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsy_recon_item_class_init (TsyReconItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = tsy_recon_item_finalize;
  object_class->get_property = tsy_recon_item_get_property;
  item_props[ITEM_PROP_SIDE] = g_param_spec_int ("side", NULL, NULL, 0, 1, 0, flags);
  item_props[ITEM_PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  item_props[ITEM_PROP_REF] = g_param_spec_string ("ref", NULL, NULL, NULL, flags);
  item_props[ITEM_PROP_DATE] = g_param_spec_string ("date", NULL, NULL, NULL, flags);
  item_props[ITEM_PROP_AMOUNT_MINOR] = g_param_spec_int64 ("amount-minor", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  item_props[ITEM_PROP_CURRENCY] = g_param_spec_string ("currency", NULL, NULL, NULL, flags);
  item_props[ITEM_PROP_COUNTERPARTY] = g_param_spec_string ("counterparty", NULL, NULL, NULL, flags);
  item_props[ITEM_PROP_TEXT] = g_param_spec_string ("text", NULL, NULL, NULL, flags);
  item_props[ITEM_PROP_STATE] = g_param_spec_int ("state", NULL, NULL, 0, 2, 0, flags);
  item_props[ITEM_PROP_MATCH_ID] = g_param_spec_int64 ("match-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  item_props[ITEM_PROP_RULE] = g_param_spec_string ("rule", NULL, NULL, NULL, flags);
  item_props[ITEM_PROP_SCORE] = g_param_spec_int ("score", NULL, NULL, 0, 1000, 0, flags);
  g_object_class_install_properties (object_class, ITEM_N_PROPS, item_props);
}

static void
tsy_recon_item_init (TsyReconItem *self)
{
}

TsyReconSide
tsy_recon_item_get_side (TsyReconItem *self)
{
  g_return_val_if_fail (TSY_IS_RECON_ITEM (self), TSY_RECON_SIDE_BANK);
  return self->side;
}

gint64
tsy_recon_item_get_id (TsyReconItem *self)
{
  g_return_val_if_fail (TSY_IS_RECON_ITEM (self), 0);
  return self->id;
}

const char *
tsy_recon_item_get_ref (TsyReconItem *self)
{
  g_return_val_if_fail (TSY_IS_RECON_ITEM (self), NULL);
  return self->ref;
}

TsyDate
tsy_recon_item_get_date (TsyReconItem *self)
{
  g_return_val_if_fail (TSY_IS_RECON_ITEM (self), TSY_DATE_NONE);
  return self->date;
}

gint64
tsy_recon_item_get_amount_minor (TsyReconItem *self)
{
  g_return_val_if_fail (TSY_IS_RECON_ITEM (self), 0);
  return self->amount_minor;
}

const char *
tsy_recon_item_get_currency (TsyReconItem *self)
{
  g_return_val_if_fail (TSY_IS_RECON_ITEM (self), NULL);
  return self->currency;
}

TsyReconItemState
tsy_recon_item_get_state (TsyReconItem *self)
{
  g_return_val_if_fail (TSY_IS_RECON_ITEM (self), TSY_RECON_ITEM_UNMATCHED);
  return self->state;
}

gint64
tsy_recon_item_get_match_id (TsyReconItem *self)
{
  g_return_val_if_fail (TSY_IS_RECON_ITEM (self), 0);
  return self->match_id;
}

gboolean
tsy_recon_items_difference (TsyReconItem * const *items,
                            guint                 n_items,
                            gint64               *out_difference)
{
  gint64 diff = 0;

  g_return_val_if_fail (out_difference != NULL, FALSE);
  for (guint i = 0; i < n_items; i++)
    {
      gint64 a = items[i]->amount_minor;
      if (items[i]->side == TSY_RECON_SIDE_BOOK ? __builtin_add_overflow (diff, a, &diff)
                                                : __builtin_sub_overflow (diff, a, &diff))
        return FALSE;
    }
  *out_difference = diff;
  return TRUE;
}

/* ---- TsyReconGroup -------------------------------------------------------------------------- */

static void
tsy_recon_group_finalize (GObject *object)
{
  TsyReconGroup *self = TSY_RECON_GROUP (object);

  g_strfreev (self->bank_refs);
  g_strfreev (self->book_ids);
  G_OBJECT_CLASS (tsy_recon_group_parent_class)->finalize (object);
}

static void
tsy_recon_group_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TsyReconGroup *self = TSY_RECON_GROUP (object);

  switch (prop_id)
    {
    case GROUP_PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case GROUP_PROP_SUGGESTION:
      g_value_set_boolean (value, self->suggestion);
      break;
    case GROUP_PROP_STATUS:
      g_value_set_int (value, self->status);
      break;
    case GROUP_PROP_RULE:
      g_value_set_string (value, tsy_recon_rule_to_string (self->rule));
      break;
    case GROUP_PROP_SCORE:
      g_value_set_int (value, self->score);
      break;
    case GROUP_PROP_CHARGE_MINOR:
      g_value_set_int64 (value, self->charge_minor);
      break;
    case GROUP_PROP_CURRENCY:
      g_value_set_string (value, self->currency);
      break;
    case GROUP_PROP_BANK_REFS:
      g_value_set_boxed (value, self->bank_refs);
      break;
    case GROUP_PROP_BOOK_IDS:
      g_value_set_boxed (value, self->book_ids);
      break;
    case GROUP_PROP_BANK_SUM_MINOR:
      g_value_set_int64 (value, self->bank_sum_minor);
      break;
    case GROUP_PROP_BOOK_SUM_MINOR:
      g_value_set_int64 (value, self->book_sum_minor);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsy_recon_group_class_init (TsyReconGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = tsy_recon_group_finalize;
  object_class->get_property = tsy_recon_group_get_property;
  group_props[GROUP_PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  group_props[GROUP_PROP_SUGGESTION] = g_param_spec_boolean ("suggestion", NULL, NULL, FALSE, flags);
  group_props[GROUP_PROP_STATUS] = g_param_spec_int ("status", NULL, NULL, 0, 2, 0, flags);
  group_props[GROUP_PROP_RULE] = g_param_spec_string ("rule", NULL, NULL, NULL, flags);
  group_props[GROUP_PROP_SCORE] = g_param_spec_int ("score", NULL, NULL, 0, 1000, 0, flags);
  group_props[GROUP_PROP_CHARGE_MINOR] = g_param_spec_int64 ("charge-minor", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  group_props[GROUP_PROP_CURRENCY] = g_param_spec_string ("currency", NULL, NULL, NULL, flags);
  group_props[GROUP_PROP_BANK_REFS] = g_param_spec_boxed ("bank-refs", NULL, NULL, G_TYPE_STRV, flags);
  group_props[GROUP_PROP_BOOK_IDS] = g_param_spec_boxed ("book-ids", NULL, NULL, G_TYPE_STRV, flags);
  group_props[GROUP_PROP_BANK_SUM_MINOR] = g_param_spec_int64 ("bank-sum-minor", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  group_props[GROUP_PROP_BOOK_SUM_MINOR] = g_param_spec_int64 ("book-sum-minor", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  g_object_class_install_properties (object_class, GROUP_N_PROPS, group_props);
}

static void
tsy_recon_group_init (TsyReconGroup *self)
{
}

gint64
tsy_recon_group_get_id (TsyReconGroup *self)
{
  g_return_val_if_fail (TSY_IS_RECON_GROUP (self), 0);
  return self->id;
}

gboolean
tsy_recon_group_get_suggestion (TsyReconGroup *self)
{
  g_return_val_if_fail (TSY_IS_RECON_GROUP (self), FALSE);
  return self->suggestion;
}

TsyReconRule
tsy_recon_group_get_rule (TsyReconGroup *self)
{
  g_return_val_if_fail (TSY_IS_RECON_GROUP (self), TSY_RECON_RULE_MANUAL);
  return self->rule;
}

int
tsy_recon_group_get_score (TsyReconGroup *self)
{
  g_return_val_if_fail (TSY_IS_RECON_GROUP (self), 0);
  return self->score;
}

const char * const *
tsy_recon_group_get_bank_refs (TsyReconGroup *self)
{
  g_return_val_if_fail (TSY_IS_RECON_GROUP (self), NULL);
  return (const char * const *) self->bank_refs;
}

const char * const *
tsy_recon_group_get_book_ids (TsyReconGroup *self)
{
  g_return_val_if_fail (TSY_IS_RECON_GROUP (self), NULL);
  return (const char * const *) self->book_ids;
}

/* ---- TsyReconView -------------------------------------------------------------------------- */

static void
tsy_recon_view_finalize (GObject *object)
{
  TsyReconView *self = TSY_RECON_VIEW (object);

  g_free (self->account);
  g_clear_object (&self->bank);
  g_clear_object (&self->book);
  g_clear_object (&self->matches);
  g_clear_object (&self->suggestions);
  G_OBJECT_CLASS (tsy_recon_view_parent_class)->finalize (object);
}

static void
tsy_recon_view_class_init (TsyReconViewClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tsy_recon_view_finalize;
}

static void
tsy_recon_view_init (TsyReconView *self)
{
  self->bank = g_list_store_new (TSY_TYPE_RECON_ITEM);
  self->book = g_list_store_new (TSY_TYPE_RECON_ITEM);
  self->matches = g_list_store_new (TSY_TYPE_RECON_GROUP);
  self->suggestions = g_list_store_new (TSY_TYPE_RECON_GROUP);
}

GListModel *
tsy_recon_view_get_bank (TsyReconView *self)
{
  g_return_val_if_fail (TSY_IS_RECON_VIEW (self), NULL);
  return G_LIST_MODEL (self->bank);
}

GListModel *
tsy_recon_view_get_book (TsyReconView *self)
{
  g_return_val_if_fail (TSY_IS_RECON_VIEW (self), NULL);
  return G_LIST_MODEL (self->book);
}

GListModel *
tsy_recon_view_get_matches (TsyReconView *self)
{
  g_return_val_if_fail (TSY_IS_RECON_VIEW (self), NULL);
  return G_LIST_MODEL (self->matches);
}

GListModel *
tsy_recon_view_get_suggestions (TsyReconView *self)
{
  g_return_val_if_fail (TSY_IS_RECON_VIEW (self), NULL);
  return G_LIST_MODEL (self->suggestions);
}

const char *
tsy_recon_view_get_account (TsyReconView *self)
{
  g_return_val_if_fail (TSY_IS_RECON_VIEW (self), NULL);
  return self->account;
}

const char *
tsy_recon_view_get_currency (TsyReconView *self)
{
  g_return_val_if_fail (TSY_IS_RECON_VIEW (self), NULL);
  return self->currency;
}

typedef struct
{
  TsyReconRule rule;
  int          score;
} MatchInfo;

typedef struct
{
  TsyReconView *view;
  GListStore   *store;
  GHashTable   *in_period;     /* match ids with an item in the period */
  gboolean      filter;
  gboolean      suggestion;
} GroupCollect;

static gboolean
collect_group (const TsyReconMatchRow *row,
               gpointer                user_data)
{
  GroupCollect *c = user_data;
  g_autoptr(TsyReconGroup) g = NULL;

  if (c->filter && !g_hash_table_contains (c->in_period, &row->id))
    return TRUE;
  g = g_object_new (TSY_TYPE_RECON_GROUP, NULL);
  g->id = row->id;
  g->suggestion = c->suggestion;
  g->status = row->status;
  g->rule = row->rule;
  g->score = row->score;
  g->charge_minor = row->charge_minor;
  g_strlcpy (g->currency, row->currency, sizeof g->currency);
  g->bank_refs = g_strdupv ((char **) row->bank_refs);
  g->book_ids = g_strdupv ((char **) row->book_ids);
  g->bank_sum_minor = row->bank_sum;
  g->book_sum_minor = row->book_sum;
  g_list_store_append (c->store, g);
  return TRUE;
}

static gboolean
load_items (TsyStore     *store,
            TsyReconView *view,
            gint64        account_id,
            TsyReconSide  side,
            TsyDate       from,
            TsyDate       to,
            TsyDate       opening,
            GHashTable   *matches,
            GHashTable   *in_period,
            GError      **error)
{
  g_autoptr(GHashTable) suggested = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  stmt = tsy_store_prepare (store,
      "SELECT si.item_id FROM recon_suggestion s JOIN recon_suggestion_item si"
      " ON si.suggestion_id = s.id AND si.side = ?2 WHERE s.account_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_int (stmt, 2, side);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 *id = g_new (gint64, 1);
      *id = sqlite3_column_int64 (stmt, 0);
      g_hash_table_add (suggested, id);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return tsy_store_set_error (store, error);

  stmt = tsy_store_prepare (store, side == TSY_RECON_SIDE_BANK
      ? "SELECT l.id, l.ident, l.booking_date, l.amount_minor, l.counterparty, l.text, rb.match_id"
        " FROM statement_line l LEFT JOIN recon_bank rb ON rb.line_id = l.id"
        " WHERE l.account_id = ?1 AND (?2 IS NULL OR l.booking_date >= ?2)"
        " AND (?3 IS NULL OR l.booking_date <= ?3) AND (?4 IS NULL OR l.booking_date >= ?4)"
        " ORDER BY l.booking_date, l.id"
      : "SELECT e.id, e.ext_id, e.date, e.amount_minor, e.counterparty, e.memo, rk.match_id"
        " FROM book_entry e LEFT JOIN recon_book rk ON rk.entry_id = e.id"
        " WHERE e.account_id = ?1 AND (?2 IS NULL OR e.date >= ?2)"
        " AND (?3 IS NULL OR e.date <= ?3) AND (?4 IS NULL OR e.date >= ?4)"
        " ORDER BY e.date, e.id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  tsy_store_bind_date (stmt, 2, from);
  tsy_store_bind_date (stmt, 3, to);
  tsy_store_bind_date (stmt, 4, side == TSY_RECON_SIDE_BANK ? opening : TSY_DATE_NONE);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TsyReconItem *it = g_object_new (TSY_TYPE_RECON_ITEM, NULL);
      const char *ref = (const char *) sqlite3_column_text (stmt, 1);

      it->side = side;
      it->id = sqlite3_column_int64 (stmt, 0);
      it->ref = g_strdup (side == TSY_RECON_SIDE_BANK && g_str_has_prefix (ref, "r:") ? ref + 2 : ref);
      it->date = tsy_store_column_date (stmt, 2);
      it->amount_minor = sqlite3_column_int64 (stmt, 3);
      memcpy (it->currency, view->currency, 4);
      it->counterparty = tsy_store_column_dup (stmt, 4);
      it->text = tsy_store_column_dup (stmt, 5);
      if (sqlite3_column_type (stmt, 6) != SQLITE_NULL)
        {
          MatchInfo *mi;
          it->match_id = sqlite3_column_int64 (stmt, 6);
          it->state = TSY_RECON_ITEM_MATCHED;
          mi = g_hash_table_lookup (matches, &it->match_id);
          if (mi != NULL)
            {
              it->rule = tsy_recon_rule_to_string (mi->rule);
              it->score = mi->score;
            }
          g_hash_table_add (in_period, g_memdup2 (&it->match_id, sizeof (gint64)));
        }
      else if (g_hash_table_contains (suggested, &it->id))
        it->state = TSY_RECON_ITEM_SUGGESTED;
      g_ptr_array_add (items, it);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return tsy_store_set_error (store, error);
  g_list_store_splice (side == TSY_RECON_SIDE_BANK ? view->bank : view->book, 0, 0,
                       items->pdata, items->len);
  return TRUE;
}

TsyReconView *
tsy_recon_view_load (TsyStore   *store,
                     const char *account,
                     TsyDate     from,
                     TsyDate     to,
                     GError    **error)
{
  g_autoptr(TsyReconView) view = NULL;
  g_autoptr(TsyAccountInfo) info = NULL;
  g_autoptr(GHashTable) matches = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr(GHashTable) in_period = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  GroupCollect collect = { 0 };
  TsyDate opening = TSY_DATE_NONE;
  GError *local = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TSY_IS_STORE (store), NULL);
  g_return_val_if_fail (account != NULL, NULL);

  info = tsy_account_lookup (store, account, error);
  if (info == NULL)
    return NULL;
  view = g_object_new (TSY_TYPE_RECON_VIEW, NULL);
  view->account = g_strdup (info->number);
  memcpy (view->currency, info->currency, 4);
  if (!tsy_book_get_opening (store, info->id, NULL, &opening, &local))
    {
      if (!g_error_matches (local, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, local);
          return NULL;
        }
      g_clear_error (&local);
    }
  stmt = tsy_store_prepare (store, "SELECT id, rule, score FROM recon_match WHERE account_id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, info->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 *id = g_new (gint64, 1);
      MatchInfo *mi = g_new (MatchInfo, 1);
      *id = sqlite3_column_int64 (stmt, 0);
      mi->rule = recon_rule_from_string ((const char *) sqlite3_column_text (stmt, 1));
      mi->score = sqlite3_column_int (stmt, 2);
      g_hash_table_insert (matches, id, mi);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tsy_store_set_error (store, error);
      return NULL;
    }
  if (!load_items (store, view, info->id, TSY_RECON_SIDE_BANK, from, to, opening, matches, in_period, error) ||
      !load_items (store, view, info->id, TSY_RECON_SIDE_BOOK, from, to, opening, matches, in_period, error))
    return NULL;

  collect.view = view;
  collect.in_period = in_period;
  collect.filter = from != TSY_DATE_NONE || to != TSY_DATE_NONE;
  collect.store = view->matches;
  if (!tsy_recon_foreach_match (store, info->number, collect_group, &collect, error))
    return NULL;
  collect.store = view->suggestions;
  collect.filter = FALSE;
  collect.suggestion = TRUE;
  if (!tsy_recon_foreach_suggestion (store, info->number, collect_group, &collect, error))
    return NULL;
  return g_steal_pointer (&view);
}

typedef struct
{
  char   *account;
  TsyDate from;
  TsyDate to;
  gint64  suggestion;
  char   *actor;
} LoadData;

static void
load_data_free (gpointer data)
{
  LoadData *d = data;

  g_free (d->account);
  g_free (d->actor);
  g_free (d);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *d = task_data;
  g_autoptr(TsyStore) own = NULL;
  TsyReconView *view = NULL;
  GError *error = NULL;

  own = tsy_store_reopen (TSY_STORE (source_object), &error);
  if (own != NULL)
    view = tsy_recon_view_load (own, d->account, d->from, d->to, &error);
  if (view == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, view, g_object_unref);
}

void
tsy_recon_view_load_async (TsyStore           *store,
                           const char         *account,
                           TsyDate             from,
                           TsyDate             to,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *d = g_new0 (LoadData, 1);

  g_return_if_fail (TSY_IS_STORE (store));
  d->account = g_strdup (account);
  d->from = from;
  d->to = to;
  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, tsy_recon_view_load_async);
  g_task_set_task_data (task, d, load_data_free);
  g_task_run_in_thread (task, load_thread);
}

TsyReconView *
tsy_recon_view_load_finish (TsyStore     *store,
                            GAsyncResult *result,
                            GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
accept_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  LoadData *d = task_data;
  g_autoptr(TsyStore) own = NULL;
  GError *error = NULL;
  gint64 id = 0;

  own = tsy_store_reopen (TSY_STORE (source_object), &error);
  if (own != NULL)
    id = tsy_recon_accept_suggestion (own, d->suggestion, d->actor, &error);
  if (id == 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, id);
}

void
tsy_recon_accept_suggestion_async (TsyStore           *store,
                                   gint64              suggestion_id,
                                   const char         *actor,
                                   GCancellable       *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *d = g_new0 (LoadData, 1);

  g_return_if_fail (TSY_IS_STORE (store));
  d->suggestion = suggestion_id;
  d->actor = g_strdup (actor);
  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, tsy_recon_accept_suggestion_async);
  g_task_set_task_data (task, d, load_data_free);
  g_task_run_in_thread (task, accept_thread);
}

gint64
tsy_recon_accept_suggestion_finish (TsyStore     *store,
                                    GAsyncResult *result,
                                    GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), 0);
  return (gint64) g_task_propagate_int (G_TASK (result), error);
}
