/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Private to the ICE layer: the RtcIceAgent structure shared by rtcice.c
 * (API, construction, teardown), rtcice-events.c (libnice signals, event
 * delivery, W3C states, consent) and rtciceserver.c (STUN/TURN URIs,
 * ice-addresses, name resolution). */

#pragma once

#include "rtcice.h"

#include <nice/agent.h>
#include <gst/gst.h>

G_BEGIN_DECLS

G_GNUC_INTERNAL GST_DEBUG_CATEGORY_EXTERN (rtc_ice_debug);
#define GST_CAT_DEFAULT rtc_ice_debug

/* RFC 7675 section 5.1: consent checks every 4-6 s (randomised), so an
 * idle peer that is alive can be silent for 6 s + RTT; measured with two
 * libnice agents: 4.5 s flaps, 5 s is borderline (5.04 s gaps seen) */
#define DEFAULT_DISCONNECT_TIMEOUT_MS 7000
/* Ta, the pacing of connectivity checks (rtcice.c) */
#define STUN_PACING_MS 5
#define DEFAULT_SERVER_PORT 3478
#define MDNS_HINT "The remote browser hides its host addresses behind mDNS " \
  "names and this system has no mDNS resolver (nss-mdns/avahi); use a " \
  "STUN/TURN server so other candidates exist, or start Chromium with " \
  "--disable-features=WebRtcHideLocalIpsWithMdns"


typedef struct _RtcIceRoute RtcIceRoute;

/* rtciceroute.c: a selected UDP pair, for sending without libnice */
RtcIceRoute *rtc_ice_route_new (NiceAgent * agent, guint stream,
    NiceCandidate * local, NiceCandidate * remote);
RtcIceRoute *rtc_ice_route_ref (RtcIceRoute * route);
void         rtc_ice_route_unref (RtcIceRoute * route);
guint        rtc_ice_route_send (RtcIceRoute * route,
    const RtcDatagram * dgrams, guint n);

typedef struct
{
  gchar *desc;                  /* "turn://host:port", no credentials */
  gchar *host;
  guint port;
  gchar *user, *pass;
  gchar *ip;                    /* resolved address, NULL until known */
} RtcIceServer;

typedef struct
{
  RtcIceAgent *ice;
  guint id;
  NiceComponentState nice_state;
  GstWebRTCICEConnectionState state;    /* last reported */
  gboolean removed;
  gboolean gathered;            /* gather requested and started */
  gboolean gather_pending;      /* gather requested, waiting for lookups */
  gboolean local_done;
  gboolean remote_creds;
  gboolean remote_cands;
  gboolean eoc_requested, eoc_applied;
  guint pending_mdns;
  GSList *queued;               /* NiceCandidate*, waiting for credentials */
  gboolean got_relay;           /* a TURN server gave a candidate */
  gchar *sel_local, *sel_remote;
  RtcIceRoute *route;           /* direct sending, NULL: through libnice */
  gboolean disconnected;
  /* restarted while connected: W3C keeps it connected (the old pair still
   * carries the traffic) until the new checks end */
  gboolean restarting;
  gint64 last_rx;
  gint rx_seen;                 /* atomic: set by the receive path */
  GSList *probes;               /* network thread only: GSource* */
} RtcIceStream;

typedef enum
{
  EV_CANDIDATE, EV_GATHERING_DONE, EV_STATE, EV_SELECTED_PAIR, EV_ERROR
} RtcIceEventType;

typedef struct
{
  RtcIceEventType type;
  guint stream;
  gchar *s1, *s2;
  GstWebRTCICEConnectionState state;
  GError *error;
} RtcIceEvent;

struct _RtcIceAgent
{
  gint ref;
  GMainContext *context;
  RtcIceCallbacks cb;
  gpointer user_data;
  gboolean relay_only;
  guint min_port, max_port;
  guint disconnect_timeout_ms;
  GCancellable *cancellable;
  RtcIceServer *stun;
  GPtrArray *turn;              /* RtcIceServer* */

  GMutex lock;
  /* protects: agent, closing, streams, events, drain_source, tick_source,
   * pending_lookups, outstanding, inline_free, finished, done */
  GCond cond;
  NiceAgent *agent;
  gint closing;                 /* also read atomically while delivering */
  GHashTable *streams;          /* id -> RtcIceStream* */
  GQueue events;
  GSource *drain_source;
  GSource *tick_source;
  guint pending_lookups;        /* STUN/TURN names; gathering waits */
  guint outstanding;            /* async work teardown waits for */
  gboolean inline_free;         /* freed on the network thread */
  gboolean finished, done;
};

/* rtcice.c */
G_GNUC_INTERNAL RtcIceAgent *rtc_ice_ref (RtcIceAgent * ice);
G_GNUC_INTERNAL void rtc_ice_unref (RtcIceAgent * ice);
G_GNUC_INTERNAL RtcIceStream *rtc_ice_find_locked (RtcIceAgent * ice,
    guint id);
G_GNUC_INTERNAL NiceAgent *rtc_ice_get_agent (RtcIceAgent * ice, guint id,
    GError ** error);
G_GNUC_INTERNAL void rtc_ice_invoke (RtcIceAgent * ice, GSourceFunc func,
    gpointer data, GDestroyNotify notify);
G_GNUC_INTERNAL void rtc_ice_outstanding_done (RtcIceAgent * ice);
G_GNUC_INTERNAL gboolean rtc_ice_do_gather (RtcIceAgent * ice,
    NiceAgent * agent, guint id, GError ** error);
G_GNUC_INTERNAL void rtc_ice_apply_remote (RtcIceAgent * ice,
    NiceAgent * agent, guint id, NiceCandidate * c);
G_GNUC_INTERNAL void rtc_ice_maybe_apply_eoc (RtcIceAgent * ice,
    NiceAgent * agent, guint id);

/* rtcice-events.c; *_locked: ice->lock held */
G_GNUC_INTERNAL void rtc_ice_event_free (RtcIceEvent * ev);
G_GNUC_INTERNAL void rtc_ice_queue_locked (RtcIceAgent * ice,
    RtcIceEvent * ev);
G_GNUC_INTERNAL void rtc_ice_queue_error_locked (RtcIceAgent * ice,
    guint stream, gint code, const gchar * format, ...) G_GNUC_PRINTF (4, 5);
G_GNUC_INTERNAL void rtc_ice_update_state_locked (RtcIceAgent * ice,
    RtcIceStream * st);
G_GNUC_INTERNAL void rtc_ice_on_new_candidate (NiceAgent * agent,
    NiceCandidate * c, RtcIceAgent * ice);
G_GNUC_INTERNAL void rtc_ice_on_gathering_done (NiceAgent * agent,
    guint stream_id, RtcIceAgent * ice);
G_GNUC_INTERNAL void rtc_ice_on_component_state (NiceAgent * agent,
    guint stream_id, guint component_id, guint state, RtcIceAgent * ice);
G_GNUC_INTERNAL void rtc_ice_on_selected_pair (NiceAgent * agent,
    guint stream_id, guint component_id, NiceCandidate * local,
    NiceCandidate * remote, RtcIceAgent * ice);
G_GNUC_INTERNAL void rtc_ice_on_recv (NiceAgent * agent, guint stream_id,
    guint component_id, guint len, gchar * buf, gpointer data);
G_GNUC_INTERNAL void rtc_ice_disarm_probes (RtcIceStream * st);
G_GNUC_INTERNAL gboolean rtc_ice_tick (gpointer data);

/* rtciceserver.c */
G_GNUC_INTERNAL void rtc_ice_server_free (RtcIceServer * s);
G_GNUC_INTERNAL RtcIceServer *rtc_ice_parse_server (const gchar * uri,
    gboolean turn, GError ** error);
G_GNUC_INTERNAL gboolean rtc_ice_parse_addresses (const gchar * addresses,
    GSList ** out, GError ** error);
G_GNUC_INTERNAL void rtc_ice_lookup_locked (RtcIceAgent * ice,
    RtcIceServer * server, guint stream, const gchar * candidate,
    const gchar * host);

G_END_DECLS
