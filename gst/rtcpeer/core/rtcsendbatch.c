/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "rtcsendbatch.h"

#include <string.h>

void
rtc_send_batch_init (RtcSendBatch * b, gsize size, RtcSendBatchFunc send,
    gpointer user_data)
{
  memset (b, 0, sizeof (*b));
  b->size = size;
  b->send = send;
  b->user_data = user_data;
}

void
rtc_send_batch_clear (RtcSendBatch * b)
{
  g_clear_pointer (&b->buf, g_free);
  b->used = 0;
  b->n = 0;
}

guint
rtc_send_batch_flush (RtcSendBatch * b)
{
  guint sent;

  if (b->n == 0)
    return 0;
  sent = b->send (b->user_data, b->d, b->n);
  b->sent += sent;
  b->failed += b->n - sent;
  b->n = 0;
  b->used = 0;
  return sent;
}

guint8 *
rtc_send_batch_reserve (RtcSendBatch * b, gsize max)
{
  if (max > b->size)
    return NULL;
  if (b->n == RTC_SEND_BATCH_MAX || b->used + max > b->size)
    rtc_send_batch_flush (b);
  if (b->buf == NULL)
    b->buf = g_malloc (b->size);
  return b->buf + b->used;
}

void
rtc_send_batch_commit (RtcSendBatch * b, gsize len)
{
  g_assert (b->n < RTC_SEND_BATCH_MAX && b->used + len <= b->size);
  b->d[b->n].data = b->buf + b->used;
  b->d[b->n].len = len;
  b->n++;
  b->used += len;
}

void
rtc_send_batch_add (RtcSendBatch * b, const guint8 * data, gsize len)
{
  guint8 *p = rtc_send_batch_reserve (b, len);

  if (p == NULL) {
    RtcDatagram d = { data, len };
    guint sent;

    rtc_send_batch_flush (b);
    sent = b->send (b->user_data, &d, 1);
    b->sent += sent;
    b->failed += 1 - sent;
    return;
  }
  memcpy (p, data, len);
  rtc_send_batch_commit (b, len);
}
