/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* One DTLS 1.2 association (RFC 6347) as WebRTC uses it: DTLS-SRTP key
 * exchange (RFC 5764) with self-signed certificates authenticated by the
 * SDP fingerprint (RFC 8122, RFC 8827 section 6.5), and a record channel
 * for SCTP (RFC 8261).
 *
 * Sans-IO, after str0m: OpenSSL runs on an in-memory datagram BIO, so
 * bytes and time go in and datagrams, events and the next deadline come
 * out. The run loop:
 *
 *   rtc_dtls_start / handle_packet / handle_timeout / send / close
 *        |
 *        v
 *   while (rtc_dtls_poll_output (d, &out))
 *     TRANSMIT -> one datagram for the wire (ICE)
 *     RECEIVE  -> one decrypted application record (SCTP)
 *     EVENT    -> RtcDtlsEvent in out.event, out.error owned by the caller
 *   arm a timer for out.timeout_us, then call rtc_dtls_handle_timeout
 *
 * Time: OpenSSL 3.0 reads gettimeofday() for its retransmission timer
 * and offers no way to inject time, so the deadline reported is now_us +
 * what DTLSv1_get_timeout() says is left; that is exact when the caller's
 * clock runs at the real rate. The handshake time limit is kept entirely
 * in the caller's time.
 *
 * No locks: the owner serialises every call on one instance. Instances are
 * independent and may run on different threads.
 */

#pragma once

#include <glib.h>

#include "rtcoutput.h"
#include "rtccert.h"
#include "rtcfingerprint.h"

G_BEGIN_DECLS

typedef struct _RtcDtls RtcDtls;

/* RFC 5763 section 5: the side with a=setup:active is the client. */
typedef enum
{
  RTC_DTLS_ROLE_CLIENT,
  RTC_DTLS_ROLE_SERVER,
} RtcDtlsRole;

/* The W3C RTCDtlsTransportState values. CONNECTING lasts until the
 * handshake is done *and* the peer certificate matched the remote
 * fingerprint, as W3C webrtc-pc defines "connected". */
typedef enum
{
  RTC_DTLS_STATE_NEW,
  RTC_DTLS_STATE_CONNECTING,
  RTC_DTLS_STATE_CONNECTED,
  RTC_DTLS_STATE_CLOSED,
  RTC_DTLS_STATE_FAILED,
} RtcDtlsState;

typedef enum
{
  /* Handshake done and the peer's certificate matched the remote
   * fingerprint; SRTP keys and application data are available. */
  RTC_DTLS_EVENT_CONNECTED,
  /* The peer sent close_notify (RFC 5246 section 7.2.1); we answered with
   * ours. Not emitted for a local rtc_dtls_close(). */
  RTC_DTLS_EVENT_CLOSED,
  /* Fatal: out.error says why (alert sent or received, fingerprint
   * mismatch, handshake timeout, protocol error). */
  RTC_DTLS_EVENT_FAILED,
} RtcDtlsEvent;

/* DTLS-SRTP protection profiles, by their IANA value (RFC 5764 section
 * 4.1.2, RFC 7714 section 14.2), the same numbers as RtcSrtpProfile. */
typedef enum
{
  RTC_DTLS_SRTP_NONE = 0,
  RTC_DTLS_SRTP_AES128_CM_SHA1_80 = 0x0001,
  RTC_DTLS_SRTP_AEAD_AES_128_GCM = 0x0007,
} RtcDtlsSrtpProfile;

#define RTC_DTLS_SRTP_MAX_KEY_SALT_LEN (16 + 14)

/* RFC 5764 section 4.2 */
#define RTC_DTLS_SRTP_EXPORTER_LABEL "EXTRACTOR-dtls_srtp"

typedef struct
{
  RtcDtlsSrtpProfile profile;
  guint key_len;
  guint salt_len;
  /* Master key then master salt (key_len + salt_len bytes), the layout
   * libsrtp takes. Local protects what we send, remote what we receive. */
  guint8 local_key_salt[RTC_DTLS_SRTP_MAX_KEY_SALT_LEN];
  guint8 remote_key_salt[RTC_DTLS_SRTP_MAX_KEY_SALT_LEN];
} RtcDtlsSrtpKeys;

#define RTC_DTLS_ERROR (rtc_dtls_error_quark ())

typedef enum
{
  RTC_DTLS_ERROR_FAILED,                /* OpenSSL error not covered below */
  RTC_DTLS_ERROR_INVALID_ARGUMENT,
  RTC_DTLS_ERROR_NOT_CONNECTED,
  RTC_DTLS_ERROR_FINGERPRINT_MISMATCH,
  RTC_DTLS_ERROR_ALERT_RECEIVED,
  RTC_DTLS_ERROR_ALERT_SENT,
  RTC_DTLS_ERROR_TIMEOUT,
} RtcDtlsError;

#define RTC_DTLS_DEFAULT_MTU 1200
#define RTC_DTLS_DEFAULT_INITIAL_TIMEOUT_MS 1000
#define RTC_DTLS_DEFAULT_HANDSHAKE_TIMEOUT_MS 30000
#define RTC_DTLS_DEFAULT_SRTP_PROFILES \
    "SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80"

/* Zero means "default" for every field. */
typedef struct
{
  /* Borrowed (the instance takes its own reference); NULL = the process
   * default certificate. */
  RtcCertificate *certificate;
  RtcDtlsRole role;
  /* a=fingerprint value of the remote description; may be NULL and given
   * later with rtc_dtls_set_remote_fingerprint(). */
  const gchar *remote_fingerprint;
  /* Largest datagram we emit during the handshake (UDP payload). */
  guint mtu;
  /* First retransmission timeout (at least 20 ms); doubles on each
   * retransmission up to 60 s (RFC 6347 section 4.2.4.1). */
  guint initial_timeout_ms;
  /* Time from rtc_dtls_start() until FAILED if not connected by then,
   * including waiting for the remote fingerprint. */
  guint handshake_timeout_ms;
  /* OpenSSL use_srtp list (RFC 5764 section 4.1.1), most preferred first;
   * NULL = RTC_DTLS_DEFAULT_SRTP_PROFILES, "" = do not offer use_srtp. */
  const gchar *srtp_profiles;
  /* OpenSSL cipher list, a subset of the default suites (ECDHE with
   * AES-GCM or ChaCha20-Poly1305); NULL = all of them. For tests and
   * interop checks that need one particular suite. */
  const gchar *cipher_suites;
} RtcDtlsConfig;

GQuark             rtc_dtls_error_quark (void);

RtcDtls *          rtc_dtls_new (const RtcDtlsConfig * cfg, GError ** error);
void               rtc_dtls_free (RtcDtls * dtls);

/* Before the peer's certificate arrived: checked when it does. After it
 * (an offerer's answer, and with it the fingerprint, may arrive after the
 * answerer, as DTLS client, completed the handshake):
 * checked now, and a mismatch ends the association (close_notify to the
 * peer, FAILED here). Until the certificate was verified a new value
 * replaces the old one. FALSE with an error only for a malformed string,
 * or a different fingerprint once one was verified (that needs a new
 * association); a mismatch is reported as a FAILED event. */
gboolean           rtc_dtls_set_remote_fingerprint (RtcDtls * dtls,
                                                    const gchar * fingerprint,
                                                    GError ** error);

/* The client sends its ClientHello; the server starts waiting. A packet
 * handled before start starts the instance implicitly. */
void               rtc_dtls_start (RtcDtls * dtls, guint64 now_us);
/* @data is one datagram, only read during the call. */
void               rtc_dtls_handle_packet (RtcDtls * dtls, guint64 now_us,
                                           const guint8 * data, gsize len);
void               rtc_dtls_handle_timeout (RtcDtls * dtls, guint64 now_us);
/* One application record; NOT_CONNECTED before CONNECTED or after the
 * end, INVALID_ARGUMENT above 16384 bytes (a record's limit). */
gboolean           rtc_dtls_send (RtcDtls * dtls, const guint8 * data,
                                  gsize len, GError ** error);
/* Sends close_notify if a handshake was started; state becomes CLOSED. */
void               rtc_dtls_close (RtcDtls * dtls);

/* TRUE with a TRANSMIT, RECEIVE or EVENT output; FALSE once the queue is
 * empty, with @out set to the TIMEOUT output. So:
 *   while (rtc_dtls_poll_output (d, &out)) { ... }  arm (out.timeout_us); */
gboolean           rtc_dtls_poll_output (RtcDtls * dtls, RtcOutput * out);

RtcDtlsState       rtc_dtls_get_state (RtcDtls * dtls);
RtcDtlsRole        rtc_dtls_get_role (RtcDtls * dtls);
RtcCertificate *   rtc_dtls_get_certificate (RtcDtls * dtls);   /* borrowed */
/* Application bytes that fit in one datagram of the configured MTU, after
 * the record overhead of the negotiated cipher; 0 before CONNECTED. */
guint              rtc_dtls_get_max_send_size (RtcDtls * dtls);

/* The negotiated cipher suite by its IANA name (as W3C's
 * RTCTransportStats.dtlsCipher reports it), e.g.
 * "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"; NULL before CONNECTED. */
const gchar *      rtc_dtls_get_cipher_name (RtcDtls * dtls);

/* Records the screen dropped before OpenSSL saw them: anything no DTLS
 * 1.2 peer of ours can send, such as other epochs, versions or content
 * types, or lengths the cipher cannot have produced (rtcdtlsrecord.h). */
guint64            rtc_dtls_get_dropped_records (RtcDtls * dtls);

/* NONE until CONNECTED, or if the peer did not agree to use_srtp. */

RtcDtlsSrtpProfile rtc_dtls_get_srtp_profile (RtcDtls * dtls);
/* RFC 5705 keying material exporter (no context); CONNECTED only. */
gboolean           rtc_dtls_export_keying_material (RtcDtls * dtls,
                                                    const gchar * label,
                                                    guint8 * out, gsize len,
                                                    GError ** error);
/* RFC 5764 section 4.2 keying material, split by our role. */
gboolean           rtc_dtls_get_srtp_keys (RtcDtls * dtls,
                                           RtcDtlsSrtpKeys * keys,
                                           GError ** error);
/* The certificate the peer presented, as PEM; NULL before it arrived. */
gchar *            rtc_dtls_get_remote_certificate_pem (RtcDtls * dtls);

const gchar *      rtc_dtls_srtp_profile_name (RtcDtlsSrtpProfile profile);
const gchar *      rtc_dtls_state_name (RtcDtlsState state);
const gchar *      rtc_dtls_event_name (RtcDtlsEvent event);

G_END_DECLS
