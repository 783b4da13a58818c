/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tsy-date.h"
#include "tsy-store.h"

G_BEGIN_DECLS

/* Reading stored statement lines. */

typedef struct
{
  const char *account;        /* NULL: all accounts */
  TsyDate     from;           /* booking date >= from; 0 = open */
  TsyDate     to;             /* booking date <= to; 0 = open */
  const char *text;           /* substring of text, counterparty, references; NULL = any */
  gboolean    has_min;
  gint64      min_minor;      /* |amount| >= min (minor units of the line's currency) */
  gboolean    has_max;
  gint64      max_minor;
} TsyLineFilter;

typedef struct
{
  gint64      id;
  const char *account;
  const char *ident;          /* the line's identity within its account */
  const char *bank_ref;       /* the identity as users see it: the bank's reference (with "#n"
                               * when the bank reused it), else "h:<hash>#<occurrence>" */
  TsyDate     booking_date;
  TsyDate     value_date;
  gint64      amount_minor;
  const char *currency;
  gboolean    reversal;
  const char *customer_ref;
  const char *end_to_end_id;
  const char *counterparty;
  const char *counterparty_account;
  const char *counterparty_bank;
  const char *text;
  const char *bank_tx_code;
  const char *raw;
  const char *statement;      /* the bank's statement id */
  guint       n_details;
} TsyLineRow;

/* Called per row in (account, booking date, id) order; return FALSE to stop. */
typedef gboolean (*TsyLineFunc) (const TsyLineRow *row,
                                 gpointer          user_data);

gboolean tsy_lines_foreach (TsyStore            *store,
                            const TsyLineFilter *filter,
                            TsyLineFunc          func,
                            gpointer             user_data,
                            GError             **error);
/* Number of lines matching @filter. */
gboolean tsy_lines_count   (TsyStore            *store,
                            const TsyLineFilter *filter,
                            guint64             *out_count,
                            GError             **error);

G_END_DECLS
