/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The offer builder (rtcjsep-offer.c) and the caps <-> codec mapping
 * (rtcjsep-media.c). Every offer is checked attribute by attribute after
 * a round trip through text, as a peer would read it. */

#include <string.h>

#include "jsep/rtcjsep-offer.h"
#include "jsep/rtcjsep-validate.h"
#include "jsep/rtcsdputil.h"

#define UFRAG "Rk9u"
#define PWD "dGhpc2lzYXBhc3N3b3JkMTIz"
#define FINGERPRINT "sha-256 " \
  "7A:1C:3E:90:5B:D2:44:F8:0E:6A:B3:29:C7:51:8D:FE:" \
  "02:9B:6C:E4:13:A7:58:D0:3F:82:C9:1E:64:B5:07:AA"

#define OPUS_CAPS "application/x-rtp,media=audio,encoding-name=OPUS," \
  "payload=111,clock-rate=48000,encoding-params=(string)2," \
  "minptime=(string)10,useinbandfec=(string)1"
#define VP8_CAPS "application/x-rtp,media=video,encoding-name=VP8," \
  "payload=96,clock-rate=90000,rtx-payload=97"

static void
session_init (RtcJsepSession * s)
{
  memset (s, 0, sizeof (*s));
  s->session_id = G_GUINT64_CONSTANT (4611686018427387904);
  s->session_version = 2;
  s->ice_ufrag = g_strdup (UFRAG);
  s->ice_pwd = g_strdup (PWD);
  s->fingerprint = g_strdup (FINGERPRINT);
  s->bundle_policy = GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE;
  s->offer_setup = GST_WEBRTC_DTLS_SETUP_ACTPASS;
}

static RtcJsepMedia *
media_from_caps (const gchar * caps_str, GstWebRTCRTPTransceiverDirection dir)
{
  GstCaps *caps = gst_caps_from_string (caps_str);
  RtcJsepMedia *m;
  RtcMediaKind kind;
  GArray *codecs = rtc_codec_array_new ();
  GError *err = NULL;

  g_assert_nonnull (caps);
  g_assert_true (rtc_codecs_from_caps (caps, &kind, codecs, &err));
  g_assert_no_error (err);
  m = rtc_jsep_media_new (kind, dir);
  g_array_unref (m->codecs);
  m->codecs = codecs;
  gst_caps_unref (caps);
  return m;
}

/* audio (opus, sending), video (VP8 + RTX, sending), data channel. */
static GPtrArray *
make_medias (void)
{
  GPtrArray *medias = g_ptr_array_new_with_free_func ((GDestroyNotify)
      rtc_jsep_media_free);
  RtcJsepMedia *m;

  m = media_from_caps (OPUS_CAPS,
      GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV);
  m->ssrc = 1111;
  m->cname = g_strdup ("cname-a");
  m->stream_id = g_strdup ("stream0");
  m->track_id = g_strdup ("track-audio");
  g_ptr_array_add (medias, m);

  m = media_from_caps (VP8_CAPS, GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV);
  m->ssrc = 2222;
  m->rtx_ssrc = 3333;
  m->cname = g_strdup ("cname-a");
  m->stream_id = g_strdup ("stream0");
  m->track_id = g_strdup ("track-video");
  g_ptr_array_add (medias, m);

  g_ptr_array_add (medias, rtc_jsep_media_new (RTC_MEDIA_KIND_APPLICATION,
          GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV));
  return medias;
}

/* Serialises and parses again, as the remote would see it. */
static GstSDPMessage *
reparse (const GstSDPMessage * msg)
{
  gchar *text = gst_sdp_message_as_text (msg);
  GstSDPMessage *out;

  gst_sdp_message_new (&out);
  g_assert_cmpint (gst_sdp_message_parse_buffer ((const guint8 *) text,
          strlen (text), out), ==, GST_SDP_OK);
  g_free (text);
  return out;
}

static GstSDPMessage *
build_offer (const RtcJsepSession * s, GPtrArray * medias,
    const GstSDPMessage * current)
{
  GError *err = NULL;
  GstSDPMessage *offer = rtc_jsep_build_offer (s, medias, current, &err);
  GstSDPMessage *parsed;

  g_assert_no_error (err);
  g_assert_nonnull (offer);
  parsed = reparse (offer);
  gst_sdp_message_free (offer);
  return parsed;
}

static gboolean
media_has (const GstSDPMedia * m, const gchar * key, const gchar * value)
{
  guint i;

  for (i = 0; i < gst_sdp_media_attributes_len (m); i++) {
    const GstSDPAttribute *a = gst_sdp_media_get_attribute (m, i);
    if (g_strcmp0 (a->key, key) == 0 && (value == NULL
            || g_strcmp0 (a->value, value) == 0))
      return TRUE;
  }
  return FALSE;
}

static guint
media_count (const GstSDPMedia * m, const gchar * key)
{
  guint i, n = 0;

  for (i = 0; i < gst_sdp_media_attributes_len (m); i++)
    n += g_strcmp0 (gst_sdp_media_get_attribute (m, i)->key, key) == 0;
  return n;
}

#define assert_attr(m, key, value) G_STMT_START { \
  if (!media_has (m, key, value)) \
    g_error ("m=%s: a=%s%s%s missing", gst_sdp_media_get_media (m), key, \
        value ? ":" : "", value ? value : ""); \
} G_STMT_END

static gchar *
formats_string (const GstSDPMedia * m)
{
  GString *s = g_string_new (NULL);
  guint i;

  for (i = 0; i < gst_sdp_media_formats_len (m); i++)
    g_string_append_printf (s, "%s%s", i ? " " : "",
        gst_sdp_media_get_format (m, i));
  return g_string_free (s, FALSE);
}

/* What every non-rejected section carries. */
static void
check_transport (const GstSDPMedia * m, const gchar * mid)
{
  const GstSDPConnection *c;

  g_assert_cmpuint (gst_sdp_media_get_port (m), ==, 9);
  g_assert_cmpuint (gst_sdp_media_connections_len (m), ==, 1);
  c = gst_sdp_media_get_connection (m, 0);
  g_assert_cmpstr (c->nettype, ==, "IN");
  g_assert_cmpstr (c->addrtype, ==, "IP4");
  g_assert_cmpstr (c->address, ==, "0.0.0.0");
  assert_attr (m, "ice-ufrag", UFRAG);
  assert_attr (m, "ice-pwd", PWD);
  assert_attr (m, "ice-options", "trickle");
  assert_attr (m, "fingerprint", FINGERPRINT);
  assert_attr (m, "setup", "actpass");
  assert_attr (m, "mid", mid);
}

static void
test_session_level (void)
{
  RtcJsepSession s;
  GPtrArray *medias = make_medias ();
  GstSDPMessage *offer;
  const GstSDPOrigin *o;
  gchar *text;

  session_init (&s);
  offer = build_offer (&s, medias, NULL);

  g_assert_cmpstr (gst_sdp_message_get_version (offer), ==, "0");
  o = gst_sdp_message_get_origin (offer);
  g_assert_cmpstr (o->username, ==, "-");
  g_assert_cmpstr (o->sess_id, ==, "4611686018427387904");
  g_assert_cmpstr (o->sess_version, ==, "2");
  g_assert_cmpstr (o->nettype, ==, "IN");
  g_assert_cmpstr (o->addrtype, ==, "IP4");
  g_assert_cmpstr (o->addr, ==, "0.0.0.0");
  g_assert_cmpstr (gst_sdp_message_get_session_name (offer), ==, "-");
  /* GstSDP's parser drops t= lines, so look at the text. */
  text = gst_sdp_message_as_text (offer);
  g_assert_nonnull (strstr (text, "\r\nt=0 0\r\n"));
  g_free (text);
  g_assert_cmpstr (gst_sdp_message_get_attribute_val (offer, "group"), ==,
      "BUNDLE 0 1 2");
  g_assert_cmpstr (gst_sdp_message_get_attribute_val (offer, "ice-options"),
      ==, "trickle");
  g_assert_null (gst_sdp_message_get_attribute_val (offer, "ice-lite"));
  g_assert_cmpuint (gst_sdp_message_medias_len (offer), ==, 3);

  gst_sdp_message_free (offer);
  g_ptr_array_unref (medias);
  rtc_jsep_session_clear (&s);
}

static void
test_audio_section (void)
{
  RtcJsepSession s;
  GPtrArray *medias = make_medias ();
  GstSDPMessage *offer;
  const GstSDPMedia *m;
  gchar *fmts;

  session_init (&s);
  offer = build_offer (&s, medias, NULL);
  m = gst_sdp_message_get_media (offer, 0);

  g_assert_cmpstr (gst_sdp_media_get_media (m), ==, "audio");
  g_assert_cmpstr (gst_sdp_media_get_proto (m), ==, "UDP/TLS/RTP/SAVPF");
  fmts = formats_string (m);
  /* opus, then DTMF at 8000 and 48000 Hz (test-jsep-dtmf.c) */
  g_assert_cmpstr (fmts, ==, "111 126 125");
  g_free (fmts);
  check_transport (m, "0");
  assert_attr (m, "rtcp", "9 IN IP4 0.0.0.0");
  assert_attr (m, "extmap", "4 " RTC_EXTMAP_MID);
  /* opus gets no transport-cc by default, so no TWCC extension either. */
  g_assert_false (media_has (m, "extmap", "3 " RTC_EXTMAP_TWCC));
  assert_attr (m, "sendrecv", NULL);
  assert_attr (m, "msid", "stream0 track-audio");
  assert_attr (m, "rtcp-mux", NULL);
  assert_attr (m, "rtcp-rsize", NULL);
  assert_attr (m, "rtpmap", "111 opus/48000/2");
  assert_attr (m, "fmtp", "111 minptime=10;useinbandfec=1");
  assert_attr (m, "ssrc", "1111 cname:cname-a");
  assert_attr (m, "ssrc", "1111 msid:stream0 track-audio");
  g_assert_false (media_has (m, "ssrc-group", NULL));
  g_assert_false (media_has (m, "rtcp-fb", NULL));

  /* The mid and m-line were handed out to the media. */
  g_assert_cmpstr (((RtcJsepMedia *) medias->pdata[0])->mid, ==, "0");
  g_assert_cmpint (((RtcJsepMedia *) medias->pdata[0])->mline, ==, 0);

  gst_sdp_message_free (offer);
  g_ptr_array_unref (medias);
  rtc_jsep_session_clear (&s);
}

static void
test_video_section (void)
{
  RtcJsepSession s;
  GPtrArray *medias = make_medias ();
  GstSDPMessage *offer;
  const GstSDPMedia *m;
  gchar *fmts;

  session_init (&s);
  offer = build_offer (&s, medias, NULL);
  m = gst_sdp_message_get_media (offer, 1);

  g_assert_cmpstr (gst_sdp_media_get_media (m), ==, "video");
  g_assert_cmpstr (gst_sdp_media_get_proto (m), ==, "UDP/TLS/RTP/SAVPF");
  /* The RTX format is listed too, after the codec it repairs. */
  fmts = formats_string (m);
  g_assert_cmpstr (fmts, ==, "96 97");
  g_free (fmts);
  check_transport (m, "1");
  assert_attr (m, "extmap", "4 " RTC_EXTMAP_MID);
  assert_attr (m, "extmap", "3 " RTC_EXTMAP_TWCC);
  assert_attr (m, "sendrecv", NULL);
  assert_attr (m, "msid", "stream0 track-video");
  assert_attr (m, "rtcp-mux", NULL);
  assert_attr (m, "rtcp-rsize", NULL);
  assert_attr (m, "rtpmap", "96 VP8/90000");
  assert_attr (m, "rtcp-fb", "96 nack");
  assert_attr (m, "rtcp-fb", "96 nack pli");
  assert_attr (m, "rtcp-fb", "96 ccm fir");
  assert_attr (m, "rtcp-fb", "96 transport-cc");
  g_assert_cmpuint (media_count (m, "rtcp-fb"), ==, 4);
  assert_attr (m, "rtpmap", "97 rtx/90000");
  assert_attr (m, "fmtp", "97 apt=96");
  assert_attr (m, "ssrc-group", "FID 2222 3333");
  assert_attr (m, "ssrc", "2222 cname:cname-a");
  assert_attr (m, "ssrc", "3333 cname:cname-a");
  assert_attr (m, "ssrc", "3333 msid:stream0 track-video");

  gst_sdp_message_free (offer);
  g_ptr_array_unref (medias);
  rtc_jsep_session_clear (&s);
}

static void
test_application_section (void)
{
  RtcJsepSession s;
  GPtrArray *medias = make_medias ();
  GstSDPMessage *offer;
  const GstSDPMedia *m;
  RtcJsepMedia *app;

  session_init (&s);
  app = medias->pdata[2];
  app->max_message_size = 65536;
  offer = build_offer (&s, medias, NULL);
  m = gst_sdp_message_get_media (offer, 2);

  g_assert_cmpstr (gst_sdp_media_get_media (m), ==, "application");
  g_assert_cmpstr (gst_sdp_media_get_proto (m), ==, "UDP/DTLS/SCTP");
  g_assert_cmpuint (gst_sdp_media_formats_len (m), ==, 1);
  g_assert_cmpstr (gst_sdp_media_get_format (m, 0), ==, "webrtc-datachannel");
  check_transport (m, "2");
  assert_attr (m, "sctp-port", "5000");
  assert_attr (m, "max-message-size", "65536");
  assert_attr (m, "x-rtcpeer-sctp-max-packet", "16384");
  /* No RTP attributes in a data section. */
  g_assert_false (media_has (m, "rtcp-mux", NULL));
  g_assert_false (media_has (m, "rtpmap", NULL));
  g_assert_false (media_has (m, "sendrecv", NULL));

  gst_sdp_message_free (offer);
  g_ptr_array_unref (medias);
  rtc_jsep_session_clear (&s);
}

/* Tracks that name no stream or track id: one msid each (Chromium refuses a
 * description where two sections share one), all in the session's stream. */
static void
test_default_msid (void)
{
  RtcJsepSession s;
  GPtrArray *medias = make_medias ();
  GstSDPMessage *offer;
  guint i;

  session_init (&s);
  s.stream_id = g_strdup ("rtcpeer-stream");
  for (i = 0; i < 2; i++) {
    RtcJsepMedia *m = medias->pdata[i];

    g_clear_pointer (&m->stream_id, g_free);
    g_clear_pointer (&m->track_id, g_free);
  }
  offer = build_offer (&s, medias, NULL);
  assert_attr (gst_sdp_message_get_media (offer, 0), "msid",
      "rtcpeer-stream rtcpeer-0");
  assert_attr (gst_sdp_message_get_media (offer, 1), "msid",
      "rtcpeer-stream rtcpeer-1");
  gst_sdp_message_free (offer);

  /* without a session stream: in no stream ("-", RFC 8830 section 2) */
  g_clear_pointer (&s.stream_id, g_free);
  offer = build_offer (&s, medias, NULL);
  assert_attr (gst_sdp_message_get_media (offer, 1), "msid", "- rtcpeer-1");
  gst_sdp_message_free (offer);
  g_ptr_array_unref (medias);
  rtc_jsep_session_clear (&s);
}

static void
test_recvonly_has_no_source (void)
{
  RtcJsepSession s;
  GPtrArray *medias = make_medias ();
  GstSDPMessage *offer;
  const GstSDPMedia *m;

  session_init (&s);
  ((RtcJsepMedia *) medias->pdata[1])->direction =
      GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY;
  offer = build_offer (&s, medias, NULL);
  m = gst_sdp_message_get_media (offer, 1);
  assert_attr (m, "recvonly", NULL);
  g_assert_false (media_has (m, "sendrecv", NULL));
  g_assert_false (media_has (m, "msid", NULL));
  g_assert_false (media_has (m, "ssrc", NULL));
  g_assert_false (media_has (m, "ssrc-group", NULL));
  /* Still able to receive RTX. */
  assert_attr (m, "fmtp", "97 apt=96");

  gst_sdp_message_free (offer);
  g_ptr_array_unref (medias);
  rtc_jsep_session_clear (&s);
}

static void
test_mids_unique (void)
{
  RtcJsepSession s;
  GPtrArray *medias = make_medias ();
  GstSDPMessage *offer;
  RtcJsepMedia *m;
  gchar **bundle;
  guint i;

  session_init (&s);
  /* One media already carries "1" (the remote picked it earlier); the new
   * ones must not reuse it. */
  m = medias->pdata[2];
  m->mid = g_strdup ("1");
  offer = build_offer (&s, medias, NULL);

  g_assert_cmpstr (rtc_sdp_media_get_mid (offer, 0), ==, "0");
  g_assert_cmpstr (rtc_sdp_media_get_mid (offer, 1), ==, "2");
  g_assert_cmpstr (rtc_sdp_media_get_mid (offer, 2), ==, "1");
  for (i = 0; i < 3; i++) {
    m = medias->pdata[i];
    g_assert_cmpint (m->mline, ==, i);
    g_assert_cmpstr (m->mid, ==, rtc_sdp_media_get_mid (offer, i));
  }
  bundle = rtc_sdp_get_bundle_mids (offer);
  g_assert_cmpuint (g_strv_length (bundle), ==, 3);
  g_assert_cmpstr (bundle[0], ==, "0");
  g_assert_cmpstr (bundle[1], ==, "2");
  g_assert_cmpstr (bundle[2], ==, "1");
  g_strfreev (bundle);

  gst_sdp_message_free (offer);
  g_ptr_array_unref (medias);
  rtc_jsep_session_clear (&s);
}

static void
test_bundle_policy_none (void)
{
  RtcJsepSession s;
  GPtrArray *medias = make_medias ();
  GstSDPMessage *offer;

  session_init (&s);
  s.bundle_policy = GST_WEBRTC_BUNDLE_POLICY_NONE;
  offer = build_offer (&s, medias, NULL);
  g_assert_null (gst_sdp_message_get_attribute_val (offer, "group"));
  g_assert_null (rtc_sdp_get_bundle_mids (offer));
  g_assert_cmpuint (gst_sdp_media_get_port (gst_sdp_message_get_media (offer,
              1)), ==, 9);

  gst_sdp_message_free (offer);
  g_ptr_array_unref (medias);
  rtc_jsep_session_clear (&s);
}

static void
test_stopped_section (void)
{
  RtcJsepSession s;
  GPtrArray *medias = make_medias ();
  GstSDPMessage *offer;
  const GstSDPMedia *m;

  session_init (&s);
  ((RtcJsepMedia *) medias->pdata[0])->stopped = TRUE;
  offer = build_offer (&s, medias, NULL);
  m = gst_sdp_message_get_media (offer, 0);
  g_assert_cmpuint (gst_sdp_media_get_port (m), ==, 0);
  assert_attr (m, "mid", "0");
  assert_attr (m, "inactive", NULL);
  g_assert_false (media_has (m, "ice-ufrag", NULL));
  g_assert_false (media_has (m, "ssrc", NULL));
  g_assert_true (rtc_sdp_media_is_rejected (offer, 0));
  /* Rejected sections cannot be bundled. */
  g_assert_cmpstr (gst_sdp_message_get_attribute_val (offer, "group"), ==,
      "BUNDLE 1 2");

  gst_sdp_message_free (offer);
  g_ptr_array_unref (medias);
  rtc_jsep_session_clear (&s);
}

/* https://www.rfc-editor.org/rfc/rfc8829#section-5.2.2 */
static void
test_renegotiation (void)
{
  RtcJsepSession s;
  GPtrArray *medias = make_medias ();
  GstSDPMessage *first, *second;
  RtcJsepMedia *extra;
  GError *err = NULL;
  guint i;

  session_init (&s);
  first = build_offer (&s, medias, NULL);

  /* A new transceiver, put first in the array on purpose: m-line order
   * comes from the last description, not from the array. */
  extra = media_from_caps (OPUS_CAPS,
      GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY);
  extra->ssrc = 4444;
  g_ptr_array_insert (medias, 0, extra);
  s.session_version = 3;
  second = build_offer (&s, medias, first);

  g_assert_cmpstr (gst_sdp_message_get_origin (second)->sess_version, ==, "3");
  g_assert_cmpstr (gst_sdp_message_get_origin (second)->sess_id, ==,
      gst_sdp_message_get_origin (first)->sess_id);
  g_assert_cmpuint (gst_sdp_message_medias_len (second), ==, 4);
  for (i = 0; i < 3; i++) {
    g_assert_cmpstr (rtc_sdp_media_get_mid (second, i), ==,
        rtc_sdp_media_get_mid (first, i));
    g_assert_cmpstr (gst_sdp_media_get_media (gst_sdp_message_get_media
            (second, i)), ==,
        gst_sdp_media_get_media (gst_sdp_message_get_media (first, i)));
  }
  g_assert_cmpstr (rtc_sdp_media_get_mid (second, 3), ==, "3");
  g_assert_cmpint (extra->mline, ==, 3);
  g_assert_cmpstr (extra->mid, ==, "3");
  assert_attr (gst_sdp_message_get_media (second, 3), "sendonly", NULL);
  g_assert_cmpstr (gst_sdp_message_get_attribute_val (second, "group"), ==,
      "BUNDLE 0 1 2 3");

  /* The new offer is a valid follow-up of the first. */
  g_assert_true (rtc_jsep_validate_description (second,
          GST_WEBRTC_SDP_TYPE_OFFER, RTC_SDP_SOURCE_LOCAL, first, &err));
  g_assert_no_error (err);

  /* A media that disappears leaves its m-line behind, rejected. */
  g_ptr_array_remove_index (medias, 2); /* was m-line 1 (video) */
  s.session_version = 4;
  {
    GstSDPMessage *third = build_offer (&s, medias, second);
    const GstSDPMedia *m = gst_sdp_message_get_media (third, 1);

    g_assert_cmpuint (gst_sdp_message_medias_len (third), ==, 4);
    g_assert_cmpstr (gst_sdp_media_get_media (m), ==, "video");
    g_assert_cmpuint (gst_sdp_media_get_port (m), ==, 0);
    assert_attr (m, "mid", "1");
    g_assert_cmpstr (gst_sdp_message_get_attribute_val (third, "group"), ==,
        "BUNDLE 0 2 3");
    gst_sdp_message_free (third);
  }

  gst_sdp_message_free (first);
  gst_sdp_message_free (second);
  g_ptr_array_unref (medias);
  rtc_jsep_session_clear (&s);
}

/* After we answered someone else's offer, our next offer keeps the
 * mids, the ICE credentials and the header extension ids of that answer. */
static void
test_renegotiation_keeps_remote_choices (void)
{
  static const gchar *previous_text =
      "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
      "a=group:BUNDLE audio\r\n"
      "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\n"
      "a=ice-ufrag:oldu\r\na=ice-pwd:oldpasswordoldpassword12\r\n"
      "a=fingerprint:" FINGERPRINT "\r\n"
      "a=setup:active\r\na=mid:audio\r\n"
      "a=extmap:9 " RTC_EXTMAP_MID "\r\n"
      "a=sendrecv\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\n";
  RtcJsepSession s;
  GstSDPMessage *previous, *offer;
  GPtrArray *medias = make_medias ();
  RtcJsepMedia *audio = medias->pdata[0];
  const GstSDPMedia *m;

  gst_sdp_message_new (&previous);
  g_assert_cmpint (gst_sdp_message_parse_buffer ((const guint8 *)
          previous_text, strlen (previous_text), previous), ==, GST_SDP_OK);

  session_init (&s);
  g_clear_pointer (&s.ice_ufrag, g_free);
  g_clear_pointer (&s.ice_pwd, g_free);
  audio->mline = 0;
  offer = build_offer (&s, medias, previous);

  m = gst_sdp_message_get_media (offer, 0);
  assert_attr (m, "mid", "audio");
  assert_attr (m, "ice-ufrag", "oldu");
  assert_attr (m, "ice-pwd", "oldpasswordoldpassword12");
  /* Offers say actpass even when the last answer said active. */
  assert_attr (m, "setup", "actpass");
  assert_attr (m, "extmap", "9 " RTC_EXTMAP_MID);
  assert_attr (gst_sdp_message_get_media (offer, 1), "extmap",
      "9 " RTC_EXTMAP_MID);
  g_assert_cmpstr (audio->mid, ==, "audio");
  g_assert_cmpstr (rtc_sdp_media_get_mid (offer, 1), ==, "0");
  g_assert_cmpstr (rtc_sdp_media_get_mid (offer, 2), ==, "1");

  gst_sdp_message_free (previous);
  gst_sdp_message_free (offer);
  g_ptr_array_unref (medias);
  rtc_jsep_session_clear (&s);
}

static void
test_reparse_and_validate (void)
{
  RtcJsepSession s;
  GPtrArray *medias = make_medias ();
  GstSDPMessage *offer, *again;
  GError *err = NULL;
  gchar *t1, *t2;

  session_init (&s);
  offer = build_offer (&s, medias, NULL);
  again = reparse (offer);
  t1 = gst_sdp_message_as_text (offer);
  t2 = gst_sdp_message_as_text (again);
  g_test_message ("offer:\n%s", t1);
  g_assert_cmpstr (t1, ==, t2);
  g_free (t1);
  g_free (t2);

  g_assert_true (rtc_jsep_validate_description (offer,
          GST_WEBRTC_SDP_TYPE_OFFER, RTC_SDP_SOURCE_LOCAL, NULL, &err));
  g_assert_no_error (err);
  g_assert_true (rtc_jsep_validate_description (offer,
          GST_WEBRTC_SDP_TYPE_OFFER, RTC_SDP_SOURCE_REMOTE, NULL, &err));
  g_assert_no_error (err);

  /* Our own reader finds the codecs we wrote. */
  {
    GArray *codecs = rtc_codec_array_new ();
    RtcCodec *c;

    g_assert_true (rtc_sdp_media_get_codecs (offer, 1, codecs, &err));
    g_assert_no_error (err);
    g_assert_cmpuint (codecs->len, ==, 1);
    c = &g_array_index (codecs, RtcCodec, 0);
    g_assert_cmpstr (c->encoding_name, ==, "VP8");
    g_assert_cmpuint (c->rtx_pt, ==, 97);
    g_assert_cmpuint (c->feedback, ==, RTC_FB_NACK | RTC_FB_NACK_PLI |
        RTC_FB_CCM_FIR | RTC_FB_TRANSPORT_CC);
    g_array_unref (codecs);
  }

  gst_sdp_message_free (offer);
  gst_sdp_message_free (again);
  g_ptr_array_unref (medias);
  rtc_jsep_session_clear (&s);
}

static void
test_errors (void)
{
  RtcJsepSession s;
  GPtrArray *medias = make_medias ();
  GstSDPMessage *offer, *first;
  GError *err = NULL;
  RtcJsepMedia *m;

  session_init (&s);

  /* No codec to offer. */
  m = rtc_jsep_media_new (RTC_MEDIA_KIND_VIDEO,
      GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV);
  g_ptr_array_add (medias, m);
  offer = rtc_jsep_build_offer (&s, medias, NULL, &err);
  g_assert_null (offer);
  g_assert_error (err, RTC_JSEP_ERROR, RTC_JSEP_ERROR_NO_COMMON_CODEC);
  g_clear_error (&err);
  /* Nothing was handed out on failure. */
  g_assert_null (((RtcJsepMedia *) medias->pdata[0])->mid);
  g_assert_cmpint (((RtcJsepMedia *) medias->pdata[0])->mline, ==, -1);
  g_ptr_array_remove (medias, m);

  /* No fingerprint. */
  g_clear_pointer (&s.fingerprint, g_free);
  offer = rtc_jsep_build_offer (&s, medias, NULL, &err);
  g_assert_null (offer);
  g_assert_error (err, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INTERNAL);
  g_clear_error (&err);
  s.fingerprint = g_strdup (FINGERPRINT);

  /* A media claiming an m-line of another kind. */
  first = build_offer (&s, medias, NULL);
  m = medias->pdata[0];
  m->kind = RTC_MEDIA_KIND_VIDEO;
  offer = rtc_jsep_build_offer (&s, medias, first, &err);
  g_assert_null (offer);
  g_assert_error (err, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_MODIFICATION);
  g_clear_error (&err);
  m->kind = RTC_MEDIA_KIND_AUDIO;

  /* Two medias on one m-line. */
  ((RtcJsepMedia *) medias->pdata[1])->mline = 0;
  offer = rtc_jsep_build_offer (&s, medias, first, &err);
  g_assert_null (offer);
  g_assert_error (err, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INTERNAL);
  g_clear_error (&err);

  gst_sdp_message_free (first);
  g_ptr_array_unref (medias);
  rtc_jsep_session_clear (&s);
}

static void
assert_codecs_equal (const RtcCodec * a, const RtcCodec * b)
{
  g_assert_cmpuint (a->pt, ==, b->pt);
  g_assert_cmpstr (a->encoding_name, ==, b->encoding_name);
  g_assert_cmpuint (a->clock_rate, ==, b->clock_rate);
  g_assert_cmpuint (a->channels, ==, b->channels);
  g_assert_cmpstr (a->fmtp, ==, b->fmtp);
  g_assert_cmpuint (a->rtx_pt, ==, b->rtx_pt);
  g_assert_cmpuint (a->feedback, ==, b->feedback);
}

static void
test_codecs_from_caps (void)
{
  GstCaps *caps = gst_caps_from_string (OPUS_CAPS "; "
      "application/x-rtp,media=audio,encoding-name=PCMU,payload=0,"
      "clock-rate=8000");
  GArray *codecs = rtc_codec_array_new ();
  GError *err = NULL;
  RtcMediaKind kind = RTC_MEDIA_KIND_APPLICATION;
  RtcCodec *c;

  g_assert_true (rtc_codecs_from_caps (caps, &kind, codecs, &err));
  g_assert_no_error (err);
  g_assert_cmpint (kind, ==, RTC_MEDIA_KIND_AUDIO);
  g_assert_cmpuint (codecs->len, ==, 2);
  c = &g_array_index (codecs, RtcCodec, 0);
  g_assert_cmpuint (c->pt, ==, 111);
  /* The SDP spelling, not the caps one. */
  g_assert_cmpstr (c->encoding_name, ==, "opus");
  g_assert_cmpuint (c->clock_rate, ==, 48000);
  g_assert_cmpuint (c->channels, ==, 2);
  g_assert_cmpstr (c->fmtp, ==, "minptime=10;useinbandfec=1");
  g_assert_cmpuint (c->feedback, ==, 0);
  c = &g_array_index (codecs, RtcCodec, 1);
  g_assert_cmpstr (c->encoding_name, ==, "PCMU");
  g_assert_cmpuint (c->channels, ==, 0);
  g_assert_null (c->fmtp);
  gst_caps_unref (caps);
  g_array_set_size (codecs, 0);

  /* Feedback fields replace the video defaults; fmtp fields written as
   * numbers still make it into the fmtp. */
  caps = gst_caps_from_string ("application/x-rtp,media=video,"
      "encoding-name=H264,payload=102,clock-rate=90000,rtx-payload=103,"
      "packetization-mode=1,profile-level-id=(string)42e01f,"
      "level-asymmetry-allowed=(string)1,rtcp-fb-nack=true,"
      "rtcp-fb-nack-pli=true,rtcp-fb-ccm-fir=false,ssrc=(uint)5");
  g_assert_true (rtc_codecs_from_caps (caps, &kind, codecs, &err));
  g_assert_no_error (err);
  g_assert_cmpint (kind, ==, RTC_MEDIA_KIND_VIDEO);
  c = &g_array_index (codecs, RtcCodec, 0);
  g_assert_cmpstr (c->encoding_name, ==, "H264");
  g_assert_cmpuint (c->rtx_pt, ==, 103);
  g_assert_cmpuint (c->feedback, ==, RTC_FB_NACK | RTC_FB_NACK_PLI);
  g_assert_cmpstr (c->fmtp, ==, "packetization-mode=1;"
      "profile-level-id=42e01f;level-asymmetry-allowed=1");
  gst_caps_unref (caps);
  g_array_set_size (codecs, 0);

  /* rtph264pay's caps: the profile comes from the SPS (42c00d: Constrained
   * Baseline, level 1.3) when no profile-level-id is given. */
  caps = gst_caps_from_string ("application/x-rtp,media=video,"
      "encoding-name=H264,payload=96,clock-rate=90000,"
      "packetization-mode=(string)1,"
      "sprop-parameter-sets=(string)\"Z0LADYyNQKD5APCIRqA=,aM48gA==\"");
  g_assert_true (rtc_codecs_from_caps (caps, &kind, codecs, &err));
  g_assert_no_error (err);
  c = &g_array_index (codecs, RtcCodec, 0);
  g_assert_nonnull (c->fmtp);
  g_assert_nonnull (strstr (c->fmtp, "profile-level-id=42c00d"));
  g_assert_nonnull (strstr (c->fmtp, "packetization-mode=1"));
  gst_caps_unref (caps);
  g_array_set_size (codecs, 0);

  /* Video defaults. */
  caps = gst_caps_from_string (VP8_CAPS);
  g_assert_true (rtc_codecs_from_caps (caps, &kind, codecs, &err));
  c = &g_array_index (codecs, RtcCodec, 0);
  g_assert_cmpuint (c->feedback, ==, RTC_FB_NACK | RTC_FB_NACK_PLI |
      RTC_FB_CCM_FIR | RTC_FB_TRANSPORT_CC);
  g_assert_cmpuint (c->rtx_pt, ==, 97);
  g_assert_null (c->fmtp);
  gst_caps_unref (caps);

  g_array_unref (codecs);
}

static void
test_codecs_from_caps_errors (void)
{
  static const gchar *bad[] = {
    /* no encoding-name */
    "application/x-rtp,media=video,payload=96,clock-rate=90000",
    /* no payload */
    "application/x-rtp,media=video,encoding-name=VP8,clock-rate=90000",
    /* payload out of range */
    "application/x-rtp,media=video,encoding-name=VP8,payload=200,"
        "clock-rate=90000",
    /* no clock-rate */
    "application/x-rtp,media=video,encoding-name=VP8,payload=96",
    /* no media */
    "application/x-rtp,encoding-name=VP8,payload=96,clock-rate=90000",
    /* audio and video mixed, the good structure first */
    OPUS_CAPS "; " VP8_CAPS,
  };
  GArray *codecs = rtc_codec_array_new ();
  RtcCodec keep = { 8, (gchar *) "PCMA", 8000, 0, NULL, 0, 0 };
  guint i;

  /* What was in the array stays, nothing is half-added. */
  g_array_set_size (codecs, 1);
  rtc_codec_copy_into (&g_array_index (codecs, RtcCodec, 0), &keep);
  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    GstCaps *caps = gst_caps_from_string (bad[i]);
    GError *err = NULL;

    g_assert_nonnull (caps);
    g_assert_false (rtc_codecs_from_caps (caps, NULL, codecs, &err));
    g_assert_error (err, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP);
    g_test_message ("%s -> %s", bad[i], err->message);
    g_assert_cmpuint (codecs->len, ==, 1);
    g_error_free (err);
    gst_caps_unref (caps);
  }
  g_array_unref (codecs);
}

static void
test_codec_caps_round_trip (void)
{
  static const gchar *caps_strs[] = {
    OPUS_CAPS,
    VP8_CAPS,
    "application/x-rtp,media=video,encoding-name=H264,payload=102,"
        "clock-rate=90000,rtx-payload=103,packetization-mode=(string)1,"
        "profile-level-id=(string)42e01f,level-asymmetry-allowed=(string)1",
    "application/x-rtp,media=audio,encoding-name=PCMA,payload=8,"
        "clock-rate=8000",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (caps_strs); i++) {
    GstCaps *caps = gst_caps_from_string (caps_strs[i]);
    GArray *codecs = rtc_codec_array_new ();
    GArray *again = rtc_codec_array_new ();
    GError *err = NULL;
    RtcMediaKind kind, kind2;
    GstCaps *out;
    GstStructure *s;
    const RtcCodec *c;
    gint v;

    g_assert_true (rtc_codecs_from_caps (caps, &kind, codecs, &err));
    c = &g_array_index (codecs, RtcCodec, 0);
    out = rtc_codec_to_caps (c, kind);
    g_assert_nonnull (out);
    s = gst_caps_get_structure (out, 0);
    {
      gchar *str = gst_structure_to_string (s);
      g_test_message ("%s", str);
      g_free (str);
    }

    /* What rtpbin and the depayloaders look at. */
    g_assert_true (gst_structure_has_name (s, "application/x-rtp"));
    g_assert_cmpstr (gst_structure_get_string (s, "media"), ==,
        rtc_media_kind_to_string (kind));
    g_assert_cmpstr (gst_structure_get_string (s, "encoding-name"), ==,
        gst_structure_get_string (gst_caps_get_structure (caps, 0),
            "encoding-name"));
    g_assert_true (gst_structure_get_int (s, "payload", &v));
    g_assert_cmpint (v, ==, c->pt);
    g_assert_true (gst_structure_get_int (s, "clock-rate", &v));
    g_assert_cmpint (v, ==, c->clock_rate);

    g_assert_true (rtc_codecs_from_caps (out, &kind2, again, &err));
    g_assert_no_error (err);
    g_assert_cmpint (kind, ==, kind2);
    assert_codecs_equal (c, &g_array_index (again, RtcCodec, 0));

    if (i == 0) {
      g_assert_cmpstr (gst_structure_get_string (s, "encoding-params"), ==,
          "2");
      g_assert_cmpstr (gst_structure_get_string (s, "useinbandfec"), ==, "1");
    } else if (i == 2) {
      g_assert_cmpstr (gst_structure_get_string (s, "profile-level-id"), ==,
          "42e01f");
      g_assert_cmpstr (gst_structure_get_string (s, "packetization-mode"), ==,
          "1");
    }
    if (kind == RTC_MEDIA_KIND_VIDEO) {
      gboolean b;
      g_assert_true (gst_structure_get_boolean (s, "rtcp-fb-nack-pli", &b));
      g_assert_true (b);
      g_assert_true (gst_structure_get_int (s, "rtx-payload", &v));
    }

    gst_caps_unref (out);
    gst_caps_unref (caps);
    g_array_unref (codecs);
    g_array_unref (again);
  }
}

/* rtph264pay's sprop-parameter-sets to the profile-level-id browsers
 * need: bytes 1..3 of the SPS, and nothing from anything else. */
static void
test_h264_sps (void)
{
  static const struct
  {
    const gchar *sprop, *plid;
  } cases[] = {
    /* x264 Constrained Baseline 3.1, with its PPS */
    {"Z0LAH9oBQBbpqAgICgAAAwACAAADAGQeMGVA,aM4ySA==", "42c01f"},
    {"Z2QAH6zZQFAFuhAAAAMAEAAAAwPA8YMZYA==", "64001f"},
    {"Z01AKJWgHgCJ+VA=", "4d4028"},
    /* the PPS first: not an SPS */
    {"aM4ySA==,Z0LAH9oBQBbpqAgICgAAAwACAAADAGQeMGVA", NULL},
    /* too short for the three bytes */
    {"Z0LA", NULL},
    {"", NULL},
    {",", NULL},
    /* not base64 at all */
    {"%%%%", NULL},
    /* forbidden_zero_bit set */
    {"50LAHw==", NULL},
    /* profile_idc 0: 00 00 03 would be an emulation prevention byte */
    {"ZwAAAx8=", NULL},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    gchar *plid = rtc_h264_profile_level_id_from_sprop (cases[i].sprop);

    g_assert_cmpstr (plid, ==, cases[i].plid);
    g_free (plid);
  }
  g_assert_null (rtc_h264_profile_level_id_from_sprop (NULL));
}

static void
test_media_copy (void)
{
  GPtrArray *medias = make_medias ();
  RtcJsepMedia *orig = medias->pdata[1];
  RtcJsepMedia *copy = rtc_jsep_media_copy (orig);

  g_assert_true (copy->codecs != orig->codecs);
  g_assert_cmpuint (copy->codecs->len, ==, orig->codecs->len);
  assert_codecs_equal (&g_array_index (copy->codecs, RtcCodec, 0),
      &g_array_index (orig->codecs, RtcCodec, 0));
  g_assert_cmpstr (copy->track_id, ==, orig->track_id);
  g_assert_true (copy->track_id != orig->track_id);
  g_assert_cmpuint (copy->rtx_ssrc, ==, 3333);
  rtc_jsep_media_free (copy);
  g_ptr_array_unref (medias);
}

int
main (int argc, char **argv)
{
  gst_init (NULL, NULL);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/jsep/offer/session-level", test_session_level);
  g_test_add_func ("/jsep/offer/audio-section", test_audio_section);
  g_test_add_func ("/jsep/offer/video-section", test_video_section);
  g_test_add_func ("/jsep/offer/application-section", test_application_section);
  g_test_add_func ("/jsep/offer/recvonly-has-no-source",
      test_recvonly_has_no_source);
  g_test_add_func ("/jsep/offer/mids-unique", test_mids_unique);
  g_test_add_func ("/jsep/offer/bundle-policy-none", test_bundle_policy_none);
  g_test_add_func ("/jsep/offer/stopped-section", test_stopped_section);
  g_test_add_func ("/jsep/offer/renegotiation", test_renegotiation);
  g_test_add_func ("/jsep/offer/renegotiation-keeps-remote-choices",
      test_renegotiation_keeps_remote_choices);
  g_test_add_func ("/jsep/offer/reparse-and-validate",
      test_reparse_and_validate);
  g_test_add_func ("/jsep/offer/errors", test_errors);
  g_test_add_func ("/jsep/codecs/from-caps", test_codecs_from_caps);
  g_test_add_func ("/jsep/codecs/from-caps-errors",
      test_codecs_from_caps_errors);
  g_test_add_func ("/jsep/codecs/caps-round-trip", test_codec_caps_round_trip);
  g_test_add_func ("/jsep/codecs/h264-sps", test_h264_sps);
  g_test_add_func ("/jsep/media/copy", test_media_copy);
  g_test_add_func ("/jsep/offer/default-msid", test_default_msid);

  return g_test_run ();
}
