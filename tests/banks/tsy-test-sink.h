/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ledger/tsy-statement.h"

G_BEGIN_DECLS

/* A TsyStatementSink that copies everything it is given, for tests. */
typedef struct
{
  TsyStatementHeader header;      /* strings owned (g_strdup) */
  GPtrArray         *entries;     /* of TsyTestEntry */
  gboolean           ended;
} TsyTestStatement;

typedef struct
{
  TsyStatementEntry entry;        /* strings owned; details owned */
} TsyTestEntry;

typedef struct
{
  GPtrArray *statements;          /* of TsyTestStatement */
  guint      n_entries;
  /* When > 0, the sink fails with a G_IO_ERROR_CANCELLED-like error at this entry. */
  guint      fail_at_entry;
} TsyTestSink;

extern const TsyStatementSink tsy_test_sink_vtable;

TsyTestSink      *tsy_test_sink_new       (void);
void              tsy_test_sink_free      (TsyTestSink *sink);
TsyTestStatement *tsy_test_sink_statement (TsyTestSink *sink, guint i);
/* Sum of entry amounts of statement @i. */
gint64            tsy_test_statement_sum  (TsyTestStatement *st);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsyTestSink, tsy_test_sink_free)

/* Parses @path (relative to $TSY_CORPUS_DIR when not absolute) with @parse.
 * Returns the sink; sets @error when the parse fails. */
typedef gboolean (*TsyTestParseFunc) (GInputStream *, const char *, const TsyStatementSink *,
                                      gpointer, GCancellable *, GError **);
TsyTestSink      *tsy_test_parse_file     (TsyTestParseFunc parse,
                                           const char      *path,
                                           GError         **error);
TsyTestSink      *tsy_test_parse_string   (TsyTestParseFunc parse,
                                           const char      *text,
                                           gssize           len,
                                           GError         **error);
/* The @i-th entry of @st (asserts it exists). */
TsyStatementEntry *tsy_test_entry_at      (TsyTestStatement *st,
                                           guint             i);
/* Parses @text and asserts there was no error. */
TsyTestSink      *tsy_test_parse_ok       (TsyTestParseFunc parse,
                                           const char      *text);
/* Parses @text, expects a TSY_BANK_ERROR @code whose message starts with "test.txt: " and holds
 * every string of the NULL-terminated @needles. */
void              tsy_test_assert_refused (TsyTestParseFunc parse,
                                           const char      *text,
                                           int              code,
                                           const char     **needles);
/* Parses corpus file @folder/@name; NULL (test skipped) when the corpus is missing. */
TsyTestSink      *tsy_test_parse_corpus   (TsyTestParseFunc parse,
                                           const char      *folder,
                                           const char      *name,
                                           GError         **error);

/* Parses every proper prefix of corpus file @folder/@name: each either fails with a
 * TSY_BANK_ERROR naming "test.txt: " or gives exactly the full file's statements and entries.
 * Returns how many prefixes parsed (the caller bounds it); G_MAXUINT when the corpus is missing. */
guint             tsy_test_every_prefix   (TsyTestParseFunc parse,
                                           const char      *folder,
                                           const char      *name);

/* Absolute path of a corpus file; skips the test (with the reason) when the corpus is missing. */
char             *tsy_test_corpus_path    (const char *relative);

G_END_DECLS
