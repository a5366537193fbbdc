/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Datagrams gathered so that a burst (a DTLS flight, the SCTP packets of
 * one drain, the RTP packets of a buffer list) leaves in one system call
 * instead of one each. The owner serialises calls (it holds the lock of
 * what it batches). The buffer is allocated at the first datagram and
 * only the pages a burst touches become resident. */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const guint8 *data;
  gsize len;
} RtcDatagram;

/* Sends @n datagrams in order; returns how many went out. */
typedef guint (*RtcSendBatchFunc) (gpointer user_data,
    const RtcDatagram * dgrams, guint n);

#define RTC_SEND_BATCH_MAX 64

typedef struct
{
  RtcSendBatchFunc send;
  gpointer user_data;
  guint8 *buf;
  gsize size, used;
  RtcDatagram d[RTC_SEND_BATCH_MAX];
  guint n;
  guint64 sent, failed;         /* datagrams, since init */
} RtcSendBatch;

void     rtc_send_batch_init (RtcSendBatch * batch, gsize size,
                              RtcSendBatchFunc send, gpointer user_data);
void     rtc_send_batch_clear (RtcSendBatch * batch);
/* Room for a datagram of up to @max bytes at the end of the batch,
 * flushing first if it is full; NULL when @max exceeds the batch size.
 * Write it there, then rtc_send_batch_commit() its real length. */
guint8  *rtc_send_batch_reserve (RtcSendBatch * batch, gsize max);
void     rtc_send_batch_commit (RtcSendBatch * batch, gsize len);
/* Copies one datagram in; one larger than the batch goes out alone. */
void     rtc_send_batch_add (RtcSendBatch * batch, const guint8 * data,
                             gsize len);
/* Sends what is gathered. Returns how many of them went out. */
guint    rtc_send_batch_flush (RtcSendBatch * batch);

G_END_DECLS
