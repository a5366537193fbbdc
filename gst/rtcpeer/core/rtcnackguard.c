/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "rtcnackguard.h"

/* A jump this far ahead is a new stream start, not loss (RFC 3550
 * appendix A.1's MAX_DROPOUT). */
#define MAX_DROPOUT 3000

void
rtc_nack_guard_init (RtcNackGuard * g, gboolean nack)
{
  g->started = FALSE;
  g->highest = 0;
  g->window_start = 0;
  g->window_time = 0;
  g->received = 0;
  g->calm = 0;
  g->wanted = nack;
  g->nack = nack;
}

static guint64
extend (guint64 highest, guint16 seq)
{
  guint64 cand = (highest & ~G_GUINT64_CONSTANT (0xffff)) | seq;

  /* The candidate nearest to the highest so far. */
  if (cand + 0x8000 < highest)
    cand += 0x10000;
  else if (cand > highest + 0x8000 && cand >= 0x10000)
    cand -= 0x10000;
  return cand;
}

gboolean
rtc_nack_guard_packet (RtcNackGuard * g, guint16 seqnum, gint64 now)
{
  guint64 ext, expected;
  guint lost_percent;
  gboolean was = g->nack;

  if (!g->started) {
    g->started = TRUE;
    /* Room below for late packets of the first window. */
    g->highest = g->window_start = 0x10000 + seqnum;
    g->window_time = now;
    g->received = 1;
    return FALSE;
  }
  ext = extend (g->highest, seqnum);
  if (ext > g->highest + MAX_DROPOUT) {
    /* The sender restarted its sequence: start over, decision kept. */
    g->highest = g->window_start = ext;
    g->window_time = now;
    g->received = 1;
    return FALSE;
  }
  if (ext > g->highest)
    g->highest = ext;
  if (ext >= g->window_start)
    g->received++;

  expected = g->highest - g->window_start + 1;
  if (expected < RTC_NACK_GUARD_WINDOW &&
      (expected < RTC_NACK_GUARD_MIN_PACKETS ||
          now - g->window_time < RTC_NACK_GUARD_WINDOW_US))
    return FALSE;

  lost_percent = g->received >= expected ? 0 :
      (guint) ((expected - g->received) * 100 / expected);
  if (lost_percent >= RTC_NACK_GUARD_OFF_PERCENT) {
    g->nack = FALSE;
    g->calm = 0;
  } else if (lost_percent < RTC_NACK_GUARD_ON_PERCENT) {
    if (g->wanted && !g->nack && ++g->calm >= RTC_NACK_GUARD_CALM_WINDOWS)
      g->nack = TRUE;
  } else {
    g->calm = 0;
  }
  g->window_start = g->highest + 1;
  g->window_time = now;
  g->received = 0;
  return g->nack != was;
}
