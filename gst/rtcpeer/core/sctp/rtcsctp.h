/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* One SCTP association (RFC 4960) as WebRTC data channels use it: SCTP
 * over DTLS (RFC 8261), the data channel transport of RFC 8831, the SDP
 * parameters of RFC 8841, partial reliability (RFC 3758) and stream reset
 * (RFC 6525). DCEP (RFC 8832) is a layer above and not part of this core.
 *
 * Sans-IO over usrsctp's AF_CONN sockets: SCTP packets go in and out as
 * bytes (the caller carries them in DTLS application data), time goes in
 * as now_us, messages and events come out. The run loop, as for RtcDtls:
 *
 *   rtc_sctp_start / handle_packet / handle_timeout / send / reset_stream
 *        / close
 *        |
 *        v
 *   while (rtc_sctp_poll_output (s, &out))
 *     TRANSMIT -> one SCTP packet for rtc_dtls_send()
 *     RECEIVE  -> one complete message: out.stream, out.ppid, data/len
 *     EVENT    -> RtcSctpEvent in out.event (out.stream for stream
 *                 events), out.error owned by the caller
 *   arm a timer for out.timeout_us, then call rtc_sctp_handle_timeout
 *
 * usrsctp is process-global, and that shapes three things:
 *
 * Time. usrsctp has one timer wheel for every association in the process
 * and no "next deadline" query. Each rtc_sctp_handle_timeout() advances
 * that wheel by the time since the previous advance by *any* instance
 * (now_us differences; the core never reads a clock), so every instance
 * in a process must be given now_us from the same clock (the element uses
 * GLib's monotonic time). A time that went backwards advances nothing.
 * While an association is alive the TIMEOUT output is now + 10 ms, the
 * granularity of usrsctp's own timer thread; with many instances the
 * wheel simply advances in smaller steps. rtc_sctp_handle_timers_global()
 * and rtc_sctp_handle_timeout_global() are for a caller that drives the
 * wheel from a single place instead: with RtcSctpConfig.shared_clock the
 * TIMEOUT output then carries only the instance's own deadlines (path MTU
 * discovery), so an idle association costs no wake-up of its own.
 * Beyond the wheel, usrsctp reads gettimeofday() itself: for RTT, for
 * which chunks a retransmission timeout resends (those sent at least an
 * RTO ago), for PR-SCTP lifetimes and cookie lifetime. So now_us must
 * advance at the rate of the real clock, as a monotonic clock does; a
 * clock that runs fast makes timeouts fire that resend nothing (the unit
 * test gives usrsctp a gettimeofday() that follows its fake clock).
 *
 * Threads. The owner serialises every call on one instance (it may use
 * one thread or hold a lock); different instances may be driven from
 * different threads at the same time. Because usrsctp can produce packets
 * or notifications for association X while it runs a call on Y, or a
 * global timer tick, X's output is queued on X under a small internal
 * lock, and if that happens while X's owner is not inside a call on X (or
 * draining it), X's wakeup function (rtc_sctp_set_wakeup) is called at the
 * end of that call on Y, so the owner knows to drain
 * rtc_sctp_poll_output() on X. Getters are owner calls too, but need no
 * drain afterwards. See rtc_sctp_set_wakeup() for what a wakeup function
 * may do.
 *
 * Lifetime. usrsctp is initialised once per process, on the first
 * rtc_sctp_new(), with usrsctp_init_nothreads() (no usrsctp threads), and
 * is never finished: instances come and go independently, and a final
 * usrsctp_finish() would race with the timers of sockets that are still
 * being torn down. Each instance registers its own AF_CONN address, a
 * never-reused token rather than its pointer, so a late packet for a freed
 * instance is dropped instead of reaching a new one at the same address.
 * Nothing else in the process may call usrsctp_init(): usrsctp has one
 * packet output function for the whole process, and a second init resets
 * the whole stack (so gst-plugins-bad's sctpenc/sctpdec, which webrtcbin
 * uses, cannot run in the same process as this core).
 */

#pragma once

#include <glib.h>

#include "rtcoutput.h"

G_BEGIN_DECLS

typedef struct _RtcSctp RtcSctp;

typedef enum
{
  RTC_SCTP_STATE_NEW,
  RTC_SCTP_STATE_CONNECTING,    /* INIT sent (rtc_sctp_start) */
  RTC_SCTP_STATE_CONNECTED,
  RTC_SCTP_STATE_CLOSING,       /* rtc_sctp_close() called */
  RTC_SCTP_STATE_CLOSED,
} RtcSctpState;

typedef enum
{
  /* The association is up (SCTP_COMM_UP); messages flow. */
  RTC_SCTP_EVENT_CONNECTED,
  /* The association is gone. out.error is NULL after a graceful shutdown
   * (ours or the peer's) and says why otherwise: ABORTED (the peer sent
   * ABORT), TIMEOUT (peer unreachable: retransmission limit, or no answer
   * to INIT), FAILED (usrsctp aborted on a protocol violation). Messages
   * still queued are dropped. Emitted once; no event follows. */
  RTC_SCTP_EVENT_CLOSED,
  /* out.stream: the peer reset its outgoing stream (our incoming stream)
   * - RFC 8831 section 6.7: the peer closed that data channel. Nothing
   * more arrives on it. To finish closing, reset our side as well with
   * rtc_sctp_reset_stream() unless that was already done. */
  RTC_SCTP_EVENT_STREAM_RESET,
  /* out.stream: the peer acknowledged the reset of our outgoing stream
   * (rtc_sctp_reset_stream), or out.error says it was refused. */
  RTC_SCTP_EVENT_STREAM_RESET_DONE,
  /* out.stream: the buffered amount of that stream went down; read it
   * with rtc_sctp_get_buffered_amount(). Coalesced: one event covers every
   * decrease since the stream's previous one; it comes after the other
   * output that was pending. */
  RTC_SCTP_EVENT_BUFFERED_AMOUNT,
  /* out.stream, out.ppid: a queued message was dropped before usrsctp took
   * it: its stream is beyond the streams the peer accepted (known only
   * once CONNECTED), or usrsctp refused it; out.error says why. Messages
   * abandoned on purpose by partial reliability are not reported, nor are
   * messages lost with the association (CLOSED covers those). */
  RTC_SCTP_EVENT_SEND_FAILED,
  /* out.stream, out.ppid: an incoming message was larger than
   * max_receive_message_size and was dropped; out.error says so. */
  RTC_SCTP_EVENT_RECEIVE_TOO_LARGE,
} RtcSctpEvent;

#define RTC_SCTP_ERROR (rtc_sctp_error_quark ())

typedef enum
{
  RTC_SCTP_ERROR_FAILED,        /* usrsctp refused; the message says how */
  RTC_SCTP_ERROR_INVALID_ARGUMENT,
  RTC_SCTP_ERROR_MESSAGE_TOO_LARGE,
  RTC_SCTP_ERROR_CLOSED,        /* closing or closed */
  RTC_SCTP_ERROR_ABORTED,       /* the peer sent ABORT */
  RTC_SCTP_ERROR_TIMEOUT,       /* peer unreachable */
  RTC_SCTP_ERROR_REFUSED,       /* e.g. the peer denied a stream reset */
} RtcSctpError;

/* Payload protocol identifiers (RFC 8831 section 8, RFC 8832) are the
 * data channel layer's business (RtcSctpPpid in rtcdcep.h); this core
 * passes any value through. */

/* a=sctp-port default (RFC 8841 section 5). */
#define RTC_SCTP_DEFAULT_PORT 5000
/* RFC 8841 section 6: a=max-message-size absent means 64K. */
#define RTC_SCTP_DEFAULT_REMOTE_MAX_MESSAGE_SIZE 65536
/* a=max-message-size:0 means "any size". */
#define RTC_SCTP_MAX_MESSAGE_SIZE_UNLIMITED G_MAXSIZE
/* What we accept (and what the element should advertise), as Chromium
 * and Firefox do. */
#define RTC_SCTP_DEFAULT_MAX_RECEIVE_MESSAGE_SIZE 262144
/* RFC 8831 section 6.2: negotiate 65535 streams in each direction. */
#define RTC_SCTP_DEFAULT_MAX_STREAMS 65535
/* Largest SCTP packet: a DTLS record of it must fit a 1280-byte IPv6
 * path with UDP and a TURN channel header, as libwebrtc reckons
 * (1280 - 40 - 8 - 4 - 37 DTLS overhead = 1191); RFC 8261 section 5 asks
 * for a safe value without path MTU discovery. */
#define RTC_SCTP_DEFAULT_MTU 1191
/* One DTLS record (RFC 6347 section 4.1: 2^14 bytes of plaintext). */
#define RTC_SCTP_MAX_PATH_MTU 16384
/* usrsctp's 256 KiB default is too small for real round-trip times
 * (libdatachannel and webrtcbin use 1 MiB). */
#define RTC_SCTP_DEFAULT_BUFFER_SIZE (1024 * 1024)

/* Zero means "default" for every field. */
typedef struct
{
  guint16 local_port;           /* our a=sctp-port */
  guint16 remote_port;          /* the peer's a=sctp-port */
  /* The peer's a=max-message-size: larger sends are refused with
   * RTC_SCTP_ERROR_MESSAGE_TOO_LARGE. 0 = attribute absent (64K); pass
   * RTC_SCTP_MAX_MESSAGE_SIZE_UNLIMITED for the SDP value 0. */
  gsize max_message_size;
  /* Incoming messages above this are dropped with a
   * RECEIVE_TOO_LARGE event, so a peer cannot make us buffer without
   * bound. */
  gsize max_receive_message_size;
  /* Streams we ask for in each direction (SCTP INIT); the association
   * uses the smaller of ours and the peer's. */
  guint16 max_streams;
  /* Largest SCTP packet we emit (576..65535). Each goes in one DTLS
   * record, so rtc_dtls_get_max_send_size() keeps the datagrams within
   * the DTLS MTU. */
  guint mtu;
  /* Path MTU discovery (RFC 8899, rtcplpmtud.h): the largest SCTP packet
   * it may reach, at most 16384 (one DTLS record). 0 = no discovery: every
   * packet stays within @mtu. */
  guint max_mtu;
  /* The peer skips SCTP PAD chunks (RFC 4820) as it should: path MTU
   * probes may then be a HEARTBEAT plus a PAD chunk, answered by a small
   * HEARTBEAT ACK. Set it only for a peer that said so (one of ours, by
   * a=x-rtcpeer-sctp-max-packet): some stacks abort the association on a
   * chunk type they do not know. FALSE: every probe carries its padding
   * inside the HEARTBEAT's own information, which any peer echoes back
   * (rtcplpmtud.h), unless the peer's INIT ACK shows KAME's SCTP code
   * (usrsctp), which skips PAD chunks and would not answer the large
   * heartbeats. */
  gboolean peer_understands_pad;
  /* The owner advances usrsctp's timer wheel for every association in
   * the process with rtc_sctp_handle_timeout_global() (see "Time"). */
  gboolean shared_clock;
  guint send_buffer_size;       /* usrsctp SO_SNDBUF */
  guint receive_buffer_size;    /* usrsctp SO_RCVBUF (our receive window) */
} RtcSctpConfig;

/* RTCDataChannelInit's ordered / maxRetransmits / maxPacketLifeTime
 * (W3C webrtc-pc), which are exclusive. Zero-initialised = ordered and
 * reliable; NULL options mean the same. */
typedef enum
{
  RTC_SCTP_RELIABLE = 0,
  /* pr_value = maxRetransmits (RFC 3758 with usrsctp's SCTP_PR_SCTP_RTX
   * policy; 0 = transmit once). */
  RTC_SCTP_PARTIAL_RELIABLE_REXMIT,
  /* pr_value = maxPacketLifeTime in milliseconds (SCTP_PR_SCTP_TTL),
   * counted from when usrsctp takes the message, not from
   * rtc_sctp_send(); 0 means "transmit once", as REXMIT 0. */
  RTC_SCTP_PARTIAL_RELIABLE_TIMED,
} RtcSctpReliability;

typedef struct
{
  gboolean unordered;
  RtcSctpReliability reliability;
  guint32 pr_value;
} RtcSctpSendOptions;

GQuark             rtc_sctp_error_quark (void);

/* Creates the socket (nothing is sent until rtc_sctp_start). Fails only
 * for an invalid configuration or if usrsctp refuses a socket option. */
RtcSctp *          rtc_sctp_new (const RtcSctpConfig * cfg, GError ** error);
/* Aborts the association if it is still up (the ABORT is not sent: the
 * owner stops polling). Output produced for the instance after this by
 * other threads is dropped. Must not be called from a wakeup function. */
void               rtc_sctp_free (RtcSctp * sctp);

/* Called when output was queued on @sctp while its owner was not inside a
 * call on it (or had already drained it): the owner should call
 * rtc_sctp_poll_output() until it returns FALSE, from its own thread or
 * under its lock as usual. Called at most once until the owner next polls.
 *
 * It runs on the thread of whatever rtc_sctp_* call (on any instance, or
 * rtc_sctp_handle_timers_global) made the output, at the end of that call:
 * after usrsctp returned, with no rtcsctp lock held except a read lock that
 * rtc_sctp_free() and rtc_sctp_new() wait for. So it must not call
 * rtc_sctp_free() or rtc_sctp_new(), and must not wait for a thread that
 * may be inside either. It should be quick and should not block at all:
 * attach an idle GSource to the owner's GMainContext, signal a condition,
 * or set an atomic flag. (Invoking on the owner's main context is not a
 * good choice: on the context's own thread GLib runs the function at once,
 * inside the other owner's call, taking the owner's lock there; that lock
 * order is then the caller's problem.) After rtc_sctp_free() returns it is
 * not called any more. Set it before rtc_sctp_start(); NULL to unset. */
void               rtc_sctp_set_wakeup (RtcSctp * sctp,
                                        void (*wakeup) (gpointer user_data),
                                        gpointer user_data);

/* Sends INIT. Both peers start: there are no client and server roles, and
 * two INITs crossing is the normal case (RFC 8841 section 9.3, RFC 4960
 * section 5.2.1). A packet handled before start starts the instance
 * first, so our INIT is always out before the peer's is answered. */
void               rtc_sctp_start (RtcSctp * sctp, guint64 now_us);
/* @data is one SCTP packet (one DTLS record), only read during the call.
 * Anything that is not a valid packet for this association is dropped:
 * the checksum is checked here, then the chunks are screened
 * (rtcsctp-screen.h: malformed chunks and parameters, a second INIT, the
 * chunks of extensions the association does not use never reach
 * usrsctp), and usrsctp checks the rest (verification tag, sequence). */
void               rtc_sctp_handle_packet (RtcSctp * sctp, guint64 now_us,
                                           const guint8 * data, gsize len);
/* Advances the process-wide usrsctp timers to @now_us (see "Time") and
 * then processes this instance. */
void               rtc_sctp_handle_timeout (RtcSctp * sctp, guint64 now_us);
/* Advances the process-wide usrsctp timers by @elapsed_ms without any
 * instance; output for instances appears through their wakeups. Also
 * moves the clock handle_timeout() measures from, so the two may be
 * mixed as long as they describe the same time. Any thread. */
void               rtc_sctp_handle_timers_global (guint elapsed_ms);
/* The same to the absolute time @now_us, on the clock given to the
 * instances. Any thread. */
void               rtc_sctp_handle_timeout_global (guint64 now_us);

/* Queues one message on @stream. Never blocks and never drops a reliable
 * message: what usrsctp cannot take now (its send buffer is full) stays
 * queued here, in order, and goes out as acknowledgements make room.
 * Messages on one stream stay in order whatever their options. Before
 * CONNECTED messages are kept until the association is up.
 * Fails with MESSAGE_TOO_LARGE above the peer's max_message_size,
 * INVALID_ARGUMENT for an empty message (SCTP cannot send one: RFC 8831
 * section 6.6 sends PPID 56/57 with one byte instead; the caller does
 * that) or a stream beyond the association's, CLOSED after
 * rtc_sctp_close() or the end of the association. @data is copied. */
gboolean           rtc_sctp_send (RtcSctp * sctp, guint16 stream,
                                  guint32 ppid, const guint8 * data,
                                  gsize len,
                                  const RtcSctpSendOptions * opts,
                                  GError ** error);
/* W3C bufferedAmount for @stream: bytes of messages given to
 * rtc_sctp_send() that have not yet been transmitted once. That is what
 * waits in our queue plus what usrsctp holds but has not put in a packet
 * yet (counted from the DATA chunks of the packets we emit, and from
 * usrsctp's reports of messages abandoned unsent). Bytes in flight that
 * await acknowledgement do not count. It goes down with a
 * BUFFERED_AMOUNT event; it is not reset when the association ends. */
gsize              rtc_sctp_get_buffered_amount (RtcSctp * sctp,
                                                 guint16 stream);
/* RFC 8831 section 6.7: closes our side of a data channel by resetting
 * the outgoing stream (RFC 6525). Messages queued on the stream before
 * are sent first. Completion is reported with STREAM_RESET_DONE. A reset
 * of a stream whose reset is still pending is ignored. FALSE with an error
 * when closed or for a stream beyond the association's. */
gboolean           rtc_sctp_reset_stream (RtcSctp * sctp, guint16 stream,
                                          GError ** error);
/* Graceful shutdown (SCTP SHUTDOWN, RFC 4960 section 9.2) once every
 * queued message has been handed to usrsctp and sent; CLOSED follows.
 * Later sends fail. Before start, or when closed, the state just becomes
 * CLOSED (no event). */
void               rtc_sctp_close (RtcSctp * sctp);

/* TRUE with a TRANSMIT, RECEIVE or EVENT output; FALSE once nothing is
 * pending, with @out set to the TIMEOUT output. Data is borrowed and
 * valid until the next call on @sctp. */
gboolean           rtc_sctp_poll_output (RtcSctp * sctp, RtcOutput * out);

RtcSctpState       rtc_sctp_get_state (RtcSctp * sctp);
/* Streams usable for sending once CONNECTED (min of both sides' INIT);
 * 0 before. */
guint              rtc_sctp_get_outbound_streams (RtcSctp * sctp);
/* The peer's limit in bytes as configured (see max_message_size). */
gsize              rtc_sctp_get_max_message_size (RtcSctp * sctp);
/* The largest SCTP packet the association sends now: the configured mtu,
 * or what path MTU discovery found. */
guint              rtc_sctp_get_path_mtu (RtcSctp * sctp);

const gchar *      rtc_sctp_state_name (RtcSctpState state);
const gchar *      rtc_sctp_event_name (RtcSctpEvent event);

G_END_DECLS
