/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The screen between the network and usrsctp (rtcsctp-screen.h), alone:
 * packets built chunk by chunk, at every alignment, and the verdict and
 * the trimmed bytes checked exactly. */

#include <string.h>
#include <glib.h>
#include <gst/gst.h>

#include "sctp/rtcsctp-screen.h"
#include "sctp/rtcsctp-wire.h"

#define PASS RTC_SCTP_SCREEN_PASS
#define TRIM RTC_SCTP_SCREEN_TRIM
#define DROP RTC_SCTP_SCREEN_DROP

/* ------------------------------------------------------------------ */
/* building packets */

static GByteArray *
pkt_new (guint32 vtag)
{
  GByteArray *p = g_byte_array_new ();
  guint8 h[12] = { 0x13, 0x88, 0x13, 0x88 };

  rtc_wire_put32 (h + 4, vtag);
  g_byte_array_append (p, h, sizeof (h));
  return p;
}

/* A chunk of @type with @len bytes of @value (its length field says
 * 4 + @len unless @len_field is not 0), padded to 4 unless @no_pad. */
static void
chunk_full (GByteArray * p, guint8 type, const guint8 * value, gsize len,
    guint len_field, gboolean no_pad)
{
  guint8 h[4] = { type, 0 };
  static const guint8 zero[3] = { 0 };

  rtc_wire_put16 (h + 2, len_field ? len_field : 4 + len);
  g_byte_array_append (p, h, 4);
  if (len)
    g_byte_array_append (p, value, len);
  if (!no_pad && (len % 4))
    g_byte_array_append (p, zero, 4 - len % 4);
}

static void
chunk (GByteArray * p, guint8 type, const guint8 * value, gsize len)
{
  chunk_full (p, type, value, len, 0, FALSE);
}

/* A TLV into @v (parameter or error cause), padded to 4. */
static void
tlv (GByteArray * v, guint16 type, guint16 len_field, gsize value_len)
{
  guint8 h[4];
  guint8 *zeros = g_malloc0 (value_len + 3);

  rtc_wire_put16 (h, type);
  rtc_wire_put16 (h + 2, len_field);
  g_byte_array_append (v, h, 4);
  g_byte_array_append (v, zeros, (value_len + 3) & ~3u);
  g_free (zeros);
}

static void
data_chunk (GByteArray * p, gsize payload)
{
  guint8 v[12 + 64] = { 0 };

  g_assert_cmpuint (payload, <=, 64);
  rtc_wire_put32 (v, 1);   /* TSN */
  memset (v + 12, 0xdd, payload);
  chunk (p, 0, v, 12 + payload);
}

static void
sack_chunk (GByteArray * p, guint gaps, guint dups, gint extra)
{
  guint8 v[12 + 64] = { 0 };

  rtc_wire_put16 (v + 8, gaps);
  rtc_wire_put16 (v + 10, dups);
  chunk (p, 3, v, 12 + 4 * (gaps + dups) + extra);
}

/* INIT or INIT ACK: the fixed fields, then @params. */
static void
init_chunk (GByteArray * p, guint8 type, GByteArray * params)
{
  GByteArray *v = g_byte_array_new ();
  guint8 fixed[16] = { 0 };

  rtc_wire_put32 (fixed, 0x01020304);
  rtc_wire_put32 (fixed + 4, 131072);
  rtc_wire_put16 (fixed + 8, 1024);
  rtc_wire_put16 (fixed + 10, 1024);
  rtc_wire_put32 (fixed + 12, 7);
  g_byte_array_append (v, fixed, sizeof (fixed));
  if (params)
    g_byte_array_append (v, params->data, params->len);
  chunk (p, type, v->data, v->len);
  g_byte_array_unref (v);
}

static GByteArray *
good_init_params (void)
{
  GByteArray *v = g_byte_array_new ();

  tlv (v, 0xc000, 4, 0);        /* forward TSN supported */
  tlv (v, 0x8008, 6, 2);        /* supported extensions: 2 types */
  tlv (v, 5, 8, 4);             /* IPv4 address */
  return v;
}

/* ------------------------------------------------------------------ */
/* checking */

/* The verdict on @p at every alignment; for TRIM, the trimmed bytes are
 * @want (if not NULL) and screen again as PASS. */
static void
expect (GByteArray * p, gboolean established, RtcSctpScreenVerdict verdict,
    GByteArray * want)
{
  guint8 *buf = g_malloc (p->len + 8);
  guint align;

  for (align = 0; align < 8; align++) {
    guint8 *q = buf + align;
    const gchar *why = "unset";
    RtcSctpScreenVerdict v;

    memcpy (q, p->data, p->len);
    v = rtc_sctp_screen (q, p->len, established, &why);
    if (v != verdict)
      g_error ("verdict %d, expected %d (%s)", v, verdict,
          why ? why : "no reason");
    if (v == PASS)
      g_assert_null (why);
    else
      g_assert_nonnull (why);
    /* it only reads */
    g_assert_cmpmem (q, p->len, p->data, p->len);
    if (v == TRIM) {
      gsize n = rtc_sctp_screen_trim (q, p->len, established);

      g_assert_cmpuint (n, >, 12);
      g_assert_cmpuint (n, <, p->len);
      g_assert_cmpmem (q, 12, p->data, 12);
      if (want)
        g_assert_cmpmem (q, n, want->data, want->len);
      g_assert_cmpint (rtc_sctp_screen (q, n, established, NULL), ==, PASS);
    }
  }
  g_free (buf);
}

/* ------------------------------------------------------------------ */
/* what passes */

static void
test_pass (void)
{
  GByteArray *p, *params;
  guint8 v[64] = { 0 };

  /* DATA; SACK with blocks; both bundled */
  p = pkt_new (1);
  data_chunk (p, 5);
  expect (p, TRUE, PASS, NULL);
  sack_chunk (p, 2, 1, 0);
  expect (p, TRUE, PASS, NULL);
  g_byte_array_unref (p);

  /* the last chunk's padding left out */
  p = pkt_new (1);
  sack_chunk (p, 0, 0, 0);
  data_chunk (p, 5);
  g_byte_array_set_size (p, p->len - 3);
  expect (p, TRUE, PASS, NULL);
  g_byte_array_unref (p);

  /* INIT (tag 0) and INIT ACK before the association is up */
  params = good_init_params ();
  p = pkt_new (0);
  init_chunk (p, 1, params);
  expect (p, FALSE, PASS, NULL);
  g_byte_array_unref (p);
  tlv (params, 7, 4 + 40, 40);  /* state cookie */
  p = pkt_new (1);
  init_chunk (p, 2, params);
  expect (p, FALSE, PASS, NULL);
  g_byte_array_unref (p);
  g_byte_array_unref (params);

  /* COOKIE ECHO bundled with DATA, COOKIE ACK with SACK */
  p = pkt_new (1);
  chunk (p, 10, v, 40);
  data_chunk (p, 1);
  expect (p, TRUE, PASS, NULL);
  g_byte_array_unref (p);
  p = pkt_new (1);
  chunk (p, 11, NULL, 0);
  sack_chunk (p, 0, 0, 0);
  expect (p, TRUE, PASS, NULL);
  g_byte_array_unref (p);

  /* HEARTBEAT and its ACK; our probes of both forms */
  params = g_byte_array_new ();
  tlv (params, 1, 4 + 24, 24);
  p = pkt_new (1);
  chunk (p, 4, params->data, params->len);
  chunk (p, 0x84, v, 60);       /* PAD */
  expect (p, TRUE, PASS, NULL);
  g_byte_array_unref (p);
  g_byte_array_set_size (params, 0);
  tlv (params, 1, 4 + 1364, 1364);
  p = pkt_new (1);
  chunk (p, 5, params->data, params->len);
  expect (p, TRUE, PASS, NULL);
  g_byte_array_unref (p);

  /* RE-CONFIG: an outgoing reset of streams 1 and 2, and an incoming one */
  g_byte_array_set_size (params, 0);
  tlv (params, 13, 16 + 4, 16);
  tlv (params, 14, 8 + 2, 6);
  p = pkt_new (1);
  chunk (p, 0x82, params->data, params->len);
  expect (p, TRUE, PASS, NULL);
  g_byte_array_unref (p);
  /* a response */
  g_byte_array_set_size (params, 0);
  tlv (params, 16, 12, 8);
  p = pkt_new (1);
  chunk (p, 0x82, params->data, params->len);
  expect (p, TRUE, PASS, NULL);
  g_byte_array_unref (p);

  /* ABORT with a cause, ERROR with two; SHUTDOWN, its ACK and COMPLETE */
  g_byte_array_set_size (params, 0);
  tlv (params, 13, 4 + 5, 5);   /* protocol violation, odd length */
  p = pkt_new (1);
  chunk (p, 6, params->data, params->len);
  expect (p, TRUE, PASS, NULL);
  g_byte_array_unref (p);
  tlv (params, 3, 8, 4);        /* stale cookie */
  p = pkt_new (1);
  chunk (p, 9, params->data, params->len);
  expect (p, TRUE, PASS, NULL);
  g_byte_array_unref (p);
  p = pkt_new (1);
  chunk (p, 7, v, 4);
  chunk (p, 8, NULL, 0);
  expect (p, TRUE, PASS, NULL);
  g_byte_array_unref (p);
  p = pkt_new (1);
  chunk (p, 14, NULL, 0);
  expect (p, TRUE, PASS, NULL);
  g_byte_array_unref (p);

  /* FORWARD TSN with two streams */
  p = pkt_new (1);
  chunk (p, 0xc0, v, 4 + 8);
  expect (p, TRUE, PASS, NULL);
  g_byte_array_unref (p);
  g_byte_array_unref (params);
}

/* ------------------------------------------------------------------ */
/* what is dropped */

typedef struct
{
  const gchar *name;
  gboolean established;
  void (*build) (GByteArray * p);
  guint32 vtag;
} DropCase;

static void
b_empty (GByteArray * p)
{
}

static void
b_short_header (GByteArray * p)
{
  guint8 x[2] = { 0 };

  g_byte_array_append (p, x, 2);
}

static void
b_port0 (GByteArray * p)
{
  p->data[0] = p->data[1] = 0;
  data_chunk (p, 4);
}

static void
b_chunk_len0 (GByteArray * p)
{
  guint8 v[12] = { 0 };

  data_chunk (p, 4);
  chunk_full (p, 3, v, 12, 0, FALSE);
  rtc_wire_put16 (p->data + p->len - 16 + 2, 0);
}

static void
b_chunk_len3 (GByteArray * p)
{
  guint8 v[8] = { 0 };

  chunk_full (p, 0, v, 8, 3, FALSE);
}

static void
b_chunk_past_end (GByteArray * p)
{
  guint8 v[16] = { 0 };

  chunk_full (p, 0, v, 16, 40, FALSE);
}

static void
b_stray_bytes (GByteArray * p)
{
  guint8 x[2] = { 0 };

  data_chunk (p, 4);
  g_byte_array_append (p, x, 2);
}

static void
b_data_empty (GByteArray * p)
{
  guint8 v[12] = { 0 };

  chunk (p, 0, v, 12);
}

/* the packet that hangs usrsctp 0.9.5 in sctp_are_there_new_addresses() */
static void
b_init_zero_param (GByteArray * p)
{
  GByteArray *params = g_byte_array_new ();

  tlv (params, 0xc000, 4, 0);
  tlv (params, 0x8008, 0, 0);
  init_chunk (p, 1, params);
  g_byte_array_unref (params);
}

static void
b_init_short_param (GByteArray * p)
{
  GByteArray *params = g_byte_array_new ();

  tlv (params, 5, 3, 0);
  init_chunk (p, 1, params);
  g_byte_array_unref (params);
}

static void
b_init_param_past_chunk (GByteArray * p)
{
  GByteArray *params = good_init_params ();

  tlv (params, 0x8002, 4 + 32, 4);      /* says 36, has 8 */
  init_chunk (p, 1, params);
  g_byte_array_unref (params);
}

static void
b_init_stray_param_bytes (GByteArray * p)
{
  GByteArray *params = good_init_params ();
  guint8 x[2] = { 0 };

  g_byte_array_append (params, x, 2);
  init_chunk (p, 1, params);
  g_byte_array_unref (params);
}

static void
b_init_ipv4_wrong (GByteArray * p)
{
  GByteArray *params = g_byte_array_new ();

  tlv (params, 5, 12, 8);
  init_chunk (p, 1, params);
  g_byte_array_unref (params);
}

static void
b_init_truncated (GByteArray * p)
{
  guint8 v[12] = { 0 };

  chunk (p, 1, v, 12);
}

static void
b_init_good (GByteArray * p)
{
  GByteArray *params = good_init_params ();

  init_chunk (p, 1, params);
  g_byte_array_unref (params);
}

static void
b_init_ack_good (GByteArray * p)
{
  GByteArray *params = good_init_params ();

  tlv (params, 7, 4 + 40, 40);
  init_chunk (p, 2, params);
  g_byte_array_unref (params);
}

static void
b_init_bundled (GByteArray * p)
{
  b_init_good (p);
  data_chunk (p, 4);
}

static void
b_heartbeat_bundled_with_init (GByteArray * p)
{
  GByteArray *params = g_byte_array_new ();

  tlv (params, 1, 12, 8);
  chunk (p, 4, params->data, params->len);
  g_byte_array_unref (params);
  b_init_good (p);
}

static void
b_shutdown_complete_bundled (GByteArray * p)
{
  sack_chunk (p, 0, 0, 0);
  chunk (p, 14, NULL, 0);
}

static void
b_sack_mismatch (GByteArray * p)
{
  sack_chunk (p, 2, 0, 4);
}

static void
b_sack_short (GByteArray * p)
{
  guint8 v[8] = { 0 };

  chunk (p, 3, v, 8);
}

static void
b_heartbeat_empty (GByteArray * p)
{
  chunk (p, 4, NULL, 0);
}

static void
b_heartbeat_not_info (GByteArray * p)
{
  GByteArray *params = g_byte_array_new ();

  tlv (params, 2, 12, 8);
  chunk (p, 4, params->data, params->len);
  g_byte_array_unref (params);
}

static void
b_heartbeat_ack_zero_info (GByteArray * p)
{
  GByteArray *params = g_byte_array_new ();

  tlv (params, 1, 0, 8);
  chunk (p, 5, params->data, params->len);
  g_byte_array_unref (params);
}

static void
b_abort_short_cause (GByteArray * p)
{
  GByteArray *params = g_byte_array_new ();

  tlv (params, 13, 2, 4);
  chunk (p, 6, params->data, params->len);
  g_byte_array_unref (params);
}

static void
b_error_stale_cookie_short (GByteArray * p)
{
  GByteArray *params = g_byte_array_new ();

  tlv (params, 3, 6, 2);
  chunk (p, 9, params->data, params->len);
  g_byte_array_unref (params);
}

static void
b_shutdown_long (GByteArray * p)
{
  guint8 v[8] = { 0 };

  chunk (p, 7, v, 8);
}

static void
b_cookie_ack_value (GByteArray * p)
{
  guint8 v[4] = { 0 };

  chunk (p, 11, v, 4);
}

static void
b_cookie_echo_empty (GByteArray * p)
{
  chunk (p, 10, NULL, 0);
}

static void
b_reconfig_three (GByteArray * p)
{
  GByteArray *params = g_byte_array_new ();

  tlv (params, 15, 8, 4);
  tlv (params, 15, 8, 4);
  tlv (params, 15, 8, 4);
  chunk (p, 0x82, params->data, params->len);
  g_byte_array_unref (params);
}

static void
b_reconfig_empty (GByteArray * p)
{
  chunk (p, 0x82, NULL, 0);
}

static void
b_reconfig_unknown (GByteArray * p)
{
  GByteArray *params = g_byte_array_new ();

  tlv (params, 19, 8, 4);
  chunk (p, 0x82, params->data, params->len);
  g_byte_array_unref (params);
}

static void
b_reconfig_odd_streams (GByteArray * p)
{
  GByteArray *params = g_byte_array_new ();

  tlv (params, 13, 17, 13);
  chunk (p, 0x82, params->data, params->len);
  g_byte_array_unref (params);
}

static void
b_reconfig_add_streams_long (GByteArray * p)
{
  GByteArray *params = g_byte_array_new ();

  tlv (params, 17, 16, 12);
  chunk (p, 0x82, params->data, params->len);
  g_byte_array_unref (params);
}

static void
b_forward_tsn_odd (GByteArray * p)
{
  guint8 v[8] = { 0 };

  chunk (p, 0xc0, v, 6);
}

static void
b_forward_tsn_short (GByteArray * p)
{
  guint8 v[2] = { 0 };

  chunk (p, 0xc0, v, 2);
}

/* chunks of extensions we do not negotiate, first in the packet: those
 * whose type says "stop" leave nothing */
static void
b_auth_first (GByteArray * p)
{
  guint8 v[24] = { 0 };

  chunk (p, 0x0f, v, 24);       /* AUTH */
  data_chunk (p, 4);
}

static void
b_idata (GByteArray * p)
{
  guint8 v[20] = { 0 };

  chunk (p, 0x40, v, 20);       /* I-DATA */
}

static void
b_only_skipped (GByteArray * p)
{
  guint8 v[8] = { 0 };

  chunk (p, 0xc1, v, 8);        /* ASCONF */
  chunk (p, 0x81, v, 8);        /* PKTDROP */
}

static const DropCase drop_cases[] = {
  {"no-chunk", TRUE, b_empty, 1},
  {"short-chunk-header", TRUE, b_short_header, 1},
  {"port-0", TRUE, b_port0, 1},
  {"chunk-length-0", TRUE, b_chunk_len0, 1},
  {"chunk-length-3", TRUE, b_chunk_len3, 1},
  {"chunk-past-end", TRUE, b_chunk_past_end, 1},
  {"stray-bytes", TRUE, b_stray_bytes, 1},
  {"data-without-payload", TRUE, b_data_empty, 1},
  {"init-zero-length-param", FALSE, b_init_zero_param, 0},
  {"init-zero-length-param-established", TRUE, b_init_zero_param, 0},
  {"init-short-param", FALSE, b_init_short_param, 0},
  {"init-param-past-chunk", FALSE, b_init_param_past_chunk, 0},
  {"init-stray-param-bytes", FALSE, b_init_stray_param_bytes, 0},
  {"init-ipv4-wrong-size", FALSE, b_init_ipv4_wrong, 0},
  {"init-truncated", FALSE, b_init_truncated, 0},
  {"init-with-tag", FALSE, b_init_good, 5},
  {"init-established", TRUE, b_init_good, 0},
  {"init-ack-established", TRUE, b_init_ack_good, 1},
  {"init-bundled", FALSE, b_init_bundled, 0},
  {"init-after-heartbeat", FALSE, b_heartbeat_bundled_with_init, 0},
  {"shutdown-complete-bundled", TRUE, b_shutdown_complete_bundled, 1},
  {"sack-length-mismatch", TRUE, b_sack_mismatch, 1},
  {"sack-short", TRUE, b_sack_short, 1},
  {"heartbeat-empty", TRUE, b_heartbeat_empty, 1},
  {"heartbeat-without-info", TRUE, b_heartbeat_not_info, 1},
  {"heartbeat-ack-zero-info", TRUE, b_heartbeat_ack_zero_info, 1},
  {"abort-short-cause", TRUE, b_abort_short_cause, 1},
  {"error-stale-cookie-short", TRUE, b_error_stale_cookie_short, 1},
  {"shutdown-long", TRUE, b_shutdown_long, 1},
  {"cookie-ack-with-value", TRUE, b_cookie_ack_value, 1},
  {"cookie-echo-empty", TRUE, b_cookie_echo_empty, 1},
  {"reconfig-three-params", TRUE, b_reconfig_three, 1},
  {"reconfig-empty", TRUE, b_reconfig_empty, 1},
  {"reconfig-unknown-param", TRUE, b_reconfig_unknown, 1},
  {"reconfig-odd-stream-list", TRUE, b_reconfig_odd_streams, 1},
  {"reconfig-add-streams-long", TRUE, b_reconfig_add_streams_long, 1},
  {"forward-tsn-odd", TRUE, b_forward_tsn_odd, 1},
  {"forward-tsn-short", TRUE, b_forward_tsn_short, 1},
  {"auth-first", TRUE, b_auth_first, 1},
  {"i-data", TRUE, b_idata, 1},
  {"only-unnegotiated", TRUE, b_only_skipped, 1},
};

static void
check_drop (gconstpointer data)
{
  const DropCase *c = data;
  GByteArray *p = pkt_new (c->vtag);

  c->build (p);
  expect (p, c->established, DROP, NULL);
  g_byte_array_unref (p);
}

/* ------------------------------------------------------------------ */
/* what is trimmed */

/* RFC 9260 3.2: types 10xxxxxx and 11xxxxxx are skipped, 00xxxxxx and
 * 01xxxxxx end the packet (what came before them counts). */
static void
test_trim (void)
{
  GByteArray *p, *want;
  guint8 v[32] = { 0 };

  /* DATA, PKTDROP (skip), SACK -> DATA, SACK */
  p = pkt_new (1);
  data_chunk (p, 5);
  chunk (p, 0x81, v, 12);
  sack_chunk (p, 1, 0, 0);
  want = pkt_new (1);
  data_chunk (want, 5);
  sack_chunk (want, 1, 0, 0);
  expect (p, TRUE, TRIM, want);
  g_byte_array_unref (p);
  g_byte_array_unref (want);

  /* ASCONF (skip), an unknown 0xbf (skip), DATA -> DATA */
  p = pkt_new (1);
  chunk (p, 0xc1, v, 8);
  chunk (p, 0xbf, v, 3);
  data_chunk (p, 9);
  want = pkt_new (1);
  data_chunk (want, 9);
  expect (p, TRUE, TRIM, want);
  g_byte_array_unref (p);
  g_byte_array_unref (want);

  /* SACK, AUTH (stop), DATA -> SACK */
  p = pkt_new (1);
  sack_chunk (p, 0, 0, 0);
  chunk (p, 0x0f, v, 24);
  data_chunk (p, 4);
  want = pkt_new (1);
  sack_chunk (want, 0, 0, 0);
  expect (p, TRUE, TRIM, want);
  g_byte_array_unref (p);
  g_byte_array_unref (want);

  /* SACK, ECNE (stop), a malformed chunk after it -> SACK: what follows
   * a stop is never looked at */
  p = pkt_new (1);
  sack_chunk (p, 0, 0, 0);
  chunk (p, 12, v, 4);
  chunk_full (p, 0, v, 4, 2, FALSE);
  want = pkt_new (1);
  sack_chunk (want, 0, 0, 0);
  expect (p, TRUE, TRIM, want);
  g_byte_array_unref (p);
  g_byte_array_unref (want);

  /* NR-SACK (stop) after DATA whose padding is then kept */
  p = pkt_new (1);
  data_chunk (p, 1);
  chunk (p, 0x10, v, 12);
  want = pkt_new (1);
  data_chunk (want, 1);
  expect (p, TRUE, TRIM, want);
  g_byte_array_unref (p);
  g_byte_array_unref (want);
}

/* Mutations of valid packets: whatever the verdict, a trimmed packet
 * screens clean, and nothing reads outside the packet (ASan). */
static void
test_random (void)
{
  GRand *rand = g_rand_new_with_seed (4960);
  guint i;

  for (i = 0; i < 200000; i++) {
    GByteArray *p = pkt_new (g_rand_int_range (rand, 0, 2));
    guint n = g_rand_int_range (rand, 1, 5), j;
    gboolean est = g_rand_boolean (rand);
    guint8 *copy;
    RtcSctpScreenVerdict v;

    for (j = 0; j < n; j++) {
      switch (g_rand_int_range (rand, 0, 6)) {
        case 0:
          data_chunk (p, g_rand_int_range (rand, 1, 20));
          break;
        case 1:
          sack_chunk (p, g_rand_int_range (rand, 0, 3), 0, 0);
          break;
        case 2:
          b_init_good (p);
          break;
        case 3:{
          guint8 v[16] = { 0 };

          chunk (p, g_rand_int_range (rand, 0, 256), v,
              g_rand_int_range (rand, 0, 16));
          break;
        }
        case 4:
          b_reconfig_three (p);
          break;
        default:
          b_init_ack_good (p);
          break;
      }
    }
    for (j = g_rand_int_range (rand, 0, 4); j > 0; j--)
      p->data[g_rand_int_range (rand, 12, p->len)] = g_rand_int (rand);
    g_byte_array_set_size (p, p->len - g_rand_int_range (rand, 0,
            MIN (p->len - 12, 6) + 1));

    /* exactly the bytes, on the heap, so ASan sees any overread */
    copy = g_memdup2 (p->data, p->len);
    v = rtc_sctp_screen (copy, p->len, est, NULL);
    if (v == TRIM) {
      gsize len = rtc_sctp_screen_trim (copy, p->len, est);

      g_assert_cmpint (rtc_sctp_screen (copy, len, est, NULL), ==, PASS);
    }
    g_free (copy);
    g_byte_array_unref (p);
  }
  g_rand_free (rand);
}

int
main (int argc, char **argv)
{
  guint i;

  gst_init (NULL, NULL);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sctp-screen/pass", test_pass);
  for (i = 0; i < G_N_ELEMENTS (drop_cases); i++) {
    gchar *path = g_strdup_printf ("/sctp-screen/drop/%s",
        drop_cases[i].name);

    g_test_add_data_func (path, &drop_cases[i], check_drop);
    g_free (path);
  }
  g_test_add_func ("/sctp-screen/trim", test_trim);
  g_test_add_func ("/sctp-screen/random", test_random);

  return g_test_run ();
}
