/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness for the CSV statement parser: any bytes, with no profile or (when the first
 * byte is 1, 2 or 3) one of three column profiles; a sink that checks what it is given. */
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "banks/formats/tsy-statement-format.h"
#include "ledger/tsy-money.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static TsyCsvProfile *profiles[3];

static const char * const profile_texts[3] = {
  /* no header row, columns by number */
  "[profile]\nheader=false\ndelimiter=|\nskip_lines=1\ndate_format=%d.%m.%Y\n"
  "[columns]\nbooking_date=1\namount=2\ndirection=3\ndirection_debit=S,借\n"
  "direction_credit=H\nbalance=4\ntext=5,6\nbank_ref=7\naccount=8\ncurrency=9\n",
  /* columns by name, decimal comma */
  "[profile]\ndecimal=comma\ncurrency=EUR\naccount=DE001\ndate_format=YYYY-MM-DD\n"
  "[columns]\nbooking_date=Datum\nvalue_date=Valuta\ndebit=Soll\ncredit=Haben\nbalance=Saldo\n"
  "text=Text,Zweck\ncounterparty_name=Name\n",
  /* GB18030 forced, header after skipped lines */
  "[profile]\nencoding=GB18030\nskip_lines=2\ndelimiter=,\n",
};

typedef struct
{
  gsize   n;
  gboolean open;
} State;

static void
touch (State      *state,
       const char *s)
{
  /* every string is valid UTF-8 and readable: the sanitizers see a dangling pointer */
  if (s == NULL)
    return;
  g_assert (g_utf8_validate (s, -1, NULL));
  state->n += strlen (s);
}

static gboolean
on_begin (gpointer                  user_data,
          const TsyStatementHeader *header,
          GError                  **error)
{
  State *state = user_data;

  g_assert (!state->open);
  state->open = TRUE;
  g_assert (strcmp (header->format, "csv") == 0);
  touch (state, header->account);
  touch (state, header->currency);
  touch (state, header->statement_id);
  if (header->currency != NULL)
    g_assert (tsy_currency_is_known (header->currency));
  return TRUE;
}

static gboolean
on_entry (gpointer                 user_data,
          const TsyStatementEntry *entry,
          GError                 **error)
{
  State *state = user_data;

  g_assert (state->open);
  g_assert (entry->booking_date != TSY_DATE_NONE);
  touch (state, entry->raw);
  touch (state, entry->text);
  touch (state, entry->bank_ref);
  touch (state, entry->customer_ref);
  touch (state, entry->counterparty_name);
  touch (state, entry->counterparty_account);
  touch (state, entry->counterparty_bank);
  touch (state, entry->bank_tx_code);
  return TRUE;
}

static gboolean
on_end (gpointer                  user_data,
        const TsyStatementHeader *header,
        GError                  **error)
{
  State *state = user_data;

  g_assert (state->open);
  state->open = FALSE;
  touch (state, header->statement_id);
  return TRUE;
}

static const TsyStatementSink sink = { on_begin, on_entry, on_end };

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autofree char *dir = g_dir_make_tmp ("fuzz-csv-XXXXXX", NULL);

  g_assert (dir != NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (profiles); i++)
    {
      g_autofree char *name = g_strdup_printf ("p%" G_GSIZE_FORMAT ".ini", i);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(GError) error = NULL;

      g_assert (g_file_set_contents (path, profile_texts[i], -1, NULL));
      profiles[i] = tsy_csv_profile_load (path, &error);
      if (profiles[i] == NULL)
        g_error ("profile %" G_GSIZE_FORMAT ": %s", i, error->message);
      g_unlink (path);
    }
  g_rmdir (dir);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GError) error = NULL;
  const TsyCsvProfile *profile = NULL;
  State state = { 0 };

  if (size > 0 && data[0] >= 1 && data[0] <= G_N_ELEMENTS (profiles))
    {
      profile = profiles[data[0] - 1];
      data++;
      size--;
    }
  in = g_memory_input_stream_new_from_data (data, (gssize) size, NULL);
  if (tsy_csv_parse (in, "fuzz.csv", profile, &sink, &state, NULL, &error))
    g_assert (!state.open && error == NULL);
  else
    g_assert (error != NULL && error->domain == TSY_BANK_ERROR &&
              g_str_has_prefix (error->message, "fuzz.csv: "));
  return 0;
}
