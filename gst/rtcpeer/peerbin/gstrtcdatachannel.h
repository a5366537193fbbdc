/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gst/webrtc/webrtc.h>

#include "sctp/rtcdatachannels.h"

G_BEGIN_DECLS

/* A GstWebRTCDataChannel: GST_IS_WEBRTC_DATA_CHANNEL () holds and the
 * library's send/close functions reach the association. GStreamer does
 * not install the parent's structs, so the instance is opaque: its size is
 * only known at run time (see gstrtcdatachannel.c). */
typedef struct _GstRtcDataChannel GstRtcDataChannel;

#define GST_TYPE_RTC_DATA_CHANNEL (gst_rtc_data_channel_get_type ())
#define GST_RTC_DATA_CHANNEL(obj) (G_TYPE_CHECK_INSTANCE_CAST ((obj), \
    GST_TYPE_RTC_DATA_CHANNEL, GstRtcDataChannel))
#define GST_IS_RTC_DATA_CHANNEL(obj) (G_TYPE_CHECK_INSTANCE_TYPE ((obj), \
    GST_TYPE_RTC_DATA_CHANNEL))

/* G_TYPE_INVALID, with a critical saying why, when the installed
 * GStreamer's GstWebRTCDataChannelClass is not the layout this was built
 * for. */
GType gst_rtc_data_channel_get_type (void);

/* What a channel needs from the association that carries it. Both may be
 * called from any thread. */
typedef struct
{
  gboolean (*send) (gpointer owner, GstRtcDataChannel * channel,
      gboolean is_string, const guint8 * data, gsize len, GError ** error);
  void (*close) (gpointer owner, GstRtcDataChannel * channel);
} GstRtcDataChannelOwner;

/* Reads the RTCDataChannelInit of create-data-channel's options
 * (ordered, max-packet-lifetime, max-retransmits, protocol, negotiated,
 * id, priority) into @opts; strings are borrowed from @options. The core
 * checks the values when the channel is created. */
void gst_rtc_data_channel_options_from_structure (RtcDataChannelOptions * opts,
    const gchar * label, const GstStructure * options);

/* Wraps @core (a reference is taken); its user_data is left to the
 * owner. */
GstRtcDataChannel *gst_rtc_data_channel_new (RtcDataChannel * core,
    const GstRtcDataChannelOwner * owner, gpointer owner_data);
RtcDataChannel *gst_rtc_data_channel_get_core (GstRtcDataChannel * channel);

/* Called by the owner, never with its locks held: they emit signals. */
void gst_rtc_data_channel_set_id (GstRtcDataChannel * channel, gint id);
gint gst_rtc_data_channel_get_id (GstRtcDataChannel * channel);
void gst_rtc_data_channel_set_state (GstRtcDataChannel * channel,
    GstWebRTCDataChannelState state);
GstWebRTCDataChannelState gst_rtc_data_channel_get_state (GstRtcDataChannel *
    channel);
void gst_rtc_data_channel_deliver (GstRtcDataChannel * channel,
    gboolean is_string, GBytes * message);
void gst_rtc_data_channel_error (GstRtcDataChannel * channel,
    const GError * error);
/* The association's count of bytes queued for this channel changed. */
void gst_rtc_data_channel_set_buffered_amount (GstRtcDataChannel * channel,
    guint64 amount);
/* The association is gone: no more sends reach the owner. */
void gst_rtc_data_channel_detach (GstRtcDataChannel * channel);

G_END_DECLS
