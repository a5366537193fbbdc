/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "rtcstates.h"

/* Each function walks the W3C table top to bottom: the first row whose
 * condition holds is the state. A transport in "closed" counts for the
 * rows that name it (a stopped transport must not hold the connection in
 * "connecting"). */

GstWebRTCICEConnectionState
rtc_states_ice_connection (gboolean closed,
    const RtcTransportStates * t, guint n)
{
  guint i, n_new_or_closed = 0, n_completed_or_closed = 0;
  gboolean any_failed = FALSE, any_disconnected = FALSE;
  gboolean any_new_or_checking = FALSE;

  if (closed)
    return GST_WEBRTC_ICE_CONNECTION_STATE_CLOSED;
  for (i = 0; i < n; i++) {
    switch (t[i].ice) {
      case GST_WEBRTC_ICE_CONNECTION_STATE_FAILED:
        any_failed = TRUE;
        break;
      case GST_WEBRTC_ICE_CONNECTION_STATE_DISCONNECTED:
        any_disconnected = TRUE;
        break;
      case GST_WEBRTC_ICE_CONNECTION_STATE_NEW:
        n_new_or_closed++;
        any_new_or_checking = TRUE;
        break;
      case GST_WEBRTC_ICE_CONNECTION_STATE_CHECKING:
        any_new_or_checking = TRUE;
        break;
      case GST_WEBRTC_ICE_CONNECTION_STATE_COMPLETED:
        n_completed_or_closed++;
        break;
      case GST_WEBRTC_ICE_CONNECTION_STATE_CLOSED:
        n_new_or_closed++;
        n_completed_or_closed++;
        break;
      default:
        break;
    }
  }
  if (any_failed)
    return GST_WEBRTC_ICE_CONNECTION_STATE_FAILED;
  if (any_disconnected)
    return GST_WEBRTC_ICE_CONNECTION_STATE_DISCONNECTED;
  if (n_new_or_closed == n)
    return GST_WEBRTC_ICE_CONNECTION_STATE_NEW;
  if (any_new_or_checking)
    return GST_WEBRTC_ICE_CONNECTION_STATE_CHECKING;
  if (n_completed_or_closed == n)
    return GST_WEBRTC_ICE_CONNECTION_STATE_COMPLETED;
  return GST_WEBRTC_ICE_CONNECTION_STATE_CONNECTED;
}

GstWebRTCPeerConnectionState
rtc_states_connection (gboolean closed, const RtcTransportStates * t, guint n)
{
  guint i;
  gboolean any_failed = FALSE, any_disconnected = FALSE;
  gboolean all_new_or_closed = TRUE, any_connecting = FALSE;

  if (closed)
    return GST_WEBRTC_PEER_CONNECTION_STATE_CLOSED;
  for (i = 0; i < n; i++) {
    GstWebRTCICEConnectionState ice = t[i].ice;
    RtcDtlsState dtls = t[i].dtls;

    if (ice == GST_WEBRTC_ICE_CONNECTION_STATE_FAILED ||
        dtls == RTC_DTLS_STATE_FAILED)
      any_failed = TRUE;
    if (ice == GST_WEBRTC_ICE_CONNECTION_STATE_DISCONNECTED)
      any_disconnected = TRUE;
    if ((ice != GST_WEBRTC_ICE_CONNECTION_STATE_NEW &&
            ice != GST_WEBRTC_ICE_CONNECTION_STATE_CLOSED) ||
        (dtls != RTC_DTLS_STATE_NEW && dtls != RTC_DTLS_STATE_CLOSED))
      all_new_or_closed = FALSE;
    if (ice == GST_WEBRTC_ICE_CONNECTION_STATE_NEW ||
        ice == GST_WEBRTC_ICE_CONNECTION_STATE_CHECKING ||
        dtls == RTC_DTLS_STATE_NEW || dtls == RTC_DTLS_STATE_CONNECTING)
      any_connecting = TRUE;
  }
  if (any_failed)
    return GST_WEBRTC_PEER_CONNECTION_STATE_FAILED;
  if (any_disconnected)
    return GST_WEBRTC_PEER_CONNECTION_STATE_DISCONNECTED;
  if (all_new_or_closed)
    return GST_WEBRTC_PEER_CONNECTION_STATE_NEW;
  if (any_connecting)
    return GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTING;
  return GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTED;
}

GstWebRTCICEGatheringState
rtc_states_gathering (const RtcTransportStates * t, guint n)
{
  guint i;
  gboolean any_gathering = FALSE, all_complete = n > 0;

  for (i = 0; i < n; i++) {
    if (t[i].gathering == GST_WEBRTC_ICE_GATHERING_STATE_GATHERING)
      any_gathering = TRUE;
    if (t[i].gathering != GST_WEBRTC_ICE_GATHERING_STATE_COMPLETE)
      all_complete = FALSE;
  }
  if (any_gathering)
    return GST_WEBRTC_ICE_GATHERING_STATE_GATHERING;
  if (all_complete)
    return GST_WEBRTC_ICE_GATHERING_STATE_COMPLETE;
  return GST_WEBRTC_ICE_GATHERING_STATE_NEW;
}
