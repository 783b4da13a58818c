/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Internals of the CSV statement parser (tsy-csv.c), shared by its parts: tsy-csv-text.c
 * (vocabulary, dates, amounts), tsy-csv-statement.c (statements, balances, preamble lines) and
 * tsy-csv-profile.c (column profiles). */

#include <gio/gio.h>

#include "ledger/tsy-money.h"
#include "tsy-line-reader.h"
#include "tsy-statement-format.h"

G_BEGIN_DECLS

#define MAX_FIELDS       512
#define MAX_TEXT_COLUMNS 8
#define MAX_PREAMBLE     200
#define MAX_PREAMBLE_BYTES (256 * 1024)
#define MAX_RECORD_LINES 64
#define MAX_RECORD_BYTES (1024 * 1024)
#define MAX_NAME         160

typedef enum
{
  COL_BOOKING_DATE,
  COL_VALUE_DATE,
  COL_TIME,
  COL_BANK_REF,
  COL_CUSTOMER_REF,
  COL_DEBIT,
  COL_CREDIT,
  COL_AMOUNT,
  COL_DIRECTION,
  COL_BALANCE,
  COL_CP_NAME,
  COL_CP_ACCOUNT,
  COL_CP_BANK,
  COL_TEXT,
  COL_TX_CODE,
  COL_CURRENCY,
  COL_ACCOUNT,
  N_COLS
} Col;

typedef enum
{
  ENC_AUTO,
  ENC_UTF8,
  ENC_GB18030,
} Encoding;

typedef enum
{
  KEY_NONE,
  KEY_ACCOUNT,
  KEY_CURRENCY,
  KEY_PERIOD,
  KEY_FROM,
  KEY_TO,
  KEY_OPENING,
  KEY_CLOSING,
  KEY_SUMMARY,
} KeyKind;

typedef struct
{
  char  *name;     /* a header name, or NULL */
  guint  index;    /* 1-based, or 0 */
} ColSpec;

struct _TsyCsvProfile
{
  Encoding        encoding;
  char            delimiter;      /* 0: detect */
  gboolean        has_skip;
  guint           skip_lines;
  gboolean        header;
  char           *date_format;    /* strftime style; NULL: any known format */
  TsyDecimalStyle decimal;
  char           *currency;
  char           *account;
  gboolean        has_columns;
  guint           n_named;        /* columns given by header name */
  ColSpec         cols[N_COLS];   /* COL_TEXT unused: see text */
  ColSpec         text[MAX_TEXT_COLUMNS];
  guint           n_text;
  char          **direction_debit;
  char          **direction_credit;
};

typedef struct
{
  int    idx[N_COLS];              /* 0-based field, -1 absent */
  guint8 prio[N_COLS];
  int    text[MAX_TEXT_COLUMNS];
  guint  n_text;
  char  *names[N_COLS];            /* as the header wrote them, for messages */
  guint  n_fields;                 /* up to the last named header cell; 0 without header */
  guint  n_required;
} Layout;

/* What preamble (or between-section) lines say. */
typedef struct
{
  gboolean active;                 /* for the next section: a key was seen */
  char    *account;
  char     currency[4];
  char    *bad_currency;
  guint    currency_line;
  TsyDate  from, to;
  char    *opening, *closing;      /* amount texts: the currency may come later */
  guint    opening_line, closing_line;
  guint    start_line;
} Info;

typedef struct
{
  gboolean open;
  char    *account;
  char     currency[4];            /* "" when unknown */
  char     parse_ccy[4];           /* currency or "CNY" (two decimals) */
  int      exponent;
  gboolean explicit_period;
  TsyDate  from, to, min_date, max_date;
  guint    n_rows, start_line;
  gint64   sum;
  gboolean has_open, has_close;    /* explicit (期初/期末余额) */
  gint64   open_minor, close_minor;
  guint    open_line, close_line;
  /* running balance: rows without a balance are carried in pre/since */
  gboolean any_bal;
  int      order;                  /* 0 unknown, 1 oldest first, -1 newest first */
  gint64   pre, f_bal, f_amt, l_bal, l_amt, since;
  TsyDate  f_date, l_date;
} Stmt;

typedef struct
{
  const char             *display_name;
  const TsyCsvProfile    *profile;
  const TsyStatementSink *sink;
  gpointer                user_data;
  TsyLineReader          *reader;
  Encoding                enc;
  GIConv                  cd;
  guint                   lineno;
  TsyDecimalStyle         decimal;
  GString                *record;
  GString                *fields;
  guint                   foff[MAX_FIELDS];
  guint                   nf;
  char                    delim;
  gboolean                have_layout;
  Layout                  layout;
  Info                    info, next;
  guint                   section_rows;
  Stmt                    st;
  guint                   n_statements;
  GString                *text;
  GString                *scratch;
  GPtrArray              *preamble;   /* of char*, "line\tconverted text" pending the delimiter */
  GArray                 *preamble_lines;
  gsize                   preamble_bytes;
} Ctx;

/* tsy-csv-text.c */
gsize    tsy_csv_blank_len          (const char          *s,
                                     gsize                len);
void     tsy_csv_trim               (const char         **s,
                                     gsize               *len);
gboolean tsy_csv_normalise_name     (const char          *s,
                                     char                 out[MAX_NAME]);
gboolean tsy_csv_lookup_column      (const char          *cell,
                                     Col                 *col,
                                     guint8              *prio);
KeyKind  tsy_csv_classify_key       (const char          *key);
gboolean tsy_csv_is_summary_cell    (const char          *cell);
gboolean tsy_csv_is_opening_cell    (const char          *cell);
gboolean tsy_csv_is_closing_cell    (const char          *cell);
gboolean tsy_csv_is_subtotal_cell   (const char          *cell);
gboolean tsy_csv_currency_from_text (const char          *text,
                                     char                 out[4]);
TsyDate  tsy_csv_parse_date         (const char          *s,
                                     const char          *format);
TsyDate  tsy_csv_scan_date          (const char         **p);
gboolean tsy_csv_parse_amount       (const char          *cell,
                                     const char          *ccy,
                                     TsyDecimalStyle      decimal,
                                     gint64              *out,
                                     gboolean            *present,
                                     GError             **error);
int      tsy_csv_direction_of       (const TsyCsvProfile *profile,
                                     const char          *v);

/* tsy-csv-statement.c */
gboolean tsy_csv_fail               (Ctx                 *ctx,
                                     GError             **error,
                                     guint                line,
                                     const char          *format,
                                     ...) G_GNUC_PRINTF (4, 5);
gboolean tsy_csv_overflow           (Ctx                 *ctx,
                                     guint                line,
                                     GError             **error);
void     tsy_csv_info_clear         (Info                *info);
gboolean tsy_csv_info_currency      (Ctx                 *ctx,
                                     const char         **out,
                                     GError             **error);
gboolean tsy_csv_set_explicit       (Ctx                 *ctx,
                                     gboolean             closing,
                                     const char          *text,
                                     guint                line,
                                     GError             **error);
gboolean tsy_csv_begin_statement    (Ctx                 *ctx,
                                     const char          *account,
                                     const char          *currency,
                                     guint                line,
                                     GError             **error);
gboolean tsy_csv_end_statement      (Ctx                 *ctx,
                                     GError             **error);
gboolean tsy_csv_switch_section     (Ctx                 *ctx,
                                     GError             **error);
gboolean tsy_csv_ensure_statement   (Ctx                 *ctx,
                                     const char          *account,
                                     const char          *currency,
                                     guint                line,
                                     GError             **error);
gboolean tsy_csv_check_balance      (Ctx                 *ctx,
                                     gint64               bal,
                                     gint64               amt,
                                     TsyDate              date,
                                     guint                line,
                                     GError             **error);
gboolean tsy_csv_extract_pairs      (Ctx                 *ctx,
                                     const char          *s,
                                     gsize                len,
                                     char                 delim,
                                     guint                line,
                                     GError             **error);

G_END_DECLS
