/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Two peers of one factory in one pipeline on loopback: signalling
 * between them (trickle ICE, offer from peer 0, each step started by the
 * previous one's promise reply), state and first-media timestamps, RTP
 * counters at the bins' pads, data channel ends. */

#include <string.h>
#include <nice/agent.h>

#include "bench.h"

BenchWaiter bench_waiter;

void
bench_lock (void)
{
  g_mutex_lock (&bench_waiter.lock);
}

void
bench_unlock (void)
{
  g_mutex_unlock (&bench_waiter.lock);
}

void
bench_broadcast (void)
{
  g_mutex_lock (&bench_waiter.lock);
  g_cond_broadcast (&bench_waiter.cond);
  g_mutex_unlock (&bench_waiter.lock);
}

gboolean
bench_wait (BenchDone done, gpointer data, gint64 deadline)
{
  gboolean ok;

  g_mutex_lock (&bench_waiter.lock);
  while (!(ok = done (data))) {
    gint64 now = bench_now ();

    if (now >= deadline)
      break;
    /* Counters move without the lock: look again every 50 ms. */
    g_cond_wait_until (&bench_waiter.cond, &bench_waiter.lock,
        g_get_monotonic_time () + MIN (deadline - now, 50000));
  }
  g_mutex_unlock (&bench_waiter.lock);
  return ok;
}

static void
pair_fail (BenchPair * pair, const gchar * what, const GError * error)
{
  bench_lock ();
  if (!pair->error)
    pair->error = g_strdup_printf ("%s: %s", what, error ? error->message :
        "no reply");
  g_cond_broadcast (&bench_waiter.cond);
  bench_unlock ();
}

/* ---- loopback only ---- */

/* webrtcbin gathers on every interface but loopback: its libnice agent
 * gets 127.0.0.1 as its only address, and no UPnP. */
static void
restrict_webrtcbin (GstElement * pc)
{
  GObject *ice = NULL, *agent = NULL;
  NiceAddress addr;

  g_object_get (pc, "ice-agent", &ice, NULL);
  if (!ice)
    return;
  if (bench_opts.webrtcbin_no_tcp &&
      g_object_class_find_property (G_OBJECT_GET_CLASS (ice), "ice-tcp"))
    g_object_set (ice, "ice-tcp", FALSE, NULL);
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (ice), "agent"))
    g_object_get (ice, "agent", &agent, NULL);
  if (agent) {
    g_object_set (agent, "upnp", FALSE, NULL);
    nice_address_init (&addr);
    nice_address_set_from_string (&addr, "127.0.0.1");
    nice_agent_add_local_address (NICE_AGENT (agent), &addr);
    g_object_unref (agent);
  }
  g_object_unref (ice);
}

static gboolean
loopback_udp (const gchar * candidate)
{
  gchar **tok = g_strsplit (candidate, " ", -1);
  gboolean ok = g_strv_length (tok) >= 8 && !g_strcmp0 (tok[4], "127.0.0.1")
      && !g_ascii_strcasecmp (tok[2], "udp");

  g_strfreev (tok);
  return ok;
}

static void
on_ice_candidate (GstElement * pc, guint mline, const gchar * candidate,
    BenchPeer * peer)
{
  BenchPeer *other = &peer->pair->peer[1 - peer->index];

  if (candidate && *candidate && loopback_udp (candidate))
    g_signal_emit_by_name (other->pc, "add-ice-candidate", mline, candidate);
}

/* ---- signalling ---- */

static void
strip_sctp_max_packet (GstWebRTCSessionDescription * desc)
{
  guint i;

  for (i = 0; i < gst_sdp_message_medias_len (desc->sdp); i++) {
    GstSDPMedia *m = (GstSDPMedia *) gst_sdp_message_get_media (desc->sdp, i);
    guint j = gst_sdp_media_attributes_len (m);

    while (j-- > 0) {
      const GstSDPAttribute *a = gst_sdp_media_get_attribute (m, j);

      if (!g_strcmp0 (a->key, "x-rtcpeer-sctp-max-packet"))
        gst_sdp_media_remove_attribute (m, j);
    }
  }
}

typedef void (*ReplyFunc) (BenchPair * pair, const GstStructure * reply);

typedef struct
{
  BenchPair *pair;
  const gchar *what;
  ReplyFunc then;
} PromiseCtx;

static void
promise_done (GstPromise * p, gpointer user_data)
{
  PromiseCtx *ctx = user_data;
  const GstStructure *reply = NULL;
  GError *error = NULL;

  if (gst_promise_wait (p) == GST_PROMISE_RESULT_REPLIED)
    reply = gst_promise_get_reply (p);
  if (reply && gst_structure_has_field (reply, "error")) {
    gst_structure_get (reply, "error", G_TYPE_ERROR, &error, NULL);
    pair_fail (ctx->pair, ctx->what, error);
    g_clear_error (&error);
  } else if (gst_promise_wait (p) != GST_PROMISE_RESULT_REPLIED) {
    pair_fail (ctx->pair, ctx->what, NULL);
  } else if (ctx->then) {
    ctx->then (ctx->pair, reply);
  }
  g_atomic_int_dec_and_test (&ctx->pair->pending);
  bench_broadcast ();
}

/* Emits @signal on peer @i with @desc (or NULL options) and a promise
 * whose reply goes to @then. */
static void
emit_op (BenchPair * pair, guint i, const gchar * signal, gpointer arg,
    ReplyFunc then)
{
  PromiseCtx *ctx = g_new0 (PromiseCtx, 1);
  GstPromise *p;

  ctx->pair = pair;
  ctx->what = signal;
  ctx->then = then;
  g_atomic_int_inc (&pair->pending);
  p = gst_promise_new_with_change_func (promise_done, ctx, g_free);
  g_signal_emit_by_name (pair->peer[i].pc, signal, arg, p);
  gst_promise_unref (p);
}

/* Sets @desc locally on @from and remotely on the other peer (edited as
 * the options say). */
static void
hand_over (BenchPair * pair, guint from, GstWebRTCSessionDescription * desc)
{
  GstWebRTCSessionDescription *remote =
      gst_webrtc_session_description_copy (desc);

  emit_op (pair, from, "set-local-description", desc, NULL);
  if (pair->cfg.strip_sctp_max_packet)
    strip_sctp_max_packet (remote);
  emit_op (pair, 1 - from, "set-remote-description", remote, NULL);
  gst_webrtc_session_description_free (remote);
}

static void
answer_created (BenchPair * pair, const GstStructure * reply)
{
  GstWebRTCSessionDescription *answer = NULL;

  gst_structure_get (reply, "answer", GST_TYPE_WEBRTC_SESSION_DESCRIPTION,
      &answer, NULL);
  if (!answer) {
    pair_fail (pair, "create-answer", NULL);
    return;
  }
  hand_over (pair, 1, answer);
  gst_webrtc_session_description_free (answer);
}

static void
offer_created (BenchPair * pair, const GstStructure * reply)
{
  GstWebRTCSessionDescription *offer = NULL;

  gst_structure_get (reply, "offer", GST_TYPE_WEBRTC_SESSION_DESCRIPTION,
      &offer, NULL);
  if (!offer) {
    pair_fail (pair, "create-offer", NULL);
    return;
  }
  hand_over (pair, 0, offer);
  /* Each bin runs its operations in order: the answer is created after
   * the offer was set. */
  emit_op (pair, 1, "create-answer", NULL, answer_created);
  gst_webrtc_session_description_free (offer);
}

void
bench_pair_negotiate (BenchPair * pair)
{
  pair->offer_at = bench_now ();
  emit_op (pair, 0, "create-offer", NULL, offer_created);
}

/* ---- states ---- */

static void
on_connection_state (GstElement * pc, GParamSpec * pspec, BenchPeer * peer)
{
  gint s;

  g_object_get (pc, "connection-state", &s, NULL);
  bench_lock ();
  peer->connection_state = s;
  if (s == GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTED && !peer->connected_at)
    peer->connected_at = bench_now ();
  g_cond_broadcast (&bench_waiter.cond);
  bench_unlock ();
}

static void
on_ice_state (GstElement * pc, GParamSpec * pspec, BenchPeer * peer)
{
  gint s;

  g_object_get (pc, "ice-connection-state", &s, NULL);
  bench_lock ();
  peer->ice_state = s;
  if ((s == GST_WEBRTC_ICE_CONNECTION_STATE_CONNECTED ||
          s == GST_WEBRTC_ICE_CONNECTION_STATE_COMPLETED) &&
      !peer->ice_connected_at)
    peer->ice_connected_at = bench_now ();
  g_cond_broadcast (&bench_waiter.cond);
  bench_unlock ();
}

/* ---- receiving ---- */

/* The largest jump in sequence numbers out of the jitterbuffer: what a
 * receiver lost in one go (one stream per receiver here). */
static void
track_seq (BenchPeer * peer, GstBuffer * buf)
{
  guint8 hdr[4];
  gint seq, gap;

  if (gst_buffer_extract (buf, 0, hdr, 4) != 4)
    return;
  seq = GST_READ_UINT16_BE (hdr + 2);
  if (peer->rx_last_seq >= 0) {
    gap = (seq - peer->rx_last_seq) & 0xffff;
    if (gap < 0x8000 && gap > peer->rx_max_gap) {
      peer->rx_max_gap = gap;
      peer->rx_gap_at = seq;
    }
  }
  peer->rx_last_seq = seq;
}

static GstPadProbeReturn
count_rx (GstPad * pad, GstPadProbeInfo * info, BenchPeer * peer)
{
  gint64 n = 1;

  if (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST) {
    GstBufferList *list = GST_PAD_PROBE_INFO_BUFFER_LIST (info);
    guint i;

    n = gst_buffer_list_length (list);
    for (i = 0; i < n; i++)
      track_seq (peer, gst_buffer_list_get (list, i));
  } else {
    track_seq (peer, GST_PAD_PROBE_INFO_BUFFER (info));
  }
  __atomic_add_fetch (&peer->rx_packets, n, __ATOMIC_RELAXED);
  if (!__atomic_load_n (&peer->first_rx_at, __ATOMIC_RELAXED)) {
    bench_lock ();
    if (!peer->first_rx_at)
      peer->first_rx_at = bench_now ();
    g_cond_broadcast (&bench_waiter.cond);
    bench_unlock ();
  }
  return GST_PAD_PROBE_OK;
}

/* A remote track: counted at the bin's src pad (after the jitterbuffer),
 * then dropped by a fakesink. */
static void
on_pad_added (GstElement * pc, GstPad * pad, BenchPeer * peer)
{
  GstElement *sink;
  GstPad *sinkpad;

  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC)
    return;
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST, (GstPadProbeCallback) count_rx, peer,
      NULL);
  sink = gst_element_factory_make ("fakesink", NULL);
  g_object_set (sink, "sync", FALSE, "async", FALSE, "enable-last-sample",
      FALSE, NULL);
  gst_bin_add (GST_BIN (peer->pair->pipeline), sink);
  gst_element_sync_state_with_parent (sink);
  sinkpad = gst_element_get_static_pad (sink, "sink");
  if (gst_pad_link (pad, sinkpad) != GST_PAD_LINK_OK)
    g_printerr ("rtcbench: could not link %s\n", GST_PAD_NAME (pad));
  gst_object_unref (sinkpad);
}

/* ---- data channels ---- */

static void
on_dc_open (GObject * channel, BenchPeer * peer)
{
  bench_lock ();
  if (!peer->dc_open_at)
    peer->dc_open_at = bench_now ();
  g_cond_broadcast (&bench_waiter.cond);
  bench_unlock ();
}

static void
on_dc_data (GObject * channel, GBytes * data, BenchPeer * peer)
{
  __atomic_add_fetch (&peer->dc_rx_bytes, data ? g_bytes_get_size (data) : 0,
      __ATOMIC_RELAXED);
  __atomic_add_fetch (&peer->dc_rx_msgs, 1, __ATOMIC_RELAXED);
  __atomic_store_n (&peer->dc_last_rx_at, bench_now (), __ATOMIC_RELAXED);
  if (peer->on_message)
    peer->on_message (peer->pair, peer->index, data);
}

static void
on_dc_low (GObject * channel, BenchPeer * peer)
{
  bench_lock ();
  peer->low = TRUE;
  g_cond_broadcast (&bench_waiter.cond);
  bench_unlock ();
}

static void
watch_channel (BenchPeer * peer, GObject * channel)
{
  GstWebRTCDataChannelState state;

  bench_lock ();
  peer->channel = g_object_ref (channel);
  bench_unlock ();
  g_signal_connect (channel, "on-open", G_CALLBACK (on_dc_open), peer);
  g_signal_connect (channel, "on-message-data", G_CALLBACK (on_dc_data), peer);
  g_signal_connect (channel, "on-buffered-amount-low", G_CALLBACK (on_dc_low),
      peer);
  /* It may have opened before the handlers were there. */
  g_object_get (channel, "ready-state", &state, NULL);
  if (state == GST_WEBRTC_DATA_CHANNEL_STATE_OPEN)
    on_dc_open (channel, peer);
}

static void
on_data_channel (GstElement * pc, GObject * channel, BenchPeer * peer)
{
  if (!peer->channel)
    watch_channel (peer, channel);
}

/* ---- the pair ---- */

BenchPair *
bench_pair_new (const BenchPairConfig * cfg)
{
  BenchPair *pair = g_new0 (BenchPair, 1);
  guint i;

  pair->cfg = *cfg;
  pair->pipeline = gst_pipeline_new (NULL);
  for (i = 0; i < 2; i++) {
    BenchPeer *peer = &pair->peer[i];

    peer->pair = pair;
    peer->index = i;
    peer->rx_last_seq = -1;
    peer->pc = gst_element_factory_make (cfg->element, NULL);
    if (!peer->pc)
      g_error ("no %s (GST_PLUGIN_PATH?)", cfg->element);
    if (g_object_class_find_property (G_OBJECT_GET_CLASS (peer->pc),
            "ice-addresses"))
      g_object_set (peer->pc, "ice-addresses", "127.0.0.1", NULL);
    else
      restrict_webrtcbin (peer->pc);
    g_object_set (peer->pc, "bundle-policy",
        GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE, "latency", cfg->latency_ms, NULL);
    g_signal_connect (peer->pc, "on-ice-candidate",
        G_CALLBACK (on_ice_candidate), peer);
    g_signal_connect (peer->pc, "notify::connection-state",
        G_CALLBACK (on_connection_state), peer);
    g_signal_connect (peer->pc, "notify::ice-connection-state",
        G_CALLBACK (on_ice_state), peer);
    g_signal_connect (peer->pc, "pad-added", G_CALLBACK (on_pad_added), peer);
    g_signal_connect (peer->pc, "on-data-channel",
        G_CALLBACK (on_data_channel), peer);
    gst_bin_add (GST_BIN (pair->pipeline), peer->pc);
  }
  for (i = 0; i < 2; i++)
    if (cfg->send[i] != BENCH_SEND_NONE)
      pair->peer[i].stream = bench_stream_new (&pair->peer[i], cfg->send[i],
          cfg->flood);
  if (cfg->data_channel) {
    GObject *channel = NULL;

    gst_element_set_state (pair->pipeline, GST_STATE_READY);
    g_signal_emit_by_name (pair->peer[0].pc, "create-data-channel", "bench",
        NULL, &channel);
    if (!channel)
      g_error ("%s: create-data-channel failed", cfg->element);
    watch_channel (&pair->peer[0], channel);
    g_object_unref (channel);
  }
  return pair;
}

gboolean
bench_pair_play (BenchPair * pair)
{
  return gst_element_set_state (pair->pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE;
}

static gboolean
no_pending (gpointer data)
{
  return g_atomic_int_get (&((BenchPair *) data)->pending) == 0;
}

void
bench_pair_free (BenchPair * pair)
{
  guint i;

  for (i = 0; i < 2; i++) {
    BenchPeer *peer = &pair->peer[i];

    g_signal_handlers_disconnect_by_data (peer->pc, peer);
    if (peer->channel)
      g_signal_handlers_disconnect_by_data (peer->channel, peer);
  }
  gst_element_set_state (pair->pipeline, GST_STATE_NULL);
  /* A promise answered later would find a freed pair: wait for them, and
   * keep the pair (leak it) if one never comes. */
  if (!bench_wait (no_pending, pair, bench_now () + 5 * G_USEC_PER_SEC)) {
    g_printerr ("rtcbench: %s left %d promises unanswered; pair kept\n",
        pair->cfg.element, g_atomic_int_get (&pair->pending));
    return;
  }
  for (i = 0; i < 2; i++) {
    g_clear_object (&pair->peer[i].channel);
    bench_stream_free (pair->peer[i].stream);
  }
  gst_object_unref (pair->pipeline);
  g_free (pair->error);
  g_free (pair);
}

/* ---- conditions (lock held) ---- */

gboolean
bench_pair_caps_ready (BenchPair * pair)
{
  guint i;

  for (i = 0; i < 2; i++) {
    BenchStream *s = pair->peer[i].stream;

    if (s && !bench_stream_has_caps (s))
      return FALSE;
  }
  return TRUE;
}

gboolean
bench_pair_connected (BenchPair * pair)
{
  return pair->peer[0].connected_at && pair->peer[1].connected_at;
}

gboolean
bench_pair_media (BenchPair * pair)
{
  guint i;

  for (i = 0; i < 2; i++)
    if (pair->peer[1 - i].stream && !pair->peer[i].first_rx_at)
      return FALSE;
  return TRUE;
}

gboolean
bench_pair_dc_open (BenchPair * pair)
{
  return pair->peer[0].dc_open_at && pair->peer[1].dc_open_at;
}

gboolean
bench_pair_failed (BenchPair * pair)
{
  return pair->error ||
      pair->peer[0].connection_state == GST_WEBRTC_PEER_CONNECTION_STATE_FAILED
      || pair->peer[1].connection_state ==
      GST_WEBRTC_PEER_CONNECTION_STATE_FAILED;
}

/* ---- diagnosis ---- */

typedef struct
{
  gboolean done;
} StatsWait;

static void
stats_done (GstPromise * p, gpointer user_data)
{
  StatsWait *w = user_data;

  bench_lock ();
  w->done = TRUE;
  g_cond_broadcast (&bench_waiter.cond);
  bench_unlock ();
}

static gboolean
stats_ready (gpointer data)
{
  return ((StatsWait *) data)->done;
}

GstStructure *
bench_pair_stats (BenchPair * pair, guint i)
{
  StatsWait *w = g_new0 (StatsWait, 1);
  GstPromise *p = gst_promise_new_with_change_func (stats_done, w, NULL);
  GstStructure *s = NULL;

  g_signal_emit_by_name (pair->peer[i].pc, "get-stats", NULL, p);
  if (bench_wait (stats_ready, w, bench_now () + 5 * G_USEC_PER_SEC)) {
    if (gst_promise_wait (p) == GST_PROMISE_RESULT_REPLIED &&
        gst_promise_get_reply (p))
      s = gst_structure_copy (gst_promise_get_reply (p));
    g_free (w);
  }
  /* else: the reply may still come and write into w, which stays. */
  gst_promise_unref (p);
  return s;
}

static gboolean
find_mtu (GQuark field, const GValue * value, gpointer user_data)
{
  guint *mtu = user_data, v;

  if (GST_VALUE_HOLDS_STRUCTURE (value) &&
      gst_structure_get_uint (gst_value_get_structure (value),
          "sctp-path-mtu", &v))
    *mtu = MAX (*mtu, v);
  return TRUE;
}

guint
bench_pair_sctp_mtu (BenchPair * pair, guint i)
{
  GstStructure *s = bench_pair_stats (pair, i);
  guint mtu = 0;

  if (s) {
    gst_structure_foreach (s, find_mtu, &mtu);
    gst_structure_free (s);
  }
  return mtu;
}

static gchar *
channel_state (GObject * channel)
{
  GstWebRTCDataChannelState state;
  guint64 buffered;

  if (!channel)
    return g_strdup ("none");
  g_object_get (channel, "ready-state", &state, "buffered-amount", &buffered,
      NULL);
  return g_strdup_printf ("ready-state %d, buffered %" G_GUINT64_FORMAT,
      state, buffered);
}

gchar *
bench_pair_describe (BenchPair * pair)
{
  GString *d = g_string_new (NULL);
  guint i;

  g_string_append_printf (d, "%s pair: error %s\n", pair->cfg.element,
      pair->error ? pair->error : "none");
  for (i = 0; i < 2; i++) {
    BenchPeer *p = &pair->peer[i];
    gint sig, ice, pcs;
    gchar *ch = channel_state (p->channel), *st;
    GstStructure *stats;

#define REL(t) ((t) ? ((t) - pair->offer_at) / 1000.0 : -1.0)
    g_object_get (p->pc, "signaling-state", &sig, "ice-connection-state",
        &ice, "connection-state", &pcs, NULL);
    g_string_append_printf (d, "  peer %u: signaling %d, ice %d, "
        "connection %d; since create-offer (ms, -1 never): ice connected "
        "%.1f, connected %.1f, first media in %.1f, channel open %.1f; "
        "rtp in %" G_GINT64_FORMAT " (last seq %d, largest seq jump %d, "
        "up to seq %d), rtp into the bin %" G_GINT64_FORMAT
        "; channel %s, %" G_GINT64_FORMAT " messages in\n", i, sig, ice, pcs,
        REL (p->ice_connected_at), REL (p->connected_at),
        REL (p->first_rx_at), REL (p->dc_open_at),
        __atomic_load_n (&p->rx_packets, __ATOMIC_RELAXED), p->rx_last_seq,
        p->rx_max_gap, p->rx_gap_at,
        __atomic_load_n (&p->tx_packets, __ATOMIC_RELAXED), ch,
        __atomic_load_n (&p->dc_rx_msgs, __ATOMIC_RELAXED));
#undef REL
    stats = bench_pair_stats (pair, i);
    st = stats ? gst_structure_to_string (stats) : g_strdup ("(no reply)");
    g_string_append_printf (d, "  peer %u get-stats: %s\n", i, st);
    g_free (st);
    g_free (ch);
    if (stats)
      gst_structure_free (stats);
  }
  return g_string_free (d, FALSE);
}
