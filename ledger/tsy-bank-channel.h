/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tsy-store.h"

G_BEGIN_DECLS

/*
 * How the group reaches each bank (`treasury bank connect`), and the channel's health. The
 * ledger keeps paths to the certificate, key and CA files, never their content: the private
 * key of the TLS client certificate stays a file only its owner reads.
 */

typedef enum
{
  TSY_CHANNEL_HTTPS,
  TSY_CHANNEL_SFTP,
  TSY_CHANNEL_FOLDER,
} TsyChannelKind;

const char *tsy_channel_kind_to_string   (TsyChannelKind kind);
gboolean    tsy_channel_kind_from_string (const char *text, TsyChannelKind *out);

/* A time-out typed in seconds, "10" or "2.5" (at most 3 decimals, under 100000 s), to
 * milliseconds without floating point; INVALID otherwise. And back: 10000 → "10", 2500 → "2.500". */
gboolean    tsy_channel_seconds_parse    (const char *text, guint *out_ms, GError **error);
char       *tsy_channel_seconds_format   (guint ms);

typedef struct
{
  gint64          bank_id;
  char           *bank_code;
  TsyChannelKind  kind;
  char           *url;                 /* https://host:port/base, sftp://..., or a folder */
  char           *cert_file;           /* client certificate (PEM), https */
  char           *key_file;            /* its private key (PEM); sftp: our SSH private key */
  char           *ca_file;             /* the bank's CA, pinned: nothing else is trusted;
                                        * sftp: the bank's known_hosts file (host key pinned) */
  char           *format;              /* "pain.001.001.09" or "pain.001.001.03" */
  guint           connect_timeout_ms;
  guint           timeout_ms;
  gboolean        is_open;             /* closed channels send nothing */
  char           *last_success_at;     /* UTC ISO 8601, or NULL */
  char           *last_error_at;
  char           *last_error;
  gint            latency_ms;          /* of the last success; -1 unknown */
} TsyBankChannel;

void            tsy_bank_channel_free   (TsyBankChannel *channel);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsyBankChannel, tsy_bank_channel_free)

/* Sets (adds or replaces) the channel of @channel->bank_code; health is kept. Audited. */
gboolean        tsy_bank_channel_set    (TsyStore             *store,
                                         const TsyBankChannel *channel,
                                         const char           *actor,
                                         GError              **error);
/* Returns: (transfer full): NOT_FOUND when the bank has no channel. */
TsyBankChannel *tsy_bank_channel_lookup (TsyStore   *store,
                                         const char *bank_code,
                                         GError    **error);
TsyBankChannel *tsy_bank_channel_lookup_id (TsyStore *store,
                                            gint64    bank_id,
                                            GError  **error);
/* Returns: (transfer full) (element-type TsyBankChannel): by bank code. */
GPtrArray      *tsy_bank_channel_list   (TsyStore   *store,
                                         GError    **error);
/* Closes or reopens a channel. Audited. */
gboolean        tsy_bank_channel_set_open (TsyStore   *store,
                                           const char *bank_code,
                                           gboolean    open,
                                           const char *actor,
                                           GError    **error);
/* Records the outcome of one exchange: @error_text NULL for a success taking @latency_ms. */
gboolean        tsy_bank_channel_record (TsyStore   *store,
                                         gint64      bank_id,
                                         guint       latency_ms,
                                         const char *error_text,
                                         GError    **error);

G_END_DECLS
