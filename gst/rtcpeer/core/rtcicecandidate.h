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

/* Accepts "candidate:...", "a=candidate:..." or the bare value. */
gboolean     rtc_ice_candidate_parse (const gchar * str, RtcIceCandidate * cand,
                                      GError ** error);
void         rtc_ice_candidate_clear (RtcIceCandidate * cand);
/* TRUE for an mDNS name as browsers hide host addresses behind
 * (draft-ietf-mmusic-mdns-ice-candidates): "<uuid>.local". */
gboolean     rtc_ice_candidate_is_mdns (const RtcIceCandidate * cand);
const gchar *rtc_ice_candidate_type_to_string (RtcIceCandidateType type);

G_END_DECLS
