/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* End of stream, so that a launch line with num-buffers (or -e) ends by
 * itself on both sides:
 *
 *  - EOS on a sink pad reaches rtpbin's send_rtp_sink through the
 *    transport's rtpfunnel once every track on it has ended; rtpbin then
 *    sends an RTCP BYE for its SSRCs (RFC 3550 section 6.6).
 *  - An RTCP BYE from the remote ends the jitterbuffer of each SSRC it
 *    names: the packets still queued play out, then EOS leaves the src
 *    pad of that track.
 *  - While it has pads the bin counts as a sink of its pipeline
 *    (GST_ELEMENT_FLAG_SINK) and posts EOS once every sink pad and every
 *    src pad has seen EOS, so a pipeline's EOS waits for the BYEs to go
 *    out and come in, and a pipeline whose only sink is a sending
 *    rtcpeerbin ends too. The EOS of a sink pad is counted as it enters
 *    the bin: the BYE it causes leaves a moment later (rtpbin sends it at
 *    once in a session this small). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>

#include "gstrtcpeerbin.h"
#include "gstrtcpeerpad.h"

GST_DEBUG_CATEGORY_EXTERN (gst_rtc_peer_bin_debug);
#define GST_CAT_DEFAULT gst_rtc_peer_bin_debug

/* The jitterbuffer's sink pad behind one of rtpbin's recv_rtp_src pads
 * (ghost of rtpptdemux's src), or NULL. */
static GstPad *
jitterbuffer_sink (GstPad * rtpbin_src)
{
  GstPad *demux_src, *demux_sink, *jb_src = NULL, *jb_sink = NULL;
  GstElement *demux, *jb;

  demux_src = GST_IS_GHOST_PAD (rtpbin_src) ?
      gst_ghost_pad_get_target (GST_GHOST_PAD (rtpbin_src)) :
      gst_object_ref (rtpbin_src);
  if (!demux_src)
    return NULL;
  demux = gst_pad_get_parent_element (demux_src);
  gst_object_unref (demux_src);
  if (!demux)
    return NULL;
  demux_sink = gst_element_get_static_pad (demux, "sink");
  gst_object_unref (demux);
  if (demux_sink) {
    jb_src = gst_pad_get_peer (demux_sink);
    gst_object_unref (demux_sink);
  }
  if (!jb_src)
    return NULL;
  jb = gst_pad_get_parent_element (jb_src);
  gst_object_unref (jb_src);
  if (jb) {
    jb_sink = gst_element_get_static_pad (jb, "sink");
    gst_object_unref (jb);
  }
  return jb_sink;
}

typedef struct
{
  guint session;
  guint ssrc;
} ByeData;

/* On the ops thread, away from rtpbin's RTCP path: every jitterbuffer of
 * the SSRC gets EOS behind the packets it holds. */
static GstStructure *
bye_op (gpointer owner, gpointer data)
{
  GstRtcPeerBin *self = owner;
  ByeData *bye = data;
  GList *pads, *l, *done = NULL;

  GST_OBJECT_LOCK (self);
  pads = g_list_copy_deep (GST_ELEMENT (self)->srcpads,
      (GCopyFunc) gst_object_ref, NULL);
  GST_OBJECT_UNLOCK (self);
  for (l = pads; l; l = l->next) {
    GstPad *target, *jb_sink;
    guint session, ssrc, pt;

    if (!GST_IS_RTC_PEER_PAD (l->data)
        || GST_RTC_PEER_PAD (l->data)->ssrc != bye->ssrc)
      continue;
    target = gst_ghost_pad_get_target (GST_GHOST_PAD (l->data));
    if (!target)
      continue;
    if (sscanf (GST_PAD_NAME (target), "recv_rtp_src_%u_%u_%u", &session,
            &ssrc, &pt) == 3 && session == bye->session
        && (jb_sink = jitterbuffer_sink (target))) {
      if (!g_list_find (done, jb_sink)) {
        GST_INFO_OBJECT (self, "RTCP BYE from ssrc %u: %s ends", ssrc,
            GST_PAD_NAME (l->data));
        gst_pad_send_event (jb_sink, gst_event_new_eos ());
        done = g_list_prepend (done, gst_object_ref (jb_sink));
      }
      gst_object_unref (jb_sink);
    }
    gst_object_unref (target);
  }
  g_list_free_full (done, gst_object_unref);
  g_list_free_full (pads, gst_object_unref);
  return NULL;
}

static void
on_bye_ssrc (GstElement * rtpbin, guint session, guint ssrc,
    GstRtcPeerBin * self)
{
  ByeData *bye = g_new0 (ByeData, 1);

  bye->session = session;
  bye->ssrc = ssrc;
  rtc_peer_ops_enqueue (self->ops, bye_op, self, bye, g_free, NULL);
}

/* Every pad has seen EOS (and there is at least one): the bin is done. */
static void
check_eos (GstRtcPeerBin * self)
{
  gboolean all = TRUE, any = FALSE;
  GList *l;
  GList *lists[2];
  gint i;

  GST_OBJECT_LOCK (self);
  lists[0] = GST_ELEMENT (self)->sinkpads;
  lists[1] = GST_ELEMENT (self)->srcpads;
  for (i = 0; i < 2; i++) {
    for (l = lists[i]; l; l = l->next) {
      if (!GST_IS_RTC_PEER_PAD (l->data))
        continue;
      any = TRUE;
      all &= g_atomic_int_get (&GST_RTC_PEER_PAD (l->data)->eos);
    }
  }
  GST_OBJECT_UNLOCK (self);
  if (!any || !all
      || !g_atomic_int_compare_and_exchange (&self->eos_posted, FALSE, TRUE))
    return;
  GST_INFO_OBJECT (self, "every track has ended: EOS");
  gst_element_post_message (GST_ELEMENT (self),
      gst_message_new_eos (GST_OBJECT (self)));
}

static GstPadProbeReturn
pad_event_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstRtcPeerBin *self = user_data;
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_EOS:
      g_atomic_int_set (&GST_RTC_PEER_PAD (pad)->eos, TRUE);
      check_eos (self);
      break;
    case GST_EVENT_FLUSH_STOP:
    case GST_EVENT_STREAM_START:
      g_atomic_int_set (&GST_RTC_PEER_PAD (pad)->eos, FALSE);
      break;
    default:
      break;
  }
  return GST_PAD_PROBE_OK;
}

/* The bin is a sink of its pipeline while it has media pads: a bin with
 * data channels only has no stream to end and must not hold its
 * pipeline's EOS back. */
static void
on_pad_added (GstElement * element, GstPad * pad, gpointer user_data)
{
  if (!GST_IS_RTC_PEER_PAD (pad))
    return;
  GST_OBJECT_LOCK (element);
  GST_OBJECT_FLAG_SET (element, GST_ELEMENT_FLAG_SINK);
  GST_OBJECT_UNLOCK (element);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM |
      GST_PAD_PROBE_TYPE_EVENT_FLUSH, pad_event_probe, element, NULL);
}

/* A pad that goes (a released sink pad, a removed track) may have been
 * the last one the bin waited for. */
static void
on_pad_removed (GstElement * element, GstPad * pad, gpointer user_data)
{
  GST_OBJECT_LOCK (element);
  if (element->numpads == 0)
    GST_OBJECT_FLAG_UNSET (element, GST_ELEMENT_FLAG_SINK);
  GST_OBJECT_UNLOCK (element);
  check_eos (GST_RTC_PEER_BIN (element));
}

void
rtc_peer_eos_reset (GstRtcPeerBin * self)
{
  g_atomic_int_set (&self->eos_posted, FALSE);
}

void
rtc_peer_eos_init (GstRtcPeerBin * self)
{
  g_signal_connect (self, "pad-added", G_CALLBACK (on_pad_added), NULL);
  g_signal_connect (self, "pad-removed", G_CALLBACK (on_pad_removed), NULL);
  g_signal_connect (self->rtpbin, "on-bye-ssrc", G_CALLBACK (on_bye_ssrc),
      self);
}
