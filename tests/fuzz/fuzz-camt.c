/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Placeholder harness until the parser lands (issue 4). */
#include <stdint.h>
#include <stddef.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  return 0;
}
