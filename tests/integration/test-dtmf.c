/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* DTMF over a real call: Opus both ways, insert-dtmf on one side, the
 * tones heard on the other (on-dtmf-received and "dtmf-event" custom
 * events on the audio src pad), in order and each once, with the
 * sender's on-tone-change sequence, while the audio keeps decoding. */

#include <string.h>
#include "call-fixture.h"

#define AUDIO 25
#define TIMEOUT 30

typedef struct
{
  GMutex lock;
  GCond cond;
  GString *changes;             /* on-tone-change, "" as '|' */
  GString *received;            /* on-dtmf-received "<tone>:<ms> " */
  GString *events;              /* dtmf-event on the src pad: "+n" / "-n" */
  GstPad *change_pad;           /* the pad of the last on-tone-change */
  GstPad *received_pad;         /* the pad of the last on-dtmf-received */
} Dtmf;

static void
dtmf_init (Dtmf * d)
{
  memset (d, 0, sizeof (*d));
  g_mutex_init (&d->lock);
  g_cond_init (&d->cond);
  d->changes = g_string_new (NULL);
  d->received = g_string_new (NULL);
  d->events = g_string_new (NULL);
}

static void
dtmf_clear (Dtmf * d)
{
  g_string_free (d->changes, TRUE);
  g_string_free (d->received, TRUE);
  g_string_free (d->events, TRUE);
  gst_clear_object (&d->change_pad);
  gst_clear_object (&d->received_pad);
  g_mutex_clear (&d->lock);
  g_cond_clear (&d->cond);
}

static void
on_tone_change (GstElement * pc, GstPad * pad, const gchar * tone, Dtmf * d)
{
  g_mutex_lock (&d->lock);
  g_string_append_c (d->changes, *tone ? *tone : '|');
  gst_object_replace ((GstObject **) & d->change_pad, GST_OBJECT (pad));
  g_cond_broadcast (&d->cond);
  g_mutex_unlock (&d->lock);
}

static void
on_dtmf_received (GstElement * pc, GstPad * pad, const gchar * tone,
    guint duration, Dtmf * d)
{
  g_mutex_lock (&d->lock);
  g_string_append_printf (d->received, "%s:%u ", tone, duration);
  gst_object_replace ((GstObject **) & d->received_pad, GST_OBJECT (pad));
  g_cond_broadcast (&d->cond);
  g_mutex_unlock (&d->lock);
}

static GstPadProbeReturn
dtmf_event_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Dtmf *d = user_data;
  GstEvent *ev = GST_PAD_PROBE_INFO_EVENT (info);
  const GstStructure *s = gst_event_get_structure (ev);
  gint number = -1;
  gboolean start = FALSE;

  if (GST_EVENT_TYPE (ev) != GST_EVENT_CUSTOM_DOWNSTREAM
      || !gst_structure_has_name (s, "dtmf-event"))
    return GST_PAD_PROBE_OK;
  fail_unless (gst_structure_get_int (s, "number", &number));
  fail_unless (gst_structure_get_boolean (s, "start", &start));
  g_mutex_lock (&d->lock);
  g_string_append_printf (d->events, "%c%d", start ? '+' : '-', number);
  g_cond_broadcast (&d->cond);
  g_mutex_unlock (&d->lock);
  return GST_PAD_PROBE_OK;
}

static gboolean
wait_string (Dtmf * d, GString * str, const gchar * expected, guint timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_TIME_SPAN_SECOND;
  gboolean ok;

  g_mutex_lock (&d->lock);
  while (strcmp (str->str, expected) != 0 && strlen (str->str) <
      strlen (expected)) {
    if (!g_cond_wait_until (&d->cond, &d->lock, deadline))
      break;
  }
  ok = strcmp (str->str, expected) == 0;
  g_mutex_unlock (&d->lock);
  return ok;
}

static GstPad *
first_pad (GstElement * pc, GstPadDirection dir)
{
  GstIterator *it = dir == GST_PAD_SINK ? gst_element_iterate_sink_pads (pc)
      : gst_element_iterate_src_pads (pc);
  GValue v = G_VALUE_INIT;
  GstPad *pad = NULL;

  if (gst_iterator_next (it, &v) == GST_ITERATOR_OK) {
    pad = g_value_dup_object (&v);
    g_value_unset (&v);
  }
  gst_iterator_free (it);
  return pad;
}

static gboolean
insert (GstElement * pc, GstPad * pad, const gchar * tones, guint duration,
    guint gap)
{
  gboolean ok = FALSE;

  g_signal_emit_by_name (pc, "insert-dtmf", pad, tones, duration, gap, &ok);
  return ok;
}

static Call *
audio_call (const gchar * f0, const gchar * f1)
{
  Call *call = call_new (f0, f1, FALSE);

  call->send_video = FALSE;
  call_start (call);
  fail_unless (call_wait_media (call, 0, AUDIO, TIMEOUT),
      "%s -> %s: audio did not flow (%s): %d/%d", f0, f1,
      call->error ? call->error : "timeout", call->peer[0].audio_buffers,
      call->peer[1].audio_buffers);
  return call;
}

/* Peer 0 sends "1234#" to peer 1; both rtcpeerbin. */
GST_START_TEST (test_dtmf_rtcpeerbin)
{
  Call *call = audio_call ("rtcpeerbin", "rtcpeerbin");
  GstElement *tx = call->peer[0].pc, *rx = call->peer[1].pc;
  GstPad *sink = first_pad (tx, GST_PAD_SINK);
  GstPad *src = first_pad (rx, GST_PAD_SRC);
  gchar *buffer = NULL;
  gint audio_before;
  Dtmf d;

  dtmf_init (&d);
  fail_unless (sink != NULL && src != NULL);
  g_signal_connect (tx, "on-tone-change", G_CALLBACK (on_tone_change), &d);
  g_signal_connect (rx, "on-dtmf-received", G_CALLBACK (on_dtmf_received),
      &d);
  gst_pad_add_probe (src, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
      dtmf_event_probe, &d, NULL);

  /* Refused, and nothing queued: bad characters, a src pad, no pad. */
  fail_if (insert (tx, sink, "12E4", 100, 70));
  fail_if (insert (tx, sink, "1 2", 100, 70));
  fail_if (insert (rx, src, "1", 100, 70));
  fail_if (insert (tx, NULL, "1", 100, 70));
  g_signal_emit_by_name (tx, "get-dtmf-tone-buffer", sink, &buffer);
  fail_unless_equals_string (buffer, "");
  g_free (buffer);

  audio_before = g_atomic_int_get (&call->peer[1].audio_buffers);
  fail_unless (insert (tx, sink, "1234#", 100, 70));
  fail_unless (wait_string (&d, d.changes, "1234#|", TIMEOUT),
      "on-tone-change: \"%s\"", d.changes->str);
  fail_unless (wait_string (&d, d.received, "1:100 2:100 3:100 4:100 #:100 ",
          TIMEOUT), "on-dtmf-received: \"%s\"", d.received->str);
  fail_unless (wait_string (&d, d.events, "+1-1+2-2+3-3+4-4+11-11",
          TIMEOUT), "dtmf-event: \"%s\"", d.events->str);
  fail_unless (d.change_pad == sink);
  fail_unless (d.received_pad == src);
  g_signal_emit_by_name (tx, "get-dtmf-tone-buffer", sink, &buffer);
  fail_unless_equals_string (buffer, "");
  g_free (buffer);

  /* The audio decodes on: the events took the place of packets, the
   * stream itself is whole. */
  fail_unless (call_wait_media (call, 0, audio_before + 2 * AUDIO, TIMEOUT));
  fail_if (call->error, "%s", call->error);

  /* The other direction, and a second burst after the first. */
  {
    GstPad *sink1 = first_pad (rx, GST_PAD_SINK);
    GstPad *src0 = first_pad (tx, GST_PAD_SRC);
    Dtmf back;

    dtmf_init (&back);
    g_signal_connect (rx, "on-tone-change", G_CALLBACK (on_tone_change),
        &back);
    g_signal_connect (tx, "on-dtmf-received", G_CALLBACK (on_dtmf_received),
        &back);
    /* lower case is taken (W3C) and reported upper case */
    fail_unless (insert (rx, sink1, "a*", 40, 30));
    fail_unless (wait_string (&back, back.changes, "A*|", TIMEOUT),
        "on-tone-change: \"%s\"", back.changes->str);
    fail_unless (wait_string (&back, back.received, "A:40 *:40 ", TIMEOUT),
        "on-dtmf-received: \"%s\"", back.received->str);
    fail_unless (back.received_pad == src0);
    g_signal_handlers_disconnect_by_data (rx, &back);
    g_signal_handlers_disconnect_by_data (tx, &back);
    dtmf_clear (&back);
    gst_object_unref (sink1);
    gst_object_unref (src0);
  }

  g_signal_handlers_disconnect_by_data (tx, &d);
  g_signal_handlers_disconnect_by_data (rx, &d);
  call_free (call);
  gst_object_unref (sink);
  gst_object_unref (src);
  dtmf_clear (&d);
}

GST_END_TEST;

/* webrtcbin receives. webrtcbin 1.22 answers with one codec only, so it
 * offers: a recvonly transceiver whose codec preferences name Opus and
 * telephone-event at 48000 Hz; rtcpeerbin answers with both and sends the
 * tones, and the rtpdtmfdepay that decodebin puts behind webrtcbin's
 * telephone-event pad posts a "dtmf-event" per tone. */
GST_START_TEST (test_dtmf_to_webrtcbin)
{
  Call *call = call_new ("webrtcbin", "rtcpeerbin", FALSE);
  GstElement *rx = call->peer[0].pc, *tx = call->peer[1].pc;
  GstWebRTCRTPTransceiver *trans = NULL;
  GstCaps *prefs;
  GstPad *sink;
  GstBus *bus;
  GString *heard = g_string_new (NULL);
  gint64 deadline;
  Dtmf d;

  dtmf_init (&d);
  call->send_video = call->send_audio = FALSE;
  sink = call_add_sender (call, 1, FALSE, NULL);
  prefs = gst_caps_from_string ("application/x-rtp,media=audio,"
      "encoding-name=OPUS,clock-rate=48000,payload=111,"
      "encoding-params=(string)2;application/x-rtp,media=audio,"
      "encoding-name=TELEPHONE-EVENT,clock-rate=48000,payload=101");
  g_signal_emit_by_name (rx, "add-transceiver",
      GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY, prefs, &trans);
  fail_unless (trans != NULL);
  gst_object_unref (trans);
  gst_caps_unref (prefs);
  g_signal_connect (tx, "on-tone-change", G_CALLBACK (on_tone_change), &d);

  call_start (call);
  fail_unless (call_wait_track_frames (call, 0, 0, AUDIO, TIMEOUT),
      "webrtcbin decoded no audio (%s)", call->error ? call->error : "");

  fail_unless (insert (tx, sink, "1234#", 100, 70));
  bus = gst_element_get_bus (call->pipeline);
  deadline = g_get_monotonic_time () + TIMEOUT * G_TIME_SPAN_SECOND;
  while (heard->len < 5 && g_get_monotonic_time () < deadline) {
    GstMessage *msg = gst_bus_timed_pop_filtered (bus, 100 * GST_MSECOND,
        GST_MESSAGE_ELEMENT);
    const GstStructure *s;
    gint number;

    if (!msg)
      continue;
    s = gst_message_get_structure (msg);
    if (gst_structure_has_name (s, "dtmf-event")
        && gst_structure_get_int (s, "number", &number))
      g_string_append_c (heard, "0123456789*#ABCD"[number & 15]);
    gst_message_unref (msg);
  }
  gst_object_unref (bus);
  fail_unless_equals_string (heard->str, "1234#");
  fail_unless (wait_string (&d, d.changes, "1234#|", TIMEOUT),
      "on-tone-change: \"%s\"", d.changes->str);
  fail_if (call->error, "%s", call->error);

  g_signal_handlers_disconnect_by_data (tx, &d);
  call_free (call);
  gst_object_unref (sink);
  g_string_free (heard, TRUE);
  dtmf_clear (&d);
}

GST_END_TEST;

/* webrtcbin answers without telephone-event when its codecs do not name
 * it (its sink pad's caps are Opus only): the call goes on, and
 * insert-dtmf refuses, having nothing to send with. */
GST_START_TEST (test_dtmf_webrtcbin_without_telephone_event)
{
  Call *call = audio_call ("rtcpeerbin", "webrtcbin");
  GstPad *sink = first_pad (call->peer[0].pc, GST_PAD_SINK);

  fail_if (insert (call->peer[0].pc, sink, "1", 100, 70));
  fail_if (call->error, "%s", call->error);
  call_free (call);
  gst_object_unref (sink);
}

GST_END_TEST;

static Suite *
dtmf_suite (void)
{
  Suite *s = suite_create ("dtmf");
  TCase *tc = tcase_create ("general");

  tcase_set_timeout (tc, 120);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_dtmf_rtcpeerbin);
  tcase_add_test (tc, test_dtmf_to_webrtcbin);
  tcase_add_test (tc, test_dtmf_webrtcbin_without_telephone_event);
  return s;
}

GST_CHECK_MAIN (dtmf);
