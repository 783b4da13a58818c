/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tsy-date.h"
#include "tsy-reconcile.h"
#include "tsy-store.h"

G_BEGIN_DECLS

/*
 * What the Reconciliation page shows, as GListModels of GObjects with typed properties: an
 * account's bank lines and book entries side by side (each with its state and the match it is
 * in), its matches and its suggestions. A TsyReconView is a snapshot loaded on a worker thread
 * with its own connection (tsy_recon_view_load_async()); after a change (tsy_reconcile_async(),
 * tsy_recon_match_async(), tsy_recon_unmatch_async(), tsy_recon_accept_suggestion_async()) the
 * page loads a new one. Nothing here runs SQL on the calling thread.
 *
 * Linking items: an item's "match-id" is the "id" of a TsyReconGroup in the matches model; the
 * bank and book items of one match share it. A manual match is made from a selection on both
 * sides: tsy_recon_items_difference() gives the running difference to show while selecting.
 */

typedef enum
{
  TSY_RECON_ITEM_UNMATCHED,
  TSY_RECON_ITEM_SUGGESTED,     /* in at least one suggestion */
  TSY_RECON_ITEM_MATCHED,
} TsyReconItemState;

#define TSY_TYPE_RECON_ITEM (tsy_recon_item_get_type ())
G_DECLARE_FINAL_TYPE (TsyReconItem, tsy_recon_item, TSY, RECON_ITEM, GObject)

/*
 * TsyReconItem properties (read-only): "side" (int, TsyReconSide), "id" (int64: line or entry
 * id), "ref" (the bank reference or the book id), "date" (YYYY-MM-DD), "amount-minor" (int64,
 * signed), "currency", "counterparty", "text" (bank text or book memo), "state" (int,
 * TsyReconItemState), "match-id" (int64, 0 when in no match), "rule" (the match's rule name, or
 * NULL), "score" (int, per mille; 0 when in no match).
 */
TsyReconSide      tsy_recon_item_get_side         (TsyReconItem *self);
gint64            tsy_recon_item_get_id           (TsyReconItem *self);
const char       *tsy_recon_item_get_ref          (TsyReconItem *self);
TsyDate           tsy_recon_item_get_date         (TsyReconItem *self);
gint64            tsy_recon_item_get_amount_minor (TsyReconItem *self);
const char       *tsy_recon_item_get_currency     (TsyReconItem *self);
TsyReconItemState tsy_recon_item_get_state        (TsyReconItem *self);
gint64            tsy_recon_item_get_match_id     (TsyReconItem *self);

#define TSY_TYPE_RECON_GROUP (tsy_recon_group_get_type ())
G_DECLARE_FINAL_TYPE (TsyReconGroup, tsy_recon_group, TSY, RECON_GROUP, GObject)

/*
 * A match or a suggestion. Properties (read-only): "id" (int64: match id, or suggestion id for
 * tsy_recon_accept_suggestion()), "suggestion" (boolean), "status" (int, TsyReconStatus),
 * "rule" (name), "score" (int, per mille), "charge-minor" (int64, book - bank), "currency",
 * "bank-refs" and "book-ids" (GStrv), "bank-sum-minor" and "book-sum-minor" (int64).
 */
gint64              tsy_recon_group_get_id        (TsyReconGroup *self);
gboolean            tsy_recon_group_get_suggestion (TsyReconGroup *self);
TsyReconRule        tsy_recon_group_get_rule      (TsyReconGroup *self);
int                 tsy_recon_group_get_score     (TsyReconGroup *self);
const char * const *tsy_recon_group_get_bank_refs (TsyReconGroup *self);
const char * const *tsy_recon_group_get_book_ids  (TsyReconGroup *self);

#define TSY_TYPE_RECON_VIEW (tsy_recon_view_get_type ())
G_DECLARE_FINAL_TYPE (TsyReconView, tsy_recon_view, TSY, RECON_VIEW, GObject)

/**
 * tsy_recon_view_load_async:
 * @account: an account number
 * @from: (nullable): first date shown (0: open); matches with an item in the period are shown
 * @to: last date shown (0: open)
 *
 * Loads a snapshot on a worker thread with its own connection (file stores only).
 */
void          tsy_recon_view_load_async       (TsyStore           *store,
                                               const char         *account,
                                               TsyDate             from,
                                               TsyDate             to,
                                               GCancellable       *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer            user_data);
/* Returns: (transfer full): the view, or NULL with @error. */
TsyReconView *tsy_recon_view_load_finish      (TsyStore           *store,
                                               GAsyncResult       *result,
                                               GError            **error);
/* The same, blocking (workers, tests). */
TsyReconView *tsy_recon_view_load             (TsyStore           *store,
                                               const char         *account,
                                               TsyDate             from,
                                               TsyDate             to,
                                               GError            **error);

/* Returns: (transfer none): TsyReconItem by date, then id. */
GListModel   *tsy_recon_view_get_bank         (TsyReconView *self);
GListModel   *tsy_recon_view_get_book         (TsyReconView *self);
/* Returns: (transfer none): TsyReconGroup by id. */
GListModel   *tsy_recon_view_get_matches      (TsyReconView *self);
GListModel   *tsy_recon_view_get_suggestions  (TsyReconView *self);
const char   *tsy_recon_view_get_account      (TsyReconView *self);
const char   *tsy_recon_view_get_currency     (TsyReconView *self);

/**
 * tsy_recon_items_difference:
 * @items: (array length=n_items): selected items of both sides
 *
 * The running difference of a manual selection: Σ book - Σ bank (0 when they match; a small
 * positive difference can be a bank charge). FALSE on overflow.
 */
gboolean      tsy_recon_items_difference      (TsyReconItem * const *items,
                                               guint                 n_items,
                                               gint64               *out_difference);

/* Accepts a suggestion on a worker thread; the match id, 0 on error. */
void          tsy_recon_accept_suggestion_async  (TsyStore           *store,
                                                  gint64              suggestion_id,
                                                  const char         *actor,
                                                  GCancellable       *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer            user_data);
gint64        tsy_recon_accept_suggestion_finish (TsyStore           *store,
                                                  GAsyncResult       *result,
                                                  GError            **error);

G_END_DECLS
