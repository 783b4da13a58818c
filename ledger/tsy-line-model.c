/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsy-account.h"
#include "tsy-line-model.h"
#include "tsy-store-private.h"

#define PAGE_SIZE 256
#define MAX_PAGES 96

/* ---- TsyLineItem ------------------------------------------------------------------------ */

struct _TsyLineItem
{
  GObject  parent_instance;
  gboolean loaded;
  gint64   id;
  char    *account;
  char    *booking_date;
  char    *value_date;
  gint64   amount_minor;
  char    *currency;
  char    *bank_ref;
  char    *end_to_end_id;
  char    *customer_ref;
  char    *counterparty;
  char    *counterparty_account;
  char    *counterparty_bank;
  char    *text;
  char    *bank_tx_code;
  char    *raw;
  char    *statement;
  gboolean reversal;
};

G_DEFINE_FINAL_TYPE (TsyLineItem, tsy_line_item, G_TYPE_OBJECT)

enum {
  ITEM_PROP_0,
  ITEM_PROP_LOADED,
  ITEM_PROP_ID,
  ITEM_PROP_ACCOUNT,
  ITEM_PROP_BOOKING_DATE,
  ITEM_PROP_VALUE_DATE,
  ITEM_PROP_AMOUNT_MINOR,
  ITEM_PROP_CURRENCY,
  ITEM_PROP_BANK_REF,
  ITEM_PROP_END_TO_END_ID,
  ITEM_PROP_CUSTOMER_REF,
  ITEM_PROP_COUNTERPARTY,
  ITEM_PROP_COUNTERPARTY_ACCOUNT,
  ITEM_PROP_COUNTERPARTY_BANK,
  ITEM_PROP_TEXT,
  ITEM_PROP_BANK_TX_CODE,
  ITEM_PROP_RAW,
  ITEM_PROP_STATEMENT,
  ITEM_PROP_REVERSAL,
  ITEM_N_PROPS
};

static GParamSpec *item_properties[ITEM_N_PROPS];

/* A row as read by the worker, handed to the main thread. */
typedef struct
{
  gint64   id;
  char    *strings[14];   /* account … statement, in ITEM_PROP order from ACCOUNT, minus numbers */
  gint64   amount_minor;
  gboolean reversal;
} Row;

static void
row_clear (gpointer data)
{
  Row *row = data;

  for (guint i = 0; i < G_N_ELEMENTS (row->strings); i++)
    g_free (row->strings[i]);
}

enum { S_ACCOUNT, S_BOOKING, S_VALUE, S_CURRENCY, S_BANK_REF, S_E2E, S_CUSTOMER_REF, S_COUNTERPARTY,
       S_CP_ACCOUNT, S_CP_BANK, S_TEXT, S_TX_CODE, S_RAW, S_STATEMENT };

static void
item_fill (TsyLineItem *self,
           Row         *row)
{
  char **fields[] = {
    &self->account, &self->booking_date, &self->value_date, &self->currency, &self->bank_ref,
    &self->end_to_end_id, &self->customer_ref, &self->counterparty, &self->counterparty_account,
    &self->counterparty_bank, &self->text, &self->bank_tx_code, &self->raw, &self->statement,
  };

  g_object_freeze_notify (G_OBJECT (self));
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_free (*fields[i]);
      *fields[i] = g_steal_pointer (&row->strings[i]);
    }
  self->amount_minor = row->amount_minor;
  self->reversal = row->reversal;
  self->loaded = TRUE;
  for (guint p = ITEM_PROP_LOADED; p < ITEM_N_PROPS; p++)
    if (p != ITEM_PROP_ID)
      g_object_notify_by_pspec (G_OBJECT (self), item_properties[p]);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
tsy_line_item_finalize (GObject *object)
{
  TsyLineItem *self = TSY_LINE_ITEM (object);

  g_free (self->account);
  g_free (self->booking_date);
  g_free (self->value_date);
  g_free (self->currency);
  g_free (self->bank_ref);
  g_free (self->end_to_end_id);
  g_free (self->customer_ref);
  g_free (self->counterparty);
  g_free (self->counterparty_account);
  g_free (self->counterparty_bank);
  g_free (self->text);
  g_free (self->bank_tx_code);
  g_free (self->raw);
  g_free (self->statement);
  G_OBJECT_CLASS (tsy_line_item_parent_class)->finalize (object);
}

static void
tsy_line_item_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TsyLineItem *self = TSY_LINE_ITEM (object);

  switch (prop_id)
    {
    case ITEM_PROP_LOADED: g_value_set_boolean (value, self->loaded); break;
    case ITEM_PROP_ID: g_value_set_int64 (value, self->id); break;
    case ITEM_PROP_ACCOUNT: g_value_set_string (value, self->account); break;
    case ITEM_PROP_BOOKING_DATE: g_value_set_string (value, self->booking_date); break;
    case ITEM_PROP_VALUE_DATE: g_value_set_string (value, self->value_date); break;
    case ITEM_PROP_AMOUNT_MINOR: g_value_set_int64 (value, self->amount_minor); break;
    case ITEM_PROP_CURRENCY: g_value_set_string (value, self->currency); break;
    case ITEM_PROP_BANK_REF: g_value_set_string (value, self->bank_ref); break;
    case ITEM_PROP_END_TO_END_ID: g_value_set_string (value, self->end_to_end_id); break;
    case ITEM_PROP_CUSTOMER_REF: g_value_set_string (value, self->customer_ref); break;
    case ITEM_PROP_COUNTERPARTY: g_value_set_string (value, self->counterparty); break;
    case ITEM_PROP_COUNTERPARTY_ACCOUNT: g_value_set_string (value, self->counterparty_account); break;
    case ITEM_PROP_COUNTERPARTY_BANK: g_value_set_string (value, self->counterparty_bank); break;
    case ITEM_PROP_TEXT: g_value_set_string (value, self->text); break;
    case ITEM_PROP_BANK_TX_CODE: g_value_set_string (value, self->bank_tx_code); break;
    case ITEM_PROP_RAW: g_value_set_string (value, self->raw); break;
    case ITEM_PROP_STATEMENT: g_value_set_string (value, self->statement); break;
    case ITEM_PROP_REVERSAL: g_value_set_boolean (value, self->reversal); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsy_line_item_class_init (TsyLineItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  static const struct { guint id; const char *name; } strings[] = {
    { ITEM_PROP_ACCOUNT, "account" }, { ITEM_PROP_BOOKING_DATE, "booking-date" },
    { ITEM_PROP_VALUE_DATE, "value-date" }, { ITEM_PROP_CURRENCY, "currency" },
    { ITEM_PROP_BANK_REF, "bank-ref" }, { ITEM_PROP_END_TO_END_ID, "end-to-end-id" },
    { ITEM_PROP_CUSTOMER_REF, "customer-ref" }, { ITEM_PROP_COUNTERPARTY, "counterparty" },
    { ITEM_PROP_COUNTERPARTY_ACCOUNT, "counterparty-account" },
    { ITEM_PROP_COUNTERPARTY_BANK, "counterparty-bank" }, { ITEM_PROP_TEXT, "text" },
    { ITEM_PROP_BANK_TX_CODE, "bank-tx-code" }, { ITEM_PROP_RAW, "raw" },
    { ITEM_PROP_STATEMENT, "statement" },
  };

  object_class->finalize = tsy_line_item_finalize;
  object_class->get_property = tsy_line_item_get_property;

  item_properties[ITEM_PROP_LOADED] = g_param_spec_boolean ("loaded", NULL, NULL, FALSE, ro);
  item_properties[ITEM_PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, ro);
  item_properties[ITEM_PROP_AMOUNT_MINOR] = g_param_spec_int64 ("amount-minor", NULL, NULL,
                                                                G_MININT64, G_MAXINT64, 0, ro);
  item_properties[ITEM_PROP_REVERSAL] = g_param_spec_boolean ("reversal", NULL, NULL, FALSE, ro);
  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    item_properties[strings[i].id] = g_param_spec_string (strings[i].name, NULL, NULL, NULL, ro);
  g_object_class_install_properties (object_class, ITEM_N_PROPS, item_properties);
}

static void
tsy_line_item_init (TsyLineItem *self)
{
}

gboolean
tsy_line_item_get_loaded (TsyLineItem *self)
{
  g_return_val_if_fail (TSY_IS_LINE_ITEM (self), FALSE);
  return self->loaded;
}

gint64
tsy_line_item_get_id (TsyLineItem *self)
{
  g_return_val_if_fail (TSY_IS_LINE_ITEM (self), 0);
  return self->id;
}

gint64
tsy_line_item_get_amount_minor (TsyLineItem *self)
{
  g_return_val_if_fail (TSY_IS_LINE_ITEM (self), 0);
  return self->amount_minor;
}

const char *
tsy_line_item_get_currency (TsyLineItem *self)
{
  g_return_val_if_fail (TSY_IS_LINE_ITEM (self), NULL);
  return self->currency;
}

const char *
tsy_line_item_get_raw (TsyLineItem *self)
{
  g_return_val_if_fail (TSY_IS_LINE_ITEM (self), NULL);
  return self->raw;
}

/* ---- TsyLineModel ----------------------------------------------------------------------- */

typedef struct
{
  GPtrArray *items;      /* TsyLineItem, PAGE_SIZE or fewer */
  gboolean   requested;
  guint64    last_used;
} Page;

struct _TsyLineModel
{
  GObject       parent_instance;

  char         *path;
  GThreadPool  *pool;       /* one worker thread: all SQL happens there */
  TsyStore     *reader;     /* opened and used by the worker only */

  TsyLineFilter filter;     /* strings owned */
  TsyLineSort   sort;
  gboolean      descending;

  guint         generation;
  GArray       *ids;        /* gint64, the current result */
  GHashTable   *pages;      /* page index -> Page */
  guint64       clock;
  gboolean      loading;
};

static void tsy_line_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TsyLineModel, tsy_line_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, tsy_line_model_list_model_init))

enum {
  PROP_0,
  PROP_LOADING,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_ERROR,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef enum { JOB_IDS, JOB_PAGE } JobKind;

typedef struct
{
  JobKind       kind;
  TsyLineModel *model;        /* ref taken and dropped on the main thread */
  guint         generation;
  GMainContext *context;
  /* JOB_IDS */
  TsyLineFilter filter;
  char         *account, *text;
  TsyLineSort   sort;
  gboolean      descending;
  GArray       *ids;
  /* JOB_PAGE */
  guint         page;
  GArray       *page_ids;
  GArray       *rows;         /* Row */
  GError       *error;
} Job;

static void
job_free (Job *job)
{
  g_free (job->account);
  g_free (job->text);
  g_clear_pointer (&job->ids, g_array_unref);
  g_clear_pointer (&job->page_ids, g_array_unref);
  g_clear_pointer (&job->rows, g_array_unref);
  g_clear_error (&job->error);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_free (job);
}

static void
page_free (gpointer data)
{
  Page *page = data;

  g_ptr_array_unref (page->items);
  g_free (page);
}

static const char *
order_by (TsyLineSort sort,
          gboolean    descending)
{
  switch (sort)
    {
    case TSY_LINE_SORT_AMOUNT:
      return descending ? " ORDER BY l.amount_minor DESC, l.id DESC" : " ORDER BY l.amount_minor, l.id";
    case TSY_LINE_SORT_ACCOUNT:
      return descending ? " ORDER BY a.number DESC, l.booking_date DESC, l.id DESC"
                        : " ORDER BY a.number, l.booking_date, l.id";
    case TSY_LINE_SORT_COUNTERPARTY:
      return descending ? " ORDER BY l.counterparty DESC, l.id DESC" : " ORDER BY l.counterparty, l.id";
    case TSY_LINE_SORT_BANK_REF:
      return descending ? " ORDER BY l.ident DESC" : " ORDER BY l.ident";
    case TSY_LINE_SORT_VALUE_DATE:
      return descending ? " ORDER BY l.value_date DESC, l.id DESC" : " ORDER BY l.value_date, l.id";
    case TSY_LINE_SORT_CURRENCY:
      return descending ? " ORDER BY l.currency DESC, l.id DESC" : " ORDER BY l.currency, l.id";
    case TSY_LINE_SORT_COUNTERPARTY_ACCOUNT:
      return descending ? " ORDER BY l.counterparty_account DESC, l.id DESC"
                        : " ORDER BY l.counterparty_account, l.id";
    case TSY_LINE_SORT_TEXT:
      return descending ? " ORDER BY l.text DESC, l.id DESC" : " ORDER BY l.text, l.id";
    case TSY_LINE_SORT_END_TO_END_ID:
      return descending ? " ORDER BY l.end_to_end_id DESC, l.id DESC" : " ORDER BY l.end_to_end_id, l.id";
    case TSY_LINE_SORT_BOOKING_DATE:
    default:
      return descending ? " ORDER BY l.booking_date DESC, l.id DESC" : " ORDER BY l.booking_date, l.id";
    }
}

/* Runs in the worker thread. */
static gboolean
ensure_reader (TsyLineModel *self,
               GError      **error)
{
  if (self->reader == NULL)
    self->reader = tsy_store_open_existing (self->path, error);
  return self->reader != NULL;
}

static void
run_ids (Job *job)
{
  TsyLineModel *self = job->model;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(TsyAccountInfo) account = NULL;
  int rc;

  if (!ensure_reader (self, &job->error))
    return;
  sql = g_strconcat ("SELECT l.id FROM statement_line l JOIN account a ON a.id = l.account_id"
                     " WHERE (?1 IS NULL OR l.account_id = ?1)"
                     " AND (?2 IS NULL OR l.booking_date >= ?2)"
                     " AND (?3 IS NULL OR l.booking_date <= ?3)"
                     " AND (?4 IS NULL OR instr(l.text, ?4) > 0 OR instr(l.counterparty, ?4) > 0"
                     "      OR instr(l.ident, ?4) > 0 OR instr(l.end_to_end_id, ?4) > 0"
                     "      OR instr(l.customer_ref, ?4) > 0 OR instr(l.counterparty_account, ?4) > 0)"
                     " AND (?5 IS NULL OR abs(l.amount_minor) >= ?5)"
                     " AND (?6 IS NULL OR abs(l.amount_minor) <= ?6)",
                     order_by (job->sort, job->descending), NULL);
  if (sqlite3_prepare_v2 (tsy_store_get_db (self->reader), sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      tsy_store_set_error (self->reader, &job->error);
      return;
    }
  if (job->account != NULL)
    {
      account = tsy_account_lookup (self->reader, job->account, &job->error);
      if (account == NULL)
        {
          sqlite3_finalize (stmt);
          return;
        }
      sqlite3_bind_int64 (stmt, 1, account->id);
    }
  tsy_store_bind_date (stmt, 2, job->filter.from);
  tsy_store_bind_date (stmt, 3, job->filter.to);
  if (job->text != NULL && *job->text != '\0')
    tsy_store_bind_text (stmt, 4, job->text);
  if (job->filter.has_min)
    sqlite3_bind_int64 (stmt, 5, job->filter.min_minor);
  if (job->filter.has_max)
    sqlite3_bind_int64 (stmt, 6, job->filter.max_minor);

  job->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (job->ids, id);
    }
  if (rc != SQLITE_DONE)
    tsy_store_set_error (self->reader, &job->error);
  sqlite3_finalize (stmt);
}

static void
run_page (Job *job)
{
  TsyLineModel *self = job->model;
  g_autoptr(GString) sql = g_string_new (
      "SELECT l.id, a.number, l.booking_date, l.value_date, l.currency, l.ident, l.end_to_end_id,"
      " l.customer_ref, l.counterparty, l.counterparty_account, l.counterparty_bank, l.text,"
      " l.bank_tx_code, l.raw, s.bank_statement_id, l.amount_minor, l.reversal"
      " FROM statement_line l JOIN account a ON a.id = l.account_id"
      " JOIN statement s ON s.id = l.statement_id WHERE l.id IN (");
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GArray) rows = g_array_sized_new (FALSE, TRUE, sizeof (Row), job->page_ids->len);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (!ensure_reader (self, &job->error))
    return;
  for (guint i = 0; i < job->page_ids->len; i++)
    g_string_append (sql, i ? ",?" : "?");
  g_string_append_c (sql, ')');
  if (sqlite3_prepare_v2 (tsy_store_get_db (self->reader), sql->str, -1, &stmt, NULL) != SQLITE_OK)
    {
      tsy_store_set_error (self->reader, &job->error);
      return;
    }
  for (guint i = 0; i < job->page_ids->len; i++)
    sqlite3_bind_int64 (stmt, (int) i + 1, g_array_index (job->page_ids, gint64, i));

  g_array_set_size (rows, job->page_ids->len);
  g_array_set_clear_func (rows, row_clear);
  for (guint i = 0; i < job->page_ids->len; i++)
    {
      Row *row = &g_array_index (rows, Row, i);
      row->id = g_array_index (job->page_ids, gint64, i);
      g_hash_table_insert (by_id, &row->id, row);
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      Row *row = g_hash_table_lookup (by_id, &id);
      const char *ident;

      if (row == NULL)
        continue;
      for (guint k = 0; k < G_N_ELEMENTS (row->strings); k++)
        row->strings[k] = tsy_store_column_dup (stmt, (int) k + 1);
      /* the identity as users see it (see TsyLineRow.bank_ref) */
      ident = row->strings[S_BANK_REF];
      if (ident != NULL && g_str_has_prefix (ident, "r:"))
        memmove (row->strings[S_BANK_REF], ident + 2, strlen (ident + 2) + 1);
      row->amount_minor = sqlite3_column_int64 (stmt, 15);
      row->reversal = sqlite3_column_int (stmt, 16) != 0;
    }
  if (rc != SQLITE_DONE)
    tsy_store_set_error (self->reader, &job->error);
  sqlite3_finalize (stmt);
  job->rows = g_steal_pointer (&rows);
}

static gboolean
deliver (gpointer data)
{
  Job *job = data;
  TsyLineModel *self = job->model;

  if (job->generation != self->generation)
    goto out;   /* the filter changed meanwhile */

  if (job->error != NULL)
    {
      g_signal_emit (self, signals[SIGNAL_ERROR], 0, job->error);
      if (job->kind == JOB_IDS)
        {
          self->loading = FALSE;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
        }
      goto out;
    }

  if (job->kind == JOB_IDS)
    {
      guint old = self->ids->len;
      g_array_unref (self->ids);
      self->ids = g_steal_pointer (&job->ids);
      g_hash_table_remove_all (self->pages);
      self->loading = FALSE;
      g_list_model_items_changed (G_LIST_MODEL (self), 0, old, self->ids->len);
      if (old != self->ids->len)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
    }
  else
    {
      Page *page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (job->page));
      if (page != NULL)
        for (guint i = 0; i < page->items->len && i < job->rows->len; i++)
          item_fill (g_ptr_array_index (page->items, i), &g_array_index (job->rows, Row, i));
    }

out:
  g_object_unref (self);
  job->model = NULL;
  return G_SOURCE_REMOVE;
}

static void
worker (gpointer data,
        gpointer user_data)
{
  Job *job = data;

  if (job->kind == JOB_IDS)
    run_ids (job);
  else
    run_page (job);
  /* Not g_main_context_invoke(): it would run deliver() right here when no thread owns the
   * context at this moment. A source always runs in the thread that iterates the context. */
  {
    GSource *source = g_idle_source_new ();
    g_source_set_priority (source, G_PRIORITY_DEFAULT_IDLE);
    g_source_set_callback (source, deliver, job, (GDestroyNotify) job_free);
    g_source_set_static_name (source, "[tsy] line model page");
    g_source_attach (source, job->context);
    g_source_unref (source);
  }
}

static Job *
job_new (TsyLineModel *self,
         JobKind       kind)
{
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  job->model = g_object_ref (self);
  job->generation = self->generation;
  job->context = g_main_context_ref_thread_default ();
  return job;
}

static void
evict_pages (TsyLineModel *self)
{
  while (g_hash_table_size (self->pages) > MAX_PAGES)
    {
      GHashTableIter iter;
      gpointer key, value;
      gpointer oldest_key = NULL;
      guint64 oldest = G_MAXUINT64;

      g_hash_table_iter_init (&iter, self->pages);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (((Page *) value)->last_used < oldest)
          {
            oldest = ((Page *) value)->last_used;
            oldest_key = key;
          }
      g_hash_table_remove (self->pages, oldest_key);
    }
}

static GType
tsy_line_model_get_item_type (GListModel *model)
{
  return TSY_TYPE_LINE_ITEM;
}

static guint
tsy_line_model_get_n_items (GListModel *model)
{
  return TSY_LINE_MODEL (model)->ids->len;
}

static gpointer
tsy_line_model_get_item (GListModel *model,
                         guint       position)
{
  TsyLineModel *self = TSY_LINE_MODEL (model);
  guint index = position / PAGE_SIZE;
  Page *page;

  if (position >= self->ids->len)
    return NULL;

  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));
  if (page == NULL)
    {
      guint first = index * PAGE_SIZE;
      guint n = MIN (PAGE_SIZE, self->ids->len - first);
      Job *job;

      page = g_new0 (Page, 1);
      page->items = g_ptr_array_new_full (n, g_object_unref);
      for (guint i = 0; i < n; i++)
        {
          TsyLineItem *item = g_object_new (TSY_TYPE_LINE_ITEM, NULL);
          item->id = g_array_index (self->ids, gint64, first + i);
          g_ptr_array_add (page->items, item);
        }
      g_hash_table_insert (self->pages, GUINT_TO_POINTER (index), page);

      job = job_new (self, JOB_PAGE);
      job->page = index;
      job->page_ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);
      g_array_append_vals (job->page_ids, &g_array_index (self->ids, gint64, first), n);
      g_thread_pool_push (self->pool, job, NULL);
      page->last_used = ++self->clock;
      evict_pages (self);
      page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));
      g_assert (page != NULL);
    }
  page->last_used = ++self->clock;
  return g_object_ref (g_ptr_array_index (page->items, position - index * PAGE_SIZE));
}

static void
tsy_line_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = tsy_line_model_get_item_type;
  iface->get_n_items = tsy_line_model_get_n_items;
  iface->get_item = tsy_line_model_get_item;
}

static void
tsy_line_model_finalize (GObject *object)
{
  TsyLineModel *self = TSY_LINE_MODEL (object);

  /* Jobs hold a reference to the model, so none is queued or running by now. */
  g_thread_pool_free (self->pool, TRUE, TRUE);
  g_clear_object (&self->reader);
  g_free (self->path);
  g_free ((char *) self->filter.account);
  g_free ((char *) self->filter.text);
  g_array_unref (self->ids);
  g_hash_table_unref (self->pages);
  G_OBJECT_CLASS (tsy_line_model_parent_class)->finalize (object);
}

static void
tsy_line_model_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TsyLineModel *self = TSY_LINE_MODEL (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->ids->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsy_line_model_class_init (TsyLineModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tsy_line_model_finalize;
  object_class->get_property = tsy_line_model_get_property;

  properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_ITEMS] = g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_ERROR] = g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
tsy_line_model_init (TsyLineModel *self)
{
  self->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, page_free);
  self->sort = TSY_LINE_SORT_BOOKING_DATE;
  self->descending = TRUE;
  self->pool = g_thread_pool_new (worker, NULL, 1, FALSE, NULL);
}

TsyLineModel *
tsy_line_model_new (TsyStore *store)
{
  TsyLineModel *self;

  g_return_val_if_fail (TSY_IS_STORE (store), NULL);

  self = g_object_new (TSY_TYPE_LINE_MODEL, NULL);
  self->path = g_strdup (tsy_store_get_path (store));
  return self;
}

void
tsy_line_model_reload (TsyLineModel *self)
{
  Job *job;

  g_return_if_fail (TSY_IS_LINE_MODEL (self));

  self->generation++;
  job = job_new (self, JOB_IDS);
  job->filter = self->filter;
  job->account = g_strdup (self->filter.account);
  job->text = g_strdup (self->filter.text);
  job->filter.account = job->account;
  job->filter.text = job->text;
  job->sort = self->sort;
  job->descending = self->descending;
  g_thread_pool_push (self->pool, job, NULL);
  if (!self->loading)
    {
      self->loading = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
    }
}

void
tsy_line_model_set_filter (TsyLineModel        *self,
                           const TsyLineFilter *filter)
{
  TsyLineFilter none = { 0 };

  g_return_if_fail (TSY_IS_LINE_MODEL (self));

  g_free ((char *) self->filter.account);
  g_free ((char *) self->filter.text);
  self->filter = filter ? *filter : none;
  self->filter.account = g_strdup (self->filter.account);
  self->filter.text = g_strdup (self->filter.text);
  tsy_line_model_reload (self);
}

void
tsy_line_model_set_sort (TsyLineModel *self,
                         TsyLineSort   sort,
                         gboolean      descending)
{
  g_return_if_fail (TSY_IS_LINE_MODEL (self));

  if (self->sort == sort && self->descending == descending)
    return;
  self->sort = sort;
  self->descending = descending;
  tsy_line_model_reload (self);
}

gboolean
tsy_line_model_get_loading (TsyLineModel *self)
{
  g_return_val_if_fail (TSY_IS_LINE_MODEL (self), FALSE);
  return self->loading;
}
