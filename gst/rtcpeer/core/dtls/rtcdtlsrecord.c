/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "rtcdtlsrecord.h"

#include <string.h>

void
rtc_dtls_record_screen_init (RtcDtlsRecordScreen * s)
{
  memset (s, 0, sizeof (*s));
  s->next_epoch_budget = RTC_DTLS_RECORD_NEXT_EPOCH_BUDGET;
  s->last_drop = RTC_DTLS_RECORD_KEEP;
}

RtcDtlsRecordVerdict
rtc_dtls_record_check (const RtcDtlsRecordScreen * s, guint8 type,
    guint16 version, guint16 epoch, gsize length)
{
  gboolean encrypted;
  gsize min_len, max_len;

  if (type < RTC_DTLS_CONTENT_CHANGE_CIPHER_SPEC ||
      type > RTC_DTLS_CONTENT_APPLICATION_DATA)
    return RTC_DTLS_RECORD_BAD_TYPE;

  /* The ClientHello may carry DTLS 1.0 in its record header (RFC 6347
   * section 4.2.1 lets a client do so until it knows the server's
   * version); after the handshake only what was negotiated, and we
   * negotiate nothing but 1.2. */
  if (version != RTC_DTLS_VERSION_1_2 &&
      (s->handshake_done || version != RTC_DTLS_VERSION_1_0))
    return RTC_DTLS_RECORD_BAD_VERSION;

  /* RFC 6347 section 4.1: records of other epochs are discarded (or, for
   * the next one, may be kept until it starts). Once the handshake is done
   * the peer never changes epoch again: we refuse renegotiation. */
  if (epoch != s->read_epoch &&
      (s->handshake_done || epoch != s->read_epoch + 1))
    return RTC_DTLS_RECORD_BAD_EPOCH;

  /* Epoch 0 is the null cipher; every later epoch is an AEAD. Without
   * renegotiation ChangeCipherSpec is only ever sent in the clear and
   * application data never is. */
  encrypted = epoch != 0;
  if ((type == RTC_DTLS_CONTENT_CHANGE_CIPHER_SPEC && encrypted) ||
      (type == RTC_DTLS_CONTENT_APPLICATION_DATA && !encrypted))
    return RTC_DTLS_RECORD_BAD_TYPE;

  if (!encrypted) {
    min_len = 0;
    max_len = RTC_DTLS_RECORD_MAX_PLAINTEXT;
  } else if (s->aead_overhead != 0) {
    min_len = s->aead_overhead;
    max_len = RTC_DTLS_RECORD_MAX_PLAINTEXT + s->aead_overhead;
  } else {
    /* The cipher is not known yet: shorter than this cannot be a record
     * of every cipher we may negotiate, longer not one of any. */
    min_len = RTC_DTLS_MAX_AEAD_OVERHEAD;
    max_len = RTC_DTLS_RECORD_MAX_PLAINTEXT + RTC_DTLS_MAX_AEAD_OVERHEAD;
  }
  if (length < min_len)
    return RTC_DTLS_RECORD_TOO_SHORT;
  if (length > max_len)
    return RTC_DTLS_RECORD_TOO_LONG;
  return RTC_DTLS_RECORD_KEEP;
}

static inline guint16
read_u16 (const guint8 * p)
{
  return (guint16) (p[0] << 8 | p[1]);
}

const guint8 *
rtc_dtls_record_screen (RtcDtlsRecordScreen * s, const guint8 * data,
    gsize len, guint8 * scratch, gsize * out_len)
{
  gsize pos = 0, kept = 0;
  gboolean copying = FALSE;

  while (pos < len) {
    const guint8 *rec = data + pos;
    gsize avail = len - pos, rec_len;
    RtcDtlsRecordVerdict v;

    if (avail < RTC_DTLS_RECORD_HEADER_LEN) {
      v = RTC_DTLS_RECORD_TRUNCATED;
      rec_len = avail;
    } else {
      rec_len = RTC_DTLS_RECORD_HEADER_LEN + read_u16 (rec + 11);
      if (rec_len > avail) {
        /* The rest cannot be split into records any more. */
        v = RTC_DTLS_RECORD_TRUNCATED;
        rec_len = avail;
      } else {
        v = rtc_dtls_record_check (s, rec[0], read_u16 (rec + 1),
            read_u16 (rec + 3), rec_len - RTC_DTLS_RECORD_HEADER_LEN);
      }
    }

    if (v == RTC_DTLS_RECORD_KEEP &&
        kept + rec_len > RTC_DTLS_RECORD_MAX_DATAGRAM)
      v = RTC_DTLS_RECORD_DATAGRAM_FULL;

    /* Checked last so that only records OpenSSL will really get use it
     * up. Next-epoch application data is not buffered by OpenSSL. */
    if (v == RTC_DTLS_RECORD_KEEP && !s->handshake_done &&
        read_u16 (rec + 3) != s->read_epoch &&
        rec[0] != RTC_DTLS_CONTENT_APPLICATION_DATA) {
      if (s->next_epoch_budget == 0)
        v = RTC_DTLS_RECORD_OVER_BUDGET;
      else
        s->next_epoch_budget--;
    }

    if (v == RTC_DTLS_RECORD_KEEP) {
      if (kept != pos) {
        /* A record was dropped before this one: from here on the kept
         * records are assembled in @scratch, starting with the ones in
         * front of the first drop. */
        if (!copying) {
          memcpy (scratch, data, kept);
          copying = TRUE;
        }
        memcpy (scratch + kept, rec, rec_len);
      }
      kept += rec_len;
    } else {
      s->dropped++;
      s->last_drop = v;
    }
    pos += rec_len;
  }

  *out_len = kept;
  if (kept == 0)
    return NULL;
  return copying ? scratch : data;
}

const gchar *
rtc_dtls_record_verdict_name (RtcDtlsRecordVerdict v)
{
  switch (v) {
    case RTC_DTLS_RECORD_KEEP:
      return "keep";
    case RTC_DTLS_RECORD_TRUNCATED:
      return "truncated";
    case RTC_DTLS_RECORD_BAD_TYPE:
      return "content type";
    case RTC_DTLS_RECORD_BAD_VERSION:
      return "version";
    case RTC_DTLS_RECORD_BAD_EPOCH:
      return "epoch";
    case RTC_DTLS_RECORD_TOO_SHORT:
      return "too short";
    case RTC_DTLS_RECORD_TOO_LONG:
      return "too long";
    case RTC_DTLS_RECORD_OVER_BUDGET:
      return "next-epoch budget";
    case RTC_DTLS_RECORD_DATAGRAM_FULL:
      return "datagram full";
  }
  return "unknown";
}
