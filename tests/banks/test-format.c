/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Placeholder: the format tests land with the parser (issue 4). */
#include "banks/formats/tsy-statement-format.h"
#include "tsy-test-sink.h"

static void
test_placeholder (void)
{
  g_assert_cmpstr (tsy_statement_format_to_string (TSY_STATEMENT_FORMAT_UNKNOWN), ==, "unknown");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/banks/format/placeholder", test_placeholder);
  return g_test_run ();
}
