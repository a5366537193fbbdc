/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The signaling-state machine of JSEP (RFC 8829 section 3.2) and
 * https://w3c.github.io/webrtc-pc/#rtcsignalingstate-enum as one pure
 * function, table-tested edge by edge in tests/unit/jsep/. */

#pragma once

#include <gst/webrtc/webrtc.h>

G_BEGIN_DECLS

typedef enum
{
  RTC_SDP_SOURCE_LOCAL,
  RTC_SDP_SOURCE_REMOTE,
} RtcSdpSource;

/* Returns TRUE and sets @next when setting a description of @type from
 * @source is legal in @current; otherwise an RTC_JSEP_ERROR_INVALID_STATE
 * error that names the state and the call (RTC_JSEP_ERROR_INVALID_SDP when
 * @type is not one of the four SDP types). @next may be NULL. */
gboolean rtc_jsep_next_signaling_state (GstWebRTCSignalingState current,
                                        RtcSdpSource source,
                                        GstWebRTCSDPType type,
                                        GstWebRTCSignalingState * next,
                                        GError ** error);

const gchar *rtc_sdp_source_to_string (RtcSdpSource source);
/* "stable", "have-local-offer", ... (the W3C names). */
const gchar *rtc_signaling_state_to_string (GstWebRTCSignalingState state);
/* "offer", "pranswer", "answer", "rollback"; NULL for other values. */
const gchar *rtc_sdp_type_to_string (GstWebRTCSDPType type);

G_END_DECLS
