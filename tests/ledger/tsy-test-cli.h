/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What the tests of the `treasury` command line share: running the binary as a user runs it
 * (exit status, standard output and error captured), a file's digest to prove a failing
 * command changed nothing, and removing a test's directory. */

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  int   status;   /* the exit status; 128 when the command did not exit */
  char *out;
  char *err;
} TsyTestRun;

void tsy_test_run_clear (TsyTestRun *r);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TsyTestRun, tsy_test_run_clear)

/* Runs @treasury [--db @db] @args (NULL-terminated; no --db when @db is NULL), standard input
 * inherited, output as it comes. Fails the test when the binary cannot be started. */
void  tsy_test_cli_run       (TsyTestRun         *r,
                              const char         *treasury,
                              const char         *db,
                              const char * const *args);
/* Runs @treasury --db @db @args with @input (or nothing) on its standard input, for
 * --passphrase-fd 0; the output must be UTF-8. */
void  tsy_test_cli_run_input (TsyTestRun         *r,
                              const char         *treasury,
                              const char         *db,
                              const char         *input,
                              const char * const *args);

/* After a command that must fail: a non-zero exit and exactly one line "treasury: …" on
 * standard error. */
void  tsy_test_cli_assert_failed (const TsyTestRun   *r,
                                  const char * const *args);

/* Runs @treasury --db @db @args (as tsy_test_cli_run()); fails the test unless it exits 0. */
void  tsy_test_cli_must_succeed (const char         *treasury,
                                 const char         *db,
                                 const char * const *args);
/* Runs a command that must fail: non-zero exit, one line "treasury: …" naming @needle (when
 * not NULL) on stderr, and the database file @db byte for byte unchanged. */
void  tsy_test_cli_must_fail    (const char         *treasury,
                                 const char         *db,
                                 const char         *needle,
                                 const char * const *args);

/* The SHA-256 of the file at @path, or "absent". (transfer full) */
char *tsy_test_cli_file_digest (const char *path);

/* Removes @path and everything under it. */
void  tsy_test_remove_tree (const char *path);

G_END_DECLS
