/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "rtcdtmf.h"

#include <string.h>

/* RFC 4733 section 3.2, the DTMF events. */
static const gchar event_tones[] = "0123456789*#ABCD";

/* -10 dBm0: what browsers send. Volume is carried, not rendered. */
#define SEND_VOLUME 10
/* RFC 4733 section 2.5.2.3: the duration field is 16 bits; a longer
 * event goes on in a new segment with a new timestamp. */
#define MAX_SEGMENT 0xffff

gint
rtc_dtmf_tone_to_event (gchar tone)
{
  const gchar *p;

  if (tone == '\0')
    return -1;
  p = strchr (event_tones, tone);
  return p ? (gint) (p - event_tones) : -1;
}

gchar
rtc_dtmf_event_to_tone (guint event)
{
  return event < 16 ? event_tones[event] : '\0';
}

gchar *
rtc_dtmf_tones_normalize (const gchar * tones)
{
  gchar *out;
  gsize i;

  if (tones == NULL)
    return NULL;
  out = g_ascii_strup (tones, -1);
  for (i = 0; out[i]; i++) {
    if (out[i] != ',' && rtc_dtmf_tone_to_event (out[i]) < 0) {
      g_free (out);
      return NULL;
    }
  }
  return out;
}

typedef enum
{
  STATE_IDLE,
  STATE_TONE,
  STATE_END,
  STATE_WAIT,
} SendState;

struct _RtcDtmfSender
{
  GString *buffer;
  guint duration, gap;          /* ms */
  guint pt, clock_rate;
  SendState state;
  guint event;
  guint32 tone_start, seg_start, tone_clock;
  guint32 end_duration;
  guint end_left;
  guint32 wait_until;
  gboolean played;              /* a tone since the last "" */
  guint32 last_ts, frame;
  gboolean have_last;
  guint audio_packets;          /* sent as they were, up to the lead */
};

RtcDtmfSender *
rtc_dtmf_sender_new (void)
{
  RtcDtmfSender *s = g_new0 (RtcDtmfSender, 1);

  s->buffer = g_string_new (NULL);
  s->duration = RTC_DTMF_DEFAULT_DURATION;
  s->gap = RTC_DTMF_DEFAULT_GAP;
  s->clock_rate = 8000;
  s->frame = 160;
  return s;
}

void
rtc_dtmf_sender_free (RtcDtmfSender * sender)
{
  if (sender == NULL)
    return;
  g_string_free (sender->buffer, TRUE);
  g_free (sender);
}

void
rtc_dtmf_sender_insert (RtcDtmfSender * s, const gchar * tones,
    guint duration, guint gap, guint pt, guint clock_rate)
{
  g_string_assign (s->buffer, tones ? tones : "");
  s->duration = CLAMP (duration, RTC_DTMF_MIN_DURATION,
      RTC_DTMF_MAX_DURATION);
  s->gap = MAX (gap, RTC_DTMF_MIN_GAP);
  /* A tone in progress keeps the format it started with. */
  if (s->state == STATE_IDLE || s->state == STATE_WAIT) {
    if (clock_rate != s->clock_rate)
      s->have_last = FALSE;
    s->pt = pt;
    s->clock_rate = clock_rate ? clock_rate : 8000;
    if (!s->have_last)
      s->frame = s->clock_rate / 50;
  }
}

const gchar *
rtc_dtmf_sender_tone_buffer (RtcDtmfSender * s)
{
  return s->buffer->str;
}

gboolean
rtc_dtmf_sender_busy (RtcDtmfSender * s)
{
  return s->state != STATE_IDLE || s->buffer->len > 0 || s->played;
}

static guint32
ms_to_clock (RtcDtmfSender * s, guint ms)
{
  return (guint32) ((guint64) ms * s->clock_rate / 1000);
}

static void
fill_packet (RtcDtmfSender * s, RtcDtmfSendOutput * out, gboolean end,
    guint32 duration)
{
  duration = MIN (duration, MAX_SEGMENT);
  out->replace = TRUE;
  out->pt = s->pt;
  out->timestamp = s->seg_start;
  out->payload[0] = s->event;
  out->payload[1] = (end ? 0x80 : 0) | SEND_VOLUME;
  out->payload[2] = duration >> 8;
  out->payload[3] = duration & 0xff;
}

static void
set_tone_change (RtcDtmfSendOutput * out, gchar tone)
{
  out->tone_change = TRUE;
  out->tone[0] = tone;
  out->tone[1] = '\0';
}

/* Signed distance: RTP timestamps wrap. */
static gboolean
reached (guint32 now, guint32 when)
{
  return (gint32) (now - when) >= 0;
}

void
rtc_dtmf_sender_packet (RtcDtmfSender * s, guint32 ts,
    RtcDtmfSendOutput * out)
{
  memset (out, 0, sizeof (*out));

  /* How much audio one packet holds, for the duration of the event so
   * far including the packet being replaced. */
  if (s->have_last && ts != s->last_ts) {
    guint32 d = ts - s->last_ts;

    if (d < s->clock_rate)
      s->frame = d;
  }
  s->last_ts = ts;
  s->have_last = TRUE;

  switch (s->state) {
    case STATE_WAIT:
      if (!reached (ts, s->wait_until))
        goto audio;
      s->state = STATE_IDLE;
      /* fall through */
    case STATE_IDLE:{
      gchar c;

      if (s->buffer->len == 0) {
        if (s->played)
          set_tone_change (out, '\0');
        s->played = FALSE;
        goto audio;
      }
      /* A receiver learns the stream from its audio; events before any
       * would reach it before it has a track to tie them to. */
      if (s->audio_packets < RTC_DTMF_LEAD_PACKETS) {
        s->audio_packets++;
        return;
      }
      c = s->buffer->str[0];
      g_string_erase (s->buffer, 0, 1);
      s->played = TRUE;
      set_tone_change (out, c);
      if (c == ',') {
        s->wait_until = ts + ms_to_clock (s, RTC_DTMF_COMMA_PAUSE);
        s->state = STATE_WAIT;
        goto audio;
      }
      s->event = rtc_dtmf_tone_to_event (c);
      s->tone_start = s->seg_start = ts;
      s->tone_clock = ms_to_clock (s, s->duration);
      s->state = STATE_TONE;
      /* RFC 4733 section 2.5.1.2: the first packet of an event */
      out->marker = TRUE;
      fill_packet (s, out, FALSE, s->frame);
      return;
    }
    case STATE_TONE:
      if (reached (ts, s->tone_start + s->tone_clock)) {
        s->end_duration = s->tone_start + s->tone_clock - s->seg_start;
        fill_packet (s, out, TRUE, s->end_duration);
        s->end_left = RTC_DTMF_END_PACKETS - 1;
        s->wait_until = s->tone_start + s->tone_clock +
            ms_to_clock (s, s->gap);
        s->state = STATE_END;
        return;
      }
      if ((guint64) (ts - s->seg_start) + s->frame > MAX_SEGMENT)
        s->seg_start = ts;
      fill_packet (s, out, FALSE, MIN (ts - s->seg_start + s->frame,
              s->tone_start + s->tone_clock - s->seg_start));
      return;
    case STATE_END:
      fill_packet (s, out, TRUE, s->end_duration);
      if (--s->end_left == 0)
        s->state = STATE_WAIT;
      return;
  }
  return;

audio:
  if (s->audio_packets < RTC_DTMF_LEAD_PACKETS)
    s->audio_packets++;
}

void
rtc_dtmf_receiver_init (RtcDtmfReceiver * r)
{
  memset (r, 0, sizeof (*r));
}

static guint
clock_to_ms (guint32 clock, guint clock_rate)
{
  return clock_rate ? (guint) ((guint64) clock * 1000 / clock_rate) : 0;
}

guint
rtc_dtmf_receiver_packet (RtcDtmfReceiver * r, const guint8 * payload,
    gsize size, gboolean marker, guint32 ts, guint clock_rate,
    RtcDtmfEvent events[2])
{
  guint event, n = 0;
  gboolean end;
  guint32 duration;
  gchar tone;

  if (payload == NULL || size < RTC_DTMF_PAYLOAD_SIZE)
    return 0;
  event = payload[0];
  end = (payload[1] & 0x80) != 0;
  duration = (payload[2] << 8) | payload[3];
  tone = rtc_dtmf_event_to_tone (event);
  if (tone == '\0')
    return 0;

  if (!r->have_last || ts != r->last_ts) {
    /* Older than the event we have: a late retransmission. */
    if (r->have_last && (gint32) (ts - r->last_ts) < 0)
      return 0;
    if (r->have_last && !r->ended && !marker && event == r->event) {
      /* the next segment of a long event */
      r->done += r->last_duration;
    } else {
      r->done = 0;
      r->event = event;
      r->ended = FALSE;
      events[n].kind = RTC_DTMF_EVENT_START;
      events[n].tone = tone;
      events[n].volume = payload[1] & 0x3f;
      events[n].duration = 0;
      n++;
    }
    r->last_ts = ts;
    r->have_last = TRUE;
    r->last_duration = 0;
  } else if (r->ended || event != r->event) {
    return 0;
  }
  r->last_duration = MAX (r->last_duration, duration);

  if (end) {
    r->ended = TRUE;
    events[n].kind = RTC_DTMF_EVENT_END;
    events[n].tone = tone;
    events[n].volume = payload[1] & 0x3f;
    events[n].duration = clock_to_ms (r->done + r->last_duration, clock_rate);
    n++;
  }
  return n;
}
