/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The payment commands of `treasury` as a user runs them: passphrases on a descriptor, exit
 * codes, one-line errors that leave the database byte for byte as it was, JSON status. */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "tsy-test-cli.h"

static const char *treasury;

typedef struct
{
  char *dir;
  char *db;
  char *today;
} Fixture;

#define RUN_IN(r, f, input, ...) \
  tsy_test_cli_run_input ((r), treasury, (f)->db, (input), (const char *[]) { __VA_ARGS__, NULL })

static char *
ok_v (Fixture *f, const char *input, const char * const *args)
{
  g_auto(TsyTestRun) r = { 0 };

  tsy_test_cli_run_input (&r, treasury, f->db, input, args);
  if (r.status != 0)
    g_error ("treasury %s %s failed (%d): %s", args[0], args[1] ? args[1] : "", r.status, r.err);
  return g_steal_pointer (&r.out);
}

#define OK(f, ...) g_free (ok_v ((f), NULL, (const char *[]) { __VA_ARGS__, NULL }))
#define OK_IN(f, input, ...) g_free (ok_v ((f), (input), (const char *[]) { __VA_ARGS__, NULL }))
#define OUT(f, ...) ok_v ((f), NULL, (const char *[]) { __VA_ARGS__, NULL })

static void
fails_v (Fixture *f, const char *needle, const char *input, const char * const *args)
{
  g_autofree char *before = tsy_test_cli_file_digest (f->db);
  g_autofree char *after = NULL;
  g_auto(TsyTestRun) r = { 0 };

  tsy_test_cli_run_input (&r, treasury, f->db, input, args);
  after = tsy_test_cli_file_digest (f->db);
  tsy_test_cli_assert_failed (&r, args);
  if (needle != NULL && strstr (r.err, needle) == NULL)
    g_error ("error of treasury %s %s lacks “%s”: %s", args[0], args[1], needle, r.err);
  g_assert_cmpstr (before, ==, after);
}

#define FAILS(f, needle, ...) fails_v ((f), (needle), NULL, (const char *[]) { __VA_ARGS__, NULL })
#define FAILS_IN(f, needle, input, ...) fails_v ((f), (needle), (input), (const char *[]) { __VA_ARGS__, NULL })

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  f->dir = g_dir_make_tmp ("tsy-cli-pay-XXXXXX", NULL);
  f->db = g_build_filename (f->dir, "t.db", NULL);
  f->today = g_date_time_format (now, "%Y-%m-%d");
  OK (f, "demo", "--no-statements");
  OK_IN (f, "maker pass 1\n", "user", "add", "mia", "--role", "maker", "--passphrase-fd", "0");
  OK_IN (f, "approver pass 1\n", "user", "add", "ada", "--role", "approver", "--passphrase-fd", "0");
  OK_IN (f, "approver pass 2\n", "user", "add", "alan", "--role", "approver", "--passphrase-fd", "0");
  OK_IN (f, "admin pass 1\n", "user", "add", "root", "--role", "admin,approver", "--passphrase-fd", "0");
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  tsy_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db);
  g_free (f->today);
}

static JsonNode *
json_of (char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *owned = text;

  g_assert_true (json_parser_load_from_data (parser, owned, -1, &error));
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static JsonObject *
payment_json (JsonNode *root, gint64 id)
{
  JsonArray *list = json_node_get_array (root);

  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *p = json_array_get_object_element (list, i);
      if (json_object_get_int_member (p, "id") == id)
        return p;
    }
  g_error ("payment %" G_GINT64_FORMAT " not in the status", id);
}

static gint64
new_payment (Fixture *f, const char *amount, const char *creditor)
{
  g_autofree char *out = OUT (f, "pay", "new", "--from", "0200001209000123456", "--to-name", "深圳市供应商有限公司",
                              "--to-account", creditor, "--to-bank", "工商银行深圳分行", "--amount", amount,
                              "--currency", "CNY", "--date", f->today, "--text", "INV-2026-0001",
                              "--category", "OP", "--user", "mia");
  return g_ascii_strtoll (out, NULL, 10);
}

static void
test_users_and_policies (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonNode) users = NULL;
  g_autoptr(JsonNode) bands = NULL;
  JsonObject *first;

  FAILS_IN (f, "role", "x pass phrase\n", "user", "add", "eve", "--role", "boss", "--passphrase-fd", "0");
  FAILS_IN (f, "exists", "x pass phrase\n", "user", "add", "ada", "--role", "maker", "--passphrase-fd", "0");
  FAILS_IN (f, "8 characters", "short\n", "user", "add", "eve", "--role", "maker", "--passphrase-fd", "0");
  FAILS_IN (f, "empty", "", "user", "add", "eve", "--role", "maker", "--passphrase-fd", "0");

  users = json_of (OUT (f, "user", "list", "--json"));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (users)), ==, 4);
  first = json_array_get_object_element (json_node_get_array (users), 0);
  g_assert_cmpstr (json_object_get_string_member (first, "name"), ==, "ada");
  g_assert_cmpstr (json_object_get_string_member (first, "roles"), ==, "approver");
  g_assert_true (json_object_get_boolean_member (first, "private_key"));

  /* an admin exists, so policies need one */
  FAILS (f, "--user", "policy", "set", "HX", "--up-to", "1000000", "CNY", "--approvals", "1");
  FAILS (f, "admin", "policy", "set", "HX", "--up-to", "1000000", "CNY", "--approvals", "1", "--user", "ada");
  FAILS (f, "1 to 9", "policy", "set", "HX", "--up-to", "1000000", "CNY", "--approvals", "12", "--user", "root");
  FAILS (f, NULL, "policy", "set", "NOPE", "--up-to", "1000000", "CNY", "--approvals", "1", "--user", "root");
  OK (f, "policy", "set", "HX", "--up-to", "1000000", "CNY", "--approvals", "1", "--user", "root");
  OK (f, "policy", "set", "HX", "--up-to", "50000000", "CNY", "--approvals", "2", "--role", "admin", "--user", "root");
  bands = json_of (OUT (f, "policy", "list", "--json"));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (bands)), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_node_get_array (bands), 1), "up_to"),
                   ==, "50000000.00");
}

static void
test_make_approve_reject (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonNode) status = NULL;
  g_autofree char *big_id = NULL;
  g_autofree char *small_id = NULL;
  JsonObject *p;
  gint64 small, big;

  OK (f, "policy", "set", "HX", "--up-to", "1000000", "CNY", "--approvals", "1", "--user", "root");
  OK (f, "policy", "set", "HX", "--up-to", "50000000", "CNY", "--approvals", "2", "--role", "admin", "--user", "root");

  small = new_payment (f, "12345.67", "4000023009200012345");
  big = new_payment (f, "2000000.00", "4000023009200099999");
  small_id = g_strdup_printf ("%" G_GINT64_FORMAT, small);
  big_id = g_strdup_printf ("%" G_GINT64_FORMAT, big);

  /* refused before saving: limit, currency, closed bad input; nothing written */
  FAILS (f, "daily limit", "pay", "new", "--from", "0200001209000123456", "--to-name", "X", "--to-account",
         "4000023009200055555", "--amount", "49000000", "--currency", "CNY", "--date", f->today, "--user", "mia");
  FAILS (f, "USD", "pay", "new", "--from", "0200001209000123456", "--to-name", "X", "--to-account",
         "4000023009200055555", "--amount", "10", "--currency", "USD", "--date", f->today, "--user", "mia");
  FAILS (f, "confirm", "pay", "new", "--from", "0200001209000123456", "--to-name", "深圳市供应商有限公司",
         "--to-account", "4000023009200012345", "--amount", "12345.67", "--currency", "CNY",
         "--date", f->today, "--user", "mia");
  FAILS (f, NULL, "pay", "new", "--from", "0200001209000123456", "--to-name", "X", "--to-account",
         "DE89370400440532013001", "--amount", "10", "--currency", "CNY", "--date", f->today, "--user", "mia");
  FAILS (f, "more than zero", "pay", "new", "--from", "0200001209000123456", "--to-name", "X", "--to-account",
         "4000023009200055555", "--amount", "0", "--currency", "CNY", "--date", f->today, "--user", "mia");

  /* maker-checker on the command line */
  FAILS (f, "maker", "pay", "submit", small_id, "--user", "ada");
  OK (f, "pay", "submit", small_id, big_id, "--user", "mia");
  FAILS_IN (f, "role", "maker pass 1\n", "pay", "approve", small_id, "--user", "mia", "--passphrase-fd", "0");
  FAILS_IN (f, "passphrase is wrong", "approver pass 2\n", "pay", "approve", small_id, "--user", "ada", "--passphrase-fd", "0");
  OK_IN (f, "approver pass 1\n", "pay", "approve", small_id, big_id, "--user", "ada", "--passphrase-fd", "0");
  FAILS_IN (f, "counts once", "approver pass 1\n", "pay", "approve", big_id, "--user", "ada", "--passphrase-fd", "0");
  OK_IN (f, "approver pass 2\n", "pay", "approve", big_id, "--user", "alan", "--passphrase-fd", "0");

  status = json_of (OUT (f, "pay", "status", "--json"));
  p = payment_json (status, small);
  g_assert_cmpstr (json_object_get_string_member (p, "status"), ==, "approved");
  g_assert_cmpstr (json_object_get_string_member (p, "amount"), ==, "12345.67");
  g_assert_cmpstr (json_object_get_string_member (p, "to_bank"), ==, "工商银行深圳分行");
  g_assert_cmpuint (strlen (json_object_get_string_member (p, "end_to_end_id")), <=, 35);
  p = payment_json (status, big);
  /* two approvers, but none an admin: still submitted */
  g_assert_cmpstr (json_object_get_string_member (p, "status"), ==, "submitted");
  g_assert_cmpint (json_object_get_int_member (p, "approvals"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (p, "approvals_required"), ==, 2);
  OK_IN (f, "admin pass 1\n", "pay", "approve", big_id, "--user", "root", "--passphrase-fd", "0");

  {
    g_autoptr(JsonNode) again = json_of (OUT (f, "pay", "status", "--json", "--status", "approved"));
    g_assert_cmpuint (json_array_get_length (json_node_get_array (again)), ==, 2);
  }

  /* reject: needs a reason; an approved payment cannot be rejected any more */
  FAILS (f, NULL, "pay", "reject", big_id, "--user", "ada");
  FAILS (f, "approved", "pay", "reject", big_id, "--user", "ada", "--reason", "no");
  {
    gint64 third = new_payment (f, "77.00", "4000023009200077777");
    g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, third);
    g_autoptr(JsonNode) after = NULL;
    OK (f, "pay", "reject", id, "--user", "mia", "--reason", "撤回");
    after = json_of (OUT (f, "pay", "status", "--json", "--status", "rejected"));
    p = json_array_get_object_element (json_node_get_array (after), 0);
    g_assert_cmpstr (json_object_get_string_member (p, "reason"), ==, "撤回");
  }
}

static void
test_import_batch (Fixture *f, gconstpointer data)
{
  g_autofree char *csv = g_build_filename (f->dir, "payroll.csv", NULL);
  g_autofree char *bad = g_build_filename (f->dir, "bad.csv", NULL);
  g_autofree char *text = NULL;
  g_autofree char *out = NULL;
  g_autoptr(JsonNode) status = NULL;
  GString *rows = g_string_new ("付款账号,收款人,收款账号,金额,币种,日期,附言\n");

  for (int i = 0; i < 25; i++)
    g_string_append_printf (rows, "0200001209000123456,员工%02d,62220202001122%05d,%d.50,CNY,%s,11月工资\n",
                            i, i, 8000 + i, f->today);
  g_assert_true (g_file_set_contents (csv, rows->str, -1, NULL));
  g_string_free (rows, TRUE);
  text = g_strdup_printf ("from,to_name,to_account,amount,currency,date\n"
                          "0200001209000123456,A,6222020200112233445,100.00,CNY,%s\n"
                          "0200001209000123456,B,6222020200112233446,abc,CNY,%s\n", f->today, f->today);
  g_assert_true (g_file_set_contents (bad, text, -1, NULL));

  FAILS (f, "line 3", "pay", "import", bad, "--user", "mia");
  FAILS (f, "role", "pay", "import", csv, "--user", "ada");
  out = OUT (f, "pay", "import", csv, "--user", "mia", "--kind", "payroll");
  g_assert_true (g_str_has_prefix (out, "Batch 1: 25"));
  OK (f, "pay", "submit", "--batch", "1", "--user", "mia");
  OK_IN (f, "approver pass 1\n", "pay", "approve", "--batch", "1", "--user", "ada", "--passphrase-fd", "0");
  status = json_of (OUT (f, "pay", "status", "--json", "--batch", "1"));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (status)), ==, 25);
  for (guint i = 0; i < 25; i++)
    {
      JsonObject *p = json_array_get_object_element (json_node_get_array (status), i);
      g_assert_cmpstr (json_object_get_string_member (p, "status"), ==, "approved");
      g_assert_cmpint (json_object_get_int_member (p, "batch"), ==, 1);
    }
  /* the same file again is 25 duplicates */
  FAILS (f, "confirm", "pay", "import", csv, "--user", "mia");
}

/* Runs a command that must leave the database file byte for byte as it was. */
static void
unchanged_v (Fixture *f, TsyTestRun *r, const char * const *args)
{
  g_autofree char *before = tsy_test_cli_file_digest (f->db);
  g_autofree char *after = NULL;

  tsy_test_cli_run_input (r, treasury, f->db, NULL, args);
  after = tsy_test_cli_file_digest (f->db);
  g_assert_cmpstr (before, ==, after);
}

#define UNCHANGED(f, r, ...) unchanged_v ((f), (r), (const char *[]) { __VA_ARGS__, NULL })

static void
test_import_dry_run (Fixture *f, gconstpointer data)
{
  g_autofree char *csv = g_build_filename (f->dir, "supplier.csv", NULL);
  g_autofree char *bad = g_build_filename (f->dir, "bad.csv", NULL);
  g_autofree char *text = NULL;
  g_autofree char *bad_text = NULL;
  g_autofree char *out = NULL;
  g_autoptr(JsonNode) preview = NULL;
  g_autoptr(JsonNode) refused = NULL;
  g_autoptr(JsonNode) status = NULL;
  JsonObject *root, *row, *total, *refusal;
  JsonArray *rows, *totals, *saved;

  text = g_strdup_printf ("from,to_name,to_account,to_bank,amount,currency,date,text\n"
                          "0200001209000123456,甲公司,6222020200112233445,工商银行深圳分行,1000.10,CNY,%s,INV-1\n"
                          "0200001209000123456,乙公司,6222020200112233446,,2500.05,CNY,%s,INV-2\n"
                          "0200001209000123456,丙公司,6222020200112233447,,0.85,cny,%s,INV-3\n",
                          f->today, f->today, f->today);
  g_assert_true (g_file_set_contents (csv, text, -1, NULL));
  bad_text = g_strdup_printf ("from,to_name,to_account,amount,currency,date\n"
                              "0200001209000123456,A,6222020200112233445,100.00,CNY,%s\n"
                              "0200001209000123456,B,6222020200112233446,-5.00,CNY,%s\n", f->today, f->today);
  g_assert_true (g_file_set_contents (bad, bad_text, -1, NULL));

  /* plain text: exit 0, the rows and the total, nothing written */
  {
    g_auto(TsyTestRun) r = { 0 };
    UNCHANGED (f, &r, "pay", "import", csv, "--user", "mia", "--dry-run");
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "CNY: 3 payments, total 3501.00"));
    g_assert_nonnull (strstr (r.out, "Dry run"));
    g_assert_cmpstr (r.err, ==, "");
  }

  /* JSON: rows with decimal strings, totals per currency, no refusal */
  {
    g_auto(TsyTestRun) r = { 0 };
    UNCHANGED (f, &r, "pay", "import", csv, "--user", "mia", "--dry-run", "--json");
    g_assert_cmpint (r.status, ==, 0);
    preview = json_of (g_steal_pointer (&r.out));
  }
  root = json_node_get_object (preview);
  g_assert_true (json_object_get_boolean_member (root, "would_import"));
  g_assert_true (json_object_get_null_member (root, "refusal"));
  g_assert_cmpstr (json_object_get_string_member (root, "file"), ==, "supplier.csv");
  rows = json_object_get_array_member (root, "rows");
  g_assert_cmpuint (json_array_get_length (rows), ==, 3);
  row = json_array_get_object_element (rows, 0);
  g_assert_cmpint (json_object_get_int_member (row, "line"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (row, "to_name"), ==, "甲公司");
  g_assert_cmpstr (json_object_get_string_member (row, "amount"), ==, "1000.10");
  g_assert_cmpstr (json_object_get_string_member (row, "to_bank"), ==, "工商银行深圳分行");
  g_assert_cmpstr (json_object_get_string_member (row, "date"), ==, f->today);
  row = json_array_get_object_element (rows, 2);
  g_assert_cmpstr (json_object_get_string_member (row, "amount"), ==, "0.85");
  g_assert_cmpstr (json_object_get_string_member (row, "currency"), ==, "CNY");
  totals = json_object_get_array_member (root, "totals");
  g_assert_cmpuint (json_array_get_length (totals), ==, 1);
  total = json_array_get_object_element (totals, 0);
  g_assert_cmpstr (json_object_get_string_member (total, "currency"), ==, "CNY");
  g_assert_cmpint (json_object_get_int_member (total, "count"), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (total, "total"), ==, "3501.00");

  /* a bad row: exit 1 with file, line and reason; JSON names them too; nothing written */
  FAILS (f, "bad.csv, line 3", "pay", "import", bad, "--user", "mia", "--dry-run");
  {
    g_auto(TsyTestRun) r = { 0 };
    UNCHANGED (f, &r, "pay", "import", bad, "--user", "mia", "--dry-run", "--json");
    g_assert_cmpint (r.status, ==, 1);
    g_assert_true (g_str_has_prefix (r.err, "treasury: bad.csv, line 3: "));
    refused = json_of (g_steal_pointer (&r.out));
  }
  root = json_node_get_object (refused);
  g_assert_false (json_object_get_boolean_member (root, "would_import"));
  refusal = json_object_get_object_member (root, "refusal");
  g_assert_nonnull (refusal);
  g_assert_cmpstr (json_object_get_string_member (refusal, "file"), ==, "bad.csv");
  g_assert_cmpint (json_object_get_int_member (refusal, "line"), ==, 3);
  g_assert_nonnull (strstr (json_object_get_string_member (refusal, "reason"), "more than zero"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "rows")), ==, 1);
  /* a user who may not make payments */
  FAILS (f, "role", "pay", "import", csv, "--user", "ada", "--dry-run");
  /* --json only with --dry-run */
  FAILS (f, NULL, "pay", "import", csv, "--user", "mia", "--json");

  /* the real import stores what the dry run showed */
  out = OUT (f, "pay", "import", csv, "--user", "mia", "--kind", "supplier");
  g_assert_true (g_str_has_prefix (out, "Batch 1: 3"));
  status = json_of (OUT (f, "pay", "status", "--json", "--batch", "1"));
  saved = json_node_get_array (status);
  g_assert_cmpuint (json_array_get_length (saved), ==, json_array_get_length (rows));
  for (guint i = 0; i < json_array_get_length (saved); i++)
    {
      JsonObject *p = json_array_get_object_element (saved, i);
      JsonObject *q = json_array_get_object_element (rows, i);
      g_assert_cmpstr (json_object_get_string_member (p, "amount"), ==, json_object_get_string_member (q, "amount"));
      g_assert_cmpstr (json_object_get_string_member (p, "currency"), ==, json_object_get_string_member (q, "currency"));
      g_assert_cmpstr (json_object_get_string_member (p, "to_account"), ==, json_object_get_string_member (q, "to_account"));
    }
  /* after it, the dry run sees the duplicates */
  FAILS (f, "confirm", "pay", "import", csv, "--user", "mia", "--dry-run");
  {
    g_auto(TsyTestRun) r = { 0 };
    UNCHANGED (f, &r, "pay", "import", csv, "--user", "mia", "--dry-run", "--confirm-duplicates");
    g_assert_cmpint (r.status, ==, 0);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  treasury = g_getenv ("TREASURY_BIN");
  if (treasury == NULL)
    {
      g_test_skip ("TREASURY_BIN is not set");
      return 77;
    }
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/ledger/cli-payments/users-and-policies", test_users_and_policies);
  ADD ("/ledger/cli-payments/make-approve-reject", test_make_approve_reject);
  ADD ("/ledger/cli-payments/import-batch", test_import_batch);
  ADD ("/ledger/cli-payments/import-dry-run", test_import_dry_run);
  return g_test_run ();
}
