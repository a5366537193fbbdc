/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* rtcpeerbin's WHIP client against a WHIP server written here with
 * libsoup on loopback, whose sessions are answered by another rtcpeerbin:
 * frames arrive, the session is deleted when the publisher stops, a wrong
 * token is an element error with the status and the body, and a server
 * that is down or silent is an error within the timeout, not a hang. The
 * server runs on a thread of its own, so that the publisher's state
 * changes (which DELETE synchronously) can be made from the test. */

#include <gst/check/gstcheck.h>
#include <gst/webrtc/webrtc.h>
#include <libsoup/soup.h>
#include <string.h>

#define TOKEN "s3cret"
#define WAIT_S 30

typedef struct
{
  GMainContext *context;
  GMainLoop *loop;
  GThread *thread;
  SoupServer *server;
  guint port;
  gboolean silent;              /* accept, never answer */
  GstElement *receiver;         /* rtcpeerbin answering the offers */
  GMutex lock;
  GCond cond;
  gint deleted;
  gint created;
} Server;

static GstWebRTCSessionDescription *
await_description (GstPromise * promise, const gchar * field)
{
  const GstStructure *reply;
  GstWebRTCSessionDescription *desc = NULL;

  fail_unless_equals_int (gst_promise_wait (promise),
      GST_PROMISE_RESULT_REPLIED);
  reply = gst_promise_get_reply (promise);
  fail_if (reply && gst_structure_has_field (reply, "error"));
  if (field)
    fail_unless (gst_structure_get (reply, field,
            GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &desc, NULL));
  gst_promise_unref (promise);
  return desc;
}

static void
on_gathering (GObject * object, GParamSpec * pspec, Server * s)
{
  g_mutex_lock (&s->lock);
  g_cond_broadcast (&s->cond);
  g_mutex_unlock (&s->lock);
}

/* The receiver answers @offer; the answer with all its candidates. */
static gchar *
answer_offer (Server * s, const gchar * text, gsize len)
{
  GstSDPMessage *sdp;
  GstWebRTCSessionDescription *offer, *answer, *local = NULL;
  GstPromise *p;
  GstWebRTCICEGatheringState state;
  gint64 deadline = g_get_monotonic_time () + WAIT_S * G_TIME_SPAN_SECOND;
  gchar *out;

  gst_sdp_message_new (&sdp);
  fail_unless_equals_int (gst_sdp_message_parse_buffer ((const guint8 *) text,
          len, sdp), GST_SDP_OK);
  offer = gst_webrtc_session_description_new (GST_WEBRTC_SDP_TYPE_OFFER, sdp);
  p = gst_promise_new ();
  g_signal_emit_by_name (s->receiver, "set-remote-description", offer, p);
  await_description (p, NULL);
  p = gst_promise_new ();
  g_signal_emit_by_name (s->receiver, "create-answer", NULL, p);
  answer = await_description (p, "answer");
  p = gst_promise_new ();
  g_signal_emit_by_name (s->receiver, "set-local-description", answer, p);
  await_description (p, NULL);
  g_mutex_lock (&s->lock);
  for (;;) {
    g_object_get (s->receiver, "ice-gathering-state", &state, NULL);
    if (state == GST_WEBRTC_ICE_GATHERING_STATE_COMPLETE)
      break;
    fail_unless (g_cond_wait_until (&s->cond, &s->lock, deadline),
        "the receiver never completed gathering");
  }
  g_mutex_unlock (&s->lock);
  g_object_get (s->receiver, "local-description", &local, NULL);
  out = gst_sdp_message_as_text (local->sdp);
  gst_webrtc_session_description_free (local);
  gst_webrtc_session_description_free (answer);
  gst_webrtc_session_description_free (offer);
  return out;
}

static void
whip_handler (SoupServer * server, SoupServerMessage * msg, const char *path,
    GHashTable * query, gpointer user_data)
{
  Server *s = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const gchar *auth = soup_message_headers_get_one (headers, "Authorization");
  const gchar *type = soup_message_headers_get_content_type (headers, NULL);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  const gchar *method = soup_server_message_get_method (msg);
  gchar *answer;

  if (s->silent) {
    /* a server that takes the request and never answers */
    soup_server_message_pause (msg);
    return;
  }
  if (strcmp (path, "/whip/session-1") == 0 && strcmp (method, "DELETE") == 0) {
    g_mutex_lock (&s->lock);
    g_atomic_int_inc (&s->deleted);
    g_cond_broadcast (&s->cond);
    g_mutex_unlock (&s->lock);
    soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
    return;
  }
  if (strcmp (path, "/whip") != 0 || strcmp (method, "POST") != 0) {
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
    return;
  }
  if (g_strcmp0 (auth, "Bearer " TOKEN) != 0) {
    soup_server_message_set_status (msg, SOUP_STATUS_UNAUTHORIZED, NULL);
    soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY,
        "bad token", 9);
    return;
  }
  fail_unless_equals_string (type, "application/sdp");
  answer = answer_offer (s, body->data, body->length);
  g_mutex_lock (&s->lock);
  g_atomic_int_inc (&s->created);
  g_cond_broadcast (&s->cond);
  g_mutex_unlock (&s->lock);
  soup_message_headers_replace (soup_server_message_get_response_headers
      (msg), "Location", "/whip/session-1");
  soup_server_message_set_status (msg, SOUP_STATUS_CREATED, NULL);
  soup_server_message_set_response (msg, "application/sdp", SOUP_MEMORY_TAKE,
      answer, strlen (answer));
}

static gpointer
server_thread (gpointer data)
{
  Server *s = data;

  g_main_context_push_thread_default (s->context);
  g_main_loop_run (s->loop);
  g_main_context_pop_thread_default (s->context);
  return NULL;
}

static Server *
server_start (GstElement * receiver, gboolean silent)
{
  Server *s = g_new0 (Server, 1);
  GError *error = NULL;
  GSList *uris;

  g_mutex_init (&s->lock);
  g_cond_init (&s->cond);
  s->silent = silent;
  s->receiver = receiver ? gst_object_ref (receiver) : NULL;
  s->context = g_main_context_new ();
  s->loop = g_main_loop_new (s->context, FALSE);
  g_main_context_push_thread_default (s->context);
  s->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (s->server, "/whip", whip_handler, s, NULL);
  fail_unless (soup_server_listen_local (s->server, 0,
          SOUP_SERVER_LISTEN_IPV4_ONLY, &error), "%s",
      error ? error->message : "");
  g_main_context_pop_thread_default (s->context);
  uris = soup_server_get_uris (s->server);
  s->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  if (receiver)
    g_signal_connect (receiver, "notify::ice-gathering-state",
        G_CALLBACK (on_gathering), s);
  s->thread = g_thread_new ("whip-server", server_thread, s);
  return s;
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
server_stop (Server * s)
{
  g_main_context_invoke (s->context, quit_loop, s->loop);
  g_thread_join (s->thread);
  if (s->receiver)
    g_signal_handlers_disconnect_by_data (s->receiver, s);
  g_main_context_push_thread_default (s->context);
  soup_server_disconnect (s->server);
  g_object_unref (s->server);
  g_main_context_pop_thread_default (s->context);
  g_main_loop_unref (s->loop);
  g_main_context_unref (s->context);
  gst_clear_object (&s->receiver);
  g_mutex_clear (&s->lock);
  g_cond_clear (&s->cond);
  g_free (s);
}

static GstElement *
publisher (const gchar * url, const gchar * token, guint timeout)
{
  gchar *desc = g_strdup_printf ("videotestsrc is-live=true num-buffers=90 "
      "! vp8enc deadline=1 ! rtcpeerbin name=pub ice-addresses=127.0.0.1 "
      "whip-endpoint=%s whip-token=%s whip-timeout=%u", url, token, timeout);
  GError *error = NULL;
  GstElement *pipeline = gst_parse_launch (desc, &error);

  fail_unless (pipeline != NULL, "%s", error ? error->message : "");
  g_free (desc);
  return pipeline;
}

/* The first EOS or error of @pipeline, within WAIT_S. */
static GstMessage *
wait_end (GstElement * pipeline)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg = gst_bus_timed_pop_filtered (bus, WAIT_S * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);

  gst_object_unref (bus);
  fail_unless (msg != NULL, "neither EOS nor an error in %d s", WAIT_S);
  return msg;
}

static void
on_handoff (GstElement * sink, GstBuffer * buf, GstPad * pad, gint * frames)
{
  g_atomic_int_inc (frames);
}

GST_START_TEST (test_whip_publish)
{
  GstElement *recv_pipe = gst_parse_launch ("rtcpeerbin name=r "
      "ice-addresses=127.0.0.1 ! decodebin ! fakesink name=s "
      "signal-handoffs=true", NULL);
  GstElement *r = gst_bin_get_by_name (GST_BIN (recv_pipe), "r");
  GstElement *sink = gst_bin_get_by_name (GST_BIN (recv_pipe), "s");
  Server *s = server_start (r, FALSE);
  gchar *url = g_strdup_printf ("http://127.0.0.1:%u/whip", s->port);
  GstElement *pub = publisher (url, TOKEN, 10);
  GstMessage *msg;
  gint frames = 0;

  g_signal_connect (sink, "handoff", G_CALLBACK (on_handoff), &frames);
  gst_element_set_state (recv_pipe, GST_STATE_PLAYING);
  gst_element_set_state (pub, GST_STATE_PLAYING);
  /* the publisher's source ends; the receiver gets the BYE */
  msg = wait_end (recv_pipe);
  fail_unless_equals_int (GST_MESSAGE_TYPE (msg), GST_MESSAGE_EOS);
  gst_message_unref (msg);
  fail_unless (g_atomic_int_get (&frames) >= 45, "%d frames decoded",
      g_atomic_int_get (&frames));
  fail_unless_equals_int (g_atomic_int_get (&s->created), 1);
  /* the publisher's EOS ends its session: DELETE */
  msg = wait_end (pub);
  fail_unless_equals_int (GST_MESSAGE_TYPE (msg), GST_MESSAGE_EOS);
  gst_message_unref (msg);
  g_mutex_lock (&s->lock);
  while (g_atomic_int_get (&s->deleted) == 0)
    fail_unless (g_cond_wait_until (&s->cond, &s->lock,
            g_get_monotonic_time () + WAIT_S * G_TIME_SPAN_SECOND),
        "no DELETE after EOS");
  g_mutex_unlock (&s->lock);
  /* and only once */
  gst_element_set_state (pub, GST_STATE_NULL);
  fail_unless_equals_int (g_atomic_int_get (&s->deleted), 1);

  gst_element_set_state (recv_pipe, GST_STATE_NULL);
  server_stop (s);
  gst_object_unref (pub);
  gst_object_unref (sink);
  gst_object_unref (r);
  gst_object_unref (recv_pipe);
  g_free (url);
}

GST_END_TEST;

/* The error a publisher ends with; its message is returned. */
static gchar *
publish_error (const gchar * url, const gchar * token, guint timeout,
    gint * code, GQuark * domain)
{
  GstElement *pub = publisher (url, token, timeout);
  GstMessage *msg;
  GError *error = NULL;
  gchar *text;

  gst_element_set_state (pub, GST_STATE_PLAYING);
  msg = wait_end (pub);
  fail_unless_equals_int (GST_MESSAGE_TYPE (msg), GST_MESSAGE_ERROR);
  gst_message_parse_error (msg, &error, NULL);
  *code = error->code;
  *domain = error->domain;
  text = g_strdup (error->message);
  g_error_free (error);
  gst_message_unref (msg);
  gst_element_set_state (pub, GST_STATE_NULL);
  gst_object_unref (pub);
  return text;
}

/* A publisher stopped before its end deletes its session as it stops. */
GST_START_TEST (test_whip_stop_deletes)
{
  GstElement *recv_pipe = gst_parse_launch ("rtcpeerbin name=r "
      "ice-addresses=127.0.0.1 ! decodebin ! fakesink", NULL);
  GstElement *r = gst_bin_get_by_name (GST_BIN (recv_pipe), "r");
  Server *s = server_start (r, FALSE);
  gchar *url = g_strdup_printf ("http://127.0.0.1:%u/whip", s->port);
  gchar *desc = g_strdup_printf ("videotestsrc is-live=true ! vp8enc "
      "deadline=1 ! rtcpeerbin ice-addresses=127.0.0.1 whip-endpoint=%s "
      "whip-token=" TOKEN, url);
  GstElement *pub = gst_parse_launch (desc, NULL);

  gst_element_set_state (recv_pipe, GST_STATE_PLAYING);
  gst_element_set_state (pub, GST_STATE_PLAYING);
  g_mutex_lock (&s->lock);
  while (g_atomic_int_get (&s->created) == 0)
    fail_unless (g_cond_wait_until (&s->cond, &s->lock,
            g_get_monotonic_time () + WAIT_S * G_TIME_SPAN_SECOND),
        "no session created");
  g_mutex_unlock (&s->lock);
  fail_unless_equals_int (g_atomic_int_get (&s->deleted), 0);
  gst_element_set_state (pub, GST_STATE_NULL);
  fail_unless_equals_int (g_atomic_int_get (&s->deleted), 1);

  gst_element_set_state (recv_pipe, GST_STATE_NULL);
  server_stop (s);
  gst_object_unref (pub);
  gst_object_unref (r);
  gst_object_unref (recv_pipe);
  g_free (desc);
  g_free (url);
}

GST_END_TEST;

GST_START_TEST (test_whip_wrong_token)
{
  Server *s = server_start (NULL, FALSE);
  gchar *url = g_strdup_printf ("http://127.0.0.1:%u/whip", s->port);
  gint code;
  GQuark domain;
  gchar *text = publish_error (url, "wrong", 10, &code, &domain);

  fail_unless (domain == GST_RESOURCE_ERROR);
  fail_unless_equals_int (code, GST_RESOURCE_ERROR_NOT_AUTHORIZED);
  fail_unless (strstr (text, "401") && strstr (text, "bad token"), "%s",
      text);
  g_free (text);
  server_stop (s);
  g_free (url);
}

GST_END_TEST;

/* Nobody listens on the port: an error, at once. */
GST_START_TEST (test_whip_server_down)
{
  GSocket *sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
      G_SOCKET_PROTOCOL_TCP, NULL);
  GInetAddress *lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GSocketAddress *addr = g_inet_socket_address_new (lo, 0), *bound;
  gchar *url, *text;
  gint code;
  GQuark domain;

  /* a port that was free a moment ago and is closed again */
  fail_unless (g_socket_bind (sock, addr, FALSE, NULL));
  bound = g_socket_get_local_address (sock, NULL);
  url = g_strdup_printf ("http://127.0.0.1:%u/whip",
      g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (sock, NULL);
  text = publish_error (url, TOKEN, 10, &code, &domain);
  fail_unless (domain == GST_RESOURCE_ERROR);
  fail_unless (strstr (text, "no answer from the server"), "%s", text);
  g_free (text);
  g_free (url);
  g_object_unref (bound);
  g_object_unref (addr);
  g_object_unref (lo);
  g_object_unref (sock);
}

GST_END_TEST;

/* A server that never answers: an error after whip-timeout. */
GST_START_TEST (test_whip_server_silent)
{
  Server *s = server_start (NULL, TRUE);
  gchar *url = g_strdup_printf ("http://127.0.0.1:%u/whip", s->port);
  gint64 start = g_get_monotonic_time ();
  gint code;
  GQuark domain;
  gchar *text = publish_error (url, TOKEN, 1, &code, &domain);

  fail_unless (strstr (text, "no answer from the server"), "%s", text);
  fail_unless (g_get_monotonic_time () - start < 10 * G_TIME_SPAN_SECOND);
  g_free (text);
  server_stop (s);
  g_free (url);
}

GST_END_TEST;

/* One signalling path at a time. */
GST_START_TEST (test_whip_and_peer)
{
  GstElement *pipeline = gst_parse_launch ("rtcpeerbin name=a  rtcpeerbin "
      "peer=a whip-endpoint=http://127.0.0.1:9/whip ! fakesink", NULL);
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg;

  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_READY),
      GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_unref (msg);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
}

GST_END_TEST;

static Suite *
whip_suite (void)
{
  Suite *s = suite_create ("whip");
  TCase *tc = tcase_create ("whip");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_whip_publish);
  tcase_add_test (tc, test_whip_stop_deletes);
  tcase_add_test (tc, test_whip_wrong_token);
  tcase_add_test (tc, test_whip_server_down);
  tcase_add_test (tc, test_whip_server_silent);
  tcase_add_test (tc, test_whip_and_peer);
  return s;
}

GST_CHECK_MAIN (whip);
