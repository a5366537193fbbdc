/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* rtcicesink and rtcicesrc with GstHarness over two RtcIceAgents on
 * 127.0.0.1: A's sink sends, B's source pushes what B's agent received.
 * The elements are compiled into the test with the ICE layer (like
 * test-ice.c), so the plugin is not loaded. */

#include <string.h>
#include <gst/gst.h>
#include <gst/check/gstharness.h>

#include "ice/rtcice.h"
#include "ice/gstrtciceelements.h"

#define CONNECTED(s) ((s) == GST_WEBRTC_ICE_CONNECTION_STATE_CONNECTED \
    || (s) == GST_WEBRTC_ICE_CONNECTION_STATE_COMPLETED)

static GMutex lock;
static GCond cond;

typedef struct Peer Peer;
struct Peer
{
  RtcIceAgent *ice;
  guint stream;
  Peer *other;
  GstWebRTCICEConnectionState state;
  GstElement *src;              /* receives for the stream (lock) */
  gboolean selected;            /* lock */
  guint unrouted;               /* received while no source was set */
};

static void
on_candidate (RtcIceAgent * ice, guint stream, const gchar * cand, gpointer u)
{
  Peer *p = u;

  g_mutex_lock (&lock);
  if (p->other)
    g_assert_true (rtc_ice_agent_add_remote_candidate (p->other->ice,
            p->other->stream, cand, NULL));
  g_mutex_unlock (&lock);
}

static void
on_gathering_done (RtcIceAgent * ice, guint stream, gpointer u)
{
}

static void
on_state (RtcIceAgent * ice, guint stream, GstWebRTCICEConnectionState state,
    gpointer u)
{
  Peer *p = u;

  g_mutex_lock (&lock);
  p->state = state;
  g_cond_broadcast (&cond);
  g_mutex_unlock (&lock);
}

static void
on_selected_pair (RtcIceAgent * ice, guint stream, const gchar * l,
    const gchar * r, gpointer u)
{
  Peer *p = u;

  g_mutex_lock (&lock);
  p->selected = TRUE;
  g_cond_broadcast (&cond);
  g_mutex_unlock (&lock);
}

/* What the agent's owner does (rtcpeerbin by its stream table): each
 * stream's datagrams to that stream's source. */
static void
on_receive (RtcIceAgent * ice, guint stream, const guint8 * data, gsize len,
    gpointer u)
{
  Peer *p = u;
  GstElement *src;

  g_mutex_lock (&lock);
  src = p->src ? gst_object_ref (p->src) : NULL;
  if (!src)
    p->unrouted++;
  g_mutex_unlock (&lock);
  if (src) {
    gst_rtc_ice_src_receive (GST_RTC_ICE_SRC (src), data, len);
    gst_object_unref (src);
  }
}

static void
on_error (RtcIceAgent * ice, guint stream, const GError * error, gpointer u)
{
}

static const RtcIceCallbacks callbacks = {
  on_candidate, on_gathering_done, on_state, on_selected_pair, on_receive,
  on_error
};

static void
peer_init (Peer * p, Peer * other)
{
  RtcIceConfig cfg = { 0, };
  GError *err = NULL;

  cfg.addresses = "127.0.0.1";
  p->other = other;
  p->ice = rtc_ice_agent_new (&cfg, &callbacks, p, &err);
  g_assert_no_error (err);
  p->stream = rtc_ice_agent_add_stream (p->ice, &err);
  g_assert_no_error (err);
}

static gboolean
wait_connected (Peer * a, Peer * b)
{
  gint64 end = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  gboolean ok;

  /* connected both, and A has a pair to send on */
#define READY (CONNECTED (a->state) && CONNECTED (b->state) && a->selected)
  g_mutex_lock (&lock);
  while (!(ok = READY) && g_cond_wait_until (&cond, &lock, end));
  ok = READY;
#undef READY
  g_mutex_unlock (&lock);
  return ok;
}

static void
start_agents (Peer * a, Peer * b)
{
  Peer *pair[2] = { a, b };
  guint i;

  rtc_ice_agent_set_controlling (a->ice, TRUE);
  rtc_ice_agent_set_controlling (b->ice, FALSE);
  for (i = 0; i < 2; i++) {
    gchar *ufrag, *pwd;

    rtc_ice_agent_get_local_credentials (pair[i]->ice, pair[i]->stream,
        &ufrag, &pwd);
    g_assert_true (rtc_ice_agent_set_remote_credentials (pair[1 - i]->ice,
            pair[1 - i]->stream, ufrag, pwd, NULL));
    g_free (ufrag);
    g_free (pwd);
  }
  g_assert_true (rtc_ice_agent_gather (a->ice, a->stream, NULL));
  g_assert_true (rtc_ice_agent_gather (b->ice, b->stream, NULL));
}

static GstBuffer *
datagram (guint8 tag, gsize len)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, len, NULL);

  gst_buffer_memset (buf, 0, tag, len);
  return buf;
}

static guint64
uint64_prop (GstElement * e, const gchar * name)
{
  guint64 v;

  g_object_get (e, name, &v, NULL);
  return v;
}

static void
test_send_receive (void)
{
  Peer a = { 0, }, b = { 0, };
  GstElement *sink = g_object_new (GST_TYPE_RTC_ICE_SINK, NULL);
  GstElement *src = g_object_new (GST_TYPE_RTC_ICE_SRC, NULL);
  GstHarness *hs, *hr;
  GstBufferList *list;
  GstBuffer *got;
  guint i;

  peer_init (&a, &b);
  peer_init (&b, &a);
  g_object_set (sink, "agent", a.ice, "stream", a.stream, NULL);
  g_object_set (src, "agent", b.ice, "stream", b.stream, NULL);
  hs = gst_harness_new_with_element (sink, "sink", NULL);
  hr = gst_harness_new_with_element (src, NULL, "src");
  /* a harness without a src pad of its own leaves the element stopped */
  gst_harness_play (hr);
  gst_harness_set_src_caps_str (hs, "application/x-rtc-datagram");
  g_mutex_lock (&lock);
  b.src = src;
  g_mutex_unlock (&lock);

  /* Before ICE has a pair (not even gathering yet) nothing can leave:
   * dropped, counted, and the stream goes on. */
  g_assert_cmpint (gst_harness_push (hs, datagram (0x80, 100)), ==,
      GST_FLOW_OK);
  g_assert_cmpuint (uint64_prop (sink, "dropped"), ==, 1);
  g_assert_cmpuint (uint64_prop (sink, "sent"), ==, 0);

  start_agents (&a, &b);
  g_assert_true (wait_connected (&a, &b));
  g_assert_cmpint (gst_harness_push (hs, datagram (0x81, 200)), ==,
      GST_FLOW_OK);
  g_assert_cmpuint (uint64_prop (sink, "sent"), ==, 1);
  got = gst_harness_pull (hr);  /* bounded: the harness waits 60 s */
  g_assert_nonnull (got);
  g_assert_cmpuint (gst_buffer_get_size (got), ==, 200);
  g_assert_cmpint (gst_buffer_memcmp (got, 0, (guint8[]) {
          0x81}, 1), ==, 0);
  gst_buffer_unref (got);
  while ((got = gst_harness_try_pull (hr)))
    gst_buffer_unref (got);

  /* a buffer list leaves as one burst, in order, byte for byte */
  list = gst_buffer_list_new ();
  for (i = 0; i < 10; i++)
    gst_buffer_list_add (list, datagram (0x90 + i, 300 + i));
  g_assert_cmpint (gst_pad_push_list (hs->srcpad, list), ==, GST_FLOW_OK);
  for (i = 0; i < 10; i++) {
    guint8 tag = 0x90 + i;

    got = gst_harness_pull (hr);
    g_assert_nonnull (got);
    g_assert_cmpuint (gst_buffer_get_size (got), ==, 300 + i);
    g_assert_cmpint (gst_buffer_memcmp (got, 0, &tag, 1), ==, 0);
    g_assert_cmpint (gst_buffer_memcmp (got, 299 + i, &tag, 1), ==, 0);
    gst_buffer_unref (got);
  }
  g_assert_cmpuint (uint64_prop (src, "received"), >=, 11);

  /* the agent unset: sending drops, and the agent can go */
  g_object_set (sink, "agent", NULL, NULL);
  i = uint64_prop (sink, "dropped");
  g_assert_cmpint (gst_harness_push (hs, datagram (0x82, 10)), ==,
      GST_FLOW_OK);
  g_assert_cmpuint (uint64_prop (sink, "dropped"), ==, i + 1);

  g_mutex_lock (&lock);
  b.src = NULL;
  a.other = b.other = NULL;
  g_mutex_unlock (&lock);
  rtc_ice_agent_free (a.ice);
  rtc_ice_agent_free (b.ice);
  gst_harness_teardown (hs);
  gst_harness_teardown (hr);
  gst_object_unref (sink);
  gst_object_unref (src);
}

/* Metadata and pads as gst-inspect shows them. */
static void
test_element_surface (void)
{
  GstElement *sink = g_object_new (GST_TYPE_RTC_ICE_SINK, NULL);
  GstElement *src = g_object_new (GST_TYPE_RTC_ICE_SRC, NULL);
  GstPad *pad;

  pad = gst_element_get_static_pad (sink, "sink");
  g_assert_nonnull (pad);
  gst_object_unref (pad);
  pad = gst_element_get_static_pad (src, "src");
  g_assert_nonnull (pad);
  gst_object_unref (pad);
  g_assert_true (GST_OBJECT_FLAG_IS_SET (src, GST_ELEMENT_FLAG_SOURCE));
  gst_object_unref (sink);
  gst_object_unref (src);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);
  g_test_add_func ("/ice-elements/surface", test_element_surface);
  g_test_add_func ("/ice-elements/send-receive", test_send_receive);
  return g_test_run ();
}
