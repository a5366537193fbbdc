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
  /* sink pads taking encoded media (rtcpeerencode.c); object lock */
  gconstpointer encoded;        /* the codec's table entry, NULL: RTP */
  guint32 enc_ssrc;             /* the SSRC its payloader uses */
  GstElement *payloader;        /* owned, once linked */
  GstElement *pacer;            /* clocksync for a source not live */
  /* the payload type sent (atomic, -1: not negotiated yet), and for RTP
   * sink pads the one the upstream payloader uses */
  gint rewrite_to;
  gint rewrite_from;
  gulong rewrite_probe;
  gint upstream_live;           /* -1: not asked yet; streaming thread */
  /* rtcpeereos.c: EOS seen on this pad (atomic) */
  gint eos;
};

GstRtcPeerPad *gst_rtc_peer_pad_new (GstPadTemplate * templ,
    const gchar * name, GstRtcRtpTransceiver * transceiver);

G_END_DECLS
