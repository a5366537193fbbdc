/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* rtcsdputil over the captured offers and answers in tests/data/sdp/
 * (RTC_TEST_DATA_DIR), plus small inline descriptions for the corners
 * the corpus does not reach. */

#include <string.h>

#include "jsep/rtcsdputil.h"

static GstSDPMessage *
load (const gchar * name)
{
  const gchar *dir = g_getenv ("RTC_TEST_DATA_DIR");
  GstSDPMessage *msg = NULL;
  GError *error = NULL;
  gchar *path, *text = NULL;

  if (dir == NULL)
    g_error ("RTC_TEST_DATA_DIR is not set; run through 'meson test'");
  path = g_build_filename (dir, "sdp", name, NULL);
  if (!g_file_get_contents (path, &text, NULL, &error))
    g_error ("%s: %s", path, error->message);
  g_assert_cmpint (gst_sdp_message_new_from_text (text, &msg), ==, GST_SDP_OK);
  g_free (text);
  g_free (path);
  return msg;
}

static GstSDPMessage *
parse (const gchar * text)
{
  GstSDPMessage *msg = NULL;

  g_assert_cmpint (gst_sdp_message_new_from_text (text, &msg), ==, GST_SDP_OK);
  return msg;
}

static const RtcCodec *
find_codec (GArray * codecs, guint pt)
{
  guint i;

  for (i = 0; i < codecs->len; i++) {
    const RtcCodec *c = &g_array_index (codecs, RtcCodec, i);
    if (c->pt == pt)
      return c;
  }
  return NULL;
}

static GArray *
get_codecs (const GstSDPMessage * msg, guint mline)
{
  GArray *codecs = rtc_codec_array_new ();
  GError *error = NULL;

  g_assert_true (rtc_sdp_media_get_codecs (msg, mline, codecs, &error));
  g_assert_no_error (error);
  return codecs;
}

#define ALL_VIDEO_FB (RTC_FB_NACK | RTC_FB_NACK_PLI | RTC_FB_CCM_FIR | \
    RTC_FB_TRANSPORT_CC | RTC_FB_GOOG_REMB)

static void
test_chromium_audio_codecs (void)
{
  GstSDPMessage *msg = load ("chromium-av-offer.sdp");
  GArray *codecs = get_codecs (msg, 0);
  const RtcCodec *c;
  static const guint order[] = { 111, 63, 9, 0, 8, 13, 110, 126 };
  guint i;

  /* m= order is preference order; nothing is RTX here. */
  g_assert_cmpuint (codecs->len, ==, G_N_ELEMENTS (order));
  for (i = 0; i < G_N_ELEMENTS (order); i++)
    g_assert_cmpuint (g_array_index (codecs, RtcCodec, i).pt, ==, order[i]);

  c = find_codec (codecs, 111);
  g_assert_cmpstr (c->encoding_name, ==, "opus");
  g_assert_cmpuint (c->clock_rate, ==, 48000);
  g_assert_cmpuint (c->channels, ==, 2);
  g_assert_cmpstr (c->fmtp, ==, "minptime=10;useinbandfec=1");
  g_assert_cmpuint (c->feedback, ==, RTC_FB_TRANSPORT_CC);
  g_assert_cmpuint (c->rtx_pt, ==, 0);

  c = find_codec (codecs, 63);
  g_assert_cmpstr (c->encoding_name, ==, "red");
  g_assert_cmpstr (c->fmtp, ==, "111/111");
  g_assert_cmpuint (c->feedback, ==, 0);

  c = find_codec (codecs, 0);
  g_assert_cmpstr (c->encoding_name, ==, "PCMU");
  g_assert_cmpuint (c->clock_rate, ==, 8000);
  g_assert_cmpuint (c->channels, ==, 0);        /* not given */
  g_assert_null (c->fmtp);

  c = find_codec (codecs, 126);
  g_assert_cmpstr (c->encoding_name, ==, "telephone-event");

  g_array_unref (codecs);
  gst_sdp_message_free (msg);
}

static void
test_chromium_video_codecs (void)
{
  GstSDPMessage *msg = load ("chromium-av-offer.sdp");
  GArray *codecs = get_codecs (msg, 1);
  const RtcCodec *c;
  static const struct
  {
    guint pt, rtx;
    const gchar *name;
  } expect[] = {
    {96, 97, "VP8"}, {102, 103, "H264"}, {104, 105, "H264"},
    {106, 107, "H264"}, {108, 109, "H264"}, {127, 125, "H264"},
    {39, 40, "H264"}, {45, 46, "AV1"}, {98, 99, "VP9"}, {100, 101, "VP9"},
    {112, 113, "H264"}, {116, 117, "red"}, {118, 0, "ulpfec"},
  };
  guint i;

  /* 25 formats, 12 of them RTX folded into the codec they repair. */
  g_assert_cmpuint (codecs->len, ==, G_N_ELEMENTS (expect));
  for (i = 0; i < G_N_ELEMENTS (expect); i++) {
    c = &g_array_index (codecs, RtcCodec, i);
    g_assert_cmpuint (c->pt, ==, expect[i].pt);
    g_assert_cmpuint (c->rtx_pt, ==, expect[i].rtx);
    g_assert_cmpstr (c->encoding_name, ==, expect[i].name);
    g_assert_cmpuint (c->clock_rate, ==, 90000);
    g_assert_cmpuint (c->channels, ==, 0);
  }

  c = find_codec (codecs, 96);
  g_assert_cmpuint (c->feedback, ==, ALL_VIDEO_FB);
  g_assert_null (c->fmtp);
  c = find_codec (codecs, 102);
  g_assert_cmpstr (c->fmtp, ==,
      "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f");
  c = find_codec (codecs, 45);
  g_assert_cmpstr (c->fmtp, ==, "level-idx=5;profile=0;tier=0");
  c = find_codec (codecs, 100);
  g_assert_cmpstr (c->fmtp, ==, "profile-id=2");
  c = find_codec (codecs, 118);
  g_assert_cmpuint (c->feedback, ==, 0);
  g_assert_null (find_codec (codecs, 97));      /* RTX is not a codec */

  g_array_unref (codecs);
  gst_sdp_message_free (msg);
}

static void
test_datachannel_has_no_codecs (void)
{
  GstSDPMessage *msg = load ("chromium-av-offer.sdp");
  GArray *codecs = get_codecs (msg, 2);

  g_assert_cmpuint (codecs->len, ==, 0);
  g_array_unref (codecs);
  gst_sdp_message_free (msg);
}

static void
test_firefox_codecs (void)
{
  GstSDPMessage *msg = load ("firefox-av-offer.sdp");
  GArray *codecs = get_codecs (msg, 0);
  const RtcCodec *c;

  g_assert_cmpuint (codecs->len, ==, 5);
  c = find_codec (codecs, 109);
  g_assert_cmpstr (c->encoding_name, ==, "opus");
  g_assert_cmpuint (c->channels, ==, 2);
  g_assert_cmpstr (c->fmtp, ==,
      "maxplaybackrate=48000;stereo=1;useinbandfec=1");
  c = find_codec (codecs, 9);
  g_assert_cmpstr (c->encoding_name, ==, "G722");
  g_assert_cmpuint (c->channels, ==, 1);        /* Firefox writes /1 */
  c = find_codec (codecs, 101);
  g_assert_cmpstr (c->fmtp, ==, "0-15");
  g_array_unref (codecs);

  /* Firefox lists fmtp before rtpmap and RTX apt= far from its codec. */
  codecs = get_codecs (msg, 1);
  g_assert_cmpuint (codecs->len, ==, 6);
  c = &g_array_index (codecs, RtcCodec, 0);
  g_assert_cmpuint (c->pt, ==, 120);
  g_assert_cmpstr (c->encoding_name, ==, "VP8");
  g_assert_cmpuint (c->rtx_pt, ==, 124);
  g_assert_cmpstr (c->fmtp, ==, "max-fs=12288;max-fr=60");
  g_assert_cmpuint (c->feedback, ==, ALL_VIDEO_FB);
  g_assert_cmpuint (find_codec (codecs, 121)->rtx_pt, ==, 125);
  g_assert_cmpuint (find_codec (codecs, 126)->rtx_pt, ==, 127);
  g_assert_cmpuint (find_codec (codecs, 97)->rtx_pt, ==, 98);
  g_assert_cmpuint (find_codec (codecs, 122)->rtx_pt, ==, 119);
  c = find_codec (codecs, 123);
  g_assert_cmpstr (c->encoding_name, ==, "ulpfec");
  g_assert_cmpuint (c->rtx_pt, ==, 0);
  g_assert_cmpuint (c->feedback, ==, ALL_VIDEO_FB);
  g_array_unref (codecs);

  gst_sdp_message_free (msg);
}

static void
test_webrtcbin_codecs (void)
{
  GstSDPMessage *msg = load ("webrtcbin-av-offer.sdp");
  GArray *codecs = get_codecs (msg, 0);
  const RtcCodec *c;

  g_assert_cmpuint (codecs->len, ==, 1);
  c = &g_array_index (codecs, RtcCodec, 0);
  g_assert_cmpuint (c->pt, ==, 96);
  g_assert_cmpstr (c->encoding_name, ==, "VP8");
  g_assert_cmpuint (c->rtx_pt, ==, 98);
  g_assert_cmpuint (c->feedback, ==, RTC_FB_NACK | RTC_FB_NACK_PLI
      | RTC_FB_CCM_FIR | RTC_FB_TRANSPORT_CC);
  g_array_unref (codecs);

  /* Audio RTX at 48000 (rtx/48000) folds the same way. */
  codecs = get_codecs (msg, 1);
  g_assert_cmpuint (codecs->len, ==, 1);
  c = &g_array_index (codecs, RtcCodec, 0);
  g_assert_cmpstr (c->encoding_name, ==, "OPUS");
  g_assert_cmpuint (c->channels, ==, 2);
  g_assert_cmpuint (c->rtx_pt, ==, 99);
  g_assert_cmpstr (c->fmtp, ==, "sprop-stereo=0;sprop-maxcapturerate=48000");
  g_array_unref (codecs);

  gst_sdp_message_free (msg);
}

#define HEAD "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"

static void
test_wildcard_feedback (void)
{
  GstSDPMessage *msg = parse (HEAD
      "m=video 9 UDP/TLS/RTP/SAVPF 96 97 98\r\n"
      "a=rtpmap:96 VP8/90000\r\n"
      "a=rtpmap:97 H264/90000\r\n"
      "a=rtpmap:98 rtx/90000\r\n"
      "a=fmtp:98 apt=97;rtx-time=3000\r\n"
      "a=rtcp-fb:* nack\r\n"
      "a=rtcp-fb:*  transport-cc\r\n"
      "a=rtcp-fb:96 ccm fir\r\n" "a=rtcp-fb:96 ccm tmmbr\r\n");
  GArray *codecs = get_codecs (msg, 0);

  g_assert_cmpuint (codecs->len, ==, 2);
  g_assert_cmpuint (find_codec (codecs, 96)->feedback, ==,
      RTC_FB_NACK | RTC_FB_TRANSPORT_CC | RTC_FB_CCM_FIR);
  g_assert_cmpuint (find_codec (codecs, 97)->feedback, ==,
      RTC_FB_NACK | RTC_FB_TRANSPORT_CC);
  g_assert_cmpuint (find_codec (codecs, 96)->rtx_pt, ==, 0);
  g_assert_cmpuint (find_codec (codecs, 97)->rtx_pt, ==, 98);
  g_array_unref (codecs);
  gst_sdp_message_free (msg);
}

static void
test_rtx_corner_cases (void)
{
  /* RTX before its codec; RTX without apt (skipped); RTX naming a payload
   * type that is not in the m-line (skipped). */
  GstSDPMessage *msg = parse (HEAD
      "m=video 9 UDP/TLS/RTP/SAVPF 101 100 102 103\r\n"
      "a=rtpmap:101 rtx/90000\r\n"
      "a=fmtp:101 apt=100\r\n"
      "a=rtpmap:100 VP9/90000\r\n"
      "a=rtpmap:102 rtx/90000\r\n"
      "a=rtpmap:103 rtx/90000\r\n" "a=fmtp:103 apt=55\r\n");
  GArray *codecs = get_codecs (msg, 0);

  g_assert_cmpuint (codecs->len, ==, 1);
  g_assert_cmpuint (g_array_index (codecs, RtcCodec, 0).pt, ==, 100);
  g_assert_cmpuint (g_array_index (codecs, RtcCodec, 0).rtx_pt, ==, 101);
  g_array_unref (codecs);
  gst_sdp_message_free (msg);
}

static void
test_static_payload_types (void)
{
  GstSDPMessage *msg = parse (HEAD "m=audio 9 RTP/AVP 8 0 18\r\n");
  GArray *codecs = get_codecs (msg, 0);

  g_assert_cmpuint (codecs->len, ==, 3);
  g_assert_cmpstr (g_array_index (codecs, RtcCodec, 0).encoding_name, ==,
      "PCMA");
  g_assert_cmpstr (g_array_index (codecs, RtcCodec, 1).encoding_name, ==,
      "PCMU");
  g_assert_cmpstr (g_array_index (codecs, RtcCodec, 2).encoding_name, ==,
      "G729");
  g_assert_cmpuint (g_array_index (codecs, RtcCodec, 2).clock_rate, ==, 8000);
  g_array_unref (codecs);
  gst_sdp_message_free (msg);
}

static void
test_codec_errors (void)
{
  static const struct
  {
    const gchar *media;
    const gchar *expect;
  } cases[] = {
    {"m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:v\r\n",
        "m-line 0 (mid 'v'): payload type 96 has no a=rtpmap"},
    {"m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=rtpmap:111 opus\r\n",
        "a=rtpmap:111 'opus' is malformed"},
    {"m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=rtpmap:111 opus/x/2\r\n",
        "is malformed"},
    {"m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=rtpmap:111 opus/0\r\n",
        "is malformed"},
    {"m=audio 9 UDP/TLS/RTP/SAVPF 200\r\n", "format '200' is not an RTP"},
    {"m=audio 9 UDP/TLS/RTP/SAVPF opus\r\n", "format 'opus' is not an RTP"},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    gchar *text = g_strconcat (HEAD, cases[i].media, NULL);
    GstSDPMessage *msg = parse (text);
    GArray *codecs = rtc_codec_array_new ();
    RtcCodec keep = { 0, };
    GError *error = NULL;

    /* What was in the array before stays, untouched. */
    keep.pt = 7;
    keep.encoding_name = g_strdup ("keep");
    g_array_append_val (codecs, keep);
    g_assert_false (rtc_sdp_media_get_codecs (msg, 0, codecs, &error));
    g_assert_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP);
    if (!strstr (error->message, cases[i].expect))
      g_error ("case %u: '%s' does not contain '%s'", i, error->message,
          cases[i].expect);
    g_assert_cmpuint (codecs->len, ==, 1);
    g_assert_cmpstr (g_array_index (codecs, RtcCodec, 0).encoding_name, ==,
        "keep");
    g_clear_error (&error);
    g_array_unref (codecs);
    gst_sdp_message_free (msg);
    g_free (text);
  }
}

static void
test_appends (void)
{
  GstSDPMessage *msg = load ("chromium-av-offer.sdp");
  GArray *codecs = get_codecs (msg, 0);

  /* A second call appends after what is there. */
  g_assert_true (rtc_sdp_media_get_codecs (msg, 1, codecs, NULL));
  g_assert_cmpuint (codecs->len, ==, 8 + 13);
  g_assert_cmpuint (g_array_index (codecs, RtcCodec, 8).pt, ==, 96);
  g_assert_cmpuint (g_array_index (codecs, RtcCodec, 8).rtx_pt, ==, 97);
  g_assert_false (rtc_sdp_media_get_codecs (msg, 3, codecs, NULL));
  g_array_unref (codecs);
  gst_sdp_message_free (msg);
}

static void
test_bundle_mids (void)
{
  GstSDPMessage *msg = load ("chromium-av-offer.sdp");
  gchar **mids = rtc_sdp_get_bundle_mids (msg);
  const gchar *const chromium[] = { "0", "1", "2", NULL };
  const gchar *const webrtcbin[] = { "video0", "audio1", NULL };

  g_assert_cmpstrv (mids, chromium);
  g_strfreev (mids);
  gst_sdp_message_free (msg);

  msg = load ("webrtcbin-av-offer.sdp");
  mids = rtc_sdp_get_bundle_mids (msg);
  g_assert_cmpstrv (mids, webrtcbin);
  g_strfreev (mids);
  gst_sdp_message_free (msg);

  /* Only BUNDLE groups count; an empty one bundles nothing. */
  msg = parse (HEAD "a=group:LS a b\r\na=group:BUNDLE\r\n");
  g_assert_null (rtc_sdp_get_bundle_mids (msg));
  gst_sdp_message_free (msg);
  msg = parse (HEAD "a=group:LS a b\r\na=group:BUNDLE  x\r\n");
  mids = rtc_sdp_get_bundle_mids (msg);
  g_assert_cmpuint (g_strv_length (mids), ==, 1);
  g_assert_cmpstr (mids[0], ==, "x");
  g_strfreev (mids);
  gst_sdp_message_free (msg);
}

static void
test_setup_and_direction (void)
{
  GstSDPMessage *msg = load ("chromium-av-offer.sdp");

  g_assert_cmpint (rtc_sdp_media_get_setup (msg, 0), ==,
      GST_WEBRTC_DTLS_SETUP_ACTPASS);
  g_assert_cmpint (rtc_sdp_media_get_direction (msg, 1), ==,
      GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV);
  gst_sdp_message_free (msg);

  msg = load ("webrtcbin-av-answer.sdp");
  g_assert_cmpint (rtc_sdp_media_get_setup (msg, 0), ==,
      GST_WEBRTC_DTLS_SETUP_ACTIVE);
  g_assert_cmpint (rtc_sdp_media_get_direction (msg, 0), ==,
      GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY);
  g_assert_cmpint (rtc_sdp_media_get_direction (msg, 1), ==,
      GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV);
  gst_sdp_message_free (msg);

  msg = load ("firefox-av-answer.sdp");
  g_assert_cmpint (rtc_sdp_media_get_direction (msg, 1), ==,
      GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY);
  gst_sdp_message_free (msg);

  /* Absent: sendrecv and no setup; session level applies to every
   * m-line without its own (RFC 4566 section 6). */
  msg = parse (HEAD "a=sendonly\r\na=setup:passive\r\n"
      "m=audio 9 RTP/AVP 0\r\n"
      "m=audio 9 RTP/AVP 0\r\na=inactive\r\na=setup:active\r\n");
  g_assert_cmpint (rtc_sdp_media_get_direction (msg, 0), ==,
      GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY);
  g_assert_cmpint (rtc_sdp_media_get_direction (msg, 1), ==,
      GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_INACTIVE);
  g_assert_cmpint (rtc_sdp_media_get_setup (msg, 0), ==,
      GST_WEBRTC_DTLS_SETUP_PASSIVE);
  g_assert_cmpint (rtc_sdp_media_get_setup (msg, 1), ==,
      GST_WEBRTC_DTLS_SETUP_ACTIVE);
  gst_sdp_message_free (msg);

  msg = parse (HEAD "m=audio 9 RTP/AVP 0\r\na=setup:holdconn\r\n");
  g_assert_cmpint (rtc_sdp_media_get_direction (msg, 0), ==,
      GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV);
  g_assert_cmpint (rtc_sdp_media_get_setup (msg, 0), ==,
      GST_WEBRTC_DTLS_SETUP_NONE);
  g_assert_cmpint (rtc_sdp_media_get_setup (msg, 5), ==,
      GST_WEBRTC_DTLS_SETUP_NONE);
  gst_sdp_message_free (msg);
}

static void
check_ssrcs (const GstSDPMessage * msg, guint mline, guint32 ssrc,
    guint32 rtx_ssrc, const gchar * stream, const gchar * track)
{
  guint32 s = 1, r = 1;
  gchar *stream_id = (gchar *) "x", *track_id = (gchar *) "x";

  rtc_sdp_media_get_ssrcs (msg, mline, &s, &r, &stream_id, &track_id);
  g_assert_cmpuint (s, ==, ssrc);
  g_assert_cmpuint (r, ==, rtx_ssrc);
  g_assert_cmpstr (stream_id, ==, stream);
  g_assert_cmpstr (track_id, ==, track);
  g_free (stream_id);
  g_free (track_id);
}

static void
test_ssrcs_and_msid (void)
{
  GstSDPMessage *msg = load ("chromium-av-offer.sdp");
  gchar *cname;

  check_ssrcs (msg, 0, 1804372911, 0, "3f6b2a0e-7c1d-4b8e-9a55-d2c4f0e81b27",
      "8e0c5d71-4a2b-4f93-b6e1-0d7a9c3f25e8");
  check_ssrcs (msg, 1, 3916302145u, 624197583,
      "3f6b2a0e-7c1d-4b8e-9a55-d2c4f0e81b27",
      "c41f7e92-0b6d-4e58-a3c7-5f1d8b2e9a06");
  check_ssrcs (msg, 2, 0, 0, NULL, NULL);
  cname = rtc_sdp_media_get_cname (msg, 1);
  g_assert_cmpstr (cname, ==, "k3VdPq9Zr1xYw5Lb");
  g_free (cname);
  g_assert_null (rtc_sdp_media_get_cname (msg, 2));
  /* Every out argument is optional. */
  rtc_sdp_media_get_ssrcs (msg, 1, NULL, NULL, NULL, NULL);
  gst_sdp_message_free (msg);

  /* The FID group comes after the a=ssrc lines in Firefox. */
  msg = load ("firefox-av-offer.sdp");
  check_ssrcs (msg, 0, 2741209384u, 0,
      "{5a2e8c41-b7d3-4f90-a16e-03c9f2d87b54}",
      "{e81f3a6c-2d94-4b07-9c58-7a1b6e0d3f29}");
  check_ssrcs (msg, 1, 1190533871, 3405917726u,
      "{5a2e8c41-b7d3-4f90-a16e-03c9f2d87b54}",
      "{0d6c2b97-3f18-4ea5-b9c1-62e8a4f07d13}");
  gst_sdp_message_free (msg);

  /* webrtcbin only writes the per-ssrc "msid:" form. */
  msg = load ("webrtcbin-av-offer.sdp");
  check_ssrcs (msg, 0, 2902281441u, 1359903887,
      "user2059052621@host-d539d6b6", "webrtctransceiver0");
  gst_sdp_message_free (msg);

  /* "-" is no stream (RFC 8830); the track may be left out. */
  msg = parse (HEAD "m=audio 9 RTP/AVP 0\r\na=msid:- t1\r\n"
      "m=audio 9 RTP/AVP 0\r\na=msid:s2\r\na=ssrc:5 cname:c\r\n");
  check_ssrcs (msg, 0, 0, 0, NULL, "t1");
  check_ssrcs (msg, 1, 5, 0, "s2", NULL);
  gst_sdp_message_free (msg);
}

static void
test_extmap (void)
{
  GstSDPMessage *msg = load ("chromium-av-offer.sdp");

  g_assert_cmpuint (rtc_sdp_media_get_extmap_id (msg, 0, RTC_EXTMAP_TWCC), ==,
      3);
  g_assert_cmpuint (rtc_sdp_media_get_extmap_id (msg, 0, RTC_EXTMAP_MID), ==,
      4);
  g_assert_cmpuint (rtc_sdp_media_get_extmap_id (msg, 1,
          "urn:ietf:params:rtp-hdrext:toffset"), ==, 14);
  g_assert_cmpuint (rtc_sdp_media_get_extmap_id (msg, 1,
          "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id"), ==, 10);
  g_assert_cmpuint (rtc_sdp_media_get_extmap_id (msg, 2, RTC_EXTMAP_MID), ==,
      0);
  gst_sdp_message_free (msg);

  /* Firefox writes directions: "a=extmap:6/recvonly <uri>". */
  msg = load ("firefox-av-offer.sdp");
  g_assert_cmpuint (rtc_sdp_media_get_extmap_id (msg, 0, RTC_EXTMAP_MID), ==,
      3);
  g_assert_cmpuint (rtc_sdp_media_get_extmap_id (msg, 1, RTC_EXTMAP_TWCC), ==,
      7);
  g_assert_cmpuint (rtc_sdp_media_get_extmap_id (msg, 1,
          "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay"), ==, 6);
  g_assert_cmpuint (rtc_sdp_media_get_extmap_id (msg, 0,
          "urn:ietf:params:rtp-hdrext:csrc-audio-level"), ==, 2);
  gst_sdp_message_free (msg);

  msg = load ("webrtcbin-av-offer.sdp");
  g_assert_cmpuint (rtc_sdp_media_get_extmap_id (msg, 0, RTC_EXTMAP_TWCC), ==,
      0);
  gst_sdp_message_free (msg);

  /* Session-level extmap (RFC 8285 section 8); no prefix matches. */
  msg = parse (HEAD "a=extmap:9 " RTC_EXTMAP_MID "\r\n"
      "m=audio 9 RTP/AVP 0\r\n"
      "a=extmap:2 " RTC_EXTMAP_MID "x\r\na=extmap:0 " RTC_EXTMAP_TWCC "\r\n");
  g_assert_cmpuint (rtc_sdp_media_get_extmap_id (msg, 0, RTC_EXTMAP_MID), ==,
      9);
  g_assert_cmpuint (rtc_sdp_media_get_extmap_id (msg, 0, RTC_EXTMAP_TWCC), ==,
      0);
  gst_sdp_message_free (msg);
}

static void
test_transport_attributes (void)
{
  GstSDPMessage *msg = load ("firefox-av-offer.sdp");
  const gchar *ff_fp = "sha-256 3B:9F:61:0C:D4:7E:A2:58:E9:13:C6:4D:87:2A:"
      "F0:B5:1E:6C:93:D8:04:AF:37:C2:5B:E8:71:0D:96:4A:FC:23";

  /* Firefox: fingerprint only at session level. */
  g_assert_null (gst_sdp_media_get_attribute_val (gst_sdp_message_get_media
          (msg, 1), "fingerprint"));
  g_assert_cmpstr (rtc_sdp_media_get_fingerprint (msg, 0), ==, ff_fp);
  g_assert_cmpstr (rtc_sdp_media_get_fingerprint (msg, 2), ==, ff_fp);
  g_assert_cmpstr (rtc_sdp_media_get_ice_ufrag (msg, 1), ==, "9c1e7a3f");
  g_assert_cmpstr (rtc_sdp_media_get_ice_pwd (msg, 1), ==,
      "4b8e2f61c09a7d35e1f6082b3c9d4a17");
  g_assert_cmpstr (rtc_sdp_get_attribute (msg, 1, "ice-options"), ==,
      "trickle");
  g_assert_cmpstr (rtc_sdp_get_attribute (msg, 7, "ice-options"), ==,
      "trickle");
  g_assert_null (rtc_sdp_get_attribute (msg, 0, "no-such-attribute"));
  gst_sdp_message_free (msg);

  msg = load ("chromium-av-offer.sdp");
  g_assert_true (g_str_has_prefix (rtc_sdp_media_get_fingerprint (msg, 1),
          "sha-256 7A:1C:3E:90"));
  g_assert_cmpstr (rtc_sdp_media_get_ice_ufrag (msg, 2), ==, "Zq7n");
  /* Out of range: only the session level is left, and it has none. */
  g_assert_null (rtc_sdp_media_get_fingerprint (msg, 3));
  gst_sdp_message_free (msg);
}

static void
test_mids_kinds_rejected (void)
{
  GstSDPMessage *msg = load ("webrtcbin-av-offer.sdp");

  g_assert_cmpstr (rtc_sdp_media_get_mid (msg, 0), ==, "video0");
  g_assert_cmpint (rtc_sdp_find_mid (msg, "audio1"), ==, 1);
  g_assert_cmpint (rtc_sdp_find_mid (msg, "audio"), ==, -1);
  g_assert_cmpint (rtc_sdp_find_mid (msg, NULL), ==, -1);
  g_assert_cmpint (rtc_sdp_media_get_kind (msg, 0), ==, RTC_MEDIA_KIND_VIDEO);
  g_assert_cmpint (rtc_sdp_media_get_kind (msg, 1), ==, RTC_MEDIA_KIND_AUDIO);
  /* Port 0 with a=bundle-only is offered, not rejected (RFC 8843). */
  g_assert_false (rtc_sdp_media_is_rejected (msg, 1));
  g_assert_true (rtc_sdp_media_is_rejected (msg, 2));
  g_assert_null (rtc_sdp_media_get_mid (msg, 2));
  gst_sdp_message_free (msg);

  msg = load ("webrtcbin-datachannel-offer.sdp");
  g_assert_cmpint (rtc_sdp_media_get_kind (msg, 0), ==,
      RTC_MEDIA_KIND_APPLICATION);
  g_assert_false (rtc_sdp_media_is_rejected (msg, 0));
  gst_sdp_message_free (msg);

  msg = parse (HEAD "m=video 0 UDP/TLS/RTP/SAVPF 96\r\na=mid:1\r\n");
  g_assert_true (rtc_sdp_media_is_rejected (msg, 0));
  gst_sdp_message_free (msg);
}

/* webrtcbin hands over descriptions built in code, whose flag attributes
 * (a=bundle-only) have a NULL value rather than "". */
static void
test_flags_built_in_code (void)
{
  GstSDPMessage *msg;
  GstSDPMedia *media;

  gst_sdp_message_new (&msg);
  gst_sdp_media_new (&media);
  gst_sdp_media_set_media (media, "audio");
  gst_sdp_media_set_port_info (media, 0, 0);
  gst_sdp_media_set_proto (media, "UDP/TLS/RTP/SAVPF");
  gst_sdp_media_add_format (media, "111");
  gst_sdp_media_add_attribute (media, "bundle-only", NULL);
  gst_sdp_media_add_attribute (media, "rtcp-mux", NULL);
  gst_sdp_message_add_media (msg, media);
  gst_sdp_media_free (media);

  g_assert_true (rtc_sdp_media_has_attribute (gst_sdp_message_get_media (msg,
              0), "rtcp-mux"));
  g_assert_false (rtc_sdp_media_has_attribute (gst_sdp_message_get_media (msg,
              0), "rtcp-rsize"));
  g_assert_false (rtc_sdp_media_is_rejected (msg, 0));
  gst_sdp_message_free (msg);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sdputil/codecs/chromium-audio",
      test_chromium_audio_codecs);
  g_test_add_func ("/sdputil/codecs/chromium-video",
      test_chromium_video_codecs);
  g_test_add_func ("/sdputil/codecs/datachannel",
      test_datachannel_has_no_codecs);
  g_test_add_func ("/sdputil/codecs/firefox", test_firefox_codecs);
  g_test_add_func ("/sdputil/codecs/webrtcbin", test_webrtcbin_codecs);
  g_test_add_func ("/sdputil/codecs/wildcard-feedback", test_wildcard_feedback);
  g_test_add_func ("/sdputil/codecs/rtx-corner-cases", test_rtx_corner_cases);
  g_test_add_func ("/sdputil/codecs/static-payload-types",
      test_static_payload_types);
  g_test_add_func ("/sdputil/codecs/errors", test_codec_errors);
  g_test_add_func ("/sdputil/codecs/appends", test_appends);
  g_test_add_func ("/sdputil/bundle-mids", test_bundle_mids);
  g_test_add_func ("/sdputil/setup-and-direction", test_setup_and_direction);
  g_test_add_func ("/sdputil/ssrcs-and-msid", test_ssrcs_and_msid);
  g_test_add_func ("/sdputil/extmap", test_extmap);
  g_test_add_func ("/sdputil/transport-attributes", test_transport_attributes);
  g_test_add_func ("/sdputil/mids-kinds-rejected", test_mids_kinds_rejected);
  g_test_add_func ("/sdputil/flags-built-in-code", test_flags_built_in_code);

  return g_test_run ();
}
