/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * Keys and signatures (OpenSSL 3; this is the only file of the project that includes OpenSSL).
 *
 * A user's key is ECDSA on P-256. Its private half is only ever stored sealed: scrypt
 * (N = 2^15, r = 8, p = 1, a random salt) turns the passphrase into an AES-256-GCM key that
 * encrypts the PKCS#8 DER; the header and the user's name are authenticated data, so a sealed
 * key copied to another user does not open. Passphrases and plain keys are wiped from memory
 * after use and never written or logged.
 *
 * Approvals are ECDSA signatures (DER) over the 32-byte canonical digest of an instruction
 * (ledger/tsy-payment.h); verification takes the DER SubjectPublicKeyInfo the ledger stores.
 */

typedef struct _TsyKey TsyKey;

/* A passphrase: NUL-terminated text that is wiped when freed. */
typedef char TsySecret;

void       tsy_secret_free              (TsySecret *secret);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsySecret, tsy_secret_free)

/**
 * tsy_crypto_read_passphrase_fd:
 * @fd: a file descriptor opened by the caller (--passphrase-fd N)
 *
 * Reads one line (at most 1,024 bytes, without its newline). Empty is an error.
 * Returns: (transfer full): the passphrase, or %NULL with @error.
 */
TsySecret *tsy_crypto_read_passphrase_fd (int          fd,
                                          GError     **error);
/**
 * tsy_crypto_prompt_passphrase:
 * @prompt: shown on the terminal
 * @confirm: ask twice and require the same answer (for a new key)
 *
 * Asks on the controlling terminal (/dev/tty) with echo off. Fails when there is no terminal.
 * Returns: (transfer full):
 */
TsySecret *tsy_crypto_prompt_passphrase  (const char  *prompt,
                                          gboolean     confirm,
                                          GError     **error);

/* Returns: (transfer full): a new ECDSA P-256 key. */
TsyKey    *tsy_key_generate             (GError     **error);
/**
 * tsy_key_import_pem:
 * @pem: a PEM private key (PKCS#8, encrypted PKCS#8 or SEC1 "EC PRIVATE KEY")
 * @passphrase: (nullable): for an encrypted PEM
 *
 * Returns: (transfer full): the key; SIGNATURE error unless it is an EC P-256 key.
 */
TsyKey    *tsy_key_import_pem           (const char  *pem,
                                         gsize        len,
                                         const char  *passphrase,
                                         GError     **error);
TsyKey    *tsy_key_load_pem_file        (const char  *path,
                                         const char  *passphrase,
                                         GError     **error);
void       tsy_key_free                 (TsyKey      *key);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsyKey, tsy_key_free)

/* Returns: (transfer full): the public key as DER SubjectPublicKeyInfo. */
GBytes    *tsy_key_public_der           (TsyKey      *key);
/* Returns: (transfer full): the public key as PEM text. */
char      *tsy_key_public_pem           (TsyKey      *key);

/**
 * tsy_key_seal:
 * @context: bound into the seal as authenticated data (the user's name)
 *
 * Returns: (transfer full): the sealed private key.
 */
GBytes    *tsy_key_seal                 (TsyKey      *key,
                                         const char  *passphrase,
                                         const char  *context,
                                         GError     **error);
/* PASSPHRASE error when @passphrase (or @context) is not the one it was sealed with. */
TsyKey    *tsy_key_unseal               (GBytes      *sealed,
                                         const char  *passphrase,
                                         const char  *context,
                                         GError     **error);

/* Returns: (transfer full): the DER ECDSA signature of the 32-byte @digest. */
GBytes    *tsy_key_sign_digest          (TsyKey       *key,
                                         const guint8  digest[32],
                                         GError      **error);
/* SHA-256 of @data, then signed. */
GBytes    *tsy_key_sign_data            (TsyKey       *key,
                                         GBytes       *data,
                                         GError      **error);
/* FALSE with a SIGNATURE error unless @signature is @public_der's over @digest. */
gboolean   tsy_crypto_verify_digest     (GBytes       *public_der,
                                         const guint8  digest[32],
                                         GBytes       *signature,
                                         GError      **error);
/* Verifies a signature over SHA-256 (@data) with the public key of a PEM certificate. */
gboolean   tsy_crypto_verify_data_cert  (const char   *cert_pem,
                                         GBytes       *data,
                                         GBytes       *signature,
                                         GError      **error);
/* Returns: (transfer full): the DER public key of a PEM certificate. */
GBytes    *tsy_crypto_cert_public_der   (const char   *cert_pem,
                                         GError      **error);

void       tsy_crypto_sha256            (const void   *data,
                                         gsize         len,
                                         guint8        out[32]);
/* Parses 64 hex digits into 32 bytes. */
gboolean   tsy_crypto_digest_from_hex   (const char   *hex,
                                         guint8        out[32]);

G_END_DECLS
