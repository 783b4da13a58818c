/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The matching engine: compact arrays, hash indexes of references, sort-merge joins. See
 * tsy-reconcile.h for the rules and tsy-reconcile-private.h for the life cycle.
 *
 * References. A reference field (book reference; bank end-to-end id and customer reference) gives
 * "id keys": the hash of its normalised form (ASCII letters and digits, upper case) when that has
 * at least 5 characters and a digit, plus the hash of the same without its leading letters (the
 * "short prefix": INV2026004512 → 2026004512) when 6 or more characters remain. A text gives
 * "windows": it is cut into segments at characters that are neither ASCII letters, digits nor
 * light separators (space - _ / . : # , +), each segment into atoms (runs of letters or of
 * digits); a window is a run of 1–6 consecutive atoms, 6–40 characters long, holding a digit,
 * starting and ending with a digit atom or a letter atom of at most 4 letters. Its key is the hash
 * of its atoms concatenated, so "PAYMENT FOR INV 2026 004512" yields the keys of INV2026004512
 * and of 2026004512 (among others), which are the keys of the reference "INV-2026-004512".
 *
 * Evidence for a pair: "exact" when a full id key of one side equals a full id key of the other;
 * "text" when any id key of one side equals an id key or a window of the other.
 */
#include <string.h>
#ifdef __linux__
#include <sys/mman.h>
#endif

#include "tsy-money.h"
#include "tsy-name-normalize.h"
#include "tsy-reconcile-private.h"

#define MIN_ID_LEN          5
#define MIN_WINDOW_LEN      6
#define MAX_WINDOW_LEN      40
#define MAX_WINDOW_ATOMS    6
#define MAX_PREFIX_LETTERS  4
#define PAIR_POSTINGS_MAX   16      /* a key shared by more book entries is a group key only */
#define GROUP_MAX           1000    /* largest batch or instalment group considered */
#define JOIN_RUN_MAX        64      /* largest (amount, counterparty) run paired */
#define SUGGEST_MAX         8       /* suggestions per item */
#define DATE_PENALTY_MAX    20

#define FLAG_FULL           (G_GUINT64_CONSTANT (1) << 32)
#define INDEX_OF(v)         ((guint32) ((v) & 0xffffffffu))

enum
{
  EVIDENCE_TEXT = 1,
  EVIDENCE_EXACT = 2,
};

enum
{
  SCORE_REFERENCE = 1000,
  SCORE_REFERENCE_TEXT = 980,
  SCORE_GROUP = 960,
  SCORE_CHARGE = 940,
  SCORE_ACCOUNT = 930,
  SCORE_NAME = 920,
  SCORE_SHORT_NAME = 900,
  PENALTY_NAME_CONFLICT = 30,
};

typedef struct
{
  guint32 off;
  guint64 name_hash;
  guint64 prefix_hash;
} NameInfo;

typedef struct
{
  guint32 b;
  guint32 k;
  gint16  score;
  guint8  rule;
  gint64  charge;
} Cand;

static const char *const rule_names[TSY_RECON_N_RULES] = {
  [TSY_RECON_RULE_REFERENCE] = "reference",
  [TSY_RECON_RULE_REFERENCE_TEXT] = "reference-text",
  [TSY_RECON_RULE_BATCH] = "batch",
  [TSY_RECON_RULE_INSTALMENTS] = "instalments",
  [TSY_RECON_RULE_CHARGE] = "charge",
  [TSY_RECON_RULE_COUNTERPARTY] = "counterparty",
  [TSY_RECON_RULE_MANUAL] = "manual",
};

/* Charge tolerances in major units; the default for others is 50. */
static const struct
{
  const char *currency;
  gint64      major;
} tolerances[] = {
  { "CNY", 200 }, { "HKD", 300 }, { "USD", 50 }, { "EUR", 50 }, { "GBP", 40 }, { "JPY", 6000 },
  { "CHF", 50 }, { "AUD", 80 }, { "CAD", 70 }, { "SGD", 70 }, { "KRW", 70000 },
};

const char *
recon_rule_name (TsyReconRule rule)
{
  g_return_val_if_fail ((guint) rule < TSY_RECON_N_RULES, "manual");
  return rule_names[rule];
}

gboolean
recon_rule_from_name (const char   *name,
                      TsyReconRule *out)
{
  for (guint i = 0; i < TSY_RECON_N_RULES; i++)
    if (g_strcmp0 (name, rule_names[i]) == 0)
      {
        *out = (TsyReconRule) i;
        return TRUE;
      }
  return FALSE;
}

gint64
recon_charge_tolerance (const char *currency)
{
  int exponent = tsy_currency_exponent (currency);
  gint64 major = 50;
  gint64 scale = 1;

  for (guint i = 0; i < G_N_ELEMENTS (tolerances); i++)
    if (g_strcmp0 (currency, tolerances[i].currency) == 0)
      major = tolerances[i].major;
  for (int i = 0; i < MAX (exponent, 0); i++)
    scale *= 10;
  return major * scale;
}

/* ---- hashing ------------------------------------------------------------------------------- */

#define FNV_OFFSET G_GUINT64_CONSTANT (0xcbf29ce484222325)
#define FNV_PRIME  G_GUINT64_CONSTANT (0x100000001b3)

static inline guint64
mix64 (guint64 h)
{
  h ^= h >> 33;
  h *= G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  h ^= h >> 33;
  h *= G_GUINT64_CONSTANT (0xc4ceb9fe1a85ec53);
  h ^= h >> 33;
  return h != 0 ? h : 1;
}

static inline guint64
fnv_feed (guint64     h,
          const char *data,
          gsize       len)
{
  for (gsize i = 0; i < len; i++)
    {
      h ^= (guchar) data[i];
      h *= FNV_PRIME;
    }
  return h;
}

guint64
recon_hash_bytes (const char *data,
                  gsize       len)
{
  return mix64 (fnv_feed (FNV_OFFSET, data, len));
}

/* ---- text windows ------------------------------------------------------------------------- */

typedef struct
{
  guint16 start;
  guint8  len;
  guint8  digit;
} Atom;

enum
{
  CLASS_HARD,
  CLASS_SOFT,
  CLASS_LETTER,
  CLASS_DIGIT,
};

static inline int
classify (gunichar *c)
{
  if (*c >= 0xFF01 && *c <= 0xFF5E)
    *c -= 0xFEE0;
  else if (*c == 0x3000)
    return CLASS_SOFT;
  if (*c >= 0x80)
    return CLASS_HARD;
  if (*c >= '0' && *c <= '9')
    return CLASS_DIGIT;
  if ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z'))
    {
      *c = g_ascii_toupper ((char) *c);
      return CLASS_LETTER;
    }
  switch (*c)
    {
    case ' ': case '-': case '_': case '/': case '.': case ':': case '#': case ',': case '+':
    case '\t':
      return CLASS_SOFT;
    default:
      return CLASS_HARD;
    }
}

static inline gboolean
atom_may_bound (const Atom *a)
{
  return a->digit || a->len <= MAX_PREFIX_LETTERS;
}

static void
emit_windows (const char *buf,
              const Atom *atoms,
              guint       n_atoms,
              void      (*func) (guint64 key, gpointer data),
              gpointer    data)
{
  for (guint s = 0; s < n_atoms; s++)
    {
      guint64 h = FNV_OFFSET;
      guint len = 0;
      gboolean digit = FALSE;

      if (!atom_may_bound (&atoms[s]))
        continue;
      for (guint e = s; e < n_atoms && e < s + MAX_WINDOW_ATOMS; e++)
        {
          h = fnv_feed (h, buf + atoms[e].start, atoms[e].len);
          len += atoms[e].len;
          digit |= atoms[e].digit;
          if (len > MAX_WINDOW_LEN)
            break;
          if (digit && len >= MIN_WINDOW_LEN && atom_may_bound (&atoms[e]))
            func (mix64 (h), data);
        }
    }
}

void
recon_text_windows (const char *text,
                    void      (*func) (guint64 key, gpointer data),
                    gpointer    data)
{
  char buf[512];
  Atom atoms[64];
  guint n_atoms = 0;
  guint blen = 0;
  gboolean open = FALSE;
  const char *p = text;

  if (text == NULL)
    return;
  for (;;)
    {
      gunichar c;
      int cls;

      if (*p == '\0')
        {
          emit_windows (buf, atoms, n_atoms, func, data);
          break;
        }
      if ((guchar) *p < 0x80)
        c = (guchar) *p++;
      else
        {
          c = g_utf8_get_char (p);
          p = g_utf8_next_char (p);
        }
      cls = classify (&c);

      if (cls == CLASS_LETTER || cls == CLASS_DIGIT)
        {
          gboolean digit = cls == CLASS_DIGIT;
          gboolean extend = open && atoms[n_atoms - 1].digit == digit && atoms[n_atoms - 1].len < 255;

          if (blen >= sizeof buf - 1 || (!extend && n_atoms == G_N_ELEMENTS (atoms)))
            {
              /* a pathological segment: flush it and go on */
              emit_windows (buf, atoms, n_atoms, func, data);
              n_atoms = 0;
              blen = 0;
              extend = FALSE;
            }
          if (extend)
            atoms[n_atoms - 1].len++;
          else
            {
              atoms[n_atoms].start = (guint16) blen;
              atoms[n_atoms].len = 1;
              atoms[n_atoms].digit = digit;
              n_atoms++;
            }
          open = TRUE;
          buf[blen++] = (char) c;
        }
      else if (cls == CLASS_SOFT)
        open = FALSE;
      else
        {
          emit_windows (buf, atoms, n_atoms, func, data);
          n_atoms = 0;
          blen = 0;
          open = FALSE;
        }
    }
}

/* Normalised reference into @buf (>= 128 bytes); returns its length (0 when unusable). */
static gsize
normalize_id (const char *ref,
              char       *buf,
              gboolean   *has_digit)
{
  gsize n = 0;

  *has_digit = FALSE;
  if (ref == NULL)
    return 0;
  for (const char *p = ref; *p && n < 127; )
    {
      gunichar c;
      int cls;

      if ((guchar) *p < 0x80)
        c = (guchar) *p++;
      else
        {
          c = g_utf8_get_char (p);
          p = g_utf8_next_char (p);
        }
      cls = classify (&c);
      if (cls == CLASS_LETTER || cls == CLASS_DIGIT)
        {
          buf[n++] = (char) c;
          *has_digit |= cls == CLASS_DIGIT;
        }
    }
  return n;
}

/* Full and prefix-less keys of a reference field. Returns how many (0–2) went into @keys. */
static guint
id_keys (const char *ref,
         guint64    *keys,
         gboolean   *full)
{
  char buf[128];
  gboolean digit;
  gsize n = normalize_id (ref, buf, &digit);
  gsize k = 0;
  guint count = 0;

  if (n < MIN_ID_LEN || !digit)
    return 0;
  keys[count] = recon_hash_bytes (buf, n);
  full[count++] = TRUE;
  while (k < n && g_ascii_isalpha (buf[k]))
    k++;
  if (k > 0 && n - k >= MIN_WINDOW_LEN)
    {
      keys[count] = recon_hash_bytes (buf + k, n - k);
      full[count++] = FALSE;
    }
  return count;
}

/* ---- radix sort of (key, val) ------------------------------------------------------------ */

void
recon_sort_kv (ReconKV *v,
               gsize    n)
{
  g_autofree ReconKV *tmp = NULL;
  gsize counts[8][256];
  ReconKV *src = v, *dst;

  if (n < 2)
    return;
  tmp = g_new (ReconKV, n);
  dst = tmp;
  memset (counts, 0, sizeof counts);
  for (gsize i = 0; i < n; i++)
    for (int b = 0; b < 8; b++)
      counts[b][(v[i].key >> (8 * b)) & 0xff]++;
  for (int b = 0; b < 8; b++)
    {
      gsize pos = 0;
      gboolean trivial = FALSE;

      for (int d = 0; d < 256; d++)
        if (counts[b][d] == n)
          trivial = TRUE;
      if (trivial)
        continue;
      for (int d = 0; d < 256; d++)
        {
          gsize c = counts[b][d];
          counts[b][d] = pos;
          pos += c;
        }
      for (gsize i = 0; i < n; i++)
        dst[counts[b][(src[i].key >> (8 * b)) & 0xff]++] = src[i];
      {
        ReconKV *t = src;
        src = dst;
        dst = t;
      }
    }
  if (src != v)
    memcpy (v, src, n * sizeof *v);
}

/* ---- key index --------------------------------------------------------------------------- */

static void
index_clear (ReconIndex *ix)
{
  g_clear_pointer (&ix->slot_key, g_free);
  g_clear_pointer (&ix->slot_start, g_free);
  g_clear_pointer (&ix->slot_count, g_free);
  g_clear_pointer (&ix->bloom, g_free);
  ix->posts = NULL;
  ix->n_posts = 0;
}

/* Sorts @posts (owned by the caller's array), drops exact duplicates, builds the table. */
static void
index_build (ReconIndex *ix,
             GArray     *posts)
{
  ReconKV *v = (ReconKV *) posts->data;
  gsize n = posts->len, w = 0;
  guint distinct = 0;
  guint cap = 16;
  guint bloom_bits = 1 << 16;

  index_clear (ix);
  recon_sort_kv (v, n);
  for (gsize i = 0; i < n; i++)
    if (w == 0 || v[i].key != v[w - 1].key || v[i].val != v[w - 1].val)
      {
        if (w == 0 || v[i].key != v[w - 1].key)
          distinct++;
        v[w++] = v[i];
      }
  g_array_set_size (posts, w);
  v = (ReconKV *) posts->data;
  ix->posts = v;
  ix->n_posts = (guint) w;
  while (cap < distinct * 2)
    cap <<= 1;
  while (bloom_bits < distinct * 16 && bloom_bits < (1u << 30))
    bloom_bits <<= 1;
  ix->mask = cap - 1;
  ix->slot_key = g_new0 (guint64, cap);
  ix->slot_start = g_new (guint32, cap);
  ix->slot_count = g_new0 (guint32, cap);
  ix->bloom_mask = bloom_bits - 1;
  ix->bloom = g_new0 (guint64, bloom_bits / 64);
  for (gsize i = 0; i < w; )
    {
      gsize j = i;
      guint slot = (guint) (v[i].key & ix->mask);
      guint bit = (guint) ((v[i].key >> 24) & ix->bloom_mask);

      while (j < w && v[j].key == v[i].key)
        j++;
      while (ix->slot_key[slot] != 0)
        slot = (slot + 1) & ix->mask;
      ix->slot_key[slot] = v[i].key;
      ix->slot_start[slot] = (guint32) i;
      ix->slot_count[slot] = (guint32) (j - i);
      ix->bloom[bit >> 6] |= G_GUINT64_CONSTANT (1) << (bit & 63);
      i = j;
    }
}

static inline guint
index_find (const ReconIndex *ix,
            guint64           key,
            guint32          *start)
{
  guint bit;
  guint slot;

  if (ix->slot_key == NULL)
    return 0;
  bit = (guint) ((key >> 24) & ix->bloom_mask);
  if (!(ix->bloom[bit >> 6] & (G_GUINT64_CONSTANT (1) << (bit & 63))))
    return 0;
  for (slot = (guint) (key & ix->mask); ix->slot_key[slot] != 0; slot = (slot + 1) & ix->mask)
    if (ix->slot_key[slot] == key)
      {
        *start = ix->slot_start[slot];
        return ix->slot_count[slot];
      }
  return 0;
}

/* ---- engine life cycle --------------------------------------------------------------------- */

ReconEngine *
recon_engine_new (const TsyReconOptions *options,
                  const char            *currency)
{
  ReconEngine *e = g_new0 (ReconEngine, 1);

  if (options != NULL)
    e->options = *options;
  else
    tsy_recon_options_init (&e->options);
  if (e->options.window_days < 0)
    e->options.window_days = 5;
  if (e->options.ref_window_days < 0)
    e->options.ref_window_days = 62;
  e->tolerance = e->options.charge_tolerance >= 0 ? e->options.charge_tolerance
                                                  : recon_charge_tolerance (currency);
  e->bank = g_array_new (FALSE, FALSE, sizeof (ReconItem));
  e->book = g_array_new (FALSE, FALSE, sizeof (ReconItem));
  e->names = g_byte_array_new ();
  g_byte_array_append (e->names, (const guint8 *) "", 1);   /* offset 0 = no name */
  e->name_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  e->bank_names = g_byte_array_new ();
  g_byte_array_append (e->bank_names, (const guint8 *) "", 1);
  e->bank_name_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  e->mentions = g_array_new (FALSE, FALSE, sizeof (guint64));
  e->bank_windows = g_array_new (FALSE, FALSE, sizeof (guint64));
  e->book_ids = g_array_new (FALSE, FALSE, sizeof (ReconKV));
  e->bank_ids = g_array_new (FALSE, FALSE, sizeof (ReconKV));
  e->links = g_array_new (FALSE, FALSE, sizeof (ReconKV));
  e->batches = g_array_new (FALSE, FALSE, sizeof (guint32));
  e->matches = g_array_new (FALSE, FALSE, sizeof (ReconResult));
  e->match_members = g_array_new (FALSE, FALSE, sizeof (guint32));
  e->suggestions = g_array_new (FALSE, FALSE, sizeof (ReconResult));
  e->suggestion_members = g_array_new (FALSE, FALSE, sizeof (guint32));
  return e;
}

/* Room for @n elements without moving; on Linux the room is asked for in huge pages, since a
 * fault per 4 KiB page of a few hundred MB is a good part of a run on a virtual machine. */
static void
reserve (GArray *a,
         guint   n)
{
  guint len = a->len;

  if (n <= len)
    return;
  g_array_set_size (a, n);      /* not cleared: the pages are not touched yet */
  g_array_set_size (a, len);
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  {
    const guintptr huge = 2 * 1024 * 1024;
    guintptr p = (guintptr) a->data;
    guintptr start = (p + huge - 1) & ~(huge - 1);
    guintptr end = (p + (gsize) n * g_array_get_element_size (a)) & ~(huge - 1);

    if (end > start)
      madvise ((void *) start, end - start, MADV_HUGEPAGE);
  }
#endif
}

void
recon_engine_reserve (ReconEngine *e,
                      gboolean     bank,
                      guint        n)
{
  if (n < 4096)
    return;
  if (bank)
    {
      reserve (e->bank, n);
      reserve (e->bank_windows, n * 4);
      reserve (e->bank_ids, n * 2);
    }
  else
    {
      reserve (e->book, n);
      reserve (e->mentions, n * 2);
      reserve (e->book_ids, n * 2);
    }
}

void
recon_engine_free (ReconEngine *e)
{
  if (e == NULL)
    return;
  index_clear (&e->book_index);
  index_clear (&e->bank_index);
  g_array_unref (e->bank);
  g_array_unref (e->book);
  g_byte_array_unref (e->names);
  g_hash_table_unref (e->name_cache);
  g_byte_array_unref (e->bank_names);
  g_hash_table_unref (e->bank_name_cache);
  g_array_unref (e->mentions);
  g_array_unref (e->bank_windows);
  g_array_unref (e->book_ids);
  g_array_unref (e->bank_ids);
  g_array_unref (e->links);
  g_array_unref (e->batches);
  g_clear_pointer (&e->rejected, g_hash_table_unref);
  g_array_unref (e->matches);
  g_array_unref (e->match_members);
  g_array_unref (e->suggestions);
  g_array_unref (e->suggestion_members);
  g_free (e);
}

/* Each side has its own arena and cache, so that the two sides can be loaded at once. */
static void
set_name (ReconEngine *e,
          ReconItem   *it,
          const char  *name,
          gboolean     bank)
{
  GByteArray *names = bank ? e->bank_names : e->names;
  GHashTable *cache = bank ? e->bank_name_cache : e->name_cache;
  NameInfo *info;

  if (name == NULL || *name == '\0')
    return;
  info = g_hash_table_lookup (cache, name);
  if (info == NULL)
    {
      g_autofree char *place = NULL;
      g_autofree char *norm = tsy_name_normalize_full (name, &place);

      info = g_new0 (NameInfo, 1);
      if (*norm != '\0')
        {
          info->off = names->len;
          g_byte_array_append (names, (const guint8 *) norm, (guint) strlen (norm) + 1);
          g_byte_array_append (names, (const guint8 *) place, (guint) strlen (place) + 1);
          info->name_hash = recon_hash_bytes (norm, strlen (norm));
          info->prefix_hash = recon_hash_bytes (norm, tsy_name_prefix_len (norm));
        }
      g_hash_table_insert (cache, g_strdup (name), info);
    }
  it->name_off = info->off;
  it->name_hash = info->name_hash;
  it->prefix_hash = info->prefix_hash;
}

static guint64
account_hash (const char *account)
{
  char buf[128];
  gboolean digit;
  gsize n = normalize_id (account, buf, &digit);

  return n >= 4 ? recon_hash_bytes (buf, n) : 0;
}

static void
push_mention (guint64  key,
              gpointer data)
{
  g_array_append_val ((GArray *) data, key);
}

static int
cmp_u32 (gconstpointer a,
         gconstpointer b)
{
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;

  return x < y ? -1 : x > y;
}

static int
cmp_u64 (gconstpointer a,
         gconstpointer b)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;

  return x < y ? -1 : x > y;
}

guint
recon_engine_add_book (ReconEngine *e,
                       gint64       db_id,
                       TsyDate      date,
                       gint64       amount,
                       const char  *counterparty,
                       const char  *counterparty_account,
                       const char  *reference,
                       const char  *memo)
{
  ReconItem it = { 0 };
  guint idx = e->book->len;
  guint64 keys[2];
  gboolean full[2];
  guint n;

  it.db_id = db_id;
  it.date = date;
  it.amount = amount;
  it.match = -1;
  set_name (e, &it, counterparty, FALSE);
  it.acct_hash = account_hash (counterparty_account);

  n = id_keys (reference, keys, full);
  for (guint i = 0; i < n; i++)
    {
      ReconKV kv = { keys[i], idx | (full[i] ? FLAG_FULL : 0) };
      g_array_append_val (e->book_ids, kv);
    }
  it.mention_off = e->mentions->len;
  recon_text_windows (reference, push_mention, e->mentions);
  recon_text_windows (memo, push_mention, e->mentions);
  it.n_mentions = e->mentions->len - it.mention_off;
  if (it.n_mentions > 1)
    {
      guint64 *m = &g_array_index (e->mentions, guint64, it.mention_off);
      guint w = 0;

      qsort (m, it.n_mentions, sizeof *m, cmp_u64);
      for (guint i = 0; i < it.n_mentions; i++)
        if (w == 0 || m[i] != m[w - 1])
          m[w++] = m[i];
      g_array_set_size (e->mentions, it.mention_off + w);
      it.n_mentions = w;
    }
  g_array_append_val (e->book, it);
  return idx;
}

void
recon_engine_index_book (ReconEngine *e)
{
  index_build (&e->book_index, e->book_ids);
}

typedef struct
{
  ReconEngine *e;
  guint32      bank;
  guint32      last_batch_start;
} Probe;

static void
add_link (ReconEngine *e,
          guint32      b,
          guint32      k,
          guint64      evidence)
{
  ReconKV kv = { ((guint64) b << 32) | k, evidence };

  g_array_append_val (e->links, kv);
}

static void
probe_book (Probe   *pr,
            guint64  key,
            gboolean exact_side)
{
  ReconEngine *e = pr->e;
  guint32 start = 0;
  guint count;

  e->n_probes++;
  count = index_find (&e->book_index, key, &start);
  if (count == 0)
    return;
  if (count <= PAIR_POSTINGS_MAX)
    for (guint i = 0; i < count; i++)
      {
        guint64 v = e->book_index.posts[start + i].val;
        add_link (e, pr->bank, INDEX_OF (v),
                  exact_side && (v & FLAG_FULL) ? EVIDENCE_EXACT : EVIDENCE_TEXT);
      }
  if (count >= 2 && count <= GROUP_MAX && start != pr->last_batch_start)
    {
      guint32 triple[3] = { pr->bank, start, count };
      g_array_append_vals (e->batches, triple, 3);
      pr->last_batch_start = start;
    }
}

static void
dedupe_u64 (GArray *keys,
            guint   from)
{
  guint64 *m = &g_array_index (keys, guint64, from);
  guint n = keys->len - from, w = 0;

  if (n < 2)
    return;
  qsort (m, n, sizeof *m, cmp_u64);
  for (guint i = 0; i < n; i++)
    if (w == 0 || m[i] != m[w - 1])
      m[w++] = m[i];
  g_array_set_size (keys, from + w);
}

/* The line's references and text windows are kept; they probe the book's index when the
 * engine runs, so that the two sides can be loaded at the same time. */
guint
recon_engine_add_bank (ReconEngine *e,
                       gint64       db_id,
                       TsyDate      date,
                       gint64       amount,
                       const char  *counterparty,
                       const char  *counterparty_account,
                       const char  *end_to_end_id,
                       const char  *customer_ref,
                       const char  *text)
{
  ReconItem it = { 0 };
  guint idx = e->bank->len;
  const char *fields[2] = { end_to_end_id, customer_ref };

  it.db_id = db_id;
  it.date = date;
  it.amount = amount;
  it.match = -1;
  set_name (e, &it, counterparty, TRUE);
  it.acct_hash = account_hash (counterparty_account);
  it.mention_off = e->bank_windows->len;
  for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
    {
      guint64 keys[2];
      gboolean full[2];
      guint n = id_keys (fields[f], keys, full);

      for (guint i = 0; i < n; i++)
        {
          ReconKV kv = { keys[i], idx | (full[i] ? FLAG_FULL : 0) };
          g_array_append_val (e->bank_ids, kv);
        }
      recon_text_windows (fields[f], push_mention, e->bank_windows);
    }
  recon_text_windows (text, push_mention, e->bank_windows);
  dedupe_u64 (e->bank_windows, it.mention_off);
  it.n_mentions = e->bank_windows->len - it.mention_off;
  g_array_append_val (e->bank, it);
  return idx;
}

/* Every bank line's references and windows against the book's index: links and batches. */
static void
probe_book_index (ReconEngine *e)
{
  const ReconKV *ids = (const ReconKV *) e->bank_ids->data;
  const guint64 *w = (const guint64 *) e->bank_windows->data;
  guint j = 0;

  for (guint i = 0; i < e->bank->len; i++)
    {
      const ReconItem *it = &g_array_index (e->bank, ReconItem, i);
      Probe pr = { e, i, G_MAXUINT32 };

      /* e->bank_ids is still in the order the lines came */
      for (; j < e->bank_ids->len && INDEX_OF (ids[j].val) == i; j++)
        probe_book (&pr, ids[j].key, (ids[j].val & FLAG_FULL) != 0);
      for (guint k = 0; k < it->n_mentions; k++)
        probe_book (&pr, w[it->mention_off + k], FALSE);
    }
}

void
recon_engine_reject (ReconEngine *e,
                     gint64       line_db_id,
                     gint64       entry_db_id)
{
  gint64 *key = g_new (gint64, 1);

  if (e->rejected == NULL)
    e->rejected = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  *key = (line_db_id << 32) ^ entry_db_id;
  g_hash_table_add (e->rejected, key);
}

/* ---- running ------------------------------------------------------------------------------- */

#define BANK(e, i) (&g_array_index ((e)->bank, ReconItem, (i)))
#define BOOK(e, i) (&g_array_index ((e)->book, ReconItem, (i)))

static inline gboolean
is_rejected (ReconEngine *e,
             guint32      b,
             guint32      k)
{
  gint64 key;

  if (e->rejected == NULL)
    return FALSE;
  key = (BANK (e, b)->db_id << 32) ^ BOOK (e, k)->db_id;
  return g_hash_table_contains (e->rejected, &key);
}

static inline guint
date_distance (TsyDate a,
               TsyDate b)
{
  return a > b ? a - b : b - a;
}

static inline int
date_penalty (TsyDate a,
              TsyDate b)
{
  return (int) MIN (date_distance (a, b), DATE_PENALTY_MAX);
}

typedef enum
{
  NAMES_UNKNOWN,     /* a side has no counterparty */
  NAMES_CONFLICT,
  NAMES_SHORT,
  NAMES_EQUAL,
  NAMES_ACCOUNT,
} NameAgreement;

/* @a a bank line, @b a book entry */
static NameAgreement
names_agree (ReconEngine     *e,
             const ReconItem *a,
             const ReconItem *b)
{
  const char *na, *nb, *pa, *pb;

  if (a->acct_hash != 0 && a->acct_hash == b->acct_hash)
    return NAMES_ACCOUNT;
  if (a->name_off == 0 || b->name_off == 0)
    return NAMES_UNKNOWN;
  na = (const char *) e->bank_names->data + a->name_off;
  nb = (const char *) e->names->data + b->name_off;
  pa = na + strlen (na) + 1;
  pb = nb + strlen (nb) + 1;
  if (*pa != '\0' && *pb != '\0' && strstr (pa, pb) == NULL && strstr (pb, pa) == NULL)
    return NAMES_CONFLICT;     /* 北京华联 is not 上海华联 */
  if (a->name_hash == b->name_hash && strcmp (na, nb) == 0)
    return NAMES_EQUAL;
  if (a->prefix_hash == b->prefix_hash && tsy_name_is_short_form (na, nb))
    return NAMES_SHORT;
  return NAMES_CONFLICT;
}

static void
add_result (GArray        *results,
            GArray        *members,
            const guint32 *bank,
            guint          n_bank,
            const guint32 *book,
            guint          n_book,
            TsyReconRule   rule,
            int            score,
            gint64         charge)
{
  ReconResult r = { 0 };

  r.members = members->len;
  r.n_bank = (guint16) n_bank;
  r.n_book = (guint16) n_book;
  r.rule = (guint8) rule;
  r.score = (gint16) CLAMP (score, 0, 1000);
  r.charge = charge;
  g_array_append_vals (members, bank, n_bank);
  g_array_append_vals (members, book, n_book);
  g_array_append_val (results, r);
}

static void
accept (ReconEngine   *e,
        const guint32 *bank,
        guint          n_bank,
        const guint32 *book,
        guint          n_book,
        TsyReconRule   rule,
        int            score,
        gint64         charge)
{
  gint32 index = (gint32) e->matches->len;

  add_result (e->matches, e->match_members, bank, n_bank, book, n_book, rule, score, charge);
  for (guint i = 0; i < n_bank; i++)
    {
      BANK (e, bank[i])->state = ITEM_MATCHED;
      BANK (e, bank[i])->match = index;
    }
  for (guint i = 0; i < n_book; i++)
    {
      BOOK (e, book[i])->state = ITEM_MATCHED;
      BOOK (e, book[i])->match = index;
    }
}

/*
 * Decides pairs. @strict: a pair is taken only when it is the only candidate of both its items;
 * otherwise when it is the unique best of both. Pairs not taken whose items stay free and that
 * are best (strict: any) for one of them become suggestions, and their items contested.
 */
static void
resolve_pairs (ReconEngine *e,
               GArray      *cands,
               gboolean     strict,
               guint8      *sugg_bank,
               guint8      *sugg_book)
{
  guint nb = e->bank->len, nk = e->book->len;
  g_autofree gint16 *best_b = g_new (gint16, nb);
  g_autofree gint16 *best_k = g_new (gint16, nk);
  g_autofree guint8 *cnt_b = g_new0 (guint8, nb);
  g_autofree guint8 *cnt_k = g_new0 (guint8, nk);
  Cand *c = (Cand *) cands->data;

  memset (best_b, 0xff, nb * sizeof (gint16));
  memset (best_k, 0xff, nk * sizeof (gint16));
  for (guint i = 0; i < cands->len; i++)
    {
      guint32 b = c[i].b, k = c[i].k;

      if (strict || c[i].score == best_b[b])
        cnt_b[b] = (guint8) MIN (cnt_b[b] + 1, 2);
      else if (c[i].score > best_b[b])
        cnt_b[b] = 1;
      best_b[b] = MAX (best_b[b], c[i].score);
      if (strict || c[i].score == best_k[k])
        cnt_k[k] = (guint8) MIN (cnt_k[k] + 1, 2);
      else if (c[i].score > best_k[k])
        cnt_k[k] = 1;
      best_k[k] = MAX (best_k[k], c[i].score);
    }
  for (guint i = 0; i < cands->len; i++)
    {
      ReconItem *b = BANK (e, c[i].b), *k = BOOK (e, c[i].k);

      if (b->state != ITEM_FREE || k->state != ITEM_FREE)
        continue;
      if (cnt_b[c[i].b] == 1 && cnt_k[c[i].k] == 1 &&
          c[i].score == best_b[c[i].b] && c[i].score == best_k[c[i].k])
        accept (e, &c[i].b, 1, &c[i].k, 1, c[i].rule, c[i].score, c[i].charge);
    }
  for (guint i = 0; i < cands->len; i++)
    {
      ReconItem *b = BANK (e, c[i].b), *k = BOOK (e, c[i].k);

      if (b->state == ITEM_MATCHED || k->state == ITEM_MATCHED ||
          b->state == ITEM_FIXED || k->state == ITEM_FIXED)
        continue;
      if (!strict && c[i].score != best_b[c[i].b] && c[i].score != best_k[c[i].k])
        continue;
      b->state = ITEM_CONTESTED;
      k->state = ITEM_CONTESTED;
      if (sugg_bank[c[i].b] >= SUGGEST_MAX || sugg_book[c[i].k] >= SUGGEST_MAX)
        continue;
      sugg_bank[c[i].b]++;
      sugg_book[c[i].k]++;
      add_result (e->suggestions, e->suggestion_members, &c[i].b, 1, &c[i].k, 1,
                  c[i].rule, c[i].score, c[i].charge);
    }
}

static void
probe_bank_mentions (ReconEngine *e)
{
  index_build (&e->bank_index, e->bank_ids);
  for (guint k = 0; k < e->book->len; k++)
    {
      const ReconItem *it = BOOK (e, k);
      const guint64 *m = &g_array_index (e->mentions, guint64, it->mention_off);

      for (guint i = 0; i < it->n_mentions; i++)
        {
          guint32 start = 0;
          guint count = index_find (&e->bank_index, m[i], &start);

          e->n_probes++;
          if (count == 0 || count > PAIR_POSTINGS_MAX)
            continue;
          for (guint j = 0; j < count; j++)
            add_link (e, INDEX_OF (e->bank_index.posts[start + j].val), k, EVIDENCE_TEXT);
        }
    }
}

/* Sorts links by (bank, book) and keeps the strongest evidence of each pair. */
static void
dedupe_links (ReconEngine *e)
{
  ReconKV *v = (ReconKV *) e->links->data;
  gsize w = 0;

  recon_sort_kv (v, e->links->len);
  for (gsize i = 0; i < e->links->len; i++)
    {
      if (w > 0 && v[w - 1].key == v[i].key)
        v[w - 1].val = MAX (v[w - 1].val, v[i].val);
      else
        v[w++] = v[i];
    }
  g_array_set_size (e->links, w);
}

static inline gboolean
same_sign (gint64 a,
           gint64 b)
{
  return (a > 0 && b > 0) || (a < 0 && b < 0);
}

static void
phase_references (ReconEngine *e,
                  gboolean     charges,
                  guint8      *sugg_bank,
                  guint8      *sugg_book)
{
  g_autoptr(GArray) cands = g_array_new (FALSE, FALSE, sizeof (Cand));
  const ReconKV *v = (const ReconKV *) e->links->data;

  for (guint i = 0; i < e->links->len; i++)
    {
      guint32 bi = (guint32) (v[i].key >> 32), ki = (guint32) v[i].key;
      const ReconItem *b = BANK (e, bi), *k = BOOK (e, ki);
      Cand c = { bi, ki, 0, 0, 0 };
      gint64 diff;
      int score;

      if (b->state != ITEM_FREE || k->state != ITEM_FREE ||
          date_distance (b->date, k->date) > (guint) e->options.ref_window_days)
        continue;
      if (!charges)
        {
          if (b->amount != k->amount)
            continue;
          c.rule = v[i].val == EVIDENCE_EXACT ? TSY_RECON_RULE_REFERENCE : TSY_RECON_RULE_REFERENCE_TEXT;
          score = v[i].val == EVIDENCE_EXACT ? SCORE_REFERENCE : SCORE_REFERENCE_TEXT;
        }
      else
        {
          if (!same_sign (b->amount, k->amount) || __builtin_sub_overflow (k->amount, b->amount, &diff) ||
              diff <= 0 || diff > e->tolerance)
            continue;
          c.rule = TSY_RECON_RULE_CHARGE;
          c.charge = diff;
          score = SCORE_CHARGE;
        }
      if (is_rejected (e, bi, ki))
        continue;
      score -= date_penalty (b->date, k->date);
      if (names_agree (e, b, k) == NAMES_CONFLICT)
        score -= PENALTY_NAME_CONFLICT;
      c.score = (gint16) score;
      g_array_append_val (cands, c);
    }
  resolve_pairs (e, cands, FALSE, sugg_bank, sugg_book);
}

typedef struct
{
  guint32 target;        /* batch: the bank line; instalments: the book entry */
  guint32 members;       /* offset in the group member array */
  guint32 n;
  guint8  rule;
  gint16  score;
} Group;

static gboolean
sum_equals (GArray        *items,
            const guint32 *idx,
            guint          n,
            gint64         target)
{
  gint64 sum = 0;

  for (guint i = 0; i < n; i++)
    if (__builtin_add_overflow (sum, g_array_index (items, ReconItem, idx[i]).amount, &sum))
      return FALSE;
  return sum == target;
}

static void
phase_groups (ReconEngine *e,
              guint8      *sugg_bank,
              guint8      *sugg_book)
{
  g_autoptr(GArray) groups = g_array_new (FALSE, FALSE, sizeof (Group));
  g_autoptr(GArray) members = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autofree guint8 *cnt_b = g_new0 (guint8, e->bank->len);
  g_autofree guint8 *cnt_k = g_new0 (guint8, e->book->len);
  const guint32 *t = (const guint32 *) e->batches->data;
  g_autoptr(GArray) by_book = NULL;


  /* batches: one bank line, a whole package group of book entries; the same group may have
   * been found through several keys (full and short-prefix forms) or several windows */
  g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (ReconKV));
  g_autoptr(GArray) proposals = g_array_sized_new (FALSE, FALSE, sizeof (ReconKV), e->batches->len / 3);

  for (guint i = 0; i + 2 < e->batches->len; i += 3)
    {
      ReconKV kv = { ((guint64) t[i] << 32) | t[i + 1], t[i + 2] };
      g_array_append_val (proposals, kv);
    }
  recon_sort_kv ((ReconKV *) proposals->data, proposals->len);
  for (guint i = 0; i < proposals->len; i++)
    {
      const ReconKV *pk = &g_array_index (proposals, ReconKV, i);
      guint32 bi = (guint32) (pk->key >> 32), start = (guint32) pk->key, count = (guint32) pk->val;
      const ReconItem *b = BANK (e, bi);
      Group g = { bi, members->len, 0, TSY_RECON_RULE_BATCH, 0 };
      guint worst = 0;
      gboolean ok = b->state == ITEM_FREE;

      for (guint j = 0; ok && j < count; j++)
        {
          guint32 ki = INDEX_OF (e->book_index.posts[start + j].val);
          const ReconItem *k = BOOK (e, ki);

          if (k->state != ITEM_FREE || !same_sign (k->amount, b->amount) ||
              date_distance (b->date, k->date) > (guint) e->options.ref_window_days ||
              is_rejected (e, bi, ki))
            ok = FALSE;
          worst = MAX (worst, date_distance (b->date, k->date));
          g_array_append_val (members, ki);
        }
      g.n = members->len - g.members;
      if (!ok || g.n < 2 ||
          !sum_equals (e->book, &g_array_index (members, guint32, g.members), g.n, b->amount))
        {
          g_array_set_size (members, g.members);
          continue;
        }
      g.score = (gint16) (SCORE_GROUP - MIN (worst, DATE_PENALTY_MAX));
      {
        guint32 *m = &g_array_index (members, guint32, g.members);
        ReconKV kv;
        gboolean dup = FALSE;

        qsort (m, g.n, sizeof *m, cmp_u32);
        kv.key = ((guint64) bi << 32) | g.n;
        kv.val = recon_hash_bytes ((const char *) m, g.n * sizeof *m);
        for (guint x = 0; x < seen->len && !dup; x++)
          dup = memcmp (&g_array_index (seen, ReconKV, x), &kv, sizeof kv) == 0;
        if (dup)
          {
            g_array_set_size (members, g.members);
            continue;
          }
        if (seen->len > 0 && (guint32) (g_array_index (seen, ReconKV, 0).key >> 32) != bi)
          g_array_set_size (seen, 0);
        g_array_append_val (seen, kv);
      }
      g_array_append_val (groups, g);
    }

  /* instalments: every bank line citing one book entry, smaller than it and of its sign */
  by_book = g_array_sized_new (FALSE, FALSE, sizeof (ReconKV), e->links->len);
  for (guint i = 0; i < e->links->len; i++)
    {
      const ReconKV *l = &g_array_index (e->links, ReconKV, i);
      ReconKV kv = { (l->key << 32) | (l->key >> 32), 0 };
      g_array_append_val (by_book, kv);
    }
  recon_sort_kv ((ReconKV *) by_book->data, by_book->len);
  for (guint i = 0; i < by_book->len; )
    {
      const ReconKV *v = (const ReconKV *) by_book->data;
      guint32 ki = (guint32) (v[i].key >> 32);
      const ReconItem *k = BOOK (e, ki);
      Group g = { ki, members->len, 0, TSY_RECON_RULE_INSTALMENTS, 0 };
      guint j = i;
      guint worst = 0;
      gboolean ok = k->state == ITEM_FREE;

      while (j < by_book->len && (guint32) (v[j].key >> 32) == ki)
        j++;
      for (guint x = i; ok && x < j; x++)
        {
          guint32 bi = (guint32) v[x].key;
          const ReconItem *b = BANK (e, bi);

          if (b->state != ITEM_FREE || !same_sign (b->amount, k->amount) ||
              (b->amount > 0 ? b->amount >= k->amount : b->amount <= k->amount) ||
              date_distance (b->date, k->date) > (guint) e->options.ref_window_days)
            continue;
          if (is_rejected (e, bi, ki))
            ok = FALSE;
          worst = MAX (worst, date_distance (b->date, k->date));
          g_array_append_val (members, bi);
        }
      g.n = members->len - g.members;
      i = j;
      if (!ok || g.n < 2 || g.n > GROUP_MAX ||
          !sum_equals (e->bank, &g_array_index (members, guint32, g.members), g.n, k->amount))
        {
          g_array_set_size (members, g.members);
          continue;
        }
      g.score = (gint16) (SCORE_GROUP - MIN (worst, DATE_PENALTY_MAX));
      g_array_append_val (groups, g);
    }

  /* a group is taken when none of its items is in another group */
  for (guint i = 0; i < groups->len; i++)
    {
      const Group *g = &g_array_index (groups, Group, i);
      const guint32 *m = &g_array_index (members, guint32, g->members);
      gboolean batch = g->rule == TSY_RECON_RULE_BATCH;
      guint8 *target = batch ? &cnt_b[g->target] : &cnt_k[g->target];

      *target = (guint8) MIN (*target + 1, 2);
      for (guint j = 0; j < g->n; j++)
        {
          guint8 *c = batch ? &cnt_k[m[j]] : &cnt_b[m[j]];
          *c = (guint8) MIN (*c + 1, 2);
        }
    }
  for (guint i = 0; i < groups->len; i++)
    {
      const Group *g = &g_array_index (groups, Group, i);
      const guint32 *m = &g_array_index (members, guint32, g->members);
      gboolean batch = g->rule == TSY_RECON_RULE_BATCH;
      gboolean alone = batch ? cnt_b[g->target] == 1 : cnt_k[g->target] == 1;

      for (guint j = 0; alone && j < g->n; j++)
        alone = (batch ? cnt_k[m[j]] : cnt_b[m[j]]) == 1;
      if (alone)
        {
          if (batch)
            accept (e, &g->target, 1, m, g->n, g->rule, g->score, 0);
          else
            accept (e, m, g->n, &g->target, 1, g->rule, g->score, 0);
          continue;
        }
      if (batch)
        {
          if (sugg_bank[g->target] < SUGGEST_MAX)
            add_result (e->suggestions, e->suggestion_members, &g->target, 1, m, g->n,
                        g->rule, g->score, 0);
          sugg_bank[g->target]++;
          BANK (e, g->target)->state = ITEM_CONTESTED;
          for (guint j = 0; j < g->n; j++)
            BOOK (e, m[j])->state = ITEM_CONTESTED;
        }
      else
        {
          if (sugg_book[g->target] < SUGGEST_MAX)
            add_result (e->suggestions, e->suggestion_members, m, g->n, &g->target, 1,
                        g->rule, g->score, 0);
          sugg_book[g->target]++;
          BOOK (e, g->target)->state = ITEM_CONTESTED;
          for (guint j = 0; j < g->n; j++)
            BANK (e, m[j])->state = ITEM_CONTESTED;
        }
    }
}

/* Counterparty: a sort-merge join on (amount, name prefix) and (amount, account). */
static void
phase_counterparty (ReconEngine *e,
                    guint8      *sugg_bank,
                    guint8      *sugg_book)
{
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (ReconKV));
  g_autoptr(GArray) cands = g_array_new (FALSE, FALSE, sizeof (Cand));
  g_autoptr(GArray) pairs = NULL;
  const guint64 SIDE = G_GUINT64_CONSTANT (1) << 63;
  const guint64 BY_ACCOUNT = G_GUINT64_CONSTANT (1) << 62;
  guint window = (guint) e->options.window_days;

  for (int side = 0; side < 2; side++)
    {
      GArray *items = side == 0 ? e->bank : e->book;
      for (guint i = 0; i < items->len; i++)
        {
          const ReconItem *it = &g_array_index (items, ReconItem, i);
          if (it->state != ITEM_FREE || it->amount == 0)
            continue;
          if (it->name_off != 0)
            {
              ReconKV kv = { mix64 ((guint64) it->amount * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15) ^ it->prefix_hash),
                             i | (side ? SIDE : 0) };
              g_array_append_val (keys, kv);
            }
          if (it->acct_hash != 0)
            {
              ReconKV kv = { mix64 ((guint64) it->amount * G_GUINT64_CONSTANT (0xc2b2ae3d27d4eb4f) ^ it->acct_hash),
                             i | (side ? SIDE : 0) | BY_ACCOUNT };
              g_array_append_val (keys, kv);
            }
        }
    }
  recon_sort_kv ((ReconKV *) keys->data, keys->len);
  for (guint i = 0; i < keys->len; )
    {
      const ReconKV *v = (const ReconKV *) keys->data;
      guint j = i;
      guint n_bank = 0, n_book = 0;

      while (j < keys->len && v[j].key == v[i].key)
        {
          if (v[j].val & SIDE)
            n_book++;
          else
            n_bank++;
          j++;
        }
      if (n_bank > 0 && n_book > 0 && n_bank <= JOIN_RUN_MAX && n_book <= JOIN_RUN_MAX)
        for (guint x = i; x < j; x++)
          {
            const ReconItem *b;

            if (v[x].val & SIDE)
              continue;
            b = BANK (e, INDEX_OF (v[x].val));
            for (guint y = i; y < j; y++)
              {
                const ReconItem *k;
                gboolean by_account = (v[y].val & BY_ACCOUNT) != 0;
                NameAgreement agree;
                Cand c = { INDEX_OF (v[x].val), INDEX_OF (v[y].val), 0,
                           TSY_RECON_RULE_COUNTERPARTY, 0 };
                int score;

                if (!(v[y].val & SIDE) || by_account != ((v[x].val & BY_ACCOUNT) != 0))
                  continue;
                k = BOOK (e, c.k);
                if (k->amount != b->amount || date_distance (b->date, k->date) > window)
                  continue;
                agree = names_agree (e, b, k);
                if (agree == NAMES_ACCOUNT)
                  score = SCORE_ACCOUNT;
                else if (agree == NAMES_EQUAL)
                  score = SCORE_NAME;
                else if (agree == NAMES_SHORT)
                  score = SCORE_SHORT_NAME;
                else
                  continue;
                if (is_rejected (e, c.b, c.k))
                  continue;
                c.score = (gint16) (score - 2 * (int) date_distance (b->date, k->date));
                g_array_append_val (cands, c);
              }
          }
      else if (n_bank > 0 && n_book > 0)
        {
          /* too many alike to tell apart: leave them to a person */
          for (guint x = i; x < j; x++)
            {
              if (v[x].val & SIDE)
                BOOK (e, INDEX_OF (v[x].val))->state = ITEM_CONTESTED;
              else
                BANK (e, INDEX_OF (v[x].val))->state = ITEM_CONTESTED;
            }
        }
      i = j;
    }

  /* one candidate per pair (found by name and by account): keep the best score */
  pairs = g_array_sized_new (FALSE, FALSE, sizeof (ReconKV), cands->len);
  for (guint i = 0; i < cands->len; i++)
    {
      const Cand *c = &g_array_index (cands, Cand, i);
      ReconKV kv = { ((guint64) c->b << 32) | c->k, i };
      g_array_append_val (pairs, kv);
    }
  recon_sort_kv ((ReconKV *) pairs->data, pairs->len);
  {
    g_autoptr(GArray) unique = g_array_sized_new (FALSE, FALSE, sizeof (Cand), cands->len);
    const ReconKV *p = (const ReconKV *) pairs->data;

    for (guint i = 0; i < pairs->len; i++)
      {
        const Cand *c = &g_array_index (cands, Cand, p[i].val);
        if (i > 0 && p[i].key == p[i - 1].key)
          {
            Cand *last = &g_array_index (unique, Cand, unique->len - 1);
            last->score = MAX (last->score, c->score);
            continue;
          }
        g_array_append_val (unique, *c);
      }
    resolve_pairs (e, unique, TRUE, sugg_bank, sugg_book);
  }
}

void
recon_engine_run (ReconEngine *e)
{
  g_autofree guint8 *sugg_bank = g_new0 (guint8, MAX (e->bank->len, 1));
  g_autofree guint8 *sugg_book = g_new0 (guint8, MAX (e->book->len, 1));

  gint64 t0 = g_get_monotonic_time ();

  probe_book_index (e);
  probe_bank_mentions (e);
  dedupe_links (e);
  g_debug ("engine: %" G_GUINT64_FORMAT " probes, %u links in %.2f s", e->n_probes, e->links->len,
           (g_get_monotonic_time () - t0) / 1e6);
  phase_references (e, FALSE, sugg_bank, sugg_book);
  phase_groups (e, sugg_bank, sugg_book);
  phase_references (e, TRUE, sugg_bank, sugg_book);
  g_debug ("engine: references, groups and charges at %.2f s", (g_get_monotonic_time () - t0) / 1e6);
  phase_counterparty (e, sugg_bank, sugg_book);
  g_debug ("engine: counterparty at %.2f s", (g_get_monotonic_time () - t0) / 1e6);
}
