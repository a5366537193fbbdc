/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The data channels of one SCTP association (RFC 8831, RFC 8832): stream
 * id allocation, the DCEP handshake, the channel state machine and the
 * PPID rules. Pure bookkeeping: no I/O, no clock, no threads, no locks.
 * The owner serialises every call and moves bytes between this and the
 * SCTP core (rtcsctp.h):
 *
 *     app: create/close/send            SCTP core: message / stream reset /
 *           |                                  association up or down
 *           v                                        |
 *   +--------------------------------------------------------------+
 *   |                      RtcDataChannels                         |
 *   |  id -> RtcDataChannel   state: connecting-open-closing-closed|
 *   +--------------------------------------------------------------+
 *           |                                        |
 *           v                                        v
 *   prepare_send() -> RtcDcSend           poll_action() until FALSE:
 *   (stream, PPID, payload, PR-SCTP         SEND (DCEP on a stream),
 *    options for the SCTP send)             RESET_STREAM, CHANNEL_NEW,
 *                                           CHANNEL_OPEN, MESSAGE,
 *                                           CHANNEL_ERROR, CHANNEL_CLOSED
 *
 * Every call that can change something queues actions; drain them with
 * rtc_data_channels_poll_action() after each call, in order.
 *
 * Lifecycle of a channel we create (RFC 8832 section 6):
 *   create()  -> connecting; if the association is up, SEND OPEN now,
 *                otherwise on rtc_data_channels_on_connected()
 *   ACK, or any user message on the stream -> open (CHANNEL_OPEN)
 *   close()   -> closing, RESET_STREAM; peer resets its side -> closed
 *   peer resets the stream before any ACK   -> the peer refused the OPEN:
 *                CHANNEL_ERROR, RESET_STREAM, CHANNEL_CLOSED
 * A channel the peer opens: its OPEN gives SEND ACK, CHANNEL_NEW and
 * CHANNEL_OPEN. Negotiated channels (RFC 8831 section 6.5) skip DCEP and
 * are open as soon as the association is.
 *
 * PPIDs (RFC 8831 section 6.6 and 8): 50 DCEP, 51 string, 53 binary, 56/57
 * empty string/binary. An empty message goes out as one byte with 56/57
 * and comes back as an empty MESSAGE. The deprecated partial PPIDs 52/54
 * are refused like unknown ones: they were PPID-based fragmentation from
 * before SCTP's explicit EOR, no current browser sends them, and
 * reassembling them would mean unbounded buffering.
 *
 * Messages that break the rules (unknown PPID, data or ACK on a stream
 * without a channel, a malformed DCEP message) give a CHANNEL_ERROR and
 * are dropped; the association and the other channels are untouched.
 * RFC 8831 section 6.6 says the receiver SHOULD close the channel on an
 * unsupported PPID; like Chromium and libdatachannel we keep it open and
 * only report the error, so one odd message does not take down a channel.
 */

#pragma once

#include <glib.h>
#include <gst/webrtc/webrtc.h>

#include "rtcdcep.h"

G_BEGIN_DECLS

/* Stream 65535 is reserved: SCTP counts streams in 16 bits, so at most
 * 65535 streams (0..65534) can be negotiated (W3C createDataChannel: id
 * 65535 is a TypeError). */
#define RTC_DATA_CHANNEL_MAX_ID 65534

#define RTC_DATA_CHANNELS_ERROR (rtc_data_channels_error_quark ())

/* In brackets: the W3C exception the element should map the code to. */
typedef enum
{
  /* Bad create options: a label or protocol over 65535 bytes, both
   * max-retransmits and max-packet-lifetime set, negotiated without an id,
   * an id outside 0..65534, an id without negotiated (TypeError). */
  RTC_DATA_CHANNELS_ERROR_INVALID_ARGUMENT,
  /* The id is taken by another channel (OperationError). */
  RTC_DATA_CHANNELS_ERROR_ID_IN_USE,
  /* Every stream id of our parity is taken (OperationError). */
  RTC_DATA_CHANNELS_ERROR_NO_FREE_ID,
  /* Send on a channel that is not open; a second, different DTLS role
   * (InvalidStateError). */
  RTC_DATA_CHANNELS_ERROR_INVALID_STATE,
  /* A message with a PPID we do not handle, including 52/54. */
  RTC_DATA_CHANNELS_ERROR_UNKNOWN_PPID,
  /* A message the protocol does not allow here: user data or an ACK on a
   * stream without a channel, an OPEN on a used stream or with the wrong
   * parity, an ACK for a channel that sent no OPEN. Malformed DCEP
   * messages carry the RTC_DCEP_ERROR from the parser instead. */
  RTC_DATA_CHANNELS_ERROR_PROTOCOL,
  /* The peer reset the stream before acknowledging our OPEN (RFC 8832
   * section 6: the setup failed). */
  RTC_DATA_CHANNELS_ERROR_OPEN_REJECTED,
} RtcDataChannelsError;

/* W3C RTCDataChannelInit. Initialise with rtc_data_channel_options_init(). */
typedef struct
{
  const gchar *label;           /* NULL is "" */
  const gchar *protocol;        /* NULL is "" */
  gboolean ordered;             /* default TRUE */
  gint max_retransmits;         /* -1 (default): not set */
  gint max_packet_lifetime;     /* ms; -1 (default): not set */
  gboolean negotiated;          /* default FALSE: in-band DCEP */
  gint id;                      /* -1: allocate; required if negotiated */
  GstWebRTCPriorityType priority;       /* 0: default (low) */
} RtcDataChannelOptions;

typedef struct _RtcDataChannel RtcDataChannel;

/* A channel. Reference counted (atomically, so the element may drop its
 * reference from any thread); the set keeps one until the channel is
 * closed. Fields are read-only for users and change only inside calls on
 * the owning RtcDataChannels. */
struct _RtcDataChannel
{
  gint id;                      /* stream id, -1 until the DTLS role is known */
  gchar *label;
  gchar *protocol;
  gboolean ordered;
  gint max_retransmits;         /* -1: not set */
  gint max_packet_lifetime;     /* ms, -1: not set */
  gboolean negotiated;
  /* DCEP value; rtc_data_channel_priority_to_type() gives the W3C level. */
  guint16 priority;
  gboolean remote;              /* created by the peer's DATA_CHANNEL_OPEN */
  GstWebRTCDataChannelState state;
  gpointer user_data;           /* the caller's, never touched here */

  /*< private >*/
  gboolean open_sent;
  /* RFC 8832 section 6: until an ACK or any other message arrives, user
   * messages must go out ordered even on an unordered channel, so that
   * they cannot overtake the OPEN. */
  gboolean heard_from_peer;
};

typedef enum
{
  /* Send data (a DCEP message) on stream with ppid (always
   * RTC_SCTP_PPID_DCEP), ordered and fully reliable (RFC 8832 section 6). */
  RTC_DC_ACTION_SEND,
  /* Reset our outgoing stream (RFC 8831 section 6.7, RFC 6525). channel
   * may be NULL when refusing a stream that never had one. */
  RTC_DC_ACTION_RESET_STREAM,
  /* The peer opened channel (W3C "datachannel" event). */
  RTC_DC_ACTION_CHANNEL_NEW,
  /* channel is now open (W3C "open" event). */
  RTC_DC_ACTION_CHANNEL_OPEN,
  /* A user message for channel: data (possibly empty), is_string. */
  RTC_DC_ACTION_MESSAGE,
  /* error for channel, or for stream when channel is NULL. The channel
   * stays as it is unless a CHANNEL_CLOSED follows. */
  RTC_DC_ACTION_CHANNEL_ERROR,
  /* channel is closed and no longer in the set; its id may be reused. */
  RTC_DC_ACTION_CHANNEL_CLOSED,
} RtcDcActionType;

typedef struct
{
  RtcDcActionType type;
  RtcDataChannel *channel;      /* a reference, or NULL */
  guint16 stream;               /* 0 and meaningless if channel->id is -1 */
  guint32 ppid;                 /* SEND */
  GBytes *data;                 /* SEND, MESSAGE */
  gboolean is_string;           /* MESSAGE */
  GError *error;                /* CHANNEL_ERROR */
} RtcDcAction;

/* How to hand one user message to SCTP, from
 * rtc_data_channels_prepare_send(). */
typedef struct
{
  guint16 stream;
  guint32 ppid;
  /* The caller's data, or a static 1-byte filler for an empty message. */
  const guint8 *payload;
  gsize payload_len;
  gboolean ordered;             /* FALSE: set SCTP's U bit */
  /* PR-SCTP (RFC 3758): at most one is set, -1 means fully reliable. */
  gint max_retransmits;         /* SCTP_PR_SCTP_RTX */
  gint max_packet_lifetime;     /* SCTP_PR_SCTP_TTL, ms */
} RtcDcSend;

typedef struct _RtcDataChannels RtcDataChannels;

GQuark            rtc_data_channels_error_quark (void);

void              rtc_data_channel_options_init (RtcDataChannelOptions * opts);

RtcDataChannel *  rtc_data_channel_ref (RtcDataChannel * channel);
void              rtc_data_channel_unref (RtcDataChannel * channel);

/* W3C RTCPriorityType <-> DCEP priority: very-low 128, low 256, medium 512,
 * high 1024 out; in, anything up to 128 is very-low, up to 256 low, up to
 * 512 medium, above that high (https://w3c.github.io/webrtc-priority/), so
 * the 64/192/384/768 that webrtcbin sends map back to the same levels. */
guint16           rtc_data_channel_priority_from_type (
                      GstWebRTCPriorityType type);
GstWebRTCPriorityType rtc_data_channel_priority_to_type (guint16 priority);

/* A set with no DTLS role yet: channels created before
 * rtc_data_channels_set_dtls_role() get their id then. */
RtcDataChannels * rtc_data_channels_new (void);
void              rtc_data_channels_free (RtcDataChannels * dcs);

/* RFC 8832 section 6: the DTLS client uses even stream ids, the server odd
 * ones. Allocates ids for channels waiting for one (in creation order; a
 * channel left without one gets CHANNEL_ERROR NO_FREE_ID and
 * CHANNEL_CLOSED). Setting the same role again is a no-op; a different one
 * is INVALID_STATE. */
gboolean          rtc_data_channels_set_dtls_role (RtcDataChannels * dcs,
                                                   gboolean dtls_client,
                                                   GError ** error);

/* W3C createDataChannel. Returns a new reference (the set keeps its own).
 * Without a DTLS role a non-negotiated channel has id -1 until
 * set_dtls_role(). If the association is up the OPEN is queued now (or a
 * negotiated channel opens now). */
RtcDataChannel *  rtc_data_channels_create (RtcDataChannels * dcs,
                                            const RtcDataChannelOptions * opts,
                                            GError ** error);

/* The channel on stream id, or NULL; borrowed. */
RtcDataChannel *  rtc_data_channels_lookup (RtcDataChannels * dcs,
                                            guint16 id);
/* Channels not yet closed, in creation order. */
guint             rtc_data_channels_get_n_channels (RtcDataChannels * dcs);
RtcDataChannel *  rtc_data_channels_get_nth (RtcDataChannels * dcs, guint n);

/* The SCTP association is up: queue OPENs for channels created before, and
 * open negotiated channels. */
void              rtc_data_channels_on_connected (RtcDataChannels * dcs);
/* The association is gone: every channel closes (CHANNEL_CLOSED). */
void              rtc_data_channels_on_disconnected (RtcDataChannels * dcs);
gboolean          rtc_data_channels_is_connected (RtcDataChannels * dcs);

/* One complete SCTP user message on stream with ppid. Returns FALSE when the
 * message was refused; the CHANNEL_ERROR action says why. */
gboolean          rtc_data_channels_handle_message (RtcDataChannels * dcs,
                                                    guint16 stream,
                                                    guint32 ppid,
                                                    const guint8 * data,
                                                    gsize len);

/* Fills out for sending one user message on channel, which must be open
 * (else INVALID_STATE). An empty message becomes one byte with PPID 56/57.
 * out->payload points into data (or at static memory), so data must
 * outlive the SCTP send. */
gboolean          rtc_data_channels_prepare_send (RtcDataChannels * dcs,
                                                  RtcDataChannel * channel,
                                                  gboolean is_string,
                                                  const guint8 * data,
                                                  gsize len,
                                                  RtcDcSend * out,
                                                  GError ** error);

/* W3C close(): an open (or handshaking) channel goes to closing and queues
 * RESET_STREAM; one that never reached the wire closes at once. */
void              rtc_data_channels_close (RtcDataChannels * dcs,
                                           RtcDataChannel * channel);

/* The peer reset its outgoing stream, i.e. our incoming stream (SCTP
 * stream reset event with the incoming flag). Call it only for incoming
 * resets: our own outgoing resets completing are not the peer closing. */
void              rtc_data_channels_on_stream_reset (RtcDataChannels * dcs,
                                                     guint16 stream);

/* Pops the oldest queued action into action (clear it with
 * rtc_dc_action_clear()); FALSE when there is none. */
gboolean          rtc_data_channels_poll_action (RtcDataChannels * dcs,
                                                 RtcDcAction * action);
void              rtc_dc_action_clear (RtcDcAction * action);
const gchar *     rtc_dc_action_type_name (RtcDcActionType type);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RtcDataChannel, rtc_data_channel_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RtcDataChannels, rtc_data_channels_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RtcDcAction, rtc_dc_action_clear)

G_END_DECLS
