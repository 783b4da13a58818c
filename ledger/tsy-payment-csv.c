/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A batch of payments from a CSV file (payroll 代发, supplier runs): all rows or none. */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsy-ledger-error.h"
#include "tsy-money.h"
#include "tsy-payment-private.h"
#include "tsy-user.h"

#define MAX_FILE_BYTES (64 * 1024 * 1024)
#define MAX_ROWS 100000

typedef enum
{
  COL_FROM,
  COL_TO_NAME,
  COL_TO_ACCOUNT,
  COL_TO_BIC,
  COL_TO_CNAPS,
  COL_TO_BANK,
  COL_AMOUNT,
  COL_CURRENCY,
  COL_DATE,
  COL_TEXT,
  COL_PURPOSE,
  COL_CATEGORY,
  COL_URGENCY,
  N_COLS
} Column;

/* Header names: the English ones of the CLI, and the usual headings of Chinese bank templates. */
static const struct
{
  Column      column;
  const char *name;
} headers[] = {
  { COL_FROM, "from" }, { COL_FROM, "付款账号" },
  { COL_TO_NAME, "to_name" }, { COL_TO_NAME, "收款人" }, { COL_TO_NAME, "收款人名称" },
  { COL_TO_ACCOUNT, "to_account" }, { COL_TO_ACCOUNT, "收款账号" },
  { COL_TO_BIC, "to_bic" },
  { COL_TO_CNAPS, "to_cnaps" }, { COL_TO_CNAPS, "联行号" },
  { COL_TO_BANK, "to_bank" }, { COL_TO_BANK, "收款银行" }, { COL_TO_BANK, "开户行" },
  { COL_AMOUNT, "amount" }, { COL_AMOUNT, "金额" },
  { COL_CURRENCY, "currency" }, { COL_CURRENCY, "币种" },
  { COL_DATE, "date" }, { COL_DATE, "日期" }, { COL_DATE, "期望日期" },
  { COL_TEXT, "text" }, { COL_TEXT, "附言" }, { COL_TEXT, "用途" },
  { COL_PURPOSE, "purpose" },
  { COL_CATEGORY, "category" }, { COL_CATEGORY, "类别" },
  { COL_URGENCY, "urgency" }, { COL_URGENCY, "加急" },
};

static const Column required[] = { COL_FROM, COL_TO_NAME, COL_TO_ACCOUNT, COL_AMOUNT, COL_CURRENCY, COL_DATE };

/* Splits one CSV record starting at *@pos (RFC 4180 quoting, "" inside quotes, CRLF or LF).
 * Returns: (transfer full): the fields, or NULL at the end of the text; sets @error on a
 * quote that never closes. */
static GPtrArray *
next_record (const char *text,
             gsize       len,
             gsize      *pos,
             guint      *line,
             GError    **error)
{
  g_autoptr(GPtrArray) fields = NULL;
  GString *field;
  gboolean quoted = FALSE;
  gsize i = *pos;
  guint start_line = *line;

  if (i >= len)
    return NULL;
  fields = g_ptr_array_new_with_free_func (g_free);
  field = g_string_new (NULL);
  while (i < len)
    {
      char c = text[i];

      if (quoted)
        {
          if (c == '"' && i + 1 < len && text[i + 1] == '"')
            {
              g_string_append_c (field, '"');
              i += 2;
              continue;
            }
          if (c == '"')
            quoted = FALSE;
          else
            {
              if (c == '\n')
                (*line)++;
              g_string_append_c (field, c);
            }
          i++;
          continue;
        }
      if (c == '"' && field->len == 0)
        {
          quoted = TRUE;
          i++;
          continue;
        }
      if (c == ',')
        {
          g_ptr_array_add (fields, g_string_free (field, FALSE));
          field = g_string_new (NULL);
          i++;
          continue;
        }
      if (c == '\r' && i + 1 < len && text[i + 1] == '\n')
        i++;
      if (text[i] == '\n')
        {
          i++;
          (*line)++;
          break;
        }
      g_string_append_c (field, c);
      i++;
    }
  if (quoted)
    {
      g_string_free (field, TRUE);
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   _("Line %u: a quoted field never ends"), start_line);
      return NULL;
    }
  g_ptr_array_add (fields, g_string_free (field, FALSE));
  *pos = i;
  return g_steal_pointer (&fields);
}

static const char *
field_at (GPtrArray *record,
          int        index)
{
  if (index < 0 || (guint) index >= record->len)
    return NULL;
  return g_ptr_array_index (record, index);
}

static gboolean
record_is_blank (GPtrArray *record)
{
  for (guint i = 0; i < record->len; i++)
    {
      const char *f = g_ptr_array_index (record, i);
      for (; *f; f++)
        if (!g_ascii_isspace (*f))
          return FALSE;
    }
  return TRUE;
}

/* The file's text as UTF-8: UTF-8 (with or without BOM), else GB18030 as Chinese exports are. */
static char *
file_text (const char *path,
           gsize      *out_len,
           GError    **error)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  const char *start;

  if (!g_file_get_contents (path, &data, &len, error))
    return NULL;
  if (len > MAX_FILE_BYTES)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   _("“%s” is too large for a payment file"), path);
      return NULL;
    }
  start = data;
  if (len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    start += 3;
  if (g_utf8_validate_len (start, len - (gsize) (start - data), NULL))
    {
      *out_len = len - (gsize) (start - data);
      return g_strndup (start, *out_len);
    }
  {
    char *converted = g_convert (data, (gssize) len, "UTF-8", "GB18030", NULL, out_len, NULL);
    if (converted == NULL)
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   _("“%s” is neither UTF-8 nor GB18030 text"), path);
    return converted;
  }
}

static void
spec_strings_free (gpointer data)
{
  g_strfreev (data);
}

static void
preview_row_free (gpointer data)
{
  TsyPaymentPreviewRow *row = data;

  g_free (row->debtor_account);
  g_free (row->creditor_name);
  g_free (row->creditor_account);
  g_free (row->creditor_bic);
  g_free (row->creditor_cnaps);
  g_free (row->creditor_bank);
  g_free (row->remittance);
  g_free (row->purpose);
  g_free (row->category);
  g_free (row);
}

void
tsy_payment_preview_free (TsyPaymentPreview *preview)
{
  if (preview == NULL)
    return;
  g_free (preview->file);
  g_clear_pointer (&preview->rows, g_ptr_array_unref);
  g_clear_pointer (&preview->totals, g_array_unref);
  g_free (preview->refusal_reason);
  g_clear_error (&preview->refusal);
  g_free (preview);
}

/* Records the first refusal (takes @reason). With @prefix the import's error names the file and
 * @line; without, the message names them already (or concerns no line). */
static void
refuse (TsyPaymentPreview *preview,
        guint              line,
        gboolean           prefix,
        GError            *reason)
{
  g_assert (preview->refusal == NULL);
  preview->refusal_line = line;
  preview->refusal_reason = g_strdup (reason->message);
  if (prefix)
    g_prefix_error (&reason,
                    /* Translators: %1$s a file name, %2$u a line number */
                    _("%1$s, line %2$u: "), preview->file, line);
  preview->refusal = reason;
}

static char *
dup_optional (const char *text)
{
  return text != NULL && *text != '\0' ? g_strdup (text) : NULL;
}

/* Adds row @index of @check (parsed from @spec at @line) to the preview and its totals. */
static gboolean
add_preview_row (TsyPaymentPreview    *preview,
                 TsyPaymentRowCheck   *check,
                 guint                 index,
                 const TsyPaymentSpec *spec,
                 guint                 line,
                 GError              **error)
{
  TsyPaymentPreviewRow *row;
  TsyPaymentPreviewTotal *total = NULL;

  for (guint i = 0; i < preview->totals->len && total == NULL; i++)
    if (strcmp (g_array_index (preview->totals, TsyPaymentPreviewTotal, i).currency,
                spec->currency) == 0)
      total = &g_array_index (preview->totals, TsyPaymentPreviewTotal, i);
  if (total == NULL)
    {
      TsyPaymentPreviewTotal t = { { 0 }, 0, 0 };

      g_strlcpy (t.currency, spec->currency, sizeof t.currency);
      g_array_append_val (preview->totals, t);
      total = &g_array_index (preview->totals, TsyPaymentPreviewTotal, preview->totals->len - 1);
    }
  if (!tsy_money_add (total->total_minor, spec->amount_minor, &total->total_minor, error))
    return FALSE;
  total->count++;

  /* What insert_payment() saves. */
  row = g_new0 (TsyPaymentPreviewRow, 1);
  row->line = line;
  row->debtor_account = g_strdup (tsy_payment_row_check_account (check, index)->number);
  row->creditor_name = g_strdup (spec->creditor_name);
  row->creditor_account = g_strdup (tsy_payment_row_check_creditor (check, index));
  if (spec->creditor_bic != NULL && *spec->creditor_bic != '\0')
    row->creditor_bic = g_ascii_strup (spec->creditor_bic, -1);
  row->creditor_cnaps = dup_optional (spec->creditor_cnaps);
  row->creditor_bank = dup_optional (spec->creditor_bank);
  row->amount_minor = spec->amount_minor;
  g_strlcpy (row->currency, spec->currency, sizeof row->currency);
  row->execution_date = spec->execution_date;
  row->remittance = dup_optional (spec->remittance);
  row->purpose = dup_optional (spec->purpose);
  row->category = dup_optional (spec->category);
  row->urgency = spec->urgency;
  g_ptr_array_add (preview->rows, row);
  return TRUE;
}

/* A refusal that is not the file's fault: the database failed. */
static gboolean
is_store_error (const GError *error)
{
  return g_error_matches (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_STORE);
}

/*
 * The one parser and checker of payment files: reads @path, checks the header, then checks
 * every row as tsy_payment_create_batch() will (tsy_payment_row_check_add()), filling @preview
 * and @specs (whose strings live in @keep) until the first refusal. Writes nothing.
 * Returns: FALSE with @error only when the database fails; a refusal is in @preview.
 */
static gboolean
parse_and_check (TsyStore          *store,
                 const char        *path,
                 gboolean           confirm_duplicates,
                 const char        *maker,
                 TsyPaymentPreview *preview,
                 GArray            *specs,
                 GPtrArray         *keep,
                 GError           **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) header = NULL;
  g_autoptr(TsyPaymentRowCheck) check = NULL;
  int col[N_COLS];
  gsize len = 0, pos = 0;
  guint line = 1;
  GError *local_error = NULL;

  text = file_text (path, &len, &local_error);
  if (text == NULL)
    {
      refuse (preview, 0, FALSE, local_error);
      return TRUE;
    }
  header = next_record (text, len, &pos, &line, &local_error);
  if (header == NULL)
    {
      if (local_error == NULL)
        g_set_error (&local_error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                     _("“%s” is empty"), path);
      refuse (preview, 1, FALSE, local_error);
      return TRUE;
    }
  for (guint c = 0; c < N_COLS; c++)
    col[c] = -1;
  for (guint i = 0; i < header->len; i++)
    {
      g_autofree char *name = g_utf8_strdown (g_strstrip ((char *) g_ptr_array_index (header, i)), -1);
      gboolean known = FALSE;
      for (guint h = 0; h < G_N_ELEMENTS (headers); h++)
        if (strcmp (name, headers[h].name) == 0)
          {
            col[headers[h].column] = (int) i;
            known = TRUE;
          }
      if (!known && *name != '\0')
        {
          g_set_error (&local_error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                       _("Line 1: unknown column “%s”"), name);
          refuse (preview, 1, FALSE, local_error);
          return TRUE;
        }
    }
  for (guint r = 0; r < G_N_ELEMENTS (required); r++)
    if (col[required[r]] < 0)
      {
        g_set_error (&local_error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                     "%s", _("Line 1: the header needs the columns from, to_name, to_account, "
                             "amount, currency and date"));
        refuse (preview, 1, FALSE, local_error);
        return TRUE;
      }

  if (maker != NULL)
    {
      g_autoptr(TsyUserInfo) user = tsy_user_require (store, maker, TSY_ROLE_MAKER | TSY_ROLE_ADMIN,
                                                      &local_error);
      if (user == NULL)
        {
          if (is_store_error (local_error))
            {
              g_propagate_error (error, local_error);
              return FALSE;
            }
          refuse (preview, 0, FALSE, local_error);
          return TRUE;
        }
    }

  check = tsy_payment_row_check_new ();
  for (;;)
    {
      g_autoptr(GPtrArray) record = NULL;
      TsyPaymentSpec spec = { 0 };
      guint row_line = line;
      const char *amount, *currency, *date, *urgency;
      char **strings;

      record = next_record (text, len, &pos, &line, &local_error);
      if (local_error != NULL)
        {
          refuse (preview, row_line, FALSE, local_error);
          return TRUE;
        }
      if (record == NULL)
        break;
      if (record_is_blank (record))
        continue;
      if (specs->len >= MAX_ROWS)
        {
          g_set_error (&local_error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                       _("A payment file has at most %u rows"), MAX_ROWS);
          refuse (preview, row_line, FALSE, local_error);
          return TRUE;
        }
      /* The strings live as long as the specs. */
      strings = g_new0 (char *, N_COLS + 1);
      for (guint c = 0; c < N_COLS; c++)
        {
          const char *v = field_at (record, col[c]);
          strings[c] = v ? g_strstrip (g_strdup (v)) : NULL;
        }
      g_ptr_array_add (keep, strings);

      spec.debtor_account = strings[COL_FROM];
      spec.creditor_name = strings[COL_TO_NAME];
      spec.creditor_account = strings[COL_TO_ACCOUNT];
      spec.creditor_bic = strings[COL_TO_BIC];
      spec.creditor_cnaps = strings[COL_TO_CNAPS];
      spec.creditor_bank = strings[COL_TO_BANK];
      spec.remittance = strings[COL_TEXT];
      spec.purpose = strings[COL_PURPOSE];
      spec.category = strings[COL_CATEGORY];
      spec.confirm_duplicate = confirm_duplicates;
      amount = strings[COL_AMOUNT];
      currency = strings[COL_CURRENCY];
      date = strings[COL_DATE];
      urgency = strings[COL_URGENCY];
      if (currency != NULL)
        {
          char *up = g_ascii_strup (currency, -1);
          g_free (strings[COL_CURRENCY]);
          strings[COL_CURRENCY] = up;
          currency = up;
        }
      spec.currency = currency;

      if (!tsy_currency_check (currency, &local_error) ||
          !tsy_money_parse (amount, -1, currency, TSY_DECIMAL_POINT, &spec.amount_minor, &local_error) ||
          !tsy_date_parse_iso (date ? date : "", &spec.execution_date, &local_error))
        goto bad_row;
      if (urgency != NULL && *urgency != '\0' && !tsy_urgency_from_string (urgency, &spec.urgency))
        {
          if (strcmp (urgency, "加急") == 0 || strcmp (urgency, "是") == 0)
            spec.urgency = TSY_URGENCY_URGENT;
          else if (strcmp (urgency, "普通") == 0 || strcmp (urgency, "否") == 0)
            spec.urgency = TSY_URGENCY_NORMAL;
          else
            {
              g_set_error (&local_error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                           _("“%s” is not an urgency (normal or urgent)"), urgency);
              goto bad_row;
            }
        }
      /* Against the database and the file's rows before it, as the batch is saved. */
      if (!tsy_payment_row_check_add (check, store, &spec, &local_error) ||
          !add_preview_row (preview, check, specs->len, &spec, row_line, &local_error))
        goto bad_row;
      g_array_append_val (specs, spec);
      continue;

    bad_row:
      if (is_store_error (local_error))
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
      refuse (preview, row_line, TRUE, local_error);
      return TRUE;
    }

  if (specs->len == 0)
    {
      g_set_error (&local_error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_INVALID,
                   _("“%s” holds no payments"), path);
      refuse (preview, 0, FALSE, local_error);
    }
  return TRUE;
}

/* The preview of @path, in a read transaction of its own unless the caller has one. */
static TsyPaymentPreview *
preview_csv (TsyStore   *store,
             const char *path,
             gboolean    confirm_duplicates,
             const char *maker,
             GArray     *specs,
             GPtrArray  *keep,
             GError    **error)
{
  g_autoptr(TsyPaymentPreview) preview = g_new0 (TsyPaymentPreview, 1);
  gboolean own = sqlite3_get_autocommit (tsy_store_get_db (store)) != 0;
  gboolean ok;

  preview->file = g_path_get_basename (path);
  preview->rows = g_ptr_array_new_with_free_func (preview_row_free);
  preview->totals = g_array_new (FALSE, TRUE, sizeof (TsyPaymentPreviewTotal));
  /* A deferred transaction only reads: every row sees one snapshot, no write lock is taken. */
  if (own && !tsy_store_exec (store, "BEGIN DEFERRED", error))
    return NULL;
  ok = parse_and_check (store, path, confirm_duplicates, maker, preview, specs, keep, error);
  if (own)
    tsy_store_exec (store, "ROLLBACK", NULL);
  return ok ? g_steal_pointer (&preview) : NULL;
}

TsyPaymentPreview *
tsy_payment_preview_csv (TsyStore   *store,
                         const char *path,
                         gboolean    confirm_duplicates,
                         const char *maker,
                         GError    **error)
{
  g_autoptr(GArray) specs = NULL;
  g_autoptr(GPtrArray) keep = NULL;

  g_return_val_if_fail (TSY_IS_STORE (store), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  specs = g_array_new (FALSE, TRUE, sizeof (TsyPaymentSpec));
  keep = g_ptr_array_new_with_free_func (spec_strings_free);
  return preview_csv (store, path, confirm_duplicates, maker, specs, keep, error);
}

/* The import is the preview, then the batch saved in one write transaction (which checks every
 * row again, with the same code, against the database as it is then). */
gint64
tsy_payment_import_csv (TsyStore     *store,
                        const char   *path,
                        TsyBatchKind  kind,
                        gboolean      confirm_duplicates,
                        const char   *maker,
                        guint        *out_count,
                        GError      **error)
{
  g_autoptr(TsyPaymentPreview) preview = NULL;
  g_autoptr(GArray) specs = NULL;
  g_autoptr(GPtrArray) keep = NULL;
  gint64 batch_id;

  g_return_val_if_fail (TSY_IS_STORE (store), 0);
  g_return_val_if_fail (path != NULL, 0);

  specs = g_array_new (FALSE, TRUE, sizeof (TsyPaymentSpec));
  keep = g_ptr_array_new_with_free_func (spec_strings_free);
  preview = preview_csv (store, path, confirm_duplicates, maker, specs, keep, error);
  if (preview == NULL)
    return 0;
  if (preview->refusal != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&preview->refusal));
      return 0;
    }
  batch_id = tsy_payment_create_batch (store, kind, preview->file,
                                       (TsyPaymentSpec *) (gpointer) specs->data, specs->len,
                                       maker, error);
  if (batch_id != 0 && out_count != NULL)
    *out_count = specs->len;
  return batch_id;
}
