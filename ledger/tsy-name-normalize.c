/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "tsy-name-normalize.h"

/* Longest first: "股份有限公司" before "有限公司". */
static const char *const cjk_suffixes[] = {
  "股份有限公司", "有限责任公司", "有限公司", "股份公司", "公司",
};

static const char *const ascii_suffix_words[] = {
  "CO", "LTD", "LIMITED", "INC", "INCORPORATED", "CORP", "CORPORATION", "LLC", "PLC", "GMBH",
  "COMPANY", "AG", "SA", "BV",
};

/* Leading places: provinces, municipalities, special regions and the larger cities. */
static const char *const places[] = {
  "中华人民共和国", "中国",
  "内蒙古自治区", "广西壮族自治区", "西藏自治区", "宁夏回族自治区", "新疆维吾尔自治区",
  "香港特别行政区", "澳门特别行政区",
  "北京", "上海", "天津", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江",
  "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州",
  "云南", "陕西", "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港",
  "澳门", "深圳", "广州", "杭州", "南京", "苏州", "武汉", "成都", "西安", "厦门", "宁波",
  "青岛", "大连", "无锡", "东莞", "佛山", "珠海", "长沙", "郑州", "济南", "沈阳", "合肥",
  "福州", "昆明", "南昌", "南宁", "太原", "石家庄", "哈尔滨", "长春", "兰州", "贵阳",
  "海口", "乌鲁木齐", "呼和浩特", "温州", "常州", "南通", "烟台", "泉州", "中山", "惠州",
};

static const char *const place_suffixes[] = { "省", "市", "区", "县" };

/* Folds full-width forms to ASCII; returns 0 for characters that are dropped. */
static gunichar
fold (gunichar c)
{
  if (c >= 0xFF01 && c <= 0xFF5E)
    c -= 0xFEE0;
  else if (c == 0x3000)
    c = ' ';
  if (c < 0x80)
    {
      if (g_ascii_isalnum ((char) c))
        return g_ascii_toupper ((char) c);
      if (c == '(' || c == ')')
        return c;
      return ' ';   /* a word boundary */
    }
  /* CJK and general punctuation, middle dots, brackets: word boundaries */
  if ((c >= 0x3000 && c <= 0x303F) || (c >= 0x2000 && c <= 0x206F) || c == 0x00B7 ||
      (c >= 0xFE30 && c <= 0xFE4F) || g_unichar_isspace (c) || g_unichar_ispunct (c))
    {
      if (c == 0x3010 || c == 0x3014)   /* 【 〔 */
        return '(';
      if (c == 0x3011 || c == 0x3015)
        return ')';
      return ' ';
    }
  return c;
}

static gboolean
ends_with (const GString *s,
           const char    *suffix)
{
  gsize n = strlen (suffix);

  return s->len >= n && memcmp (s->str + s->len - n, suffix, n) == 0;
}

static void
remove_all (GString    *s,
            const char *what)
{
  char *p;
  gsize n = strlen (what);

  while ((p = strstr (s->str, what)) != NULL)
    g_string_erase (s, p - s->str, (gssize) n);
}

char *
tsy_name_normalize (const char *name)
{
  return tsy_name_normalize_full (name, NULL);
}

char *
tsy_name_normalize_full (const char *name,
                         char      **out_place)
{
  g_autoptr(GString) place = g_string_new (NULL);
  g_autoptr(GString) words = NULL;
  g_autoptr(GString) out = NULL;
  g_auto(GStrv) tokens = NULL;
  guint n_tokens;
  gboolean changed;

  if (out_place != NULL)
    *out_place = NULL;
  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    return g_strdup ("");

  /* 1. fold, mark word boundaries with single spaces */
  words = g_string_sized_new (strlen (name) + 1);
  for (const char *p = name; *p; p = g_utf8_next_char (p))
    {
      gunichar c = fold (g_utf8_get_char (p));
      if (c == ' ')
        {
          if (words->len > 0 && words->str[words->len - 1] != ' ')
            g_string_append_c (words, ' ');
        }
      else
        g_string_append_unichar (words, c);
    }
  g_strstrip (words->str);
  g_string_set_size (words, strlen (words->str));

  /* 2. "(股份)" goes entirely; other brackets lose only the bracket characters */
  remove_all (words, "(股份)");
  remove_all (words, "(");
  remove_all (words, ")");

  /* 3. trailing legal-form words (ASCII) */
  tokens = g_strsplit (words->str, " ", -1);
  n_tokens = g_strv_length (tokens);
  do
    {
      changed = FALSE;
      if (n_tokens > 1)
        for (guint i = 0; i < G_N_ELEMENTS (ascii_suffix_words); i++)
          if (strcmp (tokens[n_tokens - 1], ascii_suffix_words[i]) == 0)
            {
              g_free (tokens[n_tokens - 1]);
              tokens[--n_tokens] = NULL;
              changed = TRUE;
              break;
            }
    }
  while (changed);
  out = g_string_sized_new (words->len);
  for (guint i = 0; i < n_tokens; i++)
    g_string_append (out, tokens[i]);

  /* 4. legal-form suffixes (CJK) */
  do
    {
      changed = FALSE;
      for (guint i = 0; i < G_N_ELEMENTS (cjk_suffixes); i++)
        if (ends_with (out, cjk_suffixes[i]) && out->len > strlen (cjk_suffixes[i]))
          {
            g_string_truncate (out, out->len - strlen (cjk_suffixes[i]));
            changed = TRUE;
            break;
          }
    }
  while (changed);

  /* 5. leading places, up to two (广东省深圳市…), when at least two characters remain */
  for (int round = 0; round < 2; round++)
    {
      gboolean stripped = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (places) && !stripped; i++)
        {
          gsize n = strlen (places[i]);
          if (strncmp (out->str, places[i], n) != 0)
            continue;
          for (guint k = 0; k < G_N_ELEMENTS (place_suffixes); k++)
            if (strncmp (out->str + n, place_suffixes[k], strlen (place_suffixes[k])) == 0)
              {
                n += strlen (place_suffixes[k]);
                break;
              }
          if (g_utf8_strlen (out->str + n, -1) >= 2)
            {
              g_string_append_len (place, out->str, (gssize) n);
              g_string_erase (out, 0, (gssize) n);
              stripped = TRUE;
            }
        }
      if (!stripped)
        break;
    }
  if (out_place != NULL)
    *out_place = g_string_free (g_steal_pointer (&place), FALSE);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

gsize
tsy_name_prefix_len (const char *normalized)
{
  gsize len = strlen (normalized);

  if (len == 0)
    return 0;
  if ((guchar) normalized[0] < 0x80)
    return MIN (len, 6);
  {
    const char *p = normalized;
    for (int i = 0; i < 4 && *p; i++)
      p = g_utf8_next_char (p);
    return (gsize) (p - normalized);
  }
}

gboolean
tsy_name_is_short_form (const char *a,
                        const char *b)
{
  gsize la, lb;
  const char *shorter, *longer;
  gsize ls;

  if (a == NULL || b == NULL || *a == '\0' || *b == '\0')
    return FALSE;
  la = strlen (a);
  lb = strlen (b);
  shorter = la <= lb ? a : b;
  longer = la <= lb ? b : a;
  ls = MIN (la, lb);
  if (strncmp (shorter, longer, ls) != 0)
    return FALSE;
  if ((guchar) shorter[0] < 0x80)
    return ls >= 6 || la == lb;
  return g_utf8_strlen (shorter, -1) >= 4 || la == lb;
}

char *
tsy_ref_normalize (const char *ref)
{
  GString *out;

  if (ref == NULL)
    return g_strdup ("");
  out = g_string_sized_new (strlen (ref));
  if (!g_utf8_validate (ref, -1, NULL))
    {
      for (const char *p = ref; *p; p++)
        if (g_ascii_isalnum (*p))
          g_string_append_c (out, g_ascii_toupper (*p));
      return g_string_free (out, FALSE);
    }
  for (const char *p = ref; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (c >= 0xFF01 && c <= 0xFF5E)
        c -= 0xFEE0;
      if (c < 0x80 && g_ascii_isalnum ((char) c))
        g_string_append_c (out, g_ascii_toupper ((char) c));
    }
  return g_string_free (out, FALSE);
}
