/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* How the WHIP and WHEP servers answer a POSTed offer, through a peer
 * connection's public signals: set-remote-description, create-answer,
 * set-local-description, then the wait for ICE gathering to complete, so
 * that the answer carries every candidate. The POST stays paused on the
 * HTTP server's thread meanwhile (other clients are served); the
 * promises and the gathering notification come from the peer
 * connection's threads, and the end goes back to the server's thread,
 * where the owner's callback sets the response. Neither thread ever
 * waits on the other.
 *
 * An RtcAnswer is reference counted: the owner holds one, and so do the
 * promises, the gathering handler, the timeout and a reply on its way. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <gst/webrtc/webrtc.h>

#include "rtcpeeranswer.h"

GST_DEBUG_CATEGORY_EXTERN (gst_rtc_peer_bin_debug);
#define GST_CAT_DEFAULT gst_rtc_peer_bin_debug

struct _RtcAnswer
{
  gint refs;
  GMutex lock;
  GstElement *pc;               /* a reference */
  GMainContext *context;        /* the server's */
  SoupServerMessage *msg;       /* the paused POST, until replied */
  GSource *timeout;
  gulong gathering_handler;
  gboolean local_set;           /* the answer is applied: gathering next */
  gboolean finished;            /* a reply is on its way, or cancelled */
  RtcAnswerDone done;
  gpointer data;
  GDestroyNotify destroy;
};

static RtcAnswer *
answer_ref (RtcAnswer * a)
{
  g_atomic_int_inc (&a->refs);
  return a;
}

void
rtc_answer_unref (RtcAnswer * a)
{
  if (!a || !g_atomic_int_dec_and_test (&a->refs))
    return;
  g_clear_object (&a->msg);
  g_clear_pointer (&a->timeout, g_source_unref);
  if (a->destroy)
    a->destroy (a->data);
  gst_object_unref (a->pc);
  g_main_context_unref (a->context);
  g_mutex_clear (&a->lock);
  g_free (a);
}

static void
answer_unref_closure (gpointer data, GClosure * closure)
{
  rtc_answer_unref (data);
}

/* Whatever still ties @a to its peer connection and the server's loop
 * goes (the caller holds a reference); FALSE when it had finished
 * already. */
static gboolean
finish (RtcAnswer * a, gboolean cancel)
{
  gulong handler;
  SoupServerMessage *msg = NULL;

  g_mutex_lock (&a->lock);
  if (a->finished) {
    if (cancel)
      msg = g_steal_pointer (&a->msg);
    g_mutex_unlock (&a->lock);
    g_clear_object (&msg);
    return FALSE;
  }
  a->finished = TRUE;
  handler = a->gathering_handler;
  a->gathering_handler = 0;
  if (cancel)
    msg = g_steal_pointer (&a->msg);
  g_mutex_unlock (&a->lock);
  /* set once at the start, freed with @a */
  g_source_destroy (a->timeout);
  if (handler)
    g_signal_handler_disconnect (a->pc, handler);
  g_clear_object (&msg);
  return TRUE;
}

typedef struct
{
  RtcAnswer *answer;
  guint status;
  gchar *text;
} Reply;

static void
reply_free (gpointer data)
{
  Reply *r = data;

  rtc_answer_unref (r->answer);
  g_free (r->text);
  g_free (r);
}

static gboolean
reply_in_server (gpointer data)
{
  Reply *r = data;
  RtcAnswer *a = r->answer;
  SoupServerMessage *msg;

  g_mutex_lock (&a->lock);
  msg = g_steal_pointer (&a->msg);
  g_mutex_unlock (&a->lock);
  /* cancelled meanwhile: the owner no longer wants it */
  if (!msg)
    return G_SOURCE_REMOVE;
  a->done (msg, r->status, r->text, a->data);
  soup_server_message_unpause (msg);
  g_object_unref (msg);
  return G_SOURCE_REMOVE;
}

/* Any thread: the end, once. Takes @text. */
static void
reply (RtcAnswer * a, guint status, gchar * text)
{
  Reply *r;

  if (!finish (a, FALSE)) {
    g_free (text);
    return;
  }
  r = g_new0 (Reply, 1);
  r->answer = answer_ref (a);
  r->status = status;
  r->text = text;
  g_main_context_invoke_full (a->context, G_PRIORITY_DEFAULT,
      reply_in_server, r, reply_free);
}

static gboolean
timed_out (gpointer data)
{
  RtcAnswer *a = data;

  GST_WARNING_OBJECT (a->pc, "no answer in time");
  reply (a, SOUP_STATUS_SERVICE_UNAVAILABLE,
      g_strdup ("rtcpeerbin did not answer in time"));
  return G_SOURCE_REMOVE;
}

/* The answer is applied: once gathering is complete it goes back with
 * every candidate. Any thread. */
static void
check_gathering (RtcAnswer * a)
{
  GstWebRTCICEGatheringState state;
  GstWebRTCSessionDescription *local = NULL;
  gboolean ready;

  g_object_get (a->pc, "ice-gathering-state", &state, "local-description",
      &local, NULL);
  g_mutex_lock (&a->lock);
  ready = a->local_set && local
      && state == GST_WEBRTC_ICE_GATHERING_STATE_COMPLETE;
  if (ready)
    a->local_set = FALSE;
  g_mutex_unlock (&a->lock);
  if (ready)
    reply (a, SOUP_STATUS_CREATED, gst_sdp_message_as_text (local->sdp));
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

static GstPromise *
next_promise (RtcAnswer * a, GstPromiseChangeFunc func)
{
  return gst_promise_new_with_change_func (func, answer_ref (a),
      (GDestroyNotify) rtc_answer_unref);
}

static void
on_local_set (GstPromise * promise, gpointer data)
{
  RtcAnswer *a = data;
  gchar *error = NULL;

  if (!promise_ok (promise, &error)) {
    reply (a, SOUP_STATUS_INTERNAL_SERVER_ERROR, error);
    return;
  }
  g_mutex_lock (&a->lock);
  a->local_set = TRUE;
  g_mutex_unlock (&a->lock);
  /* gathering may be complete already */
  check_gathering (a);
}

static void
on_answer (GstPromise * promise, gpointer data)
{
  RtcAnswer *a = data;
  GstWebRTCSessionDescription *answer = NULL;
  gchar *error = NULL;
  GstPromise *next;

  if (!promise_ok (promise, &error)) {
    reply (a, SOUP_STATUS_INTERNAL_SERVER_ERROR, error);
    return;
  }
  if (!gst_structure_get (gst_promise_get_reply (promise), "answer",
          GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &answer, NULL)) {
    reply (a, SOUP_STATUS_INTERNAL_SERVER_ERROR, g_strdup ("no answer"));
    return;
  }
  next = next_promise (a, on_local_set);
  g_signal_emit_by_name (a->pc, "set-local-description", answer, next);
  gst_promise_unref (next);
  gst_webrtc_session_description_free (answer);
}

static void
on_remote_set (GstPromise * promise, gpointer data)
{
  RtcAnswer *a = data;
  gchar *error = NULL;
  GstPromise *next;

  /* the peer connection refused the offer: the client's fault */
  if (!promise_ok (promise, &error)) {
    reply (a, SOUP_STATUS_BAD_REQUEST, error);
    return;
  }
  next = next_promise (a, on_answer);
  g_signal_emit_by_name (a->pc, "create-answer", NULL, next);
  gst_promise_unref (next);
}

/* what a session's child takes from the listening bin */
static const gchar *const inherited[] = { "stun-server", "turn-server",
  "bundle-policy", "ice-transport-policy", "latency", "ice-addresses",
  "ice-min-port", "ice-max-port", "certificate",
};

GstElement *
rtc_answer_new_peer (GstElement * parent)
{
  GstElement *pc = gst_object_ref_sink (gst_element_factory_make
      ("rtcpeerbin", NULL));
  guint i;

  for (i = 0; i < G_N_ELEMENTS (inherited); i++) {
    GValue value = G_VALUE_INIT;

    g_object_get_property (G_OBJECT (parent), inherited[i], &value);
    g_object_set_property (G_OBJECT (pc), inherited[i], &value);
    g_value_unset (&value);
  }
  return pc;
}

void
rtc_answer_remove_child (GstElement * bin, GstElement * child)
{
  gst_element_set_locked_state (child, TRUE);
  gst_element_set_state (child, GST_STATE_NULL);
  if (GST_OBJECT_PARENT (child) == GST_OBJECT (bin))
    gst_bin_remove (GST_BIN (bin), child);
}

RtcAnswer *
rtc_answer_start (GstElement * pc, SoupServerMessage * msg,
    GstSDPMessage * offer, guint timeout_s, RtcAnswerDone done, gpointer data,
    GDestroyNotify destroy)
{
  RtcAnswer *a = g_new0 (RtcAnswer, 1);
  GstWebRTCSessionDescription *desc;
  GstPromise *promise;

  a->refs = 1;
  g_mutex_init (&a->lock);
  a->pc = gst_object_ref (pc);
  a->context = g_main_context_ref_thread_default ();
  a->msg = g_object_ref (msg);
  a->done = done;
  a->data = data;
  a->destroy = destroy;
  soup_server_message_pause (msg);
  a->timeout = g_timeout_source_new_seconds (timeout_s);
  g_source_set_callback (a->timeout, timed_out, answer_ref (a),
      (GDestroyNotify) rtc_answer_unref);
  g_source_attach (a->timeout, a->context);
  a->gathering_handler = g_signal_connect_data (pc,
      "notify::ice-gathering-state", G_CALLBACK (on_gathering),
      answer_ref (a), answer_unref_closure, 0);
  desc = gst_webrtc_session_description_new (GST_WEBRTC_SDP_TYPE_OFFER,
      offer);
  promise = next_promise (a, on_remote_set);
  g_signal_emit_by_name (pc, "set-remote-description", desc, promise);
  gst_promise_unref (promise);
  gst_webrtc_session_description_free (desc);
  return a;
}

void
rtc_answer_cancel (RtcAnswer * a)
{
  if (!a)
    return;
  finish (a, TRUE);
  rtc_answer_unref (a);
}

/* The media line of @mid in @pc's remote description, or -1. */
static gint
mline_of (GstElement * pc, const gchar * mid)
{
  GstWebRTCSessionDescription *remote = NULL;
  gint found = -1;
  guint i;

  g_object_get (pc, "remote-description", &remote, NULL);
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

void
rtc_answer_trickle (GstElement * pc, SoupServerMessage * msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  gchar *text, **lines;
  gint mline = 0;
  guint i, added = 0;

  if (!rtc_http_has_content_type (msg, "application/trickle-ice-sdpfrag")) {
    rtc_http_respond (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE,
        "a PATCH is application/trickle-ice-sdpfrag");
    return;
  }
  text = g_strndup (body->data, body->length);
  lines = g_strsplit_set (text, "\r\n", -1);
  for (i = 0; lines[i]; i++) {
    if (g_str_has_prefix (lines[i], "a=mid:")) {
      mline = mline_of (pc, lines[i] + 6);
      if (mline < 0)
        break;
    } else if (g_str_has_prefix (lines[i], "a=candidate:")) {
      g_signal_emit_by_name (pc, "add-ice-candidate", (guint) mline,
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
  GST_DEBUG_OBJECT (pc, "%u trickled candidates", added);
}
