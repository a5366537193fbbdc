/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "rtcjsep-state.h"
#include "rtcsdputil.h"

G_BEGIN_DECLS

/* Limits on a description, so that a peer cannot make us allocate (or
 * loop) without bound. Far beyond what browsers write: a Chromium offer
 * has a few kilobytes per m-line, about 150 attributes in a video
 * section, 30 formats, fmtp lines of up to 5 parameters and values of a
 * few hundred bytes at most (an H264 sprop-parameter-sets). */
#define RTC_JSEP_MAX_DESCRIPTION_SIZE (4 * 1024 * 1024) /* bytes of text */
#define RTC_JSEP_MAX_MLINES 256
#define RTC_JSEP_MAX_ATTRIBUTES 1024    /* per m-line, and at session level */
#define RTC_JSEP_MAX_FORMATS 256        /* per m-line */
/* a=candidate per m-line, counting those trickled in later */
#define RTC_JSEP_MAX_CANDIDATES 256
#define RTC_JSEP_MAX_FMTP_PARAMS 64     /* per a=fmtp */
#define RTC_JSEP_MAX_VALUE_LENGTH 4096  /* any one field or attribute value */
/* e=, p=, c=, b=, t=, r=, z= lines at one level (each kind) */
#define RTC_JSEP_MAX_OTHER_LINES 64

/* Checks a description before anything is changed for it. @previous is the
 * description of the same source last applied (current or pending), used to
 * refuse m-lines that disappear or change kind; may be NULL. Every field
 * and attribute value has to be UTF-8 without control characters (they
 * end up in caps, structures and properties, which take nothing else)
 * and the description has to stay within the RTC_JSEP_MAX_* limits.
 * Errors are RTC_JSEP_ERROR_INVALID_SDP / _INVALID_MODIFICATION with a
 * message naming the m-line (and mid) and the offending attribute. */
gboolean rtc_jsep_validate_description (const GstSDPMessage * sdp,
                                        GstWebRTCSDPType type,
                                        RtcSdpSource source,
                                        const GstSDPMessage * previous,
                                        GError ** error);

/* Parses text into a description, with an error naming the line when the
 * text is not SDP at all (or not UTF-8, or larger than
 * RTC_JSEP_MAX_DESCRIPTION_SIZE). */
GstWebRTCSessionDescription *rtc_jsep_parse_description (GstWebRTCSDPType type,
                                        const gchar * text, GError ** error);

G_END_DECLS
