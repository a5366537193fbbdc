/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrtcelements.h"
#include "rtcopenssl.h"
#include "ice/gstrtciceelements.h"
#include "peerbin/gstrtcdatachannel.h"
#include "peerbin/gstrtctransceiver.h"

static gboolean
plugin_init (GstPlugin * plugin)
{
  gboolean ret = FALSE;

  gst_rtc_openssl_init ();
  /* Subclasses of GstWebRTC types whose layout is checked at run time:
   * without them (a critical said why) there is no rtcpeerbin. */
  if (gst_rtc_data_channel_get_type () == G_TYPE_INVALID ||
      gst_rtc_rtp_transceiver_get_type () == G_TYPE_INVALID)
    return FALSE;
  ret |= GST_ELEMENT_REGISTER (rtcpeerbin, plugin);
  /* rtcpeerbin's sub-elements, registered so that they can be inspected
   * and tested alone (rank none: nothing plugs them automatically). */
  ret &= GST_ELEMENT_REGISTER (rtcdtlssrtpenc, plugin);
  ret &= GST_ELEMENT_REGISTER (rtcdtlssrtpdec, plugin);
  ret &= GST_ELEMENT_REGISTER (rtcicesink, plugin);
  ret &= GST_ELEMENT_REGISTER (rtcicesrc, plugin);

  return ret;
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, rtcpeer,
    "WebRTC peer connection (RTCPeerConnection as a GstBin)",
    plugin_init, VERSION, GST_LICENSE, GST_PACKAGE_NAME, GST_PACKAGE_ORIGIN)
