/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gst/webrtc/webrtc.h>
#include "jsep/rtcjsep-media.h"

G_BEGIN_DECLS

#define GST_TYPE_RTC_RTP_TRANSCEIVER (gst_rtc_rtp_transceiver_get_type ())
G_DECLARE_FINAL_TYPE (GstRtcRtpTransceiver, gst_rtc_rtp_transceiver,
    GST, RTC_RTP_TRANSCEIVER, GstObject);

struct _GstRtcRtpTransceiver
{
  GstObject parent;

  /* All fields below are protected by the object lock; the peer bin
   * changes them only from its operations thread. */
  RtcJsepMedia *media;
  GstWebRTCRTPTransceiverDirection current_direction;
  GstCaps *codec_preferences;
  gboolean do_nack;
  gboolean do_nack_set;         /* the user set do_nack */
};

GstRtcRtpTransceiver *gst_rtc_rtp_transceiver_new (RtcJsepMedia * media);

/* Snapshot of the JSEP model for the operations thread (copy). */
RtcJsepMedia *gst_rtc_rtp_transceiver_dup_media (GstRtcRtpTransceiver * trans);
/* Takes the result of an offer/answer back (mid, mline, codecs...). */
void          gst_rtc_rtp_transceiver_update_media (GstRtcRtpTransceiver * trans,
                                                    const RtcJsepMedia * media);
/* Whether its jitterbuffers ask for retransmissions (RFC 4585 NACK). */
gboolean      gst_rtc_rtp_transceiver_get_do_nack (GstRtcRtpTransceiver * trans);
void          gst_rtc_rtp_transceiver_set_current_direction (GstRtcRtpTransceiver * trans,
                                                    GstWebRTCRTPTransceiverDirection dir);

G_END_DECLS
