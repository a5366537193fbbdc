/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* What the DTLS fuzz targets share: two fixed certificates (made once per
 * process), endpoints that know each other's fingerprint, and a loop that
 * runs a handshake in memory. Time is a counter: nothing is lost, so no
 * retransmission timer is ever needed. */

#pragma once

#include <glib.h>

#include "dtls/rtcdtls.h"

G_BEGIN_DECLS

typedef struct
{
  RtcDtls *dtls;
  const gchar *name;
  GQueue wire;                  /* GBytes *: datagrams it sent */
  GByteArray *last_received;    /* the last application record */
  guint n_transmitted, n_received, n_events;
  gboolean connected, closed, failed;
} FuzzPeer;

/* Splits a fuzz input into datagrams: [flags][length: 2 bytes, big
 * endian][that many bytes] again and again; a short last one takes what
 * is left. FALSE when none is left. */
typedef struct
{
  const guint8 *data;
  gsize left;
} FuzzReader;

gboolean           fuzz_reader_next (FuzzReader * r, guint8 * flags,
                                     const guint8 ** datagram, gsize * len);

guint64            fuzz_now (void);
void               fuzz_peer_init (FuzzPeer * p, RtcDtlsRole role);
void               fuzz_peer_clear (FuzzPeer * p);
/* Takes every output of @p; aborts on a malformed one. */
void               fuzz_peer_drain (FuzzPeer * p);
/* Hands @to every datagram on @from's wire. */
void               fuzz_peer_deliver (FuzzPeer * from, FuzzPeer * to);
/* Starts both and delivers until both are CONNECTED; FALSE if they do
 * not get there. */
gboolean           fuzz_handshake (FuzzPeer * client, FuzzPeer * server);

G_END_DECLS
