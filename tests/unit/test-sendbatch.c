/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "rtcsendbatch.h"

#include <string.h>

typedef struct
{
  guint calls;
  guint take;                   /* how many of a call to accept; 0: all */
  GByteArray *wire;             /* every datagram: length byte, bytes */
} Sink;

static guint
sink_send (gpointer user_data, const RtcDatagram * d, guint n)
{
  Sink *s = user_data;
  guint i, k = s->take ? MIN (s->take, n) : n;

  s->calls++;
  for (i = 0; i < k; i++) {
    guint8 len = d[i].len;

    g_byte_array_append (s->wire, &len, 1);
    g_byte_array_append (s->wire, d[i].data, d[i].len);
  }
  return k;
}

static void
test_order_and_bursts (void)
{
  Sink s = { 0, 0, g_byte_array_new () };
  RtcSendBatch b;
  GByteArray *want = g_byte_array_new ();
  guint8 data[200];
  guint i;

  rtc_send_batch_init (&b, 4096, sink_send, &s);
  /* nothing gathered: no call */
  g_assert_cmpuint (rtc_send_batch_flush (&b), ==, 0);
  g_assert_cmpuint (s.calls, ==, 0);
  /* 150 datagrams: the 64-datagram bound and the 4096-byte buffer both
   * make bursts, in order */
  for (i = 0; i < 150; i++) {
    guint8 len = 1 + i % 100;

    memset (data, i, len);
    rtc_send_batch_add (&b, data, len);
    g_byte_array_append (want, &len, 1);
    g_byte_array_append (want, data, len);
  }
  rtc_send_batch_flush (&b);
  g_assert_cmpmem (s.wire->data, s.wire->len, want->data, want->len);
  g_assert_cmpuint (s.calls, >=, 3);
  g_assert_cmpuint (s.calls, <, 150);
  g_assert_cmpuint (b.sent, ==, 150);
  g_assert_cmpuint (b.failed, ==, 0);
  rtc_send_batch_clear (&b);
  g_byte_array_unref (want);
  g_byte_array_unref (s.wire);
}

static void
test_reserve_in_place_and_oversized (void)
{
  Sink s = { 0, 0, g_byte_array_new () };
  RtcSendBatch b;
  guint8 big[300];
  guint8 *p;

  rtc_send_batch_init (&b, 256, sink_send, &s);
  p = rtc_send_batch_reserve (&b, 100);
  g_assert_nonnull (p);
  memcpy (p, "abc", 3);
  rtc_send_batch_commit (&b, 3);
  /* larger than the whole batch: no room to reserve, sent alone after
   * what is gathered */
  g_assert_null (rtc_send_batch_reserve (&b, sizeof (big)));
  memset (big, 'z', sizeof (big));
  big[0] = 'Z';
  rtc_send_batch_add (&b, big, 200);
  rtc_send_batch_add (&b, big, sizeof (big));
  rtc_send_batch_flush (&b);
  g_assert_cmpuint (b.sent, ==, 3);
  g_assert_cmpuint (s.wire->len, ==, (1 + 3) + (1 + 200) + (1 + sizeof (big)));
  g_assert_cmpmem (s.wire->data + 1, 3, "abc", 3);
  rtc_send_batch_clear (&b);
  g_byte_array_unref (s.wire);
}

static void
test_failures_counted (void)
{
  Sink s = { 0, 2, g_byte_array_new () };
  RtcSendBatch b;
  guint i;

  rtc_send_batch_init (&b, 4096, sink_send, &s);
  for (i = 0; i < 5; i++)
    rtc_send_batch_add (&b, (const guint8 *) "x", 1);
  g_assert_cmpuint (rtc_send_batch_flush (&b), ==, 2);
  g_assert_cmpuint (b.sent, ==, 2);
  g_assert_cmpuint (b.failed, ==, 3);
  /* the batch is empty again afterwards */
  g_assert_cmpuint (rtc_send_batch_flush (&b), ==, 0);
  rtc_send_batch_clear (&b);
  g_byte_array_unref (s.wire);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sendbatch/order-and-bursts", test_order_and_bursts);
  g_test_add_func ("/sendbatch/reserve-oversized",
      test_reserve_in_place_and_oversized);
  g_test_add_func ("/sendbatch/failures", test_failures_counted);
  return g_test_run ();
}
