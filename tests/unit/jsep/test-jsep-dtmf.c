/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* DTMF negotiation (RFC 4733 telephone-event) in offers and answers:
 * one telephone-event per audio clock rate, payload types that collide
 * with nothing in the bundle, answers that keep the offerer's. */

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

#define OPUS_CAPS "application/x-rtp,media=audio,encoding-name=OPUS," \
  "payload=111,clock-rate=48000,encoding-params=(string)2"
#define PCMU_CAPS "application/x-rtp,media=audio,encoding-name=PCMU," \
  "payload=0,clock-rate=8000"
#define VP8_CAPS "application/x-rtp,media=video,encoding-name=VP8," \
  "payload=96,clock-rate=90000,rtx-payload=97"

#define SENDRECV GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV

static void
session_init (RtcJsepSession * s)
{
  memset (s, 0, sizeof (*s));
  s->session_id = 42;
  s->session_version = 1;
  s->ice_ufrag = g_strdup (UFRAG);
  s->ice_pwd = g_strdup (PWD);
  s->fingerprint = g_strdup (FINGERPRINT);
  s->bundle_policy = GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE;
  s->offer_setup = GST_WEBRTC_DTLS_SETUP_ACTPASS;
}

static RtcJsepMedia *
media_from_caps (const gchar * caps_str)
{
  GstCaps *caps = gst_caps_from_string (caps_str);
  RtcJsepMedia *m;
  RtcMediaKind kind;
  GError *err = NULL;

  g_assert_nonnull (caps);
  m = rtc_jsep_media_new (RTC_MEDIA_KIND_AUDIO, SENDRECV);
  g_assert_true (rtc_codecs_from_caps (caps, &kind, m->codecs, &err));
  g_assert_no_error (err);
  m->kind = kind;
  m->ssrc = 1000 + m->codecs->len;
  m->cname = g_strdup ("cname");
  gst_caps_unref (caps);
  return m;
}

static GPtrArray *
medias_new (const gchar * first, ...)
{
  GPtrArray *medias = g_ptr_array_new_with_free_func ((GDestroyNotify)
      rtc_jsep_media_free);
  const gchar *caps;
  va_list ap;

  va_start (ap, first);
  for (caps = first; caps; caps = va_arg (ap, const gchar *))
    g_ptr_array_add (medias, media_from_caps (caps));
  va_end (ap);
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
reparse (GstSDPMessage * msg)
{
  gchar *text = gst_sdp_message_as_text (msg);
  GstSDPMessage *out = parse (text);

  g_free (text);
  gst_sdp_message_free (msg);
  return out;
}

static GstSDPMessage *
offer_for (GPtrArray * medias)
{
  RtcJsepSession s;
  GstSDPMessage *offer;
  GError *err = NULL;

  session_init (&s);
  offer = rtc_jsep_build_offer (&s, medias, NULL, &err);
  g_assert_no_error (err);
  offer = reparse (offer);
  g_assert_true (rtc_jsep_validate_description (offer,
          GST_WEBRTC_SDP_TYPE_OFFER, RTC_SDP_SOURCE_LOCAL, NULL, &err));
  g_assert_no_error (err);
  rtc_jsep_session_clear (&s);
  return offer;
}

static GstSDPMessage *
answer_for (const GstSDPMessage * offer, GPtrArray * medias)
{
  RtcJsepSession s;
  GstSDPMessage *answer;
  GError *err = NULL;

  session_init (&s);
  g_assert_true (rtc_jsep_associate_remote (offer, medias, NULL, &err));
  g_assert_no_error (err);
  answer = rtc_jsep_build_answer (&s, offer, medias, &err);
  g_assert_no_error (err);
  answer = reparse (answer);
  g_assert_true (rtc_jsep_validate_description (answer,
          GST_WEBRTC_SDP_TYPE_ANSWER, RTC_SDP_SOURCE_LOCAL, NULL, &err));
  g_assert_no_error (err);
  rtc_jsep_session_clear (&s);
  return answer;
}

/* "pt name/rate" of every telephone-event of section @mline, space
 * separated, in m= order, each checked to have a=fmtp <pt> 0-15 when
 * @fmtp. */
static gchar *
dtmf_formats (const GstSDPMessage * msg, guint mline, gboolean fmtp)
{
  GArray *codecs = rtc_codec_array_new ();
  GString *out = g_string_new (NULL);
  GError *err = NULL;
  guint i;

  g_assert_true (rtc_sdp_media_get_codecs (msg, mline, codecs, &err));
  g_assert_no_error (err);
  for (i = 0; i < codecs->len; i++) {
    const RtcCodec *c = &g_array_index (codecs, RtcCodec, i);

    if (!rtc_codec_is_dtmf (c))
      continue;
    g_assert_cmpstr (c->encoding_name, ==, "telephone-event");
    if (fmtp)
      g_assert_cmpstr (c->fmtp, ==, "0-15");
    g_string_append_printf (out, "%s%u/%u", out->len ? " " : "", c->pt,
        c->clock_rate);
  }
  g_array_unref (codecs);
  return g_string_free (out, FALSE);
}

#define assert_dtmf(msg, mline, fmtp, expected) G_STMT_START { \
  gchar *got_ = dtmf_formats (msg, mline, fmtp); \
  g_assert_cmpstr (got_, ==, expected); \
  g_free (got_); \
} G_STMT_END

/* Opus: telephone-event at 48000 (events share the Opus timestamps) and
 * at 8000 (what every endpoint sends), after the codecs; none on video. */
static void
test_offer_opus (void)
{
  GPtrArray *medias = medias_new (OPUS_CAPS, VP8_CAPS, NULL);
  GstSDPMessage *offer = offer_for (medias);
  const GstSDPMedia *m = gst_sdp_message_get_media (offer, 0);

  assert_dtmf (offer, 0, TRUE, "126/8000 125/48000");
  g_assert_cmpuint (gst_sdp_media_formats_len (m), ==, 3);
  g_assert_cmpstr (gst_sdp_media_get_format (m, 0), ==, "111");
  assert_dtmf (offer, 1, TRUE, "");
  gst_sdp_message_free (offer);
  g_ptr_array_unref (medias);
}

/* PCMU alone: one telephone-event, 8000. */
static void
test_offer_pcmu (void)
{
  GPtrArray *medias = medias_new (PCMU_CAPS, NULL);
  GstSDPMessage *offer = offer_for (medias);

  assert_dtmf (offer, 0, TRUE, "126/8000");
  gst_sdp_message_free (offer);
  g_ptr_array_unref (medias);
}

/* Two audio sections (Opus, PCMU) in one bundle: the same format gets the
 * same payload type in both, and none collides with a codec's (RFC 8843
 * section 9.1.2). */
static void
test_offer_bundle_payload_types (void)
{
  GPtrArray *medias = medias_new (OPUS_CAPS, PCMU_CAPS,
      "application/x-rtp,media=video,encoding-name=VP8,payload=126,"
      "clock-rate=90000,rtx-payload=125", NULL);
  GstSDPMessage *offer = offer_for (medias);

  assert_dtmf (offer, 0, TRUE, "124/8000 123/48000");
  assert_dtmf (offer, 1, TRUE, "124/8000");
  assert_dtmf (offer, 2, TRUE, "");
  gst_sdp_message_free (offer);
  g_ptr_array_unref (medias);
}

/* A media that already has telephone-event (an answerer's codecs come
 * from the offer it answered) keeps that payload type in its own offers,
 * and gets no second one at that rate. */
static void
test_offer_keeps_remote_payload_type (void)
{
  GPtrArray *medias = medias_new (OPUS_CAPS
      ";application/x-rtp,media=audio,encoding-name=TELEPHONE-EVENT,"
      "payload=110,clock-rate=48000", NULL);
  GstSDPMessage *offer = offer_for (medias);

  /* 110 came without fmtp; ours has it */
  assert_dtmf (offer, 0, FALSE, "110/48000 126/8000");
  gst_sdp_message_free (offer);
  g_ptr_array_unref (medias);
}

/* Chromium's offer: telephone-event at 48000 and 8000 are answered with
 * Chromium's payload types beside Opus. */
static void
test_answer_chromium (void)
{
  gchar *text, *path;
  GstSDPMessage *offer, *answer;
  GPtrArray *medias = medias_new (OPUS_CAPS, VP8_CAPS, NULL);

  g_assert_nonnull (g_getenv ("RTC_TEST_DATA_DIR"));
  path = g_build_filename (g_getenv ("RTC_TEST_DATA_DIR"), "sdp",
      "chromium-av-offer.sdp", NULL);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  offer = parse (text);
  answer = answer_for (offer, medias);
  assert_dtmf (answer, 0, FALSE, "110/48000 126/8000");
  assert_dtmf (answer, 1, FALSE, "");
  gst_sdp_message_free (answer);
  gst_sdp_message_free (offer);
  g_ptr_array_unref (medias);
  g_free (text);
  g_free (path);
}

/* Our offer answered by our answerer (which has Opus only, no DTMF of its
 * own): both telephone-events come back with our payload types. */
static void
test_answer_ours (void)
{
  GPtrArray *offerer = medias_new (OPUS_CAPS, NULL);
  GPtrArray *answerer = medias_new ("application/x-rtp,media=audio,"
      "encoding-name=OPUS,payload=100,clock-rate=48000", NULL);
  GstSDPMessage *offer = offer_for (offerer);
  GstSDPMessage *answer = answer_for (offer, answerer);

  assert_dtmf (answer, 0, TRUE, "126/8000 125/48000");
  gst_sdp_message_free (answer);
  gst_sdp_message_free (offer);
  g_ptr_array_unref (offerer);
  g_ptr_array_unref (answerer);
}

#define HEAD "v=0\r\no=- 99 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n" \
  "a=group:BUNDLE a\r\n"
#define TRANSPORT "c=IN IP4 0.0.0.0\r\n" \
  "a=ice-ufrag:Zq7n\r\na=ice-pwd:Hf3kP9sWc2LmQx8VrT6yBd0J\r\n" \
  "a=fingerprint:" FINGERPRINT "\r\na=setup:actpass\r\na=mid:a\r\n" \
  "a=sendrecv\r\na=rtcp-mux\r\n"

/* No telephone-event offered: none answered. One at a rate no accepted
 * codec uses (16000 beside Opus) is left out; 8000 is always taken. */
static void
test_answer_rates (void)
{
  GPtrArray *medias = medias_new (OPUS_CAPS, NULL);
  GstSDPMessage *offer, *answer;

  offer = parse (HEAD "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n" TRANSPORT
      "a=rtpmap:111 opus/48000/2\r\n");
  answer = answer_for (offer, medias);
  assert_dtmf (answer, 0, TRUE, "");
  gst_sdp_message_free (answer);
  gst_sdp_message_free (offer);
  g_ptr_array_unref (medias);

  medias = medias_new (OPUS_CAPS, NULL);
  offer = parse (HEAD "m=audio 9 UDP/TLS/RTP/SAVPF 111 101 102\r\n"
      TRANSPORT "a=rtpmap:111 opus/48000/2\r\n"
      "a=rtpmap:101 telephone-event/16000\r\n"
      "a=rtpmap:102 telephone-event/8000/1\r\na=fmtp:102 0-15\r\n");
  answer = answer_for (offer, medias);
  assert_dtmf (answer, 0, TRUE, "102/8000");
  gst_sdp_message_free (answer);
  gst_sdp_message_free (offer);
  g_ptr_array_unref (medias);
}

/* telephone-event alone is no common codec: the section is rejected. */
static void
test_answer_dtmf_alone_rejected (void)
{
  GPtrArray *medias = medias_new (OPUS_CAPS, NULL);
  GstSDPMessage *offer, *answer;

  offer = parse (HEAD "m=audio 9 UDP/TLS/RTP/SAVPF 0 101\r\n" TRANSPORT
      "a=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n");
  answer = answer_for (offer, medias);
  g_assert_cmpuint (gst_sdp_media_get_port (gst_sdp_message_get_media
          (answer, 0)), ==, 0);
  gst_sdp_message_free (answer);
  gst_sdp_message_free (offer);
  g_ptr_array_unref (medias);
}

int
main (int argc, char **argv)
{
  gst_init (NULL, NULL);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/jsep/dtmf/offer-opus", test_offer_opus);
  g_test_add_func ("/jsep/dtmf/offer-pcmu", test_offer_pcmu);
  g_test_add_func ("/jsep/dtmf/offer-bundle-payload-types",
      test_offer_bundle_payload_types);
  g_test_add_func ("/jsep/dtmf/offer-keeps-remote-payload-type",
      test_offer_keeps_remote_payload_type);
  g_test_add_func ("/jsep/dtmf/answer-chromium", test_answer_chromium);
  g_test_add_func ("/jsep/dtmf/answer-ours", test_answer_ours);
  g_test_add_func ("/jsep/dtmf/answer-rates", test_answer_rates);
  g_test_add_func ("/jsep/dtmf/answer-dtmf-alone-rejected",
      test_answer_dtmf_alone_rejected);
  return g_test_run ();
}
