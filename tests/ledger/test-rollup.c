/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "ledger/tsy-account.h"
#include "ledger/tsy-bank.h"
#include "ledger/tsy-demo.h"
#include "ledger/tsy-ledger-error.h"
#include "ledger/tsy-money.h"
#include "ledger/tsy-org.h"
#include "ledger/tsy-rollup.h"

static const char *const ccys[] = { "CNY", "USD", "HKD", "JPY", "KWD", "EUR" };

static TsyDate
d (int y, int m, int day)
{
  return tsy_date_from_ymd (y, m, day);
}

/* Verifies at every node: per-currency totals = own accounts + children; converted likewise. */
static void
check_node (TsyRollupNode *node,
            GHashTable    *seen_accounts)
{
  GListModel *accounts = tsy_rollup_node_get_accounts (node);
  GListModel *children = tsy_rollup_node_get_children (node);
  g_autoptr(GHashTable) sums = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  gint64 conv_sum = 0;
  gboolean conv_known = TRUE;
  const char * const *node_ccys = tsy_rollup_node_get_currencies (node);
  guint n_deep = 0;

  for (guint i = 0; i < g_list_model_get_n_items (accounts); i++)
    {
      g_autoptr(TsyRollupNode) a = g_list_model_get_item (accounts, i);
      gint64 minor, conv;
      gint64 *sum;

      g_assert_cmpint (tsy_rollup_node_get_kind (a), ==, TSY_ROLLUP_NODE_ACCOUNT);
      g_assert_false (g_hash_table_contains (seen_accounts, tsy_rollup_node_get_number (a)));
      g_hash_table_add (seen_accounts, g_strdup (tsy_rollup_node_get_number (a)));
      n_deep++;
      if (!tsy_rollup_node_get_balance (a, &minor, NULL))
        continue;
      sum = g_hash_table_lookup (sums, tsy_rollup_node_get_currency (a));
      if (sum == NULL)
        {
          sum = g_new0 (gint64, 1);
          g_hash_table_insert (sums, (gpointer) tsy_rollup_node_get_currency (a), sum);
        }
      *sum += minor;
      if (tsy_rollup_node_get_converted (a, &conv))
        conv_sum += conv;
      else
        conv_known = FALSE;
    }
  for (guint i = 0; i < g_list_model_get_n_items (children); i++)
    {
      g_autoptr(TsyRollupNode) c = g_list_model_get_item (children, i);
      const char * const *cc;
      gint64 conv;

      check_node (c, seen_accounts);
      n_deep += tsy_rollup_node_get_n_accounts_deep (c);
      cc = tsy_rollup_node_get_currencies (c);
      for (guint k = 0; cc[k]; k++)
        {
          gint64 minor;
          gint64 *sum = g_hash_table_lookup (sums, cc[k]);
          g_assert_true (tsy_rollup_node_get_total (c, cc[k], &minor));
          if (sum == NULL)
            {
              sum = g_new0 (gint64, 1);
              g_hash_table_insert (sums, (gpointer) cc[k], sum);
            }
          *sum += minor;
        }
      if (tsy_rollup_node_get_report_currency (c) != NULL)
        {
          if (tsy_rollup_node_get_converted (c, &conv))
            conv_sum += conv;
          else
            conv_known = FALSE;
        }
    }

  g_assert_cmpuint (tsy_rollup_node_get_n_accounts_deep (node), ==, n_deep);
  g_assert_cmpuint (g_strv_length ((char **) node_ccys), ==, g_hash_table_size (sums));
  for (guint k = 0; node_ccys[k]; k++)
    {
      gint64 minor;
      gint64 *sum = g_hash_table_lookup (sums, node_ccys[k]);
      g_assert_nonnull (sum);
      g_assert_true (tsy_rollup_node_get_total (node, node_ccys[k], &minor));
      g_assert_cmpint (minor, ==, *sum);
    }
  if (tsy_rollup_node_get_report_currency (node) != NULL)
    {
      gint64 conv;
      g_assert_cmpint (tsy_rollup_node_get_converted (node, &conv), ==, conv_known);
      if (conv_known)
        g_assert_cmpint (conv, ==, conv_sum);
    }
  /* items = children then accounts */
  g_assert_cmpuint (g_list_model_get_n_items (tsy_rollup_node_get_items (node)), ==,
                    g_list_model_get_n_items (accounts) + g_list_model_get_n_items (children));
}

static TsyRollupNode *
build (TsyStore *store, TsyRollupGrouping by, const char *org, const char *ccy, TsyDate date,
       gboolean strict, GError **error)
{
  TsyRollupQuery q = { .by = by, .org_code = org, .currency = ccy, .date = date, .strict_fx = strict };
  return tsy_rollup_build (store, &q, error);
}

/* A deep tree: a chain of @depth units, each with two accounts in rotating currencies. */
static TsyStore *
make_deep_store (guint depth)
{
  g_autoptr(GError) error = NULL;
  TsyStore *store = tsy_store_open (":memory:", &error);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);

  g_assert_no_error (error);
  g_assert_cmpint (tsy_bank_add (store, "B1", "Bank one", NULL, NULL, NULL, &error), >, 0);
  g_assert_cmpint (tsy_bank_add (store, "B2", "Bank two", NULL, NULL, NULL, &error), >, 0);
  for (guint i = 0; i < depth; i++)
    {
      g_autofree char *code = g_strdup_printf ("U%02u", i);
      g_autofree char *parent = i > 0 ? g_strdup_printf ("U%02u", i - 1) : NULL;
      g_autofree char *side = g_strdup_printf ("S%02u", i);
      g_assert_cmpint (tsy_org_add (store, code, code, parent, &error), >, 0);
      g_assert_cmpint (tsy_org_add (store, side, side, parent ? parent : code, &error), >, 0);
      for (guint k = 0; k < 2; k++)
        {
          g_autofree char *number = g_strdup_printf ("%u%u00%u", i, k, i * 7 + k);
          const char *ccy = ccys[(i * 2 + k) % G_N_ELEMENTS (ccys)];
          TsyAccountSpec spec = { .number = number, .org_code = k ? side : code,
                                  .bank_code = k ? "B2" : "B1", .currency = ccy };
          g_assert_cmpint (tsy_account_add (store, &spec, &error), >, 0);
          g_assert_true (tsy_balance_set (store, number,
                                          (gint64) g_rand_int_range (rand, -5000000, 90000000),
                                          d (2026, 10, 1 + (i + k) % 20), &error));
          g_assert_no_error (error);
        }
    }
  g_assert_true (tsy_fx_set (store, "USD", "CNY", "7.1234", d (2026, 9, 1), &error));
  g_assert_true (tsy_fx_set (store, "HKD", "CNY", "0.9133", d (2026, 9, 1), &error));
  g_assert_true (tsy_fx_set (store, "CNY", "JPY", "21.05", d (2026, 9, 1), &error));   /* inverse use */
  g_assert_true (tsy_fx_set (store, "KWD", "CNY", "23.4567", d (2026, 9, 1), &error));
  g_assert_true (tsy_fx_set (store, "EUR", "CNY", "7.7012", d (2026, 9, 1), &error));
  g_assert_no_error (error);
  return store;
}

static void
test_deep_tree (void)
{
  g_autoptr(TsyStore) store = make_deep_store (12);
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyRollupNode) by_org = NULL;
  g_autoptr(TsyRollupNode) by_bank = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) seen2 = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 a, b;

  by_org = build (store, TSY_ROLLUP_BY_ORG, NULL, "CNY", d (2026, 10, 31), TRUE, &error);
  g_assert_no_error (error);
  check_node (by_org, seen);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 24);
  g_assert_cmpuint (g_list_model_get_n_items (tsy_rollup_node_get_children (by_org)), ==, 1);

  by_bank = build (store, TSY_ROLLUP_BY_BANK, NULL, "CNY", d (2026, 10, 31), TRUE, &error);
  g_assert_no_error (error);
  check_node (by_bank, seen2);
  g_assert_cmpuint (g_list_model_get_n_items (tsy_rollup_node_get_children (by_bank)), ==, 2);

  /* both groupings, same grand totals, per currency and converted */
  for (guint i = 0; i < G_N_ELEMENTS (ccys); i++)
    {
      g_assert_true (tsy_rollup_node_get_total (by_org, ccys[i], &a));
      g_assert_true (tsy_rollup_node_get_total (by_bank, ccys[i], &b));
      g_assert_cmpint (a, ==, b);
    }
  g_assert_true (tsy_rollup_node_get_converted (by_org, &a));
  g_assert_true (tsy_rollup_node_get_converted (by_bank, &b));
  g_assert_cmpint (a, ==, b);
}

static void
test_conversion_values (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyStore) store = tsy_store_open (":memory:", &error);
  g_autoptr(TsyRollupNode) root = NULL;
  gint64 v;

  tsy_org_add (store, "G", "G", NULL, &error);
  tsy_bank_add (store, "B", "B", NULL, NULL, NULL, &error);
  tsy_account_add (store, &(TsyAccountSpec) { .number = "1", .org_code = "G", .bank_code = "B", .currency = "USD" }, &error);
  tsy_account_add (store, &(TsyAccountSpec) { .number = "2", .org_code = "G", .bank_code = "B", .currency = "JPY" }, &error);
  tsy_account_add (store, &(TsyAccountSpec) { .number = "3", .org_code = "G", .bank_code = "B", .currency = "CNY" }, &error);
  g_assert_no_error (error);
  tsy_balance_set (store, "1", 10000, d (2026, 1, 10), &error);      /* 100.00 USD */
  tsy_balance_set (store, "1", 20000, d (2026, 1, 20), &error);      /* later: 200.00 USD */
  tsy_balance_set (store, "2", 100000, d (2026, 1, 10), &error);     /* 100000 JPY */
  tsy_balance_set (store, "3", 555, d (2026, 1, 10), &error);        /* 5.55 CNY */
  tsy_fx_set (store, "USD", "CNY", "7.00", d (2026, 1, 1), &error);
  tsy_fx_set (store, "USD", "CNY", "7.10", d (2026, 1, 15), &error);
  tsy_fx_set (store, "CNY", "JPY", "20", d (2026, 1, 1), &error);     /* only the inverse pair */
  g_assert_no_error (error);

  /* On Jan 12: 100 USD * 7.00 + 100000 JPY / 20 + 5.55 = 700 + 5000 + 5.55 */
  root = build (store, TSY_ROLLUP_BY_ORG, NULL, "CNY", d (2026, 1, 12), TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (tsy_rollup_node_get_converted (root, &v));
  g_assert_cmpint (v, ==, 570555);
  g_clear_object (&root);

  /* On Jan 31: 200 USD * 7.10 = 1420 */
  root = build (store, TSY_ROLLUP_BY_ORG, NULL, "CNY", d (2026, 1, 31), TRUE, &error);
  g_assert_true (tsy_rollup_node_get_converted (root, &v));
  g_assert_cmpint (v, ==, 142000 + 500000 + 555);
  g_assert_true (tsy_rollup_node_get_total (root, "USD", &v));
  g_assert_cmpint (v, ==, 20000);
  g_clear_object (&root);

  /* Before any balance: no balances, totals empty, converted 0 */
  root = build (store, TSY_ROLLUP_BY_ORG, NULL, "CNY", d (2025, 12, 31), TRUE, &error);
  g_assert_no_error (error);
  g_assert_false (tsy_rollup_node_get_total (root, "USD", &v));
  g_assert_true (tsy_rollup_node_get_converted (root, &v));
  g_assert_cmpint (v, ==, 0);
  g_clear_object (&root);

  /* To USD: JPY has no USD rate -> strict fails, lenient leaves the total unknown */
  root = build (store, TSY_ROLLUP_BY_ORG, NULL, "USD", d (2026, 1, 31), TRUE, &error);
  g_assert_null (root);
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_MISSING_RATE);
  g_clear_error (&error);
  root = build (store, TSY_ROLLUP_BY_ORG, NULL, "USD", d (2026, 1, 31), FALSE, &error);
  g_assert_no_error (error);
  g_assert_false (tsy_rollup_node_get_converted (root, &v));
  g_clear_object (&root);

  /* unknown org and currency */
  g_assert_null (build (store, TSY_ROLLUP_BY_ORG, "NOPE", NULL, 0, TRUE, &error));
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (build (store, TSY_ROLLUP_BY_ORG, NULL, "XYZ", 0, TRUE, &error));
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID);
}

static void
test_org_filter (void)
{
  g_autoptr(TsyStore) store = make_deep_store (6);
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyRollupNode) sub = NULL;
  g_autoptr(TsyRollupNode) u = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  sub = build (store, TSY_ROLLUP_BY_ORG, "U03", "CNY", d (2026, 10, 31), TRUE, &error);
  g_assert_no_error (error);
  check_node (sub, seen);
  /* U03, U04, U05 and their side units S04, S05 (S03 hangs under U02): 2 accounts each... */
  g_assert_cmpuint (g_list_model_get_n_items (tsy_rollup_node_get_children (sub)), ==, 1);
  u = g_list_model_get_item (tsy_rollup_node_get_children (sub), 0);
  g_assert_cmpstr (tsy_rollup_node_get_code (u), ==, "U03");
  /* U03..U05 own one account each; S04, S05 one each: 5 accounts */
  g_assert_cmpuint (g_hash_table_size (seen), ==, 5);
}

static void
on_built (GObject *source, GAsyncResult *result, gpointer user_data)
{
  TsyRollupNode **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = tsy_rollup_build_finish (TSY_STORE (source), result, &error);
  g_assert_no_error (error);
}

static void
test_async_and_demo (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tsy-rollup-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "demo.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyStore) store = tsy_store_open (path, &error);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  TsyRollupNode *root = NULL;
  TsyRollupQuery q = { .by = TSY_ROLLUP_BY_ORG, .currency = "CNY", .date = d (2026, 11, 30) };
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_assert_no_error (error);
  g_assert_true (tsy_demo_fill (store, d (2026, 11, 22), &error));
  g_assert_no_error (error);
  /* a second demo into the same database is refused and changes nothing */
  g_assert_false (tsy_demo_fill (store, d (2026, 11, 22), &error));
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DUPLICATE);

  tsy_rollup_build_async (store, &q, NULL, on_built, &root);
  while (root == NULL)
    g_main_context_iteration (NULL, TRUE);
  check_node (root, seen);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 15);
  g_assert_cmpuint (tsy_rollup_node_get_n_accounts_deep (root), ==, 15);
  g_assert_cmpstrv (tsy_rollup_node_get_currencies (root), ((const char *[]) { "CNY", "HKD", "USD", NULL }));
  g_object_unref (root);

  g_clear_object (&store);
  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ledger/rollup/deep-tree", test_deep_tree);
  g_test_add_func ("/ledger/rollup/conversion-values", test_conversion_values);
  g_test_add_func ("/ledger/rollup/org-filter", test_org_filter);
  g_test_add_func ("/ledger/rollup/async-and-demo", test_async_and_demo);
  return g_test_run ();
}
