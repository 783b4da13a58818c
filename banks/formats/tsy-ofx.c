/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * OFX statements: 1.x (SGML: "OFXHEADER:100" header lines, leaf elements
 * without end tags, often everything on one line) and 2.x (XML, "<?OFX …?>").
 *
 * One small tolerant tokenizer reads both from a chunked byte reader, so a
 * file of any size (or all on one line) is read in bounded memory. An
 * element followed by text is a leaf; its end tag, when there is one, is
 * consumed with it. An element followed by another tag is an aggregate; an
 * end tag closes every element opened since its start tag (SGML leaves that
 * were empty and so looked like aggregates are closed with it).
 *
 * Read: bank (STMTRS) and credit-card (CCSTMTRS) statements, any number per
 * file, with their BANKTRANLISTs (several per statement happen), STMTTRN,
 * LEDGERBAL (closing) and AVAILBAL (available). OFX has no opening balance.
 * Dates are the calendar date as written (the first 8 digits).
 *
 * Investment statements (INVSTMTRS) are skipped when the file also holds a
 * bank or credit-card statement (brokerages send both in one download); a
 * file with only investment statements is refused as unsupported. A file
 * with no statement (a sign-on failure, an error response, an account list)
 * is refused with the bank's status message when it gave one. Transaction
 * corrections (CORRECTACTION) are refused: a line cannot be deleted or
 * replaced through an import. An empty BALAMT is read as "no balance given"
 * (some banks export the element empty); an empty or missing CURDEF leaves
 * the statement currency unknown, and then an amount needs the transaction's
 * CURRENCY/CURSYM or the file is refused.
 */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "ledger/tsy-money.h"
#include "tsy-statement-format.h"

#define CHUNK (64 * 1024)
#define MAX_TEXT (64 * 1024)
#define MAX_TAG 1024
#define MAX_DEPTH 256
#define MAX_RAW (64 * 1024)

typedef enum
{
  TOK_EOF,
  TOK_START,
  TOK_END,
  TOK_EMPTY,      /* <X/> */
  TOK_TEXT,
} TokenType;

typedef struct
{
  TokenType type;
  GString  *name;     /* tags: the element name, upper case */
  GString  *text;     /* text: entities decoded */
  GString  *raw;      /* the bytes as read */
  gboolean  blank;    /* text of white space only */
  guint     line;
} Token;

typedef enum
{
  AGG_OTHER,
  AGG_OFX,
  AGG_SONRS,
  AGG_TRNRS,
  AGG_STATUS,
  AGG_STMTRS,
  AGG_CCSTMTRS,
  AGG_INVSTMTRS,
  AGG_ACCTFROM,
  AGG_ACCTTO,
  AGG_TRANLIST,
  AGG_STMTTRN,
  AGG_PAYEE,
  AGG_CURRENCY,
  AGG_ORIGCURRENCY,
  AGG_LEDGERBAL,
  AGG_AVAILBAL,
} Aggregate;

typedef struct
{
  char     *name;
  Aggregate kind;
} Element;

typedef struct
{
  gboolean active;
  gboolean begun;
  guint    line;
  GString *acctid;
  GString *bankid;
  GString *curdef;
  TsyDate  from;
  TsyDate  to;
  GString *ledger_amt;
  GString *ledger_asof;
  guint    ledger_line;
  GString *avail_amt;
  GString *avail_asof;
  guint    avail_line;
} Statement;

enum
{
  F_TRNTYPE,
  F_DTPOSTED,
  F_DTUSER,
  F_DTAVAIL,
  F_TRNAMT,
  F_FITID,
  F_CHECKNUM,
  F_REFNUM,
  F_NAME,
  F_MEMO,
  F_CORRECTACTION,
  F_PAYEE_NAME,       /* PAYEE/NAME */
  F_ACCTTO_ID,        /* BANKACCTTO/ACCTID, CCACCTTO/ACCTID */
  F_ACCTTO_BANK,      /* BANKACCTTO/BANKID */
  F_CURSYM,           /* CURRENCY/CURSYM */
  N_FIELDS
};

/* Leaves read directly inside STMTTRN, in the order of the enum above. */
static const char *const transaction_leaves[] = {
  "TRNTYPE", "DTPOSTED", "DTUSER", "DTAVAIL", "TRNAMT", "FITID", "CHECKNUM", "REFNUM", "NAME",
  "MEMO", "CORRECTACTION",
};

typedef struct
{
  gboolean active;
  guint    line;
  GString *f[N_FIELDS];
  guint    f_line[N_FIELDS];
  GString *raw;
} Transaction;

typedef struct
{
  const char             *display_name;
  const TsyStatementSink *sink;
  gpointer                user_data;

  /* bytes */
  GInputStream *in;
  GCancellable *cancellable;
  char         *buf;
  gsize         pos;
  gsize         len;
  gboolean      eof;
  guint         line;
  gboolean      prev_cr;

  /* tokens */
  Token    tokens[2];
  Token   *cur;
  Token   *peeked;         /* NULL or the token after cur */

  /* elements */
  GArray  *stack;          /* of Element */
  gboolean seen_root;
  gboolean root_closed;
  guint    in_investment;

  Statement   st;
  Transaction trn;

  guint    n_statements;
  guint    n_investment;
  guint    investment_line;
  /* The first failure status (sign-on or statement response), for "no statement". */
  gboolean status_in_signon;
  GString *status_code;
  GString *status_message;
  guint    status_line;
  gboolean status_is_failure;
  GString *pending_code;
  GString *pending_message;
  guint    pending_line;
} OfxParser;

static const struct
{
  const char *name;
  Aggregate   kind;
} aggregates[] = {
  { "OFX", AGG_OFX },
  { "SONRS", AGG_SONRS },
  { "STMTTRNRS", AGG_TRNRS },
  { "CCSTMTTRNRS", AGG_TRNRS },
  { "INVSTMTTRNRS", AGG_TRNRS },
  { "STATUS", AGG_STATUS },
  { "STMTRS", AGG_STMTRS },
  { "CCSTMTRS", AGG_CCSTMTRS },
  { "INVSTMTRS", AGG_INVSTMTRS },
  { "BANKACCTFROM", AGG_ACCTFROM },
  { "CCACCTFROM", AGG_ACCTFROM },
  { "BANKACCTTO", AGG_ACCTTO },
  { "CCACCTTO", AGG_ACCTTO },
  { "BANKTRANLIST", AGG_TRANLIST },
  { "STMTTRN", AGG_STMTTRN },
  { "PAYEE", AGG_PAYEE },
  { "CURRENCY", AGG_CURRENCY },
  { "ORIGCURRENCY", AGG_ORIGCURRENCY },
  { "LEDGERBAL", AGG_LEDGERBAL },
  { "AVAILBAL", AGG_AVAILBAL },
};

static Aggregate
aggregate_of (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (aggregates); i++)
    if (strcmp (aggregates[i].name, name) == 0)
      return aggregates[i].kind;
  return AGG_OTHER;
}

static const char *
display (const OfxParser *self)
{
  return self->display_name != NULL ? self->display_name : "";
}

G_GNUC_PRINTF (5, 6)
static gboolean
fail (OfxParser  *self,
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

/* Text as valid UTF-8: files declare CHARSET:1252 and hold UTF-8 or the reverse. */
static char *
to_utf8 (const char *text,
         gsize       len)
{
  char *converted;

  if (g_utf8_validate (text, (gssize) len, NULL))
    return g_strndup (text, len);
  converted = g_convert (text, (gssize) len, "UTF-8", "WINDOWS-1252", NULL, NULL, NULL);
  if (converted != NULL && g_utf8_validate (converted, -1, NULL))
    return converted;
  g_free (converted);
  return g_utf8_make_valid (text, (gssize) len);
}

static char *
excerpt (const GString *s)
{
  g_autofree char *text = to_utf8 (s->str, MIN (s->len, 40));

  if (s->len > 40)
    return g_strconcat (text, "…", NULL);
  return g_steal_pointer (&text);
}

/* ---- bytes ---- */

static gboolean
fill (OfxParser *self,
      GError   **error)
{
  gssize n;

  if (self->eof)
    return TRUE;
  /* Not every stream looks at the cancellable: check it between chunks. */
  if (g_cancellable_set_error_if_cancelled (self->cancellable, error))
    return FALSE;
  n = g_input_stream_read (self->in, self->buf, CHUNK, self->cancellable, error);
  if (n < 0)
    return FALSE;
  self->pos = 0;
  self->len = (gsize) n;
  if (n == 0)
    self->eof = TRUE;
  return TRUE;
}

/* The next byte without consuming it: 0–255, -1 at the end, -2 on error. */
static int
peek_byte (OfxParser *self,
           GError   **error)
{
  if (self->pos == self->len)
    {
      if (!fill (self, error))
        return -2;
      if (self->eof)
        return -1;
    }
  return (guchar) self->buf[self->pos];
}

static void
consume_byte (OfxParser *self,
              Token     *t)
{
  char c = self->buf[self->pos++];

  if (c == '\n')
    {
      if (!self->prev_cr)
        self->line++;
      self->prev_cr = FALSE;
    }
  else if (c == '\r')
    {
      self->line++;
      self->prev_cr = TRUE;
    }
  else
    self->prev_cr = FALSE;
  if (t != NULL && t->raw->len < MAX_TEXT + MAX_TAG)
    g_string_append_c (t->raw, c);
}

/* Consumes bytes up to and including @end (e.g. "-->"); FALSE at the end of the file. */
static gboolean
skip_past (OfxParser  *self,
           const char *end,
           gboolean   *found,
           GError    **error)
{
  gsize n = strlen (end), matched = 0;

  *found = FALSE;
  for (;;)
    {
      int c = peek_byte (self, error);

      if (c == -2)
        return FALSE;
      if (c == -1)
        return TRUE;
      consume_byte (self, NULL);
      if (c == end[matched])
        matched++;
      else
        matched = c == end[0] ? 1 : 0;
      if (matched == n)
        {
          *found = TRUE;
          return TRUE;
        }
    }
}

static void
decode_entities (GString    *out,
                 const char *text,
                 gsize       len)
{
  static const struct { const char *name; const char *value; } named[] = {
    { "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" }, { "apos", "'" },
    { "nbsp", "\xC2\xA0" },
  };

  for (gsize i = 0; i < len; i++)
    {
      const char *semi;
      gsize n;
      gboolean done = FALSE;

      if (text[i] != '&' || (semi = memchr (text + i, ';', MIN (len - i, 12))) == NULL)
        {
          g_string_append_c (out, text[i]);
          continue;
        }
      n = (gsize) (semi - (text + i + 1));
      if (n >= 2 && text[i + 1] == '#')
        {
          gunichar u = 0;
          gboolean hex = text[i + 2] == 'x' || text[i + 2] == 'X';
          gsize k = hex ? 3 : 2;
          gboolean ok = k <= n;

          for (; ok && k <= n; k++)
            {
              char c = text[i + k];
              int d = hex ? g_ascii_xdigit_value (c) : g_ascii_digit_value (c);
              if (d < 0 || u > 0x10FFFF)
                ok = FALSE;
              else
                u = u * (hex ? 16 : 10) + (gunichar) d;
            }
          if (ok && u != 0 && g_unichar_validate (u))
            {
              g_string_append_unichar (out, u);
              done = TRUE;
            }
        }
      else
        for (gsize k = 0; k < G_N_ELEMENTS (named); k++)
          if (strlen (named[k].name) == n && memcmp (text + i + 1, named[k].name, n) == 0)
            {
              g_string_append (out, named[k].value);
              done = TRUE;
              break;
            }
      if (done)
        i += n + 1;
      else
        g_string_append_c (out, text[i]);
    }
}

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '.' || c == '_' || c == '-' || c == ':';
}

/* ---- tokens ---- */

static gboolean
read_token (OfxParser *self,
            Token     *t,
            GError   **error)
{
  for (;;)
    {
      int c;

      g_string_truncate (t->name, 0);
      g_string_truncate (t->text, 0);
      g_string_truncate (t->raw, 0);
      t->blank = TRUE;
      t->line = self->line;

      c = peek_byte (self, error);
      if (c == -2)
        return FALSE;
      if (c == -1)
        {
          t->type = TOK_EOF;
          return TRUE;
        }

      if (c != '<')
        {
          /* Text up to the next tag. */
          while ((c = peek_byte (self, error)) >= 0 && c != '<')
            {
              if (t->raw->len >= MAX_TEXT)
                return fail (self, error, TSY_BANK_ERROR_PARSE, t->line, "%s",
                             self->seen_root ? _("a text between two tags is too long")
                                             : _("this is not an OFX file (no <OFX> element)"));
              if (!g_ascii_isspace (c))
                t->blank = FALSE;
              consume_byte (self, t);
            }
          if (c == -2)
            return FALSE;
          decode_entities (t->text, t->raw->str, t->raw->len);
          t->type = TOK_TEXT;
          return TRUE;
        }

      consume_byte (self, t);
      c = peek_byte (self, error);
      if (c == -2)
        return FALSE;

      if (c == '!' || c == '?')
        {
          gboolean found;
          const char *end = c == '?' ? "?>" : ">";

          consume_byte (self, t);
          if (c == '!')
            {
              /* A comment, CDATA, or a declaration. */
              char head[8] = { 0 };
              gsize n = 0;

              while (n < 7 && (c = peek_byte (self, error)) >= 0 && c != '>')
                {
                  head[n++] = (char) c;
                  consume_byte (self, t);
                  if (n == 2 && memcmp (head, "--", 2) == 0)
                    break;
                }
              if (c == -2)
                return FALSE;
              if (n == 2 && memcmp (head, "--", 2) == 0)
                end = "-->";
              else if (n == 7 && memcmp (head, "[CDATA[", 7) == 0)
                {
                  /* CDATA: text as is, up to "]]>". */
                  gsize matched = 0;

                  for (;;)
                    {
                      c = peek_byte (self, error);
                      if (c == -2)
                        return FALSE;
                      if (c == -1)
                        return fail (self, error, TSY_BANK_ERROR_PARSE, t->line, "%s",
                                     _("the file ends inside a CDATA section"));
                      if (t->text->len >= MAX_TEXT)
                        return fail (self, error, TSY_BANK_ERROR_PARSE, t->line, "%s",
                                     _("a text between two tags is too long"));
                      consume_byte (self, t);
                      g_string_append_c (t->text, (char) c);
                      if (c == ']')
                        matched = matched < 2 ? matched + 1 : 2;
                      else if (c == '>' && matched == 2)
                        break;
                      else
                        matched = 0;
                    }
                  g_string_truncate (t->text, t->text->len - 3);
                  for (gsize i = 0; i < t->text->len; i++)
                    if (!g_ascii_isspace (t->text->str[i]))
                      t->blank = FALSE;
                  t->type = TOK_TEXT;
                  return TRUE;
                }
            }
          if (!skip_past (self, end, &found, error))
            return FALSE;
          if (!found)
            return fail (self, error, TSY_BANK_ERROR_PARSE, t->line, "%s",
                         c == '?' ? _("the file ends inside a processing instruction")
                                  : _("the file ends inside a comment or declaration"));
          continue;
        }

      /* A start or end tag. */
      {
        gboolean end_tag = c == '/';
        GString *tag = t->text;
        gsize i = 0;

        if (end_tag)
          consume_byte (self, t);
        while ((c = peek_byte (self, error)) >= 0 && c != '>')
          {
            if (c == '<' || tag->len >= MAX_TAG)
              break;
            g_string_append_c (tag, (char) c);
            consume_byte (self, t);
          }
        if (c == -2)
          return FALSE;
        if (c != '>')
          {
            g_autofree char *copy = excerpt (t->raw);
            return fail (self, error, TSY_BANK_ERROR_PARSE, t->line,
                         c == -1 ? _("the file ends inside the tag “%s”")
                                 : _("“%s” is not a well-formed tag"), copy);
          }
        consume_byte (self, t);

        while (i < tag->len && is_name_char (tag->str[i]))
          i++;
        if (i == 0 || (i < tag->len && !g_ascii_isspace (tag->str[i]) && tag->str[i] != '/'))
          {
            g_autofree char *copy = excerpt (t->raw);
            return fail (self, error, TSY_BANK_ERROR_PARSE, t->line,
                         _("“%s” is not a well-formed tag"), copy);
          }
        g_string_append_len (t->name, tag->str, i);
        for (gsize k = 0; k < t->name->len; k++)
          t->name->str[k] = g_ascii_toupper (t->name->str[k]);
        if (end_tag)
          t->type = TOK_END;
        else if (tag->len > 0 && tag->str[tag->len - 1] == '/')
          t->type = TOK_EMPTY;
        else
          t->type = TOK_START;
        g_string_truncate (tag, 0);
        return TRUE;
      }
    }
}

/* Makes the token after cur available in self->peeked. */
static gboolean
peek_token (OfxParser *self,
            GError   **error)
{
  if (self->peeked == NULL)
    {
      Token *other = self->cur == &self->tokens[0] ? &self->tokens[1] : &self->tokens[0];

      if (!read_token (self, other, error))
        return FALSE;
      self->peeked = other;
    }
  return TRUE;
}

static void
capture (OfxParser   *self,
         const Token *t)
{
  if (self->trn.active && self->trn.raw->len + t->raw->len <= MAX_RAW)
    g_string_append_len (self->trn.raw, t->raw->str, t->raw->len);
}

/* Advances cur to the next token. */
static gboolean
next_token (OfxParser *self,
            GError   **error)
{
  if (self->peeked != NULL)
    {
      self->cur = self->peeked;
      self->peeked = NULL;
    }
  else if (!read_token (self, self->cur, error))
    return FALSE;
  if (self->cur->type != TOK_END)
    capture (self, self->cur);
  return TRUE;
}

/* ---- values ---- */

static void
set_value (GString     *field,
           const Token *t)
{
  const char *p = t->text->str;
  gsize len = t->text->len;

  while (len > 0 && g_ascii_isspace (*p))
    {
      p++;
      len--;
    }
  while (len > 0 && g_ascii_isspace (p[len - 1]))
    len--;
  g_string_truncate (field, 0);
  if (len > 0)
    {
      g_autofree char *utf8 = to_utf8 (p, len);
      g_string_append (field, utf8);
    }
}

static const char *
value_or_null (const GString *s)
{
  return s->len > 0 ? s->str : NULL;
}

/* "20130525", "20130525120000.000[-5:EST]": the calendar date as written. */
static gboolean
parse_date (OfxParser     *self,
            const GString *value,
            const char    *element,
            guint          line,
            TsyDate       *out,
            GError       **error)
{
  int v = 0;

  for (int i = 0; i < 8; i++)
    {
      if ((gsize) i >= value->len || !g_ascii_isdigit (value->str[i]))
        goto bad;
      v = v * 10 + (value->str[i] - '0');
    }
  *out = tsy_date_from_ymd (v / 10000, v / 100 % 100, v % 100);
  if (*out != TSY_DATE_NONE)
    return TRUE;

bad:
  {
    g_autofree char *copy = excerpt (value);
    /* Translators: %1$s an OFX element name, %2$s its value */
    return fail (self, error, TSY_BANK_ERROR_PARSE, line, _("%1$s “%2$s” is not a date"),
                 element, copy);
  }
}

/* A signed decimal; '.' is the decimal point unless only ',' appears (or ',' comes last). */
static gboolean
parse_amount (OfxParser     *self,
              const GString *value,
              const char    *currency,
              const char    *element,
              guint          line,
              gint64        *out,
              GError       **error)
{
  g_autoptr(GError) local = NULL;
  const char *comma = strrchr (value->str, ',');
  const char *dot = strrchr (value->str, '.');
  TsyDecimalStyle style = comma != NULL && (dot == NULL || comma > dot) ? TSY_DECIMAL_COMMA
                                                                        : TSY_DECIMAL_POINT;

  if (tsy_money_parse (value->str, (gssize) value->len, currency, style, out, &local))
    return TRUE;
  {
    /* The ledger's message quotes a cut copy of the text, maybe cut inside a character. */
    g_autofree char *reason = g_utf8_make_valid (local->message, -1);
    /* Translators: %1$s an OFX element name such as TRNAMT, %2$s why its amount is wrong */
    return fail (self, error, TSY_BANK_ERROR_PARSE, line, _("%1$s: %2$s"), element, reason);
  }
}

/* ---- statements ---- */

static void
header_init (OfxParser          *self,
             TsyStatementHeader *h)
{
  memset (h, 0, sizeof *h);
  h->format = "ofx";
  h->kind = TSY_STATEMENT_KIND_FINAL;
  h->account = self->st.acctid->str;
  h->currency = value_or_null (self->st.curdef);
  h->from_date = self->st.from;
  h->to_date = self->st.to;
  h->source_line = self->st.line;
}

static gboolean
begin_statement (OfxParser *self,
                 GError   **error)
{
  TsyStatementHeader h;

  if (self->st.begun)
    return TRUE;
  if (self->st.acctid->len == 0)
    return fail (self, error, TSY_BANK_ERROR_PARSE, self->st.line, "%s",
                 _("the statement has no account number (BANKACCTFROM or CCACCTFROM with ACCTID)"));
  self->st.begun = TRUE;
  header_init (self, &h);
  return self->sink->begin_statement (self->user_data, &h, error);
}

static gboolean
balance (OfxParser     *self,
         const GString *amount,
         const GString *asof,
         guint          line,
         const char    *element,
         gboolean      *has,
         gint64        *minor,
         TsyDate       *date,
         GError       **error)
{
  *has = FALSE;
  if (amount->len == 0)
    return TRUE;
  if (self->st.curdef->len == 0)
    return fail (self, error, TSY_BANK_ERROR_PARSE, line,
                 _("%s has an amount but the statement has no currency (CURDEF)"), element);
  if (!parse_amount (self, amount, self->st.curdef->str, element, line, minor, error))
    return FALSE;
  if (asof->len > 0 && !parse_date (self, asof, "DTASOF", line, date, error))
    return FALSE;
  if (asof->len == 0)
    *date = self->st.to;
  *has = TRUE;
  return TRUE;
}

static gboolean
end_statement (OfxParser *self,
               GError   **error)
{
  TsyStatementHeader h;

  if (!begin_statement (self, error))
    return FALSE;
  header_init (self, &h);
  if (!balance (self, self->st.ledger_amt, self->st.ledger_asof, self->st.ledger_line,
                "LEDGERBAL", &h.has_closing, &h.closing_minor, &h.closing_date, error) ||
      !balance (self, self->st.avail_amt, self->st.avail_asof, self->st.avail_line,
                "AVAILBAL", &h.has_available, &h.available_minor, &h.available_date, error))
    return FALSE;
  self->st.active = FALSE;
  self->n_statements++;
  return self->sink->end_statement (self->user_data, &h, error);
}

static void
statement_reset (Statement *st)
{
  st->active = FALSE;
  st->begun = FALSE;
  g_string_truncate (st->acctid, 0);
  g_string_truncate (st->bankid, 0);
  g_string_truncate (st->curdef, 0);
  st->from = TSY_DATE_NONE;
  st->to = TSY_DATE_NONE;
  g_string_truncate (st->ledger_amt, 0);
  g_string_truncate (st->ledger_asof, 0);
  g_string_truncate (st->avail_amt, 0);
  g_string_truncate (st->avail_asof, 0);
}

static gboolean
emit_transaction (OfxParser *self,
                  GError   **error)
{
  Transaction *t = &self->trn;
  GString **f = t->f;
  TsyStatementEntry e = { 0 };
  const char *currency;
  g_autofree char *raw = NULL;

  t->active = FALSE;
  if (!begin_statement (self, error))
    return FALSE;
  if (f[F_CORRECTACTION]->len > 0)
    return fail (self, error, TSY_BANK_ERROR_UNSUPPORTED, t->f_line[F_CORRECTACTION], "%s",
                 _("the transaction corrects an earlier one (CORRECTACTION); corrections are not "
                   "supported"));
  if (f[F_DTPOSTED]->len == 0)
    return fail (self, error, TSY_BANK_ERROR_PARSE, t->line, "%s",
                 _("the transaction has no posting date (DTPOSTED)"));
  if (!parse_date (self, f[F_DTPOSTED], "DTPOSTED", t->f_line[F_DTPOSTED], &e.booking_date,
                   error))
    return FALSE;
  if (f[F_DTAVAIL]->len > 0 &&
      !parse_date (self, f[F_DTAVAIL], "DTAVAIL", t->f_line[F_DTAVAIL], &e.value_date, error))
    return FALSE;

  if (f[F_TRNAMT]->len == 0)
    return fail (self, error, TSY_BANK_ERROR_PARSE, t->line, "%s",
                 _("the transaction has no amount (TRNAMT)"));
  /* CURRENCY says the amounts are in CURSYM; ORIGCURRENCY only tells where they came from. */
  currency = f[F_CURSYM]->len > 0 ? f[F_CURSYM]->str : value_or_null (self->st.curdef);
  if (currency == NULL)
    return fail (self, error, TSY_BANK_ERROR_PARSE, t->f_line[F_TRNAMT], "%s",
                 _("the transaction amount has no currency (the statement has no CURDEF)"));
  if (!tsy_currency_is_known (currency))
    {
      g_autofree char *copy = excerpt (f[F_CURSYM]);
      return fail (self, error, TSY_BANK_ERROR_PARSE, t->f_line[F_CURSYM],
                   _("unknown currency “%s” (CURSYM)"), copy);
    }
  if (!parse_amount (self, f[F_TRNAMT], currency, "TRNAMT", t->f_line[F_TRNAMT],
                     &e.amount_minor, error))
    return FALSE;
  if (f[F_CURSYM]->len > 0 && strcmp (f[F_CURSYM]->str, self->st.curdef->str) != 0)
    e.currency = f[F_CURSYM]->str;

  e.bank_ref = value_or_null (f[F_FITID]);
  /* A cheque number of zeros is a filler, not a reference to match on. */
  if (f[F_CHECKNUM]->len > 0 && strspn (f[F_CHECKNUM]->str, "0") != f[F_CHECKNUM]->len)
    e.customer_ref = f[F_CHECKNUM]->str;
  else
    e.customer_ref = value_or_null (f[F_REFNUM]);
  e.counterparty_name = f[F_PAYEE_NAME]->len > 0 ? f[F_PAYEE_NAME]->str
                                                 : value_or_null (f[F_NAME]);
  e.counterparty_account = value_or_null (f[F_ACCTTO_ID]);
  e.counterparty_bank = value_or_null (f[F_ACCTTO_BANK]);
  e.text = f[F_MEMO]->len > 0 ? f[F_MEMO]->str : e.counterparty_name;
  e.bank_tx_code = value_or_null (f[F_TRNTYPE]);
  raw = to_utf8 (t->raw->str, t->raw->len);
  e.raw = raw;
  e.source_line = t->line;
  return self->sink->entry (self->user_data, &e, error);
}

/* ---- element events ---- */

/* The innermost known aggregate (@depth 0) or the one around it (1). */
static Aggregate
context (OfxParser *self,
         guint      depth)
{
  for (guint i = self->stack->len; i > 0; i--)
    {
      Aggregate kind = g_array_index (self->stack, Element, i - 1).kind;
      if (kind != AGG_OTHER && depth-- == 0)
        return kind;
    }
  return AGG_OTHER;
}

static gboolean
on_start (OfxParser   *self,
          Aggregate    kind,
          const Token *t,
          GError     **error)
{
  if (kind == AGG_INVSTMTRS)
    {
      if (self->in_investment++ == 0 && self->n_investment++ == 0)
        self->investment_line = t->line;
      return TRUE;
    }
  if (self->in_investment > 0)
    return TRUE;

  switch (kind)
    {
    case AGG_STMTRS:
    case AGG_CCSTMTRS:
      if (self->st.active)
        return fail (self, error, TSY_BANK_ERROR_PARSE, t->line, "%s",
                     _("a statement starts inside another statement"));
      statement_reset (&self->st);
      self->st.active = TRUE;
      self->st.line = t->line;
      break;

    case AGG_STMTTRN:
      if (self->st.active)
        {
          if (self->trn.active)
            return fail (self, error, TSY_BANK_ERROR_PARSE, t->line, "%s",
                         _("a transaction starts inside another transaction"));
          for (int i = 0; i < N_FIELDS; i++)
            {
              g_string_truncate (self->trn.f[i], 0);
              self->trn.f_line[i] = t->line;
            }
          self->trn.active = TRUE;
          self->trn.line = t->line;
          g_string_truncate (self->trn.raw, 0);
          capture (self, t);
        }
      break;

    case AGG_STATUS:
      g_string_truncate (self->pending_code, 0);
      g_string_truncate (self->pending_message, 0);
      self->pending_line = t->line;
      break;

    default:
      break;
    }
  return TRUE;
}

static gboolean
on_end (OfxParser *self,
        Aggregate  kind,
        Aggregate  outer,
        GError   **error)
{
  if (kind == AGG_INVSTMTRS)
    {
      self->in_investment--;
      return TRUE;
    }
  if (self->in_investment > 0)
    return TRUE;

  switch (kind)
    {
    case AGG_STMTRS:
    case AGG_CCSTMTRS:
      if (self->st.active)
        {
          if (self->trn.active && !emit_transaction (self, error))
            return FALSE;
          return end_statement (self, error);
        }
      break;

    case AGG_STMTTRN:
      if (self->trn.active)
        return emit_transaction (self, error);
      break;

    case AGG_STATUS:
      /* Keep the first failure; code 0 is success. */
      if (!self->status_is_failure && self->pending_code->len > 0 &&
          strcmp (self->pending_code->str, "0") != 0)
        {
          self->status_is_failure = TRUE;
          self->status_in_signon = outer == AGG_SONRS;
          g_string_assign (self->status_code, self->pending_code->str);
          g_string_assign (self->status_message, self->pending_message->str);
          self->status_line = self->pending_line;
        }
      break;

    default:
      break;
    }
  return TRUE;
}

static gboolean
on_leaf (OfxParser   *self,
         const char  *name,
         const Token *value,
         guint        line,
         GError     **error)
{
  Aggregate ctx = context (self, 0);
  Statement *st = &self->st;
  Transaction *t = &self->trn;

  if (self->in_investment > 0)
    return TRUE;

  switch (ctx)
    {
    case AGG_STATUS:
      if (strcmp (name, "CODE") == 0)
        set_value (self->pending_code, value);
      else if (strcmp (name, "MESSAGE") == 0)
        set_value (self->pending_message, value);
      break;

    case AGG_STMTRS:
    case AGG_CCSTMTRS:
      if (st->active && strcmp (name, "CURDEF") == 0)
        {
          set_value (st->curdef, value);
          for (gsize i = 0; i < st->curdef->len; i++)
            st->curdef->str[i] = g_ascii_toupper (st->curdef->str[i]);
          if (st->curdef->len > 0 && !tsy_currency_is_known (st->curdef->str))
            {
              g_autofree char *copy = excerpt (st->curdef);
              return fail (self, error, TSY_BANK_ERROR_PARSE, line,
                           _("unknown currency “%s” (CURDEF)"), copy);
            }
        }
      break;

    case AGG_ACCTFROM:
      if (st->active && strcmp (name, "ACCTID") == 0)
        set_value (st->acctid, value);
      else if (st->active && strcmp (name, "BANKID") == 0)
        set_value (st->bankid, value);
      break;

    case AGG_TRANLIST:
      if (st->active && !t->active &&
          (strcmp (name, "DTSTART") == 0 || strcmp (name, "DTEND") == 0))
        {
          g_autoptr(GString) v = g_string_new (NULL);
          gboolean start = name[2] == 'S';
          TsyDate date;

          set_value (v, value);
          if (v->len == 0)
            break;
          if (!parse_date (self, v, name, line, &date, error))
            return FALSE;
          /* Several BANKTRANLISTs: the period covers them all. */
          if (start && (st->from == TSY_DATE_NONE || date < st->from))
            st->from = date;
          if (!start && (st->to == TSY_DATE_NONE || date > st->to))
            st->to = date;
        }
      break;

    case AGG_STMTTRN:
      if (!t->active)
        break;
      for (int i = 0; i < (int) G_N_ELEMENTS (transaction_leaves); i++)
        if (strcmp (name, transaction_leaves[i]) == 0)
          {
            set_value (t->f[i], value);
            t->f_line[i] = line;
            break;
          }
      break;

    case AGG_PAYEE:
      if (t->active && strcmp (name, "NAME") == 0)
        set_value (t->f[F_PAYEE_NAME], value);
      break;

    case AGG_ACCTTO:
      if (t->active && strcmp (name, "ACCTID") == 0)
        set_value (t->f[F_ACCTTO_ID], value);
      else if (t->active && strcmp (name, "BANKID") == 0)
        set_value (t->f[F_ACCTTO_BANK], value);
      break;

    case AGG_CURRENCY:
      if (t->active && strcmp (name, "CURSYM") == 0)
        {
          GString *cursym = t->f[F_CURSYM];

          set_value (cursym, value);
          for (gsize i = 0; i < cursym->len; i++)
            cursym->str[i] = g_ascii_toupper (cursym->str[i]);
        }
      break;

    case AGG_LEDGERBAL:
    case AGG_AVAILBAL:
      if (st->active && !t->active)
        {
          gboolean ledger = ctx == AGG_LEDGERBAL;

          if (strcmp (name, "BALAMT") == 0)
            {
              set_value (ledger ? st->ledger_amt : st->avail_amt, value);
              if (ledger)
                st->ledger_line = line;
              else
                st->avail_line = line;
            }
          else if (strcmp (name, "DTASOF") == 0)
            set_value (ledger ? st->ledger_asof : st->avail_asof, value);
        }
      break;

    default:
      break;
    }
  return TRUE;
}

static gboolean
push (OfxParser   *self,
      const Token *t,
      GError     **error)
{
  Element e;

  if (self->stack->len >= MAX_DEPTH)
    return fail (self, error, TSY_BANK_ERROR_PARSE, t->line, "%s",
                 _("elements are nested too deeply"));
  e.name = g_strdup (t->name->str);
  e.kind = aggregate_of (e.name);
  g_array_append_val (self->stack, e);
  return on_start (self, e.kind, t, error);
}

/* The innermost open element named @name, as 1 + its index; 0 when none is open. */
static guint
find_open (OfxParser  *self,
           const char *name)
{
  for (guint i = self->stack->len; i > 0; i--)
    if (strcmp (g_array_index (self->stack, Element, i - 1).name, name) == 0)
      return i;
  return 0;
}

/* Whether an end tag for @name closes the transaction or something inside it. */
static gboolean
closes_inside_transaction (OfxParser  *self,
                           const char *name)
{
  guint at = find_open (self, name);
  guint trn = find_open (self, "STMTTRN");

  return at > 0 && trn > 0 && at >= trn;
}

/* Closes every element up to and including the innermost @name, if it is open. */
static gboolean
close_element (OfxParser  *self,
               const char *name,
               GError    **error)
{
  guint i = find_open (self, name);

  if (i == 0)
    return TRUE;          /* a stray end tag */

  while (self->stack->len >= i)
    {
      Element e = g_array_index (self->stack, Element, self->stack->len - 1);
      gboolean ok;

      g_array_set_size (self->stack, self->stack->len - 1);
      ok = on_end (self, e.kind, context (self, 0), error);
      if (e.kind == AGG_OFX)
        self->root_closed = TRUE;
      g_free (e.name);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

/* An element without content: an empty leaf, or an aggregate opened and closed. */
static gboolean
empty_element (OfxParser   *self,
               const Token *t,
               GError     **error)
{
  if (aggregate_of (t->name->str) == AGG_OTHER)
    {
      g_autoptr(GString) none = g_string_new (NULL);
      Token blank = *t;

      blank.type = TOK_TEXT;
      blank.text = none;
      return on_leaf (self, t->name->str, &blank, t->line, error);
    }
  if (!push (self, t, error))
    return FALSE;
  return close_element (self, t->name->str, error);
}

/* Consumes the end tag in self->peeked, which closes the element just read. */
static gboolean
consume_end_tag (OfxParser *self,
                 GError   **error)
{
  if (!next_token (self, error))
    return FALSE;
  capture (self, self->cur);
  return TRUE;
}

/*
 * The start tag in self->cur opens a leaf (text follows), an empty element (its
 * own end tag follows, maybe after white space), or an aggregate (anything else).
 */
static gboolean
start_element (OfxParser *self,
               GError   **error)
{
  g_autoptr(GString) name = g_string_new (self->cur->name->str);
  g_autoptr(GString) raw = g_string_new_len (self->cur->raw->str, self->cur->raw->len);
  g_autoptr(GString) none = g_string_new (NULL);
  Token start = { TOK_START, name, none, raw, TRUE, self->cur->line };

  if (!peek_token (self, error))
    return FALSE;

  if (self->peeked->type == TOK_TEXT && !self->peeked->blank)
    {
      if (!next_token (self, error) ||
          !on_leaf (self, name->str, self->cur, start.line, error) ||
          !peek_token (self, error))
        return FALSE;
      if (self->peeked->type == TOK_END && strcmp (self->peeked->name->str, name->str) == 0)
        return consume_end_tag (self, error);
      return TRUE;
    }

  if (self->peeked->type == TOK_TEXT)
    {
      /* White space: what follows it decides. */
      if (!next_token (self, error) || !peek_token (self, error))
        return FALSE;
    }
  if (self->peeked->type == TOK_END && strcmp (self->peeked->name->str, name->str) == 0)
    {
      if (!consume_end_tag (self, error))
        return FALSE;
      return empty_element (self, &start, error);
    }
  return push (self, &start, error);
}

/* Reads the file as elements until </OFX>. */
static gboolean
run (OfxParser *self,
     GError   **error)
{
  while (!self->root_closed)
    {
      Token *t;

      if (!next_token (self, error))
        return FALSE;
      t = self->cur;

      switch (t->type)
        {
        case TOK_EOF:
          if (!self->seen_root)
            return fail (self, error, TSY_BANK_ERROR_PARSE, MAX (self->line, 1), "%s",
                         _("this is not an OFX file (no <OFX> element)"));
          return fail (self, error, TSY_BANK_ERROR_PARSE, self->line, "%s",
                       _("the file ends before </OFX> (it may be truncated)"));

        case TOK_TEXT:
          break;          /* the OFX 1 header, or white space between elements */

        case TOK_END:
          if (self->seen_root)
            {
              if (self->trn.active && closes_inside_transaction (self, t->name->str))
                capture (self, t);
              if (!close_element (self, t->name->str, error))
                return FALSE;
            }
          break;

        case TOK_EMPTY:
        case TOK_START:
          if (!self->seen_root)
            {
              if (strcmp (t->name->str, "OFX") != 0 || t->type == TOK_EMPTY)
                {
                  g_autofree char *copy = excerpt (t->raw);
                  return fail (self, error, TSY_BANK_ERROR_PARSE, t->line,
                               _("this is not an OFX file (it starts with “%s”, not <OFX>)"),
                               copy);
                }
              self->seen_root = TRUE;
              if (!push (self, t, error))
                return FALSE;
              break;
            }
          if (t->type == TOK_EMPTY)
            {
              if (!empty_element (self, t, error))
                return FALSE;
              break;
            }
          if (!start_element (self, error))
            return FALSE;
          break;

        default:
          g_assert_not_reached ();
        }
    }
  return TRUE;
}

static gboolean
no_statement (OfxParser *self,
              GError   **error)
{
  if (self->n_investment > 0)
    return fail (self, error, TSY_BANK_ERROR_UNSUPPORTED, self->investment_line, "%s",
                 _("investment statements (INVSTMTRS) are not supported, and the file holds no "
                   "bank or credit card statement"));
  if (self->status_is_failure)
    {
      g_autofree char *message = self->status_message->len > 0
                                 ? g_strdup (self->status_message->str)
                                 : g_strdup (_("no message"));
      if (self->status_in_signon)
        /* Translators: %1$s an OFX status code, %2$s the bank's message */
        return fail (self, error, TSY_BANK_ERROR_PARSE, self->status_line,
                     _("no statement in the file: the sign-on failed with code %1$s (%2$s)"),
                     self->status_code->str, message);
      return fail (self, error, TSY_BANK_ERROR_PARSE, self->status_line,
                   _("no statement in the file: the bank reported error %1$s (%2$s)"),
                   self->status_code->str, message);
    }
  /* Translators: %s is a file name */
  g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PARSE, _("%s: no statement in the file"),
               display (self));
  return FALSE;
}

static void
ofx_parser_init (OfxParser *self)
{
  self->buf = g_malloc (CHUNK);
  self->line = 1;
  for (int i = 0; i < 2; i++)
    {
      self->tokens[i].name = g_string_new (NULL);
      self->tokens[i].text = g_string_new (NULL);
      self->tokens[i].raw = g_string_new (NULL);
    }
  self->cur = &self->tokens[0];
  self->stack = g_array_new (FALSE, FALSE, sizeof (Element));
  self->st.acctid = g_string_new (NULL);
  self->st.bankid = g_string_new (NULL);
  self->st.curdef = g_string_new (NULL);
  self->st.ledger_amt = g_string_new (NULL);
  self->st.ledger_asof = g_string_new (NULL);
  self->st.avail_amt = g_string_new (NULL);
  self->st.avail_asof = g_string_new (NULL);
  for (int i = 0; i < N_FIELDS; i++)
    self->trn.f[i] = g_string_new (NULL);
  self->trn.raw = g_string_new (NULL);
  self->status_code = g_string_new (NULL);
  self->status_message = g_string_new (NULL);
  self->pending_code = g_string_new (NULL);
  self->pending_message = g_string_new (NULL);
}

static void
ofx_parser_clear (OfxParser *self)
{
  g_free (self->buf);
  for (int i = 0; i < 2; i++)
    {
      g_string_free (self->tokens[i].name, TRUE);
      g_string_free (self->tokens[i].text, TRUE);
      g_string_free (self->tokens[i].raw, TRUE);
    }
  for (guint i = 0; i < self->stack->len; i++)
    g_free (g_array_index (self->stack, Element, i).name);
  g_array_unref (self->stack);
  g_string_free (self->st.acctid, TRUE);
  g_string_free (self->st.bankid, TRUE);
  g_string_free (self->st.curdef, TRUE);
  g_string_free (self->st.ledger_amt, TRUE);
  g_string_free (self->st.ledger_asof, TRUE);
  g_string_free (self->st.avail_amt, TRUE);
  g_string_free (self->st.avail_asof, TRUE);
  for (int i = 0; i < N_FIELDS; i++)
    g_string_free (self->trn.f[i], TRUE);
  g_string_free (self->trn.raw, TRUE);
  g_string_free (self->status_code, TRUE);
  g_string_free (self->status_message, TRUE);
  g_string_free (self->pending_code, TRUE);
  g_string_free (self->pending_message, TRUE);
}

gboolean
tsy_ofx_parse (GInputStream           *in,
               const char             *display_name,
               const TsyStatementSink *sink,
               gpointer                user_data,
               GCancellable           *cancellable,
               GError                **error)
{
  OfxParser self = { 0 };
  gboolean ok;

  g_return_val_if_fail (G_IS_INPUT_STREAM (in), FALSE);
  g_return_val_if_fail (sink != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  self.display_name = display_name;
  self.sink = sink;
  self.user_data = user_data;
  self.in = in;
  self.cancellable = cancellable;
  ofx_parser_init (&self);

  ok = run (&self, error);
  if (ok && self.n_statements == 0)
    ok = no_statement (&self, error);

  ofx_parser_clear (&self);
  return ok;
}
