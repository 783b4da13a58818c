/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TSY_LEDGER_ERROR (tsy_ledger_error_quark ())

/**
 * TsyLedgerError:
 * @TSY_LEDGER_ERROR_INVALID: input that breaks a rule (bad amount, bad code, bad IBAN)
 * @TSY_LEDGER_ERROR_NOT_FOUND: a referenced code, account or record does not exist
 * @TSY_LEDGER_ERROR_DUPLICATE: the record exists already
 * @TSY_LEDGER_ERROR_CURRENCY_MISMATCH: two currencies were mixed
 * @TSY_LEDGER_ERROR_OVERFLOW: an amount does not fit in 64 bits of minor units
 * @TSY_LEDGER_ERROR_MISSING_RATE: no FX rate for the pair at the date
 * @TSY_LEDGER_ERROR_STORE: the database failed or has a newer schema
 * @TSY_LEDGER_ERROR_UNBALANCED: opening + movements != closing
 * @TSY_LEDGER_ERROR_DENIED: the user may not do this (maker-checker, roles)
 */
typedef enum
{
  TSY_LEDGER_ERROR_INVALID,
  TSY_LEDGER_ERROR_NOT_FOUND,
  TSY_LEDGER_ERROR_DUPLICATE,
  TSY_LEDGER_ERROR_CURRENCY_MISMATCH,
  TSY_LEDGER_ERROR_OVERFLOW,
  TSY_LEDGER_ERROR_MISSING_RATE,
  TSY_LEDGER_ERROR_STORE,
  TSY_LEDGER_ERROR_UNBALANCED,
  TSY_LEDGER_ERROR_DENIED,
} TsyLedgerError;

GQuark tsy_ledger_error_quark (void);

G_END_DECLS
