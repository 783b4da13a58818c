/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "banks/tsy-bank-connector.h"
#include "banks/tsy-http-transport.h"

G_BEGIN_DECLS

/**
 * tsy_https_connector_new_with_transport:
 * @channel: an https channel: its URL, client certificate, key (also the signing key) and CA
 * @transport: performs the exchanges (tsy_https_connector_new() uses tsy_curl_transport_new())
 *
 * The https connector over any transport: a replay of recorded exchanges in tests.
 *
 * Returns: (transfer full): the connector, or %NULL with @error (no https:// URL, no key, a key
 *   that does not load).
 */
TsyBankConnector *tsy_https_connector_new_with_transport (const TsyBankChannel *channel,
                                                          TsyHttpTransport     *transport,
                                                          GError              **error);

G_END_DECLS
