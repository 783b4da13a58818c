/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The one file that includes OpenSSL (a layering test enforces it). EVP API of OpenSSL 3 only. */
#include <glib/gi18n-lib.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include "tsy-bank-error.h"
#include "tsy-crypto.h"

struct _TsyKey
{
  EVP_PKEY *pkey;
};

/* Seal layout: "TSYK" | version 1 | log2 N | r | p | salt[16] | nonce[12] | ciphertext | tag[16] */
#define SEAL_MAGIC "TSYK"
#define SEAL_VERSION 1
#define SEAL_LOG2_N 15
#define SEAL_R 8
#define SEAL_P 1
#define SALT_LEN 16
#define NONCE_LEN 12
#define TAG_LEN 16
#define HEADER_LEN (4 + 4 + SALT_LEN + NONCE_LEN)
#define MAX_PASSPHRASE 1024

/* The last OpenSSL error as text for g_debug (never for users: it can be cryptic). */
static void
debug_openssl (const char *what)
{
  unsigned long code = ERR_get_error ();
  char buf[256];

  if (code != 0)
    {
      ERR_error_string_n (code, buf, sizeof buf);
      g_debug ("%s: %s", what, buf);
    }
  else
    g_debug ("%s failed", what);
  ERR_clear_error ();
}

static gboolean
fail (GError    **error,
      int         code,
      const char *what,
      const char *message)
{
  debug_openssl (what);
  g_set_error_literal (error, TSY_BANK_ERROR, code, message);
  return FALSE;
}

void
tsy_secret_free (TsySecret *secret)
{
  if (secret == NULL)
    return;
  OPENSSL_cleanse (secret, strlen (secret));
  g_free (secret);
}

/* ---- Passphrases ----------------------------------------------------------------------- */

static TsySecret *
read_line (int      fd,
           GError **error)
{
  char buf[MAX_PASSPHRASE + 1];
  gsize len = 0;
  TsySecret *out;

  for (;;)
    {
      char c;
      ssize_t n = read (fd, &c, 1);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;
          OPENSSL_cleanse (buf, sizeof buf);
          g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_IO,
                       _("Cannot read the passphrase: %s"), g_strerror (saved));
          return NULL;
        }
      if (n == 0 || c == '\n')
        break;
      if (len >= MAX_PASSPHRASE)
        {
          OPENSSL_cleanse (buf, sizeof buf);
          g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PASSPHRASE,
                       _("A passphrase has at most %d bytes"), MAX_PASSPHRASE);
          return NULL;
        }
      buf[len++] = c;
    }
  if (len > 0 && buf[len - 1] == '\r')
    len--;
  if (len == 0)
    {
      g_set_error_literal (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PASSPHRASE,
                           _("The passphrase is empty"));
      return NULL;
    }
  out = g_malloc (len + 1);
  memcpy (out, buf, len);
  out[len] = '\0';
  OPENSSL_cleanse (buf, sizeof buf);
  return out;
}

TsySecret *
tsy_crypto_read_passphrase_fd (int      fd,
                               GError **error)
{
  if (fd < 0)
    {
      g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_IO,
                   _("%d is not a file descriptor"), fd);
      return NULL;
    }
  return read_line (fd, error);
}

static TsySecret *
ask_once (int         tty,
          const char *prompt,
          GError    **error)
{
  struct termios saved, quiet;
  TsySecret *secret;
  gboolean restore;

  if (write (tty, prompt, strlen (prompt)) < 0)
    {
      g_set_error_literal (error, TSY_BANK_ERROR, TSY_BANK_ERROR_IO, _("Cannot write to the terminal"));
      return NULL;
    }
  restore = tcgetattr (tty, &saved) == 0;
  if (restore)
    {
      quiet = saved;
      quiet.c_lflag &= ~(tcflag_t) (ECHO | ECHONL);
      quiet.c_lflag |= ICANON;
      tcsetattr (tty, TCSAFLUSH, &quiet);
    }
  secret = read_line (tty, error);
  if (restore)
    tcsetattr (tty, TCSAFLUSH, &saved);
  if (write (tty, "\n", 1) < 0)
    g_debug ("cannot end the prompt line");
  return secret;
}

TsySecret *
tsy_crypto_prompt_passphrase (const char *prompt,
                              gboolean    confirm,
                              GError    **error)
{
  g_autoptr(TsySecret) first = NULL;
  g_autoptr(TsySecret) second = NULL;
  int tty = open ("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);

  if (tty < 0)
    {
      g_set_error_literal (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PASSPHRASE,
                           _("A passphrase is needed: run this on a terminal, or give --passphrase-fd N"));
      return NULL;
    }
  first = ask_once (tty, prompt, error);
  if (first != NULL && confirm)
    {
      second = ask_once (tty, _("Repeat the passphrase: "), error);
      if (second != NULL && strcmp (first, second) != 0)
        {
          g_set_error_literal (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PASSPHRASE,
                               _("The two passphrases differ"));
          g_clear_pointer (&first, tsy_secret_free);
        }
      else if (second == NULL)
        g_clear_pointer (&first, tsy_secret_free);
    }
  close (tty);
  return g_steal_pointer (&first);
}

/* ---- Keys ------------------------------------------------------------------------------ */

static gboolean
is_p256 (EVP_PKEY *pkey)
{
  char group[64];
  size_t len = 0;

  if (EVP_PKEY_get_base_id (pkey) != EVP_PKEY_EC)
    return FALSE;
  if (!EVP_PKEY_get_group_name (pkey, group, sizeof group, &len))
    return FALSE;
  return strcmp (group, "prime256v1") == 0 || strcmp (group, "P-256") == 0;
}

static TsyKey *
key_wrap (EVP_PKEY *pkey)
{
  TsyKey *key = g_new0 (TsyKey, 1);

  key->pkey = pkey;
  return key;
}

void
tsy_key_free (TsyKey *key)
{
  if (key == NULL)
    return;
  EVP_PKEY_free (key->pkey);
  g_free (key);
}

TsyKey *
tsy_key_generate (GError **error)
{
  EVP_PKEY *pkey = EVP_PKEY_Q_keygen (NULL, NULL, "EC", "P-256");

  if (pkey == NULL)
    {
      fail (error, TSY_BANK_ERROR_SIGNATURE, "keygen", _("Cannot make a new key"));
      return NULL;
    }
  return key_wrap (pkey);
}

static int
read_pem_passphrase_cb (char *buf,
                 int   size,
                 int   rwflag,
                 void *user_data)
{
  const char *pass = user_data;
  size_t len;

  if (pass == NULL)
    return -1;
  len = strlen (pass);
  if (len > (size_t) size)
    return -1;
  memcpy (buf, pass, len);
  return (int) len;
}

TsyKey *
tsy_key_import_pem (const char *pem,
                    gsize       len,
                    const char *passphrase,
                    GError    **error)
{
  BIO *bio;
  EVP_PKEY *pkey;

  g_return_val_if_fail (pem != NULL, NULL);

  if (len > 64 * 1024)
    {
      g_set_error_literal (error, TSY_BANK_ERROR, TSY_BANK_ERROR_SIGNATURE, _("This is not a PEM key"));
      return NULL;
    }
  bio = BIO_new_mem_buf (pem, (int) len);
  pkey = PEM_read_bio_PrivateKey (bio, NULL, read_pem_passphrase_cb, (void *) passphrase);
  BIO_free (bio);
  if (pkey == NULL)
    {
      fail (error, passphrase ? TSY_BANK_ERROR_PASSPHRASE : TSY_BANK_ERROR_SIGNATURE, "PEM key",
            _("This is not a readable PEM private key (or the passphrase is wrong)"));
      return NULL;
    }
  if (!is_p256 (pkey))
    {
      EVP_PKEY_free (pkey);
      g_set_error_literal (error, TSY_BANK_ERROR, TSY_BANK_ERROR_SIGNATURE,
                           _("The key must be an ECDSA key on the P-256 curve"));
      return NULL;
    }
  return key_wrap (pkey);
}

TsyKey *
tsy_key_load_pem_file (const char *path,
                       const char *passphrase,
                       GError    **error)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  TsyKey *key;

  if (!g_file_get_contents (path, &data, &len, error))
    return NULL;
  key = tsy_key_import_pem (data, len, passphrase, error);
  OPENSSL_cleanse (data, len);
  if (key == NULL)
    g_prefix_error (error, "%s: ", path);
  return key;
}

GBytes *
tsy_key_public_der (TsyKey *key)
{
  unsigned char *der = NULL;
  int len;
  GBytes *bytes;

  g_return_val_if_fail (key != NULL, NULL);
  len = i2d_PUBKEY (key->pkey, &der);
  g_return_val_if_fail (len > 0, NULL);
  bytes = g_bytes_new (der, (gsize) len);
  OPENSSL_free (der);
  return bytes;
}

char *
tsy_key_public_pem (TsyKey *key)
{
  BIO *bio = BIO_new (BIO_s_mem ());
  char *data = NULL;
  long len;
  char *out = NULL;

  if (PEM_write_bio_PUBKEY (bio, key->pkey))
    {
      len = BIO_get_mem_data (bio, &data);
      out = g_strndup (data, (gsize) len);
    }
  BIO_free (bio);
  return out;
}

/* scrypt: passphrase + salt → 32-byte AES key. */
static gboolean
derive_key (const char   *passphrase,
            const guint8 *salt,
            guint         log2_n,
            guint         r,
            guint         p,
            guint8        out[32],
            GError      **error)
{
  if (log2_n < 10 || log2_n > 20 || r < 1 || r > 32 || p < 1 || p > 16)
    {
      g_set_error_literal (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PASSPHRASE,
                           _("The sealed key is damaged"));
      return FALSE;
    }
  if (!EVP_PBE_scrypt (passphrase, strlen (passphrase), salt, SALT_LEN, (uint64_t) 1 << log2_n, r, p,
                       (uint64_t) 256 * 1024 * 1024, out, 32))
    return fail (error, TSY_BANK_ERROR_PASSPHRASE, "scrypt", _("Cannot derive a key from the passphrase"));
  return TRUE;
}

/* AES-256-GCM of @in; @encrypt; authenticated data @aad. Returns FALSE on a tag mismatch. */
static gboolean
gcm (gboolean      encrypt,
     const guint8  key[32],
     const guint8  nonce[NONCE_LEN],
     const guint8 *aad,
     gsize         aad_len,
     const guint8 *in,
     gsize         in_len,
     guint8       *out,
     guint8        tag[TAG_LEN])
{
  EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new ();
  int len = 0;
  gboolean ok = ctx != NULL;

  ok = ok && EVP_CipherInit_ex (ctx, EVP_aes_256_gcm (), NULL, NULL, NULL, encrypt ? 1 : 0);
  ok = ok && EVP_CIPHER_CTX_ctrl (ctx, EVP_CTRL_GCM_SET_IVLEN, NONCE_LEN, NULL);
  ok = ok && EVP_CipherInit_ex (ctx, NULL, NULL, key, nonce, encrypt ? 1 : 0);
  ok = ok && EVP_CipherUpdate (ctx, NULL, &len, aad, (int) aad_len);
  ok = ok && EVP_CipherUpdate (ctx, out, &len, in, (int) in_len);
  if (ok && !encrypt)
    ok = EVP_CIPHER_CTX_ctrl (ctx, EVP_CTRL_GCM_SET_TAG, TAG_LEN, tag);
  ok = ok && EVP_CipherFinal_ex (ctx, out + len, &len);
  if (ok && encrypt)
    ok = EVP_CIPHER_CTX_ctrl (ctx, EVP_CTRL_GCM_GET_TAG, TAG_LEN, tag);
  EVP_CIPHER_CTX_free (ctx);
  if (!ok)
    ERR_clear_error ();
  return ok;
}

static GByteArray *
seal_aad (const guint8 *header,
          const char   *context)
{
  GByteArray *aad = g_byte_array_new ();

  g_byte_array_append (aad, header, HEADER_LEN);
  g_byte_array_append (aad, (const guint8 *) (context ? context : ""), (guint) strlen (context ? context : ""));
  return aad;
}

GBytes *
tsy_key_seal (TsyKey     *key,
              const char *passphrase,
              const char *context,
              GError    **error)
{
  PKCS8_PRIV_KEY_INFO *p8 = NULL;
  unsigned char *der = NULL;
  int der_len;
  guint8 aes[32];
  guint8 header[HEADER_LEN];
  g_autoptr(GByteArray) aad = NULL;
  GByteArray *out;
  guint8 tag[TAG_LEN];
  gsize offset;

  g_return_val_if_fail (key != NULL && passphrase != NULL, NULL);

  if (*passphrase == '\0')
    {
      g_set_error_literal (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PASSPHRASE, _("The passphrase is empty"));
      return NULL;
    }
  memcpy (header, SEAL_MAGIC, 4);
  header[4] = SEAL_VERSION;
  header[5] = SEAL_LOG2_N;
  header[6] = SEAL_R;
  header[7] = SEAL_P;
  if (RAND_bytes (header + 8, SALT_LEN + NONCE_LEN) != 1)
    {
      fail (error, TSY_BANK_ERROR_SIGNATURE, "RAND_bytes", _("No random numbers available"));
      return NULL;
    }
  if (!derive_key (passphrase, header + 8, SEAL_LOG2_N, SEAL_R, SEAL_P, aes, error))
    return NULL;

  p8 = EVP_PKEY2PKCS8 (key->pkey);
  der_len = p8 ? i2d_PKCS8_PRIV_KEY_INFO (p8, &der) : -1;
  PKCS8_PRIV_KEY_INFO_free (p8);
  if (der_len <= 0)
    {
      OPENSSL_cleanse (aes, sizeof aes);
      fail (error, TSY_BANK_ERROR_SIGNATURE, "PKCS8", _("Cannot seal the key"));
      return NULL;
    }

  aad = seal_aad (header, context);
  out = g_byte_array_sized_new (HEADER_LEN + (guint) der_len + TAG_LEN);
  g_byte_array_append (out, header, HEADER_LEN);
  offset = out->len;
  g_byte_array_set_size (out, out->len + (guint) der_len);
  if (!gcm (TRUE, aes, header + 8 + SALT_LEN, aad->data, aad->len, der, (gsize) der_len,
            out->data + offset, tag))
    {
      OPENSSL_cleanse (aes, sizeof aes);
      OPENSSL_clear_free (der, (size_t) der_len);
      g_byte_array_unref (out);
      g_set_error_literal (error, TSY_BANK_ERROR, TSY_BANK_ERROR_SIGNATURE, _("Cannot seal the key"));
      return NULL;
    }
  g_byte_array_append (out, tag, TAG_LEN);
  OPENSSL_cleanse (aes, sizeof aes);
  OPENSSL_clear_free (der, (size_t) der_len);
  return g_byte_array_free_to_bytes (out);
}

TsyKey *
tsy_key_unseal (GBytes     *sealed,
                const char *passphrase,
                const char *context,
                GError    **error)
{
  gsize len = 0;
  const guint8 *data;
  g_autoptr(GByteArray) aad = NULL;
  guint8 aes[32];
  guint8 tag[TAG_LEN];
  guint8 *plain;
  gsize plain_len;
  const unsigned char *p;
  PKCS8_PRIV_KEY_INFO *p8;
  EVP_PKEY *pkey;

  g_return_val_if_fail (sealed != NULL && passphrase != NULL, NULL);

  data = g_bytes_get_data (sealed, &len);
  if (len < HEADER_LEN + TAG_LEN + 16 || memcmp (data, SEAL_MAGIC, 4) != 0 || data[4] != SEAL_VERSION)
    {
      g_set_error_literal (error, TSY_BANK_ERROR, TSY_BANK_ERROR_SIGNATURE, _("The sealed key is damaged"));
      return NULL;
    }
  if (!derive_key (passphrase, data + 8, data[5], data[6], data[7], aes, error))
    return NULL;
  aad = seal_aad (data, context);
  plain_len = len - HEADER_LEN - TAG_LEN;
  plain = g_malloc (plain_len + 16);
  memcpy (tag, data + len - TAG_LEN, TAG_LEN);
  if (!gcm (FALSE, aes, data + 8 + SALT_LEN, aad->data, aad->len, data + HEADER_LEN, plain_len,
            plain, tag))
    {
      OPENSSL_cleanse (aes, sizeof aes);
      OPENSSL_cleanse (plain, plain_len);
      g_free (plain);
      g_set_error_literal (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PASSPHRASE,
                           _("The passphrase is wrong"));
      return NULL;
    }
  OPENSSL_cleanse (aes, sizeof aes);
  p = plain;
  p8 = d2i_PKCS8_PRIV_KEY_INFO (NULL, &p, (long) plain_len);
  pkey = p8 ? EVP_PKCS82PKEY (p8) : NULL;
  PKCS8_PRIV_KEY_INFO_free (p8);
  OPENSSL_cleanse (plain, plain_len);
  g_free (plain);
  if (pkey == NULL || !is_p256 (pkey))
    {
      EVP_PKEY_free (pkey);
      fail (error, TSY_BANK_ERROR_SIGNATURE, "unseal", _("The sealed key is damaged"));
      return NULL;
    }
  return key_wrap (pkey);
}

/* ---- Signatures ------------------------------------------------------------------------ */

GBytes *
tsy_key_sign_digest (TsyKey       *key,
                     const guint8  digest[32],
                     GError      **error)
{
  EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new (key->pkey, NULL);
  size_t len = 0;
  guint8 *sig = NULL;
  gboolean ok;
  GBytes *out = NULL;

  ok = ctx != NULL && EVP_PKEY_sign_init (ctx) > 0 &&
       EVP_PKEY_CTX_set_signature_md (ctx, EVP_sha256 ()) > 0 &&
       EVP_PKEY_sign (ctx, NULL, &len, digest, 32) > 0;
  if (ok)
    {
      sig = g_malloc (len);
      ok = EVP_PKEY_sign (ctx, sig, &len, digest, 32) > 0;
    }
  EVP_PKEY_CTX_free (ctx);
  if (ok)
    out = g_bytes_new (sig, len);
  else
    fail (error, TSY_BANK_ERROR_SIGNATURE, "sign", _("Cannot sign"));
  g_free (sig);
  return out;
}

void
tsy_crypto_sha256 (const void *data,
                   gsize       len,
                   guint8      out[32])
{
  unsigned int n = 32;

  if (!EVP_Digest (data, len, out, &n, EVP_sha256 (), NULL))
    g_error ("SHA-256 is not available");
}

GBytes *
tsy_key_sign_data (TsyKey  *key,
                   GBytes  *data,
                   GError **error)
{
  guint8 digest[32];
  gsize len = 0;
  gconstpointer bytes = g_bytes_get_data (data, &len);

  tsy_crypto_sha256 (bytes, len, digest);
  return tsy_key_sign_digest (key, digest, error);
}

static gboolean
verify_with (EVP_PKEY     *pkey,
             const guint8  digest[32],
             GBytes       *signature,
             GError      **error)
{
  EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new (pkey, NULL);
  gsize sig_len = 0;
  const guint8 *sig = g_bytes_get_data (signature, &sig_len);
  int rc = -1;

  if (ctx != NULL && EVP_PKEY_verify_init (ctx) > 0 &&
      EVP_PKEY_CTX_set_signature_md (ctx, EVP_sha256 ()) > 0)
    rc = EVP_PKEY_verify (ctx, sig, sig_len, digest, 32);
  EVP_PKEY_CTX_free (ctx);
  if (rc == 1)
    return TRUE;
  return fail (error, TSY_BANK_ERROR_SIGNATURE, "verify", _("The signature does not verify"));
}

gboolean
tsy_crypto_verify_digest (GBytes       *public_der,
                          const guint8  digest[32],
                          GBytes       *signature,
                          GError      **error)
{
  gsize len = 0;
  const unsigned char *p;
  EVP_PKEY *pkey;
  gboolean ok;

  g_return_val_if_fail (public_der != NULL && signature != NULL, FALSE);

  p = g_bytes_get_data (public_der, &len);
  pkey = d2i_PUBKEY (NULL, &p, (long) len);
  if (pkey == NULL || !is_p256 (pkey))
    {
      EVP_PKEY_free (pkey);
      return fail (error, TSY_BANK_ERROR_SIGNATURE, "public key", _("The public key is unusable"));
    }
  ok = verify_with (pkey, digest, signature, error);
  EVP_PKEY_free (pkey);
  return ok;
}

static X509 *
read_cert (const char *cert_pem,
           GError    **error)
{
  BIO *bio = BIO_new_mem_buf (cert_pem, -1);
  X509 *cert = PEM_read_bio_X509 (bio, NULL, NULL, NULL);

  BIO_free (bio);
  if (cert == NULL)
    fail (error, TSY_BANK_ERROR_SIGNATURE, "certificate", _("The certificate is unreadable"));
  return cert;
}

gboolean
tsy_crypto_verify_data_cert (const char *cert_pem,
                             GBytes     *data,
                             GBytes     *signature,
                             GError    **error)
{
  X509 *cert;
  guint8 digest[32];
  gsize len = 0;
  gconstpointer bytes;
  gboolean ok;

  g_return_val_if_fail (cert_pem != NULL && data != NULL && signature != NULL, FALSE);

  cert = read_cert (cert_pem, error);
  if (cert == NULL)
    return FALSE;
  bytes = g_bytes_get_data (data, &len);
  tsy_crypto_sha256 (bytes, len, digest);
  ok = verify_with (X509_get0_pubkey (cert), digest, signature, error);
  X509_free (cert);
  return ok;
}

GBytes *
tsy_crypto_cert_public_der (const char *cert_pem,
                            GError    **error)
{
  X509 *cert = read_cert (cert_pem, error);
  unsigned char *der = NULL;
  int len;
  GBytes *out = NULL;

  if (cert == NULL)
    return NULL;
  len = i2d_PUBKEY (X509_get0_pubkey (cert), &der);
  if (len > 0)
    out = g_bytes_new (der, (gsize) len);
  OPENSSL_free (der);
  X509_free (cert);
  return out;
}

gboolean
tsy_crypto_digest_from_hex (const char *hex,
                            guint8      out[32])
{
  if (hex == NULL || strlen (hex) != 64)
    return FALSE;
  for (guint i = 0; i < 32; i++)
    {
      int hi = g_ascii_xdigit_value (hex[2 * i]);
      int lo = g_ascii_xdigit_value (hex[2 * i + 1]);
      if (hi < 0 || lo < 0)
        return FALSE;
      out[i] = (guint8) (hi << 4 | lo);
    }
  return TRUE;
}
