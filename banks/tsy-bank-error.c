/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "tsy-bank-error.h"

G_DEFINE_QUARK (tsy-bank-error-quark, tsy_bank_error)
