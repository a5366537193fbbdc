/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The a=candidate grammar of RFC 8839 section 5.1, so a malformed
 * trickled candidate is refused with a message instead of reaching ICE. */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  RTC_ICE_CANDIDATE_HOST,
  RTC_ICE_CANDIDATE_SRFLX,
  RTC_ICE_CANDIDATE_PRFLX,
  RTC_ICE_CANDIDATE_RELAY,
} RtcIceCandidateType;

typedef struct
{
  gchar *foundation;
  guint component;
  gchar *transport;             /* lower case: "udp", "tcp" */
  guint32 priority;
  gchar *address;               /* IP literal or a name (mDNS "*.local") */
  guint16 port;
  RtcIceCandidateType type;
  gchar *related_address;       /* NULL when absent */
  guint16 related_port;
  gchar *tcp_type;              /* "active", "passive", "so", or NULL */
  gchar *ufrag;                 /* the "ufrag" extension, or NULL */
} RtcIceCandidate;

/* The longest candidate line accepted. Browsers write 100 to 250 bytes;
 * with a 255-byte host name, both addresses, a 256-character ufrag and
 * the usual extensions a line stays under 1 KiB. */
#define RTC_ICE_CANDIDATE_MAX_LENGTH 2048

/* Accepts "candidate:...", "a=candidate:..." or the bare value. Refuses
 * lines longer than RTC_ICE_CANDIDATE_MAX_LENGTH and lines that are not
 * UTF-8 or contain control characters (the line is kept in the remote
 * description, whose strings end up in GLib structures). */
gboolean     rtc_ice_candidate_parse (const gchar * str, RtcIceCandidate * cand,
                                      GError ** error);
void         rtc_ice_candidate_clear (RtcIceCandidate * cand);
/* TRUE for an mDNS name as browsers hide host addresses behind
 * (draft-ietf-mmusic-mdns-ice-candidates): "<uuid>.local". */
gboolean     rtc_ice_candidate_is_mdns (const RtcIceCandidate * cand);
const gchar *rtc_ice_candidate_type_to_string (RtcIceCandidateType type);

G_END_DECLS
