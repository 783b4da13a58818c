/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "banks/tsy-bank-error.h"
#include "ledger/tsy-iban.h"
#include "ledger/tsy-money.h"
#include "tsy-pain001.h"

typedef struct
{
  const TsyPaymentInfo *first;
  GPtrArray            *members;   /* (element-type TsyPaymentInfo) borrowed */
  char                 *id;
} Block;

static void
block_free (Block *b)
{
  g_ptr_array_unref (b->members);
  g_free (b->id);
  g_free (b);
}

const char *
tsy_pain001_version_to_string (TsyPain001Version version)
{
  return version == TSY_PAIN001_V03 ? "pain.001.001.03" : "pain.001.001.09";
}

gboolean
tsy_pain001_version_from_string (const char        *text,
                                 TsyPain001Version *out)
{
  if (g_strcmp0 (text, "pain.001.001.09") == 0)
    *out = TSY_PAIN001_V09;
  else if (g_strcmp0 (text, "pain.001.001.03") == 0)
    *out = TSY_PAIN001_V03;
  else
    return FALSE;
  return TRUE;
}

static void
open_tag (GString    *out,
          int         depth,
          const char *name)
{
  for (int i = 0; i < depth; i++)
    g_string_append (out, "  ");
  g_string_append_printf (out, "<%s>\n", name);
}

static void
close_tag (GString    *out,
           int         depth,
           const char *name)
{
  for (int i = 0; i < depth; i++)
    g_string_append (out, "  ");
  g_string_append_printf (out, "</%s>\n", name);
}

static void
leaf (GString    *out,
      int         depth,
      const char *name,
      const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  for (int i = 0; i < depth; i++)
    g_string_append (out, "  ");
  g_string_append_printf (out, "<%s>%s</%s>\n", name, escaped, name);
}

/* A name element (Max140Text): at most 140 characters, cut on a character boundary. */
static void
name_leaf (GString    *out,
           int         depth,
           const char *name,
           const char *text)
{
  g_autofree char *cut = NULL;

  if (g_utf8_strlen (text, -1) > 140)
    {
      cut = g_malloc0 (strlen (text) + 1);
      g_utf8_strncpy (cut, text, 140);
      text = cut;
    }
  leaf (out, depth, name, text);
}

static gboolean
has (const char *text)
{
  return text != NULL && *text != '\0';
}

/* <Id><IBAN>…</IBAN></Id> or <Id><Othr><Id>…</Id></Othr></Id> */
static void
account_id (GString    *out,
            int         depth,
            const char *number)
{
  open_tag (out, depth, "Id");
  if (tsy_iban_looks_like (number) && tsy_iban_validate (number, NULL))
    leaf (out, depth + 1, "IBAN", number);
  else
    {
      open_tag (out, depth + 1, "Othr");
      leaf (out, depth + 2, "Id", number);
      close_tag (out, depth + 1, "Othr");
    }
  close_tag (out, depth, "Id");
}

/* FinInstnId by BIC, CNAPS member id, and name; "NOTPROVIDED" when nothing is known and the
 * element is mandatory. */
static void
agent (GString          *out,
       int               depth,
       const char       *element,
       TsyPain001Version version,
       const char       *bic,
       const char       *cnaps,
       const char       *name,
       gboolean          required)
{
  if (!has (bic) && !has (cnaps) && !has (name) && !required)
    return;
  open_tag (out, depth, element);
  open_tag (out, depth + 1, "FinInstnId");
  if (has (bic))
    leaf (out, depth + 2, version == TSY_PAIN001_V03 ? "BIC" : "BICFI", bic);
  if (has (cnaps))
    {
      open_tag (out, depth + 2, "ClrSysMmbId");
      open_tag (out, depth + 3, "ClrSysId");
      leaf (out, depth + 4, "Cd", "CNAPS");
      close_tag (out, depth + 3, "ClrSysId");
      leaf (out, depth + 3, "MmbId", cnaps);
      close_tag (out, depth + 2, "ClrSysMmbId");
    }
  if (has (name))
    name_leaf (out, depth + 2, "Nm", name);
  if (!has (bic) && !has (cnaps) && !has (name))
    {
      open_tag (out, depth + 2, "Othr");
      leaf (out, depth + 3, "Id", "NOTPROVIDED");
      close_tag (out, depth + 2, "Othr");
    }
  close_tag (out, depth + 1, "FinInstnId");
  close_tag (out, depth, element);
}

/* Σ of amounts possibly in several currencies, as a plain decimal (CtrlSum is a number). */
static gboolean
control_sum (GPtrArray *payments,
             char      *buf,
             gsize      len,
             GError   **error)
{
  int scale = 0;
  gint64 total = 0;

  for (guint i = 0; i < payments->len; i++)
    scale = MAX (scale, tsy_currency_exponent (((TsyPaymentInfo *) payments->pdata[i])->currency));
  for (guint i = 0; i < payments->len; i++)
    {
      const TsyPaymentInfo *p = g_ptr_array_index (payments, i);
      gint64 v;
      if (!tsy_money_rescale (p->amount_minor, tsy_currency_exponent (p->currency), scale,
                              TSY_ROUND_HALF_EVEN, &v, error) ||
          !tsy_money_add (total, v, &total, error))
        return FALSE;
    }
  tsy_money_format_plain (total, scale, buf, len);
  return TRUE;
}

static gboolean
check_payment (const TsyPaymentInfo *p,
               GError              **error)
{
  if (p->amount_minor <= 0 || tsy_currency_exponent (p->currency) < 0 ||
      !has (p->end_to_end_id) || strlen (p->end_to_end_id) > 35 ||
      !has (p->creditor_name) || !has (p->creditor_account) || strlen (p->creditor_account) > 34 ||
      !has (p->debtor_account) || strlen (p->debtor_account) > 34 ||
      p->execution_date == TSY_DATE_NONE)
    {
      g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_UNSUPPORTED,
                   _("Payment %lld cannot be written as pain.001"), (long long) p->id);
      return FALSE;
    }
  return TRUE;
}

GBytes *
tsy_pain001_write (TsyPain001Version  version,
                   const char        *msg_id,
                   GDateTime         *created,
                   GPtrArray         *payments,
                   GPtrArray        **out_pmt_inf_ids,
                   GError           **error)
{
  g_autoptr(GHashTable) by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) block_free);
  g_autoptr(GPtrArray) pmt_inf_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *stamp = NULL;
  GString *out;
  char sum[48];
  char count[16];
  const char *ns = tsy_pain001_version_to_string (version);

  g_return_val_if_fail (msg_id != NULL && created != NULL && payments != NULL, NULL);

  if (payments->len == 0 || strlen (msg_id) == 0 || strlen (msg_id) > 35)
    {
      g_set_error_literal (error, TSY_BANK_ERROR, TSY_BANK_ERROR_UNSUPPORTED,
                           _("A pain.001 message needs an id of 1–35 characters and at least one payment"));
      return NULL;
    }

  for (guint i = 0; i < payments->len; i++)
    {
      const TsyPaymentInfo *p = g_ptr_array_index (payments, i);
      g_autofree char *key = NULL;
      Block *block;
      gpointer index;

      if (!check_payment (p, error))
        return NULL;
      key = g_strdup_printf ("%s|%u|%d|%s", p->debtor_account, p->execution_date, p->urgency, p->currency);
      if (!g_hash_table_lookup_extended (by_key, key, NULL, &index))
        {
          block = g_new0 (Block, 1);
          block->first = p;
          block->members = g_ptr_array_new ();
          block->id = g_strdup_printf ("%s-%u", msg_id, blocks->len + 1);
          if (strlen (block->id) > 35)
            {
              /* keep the tail of the message id: it is the random part */
              char *shorter = g_strdup (block->id + strlen (block->id) - 35);
              g_free (block->id);
              block->id = shorter;
            }
          index = GUINT_TO_POINTER (blocks->len);
          g_ptr_array_add (blocks, block);
          g_hash_table_insert (by_key, g_steal_pointer (&key), index);
        }
      block = g_ptr_array_index (blocks, GPOINTER_TO_UINT (index));
      g_ptr_array_add (block->members, (gpointer) p);
      g_ptr_array_add (pmt_inf_ids, g_strdup (block->id));
    }

  if (!control_sum (payments, sum, sizeof sum, error))
    return NULL;
  utc = g_date_time_to_utc (created);
  stamp = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S");

  out = g_string_sized_new (1024 + payments->len * 900);
  g_string_append (out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  g_string_append_printf (out, "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:%s\">\n", ns);
  open_tag (out, 1, "CstmrCdtTrfInitn");
  open_tag (out, 2, "GrpHdr");
  leaf (out, 3, "MsgId", msg_id);
  leaf (out, 3, "CreDtTm", stamp);
  g_snprintf (count, sizeof count, "%u", payments->len);
  leaf (out, 3, "NbOfTxs", count);
  leaf (out, 3, "CtrlSum", sum);
  open_tag (out, 3, "InitgPty");
  name_leaf (out, 4, "Nm", ((TsyPaymentInfo *) payments->pdata[0])->debtor_name);
  close_tag (out, 3, "InitgPty");
  close_tag (out, 2, "GrpHdr");

  for (guint b = 0; b < blocks->len; b++)
    {
      Block *block = g_ptr_array_index (blocks, b);
      const TsyPaymentInfo *first = block->first;
      char day[11];

      if (!control_sum (block->members, sum, sizeof sum, error))
        {
          g_string_free (out, TRUE);
          return NULL;
        }
      tsy_date_format_iso (first->execution_date, day);
      open_tag (out, 2, "PmtInf");
      leaf (out, 3, "PmtInfId", block->id);
      leaf (out, 3, "PmtMtd", "TRF");
      leaf (out, 3, "BtchBookg", "false");
      g_snprintf (count, sizeof count, "%u", block->members->len);
      leaf (out, 3, "NbOfTxs", count);
      leaf (out, 3, "CtrlSum", sum);
      open_tag (out, 3, "PmtTpInf");
      leaf (out, 4, "InstrPrty", first->urgency == TSY_URGENCY_URGENT ? "HIGH" : "NORM");
      close_tag (out, 3, "PmtTpInf");
      if (version == TSY_PAIN001_V03)
        leaf (out, 3, "ReqdExctnDt", day);
      else
        {
          open_tag (out, 3, "ReqdExctnDt");
          leaf (out, 4, "Dt", day);
          close_tag (out, 3, "ReqdExctnDt");
        }
      open_tag (out, 3, "Dbtr");
      name_leaf (out, 4, "Nm", first->debtor_name);
      close_tag (out, 3, "Dbtr");
      open_tag (out, 3, "DbtrAcct");
      account_id (out, 4, first->debtor_account);
      leaf (out, 4, "Ccy", first->currency);
      close_tag (out, 3, "DbtrAcct");
      agent (out, 3, "DbtrAgt", version, first->bank_bic, first->bank_cnaps, NULL, TRUE);
      leaf (out, 3, "ChrgBr", "SHAR");

      for (guint i = 0; i < block->members->len; i++)
        {
          const TsyPaymentInfo *p = g_ptr_array_index (block->members, i);
          g_autofree char *amount = tsy_money_to_decimal (p->amount_minor, p->currency);

          open_tag (out, 3, "CdtTrfTxInf");
          open_tag (out, 4, "PmtId");
          leaf (out, 5, "EndToEndId", p->end_to_end_id);
          close_tag (out, 4, "PmtId");
          open_tag (out, 4, "Amt");
          g_string_append_printf (out, "          <InstdAmt Ccy=\"%s\">%s</InstdAmt>\n", p->currency, amount);
          close_tag (out, 4, "Amt");
          agent (out, 4, "CdtrAgt", version, p->creditor_bic, p->creditor_cnaps, p->creditor_bank, FALSE);
          open_tag (out, 4, "Cdtr");
          name_leaf (out, 5, "Nm", p->creditor_name);
          close_tag (out, 4, "Cdtr");
          open_tag (out, 4, "CdtrAcct");
          account_id (out, 5, p->creditor_account);
          close_tag (out, 4, "CdtrAcct");
          if (has (p->purpose))
            {
              open_tag (out, 4, "Purp");
              leaf (out, 5, "Cd", p->purpose);
              close_tag (out, 4, "Purp");
            }
          if (has (p->remittance))
            {
              open_tag (out, 4, "RmtInf");
              leaf (out, 5, "Ustrd", p->remittance);
              close_tag (out, 4, "RmtInf");
            }
          close_tag (out, 3, "CdtTrfTxInf");
        }
      close_tag (out, 2, "PmtInf");
    }
  close_tag (out, 1, "CstmrCdtTrfInitn");
  g_string_append (out, "</Document>\n");

  if (out_pmt_inf_ids != NULL)
    *out_pmt_inf_ids = g_steal_pointer (&pmt_inf_ids);
  return g_string_free_to_bytes (out);
}
