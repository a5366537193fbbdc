/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The SCTP transport of webrtcbin's "sctp-transport" property
 * (RTCSctpTransport): state, max-message-size, max-channels. GStreamer
 * 1.22 keeps GstWebRTCSCTPTransport's structs private and its base class
 * leaves every property to the subclass, so the type is registered at run
 * time with the sizes g_type_query () gives, and the properties are
 * overridden here. It holds no copy of the association's state: reads go
 * to the bin (rtcpeersctp.c), which notifies when the association comes
 * up or goes. "transport" (the DTLS transport) is NULL: rtcpeerbin's DTLS
 * transports are not GstWebRTCDTLSTransport objects yet. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrtcsctptransport.h"

enum
{
  PROP_0,
  PROP_TRANSPORT,
  PROP_STATE,
  PROP_MAX_MESSAGE_SIZE,
  PROP_MAX_CHANNELS,
};

typedef struct
{
  GWeakRef owner;
  GstRtcSctpTransportQuery query;
} GstRtcSctpTransportPrivate;

static gint private_offset;

static GstRtcSctpTransportPrivate *
get_priv (gpointer self)
{
  return G_STRUCT_MEMBER_P (self, private_offset);
}

static GObjectClass *parent_class;

static void
read_info (gpointer self, GstRtcSctpTransportInfo * info)
{
  GstRtcSctpTransportPrivate *p = get_priv (self);
  GObject *owner = g_weak_ref_get (&p->owner);

  info->state = GST_WEBRTC_SCTP_TRANSPORT_STATE_CLOSED;
  info->max_message_size = 0;
  info->max_channels = 0;
  if (owner) {
    p->query (owner, info);
    g_object_unref (owner);
  }
}

static void
gst_rtc_sctp_transport_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstRtcSctpTransportInfo info;

  read_info (object, &info);
  switch (prop_id) {
    case PROP_TRANSPORT:
      g_value_set_object (value, NULL);
      break;
    case PROP_STATE:
      g_value_set_enum (value, info.state);
      break;
    case PROP_MAX_MESSAGE_SIZE:
      g_value_set_uint64 (value, info.max_message_size);
      break;
    case PROP_MAX_CHANNELS:
      g_value_set_uint (value, info.max_channels);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_rtc_sctp_transport_finalize (GObject * object)
{
  g_weak_ref_clear (&get_priv (object)->owner);
  parent_class->finalize (object);
}

static void
gst_rtc_sctp_transport_class_init (gpointer klass, gpointer data)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);

  parent_class = g_type_class_peek_parent (klass);
  g_type_class_adjust_private_offset (klass, &private_offset);
  gobject_class->get_property = gst_rtc_sctp_transport_get_property;
  gobject_class->finalize = gst_rtc_sctp_transport_finalize;
  g_object_class_override_property (gobject_class, PROP_TRANSPORT,
      "transport");
  g_object_class_override_property (gobject_class, PROP_STATE, "state");
  g_object_class_override_property (gobject_class, PROP_MAX_MESSAGE_SIZE,
      "max-message-size");
  g_object_class_override_property (gobject_class, PROP_MAX_CHANNELS,
      "max-channels");
}

static void
gst_rtc_sctp_transport_init (GTypeInstance * instance, gpointer klass)
{
  g_weak_ref_init (&get_priv (instance)->owner, NULL);
}

GType
gst_rtc_sctp_transport_get_type (void)
{
  static gsize type = 0;

  if (g_once_init_enter (&type)) {
    GType parent = GST_TYPE_WEBRTC_SCTP_TRANSPORT;
    GType t = G_TYPE_INVALID;
    GTypeQuery q;

    g_type_query (parent, &q);
    if (q.type == 0) {
      g_critical ("rtcpeer: GstWebRTCSCTPTransport is not registered");
    } else {
      t = g_type_register_static_simple (parent, "GstRtcSctpTransport",
          q.class_size, gst_rtc_sctp_transport_class_init, q.instance_size,
          gst_rtc_sctp_transport_init, G_TYPE_FLAG_FINAL);
      private_offset = g_type_add_instance_private (t,
          sizeof (GstRtcSctpTransportPrivate));
    }
    g_once_init_leave (&type, t);
  }
  return type;
}

GstWebRTCSCTPTransport *
gst_rtc_sctp_transport_new (GObject * owner, GstRtcSctpTransportQuery query)
{
  gpointer self = g_object_new (GST_TYPE_RTC_SCTP_TRANSPORT, NULL);
  GstRtcSctpTransportPrivate *p = get_priv (self);

  g_weak_ref_set (&p->owner, owner);
  p->query = query;
  return gst_object_ref_sink (self);
}

void
gst_rtc_sctp_transport_changed (GstWebRTCSCTPTransport * transport)
{
  g_object_notify (G_OBJECT (transport), "state");
  g_object_notify (G_OBJECT (transport), "max-message-size");
  g_object_notify (G_OBJECT (transport), "max-channels");
}
