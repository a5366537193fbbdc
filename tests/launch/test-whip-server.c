/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* rtcpeerbin's WHIP server (whip-listen) with rtcpeerbin's WHIP client
 * publishing to it over loopback HTTP: frames are decoded, the session is
 * deleted at the publisher's EOS, a wrong token is 401 and an element
 * error on the client, a server that is gone is an error, not a hang;
 * bad HTTP input gets its status and the server keeps working; publisher
 * after publisher, including one that vanished without a word. */

#include <string.h>

#include "http-check.h"

#define TOKEN "s3cret"

static void
on_handoff (GstElement * sink, GstBuffer * buf, GstPad * pad, gint * frames)
{
  g_atomic_int_inc (frames);
}

/* A server pipeline taking @sessions publishers (0: any number),
 * PLAYING; its URL in @url. */
static GstElement *
server (gchar ** url, gint * frames, guint sessions)
{
  gchar *desc = g_strdup_printf ("rtcpeerbin name=srv "
      "ice-addresses=127.0.0.1 whip-listen=127.0.0.1:0 whip-token=" TOKEN
      " whip-sessions=%u ! decodebin ! fakesink name=s signal-handoffs=true",
      sessions);
  GstElement *pipe = gst_parse_launch (desc, NULL);
  GstElement *srv = gst_bin_get_by_name (GST_BIN (pipe), "srv");
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipe), "s");
  gchar *addr = NULL;

  g_free (desc);
  g_signal_connect (sink, "handoff", G_CALLBACK (on_handoff), frames);
  fail_if (gst_element_set_state (pipe, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
  g_object_get (srv, "whip-listen", &addr, NULL);
  fail_unless (addr && g_str_has_prefix (addr, "127.0.0.1:")
      && !g_str_has_suffix (addr, ":0"), "%s", addr);
  *url = g_strdup_printf ("http://%s/whip", addr);
  g_free (addr);
  gst_object_unref (sink);
  gst_object_unref (srv);
  return pipe;
}

static GstElement *
publisher (const gchar * url, const gchar * token, guint buffers)
{
  gchar *desc = g_strdup_printf ("videotestsrc is-live=true num-buffers=%u "
      "! vp8enc deadline=1 ! rtcpeerbin name=pub ice-addresses=127.0.0.1 "
      "whip-endpoint=%s whip-token=%s whip-timeout=5", buffers, url, token);
  GstElement *pipeline = gst_parse_launch (desc, NULL);

  fail_unless (pipeline != NULL);
  g_free (desc);
  return pipeline;
}

/* The server's next session message, "created" or "deleted". */
static gchar *
wait_session (GstElement * pipeline, gchar ** resource)
{
  return wait_server_event (pipeline, "rtcpeerbin-whip-server", resource);
}

/* The server's pipeline sees its session deleted and ends (EOS). */
static void
wait_server_end (GstElement * pipeline)
{
  gboolean eos = FALSE, deleted = FALSE;

  while (!eos || !deleted) {
    GstMessage *msg = wait_for (pipeline, GST_MESSAGE_ELEMENT |
        GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
    const GstStructure *s = gst_message_get_structure (msg);

    fail_if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR);
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS)
      eos = TRUE;
    else if (gst_structure_has_name (s, "rtcpeerbin-whip-server"))
      deleted = g_str_equal (gst_structure_get_string (s, "event"),
          "deleted");
    gst_message_unref (msg);
  }
}

#define OFFER "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n" \
  "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\n" \
  "a=mid:0\r\na=sendonly\r\na=rtpmap:96 VP8/90000\r\n"

GST_START_TEST (test_whip_server_publish)
{
  gint frames = 0;
  gchar *url, *event, *resource = NULL, *resource_url;
  GstElement *srv_pipe = server (&url, &frames, 1);
  GstElement *pub = publisher (url, TOKEN, 90);
  GstMessage *msg;

  gst_element_set_state (pub, GST_STATE_PLAYING);
  event = wait_session (srv_pipe, &resource);
  fail_unless_equals_string (event, "created");
  g_free (event);
  fail_unless (g_str_has_prefix (resource, "/whip/"), "%s", resource);
  /* trickle on the session: routed, checked, and nothing breaks */
  resource_url = g_strdup_printf ("%s%s", url, resource + strlen ("/whip"));
  fail_unless_equals_int (request ("PATCH", resource_url, TOKEN,
          "application/sdp", "a=mid:0\r\n", 9, NULL),
      SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE);
  fail_unless_equals_int (request ("PATCH", resource_url, TOKEN,
          "application/trickle-ice-sdpfrag", "a=mid:nope\r\n", 12, NULL),
      SOUP_STATUS_UNPROCESSABLE_ENTITY);
  fail_unless_equals_int (request ("PATCH", resource_url, TOKEN,
          "application/trickle-ice-sdpfrag", "a=end-of-candidates\r\n", 21,
          NULL), SOUP_STATUS_NO_CONTENT);
  fail_unless_equals_int (request ("PATCH", resource_url, "wrong",
          "application/trickle-ice-sdpfrag", "", 0, NULL),
      SOUP_STATUS_UNAUTHORIZED);
  /* a second publisher while this one is on */
  fail_unless_equals_int (request ("POST", url, TOKEN, "application/sdp",
          OFFER, strlen (OFFER), NULL), SOUP_STATUS_CONFLICT);
  /* the publisher ends: its BYE and its DELETE (in either order) end the
   * server's pipeline */
  wait_server_end (srv_pipe);
  fail_unless (g_atomic_int_get (&frames) >= 45, "%d frames decoded",
      g_atomic_int_get (&frames));
  msg = wait_for (pub, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless_equals_int (GST_MESSAGE_TYPE (msg), GST_MESSAGE_EOS);
  gst_message_unref (msg);
  /* the resource is gone */
  fail_unless_equals_int (request ("DELETE", resource_url, TOKEN, NULL, NULL,
          0, NULL), SOUP_STATUS_NOT_FOUND);
  /* whip-sessions=1: served its one publisher */
  fail_unless_equals_int (request ("POST", url, TOKEN, "application/sdp",
          OFFER, strlen (OFFER), NULL), SOUP_STATUS_SERVICE_UNAVAILABLE);
  gst_element_set_state (pub, GST_STATE_NULL);
  gst_element_set_state (srv_pipe, GST_STATE_NULL);
  gst_object_unref (pub);
  gst_object_unref (srv_pipe);
  g_free (resource_url);
  g_free (resource);
  g_free (url);
}

GST_END_TEST;

GST_START_TEST (test_whip_server_wrong_token)
{
  gint frames = 0;
  gchar *url;
  GstElement *srv_pipe = server (&url, &frames, 1);
  GstElement *pub = publisher (url, "wrong", 90);
  GstMessage *msg;
  GError *error = NULL;

  gst_element_set_state (pub, GST_STATE_PLAYING);
  msg = wait_for (pub, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless_equals_int (GST_MESSAGE_TYPE (msg), GST_MESSAGE_ERROR);
  gst_message_parse_error (msg, &error, NULL);
  fail_unless (error->domain == GST_RESOURCE_ERROR);
  fail_unless_equals_int (error->code, GST_RESOURCE_ERROR_NOT_AUTHORIZED);
  fail_unless (strstr (error->message, "401"), "%s", error->message);
  g_error_free (error);
  gst_message_unref (msg);
  /* nor without a token */
  fail_unless_equals_int (request ("POST", url, NULL, "application/sdp",
          OFFER, strlen (OFFER), NULL), SOUP_STATUS_UNAUTHORIZED);
  /* a token that only starts right */
  fail_unless_equals_int (request ("POST", url, TOKEN "x",
          "application/sdp", OFFER, strlen (OFFER), NULL),
      SOUP_STATUS_UNAUTHORIZED);
  gst_element_set_state (pub, GST_STATE_NULL);
  gst_element_set_state (srv_pipe, GST_STATE_NULL);
  gst_object_unref (pub);
  gst_object_unref (srv_pipe);
  g_free (url);
}

GST_END_TEST;

/* The server's pipeline has stopped: the publisher errors, at once. */
GST_START_TEST (test_whip_server_down)
{
  gint frames = 0;
  gchar *url;
  GstElement *srv_pipe = server (&url, &frames, 1);
  GstElement *pub;
  GstMessage *msg;
  GError *error = NULL;

  gst_element_set_state (srv_pipe, GST_STATE_NULL);
  pub = publisher (url, TOKEN, 90);
  gst_element_set_state (pub, GST_STATE_PLAYING);
  msg = wait_for (pub, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless_equals_int (GST_MESSAGE_TYPE (msg), GST_MESSAGE_ERROR);
  gst_message_parse_error (msg, &error, NULL);
  fail_unless (strstr (error->message, "no answer from the server"), "%s",
      error->message);
  g_error_free (error);
  gst_message_unref (msg);
  gst_element_set_state (pub, GST_STATE_NULL);
  gst_object_unref (pub);
  gst_object_unref (srv_pipe);
  g_free (url);
}

GST_END_TEST;

/* Bad input gets its status, and a publisher is served after it all. */
GST_START_TEST (test_whip_server_bad_input)
{
  gint frames = 0;
  gchar *url, *base, *other, *event;
  GstElement *srv_pipe = server (&url, &frames, 1);
  GstElement *pub;
  BadClients c;

  base = g_strndup (url, strlen (url) - strlen ("/whip"));
  check_refusals (url, TOKEN);
  check_page (url, "/whip", "getUserMedia");
  other = g_strconcat (base, "/nothing", NULL);
  fail_unless_equals_int (request ("GET", other, TOKEN, NULL, NULL, 0,
          NULL), SOUP_STATUS_NOT_FOUND);
  g_free (other);
  /* many at once */
  bad_clients_start (&c, url, TOKEN);
  fail_unless_equals_int (bad_clients_join (&c), 0);

  /* and the server still serves a publisher */
  pub = publisher (url, TOKEN, 60);
  gst_element_set_state (pub, GST_STATE_PLAYING);
  event = wait_session (srv_pipe, NULL);
  fail_unless_equals_string (event, "created");
  g_free (event);
  wait_server_end (srv_pipe);
  fail_unless (g_atomic_int_get (&frames) >= 30, "%d frames decoded",
      g_atomic_int_get (&frames));
  gst_element_set_state (pub, GST_STATE_NULL);
  gst_element_set_state (srv_pipe, GST_STATE_NULL);
  gst_object_unref (pub);
  gst_object_unref (srv_pipe);
  g_free (base);
  g_free (url);
}

GST_END_TEST;


static void
on_src_pad (GstElement * bin, GstPad * pad, gint * pads)
{
  if (GST_PAD_IS_SRC (pad))
    g_atomic_int_inc (pads);
}

/* @frames reaches @n within WAIT_S, the bus showing no error. */
static void
wait_frames (GstElement * pipeline, gint * frames, gint n)
{
  gint64 end = g_get_monotonic_time () + WAIT_S * G_TIME_SPAN_SECOND;
  GstBus *bus = gst_element_get_bus (pipeline);

  while (g_atomic_int_get (frames) < n) {
    GstMessage *msg = gst_bus_timed_pop_filtered (bus, 50 * GST_MSECOND,
        GST_MESSAGE_ERROR);

    fail_if (msg != NULL, "error before %d frames", n);
    fail_unless (g_get_monotonic_time () < end, "%d of %d frames decoded",
        g_atomic_int_get (frames), n);
  }
  gst_object_unref (bus);
}

/* Publisher after publisher: the first one's DELETE (at its EOS) frees
 * the slot, and the next one's frames come out of the same src pad. */
GST_START_TEST (test_whip_server_next_publisher)
{
  gint frames = 0, pads = 0;
  gchar *url, *event, *first = NULL, *second = NULL;
  GstElement *srv_pipe = server (&url, &frames, 0);
  GstElement *srv = gst_bin_get_by_name (GST_BIN (srv_pipe), "srv");
  GstElement *pub;
  GstMessage *msg;

  g_signal_connect (srv, "pad-added", G_CALLBACK (on_src_pad), &pads);
  pub = publisher (url, TOKEN, 60);
  gst_element_set_state (pub, GST_STATE_PLAYING);
  event = wait_session (srv_pipe, &first);
  fail_unless_equals_string (event, "created");
  g_free (event);
  /* the publisher ends: EOS, then DELETE */
  msg = wait_for (pub, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless_equals_int (GST_MESSAGE_TYPE (msg), GST_MESSAGE_EOS);
  gst_message_unref (msg);
  event = wait_session (srv_pipe, &second);
  fail_unless_equals_string (event, "deleted");
  fail_unless_equals_string (second, first);
  g_free (event);
  g_clear_pointer (&second, g_free);
  fail_unless (g_atomic_int_get (&frames) >= 30, "%d frames decoded",
      g_atomic_int_get (&frames));
  gst_element_set_state (pub, GST_STATE_NULL);
  gst_object_unref (pub);

  /* the next publisher, on the same src pad and decoder */
  g_atomic_int_set (&frames, 0);
  pub = publisher (url, TOKEN, 600);
  gst_element_set_state (pub, GST_STATE_PLAYING);
  event = wait_session (srv_pipe, &second);
  fail_unless_equals_string (event, "created");
  fail_if (g_str_equal (first, second));
  g_free (event);
  wait_frames (srv_pipe, &frames, 30);
  fail_unless_equals_int (g_atomic_int_get (&pads), 1);
  /* a second publisher at once is refused */
  fail_unless_equals_int (request ("POST", url, TOKEN, "application/sdp",
          OFFER, strlen (OFFER), NULL), SOUP_STATUS_CONFLICT);
  /* the server pipeline did not end with the first publisher */
  msg = gst_bus_pop_filtered (GST_ELEMENT_BUS (srv_pipe), GST_MESSAGE_EOS);
  fail_unless (msg == NULL, "the server's pipeline ended");
  gst_element_set_state (pub, GST_STATE_NULL);
  event = wait_session (srv_pipe, NULL);
  fail_unless_equals_string (event, "deleted");
  g_free (event);
  gst_element_set_state (srv_pipe, GST_STATE_NULL);
  gst_object_unref (pub);
  gst_object_unref (srv);
  gst_object_unref (srv_pipe);
  g_free (first);
  g_free (second);
  g_free (url);
}

GST_END_TEST;

/* The next session message within @timeout_s, whatever else the bus
 * carries meanwhile; NULL if none. */
static gchar *
wait_session_within (GstElement * pipeline, guint timeout_s)
{
  gint64 end = g_get_monotonic_time () + timeout_s * G_TIME_SPAN_SECOND;
  GstBus *bus = gst_element_get_bus (pipeline);
  gchar *event = NULL;

  while (!event && g_get_monotonic_time () < end) {
    GstMessage *msg = gst_bus_timed_pop_filtered (bus, 100 * GST_MSECOND,
        GST_MESSAGE_ELEMENT | GST_MESSAGE_ERROR);
    const GstStructure *st;

    if (!msg)
      continue;
    fail_if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR);
    st = gst_message_get_structure (msg);
    if (gst_structure_has_name (st, "rtcpeerbin-whip-server"))
      event = g_strdup (gst_structure_get_string (st, "event"));
    gst_message_unref (msg);
  }
  gst_object_unref (bus);
  return event;
}

/* A publisher that vanishes, no DELETE and no DTLS close_notify (its
 * process killed), must not keep the one publisher slot: its ICE consent
 * expires (RFC 7675, 30 s), the session ends, and the next publisher is
 * served. */
GST_START_TEST (test_whip_server_vanished_publisher)
{
  gint frames = 0;
  gchar *url, *event, *desc, **argv;
  GstElement *srv_pipe = server (&url, &frames, 0);
  GError *error = NULL;
  GSubprocess *proc;
  GstElement *pub;
  gint64 killed;

  desc = g_strdup_printf ("gst-launch-1.0 videotestsrc is-live=true ! "
      "vp8enc deadline=1 ! rtcpeerbin ice-addresses=127.0.0.1 "
      "whip-endpoint=%s whip-token=" TOKEN, url);
  argv = g_strsplit (desc, " ", -1);
  proc = g_subprocess_newv ((const gchar * const *) argv,
      G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
      &error);
  fail_unless (proc != NULL, "%s", error ? error->message : "");
  event = wait_session (srv_pipe, NULL);
  fail_unless_equals_string (event, "created");
  g_free (event);
  wait_frames (srv_pipe, &frames, 30);
  /* while it is on, the slot is taken */
  fail_unless_equals_int (request ("POST", url, TOKEN, "application/sdp",
          OFFER, strlen (OFFER), NULL), SOUP_STATUS_CONFLICT);

  g_subprocess_force_exit (proc);
  fail_unless (g_subprocess_wait (proc, NULL, NULL));
  killed = g_get_monotonic_time ();
  event = wait_session_within (srv_pipe, 60);
  fail_unless (event != NULL, "the vanished publisher's session did not "
      "end within 60 s");
  fail_unless_equals_string (event, "deleted");
  g_free (event);
  GST_INFO ("session ended %" G_GINT64_FORMAT " ms after the publisher "
      "vanished", (g_get_monotonic_time () - killed) / 1000);

  /* the slot is free: the next publisher's frames come out */
  g_atomic_int_set (&frames, 0);
  pub = publisher (url, TOKEN, 600);
  gst_element_set_state (pub, GST_STATE_PLAYING);
  event = wait_session (srv_pipe, NULL);
  fail_unless_equals_string (event, "created");
  g_free (event);
  wait_frames (srv_pipe, &frames, 30);
  gst_element_set_state (pub, GST_STATE_NULL);
  gst_element_set_state (srv_pipe, GST_STATE_NULL);
  gst_object_unref (pub);
  gst_object_unref (srv_pipe);
  g_object_unref (proc);
  g_strfreev (argv);
  g_free (desc);
  g_free (url);
}

GST_END_TEST;

/* One signalling path at a time; a bad address fails the state change. */
GST_START_TEST (test_whip_server_settings)
{
  GstElement *bin = gst_element_factory_make ("rtcpeerbin", NULL);

  g_object_set (bin, "whip-listen", "127.0.0.1:0", "whip-endpoint",
      "http://127.0.0.1:9/whip", NULL);
  fail_unless_equals_int (gst_element_set_state (bin, GST_STATE_READY),
      GST_STATE_CHANGE_FAILURE);
  gst_element_set_state (bin, GST_STATE_NULL);
  g_object_set (bin, "whip-endpoint", NULL, "whip-listen", "nowhere:80",
      NULL);
  fail_unless_equals_int (gst_element_set_state (bin, GST_STATE_READY),
      GST_STATE_CHANGE_FAILURE);
  gst_element_set_state (bin, GST_STATE_NULL);
  gst_object_unref (bin);
}

GST_END_TEST;

static Suite *
whip_server_suite (void)
{
  Suite *s = suite_create ("whip-server");
  TCase *tc = tcase_create ("whip-server");

  tcase_set_timeout (tc, 180);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_whip_server_publish);
  tcase_add_test (tc, test_whip_server_wrong_token);
  tcase_add_test (tc, test_whip_server_down);
  tcase_add_test (tc, test_whip_server_bad_input);
  tcase_add_test (tc, test_whip_server_settings);
  tcase_add_test (tc, test_whip_server_next_publisher);
  tcase_add_test (tc, test_whip_server_vanished_publisher);
  return s;
}

GST_CHECK_MAIN (whip_server);
