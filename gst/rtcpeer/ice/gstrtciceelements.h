/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* rtcicesink and rtcicesrc: one ICE transport (a stream of an
 * RtcIceAgent) as a pair of elements. The agent is shared: each element
 * names it (the "agent" pointer) and its stream. */
#pragma once

#include <gst/gst.h>

#include "rtcice.h"

G_BEGIN_DECLS

#define GST_TYPE_RTC_ICE_SINK (gst_rtc_ice_sink_get_type ())
G_DECLARE_FINAL_TYPE (GstRtcIceSink, gst_rtc_ice_sink, GST, RTC_ICE_SINK,
    GstElement);
#define GST_TYPE_RTC_ICE_SRC (gst_rtc_ice_src_get_type ())
G_DECLARE_FINAL_TYPE (GstRtcIceSrc, gst_rtc_ice_src, GST, RTC_ICE_SRC,
    GstElement);

GST_ELEMENT_REGISTER_DECLARE (rtcicesink);
GST_ELEMENT_REGISTER_DECLARE (rtcicesrc);

/* One datagram of the source's stream, from the agent's on_receive
 * (network thread; @data is copied). Whoever created the agent routes
 * its on_receive by stream id to the stream's source. */
void gst_rtc_ice_src_receive (GstRtcIceSrc * self, const guint8 * data,
    gsize len);

G_END_DECLS
