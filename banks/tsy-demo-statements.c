/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "banks/formats/tsy-statement-writer.h"
#include "banks/tsy-demo-statements.h"
#include "banks/tsy-statement-importer.h"
#include "ledger/tsy-account.h"
#include "ledger/tsy-demo.h"
#include "ledger/tsy-demo-book.h"
#include "ledger/tsy-money.h"

/* MT940 carries only the SWIFT character set: Chinese banks send names and purposes there in
 * pinyin or English, so the demo's MT940 files do too. */
static const struct
{
  const char *name;
  const char *name_swift;
  const char *account;
} counterparties[] = {
  { "上海华东电子材料有限公司", "SHANGHAI HUADONG ELECTRONIC MATERIALS CO LTD", "31001520313050012345" },
  { "深圳市南山精密机械有限公司", "SHENZHEN NANSHAN PRECISION MACHINERY CO LTD", "4000023409200145678" },
  { "北京星河物流有限公司", "BEIJING XINGHE LOGISTICS CO LTD", "0200004509200087654" },
  { "杭州云帆软件科技有限公司", "HANGZHOU YUNFAN SOFTWARE TECHNOLOGY CO LTD", "571908765410201" },
  { "广州珠江纺织品进出口有限公司", "GUANGZHOU ZHUJIANG TEXTILES IMP AND EXP CO LTD", "44050145670000002211" },
  { "国家税务总局深圳市税务局", "SHENZHEN TAX SERVICE STA", "0000000000000000001" },
  { "深圳供电局有限公司", "SHENZHEN POWER SUPPLY BUREAU CO LTD", "4000020009200011111" },
  { "中国平安财产保险股份有限公司", "PING AN PROPERTY AND CASUALTY INSURANCE CO", "11001018500053005555" },
  { "ACME TRADING LTD", "ACME TRADING LTD", "848100223344" },
  { "HONG KONG ORIENT SHIPPING LTD", "HONG KONG ORIENT SHIPPING LTD", "848100998877" },
};

static const struct
{
  const char *text;
  const char *swift;
} receipts[] = {
  { "货款", "SALES PROCEEDS" }, { "销售回款", "RECEIVABLE COLLECTION" }, { "服务费收入", "SERVICE FEE" },
  { "租金收入", "RENT RECEIVED" }, { "往来款", "INTERCOMPANY" }, { "退款", "REFUND" },
}, payments[] = {
  { "采购货款", "PURCHASE PAYMENT" }, { "工资", "SALARIES" }, { "税费", "TAX" }, { "电费", "ELECTRICITY" },
  { "运费", "FREIGHT" }, { "保险费", "INSURANCE PREMIUM" }, { "往来款", "INTERCOMPANY" },
  { "手续费", "BANK CHARGES" },
};

typedef struct
{
  TsyWriterFormat format;
  const char     *ext;
} BankFormat;

static BankFormat
format_of_bank (const char *bank)
{
  if (g_str_equal (bank, "ICBC"))
    return (BankFormat) { TSY_WRITER_CSV_GB18030, "csv" };
  if (g_str_equal (bank, "CCB"))
    return (BankFormat) { TSY_WRITER_CSV_UTF8, "csv" };
  if (g_str_equal (bank, "BOC"))
    return (BankFormat) { TSY_WRITER_MT940, "sta" };
  if (g_str_equal (bank, "CMB"))
    return (BankFormat) { TSY_WRITER_CAMT053_V2, "xml" };
  return (BankFormat) { TSY_WRITER_CAMT053_V8, "xml" };
}

static gboolean
write_account (TsyStore       *store,
               TsyAccountInfo *account,
               const char     *path,
               BankFormat      bf,
               GRand          *rand,
               guint          *n_lines,
               GError        **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(TsyStatementWriter) w = NULL;
  g_autoptr(GArray) dates = NULL;
  g_autoptr(GArray) values = NULL;
  const TsyStatementSink *sink = tsy_statement_writer_sink ();
  gboolean csv = bf.format == TSY_WRITER_CSV_UTF8 || bf.format == TSY_WRITER_CSV_GB18030;
  TsyStatementHeader h = { 0 };
  guint seq = 0;

  if (!tsy_balance_history (store, account->id, &dates, &values, error))
    return FALSE;
  if (values->len < 2)
    return TRUE;

  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, error);
  if (out == NULL)
    return FALSE;
  w = tsy_statement_writer_new (bf.format, G_OUTPUT_STREAM (out));

  h.account = account->number;
  h.currency = account->currency;
  h.has_opening = TRUE;
  h.has_closing = TRUE;
  if (csv)
    {
      /* a bank portal's export: one statement for the whole month */
      h.opening_minor = g_array_index (values, gint64, 0);
      h.opening_date = g_array_index (dates, TsyDate, 0);
      h.from_date = g_array_index (dates, TsyDate, 1);
      h.to_date = g_array_index (dates, TsyDate, values->len - 1);
      h.closing_minor = g_array_index (values, gint64, values->len - 1);
      h.closing_date = h.to_date;
      h.statement_id = NULL;
      if (!sink->begin_statement (w, &h, error))
        return FALSE;
    }

  for (guint i = 1; i < values->len; i++)
    {
      gint64 open = g_array_index (values, gint64, i - 1);
      gint64 close = g_array_index (values, gint64, i);
      TsyDate day = g_array_index (dates, TsyDate, i);
      gint64 delta = close - open;
      guint n = (guint) g_rand_int_range (rand, 1, 6);
      gint64 rest = delta;
      g_autofree char *stmt_id = NULL;
      char date_text[11];
      int y, m, dd;

      tsy_date_format_iso (day, date_text);
      tsy_date_to_ymd (day, &y, &m, &dd);
      if (!csv)
        {
          stmt_id = g_strdup_printf ("%s%04d%02d%02d", account->bank_code, y, m, dd);
          h.statement_id = stmt_id;
          h.sequence = NULL;
          h.opening_minor = open;
          h.opening_date = g_array_index (dates, TsyDate, i - 1);
          h.closing_minor = close;
          h.closing_date = day;
          h.from_date = h.to_date = day;
          if (!sink->begin_statement (w, &h, error))
            return FALSE;
        }
      for (guint k = 0; k < n; k++)
        {
          TsyStatementEntry e = { 0 };
          guint c = (guint) g_rand_int_range (rand, 0, G_N_ELEMENTS (counterparties));
          gint64 amount;
          char ref[40], e2e[40], cref[24], text[160];

          if (k + 1 < n)
            {
              gint64 scale = MAX (ABS (delta) / 2, 100000);
              amount = (gint64) g_rand_int_range (rand, 1, 1000) * (scale / 1000 + 1);
              if (g_rand_boolean (rand))
                amount = -amount;
            }
          else
            amount = rest;
          if (amount == 0)
            continue;
          rest -= amount;
          seq++;
          g_snprintf (ref, sizeof ref, "%04d%02d%02d%s%06u", y, m, dd,
                      csv ? "" : account->bank_code, seq);
          g_snprintf (cref, sizeof cref, "HX%06u", g_rand_int_range (rand, 1, 999999));
          g_snprintf (e2e, sizeof e2e, "E2E%04d%02d%02d%06u", y, m, dd, seq);
          {
            gboolean swift = bf.format == TSY_WRITER_MT940;
            guint r = (guint) g_rand_int_range (rand, 0, G_N_ELEMENTS (receipts));
            guint p = (guint) g_rand_int_range (rand, 0, G_N_ELEMENTS (payments));
            g_snprintf (text, sizeof text, "%s %s",
                        amount > 0 ? (swift ? receipts[r].swift : receipts[r].text)
                                   : (swift ? payments[p].swift : payments[p].text),
                        cref);
          }
          e.booking_date = e.value_date = day;
          e.amount_minor = amount;
          e.bank_ref = ref;
          e.customer_ref = bf.format == TSY_WRITER_MT940 ? cref : NULL;
          e.end_to_end_id = csv ? NULL : e2e;
          e.counterparty_name = bf.format == TSY_WRITER_MT940 ? counterparties[c].name_swift
                                                              : counterparties[c].name;
          e.counterparty_account = counterparties[c].account;
          e.text = text;
          if (!sink->entry (w, &e, error))
            return FALSE;
          (*n_lines)++;
        }
      if (!csv && !sink->end_statement (w, &h, error))
        return FALSE;
    }
  if (csv && !sink->end_statement (w, &h, error))
    return FALSE;
  if (!tsy_statement_writer_finish (w, error))
    return FALSE;
  return g_output_stream_close (G_OUTPUT_STREAM (out), NULL, error);
}

gboolean
tsy_demo_statements_generate (TsyStore   *store,
                              const char *dir,
                              guint      *n_files,
                              guint      *n_lines,
                              GError    **error)
{
  g_autoptr(GPtrArray) accounts = tsy_account_list (store, error);
  g_autoptr(GRand) rand = g_rand_new_with_seed (88);
  guint files = 0, lines = 0;

  if (accounts == NULL)
    return FALSE;
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot create the folder “%s”"), dir);
      return FALSE;
    }
  for (guint i = 0; i < accounts->len; i++)
    {
      TsyAccountInfo *a = g_ptr_array_index (accounts, i);
      BankFormat bf = format_of_bank (a->bank_code);
      g_autofree char *name = g_strdup_printf ("%s-%s.%s", a->bank_code, a->number, bf.ext);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      TsyImportResult result = { 0 };
      TsyImportOptions options = { 0 };
      guint before = lines;

      if (!write_account (store, a, path, bf, rand, &lines, error))
        return FALSE;
      if (lines == before)
        continue;
      /* CSV exports name their account in the preamble, but a user would say which it is */
      options.account = a->number;
      if (!tsy_statement_import_file (store, path, &options, &result, NULL, error))
        return FALSE;
      tsy_import_result_clear (&result);
      files++;
    }
  if (n_files != NULL)
    *n_files = files;
  if (n_lines != NULL)
    *n_lines = lines;
  return TRUE;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  g_autoptr(TsyStore) own = NULL;
  GError *error = NULL;

  own = tsy_store_reopen (TSY_STORE (source_object), &error);
  if (own == NULL || !tsy_demo_fill (own, TSY_DATE_NONE, &error) ||
      !tsy_demo_statements_generate (own, task_data, NULL, NULL, &error) ||
      !tsy_demo_book_fill (own, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
tsy_demo_load_async (TsyStore           *store,
                     const char         *dir,
                     GCancellable       *cancellable,
                     GAsyncReadyCallback callback,
                     gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TSY_IS_STORE (store));
  g_return_if_fail (dir != NULL);

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, tsy_demo_load_async);
  g_task_set_task_data (task, g_strdup (dir), g_free);
  g_task_run_in_thread (task, load_thread);
}

gboolean
tsy_demo_load_finish (TsyStore     *store,
                      GAsyncResult *result,
                      GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
