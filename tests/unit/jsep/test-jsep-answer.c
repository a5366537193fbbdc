/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Associating a remote offer with our medias and answering it
 * (rtcjsep-answer.c), against hand-written offers and the captured
 * browser/webrtcbin offers of tests/data/sdp. */

#include <string.h>

#include "jsep/rtcjsep-answer.h"
#include "jsep/rtcjsep-offer.h"
#include "jsep/rtcjsep-validate.h"
#include "jsep/rtcsdputil.h"

#define UFRAG "Rk9u"
#define PWD "dGhpc2lzYXBhc3N3b3JkMTIz"
#define FINGERPRINT "sha-256 " \
  "7A:1C:3E:90:5B:D2:44:F8:0E:6A:B3:29:C7:51:8D:FE:" \
  "02:9B:6C:E4:13:A7:58:D0:3F:82:C9:1E:64:B5:07:AA"

/* Our payload types differ from every corpus offer's on purpose: the
 * answer must use the offerer's. */
#define OPUS_CAPS "application/x-rtp,media=audio,encoding-name=OPUS," \
  "payload=100,clock-rate=48000,encoding-params=(string)2," \
  "useinbandfec=(string)1"
#define VP8_CAPS "application/x-rtp,media=video,encoding-name=VP8," \
  "payload=101,clock-rate=90000,rtx-payload=102"
#define H264_CAPS "application/x-rtp,media=video,encoding-name=H264," \
  "payload=103,clock-rate=90000,packetization-mode=(string)1," \
  "profile-level-id=(string)42e01f,rtx-payload=104"

#define SENDRECV GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV
#define SENDONLY GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY
#define RECVONLY GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY
#define INACTIVE GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_INACTIVE

/* A minimal offer section; %s are filled by make_offer(). */
#define SESSION_HEAD "v=0\r\no=- 99 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
#define TRANSPORT "c=IN IP4 0.0.0.0\r\n" \
  "a=ice-ufrag:Zq7n\r\na=ice-pwd:Hf3kP9sWc2LmQx8VrT6yBd0J\r\n" \
  "a=fingerprint:" FINGERPRINT "\r\n"

static void
session_init (RtcJsepSession * s)
{
  memset (s, 0, sizeof (*s));
  s->session_id = 77;
  s->session_version = 1;
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
  GError *err = NULL;

  g_assert_nonnull (caps);
  m = rtc_jsep_media_new (RTC_MEDIA_KIND_AUDIO, dir);
  g_assert_true (rtc_codecs_from_caps (caps, &kind, m->codecs, &err));
  g_assert_no_error (err);
  m->kind = kind;
  gst_caps_unref (caps);
  return m;
}

static GPtrArray *
new_media_array (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify)
      rtc_jsep_media_free);
}

/* What the user added before the offer came: opus and VP8 (+RTX), both
 * sending, and a data channel. */
static GPtrArray *
make_local_medias (void)
{
  GPtrArray *medias = new_media_array ();
  RtcJsepMedia *m;

  m = media_from_caps (OPUS_CAPS, SENDRECV);
  m->ssrc = 1111;
  m->cname = g_strdup ("us");
  g_ptr_array_add (medias, m);
  m = media_from_caps (VP8_CAPS, SENDRECV);
  m->ssrc = 2222;
  m->rtx_ssrc = 3333;
  m->cname = g_strdup ("us");
  g_ptr_array_add (medias, m);
  m = rtc_jsep_media_new (RTC_MEDIA_KIND_APPLICATION, SENDRECV);
  m->max_message_size = 65536;
  m->sctp_port = 5001;
  g_ptr_array_add (medias, m);
  return medias;
}

static GstSDPMessage *
parse (const gchar * text)
{
  GstSDPMessage *msg;

  gst_sdp_message_new (&msg);
  g_assert_cmpint (gst_sdp_message_parse_buffer ((const guint8 *) text,
          strlen (text), msg), ==, GST_SDP_OK);
  return msg;
}

static GstSDPMessage *
reparse (const GstSDPMessage * msg)
{
  gchar *text = gst_sdp_message_as_text (msg);
  GstSDPMessage *out = parse (text);

  g_free (text);
  return out;
}

/* associate + answer + re-parse, everything expected to succeed. */
static GstSDPMessage *
answer_offer (const GstSDPMessage * offer, GPtrArray * medias)
{
  RtcJsepSession s;
  GstSDPMessage *answer, *parsed;
  GError *err = NULL;

  session_init (&s);
  g_assert_true (rtc_jsep_associate_remote (offer, medias, NULL, &err));
  g_assert_no_error (err);
  answer = rtc_jsep_build_answer (&s, offer, medias, &err);
  g_assert_no_error (err);
  g_assert_nonnull (answer);
  parsed = reparse (answer);
  gst_sdp_message_free (answer);
  rtc_jsep_session_clear (&s);

  /* Every answer we make passes our own checks, as the remote's would. */
  g_assert_true (rtc_jsep_validate_description (parsed,
          GST_WEBRTC_SDP_TYPE_ANSWER, RTC_SDP_SOURCE_LOCAL, NULL, &err));
  g_assert_no_error (err);
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

#define assert_attr(m, key, value) G_STMT_START { \
  if (!media_has (m, key, value)) \
    g_error ("m=%s: a=%s%s%s missing", gst_sdp_media_get_media (m), key, \
        value ? ":" : "", value ? value : ""); \
} G_STMT_END

static const RtcCodec *
find_codec (const GArray * codecs, const gchar * name)
{
  guint i;

  for (i = 0; i < codecs->len; i++) {
    const RtcCodec *c = &g_array_index (codecs, RtcCodec, i);
    if (g_ascii_strcasecmp (c->encoding_name, name) == 0)
      return c;
  }
  return NULL;
}

/* ---- the direction table ---- */

static void
test_direction_table (void)
{
  /* https://www.rfc-editor.org/rfc/rfc3264#section-6.1: rows are the
   * offered direction, columns our transceiver's. */
  static const struct
  {
    GstWebRTCRTPTransceiverDirection offered, local, expected;
  } table[] = {
    {SENDRECV, SENDRECV, SENDRECV},
    {SENDRECV, SENDONLY, SENDONLY},
    {SENDRECV, RECVONLY, RECVONLY},
    {SENDRECV, INACTIVE, INACTIVE},
    {SENDONLY, SENDRECV, RECVONLY},
    {SENDONLY, SENDONLY, INACTIVE},
    {SENDONLY, RECVONLY, RECVONLY},
    {SENDONLY, INACTIVE, INACTIVE},
    {RECVONLY, SENDRECV, SENDONLY},
    {RECVONLY, SENDONLY, SENDONLY},
    {RECVONLY, RECVONLY, INACTIVE},
    {RECVONLY, INACTIVE, INACTIVE},
    {INACTIVE, SENDRECV, INACTIVE},
    {INACTIVE, SENDONLY, INACTIVE},
    {INACTIVE, RECVONLY, INACTIVE},
    {INACTIVE, INACTIVE, INACTIVE},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (table); i++) {
    GstWebRTCRTPTransceiverDirection got =
        rtc_jsep_answer_direction (table[i].offered, table[i].local);
    if (got != table[i].expected)
      g_error ("offered %s, local %s: expected %s, got %s",
          rtc_jsep_direction_to_string (table[i].offered),
          rtc_jsep_direction_to_string (table[i].local),
          rtc_jsep_direction_to_string (table[i].expected),
          rtc_jsep_direction_to_string (got));
  }
}

/* ---- association ---- */

static const gchar *three_sections_offer =
    SESSION_HEAD "a=group:BUNDLE a v d\r\n"
    "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n" TRANSPORT
    "a=setup:actpass\r\na=mid:a\r\na=sendrecv\r\na=rtcp-mux\r\n"
    "a=rtpmap:111 opus/48000/2\r\na=fmtp:111 useinbandfec=1\r\n"
    "m=video 9 UDP/TLS/RTP/SAVPF 96 97 98\r\n" TRANSPORT
    "a=setup:actpass\r\na=mid:v\r\na=sendonly\r\na=rtcp-mux\r\n"
    "a=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 nack\r\n"
    "a=rtpmap:97 rtx/90000\r\na=fmtp:97 apt=96\r\n"
    "a=rtpmap:98 H264/90000\r\na=fmtp:98 packetization-mode=1\r\n"
    "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n" TRANSPORT
    "a=setup:actpass\r\na=mid:d\r\na=sctp-port:5000\r\n";

static void
test_associate_by_mid_and_kind (void)
{
  GstSDPMessage *offer = parse (three_sections_offer);
  GPtrArray *medias = new_media_array ();
  GPtrArray *added = g_ptr_array_new ();
  RtcJsepMedia *video, *audio, *stopped, *spare;
  GError *err = NULL;

  /* The video media already owns mid "v" from an earlier negotiation. */
  video = media_from_caps (VP8_CAPS, SENDRECV);
  video->mid = g_strdup ("v");
  video->mline = 5;
  /* A stopped audio media must not be picked up. */
  stopped = media_from_caps (OPUS_CAPS, SENDRECV);
  stopped->stopped = TRUE;
  audio = media_from_caps (OPUS_CAPS, SENDRECV);
  /* A second unassociated audio media stays unassociated. */
  spare = media_from_caps (OPUS_CAPS, SENDRECV);
  g_ptr_array_add (medias, stopped);
  g_ptr_array_add (medias, video);
  g_ptr_array_add (medias, audio);
  g_ptr_array_add (medias, spare);

  g_assert_true (rtc_jsep_associate_remote (offer, medias, added, &err));
  g_assert_no_error (err);

  g_assert_cmpint (video->mline, ==, 1);
  g_assert_cmpstr (video->mid, ==, "v");
  g_assert_cmpint (audio->mline, ==, 0);
  g_assert_cmpstr (audio->mid, ==, "a");
  g_assert_cmpint (stopped->mline, ==, -1);
  g_assert_null (stopped->mid);
  g_assert_cmpint (spare->mline, ==, -1);
  g_assert_null (spare->mid);

  /* No data channel media: one is created for the application section. */
  g_assert_cmpuint (added->len, ==, 1);
  g_assert_cmpuint (medias->len, ==, 5);
  g_assert_true (added->pdata[0] == medias->pdata[4]);
  g_assert_cmpint (((RtcJsepMedia *) added->pdata[0])->kind, ==,
      RTC_MEDIA_KIND_APPLICATION);
  g_assert_cmpstr (((RtcJsepMedia *) added->pdata[0])->mid, ==, "d");
  g_assert_cmpint (((RtcJsepMedia *) added->pdata[0])->mline, ==, 2);

  /* Associating the same offer again changes nothing. */
  g_ptr_array_set_size (added, 0);
  g_assert_true (rtc_jsep_associate_remote (offer, medias, added, &err));
  g_assert_cmpuint (added->len, ==, 0);
  g_assert_cmpuint (medias->len, ==, 5);

  g_ptr_array_unref (added);
  g_ptr_array_unref (medias);
  gst_sdp_message_free (offer);
}

static void
test_associate_creates_recvonly (void)
{
  GstSDPMessage *offer = parse (three_sections_offer);
  GPtrArray *medias = new_media_array ();
  GPtrArray *added = g_ptr_array_new ();
  RtcJsepMedia *m;
  GError *err = NULL;
  const RtcCodec *vp8;

  g_assert_true (rtc_jsep_associate_remote (offer, medias, added, &err));
  g_assert_no_error (err);
  g_assert_cmpuint (added->len, ==, 3);

  /* https://w3c.github.io/webrtc-pc/#set-description: a transceiver
   * created for a remote offer is recvonly. */
  m = added->pdata[0];
  g_assert_cmpint (m->kind, ==, RTC_MEDIA_KIND_AUDIO);
  g_assert_cmpint (m->direction, ==, RECVONLY);
  g_assert_cmpstr (m->mid, ==, "a");
  g_assert_cmpuint (m->codecs->len, ==, 1);
  g_assert_cmpstr (g_array_index (m->codecs, RtcCodec, 0).fmtp, ==,
      "useinbandfec=1");

  m = added->pdata[1];
  g_assert_cmpint (m->kind, ==, RTC_MEDIA_KIND_VIDEO);
  g_assert_cmpint (m->direction, ==, RECVONLY);
  g_assert_cmpint (m->mline, ==, 1);
  /* VP8 with its RTX folded in, and H264. */
  g_assert_cmpuint (m->codecs->len, ==, 2);
  vp8 = find_codec (m->codecs, "VP8");
  g_assert_nonnull (vp8);
  g_assert_cmpuint (vp8->pt, ==, 96);
  g_assert_cmpuint (vp8->rtx_pt, ==, 97);

  m = added->pdata[2];
  g_assert_cmpint (m->kind, ==, RTC_MEDIA_KIND_APPLICATION);

  /* Answering with those: recvonly against sendrecv/sendonly offers. */
  {
    GstSDPMessage *answer = answer_offer (offer, medias);

    assert_attr (gst_sdp_message_get_media (answer, 0), "recvonly", NULL);
    assert_attr (gst_sdp_message_get_media (answer, 1), "recvonly", NULL);
    g_assert_false (media_has (gst_sdp_message_get_media (answer, 0),
            "msid", NULL));
    gst_sdp_message_free (answer);
  }

  g_ptr_array_unref (added);
  g_ptr_array_unref (medias);
  gst_sdp_message_free (offer);
}

static void
test_associate_kind_mismatch (void)
{
  GstSDPMessage *offer = parse (three_sections_offer);
  GPtrArray *medias = new_media_array ();
  RtcJsepMedia *video, *audio;
  GError *err = NULL;

  /* A video media that owns mid "a", which the offer says is audio. */
  audio = media_from_caps (OPUS_CAPS, SENDRECV);
  video = media_from_caps (VP8_CAPS, SENDRECV);
  video->mid = g_strdup ("a");
  g_ptr_array_add (medias, audio);
  g_ptr_array_add (medias, video);

  g_assert_false (rtc_jsep_associate_remote (offer, medias, NULL, &err));
  g_assert_error (err, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_MODIFICATION);
  g_test_message ("%s", err->message);
  g_clear_error (&err);
  /* Nothing changed. */
  g_assert_cmpuint (medias->len, ==, 2);
  g_assert_null (audio->mid);
  g_assert_cmpint (audio->mline, ==, -1);

  g_ptr_array_unref (medias);
  gst_sdp_message_free (offer);
}

/* ---- answers to hand-written offers ---- */

static void
test_answer_basic (void)
{
  GstSDPMessage *offer = parse (three_sections_offer);
  GPtrArray *medias = make_local_medias ();
  GstSDPMessage *answer;
  const GstSDPMedia *m;
  const GstSDPOrigin *o;

  answer = answer_offer (offer, medias);
  o = gst_sdp_message_get_origin (answer);
  g_assert_cmpstr (o->sess_id, ==, "77");
  g_assert_cmpstr (o->addr, ==, "0.0.0.0");
  g_assert_cmpstr (gst_sdp_message_get_attribute_val (answer, "group"), ==,
      "BUNDLE a v d");

  m = gst_sdp_message_get_media (answer, 0);
  g_assert_cmpuint (gst_sdp_media_get_port (m), ==, 9);
  g_assert_cmpuint (gst_sdp_media_formats_len (m), ==, 1);
  g_assert_cmpstr (gst_sdp_media_get_format (m, 0), ==, "111");
  assert_attr (m, "rtpmap", "111 opus/48000/2");
  assert_attr (m, "fmtp", "111 useinbandfec=1");
  assert_attr (m, "setup", "active");
  assert_attr (m, "ice-ufrag", UFRAG);
  assert_attr (m, "ice-pwd", PWD);
  assert_attr (m, "fingerprint", FINGERPRINT);
  assert_attr (m, "mid", "a");
  assert_attr (m, "sendrecv", NULL);
  assert_attr (m, "rtcp-mux", NULL);
  /* Not offered, so not answered. */
  g_assert_false (media_has (m, "rtcp-rsize", NULL));
  assert_attr (m, "ssrc", "1111 cname:us");

  /* Offered sendonly: we receive only and announce no source. */
  m = gst_sdp_message_get_media (answer, 1);
  assert_attr (m, "recvonly", NULL);
  g_assert_false (media_has (m, "ssrc", NULL));
  g_assert_false (media_has (m, "msid", NULL));
  /* VP8 with the offerer's PT and RTX; no H264 (we have none); feedback
   * is only what was offered. */
  g_assert_cmpuint (gst_sdp_media_formats_len (m), ==, 2);
  g_assert_cmpstr (gst_sdp_media_get_format (m, 0), ==, "96");
  g_assert_cmpstr (gst_sdp_media_get_format (m, 1), ==, "97");
  assert_attr (m, "rtpmap", "96 VP8/90000");
  assert_attr (m, "rtpmap", "97 rtx/90000");
  assert_attr (m, "fmtp", "97 apt=96");
  assert_attr (m, "rtcp-fb", "96 nack");
  g_assert_false (media_has (m, "rtcp-fb", "96 nack pli"));
  g_assert_false (media_has (m, "rtpmap", "98 H264/90000"));

  m = gst_sdp_message_get_media (answer, 2);
  g_assert_cmpstr (gst_sdp_media_get_proto (m), ==, "UDP/DTLS/SCTP");
  g_assert_cmpstr (gst_sdp_media_get_format (m, 0), ==, "webrtc-datachannel");
  g_assert_cmpuint (gst_sdp_media_get_port (m), ==, 9);
  assert_attr (m, "sctp-port", "5001");
  assert_attr (m, "max-message-size", "65536");
  assert_attr (m, "x-rtcpeer-sctp-max-packet", "16384");
  assert_attr (m, "setup", "active");
  assert_attr (m, "mid", "d");

  gst_sdp_message_free (answer);
  g_ptr_array_unref (medias);
  gst_sdp_message_free (offer);
}

static void
test_answer_recvonly_offer (void)
{
  static const gchar *text =
      SESSION_HEAD "a=group:BUNDLE 0\r\n"
      "m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\n" TRANSPORT
      "a=setup:actpass\r\na=mid:0\r\na=recvonly\r\na=rtcp-mux\r\n"
      "a=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 nack\r\na=rtcp-fb:96 nack pli\r\n"
      "a=rtpmap:97 rtx/90000\r\na=fmtp:97 apt=96\r\n";
  GstSDPMessage *offer = parse (text), *answer;
  GPtrArray *medias = make_local_medias ();
  const GstSDPMedia *m;

  answer = answer_offer (offer, medias);
  m = gst_sdp_message_get_media (answer, 0);
  assert_attr (m, "sendonly", NULL);
  assert_attr (m, "msid", NULL);
  assert_attr (m, "ssrc-group", "FID 2222 3333");
  assert_attr (m, "ssrc", "2222 cname:us");
  assert_attr (m, "rtcp-fb", "96 nack pli");

  gst_sdp_message_free (answer);
  g_ptr_array_unref (medias);
  gst_sdp_message_free (offer);
}

static void
test_answer_setup_roles (void)
{
  static const struct
  {
    const gchar *offered, *answered;
  } roles[] = {
    {"actpass", "active"},
    {"passive", "active"},
    {"active", "passive"},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (roles); i++) {
    gchar *text = g_strdup_printf (SESSION_HEAD
        "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n" TRANSPORT
        "a=setup:%s\r\na=mid:0\r\na=rtcp-mux\r\n"
        "a=rtpmap:111 opus/48000/2\r\n", roles[i].offered);
    GstSDPMessage *offer = parse (text), *answer;
    GPtrArray *medias = make_local_medias ();

    answer = answer_offer (offer, medias);
    assert_attr (gst_sdp_message_get_media (answer, 0), "setup",
        roles[i].answered);
    /* No group offered, none answered. */
    g_assert_null (gst_sdp_message_get_attribute_val (answer, "group"));

    gst_sdp_message_free (answer);
    g_ptr_array_unref (medias);
    gst_sdp_message_free (offer);
    g_free (text);
  }
}

/* A subsequent offer (actpass again) that adds a bundled video section
 * and an unbundled one: both offered against the last negotiation. */
static GstSDPMessage *
answer_subsequent (const gchar * ours_before, const gchar * theirs_before)
{
  static const gchar *reoffer_text =
      SESSION_HEAD "a=group:BUNDLE 0 1\r\n"
      "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n" TRANSPORT
      "a=setup:actpass\r\na=mid:0\r\na=rtcp-mux\r\n"
      "a=rtpmap:111 opus/48000/2\r\n"
      "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n" TRANSPORT
      "a=setup:actpass\r\na=mid:1\r\na=rtcp-mux\r\n"
      "a=rtpmap:96 VP8/90000\r\n"
      "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n" TRANSPORT
      "a=setup:actpass\r\na=mid:2\r\na=rtcp-mux\r\n"
      "a=rtpmap:96 VP8/90000\r\n";
  gchar *before_local = g_strdup_printf (SESSION_HEAD "a=group:BUNDLE 0\r\n"
      "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n" TRANSPORT
      "a=setup:%s\r\na=mid:0\r\na=rtcp-mux\r\n"
      "a=rtpmap:111 opus/48000/2\r\n", ours_before);
  gchar *before_remote = g_strdup_printf (SESSION_HEAD "a=group:BUNDLE 0\r\n"
      "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n" TRANSPORT
      "a=setup:%s\r\na=mid:0\r\na=rtcp-mux\r\n"
      "a=rtpmap:111 opus/48000/2\r\n", theirs_before);
  GstSDPMessage *reoffer = parse (reoffer_text);
  GstSDPMessage *local = parse (before_local), *remote = parse (before_remote);
  GPtrArray *medias = make_local_medias ();
  GstSDPMessage *answer, *parsed;
  RtcJsepSession s;
  GError *err = NULL;

  session_init (&s);
  ((RtcJsepMedia *) g_ptr_array_index (medias, 0))->mid = g_strdup ("0");
  ((RtcJsepMedia *) g_ptr_array_index (medias, 0))->mline = 0;
  g_assert_true (rtc_jsep_associate_remote (reoffer, medias, NULL, &err));
  g_assert_no_error (err);
  answer = rtc_jsep_build_answer_full (&s, reoffer, medias, local, remote,
      &err);
  g_assert_no_error (err);
  parsed = reparse (answer);

  gst_sdp_message_free (answer);
  rtc_jsep_session_clear (&s);
  g_ptr_array_unref (medias);
  gst_sdp_message_free (local);
  gst_sdp_message_free (remote);
  gst_sdp_message_free (reoffer);
  g_free (before_local);
  g_free (before_remote);
  return parsed;
}

/* RFC 8842 section 5.5: a renegotiation keeps the DTLS roles of the
 * transports that exist, whoever offers; a new m-line in the BUNDLE group
 * shares its transport and so its role; one outside starts afresh. */
static void
test_answer_keeps_dtls_role (void)
{
  static const struct
  {
    const gchar *ours_before, *theirs_before, *bundled, *alone;
  } cases[] = {
    /* we answered active: the DTLS client stays the client */
    {"active", "actpass", "active", "active"},
    /* we offered, they answered active: we stay the server */
    {"actpass", "active", "passive", "active"},
    /* we offered, they answered passive: we stay the client */
    {"actpass", "passive", "active", "active"},
    /* we answered passive to an active offer */
    {"passive", "active", "passive", "active"},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    GstSDPMessage *answer = answer_subsequent (cases[i].ours_before,
        cases[i].theirs_before);

    assert_attr (gst_sdp_message_get_media (answer, 0), "setup",
        cases[i].bundled);
    assert_attr (gst_sdp_message_get_media (answer, 1), "setup",
        cases[i].bundled);
    assert_attr (gst_sdp_message_get_media (answer, 2), "setup",
        cases[i].alone);
    g_assert_cmpstr (gst_sdp_message_get_attribute_val (answer, "group"), ==,
        "BUNDLE 0 1");
    gst_sdp_message_free (answer);
  }
}

static void
test_answer_no_common_codec (void)
{
  static const gchar *text =
      SESSION_HEAD "a=group:BUNDLE 0 1\r\n"
      "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n" TRANSPORT
      "a=setup:actpass\r\na=mid:0\r\na=rtcp-mux\r\n"
      "a=rtpmap:111 opus/48000/2\r\n"
      "m=video 9 UDP/TLS/RTP/SAVPF 102 103\r\n" TRANSPORT
      "a=setup:actpass\r\na=mid:1\r\na=rtcp-mux\r\n"
      "a=rtpmap:102 H264/90000\r\n"
      "a=fmtp:102 packetization-mode=1;profile-level-id=42e01f\r\n"
      "a=rtpmap:103 rtx/90000\r\na=fmtp:103 apt=102\r\n";
  GstSDPMessage *offer = parse (text), *answer;
  GPtrArray *medias = make_local_medias ();     /* VP8 only for video */
  const GstSDPMedia *m;

  answer = answer_offer (offer, medias);
  g_assert_cmpuint (gst_sdp_message_medias_len (answer), ==, 2);
  m = gst_sdp_message_get_media (answer, 1);
  g_assert_cmpstr (gst_sdp_media_get_media (m), ==, "video");
  g_assert_cmpuint (gst_sdp_media_get_port (m), ==, 0);
  assert_attr (m, "mid", "1");
  g_assert_false (media_has (m, "ice-ufrag", NULL));
  g_assert_true (rtc_sdp_media_is_rejected (answer, 1));
  g_assert_cmpstr (gst_sdp_message_get_attribute_val (answer, "group"), ==,
      "BUNDLE 0");
  g_assert_cmpuint (gst_sdp_media_get_port (gst_sdp_message_get_media
          (answer, 0)), ==, 9);
  gst_sdp_message_free (answer);
  g_ptr_array_unref (medias);

  /* With an H264 media of the right profile and mode it is accepted. */
  medias = make_local_medias ();
  g_ptr_array_add (medias, media_from_caps (H264_CAPS, SENDRECV));
  g_ptr_array_remove_index (medias, 1); /* drop the VP8 one */
  answer = answer_offer (offer, medias);
  m = gst_sdp_message_get_media (answer, 1);
  g_assert_cmpuint (gst_sdp_media_get_port (m), ==, 9);
  assert_attr (m, "rtpmap", "102 H264/90000");
  assert_attr (m, "fmtp", "102 packetization-mode=1;profile-level-id=42e01f");
  assert_attr (m, "fmtp", "103 apt=102");
  g_assert_cmpstr (gst_sdp_message_get_attribute_val (answer, "group"), ==,
      "BUNDLE 0 1");
  gst_sdp_message_free (answer);
  g_ptr_array_unref (medias);

  gst_sdp_message_free (offer);
}

static void
test_answer_h264_profiles (void)
{
  gchar *path = g_build_filename (g_getenv ("RTC_TEST_DATA_DIR"), "sdp",
      "chromium-av-offer.sdp", NULL);
  GPtrArray *medias = new_media_array ();
  GstSDPMessage *offer, *answer;
  GArray *codecs = rtc_codec_array_new ();
  GError *err = NULL;
  gchar *text;
  const RtcCodec *c;

  g_assert_true (g_file_get_contents (path, &text, NULL, &err));
  offer = parse (text);
  g_ptr_array_add (medias, media_from_caps (H264_CAPS, SENDRECV));
  answer = answer_offer (offer, medias);

  /* Constrained Baseline with packetization-mode=1 is offered as 106
   * only: not 102 (Baseline), not 108 (mode 0), not 127 (Main). */
  g_assert_true (rtc_sdp_media_get_codecs (answer, 1, codecs, &err));
  g_assert_cmpuint (codecs->len, ==, 1);
  c = &g_array_index (codecs, RtcCodec, 0);
  g_assert_cmpuint (c->pt, ==, 106);
  g_assert_cmpuint (c->rtx_pt, ==, 107);
  /* Audio and data had no local media: new ones were made, the audio one
   * receive-only with the offered codecs. */
  g_assert_cmpuint (medias->len, ==, 3);
  g_assert_false (rtc_sdp_media_is_rejected (answer, 0));
  g_assert_cmpint (rtc_sdp_media_get_direction (answer, 0), ==, RECVONLY);
  g_assert_false (rtc_sdp_media_is_rejected (answer, 2));
  g_assert_cmpstr (gst_sdp_message_get_attribute_val (answer, "group"), ==,
      "BUNDLE 0 1 2");

  g_array_unref (codecs);
  gst_sdp_message_free (answer);
  gst_sdp_message_free (offer);
  g_ptr_array_unref (medias);
  g_free (text);
  g_free (path);
}

static void
test_answer_rejections (void)
{
  static const gchar *text = SESSION_HEAD "a=group:BUNDLE 0 2\r\n"
      /* offered rejected */
      "m=audio 0 UDP/TLS/RTP/SAVPF 111\r\n" TRANSPORT
      "a=setup:actpass\r\na=mid:0\r\na=rtcp-mux\r\n"
      "a=rtpmap:111 opus/48000/2\r\n"
      /* no rtcp-mux */
      "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n" TRANSPORT
      "a=setup:actpass\r\na=mid:1\r\n" "a=rtpmap:111 opus/48000/2\r\n"
      /* plain RTP/AVP cannot be keyed with DTLS */
      "m=video 9 RTP/AVP 96\r\n" TRANSPORT
      "a=setup:actpass\r\na=mid:2\r\na=rtcp-mux\r\n" "a=rtpmap:96 VP8/90000\r\n"
      /* a kind we do not know */
      "m=text 9 UDP/TLS/RTP/SAVPF 98\r\n" TRANSPORT
      "a=setup:actpass\r\na=mid:3\r\na=rtcp-mux\r\n"
      "a=rtpmap:98 t140/1000\r\n";
  GstSDPMessage *offer = parse (text), *answer;
  GPtrArray *medias = make_local_medias ();
  RtcJsepSession s;
  GError *err = NULL;
  guint i;

  session_init (&s);
  g_assert_true (rtc_jsep_associate_remote (offer, medias, NULL, &err));
  g_assert_no_error (err);
  answer = rtc_jsep_build_answer (&s, offer, medias, &err);
  g_assert_no_error (err);

  g_assert_cmpuint (gst_sdp_message_medias_len (answer), ==, 4);
  for (i = 0; i < 4; i++) {
    const GstSDPMedia *m = gst_sdp_message_get_media (answer, i);
    gchar *mid = g_strdup_printf ("%u", i);

    g_assert_cmpuint (gst_sdp_media_get_port (m), ==, 0);
    assert_attr (m, "mid", mid);
    g_assert_cmpstr (gst_sdp_media_get_media (m), ==,
        gst_sdp_media_get_media (gst_sdp_message_get_media (offer, i)));
    g_free (mid);
  }
  /* Everything rejected, so no group at all. */
  g_assert_null (gst_sdp_message_get_attribute_val (answer, "group"));

  gst_sdp_message_free (answer);
  rtc_jsep_session_clear (&s);
  g_ptr_array_unref (medias);
  gst_sdp_message_free (offer);
}

static void
test_answer_stopped_media (void)
{
  GstSDPMessage *offer = parse (three_sections_offer), *answer;
  GPtrArray *medias = make_local_medias ();
  RtcJsepSession s;
  GError *err = NULL;

  session_init (&s);
  g_assert_true (rtc_jsep_associate_remote (offer, medias, NULL, &err));
  ((RtcJsepMedia *) medias->pdata[0])->stopped = TRUE;
  answer = rtc_jsep_build_answer (&s, offer, medias, &err);
  g_assert_no_error (err);
  g_assert_true (rtc_sdp_media_is_rejected (answer, 0));
  g_assert_cmpstr (gst_sdp_message_get_attribute_val (answer, "group"), ==,
      "BUNDLE v d");

  gst_sdp_message_free (answer);
  rtc_jsep_session_clear (&s);
  g_ptr_array_unref (medias);
  gst_sdp_message_free (offer);
}

static void
test_answer_legacy_datachannel (void)
{
  gchar *path = g_build_filename (g_getenv ("RTC_TEST_DATA_DIR"), "sdp",
      "legacy", "chromium56-datachannel-offer.sdp", NULL);
  GPtrArray *medias = make_local_medias ();
  GstSDPMessage *offer, *answer;
  RtcJsepSession s;
  GError *err = NULL;
  gchar *text;

  if (!g_file_get_contents (path, &text, NULL, NULL)) {
    g_test_skip ("legacy corpus file missing");
    g_free (path);
    g_ptr_array_unref (medias);
    return;
  }
  offer = parse (text);
  session_init (&s);
  g_assert_true (rtc_jsep_associate_remote (offer, medias, NULL, &err));
  answer = rtc_jsep_build_answer (&s, offer, medias, &err);
  g_assert_no_error (err);
  /* "DTLS/SCTP 5000" + a=sctpmap predates RFC 8841: refused. */
  g_assert_true (rtc_sdp_media_is_rejected (answer, 0));

  gst_sdp_message_free (answer);
  gst_sdp_message_free (offer);
  rtc_jsep_session_clear (&s);
  g_ptr_array_unref (medias);
  g_free (text);
  g_free (path);
}

/* Two of our own builders talking: our answer to our offer. */
static void
test_answer_own_offer (void)
{
  RtcJsepSession s;
  GPtrArray *ours = make_local_medias (), *theirs = make_local_medias ();
  GstSDPMessage *offer, *answer;
  GError *err = NULL;

  session_init (&s);
  offer = rtc_jsep_build_offer (&s, ours, NULL, &err);
  g_assert_no_error (err);
  answer = answer_offer (offer, theirs);

  g_assert_cmpstr (gst_sdp_message_get_attribute_val (answer, "group"), ==,
      "BUNDLE 0 1 2");
  assert_attr (gst_sdp_message_get_media (answer, 1), "rtpmap",
      "101 VP8/90000");
  assert_attr (gst_sdp_message_get_media (answer, 1), "fmtp", "102 apt=101");
  assert_attr (gst_sdp_message_get_media (answer, 1), "extmap",
      "4 " RTC_EXTMAP_MID);
  assert_attr (gst_sdp_message_get_media (answer, 1), "extmap",
      "3 " RTC_EXTMAP_TWCC);
  assert_attr (gst_sdp_message_get_media (answer, 1), "rtcp-fb",
      "101 transport-cc");
  assert_attr (gst_sdp_message_get_media (answer, 1), "rtcp-rsize", NULL);
  g_assert_true (rtc_jsep_validate_description (answer,
          GST_WEBRTC_SDP_TYPE_ANSWER, RTC_SDP_SOURCE_REMOTE, NULL, &err));
  g_assert_no_error (err);

  gst_sdp_message_free (offer);
  gst_sdp_message_free (answer);
  g_ptr_array_unref (ours);
  g_ptr_array_unref (theirs);
  rtc_jsep_session_clear (&s);
}

/* ---- the corpus ---- */

static void
check_corpus_answer (const GstSDPMessage * offer, const GstSDPMessage * answer)
{
  gchar **offer_bundle = rtc_sdp_get_bundle_mids (offer);
  gchar **answer_bundle = rtc_sdp_get_bundle_mids (answer);
  guint i, n = gst_sdp_message_medias_len (offer);

  g_assert_cmpuint (gst_sdp_message_medias_len (answer), ==, n);
  for (i = 0; i < n; i++) {
    const GstSDPMedia *om = gst_sdp_message_get_media (offer, i);
    const GstSDPMedia *am = gst_sdp_message_get_media (answer, i);
    RtcMediaKind kind = rtc_sdp_media_get_kind (offer, i);
    GArray *oc = rtc_codec_array_new (), *ac = rtc_codec_array_new ();
    const gchar *names[] = { "opus", "VP8" };
    GError *err = NULL;
    guint k;

    g_assert_cmpstr (gst_sdp_media_get_media (am), ==,
        gst_sdp_media_get_media (om));
    g_assert_cmpstr (rtc_sdp_media_get_mid (answer, i), ==,
        rtc_sdp_media_get_mid (offer, i));
    /* Everything in the corpus is acceptable to an opus/VP8/data peer. */
    g_assert_false (rtc_sdp_media_is_rejected (answer, i));
    g_assert_cmpuint (gst_sdp_media_get_port (am), ==, 9);
    g_assert_cmpstr (gst_sdp_media_get_attribute_val (am, "setup"), ==,
        "active");

    if (kind == RTC_MEDIA_KIND_APPLICATION) {
      assert_attr (am, "sctp-port", "5001");
      assert_attr (am, "max-message-size", "65536");
      g_array_unref (oc);
      g_array_unref (ac);
      continue;
    }

    g_assert_cmpint (rtc_sdp_media_get_direction (answer, i), ==,
        rtc_jsep_answer_direction (rtc_sdp_media_get_direction (offer, i),
            SENDRECV));

    g_assert_true (rtc_sdp_media_get_codecs (offer, i, oc, &err));
    g_assert_true (rtc_sdp_media_get_codecs (answer, i, ac, &err));
    g_assert_no_error (err);
    /* Only our codec, with the offerer's payload type and fmtp, and
     * the offered DTMF (test-jsep-dtmf.c). */
    for (k = 0; k < ac->len;) {
      if (rtc_codec_is_dtmf (&g_array_index (ac, RtcCodec, k)))
        g_array_remove_index (ac, k);
      else
        k++;
    }
    g_assert_cmpuint (ac->len, ==, 1);
    for (k = 0; k < G_N_ELEMENTS (names); k++) {
      const RtcCodec *o = find_codec (oc, names[k]);
      const RtcCodec *a = find_codec (ac, names[k]);

      if (o == NULL)
        continue;
      g_assert_nonnull (a);
      g_assert_cmpuint (a->pt, ==, o->pt);
      g_assert_cmpuint (a->clock_rate, ==, o->clock_rate);
      g_assert_cmpstr (a->fmtp, ==, o->fmtp);
      /* RTX only for video, where we have it too. */
      g_assert_cmpuint (a->rtx_pt, ==, kind == RTC_MEDIA_KIND_VIDEO ?
          o->rtx_pt : 0);
      g_assert_cmpuint (a->feedback & ~o->feedback, ==, 0);
    }
    g_array_unref (oc);
    g_array_unref (ac);
  }

  /* All accepted: the answer's group is the offer's. */
  if (offer_bundle) {
    g_assert_nonnull (answer_bundle);
    g_assert_true (g_strv_equal ((const gchar * const *) offer_bundle,
            (const gchar * const *) answer_bundle));
  } else {
    g_assert_null (answer_bundle);
  }
  g_strfreev (offer_bundle);
  g_strfreev (answer_bundle);
}

static void
test_corpus_offer (gconstpointer data)
{
  const gchar *path = data;
  GPtrArray *medias = make_local_medias ();
  GstSDPMessage *offer, *answer;
  GError *err = NULL;
  gchar *text, *answer_text;

  g_assert_true (g_file_get_contents (path, &text, NULL, &err));
  g_assert_no_error (err);
  offer = parse (text);
  answer = answer_offer (offer, medias);
  answer_text = gst_sdp_message_as_text (answer);
  g_test_message ("answer to %s:\n%s", path, answer_text);

  check_corpus_answer (offer, answer);

  /* Chromium and Firefox ask for opus in-band FEC; the answer says yes. */
  {
    guint i, n = gst_sdp_message_medias_len (offer);

    for (i = 0; i < n; i++) {
      GArray *oc = rtc_codec_array_new (), *ac = rtc_codec_array_new ();
      const RtcCodec *o, *a;

      g_assert_true (rtc_sdp_media_get_codecs (offer, i, oc, NULL));
      g_assert_true (rtc_sdp_media_get_codecs (answer, i, ac, NULL));
      o = find_codec (oc, "opus");
      a = find_codec (ac, "opus");
      if (o && o->fmtp && strstr (o->fmtp, "useinbandfec=1")) {
        g_assert_nonnull (a);
        g_assert_nonnull (strstr (a->fmtp, "useinbandfec=1"));
      }
      g_array_unref (oc);
      g_array_unref (ac);
    }
  }

  g_free (answer_text);
  gst_sdp_message_free (answer);
  gst_sdp_message_free (offer);
  g_ptr_array_unref (medias);
  g_free (text);
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  /* g_ptr_array_sort() hands pointers to the elements. */
  return g_strcmp0 (*(const gchar * const *) a, *(const gchar * const *) b);
}

/* Registers one test per tests/data/sdp/<name>-offer.sdp. */
static GPtrArray *
add_corpus_tests (void)
{
  const gchar *data_dir = g_getenv ("RTC_TEST_DATA_DIR");
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  gchar *dir_path;
  GDir *dir;
  const gchar *name;
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  guint i;

  if (data_dir == NULL)
    return paths;
  dir_path = g_build_filename (data_dir, "sdp", NULL);
  dir = g_dir_open (dir_path, 0, NULL);
  while (dir && (name = g_dir_read_name (dir))) {
    if (g_str_has_suffix (name, "-offer.sdp"))
      g_ptr_array_add (names, g_strdup (name));
  }
  if (dir)
    g_dir_close (dir);
  g_ptr_array_sort (names, compare_names);
  for (i = 0; i < names->len; i++) {
    gchar *n = names->pdata[i];
    gchar *test_name, *base = g_strndup (n, strlen (n) - strlen (".sdp"));
    test_name = g_strdup_printf ("/jsep/answer/corpus/%s", base);
    g_ptr_array_add (paths, g_build_filename (dir_path, n, NULL));
    g_test_add_data_func (test_name, paths->pdata[paths->len - 1],
        test_corpus_offer);
    g_free (test_name);
    g_free (base);
  }
  g_ptr_array_unref (names);
  g_free (dir_path);
  return paths;
}

static void
test_corpus_present (void)
{
  const gchar *expected[] = {
    "chromium-av-offer.sdp", "chromium-datachannel-offer.sdp",
    "firefox-av-offer.sdp", "webrtcbin-av-offer.sdp",
  };
  const gchar *data_dir = g_getenv ("RTC_TEST_DATA_DIR");
  guint i;

  /* Without the corpus the per-file tests above silently vanish; say so
   * loudly instead. */
  g_assert_nonnull (data_dir);
  for (i = 0; i < G_N_ELEMENTS (expected); i++) {
    gchar *p = g_build_filename (data_dir, "sdp", expected[i], NULL);
    if (!g_file_test (p, G_FILE_TEST_EXISTS))
      g_error ("corpus file %s is missing", p);
    g_free (p);
  }
}

int
main (int argc, char **argv)
{
  GPtrArray *corpus;
  int ret;

  gst_init (NULL, NULL);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/jsep/answer/direction-table", test_direction_table);
  g_test_add_func ("/jsep/associate/by-mid-and-kind",
      test_associate_by_mid_and_kind);
  g_test_add_func ("/jsep/associate/creates-recvonly",
      test_associate_creates_recvonly);
  g_test_add_func ("/jsep/associate/kind-mismatch",
      test_associate_kind_mismatch);
  g_test_add_func ("/jsep/answer/basic", test_answer_basic);
  g_test_add_func ("/jsep/answer/recvonly-offer", test_answer_recvonly_offer);
  g_test_add_func ("/jsep/answer/setup-roles", test_answer_setup_roles);
  g_test_add_func ("/jsep/answer/keeps-dtls-role", test_answer_keeps_dtls_role);
  g_test_add_func ("/jsep/answer/no-common-codec", test_answer_no_common_codec);
  g_test_add_func ("/jsep/answer/h264-profiles", test_answer_h264_profiles);
  g_test_add_func ("/jsep/answer/rejections", test_answer_rejections);
  g_test_add_func ("/jsep/answer/stopped-media", test_answer_stopped_media);
  g_test_add_func ("/jsep/answer/legacy-datachannel",
      test_answer_legacy_datachannel);
  g_test_add_func ("/jsep/answer/own-offer", test_answer_own_offer);
  g_test_add_func ("/jsep/answer/corpus-present", test_corpus_present);
  corpus = add_corpus_tests ();

  ret = g_test_run ();
  g_ptr_array_unref (corpus);
  return ret;
}
