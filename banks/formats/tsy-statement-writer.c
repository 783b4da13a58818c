/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "ledger/tsy-money.h"
#include "tsy-statement-writer.h"

struct _TsyStatementWriter
{
  TsyWriterFormat format;
  GOutputStream  *out;
  GString        *buf;         /* written out when large */
  GIConv          to_gb18030;
  gboolean        started;     /* camt: document open */
  guint           n_statements;
  char            currency[4];
  int             exponent;
  gint64          running;     /* CSV running balance */
  char           *account;
  GError         *error;       /* first write error */
};

static gboolean
flush_buf (TsyStatementWriter *w,
           gboolean            force,
           GError            **error)
{
  gsize written;

  if (w->buf->len == 0 || (!force && w->buf->len < 256 * 1024))
    return TRUE;
  if (w->format == TSY_WRITER_CSV_GB18030)
    {
      gsize in_len = w->buf->len, out_len = 0;
      g_autofree char *converted = g_convert_with_iconv (w->buf->str, in_len, w->to_gb18030,
                                                         NULL, &out_len, error);
      if (converted == NULL)
        return FALSE;
      if (!g_output_stream_write_all (w->out, converted, out_len, &written, NULL, error))
        return FALSE;
    }
  else if (!g_output_stream_write_all (w->out, w->buf->str, w->buf->len, &written, NULL, error))
    return FALSE;
  g_string_truncate (w->buf, 0);
  return TRUE;
}

TsyStatementWriter *
tsy_statement_writer_new (TsyWriterFormat format,
                          GOutputStream  *out)
{
  TsyStatementWriter *w = g_new0 (TsyStatementWriter, 1);

  w->format = format;
  w->out = g_object_ref (out);
  w->buf = g_string_sized_new (512 * 1024);
  w->to_gb18030 = (GIConv) -1;
  if (format == TSY_WRITER_CSV_GB18030)
    w->to_gb18030 = g_iconv_open ("GB18030", "UTF-8");
  return w;
}

void
tsy_statement_writer_free (TsyStatementWriter *w)
{
  if (w == NULL)
    return;
  g_clear_object (&w->out);
  g_string_free (w->buf, TRUE);
  if (w->to_gb18030 != (GIConv) -1)
    g_iconv_close (w->to_gb18030);
  g_free (w->account);
  g_clear_error (&w->error);
  g_free (w);
}

static void
append_amount (GString *s,
               gint64   minor,
               int      exponent,
               char     decimal)
{
  char buf[32];
  char *dot;

  tsy_money_format_plain (minor < 0 ? -minor : minor, exponent, buf, sizeof buf);
  dot = strchr (buf, '.');
  if (dot != NULL)
    *dot = decimal;
  else if (decimal == ',')
    strcat (buf, ",");
  g_string_append (s, buf);
}

static void
append_yymmdd (GString *s,
               TsyDate  d)
{
  int y, m, day;

  tsy_date_to_ymd (d, &y, &m, &day);
  g_string_append_printf (s, "%02d%02d%02d", y % 100, m, day);
}

static void
append_iso (GString *s,
            TsyDate  d)
{
  char buf[11];

  tsy_date_format_iso (d, buf);
  g_string_append (s, buf);
}

/* SWIFT x character set: letters, digits and / - ? : ( ) . , ' + space. Any other character
 * (one, however many bytes it takes in UTF-8) becomes one '.'. */
static void
append_swift_text (GString    *s,
                   const char *text,
                   gsize       max)
{
  gsize n = 0;

  for (const char *p = text ? text : ""; *p && n < max; p = g_utf8_next_char (p), n++)
    {
      char c = *p;
      if ((guchar) c < 0x80 && (g_ascii_isalnum (c) || strchr ("/-?:().,'+ ", c) != NULL))
        g_string_append_c (s, c == ':' && n == 0 ? '.' : c);
      else
        g_string_append_c (s, '.');
    }
}

/* MT940 */

static gboolean
mt940_begin (TsyStatementWriter       *w,
             const TsyStatementHeader *h)
{
  GString *s = w->buf;

  g_string_append (s, "{1:F01TSYDCNBJAXXX0000000000}{2:O9400000000000TSYDCNBJAXXX00000000000000000000N}{4:\r\n");
  g_string_append_printf (s, ":20:%s\r\n", h->statement_id ? h->statement_id : "NONREF");
  g_string_append_printf (s, ":25:%s\r\n", h->account);
  g_string_append_printf (s, ":28C:%s\r\n", h->sequence ? h->sequence : "1");
  g_string_append_printf (s, ":60F:%c", h->opening_minor < 0 ? 'D' : 'C');
  append_yymmdd (s, h->opening_date);
  g_string_append (s, w->currency);
  append_amount (s, h->opening_minor, w->exponent, ',');
  g_string_append (s, "\r\n");
  return TRUE;
}

static void
mt940_entry (TsyStatementWriter      *w,
             const TsyStatementEntry *e)
{
  GString *s = w->buf;
  int y, m, d;
  GString *info = g_string_new (NULL);
  gsize pos;

  g_string_append (s, ":61:");
  append_yymmdd (s, e->value_date ? e->value_date : e->booking_date);
  tsy_date_to_ymd (e->booking_date, &y, &m, &d);
  g_string_append_printf (s, "%02d%02d", m, d);
  if (e->reversal)
    g_string_append (s, e->amount_minor < 0 ? "RC" : "RD");
  else
    g_string_append_c (s, e->amount_minor < 0 ? 'D' : 'C');
  append_amount (s, e->amount_minor, w->exponent, ',');
  g_string_append_printf (s, "N%s", e->bank_tx_code && strlen (e->bank_tx_code) == 3 ? e->bank_tx_code : "TRF");
  append_swift_text (s, e->customer_ref ? e->customer_ref : "NONREF", 16);
  if (e->bank_ref != NULL)
    {
      g_string_append (s, "//");
      append_swift_text (s, e->bank_ref, 16);
    }
  g_string_append (s, "\r\n:86:");

  if (e->end_to_end_id)
    g_string_append_printf (info, "/EREF/%s", e->end_to_end_id);
  if (e->counterparty_account)
    g_string_append_printf (info, "/IBAN/%s", e->counterparty_account);
  if (e->counterparty_name)
    g_string_append_printf (info, "/NAME/%s", e->counterparty_name);
  if (e->text)
    g_string_append_printf (info, "/REMI/%s", e->text);
  /* 6 lines of 65 characters at most */
  for (pos = 0; pos < info->len && pos < 6 * 65; pos += 65)
    {
      if (pos > 0)
        g_string_append (s, "\r\n");
      append_swift_text (s, info->str + pos, 65);
    }
  g_string_append (s, "\r\n");
  g_string_free (info, TRUE);
}

static void
mt940_end (TsyStatementWriter       *w,
           const TsyStatementHeader *h)
{
  GString *s = w->buf;

  g_string_append_printf (s, ":62F:%c", h->closing_minor < 0 ? 'D' : 'C');
  append_yymmdd (s, h->closing_date);
  g_string_append (s, w->currency);
  append_amount (s, h->closing_minor, w->exponent, ',');
  g_string_append (s, "\r\n-}\r\n");
}

/* camt.053 */

static void
append_xml (GString    *s,
            const char *text)
{
  for (const char *p = text ? text : ""; *p; p++)
    switch (*p)
      {
      case '<': g_string_append (s, "&lt;"); break;
      case '>': g_string_append (s, "&gt;"); break;
      case '&': g_string_append (s, "&amp;"); break;
      case '"': g_string_append (s, "&quot;"); break;
      default:
        if ((guchar) *p >= 0x20 || *p == '\t')
          g_string_append_c (s, *p);
      }
}

static void
camt_amount (TsyStatementWriter *w,
             const char         *element,
             gint64              minor)
{
  g_string_append_printf (w->buf, "<%s Ccy=\"%s\">", element, w->currency);
  append_amount (w->buf, minor, w->exponent, '.');
  g_string_append_printf (w->buf, "</%s>", element);
}

static void
camt_balance (TsyStatementWriter *w,
              const char         *code,
              gint64              minor,
              TsyDate             date)
{
  GString *s = w->buf;

  g_string_append_printf (s, "<Bal><Tp><CdOrPrtry><Cd>%s</Cd></CdOrPrtry></Tp>", code);
  camt_amount (w, "Amt", minor);
  g_string_append_printf (s, "<CdtDbtInd>%s</CdtDbtInd><Dt><Dt>", minor < 0 ? "DBIT" : "CRDT");
  append_iso (s, date);
  g_string_append (s, "</Dt></Dt></Bal>\n");
}

static void
camt_begin (TsyStatementWriter       *w,
            const TsyStatementHeader *h)
{
  GString *s = w->buf;
  gboolean v8 = w->format == TSY_WRITER_CAMT053_V8;

  if (!w->started)
    {
      g_string_append_printf (s,
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.%s\">\n<BkToCstmrStmt>\n"
          "<GrpHdr><MsgId>%s</MsgId><CreDtTm>", v8 ? "08" : "02",
          h->statement_id ? h->statement_id : "MSG");
      append_iso (s, h->closing_date ? h->closing_date : h->opening_date);
      g_string_append (s, "T20:00:00</CreDtTm></GrpHdr>\n");
      w->started = TRUE;
    }
  g_string_append (s, "<Stmt><Id>");
  append_xml (s, h->statement_id);
  g_string_append_printf (s, "</Id><ElctrncSeqNb>%s</ElctrncSeqNb><CreDtTm>",
                          h->sequence ? h->sequence : "1");
  append_iso (s, h->closing_date ? h->closing_date : h->opening_date);
  g_string_append (s, "T20:00:00</CreDtTm>\n<Acct><Id>");
  if (h->account && g_ascii_isalpha (h->account[0]) && g_ascii_isalpha (h->account[1]))
    g_string_append_printf (s, "<IBAN>%s</IBAN>", h->account);
  else
    {
      g_string_append (s, "<Othr><Id>");
      append_xml (s, h->account);
      g_string_append (s, "</Id></Othr>");
    }
  g_string_append_printf (s, "</Id><Ccy>%s</Ccy></Acct>\n", w->currency);
  camt_balance (w, "OPBD", h->opening_minor, h->opening_date);
  if (h->has_closing)
    camt_balance (w, "CLBD", h->closing_minor, h->closing_date);
}

static void
camt_party (GString    *s,
            gboolean    v8,
            const char *role,
            const char *name,
            const char *account)
{
  g_string_append_printf (s, "<%s>", role);
  if (v8)
    g_string_append (s, "<Pty>");
  g_string_append (s, "<Nm>");
  append_xml (s, name ? name : "NOTPROVIDED");
  g_string_append (s, "</Nm>");
  if (v8)
    g_string_append (s, "</Pty>");
  g_string_append_printf (s, "</%s>", role);
  if (account != NULL)
    {
      g_string_append_printf (s, "<%sAcct><Id><Othr><Id>", role);
      append_xml (s, account);
      g_string_append_printf (s, "</Id></Othr></Id></%sAcct>", role);
    }
}

static void
camt_entry (TsyStatementWriter      *w,
            const TsyStatementEntry *e)
{
  GString *s = w->buf;
  gboolean credit = e->amount_minor >= 0;
  gboolean v8 = w->format == TSY_WRITER_CAMT053_V8;

  g_string_append (s, "<Ntry>");
  camt_amount (w, "Amt", e->amount_minor < 0 ? -e->amount_minor : e->amount_minor);
  g_string_append_printf (s, "<CdtDbtInd>%s</CdtDbtInd>", credit ? "CRDT" : "DBIT");
  if (e->reversal)
    g_string_append (s, "<RvslInd>true</RvslInd>");
  g_string_append (s, v8 ? "<Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>" : "<Sts>BOOK</Sts><BookgDt><Dt>");
  append_iso (s, e->booking_date);
  g_string_append (s, "</Dt></BookgDt><ValDt><Dt>");
  append_iso (s, e->value_date ? e->value_date : e->booking_date);
  g_string_append (s, "</Dt></ValDt>");
  if (e->bank_ref)
    {
      g_string_append (s, "<AcctSvcrRef>");
      append_xml (s, e->bank_ref);
      g_string_append (s, "</AcctSvcrRef>");
    }
  g_string_append_printf (s, "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>%s</Cd><SubFmlyCd>%s</SubFmlyCd>"
                          "</Fmly></Domn></BkTxCd>", credit ? "RCDT" : "ICDT",
                          credit ? "DMCT" : "DMCT");
  g_string_append (s, "<NtryDtls><TxDtls><Refs>");
  if (e->customer_ref)
    {
      g_string_append (s, "<InstrId>");
      append_xml (s, e->customer_ref);
      g_string_append (s, "</InstrId>");
    }
  g_string_append (s, "<EndToEndId>");
  append_xml (s, e->end_to_end_id ? e->end_to_end_id : "NOTPROVIDED");
  g_string_append (s, "</EndToEndId></Refs>");
  if (e->counterparty_name || e->counterparty_account)
    {
      g_string_append (s, "<RltdPties>");
      camt_party (s, v8, credit ? "Dbtr" : "Cdtr", e->counterparty_name, e->counterparty_account);
      g_string_append (s, "</RltdPties>");
    }
  if (e->text)
    {
      g_string_append (s, "<RmtInf><Ustrd>");
      append_xml (s, e->text);
      g_string_append (s, "</Ustrd></RmtInf>");
    }
  g_string_append (s, "</TxDtls></NtryDtls></Ntry>\n");
}

static void
camt_end (TsyStatementWriter       *w,
          const TsyStatementHeader *h)
{
  g_string_append (w->buf, "</Stmt>\n");
}

/* CSV of a Chinese bank */

static void
csv_field (GString    *s,
           const char *text)
{
  gboolean quote = text != NULL && strpbrk (text, ",\"\n") != NULL;

  if (quote)
    g_string_append_c (s, '"');
  for (const char *p = text ? text : ""; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, *p);
    }
  if (quote)
    g_string_append_c (s, '"');
}

static void
csv_begin (TsyStatementWriter       *w,
           const TsyStatementHeader *h)
{
  GString *s = w->buf;

  g_string_append_printf (s, "账号:,%s\r\n", h->account);
  g_string_append_printf (s, "币种:,%s\r\n", w->currency);
  g_string_append (s, "起止日期:,");
  append_iso (s, h->from_date ? h->from_date : h->opening_date);
  g_string_append (s, " 至 ");
  append_iso (s, h->to_date ? h->to_date : h->closing_date);
  g_string_append (s, "\r\n交易日期,交易流水号,摘要,借方发生额,贷方发生额,余额,对方户名,对方账号\r\n");
  w->running = h->opening_minor;
}

static void
csv_entry (TsyStatementWriter      *w,
           const TsyStatementEntry *e)
{
  GString *s = w->buf;

  w->running += e->amount_minor;
  append_iso (s, e->booking_date);
  g_string_append_c (s, ',');
  csv_field (s, e->bank_ref);
  g_string_append_c (s, ',');
  csv_field (s, e->text);
  g_string_append_c (s, ',');
  if (e->amount_minor < 0)
    append_amount (s, e->amount_minor, w->exponent, '.');
  g_string_append_c (s, ',');
  if (e->amount_minor >= 0)
    append_amount (s, e->amount_minor, w->exponent, '.');
  g_string_append_c (s, ',');
  if (w->running < 0)
    g_string_append_c (s, '-');
  append_amount (s, w->running, w->exponent, '.');
  g_string_append_c (s, ',');
  csv_field (s, e->counterparty_name);
  g_string_append_c (s, ',');
  csv_field (s, e->counterparty_account);
  g_string_append (s, "\r\n");
}

static void
csv_end (TsyStatementWriter       *w,
         const TsyStatementHeader *h)
{
  g_string_append (w->buf, "合计,,,,,,,\r\n");
}

/* the sink */

static gboolean
on_begin (gpointer                  user_data,
          const TsyStatementHeader *h,
          GError                  **error)
{
  TsyStatementWriter *w = user_data;

  g_strlcpy (w->currency, h->currency ? h->currency : "CNY", sizeof w->currency);
  w->exponent = tsy_currency_exponent (w->currency);
  if (w->exponent < 0)
    return tsy_currency_check (w->currency, error);
  switch (w->format)
    {
    case TSY_WRITER_MT940:
      mt940_begin (w, h);
      break;
    case TSY_WRITER_CAMT053_V2:
    case TSY_WRITER_CAMT053_V8:
      camt_begin (w, h);
      break;
    case TSY_WRITER_CSV_UTF8:
    case TSY_WRITER_CSV_GB18030:
      csv_begin (w, h);
      break;
    default:
      g_assert_not_reached ();
    }
  return flush_buf (w, FALSE, error);
}

static gboolean
on_entry (gpointer                 user_data,
          const TsyStatementEntry *e,
          GError                 **error)
{
  TsyStatementWriter *w = user_data;

  switch (w->format)
    {
    case TSY_WRITER_MT940:
      mt940_entry (w, e);
      break;
    case TSY_WRITER_CAMT053_V2:
    case TSY_WRITER_CAMT053_V8:
      camt_entry (w, e);
      break;
    case TSY_WRITER_CSV_UTF8:
    case TSY_WRITER_CSV_GB18030:
      csv_entry (w, e);
      break;
    default:
      g_assert_not_reached ();
    }
  return flush_buf (w, FALSE, error);
}

static gboolean
on_end (gpointer                  user_data,
        const TsyStatementHeader *h,
        GError                  **error)
{
  TsyStatementWriter *w = user_data;

  switch (w->format)
    {
    case TSY_WRITER_MT940:
      mt940_end (w, h);
      break;
    case TSY_WRITER_CAMT053_V2:
    case TSY_WRITER_CAMT053_V8:
      camt_end (w, h);
      break;
    case TSY_WRITER_CSV_UTF8:
    case TSY_WRITER_CSV_GB18030:
      csv_end (w, h);
      break;
    default:
      g_assert_not_reached ();
    }
  w->n_statements++;
  return flush_buf (w, FALSE, error);
}

static const TsyStatementSink writer_sink = { on_begin, on_entry, on_end };

const TsyStatementSink *
tsy_statement_writer_sink (void)
{
  return &writer_sink;
}

gboolean
tsy_statement_writer_finish (TsyStatementWriter *w,
                             GError            **error)
{
  if ((w->format == TSY_WRITER_CAMT053_V2 || w->format == TSY_WRITER_CAMT053_V8) && w->started)
    g_string_append (w->buf, "</BkToCstmrStmt>\n</Document>\n");
  if (!flush_buf (w, TRUE, error))
    return FALSE;
  return g_output_stream_flush (w->out, NULL, error);
}
