/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ledger/tsy-store.h"

G_BEGIN_DECLS

#define TSY_TYPE_CONNECTIONS_VIEW (tsy_connections_view_get_type ())
G_DECLARE_FINAL_TYPE (TsyConnectionsView, tsy_connections_view, TSY, CONNECTIONS_VIEW, GtkWidget)

/*
 * The bank connections of the Payments page: each bank's channel with its health (kind, open or
 * closed, last success, last error, latency) and a switch that opens or closes it. The switch
 * writes on a worker thread with its own connection; signal "changed" follows every write
 * (also a refused one, shown as a toast) so the owner can query again.
 */
GtkWidget *tsy_connections_view_new          (void);
void       tsy_connections_view_set_store    (TsyConnectionsView *self,
                                              TsyStore           *store);
/* The user named in the audit trail of a switch (NULL: "window"). */
void       tsy_connections_view_set_actor    (TsyConnectionsView *self,
                                              const char         *actor);
/* @channels: (element-type TsyBankChannel): shows these channels. */
void       tsy_connections_view_set_channels (TsyConnectionsView *self,
                                              GPtrArray          *channels);
/* Writes not yet finished. */
guint      tsy_connections_view_get_pending  (TsyConnectionsView *self);

G_END_DECLS
