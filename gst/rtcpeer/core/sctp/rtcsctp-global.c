/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The process-wide half of the SCTP core: usrsctp is one stack per
 * process, with one packet output function and one timer wheel.
 *
 *   owner of X -- rtc_sctp_handle_packet (X) --> usrsctp_conninput (X's token)
 *   owner of Y -- rtc_sctp_handle_timeout (Y) -> usrsctp_handle_timers ----+
 *                                                                          |
 *   usrsctp ---- conn_output (token, packet) --> registry --> X's out queue
 *            \-- upcall (socket, token) -------> registry --> X.need_process
 *                                                        \--> X's token on
 *                                                             this thread's
 *                                                             wakeup list if
 *                                                             X's owner is not
 *                                                             about to poll
 *   end of the outermost rtc_sctp_* call on this thread: for each token on
 *   the list, X's wakeup (registry read-locked, nothing else held)
 *
 * With usrsctp_init_nothreads() every usrsctp callback runs inside a call
 * we made, on the thread that made it, so a per-thread list is enough and
 * wakeups never run inside usrsctp or under timer_lock.
 *
 * Locks, in the order they are taken:
 *   timer_lock      serialises timer ticks (usrsctp's tick code keeps its
 *                   iteration cursor in a global, so two concurrent ticks
 *                   would corrupt it) and guards the tick clock;
 *   usrsctp's own   (taken inside usrsctp calls);
 *   registry_lock   read-held by the callbacks and by wakeup dispatch for
 *                   as long as they use an instance, write-held by new/free
 *                   to add or remove it, so an instance cannot be freed
 *                   under a callback or a wakeup;
 *   RtcSctp.qlock   the instance's output queue and byte counts.
 * No rtcsctp lock is held while calling into usrsctp, except timer_lock
 * around usrsctp_handle_timers(), and nothing inside usrsctp takes
 * timer_lock, so the order cannot invert. The caller's wakeup function is
 * the only foreign code run, with only a read lock of registry_lock held.
 */

#include "rtcsctp-private.h"
#include "rtccrc32c.h"

#include <string.h>

GST_DEBUG_CATEGORY (rtc_sctp_debug);
#define GST_CAT_DEFAULT rtc_sctp_debug

static GRWLock registry_lock;
static GHashTable *registry;    /* token -> RtcSctp * */
static guintptr next_token = 1;

static GMutex timer_lock;
static gboolean timer_started;
static guint64 timer_last_us;

/* Per thread: how deep in rtc_sctp_* calls, and the tokens whose wakeup
 * is due when the outermost call returns. */
typedef struct
{
  guint depth;
  GArray *tokens;               /* gpointer */
} ThreadState;

static void
thread_state_free (gpointer data)
{
  ThreadState *ts = data;

  g_array_unref (ts->tokens);
  g_free (ts);
}

static GPrivate thread_state = G_PRIVATE_INIT (thread_state_free);

static ThreadState *
thread_state_get (void)
{
  ThreadState *ts = g_private_get (&thread_state);

  if (ts == NULL) {
    ts = g_new0 (ThreadState, 1);
    ts->tokens = g_array_new (FALSE, FALSE, sizeof (gpointer));
    g_private_set (&thread_state, ts);
  }
  return ts;
}

static void
call_wakeup_locked (RtcSctp * self)
{
  void (*wakeup) (gpointer);
  gpointer wakeup_data;

  g_mutex_lock (&self->qlock);
  wakeup = self->wakeup;
  wakeup_data = self->wakeup_data;
  g_mutex_unlock (&self->qlock);
  if (wakeup)
    wakeup (wakeup_data);
}

/* With the registry read-locked and @self's qlock held. */
static void
want_wakeup_locked (RtcSctp * self)
{
  ThreadState *ts;

  if (!rtc_sctp_want_wakeup_locked (self))
    return;
  ts = thread_state_get ();
  /* usrsctp has no threads of its own here: it only calls back from
   * inside our calls. */
  if (ts->depth == 0)
    GST_WARNING ("usrsctp called back outside an rtc_sctp call");
  g_array_append_val (ts->tokens, self->token);
}

void
rtc_sctp_global_enter (void)
{
  thread_state_get ()->depth++;
}

/* Leaving the outermost call: usrsctp has returned and no rtcsctp lock is
 * held, so the wakeups run now. One may call into another instance (which
 * nests a whole enter/leave), so the list is swapped out first. */
void
rtc_sctp_global_leave (void)
{
  ThreadState *ts = thread_state_get ();

  g_assert (ts->depth > 0);
  if (--ts->depth > 0)
    return;
  while (ts->tokens->len > 0) {
    GArray *tokens = ts->tokens;
    guint i;

    ts->tokens = g_array_new (FALSE, FALSE, sizeof (gpointer));
    g_rw_lock_reader_lock (&registry_lock);
    for (i = 0; i < tokens->len; i++) {
      RtcSctp *self = g_hash_table_lookup (registry,
          g_array_index (tokens, gpointer, i));

      /* gone if freed meanwhile */
      if (self)
        call_wakeup_locked (self);
    }
    g_rw_lock_reader_unlock (&registry_lock);
    g_array_unref (tokens);
  }
}

static void
usrsctp_debug (const char *format, ...)
{
  va_list args;

  va_start (args, format);
  gst_debug_log_valist (rtc_sctp_debug, GST_LEVEL_DEBUG, __FILE__,
      "usrsctp", __LINE__, NULL, format, args);
  va_end (args);
}

/* usrsctp calls this for every packet of every association, from inside
 * whatever usrsctp call produced it, with its own locks held. */
static int
conn_output (void *addr, void *buffer, size_t length, uint8_t tos,
    uint8_t set_df)
{
  RtcSctp *self;
  RtcSctpItem *it;

  g_rw_lock_reader_lock (&registry_lock);
  self = registry ? g_hash_table_lookup (registry, addr) : NULL;
  if (self == NULL) {
    /* A freed instance (e.g. the ABORT of its close): nowhere to go. */
    g_rw_lock_reader_unlock (&registry_lock);
    GST_LOG ("dropping %" G_GSIZE_FORMAT " bytes for a gone association",
        (gsize) length);
    return 0;
  }

  GST_LOG ("association %p: packet of %" G_GSIZE_FORMAT " bytes", self,
      (gsize) length);
  g_mutex_lock (&self->qlock);
  it = rtc_sctp_item_get_locked (self);
  if (it->alloc < length) {
    g_free (it->data);
    it->data = g_malloc (length);
    it->alloc = length;
  }
  memcpy (it->data, buffer, length);
  if (length >= 12)
    rtc_sctp_checksum_fill (it->data, length);
  it->len = length;
  it->kind = RTC_OUTPUT_TRANSMIT;
  g_queue_push_tail (&self->out, it);
  rtc_sctp_account_transmit_locked (self, buffer, length);
  want_wakeup_locked (self);
  g_mutex_unlock (&self->qlock);
  g_rw_lock_reader_unlock (&registry_lock);
  return 0;
}

/* usrsctp's socket upcall: data, a notification or send space appeared.
 * When it happens inside the owner's own call, the owner processes the
 * socket anyway; otherwise the owner is woken to do it. */
void
rtc_sctp_global_upcall (struct socket *sock, void *arg, int flags)
{
  RtcSctp *self;

  g_rw_lock_reader_lock (&registry_lock);
  self = registry ? g_hash_table_lookup (registry, arg) : NULL;
  GST_LOG ("association %p: upcall, flags 0x%x", self, flags);
  if (self) {
    g_mutex_lock (&self->qlock);
    self->need_process = TRUE;
    want_wakeup_locked (self);
    g_mutex_unlock (&self->qlock);
  }
  g_rw_lock_reader_unlock (&registry_lock);
}

void
rtc_sctp_global_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done)) {
    GST_DEBUG_CATEGORY_INIT (rtc_sctp_debug, "rtcsctp", 0, "rtcpeer SCTP core");

    registry = g_hash_table_new (g_direct_hash, g_direct_equal);

    /* No usrsctp threads: timers are driven by handle_timeout, packets by
     * handle_packet. Port 0: no UDP encapsulation, AF_CONN only. */
    usrsctp_init_nothreads (0, conn_output, usrsctp_debug);
    /* The checksum is ours (rtccrc32c.c): conn_output fills it in, and
     * rtc_sctp_handle_packet() checks it before usrsctp sees a packet. */
    usrsctp_enable_crc32c_offload ();

    /* Settings every WebRTC stack uses (libdatachannel's
     * sctptransport.cpp, webrtcbin's sctpassociation.c, Chromium's old
     * usrsctp transport): */
    /* no ECN: there is no IP header to carry it under DTLS */
    usrsctp_sysctl_set_sctp_ecn_enable (0);
    /* no dynamic addresses (RFC 5061) with AF_CONN */
    usrsctp_sysctl_set_sctp_asconf_enable (0);
    usrsctp_sysctl_set_sctp_auto_asconf (0);
    /* no chunk authentication (RFC 4895): DTLS already authenticates
     * every packet, and Chromium, Firefox and libdatachannel turn it off
     * too; its chunk is then one the screen keeps from usrsctp
     * (rtcsctp-screen.h) */
    usrsctp_sysctl_set_sctp_auth_enable (0);
    /* partial reliability (RFC 3758, RFC 8831 section 6.1) */
    usrsctp_sysctl_set_sctp_pr_enable (1);
    /* stream reset (RFC 6525, RFC 8831 section 6.7) */
    usrsctp_sysctl_set_sctp_reconfig_enable (1);
    usrsctp_sysctl_set_sctp_nrsack_enable (0);
    usrsctp_sysctl_set_sctp_pktdrop_enable (0);
    /* many small messages may sit in usrsctp (default 512 chunks) */
    usrsctp_sysctl_set_sctp_max_chunks_on_queue (10 * 1024);
    /* single path: give up after 5 retransmissions, with RTO bounds for
     * interactive use (libdatachannel's values) */
    usrsctp_sysctl_set_sctp_init_rtx_max_default (5);
    usrsctp_sysctl_set_sctp_path_rtx_max_default (5);
    usrsctp_sysctl_set_sctp_assoc_rtx_max_default (5);
    usrsctp_sysctl_set_sctp_rto_min_default (1000);
    usrsctp_sysctl_set_sctp_rto_max_default (10000);
    usrsctp_sysctl_set_sctp_rto_initial_default (1000);
    usrsctp_sysctl_set_sctp_init_rto_max_default (10000);
    usrsctp_sysctl_set_sctp_heartbeat_interval_default (10000);
    /* initial window of 10 MTUs (RFC 6928) */
    usrsctp_sysctl_set_sctp_initial_cwnd (10);
    /* SACK after 20 ms rather than 200 ms */
    usrsctp_sysctl_set_sctp_delayed_sack_time_default (20);

    g_once_init_leave (&done, 1);
  }
}

gpointer
rtc_sctp_global_register (RtcSctp * self)
{
  gpointer token;

  g_rw_lock_writer_lock (&registry_lock);
  token = GSIZE_TO_POINTER (next_token);
  next_token++;
  g_hash_table_insert (registry, token, self);
  g_rw_lock_writer_unlock (&registry_lock);

  usrsctp_register_address (token);
  return token;
}

/* After this no callback uses @self: a callback that started earlier held
 * the read lock, which the write lock waits for. */
void
rtc_sctp_global_unregister (RtcSctp * self)
{
  g_rw_lock_writer_lock (&registry_lock);
  g_hash_table_remove (registry, self->token);
  g_rw_lock_writer_unlock (&registry_lock);
}

void
rtc_sctp_global_advance_to (guint64 now_us)
{
  guint64 elapsed_ms;

  g_mutex_lock (&timer_lock);
  if (!timer_started) {
    timer_started = TRUE;
    timer_last_us = now_us;
  } else if (now_us > timer_last_us) {
    elapsed_ms = (now_us - timer_last_us) / 1000;
    if (elapsed_ms > G_MAXUINT32)
      elapsed_ms = G_MAXUINT32;
    if (elapsed_ms > 0) {
      /* Keep the sub-millisecond rest for the next tick. */
      timer_last_us += elapsed_ms * 1000;
      usrsctp_handle_timers ((uint32_t) elapsed_ms);
    }
  }
  g_mutex_unlock (&timer_lock);
}

void
rtc_sctp_handle_timeout_global (guint64 now_us)
{
  rtc_sctp_global_init ();
  rtc_sctp_global_enter ();
  rtc_sctp_global_advance_to (now_us);
  rtc_sctp_global_leave ();
}

void
rtc_sctp_handle_timers_global (guint elapsed_ms)
{
  rtc_sctp_global_init ();

  if (elapsed_ms == 0)
    return;
  rtc_sctp_global_enter ();
  g_mutex_lock (&timer_lock);
  if (timer_started)
    timer_last_us += (guint64) elapsed_ms *1000;
  usrsctp_handle_timers (elapsed_ms);
  g_mutex_unlock (&timer_lock);
  rtc_sctp_global_leave ();
}
