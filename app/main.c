/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "tsy-cli.h"

int
main (int argc, char **argv)
{
  const char *localedir = g_getenv ("TREASURY_LOCALEDIR");

  setlocale (LC_ALL, "");
  /* TREASURY_LOCALEDIR lets an uninstalled build (scripts/run-demo.sh, tests) find its catalogs. */
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  return tsy_cli_main (argc, argv);
}
