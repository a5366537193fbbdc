/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Behaviour of the SRTP core between two endpoints: round trips, replay
 * and tamper rejection, malformed input, sequence-number rollover, and
 * keying from a DTLS-SRTP exporter block. Known answers are in
 * test-srtp-kat.c. */

#include <string.h>

#include "srtp/rtcsrtp.h"

static const RtcSrtpProfile all_profiles[] = {
  RTC_SRTP_PROFILE_AES128_CM_SHA1_80,
  RTC_SRTP_PROFILE_AES128_CM_SHA1_32,
  RTC_SRTP_PROFILE_AEAD_AES_128_GCM,
  RTC_SRTP_PROFILE_AEAD_AES_256_GCM,
};

#define KEY_SALT_MAX (RTC_SRTP_MAX_KEY_LEN + RTC_SRTP_MAX_SALT_LEN)

/* Two endpoints with mirrored keys: A sends with ka and receives with kb,
 * B the other way round. */
typedef struct
{
  RtcSrtpProfile profile;
  guint8 ka[KEY_SALT_MAX];
  guint8 kb[KEY_SALT_MAX];
  RtcSrtpSession *a;
  RtcSrtpSession *b;
} Pair;

static void
pair_init (Pair * p, RtcSrtpProfile profile)
{
  GError *error = NULL;
  guint i;

  p->profile = profile;
  for (i = 0; i < KEY_SALT_MAX; i++) {
    p->ka[i] = (guint8) (0x10 + i);
    p->kb[i] = (guint8) (0xf0 - 3 * i);
  }
  p->a = rtc_srtp_session_new (profile, p->ka, p->kb, &error);
  g_assert_no_error (error);
  p->b = rtc_srtp_session_new (profile, p->kb, p->ka, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rtc_srtp_session_get_profile (p->a), ==, profile);
}

static void
pair_clear (Pair * p)
{
  rtc_srtp_session_free (p->a);
  rtc_srtp_session_free (p->b);
}

static void
put_be32 (guint8 * p, guint32 v)
{
  p[0] = v >> 24;
  p[1] = v >> 16;
  p[2] = v >> 8;
  p[3] = v;
}

/* RTP with @ncsrc CSRCs and, if @ext_words > 0, a one-byte-header
 * extension (RFC 8285) of that many words; the payload carries @seed so a
 * receiver can check it got the right packet. */
static gsize
make_rtp_full (guint8 * buf, guint16 seq, guint32 ssrc, guint ncsrc,
    guint ext_words, guint32 seed, gsize payload_len)
{
  gsize off = 12, i;

  buf[0] = 0x80 | (ext_words ? 0x10 : 0) | ncsrc;
  buf[1] = 96;
  buf[2] = seq >> 8;
  buf[3] = seq & 0xff;
  put_be32 (buf + 4, seq * 3000u);
  put_be32 (buf + 8, ssrc);
  for (i = 0; i < ncsrc; i++, off += 4)
    put_be32 (buf + off, 0xc5c00000 + i);
  if (ext_words) {
    buf[off++] = 0xbe;
    buf[off++] = 0xde;
    buf[off++] = 0;
    buf[off++] = ext_words;
    for (i = 0; i < 4 * ext_words; i++)
      buf[off++] = (guint8) (0x20 + i);
  }
  for (i = 0; i < payload_len; i++)
    buf[off + i] = (guint8) ((seed >> (8 * (i % 4))) + i);
  return off + payload_len;
}

static gsize
make_rtp (guint8 * buf, guint16 seq, guint32 ssrc, guint32 seed)
{
  return make_rtp_full (buf, seq, ssrc, 0, 0, seed, 160);
}

/* Receiver report (RFC 3550 section 6.4.2) with one report block. */
static gsize
make_rtcp_rr (guint8 * buf, guint32 ssrc, guint32 seed)
{
  guint i;

  buf[0] = 0x81;
  buf[1] = 201;
  buf[2] = 0;
  buf[3] = 7;
  put_be32 (buf + 4, ssrc);
  for (i = 8; i < 32; i++)
    buf[i] = (guint8) (seed + i);
  return 32;
}

static void
protect_rtp (RtcSrtpSession * s, guint8 * buf, gsize * len, gsize size)
{
  GError *error = NULL;

  g_assert_true (rtc_srtp_protect_rtp (s, buf, len, size, &error));
  g_assert_no_error (error);
}

static void
unprotect_rtp (RtcSrtpSession * s, guint8 * buf, gsize * len)
{
  GError *error = NULL;

  g_assert_true (rtc_srtp_unprotect_rtp (s, buf, len, &error));
  g_assert_no_error (error);
}

static void
expect_unprotect_rtp_error (RtcSrtpSession * s, const guint8 * pkt,
    gsize len, RtcSrtpError code)
{
  GError *error = NULL;
  guint8 *copy = g_memdup2 (pkt, MAX (len, 1));

  g_assert_false (rtc_srtp_unprotect_rtp (s, copy, &len, &error));
  g_assert_error (error, RTC_SRTP_ERROR, (gint) code);
  g_assert_nonnull (error->message);
  g_clear_error (&error);
  g_free (copy);
}

/* ---------------------------------------------------------------------
 * profiles
 * --------------------------------------------------------------------- */

#define CM80 RTC_SRTP_PROFILE_AES128_CM_SHA1_80
#define CM32 RTC_SRTP_PROFILE_AES128_CM_SHA1_32
#define GCM128 RTC_SRTP_PROFILE_AEAD_AES_128_GCM
#define GCM256 RTC_SRTP_PROFILE_AEAD_AES_256_GCM

static void
test_profile_table (void)
{
  /* RFC 5764 section 4.1.2, RFC 7714 section 14.2 */
  g_assert_cmpuint (rtc_srtp_profile_key_len (CM80), ==, 16);
  g_assert_cmpuint (rtc_srtp_profile_salt_len (CM80), ==, 14);
  g_assert_cmpuint (rtc_srtp_profile_rtp_overhead (CM80), ==, 10);
  g_assert_cmpuint (rtc_srtp_profile_rtcp_overhead (CM80), ==, 14);
  g_assert_cmpuint (rtc_srtp_profile_max_overhead (CM80), ==, 14);

  g_assert_cmpuint (rtc_srtp_profile_key_len (CM32), ==, 16);
  g_assert_cmpuint (rtc_srtp_profile_rtp_overhead (CM32), ==, 4);
  g_assert_cmpuint (rtc_srtp_profile_rtcp_overhead (CM32), ==, 14);

  g_assert_cmpuint (rtc_srtp_profile_key_len (GCM128), ==, 16);
  g_assert_cmpuint (rtc_srtp_profile_salt_len (GCM128), ==, 12);
  g_assert_cmpuint (rtc_srtp_profile_rtp_overhead (GCM128), ==, 16);
  g_assert_cmpuint (rtc_srtp_profile_rtcp_overhead (GCM128), ==, 20);
  g_assert_cmpuint (rtc_srtp_profile_max_overhead (GCM128), ==,
      RTC_SRTP_MAX_OVERHEAD);

  g_assert_cmpuint (rtc_srtp_profile_key_len (GCM256), ==,
      RTC_SRTP_MAX_KEY_LEN);
  g_assert_cmpuint (rtc_srtp_profile_salt_len (GCM256), ==, 12);
  g_assert_cmpuint (rtc_srtp_profile_max_overhead (GCM256), ==,
      RTC_SRTP_MAX_OVERHEAD);

  g_assert_cmpstr (rtc_srtp_profile_name (CM80), ==,
      "SRTP_AES128_CM_HMAC_SHA1_80");
  g_assert_cmpstr (rtc_srtp_profile_name (GCM128), ==, "SRTP_AEAD_AES_128_GCM");

  /* The NULL-cipher profiles (5, 6) are deliberately not offered. */
  g_assert_false (rtc_srtp_profile_is_supported (5));
  g_assert_false (rtc_srtp_profile_is_supported (RTC_SRTP_PROFILE_NONE));
  g_assert_true (rtc_srtp_profile_is_supported (GCM256));
  g_assert_cmpuint (rtc_srtp_profile_key_len (6), ==, 0);
  g_assert_cmpuint (rtc_srtp_profile_max_overhead (6), ==, 0);
  g_assert_null (rtc_srtp_profile_name (6));
}

static void
test_session_bad_params (void)
{
  guint8 key[KEY_SALT_MAX] = { 0 };
  GError *error = NULL;

  g_assert_null (rtc_srtp_session_new (5, key, key, &error));
  g_assert_error (error, RTC_SRTP_ERROR, RTC_SRTP_ERROR_BAD_PARAM);
  g_clear_error (&error);

  g_assert_null (rtc_srtp_session_new (RTC_SRTP_PROFILE_AES128_CM_SHA1_80,
          key, NULL, &error));
  g_assert_error (error, RTC_SRTP_ERROR, RTC_SRTP_ERROR_BAD_PARAM);
  g_clear_error (&error);

  /* NULL is a no-op, like g_free. */
  rtc_srtp_session_free (NULL);
}

/* ---------------------------------------------------------------------
 * round trips
 * --------------------------------------------------------------------- */

static void
check_rtp_roundtrip (RtcSrtpSession * tx, RtcSrtpSession * rx, guint16 seq,
    guint32 ssrc, guint ncsrc, guint ext_words, gsize payload_len,
    gsize overhead)
{
  guint8 plain[1500], buf[1500];
  gsize plain_len, len;

  plain_len = make_rtp_full (plain, seq, ssrc, ncsrc, ext_words, seq,
      payload_len);
  memcpy (buf, plain, plain_len);
  len = plain_len;

  protect_rtp (tx, buf, &len, sizeof (buf));
  g_assert_cmpuint (len, ==, plain_len + overhead);
  /* The header (CSRCs and extension included) is never encrypted... */
  g_assert_cmpmem (buf, plain_len - payload_len, plain,
      plain_len - payload_len);
  /* ...the payload is. */
  if (payload_len >= 16)
    g_assert_true (memcmp (buf + plain_len - payload_len,
            plain + plain_len - payload_len, payload_len) != 0);

  unprotect_rtp (rx, buf, &len);
  g_assert_cmpmem (buf, len, plain, plain_len);
}

static void
test_roundtrip_rtp (gconstpointer data)
{
  RtcSrtpProfile profile = GPOINTER_TO_UINT (data);
  gsize overhead = rtc_srtp_profile_rtp_overhead (profile);
  Pair p;
  guint16 seq;

  pair_init (&p, profile);
  for (seq = 100; seq < 110; seq++) {
    check_rtp_roundtrip (p.a, p.b, seq, 0x11111111, 0, 0, 160, overhead);
    check_rtp_roundtrip (p.b, p.a, seq, 0x22222222, 0, 0, 160, overhead);
  }
  /* CSRCs, header extension, both, empty payload, a full-size packet. */
  check_rtp_roundtrip (p.a, p.b, 200, 0x11111111, 3, 0, 50, overhead);
  check_rtp_roundtrip (p.a, p.b, 201, 0x11111111, 0, 2, 50, overhead);
  check_rtp_roundtrip (p.a, p.b, 202, 0x11111111, 15, 5, 50, overhead);
  check_rtp_roundtrip (p.a, p.b, 203, 0x11111111, 0, 0, 0, overhead);
  check_rtp_roundtrip (p.a, p.b, 204, 0x11111111, 0, 0, 1200, overhead);
  pair_clear (&p);
}

static void
test_roundtrip_rtcp (gconstpointer data)
{
  RtcSrtpProfile profile = GPOINTER_TO_UINT (data);
  gsize overhead = rtc_srtp_profile_rtcp_overhead (profile);
  Pair p;
  guint i;

  pair_init (&p, profile);
  for (i = 0; i < 10; i++) {
    RtcSrtpSession *tx = i % 2 ? p.b : p.a, *rx = i % 2 ? p.a : p.b;
    guint8 plain[64], buf[64];
    GError *error = NULL;
    gsize len, plain_len;

    plain_len = len = make_rtcp_rr (plain, 0x33333333 + i % 2, i);
    memcpy (buf, plain, plain_len);
    g_assert_true (rtc_srtp_protect_rtcp (tx, buf, &len, sizeof (buf), &error));
    g_assert_no_error (error);
    g_assert_cmpuint (len, ==, plain_len + overhead);
    g_assert_true (memcmp (buf + 8, plain + 8, plain_len - 8) != 0);

    g_assert_true (rtc_srtp_unprotect_rtcp (rx, buf, &len, &error));
    g_assert_no_error (error);
    g_assert_cmpmem (buf, len, plain, plain_len);
  }
  pair_clear (&p);
}

/* Each direction of a session is keyed separately: a session cannot open
 * its own output (that would mean local and remote keys were mixed up). */
static void
test_directions_keyed_apart (gconstpointer data)
{
  RtcSrtpProfile profile = GPOINTER_TO_UINT (data);
  guint8 buf[256];
  gsize len;
  Pair p;

  pair_init (&p, profile);
  len = make_rtp (buf, 1, 0x44444444, 1);
  protect_rtp (p.a, buf, &len, sizeof (buf));
  expect_unprotect_rtp_error (p.a, buf, len, RTC_SRTP_ERROR_AUTH_FAIL);
  unprotect_rtp (p.b, buf, &len);
  pair_clear (&p);
}

/* Several SSRCs share the session (BUNDLE): libsrtp clones a stream per
 * SSRC from the wildcard template on both sides. */
static void
test_many_ssrcs (void)
{
  Pair p;
  guint i;

  pair_init (&p, GCM128);
  for (i = 0; i < 300; i++) {
    guint32 ssrc = 0x1000 + (i % 7) * 0x01010101;

    check_rtp_roundtrip (p.a, p.b, (guint16) (i / 7 + 40000), ssrc, 0, 0, 64,
        16);
  }
  pair_clear (&p);
}

/* ---------------------------------------------------------------------
 * replay, tampering, malformed input
 * --------------------------------------------------------------------- */

static void
test_replay_rtp (gconstpointer data)
{
  RtcSrtpProfile profile = GPOINTER_TO_UINT (data);
  guint8 buf[256], copy[256];
  RtcSrtpStats stats;
  gsize len;
  Pair p;

  pair_init (&p, profile);
  len = make_rtp (buf, 7, 0x55555555, 7);
  protect_rtp (p.a, buf, &len, sizeof (buf));
  memcpy (copy, buf, len);

  unprotect_rtp (p.b, buf, &len);
  expect_unprotect_rtp_error (p.b, copy, len +
      rtc_srtp_profile_rtp_overhead (profile), RTC_SRTP_ERROR_REPLAY);

  rtc_srtp_session_get_stats (p.b, RTC_SRTP_DIRECTION_INBOUND, &stats);
  g_assert_cmpuint (stats.rtp_packets, ==, 1);
  g_assert_cmpuint (stats.replays, ==, 1);
  g_assert_cmpuint (stats.auth_failures, ==, 0);
  pair_clear (&p);
}

static void
test_replay_rtcp (gconstpointer data)
{
  RtcSrtpProfile profile = GPOINTER_TO_UINT (data);
  guint8 buf[128], copy[128];
  GError *error = NULL;
  gsize len, copy_len;
  Pair p;

  pair_init (&p, profile);
  len = make_rtcp_rr (buf, 0x66666666, 1);
  g_assert_true (rtc_srtp_protect_rtcp (p.a, buf, &len, sizeof (buf), NULL));
  memcpy (copy, buf, len);
  copy_len = len;

  g_assert_true (rtc_srtp_unprotect_rtcp (p.b, buf, &len, NULL));
  g_assert_false (rtc_srtp_unprotect_rtcp (p.b, copy, &copy_len, &error));
  g_assert_error (error, RTC_SRTP_ERROR, RTC_SRTP_ERROR_REPLAY);
  g_clear_error (&error);
  pair_clear (&p);
}

/* The window is 1024 packets (libsrtp's default would be 128): a packet
 * 1000 behind the newest still gets through once, one 1100 behind does
 * not (RFC 3711 section 3.3.2). */
static void
test_replay_window (void)
{
  static guint8 pkts[2048][200];
  static gsize lens[2048];
  Pair p;
  guint i;

  pair_init (&p, RTC_SRTP_PROFILE_AES128_CM_SHA1_80);
  for (i = 0; i < 2048; i++) {
    lens[i] = make_rtp (pkts[i], (guint16) i, 0x77777777, i);
    protect_rtp (p.a, pkts[i], &lens[i], sizeof (pkts[i]));
  }
  /* Deliver everything except 900 and 1000, in order, up to 2000. */
  for (i = 0; i <= 2000; i++) {
    if (i != 900 && i != 1000)
      unprotect_rtp (p.b, pkts[i], &lens[i]);
  }
  /* 2000 - 1000 = 1000 < 1024: late but inside the window. */
  unprotect_rtp (p.b, pkts[1000], &lens[1000]);
  g_assert_cmpuint (pkts[1000][12], ==, (guint8) 1000);
  /* 2000 - 900 = 1100: too old. */
  expect_unprotect_rtp_error (p.b, pkts[900], lens[900], RTC_SRTP_ERROR_REPLAY);
  pair_clear (&p);
}

/* Every single-bit flip is caught; flips in the header may instead make it
 * unparseable. Nothing a forger sends may poison the replay window: the
 * genuine packet still opens afterwards. */
static void
test_tamper (gconstpointer data)
{
  RtcSrtpProfile profile = GPOINTER_TO_UINT (data);
  guint8 buf[256], bad[256];
  gsize len, plain_len, i;
  Pair p;

  pair_init (&p, profile);
  plain_len = len = make_rtp_full (buf, 9, 0x88888888, 1, 1, 9, 40);
  protect_rtp (p.a, buf, &len, sizeof (buf));

  for (i = 0; i < len; i++) {
    GError *error = NULL;
    gsize n = len;

    memcpy (bad, buf, len);
    bad[i] ^= (guint8) (1u << (i % 8));
    g_assert_false (rtc_srtp_unprotect_rtp (p.b, bad, &n, &error));
    if (i < plain_len - 40 && error->code == RTC_SRTP_ERROR_BAD_PARAM) {
      /* e.g. the version, CC or X bit, or the extension length */
    } else {
      g_assert_error (error, RTC_SRTP_ERROR, RTC_SRTP_ERROR_AUTH_FAIL);
    }
    g_clear_error (&error);
  }

  /* Truncating the tag is an auth failure or a short packet, never a
   * pass. */
  for (i = 1; i <= rtc_srtp_profile_rtp_overhead (profile); i++) {
    GError *error = NULL;
    gsize n = len - i;

    memcpy (bad, buf, len);
    g_assert_false (rtc_srtp_unprotect_rtp (p.b, bad, &n, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
  }

  unprotect_rtp (p.b, buf, &len);
  g_assert_cmpuint (len, ==, plain_len);
  pair_clear (&p);
}

static void
test_tamper_rtcp (gconstpointer data)
{
  RtcSrtpProfile profile = GPOINTER_TO_UINT (data);
  guint8 buf[128], bad[128];
  gsize len, i;
  Pair p;

  pair_init (&p, profile);
  len = make_rtcp_rr (buf, 0x99999999, 2);
  g_assert_true (rtc_srtp_protect_rtcp (p.a, buf, &len, sizeof (buf), NULL));

  for (i = 0; i < len; i++) {
    GError *error = NULL;
    gsize n = len;

    memcpy (bad, buf, len);
    bad[i] ^= 0x04;
    g_assert_false (rtc_srtp_unprotect_rtcp (p.b, bad, &n, &error));
    g_assert_error (error, RTC_SRTP_ERROR, RTC_SRTP_ERROR_AUTH_FAIL);
    g_clear_error (&error);
  }
  g_assert_true (rtc_srtp_unprotect_rtcp (p.b, buf, &len, NULL));
  pair_clear (&p);
}

/* Truncations of a real packet and random bytes: always a clean error.
 * Buffers are allocated at exactly the packet length so ASan catches any
 * read past the end. */
static void
test_garbage (gconstpointer data)
{
  RtcSrtpProfile profile = GPOINTER_TO_UINT (data);
  guint8 good[256];
  GRand *rand = g_rand_new_with_seed (0x5eed);
  RtcSrtpStats stats;
  gsize good_len, i;
  Pair p;

  pair_init (&p, profile);
  good_len = make_rtp_full (good, 3, 0xabcdef01, 2, 1, 3, 60);
  protect_rtp (p.a, good, &good_len, sizeof (good));

  for (i = 0; i < good_len; i++) {
    guint8 *b = g_memdup2 (good, MAX (i, 1));
    gsize n = i;
    GError *error = NULL;

    g_assert_false (rtc_srtp_unprotect_rtp (p.b, b, &n, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
    n = i;
    g_assert_false (rtc_srtp_unprotect_rtcp (p.b, b, &n, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
    g_free (b);
  }

  for (i = 0; i < 5000; i++) {
    gsize n = g_rand_int_range (rand, 0, 300), j;
    guint8 *b = g_malloc (MAX (n, 1));
    GError *error = NULL;
    gsize m = n;

    for (j = 0; j < n; j++)
      b[j] = (guint8) g_rand_int (rand);
    /* Mostly look like RTP so the parser gets past the version check. */
    if (n > 0 && i % 4 != 0)
      b[0] = 0x80 | (b[0] & 0x3f);

    g_assert_false (rtc_srtp_unprotect_rtp (p.b, b, &m, &error));
    g_assert_true (error->domain == RTC_SRTP_ERROR);
    g_clear_error (&error);
    m = n;
    /* NULL error: the failure path must not need one. */
    g_assert_false (rtc_srtp_unprotect_rtcp (p.b, b, &m, NULL));
    g_free (b);
  }

  rtc_srtp_session_get_stats (p.b, RTC_SRTP_DIRECTION_INBOUND, &stats);
  g_assert_cmpuint (stats.rtp_packets, ==, 0);
  g_assert_cmpuint (stats.rtcp_packets, ==, 0);
  g_assert_cmpuint (stats.errors + stats.auth_failures + stats.replays, ==,
      2 * good_len + 2 * 5000);

  /* None of that stopped the real packet. */
  unprotect_rtp (p.b, good, &good_len);
  g_rand_free (rand);
  pair_clear (&p);
}

static void
test_protect_bad_input (void)
{
  guint8 buf[64] = { 0 };
  GError *error = NULL;
  gsize len;
  Pair p;

  pair_init (&p, RTC_SRTP_PROFILE_AES128_CM_SHA1_80);

  len = 11;                     /* shorter than the fixed header */
  buf[0] = 0x80;
  g_assert_false (rtc_srtp_protect_rtp (p.a, buf, &len, sizeof (buf), &error));
  g_assert_error (error, RTC_SRTP_ERROR, RTC_SRTP_ERROR_BAD_PARAM);
  g_clear_error (&error);

  len = 20;                     /* version 0 */
  buf[0] = 0x00;
  g_assert_false (rtc_srtp_protect_rtp (p.a, buf, &len, sizeof (buf), &error));
  g_assert_error (error, RTC_SRTP_ERROR, RTC_SRTP_ERROR_BAD_PARAM);
  g_clear_error (&error);

  len = 20;                     /* 15 CSRCs claimed, 2 present */
  buf[0] = 0x8f;
  g_assert_false (rtc_srtp_protect_rtp (p.a, buf, &len, sizeof (buf), &error));
  g_assert_error (error, RTC_SRTP_ERROR, RTC_SRTP_ERROR_BAD_PARAM);
  g_clear_error (&error);

  len = 20;                     /* extension longer than the packet */
  buf[0] = 0x90;
  buf[12] = 0xbe;
  buf[13] = 0xde;
  buf[14] = 0x00;
  buf[15] = 0x09;
  g_assert_false (rtc_srtp_protect_rtp (p.a, buf, &len, sizeof (buf), &error));
  g_assert_error (error, RTC_SRTP_ERROR, RTC_SRTP_ERROR_BAD_PARAM);
  g_clear_error (&error);

  len = 7;                      /* shorter than an RTCP header */
  buf[0] = 0x80;
  g_assert_false (rtc_srtp_protect_rtcp (p.a, buf, &len, sizeof (buf), &error));
  g_assert_error (error, RTC_SRTP_ERROR, RTC_SRTP_ERROR_BAD_PARAM);
  g_clear_error (&error);

  pair_clear (&p);
}

/* ---------------------------------------------------------------------
 * buffers
 * --------------------------------------------------------------------- */

/* The trailer goes exactly where the overhead says and nowhere further:
 * bytes past len + overhead stay untouched, and one byte less of room is
 * refused without touching the packet. */
static void
test_overhead_canary (gconstpointer data)
{
  RtcSrtpProfile profile = GPOINTER_TO_UINT (data);
  gsize rtp_oh = rtc_srtp_profile_rtp_overhead (profile);
  gsize rtcp_oh = rtc_srtp_profile_rtcp_overhead (profile);
  guint8 buf[512], plain[512];
  GError *error = NULL;
  gsize len, plain_len, i;
  Pair p;

  pair_init (&p, profile);

  memset (buf, 0xee, sizeof (buf));
  plain_len = len = make_rtp (buf, 1, 0x12121212, 1);
  memcpy (plain, buf, sizeof (buf));
  g_assert_false (rtc_srtp_protect_rtp (p.a, buf, &len,
          plain_len + rtp_oh - 1, &error));
  g_assert_error (error, RTC_SRTP_ERROR, RTC_SRTP_ERROR_NO_SPACE);
  g_clear_error (&error);
  g_assert_cmpuint (len, ==, plain_len);
  g_assert_cmpmem (buf, sizeof (buf), plain, sizeof (plain));

  protect_rtp (p.a, buf, &len, plain_len + rtp_oh);
  g_assert_cmpuint (len, ==, plain_len + rtp_oh);
  for (i = len; i < sizeof (buf); i++)
    g_assert_cmphex (buf[i], ==, 0xee);

  memset (buf, 0xee, sizeof (buf));
  plain_len = len = make_rtcp_rr (buf, 0x12121212, 1);
  g_assert_false (rtc_srtp_protect_rtcp (p.a, buf, &len,
          plain_len + rtcp_oh - 1, &error));
  g_assert_error (error, RTC_SRTP_ERROR, RTC_SRTP_ERROR_NO_SPACE);
  g_clear_error (&error);
  g_assert_true (rtc_srtp_protect_rtcp (p.a, buf, &len, plain_len + rtcp_oh,
          &error));
  g_assert_no_error (error);
  g_assert_cmpuint (len, ==, plain_len + rtcp_oh);
  for (i = len; i < sizeof (buf); i++)
    g_assert_cmphex (buf[i], ==, 0xee);

  pair_clear (&p);
}

/* allow_repeat_tx: handing the same packet to protect twice (rtpbin
 * re-pushing a buffer) works and gives the same bytes, since the index and
 * payload are the same. */
static void
test_repeat_tx (gconstpointer data)
{
  RtcSrtpProfile profile = GPOINTER_TO_UINT (data);
  guint8 first[256], second[256];
  gsize len1, len2;
  Pair p;

  pair_init (&p, profile);
  len1 = make_rtp (first, 500, 0x13131313, 5);
  len2 = make_rtp (second, 500, 0x13131313, 5);
  protect_rtp (p.a, first, &len1, sizeof (first));
  protect_rtp (p.a, second, &len2, sizeof (second));
  g_assert_cmpmem (first, len1, second, len2);

  /* The receiver still takes it only once. */
  unprotect_rtp (p.b, first, &len1);
  expect_unprotect_rtp_error (p.b, second, len2, RTC_SRTP_ERROR_REPLAY);
  pair_clear (&p);
}

/* ---------------------------------------------------------------------
 * rollover
 * --------------------------------------------------------------------- */

/* 70000 packets from seq 65530: the sequence number wraps twice, so the
 * index (ROC << 16 | seq, RFC 3711 section 3.3.1) reaches ROC 2 on both
 * ends. A receiver that failed to advance its ROC would compute the wrong
 * IV/tag input and fail from the first wrap on. */
static void
test_rollover (gconstpointer data)
{
  RtcSrtpProfile profile = GPOINTER_TO_UINT (data);
  const guint32 ssrc = 0x0badcafe;
  const guint count = 70000;
  guint32 roc = 99;
  guint8 buf[256];
  RtcSrtpStats stats;
  Pair p;
  guint i;

  pair_init (&p, profile);
  for (i = 0; i < count; i++) {
    guint16 seq = (guint16) (65530 + i);
    gsize len = make_rtp_full (buf, seq, ssrc, 0, 0, i, 20);

    protect_rtp (p.a, buf, &len, sizeof (buf));
    unprotect_rtp (p.b, buf, &len);
    g_assert_cmpuint (len, ==, 32);
    /* make_rtp_full() spreads @seed over the payload: check it's ours. */
    g_assert_cmpuint (buf[12], ==, (guint8) i);
    g_assert_cmpuint (buf[13], ==, (guint8) ((i >> 8) + 1));

    if (seq == 65535) {
      g_assert_true (rtc_srtp_session_get_roc (p.b,
              RTC_SRTP_DIRECTION_INBOUND, ssrc, &roc));
      g_assert_cmpuint (roc, ==, (65530 + i) >> 16);
    }
  }

  g_assert_true (rtc_srtp_session_get_roc (p.a, RTC_SRTP_DIRECTION_OUTBOUND,
          ssrc, &roc));
  g_assert_cmpuint (roc, ==, (65530 + count - 1) >> 16);
  g_assert_cmpuint (roc, ==, 2);
  g_assert_true (rtc_srtp_session_get_roc (p.b, RTC_SRTP_DIRECTION_INBOUND,
          ssrc, &roc));
  g_assert_cmpuint (roc, ==, 2);

  /* Streams live per direction: B never sent with this SSRC. */
  g_assert_false (rtc_srtp_session_get_roc (p.b,
          RTC_SRTP_DIRECTION_OUTBOUND, ssrc, &roc));
  g_assert_false (rtc_srtp_session_get_roc (p.b, RTC_SRTP_DIRECTION_INBOUND,
          0x1234, &roc));

  rtc_srtp_session_get_stats (p.a, RTC_SRTP_DIRECTION_OUTBOUND, &stats);
  g_assert_cmpuint (stats.rtp_packets, ==, count);
  rtc_srtp_session_get_stats (p.b, RTC_SRTP_DIRECTION_INBOUND, &stats);
  g_assert_cmpuint (stats.rtp_packets, ==, count);
  g_assert_cmpuint (stats.errors + stats.replays + stats.auth_failures, ==, 0);
  pair_clear (&p);
}

/* More than 2^15 packets in a row lost (a receiver starved for a second
 * at 50 000 packets/s): RFC 3711's guess of the rollover counter is one
 * short from then on. The stream must come back by itself after a bounded
 * number of lost packets, and forgeries with its SSRC must not move it. */
static void
test_resync_after_long_loss (gconstpointer data)
{
  RtcSrtpProfile profile = GPOINTER_TO_UINT (data);
  const guint32 ssrc = 0x51e9ce;
  guint8 buf[256];
  RtcSrtpStats stats;
  guint32 seq = 40000, roc;
  guint i, failed = 0;
  gsize len;
  Pair p;

  pair_init (&p, profile);
  for (i = 0; i < 100; i++, seq++) {
    len = make_rtp (buf, (guint16) seq, ssrc, seq);
    protect_rtp (p.a, buf, &len, sizeof (buf));
    unprotect_rtp (p.b, buf, &len);
  }
  /* 50 000 packets the receiver never sees. */
  for (i = 0; i < 50000; i++, seq++) {
    len = make_rtp (buf, (guint16) seq, ssrc, seq);
    protect_rtp (p.a, buf, &len, sizeof (buf));
  }
  /* Forgeries with the stream's SSRC meanwhile: they fail, and whatever
   * counter they are tried with, they never authenticate. */
  for (i = 0; i < 300; i++) {
    len = make_rtp (buf, (guint16) (seq + i), ssrc, i);
    memset (buf + 12, i, 16);
    len = 12 + 160 + rtc_srtp_profile_rtp_overhead (profile);
    g_assert_false (rtc_srtp_unprotect_rtp (p.b, buf, &len, NULL));
  }
  /* The stream goes on: within a bounded number of packets it plays
   * again, and then every packet does. */
  for (i = 0; i < 400; i++, seq++) {
    GError *error = NULL;

    len = make_rtp (buf, (guint16) seq, ssrc, seq);
    protect_rtp (p.a, buf, &len, sizeof (buf));
    if (rtc_srtp_unprotect_rtp (p.b, buf, &len, &error)) {
      g_assert_cmpuint (len, ==, 12 + 160);
      g_assert_cmpuint (buf[12], ==, (guint8) seq);
    } else {
      g_clear_error (&error);
      g_assert_cmpuint (i, <, 200);
      failed = i + 1;
    }
  }
  g_assert_cmpuint (failed, >, 0);
  g_assert_true (rtc_srtp_session_get_roc (p.b, RTC_SRTP_DIRECTION_INBOUND,
          ssrc, &roc));
  g_assert_cmpuint (roc, ==, (seq - 1) >> 16);
  rtc_srtp_session_get_stats (p.b, RTC_SRTP_DIRECTION_INBOUND, &stats);
  g_assert_cmpuint (stats.resyncs, ==, 1);
  pair_clear (&p);
}

/* ---------------------------------------------------------------------
 * keying from DTLS
 * --------------------------------------------------------------------- */

/* RFC 5764 section 4.2 layout: client_key | server_key | client_salt |
 * server_salt. */
static void
test_split_keying_material (gconstpointer data)
{
  RtcSrtpProfile profile = GPOINTER_TO_UINT (data);
  gsize kl = rtc_srtp_profile_key_len (profile);
  gsize sl = rtc_srtp_profile_salt_len (profile);
  gsize total = 2 * (kl + sl);
  guint8 material[2 * KEY_SALT_MAX];
  guint8 c_local[KEY_SALT_MAX], c_remote[KEY_SALT_MAX];
  guint8 s_local[KEY_SALT_MAX], s_remote[KEY_SALT_MAX];
  RtcSrtpSession *client, *server;
  GError *error = NULL;
  gsize i;

  for (i = 0; i < total; i++)
    material[i] = (guint8) i;

  g_assert_true (rtc_srtp_split_keying_material (profile, material, total,
          TRUE, c_local, c_remote, &error));
  g_assert_no_error (error);
  g_assert_true (rtc_srtp_split_keying_material (profile, material, total,
          FALSE, s_local, s_remote, &error));
  g_assert_no_error (error);

  /* The client sends with client_write_key + client_write_salt. */
  for (i = 0; i < kl; i++) {
    g_assert_cmpuint (c_local[i], ==, i);
    g_assert_cmpuint (c_remote[i], ==, kl + i);
  }
  for (i = 0; i < sl; i++) {
    g_assert_cmpuint (c_local[kl + i], ==, 2 * kl + i);
    g_assert_cmpuint (c_remote[kl + i], ==, 2 * kl + sl + i);
  }
  g_assert_cmpmem (s_local, kl + sl, c_remote, kl + sl);
  g_assert_cmpmem (s_remote, kl + sl, c_local, kl + sl);

  /* Both ends keyed from the same export talk to each other. */
  client = rtc_srtp_session_new (profile, c_local, c_remote, &error);
  g_assert_no_error (error);
  server = rtc_srtp_session_new (profile, s_local, s_remote, &error);
  g_assert_no_error (error);
  check_rtp_roundtrip (client, server, 1, 0xc1c1c1c1, 0, 0, 100,
      rtc_srtp_profile_rtp_overhead (profile));
  check_rtp_roundtrip (server, client, 1, 0x5e5e5e5e, 0, 0, 100,
      rtc_srtp_profile_rtp_overhead (profile));
  rtc_srtp_session_free (client);
  rtc_srtp_session_free (server);

  /* Two clients (a role mix-up) cannot talk. */
  client = rtc_srtp_session_new (profile, c_local, c_remote, &error);
  server = rtc_srtp_session_new (profile, c_local, c_remote, &error);
  {
    guint8 buf[256];
    gsize len = make_rtp (buf, 1, 0x1, 1);

    protect_rtp (client, buf, &len, sizeof (buf));
    expect_unprotect_rtp_error (server, buf, len, RTC_SRTP_ERROR_AUTH_FAIL);
  }
  rtc_srtp_session_free (client);
  rtc_srtp_session_free (server);

  g_assert_false (rtc_srtp_split_keying_material (profile, material,
          total - 1, TRUE, c_local, c_remote, &error));
  g_assert_error (error, RTC_SRTP_ERROR, RTC_SRTP_ERROR_BAD_PARAM);
  g_clear_error (&error);
}

static void
add_per_profile (const gchar * name, GTestDataFunc func)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (all_profiles); i++) {
    gchar *lower = g_ascii_strdown (rtc_srtp_profile_name (all_profiles[i]),
        -1);
    gchar *path = g_strdup_printf ("/srtp/%s/%s", name, lower + 5);

    g_test_add_data_func (path, GUINT_TO_POINTER (all_profiles[i]), func);
    g_free (path);
    g_free (lower);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/srtp/profile/table", test_profile_table);
  g_test_add_func ("/srtp/session/bad-params", test_session_bad_params);
  add_per_profile ("roundtrip-rtp", test_roundtrip_rtp);
  add_per_profile ("roundtrip-rtcp", test_roundtrip_rtcp);
  add_per_profile ("directions-keyed-apart", test_directions_keyed_apart);
  g_test_add_func ("/srtp/many-ssrcs", test_many_ssrcs);
  add_per_profile ("replay-rtp", test_replay_rtp);
  add_per_profile ("replay-rtcp", test_replay_rtcp);
  g_test_add_func ("/srtp/replay-window", test_replay_window);
  add_per_profile ("tamper-rtp", test_tamper);
  add_per_profile ("tamper-rtcp", test_tamper_rtcp);
  add_per_profile ("garbage", test_garbage);
  g_test_add_func ("/srtp/protect-bad-input", test_protect_bad_input);
  add_per_profile ("overhead-canary", test_overhead_canary);
  add_per_profile ("repeat-tx", test_repeat_tx);
  add_per_profile ("rollover", test_rollover);
  add_per_profile ("resync-after-long-loss", test_resync_after_long_loss);
  add_per_profile ("split-keying-material", test_split_keying_material);

  return g_test_run ();
}
