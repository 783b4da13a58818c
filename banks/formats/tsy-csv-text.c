/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The words of Chinese bank CSV exports: column names, preamble keys, currencies, dates and
 * amounts. See tsy-csv.c. */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsy-csv-private.h"

/* Header names, normalised (no blanks, half-width brackets, ASCII lower case): "Value Date" is
 * "valuedate". The lower prio wins. */
static const struct
{
  const char *name;
  guint8      col;
  guint8      prio;
} vocabulary[] = {
  { "记账日期", COL_BOOKING_DATE, 0 }, { "入账日期", COL_BOOKING_DATE, 0 },
  { "账务日期", COL_BOOKING_DATE, 0 }, { "交易日期", COL_BOOKING_DATE, 1 },
  { "记账日", COL_BOOKING_DATE, 1 }, { "交易日", COL_BOOKING_DATE, 2 },
  { "发生日期", COL_BOOKING_DATE, 2 }, { "日期", COL_BOOKING_DATE, 3 },
  { "bookingdate", COL_BOOKING_DATE, 0 }, { "postingdate", COL_BOOKING_DATE, 0 },
  { "transactiondate", COL_BOOKING_DATE, 1 }, { "date", COL_BOOKING_DATE, 3 },
  { "起息日", COL_VALUE_DATE, 0 }, { "起息日期", COL_VALUE_DATE, 0 },
  { "valuedate", COL_VALUE_DATE, 0 },
  { "交易时间", COL_TIME, 0 }, { "记账时间", COL_TIME, 1 }, { "时间", COL_TIME, 2 },
  { "transactiontime", COL_TIME, 0 }, { "time", COL_TIME, 2 },
  { "交易流水号", COL_BANK_REF, 0 }, { "银行流水号", COL_BANK_REF, 0 },
  { "账户明细编号-交易流水号", COL_BANK_REF, 0 }, { "流水号", COL_BANK_REF, 1 },
  { "交易序号", COL_BANK_REF, 2 }, { "交易参考号", COL_BANK_REF, 2 }, { "凭证号", COL_BANK_REF, 3 },
  { "bankreference", COL_BANK_REF, 1 }, { "reference", COL_BANK_REF, 2 },
  { "企业流水号", COL_CUSTOMER_REF, 0 }, { "业务参考号", COL_CUSTOMER_REF, 0 },
  { "客户参考号", COL_CUSTOMER_REF, 0 }, { "customerreference", COL_CUSTOMER_REF, 0 },
  { "借方发生额", COL_DEBIT, 0 }, { "借方金额", COL_DEBIT, 0 }, { "支出金额", COL_DEBIT, 0 },
  { "付款金额", COL_DEBIT, 0 }, { "支出", COL_DEBIT, 1 }, { "借方", COL_DEBIT, 1 },
  { "支取金额", COL_DEBIT, 1 }, { "转出金额", COL_DEBIT, 1 }, { "debitamount", COL_DEBIT, 0 },
  { "debit", COL_DEBIT, 1 }, { "withdrawal", COL_DEBIT, 1 },
  { "贷方发生额", COL_CREDIT, 0 }, { "贷方金额", COL_CREDIT, 0 }, { "收入金额", COL_CREDIT, 0 },
  { "收款金额", COL_CREDIT, 0 }, { "收入", COL_CREDIT, 1 }, { "贷方", COL_CREDIT, 1 },
  { "存入金额", COL_CREDIT, 1 }, { "转入金额", COL_CREDIT, 1 }, { "creditamount", COL_CREDIT, 0 },
  { "credit", COL_CREDIT, 1 }, { "deposit", COL_CREDIT, 1 },
  { "交易金额", COL_AMOUNT, 0 }, { "发生额", COL_AMOUNT, 1 }, { "交易额", COL_AMOUNT, 1 },
  { "金额", COL_AMOUNT, 2 }, { "transactionamount", COL_AMOUNT, 0 }, { "amount", COL_AMOUNT, 1 },
  { "借贷标志", COL_DIRECTION, 0 }, { "借贷方向", COL_DIRECTION, 0 },
  { "收支标志", COL_DIRECTION, 0 },
  { "借贷标识", COL_DIRECTION, 0 }, { "收支方向", COL_DIRECTION, 0 }, { "借/贷", COL_DIRECTION, 0 },
  { "借贷", COL_DIRECTION, 1 }, { "收支", COL_DIRECTION, 1 }, { "交易方向", COL_DIRECTION, 1 },
  { "方向", COL_DIRECTION, 2 }, { "dr/cr", COL_DIRECTION, 0 }, { "d/c", COL_DIRECTION, 0 },
  { "debit/credit", COL_DIRECTION, 0 },
  { "账户余额", COL_BALANCE, 0 }, { "交易后余额", COL_BALANCE, 0 }, { "本次余额", COL_BALANCE, 0 },
  { "余额", COL_BALANCE, 1 }, { "当前余额", COL_BALANCE, 1 }, { "联机余额", COL_BALANCE, 1 },
  { "balance", COL_BALANCE, 1 },
  { "对方户名", COL_CP_NAME, 0 }, { "对方账户名", COL_CP_NAME, 0 },
  { "对方账户名称", COL_CP_NAME, 0 },
  { "收(付)款人名称", COL_CP_NAME, 0 }, { "收付款人名称", COL_CP_NAME, 0 },
  { "收/付方名称", COL_CP_NAME, 0 }, { "对方单位名称", COL_CP_NAME, 0 },
  { "对方单位", COL_CP_NAME, 1 },
  { "对方名称", COL_CP_NAME, 1 }, { "对手户名", COL_CP_NAME, 1 }, { "交易对方", COL_CP_NAME, 2 },
  { "counterpartyname", COL_CP_NAME, 0 }, { "counterparty", COL_CP_NAME, 1 },
  { "对方账号", COL_CP_ACCOUNT, 0 }, { "对方帐号", COL_CP_ACCOUNT, 0 },
  { "对方账户", COL_CP_ACCOUNT, 1 },
  { "收(付)款人账号", COL_CP_ACCOUNT, 0 }, { "收付款人账号", COL_CP_ACCOUNT, 0 },
  { "收/付方帐号", COL_CP_ACCOUNT, 0 }, { "收/付方账号", COL_CP_ACCOUNT, 0 },
  { "对方卡号", COL_CP_ACCOUNT, 1 }, { "对手账号", COL_CP_ACCOUNT, 1 },
  { "counterpartyaccount", COL_CP_ACCOUNT, 0 },
  { "对方开户行", COL_CP_BANK, 0 }, { "对方行名", COL_CP_BANK, 0 },
  { "对方开户银行", COL_CP_BANK, 0 },
  { "对方开户机构", COL_CP_BANK, 0 }, { "收(付)款人开户行", COL_CP_BANK, 0 },
  { "收/付方开户行", COL_CP_BANK, 0 }, { "收/付方分行名", COL_CP_BANK, 1 },
  { "对方银行", COL_CP_BANK, 1 }, { "counterpartybank", COL_CP_BANK, 0 },
  { "摘要", COL_TEXT, 0 }, { "用途", COL_TEXT, 0 }, { "附言", COL_TEXT, 0 },
  { "备注", COL_TEXT, 0 },
  { "交易附言", COL_TEXT, 0 }, { "交易摘要", COL_TEXT, 0 }, { "交易备注", COL_TEXT, 0 },
  { "交易说明", COL_TEXT, 0 }, { "资金用途", COL_TEXT, 0 }, { "交易用途", COL_TEXT, 0 },
  { "说明", COL_TEXT, 0 },
  { "description", COL_TEXT, 0 }, { "memo", COL_TEXT, 0 }, { "remark", COL_TEXT, 0 },
  { "remarks", COL_TEXT, 0 }, { "narrative", COL_TEXT, 0 }, { "purpose", COL_TEXT, 0 },
  { "交易类型", COL_TX_CODE, 0 }, { "交易代码", COL_TX_CODE, 0 }, { "业务类型", COL_TX_CODE, 1 },
  { "交易种类", COL_TX_CODE, 1 }, { "transactiontype", COL_TX_CODE, 0 },
  { "币种", COL_CURRENCY, 0 }, { "币别", COL_CURRENCY, 0 }, { "交易币种", COL_CURRENCY, 0 },
  { "货币", COL_CURRENCY, 1 }, { "currency", COL_CURRENCY, 0 },
  { "账号", COL_ACCOUNT, 0 }, { "帐号", COL_ACCOUNT, 0 }, { "本方账号", COL_ACCOUNT, 0 },
  { "本方帐号", COL_ACCOUNT, 0 }, { "本方账户", COL_ACCOUNT, 0 }, { "账户号", COL_ACCOUNT, 0 },
  { "账户", COL_ACCOUNT, 1 }, { "卡号", COL_ACCOUNT, 1 }, { "accountnumber", COL_ACCOUNT, 0 },
  { "accountno.", COL_ACCOUNT, 0 }, { "accountno", COL_ACCOUNT, 0 },
  { "account", COL_ACCOUNT, 1 },
};

/* Keys of preamble and summary lines, normalised. */
static const struct
{
  const char *name;
  KeyKind     kind;
} preamble_keys[] = {
  { "账号", KEY_ACCOUNT }, { "帐号", KEY_ACCOUNT }, { "账户", KEY_ACCOUNT },
  { "帐户", KEY_ACCOUNT },
  { "卡号", KEY_ACCOUNT }, { "账户号", KEY_ACCOUNT }, { "账户号码", KEY_ACCOUNT },
  { "本方账号", KEY_ACCOUNT }, { "查询账号", KEY_ACCOUNT }, { "单位账号", KEY_ACCOUNT },
  { "客户账号", KEY_ACCOUNT }, { "账号/卡号", KEY_ACCOUNT }, { "卡号/账号", KEY_ACCOUNT },
  { "account", KEY_ACCOUNT }, { "accountno", KEY_ACCOUNT }, { "accountnumber", KEY_ACCOUNT },
  { "币种", KEY_CURRENCY }, { "货币", KEY_CURRENCY }, { "币别", KEY_CURRENCY },
  { "交易币种", KEY_CURRENCY }, { "currency", KEY_CURRENCY },
  { "起止日期", KEY_PERIOD }, { "查询日期", KEY_PERIOD }, { "日期范围", KEY_PERIOD },
  { "交易日期", KEY_PERIOD }, { "日期", KEY_PERIOD }, { "查询区间", KEY_PERIOD },
  { "查询期间", KEY_PERIOD }, { "对账期间", KEY_PERIOD }, { "账单周期", KEY_PERIOD },
  { "期间", KEY_PERIOD }, { "交易期间", KEY_PERIOD }, { "日期区间", KEY_PERIOD },
  { "起止时间", KEY_PERIOD }, { "查询时间段", KEY_PERIOD }, { "交易日期范围", KEY_PERIOD },
  { "period", KEY_PERIOD },
  { "起始日期", KEY_FROM }, { "开始日期", KEY_FROM }, { "起始日", KEY_FROM },
  { "查询起始日期", KEY_FROM }, { "startdate", KEY_FROM },
  { "终止日期", KEY_TO }, { "结束日期", KEY_TO }, { "截止日期", KEY_TO },
  { "查询终止日期", KEY_TO }, { "enddate", KEY_TO },
  { "期初余额", KEY_OPENING }, { "上期余额", KEY_OPENING }, { "上日余额", KEY_OPENING },
  { "承前余额", KEY_OPENING }, { "起始余额", KEY_OPENING }, { "期初金额", KEY_OPENING },
  { "openingbalance", KEY_OPENING },
  { "期末余额", KEY_CLOSING }, { "本期余额", KEY_CLOSING }, { "期末金额", KEY_CLOSING },
  { "截止余额", KEY_CLOSING }, { "closingbalance", KEY_CLOSING },
};

/* A cell beginning with one of these makes a row a summary line, not a transaction. */
static const char * const summary_words[] = {
  "合计", "总计", "小计", "累计", "笔数", "总笔数", "本页", "承前", "过次页", "以下空白",
  "借方合计", "贷方合计", "借方笔数", "贷方笔数", "期初余额", "期末余额", "上期余额",
  "本期余额", "上日余额", "本日余额", "total",
};

/* A cell that is exactly one of these makes a dated row a subtotal or a page carry. */
static const char * const subtotal_words[] = {
  "合计", "小计", "总计", "累计", "本日合计", "本日小计", "当日合计", "本页合计", "本页小计",
  "本月合计", "本月小计", "本期合计", "本期发生额", "本年累计", "承前页", "过次页", "承上页",
  "转下页",
};

/* Dated rows without an amount that carry a balance. */
static const char * const opening_row_words[] = {
  "期初余额", "上日余额", "上期余额", "承前页", "承前余额",
};
static const char * const closing_row_words[] = { "期末余额", "本日余额", "本期余额", "过次页" };

static const struct
{
  const char *name;
  const char *code;
} currency_names[] = {
  { "人民币", "CNY" }, { "人民币元", "CNY" }, { "rmb", "CNY" }, { "本币", "CNY" }, { "元", "CNY" },
  { "156", "CNY" }, { "离岸人民币", "CNH" }, { "美元", "USD" }, { "美金", "USD" }, { "840", "USD" },
  { "港币", "HKD" }, { "港元", "HKD" }, { "344", "HKD" }, { "欧元", "EUR" }, { "978", "EUR" },
  { "日元", "JPY" }, { "英镑", "GBP" }, { "澳元", "AUD" }, { "澳大利亚元", "AUD" },
  { "加元", "CAD" }, { "加拿大元", "CAD" }, { "新加坡元", "SGD" }, { "新元", "SGD" },
  { "瑞士法郎", "CHF" }, { "瑞郎", "CHF" }, { "新西兰元", "NZD" }, { "韩元", "KRW" },
  { "泰铢", "THB" }, { "卢布", "RUB" }, { "澳门元", "MOP" }, { "澳门币", "MOP" },
};

/* Length of the blank (ASCII blank, U+3000, U+00A0) at @s, 0 when none. */
gsize
tsy_csv_blank_len (const char *s,
                   gsize       len)
{
  if (len >= 1 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n' || s[0] == '\v'))
    return 1;
  if (len >= 3 && (guchar) s[0] == 0xE3 && (guchar) s[1] == 0x80 && (guchar) s[2] == 0x80)
    return 3;
  if (len >= 2 && (guchar) s[0] == 0xC2 && (guchar) s[1] == 0xA0)
    return 2;
  return 0;
}

static gboolean
ends_blank (const char *s,
            gsize       len)
{
  if (len == 0)
    return FALSE;
  if (tsy_csv_blank_len (s + len - 1, 1))
    return TRUE;
  if (len >= 3 && tsy_csv_blank_len (s + len - 3, 3) == 3)
    return TRUE;
  return len >= 2 && tsy_csv_blank_len (s + len - 2, 2) == 2;
}

static gsize
trailing_blank_len (const char *s,
                    gsize       len)
{
  if (tsy_csv_blank_len (s + len - 1, 1))
    return 1;
  if (len >= 3 && tsy_csv_blank_len (s + len - 3, 3) == 3)
    return 3;
  return 2;
}

/* Trims blanks off [*s, *s + *len). */
void
tsy_csv_trim (const char **s,
              gsize       *len)
{
  gsize n;

  while (*len > 0 && (n = tsy_csv_blank_len (*s, *len)) > 0)
    {
      *s += n;
      *len -= n;
    }
  while (ends_blank (*s, *len))
    *len -= trailing_blank_len (*s, *len);
}

/* Normalises a name for comparison: no blanks, half-width brackets, colon and slash, no '*',
 * ASCII lower case; a trailing ':' dropped. Returns FALSE when it does not fit. */
gboolean
tsy_csv_normalise_name (const char *s,
                        char        out[MAX_NAME])
{
  gsize o = 0, len = strlen (s);

  for (gsize i = 0; i < len;)
    {
      gsize b = tsy_csv_blank_len (s + i, len - i);
      guchar c = (guchar) s[i];
      char r = 0;

      if (b > 0)
        {
          i += b;
          continue;
        }
      if (c == 0xEF && i + 2 < len && (guchar) s[i + 1] == 0xBC)
        {
          switch ((guchar) s[i + 2])
            {
            case 0x88: r = '('; break;
            case 0x89: r = ')'; break;
            case 0x8F: r = '/'; break;
            case 0x9A: r = ':'; break;
            case 0x8A: r = '*'; break;
            default: break;
            }
          if (r != 0)
            i += 3;
        }
      if (r == 0)
        {
          r = g_ascii_tolower ((char) c);
          i++;
        }
      if (r == '*')
        continue;
      if (o + 1 >= MAX_NAME)
        return FALSE;
      out[o++] = r;
    }
  while (o > 0 && out[o - 1] == ':')
    o--;
  out[o] = '\0';
  return TRUE;
}

/* Cuts a trailing "(元)", "(支取)": returns FALSE when there is none. */
static gboolean
cut_parenthetical (char *norm)
{
  gsize len = strlen (norm);
  char *open;

  if (len < 3 || norm[len - 1] != ')')
    return FALSE;
  open = strrchr (norm, '(');
  if (open == NULL || open == norm)
    return FALSE;
  *open = '\0';
  return TRUE;
}

gboolean
tsy_csv_lookup_column (const char *cell,
                       Col        *col,
                       guint8     *prio)
{
  char norm[MAX_NAME];

  if (*cell == '\0' || !tsy_csv_normalise_name (cell, norm))
    return FALSE;
  for (int attempt = 0; attempt < 2; attempt++)
    {
      for (gsize i = 0; i < G_N_ELEMENTS (vocabulary); i++)
        if (strcmp (norm, vocabulary[i].name) == 0)
          {
            *col = vocabulary[i].col;
            *prio = vocabulary[i].prio;
            return TRUE;
          }
      if (!cut_parenthetical (norm))
        break;
    }
  return FALSE;
}

KeyKind
tsy_csv_classify_key (const char *key)
{
  char norm[MAX_NAME];
  gsize len;

  if (!tsy_csv_normalise_name (key, norm))
    return KEY_NONE;
  cut_parenthetical (norm);
  for (gsize i = 0; i < G_N_ELEMENTS (preamble_keys); i++)
    if (strcmp (norm, preamble_keys[i].name) == 0)
      return preamble_keys[i].kind;
  len = strlen (norm);
  if (strstr (norm, "合计") || strstr (norm, "总计") || strstr (norm, "笔数"))
    return KEY_SUMMARY;
  if (len > 6 && !g_str_has_prefix (norm, "对方") && !g_str_has_prefix (norm, "收款") &&
      !g_str_has_prefix (norm, "付款") && !g_str_has_prefix (norm, "对手") &&
      (g_str_has_suffix (norm, "账号") || g_str_has_suffix (norm, "帐号") ||
       g_str_has_suffix (norm, "卡号")))
    return KEY_ACCOUNT;
  return KEY_NONE;
}

static gboolean
starts_with_any (const char         *cell,
                 const char * const *words,
                 gsize               n)
{
  char norm[MAX_NAME];

  if (*cell == '\0' || !tsy_csv_normalise_name (cell, norm))
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (g_str_has_prefix (norm, words[i]))
      return TRUE;
  return FALSE;
}

/* Maps 人民币, RMB, cny, 156 … to an ISO code in @out; FALSE when unknown. */
gboolean
tsy_csv_currency_from_text (const char *text,
                            char        out[4])
{
  char norm[MAX_NAME];

  /* cash (钞) or transfer (汇) sub-accounts of a foreign currency: 美元现汇, 港币钞 */
  static const char * const suffixes[] = { "现汇", "现钞", "钞户", "汇户", "钞", "汇" };

  if (!tsy_csv_normalise_name (text, norm))
    return FALSE;
  cut_parenthetical (norm);
  for (gsize k = 0; k <= G_N_ELEMENTS (suffixes); k++)
    {
      if (k > 0)
        {
          gsize n = strlen (norm), m = strlen (suffixes[k - 1]);
          if (n <= m || strcmp (norm + n - m, suffixes[k - 1]) != 0)
            continue;
          norm[n - m] = '\0';
        }
      for (gsize i = 0; i < G_N_ELEMENTS (currency_names); i++)
        if (strcmp (norm, currency_names[i].name) == 0)
          {
            memcpy (out, currency_names[i].code, 4);
            return TRUE;
          }
    }
  if (strlen (norm) == 3)
    {
      for (int i = 0; i < 3; i++)
        out[i] = g_ascii_toupper (norm[i]);
      out[3] = '\0';
      return tsy_currency_is_known (out);
    }
  return FALSE;
}

/* Reads between @min and @max digits; returns how many (0 = fewer than @min). */
static int
read_digits (const char *s,
             int         min,
             int         max,
             int        *out)
{
  int n = 0, v = 0;

  while (n < max && g_ascii_isdigit (s[n]))
    v = v * 10 + (s[n++] - '0');
  if (n < min)
    return 0;
  *out = v;
  return n;
}

/* After a date: nothing, or a time after a blank or 'T'. */
static gboolean
date_tail_ok (const char *p)
{
  return *p == '\0' || *p == 'T' || tsy_csv_blank_len (p, strlen (p)) > 0;
}

/* A date at @s (2026-10-08, 2026/10/8, 2026.10.08, 20261008, 2026年10月08日); @end is set
 * after it. */
static TsyDate
parse_date_prefix (const char  *s,
                   const char **end)
{
  int y = 0, m = 0, d = 0, n = 0, k;
  const char *p = s;

  while (g_ascii_isdigit (p[n]))
    n++;
  if (n == 8 || n == 12 || n == 14)
    {
      /* 20261008, or with the time: 202610081403, 20261008140311 */
      read_digits (p, 4, 4, &y);
      read_digits (p + 4, 2, 2, &m);
      read_digits (p + 6, 2, 2, &d);
      p += n;
    }
  else if (n == 4)
    {
      char sep = p[4];

      read_digits (p, 4, 4, &y);
      p += 4;
      if (sep == '-' || sep == '/' || sep == '.')
        {
          if ((k = read_digits (++p, 1, 2, &m)) == 0 || p[k] != sep)
            return TSY_DATE_NONE;
          p += k + 1;
          if ((k = read_digits (p, 1, 2, &d)) == 0)
            return TSY_DATE_NONE;
          p += k;
        }
      else if (g_str_has_prefix (p, "年"))
        {
          p += strlen ("年");
          if ((k = read_digits (p, 1, 2, &m)) == 0 || !g_str_has_prefix (p + k, "月"))
            return TSY_DATE_NONE;
          p += k + strlen ("月");
          if ((k = read_digits (p, 1, 2, &d)) == 0)
            return TSY_DATE_NONE;
          p += k;
          if (g_str_has_prefix (p, "日"))
            p += strlen ("日");
        }
      else
        return TSY_DATE_NONE;
    }
  else
    return TSY_DATE_NONE;
  *end = p;
  return tsy_date_from_ymd (y, m, d);
}

/* A date cell: a date, optionally followed by a time. */
static TsyDate
parse_date_auto (const char *s)
{
  const char *end = s;
  TsyDate date = parse_date_prefix (s, &end);

  return date != TSY_DATE_NONE && date_tail_ok (end) ? date : TSY_DATE_NONE;
}

static TsyDate
parse_date_format (const char *s,
                   const char *fmt)
{
  int y = 0, m = 0, d = 0;
  const char *p = s;

  for (const char *f = fmt; *f != '\0';)
    {
      if (f[0] == '%' && f[1] != '\0')
        {
          char c = f[1];
          gboolean fixed;
          int v, k, width;

          f += 2;
          fixed = f[0] == '%' || g_ascii_isdigit (f[0]);
          width = c == 'Y' ? 4 : 2;
          if ((k = read_digits (p, fixed || c == 'Y' || c == 'y' ? width : 1, width, &v)) == 0)
            return TSY_DATE_NONE;
          p += k;
          switch (c)
            {
            case 'Y': y = v; break;
            case 'y': y = 2000 + v; break;
            case 'm': m = v; break;
            case 'd': d = v; break;
            case 'H': case 'M': case 'S': break;
            default: return TSY_DATE_NONE;
            }
        }
      else
        {
          if (*p != *f)
            return TSY_DATE_NONE;
          p++;
          f++;
        }
    }
  if (!date_tail_ok (p))
    return TSY_DATE_NONE;
  return tsy_date_from_ymd (y, m, d);
}

/* Finds the first date at or after @*p in free text ("2026-10-01 至 2026-10-31"). */
TsyDate
tsy_csv_scan_date (const char **p)
{
  for (const char *s = *p; *s != '\0'; s++)
    if (g_ascii_isdigit (*s) && (s == *p || !g_ascii_isdigit (s[-1])))
      {
        const char *end = s;
        TsyDate date = parse_date_prefix (s, &end);

        if (date != TSY_DATE_NONE)
          {
            *p = end;
            return date;
          }
      }
  return TSY_DATE_NONE;
}

/* Parses an amount cell into minor units; @present FALSE for "", "-", "--". */
gboolean
tsy_csv_parse_amount (const char     *cell,
                      const char     *ccy,
                      TsyDecimalStyle decimal,
                      gint64         *out,
                      gboolean       *present,
                      GError        **error)
{
  const char *s = cell;
  gsize len = strlen (cell);
  gboolean negative = FALSE;

  tsy_csv_trim (&s, &len);
  if (g_str_has_prefix (s, "¥") || g_str_has_prefix (s, "￥"))
    {
      gsize n = g_str_has_prefix (s, "¥") ? strlen ("¥") : strlen ("￥");
      s += n;
      len -= n;
    }
  if (len >= strlen ("元") && memcmp (s + len - strlen ("元"), "元", strlen ("元")) == 0)
    len -= strlen ("元");
  tsy_csv_trim (&s, &len);
  *out = 0;
  *present = FALSE;
  if (len == 0 || (len == 1 && s[0] == '-') || (len == 2 && memcmp (s, "--", 2) == 0) ||
      (len == strlen ("—") && memcmp (s, "—", len) == 0))
    return TRUE;
  if (len >= 2 && s[0] == '(' && s[len - 1] == ')')
    {
      negative = TRUE;
      s++;
      len -= 2;
      if (len > 0 && (s[0] == '-' || s[0] == '+'))
        {
          g_autofree char *copy = g_strndup (cell, 64);
          g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PARSE,
                       _("“%s” is not a valid amount"), copy);
          return FALSE;
        }
    }
  if (!tsy_money_parse (s, len, ccy, decimal, out, error))
    return FALSE;
  if (negative)
    *out = -*out;
  *present = TRUE;
  return TRUE;
}

static gboolean
direction_is (const char * const *list,
              const char         *v)
{
  for (; list != NULL && *list != NULL; list++)
    if (strcmp (*list, v) == 0)
      return TRUE;
  return FALSE;
}

/* -1 debit, 1 credit, 0 unknown */
int
tsy_csv_direction_of (const TsyCsvProfile *profile,
                      const char          *v)
{
  static const char * const debit_first[] = { "借", "出", "支", "付" };
  static const char * const credit_first[] = { "贷", "入", "收", "存" };

  if (profile != NULL)
    {
      if (direction_is ((const char * const *) profile->direction_debit, v))
        return -1;
      if (direction_is ((const char * const *) profile->direction_credit, v))
        return 1;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (debit_first); i++)
    if (g_str_has_prefix (v, debit_first[i]))
      return -1;
  for (gsize i = 0; i < G_N_ELEMENTS (credit_first); i++)
    if (g_str_has_prefix (v, credit_first[i]))
      return 1;
  if (g_ascii_strcasecmp (v, "D") == 0 || g_ascii_strcasecmp (v, "DR") == 0 ||
      g_ascii_strcasecmp (v, "debit") == 0 || strcmp (v, "-") == 0)
    return -1;
  if (g_ascii_strcasecmp (v, "C") == 0 || g_ascii_strcasecmp (v, "CR") == 0 ||
      g_ascii_strcasecmp (v, "credit") == 0 || strcmp (v, "+") == 0)
    return 1;
  return 0;
}

gboolean
tsy_csv_is_summary_cell (const char *cell)
{
  return starts_with_any (cell, summary_words, G_N_ELEMENTS (summary_words));
}

gboolean
tsy_csv_is_opening_cell (const char *cell)
{
  return starts_with_any (cell, opening_row_words, G_N_ELEMENTS (opening_row_words));
}

gboolean
tsy_csv_is_closing_cell (const char *cell)
{
  return starts_with_any (cell, closing_row_words, G_N_ELEMENTS (closing_row_words));
}

/* A date cell in @format (strftime style), or in any known format when @format is NULL. */
TsyDate
tsy_csv_parse_date (const char *s,
                    const char *format)
{
  return format != NULL ? parse_date_format (s, format) : parse_date_auto (s);
}

/* Cheap enough for every row: most cells fail on their length or first byte. */
gboolean
tsy_csv_is_subtotal_cell (const char *cell)
{
  gsize len = strlen (cell);

  if (len < 6 || len > 18 || (guchar) cell[0] < 0xE4)
    return FALSE;
  if (g_str_has_suffix (cell, "：") || g_str_has_suffix (cell, ":"))
    len -= g_str_has_suffix (cell, ":") ? 1 : strlen ("：");
  for (gsize i = 0; i < G_N_ELEMENTS (subtotal_words); i++)
    if (strlen (subtotal_words[i]) == len && memcmp (subtotal_words[i], cell, len) == 0)
      return TRUE;
  return FALSE;
}
