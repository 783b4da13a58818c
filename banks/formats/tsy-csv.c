/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The CSV statement exports of Chinese banks (工商银行, 建设银行, 中国银行, 农业银行, 招商银行, …).
 *
 * Encoding: UTF-8 (with or without BOM) or GB18030 (read for GBK and GB2312 too). The first line
 *   that holds a non-ASCII byte decides: valid UTF-8 makes the file UTF-8, anything else GB18030.
 *   Lines are converted one by one with a single GIConv, so memory stays bounded. A profile may
 *   force the encoding. UTF-16 is refused with a clear message.
 * Layout: lines before the header row (账号：…, 户名：…, 币种：人民币, 起止日期：… 至 …,
 *   期初余额：…) give the account, currency, period and opening balance; the header row is the
 *   first line whose cells name a date column and an amount column from the vocabulary below
 *   (delimiter , tab ; or |, whichever names the most columns); summary lines after the data
 *   (合计, 总计, 笔数, 期初余额, 期末余额) are not transactions but their 期初/期末余额 are the
 *   opening and closing balances. A file may hold several sections (preamble, header, data) or
 *   an account column (账号/本方账号): each account (and currency) gives a statement, in file
 *   order; a change of account starts a new statement, a repeated header row on a new page does
 *   not. Rows may be oldest first or newest first.
 * Amounts: debit/credit columns give the magnitude (debit negative); a single amount column is
 *   signed by a 借贷标志 column (借 出 支 付 D DR = debit; 贷 入 收 存 C CR = credit) or by
 *   its own sign. "1,234.56", "1234.56元", "¥1234.56", "(1234.56)" (negative) are read; an
 *   empty, "-" or "0.00" cell is an unused column. Never floating point.
 * Balances: a running balance column (余额) is CHECKED row by row; without 期初余额 the opening
 *   is the first row's balance minus its amount and the closing the last row's balance (the
 *   other way round for newest-first files). An explicit 期初/期末余额 must agree with them.
 * Currency: a profile's currency= overrides; else the currency column of the row, else the
 *   preamble's 币种. When nothing says, header.currency is NULL and the ledger uses the
 *   registered account's currency; amounts are then read with two decimals (all Chinese bank
 *   exports use two), so the importer must refuse such a file for an account whose currency
 *   has another number of decimals.
 * Account: a profile's account= overrides; else the account column, else the preamble's 账号;
 *   else header.account is NULL (the CLI's --account supplies it). White space inside account
 *   numbers is removed.
 * Identity: bank_ref is the 交易流水号 (or 流水号, 交易序号, 凭证号, in that order); a lesser
 *   reference column (凭证号, 企业流水号, 业务参考号) becomes customer_ref; without one
 *   bank_ref is NULL. statement_id is "<account>:<from>–<to>" (period of the preamble, else first
 *   and last booking date; "<from>–<to>" without an account): at begin_statement only when the
 *   preamble gives the period, always at end_statement. value_date is TSY_DATE_NONE when the
 *   file has no value date column. raw is the line (or quoted multi-line record) in UTF-8.
 *
 * A column profile (GKeyFile) reads layouts the vocabulary does not know; see
 * tests/data/csv/sample-profile.ini:
 *
 *   [profile]
 *   encoding=GB18030     UTF-8 | GB18030 | GBK | GB2312 | auto
 *   delimiter=,          , | tab | ; | "|" | comma | semicolon | pipe | auto
 *   skip_lines=3         lines before the header row (before the data when header=false)
 *   header=true          false: no header row; every column is then a 1-based index
 *   date_format=%Y%m%d   strftime style (%Y %y %m %d; %H %M %S skipped) or YYYY-MM-DD style;
 *                        or auto (2026-10-08 2026/10/08 20261008 2026年10月08日 2026.10.08)
 *   decimal=point        point | comma
 *   currency=CNY         ISO 4217 code or a Chinese name (人民币); overrides the file
 *   account=…            overrides the file
 *   [columns]            each a header name or a 1-based column index; when [columns] is
 *   booking_date=…       present the vocabulary is not used: booking_date and one of amount,
 *   value_date=…         debit or credit are needed. Keys: booking_date value_date time bank_ref
 *   text=摘要,用途       customer_ref debit credit amount direction balance counterparty_name
 *   direction_debit=借,D counterparty_account counterparty_bank text (several, joined with
 *   direction_credit=贷,C " / ") bank_tx_code currency account direction_debit direction_credit
 */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "ledger/tsy-date.h"
#include "ledger/tsy-money.h"
#include "tsy-line-reader.h"
#include "tsy-statement-format.h"

#define MAX_FIELDS       512
#define MAX_TEXT_COLUMNS 8
#define MAX_PREAMBLE     200
#define MAX_PREAMBLE_BYTES (256 * 1024)
#define MAX_RECORD_LINES 64
#define MAX_RECORD_BYTES (1024 * 1024)
#define MAX_NAME         160

typedef enum
{
  COL_BOOKING_DATE,
  COL_VALUE_DATE,
  COL_TIME,
  COL_BANK_REF,
  COL_CUSTOMER_REF,
  COL_DEBIT,
  COL_CREDIT,
  COL_AMOUNT,
  COL_DIRECTION,
  COL_BALANCE,
  COL_CP_NAME,
  COL_CP_ACCOUNT,
  COL_CP_BANK,
  COL_TEXT,
  COL_TX_CODE,
  COL_CURRENCY,
  COL_ACCOUNT,
  N_COLS
} Col;

typedef enum
{
  ENC_AUTO,
  ENC_UTF8,
  ENC_GB18030,
} Encoding;

typedef enum
{
  KEY_NONE,
  KEY_ACCOUNT,
  KEY_CURRENCY,
  KEY_PERIOD,
  KEY_FROM,
  KEY_TO,
  KEY_OPENING,
  KEY_CLOSING,
  KEY_SUMMARY,
} KeyKind;

typedef struct
{
  char  *name;     /* a header name, or NULL */
  guint  index;    /* 1-based, or 0 */
} ColSpec;

struct _TsyCsvProfile
{
  Encoding        encoding;
  char            delimiter;      /* 0: detect */
  gboolean        has_skip;
  guint           skip_lines;
  gboolean        header;
  char           *date_format;    /* strftime style; NULL: any known format */
  TsyDecimalStyle decimal;
  char           *currency;
  char           *account;
  gboolean        has_columns;
  guint           n_named;        /* columns given by header name */
  ColSpec         cols[N_COLS];   /* COL_TEXT unused: see text */
  ColSpec         text[MAX_TEXT_COLUMNS];
  guint           n_text;
  char          **direction_debit;
  char          **direction_credit;
};

typedef struct
{
  int    idx[N_COLS];              /* 0-based field, -1 absent */
  guint8 prio[N_COLS];
  int    text[MAX_TEXT_COLUMNS];
  guint  n_text;
  char  *names[N_COLS];            /* as the header wrote them, for messages */
  guint  n_fields;                 /* up to the last named header cell; 0 without header */
  guint  n_required;
} Layout;

/* What preamble (or between-section) lines say. */
typedef struct
{
  gboolean active;                 /* for the next section: a key was seen */
  char    *account;
  char     currency[4];
  char    *bad_currency;
  guint    currency_line;
  TsyDate  from, to;
  char    *opening, *closing;      /* amount texts: the currency may come later */
  guint    opening_line, closing_line;
  guint    start_line;
} Info;

typedef struct
{
  gboolean open;
  char    *account;
  char     currency[4];            /* "" when unknown */
  char     parse_ccy[4];           /* currency or "CNY" (two decimals) */
  int      exponent;
  gboolean explicit_period;
  TsyDate  from, to, min_date, max_date;
  guint    n_rows, start_line;
  gint64   sum;
  gboolean has_open, has_close;    /* explicit (期初/期末余额) */
  gint64   open_minor, close_minor;
  guint    open_line, close_line;
  /* running balance: rows without a balance are carried in pre/since */
  gboolean any_bal;
  int      order;                  /* 0 unknown, 1 oldest first, -1 newest first */
  gint64   pre, f_bal, f_amt, l_bal, l_amt, since;
  TsyDate  f_date, l_date;
} Stmt;

typedef struct
{
  const char             *display_name;
  const TsyCsvProfile    *profile;
  const TsyStatementSink *sink;
  gpointer                user_data;
  TsyLineReader          *reader;
  Encoding                enc;
  GIConv                  cd;
  guint                   lineno;
  TsyDecimalStyle         decimal;
  GString                *record;
  GString                *fields;
  guint                   foff[MAX_FIELDS];
  guint                   nf;
  char                    delim;
  gboolean                have_layout;
  Layout                  layout;
  Info                    info, next;
  guint                   section_rows;
  Stmt                    st;
  guint                   n_statements;
  GString                *text;
  GString                *scratch;
  GPtrArray              *preamble;   /* of char*, "line\tconverted text" pending the delimiter */
  GArray                 *preamble_lines;
  gsize                   preamble_bytes;
} Ctx;

static const char * const col_keys[N_COLS] = {
  "booking_date", "value_date", "time", "bank_ref", "customer_ref", "debit", "credit", "amount",
  "direction", "balance", "counterparty_name", "counterparty_account", "counterparty_bank", "text",
  "bank_tx_code", "currency", "account",
};

/* Header names, normalised (no blanks, half-width brackets, ASCII lower case); lower prio wins. */
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
  { "booking date", COL_BOOKING_DATE, 0 }, { "posting date", COL_BOOKING_DATE, 0 },
  { "transaction date", COL_BOOKING_DATE, 1 }, { "date", COL_BOOKING_DATE, 3 },
  { "起息日", COL_VALUE_DATE, 0 }, { "起息日期", COL_VALUE_DATE, 0 },
  { "value date", COL_VALUE_DATE, 0 },
  { "交易时间", COL_TIME, 0 }, { "记账时间", COL_TIME, 1 }, { "时间", COL_TIME, 2 },
  { "transaction time", COL_TIME, 0 }, { "time", COL_TIME, 2 },
  { "交易流水号", COL_BANK_REF, 0 }, { "银行流水号", COL_BANK_REF, 0 },
  { "账户明细编号-交易流水号", COL_BANK_REF, 0 }, { "流水号", COL_BANK_REF, 1 },
  { "交易序号", COL_BANK_REF, 2 }, { "交易参考号", COL_BANK_REF, 2 }, { "凭证号", COL_BANK_REF, 3 },
  { "bank reference", COL_BANK_REF, 1 }, { "reference", COL_BANK_REF, 2 },
  { "企业流水号", COL_CUSTOMER_REF, 0 }, { "业务参考号", COL_CUSTOMER_REF, 0 },
  { "客户参考号", COL_CUSTOMER_REF, 0 }, { "customer reference", COL_CUSTOMER_REF, 0 },
  { "借方发生额", COL_DEBIT, 0 }, { "借方金额", COL_DEBIT, 0 }, { "支出金额", COL_DEBIT, 0 },
  { "付款金额", COL_DEBIT, 0 }, { "支出", COL_DEBIT, 1 }, { "借方", COL_DEBIT, 1 },
  { "支取金额", COL_DEBIT, 1 }, { "转出金额", COL_DEBIT, 1 }, { "debit amount", COL_DEBIT, 0 },
  { "debit", COL_DEBIT, 1 }, { "withdrawal", COL_DEBIT, 1 },
  { "贷方发生额", COL_CREDIT, 0 }, { "贷方金额", COL_CREDIT, 0 }, { "收入金额", COL_CREDIT, 0 },
  { "收款金额", COL_CREDIT, 0 }, { "收入", COL_CREDIT, 1 }, { "贷方", COL_CREDIT, 1 },
  { "存入金额", COL_CREDIT, 1 }, { "转入金额", COL_CREDIT, 1 }, { "credit amount", COL_CREDIT, 0 },
  { "credit", COL_CREDIT, 1 }, { "deposit", COL_CREDIT, 1 },
  { "交易金额", COL_AMOUNT, 0 }, { "发生额", COL_AMOUNT, 1 }, { "交易额", COL_AMOUNT, 1 },
  { "金额", COL_AMOUNT, 2 }, { "transaction amount", COL_AMOUNT, 0 }, { "amount", COL_AMOUNT, 1 },
  { "借贷标志", COL_DIRECTION, 0 }, { "借贷方向", COL_DIRECTION, 0 }, { "收支标志", COL_DIRECTION, 0 },
  { "借贷标识", COL_DIRECTION, 0 }, { "收支方向", COL_DIRECTION, 0 }, { "借/贷", COL_DIRECTION, 0 },
  { "借贷", COL_DIRECTION, 1 }, { "收支", COL_DIRECTION, 1 }, { "交易方向", COL_DIRECTION, 1 },
  { "方向", COL_DIRECTION, 2 }, { "dr/cr", COL_DIRECTION, 0 }, { "d/c", COL_DIRECTION, 0 },
  { "debit/credit", COL_DIRECTION, 0 },
  { "账户余额", COL_BALANCE, 0 }, { "交易后余额", COL_BALANCE, 0 }, { "本次余额", COL_BALANCE, 0 },
  { "余额", COL_BALANCE, 1 }, { "当前余额", COL_BALANCE, 1 }, { "联机余额", COL_BALANCE, 1 },
  { "balance", COL_BALANCE, 1 },
  { "对方户名", COL_CP_NAME, 0 }, { "对方账户名", COL_CP_NAME, 0 }, { "对方账户名称", COL_CP_NAME, 0 },
  { "收(付)款人名称", COL_CP_NAME, 0 }, { "收付款人名称", COL_CP_NAME, 0 },
  { "收/付方名称", COL_CP_NAME, 0 }, { "对方单位名称", COL_CP_NAME, 0 }, { "对方单位", COL_CP_NAME, 1 },
  { "对方名称", COL_CP_NAME, 1 }, { "对手户名", COL_CP_NAME, 1 }, { "交易对方", COL_CP_NAME, 2 },
  { "counterparty name", COL_CP_NAME, 0 }, { "counterparty", COL_CP_NAME, 1 },
  { "对方账号", COL_CP_ACCOUNT, 0 }, { "对方帐号", COL_CP_ACCOUNT, 0 }, { "对方账户", COL_CP_ACCOUNT, 1 },
  { "收(付)款人账号", COL_CP_ACCOUNT, 0 }, { "收付款人账号", COL_CP_ACCOUNT, 0 },
  { "收/付方帐号", COL_CP_ACCOUNT, 0 }, { "收/付方账号", COL_CP_ACCOUNT, 0 },
  { "对方卡号", COL_CP_ACCOUNT, 1 }, { "对手账号", COL_CP_ACCOUNT, 1 },
  { "counterparty account", COL_CP_ACCOUNT, 0 },
  { "对方开户行", COL_CP_BANK, 0 }, { "对方行名", COL_CP_BANK, 0 }, { "对方开户银行", COL_CP_BANK, 0 },
  { "对方开户机构", COL_CP_BANK, 0 }, { "收(付)款人开户行", COL_CP_BANK, 0 },
  { "收/付方开户行", COL_CP_BANK, 0 }, { "收/付方分行名", COL_CP_BANK, 1 },
  { "对方银行", COL_CP_BANK, 1 }, { "counterparty bank", COL_CP_BANK, 0 },
  { "摘要", COL_TEXT, 0 }, { "用途", COL_TEXT, 0 }, { "附言", COL_TEXT, 0 }, { "备注", COL_TEXT, 0 },
  { "交易附言", COL_TEXT, 0 }, { "交易摘要", COL_TEXT, 0 }, { "交易备注", COL_TEXT, 0 },
  { "交易说明", COL_TEXT, 0 }, { "资金用途", COL_TEXT, 0 }, { "交易用途", COL_TEXT, 0 },
  { "说明", COL_TEXT, 0 },
  { "description", COL_TEXT, 0 }, { "memo", COL_TEXT, 0 }, { "remark", COL_TEXT, 0 },
  { "remarks", COL_TEXT, 0 }, { "narrative", COL_TEXT, 0 }, { "purpose", COL_TEXT, 0 },
  { "交易类型", COL_TX_CODE, 0 }, { "交易代码", COL_TX_CODE, 0 }, { "业务类型", COL_TX_CODE, 1 },
  { "交易种类", COL_TX_CODE, 1 }, { "transaction type", COL_TX_CODE, 0 },
  { "币种", COL_CURRENCY, 0 }, { "币别", COL_CURRENCY, 0 }, { "交易币种", COL_CURRENCY, 0 },
  { "货币", COL_CURRENCY, 1 }, { "currency", COL_CURRENCY, 0 },
  { "账号", COL_ACCOUNT, 0 }, { "帐号", COL_ACCOUNT, 0 }, { "本方账号", COL_ACCOUNT, 0 },
  { "本方帐号", COL_ACCOUNT, 0 }, { "本方账户", COL_ACCOUNT, 0 }, { "账户号", COL_ACCOUNT, 0 },
  { "账户", COL_ACCOUNT, 1 }, { "卡号", COL_ACCOUNT, 1 }, { "account number", COL_ACCOUNT, 0 },
  { "account no.", COL_ACCOUNT, 0 }, { "account no", COL_ACCOUNT, 0 }, { "account", COL_ACCOUNT, 1 },
};

/* Keys of preamble and summary lines, normalised. */
static const struct
{
  const char *name;
  KeyKind     kind;
} preamble_keys[] = {
  { "账号", KEY_ACCOUNT }, { "帐号", KEY_ACCOUNT }, { "账户", KEY_ACCOUNT }, { "帐户", KEY_ACCOUNT },
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

/* Dated rows without an amount that carry a balance. */
static const char * const opening_row_words[] = { "期初余额", "上日余额", "上期余额", "承前页", "承前余额" };
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

/* ---- small helpers ---------------------------------------------------------------------- */

static gboolean fail (Ctx *ctx, GError **error, guint line, const char *format, ...) G_GNUC_PRINTF (4, 5);

static gboolean
fail (Ctx        *ctx,
      GError    **error,
      guint       line,
      const char *format,
      ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);
  /* Translators: %1$s is a file name, %2$u a line number, %3$s the reason */
  g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PARSE, _("%1$s: line %2$u: %3$s"),
               ctx->display_name, line, reason);
  return FALSE;
}

static gboolean
streq0 (const char *a,
        const char *b)
{
  return g_strcmp0 (a, b) == 0;
}

/* Length of the blank (ASCII blank, U+3000, U+00A0) at @s, 0 when none. */
static gsize
blank_len (const char *s,
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
  if (blank_len (s + len - 1, 1))
    return TRUE;
  if (len >= 3 && blank_len (s + len - 3, 3) == 3)
    return TRUE;
  return len >= 2 && blank_len (s + len - 2, 2) == 2;
}

static gsize
trailing_blank_len (const char *s,
                    gsize       len)
{
  if (blank_len (s + len - 1, 1))
    return 1;
  if (len >= 3 && blank_len (s + len - 3, 3) == 3)
    return 3;
  return 2;
}

/* Trims blanks off [*s, *s + *len). */
static void
trim (const char **s,
      gsize       *len)
{
  gsize n;

  while (*len > 0 && (n = blank_len (*s, *len)) > 0)
    {
      *s += n;
      *len -= n;
    }
  while (ends_blank (*s, *len))
    *len -= trailing_blank_len (*s, *len);
}

/* Normalises a name for comparison: no blanks, half-width brackets, colon and slash, no '*',
 * ASCII lower case; a trailing ':' dropped. Returns FALSE when it does not fit. */
static gboolean
normalise_name (const char *s,
                char        out[MAX_NAME])
{
  gsize o = 0, len = strlen (s);

  for (gsize i = 0; i < len;)
    {
      gsize b = blank_len (s + i, len - i);
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

static gboolean
lookup_column (const char *cell,
               Col        *col,
               guint8     *prio)
{
  char norm[MAX_NAME];

  if (*cell == '\0' || !normalise_name (cell, norm))
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

static KeyKind
classify_key (const char *key)
{
  char norm[MAX_NAME];
  gsize len;

  if (!normalise_name (key, norm))
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

  if (*cell == '\0' || !normalise_name (cell, norm))
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (g_str_has_prefix (norm, words[i]))
      return TRUE;
  return FALSE;
}

/* Maps 人民币, RMB, cny, 156 … to an ISO code in @out; FALSE when unknown. */
static gboolean
currency_from_text (const char *text,
                    char        out[4])
{
  char norm[MAX_NAME];

  if (!normalise_name (text, norm))
    return FALSE;
  cut_parenthetical (norm);
  for (gsize i = 0; i < G_N_ELEMENTS (currency_names); i++)
    if (strcmp (norm, currency_names[i].name) == 0)
      {
        memcpy (out, currency_names[i].code, 4);
        return TRUE;
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
  return *p == '\0' || *p == ' ' || *p == 'T' || *p == '\t' || blank_len (p, strlen (p)) > 0;
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

static TsyDate
parse_date (Ctx        *ctx,
            const char *s)
{
  if (ctx->profile != NULL && ctx->profile->date_format != NULL)
    return parse_date_format (s, ctx->profile->date_format);
  return parse_date_auto (s);
}

/* Finds the first date at or after @*p in free text ("2026-10-01 至 2026-10-31"). */
static TsyDate
scan_date (const char **p)
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

/* ---- amounts ---------------------------------------------------------------------------- */

/* Parses an amount cell into minor units; @present FALSE for "", "-", "--". */
static gboolean
parse_amount (Ctx        *ctx,
              const char *cell,
              const char *ccy,
              gint64     *out,
              gboolean   *present,
              GError    **error)
{
  const char *s = cell;
  gsize len = strlen (cell);
  gboolean negative = FALSE;

  trim (&s, &len);
  if (g_str_has_prefix (s, "¥") || g_str_has_prefix (s, "￥"))
    {
      gsize n = g_str_has_prefix (s, "¥") ? strlen ("¥") : strlen ("￥");
      s += n;
      len -= n;
    }
  if (len >= strlen ("元") && memcmp (s + len - strlen ("元"), "元", strlen ("元")) == 0)
    len -= strlen ("元");
  trim (&s, &len);
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
  if (!tsy_money_parse (s, len, ccy, ctx->decimal, out, error))
    return FALSE;
  if (negative)
    *out = -*out;
  *present = TRUE;
  return TRUE;
}

static void
format_minor (Ctx    *ctx,
              gint64  minor,
              char    buf[32])
{
  tsy_money_format_plain (minor, ctx->st.exponent, buf, 32);
}

/* ---- fields ----------------------------------------------------------------------------- */

static const char *
cell (Ctx *ctx,
      int  i)
{
  if (i < 0 || (guint) i >= ctx->nf)
    return "";
  return ctx->fields->str + ctx->foff[i];
}

/* Trims the field that starts at @start (NUL-terminated at the end of the buffer) and strips
 * Excel's ="0123" and a leading apostrophe. */
static void
clean_field (GString *f,
             gsize    start)
{
  const char *s = f->str + start;
  gsize len = f->len - start;

  trim (&s, &len);
  if (len >= 3 && s[0] == '=' && s[1] == '"' && s[len - 1] == '"')
    {
      s += 2;
      len -= 3;
      trim (&s, &len);
    }
  if (len >= 1 && s[0] == '\'')
    {
      s++;
      len--;
      trim (&s, &len);
    }
  memmove (f->str + start, s, len);
  f->str[start + len] = '\0';
  f->len = start + len + 1;
}

typedef enum
{
  SPLIT_OK,
  SPLIT_OPEN_QUOTE,
  SPLIT_TOO_MANY,
} SplitResult;

/* Splits @s on @delim into ctx->fields: quoted fields with "" escapes, ="…" for Excel. */
static SplitResult
split_fields (Ctx        *ctx,
              const char *s,
              gsize       len,
              char        delim)
{
  GString *f = ctx->fields;
  gsize i = 0;

  g_string_truncate (f, 0);
  ctx->nf = 0;
  for (;;)
    {
      gsize start = f->len, j = i;
      const char *d;
      gsize end;

      if (ctx->nf == MAX_FIELDS)
        return SPLIT_TOO_MANY;
      ctx->foff[ctx->nf++] = (guint) start;
      while (j < len && (s[j] == ' ' || (s[j] == '\t' && delim != '\t')))
        j++;
      if (j < len && (s[j] == '"' || (s[j] == '=' && j + 1 < len && s[j + 1] == '"')))
        {
          i = j + (s[j] == '"' ? 1 : 2);
          for (;;)
            {
              const char *q = memchr (s + i, '"', len - i);
              if (q == NULL)
                return SPLIT_OPEN_QUOTE;
              g_string_append_len (f, s + i, q - (s + i));
              i = (gsize) (q - s) + 1;
              if (i < len && s[i] == '"')
                {
                  g_string_append_c (f, '"');
                  i++;
                  continue;
                }
              break;
            }
        }
      d = i < len ? memchr (s + i, delim, len - i) : NULL;
      end = d != NULL ? (gsize) (d - s) : len;
      g_string_append_len (f, s + i, end - i);
      g_string_append_c (f, '\0');
      clean_field (f, start);
      if (d == NULL)
        break;
      i = end + 1;
    }
  return SPLIT_OK;
}

static gboolean
all_empty (Ctx *ctx)
{
  for (guint i = 0; i < ctx->nf; i++)
    if (*cell (ctx, (int) i) != '\0')
      return FALSE;
  return TRUE;
}

/* ---- reading lines ---------------------------------------------------------------------- */

/* Reads the next physical line, appended to @dst in UTF-8. FALSE at the end (error unset). */
static gboolean
read_line (Ctx     *ctx,
           GString *dst,
           GError **error)
{
  GError *local = NULL;
  const char *line;
  gsize len;

  if (!tsy_line_reader_next (ctx->reader, &line, &len, &local))
    {
      if (local != NULL)
        {
          if (local->domain == TSY_BANK_ERROR)
            g_prefix_error (&local, "%s: ", ctx->display_name);
          g_propagate_error (error, local);
        }
      return FALSE;
    }
  ctx->lineno = tsy_line_reader_get_line (ctx->reader);
  if (ctx->lineno == 1)
    {
      if (len >= 2 && (((guchar) line[0] == 0xFF && (guchar) line[1] == 0xFE) ||
                       ((guchar) line[0] == 0xFE && (guchar) line[1] == 0xFF)))
        return fail (ctx, error, 1, "%s",
                     _("the file is UTF-16, which is not supported: export it as UTF-8 or GB18030"));
      if (len >= 3 && memcmp (line, "\xEF\xBB\xBF", 3) == 0)
        {
          line += 3;
          len -= 3;
          if (ctx->enc == ENC_AUTO)
            ctx->enc = ENC_UTF8;
        }
    }
  if (memchr (line, '\0', len) != NULL)
    return fail (ctx, error, ctx->lineno, "%s", _("the line holds a NUL byte: not a text file"));

  if (ctx->enc == ENC_AUTO)
    {
      gboolean ascii = TRUE;
      for (gsize i = 0; i < len && ascii; i++)
        ascii = (guchar) line[i] < 0x80;
      if (!ascii)
        ctx->enc = g_utf8_validate_len (line, len, NULL) ? ENC_UTF8 : ENC_GB18030;
    }
  if (ctx->enc == ENC_GB18030)
    {
      gsize old = dst->len, room = len * 2 + 4, inleft = len, outleft = room;
      char *in = (char *) line, *out;

      if (ctx->cd == (GIConv) -1)
        {
          ctx->cd = g_iconv_open ("UTF-8", "GB18030");
          if (ctx->cd == (GIConv) -1)
            {
              g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_UNSUPPORTED,
                           /* Translators: %s is a file name */
                           _("%s: this system cannot convert GB18030 text"), ctx->display_name);
              return FALSE;
            }
        }
      g_string_set_size (dst, old + room);
      out = dst->str + old;
      g_iconv (ctx->cd, NULL, NULL, NULL, NULL);
      if (g_iconv (ctx->cd, &in, &inleft, &out, &outleft) == (gsize) -1)
        {
          g_string_set_size (dst, old);
          return fail (ctx, error, ctx->lineno,
                       _("invalid GB18030 bytes at byte %u"), (guint) (len - inleft + 1));
        }
      g_string_set_size (dst, old + (room - outleft));
    }
  else
    {
      const char *end;
      if (!g_utf8_validate_len (line, len, &end))
        return fail (ctx, error, ctx->lineno, _("invalid UTF-8 bytes at byte %u"),
                     (guint) (end - line + 1));
      g_string_append_len (dst, line, len);
    }
  return TRUE;
}

/* ---- layout ----------------------------------------------------------------------------- */

static void
layout_clear (Layout *l)
{
  for (int c = 0; c < N_COLS; c++)
    {
      g_clear_pointer (&l->names[c], g_free);
      l->idx[c] = -1;
      l->prio[c] = G_MAXUINT8;
    }
  l->n_text = 0;
  l->n_fields = 0;
  l->n_required = 0;
}

static void
layout_set (Layout *l,
            Col     c,
            int     i,
            guint8  prio)
{
  if (c == COL_TEXT)
    {
      if (l->n_text < MAX_TEXT_COLUMNS)
        l->text[l->n_text++] = i;
      return;
    }
  if (l->idx[c] >= 0 && l->prio[c] <= prio)
    {
      /* a lesser reference column keeps its value as the customer reference */
      if (c == COL_BANK_REF && l->idx[COL_CUSTOMER_REF] < 0)
        l->idx[COL_CUSTOMER_REF] = i;
      return;
    }
  if (c == COL_BANK_REF && l->idx[c] >= 0 && l->idx[COL_CUSTOMER_REF] < 0)
    l->idx[COL_CUSTOMER_REF] = l->idx[c];
  l->idx[c] = i;
  l->prio[c] = prio;
}

static gboolean
layout_valid (const Layout *l)
{
  return (l->idx[COL_BOOKING_DATE] >= 0 || l->idx[COL_TIME] >= 0) &&
         (l->idx[COL_DEBIT] >= 0 || l->idx[COL_CREDIT] >= 0 || l->idx[COL_AMOUNT] >= 0);
}

/* Completes a layout: names for messages, the date from 交易时间 when alone, counts. */
static void
layout_finish (Ctx    *ctx,
               Layout *l,
               gboolean header)
{
  int max = -1;

  if (l->idx[COL_BOOKING_DATE] < 0)
    l->idx[COL_BOOKING_DATE] = l->idx[COL_TIME];
  for (int c = 0; c < N_COLS; c++)
    {
      if (l->idx[c] < 0)
        continue;
      max = MAX (max, l->idx[c]);
      if (header && *cell (ctx, l->idx[c]) != '\0')
        l->names[c] = g_strdup (cell (ctx, l->idx[c]));
      else
        /* Translators: a column of a CSV file given by its number */
        l->names[c] = g_strdup_printf (_("column %d"), l->idx[c] + 1);
    }
  for (guint t = 0; t < l->n_text; t++)
    max = MAX (max, l->text[t]);
  l->n_required = (guint) (max + 1);
  l->n_fields = 0;
  if (header)
    for (guint i = 0; i < ctx->nf; i++)
      if (*cell (ctx, (int) i) != '\0')
        l->n_fields = i + 1;
  if (l->n_fields < l->n_required)
    l->n_fields = header ? l->n_required : 0;
}

static guint
layout_from_vocabulary (Ctx    *ctx,
                        Layout *l)
{
  guint score = 0;

  layout_clear (l);
  for (guint i = 0; i < ctx->nf; i++)
    {
      Col c;
      guint8 prio;

      if (lookup_column (cell (ctx, (int) i), &c, &prio))
        {
          layout_set (l, c, (int) i, prio);
          score++;
        }
    }
  return score;
}

static int
find_header_cell (Ctx        *ctx,
                  const char *name)
{
  char want[MAX_NAME], have[MAX_NAME];

  if (!normalise_name (name, want))
    return -1;
  for (guint i = 0; i < ctx->nf; i++)
    if (normalise_name (cell (ctx, (int) i), have) && strcmp (want, have) == 0)
      return (int) i;
  return -1;
}

/* Maps the profile's columns on the current fields (header cells when @header). Returns the
 * number of named columns found, 0 when one is missing (or none is named). */
static guint
layout_from_profile (Ctx     *ctx,
                     Layout  *l,
                     gboolean header)
{
  const TsyCsvProfile *p = ctx->profile;
  guint named = 0;

  layout_clear (l);
  for (int c = 0; c < N_COLS + MAX_TEXT_COLUMNS; c++)
    {
      const ColSpec *spec = c < N_COLS ? &p->cols[c] : &p->text[c - N_COLS];
      int i;

      if (c >= N_COLS && (guint) (c - N_COLS) >= p->n_text)
        break;
      if (spec->index > 0)
        i = (int) spec->index - 1;
      else if (spec->name != NULL && header)
        {
          if ((i = find_header_cell (ctx, spec->name)) < 0)
            return 0;
          named++;
        }
      else
        continue;
      layout_set (l, c < N_COLS ? (Col) c : COL_TEXT, i, 0);
    }
  return named > 0 ? named : (header ? 0 : 1);
}

/* How well the fields (split already) make a header row; 0 when they do not. */
static guint
header_score (Ctx    *ctx,
              Layout *tmp)
{
  guint score;

  if (ctx->profile != NULL && ctx->profile->has_columns && ctx->profile->n_named > 0)
    return layout_from_profile (ctx, tmp, TRUE);
  /* the vocabulary finds the header row, also for a profile of column numbers */
  score = layout_from_vocabulary (ctx, tmp);
  return layout_valid (tmp) && score >= 2 ? score : 0;
}

/* Is the record a header row? Installs its layout and delimiter when it is. With @force (the
 * profile's skip_lines say where it is) only the columns must be found. */
static gboolean
try_header (Ctx        *ctx,
            const char *s,
            gsize       len,
            gboolean    force)
{
  static const char candidates[] = { ',', '\t', ';', '|' };
  const TsyCsvProfile *p = ctx->profile;
  const gboolean by_profile = p != NULL && p->has_columns;
  char best = 0;
  guint best_score = 0;
  Layout tmp = { 0 };

  for (gsize k = 0; k < G_N_ELEMENTS (candidates); k++)
    {
      char d = p != NULL && p->delimiter ? p->delimiter : candidates[k];
      guint score;

      if (split_fields (ctx, s, len, d) == SPLIT_OK)
        {
          score = force ? ctx->nf : header_score (ctx, &tmp);
          if (score > best_score)
            {
              best = d;
              best_score = score;
            }
        }
      if (p != NULL && p->delimiter)
        break;
    }
  layout_clear (&tmp);
  if (best == 0)
    return FALSE;
  split_fields (ctx, s, len, best);
  layout_clear (&ctx->layout);
  if (by_profile)
    {
      if (layout_from_profile (ctx, &ctx->layout, TRUE) == 0 && p->n_named > 0)
        return FALSE;
    }
  else if (layout_from_vocabulary (ctx, &ctx->layout) == 0 || !layout_valid (&ctx->layout))
    return FALSE;
  layout_finish (ctx, &ctx->layout, TRUE);
  ctx->delim = best;
  ctx->have_layout = TRUE;
  return TRUE;
}

/* ---- statements ------------------------------------------------------------------------- */

static void
info_clear (Info *info)
{
  g_free (info->account);
  g_free (info->bad_currency);
  g_free (info->opening);
  g_free (info->closing);
  memset (info, 0, sizeof *info);
}

/* Do the preamble's balances and period belong to the open statement? */
static gboolean
info_applies (Ctx *ctx)
{
  if (ctx->profile != NULL && ctx->profile->account != NULL)
    return TRUE;
  if (ctx->info.account != NULL)
    return streq0 (ctx->info.account, ctx->st.account);
  return ctx->layout.idx[COL_ACCOUNT] < 0;
}

/* The statement currency of rows without a currency column. */
static gboolean
info_currency (Ctx         *ctx,
               const char **out,
               GError     **error)
{
  *out = NULL;
  if (ctx->info.currency[0] != '\0')
    *out = ctx->info.currency;
  else if (ctx->info.bad_currency != NULL)
    /* Translators: %s is what the file wrote, e.g. 人民币 */
    return fail (ctx, error, ctx->info.currency_line, _("unknown currency “%s”"),
                 ctx->info.bad_currency);
  return TRUE;
}

static gboolean
set_explicit (Ctx        *ctx,
              gboolean    closing,
              const char *text,
              guint       line,
              GError    **error)
{
  GError *local = NULL;
  gboolean present;
  gint64 v;

  if (!parse_amount (ctx, text, ctx->st.parse_ccy, &v, &present, &local))
    {
      fail (ctx, error, line,
            /* Translators: %1$s is 期初余额 or 期末余额, %2$s why the amount is wrong */
            _("bad %1$s: %2$s"), closing ? "期末余额" : "期初余额", local->message);
      g_error_free (local);
      return FALSE;
    }
  if (!present)
    return TRUE;
  if (closing)
    {
      ctx->st.has_close = TRUE;
      ctx->st.close_minor = v;
      ctx->st.close_line = line;
    }
  else
    {
      ctx->st.has_open = TRUE;
      ctx->st.open_minor = v;
      ctx->st.open_line = line;
    }
  return TRUE;
}

static char *
make_statement_id (const char *account,
                   TsyDate     from,
                   TsyDate     to)
{
  char a[11], b[11];

  if (from == TSY_DATE_NONE || to == TSY_DATE_NONE)
    return NULL;
  tsy_date_format_iso (from, a);
  tsy_date_format_iso (to, b);
  if (account != NULL)
    return g_strdup_printf ("%s:%s–%s", account, a, b);
  return g_strdup_printf ("%s–%s", a, b);
}

static void
fill_header (Ctx                *ctx,
             TsyStatementHeader *h)
{
  memset (h, 0, sizeof *h);
  h->format = "csv";
  h->kind = TSY_STATEMENT_KIND_FINAL;
  h->account = ctx->st.account;
  h->currency = ctx->st.currency[0] != '\0' ? ctx->st.currency : NULL;
  h->from_date = ctx->st.from;
  h->to_date = ctx->st.to;
  h->source_line = ctx->st.start_line;
}

static gboolean
begin_statement (Ctx        *ctx,
                 const char *account,
                 const char *currency,
                 guint       line,
                 GError    **error)
{
  Stmt *st = &ctx->st;
  TsyStatementHeader h;
  g_autofree char *id = NULL;
  gboolean ok;

  memset (st, 0, sizeof *st);
  st->open = TRUE;
  st->account = g_strdup (account);
  if (currency != NULL)
    g_strlcpy (st->currency, currency, sizeof st->currency);
  g_strlcpy (st->parse_ccy, currency != NULL ? currency : "CNY", sizeof st->parse_ccy);
  st->exponent = tsy_currency_exponent (st->parse_ccy);
  st->start_line = ctx->section_rows == 0 && ctx->info.start_line > 0 ? ctx->info.start_line : line;
  if (info_applies (ctx))
    {
      g_autofree char *opening = g_steal_pointer (&ctx->info.opening);
      g_autofree char *closing = g_steal_pointer (&ctx->info.closing);

      if (ctx->info.from != TSY_DATE_NONE && ctx->info.to != TSY_DATE_NONE)
        {
          st->explicit_period = TRUE;
          st->from = ctx->info.from;
          st->to = ctx->info.to;
        }
      if (opening != NULL && !set_explicit (ctx, FALSE, opening, ctx->info.opening_line, error))
        return FALSE;
      if (closing != NULL && !set_explicit (ctx, TRUE, closing, ctx->info.closing_line, error))
        return FALSE;
    }
  fill_header (ctx, &h);
  if (st->explicit_period)
    h.statement_id = id = make_statement_id (st->account, st->from, st->to);
  h.has_opening = st->has_open;
  h.opening_minor = st->open_minor;
  h.opening_date = st->from;
  h.has_closing = st->has_close;
  h.closing_minor = st->close_minor;
  h.closing_date = st->to;
  ok = ctx->sink->begin_statement == NULL ||
       ctx->sink->begin_statement (ctx->user_data, &h, error);
  return ok;
}

static gboolean
overflow (Ctx     *ctx,
          guint    line,
          GError **error)
{
  return fail (ctx, error, line, "%s", _("the amounts add up beyond the largest amount"));
}

static gboolean
end_statement (Ctx     *ctx,
               GError **error)
{
  Stmt *st = &ctx->st;
  TsyStatementHeader h;
  g_autofree char *id = NULL;
  gboolean has_open = st->has_open, has_close = st->has_close;
  gint64 opening = st->open_minor, closing = st->close_minor;
  gboolean ok;

  if (!st->open)
    return TRUE;
  if (st->any_bal)
    {
      gint64 d_open, d_close;
      int order = st->order;
      char a[32], b[32];

      if (order == 0)
        order = st->l_date < st->f_date ? -1 : 1;
      if (order > 0)
        {
          if (__builtin_sub_overflow (st->f_bal, st->f_amt, &d_open) ||
              __builtin_sub_overflow (d_open, st->pre, &d_open) ||
              __builtin_add_overflow (st->l_bal, st->since, &d_close))
            return overflow (ctx, ctx->lineno, error);
        }
      else if (__builtin_add_overflow (st->f_bal, st->pre, &d_close) ||
               __builtin_sub_overflow (st->l_bal, st->l_amt, &d_open) ||
               __builtin_sub_overflow (d_open, st->since, &d_open))
        return overflow (ctx, ctx->lineno, error);
      if (has_open && opening != d_open)
        {
          format_minor (ctx, opening, a);
          format_minor (ctx, d_open, b);
          return fail (ctx, error, st->open_line,
                       /* Translators: %1$s and %2$s are amounts */
                       _("the opening balance %1$s does not match the running balance, which "
                         "gives %2$s"), a, b);
        }
      if (has_close && closing != d_close)
        {
          format_minor (ctx, closing, a);
          format_minor (ctx, d_close, b);
          return fail (ctx, error, st->close_line,
                       /* Translators: %1$s and %2$s are amounts */
                       _("the closing balance %1$s does not match the running balance, which "
                         "gives %2$s"), a, b);
        }
      has_open = has_close = TRUE;
      opening = d_open;
      closing = d_close;
    }
  if (!st->explicit_period)
    {
      st->from = st->min_date;
      st->to = st->max_date;
    }
  fill_header (ctx, &h);
  h.statement_id = id = make_statement_id (st->account, st->from, st->to);
  h.has_opening = has_open;
  h.opening_minor = opening;
  h.opening_date = st->from;
  h.has_closing = has_close;
  h.closing_minor = closing;
  h.closing_date = st->to;
  ok = ctx->sink->end_statement == NULL || ctx->sink->end_statement (ctx->user_data, &h, error);
  g_clear_pointer (&st->account, g_free);
  st->open = FALSE;
  ctx->n_statements++;
  return ok;
}

/* A key of a new section was seen after rows: the open statement ends. */
static gboolean
switch_section (Ctx     *ctx,
                GError **error)
{
  if (!ctx->next.active)
    return TRUE;
  if (!end_statement (ctx, error))
    return FALSE;
  info_clear (&ctx->info);
  ctx->info = ctx->next;
  ctx->info.active = FALSE;
  memset (&ctx->next, 0, sizeof ctx->next);
  ctx->section_rows = 0;
  return TRUE;
}

static gboolean
ensure_statement (Ctx        *ctx,
                  const char *account,
                  const char *currency,
                  guint       line,
                  GError    **error)
{
  if (!switch_section (ctx, error))
    return FALSE;
  if (ctx->st.open && streq0 (account, ctx->st.account) &&
      streq0 (currency, ctx->st.currency[0] ? ctx->st.currency : NULL))
    return TRUE;
  if (!end_statement (ctx, error))
    return FALSE;
  return begin_statement (ctx, account, currency, line, error);
}

/* ---- preamble and summary lines --------------------------------------------------------- */

static Info *
info_target (Ctx *ctx)
{
  return ctx->section_rows > 0 ? &ctx->next : &ctx->info;
}

static void
mark_next (Ctx  *ctx,
           Info *target,
           guint line)
{
  if (target == &ctx->next && !ctx->next.active)
    {
      ctx->next.active = TRUE;
      ctx->next.start_line = line;
    }
}

static gboolean
handle_pair (Ctx        *ctx,
             const char *key,
             const char *value,
             guint       line,
             GError    **error)
{
  KeyKind kind = classify_key (key);
  Info *target = info_target (ctx);
  const gboolean after_rows = ctx->section_rows > 0;

  switch (kind)
    {
    case KEY_ACCOUNT:
      {
        GString *acct = g_string_new (NULL);
        gboolean digit = FALSE;

        for (const char *p = value; *p != '\0'; p++)
          if (*p != ' ' && *p != '\t')
            {
              g_string_append_c (acct, *p);
              digit = digit || g_ascii_isdigit (*p);
            }
        if (digit && !(after_rows && !ctx->next.active &&
                       streq0 (acct->str, ctx->st.open ? ctx->st.account : ctx->info.account)))
          {
            mark_next (ctx, target, line);
            g_free (target->account);
            target->account = g_string_free (acct, FALSE);
          }
        else
          g_string_free (acct, TRUE);
      }
      break;
    case KEY_CURRENCY:
      {
        char code[4];

        if (*value == '\0')
          break;
        if (currency_from_text (value, code))
          {
            if (after_rows && !ctx->next.active && streq0 (code, ctx->st.currency))
              break;
            mark_next (ctx, target, line);
            memcpy (target->currency, code, 4);
          }
        else
          {
            mark_next (ctx, target, line);
            g_free (target->bad_currency);
            target->bad_currency = g_strndup (value, 64);
            target->currency[0] = '\0';
          }
        target->currency_line = line;
      }
      break;
    case KEY_PERIOD:
    case KEY_FROM:
    case KEY_TO:
      {
        const char *p = value;
        TsyDate a = scan_date (&p), b = kind == KEY_PERIOD ? scan_date (&p) : TSY_DATE_NONE;

        if (kind == KEY_PERIOD && (a == TSY_DATE_NONE || b == TSY_DATE_NONE))
          break;
        if (kind != KEY_PERIOD && a == TSY_DATE_NONE)
          break;
        if (kind == KEY_TO)
          b = a;
        if (after_rows && !ctx->next.active &&
            (kind == KEY_TO || a == ctx->info.from) && (kind == KEY_FROM || b == ctx->info.to))
          break;
        mark_next (ctx, target, line);
        if (kind != KEY_TO)
          target->from = MIN (a, b == TSY_DATE_NONE ? a : b);
        if (kind != KEY_FROM)
          target->to = MAX (a, b);
      }
      break;
    case KEY_OPENING:
    case KEY_CLOSING:
      if (*value == '\0')
        break;
      if (after_rows && !ctx->next.active)
        {
          if (ctx->st.open && info_applies (ctx))
            return set_explicit (ctx, kind == KEY_CLOSING, value, line, error);
          break;
        }
      if (kind == KEY_OPENING)
        {
          g_free (target->opening);
          target->opening = g_strndup (value, 64);
          target->opening_line = line;
        }
      else
        {
          g_free (target->closing);
          target->closing = g_strndup (value, 64);
          target->closing_line = line;
        }
      break;
    case KEY_NONE:
    case KEY_SUMMARY:
    default:
      break;
    }
  return TRUE;
}

static const char *
find_colon (const char *s,
            gsize      *clen)
{
  for (const char *p = s; *p != '\0'; p++)
    {
      if (*p == ':')
        {
          *clen = 1;
          return p;
        }
      if (g_str_has_prefix (p, "："))
        {
          *clen = strlen ("：");
          return p;
        }
    }
  return NULL;
}

/* Reads "key: value" pairs of a preamble or summary line: cells split on @delim, words on
 * blanks; a value may sit in the next cell. */
static gboolean
extract_pairs (Ctx        *ctx,
               const char *s,
               gsize       len,
               char        delim,
               guint       line,
               GError    **error)
{
  GString *buf = ctx->scratch;
  guint offs[128];
  gboolean starts[128];
  guint n = 0;
  gboolean in_quote = FALSE, cell_start = TRUE, in_word = FALSE;
  g_autoptr(GString) val = g_string_new (NULL);

  g_string_truncate (buf, 0);
  for (gsize i = 0; i < len; i++)
    {
      char c = s[i];
      gsize b;

      if (c == '"')
        {
          if (in_quote && i + 1 < len && s[i + 1] == '"')
            i++;
          else
            {
              in_quote = !in_quote;
              continue;
            }
        }
      else if (!in_quote && c == delim)
        {
          if (in_word)
            g_string_append_c (buf, '\0');
          in_word = FALSE;
          cell_start = TRUE;
          continue;
        }
      else if ((b = blank_len (s + i, len - i)) > 0)
        {
          if (in_word)
            g_string_append_c (buf, '\0');
          in_word = FALSE;
          i += b - 1;
          continue;
        }
      if (!in_word)
        {
          if (n == G_N_ELEMENTS (offs))
            break;
          offs[n] = (guint) buf->len;
          starts[n++] = cell_start;
          cell_start = FALSE;
          in_word = TRUE;
        }
      g_string_append_c (buf, c);
    }
  if (in_word)
    g_string_append_c (buf, '\0');

  for (guint i = 0; i < n; i++)
    {
      char *t = buf->str + offs[i];
      const char *colon;
      gsize clen = 0;
      g_autofree char *key = NULL;
      gboolean crossed = FALSE;
      guint j = i + 1;

      colon = find_colon (t, &clen);
      g_string_truncate (val, 0);
      if (colon != NULL)
        {
          key = g_strndup (t, (gsize) (colon - t));
          g_string_append (val, colon + clen);
        }
      else if (classify_key (t) != KEY_NONE && j < n && starts[j])
        key = g_strdup (t);
      else
        continue;
      while (j < n && find_colon (buf->str + offs[j], &clen) == NULL)
        {
          if (starts[j])
            {
              if (val->len > 0 || crossed)
                break;
              crossed = TRUE;
            }
          if (val->len > 0)
            g_string_append_c (val, ' ');
          g_string_append (val, buf->str + offs[j]);
          j++;
        }
      if (*key != '\0' && !handle_pair (ctx, key, val->str, line, error))
        return FALSE;
      i = j - 1;
    }
  return TRUE;
}

/* ---- rows ------------------------------------------------------------------------------- */

static gboolean
cell_is_amount_like (const char *s)
{
  return g_ascii_isdigit (s[0]) || ((s[0] == '-' || s[0] == '(' || s[0] == '+') &&
                                    g_ascii_isdigit (s[1]));
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
static int
direction_of (Ctx        *ctx,
              const char *v)
{
  static const char * const debit_first[] = { "借", "出", "支", "付" };
  static const char * const credit_first[] = { "贷", "入", "收", "存" };

  if (ctx->profile != NULL)
    {
      if (direction_is ((const char * const *) ctx->profile->direction_debit, v))
        return -1;
      if (direction_is ((const char * const *) ctx->profile->direction_credit, v))
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

static gboolean
amount_of (Ctx        *ctx,
           Col         c,
           gint64     *out,
           gboolean   *present,
           guint       line,
           GError    **error)
{
  GError *local = NULL;
  const char *text = cell (ctx, ctx->layout.idx[c]);

  if (ctx->layout.idx[c] < 0)
    {
      *out = 0;
      *present = FALSE;
      return TRUE;
    }
  if (parse_amount (ctx, text, ctx->st.parse_ccy, out, present, &local))
    return TRUE;
  fail (ctx, error, line,
        /* Translators: %1$s is a column name, %2$s why its amount is wrong */
        _("column “%1$s”: %2$s"), ctx->layout.names[c], local->message);
  g_error_free (local);
  return FALSE;
}

/* The running balance: each row's balance must follow from the previous one. */
static gboolean
check_balance (Ctx     *ctx,
               gint64   bal,
               gint64   amt,
               TsyDate  date,
               guint    line,
               GError **error)
{
  Stmt *st = &ctx->st;
  gint64 asc, desc;
  gboolean asc_ok, desc_ok;

  if (!st->any_bal)
    {
      st->any_bal = TRUE;
      st->pre = st->since;
      st->f_bal = st->l_bal = bal;
      st->f_amt = st->l_amt = amt;
      st->f_date = st->l_date = date;
      st->since = 0;
      return TRUE;
    }
  if (__builtin_add_overflow (st->l_bal, st->since, &asc) ||
      __builtin_add_overflow (asc, amt, &asc) ||
      __builtin_add_overflow (bal, st->l_amt, &desc) ||
      __builtin_add_overflow (desc, st->since, &desc))
    return overflow (ctx, line, error);
  asc_ok = asc == bal;
  desc_ok = desc == st->l_bal;
  if (st->order == 0)
    {
      if (asc_ok && !desc_ok)
        st->order = 1;
      else if (desc_ok && !asc_ok)
        st->order = -1;
      else if (asc_ok && desc_ok && date != st->l_date)
        st->order = date > st->l_date ? 1 : -1;
    }
  if (!(st->order == 0 ? asc_ok || desc_ok : st->order > 0 ? asc_ok : desc_ok))
    {
      char b[32], p[32], a[32], e[32];
      gint64 expected = asc;

      if (st->order < 0 && __builtin_sub_overflow (st->l_bal, st->l_amt, &expected))
        expected = 0;
      if (st->order < 0)
        expected -= st->since;
      format_minor (ctx, bal, b);
      format_minor (ctx, st->l_bal, p);
      format_minor (ctx, amt, a);
      format_minor (ctx, expected, e);
      return fail (ctx, error, line,
                   /* Translators: %1$s a column name, %2$s..%5$s amounts */
                   _("running balance mismatch: “%1$s” is %2$s, but the previous balance %3$s "
                     "and the amount %4$s give %5$s"), ctx->layout.names[COL_BALANCE], b, p, a, e);
    }
  st->l_bal = bal;
  st->l_amt = amt;
  st->l_date = date;
  st->since = 0;
  return TRUE;
}

static gboolean
row_key (Ctx         *ctx,
         const char **account,
         const char **currency,
         char         code[4],
         guint        line,
         GError     **error)
{
  const Layout *l = &ctx->layout;
  const char *ccy_cell = cell (ctx, l->idx[COL_CURRENCY]);

  *account = ctx->info.account;
  if (ctx->profile != NULL && ctx->profile->account != NULL)
    *account = ctx->profile->account;
  else if (l->idx[COL_ACCOUNT] >= 0 && *cell (ctx, l->idx[COL_ACCOUNT]) != '\0')
    {
      /* in place: the cell is ours */
      char *a = ctx->fields->str + ctx->foff[l->idx[COL_ACCOUNT]], *o = a;
      for (const char *p = a; *p != '\0'; p++)
        if (*p != ' ' && *p != '\t')
          *o++ = *p;
      *o = '\0';
      *account = a;
    }

  if (ctx->profile != NULL && ctx->profile->currency != NULL)
    *currency = ctx->profile->currency;
  else if (*ccy_cell != '\0')
    {
      if (!currency_from_text (ccy_cell, code))
        return fail (ctx, error, line,
                     /* Translators: %1$s what the file wrote, %2$s a column name */
                     _("unknown currency “%1$s” in column “%2$s”"), ccy_cell,
                     l->names[COL_CURRENCY]);
      *currency = code;
    }
  else
    return info_currency (ctx, currency, error);
  return TRUE;
}

static gboolean
check_field_count (Ctx     *ctx,
                   guint    line,
                   GError **error)
{
  const Layout *l = &ctx->layout;
  gboolean ok = ctx->nf >= l->n_required && (l->n_fields == 0 || ctx->nf >= l->n_fields);

  for (guint i = MAX (l->n_fields, l->n_required); ok && l->n_fields > 0 && i < ctx->nf; i++)
    ok = *cell (ctx, (int) i) == '\0';
  if (ok)
    return TRUE;
  return fail (ctx, error, line,
               /* Translators: %1$u and %2$u are counts of fields */
               _("wrong number of fields: %1$u, the header has %2$u"), ctx->nf,
               MAX (l->n_fields, l->n_required));
}

static void
append_text (GString    *text,
             const char *part)
{
  if (*part == '\0')
    return;
  /* the same words in 摘要 and 用途 are said once */
  if (text->len > 0)
    {
      const char *p = text->str;
      gsize n = strlen (part);
      for (;;)
        {
          const char *sep = strstr (p, " / ");
          gsize plen = sep != NULL ? (gsize) (sep - p) : strlen (p);
          if (plen == n && memcmp (p, part, n) == 0)
            return;
          if (sep == NULL)
            break;
          p = sep + 3;
        }
      g_string_append (text, " / ");
    }
  g_string_append (text, part);
}

static const char *
nonempty (const char *s)
{
  return *s != '\0' ? s : NULL;
}

/* A row whose date parses: a transaction, or a balance line (期初余额 with no amount). */
static gboolean
process_row (Ctx     *ctx,
             TsyDate  date,
             guint    line,
             GError **error)
{
  const Layout *l = &ctx->layout;
  Stmt *st = &ctx->st;
  TsyStatementEntry e = { 0 };
  const char *account, *currency;
  char code[4];
  gint64 d = 0, c = 0, amt = 0, bal = 0;
  gboolean d_present, c_present, a_present, b_present;
  const char *vcell;

  if (!check_field_count (ctx, line, error) ||
      !row_key (ctx, &account, &currency, code, line, error) ||
      !ensure_statement (ctx, account, currency, line, error))
    return FALSE;
  ctx->section_rows++;

  if (!amount_of (ctx, COL_DEBIT, &d, &d_present, line, error) ||
      !amount_of (ctx, COL_CREDIT, &c, &c_present, line, error) ||
      !amount_of (ctx, COL_AMOUNT, &amt, &a_present, line, error) ||
      !amount_of (ctx, COL_BALANCE, &bal, &b_present, line, error))
    return FALSE;

  if (!d_present && !c_present && !a_present)
    {
      gboolean opening = FALSE, closing = FALSE;

      for (guint i = 0; i < ctx->nf; i++)
        {
          opening = opening || starts_with_any (cell (ctx, (int) i), opening_row_words,
                                                G_N_ELEMENTS (opening_row_words));
          closing = closing || starts_with_any (cell (ctx, (int) i), closing_row_words,
                                                G_N_ELEMENTS (closing_row_words));
        }
      if (opening || closing)
        {
          /* a balance line: not a transaction */
          ctx->section_rows--;
          if (!b_present || (opening && st->n_rows > 0))
            return TRUE;
          return set_explicit (ctx, closing, cell (ctx, l->idx[COL_BALANCE]), line, error);
        }
      if (l->idx[COL_AMOUNT] >= 0)
        return fail (ctx, error, line, _("column “%s” is empty"), l->names[COL_AMOUNT]);
      return fail (ctx, error, line, "%s", _("no amount in the debit or credit column"));
    }

  if (l->idx[COL_DEBIT] >= 0 || l->idx[COL_CREDIT] >= 0)
    {
      if (d != 0 && c != 0)
        return fail (ctx, error, line,
                     /* Translators: %1$s and %2$s are column names */
                     _("both “%1$s” and “%2$s” are filled"), l->names[COL_DEBIT],
                     l->names[COL_CREDIT]);
      amt = d != 0 ? -ABS (d) : ABS (c);
    }
  else if (l->idx[COL_DIRECTION] >= 0 && *cell (ctx, l->idx[COL_DIRECTION]) != '\0')
    {
      const char *mark = cell (ctx, l->idx[COL_DIRECTION]);
      int dir = direction_of (ctx, mark);

      if (dir == 0)
        return fail (ctx, error, line,
                     /* Translators: %1$s what the file wrote, %2$s a column name */
                     _("“%1$s” in column “%2$s” is neither debit nor credit"), mark,
                     l->names[COL_DIRECTION]);
      if (amt > 0 && dir < 0)
        amt = -amt;
      else if (amt < 0 && dir > 0)
        e.reversal = TRUE;
    }

  if (b_present && !check_balance (ctx, bal, amt, date, line, error))
    return FALSE;
  if (!b_present && __builtin_add_overflow (st->since, amt, &st->since))
    return overflow (ctx, line, error);
  if (__builtin_add_overflow (st->sum, amt, &st->sum))
    return overflow (ctx, line, error);

  e.booking_date = date;
  vcell = cell (ctx, l->idx[COL_VALUE_DATE]);
  if (*vcell != '\0' && (e.value_date = parse_date (ctx, vcell)) == TSY_DATE_NONE)
    return fail (ctx, error, line,
                 /* Translators: %1$s what the file wrote, %2$s a column name */
                 _("“%1$s” in column “%2$s” is not a date"), vcell, l->names[COL_VALUE_DATE]);
  e.amount_minor = amt;
  e.bank_ref = nonempty (cell (ctx, l->idx[COL_BANK_REF]));
  e.customer_ref = nonempty (cell (ctx, l->idx[COL_CUSTOMER_REF]));
  e.counterparty_name = nonempty (cell (ctx, l->idx[COL_CP_NAME]));
  e.counterparty_account = nonempty (cell (ctx, l->idx[COL_CP_ACCOUNT]));
  e.counterparty_bank = nonempty (cell (ctx, l->idx[COL_CP_BANK]));
  e.bank_tx_code = nonempty (cell (ctx, l->idx[COL_TX_CODE]));
  g_string_truncate (ctx->text, 0);
  for (guint t = 0; t < l->n_text; t++)
    append_text (ctx->text, cell (ctx, l->text[t]));
  e.text = ctx->text->len > 0 ? ctx->text->str : NULL;
  e.raw = ctx->record->str;
  e.source_line = line;

  if (st->n_rows == 0 || date < st->min_date)
    st->min_date = date;
  if (st->n_rows == 0 || date > st->max_date)
    st->max_date = date;
  st->n_rows++;
  return ctx->sink->entry == NULL || ctx->sink->entry (ctx->user_data, &e, error);
}

/* A data-section record whose date does not parse: a repeated header, a summary or a note. */
static gboolean
process_other (Ctx        *ctx,
               const char *date_cell,
               guint       line,
               GError    **error)
{
  const Layout *l = &ctx->layout;
  gboolean summary = FALSE, amounts = FALSE;
  g_autofree char *date_copy = g_strndup (date_cell, 64);
  g_autofree char *date_name = g_strdup (l->names[COL_BOOKING_DATE]);

  for (guint i = 0; i < ctx->nf && !summary; i++)
    summary = starts_with_any (cell (ctx, (int) i), summary_words, G_N_ELEMENTS (summary_words));
  amounts = cell_is_amount_like (cell (ctx, l->idx[COL_DEBIT])) ||
            cell_is_amount_like (cell (ctx, l->idx[COL_CREDIT])) ||
            cell_is_amount_like (cell (ctx, l->idx[COL_AMOUNT]));

  if (!summary && (ctx->profile == NULL || ctx->profile->header) &&
      try_header (ctx, ctx->record->str, ctx->record->len, FALSE))
    return switch_section (ctx, error);
  if (summary || (!amounts && !g_ascii_isdigit (date_copy[0])))
    return extract_pairs (ctx, ctx->record->str, ctx->record->len, ctx->delim, line, error);
  if (*date_copy == '\0')
    return fail (ctx, error, line, _("column “%s” is empty"), date_name);
  return fail (ctx, error, line, _("“%1$s” in column “%2$s” is not a date"), date_copy, date_name);
}

/* Reads one data record (joining lines while a quote is open) and handles it. */
static gboolean
process_record (Ctx     *ctx,
                GError **error)
{
  guint line = ctx->lineno, lines = 1;
  SplitResult r;
  TsyDate date;
  const char *date_cell;

  while ((r = split_fields (ctx, ctx->record->str, ctx->record->len, ctx->delim)) ==
         SPLIT_OPEN_QUOTE)
    {
      GError *local = NULL;

      if (++lines > MAX_RECORD_LINES || ctx->record->len > MAX_RECORD_BYTES)
        return fail (ctx, error, line, "%s", _("a quoted field is not closed"));
      g_string_append_c (ctx->record, '\n');
      if (!read_line (ctx, ctx->record, &local))
        {
          if (local != NULL)
            {
              g_propagate_error (error, local);
              return FALSE;
            }
          return fail (ctx, error, line, "%s", _("a quoted field is not closed"));
        }
    }
  if (r == SPLIT_TOO_MANY)
    return fail (ctx, error, line, _("more than %d fields"), MAX_FIELDS);
  if (all_empty (ctx))
    return TRUE;
  date_cell = cell (ctx, ctx->layout.idx[COL_BOOKING_DATE]);
  date = parse_date (ctx, date_cell);
  if (date == TSY_DATE_NONE)
    return process_other (ctx, date_cell, line, error);
  return process_row (ctx, date, line, error);
}

/* Settles the preamble lines once the delimiter is known. */
static gboolean
flush_preamble (Ctx     *ctx,
                GError **error)
{
  for (guint i = 0; i < ctx->preamble->len; i++)
    {
      const char *s = g_ptr_array_index (ctx->preamble, i);
      guint line = g_array_index (ctx->preamble_lines, guint, i);

      if (!extract_pairs (ctx, s, strlen (s), ctx->delim, line, error))
        return FALSE;
    }
  g_ptr_array_set_size (ctx->preamble, 0);
  g_array_set_size (ctx->preamble_lines, 0);
  return TRUE;
}

static gboolean
keep_preamble (Ctx     *ctx,
               GError **error)
{
  if (ctx->info.start_line == 0)
    ctx->info.start_line = ctx->lineno;
  ctx->preamble_bytes += ctx->record->len;
  if (ctx->preamble->len >= MAX_PREAMBLE || ctx->preamble_bytes > MAX_PREAMBLE_BYTES)
    return fail (ctx, error, ctx->lineno, "%s", _("no header row found"));
  g_ptr_array_add (ctx->preamble, g_strndup (ctx->record->str, ctx->record->len));
  g_array_append_val (ctx->preamble_lines, ctx->lineno);
  return TRUE;
}

static gboolean
run (Ctx     *ctx,
     GError **error)
{
  const TsyCsvProfile *p = ctx->profile;
  GError *local = NULL;

  for (;;)
    {
      g_string_truncate (ctx->record, 0);
      if (!read_line (ctx, ctx->record, &local))
        break;

      if (ctx->have_layout)
        {
          if (!process_record (ctx, error))
            return FALSE;
          continue;
        }
      if (p != NULL && p->has_skip && ctx->lineno <= p->skip_lines)
        {
          if (!keep_preamble (ctx, error))
            return FALSE;
          continue;
        }
      if (p != NULL && !p->header)
        {
          /* no header row: the profile's column indexes */
          ctx->delim = p->delimiter ? p->delimiter : ',';
          ctx->nf = 0;
          layout_from_profile (ctx, &ctx->layout, FALSE);
          layout_finish (ctx, &ctx->layout, FALSE);
          ctx->have_layout = TRUE;
          if (!flush_preamble (ctx, error) || !process_record (ctx, error))
            return FALSE;
          continue;
        }
      if (try_header (ctx, ctx->record->str, ctx->record->len,
                      p != NULL && p->has_skip))
        {
          if (!flush_preamble (ctx, error))
            return FALSE;
          if (ctx->info.start_line == 0)
            ctx->info.start_line = ctx->lineno;
          continue;
        }
      if (p != NULL && p->has_skip)
        return fail (ctx, error, ctx->lineno,
                     /* Translators: %u is the profile's skip_lines */
                     _("no header row found after skipping %u lines"), p->skip_lines);
      if (ctx->record->len > 0 && !keep_preamble (ctx, error))
        return FALSE;
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  if (!ctx->have_layout)
    return fail (ctx, error, ctx->lineno, "%s", _("no header row found"));
  if (!end_statement (ctx, error))
    return FALSE;
  if (ctx->n_statements == 0)
    {
      /* a header and no rows: the statement still says the period and balances */
      const char *account = p != NULL && p->account ? p->account : ctx->info.account;
      const char *currency = p != NULL && p->currency ? p->currency : NULL;

      if (currency == NULL && !info_currency (ctx, &currency, error))
        return FALSE;
      if (!begin_statement (ctx, account, currency, ctx->info.start_line, error) ||
          !end_statement (ctx, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
tsy_csv_parse (GInputStream           *in,
               const char             *display_name,
               const TsyCsvProfile    *profile,
               const TsyStatementSink *sink,
               gpointer                user_data,
               GCancellable           *cancellable,
               GError                **error)
{
  Ctx ctx = { 0 };
  gboolean ok;

  g_return_val_if_fail (G_IS_INPUT_STREAM (in), FALSE);
  g_return_val_if_fail (sink != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  ctx.display_name = display_name != NULL ? display_name : "-";
  ctx.profile = profile;
  ctx.sink = sink;
  ctx.user_data = user_data;
  ctx.reader = tsy_line_reader_new (in, cancellable);
  ctx.enc = profile != NULL ? profile->encoding : ENC_AUTO;
  ctx.cd = (GIConv) -1;
  ctx.decimal = profile != NULL ? profile->decimal : TSY_DECIMAL_POINT;
  ctx.record = g_string_sized_new (1024);
  ctx.fields = g_string_sized_new (1024);
  ctx.text = g_string_sized_new (256);
  ctx.scratch = g_string_sized_new (256);
  ctx.preamble = g_ptr_array_new_with_free_func (g_free);
  ctx.preamble_lines = g_array_new (FALSE, FALSE, sizeof (guint));
  for (int c = 0; c < N_COLS; c++)
    ctx.layout.idx[c] = -1;

  ok = run (&ctx, error);

  g_free (ctx.st.account);
  info_clear (&ctx.info);
  info_clear (&ctx.next);
  layout_clear (&ctx.layout);
  if (ctx.cd != (GIConv) -1)
    g_iconv_close (ctx.cd);
  tsy_line_reader_free (ctx.reader);
  g_string_free (ctx.record, TRUE);
  g_string_free (ctx.fields, TRUE);
  g_string_free (ctx.text, TRUE);
  g_string_free (ctx.scratch, TRUE);
  g_ptr_array_unref (ctx.preamble);
  g_array_unref (ctx.preamble_lines);
  return ok;
}

/* ---- profiles --------------------------------------------------------------------------- */

static gboolean
profile_error (GError    **error,
               const char *path,
               const char *group,
               const char *key,
               const char *reason)
{
  g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PARSE,
               /* Translators: %1$s a file, %2$s a [group], %3$s a key, %4$s the reason */
               _("%1$s: [%2$s] %3$s: %4$s"), path, group, key, reason);
  return FALSE;
}

static gboolean
parse_col_spec (const char *path,
                const char *key,
                const char *value,
                ColSpec    *spec,
                GError    **error)
{
  const char *s = value;
  gsize len = strlen (value);
  guint64 n;

  trim (&s, &len);
  if (len == 0)
    return profile_error (error, path, "columns", key, _("the value is empty"));
  if (g_ascii_isdigit (*s))
    {
      g_autofree char *copy = g_strndup (s, len);
      if (!g_ascii_string_to_unsigned (copy, 10, 1, MAX_FIELDS, &n, NULL))
        {
          g_autofree char *reason =
            /* Translators: %1$s the value, %2$d the largest column number */
            g_strdup_printf (_("“%1$s” is not a column number from 1 to %2$d"), copy, MAX_FIELDS);
          return profile_error (error, path, "columns", key, reason);
        }
      spec->index = (guint) n;
      return TRUE;
    }
  spec->name = g_strndup (s, len);
  return TRUE;
}

static char *
convert_date_format (const char *value)
{
  GString *f = g_string_new (NULL);

  if (strchr (value, '%') != NULL)
    g_string_assign (f, value);
  else
    for (const char *p = value; *p != '\0';)
      {
        if (g_str_has_prefix (p, "YYYY") || g_str_has_prefix (p, "yyyy"))
          g_string_append (f, "%Y"), p += 4;
        else if (g_str_has_prefix (p, "YY") || g_str_has_prefix (p, "yy"))
          g_string_append (f, "%y"), p += 2;
        else if (g_str_has_prefix (p, "MM"))
          g_string_append (f, "%m"), p += 2;
        else if (g_str_has_prefix (p, "DD") || g_str_has_prefix (p, "dd"))
          g_string_append (f, "%d"), p += 2;
        else
          g_string_append_c (f, *p++);
      }
  return g_string_free (f, FALSE);
}

static gboolean
load_profile_group (TsyCsvProfile *p,
                    GKeyFile      *kf,
                    const char    *path,
                    GError       **error)
{
  static const char * const known[] = {
    "encoding", "delimiter", "skip_lines", "header", "date_format", "decimal", "currency",
    "account",
  };
  g_auto(GStrv) keys = g_key_file_get_keys (kf, "profile", NULL, NULL);

  for (char **k = keys; k != NULL && *k != NULL; k++)
    {
      g_autofree char *raw = g_key_file_get_string (kf, "profile", *k, NULL);
      const char *v = raw != NULL ? raw : "";
      gboolean found = FALSE;

      for (gsize i = 0; i < G_N_ELEMENTS (known); i++)
        found = found || strcmp (*k, known[i]) == 0;
      if (!found)
        return profile_error (error, path, "profile", *k, _("unknown key"));

      if (strcmp (*k, "encoding") == 0)
        {
          if (g_ascii_strcasecmp (v, "UTF-8") == 0 || g_ascii_strcasecmp (v, "UTF8") == 0)
            p->encoding = ENC_UTF8;
          else if (g_ascii_strcasecmp (v, "GB18030") == 0 || g_ascii_strcasecmp (v, "GBK") == 0 ||
                   g_ascii_strcasecmp (v, "GB2312") == 0 || g_ascii_strcasecmp (v, "CP936") == 0)
            p->encoding = ENC_GB18030;
          else if (g_ascii_strcasecmp (v, "auto") == 0)
            p->encoding = ENC_AUTO;
          else
            return profile_error (error, path, "profile", *k,
                                  _("the encoding must be UTF-8, GB18030, GBK or auto"));
        }
      else if (strcmp (*k, "delimiter") == 0)
        {
          if (strcmp (v, ",") == 0 || g_ascii_strcasecmp (v, "comma") == 0)
            p->delimiter = ',';
          else if (strcmp (v, "\t") == 0 || g_ascii_strcasecmp (v, "tab") == 0)
            p->delimiter = '\t';
          else if (strcmp (v, ";") == 0 || g_ascii_strcasecmp (v, "semicolon") == 0)
            p->delimiter = ';';
          else if (strcmp (v, "|") == 0 || g_ascii_strcasecmp (v, "pipe") == 0)
            p->delimiter = '|';
          else if (g_ascii_strcasecmp (v, "auto") == 0)
            p->delimiter = 0;
          else
            return profile_error (error, path, "profile", *k,
                                  _("the delimiter must be a comma, tab, semicolon or |"));
        }
      else if (strcmp (*k, "skip_lines") == 0)
        {
          guint64 n;
          if (!g_ascii_string_to_unsigned (v, 10, 0, 10000, &n, NULL))
            return profile_error (error, path, "profile", *k,
                                  _("not a number of lines from 0 to 10000"));
          p->has_skip = TRUE;
          p->skip_lines = (guint) n;
        }
      else if (strcmp (*k, "header") == 0)
        {
          GError *local = NULL;
          p->header = g_key_file_get_boolean (kf, "profile", *k, &local);
          if (local != NULL)
            {
              g_error_free (local);
              return profile_error (error, path, "profile", *k, _("must be true or false"));
            }
        }
      else if (strcmp (*k, "date_format") == 0)
        {
          g_autofree char *fmt = NULL;
          if (g_ascii_strcasecmp (v, "auto") == 0 || *v == '\0')
            continue;
          fmt = convert_date_format (v);
          if (strstr (fmt, "%m") == NULL || strstr (fmt, "%d") == NULL ||
              (strstr (fmt, "%Y") == NULL && strstr (fmt, "%y") == NULL))
            return profile_error (error, path, "profile", *k,
                                  _("the date format needs a year, a month and a day "
                                    "(%Y, %m, %d or YYYY, MM, DD)"));
          for (const char *f = fmt; *f != '\0'; f++)
            if (*f == '%' && strchr ("YymdHMS", f[1]) == NULL)
              return profile_error (error, path, "profile", *k,
                                    _("only %Y %y %m %d %H %M %S may be used"));
            else if (*f == '%')
              f++;
          p->date_format = g_steal_pointer (&fmt);
        }
      else if (strcmp (*k, "decimal") == 0)
        {
          if (g_ascii_strcasecmp (v, "point") == 0 || strcmp (v, ".") == 0)
            p->decimal = TSY_DECIMAL_POINT;
          else if (g_ascii_strcasecmp (v, "comma") == 0 || strcmp (v, ",") == 0)
            p->decimal = TSY_DECIMAL_COMMA;
          else
            return profile_error (error, path, "profile", *k, _("must be point or comma"));
        }
      else if (strcmp (*k, "currency") == 0)
        {
          char code[4];
          if (!currency_from_text (v, code))
            {
              g_autofree char *reason =
                /* Translators: %s is what the profile wrote */
                g_strdup_printf (_("“%s” is not a known currency"), v);
              return profile_error (error, path, "profile", *k, reason);
            }
          p->currency = g_strdup (code);
        }
      else if (strcmp (*k, "account") == 0)
        {
          GString *a = g_string_new (NULL);
          for (const char *c = v; *c != '\0'; c++)
            if (*c != ' ' && *c != '\t')
              g_string_append_c (a, *c);
          if (a->len == 0)
            {
              g_string_free (a, TRUE);
              return profile_error (error, path, "profile", *k, _("the value is empty"));
            }
          p->account = g_string_free (a, FALSE);
        }
    }
  return TRUE;
}

static gboolean
load_columns_group (TsyCsvProfile *p,
                    GKeyFile      *kf,
                    const char    *path,
                    GError       **error)
{
  g_auto(GStrv) keys = g_key_file_get_keys (kf, "columns", NULL, NULL);
  guint named = 0;

  for (char **k = keys; k != NULL && *k != NULL; k++)
    {
      int c;

      if (strcmp (*k, "direction_debit") == 0 || strcmp (*k, "direction_credit") == 0)
        {
          char ***list = strcmp (*k, "direction_debit") == 0 ? &p->direction_debit
                                                              : &p->direction_credit;
          g_strfreev (*list);
          *list = g_key_file_get_string_list (kf, "columns", *k, NULL, NULL);
          for (char **v = *list; v != NULL && *v != NULL; v++)
            g_strstrip (*v);
          if (*list == NULL || **list == NULL)
            return profile_error (error, path, "columns", *k, _("the value is empty"));
          continue;
        }
      for (c = 0; c < N_COLS; c++)
        if (strcmp (*k, col_keys[c]) == 0)
          break;
      if (c == N_COLS)
        return profile_error (error, path, "columns", *k, _("unknown key"));
      p->has_columns = TRUE;
      if (c == COL_TEXT)
        {
          g_auto(GStrv) list = g_key_file_get_string_list (kf, "columns", *k, NULL, NULL);
          for (char **v = list; v != NULL && *v != NULL; v++)
            {
              if (p->n_text == MAX_TEXT_COLUMNS)
                return profile_error (error, path, "columns", *k, _("too many text columns"));
              if (!parse_col_spec (path, *k, *v, &p->text[p->n_text], error))
                return FALSE;
              named += p->text[p->n_text].name != NULL;
              p->n_text++;
            }
          if (p->n_text == 0)
            return profile_error (error, path, "columns", *k, _("the value is empty"));
        }
      else
        {
          g_autofree char *v = g_key_file_get_string (kf, "columns", *k, NULL);
          g_clear_pointer (&p->cols[c].name, g_free);
          if (!parse_col_spec (path, *k, v != NULL ? v : "", &p->cols[c], error))
            return FALSE;
          named += p->cols[c].name != NULL;
        }
    }
  if (!p->has_columns)
    return TRUE;
  if (p->cols[COL_BOOKING_DATE].name == NULL && p->cols[COL_BOOKING_DATE].index == 0 &&
      p->cols[COL_TIME].name == NULL && p->cols[COL_TIME].index == 0)
    return profile_error (error, path, "columns", "booking_date", _("the date column is missing"));
  if (p->cols[COL_AMOUNT].name == NULL && p->cols[COL_AMOUNT].index == 0 &&
      p->cols[COL_DEBIT].name == NULL && p->cols[COL_DEBIT].index == 0 &&
      p->cols[COL_CREDIT].name == NULL && p->cols[COL_CREDIT].index == 0)
    return profile_error (error, path, "columns", "amount",
                          _("an amount column (amount, debit or credit) is missing"));
  p->n_named = named;
  if (named && !p->header)
    return profile_error (error, path, "profile", "header",
                          _("columns given by name need a header row (header=true)"));
  return TRUE;
}

TsyCsvProfile *
tsy_csv_profile_load (const char *path,
                      GError    **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(TsyCsvProfile) p = NULL;
  g_auto(GStrv) groups = NULL;
  GError *local = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  g_key_file_set_list_separator (kf, ',');
  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &local))
    {
      g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PARSE,
                   /* Translators: %1$s a file, %2$s the reason */
                   _("%1$s: %2$s"), path, local->message);
      g_error_free (local);
      return NULL;
    }
  groups = g_key_file_get_groups (kf, NULL);
  for (char **g = groups; *g != NULL; g++)
    if (strcmp (*g, "profile") != 0 && strcmp (*g, "columns") != 0)
      {
        g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PARSE,
                     /* Translators: %1$s a file, %2$s a group name */
                     _("%1$s: unknown group [%2$s]; a profile has [profile] and [columns]"),
                     path, *g);
        return NULL;
      }
  p = g_new0 (TsyCsvProfile, 1);
  p->header = TRUE;
  p->decimal = TSY_DECIMAL_POINT;
  if (!load_profile_group (p, kf, path, error) || !load_columns_group (p, kf, path, error))
    return NULL;
  return g_steal_pointer (&p);
}

void
tsy_csv_profile_free (TsyCsvProfile *profile)
{
  if (profile == NULL)
    return;
  for (int c = 0; c < N_COLS; c++)
    g_free (profile->cols[c].name);
  for (guint t = 0; t < MAX_TEXT_COLUMNS; t++)
    g_free (profile->text[t].name);
  g_free (profile->date_format);
  g_free (profile->currency);
  g_free (profile->account);
  g_strfreev (profile->direction_debit);
  g_strfreev (profile->direction_credit);
  g_free (profile);
}
