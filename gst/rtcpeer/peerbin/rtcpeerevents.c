/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* What the ICE agent and the transports report from the network thread:
 * received datagrams go straight to their transport; candidates, states
 * and errors are queued as operations and applied on the ops thread
 * (rtcpeermedia.c builds what they report on). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gstrtcpeerbin.h"
#include "gstrtcpeerpad.h"
#include "ice/rtcnetcontext.h"
#include "jsep/rtcsdputil.h"
#include "rtcstates.h"

GST_DEBUG_CATEGORY_EXTERN (gst_rtc_peer_bin_debug);
#define GST_CAT_DEFAULT gst_rtc_peer_bin_debug

static RtcPeerTransport *
transport_by_stream (GstRtcPeerBin * self, guint stream)
{
  guint i;

  for (i = 0; i < self->transports->len; i++) {
    RtcPeerTransport *t = g_ptr_array_index (self->transports, i);

    if (t->stream_id == stream)
      return t;
  }
  return NULL;
}

/* ---- operations queued from the ICE and DTLS threads ---- */

typedef struct
{
  guint stream;
  gint kind;                    /* 0 candidate, 1 gathering done, 2 ice state,
                                 * 3 selected pair, 4 dtls state, 5 error */
  gint state;
  gchar *text;
  GError *error;
  GstRtcTransport *transport;
} MediaEvent;

static void
media_event_free (gpointer data)
{
  MediaEvent *ev = data;

  g_free (ev->text);
  g_clear_error (&ev->error);
  gst_clear_object (&ev->transport);
  g_free (ev);
}

/* The W3C aggregates (core/rtcstates.c) of the transports' states. */
static void
update_states_locked (GstRtcPeerBin * self)
{
  RtcTransportStates *states = g_newa (RtcTransportStates,
      self->transports->len + 1);
  GstWebRTCICEConnectionState ice;
  GstWebRTCPeerConnectionState pc;
  guint i;

  for (i = 0; i < self->transports->len; i++) {
    RtcPeerTransport *t = g_ptr_array_index (self->transports, i);

    states[i].ice = t->ice_state;
    states[i].dtls = t->dtls_state;
    states[i].gathering = t->gathering_done ?
        GST_WEBRTC_ICE_GATHERING_STATE_COMPLETE :
        GST_WEBRTC_ICE_GATHERING_STATE_GATHERING;
  }
  ice = rtc_states_ice_connection (self->closed, states,
      self->transports->len);
  pc = rtc_states_connection (self->closed, states, self->transports->len);

  if (ice != self->ice_connection_state) {
    self->ice_connection_state = ice;
    self->pending.notify_mask |= RTC_NOTIFY_ICE_CONNECTION_STATE;
  }
  if (pc != self->connection_state) {
    self->connection_state = pc;
    self->pending.notify_mask |= RTC_NOTIFY_CONNECTION_STATE;
  }
}

/* Local candidates belong in the local description, as the W3C
 * pending/currentLocalDescription include them. */
static void
add_local_candidate_locked (GstRtcPeerBin * self, guint mline,
    const gchar * candidate)
{
  GstWebRTCSessionDescription *local =
      rtc_jsep_desc_in_use (self->pending_local, self->current_local);
  const gchar *value = candidate;

  if (!local || mline >= gst_sdp_message_medias_len (local->sdp))
    return;
  if (g_str_has_prefix (value, "candidate:"))
    value += strlen ("candidate:");
  gst_sdp_media_add_attribute ((GstSDPMedia *)
      gst_sdp_message_get_media (local->sdp, mline), "candidate", value);
  self->pending.notify_mask |= RTC_NOTIFY_LOCAL_DESCRIPTION;
}

static void
mark_end_of_candidates_locked (GstRtcPeerBin * self, guint mline)
{
  GstWebRTCSessionDescription *local =
      rtc_jsep_desc_in_use (self->pending_local, self->current_local);
  const GstSDPMedia *media;

  if (!local || mline >= gst_sdp_message_medias_len (local->sdp))
    return;
  media = gst_sdp_message_get_media (local->sdp, mline);
  if (rtc_sdp_media_has_attribute (media, "end-of-candidates"))
    return;
  gst_sdp_media_add_attribute ((GstSDPMedia *) media, "end-of-candidates",
      "");
  self->pending.notify_mask |= RTC_NOTIFY_LOCAL_DESCRIPTION;
}

/* Whether @t carries the negotiated m=application section, and the
 * remote's SCTP parameters for it (pc_lock held). */
static gboolean
carries_data_locked (GstRtcPeerBin * self, RtcPeerTransport * t,
    RtcJsepSctpParams * params)
{
  gint mline;

  if (!self->data_trans)
    return FALSE;
  GST_OBJECT_LOCK (self->data_trans);
  mline = RTC_TRANS_STATE (self->data_trans)->media->mline;
  GST_OBJECT_UNLOCK (self->data_trans);
  return rtc_jsep_sctp_params (rtc_jsep_sdp_in_use (self->pending_local,
          self->current_local), rtc_jsep_sdp_in_use (self->pending_remote,
          self->current_remote), mline, t->tag_mid, params);
}

static GstStructure *
media_event_op (gpointer owner, gpointer data)
{
  GstRtcPeerBin *self = owner;
  MediaEvent *ev = data;
  RtcPeerTransport *t;
  gint emit_mline = -1;
  gchar *warning = NULL, *identity = NULL;
  gboolean start_sctp = FALSE, stop_sctp = FALSE;
  RtcJsepSctpParams sctp = { 0, };
  guint i;

  PC_LOCK (self);
  if (self->closed) {
    PC_UNLOCK (self);
    return NULL;
  }
  t = ev->transport ? NULL : transport_by_stream (self, ev->stream);
  if (ev->transport) {
    for (i = 0; i < self->transports->len; i++) {
      RtcPeerTransport *c = g_ptr_array_index (self->transports, i);

      if (c->element == ev->transport)
        t = c;
    }
  }
  if (!t) {
    PC_UNLOCK (self);
    return NULL;
  }
  switch (ev->kind) {
    case 0:
      emit_mline = t->mline;
      /* Which ICE generation it belongs to, as browsers say it: after a
       * restart the peer can tell it from the old ones even when it
       * arrives before our description. */
      if (t->local_ufrag) {
        gchar *text = g_strdup_printf ("%s ufrag %s", ev->text,
            t->local_ufrag);

        g_free (ev->text);
        ev->text = text;
      }
      add_local_candidate_locked (self, t->mline, ev->text);
      break;
    case 1:{
      gboolean all_done = TRUE;

      t->gathering_done = TRUE;
      /* Announced as the W3C API does (an empty candidate, and the mark in
       * the description) so that a peer can finish its checks and reach
       * ice-connection-state completed without waiting for timeouts. */
      mark_end_of_candidates_locked (self, t->mline);
      emit_mline = t->mline;
      for (i = 0; i < self->transports->len; i++)
        all_done &= ((RtcPeerTransport *)
            g_ptr_array_index (self->transports, i))->gathering_done;
      if (all_done && self->ice_gathering_state !=
          GST_WEBRTC_ICE_GATHERING_STATE_COMPLETE) {
        self->ice_gathering_state = GST_WEBRTC_ICE_GATHERING_STATE_COMPLETE;
        self->pending.notify_mask |= RTC_NOTIFY_ICE_GATHERING_STATE;
      }
      break;
    }
    case 2:
      t->ice_state = ev->state;
      break;
    case 3:
      g_free (t->selected_pair);
      t->selected_pair = g_strdup (ev->text);
      GST_INFO_OBJECT (self, "transport %s: selected pair %s", t->tag_mid,
          ev->text);
      break;
    case 4:
      t->dtls_state = ev->state;
      if (ev->state == RTC_DTLS_STATE_CONNECTED)
        start_sctp = carries_data_locked (self, t, &sctp);
      /* W3C peerIdentity: the first certificate that matched the remote
       * fingerprint is the peer's identity */
      if (ev->state == RTC_DTLS_STATE_CONNECTED && !self->identity_verified) {
        self->identity_verified = TRUE;
        identity = gst_rtc_transport_get_remote_certificate (ev->transport);
      }
      /* The peer closed DTLS (close_notify) or it failed: the association
       * it carried is gone, and its channels close. */
      stop_sctp = (ev->state == RTC_DTLS_STATE_CLOSED ||
          ev->state == RTC_DTLS_STATE_FAILED) &&
          self->sctp_transport == ev->transport;
      if (ev->state == RTC_DTLS_STATE_FAILED)
        warning = g_strdup_printf ("DTLS failed on transport of mid '%s': "
            "%s", t->tag_mid, ev->error ? ev->error->message : "unknown");
      break;
    case 5:
      warning = g_strdup_printf ("ICE on transport of mid '%s': %s",
          t->tag_mid, ev->error ? ev->error->message : "unknown");
      break;
    default:
      break;
  }
  update_states_locked (self);
  PC_UNLOCK (self);

  if (warning) {
    GST_ELEMENT_WARNING (self, RESOURCE, FAILED, ("%s", warning), (NULL));
    g_free (warning);
  }
  if (stop_sctp)
    rtc_peer_sctp_stop (self);
  if (start_sctp && self->ice)
    rtc_peer_sctp_start (self, ev->transport,
        gst_rtc_transport_get_dtls_role (ev->transport) ==
        RTC_DTLS_ROLE_CLIENT, rtc_ice_agent_get_context (self->ice),
        sctp.remote_port, sctp.remote_max_message_size,
        sctp.remote_max_packet);
  gst_rtc_peer_bin_emit_pending (self);
  if (identity) {
    rtc_peer_objects_identity_verified (self, identity);
    g_free (identity);
  }
  if (emit_mline >= 0)
    gst_rtc_peer_bin_emit_ice_candidate (self, emit_mline,
        ev->text ? ev->text : "");
  return NULL;
}

static void
queue_event (GstRtcPeerBin * self, MediaEvent * ev)
{
  rtc_peer_ops_enqueue (self->ops, media_event_op, self, ev, media_event_free,
      NULL);
}

static void
ice_on_candidate (RtcIceAgent * agent, guint stream, const gchar * candidate,
    gpointer user_data)
{
  MediaEvent *ev = g_new0 (MediaEvent, 1);

  ev->stream = stream;
  ev->kind = 0;
  ev->text = g_strdup (candidate);
  queue_event (user_data, ev);
}

static void
ice_on_gathering_done (RtcIceAgent * agent, guint stream, gpointer user_data)
{
  MediaEvent *ev = g_new0 (MediaEvent, 1);

  ev->stream = stream;
  ev->kind = 1;
  queue_event (user_data, ev);
}

static void
ice_on_state (RtcIceAgent * agent, guint stream,
    GstWebRTCICEConnectionState state, gpointer user_data)
{
  MediaEvent *ev = g_new0 (MediaEvent, 1);

  ev->stream = stream;
  ev->kind = 2;
  ev->state = state;
  queue_event (user_data, ev);
}

static void
ice_on_selected_pair (RtcIceAgent * agent, guint stream, const gchar * local,
    const gchar * remote, gpointer user_data)
{
  GstRtcPeerBin *self = user_data;
  MediaEvent *ev = g_new0 (MediaEvent, 1);
  GstRtcTransport *transport = stream < MAX_STREAMS ?
      g_atomic_pointer_get (&self->by_stream[stream]) : NULL;

  /* Right here on the network thread, not through the ops queue: held
   * DTLS flights go out with the first packet the path can carry. */
  if (transport)
    gst_rtc_transport_set_writable (transport);
  ev->stream = stream;
  ev->kind = 3;
  ev->text = g_strdup_printf ("%s <-> %s", local, remote);
  queue_event (user_data, ev);
}

static void
ice_on_error (RtcIceAgent * agent, guint stream, const GError * error,
    gpointer user_data)
{
  MediaEvent *ev = g_new0 (MediaEvent, 1);

  ev->stream = stream;
  ev->kind = 5;
  ev->error = g_error_copy (error);
  queue_event (user_data, ev);
}

static void
ice_on_receive (RtcIceAgent * agent, guint stream, const guint8 * data,
    gsize len, gpointer user_data)
{
  GstRtcPeerBin *self = user_data;
  GstRtcTransport *transport;

  if (stream >= MAX_STREAMS)
    return;
  transport = g_atomic_pointer_get (&self->by_stream[stream]);
  if (transport)
    gst_rtc_transport_receive (transport, data, len);
}

static gboolean
transport_send (gpointer user_data, const guint8 * data, gsize len)
{
  RtcPeerTransport *t = user_data;

  return rtc_ice_agent_send (t->bin->ice, t->stream_id, data, len);
}

static void
transport_app_data (GstRtcTransport * transport, const guint8 * data,
    gsize len, gpointer user_data)
{
  RtcPeerTransport *t = user_data;

  rtc_peer_sctp_receive (t->bin, data, len);
}

static void
transport_dtls_state (GstRtcTransport * transport, RtcDtlsState state,
    const GError * error, gpointer user_data)
{
  RtcPeerTransport *t = user_data;
  MediaEvent *ev = g_new0 (MediaEvent, 1);

  ev->transport = gst_object_ref (transport);
  ev->kind = 4;
  ev->state = state;
  ev->error = error ? g_error_copy (error) : NULL;
  queue_event (t->bin, ev);
}

/* The agent is made with the first transport; the configuration
 * (ports, addresses, servers) is read then, and the agent made without
 * pc_lock (it may open sockets and start name lookups). Ops thread. */
gboolean
rtc_peer_events_ensure_ice_agent (GstRtcPeerBin * self, GError ** error)
{
  RtcIceConfig cfg = { 0, };
  RtcIceCallbacks cb = { 0, };
  GPtrArray *turns;
  gchar *addresses, *stun;
  gboolean controlling;
  RtcIceAgent *ice;
  guint i;

  if (self->ice)
    return TRUE;

  turns = g_ptr_array_new_with_free_func (g_free);
  PC_LOCK (self);
  addresses = g_strdup (self->ice_addresses);
  stun = g_strdup (self->stun_server);
  cfg.min_port = self->ice_min_port;
  cfg.max_port = self->ice_max_port;
  if (self->turn_server)
    g_ptr_array_add (turns, g_strdup (self->turn_server));
  for (i = 0; i < self->turn_servers->len; i++)
    g_ptr_array_add (turns, g_strdup (g_ptr_array_index (self->turn_servers,
                i)));
  cfg.relay_only =
      self->ice_transport_policy == GST_WEBRTC_ICE_TRANSPORT_POLICY_RELAY;
  controlling = self->ice_controlling;
  PC_UNLOCK (self);
  g_ptr_array_add (turns, NULL);
  cfg.addresses = addresses;
  cfg.stun_server = stun;
  cfg.turn_servers = (const gchar * const *) turns->pdata;

  cb.on_candidate = ice_on_candidate;
  cb.on_gathering_done = ice_on_gathering_done;
  cb.on_state = ice_on_state;
  cb.on_selected_pair = ice_on_selected_pair;
  cb.on_receive = ice_on_receive;
  cb.on_error = ice_on_error;
  ice = rtc_ice_agent_new (&cfg, &cb, self, error);
  g_ptr_array_unref (turns);
  g_free (addresses);
  g_free (stun);
  if (!ice)
    return FALSE;
  rtc_ice_agent_set_controlling (ice, controlling);
  /* Only this thread sets it; others read it under pc_lock. */
  PC_LOCK (self);
  self->ice = ice;
  PC_UNLOCK (self);
  return TRUE;
}

static guint
transport_send_many (gpointer user_data, const RtcDatagram * dgrams, guint n)
{
  RtcPeerTransport *t = user_data;

  return rtc_ice_agent_send_many (t->bin->ice, t->stream_id, dgrams, n);
}

void
rtc_peer_events_transport_callbacks (GstRtcTransportCallbacks * cb)
{
  cb->send = transport_send;
  cb->send_many = transport_send_many;
  cb->dtls_state = transport_dtls_state;
  cb->app_data = transport_app_data;
}
