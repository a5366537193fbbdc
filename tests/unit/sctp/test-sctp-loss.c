/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The SCTP core under stress: packet loss (reliable, partially reliable,
 * a peer that goes away), stream resets, many associations sharing
 * usrsctp's timers, and threads. The clean-path tests are in test-sctp.c;
 * both run on the in-memory network and fake clock of sctp-harness.c. */

#include <string.h>
#include <glib.h>
#include <gst/gst.h>

#include "sctp/rtcsctp.h"
#include "sctp-harness.h"

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

  clock_start_real ();
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
  clock_stop_real ();
}

int
main (int argc, char **argv)
{
  gst_init (NULL, NULL);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sctp/loss/reliability", test_loss_reliability);
  g_test_add_func ("/sctp/loss/lifetime", test_loss_lifetime);
  g_test_add_func ("/sctp/loss/unreachable", test_loss_unreachable);
  g_test_add_func ("/sctp/stream-reset/both-sides", test_stream_reset);
  g_test_add_func ("/sctp/many/pairs", test_many);
  g_test_add_func ("/sctp/many/wakeup-inline", test_wakeup_inline);
  /* last: it moves the clock on to real time */
  g_test_add_func ("/sctp/threads/pairs", test_threads);

  return g_test_run ();
}
