/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "tsy-cli.h"

int
main (int argc, char **argv)
{
  const char *localedir = g_getenv ("TREASURY_LOCALEDIR");

  /* A locale that is not generated on this machine (zh_CN.UTF-8 on a minimal system) must not
   * drop us to plain C: C.UTF-8 still honours LANGUAGE=zh_CN for the translations. */
  if (setlocale (LC_ALL, "") == NULL)
    setlocale (LC_ALL, "C.UTF-8");
  /* TREASURY_LOCALEDIR lets an uninstalled build (scripts/run-demo.sh, tests) find its catalogs. */
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  return tsy_cli_main (argc, argv);
}
