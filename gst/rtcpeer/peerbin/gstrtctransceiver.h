/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gst/webrtc/webrtc.h>
#include "jsep/rtcjsep-media.h"

G_BEGIN_DECLS

/* A GstWebRTCRTPTransceiver (with its GstWebRTCRTPSender and
 * GstWebRTCRTPReceiver). GStreamer does not install the parent's structs,
 * so the instance is opaque (its size is known at run time, see
 * gstrtctransceiver.c) and our fields are its private data, reached with
 * RTC_TRANS_STATE (). */
typedef struct _GstRtcRtpTransceiver GstRtcRtpTransceiver;

#define GST_TYPE_RTC_RTP_TRANSCEIVER (gst_rtc_rtp_transceiver_get_type ())
#define GST_RTC_RTP_TRANSCEIVER(obj) (G_TYPE_CHECK_INSTANCE_CAST ((obj), \
    GST_TYPE_RTC_RTP_TRANSCEIVER, GstRtcRtpTransceiver))
#define GST_IS_RTC_RTP_TRANSCEIVER(obj) (G_TYPE_CHECK_INSTANCE_TYPE ((obj), \
    GST_TYPE_RTC_RTP_TRANSCEIVER))

/* G_TYPE_INVALID, with a critical saying why, when the installed
 * GStreamer's GstWebRTCRTPTransceiver class is not the size this was
 * built for. */
GType gst_rtc_rtp_transceiver_get_type (void);

typedef struct
{
  /* All fields are protected by the object lock; the peer bin changes
   * them only from its operations thread. */
  RtcJsepMedia *media;
  GstWebRTCRTPTransceiverDirection current_direction;
  GstCaps *codec_preferences;
  gboolean do_nack;
  gboolean do_nack_set;         /* the user set do_nack */
} GstRtcRtpTransceiverState;

extern gint gst_rtc_rtp_transceiver_private_offset;
#define RTC_TRANS_STATE(trans) ((GstRtcRtpTransceiverState *) \
    G_STRUCT_MEMBER_P ((trans), gst_rtc_rtp_transceiver_private_offset))

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
