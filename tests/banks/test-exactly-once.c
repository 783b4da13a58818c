/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Exactly once, under fire: 1,200 approved payments go to treasury-banksim through the real
 * `treasury pay send`, while the bank injects random faults (refusals, slow answers, time-outs,
 * dropped connections after acceptance, 5xx, duplicated statuses, malformed answers) and the test
 * kills the sending process with SIGKILL at random moments and starts it again. When everything
 * has settled, every payment must have been carried in exactly one message, executed at the bank
 * at most once, and the application's final status must agree with the bank's books: executed
 * there once ⇔ executed here; never executed there ⇔ rejected here. Bounded in time.
 */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "banks/tsy-payment-signer.h"
#include "ledger/tsy-account.h"
#include "ledger/tsy-bank-channel.h"
#include "ledger/tsy-bank.h"
#include "ledger/tsy-org.h"
#include "ledger/tsy-outbox.h"
#include "ledger/tsy-payment.h"
#include "ledger/tsy-store-private.h"
#include "tsy-test-banksim.h"

#define N_PAYMENTS 1200
#define PER_MESSAGE 8
#define N_PAYEES 40
#define BUDGET_S 150            /* the whole test stays well inside meson's time-out */
#define MIN_KILLS 25

static const char *const debtors[] = { "0200001209000111111", "0200001209000222222", "0200001209000333333" };

static char *
payee (guint i)
{
  /* every fourth payee banks with the simulated bank too: internal credits */
  return g_strdup_printf ("40000230092%08u", i);
}

static TsyStore *
open_db (const char *path)
{
  g_autoptr(GError) error = NULL;
  TsyStore *store = tsy_store_open_existing (path, &error);

  g_assert_no_error (error);
  return store;
}

static void
make_payments (const char *db, TsyTestBank *bank)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyStore) store = tsy_store_open (db, &error);
  g_autofree TsyPaymentSpec *specs = g_new0 (TsyPaymentSpec, N_PAYMENTS);
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) ids = NULL;
  TsyBankChannel channel = { .bank_code = "ICBC", .kind = TSY_CHANNEL_HTTPS, .url = bank->url,
                             .cert_file = bank->client_cert, .key_file = bank->client_key,
                             .ca_file = bank->ca, .connect_timeout_ms = 1000, .timeout_ms = 1000 };
  guint approved = 0;
  gint64 batch;

  g_assert_no_error (error);
  g_assert_cmpint (tsy_org_add (store, "G", "华夏控股集团有限公司", NULL, &error), >, 0);
  g_assert_cmpint (tsy_bank_add (store, "ICBC", "中国工商银行", "ICBKCNBJ", NULL, "CN", &error), >, 0);
  for (guint d = 0; d < G_N_ELEMENTS (debtors); d++)
    {
      TsyAccountSpec a = { .number = debtors[d], .org_code = "G", .bank_code = "ICBC", .currency = "CNY" };
      g_assert_cmpint (tsy_account_add (store, &a, &error), >, 0);
    }
  g_assert_cmpint (tsy_user_create (store, "mia", TSY_ROLE_MAKER, NULL, NULL, "maker passphrase", "t", &error), >, 0);
  g_assert_cmpint (tsy_user_create (store, "ada", TSY_ROLE_APPROVER, NULL, NULL, "approver passphrase", "t", &error), >, 0);
  g_assert_true (tsy_bank_channel_set (store, &channel, "test", &error));
  g_assert_no_error (error);

  for (guint i = 0; i < N_PAYMENTS; i++)
    {
      char *to = payee (i % N_PAYEES);
      g_ptr_array_add (keep, to);
      specs[i].debtor_account = debtors[i % G_N_ELEMENTS (debtors)];
      specs[i].creditor_name = "供应商";
      specs[i].creditor_account = to;
      specs[i].amount_minor = 100000 + i;          /* all different: no duplicates */
      specs[i].currency = "CNY";
      specs[i].execution_date = tsy_date_today ();
      specs[i].remittance = "exactly once";
    }
  batch = tsy_payment_create_batch (store, TSY_BATCH_SUPPLIER, "fault run", specs, N_PAYMENTS, "mia", &error);
  g_assert_no_error (error);
  ids = tsy_payment_batch_ids (store, batch, &error);
  g_assert_true (tsy_store_begin (store, &error));
  for (guint i = 0; i < ids->len; i++)
    g_assert_true (tsy_payment_submit (store, g_array_index (ids, gint64, i), "mia", &error));
  g_assert_true (tsy_store_commit (store, &error));
  g_assert_true (tsy_payment_sign_approve (store, (gint64 *) (gpointer) ids->data, ids->len, "ada",
                                           "approver passphrase", &approved, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (approved, ==, N_PAYMENTS);
}

/* Payments not yet final and messages whose outcome is open. */
static void
count_open (const char *db, guint *out_approved, guint *out_in_flight, guint *out_not_final)
{
  g_autoptr(TsyStore) store = open_db (db);
  g_autoptr(GPtrArray) list = tsy_payment_list (store, NULL, NULL);
  g_autoptr(GPtrArray) msgs = tsy_outbox_list (store, 0, 1u << TSY_OUTBOX_PENDING | 1u << TSY_OUTBOX_SENDING |
                                               1u << TSY_OUTBOX_UNKNOWN, NULL);

  *out_approved = *out_not_final = 0;
  for (guint i = 0; i < list->len; i++)
    {
      TsyPaymentInfo *p = g_ptr_array_index (list, i);
      *out_approved += p->status == TSY_PAYMENT_APPROVED;
      *out_not_final += !tsy_payment_status_is_final (p->status);
    }
  *out_in_flight = msgs->len;
}

/* Runs `treasury pay send`; kills it with SIGKILL after @kill_after_ms when > 0. */
static gboolean
run_sender (const char *db, guint kill_after_ms)
{
  const char *treasury = g_getenv ("TREASURY_BIN");
  g_autofree char *per = g_strdup_printf ("%d", PER_MESSAGE);
  const char *argv[] = { treasury, "--db", db, "pay", "send", "--all", "--max-per-message", per, "--json", NULL };
  g_autoptr(GError) error = NULL;
  GPid pid;
  int status = 0;
  gboolean killed = FALSE;

  g_assert_true (g_spawn_async (NULL, (char **) argv, NULL,
                                G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                NULL, NULL, &pid, &error));
  g_assert_no_error (error);
  if (kill_after_ms > 0)
    {
      gint64 until = g_get_monotonic_time () + (gint64) kill_after_ms * 1000;
      while (g_get_monotonic_time () < until)
        {
          if (waitpid (pid, &status, WNOHANG) == pid)
            goto done;
          g_usleep (5000);
        }
      kill (pid, SIGKILL);
      killed = TRUE;
    }
  {
    /* a sender left alone finishes on its own; a hard limit all the same */
    gint64 until = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
    while (waitpid (pid, &status, WNOHANG) != pid)
      {
        if (g_get_monotonic_time () > until)
          {
            kill (pid, SIGKILL);
            waitpid (pid, &status, 0);
            g_error ("a sender did not finish in 60 s");
          }
        g_usleep (5000);
      }
  }
done:
  g_spawn_close_pid (pid);
  if (!killed)
    g_assert_true (WIFEXITED (status) && (WEXITSTATUS (status) == 0 || WEXITSTATUS (status) == 1));
  return killed;
}

typedef struct
{
  guint executions;
  guint messages;
} BankView;

static GHashTable *
bank_view (TsyTestBank *bank)
{
  GHashTable *view = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  long status = 0;
  g_autofree char *text = tsy_test_bank_request (bank, "/admin/executions", NULL, &status);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  g_assert_cmpint (status, ==, 200);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], "\t", -1);
      BankView *v;
      if (g_strv_length (f) < 3)
        continue;
      v = g_new0 (BankView, 1);
      v->executions = (guint) g_ascii_strtoull (f[1], NULL, 10);
      v->messages = (guint) g_ascii_strtoull (f[2], NULL, 10);
      g_hash_table_insert (view, g_strdup (f[0]), v);
    }
  return view;
}

static gint64
count (TsyStore *store, const char *sql)
{
  sqlite3_stmt *stmt = tsy_store_prepare (store, sql, NULL);
  gint64 n;

  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

static void
test_faults_and_kills (void)
{
  g_autofree char *faults = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  char *accounts[G_N_ELEMENTS (debtors) + N_PAYEES / 4 + 1] = { NULL };
  TsyTestBank *bank;
  gint64 started = g_get_monotonic_time ();
  guint rounds = 0, kills = 0, approved, in_flight, not_final;
  guint32 seed = g_test_rand_int ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  /* two rich debtors, one that runs dry (its later payments are rejected for funds) */
  accounts[0] = g_strdup_printf ("%s:CNY:100000000.00:ICBKCNBJ", debtors[0]);
  accounts[1] = g_strdup_printf ("%s:CNY:100000000.00:ICBKCNBJ", debtors[1]);
  accounts[2] = g_strdup_printf ("%s:CNY:250000.00:ICBKCNBJ", debtors[2]);
  for (guint i = 0; i < N_PAYEES / 4; i++)
    {
      g_autofree char *to = payee (i * 4);
      accounts[3 + i] = g_strdup_printf ("%s:CNY:0:ICBKCNBJ", to);
    }
  faults = g_strdup_printf ("refuse=0.02,slow=0.06,timeout=0.04,drop=0.08,5xx=0.08,dup-status=0.05,"
                            "malformed=0.06,slow-ms=150,hang-ms=1300,seed=%u", seed);
  g_test_message ("seed %u, faults %s", seed, faults);
  bank = tsy_test_bank_start ((const char *const *) accounts, faults, BUDGET_S + 60);
  for (guint i = 0; i < G_N_ELEMENTS (accounts); i++)
    g_free (accounts[i]);
  if (bank == NULL)
    return;
  if (g_getenv ("TREASURY_BIN") == NULL)
    {
      tsy_test_bank_stop (bank);
      g_test_skip ("TREASURY_BIN is not set");
      return;
    }
  dir = g_dir_make_tmp ("tsy-exactly-once-XXXXXX", NULL);
  db = g_build_filename (dir, "t.db", NULL);
  make_payments (db, bank);

  /* Under fire: random faults at the bank, random SIGKILLs of the sender. */
  for (;;)
    {
      /* mostly killed while it works (at any point: preparing, sending, applying answers), now
       * and then left to finish */
      guint kill_after = kills < MIN_KILLS || g_rand_int_range (rand, 0, 100) < 50
                         ? (guint) g_rand_int_range (rand, 20, 600) : 0;
      if (run_sender (db, kill_after))
        kills++;
      rounds++;
      count_open (db, &approved, &in_flight, &not_final);
      if (approved == 0 && in_flight == 0 && kills >= MIN_KILLS)
        break;
      if ((g_get_monotonic_time () - started) / G_USEC_PER_SEC > BUDGET_S - 30)
        break;
    }
  g_test_message ("under fire: %u rounds, %u kills, %u approved left, %u messages open, %.0f s",
                  rounds, kills, approved, in_flight, (double) (g_get_monotonic_time () - started) / G_USEC_PER_SEC);
  g_assert_cmpuint (kills, >=, MIN_KILLS);

  /* The storm is over: what is open settles by asking the bank, never by sending blindly. */
  {
    long status = 0;
    g_autofree char *ok = tsy_test_bank_request (bank, "/admin/faults", "none", &status);
    g_assert_cmpint (status, ==, 200);
    g_assert_cmpstr (ok, ==, "ok\n");
  }
  for (guint extra = 0; extra < 40; extra++)
    {
      run_sender (db, 0);
      count_open (db, &approved, &in_flight, &not_final);
      if (approved == 0 && in_flight == 0 && not_final == 0)
        break;
      g_usleep (100 * 1000);
    }
  g_assert_cmpuint (approved, ==, 0);
  g_assert_cmpuint (in_flight, ==, 0);
  g_assert_cmpuint (not_final, ==, 0);

  /* The proof. */
  {
    g_autoptr(GHashTable) view = bank_view (bank);
    g_autoptr(TsyStore) store = open_db (db);
    g_autoptr(GPtrArray) list = tsy_payment_list (store, NULL, NULL);
    g_autoptr(GHashTable) msg_ids = g_hash_table_new (g_str_hash, g_str_equal);
    guint executed = 0, rejected = 0;
    gint64 unknowns = count (store, "SELECT count(*) FROM audit_event WHERE action = 'message.state' AND detail LIKE '%-> unknown%'");
    gint64 resends = count (store, "SELECT count(*) FROM audit_event WHERE action = 'message.state' AND detail LIKE 'unknown -> pending%'");
    gint64 crashed = count (store, "SELECT count(*) FROM audit_event WHERE action = 'message.state' AND detail LIKE '%interrupted while sending%'");

    g_assert_cmpuint (list->len, ==, N_PAYMENTS);
    for (guint i = 0; i < list->len; i++)
      {
        TsyPaymentInfo *p = g_ptr_array_index (list, i);
        BankView *v = g_hash_table_lookup (view, p->end_to_end_id);

        g_assert_nonnull (p->msg_id);
        g_hash_table_add (msg_ids, p->msg_id);
        /* the bank saw it, in exactly one message, executed at most once */
        if (v == NULL)
          g_error ("payment %" G_GINT64_FORMAT " (%s) never reached the bank", p->id, p->end_to_end_id);
        g_assert_cmpuint (v->messages, ==, 1);
        g_assert_cmpuint (v->executions, <=, 1);
        /* and both sides agree */
        if (p->status == TSY_PAYMENT_EXECUTED)
          {
            g_assert_cmpuint (v->executions, ==, 1);
            executed++;
          }
        else
          {
            if (p->status != TSY_PAYMENT_REJECTED)
              g_error ("payment %" G_GINT64_FORMAT " ended %s", p->id, tsy_payment_status_to_string (p->status));
            g_assert_cmpuint (v->executions, ==, 0);
            rejected++;
          }
      }
    g_assert_cmpuint (g_hash_table_size (view), ==, N_PAYMENTS);
    g_test_message ("%u executed, %u rejected, %u messages; %" G_GINT64_FORMAT " unknown outcomes (%" G_GINT64_FORMAT
                    " of them killed while sending), %" G_GINT64_FORMAT " resent after the bank said it never got them",
                    executed, rejected, g_hash_table_size (msg_ids), unknowns, crashed, resends);
    g_assert_cmpuint (executed, >, N_PAYMENTS / 2);
    g_assert_cmpuint (rejected, >, 0);
    /* the faults did hit: outcomes were unknown and were resolved */
    g_assert_cmpint (unknowns, >, 0);
  }

  /* the balances at the bank are the executed payments, to the fen */
  {
    g_autoptr(TsyStore) store = open_db (db);
    long status = 0;
    g_autofree char *text = tsy_test_bank_request (bank, "/admin/accounts", NULL, &status);
    g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
    const gint64 opening[] = { 10000000000, 10000000000, 25000000 };

    for (guint d = 0; d < G_N_ELEMENTS (debtors); d++)
      {
        TsyPaymentFilter filter = { .statuses = 1u << TSY_PAYMENT_EXECUTED };
        g_autoptr(GPtrArray) done = tsy_payment_list (store, &filter, NULL);
        gint64 paid = 0, balance = -1;
        for (guint i = 0; i < done->len; i++)
          {
            TsyPaymentInfo *p = g_ptr_array_index (done, i);
            if (strcmp (p->debtor_account, debtors[d]) == 0)
              paid += p->amount_minor;
          }
        for (guint i = 0; lines[i] != NULL; i++)
          if (g_str_has_prefix (lines[i], debtors[d]))
            balance = g_ascii_strtoll (strrchr (lines[i], '\t') + 1, NULL, 10);
        g_assert_cmpint (balance, ==, opening[d] - paid);
      }
  }

  tsy_test_bank_stop (bank);
  tsy_test_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/banks/exactly-once/faults-and-kills", test_faults_and_kills);
  return g_test_run ();
}
