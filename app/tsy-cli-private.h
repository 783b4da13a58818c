/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "ledger/tsy-payment.h"
#include "ledger/tsy-store.h"
#include "tsy-json.h"

G_BEGIN_DECLS

typedef struct
{
  char     *db_path;       /* resolved path */
  gboolean  db_existed;    /* the file was there before this command */
  TsyStore *store;         /* opened by tsy_cli_open () */
} TsyCli;

typedef int (*TsyCliCommandFunc) (TsyCli *cli, int argc, char **argv);

/* Parses options with GOptionContext; negative numbers stay positional. FALSE: usage error printed. */
gboolean  tsy_cli_parse_options (int           *argc,
                                 char        ***argv,
                                 const char    *usage,
                                 const GOptionEntry *entries);
/* Opens the database (it must exist unless @create). Prints the error and returns NULL. */
TsyStore *tsy_cli_open          (TsyCli   *cli,
                                 gboolean  create);
/* Prints "treasury: MESSAGE" on stderr and returns 1. Removes a database this command created. */
int       tsy_cli_fail          (TsyCli   *cli,
                                 GError   *error);
int       tsy_cli_usage_error   (const char *format,
                                 ...) G_GNUC_PRINTF (1, 2);
void      tsy_cli_print_json    (TsyJson  *json);
/* TRUE when exactly @n positional arguments follow the command name; otherwise prints
 * "Usage: @usage" and returns FALSE. */
gboolean  tsy_cli_want_args     (int         argc,
                                 int         n,
                                 const char *usage);

/* Commands (one file per area). */
int tsy_cli_cmd_init        (TsyCli *cli, int argc, char **argv);
int tsy_cli_cmd_demo        (TsyCli *cli, int argc, char **argv);
int tsy_cli_cmd_org_add     (TsyCli *cli, int argc, char **argv);
int tsy_cli_cmd_org_list    (TsyCli *cli, int argc, char **argv);
int tsy_cli_cmd_bank_add    (TsyCli *cli, int argc, char **argv);
int tsy_cli_cmd_bank_list   (TsyCli *cli, int argc, char **argv);
int tsy_cli_cmd_account_add (TsyCli *cli, int argc, char **argv);
int tsy_cli_cmd_account_list (TsyCli *cli, int argc, char **argv);
int tsy_cli_cmd_fx_set      (TsyCli *cli, int argc, char **argv);
int tsy_cli_cmd_balance_set (TsyCli *cli, int argc, char **argv);
int tsy_cli_cmd_balances    (TsyCli *cli, int argc, char **argv);
int tsy_cli_cmd_import      (TsyCli *cli, int argc, char **argv);
int tsy_cli_cmd_lines       (TsyCli *cli, int argc, char **argv);

/* Payments (tsy-cli-payments.c, tsy-cli-send.c). */
int tsy_cli_cmd_user_add      (TsyCli *cli, int argc, char **argv);
int tsy_cli_cmd_user_list     (TsyCli *cli, int argc, char **argv);
int tsy_cli_cmd_policy_set    (TsyCli *cli, int argc, char **argv);
int tsy_cli_cmd_policy_list   (TsyCli *cli, int argc, char **argv);
int tsy_cli_cmd_whitelist_add (TsyCli *cli, int argc, char **argv);
int tsy_cli_cmd_pay_new       (TsyCli *cli, int argc, char **argv);
int tsy_cli_cmd_pay_import    (TsyCli *cli, int argc, char **argv);
int tsy_cli_cmd_pay_submit    (TsyCli *cli, int argc, char **argv);
int tsy_cli_cmd_pay_approve   (TsyCli *cli, int argc, char **argv);
int tsy_cli_cmd_pay_reject    (TsyCli *cli, int argc, char **argv);
int tsy_cli_cmd_pay_status    (TsyCli *cli, int argc, char **argv);
int tsy_cli_cmd_pay_send      (TsyCli *cli, int argc, char **argv);
int tsy_cli_cmd_pay_export    (TsyCli *cli, int argc, char **argv);
int tsy_cli_cmd_bank_connect  (TsyCli *cli, int argc, char **argv);
int tsy_cli_cmd_bank_status   (TsyCli *cli, int argc, char **argv);
int tsy_cli_cmd_bank_open     (TsyCli *cli, int argc, char **argv);
int tsy_cli_cmd_bank_close    (TsyCli *cli, int argc, char **argv);
int tsy_cli_cmd_bank_fetch    (TsyCli *cli, int argc, char **argv);
/* "cli:<login>" unless a user is named. Returns: (transfer full) */
char *tsy_cli_actor           (const char *user);
/* From descriptor @fd (>= 0) or the terminal. Returns: (transfer full): free with
 * tsy_secret_free() (banks/tsy-crypto.h), or NULL with @error. */
char *tsy_cli_passphrase      (int         fd,
                               const char *prompt,
                               gboolean    confirm,
                               GError    **error);
void  tsy_cli_json_payment    (TsyJson              *json,
                               const TsyPaymentInfo *payment);
int tsy_cli_cmd_book_import (TsyCli *cli, int argc, char **argv);
int tsy_cli_cmd_book_opening (TsyCli *cli, int argc, char **argv);
int tsy_cli_cmd_reconcile   (TsyCli *cli, int argc, char **argv);
int tsy_cli_cmd_match       (TsyCli *cli, int argc, char **argv);
int tsy_cli_cmd_unmatch     (TsyCli *cli, int argc, char **argv);
int tsy_cli_cmd_recon_statement (TsyCli *cli, int argc, char **argv);

G_END_DECLS
