/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The small pure decisions of set-description, a row per case:
 * negotiation-needed (one row per step of
 * https://w3c.github.io/webrtc-pc/#dfn-check-if-negotiation-is-needed and
 * outcome), [[CurrentDirection]], the DTLS role of RFC 5763 section 5,
 * receive routing (RFC 8843 section 9.2), the description in use and
 * remote candidates kept in a description. */

#include <string.h>

#include "plan-peer.h"

#define OPUS_CAPS "application/x-rtp,media=audio,encoding-name=OPUS," \
  "payload=111,clock-rate=48000,encoding-params=(string)2"
#define VP8_CAPS "application/x-rtp,media=video,encoding-name=VP8," \
  "payload=96,clock-rate=90000"

#define SENDRECV GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV
#define SENDONLY GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY
#define RECVONLY GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY
#define INACTIVE GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_INACTIVE

/* ---- negotiation-needed ---- */

static RtcJsepMedia *
media_of (TestPeer * p, guint id)
{
  return g_ptr_array_index (p->medias, id);
}

/* a offered audio (and what @setup adds), b answered. */
static void
negotiated_pair (TestPeer ** a, TestPeer ** b,
    GstWebRTCRTPTransceiverDirection dir)
{
  *a = test_peer_new (GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE);
  *b = test_peer_new (GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE);
  test_peer_add (*a, OPUS_CAPS, dir);
  test_negotiate (*a, *b);
}

typedef TestPeer *(*Scenario) (void);

static TestPeer *
s_fresh (void)
{
  return test_peer_new (GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE);
}

static TestPeer *
s_data_channel (void)
{
  TestPeer *p = s_fresh ();

  test_peer_add (p, NULL, SENDRECV);
  return p;
}

static TestPeer *
s_data_negotiated (void)
{
  TestPeer *a = s_fresh (), *b = s_fresh ();

  test_peer_add (a, NULL, SENDRECV);
  test_negotiate (a, b);
  test_peer_free (b);
  return a;
}

static TestPeer *
s_new_transceiver (void)
{
  TestPeer *p = s_fresh ();

  test_peer_add (p, OPUS_CAPS, SENDRECV);
  return p;
}

/* A sink pad whose caps have not come: nothing to describe yet. */
static TestPeer *
s_no_codecs (void)
{
  TestPeer *p = s_fresh ();
  guint id = test_peer_add (p, OPUS_CAPS, SENDRECV);

  g_array_set_size (media_of (p, id)->codecs, 0);
  return p;
}

/* create-offer gave a mid, but the offer was never set. */
static TestPeer *
s_offer_not_set (void)
{
  TestPeer *p = s_new_transceiver ();
  GstWebRTCSessionDescription *offer = test_peer_offer (p);

  gst_webrtc_session_description_free (offer);
  g_assert_nonnull (media_of (p, 0)->mid);
  return p;
}

static TestPeer *
s_offerer_done (void)
{
  TestPeer *a, *b;

  negotiated_pair (&a, &b, SENDRECV);
  test_peer_free (b);
  return a;
}

static TestPeer *
s_answerer_done (void)
{
  TestPeer *a, *b;

  negotiated_pair (&a, &b, SENDRECV);
  test_peer_free (a);
  return b;
}

static TestPeer *
s_msid_moved (void)
{
  TestPeer *a = s_offerer_done ();

  media_of (a, 0)->stream_id = g_strdup ("elsewhere");
  return a;
}

static TestPeer *
s_offerer_direction (void)
{
  TestPeer *a = s_offerer_done ();

  media_of (a, 0)->direction = RECVONLY;
  return a;
}

/* We offered sendrecv, the peer answered recvonly; wanting sendonly now
 * is what was negotiated. */
static TestPeer *
s_offerer_direction_answered (void)
{
  TestPeer *a = test_peer_new (GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE);
  TestPeer *b = test_peer_new (GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE);

  test_peer_add (a, OPUS_CAPS, SENDRECV);
  test_peer_add (b, OPUS_CAPS, RECVONLY);
  test_negotiate (a, b);
  media_of (a, 0)->direction = SENDONLY;
  test_peer_free (b);
  return a;
}

/* The answerer's transceiver (created recvonly) wants to send now. */
static TestPeer *
s_answerer_direction (void)
{
  TestPeer *b = s_answerer_done ();

  g_assert_cmpint (media_of (b, 0)->direction, ==, RECVONLY);
  media_of (b, 0)->direction = SENDRECV;
  return b;
}

/* The offer was recvonly: our sendrecv transceiver answered sendonly, and
 * would again. */
static TestPeer *
s_answerer_direction_same_answer (void)
{
  TestPeer *a = s_fresh (), *b = s_fresh ();

  test_peer_add (a, OPUS_CAPS, RECVONLY);
  test_peer_add (b, OPUS_CAPS, SENDRECV);
  test_negotiate (a, b);
  test_peer_free (a);
  g_assert_cmpint (rtc_sdp_media_get_direction (b->cl->sdp, 0), ==,
      SENDONLY);
  return b;
}

static TestPeer *
s_stopped_negotiated (void)
{
  TestPeer *a = s_offerer_done ();

  media_of (a, 0)->stopped = TRUE;
  return a;
}

static TestPeer *
s_stopped_never_negotiated (void)
{
  TestPeer *p = s_new_transceiver ();

  media_of (p, 0)->stopped = TRUE;
  return p;
}

/* Our answer rejected the section (no common codec): the transceiver is
 * stopped by that, nothing to renegotiate. */
static TestPeer *
s_rejected_by_answer (void)
{
  TestPeer *a = s_fresh (), *b = s_fresh ();

  test_peer_add (a, OPUS_CAPS, SENDRECV);
  test_peer_add (b, VP8_CAPS, SENDRECV);
  /* b's video transceiver cannot take the audio m-line; the created one
   * is given no codec in common. */
  {
    GstWebRTCSessionDescription *offer = test_peer_offer (a), *answer;
    GError *error = NULL;
    RtcJsepPlan *plan = test_peer_set (b, RTC_SDP_SOURCE_REMOTE, offer,
        &error);

    g_assert_no_error (error);
    rtc_jsep_plan_free (plan);
    g_array_set_size (media_of (b, 1)->codecs, 0);
    answer = test_peer_answer (b);
    g_assert_true (rtc_sdp_media_is_rejected (answer->sdp, 0));
    plan = test_peer_set (b, RTC_SDP_SOURCE_LOCAL, answer, &error);
    g_assert_no_error (error);
    rtc_jsep_plan_free (plan);
    gst_webrtc_session_description_free (offer);
    gst_webrtc_session_description_free (answer);
  }
  test_peer_free (a);
  /* b's own video transceiver was never offered: leave it out. */
  media_of (b, 0)->stopped = TRUE;
  return b;
}

static const struct
{
  const gchar *name;
  Scenario setup;
  RtcNegotiationReason expect;
  gint index;                   /* -1: any */
} needed_rows[] = {
  {"nothing to negotiate", s_fresh, RTC_NEGOTIATION_NOT_NEEDED, -1},
  {"4: data channel, no m=application", s_data_channel,
      RTC_NEGOTIATION_DATA_CHANNEL, 0},
  {"4: m=application negotiated", s_data_negotiated,
      RTC_NEGOTIATION_NOT_NEEDED, -1},
  {"5.2: transceiver without mid", s_new_transceiver,
      RTC_NEGOTIATION_NO_MID, 0},
  {"5.2: no caps yet (implementation)", s_no_codecs,
      RTC_NEGOTIATION_NOT_NEEDED, -1},
  {"5.2: mid from an offer never set", s_offer_not_set,
      RTC_NEGOTIATION_NO_MID, 0},
  {"offerer, negotiated", s_offerer_done, RTC_NEGOTIATION_NOT_NEEDED, -1},
  {"answerer, negotiated", s_answerer_done, RTC_NEGOTIATION_NOT_NEEDED, -1},
  {"5.3.1: track moved to another stream", s_msid_moved,
      RTC_NEGOTIATION_MSID, 0},
  {"5.3.2: direction neither offered nor answered", s_offerer_direction,
      RTC_NEGOTIATION_OFFER_DIRECTION, 0},
  {"5.3.2: direction as answered", s_offerer_direction_answered,
      RTC_NEGOTIATION_NOT_NEEDED, -1},
  {"5.3.3: answer would differ", s_answerer_direction,
      RTC_NEGOTIATION_ANSWER_DIRECTION, 0},
  {"5.3.3: answer would be the same", s_answerer_direction_same_answer,
      RTC_NEGOTIATION_NOT_NEEDED, -1},
  {"5.4: stopped, section not rejected", s_stopped_negotiated,
      RTC_NEGOTIATION_STOPPED, 0},
  {"5.4: stopped, never negotiated", s_stopped_never_negotiated,
      RTC_NEGOTIATION_NOT_NEEDED, -1},
  {"rejected by our answer", s_rejected_by_answer,
      RTC_NEGOTIATION_NOT_NEEDED, -1},
};

static void
test_negotiation_needed_table (void)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (needed_rows); i++) {
    TestPeer *p = needed_rows[i].setup ();
    RtcJsepState s = test_peer_state (p);
    guint index = G_MAXUINT;
    RtcNegotiationReason got = rtc_jsep_negotiation_needed (&s, &index);

    if (got != needed_rows[i].expect)
      g_error ("row '%s': got '%s', expected '%s'", needed_rows[i].name,
          rtc_negotiation_reason_to_string (got),
          rtc_negotiation_reason_to_string (needed_rows[i].expect));
    if (needed_rows[i].index >= 0)
      g_assert_cmpuint (index, ==, needed_rows[i].index);
    test_peer_free (p);
  }
}

/* ---- current direction ---- */

#define SECTION(dir, port) "m=audio " port " UDP/TLS/RTP/SAVPF 111\r\n" \
  "a=mid:" dir "\r\na=" dir "\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\n"

static void
test_current_direction_table (void)
{
  const gchar *text = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
      SECTION ("sendrecv", "9") SECTION ("sendonly", "9")
      SECTION ("recvonly", "9") SECTION ("inactive", "9")
      SECTION ("sendrecv", "0");
  static const struct
  {
    guint mline;
    GstWebRTCRTPTransceiverDirection local, remote;
  } rows[] = {
    {0, SENDRECV, SENDRECV},
    {1, SENDONLY, RECVONLY},
    {2, RECVONLY, SENDONLY},
    {3, INACTIVE, INACTIVE},
    {4, INACTIVE, INACTIVE},    /* rejected */
  };
  GstSDPMessage *sdp = NULL;
  guint i;

  g_assert_cmpint (gst_sdp_message_new_from_text (text, &sdp), ==,
      GST_SDP_OK);
  for (i = 0; i < G_N_ELEMENTS (rows); i++) {
    g_assert_cmpint (rtc_jsep_current_direction (sdp, rows[i].mline,
            RTC_SDP_SOURCE_LOCAL), ==, rows[i].local);
    g_assert_cmpint (rtc_jsep_current_direction (sdp, rows[i].mline,
            RTC_SDP_SOURCE_REMOTE), ==, rows[i].remote);
  }
  gst_sdp_message_free (sdp);
}

/* ---- DTLS role ---- */

#define ACTPASS GST_WEBRTC_DTLS_SETUP_ACTPASS
#define ACTIVE GST_WEBRTC_DTLS_SETUP_ACTIVE
#define PASSIVE GST_WEBRTC_DTLS_SETUP_PASSIVE
#define NONE GST_WEBRTC_DTLS_SETUP_NONE

static void
test_dtls_role_table (void)
{
  static const struct
  {
    GstWebRTCDTLSSetup ours, theirs;
    gboolean decided, client;
  } rows[] = {
    /* we answered */
    {ACTIVE, ACTPASS, TRUE, TRUE},
    {PASSIVE, ACTPASS, TRUE, FALSE},
    {PASSIVE, ACTIVE, TRUE, FALSE},
    {ACTIVE, PASSIVE, TRUE, TRUE},
    /* we offered actpass */
    {ACTPASS, ACTIVE, TRUE, FALSE},
    {ACTPASS, PASSIVE, TRUE, TRUE},
    {ACTPASS, NONE, TRUE, FALSE},       /* absent answer: active */
    /* not decided yet */
    {ACTPASS, ACTPASS, FALSE, FALSE},
    {NONE, ACTPASS, FALSE, FALSE},
    {NONE, NONE, FALSE, FALSE},
    /* a local description without a=setup, the peer's decides */
    {NONE, ACTIVE, TRUE, FALSE},
    {NONE, PASSIVE, TRUE, TRUE},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (rows); i++) {
    gboolean client = !rows[i].client;
    gboolean decided = rtc_jsep_dtls_client (rows[i].ours, rows[i].theirs,
        &client);

    g_assert_cmpint (decided, ==, rows[i].decided);
    if (decided)
      g_assert_cmpint (client, ==, rows[i].client);
  }
}

/* ---- routing ---- */

/* Three sections on BUNDLE tag "a": audio names its SSRC, two video
 * sections share payload type 96 and name none, and 98 is video b's
 * alone; a fourth section on its own transport. */
#define ROUTE_SDP "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n" \
  "a=group:BUNDLE a vb vc\r\n" \
  "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:a\r\na=sendrecv\r\n" \
  "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\n" \
  "a=rtpmap:111 opus/48000/2\r\na=ssrc:1111 cname:x\r\n" \
  "m=video 9 UDP/TLS/RTP/SAVPF 96 98\r\na=mid:vb\r\na=sendrecv\r\n" \
  "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\n" \
  "a=rtpmap:96 VP8/90000\r\na=rtpmap:98 VP9/90000\r\n" \
  "m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\na=mid:vc\r\na=sendrecv\r\n" \
  "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\n" \
  "a=rtpmap:96 VP8/90000\r\na=rtpmap:97 H264/90000\r\n" \
  "m=video 9 UDP/TLS/RTP/SAVPF 100\r\na=mid:solo\r\na=sendrecv\r\n" \
  "a=rtpmap:100 VP8/90000\r\n"

static void
test_routing_table (void)
{
  static const struct
  {
    const gchar *name;
    guint32 ssrc;
    guint pt;
    const gchar *mid;
    RtcRouteKind kind;
    gint mline;
  } rows[] = {
    {"signalled ssrc", 1111, 111, NULL, RTC_ROUTE_SSRC, 0},
    {"signalled ssrc wins over mid", 1111, 111, "vb", RTC_ROUTE_SSRC, 0},
    {"unknown pt dropped", 1111, 35, NULL, RTC_ROUTE_DROP, -1},
    {"pt of another transport", 5, 100, NULL, RTC_ROUTE_DROP, -1},
    {"mid extension", 2222, 96, "vc", RTC_ROUTE_MID, 2},
    {"unknown mid dropped, not guessed", 2222, 98, "zz", RTC_ROUTE_DROP, -1},
    {"learned ssrc", 3333, 96, NULL, RTC_ROUTE_SSRC, 1},
    {"shared pt alone", 4444, 96, NULL, RTC_ROUTE_DROP, -1},
    {"pt one m-line receives", 4444, 98, NULL, RTC_ROUTE_PT, 1},
    {"pt one m-line receives (2)", 4444, 97, NULL, RTC_ROUTE_PT, 2},
    {"pt of a section naming its ssrc", 4444, 111, NULL, RTC_ROUTE_DROP, -1},
  };
  GstSDPMessage *sdp = NULL;
  gboolean has[4] = { TRUE, TRUE, TRUE, TRUE };
  RtcJsepRoutes *r;
  GHashTable *learned = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  guint i;

  g_assert_cmpint (gst_sdp_message_new_from_text (ROUTE_SDP, &sdp), ==,
      GST_SDP_OK);
  r = rtc_jsep_routes_build (sdp, sdp, "a", has, 4);
  g_assert_cmpuint (rtc_jsep_routes_get_mid_ext_id (r), ==, 4);
  g_assert_cmpuint (rtc_jsep_routes_get_mlines (r)->len, ==, 3);
  g_assert_nonnull (rtc_jsep_routes_get_caps (r, 97));
  g_assert_null (rtc_jsep_routes_get_caps (r, 100));
  g_hash_table_insert (learned, GUINT_TO_POINTER (3333), g_strdup ("vb"));

  for (i = 0; i < G_N_ELEMENTS (rows); i++) {
    gint mline = -1;
    RtcRouteKind kind = rtc_jsep_route_packet (r, learned, rows[i].ssrc,
        rows[i].pt, rows[i].mid, &mline);

    if (kind != rows[i].kind || (kind != RTC_ROUTE_DROP
            && mline != rows[i].mline))
      g_error ("row '%s': got %s m-line %d, expected %s m-line %d",
          rows[i].name, rtc_route_kind_to_string (kind), mline,
          rtc_route_kind_to_string (rows[i].kind), rows[i].mline);
  }
  /* rtpbin's pads: by SSRC, else a pt that names one m-line. */
  g_assert_cmpint (rtc_jsep_route_stream (r, learned, 1111, 96), ==, 0);
  g_assert_cmpint (rtc_jsep_route_stream (r, learned, 9, 98), ==, 1);
  g_assert_cmpint (rtc_jsep_route_stream (r, learned, 9, 96), ==, -1);
  g_assert_cmpint (rtc_jsep_route_ssrc (r, learned, 3333), ==, 1);
  g_assert_cmpint (rtc_jsep_route_ssrc (r, NULL, 3333), ==, -1);
  rtc_jsep_routes_free (r);

  /* An m-line without a transceiver does not route. */
  has[2] = FALSE;
  r = rtc_jsep_routes_build (sdp, sdp, "a", has, 4);
  g_assert_cmpint (rtc_jsep_route_stream (r, NULL, 9, 96), ==, 1);
  {
    gint mline = -1;

    g_assert_cmpint (rtc_jsep_route_packet (r, NULL, 1, 96, "vc", &mline),
        ==, RTC_ROUTE_DROP);
  }
  rtc_jsep_routes_free (r);

  /* The lone section's transport. */
  r = rtc_jsep_routes_build (sdp, sdp, "solo", has, 4);
  {
    gint mline = -1;

    g_assert_cmpint (rtc_jsep_route_packet (r, NULL, 1, 100, NULL, &mline),
        ==, RTC_ROUTE_PT);
    g_assert_cmpint (mline, ==, 3);
  }
  rtc_jsep_routes_free (r);

  /* A remote offer before our answer (no local): by its own group. */
  r = rtc_jsep_routes_build (NULL, sdp, "a", has, 4);
  g_assert_cmpuint (rtc_jsep_routes_get_mlines (r)->len, ==, 2);
  rtc_jsep_routes_free (r);

  g_hash_table_unref (learned);
  gst_sdp_message_free (sdp);
}

/* ---- the description in use, candidates ---- */

static void
test_desc_in_use (void)
{
  GstSDPMessage *a, *b;
  GstWebRTCSessionDescription *pending, *current;

  gst_sdp_message_new (&a);
  gst_sdp_message_new (&b);
  pending = gst_webrtc_session_description_new (GST_WEBRTC_SDP_TYPE_OFFER, a);
  current = gst_webrtc_session_description_new (GST_WEBRTC_SDP_TYPE_ANSWER,
      b);
  g_assert_true (rtc_jsep_desc_in_use (pending, current) == pending);
  g_assert_true (rtc_jsep_desc_in_use (NULL, current) == current);
  g_assert_true (rtc_jsep_desc_in_use (pending, NULL) == pending);
  g_assert_null (rtc_jsep_desc_in_use (NULL, NULL));
  g_assert_true (rtc_jsep_sdp_in_use (pending, current) == a);
  g_assert_true (rtc_jsep_sdp_in_use (NULL, current) == b);
  g_assert_null (rtc_jsep_sdp_in_use (NULL, NULL));
  gst_webrtc_session_description_free (pending);
  gst_webrtc_session_description_free (current);
}

static guint
count_attr (const GstSDPMessage * sdp, guint mline, const gchar * key)
{
  const GstSDPMedia *m = gst_sdp_message_get_media (sdp, mline);
  guint i, n = 0;

  for (i = 0; i < gst_sdp_media_attributes_len (m); i++)
    n += !g_strcmp0 (gst_sdp_media_get_attribute (m, i)->key, key);
  return n;
}

static void
test_add_candidate (void)
{
  GstSDPMessage *sdp = NULL;
  GError *error = NULL;
  guint i;

  g_assert_cmpint (gst_sdp_message_new_from_text (ROUTE_SDP, &sdp), ==,
      GST_SDP_OK);
  g_assert_true (rtc_jsep_sdp_add_candidate (sdp, 1,
          "a=candidate:1 1 UDP 2122252543 127.0.0.1 40000 typ host", &error));
  g_assert_cmpstr (gst_sdp_media_get_attribute_val (gst_sdp_message_get_media
          (sdp, 1), "candidate"), ==,
      "1 1 UDP 2122252543 127.0.0.1 40000 typ host");
  g_assert_true (rtc_jsep_sdp_add_candidate (sdp, 1, "", &error));
  g_assert_true (rtc_jsep_sdp_add_candidate (sdp, 1, "", &error));
  g_assert_cmpuint (count_attr (sdp, 1, "end-of-candidates"), ==, 1);
  g_assert_false (rtc_jsep_sdp_add_candidate (sdp, 9,
          "candidate:1 1 UDP 1 127.0.0.1 1 typ host", &error));
  g_assert_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP);
  g_assert_nonnull (strstr (error->message, "m-line 9 does not exist"));
  g_clear_error (&error);
  g_assert_false (rtc_jsep_sdp_add_candidate (sdp, 0, "candidate:garbage",
          &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  for (i = 1; i < 256; i++) {
    gchar *c = g_strdup_printf ("candidate:%u 1 UDP 1 127.0.0.1 %u typ host",
        i, 1000 + i);

    g_assert_true (rtc_jsep_sdp_add_candidate (sdp, 1, c, NULL));
    g_free (c);
  }
  g_assert_false (rtc_jsep_sdp_add_candidate (sdp, 1,
          "candidate:999 1 UDP 1 127.0.0.1 9 typ host", &error));
  g_assert_nonnull (strstr (error->message, "already has 256 candidates"));
  g_clear_error (&error);
  gst_sdp_message_free (sdp);
}

int
main (int argc, char **argv)
{
  gst_init (NULL, NULL);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/jsep/plan/negotiation-needed",
      test_negotiation_needed_table);
  g_test_add_func ("/jsep/plan/current-direction",
      test_current_direction_table);
  g_test_add_func ("/jsep/plan/dtls-role", test_dtls_role_table);
  g_test_add_func ("/jsep/plan/routing", test_routing_table);
  g_test_add_func ("/jsep/plan/desc-in-use", test_desc_in_use);
  g_test_add_func ("/jsep/plan/add-candidate", test_add_candidate);
  return g_test_run ();
}
