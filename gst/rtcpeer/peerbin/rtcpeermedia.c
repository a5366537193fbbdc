/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The media side of rtcpeerbin: one ICE agent, one transport per BUNDLE
 * group (or per m-line when the remote does not bundle), and rtpbin.
 *
 *  sink_%u --> rtpfunnel --> rtpbin send_rtp_sink_N
 *              rtpbin send_rtp_src_N/send_rtcp_src_N
 *                 --> rtp_sink/rtcp_sink of dtlssrtpencN (rtcdtlssrtpenc) --> ICE
 *  ICE --> (the connection of dtlssrtpencN) --> rtp_src/rtcp_src of
 *          dtlssrtpdecN (rtcdtlssrtpdec) --> rtpbin recv_rtp_sink_N/recv_rtcp_sink_N
 *              rtpbin recv_rtp_src_N_SSRC_PT --> src_%u (ghost)
 *
 * Everything here is set up on the ops thread once a description has been
 * applied; the ICE thread only feeds the DTLS-SRTP connection and queues
 * operations for what it learns (candidates, states). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gstrtcpeerbin.h"
#include "gstrtcpeerpad.h"
#include "ice/rtcnetcontext.h"
#include "jsep/rtcsdputil.h"
#include "rtcrandom.h"
#include "rtcstates.h"

GST_DEBUG_CATEGORY_EXTERN (gst_rtc_peer_bin_debug);
#define GST_CAT_DEFAULT gst_rtc_peer_bin_debug

/* ICE streams are small integers; the receive path finds its transport
 * without a lock through this table. */

static void transport_free (gpointer data);

void
rtc_peer_media_init (GstRtcPeerBin * self)
{
  self->transports = g_ptr_array_new_with_free_func (transport_free);
  self->remote_streams = g_hash_table_new_full (g_str_hash, g_str_equal,
      g_free, NULL);
  self->rtpbin = gst_element_factory_make ("rtpbin", "rtpbin");
  if (!self->rtpbin)
    return;
  g_object_set (self->rtpbin, "latency", self->latency, NULL);
  gst_util_set_object_arg (G_OBJECT (self->rtpbin), "rtp-profile", "savpf");
  g_signal_connect (self->rtpbin, "request-pt-map",
      G_CALLBACK (rtc_peer_pads_request_pt_map), self);
  g_signal_connect (self->rtpbin, "pad-added",
      G_CALLBACK (rtc_peer_pads_rtpbin_pad_added), self);
  g_signal_connect (self->rtpbin, "pad-removed",
      G_CALLBACK (rtc_peer_pads_rtpbin_pad_removed), self);
  g_signal_connect (self->rtpbin, "new-jitterbuffer",
      G_CALLBACK (rtc_peer_pads_new_jitterbuffer), self);
  gst_bin_add (GST_BIN (self), self->rtpbin);
}

static void
transport_free (gpointer data)
{
  RtcPeerTransport *t = data;

  g_free (t->tag_mid);
  g_free (t->selected_pair);
  g_free (t->remote_ufrag);
  g_free (t->remote_pwd);
  g_free (t->local_ufrag);
  g_free (t->local_pwd);
  g_free (t->remote_fingerprint);
  g_array_unref (t->mlines);
  rtc_peer_pads_clear_maps (t);
  gst_clear_object (&t->element);
  gst_clear_object (&t->funnel);
  g_free (t);
}

RtcPeerTransport *
rtc_peer_transport_by_session (GstRtcPeerBin * self, guint session)
{
  guint i;

  for (i = 0; i < self->transports->len; i++) {
    RtcPeerTransport *t = g_ptr_array_index (self->transports, i);

    if (t->session_id == session)
      return t;
  }
  return NULL;
}

RtcPeerTransport *
rtc_peer_transport_by_tag (GstRtcPeerBin * self, const gchar * tag)
{
  guint i;

  for (i = 0; i < self->transports->len; i++) {
    RtcPeerTransport *t = g_ptr_array_index (self->transports, i);

    if (!g_strcmp0 (t->tag_mid, tag))
      return t;
  }
  return NULL;
}

RtcPeerTransport *
rtc_peer_transport_by_mline (GstRtcPeerBin * self, guint mline)
{
  guint i, j;

  for (i = 0; i < self->transports->len; i++) {
    RtcPeerTransport *t = g_ptr_array_index (self->transports, i);

    for (j = 0; j < t->mlines->len; j++)
      if (g_array_index (t->mlines, guint, j) == mline)
        return t;
  }
  return NULL;
}

static gboolean
link_pads (GstElement * src, const gchar * src_name, GstElement * sink,
    const gchar * sink_name)
{
  GstPad *s = gst_element_get_static_pad (src, src_name);
  GstPad *d = gst_element_get_static_pad (sink, sink_name);
  gboolean ok;

  if (!s)
    s = gst_element_request_pad_simple (src, src_name);
  if (!d)
    d = gst_element_request_pad_simple (sink, sink_name);
  ok = s && d && gst_pad_link (s, d) == GST_PAD_LINK_OK;
  gst_clear_object (&s);
  gst_clear_object (&d);
  return ok;
}

/* Elements to NULL and out of the bin and, for a transport that goes
 * while the connection stays, rtpbin's pads of its session released (its
 * src pads go with them). The ICE stream is gone already. */
static void
transport_remove_elements (GstRtcPeerBin * self, RtcPeerTransport * t,
    gboolean release_session)
{
  static const gchar *const rtpbin_pads[] = {
    "send_rtp_sink_", "send_rtcp_src_", "recv_rtp_sink_", "recv_rtcp_sink_",
  };
  GstElement *elements[3];
  guint j;

  elements[0] = GST_ELEMENT (t->element);
  elements[1] = gst_rtc_transport_get_src (t->element);
  elements[2] = t->funnel;
  for (j = 0; j < G_N_ELEMENTS (elements); j++) {
    if (!elements[j] || GST_OBJECT_PARENT (elements[j]) != GST_OBJECT (self))
      continue;
    gst_element_set_locked_state (elements[j], TRUE);
    gst_element_set_state (elements[j], GST_STATE_NULL);
    gst_bin_remove (GST_BIN (self), elements[j]);
  }
  for (j = 0; release_session && self->rtpbin && j < G_N_ELEMENTS
      (rtpbin_pads); j++) {
    gchar *name = g_strdup_printf ("%s%u", rtpbin_pads[j], t->session_id);
    GstPad *pad = gst_element_get_static_pad (self->rtpbin, name);

    if (pad) {
      gst_element_release_request_pad (self->rtpbin, pad);
      gst_object_unref (pad);
    }
    g_free (name);
  }
}

/* One transport that is no longer listed goes: close_notify out through
 * its ICE stream, then the stream (no callback for it afterwards), then
 * its elements. Ops thread, no lock held. */
static void
transport_destroy (GstRtcPeerBin * self, RtcPeerTransport * t)
{
  GST_INFO_OBJECT (self, "removing the transport of mid '%s' (session %u)",
      t->tag_mid, t->session_id);
  gst_rtc_transport_stop (t->element);
  if (self->ice)
    rtc_ice_agent_remove_stream (self->ice, t->stream_id);
  if (t->stream_id < MAX_STREAMS)
    g_atomic_pointer_set (&self->by_stream[t->stream_id], NULL);
  transport_remove_elements (self, t, TRUE);
  transport_free (t);
}

static RtcPeerTransport *
transport_create (GstRtcPeerBin * self, const gchar * tag, gint mline,
    GError ** error)
{
  GstRtcTransportCallbacks cb = { 0, };
  RtcPeerTransport *t;
  gchar *name, *pad;
  guint stream;
  gboolean ok;

  stream = rtc_ice_agent_add_stream (self->ice, error);
  if (stream == 0)
    return NULL;
  if (stream >= MAX_STREAMS) {
    g_set_error (error, GST_WEBRTC_ERROR, GST_WEBRTC_ERROR_INTERNAL_FAILURE,
        "Too many ICE transports (at most %d)", MAX_STREAMS - 1);
    rtc_ice_agent_remove_stream (self->ice, stream);
    return NULL;
  }
  rtc_ice_agent_set_local_credentials (self->ice, stream,
      self->session.ice_ufrag, self->session.ice_pwd);

  t = g_new0 (RtcPeerTransport, 1);
  t->bin = self;
  t->local_ufrag = g_strdup (self->session.ice_ufrag);
  t->local_pwd = g_strdup (self->session.ice_pwd);
  t->tag_mid = g_strdup (tag);
  t->mline = mline;
  t->mlines = g_array_new (FALSE, FALSE, sizeof (guint));
  t->stream_id = stream;
  t->session_id = self->next_session_id++;
  t->ice_state = GST_WEBRTC_ICE_CONNECTION_STATE_NEW;
  t->dtls_state = RTC_DTLS_STATE_NEW;
  rtc_peer_pads_init_maps (t);

  rtc_peer_events_transport_callbacks (&cb);
  /* rtcdtlssrtpenc N and its rtcdtlssrtpdec (one DTLS-SRTP connection):
   * rtpbin's session N sends into the one and is fed by the other. */
  name = g_strdup_printf ("dtlssrtpenc%u", t->session_id);
  t->element = gst_object_ref_sink (gst_rtc_transport_new (name,
          rtc_ice_agent_get_context (self->ice), &cb, t, NULL));
  g_free (name);
  name = g_strdup_printf ("dtlssrtpdec%u", t->session_id);
  gst_object_set_name (GST_OBJECT (gst_rtc_transport_get_src (t->element)),
      name);
  g_free (name);
  name = g_strdup_printf ("funnel%u", t->session_id);
  t->funnel = gst_element_factory_make ("rtpfunnel", name);
  g_free (name);
  if (!t->funnel) {
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN,
        "rtpfunnel is missing: install gstreamer1.0-plugins-good");
    rtc_ice_agent_remove_stream (self->ice, stream);
    transport_free (t);
    return NULL;
  }
  gst_object_ref_sink (t->funnel);
  gst_bin_add_many (GST_BIN (self), GST_ELEMENT (t->element),
      gst_rtc_transport_get_src (t->element), t->funnel, NULL);
  {
    GstPad *rtp_src = gst_element_get_static_pad (gst_rtc_transport_get_src
        (t->element), "rtp_src");

    rtc_peer_pads_watch_receive (t, rtp_src);
    gst_object_unref (rtp_src);
  }

  pad = g_strdup_printf ("send_rtp_sink_%u", t->session_id);
  ok = link_pads (t->funnel, "src", self->rtpbin, pad);
  g_free (pad);
  pad = g_strdup_printf ("send_rtp_src_%u", t->session_id);
  ok &= link_pads (self->rtpbin, pad, GST_ELEMENT (t->element), "rtp_sink");
  g_free (pad);
  pad = g_strdup_printf ("send_rtcp_src_%u", t->session_id);
  ok &= link_pads (self->rtpbin, pad, GST_ELEMENT (t->element), "rtcp_sink");
  g_free (pad);
  pad = g_strdup_printf ("recv_rtp_sink_%u", t->session_id);
  ok &= link_pads (gst_rtc_transport_get_src (t->element), "rtp_src",
      self->rtpbin, pad);
  g_free (pad);
  pad = g_strdup_printf ("recv_rtcp_sink_%u", t->session_id);
  ok &= link_pads (gst_rtc_transport_get_src (t->element), "rtcp_src",
      self->rtpbin, pad);
  g_free (pad);
  if (!ok) {
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_PAD,
        "Could not link the transport of mid '%s' to rtpbin", tag);
    transport_destroy (self, t);
    return NULL;
  }
  gst_element_sync_state_with_parent (GST_ELEMENT (t->element));
  gst_element_sync_state_with_parent (gst_rtc_transport_get_src (t->element));
  gst_element_sync_state_with_parent (t->funnel);
  g_atomic_pointer_set (&self->by_stream[stream], t->element);
  return t;
}

void
rtc_peer_media_state_locked (GstRtcPeerBin * self, RtcJsepState * state,
    RtcJsepStateTransport ** out)
{
  RtcJsepStateTransport *st = g_new0 (RtcJsepStateTransport,
      self->transports->len + 1);
  GstRtcTransport *sctp;
  guint i;

  g_mutex_lock (&self->sctp_lock);
  sctp = self->sctp_transport;
  g_mutex_unlock (&self->sctp_lock);
  for (i = 0; i < self->transports->len; i++) {
    RtcPeerTransport *t = g_ptr_array_index (self->transports, i);

    st[i].tag = t->tag_mid;
    st[i].remote_ufrag = t->remote_ufrag;
    st[i].remote_pwd = t->remote_pwd;
    st[i].remote_fingerprint = t->remote_fingerprint;
    st[i].local_ufrag = t->local_ufrag;
    st[i].local_pwd = t->local_pwd;
    st[i].gathering = t->gathering;
    st[i].dtls_started = t->dtls_started;
    st[i].dtls_client = t->dtls_client;
    st[i].dtls_connected = t->dtls_state == RTC_DTLS_STATE_CONNECTED;
    if (sctp && t->element == sctp) {
      state->sctp_running = TRUE;
      state->sctp_tag = t->tag_mid;
    }
  }
  state->transports = st;
  state->n_transports = self->transports->len;
  *out = st;
}

static void
unref_or_null (gpointer obj)
{
  if (obj)
    gst_object_unref (obj);
}

static RtcPeerTransport *
find_transport (GPtrArray * list, const gchar * tag)
{
  guint i;

  for (i = 0; list && i < list->len; i++) {
    RtcPeerTransport *t = g_ptr_array_index (list, i);

    if (!g_strcmp0 (t->tag_mid, tag))
      return t;
  }
  return NULL;
}

void
rtc_peer_media_release (GstRtcPeerBin * self, GPtrArray * created)
{
  guint i;

  if (!created)
    return;
  for (i = 0; i < created->len; i++)
    transport_destroy (self, g_ptr_array_index (created, i));
  g_ptr_array_unref (created);
}

static void
add_remote_candidates (GstRtcPeerBin * self, RtcPeerTransport * t,
    const RtcJsepPlanTransport * pt)
{
  guint i;

  for (i = 0; i < pt->remote_candidates->len; i++) {
    const gchar *cand = g_ptr_array_index (pt->remote_candidates, i);

    if (!rtc_ice_agent_add_remote_candidate (self->ice, t->stream_id, cand,
            NULL))
      GST_DEBUG_OBJECT (self, "remote candidate ignored: %s", cand);
  }
  if (pt->end_of_candidates)
    rtc_ice_agent_end_of_candidates (self->ice, t->stream_id);
}

/* ICE restart (RFC 8445 section 9) of one transport: its stream takes the
 * local description's new credentials, forgets the remote ones, and
 * signals its candidates again; the ICE servers and policy set since the
 * last gathering apply from here on. DTLS, SRTP and SCTP above it go on
 * as they are: only the path under them is checked anew. */
static gboolean
ice_restart (GstRtcPeerBin * self, RtcPeerTransport * t,
    const RtcJsepPlanTransport * pt, GError ** error)
{
  gboolean relay_only;

  PC_LOCK (self);
  relay_only =
      self->ice_transport_policy == GST_WEBRTC_ICE_TRANSPORT_POLICY_RELAY;
  PC_UNLOCK (self);
  GST_INFO_OBJECT (self, "transport of mid '%s': ICE restart, ufrag %s "
      "(relay only %d)", pt->tag, pt->local_ufrag, relay_only);
  rtc_ice_agent_set_relay_only (self->ice, relay_only);
  return rtc_ice_agent_restart (self->ice, t->stream_id, pt->local_ufrag,
      pt->local_pwd, error);
}

gboolean
rtc_peer_media_acquire (GstRtcPeerBin * self, const RtcJsepPlan * plan,
    GPtrArray ** created_out, GError ** error)
{
  GPtrArray *created = g_ptr_array_new ();
  gboolean new_agent = FALSE;
  guint i;

  *created_out = NULL;
  if (!self->rtpbin) {
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN,
        "rtpbin is missing: install gstreamer1.0-plugins-good");
    goto fail;
  }
  for (i = 0; i < plan->transports->len; i++) {
    const RtcJsepPlanTransport *pt = g_ptr_array_index (plan->transports, i);
    RtcPeerTransport *t;

    if (!pt->create)
      continue;
    if (!self->ice) {
      /* read by ensure_ice_agent() under pc_lock */
      PC_LOCK (self);
      self->ice_controlling = plan->ice_controlling;
      PC_UNLOCK (self);
      if (!rtc_peer_events_ensure_ice_agent (self, error))
        goto fail;
      new_agent = TRUE;
    }
    t = transport_create (self, pt->tag, pt->mline, error);
    if (!t)
      goto fail;
    g_ptr_array_add (created, t);
  }

  for (i = 0; i < plan->transports->len; i++) {
    const RtcJsepPlanTransport *pt = g_ptr_array_index (plan->transports, i);
    RtcPeerTransport *t = find_transport (created, pt->tag);

    if (pt->remove)
      continue;
    /* Only the ops thread adds to the list, and it is here; close()
     * may have emptied it meanwhile. */
    if (!t) {
      PC_LOCK (self);
      t = rtc_peer_transport_by_tag (self, pt->tag);
      PC_UNLOCK (self);
    }
    if (!t || !self->ice) {
      g_set_error (error, GST_WEBRTC_ERROR, GST_WEBRTC_ERROR_INVALID_STATE,
          "the peer connection was closed");
      goto fail;
    }
    /* Gathering binds the sockets: a port range that is used up fails
     * here, before anything is committed. */
    if (pt->gather && !rtc_ice_agent_gather (self->ice, t->stream_id, error))
      goto fail;
    if (pt->local_ice_restart && !ice_restart (self, t, pt, error))
      goto fail;
    if (pt->set_remote_credentials) {
      if (pt->ice_restart)
        GST_INFO_OBJECT (self, "transport of mid '%s': the remote restarts "
            "ICE (ufrag %s)", pt->tag, pt->remote_ufrag);
      if (!rtc_ice_agent_set_remote_credentials (self->ice, t->stream_id,
              pt->remote_ufrag, pt->remote_pwd, error))
        goto fail;
      add_remote_candidates (self, t, pt);
    }
    if (pt->start_dtls) {
      RtcCertificate *cert;
      gboolean ok;

      /* set before the plan was made; held, as the property may change
       * it meanwhile */
      PC_LOCK (self);
      cert = self->certificate ? rtc_certificate_ref (self->certificate) :
          NULL;
      PC_UNLOCK (self);
      if (!cert) {
        g_set_error (error, GST_WEBRTC_ERROR,
            GST_WEBRTC_ERROR_INTERNAL_FAILURE, "no DTLS certificate");
        goto fail;
      }
      ok = gst_rtc_transport_start_dtls (t->element, cert,
          pt->dtls_client ? RTC_DTLS_ROLE_CLIENT : RTC_DTLS_ROLE_SERVER,
          pt->remote_fingerprint, error);
      rtc_certificate_unref (cert);
      if (!ok)
        goto fail;
    } else if (pt->fingerprint_changed) {
      GError *err = NULL;

      if (!gst_rtc_transport_set_remote_fingerprint (t->element,
              pt->remote_fingerprint, &err)) {
        g_propagate_error (error, err);
        goto fail;
      }
    }
  }
  *created_out = created;
  return TRUE;

fail:
  rtc_peer_media_release (self, created);
  if (new_agent) {
    RtcIceAgent *ice;

    /* The next negotiation starts from scratch (with what the
     * application may have fixed in the configuration meanwhile). */
    PC_LOCK (self);
    ice = self->ice;
    self->ice = NULL;
    PC_UNLOCK (self);
    rtc_ice_agent_free (ice);
  }
  return FALSE;
}

void
rtc_peer_media_commit_locked (GstRtcPeerBin * self, RtcJsepPlan * plan,
    GPtrArray * created, GPtrArray ** removed)
{
  gboolean gathering = FALSE, restarted = FALSE, remote_restart = FALSE;
  guint i, j;

  *removed = g_ptr_array_new ();
  for (i = 0; i < plan->transports->len; i++) {
    RtcJsepPlanTransport *pt = g_ptr_array_index (plan->transports, i);
    RtcPeerTransport *t = rtc_peer_transport_by_tag (self, pt->tag);
    GPtrArray *by_mline;

    if (pt->remove) {
      guint idx;

      /* stolen: the list's free func is for teardown */
      if (t && g_ptr_array_find (self->transports, t, &idx))
        g_ptr_array_add (*removed, g_ptr_array_steal_index (self->transports,
                idx));
      continue;
    }
    if (!t) {
      t = find_transport (created, pt->tag);
      g_assert (t != NULL);
      g_ptr_array_add (self->transports, t);
    }
    if (pt->mline >= 0)
      t->mline = pt->mline;
    g_array_set_size (t->mlines, 0);
    g_array_append_vals (t->mlines, pt->mlines->data, pt->mlines->len);
    if (pt->gather && !t->gathering) {
      t->gathering = TRUE;
      gathering = TRUE;
    }
    if (pt->local_ice_restart) {
      g_free (t->local_ufrag);
      g_free (t->local_pwd);
      t->local_ufrag = g_strdup (pt->local_ufrag);
      t->local_pwd = g_strdup (pt->local_pwd);
      /* the stream forgot them; the answer brings the new ones */
      g_clear_pointer (&t->remote_ufrag, g_free);
      g_clear_pointer (&t->remote_pwd, g_free);
      t->remote_restart_pending = FALSE;
      /* its candidates come again: W3C gathering goes back to gathering */
      t->gathering_done = FALSE;
      restarted = TRUE;
    }
    if (pt->remote_restart_pending) {
      t->remote_restart_pending = TRUE;
      remote_restart = TRUE;
    }
    if (pt->set_remote_credentials) {
      g_free (t->remote_ufrag);
      g_free (t->remote_pwd);
      t->remote_ufrag = g_strdup (pt->remote_ufrag);
      t->remote_pwd = g_strdup (pt->remote_pwd);
    }
    if (pt->start_dtls) {
      t->dtls_started = TRUE;
      t->dtls_client = pt->dtls_client;
    }
    if (pt->remote_fingerprint) {
      g_free (t->remote_fingerprint);
      t->remote_fingerprint = g_strdup (pt->remote_fingerprint);
    }
    if (!pt->routes)
      continue;
    /* m-line -> transceiver for what the routing table names. */
    /* with holes: the m=application section has no transceiver here */
    by_mline = g_ptr_array_new_with_free_func (unref_or_null);
    for (j = 0; j < self->transceivers->len; j++) {
      GstRtcRtpTransceiver *trans = g_ptr_array_index (self->transceivers,
          j);
      gint mline;

      GST_OBJECT_LOCK (trans);
      mline = RTC_TRANS_STATE (trans)->media->mline;
      GST_OBJECT_UNLOCK (trans);
      if (mline < 0)
        continue;
      if ((guint) mline >= by_mline->len)
        g_ptr_array_set_size (by_mline, mline + 1);
      if (!g_ptr_array_index (by_mline, mline))
        g_ptr_array_index (by_mline, mline) = gst_object_ref (trans);
    }
    rtc_peer_pads_set_routes (t, g_steal_pointer (&pt->routes), by_mline);
  }
  if ((gathering && self->ice_gathering_state ==
          GST_WEBRTC_ICE_GATHERING_STATE_NEW) || (restarted
          && self->ice_gathering_state !=
          GST_WEBRTC_ICE_GATHERING_STATE_GATHERING)) {
    self->ice_gathering_state = GST_WEBRTC_ICE_GATHERING_STATE_GATHERING;
    self->pending.notify_mask |= RTC_NOTIFY_ICE_GATHERING_STATE;
  }
  /* W3C [[LocalIceCredentialsToReplace]] are replaced now */
  if (restarted)
    self->ice_restart_requested = FALSE;
  /* JSEP 5.3.1: the answer to an offer that restarts ICE brings new
   * credentials of ours as well (RFC 8839 section 4.4.1.1.2) */
  if (remote_restart) {
    g_free (self->session.ice_ufrag);
    g_free (self->session.ice_pwd);
    self->session.ice_ufrag = rtc_random_ice_string (8);
    self->session.ice_pwd = rtc_random_ice_string (24);
  }
  if (created)
    g_ptr_array_unref (created);
}

void
rtc_peer_media_link_sinks (GstRtcPeerBin * self)
{
  GList *pads, *l;

  /* Sink pads whose transceiver now has a transport start sending. */
  GST_OBJECT_LOCK (self);
  pads = g_list_copy_deep (GST_ELEMENT (self)->sinkpads,
      (GCopyFunc) gst_object_ref, NULL);
  GST_OBJECT_UNLOCK (self);
  for (l = pads; l; l = l->next)
    rtc_peer_media_link_sink (self, l->data);
  g_list_free_full (pads, gst_object_unref);
}

void
rtc_peer_media_finish (GstRtcPeerBin * self, const RtcJsepPlan * plan,
    GPtrArray * removed)
{
  guint i;

  for (i = 0; i < plan->streams_added->len; i++)
    GST_DEBUG_OBJECT (self, "the remote starts sending stream '%s'",
        (const gchar *) g_ptr_array_index (plan->streams_added, i));
  for (i = 0; i < plan->streams_removed->len; i++)
    GST_DEBUG_OBJECT (self, "the remote stops sending stream '%s'",
        (const gchar *) g_ptr_array_index (plan->streams_removed, i));
  if (plan->sctp_stop)
    rtc_peer_sctp_stop (self);
  for (i = 0; i < removed->len; i++)
    transport_destroy (self, g_ptr_array_index (removed, i));
  g_ptr_array_unref (removed);
  if (plan->sctp_start && self->ice) {
    RtcPeerTransport *t;
    GstRtcTransport *element = NULL;

    PC_LOCK (self);
    t = rtc_peer_transport_by_tag (self, plan->sctp.tag);
    if (t)
      element = gst_object_ref (t->element);
    PC_UNLOCK (self);
    if (element) {
      rtc_peer_sctp_start (self, element,
          gst_rtc_transport_get_dtls_role (element) == RTC_DTLS_ROLE_CLIENT,
          rtc_ice_agent_get_context (self->ice), plan->sctp.remote_port,
          plan->sctp.remote_max_message_size, plan->sctp.remote_max_packet);
      gst_object_unref (element);
    }
  }
  rtc_peer_media_link_sinks (self);
}

void
rtc_peer_media_add_remote_candidate (GstRtcPeerBin * self, guint mline,
    const gchar * candidate)
{
  RtcPeerTransport *t;
  guint stream = 0;

  /* Only the ops thread (this one) changes the agent and the transports;
   * libnice is called without pc_lock (it sends checks at once). */
  if (!self->ice)
    return;
  PC_LOCK (self);
  t = rtc_peer_transport_by_mline (self, mline);
  /* Before the transport has the remote credentials the candidate waits
   * in the remote description and is added with them. */
  if (t && t->remote_ufrag && !t->remote_restart_pending)
    stream = t->stream_id;
  PC_UNLOCK (self);
  if (stream == 0)
    return;
  if (candidate[0] == '\0')
    rtc_ice_agent_end_of_candidates (self->ice, stream);
  else
    rtc_ice_agent_add_remote_candidate (self->ice, stream, candidate, NULL);
}

/* Stops every transport and the ICE agent; src pads go with rtpbin's
 * streams. Ops thread (close(), dispose), or a network thread disposing
 * the bin. */
void
rtc_peer_media_teardown (GstRtcPeerBin * self)
{
  GPtrArray *transports;
  RtcIceAgent *ice;
  guint i;

  PC_LOCK (self);
  transports = self->transports;
  self->transports = g_ptr_array_new_with_free_func (transport_free);
  PC_UNLOCK (self);

  /* close_notify still goes out through ICE; once stopped, a transport
   * sends nothing more, so the agent can go. */
  for (i = 0; i < transports->len; i++) {
    RtcPeerTransport *t = g_ptr_array_index (transports, i);

    gst_rtc_transport_stop (t->element);
  }
  PC_LOCK (self);
  ice = self->ice;
  self->ice = NULL;
  PC_UNLOCK (self);
  /* After this no ICE callback runs, so the stream table can go. */
  if (ice)
    rtc_ice_agent_free (ice);
  for (i = 0; i < MAX_STREAMS; i++)
    g_atomic_pointer_set (&self->by_stream[i], NULL);

  for (i = 0; i < transports->len; i++)
    transport_remove_elements (self, g_ptr_array_index (transports, i),
        FALSE);
  g_ptr_array_unref (transports);
}
