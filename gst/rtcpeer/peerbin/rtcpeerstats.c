/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* get-stats: W3C statistics dictionaries
 * (https://www.w3.org/TR/webrtc-stats/) as GstStructures, in the reply
 * layout webrtcbin uses: one field per stats id, each a structure with
 * "type" (GstWebRTCStatsType), "id" and "timestamp" (ms). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrtcpeerbin.h"

static void
add_stats (GstStructure * reply, GstStructure * stats)
{
  const gchar *id = gst_structure_get_string (stats, "id");

  gst_structure_set (reply, id, GST_TYPE_STRUCTURE, stats, NULL);
  gst_structure_free (stats);
}

GstStructure *
rtc_peer_stats_collect (gpointer owner, gpointer data)
{
  GstRtcPeerBin *self = owner;
  GstStructure *reply;
  gdouble ts = g_get_real_time () / 1000.0;
  guint i;

  reply = gst_structure_new_empty ("application/x-webrtc-stats");
  PC_LOCK (self);
  add_stats (reply, gst_structure_new ("peer-connection-stats", "type",
          GST_TYPE_WEBRTC_STATS_TYPE, GST_WEBRTC_STATS_PEER_CONNECTION, "id",
          G_TYPE_STRING, "peer-connection", "timestamp", G_TYPE_DOUBLE, ts,
          NULL));
  for (i = 0; i < self->transports->len; i++) {
    RtcPeerTransport *t = g_ptr_array_index (self->transports, i);
    GstRtcTransportStats ts_stats;
    gchar *tid = g_strdup_printf ("transport_%u", t->session_id);
    gchar *pid = g_strdup_printf ("candidate-pair_%u", t->session_id);
    GstStructure *s;

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
    add_stats (reply, s);
    if (t->selected_pair) {
      gchar **ends = g_strsplit (t->selected_pair, " <-> ", 2);

      add_stats (reply, gst_structure_new ("candidate-pair-stats", "type",
              GST_TYPE_WEBRTC_STATS_TYPE, GST_WEBRTC_STATS_CANDIDATE_PAIR,
              "id", G_TYPE_STRING, pid, "timestamp", G_TYPE_DOUBLE, ts,
              "transport-id", G_TYPE_STRING, tid, "state", G_TYPE_STRING,
              "succeeded", "nominated", G_TYPE_BOOLEAN, TRUE,
              "local-candidate", G_TYPE_STRING, ends[0],
              "remote-candidate", G_TYPE_STRING, ends[1] ? ends[1] : "",
              NULL));
      g_strfreev (ends);
    }
    g_free (tid);
    g_free (pid);
  }
  PC_UNLOCK (self);
  return reply;
}
