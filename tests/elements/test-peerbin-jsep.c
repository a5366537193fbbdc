/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* rtcpeerbin's JSEP behaviour beyond the shared contract: the error
 * messages a user acts on, rollback and pranswer, close, and remote
 * candidates that arrive before their description. */

#include <string.h>
#include "peer-util.h"

const gchar *factory = "rtcpeerbin";

static GstElement *
peer_with_video (void)
{
  GstElement *pc = new_peer ();
  GstCaps *vp8 = gst_caps_from_string (VP8_CAPS);
  GObject *t;

  g_signal_emit_by_name (pc, "add-transceiver",
      GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, vp8, &t);
  fail_unless (t != NULL);
  g_object_unref (t);
  gst_caps_unref (vp8);
  return pc;
}

static void
assert_error_mentions (GError * error, const gchar * what)
{
  fail_unless (error != NULL, "expected an error mentioning '%s'", what);
  fail_unless (strstr (error->message, what) != NULL,
      "error '%s' does not mention '%s'", error->message, what);
  g_error_free (error);
}

static GstWebRTCSessionDescription *
without_attribute (GstWebRTCSessionDescription * desc, const gchar * key)
{
  GstWebRTCSessionDescription *copy = gst_webrtc_session_description_copy
      (desc);
  guint i, j;

  for (i = 0; i < gst_sdp_message_medias_len (copy->sdp); i++) {
    GstSDPMedia *m = (GstSDPMedia *) gst_sdp_message_get_media (copy->sdp, i);

    for (j = gst_sdp_media_attributes_len (m); j > 0; j--)
      if (!g_strcmp0 (gst_sdp_media_get_attribute (m, j - 1)->key, key))
        gst_sdp_media_remove_attribute (m, j - 1);
  }
  for (j = gst_sdp_message_attributes_len (copy->sdp); j > 0; j--)
    if (!g_strcmp0 (gst_sdp_message_get_attribute (copy->sdp, j - 1)->key, key))
      gst_sdp_message_remove_attribute (copy->sdp, j - 1);
  return copy;
}

GST_START_TEST (test_invalid_remote_offer)
{
  GstElement *a = peer_with_video (), *b = new_peer ();
  GstWebRTCSessionDescription *offer, *bad;

  offer = create (a, "create-offer");

  bad = without_attribute (offer, "fingerprint");
  assert_error_mentions (set_description (b, "set-remote-description", bad),
      "fingerprint");
  gst_webrtc_session_description_free (bad);

  bad = without_attribute (offer, "ice-ufrag");
  assert_error_mentions (set_description (b, "set-remote-description", bad),
      "ice-ufrag");
  gst_webrtc_session_description_free (bad);

  /* Nothing changed, and a valid offer still goes through. */
  fail_unless_equals_int (signaling_state (b),
      GST_WEBRTC_SIGNALING_STATE_STABLE);
  fail_unless (set_description (b, "set-remote-description", offer) == NULL);
  fail_unless_equals_int (signaling_state (b),
      GST_WEBRTC_SIGNALING_STATE_HAVE_REMOTE_OFFER);

  gst_webrtc_session_description_free (offer);
  free_peer (a);
  free_peer (b);
}

GST_END_TEST;

GST_START_TEST (test_wrong_state_messages)
{
  GstElement *a = peer_with_video ();
  GstWebRTCSessionDescription *offer, *answer;
  GstPromise *p = gst_promise_new ();
  GstStructure *reply;

  g_signal_emit_by_name (a, "create-answer", NULL, p);
  reply = await (p);
  assert_error_mentions (reply_error (reply), "stable");
  gst_structure_free (reply);

  offer = create (a, "create-offer");
  answer = gst_webrtc_session_description_copy (offer);
  answer->type = GST_WEBRTC_SDP_TYPE_ANSWER;
  assert_error_mentions (set_description (a, "set-local-description",
          answer), "stable");
  gst_webrtc_session_description_free (answer);
  gst_webrtc_session_description_free (offer);
  free_peer (a);
}

GST_END_TEST;

GST_START_TEST (test_rollback)
{
  GstElement *a = peer_with_video ();
  GstWebRTCSessionDescription *offer, *rollback, *pending = NULL;

  offer = create (a, "create-offer");
  fail_unless (set_description (a, "set-local-description", offer) == NULL);
  fail_unless_equals_int (signaling_state (a),
      GST_WEBRTC_SIGNALING_STATE_HAVE_LOCAL_OFFER);

  rollback = gst_webrtc_session_description_new (GST_WEBRTC_SDP_TYPE_ROLLBACK,
      NULL);
  gst_sdp_message_new (&rollback->sdp);
  fail_unless (set_description (a, "set-local-description", rollback) ==
      NULL);
  fail_unless_equals_int (signaling_state (a),
      GST_WEBRTC_SIGNALING_STATE_STABLE);
  g_object_get (a, "pending-local-description", &pending, NULL);
  fail_unless (pending == NULL);

  /* Rolling back in stable is an error. */
  assert_error_mentions (set_description (a, "set-local-description",
          rollback), "stable");

  gst_webrtc_session_description_free (rollback);
  gst_webrtc_session_description_free (offer);
  free_peer (a);
}

GST_END_TEST;

GST_START_TEST (test_pranswer_then_answer)
{
  GstElement *a = peer_with_video (), *b = new_peer ();
  GstWebRTCSessionDescription *offer, *answer, *pranswer;

  offer = create (a, "create-offer");
  fail_unless (set_description (a, "set-local-description", offer) == NULL);
  fail_unless (set_description (b, "set-remote-description", offer) == NULL);
  answer = create (b, "create-answer");
  pranswer = gst_webrtc_session_description_copy (answer);
  pranswer->type = GST_WEBRTC_SDP_TYPE_PRANSWER;

  fail_unless (set_description (b, "set-local-description", pranswer) ==
      NULL);
  fail_unless_equals_int (signaling_state (b),
      GST_WEBRTC_SIGNALING_STATE_HAVE_LOCAL_PRANSWER);
  fail_unless (set_description (a, "set-remote-description", pranswer) ==
      NULL);
  fail_unless_equals_int (signaling_state (a),
      GST_WEBRTC_SIGNALING_STATE_HAVE_REMOTE_PRANSWER);

  fail_unless (set_description (b, "set-local-description", answer) == NULL);
  fail_unless (set_description (a, "set-remote-description", answer) == NULL);
  fail_unless_equals_int (signaling_state (a),
      GST_WEBRTC_SIGNALING_STATE_STABLE);
  fail_unless_equals_int (signaling_state (b),
      GST_WEBRTC_SIGNALING_STATE_STABLE);

  gst_webrtc_session_description_free (offer);
  gst_webrtc_session_description_free (answer);
  gst_webrtc_session_description_free (pranswer);
  free_peer (a);
  free_peer (b);
}

GST_END_TEST;

GST_START_TEST (test_answer_mline_count)
{
  GstElement *a = peer_with_video (), *b = new_peer ();
  GstWebRTCSessionDescription *offer, *answer;
  GstCaps *opus = gst_caps_from_string (OPUS_CAPS);
  GObject *t;

  offer = create (a, "create-offer");
  fail_unless (set_description (a, "set-local-description", offer) == NULL);

  /* b answers an offer of its own making with two m-lines */
  g_signal_emit_by_name (b, "add-transceiver",
      GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, opus, &t);
  g_object_unref (t);
  g_signal_emit_by_name (b, "add-transceiver",
      GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, opus, &t);
  g_object_unref (t);
  answer = create (b, "create-offer");
  answer->type = GST_WEBRTC_SDP_TYPE_ANSWER;
  {
    /* an answer may not say actpass */
    guint i;

    for (i = 0; i < gst_sdp_message_medias_len (answer->sdp); i++) {
      GstSDPMedia *m = (GstSDPMedia *) gst_sdp_message_get_media (answer->sdp,
          i);
      guint j;

      for (j = 0; j < gst_sdp_media_attributes_len (m); j++) {
        const GstSDPAttribute *attr = gst_sdp_media_get_attribute (m, j);

        if (!g_strcmp0 (attr->key, "setup")) {
          GstSDPAttribute repl;

          gst_sdp_attribute_set (&repl, "setup", "active");
          gst_sdp_media_replace_attribute (m, j, &repl);
        }
      }
    }
  }
  assert_error_mentions (set_description (a, "set-remote-description",
          answer), "m-line");
  fail_unless_equals_int (signaling_state (a),
      GST_WEBRTC_SIGNALING_STATE_HAVE_LOCAL_OFFER);

  gst_caps_unref (opus);
  gst_webrtc_session_description_free (offer);
  gst_webrtc_session_description_free (answer);
  free_peer (a);
  free_peer (b);
}

GST_END_TEST;

GST_START_TEST (test_close)
{
  GstElement *a = peer_with_video ();
  GstWebRTCPeerConnectionState pcs;
  GstWebRTCICEConnectionState ics;
  GstPromise *p;
  GstStructure *reply;

  g_signal_emit_by_name (a, "close");
  fail_unless_equals_int (signaling_state (a),
      GST_WEBRTC_SIGNALING_STATE_CLOSED);
  g_object_get (a, "connection-state", &pcs, "ice-connection-state", &ics,
      NULL);
  fail_unless_equals_int (pcs, GST_WEBRTC_PEER_CONNECTION_STATE_CLOSED);
  fail_unless_equals_int (ics, GST_WEBRTC_ICE_CONNECTION_STATE_CLOSED);

  p = gst_promise_new ();
  g_signal_emit_by_name (a, "create-offer", NULL, p);
  reply = await (p);
  assert_error_mentions (reply_error (reply), "closed");
  gst_structure_free (reply);
  /* closing twice is harmless */
  g_signal_emit_by_name (a, "close");
  free_peer (a);
}

GST_END_TEST;

static gboolean
sdp_has_candidate (const GstSDPMessage * sdp, guint mline, const gchar * what)
{
  const GstSDPMedia *m = gst_sdp_message_get_media (sdp, mline);
  guint i;

  for (i = 0; i < gst_sdp_media_attributes_len (m); i++) {
    const GstSDPAttribute *a = gst_sdp_media_get_attribute (m, i);

    if (!g_strcmp0 (a->key, what) || (!g_strcmp0 (a->key, "candidate")
            && strstr (a->value, what)))
      return TRUE;
  }
  return FALSE;
}

GST_START_TEST (test_early_candidates)
{
  GstElement *a = peer_with_video (), *b = new_peer ();
  GstElement *pipeline = gst_pipeline_new (NULL);
  GstWebRTCSessionDescription *offer, *remote = NULL;
  GstBus *bus;
  GstMessage *msg;

  gst_bin_add (GST_BIN (pipeline), gst_object_ref (b));
  bus = gst_element_get_bus (pipeline);
  offer = create (a, "create-offer");

  /* Before the description: kept, not lost. */
  g_signal_emit_by_name (b, "add-ice-candidate", 0,
      "candidate:1 1 UDP 2122252543 127.0.0.1 40000 typ host");
  fail_unless (set_description (b, "set-remote-description", offer) == NULL);
  g_object_get (b, "pending-remote-description", &remote, NULL);
  fail_unless (remote != NULL);
  fail_unless (sdp_has_candidate (remote->sdp, 0, "127.0.0.1 40000"));
  gst_webrtc_session_description_free (remote);

  /* After: a malformed one is reported on the bus, a good one and the
   * end-of-candidates mark are added. */
  g_signal_emit_by_name (b, "add-ice-candidate", 0, "candidate:garbage");
  g_signal_emit_by_name (b, "add-ice-candidate", 7,
      "candidate:2 1 UDP 2122252543 127.0.0.1 40002 typ host");
  g_signal_emit_by_name (b, "add-ice-candidate", 0,
      "candidate:3 1 UDP 2122252543 127.0.0.1 40001 typ host");
  g_signal_emit_by_name (b, "add-ice-candidate", 0, "");

  msg = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND, GST_MESSAGE_WARNING);
  fail_unless (msg != NULL, "no warning for a malformed candidate");
  {
    GError *err = NULL;

    gst_message_parse_warning (msg, &err, NULL);
    assert_error_mentions (err, "Invalid ICE candidate");
  }
  gst_message_unref (msg);
  msg = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND, GST_MESSAGE_WARNING);
  fail_unless (msg != NULL, "no warning for a candidate of a missing m-line");
  {
    GError *err = NULL;

    gst_message_parse_warning (msg, &err, NULL);
    assert_error_mentions (err, "m-line 7 does not exist");
  }
  gst_message_unref (msg);

  /* Operations run in order: once an operation queued after the last
   * candidate has answered, every candidate has been handled. */
  {
    GstPromise *p = gst_promise_new ();
    GstStructure *reply;

    g_signal_emit_by_name (b, "create-answer", NULL, p);
    reply = await (p);
    gst_clear_structure (&reply);
  }
  g_object_get (b, "pending-remote-description", &remote, NULL);
  fail_unless (sdp_has_candidate (remote->sdp, 0, "127.0.0.1 40001"));
  fail_unless (sdp_has_candidate (remote->sdp, 0, "end-of-candidates"));
  gst_webrtc_session_description_free (remote);

  gst_object_unref (bus);
  gst_webrtc_session_description_free (offer);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
  free_peer (a);
  free_peer (b);
}

GST_END_TEST;

static guint
count_attribute (const GstSDPMessage * sdp, guint mline, const gchar * key)
{
  const GstSDPMedia *m = gst_sdp_message_get_media (sdp, mline);
  guint i, n = 0;

  for (i = 0; i < gst_sdp_media_attributes_len (m); i++)
    n += !g_strcmp0 (gst_sdp_media_get_attribute (m, i)->key, key);
  return n;
}

/* RTC_JSEP_MAX_CANDIDATES (core/jsep/rtcjsep-validate.h) */
#define MAX_CANDIDATES 256

/* The remote description keeps what is trickled into it: a peer that
 * never stops cannot grow it past the limit a description has anyway. */
GST_START_TEST (test_trickled_candidates_bounded)
{
  GstElement *a = peer_with_video (), *b = new_peer ();
  GstElement *pipeline = gst_pipeline_new (NULL);
  GstWebRTCSessionDescription *offer, *remote = NULL;
  GstBus *bus;
  GstMessage *msg;
  GError *err = NULL;
  guint i;

  gst_bin_add (GST_BIN (pipeline), gst_object_ref (b));
  bus = gst_element_get_bus (pipeline);
  offer = create (a, "create-offer");
  fail_unless (set_description (b, "set-remote-description", offer) == NULL);
  fail_unless_equals_int (count_attribute (offer->sdp, 0, "candidate"), 0);

  for (i = 0; i < MAX_CANDIDATES + 3; i++) {
    gchar *c = g_strdup_printf ("candidate:%u 1 UDP 2122252543 127.0.0.1 %u "
        "typ host", i, 40000 + i);

    g_signal_emit_by_name (b, "add-ice-candidate", 0, c);
    g_free (c);
  }
  for (i = 0; i < 3; i++)
    g_signal_emit_by_name (b, "add-ice-candidate", 0, "");
  /* Operations run in order: this one answers after every candidate. */
  {
    GstPromise *p = gst_promise_new ();
    GstStructure *reply;

    g_signal_emit_by_name (b, "create-answer", NULL, p);
    reply = await (p);
    gst_clear_structure (&reply);
  }

  msg = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND, GST_MESSAGE_WARNING);
  fail_unless (msg != NULL, "no warning for a candidate past the limit");
  gst_message_parse_warning (msg, &err, NULL);
  assert_error_mentions (err, "m-line 0 already has 256 candidates");
  gst_message_unref (msg);

  g_object_get (b, "pending-remote-description", &remote, NULL);
  fail_unless_equals_int (count_attribute (remote->sdp, 0, "candidate"),
      MAX_CANDIDATES);
  fail_unless_equals_int (count_attribute (remote->sdp, 0,
          "end-of-candidates"), 1);
  gst_webrtc_session_description_free (remote);

  gst_object_unref (bus);
  gst_webrtc_session_description_free (offer);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
  free_peer (a);
  free_peer (b);
}

GST_END_TEST;

GST_START_TEST (test_request_pad_transceiver)
{
  GstElement *a = new_peer ();
  GstPad *pad;
  GArray *transceivers;
  GstWebRTCSessionDescription *offer;
  GstCaps *caps = gst_caps_from_string (VP8_CAPS);
  GstSegment segment;

  pad = gst_element_request_pad_simple (a, "sink_%u");
  fail_unless (pad != NULL);
  fail_unless_equals_string (GST_PAD_NAME (pad), "sink_0");
  g_signal_emit_by_name (a, "get-transceivers", &transceivers);
  fail_unless_equals_int (transceivers->len, 1);
  g_array_unref (transceivers);

  /* The caps that reach the pad give the transceiver its codec. */
  gst_pad_send_event (pad, gst_event_new_stream_start ("s"));
  fail_unless (gst_pad_send_event (pad, gst_event_new_caps (caps)));
  gst_segment_init (&segment, GST_FORMAT_TIME);
  gst_pad_send_event (pad, gst_event_new_segment (&segment));
  offer = create (a, "create-offer");
  fail_unless_equals_int (gst_sdp_message_medias_len (offer->sdp), 1);
  fail_unless_equals_string (gst_sdp_media_get_media
      (gst_sdp_message_get_media (offer->sdp, 0)), "video");

  gst_webrtc_session_description_free (offer);
  gst_caps_unref (caps);
  gst_element_release_request_pad (a, pad);
  gst_object_unref (pad);
  free_peer (a);
}

GST_END_TEST;

/* A sink pad linked to a source whose caps are not there yet, in a
 * running bin. */
static GstPad *
linked_sink_without_caps (GstElement * pc, GstPad ** src)
{
  GstPad *sink = gst_element_request_pad_simple (pc, "sink_%u");

  *src = gst_pad_new ("src", GST_PAD_SRC);
  fail_unless (gst_pad_link (*src, sink) == GST_PAD_LINK_OK);
  gst_pad_set_active (*src, TRUE);
  fail_unless (gst_element_set_state (pc, GST_STATE_PAUSED) !=
      GST_STATE_CHANGE_FAILURE);
  return sink;
}

static void
release_linked_sink (GstElement * pc, GstPad * sink, GstPad * src)
{
  gst_pad_set_active (src, FALSE);
  gst_pad_unlink (src, sink);
  gst_object_unref (src);
  gst_element_release_request_pad (pc, sink);
  gst_object_unref (sink);
}

/* A linked sink pad whose caps never come: create-offer waits for them
 * (bounded), then leaves the track out and answers. The wait itself is
 * exercised by tests/interop, whose answers link sources just before
 * set-remote-description; in-process, caps always win the race. */
GST_START_TEST (test_offer_without_sink_caps)
{
  GstElement *a = new_peer ();
  GstPad *src, *sink = linked_sink_without_caps (a, &src);
  GstWebRTCSessionDescription *offer = create (a, "create-offer");

  fail_unless_equals_int (gst_sdp_message_medias_len (offer->sdp), 0);
  gst_webrtc_session_description_free (offer);
  release_linked_sink (a, sink, src);
  free_peer (a);
}

GST_END_TEST;

static void
on_negotiation_needed (GstElement * pc, gint * count)
{
  g_atomic_int_inc (count);
}

GST_START_TEST (test_first_data_channel_negotiates)
{
  GstElement *a = new_peer ();
  GObject *channel = NULL;
  GstWebRTCSessionDescription *offer;
  const GstSDPMedia *m;
  gint needed = 0;
  GstPromise *p;
  GstStructure *reply;

  g_signal_connect (a, "on-negotiation-needed",
      G_CALLBACK (on_negotiation_needed), &needed);
  g_signal_emit_by_name (a, "create-data-channel", "chat", NULL, &channel);
  fail_unless (channel != NULL);
  /* The check runs as an operation: one queued after it has answered
   * means it has run. */
  p = gst_promise_new ();
  g_signal_emit_by_name (a, "get-stats", NULL, p);
  reply = await (p);
  gst_clear_structure (&reply);
  fail_unless_equals_int (g_atomic_int_get (&needed), 1);

  offer = create (a, "create-offer");
  fail_unless_equals_int (gst_sdp_message_medias_len (offer->sdp), 1);
  m = gst_sdp_message_get_media (offer->sdp, 0);
  fail_unless_equals_string (gst_sdp_media_get_media (m), "application");
  fail_unless_equals_string (gst_sdp_media_get_proto (m),
      "UDP/DTLS/SCTP");
  fail_unless_equals_string (gst_sdp_media_get_attribute_val (m,
          "sctp-port"), "5000");
  fail_unless_equals_string (gst_sdp_media_get_attribute_val (m,
          "max-message-size"), "262144");

  /* A second channel needs no new section. */
  {
    GObject *second = NULL;

    g_signal_emit_by_name (a, "create-data-channel", "more", NULL, &second);
    fail_unless (second != NULL);
    g_object_unref (second);
  }
  g_object_unref (channel);
  gst_webrtc_session_description_free (offer);
  free_peer (a);
}

GST_END_TEST;

GST_START_TEST (test_data_channel_bad_options)
{
  GstElement *pipeline = gst_pipeline_new (NULL);
  GstElement *a = new_peer ();
  GObject *channel = NULL;
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg;
  GError *err = NULL;

  GstStructure *opts = gst_structure_new ("o", "max-retransmits", G_TYPE_INT,
      1, "max-packet-lifetime", G_TYPE_INT, 100, NULL);

  gst_bin_add (GST_BIN (pipeline), gst_object_ref (a));
  g_signal_emit_by_name (a, "create-data-channel", "bad", opts, &channel);
  gst_structure_free (opts);
  fail_unless (channel == NULL);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING);
  fail_unless (msg != NULL, "no warning for contradictory options");
  gst_message_parse_warning (msg, &err, NULL);
  assert_error_mentions (err, "max-retransmits");
  gst_message_unref (msg);
  gst_object_unref (bus);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
  free_peer (a);
}

GST_END_TEST;

static Suite *
peerbin_jsep_suite (void)
{
  Suite *s = suite_create ("rtcpeerbin-jsep");
  TCase *tc = tcase_create ("jsep");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_invalid_remote_offer);
  tcase_add_test (tc, test_wrong_state_messages);
  tcase_add_test (tc, test_rollback);
  tcase_add_test (tc, test_pranswer_then_answer);
  tcase_add_test (tc, test_answer_mline_count);
  tcase_add_test (tc, test_close);
  tcase_add_test (tc, test_early_candidates);
  tcase_add_test (tc, test_trickled_candidates_bounded);
  tcase_add_test (tc, test_request_pad_transceiver);
  tcase_add_test (tc, test_offer_without_sink_caps);
  tcase_add_test (tc, test_first_data_channel_negotiates);
  tcase_add_test (tc, test_data_channel_bad_options);
  return s;
}

GST_CHECK_MAIN (peerbin_jsep);
