/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The path MTU probe codec on whatever the peer sends: every packet that
 * passed the checksum goes through rtc_plpmtud_find_ack() (and, when it
 * holds an answer, rtc_plpmtud_take_ack()), and INIT ACKs through
 * rtc_plpmtud_peer_skips_pad(). The input is the packet, at the alignment
 * its first byte picks. */

#include <string.h>

#include "fuzz-common.h"
#include "sctp/rtcplpmtud.h"

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  guint64 nonce = 0, nonce2 = 0;
  guint psize = 0, psize2 = 0;
  guint8 *buf, *pkt;
  gsize len, len2;
  gssize off;

  rtc_fuzz_init ();
  if (size < 1)
    return 0;
  len = size - 1;
  /* exactly the bytes on the heap, at any alignment */
  buf = g_malloc (len + 8);
  pkt = buf + (data[0] & 7);
  memcpy (pkt, data + 1, len);

  (void) rtc_plpmtud_peer_skips_pad (pkt, len);
  off = rtc_plpmtud_find_ack (pkt, len, &nonce, &psize);
  len2 = len;
  g_assert ((off >= 0) == rtc_plpmtud_take_ack (pkt, &len2, &nonce2,
          &psize2));
  if (off >= 0) {
    /* the answer, and only it, was cut out */
    g_assert (off >= 12 && (gsize) off < len);
    g_assert (nonce2 == nonce && psize2 == psize);
    g_assert (len2 < len && len2 >= 12);
    g_assert (memcmp (pkt, data + 1, off) == 0);
    g_assert (memcmp (pkt + off, data + 1 + off + (len - len2),
            len2 - off) == 0);
  } else {
    g_assert (len2 == len);
  }
  g_free (buf);
  return 0;
}
