/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Two peers in one pipeline, each of any factory (rtcpeerbin or
 * webrtcbin), sending VP8 and Opus and decoding what they receive. The
 * fixture signals between them (trickle ICE, offer from peer 0) and can
 * put a UDP relay between them that records every datagram on the wire.
 * Only 127.0.0.1 is ever used. */

#pragma once

#include <gst/check/gstcheck.h>
#include <gst/webrtc/webrtc.h>

typedef struct _CallRelay CallRelay;

typedef struct
{
  GstElement *pc;
  const gchar *factory;
  gint video_frames;            /* decoded, atomic */
  gint audio_buffers;           /* decoded, atomic */
  gint streams_added;           /* on-add-stream (rtcpeerbin only) */
  gint streams_removed;         /* on-remove-stream (rtcpeerbin only) */
  guint ice_states_seen;        /* bit per GstWebRTCICEConnectionState, atomic */
} CallPeer;

typedef struct
{
  GstElement *pipeline;
  CallPeer peer[2];
  CallRelay *relay;             /* NULL: candidates go straight across */
  GMutex lock;
  GCond cond;
  gchar *error;                 /* first error seen on the bus or in a reply */
  gboolean negotiated;
  /* Test hooks */
  void (*edit_answer) (GstWebRTCSessionDescription * answer);
  gboolean send_video, send_audio;
  GstWebRTCBundlePolicy bundle_policy; /* set on both peers; default none */
} Call;

/* @with_relay: candidates are rewritten to point at a relay that forwards
 * and records everything. */
Call       *call_new (const gchar * factory0, const gchar * factory1,
                      gboolean with_relay);
void        call_free (Call * call);
/* Plays the pipeline; peer 0 offers when it needs negotiation. */
void        call_start (Call * call);
/* Waits until both peers decoded at least @frames video frames and
 * @audio audio buffers, or the timeout passed. FALSE on timeout or error. */
gboolean    call_wait_media (Call * call, gint frames, gint audio,
                             guint timeout_s);
/* Waits until @pc's @property (an enum) equals @value. */
gboolean    call_wait_property (Call * call, GstElement * pc,
                                const gchar * property, gint value,
                                guint timeout_s);
/* Relay only: TRUE if @needle appears in any datagram seen so far. */
gboolean    call_relay_saw (Call * call, const guint8 * needle, gsize len);
guint64     call_relay_bytes (Call * call);
/* Relay only: sends @len bytes of @data from the relay to peer @i's ICE
 * port, as an attacker on the path would. */
void        call_relay_inject (Call * call, guint i, const guint8 * data,
                               gsize len);
/* "sha-256 AB:CD:..." of a PEM certificate, computed here with OpenSSL
 * as an independent check. */
gchar      *call_fingerprint_of_pem (const gchar * pem);
/* Relay only: drops this share of datagrams, both ways, from now on. */
void        call_relay_set_loss (Call * call, guint percent);
/* Relay only: stops forwarding (the network goes away). */
void        call_relay_cut (Call * call);
