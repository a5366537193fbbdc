/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* rtcbench: options, the JSON report, process figures, and the scenarios
 * in order. Usage and the meaning of every figure: bench/README.md. */

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "bench.h"

BenchOptions bench_opts = {
  .runs = 3,
  .latency_ms = 200,
  .media_latency_ms = 20,
  .connections = 20,
  .setup_timeout_s = 10,
  .media_seconds = 3,
  .ramp_start = 2000,
  .ramp_factor = 1.1,
  .ramp_step_s = 2,
  .ramp_max = 300000,
  .dc_seconds = 10,
  .dc_high_water = 4 * 1024 * 1024,
  .scale_window_s = 10,
  .scale_timeout_s = 60,
};

static gchar *only_element;

const gchar *
bench_element (guint i)
{
  const gchar *names[2] = { BENCH_RTC, BENCH_WEBRTC };

  if (i >= 2)
    return NULL;
  if (only_element && g_strcmp0 (only_element, names[i]))
    return NULL;
  return names[i];
}

/* ---- process figures ---- */

gint64
bench_now (void)
{
  return g_get_monotonic_time ();
}

gdouble
bench_cpu_seconds (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
      ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static gint64
status_field (const gchar * name)
{
  gchar *text = NULL, *line;
  gint64 v = -1;

  if (!g_file_get_contents ("/proc/self/status", &text, NULL, NULL))
    return -1;
  line = strstr (text, name);
  if (line)
    v = g_ascii_strtoll (line + strlen (name), NULL, 10);
  g_free (text);
  return v;
}

gdouble
bench_rss_kib (void)
{
  return status_field ("\nVmRSS:");
}

gint
bench_threads (void)
{
  return status_field ("\nThreads:");
}

gint
bench_fds (void)
{
  GDir *dir = g_dir_open ("/proc/self/fd", 0, NULL);
  gint n = 0;

  if (!dir)
    return -1;
  while (g_dir_read_name (dir))
    n++;
  g_dir_close (dir);
  return n - 1;                 /* the directory's own */
}

/* ---- report ---- */

GstStructure *
bench_result_new (const gchar * scenario, const gchar * variant,
    const gchar * element)
{
  GstStructure *r = gst_structure_new ("result", "scenario", G_TYPE_STRING,
      scenario, NULL);

  if (variant)
    gst_structure_set (r, "variant", G_TYPE_STRING, variant, NULL);
  if (element)
    gst_structure_set (r, "element", G_TYPE_STRING, element, NULL);
  return r;
}

static gboolean
value_number (const GValue * v, gdouble * out)
{
  switch (G_VALUE_TYPE (v)) {
    case G_TYPE_INT:
      *out = g_value_get_int (v);
      return TRUE;
    case G_TYPE_UINT:
      *out = g_value_get_uint (v);
      return TRUE;
    case G_TYPE_INT64:
      *out = g_value_get_int64 (v);
      return TRUE;
    case G_TYPE_UINT64:
      *out = g_value_get_uint64 (v);
      return TRUE;
    case G_TYPE_DOUBLE:
      *out = g_value_get_double (v);
      return TRUE;
    default:
      return FALSE;
  }
}

static void
append_number (GString * s, gdouble v)
{
  if (isnan (v) || isinf (v))
    g_string_append (s, "null");
  else if ((v == floor (v) && fabs (v) < 1e15) || fabs (v) >= 1000)
    g_string_append_printf (s, "%.0f", v);
  else
    g_string_append_printf (s, "%.4g", v);
}

static void
append_string (GString * s, const gchar * str)
{
  g_string_append_c (s, '"');
  for (; *str; str++) {
    if (*str == '"' || *str == '\\')
      g_string_append_c (s, '\\');
    if ((guchar) * str < 0x20)
      g_string_append_printf (s, "\\u%04x", *str);
    else
      g_string_append_c (s, *str);
  }
  g_string_append_c (s, '"');
}

static void
append_value (GString * s, const GValue * v)
{
  gdouble d;

  if (G_VALUE_HOLDS_STRING (v))
    append_string (s, g_value_get_string (v) ? g_value_get_string (v) : "");
  else if (G_VALUE_HOLDS_BOOLEAN (v))
    g_string_append (s, g_value_get_boolean (v) ? "true" : "false");
  else if (value_number (v, &d))
    append_number (s, d);
  else
    g_string_append (s, "null");
}

static void
append_field (GString * s, const gchar * name)
{
  if (s->len > 1)
    g_string_append_c (s, ',');
  append_string (s, name);
  g_string_append_c (s, ':');
}

void
bench_result_print (const GstStructure * r)
{
  GString *s = g_string_new ("{");
  guint i;

  for (i = 0; i < (guint) gst_structure_n_fields (r); i++) {
    const gchar *name = gst_structure_nth_field_name (r, i);

    append_field (s, name);
    append_value (s, gst_structure_get_value (r, name));
  }
  g_string_append_c (s, '}');
  g_print ("%s\n", s->str);
  fflush (stdout);
  g_string_free (s, TRUE);
}

/* Settings, not figures: the same on both sides. */
static const gchar *const not_a_figure[] = { "runs", "connections", "pairs",
  "target_pps", "seconds", "latency_ms", "message_bytes", "high_water_bytes",
  "packet_bytes", "cpu_load", "high_water_waits", NULL
};

void
bench_ratio_print (const GstStructure * rtc, const GstStructure * web)
{
  GString *s = g_string_new ("{"), *ratio = g_string_new ("{");
  guint i;

  for (i = 0; i < (guint) gst_structure_n_fields (rtc); i++) {
    const gchar *name = gst_structure_nth_field_name (rtc, i);
    const GValue *a = gst_structure_get_value (rtc, name), *b;
    gdouble x, y;

    if (!strcmp (name, "element"))
      continue;
    if (G_VALUE_HOLDS_STRING (a)) {
      append_field (s, name);
      append_value (s, a);
      continue;
    }
    b = gst_structure_get_value (web, name);
    if (!b || !value_number (a, &x) || !value_number (b, &y) ||
        g_strv_contains (not_a_figure, name))
      continue;
    append_field (ratio, name);
    append_number (ratio, y != 0 ? x / y : NAN);
  }
  g_string_append_c (ratio, '}');
  append_field (s, "ratio");
  g_string_append (s, ratio->str);
  g_string_append_c (s, '}');
  g_print ("%s\n", s->str);
  fflush (stdout);
  g_string_free (s, TRUE);
  g_string_free (ratio, TRUE);
}

static gint
compare_doubles (gconstpointer a, gconstpointer b)
{
  gdouble x = *(const gdouble *) a, y = *(const gdouble *) b;

  return x < y ? -1 : x > y;
}

gdouble
bench_quantile (GArray * values, gdouble q)
{
  gdouble pos;
  guint lo;

  if (!values->len)
    return NAN;
  g_array_sort (values, compare_doubles);
  /* Linear interpolation between the closest ranks. */
  pos = q * (values->len - 1);
  lo = (guint) pos;
  if (lo + 1 >= values->len)
    return g_array_index (values, gdouble, values->len - 1);
  return g_array_index (values, gdouble, lo) + (pos - lo) *
      (g_array_index (values, gdouble, lo + 1) - g_array_index (values,
          gdouble, lo));
}

gdouble
bench_field_median (GPtrArray * results, const gchar * field)
{
  GArray *v = g_array_new (FALSE, FALSE, sizeof (gdouble));
  gdouble m;
  guint i;

  for (i = 0; i < results->len; i++) {
    const GValue *val = gst_structure_get_value (g_ptr_array_index (results,
            i), field);
    gdouble d;

    if (val && value_number (val, &d) && !isnan (d))
      g_array_append_val (v, d);
  }
  m = bench_quantile (v, 0.5);
  g_array_unref (v);
  return m;
}

static gdouble
field_max (GPtrArray * results, const gchar * field)
{
  gdouble m = NAN, d;
  guint i;

  for (i = 0; i < results->len; i++) {
    const GValue *v = gst_structure_get_value (g_ptr_array_index (results,
            i), field);

    if (v && value_number (v, &d) && !isnan (d) && (isnan (m) || d > m))
      m = d;
  }
  return m;
}

void
bench_print_runs (GPtrArray * runs[2])
{
  GstStructure *r[2] = { NULL, NULL };
  guint e, f;

  for (e = 0; e < 2; e++) {
    GstStructure *first;

    if (!runs[e] || !runs[e]->len)
      continue;
    first = g_ptr_array_index (runs[e], 0);
    r[e] = gst_structure_copy (first);
    for (f = 0; f < (guint) gst_structure_n_fields (first); f++) {
      const gchar *name = gst_structure_nth_field_name (first, f);
      gdouble d;

      if (value_number (gst_structure_get_value (first, name), &d) &&
          !g_strv_contains (not_a_figure, name))
        gst_structure_set (r[e], name, G_TYPE_DOUBLE,
            g_str_has_suffix (name, "_max") ? field_max (runs[e], name) :
            bench_field_median (runs[e], name), NULL);
    }
    gst_structure_set (r[e], "runs", G_TYPE_UINT, runs[e]->len, NULL);
    bench_result_print (r[e]);
  }
  if (r[0] && r[1])
    bench_ratio_print (r[0], r[1]);
  for (e = 0; e < 2; e++)
    if (r[e])
      gst_structure_free (r[e]);
}

/* ---- main ---- */

static gboolean
run_scenario (const gchar * name)
{
  if (!strcmp (name, "setup"))
    return bench_setup ();
  if (!strcmp (name, "media"))
    return bench_media ();
  if (!strcmp (name, "ramp"))
    return bench_ramp ();
  if (!strcmp (name, "datachannel"))
    return bench_datachannel ();
  if (!strcmp (name, "scale"))
    return bench_scale ();
  g_printerr ("rtcbench: unknown scenario %s\n", name);
  return FALSE;
}

int
main (int argc, char **argv)
{
  gchar *scenario = NULL, *child = NULL;
  gint child_pairs = 0;
  GOptionEntry entries[] = {
    {"scenario", 's', 0, G_OPTION_ARG_STRING, &scenario,
        "setup, media, ramp, datachannel, scale, a comma list, or all "
          "(default)", "NAME"},
    {"element", 'e', 0, G_OPTION_ARG_STRING, &only_element,
        "run only this element (no ratio lines)", "rtcpeerbin|webrtcbin"},
    {"runs", 'r', 0, G_OPTION_ARG_INT, &bench_opts.runs,
        "measurements per element in media, ramp, datachannel, scale "
          "(default 3)", "N"},
    {"quick", 'q', 0, G_OPTION_ARG_NONE, &bench_opts.quick,
        "a short smoke run of everything", NULL},
    {"latency", 0, 0, G_OPTION_ARG_INT, &bench_opts.latency_ms,
        "jitterbuffer latency for setup and scale (default 200)", "MS"},
    {"media-latency", 0, 0, G_OPTION_ARG_INT, &bench_opts.media_latency_ms,
        "jitterbuffer latency for media and ramp (default 20)", "MS"},
    {"webrtcbin-no-tcp", 0, 0, G_OPTION_ARG_NONE,
          &bench_opts.webrtcbin_no_tcp,
        "webrtcbin gathers no ICE-TCP candidates (it does by default)", NULL},
    {"connections", 0, 0, G_OPTION_ARG_INT, &bench_opts.connections,
        "setup: sequential connections per element and variant (default 20)",
        "N"},
    {"setup-timeout", 0, 0, G_OPTION_ARG_INT, &bench_opts.setup_timeout_s,
        "setup: seconds from create-offer for everything (default 10)", "S"},
    {"cpu-load", 0, 0, G_OPTION_ARG_INT, &bench_opts.cpu_load,
        "setup: this many busy-looping processes run alongside (default 0)",
        "N"},
    {"media-seconds", 0, 0, G_OPTION_ARG_DOUBLE, &bench_opts.media_seconds,
        "media: seconds per rate (default 3)", "S"},
    {"media-rates", 0, 0, G_OPTION_ARG_STRING, &bench_opts.media_rates,
        "media: packets/s to try, flood = as fast as the sender goes "
          "(default 1000,10000,flood)", "R,R,..."},
    {"progress", 0, 0, G_OPTION_ARG_NONE, &bench_opts.progress,
        "media, ramp: packets per second on stderr while measuring", NULL},
    {"flood-cold", 0, 0, G_OPTION_ARG_NONE, &bench_opts.flood_cold,
        "media: the flood starts before the offer, not once media flows",
          NULL},
    {"ramp-start", 0, 0, G_OPTION_ARG_DOUBLE, &bench_opts.ramp_start,
        "ramp: first rate in packets/s (default 2000)", "PPS"},
    {"ramp-factor", 0, 0, G_OPTION_ARG_DOUBLE, &bench_opts.ramp_factor,
        "ramp: each step's rate is the last one's times this (default 1.1)",
        "F"},
    {"ramp-step", 0, 0, G_OPTION_ARG_DOUBLE, &bench_opts.ramp_step_s,
        "ramp: seconds per step (default 2)", "S"},
    {"ramp-max", 0, 0, G_OPTION_ARG_DOUBLE, &bench_opts.ramp_max,
        "ramp: highest rate tried (default 300000)", "PPS"},
    {"dc-seconds", 0, 0, G_OPTION_ARG_DOUBLE, &bench_opts.dc_seconds,
        "datachannel: seconds per message size (default 10)", "S"},
    {"dc-mtu", 0, 0, G_OPTION_ARG_STRING, &bench_opts.dc_mtu,
        "datachannel: loopback (rtcpeerbin may use 16 KiB SCTP packets), "
          "ethernet (a=x-rtcpeer-sctp-max-packet removed: 1384 at most), "
          "or both (default)", "WHICH"},
    {"dc-high-water", 0, 0, G_OPTION_ARG_INT, &bench_opts.dc_high_water,
        "datachannel: the sender waits while buffered-amount is above this "
          "(default 4 MiB)", "BYTES"},
    {"scale-pairs", 0, 0, G_OPTION_ARG_STRING, &bench_opts.scale_pairs,
        "scale: numbers of pairs (default 1,10,100)", "N,N,..."},
    {"max-pairs-webrtcbin", 0, 0, G_OPTION_ARG_INT,
          &bench_opts.max_pairs_webrtcbin,
        "scale: webrtcbin runs only up to this many pairs (default: all)",
        "N"},
    {"scale-window", 0, 0, G_OPTION_ARG_DOUBLE, &bench_opts.scale_window_s,
        "scale: seconds of steady state measured (default 10)", "S"},
    {"scale-timeout", 0, 0, G_OPTION_ARG_INT, &bench_opts.scale_timeout_s,
        "scale: seconds for all pairs to connect (default 60)", "S"},
    {"scale-child", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &child,
        NULL, NULL},
    {"scale-child-pairs", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT,
        &child_pairs, NULL, NULL},
    {NULL}
  };
  GOptionContext *ctx = g_option_context_new ("- rtcpeerbin against "
      "webrtcbin: setup, media, ramp, datachannel, scale");
  GError *error = NULL;
  gchar **names;
  gboolean ok = TRUE;
  guint i;

  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &error)) {
    g_printerr ("rtcbench: %s\n", error->message);
    return 2;
  }
  g_option_context_free (ctx);
  gst_init (NULL, NULL);
  g_mutex_init (&bench_waiter.lock);
  g_cond_init (&bench_waiter.cond);

  if (child)
    return bench_scale_child (child, child_pairs);

  if (bench_opts.quick) {
    bench_opts.runs = 1;
    bench_opts.connections = 3;
    bench_opts.media_seconds = 1;
    bench_opts.ramp_start = 5000;
    bench_opts.ramp_factor = 2;
    bench_opts.ramp_step_s = 0.5;
    bench_opts.dc_seconds = 1;
    bench_opts.scale_window_s = 2;
    if (!bench_opts.scale_pairs)
      bench_opts.scale_pairs = g_strdup ("1,5");
  }
  if (!bench_opts.media_rates)
    bench_opts.media_rates = g_strdup ("1000,10000,flood");
  if (!bench_opts.dc_mtu)
    bench_opts.dc_mtu = g_strdup ("both");
  if (!bench_opts.scale_pairs)
    bench_opts.scale_pairs = g_strdup ("1,10,100");
  if (bench_opts.runs < 1 || bench_opts.connections < 1 ||
      bench_opts.ramp_factor <= 1) {
    g_printerr ("rtcbench: --runs and --connections must be at least 1, "
        "--ramp-factor above 1\n");
    return 2;
  }
  for (i = 0; i < 2; i++) {
    const gchar *e = i ? BENCH_WEBRTC : BENCH_RTC;

    if (bench_element (i) && !gst_element_factory_find (e)) {
      g_printerr ("rtcbench: no %s (set GST_PLUGIN_PATH to build/gst/rtcpeer)"
          "\n", e);
      return 2;
    }
  }
  if (only_element && !bench_element (0) && !bench_element (1)) {
    g_printerr ("rtcbench: --element is rtcpeerbin or webrtcbin\n");
    return 2;
  }

  if (!scenario || !strcmp (scenario, "all"))
    names = g_strsplit ("setup,media,ramp,datachannel,scale", ",", -1);
  else
    names = g_strsplit (scenario, ",", -1);
  for (i = 0; names[i] && ok; i++)
    ok = run_scenario (g_strstrip (names[i]));
  g_strfreev (names);
  return ok ? 0 : 1;
}
