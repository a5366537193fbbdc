/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define _GNU_SOURCE
#include <string.h>
#include <gio/gio.h>
#include <nice/agent.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "call-fixture.h"

/* ---- the relay: a symmetric UDP forwarder standing in for the network.
 * For every port a peer advertises it opens a socket of its own and
 * advertises that one instead, so every datagram passes through it. */

typedef struct
{
  guint peer;                   /* whose port this socket stands for */
  guint16 real_port;            /* that peer's real port */
  GSocket *socket;
  guint16 port;                 /* the relay's port, advertised instead */
  GSource *source;
  CallRelay *relay;
} RelayPort;

struct _CallRelay
{
  GMainContext *context;
  GMainLoop *loop;
  GThread *thread;
  GMutex lock;                  /* protects ports, wire, cut */
  GPtrArray *ports;             /* RelayPort */
  GByteArray *wire;             /* every datagram, back to back */
  guint64 bytes;
  guint dtls_handshakes;
  gboolean cut;
  guint loss_percent;
  GRand *rand;
};

static RelayPort *relay_port_for (CallRelay * relay, guint peer,
    guint16 real_port);

static gboolean
relay_readable (GSocket * socket, GIOCondition cond, gpointer user_data)
{
  RelayPort *in = user_data;
  CallRelay *relay = in->relay;
  guint8 buf[65536];
  GSocketAddress *from = NULL;
  gssize n;
  RelayPort *out;
  guint16 from_port;
  GInetAddress *lo;
  GSocketAddress *to;

  n = g_socket_receive_from (socket, &from, (gchar *) buf, sizeof (buf),
      NULL, NULL);
  if (n <= 0 || !from)
    goto done;
  from_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (from));

  g_mutex_lock (&relay->lock);
  if (relay->cut || (relay->loss_percent &&
          g_rand_int_range (relay->rand, 0, 100) < (gint) relay->loss_percent)) {
    g_mutex_unlock (&relay->lock);
    goto done;
  }
  if (relay->wire->len < 256 * 1024 * 1024)
    g_byte_array_append (relay->wire, buf, n);
  relay->bytes += n;
  if (buf[0] == 22)
    relay->dtls_handshakes++;
  /* It came from the other peer's port from_port; it leaves from the
   * socket that stands for that port, to the real port of in->peer. */
  out = relay_port_for (relay, 1 - in->peer, from_port);
  g_mutex_unlock (&relay->lock);

  lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  to = g_inet_socket_address_new (lo, in->real_port);
  g_socket_send_to (out->socket, to, (const gchar *) buf, n, NULL, NULL);
  g_object_unref (to);
  g_object_unref (lo);
done:
  g_clear_object (&from);
  return G_SOURCE_CONTINUE;
}

/* relay->lock held */
static RelayPort *
relay_port_for (CallRelay * relay, guint peer, guint16 real_port)
{
  RelayPort *p;
  GInetAddress *lo;
  GSocketAddress *addr, *bound;
  guint i;

  for (i = 0; i < relay->ports->len; i++) {
    p = g_ptr_array_index (relay->ports, i);
    if (p->peer == peer && p->real_port == real_port)
      return p;
  }
  p = g_new0 (RelayPort, 1);
  p->peer = peer;
  p->real_port = real_port;
  p->relay = relay;
  p->socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
      G_SOCKET_PROTOCOL_UDP, NULL);
  g_assert (p->socket);
  lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  addr = g_inet_socket_address_new (lo, 0);
  g_assert (g_socket_bind (p->socket, addr, FALSE, NULL));
  bound = g_socket_get_local_address (p->socket, NULL);
  p->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_object_unref (bound);
  g_object_unref (addr);
  g_object_unref (lo);
  g_socket_set_blocking (p->socket, FALSE);
  p->source = g_socket_create_source (p->socket, G_IO_IN, NULL);
  g_source_set_callback (p->source, (GSourceFunc) relay_readable, p, NULL);
  g_source_attach (p->source, relay->context);
  g_ptr_array_add (relay->ports, p);
  return p;
}

static void
relay_port_free (gpointer data)
{
  RelayPort *p = data;

  g_source_destroy (p->source);
  g_source_unref (p->source);
  g_object_unref (p->socket);
  g_free (p);
}

static gpointer
relay_thread (gpointer data)
{
  CallRelay *relay = data;

  g_main_context_push_thread_default (relay->context);
  g_main_loop_run (relay->loop);
  g_main_context_pop_thread_default (relay->context);
  return NULL;
}

static CallRelay *
relay_new (void)
{
  CallRelay *relay = g_new0 (CallRelay, 1);

  g_mutex_init (&relay->lock);
  relay->context = g_main_context_new ();
  relay->loop = g_main_loop_new (relay->context, FALSE);
  relay->ports = g_ptr_array_new ();
  relay->wire = g_byte_array_new ();
  relay->rand = g_rand_new_with_seed (42);
  relay->thread = g_thread_new ("relay", relay_thread, relay);
  return relay;
}

static gboolean
quit_idle (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static void
relay_free (CallRelay * relay)
{
  GSource *s = g_idle_source_new ();

  g_source_set_callback (s, quit_idle, relay->loop, NULL);
  g_source_attach (s, relay->context);
  g_source_unref (s);
  g_thread_join (relay->thread);
  g_ptr_array_foreach (relay->ports, (GFunc) relay_port_free, NULL);
  g_ptr_array_unref (relay->ports);
  g_byte_array_unref (relay->wire);
  g_rand_free (relay->rand);
  g_main_loop_unref (relay->loop);
  g_main_context_unref (relay->context);
  g_mutex_clear (&relay->lock);
  g_free (relay);
}

/* ---- signalling ---- */

static void
call_fail (Call * call, const gchar * what)
{
  g_mutex_lock (&call->lock);
  if (!call->error)
    call->error = g_strdup (what);
  g_cond_broadcast (&call->cond);
  g_mutex_unlock (&call->lock);
}

/* Only loopback candidates cross, so no traffic ever leaves the machine,
 * whatever interfaces the other implementation gathers on. With the
 * relay, the port is replaced by the relay's. */
static gchar *
filter_candidate (Call * call, guint from, const gchar * candidate)
{
  gchar **tok;
  gchar *out = NULL;

  if (!candidate || !*candidate)
    return g_strdup ("");
  tok = g_strsplit (candidate, " ", -1);
  if (g_strv_length (tok) >= 8 && !g_strcmp0 (tok[4], "127.0.0.1")
      && !g_ascii_strcasecmp (tok[2], "udp")) {
    if (call->relay) {
      RelayPort *p;

      g_mutex_lock (&call->relay->lock);
      p = relay_port_for (call->relay, from, atoi (tok[5]));
      g_mutex_unlock (&call->relay->lock);
      g_free (tok[5]);
      tok[5] = g_strdup_printf ("%u", p->port);
    }
    out = g_strjoinv (" ", tok);
  }
  g_strfreev (tok);
  return out;
}

static void
on_ice_candidate (GstElement * pc, guint mline, const gchar * candidate,
    Call * call)
{
  guint from = pc == call->peer[0].pc ? 0 : 1;
  gchar *c = filter_candidate (call, from, candidate);

  if (c)
    g_signal_emit_by_name (call->peer[1 - from].pc, "add-ice-candidate",
        mline, c);
  g_free (c);
}

static gboolean
reply_ok (Call * call, GstPromise * p, const gchar * what)
{
  const GstStructure *s = gst_promise_get_reply (p);
  GError *error = NULL;

  if (gst_promise_wait (p) != GST_PROMISE_RESULT_REPLIED) {
    call_fail (call, what);
    return FALSE;
  }
  if (s && gst_structure_has_field (s, "error")) {
    gchar *msg;

    gst_structure_get (s, "error", G_TYPE_ERROR, &error, NULL);
    msg = g_strdup_printf ("%s: %s", what, error ? error->message : "?");
    call_fail (call, msg);
    g_free (msg);
    g_clear_error (&error);
    return FALSE;
  }
  return TRUE;
}

/* @desc: the signal's first argument (a description, or create-offer's
 * options) */
static GstWebRTCSessionDescription *
run (Call * call, GstElement * pc, const gchar * signal, gpointer desc,
    const gchar * field)
{
  GstPromise *p = gst_promise_new ();
  GstWebRTCSessionDescription *out = NULL;

  g_signal_emit_by_name (pc, signal, desc, p);
  gst_promise_wait (p);
  if (reply_ok (call, p, signal) && field)
    gst_structure_get (gst_promise_get_reply (p), field,
        GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &out, NULL);
  gst_promise_unref (p);
  return out;
}

static void
keep_description (Call * call, GstWebRTCSessionDescription ** slot,
    GstWebRTCSessionDescription * desc)
{
  g_mutex_lock (&call->lock);
  if (*slot)
    gst_webrtc_session_description_free (*slot);
  *slot = gst_webrtc_session_description_copy (desc);
  g_mutex_unlock (&call->lock);
}

gboolean
call_negotiate (Call * call, guint offerer)
{
  GstElement *a = call->peer[offerer].pc, *b = call->peer[1 - offerer].pc;
  GstWebRTCSessionDescription *offer, *answer;
  gboolean failed;

  offer = run (call, a, "create-offer", call->offer_options, "offer");
  if (!offer)
    return FALSE;
  run (call, a, "set-local-description", offer, NULL);
  if (call->edit_offer)
    call->edit_offer (offer);
  keep_description (call, &call->last_offer, offer);
  call->last_offerer = offerer;
  run (call, b, "set-remote-description", offer, NULL);
  answer = run (call, b, "create-answer", NULL, "answer");
  if (answer) {
    run (call, b, "set-local-description", answer, NULL);
    if (call->edit_answer)
      call->edit_answer (answer);
    keep_description (call, &call->last_answer, answer);
    run (call, a, "set-remote-description", answer, NULL);
    gst_webrtc_session_description_free (answer);
  }
  gst_webrtc_session_description_free (offer);
  g_mutex_lock (&call->lock);
  failed = call->error != NULL;
  g_mutex_unlock (&call->lock);
  return !failed;
}

static void
negotiate (Call * call)
{
  call_negotiate (call, 0);
}

/* ---- media ---- */

/* What a decoded pad counts into: the peer's total for its kind and its
 * track's own count. */
typedef struct
{
  CallPeer *peer;
  CallTrack *track;
  GMutex *lock;                 /* &call->lock */
} TrackCtx;

typedef struct
{
  gint *total;
  gint *track;
} Counters;

static GstPadProbeReturn
count_decoded (GstPad * pad, GstPadProbeInfo * info, Counters * c)
{
  g_atomic_int_inc (c->total);
  g_atomic_int_inc (c->track);
  return GST_PAD_PROBE_OK;
}

static void
on_decoded_pad (GstElement * decodebin, GstPad * pad, TrackCtx * ctx)
{
  GstCaps *caps = gst_pad_get_current_caps (pad);
  const gchar *name;
  GstElement *sink, *bin = GST_ELEMENT (gst_element_get_parent (decodebin));
  GstPad *sinkpad;
  Counters *c = g_new0 (Counters, 1);
  gboolean video;

  if (!caps)
    caps = gst_pad_query_caps (pad, NULL);
  name = gst_structure_get_name (gst_caps_get_structure (caps, 0));
  video = g_str_has_prefix (name, "video");
  g_mutex_lock (ctx->lock);
  ctx->track->video = video;
  g_mutex_unlock (ctx->lock);
  sink = gst_element_factory_make ("fakesink", NULL);
  g_object_set (sink, "sync", FALSE, "async", FALSE, NULL);
  gst_bin_add (GST_BIN (bin), sink);
  gst_element_sync_state_with_parent (sink);
  sinkpad = gst_element_get_static_pad (sink, "sink");
  gst_pad_link (pad, sinkpad);
  c->total = video ? &ctx->peer->video_frames : &ctx->peer->audio_buffers;
  c->track = &ctx->track->frames;
  gst_pad_add_probe (sinkpad, GST_PAD_PROBE_TYPE_BUFFER,
      (GstPadProbeCallback) count_decoded, c, g_free);
  gst_object_unref (sinkpad);
  gst_caps_unref (caps);
  gst_object_unref (bin);
}

static void
track_free (gpointer data)
{
  CallTrack *track = data;

  call_track_clear (track);
  g_free (track);
}

/* A new remote track: its pad's name, stream and m-line are kept for the
 * test, and decodebin counts what it decodes. */
static CallTrack *
track_new (Call * call, CallPeer * peer, GstPad * pad)
{
  CallTrack *track = g_new0 (CallTrack, 1);
  GObject *trans = NULL;

  track->pad_name = gst_pad_get_name (pad);
  track->mline = G_MAXUINT;
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (pad), "msid"))
    g_object_get (pad, "msid", &track->msid, NULL);
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (pad), "transceiver"))
    g_object_get (pad, "transceiver", &trans, NULL);
  if (trans) {
    g_object_get (trans, "mlineindex", &track->mline, NULL);
    g_object_unref (trans);
  }
  g_mutex_lock (&call->lock);
  g_ptr_array_add (peer->tracks, track);
  g_cond_broadcast (&call->cond);
  g_mutex_unlock (&call->lock);
  return track;
}

static GstPadProbeReturn
track_eos (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) == GST_EVENT_EOS)
    g_atomic_int_set ((gint *) data, 1);
  return GST_PAD_PROBE_OK;
}

static void
on_pc_pad_added (GstElement * pc, GstPad * pad, Call * call)
{
  CallPeer *peer = pc == call->peer[0].pc ? &call->peer[0] : &call->peer[1];
  GstElement *decodebin, *bin;
  GstPad *sinkpad;
  TrackCtx *ctx;

  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC)
    return;
  ctx = g_new0 (TrackCtx, 1);
  ctx->peer = peer;
  ctx->lock = &call->lock;
  ctx->track = track_new (call, peer, pad);
  bin = GST_ELEMENT (gst_element_get_parent (pc));
  decodebin = gst_element_factory_make ("decodebin", NULL);
  g_signal_connect_data (decodebin, "pad-added", G_CALLBACK (on_decoded_pad),
      ctx, (GClosureNotify) g_free, 0);
  gst_bin_add (GST_BIN (bin), decodebin);
  gst_element_sync_state_with_parent (decodebin);
  sinkpad = gst_element_get_static_pad (decodebin, "sink");
  gst_pad_add_probe (sinkpad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, track_eos,
      &ctx->track->eos, NULL);
  gst_pad_link (pad, sinkpad);
  gst_object_unref (sinkpad);
  gst_object_unref (bin);
}

static void
on_add_stream (GstElement * pc, const gchar * msid, CallPeer * peer)
{
  g_atomic_int_inc (&peer->streams_added);
}

static void
on_remove_stream (GstElement * pc, const gchar * msid, CallPeer * peer)
{
  g_atomic_int_inc (&peer->streams_removed);
}

/* Every ICE connection state a peer went through, so a test can check a
 * sequence without racing the notifications. */
static void
on_ice_state (GstElement * pc, GParamSpec * pspec, CallPeer * peer)
{
  GstWebRTCICEConnectionState state;

  g_object_get (pc, "ice-connection-state", &state, NULL);
  g_atomic_int_or (&peer->ice_states_seen, 1u << state);
}

static void
on_negotiation_needed (GstElement * pc, CallPeer * peer)
{
  g_atomic_int_inc (&peer->negotiation_needed);
}

/* webrtcbin gathers on every interface; keep it on loopback. */
static void
restrict_webrtcbin_to_loopback (GstElement * pc)
{
  GObject *ice = NULL, *agent = NULL;
  NiceAddress addr;

  g_object_get (pc, "ice-agent", &ice, NULL);
  if (ice && g_object_class_find_property (G_OBJECT_GET_CLASS (ice), "agent"))
    g_object_get (ice, "agent", &agent, NULL);
  if (agent) {
    nice_address_init (&addr);
    nice_address_set_from_string (&addr, "127.0.0.1");
    nice_agent_add_local_address (NICE_AGENT (agent), &addr);
    g_object_unref (agent);
  }
  g_clear_object (&ice);
}

/* The sender's sink pad (owned). @msid, when set, is the pad's stream;
 * it is set before the link so that the first offer already has it. */
static GstPad *
add_sender_bin (Call * call, GstElement * pc, GstElement * src,
    const gchar * msid)
{
  GstPad *srcpad, *sinkpad;

  gst_bin_add (GST_BIN (call->pipeline), src);
  srcpad = gst_element_get_static_pad (src, "src");
  sinkpad = gst_element_request_pad_simple (pc, "sink_%u");
  fail_unless (sinkpad != NULL);
  if (msid)
    g_object_set (sinkpad, "msid", msid, NULL);
  fail_unless_equals_int (gst_pad_link (srcpad, sinkpad), GST_PAD_LINK_OK);
  gst_object_unref (srcpad);
  /* Added to a playing pipeline, it has to catch up by itself. */
  fail_unless (gst_element_sync_state_with_parent (src));
  return sinkpad;
}

static GstPad *
add_sender_full (Call * call, GstElement * pc, const gchar * desc,
    const gchar * msid)
{
  GError *error = NULL;
  GstElement *src = gst_parse_bin_from_description (desc, TRUE, &error);

  fail_unless (src != NULL, "%s: %s", desc, error ? error->message : "");
  return add_sender_bin (call, pc, src, msid);
}

static void
add_sender (Call * call, GstElement * pc, const gchar * desc)
{
  gst_object_unref (add_sender_full (call, pc, desc, call->stream_id));
}

#define VIDEO_SEND "videotestsrc is-live=true pattern=ball ! " \
  "video/x-raw,width=320,height=240,framerate=30/1 ! " \
  "vp8enc deadline=1 cpu-used=8 ! rtpvp8pay pt=96 mtu=1200 ! queue"
#define AUDIO_SEND "audiotestsrc is-live=true wave=sine ! " \
  "audio/x-raw,rate=48000,channels=2 ! opusenc ! rtpopuspay pt=111 ! queue"

Call *
call_new (const gchar * factory0, const gchar * factory1, gboolean with_relay)
{
  Call *call = g_new0 (Call, 1);
  guint i;

  g_mutex_init (&call->lock);
  g_cond_init (&call->cond);
  call->pipeline = gst_pipeline_new (NULL);
  call->send_video = call->send_audio = TRUE;
  if (with_relay)
    call->relay = relay_new ();
  for (i = 0; i < 2; i++) {
    CallPeer *peer = &call->peer[i];

    peer->tracks = g_ptr_array_new_with_free_func (track_free);
    peer->factory = i == 0 ? factory0 : factory1;
    peer->pc = gst_element_factory_make (peer->factory, NULL);
    fail_unless (peer->pc != NULL, "no %s", peer->factory);
    if (g_object_class_find_property (G_OBJECT_GET_CLASS (peer->pc),
            "ice-addresses"))
      g_object_set (peer->pc, "ice-addresses", "127.0.0.1", NULL);
    else
      restrict_webrtcbin_to_loopback (peer->pc);
    if (g_signal_lookup ("on-add-stream", G_OBJECT_TYPE (peer->pc))) {
      g_signal_connect (peer->pc, "on-add-stream", G_CALLBACK (on_add_stream),
          peer);
      g_signal_connect (peer->pc, "on-remove-stream",
          G_CALLBACK (on_remove_stream), peer);
    }
    g_signal_connect (peer->pc, "on-ice-candidate",
        G_CALLBACK (on_ice_candidate), call);
    g_signal_connect (peer->pc, "notify::ice-connection-state",
        G_CALLBACK (on_ice_state), peer);
    g_signal_connect (peer->pc, "pad-added", G_CALLBACK (on_pc_pad_added),
        call);
    g_signal_connect (peer->pc, "on-negotiation-needed",
        G_CALLBACK (on_negotiation_needed), peer);
    gst_bin_add (GST_BIN (call->pipeline), peer->pc);
  }
  return call;
}

static void
on_notify (GObject * obj, GParamSpec * pspec, Call * call)
{
  g_mutex_lock (&call->lock);
  g_cond_broadcast (&call->cond);
  g_mutex_unlock (&call->lock);
}

void
call_start (Call * call)
{
  guint i;
  gint64 deadline;

  for (i = 0; i < 2; i++) {
    g_object_set (call->peer[i].pc, "bundle-policy", call->bundle_policy,
        NULL);
    if (call->send_video)
      add_sender (call, call->peer[i].pc, VIDEO_SEND);
    if (call->send_audio)
      add_sender (call, call->peer[i].pc, AUDIO_SEND);
  }
  fail_unless (gst_element_set_state (call->pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);

  /* Offer once every sink pad knows its caps, so one round has all of
   * them. */
  deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  for (i = 0; i < 2; i++) {
    GstIterator *it = gst_element_iterate_sink_pads (call->peer[i].pc);
    GValue v = G_VALUE_INIT;

    while (gst_iterator_next (it, &v) == GST_ITERATOR_OK) {
      GstPad *pad = g_value_get_object (&v);
      gulong id = g_signal_connect (pad, "notify::caps",
          G_CALLBACK (on_notify), call);
      GstCaps *caps;

      g_mutex_lock (&call->lock);
      while (!(caps = gst_pad_get_current_caps (pad)))
        if (!g_cond_wait_until (&call->cond, &call->lock, deadline))
          break;
      g_mutex_unlock (&call->lock);
      g_signal_handler_disconnect (pad, id);
      fail_unless (caps != NULL, "no caps on %s", GST_PAD_NAME (pad));
      gst_caps_unref (caps);
      g_value_reset (&v);
    }
    g_value_unset (&v);
    gst_iterator_free (it);
  }
  negotiate (call);
}

static gboolean
bus_error (Call * call)
{
  GstBus *bus = gst_element_get_bus (call->pipeline);
  GstMessage *msg;
  gboolean failed = FALSE;

  while ((msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR))) {
    GError *err = NULL;
    gchar *dbg = NULL;

    gst_message_parse_error (msg, &err, &dbg);
    GST_ERROR ("bus error from %s: %s (%s)", GST_MESSAGE_SRC_NAME (msg),
        err->message, dbg);
    call_fail (call, err->message);
    g_clear_error (&err);
    g_free (dbg);
    gst_message_unref (msg);
    failed = TRUE;
  }
  gst_object_unref (bus);
  return failed;
}

gboolean
call_wait_media (Call * call, gint frames, gint audio, guint timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_TIME_SPAN_SECOND;
  GstBus *bus = gst_element_get_bus (call->pipeline);
  gboolean ok = FALSE;

  while (g_get_monotonic_time () < deadline) {
    GstMessage *msg;
    guint i;

    ok = TRUE;
    for (i = 0; i < 2; i++) {
      if (g_atomic_int_get (&call->peer[i].video_frames) < frames ||
          g_atomic_int_get (&call->peer[i].audio_buffers) < audio)
        ok = FALSE;
    }
    if (ok || call->error || bus_error (call))
      break;
    /* The bus is the clock of this loop: wait on it for a while. */
    msg = gst_bus_timed_pop_filtered (bus, 50 * GST_MSECOND,
        GST_MESSAGE_ERROR);
    if (msg) {
      GError *err = NULL;

      gst_message_parse_error (msg, &err, NULL);
      call_fail (call, err->message);
      g_clear_error (&err);
      gst_message_unref (msg);
    }
  }
  gst_object_unref (bus);
  if (!ok)
    GST_WARNING ("media wait ended: peer0 video %d audio %d, peer1 video %d "
        "audio %d, error %s", call->peer[0].video_frames,
        call->peer[0].audio_buffers, call->peer[1].video_frames,
        call->peer[1].audio_buffers, call->error);
  return ok && !call->error;
}

/* A wait that timed out says where each peer stood, so that a failure
 * seen once under load can be read from the log. */
static void
call_print_states (Call * call, const gchar * property, gint want, gint got)
{
  static const gchar *props[] = { "signaling-state", "ice-gathering-state",
    "ice-connection-state", "connection-state"
  };
  guint i, j;

  g_printerr ("# timed out waiting for %s = %d (is %d)\n", property, want,
      got);
  for (i = 0; i < 2; i++) {
    g_printerr ("# peer %u (%s):", i, call->peer[i].factory);
    for (j = 0; j < G_N_ELEMENTS (props); j++) {
      gint v;

      g_object_get (call->peer[i].pc, props[j], &v, NULL);
      g_printerr (" %s=%d", props[j], v);
    }
    g_printerr ("\n");
  }
}

gboolean
call_wait_property (Call * call, GstElement * pc, const gchar * property,
    gint value, guint timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_TIME_SPAN_SECOND;
  gchar *detailed = g_strdup_printf ("notify::%s", property);
  gulong id = g_signal_connect (pc, detailed, G_CALLBACK (on_notify), call);
  gint cur;

  g_mutex_lock (&call->lock);
  for (;;) {
    g_object_get (pc, property, &cur, NULL);
    if (cur == value)
      break;
    if (!g_cond_wait_until (&call->cond, &call->lock, deadline)) {
      g_object_get (pc, property, &cur, NULL);
      break;
    }
  }
  g_mutex_unlock (&call->lock);
  g_signal_handler_disconnect (pc, id);
  g_free (detailed);
  if (cur != value)
    call_print_states (call, property, value, cur);
  return cur == value;
}

gboolean
call_relay_saw (Call * call, const guint8 * needle, gsize len)
{
  gboolean found;

  g_mutex_lock (&call->relay->lock);
  found = call->relay->wire->len >= len &&
      memmem (call->relay->wire->data, call->relay->wire->len, needle,
      len) != NULL;
  g_mutex_unlock (&call->relay->lock);
  return found;
}

guint64
call_relay_bytes (Call * call)
{
  guint64 n;

  g_mutex_lock (&call->relay->lock);
  n = call->relay->bytes;
  g_mutex_unlock (&call->relay->lock);
  return n;
}

guint
call_relay_dtls_handshakes (Call * call)
{
  guint n;

  g_mutex_lock (&call->relay->lock);
  n = call->relay->dtls_handshakes;
  g_mutex_unlock (&call->relay->lock);
  return n;
}

void
call_relay_inject (Call * call, guint i, const guint8 * data, gsize len)
{
  RelayPort *target = NULL, *from = NULL;
  GInetAddress *lo;
  GSocketAddress *to;
  guint k;

  g_mutex_lock (&call->relay->lock);
  for (k = 0; k < call->relay->ports->len; k++) {
    RelayPort *p = g_ptr_array_index (call->relay->ports, k);

    if (p->peer == i && !target)
      target = p;
    if (p->peer != i && !from)
      from = p;
  }
  g_mutex_unlock (&call->relay->lock);
  fail_unless (target && from, "relay has no ports yet");
  lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  to = g_inet_socket_address_new (lo, target->real_port);
  g_socket_send_to (from->socket, to, (const gchar *) data, len, NULL, NULL);
  g_object_unref (to);
  g_object_unref (lo);
}

void
call_relay_set_loss (Call * call, guint percent)
{
  g_mutex_lock (&call->relay->lock);
  call->relay->loss_percent = percent;
  g_mutex_unlock (&call->relay->lock);
}

void
call_relay_cut (Call * call)
{
  g_mutex_lock (&call->relay->lock);
  call->relay->cut = TRUE;
  g_mutex_unlock (&call->relay->lock);
}

void
call_free (Call * call)
{
  guint i;

  gst_element_set_state (call->pipeline, GST_STATE_NULL);
  gst_object_unref (call->pipeline);
  if (call->relay)
    relay_free (call->relay);
  /* Only now: the pipeline's probes counted into them until it stopped. */
  for (i = 0; i < 2; i++)
    g_ptr_array_unref (call->peer[i].tracks);
  if (call->last_offer)
    gst_webrtc_session_description_free (call->last_offer);
  if (call->last_answer)
    gst_webrtc_session_description_free (call->last_answer);
  g_free (call->error);
  if (call->offer_options)
    gst_structure_free (call->offer_options);
  g_mutex_clear (&call->lock);
  g_cond_clear (&call->cond);
  g_free (call);
}

gchar *
call_fingerprint_of_pem (const gchar * pem)
{
  BIO *bio = BIO_new_mem_buf (pem, -1);
  X509 *x = PEM_read_bio_X509 (bio, NULL, NULL, NULL);
  guint8 md[EVP_MAX_MD_SIZE];
  unsigned int len = 0, i;
  GString *s = g_string_new ("sha-256 ");

  fail_unless (x != NULL, "not a PEM certificate");
  X509_digest (x, EVP_sha256 (), md, &len);
  for (i = 0; i < len; i++)
    g_string_append_printf (s, i ? ":%02X" : "%02X", md[i]);
  X509_free (x);
  BIO_free (bio);
  return g_string_free (s, FALSE);
}

GstPad *
call_add_sender (Call * call, guint i, gboolean video, const gchar * msid)
{
  return add_sender_full (call, call->peer[i].pc, video ? VIDEO_SEND :
      AUDIO_SEND, msid);
}

GstPad *
call_add_sender_bin (Call * call, guint i, GstElement * bin,
    const gchar * msid)
{
  return add_sender_bin (call, call->peer[i].pc, bin, msid);
}

/* Waits on the bus, 50 ms at a time, until @done says so, an error shows
 * up or the deadline passes: the bus is this loop's clock, and its errors
 * end the wait early. */
static gboolean
wait_until (Call * call, gboolean (*done) (Call *, gpointer), gpointer data,
    guint timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_TIME_SPAN_SECOND;
  GstBus *bus = gst_element_get_bus (call->pipeline);
  gboolean ok = FALSE;

  while (g_get_monotonic_time () < deadline) {
    GstMessage *msg;

    if ((ok = done (call, data)) || call->error || bus_error (call))
      break;
    msg = gst_bus_timed_pop_filtered (bus, 50 * GST_MSECOND, GST_MESSAGE_ERROR);
    if (msg) {
      GError *err = NULL;

      gst_message_parse_error (msg, &err, NULL);
      call_fail (call, err->message);
      g_clear_error (&err);
      gst_message_unref (msg);
    }
  }
  gst_object_unref (bus);
  return ok && !call->error;
}

typedef struct
{
  guint peer;
  gint count;
  guint n;
} WaitArgs;

static gboolean
negotiation_needed_seen (Call * call, gpointer data)
{
  WaitArgs *w = data;

  return g_atomic_int_get (&call->peer[w->peer].negotiation_needed) > w->count;
}

gboolean
call_wait_negotiation_needed (Call * call, guint i, gint count, guint timeout_s)
{
  WaitArgs w = { i, count, 0 };

  return wait_until (call, negotiation_needed_seen, &w, timeout_s);
}

static gboolean
tracks_decoded (Call * call, gpointer data)
{
  WaitArgs *w = data;
  GPtrArray *tracks = call->peer[w->peer].tracks;
  gboolean ok;
  guint i;

  g_mutex_lock (&call->lock);
  ok = tracks->len >= w->n;
  for (i = 0; ok && i < tracks->len; i++)
    ok = g_atomic_int_get (&((CallTrack *) g_ptr_array_index (tracks,
                i))->frames) >= w->count;
  g_mutex_unlock (&call->lock);
  return ok;
}

gboolean
call_wait_tracks (Call * call, guint i, guint n, gint frames, guint timeout_s)
{
  WaitArgs w = { i, frames, n };
  gboolean ok = wait_until (call, tracks_decoded, &w, timeout_s);

  if (!ok) {
    guint k;

    g_mutex_lock (&call->lock);
    for (k = 0; k < call->peer[i].tracks->len; k++) {
      CallTrack *t = g_ptr_array_index (call->peer[i].tracks, k);

      GST_WARNING ("peer %u track %s (msid %s, m-line %u): %d decoded", i,
          t->pad_name, t->msid, t->mline, g_atomic_int_get (&t->frames));
    }
    g_mutex_unlock (&call->lock);
  }
  return ok;
}

static gboolean
track_decoded (Call * call, gpointer data)
{
  WaitArgs *w = data;
  GPtrArray *tracks = call->peer[w->peer].tracks;
  gboolean ok;

  g_mutex_lock (&call->lock);
  ok = w->n < tracks->len && g_atomic_int_get (&((CallTrack *)
          g_ptr_array_index (tracks, w->n))->frames) >= w->count;
  g_mutex_unlock (&call->lock);
  return ok;
}

gboolean
call_wait_track_frames (Call * call, guint i, guint idx, gint frames,
    guint timeout_s)
{
  WaitArgs w = { i, frames, idx };

  return wait_until (call, track_decoded, &w, timeout_s);
}

gboolean
call_wait_caps (Call * call, GstPad * pad, guint timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_TIME_SPAN_SECOND;
  gulong id = g_signal_connect (pad, "notify::caps", G_CALLBACK (on_notify),
      call);
  GstCaps *caps;

  g_mutex_lock (&call->lock);
  while (!(caps = gst_pad_get_current_caps (pad)))
    if (!g_cond_wait_until (&call->cond, &call->lock, deadline))
      break;
  g_mutex_unlock (&call->lock);
  g_signal_handler_disconnect (pad, id);
  if (!caps)
    caps = gst_pad_get_current_caps (pad);
  if (caps)
    gst_caps_unref (caps);
  return caps != NULL;
}

guint
call_n_tracks (Call * call, guint i)
{
  guint n;

  g_mutex_lock (&call->lock);
  n = call->peer[i].tracks->len;
  g_mutex_unlock (&call->lock);
  return n;
}

void
call_get_track (Call * call, guint i, guint idx, CallTrack * out)
{
  CallTrack *t;

  g_mutex_lock (&call->lock);
  fail_unless (idx < call->peer[i].tracks->len, "peer %u has no track %u", i,
      idx);
  t = g_ptr_array_index (call->peer[i].tracks, idx);
  *out = *t;
  out->pad_name = g_strdup (t->pad_name);
  out->msid = g_strdup (t->msid);
  out->frames = g_atomic_int_get (&t->frames);
  g_mutex_unlock (&call->lock);
}

void
call_track_clear (CallTrack * track)
{
  g_clear_pointer (&track->pad_name, g_free);
  g_clear_pointer (&track->msid, g_free);
}
