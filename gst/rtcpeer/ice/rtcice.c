/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* RtcIceAgent over libnice: see rtcice.h for the contract.
 *
 * How it fits together:
 * - libnice may emit its signals in whichever thread called into it
 *   (nice_agent_gather_candidates() emits host candidates in the caller's
 *   thread). Our handlers therefore only queue events under the lock; an
 *   idle source on the network context delivers them (libnice's own
 *   "queue under the lock, emit after unlocking" pattern). Callbacks thus
 *   always run on the network thread, lock-free, never re-entrantly.
 * - Received data takes the short path: libnice invokes the receive
 *   callback on the network context with its lock released, and we hand the
 *   buffer on untouched.
 * - RFC 7675 consent: libnice sends consent checks and fails the component
 *   after 30 s without response. It does not say when the peer went
 *   quiet, so a timer on the network context watches for received traffic
 *   and reports "disconnected" after disconnect_timeout_ms. Media marks a
 *   flag in the receive path; STUN is consumed inside libnice, so when no
 *   media arrived during a tick we arm one-shot G_IO_IN watches on the
 *   component's sockets (libnice still does the reading) to see whether
 *   anything (consent checks, responses) still comes in.
 * - Teardown runs on the network thread (where every source of the agent
 *   is dispatched), so once it has run nothing of ours can be dispatched
 *   anymore; the NiceAgent is dropped once pending lookups and the TURN
 *   deallocation (nice_agent_close_async) have completed.
 *
 * Locking: one mutex per agent; never held while calling a libnice function
 * that can emit a signal, nor while calling back. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "rtcice-private.h"
#include "rtcnetcontext.h"

#include <string.h>

GST_DEBUG_CATEGORY (rtc_ice_debug);

/* *INDENT-OFF* */
G_DEFINE_QUARK (rtc-ice-error-quark, rtc_ice_error);
/* *INDENT-ON* */

static void
rtc_ice_debug_init (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once)) {
    GST_DEBUG_CATEGORY_INIT (rtc_ice_debug, "rtcice", 0, "rtcpeer ICE");
    g_once_init_leave (&once, 1);
  }
}


/* ---------------------------------------------------------------------- */
/* small helpers */

static void
rtc_ice_stream_free (RtcIceStream * st)
{
  g_slist_free_full (st->queued, (GDestroyNotify) nice_candidate_free);
  g_free (st->sel_local);
  g_free (st->sel_remote);
  rtc_ice_route_unref (st->route);
  g_free (st);
}

RtcIceAgent *
rtc_ice_ref (RtcIceAgent * ice)
{
  g_atomic_int_inc (&ice->ref);
  return ice;
}

void
rtc_ice_unref (RtcIceAgent * ice)
{
  if (!g_atomic_int_dec_and_test (&ice->ref))
    return;
  g_assert (ice->agent == NULL);
  g_hash_table_unref (ice->streams);
  g_queue_clear_full (&ice->events, (GDestroyNotify) rtc_ice_event_free);
  g_object_unref (ice->cancellable);
  rtc_ice_server_free (ice->stun);
  g_ptr_array_unref (ice->turn);
  g_mutex_clear (&ice->lock);
  g_cond_clear (&ice->cond);
  g_free (ice);
}

RtcIceStream *
rtc_ice_find_locked (RtcIceAgent * ice, guint id)
{
  RtcIceStream *st = g_hash_table_lookup (ice->streams, GUINT_TO_POINTER (id));

  return (st && !st->removed) ? st : NULL;
}

/* A NiceAgent reference, or NULL once closing; taken under the lock so a
 * caller on another thread never uses an agent being torn down. */
NiceAgent *
rtc_ice_get_agent (RtcIceAgent * ice, guint id, GError ** error)
{
  NiceAgent *agent = NULL;

  g_mutex_lock (&ice->lock);
  if (!ice->closing && (id == 0 || rtc_ice_find_locked (ice, id)))
    agent = g_object_ref (ice->agent);
  g_mutex_unlock (&ice->lock);
  if (!agent)
    g_set_error (error, RTC_ICE_ERROR, RTC_ICE_ERROR_UNKNOWN_STREAM,
        "No ICE stream %u (removed, or the agent is closing)", id);
  return agent;
}

void
rtc_ice_invoke (RtcIceAgent * ice, GSourceFunc func, gpointer data,
    GDestroyNotify notify)
{
  GSource *src = g_idle_source_new ();

  g_source_set_priority (src, G_PRIORITY_DEFAULT);
  g_source_set_callback (src, func, data, notify);
  g_source_attach (src, ice->context);
  g_source_unref (src);
}

/* ---------------------------------------------------------------------- */
/* teardown */

static void
rtc_ice_check_finish (RtcIceAgent * ice)
{
  NiceAgent *agent;
  gboolean inline_free;

  g_mutex_lock (&ice->lock);
  if (!ice->closing || ice->outstanding > 0 || ice->finished) {
    g_mutex_unlock (&ice->lock);
    return;
  }
  ice->finished = TRUE;
  agent = g_steal_pointer (&ice->agent);
  inline_free = ice->inline_free;
  g_mutex_unlock (&ice->lock);

  /* closes the sockets */
  g_object_unref (agent);

  if (inline_free) {
    rtc_net_context_unhold ();
    g_main_context_unref (ice->context);
    rtc_ice_unref (ice);
  } else {
    g_mutex_lock (&ice->lock);
    ice->done = TRUE;
    g_cond_broadcast (&ice->cond);
    g_mutex_unlock (&ice->lock);        /* the waiter may free @ice now */
  }
}

void
rtc_ice_outstanding_done (RtcIceAgent * ice)
{
  g_mutex_lock (&ice->lock);
  ice->outstanding--;
  g_mutex_unlock (&ice->lock);
  rtc_ice_check_finish (ice);
}

static void
rtc_ice_closed_cb (GObject * src, GAsyncResult * res, gpointer data)
{
  rtc_ice_outstanding_done (data);
}

static gboolean
rtc_ice_deferred_finish (gpointer data)
{
  rtc_ice_outstanding_done (data);
  return G_SOURCE_REMOVE;
}

/* network thread: after this nothing of ours is dispatched anymore */
static void
rtc_ice_teardown (RtcIceAgent * ice)
{
  GSource *drain, *tick;
  GList *streams, *l;
  NiceAgent *agent;

  g_mutex_lock (&ice->lock);
  drain = g_steal_pointer (&ice->drain_source);
  tick = g_steal_pointer (&ice->tick_source);
  g_queue_clear_full (&ice->events, (GDestroyNotify) rtc_ice_event_free);
  streams = g_hash_table_get_values (ice->streams);
  agent = ice->agent;
  /* the libnice agent is dropped from an idle, not from inside a callback
   * that libnice may be dispatching right now; TURN allocations are given
   * back first (RFC 8656 section 7: refresh with lifetime 0) */
  ice->outstanding += ice->turn->len > 0 ? 2 : 1;
  g_mutex_unlock (&ice->lock);

  if (drain) {
    g_source_destroy (drain);
    g_source_unref (drain);
  }
  if (tick) {
    g_source_destroy (tick);
    g_source_unref (tick);
  }
  g_cancellable_cancel (ice->cancellable);
  g_signal_handlers_disconnect_by_data (agent, ice);
  for (l = streams; l; l = l->next) {
    RtcIceStream *st = l->data;

    nice_agent_attach_recv (agent, st->id, 1, ice->context, NULL, NULL);
    rtc_ice_disarm_probes (st);
  }
  g_list_free (streams);
  if (ice->turn->len > 0)
    nice_agent_close_async (agent, rtc_ice_closed_cb, ice);
  rtc_ice_invoke (ice, rtc_ice_deferred_finish, ice, NULL);
}

typedef struct
{
  RtcIceAgent *ice;
  void (*func) (RtcIceAgent * ice, gpointer data);
  gpointer data;
  gboolean done;
} RtcIceSync;

static gboolean
rtc_ice_sync_cb (gpointer data)
{
  RtcIceSync *s = data;

  s->func (s->ice, s->data);
  g_mutex_lock (&s->ice->lock);
  s->done = TRUE;
  g_cond_broadcast (&s->ice->cond);
  g_mutex_unlock (&s->ice->lock);
  return G_SOURCE_REMOVE;
}

/* runs @func on the network thread and waits for it */
static void
rtc_ice_run_sync (RtcIceAgent * ice, void (*func) (RtcIceAgent *, gpointer),
    gpointer data)
{
  RtcIceSync s = { ice, func, data, FALSE };

  if (g_main_context_is_owner (ice->context)) {
    func (ice, data);
    return;
  }
  rtc_ice_invoke (ice, rtc_ice_sync_cb, &s, NULL);
  g_mutex_lock (&ice->lock);
  while (!s.done)
    g_cond_wait (&ice->cond, &ice->lock);
  g_mutex_unlock (&ice->lock);
}

static void
rtc_ice_teardown_sync (RtcIceAgent * ice, gpointer unused)
{
  rtc_ice_teardown (ice);
}

void
rtc_ice_agent_free (RtcIceAgent * ice)
{
  gboolean inline_free;

  if (!ice)
    return;
  inline_free = g_main_context_is_owner (ice->context);
  g_mutex_lock (&ice->lock);
  if (ice->closing) {
    g_mutex_unlock (&ice->lock);
    g_critical ("rtc_ice_agent_free() called twice on %p", ice);
    return;
  }
  g_atomic_int_set (&ice->closing, TRUE);
  ice->inline_free = inline_free;
  g_mutex_unlock (&ice->lock);
  GST_DEBUG ("freeing ICE agent %p%s", ice, inline_free ? " (inline)" : "");

  if (inline_free) {
    /* From a callback on our own thread we cannot wait: the teardown ends
     * in rtc_ice_check_finish() after this returns. Give the pool back now
     * but hold it, so freeing the last agent elsewhere waits for that. */
    g_main_context_ref (ice->context);
    rtc_net_context_hold ();
    rtc_net_context_release (ice->context);
    rtc_ice_teardown (ice);
    return;
  }

  rtc_ice_run_sync (ice, rtc_ice_teardown_sync, NULL);

  g_mutex_lock (&ice->lock);
  while (!ice->done)
    g_cond_wait (&ice->cond, &ice->lock);
  g_mutex_unlock (&ice->lock);
  rtc_net_context_release (ice->context);
  rtc_ice_unref (ice);
}

/* ---------------------------------------------------------------------- */
/* construction */

RtcIceAgent *
rtc_ice_agent_new (const RtcIceConfig * cfg, const RtcIceCallbacks * cb,
    gpointer user_data, GError ** error)
{
  static const RtcIceConfig defaults = { 0, };
  RtcIceAgent *ice;
  RtcIceServer *stun = NULL;
  GPtrArray *turn = g_ptr_array_new_with_free_func ((GDestroyNotify)
      rtc_ice_server_free);
  GSList *addrs = NULL, *l;
  guint i;

  rtc_ice_debug_init ();
  if (!cfg)
    cfg = &defaults;

  /* validate everything before creating anything */
  if (cfg->min_port > 65535 || cfg->max_port > 65535
      || (cfg->max_port != 0 && cfg->min_port > cfg->max_port)) {
    g_set_error (error, RTC_ICE_ERROR, RTC_ICE_ERROR_INVALID_CONFIG,
        "Invalid ICE port range %u-%u: need min-port <= max-port <= 65535 "
        "(0 = any)", cfg->min_port, cfg->max_port);
    goto fail;
  }
  if (cfg->stun_server && *cfg->stun_server
      && !(stun = rtc_ice_parse_server (cfg->stun_server, FALSE, error)))
    goto fail;
  for (i = 0; cfg->turn_servers && cfg->turn_servers[i]; i++) {
    RtcIceServer *s = rtc_ice_parse_server (cfg->turn_servers[i], TRUE, error);

    if (!s)
      goto fail;
    g_ptr_array_add (turn, s);
  }
  if (!rtc_ice_parse_addresses (cfg->addresses, &addrs, error))
    goto fail;
  if (cfg->relay_only && turn->len == 0)
    GST_WARNING ("ice-transport-policy=relay without a TURN server: no "
        "candidate will be gathered");

  ice = g_new0 (RtcIceAgent, 1);
  ice->ref = 1;
  g_mutex_init (&ice->lock);
  g_cond_init (&ice->cond);
  if (cb)
    ice->cb = *cb;
  ice->user_data = user_data;
  ice->relay_only = cfg->relay_only;
  ice->min_port = cfg->min_port;
  ice->max_port = cfg->max_port;
  if (ice->min_port || ice->max_port) {
    if (ice->max_port == 0)
      ice->max_port = 65535;
    if (ice->min_port == 0)
      ice->min_port = 1024;     /* unprivileged ports only */
  }
  ice->disconnect_timeout_ms = cfg->disconnect_timeout_ms ?
      cfg->disconnect_timeout_ms : DEFAULT_DISCONNECT_TIMEOUT_MS;
  ice->cancellable = g_cancellable_new ();
  ice->stun = stun;
  ice->turn = turn;
  ice->streams = g_hash_table_new_full (NULL, NULL, NULL,
      (GDestroyNotify) rtc_ice_stream_free);
  ice->context = rtc_net_context_acquire ();

  /* Trickle (RFC 8838) and consent freshness (RFC 7675) as browsers do;
   * regular nomination as webrtcbin and Chromium use. */
  ice->agent = nice_agent_new_full (ice->context, NICE_COMPATIBILITY_RFC5245,
      NICE_AGENT_OPTION_ICE_TRICKLE | NICE_AGENT_OPTION_CONSENT_FRESHNESS |
      NICE_AGENT_OPTION_REGULAR_NOMINATION);
  /* contact nothing the user did not configure */
  g_object_set (ice->agent, "upnp", FALSE, "ice-tcp", FALSE, "ice-udp", TRUE,
      "force-relay", cfg->relay_only, NULL);
  /* Ta, the pacing of connectivity checks (RFC 8445 section 14.2). At
   * libnice's 20 ms a check, its answer and the nominating check take
   * three ticks: 60 ms of "checking" even on loopback. 5 ms is the
   * floor RFC 8445 allows and what browsers pace at. */
  g_object_set (ice->agent, "stun-pacing-timer", STUN_PACING_MS, NULL);
  for (l = addrs; l; l = l->next)
    nice_agent_add_local_address (ice->agent, l->data);
  g_slist_free_full (addrs, (GDestroyNotify) nice_address_free);

  g_signal_connect (ice->agent, "new-candidate-full",
      G_CALLBACK (rtc_ice_on_new_candidate), ice);
  g_signal_connect (ice->agent, "candidate-gathering-done",
      G_CALLBACK (rtc_ice_on_gathering_done), ice);
  g_signal_connect (ice->agent, "component-state-changed",
      G_CALLBACK (rtc_ice_on_component_state), ice);
  g_signal_connect (ice->agent, "new-selected-pair-full",
      G_CALLBACK (rtc_ice_on_selected_pair), ice);

  g_mutex_lock (&ice->lock);
  if (stun && stun->ip)
    g_object_set (ice->agent, "stun-server", stun->ip, "stun-server-port",
        stun->port, NULL);
  else if (stun) {
    ice->pending_lookups++;
    rtc_ice_lookup_locked (ice, stun, 0, NULL, stun->host);
  }
  for (i = 0; i < turn->len; i++) {
    RtcIceServer *s = g_ptr_array_index (turn, i);

    if (!s->ip) {
      ice->pending_lookups++;
      rtc_ice_lookup_locked (ice, s, 0, NULL, s->host);
    }
  }
  /* a few ticks per timeout; whole seconds when that is precise enough, so
   * the ticks of hundreds of agents wake the thread together */
  if (ice->disconnect_timeout_ms >= 4000)
    ice->tick_source = g_timeout_source_new_seconds (1);
  else
    ice->tick_source = g_timeout_source_new (MAX (ice->disconnect_timeout_ms
            / 4, 50));
  g_source_set_callback (ice->tick_source, rtc_ice_tick, ice, NULL);
  g_source_attach (ice->tick_source, ice->context);
  g_mutex_unlock (&ice->lock);

  GST_DEBUG ("new ICE agent %p (addresses '%s', ports %u-%u, stun %s, "
      "%u turn, relay-only %d)", ice, GST_STR_NULL (cfg->addresses),
      ice->min_port, ice->max_port, stun ? stun->desc : "none", turn->len,
      cfg->relay_only);
  return ice;

fail:
  rtc_ice_server_free (stun);
  g_ptr_array_unref (turn);
  return NULL;
}

/* ---------------------------------------------------------------------- */
/* streams */

void
rtc_ice_agent_set_controlling (RtcIceAgent * ice, gboolean controlling)
{
  NiceAgent *agent = rtc_ice_get_agent (ice, 0, NULL);

  if (agent)
    g_object_set (agent, "controlling-mode", controlling, NULL);
  g_clear_object (&agent);
}

guint
rtc_ice_agent_add_stream (RtcIceAgent * ice, GError ** error)
{
  NiceAgent *agent = rtc_ice_get_agent (ice, 0, error);
  RtcIceStream *st;
  guint id;

  if (!agent)
    return 0;
  id = nice_agent_add_stream (agent, 1);
  if (id == 0) {
    g_set_error (error, RTC_ICE_ERROR, RTC_ICE_ERROR_FAILED,
        "libnice could not add an ICE stream");
    g_object_unref (agent);
    return 0;
  }
  if (ice->min_port)
    nice_agent_set_port_range (agent, id, 1, ice->min_port, ice->max_port);

  st = g_new0 (RtcIceStream, 1);
  st->ice = ice;
  st->id = id;
  st->nice_state = NICE_COMPONENT_STATE_DISCONNECTED;
  st->state = GST_WEBRTC_ICE_CONNECTION_STATE_NEW;
  g_mutex_lock (&ice->lock);
  g_hash_table_insert (ice->streams, GUINT_TO_POINTER (id), st);
  g_mutex_unlock (&ice->lock);
  nice_agent_attach_recv (agent, id, 1, ice->context, rtc_ice_on_recv, st);
  g_object_unref (agent);
  GST_DEBUG ("added stream %u", id);
  return id;
}

static void
rtc_ice_remove_stream_sync (RtcIceAgent * ice, gpointer data)
{
  guint id = GPOINTER_TO_UINT (data);
  RtcIceStream *st;
  NiceAgent *agent;

  g_mutex_lock (&ice->lock);
  st = g_hash_table_lookup (ice->streams, data);
  agent = ice->agent ? g_object_ref (ice->agent) : NULL;
  g_mutex_unlock (&ice->lock);
  if (st && agent) {
    nice_agent_attach_recv (agent, id, 1, ice->context, NULL, NULL);
    rtc_ice_disarm_probes (st);
    nice_agent_remove_stream (agent, id);
    g_mutex_lock (&ice->lock);
    g_hash_table_remove (ice->streams, data);
    g_mutex_unlock (&ice->lock);
  }
  g_clear_object (&agent);
}

void
rtc_ice_agent_remove_stream (RtcIceAgent * ice, guint stream)
{
  RtcIceStream *st;
  RtcIceRoute *route = NULL;

  g_mutex_lock (&ice->lock);
  st = ice->closing ? NULL : rtc_ice_find_locked (ice, stream);
  if (st) {
    st->removed = TRUE;         /* no more events for it */
    route = g_steal_pointer (&st->route);
  }
  g_mutex_unlock (&ice->lock);
  rtc_ice_route_unref (route);
  if (st)
    rtc_ice_run_sync (ice, rtc_ice_remove_stream_sync,
        GUINT_TO_POINTER (stream));
}

void
rtc_ice_agent_get_local_credentials (RtcIceAgent * ice, guint stream,
    gchar ** ufrag, gchar ** pwd)
{
  NiceAgent *agent = rtc_ice_get_agent (ice, stream, NULL);

  *ufrag = *pwd = NULL;
  if (agent)
    nice_agent_get_local_credentials (agent, stream, ufrag, pwd);
  g_clear_object (&agent);
}

/* The peer connection picks its credentials when it writes its first
 * description, before any stream exists, so they are handed in. */
gboolean
rtc_ice_agent_set_local_credentials (RtcIceAgent * ice, guint stream,
    const gchar * ufrag, const gchar * pwd)
{
  NiceAgent *agent = rtc_ice_get_agent (ice, stream, NULL);
  gboolean ok = FALSE;

  if (agent)
    ok = nice_agent_set_local_credentials (agent, stream, ufrag, pwd);
  g_clear_object (&agent);
  return ok;
}

/* RFC 8839 section 5.4: ice-char = ALPHA / DIGIT / "+" / "/" */
static gboolean
rtc_ice_check_cred (const gchar * what, const gchar * v, guint min,
    GError ** error)
{
  gsize len = v ? strlen (v) : 0;

  if (len == 0 || len > 256 || strspn (v, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
          "abcdefghijklmnopqrstuvwxyz0123456789+/-_=.~") != len) {
    g_set_error (error, RTC_ICE_ERROR, RTC_ICE_ERROR_INVALID_CREDENTIALS,
        "Invalid remote ICE %s '%s': RFC 8839 wants %u to 256 characters "
        "out of A-Z a-z 0-9 + /", what, GST_STR_NULL (v), min);
    return FALSE;
  }
  if (len < min)
    GST_WARNING ("remote ICE %s '%s' is shorter than the %u characters of "
        "RFC 8839, accepting it anyway", what, v, min);
  return TRUE;
}

gboolean
rtc_ice_agent_set_remote_credentials (RtcIceAgent * ice, guint stream,
    const gchar * ufrag, const gchar * pwd, GError ** error)
{
  NiceAgent *agent;
  RtcIceStream *st;
  GSList *queued = NULL;

  if (!rtc_ice_check_cred ("ufrag", ufrag, 4, error)
      || !rtc_ice_check_cred ("pwd", pwd, 22, error))
    return FALSE;
  if (!(agent = rtc_ice_get_agent (ice, stream, error)))
    return FALSE;
  if (!nice_agent_set_remote_credentials (agent, stream, ufrag, pwd)) {
    g_set_error (error, RTC_ICE_ERROR, RTC_ICE_ERROR_FAILED,
        "libnice refused the remote credentials of stream %u", stream);
    g_object_unref (agent);
    return FALSE;
  }
  g_mutex_lock (&ice->lock);
  if ((st = rtc_ice_find_locked (ice, stream))) {
    st->remote_creds = TRUE;
    queued = g_steal_pointer (&st->queued);
  }
  g_mutex_unlock (&ice->lock);

  /* candidates that arrived before the credentials, in order */
  queued = g_slist_reverse (queued);
  while (queued) {
    rtc_ice_apply_remote (ice, agent, stream, queued->data);
    queued = g_slist_delete_link (queued, queued);
  }
  rtc_ice_maybe_apply_eoc (ice, agent, stream);
  g_object_unref (agent);
  return TRUE;
}

gboolean
rtc_ice_agent_gather (RtcIceAgent * ice, guint stream, GError ** error)
{
  NiceAgent *agent = rtc_ice_get_agent (ice, stream, error);
  RtcIceStream *st;
  gboolean now = FALSE, ret = TRUE;

  if (!agent)
    return FALSE;
  g_mutex_lock (&ice->lock);
  st = rtc_ice_find_locked (ice, stream);
  if (st && !st->gathered && !st->gather_pending) {
    if (ice->pending_lookups > 0)
      st->gather_pending = TRUE;        /* rtc_ice_server_resolved() */
    else
      now = TRUE;
  }
  g_mutex_unlock (&ice->lock);
  if (now)
    ret = rtc_ice_do_gather (ice, agent, stream, error);
  g_object_unref (agent);
  return ret;
}

gboolean
rtc_ice_do_gather (RtcIceAgent * ice, NiceAgent * agent, guint id,
    GError ** error)
{
  RtcIceStream *st;
  guint i;

  g_mutex_lock (&ice->lock);
  st = rtc_ice_find_locked (ice, id);
  if (st)
    st->gathered = TRUE;
  g_mutex_unlock (&ice->lock);
  if (!st)
    return TRUE;

  /* servers are immutable once resolved; those that failed are skipped */
  for (i = 0; i < ice->turn->len; i++) {
    RtcIceServer *s = g_ptr_array_index (ice->turn, i);

    if (s->ip)
      nice_agent_set_relay_info (agent, id, 1, s->ip, s->port, s->user,
          s->pass, NICE_RELAY_TYPE_TURN_UDP);
  }
  if (!nice_agent_gather_candidates (agent, id)) {
    g_set_error (error, RTC_ICE_ERROR, RTC_ICE_ERROR_GATHER,
        "Could not gather ICE candidates for stream %u: no local address "
        "could be bound (check ice-addresses and that ports %u-%u are free)",
        id, ice->min_port, ice->max_port ? ice->max_port : 65535);
    return FALSE;
  }
  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* remote candidates */

void
rtc_ice_apply_remote (RtcIceAgent * ice, NiceAgent * agent, guint id,
    NiceCandidate * c)
{
  RtcIceStream *st;
  GSList one = { c, NULL };
  gboolean apply = FALSE;

  g_mutex_lock (&ice->lock);
  if ((st = rtc_ice_find_locked (ice, id))) {
    if (!st->remote_creds) {
      st->queued = g_slist_prepend (st->queued, g_steal_pointer (&c));
    } else {
      apply = TRUE;
      st->remote_cands = TRUE;
      rtc_ice_update_state_locked (ice, st);
    }
  }
  g_mutex_unlock (&ice->lock);
  if (apply && nice_agent_set_remote_candidates (agent, id, 1, &one) < 1)
    GST_WARNING ("stream %u: libnice did not take a remote candidate "
        "(duplicate, or more than %d)", id, NICE_AGENT_MAX_REMOTE_CANDIDATES);
  if (c)
    nice_candidate_free (c);
}

/* end-of-candidates goes to libnice only once every candidate before it
 * did: after the credentials and the pending mDNS lookups */
void
rtc_ice_maybe_apply_eoc (RtcIceAgent * ice, NiceAgent * agent, guint id)
{
  RtcIceStream *st;
  gboolean apply = FALSE;

  g_mutex_lock (&ice->lock);
  if ((st = rtc_ice_find_locked (ice, id)) && st->eoc_requested
      && !st->eoc_applied && st->remote_creds && st->pending_mdns == 0) {
    apply = st->eoc_applied = TRUE;
    rtc_ice_update_state_locked (ice, st);
  }
  g_mutex_unlock (&ice->lock);
  if (apply)
    nice_agent_peer_candidate_gathering_done (agent, id);
}

void
rtc_ice_agent_end_of_candidates (RtcIceAgent * ice, guint stream)
{
  NiceAgent *agent = rtc_ice_get_agent (ice, stream, NULL);
  RtcIceStream *st;

  if (!agent)
    return;
  g_mutex_lock (&ice->lock);
  if ((st = rtc_ice_find_locked (ice, stream)))
    st->eoc_requested = TRUE;
  g_mutex_unlock (&ice->lock);
  rtc_ice_maybe_apply_eoc (ice, agent, stream);
  g_object_unref (agent);
}

static gchar **
rtc_ice_split_fields (const gchar * line)
{
  gchar **all = g_strsplit_set (line, " \t", -1);
  GPtrArray *f = g_ptr_array_new ();
  guint i;

  for (i = 0; all[i]; i++) {
    if (*all[i])
      g_ptr_array_add (f, all[i]);
    else
      g_free (all[i]);
  }
  g_free (all);
  g_ptr_array_add (f, NULL);
  return (gchar **) g_ptr_array_free (f, FALSE);
}

gboolean
rtc_ice_agent_add_remote_candidate (RtcIceAgent * ice, guint stream,
    const gchar * candidate, GError ** error)
{
  const gchar *c = candidate ? candidate : "";
  gchar *line = NULL, *sdp = NULL, **f = NULL;
  NiceAgent *agent;
  NiceCandidate *nc;
  gboolean ret = FALSE;
  guint64 component;

  while (g_ascii_isspace (*c))
    c++;
  if (g_str_has_prefix (c, "a="))
    c += 2;
  line = g_strstrip (g_strdup (c));
  if (*line == '\0') {
    /* addIceCandidate with an empty candidate: end-of-candidates */
    rtc_ice_agent_end_of_candidates (ice, stream);
    g_free (line);
    return TRUE;
  }
  if (!(agent = rtc_ice_get_agent (ice, stream, error)))
    goto out;

  /* RFC 8839 section 5.1: candidate:<foundation> <component> <transport>
   * <priority> <address> <port> typ <type> [extensions]; fields are
   * rejoined with single spaces so field 4 is always the address */
  f = rtc_ice_split_fields (line);
  g_free (line);
  line = g_strjoinv (" ", f);
  if (!g_str_has_prefix (line, "candidate:") || g_strv_length (f) < 8
      || g_ascii_strcasecmp (f[6], "typ") != 0
      || !g_ascii_string_to_unsigned (f[1], 10, 1, 256, &component, NULL)) {
    g_set_error (error, RTC_ICE_ERROR, RTC_ICE_ERROR_INVALID_CANDIDATE,
        "Invalid ICE candidate '%s': expected 'candidate:<foundation> "
        "<component> <transport> <priority> <address> <port> typ <type> ...' "
        "(RFC 8839 section 5.1)", candidate);
    goto out;
  }
  if (g_ascii_strcasecmp (f[2], "udp") != 0) {
    GST_DEBUG ("stream %u: ignoring %s candidate '%s' (UDP only)", stream,
        f[2], line);
    ret = TRUE;
    goto out;
  }
  if (component != 1) {
    GST_DEBUG ("stream %u: ignoring component %u candidate '%s' (rtcp-mux "
        "only)", stream, (guint) component, line);
    ret = TRUE;
    goto out;
  }
  if (g_str_has_suffix (f[4], ".local") || g_str_has_suffix (f[4], ".local.")) {
    RtcIceStream *st;

    /* draft-ietf-mmusic-mdns-ice-candidates: a browser's hidden host
     * address; resolve it, then add it like any other */
    g_mutex_lock (&ice->lock);
    if ((st = rtc_ice_find_locked (ice, stream))) {
      /* libnice keeps at most this many anyway; do not let a peer make
       * us send unbounded lookups */
      if (st->pending_mdns < NICE_AGENT_MAX_REMOTE_CANDIDATES) {
        st->pending_mdns++;
        rtc_ice_lookup_locked (ice, NULL, stream, line, f[4]);
      } else {
        GST_WARNING ("stream %u: too many mDNS candidates pending, "
            "ignoring '%s'", stream, line);
      }
    }
    g_mutex_unlock (&ice->lock);
    ret = TRUE;
    goto out;
  }

  sdp = g_strconcat ("a=", line, NULL);
  nc = nice_agent_parse_remote_candidate_sdp (agent, stream, sdp);
  if (!nc) {
    g_set_error (error, RTC_ICE_ERROR, RTC_ICE_ERROR_INVALID_CANDIDATE,
        "Invalid ICE candidate '%s': the address must be an IP address or "
        "an mDNS '.local' name, and priority/port numbers", candidate);
    goto out;
  }
  GST_DEBUG ("stream %u: remote %s", stream, line);
  rtc_ice_apply_remote (ice, agent, stream, nc);
  ret = TRUE;

out:
  g_clear_object (&agent);
  g_strfreev (f);
  g_free (sdp);
  g_free (line);
  return ret;
}

/* ---------------------------------------------------------------------- */
/* restart, send, accessors */

void
rtc_ice_agent_set_relay_only (RtcIceAgent * ice, gboolean relay_only)
{
  NiceAgent *agent = rtc_ice_get_agent (ice, 0, NULL);

  /* read unlocked by the candidate handler, on any thread */
  g_atomic_int_set (&ice->relay_only, relay_only);
  if (agent)
    g_object_set (agent, "force-relay", relay_only, NULL);
  g_clear_object (&agent);
}

gboolean
rtc_ice_agent_restart (RtcIceAgent * ice, guint stream, const gchar * ufrag,
    const gchar * pwd, GError ** error)
{
  NiceAgent *agent = rtc_ice_get_agent (ice, stream, error);
  GSList *cands, *l;
  RtcIceStream *st;
  RtcIceRoute *route = NULL;

  if (!agent)
    return FALSE;
  /* forget the remote side first, so libnice's own state changes during
   * the restart already map to "new" */
  g_mutex_lock (&ice->lock);
  if ((st = rtc_ice_find_locked (ice, stream))) {
    g_slist_free_full (g_steal_pointer (&st->queued),
        (GDestroyNotify) nice_candidate_free);
    st->remote_creds = st->remote_cands = FALSE;
    st->eoc_requested = st->eoc_applied = FALSE;
    st->restarting = !st->disconnected &&
        (st->state == GST_WEBRTC_ICE_CONNECTION_STATE_CONNECTED
        || st->state == GST_WEBRTC_ICE_CONNECTION_STATE_COMPLETED);
    st->disconnected = FALSE;
    route = g_steal_pointer (&st->route);
  }
  g_mutex_unlock (&ice->lock);
  rtc_ice_route_unref (route);
  if (!nice_agent_restart_stream (agent, stream)) {
    g_set_error (error, RTC_ICE_ERROR, RTC_ICE_ERROR_FAILED,
        "libnice could not restart ICE stream %u", stream);
    g_object_unref (agent);
    return FALSE;
  }
  /* the peer connection chose them when it wrote the description */
  if (ufrag && pwd && !nice_agent_set_local_credentials (agent, stream, ufrag,
          pwd)) {
    g_set_error (error, RTC_ICE_ERROR, RTC_ICE_ERROR_INVALID_CREDENTIALS,
        "libnice refused the local credentials of stream %u", stream);
    g_object_unref (agent);
    return FALSE;
  }
  cands = nice_agent_get_local_candidates (agent, stream, 1);

  /* the new generation needs the candidates again (RFC 8838 section 4) */
  for (l = cands; l; l = l->next)
    rtc_ice_on_new_candidate (agent, l->data, ice);
  g_slist_free_full (cands, (GDestroyNotify) nice_candidate_free);
  g_mutex_lock (&ice->lock);
  if ((st = rtc_ice_find_locked (ice, stream))) {
    if (st->local_done) {
      RtcIceEvent *ev = g_new0 (RtcIceEvent, 1);

      ev->type = EV_GATHERING_DONE;
      ev->stream = stream;
      rtc_ice_queue_locked (ice, ev);
    }
    rtc_ice_update_state_locked (ice, st);
  }
  g_mutex_unlock (&ice->lock);
  g_object_unref (agent);
  return TRUE;
}

GMainContext *
rtc_ice_agent_get_context (RtcIceAgent * ice)
{
  return ice->context;
}

GstWebRTCICEConnectionState
rtc_ice_agent_get_state (RtcIceAgent * ice, guint stream)
{
  GstWebRTCICEConnectionState state = GST_WEBRTC_ICE_CONNECTION_STATE_CLOSED;
  RtcIceStream *st;

  g_mutex_lock (&ice->lock);
  if (!ice->closing && (st = rtc_ice_find_locked (ice, stream)))
    state = st->state;
  g_mutex_unlock (&ice->lock);
  return state;
}

gboolean
rtc_ice_agent_get_selected_pair (RtcIceAgent * ice, guint stream,
    gchar ** local_desc, gchar ** remote_desc)
{
  RtcIceStream *st;
  gboolean ret = FALSE;

  *local_desc = *remote_desc = NULL;
  g_mutex_lock (&ice->lock);
  if (!ice->closing && (st = rtc_ice_find_locked (ice, stream))
      && st->sel_local) {
    *local_desc = g_strdup (st->sel_local);
    *remote_desc = g_strdup (st->sel_remote);
    ret = TRUE;
  }
  g_mutex_unlock (&ice->lock);
  return ret;
}
