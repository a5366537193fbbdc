/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/check/gstcheck.h>
#include <gst/webrtc/webrtc.h>
#include <gst/webrtc/sctptransport.h>
#include <gst/webrtc/ice.h>

#define VP8_CAPS "application/x-rtp,media=video,encoding-name=VP8," \
  "payload=96,clock-rate=90000"
#define OPUS_CAPS "application/x-rtp,media=audio,encoding-name=OPUS," \
  "payload=111,clock-rate=48000,encoding-params=(string)2"

/* The factory under test: "rtcpeerbin" or "webrtcbin". */
extern const gchar *factory;

GstElement *new_peer (void);
void        free_peer (GstElement * pc);
/* Waits for @promise (gst-check's timeout bounds the wait), unrefs it and
 * returns a copy of its reply, NULL for an empty one. */
GstStructure *await (GstPromise * promise);
GError     *reply_error (const GstStructure * reply);
/* @what: "create-offer" or "create-answer"; fails the test on error. */
GstWebRTCSessionDescription *create (GstElement * pc, const gchar * what);
/* @which: "set-local-description" or "set-remote-description"; returns
 * the error of the reply, NULL on success. */
GError     *set_description (GstElement * pc, const gchar * which,
                             GstWebRTCSessionDescription * desc);
GstWebRTCSignalingState signaling_state (GstElement * pc);
