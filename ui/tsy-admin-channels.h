/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tsy-admin-session.h"

G_BEGIN_DECLS

#define TSY_TYPE_ADMIN_CHANNELS (tsy_admin_channels_get_type ())
G_DECLARE_FINAL_TYPE (TsyAdminChannels, tsy_admin_channels, TSY, ADMIN_CHANNELS, AdwPreferencesPage)

/*
 * Bank channels: every bank with its channel (kind, URL, files, format, time-outs), whether it
 * is open, and its health (last success and latency, last error); a switch opens or closes a
 * channel, and the "Connect" form sets one through tsy_bank_channel_set(), whose refusals are
 * shown under the form.
 */
void tsy_admin_channels_set_session (TsyAdminChannels *self,
                                     TsyAdminSession  *session);
void tsy_admin_channels_reload      (TsyAdminChannels *self);

G_END_DECLS
