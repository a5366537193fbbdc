/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gst/webrtc/webrtc.h>
#include <gst/webrtc/ice.h>

G_BEGIN_DECLS

/* The "ice-agent" of rtcpeerbin: a GstWebRTCICE whose settings are the
 * bin's ICE configuration (see gstrtcwebrtcice.c). */
#define GST_TYPE_RTC_WEBRTC_ICE (gst_rtc_webrtc_ice_get_type ())
G_DECLARE_FINAL_TYPE (GstRtcWebRTCIce, gst_rtc_webrtc_ice, GST,
    RTC_WEBRTC_ICE, GstWebRTCICE);

/* @bin: the rtcpeerbin whose ICE configuration the agent reads and
 * writes; not referenced (the bin owns the agent). */
GstWebRTCICE *gst_rtc_webrtc_ice_new (GstElement * bin);

G_END_DECLS
