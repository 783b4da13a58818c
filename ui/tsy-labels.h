/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "ledger/tsy-bank-channel.h"
#include "ledger/tsy-user.h"

G_BEGIN_DECLS

/* "maker" → "Maker", translated. */
const char *tsy_labels_role         (TsyRoles       role);
/* Returns: (transfer full): the translated names of @roles joined by ", ". */
char       *tsy_labels_roles        (TsyRoles       roles);
/* Returns: (transfer full): an ISO 8601 UTC instant in local time ("2026-11-23 14:05:09"), or
 * a dash for NULL. */
char       *tsy_labels_instant      (const char    *iso);
/* "HTTPS host-to-host", "SFTP", "Folder drop", translated. */
const char *tsy_labels_channel_kind (TsyChannelKind kind);

G_END_DECLS
