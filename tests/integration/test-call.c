/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* A real call: two peers in one pipeline over ICE on loopback, DTLS,
 * SRTP and rtpbin, VP8 and Opus both ways, decoded at both ends. The same
 * scenario runs rtcpeerbin against rtcpeerbin and against webrtcbin in
 * both roles. */

#include <string.h>
#include "call-fixture.h"

#define FRAMES 30
#define AUDIO 50
#define TIMEOUT 30

static void
assert_connected (Call * call, guint i)
{
  GstElement *pc = call->peer[i].pc;

  fail_unless (call_wait_property (call, pc, "connection-state",
          GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTED, TIMEOUT),
      "peer %u (%s) never reached connection-state connected", i,
      call->peer[i].factory);
  fail_unless (call_wait_property (call, pc, "signaling-state",
          GST_WEBRTC_SIGNALING_STATE_STABLE, TIMEOUT));
  {
    GstWebRTCICEConnectionState ice;

    g_object_get (pc, "ice-connection-state", &ice, NULL);
    fail_unless (ice == GST_WEBRTC_ICE_CONNECTION_STATE_CONNECTED ||
        ice == GST_WEBRTC_ICE_CONNECTION_STATE_COMPLETED,
        "peer %u ice-connection-state %d", i, ice);
  }
}

static void
run_call_full (const gchar * f0, const gchar * f1,
    GstWebRTCBundlePolicy bundle)
{
  Call *call = call_new (f0, f1, FALSE);

  call->bundle_policy = bundle;
  call_start (call);
  fail_unless (call_wait_media (call, FRAMES, AUDIO, TIMEOUT),
      "%s -> %s: media did not flow both ways (%s): video %d/%d audio %d/%d",
      f0, f1, call->error ? call->error : "timeout",
      call->peer[0].video_frames, call->peer[1].video_frames,
      call->peer[0].audio_buffers, call->peer[1].audio_buffers);
  assert_connected (call, 0);
  assert_connected (call, 1);
  if (!strcmp (f0, "rtcpeerbin"))
    fail_unless (g_atomic_int_get (&call->peer[0].streams_added) >= 1);
  if (!strcmp (f1, "rtcpeerbin"))
    fail_unless (g_atomic_int_get (&call->peer[1].streams_added) >= 1);
  call_free (call);
}

static void
run_call (const gchar * f0, const gchar * f1)
{
  run_call_full (f0, f1, GST_WEBRTC_BUNDLE_POLICY_NONE);
}

GST_START_TEST (test_rtcpeerbin_to_rtcpeerbin)
{
  run_call ("rtcpeerbin", "rtcpeerbin");
}

GST_END_TEST;

GST_START_TEST (test_rtcpeerbin_offers_webrtcbin_answers)
{
  run_call ("rtcpeerbin", "webrtcbin");
}

GST_END_TEST;

GST_START_TEST (test_webrtcbin_offers_rtcpeerbin_answers)
{
  run_call ("webrtcbin", "rtcpeerbin");
}

GST_END_TEST;

static void
count_end_of_candidates (GstElement * pc, guint mline, const gchar * cand,
    gint * count)
{
  if (!cand || !*cand)
    g_atomic_int_inc (count);
}

/* Each side announces its own end of candidates (an empty candidate and
 * a=end-of-candidates), so two bins finish their checks and reach
 * ice-connection-state completed with no help from the application. */
GST_START_TEST (test_end_of_candidates_reaches_completed)
{
  Call *call = call_new ("rtcpeerbin", "rtcpeerbin", FALSE);
  gint ends[2] = { 0, 0 };
  guint i;

  call->bundle_policy = GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE;
  for (i = 0; i < 2; i++)
    g_signal_connect (call->peer[i].pc, "on-ice-candidate",
        G_CALLBACK (count_end_of_candidates), &ends[i]);
  call_start (call);
  fail_unless (call_wait_media (call, FRAMES, AUDIO, TIMEOUT),
      "media did not flow: %s", call->error ? call->error : "timeout");
  for (i = 0; i < 2; i++) {
    GstWebRTCSessionDescription *local = NULL;

    fail_unless (call_wait_property (call, call->peer[i].pc,
            "ice-connection-state", GST_WEBRTC_ICE_CONNECTION_STATE_COMPLETED,
            TIMEOUT), "peer %u never reached ice-connection-state completed",
        i);
    fail_unless_equals_int (g_atomic_int_get (&ends[i]), 1);
    g_object_get (call->peer[i].pc, "current-local-description", &local,
        NULL);
    fail_unless (local != NULL);
    fail_unless (gst_sdp_media_get_attribute_val (gst_sdp_message_get_media
            (local->sdp, 0), "end-of-candidates") != NULL,
        "peer %u: no a=end-of-candidates in its local description", i);
    gst_webrtc_session_description_free (local);
  }
  call_free (call);
}

GST_END_TEST;

/* One transport for audio and video: BUNDLE (RFC 8843), demuxed by
 * payload type and SSRC inside one rtpbin session. */
GST_START_TEST (test_bundle_rtcpeerbin_to_rtcpeerbin)
{
  run_call_full ("rtcpeerbin", "rtcpeerbin",
      GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE);
}

GST_END_TEST;

GST_START_TEST (test_bundle_with_webrtcbin)
{
  run_call_full ("rtcpeerbin", "webrtcbin",
      GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE);
  run_call_full ("webrtcbin", "rtcpeerbin",
      GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE);
}

GST_END_TEST;

/* Samples of the RTP payloads peer 0 was given to send. */
typedef struct
{
  GMutex lock;
  GPtrArray *samples;           /* GBytes, 16 bytes each */
} Samples;

static gboolean
sample_buffer (GstBuffer ** buf, guint idx, gpointer user_data)
{
  Samples *s = user_data;
  GstMapInfo map;

  if (gst_buffer_map (*buf, &map, GST_MAP_READ)) {
    g_mutex_lock (&s->lock);
    /* Past the RTP and VP8 payload headers: the compressed frame. */
    if (map.size > 60 && s->samples->len < 200)
      g_ptr_array_add (s->samples, g_bytes_new (map.data + 40, 16));
    g_mutex_unlock (&s->lock);
    gst_buffer_unmap (*buf, &map);
  }
  return TRUE;
}

static GstPadProbeReturn
sample_payload (GstPad * pad, GstPadProbeInfo * info, Samples * s)
{
  if (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST) {
    gst_buffer_list_foreach (GST_PAD_PROBE_INFO_BUFFER_LIST (info),
        sample_buffer, s);
  } else {
    GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);

    sample_buffer (&buf, 0, s);
  }
  return GST_PAD_PROBE_OK;
}

static gchar *
sdp_fingerprint (GstWebRTCSessionDescription * desc)
{
  const GstSDPMedia *m = gst_sdp_message_get_media (desc->sdp, 0);
  const gchar *fp = gst_sdp_media_get_attribute_val (m, "fingerprint");

  if (!fp)
    fp = gst_sdp_message_get_attribute_val (desc->sdp, "fingerprint");
  return g_strdup (fp);
}

typedef struct
{
  GMutex lock;
  gint count;
  gchar *pem;
  gboolean notified;            /* notify::remote-certificate came first */
} Identity;

static void
on_peer_identity (GstElement * pc, const gchar * pem, Identity * id)
{
  g_mutex_lock (&id->lock);
  id->count++;
  g_free (id->pem);
  id->pem = g_strdup (pem);
  g_mutex_unlock (&id->lock);
}

static void
on_remote_certificate (GstElement * pc, GParamSpec * pspec, Identity * id)
{
  g_mutex_lock (&id->lock);
  if (id->count == 0)
    id->notified = TRUE;
  g_mutex_unlock (&id->lock);
}

GST_START_TEST (test_wire_is_encrypted)
{
  Call *call = call_new ("rtcpeerbin", "rtcpeerbin", TRUE);
  Samples s;
  GstPad *sink0;
  guint i, seen = 0;
  Identity ids[2];

  for (i = 0; i < 2; i++) {
    memset (&ids[i], 0, sizeof (Identity));
    g_mutex_init (&ids[i].lock);
    g_signal_connect (call->peer[i].pc, "on-peer-identity",
        G_CALLBACK (on_peer_identity), &ids[i]);
    g_signal_connect (call->peer[i].pc, "notify::remote-certificate",
        G_CALLBACK (on_remote_certificate), &ids[i]);
  }
  g_mutex_init (&s.lock);
  s.samples = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  call_start (call);
  sink0 = gst_element_get_static_pad (call->peer[0].pc, "sink_0");
  gst_pad_add_probe (sink0, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST, (GstPadProbeCallback) sample_payload,
      &s, NULL);
  gst_object_unref (sink0);

  fail_unless (call_wait_media (call, FRAMES, AUDIO, TIMEOUT),
      "media did not flow through the relay: %s", call->error);
  /* Enough on the wire to look for plaintext in: decoded frames are the
   * clock (a jitterbuffer that starts early may have decoded the first
   * ones before 50 kB passed). */
  for (i = 0; i < 20 && call_relay_bytes (call) <= 50000; i++)
    call_wait_media (call, g_atomic_int_get (&call->peer[0].video_frames) +
        FRAMES, 0, TIMEOUT);
  fail_unless (call_relay_bytes (call) > 50000, "the relay saw too little");

  g_mutex_lock (&s.lock);
  fail_unless (s.samples->len > 10);
  for (i = 0; i < s.samples->len; i++) {
    gsize len;
    const guint8 *needle = g_bytes_get_data (g_ptr_array_index (s.samples,
            i), &len);

    if (call_relay_saw (call, needle, len))
      seen++;
  }
  g_mutex_unlock (&s.lock);
  fail_unless_equals_int (seen, 0);

  /* DTLS verified each side's certificate against the other's SDP. */
  for (i = 0; i < 2; i++) {
    GstWebRTCSessionDescription *remote = NULL;
    gchar *pem = NULL, *expected, *actual;
    GstElement *pc = call->peer[i].pc;

    g_object_get (pc, "remote-description", &remote, "remote-certificate",
        &pem, NULL);
    fail_unless (remote && pem);
    expected = sdp_fingerprint (remote);
    actual = call_fingerprint_of_pem (pem);
    fail_unless (!g_ascii_strcasecmp (expected, actual),
        "peer %u: remote certificate %s, SDP says %s", i, actual, expected);
    /* and the application heard of it once (W3C peerIdentity), with
     * that certificate, the property notified before */
    g_mutex_lock (&ids[i].lock);
    fail_unless_equals_int (ids[i].count, 1);
    fail_unless_equals_string (ids[i].pem, pem);
    fail_unless (ids[i].notified);
    g_mutex_unlock (&ids[i].lock);
    g_signal_handlers_disconnect_by_data (pc, &ids[i]);
    g_free (ids[i].pem);
    g_mutex_clear (&ids[i].lock);
    g_free (expected);
    g_free (actual);
    g_free (pem);
    gst_webrtc_session_description_free (remote);
  }

  /* the pipeline first: its probe fills @s until it stops */
  call_free (call);
  g_ptr_array_unref (s.samples);
  g_mutex_clear (&s.lock);
}

GST_END_TEST;

static void
break_fingerprint (GstWebRTCSessionDescription * answer)
{
  guint i, j;

  for (i = 0; i < gst_sdp_message_medias_len (answer->sdp); i++) {
    GstSDPMedia *m = (GstSDPMedia *) gst_sdp_message_get_media (answer->sdp,
        i);

    for (j = 0; j < gst_sdp_media_attributes_len (m); j++) {
      const GstSDPAttribute *a = gst_sdp_media_get_attribute (m, j);

      if (!g_strcmp0 (a->key, "fingerprint")) {
        gchar *v = g_strdup (a->value);
        GstSDPAttribute repl;

        /* Flip the last hex digit: well-formed, but someone else's. */
        v[strlen (v) - 1] = v[strlen (v) - 1] == '0' ? '1' : '0';
        gst_sdp_attribute_set (&repl, "fingerprint", v);
        gst_sdp_media_replace_attribute (m, j, &repl);
        g_free (v);
      }
    }
  }
}

GST_START_TEST (test_wrong_fingerprint_fails)
{
  Call *call = call_new ("rtcpeerbin", "rtcpeerbin", FALSE);
  GstBus *bus = gst_element_get_bus (call->pipeline);
  GstMessage *msg;
  gboolean mentioned = FALSE;
  gint64 deadline;

  call->edit_answer = break_fingerprint;
  call_start (call);
  fail_unless (call_wait_property (call, call->peer[0].pc,
          "connection-state", GST_WEBRTC_PEER_CONNECTION_STATE_FAILED,
          TIMEOUT), "a wrong remote fingerprint must fail the connection");
  deadline = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;
  while (!mentioned && g_get_monotonic_time () < deadline &&
      (msg = gst_bus_timed_pop_filtered (bus, GST_SECOND,
              GST_MESSAGE_WARNING))) {
    GError *err = NULL;

    gst_message_parse_warning (msg, &err, NULL);
    mentioned = strstr (err->message, "ingerprint") != NULL;
    g_error_free (err);
    gst_message_unref (msg);
  }
  fail_unless (mentioned, "no warning naming the fingerprint mismatch");
  fail_unless_equals_int (call->peer[0].video_frames, 0);
  gst_object_unref (bus);
  call_free (call);

  /* The next call in the same process is unaffected. */
  run_call ("rtcpeerbin", "rtcpeerbin");
}

GST_END_TEST;

GST_START_TEST (test_garbage_to_ice_port)
{
  Call *call = call_new ("rtcpeerbin", "rtcpeerbin", TRUE);
  guint8 junk[1200];
  gint before;
  guint i;
  GRand *rand = g_rand_new_with_seed (7);

  call_start (call);
  fail_unless (call_wait_media (call, FRAMES, AUDIO, TIMEOUT));
  for (i = 0; i < 500; i++) {
    guint j, len = g_rand_int_range (rand, 1, sizeof (junk));

    for (j = 0; j < len; j++)
      junk[j] = g_rand_int (rand);
    /* Make some of them look like RTP, RTCP and DTLS records. */
    if (i % 4 == 1)
      junk[0] = 0x80;
    else if (i % 4 == 2)
      junk[0] = 22;
    else if (i % 4 == 3) {
      junk[0] = 0x80;
      junk[1] = 200;
    }
    call_relay_inject (call, 0, junk, len);
  }
  before = g_atomic_int_get (&call->peer[0].video_frames);
  fail_unless (call_wait_media (call, before + FRAMES, AUDIO, TIMEOUT),
      "media stopped after garbage");
  fail_unless (call_wait_property (call, call->peer[0].pc,
          "connection-state", GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTED, 1));
  g_rand_free (rand);
  call_free (call);
}

GST_END_TEST;

/* The video jitterbuffers of @pc's bin whose do-retransmission is
 * @nack. */
static guint
count_jitterbuffers (GstElement * pc, gboolean nack, guint * total)
{
  GstIterator *it = gst_bin_iterate_recurse (GST_BIN (pc));
  GValue v = G_VALUE_INIT;
  guint n = 0;

  *total = 0;
  while (gst_iterator_next (it, &v) == GST_ITERATOR_OK) {
    GstElement *e = g_value_get_object (&v);
    GstElementFactory *f = gst_element_get_factory (e);
    gboolean on;

    if (f && !g_strcmp0 (GST_OBJECT_NAME (f), "rtpjitterbuffer")) {
      g_object_get (e, "do-retransmission", &on, NULL);
      (*total)++;
      if (on == nack)
        n++;
    }
    g_value_reset (&v);
  }
  g_value_unset (&v);
  gst_iterator_free (it);
  return n;
}

static gboolean
wait_jitterbuffers (Call * call, guint i, gboolean nack, guint timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_TIME_SPAN_SECOND;
  guint total;

  while (count_jitterbuffers (call->peer[i].pc, nack, &total) == 0) {
    gint frames = g_atomic_int_get (&call->peer[i].video_frames);

    if (g_get_monotonic_time () > deadline)
      return FALSE;
    /* Decoded frames are this loop's clock: wait for the next ones. */
    call_wait_media (call, frames + 5, 0, 1);
  }
  return TRUE;
}

/* Asking for retransmission of every lost packet on a path that loses a
 * large share only adds work (a timer per packet) where there is least
 * room for it: the receiver stops asking while the loss lasts, and asks
 * again once the path is clean. */
GST_START_TEST (test_nack_off_under_heavy_loss)
{
  Call *call = call_new ("rtcpeerbin", "rtcpeerbin", TRUE);

  call->send_audio = FALSE;
  call->bundle_policy = GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE;
  call_start (call);
  fail_unless (call_wait_media (call, FRAMES, 0, TIMEOUT));
  fail_unless (wait_jitterbuffers (call, 0, TRUE, 1),
      "video must start with retransmission requests on");
  call_relay_set_loss (call, 40);
  fail_unless (wait_jitterbuffers (call, 0, FALSE, TIMEOUT),
      "retransmission requests still on at 40 %% loss");
  call_relay_set_loss (call, 0);
  fail_unless (wait_jitterbuffers (call, 0, TRUE, TIMEOUT),
      "retransmission requests did not come back on a clean path");
  call_free (call);
}

GST_END_TEST;

GST_START_TEST (test_vanished_peer)
{
  Call *call = call_new ("rtcpeerbin", "rtcpeerbin", TRUE);

  call_start (call);
  fail_unless (call_wait_media (call, FRAMES, AUDIO, TIMEOUT));
  call_relay_cut (call);
  fail_unless (call_wait_property (call, call->peer[0].pc,
          "connection-state", GST_WEBRTC_PEER_CONNECTION_STATE_FAILED, 60),
      "a peer gone for good must make the connection failed (consent "
      "freshness, RFC 7675)");
  fail_unless (g_atomic_int_get (&call->peer[0].ice_states_seen) &
      (1u << GST_WEBRTC_ICE_CONNECTION_STATE_DISCONNECTED),
      "ICE must go through disconnected before failed");
  call_free (call);
}

GST_END_TEST;

GST_START_TEST (test_close_during_call)
{
  Call *call = call_new ("rtcpeerbin", "rtcpeerbin", FALSE);
  GstElement *pc;
  GstWebRTCPeerConnectionState state;
  GstPromise *p;
  guint i;

  call_start (call);
  fail_unless (call_wait_media (call, FRAMES, AUDIO, TIMEOUT));
  pc = call->peer[0].pc;
  fail_unless (GST_ELEMENT (pc)->numsrcpads > 0);
  g_signal_emit_by_name (pc, "close");

  /* close() is synchronous: when it returns, everything is down. */
  g_object_get (pc, "connection-state", &state, NULL);
  fail_unless_equals_int (state, GST_WEBRTC_PEER_CONNECTION_STATE_CLOSED);
  fail_unless_equals_int (GST_ELEMENT (pc)->numsrcpads, 0);
  fail_unless_equals_int (g_atomic_int_get (&call->peer[0].streams_removed),
      g_atomic_int_get (&call->peer[0].streams_added));
  /* Each remote track ended downstream too (EOS), before its pad went:
   * a pipeline waiting for the end of its streams does not hang. */
  g_mutex_lock (&call->lock);
  for (i = 0; i < call->peer[0].tracks->len; i++) {
    CallTrack *t = g_ptr_array_index (call->peer[0].tracks, i);

    fail_unless (g_atomic_int_get (&t->eos), "track %s got no EOS at close",
        t->pad_name);
  }
  fail_unless (call->peer[0].tracks->len > 0);
  g_mutex_unlock (&call->lock);
  p = gst_promise_new ();
  g_signal_emit_by_name (pc, "create-offer", NULL, p);
  fail_unless_equals_int (gst_promise_wait (p), GST_PROMISE_RESULT_REPLIED);
  fail_unless (gst_structure_has_field (gst_promise_get_reply (p), "error"));
  gst_promise_unref (p);
  /* The element itself keeps working as a GStreamer element. */
  fail_unless (gst_element_set_state (call->pipeline, GST_STATE_NULL) ==
      GST_STATE_CHANGE_SUCCESS);
  call_free (call);
}

GST_END_TEST;

static guint
count_dir (const gchar * path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  if (!dir)
    return 0;
  while (g_dir_read_name (dir))
    n++;
  g_dir_close (dir);
  return n;
}

/* Threads, leaving out the pools that keep idle workers around for a
 * while on their own schedule: GLib's ("pool-*") and rtcpeerbin's shared
 * operations workers ("rtc-pc-ops"), counted apart in @ops_workers. */
static guint
count_threads_full (guint * ops_workers)
{
  GDir *dir = g_dir_open ("/proc/self/task", 0, NULL);
  const gchar *tid;
  guint n = 0, ops = 0;

  if (!dir)
    return 0;
  while ((tid = g_dir_read_name (dir))) {
    gchar *path = g_strdup_printf ("/proc/self/task/%s/comm", tid);
    gchar *comm = NULL;

    if (!g_file_get_contents (path, &comm, NULL, NULL))
      n++;
    else if (g_str_has_prefix (comm, "rtc-pc-ops"))
      ops++;
    else if (g_str_has_prefix (comm, "rtc-pc-watch"))
      ;                         /* one per process, started when needed */
    else if (!g_str_has_prefix (comm, "pool-"))
      n++;
    g_free (comm);
    g_free (path);
  }
  g_dir_close (dir);
  if (ops_workers)
    *ops_workers = ops;
  return n;
}

static guint
count_threads (void)
{
  return count_threads_full (NULL);
}

GST_START_TEST (test_twenty_cycles)
{
  guint i, threads = 0, fds = 0, ops = 0;

  for (i = 0; i < 20; i++) {
    Call *call = call_new ("rtcpeerbin", "rtcpeerbin", FALSE);

    call_start (call);
    fail_unless (call_wait_media (call, 5, 5, TIMEOUT), "cycle %u: %s", i,
        call->error);
    call_free (call);
    /* The first cycle creates what lives for the process (plugin
     * loading, GLib's worker thread, the default certificate). */
    if (i == 0) {
      threads = count_threads ();
      fds = count_dir ("/proc/self/fd");
    }
  }
  /* Threads that end a call finish on their own (a bin released off its
   * own worker, the SCTP clock when its last user went): no event says
   * when, so wait a bounded time for the count to come back. */
  for (i = 0; i < 500 && count_threads () > threads; i++)
    g_usleep (10 * G_TIME_SPAN_MILLISECOND);
  fail_unless (count_threads () <= threads,
      "threads grew from %u to %u", threads, count_threads ());
  /* the operations pool is bounded, whatever the cycles left idle */
  count_threads_full (&ops);
  fail_unless (ops <= 8, "%u operations workers after 20 calls", ops);
  fail_unless (count_dir ("/proc/self/fd") <= fds,
      "file descriptors grew from %u to %u", fds, count_dir ("/proc/self/fd"));
}

GST_END_TEST;

static Suite *
call_suite (void)
{
  Suite *s = suite_create ("call");
  TCase *tc = tcase_create ("call");

  tcase_set_timeout (tc, 300);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_rtcpeerbin_to_rtcpeerbin);
  tcase_add_test (tc, test_rtcpeerbin_offers_webrtcbin_answers);
  tcase_add_test (tc, test_webrtcbin_offers_rtcpeerbin_answers);
  tcase_add_test (tc, test_bundle_rtcpeerbin_to_rtcpeerbin);
  tcase_add_test (tc, test_end_of_candidates_reaches_completed);
  tcase_add_test (tc, test_bundle_with_webrtcbin);
  tcase_add_test (tc, test_wire_is_encrypted);
  tcase_add_test (tc, test_wrong_fingerprint_fails);
  tcase_add_test (tc, test_garbage_to_ice_port);
  tcase_add_test (tc, test_nack_off_under_heavy_loss);
  tcase_add_test (tc, test_vanished_peer);
  tcase_add_test (tc, test_close_during_call);
  tcase_add_test (tc, test_twenty_cycles);
  return s;
}

GST_CHECK_MAIN (call);
