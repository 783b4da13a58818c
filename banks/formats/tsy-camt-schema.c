/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The camt element vocabulary and where each leaf we read sits (see tsy-camt.c). */
#include <string.h>

#include "tsy-camt-private.h"

static const struct
{
  const char *name;
  TsyCamtTag         tag;
} tag_names[] = {
  { "Acct", T_ACCT }, { "AcctSvcrRef", T_ACCTSVCRREF }, { "AddtlNtryInf", T_ADDTLNTRYINF },
  { "AddtlTxInf", T_ADDTLTXINF }, { "Agt", T_AGT }, { "Amt", T_AMT }, { "AmtDtls", T_AMTDTLS },
  { "BBAN", T_BBAN }, { "BIC", T_BIC }, { "BICFI", T_BIC }, { "Bal", T_BAL },
  { "BkTxCd", T_BKTXCD }, { "BookgDt", T_BOOKGDT }, { "Btch", T_BTCH }, { "Ccy", T_CCY },
  { "Cd", T_CD }, { "CdOrPrtry", T_CDORPRTRY }, { "CdtDbtInd", T_CDTDBTIND }, { "Cdtr", T_CDTR },
  { "CdtrAcct", T_CDTRACCT }, { "CdtrAgt", T_CDTRAGT }, { "CdtrRefInf", T_CDTRREFINF },
  { "Dbtr", T_DBTR }, { "DbtrAcct", T_DBTRACCT }, { "DbtrAgt", T_DBTRAGT },
  { "Document", T_DOCUMENT }, { "Domn", T_DOMN }, { "Dt", T_DT }, { "DtTm", T_DTTM },
  { "ElctrncSeqNb", T_ELCTRNCSEQNB }, { "EndToEndId", T_ENDTOENDID },
  { "FinInstnId", T_FININSTNID }, { "Fmly", T_FMLY }, { "FrDt", T_FRDT }, { "FrDtTm", T_FRDTTM },
  { "FrToDt", T_FRTODT }, { "IBAN", T_IBAN }, { "Id", T_ID }, { "InstrId", T_INSTRID },
  { "LglSeqNb", T_LGLSEQNB }, { "MsgId", T_MSGID }, { "Nm", T_NM }, { "Ntfctn", T_STMT },
  { "Ntry", T_NTRY }, { "NtryDtls", T_NTRYDTLS }, { "NtryRef", T_NTRYREF }, { "Othr", T_OTHR },
  { "PmtInfId", T_PMTINFID }, { "Prtry", T_PRTRY }, { "PrtryAcct", T_PRTRYACCT },
  { "Pty", T_PTY }, { "Ref", T_REF }, { "Refs", T_REFS }, { "RltdAgts", T_RLTDAGTS },
  { "RltdPties", T_RLTDPTIES }, { "RmtInf", T_RMTINF }, { "Rpt", T_STMT },
  { "RvslInd", T_RVSLIND }, { "Stmt", T_STMT }, { "Strd", T_STRD }, { "Sts", T_STS },
  { "SubFmlyCd", T_SUBFMLYCD }, { "ToDt", T_TODT }, { "ToDtTm", T_TODTTM }, { "Tp", T_TP },
  { "TxAmt", T_TXAMT }, { "TxDtls", T_TXDTLS }, { "UETR", T_UETR }, { "UPIC", T_UPIC },
  { "Ustrd", T_USTRD }, { "ValDt", T_VALDT },
};

TsyCamtTag
tsy_camt_tag_lookup (const char *name)
{
  gsize lo = 0, hi = G_N_ELEMENTS (tag_names);

  if (strncmp (name, "BkToCstmr", 9) == 0)
    return T_BKTOCSTMR;
  while (lo < hi)
    {
      gsize mid = (lo + hi) / 2;
      int c = strcmp (name, tag_names[mid].name);
      if (c == 0)
        return tag_names[mid].tag;
      if (c < 0)
        hi = mid;
      else
        lo = mid + 1;
    }
  return T_OTHER;
}

#define TAG(k) (b[(k)].tag)

TsyCamtField
tsy_camt_classify_detail (const TsyCamtLevel *b,
                 int          r)
{
  switch (r)
    {
    case 1:
      switch (TAG (1))
        {
        case T_AMT: return F_T_AMT;
        case T_CDTDBTIND: return F_T_CDI;
        case T_ADDTLTXINF: return F_T_ADDTL;
        default: return F_NONE;
        }
    case 2:
      if (TAG (1) == T_REFS)
        switch (TAG (2))
          {
          case T_ENDTOENDID: return F_T_E2E;
          case T_INSTRID: return F_T_INSTR;
          case T_ACCTSVCRREF: return F_T_ACCTREF;
          case T_UETR: return F_T_UETR;
          case T_MSGID: return F_T_MSGID;
          case T_PMTINFID: return F_T_PMTINF;
          default: return F_NONE;
          }
      if (TAG (1) == T_RMTINF && TAG (2) == T_USTRD)
        return F_T_USTRD;
      return F_NONE;
    case 3:
      if (TAG (1) == T_AMTDTLS && TAG (2) == T_TXAMT && TAG (3) == T_AMT)
        return F_T_TXAMT;
      if (TAG (1) == T_RLTDPTIES && TAG (3) == T_NM)
        return TAG (2) == T_DBTR ? F_T_DBTR_NM : TAG (2) == T_CDTR ? F_T_CDTR_NM : F_NONE;
      if (TAG (1) == T_BKTXCD && TAG (3) == T_CD)
        return TAG (2) == T_DOMN ? F_T_DOMN : TAG (2) == T_PRTRY ? F_T_PRTRY : F_NONE;
      return F_NONE;
    case 4:
      if (TAG (1) == T_RLTDPTIES)
        {
          if (TAG (3) == T_PTY && TAG (4) == T_NM)
            return TAG (2) == T_DBTR ? F_T_DBTR_NM : TAG (2) == T_CDTR ? F_T_CDTR_NM : F_NONE;
          if (TAG (3) == T_ID && (TAG (4) == T_IBAN || TAG (4) == T_BBAN || TAG (4) == T_UPIC))
            return TAG (2) == T_DBTRACCT ? F_T_DBTR_ACCT :
                   TAG (2) == T_CDTRACCT ? F_T_CDTR_ACCT : F_NONE;
          return F_NONE;
        }
      if (TAG (1) == T_RLTDAGTS && TAG (3) == T_FININSTNID && TAG (4) == T_BIC)
        return TAG (2) == T_DBTRAGT ? F_T_DBTR_AGT : TAG (2) == T_CDTRAGT ? F_T_CDTR_AGT : F_NONE;
      if (TAG (1) == T_RMTINF && TAG (2) == T_STRD && TAG (3) == T_CDTRREFINF && TAG (4) == T_REF)
        return F_T_STRDREF;
      if (TAG (1) == T_BKTXCD && TAG (2) == T_DOMN && TAG (3) == T_FMLY)
        return TAG (4) == T_CD ? F_T_FMLY : TAG (4) == T_SUBFMLYCD ? F_T_SUBFMLY : F_NONE;
      return F_NONE;
    case 5:
      if (TAG (1) != T_RLTDPTIES)
        return F_NONE;
      if (TAG (3) == T_ID && (TAG (4) == T_OTHR || TAG (4) == T_PRTRYACCT) && TAG (5) == T_ID)
        return TAG (2) == T_DBTRACCT ? F_T_DBTR_ACCT :
               TAG (2) == T_CDTRACCT ? F_T_CDTR_ACCT : F_NONE;
      /* .08: a party given as a financial institution, Dbtr/Agt/FinInstnId/{Nm,BICFI} */
      if (TAG (3) == T_AGT && TAG (4) == T_FININSTNID)
        {
          gboolean dbtr = TAG (2) == T_DBTR;
          if (!dbtr && TAG (2) != T_CDTR)
            return F_NONE;
          if (TAG (5) == T_NM)
            return dbtr ? F_T_DBTR_NM : F_T_CDTR_NM;
          if (TAG (5) == T_BIC)
            return dbtr ? F_T_DBTR_AGT : F_T_CDTR_AGT;
        }
      return F_NONE;
    default:
      return F_NONE;
    }
}

TsyCamtField
tsy_camt_classify_entry (const TsyCamtLevel *b,
                int          r)
{
  switch (r)
    {
    case 1:
      switch (TAG (1))
        {
        case T_AMT: return F_N_AMT;
        case T_CDTDBTIND: return F_N_CDI;
        case T_RVSLIND: return F_N_RVSL;
        case T_STS: return F_N_STS;
        case T_ACCTSVCRREF: return F_N_ACCTREF;
        case T_NTRYREF: return F_N_NTRYREF;
        case T_ADDTLNTRYINF: return F_N_ADDTL;
        default: return F_NONE;
        }
    case 2:
      if (TAG (1) == T_STS && TAG (2) == T_CD)
        return F_N_STS;
      if (TAG (2) == T_DT || TAG (2) == T_DTTM)
        return TAG (1) == T_BOOKGDT ? F_N_BOOKG : TAG (1) == T_VALDT ? F_N_VAL : F_NONE;
      if (TAG (1) == T_BTCH && TAG (2) == T_PMTINFID)
        return F_N_BTCH_PMTINF;
      return F_NONE;
    case 3:
      if (TAG (1) == T_BKTXCD && TAG (3) == T_CD)
        return TAG (2) == T_DOMN ? F_N_DOMN : TAG (2) == T_PRTRY ? F_N_PRTRY : F_NONE;
      if (TAG (1) == T_NTRYDTLS && TAG (2) == T_BTCH && TAG (3) == T_PMTINFID)
        return F_N_BTCH_PMTINF;
      return F_NONE;
    case 4:
      if (TAG (1) == T_BKTXCD && TAG (2) == T_DOMN && TAG (3) == T_FMLY)
        return TAG (4) == T_CD ? F_N_FMLY : TAG (4) == T_SUBFMLYCD ? F_N_SUBFMLY : F_NONE;
      return F_NONE;
    default:
      return F_NONE;
    }
}

TsyCamtField
tsy_camt_classify_balance (const TsyCamtLevel *b,
                  int          r)
{
  if (r == 1)
    return TAG (1) == T_AMT ? F_B_AMT : TAG (1) == T_CDTDBTIND ? F_B_CDI : F_NONE;
  if (r == 2 && TAG (1) == T_TP && TAG (2) == T_CD)          /* .01 */
    return F_B_TP;
  if (r == 2 && TAG (1) == T_DT && (TAG (2) == T_DT || TAG (2) == T_DTTM))
    return F_B_DT;
  if (r == 3 && TAG (1) == T_TP && TAG (2) == T_CDORPRTRY && TAG (3) == T_CD)
    return F_B_TP;
  return F_NONE;
}

TsyCamtField
tsy_camt_classify_statement (const TsyCamtLevel *b,
                    int          r)
{
  switch (r)
    {
    case 1:
      switch (TAG (1))
        {
        case T_ID: return F_S_ID;
        case T_ELCTRNCSEQNB: return F_S_ESEQ;
        case T_LGLSEQNB: return F_S_LSEQ;
        default: return F_NONE;
        }
    case 2:
      if (TAG (1) == T_FRTODT)
        return (TAG (2) == T_FRDTTM || TAG (2) == T_FRDT) ? F_S_FROM :
               (TAG (2) == T_TODTTM || TAG (2) == T_TODT) ? F_S_TO : F_NONE;
      if (TAG (1) == T_ACCT && TAG (2) == T_CCY)
        return F_S_CCY;
      return F_NONE;
    case 3:
      if (TAG (1) == T_ACCT && TAG (2) == T_ID &&
          (TAG (3) == T_IBAN || TAG (3) == T_BBAN || TAG (3) == T_UPIC))
        return F_S_ACCT;
      return F_NONE;
    case 4:
      if (TAG (1) == T_ACCT && TAG (2) == T_ID && (TAG (3) == T_OTHR || TAG (3) == T_PRTRYACCT) &&
          TAG (4) == T_ID)
        return F_S_ACCT;
      return F_NONE;
    default:
      return F_NONE;
    }
}

#undef TAG

TsyCamtBalanceType
tsy_camt_balance_type (const char *code)
{
  static const struct { const char *code; TsyCamtBalanceType type; } types[] = {
    { "OPBD", B_OPBD }, { "PRCD", B_PRCD }, { "CLBD", B_CLBD }, { "ITBD", B_ITBD },
    { "CLAV", B_CLAV }, { "ITAV", B_ITAV },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (types); i++)
    if (strcmp (code, types[i].code) == 0)
      return types[i].type;
  return B_OTHER;
}

gboolean
tsy_camt_is_free_text (TsyCamtField f)
{
  switch (f)
    {
    case F_N_ADDTL: case F_T_DBTR_NM: case F_T_CDTR_NM: case F_T_USTRD: case F_T_STRDREF:
    case F_T_ADDTL:
      return TRUE;
    default:
      return FALSE;
    }
}

void
tsy_camt_normalize (GString *v)
{
  gsize o = 0;
  gboolean space = FALSE;

  for (gsize i = 0; i < v->len; i++)
    {
      char c = v->str[i];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
        {
          space = o > 0;
          continue;
        }
      if (space)
        v->str[o++] = ' ';
      space = FALSE;
      v->str[o++] = c;
    }
  g_string_truncate (v, o);
}

gboolean
tsy_camt_is_placeholder (const char *s)
{
  return s == NULL || *s == '\0' || g_ascii_strcasecmp (s, "NONREF") == 0 ||
         g_ascii_strcasecmp (s, "NOTPROVIDED") == 0;
}

gboolean
tsy_camt_parse_date (const char *s,
            gsize       n,
            TsyDate    *out)
{
  int y, m, d;

  /* YYYY-MM-DD, optionally followed by a time ("T...") or a zone ("Z", "+01:00"). */
  if (n < 10 || s[4] != '-' || s[7] != '-')
    return FALSE;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (s[i]))
      return FALSE;
  if (n > 10 && s[10] != 'T' && s[10] != 'Z' && s[10] != '+' && s[10] != '-')
    return FALSE;
  y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  m = (s[5] - '0') * 10 + (s[6] - '0');
  d = (s[8] - '0') * 10 + (s[9] - '0');
  *out = tsy_date_from_ymd (y, m, d);
  return *out != TSY_DATE_NONE;
}

gboolean
tsy_camt_same_account (const char *a,
              const char *b)
{
  if (a == NULL || b == NULL)
    return FALSE;
  for (;;)
    {
      while (*a == ' ')
        a++;
      while (*b == ' ')
        b++;
      if (*a == '\0' || *b == '\0')
        return *a == *b;
      if (g_ascii_toupper (*a) != g_ascii_toupper (*b))
        return FALSE;
      a++;
      b++;
    }
}

gint32
tsy_camt_arena_add (GString    *arena,
           const char *s,
           gsize       n)
{
  gint32 off = (gint32) arena->len;

  tsy_camt_append (arena, s, n);
  tsy_camt_append (arena, "", 1);   /* the NUL, counted */
  return off;
}

/* Sets *slot once: a repeated element does not grow the arena. */
void
tsy_camt_arena_set (GString    *arena,
           gint32     *slot,
           const char *s,
           gsize       n)
{
  if (*slot < 0 && n > 0)
    *slot = tsy_camt_arena_add (arena, s, n);
}

/* Appends to *slot with a space between parts (Ustrd, Strd refs). */
void
tsy_camt_arena_join (GString    *arena,
            gint32     *slot,
            const char *s,
            gsize       n)
{
  gsize old;

  if (n == 0)
    return;
  if (*slot < 0)
    {
      *slot = tsy_camt_arena_add (arena, s, n);
      return;
    }
  old = strlen (arena->str + *slot);
  if ((gsize) *slot + old + 1 == arena->len)
    {
      arena->str[arena->len - 1] = ' ';
      g_string_append_len (arena, s, n);
      g_string_append_c (arena, '\0');
    }
  else
    {
      gint32 off = (gint32) arena->len;
      g_string_append_len (arena, arena->str + *slot, old);
      g_string_append_c (arena, ' ');
      g_string_append_len (arena, s, n);
      g_string_append_c (arena, '\0');
      *slot = off;
    }
}

/* "PMNT/RCDT/ESCT" from Domn/Cd, Fmly/Cd, SubFmlyCd; else Prtry/Cd; -1 when neither. */
gint32
tsy_camt_compose_tx_code (GString *arena,
                 gint32   domn,
                 gint32   fmly,
                 gint32   subfmly,
                 gint32   prtry)
{
  gint32 off;

  if (domn < 0)
    return prtry;
  off = (gint32) arena->len;
  tsy_camt_append_str (arena, arena->str + domn);
  if (fmly >= 0)
    {
      tsy_camt_append (arena, "/", 1);
      tsy_camt_append_str (arena, arena->str + fmly);
    }
  if (subfmly >= 0)
    {
      tsy_camt_append (arena, "/", 1);
      tsy_camt_append_str (arena, arena->str + subfmly);
    }
  tsy_camt_append (arena, "", 1);
  return off;
}

void
tsy_camt_raw_append_uint (GString *raw,
                 guint    v)
{
  char buf[16];
  int i = sizeof buf;

  do
    buf[--i] = (char) ('0' + v % 10);
  while ((v /= 10) > 0 && i > 0);
  tsy_camt_append (raw, buf + i, sizeof buf - i);
}

void
tsy_camt_raw_append_field (GString    *raw,
                  const char *label,
                  const char *value)
{
  if (value == NULL)
    return;
  tsy_camt_append (raw, " ", 1);
  tsy_camt_append_str (raw, label);
  tsy_camt_append (raw, " ", 1);
  tsy_camt_append_str (raw, value);
}
