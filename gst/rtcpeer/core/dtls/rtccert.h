/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The local DTLS identity: a certificate and its private key.
 *
 * WebRTC certificates are self-signed and are trusted only through the
 * fingerprint in SDP (RFC 5763 section 5), so the only thing that
 * matters about one is its key; ECDSA P-256 is what browsers generate
 * (W3C webrtc-pc, "generateCertificate", and RFC 8827 section 6.5 asks
 * for ECDSA support).
 *
 * Immutable once created and refcounted atomically, so one certificate may
 * be shared by every RtcDtls of a process on any thread. */

#pragma once

#include <glib.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "rtcfingerprint.h"

G_BEGIN_DECLS

typedef struct _RtcCertificate RtcCertificate;

#define RTC_CERTIFICATE_ERROR (rtc_certificate_error_quark ())

typedef enum
{
  RTC_CERTIFICATE_ERROR_GENERATE,
  RTC_CERTIFICATE_ERROR_PARSE,
  RTC_CERTIFICATE_ERROR_KEY_MISMATCH,
} RtcCertificateError;

GQuark           rtc_certificate_error_quark (void);

/* A fresh ECDSA P-256 key and a self-signed certificate for it (CN
 * "rtcpeer", random 64-bit serial, valid from 30 days ago for a year). */
RtcCertificate * rtc_certificate_new_generated (GError ** error);

/* One generated certificate per process, made on first use (thread-safe).
 * A media server with hundreds of peers then pays for one key generation,
 * not hundreds. Returns a new reference; NULL only if OpenSSL cannot
 * generate a key at all. */
RtcCertificate * rtc_certificate_get_default (void);

/* @pem holds the certificate and its (unencrypted) private key, in either
 * order; other PEM blocks are ignored. */
RtcCertificate * rtc_certificate_new_from_pem (const gchar * pem,
                                               GError ** error);

gchar *          rtc_certificate_to_pem (RtcCertificate * cert,
                                         gboolean include_key);

/* "sha-256 AB:CD:..." as for an SDP a=fingerprint line. */
gchar *          rtc_certificate_get_fingerprint (RtcCertificate * cert);
const RtcFingerprint *
                 rtc_certificate_peek_fingerprint (RtcCertificate * cert);

/* Borrowed; valid while @cert is. */
X509 *           rtc_certificate_peek_x509 (RtcCertificate * cert);
EVP_PKEY *       rtc_certificate_peek_key (RtcCertificate * cert);

RtcCertificate * rtc_certificate_ref (RtcCertificate * cert);
void             rtc_certificate_unref (RtcCertificate * cert);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RtcCertificate, rtc_certificate_unref)

G_END_DECLS
