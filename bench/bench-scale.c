/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* scale: N pairs at once, each carrying one 50 pps audio stream from peer 0
 * to peer 1. Each run is a process of its own (this program with
 * --scale-child), so memory, threads and descriptors start from the same
 * place and nothing of an earlier run is counted. */

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "bench.h"

/* ---- the child: one element, N pairs ---- */

typedef struct
{
  GPtrArray *pairs;
  gboolean media;               /* wait for media too */
} All;

static gboolean
all_caps (gpointer data)
{
  All *a = data;
  guint i;

  for (i = 0; i < a->pairs->len; i++)
    if (!bench_pair_caps_ready (g_ptr_array_index (a->pairs, i)))
      return FALSE;
  return TRUE;
}

/* Every pair connected (and with media) or given up on. */
static gboolean
all_done (gpointer data)
{
  All *a = data;
  guint i;

  for (i = 0; i < a->pairs->len; i++) {
    BenchPair *p = g_ptr_array_index (a->pairs, i);

    if (bench_pair_failed (p))
      continue;
    if (!bench_pair_connected (p) || (a->media && !bench_pair_media (p)))
      return FALSE;
  }
  return TRUE;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

static gint64
rx_total (GPtrArray * pairs)
{
  gint64 n = 0;
  guint i;

  for (i = 0; i < pairs->len; i++)
    n += __atomic_load_n (&((BenchPair *) g_ptr_array_index (pairs,
                i))->peer[1].rx_packets, __ATOMIC_RELAXED);
  return n;
}

static GPtrArray *
start_pairs (const gchar * element, guint n, BenchPacer * pacer)
{
  BenchPairConfig cfg = { element, bench_opts.latency_ms,
    {BENCH_SEND_AUDIO, BENCH_SEND_NONE}, FALSE, FALSE, FALSE
  };
  GPtrArray *pairs = g_ptr_array_new ();
  guint i;

  for (i = 0; i < n; i++) {
    BenchPair *p = bench_pair_new (&cfg);

    bench_pacer_add (pacer, p->peer[0].stream, 50);
    bench_pair_play (p);
    g_ptr_array_add (pairs, p);
  }
  bench_pacer_start (pacer);
  return pairs;
}

/* One pair through connect and teardown: plugins loaded, the certificate
 * made, before anything is counted. */
static void
warm_up (const gchar * element)
{
  BenchPacer *pacer = bench_pacer_new ();
  GPtrArray *pairs = start_pairs (element, 1, pacer);
  All a = { pairs, TRUE };

  bench_wait (all_caps, &a, bench_now () + 5 * G_USEC_PER_SEC);
  bench_pair_negotiate (g_ptr_array_index (pairs, 0));
  bench_wait (all_done, &a, bench_now () + 10 * G_USEC_PER_SEC);
  bench_pacer_free (pacer);
  bench_pair_free (g_ptr_array_index (pairs, 0));
  g_ptr_array_unref (pairs);
}

gint
bench_scale_child (const gchar * element, guint n)
{
  struct rlimit rl;
  BenchPacer *pacer;
  GPtrArray *pairs;
  All a;
  GstStructure *r;
  gdouble rss0, cpu0, cpu;
  gint threads0, fds0;
  gint64 t, start, connected = 0, media = 0, rx0;
  guint i, not_connected = 0, silent = 0;
  gchar *s;

  if (!n || !gst_element_factory_find (element))
    return 2;
  /* Hundreds of pairs take more descriptors than a shell's default. */
  if (getrlimit (RLIMIT_NOFILE, &rl) == 0) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit (RLIMIT_NOFILE, &rl);
  }
  warm_up (element);
  rss0 = bench_rss_kib ();
  threads0 = bench_threads ();
  fds0 = bench_fds ();

  t = bench_now ();
  pacer = bench_pacer_new ();
  pairs = start_pairs (element, n, pacer);
  a.pairs = pairs;
  a.media = FALSE;
  if (!bench_wait (all_caps, &a, bench_now () + 30 * G_USEC_PER_SEC))
    g_printerr ("rtcbench: scale: not every sender has caps\n");
  r = bench_result_new ("scale", NULL, element);
  gst_structure_set (r, "pairs", G_TYPE_UINT, n, "latency_ms", G_TYPE_UINT,
      bench_opts.latency_ms, "create_ms", G_TYPE_DOUBLE,
      (bench_now () - t) / 1000.0, NULL);

  start = bench_now ();
  for (i = 0; i < n; i++)
    bench_pair_negotiate (g_ptr_array_index (pairs, i));
  bench_wait (all_done, &a, start + bench_opts.scale_timeout_s *
      G_USEC_PER_SEC);
  a.media = TRUE;
  bench_wait (all_done, &a, bench_now () + 10 * G_USEC_PER_SEC);
  bench_lock ();
  for (i = 0; i < n; i++) {
    BenchPair *p = g_ptr_array_index (pairs, i);

    if (!bench_pair_connected (p)) {
      not_connected++;
      continue;
    }
    connected = MAX (connected, MAX (p->peer[0].connected_at,
            p->peer[1].connected_at));
    if (!bench_pair_media (p))
      silent++;
    else
      media = MAX (media, p->peer[1].first_rx_at);
  }
  bench_unlock ();
  for (i = 0; i < n && (not_connected || silent); i++) {
    BenchPair *p = g_ptr_array_index (pairs, i);

    if (!bench_pair_connected (p) || !bench_pair_media (p)) {
      gchar *d = bench_pair_describe (p);

      g_printerr ("rtcbench: scale %u pairs: pair %u %s\n%s", n, i,
          bench_pair_connected (p) ? "silent" : "not connected", d);
      g_free (d);
      break;                    /* one is enough to see what it is */
    }
  }
  gst_structure_set (r,
      "all_connected_ms", G_TYPE_DOUBLE, not_connected ? NAN :
      (connected - start) / 1000.0,
      "all_media_ms", G_TYPE_DOUBLE, not_connected || silent ? NAN :
      (media - start) / 1000.0,
      "failed", G_TYPE_UINT, not_connected + silent,
      "not_connected", G_TYPE_UINT, not_connected,
      "silent", G_TYPE_UINT, silent,
      "rss_mib_per_pair", G_TYPE_DOUBLE, (bench_rss_kib () - rss0) / 1024.0 / n,
      "threads_per_pair", G_TYPE_DOUBLE, (bench_threads () - threads0) /
      (gdouble) n,
      "fds_per_pair", G_TYPE_DOUBLE, (bench_fds () - fds0) / (gdouble) n,
      NULL);

  /* The steady state: CPU and delivery over the window. */
  rx0 = rx_total (pairs);
  cpu0 = bench_cpu_seconds ();
  t = bench_now ();
  bench_wait (never, NULL, t + (gint64) (bench_opts.scale_window_s * 1e6));
  cpu = bench_cpu_seconds () - cpu0;
  {
    gdouble secs = (bench_now () - t) / 1e6;
    gdouble expected = 50.0 * secs * (n - not_connected - silent);

    gst_structure_set (r,
        "cpu_pct", G_TYPE_DOUBLE, 100 * cpu / secs,
        "cpu_pct_per_pair", G_TYPE_DOUBLE, 100 * cpu / secs / n,
        "delivered_pct", G_TYPE_DOUBLE, expected > 0 ?
        100 * (rx_total (pairs) - rx0) / expected : NAN, NULL);
  }

  t = bench_now ();
  bench_pacer_free (pacer);
  for (i = 0; i < n; i++)
    bench_pair_free (g_ptr_array_index (pairs, i));
  gst_structure_set (r, "teardown_ms", G_TYPE_DOUBLE,
      (bench_now () - t) / 1000.0, NULL);
  g_ptr_array_unref (pairs);

  s = gst_structure_to_string (r);
  g_print ("RESULT %s\n", s);
  fflush (stdout);
  g_free (s);
  gst_structure_free (r);
  return 0;
}

/* ---- the parent: runs children, alternating the elements ---- */

static GstStructure *
run_child (const gchar * element, guint n)
{
  gchar *exe = g_file_read_link ("/proc/self/exe", NULL);
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);
  gchar *out = NULL, *line;
  GError *error = NULL;
  gint status = 0;
  GstStructure *r = NULL;

  g_ptr_array_add (argv, exe);
  g_ptr_array_add (argv, g_strdup_printf ("--scale-child=%s", element));
  g_ptr_array_add (argv, g_strdup_printf ("--scale-child-pairs=%u", n));
  g_ptr_array_add (argv, g_strdup_printf ("--latency=%u",
          bench_opts.latency_ms));
  g_ptr_array_add (argv, g_strdup_printf ("--scale-window=%g",
          bench_opts.scale_window_s));
  g_ptr_array_add (argv, g_strdup_printf ("--scale-timeout=%u",
          bench_opts.scale_timeout_s));
  if (bench_opts.webrtcbin_no_tcp)
    g_ptr_array_add (argv, g_strdup ("--webrtcbin-no-tcp"));
  g_ptr_array_add (argv, NULL);
  /* stderr is ours: the child's diagnoses go where this run's go. */
  if (!g_spawn_sync (NULL, (gchar **) argv->pdata, NULL, G_SPAWN_DEFAULT,
          NULL, NULL, &out, NULL, &status, &error)) {
    g_printerr ("rtcbench: scale: %s\n", error->message);
    g_clear_error (&error);
  } else if ((line = strstr (out, "RESULT "))) {
    g_strchomp (line);
    r = gst_structure_from_string (line + 7, NULL);
  } else {
    g_printerr ("rtcbench: scale: %s with %u pairs gave no result (status "
        "%d)\n", element, n, status);
  }
  g_free (out);
  g_ptr_array_unref (argv);
  return r;
}

gboolean
bench_scale (void)
{
  gchar **counts = g_strsplit (bench_opts.scale_pairs, ",", -1);
  guint c, r, e;

  for (c = 0; counts[c]; c++) {
    guint n = (guint) g_ascii_strtoull (counts[c], NULL, 10);
    GPtrArray *runs[2];

    if (!n)
      continue;
    for (e = 0; e < 2; e++)
      runs[e] = g_ptr_array_new_with_free_func ((GDestroyNotify)
          gst_structure_free);
    for (r = 0; r < bench_opts.runs; r++) {
      for (e = 0; e < 2; e++) {
        GstStructure *res;

        if (!bench_element (e) || (e == 1 && bench_opts.max_pairs_webrtcbin
                && n > bench_opts.max_pairs_webrtcbin))
          continue;
        res = run_child (bench_element (e), n);
        if (res)
          g_ptr_array_add (runs[e], res);
      }
    }
    bench_print_runs (runs);
    for (e = 0; e < 2; e++)
      g_ptr_array_unref (runs[e]);
  }
  g_strfreev (counts);
  return TRUE;
}
