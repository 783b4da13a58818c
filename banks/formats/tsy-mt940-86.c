/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The :86: field of MT940 in its dialects — structured "/EREF/.../NAME/..." (Dutch and
 * other banks), German "?20...?34" with SEPA keywords, and free text — and the sanitizer
 * that turns what banks write (UTF-8, Windows-1252, Latin-1, control characters) into
 * valid UTF-8.
 */
#include <string.h>

#include "ledger/tsy-iban.h"
#include "tsy-mt940-private.h"

/* Windows-1252 for the bytes 0x80-0x9F of text that is not UTF-8; the rest is Latin-1. */
static const gunichar cp1252[32] = {
  0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
  0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0xFFFD,
};

typedef struct
{
  const char *name;
  gsize       len;
} Keyword;
#define KW(s) { s, sizeof (s) - 1 }

/* Codes of the structured :86: of Dutch and other banks ("/EREF/.../NAME/..."). */
static const Keyword slash_keys[] = {
  KW ("ACCW"), KW ("ADDR"), KW ("ATOL"), KW ("BENM"), KW ("BIC"), KW ("BUSP"), KW ("CDTRREF"),
  KW ("CDTRREFTP"), KW ("CHGS"), KW ("CNTP"), KW ("CSID"), KW ("EREF"), KW ("EXCH"), KW ("IBAN"),
  KW ("ID"), KW ("IREF"), KW ("ISDT"), KW ("KREF"), KW ("MARF"), KW ("NAME"), KW ("OCMT"),
  KW ("ORDP"), KW ("PREF"), KW ("PURP"), KW ("REMI"), KW ("RTRN"), KW ("RTYP"), KW ("SUM"),
  KW ("SVCL"), KW ("TRCD"), KW ("TRTP"), KW ("ULTB"), KW ("ULTC"), KW ("ULTD"),
};

/* SEPA keywords inside the purpose of the German "?20...?29" dialect. */
static const Keyword sepa_keys[] = {
  KW ("EREF+"), KW ("KREF+"), KW ("MREF+"), KW ("CRED+"), KW ("DEBT+"), KW ("SVWZ+"),
  KW ("ABWA+"), KW ("ABWE+"), KW ("IBAN+"), KW ("BIC+"), KW ("COAM+"), KW ("OAMT+"),
  KW ("SQTP+"), KW ("PURP+"),
};
enum { SEPA_EREF = 0, SEPA_SVWZ = 5 };

/* References that only point elsewhere ("see :86:") or say there is none. */
static const Keyword placeholder_refs[] = {
  KW ("NONREF"), KW ("NOTPROVIDED"), KW ("EREF"), KW ("PREF"), KW ("MARF"), KW ("KREF+"),
};
#undef KW

/*
 * Appends @s to @dst as valid UTF-8: well-formed UTF-8 is kept, other bytes are
 * read as Windows-1252 / Latin-1 (what European banks send), control characters
 * become spaces.
 */
void
tsy_mt940_sanitize_append (GString    *dst,
                           const char *s,
                           gsize       n,
                           guint       flags)
{
  gsize start = dst->len;
  gboolean after_space = TRUE;
  gsize i = 0;
  char *o;

  if (flags & S_COLLAPSE)
    flags |= S_TRIM;
  if (flags & S_TRIM)
    {
      while (i < n && (is_space (s[i]) || (guchar) s[i] < 0x20))
        i++;
      n = i + rtrim_len (s + i, n - i);
    }

  /* at worst a byte becomes three (Windows-1252 to UTF-8) */
  g_string_set_size (dst, start + 3 * (n - i));
  o = dst->str + start;

  while (i < n)
    {
      guchar c = (guchar) s[i];

      /* the common case: printable ASCII other than a space */
      if (c > 0x20 && c < 0x7f)
        {
          do
            *o++ = s[i++];
          while (i < n && (guchar) s[i] > 0x20 && (guchar) s[i] < 0x7f);
          after_space = FALSE;
          continue;
        }

      if (c < 0x80)
        {
          i++;
          if (c == '\n')
            {
              if (flags & S_DROP_NL)
                continue;
              if (flags & S_KEEP_NL)
                {
                  *o++ = '\n';
                  after_space = TRUE;
                  continue;
                }
            }
          /* a space, a control character or a line break in running text */
          if (after_space && (flags & S_COLLAPSE))
            continue;
          *o++ = ' ';
          after_space = TRUE;
        }
      else
        {
          gunichar u = g_utf8_get_char_validated (s + i, (gssize) (n - i));

          if (u == (gunichar) -1 || u == (gunichar) -2)
            {
              o += g_unichar_to_utf8 (c < 0xA0 ? cp1252[c - 0x80] : (gunichar) c, o);
              i++;
            }
          else
            {
              int l = g_utf8_skip[c];
              memcpy (o, s + i, l);
              o += l;
              i += l;
            }
          after_space = FALSE;
        }
    }

  if (flags & S_TRIM)
    while (o > dst->str + start && (o[-1] == ' ' || o[-1] == '\n'))
      o--;
  g_string_set_size (dst, (gsize) (o - dst->str));
}

/* ---- :86: ---------------------------------------------------------------- */


gboolean
tsy_mt940_is_placeholder_ref (const char *s,
                              gsize       n)
{
  for (guint i = 0; i < G_N_ELEMENTS (placeholder_refs); i++)
    if (n == placeholder_refs[i].len && g_ascii_strncasecmp (s, placeholder_refs[i].name, n) == 0)
      return TRUE;
  return FALSE;
}

/*
 * The customer reference is the line's identity when there is no bank reference
 * (DESIGN.md), but only when it can be one: banks also put placeholders ("NONREF",
 * "EREF" = see :86:), a one-letter code, the counterparty's IBAN (ASN, SNS) or
 * account and name (old Rabobank) there, which repeat across lines and would make
 * distinct lines look like one. Without an identity the ledger falls back to a
 * content hash, which is always safe.
 */
gboolean
tsy_mt940_ref_is_identity (const char *s,
                           gsize       n)
{
  if (n < 4 || tsy_mt940_is_placeholder_ref (s, n))
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (s[i] == ' ')
      return FALSE;
  if (n >= 15 && n <= 34 && is_upper (s[0]) && is_upper (s[1]) && is_digit (s[2]) && is_digit (s[3]))
    {
      g_autofree char *copy = g_strndup (s, n);
      if (tsy_iban_looks_like (copy))
        return FALSE;
    }
  return TRUE;
}


static void
put_end_to_end (Parser     *p,
                const char *s,
                gsize       n)
{
  trim (&s, &n);
  if (n == 0 || tsy_mt940_is_placeholder_ref (s, n))
    return;
  put (p, SLOT_END_TO_END, s, MIN (n, 35), S_TRIM);
}

/*
 * Joins the :86: lines of @raw (":86:" prefixes dropped). Structured dialects
 * join without a separator: SWIFT wraps lines at 65 characters anywhere, even
 * inside a word or a subfield code. Free text joins with a space, except after a
 * line that ran to the full width of 65 characters (the text was wrapped there).
 */
static void
join_86 (GString    *dst,
         const char *raw,
         gsize       n,
         gboolean    direct)
{
  gsize i = 0;
  gsize prev_width = 0;
  gboolean first = TRUE;

  g_string_truncate (dst, 0);
  while (i < n)
    {
      const char *line = raw + i;
      gsize len = first_line_len (line, n - i);
      gboolean field_start = len >= 4 && memcmp (line, ":86:", 4) == 0;

      i += len + 1;
      /* a structured :86: is one field; more :86: fields stay in the raw text */
      if (field_start && direct && !first)
        break;
      if (field_start)
        {
          line += 4;
          len -= 4;
        }
      if (!first && !direct && (field_start || prev_width < 65))
        g_string_append_c (dst, ' ');
      g_string_append_len (dst, line, len);
      prev_width = len;
      first = FALSE;
    }
}

/* @s points after a '/': is a known code and a '/' next? */
static gboolean
match_slash_key (const char *s,
                 gsize       n,
                 gsize      *key_len)
{
  gsize l = 0;

  while (l < n && l < 10 && is_upper (s[l]))
    l++;
  if (l < 2 || l >= n || s[l] != '/')
    return FALSE;
  for (guint k = 0; k < G_N_ELEMENTS (slash_keys); k++)
    if (slash_keys[k].len == l && slash_keys[k].name[0] == s[0] &&
        memcmp (s, slash_keys[k].name, l) == 0)
      {
        *key_len = l;
        return TRUE;
      }
  return FALSE;
}

/* "/EREF/.../CNTP/account/bic/name/city/.../REMI/USTD//text/" and Rabobank's "/BENM//NAME/.../REMI/..." */
static void
parse_slash_dialect (Parser     *p,
                     const char *s,
                     gsize       n)
{
  gsize i = 0;
  gboolean ultimate = FALSE;
  gboolean have_text = FALSE;

  gsize key_len = 0;

  /* the first "/KEY/" */
  while (i < n && !(s[i] == '/' && match_slash_key (s + i + 1, n - i - 1, &key_len)))
    i++;

  while (i < n)
    {
      gsize v, e, next_len = 0;
      const char *key;

      key = s + i + 1;
      v = i + 1 + key_len + 1;
      /* the value runs to the next known "/KEY/" */
      e = v;
      while (e < n && !(s[e] == '/' && match_slash_key (s + e + 1, n - e - 1, &next_len)))
        e++;

      {
        const char *val = s + v;
        gsize vl = e - v;

        while (vl > 0 && (val[vl - 1] == '/' || is_space (val[vl - 1])))
          vl--;

        if (key_len == 4 && memcmp (key, "EREF", 4) == 0)
          put_end_to_end (p, val, vl);
        else if (key_len == 4 && (memcmp (key, "BENM", 4) == 0 || memcmp (key, "ORDP", 4) == 0))
          ultimate = FALSE;
        else if (key_len == 4 && memcmp (key, "ULT", 3) == 0)
          ultimate = TRUE;
        else if (key_len == 4 && memcmp (key, "NAME", 4) == 0 && !ultimate)
          put (p, SLOT_NAME, val, vl, S_COLLAPSE);
        else if (key_len == 4 && memcmp (key, "IBAN", 4) == 0 && !ultimate)
          put (p, SLOT_ACCOUNT, val, vl, S_TRIM);
        else if (key_len == 3 && memcmp (key, "BIC", 3) == 0 && !ultimate)
          put (p, SLOT_BANK, val, vl, S_TRIM);
        else if (key_len == 4 && memcmp (key, "CNTP", 4) == 0)
          {
            /* account/bic/name/city */
            const char *part = val;
            gsize rest = vl;
            for (int field = 0; field < 3 && rest > 0; field++)
              {
                const char *slash = memchr (part, '/', rest);
                gsize pl = slash ? (gsize) (slash - part) : rest;
                put (p, field == 0 ? SLOT_ACCOUNT : field == 1 ? SLOT_BANK : SLOT_NAME,
                     part, pl, S_COLLAPSE);
                if (slash == NULL)
                  break;
                part = slash + 1;
                rest -= pl + 1;
              }
            ultimate = FALSE;
          }
        else if (key_len == 4 && memcmp (key, "REMI", 4) == 0 && !have_text)
          {
            if (vl >= 5 && memcmp (val, "USTD/", 5) == 0)
              {
                val += 5;
                vl -= 5;
                while (vl > 0 && *val == '/')
                  {
                    val++;
                    vl--;
                  }
              }
            else if (vl >= 5 && memcmp (val, "STRD/", 5) == 0)
              {
                /* STRD/<issuer or type>/<reference>: the reference */
                const char *last = val + vl;
                while (last > val && last[-1] != '/')
                  last--;
                vl -= (gsize) (last - val);
                val = last;
              }
            put (p, SLOT_TEXT, val, vl, S_COLLAPSE);
            have_text = TRUE;
          }
      }
      i = e;
      key_len = next_len;
    }
  if (!have_text)
    put (p, SLOT_TEXT, s, n, S_COLLAPSE);
}

/* German "GVC?00posting?10primanota?20purpose...?30bank?31account?32name?33name?38IBAN";
 * Triodos writes '>' for '?'. */
static void
parse_german_dialect (Parser     *p,
                      const char *s,
                      gsize       n,
                      char        sep)
{
  GString *purpose = p->tmp;
  guint bounds[32];
  guint n_bounds = 0;
  const char *posting = NULL, *bank = NULL, *acct = NULL, *iban = NULL;
  gsize posting_len = 0, bank_len = 0, acct_len = 0, iban_len = 0;
  gsize name_start, name_len;
  gsize i = 0;
  gssize kw_start[G_N_ELEMENTS (sepa_keys)];
  gsize kw_pos[64];
  guint kw_idx[64];
  guint n_kw = 0;

  g_string_truncate (purpose, 0);
  /* the name (?32 ?33) goes after the purpose in the same buffer */
  while (i < n && !(s[i] == sep && i + 2 < n && is_digit (s[i + 1]) && is_digit (s[i + 2])))
    i++;
  g_string_truncate (p->tmp2, 0);
  {
    GString *name = p->tmp2;

    while (i < n)
      {
        int code = (s[i + 1] - '0') * 10 + (s[i + 2] - '0');
        gsize v = i + 3, e = v;

        while (e < n && !(s[e] == sep && e + 2 < n && is_digit (s[e + 1]) && is_digit (s[e + 2])))
          e++;
        i = e;
        if (code == 0)
          {
            posting = s + v;
            posting_len = e - v;
          }
        else if ((code >= 20 && code <= 29) || (code >= 60 && code <= 63))
          {
            if (n_bounds < G_N_ELEMENTS (bounds))
              bounds[n_bounds++] = purpose->len;
            g_string_append_len (purpose, s + v, e - v);
          }
        else if (code == 30)
          {
            bank = s + v;
            bank_len = e - v;
          }
        else if (code == 31)
          {
            acct = s + v;
            acct_len = e - v;
          }
        else if (code == 32 || code == 33)
          g_string_append_len (name, s + v, e - v);
        else if (code == 38)
          {
            iban = s + v;
            iban_len = e - v;
          }
      }
    name_start = purpose->len;
    name_len = name->len;
    g_string_append_len (purpose, name->str, name->len);
  }

  put (p, SLOT_NAME, purpose->str + name_start, name_len, S_COLLAPSE);
  if (iban != NULL)
    put (p, SLOT_ACCOUNT, iban, iban_len, S_TRIM);
  put (p, SLOT_ACCOUNT, acct, acct_len, S_TRIM);
  put (p, SLOT_BANK, bank, bank_len, S_TRIM);

  /* SEPA keywords start a subfield or follow a space */
  for (guint k = 0; k < G_N_ELEMENTS (sepa_keys); k++)
    kw_start[k] = -1;
  for (gsize j = 0, b = 0; j < name_start; j++)
    {
      gboolean boundary = j == 0 || purpose->str[j - 1] == ' ';

      while (b < n_bounds && bounds[b] < j)
        b++;
      if (b < n_bounds && bounds[b] == j)
        boundary = TRUE;
      if (!boundary || !is_upper (purpose->str[j]))
        continue;
      for (guint k = 0; k < G_N_ELEMENTS (sepa_keys); k++)
        {
          gsize l = sepa_keys[k].len;
          if (j + l <= name_start && memcmp (purpose->str + j, sepa_keys[k].name, l) == 0)
            {
              if (n_kw < G_N_ELEMENTS (kw_pos))
                {
                  kw_pos[n_kw] = j;
                  kw_idx[n_kw] = k;
                  n_kw++;
                }
              j += l - 1;
              break;
            }
        }
    }
  for (guint k = 0; k < n_kw; k++)
    {
      gsize v = kw_pos[k] + sepa_keys[kw_idx[k]].len;
      gsize e = k + 1 < n_kw ? kw_pos[k + 1] : name_start;

      if (kw_start[kw_idx[k]] >= 0)
        continue;
      kw_start[kw_idx[k]] = (gssize) v;
      if (kw_idx[k] == SEPA_EREF)
        put_end_to_end (p, purpose->str + v, e - v);
      else if (kw_idx[k] == SEPA_SVWZ)
        put (p, SLOT_TEXT, purpose->str + v, e - v, S_COLLAPSE);
    }
  put (p, SLOT_TEXT, purpose->str, name_start, S_COLLAPSE);
  put (p, SLOT_TEXT, posting, posting_len, S_COLLAPSE);
}

/* Free text; "IBAN name" on the first line (ASN, SNS) gives the counterparty. */
static void
parse_free_text (Parser     *p,
                 const char *first,
                 gsize       first_len,
                 const char *s,
                 gsize       n)
{
  gsize t = 0;

  trim (&first, &first_len);
  while (t < first_len && first[t] != ' ')
    t++;
  if (t >= 15 && t <= 34)
    {
      g_autofree char *token = g_strndup (first, t);
      if (tsy_iban_looks_like (token) && tsy_iban_validate (token, NULL))
        {
          put (p, SLOT_ACCOUNT, first, t, S_TRIM);
          put (p, SLOT_NAME, first + t, first_len - t, S_COLLAPSE);
        }
    }
  put (p, SLOT_TEXT, s, n, S_COLLAPSE);
}

void
tsy_mt940_parse_86 (Parser *p)
{
  const char *raw = p->raw86->str;
  gsize n = p->raw86->len;
  const char *c;
  gsize cn;
  gboolean direct;
  char sep = 0;

  if (n < 4)
    return;
  /* the first line's content decides the dialect */
  c = raw + 4;
  cn = first_line_len (c, n - 4);
  while (cn > 0 && is_space (*c))
    {
      c++;
      cn--;
    }
  if (cn >= 4 && is_digit (c[0]) && is_digit (c[1]) && is_digit (c[2]) &&
      (c[3] == '?' || c[3] == '>'))
    sep = c[3];
  else if (cn >= 3 && c[0] == '?' && is_digit (c[1]) && is_digit (c[2]))
    sep = '?';

  direct = sep != 0;
  if (!direct && cn > 1 && c[0] == '/')
    {
      gsize kl;
      direct = match_slash_key (c + 1, cn - 1, &kl);
    }

  join_86 (p->scratch, raw, n, direct);
  if (sep != 0)
    parse_german_dialect (p, p->scratch->str, p->scratch->len, sep);
  else if (direct)
    parse_slash_dialect (p, p->scratch->str, p->scratch->len);
  else
    parse_free_text (p, c, cn, p->scratch->str, p->scratch->len);
}
