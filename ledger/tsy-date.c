/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsy-date.h"
#include "tsy-ledger-error.h"

TsyDate
tsy_date_from_ymd (int y,
                   int m,
                   int d)
{
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
    return TSY_DATE_NONE;
  if (!g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    return TSY_DATE_NONE;
  {
    GDate date;
    g_date_clear (&date, 1);
    g_date_set_dmy (&date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
    return g_date_get_julian (&date);
  }
}

void
tsy_date_to_ymd (TsyDate date,
                 int    *y,
                 int    *m,
                 int    *d)
{
  gint64 z, era, doe, yoe, doy, mp;

  if (date == TSY_DATE_NONE)
    {
      *y = *m = *d = 0;
      return;
    }
  /* Proleptic Gregorian civil date from a day count (H. Hinnant's algorithm): a hot path of
   * every import, so no GDate. GDate's day 1 is 0001-01-01, which is day -719162 from 1970. */
  z = (gint64) date - 719163 + 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = z - era * 146097;
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  *d = (int) (doy - (153 * mp + 2) / 5 + 1);
  *m = (int) (mp < 10 ? mp + 3 : mp - 9);
  *y = (int) (yoe + era * 400 + (*m <= 2));
}

static gboolean
digits (const char *s,
        int         n,
        int        *out)
{
  int v = 0;

  for (int i = 0; i < n; i++)
    {
      if (s[i] < '0' || s[i] > '9')
        return FALSE;
      v = v * 10 + (s[i] - '0');
    }
  *out = v;
  return TRUE;
}

gboolean
tsy_date_parse_iso (const char *text,
                    TsyDate    *out,
                    GError    **error)
{
  int y, m, d;

  if (text != NULL && strlen (text) == 10 && text[4] == '-' && text[7] == '-' &&
      digits (text, 4, &y) && digits (text + 5, 2, &m) && digits (text + 8, 2, &d))
    {
      TsyDate date = tsy_date_from_ymd (y, m, d);
      if (date != TSY_DATE_NONE)
        {
          *out = date;
          return TRUE;
        }
    }
  g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
               _("“%s” is not a date of the form YYYY-MM-DD"), text ? text : "");
  return FALSE;
}

void
tsy_date_format_iso (TsyDate date,
                     char   *buf)
{
  int y, m, d;

  if (date == TSY_DATE_NONE)
    {
      buf[0] = '\0';
      return;
    }
  tsy_date_to_ymd (date, &y, &m, &d);
  buf[0] = '0' + y / 1000 % 10;
  buf[1] = '0' + y / 100 % 10;
  buf[2] = '0' + y / 10 % 10;
  buf[3] = '0' + y % 10;
  buf[4] = '-';
  buf[5] = '0' + m / 10;
  buf[6] = '0' + m % 10;
  buf[7] = '-';
  buf[8] = '0' + d / 10;
  buf[9] = '0' + d % 10;
  buf[10] = '\0';
}

char *
tsy_date_to_iso (TsyDate date)
{
  char buf[11];

  if (date == TSY_DATE_NONE)
    return NULL;
  tsy_date_format_iso (date, buf);
  return g_strdup (buf);
}

TsyDate
tsy_date_today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return tsy_date_from_ymd (g_date_time_get_year (now),
                            g_date_time_get_month (now),
                            g_date_time_get_day_of_month (now));
}

TsyDate
tsy_date_add_days (TsyDate date,
                   int     days)
{
  gint64 r = (gint64) date + days;

  if (date == TSY_DATE_NONE || r < 1 || r > G_MAXUINT32)
    return TSY_DATE_NONE;
  return (TsyDate) r;
}
