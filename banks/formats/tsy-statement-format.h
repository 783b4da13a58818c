/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "ledger/tsy-statement.h"
#include "banks/tsy-bank-error.h"

G_BEGIN_DECLS

typedef enum
{
  TSY_STATEMENT_FORMAT_UNKNOWN,
  TSY_STATEMENT_FORMAT_MT940,     /* also reads MT942 */
  TSY_STATEMENT_FORMAT_MT942,
  TSY_STATEMENT_FORMAT_CAMT,      /* camt.052 / .053 / .054, any version */
  TSY_STATEMENT_FORMAT_BAI2,
  TSY_STATEMENT_FORMAT_OFX,
  TSY_STATEMENT_FORMAT_CSV,       /* Chinese bank CSV exports (UTF-8 / GB18030) */
} TsyStatementFormat;

/* "mt940", "mt942", "camt", "bai2", "ofx", "csv" */
const char         *tsy_statement_format_to_string   (TsyStatementFormat format);
TsyStatementFormat  tsy_statement_format_from_string (const char *text);

/**
 * tsy_statement_format_detect:
 * @head: the first bytes of a file (4 KiB is plenty)
 *
 * Detects the format from the content, never from a file name.
 */
TsyStatementFormat  tsy_statement_format_detect      (const guint8 *head,
                                                      gsize         len);

/* A user-written column profile for CSV layouts we do not know (a GKeyFile). */
typedef struct _TsyCsvProfile TsyCsvProfile;
TsyCsvProfile      *tsy_csv_profile_load             (const char *path,
                                                      GError    **error);
void                tsy_csv_profile_free             (TsyCsvProfile *profile);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsyCsvProfile, tsy_csv_profile_free)

/*
 * The parsers. Each reads @in as a stream (memory does not grow with the
 * file), calls @sink for every statement and entry, and stops at the first
 * error: a TSY_BANK_ERROR_PARSE whose message names @display_name, the line
 * (or XML element path) and the reason. A sink error stops the parse and is
 * returned as is. Never crashes on any input.
 */
gboolean tsy_mt940_parse (GInputStream           *in,
                          const char             *display_name,
                          const TsyStatementSink *sink,
                          gpointer                user_data,
                          GCancellable           *cancellable,
                          GError                **error);
gboolean tsy_camt_parse  (GInputStream           *in,
                          const char             *display_name,
                          const TsyStatementSink *sink,
                          gpointer                user_data,
                          GCancellable           *cancellable,
                          GError                **error);
gboolean tsy_bai2_parse  (GInputStream           *in,
                          const char             *display_name,
                          const TsyStatementSink *sink,
                          gpointer                user_data,
                          GCancellable           *cancellable,
                          GError                **error);
gboolean tsy_ofx_parse   (GInputStream           *in,
                          const char             *display_name,
                          const TsyStatementSink *sink,
                          gpointer                user_data,
                          GCancellable           *cancellable,
                          GError                **error);
/* @profile may be NULL: the header vocabulary of Chinese banks is recognised. */
gboolean tsy_csv_parse   (GInputStream           *in,
                          const char             *display_name,
                          const TsyCsvProfile    *profile,
                          const TsyStatementSink *sink,
                          gpointer                user_data,
                          GCancellable           *cancellable,
                          GError                **error);

/* Dispatches to the parser of @format (detects it when UNKNOWN; @in must then be seekable
 * or the caller passes the head it already read via a GBufferedInputStream). */
gboolean tsy_statement_parse (GInputStream           *in,
                              const char             *display_name,
                              TsyStatementFormat      format,
                              const TsyCsvProfile    *profile,
                              const TsyStatementSink *sink,
                              gpointer                user_data,
                              GCancellable           *cancellable,
                              GError                **error);

G_END_DECLS
