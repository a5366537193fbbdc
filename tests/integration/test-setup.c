/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Connection setup, many times over and under CPU load: every connection
 * that reaches "connected" must carry its media and open its data
 * channels, and DTLS must complete without waiting for a retransmission
 * timer. */

#include <signal.h>
#include <sys/wait.h>
#include "call-channel.h"

#define TIMEOUT 20

static gchar *
describe (Call * call, CallChannel * ch)
{
  GString *s = g_string_new (NULL);
  gchar *c = call_channel_describe (ch);
  guint i;

  for (i = 0; i < 2; i++) {
    gint pc, ice;

    g_object_get (call->peer[i].pc, "connection-state", &pc,
        "ice-connection-state", &ice, NULL);
    g_string_append_printf (s, "peer %u: connection %d, ice %d, audio %d; ",
        i, pc, ice, g_atomic_int_get (&call->peer[i].audio_buffers));
  }
  g_string_append (s, c);
  g_free (c);
  if (call->error)
    g_string_append_printf (s, "error: %s", call->error);
  return g_string_free (s, FALSE);
}

static gboolean
sum_retransmissions (GQuark field, const GValue * value, gpointer user_data)
{
  guint64 *sum = user_data, n = 0;
  const GstStructure *s;

  if (!GST_VALUE_HOLDS_STRUCTURE (value))
    return TRUE;
  s = gst_value_get_structure (value);
  if (gst_structure_get_uint64 (s, "dtls-retransmissions", &n))
    *sum += n;
  return TRUE;
}

/* DTLS flights a peer resent on a timeout, over all its transports. */
static guint64
dtls_retransmissions (GstElement * pc)
{
  GstPromise *p = gst_promise_new ();
  guint64 sum = 0;
  gboolean found = FALSE;

  g_signal_emit_by_name (pc, "get-stats", NULL, p);
  fail_unless (gst_promise_wait (p) == GST_PROMISE_RESULT_REPLIED);
  gst_structure_foreach (gst_promise_get_reply (p), sum_retransmissions,
      &sum);
  found = gst_structure_n_fields (gst_promise_get_reply (p)) > 0;
  gst_promise_unref (p);
  fail_unless (found);
  return sum;
}

/* One audio + data channel call, as far as both ends hearing each other
 * and exchanging a message each way. With @lossless, the path (loopback,
 * no load) loses nothing, so DTLS must have completed without resending a
 * single flight: nothing may be sent before ICE can carry it. */
static void
one_call (guint cycle, gboolean lossless)
{
  Call *call = call_new ("rtcpeerbin", "rtcpeerbin", FALSE);
  CallChannel *ch;
  guint i;

  call->send_video = FALSE;
  call->bundle_policy = GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE;
  ch = call_channel_new (call);
  call_start (call);
  if (!call_wait_media (call, 0, 5, TIMEOUT) ||
      !call_channel_wait_open (ch, TIMEOUT)) {
    gchar *d = describe (call, ch);

    fail ("cycle %u: %s", cycle, d);
    g_free (d);
  }
  fail_unless (call_channel_exchange (ch, "ping", "pong", TIMEOUT),
      "cycle %u: no message across the open channel", cycle);
  if (lossless)
    for (i = 0; i < 2; i++)
      fail_unless_equals_uint64 (dtls_retransmissions (call->peer[i].pc), 0);

  call_channel_free (ch);
  call_free (call);
}

/* Processes that keep both cores busy, as another workload would. */
static GPid *
start_cpu_hogs (guint n)
{
  GPid *pids = g_new0 (GPid, n + 1);
  gchar *argv[] = { (gchar *) "/bin/sh", (gchar *) "-c",
    (gchar *) "while :; do :; done", NULL
  };
  guint i;

  for (i = 0; i < n; i++)
    fail_unless (g_spawn_async (NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
            NULL, NULL, &pids[i], NULL));
  return pids;
}

static void
stop_cpu_hogs (GPid * pids)
{
  guint i;

  for (i = 0; pids[i]; i++) {
    kill (pids[i], SIGKILL);
    waitpid (pids[i], NULL, 0);
    g_spawn_close_pid (pids[i]);
  }
  g_free (pids);
}

static guint
n_cycles (void)
{
  const gchar *env = g_getenv ("RTC_TEST_SETUP_CYCLES");

  return env ? (guint) g_ascii_strtoull (env, NULL, 10) : 100;
}

GST_START_TEST (test_audio_and_channel_sequential)
{
  guint cycle, n = n_cycles ();

  for (cycle = 0; cycle < n; cycle++)
    one_call (cycle, TRUE);
}

GST_END_TEST;

GST_START_TEST (test_audio_and_channel_under_load)
{
  GPid *hogs = start_cpu_hogs (2);
  guint cycle, n = n_cycles ();

  for (cycle = 0; cycle < n; cycle++)
    one_call (cycle, FALSE);
  stop_cpu_hogs (hogs);
}

GST_END_TEST;

static Suite *
setup_suite (void)
{
  Suite *s = suite_create ("setup");
  TCase *tc = tcase_create ("setup");

  tcase_set_timeout (tc, 1800);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_audio_and_channel_sequential);
  tcase_add_test (tc, test_audio_and_channel_under_load);
  return s;
}

GST_CHECK_MAIN (setup);
