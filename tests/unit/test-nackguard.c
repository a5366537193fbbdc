/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "rtcnackguard.h"

/* Feeds @n packets from @seq on, keeping one in @keep_every (1: all,
 * 2: half, ...); returns how many times the decision changed. */
static guint
feed (RtcNackGuard * g, guint16 * seq, guint n, guint keep_every)
{
  guint i, changes = 0;

  for (i = 0; i < n; i++, (*seq)++)
    if (i % keep_every == 0)
      changes += rtc_nack_guard_packet (g, *seq, 0);
  return changes;
}

static void
test_lossless_keeps_nack (void)
{
  RtcNackGuard g;
  guint16 seq = 65000;          /* crosses the wrap */

  rtc_nack_guard_init (&g, TRUE);
  g_assert_cmpuint (feed (&g, &seq, 20 * RTC_NACK_GUARD_WINDOW, 1), ==, 0);
  g_assert_true (g.nack);
}

static void
test_small_loss_keeps_nack (void)
{
  RtcNackGuard g;
  guint16 seq = 1;

  /* 1 in 20 lost: 5 %, what NACK is for */
  rtc_nack_guard_init (&g, TRUE);
  for (guint w = 0; w < 40; w++) {
    guint i;

    for (i = 0; i < RTC_NACK_GUARD_WINDOW; i++, seq++)
      if (i % 20 != 7)
        g_assert_false (rtc_nack_guard_packet (&g, seq, 0));
  }
  g_assert_true (g.nack);
}

static void
test_flood_turns_nack_off_and_back (void)
{
  RtcNackGuard g;
  guint16 seq = 100;

  rtc_nack_guard_init (&g, TRUE);
  feed (&g, &seq, 4 * RTC_NACK_GUARD_WINDOW, 1);
  /* A receiver dropping half: off within the first two windows. */
  g_assert_cmpuint (feed (&g, &seq, 4 * RTC_NACK_GUARD_WINDOW, 2), ==, 1);
  g_assert_false (g.nack);
  /* Calm again: back on after the calm windows, not before. */
  g_assert_cmpuint (feed (&g, &seq, (RTC_NACK_GUARD_CALM_WINDOWS - 1) *
          RTC_NACK_GUARD_WINDOW, 1), ==, 0);
  g_assert_false (g.nack);
  g_assert_cmpuint (feed (&g, &seq, 3 * RTC_NACK_GUARD_WINDOW, 1), ==, 1);
  g_assert_true (g.nack);
}

static void
test_not_wanted_stays_off (void)
{
  RtcNackGuard g;
  guint16 seq = 0;

  rtc_nack_guard_init (&g, FALSE);
  g_assert_cmpuint (feed (&g, &seq, 40 * RTC_NACK_GUARD_WINDOW, 1), ==, 0);
  g_assert_false (g.nack);
}

static void
test_reorder_and_restart (void)
{
  RtcNackGuard g;
  guint16 seq = 500, i;

  rtc_nack_guard_init (&g, TRUE);
  /* Pairs swapped: reordering is not loss. */
  for (i = 0; i < 10 * RTC_NACK_GUARD_WINDOW; i += 2) {
    g_assert_false (rtc_nack_guard_packet (&g, seq + i + 1, 0));
    g_assert_false (rtc_nack_guard_packet (&g, seq + i, 0));
  }
  /* A sequence restart far away is not a window of loss. */
  seq = seq + 20000;
  g_assert_cmpuint (feed (&g, &seq, 4 * RTC_NACK_GUARD_WINDOW, 1), ==, 0);
  g_assert_true (g.nack);
}

/* A low-rate stream (30 packets/s: small video) is judged each second:
 * off within a second or two of heavy loss, back a few seconds after it
 * ends, not half a minute later. */
static void
test_slow_stream_judged_by_time (void)
{
  RtcNackGuard g;
  guint16 seq = 7;
  gint64 now = 1000;
  guint i, changes = 0;
  const gint64 step = G_USEC_PER_SEC / 30;

  rtc_nack_guard_init (&g, TRUE);
  for (i = 0; i < 90; i++, seq++, now += step)
    g_assert_false (rtc_nack_guard_packet (&g, seq, now));
  /* 40 % lost for two seconds */
  for (i = 0; i < 60; i++, seq++, now += step)
    if (i % 5 >= 2)
      changes += rtc_nack_guard_packet (&g, seq, now);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_false (g.nack);
  /* Clean: still off one window short of the calm ones... */
  for (i = 0; i < 30 * RTC_NACK_GUARD_CALM_WINDOWS - 31; i++, seq++,
      now += step)
    g_assert_false (rtc_nack_guard_packet (&g, seq, now));
  g_assert_false (g.nack);
  /* ...and on within the next three seconds. */
  for (i = 0, changes = 0; i < 90; i++, seq++, now += step)
    changes += rtc_nack_guard_packet (&g, seq, now);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_true (g.nack);
  /* A trickle is not judged on a handful of packets, however long. */
  for (i = 0, changes = 0; i < 8; i++, seq += 2, now += G_USEC_PER_SEC)
    changes += rtc_nack_guard_packet (&g, seq, now);
  g_assert_cmpuint (changes, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/nackguard/lossless", test_lossless_keeps_nack);
  g_test_add_func ("/nackguard/small-loss", test_small_loss_keeps_nack);
  g_test_add_func ("/nackguard/flood", test_flood_turns_nack_off_and_back);
  g_test_add_func ("/nackguard/slow-stream", test_slow_stream_judged_by_time);
  g_test_add_func ("/nackguard/not-wanted", test_not_wanted_stays_off);
  g_test_add_func ("/nackguard/reorder-restart", test_reorder_and_restart);
  return g_test_run ();
}
