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
  if (!self->certificate) {
    self->certificate = rtc_certificate_get_default ();
    if (!self->certificate) {
      g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INTERNAL,
          "Could not generate the DTLS certificate (see the rtcdtls debug "
          "log)");
      return FALSE;
    }
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
  GPtrArray *medias, *owners;
  GstSDPMessage *sdp;
  const GstSDPMessage *current;
  GError *error = NULL;

  gst_rtc_peer_bin_wait_sink_caps (self);
  PC_LOCK (self);
  if (self->closed) {
    PC_UNLOCK (self);
    return closed_reply ("create an offer");
  }
  if (!ensure_session (self, &error)) {
    PC_UNLOCK (self);
    return jsep_error_reply (error);
  }
  snapshot_medias (self, &medias, &owners);
  self->session.session_version++;
  current = self->current_local ? self->current_local->sdp : NULL;
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

/* The direction this side ends up using, seen from here: the local
 * answer's own direction, or the reverse of the remote answer's. */
static GstWebRTCRTPTransceiverDirection
reverse_direction (GstWebRTCRTPTransceiverDirection dir)
{
  switch (dir) {
    case GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY:
      return GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY;
    case GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY:
      return GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY;
    default:
      return dir;
  }
}

static void
set_current_directions (GstRtcPeerBin * self, const GstSDPMessage * answer,
    RtcSdpSource source)
{
  guint i;

  for (i = 0; i < self->transceivers->len; i++) {
    GstRtcRtpTransceiver *trans = g_ptr_array_index (self->transceivers, i);
    gint mline;
    GstWebRTCRTPTransceiverDirection dir;

    GST_OBJECT_LOCK (trans);
    mline = trans->media->mline;
    GST_OBJECT_UNLOCK (trans);
    if (mline < 0 || (guint) mline >= gst_sdp_message_medias_len (answer))
      continue;
    if (rtc_sdp_media_is_rejected (answer, mline))
      dir = GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_INACTIVE;
    else
      dir = rtc_sdp_media_get_direction (answer, mline);
    if (source == RTC_SDP_SOURCE_REMOTE)
      dir = reverse_direction (dir);
    /* Object lock only: the notify goes out later from emit_pending's
     * thread, never under pc_lock. */
    GST_OBJECT_LOCK (trans);
    trans->current_direction = dir;
    GST_OBJECT_UNLOCK (trans);
  }
}

static guint
count_candidates (const GstSDPMedia * media)
{
  guint i, n = 0;

  for (i = 0; i < gst_sdp_media_attributes_len (media); i++)
    n += g_strcmp0 (gst_sdp_media_get_attribute (media, i)->key,
        "candidate") == 0;
  return n;
}

/* Remote candidates belong in the remote description (the W3C
 * pending/currentRemoteDescription include them). */
static gboolean
append_candidate (GstRtcPeerBin * self, guint mline, const gchar * candidate,
    GError ** error)
{
  GstWebRTCSessionDescription *remote;
  GstSDPMedia *media;
  RtcIceCandidate cand;
  const gchar *value;

  remote = self->pending_remote ? self->pending_remote : self->current_remote;
  g_assert (remote);
  if (mline >= gst_sdp_message_medias_len (remote->sdp)) {
    g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP,
        "add-ice-candidate: m-line %u does not exist (the remote "
        "description has %u)", mline, gst_sdp_message_medias_len (remote->sdp));
    return FALSE;
  }
  media = (GstSDPMedia *) gst_sdp_message_get_media (remote->sdp, mline);
  if (candidate[0] == '\0') {
    /* Once: every repeat would grow the description. */
    if (!rtc_sdp_media_has_attribute (media, "end-of-candidates"))
      gst_sdp_media_add_attribute (media, "end-of-candidates", "");
    return TRUE;
  }
  if (!rtc_ice_candidate_parse (candidate, &cand, error))
    return FALSE;
  rtc_ice_candidate_clear (&cand);
  /* The peer decides how many it trickles; the description keeps them
   * all until the next one, so they are bounded like the ones it came
   * with (rtc_jsep_validate_description()). */
  if (count_candidates (media) >= RTC_JSEP_MAX_CANDIDATES) {
    g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP,
        "add-ice-candidate: m-line %u already has %u candidates, the most "
        "accepted; candidate dropped", mline, RTC_JSEP_MAX_CANDIDATES);
    return FALSE;
  }
  value = g_str_has_prefix (candidate, "a=") ? candidate + 2 : candidate;
  if (g_str_has_prefix (value, "candidate:"))
    value += strlen ("candidate:");
  gst_sdp_media_add_attribute (media, "candidate", value);
  return TRUE;
}

static void
apply_early_candidates (GstRtcPeerBin * self)
{
  guint i;

  for (i = 0; i < self->early_candidates->len; i++) {
    RtcPeerCandidate *c = g_ptr_array_index (self->early_candidates, i);
    GError *error = NULL;

    if (!append_candidate (self, c->mline, c->candidate, &error)) {
      GST_ELEMENT_WARNING (self, LIBRARY, SETTINGS, ("%s", error->message),
          (NULL));
      g_clear_error (&error);
    }
  }
  g_ptr_array_set_size (self->early_candidates, 0);
}

static GstStructure *
set_description_locked (GstRtcPeerBin * self, RtcSdpSource source,
    GstWebRTCSessionDescription * desc, GPtrArray * owners, GPtrArray * medias)
{
  GstWebRTCSignalingState next;
  GstWebRTCSessionDescription *previous;
  GError *error = NULL;
  guint notify = 0;
  gboolean local = source == RTC_SDP_SOURCE_LOCAL;

  if (!rtc_jsep_next_signaling_state (self->signaling_state, source,
          desc->type, &next, &error))
    return jsep_error_reply (error);

  if (desc->type == GST_WEBRTC_SDP_TYPE_ROLLBACK) {
    /* https://w3c.github.io/webrtc-pc/#rollback */
    if (local)
      replace_desc (&self->pending_local, NULL);
    else
      replace_desc (&self->pending_remote, NULL);
    notify = local ? RTC_NOTIFY_LOCAL_DESCRIPTION :
        RTC_NOTIFY_REMOTE_DESCRIPTION;
    goto done;
  }

  previous = local ? (self->pending_local ? self->pending_local :
      self->current_local) : (self->pending_remote ? self->pending_remote :
      self->current_remote);
  if (!rtc_jsep_validate_description (desc->sdp, desc->type, source,
          previous ? previous->sdp : NULL, &error))
    return jsep_error_reply (error);

  if (desc->type != GST_WEBRTC_SDP_TYPE_OFFER) {
    /* An answer answers the offer of the other side, m-line by m-line
     * (RFC 3264 section 6). */
    GstWebRTCSessionDescription *offer = local ? self->pending_remote :
        self->pending_local;
    guint n_offer = gst_sdp_message_medias_len (offer->sdp);
    guint n_answer = gst_sdp_message_medias_len (desc->sdp);

    if (n_offer != n_answer)
      return rtc_peer_error_reply (GST_WEBRTC_ERROR,
          GST_WEBRTC_ERROR_INVALID_MODIFICATION, "The %s answer has %u "
          "m-lines but the offer it answers has %u", local ? "local" :
          "remote", n_answer, n_offer);
  }

  if (!local && desc->type == GST_WEBRTC_SDP_TYPE_OFFER) {
    GPtrArray *added = g_ptr_array_new ();
    guint i, n_before = medias->len;

    if (!rtc_jsep_associate_remote (desc->sdp, medias, added, &error)) {
      g_ptr_array_unref (added);
      return jsep_error_reply (error);
    }
    /* W3C set-description step: a remote offer with m-lines no local
     * transceiver takes creates recvonly transceivers for them. */
    for (i = n_before; i < medias->len;) {
      GstRtcRtpTransceiver *trans;

      /* The remote offers data channels: the section gets its owner, not
       * a transceiver the application sees. */
      if (((RtcJsepMedia *) g_ptr_array_index (medias, i))->kind ==
          RTC_MEDIA_KIND_APPLICATION) {
        if (!self->data_trans) {
          RtcJsepMedia *dm = g_ptr_array_index (medias, i);

          /* Our side of the section: our port and message size limit. */
          dm->sctp_port = 5000;
          dm->max_message_size = RTC_PEER_MAX_MESSAGE_SIZE;
          self->data_trans = gst_rtc_rtp_transceiver_new (rtc_jsep_media_copy
              (dm));
          g_ptr_array_add (owners, gst_object_ref (self->data_trans));
          i++;
        } else {
          g_ptr_array_remove_index (medias, i);
        }
        continue;
      }

      trans = gst_rtc_rtp_transceiver_new (rtc_jsep_media_copy
          (g_ptr_array_index (medias, i)));
      g_ptr_array_add (self->transceivers, gst_object_ref (trans));
      g_ptr_array_add (self->pending.new_transceivers, gst_object_ref (trans));
      g_ptr_array_add (owners, trans);
      i++;
    }
    g_ptr_array_unref (added);
  }

  /* https://w3c.github.io/webrtc-pc/#set-description steps 4.6.x: which
   * slot the description goes to. */
  desc = gst_webrtc_session_description_copy (desc);
  switch (desc->type) {
    case GST_WEBRTC_SDP_TYPE_OFFER:
    case GST_WEBRTC_SDP_TYPE_PRANSWER:
      if (local)
        replace_desc (&self->pending_local, desc);
      else
        replace_desc (&self->pending_remote, desc);
      notify = local ? RTC_NOTIFY_LOCAL_DESCRIPTION :
          RTC_NOTIFY_REMOTE_DESCRIPTION;
      break;
    case GST_WEBRTC_SDP_TYPE_ANSWER:
      /* The offer becomes current; a pranswer of ours that preceded this
       * answer is dropped. */
      if (local) {
        replace_desc (&self->current_local, desc);
        replace_desc (&self->current_remote, self->pending_remote);
        self->pending_remote = NULL;
        replace_desc (&self->pending_local, NULL);
      } else {
        replace_desc (&self->current_remote, desc);
        replace_desc (&self->current_local, self->pending_local);
        self->pending_local = NULL;
        replace_desc (&self->pending_remote, NULL);
      }
      set_current_directions (self, desc->sdp, source);
      notify = RTC_NOTIFY_LOCAL_DESCRIPTION | RTC_NOTIFY_REMOTE_DESCRIPTION;
      break;
    default:
      g_assert_not_reached ();
  }

  if (!local)
    apply_early_candidates (self);

done:
  if (self->signaling_state != next) {
    self->signaling_state = next;
    notify |= RTC_NOTIFY_SIGNALING_STATE;
  }
  self->pending.notify_mask |= notify;
  return NULL;
}

/* https://w3c.github.io/webrtc-pc/#set-description */
GstStructure *
rtc_peer_jsep_set_description (gpointer owner, gpointer data)
{
  GstRtcPeerBin *self = owner;
  RtcPeerSetDescription *sd = data;
  GPtrArray *medias, *owners;
  GstStructure *reply;
  guint i;

  if (sd->source == RTC_SDP_SOURCE_REMOTE)
    gst_rtc_peer_bin_wait_sink_caps (self);
  PC_LOCK (self);
  if (self->closed) {
    PC_UNLOCK (self);
    return closed_reply (sd->source == RTC_SDP_SOURCE_LOCAL ?
        "set the local description" : "set the remote description");
  }
  snapshot_medias (self, &medias, &owners);
  reply = set_description_locked (self, sd->source, sd->desc, owners, medias);
  PC_UNLOCK (self);

  if (!reply)
    write_back_medias (medias, owners);
  for (i = 0; i < owners->len; i++) {
    GstRtcRtpTransceiver *trans = g_ptr_array_index (owners, i);

    g_object_notify (G_OBJECT (trans), "current-direction");
  }
  g_ptr_array_unref (medias);
  g_ptr_array_unref (owners);

  gst_rtc_peer_bin_emit_pending (self);
  if (!reply) {
    rtc_peer_media_apply (self);
    gst_rtc_peer_bin_emit_pending (self);
    gst_rtc_peer_bin_update_negotiation_needed (self);
  }
  return reply;
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
  remote = self->pending_remote ? self->pending_remote : self->current_remote;
  if (!remote || (self->signaling_state !=
          GST_WEBRTC_SIGNALING_STATE_HAVE_REMOTE_OFFER
          && c->mline >= gst_sdp_message_medias_len (remote->sdp))) {
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
  if (!append_candidate (self, c->mline, c->candidate, &error)) {
    PC_UNLOCK (self);
    GST_ELEMENT_WARNING (self, LIBRARY, SETTINGS, ("%s", error->message),
        (NULL));
    g_clear_error (&error);
    return NULL;
  }
  rtc_peer_media_add_remote_candidate (self, c->mline, c->candidate);
  self->pending.notify_mask |= RTC_NOTIFY_REMOTE_DESCRIPTION;
  PC_UNLOCK (self);
  gst_rtc_peer_bin_emit_pending (self);
  return NULL;
}

/* Whether the local description in use still says what the transceivers
 * want (https://w3c.github.io/webrtc-pc/#dfn-check-if-negotiation-is-needed). */
static gboolean
negotiation_is_needed (GstRtcPeerBin * self)
{
  const GstSDPMessage *local;
  guint i;

  local = self->current_local ? self->current_local->sdp : NULL;
  for (i = 0; i < self->transceivers->len; i++) {
    GstRtcRtpTransceiver *trans = g_ptr_array_index (self->transceivers, i);
    gboolean needed = FALSE;

    GST_OBJECT_LOCK (trans);
    if (trans->media->stopped) {
      needed = FALSE;
    } else if (trans->media->mid == NULL) {
      needed = trans->media->codecs->len > 0
          || trans->media->kind == RTC_MEDIA_KIND_APPLICATION;
    } else if (local && trans->media->mline >= 0
        && (guint) trans->media->mline < gst_sdp_message_medias_len (local)) {
      GstWebRTCRTPTransceiverDirection dir;

      dir = rtc_sdp_media_get_direction (local, trans->media->mline);
      /* A locally answered section may have narrowed the direction;
       * only a wider wish than what we last said needs a new offer. */
      needed = dir != trans->media->direction
          && trans->current_direction != trans->media->direction;
      /* A sending track moved to another stream (the sink pad's msid):
       * https://w3c.github.io/webrtc-pc/#dfn-check-if-negotiation-is-needed
       * step 5.3.1. */
      if (!needed && rtc_jsep_direction_has_send (dir)) {
        gchar *stream = NULL;

        rtc_sdp_media_get_ssrcs (local, trans->media->mline, NULL, NULL,
            &stream, NULL);
        /* A track without a stream of its own is in the session's. */
        needed = g_strcmp0 (stream, trans->media->stream_id ?
            trans->media->stream_id : self->session.stream_id) != 0;
        g_free (stream);
      }
    }
    if (needed)
      GST_DEBUG_OBJECT (self, "transceiver %u (mid %s, m-line %d, direction "
          "%d, current %d, stream %s) needs negotiation", i,
          trans->media->mid, trans->media->mline, trans->media->direction,
          trans->current_direction, trans->media->stream_id);
    GST_OBJECT_UNLOCK (trans);
    if (needed)
      return TRUE;
  }
  /* The first data channel needs an m=application section. */
  if (self->data_trans) {
    gboolean needed;

    GST_OBJECT_LOCK (self->data_trans);
    needed = self->data_trans->media->mid == NULL;
    GST_OBJECT_UNLOCK (self->data_trans);
    if (needed)
      return TRUE;
  }
  return FALSE;
}

GstStructure *
rtc_peer_jsep_check_negotiation (gpointer owner, gpointer data)
{
  GstRtcPeerBin *self = owner;

  PC_LOCK (self);
  GST_LOG_OBJECT (self, "checking negotiation-needed in state %d (flag %d)",
      self->signaling_state, self->negotiation_needed);
  /* Outside stable the check runs again when stable is reached. */
  if (!self->closed
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
