/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs a command headless, or opens the window when there is none. */
int tsy_cli_main (int argc, char **argv);

G_END_DECLS
