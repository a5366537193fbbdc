/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The JSEP operations of rtcpeerbin. Each runs on the operations thread:
 * it takes pc_lock, decides with the pure functions of core/jsep/, applies
 * the result, drops the lock and only then announces what changed. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrtcpeerbin.h"
#include "rtcicecandidate.h"
#include "rtcrandom.h"
#include "dtls/rtccert.h"
#include "jsep/rtcjsep-answer.h"
#include "jsep/rtcjsep-offer.h"
#include "jsep/rtcjsep-validate.h"
#include "jsep/rtcjsep-plan.h"

#include <string.h>

GST_DEBUG_CATEGORY_EXTERN (gst_rtc_peer_bin_debug);
#define GST_CAT_DEFAULT gst_rtc_peer_bin_debug

/* The GstWebRTC error a webrtcbin application expects for a JSEP error. */
static GstStructure *
jsep_error_reply (GError * error)
{
  GstWebRTCError code = GST_WEBRTC_ERROR_INTERNAL_FAILURE;

  if (error->domain == RTC_JSEP_ERROR) {
    switch (error->code) {
      case RTC_JSEP_ERROR_INVALID_SDP:
        code = GST_WEBRTC_ERROR_SDP_SYNTAX_ERROR;
        break;
      case RTC_JSEP_ERROR_INVALID_STATE:
        code = GST_WEBRTC_ERROR_INVALID_STATE;
        break;
      case RTC_JSEP_ERROR_INVALID_MODIFICATION:
        code = GST_WEBRTC_ERROR_INVALID_MODIFICATION;
        break;
      default:
        break;
    }
  }
  if (error->domain != GST_WEBRTC_ERROR) {
    GError *converted = g_error_new_literal (GST_WEBRTC_ERROR, code,
        error->message);
    g_error_free (error);
    error = converted;
  }
  return rtc_peer_error_reply_take (error);
}

static GstStructure *
closed_reply (const gchar * what)
{
  return rtc_peer_error_reply (GST_WEBRTC_ERROR,
      GST_WEBRTC_ERROR_INVALID_STATE, "Cannot %s: the peer connection is "
      "closed", what);
}

/* A DTLS certificate of its own for each peer connection, as browsers
 * do: remote peers cannot link two sessions of one process by their
 * fingerprints. Shared only when the application sets the same
 * "certificate" on several bins. An ECDSA P-256 key takes well under a
 * millisecond; it is made on the ops thread at first need, without
 * pc_lock. */
static gboolean
ensure_certificate (GstRtcPeerBin * self, GError ** error)
{
  RtcCertificate *cert;
  gboolean have;

  PC_LOCK (self);
  have = self->certificate != NULL;
  PC_UNLOCK (self);
  if (have)
    return TRUE;
  cert = rtc_certificate_new_generated (error);
  if (!cert)
    return FALSE;
  PC_LOCK (self);
  /* the property may have given one meanwhile: that one wins */
  if (!self->certificate)
    self->certificate = g_steal_pointer (&cert);
  PC_UNLOCK (self);
  g_clear_pointer (&cert, rtc_certificate_unref);
  return TRUE;
}

/* ICE credentials and the fingerprint are fixed for the life of the
 * connection (until an ICE restart), so the first offer or answer picks
 * them. */
static gboolean
ensure_session (GstRtcPeerBin * self, GError ** error)
{
  if (!self->session.ice_ufrag) {
    self->session.ice_ufrag = rtc_random_ice_string (8);
    self->session.ice_pwd = rtc_random_ice_string (24);
    self->session.session_id = rtc_random_session_id ();
    self->session.session_version = 0;
    self->session.offer_setup = GST_WEBRTC_DTLS_SETUP_ACTPASS;
    /* One MediaStream for all our tracks unless a pad names another:
     * a browser then plays our audio and video in sync. */
    self->session.stream_id = g_strdup_printf ("rtcpeer-%016" G_GINT64_MODIFIER
        "x", self->session.session_id);
  }
  /* ensure_certificate () gave one, unless the application cleared the
   * certificate property since */
  if (!self->certificate) {
    g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INTERNAL,
        "The peer connection has no DTLS certificate");
    return FALSE;
  }
  g_free (self->session.fingerprint);
  self->session.fingerprint =
      rtc_certificate_get_fingerprint (self->certificate);
  self->session.bundle_policy = self->bundle_policy;
  return TRUE;
}

/* Copies of the models of the transceivers that can go into a
 * description, with the transceivers they came from at the same index. */
static void
snapshot_medias (GstRtcPeerBin * self, GPtrArray ** medias,
    GPtrArray ** owners)
{
  guint i;

  *medias = g_ptr_array_new_with_free_func ((GDestroyNotify)
      rtc_jsep_media_free);
  *owners = g_ptr_array_new_with_free_func (gst_object_unref);
  for (i = 0; i < self->transceivers->len; i++) {
    GstRtcRtpTransceiver *trans = g_ptr_array_index (self->transceivers, i);
    RtcJsepMedia *media = gst_rtc_rtp_transceiver_dup_media (trans);

    /* A sink pad whose caps have not arrived cannot be described yet; the
     * caps event asks for negotiation again when they do. */
    if (media->kind != RTC_MEDIA_KIND_APPLICATION && media->codecs->len == 0
        && media->mid == NULL) {
      GST_INFO_OBJECT (self, "transceiver %u has no codecs yet, left out", i);
      rtc_jsep_media_free (media);
      continue;
    }
    g_ptr_array_add (*medias, media);
    g_ptr_array_add (*owners, gst_object_ref (trans));
  }
  /* The data channel section travels with the others but is not a
   * transceiver the application sees. */
  if (self->data_trans) {
    g_ptr_array_add (*medias,
        gst_rtc_rtp_transceiver_dup_media (self->data_trans));
    g_ptr_array_add (*owners, gst_object_ref (self->data_trans));
  }
}

static void
write_back_medias (GPtrArray * medias, GPtrArray * owners)
{
  guint i;

  for (i = 0; i < owners->len; i++)
    gst_rtc_rtp_transceiver_update_media (g_ptr_array_index (owners, i),
        g_ptr_array_index (medias, i));
}

static GstStructure *
description_reply (GstWebRTCSDPType type, GstSDPMessage * sdp)
{
  GstWebRTCSessionDescription *desc;
  GstStructure *s;

  if (gst_debug_category_get_threshold (GST_CAT_DEFAULT) >= GST_LEVEL_DEBUG) {
    gchar *text = gst_sdp_message_as_text (sdp);

    GST_DEBUG ("created %s:\n%s", gst_webrtc_sdp_type_to_string (type), text);
    g_free (text);
  }
  desc = gst_webrtc_session_description_new (type, sdp);
  s = gst_structure_new ("application/x-gst-promise",
      gst_webrtc_sdp_type_to_string (type),
      GST_TYPE_WEBRTC_SESSION_DESCRIPTION, desc, NULL);
  gst_webrtc_session_description_free (desc);
  return s;
}

/* https://w3c.github.io/webrtc-pc/#dom-rtcpeerconnection-createoffer */
GstStructure *
rtc_peer_jsep_create_offer (gpointer owner, gpointer data)
{
  GstRtcPeerBin *self = owner;
  const GstStructure *options = data;
  GPtrArray *medias, *owners;
  GstSDPMessage *sdp;
  const GstSDPMessage *current;
  GError *error = NULL;
  gboolean ice_restart = FALSE;

  gst_rtc_peer_bin_wait_sink_caps (self);
  if (!ensure_certificate (self, &error))
    return jsep_error_reply (error);
  PC_LOCK (self);
  if (self->closed) {
    PC_UNLOCK (self);
    return closed_reply ("create an offer");
  }
  if (!ensure_session (self, &error)) {
    PC_UNLOCK (self);
    return jsep_error_reply (error);
  }
  /* RTCOfferOptions.iceRestart as webrtcbin reads it, or restart-ice:
   * new credentials (https://www.rfc-editor.org/rfc/rfc8829#section-5.2.1);
   * the ICE stream takes them when the offer is set locally. Before the
   * first description there is nothing to restart. */
  if (options)
    gst_structure_get_boolean (options, "ice-restart", &ice_restart);
  if ((ice_restart || self->ice_restart_requested) && self->current_local) {
    g_free (self->session.ice_ufrag);
    g_free (self->session.ice_pwd);
    self->session.ice_ufrag = rtc_random_ice_string (8);
    self->session.ice_pwd = rtc_random_ice_string (24);
    GST_INFO_OBJECT (self, "offer restarts ICE: ufrag %s",
        self->session.ice_ufrag);
  }
  snapshot_medias (self, &medias, &owners);
  self->session.session_version++;
  current = rtc_jsep_sdp_in_use (NULL, self->current_local);
  sdp = rtc_jsep_build_offer (&self->session, medias, current, &error);
  PC_UNLOCK (self);

  if (sdp)
    write_back_medias (medias, owners);
  g_ptr_array_unref (medias);
  g_ptr_array_unref (owners);
  if (!sdp)
    return jsep_error_reply (error);
  return description_reply (GST_WEBRTC_SDP_TYPE_OFFER, sdp);
}

/* https://w3c.github.io/webrtc-pc/#dom-rtcpeerconnection-createanswer */
GstStructure *
rtc_peer_jsep_create_answer (gpointer owner, gpointer data)
{
  GstRtcPeerBin *self = owner;
  GPtrArray *medias, *owners;
  GstSDPMessage *sdp;
  GError *error = NULL;

  gst_rtc_peer_bin_wait_sink_caps (self);
  if (!ensure_certificate (self, &error))
    return jsep_error_reply (error);
  PC_LOCK (self);
  if (self->closed) {
    PC_UNLOCK (self);
    return closed_reply ("create an answer");
  }
  if (self->signaling_state != GST_WEBRTC_SIGNALING_STATE_HAVE_REMOTE_OFFER &&
      self->signaling_state != GST_WEBRTC_SIGNALING_STATE_HAVE_LOCAL_PRANSWER) {
    GstWebRTCSignalingState state = self->signaling_state;

    PC_UNLOCK (self);
    return rtc_peer_error_reply (GST_WEBRTC_ERROR,
        GST_WEBRTC_ERROR_INVALID_STATE, "Cannot create an answer in "
        "signaling state '%s': there is no remote offer to answer",
        g_enum_get_value (g_type_class_peek
            (GST_TYPE_WEBRTC_SIGNALING_STATE), state)->value_nick);
  }
  if (!ensure_session (self, &error)) {
    PC_UNLOCK (self);
    return jsep_error_reply (error);
  }
  snapshot_medias (self, &medias, &owners);
  {
    guint i;

    for (i = 0; i < medias->len; i++) {
      RtcJsepMedia *m = g_ptr_array_index (medias, i);

      GST_DEBUG_OBJECT (self, "answering with media %u: %s mid %s mline %d, "
          "%u codecs, direction %d", i, rtc_media_kind_to_string (m->kind),
          m->mid, m->mline, m->codecs->len, m->direction);
    }
  }
  self->session.session_version++;
  /* The last negotiated pair tells which transports already have a DTLS
   * role, which a renegotiation must keep. */
  sdp = rtc_jsep_build_answer_full (&self->session, self->pending_remote->sdp,
      medias, self->current_local ? self->current_local->sdp : NULL,
      self->current_remote ? self->current_remote->sdp : NULL, &error);
  PC_UNLOCK (self);

  g_ptr_array_unref (medias);
  g_ptr_array_unref (owners);
  if (!sdp)
    return jsep_error_reply (error);
  return description_reply (GST_WEBRTC_SDP_TYPE_ANSWER, sdp);
}

void
rtc_peer_set_description_free (gpointer data)
{
  RtcPeerSetDescription *sd = data;

  gst_webrtc_session_description_free (sd->desc);
  g_free (sd);
}

static void
replace_desc (GstWebRTCSessionDescription ** slot,
    GstWebRTCSessionDescription * desc)
{
  if (*slot)
    gst_webrtc_session_description_free (*slot);
  *slot = desc;
}

/* The "ufrag" extension of a candidate line (RFC 8839 section 5.1
 * extensions, as browsers and rtcpeerbin write it), or NULL. */
static gchar *
candidate_ufrag (const gchar * candidate)
{
  RtcIceCandidate cand = { 0, };
  gchar *ufrag = NULL;

  if (candidate[0] != '\0' && rtc_ice_candidate_parse (candidate, &cand,
          NULL))
    ufrag = g_steal_pointer (&cand.ufrag);
  rtc_ice_candidate_clear (&cand);
  return ufrag;
}

/* Whether a trickled candidate belongs to an ICE generation (RFC 8445
 * section 9) that the remote description in use does not have yet: after
 * an ICE restart the peer's new candidates may overtake the description
 * with its new credentials. Known by its ufrag extension; without one,
 * by our own restart waiting for the answer. pc_lock held. */
static gboolean
candidate_ahead_locked (GstRtcPeerBin * self,
    GstWebRTCSessionDescription * remote, const RtcPeerCandidate * c)
{
  gchar *ufrag = candidate_ufrag (c->candidate);
  RtcPeerTransport *t;
  gboolean ahead;

  if (ufrag) {
    ahead = g_strcmp0 (ufrag, rtc_sdp_media_get_ice_ufrag (remote->sdp,
            c->mline)) != 0;
    g_free (ufrag);
    return ahead;
  }
  /* a second end-of-candidates: the generation in use had its own */
  if (c->candidate[0] == '\0'
      && rtc_sdp_media_has_attribute (gst_sdp_message_get_media (remote->sdp,
              c->mline), "end-of-candidates"))
    return TRUE;
  t = rtc_peer_transport_by_mline (self, c->mline);
  return self->signaling_state == GST_WEBRTC_SIGNALING_STATE_HAVE_LOCAL_OFFER
      && t && !t->remote_ufrag;
}

/* Early candidates go into the remote description they waited for (a
 * copy: nothing changes until commit). Those still without their m-line
 * come back as warnings; those of another ICE generation are dropped. */
static GPtrArray *
add_early_candidates (GstRtcPeerBin * self, GstWebRTCSessionDescription * desc)
{
  GPtrArray *warnings = g_ptr_array_new_with_free_func (g_free);
  guint i;

  for (i = 0; i < self->early_candidates->len; i++) {
    RtcPeerCandidate *c = g_ptr_array_index (self->early_candidates, i);
    GError *error = NULL;
    gchar *ufrag = candidate_ufrag (c->candidate);

    if (ufrag && c->mline < gst_sdp_message_medias_len (desc->sdp)
        && g_strcmp0 (ufrag, rtc_sdp_media_get_ice_ufrag (desc->sdp,
                c->mline)) != 0) {
      GST_DEBUG_OBJECT (self, "candidate of ICE generation '%s' dropped: "
          "not the description's", ufrag);
      g_free (ufrag);
      continue;
    }
    g_free (ufrag);
    if (!rtc_jsep_sdp_add_candidate (desc->sdp, c->mline, c->candidate,
            &error)) {
      g_ptr_array_add (warnings, g_strdup (error->message));
      g_clear_error (&error);
    }
  }
  return warnings;
}

/* The planner's view of the connection (pc_lock held). @owners holds the
 * transceivers at the index of their state entry; @medias their models;
 * free *@scratch and *@transports with g_free. */
static void
snapshot_state (GstRtcPeerBin * self, RtcJsepState * state,
    GPtrArray * medias, GPtrArray * owners, RtcJsepStateTransceiver ** scratch,
    RtcJsepStateTransport ** transports)
{
  RtcJsepStateTransceiver *st;
  guint i;

  memset (state, 0, sizeof (*state));
  st = g_new0 (RtcJsepStateTransceiver, medias->len + 1);
  for (i = 0; i < medias->len; i++) {
    GstRtcRtpTransceiver *trans = g_ptr_array_index (owners, i);

    st[i].media = g_ptr_array_index (medias, i);
    GST_OBJECT_LOCK (trans);
    st[i].current_direction = RTC_TRANS_STATE (trans)->current_direction;
    GST_OBJECT_UNLOCK (trans);
    st[i].created_by_offer = g_ptr_array_find (self->offer_transceivers,
        trans, NULL);
  }
  state->signaling_state = self->signaling_state;
  state->current_local = self->current_local;
  state->pending_local = self->pending_local;
  state->current_remote = self->current_remote;
  state->pending_remote = self->pending_remote;
  state->transceivers = st;
  state->n_transceivers = medias->len;
  state->bundle_policy = self->bundle_policy;
  state->local_sctp_port = 5000;
  state->local_max_message_size = RTC_PEER_MAX_MESSAGE_SIZE;
  state->session_stream_id = self->session.stream_id;
  state->ice_restart_requested = self->ice_restart_requested;
  rtc_peer_media_state_locked (self, state, transports);
  *scratch = st;
}

static GstWebRTCSessionDescription *
slot_copy (const RtcJsepState * state, GstWebRTCSessionDescription * desc,
    RtcJsepSlot slot, GstWebRTCSessionDescription * before)
{
  const GstWebRTCSessionDescription *v = rtc_jsep_plan_slot_value (state,
      desc, slot, before);

  return v ? gst_webrtc_session_description_copy (v) : NULL;
}

typedef struct
{
  GstRtcRtpTransceiver *trans;
  gboolean mid, mline, direction;
} TransceiverNews;

/* https://w3c.github.io/webrtc-pc/#set-description, what the plan says,
 * applied: slots, signaling state, transceivers, transports. Cannot
 * fail. pc_lock held; what is to be announced goes to @news and
 * self->pending. */
static void
commit_locked (GstRtcPeerBin * self, const RtcJsepState * state,
    RtcJsepPlan * plan, GstWebRTCSessionDescription * desc,
    GPtrArray * owners, GPtrArray * created, GArray * news,
    GPtrArray ** removed)
{
  GstWebRTCSessionDescription *cl, *pl, *cr, *pr;
  gboolean stable = plan->signaling_state ==
      GST_WEBRTC_SIGNALING_STATE_STABLE;
  guint i;

  cl = slot_copy (state, desc, plan->current_local, self->current_local);
  pl = slot_copy (state, desc, plan->pending_local, self->pending_local);
  cr = slot_copy (state, desc, plan->current_remote, self->current_remote);
  pr = slot_copy (state, desc, plan->pending_remote, self->pending_remote);
  replace_desc (&self->current_local, cl);
  replace_desc (&self->pending_local, pl);
  replace_desc (&self->current_remote, cr);
  replace_desc (&self->pending_remote, pr);
  if (plan->local_changed)
    self->pending.notify_mask |= RTC_NOTIFY_LOCAL_DESCRIPTION;
  if (plan->remote_changed)
    self->pending.notify_mask |= RTC_NOTIFY_REMOTE_DESCRIPTION;
  if (plan->signaling_state_changed) {
    self->signaling_state = plan->signaling_state;
    self->pending.notify_mask |= RTC_NOTIFY_SIGNALING_STATE;
  }

  for (i = 0; i < plan->transceivers->len; i++) {
    const RtcJsepPlanTransceiver *pt = g_ptr_array_index (plan->transceivers,
        i);
    GstRtcRtpTransceiver *trans;
    TransceiverNews n = { NULL, };

    if (pt->created) {
      trans = gst_rtc_rtp_transceiver_new (rtc_jsep_media_copy (pt->media));
      if (pt->media->kind == RTC_MEDIA_KIND_APPLICATION) {
        /* The remote offers data channels: the section gets its owner,
         * not a transceiver the application sees. */
        gst_clear_object (&self->data_trans);
        self->data_trans = trans;
      } else {
        g_ptr_array_add (self->transceivers, trans);
        g_ptr_array_add (self->pending.new_transceivers,
            gst_object_ref (trans));
      }
      if (!stable)
        g_ptr_array_add (self->offer_transceivers, gst_object_ref (trans));
      continue;
    }
    trans = g_ptr_array_index (owners, pt->id);
    if (pt->removed) {
      GST_DEBUG_OBJECT (self, "rollback removes transceiver %u", pt->id);
      g_ptr_array_remove (self->offer_transceivers, trans);
      if (trans == self->data_trans)
        gst_clear_object (&self->data_trans);
      else
        g_ptr_array_remove (self->transceivers, trans);
      continue;
    }
    n.trans = trans;
    GST_OBJECT_LOCK (trans);
    if (pt->media_changed) {
      n.mid = g_strcmp0 (RTC_TRANS_STATE (trans)->media->mid, pt->media->mid) != 0;
      n.mline = RTC_TRANS_STATE (trans)->media->mline != pt->media->mline;
      g_free (RTC_TRANS_STATE (trans)->media->mid);
      RTC_TRANS_STATE (trans)->media->mid = g_strdup (pt->media->mid);
      RTC_TRANS_STATE (trans)->media->mline = pt->media->mline;
    }
    if (pt->current_direction_changed) {
      RTC_TRANS_STATE (trans)->current_direction = pt->current_direction;
      n.direction = TRUE;
    }
    GST_OBJECT_UNLOCK (trans);
    if (n.mid || n.mline || n.direction)
      g_array_append_val (news, n);
  }
  if (stable)
    g_ptr_array_set_size (self->offer_transceivers, 0);
  /* Their notifications run after the lock: keep them alive. */
  for (i = 0; i < news->len; i++)
    gst_object_ref (g_array_index (news, TransceiverNews, i).trans);

  rtc_peer_media_commit_locked (self, plan, created, removed);
}

/* https://w3c.github.io/webrtc-pc/#set-description as prepare (pure,
 * core/jsep/rtcjsep-plan.c), acquire (what can fail: ICE streams,
 * sockets, DTLS), commit (cannot fail), announce (after the lock). */
GstStructure *
rtc_peer_jsep_set_description (gpointer owner, gpointer data)
{
  GstRtcPeerBin *self = owner;
  RtcPeerSetDescription *sd = data;
  GstWebRTCSessionDescription *desc;
  GPtrArray *medias, *owners, *warnings = NULL, *created = NULL, *removed;
  RtcJsepStateTransceiver *scratch;
  RtcJsepStateTransport *transports;
  RtcJsepState state;
  RtcJsepPlan *plan;
  GArray *news;
  GError *error = NULL;
  gboolean remote = sd->source == RTC_SDP_SOURCE_REMOTE;
  guint i;

  if (remote)
    gst_rtc_peer_bin_wait_sink_caps (self);
  if (!ensure_certificate (self, &error))
    return jsep_error_reply (error);
  PC_LOCK (self);
  if (self->closed) {
    PC_UNLOCK (self);
    return closed_reply (remote ? "set the remote description" :
        "set the local description");
  }
  desc = gst_webrtc_session_description_copy (sd->desc);
  if (remote && desc->type != GST_WEBRTC_SDP_TYPE_ROLLBACK && desc->sdp)
    warnings = add_early_candidates (self, desc);
  snapshot_medias (self, &medias, &owners);
  snapshot_state (self, &state, medias, owners, &scratch, &transports);
  plan = rtc_jsep_plan_prepare (&state, desc, sd->source, &error);
  /* Transports need our ICE credentials and certificate from the first
   * description on, even one that create-offer/-answer did not make. */
  if (plan && !ensure_session (self, &error))
    g_clear_pointer (&plan, rtc_jsep_plan_free);
  PC_UNLOCK (self);
  if (!plan)
    goto fail;

  /* The ops thread alone changes descriptions and transports, so the
   * snapshot holds while the lock is dropped for what can block. */
  if (!rtc_peer_media_acquire (self, plan, &created, &error)) {
    GError *converted = g_error_new (GST_WEBRTC_ERROR,
        GST_WEBRTC_ERROR_INTERNAL_FAILURE, "Could not set up the "
        "transports of the %s description: %s", remote ? "remote" : "local",
        error->message);

    g_clear_error (&error);
    error = converted;
    goto fail;
  }

  news = g_array_new (FALSE, TRUE, sizeof (TransceiverNews));
  PC_LOCK (self);
  if (self->closed) {
    PC_UNLOCK (self);
    g_array_unref (news);
    rtc_peer_media_release (self, created);
    rtc_jsep_plan_free (plan);
    plan = NULL;
    error = g_error_new (GST_WEBRTC_ERROR, GST_WEBRTC_ERROR_INVALID_STATE,
        "Cannot set the %s description: the peer connection is closed",
        remote ? "remote" : "local");
    goto fail;
  }
  commit_locked (self, &state, plan, desc, owners, created, news, &removed);
  if (remote && desc->type != GST_WEBRTC_SDP_TYPE_ROLLBACK)
    g_ptr_array_set_size (self->early_candidates, 0);
  /* An offer that restarted ICE, rolled back: its credentials go with it
   * (the plan restarted the transports with the current ones). */
  if (!remote && desc->type == GST_WEBRTC_SDP_TYPE_ROLLBACK
      && self->current_local
      && gst_sdp_message_medias_len (self->current_local->sdp) > 0
      && rtc_sdp_media_get_ice_ufrag (self->current_local->sdp, 0)
      && rtc_sdp_media_get_ice_pwd (self->current_local->sdp, 0)) {
    g_free (self->session.ice_ufrag);
    g_free (self->session.ice_pwd);
    self->session.ice_ufrag =
        g_strdup (rtc_sdp_media_get_ice_ufrag (self->current_local->sdp, 0));
    self->session.ice_pwd =
        g_strdup (rtc_sdp_media_get_ice_pwd (self->current_local->sdp, 0));
  }
  PC_UNLOCK (self);

  /* announce */
  for (i = 0; warnings && i < warnings->len; i++)
    GST_ELEMENT_WARNING (self, LIBRARY, SETTINGS, ("%s",
            (const gchar *) g_ptr_array_index (warnings, i)), (NULL));
  for (i = 0; i < news->len; i++) {
    TransceiverNews *n = &g_array_index (news, TransceiverNews, i);

    if (n->mid)
      g_object_notify (G_OBJECT (n->trans), "mid");
    if (n->mline)
      g_object_notify (G_OBJECT (n->trans), "mlineindex");
    if (n->direction)
      g_object_notify (G_OBJECT (n->trans), "current-direction");
    gst_object_unref (n->trans);
  }
  g_array_unref (news);
  gst_rtc_peer_bin_emit_pending (self);
  rtc_peer_media_finish (self, plan, removed);
  gst_rtc_peer_bin_emit_pending (self);
  gst_rtc_peer_bin_update_negotiation_needed (self);

  rtc_jsep_plan_free (plan);
  g_clear_pointer (&warnings, g_ptr_array_unref);
  g_free (scratch);
  g_free (transports);
  g_ptr_array_unref (medias);
  g_ptr_array_unref (owners);
  gst_webrtc_session_description_free (desc);
  return NULL;

fail:
  g_clear_pointer (&plan, rtc_jsep_plan_free);
  g_clear_pointer (&warnings, g_ptr_array_unref);
  g_free (scratch);
  g_free (transports);
  g_ptr_array_unref (medias);
  g_ptr_array_unref (owners);
  gst_webrtc_session_description_free (desc);
  return jsep_error_reply (error);
}

/* Candidates kept before their description: a handful per m-line in
 * practice; the bound only stops a peer that never sends one. */
#define MAX_EARLY_CANDIDATES 512

void
rtc_peer_candidate_free (gpointer data)
{
  RtcPeerCandidate *c = data;

  g_free (c->candidate);
  g_free (c);
}

GstStructure *
rtc_peer_jsep_add_ice_candidate (gpointer owner, gpointer data)
{
  GstRtcPeerBin *self = owner;
  RtcPeerCandidate *c = data;
  GstWebRTCSessionDescription *remote;
  GError *error = NULL;

  PC_LOCK (self);
  if (self->closed) {
    PC_UNLOCK (self);
    GST_DEBUG_OBJECT (self, "closed: candidate dropped");
    return NULL;
  }
  remote = rtc_jsep_desc_in_use (self->pending_remote, self->current_remote);
  if (!remote || (self->signaling_state !=
          GST_WEBRTC_SIGNALING_STATE_HAVE_REMOTE_OFFER
          && c->mline >= gst_sdp_message_medias_len (remote->sdp))
      || (c->mline < gst_sdp_message_medias_len (remote->sdp)
          && candidate_ahead_locked (self, remote, c))) {
    RtcPeerCandidate *copy;
    RtcIceCandidate cand = { 0, };

    /* Only well-formed (and so bounded) lines are kept. */
    if (c->candidate[0] != '\0'
        && !rtc_ice_candidate_parse (c->candidate, &cand, &error)) {
      PC_UNLOCK (self);
      GST_ELEMENT_WARNING (self, LIBRARY, SETTINGS, ("%s", error->message),
          (NULL));
      g_clear_error (&error);
      return NULL;
    }
    rtc_ice_candidate_clear (&cand);
    copy = g_new0 (RtcPeerCandidate, 1);

    /* Trickled candidates often overtake the description they belong
     * to; keep them until it is set. In a renegotiation that is the
     * remote offer (or answer) that adds their m-line: the remote
     * description in use does not have it yet. A candidate still
     * without its m-line then is refused with a warning. */
    if (self->early_candidates->len >= MAX_EARLY_CANDIDATES) {
      PC_UNLOCK (self);
      g_free (copy);
      GST_ELEMENT_WARNING (self, LIBRARY, SETTINGS, ("add-ice-candidate: "
              "more than %u candidates wait for a remote description that "
              "has their m-line (m-line %u): dropped", MAX_EARLY_CANDIDATES,
              c->mline), (NULL));
      return NULL;
    }
    GST_DEBUG_OBJECT (self, "candidate for m-line %u kept until the remote "
        "description that has it", c->mline);
    copy->mline = c->mline;
    copy->candidate = g_strdup (c->candidate);
    g_ptr_array_add (self->early_candidates, copy);
    PC_UNLOCK (self);
    return NULL;
  }
  if (!rtc_jsep_sdp_add_candidate (remote->sdp, c->mline, c->candidate,
          &error)) {
    PC_UNLOCK (self);
    GST_ELEMENT_WARNING (self, LIBRARY, SETTINGS, ("%s", error->message),
        (NULL));
    g_clear_error (&error);
    return NULL;
  }
  self->pending.notify_mask |= RTC_NOTIFY_REMOTE_DESCRIPTION;
  PC_UNLOCK (self);
  rtc_peer_media_add_remote_candidate (self, c->mline, c->candidate);
  gst_rtc_peer_bin_emit_pending (self);
  return NULL;
}

/* https://w3c.github.io/webrtc-pc/#dfn-check-if-negotiation-is-needed,
 * decided by rtc_jsep_negotiation_needed() on a snapshot. pc_lock held. */
static gboolean
negotiation_is_needed (GstRtcPeerBin * self)
{
  GPtrArray *medias = g_ptr_array_new_with_free_func ((GDestroyNotify)
      rtc_jsep_media_free);
  RtcJsepStateTransceiver *st;
  RtcJsepState state = { 0, };
  RtcNegotiationReason reason;
  guint i, index = 0, n = self->transceivers->len + (self->data_trans != NULL);

  st = g_new0 (RtcJsepStateTransceiver, n + 1);
  for (i = 0; i < n; i++) {
    GstRtcRtpTransceiver *trans = i < self->transceivers->len ?
        g_ptr_array_index (self->transceivers, i) : self->data_trans;

    g_ptr_array_add (medias, gst_rtc_rtp_transceiver_dup_media (trans));
    st[i].media = g_ptr_array_index (medias, i);
    GST_OBJECT_LOCK (trans);
    st[i].current_direction = RTC_TRANS_STATE (trans)->current_direction;
    GST_OBJECT_UNLOCK (trans);
  }
  state.signaling_state = self->signaling_state;
  state.current_local = self->current_local;
  state.current_remote = self->current_remote;
  state.pending_local = self->pending_local;
  state.pending_remote = self->pending_remote;
  state.transceivers = st;
  state.n_transceivers = n;
  state.session_stream_id = self->session.stream_id;
  state.ice_restart_requested = self->ice_restart_requested;
  reason = rtc_jsep_negotiation_needed (&state, &index);
  if (reason != RTC_NEGOTIATION_NOT_NEEDED)
    GST_DEBUG_OBJECT (self, "negotiation needed: %s (transceiver %u)",
        rtc_negotiation_reason_to_string (reason), index);
  g_free (st);
  g_ptr_array_unref (medias);
  return reason != RTC_NEGOTIATION_NOT_NEEDED;
}

GstStructure *
rtc_peer_jsep_check_negotiation (gpointer owner, gpointer data)
{
  GstRtcPeerBin *self = owner;

  PC_LOCK (self);
  GST_LOG_OBJECT (self, "checking negotiation-needed in state %d (flag %d)",
      self->signaling_state, self->negotiation_needed);
  /* Outside stable the check runs again when stable is reached; before
   * READY, when READY is reached (change_state). */
  if (!self->closed && self->ready
      && self->signaling_state == GST_WEBRTC_SIGNALING_STATE_STABLE) {
    if (negotiation_is_needed (self)) {
      if (!self->negotiation_needed)
        self->pending.negotiation_needed = TRUE;
      self->negotiation_needed = TRUE;
    } else {
      self->negotiation_needed = FALSE;
    }
  }
  PC_UNLOCK (self);
  gst_rtc_peer_bin_emit_pending (self);
  return NULL;
}
