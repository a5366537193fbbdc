/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Queue-then-emit on the ops thread: see rtcpeeremit.h. A burst is one
 * operation in the bin's queue, so a flood of messages and the operations
 * take turns. */

#include "rtcpeeremit.h"

struct _RtcPeerEmitter
{
  RtcPeerOps *ops;
  gpointer owner;
  /* One operation (from any thread) when something is queued, not one
   * per message: a stream of data channel messages costs one wakeup of
   * the ops thread per burst. The ops are freed before the emitter
   * (rtcpeerbin's dispose), so an operation queued never outlives it. */
  GMutex lock;
  GQueue queue;                 /* Emission; lock */
  gboolean scheduled;           /* an operation is queued or flushing; lock */
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

static GstStructure *
emitter_op (gpointer owner, gpointer data)
{
  RtcPeerEmitter *emitter = data;
  gboolean stopped;

  g_mutex_lock (&emitter->lock);
  stopped = emitter->stopped;
  g_mutex_unlock (&emitter->lock);
  if (!stopped)
    rtc_peer_emitter_flush (emitter);
  return NULL;
}

RtcPeerEmitter *
rtc_peer_emitter_new (RtcPeerOps * ops, gpointer owner)
{
  RtcPeerEmitter *emitter = g_new0 (RtcPeerEmitter, 1);

  emitter->ops = ops;
  emitter->owner = owner;
  g_mutex_init (&emitter->lock);
  g_queue_init (&emitter->queue);
  return emitter;
}

void
rtc_peer_emitter_free (RtcPeerEmitter * emitter)
{
  if (!emitter)
    return;
  rtc_peer_emitter_stop (emitter);
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
    rtc_peer_ops_enqueue (emitter->ops, emitter_op, NULL, emitter, NULL,
        NULL);
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
     * queueing another operation. */
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
