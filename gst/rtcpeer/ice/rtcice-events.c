/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* libnice signals -> queued events -> callbacks on the network thread, the
 * W3C RTCIceTransportState of each stream, and the "disconnected" watch
 * (RFC 7675 consent: see the overview in rtcice.c). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "rtcice-private.h"

#include <sys/socket.h>
#include <netinet/in.h>

void
rtc_ice_event_free (RtcIceEvent * ev)
{
  g_free (ev->s1);
  g_free (ev->s2);
  g_clear_error (&ev->error);
  g_free (ev);
}

static gboolean
rtc_ice_drain (gpointer data)
{
  RtcIceAgent *ice = data;
  GQueue q = G_QUEUE_INIT;
  RtcIceEvent *ev;

  g_mutex_lock (&ice->lock);
  q = ice->events;
  g_queue_init (&ice->events);
  g_clear_pointer (&ice->drain_source, g_source_unref);
  g_mutex_unlock (&ice->lock);

  while ((ev = g_queue_pop_head (&q))) {
    gboolean live;

    /* a callback may free the agent or remove the stream */
    g_mutex_lock (&ice->lock);
    live = !ice->closing && (ev->stream == 0
        || rtc_ice_find_locked (ice, ev->stream));
    g_mutex_unlock (&ice->lock);
    if (live) {
      switch (ev->type) {
        case EV_CANDIDATE:
          if (ice->cb.on_candidate)
            ice->cb.on_candidate (ice, ev->stream, ev->s1, ice->user_data);
          break;
        case EV_GATHERING_DONE:
          if (ice->cb.on_gathering_done)
            ice->cb.on_gathering_done (ice, ev->stream, ice->user_data);
          break;
        case EV_STATE:
          if (ice->cb.on_state)
            ice->cb.on_state (ice, ev->stream, ev->state, ice->user_data);
          break;
        case EV_SELECTED_PAIR:
          if (ice->cb.on_selected_pair)
            ice->cb.on_selected_pair (ice, ev->stream, ev->s1, ev->s2,
                ice->user_data);
          break;
        case EV_ERROR:
          if (ice->cb.on_error)
            ice->cb.on_error (ice, ev->stream, ev->error, ice->user_data);
          break;
      }
    }
    rtc_ice_event_free (ev);
  }
  return G_SOURCE_REMOVE;
}

void
rtc_ice_queue_locked (RtcIceAgent * ice, RtcIceEvent * ev)
{
  if (ice->closing) {
    rtc_ice_event_free (ev);
    return;
  }
  g_queue_push_tail (&ice->events, ev);
  if (!ice->drain_source) {
    ice->drain_source = g_idle_source_new ();
    g_source_set_priority (ice->drain_source, G_PRIORITY_DEFAULT);
    g_source_set_callback (ice->drain_source, rtc_ice_drain,
        rtc_ice_ref (ice), (GDestroyNotify) rtc_ice_unref);
    g_source_attach (ice->drain_source, ice->context);
  }
}

void
rtc_ice_queue_error_locked (RtcIceAgent * ice, guint stream, gint code,
    const gchar * format, ...)
{
  RtcIceEvent *ev = g_new0 (RtcIceEvent, 1);
  va_list args;

  va_start (args, format);
  ev->type = EV_ERROR;
  ev->stream = stream;
  ev->error = g_error_new_valist (RTC_ICE_ERROR, code, format, args);
  va_end (args);
  GST_WARNING ("stream %u: %s", stream, ev->error->message);
  rtc_ice_queue_locked (ice, ev);
}

/* W3C RTCIceTransportState from what libnice and the signalling told us */
static GstWebRTCICEConnectionState
rtc_ice_compute_state (RtcIceStream * st)
{
  /* https://w3c.github.io/webrtc-pc/#dom-rtcicetransportstate: a restart
   * begun in connected or completed goes to connected, not back to
   * checking, while libnice starts over */
  if (st->restarting && st->nice_state != NICE_COMPONENT_STATE_FAILED
      && st->nice_state != NICE_COMPONENT_STATE_CONNECTED
      && st->nice_state != NICE_COMPONENT_STATE_READY)
    return GST_WEBRTC_ICE_CONNECTION_STATE_CONNECTED;
  st->restarting = FALSE;
  switch (st->nice_state) {
    case NICE_COMPONENT_STATE_FAILED:
      return GST_WEBRTC_ICE_CONNECTION_STATE_FAILED;
    case NICE_COMPONENT_STATE_CONNECTED:
    case NICE_COMPONENT_STATE_READY:
      if (st->disconnected)
        return GST_WEBRTC_ICE_CONNECTION_STATE_DISCONNECTED;
      if (st->nice_state == NICE_COMPONENT_STATE_READY && st->eoc_applied
          && st->local_done)
        return GST_WEBRTC_ICE_CONNECTION_STATE_COMPLETED;
      return GST_WEBRTC_ICE_CONNECTION_STATE_CONNECTED;
    case NICE_COMPONENT_STATE_CONNECTING:
      /* includes checks started by a peer-reflexive remote (W3C) */
      return GST_WEBRTC_ICE_CONNECTION_STATE_CHECKING;
    default:
      if (st->remote_creds && st->remote_cands)
        return GST_WEBRTC_ICE_CONNECTION_STATE_CHECKING;
      return GST_WEBRTC_ICE_CONNECTION_STATE_NEW;
  }
}

void
rtc_ice_update_state_locked (RtcIceAgent * ice, RtcIceStream * st)
{
  GstWebRTCICEConnectionState state = rtc_ice_compute_state (st);
  RtcIceEvent *ev;

  if (state == st->state)
    return;
  /* A connection whose consent expires (RFC 7675) was lost before it was
   * given up: say disconnected first, as W3C orders the two, even when
   * libnice's consent timer beats our silence timer. */
  if (state == GST_WEBRTC_ICE_CONNECTION_STATE_FAILED &&
      (st->state == GST_WEBRTC_ICE_CONNECTION_STATE_CONNECTED ||
          st->state == GST_WEBRTC_ICE_CONNECTION_STATE_COMPLETED)) {
    ev = g_new0 (RtcIceEvent, 1);
    ev->type = EV_STATE;
    ev->stream = st->id;
    ev->state = GST_WEBRTC_ICE_CONNECTION_STATE_DISCONNECTED;
    rtc_ice_queue_locked (ice, ev);
  }
  GST_DEBUG ("stream %u: ICE state %d -> %d", st->id, st->state, state);
  st->state = state;
  ev = g_new0 (RtcIceEvent, 1);
  ev->type = EV_STATE;
  ev->stream = st->id;
  ev->state = state;
  rtc_ice_queue_locked (ice, ev);
}

static gchar *
rtc_ice_describe (const NiceCandidate * c)
{
  gchar ip[NICE_ADDRESS_STRING_LEN];
  gboolean v6 = nice_address_ip_version (&c->addr) == 6;

  nice_address_to_string (&c->addr, ip);
  return g_strdup_printf ("%s %s%s%s:%u %s",
      c->transport == NICE_CANDIDATE_TRANSPORT_UDP ? "udp" : "tcp",
      v6 ? "[" : "", ip, v6 ? "]" : "", nice_address_get_port (&c->addr),
      nice_candidate_type_to_string (c->type));
}

/* ---------------------------------------------------------------------- */
/* libnice signal handlers: any thread, libnice lock released */

void
rtc_ice_on_new_candidate (NiceAgent * agent, NiceCandidate * c,
    RtcIceAgent * ice)
{
  RtcIceStream *st;
  RtcIceEvent *ev;
  gchar *sdp;

  if (c->component_id != 1 || c->transport != NICE_CANDIDATE_TRANSPORT_UDP)
    return;
  if (c->type != NICE_CANDIDATE_TYPE_RELAYED
      && g_atomic_int_get (&ice->relay_only))
    return;                     /* ice-transport-policy=relay */

  sdp = nice_agent_generate_local_candidate_sdp (agent, c);
  g_mutex_lock (&ice->lock);
  st = rtc_ice_find_locked (ice, c->stream_id);
  if (st && sdp && g_str_has_prefix (sdp, "a=")) {
    /* nice_candidate_relay_address() cannot say which server: the
     * signal's boxed copy of the candidate has no TURN reference */
    if (c->type == NICE_CANDIDATE_TYPE_RELAYED)
      st->got_relay = TRUE;
    ev = g_new0 (RtcIceEvent, 1);
    ev->type = EV_CANDIDATE;
    ev->stream = st->id;
    ev->s1 = g_strdup (sdp + 2);
    GST_DEBUG ("stream %u: local %s", st->id, ev->s1);
    rtc_ice_queue_locked (ice, ev);
  }
  g_mutex_unlock (&ice->lock);
  g_free (sdp);
}

void
rtc_ice_on_gathering_done (NiceAgent * agent, guint stream_id,
    RtcIceAgent * ice)
{
  RtcIceStream *st;
  RtcIceEvent *ev;
  guint i;

  g_mutex_lock (&ice->lock);
  st = rtc_ice_find_locked (ice, stream_id);
  if (st) {
    st->local_done = TRUE;
    if (!st->got_relay) {
      GString *names = g_string_new (NULL);

      /* unresolved servers were reported already */
      for (i = 0; i < ice->turn->len; i++) {
        RtcIceServer *s = g_ptr_array_index (ice->turn, i);

        if (s->ip)
          g_string_append_printf (names, "%s%s", names->len ? ", " : "",
              s->desc);
      }
      if (names->len > 0)
        rtc_ice_queue_error_locked (ice, stream_id, RTC_ICE_ERROR_TURN,
            "No relayed candidate from TURN server %s: it did not answer "
            "or refused the credentials. Check the address, the port, the "
            "username/password and that it serves TURN over UDP", names->str);
      g_string_free (names, TRUE);
    }
    ev = g_new0 (RtcIceEvent, 1);
    ev->type = EV_GATHERING_DONE;
    ev->stream = stream_id;
    rtc_ice_queue_locked (ice, ev);
    rtc_ice_update_state_locked (ice, st);
  }
  g_mutex_unlock (&ice->lock);
}

void
rtc_ice_on_component_state (NiceAgent * agent, guint stream_id,
    guint component_id, guint state, RtcIceAgent * ice)
{
  RtcIceStream *st;
  RtcIceRoute *route = NULL;

  GST_DEBUG ("stream %u: libnice %s", stream_id,
      nice_component_state_to_string (state));
  g_mutex_lock (&ice->lock);
  st = rtc_ice_find_locked (ice, stream_id);
  if (st && component_id == 1) {
    gboolean was_up = st->nice_state == NICE_COMPONENT_STATE_CONNECTED
        || st->nice_state == NICE_COMPONENT_STATE_READY;

    st->nice_state = state;
    /* RFC 7675: no consent, no sending; libnice also forgets the pair */
    if (state == NICE_COMPONENT_STATE_FAILED)
      route = g_steal_pointer (&st->route);
    if (!was_up && (state == NICE_COMPONENT_STATE_CONNECTED
            || state == NICE_COMPONENT_STATE_READY)) {
      st->last_rx = g_get_monotonic_time ();
      st->disconnected = FALSE;
    }
    rtc_ice_update_state_locked (ice, st);
  }
  g_mutex_unlock (&ice->lock);
  rtc_ice_route_unref (route);
}

/* A data channel or a video keyframe comes in bursts faster than one
 * network thread reads them; the kernel's default receive buffer (208 KiB)
 * then overflows and SCTP or NACK must recover what it dropped. The system
 * caps this at net.core.rmem_max. */
#define RECV_BUFFER_SIZE (1024 * 1024)

static void
tune_selected_socket (NiceAgent * agent, guint stream_id, guint component_id)
{
  GSocket *sock = nice_agent_get_selected_socket (agent, stream_id,
      component_id);
  GError *error = NULL;
  gboolean v6;

  if (sock == NULL)
    return;
  if (!g_socket_set_option (sock, SOL_SOCKET, SO_RCVBUF, RECV_BUFFER_SIZE,
          &error)) {
    GST_DEBUG ("stream %u: could not grow the receive buffer: %s", stream_id,
        error->message);
    g_clear_error (&error);
  }
  /* The data channel's path MTU discovery (RFC 8899) needs its probes to
   * pass or be lost whole: with the default the kernel would fragment a
   * probe larger than the interface and the path would look larger than
   * it is. PROBE: don't fragment, and don't trust ICMP either. */
  v6 = g_socket_get_family (sock) == G_SOCKET_FAMILY_IPV6;
  if (g_socket_get_protocol (sock) == G_SOCKET_PROTOCOL_UDP &&
      !g_socket_set_option (sock, v6 ? IPPROTO_IPV6 : IPPROTO_IP,
          v6 ? IPV6_MTU_DISCOVER : IP_MTU_DISCOVER,
          v6 ? IPV6_PMTUDISC_PROBE : IP_PMTUDISC_PROBE, &error)) {
    GST_DEBUG ("stream %u: could not turn off fragmentation: %s", stream_id,
        error->message);
    g_clear_error (&error);
  }
  g_object_unref (sock);
}

void
rtc_ice_on_selected_pair (NiceAgent * agent, guint stream_id,
    guint component_id, NiceCandidate * local, NiceCandidate * remote,
    RtcIceAgent * ice)
{
  RtcIceStream *st;
  RtcIceEvent *ev;
  RtcIceRoute *route;

  if (component_id != 1)
    return;
  tune_selected_socket (agent, stream_id, component_id);
  route = rtc_ice_route_new (agent, stream_id, local, remote);
  g_mutex_lock (&ice->lock);
  st = rtc_ice_find_locked (ice, stream_id);
  if (st) {
    /* the old route goes below, outside the lock */
    RtcIceRoute *old = st->route;

    st->route = st->removed ? NULL : route;
    route = st->removed ? route : old;
    g_free (st->sel_local);
    g_free (st->sel_remote);
    st->sel_local = rtc_ice_describe (local);
    st->sel_remote = rtc_ice_describe (remote);
    GST_INFO ("stream %u: selected %s <-> %s", stream_id, st->sel_local,
        st->sel_remote);
    ev = g_new0 (RtcIceEvent, 1);
    ev->type = EV_SELECTED_PAIR;
    ev->stream = stream_id;
    ev->s1 = g_strdup (st->sel_local);
    ev->s2 = g_strdup (st->sel_remote);
    rtc_ice_queue_locked (ice, ev);
  }
  g_mutex_unlock (&ice->lock);
  rtc_ice_route_unref (route);
}

/* network thread, straight from libnice's socket read: the hot path */
void
rtc_ice_on_recv (NiceAgent * agent, guint stream_id, guint component_id,
    guint len, gchar * buf, gpointer data)
{
  RtcIceStream *st = data;

  if (!g_atomic_int_get (&st->rx_seen))
    g_atomic_int_set (&st->rx_seen, 1);
  if (st->ice->cb.on_receive)
    st->ice->cb.on_receive (st->ice, stream_id, (const guint8 *) buf, len,
        st->ice->user_data);
}

/* ---------------------------------------------------------------------- */
/* consent / disconnected detection (network thread) */

void
rtc_ice_disarm_probes (RtcIceStream * st)
{
  GSList *l;

  for (l = st->probes; l; l = l->next) {
    g_source_destroy (l->data);
    g_source_unref (l->data);
  }
  g_clear_pointer (&st->probes, g_slist_free);
}

static gboolean
rtc_ice_on_probe (GSocket * socket, GIOCondition cond, gpointer data)
{
  RtcIceStream *st = data;

  /* libnice reads the packet in its own source; we only learn that
   * something arrived */
  g_atomic_int_set (&st->rx_seen, 1);
  rtc_ice_disarm_probes (st);
  return G_SOURCE_REMOVE;
}

static void
rtc_ice_arm_probes (RtcIceAgent * ice, NiceAgent * agent, RtcIceStream * st)
{
  GPtrArray *socks = nice_agent_get_sockets (agent, st->id, 1);
  guint i;

  for (i = 0; socks && i < socks->len; i++) {
    GSource *src = g_socket_create_source (g_ptr_array_index (socks, i),
        G_IO_IN, NULL);

    g_source_set_callback (src, (GSourceFunc) (void (*)(void)) rtc_ice_on_probe,
        st, NULL);
    g_source_attach (src, ice->context);
    st->probes = g_slist_prepend (st->probes, src);
  }
  if (socks)
    g_ptr_array_unref (socks);
}

gboolean
rtc_ice_tick (gpointer data)
{
  RtcIceAgent *ice = data;
  gint64 now = g_get_monotonic_time ();
  gint64 timeout = (gint64) ice->disconnect_timeout_ms * 1000;
  GSList *arm = NULL, *l;
  GHashTableIter it;
  RtcIceStream *st;
  NiceAgent *agent;

  g_mutex_lock (&ice->lock);
  agent = ice->closing ? NULL : g_object_ref (ice->agent);
  g_hash_table_iter_init (&it, ice->streams);
  while (agent && g_hash_table_iter_next (&it, NULL, (gpointer *) & st)) {
    gboolean quiet;

    if (st->removed || (st->nice_state != NICE_COMPONENT_STATE_CONNECTED
            && st->nice_state != NICE_COMPONENT_STATE_READY))
      continue;
    if (g_atomic_int_compare_and_exchange (&st->rx_seen, 1, 0))
      st->last_rx = now;
    quiet = now - st->last_rx > timeout;
    if (quiet != st->disconnected) {
      GST_INFO ("stream %u: %s", st->id, quiet ? "nothing received for "
          "too long, disconnected" : "receiving again");
      st->disconnected = quiet;
      rtc_ice_update_state_locked (ice, st);
    }
    /* nothing since the last tick: watch the sockets for STUN */
    if (st->last_rx != now && st->probes == NULL)
      arm = g_slist_prepend (arm, st);
  }
  g_mutex_unlock (&ice->lock);

  /* streams are only freed on this thread, so @arm stays valid */
  for (l = arm; l; l = l->next)
    rtc_ice_arm_probes (ice, agent, l->data);
  g_slist_free (arm);
  g_clear_object (&agent);
  return G_SOURCE_CONTINUE;
}
