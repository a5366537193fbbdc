/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* SRTP and SRTCP from the network into a session keyed with fixed keys,
 * for the AES-CM and the AES-GCM profile.
 *
 * Input: the first byte chooses,
 *   bit 0   AEAD_AES_128_GCM (else AES128_CM_SHA1_80)
 *   bit 1   RTCP (else RTP)
 *   bit 2   round trip: the rest is a plain packet, protected by the
 *           sending session and unprotected by the receiving one, which
 *           must give it back unchanged
 *   bit 3   ... with bit (byte 1 * 8 + bit 4-6 of byte 0) of the protected
 *           packet flipped first, which the receiver must refuse
 * and the rest is the packet (after byte 1 with bit 3).
 * Without bit 2 the receiving session unprotects the rest as it is; the
 * seeds are real packets protected with the same keys.
 *
 * Creating a session costs milliseconds (libsrtp's NSS backend), so the
 * plain unprotect runs on one receiving session per profile for the whole
 * process: without the key, an input cannot change its state (streams
 * and replay windows move only for authenticated packets). Round trips
 * get fresh sessions, so that what they check is the input's alone. */

#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "srtp/rtcsrtp.h"

/* Master key then salt, long enough for either profile: the sender's and
 * the receiver's view of one direction. */
static const guint8 key_a[30] = {
  0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c,
  0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18,
  0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e
};
static const guint8 key_b[30] = {
  0xf1, 0xe2, 0xd3, 0xc4, 0xb5, 0xa6, 0x97, 0x88, 0x79, 0x6a, 0x5b, 0x4c,
  0x3d, 0x2e, 0x1f, 0x00, 0xf0, 0xe1, 0xd2, 0xc3, 0xb4, 0xa5, 0x96, 0x87,
  0x78, 0x69, 0x5a, 0x4b, 0x3c, 0x2d
};

static gboolean
unprotect (RtcSrtpSession * rx, gboolean rtcp, guint8 * buf, gsize * len)
{
  GError *err = NULL;
  gboolean ok;
  RtcSrtpStats before, after;

  rtc_srtp_session_get_stats (rx, RTC_SRTP_DIRECTION_INBOUND, &before);
  /* Half the time with an error, half without (the path that formats
   * nothing). */
  ok = rtcp ? rtc_srtp_unprotect_rtcp (rx, buf, len, (*len & 1) ? &err : NULL)
      : rtc_srtp_unprotect_rtp (rx, buf, len, (*len & 1) ? &err : NULL);
  rtc_srtp_session_get_stats (rx, RTC_SRTP_DIRECTION_INBOUND, &after);

  /* Every packet is counted exactly once, as what happened to it. */
  if ((after.rtp_packets + after.rtcp_packets + after.auth_failures +
          after.replays + after.errors) != (before.rtp_packets +
          before.rtcp_packets + before.auth_failures + before.replays +
          before.errors + 1))
    g_error ("unprotect did not count the packet");
  if (ok && err != NULL)
    g_error ("unprotect succeeded with an error set");
  if (!ok && (*len & 1) && (err == NULL || err->domain != RTC_SRTP_ERROR))
    g_error ("unprotect failed without an RTC_SRTP_ERROR");
  g_clear_error (&err);
  return ok;
}

static RtcSrtpSession *
shared_receiver (RtcSrtpProfile profile)
{
  static RtcSrtpSession *cm, *gcm;
  RtcSrtpSession **s = profile == RTC_SRTP_PROFILE_AES128_CM_SHA1_80 ? &cm :
      &gcm;

  if (*s == NULL)
    *s = rtc_srtp_session_new (profile, key_b, key_a, NULL);
  if (*s == NULL)
    abort ();
  return *s;
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  RtcSrtpProfile profile;
  RtcSrtpSession *tx = NULL, *rx;
  gboolean rtcp, round_trip, tamper;
  gsize len, plain_len, flip = 0;
  guint8 *buf;

  rtc_fuzz_init ();
  if (size < 1)
    return 0;

  profile = (data[0] & 1) ? RTC_SRTP_PROFILE_AEAD_AES_128_GCM :
      RTC_SRTP_PROFILE_AES128_CM_SHA1_80;
  rtcp = (data[0] & 2) != 0;
  round_trip = (data[0] & 4) != 0;
  tamper = round_trip && (data[0] & 8) != 0;
  if (tamper) {
    if (size < 2)
      return 0;
    flip = data[1] * 8 + ((data[0] >> 4) & 7);
    data++;
    size--;
  }
  data++;
  size--;

  /* The sender sends with key_a, which the receiver expects from it. */
  if (round_trip) {
    tx = rtc_srtp_session_new (profile, key_a, key_b, NULL);
    rx = rtc_srtp_session_new (profile, key_b, key_a, NULL);
    if (tx == NULL || rx == NULL)
      abort ();
  } else {
    rx = shared_receiver (profile);
  }

  /* Exactly as large as needed, so that any overread is ASan's finding. */
  len = size;
  buf = g_malloc (MAX (size + (round_trip ? RTC_SRTP_MAX_OVERHEAD : 0), 1));
  memcpy (buf, data, size);

  if (!round_trip) {
    if (unprotect (rx, rtcp, buf, &len) && len > size)
      g_error ("unprotect made the packet longer");
  } else {
    gsize cap = size + RTC_SRTP_MAX_OVERHEAD;
    gboolean ok = rtcp ? rtc_srtp_protect_rtcp (tx, buf, &len, cap, NULL) :
        rtc_srtp_protect_rtp (tx, buf, &len, cap, NULL);

    plain_len = size;
    if (ok) {
      if (len <= plain_len || len > cap)
        g_error ("protect gave %" G_GSIZE_FORMAT " bytes for %"
            G_GSIZE_FORMAT, len, plain_len);
      if (tamper) {
        flip %= len * 8;
        buf[flip / 8] ^= 1 << (flip % 8);
        if (unprotect (rx, rtcp, buf, &len))
          g_error ("a packet with bit %" G_GSIZE_FORMAT " flipped was "
              "accepted", flip);
      } else {
        if (!unprotect (rx, rtcp, buf, &len))
          g_error ("a packet just protected was refused");
        if (len != plain_len || memcmp (buf, data, len) != 0)
          g_error ("the round trip changed the packet");
      }
    }
  }

  g_free (buf);
  if (round_trip) {
    rtc_srtp_session_free (tx);
    rtc_srtp_session_free (rx);
  }
  return 0;
}
