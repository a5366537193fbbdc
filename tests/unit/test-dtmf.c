/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The DTMF core (rtcdtmf.c): W3C tone rules, RFC 4733 packets driven by
 * audio packet timestamps, and the receiver that turns them back into
 * tones once each. */

#include <string.h>

#include "rtcdtmf.h"

#define RATE 48000
#define FRAME 960               /* 20 ms of Opus */
#define PT 101

typedef struct
{
  GString *changes;             /* tone changes, "" written as '|' */
  GString *received;            /* "<tone>:<ms> " per ended tone */
  GString *starts;
  guint replaced, markers, ends;
  RtcDtmfReceiver rx;
} Run;

static void
run_init (Run * r)
{
  memset (r, 0, sizeof (*r));
  r->changes = g_string_new (NULL);
  r->received = g_string_new (NULL);
  r->starts = g_string_new (NULL);
  rtc_dtmf_receiver_init (&r->rx);
}

static void
run_clear (Run * r)
{
  g_string_free (r->changes, TRUE);
  g_string_free (r->received, TRUE);
  g_string_free (r->starts, TRUE);
}

/* @n audio packets from @ts on through the sender, what it sends fed to
 * a receiver. */
static guint32
feed (RtcDtmfSender * s, Run * r, guint32 ts, guint n)
{
  guint i, k;

  for (i = 0; i < n; i++, ts += FRAME) {
    RtcDtmfSendOutput out;
    RtcDtmfEvent ev[2];
    guint got;

    rtc_dtmf_sender_packet (s, ts, &out);
    if (out.tone_change)
      g_string_append_c (r->changes, out.tone[0] ? out.tone[0] : '|');
    if (!out.replace)
      continue;
    r->replaced++;
    g_assert_cmpuint (out.pt, ==, PT);
    /* an event's timestamp is never after the packet it replaces */
    g_assert_cmpint ((gint32) (ts - out.timestamp), >=, 0);
    g_assert_cmpuint ((out.payload[2] << 8) | out.payload[3], >, 0);
    g_assert_cmpuint (out.payload[1] & 0x3f, ==, 10);
    r->markers += out.marker;
    r->ends += (out.payload[1] & 0x80) != 0;
    got = rtc_dtmf_receiver_packet (&r->rx, out.payload, sizeof out.payload,
        out.marker, out.timestamp, RATE, ev);
    for (k = 0; k < got; k++) {
      if (ev[k].kind == RTC_DTMF_EVENT_START)
        g_string_append_c (r->starts, ev[k].tone);
      else
        g_string_append_printf (r->received, "%c:%u ", ev[k].tone,
            ev[k].duration);
    }
  }
  return ts;
}

static void
test_normalize (void)
{
  gchar *t;

  t = rtc_dtmf_tones_normalize ("0123456789abcdABCD*#,");
  g_assert_cmpstr (t, ==, "0123456789ABCDABCD*#,");
  g_free (t);
  t = rtc_dtmf_tones_normalize ("");
  g_assert_cmpstr (t, ==, "");
  g_free (t);
  g_assert_null (rtc_dtmf_tones_normalize ("12E"));
  g_assert_null (rtc_dtmf_tones_normalize ("1 2"));
  g_assert_null (rtc_dtmf_tones_normalize ("1;"));
  g_assert_null (rtc_dtmf_tones_normalize (NULL));
  g_assert_cmpint (rtc_dtmf_tone_to_event ('*'), ==, 10);
  g_assert_cmpint (rtc_dtmf_tone_to_event ('#'), ==, 11);
  g_assert_cmpint (rtc_dtmf_tone_to_event ('D'), ==, 15);
  g_assert_cmpint (rtc_dtmf_tone_to_event ('E'), ==, -1);
  g_assert_cmpint (rtc_dtmf_event_to_tone (12), ==, 'A');
  g_assert_cmpint (rtc_dtmf_event_to_tone (16), ==, 0);
}

/* "12#" at 100 ms, gap 70 ms: each tone is 5 packets (100 ms of 20 ms
 * audio) and 3 end packets, the receiver hears each once with its
 * duration, tonechange goes 1, 2, #, "". */
static void
test_send_receive (void)
{
  RtcDtmfSender *s = rtc_dtmf_sender_new ();
  Run r;
  guint32 ts;

  run_init (&r);
  ts = feed (s, &r, 1000, 10);
  g_assert_cmpuint (r.replaced, ==, 0);
  g_assert_false (rtc_dtmf_sender_busy (s));

  rtc_dtmf_sender_insert (s, "12#", 100, 70, PT, RATE);
  g_assert_cmpstr (rtc_dtmf_sender_tone_buffer (s), ==, "12#");
  g_assert_true (rtc_dtmf_sender_busy (s));
  feed (s, &r, ts, 100);
  g_assert_cmpstr (r.changes->str, ==, "12#|");
  g_assert_cmpstr (r.starts->str, ==, "12#");
  g_assert_cmpstr (r.received->str, ==, "1:100 2:100 #:100 ");
  g_assert_cmpuint (r.replaced, ==, 3 * (5 + RTC_DTMF_END_PACKETS));
  g_assert_cmpuint (r.markers, ==, 3);
  g_assert_cmpuint (r.ends, ==, 3 * RTC_DTMF_END_PACKETS);
  g_assert_cmpstr (rtc_dtmf_sender_tone_buffer (s), ==, "");
  g_assert_false (rtc_dtmf_sender_busy (s));

  rtc_dtmf_sender_free (s);
  run_clear (&r);
}

/* The gap between two tones: from the end of one to the start of the
 * next, at least the gap asked for (and 30 ms when asked for less). */
static void
test_gap_and_clamp (void)
{
  RtcDtmfSender *s = rtc_dtmf_sender_new ();
  RtcDtmfSendOutput out;
  guint32 ts = 0, first = 0, second = 0;
  guint i, n_first = 0;

  /* 10 ms is clamped to 40, a 0 ms gap to 30 */
  rtc_dtmf_sender_insert (s, "55", 10, 0, PT, RATE);
  for (i = 0; i < 50; i++, ts += FRAME) {
    rtc_dtmf_sender_packet (s, ts, &out);
    if (out.replace && out.marker) {
      if (n_first++ == 0)
        first = ts;
      else
        second = ts;
    }
  }
  g_assert_cmpuint (n_first, ==, 2);
  /* 40 ms tone + 30 ms gap = 70 ms, rounded up to the next 20 ms packet;
   * the three end packets take 60 ms of it: 40 + 60 = 100 ms */
  g_assert_cmpuint (second - first, ==, 5 * FRAME);

  /* 7 s is clamped to 6 s: 300 packets, in segments of at most 0xffff */
  rtc_dtmf_sender_insert (s, "7", 7000, 100, PT, RATE);
  {
    Run r;
    guint32 seg_ts = 0;
    guint segments = 0;

    run_init (&r);
    for (i = 0; i < 400; i++, ts += FRAME) {
      RtcDtmfEvent ev[2];
      guint k, got;

      rtc_dtmf_sender_packet (s, ts, &out);
      if (!out.replace)
        continue;
      if (segments == 0 || out.timestamp != seg_ts) {
        segments++;
        seg_ts = out.timestamp;
      }
      got = rtc_dtmf_receiver_packet (&r.rx, out.payload, 4, out.marker,
          out.timestamp, RATE, ev);
      for (k = 0; k < got; k++) {
        if (ev[k].kind == RTC_DTMF_EVENT_START)
          g_string_append_c (r.starts, ev[k].tone);
        else
          g_string_append_printf (r.received, "%c:%u ", ev[k].tone,
              ev[k].duration);
      }
    }
    /* 288000 clock units: 5 segments (4 of ~65535 and the rest) */
    g_assert_cmpuint (segments, ==, 5);
    g_assert_cmpstr (r.starts->str, ==, "7");
    g_assert_cmpstr (r.received->str, ==, "7:6000 ");
    run_clear (&r);
  }
  rtc_dtmf_sender_free (s);
}

/* ',' pauses two seconds; inserting again replaces what was not played
 * yet, the tone playing finishes; "" clears. */
static void
test_comma_and_replace (void)
{
  RtcDtmfSender *s = rtc_dtmf_sender_new ();
  Run r;
  guint32 ts = 0xffffff00;      /* across the timestamp wrap */
  guint before;

  run_init (&r);
  rtc_dtmf_sender_insert (s, "1,2", 100, 70, PT, RATE);
  ts = feed (s, &r, ts, 20);
  g_assert_cmpstr (r.changes->str, ==, "1,");
  /* the pause: 2 s = 100 packets, nothing replaced */
  before = r.replaced;
  ts = feed (s, &r, ts, 85);
  g_assert_cmpuint (r.replaced, ==, before);
  ts = feed (s, &r, ts, 40);
  g_assert_cmpstr (r.changes->str, ==, "1,2|");
  g_assert_cmpstr (r.received->str, ==, "1:100 2:100 ");

  g_string_truncate (r.changes, 0);
  g_string_truncate (r.received, 0);
  rtc_dtmf_sender_insert (s, "345", 100, 70, PT, RATE);
  ts = feed (s, &r, ts, 2);
  rtc_dtmf_sender_insert (s, "9", 100, 70, PT, RATE);
  ts = feed (s, &r, ts, 40);
  g_assert_cmpstr (r.changes->str, ==, "39|");
  g_assert_cmpstr (r.received->str, ==, "3:100 9:100 ");

  g_string_truncate (r.changes, 0);
  rtc_dtmf_sender_insert (s, "66", 100, 70, PT, RATE);
  ts = feed (s, &r, ts, 1);
  rtc_dtmf_sender_insert (s, "", 100, 70, PT, RATE);
  feed (s, &r, ts, 40);
  g_assert_cmpstr (r.changes->str, ==, "6|");

  rtc_dtmf_sender_free (s);
  run_clear (&r);
}

/* A stream's first tone waits for two audio packets: the receiver makes
 * its track from the audio. */
static void
test_audio_first (void)
{
  RtcDtmfSender *s = rtc_dtmf_sender_new ();
  RtcDtmfSendOutput out;
  guint32 ts = 5000;
  guint i;

  rtc_dtmf_sender_insert (s, "8", 100, 70, PT, RATE);
  for (i = 0; i < RTC_DTMF_LEAD_PACKETS; i++, ts += FRAME) {
    rtc_dtmf_sender_packet (s, ts, &out);
    g_assert_false (out.replace);
    g_assert_false (out.tone_change);
  }
  rtc_dtmf_sender_packet (s, ts, &out);
  g_assert_true (out.replace);
  g_assert_true (out.marker);
  g_assert_cmpuint (out.timestamp, ==, ts);
  g_assert_cmpint (out.tone[0], ==, '8');
  rtc_dtmf_sender_free (s);
}

static void
packet (guint8 p[4], guint event, gboolean end, guint duration)
{
  p[0] = event;
  p[1] = (end ? 0x80 : 0) | 10;
  p[2] = duration >> 8;
  p[3] = duration & 0xff;
}

/* What a receiver meets: a lost first packet, lost end packets, repeats,
 * late packets of the previous event, junk. */
static void
test_receiver_losses (void)
{
  RtcDtmfReceiver rx;
  RtcDtmfEvent ev[2];
  guint8 p[4];

  rtc_dtmf_receiver_init (&rx);
  /* the first packet lost: the second starts the tone */
  packet (p, 1, FALSE, 320);
  g_assert_cmpuint (rtc_dtmf_receiver_packet (&rx, p, 4, FALSE, 8000, 8000,
          ev), ==, 1);
  g_assert_cmpint (ev[0].kind, ==, RTC_DTMF_EVENT_START);
  g_assert_cmpint (ev[0].tone, ==, '1');
  /* every packet before the end lost: the end alone still ends it */
  packet (p, 1, TRUE, 800);
  g_assert_cmpuint (rtc_dtmf_receiver_packet (&rx, p, 4, FALSE, 8000, 8000,
          ev), ==, 1);
  g_assert_cmpint (ev[0].kind, ==, RTC_DTMF_EVENT_END);
  g_assert_cmpuint (ev[0].duration, ==, 100);
  /* its repeats: nothing */
  g_assert_cmpuint (rtc_dtmf_receiver_packet (&rx, p, 4, FALSE, 8000, 8000,
          ev), ==, 0);
  /* a late packet of an older event: nothing */
  packet (p, 4, FALSE, 160);
  g_assert_cmpuint (rtc_dtmf_receiver_packet (&rx, p, 4, TRUE, 7000, 8000,
          ev), ==, 0);
  /* only the end packet of the next tone arrives: start and end */
  packet (p, 11, TRUE, 400);
  g_assert_cmpuint (rtc_dtmf_receiver_packet (&rx, p, 4, FALSE, 9000, 8000,
          ev), ==, 2);
  g_assert_cmpint (ev[0].tone, ==, '#');
  g_assert_cmpint (ev[1].kind, ==, RTC_DTMF_EVENT_END);
  g_assert_cmpuint (ev[1].duration, ==, 50);
  /* short payloads and events that are not DTMF: nothing */
  g_assert_cmpuint (rtc_dtmf_receiver_packet (&rx, p, 3, TRUE, 10000, 8000,
          ev), ==, 0);
  packet (p, 32, FALSE, 160);
  g_assert_cmpuint (rtc_dtmf_receiver_packet (&rx, p, 4, TRUE, 10000, 8000,
          ev), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dtmf/normalize", test_normalize);
  g_test_add_func ("/dtmf/send-receive", test_send_receive);
  g_test_add_func ("/dtmf/gap-and-clamp", test_gap_and_clamp);
  g_test_add_func ("/dtmf/comma-and-replace", test_comma_and_replace);
  g_test_add_func ("/dtmf/audio-first", test_audio_first);
  g_test_add_func ("/dtmf/receiver-losses", test_receiver_losses);
  return g_test_run ();
}
