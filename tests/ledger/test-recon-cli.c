/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `treasury book …`, `reconcile`, `match`, `unmatch` and `recon-statement` run as a user runs
 * them: exit codes, JSON shapes, and that a failing command leaves the database as it was. */
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
  char *statement;
  char *book;
} Fixture;

#define OK(f, ...) \
  tsy_test_cli_must_succeed (treasury, (f)->db, (const char *[]) { __VA_ARGS__, NULL })

#define FAILS(f, needle, ...) \
  tsy_test_cli_must_fail (treasury, (f)->db, (needle), (const char *[]) { __VA_ARGS__, NULL })

static JsonNode *
run_json (Fixture *f, const char * const *args)
{
  g_auto(TsyTestRun) r = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  tsy_test_cli_run (&r, treasury, f->db, args);
  if (r.status != 0)
    g_error ("treasury %s failed: %s", args[0], r.err);
  g_assert_true (json_parser_load_from_data (parser, r.out, -1, &error));
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

#define JSON(f, ...) run_json ((f), (const char *[]) { __VA_ARGS__, NULL })

/* A bank's CSV export (the format of Chinese bank portals) and an ERP's book export. */
static const char statement_csv[] =
  "账号:,6222001\r\n"
  "币种:,CNY\r\n"
  "起止日期:,2026-03-01 至 2026-03-31\r\n"
  "交易日期,交易流水号,摘要,借方发生额,贷方发生额,余额,对方户名,对方账号\r\n"
  "2026-03-03,R001,PAYMENT FOR INV 2026 004512,,12345.00,13345.00,上海华东电子材料有限公司,\r\n"
  "2026-03-05,R002,电费 E2E0000012345,5000.00,,8345.00,深圳供电局有限公司,\r\n"
  "2026-03-09,R003,服务费,880.00,,7465.00,杭州云帆软件科技有限公司,\r\n"
  "2026-03-12,R004,往来款,,1000.00,8465.00,北京星河物流有限公司,\r\n"
  "2026-03-12,R005,往来款,,1000.00,9465.00,广州珠江纺织品进出口有限公司,\r\n"
  "2026-03-16,R008,货款 INV-2026-000900,,9985.00,19450.00,ACME TRADING LTD,\r\n"
  "2026-03-20,R006,手续费,15.00,,19435.00,,\r\n"
  "2026-03-25,R007,货款,,7777.00,27212.00,某某贸易有限公司,\r\n"
  "合计,,,,,,,\r\n";

static const char book_csv[] =
  "id,account,date,amount,currency,counterparty,counterparty_account,reference,memo\n"
  "J1,6222001,2026-03-02,12345.00,CNY,华东电子材料,,INV-2026-004512,货款\n"
  "J2,6222001,2026-03-05,-5000.00,CNY,深圳供电局,,E2E0000012345,电费\n"
  "J3,6222001,2026-03-08,-880.00,CNY,杭州云帆软件科技有限公司,,,服务费\n"
  "J4,6222001,2026-03-12,1000.00,CNY,广州珠江纺织品进出口有限公司,,,\n"
  "J5,6222001,2026-03-12,1000.00,CNY,北京星河物流有限公司,,,\n"
  "J6,6222001,2026-03-25,7777.00,CNY,另一家公司,,,look-alike\n"
  "J7,6222001,2026-03-31,-300.00,CNY,某供应商,,,暂估\n"
  "J8,6222001,2026-03-15,10000.00,CNY,ACME,,INV-2026-000900,\n";

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->dir = g_dir_make_tmp ("tsy-recon-cli-XXXXXX", NULL);
  f->db = g_build_filename (f->dir, "t.db", NULL);
  f->statement = g_build_filename (f->dir, "icbc.csv", NULL);
  f->book = g_build_filename (f->dir, "book.csv", NULL);
  g_assert_true (g_file_set_contents (f->statement, statement_csv, -1, NULL));
  g_assert_true (g_file_set_contents (f->book, book_csv, -1, NULL));
  OK (f, "init");
  OK (f, "org", "add", "HX", "--name", "华夏");
  OK (f, "bank", "add", "ICBC", "--name", "工行");
  OK (f, "account", "add", "6222001", "--org", "HX", "--bank", "ICBC", "--currency", "CNY");
  OK (f, "import", f->statement, "--account", "6222001");
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *p = g_build_filename (f->dir, name, NULL);
      g_unlink (p);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->db);
  g_free (f->statement);
  g_free (f->book);
}

static gboolean
has_string (JsonArray  *array,
            const char *value)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_array_get_string_element (array, i), value) == 0)
      return TRUE;
  return FALSE;
}

/* The match holding book id @book, or NULL. */
static JsonObject *
match_with_book (JsonArray  *matches,
                 const char *book)
{
  for (guint i = 0; i < json_array_get_length (matches); i++)
    {
      JsonObject *m = json_array_get_object_element (matches, i);
      if (has_string (json_object_get_array_member (m, "book"), book))
        return m;
    }
  return NULL;
}

static void
test_book (Fixture *f, gconstpointer data)
{
  g_autofree char *bad = g_build_filename (f->dir, "bad.csv", NULL);
  g_auto(TsyTestRun) r = { 0 };

  g_assert_true (g_file_set_contents (bad, "id,account,date,amount\nX1,6222001,2026-03-01,1.00\n"
                                      "X2,6222001,2026-03-32,1.00\n", -1, NULL));
  FAILS (f, "row 3", "book", "import", bad);
  tsy_test_cli_run (&r, treasury, f->db, (const char *[]) { "book", "import", f->book, NULL });
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "8"));
  {
    g_autoptr(JsonNode) again = JSON (f, "book", "import", f->book, "--json");
    JsonObject *o = json_node_get_object (again);
    g_assert_cmpint (json_object_get_int_member (o, "new"), ==, 0);
    g_assert_cmpint (json_object_get_int_member (o, "present"), ==, 8);
  }
  FAILS (f, "no account", "book", "opening", "999", "1.00", "--date", "2026-03-01");
  FAILS (f, NULL, "book", "opening", "6222001", "1.001", "--date", "2026-03-01");
  FAILS (f, "opening date", "book", "opening", "6222001", "1.00", "--date", "2026-03-10");
  OK (f, "book", "opening", "6222001", "1000.00", "--date", "2026-03-01");
}

static void
test_reconcile (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *o, *m;
  JsonArray *matched;

  OK (f, "book", "import", f->book);
  OK (f, "book", "opening", "6222001", "1000.00", "--date", "2026-03-01");
  FAILS (f, "no account", "reconcile", "--account", "999");
  FAILS (f, NULL, "reconcile", "--account", "6222001", "--window", "41");
  root = JSON (f, "reconcile", "--json");
  o = json_node_get_object (root);
  matched = json_object_get_array_member (o, "matched");
  g_assert_cmpuint (json_array_get_length (matched), ==, 6);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "suggested")), ==, 0);
  g_assert_true (has_string (json_object_get_array_member (o, "unmatched_bank"), "R006"));
  g_assert_true (has_string (json_object_get_array_member (o, "unmatched_bank"), "R007"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "unmatched_bank")), ==, 2);
  g_assert_true (has_string (json_object_get_array_member (o, "unmatched_book"), "J6"));
  g_assert_true (has_string (json_object_get_array_member (o, "unmatched_book"), "J7"));

  m = match_with_book (matched, "J1");
  g_assert_cmpstr (json_object_get_string_member (m, "rule"), ==, "reference-text");
  g_assert_true (has_string (json_object_get_array_member (m, "bank"), "R001"));
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (m, "score")), ==, G_TYPE_DOUBLE);
  g_assert_true (json_object_get_double_member (m, "score") > 0.9 &&
                 json_object_get_double_member (m, "score") < 1.0);
  m = match_with_book (matched, "J2");
  g_assert_cmpstr (json_object_get_string_member (m, "rule"), ==, "reference-text");
  m = match_with_book (matched, "J4");
  g_assert_true (has_string (json_object_get_array_member (m, "bank"), "R005"));
  g_assert_cmpstr (json_object_get_string_member (m, "rule"), ==, "counterparty");
  m = match_with_book (matched, "J8");
  g_assert_cmpstr (json_object_get_string_member (m, "rule"), ==, "charge");
  g_assert_cmpstr (json_object_get_string_member (m, "charge"), ==, "15.00");

  /* the same again: same answer */
  {
    g_autoptr(JsonNode) again = JSON (f, "reconcile", "--json", "--account", "6222001");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (again), "matched")), ==, 6);
  }
}

static void
test_match_unmatch (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *m;

  OK (f, "book", "import", f->book);
  OK (f, "reconcile");
  FAILS (f, "R999", "match", "R999", "--book", "J6");
  FAILS (f, "J99", "match", "R007", "--book", "J99");
  FAILS (f, NULL, "match", "R007", "--book", "J7");          /* 7777.00 against -300.00 */
  FAILS (f, NULL, "match", "R007");                          /* usage */
  OK (f, "match", "R007", "--book", "J6", "--account", "6222001");
  FAILS (f, "unmatch it first", "match", "R007", "--book", "J6");
  root = JSON (f, "reconcile", "--json");
  m = match_with_book (json_object_get_array_member (json_node_get_object (root), "matched"), "J6");
  g_assert_nonnull (m);
  g_assert_cmpstr (json_object_get_string_member (m, "rule"), ==, "manual");
  g_assert_cmpstr (json_object_get_string_member (m, "status"), ==, "manual");
  g_assert_cmpint (json_object_get_int_member (m, "score"), ==, 1);

  OK (f, "unmatch", "J4");
  FAILS (f, "no match", "unmatch", "J4");
  FAILS (f, "nothing", "unmatch", "nothing");
  g_clear_pointer (&root, json_node_unref);
  root = JSON (f, "reconcile", "--json");
  g_assert_null (match_with_book (json_object_get_array_member (json_node_get_object (root), "matched"), "J4"));
  g_assert_true (has_string (json_object_get_array_member (json_node_get_object (root), "unmatched_book"), "J4"));
  g_assert_nonnull (match_with_book (json_object_get_array_member (json_node_get_object (root), "matched"), "J6"));
  /* several items on a side */
  OK (f, "unmatch", "R002");
  OK (f, "match", "R002", "--book", "J2");
}

static void
test_statement (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *xlsx = g_build_filename (f->dir, "r.xlsx", NULL);
  JsonObject *o;
  const char *keys[] = { "account", "date", "bank_balance", "book_balance", "bank_credits_not_in_book",
                         "bank_debits_not_in_book", "book_credits_not_at_bank", "book_debits_not_at_bank",
                         "charges", "adjusted_bank_balance", "adjusted_book_balance", "balanced" };
  gint64 bank, book, adj_bank, adj_book, v;

  OK (f, "book", "import", f->book);
  OK (f, "book", "opening", "6222001", "1000.00", "--date", "2026-03-01");
  OK (f, "reconcile");
  FAILS (f, NULL, "recon-statement", "--account", "6222001");
  FAILS (f, "no account", "recon-statement", "--account", "999", "--date", "2026-03-31");
  FAILS (f, "opens on", "recon-statement", "--account", "6222001", "--date", "2026-02-28");
  root = JSON (f, "recon-statement", "--account", "6222001", "--date", "2026-03-31", "--json",
               "--xlsx", xlsx);
  o = json_node_get_object (root);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_assert_true (json_object_has_member (o, keys[i]));
  g_assert_true (json_object_get_boolean_member (o, "balanced"));
  g_assert_true (tsy_money_parse (json_object_get_string_member (o, "bank_balance"), -1, "CNY", TSY_DECIMAL_POINT, &bank, NULL));
  g_assert_true (tsy_money_parse (json_object_get_string_member (o, "book_balance"), -1, "CNY", TSY_DECIMAL_POINT, &book, NULL));
  g_assert_true (tsy_money_parse (json_object_get_string_member (o, "adjusted_bank_balance"), -1, "CNY", TSY_DECIMAL_POINT, &adj_bank, NULL));
  g_assert_true (tsy_money_parse (json_object_get_string_member (o, "adjusted_book_balance"), -1, "CNY", TSY_DECIMAL_POINT, &adj_book, NULL));
  g_assert_cmpint (bank, ==, 2721200);
  g_assert_cmpint (adj_bank, ==, adj_book);
  /* adjusted bank = bank + book-only items: J6 7777.00 and J7 -300.00 */
  g_assert_cmpint (adj_bank, ==, bank + 777700 - 30000);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "charges")), ==, 1);
  g_assert_true (tsy_money_parse (json_object_get_string_member (
                   json_array_get_object_element (json_object_get_array_member (o, "charges"), 0), "amount"),
                   -1, "CNY", TSY_DECIMAL_POINT, &v, NULL));
  g_assert_cmpint (v, ==, -1500);
  (void) book;
  g_assert_true (g_file_test (xlsx, G_FILE_TEST_IS_REGULAR));
  /* and as at an earlier day: J7 (31st) is not yet in the book, R007 (25th) not at the bank */
  {
    g_autoptr(JsonNode) mid = JSON (f, "recon-statement", "--account", "6222001", "--date", "2026-03-20", "--json");
    JsonObject *mo = json_node_get_object (mid);
    g_assert_true (json_object_get_boolean_member (mo, "balanced"));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (mo, "book_debits_not_at_bank")), ==, 0);
  }
}


/* Two equal invoices of one supplier two days running, no reference: a person decides. */
static void
test_suggested (Fixture *f, gconstpointer data)
{
  g_autofree char *st = g_build_filename (f->dir, "ccb.csv", NULL);
  g_autofree char *bk = g_build_filename (f->dir, "book2.csv", NULL);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) after = NULL;
  JsonObject *o, *s0;
  JsonArray *suggested;
  const char *bank_ref, *book_id;

  g_assert_true (g_file_set_contents (st,
    "账号:,6222002\r\n币种:,CNY\r\n起止日期:,2026-03-01 至 2026-03-31\r\n"
    "交易日期,交易流水号,摘要,借方发生额,贷方发生额,余额,对方户名,对方账号\r\n"
    "2026-03-11,S001,运费,2000.00,,-2000.00,北京星河物流有限公司,\r\n"
    "2026-03-12,S002,运费,2000.00,,-4000.00,北京星河物流有限公司,\r\n"
    "合计,,,,,,,\r\n", -1, NULL));
  g_assert_true (g_file_set_contents (bk,
    "id,account,date,amount,counterparty\n"
    "K1,6222002,2026-03-10,-2000.00,星河物流\n"
    "K2,6222002,2026-03-11,-2000.00,星河物流\n", -1, NULL));
  OK (f, "account", "add", "6222002", "--org", "HX", "--bank", "ICBC", "--currency", "CNY");
  OK (f, "import", st, "--account", "6222002");
  OK (f, "book", "import", bk);
  root = JSON (f, "reconcile", "--account", "6222002", "--json");
  o = json_node_get_object (root);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "matched")), ==, 0);
  suggested = json_object_get_array_member (o, "suggested");
  g_assert_cmpuint (json_array_get_length (suggested), ==, 4);
  /* in the suggestions, so not in the unmatched lists */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "unmatched_bank")), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "unmatched_book")), ==, 0);
  s0 = json_array_get_object_element (suggested, 0);
  g_assert_cmpstr (json_object_get_string_member (s0, "rule"), ==, "counterparty");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (s0, "bank")), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (s0, "book")), ==, 1);
  g_assert_true (json_object_get_double_member (s0, "score") > 0.8);
  bank_ref = json_array_get_string_element (json_object_get_array_member (s0, "bank"), 0);
  book_id = json_array_get_string_element (json_object_get_array_member (s0, "book"), 0);

  /* accepting it: a confirmed match with the suggestion's rule; then the other pair is the only
   * candidate of both its items, and the next run matches it */
  OK (f, "match", bank_ref, "--book", book_id);
  after = JSON (f, "reconcile", "--account", "6222002", "--json");
  o = json_node_get_object (after);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "matched")), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "suggested")), ==, 0);
  {
    JsonObject *m = match_with_book (json_object_get_array_member (o, "matched"), book_id);
    JsonObject *other;
    g_assert_cmpstr (json_object_get_string_member (m, "status"), ==, "confirmed");
    g_assert_cmpstr (json_object_get_string_member (m, "rule"), ==, "counterparty");
    g_assert_true (has_string (json_object_get_array_member (m, "bank"), bank_ref));
    other = match_with_book (json_object_get_array_member (o, "matched"), g_str_equal (book_id, "K1") ? "K2" : "K1");
    g_assert_cmpstr (json_object_get_string_member (other, "status"), ==, "auto");
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  treasury = g_getenv ("TREASURY_BIN");
  if (treasury == NULL)
    {
      g_printerr ("TREASURY_BIN is not set\n");
      return 1;
    }
  g_test_add ("/cli/book", Fixture, NULL, fixture_setup, test_book, fixture_teardown);
  g_test_add ("/cli/reconcile", Fixture, NULL, fixture_setup, test_reconcile, fixture_teardown);
  g_test_add ("/cli/match-unmatch", Fixture, NULL, fixture_setup, test_match_unmatch, fixture_teardown);
  g_test_add ("/cli/recon-statement", Fixture, NULL, fixture_setup, test_statement, fixture_teardown);
  g_test_add ("/cli/suggested", Fixture, NULL, fixture_setup, test_suggested, fixture_teardown);
  return g_test_run ();
}
