/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Payments in the ledger: checks before saving, maker-checker, digests, the outbox and the
 * bank's answers. Signatures are opaque bytes here (the ledger never verifies them: banks does,
 * tested in tests/banks/test-crypto.c and test-payments-send.c). */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "ledger/tsy-account.h"
#include "ledger/tsy-audit.h"
#include "ledger/tsy-bank.h"
#include "ledger/tsy-bank-channel.h"
#include "ledger/tsy-book.h"
#include "ledger/tsy-ledger-error.h"
#include "ledger/tsy-money.h"
#include "ledger/tsy-org.h"
#include "ledger/tsy-outbox.h"
#include "ledger/tsy-payment.h"
#include "ledger/tsy-policy.h"
#include "ledger/tsy-statement-import.h"
#include "ledger/tsy-store-private.h"
#include "ledger/tsy-user.h"

#define LIMITED "6222000011112222"     /* CNY, daily limit 2,000,000.00 */
#define FREE_CNY "6222000033334444"    /* CNY, no limit */
#define USD_ACCT "778866001234"
#define FROZEN "6222000055556666"
#define IBAN_OK "DE89370400440532013000"

typedef struct
{
  TsyStore *store;
  TsyDate   today;
} Fixture;

static GBytes *
fake_key (const char *seed)
{
  /* A stand-in public key: 65 bytes derived from @seed, distinct per user. */
  guint8 buf[65];
  g_autofree char *hex = g_compute_checksum_for_string (G_CHECKSUM_SHA256, seed, -1);

  for (guint i = 0; i < sizeof buf; i++)
    buf[i] = (guint8) hex[i % 64] ^ (guint8) i;
  return g_bytes_new (buf, sizeof buf);
}

static GBytes *
fake_signature (void)
{
  static const guint8 sig[] = { 0x30, 0x44, 0x02, 0x20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
  return g_bytes_new_static (sig, sizeof sig);
}

static void
add_user (Fixture *f, const char *name, TsyRoles roles)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) key = fake_key (name);

  g_assert_cmpint (tsy_user_add (f->store, name, roles, key, NULL, "test", &error), >, 0);
  g_assert_no_error (error);
}

static void
add_account (Fixture *f, const char *number, const char *org, const char *ccy,
             gint64 limit, TsyAccountStatus status)
{
  g_autoptr(GError) error = NULL;
  TsyAccountSpec spec = { .number = number, .org_code = org, .bank_code = "ICBC",
                          .currency = ccy, .status = status,
                          .has_daily_limit = limit > 0, .daily_limit_minor = limit };

  g_assert_cmpint (tsy_account_add (f->store, &spec, &error), >, 0);
  g_assert_no_error (error);
}

static void
populate (Fixture *f, const char *path)
{
  g_autoptr(GError) error = NULL;

  f->store = tsy_store_open (path, &error);
  g_assert_no_error (error);
  f->today = tsy_date_today ();
  g_assert_cmpint (tsy_org_add (f->store, "G", "Group", NULL, &error), >, 0);
  g_assert_cmpint (tsy_org_add (f->store, "S", "Subsidiary", "G", &error), >, 0);
  g_assert_cmpint (tsy_bank_add (f->store, "ICBC", "ICBC", "ICBKCNBJ", NULL, "CN", &error), >, 0);
  g_assert_no_error (error);
  add_account (f, LIMITED, "S", "CNY", 200000000, TSY_ACCOUNT_STATUS_OPEN);
  add_account (f, FREE_CNY, "G", "CNY", 0, TSY_ACCOUNT_STATUS_OPEN);
  add_account (f, USD_ACCT, "G", "USD", 0, TSY_ACCOUNT_STATUS_OPEN);
  add_account (f, FROZEN, "G", "CNY", 0, TSY_ACCOUNT_STATUS_FROZEN);
  add_user (f, "mia", TSY_ROLE_MAKER);
  add_user (f, "max", TSY_ROLE_MAKER);
  add_user (f, "alan", TSY_ROLE_APPROVER);
  add_user (f, "ada", TSY_ROLE_APPROVER);
  add_user (f, "root", TSY_ROLE_ADMIN);
  add_user (f, "carl", TSY_ROLE_ACCOUNTANT);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  populate (f, ":memory:");
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->store);
}

static TsyPaymentSpec
spec_for (Fixture *f, const char *from, gint64 amount)
{
  TsyPaymentSpec spec = {
    .debtor_account = from,
    .creditor_name = "深圳市供应商有限公司",
    .creditor_account = "4000023009200012345",
    .creditor_cnaps = "102584002302",
    .amount_minor = amount,
    .currency = "CNY",
    .execution_date = f->today,
    .remittance = "INV-2026-004512",
    .purpose = "SUPP",
    .category = "OP-PURCHASE",
  };
  return spec;
}

static gint64
make (Fixture *f, const TsyPaymentSpec *spec)
{
  g_autoptr(GError) error = NULL;
  gint64 id = tsy_payment_create (f->store, spec, "mia", &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static TsyPaymentStatus
status_of (Fixture *f, gint64 id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyPaymentInfo) info = tsy_payment_lookup (f->store, id, &error);

  g_assert_no_error (error);
  return info->status;
}

static char *
digest_of (Fixture *f, gint64 id)
{
  g_autoptr(TsyPaymentInfo) info = tsy_payment_lookup (f->store, id, NULL);
  return tsy_payment_digest_hex (info);
}

static gboolean
approve (Fixture *f, gint64 id, const char *user, GError **error)
{
  g_autofree char *digest = digest_of (f, id);
  g_autoptr(GBytes) sig = fake_signature ();

  return tsy_payment_approve (f->store, id, user, digest, sig, NULL, error);
}

static gint64
count_rows (Fixture *f, const char *sql)
{
  sqlite3_stmt *stmt = tsy_store_prepare (f->store, sql, NULL);
  gint64 n;

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

static void
test_roles_and_users (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyUserInfo) ada = NULL;
  g_autoptr(GBytes) key = fake_key ("alan");
  g_autoptr(GBytes) other = fake_key ("eve");
  g_autofree char *text = NULL;
  TsyRoles roles = 0;

  g_assert_true (tsy_roles_parse ("approver, admin", &roles, &error));
  g_assert_cmpint (roles, ==, TSY_ROLE_APPROVER | TSY_ROLE_ADMIN);
  text = tsy_roles_to_string (roles);
  g_assert_cmpstr (text, ==, "approver,admin");
  g_assert_false (tsy_roles_parse ("boss", &roles, &error));
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID);
  g_clear_error (&error);

  ada = tsy_user_lookup (f->store, "ada", &error);
  g_assert_no_error (error);
  g_assert_cmpint (ada->roles, ==, TSY_ROLE_APPROVER);
  g_assert_cmpuint (strlen (ada->key_id), ==, 64);

  /* the same name twice, and someone else's key under a new name: refused */
  g_assert_cmpint (tsy_user_add (f->store, "ada", TSY_ROLE_MAKER, other, NULL, "t", &error), ==, 0);
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DUPLICATE);
  g_clear_error (&error);
  g_assert_cmpint (tsy_user_add (f->store, "alan2", TSY_ROLE_APPROVER, key, NULL, "t", &error), ==, 0);
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DUPLICATE);
  g_clear_error (&error);
  g_assert_cmpint (tsy_user_add (f->store, "bad name", TSY_ROLE_MAKER, other, NULL, "t", &error), ==, 0);
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID);
  g_clear_error (&error);
  /* a Chinese name is a name */
  g_assert_cmpint (tsy_user_add (f->store, "王芳", TSY_ROLE_MAKER, other, NULL, "t", &error), >, 0);
  g_assert_no_error (error);
}

static void
expect_refused (Fixture *f, const TsyPaymentSpec *spec, int code, const char *needle)
{
  g_autoptr(GError) error = NULL;
  gint64 before = count_rows (f, "SELECT count(*) FROM payment");

  g_assert_cmpint (tsy_payment_create (f->store, spec, "mia", &error), ==, 0);
  g_assert_error (error, TSY_LEDGER_ERROR, code);
  if (needle != NULL && strstr (error->message, needle) == NULL)
    g_error ("“%s” lacks “%s”", error->message, needle);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM payment"), ==, before);
}

static void
test_checks_before_saving (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  TsyPaymentSpec spec;

  spec = spec_for (f, FROZEN, 100);
  expect_refused (f, &spec, TSY_LEDGER_ERROR_DENIED, "frozen");
  spec = spec_for (f, "999999", 100);
  expect_refused (f, &spec, TSY_LEDGER_ERROR_NOT_FOUND, NULL);
  spec = spec_for (f, USD_ACCT, 100);
  expect_refused (f, &spec, TSY_LEDGER_ERROR_CURRENCY_MISMATCH, "USD");
  spec = spec_for (f, FREE_CNY, 0);
  expect_refused (f, &spec, TSY_LEDGER_ERROR_INVALID, NULL);
  spec = spec_for (f, FREE_CNY, -5);
  expect_refused (f, &spec, TSY_LEDGER_ERROR_INVALID, NULL);
  spec = spec_for (f, FREE_CNY, 100);
  spec.creditor_account = "DE89370400440532013001";   /* bad check digits */
  expect_refused (f, &spec, TSY_LEDGER_ERROR_INVALID, NULL);
  spec = spec_for (f, FREE_CNY, 100);
  spec.creditor_bic = "ICBK1NBJ";
  expect_refused (f, &spec, TSY_LEDGER_ERROR_INVALID, NULL);
  spec = spec_for (f, FREE_CNY, 100);
  spec.creditor_cnaps = "12345";
  expect_refused (f, &spec, TSY_LEDGER_ERROR_INVALID, "CNAPS");
  spec = spec_for (f, FREE_CNY, 100);
  spec.execution_date = tsy_date_add_days (f->today, -1);
  expect_refused (f, &spec, TSY_LEDGER_ERROR_INVALID, "past");
  spec = spec_for (f, FREE_CNY, 100);
  spec.purpose = "supplier";
  expect_refused (f, &spec, TSY_LEDGER_ERROR_INVALID, NULL);
  spec = spec_for (f, FREE_CNY, 100);
  spec.creditor_account = FREE_CNY;
  expect_refused (f, &spec, TSY_LEDGER_ERROR_INVALID, NULL);
  spec = spec_for (f, FREE_CNY, 100);
  spec.creditor_name = "";
  expect_refused (f, &spec, TSY_LEDGER_ERROR_INVALID, NULL);

  /* a valid IBAN and BIC pass */
  spec = spec_for (f, FREE_CNY, 100);
  spec.creditor_account = "DE89 3704 0044 0532 0130 00";
  spec.creditor_bic = "COBADEFFXXX";
  spec.creditor_cnaps = NULL;
  make (f, &spec);

  /* an account number in an error message is masked */
  spec = spec_for (f, USD_ACCT, 100);
  g_assert_cmpint (tsy_payment_create (f->store, &spec, "mia", &error), ==, 0);
  g_assert_null (strstr (error->message, USD_ACCT));
  g_clear_error (&error);

  /* only makers (and admins) make payments */
  spec = spec_for (f, FREE_CNY, 777);
  g_assert_cmpint (tsy_payment_create (f->store, &spec, "alan", &error), ==, 0);
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DENIED);
}

static void
test_daily_limit (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  TsyPaymentSpec spec;
  gint64 a, b;

  spec = spec_for (f, LIMITED, 150000000);
  a = make (f, &spec);
  spec = spec_for (f, LIMITED, 50000000);
  spec.creditor_account = "4000023009200099999";
  b = make (f, &spec);                           /* exactly the limit: allowed */
  spec = spec_for (f, LIMITED, 1);
  spec.creditor_account = "4000023009200077777";
  expect_refused (f, &spec, TSY_LEDGER_ERROR_DENIED, "daily limit");
  /* another day has its own limit */
  spec.execution_date = tsy_date_add_days (f->today, 1);
  make (f, &spec);
  /* a rejected payment frees its part of the limit */
  g_assert_true (tsy_payment_reject (f->store, b, "mia", "wrong amount", &error));
  g_assert_no_error (error);
  spec = spec_for (f, LIMITED, 50000000);
  spec.creditor_account = "4000023009200088888";
  make (f, &spec);
  (void) a;
}

static void
test_whitelist (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  TsyPaymentSpec spec = spec_for (f, FREE_CNY, 1000);

  make (f, &spec);                               /* no whitelist: anyone */
  g_assert_true (tsy_whitelist_add (f->store, FREE_CNY, "4000023009200055555", "甲公司", "root", &error));
  g_assert_no_error (error);
  spec.amount_minor = 2000;
  expect_refused (f, &spec, TSY_LEDGER_ERROR_DENIED, "whitelist");
  spec.creditor_account = "4000 0230 0920 0055 555";
  make (f, &spec);
}

static void
test_duplicates_need_confirmation (Fixture *f, gconstpointer data)
{
  TsyPaymentSpec spec = spec_for (f, FREE_CNY, 123456);

  make (f, &spec);
  spec.execution_date = tsy_date_add_days (f->today, 3);
  expect_refused (f, &spec, TSY_LEDGER_ERROR_DUPLICATE, "confirm");
  spec.confirm_duplicate = TRUE;
  make (f, &spec);
  /* a different amount is no duplicate */
  spec.confirm_duplicate = FALSE;
  spec.amount_minor = 123457;
  make (f, &spec);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM audit_event WHERE detail LIKE '%duplicate-confirmed%'"), ==, 1);
}

static void
test_maker_checker (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) sig = fake_signature ();
  g_autofree char *digest = NULL;
  TsyPaymentSpec spec = spec_for (f, FREE_CNY, 50000);
  TsyPaymentStatus status;
  gint64 id = make (f, &spec);
  sqlite3_stmt *stmt;

  /* nobody approves a draft; only its maker submits it */
  g_assert_false (approve (f, id, "alan", &error));
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_false (tsy_payment_submit (f->store, id, "max", &error));
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_true (tsy_payment_submit (f->store, id, "mia", &error));
  g_assert_no_error (error);
  g_assert_cmpint (status_of (f, id), ==, TSY_PAYMENT_SUBMITTED);

  /* the maker cannot approve, even if she were an approver */
  g_assert_false (approve (f, id, "mia", &error));
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DENIED);
  g_clear_error (&error);
  /* an accountant cannot approve */
  g_assert_false (approve (f, id, "carl", &error));
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DENIED);
  g_clear_error (&error);
  /* a signature over another digest is refused */
  g_assert_false (tsy_payment_approve (f->store, id, "alan", "00ff", sig, NULL, &error));
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID);
  g_clear_error (&error);

  /* no policy anywhere: one approval by somebody else */
  digest = digest_of (f, id);
  g_assert_true (tsy_payment_approve (f->store, id, "alan", digest, sig, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, TSY_PAYMENT_APPROVED);
  g_assert_cmpint (status_of (f, id), ==, TSY_PAYMENT_APPROVED);

  /* the rules hold in the schema too: a row that makes the maker an approver is refused */
  stmt = tsy_store_prepare (f->store,
      "INSERT INTO payment_approval (payment_id, user_id, key_id, digest, signature, at) "
      "SELECT id, maker_id, 'k', digest, x'00', 'now' FROM payment WHERE id = ?1", NULL);
  sqlite3_bind_int64 (stmt, 1, id);
  g_assert_cmpint (sqlite3_step (stmt) & 0xff, ==, SQLITE_CONSTRAINT);
  sqlite3_reset (stmt);
  /* and the content of a submitted payment cannot change */
  g_assert_false (tsy_store_exec (f->store, "UPDATE payment SET amount_minor = 1", &error));
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID);
}

static void
test_bands_and_roles (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  TsyPaymentSpec spec;
  gint64 small, big, usd;
  TsyPaymentStatus status;
  g_autoptr(GBytes) sig = fake_signature ();

  /* Group: up to 1,000,000.00 one approval; up to 50,000,000.00 two, one of them an admin. */
  g_assert_true (tsy_policy_set (f->store, "G", "CNY", 100000000, 1, 0, "root", &error));
  g_assert_true (tsy_policy_set (f->store, "G", "CNY", 5000000000, 2, TSY_ROLE_ADMIN, "root", &error));
  g_assert_no_error (error);
  g_assert_false (tsy_policy_set (f->store, "G", "CNY", 100, 0, 0, "root", &error));
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID);
  g_clear_error (&error);

  spec = spec_for (f, FREE_CNY, 100000000);
  small = make (f, &spec);
  spec = spec_for (f, FREE_CNY, 100000001);
  big = make (f, &spec);
  g_assert_true (tsy_payment_submit (f->store, small, "mia", &error));
  g_assert_true (tsy_payment_submit (f->store, big, "mia", &error));
  g_assert_no_error (error);

  g_assert_true (approve (f, small, "alan", &error));
  g_assert_cmpint (status_of (f, small), ==, TSY_PAYMENT_APPROVED);

  /* two approvers without an admin are not enough; the same one twice counts once */
  g_assert_true (approve (f, big, "alan", &error));
  g_assert_false (approve (f, big, "alan", &error));
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_cmpint (status_of (f, big), ==, TSY_PAYMENT_SUBMITTED);
  g_assert_true (approve (f, big, "ada", &error));
  g_assert_cmpint (status_of (f, big), ==, TSY_PAYMENT_SUBMITTED);
  g_assert_true (approve (f, big, "root", &error));
  g_assert_no_error (error);
  g_assert_cmpint (status_of (f, big), ==, TSY_PAYMENT_APPROVED);

  /* the subsidiary inherits the group's bands; USD converts at the day's rate */
  spec = spec_for (f, LIMITED, 150000000);
  {
    gint64 id = make (f, &spec);
    g_autoptr(TsyPaymentInfo) info = NULL;
    g_assert_true (tsy_payment_submit (f->store, id, "mia", &error));
    g_assert_no_error (error);
    info = tsy_payment_lookup (f->store, id, &error);
    g_assert_cmpuint (info->required_approvals, ==, 2);
    g_assert_cmpstr (info->required_role, ==, "admin");
  }
  spec = spec_for (f, USD_ACCT, 20000000);       /* 200,000.00 USD */
  spec.currency = "USD";
  usd = make (f, &spec);
  g_assert_false (tsy_payment_submit (f->store, usd, "mia", &error));
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_MISSING_RATE);
  g_clear_error (&error);
  g_assert_true (tsy_fx_set (f->store, "USD", "CNY", "7.1", f->today, &error));
  g_assert_true (tsy_payment_submit (f->store, usd, "mia", &error));
  g_assert_no_error (error);
  g_assert_true (tsy_payment_approve (f->store, usd, "alan", digest_of (f, usd), sig, &status, &error));
  g_assert_cmpint (status, ==, TSY_PAYMENT_SUBMITTED);   /* 1,420,000 CNY: the two-person band */

  /* above every band: refused at submission */
  spec = spec_for (f, FREE_CNY, 5000000001);
  {
    gint64 id = make (f, &spec);
    g_assert_false (tsy_payment_submit (f->store, id, "mia", &error));
    g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DENIED);
    g_assert_cmpint (status_of (f, id), ==, TSY_PAYMENT_DRAFT);
  }
}

static void
test_digest_covers_money_fields (Fixture *f, gconstpointer data)
{
  TsyPaymentSpec spec = spec_for (f, FREE_CNY, 50000);
  gint64 id = make (f, &spec);
  g_autoptr(TsyPaymentInfo) info = tsy_payment_lookup (f->store, id, NULL);
  g_autofree char *base = tsy_payment_digest_hex (info);
  g_autofree char *saved = NULL;
  char **fields[] = { &info->creditor_name, &info->creditor_account, &info->creditor_cnaps,
                      &info->remittance, &info->end_to_end_id, &info->debtor_account,
                      &info->purpose, &info->creditor_bic, &info->creditor_bank };

  g_assert_cmpuint (strlen (base), ==, 64);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *d = NULL;
      saved = *fields[i];
      *fields[i] = g_strconcat (saved ? saved : "", "x", NULL);
      d = tsy_payment_digest_hex (info);
      g_assert_cmpstr (d, !=, base);
      g_free (*fields[i]);
      *fields[i] = g_steal_pointer (&saved);
    }
  info->amount_minor++;
  {
    g_autofree char *d = tsy_payment_digest_hex (info);
    g_assert_cmpstr (d, !=, base);
  }
  info->amount_minor--;
  info->execution_date++;
  {
    g_autofree char *d = tsy_payment_digest_hex (info);
    g_assert_cmpstr (d, !=, base);
  }
  info->execution_date--;
  info->urgency = TSY_URGENCY_URGENT;
  {
    g_autofree char *d = tsy_payment_digest_hex (info);
    g_assert_cmpstr (d, !=, base);
  }
  info->urgency = TSY_URGENCY_NORMAL;
  /* the internal category moves no money */
  g_free (info->category);
  info->category = g_strdup ("OTHER");
  {
    g_autofree char *d = tsy_payment_digest_hex (info);
    g_assert_cmpstr (d, ==, base);
  }
  /* length prefixes: moving text between two fields changes the digest */
  g_free (info->remittance);
  info->remittance = g_strdup ("");
  g_free (info->purpose);
  info->purpose = g_strdup ("INV-2026-004512");
  {
    g_autofree char *d = tsy_payment_digest_hex (info);
    g_assert_cmpstr (d, !=, base);
  }
}

static void
test_audit_trail (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  TsyPaymentSpec spec = spec_for (f, FREE_CNY, 4200);
  gint64 id = make (f, &spec);
  g_autofree char *subject = g_strdup_printf ("payment:%" G_GINT64_FORMAT, id);
  sqlite3_stmt *stmt;
  g_autoptr(GPtrArray) actions = g_ptr_array_new_with_free_func (g_free);

  g_assert_true (tsy_payment_submit (f->store, id, "mia", &error));
  g_assert_true (tsy_payment_reject (f->store, id, "ada", "不需要", &error));
  g_assert_no_error (error);
  g_assert_false (tsy_payment_submit (f->store, id, "mia", &error));
  g_clear_error (&error);

  stmt = tsy_store_prepare (f->store,
      "SELECT actor || ' ' || action || ' ' || detail FROM audit_event WHERE subject = ?1 ORDER BY id", NULL);
  tsy_store_bind_text (stmt, 1, subject);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (actions, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  g_assert_cmpuint (actions->len, ==, 4);
  g_assert_true (g_str_has_prefix (actions->pdata[0], "mia payment.create draft"));
  g_assert_true (g_str_has_prefix (actions->pdata[1], "mia payment.status draft -> submitted"));
  g_assert_true (g_str_has_prefix (actions->pdata[2], "mia payment.submit digest="));
  g_assert_true (g_str_has_prefix (actions->pdata[3], "ada payment.status submitted -> rejected"));
  g_assert_nonnull (strstr (actions->pdata[3], "不需要"));
}

static void
test_batch_all_or_nothing (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  TsyPaymentSpec specs[3];
  gint64 batch;
  g_autoptr(GArray) ids = NULL;

  specs[0] = spec_for (f, LIMITED, 100000000);
  specs[1] = spec_for (f, LIMITED, 60000000);
  specs[1].creditor_account = "4000023009200011111";
  specs[2] = spec_for (f, LIMITED, 60000000);      /* together above the daily limit */
  specs[2].creditor_account = "4000023009200022222";
  g_assert_cmpint (tsy_payment_create_batch (f->store, TSY_BATCH_PAYROLL, "工资 11月", specs, 3, "mia", &error), ==, 0);
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DENIED);
  g_assert_nonnull (strstr (error->message, "3"));
  g_clear_error (&error);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM payment"), ==, 0);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM payment_batch"), ==, 0);

  /* a duplicate inside the batch */
  specs[0].amount_minor = 10000000;
  specs[2] = specs[1];
  g_assert_cmpint (tsy_payment_create_batch (f->store, TSY_BATCH_PAYROLL, NULL, specs, 3, "mia", &error), ==, 0);
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DUPLICATE);
  g_clear_error (&error);

  specs[2].amount_minor = 40000000;
  specs[2].creditor_account = "4000023009200033333";
  batch = tsy_payment_create_batch (f->store, TSY_BATCH_PAYROLL, NULL, specs, 3, "mia", &error);
  g_assert_no_error (error);
  ids = tsy_payment_batch_ids (f->store, batch, &error);
  g_assert_cmpuint (ids->len, ==, 3);

  /* the band of a batch's payment is decided by the batch's total */
  g_assert_true (tsy_policy_set (f->store, "G", "CNY", 100000000, 1, 0, "root", &error));
  g_assert_true (tsy_policy_set (f->store, "G", "CNY", 900000000, 2, 0, "root", &error));
  g_assert_true (tsy_payment_submit (f->store, g_array_index (ids, gint64, 2), "mia", &error));
  g_assert_no_error (error);
  {
    g_autoptr(TsyPaymentInfo) info = tsy_payment_lookup (f->store, g_array_index (ids, gint64, 2), NULL);
    g_assert_cmpuint (info->required_approvals, ==, 2);
  }
}

static void
test_csv_import (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tsy-pay-XXXXXX", NULL);
  g_autofree char *good = g_build_filename (dir, "payroll.csv", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.csv", NULL);
  g_autofree char *day = tsy_date_to_iso (f->today);
  g_autofree char *text = NULL;
  g_autofree char *bad_text = NULL;
  guint n = 0;
  gint64 batch;

  text = g_strdup_printf ("\xEF\xBB\xBF" "from,to_name,to_account,to_bank,amount,currency,date,text,purpose\r\n"
                          FREE_CNY ",张三,6222020200112233445,工商银行深圳分行,8500.00,CNY,%s,\"11月工资, 奖金\",SALA\r\n"
                          FREE_CNY ",李四,6222020200112233446,工商银行深圳分行,9200.50,cny,%s,11月工资,SALA\r\n"
                          "\r\n", day, day);
  g_assert_true (g_file_set_contents (good, text, -1, NULL));
  batch = tsy_payment_import_csv (f->store, good, TSY_BATCH_PAYROLL, FALSE, "mia", &n, &error);
  g_assert_no_error (error);
  g_assert_cmpint (batch, >, 0);
  g_assert_cmpuint (n, ==, 2);
  {
    g_autoptr(GArray) ids = tsy_payment_batch_ids (f->store, batch, NULL);
    g_autoptr(TsyPaymentInfo) first = tsy_payment_lookup (f->store, g_array_index (ids, gint64, 0), NULL);
    g_autoptr(TsyPaymentInfo) second = tsy_payment_lookup (f->store, g_array_index (ids, gint64, 1), NULL);
    g_assert_cmpstr (first->remittance, ==, "11月工资, 奖金");
    g_assert_cmpint (first->amount_minor, ==, 850000);
    g_assert_cmpint (second->amount_minor, ==, 920050);
    g_assert_cmpstr (second->currency, ==, "CNY");
  }

  /* a bad row refuses the whole file, naming its line */
  bad_text = g_strdup_printf ("from,to_name,to_account,amount,currency,date\n"
                              FREE_CNY ",王五,6222020200112233447,100.00,CNY,%s\n"
                              FREE_CNY ",赵六,6222020200112233448,1.234,CNY,%s\n", day, day);
  g_assert_true (g_file_set_contents (bad, bad_text, -1, NULL));
  g_assert_cmpint (tsy_payment_import_csv (f->store, bad, TSY_BATCH_PAYROLL, FALSE, "mia", &n, &error), ==, 0);
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "line 3"));
  g_clear_error (&error);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM payment"), ==, 2);

  /* the same file again: duplicates, refused without confirmation */
  g_assert_cmpint (tsy_payment_import_csv (f->store, good, TSY_BATCH_PAYROLL, FALSE, "mia", &n, &error), ==, 0);
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DUPLICATE);
  g_clear_error (&error);

  g_unlink (good);
  g_unlink (bad);
  g_rmdir (dir);
}

/* Rows changed since the connection opened: the proof that a preview wrote nothing. */
static int
changes (Fixture *f)
{
  return sqlite3_total_changes (tsy_store_get_db (f->store));
}

static char *
write_file (const char *dir, const char *name, const char *text, gssize len)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, len, NULL));
  return path;
}

static TsyPaymentPreview *
preview_of (Fixture *f, const char *path, gboolean confirm, const char *maker)
{
  g_autoptr(GError) error = NULL;
  int before = changes (f);
  TsyPaymentPreview *preview = tsy_payment_preview_csv (f->store, path, confirm, maker, &error);

  g_assert_no_error (error);
  g_assert_nonnull (preview);
  g_assert_cmpint (changes (f), ==, before);
  g_assert_false (tsy_store_in_transaction (f->store));
  return preview;
}

static const TsyPaymentPreviewTotal *
total_in (const TsyPaymentPreview *preview, const char *currency)
{
  for (guint i = 0; i < preview->totals->len; i++)
    if (strcmp (g_array_index (preview->totals, TsyPaymentPreviewTotal, i).currency, currency) == 0)
      return &g_array_index (preview->totals, TsyPaymentPreviewTotal, i);
  return NULL;
}

static void
test_csv_preview (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tsy-pay-XXXXXX", NULL);
  g_autofree char *day = tsy_date_to_iso (f->today);
  g_autofree char *text = NULL;
  g_autofree char *path = NULL;
  g_autoptr(TsyPaymentPreview) preview = NULL;
  g_autoptr(GArray) ids = NULL;
  const TsyPaymentPreviewTotal *cny, *usd;
  gint64 cny_sum = 0;
  guint n = 0;
  gint64 batch;

  /* a quoted field with a comma and a blank line: rows start on lines 2, 3 and 5 */
  text = g_strdup_printf ("from,to_name,to_account,to_bic,to_bank,amount,currency,date,text,purpose,category,urgency\n"
                          FREE_CNY ",张三,6222 0202 0011 2233 445,,工商银行深圳分行,8500.00,CNY,%s,\"11月工资, 奖金\",SALA,PAYROLL,\n"
                          FREE_CNY ",李四,6222020200112233446,,,9200.50,cny,%s,11月工资,SALA,,加急\n"
                          "\n"
                          USD_ACCT ",Muster GmbH," IBAN_OK ",COBADEFFXXX,,1234.56,USD,%s,INV-9,SUPP,,urgent\n",
                          day, day, day);
  path = write_file (dir, "mixed.csv", text, -1);
  preview = preview_of (f, path, FALSE, "mia");
  g_assert_no_error (preview->refusal);
  g_assert_null (preview->refusal_reason);
  g_assert_cmpuint (preview->refusal_line, ==, 0);
  g_assert_cmpstr (preview->file, ==, "mixed.csv");
  g_assert_cmpuint (preview->rows->len, ==, 3);
  g_assert_cmpuint (((TsyPaymentPreviewRow *) g_ptr_array_index (preview->rows, 0))->line, ==, 2);
  g_assert_cmpuint (((TsyPaymentPreviewRow *) g_ptr_array_index (preview->rows, 1))->line, ==, 3);
  g_assert_cmpuint (((TsyPaymentPreviewRow *) g_ptr_array_index (preview->rows, 2))->line, ==, 5);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM payment"), ==, 0);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM payment_batch"), ==, 0);

  /* totals per currency are the sums of the rows */
  g_assert_cmpuint (preview->totals->len, ==, 2);
  for (guint i = 0; i < preview->rows->len; i++)
    {
      const TsyPaymentPreviewRow *row = g_ptr_array_index (preview->rows, i);
      if (strcmp (row->currency, "CNY") == 0)
        cny_sum += row->amount_minor;
    }
  cny = total_in (preview, "CNY");
  usd = total_in (preview, "USD");
  g_assert_nonnull (cny);
  g_assert_nonnull (usd);
  g_assert_cmpuint (cny->count, ==, 2);
  g_assert_cmpint (cny->total_minor, ==, cny_sum);
  g_assert_cmpint (cny->total_minor, ==, 850000 + 920050);
  g_assert_cmpuint (usd->count, ==, 1);
  g_assert_cmpint (usd->total_minor, ==, 123456);

  /* the import stores exactly what the preview showed, row by row */
  batch = tsy_payment_import_csv (f->store, path, TSY_BATCH_PAYROLL, FALSE, "mia", &n, &error);
  g_assert_no_error (error);
  g_assert_cmpint (batch, >, 0);
  g_assert_cmpuint (n, ==, preview->rows->len);
  ids = tsy_payment_batch_ids (f->store, batch, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, preview->rows->len);
  for (guint i = 0; i < ids->len; i++)
    {
      const TsyPaymentPreviewRow *row = g_ptr_array_index (preview->rows, i);
      g_autoptr(TsyPaymentInfo) info = tsy_payment_lookup (f->store, g_array_index (ids, gint64, i), &error);

      g_assert_no_error (error);
      g_assert_cmpstr (info->debtor_account, ==, row->debtor_account);
      g_assert_cmpstr (info->creditor_name, ==, row->creditor_name);
      g_assert_cmpstr (info->creditor_account, ==, row->creditor_account);
      g_assert_cmpstr (info->creditor_bic, ==, row->creditor_bic);
      g_assert_cmpstr (info->creditor_cnaps, ==, row->creditor_cnaps);
      g_assert_cmpstr (info->creditor_bank, ==, row->creditor_bank);
      g_assert_cmpint (info->amount_minor, ==, row->amount_minor);
      g_assert_cmpstr (info->currency, ==, row->currency);
      g_assert_cmpint (info->execution_date, ==, row->execution_date);
      g_assert_cmpstr (info->remittance, ==, row->remittance);
      g_assert_cmpstr (info->purpose, ==, row->purpose);
      g_assert_cmpstr (info->category, ==, row->category);
      g_assert_cmpint (info->urgency, ==, row->urgency);
    }
  {
    const TsyPaymentPreviewRow *first = g_ptr_array_index (preview->rows, 0);
    const TsyPaymentPreviewRow *third = g_ptr_array_index (preview->rows, 2);
    g_assert_cmpstr (first->creditor_account, ==, "6222020200112233445");
    g_assert_cmpstr (first->remittance, ==, "11月工资, 奖金");
    g_assert_cmpstr (third->creditor_bic, ==, "COBADEFFXXX");
    g_assert_cmpint (third->urgency, ==, TSY_URGENCY_URGENT);
    g_assert_cmpint (((TsyPaymentPreviewRow *) g_ptr_array_index (preview->rows, 1))->urgency,
                     ==, TSY_URGENCY_URGENT);
  }

  /* now every row is a duplicate of a saved one: refused at line 2 without confirmation */
  {
    g_autoptr(TsyPaymentPreview) again = preview_of (f, path, FALSE, "mia");
    g_autoptr(TsyPaymentPreview) confirmed = preview_of (f, path, TRUE, "mia");

    g_assert_error (again->refusal, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DUPLICATE);
    g_assert_cmpuint (again->refusal_line, ==, 2);
    g_assert_cmpuint (again->rows->len, ==, 0);
    g_assert_null (confirmed->refusal);
    g_assert_cmpuint (confirmed->rows->len, ==, 3);
  }
  g_unlink (path);
  g_rmdir (dir);
}

/* Each bad file is refused by the preview with its line and reason, exactly as the import
 * refuses it, and nothing is written by either. */
static void
test_csv_preview_refusals (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = g_dir_make_tmp ("tsy-pay-XXXXXX", NULL);
  g_autofree char *day = tsy_date_to_iso (f->today);
  g_autofree char *tomorrow = tsy_date_to_iso (tsy_date_add_days (f->today, 1));
  const char *head = "from,to_name,to_account,to_bic,amount,currency,date\n";
  struct
  {
    const char *name;
    char       *body;
    guint       line;
    int         code;
    const char *needle;
    guint       rows_before;
  } cases[] = {
    /* together the two rows pass the daily limit of 2,000,000.00; alone each is under it */
    { "limit.csv", g_strdup_printf (LIMITED ",A,4000023009200011111,,1500000.00,CNY,%s\n"
                                    LIMITED ",B,4000023009200022222,,600000.00,CNY,%s\n", day, day),
      3, TSY_LEDGER_ERROR_DENIED, "daily limit", 1 },
    /* the same payment twice in one file */
    { "dup.csv", g_strdup_printf (FREE_CNY ",A,4000023009200011111,,10.00,CNY,%s\n"
                                  FREE_CNY ",C,4000023009200033333,,11.00,CNY,%s\n"
                                  FREE_CNY ",A,4000023009200011111,,10.00,CNY,%s\n", day, day, tomorrow),
      4, TSY_LEDGER_ERROR_DUPLICATE, "Row 1", 2 },
    { "frozen.csv", g_strdup_printf (FROZEN ",A,4000023009200011111,,10.00,CNY,%s\n", day),
      2, TSY_LEDGER_ERROR_DENIED, "frozen", 0 },
    { "currency.csv", g_strdup_printf (FREE_CNY ",A,4000023009200011111,,10.00,USD,%s\n", day),
      2, TSY_LEDGER_ERROR_CURRENCY_MISMATCH, "USD", 0 },
    { "zero.csv", g_strdup_printf (FREE_CNY ",A,4000023009200011111,,0.00,CNY,%s\n", day),
      2, TSY_LEDGER_ERROR_INVALID, "more than zero", 0 },
    { "iban.csv", g_strdup_printf (FREE_CNY ",A,4000023009200011111,,5.00,CNY,%s\n"
                                   USD_ACCT ",B,DE89370400440532013001,,10.00,USD,%s\n", day, day),
      3, -1, NULL, 1 },
    { "bic.csv", g_strdup_printf (USD_ACCT ",B," IBAN_OK ",NOTABIC,10.00,USD,%s\n", day),
      2, -1, NULL, 0 },
    { "amount.csv", g_strdup_printf (FREE_CNY ",A,4000023009200011111,,1.234,CNY,%s\n", day),
      2, TSY_LEDGER_ERROR_INVALID, NULL, 0 },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autofree char *text = g_strconcat (head, cases[c].body, NULL);
      g_autofree char *path = write_file (dir, cases[c].name, text, -1);
      g_autofree char *where = g_strdup_printf ("%s, line %u: ", cases[c].name, cases[c].line);
      g_autoptr(TsyPaymentPreview) preview = preview_of (f, path, FALSE, "mia");
      g_autoptr(GError) error = NULL;
      int before = changes (f);
      guint n = 0;

      g_test_message ("%s", cases[c].name);
      g_assert_nonnull (preview->refusal);
      if (cases[c].code >= 0)
        g_assert_error (preview->refusal, TSY_LEDGER_ERROR, cases[c].code);
      g_assert_cmpuint (preview->refusal_line, ==, cases[c].line);
      g_assert_true (g_str_has_prefix (preview->refusal->message, where));
      g_assert_cmpstr (preview->refusal->message + strlen (where), ==, preview->refusal_reason);
      if (cases[c].needle != NULL)
        g_assert_nonnull (strstr (preview->refusal_reason, cases[c].needle));
      g_assert_cmpuint (preview->rows->len, ==, cases[c].rows_before);

      /* the import refuses it the same way */
      g_assert_cmpint (tsy_payment_import_csv (f->store, path, TSY_BATCH_OTHER, FALSE, "mia", &n, &error), ==, 0);
      g_assert_nonnull (error);
      g_assert_true (error->domain == preview->refusal->domain && error->code == preview->refusal->code);
      g_assert_cmpstr (error->message, ==, preview->refusal->message);
      g_assert_cmpint (changes (f), ==, before);
      g_free (cases[c].body);
      g_unlink (path);
    }

  /* whitelist: once the account has one, a creditor off it is refused at its line */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *text = NULL;
    g_autofree char *path = NULL;
    g_autoptr(TsyPaymentPreview) preview = NULL;

    g_assert_true (tsy_whitelist_add (f->store, FREE_CNY, "4000023009200055555", "甲公司", "root", &error));
    g_assert_no_error (error);
    text = g_strdup_printf ("%s" FREE_CNY ",甲公司,4000023009200055555,,20.00,CNY,%s\n"
                            FREE_CNY ",乙公司,4000023009200066666,,20.00,CNY,%s\n", head, day, day);
    path = write_file (dir, "white.csv", text, -1);
    preview = preview_of (f, path, FALSE, "mia");
    g_assert_error (preview->refusal, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DENIED);
    g_assert_cmpuint (preview->refusal_line, ==, 3);
    g_assert_nonnull (strstr (preview->refusal_reason, "whitelist"));
    g_assert_cmpuint (preview->rows->len, ==, 1);

    /* a user who may not make payments; no line */
    g_clear_pointer (&preview, tsy_payment_preview_free);
    preview = preview_of (f, path, FALSE, "carl");
    g_assert_error (preview->refusal, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DENIED);
    g_assert_cmpuint (preview->refusal_line, ==, 0);
    g_unlink (path);
  }
  /* a header without the required columns: line 1 */
  {
    g_autofree char *path = write_file (dir, "head.csv", "from,to_name,amount\n1,2,3\n", -1);
    g_autoptr(TsyPaymentPreview) preview = preview_of (f, path, FALSE, "mia");

    g_assert_error (preview->refusal, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID);
    g_assert_cmpuint (preview->refusal_line, ==, 1);
    g_unlink (path);
  }
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM payment"), ==, 0);
  g_rmdir (dir);
}

/* A Chinese bank template in GB18030, with Chinese headings. */
static void
test_csv_preview_gb18030 (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tsy-pay-XXXXXX", NULL);
  g_autofree char *day = tsy_date_to_iso (f->today);
  g_autofree char *utf8 = NULL;
  g_autofree char *gb = NULL;
  g_autofree char *path = NULL;
  g_autoptr(TsyPaymentPreview) preview = NULL;
  const TsyPaymentPreviewRow *row;
  gsize len = 0;

  utf8 = g_strdup_printf ("付款账号,收款人名称,收款账号,开户行,金额,币种,期望日期,附言,加急\r\n"
                          FREE_CNY ",王小明,6222020200112233449,中国银行北京分行,12345.67,CNY,%s,十一月工资,是\r\n", day);
  gb = g_convert (utf8, -1, "GB18030", "UTF-8", NULL, &len, &error);
  g_assert_no_error (error);
  g_assert_false (g_utf8_validate (gb, (gssize) len, NULL));
  path = write_file (dir, "代发工资.csv", gb, (gssize) len);
  preview = preview_of (f, path, FALSE, "mia");
  g_assert_no_error (preview->refusal);
  g_assert_cmpstr (preview->file, ==, "代发工资.csv");
  g_assert_cmpuint (preview->rows->len, ==, 1);
  row = g_ptr_array_index (preview->rows, 0);
  g_assert_cmpstr (row->creditor_name, ==, "王小明");
  g_assert_cmpstr (row->creditor_bank, ==, "中国银行北京分行");
  g_assert_cmpstr (row->remittance, ==, "十一月工资");
  g_assert_cmpint (row->amount_minor, ==, 1234567);
  g_assert_cmpint (row->urgency, ==, TSY_URGENCY_URGENT);
  g_assert_cmpuint (total_in (preview, "CNY")->count, ==, 1);
  g_assert_cmpint (total_in (preview, "CNY")->total_minor, ==, 1234567);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM payment"), ==, 0);
  g_unlink (path);
  g_rmdir (dir);
}

/* The preview only reads: it runs while another connection holds the write lock. */
static void
test_csv_preview_no_write_lock (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tsy-pay-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "t.db", NULL);
  g_autofree char *day = NULL;
  g_autofree char *text = NULL;
  g_autofree char *path = NULL;
  g_autoptr(TsyStore) writer = NULL;
  g_autoptr(TsyPaymentPreview) preview = NULL;
  g_autofree char *wal = NULL, *shm = NULL;
  Fixture fx = { 0 };
  Fixture *f = &fx;
  gint64 started;

  populate (f, db);
  day = tsy_date_to_iso (f->today);
  text = g_strdup_printf ("from,to_name,to_account,amount,currency,date\n"
                          FREE_CNY ",A,4000023009200011111,10.00,CNY,%s\n", day);
  path = write_file (dir, "p.csv", text, -1);
  writer = tsy_store_reopen (f->store, &error);
  g_assert_no_error (error);
  g_assert_true (tsy_store_begin (writer, &error));
  g_assert_no_error (error);

  started = g_get_monotonic_time ();
  preview = tsy_payment_preview_csv (f->store, path, FALSE, "mia", &error);
  g_assert_no_error (error);
  g_assert_nonnull (preview);
  g_assert_no_error (preview->refusal);
  g_assert_cmpuint (preview->rows->len, ==, 1);
  /* no wait for the busy timeout (5 s) */
  g_assert_cmpint (g_get_monotonic_time () - started, <, 2 * G_USEC_PER_SEC);
  tsy_store_rollback (writer);
  g_clear_object (&writer);
  g_clear_object (&f->store);

  wal = g_strconcat (db, "-wal", NULL);
  shm = g_strconcat (db, "-shm", NULL);
  g_unlink (path);
  g_unlink (db);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (dir);
}

/* Makes, submits and approves a payment; returns its id. */
static gint64
approved_payment (Fixture *f, gint64 amount, const char *creditor)
{
  g_autoptr(GError) error = NULL;
  TsyPaymentSpec spec = spec_for (f, FREE_CNY, amount);
  gint64 id;

  spec.creditor_account = creditor;
  id = make (f, &spec);
  g_assert_true (tsy_payment_submit (f->store, id, "mia", &error));
  g_assert_true (approve (f, id, "alan", &error));
  g_assert_no_error (error);
  g_assert_cmpint (status_of (f, id), ==, TSY_PAYMENT_APPROVED);
  return id;
}

static char *
enqueue (Fixture *f, const gint64 *ids, guint n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) doc = g_bytes_new_static ("<Document/>", 11);
  g_autofree TsyOutboxEntry *entries = g_new0 (TsyOutboxEntry, n);
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
  char *msg_id = tsy_outbox_new_msg_id ();
  g_autoptr(TsyBankInfo) bank = tsy_bank_lookup (f->store, "ICBC", NULL);

  g_assert_cmpuint (strlen (msg_id), <=, 35);
  for (guint i = 0; i < n; i++)
    {
      entries[i].payment_id = ids[i];
      entries[i].digest_hex = digest_of (f, ids[i]);
      g_ptr_array_add (keep, (char *) entries[i].digest_hex);
      entries[i].pmt_inf_id = "P1";
    }
  g_assert_cmpint (tsy_outbox_enqueue (f->store, bank->id, msg_id, "pain.001.001.09", doc, entries, n,
                                       "sender", &error), >, 0);
  g_assert_no_error (error);
  return msg_id;
}

static gboolean
collect_book_refs (const TsyBookRow *row, gpointer user_data)
{
  g_assert_cmpint (row->amount_minor, <, 0);
  g_assert_cmpstr (row->source, ==, "payment");
  g_assert_cmpstr (row->reference, ==, row->ext_id);
  g_ptr_array_add (user_data, g_strdup (row->reference));
  return TRUE;
}

static TsyOutboxState
state_of (Fixture *f, const char *msg_id)
{
  g_autoptr(TsyOutboxMessage) msg = tsy_outbox_lookup (f->store, msg_id, NULL);
  g_assert_nonnull (msg);
  return msg->state;
}

static void
test_outbox_and_reports (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  gint64 ids[3];
  g_autofree char *msg_id = NULL;
  g_autoptr(TsyStatusReport) report = NULL;
  g_autoptr(TsyPaymentInfo) p0 = NULL;
  guint changed = 0, recovered = 0;

  ids[0] = approved_payment (f, 1000, "4000023009200000001");
  ids[1] = approved_payment (f, 2000, "4000023009200000002");
  ids[2] = approved_payment (f, 3000, "4000023009200000003");
  msg_id = enqueue (f, ids, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (status_of (f, ids[i]), ==, TSY_PAYMENT_SENT);
  p0 = tsy_payment_lookup (f->store, ids[0], NULL);
  g_assert_cmpstr (p0->msg_id, ==, msg_id);
  /* each sent payment is a book entry of its account, referenced by its end-to-end id */
  {
    g_autoptr(GPtrArray) refs = g_ptr_array_new_with_free_func (g_free);
    g_assert_true (tsy_book_foreach (f->store, FREE_CNY, 0, 0, collect_book_refs, refs, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (refs->len, ==, 3);
    g_assert_true (g_ptr_array_find_with_equal_func (refs, p0->end_to_end_id, g_str_equal, NULL));
  }
  g_assert_cmpstr (p0->pmt_inf_id, ==, "P1");
  g_assert_cmpint (state_of (f, msg_id), ==, TSY_OUTBOX_PENDING);

  /* the same payment cannot go twice */
  {
    g_autoptr(GBytes) doc = g_bytes_new_static ("<x/>", 4);
    g_autofree char *d = digest_of (f, ids[0]);
    TsyOutboxEntry e = { ids[0], d, "P9" };
    g_autofree char *other = tsy_outbox_new_msg_id ();
    g_assert_cmpint (tsy_outbox_enqueue (f->store, p0->bank_id, other, "pain.001.001.09", doc, &e, 1,
                                         "sender", &error), ==, 0);
    g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DENIED);
    g_clear_error (&error);
  }

  /* sending, then a crash: the message is unknown after recovery */
  g_assert_true (tsy_outbox_transition (f->store, msg_id, TSY_OUTBOX_PENDING, TSY_OUTBOX_SENDING, NULL, &error));
  g_assert_false (tsy_outbox_transition (f->store, msg_id, TSY_OUTBOX_PENDING, TSY_OUTBOX_SENDING, NULL, &error));
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_true (tsy_outbox_recover (f->store, &recovered, &error));
  g_assert_cmpuint (recovered, ==, 1);
  g_assert_cmpint (state_of (f, msg_id), ==, TSY_OUTBOX_UNKNOWN);

  /* group accepted, one transaction executed, one rejected */
  report = tsy_status_report_new ();
  report->orig_msg_id = g_strdup (msg_id);
  report->group_status = g_strdup ("ACCP");
  {
    g_autoptr(TsyPaymentInfo) p1 = tsy_payment_lookup (f->store, ids[1], NULL);
    g_autoptr(TsyPaymentInfo) p2 = tsy_payment_lookup (f->store, ids[2], NULL);
    tsy_status_report_add_tx (report, p1->end_to_end_id, "ACSC", NULL);
    tsy_status_report_add_tx (report, p2->end_to_end_id, "RJCT", "AM04 insufficient funds");
  }
  g_assert_true (tsy_outbox_apply_report (f->store, report, "bank", &changed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 3);
  g_assert_cmpint (status_of (f, ids[0]), ==, TSY_PAYMENT_ACCEPTED);
  g_assert_cmpint (status_of (f, ids[1]), ==, TSY_PAYMENT_EXECUTED);
  g_assert_cmpint (status_of (f, ids[2]), ==, TSY_PAYMENT_REJECTED);
  g_assert_cmpint (state_of (f, msg_id), ==, TSY_OUTBOX_DELIVERED);

  /* the same report again changes nothing; a stale "accepted" cannot undo "executed" */
  g_assert_true (tsy_outbox_apply_report (f->store, report, "bank", &changed, &error));
  g_assert_cmpuint (changed, ==, 0);
  g_free (report->group_status);
  report->group_status = g_strdup ("ACSC");
  g_ptr_array_set_size (report->txs, 0);
  g_assert_true (tsy_outbox_apply_report (f->store, report, "bank", &changed, &error));
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpint (status_of (f, ids[0]), ==, TSY_PAYMENT_EXECUTED);
  g_assert_cmpint (status_of (f, ids[2]), ==, TSY_PAYMENT_REJECTED);
  g_assert_cmpint (state_of (f, msg_id), ==, TSY_OUTBOX_CLOSED);

  /* a report about a message we never sent */
  g_free (report->orig_msg_id);
  report->orig_msg_id = g_strdup ("NOT-OURS");
  g_assert_false (tsy_outbox_apply_report (f->store, report, "bank", &changed, &error));
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* every step above is in the audit trail, and the chain is intact */
  {
    gint64 bad = -1;
    g_assert_true (tsy_audit_verify (f->store, &bad, &error));
    g_assert_no_error (error);
    g_assert_cmpint (bad, ==, 0);
    g_assert_cmpint (count_rows (f, "SELECT count(*) FROM audit_event WHERE action = 'payment.status'"), ==, 3 * 3 + 3 + 1);
  }
}

static gboolean
sink_statement (TsyImport *imp, const char *account, const char *e2e, gint64 amount, TsyDate day)
{
  const TsyStatementSink *sink = tsy_import_sink ();
  TsyStatementHeader h = { .format = "camt.053.001.08", .kind = TSY_STATEMENT_KIND_FINAL,
                           .account = account, .currency = "CNY", .statement_id = "S1",
                           .from_date = day, .to_date = day,
                           .has_opening = TRUE, .opening_minor = 1000000, .opening_date = day,
                           .has_closing = TRUE, .closing_minor = 1000000 + amount, .closing_date = day };
  TsyStatementEntry e = { .booking_date = day, .value_date = day, .amount_minor = amount,
                          .bank_ref = "REF1", .end_to_end_id = e2e, .text = "payment" };

  return sink->begin_statement (imp, &h, NULL) && sink->entry (imp, &e, NULL) &&
         sink->end_statement (imp, &h, NULL);
}

static void
test_executed_from_statement (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = approved_payment (f, 250000, "4000023009200000009");
  g_autofree char *msg_id = enqueue (f, &id, 1);
  g_autoptr(TsyPaymentInfo) info = tsy_payment_lookup (f->store, id, NULL);
  TsyImportResult result = { 0 };
  TsyImport *imp;
  guint changed = 99;

  /* a line with the end-to-end id but another amount decides nothing */
  imp = tsy_import_begin (f->store, "s1.xml", NULL, &error);
  g_assert_true (sink_statement (imp, FREE_CNY, info->end_to_end_id, -250001, f->today));
  g_assert_true (tsy_import_commit (imp, &result, &error));
  g_assert_no_error (error);
  tsy_import_result_clear (&result);
  g_assert_true (tsy_payment_match_statements (f->store, "statements", &changed, &error));
  g_assert_cmpuint (changed, ==, 0);
  g_assert_cmpint (status_of (f, id), ==, TSY_PAYMENT_SENT);

  imp = tsy_import_begin (f->store, "s2.xml", NULL, &error);
  g_assert_true (sink_statement (imp, FREE_CNY, info->end_to_end_id, -250000, tsy_date_add_days (f->today, 1)));
  g_assert_true (tsy_import_commit (imp, &result, &error));
  g_assert_no_error (error);
  tsy_import_result_clear (&result);
  g_assert_true (tsy_payment_match_statements (f->store, "statements", &changed, &error));
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpint (status_of (f, id), ==, TSY_PAYMENT_EXECUTED);
  g_assert_cmpint (state_of (f, msg_id), ==, TSY_OUTBOX_CLOSED);
}

/* The time-outs of a channel, typed in seconds: whole milliseconds, no floating point. */
static void
test_channel_seconds (void)
{
  static const struct { const char *text; guint ms; } good[] = {
    { "10", 10000 }, { "2.5", 2500 }, { "0.125", 125 }, { "7.", 7000 }, { "99999.999", 99999999 },
  };
  static const char *const bad[] = { "", ".5", "-1", "1e3", "2.5s", "1.2345", "100000", " 3" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *back = NULL;
      guint ms = 0;

      g_assert_true (tsy_channel_seconds_parse (good[i].text, &ms, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (ms, ==, good[i].ms);
      back = tsy_channel_seconds_format (ms);
      g_assert_true (tsy_channel_seconds_parse (back, &ms, NULL));
      g_assert_cmpuint (ms, ==, good[i].ms);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      guint ms = 42;

      g_assert_false (tsy_channel_seconds_parse (bad[i], &ms, &error));
      g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID);
      g_assert_cmpuint (ms, ==, 42);
    }
  {
    g_autofree char *ten = tsy_channel_seconds_format (10000);
    g_autofree char *half = tsy_channel_seconds_format (2500);

    g_assert_cmpstr (ten, ==, "10");
    g_assert_cmpstr (half, ==, "2.500");
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ledger/payments/channel-seconds", test_channel_seconds);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/ledger/payments/roles-and-users", test_roles_and_users);
  ADD ("/ledger/payments/checks-before-saving", test_checks_before_saving);
  ADD ("/ledger/payments/daily-limit", test_daily_limit);
  ADD ("/ledger/payments/whitelist", test_whitelist);
  ADD ("/ledger/payments/duplicates", test_duplicates_need_confirmation);
  ADD ("/ledger/payments/maker-checker", test_maker_checker);
  ADD ("/ledger/payments/bands-and-roles", test_bands_and_roles);
  ADD ("/ledger/payments/digest", test_digest_covers_money_fields);
  ADD ("/ledger/payments/audit", test_audit_trail);
  ADD ("/ledger/payments/batch", test_batch_all_or_nothing);
  ADD ("/ledger/payments/csv-import", test_csv_import);
  ADD ("/ledger/payments/csv-preview", test_csv_preview);
  ADD ("/ledger/payments/csv-preview-refusals", test_csv_preview_refusals);
  ADD ("/ledger/payments/csv-preview-gb18030", test_csv_preview_gb18030);
  g_test_add_func ("/ledger/payments/csv-preview-no-write-lock", test_csv_preview_no_write_lock);
  ADD ("/ledger/payments/outbox-reports", test_outbox_and_reports);
  ADD ("/ledger/payments/executed-from-statement", test_executed_from_statement);
  return g_test_run ();
}
