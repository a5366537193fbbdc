/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* A live call (audio, video and a data channel) receives forged DTLS,
 * SRTP, SRTCP and STUN datagrams and garbage from the peer's own address
 * and port, as an attacker on the path (or one spoofing the peer's
 * address) can send them, and keeps playing with no reconnect: the
 * connection never leaves "connected", media and messages keep flowing,
 * and DTLS is not renegotiated. */

#include <string.h>
#include "call-channel.h"

#define TIMEOUT 20
#define FRAMES 20
#define AUDIO 20

typedef struct
{
  GMutex lock;
  guint left_connected;         /* connection-state changes away from it */
} Watch;

static void
on_connection_state (GstElement * pc, GParamSpec * pspec, Watch * w)
{
  GstWebRTCPeerConnectionState state;

  g_object_get (pc, "connection-state", &state, NULL);
  g_mutex_lock (&w->lock);
  if (state != GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTED)
    w->left_connected++;
  g_mutex_unlock (&w->lock);
}

/* ---- what an attacker sends ---- */

static void
random_bytes (GRand * rand, guint8 * buf, gsize len)
{
  gsize i;

  for (i = 0; i < len; i++)
    buf[i] = g_rand_int (rand);
}

/* DTLS 1.2 records of every content type worth trying, at the epochs an
 * association has or could have, with bodies around the sizes an AEAD
 * record cannot be shorter than; some datagrams hold several records. */
static void
inject_dtls (Call * call, guint i, GRand * rand)
{
  static const guint8 types[] = { 20, 21, 22, 23, 24, 0, 255 };
  static const guint16 epochs[] = { 0, 1, 2, 0xffff };
  static const gsize bodies[] = { 0, 1, 2, 8, 15, 16, 17, 23, 24, 25, 40,
    200, 1100
  };
  guint8 buf[1400];
  guint t, e, b, k;

  for (t = 0; t < G_N_ELEMENTS (types); t++) {
    for (e = 0; e < G_N_ELEMENTS (epochs); e++) {
      for (b = 0; b < G_N_ELEMENTS (bodies); b++) {
        gsize len = 13 + bodies[b];

        random_bytes (rand, buf, len);
        buf[0] = types[t];
        buf[1] = 0xfe;
        buf[2] = 0xfd;
        buf[3] = epochs[e] >> 8;
        buf[4] = epochs[e] & 0xff;
        buf[11] = bodies[b] >> 8;
        buf[12] = bodies[b] & 0xff;
        call_relay_inject (call, i, buf, len);
      }
    }
  }
  /* Three short records in one datagram, then one with a length that
   * runs past the datagram's end. */
  for (k = 0; k < 50; k++) {
    gsize off = 0;

    random_bytes (rand, buf, 3 * 14);
    for (b = 0; b < 3; b++, off += 14) {
      buf[off] = types[g_rand_int_range (rand, 0, 4)];
      buf[off + 1] = 0xfe;
      buf[off + 2] = 0xfd;
      buf[off + 3] = 0;
      buf[off + 4] = g_rand_int_range (rand, 0, 3);
      buf[off + 11] = 0;
      buf[off + 12] = 1;
    }
    call_relay_inject (call, i, buf, off);
    buf[12] = 200;
    call_relay_inject (call, i, buf, 20);
  }
}

/* SRTP and SRTCP with the SSRCs the peer really receives (they are in
 * the clear on the wire), sequence numbers far ahead, and bodies and
 * tags that cannot authenticate. */
static void
inject_srtp (Call * call, guint i, GRand * rand, const guint32 * ssrcs,
    guint n_ssrcs)
{
  guint8 buf[1200];
  guint k;

  for (k = 0; k < 400; k++) {
    guint32 ssrc = n_ssrcs ? ssrcs[k % n_ssrcs] : g_rand_int (rand);
    gsize len = g_rand_int_range (rand, 12, sizeof (buf));

    random_bytes (rand, buf, len);
    if (k % 2 == 0) {
      /* RTP: version 2, payload types the call uses */
      buf[0] = 0x80;
      buf[1] = (k % 4 == 0) ? 96 : 111;
      GST_WRITE_UINT32_BE (buf + 8, ssrc);
    } else {
      /* RTCP: SR, RR, SDES, BYE, APP (RFC 5761 range) */
      buf[0] = 0x80 | (k % 3);
      buf[1] = 200 + (k % 5);
      GST_WRITE_UINT16_BE (buf + 2, (len / 4) - 1);
      GST_WRITE_UINT32_BE (buf + 4, ssrc);
    }
    call_relay_inject (call, i, buf, len);
  }
}

static guint32
crc32_ieee (const guint8 * data, gsize len)
{
  guint32 crc = 0xffffffff;
  gsize i;
  guint b;

  for (i = 0; i < len; i++) {
    crc ^= data[i];
    for (b = 0; b < 8; b++)
      crc = (crc >> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc;
}

/* Appends a STUN attribute; returns the new length. */
static gsize
stun_attr (guint8 * msg, gsize len, guint16 type, const guint8 * value,
    guint16 value_len)
{
  GST_WRITE_UINT16_BE (msg + len, type);
  GST_WRITE_UINT16_BE (msg + len + 2, value_len);
  memcpy (msg + len + 4, value, value_len);
  len += 4 + value_len;
  while (len % 4)
    msg[len++] = 0;
  return len;
}

/* A STUN message of @type carrying the real USERNAME (it is in the clear
 * in every connectivity check), ICE attributes that would change roles or
 * nominate a pair, a MESSAGE-INTEGRITY made without the password and a
 * correct FINGERPRINT, so that it reaches the integrity check. */
static gsize
forge_stun (guint8 * msg, guint16 type, const gchar * username, GRand * rand)
{
  guint8 value[32];
  gsize len = 20;
  guint32 crc;

  GST_WRITE_UINT16_BE (msg, type);
  GST_WRITE_UINT32_BE (msg + 4, 0x2112a442);
  random_bytes (rand, msg + 8, 12);
  if (username)
    len = stun_attr (msg, len, 0x0006, (const guint8 *) username,
        strlen (username));
  random_bytes (rand, value, 8);
  len = stun_attr (msg, len, 0x802a, value, 8);     /* ICE-CONTROLLING */
  len = stun_attr (msg, len, 0x0025, value, 0);     /* USE-CANDIDATE */
  GST_WRITE_UINT32_BE (value, 0x6e0001ff);
  len = stun_attr (msg, len, 0x0024, value, 4);     /* PRIORITY */
  random_bytes (rand, value, 20);
  GST_WRITE_UINT16_BE (msg + 2, len + 24 - 20);
  len = stun_attr (msg, len, 0x0008, value, 20);    /* MESSAGE-INTEGRITY */
  GST_WRITE_UINT16_BE (msg + 2, len + 8 - 20);
  crc = crc32_ieee (msg, len) ^ 0x5354554e;
  GST_WRITE_UINT32_BE (value, crc);
  len = stun_attr (msg, len, 0x8028, value, 4);     /* FINGERPRINT */
  return len;
}

static void
inject_stun (Call * call, guint i, GRand * rand, const gchar * username)
{
  /* binding request, success response, error response, indication */
  static const guint16 types[] = { 0x0001, 0x0101, 0x0111, 0x0011 };
  guint8 msg[512];
  guint k;

  for (k = 0; k < 200; k++) {
    gsize len = forge_stun (msg, types[k % 4], k % 8 < 4 ? username : NULL,
        rand);

    if (k % 10 == 9)
      len = g_rand_int_range (rand, 1, len);    /* truncated */
    call_relay_inject (call, i, msg, len);
  }
}

static void
inject_garbage (Call * call, guint i, GRand * rand)
{
  guint8 buf[1300];
  guint k;

  for (k = 0; k < 512; k++) {
    gsize len = g_rand_int_range (rand, 1, sizeof (buf));

    random_bytes (rand, buf, len);
    /* every first-byte class of RFC 7983 */
    buf[0] = k % 256;
    call_relay_inject (call, i, buf, len);
  }
}

/* ---- what the peers know ---- */

typedef struct
{
  guint32 ssrc[8];
  guint n;
  guint64 retransmissions;
  guint64 discarded;            /* packets-discarded-on-receive */
  guint64 dtls_dropped;         /* dtls-records-dropped */
} PeerFacts;

static gboolean
collect (GQuark field, const GValue * value, gpointer user_data)
{
  PeerFacts *f = user_data;
  const GstStructure *s;
  GstWebRTCStatsType type;
  guint ssrc;
  guint64 n;

  if (!GST_VALUE_HOLDS_STRUCTURE (value))
    return TRUE;
  s = gst_value_get_structure (value);
  if (!gst_structure_get (s, "type", GST_TYPE_WEBRTC_STATS_TYPE, &type, NULL))
    return TRUE;
  if (type == GST_WEBRTC_STATS_INBOUND_RTP &&
      gst_structure_get_uint (s, "ssrc", &ssrc) && f->n < G_N_ELEMENTS (f->ssrc))
    f->ssrc[f->n++] = ssrc;
  if (type == GST_WEBRTC_STATS_TRANSPORT &&
      gst_structure_get_uint64 (s, "dtls-retransmissions", &n))
    f->retransmissions += n;
  if (type == GST_WEBRTC_STATS_TRANSPORT &&
      gst_structure_get_uint64 (s, "packets-discarded-on-receive", &n))
    f->discarded += n;
  if (type == GST_WEBRTC_STATS_TRANSPORT &&
      gst_structure_get_uint64 (s, "dtls-records-dropped", &n))
    f->dtls_dropped += n;
  return TRUE;
}

static void
peer_facts (GstElement * pc, PeerFacts * f)
{
  GstPromise *p = gst_promise_new ();

  memset (f, 0, sizeof (*f));
  g_signal_emit_by_name (pc, "get-stats", NULL, p);
  fail_unless (gst_promise_wait (p) == GST_PROMISE_RESULT_REPLIED);
  gst_structure_foreach (gst_promise_get_reply (p), collect, f);
  gst_promise_unref (p);
}

/* "<ufrag of peer @i>:<ufrag of the other>": what the other peer's checks
 * towards @i carry. */
static gchar *
check_username (Call * call, guint i)
{
  GstWebRTCSessionDescription *to = i == call->last_offerer ?
      call->last_offer : call->last_answer;
  GstWebRTCSessionDescription *from = i == call->last_offerer ?
      call->last_answer : call->last_offer;
  const gchar *a = gst_sdp_media_get_attribute_val (gst_sdp_message_get_media
      (to->sdp, 0), "ice-ufrag");
  const gchar *b = gst_sdp_media_get_attribute_val (gst_sdp_message_get_media
      (from->sdp, 0), "ice-ufrag");

  fail_unless (a && b);
  return g_strdup_printf ("%s:%s", a, b);
}

GST_START_TEST (test_forged_datagrams_during_call)
{
  Call *call = call_new ("rtcpeerbin", "rtcpeerbin", TRUE);
  CallChannel *ch;
  Watch w = { 0, };
  PeerFacts before[2], after[2];
  GRand *rand = g_rand_new_with_seed (2026);
  gint video[2], audio[2];
  guint i;

  g_mutex_init (&w.lock);
  call->bundle_policy = GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE;
  ch = call_channel_new (call);
  call_start (call);
  fail_unless (call_wait_media (call, FRAMES, AUDIO, TIMEOUT));
  fail_unless (call_channel_exchange (ch, "before-0", "before-1", TIMEOUT));
  for (i = 0; i < 2; i++) {
    peer_facts (call->peer[i].pc, &before[i]);
    fail_unless (before[i].n > 0, "peer %u receives no RTP stream", i);
    g_signal_connect (call->peer[i].pc, "notify::connection-state",
        G_CALLBACK (on_connection_state), &w);
  }

  for (i = 0; i < 2; i++) {
    gchar *username = check_username (call, i);

    inject_dtls (call, i, rand);
    inject_srtp (call, i, rand, before[i].ssrc, before[i].n);
    inject_stun (call, i, rand, username);
    inject_garbage (call, i, rand);
    g_free (username);
  }

  for (i = 0; i < 2; i++) {
    video[i] = g_atomic_int_get (&call->peer[i].video_frames);
    audio[i] = g_atomic_int_get (&call->peer[i].audio_buffers);
  }
  fail_unless (call_wait_media (call, MAX (video[0], video[1]) + FRAMES,
          MAX (audio[0], audio[1]) + AUDIO, TIMEOUT),
      "media stopped after the forged datagrams");
  fail_unless (call_channel_exchange (ch, "after-0", "after-1", TIMEOUT),
      "the data channel stopped after the forged datagrams");
  for (i = 0; i < 2; i++) {
    fail_unless (call_wait_property (call, call->peer[i].pc,
            "connection-state", GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTED,
            1));
    peer_facts (call->peer[i].pc, &after[i]);
    /* They did arrive (the SRTP forgeries fail authentication)... */
    fail_unless (after[i].discarded >= before[i].discarded + 100,
        "peer %u discarded only %" G_GUINT64_FORMAT " forged packets", i,
        after[i].discarded - before[i].discarded);
    /* The forged records never reached OpenSSL: the screen took them
     * (what OpenSSL would do with them depends on its version). */
    fail_unless (after[i].dtls_dropped >= before[i].dtls_dropped + 300,
        "peer %u's DTLS screen dropped only %" G_GUINT64_FORMAT " records",
        i, after[i].dtls_dropped - before[i].dtls_dropped);
    /* ...and there was no new handshake, not even a resent flight. */
    fail_unless_equals_uint64 (after[i].retransmissions,
        before[i].retransmissions);
  }
  g_mutex_lock (&w.lock);
  fail_unless_equals_int (w.left_connected, 0);
  g_mutex_unlock (&w.lock);

  for (i = 0; i < 2; i++)
    g_signal_handlers_disconnect_by_data (call->peer[i].pc, &w);
  call_channel_free (ch);
  call_free (call);
  g_mutex_clear (&w.lock);
  g_rand_free (rand);
}

GST_END_TEST;

static Suite *
forged_suite (void)
{
  Suite *s = suite_create ("forged");
  TCase *tc = tcase_create ("forged");

  tcase_set_timeout (tc, 300);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_forged_datagrams_during_call);
  return s;
}

GST_CHECK_MAIN (forged);
