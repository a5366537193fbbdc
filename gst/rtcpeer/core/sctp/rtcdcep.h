/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The Data Channel Establishment Protocol codec (RFC 8832), plus the SCTP
 * payload protocol identifiers of WebRTC data channels (RFC 8831 section
 * 8). Pure: bytes in, values out, no state, no I/O. Only GLib, so that the
 * codec can be tested and fuzzed on its own.
 *
 * https://www.rfc-editor.org/rfc/rfc8832#section-5.1 DATA_CHANNEL_OPEN:
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  Message Type |  Channel Type |            Priority           |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                    Reliability Parameter                      |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |         Label Length          |       Protocol Length         |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   \                             Label                             /
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   \                            Protocol                           /
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * https://www.rfc-editor.org/rfc/rfc8832#section-5.2 DATA_CHANNEL_ACK is
 * the single Message Type byte.
 *
 * All integers are in network byte order. DCEP messages travel on the
 * channel's own stream with PPID 50 (RTC_SCTP_PPID_DCEP), ordered and
 * reliable (RFC 8832 section 6).
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* RFC 8831 section 8 / IANA "SCTP Payload Protocol Identifiers". */
typedef enum
{
  RTC_SCTP_PPID_DCEP = 50,
  RTC_SCTP_PPID_STRING = 51,
  /* Deprecated (RFC 8831 section 6.6): PPID-based fragmentation from
   * before SCTP's explicit EOR. Recognised so they can be rejected by name. */
  RTC_SCTP_PPID_STRING_PARTIAL = 52,
  RTC_SCTP_PPID_BINARY = 53,
  RTC_SCTP_PPID_BINARY_PARTIAL = 54,
  /* SCTP cannot carry an empty user message, so an empty message is one
   * ignored byte under these PPIDs (RFC 8831 section 6.6). */
  RTC_SCTP_PPID_STRING_EMPTY = 56,
  RTC_SCTP_PPID_BINARY_EMPTY = 57,
} RtcSctpPpid;

typedef enum
{
  RTC_DCEP_MESSAGE_ACK = 0x02,
  RTC_DCEP_MESSAGE_OPEN = 0x03,
} RtcDcepMessageType;

/* RFC 8832 section 5.1. The high bit means unordered; the low bits give
 * the reliability policy that the Reliability Parameter qualifies. */
typedef enum
{
  RTC_DCEP_CHANNEL_RELIABLE = 0x00,
  RTC_DCEP_CHANNEL_PARTIAL_RELIABLE_REXMIT = 0x01,
  RTC_DCEP_CHANNEL_PARTIAL_RELIABLE_TIMED = 0x02,
  RTC_DCEP_CHANNEL_RELIABLE_UNORDERED = 0x80,
  RTC_DCEP_CHANNEL_PARTIAL_RELIABLE_REXMIT_UNORDERED = 0x81,
  RTC_DCEP_CHANNEL_PARTIAL_RELIABLE_TIMED_UNORDERED = 0x82,
} RtcDcepChannelType;

/* DCEP priority values for the W3C RTCPriorityType levels, as Chromium
 * sends them (RFC 8831 section 6.4 leaves the scale to the application;
 * https://w3c.github.io/webrtc-priority/). */
#define RTC_DCEP_PRIORITY_VERY_LOW 128
#define RTC_DCEP_PRIORITY_LOW 256
#define RTC_DCEP_PRIORITY_MEDIUM 512
#define RTC_DCEP_PRIORITY_HIGH 1024

/* Fixed part of DATA_CHANNEL_OPEN, before label and protocol. */
#define RTC_DCEP_OPEN_HEADER_LEN 12

#define RTC_DCEP_ERROR (rtc_dcep_error_quark ())

typedef enum
{
  /* Empty message, or a length field that runs past the end. */
  RTC_DCEP_ERROR_TRUNCATED,
  /* Message Type other than OPEN (0x03) or ACK (0x02). */
  RTC_DCEP_ERROR_UNKNOWN_MESSAGE_TYPE,
  /* Channel Type not one of the six in RtcDcepChannelType. */
  RTC_DCEP_ERROR_UNKNOWN_CHANNEL_TYPE,
  /* Bytes after the protocol field of an OPEN: the lengths disagree with
   * the message, so label or protocol cannot be trusted. */
  RTC_DCEP_ERROR_TRAILING_DATA,
  /* rtc_dcep_channel_type_from_options(): contradictory options. */
  RTC_DCEP_ERROR_INVALID_OPTIONS,
} RtcDcepError;

/* Parsed or to-be-written DATA_CHANNEL_OPEN.
 *
 * After rtc_dcep_parse() label and protocol are owned, NUL-terminated
 * copies (freed by rtc_dcep_message_clear()); label_len/protocol_len give
 * the wire length, which matters only if the peer put a NUL inside. The
 * RFC says UTF-8 but the bytes are passed on as received.
 *
 * For rtc_dcep_write_open() they are borrowed; label_len bytes of label are
 * written (label may be NULL when label_len is 0). Lengths above 65535
 * cannot be encoded. */
typedef struct
{
  RtcDcepChannelType channel_type;
  guint16 priority;
  /* Retransmissions for _REXMIT, lifetime in ms for _TIMED; must be 0 for
   * reliable channels and is ignored on receipt (RFC 8832 section 5.1). */
  guint32 reliability;
  gchar *label;
  gsize label_len;
  gchar *protocol;
  gsize protocol_len;
} RtcDcepOpen;

typedef struct
{
  RtcDcepMessageType type;
  RtcDcepOpen open;             /* valid when type == RTC_DCEP_MESSAGE_OPEN */
} RtcDcepMessage;

GQuark        rtc_dcep_error_quark (void);

/* Parses one DCEP message (the payload of an SCTP message with PPID 50).
 * On success msg must be cleared with rtc_dcep_message_clear(); on failure
 * msg is left zeroed and error names the offending field. A DATA_CHANNEL_ACK
 * with bytes after the type is accepted: there is nothing to misread. */
gboolean      rtc_dcep_parse (const guint8 * data, gsize len,
                              RtcDcepMessage * msg, GError ** error);
void          rtc_dcep_message_clear (RtcDcepMessage * msg);

/* Bytes needed for open, or 0 if it cannot be encoded (a length above
 * 65535 or an unknown channel type). */
gsize         rtc_dcep_open_size (const RtcDcepOpen * open);
/* Writes open into buf and returns the bytes written, or 0 (nothing
 * written) if it cannot be encoded or size is too small. */
gsize         rtc_dcep_write_open (const RtcDcepOpen * open, guint8 * buf,
                                   gsize size);
/* Writes the 1-byte DATA_CHANNEL_ACK; returns 1, or 0 if size is 0. */
gsize         rtc_dcep_write_ack (guint8 * buf, gsize size);
/* Convenience: the encoded message in new GBytes, NULL if open cannot be
 * encoded. */
GBytes *      rtc_dcep_build_open (const RtcDcepOpen * open);
GBytes *      rtc_dcep_build_ack (void);

gboolean      rtc_dcep_channel_type_is_valid (guint8 channel_type);
const gchar * rtc_dcep_channel_type_name (RtcDcepChannelType channel_type);

/* Channel type and Reliability Parameter from W3C-style options, with -1
 * meaning "not set" for max_retransmits and max_packet_lifetime (ms).
 * Setting both is an error (W3C createDataChannel step: TypeError), so is a
 * value below -1. */
gboolean      rtc_dcep_channel_type_from_options (gboolean ordered,
                                                  gint max_retransmits,
                                                  gint max_packet_lifetime,
                                                  RtcDcepChannelType * type,
                                                  guint32 * reliability,
                                                  GError ** error);
/* The inverse. Reliability values above G_MAXINT (~24 days, or 2^31
 * retransmissions) are clamped to G_MAXINT. */
void          rtc_dcep_channel_type_to_options (RtcDcepChannelType type,
                                                guint32 reliability,
                                                gboolean * ordered,
                                                gint * max_retransmits,
                                                gint * max_packet_lifetime);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RtcDcepMessage, rtc_dcep_message_clear)

G_END_DECLS
