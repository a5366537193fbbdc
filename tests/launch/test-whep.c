/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* rtcpeerbin's WHEP server (whep-listen) serving rtcpeerbin's WHEP
 * client (whep-endpoint) over loopback HTTP: frames are decoded; two
 * viewers play at once and one leaving (its DELETE) does not stop the
 * other; a wrong token is 401 and an element error on the client; a
 * server that is gone is an error, not a hang; bad HTTP input gets its
 * status. */

#include <string.h>

#include "http-check.h"

#define TOKEN "s3cret"

/* Frames decoded by one viewer; waited on with a bound. */
typedef struct
{
  GMutex lock;
  GCond cond;
  guint frames;
} Counter;

static void
counter_init (Counter * c)
{
  g_mutex_init (&c->lock);
  g_cond_init (&c->cond);
  c->frames = 0;
}

static void
counter_clear (Counter * c)
{
  g_mutex_clear (&c->lock);
  g_cond_clear (&c->cond);
}

static guint
counter_get (Counter * c)
{
  guint n;

  g_mutex_lock (&c->lock);
  n = c->frames;
  g_mutex_unlock (&c->lock);
  return n;
}

/* Whether @c reaches @n frames within WAIT_S. */
static gboolean
counter_wait (Counter * c, guint n)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_S * G_TIME_SPAN_SECOND;
  gboolean ok = TRUE;

  g_mutex_lock (&c->lock);
  while (c->frames < n && ok)
    ok = g_cond_wait_until (&c->cond, &c->lock, deadline);
  ok = c->frames >= n;
  g_mutex_unlock (&c->lock);
  return ok;
}

static void
on_handoff (GstElement * sink, GstBuffer * buf, GstPad * pad, Counter * c)
{
  g_mutex_lock (&c->lock);
  c->frames++;
  g_cond_broadcast (&c->cond);
  g_mutex_unlock (&c->lock);
}

static void
on_new_viewer (GstElement * bin, const gchar * resource, GstElement * pc,
    gint * count)
{
  fail_unless (g_str_has_prefix (resource, "/whep/"), "%s", resource);
  fail_unless (GST_IS_ELEMENT (pc));
  g_atomic_int_inc (count);
}

/* A server pipeline serving a live VP8 stream, PLAYING; its URL in @url. */
static GstElement *
server (gchar ** url, guint max_viewers, gint * new_viewers)
{
  gchar *desc = g_strdup_printf ("videotestsrc is-live=true ! "
      "video/x-raw,width=160,height=120,framerate=30/1 ! vp8enc deadline=1 "
      "keyframe-max-dist=30 ! rtcpeerbin name=srv ice-addresses=127.0.0.1 "
      "whep-listen=127.0.0.1:0 whep-token=" TOKEN " whep-max-viewers=%u",
      max_viewers);
  GstElement *pipe = gst_parse_launch (desc, NULL);
  GstElement *srv = gst_bin_get_by_name (GST_BIN (pipe), "srv");
  gchar *addr = NULL;

  g_free (desc);
  if (new_viewers)
    g_signal_connect (srv, "on-new-viewer", G_CALLBACK (on_new_viewer),
        new_viewers);
  fail_if (gst_element_set_state (pipe, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
  g_object_get (srv, "whep-listen", &addr, NULL);
  fail_unless (addr && g_str_has_prefix (addr, "127.0.0.1:")
      && !g_str_has_suffix (addr, ":0"), "%s", addr);
  *url = g_strdup_printf ("http://%s/whep", addr);
  g_free (addr);
  gst_object_unref (srv);
  return pipe;
}

/* A viewer pipeline (not started) counting its decoded frames in @c. */
static GstElement *
viewer (const gchar * url, const gchar * token, Counter * c)
{
  gchar *desc = g_strdup_printf ("rtcpeerbin name=v ice-addresses=127.0.0.1 "
      "whep-endpoint=%s whep-token=%s whip-timeout=5 ! decodebin ! "
      "fakesink name=s signal-handoffs=true", url, token);
  GstElement *pipe = gst_parse_launch (desc, NULL);
  GstElement *sink;

  fail_unless (pipe != NULL);
  g_free (desc);
  sink = gst_bin_get_by_name (GST_BIN (pipe), "s");
  g_signal_connect (sink, "handoff", G_CALLBACK (on_handoff), c);
  gst_object_unref (sink);
  return pipe;
}

static void
expect_viewer (GstElement * pipeline, const gchar * event, gchar ** resource)
{
  gchar *got = wait_server_event (pipeline, "rtcpeerbin-whep-server",
      resource);

  fail_unless_equals_string (got, event);
  g_free (got);
}

/* The URL of a resource path of the server at @url. */
static gchar *
resource_url (const gchar * url, const gchar * resource)
{
  return g_strdup_printf ("%s%s", url, resource + strlen ("/whep"));
}

static void
stop (GstElement * pipeline)
{
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
}

/* An offer a viewer's peer connection answers (its candidates would
 * come by PATCH). */
#define FULL_OFFER "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n" \
  "a=group:BUNDLE 0\r\n" \
  "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\n" \
  "a=mid:0\r\na=recvonly\r\na=rtcp-mux\r\na=rtpmap:96 VP8/90000\r\n" \
  "a=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\n" \
  "a=setup:actpass\r\na=fingerprint:sha-256 " \
  "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:" \
  "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF\r\n"

GST_START_TEST (test_whep_play)
{
  Counter c;
  gint new_viewers = 0;
  gchar *url, *resource = NULL, *rurl, *answer = NULL, *other;
  SoupMessageHeaders *headers = NULL;
  const gchar *location;
  GstElement *srv_pipe, *view;

  counter_init (&c);
  srv_pipe = server (&url, 0, &new_viewers);
  view = viewer (url, TOKEN, &c);
  gst_element_set_state (view, GST_STATE_PLAYING);
  expect_viewer (srv_pipe, "created", &resource);
  fail_unless_equals_int (g_atomic_int_get (&new_viewers), 1);
  fail_unless (counter_wait (&c, 30), "%u frames decoded", counter_get (&c));
  /* trickle on the viewer's resource is routed to its peer connection */
  rurl = resource_url (url, resource);
  fail_unless_equals_int (request ("PATCH", rurl, TOKEN,
          "application/trickle-ice-sdpfrag", "a=mid:nope\r\n", 12, NULL),
      SOUP_STATUS_UNPROCESSABLE_ENTITY);
  fail_unless_equals_int (request ("PATCH", rurl, TOKEN,
          "application/trickle-ice-sdpfrag", "a=end-of-candidates\r\n", 21, NULL),
      SOUP_STATUS_NO_CONTENT);
  fail_unless_equals_int (request ("PATCH", rurl, TOKEN, "application/sdp",
          "a=mid:0\r\n", 9, NULL), SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE);
  fail_unless_equals_int (request ("GET", rurl, TOKEN, NULL, NULL, 0, NULL),
      SOUP_STATUS_METHOD_NOT_ALLOWED);
  /* a second viewer by hand: its 201 says where its session is and that
   * PATCH trickles; its DELETE ends it */
  fail_unless_equals_int (request_full ("POST", url, TOKEN,
          "application/sdp", FULL_OFFER, strlen (FULL_OFFER), &answer,
          &headers), SOUP_STATUS_CREATED);
  fail_unless (g_str_has_prefix (answer, "v=0"), "%s", answer);
  location = soup_message_headers_get_one (headers, "Location");
  fail_unless (location && g_str_has_prefix (location, "/whep/")
      && g_strcmp0 (location, resource) != 0, "%s", location);
  fail_unless_equals_string (soup_message_headers_get_one (headers,
          "Accept-Patch"), "application/trickle-ice-sdpfrag");
  expect_viewer (srv_pipe, "created", NULL);
  other = resource_url (url, location);
  fail_unless_equals_int (request ("DELETE", other, TOKEN, NULL, NULL, 0,
          NULL), SOUP_STATUS_OK);
  expect_viewer (srv_pipe, "deleted", NULL);
  g_free (other);
  g_free (answer);
  soup_message_headers_unref (headers);
  /* the viewer stops: its DELETE removes it from the server */
  stop (view);
  expect_viewer (srv_pipe, "deleted", NULL);
  fail_unless_equals_int (request ("DELETE", rurl, TOKEN, NULL, NULL, 0, NULL),
      SOUP_STATUS_NOT_FOUND);
  stop (srv_pipe);
  counter_clear (&c);
  g_free (rurl);
  g_free (resource);
  g_free (url);
}

GST_END_TEST;

static void
on_viewer_removed (GstElement * bin, const gchar * resource, gint * count)
{
  g_atomic_int_inc (count);
}

GST_START_TEST (test_whep_two_viewers)
{
  Counter a, b;
  gint new_viewers = 0, removed = 0;
  gchar *url, *res_a = NULL, *res_b = NULL, *rurl;
  GstElement *srv_pipe, *view_a, *view_b, *srv;
  guint before;

  counter_init (&a);
  counter_init (&b);
  srv_pipe = server (&url, 0, &new_viewers);
  srv = gst_bin_get_by_name (GST_BIN (srv_pipe), "srv");
  g_signal_connect (srv, "on-viewer-removed",
      G_CALLBACK (on_viewer_removed), &removed);
  view_a = viewer (url, TOKEN, &a);
  view_b = viewer (url, TOKEN, &b);
  gst_element_set_state (view_a, GST_STATE_PLAYING);
  expect_viewer (srv_pipe, "created", &res_a);
  gst_element_set_state (view_b, GST_STATE_PLAYING);
  expect_viewer (srv_pipe, "created", &res_b);
  fail_if (g_str_equal (res_a, res_b));
  fail_unless_equals_int (g_atomic_int_get (&new_viewers), 2);
  /* both play at once */
  fail_unless (counter_wait (&a, 30), "A: %u frames", counter_get (&a));
  fail_unless (counter_wait (&b, 30), "B: %u frames", counter_get (&b));
  /* A leaves; B plays on */
  stop (view_a);
  expect_viewer (srv_pipe, "deleted", NULL);
  fail_unless_equals_int (g_atomic_int_get (&removed), 1);
  rurl = resource_url (url, res_a);
  fail_unless_equals_int (request ("DELETE", rurl, TOKEN, NULL, NULL, 0, NULL),
      SOUP_STATUS_NOT_FOUND);
  g_free (rurl);
  before = counter_get (&b);
  fail_unless (counter_wait (&b, before + 60), "B: %u frames after A left "
      "(%u before)", counter_get (&b), before);
  /* the server's DELETE of B ends B's session there */
  rurl = resource_url (url, res_b);
  fail_unless_equals_int (request ("DELETE", rurl, TOKEN, NULL, NULL, 0, NULL),
      SOUP_STATUS_OK);
  expect_viewer (srv_pipe, "deleted", NULL);
  g_free (rurl);
  stop (view_b);
  stop (srv_pipe);
  gst_object_unref (srv);
  counter_clear (&a);
  counter_clear (&b);
  g_free (res_a);
  g_free (res_b);
  g_free (url);
}

GST_END_TEST;

/* The client's error: RESOURCE domain, its message containing @text. */
static void
expect_client_error (GstElement * view, GstResourceError code,
    const gchar * text)
{
  GstMessage *msg = wait_for (view, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  GError *error = NULL;

  fail_unless_equals_int (GST_MESSAGE_TYPE (msg), GST_MESSAGE_ERROR);
  gst_message_parse_error (msg, &error, NULL);
  fail_unless (error->domain == GST_RESOURCE_ERROR);
  fail_unless_equals_int (error->code, code);
  fail_unless (strstr (error->message, "WHEP") && strstr (error->message,
          text), "%s", error->message);
  g_error_free (error);
  gst_message_unref (msg);
}

GST_START_TEST (test_whep_wrong_token)
{
  Counter c;
  gchar *url;
  GstElement *srv_pipe, *view;

  counter_init (&c);
  srv_pipe = server (&url, 0, NULL);
  view = viewer (url, "wrong", &c);
  gst_element_set_state (view, GST_STATE_PLAYING);
  expect_client_error (view, GST_RESOURCE_ERROR_NOT_AUTHORIZED, "401");
  stop (view);
  stop (srv_pipe);
  counter_clear (&c);
  g_free (url);
}

GST_END_TEST;

GST_START_TEST (test_whep_server_down)
{
  Counter c;
  gchar *url;
  GstElement *srv_pipe, *view;

  counter_init (&c);
  srv_pipe = server (&url, 0, NULL);
  gst_element_set_state (srv_pipe, GST_STATE_NULL);
  view = viewer (url, TOKEN, &c);
  gst_element_set_state (view, GST_STATE_PLAYING);
  expect_client_error (view, GST_RESOURCE_ERROR_OPEN_READ_WRITE,
      "no answer from the server");
  stop (view);
  gst_object_unref (srv_pipe);
  counter_clear (&c);
  g_free (url);
}

GST_END_TEST;

#define OFFER "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n" \
  "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\n" \
  "a=mid:0\r\na=recvonly\r\na=rtpmap:96 VP8/90000\r\n"

/* Bad input gets its status; with whep-max-viewers=1, a second viewer is
 * 503 and the first plays on. */
GST_START_TEST (test_whep_bad_input)
{
  Counter c;
  gchar *url;
  GstElement *srv_pipe, *view;
  guint before;

  counter_init (&c);
  srv_pipe = server (&url, 1, NULL);
  fail_unless_equals_int (request ("POST", url, NULL, "application/sdp",
          OFFER, strlen (OFFER), NULL), SOUP_STATUS_UNAUTHORIZED);
  fail_unless_equals_int (request ("POST", url, TOKEN "x",
          "application/sdp", OFFER, strlen (OFFER), NULL),
      SOUP_STATUS_UNAUTHORIZED);
  check_refusals (url, TOKEN);
  check_page (url, "/whep", "recvonly");
  /* one viewer plays; a second one is refused, the first plays on */
  view = viewer (url, TOKEN, &c);
  gst_element_set_state (view, GST_STATE_PLAYING);
  expect_viewer (srv_pipe, "created", NULL);
  fail_unless (counter_wait (&c, 30), "%u frames decoded", counter_get (&c));
  fail_unless_equals_int (request ("POST", url, TOKEN, "application/sdp",
          OFFER, strlen (OFFER), NULL), SOUP_STATUS_SERVICE_UNAVAILABLE);
  before = counter_get (&c);
  fail_unless (counter_wait (&c, before + 30), "%u frames", counter_get (&c));
  stop (view);
  stop (srv_pipe);
  counter_clear (&c);
  g_free (url);
}

GST_END_TEST;

/* Viewers arriving all at once, among clients sending garbage: each
 * gets its own session and plays; the garbage gets its statuses. */
GST_START_TEST (test_whep_many_at_once)
{
  Counter c[3];
  GstElement *views[3];
  gint new_viewers = 0;
  gchar *url, *resources[3];
  GstElement *srv_pipe;
  BadClients bad;
  guint i, j;

  srv_pipe = server (&url, 0, &new_viewers);
  bad_clients_start (&bad, url, TOKEN);
  for (i = 0; i < G_N_ELEMENTS (views); i++) {
    counter_init (&c[i]);
    views[i] = viewer (url, TOKEN, &c[i]);
    gst_element_set_state (views[i], GST_STATE_PLAYING);
  }
  for (i = 0; i < G_N_ELEMENTS (views); i++)
    expect_viewer (srv_pipe, "created", &resources[i]);
  for (i = 0; i < G_N_ELEMENTS (views); i++) {
    for (j = 0; j < i; j++)
      fail_if (g_str_equal (resources[i], resources[j]));
    fail_unless (counter_wait (&c[i], 30), "viewer %u: %u frames", i,
        counter_get (&c[i]));
  }
  fail_unless_equals_int (bad_clients_join (&bad), 0);
  fail_unless_equals_int (g_atomic_int_get (&new_viewers), 3);
  for (i = 0; i < G_N_ELEMENTS (views); i++) {
    stop (views[i]);
    expect_viewer (srv_pipe, "deleted", NULL);
    counter_clear (&c[i]);
    g_free (resources[i]);
  }
  stop (srv_pipe);
  g_free (url);
}

GST_END_TEST;

/* One signalling path at a time: each pair fails going to READY. */
GST_START_TEST (test_whep_settings)
{
  const gchar *pairs[][4] = {
    {"whep-listen", "127.0.0.1:0", "whip-listen", "127.0.0.1:0"},
    {"whep-listen", "127.0.0.1:0", "whep-endpoint", "http://127.0.0.1:9/"},
    {"whep-endpoint", "http://127.0.0.1:9/", "whip-endpoint",
        "http://127.0.0.1:9/"},
    {"whep-endpoint", "http://127.0.0.1:9/", "peer", "other"},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (pairs); i++) {
    GstElement *bin = gst_element_factory_make ("rtcpeerbin", NULL);

    g_object_set (bin, pairs[i][0], pairs[i][1], pairs[i][2], pairs[i][3],
        NULL);
    fail_unless (gst_element_set_state (bin, GST_STATE_READY) ==
        GST_STATE_CHANGE_FAILURE, "%s with %s", pairs[i][0], pairs[i][2]);
    gst_element_set_state (bin, GST_STATE_NULL);
    gst_object_unref (bin);
  }
}

GST_END_TEST;

static Suite *
whep_suite (void)
{
  Suite *s = suite_create ("whep");
  TCase *tc = tcase_create ("whep");

  tcase_set_timeout (tc, 120);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_whep_play);
  tcase_add_test (tc, test_whep_two_viewers);
  tcase_add_test (tc, test_whep_wrong_token);
  tcase_add_test (tc, test_whep_server_down);
  tcase_add_test (tc, test_whep_bad_input);
  tcase_add_test (tc, test_whep_many_at_once);
  tcase_add_test (tc, test_whep_settings);
  return s;
}

GST_CHECK_MAIN (whep);
