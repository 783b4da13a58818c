/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "banks/tsy-payment-sender.h"
#include "banks/tsy-payment-signer.h"
#include "ledger/tsy-account.h"
#include "ledger/tsy-bank.h"
#include "ledger/tsy-org.h"
#include "ledger/tsy-outbox.h"
#include "ledger/tsy-user.h"
#include "tsy-test-payments.h"

TsyStore *
tsy_test_payment_store (const char        *dir,
                        const char *const *accounts)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = g_build_filename (dir, "t.db", NULL);
  TsyStore *store = tsy_store_open (db, &error);
  TsyAccountSpec a = { .org_code = "G", .bank_code = "ICBC", .currency = "CNY" };

  g_assert_no_error (error);
  g_assert_cmpint (tsy_org_add (store, "G", "华夏控股集团有限公司", NULL, &error), >, 0);
  g_assert_cmpint (tsy_bank_add (store, "ICBC", "中国工商银行", "ICBKCNBJ", "102100099996", "CN", &error), >, 0);
  for (guint i = 0; accounts[i] != NULL; i++)
    {
      a.number = accounts[i];
      g_assert_cmpint (tsy_account_add (store, &a, &error), >, 0);
    }
  g_assert_cmpint (tsy_user_create (store, "mia", TSY_ROLE_MAKER, NULL, NULL, "maker passphrase", "t", &error), >, 0);
  g_assert_cmpint (tsy_user_create (store, "ada", TSY_ROLE_APPROVER, NULL, NULL, "approver passphrase", "t", &error), >, 0);
  g_assert_no_error (error);
  return store;
}

gint64
tsy_test_payment_approved (TsyStore   *store,
                           const char *from,
                           const char *to,
                           gint64      amount)
{
  g_autoptr(GError) error = NULL;
  TsyPaymentSpec spec = { .debtor_account = from, .creditor_name = "深圳市供应商有限公司",
                          .creditor_account = to, .amount_minor = amount, .currency = "CNY",
                          .execution_date = tsy_date_today (), .remittance = "INV-2026-004512",
                          .confirm_duplicate = TRUE };
  gint64 id = tsy_payment_create (store, &spec, "mia", &error);

  g_assert_no_error (error);
  g_assert_true (tsy_payment_submit (store, id, "mia", &error));
  g_assert_true (tsy_payment_sign_approve (store, &id, 1, "ada", "approver passphrase", NULL, &error));
  g_assert_no_error (error);
  return id;
}

TsyPaymentInfo *
tsy_test_payment_lookup (TsyStore *store,
                         gint64    id)
{
  g_autoptr(GError) error = NULL;
  TsyPaymentInfo *p = tsy_payment_lookup (store, id, &error);

  g_assert_no_error (error);
  return p;
}

TsyPaymentInfo *
tsy_test_payment_wait_answer (TsyStore *store,
                              gint64    id,
                              guint     interval_ms,
                              guint     timeout_s)
{
  TsyPaymentInfo *p = tsy_test_payment_lookup (store, id);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;

  while (p->status == TSY_PAYMENT_SENT && g_get_monotonic_time () < deadline)
    {
      g_autoptr(GError) error = NULL;
      TsySendReport report = { 0 };

      g_usleep ((gulong) interval_ms * 1000);
      g_assert_true (tsy_payment_work_outbox (store, "sender", &report, NULL, &error));
      g_assert_no_error (error);
      tsy_payment_info_free (p);
      p = tsy_test_payment_lookup (store, id);
    }
  return p;
}

GBytes *
tsy_test_fetch_intraday_naming (TsyBankConnector *connector,
                                const char       *account,
                                const char       *e2e,
                                guint             interval_ms,
                                guint             timeout_s)
{
  g_autoptr(GError) error = NULL;
  GBytes *doc = NULL;
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;

  do
    {
      g_clear_pointer (&doc, g_bytes_unref);
      g_clear_error (&error);
      doc = tsy_bank_connector_fetch_statement (connector, account, TSY_STATEMENT_KIND_INTRADAY,
                                                tsy_date_today (), NULL, &error);
      if (doc != NULL && g_strstr_len (g_bytes_get_data (doc, NULL), (gssize) g_bytes_get_size (doc),
                                       e2e) != NULL)
        break;
      g_usleep ((gulong) interval_ms * 1000);
    }
  while (g_get_monotonic_time () < deadline);
  g_assert_no_error (error);
  g_assert_nonnull (doc);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (doc, NULL), (gssize) g_bytes_get_size (doc), e2e));
  return doc;
}
