/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Two RtcDtls instances talking in memory, str0m style: progress() either
 * delivers the next datagram in flight or fires the earliest deadline a
 * core reported. A small "netem" drops, duplicates and reorders datagrams.
 *
 * Time: the cores get g_get_monotonic_time() plus a skew the test may
 * advance. OpenSSL 3.0 times retransmissions with its own clock, so firing
 * a retransmission deadline waits (real time) until it is due; the
 * initial timeout is 20 ms so that stays short. The handshake time limit
 * is caller time, and tested by advancing the skew only. */

#pragma once

#include <glib.h>

#include "dtls/rtcdtls.h"

#define FAST_TIMEOUT_MS 20
#define MAX_STEPS 2000
/* No single wait in progress() may be longer than this. */
#define MAX_WAIT_US (3 * G_USEC_PER_SEC)

typedef struct _Pair Pair;

typedef struct
{
  Pair *pair;
  const gchar *name;
  RtcDtls *dtls;
  RtcCertificate *cert;
  RtcDtlsRole role;

  GQueue wire;                  /* GBytes * sent by this peer, in flight */
  guint64 timeout_us;

  guint n_transmitted;
  gsize max_datagram;
  guint n_connected;
  gboolean connected, closed, failed;
  GError *error;
  GPtrArray *received;          /* GBytes * */

  /* netem, applied to what this peer sends */
  guint drop_flights;           /* drop every datagram of the first N flights */
  gboolean duplicate;
  gboolean reverse_flights;
  gdouble loss;
  GRand *rand;
  /* Replaces every datagram sent when set (e.g. to corrupt it); returns
   * NULL to drop. */
  GBytes *(*mangle) (GBytes * pkt, gpointer data);
  gpointer mangle_data;
} Peer;

struct _Pair
{
  Peer l, r;
  gint64 skew;
};

typedef struct
{
  RtcDtlsConfig l, r;
} PairConfig;

typedef gboolean (*Condition) (Pair * pair);

/* Certificates are made first (unless @cfg gives one) so each side can be
 * given the other's fingerprint; @cfg may override any field (fingerprint
 * "" = none). */
Pair *   pair_new_full (RtcDtlsRole l_role, const PairConfig * cfg);
Pair *   pair_new (RtcDtlsRole l_role);
void     pair_start (Pair * pair);
void     pair_free (Pair * pair);
guint64  pair_now (Pair * pair);

Peer *   other (Peer * p);
Peer *   client_of (Pair * pair);
Peer *   server_of (Pair * pair);

/* Takes every output of @p: datagrams onto its wire (through the netem),
 * records into received, events into the flags; asserts the outputs are
 * well-formed and no OpenSSL error is left behind. */
void     drain (Peer * p);
void     deliver_to (Peer * to, GBytes * pkt);
/* One step; FALSE when nothing is in flight and no timer is armed. */
gboolean progress (Pair * pair);
void     run_until (Pair * pair, Condition cond);
gboolean both_connected (Pair * pair);
gboolean both_done (Pair * pair);
gboolean quiet (Pair * pair);

void     send_bytes (Peer * p, const guint8 * data, gsize len);
void     assert_connected (Pair * pair);
/* Application data both ways, checked byte for byte. */
void     assert_data_flows (Pair * pair, gsize len);

/* Hands @p one datagram from outside the pair; @p must not fail. */
void     feed (Peer * p, const guint8 * data, gsize len);
/* A DTLS 1.2 record header followed by @body_len pseudo-random bytes. */
GBytes * fake_record (GRand * rand, guint8 type, guint16 epoch,
                      gsize body_len);
