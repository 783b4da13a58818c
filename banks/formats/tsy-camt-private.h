/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Internal to the camt reader (tsy-camt.c): the element vocabulary, which leaves
 * are read where (tsy-camt-schema.c), and the small value helpers they share. */

#include <glib.h>
#include <string.h>
#include <libxml/xmlstring.h>

#include "ledger/tsy-date.h"

G_BEGIN_DECLS

typedef enum
{
  T_OTHER = 0,
  T_ACCT, T_ACCTSVCRREF, T_ADDTLNTRYINF, T_ADDTLTXINF, T_AGT, T_AMT, T_AMTDTLS, T_BAL, T_BBAN,
  T_BIC, T_BKTOCSTMR, T_BKTXCD, T_BOOKGDT, T_BTCH, T_CCY, T_CD, T_CDORPRTRY, T_CDTDBTIND,
  T_CDTR, T_CDTRACCT, T_CDTRAGT, T_CDTRREFINF, T_DBTR, T_DBTRACCT, T_DBTRAGT, T_DOCUMENT,
  T_DOMN, T_DT, T_DTTM, T_ELCTRNCSEQNB, T_ENDTOENDID, T_FININSTNID, T_FMLY, T_FRDT, T_FRDTTM,
  T_FRTODT, T_IBAN, T_ID, T_INSTRID, T_LGLSEQNB, T_MSGID, T_NM, T_NTRY, T_NTRYDTLS, T_NTRYREF,
  T_OTHR, T_PMTINFID, T_PRTRY, T_PRTRYACCT, T_PTY, T_REF, T_REFS, T_RLTDAGTS, T_RLTDPTIES,
  T_RMTINF, T_RVSLIND, T_STMT, T_STRD, T_STS, T_SUBFMLYCD, T_TODT, T_TODTTM, T_TP, T_TXAMT,
  T_TXDTLS, T_UETR, T_UPIC, T_USTRD, T_VALDT,
} TsyCamtTag;

/* What a captured leaf is. */
typedef enum
{
  F_NONE = 0,
  /* statement */
  F_S_ID, F_S_ESEQ, F_S_LSEQ, F_S_FROM, F_S_TO, F_S_ACCT, F_S_CCY,
  /* balance */
  F_B_TP, F_B_AMT, F_B_CDI, F_B_DT,
  /* entry */
  F_N_AMT, F_N_CDI, F_N_RVSL, F_N_STS, F_N_BOOKG, F_N_VAL, F_N_ACCTREF, F_N_NTRYREF, F_N_DOMN,
  F_N_FMLY, F_N_SUBFMLY, F_N_PRTRY, F_N_ADDTL, F_N_BTCH_PMTINF,
  /* transaction detail */
  F_T_E2E, F_T_INSTR, F_T_ACCTREF, F_T_UETR, F_T_MSGID, F_T_PMTINF, F_T_AMT, F_T_CDI, F_T_TXAMT,
  F_T_DBTR_NM, F_T_CDTR_NM, F_T_DBTR_ACCT, F_T_CDTR_ACCT, F_T_DBTR_AGT, F_T_CDTR_AGT, F_T_USTRD,
  F_T_STRDREF, F_T_ADDTL, F_T_DOMN, F_T_FMLY, F_T_SUBFMLY, F_T_PRTRY,
} TsyCamtField;

typedef enum
{
  B_UNKNOWN = 0, B_OPBD, B_PRCD, B_CLBD, B_ITBD, B_CLAV, B_ITAV, B_OTHER,
} TsyCamtBalanceType;

typedef struct
{
  const xmlChar *name;   /* local name, owned by the parser's dictionary */
  guint16        tag;
  guint32        index;  /* 1-based among siblings for Stmt, Bal, Ntry, TxDtls; else 0 */
  guint32        line;   /* the parser's line at the end of the start tag */
} TsyCamtLevel;

TsyCamtTag         tsy_camt_tag_lookup          (const char *name);

/* Which leaf an element is, given the stack from the context element @b (b[0])
 * down to it (b[r]). */
TsyCamtField       tsy_camt_classify_statement  (const TsyCamtLevel *b,
                                                 int                 r);
TsyCamtField       tsy_camt_classify_balance    (const TsyCamtLevel *b,
                                                 int                 r);
TsyCamtField       tsy_camt_classify_entry      (const TsyCamtLevel *b,
                                                 int                 r);
TsyCamtField       tsy_camt_classify_detail     (const TsyCamtLevel *b,
                                                 int                 r);
gboolean           tsy_camt_is_free_text        (TsyCamtField f);
TsyCamtBalanceType tsy_camt_balance_type        (const char *code);

/* Trims and collapses XML white space runs to one space, in place. */
void               tsy_camt_normalize           (GString    *v);
/* NULL, "", "NONREF", "NOTPROVIDED": no reference at all. */
gboolean           tsy_camt_is_placeholder      (const char *s);
/* YYYY-MM-DD, optionally followed by a time or zone: the date part. */
gboolean           tsy_camt_parse_date          (const char *s,
                                                 gsize       n,
                                                 TsyDate    *out);
/* Account identifiers compare without spaces and case. */
gboolean           tsy_camt_same_account        (const char *a,
                                                 const char *b);

/* Strings of one Ntry live NUL-terminated in an arena (a GString reset per
 * entry) and are kept as offsets, -1 = absent, because the arena moves. */
gint32             tsy_camt_arena_add           (GString    *arena,
                                                 const char *s,
                                                 gsize       n);
void               tsy_camt_arena_set           (GString    *arena,
                                                 gint32     *slot,
                                                 const char *s,
                                                 gsize       n);
void               tsy_camt_arena_join          (GString    *arena,
                                                 gint32     *slot,
                                                 const char *s,
                                                 gsize       n);
gint32             tsy_camt_compose_tx_code     (GString    *arena,
                                                 gint32      domn,
                                                 gint32      fmly,
                                                 gint32      subfmly,
                                                 gint32      prtry);

/* Pieces of the `raw` reconstruction of an entry, without printf. */
void               tsy_camt_raw_append_uint     (GString    *raw,
                                                 guint       v);
void               tsy_camt_raw_append_field    (GString    *raw,
                                                 const char *label,
                                                 const char *value);

/* g_string_append_len() without a call when there is room: GLib 2.74 has no inline one, and
 * this runs for every piece of text we keep. @t may lie inside @s. */
static inline void
tsy_camt_append (GString    *s,
                 const char *t,
                 gsize       n)
{
  if (s->len + n < s->allocated_len)
    {
      memcpy (s->str + s->len, t, n);
      s->len += n;
      s->str[s->len] = '\0';
    }
  else
    g_string_append_len (s, t, n);
}

static inline void
tsy_camt_append_str (GString    *s,
                     const char *t)
{
  tsy_camt_append (s, t, strlen (t));
}

static inline const char *
tsy_camt_astr (GString *arena,
               gint32   off)
{
  return off < 0 ? NULL : arena->str + off;
}

G_END_DECLS
