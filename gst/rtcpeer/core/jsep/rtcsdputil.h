/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Reading a GstSDPMessage the way JSEP means it: media-level attributes
 * falling back to session level, bundle groups, the DTLS and ICE bits. */

#pragma once

#include "rtcjsep-media.h"

G_BEGIN_DECLS

#define RTC_JSEP_ERROR (rtc_jsep_error_quark ())
GQuark rtc_jsep_error_quark (void);

typedef enum
{
  RTC_JSEP_ERROR_INVALID_SDP,       /* malformed or missing required parts */
  RTC_JSEP_ERROR_INVALID_STATE,     /* wrong signaling state for this call */
  RTC_JSEP_ERROR_INVALID_MODIFICATION, /* e.g. m-lines removed or reordered */
  RTC_JSEP_ERROR_NO_COMMON_CODEC,
  RTC_JSEP_ERROR_INTERNAL,
} RtcJsepError;

/* Why @s cannot become a GLib string (a caps or structure field, a
 * property): not UTF-8, a control character other than tab, or longer
 * than @max_len bytes. NULL when it can; else a message such as "is not
 * UTF-8 (byte 0xff at offset 4)" (g_free). NULL @s is fine. */
gchar       *rtc_sdp_string_problem  (const gchar * s, gsize max_len);
gboolean     rtc_sdp_string_is_clean (const gchar * s, gsize max_len);

/* @s for an error message: at most @max_chars characters of it, with
 * non-printable and non-ASCII bytes escaped (g_strescape), "..." when
 * cut; "(null)" for NULL. g_free. */
gchar       *rtc_sdp_string_for_message (const gchar * s, gsize max_chars);

/* Media attribute, else the session attribute of the same name. */
const gchar *rtc_sdp_get_attribute (const GstSDPMessage * msg, guint mline,
                                    const gchar * key);

const gchar *rtc_sdp_media_get_mid (const GstSDPMessage * msg, guint mline);
gint         rtc_sdp_find_mid      (const GstSDPMessage * msg, const gchar * mid);
RtcMediaKind rtc_sdp_media_get_kind (const GstSDPMessage * msg, guint mline);
gboolean     rtc_sdp_media_is_rejected (const GstSDPMessage * msg, guint mline);
/* Whether @media has an attribute @key, whatever its value (flags built in
 * code have a NULL value). */
gboolean     rtc_sdp_media_has_attribute (const GstSDPMedia * media,
                                          const gchar * key);

/* a=sendrecv & co; SENDRECV when absent (RFC 3264). */
GstWebRTCRTPTransceiverDirection
             rtc_sdp_media_get_direction (const GstSDPMessage * msg, guint mline);

/* a=setup; NONE when absent. */
GstWebRTCDTLSSetup rtc_sdp_media_get_setup (const GstSDPMessage * msg, guint mline);

/* ufrag/pwd/fingerprint with session fallback; NULL when absent.
 * The fingerprint is returned as "sha-256 AB:CD:...". */
const gchar *rtc_sdp_media_get_ice_ufrag (const GstSDPMessage * msg, guint mline);
const gchar *rtc_sdp_media_get_ice_pwd   (const GstSDPMessage * msg, guint mline);
const gchar *rtc_sdp_media_get_fingerprint (const GstSDPMessage * msg, guint mline);

/* The first a=group:BUNDLE's mids, NULL-terminated (g_strfreev), or NULL. */
gchar      **rtc_sdp_get_bundle_mids (const GstSDPMessage * msg);

/* The transport an m-line of @msg travels on, named by its tag: the first
 * mid of its BUNDLE group, else its own mid, else "mline<N>". g_free. */
gchar       *rtc_sdp_transport_tag (const GstSDPMessage * msg, guint mline);

/* Every codec of a section (rtpmap, fmtp, rtcp-fb and apt= RTX folded
 * into its codec), in m-line order, appended to @codecs (an array of
 * RtcCodec, e.g. from rtc_codec_array_new(); strings are g_strdup'd).
 * channels is 0 when the rtpmap does not give it. Non-RTP sections add
 * nothing. Fails (leaving @codecs as it was) when a payload type has no
 * usable rtpmap. */
gboolean     rtc_sdp_media_get_codecs (const GstSDPMessage * msg, guint mline,
                                       GArray * codecs, GError ** error);

/* a=ssrc / a=ssrc-group:FID / a=msid of a section. Any out argument may
 * be NULL; absent values come back as 0 / NULL; strings are g_strdup'd
 * (g_free). A "-" stream id (RFC 8830) comes back as NULL. */
void         rtc_sdp_media_get_ssrcs (const GstSDPMessage * msg, guint mline,
                                      guint32 * ssrc, guint32 * rtx_ssrc,
                                      gchar ** stream_id, gchar ** track_id);

/* The cname of the first a=ssrc:<id> cname:<cname>, or NULL (g_free). */
gchar       *rtc_sdp_media_get_cname (const GstSDPMessage * msg, guint mline);

/* The id of the RTP header extension with this URI, or 0. */
guint        rtc_sdp_media_get_extmap_id (const GstSDPMessage * msg, guint mline,
                                          const gchar * uri);

#define RTC_EXTMAP_MID "urn:ietf:params:rtp-hdrext:sdes:mid"
#define RTC_EXTMAP_TWCC "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"

G_END_DECLS
