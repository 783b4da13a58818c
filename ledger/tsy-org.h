/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tsy-store.h"

G_BEGIN_DECLS

/* Organisation units (group -> companies -> sub-companies, any depth). */
typedef struct
{
  gint64  id;
  char   *code;
  char   *name;
  gint64  parent_id;        /* 0 for a root */
  char   *parent_code;      /* NULL for a root */
} TsyOrgInfo;

void       tsy_org_info_free (TsyOrgInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsyOrgInfo, tsy_org_info_free)

/* Adds an org unit in its own transaction. Returns its id, 0 on error. */
gint64     tsy_org_add       (TsyStore   *store,
                              const char *code,
                              const char *name,
                              const char *parent_code,
                              GError    **error);
/* Returns: (transfer full): the unit, or %NULL with NOT_FOUND. */
TsyOrgInfo *tsy_org_lookup   (TsyStore   *store,
                              const char *code,
                              GError    **error);
/* Returns: (transfer full) (element-type TsyOrgInfo): all units, parents before children. */
GPtrArray *tsy_org_list      (TsyStore   *store,
                              GError    **error);

G_END_DECLS
