/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The peer connection's aggregate states, as W3C webrtc-pc defines them
 * from the states of its ICE and DTLS transports:
 *   https://w3c.github.io/webrtc-pc/#dom-rtciceconnectionstate
 *   https://w3c.github.io/webrtc-pc/#dom-rtcpeerconnectionstate
 *   https://w3c.github.io/webrtc-pc/#dom-rtcicegatheringstate
 * Pure functions, tested row by row against those tables in
 * tests/unit/test-states.c. */

#pragma once

#include <gst/webrtc/webrtc.h>

#include "dtls/rtcdtls.h"

G_BEGIN_DECLS

/* One transport of the connection. */
typedef struct
{
  GstWebRTCICEConnectionState ice;
  RtcDtlsState dtls;
  /* ICE candidate gathering: not started, under way, complete. */
  GstWebRTCICEGatheringState gathering;
} RtcTransportStates;

GstWebRTCICEConnectionState  rtc_states_ice_connection (gboolean closed,
    const RtcTransportStates * transports, guint n);
GstWebRTCPeerConnectionState rtc_states_connection (gboolean closed,
    const RtcTransportStates * transports, guint n);
/* close() leaves the gathering state as it was (W3C), so no @closed. */
GstWebRTCICEGatheringState   rtc_states_gathering (
    const RtcTransportStates * transports, guint n);

G_END_DECLS
