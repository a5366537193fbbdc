/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* rtcpeerbin's threads with a network: close() racing every operation
 * from another thread (under ASan it catches a transport or the ICE agent
 * freed while an operation still uses it). Only 127.0.0.1. */

#include <string.h>
#include "call-channel.h"

#define ITERATIONS 100
#define REPLY_TIMEOUT (20 * G_TIME_SPAN_SECOND)
#define OPUS_CAPS "application/x-rtp,media=audio,encoding-name=OPUS," \
  "payload=111,clock-rate=48000,encoding-params=(string)2"

static GMutex lock;
static GCond cond;

typedef struct
{
  gboolean done;                /* lock */
} Wait;

static void
replied (GstPromise * promise, gpointer user_data)
{
  Wait *w = user_data;

  g_mutex_lock (&lock);
  w->done = TRUE;
  g_cond_broadcast (&cond);
  g_mutex_unlock (&lock);
}

typedef struct _Race Race;
static void step (Race * r);

/* Runs @what (@arg, promise) on @pc, counts a step (close() may come
 * now, while it runs) and waits, bounded, for the reply; returns its
 * @field when it has one (NULL on an error such as "closed"). Fails the
 * test when no reply comes. */
static GstWebRTCSessionDescription *
run (Race * r, GstElement * pc, const gchar * what, gpointer arg,
    const gchar * field)
{
  Wait w = { FALSE };
  GstPromise *p = gst_promise_new_with_change_func (replied, &w, NULL);
  GstWebRTCSessionDescription *desc = NULL;
  gint64 deadline = g_get_monotonic_time () + REPLY_TIMEOUT;
  const GstStructure *reply;

  g_signal_emit_by_name (pc, what, arg, p);
  step (r);
  g_mutex_lock (&lock);
  while (!w.done)
    fail_unless (g_cond_wait_until (&cond, &lock, deadline),
        "%s was never answered", what);
  g_mutex_unlock (&lock);
  reply = gst_promise_get_reply (p);
  if (reply && field && gst_structure_has_field (reply, field))
    gst_structure_get (reply, field, GST_TYPE_WEBRTC_SESSION_DESCRIPTION,
        &desc, NULL);
  gst_promise_unref (p);
  return desc;
}

static void
forward_candidate (GstElement * pc, guint mline, const gchar * candidate,
    GstElement * other)
{
  g_signal_emit_by_name (other, "add-ice-candidate", mline, candidate);
}

static GstElement *
new_peer (void)
{
  GstElement *pc = gst_element_factory_make ("rtcpeerbin", NULL);
  GstCaps *caps = gst_caps_from_string (OPUS_CAPS);
  GObject *t = NULL;

  fail_unless (pc != NULL);
  g_object_set (pc, "ice-addresses", "127.0.0.1", "bundle-policy",
      GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE, NULL);
  fail_unless_equals_int (gst_element_set_state (pc, GST_STATE_READY),
      GST_STATE_CHANGE_SUCCESS);
  g_signal_emit_by_name (pc, "add-transceiver",
      GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, caps, &t);
  g_clear_object (&t);
  gst_caps_unref (caps);
  return pc;
}

struct _Race
{
  GstElement *pc[2];
  gint steps;                   /* lock: operations issued so far */
};

static void
step (Race * r)
{
  g_mutex_lock (&lock);
  r->steps++;
  g_cond_broadcast (&cond);
  g_mutex_unlock (&lock);
}

/* Two rounds of every operation on peer 0 (peer 1 answers), whatever
 * close() does meanwhile. */
static gpointer
operations (gpointer data)
{
  Race *r = data;
  guint round;

  for (round = 0; round < 2; round++) {
    GstWebRTCSessionDescription *offer, *answer;
    GstCaps *caps = gst_caps_from_string (OPUS_CAPS);
    GObject *obj = NULL;
    gchar *label = g_strdup_printf ("race%u", round);

    g_signal_emit_by_name (r->pc[0], "create-data-channel", label, NULL,
        &obj);
    g_clear_object (&obj);
    g_free (label);
    step (r);
    g_signal_emit_by_name (r->pc[0], "add-transceiver",
        GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, caps, &obj);
    g_clear_object (&obj);
    gst_caps_unref (caps);
    step (r);
    offer = run (r, r->pc[0], "create-offer", NULL, "offer");
    if (offer) {
      run (r, r->pc[0], "set-local-description", offer, NULL);
      run (r, r->pc[1], "set-remote-description", offer, NULL);
      answer = run (r, r->pc[1], "create-answer", NULL, "answer");
      if (answer) {
        run (r, r->pc[1], "set-local-description", answer, NULL);
        run (r, r->pc[0], "set-remote-description", answer, NULL);
        gst_webrtc_session_description_free (answer);
      }
      gst_webrtc_session_description_free (offer);
    }
    g_signal_emit_by_name (r->pc[0], "add-ice-candidate", 0,
        "candidate:1 1 UDP 2122252543 127.0.0.1 9 typ host");
    step (r);
    run (r, r->pc[0], "get-stats", NULL, NULL);
  }
  g_mutex_lock (&lock);
  r->steps = G_MAXINT;
  g_cond_broadcast (&cond);
  g_mutex_unlock (&lock);
  return NULL;
}

/* close() from this thread while another runs every operation, after a
 * different number of them each time; the transports and the ICE agent
 * go while operations use them, or just before. */
GST_START_TEST (test_close_races_operations)
{
  guint it;

  for (it = 0; it < ITERATIONS; it++) {
    Race r = { {NULL,}, 0 };
    GThread *thread;
    gint at = it % 12;
    GstWebRTCSignalingState state;
    gint64 deadline = g_get_monotonic_time () + 60 * G_TIME_SPAN_SECOND;

    r.pc[0] = new_peer ();
    r.pc[1] = new_peer ();
    /* The handlers hold the other peer: one may be running on an ops
     * thread while they are disconnected. */
    g_signal_connect_data (r.pc[0], "on-ice-candidate",
        G_CALLBACK (forward_candidate), gst_object_ref (r.pc[1]),
        (GClosureNotify) gst_object_unref, 0);
    g_signal_connect_data (r.pc[1], "on-ice-candidate",
        G_CALLBACK (forward_candidate), gst_object_ref (r.pc[0]),
        (GClosureNotify) gst_object_unref, 0);
    thread = g_thread_new ("race", operations, &r);
    g_mutex_lock (&lock);
    while (r.steps < at)
      fail_unless (g_cond_wait_until (&cond, &lock, deadline));
    g_mutex_unlock (&lock);
    g_signal_emit_by_name (r.pc[0], "close");
    g_object_get (r.pc[0], "signaling-state", &state, NULL);
    fail_unless_equals_int (state, GST_WEBRTC_SIGNALING_STATE_CLOSED);
    g_thread_join (thread);

    g_signal_handlers_disconnect_by_data (r.pc[0], r.pc[1]);
    g_signal_handlers_disconnect_by_data (r.pc[1], r.pc[0]);
    gst_element_set_state (r.pc[0], GST_STATE_NULL);
    gst_element_set_state (r.pc[1], GST_STATE_NULL);
    gst_object_unref (r.pc[0]);
    gst_object_unref (r.pc[1]);
  }
}

GST_END_TEST;

static Suite *
threads_suite (void)
{
  Suite *s = suite_create ("threads");
  TCase *tc = tcase_create ("threads");

  tcase_set_timeout (tc, 600);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_close_races_operations);
  return s;
}

GST_CHECK_MAIN (threads);
