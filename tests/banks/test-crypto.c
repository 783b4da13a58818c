/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Keys, seals, signatures, and the check before sending that refuses a tampered instruction. */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "banks/tsy-bank-error.h"
#include "banks/tsy-crypto.h"
#include "banks/tsy-payment-signer.h"
#include "ledger/tsy-account.h"
#include "ledger/tsy-bank.h"
#include "ledger/tsy-ledger-error.h"
#include "ledger/tsy-org.h"
#include "ledger/tsy-payment.h"
#include "ledger/tsy-store-private.h"

static void
test_sign_verify (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyKey) key = tsy_key_generate (&error);
  g_autoptr(TsyKey) other = tsy_key_generate (&error);
  g_autoptr(GBytes) pub = NULL;
  g_autoptr(GBytes) other_pub = NULL;
  g_autoptr(GBytes) sig = NULL;
  g_autoptr(GBytes) bad_sig = NULL;
  guint8 digest[32];
  guint8 *copy;
  gsize len;

  g_assert_no_error (error);
  tsy_crypto_sha256 ("payment", 7, digest);
  pub = tsy_key_public_der (key);
  other_pub = tsy_key_public_der (other);
  g_assert_false (g_bytes_equal (pub, other_pub));
  g_assert_cmpuint (g_bytes_get_size (pub), ==, 91);   /* P-256 SubjectPublicKeyInfo */

  sig = tsy_key_sign_digest (key, digest, &error);
  g_assert_no_error (error);
  g_assert_true (tsy_crypto_verify_digest (pub, digest, sig, &error));
  g_assert_no_error (error);

  /* another key, another digest, a damaged signature: all refused */
  g_assert_false (tsy_crypto_verify_digest (other_pub, digest, sig, &error));
  g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_SIGNATURE);
  g_clear_error (&error);
  digest[7] ^= 1;
  g_assert_false (tsy_crypto_verify_digest (pub, digest, sig, &error));
  g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_SIGNATURE);
  g_clear_error (&error);
  digest[7] ^= 1;
  copy = g_bytes_unref_to_data (g_bytes_ref (sig), &len);
  copy[len - 1] ^= 0x40;
  bad_sig = g_bytes_new_take (copy, len);
  g_assert_false (tsy_crypto_verify_digest (pub, digest, bad_sig, &error));
  g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_SIGNATURE);
}

static void
test_seal (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyKey) key = tsy_key_generate (&error);
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GBytes) sealed2 = NULL;
  g_autoptr(TsyKey) opened = NULL;
  g_autoptr(GBytes) pub = tsy_key_public_der (key);
  g_autoptr(GBytes) opened_pub = NULL;
  g_autofree guint8 *damaged = NULL;
  g_autoptr(GBytes) damaged_bytes = NULL;
  gsize len;

  sealed = tsy_key_seal (key, "correct horse battery", "ada", &error);
  g_assert_no_error (error);
  sealed2 = tsy_key_seal (key, "correct horse battery", "ada", &error);
  g_assert_false (g_bytes_equal (sealed, sealed2));    /* fresh salt and nonce */
  g_assert_true (memcmp (g_bytes_get_data (sealed, NULL), "TSYK", 4) == 0);

  opened = tsy_key_unseal (sealed, "correct horse battery", "ada", &error);
  g_assert_no_error (error);
  opened_pub = tsy_key_public_der (opened);
  g_assert_true (g_bytes_equal (pub, opened_pub));

  g_assert_null (tsy_key_unseal (sealed, "correct horse batterY", "ada", &error));
  g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PASSPHRASE);
  g_clear_error (&error);
  /* a seal copied to another user does not open */
  g_assert_null (tsy_key_unseal (sealed, "correct horse battery", "eve", &error));
  g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PASSPHRASE);
  g_clear_error (&error);
  /* a flipped bit anywhere in the ciphertext is found */
  len = g_bytes_get_size (sealed);
  damaged = g_memdup2 (g_bytes_get_data (sealed, NULL), len);
  damaged[len / 2] ^= 1;
  damaged_bytes = g_bytes_new (damaged, len);
  g_assert_null (tsy_key_unseal (damaged_bytes, "correct horse battery", "ada", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_null (tsy_key_seal (key, "", "ada", &error));
  g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PASSPHRASE);
}

static gboolean
run_openssl (const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  int status = 0;

  g_ptr_array_add (argv, "openssl");
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
                     G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, NULL))
    return FALSE;
  return g_spawn_check_wait_status (status, NULL);
}

#define OPENSSL(...) run_openssl ((const char *[]) { __VA_ARGS__, NULL })

static void
test_import_pem (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tsy-crypto-XXXXXX", NULL);
  g_autofree char *ec = g_build_filename (dir, "ec.pem", NULL);
  g_autofree char *ec_pub = g_build_filename (dir, "ec.pub.der", NULL);
  g_autofree char *enc = g_build_filename (dir, "enc.pem", NULL);
  g_autofree char *rsa = g_build_filename (dir, "rsa.pem", NULL);
  g_autofree char *p384 = g_build_filename (dir, "p384.pem", NULL);
  g_autoptr(TsyKey) key = NULL;
  g_autoptr(TsyKey) key2 = NULL;
  g_autoptr(GBytes) pub = NULL;
  g_autofree char *expected = NULL;
  gsize expected_len = 0;

  /* keys made at test time: no private key is ever committed */
  g_assert_true (OPENSSL ("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", ec));
  g_assert_true (OPENSSL ("pkey", "-in", ec, "-pubout", "-outform", "DER", "-out", ec_pub));
  g_assert_true (OPENSSL ("pkcs8", "-topk8", "-in", ec, "-out", enc, "-passout", "pass:pem pass phrase"));
  g_assert_true (OPENSSL ("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024", "-out", rsa));
  g_assert_true (OPENSSL ("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", p384));

  key = tsy_key_load_pem_file (ec, NULL, &error);
  g_assert_no_error (error);
  pub = tsy_key_public_der (key);
  g_assert_true (g_file_get_contents (ec_pub, &expected, &expected_len, NULL));
  g_assert_cmpmem (g_bytes_get_data (pub, NULL), g_bytes_get_size (pub), expected, expected_len);

  key2 = tsy_key_load_pem_file (enc, "pem pass phrase", &error);
  g_assert_no_error (error);
  g_assert_null (tsy_key_load_pem_file (enc, "wrong", &error));
  g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PASSPHRASE);
  g_clear_error (&error);
  g_assert_null (tsy_key_load_pem_file (rsa, NULL, &error));
  g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_SIGNATURE);
  g_clear_error (&error);
  g_assert_null (tsy_key_load_pem_file (p384, NULL, &error));
  g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_SIGNATURE);
  g_clear_error (&error);
  g_assert_null (tsy_key_import_pem ("-----BEGIN NOTHING-----\n", 24, NULL, &error));
  g_assert_nonnull (error);

  for (const char *const *p = (const char *const[]) { ec, ec_pub, enc, rsa, p384, NULL }; *p; p++)
    g_unlink (*p);
  g_rmdir (dir);
}

static void
test_passphrase_fd (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsySecret) secret = NULL;
  int fds[2];

  g_assert_cmpint (pipe (fds), ==, 0);
  g_assert_cmpint (write (fds[1], "密码 with spaces\r\nrest", 23), ==, 23);
  close (fds[1]);
  secret = tsy_crypto_read_passphrase_fd (fds[0], &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "密码 with spaces");
  close (fds[0]);

  g_assert_cmpint (pipe (fds), ==, 0);
  close (fds[1]);
  g_assert_null (tsy_crypto_read_passphrase_fd (fds[0], &error));
  g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PASSPHRASE);
  close (fds[0]);
}

static void
test_approve_and_tamper (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyStore) store = tsy_store_open (":memory:", &error);
  TsyAccountSpec acct = { .number = "6222000033334444", .org_code = "G", .bank_code = "ICBC",
                          .currency = "CNY" };
  TsyPaymentSpec spec = { .debtor_account = "6222000033334444", .creditor_name = "供应商",
                          .creditor_account = "4000023009200012345", .amount_minor = 123456,
                          .currency = "CNY", .execution_date = tsy_date_today () };
  g_autoptr(TsyPaymentInfo) info = NULL;
  g_autoptr(TsyPaymentInfo) tampered = NULL;
  guint approved = 0;
  gint64 id;

  g_assert_cmpint (tsy_org_add (store, "G", "Group", NULL, &error), >, 0);
  g_assert_cmpint (tsy_bank_add (store, "ICBC", "ICBC", "ICBKCNBJ", NULL, "CN", &error), >, 0);
  g_assert_cmpint (tsy_account_add (store, &acct, &error), >, 0);
  g_assert_cmpint (tsy_user_create (store, "mia", TSY_ROLE_MAKER | TSY_ROLE_APPROVER, NULL, NULL,
                                    "maker passphrase", "t", &error), >, 0);
  g_assert_cmpint (tsy_user_create (store, "ada", TSY_ROLE_APPROVER, NULL, NULL,
                                    "approver passphrase", "t", &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (tsy_user_create (store, "bob", TSY_ROLE_APPROVER, NULL, NULL, "short", "t", &error), ==, 0);
  g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PASSPHRASE);
  g_clear_error (&error);

  id = tsy_payment_create (store, &spec, "mia", &error);
  g_assert_true (tsy_payment_submit (store, id, "mia", &error));
  g_assert_no_error (error);

  /* the maker cannot approve with her own key; a wrong passphrase opens nothing */
  g_assert_false (tsy_payment_sign_approve (store, &id, 1, "mia", "maker passphrase", NULL, &error));
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_false (tsy_payment_sign_approve (store, &id, 1, "ada", "maker passphrase", NULL, &error));
  g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PASSPHRASE);
  g_clear_error (&error);
  g_assert_true (tsy_payment_sign_approve (store, &id, 1, "ada", "approver passphrase", &approved, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (approved, ==, 1);

  info = tsy_payment_lookup (store, id, &error);
  g_assert_cmpint (info->status, ==, TSY_PAYMENT_APPROVED);
  g_assert_true (tsy_payment_verify_approvals (store, info, &error));
  g_assert_no_error (error);

  /* Someone edits the database behind the program's back: the trigger first, then the amount. */
  g_assert_true (tsy_store_exec (store, "DROP TRIGGER payment_content_frozen", &error));
  g_assert_true (tsy_store_exec (store, "UPDATE payment SET amount_minor = 9923456", &error));
  tampered = tsy_payment_lookup (store, id, &error);
  g_assert_false (tsy_payment_verify_approvals (store, tampered, &error));
  g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_SIGNATURE);
  g_assert_nonnull (strstr (error->message, "changed after"));
  g_clear_error (&error);
  /* ... and also rewrites the stored digests to match: the signatures still do not */
  {
    g_autofree char *hex = tsy_payment_digest_hex (tampered);
    sqlite3_stmt *st = tsy_store_prepare (store, "UPDATE payment SET digest = ?1", NULL);
    sqlite3_bind_text (st, 1, hex, -1, SQLITE_TRANSIENT);
    g_assert_cmpint (sqlite3_step (st), ==, SQLITE_DONE);
    sqlite3_reset (st);
    g_assert_true (tsy_store_exec (store, "DROP TRIGGER payment_approval_no_update", &error));
    st = tsy_store_prepare (store, "UPDATE payment_approval SET digest = ?1", NULL);
    sqlite3_bind_text (st, 1, hex, -1, SQLITE_TRANSIENT);
    g_assert_cmpint (sqlite3_step (st), ==, SQLITE_DONE);
    sqlite3_reset (st);
    g_clear_pointer (&tampered, tsy_payment_info_free);
    tampered = tsy_payment_lookup (store, id, &error);
  }
  g_assert_false (tsy_payment_verify_approvals (store, tampered, &error));
  g_assert_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_SIGNATURE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/banks/crypto/sign-verify", test_sign_verify);
  g_test_add_func ("/banks/crypto/seal", test_seal);
  g_test_add_func ("/banks/crypto/import-pem", test_import_pem);
  g_test_add_func ("/banks/crypto/passphrase-fd", test_passphrase_fd);
  g_test_add_func ("/banks/crypto/approve-and-tamper", test_approve_and_tamper);
  return g_test_run ();
}
