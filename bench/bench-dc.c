/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* datachannel: one reliable ordered channel, created by peer 0 before the
 * offer. Bulk transfer of 64 KiB and 1 KiB messages from peer 0 to peer 1,
 * the sender keeping buffered-amount under a high-water mark with
 * on-buffered-amount-low; then a 1-byte ping-pong. Each both with the
 * descriptions as rtcpeerbin writes them ("loopback": two rtcpeerbins may
 * use 16 KiB SCTP packets) and with a=x-rtcpeer-sctp-max-packet removed
 * ("ethernet": packets stay at 1384 bytes, as towards a browser). */

#include <math.h>
#include <string.h>

#include "bench.h"

static gboolean
open_or_failed (gpointer data)
{
  BenchPair *pair = data;

  return bench_pair_failed (pair) || (bench_pair_connected (pair) &&
      bench_pair_dc_open (pair));
}

static BenchPair *
dc_pair (const gchar * element, gboolean ethernet)
{
  BenchPairConfig cfg = { element, bench_opts.latency_ms,
    {BENCH_SEND_NONE, BENCH_SEND_NONE}, FALSE, TRUE, ethernet
  };
  BenchPair *pair = bench_pair_new (&cfg);

  bench_pair_play (pair);
  bench_pair_negotiate (pair);
  if (!bench_wait (open_or_failed, pair, bench_now () + 20 * G_USEC_PER_SEC)
      || bench_pair_failed (pair)) {
    gchar *d = bench_pair_describe (pair);

    g_printerr ("rtcbench: datachannel: %s did not open its channel\n%s",
        element, d);
    g_free (d);
    bench_pair_free (pair);
    return NULL;
  }
  return pair;
}

static gboolean
low_seen (gpointer data)
{
  return ((BenchPeer *) data)->low;
}

typedef struct
{
  BenchPeer *peer;
  gint64 bytes;
} RxWait;

static gboolean
received (gpointer data)
{
  RxWait *w = data;

  return __atomic_load_n (&w->peer->dc_rx_bytes, __ATOMIC_RELAXED) >=
      w->bytes;
}

/* Sends @size-byte messages for @seconds as fast as the high-water mark
 * lets a well-behaved sender, then waits for the last one to arrive. */
static GstStructure *
bulk (BenchPair * pair, guint size, const gchar * variant,
    const gchar * path)
{
  BenchPeer *tx = &pair->peer[0], *rx = &pair->peer[1];
  GObject *ch = tx->channel;
  guint8 *data = g_malloc (size);
  GBytes *payload;
  guint64 hw = bench_opts.dc_high_water, buffered;
  gint64 start, end, rx_bytes0, rx_msgs0, sent = 0, waits = 0;
  gdouble cpu0, secs;
  RxWait w;
  GstStructure *r;

  memset (data, 0x5a, size);
  payload = g_bytes_new_take (data, size);
  g_object_set (ch, "buffered-amount-low-threshold", hw / 2, NULL);
  rx_bytes0 = __atomic_load_n (&rx->dc_rx_bytes, __ATOMIC_RELAXED);
  rx_msgs0 = __atomic_load_n (&rx->dc_rx_msgs, __ATOMIC_RELAXED);
  cpu0 = bench_cpu_seconds ();
  start = bench_now ();
  end = start + (gint64) (bench_opts.dc_seconds * G_USEC_PER_SEC);
  while (bench_now () < end) {
    /* Clear the flag before looking, so a low event between the look
     * and the wait is not lost. */
    bench_lock ();
    tx->low = FALSE;
    bench_unlock ();
    g_object_get (ch, "buffered-amount", &buffered, NULL);
    if (buffered > hw) {
      waits++;
      bench_wait (low_seen, tx, MIN (end, bench_now () + G_USEC_PER_SEC));
      continue;
    }
    g_signal_emit_by_name (ch, "send-data", payload);
    sent++;
  }
  w.peer = rx;
  w.bytes = rx_bytes0 + sent * (gint64) size;
  if (!bench_wait (received, &w, bench_now () + 60 * G_USEC_PER_SEC))
    g_printerr ("rtcbench: datachannel %s %s: %" G_GINT64_FORMAT " of %"
        G_GINT64_FORMAT " bytes arrived\n", pair->cfg.element, variant,
        __atomic_load_n (&rx->dc_rx_bytes, __ATOMIC_RELAXED) - rx_bytes0,
        sent * (gint64) size);
  secs = (__atomic_load_n (&rx->dc_last_rx_at, __ATOMIC_RELAXED) - start) /
      1e6;
  r = bench_result_new ("datachannel", variant, pair->cfg.element);
  gst_structure_set (r, "path", G_TYPE_STRING, path,
      "message_bytes", G_TYPE_UINT, size,
      "high_water_bytes", G_TYPE_UINT, (guint) hw,
      "seconds", G_TYPE_DOUBLE, secs,
      "mib_per_s", G_TYPE_DOUBLE, (__atomic_load_n (&rx->dc_rx_bytes,
              __ATOMIC_RELAXED) - rx_bytes0) / secs / (1024.0 * 1024.0),
      "msgs_per_s", G_TYPE_DOUBLE, (__atomic_load_n (&rx->dc_rx_msgs,
              __ATOMIC_RELAXED) - rx_msgs0) / secs,
      "cpu_pct", G_TYPE_DOUBLE, 100 * (bench_cpu_seconds () - cpu0) / secs,
      "high_water_waits", G_TYPE_INT64, waits, NULL);
  g_bytes_unref (payload);
  return r;
}

/* ---- ping-pong ---- */

typedef struct
{
  GBytes *ping;
  gint64 sent_at, end;
  GArray *rtt_us;               /* gdouble; only the pinging callback */
  gboolean done;                /* bench lock */
} PingPong;

static void
echo (BenchPair * pair, guint peer, GBytes * data)
{
  g_signal_emit_by_name (pair->peer[1].channel, "send-data", data);
}

static void
pong (BenchPair * pair, guint peer, GBytes * data)
{
  PingPong *pp = pair->user_data;
  gint64 now = bench_now ();
  gdouble rtt;

  if (!pp)
    return;
  rtt = now - pp->sent_at;
  g_array_append_val (pp->rtt_us, rtt);
  if (now < pp->end) {
    pp->sent_at = bench_now ();
    g_signal_emit_by_name (pair->peer[0].channel, "send-data", pp->ping);
    return;
  }
  bench_lock ();
  pp->done = TRUE;
  g_cond_broadcast (&bench_waiter.cond);
  bench_unlock ();
}

static gboolean
pingpong_done (gpointer data)
{
  return ((PingPong *) data)->done;
}

/* One 1-byte message in flight at a time: each end answers from its
 * on-message-data handler, as an application would. */
static GstStructure *
pingpong (BenchPair * pair, const gchar * path)
{
  PingPong pp = { 0, };
  guint8 byte = 1;
  gint64 start;
  gdouble cpu0, secs;
  GstStructure *r;

  pp.ping = g_bytes_new (&byte, 1);
  pp.rtt_us = g_array_new (FALSE, FALSE, sizeof (gdouble));
  pair->user_data = &pp;
  pair->peer[1].on_message = echo;
  pair->peer[0].on_message = pong;
  cpu0 = bench_cpu_seconds ();
  start = bench_now ();
  pp.end = start + (gint64) (bench_opts.dc_seconds * G_USEC_PER_SEC);
  pp.sent_at = start;
  g_signal_emit_by_name (pair->peer[0].channel, "send-data", pp.ping);
  if (!bench_wait (pingpong_done, &pp, pp.end + 10 * G_USEC_PER_SEC))
    g_printerr ("rtcbench: datachannel %s pingpong: an answer never came "
        "after %u round trips\n", pair->cfg.element, pp.rtt_us->len);
  secs = (bench_now () - start) / 1e6;
  /* The handlers are done once pp.done is set, or never come again. */
  pair->peer[0].on_message = pair->peer[1].on_message = NULL;
  r = bench_result_new ("datachannel", "pingpong", pair->cfg.element);
  gst_structure_set (r, "path", G_TYPE_STRING, path,
      "message_bytes", G_TYPE_UINT, 1,
      "seconds", G_TYPE_DOUBLE, secs,
      "round_trips_per_s", G_TYPE_DOUBLE, pp.rtt_us->len / secs,
      "cpu_pct", G_TYPE_DOUBLE, 100 * (bench_cpu_seconds () - cpu0) / secs,
      NULL);
  gst_structure_set (r, "rtt_us_median", G_TYPE_DOUBLE,
      bench_quantile (pp.rtt_us, 0.5), "rtt_us_p90", G_TYPE_DOUBLE,
      bench_quantile (pp.rtt_us, 0.9), NULL);
  if (pp.done) {
    g_array_unref (pp.rtt_us);
    g_bytes_unref (pp.ping);
  }
  /* else: a late answer may still touch them; they stay. */
  pair->user_data = NULL;
  return r;
}

gboolean
bench_datachannel (void)
{
  const gchar *paths[] = { "loopback", "ethernet" };
  const gchar *variants[] = { "64KiB", "1KiB", "pingpong" };
  GPtrArray *runs[2][3][2];
  guint p, v, e, r;

  for (p = 0; p < 2; p++) {
    if (g_strcmp0 (bench_opts.dc_mtu, "both") &&
        g_strcmp0 (bench_opts.dc_mtu, paths[p]))
      continue;
    for (v = 0; v < 3; v++)
      for (e = 0; e < 2; e++)
        runs[p][v][e] = g_ptr_array_new_with_free_func ((GDestroyNotify)
            gst_structure_free);
    for (r = 0; r < bench_opts.runs; r++) {
      BenchPair *pair[2] = { NULL, NULL };

      for (e = 0; e < 2; e++)
        if (bench_element (e))
          pair[e] = dc_pair (bench_element (e), p == 1);
      /* Measurement by measurement, the elements take turns. */
      for (v = 0; v < 3; v++) {
        for (e = 0; e < 2; e++) {
          GstStructure *res;

          if (!pair[e])
            continue;
          res = v < 2 ? bulk (pair[e], v == 0 ? 65536 : 1024, variants[v],
              paths[p]) : pingpong (pair[e], paths[p]);
          if (v == 0) {
            guint mtu = bench_pair_sctp_mtu (pair[e], 0);

            if (mtu)
              gst_structure_set (res, "sctp_path_mtu", G_TYPE_UINT, mtu,
                  NULL);
          }
          g_ptr_array_add (runs[p][v][e], res);
        }
      }
      for (e = 0; e < 2; e++)
        if (pair[e])
          bench_pair_free (pair[e]);
    }
    for (v = 0; v < 3; v++) {
      bench_print_runs (runs[p][v]);
      for (e = 0; e < 2; e++)
        g_ptr_array_unref (runs[p][v][e]);
    }
  }
  return TRUE;
}
