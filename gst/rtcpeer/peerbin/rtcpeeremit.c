/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Queue-then-emit on the ops thread: see rtcpeeremit.h. The source has
 * the operations' priority, so a flood of messages and the operations
 * take turns. */

#include "rtcpeeremit.h"

struct _RtcPeerEmitter
{
  RtcPeerOps *ops;
  gpointer owner;
  /* Made ready (from any thread) when something is queued: no allocation
   * and no operation per burst, so a stream of data channel messages
   * costs one wakeup of the ops thread per burst. */
  GSource *source;
  GMutex lock;
  GQueue queue;                 /* Emission; lock */
  gboolean scheduled;           /* the source is ready or flushing; lock */
  gboolean stopped;             /* lock */
  gboolean flushing;            /* ops thread only */
};

typedef struct
{
  RtcPeerEmitFunc func;
  gpointer data;
  GDestroyNotify destroy;
} Emission;

static void
emission_free (gpointer data)
{
  Emission *e = data;

  if (e->destroy)
    e->destroy (e->data);
  g_free (e);
}

static gboolean
emitter_dispatch (GSource * source, GSourceFunc callback, gpointer user_data)
{
  g_source_set_ready_time (source, -1);
  rtc_peer_emitter_flush (user_data);
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs emitter_funcs = {
  NULL, NULL, emitter_dispatch, NULL,
};

RtcPeerEmitter *
rtc_peer_emitter_new (RtcPeerOps * ops, gpointer owner)
{
  RtcPeerEmitter *emitter = g_new0 (RtcPeerEmitter, 1);

  emitter->ops = ops;
  emitter->owner = owner;
  g_mutex_init (&emitter->lock);
  g_queue_init (&emitter->queue);
  emitter->source = g_source_new (&emitter_funcs, sizeof (GSource));
  g_source_set_callback (emitter->source, NULL, emitter, NULL);
  g_source_set_ready_time (emitter->source, -1);
  g_source_set_name (emitter->source, "rtc-peer-emitter");
  g_source_attach (emitter->source, rtc_peer_ops_get_context (ops));
  return emitter;
}

void
rtc_peer_emitter_free (RtcPeerEmitter * emitter)
{
  if (!emitter)
    return;
  rtc_peer_emitter_stop (emitter);
  g_source_unref (emitter->source);
  g_queue_clear_full (&emitter->queue, emission_free);
  g_mutex_clear (&emitter->lock);
  g_free (emitter);
}

void
rtc_peer_emitter_stop (RtcPeerEmitter * emitter)
{
  GQueue dropped;

  g_mutex_lock (&emitter->lock);
  if (emitter->stopped) {
    g_mutex_unlock (&emitter->lock);
    return;
  }
  emitter->stopped = TRUE;
  dropped = emitter->queue;
  g_queue_init (&emitter->queue);
  g_mutex_unlock (&emitter->lock);
  g_source_destroy (emitter->source);
  g_queue_clear_full (&dropped, emission_free);
}

void
rtc_peer_emitter_push (RtcPeerEmitter * emitter, RtcPeerEmitFunc func,
    gpointer data, GDestroyNotify destroy)
{
  Emission *e = g_new (Emission, 1);
  gboolean schedule;

  e->func = func;
  e->data = data;
  e->destroy = destroy;
  g_mutex_lock (&emitter->lock);
  if (emitter->stopped) {
    g_mutex_unlock (&emitter->lock);
    emission_free (e);
    return;
  }
  g_queue_push_tail (&emitter->queue, e);
  /* The first one wakes the ops thread (a lone message is not delayed);
   * what comes before it has run joins the same batch. */
  schedule = !emitter->scheduled;
  emitter->scheduled = TRUE;
  g_mutex_unlock (&emitter->lock);
  if (schedule)
    g_source_set_ready_time (emitter->source, 0);
}

void
rtc_peer_emitter_flush (RtcPeerEmitter * emitter)
{
  GQueue batch = G_QUEUE_INIT;
  Emission *e;

  g_return_if_fail (rtc_peer_ops_is_current_thread (emitter->ops));

  /* A handler that makes the bin emit more (from inside this loop) gets
   * its emissions after the rest of the batch, in order. */
  if (emitter->flushing)
    return;
  emitter->flushing = TRUE;
  while (TRUE) {
    /* What is pushed while a batch is emitted joins the next one without
     * waking the source again. */
    g_mutex_lock (&emitter->lock);
    batch = emitter->queue;
    g_queue_init (&emitter->queue);
    if (g_queue_is_empty (&batch))
      emitter->scheduled = FALSE;
    g_mutex_unlock (&emitter->lock);
    if (g_queue_is_empty (&batch))
      break;
    while ((e = g_queue_pop_head (&batch))) {
      e->func (emitter->owner, e->data);
      emission_free (e);
    }
  }
  emitter->flushing = FALSE;
}
