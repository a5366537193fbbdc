/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "rtcdemux.h"

/* RFC 5761 section 4: with rtcp-mux, RTCP packet types 192..223 land in
 * the RTP payload-type range 64..95 once the marker bit is stripped; no
 * RTP payload type may be assigned there, which is what makes this safe. */
static gboolean
is_rtcp (const guint8 * data, gsize len)
{
  guint8 pt = data[1];

  return len >= 8 && pt >= 192 && pt <= 223;
}

RtcPacketClass
rtc_demux_classify (const guint8 * data, gsize len)
{
  guint8 b;

  if (data == NULL || len == 0)
    return RTC_PACKET_UNKNOWN;

  b = data[0];
  /* https://www.rfc-editor.org/rfc/rfc7983#section-7 */
  if (b <= 3)
    return len >= 20 ? RTC_PACKET_STUN : RTC_PACKET_UNKNOWN;
  if (b >= 16 && b <= 19)
    return RTC_PACKET_ZRTP;
  if (b >= 20 && b <= 63)
    return len >= 13 ? RTC_PACKET_DTLS : RTC_PACKET_UNKNOWN;
  if (b >= 64 && b <= 79)
    return len >= 4 ? RTC_PACKET_TURN_CHANNEL : RTC_PACKET_UNKNOWN;
  if (b >= 128 && b <= 191) {
    /* Version 2 is implied by the range; anything shorter than a fixed
     * RTP header cannot be media. */
    if (len < 12)
      return len >= 8 && is_rtcp (data, len) ? RTC_PACKET_RTCP :
          RTC_PACKET_UNKNOWN;
    return is_rtcp (data, len) ? RTC_PACKET_RTCP : RTC_PACKET_RTP;
  }
  return RTC_PACKET_UNKNOWN;
}

const gchar *
rtc_packet_class_name (RtcPacketClass klass)
{
  switch (klass) {
    case RTC_PACKET_STUN:
      return "stun";
    case RTC_PACKET_ZRTP:
      return "zrtp";
    case RTC_PACKET_DTLS:
      return "dtls";
    case RTC_PACKET_TURN_CHANNEL:
      return "turn-channel";
    case RTC_PACKET_RTP:
      return "rtp";
    case RTC_PACKET_RTCP:
      return "rtcp";
    case RTC_PACKET_UNKNOWN:
    default:
      return "unknown";
  }
}
