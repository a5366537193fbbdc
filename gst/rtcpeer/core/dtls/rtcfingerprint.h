/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Certificate fingerprints as SDP carries them (RFC 8122 section 5):
 *
 *   a=fingerprint:sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:...
 *                 '-----' '------------------------------------------------'
 *                 hash-func            digest of the DER certificate
 *
 * In WebRTC the fingerprint is the peer's identity: the certificates are
 * self-signed, and what makes the DTLS handshake authenticated is that the
 * certificate the peer presents hashes to the value signalled in SDP
 * (RFC 5763 section 5). */

#pragma once

#include <glib.h>
#include <openssl/x509.h>

G_BEGIN_DECLS

typedef enum
{
  RTC_FINGERPRINT_SHA1,
  RTC_FINGERPRINT_SHA224,
  RTC_FINGERPRINT_SHA256,
  RTC_FINGERPRINT_SHA384,
  RTC_FINGERPRINT_SHA512,
} RtcFingerprintHash;

#define RTC_FINGERPRINT_MAX_LEN 64

typedef struct
{
  RtcFingerprintHash hash;
  gsize len;
  guint8 digest[RTC_FINGERPRINT_MAX_LEN];
} RtcFingerprint;

#define RTC_FINGERPRINT_ERROR (rtc_fingerprint_error_quark ())

typedef enum
{
  /* Not "<hash-func> <hex pairs separated by ':'>", or the digest length
   * does not match the hash. */
  RTC_FINGERPRINT_ERROR_MALFORMED,
  /* A hash-func RFC 8122 allows but we do not (md5, md2, tokens). */
  RTC_FINGERPRINT_ERROR_UNSUPPORTED_HASH,
  /* OpenSSL could not hash the certificate. */
  RTC_FINGERPRINT_ERROR_FAILED,
} RtcFingerprintError;

GQuark          rtc_fingerprint_error_quark (void);

/* "sha-256" etc., as written in SDP. */
const gchar *   rtc_fingerprint_hash_name (RtcFingerprintHash hash);
gsize           rtc_fingerprint_hash_len (RtcFingerprintHash hash);

/* Parses an a=fingerprint value. Hash name and hex digits are matched
 * case-insensitively; leading and trailing white space is ignored. */
gboolean        rtc_fingerprint_parse (const gchar * str, RtcFingerprint * fp,
                                       GError ** error);

/* "sha-256 AB:CD:...", uppercase hex as RFC 8122 writes it. */
gchar *         rtc_fingerprint_to_string (const RtcFingerprint * fp);

gboolean        rtc_fingerprint_from_der (RtcFingerprintHash hash,
                                          const guint8 * der, gsize len,
                                          RtcFingerprint * fp,
                                          GError ** error);
gboolean        rtc_fingerprint_from_x509 (RtcFingerprintHash hash,
                                           const X509 * cert,
                                           RtcFingerprint * fp,
                                           GError ** error);

/* Same hash and same digest; the digest is compared in constant time. */
gboolean        rtc_fingerprint_equal (const RtcFingerprint * a,
                                       const RtcFingerprint * b);

G_END_DECLS
