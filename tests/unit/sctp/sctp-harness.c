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
 * RTT, PR-SCTP lifetimes, cookie lifetime), so this file defines
 * gettimeofday() to read the same fake clock: usrsctp's calls bind to it.
 * Without that a fake clock racing ahead of the real one makes usrsctp
 * resend nothing on T3 timeouts. That is also why every test program
 * that uses the harness must link this file itself (meson.build lists it
 * as a source of each), not get it from a library where the definition
 * might not be pulled in. The threads test runs on real time continuing
 * from the fake clock (clock_start_real()). */

#include <string.h>
#include <sys/time.h>
#include <glib.h>
#include <gst/gst.h>

#include "sctp-harness.h"
#include "sctp/rtccrc32c.h"
#include "sctp/rtcsctp-wire.h"

#define MAX_STEPS 20000000

guint64 fake_now = 1 * SEC;

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

/* Real time picks up a second past the fake clock, so that it stays
 * ahead of every deadline the fake clock handed out. */
void
clock_start_real (void)
{
  clock_base = fake_now + SEC;
  clock_real_base = g_get_monotonic_time ();
  g_atomic_int_set (&clock_real, 1);
}

/* The fake clock continues from where real time got to: it must never go
 * back, usrsctp's timers and gettimeofday() readings assume it does not. */
void
clock_stop_real (void)
{
  fake_now = MAX (fake_now, test_clock ());
  g_atomic_int_set (&clock_real, 0);
}

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

void
packet_free (Packet * p)
{
  g_bytes_unref (p->bytes);
  g_free (p);
}

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
void
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

World *
world_new (void)
{
  World *w = g_new0 (World, 1);

  w->peers = g_ptr_array_new_with_free_func ((GDestroyNotify) peer_free);
  g_mutex_init (&w->lock);
  g_cond_init (&w->cond);
  return w;
}

void
world_free (World * w)
{
  g_ptr_array_unref (w->peers);
  g_mutex_clear (&w->lock);
  g_cond_clear (&w->cond);
  g_free (w);
}

void
pair_new (World * w, const RtcSctpConfig * lcfg, const RtcSctpConfig * rcfg,
    Peer ** l, Peer ** r)
{
  *l = peer_new (w, "L", lcfg);
  *r = peer_new (w, "R", rcfg);
  (*l)->other = *r;
  (*r)->other = *l;
}

void
peer_set_loss (Peer * p, gdouble loss, guint32 seed)
{
  p->loss = loss;
  if (p->rand == NULL)
    p->rand = g_rand_new_with_seed (seed);
}

void
peer_set_strict (Peer * p)
{
  p->strict = TRUE;
}

gboolean
strict_knows_chunk (guint8 type)
{
  /* RFC 9260 (DATA .. COOKIE ACK, SHUTDOWN COMPLETE), RFC 6525 RE-CONFIG,
   * RFC 3758 FORWARD TSN: what a WebRTC data channel needs */
  return type <= 11 || type == 14 || type == 0x82 || type == 0xc0;
}

/* The State Cookie of an INIT ACK, or the cookie of a COOKIE ECHO first
 * in the packet; NULL if there is none. */
static guint8 *
find_cookie (guint8 * pkt, gsize len)
{
  gsize off, end;

  if (len < 16)
    return NULL;
  end = MIN (len, 12 + (gsize) rtc_wire_get16 (pkt + 14));
  if (pkt[12] == 10 && end >= 16 + 8)
    return pkt + 16;
  if (pkt[12] != 2)
    return NULL;
  for (off = 12 + 20; off + 4 <= end;) {
    guint16 type = rtc_wire_get16 (pkt + off);
    guint16 plen = rtc_wire_get16 (pkt + off + 2);

    if (plen < 4 || off + plen > end)
      return NULL;
    if (type == 7)
      return plen >= 4 + 8 ? pkt + off + 4 : NULL;
    off += (plen + 3) & ~3u;
  }
  return NULL;
}

/* A strict peer's stack is not usrsctp as far as the other side can see:
 * its cookies say something else than "KAME-BSD" (@hide), and get it
 * back on their return, so usrsctp's own check of them still passes. */
static void
strict_swap_cookie (guint8 * pkt, gsize len, gboolean hide)
{
  guint8 *c = find_cookie (pkt, len);
  const gchar *from = hide ? "KAME-BSD" : "STRICTJS";
  const gchar *to = hide ? "STRICTJS" : "KAME-BSD";

  if (c && memcmp (c, from, 8) == 0) {
    memcpy (c, to, 8);
    rtc_sctp_checksum_fill (pkt, len);
  }
}

/* What a strict peer does with a chunk type it does not know: it drops
 * the association. The ABORT carries the tag its own packets carry. */
static gboolean
strict_check (Peer * p, const guint8 * pkt, gsize len)
{
  gsize off = 12;
  guint i;

  while (off + 4 <= len) {
    guint16 clen = rtc_wire_get16 (pkt + off + 2);

    if (clen < 4)
      break;
    if (!strict_knows_chunk (pkt[off])) {
      g_test_message ("strict peer %s: unknown chunk type 0x%02x, aborting",
          p->name, pkt[off]);
      p->strict_aborted = TRUE;
      p->strict_bad_type = pkt[off];
      for (i = p->recent->len; i > 0; i--) {
        gsize rlen;
        const guint8 *r = g_bytes_get_data (g_ptr_array_index (p->recent,
                i - 1), &rlen);

        if (rlen >= 16 && r[12] != 1 && rtc_wire_get32 (r + 4) != 0) {
          guint8 abort[16] = { 0 };

          memcpy (abort, r, 8);
          abort[12] = 6;        /* ABORT, no cause */
          abort[15] = 4;
          rtc_sctp_checksum_fill (abort, sizeof (abort));
          if (p->other && p->other->sctp) {
            GBytes *b = g_bytes_new (abort, sizeof (abort));

            deliver (p->other, b);
            g_bytes_unref (b);
          }
          break;
        }
      }
      peer_kill (p);
      return FALSE;
    }
    off += (clen + 3) & ~3u;
  }
  return TRUE;
}

void
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
        GBytes *bytes;

        g_assert_nonnull (out.data);
        g_assert_cmpuint (out.len, >=, 12);
        if (p->strict) {
          guint8 *copy = g_memdup2 (out.data, out.len);

          strict_swap_cookie (copy, out.len, TRUE);
          bytes = g_bytes_new_take (copy, out.len);
        } else {
          bytes = g_bytes_new (out.data, out.len);
        }
        p->n_transmitted++;
        p->max_packet = MAX (p->max_packet, out.len);
        if (p->recent->len >= 64)
          g_ptr_array_remove_index (p->recent, 0);
        g_ptr_array_add (p->recent, g_bytes_ref (bytes));
        if (p->wire_mtu && out.len > p->wire_mtu) {
          p->n_too_big++;
          g_bytes_unref (bytes);
          break;
        }
        if (p->drop_all || (p->rand && g_rand_double (p->rand) < p->loss)) {
          g_bytes_unref (bytes);
          break;
        }
        pk = g_new0 (Packet, 1);
        pk->deliver_at = world_now (w) + p->latency_us;
        pk->seq = w->packet_seq++;
        pk->bytes = bytes;
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

void
deliver (Peer * to, GBytes * bytes)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  if (to == NULL || to->sctp == NULL)
    return;
  if (to->strict) {
    guint8 *copy = g_memdup2 (data, len);

    if (strict_check (to, copy, len)) {
      strict_swap_cookie (copy, len, FALSE);
      rtc_sctp_handle_packet (to->sctp, world_now (to->world), copy, len);
      drain (to);
    }
    g_free (copy);
    return;
  }
  rtc_sctp_handle_packet (to->sctp, world_now (to->world), data, len);
  drain (to);
}

gboolean
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
gboolean
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

/* progress() on real time: wait (on the condition the wakeups signal)
 * until the earliest deadline instead of jumping to it. */
gboolean
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

/* Runs until @cond holds or @max_us of virtual time passed. */
gboolean
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

void
run_until (World * w, Condition cond, gpointer data, guint64 max_us)
{
  g_assert_true (run_for (w, cond, data, max_us));
}

gboolean
never (World * w, gpointer data)
{
  return FALSE;
}

gboolean
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

gboolean
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

void
world_start (World * w)
{
  guint i;

  for (i = 0; i < w->peers->len; i++) {
    Peer *p = g_ptr_array_index (w->peers, i);

    rtc_sctp_start (p->sctp, world_now (w));
    drain (p);
  }
}

void
connect_pair (World * w)
{
  world_start (w);
  run_until (w, all_connected, NULL, 10 * SEC);
}

/* Deterministic message contents: a 12-byte header (tag, stream, seq)
 * when there is room, then a pattern that depends on all three. */
GBytes *
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
    rtc_wire_put32 (d, tag);
    rtc_wire_put32 (d + 4, stream);
    rtc_wire_put32 (d + 8, seq);
  }
  return g_bytes_new_take (d, size);
}

guint32
msg_seq (GBytes * b)
{
  gsize len;
  const guint8 *d = g_bytes_get_data (b, &len);

  g_assert_cmpuint (len, >=, 12);
  return rtc_wire_get32 (d + 8);
}

guint32
msg_tag (GBytes * b)
{
  gsize len;
  const guint8 *d = g_bytes_get_data (b, &len);

  g_assert_cmpuint (len, >=, 12);
  return rtc_wire_get32 (d);
}

void
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

guint
count_received (Peer * p, guint16 stream)
{
  guint i, n = 0;

  for (i = 0; i < p->received->len; i++)
    if (((Msg *) g_ptr_array_index (p->received, i))->stream == stream)
      n++;
  return n;
}

guint
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

guint
total_wakeups (World * w)
{
  guint i, n = 0;

  for (i = 0; i < w->peers->len; i++)
    n += g_atomic_int_get (&((Peer *) g_ptr_array_index (w->peers,
                i))->n_wakeups);
  return n;
}

Ev *
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
void
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

gboolean
has_received (World * w, gpointer data)
{
  Want *want = data;

  return count_received (want->peer, want->stream) >= want->count;
}

gboolean
wants_met (World * w, gpointer data)
{
  Want *want;

  for (want = data; want->peer; want++)
    if (count_received (want->peer, want->stream) < want->count)
      return FALSE;
  return TRUE;
}
