/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "rtcjsep-state.h"
#include "rtcsdputil.h"

G_BEGIN_DECLS

/* Checks a description before anything is changed for it. @previous is the
 * description of the same source last applied (current or pending), used to
 * refuse m-lines that disappear or change kind; may be NULL.
 * Errors are RTC_JSEP_ERROR_INVALID_SDP / _INVALID_MODIFICATION with a
 * message naming the m-line (and mid) and the offending attribute. */
gboolean rtc_jsep_validate_description (const GstSDPMessage * sdp,
                                        GstWebRTCSDPType type,
                                        RtcSdpSource source,
                                        const GstSDPMessage * previous,
                                        GError ** error);

/* Parses text into a description, with an error naming the line when the
 * text is not SDP at all. */
GstWebRTCSessionDescription *rtc_jsep_parse_description (GstWebRTCSDPType type,
                                        const gchar * text, GError ** error);

G_END_DECLS
