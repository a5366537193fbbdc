/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The screen in front of usrsctp (rtcsctp-screen.h) on any packet: it only
 * reads, and what rtc_sctp_screen_trim() leaves of a TRIM packet screens
 * clean. Byte 0 picks the alignment and whether the association is up. */

#include <string.h>

#include "fuzz-common.h"
#include "sctp/rtcsctp-screen.h"

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  RtcSctpScreenVerdict v;
  gboolean established;
  const gchar *why = NULL;
  guint8 *buf, *pkt;
  gsize len;

  rtc_fuzz_init ();
  if (size < 1)
    return 0;
  established = (data[0] & 8) != 0;
  len = size - 1;
  buf = g_malloc (len + 8);
  pkt = buf + (data[0] & 7);
  memcpy (pkt, data + 1, len);

  v = rtc_sctp_screen (pkt, len, established, &why);
  g_assert (memcmp (pkt, data + 1, len) == 0);
  g_assert ((v == RTC_SCTP_SCREEN_PASS) == (why == NULL));
  if (v != RTC_SCTP_SCREEN_DROP)
    g_assert (len >= 16);
  if (v == RTC_SCTP_SCREEN_TRIM) {
    gsize n = rtc_sctp_screen_trim (pkt, len, established);

    g_assert (n > 12 && n < len);
    g_assert (memcmp (pkt, data + 1, 12) == 0);
    g_assert (rtc_sctp_screen (pkt, n, established, NULL) ==
        RTC_SCTP_SCREEN_PASS);
  }
  g_free (buf);
  return 0;
}
