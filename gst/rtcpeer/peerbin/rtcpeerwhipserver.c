/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* A WHIP server (RFC 9725), built on the public signals of peer
 * connections:
 *
 *   gst-launch-1.0 rtcpeerbin whip-listen=127.0.0.1:8080 whip-token=s3cret
 *       ! decodebin ! autovideosink
 *
 * A publisher POSTs its offer (application/sdp) to /whip. A bin is one
 * peer connection, and a closed connection does not come back, so a bin
 * with whip-listen does not use its own: each publisher gets a child
 * rtcpeerbin inside the bin, a fresh peer connection, which answers the
 * offer (rtcpeeranswer.c, as the WHEP server's viewers do). The answer,
 * with every candidate, goes back in a 201 whose Location is the
 * session's resource (/whip/<uuid>). PATCH there
 * (application/trickle-ice-sdpfrag) trickles candidates to the child;
 * DELETE ends the session, and so does the child's connection failing
 * (a publisher gone without DELETE: its ICE consent expires) or closing,
 * or its error (a warning of the bin).
 *
 * The bin's src pads outlive the sessions. A publisher's track comes out
 * of the first src pad of its kind (audio, video) that no track of the
 * current publisher uses, retargeted to the child's src pad, or of a new
 * one (pad-added), so the next publisher's media flows through the same
 * pads and whatever is linked there (launch lines). A session's end is
 * not an end of stream, except for the last session whip-sessions
 * allows: then the publisher's BYE and the session's end do end the src
 * pads (EOS), and a launch line ends with its publisher.
 *
 * One publisher at a time: a POST while a session is being set up or on
 * is 409; once whip-sessions publishers were served, 503. Each session's
 * creation and end is an element message "rtcpeerbin-whip-server"
 * (fields "event", "created" or "deleted", and "resource"), and the
 * signals on-new-publisher and on-publisher-removed show the child.
 *
 * whip-token, when set, is the bearer the server expects (a bin is a
 * WHIP client or a WHIP server, never both); it is compared in constant
 * time. Requests are served by rtcpeerhttp.c's thread: a POST is paused
 * there while the child's operations run, so neither the ops thread nor
 * the server waits on the other. Ending a session waits for the child's
 * peer connection to close: that runs from gst_element_call_async (). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <gst/webrtc/webrtc.h>

#include "gstrtcpeerbin.h"
#include "gstrtcpeerpad.h"
#include "rtcpeeranswer.h"

GST_DEBUG_CATEGORY_EXTERN (gst_rtc_peer_bin_debug);
#define GST_CAT_DEFAULT gst_rtc_peer_bin_debug

enum
{
  PROP_WHIP_LISTEN = 0x7e20,
  PROP_WHIP_SESSIONS,
};

enum
{
  SIGNAL_NEW_PUBLISHER,
  SIGNAL_PUBLISHER_REMOVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* a POST the bin has not answered by then is 503 */
#define ANSWER_TIMEOUT_S 15
#define WHIP_PATH "/whip"

typedef struct _RtcWhipServer RtcWhipServer;

typedef struct
{
  gint refs;
  RtcWhipServer *srv;
  gchar *resource;              /* /whip/<uuid> */
  GstElement *pc;               /* the child rtcpeerbin */
  RtcAnswer *answer;            /* while answering */
  gboolean created;             /* answered 201 */
  gboolean last;                /* the last session whip-sessions allows */
  gboolean gone;                /* torn down (server lock) */
} Session;

/* One src pad of the bin; the current publisher's track of its kind. */
typedef struct
{
  GstPad *ghost;
  GstWebRTCKind kind;
  Session *owner;               /* compared, never dereferenced */
} Output;

struct _RtcWhipServer
{
  GMutex lock;
  gchar *listen;
  guint max_sessions;
  RtcHttpServer *http;
  GstElement *self;             /* not a reference: we live in its data */
  Session *session;             /* the publisher, being answered or on */
  GPtrArray *children;          /* Session, every child still in the bin */
  guint created;                /* sessions answered 201 so far */
  gint last;                    /* atomic: EOS goes out of the src pads */
  GArray *outputs;              /* Output */
  guint next_src;
  /* held while a src pad is retargeted: the publisher coming and the one
   * going may do it at once; nothing under it calls back into us */
  GMutex relink;
};

static GObjectSetPropertyFunc parent_set_property;
static GObjectGetPropertyFunc parent_get_property;
static GstStateChangeReturn (*parent_change_state) (GstElement *,
    GstStateChange);
static void (*parent_handle_message) (GstBin *, GstMessage *);

static RtcWhipServer *
get_server (gpointer self)
{
  return g_object_get_data (G_OBJECT (self), "rtc-whip-server");
}

static Session *
session_ref (Session * s)
{
  g_atomic_int_inc (&s->refs);
  return s;
}

static void
session_unref (gpointer data)
{
  Session *s = data;

  if (!g_atomic_int_dec_and_test (&s->refs))
    return;
  g_free (s->resource);
  gst_object_unref (s->pc);
  g_free (s);
}

static void
session_unref_closure (gpointer data, GClosure * closure)
{
  session_unref (data);
}

static void
post_session_message (RtcWhipServer * srv, const gchar * event,
    const gchar * resource)
{
  gst_element_post_message (srv->self,
      gst_message_new_element (GST_OBJECT (srv->self),
          gst_structure_new ("rtcpeerbin-whip-server", "event",
              G_TYPE_STRING, event, "resource", G_TYPE_STRING, resource,
              NULL)));
}

/* Every src pad not ended yet ends: the last session is over. */
static void
end_outputs (RtcWhipServer * srv)
{
  GPtrArray *pads = g_ptr_array_new_with_free_func (gst_object_unref);
  guint i;

  g_mutex_lock (&srv->lock);
  for (i = 0; i < srv->outputs->len; i++)
    g_ptr_array_add (pads, gst_object_ref (g_array_index (srv->outputs,
                Output, i).ghost));
  g_mutex_unlock (&srv->lock);
  for (i = 0; i < pads->len; i++) {
    GstPad *pad = g_ptr_array_index (pads, i);

    if (!GST_PAD_IS_EOS (pad))
      gst_pad_push_event (pad, gst_event_new_eos ());
  }
  g_ptr_array_unref (pads);
}

/* Off the streaming and server threads: the session's child goes, the
 * src pads it fed are free for the next publisher. */
static void
teardown_session (GstElement * element, gpointer data)
{
  RtcWhipServer *srv = get_server (element);
  Session *s = data;
  gboolean gone, last;
  guint i;

  /* the bin going to NULL and the session's own end may both come */
  g_mutex_lock (&srv->lock);
  gone = s->gone;
  s->gone = TRUE;
  last = s->last;
  g_mutex_unlock (&srv->lock);
  if (gone)
    return;
  /* The child emits from its own threads and may outlive the bin (a
   * worker holds it for an operation): none of its handlers may reach the
   * server after this. Disconnected before it goes to NULL, which waits
   * for a handler running now. */
  g_signal_handlers_disconnect_by_data (s->pc, s);
  g_mutex_lock (&srv->relink);
  for (i = 0; i < srv->outputs->len; i++) {
    Output *o = &g_array_index (srv->outputs, Output, i);
    GstPad *target;

    if (o->owner != s)
      continue;
    o->owner = NULL;
    target = gst_ghost_pad_get_target (GST_GHOST_PAD (o->ghost));
    if (target && GST_OBJECT_PARENT (target) == GST_OBJECT (s->pc))
      gst_ghost_pad_set_target (GST_GHOST_PAD (o->ghost), NULL);
    gst_clear_object (&target);
  }
  g_mutex_unlock (&srv->relink);
  rtc_answer_remove_child (element, s->pc);
  g_mutex_lock (&srv->lock);
  g_ptr_array_remove (srv->children, s);
  g_mutex_unlock (&srv->lock);
  if (s->created) {
    GST_INFO_OBJECT (element, "WHIP session %s deleted", s->resource);
    g_signal_emit (element, signals[SIGNAL_PUBLISHER_REMOVED], 0,
        s->resource);
    post_session_message (srv, "deleted", s->resource);
  }
  if (last) {
    end_outputs (srv);
    /* the child made the bin a sink of its pipeline, whose EOS waits for
     * the bin's own */
    gst_element_post_message (element, gst_message_new_eos (GST_OBJECT
            (element)));
  }
}

/* Any thread: @s ends, if it is still the current session. */
static void
end_session (RtcWhipServer * srv, Session * s, const gchar * why)
{
  RtcAnswer *answer = NULL;
  gboolean current;

  g_mutex_lock (&srv->lock);
  current = srv->session == s;
  if (current) {
    srv->session = NULL;
    answer = g_steal_pointer (&s->answer);
  }
  g_mutex_unlock (&srv->lock);
  if (!current)
    return;
  GST_INFO_OBJECT (srv->self, "WHIP session %s ends: %s", s->resource, why);
  /* answered (or failed) already, or this is its answer's end */
  rtc_answer_unref (answer);
  gst_element_call_async (srv->self, teardown_session, session_ref (s),
      session_unref);
}

/* On the child's threads: a publisher gone without DELETE (consent
 * expired: failed) or whose connection closed frees the slot. */
static void
on_connection_state (GstElement * pc, GParamSpec * pspec, gpointer data)
{
  Session *s = data;
  GstWebRTCPeerConnectionState state;

  g_object_get (pc, "connection-state", &state, NULL);
  GST_DEBUG_OBJECT (pc, "WHIP session %s: connection state %d", s->resource,
      state);
  if (state == GST_WEBRTC_PEER_CONNECTION_STATE_FAILED)
    end_session (s->srv, s, "its connection failed");
  else if (state == GST_WEBRTC_PEER_CONNECTION_STATE_CLOSED)
    end_session (s->srv, s, "its connection closed");
}

static GstPadProbeReturn
eos_probe (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  RtcWhipServer *srv = data;

  /* a publisher's BYE: the next one follows on this pad */
  if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) == GST_EVENT_EOS
      && !g_atomic_int_get (&srv->last))
    return GST_PAD_PROBE_DROP;
  return GST_PAD_PROBE_OK;
}

/* On the child's streaming thread: a track of the publisher comes out of
 * a free src pad of its kind, or of a new one. */
static void
on_child_pad_added (GstElement * pc, GstPad * pad, gpointer data)
{
  Session *s = data;
  RtcWhipServer *srv = s->srv;
  GstWebRTCKind kind = GST_WEBRTC_KIND_UNKNOWN;
  GstPad *ghost = NULL, *internal;
  GstPadTemplate *templ;
  gchar *name;
  guint i;

  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC || !GST_IS_RTC_PEER_PAD (pad))
    return;
  g_object_get (GST_RTC_PEER_PAD (pad)->transceiver, "kind", &kind, NULL);
  g_mutex_lock (&srv->relink);
  g_mutex_lock (&srv->lock);
  if (srv->session != s) {
    /* a late track of a session that has ended */
    g_mutex_unlock (&srv->lock);
    g_mutex_unlock (&srv->relink);
    return;
  }
  for (i = 0; i < srv->outputs->len && !ghost; i++) {
    Output *o = &g_array_index (srv->outputs, Output, i);

    if (o->kind == kind && o->owner != srv->session) {
      o->owner = s;
      ghost = gst_object_ref (o->ghost);
    }
  }
  g_mutex_unlock (&srv->lock);
  if (ghost) {
    GST_INFO_OBJECT (srv->self, "WHIP session %s: %s on %s", s->resource,
        GST_PAD_NAME (pad), GST_PAD_NAME (ghost));
    gst_ghost_pad_set_target (GST_GHOST_PAD (ghost), pad);
    g_mutex_unlock (&srv->relink);
    gst_object_unref (ghost);
    return;
  }
  g_mutex_lock (&srv->lock);
  name = g_strdup_printf ("src_%u", srv->next_src++);
  g_mutex_unlock (&srv->lock);
  templ = gst_element_class_get_pad_template (GST_ELEMENT_GET_CLASS
      (srv->self), "src_%u");
  ghost = gst_ghost_pad_new_from_template (name, pad, templ);
  g_free (name);
  internal = GST_PAD (gst_proxy_pad_get_internal (GST_PROXY_PAD (ghost)));
  /* dropped before the src pad stores it and refuses any more data */
  gst_pad_add_probe (internal, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
      eos_probe, srv, NULL);
  gst_object_unref (internal);
  gst_pad_set_active (ghost, TRUE);
  g_mutex_lock (&srv->lock);
  {
    Output o = { gst_object_ref (ghost), kind, s };

    g_array_append_val (srv->outputs, o);
  }
  g_mutex_unlock (&srv->lock);
  g_mutex_unlock (&srv->relink);
  gst_element_add_pad (srv->self, ghost);
}

/* On the server's thread: the POST is answered. */
static void
answered (SoupServerMessage * msg, guint status, const gchar * text,
    gpointer data)
{
  Session *s = data;
  RtcWhipServer *srv = s->srv;
  RtcAnswer *answer = NULL;
  gboolean current;

  g_mutex_lock (&srv->lock);
  current = srv->session == s;
  if (current) {
    answer = g_steal_pointer (&s->answer);
    if (status == SOUP_STATUS_CREATED) {
      s->created = TRUE;
      srv->created++;
      s->last = srv->max_sessions && srv->created >= srv->max_sessions;
      if (s->last)
        g_atomic_int_set (&srv->last, TRUE);
    }
  }
  g_mutex_unlock (&srv->lock);
  rtc_answer_unref (answer);
  if (status != SOUP_STATUS_CREATED || !current) {
    rtc_http_respond (msg, current ? status : SOUP_STATUS_GONE, current ?
        text : "the session ended");
    end_session (srv, s, "not answered");
    return;
  }
  rtc_http_respond_created (msg, s->resource, text);
  GST_INFO_OBJECT (srv->self, "WHIP session %s created", s->resource);
  post_session_message (srv, "created", s->resource);
}

static void
handle_post (RtcWhipServer * srv, SoupServerMessage * msg)
{
  GstSDPMessage *sdp = rtc_http_read_offer (msg);
  RtcAnswer *answer;
  Session *s;
  guint conflict = 0;
  gchar *uuid;

  if (!sdp)
    return;
  s = g_new0 (Session, 1);
  s->refs = 1;
  s->srv = srv;
  uuid = g_uuid_string_random ();
  s->resource = g_strconcat (WHIP_PATH "/", uuid, NULL);
  g_free (uuid);
  g_mutex_lock (&srv->lock);
  if (srv->session)
    conflict = SOUP_STATUS_CONFLICT;
  else if (srv->max_sessions && srv->created >= srv->max_sessions)
    conflict = SOUP_STATUS_SERVICE_UNAVAILABLE;
  else
    srv->session = s;
  g_mutex_unlock (&srv->lock);
  if (conflict) {
    gst_sdp_message_free (sdp);
    g_free (s->resource);
    g_free (s);
    rtc_http_respond (msg, conflict, conflict == SOUP_STATUS_CONFLICT ?
        "a publisher is already connected" : "this rtcpeerbin served the "
        "publishers whip-sessions allows");
    return;
  }
  s->pc = rtc_answer_new_peer (srv->self);
  g_signal_connect_data (s->pc, "pad-added",
      G_CALLBACK (on_child_pad_added), session_ref (s),
      session_unref_closure, 0);
  g_signal_connect_data (s->pc, "notify::connection-state",
      G_CALLBACK (on_connection_state), session_ref (s),
      session_unref_closure, 0);
  g_mutex_lock (&srv->lock);
  g_ptr_array_add (srv->children, session_ref (s));
  g_mutex_unlock (&srv->lock);
  gst_bin_add (GST_BIN (srv->self), gst_object_ref (s->pc));
  if (!gst_element_sync_state_with_parent (s->pc)) {
    gst_sdp_message_free (sdp);
    rtc_http_respond (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR,
        "the publisher's peer connection did not start");
    end_session (srv, s, "its peer connection did not start");
    session_unref (s);
    return;
  }
  g_signal_emit (srv->self, signals[SIGNAL_NEW_PUBLISHER], 0, s->resource,
      s->pc);
  /* Not under the lock: it emits the child's signals. answered () runs
   * on this thread, later; a session ended meanwhile is answered 410. */
  answer = rtc_answer_start (s->pc, msg, sdp, ANSWER_TIMEOUT_S, answered,
      session_ref (s), session_unref);
  g_mutex_lock (&srv->lock);
  if (srv->session == s) {
    s->answer = answer;
    answer = NULL;
  }
  g_mutex_unlock (&srv->lock);
  rtc_answer_unref (answer);
  session_unref (s);
}

static void
handler (SoupServer * server, SoupServerMessage * msg, const char *path,
    GHashTable * query, gpointer data)
{
  RtcWhipServer *srv = data;
  const gchar *method = soup_server_message_get_method (msg);
  Session *s = NULL;
  gchar *token = NULL;
  gboolean authorized;

  GST_DEBUG_OBJECT (srv->self, "WHIP: %s %s", method, path);
  if (soup_server_message_get_status (msg) != 0)
    return;                     /* refused by the early handler */
  g_object_get (srv->self, "whip-token", &token, NULL);
  authorized = rtc_http_check_bearer (msg, token);
  g_free (token);
  g_mutex_lock (&srv->lock);
  if (srv->session && srv->session->created
      && strcmp (path, srv->session->resource) == 0)
    s = session_ref (srv->session);
  g_mutex_unlock (&srv->lock);
  if (!authorized)
    rtc_http_respond (msg, SOUP_STATUS_UNAUTHORIZED, "wrong or no token");
  else if (strcmp (path, WHIP_PATH) == 0 && strcmp (method, "POST") == 0)
    handle_post (srv, msg);
  else if (strcmp (path, WHIP_PATH) == 0)
    rtc_http_respond (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
  else if (!s)
    rtc_http_respond (msg, SOUP_STATUS_NOT_FOUND, "no such session");
  else if (strcmp (method, "DELETE") == 0) {
    soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
    end_session (srv, s, "DELETE");
  } else if (strcmp (method, "PATCH") == 0)
    rtc_answer_trickle (s->pc, msg);
  else
    rtc_http_respond (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
  if (s)
    session_unref (s);
}

/* The session a message comes from (a reference), or NULL. */
static Session *
session_of (RtcWhipServer * srv, GstObject * src)
{
  Session *found = NULL;
  guint i;

  g_mutex_lock (&srv->lock);
  for (i = 0; i < srv->children->len && !found; i++) {
    Session *s = g_ptr_array_index (srv->children, i);

    if (src == GST_OBJECT (s->pc)
        || gst_object_has_as_ancestor (src, GST_OBJECT (s->pc)))
      found = session_ref (s);
  }
  g_mutex_unlock (&srv->lock);
  return found;
}

/* A child's EOS is not the bin's (the src pads say when it ends); its
 * error is a warning, and its session ends. */
static void
handle_message (GstBin * bin, GstMessage * message)
{
  RtcWhipServer *srv = get_server (bin);
  GError *error = NULL;
  gchar *debug = NULL;
  Session *s;

  if ((GST_MESSAGE_TYPE (message) != GST_MESSAGE_EOS
          && GST_MESSAGE_TYPE (message) != GST_MESSAGE_ERROR)
      || !(s = session_of (srv, GST_MESSAGE_SRC (message)))) {
    parent_handle_message (bin, message);
    return;
  }
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR) {
    gst_message_parse_error (message, &error, &debug);
    GST_ELEMENT_WARNING (srv->self, RESOURCE, FAILED, ("WHIP publisher %s: "
            "%s", s->resource, error->message), ("%s", debug ? debug : ""));
    g_clear_error (&error);
    g_free (debug);
    end_session (srv, s, "its error");
  }
  session_unref (s);
  gst_message_unref (message);
}

static gboolean
server_up (RtcWhipServer * srv)
{
  RtcHttpServer *http;
  gchar *endpoint = NULL, *peer = NULL;
  gboolean conflict;

  g_object_get (srv->self, "whip-endpoint", &endpoint, "peer", &peer, NULL);
  conflict = endpoint || peer;
  g_free (endpoint);
  g_free (peer);
  if (conflict) {
    GST_ELEMENT_ERROR (srv->self, RESOURCE, SETTINGS, ("whip-listen cannot "
            "be set with whip-endpoint or peer"), (NULL));
    return FALSE;
  }
  http = rtc_http_server_open (srv->self, "whip-listen", srv->listen,
      WHIP_PATH, handler, srv);
  if (!http)
    return FALSE;
  g_mutex_lock (&srv->lock);
  srv->http = http;
  srv->created = 0;
  g_atomic_int_set (&srv->last, FALSE);
  g_mutex_unlock (&srv->lock);
  return TRUE;
}

/* The server stops, then every child goes (the bin is in NULL). */
static void
server_down (RtcWhipServer * srv)
{
  RtcHttpServer *http;
  GPtrArray *children;
  RtcAnswer *answer = NULL;
  guint i;

  g_mutex_lock (&srv->lock);
  http = g_steal_pointer (&srv->http);
  g_mutex_unlock (&srv->lock);
  /* the thread is stopped first: no answer is delivered meanwhile */
  rtc_http_server_free (http);
  g_mutex_lock (&srv->lock);
  if (srv->session)
    answer = g_steal_pointer (&srv->session->answer);
  srv->session = NULL;
  children = g_ptr_array_copy (srv->children, (GCopyFunc) session_ref, NULL);
  for (i = 0; i < children->len; i++)
    ((Session *) g_ptr_array_index (children, i))->last = FALSE;
  g_mutex_unlock (&srv->lock);
  rtc_answer_cancel (answer);
  for (i = 0; i < children->len; i++) {
    Session *s = g_ptr_array_index (children, i);

    teardown_session (srv->self, s);
    session_unref (s);
  }
  g_ptr_array_unref (children);
}

static void
server_free (gpointer data)
{
  RtcWhipServer *srv = data;
  guint i;

  for (i = 0; i < srv->outputs->len; i++)
    gst_object_unref (g_array_index (srv->outputs, Output, i).ghost);
  g_array_unref (srv->outputs);
  g_ptr_array_unref (srv->children);
  g_free (srv->listen);
  g_mutex_clear (&srv->relink);
  g_mutex_clear (&srv->lock);
  g_free (srv);
}

/* Listening from READY to NULL: a port in use fails NULL to READY. */
static GstStateChangeReturn
change_state (GstElement * element, GstStateChange transition)
{
  RtcWhipServer *srv = get_server (element);
  GstStateChangeReturn ret;

  if (!srv->listen)
    return parent_change_state (element, transition);
  switch (transition) {
    case GST_STATE_CHANGE_NULL_TO_READY:
      if (!server_up (srv))
        return GST_STATE_CHANGE_FAILURE;
      ret = parent_change_state (element, transition);
      if (ret == GST_STATE_CHANGE_FAILURE)
        server_down (srv);
      return ret;
    case GST_STATE_CHANGE_READY_TO_NULL:
      ret = parent_change_state (element, transition);
      server_down (srv);
      return ret;
    default:
      return parent_change_state (element, transition);
  }
}

static void
set_property (GObject * object, guint prop_id, const GValue * value,
    GParamSpec * pspec)
{
  RtcWhipServer *srv = get_server (object);
  gchar *old = NULL;

  g_mutex_lock (&srv->lock);
  if (prop_id == PROP_WHIP_SESSIONS)
    srv->max_sessions = g_value_get_uint (value);
  else if (prop_id == PROP_WHIP_LISTEN) {
    old = srv->listen;
    srv->listen = g_value_dup_string (value);
  }
  g_mutex_unlock (&srv->lock);
  g_free (old);
  if (prop_id != PROP_WHIP_LISTEN && prop_id != PROP_WHIP_SESSIONS)
    parent_set_property (object, prop_id, value, pspec);
}

static void
get_property (GObject * object, guint prop_id, GValue * value,
    GParamSpec * pspec)
{
  RtcWhipServer *srv = get_server (object);

  g_mutex_lock (&srv->lock);
  if (prop_id == PROP_WHIP_SESSIONS)
    g_value_set_uint (value, srv->max_sessions);
  else if (prop_id == PROP_WHIP_LISTEN)
    g_value_set_string (value, srv->http ?
        rtc_http_server_get_address (srv->http) : srv->listen);
  g_mutex_unlock (&srv->lock);
  if (prop_id != PROP_WHIP_LISTEN && prop_id != PROP_WHIP_SESSIONS)
    parent_get_property (object, prop_id, value, pspec);
}

void
rtc_peer_whip_server_class_init (GstRtcPeerBinClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBinClass *bin_class = GST_BIN_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

  /* each wrapped, chaining to what it wraps */
  parent_set_property = gobject_class->set_property;
  parent_get_property = gobject_class->get_property;
  parent_change_state = element_class->change_state;
  parent_handle_message = bin_class->handle_message;
  gobject_class->set_property = set_property;
  gobject_class->get_property = get_property;
  element_class->change_state = change_state;
  bin_class->handle_message = handle_message;

  g_object_class_install_property (gobject_class, PROP_WHIP_LISTEN,
      g_param_spec_string ("whip-listen", "WHIP listen",
          "ADDRESS:PORT to serve WHIP (RFC 9725) on, at /whip: each "
          "publisher's offer is answered by a peer connection of its own (a "
          "child rtcpeerbin), one publisher at a time, and its media comes "
          "out of the src pads. No address is 127.0.0.1; port 0 picks one, "
          "and reading the property from READY on gives the address and "
          "port bound. whip-token, when set, is the bearer token publishers "
          "must send", NULL, flags | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_WHIP_SESSIONS,
      g_param_spec_uint ("whip-sessions", "WHIP sessions",
          "With whip-listen: how many publishers, one after the other, the "
          "server takes. The end of the last one's session ends the src "
          "pads (EOS) and a POST after it is 503. 0: no limit, and a "
          "session's end is not an end of stream", 0, G_MAXUINT, 0,
          flags | GST_PARAM_MUTABLE_PLAYING));

  /**
   * GstRtcPeerBin::on-new-publisher:
   * @resource: the session's resource path, /whip/<uuid>
   * @publisher: the session's peer connection, a child rtcpeerbin
   *
   * With whip-listen: a publisher's POST created its peer connection,
   * which answers its offer next. Emitted on the HTTP server's thread.
   */
  signals[SIGNAL_NEW_PUBLISHER] =
      g_signal_new ("on-new-publisher", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING,
      GST_TYPE_ELEMENT);
  /**
   * GstRtcPeerBin::on-publisher-removed:
   * @resource: the session's resource path
   *
   * The publisher's session was created and is over (DELETE, its
   * connection failed or closed, its error, or the bin going to NULL);
   * its peer connection is closed and gone.
   */
  signals[SIGNAL_PUBLISHER_REMOVED] =
      g_signal_new ("on-publisher-removed", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

void
rtc_peer_whip_server_init (GstRtcPeerBin * self)
{
  RtcWhipServer *srv = g_new0 (RtcWhipServer, 1);

  g_mutex_init (&srv->lock);
  g_mutex_init (&srv->relink);
  srv->self = GST_ELEMENT (self);
  srv->children = g_ptr_array_new_with_free_func (session_unref);
  srv->outputs = g_array_new (FALSE, TRUE, sizeof (Output));
  g_object_set_data_full (G_OBJECT (self), "rtc-whip-server", srv,
      server_free);
}
