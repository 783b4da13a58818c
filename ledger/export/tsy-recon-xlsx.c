/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "ledger/tsy-money.h"
#include "tsy-export-error.h"
#include "tsy-recon-xlsx.h"

typedef struct
{
  lxw_workbook  *wb;
  lxw_worksheet *ws;
  lxw_format    *title;
  lxw_format    *bold;
  lxw_format    *header;
  lxw_format    *money;
  lxw_format    *money_bold;
  lxw_format    *text;
  int            exponent;
} Sheet;

double
tsy_xlsx_money_number (gint64 minor,
                       int    exponent)
{
  double scale = 1;

  for (int i = 0; i < exponent; i++)
    scale *= 10;
  /* one rounding: the nearest double to the decimal minor / 10^exponent */
  return (double) minor / scale;
}

static void
write_money (Sheet      *s,
             int         row,
             int         col,
             gint64      minor,
             lxw_format *format)
{
  worksheet_write_number (s->ws, (lxw_row_t) row, (lxw_col_t) col,
                          tsy_xlsx_money_number (minor, s->exponent), format);
}

static void
write_formula (Sheet      *s,
               int         row,
               int         col,
               const char *formula,
               gint64      value,
               lxw_format *format)
{
  worksheet_write_formula_num (s->ws, (lxw_row_t) row, (lxw_col_t) col, formula, format,
                               tsy_xlsx_money_number (value, s->exponent));
}

static char *
cell (int row,
      int col)
{
  return g_strdup_printf ("%c%d", 'A' + col, row + 1);
}

/* Writes a titled list of items; returns the address of its subtotal cell. */
static char *
write_items (Sheet      *s,
             int        *row,
             const char *title,
             GPtrArray  *items,
             gboolean    absolute)
{
  int first;
  gint64 total = 0;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *formula = NULL;

  worksheet_write_string (s->ws, (lxw_row_t) *row, 0, title, s->bold);
  (*row)++;
  worksheet_write_string (s->ws, (lxw_row_t) *row, 0, C_("column", "Date"), s->header);
  worksheet_write_string (s->ws, (lxw_row_t) *row, 1, C_("column", "Reference"), s->header);
  worksheet_write_string (s->ws, (lxw_row_t) *row, 2, C_("column", "Counterparty"), s->header);
  worksheet_write_string (s->ws, (lxw_row_t) *row, 3, C_("column", "Text"), s->header);
  worksheet_write_string (s->ws, (lxw_row_t) *row, 4, C_("column", "Amount"), s->header);
  (*row)++;
  first = *row;
  for (guint i = 0; i < items->len; i++)
    {
      TsyReconStatementItem *it = g_ptr_array_index (items, i);
      gint64 amount = absolute ? ABS (it->amount_minor) : it->amount_minor;
      char date[11];

      tsy_date_format_iso (it->date, date);
      worksheet_write_string (s->ws, (lxw_row_t) *row, 0, date, s->text);
      worksheet_write_string (s->ws, (lxw_row_t) *row, 1, it->ref, s->text);
      worksheet_write_string (s->ws, (lxw_row_t) *row, 2, it->counterparty ? it->counterparty : "", s->text);
      worksheet_write_string (s->ws, (lxw_row_t) *row, 3, it->text ? it->text : "", s->text);
      write_money (s, *row, 4, amount, s->money);
      total += amount;
      (*row)++;
    }
  worksheet_write_string (s->ws, (lxw_row_t) *row, 3, _("Subtotal"), s->bold);
  if (items->len > 0)
    {
      from = cell (first, 4);
      to = cell (*row - 1, 4);
      formula = g_strdup_printf ("=SUM(%s:%s)", from, to);
    }
  else
    formula = g_strdup ("=0");
  write_formula (s, *row, 4, formula, total, s->money_bold);
  {
    char *address = cell (*row, 4);
    *row += 2;
    return address;
  }
}

static gboolean
lxw_fail (lxw_error   code,
          const char *path,
          GError    **error)
{
  g_set_error (error, TSY_EXPORT_ERROR, TSY_EXPORT_ERROR_IO,
               /* Translators: %1$s a file, %2$s the reason */
               _("Cannot write “%1$s”: %2$s"), path, lxw_strerror (code));
  return FALSE;
}

gboolean
tsy_recon_xlsx_write (const TsyReconStatement *st,
                      const char              *path,
                      GError                 **error)
{
  Sheet s = { 0 };
  lxw_error rc;
  char date[11];
  int row = 0;
  int exp;
  g_autofree char *numfmt = NULL;
  g_autofree char *bank_credits = NULL, *bank_debits = NULL, *book_credits = NULL, *book_debits = NULL;
  g_autofree char *charges_cell = NULL;
  g_autofree char *f_book = NULL, *f_bank = NULL;
  gint64 charges = -tsy_recon_statement_charges_total (st);
  gint64 bank_debit_total = -tsy_recon_statement_total (st->bank_debits_not_in_book);
  gint64 book_debit_total = -tsy_recon_statement_total (st->book_debits_not_at_bank);
  int summary_row;

  g_return_val_if_fail (st != NULL && path != NULL, FALSE);

  exp = tsy_currency_exponent (st->currency);
  s.exponent = MAX (exp, 0);
  s.wb = workbook_new (path);
  if (s.wb == NULL)
    {
      g_set_error (error, TSY_EXPORT_ERROR, TSY_EXPORT_ERROR_IO, _("Cannot create “%s”"), path);
      return FALSE;
    }
  s.ws = workbook_add_worksheet (s.wb, _("Reconciliation"));
  s.title = workbook_add_format (s.wb);
  format_set_bold (s.title);
  format_set_font_size (s.title, 16);
  format_set_align (s.title, LXW_ALIGN_CENTER);
  s.bold = workbook_add_format (s.wb);
  format_set_bold (s.bold);
  s.header = workbook_add_format (s.wb);
  format_set_bold (s.header);
  format_set_bottom (s.header, LXW_BORDER_THIN);
  numfmt = s.exponent > 0 ? g_strdup_printf ("#,##0.%.*s;-#,##0.%.*s", s.exponent, "000000",
                                             s.exponent, "000000")
                          : g_strdup ("#,##0;-#,##0");
  s.money = workbook_add_format (s.wb);
  format_set_num_format (s.money, numfmt);
  s.money_bold = workbook_add_format (s.wb);
  format_set_num_format (s.money_bold, numfmt);
  format_set_bold (s.money_bold);
  s.text = workbook_add_format (s.wb);
  worksheet_set_column (s.ws, 0, 0, 34, NULL);
  worksheet_set_column (s.ws, 1, 1, 24, NULL);
  worksheet_set_column (s.ws, 2, 2, 34, NULL);
  worksheet_set_column (s.ws, 3, 3, 30, NULL);
  worksheet_set_column (s.ws, 4, 4, 18, NULL);

  tsy_date_format_iso (st->date, date);
  worksheet_merge_range (s.ws, 0, 0, 0, 4, _("Balance Reconciliation Statement"), s.title);
  worksheet_write_string (s.ws, 1, 0, _("Account"), s.bold);
  worksheet_write_string (s.ws, 1, 1, st->account, NULL);
  worksheet_write_string (s.ws, 1, 2, _("Account name"), s.bold);
  worksheet_write_string (s.ws, 1, 3, st->account_name ? st->account_name : "", NULL);
  worksheet_write_string (s.ws, 2, 0, _("Bank"), s.bold);
  worksheet_write_string (s.ws, 2, 1, st->bank_name ? st->bank_name : "", NULL);
  worksheet_write_string (s.ws, 2, 2, _("Currency"), s.bold);
  worksheet_write_string (s.ws, 2, 3, st->currency, NULL);
  worksheet_write_string (s.ws, 3, 0, _("As at"), s.bold);
  worksheet_write_string (s.ws, 3, 1, date, NULL);

  /* the detail lists go below the summary; their subtotal cells feed its formulas */
  summary_row = 5;
  row = summary_row + 9;
  bank_credits = write_items (&s, &row, _("Bank credits not in the book"), st->bank_credits_not_in_book, FALSE);
  bank_debits = write_items (&s, &row, _("Bank debits not in the book"), st->bank_debits_not_in_book, TRUE);
  book_credits = write_items (&s, &row, _("Book credits not at the bank"), st->book_credits_not_at_bank, FALSE);
  book_debits = write_items (&s, &row, _("Book debits not at the bank"), st->book_debits_not_at_bank, TRUE);
  {
    int first;
    g_autofree char *formula = NULL;

    worksheet_write_string (s.ws, (lxw_row_t) row, 0, _("Bank charges"), s.bold);
    row++;
    worksheet_write_string (s.ws, (lxw_row_t) row, 0, C_("column", "Date"), s.header);
    worksheet_write_string (s.ws, (lxw_row_t) row, 1, C_("column", "Bank"), s.header);
    worksheet_write_string (s.ws, (lxw_row_t) row, 2, C_("column", "Book"), s.header);
    worksheet_write_string (s.ws, (lxw_row_t) row, 4, C_("column", "Amount"), s.header);
    row++;
    first = row;
    for (guint i = 0; i < st->charges->len; i++)
      {
        TsyReconStatementCharge *c = g_ptr_array_index (st->charges, i);
        char d[11];

        tsy_date_format_iso (c->date, d);
        worksheet_write_string (s.ws, (lxw_row_t) row, 0, d, NULL);
        worksheet_write_string (s.ws, (lxw_row_t) row, 1, c->bank_refs, NULL);
        worksheet_write_string (s.ws, (lxw_row_t) row, 2, c->book_ids, NULL);
        write_money (&s, row, 4, -c->amount_minor, s.money);
        row++;
      }
    worksheet_write_string (s.ws, (lxw_row_t) row, 3, _("Subtotal"), s.bold);
    if (st->charges->len > 0)
      {
        g_autofree char *from = cell (first, 4);
        g_autofree char *to = cell (row - 1, 4);
        formula = g_strdup_printf ("=SUM(%s:%s)", from, to);
      }
    else
      formula = g_strdup ("=0");
    write_formula (&s, row, 4, formula, charges, s.money_bold);
    charges_cell = cell (row, 4);
  }

  /* the summary: book side in A:B, bank side in C:E */
  row = summary_row;
  worksheet_write_string (s.ws, (lxw_row_t) row, 0, _("Book side"), s.header);
  worksheet_write_string (s.ws, (lxw_row_t) row, 1, C_("column", "Amount"), s.header);
  worksheet_write_string (s.ws, (lxw_row_t) row, 2, _("Bank side"), s.header);
  worksheet_write_string (s.ws, (lxw_row_t) row, 4, C_("column", "Amount"), s.header);
  row++;
  worksheet_write_string (s.ws, (lxw_row_t) row, 0, _("Balance per book"), NULL);
  write_money (&s, row, 1, st->book_balance, s.money);
  worksheet_write_string (s.ws, (lxw_row_t) row, 2, _("Balance per bank statement"), NULL);
  if (st->has_bank_balance)
    write_money (&s, row, 4, st->bank_balance, s.money);
  row++;
  {
    g_autofree char *f1 = g_strdup_printf ("=%s", bank_credits);
    g_autofree char *f2 = g_strdup_printf ("=%s", book_credits);
    worksheet_write_string (s.ws, (lxw_row_t) row, 0, _("Add: bank credits not in the book"), NULL);
    write_formula (&s, row, 1, f1, tsy_recon_statement_total (st->bank_credits_not_in_book), s.money);
    worksheet_write_string (s.ws, (lxw_row_t) row, 2, _("Add: book credits not at the bank"), NULL);
    write_formula (&s, row, 4, f2, tsy_recon_statement_total (st->book_credits_not_at_bank), s.money);
  }
  row++;
  {
    g_autofree char *f1 = g_strdup_printf ("=%s", bank_debits);
    g_autofree char *f2 = g_strdup_printf ("=%s", book_debits);
    worksheet_write_string (s.ws, (lxw_row_t) row, 0, _("Less: bank debits not in the book"), NULL);
    write_formula (&s, row, 1, f1, bank_debit_total, s.money);
    worksheet_write_string (s.ws, (lxw_row_t) row, 2, _("Less: book debits not at the bank"), NULL);
    write_formula (&s, row, 4, f2, book_debit_total, s.money);
  }
  row++;
  {
    g_autofree char *f1 = g_strdup_printf ("=%s", charges_cell);
    worksheet_write_string (s.ws, (lxw_row_t) row, 0, _("Less: bank charges"), NULL);
    write_formula (&s, row, 1, f1, charges, s.money);
  }
  row++;
  f_book = g_strdup_printf ("=B%d+B%d-B%d-B%d", summary_row + 2, summary_row + 3, summary_row + 4,
                            summary_row + 5);
  f_bank = g_strdup_printf ("=E%d+E%d-E%d", summary_row + 2, summary_row + 3, summary_row + 4);
  worksheet_write_string (s.ws, (lxw_row_t) row, 0, _("Adjusted book balance"), s.bold);
  write_formula (&s, row, 1, f_book, st->adjusted_book_balance, s.money_bold);
  worksheet_write_string (s.ws, (lxw_row_t) row, 2, _("Adjusted bank balance"), s.bold);
  if (st->has_bank_balance)
    write_formula (&s, row, 4, f_bank, st->adjusted_bank_balance, s.money_bold);
  row++;
  worksheet_write_string (s.ws, (lxw_row_t) row, 0, _("Balanced"), s.bold);
  worksheet_write_string (s.ws, (lxw_row_t) row, 1, st->balanced ? _("Yes") : _("No"), s.bold);

  rc = workbook_close (s.wb);
  if (rc != LXW_NO_ERROR)
    return lxw_fail (rc, path, error);
  return TRUE;
}
