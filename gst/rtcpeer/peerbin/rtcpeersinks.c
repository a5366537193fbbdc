/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* rtcpeerbin's sink pads: requesting and releasing them (addTrack and
 * removeTrack), and the caps that give their transceivers a codec, which
 * an offer waits for. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrtcpeerbin.h"
#include "gstrtcpeerpad.h"

GST_DEBUG_CATEGORY_EXTERN (gst_rtc_peer_bin_debug);
#define GST_CAT_DEFAULT gst_rtc_peer_bin_debug

/* The caps reaching a sink pad give its transceiver its codec (and the
 * SSRC the payloader chose, which the offer announces). */
static GstPadProbeReturn
sink_caps_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstRtcPeerBin *self = user_data;
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  GstRtcRtpTransceiver *trans = GST_RTC_PEER_PAD (pad)->transceiver;
  GstCaps *caps, *described;
  GArray *codecs;
  RtcMediaKind kind;
  GError *error = NULL;
  guint ssrc = 0;

  if (GST_EVENT_TYPE (event) != GST_EVENT_CAPS)
    return GST_PAD_PROBE_OK;
  gst_event_parse_caps (event, &caps);
  /* encoded media: the RTP caps its payloader will produce */
  described = rtc_peer_encode_describe (GST_RTC_PEER_PAD (pad), caps);
  if (described)
    caps = described;
  codecs = rtc_codec_array_new ();
  if (!rtc_codecs_from_caps (caps, &kind, codecs, &error)) {
    GST_ELEMENT_ERROR (self, STREAM, FORMAT, ("%s: %s", GST_PAD_NAME (pad),
            error->message), (NULL));
    g_clear_error (&error);
    g_array_unref (codecs);
    gst_clear_caps (&described);
    return GST_PAD_PROBE_DROP;
  }
  gst_structure_get_uint (gst_caps_get_structure (caps, 0), "ssrc", &ssrc);
  gst_clear_caps (&described);
  GST_OBJECT_LOCK (trans);
  RTC_TRANS_STATE (trans)->media->kind = kind;
  if (ssrc)
    RTC_TRANS_STATE (trans)->media->ssrc = ssrc;
  /* Once negotiated, the payload types stay those of the description. */
  if (RTC_TRANS_STATE (trans)->media->mid == NULL) {
    g_array_unref (RTC_TRANS_STATE (trans)->media->codecs);
    RTC_TRANS_STATE (trans)->media->codecs = g_array_ref (codecs);
  }
  GST_OBJECT_UNLOCK (trans);
  g_array_unref (codecs);
  g_mutex_lock (&self->caps_lock);
  g_cond_broadcast (&self->caps_cond);
  g_mutex_unlock (&self->caps_lock);
  gst_rtc_peer_bin_update_negotiation_needed (self);
  return GST_PAD_PROBE_OK;
}

/* A linked sink pad of a running bin whose caps have not arrived yet. */
static gboolean
has_sink_without_caps (GstRtcPeerBin * self)
{
  gboolean waiting = FALSE;
  GList *l;

  GST_OBJECT_LOCK (self);
  if (GST_STATE (self) >= GST_STATE_PAUSED) {
    for (l = GST_ELEMENT (self)->sinkpads; l && !waiting; l = l->next) {
      GstRtcRtpTransceiver *trans;

      if (!GST_IS_RTC_PEER_PAD (l->data) || !GST_PAD_PEER (l->data))
        continue;
      trans = GST_RTC_PEER_PAD (l->data)->transceiver;
      GST_OBJECT_LOCK (trans);
      waiting = RTC_TRANS_STATE (trans)->media->codecs->len == 0 && RTC_TRANS_STATE (trans)->media->mid == NULL
          && !RTC_TRANS_STATE (trans)->media->stopped;
      GST_OBJECT_UNLOCK (trans);
    }
  }
  GST_OBJECT_UNLOCK (self);
  return waiting;
}

/* A source linked just before create-offer, create-answer or
 * set-remote-description has usually not negotiated its caps yet, and
 * without them the pad's track could not be described or matched to a
 * remote m-line of its kind. Its caps are typically a few milliseconds
 * away: wait for them, but never long. */
#define SINK_CAPS_WAIT (2 * G_TIME_SPAN_SECOND)

void
gst_rtc_peer_bin_wait_sink_caps (GstRtcPeerBin * self)
{
  gint64 deadline = g_get_monotonic_time () + SINK_CAPS_WAIT;

  g_mutex_lock (&self->caps_lock);
  while (has_sink_without_caps (self)) {
    if (!g_cond_wait_until (&self->caps_cond, &self->caps_lock, deadline)) {
      GST_INFO_OBJECT (self, "a linked sink pad still has no caps: its "
          "track is left out of this description");
      break;
    }
  }
  g_mutex_unlock (&self->caps_lock);
}

GstPad *
gst_rtc_peer_bin_request_new_pad (GstElement * element, GstPadTemplate * templ,
    const gchar * name, const GstCaps * caps)
{
  GstRtcPeerBin *self = GST_RTC_PEER_BIN (element);
  RtcJsepMedia *media;
  RtcMediaKind kind = RTC_MEDIA_KIND_AUDIO;
  GArray *codecs = NULL;
  GstRtcRtpTransceiver *trans;
  GstPad *pad;
  gchar *pad_name;
  guint id;
  GError *error = NULL;

  if (templ->direction != GST_PAD_SINK)
    return NULL;

  /* encoded caps are described when they reach the pad */
  if (caps && !gst_caps_is_any (caps) && gst_caps_is_fixed (caps)
      && !rtc_peer_encode_is_encoded (caps)) {
    codecs = rtc_codec_array_new ();
    if (!rtc_codecs_from_caps (caps, &kind, codecs, &error)) {
      GST_ELEMENT_WARNING (self, CORE, PAD, ("Cannot request %s: %s",
              name ? name : "a sink pad", error->message), (NULL));
      g_clear_error (&error);
      g_array_unref (codecs);
      return NULL;
    }
  }

  PC_LOCK (self);
  if (name && sscanf (name, "sink_%u", &id) == 1) {
    if (id >= self->next_sink_id)
      self->next_sink_id = id + 1;
  } else {
    id = self->next_sink_id++;
  }
  media = rtc_jsep_media_new (kind, GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV);
  if (codecs) {
    g_array_unref (media->codecs);
    media->codecs = codecs;
  }
  trans = rtc_peer_add_transceiver_locked (self, media);
  PC_UNLOCK (self);

  pad_name = g_strdup_printf ("sink_%u", id);
  pad = GST_PAD (gst_rtc_peer_pad_new (templ, pad_name, trans));
  g_free (pad_name);
  gst_object_unref (trans);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
      sink_caps_probe, self, NULL);
  /* Media is dropped until the transceiver has a transport. */
  rtc_peer_media_link_sink (self, pad);
  gst_pad_set_active (pad, TRUE);
  gst_element_add_pad (element, pad);

  gst_rtc_peer_bin_emit_pending (self);
  gst_rtc_peer_bin_update_negotiation_needed (self);
  return pad;
}

void
gst_rtc_peer_bin_release_pad (GstElement * element, GstPad * pad)
{
  GstRtcPeerBin *self = GST_RTC_PEER_BIN (element);
  GstRtcRtpTransceiver *trans = GST_IS_RTC_PEER_PAD (pad) ?
      GST_RTC_PEER_PAD (pad)->transceiver : NULL;

  if (GST_IS_RTC_PEER_PAD (pad))
    rtc_peer_encode_release (self, GST_RTC_PEER_PAD (pad));
  if (trans) {
    /* Releasing a sink pad is removeTrack(): the transceiver stops
     * sending, which needs a renegotiation. */
    GST_OBJECT_LOCK (trans);
    if (RTC_TRANS_STATE (trans)->media->direction == GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV)
      RTC_TRANS_STATE (trans)->media->direction = GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY;
    else if (RTC_TRANS_STATE (trans)->media->direction ==
        GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY)
      RTC_TRANS_STATE (trans)->media->direction = GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_INACTIVE;
    GST_OBJECT_UNLOCK (trans);
  }
  gst_element_remove_pad (element, pad);
  gst_rtc_peer_bin_update_negotiation_needed (self);
}
