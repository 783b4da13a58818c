/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness for tsy_pain002_parse(): any input either parses into a report whose strings
 * are valid UTF-8 and whose status codes have 1–4 characters, or fails with an error; it never
 * crashes, leaks or reads out of bounds. A parsed report is written again and parsed back. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "banks/formats/tsy-pain002.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check_text (const char *text, gboolean code)
{
  if (text == NULL)
    return;
  if (!g_utf8_validate (text, -1, NULL))
    abort ();
  if (code && (strlen (text) < 1 || strlen (text) > 4))
    abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  GError *error = NULL;
  TsyStatusReport *report = tsy_pain002_parse ((const char *) data, size, "fuzz.xml", &error);

  if (report == NULL)
    {
      if (error == NULL || !g_utf8_validate (error->message, -1, NULL))
        abort ();
      g_error_free (error);
      return 0;
    }
  if (report->orig_msg_id == NULL)
    abort ();
  check_text (report->orig_msg_id, FALSE);
  check_text (report->group_status, TRUE);
  check_text (report->group_reason, FALSE);
  for (guint i = 0; i < report->txs->len; i++)
    {
      TsyTxStatus *tx = g_ptr_array_index (report->txs, i);
      check_text (tx->end_to_end_id, FALSE);
      check_text (tx->status, TRUE);
      check_text (tx->reason, FALSE);
    }
  for (guint i = 0; i < report->pmt_infs->len; i++)
    {
      TsyPmtInfStatus *p = g_ptr_array_index (report->pmt_infs, i);
      check_text (p->pmt_inf_id, FALSE);
      check_text (p->status, TRUE);
    }
  {
    /* what we write, we read back with the same transactions */
    GDateTime *now = g_date_time_new_from_unix_utc (0);
    GBytes *again = tsy_pain002_write (report, now);
    gsize len = 0;
    const char *text = g_bytes_get_data (again, &len);
    TsyStatusReport *back = tsy_pain002_parse (text, len, "again.xml", NULL);
    if (back == NULL || back->txs->len != report->txs->len)
      abort ();
    tsy_status_report_free (back);
    g_bytes_unref (again);
    g_date_time_unref (now);
  }
  tsy_status_report_free (report);
  return 0;
}
