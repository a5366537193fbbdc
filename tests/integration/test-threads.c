/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* rtcpeerbin's threads with a network: close() racing every operation
 * from another thread (under ASan it catches a transport or the ICE agent
 * freed while an operation still uses it), and a synchronous bus handler
 * that reads every property while anything is posted. Only 127.0.0.1. */

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

#define CALL_TIMEOUT 20

/* Every readable property of @pc, as an application's synchronous bus
 * handler or notify handler may read them. */
static void
read_all_properties (GstElement * pc)
{
  GParamSpec **specs;
  guint n, i;

  specs = g_object_class_list_properties (G_OBJECT_GET_CLASS (pc), &n);
  for (i = 0; i < n; i++) {
    GValue v = G_VALUE_INIT;

    if (!(specs[i]->flags & G_PARAM_READABLE))
      continue;
    g_value_init (&v, specs[i]->value_type);
    g_object_get_property (G_OBJECT (pc), specs[i]->name, &v);
    g_value_unset (&v);
  }
  g_free (specs);
}

typedef struct
{
  GstElement *pc[2];            /* owned */
  gint messages;                /* atomic */
} SyncReader;

static void
sync_reader_free (gpointer data)
{
  SyncReader *r = data;

  gst_object_unref (r->pc[0]);
  gst_object_unref (r->pc[1]);
  g_free (r);
}

/* Runs on whichever thread posts, with whatever locks it holds. */
static GstBusSyncReply
read_on_post (GstBus * bus, GstMessage * msg, gpointer data)
{
  SyncReader *r = data;

  read_all_properties (r->pc[0]);
  read_all_properties (r->pc[1]);
  g_atomic_int_inc (&r->messages);
  return GST_BUS_PASS;
}

typedef struct
{
  GstElement *pc;
  gboolean done;                /* lock */
} Setter;

/* Settings that warn on the bus (a bad STUN URI, a bad certificate) or
 * make rtpbin post (latency), as an application may change them. */
static gpointer
set_properties (gpointer data)
{
  Setter *s = data;

  g_object_set (s->pc, "stun-server", "http://not-a-stun-uri", NULL);
  g_object_set (s->pc, "turn-server", "turn://nocredentials@127.0.0.1", NULL);
  g_object_set (s->pc, "latency", 150, NULL);
  g_mutex_lock (&lock);
  s->done = TRUE;
  g_cond_broadcast (&cond);
  g_mutex_unlock (&lock);
  return NULL;
}

/* A synchronous bus handler reads every property of both bins on every
 * message of a whole call (audio and a data channel): nothing may be
 * posted with pc_lock held, or the handler deadlocks. */
GST_START_TEST (test_sync_bus_handler_reads_properties)
{
  Call *call = call_new ("rtcpeerbin", "rtcpeerbin", FALSE);
  SyncReader *r = g_new0 (SyncReader, 1);
  Setter setter = { NULL, FALSE };
  gint64 deadline;
  CallChannel *ch;
  GstBus *bus;
  GThread *thread;

  call->send_video = FALSE;
  call->bundle_policy = GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE;
  r->pc[0] = gst_object_ref (call->peer[0].pc);
  r->pc[1] = gst_object_ref (call->peer[1].pc);
  bus = gst_element_get_bus (call->pipeline);
  gst_bus_set_sync_handler (bus, read_on_post, r, sync_reader_free);
  gst_object_unref (bus);

  ch = call_channel_new (call);
  call_start (call);
  fail_unless (call_wait_media (call, 0, 5, CALL_TIMEOUT),
      "no audio both ways: %s", call->error ? call->error : "timeout");
  fail_unless (call_channel_exchange (ch, "ping", "pong", CALL_TIMEOUT),
      "no message across the channel");

  /* From another thread, so that a deadlock fails the test instead of
   * hanging it. */
  setter.pc = call->peer[0].pc;
  thread = g_thread_new ("setter", set_properties, &setter);
  deadline = g_get_monotonic_time () + CALL_TIMEOUT * G_TIME_SPAN_SECOND;
  g_mutex_lock (&lock);
  while (!setter.done)
    fail_unless (g_cond_wait_until (&cond, &lock, deadline),
        "setting a property that posts a warning deadlocked");
  g_mutex_unlock (&lock);
  g_thread_join (thread);
  fail_unless (call_channel_exchange (ch, "ping2", "pong2", CALL_TIMEOUT),
      "no message across the channel after the settings");
  fail_unless (g_atomic_int_get (&r->messages) > 0);

  call_channel_free (ch);
  call_free (call);
}

GST_END_TEST;

typedef struct
{
  gboolean blocked;             /* lock */
  gboolean release;             /* lock */
} Blocker;

#define SLOW_HANDLER (2 * G_TIME_SPAN_SECOND)

/* An application's slow handler: blocks up to 2 s on "block". */
static void
slow_on_message (GObject * channel, const gchar * str, Blocker * b)
{
  gint64 deadline = g_get_monotonic_time () + SLOW_HANDLER;

  if (g_strcmp0 (str, "block") != 0)
    return;
  g_mutex_lock (&lock);
  b->blocked = TRUE;
  g_cond_broadcast (&cond);
  while (!b->release && g_cond_wait_until (&cond, &lock, deadline));
  b->blocked = FALSE;
  g_mutex_unlock (&lock);
}

#define OTHERS 2

/* A slow on-message-string handler in call A does not delay the audio or
 * the data channel messages of the other calls in the process, which
 * share the network threads with it (there are at most 4 of them, and
 * 2 x (1 + OTHERS) bins: one of the other calls shares A's receiver's
 * thread whatever the machine). */
GST_START_TEST (test_slow_handler_does_not_stall_other_calls)
{
  Call *call[1 + OTHERS];
  CallChannel *ch[1 + OTHERS];
  Blocker blocker = { FALSE, FALSE };
  GObject *slow, *sender;
  gint64 start, deadline;
  guint i;

  for (i = 0; i < 1 + OTHERS; i++) {
    call[i] = call_new ("rtcpeerbin", "rtcpeerbin", FALSE);
    call[i]->send_video = FALSE;
    call[i]->bundle_policy = GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE;
    ch[i] = call_channel_new (call[i]);
    call_start (call[i]);
  }
  for (i = 0; i < 1 + OTHERS; i++) {
    fail_unless (call_wait_media (call[i], 0, 5, CALL_TIMEOUT),
        "call %u: no audio both ways", i);
    fail_unless (call_channel_exchange (ch[i], "hello", "hi", CALL_TIMEOUT),
        "call %u: no message across the channel", i);
  }

  slow = call_channel_get (ch[0], 1);
  g_signal_connect (slow, "on-message-string", G_CALLBACK (slow_on_message),
      &blocker);
  sender = call_channel_get (ch[0], 0);
  g_signal_emit_by_name (sender, "send-string", "block");
  deadline = g_get_monotonic_time () + CALL_TIMEOUT * G_TIME_SPAN_SECOND;
  g_mutex_lock (&lock);
  while (!blocker.blocked)
    fail_unless (g_cond_wait_until (&cond, &lock, deadline),
        "the slow handler never ran");
  g_mutex_unlock (&lock);
  start = g_get_monotonic_time ();

  /* While it blocks, the others go on: a round trip of messages within
   * 500 ms, and audio. */
  for (i = 1; i < 1 + OTHERS; i++) {
    gint audio = MAX (g_atomic_int_get (&call[i]->peer[0].audio_buffers),
        g_atomic_int_get (&call[i]->peer[1].audio_buffers));
    gchar *m0 = g_strdup_printf ("during-%u-0", i);
    gchar *m1 = g_strdup_printf ("during-%u-1", i);

    fail_unless (call_channel_exchange_ms (ch[i], m0, m1, 500),
        "call %u: its messages waited for call 0's handler", i);
    fail_unless (call_wait_media (call[i], 0, audio + 5, 1),
        "call %u: its audio waited for call 0's handler", i);
    g_free (m0);
    g_free (m1);
  }
  g_mutex_lock (&lock);
  fail_unless (blocker.blocked, "the handler stopped blocking after %d ms: "
      "the check proves nothing", (gint) ((g_get_monotonic_time () - start)
          / 1000));
  blocker.release = TRUE;
  g_cond_broadcast (&cond);
  g_mutex_unlock (&lock);

  /* Call 0 itself goes on once its handler returns. */
  fail_unless (call_channel_exchange (ch[0], "after", "after too",
          CALL_TIMEOUT));

  g_signal_handlers_disconnect_by_data (slow, &blocker);
  g_object_unref (slow);
  g_object_unref (sender);
  for (i = 0; i < 1 + OTHERS; i++) {
    call_channel_free (ch[i]);
    call_free (call[i]);
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
  tcase_add_test (tc, test_sync_bus_handler_reads_properties);
  tcase_add_test (tc, test_slow_handler_does_not_stall_other_calls);
  return s;
}

GST_CHECK_MAIN (threads);
