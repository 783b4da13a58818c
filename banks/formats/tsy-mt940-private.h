/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The MT940 parser's insides, shared by tsy-mt940.c (fields, :61:, statements) and
 * tsy-mt940-86.c (the dialects of the :86: text and the text sanitizer). */

#include <string.h>

#include "tsy-line-reader.h"
#include "tsy-statement-format.h"

G_BEGIN_DECLS

/* Longest field accepted, continuation lines included. */
#define MAX_FIELD (64 * 1024)

typedef enum
{
  TAG_NONE,
  TAG_13,     /* :13: / :13D: date-time indication (MT942) */
  TAG_20,     /* transaction reference number: starts a statement */
  TAG_21,
  TAG_25,
  TAG_28,     /* :28: / :28C: statement number / sequence */
  TAG_34,     /* :34F: floor limit (MT942) */
  TAG_60,     /* :60F: / :60M: */
  TAG_61,
  TAG_62,     /* :62F: / :62M: */
  TAG_64,
  TAG_65,
  TAG_86,
  TAG_90,     /* :90D: / :90C: (MT942) */
  TAG_NS,     /* non-SWIFT field of some German and Hungarian banks */
} Tag;

/* The strings of an entry, stored NUL-separated in Parser.strings. */
typedef enum
{
  SLOT_BANK_REF,
  SLOT_CUSTOMER_REF,
  SLOT_END_TO_END,
  SLOT_NAME,
  SLOT_ACCOUNT,
  SLOT_BANK,
  SLOT_TEXT,
  SLOT_CODE,
  SLOT_RAW,
  N_SLOTS
} Slot;

/* Flags of sanitize_append(). */
enum
{
  S_TRIM = 1 << 0,      /* drop leading and trailing white space */
  S_COLLAPSE = 1 << 1,  /* runs of white space become one space (implies S_TRIM) */
  S_KEEP_NL = 1 << 2,   /* keep "\n" (raw text) */
  S_DROP_NL = 1 << 3,   /* "\n" joins without a separator */
};

typedef struct
{
  TsyLineReader          *reader;
  const char             *display_name;
  const TsyStatementSink *sink;
  gpointer                user_data;

  /* The field being read. */
  Tag      tag;
  char     tag_letter;
  guint    tag_line;
  GString *cur;            /* receives the field's lines: field, f61 or raw86 */
  GString *field;

  /* The file. */
  gboolean file_942;       /* ":942:" header line */
  gboolean next_942;       /* {2:I942...} before the next :20: */
  guint    n_statements;
  guint    line;           /* current line */

  /* The statement. */
  gboolean in_message;
  gboolean msg_942;
  gboolean seen_942_field; /* :13D: :34F: :90D: :90C: */
  gboolean begun;
  gboolean closed;         /* :62F:/:62M: read */
  guint    n_entries;
  guint    last_line;      /* last line that belonged to the statement */
  GString *stmt_id;
  GString *account;
  GString *sequence;
  char     currency[4];
  TsyStatementHeader header;

  /* The entry waiting for its :86:. */
  gboolean pending;
  gboolean pending_open;   /* an :86: may still attach */
  guint    pending_line;
  GString *f61;            /* :61: content, lines separated by "\n" */
  GString *raw86;          /* ":86:..." lines of the entry, as read */
  GString *strings;
  gssize   offsets[N_SLOTS];
  TsyStatementEntry entry;
  char     value_text[6];      /* the last value date read, and its date */
  TsyDate  value_cache;
  char     booking_text[10];   /* the last value + entry date read, and the entry date */
  TsyDate  booking_cache;

  GString *scratch;
  GString *tmp;
  GString *tmp2;
  GString *msg;
} Parser;

static inline gboolean
is_digit (char c)
{
  return c >= '0' && c <= '9';
}

static inline gboolean
is_upper (char c)
{
  return c >= 'A' && c <= 'Z';
}

static inline gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static inline gsize
first_line_len (const char *s,
                gsize       n)
{
  const char *nl = memchr (s, '\n', n);

  return nl ? (gsize) (nl - s) : n;
}

static inline gsize
rtrim_len (const char *s,
           gsize       n)
{
  while (n > 0 && (is_space (s[n - 1]) || (guchar) s[n - 1] < 0x20))
    n--;
  return n;
}

/*
 * Appends @s to @dst as valid UTF-8: well-formed UTF-8 is kept, other bytes are
 * read as Windows-1252 / Latin-1 (what European banks send), control characters
 * become spaces.
 */
void     tsy_mt940_sanitize_append    (GString    *dst,
                                       const char *s,
                                       gsize       n,
                                       guint       flags);
/* "NONREF", "NOTPROVIDED", ...: a reference that says there is none. */
gboolean tsy_mt940_is_placeholder_ref (const char *s,
                                       gsize       n);
/* Can a customer reference be the line's identity? (see tsy-mt940-86.c) */
gboolean tsy_mt940_ref_is_identity    (const char *s,
                                       gsize       n);
/* Reads the pending entry's :86: (p->raw86) into its slots, whatever the dialect. */
void     tsy_mt940_parse_86           (Parser     *p);

/* Stores a slot's string once (the first value wins). */
static inline void
put (Parser     *p,
     Slot        slot,
     const char *s,
     gsize       n,
     guint       flags)
{
  gsize start = p->strings->len;

  if (p->offsets[slot] >= 0 || s == NULL)
    return;
  tsy_mt940_sanitize_append (p->strings, s, n, flags);
  if (p->strings->len == start)
    return;
  g_string_append_c (p->strings, '\0');
  p->offsets[slot] = (gssize) start;
}

static inline void
trim (const char **s,
      gsize       *n)
{
  while (*n > 0 && is_space (**s))
    {
      (*s)++;
      (*n)--;
    }
  *n = rtrim_len (*s, *n);
}

G_END_DECLS
