/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* rtcpeerbin's "ice-agent" is a view of the element's own ICE settings:
 * what is set on one reads back on the other; bad values are refused
 * with the element unchanged; the agent may outlive the element. And
 * "http-proxy" takes only what webrtcbin takes. (The same code against
 * webrtcbin is in tests/compat.) */

#include "peer-util.h"

const gchar *factory = "rtcpeerbin";

static gchar *
get_string (gpointer object, const gchar * name)
{
  gchar *s = NULL;

  g_object_get (object, name, &s, NULL);
  return s;
}

GST_START_TEST (test_agent_is_the_element_settings)
{
  GstElement *pc = new_peer ();
  GstWebRTCICE *ice = NULL, *again = NULL;
  GstWebRTCICETransportPolicy policy;
  gboolean ok = FALSE;
  gchar *s;
  guint port = 0;

  g_object_get (pc, "ice-agent", &ice, NULL);
  fail_unless (GST_IS_WEBRTC_ICE (ice));
  g_object_get (pc, "ice-agent", &again, NULL);
  fail_unless (ice == again, "one agent per element");
  gst_object_unref (again);

  g_signal_emit_by_name (ice, "add-local-ip-address", "127.0.0.1", &ok);
  fail_unless (ok);
  g_signal_emit_by_name (ice, "add-local-ip-address", "127.0.0.1", &ok);
  fail_unless (ok);
  g_signal_emit_by_name (ice, "add-local-ip-address", "::1", &ok);
  fail_unless (ok);
  s = get_string (pc, "ice-addresses");
  fail_unless_equals_string (s, "127.0.0.1,::1");
  g_free (s);
  ok = TRUE;
  g_signal_emit_by_name (ice, "add-local-ip-address", "localhost", &ok);
  fail_if (ok, "a host name is not an IP address");
  s = get_string (pc, "ice-addresses");
  fail_unless_equals_string (s, "127.0.0.1,::1");
  g_free (s);

  g_object_set (ice, "min-rtp-port", 5000, NULL);
  g_object_get (pc, "ice-min-port", &port, NULL);
  fail_unless_equals_int (port, 5000);
  g_object_set (pc, "ice-max-port", 6000, NULL);
  g_object_get (ice, "max-rtp-port", &port, NULL);
  fail_unless_equals_int (port, 6000);

  gst_webrtc_ice_set_stun_server (ice, "stun://127.0.0.1:3478");
  s = get_string (pc, "stun-server");
  fail_unless_equals_string (s, "stun://127.0.0.1:3478");
  g_free (s);
  s = gst_webrtc_ice_get_stun_server (ice);
  fail_unless_equals_string (s, "stun://127.0.0.1:3478");
  g_free (s);
  gst_webrtc_ice_set_force_relay (ice, TRUE);
  g_object_get (pc, "ice-transport-policy", &policy, NULL);
  fail_unless_equals_int (policy, GST_WEBRTC_ICE_TRANSPORT_POLICY_RELAY);
  gst_webrtc_ice_set_http_proxy (ice, "http://127.0.0.1:3128");
  s = get_string (pc, "http-proxy");
  fail_unless_equals_string (s, "http://127.0.0.1:3128");
  g_free (s);
  /* what webrtcbin drives its agent with is not for applications here */
  fail_unless (gst_webrtc_ice_add_stream (ice, 1) == NULL);

  /* the agent outlives the element: reads are empty, writes go nowhere */
  free_peer (pc);
  s = gst_webrtc_ice_get_stun_server (ice);
  fail_unless (s == NULL);
  ok = TRUE;
  gst_webrtc_ice_set_turn_server (ice, "turn://u:p@127.0.0.1:3478");
  g_signal_emit_by_name (ice, "add-local-ip-address", "127.0.0.1", &ok);
  gst_object_unref (ice);
}

GST_END_TEST;

static gint
count_warnings (GstBus * bus)
{
  GstMessage *msg;
  gint n = 0;

  while ((msg = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING))) {
    n++;
    gst_message_unref (msg);
  }
  return n;
}

GST_START_TEST (test_http_proxy)
{
  GstElement *pc = new_peer ();
  GstBus *bus = gst_bus_new ();
  const gchar *bad[] = { "ftp://127.0.0.1:21", "http://", "http://h:1/path",
    "http://h:1?q=1", "not a uri"
  };
  gchar *s;
  guint i;

  gst_element_set_bus (pc, bus);
  g_object_set (pc, "http-proxy", "http://user:pw@proxy.example:3128", NULL);
  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    g_object_set (pc, "http-proxy", bad[i], NULL);
    fail_unless_equals_int (count_warnings (bus), 1);
    s = get_string (pc, "http-proxy");
    fail_unless_equals_string (s, "http://user:pw@proxy.example:3128");
    g_free (s);
  }
  g_object_set (pc, "http-proxy", NULL, NULL);
  s = get_string (pc, "http-proxy");
  fail_unless (s == NULL);
  fail_unless_equals_int (count_warnings (bus), 0);
  gst_element_set_bus (pc, NULL);
  gst_object_unref (bus);
  free_peer (pc);
}

GST_END_TEST;

/* An m=application section makes the SCTP transport exist ("new" until
 * DTLS is up), not before. */
GST_START_TEST (test_sctp_transport_appears)
{
  GstElement *pc = new_peer ();
  GstWebRTCSCTPTransport *sctp = NULL;
  GstWebRTCDataChannel *channel = NULL;
  GstWebRTCSessionDescription *offer;
  GstWebRTCSCTPTransportState state = GST_WEBRTC_SCTP_TRANSPORT_STATE_CLOSED;
  GError *error;

  g_object_get (pc, "sctp-transport", &sctp, NULL);
  fail_unless (sctp == NULL);
  g_signal_emit_by_name (pc, "create-data-channel", "x", NULL, &channel);
  fail_unless (channel != NULL);
  offer = create (pc, "create-offer");
  error = set_description (pc, "set-local-description", offer);
  fail_unless (error == NULL);
  g_object_get (pc, "sctp-transport", &sctp, NULL);
  fail_unless (GST_IS_WEBRTC_SCTP_TRANSPORT (sctp));
  g_object_get (sctp, "state", &state, NULL);
  fail_unless_equals_int (state, GST_WEBRTC_SCTP_TRANSPORT_STATE_NEW);
  gst_object_unref (sctp);
  gst_object_unref (channel);
  gst_webrtc_session_description_free (offer);
  free_peer (pc);
}

GST_END_TEST;

static Suite *
objects_suite (void)
{
  Suite *s = suite_create ("peerbin_objects");
  TCase *tc = tcase_create ("objects");

  tcase_set_timeout (tc, 60);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_agent_is_the_element_settings);
  tcase_add_test (tc, test_http_proxy);
  tcase_add_test (tc, test_sctp_transport_appears);
  return s;
}

GST_CHECK_MAIN (objects);
