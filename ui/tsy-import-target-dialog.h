/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TSY_TYPE_IMPORT_TARGET_DIALOG (tsy_import_target_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TsyImportTargetDialog, tsy_import_target_dialog, TSY, IMPORT_TARGET_DIALOG,
                      AdwMessageDialog)

/*
 * Asks into which account a statement file goes, and with which CSV column profile: what
 * `treasury import --account NUMBER --profile FILE.ini` gives on the command line. Responses:
 * "cancel" (the close response) and "import" (enabled once an account is chosen, unless the
 * file may keep the account it names).
 */

/* Whether the refusal @error of a file's import is one the user resolves with this dialog: the
 * file names no account, or one not registered, or one in another currency (ledger
 * NOT_FOUND, CURRENCY_MISMATCH); or the layout is not recognised (banks UNSUPPORTED, or
 * PARSE for a file named *.csv: a column profile may read it). */
gboolean               tsy_import_target_dialog_can_resolve (GFile        *file,
                                                             const GError *error);

/* @file: the file refused (with @error, its reason), or NULL to choose the account before the
 * files. @accounts: (element-type TsyAccountInfo) the group's accounts. @account: the number
 * chosen first, or NULL. */
TsyImportTargetDialog *tsy_import_target_dialog_new         (GtkWindow    *parent,
                                                             GFile        *file,
                                                             const GError *error,
                                                             GPtrArray    *accounts,
                                                             const char   *account);
/* Returns: (transfer none) (nullable) */
GFile                 *tsy_import_target_dialog_get_file    (TsyImportTargetDialog *self);
/* The number of the account chosen, or NULL (the account the file names). */
const char            *tsy_import_target_dialog_get_account (TsyImportTargetDialog *self);
/* Chooses the account @number; FALSE when it is not in the list. */
gboolean               tsy_import_target_dialog_select_account (TsyImportTargetDialog *self,
                                                                const char            *number);
/* The column profile chosen (a path), or NULL. */
const char            *tsy_import_target_dialog_get_profile (TsyImportTargetDialog *self);
void                   tsy_import_target_dialog_set_profile (TsyImportTargetDialog *self,
                                                             const char            *path);

/* The chooser of statement files (several at once, "Bank statements" and "All files"), modal
 * on @parent. Returns: (transfer full) */
GtkFileChooserNative  *tsy_import_target_dialog_new_files_chooser (GtkWindow *parent);

G_END_DECLS
