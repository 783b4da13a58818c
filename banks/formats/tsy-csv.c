/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The CSV statement exports of Chinese banks (工商银行, 建设银行, 中国银行, 农业银行, 招商银行, …).
 *
 * Encoding: UTF-8 (with or without BOM) or GB18030 (read for GBK and GB2312 too). The first line
 *   that holds a non-ASCII byte decides: valid UTF-8 makes the file UTF-8, anything else GB18030.
 *   Lines are converted one by one with a single GIConv, so memory stays bounded. A profile may
 *   force the encoding. UTF-16 is refused with a clear message.
 * Layout: lines before the header row (账号：…, 户名：…, 币种：人民币, 起止日期：… 至 …,
 *   期初余额：…) give the account, currency, period and opening balance; the header row is the
 *   first line whose cells name a date column and an amount column of the vocabulary in
 *   tsy-csv-text.c (delimiter , tab ; or |, whichever names the most columns); summary lines
 *   after the data (合计, 总计, 笔数, 期初余额, 期末余额) and dated subtotal or page-carry rows
 *   (本日合计, 本页小计, 承前页, 过次页) are not transactions, but 期初/期末余额 (also a dated
 *   上日余额/本日余额 row without an amount) are the opening and closing balances. Quoted fields
 *   may hold "" and newlines; Excel's ="0123", a leading ' and blanks around cells are dropped.
 *   A file may hold several sections (preamble, header, data) or
 *   an account column (账号/本方账号): each account (and currency) gives a statement, in file
 *   order; a change of account starts a new statement, a repeated header row on a new page does
 *   not. Rows may be oldest first or newest first.
 * Amounts: debit/credit columns give the magnitude (debit negative); a single amount column is
 *   signed by a 借贷标志 column (借 出 支 付 D DR = debit; 贷 入 收 存 C CR = credit) or by
 *   its own sign. "1,234.56", "1234.56元", "¥1234.56", "(1234.56)" (negative) are read; an
 *   empty, "-" or "0.00" cell is an unused column. Never floating point.
 * Balances: a running balance column (余额) is CHECKED row by row; without 期初余额 the opening
 *   is the first row's balance minus its amount and the closing the last row's balance (the
 *   other way round for newest-first files). An explicit 期初/期末余额 must agree with them.
 * Currency: a profile's currency= overrides; else the currency column of the row, else the
 *   preamble's 币种. When nothing says, header.currency is NULL and the ledger uses the
 *   registered account's currency; amounts are then read with two decimals (all Chinese bank
 *   exports use two), so the importer must refuse such a file for an account whose currency
 *   has another number of decimals.
 * Account: a profile's account= overrides; else the account column, else the preamble's 账号;
 *   else header.account is NULL (the CLI's --account supplies it). White space inside account
 *   numbers is removed.
 * Identity: bank_ref is the 交易流水号 (or 流水号, 交易序号, 凭证号, in that order); a lesser
 *   reference column (凭证号, 企业流水号, 业务参考号) becomes customer_ref; without one
 *   bank_ref is NULL. statement_id is "<account>:<from>–<to>" (period of the preamble, else first
 *   and last booking date; "<from>–<to>" without an account): at begin_statement only when the
 *   preamble gives the period, always at end_statement. value_date is TSY_DATE_NONE when the
 *   file has no value date column. raw is the line (or quoted multi-line record) in UTF-8.
 *
 * The parts: tsy-csv.c reads lines, fields and rows; tsy-csv-statement.c keeps the statements,
 * their balances and what preamble lines say; tsy-csv-text.c knows the words; tsy-csv-profile.c
 * loads profiles.
 *
 * A column profile (GKeyFile) reads layouts the vocabulary does not know; see
 * tests/data/csv/sample-profile.ini:
 *
 *   [profile]
 *   encoding=GB18030     UTF-8 | GB18030 | GBK | GB2312 | auto
 *   delimiter=,          , | tab | ; | "|" | comma | semicolon | pipe | auto
 *   skip_lines=3         lines before the header row (before the data when header=false)
 *   header=true          false: no header row; every column is then a 1-based index
 *   date_format=%Y%m%d   strftime style (%Y %y %m %d; %H %M %S skipped) or YYYY-MM-DD style;
 *                        or auto (2026-10-08 2026/10/08 20261008 2026年10月08日 2026.10.08)
 *   decimal=point        point | comma
 *   currency=CNY         ISO 4217 code or a Chinese name (人民币); overrides the file
 *   account=…            overrides the file
 *   [columns]            a header name or a 1-based column number each; with [columns] the
 *                        vocabulary is not used, and booking_date plus amount, debit or credit
 *                        are needed. Keys:
 *     booking_date value_date time bank_ref customer_ref debit credit amount direction balance
 *     counterparty_name counterparty_account counterparty_bank bank_tx_code currency account
 *     text=摘要,用途          several columns, joined with " / "
 *     direction_debit=借,D    marks of the direction column (the usual marks still count)
 *     direction_credit=贷,C
 *
 * A profile that names columns finds its header row by those names; one with only numbers finds
 * it by the vocabulary, or takes the line after skip_lines. Load errors name the file, the key
 * and the reason: "bank.ini: [profile] decimal: must be point or comma".
 */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsy-csv-private.h"

typedef enum
{
  SPLIT_OK,
  SPLIT_OPEN_QUOTE,
  SPLIT_TOO_MANY,
} SplitResult;

static TsyDate
parse_date (Ctx        *ctx,
            const char *s)
{
  return tsy_csv_parse_date (s, ctx->profile != NULL ? ctx->profile->date_format : NULL);
}

static const char *
cell (Ctx *ctx,
      int  i)
{
  if (i < 0 || (guint) i >= ctx->nf)
    return "";
  return ctx->fields->str + ctx->foff[i];
}

/* Trims the field that starts at @start (NUL-terminated at the end of the buffer) and strips
 * Excel's ="0123" and a leading apostrophe. */
static void
clean_field (GString *f,
             gsize    start)
{
  const char *s = f->str + start;
  gsize len = f->len - start - 1;   /* without the NUL */

  tsy_csv_trim (&s, &len);
  if (len >= 3 && s[0] == '=' && s[1] == '"' && s[len - 1] == '"')
    {
      s += 2;
      len -= 3;
      tsy_csv_trim (&s, &len);
    }
  if (len >= 1 && s[0] == '\'')
    {
      s++;
      len--;
      tsy_csv_trim (&s, &len);
    }
  memmove (f->str + start, s, len);
  f->str[start + len] = '\0';
  f->len = start + len + 1;
}

/* Splits @s on @delim into ctx->fields: quoted fields with "" escapes, ="…" for Excel. */
static SplitResult
split_fields (Ctx        *ctx,
              const char *s,
              gsize       len,
              char        delim)
{
  GString *f = ctx->fields;
  gsize i = 0;

  g_string_truncate (f, 0);
  ctx->nf = 0;
  for (;;)
    {
      gsize start = f->len, j = i;
      const char *d;
      gsize end;

      if (ctx->nf == MAX_FIELDS)
        return SPLIT_TOO_MANY;
      ctx->foff[ctx->nf++] = (guint) start;
      while (j < len && (s[j] == ' ' || (s[j] == '\t' && delim != '\t')))
        j++;
      if (j < len && (s[j] == '"' || (s[j] == '=' && j + 1 < len && s[j + 1] == '"')))
        {
          i = j + (s[j] == '"' ? 1 : 2);
          for (;;)
            {
              const char *q = memchr (s + i, '"', len - i);
              if (q == NULL)
                return SPLIT_OPEN_QUOTE;
              g_string_append_len (f, s + i, q - (s + i));
              i = (gsize) (q - s) + 1;
              if (i < len && s[i] == '"')
                {
                  g_string_append_c (f, '"');
                  i++;
                  continue;
                }
              break;
            }
        }
      d = i < len ? memchr (s + i, delim, len - i) : NULL;
      end = d != NULL ? (gsize) (d - s) : len;
      g_string_append_len (f, s + i, end - i);
      g_string_append_c (f, '\0');
      clean_field (f, start);
      if (d == NULL)
        break;
      i = end + 1;
    }
  return SPLIT_OK;
}

static gboolean
all_empty (Ctx *ctx)
{
  for (guint i = 0; i < ctx->nf; i++)
    if (*cell (ctx, (int) i) != '\0')
      return FALSE;
  return TRUE;
}

/* Reads the next physical line, appended to @dst in UTF-8. FALSE at the end (error unset). */
static gboolean
read_line (Ctx     *ctx,
           GString *dst,
           GError **error)
{
  GError *local = NULL;
  const char *line;
  gsize len;

  if (!tsy_line_reader_next (ctx->reader, &line, &len, &local))
    {
      if (local != NULL)
        {
          if (local->domain == TSY_BANK_ERROR)
            g_prefix_error (&local, "%s: ", ctx->display_name);
          g_propagate_error (error, local);
        }
      return FALSE;
    }
  ctx->lineno = tsy_line_reader_get_line (ctx->reader);
  if (ctx->lineno == 1)
    {
      if (len >= 2 && (((guchar) line[0] == 0xFF && (guchar) line[1] == 0xFE) ||
                       ((guchar) line[0] == 0xFE && (guchar) line[1] == 0xFF)))
        return tsy_csv_fail (ctx, error, 1, "%s",
                             _("the file is UTF-16, which is not supported: export it as "
                               "UTF-8 or GB18030"));
      if (len >= 3 && memcmp (line, "\xEF\xBB\xBF", 3) == 0)
        {
          line += 3;
          len -= 3;
          if (ctx->enc == ENC_AUTO)
            ctx->enc = ENC_UTF8;
        }
    }
  if (memchr (line, '\0', len) != NULL)
    return tsy_csv_fail (ctx, error, ctx->lineno, "%s",
                         _("the line holds a NUL byte: not a text file"));

  if (ctx->enc == ENC_AUTO)
    {
      gboolean ascii = TRUE;
      for (gsize i = 0; i < len && ascii; i++)
        ascii = (guchar) line[i] < 0x80;
      if (!ascii)
        ctx->enc = g_utf8_validate_len (line, len, NULL) ? ENC_UTF8 : ENC_GB18030;
    }
  if (ctx->enc == ENC_GB18030)
    {
      gsize old = dst->len, room = len * 2 + 4, inleft = len, outleft = room;
      char *in = (char *) line, *out;

      if (ctx->cd == (GIConv) -1)
        {
          ctx->cd = g_iconv_open ("UTF-8", "GB18030");
          if (ctx->cd == (GIConv) -1)
            {
              g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_UNSUPPORTED,
                           /* Translators: %s is a file name */
                           _("%s: this system cannot convert GB18030 text"), ctx->display_name);
              return FALSE;
            }
        }
      g_string_set_size (dst, old + room);
      out = dst->str + old;
      g_iconv (ctx->cd, NULL, NULL, NULL, NULL);
      if (g_iconv (ctx->cd, &in, &inleft, &out, &outleft) == (gsize) -1)
        {
          g_string_set_size (dst, old);
          return tsy_csv_fail (ctx, error, ctx->lineno,
                               _("invalid GB18030 bytes at byte %u"), (guint) (len - inleft + 1));
        }
      g_string_set_size (dst, old + (room - outleft));
    }
  else
    {
      const char *end;
      if (!g_utf8_validate_len (line, len, &end))
        return tsy_csv_fail (ctx, error, ctx->lineno, _("invalid UTF-8 bytes at byte %u"),
                             (guint) (end - line + 1));
      g_string_append_len (dst, line, len);
    }
  return TRUE;
}

static void
layout_clear (Layout *l)
{
  for (int c = 0; c < N_COLS; c++)
    {
      g_clear_pointer (&l->names[c], g_free);
      l->idx[c] = -1;
      l->prio[c] = G_MAXUINT8;
    }
  l->n_text = 0;
  l->n_fields = 0;
  l->n_required = 0;
}

static void
layout_set (Layout *l,
            Col     c,
            int     i,
            guint8  prio)
{
  if (c == COL_TEXT)
    {
      if (l->n_text < MAX_TEXT_COLUMNS)
        l->text[l->n_text++] = i;
      return;
    }
  if (l->idx[c] >= 0 && l->prio[c] <= prio)
    {
      /* a lesser reference column keeps its value as the customer reference */
      if (c == COL_BANK_REF && l->idx[COL_CUSTOMER_REF] < 0)
        l->idx[COL_CUSTOMER_REF] = i;
      return;
    }
  if (c == COL_BANK_REF && l->idx[c] >= 0 && l->idx[COL_CUSTOMER_REF] < 0)
    l->idx[COL_CUSTOMER_REF] = l->idx[c];
  l->idx[c] = i;
  l->prio[c] = prio;
}

static gboolean
layout_valid (const Layout *l)
{
  return (l->idx[COL_BOOKING_DATE] >= 0 || l->idx[COL_TIME] >= 0) &&
         (l->idx[COL_DEBIT] >= 0 || l->idx[COL_CREDIT] >= 0 || l->idx[COL_AMOUNT] >= 0);
}

/* Completes a layout: names for messages, the date from 交易时间 when alone, counts. */
static void
layout_finish (Ctx    *ctx,
               Layout *l,
               gboolean header)
{
  int max = -1;

  if (l->idx[COL_BOOKING_DATE] < 0)
    l->idx[COL_BOOKING_DATE] = l->idx[COL_TIME];
  for (int c = 0; c < N_COLS; c++)
    {
      if (l->idx[c] < 0)
        continue;
      max = MAX (max, l->idx[c]);
      if (header && *cell (ctx, l->idx[c]) != '\0')
        l->names[c] = g_strdup (cell (ctx, l->idx[c]));
      else
        /* Translators: a column of a CSV file given by its number */
        l->names[c] = g_strdup_printf (_("column %d"), l->idx[c] + 1);
    }
  for (guint t = 0; t < l->n_text; t++)
    max = MAX (max, l->text[t]);
  l->n_required = (guint) (max + 1);
  l->n_fields = 0;
  if (header)
    for (guint i = 0; i < ctx->nf; i++)
      if (*cell (ctx, (int) i) != '\0')
        l->n_fields = i + 1;
  if (l->n_fields < l->n_required)
    l->n_fields = header ? l->n_required : 0;
}

static guint
layout_from_vocabulary (Ctx    *ctx,
                        Layout *l)
{
  guint score = 0;

  layout_clear (l);
  for (guint i = 0; i < ctx->nf; i++)
    {
      Col c;
      guint8 prio;

      if (tsy_csv_lookup_column (cell (ctx, (int) i), &c, &prio))
        {
          layout_set (l, c, (int) i, prio);
          score++;
        }
    }
  return score;
}

static int
find_header_cell (Ctx        *ctx,
                  const char *name)
{
  char want[MAX_NAME], have[MAX_NAME];

  if (!tsy_csv_normalise_name (name, want))
    return -1;
  for (guint i = 0; i < ctx->nf; i++)
    if (tsy_csv_normalise_name (cell (ctx, (int) i), have) && strcmp (want, have) == 0)
      return (int) i;
  return -1;
}

/* Maps the profile's columns on the current fields (header cells when @header). Returns the
 * number of named columns found, 0 when one is missing (or none is named). */
static guint
layout_from_profile (Ctx     *ctx,
                     Layout  *l,
                     gboolean header)
{
  const TsyCsvProfile *p = ctx->profile;
  guint named = 0;

  layout_clear (l);
  for (int c = 0; c < N_COLS + MAX_TEXT_COLUMNS; c++)
    {
      const ColSpec *spec = c < N_COLS ? &p->cols[c] : &p->text[c - N_COLS];
      int i;

      if (c >= N_COLS && (guint) (c - N_COLS) >= p->n_text)
        break;
      if (spec->index > 0)
        i = (int) spec->index - 1;
      else if (spec->name != NULL && header)
        {
          if ((i = find_header_cell (ctx, spec->name)) < 0)
            return 0;
          named++;
        }
      else
        continue;
      layout_set (l, c < N_COLS ? (Col) c : COL_TEXT, i, 0);
    }
  return named > 0 ? named : (header ? 0 : 1);
}

/* How well the fields (split already) make a header row; 0 when they do not. */
static guint
header_score (Ctx    *ctx,
              Layout *tmp)
{
  guint score;

  if (ctx->profile != NULL && ctx->profile->has_columns && ctx->profile->n_named > 0)
    return layout_from_profile (ctx, tmp, TRUE);
  /* the vocabulary finds the header row, also for a profile of column numbers */
  score = layout_from_vocabulary (ctx, tmp);
  return layout_valid (tmp) && score >= 2 ? score : 0;
}

/* Is the record a header row? Installs its layout and delimiter when it is. With @force (the
 * profile's skip_lines say where it is) only the columns must be found. */
static gboolean
try_header (Ctx        *ctx,
            const char *s,
            gsize       len,
            gboolean    force)
{
  static const char candidates[] = { ',', '\t', ';', '|' };
  const TsyCsvProfile *p = ctx->profile;
  const gboolean by_profile = p != NULL && p->has_columns;
  char best = 0;
  guint best_score = 0;
  Layout tmp = { 0 };

  for (gsize k = 0; k < G_N_ELEMENTS (candidates); k++)
    {
      char d = p != NULL && p->delimiter ? p->delimiter : candidates[k];
      guint score;

      if (split_fields (ctx, s, len, d) == SPLIT_OK)
        {
          score = force ? ctx->nf : header_score (ctx, &tmp);
          if (score > best_score)
            {
              best = d;
              best_score = score;
            }
        }
      if (p != NULL && p->delimiter)
        break;
    }
  layout_clear (&tmp);
  if (best == 0)
    return FALSE;
  split_fields (ctx, s, len, best);
  layout_clear (&ctx->layout);
  if (by_profile)
    {
      if (layout_from_profile (ctx, &ctx->layout, TRUE) == 0 && p->n_named > 0)
        return FALSE;
    }
  else if (layout_from_vocabulary (ctx, &ctx->layout) == 0 || !layout_valid (&ctx->layout))
    return FALSE;
  layout_finish (ctx, &ctx->layout, TRUE);
  ctx->delim = best;
  ctx->have_layout = TRUE;
  return TRUE;
}

static gboolean
cell_is_amount_like (const char *s)
{
  return g_ascii_isdigit (s[0]) || ((s[0] == '-' || s[0] == '(' || s[0] == '+') &&
                                    g_ascii_isdigit (s[1]));
}

static gboolean
amount_of (Ctx        *ctx,
           Col         c,
           gint64     *out,
           gboolean   *present,
           guint       line,
           GError    **error)
{
  GError *local = NULL;
  const char *text = cell (ctx, ctx->layout.idx[c]);

  if (ctx->layout.idx[c] < 0)
    {
      *out = 0;
      *present = FALSE;
      return TRUE;
    }
  if (tsy_csv_parse_amount (text, ctx->st.parse_ccy, ctx->decimal, out, present, &local))
    return TRUE;
  tsy_csv_fail (ctx, error, line,
                /* Translators: %1$s is a column name, %2$s why its amount is wrong */
                _("column “%1$s”: %2$s"), ctx->layout.names[c], local->message);
  g_error_free (local);
  return FALSE;
}

static gboolean
row_key (Ctx         *ctx,
         const char **account,
         const char **currency,
         char         code[4],
         guint        line,
         GError     **error)
{
  const Layout *l = &ctx->layout;
  const char *ccy_cell = cell (ctx, l->idx[COL_CURRENCY]);

  *account = ctx->info.account;
  if (ctx->profile != NULL && ctx->profile->account != NULL)
    *account = ctx->profile->account;
  else if (l->idx[COL_ACCOUNT] >= 0 && *cell (ctx, l->idx[COL_ACCOUNT]) != '\0')
    {
      /* in place: the cell is ours */
      char *a = ctx->fields->str + ctx->foff[l->idx[COL_ACCOUNT]], *o = a;
      for (const char *p = a; *p != '\0'; p++)
        if (*p != ' ' && *p != '\t')
          *o++ = *p;
      *o = '\0';
      *account = a;
    }

  if (ctx->profile != NULL && ctx->profile->currency != NULL)
    *currency = ctx->profile->currency;
  else if (*ccy_cell != '\0')
    {
      if (!tsy_csv_currency_from_text (ccy_cell, code))
        return tsy_csv_fail (ctx, error, line,
                             /* Translators: %1$s what the file wrote, %2$s a column name */
                             _("unknown currency “%1$s” in column “%2$s”"), ccy_cell,
                             l->names[COL_CURRENCY]);
      *currency = code;
    }
  else
    return tsy_csv_info_currency (ctx, currency, error);
  return TRUE;
}

static gboolean
check_field_count (Ctx     *ctx,
                   guint    line,
                   GError **error)
{
  const Layout *l = &ctx->layout;
  gboolean ok = ctx->nf >= l->n_required && (l->n_fields == 0 || ctx->nf >= l->n_fields);

  for (guint i = MAX (l->n_fields, l->n_required); ok && l->n_fields > 0 && i < ctx->nf; i++)
    ok = *cell (ctx, (int) i) == '\0';
  if (ok)
    return TRUE;
  return tsy_csv_fail (ctx, error, line,
                       /* Translators: %1$u and %2$u are counts of fields */
                       _("wrong number of fields: %1$u, the header has %2$u"), ctx->nf,
                       MAX (l->n_fields, l->n_required));
}

static void
append_text (GString    *text,
             const char *part)
{
  if (*part == '\0')
    return;
  /* the same words in 摘要 and 用途 are said once */
  if (text->len > 0)
    {
      const char *p = text->str;
      gsize n = strlen (part);
      for (;;)
        {
          const char *sep = strstr (p, " / ");
          gsize plen = sep != NULL ? (gsize) (sep - p) : strlen (p);
          if (plen == n && memcmp (p, part, n) == 0)
            return;
          if (sep == NULL)
            break;
          p = sep + 3;
        }
      g_string_append (text, " / ");
    }
  g_string_append (text, part);
}

static const char *
nonempty (const char *s)
{
  return *s != '\0' ? s : NULL;
}

static gboolean
row_is_subtotal (Ctx *ctx)
{
  const Layout *l = &ctx->layout;

  if (*cell (ctx, l->idx[COL_DEBIT]) == '\0' && *cell (ctx, l->idx[COL_CREDIT]) == '\0' &&
      *cell (ctx, l->idx[COL_AMOUNT]) == '\0')
    return FALSE;
  for (guint i = 0; i < ctx->nf; i++)
    if (tsy_csv_is_subtotal_cell (cell (ctx, (int) i)))
      return TRUE;
  return FALSE;
}

/* A row whose date parses: a transaction, or a balance line (期初余额 with no amount). */
static gboolean
process_row (Ctx     *ctx,
             TsyDate  date,
             guint    line,
             GError **error)
{
  const Layout *l = &ctx->layout;
  Stmt *st = &ctx->st;
  TsyStatementEntry e = { 0 };
  const char *account, *currency;
  char code[4];
  gint64 d = 0, c = 0, amt = 0, bal = 0;
  gboolean d_present, c_present, a_present, b_present;
  const char *vcell;

  /* a new section first: the row's key may come from its preamble */
  if (!tsy_csv_switch_section (ctx, error))
    return FALSE;
  /* a dated 本日合计, 本页小计 or 承前页 row holds totals, not a transaction */
  if (row_is_subtotal (ctx))
    return TRUE;
  if (!check_field_count (ctx, line, error) ||
      !row_key (ctx, &account, &currency, code, line, error) ||
      !tsy_csv_ensure_statement (ctx, account, currency, line, error))
    return FALSE;
  ctx->section_rows++;

  if (!amount_of (ctx, COL_DEBIT, &d, &d_present, line, error) ||
      !amount_of (ctx, COL_CREDIT, &c, &c_present, line, error) ||
      !amount_of (ctx, COL_AMOUNT, &amt, &a_present, line, error) ||
      !amount_of (ctx, COL_BALANCE, &bal, &b_present, line, error))
    return FALSE;

  if (!d_present && !c_present && !a_present)
    {
      gboolean opening = FALSE, closing = FALSE;

      for (guint i = 0; i < ctx->nf; i++)
        {
          opening = opening || tsy_csv_is_opening_cell (cell (ctx, (int) i));
          closing = closing || tsy_csv_is_closing_cell (cell (ctx, (int) i));
        }
      if (opening || closing)
        {
          /* a balance line: not a transaction */
          ctx->section_rows--;
          if (!b_present || (opening && st->n_rows > 0))
            return TRUE;
          return tsy_csv_set_explicit (ctx, closing, cell (ctx, l->idx[COL_BALANCE]), line, error);
        }
      if (l->idx[COL_AMOUNT] >= 0)
        return tsy_csv_fail (ctx, error, line, _("column “%s” is empty"), l->names[COL_AMOUNT]);
      return tsy_csv_fail (ctx, error, line, "%s", _("no amount in the debit or credit column"));
    }

  if (l->idx[COL_DEBIT] >= 0 || l->idx[COL_CREDIT] >= 0)
    {
      if (d != 0 && c != 0)
        return tsy_csv_fail (ctx, error, line,
                             /* Translators: %1$s and %2$s are column names */
                             _("both “%1$s” and “%2$s” are filled"), l->names[COL_DEBIT],
                             l->names[COL_CREDIT]);
      amt = d != 0 ? -ABS (d) : ABS (c);
    }
  else if (l->idx[COL_DIRECTION] >= 0 && *cell (ctx, l->idx[COL_DIRECTION]) != '\0')
    {
      const char *mark = cell (ctx, l->idx[COL_DIRECTION]);
      int dir = tsy_csv_direction_of (ctx->profile, mark);

      if (dir == 0)
        return tsy_csv_fail (ctx, error, line,
                             /* Translators: %1$s what the file wrote, %2$s a column name */
                             _("“%1$s” in column “%2$s” is neither debit nor credit"), mark,
                             l->names[COL_DIRECTION]);
      if (amt > 0 && dir < 0)
        amt = -amt;
      else if (amt < 0 && dir > 0)
        e.reversal = TRUE;
    }

  if (b_present && !tsy_csv_check_balance (ctx, bal, amt, date, line, error))
    return FALSE;
  if (!b_present && __builtin_add_overflow (st->since, amt, &st->since))
    return tsy_csv_overflow (ctx, line, error);
  if (__builtin_add_overflow (st->sum, amt, &st->sum))
    return tsy_csv_overflow (ctx, line, error);

  e.booking_date = date;
  vcell = cell (ctx, l->idx[COL_VALUE_DATE]);
  if (*vcell != '\0' && (e.value_date = parse_date (ctx, vcell)) == TSY_DATE_NONE)
    return tsy_csv_fail (ctx, error, line,
                         /* Translators: %1$s what the file wrote, %2$s a column name */
                         _("“%1$s” in column “%2$s” is not a date"), vcell,
                         l->names[COL_VALUE_DATE]);
  e.amount_minor = amt;
  e.bank_ref = nonempty (cell (ctx, l->idx[COL_BANK_REF]));
  e.customer_ref = nonempty (cell (ctx, l->idx[COL_CUSTOMER_REF]));
  e.counterparty_name = nonempty (cell (ctx, l->idx[COL_CP_NAME]));
  e.counterparty_account = nonempty (cell (ctx, l->idx[COL_CP_ACCOUNT]));
  e.counterparty_bank = nonempty (cell (ctx, l->idx[COL_CP_BANK]));
  e.bank_tx_code = nonempty (cell (ctx, l->idx[COL_TX_CODE]));
  g_string_truncate (ctx->text, 0);
  for (guint t = 0; t < l->n_text; t++)
    append_text (ctx->text, cell (ctx, l->text[t]));
  e.text = ctx->text->len > 0 ? ctx->text->str : NULL;
  e.raw = ctx->record->str;
  e.source_line = line;

  if (st->n_rows == 0 || date < st->min_date)
    st->min_date = date;
  if (st->n_rows == 0 || date > st->max_date)
    st->max_date = date;
  st->n_rows++;
  return ctx->sink->entry == NULL || ctx->sink->entry (ctx->user_data, &e, error);
}

/* A data-section record whose date does not parse: a repeated header, a summary or a note. */
static gboolean
process_other (Ctx        *ctx,
               const char *date_cell,
               guint       line,
               GError    **error)
{
  const Layout *l = &ctx->layout;
  gboolean summary = FALSE, amounts = FALSE;
  g_autofree char *date_copy = g_strndup (date_cell, 64);
  g_autofree char *date_name = g_strdup (l->names[COL_BOOKING_DATE]);

  for (guint i = 0; i < ctx->nf && !summary; i++)
    summary = tsy_csv_is_summary_cell (cell (ctx, (int) i));
  amounts = cell_is_amount_like (cell (ctx, l->idx[COL_DEBIT])) ||
            cell_is_amount_like (cell (ctx, l->idx[COL_CREDIT])) ||
            cell_is_amount_like (cell (ctx, l->idx[COL_AMOUNT]));

  if (!summary && (ctx->profile == NULL || ctx->profile->header) &&
      try_header (ctx, ctx->record->str, ctx->record->len, FALSE))
    return tsy_csv_switch_section (ctx, error);
  if (summary || (!amounts && !g_ascii_isdigit (date_copy[0])))
    return tsy_csv_extract_pairs (ctx, ctx->record->str, ctx->record->len, ctx->delim, line, error);
  if (*date_copy == '\0')
    return tsy_csv_fail (ctx, error, line, _("column “%s” is empty"), date_name);
  return tsy_csv_fail (ctx, error, line, _("“%1$s” in column “%2$s” is not a date"), date_copy,
                       date_name);
}

/* Reads one data record (joining lines while a quote is open) and handles it. */
static gboolean
process_record (Ctx     *ctx,
                GError **error)
{
  guint line = ctx->lineno, lines = 1;
  SplitResult r;
  TsyDate date;
  const char *date_cell;

  while ((r = split_fields (ctx, ctx->record->str, ctx->record->len, ctx->delim)) ==
         SPLIT_OPEN_QUOTE)
    {
      GError *local = NULL;

      if (++lines > MAX_RECORD_LINES || ctx->record->len > MAX_RECORD_BYTES)
        return tsy_csv_fail (ctx, error, line, "%s", _("a quoted field is not closed"));
      g_string_append_c (ctx->record, '\n');
      if (!read_line (ctx, ctx->record, &local))
        {
          if (local != NULL)
            {
              g_propagate_error (error, local);
              return FALSE;
            }
          return tsy_csv_fail (ctx, error, line, "%s", _("a quoted field is not closed"));
        }
    }
  if (r == SPLIT_TOO_MANY)
    return tsy_csv_fail (ctx, error, line, _("more than %d fields"), MAX_FIELDS);
  if (all_empty (ctx))
    return TRUE;
  date_cell = cell (ctx, ctx->layout.idx[COL_BOOKING_DATE]);
  date = parse_date (ctx, date_cell);
  if (date == TSY_DATE_NONE)
    return process_other (ctx, date_cell, line, error);
  return process_row (ctx, date, line, error);
}

/* Settles the preamble lines once the delimiter is known. */
static gboolean
flush_preamble (Ctx     *ctx,
                GError **error)
{
  for (guint i = 0; i < ctx->preamble->len; i++)
    {
      const char *s = g_ptr_array_index (ctx->preamble, i);
      guint line = g_array_index (ctx->preamble_lines, guint, i);

      if (!tsy_csv_extract_pairs (ctx, s, strlen (s), ctx->delim, line, error))
        return FALSE;
    }
  g_ptr_array_set_size (ctx->preamble, 0);
  g_array_set_size (ctx->preamble_lines, 0);
  return TRUE;
}

static gboolean
keep_preamble (Ctx     *ctx,
               GError **error)
{
  if (ctx->info.start_line == 0)
    ctx->info.start_line = ctx->lineno;
  ctx->preamble_bytes += ctx->record->len;
  if (ctx->preamble->len >= MAX_PREAMBLE || ctx->preamble_bytes > MAX_PREAMBLE_BYTES)
    return tsy_csv_fail (ctx, error, ctx->lineno, "%s", _("no header row found"));
  g_ptr_array_add (ctx->preamble, g_strndup (ctx->record->str, ctx->record->len));
  g_array_append_val (ctx->preamble_lines, ctx->lineno);
  return TRUE;
}

static gboolean
run (Ctx     *ctx,
     GError **error)
{
  const TsyCsvProfile *p = ctx->profile;
  GError *local = NULL;

  for (;;)
    {
      g_string_truncate (ctx->record, 0);
      if (!read_line (ctx, ctx->record, &local))
        break;

      if (ctx->have_layout)
        {
          if (!process_record (ctx, error))
            return FALSE;
          continue;
        }
      if (p != NULL && p->has_skip && ctx->lineno <= p->skip_lines)
        {
          if (!keep_preamble (ctx, error))
            return FALSE;
          continue;
        }
      if (p != NULL && !p->header)
        {
          /* no header row: the profile's column indexes */
          ctx->delim = p->delimiter ? p->delimiter : ',';
          ctx->nf = 0;
          layout_from_profile (ctx, &ctx->layout, FALSE);
          layout_finish (ctx, &ctx->layout, FALSE);
          ctx->have_layout = TRUE;
          if (!flush_preamble (ctx, error) || !process_record (ctx, error))
            return FALSE;
          continue;
        }
      if (try_header (ctx, ctx->record->str, ctx->record->len,
                      p != NULL && p->has_skip))
        {
          if (!flush_preamble (ctx, error))
            return FALSE;
          if (ctx->info.start_line == 0)
            ctx->info.start_line = ctx->lineno;
          continue;
        }
      if (p != NULL && p->has_skip)
        return tsy_csv_fail (ctx, error, ctx->lineno,
                             /* Translators: %u is the profile's skip_lines */
                             _("no header row found after skipping %u lines"), p->skip_lines);
      if (ctx->record->len > 0 && !keep_preamble (ctx, error))
        return FALSE;
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  if (ctx->lineno == 0)
    return tsy_csv_fail (ctx, error, 1, "%s", _("the file is empty"));
  if (!ctx->have_layout)
    return tsy_csv_fail (ctx, error, ctx->lineno, "%s", _("no header row found"));
  if (!tsy_csv_end_statement (ctx, error))
    return FALSE;
  if (ctx->n_statements == 0)
    {
      /* a header and no rows: the statement still says the period and balances */
      const char *account = p != NULL && p->account ? p->account : ctx->info.account;
      const char *currency = p != NULL && p->currency ? p->currency : NULL;

      if (currency == NULL && !tsy_csv_info_currency (ctx, &currency, error))
        return FALSE;
      if (!tsy_csv_begin_statement (ctx, account, currency, ctx->info.start_line, error) ||
          !tsy_csv_end_statement (ctx, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
tsy_csv_parse (GInputStream           *in,
               const char             *display_name,
               const TsyCsvProfile    *profile,
               const TsyStatementSink *sink,
               gpointer                user_data,
               GCancellable           *cancellable,
               GError                **error)
{
  Ctx ctx = { 0 };
  gboolean ok;

  g_return_val_if_fail (G_IS_INPUT_STREAM (in), FALSE);
  g_return_val_if_fail (sink != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  ctx.display_name = display_name != NULL ? display_name : "-";
  ctx.profile = profile;
  ctx.sink = sink;
  ctx.user_data = user_data;
  ctx.reader = tsy_line_reader_new (in, cancellable);
  ctx.enc = profile != NULL ? profile->encoding : ENC_AUTO;
  ctx.cd = (GIConv) -1;
  ctx.decimal = profile != NULL ? profile->decimal : TSY_DECIMAL_POINT;
  ctx.record = g_string_sized_new (1024);
  ctx.fields = g_string_sized_new (1024);
  ctx.text = g_string_sized_new (256);
  ctx.scratch = g_string_sized_new (256);
  ctx.preamble = g_ptr_array_new_with_free_func (g_free);
  ctx.preamble_lines = g_array_new (FALSE, FALSE, sizeof (guint));
  for (int c = 0; c < N_COLS; c++)
    ctx.layout.idx[c] = -1;

  ok = run (&ctx, error);

  g_free (ctx.st.account);
  tsy_csv_info_clear (&ctx.info);
  tsy_csv_info_clear (&ctx.next);
  layout_clear (&ctx.layout);
  if (ctx.cd != (GIConv) -1)
    g_iconv_close (ctx.cd);
  tsy_line_reader_free (ctx.reader);
  g_string_free (ctx.record, TRUE);
  g_string_free (ctx.fields, TRUE);
  g_string_free (ctx.text, TRUE);
  g_string_free (ctx.scratch, TRUE);
  g_ptr_array_unref (ctx.preamble);
  g_array_unref (ctx.preamble_lines);
  return ok;
}
