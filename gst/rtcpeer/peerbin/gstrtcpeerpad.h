/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include "gstrtctransceiver.h"

G_BEGIN_DECLS

#define GST_TYPE_RTC_PEER_PAD (gst_rtc_peer_pad_get_type ())
G_DECLARE_FINAL_TYPE (GstRtcPeerPad, gst_rtc_peer_pad, GST, RTC_PEER_PAD,
    GstGhostPad);

struct _GstRtcPeerPad
{
  GstGhostPad parent;

  GstRtcRtpTransceiver *transceiver;    /* owned */
  gchar *msid;                  /* MediaStream id: remote (src pads) or
                                 * local (sink pads); object lock */
  gulong drop_probe;            /* sink pads without a transport yet */
  guint32 ssrc;                 /* src pads: the remote SSRC */
};

GstRtcPeerPad *gst_rtc_peer_pad_new (GstPadTemplate * templ,
    const gchar * name, GstRtcRtpTransceiver * transceiver);

G_END_DECLS
