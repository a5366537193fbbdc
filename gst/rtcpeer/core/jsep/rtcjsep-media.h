/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The JSEP model: what a transceiver (or the data channel section) says
 * about itself, independent of any element. Offers and answers are built
 * from a list of these (rtcjsep-offer.h, rtcjsep-answer.h). */

#pragma once

#include <gst/gst.h>
#include <gst/sdp/sdp.h>
#include <gst/webrtc/webrtc.h>

G_BEGIN_DECLS

typedef enum
{
  RTC_MEDIA_KIND_AUDIO,
  RTC_MEDIA_KIND_VIDEO,
  RTC_MEDIA_KIND_APPLICATION,
} RtcMediaKind;

typedef enum
{
  RTC_FB_NACK = 1 << 0,
  RTC_FB_NACK_PLI = 1 << 1,
  RTC_FB_CCM_FIR = 1 << 2,
  RTC_FB_TRANSPORT_CC = 1 << 3,
  RTC_FB_GOOG_REMB = 1 << 4,
} RtcCodecFeedback;

typedef struct
{
  guint pt;
  gchar *encoding_name;         /* as in a=rtpmap: "VP8", "opus", "H264" */
  guint clock_rate;
  guint channels;               /* 0 when not given (video) */
  gchar *fmtp;                  /* parameters after "a=fmtp:<pt> ", or NULL */
  guint rtx_pt;                 /* 0: no RTX for this codec */
  guint feedback;               /* RtcCodecFeedback flags */
} RtcCodec;

typedef struct
{
  RtcMediaKind kind;
  gchar *mid;                   /* NULL until first put in a description */
  gint mline;                   /* -1 until first put in a description */
  GstWebRTCRTPTransceiverDirection direction;
  GArray *codecs;               /* RtcCodec, preference order; clear func set */
  gchar *stream_id;             /* a=msid stream, NULL: "-" */
  gchar *track_id;              /* a=msid track */
  guint32 ssrc;                 /* 0: not sending */
  guint32 rtx_ssrc;             /* 0: no RTX stream */
  gchar *cname;
  gboolean stopped;             /* port 0 in the next description */
  /* RTC_MEDIA_KIND_APPLICATION */
  guint sctp_port;
  guint max_message_size;
} RtcJsepMedia;

/* What is common to every section we write. */
typedef struct
{
  guint64 session_id;
  guint64 session_version;
  gchar *ice_ufrag;
  gchar *ice_pwd;
  gchar *fingerprint;           /* "sha-256 AB:CD:..." */
  GstWebRTCBundlePolicy bundle_policy;
  GstWebRTCDTLSSetup offer_setup;       /* ACTPASS normally */
  gboolean ice_lite;
  /* the a=msid stream of the tracks that name none; NULL: "-" */
  gchar *stream_id;
} RtcJsepSession;

/* mline -1, no mid, no codecs; sctp_port 5000 and max_message_size 262144
 * (what browsers announce) for every kind, used by application ones. */
RtcJsepMedia *rtc_jsep_media_new   (RtcMediaKind kind,
                                    GstWebRTCRTPTransceiverDirection direction);
RtcJsepMedia *rtc_jsep_media_copy  (const RtcJsepMedia * media);
void          rtc_jsep_media_free  (RtcJsepMedia * media);

GArray       *rtc_codec_array_new  (void);
void          rtc_codec_clear      (RtcCodec * codec);
void          rtc_codec_copy_into  (RtcCodec * dest, const RtcCodec * src);

/* Codecs from caps such as application/x-rtp,media=video,encoding-name=VP8,
 * payload=96,clock-rate=90000 (one structure per codec; rtx-payload,
 * fmtp fields and rtcp-fb-* fields honoured). Video codecs get NACK, PLI,
 * FIR and transport-cc feedback by default; once any rtcp-fb-* field is
 * present only the TRUE ones count. Other string (or int) fields become
 * fmtp parameters the way GstSDP maps them for webrtcbin. The encoding
 * name is stored in its usual SDP spelling ("opus", "VP8"), opus always
 * with 2 channels (RFC 7587). Appends to @codecs; on error (no media,
 * encoding-name, payload 0..127 or clock-rate, or audio mixed with video:
 * RTC_JSEP_ERROR_INVALID_SDP) @codecs is left as it was. @kind may be
 * NULL. */
gboolean      rtc_codecs_from_caps (const GstCaps * caps, RtcMediaKind * kind,
                                    GArray * codecs, GError ** error);
/* The caps rtpbin wants for one payload type of a section: media,
 * payload, clock-rate, encoding-name (upper case), encoding-params (audio
 * channels), fmtp parameters as string fields, rtcp-fb-* booleans and
 * rtx-payload when the codec has RTX. Only the fmtp parameters
 * rtc_codec_fmtp_param_is_known() names become fields, and only with
 * values GLib takes as strings: @codec usually comes from the peer. NULL
 * when the codec cannot be caps (an encoding name that is not a clean
 * token, a dynamic payload type GstSDP knows no clock rate for). */
GstCaps      *rtc_codec_to_caps    (const RtcCodec * codec, RtcMediaKind kind);
/* Whether the fmtp parameter @name (any case) is one rtc_codec_to_caps()
 * turns into a caps field. */
gboolean      rtc_codec_fmtp_param_is_known (const gchar * name);

/* The profile-level-id ("42e01f", lower case hex) in the first NAL unit
 * of an H264 sprop-parameter-sets value (comma-separated base64) when it
 * is a sequence parameter set, else NULL. g_free. */
gchar        *rtc_h264_profile_level_id_from_sprop (const gchar * sprop);

/* DTMF (RFC 4733 telephone-event, a=fmtp:<pt> 0-15) beside the audio
 * codecs. One telephone-event format per clock rate: 8000 Hz, and every
 * other rate an audio codec of @medias uses (Opus: 48000), so that events
 * can share the audio stream's timestamps. The payload types are chosen
 * once for the whole description (the same format has the same type in
 * every bundled section, RFC 8843 section 9.1.2): a type some media
 * already gives telephone-event at that rate, else the highest dynamic
 * type (from 126 down) no codec of @medias uses. */
#define RTC_DTMF_ENCODING_NAME "telephone-event"
#define RTC_DTMF_FMTP "0-15"
#define RTC_JSEP_DTMF_MAX_RATES 8
typedef struct
{
  guint n;
  guint rate[RTC_JSEP_DTMF_MAX_RATES];
  guint pt[RTC_JSEP_DTMF_MAX_RATES];
} RtcJsepDtmfPlan;

void          rtc_jsep_dtmf_plan_offer (RtcJsepDtmfPlan * plan,
                                        const GPtrArray * medias);
/* A copy of @codecs (audio) with the plan's telephone-event formats for
 * 8000 Hz and for the clock rates of @codecs that have none yet. */
GArray       *rtc_jsep_dtmf_offer_codecs (const RtcJsepDtmfPlan * plan,
                                          const GArray * codecs);
/* An answer's audio codecs: appends to @accepted the telephone-event
 * formats of @offered at 8000 Hz or at the clock rate of a codec in
 * @accepted (RFC 4733 section 7.1.1: events at the audio's rate share
 * its timestamps; 8000 Hz is what every endpoint sends). */
void          rtc_jsep_dtmf_accept (GArray * accepted, const GArray * offered);
gboolean      rtc_codec_is_dtmf (const RtcCodec * codec);

const gchar  *rtc_media_kind_to_string (RtcMediaKind kind);

void          rtc_jsep_session_clear (RtcJsepSession * session);

/* Writers shared by the offer and answer builders (rtcjsep-offer.c,
 * rtcjsep-answer.c); not meant for the element. */
const gchar  *rtc_jsep_direction_to_string (GstWebRTCRTPTransceiverDirection direction);
const gchar  *rtc_jsep_setup_to_string     (GstWebRTCDTLSSetup setup);
gboolean      rtc_jsep_direction_has_send  (GstWebRTCRTPTransceiverDirection direction);
gboolean      rtc_jsep_direction_has_recv  (GstWebRTCRTPTransceiverDirection direction);

/* v=, o=, s=, t= and a=ice-options:trickle (+ a=ice-lite) of a new message. */
void          rtc_jsep_message_init        (GstSDPMessage * msg,
                                            const RtcJsepSession * session);
/* What we announce as the largest SCTP packet we take in one DTLS record
 * (a=x-rtcpeer-sctp-max-packet). No standard attribute says it, and a
 * peer may fail on larger records than it expects (Chromium closes its
 * DTLS transport), so path MTU discovery goes beyond Ethernet sizes only
 * towards a peer that announced this. Unknown attributes are ignored by
 * every SDP parser (RFC 8866 section 5.13). */
#define RTC_JSEP_SCTP_MAX_PACKET_ATTR "x-rtcpeer-sctp-max-packet"
#define RTC_JSEP_SCTP_MAX_PACKET 16384

/* The m=application section's own attributes: a=sctp-port,
 * a=max-message-size (RFC 8841) and a=x-rtcpeer-sctp-max-packet. */
void          rtc_jsep_media_write_sctp    (GstSDPMedia * m,
                                            const RtcJsepMedia * media);
/* c=, a=rtcp, ICE credentials, a=fingerprint, a=setup and a=mid. */
void          rtc_jsep_media_write_transport (GstSDPMedia * m,
                                              const gchar * ice_ufrag,
                                              const gchar * ice_pwd,
                                              const gchar * fingerprint,
                                              GstWebRTCDTLSSetup setup,
                                              const gchar * mid);
/* The m= formats plus a=rtpmap/a=rtcp-fb/a=fmtp per codec, each codec
 * followed by its RTX format when it has one. */
void          rtc_jsep_media_write_codecs  (GstSDPMedia * m, const GArray * codecs);
/* a=msid, a=ssrc-group:FID and a=ssrc lines of a sending media in the
 * section @mid; the FID group only when @with_rtx. A media without a
 * stream of its own is in @session's. */
void          rtc_jsep_media_write_source  (GstSDPMedia * m,
                                            const RtcJsepMedia * media,
                                            const RtcJsepSession * session,
                                            const gchar * mid,
                                            gboolean with_rtx);

G_END_DECLS
