/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* setup: sequential connections, each from create-offer to ICE connected,
 * connection-state connected, first media at both receivers and (with a
 * data channel) both ends open. A connection that gets connected but not
 * its media or channel in time is "silent", and is described on stderr
 * with both bins' get-stats. */

#include <math.h>
#include <signal.h>
#include <sys/wait.h>

#include "bench.h"

typedef struct
{
  GArray *ice_ms, *connected_ms, *media_ms, *dc_ms;     /* gdouble */
  guint connections, not_connected, silent, errors;
} SetupStats;

static void
stats_init (SetupStats * st)
{
  st->ice_ms = g_array_new (FALSE, FALSE, sizeof (gdouble));
  st->connected_ms = g_array_new (FALSE, FALSE, sizeof (gdouble));
  st->media_ms = g_array_new (FALSE, FALSE, sizeof (gdouble));
  st->dc_ms = g_array_new (FALSE, FALSE, sizeof (gdouble));
}

static void
stats_clear (SetupStats * st)
{
  g_array_unref (st->ice_ms);
  g_array_unref (st->connected_ms);
  g_array_unref (st->media_ms);
  g_array_unref (st->dc_ms);
}

static gboolean
setup_done (gpointer data)
{
  BenchPair *pair = data;

  if (bench_pair_failed (pair))
    return TRUE;
  return bench_pair_connected (pair) && bench_pair_media (pair) &&
      (!pair->cfg.data_channel || bench_pair_dc_open (pair));
}

static gboolean
caps_ready (gpointer data)
{
  return bench_pair_caps_ready (data);
}

/* The later of both ends, in ms since create-offer; NaN if one never. */
static gdouble
both_ms (BenchPair * pair, gint64 a, gint64 b)
{
  if (!a || !b)
    return NAN;
  return (MAX (a, b) - pair->offer_at) / 1000.0;
}

static void
add_ms (GArray * a, gdouble v)
{
  if (!isnan (v))
    g_array_append_val (a, v);
}

static void
report_problem (BenchPair * pair, const gchar * variant, guint n,
    const gchar * what)
{
  gchar *d = bench_pair_describe (pair);

  g_printerr ("rtcbench: setup %s connection %u (%s): %s\n%s", variant, n,
      pair->cfg.element, what, d);
  g_free (d);
}

static void
one_connection (const gchar * element, gboolean dc, const gchar * variant,
    guint n, SetupStats * st)
{
  BenchPairConfig cfg = { element, bench_opts.latency_ms,
    {BENCH_SEND_AUDIO, BENCH_SEND_AUDIO}, FALSE, dc, FALSE
  };
  BenchPair *pair = bench_pair_new (&cfg);
  BenchPacer *pacer = bench_pacer_new ();
  guint i;

  /* Audio flows from the start, as from a live source: the offer is made
   * once both sink pads know their caps. */
  for (i = 0; i < 2; i++)
    bench_pacer_add (pacer, pair->peer[i].stream, 50);
  bench_pair_play (pair);
  bench_pacer_start (pacer);
  st->connections++;
  if (!bench_wait (caps_ready, pair, bench_now () + 5 * G_USEC_PER_SEC)) {
    report_problem (pair, variant, n, "no caps on the sink pads");
    st->errors++;
    st->not_connected++;
    goto done;
  }
  bench_pair_negotiate (pair);
  bench_wait (setup_done, pair, pair->offer_at +
      bench_opts.setup_timeout_s * G_USEC_PER_SEC);

  bench_lock ();
  add_ms (st->ice_ms, both_ms (pair, pair->peer[0].ice_connected_at,
          pair->peer[1].ice_connected_at));
  add_ms (st->connected_ms, both_ms (pair, pair->peer[0].connected_at,
          pair->peer[1].connected_at));
  add_ms (st->media_ms, both_ms (pair, pair->peer[0].first_rx_at,
          pair->peer[1].first_rx_at));
  if (dc)
    add_ms (st->dc_ms, both_ms (pair, pair->peer[0].dc_open_at,
            pair->peer[1].dc_open_at));
  bench_unlock ();

  if (pair->error) {
    st->errors++;
    st->not_connected++;
    report_problem (pair, variant, n, "an operation failed");
  } else if (!bench_pair_connected (pair)) {
    st->not_connected++;
    report_problem (pair, variant, n, "not connected in time");
  } else if (!setup_done (pair)) {
    st->silent++;
    report_problem (pair, variant, n, "silent: connected, but media or "
        "channel missing");
  }
done:
  bench_pacer_free (pacer);
  bench_pair_free (pair);
}

static void
put_quantiles (GstStructure * r, const gchar * name, GArray * v)
{
  gchar *med = g_strdup_printf ("%s_ms_median", name);
  gchar *p90 = g_strdup_printf ("%s_ms_p90", name);

  gst_structure_set (r, med, G_TYPE_DOUBLE, bench_quantile (v, 0.5), p90,
      G_TYPE_DOUBLE, bench_quantile (v, 0.9), NULL);
  g_free (med);
  g_free (p90);
}

static GstStructure *
setup_result (const gchar * variant, const gchar * element, SetupStats * st,
    gboolean dc)
{
  GstStructure *r = bench_result_new ("setup", variant, element);

  gst_structure_set (r, "connections", G_TYPE_UINT, st->connections,
      "latency_ms", G_TYPE_UINT, bench_opts.latency_ms, "cpu_load",
      G_TYPE_UINT, bench_opts.cpu_load, NULL);
  put_quantiles (r, "ice_connected", st->ice_ms);
  put_quantiles (r, "connected", st->connected_ms);
  put_quantiles (r, "media", st->media_ms);
  if (dc)
    put_quantiles (r, "dc_open", st->dc_ms);
  gst_structure_set (r, "failed", G_TYPE_UINT, st->not_connected +
      st->silent, "not_connected", G_TYPE_UINT, st->not_connected, "silent",
      G_TYPE_UINT, st->silent, "errors", G_TYPE_UINT, st->errors, NULL);
  return r;
}

/* Processes that keep the cores busy, as another workload would. */
static GPid *
start_load (guint n)
{
  GPid *pids = g_new0 (GPid, n + 1);
  gchar *argv[] = { (gchar *) "/bin/sh", (gchar *) "-c",
    (gchar *) "while :; do :; done", NULL
  };
  guint i;

  for (i = 0; i < n; i++)
    if (!g_spawn_async (NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL,
            NULL, &pids[i], NULL))
      break;
  return pids;
}

static void
stop_load (GPid * pids)
{
  guint i;

  for (i = 0; pids[i]; i++) {
    kill (pids[i], SIGKILL);
    waitpid (pids[i], NULL, 0);
    g_spawn_close_pid (pids[i]);
  }
  g_free (pids);
}

gboolean
bench_setup (void)
{
  const gchar *variants[] = { "audio", "audio+dc" };
  GPid *load = start_load (bench_opts.cpu_load);
  guint v, c, e;

  for (v = 0; v < G_N_ELEMENTS (variants); v++) {
    SetupStats st[2] = { {0,}, };
    GstStructure *r[2] = { NULL, NULL };

    for (e = 0; e < 2; e++)
      stats_init (&st[e]);
    /* Connection by connection, the elements take turns. */
    for (c = 0; c < bench_opts.connections; c++)
      for (e = 0; e < 2; e++)
        if (bench_element (e))
          one_connection (bench_element (e), v == 1, variants[v], c, &st[e]);
    for (e = 0; e < 2; e++) {
      if (bench_element (e)) {
        r[e] = setup_result (variants[v], bench_element (e), &st[e], v == 1);
        bench_result_print (r[e]);
      }
    }
    if (r[0] && r[1])
      bench_ratio_print (r[0], r[1]);
    for (e = 0; e < 2; e++) {
      if (r[e])
        gst_structure_free (r[e]);
      stats_clear (&st[e]);
    }
  }
  stop_load (load);
  return TRUE;
}
