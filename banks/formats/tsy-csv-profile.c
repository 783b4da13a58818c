/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Column profiles of CSV statements (a GKeyFile); the keys are documented in tsy-csv.c and
 * tests/data/csv/sample-profile.ini. */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsy-csv-private.h"

static const char * const col_keys[N_COLS] = {
  "booking_date", "value_date", "time", "bank_ref", "customer_ref", "debit", "credit", "amount",
  "direction", "balance", "counterparty_name", "counterparty_account", "counterparty_bank", "text",
  "bank_tx_code", "currency", "account",
};

static gboolean
profile_error (GError    **error,
               const char *path,
               const char *group,
               const char *key,
               const char *reason)
{
  g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PARSE,
               /* Translators: %1$s a file, %2$s a [group], %3$s a key, %4$s the reason */
               _("%1$s: [%2$s] %3$s: %4$s"), path, group, key, reason);
  return FALSE;
}

static gboolean
parse_col_spec (const char *path,
                const char *key,
                const char *value,
                ColSpec    *spec,
                GError    **error)
{
  const char *s = value;
  gsize len = strlen (value);
  guint64 n;

  tsy_csv_trim (&s, &len);
  if (len == 0)
    return profile_error (error, path, "columns", key, _("the value is empty"));
  if (g_ascii_isdigit (*s))
    {
      g_autofree char *copy = g_strndup (s, len);
      if (!g_ascii_string_to_unsigned (copy, 10, 1, MAX_FIELDS, &n, NULL))
        {
          g_autofree char *reason =
            /* Translators: %1$s the value, %2$d the largest column number */
            g_strdup_printf (_("“%1$s” is not a column number from 1 to %2$d"), copy, MAX_FIELDS);
          return profile_error (error, path, "columns", key, reason);
        }
      spec->index = (guint) n;
      return TRUE;
    }
  spec->name = g_strndup (s, len);
  return TRUE;
}

static char *
convert_date_format (const char *value)
{
  GString *f = g_string_new (NULL);

  if (strchr (value, '%') != NULL)
    g_string_assign (f, value);
  else
    for (const char *p = value; *p != '\0';)
      {
        if (g_str_has_prefix (p, "YYYY") || g_str_has_prefix (p, "yyyy"))
          g_string_append (f, "%Y"), p += 4;
        else if (g_str_has_prefix (p, "YY") || g_str_has_prefix (p, "yy"))
          g_string_append (f, "%y"), p += 2;
        else if (g_str_has_prefix (p, "MM"))
          g_string_append (f, "%m"), p += 2;
        else if (g_str_has_prefix (p, "DD") || g_str_has_prefix (p, "dd"))
          g_string_append (f, "%d"), p += 2;
        else
          g_string_append_c (f, *p++);
      }
  return g_string_free (f, FALSE);
}

static gboolean
load_profile_group (TsyCsvProfile *p,
                    GKeyFile      *kf,
                    const char    *path,
                    GError       **error)
{
  static const char * const known[] = {
    "encoding", "delimiter", "skip_lines", "header", "date_format", "decimal", "currency",
    "account",
  };
  g_auto(GStrv) keys = g_key_file_get_keys (kf, "profile", NULL, NULL);

  for (char **k = keys; k != NULL && *k != NULL; k++)
    {
      g_autofree char *raw = g_key_file_get_string (kf, "profile", *k, NULL);
      const char *v = raw != NULL ? raw : "";
      gboolean found = FALSE;

      for (gsize i = 0; i < G_N_ELEMENTS (known); i++)
        found = found || strcmp (*k, known[i]) == 0;
      if (!found)
        return profile_error (error, path, "profile", *k, _("unknown key"));

      if (strcmp (*k, "encoding") == 0)
        {
          if (g_ascii_strcasecmp (v, "UTF-8") == 0 || g_ascii_strcasecmp (v, "UTF8") == 0)
            p->encoding = ENC_UTF8;
          else if (g_ascii_strcasecmp (v, "GB18030") == 0 || g_ascii_strcasecmp (v, "GBK") == 0 ||
                   g_ascii_strcasecmp (v, "GB2312") == 0 || g_ascii_strcasecmp (v, "CP936") == 0)
            p->encoding = ENC_GB18030;
          else if (g_ascii_strcasecmp (v, "auto") == 0)
            p->encoding = ENC_AUTO;
          else
            return profile_error (error, path, "profile", *k,
                                  _("the encoding must be UTF-8, GB18030, GBK or auto"));
        }
      else if (strcmp (*k, "delimiter") == 0)
        {
          if (strcmp (v, ",") == 0 || g_ascii_strcasecmp (v, "comma") == 0)
            p->delimiter = ',';
          else if (strcmp (v, "\t") == 0 || g_ascii_strcasecmp (v, "tab") == 0)
            p->delimiter = '\t';
          else if (strcmp (v, ";") == 0 || g_ascii_strcasecmp (v, "semicolon") == 0)
            p->delimiter = ';';
          else if (strcmp (v, "|") == 0 || g_ascii_strcasecmp (v, "pipe") == 0)
            p->delimiter = '|';
          else if (g_ascii_strcasecmp (v, "auto") == 0)
            p->delimiter = 0;
          else
            return profile_error (error, path, "profile", *k,
                                  _("the delimiter must be a comma, tab, semicolon or |"));
        }
      else if (strcmp (*k, "skip_lines") == 0)
        {
          guint64 n;
          if (!g_ascii_string_to_unsigned (v, 10, 0, 10000, &n, NULL))
            return profile_error (error, path, "profile", *k,
                                  _("not a number of lines from 0 to 10000"));
          p->has_skip = TRUE;
          p->skip_lines = (guint) n;
        }
      else if (strcmp (*k, "header") == 0)
        {
          GError *local = NULL;
          p->header = g_key_file_get_boolean (kf, "profile", *k, &local);
          if (local != NULL)
            {
              g_error_free (local);
              return profile_error (error, path, "profile", *k, _("must be true or false"));
            }
        }
      else if (strcmp (*k, "date_format") == 0)
        {
          g_autofree char *fmt = NULL;
          if (g_ascii_strcasecmp (v, "auto") == 0 || *v == '\0')
            continue;
          fmt = convert_date_format (v);
          if (strstr (fmt, "%m") == NULL || strstr (fmt, "%d") == NULL ||
              (strstr (fmt, "%Y") == NULL && strstr (fmt, "%y") == NULL))
            return profile_error (error, path, "profile", *k,
                                  _("the date format needs a year, a month and a day "
                                    "(%Y, %m, %d or YYYY, MM, DD)"));
          for (const char *f = fmt; *f != '\0'; f++)
            if (*f == '%' && strchr ("YymdHMS", f[1]) == NULL)
              return profile_error (error, path, "profile", *k,
                                    _("only %Y %y %m %d %H %M %S may be used"));
            else if (*f == '%')
              f++;
          p->date_format = g_steal_pointer (&fmt);
        }
      else if (strcmp (*k, "decimal") == 0)
        {
          if (g_ascii_strcasecmp (v, "point") == 0 || strcmp (v, ".") == 0)
            p->decimal = TSY_DECIMAL_POINT;
          else if (g_ascii_strcasecmp (v, "comma") == 0 || strcmp (v, ",") == 0)
            p->decimal = TSY_DECIMAL_COMMA;
          else
            return profile_error (error, path, "profile", *k, _("must be point or comma"));
        }
      else if (strcmp (*k, "currency") == 0)
        {
          char code[4];
          if (!tsy_csv_currency_from_text (v, code))
            {
              g_autofree char *reason =
                /* Translators: %s is what the profile wrote */
                g_strdup_printf (_("“%s” is not a known currency"), v);
              return profile_error (error, path, "profile", *k, reason);
            }
          p->currency = g_strdup (code);
        }
      else if (strcmp (*k, "account") == 0)
        {
          GString *a = g_string_new (NULL);
          for (const char *c = v; *c != '\0'; c++)
            if (*c != ' ' && *c != '\t')
              g_string_append_c (a, *c);
          if (a->len == 0)
            {
              g_string_free (a, TRUE);
              return profile_error (error, path, "profile", *k, _("the value is empty"));
            }
          p->account = g_string_free (a, FALSE);
        }
    }
  return TRUE;
}

static gboolean
load_columns_group (TsyCsvProfile *p,
                    GKeyFile      *kf,
                    const char    *path,
                    GError       **error)
{
  g_auto(GStrv) keys = g_key_file_get_keys (kf, "columns", NULL, NULL);
  guint named = 0;

  for (char **k = keys; k != NULL && *k != NULL; k++)
    {
      int c;

      if (strcmp (*k, "direction_debit") == 0 || strcmp (*k, "direction_credit") == 0)
        {
          char ***list = strcmp (*k, "direction_debit") == 0 ? &p->direction_debit
                                                              : &p->direction_credit;
          g_strfreev (*list);
          *list = g_key_file_get_string_list (kf, "columns", *k, NULL, NULL);
          for (char **v = *list; v != NULL && *v != NULL; v++)
            g_strstrip (*v);
          if (*list == NULL || **list == NULL)
            return profile_error (error, path, "columns", *k, _("the value is empty"));
          continue;
        }
      for (c = 0; c < N_COLS; c++)
        if (strcmp (*k, col_keys[c]) == 0)
          break;
      if (c == N_COLS)
        return profile_error (error, path, "columns", *k, _("unknown key"));
      p->has_columns = TRUE;
      if (c == COL_TEXT)
        {
          g_auto(GStrv) list = g_key_file_get_string_list (kf, "columns", *k, NULL, NULL);
          for (char **v = list; v != NULL && *v != NULL; v++)
            {
              if (p->n_text == MAX_TEXT_COLUMNS)
                return profile_error (error, path, "columns", *k, _("too many text columns"));
              if (!parse_col_spec (path, *k, *v, &p->text[p->n_text], error))
                return FALSE;
              named += p->text[p->n_text].name != NULL;
              p->n_text++;
            }
          if (p->n_text == 0)
            return profile_error (error, path, "columns", *k, _("the value is empty"));
        }
      else
        {
          g_autofree char *v = g_key_file_get_string (kf, "columns", *k, NULL);
          g_clear_pointer (&p->cols[c].name, g_free);
          if (!parse_col_spec (path, *k, v != NULL ? v : "", &p->cols[c], error))
            return FALSE;
          named += p->cols[c].name != NULL;
        }
    }
  if (!p->has_columns)
    return TRUE;
  if (p->cols[COL_BOOKING_DATE].name == NULL && p->cols[COL_BOOKING_DATE].index == 0 &&
      p->cols[COL_TIME].name == NULL && p->cols[COL_TIME].index == 0)
    return profile_error (error, path, "columns", "booking_date", _("the date column is missing"));
  if (p->cols[COL_AMOUNT].name == NULL && p->cols[COL_AMOUNT].index == 0 &&
      p->cols[COL_DEBIT].name == NULL && p->cols[COL_DEBIT].index == 0 &&
      p->cols[COL_CREDIT].name == NULL && p->cols[COL_CREDIT].index == 0)
    return profile_error (error, path, "columns", "amount",
                          _("an amount column (amount, debit or credit) is missing"));
  p->n_named = named;
  if (named && !p->header)
    return profile_error (error, path, "profile", "header",
                          _("columns given by name need a header row (header=true)"));
  return TRUE;
}

TsyCsvProfile *
tsy_csv_profile_load (const char *path,
                      GError    **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(TsyCsvProfile) p = NULL;
  g_auto(GStrv) groups = NULL;
  GError *local = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  g_key_file_set_list_separator (kf, ',');
  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &local))
    {
      g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PARSE,
                   /* Translators: %1$s a file, %2$s the reason */
                   _("%1$s: %2$s"), path, local->message);
      g_error_free (local);
      return NULL;
    }
  groups = g_key_file_get_groups (kf, NULL);
  for (char **g = groups; *g != NULL; g++)
    if (strcmp (*g, "profile") != 0 && strcmp (*g, "columns") != 0)
      {
        g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PARSE,
                     /* Translators: %1$s a file, %2$s a group name */
                     _("%1$s: unknown group [%2$s]; a profile has [profile] and [columns]"),
                     path, *g);
        return NULL;
      }
  p = g_new0 (TsyCsvProfile, 1);
  p->header = TRUE;
  p->decimal = TSY_DECIMAL_POINT;
  if (!load_profile_group (p, kf, path, error) || !load_columns_group (p, kf, path, error))
    return NULL;
  return g_steal_pointer (&p);
}

void
tsy_csv_profile_free (TsyCsvProfile *profile)
{
  if (profile == NULL)
    return;
  for (int c = 0; c < N_COLS; c++)
    g_free (profile->cols[c].name);
  for (guint t = 0; t < MAX_TEXT_COLUMNS; t++)
    g_free (profile->text[t].name);
  g_free (profile->date_format);
  g_free (profile->currency);
  g_free (profile->account);
  g_strfreev (profile->direction_debit);
  g_strfreev (profile->direction_credit);
  g_free (profile);
}
