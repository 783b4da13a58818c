/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tsy-store.h"

G_BEGIN_DECLS

/*
 * Users of the ledger and their roles. Each user has an ECDSA P-256 key pair: the ledger keeps
 * the public key (DER SubjectPublicKeyInfo) and, optionally, the private key sealed with the
 * user's passphrase by banks/tsy-crypto (the ledger only stores those bytes; it never sees a
 * passphrase or a plain key). One key belongs to one user: a second user with the same public
 * key is refused, so that one person cannot count twice under two names.
 */

typedef enum
{
  TSY_ROLE_MAKER      = 1 << 0,   /* makes payment instructions */
  TSY_ROLE_APPROVER   = 1 << 1,   /* approves (signs) them */
  TSY_ROLE_ACCOUNTANT = 1 << 2,   /* statements, reconciliation */
  TSY_ROLE_ADMIN      = 1 << 3,   /* users, policies, channels; may also approve */
} TsyRoles;

#define TSY_ROLES_ALL (TSY_ROLE_MAKER | TSY_ROLE_APPROVER | TSY_ROLE_ACCOUNTANT | TSY_ROLE_ADMIN)

/* "maker", "approver", "accountant", "admin": stable names of the CLI and the database. */
const char *tsy_role_to_string   (TsyRoles    role);
/* Parses one role or a comma-separated list ("approver,admin"). */
gboolean    tsy_roles_parse      (const char *text,
                                  TsyRoles   *out,
                                  GError    **error);
/* Returns: (transfer full): "approver,admin" */
char       *tsy_roles_to_string  (TsyRoles    roles);

typedef struct
{
  gint64    id;
  char     *name;
  TsyRoles  roles;
  GBytes   *public_key;    /* DER SubjectPublicKeyInfo */
  char     *key_id;        /* hex SHA-256 of public_key */
  GBytes   *sealed_key;    /* the sealed private key, or NULL when only the public key is known */
  char     *created_at;    /* UTC ISO 8601 */
  gboolean  active;
} TsyUserInfo;

void         tsy_user_info_free (TsyUserInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsyUserInfo, tsy_user_info_free)

/* Returns: (transfer full): the hex SHA-256 of @public_key, the key's identity. */
char        *tsy_user_key_id    (GBytes     *public_key);

/**
 * tsy_user_add:
 * @name: 1–64 characters: letters (any script), digits, '.', '_', '-'
 * @roles: at least one role
 * @public_key: DER SubjectPublicKeyInfo
 * @sealed_key: (nullable): the private key sealed with the user's passphrase
 * @actor: who does it, for the audit trail
 *
 * Adds a user in its own transaction (audited). Returns its id, 0 on error.
 */
gint64       tsy_user_add       (TsyStore   *store,
                                 const char *name,
                                 TsyRoles    roles,
                                 GBytes     *public_key,
                                 GBytes     *sealed_key,
                                 const char *actor,
                                 GError    **error);
/* Returns: (transfer full): the user, or %NULL with NOT_FOUND. */
TsyUserInfo *tsy_user_lookup    (TsyStore   *store,
                                 const char *name,
                                 GError    **error);
TsyUserInfo *tsy_user_lookup_id (TsyStore   *store,
                                 gint64      id,
                                 GError    **error);
/* Returns: (transfer full) (element-type TsyUserInfo): users by name. */
GPtrArray   *tsy_user_list      (TsyStore   *store,
                                 GError    **error);
/* Checks the user exists, is active and holds one of @roles; DENIED otherwise. */
TsyUserInfo *tsy_user_require   (TsyStore   *store,
                                 const char *name,
                                 TsyRoles    roles,
                                 GError    **error);

G_END_DECLS
