/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * SWIFT MT940 (customer statement) and MT942 (interim transaction report).
 *
 * The file is read line by line through TsyLineReader. A field starts at a line
 * that begins with a known tag (":61:", ":86:", ":62F:", ...); every other line
 * continues the field before it, so a colon inside :86: text never starts a
 * field. A statement (a "message") runs from :20: to a "-" line, the next :20:,
 * the next SWIFT envelope or the end of the file.
 *
 * An entry is its :61: plus the :86: that follows it. It is handed to the sink
 * when the next field starts, so the :86: is known. All strings of an entry live
 * in one reused buffer: the hot path allocates nothing per line.
 *
 * The parser checks the syntax, not the arithmetic: the ledger checks that
 * opening + entries = closing, and a statement that does not add up is passed
 * on as the bank wrote it.
 */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "ledger/tsy-iban.h"
#include "ledger/tsy-money.h"

#include "tsy-mt940-private.h"

/* A short, printable copy of input text for error messages. */
static const char *
shown (Parser     *p,
       const char *s,
       gsize       n)
{
  g_string_truncate (p->msg, 0);
  tsy_mt940_sanitize_append (p->msg, s, MIN (n, 64), S_TRIM | S_DROP_NL);
  if (n > 64)
    g_string_append (p->msg, "…");
  return p->msg->str;
}

static gboolean fail (Parser     *p,
                      guint       line,
                      GError    **error,
                      const char *format,
                      ...) G_GNUC_PRINTF (4, 5);

static gboolean
fail (Parser     *p,
      guint       line,
      GError    **error,
      const char *format,
      ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PARSE,
               /* Translators: %1$s a file name, %2$u a line number, %3$s the reason */
               _("%1$s: line %2$u: %3$s"), p->display_name, MAX (line, 1), reason);
  return FALSE;
}

static const char *
tag_name (Tag  tag,
          char letter)
{
  switch (tag)
    {
    case TAG_13: return letter ? "13D" : "13";
    case TAG_20: return "20";
    case TAG_21: return "21";
    case TAG_25: return "25";
    case TAG_28: return letter ? "28C" : "28";
    case TAG_34: return "34F";
    case TAG_60: return letter == 'M' ? "60M" : "60F";
    case TAG_61: return "61";
    case TAG_62: return letter == 'M' ? "62M" : "62F";
    case TAG_64: return "64";
    case TAG_65: return "65";
    case TAG_86: return "86";
    case TAG_90: return letter == 'C' ? "90C" : "90D";
    case TAG_NS: return "NS";
    case TAG_NONE:
    default:
      break;
    }
  return "?";
}

/* Recognises ":NN:" / ":NNa:" of a field this parser knows. */
static gboolean
parse_tag (const char *line,
           gsize       len,
           Tag        *tag,
           char       *letter,
           gsize      *content)
{
  int num;
  char l = 0;

  if (len < 4 || line[0] != ':')
    return FALSE;
  if (line[1] == 'N' && line[2] == 'S' && line[3] == ':')
    {
      *tag = TAG_NS;
      *letter = 0;
      *content = 4;
      return TRUE;
    }
  if (!is_digit (line[1]) || !is_digit (line[2]))
    return FALSE;
  num = (line[1] - '0') * 10 + (line[2] - '0');
  if (line[3] == ':')
    *content = 4;
  else if (len >= 5 && is_upper (line[3]) && line[4] == ':')
    {
      l = line[3];
      *content = 5;
    }
  else
    return FALSE;

  switch (num)
    {
    case 13: *tag = TAG_13; if (l != 0 && l != 'D') return FALSE; break;
    case 20: *tag = TAG_20; if (l != 0) return FALSE; break;
    case 21: *tag = TAG_21; if (l != 0) return FALSE; break;
    case 25: *tag = TAG_25; if (l != 0 && l != 'P') return FALSE; break;
    case 28: *tag = TAG_28; if (l != 0 && l != 'C') return FALSE; break;
    case 34: *tag = TAG_34; if (l != 'F') return FALSE; break;
    case 60: *tag = TAG_60; if (l != 'F' && l != 'M') return FALSE; break;
    case 61: *tag = TAG_61; if (l != 0) return FALSE; break;
    case 62: *tag = TAG_62; if (l != 'F' && l != 'M') return FALSE; break;
    case 64: *tag = TAG_64; if (l != 0) return FALSE; break;
    case 65: *tag = TAG_65; if (l != 0) return FALSE; break;
    case 86: *tag = TAG_86; if (l != 0) return FALSE; break;
    case 90: *tag = TAG_90; if (l != 'D' && l != 'C') return FALSE; break;
    default:
      return FALSE;
    }
  *letter = l;
  return TRUE;
}

/* YYMMDD; years 70-99 are 19xx. */
static gboolean
parse_yymmdd (const char *s,
              gsize       n,
              TsyDate    *out)
{
  int y, m, d;

  if (n < 6)
    return FALSE;
  for (int i = 0; i < 6; i++)
    if (!is_digit (s[i]))
      return FALSE;
  y = (s[0] - '0') * 10 + (s[1] - '0');
  m = (s[2] - '0') * 10 + (s[3] - '0');
  d = (s[4] - '0') * 10 + (s[5] - '0');
  y += y >= 70 ? 1900 : 2000;
  *out = tsy_date_from_ymd (y, m, d);
  return *out != TSY_DATE_NONE;
}

/* parse_yymmdd() for the dates of :61:, most of which repeat the previous line's. */
static gboolean
parse_yymmdd_cached (char        cache_text[6],
                     TsyDate    *cache_date,
                     const char *s,
                     gsize       n,
                     TsyDate    *out)
{
  if (n >= 6 && *cache_date != TSY_DATE_NONE && memcmp (cache_text, s, 6) == 0)
    {
      *out = *cache_date;
      return TRUE;
    }
  if (!parse_yymmdd (s, n, out))
    return FALSE;
  memcpy (cache_text, s, 6);
  *cache_date = *out;
  return TRUE;
}

static gboolean
parse_amount (Parser     *p,
              const char *s,
              gsize       n,
              const char *currency,
              gint64     *out,
              guint       line,
              GError    **error)
{
  g_autoptr(GError) local = NULL;

  if (n == 0)
    return fail (p, line, error, "%s", _("the amount is missing"));
  for (gsize i = 0; i < n; i++)
    if (!is_digit (s[i]) && s[i] != ',')
      return fail (p, line, error, _("“%s” is not a valid amount"), shown (p, s, n));
  if (!tsy_money_parse (s, (gssize) n, currency, TSY_DECIMAL_COMMA, out, &local))
    return fail (p, line, error, "%s", local->message);
  return TRUE;
}

/* [D|C]YYMMDDCCCamount — :60F: :60M: :62F: :62M: :64: :65: */
static gboolean
parse_balance (Parser     *p,
               const char *s,
               gsize       n,
               gint64     *minor,
               TsyDate    *date,
               char        currency[4],
               GError    **error)
{
  const char *name = tag_name (p->tag, p->tag_letter);

  n = rtrim_len (s, first_line_len (s, n));
  if (n < 10 || (s[0] != 'C' && s[0] != 'D') ||
      !is_upper (s[7]) || !is_upper (s[8]) || !is_upper (s[9]))
    return fail (p, p->tag_line, error,
                 /* Translators: %1$s a SWIFT field tag such as 60F, %2$s the text of the field */
                 _("balance :%1$s: “%2$s” is not valid (expected C or D, a date YYMMDD, a "
                   "currency and an amount)"), name, shown (p, s, n));
  if (!parse_yymmdd (s + 1, n - 1, date))
    return fail (p, p->tag_line, error,
                 /* Translators: %1$s a SWIFT field tag such as 60F, %2$s a date as YYMMDD */
                 _("the date of balance :%1$s: “%2$s” does not exist"), name, shown (p, s + 1, 6));
  memcpy (currency, s + 7, 3);
  currency[3] = '\0';
  if (!parse_amount (p, s + 10, n - 10, currency, minor, p->tag_line, error))
    return FALSE;
  if (s[0] == 'D')
    *minor = -*minor;
  return TRUE;
}

/* ---- statement ---------------------------------------------------------- */

static void
set_header_string (GString    *dst,
                   const char *s,
                   gsize       n)
{
  g_string_truncate (dst, 0);
  tsy_mt940_sanitize_append (dst, s, n, S_TRIM | S_DROP_NL);
}

static gboolean
statement_is_942 (Parser *p)
{
  if (p->header.has_opening || p->header.has_closing)
    return FALSE;
  return p->msg_942 || p->seen_942_field;
}

static void
fill_header (Parser *p)
{
  gboolean is_942 = statement_is_942 (p);

  p->header.format = is_942 ? "mt942" : "mt940";
  p->header.kind = is_942 ? TSY_STATEMENT_KIND_INTRADAY : TSY_STATEMENT_KIND_FINAL;
  p->header.account = p->account->len ? p->account->str : NULL;
  p->header.currency = p->currency[0] ? p->currency : NULL;
  p->header.statement_id = p->stmt_id->len ? p->stmt_id->str : NULL;
  p->header.sequence = p->sequence->len ? p->sequence->str : NULL;
  if (!is_942)
    {
      p->header.from_date = p->header.opening_date;
      p->header.to_date = p->header.closing_date;
    }
}

static gboolean
ensure_begun (Parser  *p,
              GError **error)
{
  if (p->begun)
    return TRUE;
  p->begun = TRUE;
  fill_header (p);
  if (p->sink->begin_statement != NULL)
    return p->sink->begin_statement (p->user_data, &p->header, error);
  return TRUE;
}

static void
start_message (Parser *p,
               guint   line)
{
  p->in_message = TRUE;
  p->msg_942 = p->next_942 || p->file_942;
  p->next_942 = FALSE;
  p->seen_942_field = FALSE;
  p->begun = FALSE;
  p->closed = FALSE;
  p->n_entries = 0;
  p->pending = FALSE;
  p->pending_open = FALSE;
  g_string_truncate (p->stmt_id, 0);
  g_string_truncate (p->account, 0);
  g_string_truncate (p->sequence, 0);
  p->currency[0] = '\0';
  memset (&p->header, 0, sizeof p->header);
  p->header.source_line = line;
  p->last_line = line;
}

/* ---- :61: ---------------------------------------------------------------- */

/* 6!n[4!n]2a[1!a]15d1!a3!c16x[//16x] and [34x] on the next line */
static gboolean
emit_pending (Parser  *p,
              GError **error)
{
  const char *s = p->f61->str;
  gsize total = p->f61->len;
  gsize n = rtrim_len (s, first_line_len (s, total));
  guint line = p->pending_line;
  TsyStatementEntry *e = &p->entry;
  TsyDate value, booking;
  gboolean credit, reversal = FALSE;
  gsize i = 6, amount_start, ref_start, ref_end, bank_start = 0, bank_end = 0;
  gint64 amount;
  const char *supp = NULL;
  gsize supp_len = 0;
  const char *dslash;

  p->pending = FALSE;
  p->pending_open = FALSE;

  if (!parse_yymmdd_cached (p->value_text, &p->value_cache, s, n, &value))
    return fail (p, line, error, _("the value date “%s” of the statement line does not exist"),
                 shown (p, s, MIN (n, 6)));
  booking = value;

  /* entry date MMDD, or four spaces (Citi) */
  if (n >= 10 && is_digit (s[6]) && is_digit (s[7]) && is_digit (s[8]) && is_digit (s[9]) &&
      p->booking_cache != TSY_DATE_NONE && memcmp (p->booking_text, s, 10) == 0)
    {
      booking = p->booking_cache;
      i = 10;
    }
  else if (n >= 10 && is_digit (s[6]) && is_digit (s[7]) && is_digit (s[8]) && is_digit (s[9]))
    {
      int vy, vm, vd, em, ed, ey;

      tsy_date_to_ymd (value, &vy, &vm, &vd);
      em = (s[6] - '0') * 10 + (s[7] - '0');
      ed = (s[8] - '0') * 10 + (s[9] - '0');
      ey = vy;
      /* booked in another year than the value date: December / January */
      if (em - vm > 6)
        ey = vy - 1;
      else if (vm - em > 6)
        ey = vy + 1;
      booking = tsy_date_from_ymd (ey, em, ed);
      if (booking == TSY_DATE_NONE)
        return fail (p, line, error, _("the entry date “%s” of the statement line does not exist"),
                     shown (p, s + 6, 4));
      /* the booking year depends on the value date: cache both */
      memcpy (p->booking_text, s, 10);
      p->booking_cache = booking;
      i = 10;
    }
  else if (n >= 10 && memcmp (s + 6, "    ", 4) == 0)
    i = 10;

  /* debit/credit mark: C, D, RC, RD */
  if (i + 1 < n && s[i] == 'R' && (s[i + 1] == 'C' || s[i + 1] == 'D'))
    {
      reversal = TRUE;
      credit = s[i + 1] == 'D';   /* reversal of a debit brings money in */
      i += 2;
    }
  else if (i < n && (s[i] == 'C' || s[i] == 'D'))
    {
      credit = s[i] == 'C';
      i++;
    }
  else
    return fail (p, line, error, _("the statement line “%s” has no debit/credit mark (C, D, RC or RD)"),
                 shown (p, s, n));

  /* optional funds code: the third letter of a currency code */
  if (i < n && is_upper (s[i]))
    i++;

  amount_start = i;
  while (i < n && (is_digit (s[i]) || s[i] == ','))
    i++;
  if (i == amount_start)
    return fail (p, line, error, _("the statement line “%s” has no amount"), shown (p, s, n));
  if (!parse_amount (p, s + amount_start, i - amount_start, p->currency, &amount, line, error))
    return FALSE;
  if (!credit)
    amount = -amount;

  /* transaction type: N, F or S and a three-character code */
  if (i + 4 > n || !is_upper (s[i]))
    return fail (p, line, error, _("the statement line “%s” has no transaction type (such as NTRF)"),
                 shown (p, s, n));
  memset (p->offsets, -1, sizeof p->offsets);
  g_string_truncate (p->strings, 0);
  put (p, SLOT_CODE, s + i, 4, S_TRIM);
  i += 4;

  /* customer reference [// bank reference] */
  ref_start = i;
  dslash = n > i + 1 ? memmem (s + i, n - i, "//", 2) : NULL;
  if (dslash != NULL)
    {
      ref_end = (gsize) (dslash - s);
      bank_start = ref_end + 2;
      bank_end = n;
    }
  else
    ref_end = n;

  {
    const char *cref = s + ref_start, *bref = s + bank_start;
    gsize cl = ref_end - ref_start, bl = bank_end - bank_start;

    trim (&cref, &cl);
    trim (&bref, &bl);
    if (bl > 0 && !tsy_mt940_is_placeholder_ref (bref, bl))
      put (p, SLOT_BANK_REF, bref, bl, S_TRIM);
    else if (tsy_mt940_ref_is_identity (cref, cl))
      put (p, SLOT_BANK_REF, cref, cl, S_TRIM);
    if (cl > 0 && !(cl == 6 && g_ascii_strncasecmp (cref, "NONREF", 6) == 0))
      put (p, SLOT_CUSTOMER_REF, cref, cl, S_TRIM);
  }

  /* supplementary details: the following lines */
  {
    gsize first = first_line_len (s, total);
    if (first < total)
      {
        supp = s + first + 1;
        supp_len = total - first - 1;
      }
  }

  if (p->raw86->len > 0)
    tsy_mt940_parse_86 (p);
  if (supp != NULL)
    {
      const char *t = supp;
      gsize tl = supp_len;

      /* Rabobank writes the counterparty's IBAN there */
      trim (&t, &tl);
      if (tl >= 15 && tl <= 34 && memchr (t, ' ', tl) == NULL && memchr (t, '\n', tl) == NULL)
        {
          g_autofree char *iban = g_strndup (t, tl);
          if (tsy_iban_looks_like (iban) && tsy_iban_validate (iban, NULL))
            put (p, SLOT_ACCOUNT, t, tl, S_TRIM);
          else
            put (p, SLOT_TEXT, supp, supp_len, S_COLLAPSE | S_DROP_NL);
        }
      else
        put (p, SLOT_TEXT, supp, supp_len, S_COLLAPSE | S_DROP_NL);
    }

  /* raw: the :61: and :86: lines as read */
  {
    gsize start = p->strings->len;
    g_string_append (p->strings, ":61:");
    tsy_mt940_sanitize_append (p->strings, s, total, S_KEEP_NL);
    if (p->raw86->len > 0)
      {
        g_string_append_c (p->strings, '\n');
        tsy_mt940_sanitize_append (p->strings, p->raw86->str, p->raw86->len, S_KEEP_NL);
      }
    while (p->strings->len > start &&
           (p->strings->str[p->strings->len - 1] == ' ' || p->strings->str[p->strings->len - 1] == '\n'))
      g_string_truncate (p->strings, p->strings->len - 1);
    g_string_append_c (p->strings, '\0');
    p->offsets[SLOT_RAW] = (gssize) start;
  }

#define SLOT_STR(slot) (p->offsets[slot] >= 0 ? p->strings->str + p->offsets[slot] : NULL)
  memset (e, 0, sizeof *e);
  e->booking_date = booking;
  e->value_date = value;
  e->amount_minor = amount;
  e->reversal = reversal;
  e->bank_ref = SLOT_STR (SLOT_BANK_REF);
  e->customer_ref = SLOT_STR (SLOT_CUSTOMER_REF);
  e->end_to_end_id = SLOT_STR (SLOT_END_TO_END);
  e->counterparty_name = SLOT_STR (SLOT_NAME);
  e->counterparty_account = SLOT_STR (SLOT_ACCOUNT);
  e->counterparty_bank = SLOT_STR (SLOT_BANK);
  e->text = SLOT_STR (SLOT_TEXT);
  e->bank_tx_code = SLOT_STR (SLOT_CODE);
  e->raw = SLOT_STR (SLOT_RAW);
  e->source_line = line;
#undef SLOT_STR

  p->n_entries++;
  if (p->sink->entry != NULL)
    return p->sink->entry (p->user_data, e, error);
  return TRUE;
}

/* ---- fields -------------------------------------------------------------- */

static gboolean
take_currency (Parser     *p,
               const char *ccy,
               GError    **error)
{
  if (p->currency[0] == '\0')
    {
      memcpy (p->currency, ccy, 4);
      return TRUE;
    }
  if (memcmp (p->currency, ccy, 3) != 0)
    return fail (p, p->tag_line, error,
                 /* Translators: %1$s a SWIFT field tag, %2$s and %3$s currency codes */
                 _("the currency %2$s of :%1$s: differs from the statement currency %3$s"),
                 tag_name (p->tag, p->tag_letter), ccy, p->currency);
  return TRUE;
}

/* Processes the field that just ended (its lines are in p->field). */
static gboolean
close_field (Parser  *p,
             GError **error)
{
  const char *s = p->field->str;
  gsize n = p->field->len;
  gint64 minor;
  TsyDate date;
  char ccy[4];

  switch (p->tag)
    {
    case TAG_20:
      set_header_string (p->stmt_id, s, n);
      break;

    case TAG_25:
      set_header_string (p->account, s, n);
      break;

    case TAG_28:
      set_header_string (p->sequence, s, n);
      break;

    case TAG_60:
      if (!parse_balance (p, s, n, &minor, &date, ccy, error) || !take_currency (p, ccy, error))
        return FALSE;
      p->header.has_opening = TRUE;
      p->header.opening_minor = minor;
      p->header.opening_date = date;
      break;

    case TAG_62:
      if (!parse_balance (p, s, n, &minor, &date, ccy, error) || !take_currency (p, ccy, error))
        return FALSE;
      p->header.has_closing = TRUE;
      p->header.closing_minor = minor;
      p->header.closing_date = date;
      break;

    case TAG_64:
      if (!parse_balance (p, s, n, &minor, &date, ccy, error) || !take_currency (p, ccy, error))
        return FALSE;
      if (!p->header.has_available)
        {
          p->header.has_available = TRUE;
          p->header.available_minor = minor;
          p->header.available_date = date;
        }
      break;

    case TAG_65:
      /* forward available balance: checked, not stored */
      if (!parse_balance (p, s, n, &minor, &date, ccy, error) || !take_currency (p, ccy, error))
        return FALSE;
      break;

    case TAG_13:
      n = rtrim_len (s, first_line_len (s, n));
      if (!parse_yymmdd (s, n, &date))
        return fail (p, p->tag_line, error, _("the date and time “%s” of :13D: is not valid"),
                     shown (p, s, n));
      p->header.from_date = p->header.to_date = date;
      break;

    case TAG_34:
      /* CCC[D|C]amount */
      n = rtrim_len (s, first_line_len (s, n));
      if (n < 4 || !is_upper (s[0]) || !is_upper (s[1]) || !is_upper (s[2]))
        return fail (p, p->tag_line, error, _("the floor limit “%s” of :34F: is not valid"),
                     shown (p, s, n));
      memcpy (ccy, s, 3);
      ccy[3] = '\0';
      {
        gsize a = (s[3] == 'D' || s[3] == 'C') ? 4 : 3;
        if (!parse_amount (p, s + a, n - a, ccy, &minor, p->tag_line, error) ||
            !take_currency (p, ccy, error))
          return FALSE;
      }
      break;

    case TAG_90:
      /* number of entries, CCC, sum */
      n = rtrim_len (s, first_line_len (s, n));
      {
        gsize a = 0;
        while (a < n && is_digit (s[a]))
          a++;
        if (a == 0 || a + 3 > n || !is_upper (s[a]) || !is_upper (s[a + 1]) || !is_upper (s[a + 2]))
          return fail (p, p->tag_line, error,
                       /* Translators: %1$s the text of the field, %2$s a SWIFT field tag (90D) */
                       _("the entry count and sum “%1$s” of :%2$s: are not valid"),
                       shown (p, s, n), tag_name (p->tag, p->tag_letter));
        memcpy (ccy, s + a, 3);
        ccy[3] = '\0';
        if (!parse_amount (p, s + a + 3, n - a - 3, ccy, &minor, p->tag_line, error) ||
            !take_currency (p, ccy, error))
          return FALSE;
      }
      break;

    case TAG_21:
    case TAG_61:
    case TAG_86:
    case TAG_NS:
    case TAG_NONE:
    default:
      break;
    }
  return TRUE;
}

static gboolean
end_message (Parser  *p,
             GError **error)
{
  const char *id;

  if (!close_field (p, error))
    return FALSE;
  p->tag = TAG_NONE;
  if (p->pending && !emit_pending (p, error))
    return FALSE;

  id = p->stmt_id->len ? p->stmt_id->str : "";
  if (p->account->len == 0)
    return fail (p, p->last_line, error,
                 _("statement “%s” has no account identification (:25:)"), id);
  if (!statement_is_942 (p))
    {
      if (!p->header.has_opening)
        return fail (p, p->last_line, error,
                     _("statement “%s” has no opening balance (:60F:)"), id);
      if (!p->header.has_closing)
        return fail (p, p->last_line, error,
                     _("statement “%s” ends without a closing balance (:62F:)"), id);
    }
  if (!ensure_begun (p, error))
    return FALSE;
  fill_header (p);
  p->in_message = FALSE;
  p->n_statements++;
  if (p->sink->end_statement != NULL)
    return p->sink->end_statement (p->user_data, &p->header, error);
  return TRUE;
}

static gboolean
open_field (Parser     *p,
            Tag         tag,
            char        letter,
            const char *content,
            gsize       n,
            GError    **error)
{
  guint line = p->line;

  if (p->in_message && !close_field (p, error))
    return FALSE;

  if (tag == TAG_20)
    {
      if (p->in_message && !end_message (p, error))
        return FALSE;
      start_message (p, line);
    }
  else if (!p->in_message)
    return fail (p, line, error,
                 _("field :%s: comes before the start of a statement (:20:)"),
                 tag_name (tag, letter));

  p->tag = tag;
  p->tag_letter = letter;
  p->tag_line = line;

  /* an entry takes the :86: right after it (non-SWIFT :NS: fields may come between) */
  if (p->pending && tag != TAG_NS && !(tag == TAG_86 && p->pending_open) &&
      !emit_pending (p, error))
    return FALSE;

  switch (tag)
    {
    case TAG_61:
      if (p->account->len == 0)
        return fail (p, line, error, "%s",
                     _("a statement line (:61:) comes before the account identification (:25:)"));
      if (p->closed)
        return fail (p, line, error, "%s",
                     _("a statement line (:61:) comes after the closing balance (:62F:)"));
      if (!p->header.has_opening && !statement_is_942 (p))
        return fail (p, line, error, "%s",
                     _("a statement line (:61:) comes before the opening balance (:60F:)"));
      if (p->currency[0] == '\0')
        return fail (p, line, error, "%s",
                     _("a statement line (:61:) comes before the currency is known (:34F:)"));
      if (!ensure_begun (p, error))
        return FALSE;
      p->pending = TRUE;
      p->pending_open = TRUE;
      p->pending_line = line;
      g_string_truncate (p->f61, 0);
      g_string_truncate (p->raw86, 0);
      p->cur = p->f61;
      g_string_append_len (p->cur, content, n);
      return TRUE;

    case TAG_86:
      if (p->pending && p->pending_open)
        {
          if (p->raw86->len > 0)
            g_string_append_c (p->raw86, '\n');
          g_string_append (p->raw86, ":86:");
          g_string_append_len (p->raw86, content, n);
          p->cur = p->raw86;
          return TRUE;
        }
      break;

    case TAG_25:
      if (p->account->len > 0)
        return fail (p, line, error, "%s",
                     _("a second account identification (:25:) in the same statement"));
      break;

    case TAG_60:
      if (p->header.has_opening)
        return fail (p, line, error, "%s", _("a second opening balance (:60F:) in the same statement"));
      if (p->n_entries > 0 || p->pending)
        return fail (p, line, error, "%s", _("the opening balance (:60F:) comes after statement lines"));
      break;

    case TAG_62:
      if (p->header.has_closing)
        return fail (p, line, error, "%s", _("a second closing balance (:62F:) in the same statement"));
      if (!p->header.has_opening)
        return fail (p, line, error, "%s", _("the closing balance (:62F:) comes before the opening balance (:60F:)"));
      p->closed = TRUE;
      break;

    case TAG_13:
    case TAG_34:
    case TAG_90:
      p->seen_942_field = TRUE;
      break;

    case TAG_20:
    case TAG_21:
    case TAG_28:
    case TAG_64:
    case TAG_65:
    case TAG_NS:
    case TAG_NONE:
    default:
      break;
    }

  g_string_truncate (p->field, 0);
  g_string_append_len (p->field, content, n);
  p->cur = p->field;
  return TRUE;
}

static gboolean
continue_field (Parser     *p,
                const char *line,
                gsize       len,
                GError    **error)
{
  /* a balance is one line; what follows it (blank lines, a next header) is not part of it */
  if (p->tag == TAG_60 || p->tag == TAG_62 || p->tag == TAG_64 || p->tag == TAG_65 ||
      p->tag == TAG_13 || p->tag == TAG_34 || p->tag == TAG_90)
    return TRUE;
  if ((p->tag == TAG_20 || p->tag == TAG_25 || p->tag == TAG_28 || p->tag == TAG_21) &&
      rtrim_len (line, len) == 0)
    return TRUE;
  /* SWIFT fields are short (:86: is 6 lines of 65): memory stays bounded */
  if (p->cur->len + len + 1 > MAX_FIELD)
    return fail (p, p->line, error,
                 /* Translators: %1$s a SWIFT field tag such as 86, %2$u a number of bytes */
                 _("field :%1$s: is longer than %2$u bytes"),
                 tag_name (p->tag, p->tag_letter), (guint) MAX_FIELD);
  g_string_append_c (p->cur, '\n');
  g_string_append_len (p->cur, line, len);
  return TRUE;
}

static gboolean
is_blank (const char *line,
          gsize       len)
{
  return rtrim_len (line, len) == 0;
}

/* Decides whether a "-" line inside free text ends the message: it does when the
 * next line is the end, blank, an envelope or a new statement. */
static gboolean
dash_ends_message (Parser   *p,
                   gboolean *ends,
                   GError  **error)
{
  const char *line;
  gsize len;
  GError *local = NULL;
  Tag tag;
  char letter;
  gsize off;

  if (!tsy_line_reader_next (p->reader, &line, &len, &local))
    {
      if (local != NULL)
        {
          if (local->domain == TSY_BANK_ERROR)
            g_prefix_error (&local, "%s: ", p->display_name);
          g_propagate_error (error, local);
          return FALSE;
        }
      *ends = TRUE;
      return TRUE;
    }
  if (is_blank (line, len) || line[0] == '{')
    *ends = TRUE;
  else if (parse_tag (line, len, &tag, &letter, &off))
    *ends = tag == TAG_20;
  else
    *ends = FALSE;
  tsy_line_reader_push_back (p->reader);
  return TRUE;
}

static gboolean handle_line (Parser     *p,
                             const char *line,
                             gsize       len,
                             gboolean    nested,
                             GError    **error);

/* The first "{N:" block of an envelope line, or NULL. (Not memmem(): GCC's -Wnonnull
 * misfires on it here under -fsanitize=nonnull-attribute, which breaks sanitizer builds.) */
static const char *
find_block (const char *s,
            gsize       n,
            char        digit)
{
  for (gsize i = 0; i + 3 <= n; i++)
    if (s[i] == '{' && s[i + 1] == digit && s[i + 2] == ':')
      return s + i;
  return NULL;
}

/* "{1:F01BANKBEBBAXXX0000000000}{2:O940...}{3:...}{4:" */
static gboolean
handle_envelope (Parser     *p,
                 const char *line,
                 gsize       len,
                 gboolean    nested,
                 GError    **error)
{
  const char *b2, *b4;

  if (p->in_message)
    {
      if (!end_message (p, error))
        return FALSE;
    }
  b2 = find_block (line, len, '2');
  if (b2 != NULL && (gsize) (b2 - line) + 7 <= len && (b2[3] == 'I' || b2[3] == 'O'))
    p->next_942 = memcmp (b2 + 4, "942", 3) == 0;
  b4 = find_block (line, len, '4');
  if (b4 != NULL && !nested)
    {
      gsize rest = len - (gsize) (b4 + 3 - line);
      if (rest > 0 && b4[3] == ':')
        return handle_line (p, b4 + 3, rest, TRUE, error);
    }
  return TRUE;
}

static gboolean
check_binary (Parser     *p,
              const char *line,
              gsize       len,
              GError    **error)
{
  for (gsize i = 0; i < len; i++)
    {
      guchar c = (guchar) line[i];
      /* tab, and SOH / ETX / SUB that frame SWIFT transmissions */
      if (G_UNLIKELY (c < 0x20) && c != '\t' && c != 0x01 && c != 0x03 && c != 0x1a)
        return fail (p, p->line, error,
                     _("binary data (byte 0x%02X) where text was expected; this is not an "
                       "MT940 file"), c);
    }
  return TRUE;
}

static gboolean
handle_line (Parser     *p,
             const char *line,
             gsize       len,
             gboolean    nested,
             GError    **error)
{
  Tag tag;
  char letter;
  gsize off;

  if (len > 0 && line[0] == ':' && parse_tag (line, len, &tag, &letter, &off))
    return open_field (p, tag, letter, line + off, len - off, error);

  if (len > 1 && line[0] == '{' && (is_digit (line[1]) || line[1] == '}'))
    return handle_envelope (p, line, len, nested, error);

  if (!p->in_message)
    {
      gsize n = rtrim_len (line, len);

      if (n > 0 && line[0] == ':')
        {
          /* Rabobank and others put ":940:" before the first statement */
          if (n == 5 && memcmp (line, ":940:", 5) == 0)
            return TRUE;
          if (n == 5 && memcmp (line, ":942:", 5) == 0)
            {
              p->file_942 = TRUE;
              return TRUE;
            }
          return fail (p, p->line, error, _("“%s” is not an MT940 field"), shown (p, line, n));
        }
      /* bank headers ("ABNANL2A", "940", SOH), "-" and blank lines between statements */
      return TRUE;
    }

  if (len > 0 && line[0] == '-')
    {
      gsize n = rtrim_len (line, len);
      gboolean pure = TRUE, ends;

      for (gsize i = 1; i < n; i++)
        if ((guchar) line[i] >= 0x20)
          pure = FALSE;

      if (p->closed || (n > 1 && line[1] == '}'))
        ends = TRUE;
      else if (!pure)
        ends = FALSE;
      else if (p->tag == TAG_61 || p->tag == TAG_86 || p->tag == TAG_NS)
        {
          /* a wrapped line of text may be a lone "-" too (ING) */
          if (!dash_ends_message (p, &ends, error))
            return FALSE;
        }
      else
        ends = TRUE;

      if (ends)
        return end_message (p, error);
    }

  return continue_field (p, line, len, error);
}

static gboolean
run (Parser  *p,
     GError **error)
{
  for (;;)
    {
      const char *line;
      gsize len;
      GError *local = NULL;
      gboolean blank;

      if (!tsy_line_reader_next (p->reader, &line, &len, &local))
        {
          if (local != NULL)
            {
              if (local->domain == TSY_BANK_ERROR)
                g_prefix_error (&local, "%s: ", p->display_name);
              g_propagate_error (error, local);
              return FALSE;
            }
          break;
        }
      p->line = tsy_line_reader_get_line (p->reader);
      if (!check_binary (p, line, len, error))
        return FALSE;
      blank = is_blank (line, len);
      if (!handle_line (p, line, len, FALSE, error))
        return FALSE;
      /* errors about a whole statement name its last line */
      if (p->in_message && !blank)
        p->last_line = p->line;
    }

  if (p->in_message && !end_message (p, error))
    return FALSE;
  if (p->n_statements == 0)
    return fail (p, p->line, error, "%s",
                 _("no MT940 or MT942 statement found (a statement starts with :20:)"));
  return TRUE;
}

gboolean
tsy_mt940_parse (GInputStream           *in,
                 const char             *display_name,
                 const TsyStatementSink *sink,
                 gpointer                user_data,
                 GCancellable           *cancellable,
                 GError                **error)
{
  Parser p = { 0 };
  gboolean ok;

  g_return_val_if_fail (G_IS_INPUT_STREAM (in), FALSE);
  g_return_val_if_fail (sink != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  p.reader = tsy_line_reader_new (in, cancellable);
  p.display_name = display_name ? display_name : "";
  p.sink = sink;
  p.user_data = user_data;
  p.field = g_string_sized_new (256);
  p.stmt_id = g_string_new (NULL);
  p.account = g_string_new (NULL);
  p.sequence = g_string_new (NULL);
  p.f61 = g_string_sized_new (256);
  p.raw86 = g_string_sized_new (1024);
  p.strings = g_string_sized_new (2048);
  p.scratch = g_string_sized_new (1024);
  p.tmp = g_string_sized_new (1024);
  p.tmp2 = g_string_sized_new (256);
  p.msg = g_string_new (NULL);
  p.cur = p.field;

  ok = run (&p, error);

  tsy_line_reader_free (p.reader);
  g_string_free (p.field, TRUE);
  g_string_free (p.stmt_id, TRUE);
  g_string_free (p.account, TRUE);
  g_string_free (p.sequence, TRUE);
  g_string_free (p.f61, TRUE);
  g_string_free (p.raw86, TRUE);
  g_string_free (p.strings, TRUE);
  g_string_free (p.scratch, TRUE);
  g_string_free (p.tmp, TRUE);
  g_string_free (p.tmp2, TRUE);
  g_string_free (p.msg, TRUE);
  return ok;
}
