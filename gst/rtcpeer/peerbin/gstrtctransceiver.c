/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:gstrtctransceiver
 * @title: GstRtcRtpTransceiver
 *
 * The RTCRtpTransceiver of an rtcpeerbin. GStreamer 1.22 does not install
 * the struct of #GstWebRTCRTPTransceiver, so it cannot be subclassed from
 * outside GStreamer; this type carries the same property names and types
 * (`mid`, `mlineindex`, `direction`, `current-direction`, `kind`,
 * `codec-preferences`, and webrtcbin's `do-nack`), so code that reads
 * properties works unchanged.
 */

#include "gstrtctransceiver.h"

enum
{
  PROP_0,
  PROP_MID,
  PROP_MLINEINDEX,
  PROP_DIRECTION,
  PROP_CURRENT_DIRECTION,
  PROP_KIND,
  PROP_CODEC_PREFERENCES,
  PROP_DO_NACK,
  PROP_STOPPED,
  NUM_PROPERTIES
};

static GParamSpec *properties[NUM_PROPERTIES];

G_DEFINE_TYPE (GstRtcRtpTransceiver, gst_rtc_rtp_transceiver, GST_TYPE_OBJECT);

static void
gst_rtc_rtp_transceiver_finalize (GObject * object)
{
  GstRtcRtpTransceiver *self = GST_RTC_RTP_TRANSCEIVER (object);

  rtc_jsep_media_free (self->media);
  gst_clear_caps (&self->codec_preferences);
  G_OBJECT_CLASS (gst_rtc_rtp_transceiver_parent_class)->finalize (object);
}

static GstWebRTCKind
kind_of (RtcMediaKind kind)
{
  switch (kind) {
    case RTC_MEDIA_KIND_AUDIO:
      return GST_WEBRTC_KIND_AUDIO;
    case RTC_MEDIA_KIND_VIDEO:
      return GST_WEBRTC_KIND_VIDEO;
    default:
      return GST_WEBRTC_KIND_UNKNOWN;
  }
}

static void
gst_rtc_rtp_transceiver_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstRtcRtpTransceiver *self = GST_RTC_RTP_TRANSCEIVER (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_MID:
      g_value_set_string (value, self->media->mid);
      break;
    case PROP_MLINEINDEX:
      /* webrtcbin reports G_MAXUINT before the first negotiation too. */
      g_value_set_uint (value, self->media->mline < 0 ? G_MAXUINT :
          (guint) self->media->mline);
      break;
    case PROP_DIRECTION:
      g_value_set_enum (value, self->media->direction);
      break;
    case PROP_CURRENT_DIRECTION:
      g_value_set_enum (value, self->current_direction);
      break;
    case PROP_KIND:
      g_value_set_enum (value, kind_of (self->media->kind));
      break;
    case PROP_CODEC_PREFERENCES:
      g_value_set_boxed (value, self->codec_preferences);
      break;
    case PROP_DO_NACK:
      g_value_set_boolean (value, self->do_nack_set ? self->do_nack :
          self->media->kind == RTC_MEDIA_KIND_VIDEO);
      break;
    case PROP_STOPPED:
      g_value_set_boolean (value, self->media->stopped);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_rtc_rtp_transceiver_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstRtcRtpTransceiver *self = GST_RTC_RTP_TRANSCEIVER (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_DIRECTION:
      self->media->direction = g_value_get_enum (value);
      break;
    case PROP_CODEC_PREFERENCES:
      gst_caps_replace (&self->codec_preferences, g_value_get_boxed (value));
      break;
    case PROP_DO_NACK:
      self->do_nack = g_value_get_boolean (value);
      self->do_nack_set = TRUE;
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_rtc_rtp_transceiver_class_init (GstRtcRtpTransceiverClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);

  gobject_class->finalize = gst_rtc_rtp_transceiver_finalize;
  gobject_class->get_property = gst_rtc_rtp_transceiver_get_property;
  gobject_class->set_property = gst_rtc_rtp_transceiver_set_property;

  properties[PROP_MID] = g_param_spec_string ("mid", "Media ID",
      "The media ID of the m-line this transceiver is tied to (NULL until "
      "negotiated)", NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MLINEINDEX] = g_param_spec_uint ("mlineindex",
      "Media line index", "Index of the m-line in the SDP (G_MAXUINT until "
      "negotiated)", 0, G_MAXUINT, G_MAXUINT,
      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DIRECTION] = g_param_spec_enum ("direction", "Direction",
      "Preferred direction of this transceiver",
      GST_TYPE_WEBRTC_RTP_TRANSCEIVER_DIRECTION,
      GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CURRENT_DIRECTION] = g_param_spec_enum ("current-direction",
      "Current direction", "Direction negotiated last",
      GST_TYPE_WEBRTC_RTP_TRANSCEIVER_DIRECTION,
      GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_NONE,
      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIND] = g_param_spec_enum ("kind", "Media kind",
      "Kind of media this transceiver carries", GST_TYPE_WEBRTC_KIND,
      GST_WEBRTC_KIND_UNKNOWN, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CODEC_PREFERENCES] = g_param_spec_boxed ("codec-preferences",
      "Codec preferences", "Caps of the codecs to negotiate, in order of "
      "preference", GST_TYPE_CAPS, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DO_NACK] = g_param_spec_boolean ("do-nack", "Do NACK",
      "Negotiate and use NACK retransmission", FALSE,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STOPPED] = g_param_spec_boolean ("stopped", "Stopped",
      "Whether the transceiver has been stopped", FALSE,
      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (gobject_class, NUM_PROPERTIES, properties);
}

static void
gst_rtc_rtp_transceiver_init (GstRtcRtpTransceiver * self)
{
  self->current_direction = GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_NONE;
}

GstRtcRtpTransceiver *
gst_rtc_rtp_transceiver_new (RtcJsepMedia * media)
{
  GstRtcRtpTransceiver *self;

  self = g_object_new (GST_TYPE_RTC_RTP_TRANSCEIVER, NULL);
  self->media = media;
  return gst_object_ref_sink (self);
}

gboolean
gst_rtc_rtp_transceiver_get_do_nack (GstRtcRtpTransceiver * trans)
{
  gboolean nack;

  GST_OBJECT_LOCK (trans);
  /* Until the user chooses, video asks for retransmissions, whenever its
   * kind became known (a sink pad's transceiver learns it from caps). */
  nack = trans->do_nack_set ? trans->do_nack :
      trans->media->kind == RTC_MEDIA_KIND_VIDEO;
  GST_OBJECT_UNLOCK (trans);
  return nack;
}

RtcJsepMedia *
gst_rtc_rtp_transceiver_dup_media (GstRtcRtpTransceiver * trans)
{
  RtcJsepMedia *copy;

  GST_OBJECT_LOCK (trans);
  copy = rtc_jsep_media_copy (trans->media);
  GST_OBJECT_UNLOCK (trans);
  return copy;
}

void
gst_rtc_rtp_transceiver_update_media (GstRtcRtpTransceiver * trans,
    const RtcJsepMedia * media)
{
  gboolean mid_changed, mline_changed;
  RtcJsepMedia *copy = rtc_jsep_media_copy (media);
  RtcJsepMedia *old;

  GST_OBJECT_LOCK (trans);
  old = trans->media;
  mid_changed = g_strcmp0 (old->mid, copy->mid) != 0;
  mline_changed = old->mline != copy->mline;
  /* The user may have changed the direction or the stream (a sink pad's
   * msid) since the snapshot. */
  copy->direction = old->direction;
  g_free (copy->stream_id);
  copy->stream_id = g_strdup (old->stream_id);
  trans->media = copy;
  GST_OBJECT_UNLOCK (trans);
  rtc_jsep_media_free (old);

  if (mid_changed)
    g_object_notify_by_pspec (G_OBJECT (trans), properties[PROP_MID]);
  if (mline_changed)
    g_object_notify_by_pspec (G_OBJECT (trans), properties[PROP_MLINEINDEX]);
}

void
gst_rtc_rtp_transceiver_set_current_direction (GstRtcRtpTransceiver * trans,
    GstWebRTCRTPTransceiverDirection dir)
{
  gboolean changed;

  GST_OBJECT_LOCK (trans);
  changed = trans->current_direction != dir;
  trans->current_direction = dir;
  GST_OBJECT_UNLOCK (trans);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (trans),
        properties[PROP_CURRENT_DIRECTION]);
}
