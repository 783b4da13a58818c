/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Administration window on a small database (two units, two banks, made through the ledger
 * API), driven through its test hooks as a user would: a user added with the roles maker and
 * approver is in the ledger with a sealed key; a bad name and mismatched passphrases are refused
 * under the form with nothing stored; a PEM key made by openssl is imported (an RSA key and a
 * key already used by another user are refused); once an admin exists, changes are made in
 * their name; a policy band is set and read back (and shown as inherited by the unit below); a
 * folder channel is saved, listed and closed; an invalid URL is refused with the ledger's own
 * message; and the main window's win.administration opens the window on the page it names. */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "ledger/tsy-bank-channel.h"
#include "ledger/tsy-bank.h"
#include "ledger/tsy-ledger-error.h"
#include "ledger/tsy-org.h"
#include "ledger/tsy-policy.h"
#include "ledger/tsy-store.h"
#include "ledger/tsy-user.h"
#include "ui/tsy-admin-window-private.h"
#include "ui/tsy-ui.h"
#include "ui/tsy-window.h"
#include "../banks/tsy-test-banksim.h"
#include "tsy-test-ui.h"

typedef struct
{
  char           *dir;
  char           *path;
  TsyStore       *store;    /* the test's own connection */
  TsyAdminWindow *window;
} Fixture;

static gboolean
window_busy (gpointer data)
{
  Fixture *f = data;

  return tsy_admin_window_get_pending (f->window) > 0;
}

/* Runs the main loop until the window has no ledger work in flight. */
static void
wait_idle (Fixture    *f,
           const char *what)
{
  tsy_test_ui_wait (window_busy, f, what);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("tsy-ui-admin-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "admin.db", NULL);
  f->store = tsy_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tsy_org_add (f->store, "G", "华夏控股集团有限公司", NULL, &error), >, 0);
  g_assert_cmpint (tsy_org_add (f->store, "SZ", "深圳华夏贸易有限公司", "G", &error), >, 0);
  g_assert_cmpint (tsy_bank_add (f->store, "ICBC", "中国工商银行", "ICBKCNBJ", NULL, "CN", &error), >, 0);
  g_assert_cmpint (tsy_bank_add (f->store, "BOC", "中国银行", "BKCHCNBJ", NULL, "CN", &error), >, 0);
  g_assert_no_error (error);

  f->window = tsy_admin_window_new (NULL, f->store);
  gtk_window_present (GTK_WINDOW (f->window));
  wait_idle (f, "the first load");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->store);
  {
    g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);
    g_remove (wal);
    g_remove (shm);
  }
  g_remove (f->path);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static guint
n_ledger_users (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = tsy_user_list (f->store, &error);

  g_assert_no_error (error);
  return users->len;
}

static void
assert_no_user (Fixture    *f,
                const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyUserInfo) user = tsy_user_lookup (f->store, name, &error);

  g_assert_null (user);
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_NOT_FOUND);
}

static void
test_users (Fixture       *f,
            gconstpointer  data)
{
  TsyAdminUsers *page = tsy_admin_window_get_users_page (f->window);
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyUserInfo) alice = NULL;
  g_autoptr(TsyUserInfo) root = NULL;
  g_autofree char *listed = NULL;

  g_assert_cmpstr (tsy_admin_window_get_page (f->window), ==, "users");
  /* no admin yet: the first changes are made without one, as on the command line */
  g_assert_null (tsy_admin_window_get_actor (f->window));

  tsy_admin_users_fill (page, "alice", TSY_ROLE_MAKER | TSY_ROLE_APPROVER, NULL,
                        "correct horse battery", "correct horse battery");
  tsy_admin_users_submit (page);
  /* the passphrase is not kept in the form while the key is made */
  g_assert_true (tsy_admin_users_get_passphrases_empty (page));
  wait_idle (f, "the new user");
  g_assert_null (tsy_admin_users_get_error (page));
  alice = tsy_user_lookup (f->store, "alice", &error);
  g_assert_no_error (error);
  g_assert_cmpint (alice->roles, ==, TSY_ROLE_MAKER | TSY_ROLE_APPROVER);
  g_assert_nonnull (alice->public_key);
  g_assert_cmpuint (g_bytes_get_size (alice->public_key), >, 60);
  g_assert_nonnull (alice->sealed_key);
  g_assert_cmpuint (strlen (alice->key_id), ==, 64);
  listed = tsy_admin_users_get_text (page);
  g_test_message ("%s", listed);
  g_assert_nonnull (strstr (listed, "alice: "));
  {
    g_autofree char *key_start = g_strndup (alice->key_id, 16);
    g_assert_nonnull (strstr (listed, key_start));
  }

  /* a bad name: the ledger's reason under the form, nothing stored */
  tsy_admin_users_fill (page, "bad name!", TSY_ROLE_MAKER, NULL, "another secret", "another secret");
  tsy_admin_users_submit (page);
  wait_idle (f, "the refused name");
  g_assert_nonnull (tsy_admin_users_get_error (page));
  g_test_message ("%s", tsy_admin_users_get_error (page));
  g_assert_nonnull (strstr (tsy_admin_users_get_error (page), "bad name!"));
  assert_no_user (f, "bad name!");
  g_assert_cmpuint (n_ledger_users (f), ==, 1);

  /* passphrases that differ: refused before any work, the entries cleared */
  tsy_admin_users_fill (page, "carol", TSY_ROLE_APPROVER, NULL, "first try", "first trx");
  tsy_admin_users_submit (page);
  g_assert_cmpuint (tsy_admin_window_get_pending (f->window), ==, 0);
  g_assert_nonnull (tsy_admin_users_get_error (page));
  g_assert_true (tsy_admin_users_get_passphrases_empty (page));
  wait_idle (f, "nothing");
  assert_no_user (f, "carol");
  g_assert_cmpuint (n_ledger_users (f), ==, 1);

  /* the first admin; from then on changes are made in an admin's name */
  tsy_admin_users_fill (page, "root", TSY_ROLE_ADMIN, NULL, "root secret", "root secret");
  tsy_admin_users_submit (page);
  wait_idle (f, "the admin");
  g_assert_null (tsy_admin_users_get_error (page));
  root = tsy_user_lookup (f->store, "root", &error);
  g_assert_no_error (error);
  g_assert_cmpint (root->roles, ==, TSY_ROLE_ADMIN);
  g_assert_cmpstr (tsy_admin_window_get_actor (f->window), ==, "root");
  g_assert_true (tsy_admin_window_set_actor (f->window, "root"));
  g_assert_false (tsy_admin_window_set_actor (f->window, "alice"));
  /* the rule the window's writes follow, as the CLI's --user */
  g_assert_true (tsy_admin_check_actor (f->store, "root", &error));
  g_assert_false (tsy_admin_check_actor (f->store, NULL, &error));
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_false (tsy_admin_check_actor (f->store, "alice", &error));
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DENIED);
  g_clear_error (&error);

  tsy_admin_users_fill (page, "carol", TSY_ROLE_APPROVER, NULL, "carol secret", "carol secret");
  tsy_admin_users_submit (page);
  wait_idle (f, "the user added by root");
  g_assert_null (tsy_admin_users_get_error (page));
  g_assert_cmpuint (n_ledger_users (f), ==, 3);
  g_clear_pointer (&listed, g_free);
  listed = tsy_admin_users_get_text (page);
  g_assert_nonnull (strstr (listed, "carol: "));
  g_assert_nonnull (strstr (listed, "root: "));
}

#define OPENSSL(...) tsy_test_openssl (NULL, (const char *const[]) { __VA_ARGS__, NULL })

static void
test_import_key (Fixture       *f,
                 gconstpointer  data)
{
  TsyAdminUsers *page = tsy_admin_window_get_users_page (f->window);
  g_autofree char *ec = g_build_filename (f->dir, "frank.pem", NULL);
  g_autofree char *ec_pub = g_build_filename (f->dir, "frank.pub.der", NULL);
  g_autofree char *rsa = g_build_filename (f->dir, "rsa.pem", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyUserInfo) frank = NULL;
  g_autofree char *expected = NULL;
  gsize expected_len = 0;

  /* keys made at test time: no private key is ever committed */
  OPENSSL ("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", ec);
  OPENSSL ("pkey", "-in", ec, "-pubout", "-outform", "DER", "-out", ec_pub);
  OPENSSL ("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024", "-out", rsa);

  /* not an EC P-256 key: refused under the form, nothing stored */
  tsy_admin_users_fill (page, "eve", TSY_ROLE_APPROVER, rsa, "eve secret", "eve secret");
  tsy_admin_users_submit (page);
  wait_idle (f, "the refused import");
  g_assert_nonnull (tsy_admin_users_get_error (page));
  assert_no_user (f, "eve");

  /* an EC P-256 key: imported, sealed with the passphrase */
  tsy_admin_users_fill (page, "frank", TSY_ROLE_APPROVER, ec, "frank secret", "frank secret");
  tsy_admin_users_submit (page);
  wait_idle (f, "frank's import");
  g_assert_null (tsy_admin_users_get_error (page));
  frank = tsy_user_lookup (f->store, "frank", &error);
  g_assert_no_error (error);
  g_assert_nonnull (frank->sealed_key);
  g_assert_true (g_file_get_contents (ec_pub, &expected, &expected_len, NULL));
  g_assert_cmpmem (g_bytes_get_data (frank->public_key, NULL), g_bytes_get_size (frank->public_key),
                   expected, expected_len);
  /* the same key under a second name is refused by the ledger (one person, one key) */
  tsy_admin_users_fill (page, "grace", TSY_ROLE_APPROVER, ec, "grace secret", "grace secret");
  tsy_admin_users_submit (page);
  wait_idle (f, "grace's import");
  g_assert_nonnull (tsy_admin_users_get_error (page));
  g_test_message ("%s", tsy_admin_users_get_error (page));
  g_assert_nonnull (strstr (tsy_admin_users_get_error (page), "frank"));
  assert_no_user (f, "grace");
  g_remove (ec);
  g_remove (ec_pub);
  g_remove (rsa);
}

static void
test_policies (Fixture       *f,
               gconstpointer  data)
{
  TsyAdminPolicies *page = tsy_admin_window_get_policies_page (f->window);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) bands = NULL;
  g_autofree char *text = NULL;
  TsyPolicyBand *band;

  g_assert_true (tsy_admin_window_set_page (f->window, "policies"));
  g_assert_true (tsy_admin_policies_select_org (page, "SZ"));
  text = tsy_admin_policies_get_text (page);
  g_assert_cmpuint (strlen (text), >, 0);
  g_assert_null (strstr (text, "Up to"));
  g_clear_pointer (&text, g_free);

  g_assert_true (tsy_admin_policies_select_org (page, "G"));
  tsy_admin_policies_fill (page, "1,000,000.00", "cny", 2, TSY_ROLE_ADMIN);
  tsy_admin_policies_submit (page);
  wait_idle (f, "the band");
  g_assert_null (tsy_admin_policies_get_error (page));
  bands = tsy_policy_list (f->store, "G", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bands->len, ==, 1);
  band = g_ptr_array_index (bands, 0);
  g_assert_cmpstr (band->currency, ==, "CNY");
  g_assert_cmpint (band->up_to_minor, ==, 100000000);
  g_assert_cmpuint (band->approvals, ==, 2);
  g_assert_cmpint (band->role, ==, TSY_ROLE_ADMIN);
  text = tsy_admin_policies_get_text (page);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "1,000,000.00"));
  g_assert_null (strstr (text, "Inherited"));
  g_clear_pointer (&text, g_free);

  /* the unit below has no band of its own: it shows G's as inherited */
  g_assert_true (tsy_admin_policies_select_org (page, "SZ"));
  text = tsy_admin_policies_get_text (page);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "1,000,000.00"));
  g_assert_nonnull (strstr (text, "Inherited from G"));
  g_clear_pointer (&text, g_free);

  /* amounts are parsed in minor units: a third decimal of CNY is refused, nothing stored */
  tsy_admin_policies_fill (page, "12.345", "CNY", 1, 0);
  tsy_admin_policies_submit (page);
  g_assert_nonnull (tsy_admin_policies_get_error (page));
  wait_idle (f, "nothing");
  g_clear_pointer (&bands, g_ptr_array_unref);
  bands = tsy_policy_list (f->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bands->len, ==, 1);

  /* a unit's own band, replacing the inherited view */
  tsy_admin_policies_fill (page, "50000", "CNY", 1, 0);
  tsy_admin_policies_submit (page);
  wait_idle (f, "the unit's band");
  g_assert_null (tsy_admin_policies_get_error (page));
  g_clear_pointer (&bands, g_ptr_array_unref);
  bands = tsy_policy_list (f->store, "SZ", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bands->len, ==, 1);
  g_assert_cmpint (((TsyPolicyBand *) bands->pdata[0])->up_to_minor, ==, 5000000);
  text = tsy_admin_policies_get_text (page);
  g_assert_nonnull (strstr (text, "50,000.00"));
  g_assert_null (strstr (text, "Inherited"));
}

static void
count_cb (TsyAdminWindow *window,
          guint          *count)
{
  (*count)++;
}

static void
test_channels (Fixture       *f,
               gconstpointer  data)
{
  guint changes = 0;
  TsyAdminChannels *page = tsy_admin_window_get_channels_page (f->window);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) ledger_error = NULL;
  g_autoptr(TsyBankChannel) channel = NULL;
  g_autoptr(TsyBankChannel) none = NULL;
  g_autofree char *folder = g_build_filename (f->dir, "icbc-drop", NULL);
  g_autofree char *cert = g_build_filename (f->dir, "client.pem", NULL);
  g_autofree char *key = g_build_filename (f->dir, "client.key", NULL);
  g_autofree char *ca = g_build_filename (f->dir, "ca.pem", NULL);
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;

  g_assert_true (tsy_admin_window_set_page (f->window, "channels"));
  g_signal_connect (f->window, "ledger-changed", G_CALLBACK (count_cb), &changes);
  text = tsy_admin_channels_get_text (page);
  g_assert_nonnull (strstr (text, "ICBC: "));
  g_assert_nonnull (strstr (text, "BOC: "));
  g_assert_null (strstr (text, "[open]"));
  g_clear_pointer (&text, g_free);

  /* a folder channel */
  g_assert_true (tsy_admin_channels_fill (page, "ICBC", TSY_CHANNEL_FOLDER, folder, NULL, NULL, NULL,
                                          "pain.001.001.03", "5", "30"));
  tsy_admin_channels_submit (page);
  wait_idle (f, "the folder channel");
  g_assert_null (tsy_admin_channels_get_error (page));
  g_assert_false (tsy_admin_channels_get_form_visible (page));
  g_assert_cmpuint (changes, ==, 1);
  channel = tsy_bank_channel_lookup (f->store, "ICBC", &error);
  g_assert_no_error (error);
  g_assert_cmpint (channel->kind, ==, TSY_CHANNEL_FOLDER);
  g_assert_cmpstr (channel->url, ==, folder);
  g_assert_cmpstr (channel->format, ==, "pain.001.001.03");
  g_assert_cmpuint (channel->connect_timeout_ms, ==, 5000);
  g_assert_cmpuint (channel->timeout_ms, ==, 30000);
  g_assert_true (channel->is_open);
  text = tsy_admin_channels_get_text (page);
  g_test_message ("%s", text);
  expected = g_strdup_printf ("ICBC: Folder drop · %s [open]", folder);
  g_assert_nonnull (strstr (text, expected));
  g_clear_pointer (&text, g_free);

  /* an https channel with a plain http:// URL: the ledger's own refusal, nothing stored */
  g_assert_true (tsy_admin_channels_fill (page, "BOC", TSY_CHANNEL_HTTPS, "http://h2h.boc.example/pay",
                                          cert, key, ca, "pain.001.001.09", "10", "60"));
  tsy_admin_channels_submit (page);
  wait_idle (f, "the refused channel");
  g_assert_nonnull (tsy_admin_channels_get_error (page));
  g_assert_true (tsy_admin_channels_get_form_visible (page));
  {
    TsyBankChannel same = { .bank_code = "BOC", .kind = TSY_CHANNEL_HTTPS,
                            .url = "http://h2h.boc.example/pay", .cert_file = cert,
                            .key_file = key, .ca_file = ca, .format = "pain.001.001.09",
                            .connect_timeout_ms = 10000, .timeout_ms = 60000 };
    g_assert_false (tsy_bank_channel_set (f->store, &same, "test", &ledger_error));
    g_assert_nonnull (ledger_error);
    g_assert_cmpstr (tsy_admin_channels_get_error (page), ==, ledger_error->message);
  }
  g_assert_cmpuint (changes, ==, 1);
  none = tsy_bank_channel_lookup (f->store, "BOC", &error);
  g_assert_null (none);
  g_assert_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* a relative folder is refused by the ledger too */
  g_assert_true (tsy_admin_channels_fill (page, "BOC", TSY_CHANNEL_FOLDER, "relative/drop",
                                          NULL, NULL, NULL, NULL, NULL, NULL));
  tsy_admin_channels_submit (page);
  wait_idle (f, "the refused folder");
  g_assert_nonnull (tsy_admin_channels_get_error (page));
  g_assert_nonnull (strstr (tsy_admin_channels_get_error (page), "relative/drop"));

  /* a time-out that is not a number never reaches the ledger */
  g_assert_true (tsy_admin_channels_fill (page, "BOC", TSY_CHANNEL_FOLDER, folder,
                                          NULL, NULL, NULL, NULL, "ten", NULL));
  tsy_admin_channels_submit (page);
  g_assert_nonnull (strstr (tsy_admin_channels_get_error (page), "ten"));
  g_assert_cmpuint (tsy_admin_window_get_pending (f->window), ==, 0);

  /* closing the channel */
  tsy_admin_channels_set_open (page, "ICBC", FALSE);
  wait_idle (f, "the close");
  g_clear_pointer (&channel, tsy_bank_channel_free);
  channel = tsy_bank_channel_lookup (f->store, "ICBC", &error);
  g_assert_no_error (error);
  g_assert_false (channel->is_open);
  text = tsy_admin_channels_get_text (page);
  g_assert_nonnull (strstr (text, "[closed]"));
}

static gboolean
store_closed (gpointer data)
{
  return tsy_window_get_store (data) == NULL;
}

static TsyAdminWindow *
find_admin_window (void)
{
  return (TsyAdminWindow *) tsy_test_ui_find_toplevel (TSY_TYPE_ADMIN_WINDOW);
}

static void
test_main_window_action (Fixture       *f,
                         gconstpointer  data)
{
  TsyWindow *main_window = tsy_window_new (NULL, f->path);
  TsyAdminWindow *admin;

  gtk_window_present (GTK_WINDOW (main_window));
  tsy_test_ui_wait (store_closed, main_window, "the database");

  /* the fixture's window is the only one so far */
  g_assert_true (find_admin_window () == f->window);
  gtk_window_destroy (GTK_WINDOW (f->window));
  f->window = NULL;
  g_assert_null (find_admin_window ());

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (main_window), "win.administration",
                                             "s", "channels"));
  admin = find_admin_window ();
  g_assert_nonnull (admin);
  g_assert_cmpstr (tsy_admin_window_get_page (admin), ==, "channels");
  /* again: the same window, now on another page */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (main_window), "win.administration",
                                             "s", "policies"));
  g_assert_true (find_admin_window () == admin);
  g_assert_cmpstr (tsy_admin_window_get_page (admin), ==, "policies");
  f->window = admin;
  wait_idle (f, "the admin window's load");

  gtk_window_destroy (GTK_WINDOW (main_window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  /* destroyed with its parent */
  g_assert_null (find_admin_window ());
  f->window = NULL;
}

int
main (int    argc,
      char **argv)
{
  if (!tsy_test_ui_init (&argc, &argv, "administration window"))
    return 77;

  g_test_add ("/ui/admin/users", Fixture, NULL, fixture_setup, test_users, fixture_teardown);
  g_test_add ("/ui/admin/import-key", Fixture, NULL, fixture_setup, test_import_key, fixture_teardown);
  g_test_add ("/ui/admin/policies", Fixture, NULL, fixture_setup, test_policies, fixture_teardown);
  g_test_add ("/ui/admin/channels", Fixture, NULL, fixture_setup, test_channels, fixture_teardown);
  g_test_add ("/ui/admin/main-window-action", Fixture, NULL, fixture_setup,
              test_main_window_action, fixture_teardown);
  return g_test_run ();
}
