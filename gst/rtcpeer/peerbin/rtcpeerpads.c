/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The rtpbin side of rtcpeerbin: which transceiver a payload type or SSRC
 * belongs to, the caps rtpbin asks for, the src pads of remote tracks
 * (with on-add-stream / on-remove-stream) and the sink pads' link to
 * their transport's rtpfunnel. Streaming threads call in here; the maps
 * they read are rebuilt by the ops thread under the transport's map_lock.
 * In front of rtpbin a probe ties every incoming SSRC to its m-line
 * (RFC 8843 section 9.2) and keeps out what it cannot place yet, so that
 * a track a renegotiation adds gets a src pad of its own transceiver. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <string.h>

#include <gst/rtp/rtp.h>

#include "gstrtcpeerbin.h"
#include "rtcnackguard.h"
#include "gstrtcpeerpad.h"
#include "jsep/rtcsdputil.h"

GST_DEBUG_CATEGORY_EXTERN (gst_rtc_peer_bin_debug);
#define GST_CAT_DEFAULT gst_rtc_peer_bin_debug

static void
unref_or_null (gpointer obj)
{
  if (obj)
    gst_object_unref (obj);
}

void
rtc_peer_pads_init_maps (RtcPeerTransport * t)
{
  g_mutex_init (&t->map_lock);
  t->by_mline = g_ptr_array_new_with_free_func (unref_or_null);
  t->learned = g_hash_table_new_full (NULL, NULL, NULL, g_free);
}

void
rtc_peer_pads_clear_maps (RtcPeerTransport * t)
{
  g_clear_pointer (&t->routes, rtc_jsep_routes_free);
  g_clear_pointer (&t->by_mline, g_ptr_array_unref);
  g_clear_pointer (&t->learned, g_hash_table_unref);
  g_mutex_clear (&t->map_lock);
}

void
rtc_peer_pads_set_routes (RtcPeerTransport * t, RtcJsepRoutes * routes,
    GPtrArray * by_mline)
{
  RtcJsepRoutes *old_routes = NULL;
  GPtrArray *old_by_mline = NULL;

  g_mutex_lock (&t->map_lock);
  if (routes) {
    old_routes = t->routes;
    t->routes = routes;
  }
  if (by_mline) {
    old_by_mline = t->by_mline;
    t->by_mline = by_mline;
  }
  g_mutex_unlock (&t->map_lock);
  rtc_jsep_routes_free (old_routes);
  if (old_by_mline)
    g_ptr_array_unref (old_by_mline);
}

/* The transceiver of @mline on @t (map_lock held), borrowed. */
static GstRtcRtpTransceiver *
trans_at (RtcPeerTransport * t, gint mline)
{
  if (mline < 0 || (guint) mline >= t->by_mline->len)
    return NULL;
  return g_ptr_array_index (t->by_mline, mline);
}

/* Learned SSRCs kept per transport: bounded, a peer cycling SSRCs must not
 * grow it without end. */
#define MAX_LEARNED_SSRCS 256

/* RFC 8843 section 9.2: which m-line an incoming RTP packet belongs to,
 * decided by rtc_jsep_route_packet() (core/jsep/rtcjsep-route.c) from the
 * packet's SSRC, payload type and MID header extension. Anything it
 * cannot place is dropped before rtpbin, which would otherwise give it a
 * src pad of the wrong transceiver (or fail on an unknown payload type);
 * a track whose description is still on its way is kept out until it
 * arrives. Runs on the receive path: map_lock only. */
static gboolean
demux_accepts (RtcPeerTransport * t, GstBuffer * buf)
{
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  guint32 ssrc;
  guint pt, size = 0, ext;
  gpointer data = NULL;
  guint8 bits;
  gchar mid[256];
  gboolean has_mid = FALSE;
  RtcRouteKind kind = RTC_ROUTE_DROP;
  gint mline = -1;

  /* Not RTP: rtpbin refuses it itself. */
  if (!gst_rtp_buffer_map (buf, GST_MAP_READ, &rtp))
    return TRUE;
  ssrc = gst_rtp_buffer_get_ssrc (&rtp);
  pt = gst_rtp_buffer_get_payload_type (&rtp);

  g_mutex_lock (&t->map_lock);
  if (t->routes) {
    ext = rtc_jsep_routes_get_mid_ext_id (t->routes);
    /* an extension element holds at most 255 bytes: no allocation */
    if (ext && (gst_rtp_buffer_get_extension_onebyte_header (&rtp, ext, 0,
                &data, &size) || gst_rtp_buffer_get_extension_twobytes_header
            (&rtp, &bits, ext, 0, &data, &size)) && size > 0 && size < 256) {
      memcpy (mid, data, size);
      mid[size] = '\0';
      has_mid = TRUE;
    }
    kind = rtc_jsep_route_packet (t->routes, t->learned, ssrc, pt,
        has_mid ? mid : NULL, &mline);
    if (kind == RTC_ROUTE_MID) {
      if (g_hash_table_size (t->learned) < MAX_LEARNED_SSRCS)
        g_hash_table_replace (t->learned, GUINT_TO_POINTER (ssrc),
            g_strdup (mid));
      GST_DEBUG ("transport %s: ssrc %u says mid '%s': m-line %d",
          t->tag_mid, ssrc, mid, mline);
    }
  }
  g_mutex_unlock (&t->map_lock);
  gst_rtp_buffer_unmap (&rtp);
  if (kind == RTC_ROUTE_DROP)
    GST_LOG ("transport %s: ssrc %u pt %u has no m-line (yet): dropped",
        t->tag_mid, ssrc, pt);
  return kind != RTC_ROUTE_DROP;
}

static gboolean
demux_filter_list (GstBuffer ** buf, guint idx, gpointer user_data)
{
  if (!demux_accepts (user_data, *buf))
    gst_clear_buffer (buf);
  return TRUE;
}

static GstPadProbeReturn
demux_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  RtcPeerTransport *t = user_data;

  if (info->type & GST_PAD_PROBE_TYPE_BUFFER)
    return demux_accepts (t, GST_PAD_PROBE_INFO_BUFFER (info)) ?
        GST_PAD_PROBE_OK : GST_PAD_PROBE_DROP;
  if (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST) {
    GstBufferList *list = GST_PAD_PROBE_INFO_BUFFER_LIST (info);

    list = gst_buffer_list_make_writable (list);
    gst_buffer_list_foreach (list, demux_filter_list, t);
    GST_PAD_PROBE_INFO_DATA (info) = list;
    if (gst_buffer_list_length (list) == 0)
      return GST_PAD_PROBE_DROP;
  }
  return GST_PAD_PROBE_OK;
}

/* @t outlives the probe: transports are freed after their elements left
 * the bin, once no ICE thread can push any more. */
void
rtc_peer_pads_watch_receive (RtcPeerTransport * t, GstPad * rtp_src)
{
  gst_pad_add_probe (rtp_src, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST, demux_probe, t, NULL);
}

/* Until the pad has a transport: a live source's buffers are dropped, a
 * file's or a test source's wait (rtcpeerencode.c). */
static GstPadProbeReturn
hold_until_linked (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  return rtc_peer_encode_hold (GST_RTC_PEER_PAD (pad));
}

void
rtc_peer_media_link_sink (GstRtcPeerBin * self, GstPad * pad)
{
  GstRtcPeerPad *ppad;
  RtcPeerTransport *t = NULL;
  GstPad *target, *funnel_pad;
  gint mline;
  GstWebRTCSessionDescription *local, *remote;
  GstElement *funnel = NULL;

  if (!GST_IS_RTC_PEER_PAD (pad))
    return;
  ppad = GST_RTC_PEER_PAD (pad);
  rtc_peer_encode_apply_pt (self, ppad);
  target = gst_ghost_pad_get_target (GST_GHOST_PAD (pad));
  if (target) {
    gst_object_unref (target);
    return;
  }
  if (!ppad->drop_probe)
    ppad->drop_probe = gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BLOCK |
        GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST,
        hold_until_linked, NULL, NULL);

  PC_LOCK (self);
  local = rtc_jsep_desc_in_use (self->pending_local, self->current_local);
  remote = rtc_jsep_desc_in_use (self->pending_remote, self->current_remote);
  GST_OBJECT_LOCK (ppad->transceiver);
  mline = RTC_TRANS_STATE (ppad->transceiver)->media->mline;
  GST_OBJECT_UNLOCK (ppad->transceiver);
  /* Media flows once both sides have the m-line (JSEP: an offerer sends
   * when the answer is applied). Sent earlier, a track added by a
   * renegotiation reaches a peer that has not seen its SSRC yet, which
   * could only guess its transceiver from the payload type. */
  if (local && remote && mline >= 0
      && (guint) mline < gst_sdp_message_medias_len (local->sdp)
      && (guint) mline < gst_sdp_message_medias_len (remote->sdp)
      && !rtc_sdp_media_is_rejected (local->sdp, mline)
      && !rtc_sdp_media_is_rejected (remote->sdp, mline))
    t = rtc_peer_transport_by_mline (self, mline);
  if (t && t->funnel)
    funnel = gst_object_ref (t->funnel);
  PC_UNLOCK (self);
  if (!funnel)
    return;

  funnel_pad = gst_element_request_pad_simple (funnel, "sink_%u");
  if (!rtc_peer_encode_link (self, ppad, funnel_pad)) {
    GST_WARNING_OBJECT (self, "could not link %s to its transport",
        GST_PAD_NAME (pad));
  } else {
    rtc_peer_dtmf_watch_sink (self, pad, funnel_pad);
    if (ppad->drop_probe) {
      gst_pad_remove_probe (pad, ppad->drop_probe);
      ppad->drop_probe = 0;
    }
  }
  gst_object_unref (funnel_pad);
  gst_object_unref (funnel);
}

GstCaps *
rtc_peer_pads_request_pt_map (GstElement * rtpbin, guint session, guint pt,
    GstRtcPeerBin * self)
{
  RtcPeerTransport *t;
  GstCaps *caps = NULL;

  PC_LOCK (self);
  t = rtc_peer_transport_by_session (self, session);
  if (t) {
    g_mutex_lock (&t->map_lock);
    caps = t->routes ? rtc_jsep_routes_get_caps (t->routes, pt) : NULL;
    if (caps)
      gst_caps_ref (caps);
    g_mutex_unlock (&t->map_lock);
  }
  PC_UNLOCK (self);
  GST_DEBUG_OBJECT (self, "session %u pt %u -> %" GST_PTR_FORMAT, session, pt,
      caps);
  return caps;
}

#define FASTSTART_PACKETS 2

typedef struct
{
  RtcNackGuard guard;
  GWeakRef jb;
} NackGuardProbe;

static void
nack_guard_probe_free (gpointer data)
{
  NackGuardProbe *p = data;

  g_weak_ref_clear (&p->jb);
  g_free (p);
}

/* Every packet into a jitterbuffer: the guard decides whether asking for
 * retransmissions still helps (core/rtcnackguard.h). */
static GstPadProbeReturn
nack_guard_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  NackGuardProbe *p = user_data;
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
  guint8 hdr[4];
  GstElement *jb;

  if (gst_buffer_extract (buf, 0, hdr, 4) != 4 ||
      !rtc_nack_guard_packet (&p->guard, GST_READ_UINT16_BE (hdr + 2),
          g_get_monotonic_time ()))
    return GST_PAD_PROBE_OK;
  if ((jb = g_weak_ref_get (&p->jb))) {
    GST_INFO_OBJECT (jb, "retransmission requests %s",
        p->guard.nack ? "back on" : "off: the stream loses too much for them "
        "to help");
    g_object_set (jb, "do-retransmission", p->guard.nack, NULL);
    gst_object_unref (jb);
  }
  return GST_PAD_PROBE_OK;
}

void
rtc_peer_pads_new_jitterbuffer (GstElement * rtpbin, GstElement * jb,
    guint session, guint ssrc, GstRtcPeerBin * self)
{
  RtcPeerTransport *t;
  GstRtcRtpTransceiver *trans;
  gboolean nack = FALSE;
  guint i;

  PC_LOCK (self);
  t = rtc_peer_transport_by_session (self, session);
  if (t) {
    g_mutex_lock (&t->map_lock);
    if (t->routes) {
      trans = trans_at (t, rtc_jsep_route_ssrc (t->routes, t->learned, ssrc));
      if (trans) {
        nack = gst_rtc_rtp_transceiver_get_do_nack (trans);
      } else {
        const GArray *mlines = rtc_jsep_routes_get_mlines (t->routes);

        /* Unsignalled SSRC: ask for retransmissions when the transport
         * carries any video that wants them. */
        for (i = 0; i < mlines->len; i++) {
          trans = trans_at (t, g_array_index (mlines, guint, i));
          nack |= trans && gst_rtc_rtp_transceiver_get_do_nack (trans);
        }
      }
    }
    g_mutex_unlock (&t->map_lock);
  }
  PC_UNLOCK (self);
  /* Start playing out once two packets in a row are there instead of a
   * whole latency after the first (browsers start at once too): a gap
   * still waits up to the latency for its packet, and the latency still
   * sets the playout delay downstream. */
  g_object_set (jb, "do-retransmission", nack, "faststart-min-packets",
      FASTSTART_PACKETS, NULL);
  /* Ask only for packets a gap shows missing. Guessing when the next one
   * is due (the default) misfires on video, whose packets come in bursts
   * a frame apart: the sender got thousands of requests a second for
   * packets not yet sent. */
  g_object_set (jb, "rtx-next-seqnum", FALSE, NULL);
  if (nack) {
    NackGuardProbe *p = g_new0 (NackGuardProbe, 1);
    GstPad *sink = gst_element_get_static_pad (jb, "sink");

    rtc_nack_guard_init (&p->guard, TRUE);
    g_weak_ref_init (&p->jb, jb);
    gst_pad_add_probe (sink, GST_PAD_PROBE_TYPE_BUFFER, nack_guard_probe, p,
        nack_guard_probe_free);
    gst_object_unref (sink);
  }
}

void
rtc_peer_pads_rtpbin_pad_added (GstElement * rtpbin, GstPad * pad,
    GstRtcPeerBin * self)
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
  if (rtc_peer_dtmf_claim_pad (self, pad, session, ssrc, pt))
    return;

  PC_LOCK (self);
  t = rtc_peer_transport_by_session (self, session);
  if (t) {
    /* The receive probe let only packets through whose m-line is known:
     * by SSRC, or by a payload type that names one m-line. */
    g_mutex_lock (&t->map_lock);
    if (t->routes)
      trans = trans_at (t, rtc_jsep_route_stream (t->routes, t->learned, ssrc,
              pt));
    if (trans)
      gst_object_ref (trans);
    g_mutex_unlock (&t->map_lock);
  }
  if (trans) {
    GstWebRTCSessionDescription *remote =
        rtc_jsep_desc_in_use (self->pending_remote, self->current_remote);
    gint mline;

    GST_OBJECT_LOCK (trans);
    mline = RTC_TRANS_STATE (trans)->media->mline;
    GST_OBJECT_UNLOCK (trans);
    /* A second track of a stream the remote already sends has the same
     * msid stream id: it gets its own src pad, but the stream was added
     * already, so on-add-stream is not emitted again. */
    if (remote && mline >= 0
        && (guint) mline < gst_sdp_message_medias_len (remote->sdp))
      rtc_sdp_media_get_ssrcs (remote->sdp, mline, NULL, NULL, &msid, NULL);
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

/* close(): every remote track ends; its pad goes and its stream with it.
 * The end reaches downstream first (EOS, what a track's "ended" is to a
 * pipeline): a pad removed without it leaves a pipeline waiting for the
 * end of its streams, a launch line, hanging. */
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

    if (!GST_PAD_IS_EOS (l->data))
      gst_pad_push_event (l->data, gst_event_new_eos ());
    if (target) {
      rtc_peer_pads_rtpbin_pad_removed (self->rtpbin, target, self);
      gst_object_unref (target);
    }
  }
  g_list_free_full (pads, gst_object_unref);
}
