/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ledger/tsy-store.h"

G_BEGIN_DECLS

#define TSY_TYPE_PAYMENT_FORM (tsy_payment_form_get_type ())
G_DECLARE_FINAL_TYPE (TsyPaymentForm, tsy_payment_form, TSY, PAYMENT_FORM, GtkWidget)

/*
 * The new payment form of the Payments page. The ledger checks it as the user types (after a
 * short pause, on a worker thread with its own connection): account, daily limit, whitelist,
 * IBAN and BIC, currency, duplicates; the reason is shown under the form. Saved as a draft or
 * saved and submitted by the current user (the maker).
 *
 * Signals: "saved" (gint64 id, gboolean submitted) after a save; "failed" (GError) when a save
 * was refused (the reason is also shown under the form).
 */
GtkWidget  *tsy_payment_form_new               (void);
void        tsy_payment_form_set_store         (TsyPaymentForm *self,
                                                TsyStore       *store);
/* The maker; NULL: nobody can save. Checks the form again. */
void        tsy_payment_form_set_user          (TsyPaymentForm *self,
                                                const char     *user);
/* Gets the form ready for a new payment (today's date when none) and focuses it. */
void        tsy_payment_form_start             (TsyPaymentForm *self);
/* Fills the form as typed (the check runs after the pause). */
void        tsy_payment_form_fill              (TsyPaymentForm *self,
                                                const char     *from,
                                                const char     *to_name,
                                                const char     *to_account,
                                                const char     *to_bank,
                                                const char     *amount,
                                                const char     *currency,
                                                const char     *date,
                                                const char     *text);
/* The reason shown under the form, or NULL. */
const char *tsy_payment_form_get_error         (TsyPaymentForm *self);
/* TRUE once the last typed content was checked. */
gboolean    tsy_payment_form_get_checked       (TsyPaymentForm *self);
/* Ticks "make it anyway" after a duplicate warning; FALSE when no warning is shown. */
gboolean    tsy_payment_form_confirm_duplicate (TsyPaymentForm *self);
/* Saves the form as a draft (@submit FALSE) or saves and submits it. */
void        tsy_payment_form_save              (TsyPaymentForm *self,
                                                gboolean        submit);
/* Checks and saves not yet finished (a pending check counts). */
guint       tsy_payment_form_get_pending       (TsyPaymentForm *self);

G_END_DECLS
