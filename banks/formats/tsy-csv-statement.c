/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Statements of a CSV file: where they begin and end, their balances (the running balance is
 * checked row by row) and what preamble and summary lines say. See tsy-csv.c. */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsy-csv-private.h"

gboolean
tsy_csv_fail (Ctx        *ctx,
              GError    **error,
              guint       line,
              const char *format,
              ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);
  /* Translators: %1$s is a file name, %2$u a line number, %3$s the reason */
  g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PARSE, _("%1$s: line %2$u: %3$s"),
               ctx->display_name, line, reason);
  return FALSE;
}

static gboolean
streq0 (const char *a,
        const char *b)
{
  return g_strcmp0 (a, b) == 0;
}

static void
format_minor (Ctx    *ctx,
              gint64  minor,
              char    buf[32])
{
  tsy_money_format_plain (minor, ctx->st.exponent, buf, 32);
}

void
tsy_csv_info_clear (Info *info)
{
  g_free (info->account);
  g_free (info->bad_currency);
  g_free (info->opening);
  g_free (info->closing);
  memset (info, 0, sizeof *info);
}

/* Do the preamble's balances and period belong to the open statement? */
static gboolean
info_applies (Ctx *ctx)
{
  if (ctx->profile != NULL && ctx->profile->account != NULL)
    return TRUE;
  if (ctx->info.account != NULL)
    return streq0 (ctx->info.account, ctx->st.account);
  return ctx->layout.idx[COL_ACCOUNT] < 0;
}

/* The statement currency of rows without a currency column. */
gboolean
tsy_csv_info_currency (Ctx         *ctx,
                       const char **out,
                       GError     **error)
{
  *out = NULL;
  if (ctx->info.currency[0] != '\0')
    *out = ctx->info.currency;
  else if (ctx->info.bad_currency != NULL)
    /* Translators: %s is what the file wrote, e.g. 人民币 */
    return tsy_csv_fail (ctx, error, ctx->info.currency_line, _("unknown currency “%s”"),
                         ctx->info.bad_currency);
  return TRUE;
}

gboolean
tsy_csv_set_explicit (Ctx        *ctx,
                      gboolean    closing,
                      const char *text,
                      guint       line,
                      GError    **error)
{
  GError *local = NULL;
  gboolean present;
  gint64 v;

  if (!tsy_csv_parse_amount (text, ctx->st.parse_ccy, ctx->decimal, &v, &present, &local))
    {
      tsy_csv_fail (ctx, error, line,
                    /* Translators: %1$s is 期初余额 or 期末余额, %2$s why the amount is wrong */
                    _("bad %1$s: %2$s"), closing ? "期末余额" : "期初余额", local->message);
      g_error_free (local);
      return FALSE;
    }
  if (!present)
    return TRUE;
  if (closing)
    {
      ctx->st.has_close = TRUE;
      ctx->st.close_minor = v;
      ctx->st.close_line = line;
    }
  else
    {
      ctx->st.has_open = TRUE;
      ctx->st.open_minor = v;
      ctx->st.open_line = line;
    }
  return TRUE;
}

static char *
make_statement_id (const char *account,
                   TsyDate     from,
                   TsyDate     to)
{
  char a[11], b[11];

  if (from == TSY_DATE_NONE || to == TSY_DATE_NONE)
    return NULL;
  tsy_date_format_iso (from, a);
  tsy_date_format_iso (to, b);
  if (account != NULL)
    return g_strdup_printf ("%s:%s–%s", account, a, b);
  return g_strdup_printf ("%s–%s", a, b);
}

static void
fill_header (Ctx                *ctx,
             TsyStatementHeader *h)
{
  memset (h, 0, sizeof *h);
  h->format = "csv";
  h->kind = TSY_STATEMENT_KIND_FINAL;
  h->account = ctx->st.account;
  h->currency = ctx->st.currency[0] != '\0' ? ctx->st.currency : NULL;
  h->from_date = ctx->st.from;
  h->to_date = ctx->st.to;
  h->source_line = ctx->st.start_line;
}

gboolean
tsy_csv_begin_statement (Ctx        *ctx,
                         const char *account,
                         const char *currency,
                         guint       line,
                         GError    **error)
{
  Stmt *st = &ctx->st;
  TsyStatementHeader h;
  g_autofree char *id = NULL;
  gboolean ok;

  memset (st, 0, sizeof *st);
  st->open = TRUE;
  st->account = g_strdup (account);
  if (currency != NULL)
    g_strlcpy (st->currency, currency, sizeof st->currency);
  g_strlcpy (st->parse_ccy, currency != NULL ? currency : "CNY", sizeof st->parse_ccy);
  st->exponent = tsy_currency_exponent (st->parse_ccy);
  st->start_line = ctx->section_rows == 0 && ctx->info.start_line > 0 ? ctx->info.start_line : line;
  if (info_applies (ctx))
    {
      g_autofree char *opening = g_steal_pointer (&ctx->info.opening);
      g_autofree char *closing = g_steal_pointer (&ctx->info.closing);

      if (ctx->info.from != TSY_DATE_NONE && ctx->info.to != TSY_DATE_NONE)
        {
          st->explicit_period = TRUE;
          st->from = ctx->info.from;
          st->to = ctx->info.to;
        }
      if (opening != NULL &&
          !tsy_csv_set_explicit (ctx, FALSE, opening, ctx->info.opening_line, error))
        return FALSE;
      if (closing != NULL &&
          !tsy_csv_set_explicit (ctx, TRUE, closing, ctx->info.closing_line, error))
        return FALSE;
    }
  fill_header (ctx, &h);
  if (st->explicit_period)
    h.statement_id = id = make_statement_id (st->account, st->from, st->to);
  h.has_opening = st->has_open;
  h.opening_minor = st->open_minor;
  h.opening_date = st->from;
  h.has_closing = st->has_close;
  h.closing_minor = st->close_minor;
  h.closing_date = st->to;
  ok = ctx->sink->begin_statement == NULL ||
       ctx->sink->begin_statement (ctx->user_data, &h, error);
  return ok;
}

gboolean
tsy_csv_overflow (Ctx     *ctx,
                  guint    line,
                  GError **error)
{
  return tsy_csv_fail (ctx, error, line, "%s", _("the amounts add up beyond the largest amount"));
}

gboolean
tsy_csv_end_statement (Ctx     *ctx,
                       GError **error)
{
  Stmt *st = &ctx->st;
  TsyStatementHeader h;
  g_autofree char *id = NULL;
  gboolean has_open = st->has_open, has_close = st->has_close;
  gint64 opening = st->open_minor, closing = st->close_minor;
  gboolean ok;

  if (!st->open)
    return TRUE;
  if (st->any_bal)
    {
      gint64 d_open, d_close;
      int order = st->order;
      char a[32], b[32];

      if (order == 0)
        order = st->l_date < st->f_date ? -1 : 1;
      if (order > 0)
        {
          if (__builtin_sub_overflow (st->f_bal, st->f_amt, &d_open) ||
              __builtin_sub_overflow (d_open, st->pre, &d_open) ||
              __builtin_add_overflow (st->l_bal, st->since, &d_close))
            return tsy_csv_overflow (ctx, ctx->lineno, error);
        }
      else if (__builtin_add_overflow (st->f_bal, st->pre, &d_close) ||
               __builtin_sub_overflow (st->l_bal, st->l_amt, &d_open) ||
               __builtin_sub_overflow (d_open, st->since, &d_open))
        return tsy_csv_overflow (ctx, ctx->lineno, error);
      if (has_open && opening != d_open)
        {
          format_minor (ctx, opening, a);
          format_minor (ctx, d_open, b);
          return tsy_csv_fail (ctx, error, st->open_line,
                               /* Translators: %1$s and %2$s are amounts */
                               _("the opening balance %1$s does not match the running "
                                 "balance, which gives %2$s"), a, b);
        }
      if (has_close && closing != d_close)
        {
          format_minor (ctx, closing, a);
          format_minor (ctx, d_close, b);
          return tsy_csv_fail (ctx, error, st->close_line,
                               /* Translators: %1$s and %2$s are amounts */
                               _("the closing balance %1$s does not match the running "
                                 "balance, which gives %2$s"), a, b);
        }
      has_open = has_close = TRUE;
      opening = d_open;
      closing = d_close;
    }
  if (!st->explicit_period)
    {
      st->from = st->min_date;
      st->to = st->max_date;
    }
  fill_header (ctx, &h);
  h.statement_id = id = make_statement_id (st->account, st->from, st->to);
  h.has_opening = has_open;
  h.opening_minor = opening;
  h.opening_date = st->from;
  h.has_closing = has_close;
  h.closing_minor = closing;
  h.closing_date = st->to;
  ok = ctx->sink->end_statement == NULL || ctx->sink->end_statement (ctx->user_data, &h, error);
  g_clear_pointer (&st->account, g_free);
  st->open = FALSE;
  ctx->n_statements++;
  return ok;
}

/* A key of a new section was seen after rows: the open statement ends. */
gboolean
tsy_csv_switch_section (Ctx     *ctx,
                        GError **error)
{
  if (!ctx->next.active)
    return TRUE;
  if (!tsy_csv_end_statement (ctx, error))
    return FALSE;
  tsy_csv_info_clear (&ctx->info);
  ctx->info = ctx->next;
  ctx->info.active = FALSE;
  memset (&ctx->next, 0, sizeof ctx->next);
  ctx->section_rows = 0;
  return TRUE;
}

gboolean
tsy_csv_ensure_statement (Ctx        *ctx,
                          const char *account,
                          const char *currency,
                          guint       line,
                          GError    **error)
{
  if (!tsy_csv_switch_section (ctx, error))
    return FALSE;
  if (ctx->st.open && streq0 (account, ctx->st.account) &&
      streq0 (currency, ctx->st.currency[0] ? ctx->st.currency : NULL))
    return TRUE;
  if (!tsy_csv_end_statement (ctx, error))
    return FALSE;
  return tsy_csv_begin_statement (ctx, account, currency, line, error);
}

/* The running balance: each row's balance must follow from the previous one. */
gboolean
tsy_csv_check_balance (Ctx     *ctx,
                       gint64   bal,
                       gint64   amt,
                       TsyDate  date,
                       guint    line,
                       GError **error)
{
  Stmt *st = &ctx->st;
  gint64 asc, desc;
  gboolean asc_ok, desc_ok;

  if (!st->any_bal)
    {
      st->any_bal = TRUE;
      st->pre = st->since;
      st->f_bal = st->l_bal = bal;
      st->f_amt = st->l_amt = amt;
      st->f_date = st->l_date = date;
      st->since = 0;
      return TRUE;
    }
  if (__builtin_add_overflow (st->l_bal, st->since, &asc) ||
      __builtin_add_overflow (asc, amt, &asc) ||
      __builtin_add_overflow (bal, st->l_amt, &desc) ||
      __builtin_add_overflow (desc, st->since, &desc))
    return tsy_csv_overflow (ctx, line, error);
  asc_ok = asc == bal;
  desc_ok = desc == st->l_bal;
  if (st->order == 0)
    {
      if (asc_ok && !desc_ok)
        st->order = 1;
      else if (desc_ok && !asc_ok)
        st->order = -1;
      else if (asc_ok && desc_ok && date != st->l_date)
        st->order = date > st->l_date ? 1 : -1;
    }
  if (!(st->order == 0 ? asc_ok || desc_ok : st->order > 0 ? asc_ok : desc_ok))
    {
      char b[32], p[32], a[32], e[32];
      gint64 expected = asc;

      if (st->order < 0 && __builtin_sub_overflow (st->l_bal, st->l_amt, &expected))
        expected = 0;
      if (st->order < 0)
        expected -= st->since;
      format_minor (ctx, bal, b);
      format_minor (ctx, st->l_bal, p);
      format_minor (ctx, amt, a);
      format_minor (ctx, expected, e);
      return tsy_csv_fail (ctx, error, line,
                           /* Translators: %1$s a column name, %2$s..%5$s amounts */
                           _("running balance mismatch: “%1$s” is %2$s, but the previous "
                             "balance %3$s and the amount %4$s give %5$s"),
                           ctx->layout.names[COL_BALANCE], b, p, a, e);
    }
  st->l_bal = bal;
  st->l_amt = amt;
  st->l_date = date;
  st->since = 0;
  return TRUE;
}

static Info *
info_target (Ctx *ctx)
{
  return ctx->section_rows > 0 ? &ctx->next : &ctx->info;
}

static void
mark_next (Ctx  *ctx,
           Info *target,
           guint line)
{
  if (target == &ctx->next && !ctx->next.active)
    {
      ctx->next.active = TRUE;
      ctx->next.start_line = line;
    }
}

static gboolean
handle_pair (Ctx        *ctx,
             const char *key,
             const char *value,
             guint       line,
             GError    **error)
{
  KeyKind kind = tsy_csv_classify_key (key);
  Info *target = info_target (ctx);
  const gboolean after_rows = ctx->section_rows > 0;

  switch (kind)
    {
    case KEY_ACCOUNT:
      {
        GString *acct = g_string_new (NULL);
        gboolean digit = FALSE;

        for (const char *p = value; *p != '\0'; p++)
          if (*p != ' ' && *p != '\t')
            {
              g_string_append_c (acct, *p);
              digit = digit || g_ascii_isdigit (*p);
            }
        if (digit && !(after_rows && !ctx->next.active &&
                       streq0 (acct->str, ctx->st.open ? ctx->st.account : ctx->info.account)))
          {
            mark_next (ctx, target, line);
            g_free (target->account);
            target->account = g_string_free (acct, FALSE);
          }
        else
          g_string_free (acct, TRUE);
      }
      break;
    case KEY_CURRENCY:
      {
        char code[4];

        if (*value == '\0')
          break;
        if (tsy_csv_currency_from_text (value, code))
          {
            if (after_rows && !ctx->next.active && streq0 (code, ctx->st.currency))
              break;
            mark_next (ctx, target, line);
            memcpy (target->currency, code, 4);
          }
        else
          {
            mark_next (ctx, target, line);
            g_free (target->bad_currency);
            target->bad_currency = g_strndup (value, 64);
            target->currency[0] = '\0';
          }
        target->currency_line = line;
      }
      break;
    case KEY_PERIOD:
    case KEY_FROM:
    case KEY_TO:
      {
        const char *p = value;
        TsyDate a = tsy_csv_scan_date (&p);
        TsyDate b = kind == KEY_PERIOD ? tsy_csv_scan_date (&p) : TSY_DATE_NONE;

        if (kind == KEY_PERIOD && (a == TSY_DATE_NONE || b == TSY_DATE_NONE))
          break;
        if (kind != KEY_PERIOD && a == TSY_DATE_NONE)
          break;
        if (kind == KEY_TO)
          b = a;
        if (after_rows && !ctx->next.active &&
            (kind == KEY_TO || a == ctx->info.from) && (kind == KEY_FROM || b == ctx->info.to))
          break;
        mark_next (ctx, target, line);
        if (kind != KEY_TO)
          target->from = MIN (a, b == TSY_DATE_NONE ? a : b);
        if (kind != KEY_FROM)
          target->to = MAX (a, b);
      }
      break;
    case KEY_OPENING:
    case KEY_CLOSING:
      if (*value == '\0')
        break;
      if (after_rows && !ctx->next.active)
        {
          if (ctx->st.open && info_applies (ctx))
            return tsy_csv_set_explicit (ctx, kind == KEY_CLOSING, value, line, error);
          break;
        }
      if (kind == KEY_OPENING)
        {
          g_free (target->opening);
          target->opening = g_strndup (value, 64);
          target->opening_line = line;
        }
      else
        {
          g_free (target->closing);
          target->closing = g_strndup (value, 64);
          target->closing_line = line;
        }
      break;
    case KEY_NONE:
    case KEY_SUMMARY:
    default:
      break;
    }
  return TRUE;
}

static const char *
find_colon (const char *s,
            gsize      *clen)
{
  for (const char *p = s; *p != '\0'; p++)
    {
      if (*p == ':')
        {
          *clen = 1;
          return p;
        }
      if (g_str_has_prefix (p, "："))
        {
          *clen = strlen ("：");
          return p;
        }
    }
  return NULL;
}

/* Reads "key: value" pairs of a preamble or summary line: cells split on @delim, words on
 * blanks; a value may sit in the next cell. */
gboolean
tsy_csv_extract_pairs (Ctx        *ctx,
                       const char *s,
                       gsize       len,
                       char        delim,
                       guint       line,
                       GError    **error)
{
  GString *buf = ctx->scratch;
  guint offs[128];
  gboolean starts[128];
  guint n = 0;
  gboolean in_quote = FALSE, cell_start = TRUE, in_word = FALSE;
  g_autoptr(GString) val = g_string_new (NULL);

  g_string_truncate (buf, 0);
  for (gsize i = 0; i < len; i++)
    {
      char c = s[i];
      gsize b;

      if (c == '"')
        {
          if (in_quote && i + 1 < len && s[i + 1] == '"')
            i++;
          else
            {
              in_quote = !in_quote;
              continue;
            }
        }
      else if (!in_quote && c == delim)
        {
          if (in_word)
            g_string_append_c (buf, '\0');
          in_word = FALSE;
          cell_start = TRUE;
          continue;
        }
      else if ((b = tsy_csv_blank_len (s + i, len - i)) > 0)
        {
          if (in_word)
            g_string_append_c (buf, '\0');
          in_word = FALSE;
          i += b - 1;
          continue;
        }
      if (!in_word)
        {
          if (n == G_N_ELEMENTS (offs))
            break;
          offs[n] = (guint) buf->len;
          starts[n++] = cell_start;
          cell_start = FALSE;
          in_word = TRUE;
        }
      g_string_append_c (buf, c);
    }
  if (in_word)
    g_string_append_c (buf, '\0');

  for (guint i = 0; i < n; i++)
    {
      char *t = buf->str + offs[i];
      const char *colon;
      gsize clen = 0;
      g_autofree char *key = NULL;
      gboolean crossed = FALSE;
      guint j = i + 1;

      colon = find_colon (t, &clen);
      g_string_truncate (val, 0);
      if (colon != NULL)
        {
          key = g_strndup (t, (gsize) (colon - t));
          g_string_append (val, colon + clen);
        }
      else if (tsy_csv_classify_key (t) != KEY_NONE && j < n && starts[j])
        key = g_strdup (t);
      else
        continue;
      while (j < n && find_colon (buf->str + offs[j], &clen) == NULL)
        {
          if (starts[j])
            {
              if (val->len > 0 || crossed)
                break;
              crossed = TRUE;
            }
          if (val->len > 0)
            g_string_append_c (val, ' ');
          g_string_append (val, buf->str + offs[j]);
          j++;
        }
      if (*key != '\0' && !handle_pair (ctx, key, val->str, line, error))
        return FALSE;
      i = j - 1;
    }
  return TRUE;
}
