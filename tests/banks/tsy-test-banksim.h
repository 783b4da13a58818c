/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * A treasury-banksim for a test: certificates made now with the openssl command (a CA, the
 * server's for 127.0.0.1, a client's; no private key is ever committed), the simulator started
 * on 127.0.0.1 with a port of its own choice, stopped by tsy_test_bank_stop() — and by itself
 * when the test dies (parent-death signal) or after --max-lifetime.
 */

typedef struct
{
  char  *dir;          /* everything of this bank: certificates, state */
  char  *url;          /* https://127.0.0.1:PORT */
  char  *ca;           /* the bank's CA (to pin) */
  char  *client_cert;
  char  *client_key;
  char  *other_ca;     /* a CA that signed nothing of this bank */
  char  *other_cert;   /* a client certificate of that other CA */
  char  *other_key;
  char  *share;        /* the bank's file gateway (--share): outbox/, inbox/, processed/ */
  GPid   pid;
} TsyTestBank;

/* Skips the test (returns NULL) when the simulator or openssl is missing. */
TsyTestBank *tsy_test_bank_start   (const char *const *accounts,
                                    const char        *faults,
                                    guint              lifetime_s);
void         tsy_test_bank_stop    (TsyTestBank       *bank);
/* An HTTPS request to the simulator with the client certificate; @body NULL for GET.
 * Returns: (transfer full): the answer's body; *@out_status the HTTP status. */
char        *tsy_test_bank_request (TsyTestBank       *bank,
                                    const char        *path,
                                    const char        *body,
                                    long              *out_status);
/* The simulator's own word (/admin/executions): how many times it executed @e2e. */
guint        tsy_test_bank_executions (TsyTestBank    *bank,
                                       const char     *e2e);
/* Runs $TREASURY_BIN --db @db @args with @input (may be NULL) on its standard input; asserts
 * that it exits with @expect. Returns: (transfer full): its standard output; *@out_err (may be
 * NULL) its standard error. */
char        *tsy_test_cli          (const char        *db,
                                    const char        *input,
                                    int                expect,
                                    char             **out_err,
                                    const char *const *args);
/* Runs openssl with @args in @dir; asserts success. */
void         tsy_test_openssl      (const char        *dir,
                                    const char *const *args);
/* Removes a folder and everything in it. */
void         tsy_test_remove_tree  (const char        *path);

G_END_DECLS
