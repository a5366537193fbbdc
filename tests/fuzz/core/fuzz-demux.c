/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* RFC 7983 classification of whatever arrives on an ICE 5-tuple. */

#include "fuzz-common.h"
#include "rtcdemux.h"

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  RtcPacketClass klass;

  rtc_fuzz_init ();
  klass = rtc_demux_classify (data, size);
  g_assert (rtc_packet_class_name (klass) != NULL);
  if (size == 0)
    g_assert (klass == RTC_PACKET_UNKNOWN);
  return 0;
}
