/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tsy-statement.h"
#include "tsy-store.h"

G_BEGIN_DECLS

/*
 * Storing statements, all or nothing per file.
 *
 *   imp = tsy_import_begin (store, "bank.sta", NULL, &error);       BEGIN IMMEDIATE
 *   parser (stream, "bank.sta", tsy_import_sink (), imp, …);          lines stream in
 *   tsy_import_commit (imp, &result, &error)  or  tsy_import_abort (imp)
 *
 * Identity (DESIGN.md): a line is known by the bank's reference within its account; without
 * one, by a hash of its content plus its occurrence number among equal lines of the file, so two
 * genuinely equal lines both stay and a re-import or an overlapping file adds nothing. Every
 * statement is checked: opening + Σ lines = closing, else the whole file is refused with the
 * statement id and the difference. Closing balances of final statements become the account's
 * balances.
 */

typedef struct _TsyImport TsyImport;

typedef struct
{
  char      *format;          /* of the first statement */
  guint      statements;
  guint      new_lines;
  guint      present_lines;
  GPtrArray *accounts;        /* (element-type utf8) account numbers touched, in order */
} TsyImportResult;

void                    tsy_import_result_clear (TsyImportResult *result);
void                    tsy_import_result_free  (TsyImportResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsyImportResult, tsy_import_result_free)

/**
 * tsy_import_begin:
 * @display_name: the file's name, for messages and the import record
 * @account: (nullable): the account for statements that do not name one (CSV), or that the user
 *   assigns explicitly; it must exist
 */
TsyImport              *tsy_import_begin  (TsyStore    *store,
                                           const char  *display_name,
                                           const char  *account,
                                           GError     **error);
/*
 * Files already imported byte for byte: @fingerprint is a digest of the file's bytes computed by
 * the caller. When the same file (with the same @account option) was imported before, fills
 * @result as a re-import would (0 new lines, every line present) and returns TRUE without
 * reading the file again; FALSE when it is new (or on error).
 */
gboolean                tsy_import_find_previous (TsyStore        *store,
                                                  const char      *fingerprint,
                                                  const char      *account,
                                                  TsyImportResult *result,
                                                  GError         **error);
/* Records the file's digest with the import, for tsy_import_find_previous(). */
void                    tsy_import_set_fingerprint (TsyImport  *imp,
                                                    const char *fingerprint);

/* The sink to hand to a parser, with the TsyImport as its user data. */
const TsyStatementSink *tsy_import_sink   (void);
/* Commits and frees @imp; on error everything is undone. */
gboolean                tsy_import_commit (TsyImport       *imp,
                                           TsyImportResult *result,
                                           GError         **error);
/* Undoes everything and frees @imp. */
void                    tsy_import_abort  (TsyImport       *imp);

G_END_DECLS
