/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "tsy-cli.h"

int
tsy_cli_main (int argc, char **argv)
{
  return 0;
}
