/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Real bank files, end to end: parser → ledger, checked against ../shared/corpus/SOURCES.md's
 * answer key; re-imports and overlaps add nothing; files that do not add up are refused whole. */
#include <gio/gio.h>
#include <string.h>

#include "banks/tsy-statement-importer.h"
#include "ledger/tsy-account.h"
#include "ledger/tsy-bank.h"
#include "ledger/tsy-ledger-error.h"
#include "ledger/tsy-org.h"
#include "ledger/tsy-statement-lines.h"
#include "tsy-test-sink.h"

static const struct
{
  const char *number;
  const char *currency;
} accounts[] = {
  { "NL77INGB0574908765", "EUR" }, { "NL34RABO0142623393", "EUR" }, { "1966315302010001", "HUF" },
  { "PL29114010810000267002001002", "PLN" }, { "123456789", "USD" }, { "NL77ABNA0574908765", "EUR" },
  { "CH1111000000123456789", "CHF" }, { "NL26VAYB8060476890", "EUR" }, { "0975312468", "USD" },
  { "1452687~7", "USD" }, { "1234567890", "USD" }, { "12300000012345678", "CAD" }, { "123456", "USD" }, { "123412341234", "USD" },
};

static TsyStore *
new_store (void)
{
  g_autoptr(GError) error = NULL;
  TsyStore *store = tsy_store_open (":memory:", &error);

  g_assert_no_error (error);
  tsy_org_add (store, "G", "Group", NULL, &error);
  tsy_bank_add (store, "B", "Bank", NULL, NULL, NULL, &error);
  for (guint i = 0; i < G_N_ELEMENTS (accounts); i++)
    {
      TsyAccountSpec spec = { .number = accounts[i].number, .org_code = "G", .bank_code = "B",
                              .currency = accounts[i].currency, .local_number = TRUE };
      g_assert_cmpint (tsy_account_add (store, &spec, &error), >, 0);
    }
  g_assert_no_error (error);
  return store;
}

static gboolean
import (TsyStore *store, const char *rel, const char *account, TsyImportResult *r, GError **error)
{
  g_autofree char *path = tsy_test_corpus_path (rel);
  TsyImportOptions options = { .account = account };

  if (path == NULL)
    return FALSE;
  return tsy_statement_import_file (store, path, &options, r, NULL, error);
}

static gint64
balance_on (TsyStore *store, const char *number, int y, int m, int d)
{
  g_autoptr(TsyAccountInfo) a = tsy_account_lookup (store, number, NULL);
  gint64 minor = G_MININT64;
  TsyDate on = 0;

  g_assert_nonnull (a);
  g_assert_true (tsy_balance_get (store, a->id, tsy_date_from_ymd (y, m, d), &minor, &on, NULL));
  g_assert_cmpint (on, ==, tsy_date_from_ymd (y, m, d));
  return minor;
}

typedef struct
{
  const char *file;
  const char *account;         /* --account, or NULL */
  guint       statements;
  guint       lines;
  const char *balance_account;  /* a closing balance to check, or NULL */
  int         y, m, d;
  gint64      closing;
} Case;

static const Case good[] = {
  { "mt940/OCA_bank-statement-import_base-test-ing.940", NULL, 1, 8, "NL77INGB0574908765", 2014, 2, 20, 56435 },
  { "mt940/OCA_bank-statement-import_base-test-rabo.swi", NULL, 4, 2, "NL34RABO0142623393", 2014, 1, 7, 479891 },
  { "mt940/wolph_mt940_sberbank-171011_01234945.sta", NULL, 1, 3, "1966315302010001", 2017, 10, 11, 61787430 },
  { "mt940/wolph_mt940_mBank-mt940.sta", NULL, 1, 3, "PL29114010810000267002001002", 2017, 1, 19, 43 },
  { "mt940/wolph_mt940_citi-mt940.txt", NULL, 1, 5, "123456789", 2024, 3, 12, 1623392 },
  { "camt053/OCA_bank-statement-import_test-camt053-txdtls.xml", NULL, 1, 1, "CH1111000000123456789", 2017, 3, 23, 7944315 },
  { "camt053/genkgo_camt_camt053.v2.multi.statement.xml", NULL, 2, 2, NULL, 0, 0, 0, 0 },
  { "bai2/ministryofjustice_bai2_svb_us_example.bai2", NULL, 2, 2, NULL, 0, 0, 0, 0 },
  { "bai2/moov-io_bai2_spec-section3.txt", NULL, 1, 1, NULL, 0, 0, 0, 0 },
  { "ofx/jseutter_ofxparse_checking.ofx", NULL, 1, 3, "1452687~7", 2013, 5, 25, 10099 },
  { "ofx/jseutter_ofxparse_bank_medium.ofx", NULL, 1, 3, NULL, 0, 0, 0, 0 },
  { "ofx/OCA_bank-statement-import_test_ofx.ofx", NULL, 2, 4, NULL, 0, 0, 0, 0 },
};

static void
test_answer_key (void)
{
  g_autoptr(TsyStore) store = new_store ();

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      TsyImportResult r = { 0 };
      g_autofree char *path = tsy_test_corpus_path (good[i].file);

      if (path == NULL)
        return;
      if (!import (store, good[i].file, good[i].account, &r, &error))
        g_error ("%s: %s", good[i].file, error->message);
      g_assert_cmpuint (r.statements, ==, good[i].statements);
      g_assert_cmpuint (r.new_lines, ==, good[i].lines);
      g_assert_cmpuint (r.present_lines, ==, 0);
      tsy_import_result_clear (&r);
      if (good[i].balance_account != NULL)
        g_assert_cmpint (balance_on (store, good[i].balance_account, good[i].y, good[i].m, good[i].d), ==,
                         good[i].closing);

      /* the same file again adds nothing and says so */
      g_assert_true (import (store, good[i].file, good[i].account, &r, &error));
      g_assert_cmpuint (r.new_lines, ==, 0);
      g_assert_cmpuint (r.present_lines, ==, good[i].lines);
      tsy_import_result_clear (&r);
    }
}

static void
test_same_data_other_file (void)
{
  g_autoptr(TsyStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  TsyImportResult r = { 0 };
  guint64 n = 0;

  /* nl_ing-test-ing.940 holds the same data as base-test-ing.940 in another file */
  if (!import (store, "mt940/OCA_bank-statement-import_base-test-ing.940", NULL, &r, &error))
    {
      g_assert_no_error (error);
      return;
    }
  tsy_import_result_clear (&r);
  g_assert_true (import (store, "mt940/OCA_bank-statement-import_nl_ing-test-ing.940", NULL, &r, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (r.new_lines, ==, 0);
  g_assert_cmpuint (r.present_lines, ==, 8);
  tsy_import_result_clear (&r);
  g_assert_true (tsy_lines_count (store, NULL, &n, NULL));
  g_assert_cmpuint (n, ==, 8);
}

static void
test_refused_whole (void)
{
  static const struct { const char *file; const char *needle; } bad[] = {
    /* balances that do not add up (SOURCES.md): refused with the statement and the difference */
    { "camt053/OCA_bank-statement-import_test-camt053.xml", "1234Test/1" },
    { "mt940/wolph_mt940_jejik-abnamro.sta", NULL },
    /* malformed files */
    { "bai2/moov-io_bai2_sample-parseError.txt", "moov-io_bai2_sample-parseError.txt" },
    { "ofx/OCA_bank-statement-import_test_ofx_wrong.ofx", "test_ofx_wrong.ofx" },
    { "camt052/hbci4j_hbci4java_test-camt-parse-invalid.xml", "test-camt-parse-invalid.xml" },
  };
  g_autoptr(TsyStore) store = new_store ();

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      TsyImportResult r = { 0 };
      guint64 n = 1;
      g_autofree char *path = tsy_test_corpus_path (bad[i].file);

      if (path == NULL)
        return;
      if (import (store, bad[i].file, NULL, &r, &error))
        g_error ("%s was imported but should be refused", bad[i].file);
      g_assert_nonnull (error);
      if (bad[i].needle != NULL && strstr (error->message, bad[i].needle) == NULL)
        g_error ("%s: message lacks “%s”: %s", bad[i].file, bad[i].needle, error->message);
      g_assert_true (tsy_lines_count (store, NULL, &n, NULL));
      g_assert_cmpuint (n, ==, 0);   /* nothing stored */
    }
}

static void
test_unbalanced_names_difference (void)
{
  g_autoptr(TsyStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  TsyImportResult r = { 0 };
  g_autofree char *path = tsy_test_corpus_path ("camt053/OCA_bank-statement-import_test-camt053.xml");

  if (path == NULL)
    return;
  g_assert_false (import (store, "camt053/OCA_bank-statement-import_test-camt053.xml", NULL, &r, &error));
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_UNBALANCED);
  /* 15568.27 − 12.99 = 15555.28, the bank says 15121.12: a difference of −434.16 */
  g_assert_nonnull (strstr (error->message, "-434.16"));
}

static void
test_statement_without_entries (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyStore) store = tsy_store_open (":memory:", &error);
  TsyImportResult r = { 0 };
  g_autofree char *path = tsy_test_corpus_path ("camt053/OCA_bank-statement-import_test-camt053-no-ntry.xml");

  if (path == NULL)
    return;
  /* the sample's IBAN is the one of another sample, here in CHF */
  tsy_org_add (store, "G", "Group", NULL, &error);
  tsy_bank_add (store, "B", "Bank", NULL, NULL, NULL, &error);
  g_assert_cmpint (tsy_account_add (store, &(TsyAccountSpec) { .number = "NL77ABNA0574908765",
                   .org_code = "G", .bank_code = "B", .currency = "CHF" }, &error), >, 0);
  g_assert_true (import (store, "camt053/OCA_bank-statement-import_test-camt053-no-ntry.xml", NULL, &r, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (r.statements, ==, 1);
  g_assert_cmpuint (r.new_lines, ==, 0);
  tsy_import_result_clear (&r);
  g_assert_cmpint (balance_on (store, "NL77ABNA0574908765", 2014, 1, 5), ==, 152076);
}

static void
test_unknown_account (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyStore) store = tsy_store_open (":memory:", &error);
  TsyImportResult r = { 0 };
  g_autofree char *path = tsy_test_corpus_path ("mt940/wolph_mt940_mBank-mt940.sta");

  if (path == NULL)
    return;
  g_assert_false (import (store, "mt940/wolph_mt940_mBank-mt940.sta", NULL, &r, &error));
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "1002"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/banks/import/answer-key", test_answer_key);
  g_test_add_func ("/banks/import/same-data-other-file", test_same_data_other_file);
  g_test_add_func ("/banks/import/refused-whole", test_refused_whole);
  g_test_add_func ("/banks/import/unbalanced-difference", test_unbalanced_names_difference);
  g_test_add_func ("/banks/import/unknown-account", test_unknown_account);
  g_test_add_func ("/banks/import/statement-without-entries", test_statement_without_entries);
  return g_test_run ();
}
