/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A calendar date as a GDate julian day number (1 = 0001-01-01); 0 = no date.
 * Days between dates are differences of day numbers, never seconds / 86400. */
typedef guint32 TsyDate;

#define TSY_DATE_NONE ((TsyDate) 0)

TsyDate  tsy_date_from_ymd   (int y, int m, int d);   /* 0 when invalid */
void     tsy_date_to_ymd     (TsyDate date, int *y, int *m, int *d);
/* Parses "YYYY-MM-DD" exactly. */
gboolean tsy_date_parse_iso  (const char *text,
                              TsyDate    *out,
                              GError    **error);
/* Writes "YYYY-MM-DD" into @buf (>= 11 bytes); "" for TSY_DATE_NONE. */
void     tsy_date_format_iso (TsyDate date,
                              char   *buf);
char    *tsy_date_to_iso     (TsyDate date);
TsyDate  tsy_date_today      (void);                  /* local calendar date */
TsyDate  tsy_date_add_days   (TsyDate date, int days);

G_END_DECLS
