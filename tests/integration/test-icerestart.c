/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* ICE restart on a connected call with audio and a data channel, through
 * a relay that sees every datagram: one side asks (restart-ice, or the
 * create-offer option "ice-restart"), both sides take new credentials
 * (the offer's and the answer's ufrag change), signal their candidates
 * again, go through gathering to complete and from completed through
 * connected (checked anew) to completed once more, and
 * audio and channel messages go on over the same DTLS association: the
 * relay sees no new DTLS handshake record. Either side restarts, and
 * webrtcbin takes part in both roles. A change of ice-transport-policy
 * on a live connection applies at the restart. */

#include <string.h>
#include "call-fixture.h"
#include "call-channel.h"

#define AUDIO 50
#define TIMEOUT 30

typedef struct
{
  gint candidates;              /* non-empty on-ice-candidate, atomic */
  guint gathering_seen;         /* bit per gathering state, atomic */
  guint connection_seen;        /* bit per connection state, atomic */
} Watch;

static gboolean
is_rtcpeerbin (Call * call, guint i)
{
  return !strcmp (call->peer[i].factory, "rtcpeerbin");
}

static void
on_candidate (GstElement * pc, guint mline, const gchar * cand, Watch * w)
{
  if (cand && *cand)
    g_atomic_int_inc (&w->candidates);
}

static void
on_gathering (GstElement * pc, GParamSpec * pspec, Watch * w)
{
  GstWebRTCICEGatheringState s;

  g_object_get (pc, "ice-gathering-state", &s, NULL);
  g_atomic_int_or (&w->gathering_seen, 1u << s);
}

static void
on_connection (GstElement * pc, GParamSpec * pspec, Watch * w)
{
  GstWebRTCPeerConnectionState s;

  g_object_get (pc, "connection-state", &s, NULL);
  g_atomic_int_or (&w->connection_seen, 1u << s);
}

static gchar *
ufrag_of (GstWebRTCSessionDescription * desc)
{
  const GstSDPMedia *m = gst_sdp_message_get_media (desc->sdp, 0);
  const gchar *u = gst_sdp_media_get_attribute_val (m, "ice-ufrag");

  if (!u)
    u = gst_sdp_message_get_attribute_val (desc->sdp, "ice-ufrag");
  fail_unless (u != NULL, "no a=ice-ufrag");
  return g_strdup (u);
}

static gboolean
ice_done (GstElement * pc)
{
  GstWebRTCICEConnectionState s;

  g_object_get (pc, "ice-connection-state", &s, NULL);
  return s == GST_WEBRTC_ICE_CONNECTION_STATE_CONNECTED
      || s == GST_WEBRTC_ICE_CONNECTION_STATE_COMPLETED;
}

/* A call with audio both ways and a channel, connected and exchanging. */
static Call *
start_call (const gchar * f0, const gchar * f1, CallChannel ** ch)
{
  Call *call = call_new (f0, f1, TRUE);

  call->send_video = FALSE;
  call->bundle_policy = GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE;
  *ch = call_channel_new (call);
  call_start (call);
  fail_unless (call->error == NULL, "%s", call->error);
  fail_unless (call_wait_media (call, 0, AUDIO, TIMEOUT), "no audio");
  fail_unless (call_channel_wait_open (*ch, TIMEOUT), "channel not open");
  fail_unless (call_channel_exchange (*ch, "before-0", "before-1", TIMEOUT));
  return call;
}

/* Restarts ICE from peer @restarter and checks everything the restart
 * must keep and change. @option: through create-offer's "ice-restart"
 * instead of restart-ice. */
static void
restart_and_check (Call * call, CallChannel * ch, guint restarter,
    gboolean option)
{
  Watch w[2] = { {0,}, {0,} };
  gchar *offer_ufrag, *answer_ufrag, *u;
  guint handshakes, i;
  gint audio[2];
  /* webrtcbin 1.22 neither reads the "ice-restart" option (its offer
   * keeps its credentials) nor answers a restart with new ones (it has
   * no ICE restart at all): only rtcpeerbin's credentials change */
  gboolean restarts[2];

  restarts[restarter] = is_rtcpeerbin (call, restarter);
  restarts[1 - restarter] = restarts[restarter]
      && is_rtcpeerbin (call, 1 - restarter);

  g_mutex_lock (&call->lock);
  offer_ufrag = ufrag_of (call->last_offer);
  answer_ufrag = ufrag_of (call->last_answer);
  g_mutex_unlock (&call->lock);
  /* what the restarter wrote last */
  if (call->last_offerer != restarter) {
    u = offer_ufrag;
    offer_ufrag = answer_ufrag;
    answer_ufrag = u;
  }
  handshakes = call_relay_dtls_handshakes (call);
  fail_unless (handshakes > 0, "the relay saw no DTLS handshake at all");
  for (i = 0; i < 2; i++) {
    g_atomic_int_set (&call->peer[i].ice_states_seen, 0);
    g_signal_connect (call->peer[i].pc, "on-ice-candidate",
        G_CALLBACK (on_candidate), &w[i]);
    g_signal_connect (call->peer[i].pc, "notify::ice-gathering-state",
        G_CALLBACK (on_gathering), &w[i]);
    g_signal_connect (call->peer[i].pc, "notify::connection-state",
        G_CALLBACK (on_connection), &w[i]);
  }

  if (option) {
    call->offer_options = gst_structure_new ("options", "ice-restart",
        G_TYPE_BOOLEAN, TRUE, NULL);
  } else {
    gint before = g_atomic_int_get (&call->peer[restarter].negotiation_needed);

    g_signal_emit_by_name (call->peer[restarter].pc, "restart-ice");
    fail_unless (call_wait_negotiation_needed (call, restarter, before,
            TIMEOUT), "restart-ice did not fire on-negotiation-needed");
  }
  fail_unless (call_negotiate (call, restarter), "%s", call->error);
  g_clear_pointer (&call->offer_options, gst_structure_free);

  /* new credentials on both sides (RFC 8839 section 4.4.1.1) */
  g_mutex_lock (&call->lock);
  u = ufrag_of (call->last_offer);
  fail_unless ((strcmp (u, offer_ufrag) != 0) == restarts[restarter],
      "the offer of %s: ufrag %s before, %s now",
      call->peer[restarter].factory, offer_ufrag, u);
  g_free (u);
  u = ufrag_of (call->last_answer);
  fail_unless ((strcmp (u, answer_ufrag) != 0) == restarts[1 - restarter],
      "the answer of %s: ufrag %s before, %s now",
      call->peer[1 - restarter].factory, answer_ufrag, u);
  g_free (u);
  g_mutex_unlock (&call->lock);

  /* checked anew, and connected again */
  for (i = 0; i < 2; i++) {
    gint64 end = g_get_monotonic_time () + TIMEOUT * G_TIME_SPAN_SECOND;

    if (restarts[i]) {
      /* its candidates come again, gathering goes round once more */
      fail_unless (call_wait_property (call, call->peer[i].pc,
              "ice-gathering-state", GST_WEBRTC_ICE_GATHERING_STATE_COMPLETE,
              TIMEOUT));
      fail_unless (g_atomic_int_get (&w[i].gathering_seen) &
          (1u << GST_WEBRTC_ICE_GATHERING_STATE_GATHERING),
          "peer %u did not gather again", i);
      fail_unless (g_atomic_int_get (&w[i].candidates) > 0,
          "peer %u signalled no candidate after the restart", i);
      /* completed needs the peer's end-of-candidates, which webrtcbin
       * 1.22 does not signal */
      if (is_rtcpeerbin (call, 1 - i))
        fail_unless (call_wait_property (call, call->peer[i].pc,
                "ice-connection-state",
                GST_WEBRTC_ICE_CONNECTION_STATE_COMPLETED, TIMEOUT),
            "peer %u: ICE not completed after the restart", i);
    }
    while (!ice_done (call->peer[i].pc) && g_get_monotonic_time () < end)
      g_usleep (10000);
    fail_unless (ice_done (call->peer[i].pc), "peer %u (%s): ICE not "
        "connected after the restart", i, call->peer[i].factory);
  }
  /* W3C: a restart begun in completed goes to connected (checked anew),
   * then completed again; never back to new or checking while the old
   * path still carries the traffic */
  for (i = 0; i < 2; i++) {
    guint seen = g_atomic_int_get (&call->peer[i].ice_states_seen);

    if (!is_rtcpeerbin (call, i))
      continue;
    fail_if (seen & ((1u << GST_WEBRTC_ICE_CONNECTION_STATE_NEW) |
            (1u << GST_WEBRTC_ICE_CONNECTION_STATE_CHECKING)),
        "peer %u: ICE went back to new or checking (states 0x%x)", i, seen);
    if (is_rtcpeerbin (call, 1 - i))
      fail_unless (seen & (1u << GST_WEBRTC_ICE_CONNECTION_STATE_CONNECTED),
          "peer %u: ICE did not go from completed to connected (states "
          "0x%x)", i, seen);
  }

  /* media and data go on over the same DTLS association */
  for (i = 0; i < 2; i++)
    audio[i] = g_atomic_int_get (&call->peer[i].audio_buffers);
  fail_unless (call_wait_media (call, 0, MAX (audio[0], audio[1]) + AUDIO,
          TIMEOUT), "audio stopped after the restart (%d, %d before)",
      audio[0], audio[1]);
  fail_unless (call_channel_exchange (ch, "after-0", "after-1", TIMEOUT),
      "no channel message after the restart");
  fail_unless_equals_int (call_relay_dtls_handshakes (call), handshakes);
  for (i = 0; i < 2; i++) {
    fail_if (g_atomic_int_get (&w[i].connection_seen) &
        ((1u << GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTING) |
            (1u << GST_WEBRTC_PEER_CONNECTION_STATE_NEW)),
        "peer %u connected again from scratch", i);
    g_signal_handlers_disconnect_by_data (call->peer[i].pc, &w[i]);
  }
  g_free (offer_ufrag);
  g_free (answer_ufrag);
}

static void
restart_test (const gchar * f0, const gchar * f1, guint restarter,
    gboolean option)
{
  CallChannel *ch;
  Call *call = start_call (f0, f1, &ch);

  restart_and_check (call, ch, restarter, option);
  /* and once more the other way */
  if (is_rtcpeerbin (call, 1 - restarter) || option)
    restart_and_check (call, ch, 1 - restarter, option);
  call_channel_free (ch);
  call_free (call);
}

GST_START_TEST (test_restart_by_offerer)
{
  restart_test ("rtcpeerbin", "rtcpeerbin", 0, FALSE);
}

GST_END_TEST;

GST_START_TEST (test_restart_by_answerer)
{
  restart_test ("rtcpeerbin", "rtcpeerbin", 1, FALSE);
}

GST_END_TEST;

GST_START_TEST (test_restart_option)
{
  restart_test ("rtcpeerbin", "rtcpeerbin", 0, TRUE);
}

GST_END_TEST;

/* rtcpeerbin restarts (restart-ice), webrtcbin answers: webrtcbin 1.22
 * keeps its credentials, so only rtcpeerbin's side restarts; the call
 * goes on over the same DTLS association all the same */
GST_START_TEST (test_restart_webrtcbin_answers)
{
  CallChannel *ch;
  Call *call = start_call ("rtcpeerbin", "webrtcbin", &ch);

  restart_and_check (call, ch, 0, FALSE);
  call_channel_free (ch);
  call_free (call);
}

GST_END_TEST;

/* webrtcbin asked to restart (the create-offer option): webrtcbin 1.22
 * ignores the option and offers its old credentials, which rtcpeerbin
 * takes as no restart (nothing restarts, the call goes on) */
GST_START_TEST (test_restart_webrtcbin_offers)
{
  CallChannel *ch;
  Call *call = start_call ("webrtcbin", "rtcpeerbin", &ch);

  restart_and_check (call, ch, 0, TRUE);
  call_channel_free (ch);
  call_free (call);
}

GST_END_TEST;

/* ice-transport-policy set to relay on a live connection: nothing changes
 * until the restart, whose gathering then signals no host candidate (no
 * TURN server here, so none at all). */
GST_START_TEST (test_policy_applies_at_restart)
{
  CallChannel *ch;
  Call *call = start_call ("rtcpeerbin", "rtcpeerbin", &ch);
  Watch w = { 0, };
  GstElement *pc = call->peer[0].pc;
  gint before;

  g_object_set (pc, "ice-transport-policy",
      GST_WEBRTC_ICE_TRANSPORT_POLICY_RELAY, NULL);
  /* the running path is left alone */
  fail_unless (call_channel_exchange (ch, "still-0", "still-1", TIMEOUT));
  g_signal_connect (pc, "on-ice-candidate", G_CALLBACK (on_candidate), &w);
  g_signal_connect (pc, "notify::ice-gathering-state",
      G_CALLBACK (on_gathering), &w);
  before = g_atomic_int_get (&call->peer[0].negotiation_needed);
  g_signal_emit_by_name (pc, "restart-ice");
  fail_unless (call_wait_negotiation_needed (call, 0, before, TIMEOUT));
  fail_unless (call_negotiate (call, 0), "%s", call->error);
  /* gathering went round, without a candidate */
  fail_unless (call_wait_property (call, pc, "ice-gathering-state",
          GST_WEBRTC_ICE_GATHERING_STATE_COMPLETE, TIMEOUT));
  fail_unless (g_atomic_int_get (&w.gathering_seen) &
      (1u << GST_WEBRTC_ICE_GATHERING_STATE_GATHERING));
  fail_unless_equals_int (g_atomic_int_get (&w.candidates), 0);
  g_signal_handlers_disconnect_by_data (pc, &w);
  call_channel_free (ch);
  call_free (call);
}

GST_END_TEST;

static Suite *
icerestart_suite (void)
{
  Suite *s = suite_create ("icerestart");
  TCase *tc = tcase_create ("icerestart");

  tcase_set_timeout (tc, 300);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_restart_by_offerer);
  tcase_add_test (tc, test_restart_by_answerer);
  tcase_add_test (tc, test_restart_option);
  tcase_add_test (tc, test_policy_applies_at_restart);
  tcase_add_test (tc, test_restart_webrtcbin_answers);
  tcase_add_test (tc, test_restart_webrtcbin_offers);
  return s;
}

GST_CHECK_MAIN (icerestart);
