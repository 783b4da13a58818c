/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Payments page on a database with a paying unit, an account with a daily limit, a maker,
 * an approver and a one-approval policy (all made through the ledger API): the form refuses an
 * amount above the daily limit as it is typed and saves nothing; a valid payment is saved and
 * submitted; the approver's view shows its money-moving fields and digest; a wrong passphrase
 * approves nothing and the right one, typed in the signing dialog, approves it in the ledger.
 * Against treasury-banksim on loopback: Send from the page delivers an approved payment, and
 * the page's poll brings it back executed, the channel's health shown.
 * Batches: a GB18030 CSV imported through the page is one batch of drafts with the right count
 * and total, a broken one is refused with its line and stores nothing; the batch is submitted
 * and approved whole with one passphrase typed in its dialog, whose text names what is signed.
 * Two approvers: the maker cannot approve, one approval of two leaves the payment submitted,
 * the second approves it; Send executes it at the bank simulator and it becomes a book entry of
 * its account with the end-to-end id as reference. */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "ledger/tsy-account.h"
#include "ledger/tsy-bank-channel.h"
#include "ledger/tsy-bank.h"
#include "ledger/tsy-book.h"
#include "ledger/tsy-org.h"
#include "ledger/tsy-payment.h"
#include "ledger/tsy-policy.h"
#include "ledger/tsy-store.h"
#include "ledger/tsy-user.h"
#include "banks/tsy-payment-signer.h"
#include "ui/tsy-payments-page-private.h"
#include "ui/tsy-ui.h"
#include "../banks/tsy-test-banksim.h"
#include "tsy-test-ui.h"

#define ACCOUNT "6222000011112222"        /* CNY, daily limit 2,000,000.00 */
#define PAYEE   "4000023009200055555"
#define MAKER_PASS    "maker passphrase"
#define APPROVER_PASS "approver passphrase"
#define SECOND_PASS   "second approver passphrase"
#define LIN_PASS      "lin passphrase"

typedef struct
{
  char            *dir;
  char            *path;
  GtkWidget       *window;
  TsyPaymentsPage *page;
  TsyStore        *store;   /* the page's connection */
} Fixture;

static gboolean
page_busy (gpointer data)
{
  Fixture *f = data;

  return tsy_payments_page_get_pending (f->page) > 0;
}

/* Runs the main loop until the page has nothing in flight. */
static void
wait_idle (Fixture    *f,
           const char *what)
{
  tsy_test_ui_wait (page_busy, f, what);
}

static TsyPaymentInfo *
lookup (Fixture *f,
        gint64   id)
{
  g_autoptr(GError) error = NULL;
  TsyPaymentInfo *info = tsy_payment_lookup (f->store, id, &error);

  g_assert_no_error (error);
  return info;
}

typedef struct
{
  Fixture *f;
  gint64   id;
} InFlight;

static gboolean
payment_in_flight (gpointer data)
{
  InFlight *w = data;
  g_autoptr(TsyPaymentInfo) info = lookup (w->f, w->id);

  return !tsy_payment_status_is_final (info->status);
}

/* Runs the main loop (the page polls the ledger and the bank) until payment @id is final.
 * Returns: (transfer full): the payment then. */
static TsyPaymentInfo *
wait_final (Fixture *f,
            gint64   id)
{
  InFlight w = { f, id };

  tsy_test_ui_wait (payment_in_flight, &w, "the payment to become final");
  return lookup (f, id);
}

static GtkWidget *
find_descendant (GtkWidget  *widget,
                 GType       type,
                 const char *label)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type) &&
          (label == NULL || g_strcmp0 (gtk_button_get_label (GTK_BUTTON (child)), label) == 0))
        return child;
      if ((found = find_descendant (child, type, label)) != NULL)
        return found;
    }
  return NULL;
}

/* After the page's own handler: the passphrase does not stay in the entry. */
static void
on_signing_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        GtkEditable      *entry)
{
  g_assert_cmpstr (response, ==, "approve");
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "");
}

/* Clicks the button labelled @button, and in the signing dialog it opens (whose body or list
 * contains @expected) types @passphrase and answers Approve, as the approver does. */
static void
sign_through_dialog (Fixture    *f,
                     const char *button,
                     const char *expected,
                     const char *passphrase)
{
  GtkWidget *clicked = find_descendant (f->window, GTK_TYPE_BUTTON, button);
  GListModel *toplevels = gtk_window_get_toplevels ();   /* (transfer none) */
  AdwMessageDialog *dialog = NULL;
  GtkWidget *entry = NULL, *label;
  g_autofree char *body = NULL;

  g_assert_nonnull (clicked);
  g_assert_true (gtk_widget_get_sensitive (clicked));
  g_signal_emit_by_name (clicked, "clicked");
  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && dialog == NULL; i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);
      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)) &&
          (entry = find_descendant (GTK_WIDGET (window), GTK_TYPE_PASSWORD_ENTRY, NULL)) != NULL)
        dialog = ADW_MESSAGE_DIALOG (window);
    }
  g_assert_nonnull (dialog);
  label = find_descendant (adw_message_dialog_get_extra_child (dialog), GTK_TYPE_LABEL, NULL);
  body = g_strconcat (adw_message_dialog_get_body (dialog),
                      label != NULL ? gtk_label_get_text (GTK_LABEL (label)) : "", NULL);
  g_test_message ("%s", body);
  g_assert_nonnull (strstr (body, expected));
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "approve");
  gtk_editable_set_text (GTK_EDITABLE (entry), passphrase);
  g_signal_connect (dialog, "response", G_CALLBACK (on_signing_response_cb), entry);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  adw_message_dialog_response (dialog, "approve");
  if (dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
      /* (GTK 4.8 warns when a window goes with the focus in a password entry) */
      gtk_window_set_focus (GTK_WINDOW (dialog), NULL);
      gtk_window_destroy (GTK_WINDOW (dialog));
    }
}

static GPtrArray *
ledger_payments (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyStore) store = tsy_store_open_existing (f->path, &error);
  TsyPaymentFilter filter = { 0 };
  GPtrArray *list;

  g_assert_no_error (error);
  list = tsy_payment_list (store, &filter, &error);
  g_assert_no_error (error);
  return list;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *overlay;
  TsyAccountSpec a = { .number = ACCOUNT, .org_code = "G", .bank_code = "ICBC", .currency = "CNY",
                       .name = "基本户", .has_daily_limit = TRUE, .daily_limit_minor = 200000000 };

  f->dir = g_dir_make_tmp ("tsy-ui-payments-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "pay.db", NULL);
  f->store = tsy_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tsy_org_add (f->store, "G", "华夏控股集团有限公司", NULL, &error), >, 0);
  g_assert_cmpint (tsy_bank_add (f->store, "ICBC", "中国工商银行", "ICBKCNBJ", "102100099996", "CN", &error), >, 0);
  g_assert_cmpint (tsy_account_add (f->store, &a, &error), >, 0);
  g_assert_cmpint (tsy_user_create (f->store, "mia", TSY_ROLE_MAKER, NULL, NULL, MAKER_PASS, "t", &error), >, 0);
  g_assert_cmpint (tsy_user_create (f->store, "ada", TSY_ROLE_APPROVER, NULL, NULL, APPROVER_PASS, "t", &error), >, 0);
  g_assert_true (tsy_policy_set (f->store, "G", "CNY", 100000000000, 1, 0, "t", &error));
  g_assert_no_error (error);

  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1300, 800);
  overlay = adw_toast_overlay_new ();
  f->page = TSY_PAYMENTS_PAGE (tsy_payments_page_new ());
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), GTK_WIDGET (f->page));
  gtk_window_set_child (GTK_WINDOW (f->window), overlay);
  gtk_window_present (GTK_WINDOW (f->window));
  tsy_payments_page_set_store (f->page, f->store);
  wait_idle (f, "the first load");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->store);
  {
    /* the database, its WAL files and the CSV files of the batch tests */
    g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *file = g_build_filename (f->dir, name, NULL);
        g_remove (file);
      }
  }
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static void
fill_and_check (Fixture    *f,
                const char *amount)
{
  tsy_payments_page_fill_form (f->page, ACCOUNT, "深圳市供应商有限公司", PAYEE, "ICBKCNBJ",
                               amount, "CNY", "2026-12-01", "货款 INV-0042");
  wait_idle (f, "the form check");
  g_assert_true (tsy_payments_page_get_form_checked (f->page));
}

static void
test_make_and_approve (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(TsyPaymentInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *amount_line = NULL;
  const char *message;
  gboolean is_error = FALSE;
  gint64 id;

  g_assert_true (tsy_payments_page_set_user (f->page, "mia"));
  g_assert_cmpuint (tsy_payments_page_get_n_payments (f->page), ==, 0);

  /* above the daily limit: the reason is shown and nothing is saved */
  fill_and_check (f, "2000000.01");
  g_assert_nonnull (tsy_payments_page_get_form_error (f->page));
  g_assert_nonnull (strstr (tsy_payments_page_get_form_error (f->page), "limit"));
  tsy_payments_page_save_form (f->page, FALSE);
  wait_idle (f, "the refused save");
  list = ledger_payments (f);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* a bad amount is refused before the ledger is asked */
  fill_and_check (f, "12.345");
  g_assert_nonnull (tsy_payments_page_get_form_error (f->page));

  /* a valid one: no error, saved and submitted */
  fill_and_check (f, "1,234.56");
  g_assert_null (tsy_payments_page_get_form_error (f->page));
  tsy_payments_page_save_form (f->page, TRUE);
  wait_idle (f, "the save and submit");
  message = tsy_payments_page_get_last_message (f->page, &is_error);
  g_assert_nonnull (message);
  g_assert_false (is_error);
  list = ledger_payments (f);
  g_assert_cmpuint (list->len, ==, 1);
  info = g_ptr_array_steal_index (list, 0);
  id = info->id;
  g_assert_cmpint (info->status, ==, TSY_PAYMENT_SUBMITTED);
  g_assert_cmpint (info->amount_minor, ==, 123456);
  g_assert_cmpstr (info->maker, ==, "mia");
  g_assert_nonnull (info->digest);
  g_assert_cmpuint (tsy_payments_page_get_n_payments (f->page), ==, 1);

  /* the same again is an exact duplicate: refused until the maker confirms it */
  fill_and_check (f, "1,234.56");
  g_assert_nonnull (tsy_payments_page_get_form_error (f->page));
  g_assert_true (tsy_payments_page_confirm_duplicate (f->page));
  wait_idle (f, "the confirmed check");
  g_assert_true (tsy_payments_page_get_form_checked (f->page));
  g_assert_null (tsy_payments_page_get_form_error (f->page));

  /* the approver's view shows what will be signed */
  g_assert_true (tsy_payments_page_set_user (f->page, "ada"));
  g_assert_true (tsy_payments_page_select (f->page, id));
  detail = tsy_payments_page_get_detail_text (f->page);
  g_test_message ("%s", detail);
  g_assert_nonnull (strstr (detail, "深圳市供应商有限公司"));
  g_assert_nonnull (strstr (detail, PAYEE));
  g_assert_nonnull (strstr (detail, ACCOUNT));
  g_assert_nonnull (strstr (detail, "2026-12-01"));
  g_assert_nonnull (strstr (detail, "货款 INV-0042"));
  g_assert_nonnull (strstr (detail, info->digest));
  g_assert_nonnull (strstr (detail, info->end_to_end_id));
  amount_line = g_strdup_printf (": CNY");
  g_assert_nonnull (strstr (detail, amount_line));
  g_assert_true (strstr (detail, "1,234.56") != NULL || strstr (detail, "1234.56") != NULL);

  /* a wrong passphrase approves nothing */
  tsy_payments_page_approve_selected (f->page, "not the passphrase");
  wait_idle (f, "the refused approval");
  message = tsy_payments_page_get_last_message (f->page, &is_error);
  g_assert_true (is_error);
  g_clear_pointer (&info, tsy_payment_info_free);
  info = tsy_payment_lookup (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->status, ==, TSY_PAYMENT_SUBMITTED);
  g_assert_cmpuint (info->approvals, ==, 0);

  /* the maker cannot approve their own payment */
  g_assert_true (tsy_payments_page_set_user (f->page, "mia"));
  g_assert_true (tsy_payments_page_select (f->page, id));
  tsy_payments_page_approve_selected (f->page, MAKER_PASS);
  wait_idle (f, "the maker's refused approval");
  tsy_payments_page_get_last_message (f->page, &is_error);
  g_assert_true (is_error);

  /* the approver with the right passphrase, typed in the signing dialog */
  g_assert_true (tsy_payments_page_set_user (f->page, "ada"));
  g_assert_true (tsy_payments_page_select (f->page, id));
  wait_idle (f, "the selection");
  sign_through_dialog (f, "_Approve…", info->digest, APPROVER_PASS);
  wait_idle (f, "the approval");
  message = tsy_payments_page_get_last_message (f->page, &is_error);
  g_assert_false (is_error);
  g_clear_pointer (&info, tsy_payment_info_free);
  info = tsy_payment_lookup (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->status, ==, TSY_PAYMENT_APPROVED);
  g_assert_cmpuint (info->approvals, ==, 1);
  g_clear_pointer (&detail, g_free);
  detail = tsy_payments_page_get_detail_text (f->page);
  g_assert_nonnull (strstr (detail, "1 / 1"));
}

static void
test_send (Fixture       *f,
           gconstpointer  data)
{
  const char *accounts[] = { ACCOUNT ":CNY:1000000.00:ICBKCNBJ",
                             PAYEE ":CNY:0:ICBKCNBJ:深圳市供应商有限公司", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyPaymentInfo) info = NULL;
  g_autoptr(GPtrArray) channels = NULL;
  const TsyBankChannel *channel;
  TsyTestBank *bank = tsy_test_bank_start (accounts, NULL, 120);
  TsyPaymentSpec spec = { .debtor_account = ACCOUNT, .creditor_name = "深圳市供应商有限公司",
                          .creditor_account = PAYEE, .creditor_bic = "ICBKCNBJ",
                          .amount_minor = 8800000, .currency = "CNY", .remittance = "货款" };
  gint64 id;
  guint approved = 0;

  if (bank == NULL)
    return;
  {
    TsyBankChannel ch = { .bank_code = "ICBC", .kind = TSY_CHANNEL_HTTPS, .url = bank->url,
                          .cert_file = bank->client_cert, .key_file = bank->client_key,
                          .ca_file = bank->ca, .connect_timeout_ms = 2000, .timeout_ms = 5000 };
    g_assert_true (tsy_bank_channel_set (f->store, &ch, "t", &error));
    g_assert_no_error (error);
  }
  spec.execution_date = tsy_date_today ();
  id = tsy_payment_create (f->store, &spec, "mia", &error);
  g_assert_no_error (error);
  g_assert_true (tsy_payment_submit (f->store, id, "mia", &error));
  g_assert_true (tsy_payment_sign_approve (f->store, &id, 1, "ada", APPROVER_PASS, &approved, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (approved, ==, 1);

  tsy_payments_page_reload (f->page);
  wait_idle (f, "the reload");
  tsy_payments_page_send (f->page);
  wait_idle (f, "the send");

  /* the page polls the ledger (and asks the bank for news) while the payment is in flight */
  g_clear_pointer (&info, tsy_payment_info_free);
  info = wait_final (f, id);
  g_assert_cmpint (info->status, ==, TSY_PAYMENT_EXECUTED);
  wait_idle (f, "the last poll");
  tsy_payments_page_reload (f->page);
  wait_idle (f, "the reload");
  g_assert_true (tsy_payments_page_select (f->page, id));
  {
    g_autofree char *detail = tsy_payments_page_get_detail_text (f->page);
    g_assert_nonnull (strstr (detail, info->end_to_end_id));
  }
  channels = tsy_bank_channel_list (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (channels->len, ==, 1);
  channel = g_ptr_array_index (channels, 0);
  g_assert_nonnull (channel->last_success_at);
  g_assert_cmpint (channel->latency_ms, >=, 0);

  tsy_test_bank_stop (bank);
}

/* Batches --------------------------------------------------------------------------------- */

static char *
write_csv (Fixture    *f,
           const char *name,
           const char *utf8,
           gboolean    gb18030)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *bytes = NULL;
  gsize len = strlen (utf8);
  char *path = g_build_filename (f->dir, name, NULL);

  if (gb18030)
    {
      bytes = g_convert (utf8, -1, "GB18030", "UTF-8", NULL, &len, &error);
      g_assert_no_error (error);
      /* really not UTF-8: the ledger must recognise the encoding */
      g_assert_false (g_utf8_validate (bytes, len, NULL));
    }
  g_file_set_contents (path, bytes != NULL ? bytes : utf8, len, &error);
  g_assert_no_error (error);
  return path;
}

static guint
ledger_count (Fixture *f)
{
  g_autoptr(GPtrArray) list = ledger_payments (f);

  return list->len;
}

static void
test_batch (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *good = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *signing = NULL;
  g_autoptr(GPtrArray) list = NULL;
  const char *message;
  const char *preview;
  gboolean is_error = TRUE;
  gint64 batch;
  gint64 sum = 0;

  good = write_csv (f, "代发工资-11月.csv",
                    "from,to_name,to_account,amount,currency,date,text\n"
                    ACCOUNT ",张伟,6217000010000000001,8000.00,CNY,2026-12-01,11月工资\n"
                    ACCOUNT ",李娜,6217000010000000002,12500.50,CNY,2026-12-01,11月工资\n"
                    ACCOUNT ",王芳,6217000010000000003,6300.25,CNY,2026-12-01,11月工资\n",
                    TRUE);
  bad = write_csv (f, "broken.csv",
                   "from,to_name,to_account,amount,currency,date,text\n"
                   ACCOUNT ",赵磊,6217000010000000004,100.00,CNY,2026-12-01,ok\n"
                   ACCOUNT ",钱敏,6217000010000000005,12.345,CNY,2026-12-01,bad amount\n",
                   FALSE);
  g_assert_true (tsy_payments_page_set_user (f->page, "mia"));

  /* a file with a bad row: refused with its line, nothing stored */
  tsy_payments_page_import_batch (f->page, bad, TSY_BATCH_SUPPLIER);
  wait_idle (f, "the refused import");
  message = tsy_payments_page_get_last_message (f->page, &is_error);
  g_test_message ("refused: %s", message);
  g_assert_true (is_error);
  g_assert_nonnull (strstr (message, "broken.csv"));
  g_assert_nonnull (strstr (message, "line 3"));
  g_assert_cmpint (tsy_payments_page_get_last_batch (f->page), ==, 0);
  g_assert_null (tsy_payments_page_get_batch_preview (f->page));
  g_assert_false (tsy_payments_page_confirm_batch_import (f->page));
  g_assert_cmpuint (ledger_count (f), ==, 0);
  g_assert_cmpuint (tsy_payments_page_get_n_payments (f->page), ==, 0);

  /* a GB18030 payroll file: its dry run shows what would be saved, and saves nothing */
  tsy_payments_page_import_batch (f->page, good, TSY_BATCH_PAYROLL);
  wait_idle (f, "the dry run");
  preview = tsy_payments_page_get_batch_preview (f->page);
  g_assert_nonnull (preview);
  g_test_message ("preview: %s", preview);
  g_assert_nonnull (strstr (preview, "代发工资-11月.csv"));
  g_assert_nonnull (strstr (preview, "3 payments"));
  g_assert_nonnull (strstr (preview, "CNY 26,800.75"));
  g_assert_nonnull (strstr (preview, "李娜 · 6217000010000000002 · CNY 12,500.50 · 2026-12-01"));
  g_assert_cmpuint (ledger_count (f), ==, 0);
  g_assert_cmpint (tsy_payments_page_get_last_batch (f->page), ==, 0);

  /* confirmed: one batch of three drafts */
  g_assert_true (tsy_payments_page_confirm_batch_import (f->page));
  wait_idle (f, "the import");
  message = tsy_payments_page_get_last_message (f->page, &is_error);
  g_test_message ("imported: %s", message);
  g_assert_false (is_error);
  batch = tsy_payments_page_get_last_batch (f->page);
  g_assert_cmpint (batch, >, 0);
  g_assert_nonnull (strstr (message, "3 payments"));
  g_assert_nonnull (strstr (message, "CNY 26,800.75"));
  list = ledger_payments (f);
  g_assert_cmpuint (list->len, ==, 3);
  for (guint i = 0; i < list->len; i++)
    {
      const TsyPaymentInfo *info = g_ptr_array_index (list, i);

      g_assert_cmpint (info->batch_id, ==, batch);
      g_assert_cmpint (info->status, ==, TSY_PAYMENT_DRAFT);
      g_assert_cmpstr (info->maker, ==, "mia");
      sum += info->amount_minor;
    }
  g_assert_cmpint (sum, ==, 2680075);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* the page shows the batch: its rows only, count and total in the drop-down and the bar */
  g_assert_cmpuint (tsy_payments_page_get_n_payments (f->page), ==, 3);
  g_assert_cmpuint (tsy_payments_page_get_n_listed (f->page), ==, 3);
  g_test_message ("%s | %s", tsy_payments_page_get_batch_title (f->page),
                  tsy_payments_page_get_batch_summary (f->page));
  g_assert_nonnull (strstr (tsy_payments_page_get_batch_title (f->page), "3 payments"));
  g_assert_nonnull (strstr (tsy_payments_page_get_batch_title (f->page), "CNY 26,800.75"));
  g_assert_nonnull (strstr (tsy_payments_page_get_batch_summary (f->page), "CNY 26,800.75"));
  g_assert_nonnull (strstr (tsy_payments_page_get_batch_summary (f->page), "3 drafts"));

  /* a payment outside the batch is not listed while the batch is picked */
  fill_and_check (f, "99.00");
  tsy_payments_page_save_form (f->page, FALSE);
  wait_idle (f, "the single draft");
  g_assert_cmpuint (tsy_payments_page_get_n_payments (f->page), ==, 4);
  g_assert_true (tsy_payments_page_set_batch (f->page, batch));
  g_assert_cmpuint (tsy_payments_page_get_n_listed (f->page), ==, 3);
  g_assert_true (tsy_payments_page_set_batch (f->page, 0));
  g_assert_cmpuint (tsy_payments_page_get_n_listed (f->page), ==, 4);
  g_assert_null (tsy_payments_page_get_batch_summary (f->page));

  /* the maker submits the batch whole */
  g_assert_true (tsy_payments_page_set_batch (f->page, batch));
  tsy_payments_page_submit_batch (f->page);
  wait_idle (f, "the batch submit");
  tsy_payments_page_get_last_message (f->page, &is_error);
  g_assert_false (is_error);
  list = ledger_payments (f);
  for (guint i = 0; i < list->len; i++)
    {
      const TsyPaymentInfo *info = g_ptr_array_index (list, i);

      g_assert_cmpint (info->status, ==,
                       info->batch_id == batch ? TSY_PAYMENT_SUBMITTED : TSY_PAYMENT_DRAFT);
    }
  g_clear_pointer (&list, g_ptr_array_unref);

  /* the maker cannot approve it; the approver sees exactly what is signed and signs it once */
  tsy_payments_page_approve_batch (f->page, MAKER_PASS);
  wait_idle (f, "the maker's refused batch approval");
  tsy_payments_page_get_last_message (f->page, &is_error);
  g_assert_true (is_error);
  g_assert_true (tsy_payments_page_set_user (f->page, "ada"));
  signing = tsy_payments_page_get_batch_signing_text (f->page);
  g_assert_nonnull (signing);
  g_test_message ("%s", signing);
  {
    g_autofree char *batch_text = g_strdup_printf ("batch %" G_GINT64_FORMAT, batch);
    g_assert_nonnull (strstr (signing, batch_text));
  }
  g_assert_nonnull (strstr (signing, "ada signs 3 payments"));
  g_assert_nonnull (strstr (signing, "CNY 26,800.75"));
  list = ledger_payments (f);
  for (guint i = 0; i < list->len; i++)
    {
      const TsyPaymentInfo *info = g_ptr_array_index (list, i);

      if (info->batch_id == batch)
        {
          g_assert_nonnull (strstr (signing, info->digest));
          g_assert_nonnull (strstr (signing, info->creditor_account));
        }
    }
  g_clear_pointer (&list, g_ptr_array_unref);
  sign_through_dialog (f, "Approve _Batch…", "ada signs 3 payments", APPROVER_PASS);
  wait_idle (f, "the batch approval");
  message = tsy_payments_page_get_last_message (f->page, &is_error);
  g_test_message ("%s", message);
  g_assert_false (is_error);
  list = ledger_payments (f);
  for (guint i = 0; i < list->len; i++)
    {
      const TsyPaymentInfo *info = g_ptr_array_index (list, i);

      if (info->batch_id == batch)
        {
          g_assert_cmpint (info->status, ==, TSY_PAYMENT_APPROVED);
          g_assert_cmpuint (info->approvals, ==, 1);
        }
    }
  g_assert_null (tsy_payments_page_get_batch_signing_text (f->page));
}

/* Two approvers, from the form to the book ------------------------------------------------------ */

typedef struct
{
  const char *reference;
  gint64      amount_minor;
  guint       found;
  char       *source;
} BookSearch;

static gboolean
find_entry (const TsyBookRow *row,
            gpointer          data)
{
  BookSearch *search = data;

  if (g_strcmp0 (row->reference, search->reference) == 0)
    {
      search->found++;
      search->amount_minor = row->amount_minor;
      g_free (search->source);
      search->source = g_strdup (row->source);
    }
  return TRUE;
}

static void
approve_as (Fixture    *f,
            const char *user,
            gint64      id,
            const char *passphrase,
            gboolean    refused)
{
  gboolean is_error = !refused;
  const char *message;

  g_assert_true (tsy_payments_page_set_user (f->page, user));
  g_assert_true (tsy_payments_page_select (f->page, id));
  tsy_payments_page_approve_selected (f->page, passphrase);
  wait_idle (f, "an approval");
  message = tsy_payments_page_get_last_message (f->page, &is_error);
  g_test_message ("%s: %s", user, message);
  g_assert_true (is_error == refused);
}

static void
test_two_approvers (Fixture       *f,
                    gconstpointer  data)
{
  const char *accounts[] = { ACCOUNT ":CNY:1000000.00:ICBKCNBJ",
                             PAYEE ":CNY:0:ICBKCNBJ:深圳市供应商有限公司", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(TsyPaymentInfo) info = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *today = tsy_date_to_iso (tsy_date_today ());
  g_autofree char *detail = NULL;
  BookSearch search = { 0 };
  TsyTestBank *bank;
  gint64 id;

  g_assert_true (tsy_policy_set (f->store, "G", "CNY", 100000000000, 2, 0, "t", &error));
  g_assert_cmpint (tsy_user_create (f->store, "bo", TSY_ROLE_APPROVER, NULL, NULL, SECOND_PASS, "t", &error), >, 0);
  /* a maker who may also approve: only the maker rule keeps lin from approving lin's payment */
  g_assert_cmpint (tsy_user_create (f->store, "lin", TSY_ROLE_MAKER | TSY_ROLE_APPROVER, NULL, NULL,
                                    LIN_PASS, "t", &error), >, 0);
  g_assert_no_error (error);
  bank = tsy_test_bank_start (accounts, NULL, 120);
  if (bank == NULL)
    return;
  {
    TsyBankChannel ch = { .bank_code = "ICBC", .kind = TSY_CHANNEL_HTTPS, .url = bank->url,
                          .cert_file = bank->client_cert, .key_file = bank->client_key,
                          .ca_file = bank->ca, .connect_timeout_ms = 2000, .timeout_ms = 5000 };
    g_assert_true (tsy_bank_channel_set (f->store, &ch, "t", &error));
    g_assert_no_error (error);
  }
  tsy_payments_page_reload (f->page);
  wait_idle (f, "the reload with the new user");

  /* the maker makes it in the form and submits it */
  g_assert_true (tsy_payments_page_set_user (f->page, "lin"));
  tsy_payments_page_fill_form (f->page, ACCOUNT, "深圳市供应商有限公司", PAYEE, "ICBKCNBJ",
                               "45,600.00", "CNY", today, "货款 INV-0077");
  wait_idle (f, "the form check");
  g_assert_true (tsy_payments_page_get_form_checked (f->page));
  g_assert_null (tsy_payments_page_get_form_error (f->page));
  tsy_payments_page_save_form (f->page, TRUE);
  wait_idle (f, "the save and submit");
  list = ledger_payments (f);
  g_assert_cmpuint (list->len, ==, 1);
  id = ((const TsyPaymentInfo *) g_ptr_array_index (list, 0))->id;
  info = lookup (f, id);
  g_assert_cmpint (info->status, ==, TSY_PAYMENT_SUBMITTED);
  g_assert_cmpuint (info->required_approvals, ==, 2);

  g_assert_cmpstr (info->maker, ==, "lin");

  /* the maker cannot approve it: the ledger refuses, the page shows it */
  approve_as (f, "lin", id, LIN_PASS, TRUE);
  g_clear_pointer (&info, tsy_payment_info_free);
  info = lookup (f, id);
  g_assert_cmpuint (info->approvals, ==, 0);

  /* approver 1: recorded, still awaiting the second */
  approve_as (f, "ada", id, APPROVER_PASS, FALSE);
  g_clear_pointer (&info, tsy_payment_info_free);
  info = lookup (f, id);
  g_assert_cmpint (info->status, ==, TSY_PAYMENT_SUBMITTED);
  g_assert_cmpuint (info->approvals, ==, 1);
  g_assert_true (tsy_payments_page_select (f->page, id));
  detail = tsy_payments_page_get_detail_text (f->page);
  g_assert_nonnull (strstr (detail, "1 / 2"));

  /* the same approver a second time: refused */
  approve_as (f, "ada", id, APPROVER_PASS, TRUE);
  g_clear_pointer (&info, tsy_payment_info_free);
  info = lookup (f, id);
  g_assert_cmpuint (info->approvals, ==, 1);

  /* approver 2: approved */
  approve_as (f, "bo", id, SECOND_PASS, FALSE);
  g_clear_pointer (&info, tsy_payment_info_free);
  info = lookup (f, id);
  g_assert_cmpint (info->status, ==, TSY_PAYMENT_APPROVED);
  g_assert_cmpuint (info->approvals, ==, 2);

  /* Send, and the page's poll brings it back executed */
  tsy_payments_page_send (f->page);
  wait_idle (f, "the send");
  g_clear_pointer (&info, tsy_payment_info_free);
  info = wait_final (f, id);
  g_assert_cmpint (info->status, ==, TSY_PAYMENT_EXECUTED);
  wait_idle (f, "the last poll");

  /* a book entry of its account: money out, the end-to-end id as reference */
  search.reference = info->end_to_end_id;
  g_assert_true (tsy_book_foreach (f->store, ACCOUNT, 0, 0, find_entry, &search, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (search.found, ==, 1);
  g_assert_cmpint (search.amount_minor, ==, -4560000);
  g_assert_cmpstr (search.source, ==, "payment");
  g_free (search.source);

  tsy_test_bank_stop (bank);
}

int
main (int    argc,
      char **argv)
{
  if (!tsy_test_ui_init (&argc, &argv, "payments page"))
    return 77;

  g_test_add ("/ui/payments/make-and-approve", Fixture, NULL,
              fixture_setup, test_make_and_approve, fixture_teardown);
  g_test_add ("/ui/payments/send", Fixture, NULL,
              fixture_setup, test_send, fixture_teardown);
  g_test_add ("/ui/payments/batch-import-and-approve", Fixture, NULL,
              fixture_setup, test_batch, fixture_teardown);
  g_test_add ("/ui/payments/two-approvers-to-the-book", Fixture, NULL,
              fixture_setup, test_two_approvers, fixture_teardown);
  return g_test_run ();
}
