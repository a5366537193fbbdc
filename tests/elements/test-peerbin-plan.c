/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* set-*-description as prepare / acquire / commit: a description whose
 * transport cannot be built is answered with an error and changes
 * nothing (the bin keeps working), and a transport the negotiation no
 * longer uses is removed. Transports are counted through get-stats. */

#include <string.h>
#include <gio/gio.h>
#include "peer-util.h"

const gchar *factory = "rtcpeerbin";

static void
add_transceiver (GstElement * pc, const gchar * caps_str)
{
  GstCaps *caps = gst_caps_from_string (caps_str);
  GObject *t = NULL;

  g_signal_emit_by_name (pc, "add-transceiver",
      GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, caps, &t);
  fail_unless (t != NULL);
  g_object_unref (t);
  gst_caps_unref (caps);
}

static gboolean
count_one (GQuark field, const GValue * value, gpointer user_data)
{
  if (GST_VALUE_HOLDS_STRUCTURE (value)
      && gst_structure_has_name (gst_value_get_structure (value),
          "transport-stats"))
    (*(guint *) user_data)++;
  return TRUE;
}

static guint
count_transports (GstElement * pc)
{
  GstPromise *p = gst_promise_new ();
  GstStructure *reply;
  guint n = 0;

  g_signal_emit_by_name (pc, "get-stats", NULL, p);
  reply = await (p);
  fail_unless (reply != NULL);
  gst_structure_foreach (reply, count_one, &n);
  gst_structure_free (reply);
  return n;
}

static void
assert_error (GError * error, gint code, const gchar * what)
{
  fail_unless (error != NULL, "expected an error mentioning '%s'", what);
  fail_unless (error->domain == GST_WEBRTC_ERROR, "error domain %s",
      g_quark_to_string (error->domain));
  fail_unless_equals_int (error->code, code);
  fail_unless (strstr (error->message, what) != NULL,
      "error '%s' does not mention '%s'", error->message, what);
  g_error_free (error);
}

static GstWebRTCSessionDescription *
get_desc (GstElement * pc, const gchar * prop)
{
  GstWebRTCSessionDescription *d = NULL;

  g_object_get (pc, prop, &d, NULL);
  return d;
}

/* b cannot make an ICE agent (its port range is empty): the remote offer
 * that needs a transport is refused, and nothing changed. With the range
 * fixed, the same offer goes through. */
GST_START_TEST (test_remote_transport_fails)
{
  GstElement *a = new_peer (), *b = new_peer ();
  GstWebRTCSessionDescription *offer, *answer;

  add_transceiver (a, VP8_CAPS);
  g_object_set (b, "ice-min-port", 40010, "ice-max-port", 40000, NULL);
  offer = create (a, "create-offer");
  fail_unless (set_description (a, "set-local-description", offer) == NULL);

  assert_error (set_description (b, "set-remote-description", offer),
      GST_WEBRTC_ERROR_INTERNAL_FAILURE, "ICE port range");
  fail_unless_equals_int (signaling_state (b),
      GST_WEBRTC_SIGNALING_STATE_STABLE);
  fail_unless (get_desc (b, "remote-description") == NULL);
  fail_unless_equals_int (count_transports (b), 0);

  g_object_set (b, "ice-min-port", 0, "ice-max-port", 0, NULL);
  fail_unless (set_description (b, "set-remote-description", offer) == NULL);
  fail_unless_equals_int (signaling_state (b),
      GST_WEBRTC_SIGNALING_STATE_HAVE_REMOTE_OFFER);
  answer = create (b, "create-answer");
  fail_unless (set_description (b, "set-local-description", answer) == NULL);
  fail_unless (set_description (a, "set-remote-description", answer) == NULL);
  fail_unless_equals_int (signaling_state (a),
      GST_WEBRTC_SIGNALING_STATE_STABLE);
  fail_unless_equals_int (signaling_state (b),
      GST_WEBRTC_SIGNALING_STATE_STABLE);
  fail_unless_equals_int (count_transports (b), 1);

  gst_webrtc_session_description_free (offer);
  gst_webrtc_session_description_free (answer);
  free_peer (a);
  free_peer (b);
}

GST_END_TEST;

/* The one port a's candidates may use is taken: gathering, which
 * set-local-description starts, cannot bind it. Once it is free again
 * the same offer is set. */
GST_START_TEST (test_local_ports_exhausted)
{
  GstElement *a = new_peer ();
  GstWebRTCSessionDescription *offer, *local;
  GInetAddress *lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GSocketAddress *addr = g_inet_socket_address_new (lo, 0), *bound;
  GSocket *sock;
  guint port;

  sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
      G_SOCKET_PROTOCOL_UDP, NULL);
  fail_unless (sock != NULL);
  fail_unless (g_socket_bind (sock, addr, FALSE, NULL));
  bound = g_socket_get_local_address (sock, NULL);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_object_set (a, "ice-addresses", "127.0.0.1", "ice-min-port", port,
      "ice-max-port", port, NULL);

  add_transceiver (a, VP8_CAPS);
  offer = create (a, "create-offer");
  assert_error (set_description (a, "set-local-description", offer),
      GST_WEBRTC_ERROR_INTERNAL_FAILURE, "ports");
  fail_unless_equals_int (signaling_state (a),
      GST_WEBRTC_SIGNALING_STATE_STABLE);
  fail_unless (get_desc (a, "local-description") == NULL);
  fail_unless_equals_int (count_transports (a), 0);

  g_socket_close (sock, NULL);
  g_object_unref (sock);
  fail_unless (set_description (a, "set-local-description", offer) == NULL);
  fail_unless_equals_int (signaling_state (a),
      GST_WEBRTC_SIGNALING_STATE_HAVE_LOCAL_OFFER);
  local = get_desc (a, "local-description");
  fail_unless (local != NULL);
  gst_webrtc_session_description_free (local);
  fail_unless_equals_int (count_transports (a), 1);

  g_object_unref (bound);
  g_object_unref (addr);
  g_object_unref (lo);
  gst_webrtc_session_description_free (offer);
  free_peer (a);
}

GST_END_TEST;

static void
negotiate (GstElement * a, GstElement * b,
    GstWebRTCSessionDescription * (*edit) (GstWebRTCSessionDescription *))
{
  GstWebRTCSessionDescription *offer = create (a, "create-offer"), *answer;

  if (edit)
    offer = edit (offer);
  fail_unless (set_description (a, "set-local-description", offer) == NULL);
  fail_unless (set_description (b, "set-remote-description", offer) == NULL);
  answer = create (b, "create-answer");
  fail_unless (set_description (b, "set-local-description", answer) == NULL);
  fail_unless (set_description (a, "set-remote-description", answer) == NULL);
  gst_webrtc_session_description_free (offer);
  gst_webrtc_session_description_free (answer);
}

/* m-line 1 rejected (port 0), as an offerer that stopped it writes. */
static GstWebRTCSessionDescription *
reject_second (GstWebRTCSessionDescription * offer)
{
  GstSDPMedia *m = (GstSDPMedia *) gst_sdp_message_get_media (offer->sdp, 1);

  gst_sdp_media_set_port_info (m, 0, 0);
  return offer;
}

/* Without BUNDLE each m-line has its transport; rejecting one in a
 * renegotiation removes its transport on both sides. */
GST_START_TEST (test_renegotiation_removes_transport)
{
  GstElement *a = new_peer (), *b = new_peer ();
  GstWebRTCSessionDescription *remote;

  add_transceiver (a, OPUS_CAPS);
  add_transceiver (a, VP8_CAPS);
  negotiate (a, b, NULL);
  fail_unless_equals_int (count_transports (a), 2);
  fail_unless_equals_int (count_transports (b), 2);

  negotiate (a, b, reject_second);
  fail_unless_equals_int (signaling_state (a),
      GST_WEBRTC_SIGNALING_STATE_STABLE);
  remote = get_desc (a, "current-remote-description");
  fail_unless (gst_sdp_media_get_port (gst_sdp_message_get_media (remote->sdp,
              1)) == 0);
  gst_webrtc_session_description_free (remote);
  fail_unless_equals_int (count_transports (a), 1);
  fail_unless_equals_int (count_transports (b), 1);

  /* a's transceiver was not stopped (only its offer said port 0): the
   * next offer brings the m-line back, on a new transport. */
  negotiate (a, b, NULL);
  fail_unless_equals_int (count_transports (a), 2);
  fail_unless_equals_int (count_transports (b), 2);
  free_peer (a);
  free_peer (b);
}

GST_END_TEST;

/* A remote rollback removes the transceiver its offer created. */
GST_START_TEST (test_remote_rollback_removes_transceiver)
{
  GstElement *a = new_peer (), *b = new_peer ();
  GstWebRTCSessionDescription *offer, *rollback;
  GArray *transceivers;

  add_transceiver (a, VP8_CAPS);
  offer = create (a, "create-offer");
  fail_unless (set_description (b, "set-remote-description", offer) == NULL);
  g_signal_emit_by_name (b, "get-transceivers", &transceivers);
  fail_unless_equals_int (transceivers->len, 1);
  g_array_unref (transceivers);
  fail_unless_equals_int (count_transports (b), 1);

  rollback = gst_webrtc_session_description_new (GST_WEBRTC_SDP_TYPE_ROLLBACK,
      NULL);
  gst_sdp_message_new (&rollback->sdp);
  fail_unless (set_description (b, "set-remote-description", rollback) ==
      NULL);
  fail_unless_equals_int (signaling_state (b),
      GST_WEBRTC_SIGNALING_STATE_STABLE);
  g_signal_emit_by_name (b, "get-transceivers", &transceivers);
  fail_unless_equals_int (transceivers->len, 0);
  g_array_unref (transceivers);
  fail_unless_equals_int (count_transports (b), 0);

  gst_webrtc_session_description_free (rollback);
  gst_webrtc_session_description_free (offer);
  free_peer (a);
  free_peer (b);
}

GST_END_TEST;

static Suite *
peerbin_plan_suite (void)
{
  Suite *s = suite_create ("rtcpeerbin-plan");
  TCase *tc = tcase_create ("plan");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_remote_transport_fails);
  tcase_add_test (tc, test_local_ports_exhausted);
  tcase_add_test (tc, test_renegotiation_removes_transport);
  tcase_add_test (tc, test_remote_rollback_removes_transceiver);
  return s;
}

GST_CHECK_MAIN (peerbin_plan);
