/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* https://w3c.github.io/webrtc-pc/#set-description as a pure function:
 * every decision setting a description implies, computed from a snapshot
 * of the connection before anything changes. The order follows the spec:
 * the signaling-state table, validation, the m-line count of an answer,
 * the transceivers of a remote offer (RFC 8829 section 5.10), the slots
 * (4.6.10), current directions (answers), then what the media side needs:
 * the transports of the new descriptions (RFC 8843 BUNDLE), ICE
 * credentials and restarts (RFC 8445 section 9), DTLS roles (RFC 5763
 * section 5), receive routing (RFC 8843 section 9.2) and SCTP (RFC 8841).
 * A rollback (https://w3c.github.io/webrtc-pc/#rollback) plans the way
 * back to the state before the offer. */

#include "rtcjsep-plan.h"
#include "rtcjsep-answer.h"
#include "rtcjsep-validate.h"
#include "rtcsdputil.h"
#include "rtcicecandidate.h"

#include <string.h>

static void
plan_transceiver_free (gpointer data)
{
  RtcJsepPlanTransceiver *t = data;

  rtc_jsep_media_free (t->media);
  g_free (t);
}

static void
plan_transport_free (gpointer data)
{
  RtcJsepPlanTransport *t = data;

  g_free (t->tag);
  g_array_unref (t->mlines);
  g_free (t->local_ufrag);
  g_free (t->local_pwd);
  g_free (t->remote_ufrag);
  g_free (t->remote_pwd);
  g_free (t->remote_fingerprint);
  g_clear_pointer (&t->remote_candidates, g_ptr_array_unref);
  g_clear_pointer (&t->routes, rtc_jsep_routes_free);
  g_free (t);
}

void
rtc_jsep_plan_free (RtcJsepPlan * plan)
{
  if (!plan)
    return;
  g_ptr_array_unref (plan->transceivers);
  g_ptr_array_unref (plan->transports);
  g_ptr_array_unref (plan->streams_added);
  g_ptr_array_unref (plan->streams_removed);
  g_free (plan->sctp.tag);
  g_free (plan);
}

const RtcJsepPlanTransceiver *
rtc_jsep_plan_get_transceiver (const RtcJsepPlan * plan, guint id)
{
  return id < plan->transceivers->len ?
      g_ptr_array_index (plan->transceivers, id) : NULL;
}

const RtcJsepPlanTransport *
rtc_jsep_plan_get_transport (const RtcJsepPlan * plan, const gchar * tag)
{
  guint i;

  for (i = 0; i < plan->transports->len; i++) {
    RtcJsepPlanTransport *t = g_ptr_array_index (plan->transports, i);

    if (g_strcmp0 (t->tag, tag) == 0)
      return t;
  }
  return NULL;
}

const GstWebRTCSessionDescription *
rtc_jsep_plan_slot_value (const RtcJsepState * state,
    const GstWebRTCSessionDescription * desc, RtcJsepSlot slot,
    const GstWebRTCSessionDescription * before)
{
  switch (slot) {
    case RTC_JSEP_SLOT_KEEP:
      return before;
    case RTC_JSEP_SLOT_CLEAR:
      return NULL;
    case RTC_JSEP_SLOT_NEW:
      return desc;
    case RTC_JSEP_SLOT_PENDING_LOCAL:
      return state->pending_local;
    case RTC_JSEP_SLOT_PENDING_REMOTE:
      return state->pending_remote;
  }
  return before;
}

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

GstWebRTCRTPTransceiverDirection
rtc_jsep_current_direction (const GstSDPMessage * answer, guint mline,
    RtcSdpSource answer_source)
{
  GstWebRTCRTPTransceiverDirection dir;

  if (rtc_sdp_media_is_rejected (answer, mline))
    return GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_INACTIVE;
  dir = rtc_sdp_media_get_direction (answer, mline);
  return answer_source == RTC_SDP_SOURCE_REMOTE ? reverse_direction (dir) :
      dir;
}

/* ---- descriptions ---- */

static gint
find_mid (const GstSDPMessage * sdp, const gchar * mid)
{
  return sdp && mid ? rtc_sdp_find_mid (sdp, mid) : -1;
}

static gboolean
mline_usable (const GstSDPMessage * sdp, gint mline)
{
  return sdp && mline >= 0 && (guint) mline < gst_sdp_message_medias_len (sdp)
      && !rtc_sdp_media_is_rejected (sdp, mline);
}

/* RFC 8843 section 7.3.1: an answer's BUNDLE group takes only mids the
 * offer bundled. */
static gboolean
check_bundle (const GstSDPMessage * answer, const GstSDPMessage * offer,
    GError ** error)
{
  gchar **a = rtc_sdp_get_bundle_mids (answer);
  gchar **o = rtc_sdp_get_bundle_mids (offer);
  gboolean ok = TRUE;
  guint i;

  for (i = 0; a && a[i] && ok; i++) {
    if (!o || !g_strv_contains ((const gchar * const *) o, a[i])) {
      g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_MODIFICATION,
          "The answer's BUNDLE group has mid '%s', which the offer %s", a[i],
          o ? "did not bundle" : "has no BUNDLE group for");
      ok = FALSE;
    }
  }
  g_strfreev (a);
  g_strfreev (o);
  return ok;
}

gboolean
rtc_jsep_sctp_params (const GstSDPMessage * local,
    const GstSDPMessage * remote, gint mline, const gchar * tag,
    RtcJsepSctpParams * params)
{
  gchar *ltag, *rtag;
  gboolean ours;
  const gchar *v;
  guint64 size;

  if (!mline_usable (local, mline) || !mline_usable (remote, mline)
      || rtc_sdp_media_get_kind (remote, mline) != RTC_MEDIA_KIND_APPLICATION)
    return FALSE;
  /* The answer's group decides; the two agree unless the answerer left
   * the section out of the offered group. */
  ltag = rtc_sdp_transport_tag (local, mline);
  rtag = rtc_sdp_transport_tag (remote, mline);
  ours = g_strcmp0 (ltag, tag) == 0 || g_strcmp0 (rtag, tag) == 0;
  g_free (ltag);
  g_free (rtag);
  if (!ours)
    return FALSE;
  v = rtc_sdp_get_attribute (remote, mline, "sctp-port");
  params->remote_port = v ? (guint16) MIN (g_ascii_strtoull (v, NULL, 10),
      G_MAXUINT16) : 5000;
  v = rtc_sdp_get_attribute (remote, mline, "max-message-size");
  /* Absent: 64 KiB; 0: no limit (RFC 8841 section 6). */
  size = v ? g_ascii_strtoull (v, NULL, 10) : 65536;
  params->remote_max_message_size = v && size == 0 ? G_MAXSIZE : size;
  v = rtc_sdp_get_attribute (remote, mline, RTC_JSEP_SCTP_MAX_PACKET_ATTR);
  params->remote_max_packet = v ? (guint) MIN (g_ascii_strtoull (v, NULL, 10),
      G_MAXUINT) : 0;
  return TRUE;
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

gboolean
rtc_jsep_sdp_add_candidate (GstSDPMessage * sdp, guint mline,
    const gchar * candidate, GError ** error)
{
  GstSDPMedia *media;
  RtcIceCandidate cand;
  const gchar *value;

  if (mline >= gst_sdp_message_medias_len (sdp)) {
    g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP,
        "add-ice-candidate: m-line %u does not exist (the remote "
        "description has %u)", mline, gst_sdp_message_medias_len (sdp));
    return FALSE;
  }
  media = (GstSDPMedia *) gst_sdp_message_get_media (sdp, mline);
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

/* ---- negotiation-needed ---- */

const gchar *
rtc_negotiation_reason_to_string (RtcNegotiationReason reason)
{
  switch (reason) {
    case RTC_NEGOTIATION_NOT_NEEDED:
      return "not needed";
    case RTC_NEGOTIATION_DATA_CHANNEL:
      return "data channel without m=application";
    case RTC_NEGOTIATION_NO_MID:
      return "transceiver not in the local description";
    case RTC_NEGOTIATION_MSID:
      return "track sent in another stream";
    case RTC_NEGOTIATION_OFFER_DIRECTION:
      return "direction differs from the offer";
    case RTC_NEGOTIATION_ANSWER_DIRECTION:
      return "direction differs from the answer";
    case RTC_NEGOTIATION_STOPPED:
      return "stopped transceiver not rejected";
    case RTC_NEGOTIATION_ICE_RESTART:
      return "ICE restart requested";
  }
  return "unknown";
}

RtcNegotiationReason
rtc_jsep_negotiation_needed (const RtcJsepState * state, guint * index)
{
  const GstSDPMessage *cl = state->current_local ?
      state->current_local->sdp : NULL;
  const GstSDPMessage *cr = state->current_remote ?
      state->current_remote->sdp : NULL;
  gboolean offered = state->current_local
      && state->current_local->type == GST_WEBRTC_SDP_TYPE_OFFER;
  guint i;

  /* Step 3: [[LocalIceCredentialsToReplace]] is not empty. */
  if (state->ice_restart_requested && cl) {
    *index = 0;
    return RTC_NEGOTIATION_ICE_RESTART;
  }

  /* Step 4: a data channel and no m=application negotiated yet. */
  for (i = 0; i < state->n_transceivers; i++) {
    const RtcJsepMedia *m = state->transceivers[i].media;

    if (m->kind == RTC_MEDIA_KIND_APPLICATION && !m->stopped
        && find_mid (cl, m->mid) < 0) {
      *index = i;
      return RTC_NEGOTIATION_DATA_CHANNEL;
    }
  }

  for (i = 0; i < state->n_transceivers; i++) {
    const RtcJsepMedia *m = state->transceivers[i].media;
    gint lm = find_mid (cl, m->mid), rm = find_mid (cr, m->mid);
    GstWebRTCRTPTransceiverDirection ldir, rdir;
    RtcNegotiationReason reason = RTC_NEGOTIATION_NOT_NEEDED;

    if (m->kind == RTC_MEDIA_KIND_APPLICATION)
      continue;
    *index = i;
    if (m->stopped) {
      /* 5.4: stopped, but its section still lives in a current one. */
      if (mline_usable (cl, lm) || mline_usable (cr, rm))
        return RTC_NEGOTIATION_STOPPED;
      continue;
    }
    if (lm < 0) {
      /* 5.2, except a track whose caps have not come: it cannot be
       * described before they do, and they ask again. */
      if (m->mid || m->codecs->len > 0)
        return RTC_NEGOTIATION_NO_MID;
      continue;
    }
    /* A section the answer rejected stopped its transceiver (W3C
     * set-description, "rejected" media descriptions). */
    if (!mline_usable (cl, lm) || (cr && rm >= 0 && !mline_usable (cr, rm)))
      continue;
    ldir = rtc_sdp_media_get_direction (cl, lm);
    /* 5.3.1: a sending track moved to another stream (the sink pad's
     * msid). Only a section we send on names one. */
    if (rtc_jsep_direction_has_send (m->direction)
        && rtc_jsep_direction_has_send (ldir)) {
      gchar *stream = NULL;

      rtc_sdp_media_get_ssrcs (cl, lm, NULL, NULL, &stream, NULL);
      if (g_strcmp0 (stream, m->stream_id ? m->stream_id :
              state->session_stream_id) != 0)
        reason = RTC_NEGOTIATION_MSID;
      g_free (stream);
      if (reason)
        return reason;
    }
    rdir = rm >= 0 ? rtc_sdp_media_get_direction (cr, rm) :
        GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_NONE;
    if (offered) {
      /* 5.3.2: neither what we offered nor what was answered (seen from
       * here) is what the transceiver wants now. */
      if (ldir != m->direction && (rm < 0
              || reverse_direction (rdir) != m->direction))
        return RTC_NEGOTIATION_OFFER_DIRECTION;
    } else if (rm >= 0) {
      /* 5.3.3: our answer is not what the transceiver would answer to
       * that offer now. */
      if (ldir != rtc_jsep_answer_direction (rdir, m->direction))
        return RTC_NEGOTIATION_ANSWER_DIRECTION;
    }
  }
  return RTC_NEGOTIATION_NOT_NEEDED;
}

/* ---- prepare ---- */

typedef struct
{
  gchar *tag;
  guint mline;
} LayoutEntry;

static void
layout_add (GArray * layout, const GstSDPMessage * sdp, guint mline)
{
  LayoutEntry e = { rtc_sdp_transport_tag (sdp, mline), mline };

  g_array_append_val (layout, e);
}

static void
layout_entry_clear (gpointer data)
{
  g_free (((LayoutEntry *) data)->tag);
}

/* Which transport carries each m-line once the plan is committed. In
 * stable, the negotiated pair: the answer's BUNDLE group (RFC 8843
 * section 7.3), sections accepted on both sides. Otherwise the local
 * description in use (gathering starts with it), and for the m-lines
 * it does not have yet the remote offer's group. */
static GArray *
compute_layout (GstWebRTCSignalingState next,
    const GstWebRTCSessionDescription * cl,
    const GstWebRTCSessionDescription * cr, const GstSDPMessage * local,
    const GstSDPMessage * remote)
{
  GArray *layout = g_array_new (FALSE, FALSE, sizeof (LayoutEntry));
  guint i, n_local, n_remote;

  g_array_set_clear_func (layout, layout_entry_clear);
  if (next == GST_WEBRTC_SIGNALING_STATE_STABLE) {
    const GstSDPMessage *answer;

    if (!cl || !cr)
      return layout;
    answer = cl->type == GST_WEBRTC_SDP_TYPE_ANSWER ? cl->sdp : cr->sdp;
    for (i = 0; i < gst_sdp_message_medias_len (answer); i++)
      if (mline_usable (cl->sdp, i) && mline_usable (cr->sdp, i))
        layout_add (layout, answer, i);
    return layout;
  }
  n_local = local ? gst_sdp_message_medias_len (local) : 0;
  n_remote = remote ? gst_sdp_message_medias_len (remote) : 0;
  for (i = 0; i < MAX (n_local, n_remote); i++) {
    if (i < n_local) {
      if (mline_usable (local, i))
        layout_add (layout, local, i);
    } else if (mline_usable (remote, i)) {
      layout_add (layout, remote, i);
    }
  }
  return layout;
}

static const RtcJsepStateTransport *
state_transport (const RtcJsepState * state, const gchar * tag)
{
  guint i;

  for (i = 0; i < state->n_transports; i++)
    if (g_strcmp0 (state->transports[i].tag, tag) == 0)
      return &state->transports[i];
  return NULL;
}

static RtcJsepPlanTransport *
plan_transport_new (const gchar * tag)
{
  RtcJsepPlanTransport *t = g_new0 (RtcJsepPlanTransport, 1);

  t->tag = g_strdup (tag);
  t->mlines = g_array_new (FALSE, FALSE, sizeof (guint));
  t->mline = -1;
  return t;
}

static gboolean
has_mline (const RtcJsepPlanTransport * t, guint mline)
{
  guint i;

  for (i = 0; i < t->mlines->len; i++)
    if (g_array_index (t->mlines, guint, i) == mline)
      return TRUE;
  return FALSE;
}

/* Remote ICE credentials, candidates, DTLS and routing of one transport
 * that stays. */
/* ICE restart by the local description: its credentials differ from
 * those the transport's stream uses. */
static void
plan_transport_local (RtcJsepPlanTransport * t,
    const RtcJsepStateTransport * st, const GstSDPMessage * local)
{
  const gchar *ufrag, *pwd;
  gint lm = -1;
  guint i;

  if (!local || !st || !st->local_ufrag || !st->local_pwd)
    return;
  for (i = 0; i < t->mlines->len && lm < 0; i++)
    if (mline_usable (local, g_array_index (t->mlines, guint, i)))
      lm = g_array_index (t->mlines, guint, i);
  if (lm < 0)
    return;
  ufrag = rtc_sdp_media_get_ice_ufrag (local, lm);
  pwd = rtc_sdp_media_get_ice_pwd (local, lm);
  if (!ufrag || !pwd || (g_strcmp0 (ufrag, st->local_ufrag) == 0
          && g_strcmp0 (pwd, st->local_pwd) == 0))
    return;
  t->local_ice_restart = TRUE;
  t->local_ufrag = g_strdup (ufrag);
  t->local_pwd = g_strdup (pwd);
}

static void
plan_transport_remote (RtcJsepPlanTransport * t,
    const RtcJsepStateTransport * st, const GstSDPMessage * local,
    const GstSDPMessage * remote, const gboolean * has_trans, guint n_mlines,
    gboolean remote_offer)
{
  const gchar *ufrag, *pwd, *fp;
  gint rm = -1;
  guint i, j;

  if (!remote)
    return;
  t->routes = rtc_jsep_routes_build (local, remote, t->tag, has_trans,
      n_mlines);
  for (i = 0; i < t->mlines->len && rm < 0; i++)
    if (mline_usable (remote, g_array_index (t->mlines, guint, i)))
      rm = g_array_index (t->mlines, guint, i);
  if (rm < 0)
    return;

  ufrag = rtc_sdp_media_get_ice_ufrag (remote, rm);
  pwd = rtc_sdp_media_get_ice_pwd (remote, rm);
  fp = rtc_sdp_media_get_fingerprint (remote, rm);
  if (ufrag && pwd && (!st || !st->remote_ufrag
          || g_strcmp0 (st->remote_ufrag, ufrag) != 0
          || g_strcmp0 (st->remote_pwd, pwd) != 0)) {
    t->set_remote_credentials = TRUE;
    /* RFC 8445 section 9: new credentials from the peer are a restart. */
    t->ice_restart = st && st->remote_ufrag != NULL;
    /* The peer's offer restarts: the stream needs our new credentials
     * too, which come with our answer; until then it keeps the old
     * generation (and media flows on its pair). */
    if (t->ice_restart && remote_offer && !t->local_ice_restart) {
      t->set_remote_credentials = FALSE;
      t->remote_restart_pending = TRUE;
    }
    t->remote_ufrag = g_strdup (ufrag);
    t->remote_pwd = g_strdup (pwd);
    t->remote_candidates = g_ptr_array_new_with_free_func (g_free);
    for (i = 0; i < gst_sdp_message_medias_len (remote); i++) {
      const GstSDPMedia *m = gst_sdp_message_get_media (remote, i);

      if (!has_mline (t, i) || !mline_usable (remote, i))
        continue;
      for (j = 0; j < gst_sdp_media_attributes_len (m); j++) {
        const GstSDPAttribute *a = gst_sdp_media_get_attribute (m, j);

        if (g_strcmp0 (a->key, "end-of-candidates") == 0)
          t->end_of_candidates = TRUE;
        else if (g_strcmp0 (a->key, "candidate") == 0 && a->value)
          g_ptr_array_add (t->remote_candidates,
              g_strconcat ("candidate:", a->value, NULL));
      }
    }
  }

  t->remote_fingerprint = g_strdup (fp);
  if (st && st->dtls_started) {
    /* RFC 8842 section 5.5: an established association keeps its role;
     * only the fingerprint may change. */
    t->dtls_client = st->dtls_client;
    t->fingerprint_changed = fp && g_strcmp0 (fp, st->remote_fingerprint);
  } else if (fp && mline_usable (local, rm)) {
    t->start_dtls = rtc_jsep_dtls_client (rtc_sdp_media_get_setup (local, rm),
        rtc_sdp_media_get_setup (remote, rm), &t->dtls_client);
  }
}

/* msid stream ids a description's peer sends. */
static GHashTable *
sent_streams (const GstSDPMessage * remote)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      NULL);
  guint i;

  for (i = 0; remote && i < gst_sdp_message_medias_len (remote); i++) {
    gchar *stream = NULL;

    if (!mline_usable (remote, i)
        || rtc_sdp_media_get_kind (remote, i) == RTC_MEDIA_KIND_APPLICATION
        || !rtc_jsep_direction_has_send (rtc_sdp_media_get_direction (remote,
                i)))
      continue;
    rtc_sdp_media_get_ssrcs (remote, i, NULL, NULL, &stream, NULL);
    if (stream)
      g_hash_table_add (set, stream);
  }
  return set;
}

static void
diff_streams (GHashTable * a, GHashTable * b, GPtrArray * out)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (b, key))
      g_ptr_array_add (out, g_strdup (key));
}

static void
set_slots (RtcJsepPlan * plan, GstWebRTCSDPType type, gboolean local)
{
  plan->current_local = plan->pending_local = RTC_JSEP_SLOT_KEEP;
  plan->current_remote = plan->pending_remote = RTC_JSEP_SLOT_KEEP;
  switch (type) {
    case GST_WEBRTC_SDP_TYPE_ROLLBACK:
      *(local ? &plan->pending_local : &plan->pending_remote) =
          RTC_JSEP_SLOT_CLEAR;
      break;
    case GST_WEBRTC_SDP_TYPE_OFFER:
    case GST_WEBRTC_SDP_TYPE_PRANSWER:
      *(local ? &plan->pending_local : &plan->pending_remote) =
          RTC_JSEP_SLOT_NEW;
      break;
    case GST_WEBRTC_SDP_TYPE_ANSWER:
      /* The offer becomes current; a pranswer of ours that preceded this
       * answer is dropped. */
      plan->pending_local = plan->pending_remote = RTC_JSEP_SLOT_CLEAR;
      if (local) {
        plan->current_local = RTC_JSEP_SLOT_NEW;
        plan->current_remote = RTC_JSEP_SLOT_PENDING_REMOTE;
      } else {
        plan->current_remote = RTC_JSEP_SLOT_NEW;
        plan->current_local = RTC_JSEP_SLOT_PENDING_LOCAL;
      }
      break;
    default:
      g_assert_not_reached ();
  }
  plan->local_changed = plan->current_local != RTC_JSEP_SLOT_KEEP
      || plan->pending_local != RTC_JSEP_SLOT_KEEP;
  plan->remote_changed = plan->current_remote != RTC_JSEP_SLOT_KEEP
      || plan->pending_remote != RTC_JSEP_SLOT_KEEP;
}

/* The transceivers of a remote offer (RFC 8829 section 5.10): @medias
 * (copies of the state's, by id) gets the new ones appended; their
 * created flag is set in @created. */
static gboolean
associate_offer (const RtcJsepState * state, const GstSDPMessage * offer,
    GPtrArray * medias, GArray * created, GError ** error)
{
  GPtrArray *added = g_ptr_array_new ();
  gboolean have_data = FALSE;
  guint i;

  for (i = 0; i < medias->len; i++)
    have_data |= ((RtcJsepMedia *) g_ptr_array_index (medias, i))->kind ==
        RTC_MEDIA_KIND_APPLICATION;
  if (!rtc_jsep_associate_remote (offer, medias, added, error)) {
    g_ptr_array_unref (added);
    return FALSE;
  }
  g_ptr_array_unref (added);
  for (i = created->len; i < medias->len;) {
    RtcJsepMedia *m = g_ptr_array_index (medias, i);
    gboolean yes = TRUE;

    if (m->kind == RTC_MEDIA_KIND_APPLICATION) {
      /* One data section per connection: a second one gets no owner
       * (and so is rejected by our answer). */
      if (have_data) {
        g_ptr_array_remove_index (medias, i);
        continue;
      }
      have_data = TRUE;
      m->sctp_port = state->local_sctp_port;
      m->max_message_size = state->local_max_message_size;
    }
    g_array_append_val (created, yes);
    i++;
  }
  return TRUE;
}

RtcJsepPlan *
rtc_jsep_plan_prepare (const RtcJsepState * state,
    const GstWebRTCSessionDescription * desc, RtcSdpSource source,
    GError ** error)
{
  gboolean local = source == RTC_SDP_SOURCE_LOCAL;
  GstWebRTCSignalingState next;
  const GstWebRTCSessionDescription *cl, *pl, *cr, *pr;
  const GstSDPMessage *after_local, *after_remote;
  RtcJsepPlan *plan;
  GPtrArray *medias;
  GArray *created, *layout;
  gboolean *has_trans;
  guint n_mlines, i, j;
  GHashTable *before_streams, *after_streams;
  const RtcJsepPlanTransceiver *data = NULL;

  if (!rtc_jsep_next_signaling_state (state->signaling_state, source,
          desc->type, &next, error))
    return NULL;

  medias = g_ptr_array_new_with_free_func ((GDestroyNotify)
      rtc_jsep_media_free);
  created = g_array_new (FALSE, TRUE, sizeof (gboolean));
  for (i = 0; i < state->n_transceivers; i++) {
    gboolean no = FALSE;

    g_ptr_array_add (medias,
        rtc_jsep_media_copy (state->transceivers[i].media));
    g_array_append_val (created, no);
  }

  if (desc->type != GST_WEBRTC_SDP_TYPE_ROLLBACK) {
    const GstWebRTCSessionDescription *previous = local ?
        (state->pending_local ? state->pending_local : state->current_local) :
        (state->pending_remote ? state->pending_remote :
        state->current_remote);

    if (!desc->sdp || !rtc_jsep_validate_description (desc->sdp, desc->type,
            source, previous ? previous->sdp : NULL, error))
      goto fail;
    if (desc->type != GST_WEBRTC_SDP_TYPE_OFFER) {
      /* An answer answers the offer of the other side, m-line by m-line
       * (RFC 3264 section 6). */
      const GstWebRTCSessionDescription *offer = local ?
          state->pending_remote : state->pending_local;
      guint n_offer = gst_sdp_message_medias_len (offer->sdp);
      guint n_answer = gst_sdp_message_medias_len (desc->sdp);

      if (n_offer != n_answer) {
        g_set_error (error, RTC_JSEP_ERROR,
            RTC_JSEP_ERROR_INVALID_MODIFICATION, "The %s answer has %u "
            "m-lines but the offer it answers has %u", local ? "local" :
            "remote", n_answer, n_offer);
        goto fail;
      }
      if (!check_bundle (desc->sdp, offer->sdp, error))
        goto fail;
    } else if (!local && !associate_offer (state, desc->sdp, medias, created,
            error)) {
      goto fail;
    }
  }

  plan = g_new0 (RtcJsepPlan, 1);
  plan->signaling_state = next;
  plan->signaling_state_changed = next != state->signaling_state;
  plan->transceivers = g_ptr_array_new_with_free_func (plan_transceiver_free);
  plan->transports = g_ptr_array_new_with_free_func (plan_transport_free);
  plan->streams_added = g_ptr_array_new_with_free_func (g_free);
  plan->streams_removed = g_ptr_array_new_with_free_func (g_free);
  set_slots (plan, desc->type, local);

  cl = rtc_jsep_plan_slot_value (state, desc, plan->current_local,
      state->current_local);
  pl = rtc_jsep_plan_slot_value (state, desc, plan->pending_local,
      state->pending_local);
  cr = rtc_jsep_plan_slot_value (state, desc, plan->current_remote,
      state->current_remote);
  pr = rtc_jsep_plan_slot_value (state, desc, plan->pending_remote,
      state->pending_remote);
  after_local = rtc_jsep_sdp_in_use (pl, cl);
  after_remote = rtc_jsep_sdp_in_use (pr, cr);

  /* The transceivers after commit. */
  for (i = 0; i < medias->len; i++) {
    RtcJsepPlanTransceiver *t = g_new0 (RtcJsepPlanTransceiver, 1);
    const RtcJsepStateTransceiver *st = i < state->n_transceivers ?
        &state->transceivers[i] : NULL;

    t->id = i;
    t->media = rtc_jsep_media_copy (g_ptr_array_index (medias, i));
    t->created = g_array_index (created, gboolean, i);
    t->current_direction = st ? st->current_direction :
        GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_NONE;
    if (desc->type == GST_WEBRTC_SDP_TYPE_ROLLBACK && st) {
      /* https://w3c.github.io/webrtc-pc/#rollback: what the rolled back
       * offer created goes, and a mid it gave (or that create-offer gave
       * for it) is forgotten unless the negotiated pair has it. */
      if (!local && st->created_by_offer) {
        t->removed = TRUE;
      } else if (t->media->mid && find_mid (cl ? cl->sdp : NULL,
              t->media->mid) < 0
          && find_mid (cr ? cr->sdp : NULL, t->media->mid) < 0) {
        g_clear_pointer (&t->media->mid, g_free);
        t->media->mline = -1;
      }
    }
    if (desc->type == GST_WEBRTC_SDP_TYPE_ANSWER && !t->removed
        && t->media->kind != RTC_MEDIA_KIND_APPLICATION
        && t->media->mline >= 0
        && (guint) t->media->mline < gst_sdp_message_medias_len (desc->sdp)) {
      /* https://w3c.github.io/webrtc-pc/#set-description: "Set
       * transceiver.[[CurrentDirection]] to direction". */
      t->current_direction = rtc_jsep_current_direction (desc->sdp,
          t->media->mline, source);
    }
    t->current_direction_changed = st
        && t->current_direction != st->current_direction;
    t->media_changed = t->created || (st
        && (g_strcmp0 (st->media->mid, t->media->mid) != 0
            || st->media->mline != t->media->mline));
    if (t->media->kind == RTC_MEDIA_KIND_APPLICATION && !t->removed)
      data = t;
    g_ptr_array_add (plan->transceivers, t);
  }
  g_ptr_array_unref (medias);
  g_array_unref (created);

  /* Which m-lines have a transceiver to route to. */
  n_mlines = MAX (after_local ? gst_sdp_message_medias_len (after_local) : 0,
      after_remote ? gst_sdp_message_medias_len (after_remote) : 0);
  has_trans = g_new0 (gboolean, n_mlines + 1);
  for (i = 0; i < plan->transceivers->len; i++) {
    RtcJsepPlanTransceiver *t = g_ptr_array_index (plan->transceivers, i);

    if (!t->removed && t->media->kind != RTC_MEDIA_KIND_APPLICATION
        && t->media->mline >= 0 && (guint) t->media->mline < n_mlines)
      has_trans[t->media->mline] = TRUE;
  }

  /* Transports: those that stay, in their order, then the new ones. */
  layout = compute_layout (next, cl, cr, after_local, after_remote);
  for (i = 0; i < state->n_transports; i++) {
    RtcJsepPlanTransport *t = plan_transport_new (state->transports[i].tag);

    for (j = 0; j < layout->len; j++) {
      LayoutEntry *e = &g_array_index (layout, LayoutEntry, j);

      if (g_strcmp0 (e->tag, t->tag) == 0)
        g_array_append_val (t->mlines, e->mline);
    }
    /* Removed once the negotiation that dropped it is complete (or
     * rolled back): a pending offer may still be rolled back. */
    t->remove = t->mlines->len == 0
        && next == GST_WEBRTC_SIGNALING_STATE_STABLE;
    g_ptr_array_add (plan->transports, t);
  }
  for (j = 0; j < layout->len; j++) {
    LayoutEntry *e = &g_array_index (layout, LayoutEntry, j);
    RtcJsepPlanTransport *t = (RtcJsepPlanTransport *)
        rtc_jsep_plan_get_transport (plan, e->tag);

    if (t)
      continue;
    t = plan_transport_new (e->tag);
    t->create = TRUE;
    for (i = j; i < layout->len; i++) {
      LayoutEntry *o = &g_array_index (layout, LayoutEntry, i);

      if (g_strcmp0 (o->tag, t->tag) == 0)
        g_array_append_val (t->mlines, o->mline);
    }
    g_ptr_array_add (plan->transports, t);
  }
  g_array_unref (layout);

  for (i = 0; i < plan->transports->len; i++) {
    RtcJsepPlanTransport *t = g_ptr_array_index (plan->transports, i);
    const RtcJsepStateTransport *st = state_transport (state, t->tag);

    if (t->remove)
      continue;
    if (t->mlines->len > 0)
      t->mline = g_array_index (t->mlines, guint, 0);
    /* Gathering starts with the local description that names it
     * (https://w3c.github.io/webrtc-pc/#set-description). */
    if (!st || !st->gathering) {
      for (j = 0; j < t->mlines->len && !t->gather; j++) {
        guint m = g_array_index (t->mlines, guint, j);

        t->gather = mline_usable (after_local, m);
      }
    }
    plan_transport_local (t, st, after_local);
    plan_transport_remote (t, st, after_local, after_remote, has_trans,
        n_mlines, !local && desc->type == GST_WEBRTC_SDP_TYPE_OFFER);
  }
  g_free (has_trans);

  /* RFC 8445 section 6.1.1: the offerer controls. */
  switch (next) {
    case GST_WEBRTC_SIGNALING_STATE_HAVE_LOCAL_OFFER:
    case GST_WEBRTC_SIGNALING_STATE_HAVE_REMOTE_PRANSWER:
      plan->ice_controlling = TRUE;
      break;
    case GST_WEBRTC_SIGNALING_STATE_STABLE:
      plan->ice_controlling = cl && cl->type == GST_WEBRTC_SDP_TYPE_OFFER;
      break;
    default:
      plan->ice_controlling = FALSE;
      break;
  }

  /* SCTP runs on the data section's transport once DTLS does there
   * (usually later: the DTLS-connected event starts it); a section the
   * negotiation drops or moves stops it. */
  if (next == GST_WEBRTC_SIGNALING_STATE_STABLE) {
    RtcJsepSctpParams params = { 0, };
    gchar *tag = NULL;
    gboolean negotiated = FALSE;

    if (data && data->media->mline >= 0 && cl && cr) {
      const GstSDPMessage *answer = cl->type == GST_WEBRTC_SDP_TYPE_ANSWER ?
          cl->sdp : cr->sdp;

      if (mline_usable (answer, data->media->mline)) {
        tag = rtc_sdp_transport_tag (answer, data->media->mline);
        negotiated = rtc_jsep_sctp_params (cl->sdp, cr->sdp,
            data->media->mline, tag, &params);
      }
    }
    if (state->sctp_running) {
      plan->sctp_stop = !negotiated || g_strcmp0 (tag, state->sctp_tag) != 0;
    } else if (negotiated) {
      const RtcJsepStateTransport *st = state_transport (state, tag);

      if (st && st->dtls_connected) {
        plan->sctp_start = TRUE;
        plan->sctp = params;
        plan->sctp.tag = g_strdup (tag);
      }
    }
    g_free (tag);
  }

  before_streams = sent_streams (rtc_jsep_sdp_in_use (state->pending_remote,
          state->current_remote));
  after_streams = sent_streams (after_remote);
  diff_streams (after_streams, before_streams, plan->streams_added);
  diff_streams (before_streams, after_streams, plan->streams_removed);
  g_hash_table_unref (before_streams);
  g_hash_table_unref (after_streams);
  return plan;

fail:
  g_ptr_array_unref (medias);
  g_array_unref (created);
  return NULL;
}
