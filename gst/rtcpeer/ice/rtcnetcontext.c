/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Network thread pool: see rtcnetcontext.h.
 *
 * One mutex protects the whole pool; it is never held while a thread is
 * joined or while any callback runs, so acquire/release can be called from
 * anywhere, including the pool's own threads. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "rtcnetcontext.h"

#include <openssl/crypto.h>

#include <gst/gst.h>

GST_DEBUG_CATEGORY_STATIC (rtc_net_debug);
#define GST_CAT_DEFAULT rtc_net_debug

/* Threads started with the pool. */
#define RTC_NET_MIN_THREADS 4
/* Every wake-up of a GMainContext prepares, polls and checks all of its
 * sources, so one packet costs time in proportion to the agents sharing
 * its thread: 500 agents on a thread made 500 pairs of 50 pps audio
 * take both cores. Beyond this many agents on each thread the pool grows
 * (up to RTC_NET_MAX_THREADS), and the cost per wake-up stays bounded. */
#define RTC_NET_AGENTS_PER_THREAD 48
#define RTC_NET_MAX_THREADS 64

typedef struct
{
  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;
  guint users;                  /* agents currently placed on this context */
} RtcNetThread;

static GMutex pool_lock;
/* protects: pool, pool_size, pool_users, pool_next, pool_holds,
 * pool_waiters */
static GCond pool_cond;
static RtcNetThread **pool;
static guint pool_size;
static guint pool_users;
static guint pool_next;
static guint pool_holds;
static guint pool_waiters;
/* set on the pool's own threads, which must never wait for the pool */
static GPrivate in_pool_thread;

static void
rtc_net_debug_init (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once)) {
    GST_DEBUG_CATEGORY_INIT (rtc_net_debug, "rtcnet", 0,
        "rtcpeer network threads");
    g_once_init_leave (&once, 1);
  }
}

static gpointer
rtc_net_thread_func (gpointer data)
{
  RtcNetThread *t = data;

  g_private_set (&in_pool_thread, GINT_TO_POINTER (1));
  /* Thread-default, so that GTask/GResolver/nice_agent_close_async started
   * from this thread complete on this context. */
  g_main_context_push_thread_default (t->context);
  g_main_loop_run (t->loop);
  /* Complete whatever became ready while quitting (cancelled lookups
   * return through an idle source) so no reference is left behind. */
  while (g_main_context_iteration (t->context, FALSE));
  g_main_context_pop_thread_default (t->context);

  g_main_loop_unref (t->loop);
  g_main_context_unref (t->context);
  g_free (t);
  /* DTLS and SRTP run here: release OpenSSL's per-thread state. */
  OPENSSL_thread_stop ();
  return NULL;
}

static gboolean
rtc_net_quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/* g_main_loop_quit() before g_main_loop_run() started would be lost (run
 * resets the flag), so the quit is an idle source the loop itself runs. */
static void
rtc_net_thread_stop (RtcNetThread * t)
{
  GSource *src = g_idle_source_new ();

  g_source_set_priority (src, G_PRIORITY_LOW);
  g_source_set_callback (src, rtc_net_quit_cb, g_main_loop_ref (t->loop),
      (GDestroyNotify) g_main_loop_unref);
  g_source_attach (src, t->context);
  g_source_unref (src);
}

static RtcNetThread *
rtc_net_thread_start (guint i)
{
  RtcNetThread *t = g_new0 (RtcNetThread, 1);
  gchar *name = g_strdup_printf ("rtc-net-%u", i);

  t->context = g_main_context_new ();
  t->loop = g_main_loop_new (t->context, FALSE);
  /* the thread owns t; the pool keeps the GThread reference to join it */
  t->thread = g_thread_new (name, rtc_net_thread_func, t);
  g_free (name);
  return t;
}

static void
rtc_net_pool_start_locked (void)
{
  guint i;

  pool_size = MIN (MAX (g_get_num_processors (), 1), RTC_NET_MIN_THREADS);
  pool = g_new0 (RtcNetThread *, pool_size);
  for (i = 0; i < pool_size; i++)
    pool[i] = rtc_net_thread_start (i);
  pool_next = 0;
  GST_DEBUG ("started %u network threads", pool_size);
}

GMainContext *
rtc_net_context_acquire (void)
{
  RtcNetThread *best = NULL;
  guint i, idx;
  GMainContext *ctx;

  rtc_net_debug_init ();

  g_mutex_lock (&pool_lock);
  if (pool == NULL)
    rtc_net_pool_start_locked ();

  /* least busy thread; ties go round robin so a burst of new peer
   * connections spreads over all threads */
  for (i = 0; i < pool_size; i++) {
    idx = (pool_next + i) % pool_size;
    if (best == NULL || pool[idx]->users < best->users)
      best = pool[idx];
  }
  pool_next = (pool_next + 1) % pool_size;
  if (best->users >= RTC_NET_AGENTS_PER_THREAD
      && pool_size < RTC_NET_MAX_THREADS) {
    pool = g_renew (RtcNetThread *, pool, pool_size + 1);
    best = pool[pool_size] = rtc_net_thread_start (pool_size);
    pool_size++;
    GST_DEBUG ("%u network threads", pool_size);
  }
  best->users++;
  pool_users++;
  ctx = g_main_context_ref (best->context);
  g_mutex_unlock (&pool_lock);

  return ctx;
}

/* the pool is idle: take it out so its threads can be stopped */
static RtcNetThread **
rtc_net_pool_steal_locked (guint * n)
{
  RtcNetThread **stopped = pool;

  *n = pool_size;
  pool = NULL;
  pool_size = 0;
  return stopped;
}

static void
rtc_net_pool_stop (RtcNetThread ** stopped, guint n)
{
  guint i;

  for (i = 0; i < n; i++) {
    GThread *thread = stopped[i]->thread;

    /* after stop, stopped[i] belongs to its exiting thread */
    rtc_net_thread_stop (stopped[i]);
    if (thread == g_thread_self ())
      g_thread_unref (thread);  /* exits once this callback returns */
    else
      g_thread_join (thread);
  }
  if (stopped)
    GST_DEBUG ("stopped %u network threads", n);
  g_free (stopped);
}

void
rtc_net_context_release (GMainContext * context)
{
  RtcNetThread **stopped = NULL;
  gboolean pool_thread = g_private_get (&in_pool_thread) != NULL;
  guint i, n = 0;

  g_return_if_fail (context != NULL);

  g_mutex_lock (&pool_lock);
  for (i = 0; i < pool_size; i++) {
    if (pool[i]->context == context) {
      g_warn_if_fail (pool[i]->users > 0);
      pool[i]->users--;
      break;
    }
  }
  g_warn_if_fail (i < pool_size);
  if (i < pool_size && --pool_users == 0) {
    if (!pool_thread) {
      /* outside the pool we can wait for pending teardowns to finish */
      pool_waiters++;
      while (pool_holds > 0 && pool_users == 0)
        g_cond_wait (&pool_cond, &pool_lock);
      pool_waiters--;
    }
    /* else: the last rtc_net_context_unhold() stops the pool */
    if (pool_users == 0 && pool_holds == 0 && pool)
      stopped = rtc_net_pool_steal_locked (&n);
  }
  g_mutex_unlock (&pool_lock);

  rtc_net_pool_stop (stopped, n);
  g_main_context_unref (context);
}

void
rtc_net_context_hold (void)
{
  g_mutex_lock (&pool_lock);
  pool_holds++;
  g_mutex_unlock (&pool_lock);
}

void
rtc_net_context_unhold (void)
{
  RtcNetThread **stopped = NULL;
  guint n = 0;

  g_mutex_lock (&pool_lock);
  g_warn_if_fail (pool_holds > 0);
  if (pool_holds > 0 && --pool_holds == 0) {
    if (pool_waiters > 0)
      g_cond_broadcast (&pool_cond);    /* a release stops the pool */
    else if (pool_users == 0 && pool)
      stopped = rtc_net_pool_steal_locked (&n);
  }
  g_mutex_unlock (&pool_lock);

  rtc_net_pool_stop (stopped, n);
}

guint
rtc_net_context_get_n_threads (void)
{
  guint n;

  g_mutex_lock (&pool_lock);
  n = pool_size;
  g_mutex_unlock (&pool_lock);
  return n;
}

gboolean
rtc_net_context_in_pool_thread (void)
{
  return g_private_get (&in_pool_thread) != NULL;
}
