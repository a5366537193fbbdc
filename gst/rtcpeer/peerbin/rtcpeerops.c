/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "rtcpeerops.h"

#include <gst/webrtc/webrtc.h>
#include <stdlib.h>
#include <openssl/crypto.h>

/* The bins' queues share a pool of "rtc-pc-ops" threads. A bin with
 * something to run is handed to one worker, which runs its queue until it
 * is empty: one worker per bin at a time keeps each bin's order. Up to
 * POOL_MAX_THREADS workers start as bins become ready; beyond that a
 * watcher starts one more whenever ready bins wait POOL_STALL_TIME
 * without any being taken, so an application handler that blocks holds
 * only its own bin. Idle workers beyond POOL_IDLE_KEEP leave after
 * POOL_IDLE_TIME: a process with many quiet bins has a few ops threads,
 * not one per bin. */
struct _RtcPeerOps
{
  GMutex lock;
  GCond cond;
  gchar *thread_name;
  /* protected by lock */
  gboolean closing;
  gboolean scheduled;           /* handed to the pool or running */
  gboolean free_on_return;      /* freed from its own worker */
  GQueue queue;                 /* RtcPeerOp, not run yet */
  guint64 next_seq;
  guint64 current_seq;          /* of the op running now, 0 when none */
  GThread *runner;              /* the worker running this queue; atomic */
};

typedef struct
{
  RtcPeerOps *ops;
  RtcPeerOpFunc func;
  gpointer owner;
  gpointer data;
  GDestroyNotify destroy;
  GstPromise *promise;
  guint64 seq;
  gboolean application;
  gboolean cancelled;           /* ops->lock; answered by rtc_peer_ops_cancel */
  GList link;                   /* in ops->queue */
} RtcPeerOp;

static void
op_free (RtcPeerOp * op)
{
  /* An op dropped without running still owes its caller an answer. */
  if (op->promise) {
    gst_promise_reply (op->promise,
        rtc_peer_error_reply (GST_WEBRTC_ERROR,
            GST_WEBRTC_ERROR_INVALID_STATE,
            "The peer connection was closed before the operation ran"));
    gst_promise_unref (op->promise);
  }
  if (op->destroy)
    op->destroy (op->data);
  g_free (op);
}

/* Bins being released on threads of their own. OpenSSL may free its
 * global state from an atexit() handler (rtcopenssl.c), which must not
 * run while one of these
 * still frees DTLS sessions (https://github.com/openssl/openssl/issues/6214):
 * a script that drops its pipeline and exits at once would crash on the
 * way out. */
static GMutex releases_lock;
static GCond releases_cond;
static guint releases;

#define RELEASE_WAIT_AT_EXIT (5 * G_TIME_SPAN_SECOND)

static void
wait_for_releases (void)
{
  gint64 deadline = g_get_monotonic_time () + RELEASE_WAIT_AT_EXIT;

  g_mutex_lock (&releases_lock);
  while (releases > 0
      && g_cond_wait_until (&releases_cond, &releases_lock, deadline));
  g_mutex_unlock (&releases_lock);
}

static void
register_exit_wait (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once)) {
    /* The plugin initialised OpenSSL without an atexit cleanup, unless
     * something else in the process initialised it first and OpenSSL
     * registered one then. Handlers run in reverse order, so ours,
     * registered after, runs before it. */
    OPENSSL_init_crypto (0, NULL);
    atexit (wait_for_releases);
    g_once_init_leave (&once, 1);
  }
}

static gpointer
unref_elsewhere (gpointer owner)
{
  g_object_unref (owner);
  OPENSSL_thread_stop ();
  g_mutex_lock (&releases_lock);
  releases--;
  g_cond_broadcast (&releases_cond);
  g_mutex_unlock (&releases_lock);
  return NULL;
}

/* Drops the reference op_run took. When it is the last one the owner is
 * disposed, and its dispose stops this very thread: that must happen on
 * another thread, which can wait for this one to finish. */
static void
release_owner (GObject * owner)
{
  gint old;

  do {
    old = g_atomic_int_get ((gint *) & owner->ref_count);
    if (old <= 1) {
      register_exit_wait ();
      g_mutex_lock (&releases_lock);
      releases++;
      g_mutex_unlock (&releases_lock);
      g_thread_unref (g_thread_new ("rtc-pc-release", unref_elsewhere,
              owner));
      return;
    }
    /* Going to one reference is where toggle references (language
     * bindings) are told they are alone: that needs g_object_unref (). */
    if (old == 2) {
      g_object_unref (owner);
      return;
    }
  } while (!g_atomic_int_compare_and_exchange ((gint *) & owner->ref_count,
          old, old - 1));
}

/* Runs one op on the worker holding @ops; called without ops->lock. */
static void
op_run (RtcPeerOps * ops, RtcPeerOp * op)
{
  GstStructure *reply;
  GstPromise *promise;
  GObject *owner;

  /* The op may emit signals whose handlers drop the application's last
   * reference; holding one here keeps the owner alive through the op. */
  owner = G_IS_OBJECT (op->owner) ? g_object_ref (op->owner) : NULL;
  reply = op->func (op->owner, op->data);
  promise = g_steal_pointer (&op->promise);
  if (promise) {
    gst_promise_reply (promise, reply);
    gst_promise_unref (promise);
  } else if (reply) {
    gst_structure_free (reply);
  }
  op_free (op);

  /* Answered: a cancel waiting for this op may return now. */
  g_mutex_lock (&ops->lock);
  ops->current_seq = 0;
  g_cond_broadcast (&ops->cond);
  g_mutex_unlock (&ops->lock);
  if (owner)
    release_owner (owner);
}

static void ops_destroy (RtcPeerOps * ops);

/* On a pool worker: runs @ops' queue until it is empty. */
static void
ops_run_queue (RtcPeerOps * ops)
{
  RtcPeerOp *op;
  gboolean free_now;

  g_atomic_pointer_set (&ops->runner, g_thread_self ());
  g_mutex_lock (&ops->lock);
  while (TRUE) {
    GList *l = g_queue_pop_head_link (&ops->queue);

    if (!l)
      break;
    op = l->data;
    if (op->cancelled || ops->free_on_return) {
      /* Answered by rtc_peer_ops_cancel (); freed here, where its data
       * would have been used. */
      g_mutex_unlock (&ops->lock);
      op_free (op);
      g_mutex_lock (&ops->lock);
      continue;
    }
    ops->current_seq = op->seq;
    g_mutex_unlock (&ops->lock);
    op_run (ops, op);
    g_mutex_lock (&ops->lock);
  }
  ops->scheduled = FALSE;
  g_atomic_pointer_set (&ops->runner, NULL);
  free_now = ops->free_on_return;
  g_cond_broadcast (&ops->cond);
  g_mutex_unlock (&ops->lock);
  if (free_now)
    ops_destroy (ops);
}

#define POOL_IDLE_KEEP 2
#define POOL_IDLE_TIME (5 * G_TIME_SPAN_SECOND)
/* Workers started at once when bins become ready together (a burst of
 * negotiations). More start only when a ready bin has waited
 * POOL_STALL_TIME without any worker taking a bin: the workers are then
 * blocked (in application handlers), not busy. */
#define POOL_MAX_THREADS 4
#define POOL_STALL_TIME (50 * G_TIME_SPAN_MILLISECOND)

static GMutex pool_lock;
static GCond pool_cond;
static GCond pool_watch_cond;
static GQueue pool_ready = G_QUEUE_INIT;        /* RtcPeerOps; pool_lock */
static guint pool_idle;         /* pool_lock */
static guint pool_threads;      /* pool_lock */
static guint64 pool_taken;      /* bins taken from pool_ready; pool_lock */
static GThread *pool_watch;     /* pool_lock */

static gpointer
pool_worker (gpointer user_data)
{
  RtcPeerOps *ops;
  gint64 deadline;
  gboolean timed_out;

  g_mutex_lock (&pool_lock);
  while (TRUE) {
    if ((ops = g_queue_pop_head (&pool_ready))) {
      pool_taken++;
      g_mutex_unlock (&pool_lock);
      ops_run_queue (ops);
      g_mutex_lock (&pool_lock);
      continue;
    }
    deadline = g_get_monotonic_time () + POOL_IDLE_TIME;
    pool_idle++;
    timed_out = !g_cond_wait_until (&pool_cond, &pool_lock, deadline);
    pool_idle--;
    if (timed_out && g_queue_is_empty (&pool_ready)
        && pool_idle >= POOL_IDLE_KEEP)
      break;
  }
  pool_threads--;
  g_mutex_unlock (&pool_lock);
  /* OpenSSL keeps per-thread random generators (used here for ICE
   * credentials and certificates); hand them back before the thread
   * goes. */
  OPENSSL_thread_stop ();
  return NULL;
}

/* With pool_lock held. FALSE when the system has no thread to give. */
static gboolean
pool_start_worker (void)
{
  GError *error = NULL;
  GThread *thread;

  thread = g_thread_try_new ("rtc-pc-ops", pool_worker, NULL, &error);
  if (!thread) {
    g_warning ("rtcpeerbin: no new operations thread: %s", error->message);
    g_clear_error (&error);
    return FALSE;
  }
  pool_threads++;
  g_thread_unref (thread);
  return TRUE;
}

/* One thread for the whole process: starts a worker beyond
 * POOL_MAX_THREADS when the ready bins stopped moving, so that a blocked
 * handler holds only its own bin. */
static gpointer
pool_watcher (gpointer user_data)
{
  guint64 taken;
  gint64 deadline;

  g_mutex_lock (&pool_lock);
  while (TRUE) {
    if (g_queue_is_empty (&pool_ready)) {
      g_cond_wait (&pool_watch_cond, &pool_lock);
      continue;
    }
    taken = pool_taken;
    deadline = g_get_monotonic_time () + POOL_STALL_TIME;
    while (g_cond_wait_until (&pool_watch_cond, &pool_lock, deadline));
    if (!g_queue_is_empty (&pool_ready) && pool_taken == taken
        && pool_idle == 0)
      pool_start_worker ();
  }
  g_mutex_unlock (&pool_lock);
  return NULL;
}

/* Called with ops->lock held, when @ops was not scheduled. */
static void
pool_schedule (RtcPeerOps * ops)
{
  ops->scheduled = TRUE;
  g_mutex_lock (&pool_lock);
  g_queue_push_tail (&pool_ready, ops);
  if (pool_idle >= g_queue_get_length (&pool_ready)) {
    g_cond_signal (&pool_cond);
  } else if (pool_threads >= POOL_MAX_THREADS || !pool_start_worker ()) {
    /* A worker takes it when it is done with its bin, or the watcher
     * starts one if none is. */
    g_cond_signal (&pool_cond);
    if (!pool_watch)
      pool_watch = g_thread_new ("rtc-pc-watch", pool_watcher, NULL);
    g_cond_signal (&pool_watch_cond);
  }
  g_mutex_unlock (&pool_lock);
}

RtcPeerOps *
rtc_peer_ops_new (const gchar * thread_name)
{
  RtcPeerOps *ops = g_new0 (RtcPeerOps, 1);

  g_mutex_init (&ops->lock);
  g_cond_init (&ops->cond);
  g_queue_init (&ops->queue);
  ops->thread_name = g_strdup (thread_name);
  return ops;
}

static void
ops_destroy (RtcPeerOps * ops)
{
  g_mutex_clear (&ops->lock);
  g_cond_clear (&ops->cond);
  g_free (ops->thread_name);
  g_free (ops);
}

void
rtc_peer_ops_free (RtcPeerOps * ops)
{
  if (!ops)
    return;

  /* The application's ops are answered now and never run; the bin's own
   * run (they see a closed connection) before this returns. Ops enqueued
   * from now on are refused. */
  rtc_peer_ops_cancel (ops, "The peer connection was disposed before the "
      "operation ran");
  g_mutex_lock (&ops->lock);
  ops->closing = TRUE;
  if (rtc_peer_ops_is_current_thread (ops)) {
    /* Its worker frees it when the op running now returns. */
    ops->free_on_return = TRUE;
    g_mutex_unlock (&ops->lock);
    return;
  }
  while (ops->scheduled)
    g_cond_wait (&ops->cond, &ops->lock);
  g_mutex_unlock (&ops->lock);
  ops_destroy (ops);
}

static void
enqueue (RtcPeerOps * ops, RtcPeerOpFunc func, gpointer owner,
    gpointer data, GDestroyNotify destroy, GstPromise * promise,
    gboolean application)
{
  RtcPeerOp *op;
  gboolean closing;

  op = g_new0 (RtcPeerOp, 1);
  op->ops = ops;
  op->func = func;
  op->owner = owner;
  op->data = data;
  op->destroy = destroy;
  op->promise = promise ? gst_promise_ref (promise) : NULL;
  op->application = application;
  op->link.data = op;

  g_mutex_lock (&ops->lock);
  closing = ops->closing;
  op->seq = ++ops->next_seq;
  if (!closing) {
    g_queue_push_tail_link (&ops->queue, &op->link);
    if (!ops->scheduled)
      pool_schedule (ops);
  }
  g_mutex_unlock (&ops->lock);
  if (closing)
    op_free (op);
}

void
rtc_peer_ops_enqueue (RtcPeerOps * ops, RtcPeerOpFunc func, gpointer owner,
    gpointer data, GDestroyNotify destroy, GstPromise * promise)
{
  enqueue (ops, func, owner, data, destroy, promise, FALSE);
}

void
rtc_peer_ops_enqueue_app (RtcPeerOps * ops, RtcPeerOpFunc func,
    gpointer owner, gpointer data, GDestroyNotify destroy,
    GstPromise * promise)
{
  enqueue (ops, func, owner, data, destroy, promise, TRUE);
}

/* A bounded wait: an op blocked in an application's signal handler that
 * waits for the thread cancelling (its state lock, say) must not hang
 * it for good. */
#define CANCEL_WAIT (10 * G_TIME_SPAN_SECOND)

void
rtc_peer_ops_cancel (RtcPeerOps * ops, const gchar * reason)
{
  GQueue cancelled = G_QUEUE_INIT;
  GstPromise *promise;
  RtcPeerOp *op;
  guint64 before;
  gint64 deadline = g_get_monotonic_time () + CANCEL_WAIT;
  GList *l;

  /* They stay queued: the worker finds them cancelled and only frees
   * them. Promises are answered here, without the lock: a promise
   * callback may enqueue again. */
  g_mutex_lock (&ops->lock);
  before = ops->next_seq;
  for (l = ops->queue.head; l; l = l->next) {
    op = l->data;
    if (!op->application || op->cancelled)
      continue;
    op->cancelled = TRUE;
    if (op->promise)
      g_queue_push_tail (&cancelled, g_steal_pointer (&op->promise));
  }
  g_mutex_unlock (&ops->lock);

  while ((promise = g_queue_pop_head (&cancelled))) {
    gst_promise_reply (promise, rtc_peer_error_reply (GST_WEBRTC_ERROR,
            GST_WEBRTC_ERROR_INVALID_STATE, "%s", reason));
    gst_promise_unref (promise);
  }

  /* The op running now was queued before: it answers before we return. */
  if (rtc_peer_ops_is_current_thread (ops))
    return;
  g_mutex_lock (&ops->lock);
  while (ops->current_seq != 0 && ops->current_seq <= before)
    if (!g_cond_wait_until (&ops->cond, &ops->lock, deadline)) {
      g_warning ("rtcpeerbin: an operation did not finish within %d s of "
          "the element stopping: its promise is answered later",
          (gint) (CANCEL_WAIT / G_TIME_SPAN_SECOND));
      break;
    }
  g_mutex_unlock (&ops->lock);
}

typedef struct
{
  gint refcount;
  GMutex lock;
  GCond cond;
  gboolean done;
  RtcPeerOpFunc func;
  gpointer data;
} SyncData;

static void
sync_data_unref (SyncData * sd)
{
  if (g_atomic_int_dec_and_test (&sd->refcount)) {
    g_mutex_clear (&sd->lock);
    g_cond_clear (&sd->cond);
    g_free (sd);
  }
}

static GstStructure *
sync_op (gpointer owner, gpointer data)
{
  SyncData *sd = data;

  return sd->func ? sd->func (sd->data, NULL) : NULL;
}

/* Runs right after sync_op, or instead of it when the op is dropped at
 * shutdown; either way the waiter may go on. */
static void
sync_done (gpointer data)
{
  SyncData *sd = data;

  g_mutex_lock (&sd->lock);
  sd->done = TRUE;
  g_cond_broadcast (&sd->cond);
  g_mutex_unlock (&sd->lock);
  sync_data_unref (sd);
}

void
rtc_peer_ops_run_sync (RtcPeerOps * ops, RtcPeerOpFunc func, gpointer owner)
{
  SyncData *sd = g_new0 (SyncData, 1);

  g_return_if_fail (!rtc_peer_ops_is_current_thread (ops));

  sd->refcount = 2;
  sd->func = func;
  sd->data = owner;
  g_mutex_init (&sd->lock);
  g_cond_init (&sd->cond);
  /* The owner is not referenced: the caller holds it (dispose runs this
   * on an owner it is finishing). */
  rtc_peer_ops_enqueue (ops, sync_op, NULL, sd, sync_done, NULL);
  g_mutex_lock (&sd->lock);
  while (!sd->done)
    g_cond_wait (&sd->cond, &sd->lock);
  g_mutex_unlock (&sd->lock);
  sync_data_unref (sd);
}

void
rtc_peer_ops_flush (RtcPeerOps * ops)
{
  rtc_peer_ops_run_sync (ops, NULL, NULL);
}

gboolean
rtc_peer_ops_is_current_thread (RtcPeerOps * ops)
{
  /* Only this thread stores itself there. */
  return g_atomic_pointer_get (&ops->runner) == (gpointer) g_thread_self ();
}

GstStructure *
rtc_peer_error_reply_take (GError * error)
{
  GstStructure *s;

  s = gst_structure_new ("application/x-gst-promise", "error", G_TYPE_ERROR,
      error, NULL);
  g_error_free (error);
  return s;
}

GstStructure *
rtc_peer_error_reply (GQuark domain, gint code, const gchar * format, ...)
{
  va_list args;
  GError *error;

  va_start (args, format);
  error = g_error_new_valist (domain, code, format, args);
  va_end (args);
  return rtc_peer_error_reply_take (error);
}
