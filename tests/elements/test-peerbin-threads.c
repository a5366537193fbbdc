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

static guint
count_threads (const gchar * name)
{
  GDir *dir = g_dir_open ("/proc/self/task", 0, NULL);
  const gchar *tid;
  guint n = 0;

  fail_unless (dir != NULL);
  while ((tid = g_dir_read_name (dir))) {
    gchar *path = g_build_filename ("/proc/self/task", tid, "comm", NULL);
    gchar *comm = NULL;

    if (g_file_get_contents (path, &comm, NULL, NULL)
        && g_str_equal (g_strstrip (comm), name))
      n++;
    g_free (comm);
    g_free (path);
  }
  g_dir_close (dir);
  return n;
}

#define MANY_BINS 32

/* Bins share their operations threads: many bins that have all run
 * operations do not keep a thread each. */
GST_START_TEST (test_bins_share_operations_threads)
{
  GstElement *pc[MANY_BINS];
  GstWebRTCSessionDescription *offer;
  guint i, n;

  for (i = 0; i < MANY_BINS; i++) {
    pc[i] = peer_with_video ();
    offer = create (pc[i], "create-offer");
    gst_webrtc_session_description_free (offer);
  }
  n = count_threads ("rtc-pc-ops");
  fail_unless (n >= 1 && n <= 4, "%u operations threads for %d bins", n,
      MANY_BINS);
  for (i = 0; i < MANY_BINS; i++)
    free_peer (pc[i]);
}

GST_END_TEST;

typedef struct
{
  GMutex lock;
  GCond cond;
  guint entered;
  gboolean released, timed_out;
} Gate;

static void
blocking_negotiation_needed (GstElement * pc, Gate * g)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;

  g_mutex_lock (&g->lock);
  g->entered++;
  g_cond_broadcast (&g->cond);
  while (!g->released)
    if (!g_cond_wait_until (&g->cond, &g->lock, deadline)) {
      g->timed_out = TRUE;
      break;
    }
  g_mutex_unlock (&g->lock);
}

#define BLOCKED_BINS 8

/* Handlers that block on bins' operations threads do not hold up another
 * bin's operations, although they share a pool of threads (with more
 * blocked bins than the pool starts at once). */
GST_START_TEST (test_blocked_handler_does_not_stall_other_bin)
{
  GstElement *blocked[BLOCKED_BINS], *other;
  GstWebRTCSessionDescription *offer;
  GstCaps *vp8 = gst_caps_from_string (VP8_CAPS);
  Gate g;
  GObject *t;
  guint i;

  g_mutex_init (&g.lock);
  g_cond_init (&g.cond);
  g.entered = 0;
  g.released = g.timed_out = FALSE;
  other = peer_with_video ();
  for (i = 0; i < BLOCKED_BINS; i++) {
    blocked[i] = new_peer ();
    g_signal_connect (blocked[i], "on-negotiation-needed",
        G_CALLBACK (blocking_negotiation_needed), &g);
    g_signal_emit_by_name (blocked[i], "add-transceiver",
        GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, vp8, &t);
    g_object_unref (t);
  }
  gst_caps_unref (vp8);
  g_mutex_lock (&g.lock);
  while (g.entered < BLOCKED_BINS)
    g_cond_wait (&g.cond, &g.lock);
  g_mutex_unlock (&g.lock);

  /* The blocked handler waits for this answer; it gives up after 5 s
   * only if the other bin's operation waited for it. */
  offer = create (other, "create-offer");
  gst_webrtc_session_description_free (offer);
  g_mutex_lock (&g.lock);
  fail_if (g.timed_out, "the other bin's create-offer waited for the "
      "blocked handler");
  g.released = TRUE;
  g_cond_broadcast (&g.cond);
  g_mutex_unlock (&g.lock);

  free_peer (other);
  for (i = 0; i < BLOCKED_BINS; i++)
    free_peer (blocked[i]);
  g_mutex_clear (&g.lock);
  g_cond_clear (&g.cond);
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
  tcase_add_test (tc, test_bins_share_operations_threads);
  tcase_add_test (tc, test_blocked_handler_does_not_stall_other_bin);
  return s;
}

GST_CHECK_MAIN (peerbin_threads);
