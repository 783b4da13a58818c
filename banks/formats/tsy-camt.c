/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ISO 20022 camt.052 (intraday report), camt.053 (statement) and camt.054
 * (debit/credit notification), every version from .001.01 on.
 *
 * The document is read with libxml2's SAX2 push parser, fed from the
 * GInputStream in 64 KiB chunks, as a pure event state machine: no tree of the
 * document is built and nothing is expanded. A stack of open elements (tag
 * code, local name, sibling index, line) gives each leaf its path relative to
 * the statement, balance, entry or transaction-detail element it belongs to;
 * only the text of the leaves we use is collected. Memory holds one statement
 * header and one Ntry at a time (with at most MAX_DETAILS TxDtls), whatever the
 * size of the file.
 *
 * Safety: no entity substitution, no DTD loading, XML_PARSE_NONET; the SAX
 * handler has no entity callbacks, and its internalSubset callback stops the
 * parser at the DOCTYPE's name, before any declaration of it is read, so
 * entity-expansion attacks never start. libxml2 errors go to a structured
 * handler on the parser context (and, for the few raised outside it, to the
 * thread's global handlers, redirected for the duration), never to stderr.
 *
 * Notes on the mapping to the ledger value objects:
 * - The namespace decides the version ("camt.053.001.02") and the kind.
 * - Statement currency: Acct/Ccy, else the first booked balance's Ccy, else
 *   the first entry's, else any balance's. The header carries balances in minor
 *   units of that currency only, so a balance in another currency (synthetic
 *   files do this) is ignored rather than mixed in.
 * - Balances: OPBD opening (PRCD when there is no OPBD); CLBD closing (ITBD,
 *   the intraday booked balance of camt.052, when there is no CLBD); CLAV
 *   available (ITAV when there is no CLAV). DBIT makes a balance negative.
 * - Entries: the sign follows CdtDbtInd as booked, also for RvslInd=true.
 *   Status BOOK/PDNG/INFO is read but not filtered (see `raw`).
 * - bank_ref: Ntry/AcctSvcrRef, else NtryRef, else the single TxDtls'
 *   Refs/AcctSvcrRef; the placeholder "NONREF" (German banks write it on every
 *   entry) counts as absent, or two different entries would share an identity.
 *   EndToEndId / InstrId "NOTPROVIDED" likewise count as absent.
 * - Counterparty: for a credit the debtor, for a debit the creditor, the other
 *   way round for a reversal (the parties of the original transaction are
 *   given); a side whose account is the statement's own account is never the
 *   counterparty.
 * - raw: a streaming reader has no source text of the entry, so `raw` is a
 *   compact reconstruction: "Ntry line 57: DBIT 754.25 EUR Sts BOOK BookgDt
 *   2014-01-05 ValDt 2014-01-05 AcctSvcrRef X NtryRef Y RvslInd true TxDtls 2".
 * - Lines: an element's line is the parser's line at the end of its start tag
 *   (what libxml2 gives a tree node), exact at any size of file. Syntax errors
 *   name the line libxml2 reports and the element path open at that point.
 * - Speed: element names are strings of the parser's dictionary, so tags are
 *   cached by address; nothing is allocated per element, and text is collected
 *   only for the leaves we read. Most of the time is libxml2's tokenizer.
 */
#include <glib/gi18n-lib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "ledger/tsy-money.h"
#include "tsy-statement-format.h"
#include "tsy-camt-private.h"

#define MAX_DEPTH      256              /* what libxml2 allows without XML_PARSE_HUGE */
#define MAX_VALUE      16384            /* bytes of one element's text */
#define MAX_DETAILS    10000            /* TxDtls kept for one Ntry */
#define MAX_BALANCES   64               /* Bal elements of one statement */
#define MAX_ARENA      (32 * 1024 * 1024) /* strings of one Ntry */
#define CHUNK_SIZE     65536            /* bytes handed to the push parser at a time */
#define CAMT_NS_PREFIX "urn:iso:std:iso:20022:tech:xsd:"
#define PATH_KEEP      8                /* levels kept at each end of a long path */


/* Element names are strings of the parser's dictionary, so a name's address
 * identifies it for the life of the parser: a small cache saves the lookup. */
#define TAG_CACHE_SIZE 256
typedef struct
{
  const xmlChar *name;
  TsyCamtTag            tag;
} TagCacheSlot;

typedef struct
{
  TsyCamtBalanceType type;
  gint64      minor;
  char        ccy[4];
  TsyDate     date;
  gboolean    has_amount, has_cdi;
  int         sign;
} Balance;

/* String fields are offsets into the Ntry arena; -1 = absent. */
typedef struct
{
  gint32   e2e, instr, uetr, acct_ref, msgid, pmtinf;
  gint32   dbtr_nm, cdtr_nm, dbtr_acct, cdtr_acct, dbtr_agt, cdtr_agt;
  gint32   ustrd, strd_ref, addtl, domn, fmly, subfmly, prtry;
  gboolean has_amt, amt_same_ccy, has_txamt, txamt_same_ccy;
  gint64   amt, txamt;
  int      sign;          /* +1 CRDT, -1 DBIT, 0 not given */
} Detail;

/* Offsets of a detail's resolved fields, computed before any pointer into the arena is taken. */
typedef struct
{
  gint32   name, account, bank, text, code;
  gint64   amount;
  gboolean has_amount;
} Resolved;

typedef struct
{
  /* input */
  GInputStream           *in;
  GCancellable           *cancellable;
  const char             *display_name;
  const TsyStatementSink *sink;
  gpointer                user_data;
  gboolean                eof;           /* the stream said end of file */

  xmlParserCtxtPtr        ctxt;
  gboolean                doctype;       /* a DOCTYPE stopped the parser */
  gboolean                root_seen;
  gboolean                start_failed;  /* p->error was raised at a start tag, nothing since */
  gboolean                stopped;       /* xmlStopParser() was called */
  guint                   doctype_line;
  char                   *xml_error;     /* libxml2's first error */
  char                   *xml_error_path;
  int                     xml_error_depth;
  guint                   xml_error_line;
  int                     xml_error_code;

  /* result */
  GError                 *error;         /* first error; stops the parse */

  /* document */
  TsyCamtLevel            stack[MAX_DEPTH];
  int                     depth;         /* number of open elements */
  char                   *ns;            /* the camt namespace of the root */
  const xmlChar          *ns_href;       /* the parser's own copy, alive until the end */
  TagCacheSlot            tag_cache[TAG_CACHE_SIZE];
  char                    format[24];    /* "camt.053.001.02" */
  TsyStatementKind        kind;
  guint                   n_statements;
  int                     msg_level;     /* BkToCstmr... element, or -1 */

  /* capture of one leaf */
  TsyCamtField            field;
  int                     cap_level;
  GString                *value;
  gboolean                value_overflow;
  char                    ccy[16];       /* Ccy attribute of the captured Amt */

  /* statement */
  int                     stmt_level;
  GString                *st_arena;
  gint32                  st_id, st_eseq, st_lseq, st_acct, st_ccy;
  TsyDate                 st_from, st_to;
  GArray                 *balances;      /* of Balance */
  guint                   n_bal, n_ntry;
  gboolean                begun;
  char                    currency[4];
  TsyStatementHeader      header;

  /* balance */
  int                     bal_level;
  Balance                 bal;

  /* entry */
  int                     ntry_level;
  GString                *arena;
  gint32                  n_amt_text, n_acct_ref, n_ntry_ref, n_sts, n_domn, n_fmly, n_subfmly;
  gint32                  n_prtry, n_addtl, n_btch_pmtinf;
  gboolean                n_has_amt, n_rvsl;
  gint64                  n_amt;
  char                    n_ccy[4];
  int                     n_sign;
  TsyDate                 n_bookg, n_val;
  char                    n_bookg_iso[11], n_val_iso[11]; /* their YYYY-MM-DD, for `raw` */
  GArray                  *details;      /* of Detail */
  GArray                  *resolved;     /* of Resolved, parallel to details */
  GArray                  *out_details;  /* of TsyEntryDetail, reused */
  GString                 *raw;

  /* transaction detail */
  int                     tx_level;
} Parser;


static TsyCamtTag
lookup_tag (Parser        *p,
            const xmlChar *name)
{
  /* Fibonacci hashing: the names lie side by side in the dictionary's pool, so the low
   * bits of their addresses alone would crowd them into a few neighbouring slots. */
  guint h = (guint) (((guint64) (guintptr) name * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15)) >> 56);

  for (guint i = 0; i < 16; i++)
    {
      TagCacheSlot *slot = &p->tag_cache[(h + i) % TAG_CACHE_SIZE];
      if (slot->name == name)
        return slot->tag;
      if (slot->name == NULL)
        {
          slot->name = name;
          slot->tag = tsy_camt_tag_lookup ((const char *) name);
          return slot->tag;
        }
    }
  return tsy_camt_tag_lookup ((const char *) name);
}

/* The parser's line: at the end of the start tag in an element callback. */
static guint
parser_line (Parser *p)
{
  int line = p->ctxt != NULL && p->ctxt->input != NULL ? p->ctxt->input->line : 1;

  return line > 0 ? (guint) line : 1;
}

/* ---- errors ------------------------------------------------------------------------------- */

static char *
build_path (Parser *p,
            int     upto)
{
  GString *path = g_string_new (NULL);
  int n = MIN (upto + 1, p->depth);

  for (int i = 0; i < n; i++)
    {
      /* a path of absurd depth keeps its head and tail */
      if (n > PATH_KEEP * 2 && i == PATH_KEEP)
        {
          g_string_append (path, "/…");
          i = n - PATH_KEEP - 1;
          continue;
        }
      g_string_append_c (path, '/');
      g_string_append (path, (const char *) p->stack[i].name);
      if (p->stack[i].index > 0)
        g_string_append_printf (path, "[%u]", p->stack[i].index);
    }
  if (path->len == 0)
    g_string_append_c (path, '/');
  return g_string_free (path, FALSE);
}

/* Sets the parse error "<file>: line N: <path>: <reason>" for the element at stack index @level. */
static void
fail_at (Parser     *p,
         int         level,
         guint       line,
         const char *reason)
{
  g_autofree char *path = NULL;

  if (p->error != NULL)
    return;
  path = build_path (p, level);
  g_set_error (&p->error, TSY_BANK_ERROR, TSY_BANK_ERROR_PARSE,
               /* Translators: %1$s a file name, %2$u a line number, %3$s an XML path
                * such as /Document/BkToCstmrStmt/Stmt[1]/Ntry[5]/Amt, %4$s the reason */
               _("%1$s: line %2$u: %3$s: %4$s"), p->display_name, line, path, reason);
}

static void G_GNUC_PRINTF (4, 5)
failf (Parser     *p,
       int         level,
       guint       line,
       const char *format,
       ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);
  fail_at (p, level, line, reason);
}

/* libxml2's errors: the first one that is not a warning is kept with the element path open
 * when it was raised (the SAX callbacks run in step with the parser, so the stack is exact). */
static void
on_xml_error_cb (void       *user_data,
                 xmlErrorPtr err)
{
  Parser *p = user_data;
  gsize len;

  if (err == NULL || err->level == XML_ERR_WARNING || p->xml_error != NULL)
    return;
  /* SAX2 reports an element before libxml2 has checked the ">" of its start tag: when that
   * is missing (a cut-off file), the syntax error is the one to report. */
  if (p->error != NULL)
    {
      gboolean same_tag = p->start_failed && err->code == XML_ERR_GT_REQUIRED;

      p->start_failed = FALSE;
      if (!same_tag)
        return;
      g_clear_error (&p->error);
    }
  /* the first line: some messages add a second one ("Bytes: 0xC4 0xD6 ...") */
  p->xml_error = g_strdup (err->message != NULL ? err->message : "?");
  len = strcspn (p->xml_error, "\n");
  p->xml_error[len] = '\0';
  while (len > 0 && g_ascii_isspace (p->xml_error[len - 1]))
    p->xml_error[--len] = '\0';
  p->xml_error_depth = p->depth;
  p->xml_error_path = build_path (p, p->depth - 1);
  p->xml_error_line = err->line > 0 ? (guint) err->line : parser_line (p);
  p->xml_error_code = err->code;
}

static void
on_xml_generic_error_cb (void       *user_data,
                         const char *msg,
                         ...)
{
  /* Structured errors carry everything; the generic channel would print to stderr. */
}

/* ---- values ------------------------------------------------------------------------------- */

static guint
level_line (Parser *p,
            int     level)
{
  return level >= 0 && level < p->depth ? p->stack[level].line : 1;
}

/* Parses a camt amount (xs:decimal, never negative: the sign is CdtDbtInd). */
static gboolean
parse_amount (Parser     *p,
              const char *s,
              gsize       n,
              gint64     *out)
{
  g_autoptr(GError) local = NULL;
  gboolean dot = FALSE, digit = FALSE;
  int level = p->cap_level;
  guint line = level_line (p, level);

  if (p->ccy[0] == '\0')
    {
      fail_at (p, level, line, _("the Ccy attribute is missing"));
      return FALSE;
    }
  for (gsize i = 0; i < n; i++)
    {
      if (g_ascii_isdigit (s[i]))
        digit = TRUE;
      else if (s[i] == '.' && !dot)
        dot = TRUE;
      else
        {
          failf (p, level, line, _("“%.64s” is not a valid amount"), s);
          return FALSE;
        }
    }
  if (!digit)
    {
      failf (p, level, line, _("“%.64s” is not a valid amount"), s);
      return FALSE;
    }
  if (!tsy_money_parse (s, n, p->ccy, TSY_DECIMAL_POINT, out, &local))
    {
      fail_at (p, level, line, local->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_sign (Parser     *p,
            const char *s,
            int        *out)
{
  if (strcmp (s, "CRDT") == 0)
    *out = 1;
  else if (strcmp (s, "DBIT") == 0)
    *out = -1;
  else
    {
      failf (p, p->cap_level, level_line (p, p->cap_level),
             _("“%s” is not CRDT or DBIT"), s);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_date_field (Parser     *p,
                  const char *s,
                  gsize       n,
                  TsyDate    *out)
{
  if (!tsy_camt_parse_date (s, n, out))
    {
      failf (p, p->cap_level, level_line (p, p->cap_level),
             _("“%s” is not a date"), s);
      return FALSE;
    }
  return TRUE;
}

static Detail *
current_detail (Parser *p)
{
  return &g_array_index (p->details, Detail, p->details->len - 1);
}

/* Stores a finished leaf. */
static void
store_value (Parser *p)
{
  TsyCamtField f = p->field;
  GString *v = p->value;
  const char *s;
  gsize n;
  Detail *d = NULL;

  tsy_camt_normalize (v);
  if (p->value_overflow)
    {
      if (!tsy_camt_is_free_text (f))
        {
          fail_at (p, p->cap_level, level_line (p, p->cap_level), _("the value is too long"));
          return;
        }
      else
        {
          const char *end = NULL;
          g_utf8_validate (v->str, v->len, &end);
          g_string_truncate (v, end - v->str);
        }
    }
  s = v->str;
  n = v->len;
  if (f >= F_T_E2E)
    {
      if (p->details->len == 0)
        return;
      d = current_detail (p);
    }

  switch (f)
    {
    case F_NONE:
      break;
    case F_S_ID:
      tsy_camt_arena_set (p->st_arena, &p->st_id, s, n);
      break;
    case F_S_ESEQ:
      tsy_camt_arena_set (p->st_arena, &p->st_eseq, s, n);
      break;
    case F_S_LSEQ:
      tsy_camt_arena_set (p->st_arena, &p->st_lseq, s, n);
      break;
    case F_S_ACCT:
      tsy_camt_arena_set (p->st_arena, &p->st_acct, s, n);
      break;
    case F_S_CCY:
      tsy_camt_arena_set (p->st_arena, &p->st_ccy, s, n);
      break;
    case F_S_FROM:
      parse_date_field (p, s, n, &p->st_from);
      break;
    case F_S_TO:
      parse_date_field (p, s, n, &p->st_to);
      break;
    case F_B_TP:
      if (p->bal.type == B_UNKNOWN)
        p->bal.type = tsy_camt_balance_type (s);
      break;
    case F_B_AMT:
      if (parse_amount (p, s, n, &p->bal.minor))
        {
          g_strlcpy (p->bal.ccy, p->ccy, sizeof p->bal.ccy);
          p->bal.has_amount = TRUE;
        }
      break;
    case F_B_CDI:
      if (parse_sign (p, s, &p->bal.sign))
        p->bal.has_cdi = TRUE;
      break;
    case F_B_DT:
      parse_date_field (p, s, n, &p->bal.date);
      break;
    case F_N_AMT:
      if (!p->n_has_amt && parse_amount (p, s, n, &p->n_amt))
        {
          g_strlcpy (p->n_ccy, p->ccy, sizeof p->n_ccy);
          p->n_has_amt = TRUE;
          p->n_amt_text = tsy_camt_arena_add (p->arena, s, n);
        }
      break;
    case F_N_CDI:
      parse_sign (p, s, &p->n_sign);
      break;
    case F_N_RVSL:
      if (strcmp (s, "true") == 0 || strcmp (s, "1") == 0)
        p->n_rvsl = TRUE;
      else if (strcmp (s, "false") == 0 || strcmp (s, "0") == 0)
        p->n_rvsl = FALSE;
      else
        failf (p, p->cap_level, level_line (p, p->cap_level),
               _("“%s” is not true or false"), s);
      break;
    case F_N_STS:
      tsy_camt_arena_set (p->arena, &p->n_sts, s, n);
      break;
    case F_N_BOOKG:
      if (parse_date_field (p, s, n, &p->n_bookg))
        {
          /* a valid date's first ten characters are its ISO form */
          memcpy (p->n_bookg_iso, s, 10);
          p->n_bookg_iso[10] = '\0';
        }
      break;
    case F_N_VAL:
      if (parse_date_field (p, s, n, &p->n_val))
        {
          memcpy (p->n_val_iso, s, 10);
          p->n_val_iso[10] = '\0';
        }
      break;
    case F_N_ACCTREF:
      tsy_camt_arena_set (p->arena, &p->n_acct_ref, s, n);
      break;
    case F_N_NTRYREF:
      tsy_camt_arena_set (p->arena, &p->n_ntry_ref, s, n);
      break;
    case F_N_DOMN:
      tsy_camt_arena_set (p->arena, &p->n_domn, s, n);
      break;
    case F_N_FMLY:
      tsy_camt_arena_set (p->arena, &p->n_fmly, s, n);
      break;
    case F_N_SUBFMLY:
      tsy_camt_arena_set (p->arena, &p->n_subfmly, s, n);
      break;
    case F_N_PRTRY:
      tsy_camt_arena_set (p->arena, &p->n_prtry, s, n);
      break;
    case F_N_ADDTL:
      tsy_camt_arena_set (p->arena, &p->n_addtl, s, n);
      break;
    case F_N_BTCH_PMTINF:
      tsy_camt_arena_set (p->arena, &p->n_btch_pmtinf, s, n);
      break;
    case F_T_E2E:
      tsy_camt_arena_set (p->arena, &d->e2e, s, n);
      break;
    case F_T_INSTR:
      tsy_camt_arena_set (p->arena, &d->instr, s, n);
      break;
    case F_T_ACCTREF:
      tsy_camt_arena_set (p->arena, &d->acct_ref, s, n);
      break;
    case F_T_UETR:
      tsy_camt_arena_set (p->arena, &d->uetr, s, n);
      break;
    case F_T_MSGID:
      tsy_camt_arena_set (p->arena, &d->msgid, s, n);
      break;
    case F_T_PMTINF:
      tsy_camt_arena_set (p->arena, &d->pmtinf, s, n);
      break;
    case F_T_AMT:
      if (!d->has_amt && parse_amount (p, s, n, &d->amt))
        {
          d->has_amt = TRUE;
          d->amt_same_ccy = p->n_has_amt && strcmp (p->ccy, p->n_ccy) == 0;
        }
      break;
    case F_T_TXAMT:
      if (!d->has_txamt && parse_amount (p, s, n, &d->txamt))
        {
          d->has_txamt = TRUE;
          d->txamt_same_ccy = p->n_has_amt && strcmp (p->ccy, p->n_ccy) == 0;
        }
      break;
    case F_T_CDI:
      parse_sign (p, s, &d->sign);
      break;
    case F_T_DBTR_NM:
      tsy_camt_arena_set (p->arena, &d->dbtr_nm, s, n);
      break;
    case F_T_CDTR_NM:
      tsy_camt_arena_set (p->arena, &d->cdtr_nm, s, n);
      break;
    case F_T_DBTR_ACCT:
      tsy_camt_arena_set (p->arena, &d->dbtr_acct, s, n);
      break;
    case F_T_CDTR_ACCT:
      tsy_camt_arena_set (p->arena, &d->cdtr_acct, s, n);
      break;
    case F_T_DBTR_AGT:
      tsy_camt_arena_set (p->arena, &d->dbtr_agt, s, n);
      break;
    case F_T_CDTR_AGT:
      tsy_camt_arena_set (p->arena, &d->cdtr_agt, s, n);
      break;
    case F_T_USTRD:
      tsy_camt_arena_join (p->arena, &d->ustrd, s, n);
      break;
    case F_T_STRDREF:
      tsy_camt_arena_join (p->arena, &d->strd_ref, s, n);
      break;
    case F_T_ADDTL:
      tsy_camt_arena_set (p->arena, &d->addtl, s, n);
      break;
    case F_T_DOMN:
      tsy_camt_arena_set (p->arena, &d->domn, s, n);
      break;
    case F_T_FMLY:
      tsy_camt_arena_set (p->arena, &d->fmly, s, n);
      break;
    case F_T_SUBFMLY:
      tsy_camt_arena_set (p->arena, &d->subfmly, s, n);
      break;
    case F_T_PRTRY:
      tsy_camt_arena_set (p->arena, &d->prtry, s, n);
      break;
    default:
      break;
    }

  if (p->arena->len > MAX_ARENA && p->error == NULL)
    fail_at (p, p->ntry_level, level_line (p, p->ntry_level),
             _("the entry is too large"));
}


/* ---- statements and entries --------------------------------------------------------------- */

static void
begin_statement_element (Parser *p)
{
  p->stmt_level = p->depth - 1;
  g_string_truncate (p->st_arena, 0);
  p->st_id = p->st_eseq = p->st_lseq = p->st_acct = p->st_ccy = -1;
  p->st_from = p->st_to = TSY_DATE_NONE;
  g_array_set_size (p->balances, 0);
  p->n_bal = p->n_ntry = 0;
  p->begun = FALSE;
  p->currency[0] = '\0';
  memset (&p->header, 0, sizeof p->header);
}

static gboolean
is_booked_balance (TsyCamtBalanceType t)
{
  return t == B_OPBD || t == B_PRCD || t == B_CLBD || t == B_ITBD;
}

/* Sets the balances of the header from the Bal elements read so far (a Bal
 * after the entries, against the schema's order, still counts at the end). */
static void
apply_balances (Parser *p)
{
  TsyStatementHeader *h = &p->header;
  const Balance *opbd = NULL, *prcd = NULL, *clbd = NULL, *itbd = NULL;
  const Balance *clav = NULL, *itav = NULL;

  /* The header has minor units of the statement currency only: a balance in
   * another currency is left out rather than mixed in. */
  for (guint i = 0; i < p->balances->len; i++)
    {
      const Balance *b = &g_array_index (p->balances, Balance, i);
      const Balance **slot = NULL;

      if (p->currency[0] == '\0' || strcmp (b->ccy, p->currency) != 0)
        continue;
      switch (b->type)
        {
        case B_OPBD: slot = &opbd; break;
        case B_PRCD: slot = &prcd; break;
        case B_CLBD: slot = &clbd; break;
        case B_ITBD: slot = &itbd; break;
        case B_CLAV: slot = &clav; break;
        case B_ITAV: slot = &itav; break;
        default: break;
        }
      if (slot != NULL && *slot == NULL)
        *slot = b;
    }
  if (opbd == NULL)
    opbd = prcd;
  if (clbd == NULL)
    clbd = itbd;
  if (clav == NULL)
    clav = itav;

  if (opbd != NULL)
    {
      h->has_opening = TRUE;
      h->opening_minor = opbd->sign * opbd->minor;
      h->opening_date = opbd->date;
    }
  if (clbd != NULL)
    {
      h->has_closing = TRUE;
      h->closing_minor = clbd->sign * clbd->minor;
      h->closing_date = clbd->date;
    }
  if (clav != NULL)
    {
      h->has_available = TRUE;
      h->available_minor = clav->sign * clav->minor;
      h->available_date = clav->date;
    }
}

/* Resolves the currency, applies the balances and calls begin_statement. */
static gboolean
begin_statement (Parser     *p,
                 const char *entry_ccy)
{
  TsyStatementHeader *h = &p->header;
  const char *ccy = tsy_camt_astr (p->st_arena, p->st_ccy);
  const Balance *first_booked = NULL;
  GError *local = NULL;

  if (p->begun)
    return TRUE;
  p->begun = TRUE;

  if (p->st_acct < 0)
    {
      fail_at (p, p->stmt_level, level_line (p, p->stmt_level),
               _("the account is missing (Acct/Id/IBAN or Acct/Id/Othr/Id)"));
      return FALSE;
    }
  if (ccy != NULL && !tsy_currency_is_known (ccy))
    {
      failf (p, p->stmt_level, level_line (p, p->stmt_level),
             _("“%s” in Acct/Ccy is not an ISO 4217 currency code"), ccy);
      return FALSE;
    }

  for (guint i = 0; i < p->balances->len; i++)
    {
      const Balance *b = &g_array_index (p->balances, Balance, i);
      if (first_booked == NULL && is_booked_balance (b->type))
        first_booked = b;
    }
  if (ccy == NULL && first_booked != NULL)
    ccy = first_booked->ccy;
  if (ccy == NULL && entry_ccy != NULL)
    ccy = entry_ccy;
  if (ccy == NULL && p->balances->len > 0)
    ccy = g_array_index (p->balances, Balance, 0).ccy;
  if (ccy != NULL)
    g_strlcpy (p->currency, ccy, sizeof p->currency);

  apply_balances (p);
  h->format = p->format;
  h->kind = p->kind;
  h->account = tsy_camt_astr (p->st_arena, p->st_acct);
  h->currency = p->currency[0] != '\0' ? p->currency : NULL;
  h->statement_id = tsy_camt_astr (p->st_arena, p->st_id);
  h->sequence = tsy_camt_astr (p->st_arena, p->st_eseq >= 0 ? p->st_eseq : p->st_lseq);
  h->from_date = p->st_from;
  h->to_date = p->st_to;
  h->source_line = level_line (p, p->stmt_level);

  if (p->sink->begin_statement != NULL &&
      !p->sink->begin_statement (p->user_data, h, &local))
    {
      g_propagate_error (&p->error, local);
      return FALSE;
    }
  return TRUE;
}

static void
end_statement_element (Parser *p)
{
  GError *local = NULL;

  if (!begin_statement (p, NULL))
    return;
  apply_balances (p);
  if (p->sink->end_statement != NULL &&
      !p->sink->end_statement (p->user_data, &p->header, &local))
    g_propagate_error (&p->error, local);
  p->n_statements++;
  p->stmt_level = -1;
}

static void
end_balance_element (Parser *p)
{
  int level = p->bal_level;
  guint line = level_line (p, level);

  p->bal_level = -1;
  if (p->bal.type == B_UNKNOWN)
    fail_at (p, level, line, _("the balance type is missing (Tp/CdOrPrtry/Cd)"));
  else if (!p->bal.has_amount)
    fail_at (p, level, line, _("the amount is missing (Amt)"));
  else if (!p->bal.has_cdi)
    fail_at (p, level, line, _("the credit/debit indicator is missing (CdtDbtInd)"));
  else if (p->bal.date == TSY_DATE_NONE)
    fail_at (p, level, line, _("the date is missing (Dt/Dt or Dt/DtTm)"));
  else if (p->balances->len >= MAX_BALANCES)
    failf (p, level, line, _("more than %d balances in one statement"), MAX_BALANCES);
  else
    g_array_append_val (p->balances, p->bal);
}

static void
begin_entry_element (Parser *p)
{
  p->ntry_level = p->depth - 1;
  g_string_truncate (p->arena, 0);
  p->n_amt_text = p->n_acct_ref = p->n_ntry_ref = p->n_sts = p->n_domn = p->n_fmly = -1;
  p->n_subfmly = p->n_prtry = p->n_addtl = p->n_btch_pmtinf = -1;
  p->n_has_amt = p->n_rvsl = FALSE;
  p->n_amt = 0;
  p->n_ccy[0] = '\0';
  p->n_sign = 0;
  p->n_bookg = p->n_val = TSY_DATE_NONE;
  g_array_set_size (p->details, 0);
}

static void
begin_detail_element (Parser *p)
{
  Detail d = {
    .e2e = -1, .instr = -1, .uetr = -1, .acct_ref = -1, .msgid = -1, .pmtinf = -1,
    .dbtr_nm = -1, .cdtr_nm = -1, .dbtr_acct = -1, .cdtr_acct = -1, .dbtr_agt = -1,
    .cdtr_agt = -1, .ustrd = -1, .strd_ref = -1, .addtl = -1, .domn = -1, .fmly = -1,
    .subfmly = -1, .prtry = -1,
  };

  p->tx_level = p->depth - 1;
  if (p->details->len >= MAX_DETAILS)
    {
      failf (p, p->tx_level, level_line (p, p->tx_level),
             _("more than %d TxDtls in one entry"), MAX_DETAILS);
      return;
    }
  g_array_append_val (p->details, d);
}

static void
resolve_detail (Parser     *p,
                Detail     *d,
                const char *own_account,
                Resolved   *out)
{
  GString *a = p->arena;
  int sign = d->sign != 0 ? d->sign : p->n_sign;
  gboolean debtor = (sign > 0) != p->n_rvsl;
  gint32 nm[2] = { d->dbtr_nm, d->cdtr_nm };
  gint32 acct[2] = { d->dbtr_acct, d->cdtr_acct };
  gint32 agt[2] = { d->dbtr_agt, d->cdtr_agt };
  int side = debtor ? 0 : 1;
  int other = 1 - side;

  if (tsy_camt_same_account (tsy_camt_astr (a, acct[side]), own_account))
    side = other;
  else if (nm[side] < 0 && acct[side] < 0 && (nm[other] >= 0 || acct[other] >= 0) &&
           !tsy_camt_same_account (tsy_camt_astr (a, acct[other]), own_account))
    side = other;
  out->name = nm[side];
  out->account = acct[side];
  out->bank = agt[side];

  out->text = d->ustrd >= 0 ? d->ustrd : d->strd_ref >= 0 ? d->strd_ref : d->addtl;
  out->code = tsy_camt_compose_tx_code (a, d->domn, d->fmly, d->subfmly, d->prtry);

  out->has_amount = TRUE;
  if (d->has_amt && d->amt_same_ccy)
    out->amount = sign * d->amt;
  else if (d->has_txamt && d->txamt_same_ccy)
    out->amount = sign * d->txamt;
  else
    out->has_amount = FALSE;
}

static const char *
ref_or_null (GString *arena,
             gint32   off)
{
  const char *s = tsy_camt_astr (arena, off);
  return tsy_camt_is_placeholder (s) ? NULL : s;
}

/* The compact reconstruction of the entry (see the top of the file); no printf,
 * this runs for every entry. */
static void
build_raw (Parser *p,
           guint   line,
           guint   n_details)
{
  GString *raw = p->raw;
  GString *a = p->arena;

  g_string_truncate (raw, 0);
  tsy_camt_append_str (raw, "Ntry line ");
  tsy_camt_raw_append_uint (raw, line);
  tsy_camt_append_str (raw, p->n_sign > 0 ? ": CRDT " : ": DBIT ");
  tsy_camt_append_str (raw, tsy_camt_astr (a, p->n_amt_text));
  tsy_camt_append (raw, " ", 1);
  tsy_camt_append_str (raw, p->n_ccy);
  tsy_camt_raw_append_field (raw, "Sts", tsy_camt_astr (a, p->n_sts));
  if (p->n_bookg != TSY_DATE_NONE)
    tsy_camt_raw_append_field (raw, "BookgDt", p->n_bookg_iso);
  if (p->n_val != TSY_DATE_NONE)
    tsy_camt_raw_append_field (raw, "ValDt", p->n_val_iso);
  tsy_camt_raw_append_field (raw, "AcctSvcrRef", tsy_camt_astr (a, p->n_acct_ref));
  tsy_camt_raw_append_field (raw, "NtryRef", tsy_camt_astr (a, p->n_ntry_ref));
  if (p->n_rvsl)
    tsy_camt_raw_append_field (raw, "RvslInd", "true");
  if (n_details > 0)
    {
      tsy_camt_append_str (raw, " TxDtls ");
      tsy_camt_raw_append_uint (raw, n_details);
    }
}

static void
end_entry_element (Parser *p)
{
  int level = p->ntry_level;
  guint line = level_line (p, level);
  GString *a = p->arena;
  TsyStatementEntry e = { 0 };
  GError *local = NULL;
  guint n = p->details->len;
  gint32 code;

  p->ntry_level = -1;
  if (!p->n_has_amt)
    {
      fail_at (p, level, line, _("the amount is missing (Amt)"));
      return;
    }
  if (p->n_sign == 0)
    {
      fail_at (p, level, line, _("the credit/debit indicator is missing (CdtDbtInd)"));
      return;
    }
  if (!begin_statement (p, p->n_ccy))
    return;

  /* Everything that appends to the arena first; pointers into it afterwards. */
  g_array_set_size (p->resolved, n);
  for (guint i = 0; i < n; i++)
    resolve_detail (p, &g_array_index (p->details, Detail, i), p->header.account,
                    &g_array_index (p->resolved, Resolved, i));
  code = tsy_camt_compose_tx_code (a, p->n_domn, p->n_fmly, p->n_subfmly, p->n_prtry);
  if (code < 0 && n == 1)
    code = g_array_index (p->resolved, Resolved, 0).code;

  g_array_set_size (p->out_details, n);
  for (guint i = 0; i < n; i++)
    {
      const Detail *d = &g_array_index (p->details, Detail, i);
      const Resolved *r = &g_array_index (p->resolved, Resolved, i);
      TsyEntryDetail *o = &g_array_index (p->out_details, TsyEntryDetail, i);

      o->has_amount = r->has_amount;
      o->amount_minor = r->amount;
      o->end_to_end_id = ref_or_null (a, d->e2e);
      o->instruction_id = ref_or_null (a, d->instr);
      o->uetr = tsy_camt_astr (a, d->uetr);
      o->counterparty_name = tsy_camt_astr (a, r->name);
      o->counterparty_account = tsy_camt_astr (a, r->account);
      o->counterparty_bank = tsy_camt_astr (a, r->bank);
      o->text = tsy_camt_astr (a, r->text);
    }

  e.booking_date = p->n_bookg != TSY_DATE_NONE ? p->n_bookg : p->n_val;
  e.value_date = p->n_val;
  e.amount_minor = p->n_sign * p->n_amt;
  e.currency = strcmp (p->n_ccy, p->currency) == 0 ? NULL : p->n_ccy;
  e.reversal = p->n_rvsl;
  e.bank_ref = ref_or_null (a, p->n_acct_ref);
  if (e.bank_ref == NULL)
    e.bank_ref = ref_or_null (a, p->n_ntry_ref);
  if (e.bank_ref == NULL && n == 1)
    e.bank_ref = ref_or_null (a, g_array_index (p->details, Detail, 0).acct_ref);
  e.bank_tx_code = tsy_camt_astr (a, code);
  e.details = n > 0 ? (const TsyEntryDetail *) p->out_details->data : NULL;
  e.n_details = n;
  e.source_line = line;
  if (n == 1)
    {
      const TsyEntryDetail *o = e.details;
      e.end_to_end_id = o->end_to_end_id;
      e.customer_ref = o->instruction_id;
      e.counterparty_name = o->counterparty_name;
      e.counterparty_account = o->counterparty_account;
      e.counterparty_bank = o->counterparty_bank;
      e.text = o->text;
    }
  if (e.customer_ref == NULL)
    e.customer_ref = ref_or_null (a, p->n_btch_pmtinf);
  if (e.customer_ref == NULL && n > 1)
    {
      /* a batch: the payment-information id its details share */
      const char *common = ref_or_null (a, g_array_index (p->details, Detail, 0).pmtinf);
      for (guint i = 1; i < n && common != NULL; i++)
        {
          const char *s = tsy_camt_astr (a, g_array_index (p->details, Detail, i).pmtinf);
          if (s == NULL || strcmp (s, common) != 0)
            common = NULL;
        }
      e.customer_ref = common;
    }
  if (e.text == NULL)
    e.text = tsy_camt_astr (a, p->n_addtl);

  build_raw (p, line, n);
  e.raw = p->raw->str;

  if (p->sink->entry != NULL && !p->sink->entry (p->user_data, &e, &local))
    g_propagate_error (&p->error, local);
  if (p->error == NULL && g_cancellable_set_error_if_cancelled (p->cancellable, &local))
    g_propagate_error (&p->error, local);
}


/* ---- SAX events --------------------------------------------------------------------------- */

static gboolean
check_root (Parser        *p,
            const xmlChar *uri)
{
  const char *href = (const char *) uri;
  const char *v;

  if (p->stack[0].tag != T_DOCUMENT || href == NULL ||
      !g_str_has_prefix (href, CAMT_NS_PREFIX "camt.05"))
    goto refuse;
  v = href + strlen (CAMT_NS_PREFIX);
  /* camt.05X.001.NN */
  if (strlen (v) != 15 || (v[7] != '2' && v[7] != '3' && v[7] != '4') ||
      strncmp (v + 8, ".001.", 5) != 0 || !g_ascii_isdigit (v[13]) || !g_ascii_isdigit (v[14]) ||
      (v[13] == '0' && v[14] == '0'))
    goto refuse;
  p->ns = g_strdup (href);
  p->ns_href = uri;
  g_strlcpy (p->format, v, sizeof p->format);
  p->kind = v[7] == '2' ? TSY_STATEMENT_KIND_INTRADAY :
            v[7] == '3' ? TSY_STATEMENT_KIND_FINAL : TSY_STATEMENT_KIND_NOTIFICATION;
  return TRUE;

refuse:
  if (href == NULL)
    fail_at (p, 0, p->stack[0].line,
             _("not a camt.052, camt.053 or camt.054 document "
               "(the root element has no namespace)"));
  else
    failf (p, 0, p->stack[0].line,
           _("not a camt.052, camt.053 or camt.054 document (namespace “%s”)"), href);
  return FALSE;
}

/* The Ccy attribute of an amount; SAX2 gives attributes as (localname, prefix, URI, value,
 * end) quintuples whose values are not NUL-terminated. */
static void
read_ccy_attribute (Parser         *p,
                    int             n_attributes,
                    const xmlChar **attributes)
{
  p->ccy[0] = '\0';
  for (int i = 0; i < n_attributes; i++)
    {
      const xmlChar **a = attributes + i * 5;
      gsize n;

      if (strcmp ((const char *) a[0], "Ccy") != 0)
        continue;
      /* an odd value is kept (shortened) so that the money parser names it */
      n = a[4] > a[3] ? (gsize) (a[4] - a[3]) : 0;
      if (n == 0)
        strcpy (p->ccy, "?");
      else
        {
          n = MIN (n, sizeof p->ccy - 1);
          memcpy (p->ccy, a[3], n);
          p->ccy[n] = '\0';
        }
      break;
    }
}

static void
element_start (Parser         *p,
               const xmlChar  *localname,
               const xmlChar  *uri,
               int             n_attributes,
               const xmlChar **attributes)
{
  TsyCamtLevel *lv;
  int d = p->depth;
  TsyCamtTag tag = T_OTHER;
  TsyCamtField f = F_NONE;

  if (d >= MAX_DEPTH)
    {
      fail_at (p, d - 1, parser_line (p), _("the XML is nested too deeply"));
      return;
    }
  /* an element inside a captured leaf: mixed content is not a value */
  p->field = F_NONE;

  if (d == 0)
    tag = tsy_camt_tag_lookup ((const char *) localname);
  else if (uri != NULL && p->ns != NULL &&
           (uri == p->ns_href || strcmp ((const char *) uri, p->ns) == 0))
    tag = lookup_tag (p, localname);

  lv = &p->stack[d];
  lv->name = localname;
  lv->tag = tag;
  lv->index = 0;
  lv->line = parser_line (p);
  p->depth = d + 1;

  if (d == 0)
    {
      p->root_seen = TRUE;
      check_root (p, uri);
      return;
    }
  if (d == 1)
    {
      if (tag != T_BKTOCSTMR)
        failf (p, d, lv->line, _("“%s” is not a bank-to-customer cash management message"),
               (const char *) localname);
      else
        p->msg_level = d;
      return;
    }

  if (p->tx_level >= 0)
    f = tsy_camt_classify_detail (p->stack + p->tx_level, d - p->tx_level);
  else if (p->ntry_level >= 0)
    {
      int r = d - p->ntry_level;
      if (tag == T_TXDTLS &&
          (r == 1 || (r == 2 && p->stack[p->ntry_level + 1].tag == T_NTRYDTLS)))
        {
          lv->index = p->details->len + 1;
          begin_detail_element (p);
          return;
        }
      f = tsy_camt_classify_entry (p->stack + p->ntry_level, r);
    }
  else if (p->bal_level >= 0)
    f = tsy_camt_classify_balance (p->stack + p->bal_level, d - p->bal_level);
  else if (p->stmt_level >= 0)
    {
      int r = d - p->stmt_level;
      if (r == 1 && tag == T_BAL)
        {
          lv->index = ++p->n_bal;
          p->bal_level = d;
          memset (&p->bal, 0, sizeof p->bal);
          return;
        }
      if (r == 1 && tag == T_NTRY)
        {
          lv->index = ++p->n_ntry;
          begin_entry_element (p);
          return;
        }
      f = tsy_camt_classify_statement (p->stack + p->stmt_level, r);
    }
  else if (d == 2 && p->msg_level == 1 && tag == T_STMT)
    {
      lv->index = p->n_statements + 1;
      begin_statement_element (p);
      return;
    }

  if (f != F_NONE)
    {
      p->field = f;
      p->cap_level = d;
      p->value->len = 0;   /* g_string_truncate (p->value, 0) without the call */
      p->value->str[0] = '\0';
      p->value_overflow = FALSE;
      if (f == F_B_AMT || f == F_N_AMT || f == F_T_AMT || f == F_T_TXAMT)
        read_ccy_attribute (p, n_attributes, attributes);
    }
}

static void
element_end (Parser *p)
{
  int level = p->depth - 1;

  if (level < 0)
    return;
  if (p->field != F_NONE && p->cap_level == level)
    {
      store_value (p);
      p->field = F_NONE;
    }
  if (p->error == NULL)
    {
      if (level == p->tx_level)
        p->tx_level = -1;
      else if (level == p->ntry_level)
        end_entry_element (p);
      else if (level == p->bal_level)
        end_balance_element (p);
      else if (level == p->stmt_level)
        end_statement_element (p);
      else if (level == p->msg_level && p->n_statements == 0 && p->error == NULL)
        fail_at (p, level, p->stack[level].line,
                 _("the message holds no Stmt, Rpt or Ntfctn"));
    }
  p->depth = level;
}

/* After an error, the next element event stops the parser (libxml2 checks for that after
 * its element callbacks) and every later event is ignored. */
static gboolean
stop_if_failed (Parser *p)
{
  if (p->error == NULL && p->xml_error == NULL)
    return FALSE;
  p->start_failed = FALSE;
  if (!p->stopped)
    {
      p->stopped = TRUE;
      xmlStopParser (p->ctxt);
    }
  return TRUE;
}

static void
on_start_element_cb (void           *user_data,
                     const xmlChar  *localname,
                     const xmlChar  *prefix,
                     const xmlChar  *uri,
                     int             n_namespaces,
                     const xmlChar **namespaces,
                     int             n_attributes,
                     int             n_defaulted,
                     const xmlChar **attributes)
{
  Parser *p = user_data;

  if (stop_if_failed (p))
    return;
  element_start (p, localname, uri, n_attributes, attributes);
  /* stopped at the next event, so that a syntax error in this start tag can still win */
  p->start_failed = p->error != NULL;
}

static void
on_end_element_cb (void          *user_data,
                   const xmlChar *localname,
                   const xmlChar *prefix,
                   const xmlChar *uri)
{
  Parser *p = user_data;

  if (stop_if_failed (p))
    return;
  element_end (p);
  if (p->error != NULL)
    {
      p->stopped = TRUE;
      xmlStopParser (p->ctxt);
    }
}

/* Text, CDATA and white space alike; only a captured leaf's own text is kept. */
static void
on_text_cb (void          *user_data,
            const xmlChar *text,
            int            len)
{
  Parser *p = user_data;
  gsize n = len > 0 ? (gsize) len : 0;

  if (p->error != NULL || p->xml_error != NULL)
    {
      /* the start tag before this text was complete */
      p->start_failed = FALSE;
      return;
    }
  if (p->field == F_NONE || p->depth != p->cap_level + 1)
    return;
  if (p->value->len + n > MAX_VALUE)
    {
      p->value_overflow = TRUE;
      n = MAX_VALUE - MIN (p->value->len, MAX_VALUE);
    }
  tsy_camt_append (p->value, (const char *) text, n);
}

/* A DOCTYPE: stop before libxml2 reads any declaration of its internal subset. */
static void
on_internal_subset_cb (void          *user_data,
                       const xmlChar *name,
                       const xmlChar *external_id,
                       const xmlChar *system_id)
{
  Parser *p = user_data;

  p->doctype = TRUE;
  p->doctype_line = parser_line (p);
  xmlStopParser (p->ctxt);
}

/* Hands the stream to the parser in chunks until the end, an error or a cancellation. */
static void
run (Parser *p)
{
  g_autofree guint8 *buffer = g_malloc (CHUNK_SIZE);

  while (p->error == NULL && p->xml_error == NULL && !p->doctype)
    {
      GError *local = NULL;
      gssize n;

      if (g_cancellable_set_error_if_cancelled (p->cancellable, &local))
        {
          g_propagate_error (&p->error, local);
          return;
        }
      n = g_input_stream_read (p->in, buffer, CHUNK_SIZE, p->cancellable, &local);
      if (n < 0)
        {
          g_propagate_error (&p->error, local);
          return;
        }
      if (n == 0)
        {
          p->eof = TRUE;
          xmlParseChunk (p->ctxt, NULL, 0, 1);
          break;
        }
      xmlParseChunk (p->ctxt, (const char *) buffer, (int) n, 0);
    }
  if (p->error != NULL)
    return;

  if (p->doctype)
    {
      fail_at (p, p->depth - 1, p->doctype_line,
               _("a DOCTYPE is not allowed in a camt document (entity expansion is refused)"));
      return;
    }
  if (p->xml_error != NULL)
    {
      g_autofree char *reason = NULL;

      /* libxml2's push parser words a cut-off file as "Extra content at the end" */
      if (p->eof && p->xml_error_depth > 0 && p->xml_error_code == XML_ERR_DOCUMENT_END)
        reason = g_strdup_printf (_("malformed XML: %s"),
                                  _("the file ends before the document does (truncated?)"));
      else if (!p->root_seen && (p->xml_error_code == XML_ERR_DOCUMENT_EMPTY ||
                                 p->xml_error_code == XML_ERR_DOCUMENT_END))
        reason = g_strdup (_("the file holds no XML document"));
      else if (p->xml_error_depth == 0 && !p->root_seen)
        reason = g_strdup_printf (_("not an XML document: %s"), p->xml_error);
      else
        reason = g_strdup_printf (_("malformed XML: %s"), p->xml_error);
      g_set_error (&p->error, TSY_BANK_ERROR, TSY_BANK_ERROR_PARSE,
                   _("%1$s: line %2$u: %3$s: %4$s"), p->display_name, p->xml_error_line,
                   p->xml_error_path, reason);
      return;
    }
  if (!p->ctxt->wellFormed)
    failf (p, p->depth - 1, parser_line (p), _("malformed XML: %s"),
           _("the document is incomplete"));
  else if (p->depth == 0 && p->ns == NULL)
    fail_at (p, -1, 1, _("the file holds no XML document"));
  else if (p->n_statements == 0)
    fail_at (p, p->msg_level >= 0 ? p->msg_level : 0, 1,
             _("the message holds no Stmt, Rpt or Ntfctn"));
}

gboolean
tsy_camt_parse (GInputStream           *in,
                const char             *display_name,
                const TsyStatementSink *sink,
                gpointer                user_data,
                GCancellable           *cancellable,
                GError                **error)
{
  static gsize xml_initialized = 0;
  xmlSAXHandler sax;
  xmlStructuredErrorFunc old_serror;
  xmlGenericErrorFunc old_generic;
  void *old_serror_ctx, *old_generic_ctx;
  Parser *p;
  gboolean ok;

  g_return_val_if_fail (G_IS_INPUT_STREAM (in), FALSE);
  g_return_val_if_fail (sink != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_once_init_enter (&xml_initialized))
    {
      xmlInitParser ();
      g_once_init_leave (&xml_initialized, 1);
    }

  p = g_new0 (Parser, 1);
  p->in = in;
  p->cancellable = cancellable;
  p->display_name = display_name != NULL ? display_name : "camt";
  p->sink = sink;
  p->user_data = user_data;
  p->value = g_string_sized_new (256);
  p->st_arena = g_string_sized_new (256);
  p->arena = g_string_sized_new (4096);
  p->raw = g_string_sized_new (256);
  p->balances = g_array_new (FALSE, TRUE, sizeof (Balance));
  p->details = g_array_new (FALSE, TRUE, sizeof (Detail));
  p->resolved = g_array_new (FALSE, TRUE, sizeof (Resolved));
  p->out_details = g_array_new (FALSE, TRUE, sizeof (TsyEntryDetail));
  p->msg_level = p->stmt_level = p->bal_level = p->ntry_level = p->tx_level = -1;
  p->cap_level = -1;

  /* Only elements, text and the DOCTYPE refusal: no entity, DTD or resolver callbacks. */
  memset (&sax, 0, sizeof sax);
  sax.initialized = XML_SAX2_MAGIC;
  sax.startElementNs = on_start_element_cb;
  sax.endElementNs = on_end_element_cb;
  sax.characters = on_text_cb;
  sax.ignorableWhitespace = on_text_cb;
  sax.cdataBlock = on_text_cb;
  sax.internalSubset = on_internal_subset_cb;
  sax.serror = on_xml_error_cb;

  /* Errors raised outside the parser context (encoding conversion) go through libxml2's
   * per-thread global handlers, which print to stderr: route them to us for the duration of
   * the parse. */
  old_serror = xmlStructuredError;
  old_serror_ctx = xmlStructuredErrorContext;
  old_generic = xmlGenericError;
  old_generic_ctx = xmlGenericErrorContext;
  xmlSetStructuredErrorFunc (p, on_xml_error_cb);
  xmlSetGenericErrorFunc (p, on_xml_generic_error_cb);

  /* No initial bytes: the encoding is detected from the first chunk. */
  p->ctxt = xmlCreatePushParserCtxt (&sax, p, NULL, 0, NULL);
  if (p->ctxt == NULL)
    fail_at (p, -1, 1, _("the file cannot be read as XML"));
  else
    {
      /* No network, no entity substitution, no DTD loading: only well-formedness. */
      xmlCtxtUseOptions (p->ctxt, XML_PARSE_NONET);
      run (p);
      xmlFreeParserCtxt (p->ctxt);
      p->ctxt = NULL;
    }
  xmlSetStructuredErrorFunc (old_serror_ctx, old_serror);
  xmlSetGenericErrorFunc (old_generic_ctx, old_generic);

  ok = p->error == NULL;
  if (!ok)
    g_propagate_error (error, p->error);
  g_free (p->xml_error);
  g_free (p->xml_error_path);
  g_free (p->ns);
  g_string_free (p->value, TRUE);
  g_string_free (p->st_arena, TRUE);
  g_string_free (p->arena, TRUE);
  g_string_free (p->raw, TRUE);
  g_array_unref (p->balances);
  g_array_unref (p->details);
  g_array_unref (p->resolved);
  g_array_unref (p->out_details);
  g_free (p);
  return ok;
}
