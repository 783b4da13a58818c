/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "tsy-date.h"
#include "tsy-reconcile.h"

G_BEGIN_DECLS

/*
 * The matching engine on compact in-memory arrays (no SQL): tsy-reconcile.c loads an account's
 * book entries and bank lines into it, runs it, and writes what it found.
 *
 *   e = recon_engine_new (&options);
 *   recon_engine_add_book (e, …) for every entry;   recon_engine_index_book (e);
 *   recon_engine_add_bank (e, …) for every line;
 *   recon_engine_run (e);                           matches and suggestions in e->matches / …
 *
 * The book side (add_book, index_book) and the bank side (add_bank) touch separate fields, so
 * two threads may load them at the same time; run() comes after both.
 *
 * Identity of an item inside the engine: its index in e->bank or e->book.
 */

typedef enum
{
  ITEM_FREE,
  ITEM_FIXED,         /* in a confirmed or manual match: never touched */
  ITEM_MATCHED,       /* matched by this run */
  ITEM_CONTESTED,     /* ambiguous in this run: goes to the suggestions */
} ItemState;

typedef struct
{
  gint64   db_id;
  gint64   amount;
  gint64   old_match;     /* auto match in the store before the run (0: none) */
  guint64  name_hash;     /* normalised counterparty, 0 = none */
  guint64  prefix_hash;   /* its first characters (short forms share them) */
  guint64  acct_hash;     /* counterparty account, 0 = none */
  guint32  name_off;      /* into e->names: "name\0place\0"; 0 = none */
  TsyDate  date;
  guint32  mention_off;   /* its text's reference-like windows in e->mentions (book) or
                           * e->bank_windows (bank) */
  guint32  n_mentions;
  gint32   match;         /* index in e->matches, -1 */
  guint8   state;
} ReconItem;

typedef struct
{
  guint64 key;
  guint64 val;
} ReconKV;

typedef struct
{
  ReconKV  *posts;        /* sorted by key; val = index | flags << 32 */
  guint     n_posts;
  guint64  *slot_key;
  guint32  *slot_start;
  guint32  *slot_count;
  guint     mask;
  guint64  *bloom;
  guint     bloom_mask;
} ReconIndex;

typedef struct
{
  guint32 members;        /* offset in the owner's member array: bank indexes, then book */
  guint16 n_bank;
  guint16 n_book;
  guint8  rule;           /* TsyReconRule */
  gint16  score;          /* per mille */
  gint64  charge;         /* book - bank, minor units */
} ReconResult;

typedef struct
{
  TsyReconOptions options;
  gint64          tolerance;      /* charge tolerance of this account's currency */

  GArray         *bank;           /* ReconItem */
  GArray         *book;
  GByteArray     *names;          /* arena of normalised names */
  GHashTable     *name_cache;     /* raw name -> NameInfo */
  GByteArray     *bank_names;     /* the same for the bank side */
  GHashTable     *bank_name_cache;
  GArray         *mentions;       /* guint64 keys of book texts */
  GArray         *bank_windows;   /* guint64 keys of bank texts (probed when the engine runs) */

  GArray         *book_ids;       /* ReconKV: a book reference key -> book index | flags */
  GArray         *bank_ids;       /* ReconKV: a bank reference key -> bank index | flags */
  ReconIndex      book_index;
  ReconIndex      bank_index;

  GArray         *links;          /* ReconKV: (bank << 32 | book) -> evidence */
  GArray         *batches;        /* guint32 triples: bank, start, count in book_index.posts */
  GHashTable     *rejected;       /* (line db id, entry db id) pairs a user unmatched */

  GArray         *matches;        /* ReconResult */
  GArray         *match_members;  /* guint32 */
  GArray         *suggestions;    /* ReconResult */
  GArray         *suggestion_members;

  guint64         n_probes;
} ReconEngine;

ReconEngine *recon_engine_new         (const TsyReconOptions *options,
                                       const char            *currency);
void         recon_engine_free        (ReconEngine *e);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReconEngine, recon_engine_free)

/* Makes room for about @n items of one side before they are added (fewer page faults). */
void         recon_engine_reserve     (ReconEngine *e,
                                       gboolean     bank,
                                       guint        n);
/* Returns the new item's index. Strings may be NULL and need only live during the call. */
guint        recon_engine_add_book    (ReconEngine *e,
                                       gint64       db_id,
                                       TsyDate      date,
                                       gint64       amount,
                                       const char  *counterparty,
                                       const char  *counterparty_account,
                                       const char  *reference,
                                       const char  *memo);
void         recon_engine_index_book  (ReconEngine *e);
guint        recon_engine_add_bank    (ReconEngine *e,
                                       gint64       db_id,
                                       TsyDate      date,
                                       gint64       amount,
                                       const char  *counterparty,
                                       const char  *counterparty_account,
                                       const char  *end_to_end_id,
                                       const char  *customer_ref,
                                       const char  *text);
/* A pair a user unmatched: the engine never matches it again. */
void         recon_engine_reject      (ReconEngine *e,
                                       gint64       line_db_id,
                                       gint64       entry_db_id);
void         recon_engine_run         (ReconEngine *e);

/* Radix sort of (key, val) pairs by key. */
void         recon_sort_kv            (ReconKV *v,
                                       gsize    n);

/* Default tolerance of bank charges in minor units of @currency. */
gint64       recon_charge_tolerance   (const char *currency);
const char  *recon_rule_name          (TsyReconRule rule);
gboolean     recon_rule_from_name     (const char   *name,
                                       TsyReconRule *out);

/* Key hashing shared with tests: the hash of a normalised reference (tsy_ref_normalize()). */
guint64      recon_hash_bytes         (const char *data,
                                       gsize       len);
/* Calls @func for every reference-like window of @text (see tsy-reconcile-engine.c). */
void         recon_text_windows       (const char *text,
                                       void       (*func) (guint64 key, gpointer data),
                                       gpointer    data);

/* ---- shared by tsy-reconcile.c and tsy-reconcile-query.c ---- */

#include "tsy-store.h"

typedef struct
{
  gint64 id;
  char  *number;
  char   currency[4];
} ReconAccount;

void            recon_account_free        (gpointer data);
/* (element-type ReconAccount): @account only, or every account (with a book when
 * @with_book_only), by number. */
GPtrArray      *recon_accounts            (TsyStore       *store,
                                           const char     *account,
                                           gboolean        with_book_only,
                                           GError        **error);
TsyReconStatus  recon_status_from_string  (const char     *text);
TsyReconRule    recon_rule_from_string    (const char     *text);
char           *recon_now_iso             (void);
gint64          recon_insert_match        (TsyStore       *store,
                                           gint64          account_id,
                                           TsyReconStatus  status,
                                           TsyReconRule    rule,
                                           int             score,
                                           gint64          charge,
                                           const char     *at,
                                           const char     *actor,
                                           GError        **error);
gboolean        recon_insert_item         (TsyStore       *store,
                                           gboolean        bank,
                                           gint64          id,
                                           gint64          match_id,
                                           GError        **error);
gboolean        recon_delete_item         (TsyStore       *store,
                                           gboolean        bank,
                                           gint64          id,
                                           GError        **error);

G_END_DECLS
