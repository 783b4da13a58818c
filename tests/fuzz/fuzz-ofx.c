/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness for tsy_ofx_parse(): any input either parses or fails with an error; it
 * never crashes, leaks or reads out of bounds, and hands the sink only valid UTF-8 (see
 * tsy-fuzz-sink.c for the checks). */
#include <stddef.h>
#include <stdint.h>

#include "banks/formats/tsy-statement-format.h"
#include "tsy-fuzz-sink.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  (void) tsy_statement_format_detect (data, size);
  tsy_fuzz_run (tsy_ofx_parse, data, size);
  return 0;
}
