/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsy-account.h"
#include "tsy-book.h"
#include "tsy-demo-book.h"
#include "tsy-money.h"
#include "tsy-reconcile.h"
#include "tsy-statement-lines.h"

typedef struct
{
  TsyDate date;
  gint64  amount;
  char   *e2e;
  char   *cref;
  char   *counterparty;
  char   *counterparty_account;
  char   *text;
} DemoLine;

static void
demo_line_clear (gpointer data)
{
  DemoLine *l = data;

  g_free (l->e2e);
  g_free (l->cref);
  g_free (l->counterparty);
  g_free (l->counterparty_account);
  g_free (l->text);
}

static gboolean
collect_line (const TsyLineRow *row,
              gpointer          user_data)
{
  DemoLine l = { 0 };

  l.date = row->booking_date;
  l.amount = row->amount_minor;
  l.e2e = g_strdup (row->end_to_end_id);
  l.cref = g_strdup (row->customer_ref);
  l.counterparty = g_strdup (row->counterparty);
  l.counterparty_account = g_strdup (row->counterparty_account);
  l.text = g_strdup (row->text);
  g_array_append_val ((GArray *) user_data, l);
  return TRUE;
}

/* The reference a line cites: "HX123456" at the end of its text, else its customer reference. */
static char *
cited_reference (const DemoLine *l)
{
  const char *hx = l->text ? strstr (l->text, "HX") : NULL;

  if (hx != NULL)
    return g_strdup (hx);
  return l->cref ? g_strdup (l->cref) : NULL;
}

/* How the ERP writes the name: without the city or the legal form, sometimes a short form. */
static char *
book_name (GRand      *rand,
           const char *name)
{
  static const char *const cities[] = { "上海", "深圳市", "北京", "杭州", "广州" };
  int v;

  if (name == NULL)
    return NULL;
  v = g_rand_int_range (rand, 0, 4);
  if (v == 0)
    return g_strdup (name);
  for (guint i = 0; i < G_N_ELEMENTS (cities); i++)
    if (g_str_has_prefix (name, cities[i]))
      {
        const char *rest = name + strlen (cities[i]);
        if (v == 1 || !g_str_has_suffix (rest, "有限公司"))
          return g_strdup (rest);
        return g_strndup (rest, strlen (rest) - strlen ("有限公司"));
      }
  if (g_str_has_suffix (name, "有限公司") && v == 2)
    return g_strdup_printf ("%.*s有限责任公司", (int) (strlen (name) - strlen ("有限公司")), name);
  return g_strdup (name);
}

typedef struct
{
  TsyStore   *store;
  const char *account;
  const char *currency;
  guint       seq;
  char        last6[7];
} Writer;

static gboolean
add (Writer     *w,
     TsyDate     date,
     gint64      amount,
     const char *counterparty,
     const char *counterparty_account,
     const char *reference,
     const char *memo,
     GError    **error)
{
  g_autofree char *id = g_strdup_printf ("记-%s-%05u", w->last6, ++w->seq);
  TsyBookEntrySpec spec = { 0 };

  spec.ext_id = id;
  spec.account = w->account;
  spec.date = date;
  spec.amount_minor = amount;
  spec.counterparty = counterparty;
  spec.counterparty_account = counterparty_account;
  spec.reference = reference;
  spec.memo = memo;
  spec.source = "import";
  return tsy_book_add_entry (w->store, &spec, NULL, error) != 0;
}

static gboolean
fill_account (TsyStore       *store,
              TsyAccountInfo *account,
              GRand          *rand,
              GError        **error)
{
  g_autoptr(GArray) lines = g_array_new (FALSE, TRUE, sizeof (DemoLine));
  g_autoptr(GArray) dates = NULL;
  g_autoptr(GArray) values = NULL;
  TsyLineFilter filter = { 0 };
  Writer w = { store, account->number, account->currency, 0, "" };
  TsyDate first, last;
  gint64 fee_max = 5000;

  g_array_set_clear_func (lines, demo_line_clear);
  filter.account = account->number;
  if (!tsy_lines_foreach (store, &filter, collect_line, lines, error))
    return FALSE;
  if (lines->len == 0)
    return TRUE;
  if (!tsy_balance_history (store, account->id, &dates, &values, error))
    return FALSE;
  /* ids like an ERP's voucher numbers, unique per account */
  g_snprintf (w.last6, sizeof w.last6, "%02" G_GINT64_FORMAT "%.4s", account->id % 100,
              account->number + MAX (strlen (account->number), 4) - 4);
  first = g_array_index (lines, DemoLine, 0).date;
  last = g_array_index (lines, DemoLine, lines->len - 1).date;
  /* the book opens with the bank's balance before the first line */
  {
    gint64 opening = 0;
    for (guint i = 0; i < dates->len; i++)
      if (g_array_index (dates, TsyDate, i) < first)
        opening = g_array_index (values, gint64, i);
    if (!tsy_book_set_opening (store, account->number, opening, first, "demo", error))
      return FALSE;
  }

  for (guint i = 0; i < lines->len; i++)
    {
      const DemoLine *l = &g_array_index (lines, DemoLine, i);
      g_autofree char *ref = cited_reference (l);
      g_autofree char *name = book_name (rand, l->counterparty);
      const char *memo = l->text;
      int r = g_rand_int_range (rand, 0, 100);
      TsyDate offset = (TsyDate) g_rand_int_range (rand, 0, 2);
      TsyDate booked = MAX (first, l->date - offset);

      if (l->text != NULL && strstr (l->text, "手续费") != NULL)
        continue;                                   /* bank charges: only at the bank */
      if (r < 40)
        {
          /* the reference as the bank has it: the end-to-end id, else the invoice */
          if (!add (&w, booked, l->amount, name, l->counterparty_account,
                    l->e2e ? l->e2e : ref, memo, error))
            return FALSE;
        }
      else if (r < 55 && ref != NULL && strlen (ref) > 2)
        {
          /* the invoice number written another way */
          g_autofree char *other = g_strdup_printf ("hx-%s", ref + 2);
          if (!add (&w, booked, l->amount, name, NULL, other, memo, error))
            return FALSE;
        }
      else if (r < 75)
        {
          /* name only */
          if (!add (&w, booked, l->amount, name, NULL, NULL, memo, error))
            return FALSE;
        }
      else if (r < 82 && l->amount < -300)
        {
          /* a supplier batch or payroll under the line's package number */
          const char *package = l->e2e ? l->e2e : ref;
          gint64 a = l->amount / 3, b = l->amount / 3;
          if (package == NULL)
            continue;
          if (!add (&w, booked, a, name, NULL, package, _("Batch payment (1/3)"), error) ||
              !add (&w, booked, b, name, NULL, package, _("Batch payment (2/3)"), error) ||
              !add (&w, booked, l->amount - a - b, name, NULL, package, _("Batch payment (3/3)"), error))
            return FALSE;
        }
      else if (r < 88 && l->amount > fee_max * 4 && ref != NULL)
        {
          /* the customer paid the invoice; the bank kept a charge */
          gint64 fee = g_rand_int_range (rand, 500, (gint32) fee_max);
          if (!add (&w, booked, l->amount + fee, name, NULL, l->e2e ? l->e2e : ref, memo, error))
            return FALSE;
        }
      else if (r < 93)
        {
          /* not booked yet: bank only; a look-alike in the book, same day and amount, another
           * counterparty, no reference */

          if (r < 90 && !add (&w, l->date, l->amount,
                              /* Translators: a made-up company name in the demo */
                              _("Other counterparty Ltd."), NULL, NULL,
                              _("Unrelated item of the same amount"), error))
            return FALSE;
        }
      else if (!add (&w, booked, l->amount, name, l->counterparty_account, ref, memo, error))
        return FALSE;
    }
  /* accruals at month end, not at the bank */
  for (int k = 0; k < 3; k++)
    if (!add (&w, last, -(gint64) g_rand_int_range (rand, 10000, 5000000), _("Supplier (accrual)"), NULL,
              NULL, _("Accrued expense, not paid yet"), error))
      return FALSE;
  return TRUE;
}

gboolean
tsy_demo_book_fill (TsyStore *store,
                    GError  **error)
{
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (505);

  g_return_val_if_fail (TSY_IS_STORE (store), FALSE);

  accounts = tsy_account_list (store, error);
  if (accounts == NULL)
    return FALSE;
  if (!tsy_store_begin (store, error))
    return FALSE;
  for (guint i = 0; i < accounts->len; i++)
    if (!fill_account (store, g_ptr_array_index (accounts, i), rand, error))
      {
        tsy_store_rollback (store);
        return FALSE;
      }
  if (!tsy_store_commit (store, error))
    return FALSE;
  return tsy_reconcile (store, NULL, NULL, NULL, NULL, error);
}
