/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Senders: an appsrc per stream pushing pre-built RTP packets (Opus-like
 * audio or VP8-like video, correct headers, no encoder) into a request
 * pad of the bin, and one pacer thread that pushes them on a clock. */

#include <string.h>
#include <time.h>

#include "bench.h"

static GstPadProbeReturn
count_tx (GstPad * pad, GstPadProbeInfo * info, BenchPeer * peer)
{
  gint64 n = 1;

  if (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST)
    n = gst_buffer_list_length (GST_PAD_PROBE_INFO_BUFFER_LIST (info));
  __atomic_add_fetch (&peer->tx_packets, n, __ATOMIC_RELAXED);
  return GST_PAD_PROBE_OK;
}

struct _BenchStream
{
  BenchPeer *peer;
  GstElement *appsrc;
  GstPad *sinkpad;              /* the bin's request pad */
  BenchSendKind kind;
  guint size;
  guint clock_rate;
  guint8 *tmpl;                 /* a whole packet; seq and ts are patched */
  guint16 seq;
  guint32 ts_base;
  gint64 t0;
  guint64 offered;
  gdouble rate;
};

#define AUDIO_SIZE 100
#define VIDEO_SIZE 1200

static void
on_caps (GstPad * pad, GParamSpec * pspec, gpointer unused)
{
  bench_broadcast ();
}

BenchStream *
bench_stream_new (BenchPeer * peer, BenchSendKind kind, gboolean flood)
{
  BenchStream *s = g_new0 (BenchStream, 1);
  gboolean video = kind == BENCH_SEND_VIDEO;
  GstCaps *caps;
  GstPad *srcpad;
  guint32 ssrc = g_random_int ();
  guint i;

  s->peer = peer;
  s->kind = kind;
  s->size = video ? VIDEO_SIZE : AUDIO_SIZE;
  s->clock_rate = video ? 90000 : 48000;
  s->seq = g_random_int_range (0, 65536);
  s->ts_base = g_random_int ();
  s->tmpl = g_malloc (s->size);
  s->tmpl[0] = 0x80;
  s->tmpl[1] = video ? 96 : 111;
  GST_WRITE_UINT32_BE (s->tmpl + 8, ssrc);
  /* Payload: a VP8 descriptor (start of partition) or an Opus TOC byte
   * (CELT FB 20 ms), then filler that looks like coded data. */
  s->tmpl[12] = video ? 0x10 : 0xfc;
  for (i = 13; i < s->size; i++)
    s->tmpl[i] = (guint8) (i * 37 + 11);

  caps = video ?
      gst_caps_from_string ("application/x-rtp,media=video,"
      "encoding-name=VP8,payload=96,clock-rate=90000") :
      gst_caps_from_string ("application/x-rtp,media=audio,"
      "encoding-name=OPUS,payload=111,clock-rate=48000,encoding-params=2");
  s->appsrc = gst_element_factory_make ("appsrc", NULL);
  g_object_set (s->appsrc, "caps", caps, "is-live", TRUE, "format",
      GST_FORMAT_TIME, "do-timestamp", TRUE, "block", flood, NULL);
  gst_caps_unref (caps);
  /* A sender never waits for the bin unless it floods: a full queue drops
   * its oldest packet, as a live source would lose it. */
  gst_app_src_set_max_bytes (GST_APP_SRC (s->appsrc), 256 * 1024 * 1024);
  gst_app_src_set_max_buffers (GST_APP_SRC (s->appsrc), video ? 2000 : 10);
  if (!flood)
    gst_app_src_set_leaky_type (GST_APP_SRC (s->appsrc),
        GST_APP_LEAKY_TYPE_DOWNSTREAM);
  else
    gst_app_src_set_max_buffers (GST_APP_SRC (s->appsrc), 64);
  gst_bin_add (GST_BIN (peer->pair->pipeline), s->appsrc);

  s->sinkpad = gst_element_request_pad_simple (peer->pc, "sink_%u");
  g_assert (s->sinkpad);
  g_signal_connect (s->sinkpad, "notify::caps", G_CALLBACK (on_caps), NULL);
  gst_pad_add_probe (s->sinkpad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST, (GstPadProbeCallback) count_tx, peer,
      NULL);
  srcpad = gst_element_get_static_pad (s->appsrc, "src");
  if (gst_pad_link (srcpad, s->sinkpad) != GST_PAD_LINK_OK)
    g_error ("could not link a sender to %s", peer->pair->cfg.element);
  gst_object_unref (srcpad);
  return s;
}

void
bench_stream_free (BenchStream * s)
{
  if (!s)
    return;
  g_signal_handlers_disconnect_by_func (s->sinkpad, on_caps, NULL);
  gst_object_unref (s->sinkpad);
  g_free (s->tmpl);
  g_free (s);
}

gboolean
bench_stream_has_caps (BenchStream * s)
{
  return gst_pad_has_current_caps (s->sinkpad);
}

static void
stream_push (BenchStream * s, gint64 now)
{
  GstBuffer *b = gst_buffer_new_allocate (NULL, s->size, NULL);
  GstMapInfo map;
  guint32 ts;

  /* Audio: 20 ms per packet; video: the sender's clock at 90 kHz. */
  if (s->kind == BENCH_SEND_AUDIO)
    ts = s->ts_base + (guint32) (s->offered * 960);
  else
    ts = s->ts_base + (guint32) ((now - s->t0) * 9 / 100);
  gst_buffer_map (b, &map, GST_MAP_WRITE);
  memcpy (map.data, s->tmpl, s->size);
  GST_WRITE_UINT16_BE (map.data + 2, s->seq);
  GST_WRITE_UINT32_BE (map.data + 4, ts);
  gst_buffer_unmap (b, &map);
  s->seq++;
  s->offered++;
  gst_app_src_push_buffer (GST_APP_SRC (s->appsrc), b);
}

struct _BenchPacer
{
  GPtrArray *streams;           /* BenchStream, not owned */
  GThread *thread;
  gint running;
  guint64 offered;
};

BenchPacer *
bench_pacer_new (void)
{
  BenchPacer *p = g_new0 (BenchPacer, 1);

  p->streams = g_ptr_array_new ();
  return p;
}

void
bench_pacer_add (BenchPacer * pacer, BenchStream * s, gdouble rate)
{
  g_assert (!pacer->thread);
  s->rate = rate;
  g_ptr_array_add (pacer->streams, s);
}

static gpointer
pacer_run (gpointer data)
{
  BenchPacer *p = data;
  gdouble max_rate = 0;
  gint64 start = bench_now (), tick, next;
  guint i;

  for (i = 0; i < p->streams->len; i++) {
    BenchStream *s = g_ptr_array_index (p->streams, i);

    /* Streams start at random phases, as independent sources would. */
    s->t0 = start + (s->rate > 0 ? g_random_double () * 1e6 / s->rate : 0);
    s->offered = 0;
    max_rate = MAX (max_rate, s->rate);
  }
  if (p->streams->len == 1 &&
      ((BenchStream *) g_ptr_array_index (p->streams, 0))->rate == 0) {
    BenchStream *s = g_ptr_array_index (p->streams, 0);

    /* Flood: the appsrc blocks when its queue is full. */
    while (g_atomic_int_get (&p->running))
      stream_push (s, bench_now ());
    p->offered = s->offered;
    return NULL;
  }
  /* A quarter of the shortest interval, between 0.5 and 5 ms. */
  tick = max_rate > 0 ? CLAMP ((gint64) (250000 / max_rate), 500, 5000) : 5000;
  next = start;
  while (g_atomic_int_get (&p->running)) {
    gint64 now = bench_now ();
    struct timespec ts;

    for (i = 0; i < p->streams->len; i++) {
      BenchStream *s = g_ptr_array_index (p->streams, i);
      gdouble due;

      if (s->rate <= 0 || now < s->t0)
        continue;
      due = (now - s->t0) * s->rate / 1e6 + 1;
      while (s->offered < due)
        stream_push (s, now);
    }
    next += tick;
    if (next < now)
      next = now + tick;
    ts.tv_sec = next / G_USEC_PER_SEC;
    ts.tv_nsec = (next % G_USEC_PER_SEC) * 1000;
    clock_nanosleep (CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
  }
  for (i = 0; i < p->streams->len; i++)
    p->offered += ((BenchStream *) g_ptr_array_index (p->streams, i))->offered;
  return NULL;
}

void
bench_pacer_start (BenchPacer * pacer)
{
  g_atomic_int_set (&pacer->running, 1);
  pacer->thread = g_thread_new ("bench-pacer", pacer_run, pacer);
}

guint64
bench_pacer_stop (BenchPacer * pacer)
{
  if (pacer->thread) {
    g_atomic_int_set (&pacer->running, 0);
    g_thread_join (pacer->thread);
    pacer->thread = NULL;
  }
  return pacer->offered;
}

void
bench_pacer_free (BenchPacer * pacer)
{
  bench_pacer_stop (pacer);
  g_ptr_array_unref (pacer->streams);
  g_free (pacer);
}

