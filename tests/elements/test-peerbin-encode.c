/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Sink pads that take encoded media: the offer describes the codec the
 * bin's payloader will send (rtpmap, fmtp, ssrc), the payloader sends the
 * payload type the remote chose, and an RTP sink pad whose payloader
 * picked another payload type has it rewritten. */

#include <gst/check/gstharness.h>
#include <gst/rtp/rtp.h>
#include <string.h>

#include "peer-util.h"

const gchar *factory = "rtcpeerbin";

static gboolean
media_has_attribute (const GstSDPMedia * m, const gchar * key,
    const gchar * needle)
{
  guint i;

  for (i = 0; i < gst_sdp_media_attributes_len (m); i++) {
    const GstSDPAttribute *a = gst_sdp_media_get_attribute (m, i);

    if (g_strcmp0 (a->key, key) == 0 && a->value
        && g_ascii_strncasecmp (a->value, needle, strlen (needle)) == 0)
      return TRUE;
  }
  return FALSE;
}

static gboolean
media_fmtp_contains (const GstSDPMedia * m, guint pt, const gchar * needle)
{
  gchar *prefix = g_strdup_printf ("%u ", pt);
  gboolean found = FALSE;
  guint i;

  for (i = 0; i < gst_sdp_media_attributes_len (m) && !found; i++) {
    const GstSDPAttribute *a = gst_sdp_media_get_attribute (m, i);

    found = g_strcmp0 (a->key, "fmtp") == 0 && a->value
        && g_str_has_prefix (a->value, prefix) && strstr (a->value, needle);
  }
  g_free (prefix);
  return found;
}

static void
send_caps (GstPad * pad, const gchar * caps_str)
{
  GstCaps *caps = gst_caps_from_string (caps_str);
  GstSegment segment;

  fail_unless (caps != NULL, "bad caps %s", caps_str);
  gst_pad_send_event (pad, gst_event_new_stream_start ("s"));
  gst_pad_send_event (pad, gst_event_new_caps (caps));
  gst_segment_init (&segment, GST_FORMAT_TIME);
  gst_pad_send_event (pad, gst_event_new_segment (&segment));
  gst_caps_unref (caps);
}

static const struct
{
  const gchar *caps;
  const gchar *media;
  const gchar *rtpmap;
  guint pt;
  const gchar *fmtp[2];
} encoded[] = {
  {"video/x-vp8, width=320, height=240", "video", "96 VP8/90000", 96},
  {"video/x-vp9, profile=(string)0", "video", "98 VP9/90000", 98,
      {"profile-id=0"}},
  {"video/x-h264, stream-format=(string)byte-stream, alignment=(string)au, "
        "profile=(string)constrained-baseline, level=(string)3.1", "video",
      "102 H264/90000", 102, {"packetization-mode=1",
          "profile-level-id=42e01f"}},
  /* the avcC record (ISO 14496-15) names profile 0x64, level 4.0 */
  {"video/x-h264, stream-format=(string)avc, alignment=(string)au, "
        "profile=(string)main, level=(string)3, "
        "codec_data=(buffer)01640028ffe1000967640028acd940780227e5c0",
        "video", "102 H264/90000", 102, {"packetization-mode=1",
          "profile-level-id=640028"}},
  {"audio/x-opus, channel-mapping-family=(int)0, channels=(int)2, "
        "rate=(int)48000", "audio", "111 OPUS/48000/2", 111,
      {"sprop-stereo=1"}},
  {"audio/x-mulaw, rate=(int)8000, channels=(int)1", "audio", "0 PCMU/8000",
      0},
  {"audio/x-alaw, rate=(int)8000, channels=(int)1", "audio", "8 PCMA/8000",
      8},
};

/* The offer of a bin whose sink pad got encoded caps describes what its
 * payloader will send. */
GST_START_TEST (test_encoded_caps_offer)
{
  guint i, j;

  for (i = 0; i < G_N_ELEMENTS (encoded); i++) {
    GstElement *a = new_peer ();
    GstPad *pad = gst_element_request_pad_simple (a, "sink_%u");
    GstWebRTCSessionDescription *offer;
    const GstSDPMedia *m;

    send_caps (pad, encoded[i].caps);
    offer = create (a, "create-offer");
    fail_unless_equals_int (gst_sdp_message_medias_len (offer->sdp), 1);
    m = gst_sdp_message_get_media (offer->sdp, 0);
    fail_unless_equals_string (gst_sdp_media_get_media (m), encoded[i].media);
    fail_unless_equals_int (atoi (gst_sdp_media_get_format (m, 0)),
        encoded[i].pt);
    fail_unless (media_has_attribute (m, "rtpmap", encoded[i].rtpmap),
        "%s: no a=rtpmap:%s", encoded[i].caps, encoded[i].rtpmap);
    for (j = 0; j < G_N_ELEMENTS (encoded[i].fmtp) && encoded[i].fmtp[j]; j++)
      fail_unless (media_fmtp_contains (m, encoded[i].pt, encoded[i].fmtp[j]),
          "%s: a=fmtp:%u has no %s", encoded[i].caps, encoded[i].pt,
          encoded[i].fmtp[j]);
    /* the SSRC the payloader will use is announced */
    fail_unless (media_has_attribute (m, "ssrc", ""), "%s: no a=ssrc",
        encoded[i].caps);
    gst_webrtc_session_description_free (offer);
    gst_element_release_request_pad (a, pad);
    gst_object_unref (pad);
    free_peer (a);
  }
}

GST_END_TEST;

/* Caps of no codec the bin payloads are refused. */
GST_START_TEST (test_unknown_encoded_caps)
{
  GstElement *a = new_peer ();
  GstPad *pad = gst_element_request_pad_simple (a, "sink_%u");
  GstCaps *caps = gst_caps_from_string ("video/x-theora");

  fail_unless (!gst_pad_query_accept_caps (pad, caps));
  gst_caps_unref (caps);
  gst_element_release_request_pad (a, pad);
  gst_object_unref (pad);
  free_peer (a);
}

GST_END_TEST;

/* A remote offer with VP8 at payload type @pt, from another rtcpeerbin. */
static GstWebRTCSessionDescription *
remote_vp8_offer (guint pt)
{
  GstElement *b = new_peer ();
  GstWebRTCRTPTransceiver *trans = NULL;
  GstWebRTCSessionDescription *offer;
  gchar *str = g_strdup_printf ("application/x-rtp,media=video,"
      "encoding-name=VP8,payload=%u,clock-rate=90000", pt);
  GstCaps *caps = gst_caps_from_string (str);

  g_signal_emit_by_name (b, "add-transceiver",
      GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, caps, &trans);
  fail_unless (trans != NULL);
  gst_object_unref (trans);
  offer = create (b, "create-offer");
  gst_caps_unref (caps);
  g_free (str);
  free_peer (b);
  return offer;
}

/* A bin that gathers on loopback only. */
static GstElement *
loopback_peer (void)
{
  GstElement *a = gst_element_factory_make ("rtcpeerbin", NULL);

  fail_unless (a != NULL);
  g_object_set (a, "ice-addresses", "127.0.0.1", NULL);
  return a;
}

/* @a answers @offer. */
static void
answer_offer (GstElement * a, GstWebRTCSessionDescription * offer)
{
  GstWebRTCSessionDescription *answer;
  GError *error;

  error = set_description (a, "set-remote-description", offer);
  fail_unless (error == NULL, "%s", error ? error->message : "");
  answer = create (a, "create-answer");
  error = set_description (a, "set-local-description", answer);
  fail_unless (error == NULL, "%s", error ? error->message : "");
  gst_webrtc_session_description_free (answer);
}

/* The element behind sink pad @pad, once it has one (the pad links to
 * its transport when both descriptions are applied; bounded wait). */
static GstPad *
wait_target (GstPad * pad)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;
  GstPad *target;

  while (!(target = gst_ghost_pad_get_target (GST_GHOST_PAD (pad)))
      && g_get_monotonic_time () < deadline)
    g_usleep (1000);
  fail_unless (target != NULL, "%s never linked", GST_PAD_NAME (pad));
  return target;
}

static GstPadProbeReturn
record_pt (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  gint *pt = user_data;

  if (gst_rtp_buffer_map (GST_PAD_PROBE_INFO_BUFFER (info), GST_MAP_READ,
          &rtp)) {
    g_atomic_int_set (pt, gst_rtp_buffer_get_payload_type (&rtp));
    gst_rtp_buffer_unmap (&rtp);
  }
  return GST_PAD_PROBE_OK;
}

/* An RTP sink pad whose payloader uses payload type 100 answers an offer
 * that gives VP8 type 120: its packets leave with 120. */
GST_START_TEST (test_rtp_payload_type_rewrite)
{
  GstWebRTCSessionDescription *offer = remote_vp8_offer (120);
  GstElement *a = loopback_peer ();
  GstHarness *h = gst_harness_new_with_element (a, "sink_%u", NULL);
  GstPad *pad = gst_element_get_static_pad (a, "sink_0"), *target;
  GstBuffer *buf;
  gint seen = -1;

  gst_harness_set_src_caps_str (h, "application/x-rtp,media=video,"
      "encoding-name=VP8,payload=100,clock-rate=90000,ssrc=(uint)1234");
  answer_offer (a, offer);
  target = wait_target (pad);
  gst_pad_add_probe (target, GST_PAD_PROBE_TYPE_BUFFER, record_pt, &seen,
      NULL);

  buf = gst_rtp_buffer_new_allocate (8, 0, 0);
  {
    GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;

    gst_rtp_buffer_map (buf, GST_MAP_WRITE, &rtp);
    gst_rtp_buffer_set_payload_type (&rtp, 100);
    gst_rtp_buffer_set_ssrc (&rtp, 1234);
    gst_rtp_buffer_unmap (&rtp);
  }
  gst_harness_push (h, buf);
  fail_unless_equals_int (g_atomic_int_get (&seen), 120);

  gst_object_unref (target);
  gst_object_unref (pad);
  gst_webrtc_session_description_free (offer);
  gst_harness_teardown (h);
  gst_object_unref (a);
}

GST_END_TEST;

/* An encoded sink pad answering that offer: its payloader sends type
 * 120 with the SSRC the answer announces. */
GST_START_TEST (test_encoded_answer_payload_type)
{
  GstWebRTCSessionDescription *offer = remote_vp8_offer (120);
  GstElement *a = loopback_peer ();
  GstHarness *h = gst_harness_new_with_element (a, "sink_%u", NULL);
  GstPad *pad = gst_element_get_static_pad (a, "sink_0"), *target;
  GstWebRTCSessionDescription *answer;
  GstElement *pay;
  guint pt = 0, ssrc = 0;
  gchar *ssrc_attr;

  gst_harness_set_src_caps_str (h, "video/x-vp8, width=(int)320, "
      "height=(int)240, framerate=(fraction)30/1");
  answer_offer (a, offer);
  target = wait_target (pad);
  pay = gst_pad_get_parent_element (target);
  fail_unless (pay != NULL);
  fail_unless_equals_string (GST_OBJECT_NAME (gst_element_get_factory
          (pay)), "rtpvp8pay");
  g_object_get (pay, "pt", &pt, "ssrc", &ssrc, NULL);
  fail_unless_equals_int (pt, 120);
  g_object_get (a, "current-local-description", &answer, NULL);
  ssrc_attr = g_strdup_printf ("%u ", ssrc);
  fail_unless (media_has_attribute (gst_sdp_message_get_media (answer->sdp,
              0), "ssrc", ssrc_attr), "the answer does not announce ssrc %u",
      ssrc);
  g_free (ssrc_attr);
  gst_webrtc_session_description_free (answer);

  gst_object_unref (pay);
  gst_object_unref (target);
  gst_object_unref (pad);
  gst_webrtc_session_description_free (offer);
  gst_harness_teardown (h);
  gst_object_unref (a);
}

GST_END_TEST;

static Suite *
encode_suite (void)
{
  Suite *s = suite_create ("peerbin-encode");
  TCase *tc = tcase_create ("encode");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_encoded_caps_offer);
  tcase_add_test (tc, test_unknown_encoded_caps);
  tcase_add_test (tc, test_rtp_payload_type_rewrite);
  tcase_add_test (tc, test_encoded_answer_payload_type);
  return s;
}

GST_CHECK_MAIN (encode);
