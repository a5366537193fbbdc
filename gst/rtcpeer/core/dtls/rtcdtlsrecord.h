/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The DTLS 1.2 record screen: which records of a datagram may reach
 * OpenSSL at all.
 *
 * Anyone who can put a UDP datagram on the ICE 5-tuple can make us read
 * it; only the peer holds the record keys. Everything OpenSSL does with a
 * record before its AEAD tag is checked (header parsing, epoch and replay
 * bookkeeping, buffering for the next epoch, setting up the decryption)
 * is therefore reachable by anyone, and a fatal error there ends the
 * association (OpenSSL 3.0.19 answered an encrypted record shorter than
 * AES-GCM's nonce + tag with internal_error, CVE-2026-75806). The screen
 * drops every record that no DTLS 1.2 peer of ours can have sent, so that
 * what OpenSSL reads before authentication is always well-formed:
 *
 *   datagram --> [13-byte header | body] [header | body] ...
 *                     |
 *                     v  rtc_dtls_record_check () per record
 *   kept records only --> OpenSSL (the datagram itself when all are kept)
 *
 * Pure: no OpenSSL, no allocation; the caller says what the association
 * knows (handshake done, read epoch, the cipher's overhead) and gives a
 * scratch buffer of RTC_DTLS_RECORD_MAX_DATAGRAM bytes. */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* RFC 6347 section 4.1: type, version, epoch, 48-bit sequence number,
 * length. */
#define RTC_DTLS_RECORD_HEADER_LEN 13

#define RTC_DTLS_CONTENT_CHANGE_CIPHER_SPEC 20
#define RTC_DTLS_CONTENT_ALERT 21
#define RTC_DTLS_CONTENT_HANDSHAKE 22
#define RTC_DTLS_CONTENT_APPLICATION_DATA 23

#define RTC_DTLS_VERSION_1_0 0xfeff
#define RTC_DTLS_VERSION_1_2 0xfefd

/* RFC 5246 section 6.2.1: at most 2^14 bytes of plaintext per record. */
#define RTC_DTLS_RECORD_MAX_PLAINTEXT 16384

/* What an AEAD record adds to its plaintext: RFC 5288 section 3 (8-byte
 * explicit nonce, 16-byte tag) and RFC 7905 section 2 (no explicit nonce,
 * 16-byte tag). The largest of them is the smallest record any of our
 * ciphers accepts, so it is the floor while the cipher is not known. */
#define RTC_DTLS_AES_GCM_OVERHEAD 24
#define RTC_DTLS_CHACHA20_POLY1305_OVERHEAD 16
#define RTC_DTLS_MAX_AEAD_OVERHEAD 24

/* The most OpenSSL is handed from one datagram, and the size of the
 * scratch buffer: one full record. OpenSSL reads a datagram into a buffer
 * a little larger than that and silently drops a record it cut short; the
 * screen drops it instead, so no record is ever cut. */
#define RTC_DTLS_RECORD_MAX_DATAGRAM \
    (RTC_DTLS_RECORD_HEADER_LEN + RTC_DTLS_RECORD_MAX_PLAINTEXT + \
        RTC_DTLS_MAX_AEAD_OVERHEAD)

/* During the handshake OpenSSL keeps a handshake or alert record of the
 * next epoch, unauthenticated, until it can read that epoch: OpenSSL 3.0
 * keeps up to 100, each in its own read buffer of about 17 kB, whoever
 * sent them (memory use there is what 3.0.22 fixed as CVE-2026-54874).
 * The peer's Finished is the only such record it needs, once per arrival
 * of its last flight before our handshake is done (an arrival that
 * completes the flight ends the handshake), so a few are plenty; beyond
 * this many the screen drops them. */
#define RTC_DTLS_RECORD_NEXT_EPOCH_BUDGET 16

typedef enum
{
  RTC_DTLS_RECORD_KEEP,
  /* The header or the body runs past the end of the datagram. */
  RTC_DTLS_RECORD_TRUNCATED,
  /* Not ChangeCipherSpec, alert, handshake or application data; or
   * ChangeCipherSpec encrypted, or application data in the clear. */
  RTC_DTLS_RECORD_BAD_TYPE,
  RTC_DTLS_RECORD_BAD_VERSION,
  RTC_DTLS_RECORD_BAD_EPOCH,
  /* Encrypted and shorter than the cipher's explicit nonce + tag. */
  RTC_DTLS_RECORD_TOO_SHORT,
  /* Longer than 2^14 bytes of plaintext (plus the cipher's overhead). */
  RTC_DTLS_RECORD_TOO_LONG,
  /* A next-epoch handshake or alert record beyond
   * RTC_DTLS_RECORD_NEXT_EPOCH_BUDGET. */
  RTC_DTLS_RECORD_OVER_BUDGET,
  /* Would make the datagram for OpenSSL larger than
   * RTC_DTLS_RECORD_MAX_DATAGRAM. */
  RTC_DTLS_RECORD_DATAGRAM_FULL,
} RtcDtlsRecordVerdict;

typedef struct
{
  /* FALSE while handshaking; afterwards only the current epoch is read,
   * and only DTLS 1.2. */
  gboolean handshake_done;
  /* The epoch of the records the peer sends now: 0 during the handshake
   * (where read_epoch + 1 is allowed too), 1 after it. Without
   * renegotiation a DTLS 1.2 association never uses another. */
  guint16 read_epoch;
  /* Explicit nonce + tag of the negotiated cipher; 0 while not known
   * (then RTC_DTLS_MAX_AEAD_OVERHEAD is the floor). */
  guint aead_overhead;
  /* Next-epoch records still allowed during the handshake; the screen
   * counts it down. Set it to RTC_DTLS_RECORD_NEXT_EPOCH_BUDGET. */
  guint next_epoch_budget;

  /* Records dropped so far, and why the last one was. */
  guint64 dropped;
  RtcDtlsRecordVerdict last_drop;
} RtcDtlsRecordScreen;

void                 rtc_dtls_record_screen_init (RtcDtlsRecordScreen * s);

/* The rules that need only one record's header fields (@length is the
 * body length), in this order: type, version, epoch, length. */
RtcDtlsRecordVerdict rtc_dtls_record_check (const RtcDtlsRecordScreen * s,
                                            guint8 type, guint16 version,
                                            guint16 epoch, gsize length);

/* Walks the records of the datagram @data and returns what OpenSSL should
 * read: @data itself when the kept records are a prefix of it (every
 * record, in the common case; no copy), else @scratch
 * (RTC_DTLS_RECORD_MAX_DATAGRAM bytes) holding the kept records in their
 * order. *@out_len is its length, 0 when nothing was kept. Adds the records
 * dropped to @s->dropped (bytes after a truncated record count as one). */
const guint8 *       rtc_dtls_record_screen (RtcDtlsRecordScreen * s,
                                             const guint8 * data, gsize len,
                                             guint8 * scratch,
                                             gsize * out_len);

const gchar *        rtc_dtls_record_verdict_name (RtcDtlsRecordVerdict v);

G_END_DECLS
