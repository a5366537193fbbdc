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
#include <gst/webrtc/sctptransport.h>
#include <gst/webrtc/ice.h>

typedef struct _CallRelay CallRelay;

/* One src pad of a peer (a remote track) and what was decoded from it. */
typedef struct
{
  gchar *pad_name;
  gchar *msid;                  /* the pad's "msid", NULL if none */
  guint mline;                  /* its transceiver's mlineindex */
  gboolean video;               /* set once decodebin found the media */
  gint frames;                  /* decoded buffers, atomic */
  gint eos;                     /* EOS reached the decoder, atomic */
} CallTrack;

typedef struct
{
  GstElement *pc;
  const gchar *factory;
  gint video_frames;            /* decoded, atomic */
  gint audio_buffers;           /* decoded, atomic */
  gint streams_added;           /* on-add-stream (rtcpeerbin only) */
  gint streams_removed;         /* on-remove-stream (rtcpeerbin only) */
  guint ice_states_seen;        /* bit per GstWebRTCICEConnectionState, atomic */
  gint negotiation_needed;      /* on-negotiation-needed, atomic */
  GPtrArray *tracks;            /* CallTrack, in pad-added order; call->lock */
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
  /* applied to the offer after the offerer set it, before the answerer */
  void (*edit_offer) (GstWebRTCSessionDescription * offer);
  gboolean send_video, send_audio;
  GstWebRTCBundlePolicy bundle_policy; /* set on both peers; default none */
  const gchar *stream_id;       /* msid of call_start's senders; NULL: none */
  /* the last negotiation's descriptions as sent; call->lock */
  GstWebRTCSessionDescription *last_offer, *last_answer;
  guint last_offerer;           /* the peer that sent last_offer */
  /* given to create-offer by call_negotiate (NULL: none); the test's */
  GstStructure *offer_options;
} Call;

/* @with_relay: candidates are rewritten to point at a relay that forwards
 * and records everything. */
Call       *call_new (const gchar * factory0, const gchar * factory1,
                      gboolean with_relay);
void        call_free (Call * call);
/* Plays the pipeline; peer 0 offers when it needs negotiation. */
void        call_start (Call * call);
/* One offer/answer round with peer @offerer offering. FALSE on error
 * (call->error says which step). */
gboolean    call_negotiate (Call * call, guint offerer);
/* Links a new live VP8 (@video) or Opus source to a new sink pad of peer
 * @i while the pipeline plays; @msid, when set, is the pad's stream.
 * Returns the sink pad (owned). */
GstPad     *call_add_sender (Call * call, guint i, gboolean video,
                             const gchar * msid);
/* The same with a bin of the test's own (floating, taken; one "src"
 * ghost pad). */
GstPad     *call_add_sender_bin (Call * call, guint i, GstElement * bin,
                                 const gchar * msid);
/* Waits until peer @i's on-negotiation-needed count is above @count. */
gboolean    call_wait_negotiation_needed (Call * call, guint i, gint count,
                                          guint timeout_s);
/* Waits until peer @i has at least @n tracks (src pads) and each of them
 * decoded at least @frames buffers. */
gboolean    call_wait_tracks (Call * call, guint i, guint n, gint frames,
                              guint timeout_s);
/* Waits until track @idx of peer @i decoded at least @frames buffers. */
gboolean    call_wait_track_frames (Call * call, guint i, guint idx,
                                    gint frames, guint timeout_s);
/* Waits until @pad has caps (a payloader's first buffer is on its way). */
gboolean    call_wait_caps (Call * call, GstPad * pad, guint timeout_s);
/* Number of tracks of peer @i, and a copy of track @idx (g_free the
 * strings with call_track_clear). */
guint       call_n_tracks (Call * call, guint i);
void        call_get_track (Call * call, guint i, guint idx, CallTrack * out);
void        call_track_clear (CallTrack * track);
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
/* Relay only: datagrams seen so far that carry a DTLS handshake record
 * (content type 22, RFC 6347): a new handshake adds to it. */
guint       call_relay_dtls_handshakes (Call * call);
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
