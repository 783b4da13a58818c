/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Test hooks of the Administration window and its pages (tests/ui/test-admin.c). */

#include "ledger/tsy-bank-channel.h"
#include "ledger/tsy-user.h"
#include "tsy-admin-channels.h"
#include "tsy-admin-policies.h"
#include "tsy-admin-users.h"
#include "tsy-admin-window.h"

G_BEGIN_DECLS

TsyAdminUsers    *tsy_admin_window_get_users_page    (TsyAdminWindow *self);
TsyAdminPolicies *tsy_admin_window_get_policies_page (TsyAdminWindow *self);
TsyAdminChannels *tsy_admin_window_get_channels_page (TsyAdminWindow *self);
const char       *tsy_admin_window_get_page          (TsyAdminWindow *self);
/* Ledger work not yet finished. */
guint             tsy_admin_window_get_pending       (TsyAdminWindow *self);
/* Chooses the acting admin by name; FALSE when not offered. */
gboolean          tsy_admin_window_set_actor         (TsyAdminWindow *self,
                                                      const char     *name);
const char       *tsy_admin_window_get_actor         (TsyAdminWindow *self);

/* Fills the "Add a User" form as typed (@pem_path NULL: make a new key). */
void        tsy_admin_users_fill                 (TsyAdminUsers *self,
                                                  const char    *name,
                                                  TsyRoles       roles,
                                                  const char    *pem_path,
                                                  const char    *passphrase,
                                                  const char    *repeat);
/* As the "Add User" button. */
void        tsy_admin_users_submit               (TsyAdminUsers *self);
/* The inline error under the form, or NULL. */
const char *tsy_admin_users_get_error            (TsyAdminUsers *self);
gboolean    tsy_admin_users_get_passphrases_empty (TsyAdminUsers *self);
/* One "name: roles · key …" line per listed user. Returns: (transfer full) */
char       *tsy_admin_users_get_text             (TsyAdminUsers *self);

/* Selects a unit in the drop-down; FALSE when not listed. */
gboolean    tsy_admin_policies_select_org        (TsyAdminPolicies *self,
                                                  const char       *code);
void        tsy_admin_policies_fill              (TsyAdminPolicies *self,
                                                  const char       *amount,
                                                  const char       *currency,
                                                  guint             approvals,
                                                  TsyRoles          role);
/* As the "Set Band" button. */
void        tsy_admin_policies_submit            (TsyAdminPolicies *self);
const char *tsy_admin_policies_get_error         (TsyAdminPolicies *self);
/* One "Up to …: N approvals (Inherited from X)" line per band shown. Returns: (transfer full) */
char       *tsy_admin_policies_get_text          (TsyAdminPolicies *self);

/* Opens the Connect form on @bank_code and fills it; FALSE when the bank is not listed. */
gboolean    tsy_admin_channels_fill              (TsyAdminChannels *self,
                                                  const char       *bank_code,
                                                  TsyChannelKind    kind,
                                                  const char       *url,
                                                  const char       *cert_file,
                                                  const char       *key_file,
                                                  const char       *ca_file,
                                                  const char       *format,
                                                  const char       *connect_timeout,
                                                  const char       *timeout);
/* As the "Save Channel" button. */
void        tsy_admin_channels_submit            (TsyAdminChannels *self);
const char *tsy_admin_channels_get_error         (TsyAdminChannels *self);
gboolean    tsy_admin_channels_get_form_visible  (TsyAdminChannels *self);
/* As the row's switch. */
void        tsy_admin_channels_set_open          (TsyAdminChannels *self,
                                                  const char       *bank_code,
                                                  gboolean          open);
/* One "CODE: kind · URL [open]" line per bank. Returns: (transfer full) */
char       *tsy_admin_channels_get_text          (TsyAdminChannels *self);

G_END_DECLS
