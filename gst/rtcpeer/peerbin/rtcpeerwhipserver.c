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
#include "rtcpeerhttp.h"

GST_DEBUG_CATEGORY_EXTERN (gst_rtc_peer_bin_debug);
#define GST_CAT_DEFAULT gst_rtc_peer_bin_debug

enum
{
  PROP_WHIP_LISTEN = 0x7e20,
};

/* an offer is a few kilobytes; a body beyond this is refused unread */
#define MAX_BODY (64 * 1024)
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
  SoupServerMessage *pending;   /* the POST being answered */
  GSource *timeout;
  gboolean local_set;           /* the answer is applied: gathering next */
  gboolean closed;              /* the session was deleted */
  gulong gathering_handler;
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

/* The end of a POST, on the server's thread. */
typedef struct
{
  RtcWhipServer *srv;
  guint status;
  gchar *text;                  /* the answer's SDP, or why not */
} Reply;

static void
reply_free (gpointer data)
{
  Reply *r = data;

  g_free (r->text);
  g_free (r);
}

static gboolean
reply_in_server (gpointer data)
{
  Reply *r = data;
  RtcWhipServer *srv = r->srv;
  SoupServerMessage *msg;
  gchar *resource = NULL;

  g_mutex_lock (&srv->lock);
  msg = g_steal_pointer (&srv->pending);
  srv->local_set = FALSE;
  if (srv->timeout) {
    g_source_destroy (srv->timeout);
    g_clear_pointer (&srv->timeout, g_source_unref);
  }
  if (msg && r->status == SOUP_STATUS_CREATED) {
    gchar *uuid = g_uuid_string_random ();

    resource = g_strconcat (WHIP_PATH "/", uuid, NULL);
    srv->resource = g_strdup (resource);
    g_free (uuid);
  }
  g_mutex_unlock (&srv->lock);
  if (!msg)
    return G_SOURCE_REMOVE;
  if (resource) {
    SoupMessageHeaders *headers =
        soup_server_message_get_response_headers (msg);

    soup_message_headers_replace (headers, "Location", resource);
    soup_server_message_set_status (msg, SOUP_STATUS_CREATED, NULL);
    soup_server_message_set_response (msg, "application/sdp",
        SOUP_MEMORY_COPY, r->text, strlen (r->text));
    GST_INFO_OBJECT (srv->self, "WHIP session %s created", resource);
    post_session_message (srv, "created", resource);
  } else {
    rtc_http_respond (msg, r->status, r->text);
  }
  soup_server_message_unpause (msg);
  g_object_unref (msg);
  g_free (resource);
  return G_SOURCE_REMOVE;
}

/* Any thread: answers the pending POST from the server's thread. */
static void
reply (RtcWhipServer * srv, guint status, gchar * text)
{
  Reply *r = g_new0 (Reply, 1);
  GMainContext *context = NULL;

  r->srv = srv;
  r->status = status;
  r->text = text;
  g_mutex_lock (&srv->lock);
  if (srv->http)
    context = g_main_context_ref (rtc_http_server_get_context (srv->http));
  g_mutex_unlock (&srv->lock);
  if (!context) {
    reply_free (r);
    return;
  }
  g_main_context_invoke_full (context, G_PRIORITY_DEFAULT, reply_in_server,
      r, reply_free);
  g_main_context_unref (context);
}

static gboolean
answer_timed_out (gpointer data)
{
  RtcWhipServer *srv = data;

  GST_WARNING_OBJECT (srv->self, "WHIP: no answer in %d s",
      ANSWER_TIMEOUT_S);
  reply (srv, SOUP_STATUS_SERVICE_UNAVAILABLE,
      g_strdup ("rtcpeerbin did not answer in time"));
  return G_SOURCE_REMOVE;
}

/* The answer is applied: once gathering is complete it goes back with
 * every candidate. Any thread (the notification comes from the bin). */
static void
check_gathering (RtcWhipServer * srv)
{
  GstWebRTCICEGatheringState state;
  GstWebRTCSessionDescription *local = NULL;
  gboolean ready;

  g_object_get (srv->self, "ice-gathering-state", &state,
      "local-description", &local, NULL);
  g_mutex_lock (&srv->lock);
  ready = srv->pending && srv->local_set && local
      && state == GST_WEBRTC_ICE_GATHERING_STATE_COMPLETE;
  if (ready)
    srv->local_set = FALSE;
  g_mutex_unlock (&srv->lock);
  if (ready)
    reply (srv, SOUP_STATUS_CREATED, gst_sdp_message_as_text (local->sdp));
  g_clear_pointer (&local, gst_webrtc_session_description_free);
}

static void
on_gathering (GObject * object, GParamSpec * pspec, gpointer data)
{
  check_gathering (data);
}

/* The error of a promise's reply, if any; FALSE with @error set then. */
static gboolean
promise_ok (GstPromise * promise, gchar ** error)
{
  const GstStructure *s;
  GError *err = NULL;

  /* replied already: this does not wait */
  if (gst_promise_wait (promise) != GST_PROMISE_RESULT_REPLIED) {
    *error = g_strdup ("the operation was interrupted");
    return FALSE;
  }
  s = gst_promise_get_reply (promise);
  if (s && gst_structure_has_field (s, "error")) {
    gst_structure_get (s, "error", G_TYPE_ERROR, &err, NULL);
    *error = g_strdup (err ? err->message : "failed");
    g_clear_error (&err);
    return FALSE;
  }
  return TRUE;
}

static void
on_local_set (GstPromise * promise, gpointer data)
{
  RtcWhipServer *srv = data;
  gchar *error = NULL;

  if (!promise_ok (promise, &error)) {
    reply (srv, SOUP_STATUS_INTERNAL_SERVER_ERROR, error);
    return;
  }
  g_mutex_lock (&srv->lock);
  srv->local_set = srv->pending != NULL;
  g_mutex_unlock (&srv->lock);
  /* gathering may be complete already */
  check_gathering (srv);
}

static void
on_answer (GstPromise * promise, gpointer data)
{
  RtcWhipServer *srv = data;
  GstWebRTCSessionDescription *answer = NULL;
  gchar *error = NULL;
  GstPromise *next;

  if (!promise_ok (promise, &error)) {
    reply (srv, SOUP_STATUS_INTERNAL_SERVER_ERROR, error);
    return;
  }
  if (!gst_structure_get (gst_promise_get_reply (promise), "answer",
          GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &answer, NULL)) {
    reply (srv, SOUP_STATUS_INTERNAL_SERVER_ERROR, g_strdup ("no answer"));
    return;
  }
  next = gst_promise_new_with_change_func (on_local_set, srv, NULL);
  g_signal_emit_by_name (srv->self, "set-local-description", answer, next);
  gst_promise_unref (next);
  gst_webrtc_session_description_free (answer);
}

static void
on_remote_set (GstPromise * promise, gpointer data)
{
  RtcWhipServer *srv = data;
  gchar *error = NULL;
  GstPromise *next;

  /* the bin refused the offer: the publisher's fault */
  if (!promise_ok (promise, &error)) {
    reply (srv, SOUP_STATUS_BAD_REQUEST, error);
    return;
  }
  next = gst_promise_new_with_change_func (on_answer, srv, NULL);
  g_signal_emit_by_name (srv->self, "create-answer", NULL, next);
  gst_promise_unref (next);
}

static gboolean
has_content_type (SoupServerMessage * msg, const gchar * type)
{
  const gchar *got =
      soup_message_headers_get_content_type
      (soup_server_message_get_request_headers (msg), NULL);

  return got && g_ascii_strcasecmp (got, type) == 0;
}

static void
handle_post (RtcWhipServer * srv, SoupServerMessage * msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  GstSDPMessage *sdp = NULL;
  GstWebRTCSessionDescription *offer;
  GstPromise *promise;
  guint conflict = 0;

  if (!has_content_type (msg, "application/sdp")) {
    rtc_http_respond (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE,
        "an offer is application/sdp");
    return;
  }
  if (body->length > MAX_BODY) {
    rtc_http_respond (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, NULL);
    return;
  }
  gst_sdp_message_new (&sdp);
  if (body->length == 0 || gst_sdp_message_parse_buffer ((const guint8 *)
          body->data, body->length, sdp) != GST_SDP_OK
      || gst_sdp_message_medias_len (sdp) == 0
      || !gst_sdp_message_get_origin (sdp)->sess_id) {
    gst_sdp_message_free (sdp);
    rtc_http_respond (msg, SOUP_STATUS_BAD_REQUEST, "not an SDP offer");
    return;
  }
  g_mutex_lock (&srv->lock);
  if (srv->closed)
    conflict = SOUP_STATUS_SERVICE_UNAVAILABLE;
  else if (srv->pending || srv->resource)
    conflict = SOUP_STATUS_CONFLICT;
  else
    srv->pending = g_object_ref (msg);
  g_mutex_unlock (&srv->lock);
  if (conflict) {
    gst_sdp_message_free (sdp);
    rtc_http_respond (msg, conflict, conflict == SOUP_STATUS_CONFLICT ?
        "a publisher is already connected" : "this rtcpeerbin served its "
        "publisher; restart it for another");
    return;
  }
  soup_server_message_pause (msg);
  srv->timeout = g_timeout_source_new_seconds (ANSWER_TIMEOUT_S);
  g_source_set_callback (srv->timeout, answer_timed_out, srv, NULL);
  g_source_attach (srv->timeout, g_main_context_get_thread_default ());
  offer = gst_webrtc_session_description_new (GST_WEBRTC_SDP_TYPE_OFFER, sdp);
  promise = gst_promise_new_with_change_func (on_remote_set, srv, NULL);
  g_signal_emit_by_name (srv->self, "set-remote-description", offer, promise);
  gst_promise_unref (promise);
  gst_webrtc_session_description_free (offer);
}

/* The media line of @mid in the remote description, or -1. */
static gint
mline_of (RtcWhipServer * srv, const gchar * mid)
{
  GstWebRTCSessionDescription *remote = NULL;
  gint found = -1;
  guint i;

  g_object_get (srv->self, "remote-description", &remote, NULL);
  if (!remote)
    return -1;
  for (i = 0; i < gst_sdp_message_medias_len (remote->sdp); i++) {
    const gchar *m = gst_sdp_media_get_attribute_val
        (gst_sdp_message_get_media (remote->sdp, i), "mid");

    if (g_strcmp0 (m, mid) == 0) {
      found = i;
      break;
    }
  }
  gst_webrtc_session_description_free (remote);
  return found;
}

/* Trickle (RFC 8840 fragment): its candidates go to the bin. */
static void
handle_patch (RtcWhipServer * srv, SoupServerMessage * msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  gchar *text, **lines;
  gint mline = 0;
  guint i, added = 0;

  if (!has_content_type (msg, "application/trickle-ice-sdpfrag")) {
    rtc_http_respond (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE,
        "a PATCH is application/trickle-ice-sdpfrag");
    return;
  }
  text = g_strndup (body->data, body->length);
  lines = g_strsplit_set (text, "\r\n", -1);
  for (i = 0; lines[i]; i++) {
    if (g_str_has_prefix (lines[i], "a=mid:")) {
      mline = mline_of (srv, lines[i] + 6);
      if (mline < 0)
        break;
    } else if (g_str_has_prefix (lines[i], "a=candidate:")) {
      g_signal_emit_by_name (srv->self, "add-ice-candidate", (guint) mline,
          lines[i] + 2);
      added++;
    }
  }
  g_strfreev (lines);
  g_free (text);
  if (mline < 0)
    rtc_http_respond (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "unknown mid");
  else
    soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
  GST_DEBUG_OBJECT (srv->self, "WHIP: %u trickled candidates", added);
}

/* The publisher has left: the connection closes, and src pads whose
 * stream did not end with an RTCP BYE end now, so that the pipeline (a
 * launch line) ends with the session. */
static void
close_bin (GstElement * element, gpointer data)
{
  GstIterator *it;
  GValue item = G_VALUE_INIT;

  g_signal_emit_by_name (element, "close");
  it = gst_element_iterate_src_pads (element);
  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    GstPad *pad = g_value_get_object (&item);

    if (!GST_PAD_IS_EOS (pad))
      gst_pad_push_event (pad, gst_event_new_eos ());
    g_value_reset (&item);
  }
  g_value_unset (&item);
  gst_iterator_free (it);
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

/* Refuses a body too big before it is read (the handler sees the body
 * only once it has all arrived). */
static void
early_handler (SoupServer * server, SoupServerMessage * msg,
    const char *path, GHashTable * query, gpointer data)
{
  goffset len = soup_message_headers_get_content_length
      (soup_server_message_get_request_headers (msg));

  if (len > MAX_BODY)
    rtc_http_respond (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, NULL);
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
    handle_patch (srv, msg);
  else
    rtc_http_respond (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
}

static gboolean
server_up (RtcWhipServer * srv)
{
  RtcHttpServer *http;
  gchar *endpoint = NULL, *peer = NULL;
  GError *error = NULL;
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
  http = rtc_http_server_new ();
  soup_server_add_early_handler (rtc_http_server_get_soup (http), WHIP_PATH,
      early_handler, srv, NULL);
  soup_server_add_handler (rtc_http_server_get_soup (http), WHIP_PATH,
      handler, srv, NULL);
  if (!srv->gathering_handler)
    srv->gathering_handler = g_signal_connect (srv->self,
        "notify::ice-gathering-state", G_CALLBACK (on_gathering), srv);
  if (!rtc_http_server_start (http, srv->listen, &error)) {
    GST_ELEMENT_ERROR (srv->self, RESOURCE, OPEN_READ_WRITE, ("whip-listen: "
            "cannot listen on %s: %s", srv->listen, error->message), (NULL));
    g_error_free (error);
    rtc_http_server_free (http);
    return FALSE;
  }
  GST_INFO_OBJECT (srv->self, "WHIP server on http://%s" WHIP_PATH,
      rtc_http_server_get_address (http));
  g_mutex_lock (&srv->lock);
  srv->http = http;
  g_mutex_unlock (&srv->lock);
  return TRUE;
}

static void
server_down (RtcWhipServer * srv)
{
  RtcHttpServer *http;
  SoupServerMessage *pending;

  g_mutex_lock (&srv->lock);
  http = g_steal_pointer (&srv->http);
  pending = g_steal_pointer (&srv->pending);
  g_mutex_unlock (&srv->lock);
  /* the thread is stopped first: nothing touches these meanwhile */
  rtc_http_server_free (http);
  g_clear_object (&pending);
  g_clear_pointer (&srv->timeout, g_source_unref);
  /* by data: when finalizing, the handler is gone already */
  if (srv->gathering_handler) {
    g_signal_handlers_disconnect_by_data (srv->self, srv);
    srv->gathering_handler = 0;
  }
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
