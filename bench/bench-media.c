/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* media and ramp: one 1200-byte RTP stream from peer 0 to peer 1, paced
 * or flooding, counted where the application hands it over (appsrc),
 * where it enters the sending bin (its sink pad) and where it leaves the
 * receiving bin (its src pad, after the jitterbuffer). */

#include <math.h>
#include <string.h>

#include "bench.h"

typedef struct
{
  gdouble target;               /* pps; 0 = flood */
  gdouble seconds;              /* the sender's time */
  guint64 offered, sent, received;
  gdouble cpu;                  /* seconds, both peers and the sender */
} Step;

static gdouble
step_loss_pct (const Step * s)
{
  return s->offered ? 100.0 * (1.0 - (gdouble) s->received / s->offered) :
      NAN;
}

static gboolean
ready (gpointer data)
{
  BenchPair *pair = data;

  return bench_pair_failed (pair) || (bench_pair_connected (pair) &&
      bench_pair_media (pair));
}

static gboolean
caps_ready (gpointer data)
{
  return bench_pair_caps_ready (data) || bench_pair_failed (data);
}

/* Waits until the receiver's count stops moving for the jitterbuffer's
 * latency plus 300 ms, or reaches what entered the sender. */
typedef struct
{
  BenchPair *pair;
  gint64 last, changed_at, quiet, target;
} Drain;

static gboolean
drained (gpointer data)
{
  Drain *d = data;
  gint64 rx = __atomic_load_n (&d->pair->peer[1].rx_packets,
      __ATOMIC_RELAXED), now = bench_now ();

  if (rx >= d->target)
    return TRUE;
  if (rx != d->last) {
    d->last = rx;
    d->changed_at = now;
  }
  return now - d->changed_at >= d->quiet;
}

static void
drain (BenchPair * pair)
{
  Drain d = { pair, -1, bench_now (),
    (pair->cfg.latency_ms + 300) * (gint64) 1000,
    __atomic_load_n (&pair->peer[0].tx_packets, __ATOMIC_RELAXED)
  };

  bench_wait (drained, &d, bench_now () + 10 * G_USEC_PER_SEC);
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

/* A connected pair whose receiver has had media, or NULL. Its sender
 * sends at 50 pps until then; with @cold_flood it floods from before the
 * offer instead, and *@cold_flood is the pacer still flooding. */
static BenchPair *
media_pair (const gchar * element, gboolean flood, BenchPacer ** cold_flood)
{
  BenchPairConfig cfg = { element, bench_opts.media_latency_ms,
    {BENCH_SEND_VIDEO, BENCH_SEND_NONE}, flood, FALSE, FALSE
  };
  BenchPair *pair = bench_pair_new (&cfg);
  BenchPacer *pacer = bench_pacer_new ();
  gboolean ok;

  bench_pacer_add (pacer, pair->peer[0].stream, cold_flood ? 0 : 50);
  bench_pair_play (pair);
  bench_pacer_start (pacer);
  ok = bench_wait (caps_ready, pair, bench_now () + 5 * G_USEC_PER_SEC);
  if (ok) {
    bench_pair_negotiate (pair);
    ok = bench_wait (ready, pair, bench_now () + 20 * G_USEC_PER_SEC) &&
        !bench_pair_failed (pair);
  }
  if (!ok) {
    gchar *d = bench_pair_describe (pair);

    g_printerr ("rtcbench: media: %s did not connect or carry media\n%s",
        element, d);
    g_free (d);
    /* A flooding sender may be blocked in a bin that never connected. */
    gst_element_set_state (pair->pipeline, GST_STATE_NULL);
  }
  if (ok && cold_flood) {
    *cold_flood = pacer;
    return pair;
  }
  bench_pacer_free (pacer);
  if (!ok) {
    bench_pair_free (pair);
    return NULL;
  }
  drain (pair);
  return pair;
}

/* One rate for @seconds; @running: a flood already going, stopped here. */
static void
measure (BenchPair * pair, gdouble rate, gdouble seconds, BenchPacer * running,
    Step * out)
{
  BenchPacer *pacer = running ? running : bench_pacer_new ();
  gint64 rx0, tx0, start, stop;
  gdouble cpu0;

  memset (out, 0, sizeof (*out));
  out->target = rate;
  rx0 = __atomic_load_n (&pair->peer[1].rx_packets, __ATOMIC_RELAXED);
  tx0 = __atomic_load_n (&pair->peer[0].tx_packets, __ATOMIC_RELAXED);
  cpu0 = bench_cpu_seconds ();
  start = bench_now ();
  if (!running) {
    bench_pacer_add (pacer, pair->peer[0].stream, rate);
    bench_pacer_start (pacer);
  }
  /* The measurement's length, not a synchronisation; with --progress,
   * a line per second. */
  if (bench_opts.progress) {
    gint64 t = start, rx = rx0, tx = tx0;

    while ((t += G_USEC_PER_SEC) < start + (gint64) (seconds * 1e6)) {
      gint64 nrx, ntx;

      bench_wait (never, NULL, t);
      nrx = __atomic_load_n (&pair->peer[1].rx_packets, __ATOMIC_RELAXED);
      ntx = __atomic_load_n (&pair->peer[0].tx_packets, __ATOMIC_RELAXED);
      g_printerr ("rtcbench: %s %.0f s: %" G_GINT64_FORMAT " into the "
          "sender, %" G_GINT64_FORMAT " out of the receiver; ICE state "
          "sender %d, receiver %d\n", pair->cfg.element,
          (t - start) / 1e6, ntx - tx, nrx - rx, pair->peer[0].ice_state,
          pair->peer[1].ice_state);
      rx = nrx;
      tx = ntx;
    }
  }
  bench_wait (never, NULL, start + (gint64) (seconds * G_USEC_PER_SEC));
  out->offered = bench_pacer_stop (pacer);
  stop = bench_now ();
  bench_pacer_free (pacer);
  drain (pair);
  out->cpu = bench_cpu_seconds () - cpu0;
  out->seconds = (stop - start) / 1e6;
  out->sent = __atomic_load_n (&pair->peer[0].tx_packets,
      __ATOMIC_RELAXED) - tx0;
  out->received = __atomic_load_n (&pair->peer[1].rx_packets,
      __ATOMIC_RELAXED) - rx0;
  /* A flood that ran before this window: what it handed over in the
   * window is what entered the bin (its appsrc blocks, never drops). */
  if (running)
    out->offered = out->sent;
  /* A collapse: what both bins say about it. */
  if (step_loss_pct (out) >= 50) {
    gchar *d = bench_pair_describe (pair);

    g_printerr ("rtcbench: media %s at %s: %.1f %% lost\n%s",
        pair->cfg.element, rate > 0 ? "a paced rate" : "flood",
        step_loss_pct (out), d);
    g_free (d);
  }
}

static GstStructure *
step_result (const gchar * scenario, const gchar * variant,
    const gchar * element, const Step * s)
{
  GstStructure *r = bench_result_new (scenario, variant, element);

  gst_structure_set (r, "latency_ms", G_TYPE_UINT,
      bench_opts.media_latency_ms, "packet_bytes", G_TYPE_UINT, 1200,
      "seconds", G_TYPE_DOUBLE, s->seconds,
      "offered_pps", G_TYPE_DOUBLE, s->offered / s->seconds,
      "sent_pps", G_TYPE_DOUBLE, s->sent / s->seconds,
      "delivered_pps", G_TYPE_DOUBLE, s->received / s->seconds,
      "loss_pct", G_TYPE_DOUBLE, step_loss_pct (s),
      "loss_pct_max", G_TYPE_DOUBLE, step_loss_pct (s),
      "cpu_s_per_100k", G_TYPE_DOUBLE, s->received ?
      s->cpu / s->received * 1e5 : NAN,
      "cpu_pct", G_TYPE_DOUBLE, 100 * s->cpu / s->seconds, NULL);
  if (s->target > 0)
    gst_structure_set (r, "target_pps", G_TYPE_DOUBLE, s->target, NULL);
  return r;
}

gboolean
bench_media (void)
{
  gchar **names = g_strsplit (bench_opts.media_rates, ",", -1);
  guint n = g_strv_length (names), r, i, e;
  GPtrArray *(*runs)[2] = g_malloc0 (n * sizeof (*runs));

  for (i = 0; i < n; i++)
    for (e = 0; e < 2; e++)
      runs[i][e] = g_ptr_array_new_with_free_func ((GDestroyNotify)
          gst_structure_free);
  for (r = 0; r < bench_opts.runs; r++) {
    /* [flood][element]: paced senders drop when their queue is full, a
     * flooding one blocks. */
    BenchPair *pairs[2][2] = { {NULL, NULL}, {NULL, NULL} };

    /* Rate by rate, the elements take turns. */
    for (i = 0; i < n; i++) {
      gboolean flood = !g_strcmp0 (g_strstrip (names[i]), "flood");
      gdouble rate = flood ? 0 : g_ascii_strtod (names[i], NULL);
      gchar *variant = flood ? g_strdup (bench_opts.flood_cold ?
          "flood-cold" : "flood") : g_strdup_printf ("%.0fpps", rate);

      for (e = 0; e < 2; e++) {
        BenchPacer *cold = NULL;
        BenchPair *pair;
        Step s;

        if (!bench_element (e))
          continue;
        if (flood && bench_opts.flood_cold) {
          /* A new pair, flooded from before its offer. */
          pair = media_pair (bench_element (e), TRUE, &cold);
          if (pair) {
            measure (pair, 0, bench_opts.media_seconds, cold, &s);
            bench_pair_free (pair);
          }
        } else {
          if (!pairs[flood][e])
            pairs[flood][e] = media_pair (bench_element (e), flood, NULL);
          pair = pairs[flood][e];
          if (pair)
            measure (pair, rate, bench_opts.media_seconds, NULL, &s);
        }
        if (pair)
          g_ptr_array_add (runs[i][e], step_result ("media", variant,
                  bench_element (e), &s));
      }
      g_free (variant);
    }
    for (i = 0; i < 2; i++)
      for (e = 0; e < 2; e++)
        if (pairs[i][e])
          bench_pair_free (pairs[i][e]);
  }
  for (i = 0; i < n; i++) {
    bench_print_runs (runs[i]);
    for (e = 0; e < 2; e++)
      g_ptr_array_unref (runs[i][e]);
  }
  g_free (runs);
  g_strfreev (names);
  return TRUE;
}

typedef struct
{
  gboolean done;
  Step ok, lossy;               /* the last step under 1 %, the first over */
} Ramp;

gboolean
bench_ramp (void)
{
  GPtrArray *runs[2];
  guint r, e;

  for (e = 0; e < 2; e++)
    runs[e] = g_ptr_array_new_with_free_func ((GDestroyNotify)
        gst_structure_free);
  for (r = 0; r < bench_opts.runs; r++) {
    BenchPair *pair[2] = { NULL, NULL };
    Ramp ramp[2];
    gdouble rate;

    memset (ramp, 0, sizeof (ramp));
    for (e = 0; e < 2; e++) {
      if (bench_element (e))
        pair[e] = media_pair (bench_element (e), FALSE, NULL);
      ramp[e].done = !pair[e];
    }
    /* Step by step, the elements take turns; an element stops at its
     * first step with 1 % loss or more, seen twice in a row (once may be
     * the machine's noise). */
    for (rate = bench_opts.ramp_start; rate <= bench_opts.ramp_max &&
        !(ramp[0].done && ramp[1].done); rate *= bench_opts.ramp_factor) {
      for (e = 0; e < 2; e++) {
        Step s;

        if (ramp[e].done)
          continue;
        measure (pair[e], rate, bench_opts.ramp_step_s, NULL, &s);
        if (step_loss_pct (&s) >= 1.0)
          measure (pair[e], rate, bench_opts.ramp_step_s, NULL, &s);
        g_printerr ("rtcbench: ramp %s %.0f pps: loss %.2f %%, delivered "
            "%.0f pps\n", bench_element (e), rate, step_loss_pct (&s),
            s.received / s.seconds);
        if (step_loss_pct (&s) >= 1.0) {
          ramp[e].lossy = s;
          ramp[e].done = TRUE;
        } else {
          ramp[e].ok = s;
        }
      }
    }
    for (e = 0; e < 2; e++) {
      GstStructure *res;

      if (!pair[e])
        continue;
      res = bench_result_new ("ramp", NULL, bench_element (e));
      gst_structure_set (res, "latency_ms", G_TYPE_UINT,
          bench_opts.media_latency_ms, "packet_bytes", G_TYPE_UINT, 1200,
          "max_lossless_pps", G_TYPE_DOUBLE, ramp[e].ok.target ?
          ramp[e].ok.target : NAN,
          "loss_pct_at_max", G_TYPE_DOUBLE, ramp[e].ok.target ?
          step_loss_pct (&ramp[e].ok) : NAN,
          "cpu_s_per_100k_at_max", G_TYPE_DOUBLE, ramp[e].ok.received ?
          ramp[e].ok.cpu / ramp[e].ok.received * 1e5 : NAN,
          "first_lossy_pps", G_TYPE_DOUBLE, ramp[e].lossy.target ?
          ramp[e].lossy.target : NAN,
          "loss_pct_at_first_lossy", G_TYPE_DOUBLE, ramp[e].lossy.target ?
          step_loss_pct (&ramp[e].lossy) : NAN, NULL);
      g_ptr_array_add (runs[e], res);
      bench_pair_free (pair[e]);
    }
  }
  bench_print_runs (runs);
  for (e = 0; e < 2; e++)
    g_ptr_array_unref (runs[e]);
  return TRUE;
}
