/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The rtpbin side of rtcpeerbin: which transceiver a payload type or SSRC
 * belongs to, the caps rtpbin asks for, the src pads of remote tracks
 * (with on-add-stream / on-remove-stream) and the sink pads' link to
 * their transport's rtpfunnel. Streaming threads call in here; the maps
 * they read are replaced under pc_lock by the ops thread. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <string.h>

#include "gstrtcpeerbin.h"
#include "gstrtcpeerpad.h"
#include "jsep/rtcsdputil.h"

GST_DEBUG_CATEGORY_EXTERN (gst_rtc_peer_bin_debug);
#define GST_CAT_DEFAULT gst_rtc_peer_bin_debug

/* pt -> caps / transceiver and ssrc -> transceiver for every m-line of
 * the transport, from the remote description (what the peer sends). */
void
rtc_peer_pads_update_maps (GstRtcPeerBin * self, RtcPeerTransport * t,
    const GstSDPMessage * local, const GstSDPMessage * remote)
{
  guint i, j, k;

  g_hash_table_remove_all (t->pt_caps);
  g_hash_table_remove_all (t->pt_trans);
  g_hash_table_remove_all (t->ssrc_trans);
  for (i = 0; i < gst_sdp_message_medias_len (remote); i++) {
    GArray *codecs;
    gchar *tag;
    GstRtcRtpTransceiver *trans = NULL;
    RtcMediaKind kind;
    guint32 ssrc = 0, rtx_ssrc = 0;

    if (i >= gst_sdp_message_medias_len (local) ||
        rtc_sdp_media_is_rejected (local, i))
      continue;
    tag = rtc_peer_tag_for_mline (local, i);
    if (g_strcmp0 (tag, t->tag_mid) != 0) {
      g_free (tag);
      continue;
    }
    g_free (tag);
    kind = rtc_sdp_media_get_kind (remote, i);
    if (kind == RTC_MEDIA_KIND_APPLICATION)
      continue;
    for (j = 0; j < self->transceivers->len; j++) {
      GstRtcRtpTransceiver *c = g_ptr_array_index (self->transceivers, j);

      if (c->media->mline == (gint) i)
        trans = c;
    }
    if (!trans)
      continue;
    codecs = rtc_codec_array_new ();
    rtc_sdp_media_get_codecs (remote, i, codecs, NULL);
    for (k = 0; k < codecs->len; k++) {
      RtcCodec *c = &g_array_index (codecs, RtcCodec, k);

      g_hash_table_insert (t->pt_caps, GUINT_TO_POINTER (c->pt),
          rtc_codec_to_caps (c, kind));
      g_hash_table_insert (t->pt_trans, GUINT_TO_POINTER (c->pt),
          gst_object_ref (trans));
    }
    g_array_unref (codecs);
    rtc_sdp_media_get_ssrcs (remote, i, &ssrc, &rtx_ssrc, NULL, NULL);
    if (ssrc)
      g_hash_table_insert (t->ssrc_trans, GUINT_TO_POINTER (ssrc),
          gst_object_ref (trans));
  }
}

static GstPadProbeReturn
drop_until_linked (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  return GST_PAD_PROBE_DROP;
}

void
rtc_peer_media_link_sink (GstRtcPeerBin * self, GstPad * pad)
{
  GstRtcPeerPad *ppad;
  RtcPeerTransport *t = NULL;
  GstPad *target, *funnel_pad;
  gint mline;
  GstWebRTCSessionDescription *local;
  gchar *tag = NULL;

  if (!GST_IS_RTC_PEER_PAD (pad))
    return;
  ppad = GST_RTC_PEER_PAD (pad);
  target = gst_ghost_pad_get_target (GST_GHOST_PAD (pad));
  if (target) {
    gst_object_unref (target);
    return;
  }
  if (!ppad->drop_probe)
    ppad->drop_probe = gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
        GST_PAD_PROBE_TYPE_BUFFER_LIST, drop_until_linked, NULL, NULL);

  PC_LOCK (self);
  local = self->pending_local ? self->pending_local : self->current_local;
  GST_OBJECT_LOCK (ppad->transceiver);
  mline = ppad->transceiver->media->mline;
  GST_OBJECT_UNLOCK (ppad->transceiver);
  if (local && mline >= 0 && (guint) mline <
      gst_sdp_message_medias_len (local->sdp)
      && !rtc_sdp_media_is_rejected (local->sdp, mline)) {
    tag = rtc_peer_tag_for_mline (local->sdp, mline);
    t = rtc_peer_transport_by_tag (self, tag);
  }
  PC_UNLOCK (self);
  g_free (tag);
  if (!t)
    return;

  funnel_pad = gst_element_request_pad_simple (t->funnel, "sink_%u");
  if (!gst_ghost_pad_set_target (GST_GHOST_PAD (pad), funnel_pad)) {
    GST_WARNING_OBJECT (self, "could not link %s to its transport",
        GST_PAD_NAME (pad));
  } else if (ppad->drop_probe) {
    gst_pad_remove_probe (pad, ppad->drop_probe);
    ppad->drop_probe = 0;
  }
  gst_object_unref (funnel_pad);
}

GstCaps *
rtc_peer_pads_request_pt_map (GstElement * rtpbin, guint session, guint pt,
    GstRtcPeerBin * self)
{
  RtcPeerTransport *t;
  GstCaps *caps = NULL;

  PC_LOCK (self);
  t = rtc_peer_transport_by_session (self, session);
  if (t)
    caps = g_hash_table_lookup (t->pt_caps, GUINT_TO_POINTER (pt));
  if (caps)
    gst_caps_ref (caps);
  PC_UNLOCK (self);
  GST_DEBUG_OBJECT (self, "session %u pt %u -> %" GST_PTR_FORMAT, session, pt,
      caps);
  return caps;
}

void
rtc_peer_pads_new_jitterbuffer (GstElement * rtpbin, GstElement * jb, guint session,
    guint ssrc, GstRtcPeerBin * self)
{
  RtcPeerTransport *t;
  GstRtcRtpTransceiver *trans = NULL;
  gboolean nack = FALSE;
  GHashTableIter iter;
  gpointer value;

  PC_LOCK (self);
  t = rtc_peer_transport_by_session (self, session);
  if (t) {
    trans = g_hash_table_lookup (t->ssrc_trans, GUINT_TO_POINTER (ssrc));
    if (trans) {
      nack = trans->do_nack;
    } else {
      /* Unsignalled SSRC: ask for retransmissions when the transport
       * carries any video that wants them. */
      g_hash_table_iter_init (&iter, t->pt_trans);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        nack |= GST_RTC_RTP_TRANSCEIVER (value)->do_nack;
    }
  }
  PC_UNLOCK (self);
  g_object_set (jb, "do-retransmission", nack, NULL);
}

void
rtc_peer_pads_rtpbin_pad_added (GstElement * rtpbin, GstPad * pad, GstRtcPeerBin * self)
{
  guint session, ssrc, pt;
  RtcPeerTransport *t;
  GstRtcRtpTransceiver *trans = NULL;
  GstRtcPeerPad *ghost;
  gchar *name, *msid = NULL;
  gboolean new_stream = FALSE;
  GstPadTemplate *templ;

  if (sscanf (GST_PAD_NAME (pad), "recv_rtp_src_%u_%u_%u", &session, &ssrc,
          &pt) != 3)
    return;

  PC_LOCK (self);
  t = rtc_peer_transport_by_session (self, session);
  if (t) {
    trans = g_hash_table_lookup (t->ssrc_trans, GUINT_TO_POINTER (ssrc));
    if (!trans)
      trans = g_hash_table_lookup (t->pt_trans, GUINT_TO_POINTER (pt));
  }
  if (trans) {
    GstWebRTCSessionDescription *remote = self->pending_remote ?
        self->pending_remote : self->current_remote;

    gst_object_ref (trans);
    if (remote && trans->media->mline >= 0) {
      rtc_sdp_media_get_ssrcs (remote->sdp, trans->media->mline, NULL, NULL,
          &msid, NULL);
    }
    if (!msid)
      msid = g_strdup_printf ("stream-%u", ssrc);
    {
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (self->remote_streams,
              msid));

      new_stream = n == 0;
      g_hash_table_replace (self->remote_streams, g_strdup (msid),
          GUINT_TO_POINTER (n + 1));
    }
  }
  name = g_strdup_printf ("src_%u", self->next_src_id++);
  PC_UNLOCK (self);

  if (!trans) {
    GST_WARNING_OBJECT (self, "no transceiver for ssrc %u pt %u: dropped",
        ssrc, pt);
    g_free (name);
    return;
  }

  templ = gst_element_class_get_pad_template (GST_ELEMENT_GET_CLASS (self),
      "src_%u");
  ghost = gst_rtc_peer_pad_new (templ, name, trans);
  ghost->msid = g_strdup (msid);
  ghost->ssrc = ssrc;
  gst_ghost_pad_set_target (GST_GHOST_PAD (ghost), pad);
  gst_pad_set_active (GST_PAD (ghost), TRUE);
  g_free (name);
  gst_object_unref (trans);

  if (new_stream)
    gst_rtc_peer_bin_emit_add_stream (self, msid, TRUE);
  gst_element_add_pad (GST_ELEMENT (self), GST_PAD (ghost));
  g_free (msid);
}

void
rtc_peer_pads_rtpbin_pad_removed (GstElement * rtpbin, GstPad * pad,
    GstRtcPeerBin * self)
{
  GList *l;
  GstPad *ours = NULL;
  gchar *msid = NULL;
  gboolean last = FALSE;

  GST_OBJECT_LOCK (self);
  for (l = GST_ELEMENT (self)->srcpads; l; l = l->next) {
    GstPad *target = gst_ghost_pad_get_target (l->data);

    if (target == pad)
      ours = gst_object_ref (l->data);
    gst_clear_object (&target);
  }
  GST_OBJECT_UNLOCK (self);
  if (!ours)
    return;

  PC_LOCK (self);
  if (GST_RTC_PEER_PAD (ours)->msid) {
    guint n;

    msid = g_strdup (GST_RTC_PEER_PAD (ours)->msid);
    n = GPOINTER_TO_UINT (g_hash_table_lookup (self->remote_streams, msid));
    if (n <= 1) {
      g_hash_table_remove (self->remote_streams, msid);
      last = TRUE;
    } else {
      g_hash_table_replace (self->remote_streams, g_strdup (msid),
          GUINT_TO_POINTER (n - 1));
    }
  }
  PC_UNLOCK (self);

  gst_element_remove_pad (GST_ELEMENT (self), ours);
  if (last)
    gst_rtc_peer_bin_emit_add_stream (self, msid, FALSE);
  gst_object_unref (ours);
  g_free (msid);
}

/* close(): every remote track ends; its pad goes and its stream with it. */
void
rtc_peer_media_remove_src_pads (GstRtcPeerBin * self)
{
  GList *pads, *l;

  GST_OBJECT_LOCK (self);
  pads = g_list_copy_deep (GST_ELEMENT (self)->srcpads,
      (GCopyFunc) gst_object_ref, NULL);
  GST_OBJECT_UNLOCK (self);
  for (l = pads; l; l = l->next) {
    GstPad *target = gst_ghost_pad_get_target (l->data);

    if (target) {
      rtc_peer_pads_rtpbin_pad_removed (self->rtpbin, target, self);
      gst_object_unref (target);
    }
  }
  g_list_free_full (pads, gst_object_unref);
}
