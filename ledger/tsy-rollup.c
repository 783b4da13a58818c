/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsy-account.h"
#include "tsy-ledger-error.h"
#include "tsy-money.h"
#include "tsy-org.h"
#include "tsy-rollup.h"
#include "tsy-store-private.h"

typedef struct
{
  char   currency[4];
  gint64 minor;
} Total;

struct _TsyRollupNode
{
  GObject            parent_instance;

  TsyRollupNodeKind  kind;
  gint64             id;
  gint64             parent_id;       /* org units: 0 for a root */
  char              *code;
  char              *name;
  GListStore        *children;
  GListStore        *accounts;
  GListStore        *items;
  GArray            *totals;          /* of Total, sorted by currency */
  char             **currencies;      /* NULL-terminated, sorted */
  char              *report_currency;
  gboolean           has_converted;
  gint64             converted;
  guint              n_accounts_deep;

  /* account leaves */
  char              *number;
  char               currency[4];
  gboolean           has_balance;
  gint64             balance;
  TsyDate            balance_date;
  char              *bank_code;
  char              *bank_name;
  char              *org_code;
  char              *org_name;
  const char        *account_type;    /* static strings */
  const char        *account_status;
};

G_DEFINE_FINAL_TYPE (TsyRollupNode, tsy_rollup_node, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KIND,
  PROP_CODE,
  PROP_NAME,
  PROP_HAS_TOTAL,
  PROP_TOTAL_MINOR,
  PROP_REPORT_CURRENCY,
  PROP_N_ACCOUNTS,
  PROP_NUMBER,
  PROP_CURRENCY,
  PROP_HAS_BALANCE,
  PROP_BALANCE_MINOR,
  PROP_BALANCE_DATE,
  PROP_BANK_CODE,
  PROP_BANK_NAME,
  PROP_ORG_CODE,
  PROP_ORG_NAME,
  PROP_ACCOUNT_TYPE,
  PROP_ACCOUNT_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static TsyRollupNode *
node_new (TsyRollupNodeKind kind,
          gint64            id,
          const char       *code,
          const char       *name)
{
  TsyRollupNode *node = g_object_new (TSY_TYPE_ROLLUP_NODE, NULL);

  node->kind = kind;
  node->id = id;
  node->code = g_strdup (code);
  node->name = g_strdup (name);
  return node;
}

static gboolean
add_total (TsyRollupNode *node,
           const char    *currency,
           gint64         minor,
           GError       **error)
{
  guint i;
  Total t;

  for (i = 0; i < node->totals->len; i++)
    {
      Total *e = &g_array_index (node->totals, Total, i);
      int c = strcmp (e->currency, currency);
      if (c == 0)
        return tsy_money_add (e->minor, minor, &e->minor, error);
      if (c > 0)
        break;
    }
  g_strlcpy (t.currency, currency, sizeof t.currency);
  t.minor = minor;
  g_array_insert_val (node->totals, i, t);
  return TRUE;
}

/* Adds @child's figures into @parent. */
static gboolean
absorb (TsyRollupNode *parent,
        TsyRollupNode *child,
        GError       **error)
{
  if (child->kind == TSY_ROLLUP_NODE_ACCOUNT)
    {
      parent->n_accounts_deep++;
      if (child->has_balance && !add_total (parent, child->currency, child->balance, error))
        return FALSE;
    }
  else
    {
      parent->n_accounts_deep += child->n_accounts_deep;
      for (guint i = 0; i < child->totals->len; i++)
        {
          Total *t = &g_array_index (child->totals, Total, i);
          if (!add_total (parent, t->currency, t->minor, error))
            return FALSE;
        }
    }
  if (parent->report_currency != NULL)
    {
      /* An account without a balance adds nothing; one whose balance cannot be converted
       * makes every total above it unknown rather than wrong. */
      if (child->kind == TSY_ROLLUP_NODE_ACCOUNT && !child->has_balance)
        return TRUE;
      if (!child->has_converted)
        parent->has_converted = FALSE;
      else if (parent->has_converted &&
               !tsy_money_add (parent->converted, child->converted, &parent->converted, error))
        return FALSE;
    }
  return TRUE;
}

static void
finish_node (TsyRollupNode *node)
{
  guint n_children = g_list_model_get_n_items (G_LIST_MODEL (node->children));
  guint n_accounts = g_list_model_get_n_items (G_LIST_MODEL (node->accounts));

  node->currencies = g_new0 (char *, node->totals->len + 1);
  for (guint i = 0; i < node->totals->len; i++)
    node->currencies[i] = g_strdup (g_array_index (node->totals, Total, i).currency);

  for (guint i = 0; i < n_children; i++)
    {
      g_autoptr(TsyRollupNode) c = g_list_model_get_item (G_LIST_MODEL (node->children), i);
      g_list_store_append (node->items, c);
    }
  for (guint i = 0; i < n_accounts; i++)
    {
      g_autoptr(TsyRollupNode) a = g_list_model_get_item (G_LIST_MODEL (node->accounts), i);
      g_list_store_append (node->items, a);
    }
}

static void
tsy_rollup_node_finalize (GObject *object)
{
  TsyRollupNode *self = TSY_ROLLUP_NODE (object);

  g_free (self->code);
  g_free (self->name);
  g_clear_object (&self->children);
  g_clear_object (&self->accounts);
  g_clear_object (&self->items);
  g_clear_pointer (&self->totals, g_array_unref);
  g_clear_pointer (&self->currencies, g_strfreev);
  g_free (self->report_currency);
  g_free (self->number);
  g_free (self->bank_code);
  g_free (self->bank_name);
  g_free (self->org_code);
  g_free (self->org_name);

  G_OBJECT_CLASS (tsy_rollup_node_parent_class)->finalize (object);
}

static void
tsy_rollup_node_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TsyRollupNode *self = TSY_ROLLUP_NODE (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_int (value, self->kind);
      break;
    case PROP_CODE:
      g_value_set_string (value, self->code);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_HAS_TOTAL:
      g_value_set_boolean (value, self->has_converted);
      break;
    case PROP_TOTAL_MINOR:
      g_value_set_int64 (value, self->has_converted ? self->converted : 0);
      break;
    case PROP_REPORT_CURRENCY:
      g_value_set_string (value, self->report_currency);
      break;
    case PROP_N_ACCOUNTS:
      g_value_set_uint (value, self->n_accounts_deep);
      break;
    case PROP_NUMBER:
      g_value_set_string (value, self->number);
      break;
    case PROP_CURRENCY:
      g_value_set_string (value, self->currency[0] ? self->currency : NULL);
      break;
    case PROP_HAS_BALANCE:
      g_value_set_boolean (value, self->has_balance);
      break;
    case PROP_BALANCE_MINOR:
      g_value_set_int64 (value, self->balance);
      break;
    case PROP_BALANCE_DATE:
      g_value_take_string (value, tsy_date_to_iso (self->balance_date));
      break;
    case PROP_BANK_CODE:
      g_value_set_string (value, self->bank_code);
      break;
    case PROP_BANK_NAME:
      g_value_set_string (value, self->bank_name);
      break;
    case PROP_ORG_CODE:
      g_value_set_string (value, self->org_code);
      break;
    case PROP_ORG_NAME:
      g_value_set_string (value, self->org_name);
      break;
    case PROP_ACCOUNT_TYPE:
      g_value_set_string (value, self->account_type);
      break;
    case PROP_ACCOUNT_STATUS:
      g_value_set_string (value, self->account_status);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsy_rollup_node_class_init (TsyRollupNodeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = tsy_rollup_node_finalize;
  object_class->get_property = tsy_rollup_node_get_property;

  properties[PROP_KIND] = g_param_spec_int ("kind", NULL, NULL, 0, TSY_ROLLUP_NODE_ACCOUNT, 0, ro);
  properties[PROP_CODE] = g_param_spec_string ("code", NULL, NULL, NULL, ro);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, ro);
  properties[PROP_HAS_TOTAL] = g_param_spec_boolean ("has-total", NULL, NULL, FALSE, ro);
  properties[PROP_TOTAL_MINOR] = g_param_spec_int64 ("total-minor", NULL, NULL,
                                                     G_MININT64, G_MAXINT64, 0, ro);
  properties[PROP_REPORT_CURRENCY] = g_param_spec_string ("report-currency", NULL, NULL, NULL, ro);
  properties[PROP_N_ACCOUNTS] = g_param_spec_uint ("n-accounts", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_NUMBER] = g_param_spec_string ("number", NULL, NULL, NULL, ro);
  properties[PROP_CURRENCY] = g_param_spec_string ("currency", NULL, NULL, NULL, ro);
  properties[PROP_HAS_BALANCE] = g_param_spec_boolean ("has-balance", NULL, NULL, FALSE, ro);
  properties[PROP_BALANCE_MINOR] = g_param_spec_int64 ("balance-minor", NULL, NULL,
                                                       G_MININT64, G_MAXINT64, 0, ro);
  properties[PROP_BALANCE_DATE] = g_param_spec_string ("balance-date", NULL, NULL, NULL, ro);
  properties[PROP_BANK_CODE] = g_param_spec_string ("bank-code", NULL, NULL, NULL, ro);
  properties[PROP_BANK_NAME] = g_param_spec_string ("bank-name", NULL, NULL, NULL, ro);
  properties[PROP_ORG_CODE] = g_param_spec_string ("org-code", NULL, NULL, NULL, ro);
  properties[PROP_ORG_NAME] = g_param_spec_string ("org-name", NULL, NULL, NULL, ro);
  properties[PROP_ACCOUNT_TYPE] = g_param_spec_string ("account-type", NULL, NULL, NULL, ro);
  properties[PROP_ACCOUNT_STATUS] = g_param_spec_string ("account-status", NULL, NULL, NULL, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tsy_rollup_node_init (TsyRollupNode *self)
{
  self->children = g_list_store_new (TSY_TYPE_ROLLUP_NODE);
  self->accounts = g_list_store_new (TSY_TYPE_ROLLUP_NODE);
  self->items = g_list_store_new (TSY_TYPE_ROLLUP_NODE);
  self->totals = g_array_new (FALSE, FALSE, sizeof (Total));
}

TsyRollupNodeKind
tsy_rollup_node_get_kind (TsyRollupNode *self)
{
  g_return_val_if_fail (TSY_IS_ROLLUP_NODE (self), 0);
  return self->kind;
}

const char *
tsy_rollup_node_get_code (TsyRollupNode *self)
{
  g_return_val_if_fail (TSY_IS_ROLLUP_NODE (self), NULL);
  return self->code;
}

const char *
tsy_rollup_node_get_name (TsyRollupNode *self)
{
  g_return_val_if_fail (TSY_IS_ROLLUP_NODE (self), NULL);
  return self->name;
}

GListModel *
tsy_rollup_node_get_children (TsyRollupNode *self)
{
  g_return_val_if_fail (TSY_IS_ROLLUP_NODE (self), NULL);
  return G_LIST_MODEL (self->children);
}

GListModel *
tsy_rollup_node_get_accounts (TsyRollupNode *self)
{
  g_return_val_if_fail (TSY_IS_ROLLUP_NODE (self), NULL);
  return G_LIST_MODEL (self->accounts);
}

GListModel *
tsy_rollup_node_get_items (TsyRollupNode *self)
{
  g_return_val_if_fail (TSY_IS_ROLLUP_NODE (self), NULL);
  return G_LIST_MODEL (self->items);
}

const char * const *
tsy_rollup_node_get_currencies (TsyRollupNode *self)
{
  g_return_val_if_fail (TSY_IS_ROLLUP_NODE (self), NULL);
  return (const char * const *) self->currencies;
}

gboolean
tsy_rollup_node_get_total (TsyRollupNode *self,
                           const char    *currency,
                           gint64        *out_minor)
{
  g_return_val_if_fail (TSY_IS_ROLLUP_NODE (self), FALSE);

  if (self->kind == TSY_ROLLUP_NODE_ACCOUNT)
    {
      if (!self->has_balance || g_strcmp0 (currency, self->currency) != 0)
        return FALSE;
      *out_minor = self->balance;
      return TRUE;
    }
  for (guint i = 0; i < self->totals->len; i++)
    {
      Total *t = &g_array_index (self->totals, Total, i);
      if (g_strcmp0 (t->currency, currency) == 0)
        {
          *out_minor = t->minor;
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
tsy_rollup_node_get_converted (TsyRollupNode *self,
                               gint64        *out_minor)
{
  g_return_val_if_fail (TSY_IS_ROLLUP_NODE (self), FALSE);
  if (self->report_currency == NULL || !self->has_converted)
    return FALSE;
  *out_minor = self->converted;
  return TRUE;
}

const char *
tsy_rollup_node_get_report_currency (TsyRollupNode *self)
{
  g_return_val_if_fail (TSY_IS_ROLLUP_NODE (self), NULL);
  return self->report_currency;
}

guint
tsy_rollup_node_get_n_accounts_deep (TsyRollupNode *self)
{
  g_return_val_if_fail (TSY_IS_ROLLUP_NODE (self), 0);
  return self->kind == TSY_ROLLUP_NODE_ACCOUNT ? 1 : self->n_accounts_deep;
}

const char *
tsy_rollup_node_get_number (TsyRollupNode *self)
{
  g_return_val_if_fail (TSY_IS_ROLLUP_NODE (self), NULL);
  return self->number;
}

const char *
tsy_rollup_node_get_currency (TsyRollupNode *self)
{
  g_return_val_if_fail (TSY_IS_ROLLUP_NODE (self), NULL);
  return self->currency[0] ? self->currency : NULL;
}

gboolean
tsy_rollup_node_get_balance (TsyRollupNode *self,
                             gint64        *out_minor,
                             TsyDate       *out_date)
{
  g_return_val_if_fail (TSY_IS_ROLLUP_NODE (self), FALSE);
  if (!self->has_balance)
    return FALSE;
  if (out_minor != NULL)
    *out_minor = self->balance;
  if (out_date != NULL)
    *out_date = self->balance_date;
  return TRUE;
}

const char *
tsy_rollup_node_get_bank_code (TsyRollupNode *self)
{
  g_return_val_if_fail (TSY_IS_ROLLUP_NODE (self), NULL);
  return self->bank_code;
}

const char *
tsy_rollup_node_get_bank_name (TsyRollupNode *self)
{
  g_return_val_if_fail (TSY_IS_ROLLUP_NODE (self), NULL);
  return self->bank_name;
}

const char *
tsy_rollup_node_get_org_code (TsyRollupNode *self)
{
  g_return_val_if_fail (TSY_IS_ROLLUP_NODE (self), NULL);
  return self->org_code;
}

const char *
tsy_rollup_node_get_org_name (TsyRollupNode *self)
{
  g_return_val_if_fail (TSY_IS_ROLLUP_NODE (self), NULL);
  return self->org_name;
}

const char *
tsy_rollup_node_get_account_type (TsyRollupNode *self)
{
  g_return_val_if_fail (TSY_IS_ROLLUP_NODE (self), NULL);
  return self->account_type;
}

const char *
tsy_rollup_node_get_account_status (TsyRollupNode *self)
{
  g_return_val_if_fail (TSY_IS_ROLLUP_NODE (self), NULL);
  return self->account_status;
}

/* Building */

typedef struct
{
  TsyStore      *store;
  TsyDate        date;
  const char    *report;
  gboolean       strict;
  GHashTable    *orgs;       /* id -> TsyRollupNode (borrowed from @org_order) */
  GPtrArray     *org_order;  /* parents before children, owning */
  GHashTable    *selected;   /* org id set, NULL = all */
} Build;

static void
set_report (TsyRollupNode *node,
            const char    *report)
{
  if (report != NULL)
    {
      node->report_currency = g_strdup (report);
      node->has_converted = TRUE;
      node->converted = 0;
    }
}

static gboolean
load_orgs (Build       *b,
           const char  *org_code,
           GError     **error)
{
  g_autoptr(GPtrArray) list = tsy_org_list (b->store, error);
  gint64 root_id = 0;

  if (list == NULL)
    return FALSE;
  b->org_order = g_ptr_array_new_with_free_func (g_object_unref);
  b->orgs = g_hash_table_new (g_int64_hash, g_int64_equal);

  if (org_code != NULL)
    {
      gboolean found = FALSE;
      for (guint i = 0; i < list->len; i++)
        {
          TsyOrgInfo *o = g_ptr_array_index (list, i);
          if (strcmp (o->code, org_code) == 0)
            {
              root_id = o->id;
              found = TRUE;
            }
        }
      if (!found)
        {
          g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_NOT_FOUND,
                       _("There is no organisation unit “%s”"), org_code);
          return FALSE;
        }
      b->selected = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
    }

  for (guint i = 0; i < list->len; i++)
    {
      TsyOrgInfo *o = g_ptr_array_index (list, i);
      TsyRollupNode *node;

      if (b->selected != NULL)
        {
          /* Parents come first, so a unit is selected when it is the root or its parent is. */
          if (o->id != root_id && !g_hash_table_contains (b->selected, &o->parent_id))
            continue;
          g_hash_table_add (b->selected, g_memdup2 (&o->id, sizeof o->id));
        }
      node = node_new (TSY_ROLLUP_NODE_ORG, o->id, o->code, o->name);
      node->parent_id = o->id == root_id ? 0 : o->parent_id;
      set_report (node, b->report);
      g_ptr_array_add (b->org_order, node);
      g_hash_table_insert (b->orgs, &node->id, node);
      if (o->parent_id != 0 && o->id != root_id)
        {
          TsyRollupNode *parent = g_hash_table_lookup (b->orgs, &o->parent_id);
          if (parent != NULL)
            g_list_store_append (parent->children, node);
        }
    }
  return TRUE;
}

static gboolean
convert_leaf (Build         *b,
              TsyRollupNode *leaf,
              GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  if (b->report == NULL || !leaf->has_balance)
    return TRUE;
  if (tsy_fx_convert (b->store, leaf->balance, leaf->currency, b->report, b->date,
                      &leaf->converted, &local_error))
    {
      leaf->has_converted = TRUE;
      return TRUE;
    }
  if (b->strict || !g_error_matches (local_error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_MISSING_RATE))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  leaf->has_converted = FALSE;
  return TRUE;
}

static TsyRollupNode *
build (TsyStore             *store,
       const TsyRollupQuery *query,
       GError              **error)
{
  Build b = { 0 };
  g_autoptr(TsyRollupNode) root = NULL;
  g_autoptr(GHashTable) banks = NULL;   /* bank id -> node (owned) */
  g_autoptr(GPtrArray) bank_order = NULL;
  sqlite3_stmt *stmt;
  TsyRollupNode *result = NULL;
  int rc;

  b.store = store;
  b.date = query->date != TSY_DATE_NONE ? query->date : tsy_date_today ();
  b.report = query->currency;
  b.strict = query->strict_fx;

  if (b.report != NULL && !tsy_currency_check (b.report, error))
    return NULL;

  /* One read transaction gives a consistent picture while a writer works. */
  if (!tsy_store_exec (store, "BEGIN", error))
    return NULL;

  if (!load_orgs (&b, query->org_code, error))
    goto out;

  root = node_new (TSY_ROLLUP_NODE_ROOT, 0, "*", _("All accounts"));
  set_report (root, b.report);
  banks = g_hash_table_new (g_int64_hash, g_int64_equal);
  bank_order = g_ptr_array_new_with_free_func (g_object_unref);

  stmt = tsy_store_prepare (store,
      "SELECT a.id, a.number, a.name, a.currency, a.type, a.status, a.org_id, o.code, o.name,"
      " a.bank_id, bk.code, bk.name, bl.amount_minor, bl.date "
      "FROM account a JOIN org_unit o ON o.id = a.org_id JOIN bank bk ON bk.id = a.bank_id "
      "LEFT JOIN balance bl ON bl.account_id = a.id AND bl.date = "
      "  (SELECT max(date) FROM balance WHERE account_id = a.id AND date <= ?1) "
      "ORDER BY bk.code, a.number", error);
  if (stmt == NULL)
    goto out;
  tsy_store_bind_date (stmt, 1, b.date);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 org_id = sqlite3_column_int64 (stmt, 6);
      gint64 bank_id = sqlite3_column_int64 (stmt, 9);
      TsyRollupNode *org_node = g_hash_table_lookup (b.orgs, &org_id);
      g_autoptr(TsyRollupNode) leaf = NULL;
      TsyAccountType type = TSY_ACCOUNT_TYPE_OTHER;
      TsyAccountStatus status = TSY_ACCOUNT_STATUS_OPEN;
      const char *name = (const char *) sqlite3_column_text (stmt, 2);
      const char *number = (const char *) sqlite3_column_text (stmt, 1);

      if (org_node == NULL)
        continue;   /* outside the selected subtree */

      leaf = node_new (TSY_ROLLUP_NODE_ACCOUNT, sqlite3_column_int64 (stmt, 0), number,
                       name ? name : number);
      leaf->number = g_strdup (number);
      g_strlcpy (leaf->currency, (const char *) sqlite3_column_text (stmt, 3), sizeof leaf->currency);
      tsy_account_type_from_string ((const char *) sqlite3_column_text (stmt, 4), &type);
      tsy_account_status_from_string ((const char *) sqlite3_column_text (stmt, 5), &status);
      leaf->account_type = tsy_account_type_to_string (type);
      leaf->account_status = tsy_account_status_to_string (status);
      leaf->org_code = tsy_store_column_dup (stmt, 7);
      leaf->org_name = tsy_store_column_dup (stmt, 8);
      leaf->bank_code = tsy_store_column_dup (stmt, 10);
      leaf->bank_name = tsy_store_column_dup (stmt, 11);
      if (sqlite3_column_type (stmt, 12) != SQLITE_NULL)
        {
          leaf->has_balance = TRUE;
          leaf->balance = sqlite3_column_int64 (stmt, 12);
          leaf->balance_date = tsy_store_column_date (stmt, 13);
        }
      if (b.report != NULL)
        leaf->report_currency = g_strdup (b.report);
      if (!convert_leaf (&b, leaf, error))
        {
          sqlite3_reset (stmt);
          goto out;
        }

      if (query->by == TSY_ROLLUP_BY_ORG)
        g_list_store_append (org_node->accounts, leaf);
      else
        {
          TsyRollupNode *bank_node = g_hash_table_lookup (banks, &bank_id);
          if (bank_node == NULL)
            {
              bank_node = node_new (TSY_ROLLUP_NODE_BANK, bank_id, leaf->bank_code, leaf->bank_name);
              set_report (bank_node, b.report);
              g_ptr_array_add (bank_order, bank_node);
              g_hash_table_insert (banks, &bank_node->id, bank_node);
            }
          g_list_store_append (bank_node->accounts, leaf);
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tsy_store_set_error (store, error);
      goto out;
    }

  if (query->by == TSY_ROLLUP_BY_ORG)
    {
      /* Children before parents: walk the parents-first order backwards. */
      for (guint i = b.org_order->len; i > 0; i--)
        {
          TsyRollupNode *node = g_ptr_array_index (b.org_order, i - 1);
          guint na = g_list_model_get_n_items (G_LIST_MODEL (node->accounts));
          guint nc = g_list_model_get_n_items (G_LIST_MODEL (node->children));

          for (guint k = 0; k < na; k++)
            {
              g_autoptr(TsyRollupNode) a = g_list_model_get_item (G_LIST_MODEL (node->accounts), k);
              if (!absorb (node, a, error))
                goto out;
            }
          for (guint k = 0; k < nc; k++)
            {
              g_autoptr(TsyRollupNode) c = g_list_model_get_item (G_LIST_MODEL (node->children), k);
              if (!absorb (node, c, error))
                goto out;
            }
          finish_node (node);
        }
      for (guint i = 0; i < b.org_order->len; i++)
        {
          TsyRollupNode *node = g_ptr_array_index (b.org_order, i);
          gboolean top = node->parent_id == 0;
          if (top)
            {
              g_list_store_append (root->children, node);
              if (!absorb (root, node, error))
                goto out;
            }
        }
    }
  else
    {
      for (guint i = 0; i < bank_order->len; i++)
        {
          TsyRollupNode *node = g_ptr_array_index (bank_order, i);
          guint na = g_list_model_get_n_items (G_LIST_MODEL (node->accounts));

          for (guint k = 0; k < na; k++)
            {
              g_autoptr(TsyRollupNode) a = g_list_model_get_item (G_LIST_MODEL (node->accounts), k);
              if (!absorb (node, a, error))
                goto out;
            }
          finish_node (node);
          g_list_store_append (root->children, node);
          if (!absorb (root, node, error))
            goto out;
        }
    }
  finish_node (root);
  result = g_steal_pointer (&root);

out:
  tsy_store_exec (store, "COMMIT", NULL);
  g_clear_pointer (&b.orgs, g_hash_table_unref);
  g_clear_pointer (&b.org_order, g_ptr_array_unref);
  g_clear_pointer (&b.selected, g_hash_table_unref);
  return result;
}

TsyRollupNode *
tsy_rollup_build (TsyStore             *store,
                  const TsyRollupQuery *query,
                  GError              **error)
{
  g_return_val_if_fail (TSY_IS_STORE (store), NULL);
  g_return_val_if_fail (query != NULL, NULL);
  return build (store, query, error);
}

typedef struct
{
  TsyRollupQuery query;
  char          *org_code;
  char          *currency;
} QueryCopy;

static void
query_copy_free (gpointer data)
{
  QueryCopy *q = data;

  g_free (q->org_code);
  g_free (q->currency);
  g_free (q);
}

static void
build_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  QueryCopy *q = task_data;
  g_autoptr(TsyStore) own = NULL;
  GError *error = NULL;
  TsyRollupNode *root;

  own = tsy_store_reopen (TSY_STORE (source_object), &error);
  if (own == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  root = build (own, &q->query, &error);
  if (root == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, root, g_object_unref);
}

void
tsy_rollup_build_async (TsyStore             *store,
                        const TsyRollupQuery *query,
                        GCancellable         *cancellable,
                        GAsyncReadyCallback   callback,
                        gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  QueryCopy *q;

  g_return_if_fail (TSY_IS_STORE (store));
  g_return_if_fail (query != NULL);

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, tsy_rollup_build_async);
  q = g_new0 (QueryCopy, 1);
  q->query = *query;
  q->org_code = g_strdup (query->org_code);
  q->currency = g_strdup (query->currency);
  q->query.org_code = q->org_code;
  q->query.currency = q->currency;
  g_task_set_task_data (task, q, query_copy_free);
  g_task_run_in_thread (task, build_thread);
}

TsyRollupNode *
tsy_rollup_build_finish (TsyStore     *store,
                         GAsyncResult *result,
                         GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tsy_rollup_build_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
