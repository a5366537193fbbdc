/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* get-stats: W3C statistics dictionaries
 * (https://www.w3.org/TR/webrtc-stats/) as GstStructures, in the reply
 * layout webrtcbin uses: one field per stats id, each a structure with
 * "type" (GstWebRTCStatsType), "id" and "timestamp" (ms since the epoch),
 * and the W3C members in webrtcbin's spelling (bytesSent: "bytes-sent").
 *
 *   peer-connection
 *   transport_N          one per transport (N: its rtpbin session)
 *   candidate-pair_N     its selected pair, once there is one
 *   local-candidate_N, remote-candidate_N   the two ends of that pair
 *   outbound-rtp_SSRC    each RTP stream we send, from rtpbin's session
 *   inbound-rtp_SSRC     each RTP stream we receive
 *
 * The transport and candidate stats are read under pc_lock; rtpbin's
 * sessions are asked afterwards, without it, as rtpbin takes its own
 * locks. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gstrtcpeerbin.h"
#include "gstrtcpeerpad.h"

/* What get-stats knows about one of our RTP streams. */
typedef struct
{
  const gchar *kind;            /* "audio", "video" */
  gchar *mid;
} StreamInfo;

static void
stream_info_free (gpointer data)
{
  StreamInfo *info = data;

  g_free (info->mid);
  g_free (info);
}

static void
add_stream_info (GHashTable * streams, guint32 ssrc, GstWebRTCKind kind,
    const gchar * mid)
{
  StreamInfo *info = g_new0 (StreamInfo, 1);

  info->kind = kind == GST_WEBRTC_KIND_AUDIO ? "audio" :
      kind == GST_WEBRTC_KIND_VIDEO ? "video" : NULL;
  info->mid = g_strdup (mid);
  g_hash_table_replace (streams, GUINT_TO_POINTER (ssrc), info);
}

static void
add_stats (GstStructure * reply, GstStructure * stats)
{
  const gchar *id = gst_structure_get_string (stats, "id");

  gst_structure_set (reply, id, GST_TYPE_STRUCTURE, stats, NULL);
  gst_structure_free (stats);
}

static GstStructure *
new_stats (const gchar * name, GstWebRTCStatsType type, const gchar * id,
    gdouble ts)
{
  return gst_structure_new (name, "type", GST_TYPE_WEBRTC_STATS_TYPE, type,
      "id", G_TYPE_STRING, id, "timestamp", G_TYPE_DOUBLE, ts, NULL);
}

/* One end of a selected pair, as RtcIceAgent describes it:
 * "udp 127.0.0.1:5000 host", "udp [::1]:5000 srflx". */
static void
add_candidate_stats (GstStructure * reply, GstWebRTCStatsType type,
    const gchar * id, const gchar * tid, const gchar * desc, gdouble ts)
{
  gchar **tok = g_strsplit (desc, " ", 3);
  GstStructure *s;
  gchar *colon, *address;
  gsize len;

  if (g_strv_length (tok) != 3 || !(colon = strrchr (tok[1], ':'))) {
    g_strfreev (tok);
    return;
  }
  *colon = '\0';
  /* an IPv6 address comes in brackets */
  address = tok[1];
  len = strlen (address);
  if (len >= 2 && address[0] == '[' && address[len - 1] == ']') {
    address[len - 1] = '\0';
    address++;
  }
  s = new_stats (type == GST_WEBRTC_STATS_LOCAL_CANDIDATE ?
      "local-candidate-stats" : "remote-candidate-stats", type, id, ts);
  gst_structure_set (s, "transport-id", G_TYPE_STRING, tid,
      "address", G_TYPE_STRING, address,
      "port", G_TYPE_UINT, (guint) g_ascii_strtoull (colon + 1, NULL, 10),
      "protocol", G_TYPE_STRING, tok[0], "candidate-type", G_TYPE_STRING,
      tok[2], NULL);
  g_strfreev (tok);
  add_stats (reply, s);
}

static void
set_stream_info (GstStructure * s, GHashTable * streams, guint32 ssrc)
{
  StreamInfo *info = g_hash_table_lookup (streams, GUINT_TO_POINTER (ssrc));

  if (info && info->kind)
    gst_structure_set (s, "kind", G_TYPE_STRING, info->kind, NULL);
  if (info && info->mid)
    gst_structure_set (s, "mid", G_TYPE_STRING, info->mid, NULL);
}

/* inbound-rtp and outbound-rtp from the source stats of rtpbin's session
 * @session (gst-plugins-good rtpsource.c, "application/x-rtp-source"). */
static void
add_rtp_stats (GstStructure * reply, GstElement * rtpbin, guint session,
    GHashTable * sent, GHashTable * received, gdouble ts)
{
  GObject *rtp_session = NULL;
  GstStructure *session_stats = NULL;
  const GValue *v;
  GValueArray *sources;
  gchar *tid;
  guint i;

  g_signal_emit_by_name (rtpbin, "get-session", session, &rtp_session);
  if (!rtp_session)
    return;
  g_object_get (rtp_session, "stats", &session_stats, NULL);
  g_object_unref (rtp_session);
  if (!session_stats)
    return;
  v = gst_structure_get_value (session_stats, "source-stats");
  /* a GValueArray (deprecated, but what rtpbin gives) */
  if (!v || !G_VALUE_HOLDS_BOXED (v)) {
    gst_structure_free (session_stats);
    return;
  }
  tid = g_strdup_printf ("transport_%u", session);
  sources = g_value_get_boxed (v);
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS;
  for (i = 0; sources && i < sources->n_values; i++) {
    const GstStructure *src =
        gst_value_get_structure (g_value_array_get_nth (sources, i));
    gboolean internal = FALSE;
    guint ssrc = 0, clock_rate = 0, nack = 0, pli = 0, fir = 0;
    guint64 octets = 0, packets = 0;
    gint packets_lost = 0, rate = 0;
    guint jitter = 0;
    GstStructure *s;
    gchar *id;

    gst_structure_get (src, "ssrc", G_TYPE_UINT, &ssrc, "internal",
        G_TYPE_BOOLEAN, &internal, NULL);
    if (internal) {
      /* Our RTP streams; a receiver's own SSRC that only sends RTCP
       * is none. */
      gst_structure_get (src, "octets-sent", G_TYPE_UINT64, &octets,
          "packets-sent", G_TYPE_UINT64, &packets, "recv-nack-count",
          G_TYPE_UINT, &nack, "recv-pli-count", G_TYPE_UINT, &pli,
          "recv-fir-count", G_TYPE_UINT, &fir, NULL);
      if (packets == 0 &&
          !g_hash_table_contains (sent, GUINT_TO_POINTER (ssrc)))
        continue;
      id = g_strdup_printf ("outbound-rtp_%u", ssrc);
      s = new_stats ("outbound-rtp-stats", GST_WEBRTC_STATS_OUTBOUND_RTP, id,
          ts);
      gst_structure_set (s, "ssrc", G_TYPE_UINT, ssrc, "transport-id",
          G_TYPE_STRING, tid, "bytes-sent", G_TYPE_UINT64, octets,
          "packets-sent", G_TYPE_UINT64, packets, "nack-count", G_TYPE_UINT,
          nack, "pli-count", G_TYPE_UINT, pli, "fir-count", G_TYPE_UINT, fir,
          NULL);
      set_stream_info (s, sent, ssrc);
    } else {
      gst_structure_get (src, "octets-received", G_TYPE_UINT64, &octets,
          "packets-received", G_TYPE_UINT64, &packets, "packets-lost",
          G_TYPE_INT, &packets_lost, "jitter", G_TYPE_UINT, &jitter,
          "clock-rate", G_TYPE_INT, &rate, "sent-nack-count", G_TYPE_UINT,
          &nack, "sent-pli-count", G_TYPE_UINT, &pli, "sent-fir-count",
          G_TYPE_UINT, &fir, NULL);
      /* W3C: an inbound-rtp exists once its first packet arrived. */
      if (packets == 0)
        continue;
      clock_rate = rate > 0 ? (guint) rate : 0;
      id = g_strdup_printf ("inbound-rtp_%u", ssrc);
      s = new_stats ("inbound-rtp-stats", GST_WEBRTC_STATS_INBOUND_RTP, id,
          ts);
      gst_structure_set (s, "ssrc", G_TYPE_UINT, ssrc, "transport-id",
          G_TYPE_STRING, tid, "bytes-received", G_TYPE_UINT64, octets,
          "packets-received", G_TYPE_UINT64, packets, "packets-lost",
          G_TYPE_INT64, (gint64) packets_lost, "nack-count", G_TYPE_UINT,
          nack, "pli-count", G_TYPE_UINT, pli, "fir-count", G_TYPE_UINT, fir,
          NULL);
      /* W3C: jitter in seconds; rtpbin counts clock-rate units. */
      if (clock_rate)
        gst_structure_set (s, "jitter", G_TYPE_DOUBLE,
            (gdouble) jitter / clock_rate, NULL);
      set_stream_info (s, received, ssrc);
    }
    add_stats (reply, s);
    g_free (id);
  }
  G_GNUC_END_IGNORE_DEPRECATIONS;
  g_free (tid);
  gst_structure_free (session_stats);
}

/* The remote streams we have src pads for: their SSRC, kind and mid. */
static GHashTable *
received_streams (GstRtcPeerBin * self)
{
  GHashTable *streams = g_hash_table_new_full (NULL, NULL, NULL,
      stream_info_free);
  GPtrArray *pads = g_ptr_array_new_with_free_func (gst_object_unref);
  GList *l;
  guint i;

  GST_OBJECT_LOCK (self);
  for (l = GST_ELEMENT (self)->srcpads; l; l = l->next)
    if (GST_IS_RTC_PEER_PAD (l->data))
      g_ptr_array_add (pads, gst_object_ref (l->data));
  GST_OBJECT_UNLOCK (self);

  for (i = 0; i < pads->len; i++) {
    GstRtcPeerPad *pad = g_ptr_array_index (pads, i);
    GstWebRTCKind kind = GST_WEBRTC_KIND_UNKNOWN;
    gchar *mid = NULL;

    if (!pad->ssrc || !pad->transceiver)
      continue;
    g_object_get (pad->transceiver, "kind", &kind, "mid", &mid, NULL);
    add_stream_info (streams, pad->ssrc, kind, mid);
    g_free (mid);
  }
  g_ptr_array_unref (pads);
  return streams;
}

GstStructure *
rtc_peer_stats_collect (gpointer owner, gpointer data)
{
  GstRtcPeerBin *self = owner;
  GstStructure *reply;
  GstElement *rtpbin = NULL;
  GHashTable *sent, *received;
  GArray *sessions = g_array_new (FALSE, FALSE, sizeof (guint));
  gdouble ts = g_get_real_time () / 1000.0;
  guint i;

  reply = gst_structure_new_empty ("application/x-webrtc-stats");
  sent = g_hash_table_new_full (NULL, NULL, NULL, stream_info_free);
  PC_LOCK (self);
  add_stats (reply, new_stats ("peer-connection-stats",
          GST_WEBRTC_STATS_PEER_CONNECTION, "peer-connection", ts));
  for (i = 0; i < self->transports->len; i++) {
    RtcPeerTransport *t = g_ptr_array_index (self->transports, i);
    GstRtcTransportStats ts_stats;
    guint sctp_mtu;
    gchar *tid = g_strdup_printf ("transport_%u", t->session_id);
    gchar *pid = g_strdup_printf ("candidate-pair_%u", t->session_id);
    GstStructure *s;

    g_array_append_val (sessions, t->session_id);
    gst_rtc_transport_get_stats (t->element, &ts_stats);
    s = gst_structure_new ("transport-stats", "type",
        GST_TYPE_WEBRTC_STATS_TYPE, GST_WEBRTC_STATS_TRANSPORT, "id",
        G_TYPE_STRING, tid, "timestamp", G_TYPE_DOUBLE, ts, "mid",
        G_TYPE_STRING, t->tag_mid, "bytes-sent", G_TYPE_UINT64,
        ts_stats.bytes_sent, "bytes-received", G_TYPE_UINT64,
        ts_stats.bytes_received, "packets-sent", G_TYPE_UINT64,
        ts_stats.rtp_sent + ts_stats.rtcp_sent, "packets-received",
        G_TYPE_UINT64, ts_stats.rtp_received + ts_stats.rtcp_received,
        "packets-discarded-on-receive", G_TYPE_UINT64,
        ts_stats.unprotect_failed + ts_stats.garbage, "dtls-state",
        G_TYPE_STRING, rtc_dtls_state_name (t->dtls_state), "ice-state",
        GST_TYPE_WEBRTC_ICE_CONNECTION_STATE, t->ice_state, NULL);
    if (t->selected_pair)
      gst_structure_set (s, "selected-candidate-pair-id", G_TYPE_STRING, pid,
          NULL);
    /* rtcpeer's own: DTLS flights resent after a timeout (none on a
     * lossless path), datagrams the ICE layer could not send, and records
     * the DTLS screen refused before OpenSSL saw them */
    gst_structure_set (s, "dtls-retransmissions", G_TYPE_UINT64,
        ts_stats.dtls_retransmissions, "dtls-send-failed", G_TYPE_UINT64,
        ts_stats.send_failed, "dtls-records-dropped", G_TYPE_UINT64,
        ts_stats.dtls_records_dropped, NULL);
    /* rtcpeer's own: the SCTP packet size path MTU discovery reached
     * (what RTCSctpTransportStats.mtu was in older drafts) */
    sctp_mtu = rtc_peer_sctp_get_path_mtu (self, t->element);
    if (sctp_mtu)
      gst_structure_set (s, "sctp-path-mtu", G_TYPE_UINT, sctp_mtu, NULL);
    add_stats (reply, s);
    if (t->selected_pair) {
      gchar **ends = g_strsplit (t->selected_pair, " <-> ", 2);
      gchar *lid = g_strdup_printf ("local-candidate_%u", t->session_id);
      gchar *rid = g_strdup_printf ("remote-candidate_%u", t->session_id);

      /* "local-candidate"/"remote-candidate": rtcpeerbin's readable
       * form of the two ends, kept next to W3C's ids. */
      add_stats (reply, gst_structure_new ("candidate-pair-stats", "type",
              GST_TYPE_WEBRTC_STATS_TYPE, GST_WEBRTC_STATS_CANDIDATE_PAIR,
              "id", G_TYPE_STRING, pid, "timestamp", G_TYPE_DOUBLE, ts,
              "transport-id", G_TYPE_STRING, tid, "state", G_TYPE_STRING,
              "succeeded", "nominated", G_TYPE_BOOLEAN, TRUE,
              "local-candidate-id", G_TYPE_STRING, lid,
              "remote-candidate-id", G_TYPE_STRING, rid,
              "local-candidate", G_TYPE_STRING, ends[0],
              "remote-candidate", G_TYPE_STRING, ends[1] ? ends[1] : "",
              NULL));
      add_candidate_stats (reply, GST_WEBRTC_STATS_LOCAL_CANDIDATE, lid, tid,
          ends[0], ts);
      if (ends[1])
        add_candidate_stats (reply, GST_WEBRTC_STATS_REMOTE_CANDIDATE, rid,
            tid, ends[1], ts);
      g_strfreev (ends);
      g_free (lid);
      g_free (rid);
    }
    g_free (tid);
    g_free (pid);
  }
  /* The SSRCs we send with, from the transceivers (pc_lock, then each
   * transceiver's object lock). */
  for (i = 0; i < self->transceivers->len; i++) {
    RtcJsepMedia *media =
        gst_rtc_rtp_transceiver_dup_media (g_ptr_array_index
        (self->transceivers, i));

    if (media->ssrc)
      add_stream_info (sent, media->ssrc, media->kind == RTC_MEDIA_KIND_AUDIO ?
          GST_WEBRTC_KIND_AUDIO : media->kind == RTC_MEDIA_KIND_VIDEO ?
          GST_WEBRTC_KIND_VIDEO : GST_WEBRTC_KIND_UNKNOWN, media->mid);
    rtc_jsep_media_free (media);
  }
  if (self->rtpbin)
    rtpbin = gst_object_ref (self->rtpbin);
  PC_UNLOCK (self);

  if (rtpbin) {
    received = received_streams (self);
    for (i = 0; i < sessions->len; i++)
      add_rtp_stats (reply, rtpbin, g_array_index (sessions, guint, i), sent,
          received, ts);
    g_hash_table_unref (received);
    gst_object_unref (rtpbin);
  }
  g_hash_table_unref (sent);
  g_array_unref (sessions);
  return reply;
}
