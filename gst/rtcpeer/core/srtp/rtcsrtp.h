/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* SRTP/SRTCP protection over libsrtp2 (RFC 3711, RFC 7714), keyed from the
 * DTLS-SRTP exporter (RFC 5764 section 4.2).
 *
 * A pure transform: bytes in, bytes out, no I/O, no clock, no threads.
 *
 *                        RtcSrtpSession
 *             +-------------------------------------+
 *   RTP/RTCP  |  outbound srtp_t (ssrc_any_outbound) |  SRTP/SRTCP
 *   -------->-+  keyed with the LOCAL key+salt       +->---------->
 *             |-------------------------------------|
 *  SRTP/SRTCP |  inbound srtp_t (ssrc_any_inbound)   |   RTP/RTCP
 *   -------->-+  keyed with the REMOTE key+salt      +->---------->
 *             +-------------------------------------+
 *
 * Threading: libsrtp2 contexts are not thread-safe, and one srtp_t's
 * stream list is modified by both srtp_protect() and srtp_unprotect()
 * (a stream is cloned from the wildcard template the first time an SSRC is
 * seen). So each direction gets its own srtp_t, and the session needs no
 * lock of its own:
 *
 *  - all protect calls (RTP and RTCP) must be serialised by the caller
 *    (e.g. one send lock), and so must all unprotect calls (one receive
 *    lock); the send and receive threads may run concurrently;
 *  - rtc_srtp_session_get_stats() and rtc_srtp_session_get_roc() for a
 *    direction need that direction's serialisation too;
 *  - rtc_srtp_session_new()/free() must not race with anything on the
 *    same session.
 *
 * Buffers: protect/unprotect work in place on the caller's buffer. Protect
 * appends the trailer, so the buffer needs rtc_srtp_profile_rtp_overhead()
 * (or _rtcp_overhead()) spare bytes after the packet; RTC_SRTP_MAX_OVERHEAD
 * covers every profile. libsrtp reads the headers as 32-bit words, so the
 * buffer should be 4-byte aligned (GstBuffer memory is).
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* DTLS-SRTP protection profile ids, as IANA registered them (RFC 5764
 * section 4.1.2, RFC 7714 section 14.2), so the DTLS core can pass the
 * negotiated value straight through. */
typedef enum
{
  RTC_SRTP_PROFILE_NONE = 0,
  RTC_SRTP_PROFILE_AES128_CM_SHA1_80 = 0x0001,
  RTC_SRTP_PROFILE_AES128_CM_SHA1_32 = 0x0002,
  RTC_SRTP_PROFILE_AEAD_AES_128_GCM = 0x0007,
  RTC_SRTP_PROFILE_AEAD_AES_256_GCM = 0x0008,
} RtcSrtpProfile;

typedef enum
{
  RTC_SRTP_DIRECTION_OUTBOUND,
  RTC_SRTP_DIRECTION_INBOUND,
} RtcSrtpDirection;

#define RTC_SRTP_ERROR (rtc_srtp_error_quark ())

typedef enum
{
  /* Bad arguments, unknown profile, or a packet too short or malformed to
   * be RTP/RTCP (or SRTP/SRTCP). */
  RTC_SRTP_ERROR_BAD_PARAM,
  /* The buffer has no room for the SRTP trailer. */
  RTC_SRTP_ERROR_NO_SPACE,
  /* Authentication tag mismatch: wrong key, tampered or corrupt packet. */
  RTC_SRTP_ERROR_AUTH_FAIL,
  /* Index already seen, or older than the replay window. */
  RTC_SRTP_ERROR_REPLAY,
  /* The key's packet limit is reached (RFC 3711 section 9.2); re-key. */
  RTC_SRTP_ERROR_KEY_EXPIRED,
  /* libsrtp failed for another reason. */
  RTC_SRTP_ERROR_INTERNAL,
} RtcSrtpError;

/* Largest trailer any supported profile appends: a 16-byte GCM tag plus
 * the 4-byte E flag and SRTCP index. */
#define RTC_SRTP_MAX_OVERHEAD 20

/* Longest key and salt of any supported profile (AES-256, AES-CM salt). */
#define RTC_SRTP_MAX_KEY_LEN 32
#define RTC_SRTP_MAX_SALT_LEN 14

/* Per-direction counters. Outbound fills rtp_packets/rtcp_packets (packets
 * protected) and errors; inbound fills them with packets that passed
 * unprotect, plus auth_failures and replays. */
typedef struct
{
  guint64 rtp_packets;
  guint64 rtcp_packets;
  guint64 auth_failures;
  guint64 replays;
  guint64 errors;               /* every other failure */
  /* streams whose rollover counter was found again after a long loss */
  guint64 resyncs;
} RtcSrtpStats;

typedef struct _RtcSrtpSession RtcSrtpSession;

GQuark          rtc_srtp_error_quark (void);

/* libsrtp's process-wide set-up, self-tests included (about 20 ms):
 * done by the first session if nobody called it before. */
gboolean        rtc_srtp_global_init (void);
gboolean        rtc_srtp_profile_is_supported (RtcSrtpProfile profile);
const gchar *   rtc_srtp_profile_name (RtcSrtpProfile profile);
gsize           rtc_srtp_profile_key_len (RtcSrtpProfile profile);
gsize           rtc_srtp_profile_salt_len (RtcSrtpProfile profile);
gsize           rtc_srtp_profile_rtp_overhead (RtcSrtpProfile profile);
gsize           rtc_srtp_profile_rtcp_overhead (RtcSrtpProfile profile);
gsize           rtc_srtp_profile_max_overhead (RtcSrtpProfile profile);

/* RFC 5764 section 4.2: the exporter output is
 *   client_write_key | server_write_key | client_write_salt | server_write_salt
 * (2 * (key_len + salt_len) bytes, label "EXTRACTOR-dtls_srtp").
 * Writes key|salt (key_len + salt_len bytes each) for our sending direction
 * into @local_key_salt and for the peer's into @remote_key_salt. */
gboolean        rtc_srtp_split_keying_material (RtcSrtpProfile profile,
                                                const guint8 * material,
                                                gsize material_len,
                                                gboolean is_client,
                                                guint8 * local_key_salt,
                                                guint8 * remote_key_salt,
                                                GError ** error);

/* @local_key_salt keys what we send, @remote_key_salt what we receive;
 * each is key_len + salt_len bytes of master key then master salt. The
 * material is copied into libsrtp's derived session keys; the caller may
 * wipe its copies afterwards. */
RtcSrtpSession *rtc_srtp_session_new (RtcSrtpProfile profile,
                                      const guint8 * local_key_salt,
                                      const guint8 * remote_key_salt,
                                      GError ** error);
void            rtc_srtp_session_free (RtcSrtpSession * session);
RtcSrtpProfile  rtc_srtp_session_get_profile (RtcSrtpSession * session);

/* In place. @buf holds an RTP (RTCP) packet of *@len bytes in a buffer of
 * @buf_size bytes; on success *@len is the SRTP (SRTCP) length. On failure
 * the packet must be dropped. @error may be NULL (then nothing is
 * allocated on failure either; the stats still count it). */
gboolean        rtc_srtp_protect_rtp (RtcSrtpSession * session, guint8 * buf,
                                      gsize * len, gsize buf_size,
                                      GError ** error);
gboolean        rtc_srtp_protect_rtcp (RtcSrtpSession * session, guint8 * buf,
                                       gsize * len, gsize buf_size,
                                       GError ** error);

/* In place; on success *@len is the plain RTP (RTCP) length. On failure
 * the packet must be dropped: the header is intact, but the payload is
 * unspecified (libsrtp's GCM backend decrypts in place before the tag
 * check fails, leaving unauthenticated plaintext behind). */
gboolean        rtc_srtp_unprotect_rtp (RtcSrtpSession * session, guint8 * buf,
                                        gsize * len, GError ** error);
gboolean        rtc_srtp_unprotect_rtcp (RtcSrtpSession * session,
                                         guint8 * buf, gsize * len,
                                         GError ** error);

void            rtc_srtp_session_get_stats (RtcSrtpSession * session,
                                            RtcSrtpDirection direction,
                                            RtcSrtpStats * stats);

/* The rollover counter libsrtp holds for @ssrc (RFC 3711 section 3.3.1).
 * FALSE if that direction has not seen (an authenticated packet of) @ssrc. */
gboolean        rtc_srtp_session_get_roc (RtcSrtpSession * session,
                                          RtcSrtpDirection direction,
                                          guint32 ssrc, guint32 * roc);

G_END_DECLS
