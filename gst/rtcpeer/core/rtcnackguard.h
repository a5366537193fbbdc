/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* When asking for retransmissions (RFC 4585 NACK) stops making sense.
 *
 * A receiver that asks for every missing packet keeps a timer for each
 * one until it arrives or its deadline passes. On a path that loses a
 * few packets that is cheap and worth it. On a receiver that is flooded
 * beyond what it can take, or a path that loses a large share, it is a
 * trap: thousands of timers per second eat the very CPU the receiver is
 * short of, so it drops more, and delivery collapses to a fraction of
 * what it could carry. Retransmissions cannot repair that much loss
 * anyway (the sender would have to send more than the path carries);
 * libwebrtc gives up on a NACK list past 1000 packets for the same
 * reason and asks for a key frame instead, which the depayloader does by
 * itself on loss.
 *
 * So: NACK stays on while the loss over a window of packets is small,
 * goes off as soon as a window loses RTC_NACK_GUARD_OFF_PERCENT or more,
 * and comes back after RTC_NACK_GUARD_CALM_WINDOWS windows in a row under
 * RTC_NACK_GUARD_ON_PERCENT. Fed with sequence numbers of one RTP
 * stream and the time they arrived; pure, no clock of its own. */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A window ends after this many expected packets (a fraction of a
 * second of HD video) or after RTC_NACK_GUARD_WINDOW_US once it holds
 * RTC_NACK_GUARD_MIN_PACKETS, so a 30 packet/s stream is judged every
 * second, not every eight. */
#define RTC_NACK_GUARD_WINDOW 256
#define RTC_NACK_GUARD_WINDOW_US G_USEC_PER_SEC
#define RTC_NACK_GUARD_MIN_PACKETS 20
#define RTC_NACK_GUARD_OFF_PERCENT 20
#define RTC_NACK_GUARD_ON_PERCENT 2
#define RTC_NACK_GUARD_CALM_WINDOWS 4

typedef struct
{
  gboolean started;
  guint64 highest;              /* extended sequence number */
  guint64 window_start;         /* extended seq the window began at */
  gint64 window_time;           /* when it began, microseconds */
  guint received;               /* packets in the window */
  guint calm;                   /* calm windows in a row while off */
  gboolean wanted;              /* negotiated: never on otherwise */
  gboolean nack;                /* the decision */
} RtcNackGuard;

/* @nack: whether the stream wants NACK at all (its m-line negotiated it). */
void               rtc_nack_guard_init (RtcNackGuard * guard, gboolean nack);
/* One packet arrived at @now (microseconds, any monotonic origin). TRUE
 * when the decision changed; it is then in guard->nack. */
gboolean           rtc_nack_guard_packet (RtcNackGuard * guard,
                                          guint16 seqnum, gint64 now);

G_END_DECLS
