/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Receive routing on one transport (RFC 8843 section 9.2): which m-line
 * an incoming RTP packet belongs to. The table is built from the
 * descriptions once per negotiation; the lookup is a pure function of the
 * table, the SSRCs learned so far and the packet's SSRC, payload type and
 * MID header extension, so the receive path only parses the packet and
 * asks. */

#pragma once

#include "rtcjsep-media.h"

G_BEGIN_DECLS

typedef struct _RtcJsepRoutes RtcJsepRoutes;

typedef enum
{
  RTC_ROUTE_DROP,               /* no m-line (yet): keep it out of rtpbin */
  RTC_ROUTE_SSRC,               /* a=ssrc of the remote, or learned before */
  RTC_ROUTE_MID,                /* the MID extension: learn ssrc -> mid */
  RTC_ROUTE_PT,                 /* a payload type one m-line alone receives */
} RtcRouteKind;

/* The table of transport @tag: every m-line of @remote (what the peer
 * sends) that is not rejected, travels on @tag (by @local's BUNDLE group
 * for the m-lines @local has and is not rejected in, by @remote's for
 * the m-lines a remote offer adds) and has a transceiver
 * (@has_transceiver[mline], @n_mlines entries; data sections never
 * route). @local may be NULL (a remote offer before our answer). Our
 * offer's new m-lines (beyond @remote's) are routed by mid alone: the
 * answerer may send on them before its answer reaches us. */
RtcJsepRoutes *rtc_jsep_routes_build (const GstSDPMessage * local,
                                      const GstSDPMessage * remote,
                                      const gchar * tag,
                                      const gboolean * has_transceiver,
                                      guint n_mlines);
void          rtc_jsep_routes_free  (RtcJsepRoutes * routes);

/* The caps rtpbin's request-pt-map gets for @pt (borrowed), NULL when no
 * m-line of the transport receives it or GstSDP cannot express it. */
GstCaps      *rtc_jsep_routes_get_caps (const RtcJsepRoutes * routes, guint pt);
/* The id of urn:ietf:params:rtp-hdrext:sdes:mid, 0 when not negotiated. */
guint         rtc_jsep_routes_get_mid_ext_id (const RtcJsepRoutes * routes);
/* The m-lines the table routes to, ascending. */
const GArray *rtc_jsep_routes_get_mlines (const RtcJsepRoutes * routes);

/* The m-line of a packet: by SSRC when the remote names it or @learned
 * (ssrc -> mid, from earlier packets' MID extension; may be NULL) knows
 * it, else by @mid (the packet's MID extension, NULL when it has none),
 * else by a payload type that one m-line alone receives and whose
 * remote section names no SSRC. A payload type no m-line receives is
 * dropped whatever else the packet says. *@mline is set unless DROP. On
 * RTC_ROUTE_MID the caller remembers ssrc -> @mid in @learned. */
RtcRouteKind  rtc_jsep_route_packet (const RtcJsepRoutes * routes,
                                     GHashTable * learned, guint32 ssrc,
                                     guint pt, const gchar * mid,
                                     gint * mline);
/* The m-line of a stream rtpbin made a pad for: by SSRC (signalled or
 * learned), else by a payload type one m-line alone receives; -1. */
gint          rtc_jsep_route_stream (const RtcJsepRoutes * routes,
                                     GHashTable * learned, guint32 ssrc,
                                     guint pt);
/* The m-line @ssrc is known to belong to (signalled or learned), or -1. */
gint          rtc_jsep_route_ssrc   (const RtcJsepRoutes * routes,
                                     GHashTable * learned, guint32 ssrc);

const gchar  *rtc_route_kind_to_string (RtcRouteKind kind);

G_END_DECLS
