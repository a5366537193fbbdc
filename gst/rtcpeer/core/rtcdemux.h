/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* RFC 7983 section 7: everything that shares one ICE 5-tuple is told
 * apart by its first byte.
 *
 *                  +----------------+
 *                  |        [0..3] -+--> STUN
 *                  |      [16..19] -+--> ZRTP
 *      packet -->  |      [20..63] -+--> DTLS
 *                  |      [64..79] -+--> TURN channel
 *                  |    [128..191] -+--> RTP/RTCP (RFC 5761 splits them)
 *                  +----------------+
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  RTC_PACKET_UNKNOWN = 0,
  RTC_PACKET_STUN,
  RTC_PACKET_ZRTP,
  RTC_PACKET_DTLS,
  RTC_PACKET_TURN_CHANNEL,
  RTC_PACKET_RTP,
  RTC_PACKET_RTCP,
} RtcPacketClass;

RtcPacketClass rtc_demux_classify (const guint8 * data, gsize len);
const gchar *  rtc_packet_class_name (RtcPacketClass klass);

G_END_DECLS
