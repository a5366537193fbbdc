/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* rtcdtlssrtpenc and rtcdtlssrtpdec alone, with GstHarness: two pairs
 * (A the DTLS client, B the server) whose datagrams the test carries by
 * hand, so every step is deterministic and no clock or socket is used. */

#include <string.h>
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/webrtc/webrtc.h>

typedef struct
{
  GstElement *enc, *dec;
  GstHarness *rtp;              /* enc rtp_sink -> enc src (the network) */
  GstHarness *rtcp;             /* enc rtcp_sink */
  GstHarness *in;               /* dec sink -> dec rtp_src */
  GstHarness *rtcp_out;         /* dec rtcp_src */
} Side;

static void
side_make (Side * s, gboolean client)
{
  s->enc = gst_element_factory_make ("rtcdtlssrtpenc", NULL);
  fail_unless (s->enc != NULL, "rtcdtlssrtpenc is not registered");
  g_object_set (s->enc, "is-client", client, NULL);
  g_object_get (s->enc, "decoder", &s->dec, NULL);
  fail_unless (s->dec != NULL);
}

/* The decoder's harnesses: the decoder plays, its connection may not
 * have started yet. */
static void
side_harness_dec (Side * s)
{
  s->in = gst_harness_new_with_element (s->dec, "sink", "rtp_src");
  s->rtcp_out = gst_harness_new_with_element (s->dec, NULL, "rtcp_src");
  gst_harness_set_src_caps_str (s->in, "application/x-rtc-datagram");
}

/* The encoder's harnesses: going to PLAYING starts DTLS. */
static void
side_harness_enc (Side * s)
{
  s->rtp = gst_harness_new_with_element (s->enc, "rtp_sink", "src");
  s->rtcp = gst_harness_new_with_element (s->enc, "rtcp_sink", NULL);
  gst_harness_set_src_caps_str (s->rtp, "application/x-rtp");
  gst_harness_set_src_caps_str (s->rtcp, "application/x-rtcp");
}

static void
side_free (Side * s)
{
  gst_harness_teardown (s->rtcp_out);
  gst_harness_teardown (s->in);
  gst_harness_teardown (s->rtcp);
  gst_harness_teardown (s->rtp);
  gst_object_unref (s->dec);
  gst_object_unref (s->enc);
}

static void
set_fingerprints (Side * a, Side * b)
{
  gchar *fa, *fb;

  g_object_get (a->enc, "local-fingerprint", &fa, NULL);
  g_object_get (b->enc, "local-fingerprint", &fb, NULL);
  fail_unless (fa && g_str_has_prefix (fa, "sha-256 "), "%s", fa);
  g_object_set (a->enc, "remote-fingerprint", fb, NULL);
  g_object_set (b->enc, "remote-fingerprint", fa, NULL);
  g_free (fa);
  g_free (fb);
}

/* Everything one side sent goes to the other's decoder; returns how
 * many datagrams moved. */
static guint
carry (Side * from, Side * to)
{
  GstBuffer *buf;
  guint n = 0;

  while ((buf = gst_harness_try_pull (from->rtp))) {
    fail_unless_equals_int (gst_harness_push (to->in, buf), GST_FLOW_OK);
    n++;
  }
  return n;
}

static void
pump (Side * a, Side * b)
{
  guint rounds = 0;

  while (carry (a, b) + carry (b, a) > 0)
    fail_unless (++rounds < 20, "the handshake does not settle");
}

static gint
dtls_state (Side * s)
{
  GstWebRTCDTLSTransportState state;

  g_object_get (s->enc, "dtls-state", &state, NULL);
  return state;
}

static guint64
stat (Side * s, const gchar * name)
{
  GstStructure *st;
  guint64 v = G_MAXUINT64;

  g_object_get (s->enc, "stats", &st, NULL);
  fail_unless (gst_structure_get_uint64 (st, name, &v), "no %s", name);
  gst_structure_free (st);
  return v;
}

/* An RTP packet: version 2, PT 96, then a recognisable payload. */
static GstBuffer *
rtp_packet (guint16 seq, gsize payload)
{
  guint8 *d = g_malloc (12 + payload);
  gsize i;

  d[0] = 0x80;
  d[1] = 96;
  d[2] = seq >> 8;
  d[3] = seq & 0xff;
  memset (d + 4, 0, 4);
  d[8] = 0x12;
  d[9] = 0x34;
  d[10] = 0x56;
  d[11] = 0x78;
  for (i = 0; i < payload; i++)
    d[12 + i] = (guint8) (seq + i);
  return gst_buffer_new_wrapped (d, 12 + payload);
}

/* An empty RTCP receiver report: the RFC 7983 range 192-223 in byte 2. */
static GstBuffer *
rtcp_packet (void)
{
  static const guint8 rr[8] = { 0x80, 201, 0x00, 0x01, 0x12, 0x34, 0x56,
    0x78
  };
  return gst_buffer_new_memdup (rr, sizeof (rr));
}

/* The same bytes. */
static gboolean
buffers_equal (GstBuffer * a, GstBuffer * b)
{
  GstMapInfo ma, mb;
  gboolean eq;

  gst_buffer_map (a, &ma, GST_MAP_READ);
  gst_buffer_map (b, &mb, GST_MAP_READ);
  eq = ma.size == mb.size && memcmp (ma.data, mb.data, ma.size) == 0;
  gst_buffer_unmap (a, &ma);
  gst_buffer_unmap (b, &mb);
  return eq;
}

/* A (client) and B (server) connected; B's harnesses are made before
 * A's so that A's ClientHello finds B's decoder playing. */
static void
connect_pair (Side * a, Side * b)
{
  side_make (a, TRUE);
  side_make (b, FALSE);
  set_fingerprints (a, b);
  side_harness_dec (b);
  side_harness_enc (b);
  side_harness_dec (a);
  side_harness_enc (a);
  pump (a, b);
  fail_unless_equals_int (dtls_state (a),
      GST_WEBRTC_DTLS_TRANSPORT_STATE_CONNECTED);
  fail_unless_equals_int (dtls_state (b),
      GST_WEBRTC_DTLS_TRANSPORT_STATE_CONNECTED);
}

/* One SRTP packet from @from to @to: encrypted on the wire, the same
 * bytes out of the other decoder. */
static void
check_rtp_flows (Side * from, Side * to, guint16 seq)
{
  GstBuffer *plain = rtp_packet (seq, 100), *wire, *got;

  fail_unless_equals_int (gst_harness_push (from->rtp, gst_buffer_ref
          (plain)), GST_FLOW_OK);
  wire = gst_harness_pull (from->rtp);
  fail_unless (gst_buffer_get_size (wire) > gst_buffer_get_size (plain),
      "no SRTP authentication tag");
  fail_unless (gst_buffer_memcmp (wire, 12, (guint8[]) {
          (guint8) seq, (guint8) (seq + 1), (guint8) (seq + 2)}, 3) != 0,
      "the payload left in the clear");
  fail_unless_equals_int (gst_harness_push (to->in, wire), GST_FLOW_OK);
  got = gst_harness_pull (to->in);
  fail_unless (buffers_equal (got, plain), "SRTP did not round-trip");
  gst_buffer_unref (got);
  gst_buffer_unref (plain);
}

GST_START_TEST (test_handshake_and_srtp)
{
  Side a = { 0, }, b = { 0, };
  GstBuffer *plain, *wire, *got;
  gchar *pem;

  connect_pair (&a, &b);
  /* keys exported both ways: media flows in both directions */
  check_rtp_flows (&a, &b, 1);
  check_rtp_flows (&b, &a, 1);
  check_rtp_flows (&a, &b, 2);

  /* SRTCP */
  plain = rtcp_packet ();
  fail_unless_equals_int (gst_harness_push (a.rtcp, gst_buffer_ref (plain)),
      GST_FLOW_OK);
  wire = gst_harness_pull (a.rtp);
  fail_unless (gst_buffer_get_size (wire) > gst_buffer_get_size (plain));
  gst_harness_push (b.in, wire);
  got = gst_harness_pull (b.rtcp_out);
  fail_unless (buffers_equal (got, plain), "SRTCP did not round-trip");
  gst_buffer_unref (got);
  gst_buffer_unref (plain);
  fail_unless_equals_int (gst_harness_buffers_in_queue (b.in), 0);

  fail_unless_equals_uint64 (stat (&a, "rtp-sent"), 2);
  fail_unless_equals_uint64 (stat (&a, "rtcp-sent"), 1);
  fail_unless_equals_uint64 (stat (&b, "rtp-received"), 2);
  fail_unless_equals_uint64 (stat (&b, "rtcp-received"), 1);
  fail_unless_equals_uint64 (stat (&b, "unprotect-failed"), 0);

  /* the peer certificate is the one the fingerprint named */
  g_object_get (b.enc, "certificate", &pem, NULL);
  fail_unless (pem && strstr (pem, "BEGIN CERTIFICATE"));
  g_free (pem);

  side_free (&a);
  side_free (&b);
}

GST_END_TEST;

/* A buffer list (a video frame) leaves as one burst and arrives whole. */
GST_START_TEST (test_buffer_list)
{
  Side a = { 0, }, b = { 0, };
  GstBufferList *list = gst_buffer_list_new ();
  GstBuffer *plain[8];
  guint i;

  connect_pair (&a, &b);
  for (i = 0; i < G_N_ELEMENTS (plain); i++) {
    plain[i] = rtp_packet (10 + i, 1000);
    gst_buffer_list_add (list, gst_buffer_ref (plain[i]));
  }
  fail_unless_equals_int (gst_pad_push_list (a.rtp->srcpad, list),
      GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_buffers_in_queue (a.rtp), 8);
  carry (&a, &b);
  for (i = 0; i < G_N_ELEMENTS (plain); i++) {
    GstBuffer *got = gst_harness_pull (b.in);

    fail_unless (buffers_equal (got, plain[i]), "packet %u differs", i);
    gst_buffer_unref (got);
    gst_buffer_unref (plain[i]);
  }
  side_free (&a);
  side_free (&b);
}

GST_END_TEST;

/* The client's first flight reaches B's decoder before B's connection
 * starts (the ClientHello beats the answer): it is kept and replayed. */
GST_START_TEST (test_early_dtls)
{
  Side a = { 0, }, b = { 0, };

  side_make (&a, TRUE);
  side_make (&b, FALSE);
  set_fingerprints (&a, &b);
  side_harness_dec (&a);
  side_harness_enc (&a);
  side_harness_dec (&b);
  fail_unless (carry (&a, &b) > 0, "the client sent no ClientHello");
  fail_unless_equals_int (dtls_state (&b),
      GST_WEBRTC_DTLS_TRANSPORT_STATE_NEW);
  /* B starts now and answers the ClientHello it kept; the client does not
   * retransmit (no timer runs here), so only the replay can answer. */
  side_harness_enc (&b);
  fail_unless (gst_harness_buffers_in_queue (b.rtp) > 0,
      "the early ClientHello was not replayed");
  pump (&a, &b);
  fail_unless_equals_int (dtls_state (&a),
      GST_WEBRTC_DTLS_TRANSPORT_STATE_CONNECTED);
  fail_unless_equals_int (dtls_state (&b),
      GST_WEBRTC_DTLS_TRANSPORT_STATE_CONNECTED);
  check_rtp_flows (&a, &b, 1);
  side_free (&a);
  side_free (&b);
}

GST_END_TEST;

/* Before the keys: media to send is dropped (nothing in the clear), SRTP
 * received is dropped; both counted, neither an error. */
GST_START_TEST (test_drop_before_keys)
{
  Side a = { 0, }, b = { 0, };
  GstBuffer *hello;

  side_make (&a, TRUE);
  side_make (&b, FALSE);
  set_fingerprints (&a, &b);
  side_harness_dec (&b);
  side_harness_enc (&b);
  side_harness_dec (&a);
  side_harness_enc (&a);

  hello = gst_harness_pull (a.rtp);     /* the ClientHello, held back */
  fail_unless_equals_int (gst_harness_push (a.rtp, rtp_packet (1, 100)),
      GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_push (a.rtcp, rtcp_packet ()),
      GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_buffers_in_queue (a.rtp), 0);
  fail_unless_equals_uint64 (stat (&a, "dropped-before-keys"), 2);

  fail_unless_equals_int (gst_harness_push (b.in, rtp_packet (1, 100)),
      GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_buffers_in_queue (b.in), 0);
  fail_unless_equals_uint64 (stat (&b, "received-before-keys"), 1);

  gst_harness_push (b.in, hello);
  pump (&a, &b);
  check_rtp_flows (&a, &b, 2);
  side_free (&a);
  side_free (&b);
}

GST_END_TEST;

/* Garbage of every kind is dropped and counted; the stream goes on. */
GST_START_TEST (test_garbage)
{
  Side a = { 0, }, b = { 0, };
  static const guint8 turn[8] = { 0x40, 0x00, 0x00, 0x04, 1, 2, 3, 4 };
  static const guint8 junk_dtls[13] = { 23, 0xfe, 0xfd, 0x00, 0x01 };
  guint8 big[1200];
  GstBuffer *wire, *tampered;
  GstMapInfo map;

  connect_pair (&a, &b);
  memset (big, 0xff, sizeof (big));
  fail_unless_equals_int (gst_harness_push (b.in, gst_buffer_new ()),
      GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_push (b.in, gst_buffer_new_memdup (big,
              sizeof (big))), GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_push (b.in, gst_buffer_new_memdup (turn,
              sizeof (turn))), GST_FLOW_OK);
  fail_unless_equals_uint64 (stat (&b, "garbage"), 3);

  /* a DTLS record no peer of ours sends: screened, not an alert */
  fail_unless_equals_int (gst_harness_push (b.in,
          gst_buffer_new_memdup (junk_dtls, sizeof (junk_dtls))),
      GST_FLOW_OK);
  fail_unless_equals_uint64 (stat (&b, "dtls-records-dropped"), 1);
  fail_unless_equals_int (gst_harness_buffers_in_queue (b.rtp), 0);

  /* SRTP with a flipped payload bit fails authentication */
  gst_harness_push (a.rtp, rtp_packet (5, 100));
  wire = gst_harness_pull (a.rtp);
  tampered = gst_buffer_copy_deep (wire);
  gst_buffer_map (tampered, &map, GST_MAP_WRITE);
  map.data[20] ^= 1;
  gst_buffer_unmap (tampered, &map);
  fail_unless_equals_int (gst_harness_push (b.in, tampered), GST_FLOW_OK);
  fail_unless_equals_uint64 (stat (&b, "unprotect-failed"), 1);
  fail_unless_equals_int (gst_harness_buffers_in_queue (b.in), 0);
  /* the genuine one still goes through, and so does what follows */
  gst_harness_push (b.in, wire);
  gst_buffer_unref (gst_harness_pull (b.in));
  fail_unless_equals_int (dtls_state (&b),
      GST_WEBRTC_DTLS_TRANSPORT_STATE_CONNECTED);
  check_rtp_flows (&a, &b, 6);
  check_rtp_flows (&b, &a, 1);
  side_free (&a);
  side_free (&b);
}

GST_END_TEST;

/* A wrong remote fingerprint fails the handshake; no media flows. */
GST_START_TEST (test_fingerprint_mismatch)
{
  Side a = { 0, }, b = { 0, };
  gchar *fp;

  side_make (&a, TRUE);
  side_make (&b, FALSE);
  g_object_get (b.enc, "local-fingerprint", &fp, NULL);
  g_object_set (a.enc, "remote-fingerprint", fp, NULL);
  g_free (fp);
  /* B expects a certificate that is not A's */
  g_object_set (b.enc, "remote-fingerprint", "sha-256 "
      "00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:"
      "00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00", NULL);
  side_harness_dec (&b);
  side_harness_enc (&b);
  side_harness_dec (&a);
  side_harness_enc (&a);
  pump (&a, &b);
  fail_unless_equals_int (dtls_state (&b),
      GST_WEBRTC_DTLS_TRANSPORT_STATE_FAILED);
  gst_harness_push (b.rtp, rtp_packet (1, 100));
  fail_unless_equals_int (gst_harness_buffers_in_queue (b.rtp), 0);
  side_free (&a);
  side_free (&b);
}

GST_END_TEST;

/* The registry lists the sub-elements (gst-inspect-1.0 shows them), with
 * rank none. */
GST_START_TEST (test_registered)
{
  const gchar *names[] = { "rtcdtlssrtpenc", "rtcdtlssrtpdec", "rtcicesink",
    "rtcicesrc"
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (names); i++) {
    GstElementFactory *f = gst_element_factory_find (names[i]);

    fail_unless (f != NULL, "%s is not registered", names[i]);
    fail_unless_equals_int (gst_plugin_feature_get_rank (GST_PLUGIN_FEATURE
            (f)), GST_RANK_NONE);
    gst_object_unref (f);
  }
}

GST_END_TEST;

/* A decoder made alone has no connection: what it gets is dropped. */
GST_START_TEST (test_lone_decoder)
{
  GstElement *dec = gst_element_factory_make ("rtcdtlssrtpdec", NULL);
  GstHarness *h = gst_harness_new_with_element (dec, "sink", "rtp_src");

  gst_harness_set_src_caps_str (h, "application/x-rtc-datagram");
  fail_unless_equals_int (gst_harness_push (h, rtp_packet (1, 10)),
      GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);
  gst_harness_teardown (h);
  gst_object_unref (dec);
}

GST_END_TEST;

static Suite *
dtlssrtp_suite (void)
{
  Suite *s = suite_create ("rtcdtlssrtp");
  TCase *tc = tcase_create ("harness");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_registered);
  tcase_add_test (tc, test_handshake_and_srtp);
  tcase_add_test (tc, test_buffer_list);
  tcase_add_test (tc, test_early_dtls);
  tcase_add_test (tc, test_drop_before_keys);
  tcase_add_test (tc, test_garbage);
  tcase_add_test (tc, test_fingerprint_mismatch);
  tcase_add_test (tc, test_lone_decoder);
  return s;
}

GST_CHECK_MAIN (dtlssrtp);
