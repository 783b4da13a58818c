/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * BAI2 balance reporting files (Cash Management Balance Reporting
 * Specifications, version 2; also the version 3 "BTRS" header).
 *
 * A file is 01 (file header), then groups 02 … 98, each with accounts
 * 03 [16 …] 49; 99 closes the file. 88 continues the previous record. Each
 * 03 … 49 account report becomes one statement.
 *
 * Physical layout, as banks really send it:
 *  - one record per line, or several on a line ("…/ 16,…"), or fixed-length
 *    physical records (80 columns by default) without line breaks;
 *  - "/" ends a record, but the text field of a 16 record is not
 *    delimited and may itself contain "/" and ",": a "/" ends a record only
 *    when nothing but blanks or the next record code ("NN,") follows it;
 *  - a record continued by 88 records is read as one field list: an 88 starts
 *    with the next field. Text continued over 88s is joined with a space,
 *    or with nothing when the previous physical record was full (wrapped);
 *  - a line without a record code right after an unterminated 16 record is
 *    a broken line of that 16's text (seen in real files), not a record.
 *
 * Amounts are integers in the minor unit of the currency (BAI2's implied
 * decimals are the ISO 4217 ones). 49, 98 and 99 control totals and record
 * counts are verified; a mismatch refuses the file.
 */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "ledger/tsy-iban.h"
#include "ledger/tsy-money.h"
#include "tsy-line-reader.h"
#include "tsy-statement-format.h"

#define MAX_LOGICAL_RECORD (1024 * 1024)
#define DEFAULT_PHYSICAL_LENGTH 80

typedef struct
{
  gsize    off;          /* content in Record.buf */
  gsize    len;
  guint    line;
  gboolean has_fields;   /* FALSE for a bare "NN/" */
  gboolean full;         /* filled its physical record: text wraps without a space */
} Segment;

typedef struct
{
  int      code;         /* 0: nothing pending */
  guint    line;
  guint    n_physical;   /* physical records (01…99 and 88s), for the record counts */
  gboolean open;         /* the last physical record had no "/" */
  GString *buf;
  GString *raw;
  GArray  *segs;
} Record;

typedef struct
{
  const Record *rec;
  guint         seg;
  gsize         pos;     /* within the segment; > len when it is used up */
} Cursor;

typedef struct
{
  const char             *name;
  const TsyStatementSink *sink;
  gpointer                user_data;

  guint     phys_len;
  guint     fixed_len;       /* > 0: fixed-length physical records */
  Record    rec;

  /* file */
  gboolean  seen_01;
  gboolean  seen_99;
  char     *file_id;
  guint     file_records;
  gint64    file_total;
  guint     n_groups;

  /* group */
  gboolean  in_group;
  TsyDate   as_of;
  char      group_currency[4];
  TsyStatementKind kind;
  guint     group_records;
  gint64    group_total;
  guint     n_accounts;

  /* account */
  gboolean  in_account;
  char     *account;
  char      currency[4];
  char     *statement_id;
  guint     account_records;
  gint64    account_total;
  TsyStatementHeader header;
} Bai2Parser;

static const char *
display (const Bai2Parser *self)
{
  return self->name != NULL ? self->name : "";
}

G_GNUC_PRINTF (5, 6)
static gboolean
fail (Bai2Parser *self,
      GError    **error,
      int         code,
      guint       line,
      const char *format,
      ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);
  /* Translators: %1$s a file name, %2$u a line number, %3$s the reason */
  g_set_error (error, TSY_BANK_ERROR, code, _("%1$s: line %2$u: %3$s"), display (self), line,
               reason);
  return FALSE;
}

/* A short printable copy of a field for messages. */
static char *
excerpt (const char *text,
         gsize       len)
{
  g_autofree char *copy = g_strndup (text, MIN (len, 40));
  char *valid = g_utf8_make_valid (copy, -1);

  if (len > 40)
    {
      char *longer = g_strconcat (valid, "…", NULL);
      g_free (valid);
      return longer;
    }
  return valid;
}

static void
trim (const char **text,
      gsize       *len)
{
  while (*len > 0 && g_ascii_isspace ((*text)[0]))
    {
      (*text)++;
      (*len)--;
    }
  while (*len > 0 && g_ascii_isspace ((*text)[*len - 1]))
    (*len)--;
}

static gboolean
is_record_code (int code)
{
  switch (code)
    {
    case 1: case 2: case 3: case 16: case 49: case 88: case 98: case 99:
      return TRUE;
    default:
      return FALSE;
    }
}

/* "NN," or "NN/" or a bare "NN" at @p: the start of a record. */
static gboolean
looks_like_record (const char *p,
                   gsize       len)
{
  return len >= 2 && g_ascii_isdigit (p[0]) && g_ascii_isdigit (p[1]) &&
         (len == 2 || p[2] == ',' || p[2] == '/');
}

/* A "/" ends a record when only blanks or the next record follow it. */
static gboolean
slash_ends_record (const char *line,
                   gsize       len,
                   gsize       after)
{
  while (after < len && (line[after] == ' ' || line[after] == '\t'))
    after++;
  if (after == len)
    return TRUE;
  return len - after >= 3 && looks_like_record (line + after, len - after) &&
         line[after + 2] == ',' &&
         is_record_code ((line[after] - '0') * 10 + (line[after + 1] - '0'));
}

/* ---- fields of a logical record ---- */

static void
cursor_init (Cursor       *c,
             const Record *rec)
{
  c->rec = rec;
  c->seg = 0;
  c->pos = 0;
}

static gboolean
cursor_next (Cursor      *c,
             const char **field,
             gsize       *len)
{
  while (c->seg < c->rec->segs->len)
    {
      const Segment *s = &g_array_index (c->rec->segs, Segment, c->seg);
      const char *p;
      const char *comma;
      gsize rest;

      if (!s->has_fields || c->pos > s->len)
        {
          c->seg++;
          c->pos = 0;
          continue;
        }
      p = c->rec->buf->str + s->off + c->pos;
      rest = s->len - c->pos;
      comma = memchr (p, ',', rest);
      *field = p;
      *len = comma != NULL ? (gsize) (comma - p) : rest;
      c->pos += *len + 1;
      return TRUE;
    }
  *field = "";
  *len = 0;
  return FALSE;
}

/* The next field, blanks trimmed; "" when the record has no more fields. */
static void
cursor_field (Cursor      *c,
              const char **field,
              gsize       *len)
{
  cursor_next (c, field, len);
  trim (field, len);
}

/* The rest of the record as text: commas and slashes included. */
static char *
cursor_text (Cursor *c)
{
  GString *text = g_string_new (NULL);
  gboolean prev_full = FALSE;

  for (; c->seg < c->rec->segs->len; c->seg++, c->pos = 0)
    {
      const Segment *s = &g_array_index (c->rec->segs, Segment, c->seg);
      const char *p;
      gsize len;

      if (s->has_fields && c->pos <= s->len)
        {
          p = c->rec->buf->str + s->off + c->pos;
          len = s->len - c->pos;
          while (len > 0 && g_ascii_isspace (p[len - 1]))
            len--;
          if (len > 0)
            {
              if (text->len > 0 && !prev_full)
                g_string_append_c (text, ' ');
              g_string_append_len (text, p, len);
            }
        }
      prev_full = s->full;
    }
  if (text->len == 0)
    {
      g_string_free (text, TRUE);
      return NULL;
    }
  if (!g_utf8_validate (text->str, text->len, NULL))
    {
      char *valid = g_utf8_make_valid (text->str, text->len);
      g_string_free (text, TRUE);
      return valid;
    }
  return g_string_free (text, FALSE);
}

static char *
field_dup (const char *field,
           gsize       len)
{
  if (len == 0)
    return NULL;
  return g_utf8_make_valid (field, len);
}

/* ---- values ---- */

static gboolean
parse_amount (Bai2Parser *self,
              guint       line,
              const char *field,
              gsize       len,
              gboolean    allow_minus,
              gint64     *out,
              GError    **error)
{
  gboolean negative = FALSE;
  gint64 value = 0;
  gsize i = 0;

  if (len > 0 && (field[0] == '+' || field[0] == '-'))
    {
      negative = field[0] == '-';
      i = 1;
    }
  if (i == len || (negative && !allow_minus))
    goto bad;
  for (; i < len; i++)
    {
      if (!g_ascii_isdigit (field[i]))
        goto bad;
      if (__builtin_mul_overflow (value, 10, &value) ||
          __builtin_add_overflow (value, field[i] - '0', &value))
        goto bad;
    }
  *out = negative ? -value : value;
  return TRUE;

bad:
  {
    g_autofree char *copy = excerpt (field, len);
    /* Translators: %s is the text of a field of a bank file */
    return fail (self, error, TSY_BANK_ERROR_PARSE, line, _("“%s” is not a valid amount"), copy);
  }
}

static gboolean
parse_count (const char *field,
             gsize       len,
             guint      *out)
{
  guint64 value = 0;

  if (len == 0 || len > 9)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (field[i]))
        return FALSE;
      value = value * 10 + (guint64) (field[i] - '0');
    }
  *out = (guint) value;
  return TRUE;
}

/* YYMMDD; years 80–99 are 19xx, 00–79 20xx. */
static TsyDate
parse_date (const char *field,
            gsize       len)
{
  int v[3];

  if (len != 6)
    return TSY_DATE_NONE;
  for (int i = 0; i < 6; i++)
    if (!g_ascii_isdigit (field[i]))
      return TSY_DATE_NONE;
  for (int i = 0; i < 3; i++)
    v[i] = (field[2 * i] - '0') * 10 + (field[2 * i + 1] - '0');
  return tsy_date_from_ymd (v[0] >= 80 ? 1900 + v[0] : 2000 + v[0], v[1], v[2]);
}

static gboolean
add_total (Bai2Parser *self,
           guint       line,
           gint64     *total,
           gint64      amount,
           GError    **error)
{
  if (__builtin_add_overflow (*total, amount, total))
    return fail (self, error, TSY_BANK_ERROR_PARSE, line, "%s",
                 _("the control total is too large"));
  return TRUE;
}

/* Type codes: 100–399 and 920–959 are credits, 400–699 and 960–999 debits;
 * 001–099 and 900–919 are balances (status), 700–899 are not used. */
static int
type_direction (int type)
{
  if ((type >= 100 && type <= 399) || (type >= 920 && type <= 959))
    return 1;
  if ((type >= 400 && type <= 699) || (type >= 960 && type <= 999))
    return -1;
  return 0;
}

static gboolean
parse_type_code (const char *field,
                 gsize       len,
                 int        *out)
{
  if (len != 3 || !g_ascii_isdigit (field[0]) || !g_ascii_isdigit (field[1]) ||
      !g_ascii_isdigit (field[2]))
    return FALSE;
  *out = (field[0] - '0') * 100 + (field[1] - '0') * 10 + (field[2] - '0');
  return TRUE;
}

/*
 * The funds type and its sub-fields: 0, 1, 2, Z or blank have none;
 * V a value date and time; S three amounts (immediate, one day, two or more
 * days); D a count of distributions, then that many (days, amount) pairs.
 * None of these amounts is part of the control total.
 */
static gboolean
parse_funds_type (Bai2Parser *self,
                  Cursor     *c,
                  guint       line,
                  TsyDate    *value_date,
                  GError    **error)
{
  const char *f;
  gsize len;
  gint64 ignored;

  *value_date = TSY_DATE_NONE;
  cursor_field (c, &f, &len);
  if (len == 0)
    return TRUE;
  if (len != 1)
    goto bad;

  switch (g_ascii_toupper (f[0]))
    {
    case '0': case '1': case '2': case 'Z':
      return TRUE;

    case 'V':
      cursor_field (c, &f, &len);
      if (len > 0)
        {
          *value_date = parse_date (f, len);
          if (*value_date == TSY_DATE_NONE)
            {
              g_autofree char *copy = excerpt (f, len);
              return fail (self, error, TSY_BANK_ERROR_PARSE, line,
                           _("“%s” is not a value date of the form YYMMDD"), copy);
            }
        }
      cursor_field (c, &f, &len);       /* value time: for reference only */
      return TRUE;

    case 'S':
      for (int i = 0; i < 3; i++)
        {
          cursor_field (c, &f, &len);
          if (len > 0 && !parse_amount (self, line, f, len, TRUE, &ignored, error))
            return FALSE;
        }
      return TRUE;

    case 'D':
      {
        guint n;

        cursor_field (c, &f, &len);
        if (!parse_count (f, len, &n))
          {
            g_autofree char *copy = excerpt (f, len);
            return fail (self, error, TSY_BANK_ERROR_PARSE, line,
                         _("“%s” is not a number of availability distributions"), copy);
          }
        for (guint i = 0; i < n; i++)
          {
            guint days;

            if (!cursor_next (c, &f, &len))
              return fail (self, error, TSY_BANK_ERROR_PARSE, line,
                           _("the record ends before availability distribution %u"), i + 1);
            trim (&f, &len);
            if (!parse_count (f, len, &days))
              {
                g_autofree char *copy = excerpt (f, len);
                return fail (self, error, TSY_BANK_ERROR_PARSE, line,
                             _("“%s” is not a number of days"), copy);
              }
            cursor_field (c, &f, &len);
            if (!parse_amount (self, line, f, len, TRUE, &ignored, error))
              return FALSE;
          }
        return TRUE;
      }

    default:
      break;
    }

bad:
  {
    g_autofree char *copy = excerpt (f, len);
    return fail (self, error, TSY_BANK_ERROR_PARSE, line, _("unknown funds type “%s”"), copy);
  }
}

/* ---- records ---- */

typedef enum
{
  COUNT_RECORDS,
  COUNT_ACCOUNTS,
  COUNT_GROUPS,
} CountKind;

static gboolean
check_count (Bai2Parser *self,
             guint       line,
             const char *field,
             gsize       len,
             CountKind   kind,
             guint       actual,
             GError    **error)
{
  guint declared;

  if (!parse_count (field, len, &declared))
    {
      g_autofree char *copy = excerpt (field, len);
      return fail (self, error, TSY_BANK_ERROR_PARSE, line,
                   _("“%s” is not a count of the trailer record"), copy);
    }
  if (declared == actual)
    return TRUE;
  switch (kind)
    {
    case COUNT_RECORDS:
      return fail (self, error, TSY_BANK_ERROR_PARSE, line,
                   _("the trailer counts %1$u records, but there are %2$u"), declared, actual);
    case COUNT_ACCOUNTS:
      return fail (self, error, TSY_BANK_ERROR_PARSE, line,
                   _("the group trailer counts %1$u accounts, but the group has %2$u"),
                   declared, actual);
    case COUNT_GROUPS:
    default:
      return fail (self, error, TSY_BANK_ERROR_PARSE, line,
                   _("the file trailer counts %1$u groups, but the file has %2$u"),
                   declared, actual);
    }
}

static gboolean
check_total (Bai2Parser *self,
             guint       line,
             const char *field,
             gsize       len,
             const char *account,
             gint64      actual,
             gint64     *declared,
             GError    **error)
{
  *declared = 0;
  /* A blank control total is read as zero: it then only passes when the amounts add up to 0. */
  if (len > 0 && !parse_amount (self, line, field, len, TRUE, declared, error))
    return FALSE;
  if (*declared != actual)
    {
      g_autofree char *want = g_strdup_printf ("%" G_GINT64_FORMAT, *declared);
      g_autofree char *have = g_strdup_printf ("%" G_GINT64_FORMAT, actual);
      if (account != NULL)
        {
          /* Messages show only the last digits of an account number. */
          g_autofree char *masked = tsy_account_mask (account);
          g_autofree char *shown = g_utf8_make_valid (masked, -1);

          return fail (self, error, TSY_BANK_ERROR_PARSE, line,
                       /* Translators: the figures are integers in minor units, as in the file;
                        * %2$s is a masked account number such as ****1234 */
                       _("the account trailer gives the control total %1$s, but the amounts of "
                         "account %2$s add up to %3$s"), want, shown, have);
        }
      return fail (self, error, TSY_BANK_ERROR_PARSE, line,
                   /* Translators: the figures are integers in minor units, as in the file */
                   _("the trailer gives the control total %1$s, but the amounts add up to %2$s"),
                   want, have);
    }
  return TRUE;
}

static gboolean
record_01 (Bai2Parser *self,
           GError    **error)
{
  Cursor c;
  const char *f;
  gsize len;
  g_autofree char *date = NULL;
  guint phys;

  if (self->seen_01)
    return fail (self, error, TSY_BANK_ERROR_PARSE, self->rec.line, "%s",
                 _("a second 01 file header"));
  self->seen_01 = TRUE;
  self->file_records = self->rec.n_physical;

  cursor_init (&c, &self->rec);
  cursor_field (&c, &f, &len);          /* sender */
  cursor_field (&c, &f, &len);          /* receiver */
  cursor_field (&c, &f, &len);          /* creation date */
  date = g_utf8_make_valid (f, len);
  cursor_field (&c, &f, &len);          /* creation time: for reference only */
  cursor_field (&c, &f, &len);          /* file identification number */
  {
    g_autofree char *id = field_dup (f, len);
    self->file_id = g_strdup_printf ("%s-%s", date, id != NULL ? id : "");
    g_strdelimit (self->file_id, "/", '-');
  }
  cursor_field (&c, &f, &len);          /* physical record length */
  if (len > 0 && parse_count (f, len, &phys) && phys >= 20 && phys <= 4096)
    self->phys_len = phys;
  cursor_field (&c, &f, &len);          /* block size */
  cursor_field (&c, &f, &len);          /* version */
  if (len == 1 && (f[0] == '2' || f[0] == '3'))
    return TRUE;
  if (len == 0)
    return fail (self, error, TSY_BANK_ERROR_PARSE, self->rec.line, "%s",
                 _("the 01 file header has no version number"));
  {
    g_autofree char *copy = excerpt (f, len);
    return fail (self, error, TSY_BANK_ERROR_UNSUPPORTED, self->rec.line,
                 _("BAI version “%s” is not supported (versions 2 and 3 are)"), copy);
  }
}

static gboolean
record_02 (Bai2Parser *self,
           GError    **error)
{
  guint line = self->rec.line;
  Cursor c;
  const char *f;
  gsize len;

  if (self->in_group)
    return fail (self, error, TSY_BANK_ERROR_PARSE, line, "%s",
                 _("a 02 group header before the 98 trailer of the previous group"));
  self->in_group = TRUE;
  self->n_groups++;
  self->n_accounts = 0;
  self->group_total = 0;
  self->group_records = self->rec.n_physical;
  self->group_currency[0] = '\0';
  self->kind = TSY_STATEMENT_KIND_FINAL;

  cursor_init (&c, &self->rec);
  cursor_field (&c, &f, &len);          /* ultimate receiver */
  cursor_field (&c, &f, &len);          /* originator */
  cursor_field (&c, &f, &len);          /* group status */
  if (len == 1 && (f[0] == '2' || f[0] == '4'))
    return fail (self, error, TSY_BANK_ERROR_UNSUPPORTED, line, "%s",
                 f[0] == '2' ? _("the group is a deletion (group status 2); it is not imported")
                             : _("the group is test data (group status 4); it is not imported"));
  if (len > 0 && !(len == 1 && (f[0] == '1' || f[0] == '3')))
    {
      g_autofree char *copy = excerpt (f, len);
      return fail (self, error, TSY_BANK_ERROR_PARSE, line, _("unknown group status “%s”"), copy);
    }
  cursor_field (&c, &f, &len);          /* as-of date */
  self->as_of = parse_date (f, len);
  if (self->as_of == TSY_DATE_NONE)
    {
      g_autofree char *copy = excerpt (f, len);
      return fail (self, error, TSY_BANK_ERROR_PARSE, line,
                   _("“%s” is not an as-of date of the form YYMMDD"), copy);
    }
  cursor_field (&c, &f, &len);          /* as-of time */
  cursor_field (&c, &f, &len);          /* currency */
  if (len > 0)
    {
      g_autofree char *code = g_ascii_strup (f, len);
      if (!tsy_currency_is_known (code))
        {
          g_autofree char *copy = excerpt (f, len);
          return fail (self, error, TSY_BANK_ERROR_PARSE, line, _("unknown currency “%s”"), copy);
        }
      memcpy (self->group_currency, code, 4);
    }
  cursor_field (&c, &f, &len);          /* as-of date modifier: 1, 3 interim; 2, 4 final */
  if (len == 1 && (f[0] == '1' || f[0] == '3'))
    self->kind = TSY_STATEMENT_KIND_INTRADAY;
  return TRUE;
}

static gboolean
record_03 (Bai2Parser *self,
           GError    **error)
{
  guint line = self->rec.line;
  TsyStatementHeader *h = &self->header;
  Cursor c;
  const char *f;
  gsize len;

  if (self->in_account)
    return fail (self, error, TSY_BANK_ERROR_PARSE, line, "%s",
                 _("a 03 account record before the 49 trailer of the previous account"));
  self->in_account = TRUE;
  self->n_accounts++;
  self->account_total = 0;
  self->account_records = self->rec.n_physical;

  cursor_init (&c, &self->rec);
  cursor_field (&c, &f, &len);
  if (len == 0)
    return fail (self, error, TSY_BANK_ERROR_PARSE, line, "%s",
                 _("the 03 record has no account number"));
  g_free (self->account);
  self->account = field_dup (f, len);

  cursor_field (&c, &f, &len);
  if (len > 0)
    {
      g_autofree char *code = g_ascii_strup (f, len);
      if (!tsy_currency_is_known (code))
        {
          g_autofree char *copy = excerpt (f, len);
          return fail (self, error, TSY_BANK_ERROR_PARSE, line, _("unknown currency “%s”"), copy);
        }
      memcpy (self->currency, code, 4);
    }
  else if (self->group_currency[0] != '\0')
    memcpy (self->currency, self->group_currency, 4);
  else
    memcpy (self->currency, "USD", 4);

  memset (h, 0, sizeof *h);
  h->format = "bai2";
  h->kind = self->kind;
  h->account = self->account;
  h->currency = self->currency;
  g_free (self->statement_id);
  self->statement_id = g_strdup_printf ("%s/%u/%u", self->file_id, self->n_groups,
                                        self->n_accounts);
  h->statement_id = self->statement_id;
  h->from_date = self->as_of;
  h->to_date = self->as_of;
  h->source_line = line;

  /* Summary and status items: type code, amount, item count, funds type. */
  for (;;)
    {
      int type;
      gint64 amount = 0;
      gboolean has_amount;
      guint count;
      TsyDate ignored;

      if (!cursor_next (&c, &f, &len))
        break;
      trim (&f, &len);
      if (len == 0)
        continue;       /* a defaulted item, or a "," before the "/" */
      if (!parse_type_code (f, len, &type))
        {
          g_autofree char *copy = excerpt (f, len);
          return fail (self, error, TSY_BANK_ERROR_PARSE, line, _("“%s” is not a type code"),
                       copy);
        }
      cursor_field (&c, &f, &len);
      has_amount = len > 0;
      if (has_amount && !parse_amount (self, line, f, len, TRUE, &amount, error))
        return FALSE;
      cursor_field (&c, &f, &len);
      if (len > 0 && !parse_count (f, len, &count))
        {
          g_autofree char *copy = excerpt (f, len);
          return fail (self, error, TSY_BANK_ERROR_PARSE, line,
                       _("“%s” is not an item count"), copy);
        }
      if (!parse_funds_type (self, &c, line, &ignored, error))
        return FALSE;
      if (!has_amount)
        continue;
      if (!add_total (self, line, &self->account_total, amount, error))
        return FALSE;
      switch (type)
        {
        case 10:
          h->has_opening = TRUE;
          h->opening_minor = amount;
          h->opening_date = self->as_of;
          break;
        case 15:
          h->has_closing = TRUE;
          h->closing_minor = amount;
          h->closing_date = self->as_of;
          break;
        case 45:
          h->has_available = TRUE;
          h->available_minor = amount;
          h->available_date = self->as_of;
          break;
        default:
          break;
        }
    }

  return self->sink->begin_statement (self->user_data, h, error);
}

static gboolean
record_16 (Bai2Parser *self,
           GError    **error)
{
  guint line = self->rec.line;
  TsyStatementEntry e = { 0 };
  Cursor c;
  const char *f;
  gsize len;
  int type, direction;
  gint64 amount;
  g_autofree char *type_text = NULL;
  g_autofree char *bank_ref = NULL;
  g_autofree char *customer_ref = NULL;
  g_autofree char *text = NULL;
  g_autofree char *raw = NULL;

  cursor_init (&c, &self->rec);
  cursor_field (&c, &f, &len);
  if (!parse_type_code (f, len, &type))
    {
      g_autofree char *copy = excerpt (f, len);
      return fail (self, error, TSY_BANK_ERROR_PARSE, line, _("“%s” is not a type code"), copy);
    }
  direction = type_direction (type);
  if (direction == 0)
    return fail (self, error, TSY_BANK_ERROR_PARSE, line,
                 _("type code %03d is not a credit or debit transaction"), type);
  type_text = g_strndup (f, len);

  cursor_field (&c, &f, &len);
  if (len == 0)
    return fail (self, error, TSY_BANK_ERROR_PARSE, line, "%s",
                 _("the transaction has no amount"));
  /* Detail amounts are unsigned: the type code gives the direction. */
  if (!parse_amount (self, line, f, len, FALSE, &amount, error))
    return FALSE;
  if (!add_total (self, line, &self->account_total, amount, error))
    return FALSE;

  if (!parse_funds_type (self, &c, line, &e.value_date, error))
    return FALSE;

  cursor_field (&c, &f, &len);
  bank_ref = field_dup (f, len);
  cursor_field (&c, &f, &len);
  customer_ref = field_dup (f, len);
  text = cursor_text (&c);
  raw = g_utf8_make_valid (self->rec.raw->str, self->rec.raw->len);

  e.booking_date = self->as_of;
  e.amount_minor = direction * amount;
  e.bank_ref = bank_ref;
  e.customer_ref = customer_ref;
  e.text = text;
  e.bank_tx_code = type_text;
  e.raw = raw;
  e.source_line = line;
  return self->sink->entry (self->user_data, &e, error);
}

static gboolean
record_49 (Bai2Parser *self,
           GError    **error)
{
  guint line = self->rec.line;
  Cursor c;
  const char *f;
  gsize len;
  gint64 declared;

  self->account_records += self->rec.n_physical;
  cursor_init (&c, &self->rec);
  cursor_field (&c, &f, &len);
  if (!check_total (self, line, f, len, self->account, self->account_total, &declared, error))
    return FALSE;
  cursor_field (&c, &f, &len);
  if (!check_count (self, line, f, len, COUNT_RECORDS, self->account_records, error))
    return FALSE;

  self->in_account = FALSE;
  self->group_records += self->account_records;
  if (!add_total (self, line, &self->group_total, declared, error))
    return FALSE;
  return self->sink->end_statement (self->user_data, &self->header, error);
}

static gboolean
record_98 (Bai2Parser *self,
           GError    **error)
{
  guint line = self->rec.line;
  Cursor c;
  const char *f;
  gsize len;
  gint64 declared;

  self->group_records += self->rec.n_physical;
  cursor_init (&c, &self->rec);
  cursor_field (&c, &f, &len);
  if (!check_total (self, line, f, len, NULL, self->group_total, &declared, error))
    return FALSE;
  cursor_field (&c, &f, &len);
  if (!check_count (self, line, f, len, COUNT_ACCOUNTS, self->n_accounts, error))
    return FALSE;
  cursor_field (&c, &f, &len);
  if (!check_count (self, line, f, len, COUNT_RECORDS, self->group_records, error))
    return FALSE;

  self->in_group = FALSE;
  self->file_records += self->group_records;
  return add_total (self, line, &self->file_total, declared, error);
}

static gboolean
record_99 (Bai2Parser *self,
           GError    **error)
{
  guint line = self->rec.line;
  Cursor c;
  const char *f;
  gsize len;
  gint64 declared;

  self->file_records += self->rec.n_physical;
  cursor_init (&c, &self->rec);
  cursor_field (&c, &f, &len);
  if (!check_total (self, line, f, len, NULL, self->file_total, &declared, error))
    return FALSE;
  cursor_field (&c, &f, &len);
  if (!check_count (self, line, f, len, COUNT_GROUPS, self->n_groups, error))
    return FALSE;
  cursor_field (&c, &f, &len);
  if (!check_count (self, line, f, len, COUNT_RECORDS, self->file_records, error))
    return FALSE;
  self->seen_99 = TRUE;
  return TRUE;
}

/* Checks that a record of @code may come now. */
static gboolean
check_order (Bai2Parser *self,
             int         code,
             guint       line,
             GError    **error)
{
  const char *problem = NULL;

  if (self->seen_99)
    problem = _("data after the 99 file trailer");
  else if (!self->seen_01 && code != 1)
    problem = _("the file does not start with a 01 file header");
  else
    switch (code)
      {
      case 2:
      case 99:
        if (self->in_group)
          problem = self->in_account ? _("the account has no 49 trailer")
                                     : _("the group has no 98 trailer");
        break;
      case 3:
      case 98:
        if (!self->in_group)
          problem = _("an account record outside a group (no 02 group header)");
        else if (self->in_account && code == 98)
          problem = _("the account has no 49 trailer");
        break;
      case 16:
      case 49:
        if (!self->in_account)
          problem = _("a transaction or trailer outside an account (no 03 record)");
        break;
      default:
        break;
      }
  if (problem != NULL)
    return fail (self, error, TSY_BANK_ERROR_PARSE, line, "%s", problem);
  return TRUE;
}

static gboolean
flush_record (Bai2Parser *self,
              GError    **error)
{
  int code = self->rec.code;
  gboolean ok = TRUE;

  if (code == 0)
    return TRUE;
  if (!check_order (self, code, self->rec.line, error))
    return FALSE;
  switch (code)
    {
    case 1:  ok = record_01 (self, error); break;
    case 2:  ok = record_02 (self, error); break;
    case 3:  ok = record_03 (self, error); break;
    case 16:
      self->account_records += self->rec.n_physical;
      ok = record_16 (self, error);
      break;
    case 49: ok = record_49 (self, error); break;
    case 98: ok = record_98 (self, error); break;
    case 99: ok = record_99 (self, error); break;
    default: g_assert_not_reached ();
    }
  self->rec.code = 0;
  return ok;
}

static gboolean
append_segment (Bai2Parser *self,
                guint       line,
                const char *content,
                gsize       len,
                gboolean    has_fields,
                gboolean    full,
                const char *raw,
                gsize       raw_len,
                GError    **error)
{
  Record *rec = &self->rec;
  Segment s = { rec->buf->len, len, line, has_fields, full };

  if (rec->buf->len + len + rec->raw->len + raw_len > MAX_LOGICAL_RECORD)
    return fail (self, error, TSY_BANK_ERROR_PARSE, line, "%s",
                 _("the record and its continuations are too long"));
  g_string_append_len (rec->buf, content, len);
  if (rec->raw->len > 0)
    g_string_append_c (rec->raw, '\n');
  g_string_append_len (rec->raw, raw, raw_len);
  g_array_append_val (rec->segs, s);
  return TRUE;
}

/* One physical record: @p (length @len) starts with its record code. */
static gboolean
physical_record (Bai2Parser *self,
                 guint       line,
                 const char *p,
                 gsize       len,
                 gboolean    terminated,
                 gboolean    full,
                 GError    **error)
{
  int code = (p[0] - '0') * 10 + (p[1] - '0');
  gboolean has_fields = len >= 3 && p[2] == ',';
  gsize start = has_fields ? 3 : 2;
  gsize content_len = len > start ? len - start : 0;

  if (terminated && content_len > 0 && p[start + content_len - 1] == '/')
    content_len--;
  if (!is_record_code (code))
    {
      g_autofree char *copy = excerpt (p, 2);
      return fail (self, error, TSY_BANK_ERROR_PARSE, line, _("unknown record type “%s”"), copy);
    }
  if (code == 88)
    {
      if (self->rec.code == 0)
        return fail (self, error, TSY_BANK_ERROR_PARSE, line, "%s",
                     _("a continuation record (88) with no record to continue"));
    }
  else
    {
      if (!flush_record (self, error))
        return FALSE;
      self->rec.code = code;
      self->rec.line = line;
      self->rec.n_physical = 0;
      g_string_truncate (self->rec.buf, 0);
      g_string_truncate (self->rec.raw, 0);
      g_array_set_size (self->rec.segs, 0);
    }
  self->rec.n_physical++;
  self->rec.open = !terminated;
  return append_segment (self, line, p + start, content_len, has_fields, full, p, len, error);
}

/* A line without a record code: a broken line of an unterminated 16's text, or an error. */
static gboolean
stray_line (Bai2Parser *self,
            guint       line,
            const char *p,
            gsize       len,
            GError    **error)
{
  gsize content_len = len;

  while (content_len > 0 && g_ascii_isspace (p[content_len - 1]))
    content_len--;
  if (self->rec.code == 16 && self->rec.open &&
      !(len >= 3 && g_ascii_isdigit (p[0]) && g_ascii_isdigit (p[1]) && !g_ascii_isdigit (p[2])))
    {
      gboolean terminated = content_len > 0 && p[content_len - 1] == '/';

      self->rec.open = !terminated;
      return append_segment (self, line, p, terminated ? content_len - 1 : content_len, TRUE,
                             FALSE, p, content_len, error);
    }
  {
    g_autofree char *copy = excerpt (p, content_len);
    return fail (self, error, TSY_BANK_ERROR_PARSE, line,
                 _("“%s” does not start with a record code"), copy);
  }
}

/* Splits a line into records at "/" followed by blanks and the next record. */
static gboolean
split_line (Bai2Parser *self,
            guint       line,
            const char *text,
            gsize       len,
            GError    **error)
{
  gsize i = 0;

  while (i < len)
    {
      gsize start, end, next;
      gboolean terminated = FALSE;

      /* Blanks between records; a DOS end-of-file mark. */
      while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\x1a'))
        i++;
      if (i >= len)
        break;
      start = i;
      if (!looks_like_record (text + i, len - i))
        return stray_line (self, line, text + i, len - i, error);

      end = len;
      next = len;
      for (gsize k = start + 2; k < len; k++)
        if (text[k] == '/' && slash_ends_record (text, len, k + 1))
          {
            end = k + 1;
            next = k + 1;
            terminated = TRUE;
            break;
          }
      if (!terminated)
        while (end > start + 2 && g_ascii_isspace (text[end - 1]))
          end--;
      /* Only a record of exactly the physical length can have been wrapped. */
      if (!physical_record (self, line, text + start, end - start, terminated,
                            end - start == self->phys_len && !terminated, error))
        return FALSE;
      i = next;
    }
  return TRUE;
}

/* Fixed-length physical records, several to a line. */
static gboolean
split_fixed (Bai2Parser *self,
             guint       line,
             const char *text,
             gsize       len,
             GError    **error)
{
  for (gsize i = 0; i < len; i += self->fixed_len)
    {
      gsize chunk = MIN (self->fixed_len, len - i);
      const char *p = text + i;
      gsize end = chunk;
      gboolean full = chunk == self->fixed_len && !g_ascii_isspace (p[chunk - 1]);
      gboolean terminated;

      while (end > 0 && g_ascii_isspace (p[end - 1]))
        end--;
      if (end == 0)
        continue;
      if (!looks_like_record (p, end))
        {
          if (!stray_line (self, line, p, end, error))
            return FALSE;
          continue;
        }
      terminated = p[end - 1] == '/';
      if (!physical_record (self, line, p, end, terminated, full && !terminated, error))
        return FALSE;
    }
  return TRUE;
}

/* Line 1 decides between line-delimited and fixed-length physical records. */
static void
detect_layout (Bai2Parser *self,
               const char *text,
               gsize       len)
{
  guint declared = 0;
  const char *p = text;
  const char *end = text + len;
  int field = 0;

  /* The 01 record's seventh field is the physical record length. */
  while (p < end && *p != '/' && field < 7)
    if (*p++ == ',')
      field++;
  if (field == 7)
    {
      const char *q = p;
      while (q < end && g_ascii_isdigit (*q))
        q++;
      if (q > p && q - p <= 4 && parse_count (p, (gsize) (q - p), &declared) &&
          (declared < 20 || declared > 4096))
        declared = 0;
    }

  for (int attempt = 0; attempt < 2; attempt++)
    {
      guint l = attempt == 0 ? declared : DEFAULT_PHYSICAL_LENGTH;

      if (l > 0 && len > l + 3 && looks_like_record (text + l, len - l) && text[l + 2] == ',' &&
          is_record_code ((text[l] - '0') * 10 + (text[l + 1] - '0')))
        {
          self->fixed_len = l;
          return;
        }
    }
}

static void
bai2_parser_clear (Bai2Parser *self)
{
  g_string_free (self->rec.buf, TRUE);
  g_string_free (self->rec.raw, TRUE);
  g_array_unref (self->rec.segs);
  g_free (self->file_id);
  g_free (self->account);
  g_free (self->statement_id);
}

gboolean
tsy_bai2_parse (GInputStream           *in,
                const char             *display_name,
                const TsyStatementSink *sink,
                gpointer                user_data,
                GCancellable           *cancellable,
                GError                **error)
{
  g_autoptr(TsyLineReader) reader = NULL;
  g_autoptr(GError) local_error = NULL;
  Bai2Parser self = { 0 };
  const char *line;
  gsize len;
  gboolean ok = TRUE;

  g_return_val_if_fail (G_IS_INPUT_STREAM (in), FALSE);
  g_return_val_if_fail (sink != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  self.name = display_name;
  self.sink = sink;
  self.user_data = user_data;
  self.phys_len = DEFAULT_PHYSICAL_LENGTH;
  self.rec.buf = g_string_new (NULL);
  self.rec.raw = g_string_new (NULL);
  self.rec.segs = g_array_new (FALSE, FALSE, sizeof (Segment));

  reader = tsy_line_reader_new (in, cancellable);
  while (ok)
    {
      guint n;

      if (!tsy_line_reader_next (reader, &line, &len, &local_error))
        {
          if (local_error != NULL)
            {
              /* The reader's own errors (a line too long) do not name the file. */
              if (local_error->domain == TSY_BANK_ERROR)
                g_prefix_error (&local_error, "%s: ", display (&self));
              ok = FALSE;
            }
          break;
        }
      n = tsy_line_reader_get_line (reader);
      if (n == 1)
        {
          if (len >= 3 && memcmp (line, "\xEF\xBB\xBF", 3) == 0)
            {
              line += 3;
              len -= 3;
            }
          detect_layout (&self, line, len);
        }
      if (self.fixed_len > 0)
        ok = split_fixed (&self, n, line, len, &local_error);
      else
        ok = split_line (&self, n, line, len, &local_error);
    }

  if (ok)
    {
      guint last = tsy_line_reader_get_line (reader);

      ok = flush_record (&self, &local_error);
      if (ok && !self.seen_01)
        ok = fail (&self, &local_error, TSY_BANK_ERROR_PARSE, MAX (last, 1), "%s",
                   _("the file has no 01 file header: it is empty or not a BAI2 file"));
      else if (ok && !self.seen_99)
        ok = fail (&self, &local_error, TSY_BANK_ERROR_PARSE, last, "%s",
                   _("the file ends without its 99 file trailer (it may be truncated)"));
    }

  bai2_parser_clear (&self);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return ok;
}
