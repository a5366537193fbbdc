/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The W3C aggregate-state tables, a row (or more) per test case. Letters
 * stand for transport states so that a row reads like the spec:
 *   ICE:  n new, k checking, c connected, C completed, d disconnected,
 *         f failed, x closed
 *   DTLS: n new, k connecting, c connected, x closed, f failed
 * A transport is written "ICE/DTLS". */

#include <string.h>

#include "rtcstates.h"

static GstWebRTCICEConnectionState
ice_of (gchar c)
{
  switch (c) {
    case 'n':
      return GST_WEBRTC_ICE_CONNECTION_STATE_NEW;
    case 'k':
      return GST_WEBRTC_ICE_CONNECTION_STATE_CHECKING;
    case 'c':
      return GST_WEBRTC_ICE_CONNECTION_STATE_CONNECTED;
    case 'C':
      return GST_WEBRTC_ICE_CONNECTION_STATE_COMPLETED;
    case 'd':
      return GST_WEBRTC_ICE_CONNECTION_STATE_DISCONNECTED;
    case 'f':
      return GST_WEBRTC_ICE_CONNECTION_STATE_FAILED;
    case 'x':
      return GST_WEBRTC_ICE_CONNECTION_STATE_CLOSED;
  }
  g_assert_not_reached ();
}

static RtcDtlsState
dtls_of (gchar c)
{
  switch (c) {
    case 'n':
      return RTC_DTLS_STATE_NEW;
    case 'k':
      return RTC_DTLS_STATE_CONNECTING;
    case 'c':
      return RTC_DTLS_STATE_CONNECTED;
    case 'x':
      return RTC_DTLS_STATE_CLOSED;
    case 'f':
      return RTC_DTLS_STATE_FAILED;
  }
  g_assert_not_reached ();
}

/* "c/c k/n" -> two transports */
static guint
parse (const gchar * row, RtcTransportStates * t)
{
  gchar **tok = g_strsplit (row, " ", -1);
  guint n = 0, i;

  for (i = 0; tok[i]; i++) {
    if (!*tok[i])
      continue;
    g_assert_cmpuint (strlen (tok[i]), ==, 3);
    t[n].ice = ice_of (tok[i][0]);
    t[n].dtls = dtls_of (tok[i][2]);
    t[n].gathering = GST_WEBRTC_ICE_GATHERING_STATE_NEW;
    n++;
  }
  g_strfreev (tok);
  return n;
}

typedef struct
{
  const gchar *transports;
  GstWebRTCICEConnectionState ice;
  GstWebRTCPeerConnectionState pc;
} Row;

#define ICE(s) GST_WEBRTC_ICE_CONNECTION_STATE_ ## s
#define PC(s) GST_WEBRTC_PEER_CONNECTION_STATE_ ## s

static const Row rows[] = {
  /* no transports at all: new, both */
  {"", ICE (NEW), PC (NEW)},
  /* failed: any ICE transport failed (ICE); any ICE or DTLS transport
   * failed (connection) */
  {"f/n", ICE (FAILED), PC (FAILED)},
  {"c/c f/c", ICE (FAILED), PC (FAILED)},
  {"d/c f/k", ICE (FAILED), PC (FAILED)},
  {"c/f", ICE (CONNECTED), PC (FAILED)},
  {"d/f c/c", ICE (DISCONNECTED), PC (FAILED)},
  /* disconnected: none failed, any ICE transport disconnected */
  {"d/c", ICE (DISCONNECTED), PC (DISCONNECTED)},
  {"c/c d/c k/k", ICE (DISCONNECTED), PC (DISCONNECTED)},
  {"n/n d/n", ICE (DISCONNECTED), PC (DISCONNECTED)},
  /* new: none of the above, all new or closed */
  {"n/n", ICE (NEW), PC (NEW)},
  {"n/n x/x", ICE (NEW), PC (NEW)},
  {"x/x", ICE (NEW), PC (NEW)},
  /* ICE new but DTLS already going: the connection is connecting */
  {"n/k", ICE (NEW), PC (CONNECTING)},
  /* checking (ICE) / connecting (connection): any new or checking, or
   * DTLS new or connecting */
  {"k/n", ICE (CHECKING), PC (CONNECTING)},
  {"n/n c/c", ICE (CHECKING), PC (CONNECTING)},
  {"k/k C/c", ICE (CHECKING), PC (CONNECTING)},
  {"c/k", ICE (CONNECTED), PC (CONNECTING)},
  {"C/n", ICE (COMPLETED), PC (CONNECTING)},
  {"c/c c/n", ICE (CONNECTED), PC (CONNECTING)},
  /* completed: all completed or closed */
  {"C/c", ICE (COMPLETED), PC (CONNECTED)},
  {"C/c x/x", ICE (COMPLETED), PC (CONNECTED)},
  {"C/c C/c", ICE (COMPLETED), PC (CONNECTED)},
  /* connected: all connected, completed or closed */
  {"c/c", ICE (CONNECTED), PC (CONNECTED)},
  {"c/c C/c", ICE (CONNECTED), PC (CONNECTED)},
  {"c/c x/x", ICE (CONNECTED), PC (CONNECTED)},
  {"c/x", ICE (CONNECTED), PC (CONNECTED)},
};

static void
test_table (void)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (rows); i++) {
    RtcTransportStates t[8];
    guint n = parse (rows[i].transports, t);

    g_test_message ("row \"%s\"", rows[i].transports);
    g_assert_cmpint (rtc_states_ice_connection (FALSE, t, n), ==, rows[i].ice);
    g_assert_cmpint (rtc_states_connection (FALSE, t, n), ==, rows[i].pc);
    /* closed: the connection was closed, whatever its transports say */
    g_assert_cmpint (rtc_states_ice_connection (TRUE, t, n), ==,
        ICE (CLOSED));
    g_assert_cmpint (rtc_states_connection (TRUE, t, n), ==, PC (CLOSED));
  }
}

static void
test_gathering (void)
{
  RtcTransportStates t[3] = { {0,}, };
  guint i;

  /* no transports: new */
  g_assert_cmpint (rtc_states_gathering (t, 0), ==,
      GST_WEBRTC_ICE_GATHERING_STATE_NEW);
  for (i = 0; i < 3; i++)
    t[i].gathering = GST_WEBRTC_ICE_GATHERING_STATE_NEW;
  g_assert_cmpint (rtc_states_gathering (t, 3), ==,
      GST_WEBRTC_ICE_GATHERING_STATE_NEW);
  /* any gathering: gathering, even with others complete */
  t[0].gathering = GST_WEBRTC_ICE_GATHERING_STATE_COMPLETE;
  t[1].gathering = GST_WEBRTC_ICE_GATHERING_STATE_GATHERING;
  g_assert_cmpint (rtc_states_gathering (t, 3), ==,
      GST_WEBRTC_ICE_GATHERING_STATE_GATHERING);
  /* some complete, the rest new (a transport added by renegotiation that
   * has not started): new */
  t[1].gathering = GST_WEBRTC_ICE_GATHERING_STATE_COMPLETE;
  g_assert_cmpint (rtc_states_gathering (t, 3), ==,
      GST_WEBRTC_ICE_GATHERING_STATE_NEW);
  /* all complete */
  t[2].gathering = GST_WEBRTC_ICE_GATHERING_STATE_COMPLETE;
  g_assert_cmpint (rtc_states_gathering (t, 3), ==,
      GST_WEBRTC_ICE_GATHERING_STATE_COMPLETE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/states/w3c-table", test_table);
  g_test_add_func ("/states/gathering", test_gathering);
  return g_test_run ();
}
