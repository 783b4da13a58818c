/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "tsy-ledger-error.h"

G_DEFINE_QUARK (tsy-ledger-error-quark, tsy_ledger_error)
