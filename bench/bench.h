/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* rtcbench: rtcpeerbin against webrtcbin in one process, scenario by
 * scenario, run by run alternating the elements. Not a test: it measures
 * and prints JSON lines; bench/README.md says what each figure means. */

#pragma once

#include <gst/gst.h>
#include <gst/app/gstappsrc.h>
#include <gst/webrtc/webrtc.h>

#define BENCH_RTC "rtcpeerbin"
#define BENCH_WEBRTC "webrtcbin"

/* ---- options (rtcbench.c) ---- */

typedef struct
{
  gboolean quick;
  guint runs;                   /* media, ramp, datachannel, scale */
  guint latency_ms;             /* jitterbuffer latency: setup, scale */
  guint media_latency_ms;       /* jitterbuffer latency: media, ramp */
  gboolean webrtcbin_no_tcp;    /* webrtcbin's agent gathers UDP only */
  guint cpu_load;               /* busy processes during setup */
  gboolean progress;            /* media: a line per second on stderr */
  /* setup */
  guint connections;
  guint setup_timeout_s;
  /* media */
  gdouble media_seconds;
  gchar *media_rates;           /* "1000,10000,flood" */
  gboolean flood_cold;          /* flood from before the offer */
  /* ramp */
  gdouble ramp_start, ramp_factor, ramp_step_s, ramp_max;
  /* datachannel */
  gdouble dc_seconds;
  gchar *dc_mtu;                /* both, loopback, ethernet */
  guint dc_high_water;          /* bytes */
  /* scale */
  gchar *scale_pairs;           /* "1,10,100" */
  guint max_pairs_webrtcbin;    /* 0: no limit */
  gdouble scale_window_s;
  guint scale_timeout_s;
} BenchOptions;

extern BenchOptions bench_opts;

/* ---- report (rtcbench.c) ---- */

/* A result is a GstStructure (its fields keep their order) printed as one
 * JSON line. Strings identify it; numbers are figures; a double that is
 * NaN is printed as null (no value, e.g. no connection succeeded). */
GstStructure *bench_result_new (const gchar * scenario, const gchar * variant,
    const gchar * element);
void bench_result_print (const GstStructure * r);
/* {"scenario":...,"variant":...,"ratio":{field: rtc/webrtc, ...}} over
 * every numeric field both have. */
void bench_ratio_print (const GstStructure * rtc, const GstStructure * web);
/* Median (q 0.5) / p90 (q 0.9) of an array of doubles (sorted in place);
 * NaN when empty. */
gdouble bench_quantile (GArray * values, gdouble q);
/* Prints, for each element, its first result with every figure replaced
 * by its median over the results (a figure named *_max: its largest), and
 * "runs", then their ratio. */
void bench_print_runs (GPtrArray * runs[2]);
/* Median of a field over results (NaN when absent everywhere). */
gdouble bench_field_median (GPtrArray * results, const gchar * field);
/* The element names in the order they run, and which ones to skip. */
const gchar *bench_element (guint i);

/* ---- process figures (rtcbench.c) ---- */

gdouble bench_cpu_seconds (void);       /* user + system, RUSAGE_SELF */
gdouble bench_rss_kib (void);   /* VmRSS */
gint bench_threads (void);      /* Threads */
gint bench_fds (void);          /* entries of /proc/self/fd */
gint64 bench_now (void);        /* monotonic, microseconds */

/* ---- waiting (bench-pair.c) ---- */

/* One lock and condition for everything a run waits on: callbacks record
 * under the lock and broadcast; waits re-check their condition at least
 * every 50 ms, so counters updated without the lock are seen too. */
typedef struct
{
  GMutex lock;
  GCond cond;
} BenchWaiter;

typedef gboolean (*BenchDone) (gpointer data);

/* The process has one: a callback that comes late (a promise answered
 * after its pair gave up waiting) still finds it. */
extern BenchWaiter bench_waiter;

void bench_lock (void);
void bench_unlock (void);
void bench_broadcast (void);
/* TRUE once @done (called with the lock held) says so; FALSE at @deadline
 * (bench_now () units). */
gboolean bench_wait (BenchDone done, gpointer data, gint64 deadline);

/* ---- peer pairs (bench-pair.c) ---- */

typedef enum
{
  BENCH_SEND_NONE,
  BENCH_SEND_AUDIO,             /* Opus-like, 100-byte packets, 50 pps */
  BENCH_SEND_VIDEO,             /* VP8-like, 1200-byte packets */
} BenchSendKind;

typedef struct
{
  const gchar *element;
  guint latency_ms;
  BenchSendKind send[2];        /* what peer i sends to the other */
  gboolean flood;               /* the senders' appsrc blocks when full */
  gboolean data_channel;        /* peer 0 creates one before the offer */
  /* Remove a=x-rtcpeer-sctp-max-packet from both descriptions before the
   * other side sets them (as a browser would not write it). */
  gboolean strip_sctp_max_packet;
} BenchPairConfig;

typedef struct _BenchPair BenchPair;
typedef struct _BenchStream BenchStream;

typedef struct
{
  BenchPair *pair;
  guint index;
  GstElement *pc;
  /* bench_now () of the first time seen; 0 = not yet; waiter lock */
  gint64 ice_connected_at, connected_at, first_rx_at, dc_open_at;
  gint connection_state, ice_state;     /* last seen; waiter lock */
  gint64 rx_packets;            /* at the src pads (after jitterbuffer), atomic */
  gint rx_last_seq;             /* RTP seq of the last one, -1 before; probe */
  gint rx_max_gap;              /* largest seq jump seen, probe */
  gint rx_gap_at;               /* the seq after that jump, probe */
  gint64 tx_packets;            /* entering the sink pad, atomic */
  BenchStream *stream;          /* what this peer sends, or NULL */
  GObject *channel;             /* peer 0: created; peer 1: announced */
  gint64 dc_rx_bytes, dc_rx_msgs;       /* atomic */
  gint64 dc_last_rx_at;         /* bench_now () of the last message, atomic */
  gboolean low;                 /* on-buffered-amount-low since last check */
  void (*on_message) (BenchPair * pair, guint peer, GBytes * data);
} BenchPeer;

struct _BenchPair
{
  BenchPairConfig cfg;
  GstElement *pipeline;
  BenchPeer peer[2];
  gint64 offer_at;              /* when create-offer was emitted */
  gchar *error;                 /* first error; waiter lock */
  gint pending;                 /* promises not answered yet, atomic */
  gpointer user_data;
};

BenchPair *bench_pair_new (const BenchPairConfig * cfg);
void bench_pair_free (BenchPair * pair);
/* Plays the pipeline (senders push from the pacer once added to it). */
gboolean bench_pair_play (BenchPair * pair);
/* Offer from peer 0, answer from peer 1, without waiting: each step runs
 * from the previous one's promise reply. */
void bench_pair_negotiate (BenchPair * pair);
/* Conditions, waiter lock held. */
gboolean bench_pair_caps_ready (BenchPair * pair);
gboolean bench_pair_connected (BenchPair * pair);       /* both ends */
gboolean bench_pair_media (BenchPair * pair);   /* every receiver got one */
gboolean bench_pair_dc_open (BenchPair * pair); /* both ends */
gboolean bench_pair_failed (BenchPair * pair);  /* error or state failed */
/* Both ends' states, counters and get-stats, for a diagnosis. */
gchar *bench_pair_describe (BenchPair * pair);
/* get-stats of peer @i, waited for at most 5 s (NULL then). */
GstStructure *bench_pair_stats (BenchPair * pair, guint i);
/* The largest sctp-path-mtu in peer @i's stats (rtcpeerbin), 0 if none. */
guint bench_pair_sctp_mtu (BenchPair * pair, guint i);

/* ---- senders (bench-send.c) ---- */

/* Peer @peer's appsrc and request pad; @flood: the appsrc blocks when its
 * queue is full instead of dropping its oldest packet. */
BenchStream *bench_stream_new (BenchPeer * peer, BenchSendKind kind,
    gboolean flood);
void bench_stream_free (BenchStream * s);
gboolean bench_stream_has_caps (BenchStream * s);

/* Pushes the senders' packets at their rates on one thread, as a clock
 * would; a stream with rate 0 is pushed as fast as its appsrc takes it
 * (only alone in its pacer). */
typedef struct _BenchPacer BenchPacer;

BenchPacer *bench_pacer_new (void);
void bench_pacer_add (BenchPacer * pacer, BenchStream * s, gdouble rate);
void bench_pacer_start (BenchPacer * pacer);
/* Stops and joins the thread; returns packets offered to the appsrcs. */
guint64 bench_pacer_stop (BenchPacer * pacer);
void bench_pacer_free (BenchPacer * pacer);

/* ---- scenarios ---- */

gboolean bench_setup (void);
gboolean bench_media (void);
gboolean bench_ramp (void);
gboolean bench_datachannel (void);
gboolean bench_scale (void);
/* The child process of one scale run: prints one JSON line. */
gint bench_scale_child (const gchar * element, guint pairs);
