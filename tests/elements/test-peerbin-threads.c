/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* rtcpeerbin's threads without a network: operations still queued when
 * the element stops or goes away, and close() racing operations. */

#include <string.h>
#include "peer-util.h"

const gchar *factory = "rtcpeerbin";

#define ITERATIONS 100
#define OPS_PER_KIND 4

typedef struct
{
  gint replies;                 /* atomic */
  gboolean after;               /* replied once the state change returned */
  gint *stopped;                /* the test's flag: set_state returned */
} Answer;

static void
count_reply (GstPromise * promise, gpointer user_data)
{
  Answer *a = user_data;

  if (g_atomic_int_get (a->stopped))
    a->after = TRUE;
  g_atomic_int_inc (&a->replies);
}

static GstElement *
peer_with_video (void)
{
  GstElement *pc = new_peer ();
  GstCaps *vp8 = gst_caps_from_string (VP8_CAPS);
  GObject *t;

  g_signal_emit_by_name (pc, "add-transceiver",
      GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, vp8, &t);
  g_object_unref (t);
  gst_caps_unref (vp8);
  return pc;
}

/* Queues every kind of operation with a promise, @OPS_PER_KIND times;
 * returns the number queued. */
static guint
queue_operations (GstElement * pc, GstWebRTCSessionDescription * offer,
    Answer * answers, gint * stopped)
{
  guint n = 0, k;

  for (k = 0; k < OPS_PER_KIND; k++) {
    const gchar *what[] = { "create-offer", "create-answer", "get-stats",
      "set-remote-description", "set-local-description"
    };
    guint w;

    for (w = 0; w < G_N_ELEMENTS (what); w++) {
      Answer *a = &answers[n++];
      GstPromise *p;

      a->stopped = stopped;
      p = gst_promise_new_with_change_func (count_reply, a, NULL);
      if (w < 3)
        g_signal_emit_by_name (pc, what[w], NULL, p);
      else
        g_signal_emit_by_name (pc, what[w], offer, p);
      gst_promise_unref (p);
    }
    g_signal_emit_by_name (pc, "add-ice-candidate", 0,
        "candidate:1 1 UDP 2122252543 127.0.0.1 40000 typ host");
  }
  return n;
}

static void
check_answers (Answer * answers, guint n, guint iteration, const gchar * what)
{
  guint i;

  for (i = 0; i < n; i++) {
    fail_unless_equals_int (g_atomic_int_get (&answers[i].replies), 1);
    fail_if (answers[i].after, "iteration %u: operation %u answered after "
        "%s returned", iteration, i, what);
  }
}

/* Going to NULL answers every promise still queued before the state
 * change returns; none is answered (or runs) afterwards. */
GST_START_TEST (test_null_answers_pending_operations)
{
  GstElement *src = peer_with_video ();
  GstWebRTCSessionDescription *offer = create (src, "create-offer");
  guint it;

  for (it = 0; it < ITERATIONS; it++) {
    Answer answers[OPS_PER_KIND * 5] = { {0,}, };
    gint stopped = 0;
    GstElement *pc = peer_with_video ();
    guint n = queue_operations (pc, offer, answers, &stopped);

    fail_unless_equals_int (gst_element_set_state (pc, GST_STATE_NULL),
        GST_STATE_CHANGE_SUCCESS);
    g_atomic_int_set (&stopped, 1);
    check_answers (answers, n, it, "set_state (NULL)");
    /* Disposing stops the ops thread: anything left would run now. */
    gst_object_unref (pc);
    check_answers (answers, n, it, "set_state (NULL)");
  }
  gst_webrtc_session_description_free (offer);
  free_peer (src);
}

GST_END_TEST;

static GMutex gone_lock;
static GCond gone_cond;

static void
gone (gpointer data, GObject * where_the_object_was)
{
  g_mutex_lock (&gone_lock);
  g_atomic_int_set ((gint *) data, 1);
  g_cond_broadcast (&gone_cond);
  g_mutex_unlock (&gone_lock);
}

/* Disposing answers every promise still queued; none is answered after
 * the element is gone. The application's unref is the last one unless an
 * operation is running (it holds a reference): then the bin goes once
 * that operation is done. */
GST_START_TEST (test_dispose_answers_pending_operations)
{
  GstElement *src = peer_with_video ();
  GstWebRTCSessionDescription *offer = create (src, "create-offer");
  guint it;

  for (it = 0; it < ITERATIONS; it++) {
    Answer answers[OPS_PER_KIND * 5] = { {0,}, };
    gint stopped = 0;
    GstElement *pc = gst_element_factory_make (factory, NULL);
    guint n = queue_operations (pc, offer, answers, &stopped);
    gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

    g_object_weak_ref (G_OBJECT (pc), gone, &stopped);
    gst_object_unref (pc);
    g_mutex_lock (&gone_lock);
    while (!g_atomic_int_get (&stopped))
      fail_unless (g_cond_wait_until (&gone_cond, &gone_lock, deadline),
          "iteration %u: the bin was not disposed", it);
    g_mutex_unlock (&gone_lock);
    check_answers (answers, n, it, "dispose");
  }
  gst_webrtc_session_description_free (offer);
  free_peer (src);
}

GST_END_TEST;

/* After NULL the element is usable again. */
GST_START_TEST (test_operations_after_null)
{
  GstElement *pc = peer_with_video ();
  GstWebRTCSessionDescription *offer;

  fail_unless_equals_int (gst_element_set_state (pc, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);
  fail_unless_equals_int (gst_element_set_state (pc, GST_STATE_READY),
      GST_STATE_CHANGE_SUCCESS);
  offer = create (pc, "create-offer");
  gst_webrtc_session_description_free (offer);
  free_peer (pc);
}

GST_END_TEST;

static Suite *
peerbin_threads_suite (void)
{
  Suite *s = suite_create ("rtcpeerbin-threads");
  TCase *tc = tcase_create ("threads");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_null_answers_pending_operations);
  tcase_add_test (tc, test_dispose_answers_pending_operations);
  tcase_add_test (tc, test_operations_after_null);
  return s;
}

GST_CHECK_MAIN (peerbin_threads);
