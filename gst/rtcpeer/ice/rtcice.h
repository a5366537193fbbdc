/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* RtcIceAgent: the ICE layer of one peer connection, over one libnice
 * NiceAgent (RFC 8445 full agent, RFC 8838 trickle, RFC 7675 consent
 * freshness), one component per stream (rtcp-mux), UDP only.
 *
 * Threads
 * -------
 * - The agent lives on a network context from rtc_net_context_acquire()
 *   (an "rtc-net-N" thread shared with other peer connections). libnice
 *   timers, socket reads, name lookups and our consent timer run there.
 * - Every callback runs on that network thread, never inside a call into
 *   this API and never with an internal lock held, so a callback may call
 *   any rtc_ice_agent_*() function (including rtc_ice_agent_free() on its
 *   own agent). Callbacks other than on_receive are queued and delivered in
 *   order from an idle source; on_receive is called directly from the
 *   socket read, without copy, so media may be delivered before the
 *   on_state (connected) / on_selected_pair that announces the pair.
 * - The functions may be called from any thread. rtc_ice_agent_send() is
 *   meant for streaming threads: it takes one short lock and does not block.
 * - rtc_ice_agent_free() and rtc_ice_agent_remove_stream() wait for the
 *   network thread (unless called on it); do not call them on one network
 *   thread while that thread is itself being waited on by another.
 * - No other call on an agent may be in progress or made once
 *   rtc_ice_agent_free() has started (in particular stop rtc_ice_agent_send()
 *   first); after it returns no callback runs anymore.
 *
 * Traffic: the agent contacts only what it is told to: the configured
 * STUN/TURN servers and the remote candidates. No UPnP, no default STUN
 * server, no ICE-TCP, no mDNS announcements. Host names (STUN/TURN server,
 * remote "*.local" mDNS candidates) are resolved with the default
 * GResolver, i.e. through the system resolver (nsswitch).
 *
 * States: W3C RTCIceTransportState per stream
 * (https://w3c.github.io/webrtc-pc/#dom-rtcicetransportstate), reported as
 * the GstWebRTCICEConnectionState of the same name:
 *   new          no remote credentials + candidates yet
 *   checking     remote candidates known, checks running
 *   connected    a pair works (libnice CONNECTED/READY)
 *   completed    READY, local gathering done and remote end-of-candidates
 *   disconnected connected before, but nothing received for
 *                disconnect_timeout_ms; back to connected when packets
 *                resume
 *   failed       libnice failed the component: checks failed after remote
 *                end-of-candidates, or RFC 7675 consent expired (libnice
 *                0.1.21: ~10 s after the peer vanished from loopback; at
 *                most 30 s, not configurable)
 * "closed" is never reported: once rtc_ice_agent_free() or
 * rtc_ice_agent_remove_stream() is called no callback runs, so the caller
 * sets closed itself. */

#pragma once

#include <gio/gio.h>
#include <gst/webrtc/webrtc.h>

#include "rtcsendbatch.h"

G_BEGIN_DECLS

#define RTC_ICE_ERROR (rtc_ice_error_quark ())
GQuark rtc_ice_error_quark (void);

typedef enum
{
  RTC_ICE_ERROR_INVALID_CONFIG,       /* bad URI, port range, address */
  RTC_ICE_ERROR_UNSUPPORTED,          /* turns:, TURN over TCP, stuns: */
  RTC_ICE_ERROR_INVALID_CANDIDATE,    /* remote candidate not RFC 8839 */
  RTC_ICE_ERROR_INVALID_CREDENTIALS,  /* empty/oversized ufrag or pwd */
  RTC_ICE_ERROR_UNKNOWN_STREAM,
  RTC_ICE_ERROR_GATHER,               /* could not open local sockets */
  RTC_ICE_ERROR_RESOLVE,              /* on_error: STUN/TURN host name */
  RTC_ICE_ERROR_MDNS,                 /* on_error: "*.local" candidate */
  RTC_ICE_ERROR_TURN,                 /* on_error: no relayed candidate */
  RTC_ICE_ERROR_FAILED,               /* libnice refused the operation */
} RtcIceError;

typedef struct _RtcIceAgent RtcIceAgent;

typedef struct
{
  /* candidate: "candidate:..." (RTCIceCandidate.candidate, no "a=") */
  void (*on_candidate) (RtcIceAgent * ice, guint stream,
      const gchar * candidate, gpointer user_data);
  void (*on_gathering_done) (RtcIceAgent * ice, guint stream,
      gpointer user_data);
  void (*on_state) (RtcIceAgent * ice, guint stream,
      GstWebRTCICEConnectionState state, gpointer user_data);
  /* human readable, e.g. "udp 127.0.0.1:5000 host", "udp [::1]:5000 host" */
  void (*on_selected_pair) (RtcIceAgent * ice, guint stream,
      const gchar * local_desc, const gchar * remote_desc,
      gpointer user_data);
  /* network thread, straight from the socket read: no copy, do not keep
   * @data after returning */
  void (*on_receive) (RtcIceAgent * ice, guint stream, const guint8 * data,
      gsize len, gpointer user_data);
  /* something the user can act on and that does not stop the agent (an
   * mDNS name that cannot be resolved, a STUN/TURN host name that cannot,
   * no relayed candidate from the TURN servers: with several servers only
   * "none answered" is seen, libnice does not say which one gave a relay
   * candidate); @stream is 0 when it concerns the whole agent */
  void (*on_error) (RtcIceAgent * ice, guint stream, const GError * error,
      gpointer user_data);
} RtcIceCallbacks;

typedef struct
{
  /* "ice-addresses": comma-separated IP literals or interface names ("lo",
   * "127.0.0.1", "::1", "eth0"). NULL or "" = every non-loopback interface
   * (libnice's default); a loopback address is used when named. */
  const gchar *addresses;
  guint min_port, max_port;     /* local port range, 0 = any */
  /* "stun://host:port" (or W3C "stun:host:port"), NULL = none */
  const gchar *stun_server;
  /* NULL-terminated "turn://user:pass@host:port" (W3C "turn:" and
   * "?transport=udp" accepted); UDP only */
  const gchar *const *turn_servers;
  /* ice-transport-policy=relay: only relayed candidates are signalled and
   * used (libnice "force-relay") */
  gboolean relay_only;
  /* connected -> disconnected after this long without receiving anything
   * (media or STUN). 0 = 7000 ms: RFC 7675 consent checks come every 4-6 s
   * (randomised), so an idle but live peer may be quiet for 6 s + RTT and
   * anything below ~6 s flaps on idle connections. */
  guint disconnect_timeout_ms;
} RtcIceConfig;

RtcIceAgent  *rtc_ice_agent_new (const RtcIceConfig * cfg,
    const RtcIceCallbacks * cb, gpointer user_data, GError ** error);
/* Synchronous: closes the sockets (after giving TURN allocations back) and
 * returns once no callback can run anymore. NULL is ignored. */
void          rtc_ice_agent_free (RtcIceAgent * ice);

/* RFC 8445 section 6.1.1: the offerer is controlling */
void          rtc_ice_agent_set_controlling (RtcIceAgent * ice,
    gboolean controlling);

/* One component (rtcp-mux). Local ufrag/pwd are generated by libnice.
 * Returns the stream id (> 0), 0 on error. */
guint         rtc_ice_agent_add_stream (RtcIceAgent * ice, GError ** error);
/* Synchronous like rtc_ice_agent_free(): no callback for @stream once it
 * returns. */
void          rtc_ice_agent_remove_stream (RtcIceAgent * ice, guint stream);

void          rtc_ice_agent_get_local_credentials (RtcIceAgent * ice,
    guint stream, gchar ** ufrag, gchar ** pwd);
/* Replaces the credentials libnice generated (before gathering). */
gboolean      rtc_ice_agent_set_local_credentials (RtcIceAgent * ice,
    guint stream, const gchar * ufrag, const gchar * pwd);
gboolean      rtc_ice_agent_set_remote_credentials (RtcIceAgent * ice,
    guint stream, const gchar * ufrag, const gchar * pwd, GError ** error);

/* Trickle gathering (RFC 8838): candidates come through on_candidate, then
 * on_gathering_done. When STUN/TURN host names are still being resolved,
 * gathering starts once they are. */
gboolean      rtc_ice_agent_gather (RtcIceAgent * ice, guint stream,
    GError ** error);

/* @candidate: "candidate:..." with or without "a=". Candidates given before
 * the remote credentials are kept until they are set. "*.local" (mDNS)
 * addresses are resolved asynchronously; failure is reported via on_error.
 * TCP candidates and components other than 1 are ignored (TRUE). An empty
 * string means end-of-candidates. FALSE + @error when malformed. */
gboolean      rtc_ice_agent_add_remote_candidate (RtcIceAgent * ice,
    guint stream, const gchar * candidate, GError ** error);
/* The remote side signalled end-of-candidates (RFC 8838 section 8): lets
 * checks fail instead of waiting for more candidates forever. */
void          rtc_ice_agent_end_of_candidates (RtcIceAgent * ice,
    guint stream);

/* ICE restart (RFC 8445 section 9): new local credentials (@ufrag/@pwd,
 * or generated by libnice when NULL), remote credentials and candidates
 * forgotten until set again, state back to new/checking; the current
 * local candidates are signalled again (on_candidate, then
 * on_gathering_done) for the new generation, filtered by the relay-only
 * setting in force now. */
gboolean      rtc_ice_agent_restart (RtcIceAgent * ice, guint stream,
    const gchar * ufrag, const gchar * pwd, GError ** error);

/* ice-transport-policy changed on a live connection (W3C
 * setConfiguration): applies to the candidates signalled and paired from
 * the next gathering or restart on. */
void          rtc_ice_agent_set_relay_only (RtcIceAgent * ice,
    gboolean relay_only);

/* Any thread. FALSE when no pair is selected yet (or the send failed). */
gboolean      rtc_ice_agent_send (RtcIceAgent * ice, guint stream,
    const guint8 * data, gsize len);

/* Any thread: @n datagrams in order, in as few system calls as the kernel
 * allows on a direct UDP path. Returns how many went out; they stop at
 * the first one that does not (no pair, full socket buffer). */
guint         rtc_ice_agent_send_many (RtcIceAgent * ice, guint stream,
    const RtcDatagram * dgrams, guint n);
/* TRUE when the selected pair is sent on directly (a UDP socket of ours,
 * not a TURN relay): for tests and statistics. */
gboolean      rtc_ice_agent_sends_directly (RtcIceAgent * ice, guint stream);

GMainContext *rtc_ice_agent_get_context (RtcIceAgent * ice);
GstWebRTCICEConnectionState rtc_ice_agent_get_state (RtcIceAgent * ice,
    guint stream);
/* FALSE when no pair is selected; strings as in on_selected_pair */
gboolean      rtc_ice_agent_get_selected_pair (RtcIceAgent * ice,
    guint stream, gchar ** local_desc, gchar ** remote_desc);

G_END_DECLS
