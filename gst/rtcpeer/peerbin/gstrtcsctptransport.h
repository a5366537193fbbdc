/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gst/webrtc/webrtc.h>
#include <gst/webrtc/sctptransport.h>

G_BEGIN_DECLS

/* rtcpeerbin's "sctp-transport": a GstWebRTCSCTPTransport (a run-time
 * subclass, as the parent's structs are not installed) that reads the
 * association through @query. */
typedef struct
{
  GstWebRTCSCTPTransportState state;
  guint64 max_message_size;
  guint max_channels;
} GstRtcSctpTransportInfo;

typedef void (*GstRtcSctpTransportQuery) (gpointer owner,
    GstRtcSctpTransportInfo * info);

#define GST_TYPE_RTC_SCTP_TRANSPORT (gst_rtc_sctp_transport_get_type ())

/* G_TYPE_INVALID, with a critical, if GStreamer's type is missing. */
GType gst_rtc_sctp_transport_get_type (void);

/* @owner is held by a weak reference: once it is gone the transport reads
 * "closed". */
GstWebRTCSCTPTransport *gst_rtc_sctp_transport_new (GObject * owner,
    GstRtcSctpTransportQuery query);
/* notify::state (and the sizes), from a thread without the owner's locks */
void gst_rtc_sctp_transport_changed (GstWebRTCSCTPTransport * transport);

G_END_DECLS
