/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* A WHEP server: the pipeline's media to any number of viewers.
 *
 *   gst-launch-1.0 videotestsrc is-live=true ! vp8enc deadline=1 !
 *       rtcpeerbin whep-listen=127.0.0.1:8080
 *
 * A bin is one peer connection, and a viewer needs one of its own, so a
 * bin with whep-listen does not use its own: it fans out. Each of its
 * sink pads feeds a tee inside it; each viewer's POST (its offer,
 * application/sdp, at /whep) creates a child rtcpeerbin inside the bin
 * whose sink pads are fed by those tees through a leaky queue (a slow
 * viewer drops its own buffers, never holds the others back). The child
 * answers the viewer's offer as the WHIP server's bin answers a
 * publisher's (rtcpeeranswer.c), and the answer goes back in a 201 whose
 * Location is the viewer's resource, /whep/<uuid>: PATCH there trickles
 * candidates to the child, DELETE removes the child and its queues.
 *
 * The user sees and controls each viewer: on-new-viewer (resource, child
 * rtcpeerbin) when a viewer's child is created, before it answers (its
 * properties may still be set, its stats read later), on-viewer-removed
 * (resource) when it is gone, and an element message
 * "rtcpeerbin-whep-server" (event "created" or "deleted", resource) for
 * launch lines. A viewer's error is its own: it becomes a warning of the
 * bin and the viewer is removed; the others play on. The bin's EOS comes
 * once every sink pad has ended and every viewer has said BYE.
 *
 * Threads: the POST, PATCH and DELETE handlers run on the HTTP server's
 * thread (rtcpeerhttp.c); it creates and links a viewer's elements and
 * emits on-new-viewer. Removing one waits for its peer connection to
 * close, so it runs from gst_element_call_async (), which also emits
 * on-viewer-removed. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gstrtcpeerbin.h"
#include "gstrtcpeerpad.h"
#include "rtcpeeranswer.h"

GST_DEBUG_CATEGORY_EXTERN (gst_rtc_peer_bin_debug);
#define GST_CAT_DEFAULT gst_rtc_peer_bin_debug

enum
{
  PROP_WHEP_LISTEN = 0x7e30,
  PROP_WHEP_MAX_VIEWERS,
};

enum
{
  SIGNAL_NEW_VIEWER,
  SIGNAL_VIEWER_REMOVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define ANSWER_TIMEOUT_S 15
#define WHEP_PATH "/whep"

typedef struct _RtcWhepServer RtcWhepServer;

typedef struct
{
  gint refs;
  RtcWhepServer *srv;
  gchar *resource;              /* /whep/<uuid> */
  GstElement *pc;               /* the child rtcpeerbin */
  GPtrArray *queues;            /* GstElement */
  GPtrArray *tee_pads;          /* GstPad, the tees' pads feeding it */
  RtcAnswer *answer;            /* while answering */
  gboolean eos;                 /* its own EOS: BYE sent */
} Viewer;

struct _RtcWhepServer
{
  GMutex lock;
  gchar *listen;
  guint max_viewers;
  RtcHttpServer *http;
  GstElement *self;             /* not a reference: we live in its data */
  GHashTable *viewers;          /* resource -> Viewer */
  GPtrArray *tees;              /* GstElement, one per sink pad */
  guint next_sink;
  guint sinks_eos;              /* how many sink pads have ended */
  gboolean eos_posted;
};

static GObjectSetPropertyFunc parent_set_property;
static GObjectGetPropertyFunc parent_get_property;
static GstStateChangeReturn (*parent_change_state) (GstElement *,
    GstStateChange);
static GstPad *(*parent_request_new_pad) (GstElement *, GstPadTemplate *,
    const gchar *, const GstCaps *);
static void (*parent_release_pad) (GstElement *, GstPad *);
static void (*parent_handle_message) (GstBin *, GstMessage *);

static RtcWhepServer *
get_server (gpointer self)
{
  return g_object_get_data (G_OBJECT (self), "rtc-whep-server");
}

static Viewer *
viewer_ref (Viewer * v)
{
  g_atomic_int_inc (&v->refs);
  return v;
}

static void
viewer_unref (gpointer data)
{
  Viewer *v = data;

  if (!g_atomic_int_dec_and_test (&v->refs))
    return;
  g_free (v->resource);
  gst_object_unref (v->pc);
  g_ptr_array_unref (v->queues);
  g_ptr_array_unref (v->tee_pads);
  g_free (v);
}

static void
post_viewer_message (RtcWhepServer * srv, const gchar * event,
    const gchar * resource)
{
  gst_element_post_message (srv->self,
      gst_message_new_element (GST_OBJECT (srv->self),
          gst_structure_new ("rtcpeerbin-whep-server", "event",
              G_TYPE_STRING, event, "resource", G_TYPE_STRING, resource,
              NULL)));
}

/* Every sink pad has ended and every viewer has sent its BYE: the bin's
 * EOS, once. Any thread. */
static void
check_eos (RtcWhepServer * srv)
{
  GHashTableIter iter;
  gpointer value;
  gboolean all;

  g_mutex_lock (&srv->lock);
  all = !srv->eos_posted && srv->tees->len > 0
      && srv->sinks_eos == srv->tees->len;
  g_hash_table_iter_init (&iter, srv->viewers);
  while (all && g_hash_table_iter_next (&iter, NULL, &value))
    all = ((Viewer *) value)->eos;
  if (all)
    srv->eos_posted = TRUE;
  g_mutex_unlock (&srv->lock);
  if (all) {
    GST_INFO_OBJECT (srv->self, "WHEP: every track has ended: EOS");
    gst_element_post_message (srv->self,
        gst_message_new_eos (GST_OBJECT (srv->self)));
  }
}

/* Off the streaming and server threads: the viewer's elements go. */
static void
teardown_viewer (GstElement * element, gpointer data)
{
  RtcWhepServer *srv = get_server (element);
  Viewer *v = data;
  guint i;

  for (i = 0; i < v->tee_pads->len; i++) {
    GstPad *pad = g_ptr_array_index (v->tee_pads, i);
    GstElement *tee = gst_pad_get_parent_element (pad);

    if (tee) {
      gst_element_release_request_pad (tee, pad);
      gst_object_unref (tee);
    }
  }
  /* The queues first (their tee pads are gone): stopped, they push
   * nothing more into the peer connection's unlinked pads. */
  for (i = 0; i < v->queues->len; i++)
    rtc_answer_remove_child (element, g_ptr_array_index (v->queues, i));
  rtc_answer_remove_child (element, v->pc);
  /* GstBin unsets it with its last sink child: the bin's own EOS still
   * ends the pipeline */
  GST_OBJECT_LOCK (element);
  if (element->numsinkpads > 0)
    GST_OBJECT_FLAG_SET (element, GST_ELEMENT_FLAG_SINK);
  GST_OBJECT_UNLOCK (element);
  GST_INFO_OBJECT (element, "WHEP viewer %s removed", v->resource);
  g_signal_emit (element, signals[SIGNAL_VIEWER_REMOVED], 0, v->resource);
  post_viewer_message (srv, "deleted", v->resource);
  /* it may have been the one the bin's EOS waited for */
  check_eos (srv);
}

/* Any thread; @resource may be gone already. */
static void
remove_viewer (RtcWhepServer * srv, const gchar * resource)
{
  Viewer *v = NULL;
  RtcAnswer *answer = NULL;

  g_mutex_lock (&srv->lock);
  if (g_hash_table_steal_extended (srv->viewers, resource, NULL,
          (gpointer *) & v))
    answer = g_steal_pointer (&v->answer);
  g_mutex_unlock (&srv->lock);
  if (!v)
    return;
  /* answered (or failed) already, or this is its answer's end */
  rtc_answer_unref (answer);
  gst_element_call_async (srv->self, teardown_viewer, v, viewer_unref);
}

/* On the server's thread: the viewer's offer is answered. */
static void
answered (SoupServerMessage * msg, guint status, const gchar * text,
    gpointer data)
{
  Viewer *v = data;
  RtcWhepServer *srv = v->srv;
  RtcAnswer *answer = NULL;
  gboolean listed;

  g_mutex_lock (&srv->lock);
  listed = g_hash_table_lookup (srv->viewers, v->resource) == v;
  if (listed)
    answer = g_steal_pointer (&v->answer);
  g_mutex_unlock (&srv->lock);
  rtc_answer_unref (answer);
  if (status != SOUP_STATUS_CREATED || !listed) {
    rtc_http_respond (msg, listed ? status : SOUP_STATUS_GONE, listed ? text :
        "the viewer was removed");
    remove_viewer (srv, v->resource);
    return;
  }
  rtc_http_respond_created (msg, v->resource, text);
  GST_INFO_OBJECT (srv->self, "WHEP viewer %s created", v->resource);
  post_viewer_message (srv, "created", v->resource);
}

/* The viewer's child, fed by every tee; FALSE if a link failed. */
static gboolean
build_viewer (RtcWhepServer * srv, Viewer * v)
{
  GstBin *bin = GST_BIN (srv->self);
  GPtrArray *tees;
  guint i;
  gboolean ok = TRUE;

  gst_bin_add (bin, gst_object_ref (v->pc));
  g_mutex_lock (&srv->lock);
  tees = g_ptr_array_copy (srv->tees, (GCopyFunc) gst_object_ref, NULL);
  g_mutex_unlock (&srv->lock);
  for (i = 0; i < tees->len && ok; i++) {
    GstElement *queue = gst_element_factory_make ("queue", NULL);
    GstPad *sink, *src;

    /* a late viewer loses its own buffers, not the others' */
    g_object_set (queue, "leaky", 2, NULL);
    gst_bin_add (bin, gst_object_ref (queue));
    g_ptr_array_add (v->queues, queue);
    sink = gst_element_request_pad_simple (v->pc, "sink_%u");
    src = gst_element_get_static_pad (queue, "src");
    ok = sink && gst_pad_link (src, sink) == GST_PAD_LINK_OK;
    gst_clear_object (&sink);
    gst_object_unref (src);
  }
  /* running before data comes in */
  ok &= gst_element_sync_state_with_parent (v->pc);
  for (i = 0; i < v->queues->len; i++)
    ok &= gst_element_sync_state_with_parent (g_ptr_array_index (v->queues,
            i));
  for (i = 0; i < tees->len && ok; i++) {
    GstPad *src = gst_element_request_pad_simple (g_ptr_array_index (tees,
            i), "src_%u");
    GstPad *sink = gst_element_get_static_pad (g_ptr_array_index (v->queues,
            i), "sink");

    g_ptr_array_add (v->tee_pads, src);
    ok = gst_pad_link (src, sink) == GST_PAD_LINK_OK;
    gst_object_unref (sink);
  }
  g_ptr_array_unref (tees);
  return ok;
}

static void
handle_post (RtcWhepServer * srv, SoupServerMessage * msg)
{
  GstSDPMessage *sdp;
  RtcAnswer *answer;
  Viewer *v;
  gchar *uuid;
  gboolean full;

  g_mutex_lock (&srv->lock);
  full = srv->max_viewers
      && g_hash_table_size (srv->viewers) >= srv->max_viewers;
  g_mutex_unlock (&srv->lock);
  if (full) {
    rtc_http_respond (msg, SOUP_STATUS_SERVICE_UNAVAILABLE,
        "whep-max-viewers reached");
    return;
  }
  sdp = rtc_http_read_offer (msg);
  if (!sdp)
    return;
  v = g_new0 (Viewer, 1);
  v->refs = 1;
  v->srv = srv;
  uuid = g_uuid_string_random ();
  v->resource = g_strconcat (WHEP_PATH "/", uuid, NULL);
  g_free (uuid);
  v->pc = rtc_answer_new_peer (srv->self);
  v->queues = g_ptr_array_new_with_free_func (gst_object_unref);
  v->tee_pads = g_ptr_array_new_with_free_func (gst_object_unref);
  g_mutex_lock (&srv->lock);
  g_hash_table_insert (srv->viewers, v->resource, v);
  g_mutex_unlock (&srv->lock);
  if (!build_viewer (srv, v)) {
    gst_sdp_message_free (sdp);
    rtc_http_respond (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR,
        "the viewer's elements did not link");
    remove_viewer (srv, v->resource);
    return;
  }
  g_signal_emit (srv->self, signals[SIGNAL_NEW_VIEWER], 0, v->resource,
      v->pc);
  /* Not under the lock: it emits the child's signals. answered () runs on
   * this thread, later; a viewer removed meanwhile (by the signal's
   * handler, or its error) is answered 410 there. */
  answer = rtc_answer_start (v->pc, msg, sdp, ANSWER_TIMEOUT_S, answered,
      viewer_ref (v), viewer_unref);
  g_mutex_lock (&srv->lock);
  if (g_hash_table_lookup (srv->viewers, v->resource) == v) {
    v->answer = answer;
    answer = NULL;
  }
  g_mutex_unlock (&srv->lock);
  rtc_answer_unref (answer);
}

static void
handler (SoupServer * server, SoupServerMessage * msg, const char *path,
    GHashTable * query, gpointer data)
{
  RtcWhepServer *srv = data;
  const gchar *method = soup_server_message_get_method (msg);
  GstElement *pc = NULL;
  gchar *token = NULL;
  gboolean authorized;
  Viewer *v;

  GST_DEBUG_OBJECT (srv->self, "WHEP: %s %s", method, path);
  if (soup_server_message_get_status (msg) != 0)
    return;                     /* refused by the early handler */
  g_object_get (srv->self, "whep-token", &token, NULL);
  authorized = rtc_http_check_bearer (msg, token);
  g_free (token);
  g_mutex_lock (&srv->lock);
  v = g_hash_table_lookup (srv->viewers, path);
  if (v)
    pc = gst_object_ref (v->pc);
  g_mutex_unlock (&srv->lock);
  if (!authorized)
    rtc_http_respond (msg, SOUP_STATUS_UNAUTHORIZED, "wrong or no token");
  else if (strcmp (path, WHEP_PATH) == 0 && strcmp (method, "POST") == 0)
    handle_post (srv, msg);
  else if (strcmp (path, WHEP_PATH) == 0)
    rtc_http_respond (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
  else if (!pc)
    rtc_http_respond (msg, SOUP_STATUS_NOT_FOUND, "no such viewer");
  else if (strcmp (method, "DELETE") == 0) {
    soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
    remove_viewer (srv, path);
  } else if (strcmp (method, "PATCH") == 0)
    rtc_answer_trickle (pc, msg);
  else
    rtc_http_respond (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
  gst_clear_object (&pc);
}

/* The viewer a message comes from (a reference), or NULL. */
static Viewer *
viewer_of (RtcWhepServer * srv, GstObject * src)
{
  GHashTableIter iter;
  gpointer value;
  Viewer *found = NULL;

  g_mutex_lock (&srv->lock);
  g_hash_table_iter_init (&iter, srv->viewers);
  while (!found && g_hash_table_iter_next (&iter, NULL, &value)) {
    Viewer *v = value;

    if (src == GST_OBJECT (v->pc)
        || gst_object_has_as_ancestor (src, GST_OBJECT (v->pc)))
      found = viewer_ref (v);
  }
  g_mutex_unlock (&srv->lock);
  return found;
}

/* A viewer's EOS is counted, not passed on (the bin's own follows); its
 * error is a warning, and the viewer goes. */
static void
handle_message (GstBin * bin, GstMessage * message)
{
  RtcWhepServer *srv = get_server (bin);
  Viewer *v;
  GError *error = NULL;
  gchar *debug = NULL;

  if (!srv->listen || (GST_MESSAGE_TYPE (message) != GST_MESSAGE_EOS
          && GST_MESSAGE_TYPE (message) != GST_MESSAGE_ERROR)
      || !(v = viewer_of (srv, GST_MESSAGE_SRC (message)))) {
    parent_handle_message (bin, message);
    return;
  }
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_EOS) {
    g_mutex_lock (&srv->lock);
    v->eos = TRUE;
    g_mutex_unlock (&srv->lock);
    check_eos (srv);
  } else {
    gst_message_parse_error (message, &error, &debug);
    GST_ELEMENT_WARNING (srv->self, RESOURCE, FAILED, ("WHEP viewer %s: %s",
            v->resource, error->message), ("%s", debug ? debug : ""));
    g_clear_error (&error);
    g_free (debug);
    remove_viewer (srv, v->resource);
  }
  viewer_unref (v);
  gst_message_unref (message);
}

static GstPadProbeReturn
sink_eos_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  RtcWhepServer *srv = user_data;

  if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) == GST_EVENT_EOS) {
    g_mutex_lock (&srv->lock);
    srv->sinks_eos++;
    g_mutex_unlock (&srv->lock);
    check_eos (srv);
  }
  return GST_PAD_PROBE_OK;
}

/* With whep-listen, a sink pad is a tee's: every viewer is fed from it. */
static GstPad *
request_new_pad (GstElement * element, GstPadTemplate * templ,
    const gchar * name, const GstCaps * caps)
{
  RtcWhepServer *srv = get_server (element);
  GstElement *tee;
  GstPad *target, *pad;
  gchar *pad_name;

  if (!srv->listen || GST_PAD_TEMPLATE_DIRECTION (templ) != GST_PAD_SINK)
    return parent_request_new_pad (element, templ, name, caps);
  tee = gst_element_factory_make ("tee", NULL);
  /* no viewer yet: the media goes nowhere, and that is fine */
  g_object_set (tee, "allow-not-linked", TRUE, NULL);
  gst_bin_add (GST_BIN (element), tee);
  g_mutex_lock (&srv->lock);
  pad_name = name ? g_strdup (name) : g_strdup_printf ("sink_%u",
      srv->next_sink);
  srv->next_sink++;
  g_ptr_array_add (srv->tees, gst_object_ref (tee));
  g_mutex_unlock (&srv->lock);
  target = gst_element_get_static_pad (tee, "sink");
  pad = gst_ghost_pad_new (pad_name, target);
  gst_object_unref (target);
  g_free (pad_name);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
      sink_eos_probe, srv, NULL);
  if (GST_STATE (element) > GST_STATE_NULL)
    gst_pad_set_active (pad, TRUE);
  gst_element_add_pad (element, pad);
  gst_element_sync_state_with_parent (tee);
  /* a sink of its pipeline, whose EOS waits for the bin's own */
  GST_OBJECT_LOCK (element);
  GST_OBJECT_FLAG_SET (element, GST_ELEMENT_FLAG_SINK);
  GST_OBJECT_UNLOCK (element);
  return pad;
}

static void
release_pad (GstElement * element, GstPad * pad)
{
  RtcWhepServer *srv = get_server (element);
  GstPad *target;
  GstElement *tee;

  if (!srv->listen || GST_PAD_DIRECTION (pad) != GST_PAD_SINK
      || !GST_IS_GHOST_PAD (pad) || GST_IS_RTC_PEER_PAD (pad)) {
    parent_release_pad (element, pad);
    return;
  }
  target = gst_ghost_pad_get_target (GST_GHOST_PAD (pad));
  tee = target ? gst_pad_get_parent_element (target) : NULL;
  gst_clear_object (&target);
  gst_element_remove_pad (element, pad);
  if (!tee)
    return;
  g_mutex_lock (&srv->lock);
  g_ptr_array_remove (srv->tees, tee);
  g_mutex_unlock (&srv->lock);
  rtc_answer_remove_child (element, tee);
  gst_object_unref (tee);
}

static gboolean
server_up (RtcWhepServer * srv)
{
  RtcHttpServer *http;
  gchar *endpoint = NULL, *whep = NULL, *whip = NULL, *peer = NULL;
  gboolean conflict;

  g_object_get (srv->self, "whip-endpoint", &endpoint, "whep-endpoint",
      &whep, "whip-listen", &whip, "peer", &peer, NULL);
  conflict = endpoint || whep || whip || peer;
  g_free (endpoint);
  g_free (whep);
  g_free (whip);
  g_free (peer);
  if (conflict) {
    GST_ELEMENT_ERROR (srv->self, RESOURCE, SETTINGS, ("whep-listen cannot "
            "be set with whip-endpoint, whep-endpoint, whip-listen or peer"),
        (NULL));
    return FALSE;
  }
  http = rtc_http_server_open (srv->self, "whep-listen", srv->listen,
      WHEP_PATH, handler, srv);
  if (!http)
    return FALSE;
  g_mutex_lock (&srv->lock);
  srv->http = http;
  srv->eos_posted = FALSE;
  srv->sinks_eos = 0;
  g_mutex_unlock (&srv->lock);
  return TRUE;
}

/* The server stops, then every viewer goes (the bin is in NULL: its
 * children are). */
static void
server_down (RtcWhepServer * srv)
{
  RtcHttpServer *http;
  GList *viewers, *l;

  g_mutex_lock (&srv->lock);
  http = g_steal_pointer (&srv->http);
  g_mutex_unlock (&srv->lock);
  rtc_http_server_free (http);
  g_mutex_lock (&srv->lock);
  viewers = g_hash_table_get_values (srv->viewers);
  g_hash_table_steal_all (srv->viewers);
  g_mutex_unlock (&srv->lock);
  for (l = viewers; l; l = l->next) {
    Viewer *v = l->data;

    rtc_answer_cancel (g_steal_pointer (&v->answer));
    teardown_viewer (srv->self, v);
    viewer_unref (v);
  }
  g_list_free (viewers);
}

static void
server_free (gpointer data)
{
  RtcWhepServer *srv = data;

  g_ptr_array_unref (srv->tees);
  g_hash_table_unref (srv->viewers);
  g_free (srv->listen);
  g_mutex_clear (&srv->lock);
  g_free (srv);
}

/* Listening from READY to NULL: a port in use fails NULL to READY. */
static GstStateChangeReturn
change_state (GstElement * element, GstStateChange transition)
{
  RtcWhepServer *srv = get_server (element);
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
  RtcWhepServer *srv = get_server (object);
  gchar *old = NULL;

  g_mutex_lock (&srv->lock);
  if (prop_id == PROP_WHEP_MAX_VIEWERS)
    srv->max_viewers = g_value_get_uint (value);
  else if (prop_id == PROP_WHEP_LISTEN) {
    old = srv->listen;
    srv->listen = g_value_dup_string (value);
  }
  g_mutex_unlock (&srv->lock);
  g_free (old);
  if (prop_id != PROP_WHEP_LISTEN && prop_id != PROP_WHEP_MAX_VIEWERS)
    parent_set_property (object, prop_id, value, pspec);
}

static void
get_property (GObject * object, guint prop_id, GValue * value,
    GParamSpec * pspec)
{
  RtcWhepServer *srv = get_server (object);

  g_mutex_lock (&srv->lock);
  if (prop_id == PROP_WHEP_MAX_VIEWERS)
    g_value_set_uint (value, srv->max_viewers);
  else if (prop_id == PROP_WHEP_LISTEN)
    g_value_set_string (value, srv->http ?
        rtc_http_server_get_address (srv->http) : srv->listen);
  g_mutex_unlock (&srv->lock);
  if (prop_id != PROP_WHEP_LISTEN && prop_id != PROP_WHEP_MAX_VIEWERS)
    parent_get_property (object, prop_id, value, pspec);
}

void
rtc_peer_whep_server_class_init (GstRtcPeerBinClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBinClass *bin_class = GST_BIN_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

  /* each wrapped, chaining to what it wraps */
  parent_handle_message = bin_class->handle_message;
  parent_request_new_pad = element_class->request_new_pad;
  parent_release_pad = element_class->release_pad;
  parent_change_state = element_class->change_state;
  parent_set_property = gobject_class->set_property;
  parent_get_property = gobject_class->get_property;
  bin_class->handle_message = handle_message;
  element_class->request_new_pad = request_new_pad;
  element_class->release_pad = release_pad;
  element_class->change_state = change_state;
  gobject_class->set_property = set_property;
  gobject_class->get_property = get_property;

  g_object_class_install_property (gobject_class, PROP_WHEP_LISTEN,
      g_param_spec_string ("whep-listen", "WHEP listen",
          "ADDRESS:PORT to serve the media of the sink pads to WHEP viewers "
          "on, at /whep, each viewer with a peer connection of its own (a "
          "child rtcpeerbin). Set it before requesting sink pads. No "
          "address is 127.0.0.1; port 0 picks one, and reading the property "
          "from READY on gives the address and port bound. whep-token, "
          "when set, is the bearer token viewers must send", NULL,
          flags | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_WHEP_MAX_VIEWERS,
      g_param_spec_uint ("whep-max-viewers", "WHEP max viewers",
          "How many WHEP viewers at once (0: no limit); a POST beyond is "
          "503", 0, G_MAXUINT, 0, flags | GST_PARAM_MUTABLE_PLAYING));

  /**
   * GstRtcPeerBin::on-new-viewer:
   * @resource: the viewer's resource path, /whep/<uuid>
   * @viewer: the viewer's peer connection, a child rtcpeerbin
   *
   * With whep-listen: a viewer's POST created its peer connection, which
   * answers its offer next. Emitted on the HTTP server's thread.
   */
  signals[SIGNAL_NEW_VIEWER] =
      g_signal_new ("on-new-viewer", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING,
      GST_TYPE_ELEMENT);
  /**
   * GstRtcPeerBin::on-viewer-removed:
   * @resource: the viewer's resource path
   *
   * The viewer's peer connection is closed and gone (DELETE, its error,
   * a failed answer, or the bin going to NULL).
   */
  signals[SIGNAL_VIEWER_REMOVED] =
      g_signal_new ("on-viewer-removed", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

void
rtc_peer_whep_server_init (GstRtcPeerBin * self)
{
  RtcWhepServer *srv = g_new0 (RtcWhepServer, 1);

  g_mutex_init (&srv->lock);
  srv->self = GST_ELEMENT (self);
  srv->viewers = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
      viewer_unref);
  srv->tees = g_ptr_array_new_with_free_func (gst_object_unref);
  g_object_set_data_full (G_OBJECT (self), "rtc-whep-server", srv,
      server_free);
}
