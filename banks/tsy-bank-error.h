/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TSY_BANK_ERROR (tsy_bank_error_quark ())

typedef enum
{
  TSY_BANK_ERROR_PARSE,        /* malformed bank file: message names file, line or XML path, reason */
  TSY_BANK_ERROR_UNSUPPORTED,  /* a format or version we do not read */
  TSY_BANK_ERROR_IO,
  TSY_BANK_ERROR_NETWORK,
  TSY_BANK_ERROR_TLS,
  TSY_BANK_ERROR_REFUSED,      /* the bank said no */
  TSY_BANK_ERROR_UNKNOWN_OUTCOME,
  TSY_BANK_ERROR_PASSPHRASE,   /* the passphrase does not open the key */
  TSY_BANK_ERROR_SIGNATURE,    /* a key that is unusable, a signature that does not verify */
} TsyBankError;

GQuark tsy_bank_error_quark (void);

G_END_DECLS
