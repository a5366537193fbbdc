/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* A WHIP server (RFC 9725), built on the element's public signals:
 *
 *   gst-launch-1.0 rtcpeerbin whip-listen=127.0.0.1:8080 whip-token=s3cret
 *       ! decodebin ! autovideosink
 *
 * A publisher POSTs its offer (application/sdp) to /whip; the bin applies
 * it, answers, waits for its ICE gathering to complete and the answer,
 * with every candidate, goes back in a 201 with the session's resource in
 * Location (/whip/<uuid>). The publisher's media appears on the bin's src
 * pads as with any remote peer. PATCH of the resource
 * (application/trickle-ice-sdpfrag) adds the publisher's trickled
 * candidates; DELETE ends the session: the connection closes and the
 * src pads not ended by the publisher's RTCP BYE yet end (EOS).
 *
 * whip-token, when set, is the bearer the server expects (a bin is a
 * WHIP client or a WHIP server, never both); it is compared in constant
 * time. Requests are served by rtcpeerhttp.c's thread: a POST is paused
 * there while the bin's operations run (their promises and the gathering
 * notification answer it), so neither the ops thread nor the server waits
 * on the other, and other clients are served meanwhile.
 *
 * One publisher per run: the bin is one peer connection, and a closed
 * connection does not come back. A POST while a session is (being) set
 * up is 409; after the session is deleted, 503. Each session's creation
 * and end is an element message "rtcpeerbin-whip-server" with fields
 * "event" ("created" or "deleted") and "resource". */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gstrtcpeerbin.h"
#include "rtcpeeranswer.h"

GST_DEBUG_CATEGORY_EXTERN (gst_rtc_peer_bin_debug);
#define GST_CAT_DEFAULT gst_rtc_peer_bin_debug

enum
{
  PROP_WHIP_LISTEN = 0x7e20,
};

/* a POST the bin has not answered by then is 503 */
#define ANSWER_TIMEOUT_S 15
#define WHIP_PATH "/whip"

typedef struct
{
  GMutex lock;
  gchar *listen;
  RtcHttpServer *http;
  GstElement *self;             /* not a reference: we live in its data */
  gchar *resource;              /* the session's path, once created */
  RtcAnswer *answering;         /* the POST being answered */
  gboolean closed;              /* the session was deleted */
} RtcWhipServer;

static GObjectSetPropertyFunc parent_set_property;
static GObjectGetPropertyFunc parent_get_property;
static GstStateChangeReturn (*parent_change_state) (GstElement *,
    GstStateChange);

static RtcWhipServer *
get_server (gpointer self)
{
  return g_object_get_data (G_OBJECT (self), "rtc-whip-server");
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

/* On the server's thread: the POST is answered. */
static void
answered (SoupServerMessage * msg, guint status, const gchar * text,
    gpointer data)
{
  RtcWhipServer *srv = data;
  gchar *resource = NULL;
  RtcAnswer *answer;

  g_mutex_lock (&srv->lock);
  answer = g_steal_pointer (&srv->answering);
  if (status == SOUP_STATUS_CREATED) {
    gchar *uuid = g_uuid_string_random ();

    resource = g_strconcat (WHIP_PATH "/", uuid, NULL);
    srv->resource = g_strdup (resource);
    g_free (uuid);
  }
  g_mutex_unlock (&srv->lock);
  rtc_answer_unref (answer);
  if (!resource) {
    rtc_http_respond (msg, status, text);
    return;
  }
  rtc_http_respond_created (msg, resource, text);
  GST_INFO_OBJECT (srv->self, "WHIP session %s created", resource);
  post_session_message (srv, "created", resource);
  g_free (resource);
}

static void
handle_post (RtcWhipServer * srv, SoupServerMessage * msg)
{
  GstSDPMessage *sdp = rtc_http_read_offer (msg);
  RtcAnswer *answer;
  guint conflict = 0;

  if (!sdp)
    return;
  g_mutex_lock (&srv->lock);
  if (srv->closed)
    conflict = SOUP_STATUS_SERVICE_UNAVAILABLE;
  else if (srv->answering || srv->resource)
    conflict = SOUP_STATUS_CONFLICT;
  g_mutex_unlock (&srv->lock);
  if (conflict) {
    gst_sdp_message_free (sdp);
    rtc_http_respond (msg, conflict, conflict == SOUP_STATUS_CONFLICT ?
        "a publisher is already connected" : "this rtcpeerbin served its "
        "publisher; restart it for another");
    return;
  }
  /* Not under the lock: it emits the bin's signals. No other POST comes
   * in meanwhile, and answered () comes later: both run on this thread. */
  answer = rtc_answer_start (srv->self, msg, sdp, ANSWER_TIMEOUT_S,
      answered, srv, NULL);
  g_mutex_lock (&srv->lock);
  srv->answering = answer;
  g_mutex_unlock (&srv->lock);
}

/* The publisher has left: src pads whose stream did not end with an RTCP
 * BYE end now, so that the pipeline (a launch line) ends with the
 * session, and the connection closes. The EOS goes first: close removes
 * the src pads, and a BYE's EOS still held in a jitterbuffer then never
 * reaches downstream. */
static void
close_bin (GstElement * element, gpointer data)
{
  GstIterator *it;
  GValue item = G_VALUE_INIT;

  it = gst_element_iterate_src_pads (element);
  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    GstPad *pad = g_value_get_object (&item);

    if (!GST_PAD_IS_EOS (pad))
      gst_pad_push_event (pad, gst_event_new_eos ());
    g_value_reset (&item);
  }
  g_value_unset (&item);
  gst_iterator_free (it);
  g_signal_emit_by_name (element, "close");
}

static void
handle_delete (RtcWhipServer * srv, SoupServerMessage * msg,
    const gchar * path)
{
  g_mutex_lock (&srv->lock);
  g_clear_pointer (&srv->resource, g_free);
  srv->closed = TRUE;
  g_mutex_unlock (&srv->lock);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  GST_INFO_OBJECT (srv->self, "WHIP session %s deleted", path);
  post_session_message (srv, "deleted", path);
  /* close() waits for the transports to go: not on the server's thread */
  gst_element_call_async (srv->self, close_bin, NULL, NULL);
}

static void
handler (SoupServer * server, SoupServerMessage * msg, const char *path,
    GHashTable * query, gpointer data)
{
  RtcWhipServer *srv = data;
  const gchar *method = soup_server_message_get_method (msg);
  gchar *token = NULL;
  gboolean authorized, ours;

  GST_DEBUG_OBJECT (srv->self, "WHIP: %s %s", method, path);
  if (soup_server_message_get_status (msg) != 0)
    return;                     /* refused by the early handler */
  g_object_get (srv->self, "whip-token", &token, NULL);
  authorized = rtc_http_check_bearer (msg, token);
  g_free (token);
  if (!authorized) {
    rtc_http_respond (msg, SOUP_STATUS_UNAUTHORIZED, "wrong or no token");
    return;
  }
  if (strcmp (path, WHIP_PATH) == 0) {
    if (strcmp (method, "POST") == 0)
      handle_post (srv, msg);
    else
      rtc_http_respond (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
    return;
  }
  g_mutex_lock (&srv->lock);
  ours = srv->resource && strcmp (path, srv->resource) == 0;
  g_mutex_unlock (&srv->lock);
  if (!ours)
    rtc_http_respond (msg, SOUP_STATUS_NOT_FOUND, "no such session");
  else if (strcmp (method, "DELETE") == 0)
    handle_delete (srv, msg, path);
  else if (strcmp (method, "PATCH") == 0)
    rtc_answer_trickle (srv->self, msg);
  else
    rtc_http_respond (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
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
  g_mutex_unlock (&srv->lock);
  return TRUE;
}

static void
server_down (RtcWhipServer * srv)
{
  RtcHttpServer *http;
  RtcAnswer *answering;

  g_mutex_lock (&srv->lock);
  http = g_steal_pointer (&srv->http);
  g_mutex_unlock (&srv->lock);
  /* the thread is stopped first: no answer is delivered meanwhile */
  rtc_http_server_free (http);
  g_mutex_lock (&srv->lock);
  answering = g_steal_pointer (&srv->answering);
  g_mutex_unlock (&srv->lock);
  rtc_answer_cancel (answering);
}

static void
server_free (gpointer data)
{
  RtcWhipServer *srv = data;

  server_down (srv);
  g_free (srv->listen);
  g_free (srv->resource);
  g_mutex_clear (&srv->lock);
  g_free (srv);
}

static GstStateChangeReturn
change_state (GstElement * element, GstStateChange transition)
{
  RtcWhipServer *srv = get_server (element);
  GstStateChangeReturn ret;

  /* listening from READY: a port in use fails the state change at once */
  if (transition == GST_STATE_CHANGE_NULL_TO_READY && srv->listen
      && !server_up (srv))
    return GST_STATE_CHANGE_FAILURE;
  ret = parent_change_state (element, transition);
  if (transition == GST_STATE_CHANGE_READY_TO_NULL
      || (transition == GST_STATE_CHANGE_NULL_TO_READY
          && ret == GST_STATE_CHANGE_FAILURE))
    server_down (srv);
  return ret;
}

static void
set_property (GObject * object, guint prop_id, const GValue * value,
    GParamSpec * pspec)
{
  RtcWhipServer *srv = get_server (object);

  if (prop_id != PROP_WHIP_LISTEN) {
    parent_set_property (object, prop_id, value, pspec);
    return;
  }
  g_mutex_lock (&srv->lock);
  g_free (srv->listen);
  srv->listen = g_value_dup_string (value);
  g_mutex_unlock (&srv->lock);
}

static void
get_property (GObject * object, guint prop_id, GValue * value,
    GParamSpec * pspec)
{
  RtcWhipServer *srv = get_server (object);

  if (prop_id != PROP_WHIP_LISTEN) {
    parent_get_property (object, prop_id, value, pspec);
    return;
  }
  g_mutex_lock (&srv->lock);
  g_value_set_string (value, srv->http ?
      rtc_http_server_get_address (srv->http) : srv->listen);
  g_mutex_unlock (&srv->lock);
}

void
rtc_peer_whip_server_class_init (GstRtcPeerBinClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  parent_set_property = gobject_class->set_property;
  parent_get_property = gobject_class->get_property;
  gobject_class->set_property = set_property;
  gobject_class->get_property = get_property;
  parent_change_state = element_class->change_state;
  element_class->change_state = change_state;

  g_object_class_install_property (gobject_class, PROP_WHIP_LISTEN,
      g_param_spec_string ("whip-listen", "WHIP listen",
          "ADDRESS:PORT to serve WHIP (RFC 9725) on, at /whip: a publisher's "
          "offer is answered by this bin and its media comes out of the src "
          "pads. No address is 127.0.0.1; port 0 picks one, and reading the "
          "property from READY on gives the address and port bound. "
          "whip-token, when set, is the bearer token publishers must send",
          NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
}

void
rtc_peer_whip_server_init (GstRtcPeerBin * self)
{
  RtcWhipServer *srv = g_new0 (RtcWhipServer, 1);

  g_mutex_init (&srv->lock);
  srv->self = GST_ELEMENT (self);
  g_object_set_data_full (G_OBJECT (self), "rtc-whip-server", srv,
      server_free);
}
