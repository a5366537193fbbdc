/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Big-endian fields of SCTP packets, read and written a byte at a time.
 *
 * GStreamer's GST_READ_UINT*_BE / GST_WRITE_UINT*_BE dereference a
 * guint16/32/64 pointer on machines that allow unaligned access, which is
 * undefined behaviour at an address that is not aligned for the type (and
 * fatal under UBSan). Packets come from the network at any address: a
 * DTLS record's payload, a slice of a fuzzer's input. The compiler turns
 * these into single loads where that is safe. */

#pragma once

#include <glib.h>

static inline guint16
rtc_wire_get16 (const guint8 * p)
{
  return (guint16) ((p[0] << 8) | p[1]);
}

static inline guint32
rtc_wire_get32 (const guint8 * p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) |
      ((guint32) p[2] << 8) | p[3];
}

static inline guint64
rtc_wire_get64 (const guint8 * p)
{
  return ((guint64) rtc_wire_get32 (p) << 32) | rtc_wire_get32 (p + 4);
}

static inline void
rtc_wire_put16 (guint8 * p, guint16 v)
{
  p[0] = v >> 8;
  p[1] = v & 0xff;
}

static inline void
rtc_wire_put32 (guint8 * p, guint32 v)
{
  p[0] = v >> 24;
  p[1] = (v >> 16) & 0xff;
  p[2] = (v >> 8) & 0xff;
  p[3] = v & 0xff;
}

static inline void
rtc_wire_put64 (guint8 * p, guint64 v)
{
  rtc_wire_put32 (p, v >> 32);
  rtc_wire_put32 (p + 4, v & 0xffffffffu);
}
