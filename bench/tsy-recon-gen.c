/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Realistic months for reconciliation, with the truth (see tsy-recon-gen.h). */
#include <gio/gio.h>
#include <stdio.h>
#include <string.h>

#include "banks/formats/tsy-statement-writer.h"
#include "ledger/tsy-account.h"
#include "ledger/tsy-bank.h"
#include "ledger/tsy-book.h"
#include "ledger/tsy-money.h"
#include "ledger/tsy-org.h"
#include "ledger/tsy-reconcile.h"
#include "tsy-recon-gen.h"

static const char *const case_names[GEN_N_CASES] = {
  "exact reference", "reference in text", "name only", "same amount and day, other name",
  "batch", "instalments", "charge", "bank only", "book only", "look-alike", "ambiguous repeat",
};

/* Per mille of events. */
static const int case_weights[GEN_N_CASES] = {
  [GEN_EXACT] = 300, [GEN_TEXT] = 180, [GEN_NAME] = 225, [GEN_TWINS] = 40, [GEN_BATCH] = 30,
  [GEN_INSTALMENTS] = 20, [GEN_CHARGE] = 30, [GEN_BANK_ONLY] = 50, [GEN_BOOK_ONLY] = 40,
  [GEN_LOOKALIKE] = 40, [GEN_REPEAT] = 5,
};

static const struct
{
  const char     *code;
  const char     *name;
  const char     *bic;
  const char     *currency;
  TsyWriterFormat format;     /* unless bai2 */
  const char     *ext;
  gboolean        english;
  gboolean        bai2;
} banks[] = {
  { "ICBC", "中国工商银行", "ICBKCNBJ", "CNY", TSY_WRITER_CSV_GB18030, "csv", FALSE },
  { "CCB", "中国建设银行", "PCBCCNBJ", "CNY", TSY_WRITER_CSV_UTF8, "csv", FALSE },
  { "BOC", "中国银行", "BKCHCNBJ", "USD", TSY_WRITER_MT940, "sta", TRUE },
  { "CMB", "招商银行", "CMBCCNBS", "CNY", TSY_WRITER_CAMT053_V2, "xml", FALSE },
  { "HSBC", "香港上海汇丰银行", "HSBCHKHH", "HKD", TSY_WRITER_CAMT053_V8, "xml", FALSE },
  { "CITI", "Citibank N.A.", "CITIUS33", "USD", 0, "bai", TRUE, TRUE },
};

static const char *const places[] = {
  "上海", "深圳市", "北京", "广州市", "杭州", "南京市", "苏州", "武汉市", "成都", "天津市",
  "广东省", "浙江省", "江苏", "宁波市", "厦门", "青岛市", "东莞市", "佛山", "重庆", "西安市",
};
static const char *const syllables[] = {
  "华", "东", "南", "北", "星", "河", "云", "帆", "精", "密", "恒", "通", "达", "远", "盛", "泰",
  "鑫", "源", "宏", "信", "安", "康", "瑞", "丰", "金", "海", "天", "龙", "凯", "博", "新", "创",
  "嘉", "禾", "明", "德", "永", "利", "顺", "祥", "中", "联", "普", "润", "建", "辉", "光", "腾",
  "卓", "越", "振", "兴", "佳", "美", "宇", "晨", "峰", "汇", "铭", "诚",
};
static const char *const industries[] = {
  "电子材料", "精密机械", "物流", "软件科技", "纺织品进出口", "建筑工程", "医药", "食品",
  "化工", "环保科技", "汽车配件", "新能源", "信息技术", "贸易", "包装材料", "印刷", "装饰工程",
  "电气设备", "供应链管理", "餐饮管理", "广告传媒", "物业管理", "仪器仪表", "五金制品", "家具",
};
static const char *const forms[] = { "有限公司", "有限公司", "有限公司", "有限责任公司", "股份有限公司" };
static const char *const en_words[] = {
  "ACME", "ORIENT", "PACIFIC", "GOLDEN", "DRAGON", "EVEREST", "SUMMIT", "HARBOUR", "PIONEER",
  "UNITED", "GLOBAL", "ATLAS", "NORTHSTAR", "SILVERLINE", "BLUEWAVE", "REDWOOD", "KINGSWAY",
  "MERIDIAN", "CRESCENT", "LOTUS", "JADE", "PHOENIX", "ZENITH", "VERTEX", "OCEANIC",
};
static const char *const en_industries[] = {
  "TRADING", "SHIPPING", "ELECTRONICS", "LOGISTICS", "TEXTILES", "MACHINERY", "CHEMICALS",
  "FOODS", "HOLDINGS", "INDUSTRIES", "TECHNOLOGY", "MARINE", "IMPORT EXPORT", "SUPPLY",
};
static const char *const en_forms[] = { "CO., LTD.", "LIMITED", "LTD", "INC", "CORPORATION" };
static const char *const surnames[] = { "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭" };
static const char *const given[] = { "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平" };

typedef struct
{
  char *full;          /* as the bank writes it */
  char *place;
  char *core;          /* name without place and legal form */
  char *form;
  char *account;
  gboolean english;
} Party;

typedef struct
{
  TsyDate  date;
  gint64   amount;
  char    *ref;        /* the bank's reference */
  char    *e2e;
  char    *cref;
  char    *cp;
  char    *cp_acct;
  char    *text;
} BankLine;

typedef struct
{
  GRand        *rand;
  GStringChunk *chunk;
  GArray       *lines;       /* BankLine */
  GString      *book;        /* CSV rows of this account */
  GPtrArray    *parties;     /* Party */
  guint         account_index;
  const char   *account;
  const char   *currency;
  gboolean      english;
  gboolean      csv;
  gboolean      mt940;
  gboolean      bai2;         /* no counterparty fields: references and text only */
  guint         n_days;
  TsyDate       start;
  guint         seq_line;
  guint         seq_ref;
  guint         seq_book;
  int           next_group;
  TsyReconGenTruth *truth;
} Gen;

void
tsy_recon_gen_options_init (TsyReconGenOptions *options)
{
  options->n_bank_lines = 20000;
  options->n_accounts = 5;
  options->months = 3;
  options->seed = 2026;
  options->start = tsy_date_from_ymd (2026, 1, 1);
}

const char *
tsy_recon_gen_case_name (TsyReconGenCase c)
{
  return case_names[c];
}

void
tsy_recon_gen_truth_free (TsyReconGenTruth *truth)
{
  if (truth == NULL)
    return;
  g_ptr_array_unref (truth->accounts);
  g_ptr_array_unref (truth->statement_files);
  g_ptr_array_unref (truth->file_accounts);
  g_free (truth->book_csv);
  g_hash_table_unref (truth->bank_group);
  g_hash_table_unref (truth->book_group);
  g_hash_table_unref (truth->group_case);
  g_free (truth);
}

static const char *
pick (GRand             *rand,
      const char *const *list,
      guint              n)
{
  return list[g_rand_int_range (rand, 0, (gint32) n)];
}

#define PICK(g, list) pick ((g)->rand, (list), G_N_ELEMENTS (list))

static const char *cprintf (Gen *g, const char *format, ...) G_GNUC_PRINTF (2, 3);

/* Strings of the generated data live in the account's chunk. */
static const char *
cprintf (Gen        *g,
         const char *format,
         ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  return g_string_chunk_insert (g->chunk, text);
}

static const char *
cconcat (Gen        *g,
         const char *first,
         ...)
{
  g_autoptr(GString) s = g_string_new (first);
  const char *part;
  va_list args;

  va_start (args, first);
  while ((part = va_arg (args, const char *)) != NULL)
    g_string_append (s, part);
  va_end (args);
  return g_string_chunk_insert (g->chunk, s->str);
}

static void
party_free (gpointer data)
{
  Party *p = data;

  g_free (p->full);
  g_free (p->place);
  g_free (p->core);
  g_free (p->form);
  g_free (p->account);
  g_free (p);
}

static Party *
new_party (Gen *g)
{
  Party *p = g_new0 (Party, 1);

  p->english = g->english;
  if (g->english)
    {
      p->place = g_strdup ("");
      p->core = g_strdup_printf ("%s %s %s", PICK (g, en_words), PICK (g, en_words), PICK (g, en_industries));
      p->form = g_strdup (PICK (g, en_forms));
      p->full = g_strdup_printf ("%s %s", p->core, p->form);
    }
  else
    {
      p->place = g_strdup (PICK (g, places));
      p->core = g_strdup_printf ("%s%s%s", PICK (g, syllables), PICK (g, syllables), PICK (g, industries));
      p->form = g_strdup (PICK (g, forms));
      p->full = g_strdup_printf ("%s%s%s", p->place, p->core, p->form);
    }
  p->account = g_strdup_printf ("%u%09u%04u", 6200 + g->account_index, g_rand_int_range (g->rand, 0, 999999999),
                                g_rand_int_range (g->rand, 0, 9999));
  return p;
}

/* Busier counterparties come more often. */
static Party *
some_party (Gen *g)
{
  double u = g_rand_double (g->rand);
  guint i = (guint) (u * u * g->parties->len);

  return g_ptr_array_index (g->parties, MIN (i, g->parties->len - 1));
}

static Party *
other_party (Gen   *g,
             Party *not)
{
  Party *p;

  do
    p = some_party (g);
  while (p == not || strcmp (p->core, not->core) == 0);
  return p;
}

/* How the book writes the name. */
static const char *
book_name (Gen   *g,
           Party *p)
{
  int v = g_rand_int_range (g->rand, 0, 7);

  if (p->english)
    {
      switch (v % 3)
        {
        case 0:
          return p->full;
        case 1:
          {
            g_autofree char *lower = g_ascii_strdown (p->core, -1);
            lower[0] = g_ascii_toupper (lower[0]);
            return cprintf (g, "%s Co Ltd", lower);
          }
        default:
          return cconcat (g, p->core, " LIMITED", NULL);
        }
    }
  switch (v)
    {
    case 0:
      return p->full;
    case 1:   /* without the place */
      return cconcat (g, p->core, p->form, NULL);
    case 2:   /* another legal form */
      return cconcat (g, p->place, p->core,
                                    strcmp (p->form, "有限公司") == 0 ? "有限责任公司" : "有限公司", NULL);
    case 3:   /* (股份) and full-width brackets */
      return cconcat (g, p->place, p->core, "（股份）有限公司", NULL);
    case 4:   /* a short form: the first characters of the name */
      {
        const char *end = p->core;
        for (int i = 0; i < 5 && *end; i++)
          end = g_utf8_next_char (end);
        return g_string_chunk_insert_len (g->chunk, p->core, end - p->core);
      }
    case 5:   /* spaces */
      return cconcat (g, p->place, " ", p->core, " ", p->form, NULL);
    default:
      return p->full;
    }
}

static gint64
some_amount (Gen *g)
{
  /* log-uniform 100.00 – 2,000,000.00 (minor units of a 2-decimal currency), some round */
  double e = g_rand_double_range (g->rand, 4.0, 8.3);
  gint64 minor = 1;

  for (int i = 0; i < (int) e; i++)
    minor *= 10;
  minor += (gint64) (minor * 9 * (e - (int) e));
  minor += g_rand_int_range (g->rand, 0, 100);
  if (g_rand_int_range (g->rand, 0, 100) < 15)
    minor = MAX (10000, minor / 10000 * 10000);
  return minor;
}

static TsyDate
clamp_date (Gen    *g,
            TsyDate d)
{
  return CLAMP (d, g->start, g->start + g->n_days - 1);
}

static const char *
new_invoice (Gen *g,
             char *style_out)
{
  guint n = ++g->seq_ref;
  int style = g_rand_int_range (g->rand, 0, 5);

  *style_out = (char) style;
  switch (style)
    {
    case 0:
      return cprintf (g, "INV-2026-%02u%05u", g->account_index, n);
    case 1:
      return cprintf (g, "HX%02u%06u", g->account_index, n);
    case 2:
      return cprintf (g, "PO-A%02u-%06u", g->account_index, n);
    case 3:
      return cprintf (g, "SO%02u%08u", g->account_index, n);
    default:
      return cprintf (g, "E2E%02u%010u", g->account_index, n);
    }
}

/* The reference written another way in a bank's text. */
static const char *
buried (Gen        *g,
        const char *ref)
{
  g_autoptr(GString) alnum = g_string_new (NULL);
  g_autoptr(GString) spaced = g_string_new (NULL);
  const char *digits;
  int v = g_rand_int_range (g->rand, 0, 6);

  for (const char *p = ref; *p; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (alnum, *p);
      g_string_append_c (spaced, *p == '-' ? ' ' : *p);
    }
  digits = alnum->str;
  while (*digits && g_ascii_isalpha (*digits))
    digits++;
  switch (v)
    {
    case 0:
      return cprintf (g, "PAYMENT FOR %s", spaced->str);
    case 1:
      {
        g_autofree char *low = g_ascii_strdown (alnum->str, -1);
        return g_string_chunk_insert (g->chunk, low);
      }
    case 2:
      return cprintf (g, g->english ? "INVOICE %s" : "货款%s", alnum->str);
    case 3:
      if (strlen (digits) >= 6)
        return cprintf (g, g->english ? "REF %s SETTLEMENT" : "付款 %s", digits);
      G_GNUC_FALLTHROUGH;
    case 4:
      return cprintf (g, "RE:%s THANK YOU", ref);
    default:
      return cprintf (g, g->english ? "ORDER %s" : "%s 结算款", spaced->str);
    }
}

static BankLine *
add_line (Gen        *g,
          TsyDate     date,
          gint64      amount,
          Party      *p,
          const char *text,
          int         group)
{
  BankLine l = { 0 };
  char ref[24];
  g_autofree char *key = NULL;

  g_snprintf (ref, sizeof ref, "B%02u%09u", g->account_index, ++g->seq_line);
  l.date = clamp_date (g, date);
  l.amount = amount;
  l.ref = g_string_chunk_insert (g->chunk, ref);
  if (p != NULL)
    {
      l.cp = p->full;
      if (g_rand_int_range (g->rand, 0, 100) < 60)
        l.cp_acct = p->account;
    }
  l.text = text ? g_string_chunk_insert (g->chunk, text) : NULL;
  g_array_append_val (g->lines, l);
  if (group >= 0)
    {
      key = g_strdup_printf ("%s|%s", g->account, ref);
      g_hash_table_insert (g->truth->bank_group, g_steal_pointer (&key), GINT_TO_POINTER (group + 1));
    }
  g->truth->n_bank++;
  return &g_array_index (g->lines, BankLine, g->lines->len - 1);
}

static void
csv_field (GString    *s,
           const char *text)
{
  if (text == NULL)
    return;
  if (strpbrk (text, ",\"\n") == NULL)
    {
      g_string_append (s, text);
      return;
    }
  g_string_append_c (s, '"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
}

static void
add_entry (Gen        *g,
           TsyDate     date,
           gint64      amount,
           const char *cp,
           const char *cp_acct,
           const char *reference,
           const char *memo,
           int         group)
{
  char id[32], d[11], a[40];

  g_snprintf (id, sizeof id, "J%02u-%08u", g->account_index, ++g->seq_book);
  tsy_date_format_iso (clamp_date (g, date), d);
  tsy_money_format_plain (amount, tsy_currency_exponent (g->currency), a, sizeof a);
  g_string_append_printf (g->book, "%s,%s,%s,%s,%s,", id, g->account, d, a, g->currency);
  csv_field (g->book, cp);
  g_string_append_c (g->book, ',');
  csv_field (g->book, cp_acct);
  g_string_append_c (g->book, ',');
  csv_field (g->book, reference);
  g_string_append_c (g->book, ',');
  csv_field (g->book, memo);
  g_string_append_c (g->book, '\n');
  if (group >= 0)
    g_hash_table_insert (g->truth->book_group, g_strdup (id), GINT_TO_POINTER (group + 1));
  g->truth->n_book++;
}

static int
new_group (Gen            *g,
           TsyReconGenCase c,
           guint           n_bank,
           guint           n_book)
{
  int group = g->next_group++;

  g_hash_table_insert (g->truth->group_case, GINT_TO_POINTER (group + 1), GINT_TO_POINTER (c + 1));
  g->truth->true_pairs += (guint64) n_bank * n_book;
  g->truth->true_pairs_by_case[c] += (guint64) n_bank * n_book;
  return group;
}

static const char *
book_account (Gen   *g,
              Party *p)
{
  return g_rand_int_range (g->rand, 0, 100) < 50 ? p->account : NULL;
}

static int
book_offset (Gen *g)
{
  return g_rand_int_range (g->rand, 0, 4);
}

static const char *
purpose (Gen    *g,
         gint64  amount)
{
  static const char *const in[] = { "货款", "销售回款", "服务费", "租金", "往来款" };
  static const char *const out[] = { "采购货款", "运费", "工程款", "设备款", "往来款", "咨询费" };
  static const char *const en_in[] = { "PROCEEDS", "SALES RECEIPT", "SERVICE FEE" };
  static const char *const en_out[] = { "PURCHASE", "FREIGHT", "SUPPLIES" };

  if (g->english)
    return amount > 0 ? PICK (g, en_in) : PICK (g, en_out);
  return amount > 0 ? PICK (g, in) : PICK (g, out);
}

static void
event (Gen    *g,
       TsyDate day)
{
  int r = g_rand_int_range (g->rand, 0, 1000);
  TsyReconGenCase c = 0;
  gint64 amount = some_amount (g);
  Party *p = some_party (g);
  char style;

  if (g_rand_boolean (g->rand))
    amount = -amount;
  for (int acc = 0; c < GEN_N_CASES; c++)
    {
      acc += case_weights[c];
      if (r < acc)
        break;
    }
  if (c == GEN_N_CASES)
    c = GEN_EXACT;
  /* BAI2 details carry references and text but no counterparty: US practice pays by reference */
  if (g->bai2 && (c == GEN_NAME || c == GEN_TWINS || c == GEN_REPEAT))
    c = GEN_EXACT;
  g->truth->events[c]++;

  switch (c)
    {
    case GEN_EXACT:
      {
        int group = new_group (g, c, 1, 1);
        const char *ref = new_invoice (g, &style);
        BankLine *l;

        if (g->csv)
          {
            g_autofree char *text = g_strdup_printf ("%s %s", purpose (g, amount), ref);
            l = add_line (g, day, amount, p, text, group);
          }
        else if (g->bai2)
          {
            l = add_line (g, day, amount, p, purpose (g, amount), group);
            l->cref = (char *) ref;
          }
        else
          {
            l = add_line (g, day, amount, p, purpose (g, amount), group);
            if (g->mt940 || g_rand_boolean (g->rand))
              l->cref = (char *) ref;
            else
              l->e2e = (char *) ref;
          }
        add_entry (g, day - (guint) book_offset (g), amount, book_name (g, p), book_account (g, p), ref,
                   purpose (g, amount), group);
        break;
      }
    case GEN_TEXT:
      {
        int group = new_group (g, c, 1, 1);
        const char *ref = new_invoice (g, &style);

        add_line (g, day, amount, p, buried (g, ref), group);
        add_entry (g, day - (guint) book_offset (g), amount, book_name (g, p), book_account (g, p), ref,
                   purpose (g, amount), group);
        break;
      }
    case GEN_NAME:
      {
        int group = new_group (g, c, 1, 1);

        add_line (g, day, amount, p, purpose (g, amount), group);
        add_entry (g, day - (guint) book_offset (g), amount, book_name (g, p), book_account (g, p), NULL,
                   purpose (g, amount), group);
        break;
      }
    case GEN_TWINS:
      {
        Party *q = other_party (g, p);
        int g1 = new_group (g, c, 1, 1);
        int g2 = new_group (g, c, 1, 1);

        add_line (g, day, amount, p, purpose (g, amount), g1);
        add_line (g, day, amount, q, purpose (g, amount), g2);
        add_entry (g, day, amount, book_name (g, q), book_account (g, q), NULL, purpose (g, amount), g2);
        add_entry (g, day, amount, book_name (g, p), book_account (g, p), NULL, purpose (g, amount), g1);
        break;
      }
    case GEN_BATCH:
      {
        guint n = (guint) g_rand_int_range (g->rand, 2, 13);
        int group = new_group (g, c, 1, n);
        g_autofree char *package = g_strdup_printf ("PK%02u%010u", g->account_index, ++g->seq_ref);
        gboolean payroll = !g->english && g_rand_boolean (g->rand);
        gint64 total = 0;
        BankLine *l;

        for (guint i = 0; i < n; i++)
          {
            gint64 part = -(payroll ? 300000 + g_rand_int_range (g->rand, 0, 2000000) : some_amount (g));
            g_autofree char *person = g_strconcat (PICK (g, surnames), PICK (g, given), NULL);
            Party *s = payroll ? NULL : some_party (g);

            total += part;
            add_entry (g, day - (guint) book_offset (g), part, payroll ? person : book_name (g, s),
                       payroll ? NULL : book_account (g, s), package,
                       payroll ? "工资" : purpose (g, part), group);
          }
        if (g->csv || g->english)
          {
            g_autofree char *text = g->english ? g_strdup_printf ("BULK PAYMENT %s", package)
                                               : g_strdup_printf ("%s 资金打包编号:%s", payroll ? "代发工资" : "批量付款", package);
            add_line (g, day, total, NULL, text, group);
          }
        else
          {
            l = add_line (g, day, total, NULL, payroll ? "代发工资" : "批量付款", group);
            l->e2e = g_string_chunk_insert (g->chunk, package);
          }
        break;
      }
    case GEN_INSTALMENTS:
      {
        guint n = (guint) g_rand_int_range (g->rand, 2, 5);
        int group = new_group (g, c, n, 1);
        g_autofree char *contract = g_strdup_printf ("HT2026%02u%05u", g->account_index, ++g->seq_ref);
        gint64 total = ABS (amount) + 100000;
        gint64 rest = total;
        int sign = amount < 0 ? -1 : 1;

        add_entry (g, day, sign * total, book_name (g, p), book_account (g, p), contract,
                   g->english ? "CONTRACT" : "合同款", group);
        for (guint i = 0; i < n; i++)
          {
            gint64 part = i + 1 < n ? total / n : rest;
            g_autofree char *text = g->english ? g_strdup_printf ("CONTRACT %s PART %u", contract, i + 1)
                                               : g_strdup_printf ("合同%s 第%u期", contract, i + 1);
            rest -= part;
            add_line (g, day + i * 7, sign * part, p, text, group);
          }
        break;
      }
    case GEN_CHARGE:
      {
        int group = new_group (g, c, 1, 1);
        const char *ref = new_invoice (g, &style);
        gint64 fee = g_rand_int_range (g->rand, 100, 4500);
        gint64 bank_amount = amount > 0 ? amount - fee : amount - fee;
        BankLine *l;

        if (amount > 0 && amount <= fee)
          bank_amount = amount;    /* too small to bear a fee: a plain match then */
        l = add_line (g, day, bank_amount, p, g->csv ? buried (g, ref) : purpose (g, amount), group);
        if (g->bai2)
          l->cref = (char *) ref;
        else if (!g->csv)
          l->e2e = (char *) ref;
        add_entry (g, day - (guint) book_offset (g), amount, book_name (g, p), book_account (g, p), ref,
                   purpose (g, amount), group);
        break;
      }
    case GEN_BANK_ONLY:
      {
        int v = g_rand_int_range (g->rand, 0, 3);
        if (v == 0)
          add_line (g, day, -g_rand_int_range (g->rand, 500, 20000), NULL, g->english ? "BANK CHARGES" : "手续费", -1);
        else if (v == 1)
          add_line (g, day, g_rand_int_range (g->rand, 100, 500000), NULL, g->english ? "INTEREST" : "利息", -1);
        else
          add_line (g, day, -g_rand_int_range (g->rand, 200, 2000), NULL, g->english ? "SWIFT FEE" : "短信服务费", -1);
        break;
      }
    case GEN_BOOK_ONLY:
      {
        /* booked at month end, not (yet) at the bank */
        int y, m, d;
        TsyDate end;

        /* with cents, so that it does not by chance look like another event's line of the same
         * counterparty (a round amount twice to one counterparty within days would be a match a
         * person makes too, not a false one) */
        amount = amount / 100 * 100 + (amount < 0 ? -1 : 1) * g_rand_int_range (g->rand, 1, 100);
        tsy_date_to_ymd (day, &y, &m, &d);
        end = tsy_date_add_days (tsy_date_from_ymd (m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1), -1);
        add_entry (g, end - (guint) g_rand_int_range (g->rand, 0, 3), amount, book_name (g, p),
                   book_account (g, p), NULL, g->english ? "ACCRUAL" : "暂估", -1);
        break;
      }
    case GEN_LOOKALIKE:
      {
        Party *q = other_party (g, p);

        amount = amount / 100 * 100 + (amount < 0 ? -1 : 1) * g_rand_int_range (g->rand, 1, 100);
        add_line (g, day, amount, p, purpose (g, amount), -1);
        add_entry (g, day, amount, book_name (g, q), book_account (g, q), NULL, purpose (g, amount), -1);
        break;
      }
    case GEN_REPEAT:
      {
        int g1 = new_group (g, c, 1, 1);
        int g2 = new_group (g, c, 1, 1);

        add_line (g, day, amount, p, purpose (g, amount), g1);
        add_line (g, day + 1, amount, p, purpose (g, amount), g2);
        add_entry (g, day + 1, amount, book_name (g, p), NULL, NULL, purpose (g, amount), g1);
        add_entry (g, day + 2, amount, book_name (g, p), NULL, NULL, purpose (g, amount), g2);
        break;
      }
    case GEN_N_CASES:
    default:
      g_assert_not_reached ();
    }
}

static int
cmp_line (gconstpointer a,
          gconstpointer b)
{
  const BankLine *x = a, *y = b;

  return x->date < y->date ? -1 : x->date > y->date;
}

static void
bai2_record (GString *out,
             guint   *records,
             const char *format,
             ...) G_GNUC_PRINTF (3, 4);

static void
bai2_record (GString    *out,
             guint      *records,
             const char *format,
             ...)
{
  va_list args;

  va_start (args, format);
  g_string_append_vprintf (out, format, args);
  va_end (args);
  g_string_append (out, "/\n");
  (*records)++;
}

static void
yymmdd (TsyDate d,
        char   *buf)
{
  int y, m, dd;

  tsy_date_to_ymd (d, &y, &m, &dd);
  g_snprintf (buf, 7, "%02d%02d%02d", y % 100, m, dd);
}

/* BAI2: a file per month, a group (02…98) per day with the account (03…49) in it. */
static gboolean
write_bai2 (Gen        *g,
            const char *dir,
            guint       bank_index,
            gint64     *balance,
            guint       first,
            guint       month_end,
            int         y,
            int         m,
            GError    **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *name = g_strdup_printf ("%s-%s-%04d%02d.%s", banks[bank_index].code, g->account, y, m,
                                           banks[bank_index].ext);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  guint file_records = 0, groups = 0;
  gint64 file_total = 0;
  char date[7];

  yymmdd (g_array_index (g->lines, BankLine, first).date, date);
  bai2_record (out, &file_records, "01,TREASURYDESK,%s,%s,0000,%02u%04d%02d,,,2", banks[bank_index].bic,
               date, g->account_index, y, m);
  for (guint i = first; i < month_end; )
    {
      TsyDate day = g_array_index (g->lines, BankLine, i).date;
      guint j, group_records = 0, account_records = 0;
      gint64 day_sum = 0, account_total;

      for (j = i; j < month_end && g_array_index (g->lines, BankLine, j).date == day; j++)
        day_sum += g_array_index (g->lines, BankLine, j).amount;
      yymmdd (day, date);
      groups++;
      bai2_record (out, &group_records, "02,TREASURYDESK,%s,1,%s,,%s,2", banks[bank_index].bic, date, g->currency);
      bai2_record (out, &account_records, "03,%s,%s,010,%" G_GINT64_FORMAT ",,,015,%" G_GINT64_FORMAT ",,",
                   g->account, g->currency, *balance, *balance + day_sum);
      account_total = *balance + *balance + day_sum;
      for (; i < j; i++)
        {
          const BankLine *l = &g_array_index (g->lines, BankLine, i);
          gint64 a = ABS (l->amount);

          bai2_record (out, &account_records, "16,%s,%" G_GINT64_FORMAT ",Z,%s,%s,%s",
                       l->amount < 0 ? "495" : "195", a, l->ref, l->cref ? l->cref : "",
                       l->text ? l->text : "");
          account_total += a;
        }
      account_records++;
      g_string_append_printf (out, "49,%" G_GINT64_FORMAT ",%u/\n", account_total, account_records);
      group_records += account_records + 1;
      g_string_append_printf (out, "98,%" G_GINT64_FORMAT ",1,%u/\n", account_total, group_records);
      file_records += group_records;
      file_total += account_total;
      *balance += day_sum;
    }
  file_records++;
  g_string_append_printf (out, "99,%" G_GINT64_FORMAT ",%u,%u/\n", file_total, groups, file_records);
  if (!g_file_set_contents (path, out->str, (gssize) out->len, error))
    return FALSE;
  g_ptr_array_add (g->truth->statement_files, g_steal_pointer (&path));
  g_ptr_array_add (g->truth->file_accounts, g_strdup (g->account));
  return TRUE;
}

/* One file per month; MT940 and camt one statement per day, CSV one per month. */
static gboolean
write_statements (Gen                *g,
                  const char         *dir,
                  guint               bank_index,
                  gint64              opening,
                  GError            **error)
{
  const TsyStatementSink *sink = tsy_statement_writer_sink ();
  gint64 balance = opening;
  guint i = 0;

  g_array_sort (g->lines, cmp_line);
  while (i < g->lines->len)
    {
      const BankLine *first = &g_array_index (g->lines, BankLine, i);
      int y, m, d;
      g_autofree char *name = NULL;
      g_autofree char *path = NULL;
      g_autoptr(GFile) file = NULL;
      g_autoptr(GFileOutputStream) out = NULL;
      g_autoptr(TsyStatementWriter) w = NULL;
      TsyStatementHeader h = { 0 };
      guint month_end;
      TsyDate month_first, month_last;
      gint64 month_sum = 0;

      tsy_date_to_ymd (first->date, &y, &m, &d);
      month_first = tsy_date_from_ymd (y, m, 1);
      month_last = tsy_date_add_days (tsy_date_from_ymd (m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1), -1);
      for (month_end = i; month_end < g->lines->len &&
                          g_array_index (g->lines, BankLine, month_end).date <= month_last; month_end++)
        month_sum += g_array_index (g->lines, BankLine, month_end).amount;
      if (g->bai2)
        {
          if (!write_bai2 (g, dir, bank_index, &balance, i, month_end, y, m, error))
            return FALSE;
          i = month_end;
          continue;
        }
      name = g_strdup_printf ("%s-%s-%04d%02d.%s", banks[bank_index].code, g->account, y, m,
                              banks[bank_index].ext);
      path = g_build_filename (dir, name, NULL);
      file = g_file_new_for_path (path);
      out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, error);
      if (out == NULL)
        return FALSE;
      w = tsy_statement_writer_new (banks[bank_index].format, G_OUTPUT_STREAM (out));
      h.account = g->account;
      h.currency = g->currency;
      h.has_opening = TRUE;
      h.has_closing = TRUE;
      if (g->csv)
        {
          h.opening_minor = balance;
          h.opening_date = tsy_date_add_days (month_first, -1);
          h.from_date = month_first;
          h.to_date = month_last;
          h.closing_minor = balance + month_sum;
          h.closing_date = month_last;
          if (!sink->begin_statement (w, &h, error))
            return FALSE;
        }
      while (i < month_end)
        {
          TsyDate day = g_array_index (g->lines, BankLine, i).date;
          guint j;
          gint64 day_sum = 0;
          g_autofree char *stmt_id = NULL;

          for (j = i; j < month_end && g_array_index (g->lines, BankLine, j).date == day; j++)
            day_sum += g_array_index (g->lines, BankLine, j).amount;
          if (!g->csv)
            {
              int yy, mm, dd;
              tsy_date_to_ymd (day, &yy, &mm, &dd);
              stmt_id = g_strdup_printf ("S%02u%04d%02d%02d", g->account_index, yy, mm, dd);
              h.statement_id = stmt_id;
              h.opening_minor = balance;
              h.opening_date = tsy_date_add_days (day, -1);
              h.closing_minor = balance + day_sum;
              h.closing_date = day;
              h.from_date = h.to_date = day;
              if (!sink->begin_statement (w, &h, error))
                return FALSE;
            }
          for (; i < j; i++)
            {
              const BankLine *l = &g_array_index (g->lines, BankLine, i);
              TsyStatementEntry e = { 0 };

              e.booking_date = e.value_date = l->date;
              e.amount_minor = l->amount;
              e.bank_ref = l->ref;
              e.customer_ref = l->cref;
              e.end_to_end_id = l->e2e;
              e.counterparty_name = l->cp;
              e.counterparty_account = l->cp_acct;
              e.text = l->text;
              if (!sink->entry (w, &e, error))
                return FALSE;
            }
          balance += day_sum;
          if (!g->csv && !sink->end_statement (w, &h, error))
            return FALSE;
        }
      if (g->csv && !sink->end_statement (w, &h, error))
        return FALSE;
      if (!tsy_statement_writer_finish (w, error) ||
          !g_output_stream_close (G_OUTPUT_STREAM (out), NULL, error))
        return FALSE;
      g_ptr_array_add (g->truth->statement_files, g_steal_pointer (&path));
      g_ptr_array_add (g->truth->file_accounts, g_strdup (g->account));
    }
  return TRUE;
}

static char *
account_number (guint i)
{
  return g_strdup_printf ("62%02u%012u", i, 880000 + i * 1111);
}

gboolean
tsy_recon_gen_setup (TsyStore                 *store,
                     const TsyReconGenOptions *options,
                     GError                  **error)
{
  if (tsy_org_add (store, "GEN", "华夏控股集团有限公司", NULL, error) == 0)
    return FALSE;
  for (guint b = 0; b < G_N_ELEMENTS (banks); b++)
    if (tsy_bank_add (store, banks[b].code, banks[b].name, banks[b].bic, NULL, NULL, error) == 0)
      return FALSE;
  for (guint i = 0; i < options->n_accounts; i++)
    {
      g_autofree char *number = account_number (i);
      TsyAccountSpec spec = { 0 };

      spec.number = number;
      spec.org_code = "GEN";
      spec.bank_code = banks[i % G_N_ELEMENTS (banks)].code;
      spec.currency = banks[i % G_N_ELEMENTS (banks)].currency;
      spec.type = TSY_ACCOUNT_TYPE_GENERAL;
      spec.local_number = TRUE;
      if (tsy_account_add (store, &spec, error) == 0)
        return FALSE;
    }
  return TRUE;
}

TsyReconGenTruth *
tsy_recon_gen_write (TsyStore                 *store,
                     const TsyReconGenOptions *options,
                     const char               *dir,
                     GError                  **error)
{
  g_autoptr(TsyReconGenTruth) truth = g_new0 (TsyReconGenTruth, 1);
  g_autoptr(GString) book = g_string_new ("id,account,date,amount,currency,counterparty,counterparty_account,reference,memo\n");
  g_autoptr(GRand) rand = g_rand_new_with_seed (options->seed);
  TsyDate end = options->start;
  guint n_days;
  int next_group = 0;

  for (guint m = 0; m < options->months; m++)
    {
      int y, mo, d;
      tsy_date_to_ymd (end, &y, &mo, &d);
      end = tsy_date_from_ymd (mo == 12 ? y + 1 : y, mo == 12 ? 1 : mo + 1, 1);
    }
  end = tsy_date_add_days (end, -1);
  n_days = end - options->start + 1;
  truth->end = end;
  truth->accounts = g_ptr_array_new_with_free_func (g_free);
  truth->statement_files = g_ptr_array_new_with_free_func (g_free);
  truth->file_accounts = g_ptr_array_new_with_free_func (g_free);
  truth->bank_group = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  truth->book_group = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  truth->group_case = g_hash_table_new (g_direct_hash, g_direct_equal);
  truth->book_csv = g_build_filename (dir, "book.csv", NULL);

  for (guint a = 0; a < options->n_accounts; a++)
    {
      guint bank_index = a % G_N_ELEMENTS (banks);
      g_autofree char *number = account_number (a);
      Gen g = { 0 };
      guint target = options->n_bank_lines / options->n_accounts;
      gint64 opening = 100000000 + (gint64) a * 12345678;

      g.rand = rand;
      g.chunk = g_string_chunk_new (1 << 20);
      g.lines = g_array_new (FALSE, FALSE, sizeof (BankLine));
      g.book = book;
      g.parties = g_ptr_array_new_with_free_func (party_free);
      g.account_index = a;
      g.account = number;
      g.currency = banks[bank_index].currency;
      g.english = banks[bank_index].english;
      g.csv = banks[bank_index].format == TSY_WRITER_CSV_GB18030 ||
              banks[bank_index].format == TSY_WRITER_CSV_UTF8;
      g.mt940 = !banks[bank_index].bai2 && banks[bank_index].format == TSY_WRITER_MT940;
      g.bai2 = banks[bank_index].bai2;
      g.csv = g.csv && !g.bai2;
      g.n_days = n_days;
      g.start = options->start;
      g.truth = truth;
      g.next_group = next_group;
      for (guint i = 0; i < MAX (200, target / 30); i++)
        g_ptr_array_add (g.parties, new_party (&g));
      while (g.lines->len < target)
        event (&g, options->start + (TsyDate) g_rand_int_range (rand, 0, (gint32) n_days));

      if (!write_statements (&g, dir, bank_index, opening, error) ||
          !tsy_book_set_opening (store, number, opening, options->start, "bench", error))
        {
          g_string_chunk_free (g.chunk);
          g_array_unref (g.lines);
          g_ptr_array_unref (g.parties);
          return NULL;
        }
      next_group = g.next_group;
      g_ptr_array_add (truth->accounts, g_strdup (number));
      g_string_chunk_free (g.chunk);
      g_array_unref (g.lines);
      g_ptr_array_unref (g.parties);
    }
  if (!g_file_set_contents (truth->book_csv, book->str, (gssize) book->len, error))
    return NULL;
  return g_steal_pointer (&truth);
}

typedef struct
{
  const TsyReconGenTruth *truth;
  TsyReconGenScore       *score;
  GHashTable             *found;    /* group+1 -> pairs found right */
} Eval;

static gboolean
eval_match (const TsyReconMatchRow *row,
            gpointer                user_data)
{
  Eval *ev = user_data;
  gboolean wrong = FALSE;

  ev->score->matches++;
  for (guint i = 0; i < row->n_bank; i++)
    {
      g_autofree char *key = g_strdup_printf ("%s|%s", row->account, row->bank_refs[i]);
      int bg = GPOINTER_TO_INT (g_hash_table_lookup (ev->truth->bank_group, key));

      for (guint j = 0; j < row->n_book; j++)
        {
          int kg = GPOINTER_TO_INT (g_hash_table_lookup (ev->truth->book_group, row->book_ids[j]));

          ev->score->matched_pairs++;
          if (bg != 0 && bg == kg)
            {
              ev->score->correct_pairs++;
              g_hash_table_replace (ev->found, GINT_TO_POINTER (bg),
                                    GINT_TO_POINTER (GPOINTER_TO_INT (g_hash_table_lookup (ev->found, GINT_TO_POINTER (bg))) + 1));
            }
          else
            wrong = TRUE;
        }
    }
  if (wrong)
    {
      ev->score->wrong_matches++;
      if (ev->score->wrong_matches <= 5)
        g_printerr ("wrong match %" G_GINT64_FORMAT " (%s): bank %s… book %s…\n", row->id,
                    tsy_recon_rule_to_string (row->rule), row->bank_refs[0], row->book_ids[0]);
    }
  return TRUE;
}

static gboolean
count_suggestion (const TsyReconMatchRow *row,
                  gpointer                user_data)
{
  ((TsyReconGenScore *) user_data)->suggestions++;
  return TRUE;
}

gboolean
tsy_recon_gen_evaluate (TsyStore               *store,
                        const TsyReconGenTruth *truth,
                        TsyReconGenScore       *score,
                        GError                **error)
{
  g_autoptr(GHashTable) found = g_hash_table_new (g_direct_hash, g_direct_equal);
  Eval ev = { truth, score, found };
  GHashTableIter iter;
  gpointer key, value;

  memset (score, 0, sizeof *score);
  score->true_pairs = truth->true_pairs;
  if (!tsy_recon_foreach_match (store, NULL, eval_match, &ev, error) ||
      !tsy_recon_foreach_suggestion (store, NULL, count_suggestion, score, error))
    return FALSE;
  /* misses by case: the true pairs of each group not found */
  {
    g_hash_table_iter_init (&iter, truth->group_case);
    while (g_hash_table_iter_next (&iter, &key, &value))
      if (!g_hash_table_contains (found, key))
        score->missed_by_case[GPOINTER_TO_INT (value) - 1]++;
  }
  return TRUE;
}
