/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "tsy-export-error.h"

G_DEFINE_QUARK (tsy-export-error-quark, tsy_export_error)
