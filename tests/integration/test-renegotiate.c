/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Renegotiation that adds media to a connected call: one peer links a new
 * VP8 source to a new sink pad while the pipeline plays, which must ask for
 * negotiation; it offers one more m-line, the other answers, gets a new
 * src pad (and on-add-stream for a new stream) and decodes it, and the
 * first tracks never stop. Either side adds: the first offerer, or the
 * first answerer, which then offers for the first time. With max-bundle
 * the new m-line joins the BUNDLE transport; with bundle-policy none it
 * gets an ICE/DTLS transport of its own. The same scenarios run against
 * webrtcbin in both roles. */

#include <string.h>
#include <gst/rtp/rtp.h>
#include "call-fixture.h"

#define FRAMES 30
#define AUDIO 50
#define TIMEOUT 30

#define MAX_BUNDLE GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE
#define NO_BUNDLE GST_WEBRTC_BUNDLE_POLICY_NONE

static gboolean
is_rtcpeerbin (Call * call, guint i)
{
  return !strcmp (call->peer[i].factory, "rtcpeerbin");
}

static void
assert_connected (Call * call, guint i)
{
  GstElement *pc = call->peer[i].pc;

  fail_unless (call_wait_property (call, pc, "signaling-state",
          GST_WEBRTC_SIGNALING_STATE_STABLE, TIMEOUT),
      "peer %u (%s) is not back in stable", i, call->peer[i].factory);
  fail_unless (call_wait_property (call, pc, "connection-state",
          GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTED, TIMEOUT),
      "peer %u (%s) is not connected", i, call->peer[i].factory);
}

/* Whether the answer in @answer makes its writer the DTLS client of the
 * transport of m-line @mline (its offerer always says actpass). */
static gboolean
answerer_is_client (GstWebRTCSessionDescription * answer, guint mline)
{
  const GstSDPMedia *m = gst_sdp_message_get_media (answer->sdp, mline);
  const gchar *setup = gst_sdp_media_get_attribute_val (m, "setup");

  fail_unless (setup != NULL, "answer m-line %u has no a=setup", mline);
  fail_unless (strcmp (setup, "actpass") != 0,
      "answer m-line %u says actpass", mline);
  return !strcmp (setup, "active");
}

static const gchar *
mid_of (GstWebRTCSessionDescription * desc, guint mline)
{
  return gst_sdp_media_get_attribute_val (gst_sdp_message_get_media
      (desc->sdp, mline), "mid");
}

static gboolean
bundle_has (GstWebRTCSessionDescription * desc, const gchar * mid)
{
  const gchar *group = gst_sdp_message_get_attribute_val (desc->sdp, "group");
  gchar **mids;
  gboolean found;

  if (!group || !g_str_has_prefix (group, "BUNDLE "))
    return FALSE;
  mids = g_strsplit (group + strlen ("BUNDLE "), " ", -1);
  found = g_strv_contains ((const gchar * const *) mids, mid);
  g_strfreev (mids);
  return found;
}

/* The stream id of the a=msid of @mline, or NULL. */
static gchar *
msid_stream_of (GstWebRTCSessionDescription * desc, guint mline)
{
  const gchar *v = gst_sdp_media_get_attribute_val (gst_sdp_message_get_media
      (desc->sdp, mline), "msid");
  gchar **f;
  gchar *stream;

  if (!v)
    return NULL;
  f = g_strsplit (v, " ", 2);
  stream = g_strdup (f[0]);
  g_strfreev (f);
  return stream;
}

typedef struct
{
  guint n;
  gint frames[2][8];
  guint n_tracks[2];
} Snapshot;

static void
snapshot_tracks (Call * call, Snapshot * snap)
{
  guint i, k;

  for (i = 0; i < 2; i++) {
    snap->n_tracks[i] = MIN (call_n_tracks (call, i), 8);
    for (k = 0; k < snap->n_tracks[i]; k++) {
      CallTrack t;

      call_get_track (call, i, k, &t);
      snap->frames[i][k] = t.frames;
      call_track_clear (&t);
    }
  }
}

/* Every track of the snapshot decodes FRAMES more: media went on through
 * the renegotiation. */
static void
assert_tracks_continue (Call * call, const Snapshot * snap)
{
  guint i, k;

  for (i = 0; i < 2; i++) {
    for (k = 0; k < snap->n_tracks[i]; k++)
      fail_unless (call_wait_track_frames (call, i, k,
              snap->frames[i][k] + FRAMES, TIMEOUT),
          "peer %u (%s) track %u stopped after the renegotiation at %d "
          "(%s)", i, call->peer[i].factory, k, snap->frames[i][k],
          call->error ? call->error : "timeout");
  }
}

/* Peer @adder links a new video source (stream @msid, or none) and
 * negotiates for it; the other peer must get a new track on m-line
 * @mline and decode it. Returns the index of that track. */
static guint
add_video_track (Call * call, guint adder, const gchar * msid, guint mline)
{
  guint other = 1 - adder;
  guint n_other = call_n_tracks (call, other);
  guint n_adder = call_n_tracks (call, adder);
  gint asked = g_atomic_int_get (&call->peer[adder].negotiation_needed);
  gint added = g_atomic_int_get (&call->peer[other].streams_added);
  GstWebRTCSessionDescription *prev_answer = NULL;
  guint prev_answerer;
  Snapshot snap;
  CallTrack track;
  GstPad *pad;

  g_mutex_lock (&call->lock);
  prev_answer = gst_webrtc_session_description_copy (call->last_answer);
  prev_answerer = 1 - call->last_offerer;
  g_mutex_unlock (&call->lock);
  snapshot_tracks (call, &snap);

  pad = call_add_sender (call, adder, TRUE, msid);
  fail_unless (call_wait_negotiation_needed (call, adder, asked, TIMEOUT),
      "%s: a new sink pad on a connected call must ask for negotiation",
      call->peer[adder].factory);
  fail_unless (call_wait_caps (call, pad, TIMEOUT), "no caps on %s",
      GST_PAD_NAME (pad));
  gst_object_unref (pad);
  fail_unless (call_negotiate (call, adder), "renegotiation from %s "
      "failed: %s", call->peer[adder].factory, call->error);

  /* The offer has one more m-line, the answer accepts it. */
  g_mutex_lock (&call->lock);
  fail_unless_equals_int (gst_sdp_message_medias_len (call->last_offer->sdp),
      mline + 1);
  fail_unless (gst_sdp_media_get_port (gst_sdp_message_get_media
          (call->last_answer->sdp, mline)) != 0, "the new m-line was rejected");
  if (call->bundle_policy == MAX_BUNDLE) {
    fail_unless (bundle_has (call->last_offer, mid_of (call->last_offer,
                mline)), "the offer does not bundle the new m-line");
    fail_unless (bundle_has (call->last_answer, mid_of (call->last_answer,
                mline)), "the answer does not bundle the new m-line");
  }
  /* Each peer keeps its DTLS role on the transport that exists (RFC 8842
   * section 5.5), whoever offers now. */
  if (is_rtcpeerbin (call, other)) {
    gboolean was_client = answerer_is_client (prev_answer, 0);
    gboolean client = answerer_is_client (call->last_answer, 0);

    if (prev_answerer != other)
      was_client = !was_client;
    fail_unless (client == was_client, "the answerer (%s) changed its DTLS "
        "role", call->peer[other].factory);
    if (call->bundle_policy == MAX_BUNDLE)
      fail_unless (answerer_is_client (call->last_answer, mline) == client,
          "a bundled m-line must take its transport's DTLS role");
  }
  g_mutex_unlock (&call->lock);
  gst_webrtc_session_description_free (prev_answer);

  fail_unless (call_wait_tracks (call, other, n_other + 1, FRAMES, TIMEOUT),
      "%s did not decode the track %s added: %s", call->peer[other].factory,
      call->peer[adder].factory, call->error ? call->error : "timeout");
  call_get_track (call, other, n_other, &track);
  fail_unless (track.video, "the new track is not video");
  fail_unless_equals_int (track.mline, mline);
  if (msid)
    fail_unless_equals_string (track.msid, msid);
  if (is_rtcpeerbin (call, other)) {
    gboolean known = FALSE;
    guint k;

    /* on-add-stream once per stream: not again for a stream that already
     * has a track. */
    for (k = 0; k < n_other; k++) {
      CallTrack old;

      call_get_track (call, other, k, &old);
      known |= old.msid && !g_strcmp0 (old.msid, track.msid);
      call_track_clear (&old);
    }
    fail_unless_equals_int (g_atomic_int_get
        (&call->peer[other].streams_added), added + (known ? 0 : 1));
  }
  call_track_clear (&track);
  /* The other side's new transceiver only receives. */
  fail_unless_equals_int (call_n_tracks (call, adder), n_adder);

  assert_tracks_continue (call, &snap);
  assert_connected (call, 0);
  assert_connected (call, 1);
  return n_other;
}

static void
run_add_track (const gchar * f0, const gchar * f1,
    GstWebRTCBundlePolicy bundle, gboolean audio, guint adder)
{
  Call *call = call_new (f0, f1, FALSE);
  guint n = audio ? 2 : 1;

  call->bundle_policy = bundle;
  call->send_audio = audio;
  call_start (call);
  fail_unless (call_wait_media (call, FRAMES, audio ? AUDIO : 0, TIMEOUT),
      "%s -> %s: the first call did not work (%s)", f0, f1,
      call->error ? call->error : "timeout");
  fail_unless (call_wait_tracks (call, 0, n, FRAMES, TIMEOUT));
  fail_unless (call_wait_tracks (call, 1, n, FRAMES, TIMEOUT));
  assert_connected (call, 0);
  assert_connected (call, 1);

  /* A stream of its own: the receiver announces it with on-add-stream. */
  add_video_track (call, adder, "added-video", n);
  call_free (call);
}

/* (a) the first offerer adds a second video track */
GST_START_TEST (test_offerer_adds_video_bundle)
{
  run_add_track ("rtcpeerbin", "rtcpeerbin", MAX_BUNDLE, TRUE, 0);
}

GST_END_TEST;

/* (b) the first answerer adds one and offers for the first time */
GST_START_TEST (test_answerer_adds_video_bundle)
{
  run_add_track ("rtcpeerbin", "rtcpeerbin", MAX_BUNDLE, TRUE, 1);
}

GST_END_TEST;

/* Without BUNDLE the new m-line brings an ICE/DTLS transport of its own
 * into a connected call. */
GST_START_TEST (test_offerer_adds_video_no_bundle)
{
  run_add_track ("rtcpeerbin", "rtcpeerbin", NO_BUNDLE, FALSE, 0);
}

GST_END_TEST;

GST_START_TEST (test_answerer_adds_video_no_bundle)
{
  run_add_track ("rtcpeerbin", "rtcpeerbin", NO_BUNDLE, TRUE, 1);
}

GST_END_TEST;

/* A browser's second camera often goes in the stream of the first: the
 * new m-line's msid names a stream that already has tracks. It gets a src
 * pad of its own, and on-add-stream does not fire again. A track in a new
 * stream after it does fire it. Two renegotiations in a row. */
GST_START_TEST (test_add_track_same_stream)
{
  Call *call = call_new ("rtcpeerbin", "rtcpeerbin", FALSE);
  guint idx;
  CallTrack t;

  call->bundle_policy = MAX_BUNDLE;
  call->stream_id = "camera-and-mic";
  call_start (call);
  fail_unless (call_wait_media (call, FRAMES, AUDIO, TIMEOUT), "%s",
      call->error);
  fail_unless (call_wait_tracks (call, 1, 2, FRAMES, TIMEOUT));
  /* Video and audio of one stream: one on-add-stream, two pads. */
  fail_unless_equals_int (g_atomic_int_get (&call->peer[1].streams_added), 1);
  call_get_track (call, 1, 0, &t);
  fail_unless_equals_string (t.msid, "camera-and-mic");
  call_track_clear (&t);

  idx = add_video_track (call, 0, "camera-and-mic", 2);
  fail_unless_equals_int (g_atomic_int_get (&call->peer[1].streams_added), 1);
  g_mutex_lock (&call->lock);
  {
    gchar *stream = msid_stream_of (call->last_offer, 2);

    fail_unless_equals_string (stream, "camera-and-mic");
    g_free (stream);
  }
  g_mutex_unlock (&call->lock);

  /* Then one in a stream of its own. */
  idx = add_video_track (call, 0, "screen", 3);
  fail_unless_equals_int (g_atomic_int_get (&call->peer[1].streams_added), 2);
  call_get_track (call, 1, idx, &t);
  fail_unless_equals_string (t.msid, "screen");
  call_track_clear (&t);
  fail_unless_equals_int (g_atomic_int_get (&call->peer[1].streams_removed), 0);
  call_free (call);
}

GST_END_TEST;

/* setStreams(): a sink pad's msid names the stream its track is sent in;
 * changing it on a negotiated track asks for negotiation and the next
 * offer carries it. Bad values are refused and change nothing. */
GST_START_TEST (test_sink_msid)
{
  Call *call = call_new ("rtcpeerbin", "rtcpeerbin", FALSE);
  GstPad *sink, *src;
  gchar *msid = NULL, *stream;
  gint asked;

  call->bundle_policy = MAX_BUNDLE;
  call->send_audio = FALSE;
  call_start (call);
  fail_unless (call_wait_media (call, FRAMES, 0, TIMEOUT), "%s", call->error);

  sink = gst_element_get_static_pad (call->peer[0].pc, "sink_0");
  fail_unless (sink != NULL);
  asked = g_atomic_int_get (&call->peer[0].negotiation_needed);
  g_object_set (sink, "msid", "moved", NULL);
  fail_unless (call_wait_negotiation_needed (call, 0, asked, TIMEOUT),
      "a new stream for a sending track must ask for negotiation");
  fail_unless (call_negotiate (call, 0), "%s", call->error);
  g_mutex_lock (&call->lock);
  stream = msid_stream_of (call->last_offer, 0);
  g_mutex_unlock (&call->lock);
  fail_unless_equals_string (stream, "moved");
  g_free (stream);

  /* Not a token (RFC 8830): refused, the value stays. */
  g_object_set (sink, "msid", "two words", NULL);
  g_object_set (sink, "msid", "", NULL);
  g_object_get (sink, "msid", &msid, NULL);
  fail_unless_equals_string (msid, "moved");
  g_free (msid);
  gst_object_unref (sink);

  /* A src pad's msid is the remote's. */
  src = gst_element_get_static_pad (call->peer[1].pc, "src_0");
  fail_unless (src != NULL);
  g_object_get (src, "msid", &msid, NULL);
  g_object_set (src, "msid", "mine", NULL);
  g_object_get (src, "msid", &stream, NULL);
  fail_unless_equals_string (stream, msid);
  g_free (stream);
  g_free (msid);
  gst_object_unref (src);

  assert_connected (call, 0);
  assert_connected (call, 1);
  call_free (call);
}

GST_END_TEST;

/* The offer of test_track_known_by_mid_only loses the SSRC lines of the
 * new m-line, as a browser's offer for a simulcast or unsignalled track
 * has none. */
#define MID_ONLY_MLINE 2

static void
strip_ssrcs (GstWebRTCSessionDescription * offer)
{
  GstSDPMedia *m;
  guint i;

  if (gst_sdp_message_medias_len (offer->sdp) <= MID_ONLY_MLINE)
    return;
  m = (GstSDPMedia *) gst_sdp_message_get_media (offer->sdp, MID_ONLY_MLINE);
  for (i = gst_sdp_media_attributes_len (m); i > 0; i--) {
    const GstSDPAttribute *a = gst_sdp_media_get_attribute (m, i - 1);

    if (!g_strcmp0 (a->key, "ssrc") || !g_strcmp0 (a->key, "ssrc-group"))
      gst_sdp_media_remove_attribute (m, i - 1);
  }
}

/* RFC 8843 section 9.2: a BUNDLE receiver that does not know an SSRC and
 * sees a payload type two m-lines share has only the MID header extension
 * to go by, which browsers write. The new track's description names no
 * SSRC and its payloader writes the mid: the receiver must still give it
 * a src pad of its own m-line, and the first video must not take it. */
GST_START_TEST (test_track_known_by_mid_only)
{
  Call *call = call_new ("rtcpeerbin", "rtcpeerbin", FALSE);
  GstElement *bin, *pay;
  GstRTPHeaderExtension *ext;
  GError *error = NULL;
  GstPad *pad;
  gint asked;
  CallTrack t;
  Snapshot snap;

  call->bundle_policy = MAX_BUNDLE;
  call_start (call);
  fail_unless (call_wait_media (call, FRAMES, AUDIO, TIMEOUT), "%s",
      call->error);
  fail_unless (call_wait_tracks (call, 1, 2, FRAMES, TIMEOUT));
  snapshot_tracks (call, &snap);

  bin = gst_parse_bin_from_description ("videotestsrc is-live=true "
      "pattern=smpte ! video/x-raw,width=320,height=240,framerate=30/1 ! "
      "vp8enc deadline=1 cpu-used=8 ! rtpvp8pay name=midpay pt=96 mtu=1200 "
      "! queue", TRUE, &error);
  fail_unless (bin != NULL, "%s", error ? error->message : "");
  pay = gst_bin_get_by_name (GST_BIN (bin), "midpay");
  ext = gst_rtp_header_extension_create_from_uri
      ("urn:ietf:params:rtp-hdrext:sdes:mid");
  fail_unless (ext != NULL, "no rtphdrextmid (gst-plugins-good 1.22)");
  /* The offers' id for the MID extension, and the mid the third m-line
   * gets (mids count up from "0"). */
  gst_rtp_header_extension_set_id (ext, 4);
  g_object_set (ext, "mid", "2", NULL);
  g_signal_emit_by_name (pay, "add-extension", ext);
  gst_object_unref (ext);
  gst_object_unref (pay);

  asked = g_atomic_int_get (&call->peer[0].negotiation_needed);
  pad = call_add_sender_bin (call, 0, bin, "by-mid");
  fail_unless (call_wait_negotiation_needed (call, 0, asked, TIMEOUT));
  fail_unless (call_wait_caps (call, pad, TIMEOUT));
  gst_object_unref (pad);
  call->edit_offer = strip_ssrcs;
  fail_unless (call_negotiate (call, 0), "%s", call->error);
  g_mutex_lock (&call->lock);
  fail_unless_equals_string (mid_of (call->last_offer, MID_ONLY_MLINE), "2");
  fail_unless (gst_sdp_media_get_attribute_val (gst_sdp_message_get_media
          (call->last_offer->sdp, MID_ONLY_MLINE), "ssrc") == NULL);
  g_mutex_unlock (&call->lock);

  fail_unless (call_wait_tracks (call, 1, 3, FRAMES, TIMEOUT),
      "a track known by its MID extension only was not received: %s",
      call->error ? call->error : "timeout");
  call_get_track (call, 1, 2, &t);
  fail_unless_equals_int (t.mline, MID_ONLY_MLINE);
  fail_unless_equals_string (t.msid, "by-mid");
  call_track_clear (&t);
  /* No other pad took it. */
  fail_unless_equals_int (call_n_tracks (call, 1), 3);
  assert_tracks_continue (call, &snap);
  call_free (call);
}

GST_END_TEST;

/* ---- with webrtcbin ---- */

GST_START_TEST (test_webrtcbin_receives_added_track)
{
  /* rtcpeerbin offered first and offers again */
  run_add_track ("rtcpeerbin", "webrtcbin", MAX_BUNDLE, TRUE, 0);
  /* rtcpeerbin answered first and offers now */
  run_add_track ("webrtcbin", "rtcpeerbin", MAX_BUNDLE, TRUE, 1);
}

GST_END_TEST;

GST_START_TEST (test_webrtcbin_adds_track)
{
  /* webrtcbin answered first and offers now */
  run_add_track ("rtcpeerbin", "webrtcbin", MAX_BUNDLE, TRUE, 1);
  /* webrtcbin offered first and offers again */
  run_add_track ("webrtcbin", "rtcpeerbin", MAX_BUNDLE, TRUE, 0);
}

GST_END_TEST;

GST_START_TEST (test_webrtcbin_no_bundle)
{
  run_add_track ("rtcpeerbin", "webrtcbin", NO_BUNDLE, TRUE, 0);
  run_add_track ("rtcpeerbin", "webrtcbin", NO_BUNDLE, TRUE, 1);
  run_add_track ("webrtcbin", "rtcpeerbin", NO_BUNDLE, TRUE, 0);
  run_add_track ("webrtcbin", "rtcpeerbin", NO_BUNDLE, TRUE, 1);
}

GST_END_TEST;

static Suite *
renegotiate_suite (void)
{
  Suite *s = suite_create ("renegotiate");
  TCase *tc = tcase_create ("renegotiate");

  tcase_set_timeout (tc, 300);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_offerer_adds_video_bundle);
  tcase_add_test (tc, test_answerer_adds_video_bundle);
  tcase_add_test (tc, test_offerer_adds_video_no_bundle);
  tcase_add_test (tc, test_answerer_adds_video_no_bundle);
  tcase_add_test (tc, test_add_track_same_stream);
  tcase_add_test (tc, test_sink_msid);
  tcase_add_test (tc, test_track_known_by_mid_only);
  tcase_add_test (tc, test_webrtcbin_receives_added_track);
  tcase_add_test (tc, test_webrtcbin_adds_track);
  tcase_add_test (tc, test_webrtcbin_no_bundle);
  return s;
}

GST_CHECK_MAIN (renegotiate);
