/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The `treasury` command line, run as a user runs it: exit codes, output, JSON shape, and
 * that a failing command leaves the database file exactly as it was. */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "ledger/tsy-money.h"

#include "tsy-test-cli.h"

static const char *treasury;

typedef struct
{
  char *dir;
  char *db;
} Fixture;

#define RUN(r, db, ...) tsy_test_cli_run ((r), treasury, (db), (const char *[]) { __VA_ARGS__, NULL })

#define OK(f, ...) \
  tsy_test_cli_must_succeed (treasury, (f)->db, (const char *[]) { __VA_ARGS__, NULL })

#define FAILS(f, needle, ...) \
  tsy_test_cli_must_fail (treasury, (f)->db, (needle), (const char *[]) { __VA_ARGS__, NULL })

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->dir = g_dir_make_tmp ("tsy-cli-XXXXXX", NULL);
  f->db = g_build_filename (f->dir, "t.db", NULL);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  tsy_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db);
}

static JsonNode *
run_json (Fixture *f, const char * const *args)
{
  g_auto(TsyTestRun) r = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  tsy_test_cli_run (&r, treasury, f->db, args);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, r.out, -1, &error));
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

#define JSON(f, ...) run_json ((f), (const char *[]) { __VA_ARGS__, NULL })

static gint64
amount (const char *text, const char *ccy)
{
  gint64 v = 0;

  g_assert_nonnull (text);
  g_assert_true (tsy_money_parse (text, -1, ccy, TSY_DECIMAL_POINT, &v, NULL));
  /* JSON amounts are plain decimal strings with exactly the currency's decimals */
  {
    g_autofree char *again = tsy_money_to_decimal (v, ccy);
    g_assert_cmpstr (again, ==, text);
  }
  return v;
}

/* Checks every node: totals = Σ own accounts + Σ children (per currency, and converted). */
static void
check_tree (JsonObject *node, GHashTable *grand)
{
  JsonArray *accounts = json_object_get_array_member (node, "accounts");
  JsonArray *children = json_object_get_array_member (node, "children");
  JsonObject *totals = json_object_get_object_member (node, "totals");
  g_autoptr(GHashTable) sums = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GList) members = NULL;
  gint64 conv = 0;
  gboolean has_total = json_object_has_member (node, "total");

  g_assert_true (json_object_has_member (node, "code"));
  g_assert_true (json_object_has_member (node, "name"));
  for (guint i = 0; i < json_array_get_length (accounts); i++)
    {
      JsonObject *a = json_array_get_object_element (accounts, i);
      const char *ccy = json_object_get_string_member (a, "currency");
      gint64 *s;
      g_assert_nonnull (json_object_get_string_member (a, "number"));
      g_assert_nonnull (json_object_get_string_member (a, "bank"));
      g_assert_nonnull (json_object_get_string_member (a, "org"));
      if (json_object_get_null_member (a, "balance"))
        continue;
      s = g_hash_table_lookup (sums, ccy);
      if (s == NULL)
        g_hash_table_insert (sums, g_strdup (ccy), s = g_new0 (gint64, 1));
      *s += amount (json_object_get_string_member (a, "balance"), ccy);
      if (grand != NULL)
        g_hash_table_add (grand, g_strdup (json_object_get_string_member (a, "number")));
      if (has_total)
        {
          JsonObject *c = json_object_get_object_member (a, "converted");
          conv += amount (json_object_get_string_member (c, "amount"),
                          json_object_get_string_member (c, "currency"));
        }
    }
  for (guint i = 0; i < json_array_get_length (children); i++)
    {
      JsonObject *c = json_array_get_object_element (children, i);
      JsonObject *ct = json_object_get_object_member (c, "totals");
      g_autoptr(GList) cm = json_object_get_members (ct);
      check_tree (c, grand);
      for (GList *l = cm; l; l = l->next)
        {
          gint64 *s = g_hash_table_lookup (sums, l->data);
          if (s == NULL)
            g_hash_table_insert (sums, g_strdup (l->data), s = g_new0 (gint64, 1));
          *s += amount (json_object_get_string_member (ct, l->data), l->data);
        }
      if (has_total)
        {
          JsonObject *t = json_object_get_object_member (c, "total");
          conv += amount (json_object_get_string_member (t, "amount"),
                          json_object_get_string_member (t, "currency"));
        }
    }
  members = json_object_get_members (totals);
  g_assert_cmpuint (g_list_length (members), ==, g_hash_table_size (sums));
  for (GList *l = members; l; l = l->next)
    {
      gint64 *s = g_hash_table_lookup (sums, l->data);
      g_assert_nonnull (s);
      g_assert_cmpint (amount (json_object_get_string_member (totals, l->data), l->data), ==, *s);
    }
  if (has_total)
    {
      JsonObject *t = json_object_get_object_member (node, "total");
      g_assert_cmpint (amount (json_object_get_string_member (t, "amount"),
                               json_object_get_string_member (t, "currency")), ==, conv);
    }
}

static void
test_demo_balances (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonNode) by_org = NULL;
  g_autoptr(JsonNode) by_bank = NULL;
  g_autoptr(JsonNode) conv = NULL;
  g_autoptr(JsonNode) conv_bank = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) seen_bank = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonObject *o, *b;
  JsonArray *top;
  g_autoptr(GList) ccys = NULL;
  g_auto(TsyTestRun) r = { 0 };

  OK (f, "demo", "--end-date", "2026-10-31");
  by_org = JSON (f, "balances", "--json", "--date", "2026-10-31");
  by_bank = JSON (f, "balances", "--by", "bank", "--json", "--date", "2026-10-31");
  o = json_node_get_object (by_org);
  b = json_node_get_object (by_bank);
  check_tree (o, seen);
  check_tree (b, seen_bank);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 15);
  g_assert_cmpuint (g_hash_table_size (seen_bank), ==, 15);

  /* the org tree: one holding with member companies two levels deep */
  top = json_object_get_array_member (o, "children");
  g_assert_cmpuint (json_array_get_length (top), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (top, 0), "code"), ==, "HX");
  /* the bank view: the top nodes are the five banks */
  top = json_object_get_array_member (b, "children");
  g_assert_cmpuint (json_array_get_length (top), ==, 5);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (top, 0), "code"), ==, "BOC");

  /* equal grand totals per currency */
  ccys = json_object_get_members (json_object_get_object_member (o, "totals"));
  g_assert_cmpuint (g_list_length (ccys), ==, 3);
  for (GList *l = ccys; l; l = l->next)
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "totals"), l->data), ==,
                     json_object_get_string_member (json_object_get_object_member (b, "totals"), l->data));

  /* converted with the stored rates, the same both ways */
  conv = JSON (f, "balances", "--json", "--currency", "CNY", "--date", "2026-10-31");
  conv_bank = JSON (f, "balances", "--json", "--currency", "CNY", "--by", "bank", "--date", "2026-10-31");
  check_tree (json_node_get_object (conv), NULL);
  check_tree (json_node_get_object (conv_bank), NULL);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_node_get_object (conv), "total"), "amount"), ==,
                   json_object_get_string_member (json_object_get_object_member (json_node_get_object (conv_bank), "total"), "amount"));

  /* a sub-tree */
  {
    g_autoptr(JsonNode) sub = JSON (f, "balances", "--json", "--org", "HX-TRD", "--date", "2026-10-31");
    g_autoptr(GHashTable) s = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    check_tree (json_node_get_object (sub), s);
    g_assert_cmpuint (g_hash_table_size (s), ==, 4);
  }

  /* the demo's statements came in through the parsers, in several formats */
  {
    g_autoptr(JsonNode) lines = JSON (f, "lines", "--json", "--account", "848123456001");
    g_autoptr(JsonNode) all = JSON (f, "lines", "--json");
    g_autofree char *dir = g_strconcat (f->db, ".statements", NULL);
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    guint n_files = 0;
    JsonArray *a = json_node_get_array (lines);
    g_assert_cmpuint (json_array_get_length (a), >, 20);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (a, 0), "currency"), ==, "HKD");
    g_assert_cmpuint (json_array_get_length (json_node_get_array (all)), >, 300);
    while (d && g_dir_read_name (d))
      n_files++;
    g_assert_cmpuint (n_files, ==, 15);
  }

  /* the table a person reads */
  RUN (&r, f->db, "balances", "--currency", "CNY");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "华夏控股集团有限公司 [HX]"));
  g_assert_nonnull (strstr (r.out, "848123456001"));
}

static void
test_commands_and_conversion (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *o, *g, *t;
  g_auto(TsyTestRun) r = { 0 };

  OK (f, "init");
  OK (f, "org", "add", "G", "--name", "集团");
  OK (f, "org", "add", "S", "--name", "子公司", "--parent", "G");
  OK (f, "bank", "add", "ICBC", "--name", "工商银行", "--bic", "ICBKCNBJ");
  OK (f, "bank", "add", "ABN", "--name", "ABN AMRO");
  OK (f, "account", "add", "6222000011112222", "--org", "G", "--bank", "ICBC", "--currency", "CNY", "--name", "基本户");
  OK (f, "account", "add", "NL77 ABNA 0574 9087 65", "--org", "S", "--bank", "ABN", "--currency", "EUR");
  OK (f, "account", "add", "USD-001", "--org", "S", "--bank", "ICBC", "--currency", "USD");
  OK (f, "fx", "set", "EUR", "CNY", "7.7", "--date", "2026-10-01");
  OK (f, "fx", "set", "CNY", "USD", "0.14", "--date", "2026-10-01");   /* used inverted */
  OK (f, "balance", "set", "6222000011112222", "1,000.50", "--date", "2026-10-30");
  OK (f, "balance", "set", "NL77ABNA0574908765", "100.00", "--date", "2026-10-30");
  OK (f, "balance", "set", "USD-001", "-14.00", "--date", "2026-10-29");   /* an overdraft */

  root = JSON (f, "balances", "--json", "--currency", "CNY", "--date", "2026-10-31");
  o = json_node_get_object (root);
  check_tree (o, NULL);
  g = json_array_get_object_element (json_object_get_array_member (o, "children"), 0);
  g_assert_cmpstr (json_object_get_string_member (g, "code"), ==, "G");
  t = json_object_get_object_member (g, "totals");
  g_assert_cmpstr (json_object_get_string_member (t, "CNY"), ==, "1000.50");
  g_assert_cmpstr (json_object_get_string_member (t, "EUR"), ==, "100.00");
  g_assert_cmpstr (json_object_get_string_member (t, "USD"), ==, "-14.00");
  /* 1000.50 + 100 × 7.7 + (−14 / 0.14) = 1000.50 + 770 − 100 = 1670.50 */
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (g, "total"), "amount"), ==, "1670.50");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (g, "total"), "currency"), ==, "CNY");

  RUN (&r, f->db, "account", "list", "--json");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "\"number\":\"NL77ABNA0574908765\""));
}

static void
test_errors_change_nothing (Fixture *f, gconstpointer data)
{
  OK (f, "init");
  OK (f, "org", "add", "G", "--name", "Group");
  OK (f, "bank", "add", "B", "--name", "Bank");
  OK (f, "account", "add", "123", "--org", "G", "--bank", "B", "--currency", "CNY");
  OK (f, "balance", "set", "123", "5", "--date", "2026-10-01");

  FAILS (f, "NOPE", "org", "add", "X", "--name", "x", "--parent", "NOPE");
  FAILS (f, "G", "org", "add", "G", "--name", "again");
  FAILS (f, "123", "account", "add", "123", "--org", "G", "--bank", "B", "--currency", "CNY");
  FAILS (f, "NOPE", "account", "add", "124", "--org", "NOPE", "--bank", "B", "--currency", "CNY");
  FAILS (f, "NOPE", "account", "add", "124", "--org", "G", "--bank", "NOPE", "--currency", "CNY");
  FAILS (f, "IBAN", "account", "add", "DE89370400440532013001", "--org", "G", "--bank", "B", "--currency", "EUR");
  FAILS (f, "XXY", "account", "add", "125", "--org", "G", "--bank", "B", "--currency", "XXY");
  FAILS (f, "12.345", "balance", "set", "123", "12.345", "--date", "2026-10-02");
  FAILS (f, "abc", "balance", "set", "123", "abc", "--date", "2026-10-02");
  FAILS (f, "2026-02-30", "balance", "set", "123", "1", "--date", "2026-02-30");
  FAILS (f, "USD", "balance", "set", "123", "1", "--date", "2026-10-02", "--currency", "USD");
  FAILS (f, "999", "balance", "set", "999", "1", "--date", "2026-10-02");
  FAILS (f, "EUR", "balances", "--currency", "EUR", "--date", "2026-10-02");
  FAILS (f, "NOPE", "balances", "--org", "NOPE");
  FAILS (f, "rate", "fx", "set", "USD", "CNY", "-7", "--date", "2026-10-02");
  FAILS (f, "BIC", "bank", "add", "C", "--name", "C", "--bic", "XX");
  FAILS (f, NULL, "frobnicate");
  FAILS (f, NULL, "org", "add", "Y");             /* usage: --name missing */
  FAILS (f, NULL, "balances", "--by", "desk");
  FAILS (f, NULL, "balances", "--bogus");
}

static void
test_missing_database (Fixture *f, gconstpointer data)
{
  g_auto(TsyTestRun) r = { 0 };
  g_auto(TsyTestRun) r2 = { 0 };

  RUN (&r, f->db, "org", "add", "G", "--name", "G");
  g_assert_cmpint (r.status, !=, 0);
  g_assert_nonnull (strstr (r.err, "treasury init"));
  g_assert_false (g_file_test (f->db, G_FILE_TEST_EXISTS));

  /* a demo that fails on its option leaves no file behind either */
  RUN (&r2, f->db, "demo", "--end-date", "2026-13-01");
  g_assert_cmpint (r2.status, !=, 0);
  g_assert_false (g_file_test (f->db, G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  treasury = g_getenv ("TREASURY_BIN");
  if (treasury == NULL)
    {
      g_printerr ("TREASURY_BIN is not set (meson sets it)\n");
      return 1;
    }
  g_test_add ("/ledger/cli/demo-balances", Fixture, NULL, fixture_setup, test_demo_balances, fixture_teardown);
  g_test_add ("/ledger/cli/commands-and-conversion", Fixture, NULL, fixture_setup,
              test_commands_and_conversion, fixture_teardown);
  g_test_add ("/ledger/cli/errors-change-nothing", Fixture, NULL, fixture_setup,
              test_errors_change_nothing, fixture_teardown);
  g_test_add ("/ledger/cli/missing-database", Fixture, NULL, fixture_setup, test_missing_database,
              fixture_teardown);
  return g_test_run ();
}
