/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>

#include "tsy-account.h"
#include "tsy-bank.h"
#include "tsy-demo.h"
#include "tsy-ledger-error.h"
#include "tsy-money.h"
#include "tsy-org.h"
#include "tsy-store-private.h"

/*
 * The demo group: 华夏控股集团 with five member companies two levels deep, five banks and
 * fifteen accounts in CNY, USD and HKD. Figures come from a fixed seed, so every demo database
 * is the same and tests can rely on it; only the dates follow the day it is made.
 */

static const struct
{
  const char *code;
  const char *name;
  const char *parent;
} demo_orgs[] = {
  { "HX", "华夏控股集团有限公司", NULL },
  { "HX-MFG", "华夏智能制造有限公司", "HX" },
  { "HX-MFG-SZ", "华夏智能制造（深圳）有限公司", "HX-MFG" },
  { "HX-TRD", "华夏国际贸易有限公司", "HX" },
  { "HX-TRD-HK", "华夏国际贸易（香港）有限公司", "HX-TRD" },
  { "HX-PROP", "华夏置业发展有限公司", "HX" },
};

static const struct
{
  const char *code;
  const char *name;
  const char *bic;
  const char *cnaps;
  const char *country;
} demo_banks[] = {
  { "ICBC", "中国工商银行", "ICBKCNBJ", "102100099996", "CN" },
  { "CCB", "中国建设银行", "PCBCCNBJ", "105100000017", "CN" },
  { "BOC", "中国银行", "BKCHCNBJ", "104100099992", "CN" },
  { "CMB", "招商银行", "CMBCCNBS", "308584000013", "CN" },
  { "HSBC", "香港上海汇丰银行", "HSBCHKHH", NULL, "HK" },
};

static const struct
{
  const char      *number;
  const char      *name;
  const char      *org;
  const char      *bank;
  const char      *currency;
  TsyAccountType   type;
  const char      *pool_parent;
  gint64           limit_major;   /* daily payment limit in major units, 0 = none */
  gint64           start_major;   /* opening balance in major units */
} demo_accounts[] = {
  { "0200001209000123456", "集团本部基本户", "HX", "ICBC", "CNY", TSY_ACCOUNT_TYPE_BASIC, NULL, 50000000, 186500000 },
  { "11050188360000000888", "集团资金归集主账户", "HX", "CCB", "CNY", TSY_ACCOUNT_TYPE_GENERAL, NULL, 0, 423000000 },
  { "110912345610801", "集团招行一般户", "HX", "CMB", "CNY", TSY_ACCOUNT_TYPE_GENERAL, NULL, 20000000, 35600000 },
  { "778866001234", "集团美元户", "HX", "BOC", "USD", TSY_ACCOUNT_TYPE_FOREIGN, NULL, 5000000, 12800000 },
  { "0200001209000234567", "制造基本户", "HX-MFG", "ICBC", "CNY", TSY_ACCOUNT_TYPE_BASIC, NULL, 10000000, 68400000 },
  { "11050188360000001234", "制造归集子账户", "HX-MFG", "CCB", "CNY", TSY_ACCOUNT_TYPE_GENERAL, "11050188360000000888", 5000000, 21500000 },
  { "755912345610902", "深圳制造基本户", "HX-MFG-SZ", "CMB", "CNY", TSY_ACCOUNT_TYPE_BASIC, NULL, 8000000, 27300000 },
  { "44050178900000005678", "深圳制造归集子账户", "HX-MFG-SZ", "CCB", "CNY", TSY_ACCOUNT_TYPE_GENERAL, "11050188360000000888", 5000000, 9800000 },
  { "778866005678", "贸易基本户", "HX-TRD", "BOC", "CNY", TSY_ACCOUNT_TYPE_BASIC, NULL, 10000000, 43900000 },
  { "778866009999", "贸易美元户", "HX-TRD", "BOC", "USD", TSY_ACCOUNT_TYPE_FOREIGN, NULL, 2000000, 6450000 },
  { "848123456001", "香港贸易港币户", "HX-TRD-HK", "HSBC", "HKD", TSY_ACCOUNT_TYPE_FOREIGN, NULL, 20000000, 38700000 },
  { "848123456838", "香港贸易美元户", "HX-TRD-HK", "HSBC", "USD", TSY_ACCOUNT_TYPE_FOREIGN, NULL, 3000000, 4120000 },
  { "0200001209000345678", "置业基本户", "HX-PROP", "ICBC", "CNY", TSY_ACCOUNT_TYPE_BASIC, NULL, 30000000, 152000000 },
  { "0200001209000345999", "置业预售资金监管户", "HX-PROP", "ICBC", "CNY", TSY_ACCOUNT_TYPE_SPECIAL, NULL, 0, 98000000 },
  { "110912345610888", "置业招行一般户", "HX-PROP", "CMB", "CNY", TSY_ACCOUNT_TYPE_GENERAL, NULL, 10000000, 16250000 },
};

#define DEMO_DAYS 31

static gboolean
insert_balance (TsyStore *store,
                gint64    account_id,
                TsyDate   date,
                gint64    minor,
                GError  **error)
{
  sqlite3_stmt *stmt = tsy_store_prepare (store,
      "INSERT INTO balance (account_id, date, amount_minor, source) VALUES (?1, ?2, ?3, 'demo')",
      error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  tsy_store_bind_date (stmt, 2, date);
  sqlite3_bind_int64 (stmt, 3, minor);
  return tsy_store_step_done (store, stmt, error);
}

static gboolean
fill (TsyStore *store,
      TsyDate   end_date,
      GError  **error)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261123);
  g_autoptr(GPtrArray) existing = tsy_org_list (store, error);
  TsyDate first;

  if (existing == NULL)
    return FALSE;
  if (existing->len > 0)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DUPLICATE,
                   "%s", _("The database is not empty; the demo needs a new database"));
      return FALSE;
    }

  if (end_date == TSY_DATE_NONE)
    end_date = tsy_date_add_days (tsy_date_today (), -1);
  first = tsy_date_add_days (end_date, -(DEMO_DAYS - 1));

  for (guint i = 0; i < G_N_ELEMENTS (demo_orgs); i++)
    if (tsy_org_add (store, demo_orgs[i].code, demo_orgs[i].name, demo_orgs[i].parent, error) == 0)
      return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (demo_banks); i++)
    if (tsy_bank_add (store, demo_banks[i].code, demo_banks[i].name, demo_banks[i].bic,
                      demo_banks[i].cnaps, demo_banks[i].country, error) == 0)
      return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (demo_accounts); i++)
    {
      TsyAccountSpec spec = {
        .number = demo_accounts[i].number,
        .org_code = demo_accounts[i].org,
        .bank_code = demo_accounts[i].bank,
        .currency = demo_accounts[i].currency,
        .name = demo_accounts[i].name,
        .type = demo_accounts[i].type,
        .status = TSY_ACCOUNT_STATUS_OPEN,
        .pool_parent = demo_accounts[i].pool_parent,
        .has_daily_limit = demo_accounts[i].limit_major > 0,
        .daily_limit_minor = demo_accounts[i].limit_major * 100,
      };
      gint64 id = tsy_account_add (store, &spec, error);
      gint64 balance = demo_accounts[i].start_major * 100;

      if (id == 0)
        return FALSE;
      /* A month of daily closing balances: a random walk of receipts and payments. */
      for (int d = 0; d < DEMO_DAYS; d++)
        {
          TsyDate date = tsy_date_add_days (first, d);
          gint64 scale = MAX (demo_accounts[i].start_major / 40, 1000);
          gint64 move = (gint64) g_rand_int_range (rand, -1000, 1001) * scale;   /* major * 1000 */

          balance += move / 10;   /* minor units with cents that are not round */
          balance += g_rand_int_range (rand, 0, 100);
          if (balance < 0)
            balance = -balance;
          if (!insert_balance (store, id, date, balance, error))
            return FALSE;
        }
    }

  /* Daily reference rates (中间价), units of CNY per unit. */
  for (int d = 0; d < DEMO_DAYS; d++)
    {
      TsyDate date = tsy_date_add_days (first, d);
      g_autofree char *usd = g_strdup_printf ("7.%04d", 1050 + g_rand_int_range (rand, 0, 400));
      g_autofree char *hkd = g_strdup_printf ("0.%04d", 9100 + g_rand_int_range (rand, 0, 60));
      g_autofree char *eur = g_strdup_printf ("7.%04d", 7200 + g_rand_int_range (rand, 0, 500));

      if (!tsy_fx_set (store, "USD", "CNY", usd, date, error) ||
          !tsy_fx_set (store, "HKD", "CNY", hkd, date, error) ||
          !tsy_fx_set (store, "EUR", "CNY", eur, date, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
tsy_demo_fill (TsyStore *store,
               TsyDate   end_date,
               GError  **error)
{
  g_return_val_if_fail (TSY_IS_STORE (store), FALSE);

  if (!tsy_store_begin (store, error))
    return FALSE;
  if (!fill (store, end_date, error))
    {
      tsy_store_rollback (store);
      return FALSE;
    }
  return tsy_store_commit (store, error);
}

static void
fill_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  g_autoptr(TsyStore) own = NULL;
  GError *error = NULL;

  own = tsy_store_reopen (TSY_STORE (source_object), &error);
  if (own == NULL || !tsy_demo_fill (own, TSY_DATE_NONE, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
tsy_demo_fill_async (TsyStore           *store,
                     GCancellable       *cancellable,
                     GAsyncReadyCallback callback,
                     gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TSY_IS_STORE (store));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, tsy_demo_fill_async);
  g_task_run_in_thread (task, fill_thread);
}

gboolean
tsy_demo_fill_finish (TsyStore     *store,
                      GAsyncResult *result,
                      GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
