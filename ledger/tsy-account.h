/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tsy-store.h"
#include "tsy-date.h"

G_BEGIN_DECLS

typedef enum
{
  TSY_ACCOUNT_TYPE_BASIC,      /* 基本存款账户 */
  TSY_ACCOUNT_TYPE_GENERAL,    /* 一般存款账户 */
  TSY_ACCOUNT_TYPE_SPECIAL,    /* 专用存款账户 */
  TSY_ACCOUNT_TYPE_TEMPORARY,  /* 临时存款账户 */
  TSY_ACCOUNT_TYPE_FOREIGN,    /* 外汇账户 */
  TSY_ACCOUNT_TYPE_OTHER,
} TsyAccountType;

typedef enum
{
  TSY_ACCOUNT_STATUS_OPEN,
  TSY_ACCOUNT_STATUS_FROZEN,
  TSY_ACCOUNT_STATUS_CLOSED,
} TsyAccountStatus;

/* "basic", "general", ... — stable names used in the CLI and the database. */
const char *tsy_account_type_to_string   (TsyAccountType type);
gboolean    tsy_account_type_from_string (const char *text, TsyAccountType *out);
const char *tsy_account_status_to_string (TsyAccountStatus status);
gboolean    tsy_account_status_from_string (const char *text, TsyAccountStatus *out);

typedef struct
{
  const char      *number;        /* account number or IBAN (spaces allowed) */
  const char      *org_code;
  const char      *bank_code;
  const char      *currency;
  const char      *name;          /* may be NULL */
  TsyAccountType   type;
  TsyAccountStatus status;
  const char      *pool_parent;   /* number of the pooling parent account, or NULL */
  gboolean         has_daily_limit;
  gint64           daily_limit_minor;
  gboolean         local_number;  /* TRUE: a local number that merely looks like an IBAN
                                   * (anonymised test data, some banks' internal ids): no
                                   * IBAN check */
} TsyAccountSpec;

typedef struct
{
  gint64           id;
  char            *number;        /* normalised: no spaces; IBANs upper-case */
  char            *name;
  char             currency[4];
  gint64           org_id;
  char            *org_code;
  gint64           bank_id;
  char            *bank_code;
  TsyAccountType   type;
  TsyAccountStatus status;
  gint64           pool_parent_id; /* 0 = none */
  gboolean         has_daily_limit;
  gint64           daily_limit_minor;
} TsyAccountInfo;

void            tsy_account_info_free (TsyAccountInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsyAccountInfo, tsy_account_info_free)

/* Normalises an account number: strips spaces (and dashes inside IBANs), upper-cases IBANs.
 * Returns: (transfer full) */
char           *tsy_account_normalize_number (const char *number);

/* Adds an account in its own transaction. A number that looks like an IBAN must
 * pass the check digits. Returns its id, 0 on error. */
gint64          tsy_account_add     (TsyStore             *store,
                                     const TsyAccountSpec *spec,
                                     GError              **error);
/* Looks up by number (normalised) or IBAN. Returns: (transfer full) */
TsyAccountInfo *tsy_account_lookup  (TsyStore   *store,
                                     const char *number,
                                     GError    **error);
/* Returns: (transfer full) (element-type TsyAccountInfo): accounts by number. */
GPtrArray      *tsy_account_list    (TsyStore   *store,
                                     GError    **error);

/* Balances: one per account and date (the last word of that day). */
gboolean        tsy_balance_set     (TsyStore   *store,
                                     const char *number,
                                     gint64      amount_minor,
                                     TsyDate     date,
                                     GError    **error);
/* The latest balance on or before @date. FALSE with NOT_FOUND when none. */
gboolean        tsy_balance_get     (TsyStore   *store,
                                     gint64      account_id,
                                     TsyDate     date,
                                     gint64     *out_minor,
                                     TsyDate    *out_date,
                                     GError    **error);

/* All balances of an account, oldest first: parallel arrays of TsyDate and gint64. */
gboolean        tsy_balance_history (TsyStore   *store,
                                     gint64      account_id,
                                     GArray    **out_dates,
                                     GArray    **out_amounts,
                                     GError    **error);

/* FX rates: units of @to per one unit of @from, as decimal text (exact). */
gboolean        tsy_fx_set          (TsyStore   *store,
                                     const char *from,
                                     const char *to,
                                     const char *rate_text,
                                     TsyDate     date,
                                     GError    **error);
/**
 * tsy_fx_convert:
 *
 * Converts @minor of @from into @to with the latest rate on or before @date:
 * the direct pair, else the inverse pair. Rounds half-even. MISSING_RATE
 * when neither exists.
 */
gboolean        tsy_fx_convert      (TsyStore   *store,
                                     gint64      minor,
                                     const char *from,
                                     const char *to,
                                     TsyDate     date,
                                     gint64     *out_minor,
                                     GError    **error);

G_END_DECLS
