/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* RtcSctp instances talking in memory, str0m style: progress() drains an
 * instance that was woken, delivers the next packet in flight, or moves
 * the fake clock to the earliest deadline and fires it. A small "netem"
 * drops packets (random loss or everything) and delays them.
 *
 * Time: usrsctp's timers are process-wide, so so is the fake clock; it
 * only moves forward, across tests. usrsctp also reads gettimeofday()
 * itself (send times that decide what a retransmission timeout resends,
 * RTT, PR-SCTP lifetimes, cookie lifetime), so this program defines
 * gettimeofday() to read the same fake clock: usrsctp's calls bind to it.
 * Without that a fake clock racing ahead of the real one makes usrsctp
 * resend nothing on T3 timeouts. The last test (threads) runs on real
 * time continuing from the fake clock. */

#include <string.h>
#include <sys/time.h>
#include <glib.h>
#include <gst/gst.h>
#include <usrsctp.h>

#include "sctp/rtcsctp.h"

#define MAX_STEPS 20000000
#define SEC G_USEC_PER_SEC

static guint64 fake_now = 1 * SEC;

/* real-time mode (threads test) */
static gint clock_real;
static gint64 clock_real_base;
static guint64 clock_base;

static guint64
test_clock (void)
{
  if (g_atomic_int_get (&clock_real))
    return clock_base + (g_get_monotonic_time () - clock_real_base);
  return fake_now;
}

/* Some fixed date plus the test clock. */
int
gettimeofday (struct timeval *tv, void *tz)
{
  guint64 t = G_GUINT64_CONSTANT (1767225600) * SEC + test_clock ();

  tv->tv_sec = t / SEC;
  tv->tv_usec = t % SEC;
  return 0;
}

typedef struct _World World;
typedef struct _Peer Peer;

typedef struct
{
  guint16 stream;
  guint32 ppid;
  GBytes *data;
} Msg;

typedef struct
{
  gint event;
  guint stream;
  guint32 ppid;
  guint n_received;             /* messages received before the event */
  GError *error;
} Ev;

typedef struct
{
  guint64 deliver_at;
  guint64 seq;
  GBytes *bytes;
} Packet;

struct _Peer
{
  World *world;
  gchar *name;
  RtcSctp *sctp;
  Peer *other;
  GQueue wire;                  /* Packet *, sent by this peer */
  guint64 timeout_us;
  gint woken;                   /* atomic */
  guint n_wakeups;              /* atomic */

  gboolean connected, closed;
  guint n_connected;
  GPtrArray *received;          /* Msg * */
  GArray *events;               /* Ev */
  guint n_buffered_events;
  gsize max_packet;
  guint n_transmitted;
  GPtrArray *recent;            /* GBytes *, the last packets sent */

  /* netem, on what this peer sends */
  gdouble loss;
  gboolean drop_all;
  GRand *rand;
  guint64 latency_us;
};

struct _World
{
  GPtrArray *peers;             /* Peer * */
  guint64 packet_seq;
  gboolean quiet;               /* do not log events with errors */
  /* a wakeup drains the instance right away, from inside the call that
   * woke it (as g_main_context_invoke() on the owner's thread would) */
  gboolean inline_drain;
  /* threads test: wakeups signal this */
  gboolean real_time;
  GMutex lock;
  GCond cond;
  gboolean signalled;
};

/* ------------------------------------------------------------------ */
/* harness */

static guint64
world_now (World * w)
{
  return test_clock ();
}

static void
msg_free (Msg * m)
{
  g_bytes_unref (m->data);
  g_free (m);
}

static void
packet_free (Packet * p)
{
  g_bytes_unref (p->bytes);
  g_free (p);
}

static void drain (Peer * p);

static void
on_wakeup (gpointer data)
{
  Peer *p = data;
  World *w = p->world;

  g_atomic_int_inc (&p->n_wakeups);
  if (w->inline_drain) {
    drain (p);
    return;
  }
  /* Otherwise just a flag (and a signal): the drain happens on the
   * owner's thread. */
  g_atomic_int_set (&p->woken, 1);
  if (w->real_time) {
    g_mutex_lock (&w->lock);
    w->signalled = TRUE;
    g_cond_signal (&w->cond);
    g_mutex_unlock (&w->lock);
  }
}

static Peer *
peer_new (World * w, const gchar * name, const RtcSctpConfig * cfg)
{
  Peer *p = g_new0 (Peer, 1);
  GError *err = NULL;

  p->world = w;
  p->name = g_strdup (name);
  p->sctp = rtc_sctp_new (cfg, &err);
  g_assert_no_error (err);
  g_assert_nonnull (p->sctp);
  g_assert_cmpint (rtc_sctp_get_state (p->sctp), ==, RTC_SCTP_STATE_NEW);
  rtc_sctp_set_wakeup (p->sctp, on_wakeup, p);
  p->timeout_us = RTC_TIMEOUT_NONE;
  p->received = g_ptr_array_new_with_free_func ((GDestroyNotify) msg_free);
  p->events = g_array_new (FALSE, TRUE, sizeof (Ev));
  p->recent = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_ptr_array_add (w->peers, p);
  return p;
}

/* Frees the instance but keeps what it recorded. */
static void
peer_kill (Peer * p)
{
  rtc_sctp_free (p->sctp);
  p->sctp = NULL;
  p->timeout_us = RTC_TIMEOUT_NONE;
  g_queue_clear_full (&p->wire, (GDestroyNotify) packet_free);
}

static void
peer_free (Peer * p)
{
  guint i;

  if (p->sctp)
    peer_kill (p);
  for (i = 0; i < p->events->len; i++)
    g_clear_error (&g_array_index (p->events, Ev, i).error);
  g_array_unref (p->events);
  g_ptr_array_unref (p->received);
  g_ptr_array_unref (p->recent);
  if (p->rand)
    g_rand_free (p->rand);
  g_free (p->name);
  g_free (p);
}

static World *
world_new (void)
{
  World *w = g_new0 (World, 1);

  w->peers = g_ptr_array_new_with_free_func ((GDestroyNotify) peer_free);
  g_mutex_init (&w->lock);
  g_cond_init (&w->cond);
  return w;
}

static void
world_free (World * w)
{
  g_ptr_array_unref (w->peers);
  g_mutex_clear (&w->lock);
  g_cond_clear (&w->cond);
  g_free (w);
}

static void
pair_new (World * w, const RtcSctpConfig * lcfg, const RtcSctpConfig * rcfg,
    Peer ** l, Peer ** r)
{
  *l = peer_new (w, "L", lcfg);
  *r = peer_new (w, "R", rcfg);
  (*l)->other = *r;
  (*r)->other = *l;
}

static void
peer_set_loss (Peer * p, gdouble loss, guint32 seed)
{
  p->loss = loss;
  if (p->rand == NULL)
    p->rand = g_rand_new_with_seed (seed);
}

static void
drain (Peer * p)
{
  RtcOutput out;
  World *w = p->world;

  if (p->sctp == NULL)
    return;
  while (rtc_sctp_poll_output (p->sctp, &out)) {
    switch (out.kind) {
      case RTC_OUTPUT_TRANSMIT:{
        Packet *pk;

        g_assert_nonnull (out.data);
        g_assert_cmpuint (out.len, >=, 12);
        p->n_transmitted++;
        p->max_packet = MAX (p->max_packet, out.len);
        if (p->recent->len >= 64)
          g_ptr_array_remove_index (p->recent, 0);
        g_ptr_array_add (p->recent, g_bytes_new (out.data, out.len));
        if (p->drop_all || (p->rand && g_rand_double (p->rand) < p->loss))
          break;
        pk = g_new0 (Packet, 1);
        pk->deliver_at = world_now (w) + p->latency_us;
        pk->seq = w->packet_seq++;
        pk->bytes = g_bytes_new (out.data, out.len);
        g_queue_push_tail (&p->wire, pk);
        break;
      }
      case RTC_OUTPUT_RECEIVE:{
        Msg *m = g_new0 (Msg, 1);

        g_assert_nonnull (out.data);
        g_assert_cmpuint (out.len, >, 0);
        m->stream = out.stream;
        m->ppid = out.ppid;
        m->data = g_bytes_new (out.data, out.len);
        g_ptr_array_add (p->received, m);
        break;
      }
      case RTC_OUTPUT_EVENT:{
        Ev ev = { 0 };

        if (g_getenv ("SCTP_TEST_TRACE") || (out.error && !w->quiet))
          g_test_message ("%.3f s: %s %p: event %s stream %u%s%s",
              world_now (w) / 1e6, p->name, p->sctp,
              rtc_sctp_event_name (out.event), out.stream,
              out.error ? ": " : "", out.error ? out.error->message : "");
        g_assert_false (p->closed);
        ev.event = out.event;
        ev.stream = out.stream;
        ev.ppid = out.ppid;
        ev.n_received = p->received->len;
        ev.error = out.error;
        g_array_append_val (p->events, ev);
        switch (out.event) {
          case RTC_SCTP_EVENT_CONNECTED:
            g_assert_null (out.error);
            p->connected = TRUE;
            p->n_connected++;
            break;
          case RTC_SCTP_EVENT_CLOSED:
            p->closed = TRUE;
            break;
          case RTC_SCTP_EVENT_BUFFERED_AMOUNT:
            g_assert_null (out.error);
            p->n_buffered_events++;
            break;
          case RTC_SCTP_EVENT_STREAM_RESET:
          case RTC_SCTP_EVENT_STREAM_RESET_DONE:
            break;
          case RTC_SCTP_EVENT_SEND_FAILED:
          case RTC_SCTP_EVENT_RECEIVE_TOO_LARGE:
            g_assert_nonnull (out.error);
            g_assert_true (out.error->domain == RTC_SCTP_ERROR);
            break;
          default:
            g_assert_not_reached ();
        }
        break;
      }
      default:
        g_assert_not_reached ();
    }
  }
  g_assert_cmpint (out.kind, ==, RTC_OUTPUT_TIMEOUT);
  g_assert_null (out.error);
  p->timeout_us = out.timeout_us;
}

static void
deliver (Peer * to, GBytes * bytes)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  if (to == NULL || to->sctp == NULL)
    return;
  rtc_sctp_handle_packet (to->sctp, world_now (to->world), data, len);
  drain (to);
}

static gboolean
drain_woken (World * w)
{
  gboolean any = FALSE;
  guint i;

  for (i = 0; i < w->peers->len; i++) {
    Peer *p = g_ptr_array_index (w->peers, i);

    if (g_atomic_int_compare_and_exchange (&p->woken, 1, 0)) {
      drain (p);
      any = TRUE;
    }
  }
  return any;
}

/* One step; FALSE when nothing is in flight and no timer is armed. */
static gboolean
progress (World * w)
{
  Peer *best = NULL;
  Packet *pk, *best_pk = NULL;
  guint64 t = RTC_TIMEOUT_NONE;
  guint i;

  if (drain_woken (w))
    return TRUE;

  for (i = 0; i < w->peers->len; i++) {
    Peer *p = g_ptr_array_index (w->peers, i);

    pk = g_queue_peek_head (&p->wire);
    if (pk && (best_pk == NULL || pk->deliver_at < t ||
            (pk->deliver_at == t && pk->seq < best_pk->seq))) {
      t = pk->deliver_at;
      best = p;
      best_pk = pk;
    }
  }
  for (i = 0; i < w->peers->len; i++) {
    Peer *p = g_ptr_array_index (w->peers, i);

    if (p->sctp && p->timeout_us < t) {
      t = p->timeout_us;
      best = p;
      best_pk = NULL;
    }
  }
  if (best == NULL)
    return FALSE;

  if (t > fake_now)
    fake_now = t;
  if (best_pk) {
    pk = g_queue_pop_head (&best->wire);
    deliver (best->other, pk->bytes);
    packet_free (pk);
  } else {
    rtc_sctp_handle_timeout (best->sctp, fake_now);
    drain (best);
  }
  return TRUE;
}

typedef gboolean (*Condition) (World * w, gpointer data);

/* Runs until @cond holds or @max_us of virtual time passed. */
static gboolean
run_for (World * w, Condition cond, gpointer data, guint64 max_us)
{
  guint64 end = fake_now + max_us;
  guint i;

  for (i = 0; i < MAX_STEPS; i++) {
    if (cond && cond (w, data))
      return TRUE;
    if (fake_now > end)
      break;
    if (!progress (w))
      break;
  }
  return cond ? cond (w, data) : TRUE;
}

static void
run_until (World * w, Condition cond, gpointer data, guint64 max_us)
{
  g_assert_true (run_for (w, cond, data, max_us));
}

static gboolean
never (World * w, gpointer data)
{
  return FALSE;
}

static gboolean
all_connected (World * w, gpointer data)
{
  guint i;

  for (i = 0; i < w->peers->len; i++) {
    Peer *p = g_ptr_array_index (w->peers, i);

    if (p->sctp && !p->connected)
      return FALSE;
  }
  return TRUE;
}

static void
world_start (World * w)
{
  guint i;

  for (i = 0; i < w->peers->len; i++) {
    Peer *p = g_ptr_array_index (w->peers, i);

    rtc_sctp_start (p->sctp, world_now (w));
    drain (p);
  }
}

static void
connect_pair (World * w)
{
  world_start (w);
  run_until (w, all_connected, NULL, 10 * SEC);
}

/* Deterministic message contents: a 12-byte header (tag, stream, seq)
 * when there is room, then a pattern that depends on all three. */
static GBytes *
make_msg (guint32 tag, guint16 stream, guint32 seq, gsize size)
{
  guint8 *d = g_malloc (size);
  gsize i;

  for (i = 0; i < size; i++) {
    guint32 x = (guint32) i * 2654435761u ^ seq * 40503u ^
        ((guint32) stream << 16) ^ tag * 0x9e3779b9u;

    d[i] = (x >> 13) & 0xff;
  }
  if (size >= 12) {
    GST_WRITE_UINT32_BE (d, tag);
    GST_WRITE_UINT32_BE (d + 4, stream);
    GST_WRITE_UINT32_BE (d + 8, seq);
  }
  return g_bytes_new_take (d, size);
}

static guint32
msg_seq (GBytes * b)
{
  gsize len;
  const guint8 *d = g_bytes_get_data (b, &len);

  g_assert_cmpuint (len, >=, 12);
  return GST_READ_UINT32_BE (d + 8);
}

static guint32
msg_tag (GBytes * b)
{
  gsize len;
  const guint8 *d = g_bytes_get_data (b, &len);

  g_assert_cmpuint (len, >=, 12);
  return GST_READ_UINT32_BE (d);
}

static void
send_msg (Peer * p, guint16 stream, guint32 ppid, GBytes * msg,
    const RtcSctpSendOptions * opts)
{
  GError *err = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (msg, &len);

  rtc_sctp_send (p->sctp, stream, ppid, data, len, opts, &err);
  g_assert_no_error (err);
  drain (p);
}

static guint
count_received (Peer * p, guint16 stream)
{
  guint i, n = 0;

  for (i = 0; i < p->received->len; i++)
    if (((Msg *) g_ptr_array_index (p->received, i))->stream == stream)
      n++;
  return n;
}

static guint
count_events (Peer * p, gint event, gint stream)
{
  guint i, n = 0;

  for (i = 0; i < p->events->len; i++) {
    Ev *e = &g_array_index (p->events, Ev, i);

    if (e->event == event && (stream < 0 || e->stream == (guint) stream))
      n++;
  }
  return n;
}

static guint
total_wakeups (World * w)
{
  guint i, n = 0;

  for (i = 0; i < w->peers->len; i++)
    n += g_atomic_int_get (&((Peer *) g_ptr_array_index (w->peers,
                i))->n_wakeups);
  return n;
}

static Ev *
find_event (Peer * p, gint event, gint stream)
{
  guint i;

  for (i = 0; i < p->events->len; i++) {
    Ev *e = &g_array_index (p->events, Ev, i);

    if (e->event == event && (stream < 0 || e->stream == (guint) stream))
      return e;
  }
  return NULL;
}

/* The messages of @stream at @p equal @sent, in order. */
static void
assert_stream_equal (Peer * p, guint16 stream, GPtrArray * sent,
    const guint32 * ppids)
{
  guint i, j = 0;

  for (i = 0; i < p->received->len; i++) {
    Msg *m = g_ptr_array_index (p->received, i);

    if (m->stream != stream)
      continue;
    g_assert_cmpuint (j, <, sent->len);
    if (!g_bytes_equal (m->data, g_ptr_array_index (sent, j)))
      g_error ("%s: message %u on stream %u differs (%" G_GSIZE_FORMAT
          " bytes, sent %" G_GSIZE_FORMAT ")", p->name, j, stream,
          g_bytes_get_size (m->data),
          g_bytes_get_size (g_ptr_array_index (sent, j)));
    if (ppids)
      g_assert_cmpuint (m->ppid, ==, ppids[j]);
    j++;
  }
  g_assert_cmpuint (j, ==, sent->len);
}

typedef struct
{
  Peer *peer;
  guint16 stream;
  guint count;
} Want;

static gboolean
has_received (World * w, gpointer data)
{
  Want *want = data;

  return count_received (want->peer, want->stream) >= want->count;
}

static gboolean
wants_met (World * w, gpointer data)
{
  Want *want;

  for (want = data; want->peer; want++)
    if (count_received (want->peer, want->stream) < want->count)
      return FALSE;
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* connect */

static void
test_connect (void)
{
  World *w = world_new ();
  Peer *l, *r;
  RtcOutput out;

  pair_new (w, NULL, NULL, &l, &r);
  g_assert_false (rtc_sctp_poll_output (l->sctp, &out));
  g_assert_cmpuint (out.timeout_us, ==, RTC_TIMEOUT_NONE);

  world_start (w);
  g_assert_cmpint (rtc_sctp_get_state (l->sctp), ==, RTC_SCTP_STATE_CONNECTING);
  g_assert_cmpuint (l->n_transmitted, ==, 1);   /* INIT */
  g_assert_cmpuint (l->timeout_us, ==, fake_now + 10 * 1000);
  run_until (w, all_connected, NULL, 10 * SEC);

  g_assert_cmpuint (l->n_connected, ==, 1);
  g_assert_cmpuint (r->n_connected, ==, 1);
  g_assert_cmpint (rtc_sctp_get_state (l->sctp), ==, RTC_SCTP_STATE_CONNECTED);
  g_assert_cmpint (rtc_sctp_get_state (r->sctp), ==, RTC_SCTP_STATE_CONNECTED);
  g_assert_cmpuint (rtc_sctp_get_outbound_streams (l->sctp), ==, 65535);
  g_assert_cmpuint (rtc_sctp_get_outbound_streams (r->sctp), ==, 65535);
  g_assert_cmpuint (rtc_sctp_get_max_message_size (l->sctp), ==, 65536);

  /* Alive: a tick every 10 ms, and nothing else happens for a while. */
  g_assert_false (run_for (w, never, NULL, 2 * SEC));
  g_assert_cmpuint (l->n_connected, ==, 1);
  g_assert_cmpuint (l->events->len, ==, 1);
  g_assert_cmpuint (r->events->len, ==, 1);
  world_free (w);
}

/* Only one side starts; the other starts on the first packet. */
static void
test_connect_one_side (void)
{
  World *w = world_new ();
  Peer *l, *r;

  pair_new (w, NULL, NULL, &l, &r);
  rtc_sctp_start (l->sctp, fake_now);
  drain (l);
  run_until (w, all_connected, NULL, 10 * SEC);
  world_free (w);
}

/* The first INIT of each side is lost: usrsctp's timers, driven by
 * handle_timeout, retransmit it (RTO 1 s). */
static void
test_connect_init_lost (void)
{
  World *w = world_new ();
  Peer *l, *r;
  guint64 start = fake_now;

  pair_new (w, NULL, NULL, &l, &r);
  l->drop_all = r->drop_all = TRUE;
  world_start (w);
  l->drop_all = r->drop_all = FALSE;
  run_until (w, all_connected, NULL, 10 * SEC);
  g_assert_cmpuint (fake_now - start, >=, 900 * 1000);
  world_free (w);
}

/* Time driven only by rtc_sctp_handle_timers_global(); instances hear of
 * their timers through their wakeup, and nothing else calls them. */
static void
global_tick (World * w)
{
  Peer *l = g_ptr_array_index (w->peers, 0);
  Peer *r = g_ptr_array_index (w->peers, 1);

  /* deliver everything in flight, then tick */
  while (drain_woken (w) || l->wire.length || r->wire.length) {
    Packet *pk;

    if ((pk = g_queue_pop_head (&l->wire))) {
      deliver (r, pk->bytes);
      packet_free (pk);
    }
    if ((pk = g_queue_pop_head (&r->wire))) {
      deliver (l, pk->bytes);
      packet_free (pk);
    }
  }
  fake_now += 10 * 1000;
  rtc_sctp_handle_timers_global (10);
}

static void
test_global_timers (void)
{
  World *w = world_new ();
  Peer *l, *r;
  GBytes *m;
  guint i;

  pair_new (w, NULL, NULL, &l, &r);
  l->drop_all = r->drop_all = TRUE;
  world_start (w);
  l->drop_all = r->drop_all = FALSE;
  for (i = 0; i < 500 && !all_connected (w, NULL); i++)
    global_tick (w);
  g_assert_true (all_connected (w, NULL));
  /* The INIT retransmissions came from a global tick: only a wakeup told
   * anyone about them. */
  g_assert_cmpuint (g_atomic_int_get (&l->n_wakeups), >, 0);

  /* The end of the association, found by a timer: the notification
   * reaches R through its wakeup and its next poll alone. */
  l->drop_all = TRUE;
  m = make_msg (1, 1, 0, 100);
  send_msg (r, 1, 51, m, NULL);
  g_bytes_unref (m);
  for (i = 0; i < 30000 && !r->closed; i++)
    global_tick (w);
  g_assert_true (r->closed);
  g_assert_error (find_event (r, RTC_SCTP_EVENT_CLOSED, -1)->error,
      RTC_SCTP_ERROR, RTC_SCTP_ERROR_TIMEOUT);
  world_free (w);
}

/* ------------------------------------------------------------------ */
/* data */

static void
test_data_round_trip (void)
{
  static const gsize sizes[] = {
    1, 2, 3, 11, 12, 100, 1000, 1100, 1150, 1200, 2400, 4096, 16383,
    16384, 16385, 65535, 65536, 65537, 100000, 200000, 262143, 262144,
  };
  static const guint16 streams[] = { 0, 1, 2, 7, 1000, 65534 };
  static const guint32 ppid_list[] = { 51, 53, 56, 57, 50, 0, 0xdeadbeef };
  RtcSctpConfig cfg = { 0 };
  World *w = world_new ();
  Peer *l, *r, *peers[2];
  GPtrArray *sent[2][G_N_ELEMENTS (streams)];
  guint32 *ppids[2][G_N_ELEMENTS (streams)];
  GPtrArray *bulk[2];
  GRand *rand = g_rand_new_with_seed (7);
  Want want[2 * G_N_ELEMENTS (streams) + 3];
  guint i, j, k, n;

  cfg.max_message_size = 262144;
  pair_new (w, &cfg, &cfg, &l, &r);
  peers[0] = l;
  peers[1] = r;
  connect_pair (w);

  memset (want, 0, sizeof (want));
  n = 0;
  for (k = 0; k < 2; k++) {
    for (j = 0; j < G_N_ELEMENTS (streams); j++) {
      sent[k][j] = g_ptr_array_new_with_free_func ((GDestroyNotify)
          g_bytes_unref);
      ppids[k][j] = g_new0 (guint32, G_N_ELEMENTS (sizes));
      for (i = 0; i < G_N_ELEMENTS (sizes); i++) {
        GBytes *m = make_msg (k, streams[j], i, sizes[i]);

        ppids[k][j][i] = ppid_list[(i + j) % G_N_ELEMENTS (ppid_list)];
        send_msg (peers[k], streams[j], ppids[k][j][i], m, NULL);
        g_ptr_array_add (sent[k][j], m);
      }
      want[n].peer = peers[1 - k];
      want[n].stream = streams[j];
      want[n].count = G_N_ELEMENTS (sizes);
      n++;
    }
  }

  /* 1000 ordered reliable messages each way on one stream. */
  for (k = 0; k < 2; k++) {
    bulk[k] = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
    for (i = 0; i < 1000; i++) {
      GBytes *m = make_msg (10 + k, 3, i, g_rand_int_range (rand, 12, 3000));

      send_msg (peers[k], 3, 53, m, NULL);
      g_ptr_array_add (bulk[k], m);
    }
    want[n].peer = peers[1 - k];
    want[n].stream = 3;
    want[n].count = 1000;
    n++;
  }

  run_until (w, wants_met, want, 60 * SEC);

  for (k = 0; k < 2; k++) {
    for (j = 0; j < G_N_ELEMENTS (streams); j++) {
      assert_stream_equal (peers[1 - k], streams[j], sent[k][j], ppids[k][j]);
      g_ptr_array_unref (sent[k][j]);
      g_free (ppids[k][j]);
    }
    assert_stream_equal (peers[1 - k], 3, bulk[k], NULL);
    g_ptr_array_unref (bulk[k]);
  }
  /* Packets respect the MTU. */
  g_assert_cmpuint (l->max_packet, <=, RTC_SCTP_DEFAULT_MTU);
  g_assert_cmpuint (r->max_packet, <=, RTC_SCTP_DEFAULT_MTU);
  g_assert_cmpuint (l->max_packet, >, RTC_SCTP_DEFAULT_MTU - 100);

  run_for (w, never, NULL, 1 * SEC);
  for (j = 0; j < G_N_ELEMENTS (streams); j++)
    g_assert_cmpuint (rtc_sctp_get_buffered_amount (l->sctp, streams[j]), ==,
        0);
  g_rand_free (rand);
  world_free (w);
}

static void
test_data_mtu (void)
{
  RtcSctpConfig cfg = { 0 };
  World *w = world_new ();
  Peer *l, *r;
  Want want = { 0 };
  guint i;

  cfg.mtu = 600;
  pair_new (w, &cfg, &cfg, &l, &r);
  connect_pair (w);
  for (i = 0; i < 20; i++) {
    GBytes *m = make_msg (1, 1, i, 5000);

    send_msg (l, 1, 53, m, NULL);
    g_bytes_unref (m);
  }
  want.peer = r;
  want.stream = 1;
  want.count = 20;
  run_until (w, has_received, &want, 10 * SEC);
  g_assert_cmpuint (l->max_packet, <=, 600);
  g_assert_cmpuint (l->max_packet, >, 500);
  world_free (w);
}

/* Sent before the association is up: kept, then delivered. */
static void
test_data_before_connected (void)
{
  World *w = world_new ();
  Peer *l, *r;
  Want want = { 0 };
  GPtrArray *sent = g_ptr_array_new_with_free_func ((GDestroyNotify)
      g_bytes_unref);
  guint i;

  pair_new (w, NULL, NULL, &l, &r);
  for (i = 0; i < 3; i++) {
    GBytes *m = make_msg (1, 4, i, 1000);

    send_msg (l, 4, 51, m, NULL);
    g_ptr_array_add (sent, m);
  }
  g_assert_cmpuint (rtc_sctp_get_buffered_amount (l->sctp, 4), ==, 3000);
  g_assert_cmpuint (rtc_sctp_get_buffered_amount (l->sctp, 5), ==, 0);
  world_start (w);
  want.peer = r;
  want.stream = 4;
  want.count = 3;
  run_until (w, has_received, &want, 10 * SEC);
  assert_stream_equal (r, 4, sent, NULL);
  g_assert_cmpuint (rtc_sctp_get_buffered_amount (l->sctp, 4), ==, 0);
  g_assert_cmpuint (count_events (l, RTC_SCTP_EVENT_BUFFERED_AMOUNT, 4), >, 0);
  g_ptr_array_unref (sent);
  world_free (w);
}

/* Far more than usrsctp's 1 MiB send buffer at once: nothing blocks or
 * gets lost, the buffered amount covers it all and drains to 0. */
typedef struct
{
  Peer *peer;
  guint16 stream;
  gsize last;
  guint n_checked;
} Watch;

static gboolean
burst_done (World * w, gpointer data)
{
  Watch *watch = data;
  Peer *p = watch->peer;
  gsize now = rtc_sctp_get_buffered_amount (p->sctp, watch->stream);

  /* Between events the amount only goes down (nothing new is sent). */
  g_assert_cmpuint (now, <=, watch->last);
  watch->last = now;
  watch->n_checked++;
  return count_received (p->other, watch->stream) == 80 && now == 0;
}

static void
test_data_burst (void)
{
  RtcSctpConfig cfg = { 0 };
  World *w = world_new ();
  Peer *l, *r;
  GPtrArray *sent = g_ptr_array_new_with_free_func ((GDestroyNotify)
      g_bytes_unref);
  Watch watch = { 0 };
  gsize total = 0, amount;
  guint64 start;
  guint i;

  cfg.max_message_size = 262144;
  pair_new (w, &cfg, &cfg, &l, &r);
  r->latency_us = l->latency_us = 5 * 1000;
  connect_pair (w);

  for (i = 0; i < 80; i++) {
    GBytes *m = make_msg (3, 1, i, 262144);

    send_msg (l, 1, 53, m, NULL);
    total += g_bytes_get_size (m);
    g_ptr_array_add (sent, m);
  }
  g_assert_cmpuint (total, ==, 20 * 1024 * 1024);
  amount = rtc_sctp_get_buffered_amount (l->sctp, 1);
  g_test_message ("buffered right after sending %" G_GSIZE_FORMAT
      " bytes: %" G_GSIZE_FORMAT, total, amount);
  /* Only the initial window (10 packets) went out yet. */
  g_assert_cmpuint (amount, <=, total);
  g_assert_cmpuint (amount, >=, total - 10 * RTC_SCTP_DEFAULT_MTU);

  watch.peer = l;
  watch.stream = 1;
  watch.last = amount;
  start = fake_now;
  run_until (w, burst_done, &watch, 120 * SEC);
  assert_stream_equal (r, 1, sent, NULL);
  g_assert_cmpuint (l->n_buffered_events, >, 10);
  g_assert_cmpuint (rtc_sctp_get_buffered_amount (l->sctp, 1), ==, 0);
  g_test_message ("20 MiB took %.2f s of virtual time, %u buffered-amount "
      "events", (fake_now - start) / 1e6, l->n_buffered_events);
  g_ptr_array_unref (sent);
  world_free (w);
}

/* ------------------------------------------------------------------ */
/* loss */

static void
test_loss_reliability (void)
{
  World *w = world_new ();
  Peer *l, *r;
  RtcSctpSendOptions pr0 = { TRUE, RTC_SCTP_PARTIAL_RELIABLE_REXMIT, 0 };
  RtcSctpSendOptions unordered = { TRUE, RTC_SCTP_RELIABLE, 0 };
  GPtrArray *reliable = g_ptr_array_new_with_free_func ((GDestroyNotify)
      g_bytes_unref);
  GPtrArray *unord = g_ptr_array_new_with_free_func ((GDestroyNotify)
      g_bytes_unref);
  gboolean *seen_pr, *seen_un;
  Want want[3] = { {0} };
  guint i, n_pr = 0, n_reordered = 0;
  gint32 last = -1;

  pair_new (w, NULL, NULL, &l, &r);
  l->latency_us = r->latency_us = 20 * 1000;
  connect_pair (w);
  peer_set_loss (l, 0.10, 1);
  peer_set_loss (r, 0.10, 2);

  for (i = 0; i < 500; i++) {
    GBytes *m;

    m = make_msg (5, 5, i, 200 + (i % 7) * 100);
    send_msg (l, 5, 53, m, &pr0);
    g_bytes_unref (m);

    m = make_msg (6, 6, i, 300 + (i % 5) * 400);
    send_msg (l, 6, 53, m, NULL);
    g_ptr_array_add (reliable, m);

    m = make_msg (7, 7, i, 500);
    send_msg (l, 7, 51, m, &unordered);
    g_ptr_array_add (unord, m);
    /* spread over time so losses hit every kind */
    if (i % 25 == 24)
      run_for (w, never, NULL, 50 * 1000);
  }
  want[0].peer = r;
  want[0].stream = 6;
  want[0].count = 500;
  want[1].peer = r;
  want[1].stream = 7;
  want[1].count = 500;
  run_until (w, wants_met, want, 300 * SEC);
  /* let PR-SCTP finish abandoning */
  run_for (w, never, NULL, 5 * SEC);

  /* reliable ordered: all, in order, intact, despite 10% loss */
  assert_stream_equal (r, 6, reliable, NULL);

  /* reliable unordered: all, intact, once each, not all in order */
  seen_un = g_new0 (gboolean, 500);
  seen_pr = g_new0 (gboolean, 500);
  for (i = 0; i < r->received->len; i++) {
    Msg *m = g_ptr_array_index (r->received, i);
    guint32 seq;

    if (m->stream == 7) {
      seq = msg_seq (m->data);
      g_assert_cmpuint (seq, <, 500);
      g_assert_false (seen_un[seq]);
      seen_un[seq] = TRUE;
      g_assert_true (g_bytes_equal (m->data, g_ptr_array_index (unord, seq)));
      if ((gint32) seq < last)
        n_reordered++;
      last = MAX (last, (gint32) seq);
    } else if (m->stream == 5) {
      GBytes *expect;

      seq = msg_seq (m->data);
      g_assert_cmpuint (seq, <, 500);
      g_assert_false (seen_pr[seq]);
      seen_pr[seq] = TRUE;
      expect = make_msg (5, 5, seq, 200 + (seq % 7) * 100);
      g_assert_true (g_bytes_equal (m->data, expect));
      g_bytes_unref (expect);
      n_pr++;
    }
  }
  g_test_message ("partially reliable: %u of 500 arrived; unordered: %u "
      "arrived out of order", n_pr, n_reordered);
  /* transmitted once: about 10% lost, never retransmitted */
  g_assert_cmpuint (n_pr, <, 490);
  g_assert_cmpuint (n_pr, >, 300);
  g_assert_cmpuint (n_reordered, >, 0);
  /* abandoned messages leave nothing buffered */
  g_assert_cmpuint (rtc_sctp_get_buffered_amount (l->sctp, 5), ==, 0);
  g_assert_cmpuint (rtc_sctp_get_buffered_amount (l->sctp, 6), ==, 0);
  g_assert_cmpuint (rtc_sctp_get_buffered_amount (l->sctp, 7), ==, 0);
  g_assert_false (l->closed);

  g_free (seen_un);
  g_free (seen_pr);
  g_ptr_array_unref (reliable);
  g_ptr_array_unref (unord);
  world_free (w);
}

/* maxPacketLifeTime: messages held back longer than their lifetime by a
 * dead path are abandoned, later ones still arrive. */
static void
test_loss_lifetime (void)
{
  World *w = world_new ();
  Peer *l, *r;
  RtcSctpSendOptions ttl = { FALSE, RTC_SCTP_PARTIAL_RELIABLE_TIMED, 100 };
  Want want = { 0 };
  guint i;

  pair_new (w, NULL, NULL, &l, &r);
  connect_pair (w);
  l->drop_all = TRUE;
  for (i = 0; i < 10; i++) {
    GBytes *m = make_msg (8, 8, i, 100);

    send_msg (l, 8, 51, m, &ttl);
    g_bytes_unref (m);
  }
  /* lost, and their lifetime runs out before the 1 s retransmission */
  run_for (w, never, NULL, 500 * 1000);
  l->drop_all = FALSE;
  for (i = 10; i < 20; i++) {
    GBytes *m = make_msg (8, 8, i, 100);

    send_msg (l, 8, 51, m, &ttl);
    g_bytes_unref (m);
  }
  want.peer = r;
  want.stream = 8;
  want.count = 10;
  run_until (w, has_received, &want, 10 * SEC);
  run_for (w, never, NULL, 3 * SEC);
  g_assert_cmpuint (count_received (r, 8), ==, 10);
  for (i = 0; i < r->received->len; i++)
    g_assert_cmpuint (msg_seq (((Msg *) g_ptr_array_index (r->received,
                    i))->data), >=, 10);
  g_assert_cmpuint (rtc_sctp_get_buffered_amount (l->sctp, 8), ==, 0);
  world_free (w);
}

/* The peer goes silent: retransmissions run out and the association ends
 * with an error on both sides. */
static gboolean
all_closed (World * w, gpointer data)
{
  guint i;

  for (i = 0; i < w->peers->len; i++) {
    Peer *p = g_ptr_array_index (w->peers, i);

    if (p->sctp && !p->closed)
      return FALSE;
  }
  return TRUE;
}

static void
test_loss_unreachable (void)
{
  World *w = world_new ();
  Peer *l, *r;
  GBytes *m;
  Ev *ev;
  GError *err = NULL;

  pair_new (w, NULL, NULL, &l, &r);
  connect_pair (w);
  l->drop_all = TRUE;
  m = make_msg (9, 1, 0, 100);
  send_msg (r, 1, 51, m, NULL);
  run_until (w, all_closed, NULL, 300 * SEC);
  g_assert_false (run_for (w, never, NULL, 1 * SEC));

  ev = find_event (r, RTC_SCTP_EVENT_CLOSED, -1);
  g_assert_nonnull (ev);
  g_assert_error (ev->error, RTC_SCTP_ERROR, RTC_SCTP_ERROR_TIMEOUT);
  ev = find_event (l, RTC_SCTP_EVENT_CLOSED, -1);
  g_assert_nonnull (ev);
  g_assert_nonnull (ev->error);
  g_assert_cmpint (rtc_sctp_get_state (r->sctp), ==, RTC_SCTP_STATE_CLOSED);
  g_assert_cmpuint (r->timeout_us, ==, RTC_TIMEOUT_NONE);
  g_assert_false (rtc_sctp_send (r->sctp, 1, 51, (const guint8 *) "x", 1,
          NULL, &err));
  g_assert_error (err, RTC_SCTP_ERROR, RTC_SCTP_ERROR_CLOSED);
  g_clear_error (&err);
  g_bytes_unref (m);
  world_free (w);
}

/* ------------------------------------------------------------------ */
/* stream reset */

static gboolean
resets_done (World * w, gpointer data)
{
  Peer **p = data;

  return find_event (p[1], RTC_SCTP_EVENT_STREAM_RESET, 3) &&
      find_event (p[1], RTC_SCTP_EVENT_STREAM_RESET, 4) &&
      find_event (p[0], RTC_SCTP_EVENT_STREAM_RESET_DONE, 3) &&
      find_event (p[0], RTC_SCTP_EVENT_STREAM_RESET_DONE, 4);
}

static gboolean
reset_back_done (World * w, gpointer data)
{
  Peer **p = data;

  return find_event (p[0], RTC_SCTP_EVENT_STREAM_RESET, 3) &&
      find_event (p[1], RTC_SCTP_EVENT_STREAM_RESET_DONE, 3);
}

static void
test_stream_reset (void)
{
  World *w = world_new ();
  Peer *l, *r, *lr[2];
  GError *err = NULL;
  GPtrArray *on3 = g_ptr_array_new_with_free_func ((GDestroyNotify)
      g_bytes_unref);
  Want want[4] = { {0} };
  Ev *ev;
  guint i;

  pair_new (w, NULL, NULL, &l, &r);
  lr[0] = l;
  lr[1] = r;
  connect_pair (w);

  for (i = 0; i < 5; i++) {
    GBytes *m = make_msg (1, 3, i, 3000);

    send_msg (l, 3, 51, m, NULL);
    g_ptr_array_add (on3, m);
    m = make_msg (1, 1, i, 100);
    send_msg (l, 1, 51, m, NULL);
    g_bytes_unref (m);
  }
  /* Reset right behind queued data, and a second stream at once (the
   * first request is still outstanding then). */
  g_assert_true (rtc_sctp_reset_stream (l->sctp, 3, &err));
  g_assert_no_error (err);
  g_assert_true (rtc_sctp_reset_stream (l->sctp, 3, &err));     /* ignored */
  g_assert_true (rtc_sctp_reset_stream (l->sctp, 4, &err));
  drain (l);
  run_until (w, resets_done, lr, 10 * SEC);

  /* everything sent before the reset arrived before it */
  assert_stream_equal (r, 3, on3, NULL);
  ev = find_event (r, RTC_SCTP_EVENT_STREAM_RESET, 3);
  g_assert_cmpuint (ev->n_received, >=, 10);
  g_assert_null (ev->error);
  g_assert_null (find_event (l, RTC_SCTP_EVENT_STREAM_RESET_DONE, 3)->error);
  g_assert_cmpuint (count_events (r, RTC_SCTP_EVENT_STREAM_RESET, 3), ==, 1);
  g_assert_cmpuint (count_events (l, RTC_SCTP_EVENT_STREAM_RESET_DONE, 3), ==,
      1);
  g_assert_cmpuint (count_events (l, RTC_SCTP_EVENT_STREAM_RESET, -1), ==, 0);

  /* R closes its side too (RFC 8831 section 6.7) */
  g_assert_true (rtc_sctp_reset_stream (r->sctp, 3, &err));
  drain (r);
  run_until (w, reset_back_done, lr, 10 * SEC);

  /* other streams kept working, and stream 3 can be used again */
  {
    GBytes *a = make_msg (2, 1, 100, 1000);
    GBytes *b = make_msg (2, 3, 200, 1000);
    GBytes *c = make_msg (2, 2, 300, 1000);

    send_msg (l, 1, 51, a, NULL);
    send_msg (l, 3, 51, b, NULL);
    send_msg (r, 2, 51, c, NULL);
    want[0].peer = r;
    want[0].stream = 1;
    want[0].count = 6;
    want[1].peer = r;
    want[1].stream = 3;
    want[1].count = 6;
    want[2].peer = l;
    want[2].stream = 2;
    want[2].count = 1;
    run_until (w, wants_met, want, 10 * SEC);
    g_ptr_array_add (on3, b);
    assert_stream_equal (r, 3, on3, NULL);
    g_bytes_unref (a);
    g_bytes_unref (c);
  }

  /* invalid: beyond the association's streams */
  g_assert_false (rtc_sctp_reset_stream (l->sctp, 65535, &err));
  g_assert_error (err, RTC_SCTP_ERROR, RTC_SCTP_ERROR_INVALID_ARGUMENT);
  g_clear_error (&err);
  g_ptr_array_unref (on3);
  world_free (w);
}

/* ------------------------------------------------------------------ */
/* limits and bad input */

static void
test_too_large (void)
{
  RtcSctpConfig small = { 0 }, unlimited = { 0 };
  World *w = world_new ();
  Peer *l, *r;
  GError *err = NULL;
  guint8 *buf = g_malloc0 (300000);
  Want want = { 0 };
  Ev *ev;

  small.max_message_size = 1000;
  unlimited.max_message_size = RTC_SCTP_MAX_MESSAGE_SIZE_UNLIMITED;
  pair_new (w, &small, &unlimited, &l, &r);
  connect_pair (w);

  g_assert_false (rtc_sctp_send (l->sctp, 1, 53, buf, 1001, NULL, &err));
  g_assert_error (err, RTC_SCTP_ERROR, RTC_SCTP_ERROR_MESSAGE_TOO_LARGE);
  g_assert_nonnull (strstr (err->message, "1001"));
  g_assert_nonnull (strstr (err->message, "maximum message size of 1000"));
  g_test_message ("%s", err->message);
  g_clear_error (&err);
  g_assert_cmpuint (rtc_sctp_get_buffered_amount (l->sctp, 1), ==, 0);
  g_assert_true (rtc_sctp_send (l->sctp, 1, 53, buf, 1000, NULL, &err));

  /* empty messages are the caller's business (PPID 56/57) */
  g_assert_false (rtc_sctp_send (l->sctp, 1, 53, buf, 0, NULL, &err));
  g_assert_error (err, RTC_SCTP_ERROR, RTC_SCTP_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (err->message, "RFC 8831"));
  g_clear_error (&err);

  /* R may send anything, but L drops what is above its 256 KiB */
  g_assert_true (rtc_sctp_send (r->sctp, 2, 53, buf, 300000, NULL, &err));
  g_assert_true (rtc_sctp_send (r->sctp, 2, 53, buf, 262144, NULL, &err));
  drain (r);
  drain (l);
  want.peer = l;
  want.stream = 2;
  want.count = 1;
  run_until (w, has_received, &want, 20 * SEC);
  ev = find_event (l, RTC_SCTP_EVENT_RECEIVE_TOO_LARGE, 2);
  g_assert_nonnull (ev);
  g_assert_error (ev->error, RTC_SCTP_ERROR, RTC_SCTP_ERROR_MESSAGE_TOO_LARGE);
  g_assert_nonnull (strstr (ev->error->message, "300000"));
  g_assert_cmpuint (ev->ppid, ==, 53);
  g_assert_cmpuint (g_bytes_get_size (((Msg *) g_ptr_array_index (l->received,
                  0))->data), ==, 262144);
  want.peer = r;
  want.stream = 1;
  run_until (w, has_received, &want, 20 * SEC);
  g_free (buf);
  world_free (w);
}

static void
test_invalid_stream (void)
{
  RtcSctpConfig few = { 0 };
  World *w = world_new ();
  Peer *l, *r;
  GError *err = NULL;
  Ev *ev;

  few.max_streams = 16;
  pair_new (w, &few, NULL, &l, &r);
  /* R does not know yet that L accepts only 16 */
  g_assert_true (rtc_sctp_send (r->sctp, 100, 51, (const guint8 *) "x", 1,
          NULL, &err));
  g_assert_true (rtc_sctp_send (r->sctp, 10, 51, (const guint8 *) "y", 1,
          NULL, &err));
  g_assert_false (rtc_sctp_send (l->sctp, 100, 51, (const guint8 *) "x", 1,
          NULL, &err));
  g_assert_error (err, RTC_SCTP_ERROR, RTC_SCTP_ERROR_INVALID_ARGUMENT);
  g_clear_error (&err);
  connect_pair (w);
  g_assert_cmpuint (rtc_sctp_get_outbound_streams (l->sctp), ==, 16);
  g_assert_cmpuint (rtc_sctp_get_outbound_streams (r->sctp), ==, 16);
  ev = find_event (r, RTC_SCTP_EVENT_SEND_FAILED, 100);
  g_assert_nonnull (ev);
  g_assert_error (ev->error, RTC_SCTP_ERROR, RTC_SCTP_ERROR_INVALID_ARGUMENT);
  g_assert_cmpuint (rtc_sctp_get_buffered_amount (r->sctp, 100), ==, 0);
  {
    Want want = { l, 10, 1 };

    run_until (w, has_received, &want, 10 * SEC);
  }
  g_assert_false (rtc_sctp_send (r->sctp, 16, 51, (const guint8 *) "x", 1,
          NULL, &err));
  g_assert_error (err, RTC_SCTP_ERROR, RTC_SCTP_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (err->message, "16"));
  g_clear_error (&err);
  world_free (w);
}

static GBytes *
random_bytes (GRand * rand, gsize len)
{
  guint8 *d = g_malloc (len ? len : 1);
  gsize i;

  for (i = 0; i < len; i++)
    d[i] = g_rand_int (rand);
  return g_bytes_new_take (d, len);
}

static void
feed (Peer * p, const guint8 * data, gsize len)
{
  rtc_sctp_handle_packet (p->sctp, fake_now, data, len);
  drain (p);
}

static void
test_garbage (void)
{
  World *w = world_new ();
  Peer *l, *r;
  GRand *rand = g_rand_new_with_seed (42);
  GPtrArray *recent;
  Want want[3] = { {0} };
  guint i;

  pair_new (w, NULL, NULL, &l, &r);
  /* before start: starts it, and nothing breaks */
  feed (r, (const guint8 *) "garbage garbage", 15);
  feed (r, NULL, 0);
  connect_pair (w);
  {
    GBytes *m = make_msg (1, 1, 0, 5000);

    send_msg (l, 1, 51, m, NULL);
    send_msg (r, 1, 51, m, NULL);
    g_bytes_unref (m);
  }
  want[0].peer = r;
  want[0].stream = 1;
  want[0].count = 1;
  want[1].peer = l;
  want[1].stream = 1;
  want[1].count = 1;
  run_until (w, wants_met, want, 10 * SEC);

  recent = g_ptr_array_ref (l->recent);
  for (i = 0; i < 3000; i++) {
    GBytes *b;
    gsize len;
    const guint8 *d;

    switch (i % 4) {
      case 0:                  /* random */
        b = random_bytes (rand, g_rand_int_range (rand, 0, 2000));
        break;
      case 1:{                 /* a real packet, truncated */
        GBytes *src = g_ptr_array_index (recent,
            g_rand_int_range (rand, 0, recent->len));
        gsize cut = g_rand_int_range (rand, 0, g_bytes_get_size (src));

        b = g_bytes_new_from_bytes (src, 0, cut);
        break;
      }
      case 2:{                 /* a real packet with a bit flipped */
        GBytes *src = g_ptr_array_index (recent,
            g_rand_int_range (rand, 0, recent->len));
        guint8 *copy = g_bytes_unref_to_data (g_bytes_ref (src), &len);

        copy[g_rand_int_range (rand, 0, len)] ^= 1 << g_rand_int_range (rand,
            0, 8);
        b = g_bytes_new_take (copy, len);
        break;
      }
      default:{                /* the right header, random chunks */
        GBytes *src = g_ptr_array_index (recent, 0);
        gsize n = g_rand_int_range (rand, 12, 1500);
        guint8 *pkt = g_malloc (n);
        guint j;

        memcpy (pkt, g_bytes_get_data (src, NULL), 12);
        for (j = 12; j < n; j++)
          pkt[j] = g_rand_int (rand);
        b = g_bytes_new_take (pkt, n);
        break;
      }
    }
    d = g_bytes_get_data (b, &len);
    feed (r, d, len);
    feed (l, d, len);
    g_bytes_unref (b);
  }
  g_ptr_array_unref (recent);

  /* still works both ways */
  g_assert_false (l->closed);
  g_assert_false (r->closed);
  {
    GBytes *m = make_msg (1, 1, 1, 60000);

    send_msg (l, 1, 51, m, NULL);
    send_msg (r, 1, 51, m, NULL);
    g_bytes_unref (m);
  }
  want[0].count = 2;
  want[1].count = 2;
  run_until (w, wants_met, want, 10 * SEC);
  g_rand_free (rand);
  world_free (w);
}

/* Packets that pass the checksum and carry the association's ports and
 * verification tag, with random chunks: usrsctp's chunk parsers see
 * them. An association may legitimately end (SCTP answers some protocol
 * violations with ABORT, a forged SHUTDOWN ends it); then a new pair is
 * made and the fuzzing goes on. What matters is that nothing crashes or
 * leaks (run this under ASan) and that the core reports the end. */
static guint64
forge_round (GRand * rand, guint * sent, guint max)
{
  World *w = world_new ();
  Peer *l, *r;
  GBytes *hdr_src;
  guint i;

  w->quiet = TRUE;
  pair_new (w, NULL, NULL, &l, &r);
  connect_pair (w);
  hdr_src = g_bytes_ref (g_ptr_array_index (l->recent, l->recent->len - 1));

  /* our checksum matches usrsctp's */
  {
    gsize len;
    guint8 *copy = g_bytes_unref_to_data (g_bytes_ref (hdr_src), &len);
    guint32 orig, crc;

    memcpy (&orig, copy + 8, 4);
    memset (copy + 8, 0, 4);
    crc = usrsctp_crc32c (copy, len);
    g_assert_cmpuint (crc, ==, orig);
    g_free (copy);
  }

  for (i = 0; *sent < max && !r->closed; i++, (*sent)++) {
    static const guint8 types[] = { 0, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13,
      14, 15, 64, 128, 130, 132, 192, 193, 255
    };
    gsize n = g_rand_int_range (rand, 16, 600), off = 12;
    guint8 *pkt = g_malloc0 (n);
    guint32 crc;

    memcpy (pkt, g_bytes_get_data (hdr_src, NULL), 8);
    /* well-formed chunk headers with random types and contents */
    while (off + 4 <= n) {
      gsize clen = g_rand_int_range (rand, 4, 200);
      gsize j;

      clen = MIN (clen, n - off);
      pkt[off] = types[g_rand_int_range (rand, 0, G_N_ELEMENTS (types))];
      pkt[off + 1] = g_rand_int (rand);
      GST_WRITE_UINT16_BE (pkt + off + 2, clen);
      for (j = 4; j < clen; j++)
        pkt[off + j] = g_rand_int_range (rand, 0, 4) ? g_rand_int (rand) : 0;
      off += (clen + 3) & ~3;
    }
    crc = usrsctp_crc32c (pkt, n);
    memcpy (pkt + 8, &crc, 4);
    feed (r, pkt, n);
    g_free (pkt);
    /* let timers and replies run now and then */
    if (i % 50 == 49)
      run_for (w, never, NULL, 100 * 1000);
  }
  /* whatever state R is in, time passes and it is freed cleanly */
  run_for (w, never, NULL, 2 * SEC);
  g_bytes_unref (hdr_src);
  world_free (w);
  return i;
}

static void
test_garbage_valid_checksum (void)
{
  GRand *rand = g_rand_new_with_seed (4242);
  guint sent = 0, rounds = 0;

  while (sent < 3000) {
    forge_round (rand, &sent, 3000);
    rounds++;
  }
  g_test_message ("3000 forged packets over %u associations", rounds);
  g_rand_free (rand);
}

/* ------------------------------------------------------------------ */
/* close */

static void
test_close (void)
{
  World *w = world_new ();
  Peer *l, *r;
  GError *err = NULL;
  GPtrArray *sent = g_ptr_array_new_with_free_func ((GDestroyNotify)
      g_bytes_unref);
  guint i;

  pair_new (w, NULL, NULL, &l, &r);
  connect_pair (w);
  /* 2 MiB queued, then close: all of it arrives first */
  for (i = 0; i < 64; i++) {
    GBytes *m = make_msg (4, 2, i, 32768);

    send_msg (l, 2, 53, m, NULL);
    g_ptr_array_add (sent, m);
  }
  rtc_sctp_close (l->sctp);
  drain (l);
  g_assert_cmpint (rtc_sctp_get_state (l->sctp), ==, RTC_SCTP_STATE_CLOSING);
  g_assert_false (rtc_sctp_send (l->sctp, 1, 51, (const guint8 *) "x", 1,
          NULL, &err));
  g_assert_error (err, RTC_SCTP_ERROR, RTC_SCTP_ERROR_CLOSED);
  g_clear_error (&err);

  run_until (w, all_closed, NULL, 60 * SEC);
  assert_stream_equal (r, 2, sent, NULL);
  g_assert_null (find_event (l, RTC_SCTP_EVENT_CLOSED, -1)->error);
  g_assert_null (find_event (r, RTC_SCTP_EVENT_CLOSED, -1)->error);
  g_assert_cmpuint (find_event (r, RTC_SCTP_EVENT_CLOSED, -1)->n_received, ==,
      64);
  g_assert_cmpint (rtc_sctp_get_state (r->sctp), ==, RTC_SCTP_STATE_CLOSED);
  g_assert_false (rtc_sctp_send (r->sctp, 1, 51, (const guint8 *) "x", 1,
          NULL, &err));
  g_assert_error (err, RTC_SCTP_ERROR, RTC_SCTP_ERROR_CLOSED);
  g_clear_error (&err);
  /* quiet afterwards: no timers, no events */
  g_assert_false (run_for (w, never, NULL, 5 * SEC));
  g_assert_cmpuint (count_events (l, RTC_SCTP_EVENT_CLOSED, -1), ==, 1);
  g_assert_cmpuint (count_events (r, RTC_SCTP_EVENT_CLOSED, -1), ==, 1);

  /* close before start: nothing to do */
  {
    RtcSctp *s = rtc_sctp_new (NULL, &err);
    RtcOutput out;

    g_assert_no_error (err);
    rtc_sctp_close (s);
    g_assert_cmpint (rtc_sctp_get_state (s), ==, RTC_SCTP_STATE_CLOSED);
    g_assert_false (rtc_sctp_poll_output (s, &out));
    g_assert_cmpuint (out.timeout_us, ==, RTC_TIMEOUT_NONE);
    rtc_sctp_free (s);
  }
  g_ptr_array_unref (sent);
  world_free (w);
}

/* ------------------------------------------------------------------ */
/* many associations */

#define N_PAIRS 20

typedef struct
{
  Peer *l[N_PAIRS], *r[N_PAIRS];
  gboolean alive[N_PAIRS];
  guint want;
} Many;

static gboolean
many_received (World * w, gpointer data)
{
  Many *m = data;
  guint i;

  for (i = 0; i < N_PAIRS; i++)
    if (m->alive[i] && (count_received (m->r[i], 1) < m->want ||
            count_received (m->l[i], 1) < m->want))
      return FALSE;
  return TRUE;
}

static void
many_send (Many * m, guint from, guint to)
{
  guint i, k;

  for (i = 0; i < N_PAIRS; i++) {
    if (!m->alive[i])
      continue;
    for (k = from; k < to; k++) {
      GBytes *a = make_msg (100 + i, 1, k, 500 + k * 10);
      GBytes *b = make_msg (200 + i, 1, k, 800);

      send_msg (m->l[i], 1, 51, a, NULL);
      send_msg (m->r[i], 1, 53, b, NULL);
      g_bytes_unref (a);
      g_bytes_unref (b);
    }
  }
  m->want = to;
}

/* Every message went to the right association, in order. */
static void
many_check (Many * m)
{
  guint i, j;

  for (i = 0; i < N_PAIRS; i++) {
    Peer *sides[2] = { m->r[i], m->l[i] };
    guint32 tags[2] = { 100 + i, 200 + i };
    guint s;

    if (!m->alive[i])
      continue;
    for (s = 0; s < 2; s++) {
      for (j = 0; j < sides[s]->received->len; j++) {
        Msg *msg = g_ptr_array_index (sides[s]->received, j);

        g_assert_cmpuint (msg_tag (msg->data), ==, tags[s]);
        g_assert_cmpuint (msg_seq (msg->data), ==, j);
      }
    }
  }
}

static void
test_many (void)
{
  World *w = world_new ();
  Many m;
  guint i;

  memset (&m, 0, sizeof (m));
  for (i = 0; i < N_PAIRS; i++) {
    pair_new (w, NULL, NULL, &m.l[i], &m.r[i]);
    m.alive[i] = TRUE;
  }
  connect_pair (w);
  many_send (&m, 0, 20);
  run_until (w, many_received, &m, 20 * SEC);
  many_check (&m);

  /* Free every other pair, with messages still in flight for some, and
   * one side only of pair 1: its partner is left alone. */
  many_send (&m, 20, 40);
  for (i = 0; i < N_PAIRS; i += 2) {
    peer_kill (m.l[i]);
    peer_kill (m.r[i]);
    m.alive[i] = FALSE;
  }
  peer_kill (m.l[1]);
  m.alive[1] = FALSE;

  run_until (w, many_received, &m, 20 * SEC);
  /* a minute with timers running for everyone (heartbeats, the lone
   * partner giving up) */
  run_for (w, never, NULL, 60 * SEC);
  g_assert_true (m.r[1]->closed);
  g_assert_nonnull (find_event (m.r[1], RTC_SCTP_EVENT_CLOSED, -1)->error);
  many_send (&m, 40, 60);
  run_until (w, many_received, &m, 20 * SEC);
  many_check (&m);
  /* other instances' timer ticks made output for these */
  g_assert_cmpuint (total_wakeups (w), >, 0);
  for (i = 0; i < N_PAIRS; i++) {
    if (!m.alive[i])
      continue;
    g_assert_false (m.l[i]->closed);
    g_assert_false (m.r[i]->closed);
    g_assert_cmpuint (m.l[i]->n_connected, ==, 1);
  }
  world_free (w);
}

/* A wakeup that polls the woken instance at once, inside the call of
 * another instance that produced its output: no deadlock, nothing lost. */
static void
test_wakeup_inline (void)
{
  World *w = world_new ();
  Many m;
  guint i;

  memset (&m, 0, sizeof (m));
  w->inline_drain = TRUE;
  for (i = 0; i < 4; i++) {
    pair_new (w, NULL, NULL, &m.l[i], &m.r[i]);
    peer_set_loss (m.l[i], 0.05, 10 + i);
    peer_set_loss (m.r[i], 0.05, 20 + i);
    m.alive[i] = TRUE;
  }
  connect_pair (w);
  many_send (&m, 0, 100);
  run_until (w, many_received, &m, 120 * SEC);
  many_check (&m);
  g_assert_cmpuint (total_wakeups (w), >, 0);
  g_test_message ("%u wakeups", total_wakeups (w));
  world_free (w);
}

/* ------------------------------------------------------------------ */
/* threads: each thread drives its own pairs; the timer wheel and wakeups
 * cross between them. Real time, continuing from the fake clock. */

#define N_THREADS 4
#define THREAD_PAIRS 2
#define THREAD_MSGS 300

typedef struct
{
  World *w;
  Peer *l[THREAD_PAIRS], *r[THREAD_PAIRS];
  guint index;
  gboolean ok;
} ThreadData;

static gboolean
thread_done (World * w, gpointer data)
{
  ThreadData *td = data;
  guint i;

  for (i = 0; i < THREAD_PAIRS; i++)
    if (count_received (td->r[i], 1) < THREAD_MSGS + 10 ||
        count_received (td->l[i], 2) < THREAD_MSGS + 10)
      return FALSE;
  return TRUE;
}

/* progress() on real time: wait (on the condition the wakeups signal)
 * until the earliest deadline instead of jumping to it. */
static gboolean
progress_real (World * w)
{
  guint64 t = RTC_TIMEOUT_NONE, now;
  Peer *best = NULL;
  guint i;

  if (drain_woken (w))
    return TRUE;
  for (i = 0; i < w->peers->len; i++) {
    Peer *p = g_ptr_array_index (w->peers, i);
    Packet *pk = g_queue_pop_head (&p->wire);

    if (pk) {
      deliver (p->other, pk->bytes);
      packet_free (pk);
      return TRUE;
    }
  }
  for (i = 0; i < w->peers->len; i++) {
    Peer *p = g_ptr_array_index (w->peers, i);

    if (p->sctp && p->timeout_us < t) {
      t = p->timeout_us;
      best = p;
    }
  }
  if (best == NULL)
    return FALSE;
  now = world_now (w);
  if (t > now) {
    gint64 end = g_get_monotonic_time () + (t - now);

    g_mutex_lock (&w->lock);
    while (!w->signalled)
      if (!g_cond_wait_until (&w->cond, &w->lock, end))
        break;
    w->signalled = FALSE;
    g_mutex_unlock (&w->lock);
    if (world_now (w) < t)
      return TRUE;              /* woken early */
  }
  rtc_sctp_handle_timeout (best->sctp, world_now (w));
  drain (best);
  return TRUE;
}

static gpointer
thread_main (gpointer data)
{
  ThreadData *td = data;
  World *w = td->w;
  gint64 end = g_get_monotonic_time () + 60 * SEC;
  guint i, k;

  world_start (w);
  while (!all_connected (w, NULL) && g_get_monotonic_time () < end)
    progress_real (w);
  for (k = 0; k < THREAD_MSGS; k++) {
    for (i = 0; i < THREAD_PAIRS; i++) {
      GBytes *a = make_msg (1000 + td->index * 10 + i, 1, k, 700);
      GBytes *b = make_msg (2000 + td->index * 10 + i, 2, k, 300);

      send_msg (td->l[i], 1, 51, a, NULL);
      send_msg (td->r[i], 2, 53, b, NULL);
      g_bytes_unref (a);
      g_bytes_unref (b);
    }
    if (k % 10 == 0)
      progress_real (w);
  }
  /* Then a few lone messages with pauses: their SACKs wait for the
   * delayed-SACK timer (20 ms), which fires in whichever thread ticks the
   * shared timers next, and wakes the owner. */
  for (k = THREAD_MSGS; k < THREAD_MSGS + 10; k++) {
    gint64 pause = g_get_monotonic_time () + 40 * 1000;

    for (i = 0; i < THREAD_PAIRS; i++) {
      GBytes *a = make_msg (1000 + td->index * 10 + i, 1, k, 700);
      GBytes *b = make_msg (2000 + td->index * 10 + i, 2, k, 300);

      send_msg (td->l[i], 1, 51, a, NULL);
      send_msg (td->r[i], 2, 53, b, NULL);
      g_bytes_unref (a);
      g_bytes_unref (b);
    }
    while (g_get_monotonic_time () < pause)
      progress_real (w);
  }
  while (!thread_done (w, td) && g_get_monotonic_time () < end)
    progress_real (w);
  td->ok = thread_done (w, td);
  return NULL;
}

static void
test_threads (void)
{
  ThreadData td[N_THREADS];
  GThread *threads[N_THREADS];
  guint t, i, j, n_wakeups = 0;

  clock_base = fake_now + SEC;
  clock_real_base = g_get_monotonic_time ();
  g_atomic_int_set (&clock_real, 1);
  for (t = 0; t < N_THREADS; t++) {
    td[t].w = world_new ();
    td[t].w->real_time = TRUE;
    td[t].index = t;
    td[t].ok = FALSE;
    for (i = 0; i < THREAD_PAIRS; i++)
      pair_new (td[t].w, NULL, NULL, &td[t].l[i], &td[t].r[i]);
  }
  for (t = 0; t < N_THREADS; t++)
    threads[t] = g_thread_new ("sctp-test", thread_main, &td[t]);
  for (t = 0; t < N_THREADS; t++)
    g_thread_join (threads[t]);

  for (t = 0; t < N_THREADS; t++)
    n_wakeups += total_wakeups (td[t].w);
  /* how many depends on which thread's tick fires whose timers; the
   * single-threaded tests check that they happen */
  g_test_message ("%u wakeups across threads", n_wakeups);
  for (t = 0; t < N_THREADS; t++) {
    g_assert_true (td[t].ok);
    for (i = 0; i < THREAD_PAIRS; i++) {
      for (j = 0; j < td[t].r[i]->received->len; j++) {
        Msg *m = g_ptr_array_index (td[t].r[i]->received, j);

        g_assert_cmpuint (msg_tag (m->data), ==, 1000 + t * 10 + i);
        g_assert_cmpuint (msg_seq (m->data), ==, j);
      }
      for (j = 0; j < td[t].l[i]->received->len; j++) {
        Msg *m = g_ptr_array_index (td[t].l[i]->received, j);

        g_assert_cmpuint (msg_tag (m->data), ==, 2000 + t * 10 + i);
        g_assert_cmpuint (msg_seq (m->data), ==, j);
      }
    }
    world_free (td[t].w);
  }
  fake_now = MAX (fake_now, test_clock ());
  g_atomic_int_set (&clock_real, 0);
}

/* ------------------------------------------------------------------ */

static void
test_config_invalid (void)
{
  RtcSctpConfig cfg = { 0 };
  GError *err = NULL;

  cfg.mtu = 100;
  g_assert_null (rtc_sctp_new (&cfg, &err));
  g_assert_error (err, RTC_SCTP_ERROR, RTC_SCTP_ERROR_INVALID_ARGUMENT);
  g_clear_error (&err);
}

int
main (int argc, char **argv)
{
  gst_init (NULL, NULL);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sctp/connect/both", test_connect);
  g_test_add_func ("/sctp/connect/one-side", test_connect_one_side);
  g_test_add_func ("/sctp/connect/init-lost", test_connect_init_lost);
  g_test_add_func ("/sctp/connect/global-timers", test_global_timers);
  g_test_add_func ("/sctp/data/round-trip", test_data_round_trip);
  g_test_add_func ("/sctp/data/mtu", test_data_mtu);
  g_test_add_func ("/sctp/data/before-connected", test_data_before_connected);
  g_test_add_func ("/sctp/data/burst", test_data_burst);
  g_test_add_func ("/sctp/loss/reliability", test_loss_reliability);
  g_test_add_func ("/sctp/loss/lifetime", test_loss_lifetime);
  g_test_add_func ("/sctp/loss/unreachable", test_loss_unreachable);
  g_test_add_func ("/sctp/stream-reset/both-sides", test_stream_reset);
  g_test_add_func ("/sctp/limits/too-large", test_too_large);
  g_test_add_func ("/sctp/limits/invalid-stream", test_invalid_stream);
  g_test_add_func ("/sctp/limits/config", test_config_invalid);
  g_test_add_func ("/sctp/garbage/random", test_garbage);
  g_test_add_func ("/sctp/garbage/valid-checksum", test_garbage_valid_checksum);
  g_test_add_func ("/sctp/close/graceful", test_close);
  g_test_add_func ("/sctp/many/pairs", test_many);
  g_test_add_func ("/sctp/many/wakeup-inline", test_wakeup_inline);
  /* last: it moves the clock on to real time */
  g_test_add_func ("/sctp/threads/pairs", test_threads);

  return g_test_run ();
}
