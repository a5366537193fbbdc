/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* DTMF as RTP events (https://www.rfc-editor.org/rfc/rfc4733), with the
 * W3C RTCDTMFSender rules (https://www.w3.org/TR/webrtc/#rtcdtmfsender).
 *
 * Sending is driven by the audio packets of the stream the tones belong
 * to: while a tone plays, each outgoing audio packet is replaced by an
 * event packet (same SSRC and sequence number, so the stream stays
 * continuous; the payload type and the event's timestamp change). The
 * event timestamp is the RTP timestamp of the first replaced packet, so
 * the telephone-event clock rate must be the audio codec's. Time is the
 * audio packets' RTP timestamps: no clock, no timer.
 *
 * Receiving turns event packets into tone starts and ends, once each,
 * whatever the retransmissions of the end packet. */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RTC_DTMF_MIN_DURATION 40        /* ms */
#define RTC_DTMF_MAX_DURATION 6000
#define RTC_DTMF_DEFAULT_DURATION 100
#define RTC_DTMF_MIN_GAP 30
#define RTC_DTMF_DEFAULT_GAP 70
#define RTC_DTMF_COMMA_PAUSE 2000
/* RFC 4733 section 2.5.1.4: the end packet is sent three times. */
#define RTC_DTMF_END_PACKETS 3
#define RTC_DTMF_PAYLOAD_SIZE 4
/* Audio packets a stream sends before its first tone: a receiver creates
 * its track from the audio, and ties the events to that track. */
#define RTC_DTMF_LEAD_PACKETS 2

typedef struct _RtcDtmfSender RtcDtmfSender;

/* The uppercase copy of @tones when every character is one of
 * "0123456789ABCD#*," in either case (W3C insertDTMF), else NULL. g_free. */
gchar        *rtc_dtmf_tones_normalize (const gchar * tones);
/* The RFC 4733 event code of a tone character (uppercase), -1 if none. */
gint          rtc_dtmf_tone_to_event (gchar tone);
/* The tone character of an event code 0..15, 0 for others. */
gchar         rtc_dtmf_event_to_tone (guint event);

RtcDtmfSender *rtc_dtmf_sender_new  (void);
void           rtc_dtmf_sender_free (RtcDtmfSender * sender);

/* Replaces the tones still to play (a tone playing finishes first), as
 * insertDTMF does. @tones must be normalized; @duration and @gap (ms) are
 * clamped to the W3C limits. @pt and @clock_rate are the telephone-event
 * format to send with, which must share the audio codec's clock rate. */
void           rtc_dtmf_sender_insert (RtcDtmfSender * sender,
                                       const gchar * tones, guint duration,
                                       guint gap, guint pt, guint clock_rate);
/* The tones not started yet (W3C toneBuffer). */
const gchar   *rtc_dtmf_sender_tone_buffer (RtcDtmfSender * sender);
/* Whether a tone, gap or pause is in progress or tones are queued. */
gboolean       rtc_dtmf_sender_busy (RtcDtmfSender * sender);

typedef struct
{
  /* the packet is to be replaced by an event packet with these */
  gboolean replace;
  guint pt;
  gboolean marker;
  guint32 timestamp;
  guint8 payload[RTC_DTMF_PAYLOAD_SIZE];
  /* a tone started (its character, ',' for a pause), or the buffer ran
   * out ("") after the last one: W3C tonechange */
  gboolean tone_change;
  gchar tone[2];
} RtcDtmfSendOutput;

/* One outgoing audio packet with RTP timestamp @rtp_ts. */
void           rtc_dtmf_sender_packet (RtcDtmfSender * sender, guint32 rtp_ts,
                                       RtcDtmfSendOutput * out);

typedef struct
{
  guint32 last_ts;              /* the current segment's timestamp */
  gboolean have_last;
  gboolean ended;
  guint event;
  guint32 done;                 /* clock units of the event's earlier segments */
  guint32 last_duration;        /* the current segment's, so far */
} RtcDtmfReceiver;

typedef enum
{
  RTC_DTMF_EVENT_START,
  RTC_DTMF_EVENT_END,
} RtcDtmfEventKind;

typedef struct
{
  RtcDtmfEventKind kind;
  gchar tone;
  guint volume;                 /* -dBm0, 0..63 */
  guint duration;               /* ms, END only */
} RtcDtmfEvent;

void           rtc_dtmf_receiver_init (RtcDtmfReceiver * receiver);
/* One telephone-event packet: its payload, marker bit, RTP timestamp and
 * the format's clock rate. A new timestamp without the marker for the
 * event still playing is the next segment of a long event (RFC 4733
 * section 2.5.2.3), not a new tone. Fills up to 2 events in @events (a start, and an
 * end when the packet ends the event) and returns how many; 0 for
 * repeats, unknown event codes and malformed payloads. */
guint          rtc_dtmf_receiver_packet (RtcDtmfReceiver * receiver,
                                         const guint8 * payload, gsize size,
                                         gboolean marker, guint32 rtp_ts, guint clock_rate,
                                         RtcDtmfEvent events[2]);

G_END_DECLS
