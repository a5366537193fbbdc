/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The pads of rtcpeerbin name their transceiver and their MediaStream:
 * the "transceiver" and "msid" properties of webrtcbin's pads. On a src
 * pad msid is the remote stream the track belongs to; on a sink pad the
 * application sets the stream its track goes out in (W3C
 * RTCRtpSender.setStreams), written as a=msid in the next description. */

#include <string.h>

#include "gstrtcpeerpad.h"
#include "gstrtcpeerbin.h"

enum
{
  PROP_0,
  PROP_TRANSCEIVER,
  PROP_MSID,
};

G_DEFINE_TYPE (GstRtcPeerPad, gst_rtc_peer_pad, GST_TYPE_GHOST_PAD);

static void
gst_rtc_peer_pad_finalize (GObject * object)
{
  GstRtcPeerPad *self = GST_RTC_PEER_PAD (object);

  gst_clear_object (&self->transceiver);
  gst_clear_object (&self->payloader);
  gst_clear_object (&self->pacer);
  g_free (self->msid);
  G_OBJECT_CLASS (gst_rtc_peer_pad_parent_class)->finalize (object);
}

static void
gst_rtc_peer_pad_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstRtcPeerPad *self = GST_RTC_PEER_PAD (object);

  switch (prop_id) {
    case PROP_TRANSCEIVER:
      g_value_set_object (value, self->transceiver);
      break;
    case PROP_MSID:
      GST_OBJECT_LOCK (self);
      g_value_set_string (value, self->msid);
      GST_OBJECT_UNLOCK (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

/* RFC 8830 section 2: the stream id is a token of 1 to 64 characters
 * from the token-char set of RFC 4566 (no spaces, which would split the
 * a=msid value). */
static gboolean
valid_stream_id (const gchar * id)
{
  static const gchar extra[] = "!#$%&'*+-.^_`{|}~";
  gsize len = strlen (id), i;

  if (len == 0 || len > 64)
    return FALSE;
  for (i = 0; i < len; i++) {
    if (!g_ascii_isalnum (id[i]) && !strchr (extra, id[i]))
      return FALSE;
  }
  return TRUE;
}

static void
set_msid (GstRtcPeerPad * self, const gchar * msid)
{
  GstObject *parent;
  gboolean changed;

  if (GST_PAD_DIRECTION (self) != GST_PAD_SINK) {
    GST_WARNING_OBJECT (self, "msid of a src pad is the remote stream's; "
        "it cannot be set");
    return;
  }
  if (msid && !valid_stream_id (msid)) {
    GST_WARNING_OBJECT (self, "'%s' is not a MediaStream id (1 to 64 token "
        "characters, RFC 8830): ignored", msid);
    return;
  }
  GST_OBJECT_LOCK (self);
  changed = g_strcmp0 (self->msid, msid) != 0;
  g_free (self->msid);
  self->msid = g_strdup (msid);
  GST_OBJECT_UNLOCK (self);
  if (!changed || !self->transceiver)
    return;
  GST_OBJECT_LOCK (self->transceiver);
  g_free (RTC_TRANS_STATE (self->transceiver)->media->stream_id);
  RTC_TRANS_STATE (self->transceiver)->media->stream_id = g_strdup (msid);
  GST_OBJECT_UNLOCK (self->transceiver);
  /* The remote learns of the new stream in a new offer. */
  parent = gst_object_get_parent (GST_OBJECT (self));
  if (parent && GST_IS_RTC_PEER_BIN (parent))
    gst_rtc_peer_bin_update_negotiation_needed (GST_RTC_PEER_BIN (parent));
  gst_clear_object (&parent);
}

static void
gst_rtc_peer_pad_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstRtcPeerPad *self = GST_RTC_PEER_PAD (object);

  switch (prop_id) {
    case PROP_MSID:
      set_msid (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_rtc_peer_pad_class_init (GstRtcPeerPadClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);

  gobject_class->finalize = gst_rtc_peer_pad_finalize;
  gobject_class->get_property = gst_rtc_peer_pad_get_property;
  gobject_class->set_property = gst_rtc_peer_pad_set_property;

  g_object_class_install_property (gobject_class, PROP_TRANSCEIVER,
      g_param_spec_object ("transceiver", "Transceiver",
          "The transceiver this pad sends or receives for",
          GST_TYPE_WEBRTC_RTP_TRANSCEIVER,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  /**
   * GstRtcPeerPad:msid:
   *
   * Src pads: the remote MediaStream (a=msid) the track belongs to. Sink
   * pads: the MediaStream the track is sent in (NULL: the one stream all
   * of the bin's tracks share unless they name another, so that a browser
   * plays them in sync); changing it asks for a renegotiation. Several
   * sink pads may share one stream id, as a camera and a microphone
   * usually do.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, PROP_MSID,
      g_param_spec_string ("msid", "MediaStream ID",
          "Src pads: the remote MediaStream (a=msid) the track belongs to. "
          "Sink pads: the local MediaStream the track is sent in (NULL: the "
          "bin's own stream)", NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
}

static void
gst_rtc_peer_pad_init (GstRtcPeerPad * self)
{
  self->rewrite_to = -1;
  self->rewrite_from = -1;
  self->upstream_live = -1;
}

GstRtcPeerPad *
gst_rtc_peer_pad_new (GstPadTemplate * templ, const gchar * name,
    GstRtcRtpTransceiver * transceiver)
{
  GstRtcPeerPad *pad;

  pad = g_object_new (GST_TYPE_RTC_PEER_PAD, "name", name, "direction",
      templ->direction, "template", templ, NULL);
  pad->transceiver = transceiver ? gst_object_ref (transceiver) : NULL;
  return pad;
}
