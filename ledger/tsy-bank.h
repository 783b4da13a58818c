/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tsy-store.h"

G_BEGIN_DECLS

typedef struct
{
  gint64  id;
  char   *code;
  char   *name;
  char   *bic;        /* NULL when unknown */
  char   *cnaps;      /* 12-digit CNAPS bank code, NULL when unknown */
  char   *country;    /* ISO 3166 alpha-2, NULL when unknown */
} TsyBankInfo;

void         tsy_bank_info_free (TsyBankInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsyBankInfo, tsy_bank_info_free)

/* Adds a bank in its own transaction; @bic is validated (ISO 9362) when given,
 * @cnaps must be 12 digits when given. Returns its id, 0 on error. */
gint64       tsy_bank_add       (TsyStore   *store,
                                 const char *code,
                                 const char *name,
                                 const char *bic,
                                 const char *cnaps,
                                 const char *country,
                                 GError    **error);
TsyBankInfo *tsy_bank_lookup    (TsyStore   *store,
                                 const char *code,
                                 GError    **error);
/* Returns: (transfer full) (element-type TsyBankInfo): banks by code. */
GPtrArray   *tsy_bank_list      (TsyStore   *store,
                                 GError    **error);

G_END_DECLS
