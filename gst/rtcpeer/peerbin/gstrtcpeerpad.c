/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The pads of rtcpeerbin name their transceiver and, for src pads, the
 * remote MediaStream they belong to: the "transceiver" and "msid"
 * properties of webrtcbin's pads. */

#include "gstrtcpeerpad.h"

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

static void
gst_rtc_peer_pad_class_init (GstRtcPeerPadClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);

  gobject_class->finalize = gst_rtc_peer_pad_finalize;
  gobject_class->get_property = gst_rtc_peer_pad_get_property;

  g_object_class_install_property (gobject_class, PROP_TRANSCEIVER,
      g_param_spec_object ("transceiver", "Transceiver",
          "The transceiver this pad sends or receives for",
          GST_TYPE_RTC_RTP_TRANSCEIVER,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_MSID,
      g_param_spec_string ("msid", "MediaStream ID",
          "The remote MediaStream (a=msid) this src pad's track belongs to",
          NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
}

static void
gst_rtc_peer_pad_init (GstRtcPeerPad * self)
{
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
