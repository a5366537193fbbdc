/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* See rtcsrtp.h for the shape and the threading rules. */

#include "rtcsrtp.h"

#include <string.h>

#include <gst/gst.h>
#include <openssl/crypto.h>
#include <srtp2/srtp.h>

GST_DEBUG_CATEGORY_STATIC (rtc_srtp_debug);
#define GST_CAT_DEFAULT rtc_srtp_debug

/* The replay window, in packets (RFC 3711 section 3.3.2 asks for at least
 * 64). A video key frame is a burst of hundreds of packets that the
 * network may reorder, and a 64-packet window would drop late ones as
 * replays; libwebrtc uses 1024 for the same reason. */
#define RTC_SRTP_REPLAY_WINDOW 1024

/* libsrtp takes lengths as int; keep well clear of the limit so adding a
 * trailer cannot overflow. */
#define RTC_SRTP_MAX_PACKET_LEN (G_MAXINT - 64)

#define RTP_FIXED_HEADER_LEN 12
#define RTCP_HEADER_LEN 8
/* RFC 3711 section 3.4: the E flag and the 31-bit SRTCP index. */
#define SRTCP_INDEX_LEN 4

typedef struct
{
  RtcSrtpProfile profile;
  const gchar *name;
  guint key_len;
  guint salt_len;
  guint rtp_tag_len;
  guint rtcp_tag_len;
} ProfileInfo;

/* RFC 5764 section 4.1.2 and RFC 7714 section 14.2. The _32 profile keeps
 * an 80-bit tag on SRTCP: RFC 5764 says SRTCP always uses the 80-bit one. */
static const ProfileInfo profiles[] = {
  {RTC_SRTP_PROFILE_AES128_CM_SHA1_80, "SRTP_AES128_CM_HMAC_SHA1_80",
      16, 14, 10, 10},
  {RTC_SRTP_PROFILE_AES128_CM_SHA1_32, "SRTP_AES128_CM_HMAC_SHA1_32",
      16, 14, 4, 10},
  {RTC_SRTP_PROFILE_AEAD_AES_128_GCM, "SRTP_AEAD_AES_128_GCM",
      16, 12, 16, 16},
  {RTC_SRTP_PROFILE_AEAD_AES_256_GCM, "SRTP_AEAD_AES_256_GCM",
      32, 12, 16, 16},
};

typedef struct
{
  srtp_t ctx;
  RtcSrtpStats stats;
} Direction;

/* A stream whose packets stopped authenticating (receive side). */
typedef struct
{
  guint32 ssrc;
  guint fails;                  /* in a row; 0: free slot */
} Suspect;

/* After this many failures in a row, one in this many failing packets is
 * tried against the rollover counters that follow (see resync ()). */
#define RESYNC_EVERY 64
#define RESYNC_SLOTS 8
#define RESYNC_ROCS 4

struct _RtcSrtpSession
{
  const ProfileInfo *info;
  /* Never shared between directions: see the threading note in rtcsrtp.h. */
  Direction out;
  Direction in;

  /* Receive side only: rollover counter recovery. */
  Suspect suspects[RESYNC_SLOTS];
  guint8 remote_key_salt[RTC_SRTP_MAX_KEY_LEN + RTC_SRTP_MAX_SALT_LEN];
  srtp_t probe;                 /* created on the first recovery attempt */
};

GQuark
rtc_srtp_error_quark (void)
{
  return g_quark_from_static_string ("rtc-srtp-error-quark");
}

static const ProfileInfo *
profile_info (RtcSrtpProfile profile)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (profiles); i++) {
    if (profiles[i].profile == profile)
      return &profiles[i];
  }
  return NULL;
}

gboolean
rtc_srtp_profile_is_supported (RtcSrtpProfile profile)
{
  return profile_info (profile) != NULL;
}

const gchar *
rtc_srtp_profile_name (RtcSrtpProfile profile)
{
  const ProfileInfo *info = profile_info (profile);

  return info ? info->name : NULL;
}

gsize
rtc_srtp_profile_key_len (RtcSrtpProfile profile)
{
  const ProfileInfo *info = profile_info (profile);

  return info ? info->key_len : 0;
}

gsize
rtc_srtp_profile_salt_len (RtcSrtpProfile profile)
{
  const ProfileInfo *info = profile_info (profile);

  return info ? info->salt_len : 0;
}

gsize
rtc_srtp_profile_rtp_overhead (RtcSrtpProfile profile)
{
  const ProfileInfo *info = profile_info (profile);

  return info ? info->rtp_tag_len : 0;
}

gsize
rtc_srtp_profile_rtcp_overhead (RtcSrtpProfile profile)
{
  const ProfileInfo *info = profile_info (profile);

  /* RFC 3711 section 3.4 (and RFC 7714 section 9 for GCM): the SRTCP
   * trailer is the E flag + index word plus the tag. */
  return info ? info->rtcp_tag_len + SRTCP_INDEX_LEN : 0;
}

gsize
rtc_srtp_profile_max_overhead (RtcSrtpProfile profile)
{
  return MAX (rtc_srtp_profile_rtp_overhead (profile),
      rtc_srtp_profile_rtcp_overhead (profile));
}

/* libsrtp keeps global state (the crypto kernel) that srtp_init() sets up
 * once per process. We never call srtp_shutdown(): another session, or
 * another library in the process (GStreamer's srtp plugin), may still be
 * using it, and the kernel's memory is process-lifetime anyway. */
static srtp_err_status_t
ensure_libsrtp (void)
{
  static gsize init_status = 0;

  if (g_once_init_enter (&init_status)) {
    srtp_err_status_t status;

    GST_DEBUG_CATEGORY_INIT (rtc_srtp_debug, "rtcsrtp", 0, "rtcpeer SRTP core");
    status = srtp_init ();
    /* When another user in the process (GStreamer's srtp plugin) has
     * initialised libsrtp already, the crypto kernel is up and only the
     * second registration of libsrtp's own debug module is refused. */
    if (status == srtp_err_status_bad_param) {
      GST_INFO ("libsrtp was already initialised in this process");
      status = srtp_err_status_ok;
    }
    if (status != srtp_err_status_ok)
      GST_ERROR ("srtp_init failed: %d", status);
    else
      GST_INFO ("using %s", srtp_get_version_string ());
    /* +1 because g_once_init_leave() needs a non-zero value. */
    g_once_init_leave (&init_status, (gsize) status + 1);
  }
  return (srtp_err_status_t) (init_status - 1);
}

gboolean
rtc_srtp_global_init (void)
{
  return ensure_libsrtp () == srtp_err_status_ok;
}

gboolean
rtc_srtp_split_keying_material (RtcSrtpProfile profile,
    const guint8 * material, gsize material_len, gboolean is_client,
    guint8 * local_key_salt, guint8 * remote_key_salt, GError ** error)
{
  const ProfileInfo *info = profile_info (profile);
  const guint8 *client_key, *server_key, *client_salt, *server_salt;
  guint8 *client_out, *server_out;

  g_return_val_if_fail (material != NULL, FALSE);
  g_return_val_if_fail (local_key_salt != NULL, FALSE);
  g_return_val_if_fail (remote_key_salt != NULL, FALSE);

  if (info == NULL) {
    g_set_error (error, RTC_SRTP_ERROR, RTC_SRTP_ERROR_BAD_PARAM,
        "unsupported SRTP protection profile 0x%04x", profile);
    return FALSE;
  }
  if (material_len != 2 * (info->key_len + info->salt_len)) {
    g_set_error (error, RTC_SRTP_ERROR, RTC_SRTP_ERROR_BAD_PARAM,
        "%s needs %u bytes of keying material, got %" G_GSIZE_FORMAT,
        info->name, 2 * (info->key_len + info->salt_len), material_len);
    return FALSE;
  }

  /* RFC 5764 section 4.2: both keys first, then both salts. */
  client_key = material;
  server_key = client_key + info->key_len;
  client_salt = server_key + info->key_len;
  server_salt = client_salt + info->salt_len;

  /* The client sends with the client_write key (RFC 5764 section 4.2). */
  client_out = is_client ? local_key_salt : remote_key_salt;
  server_out = is_client ? remote_key_salt : local_key_salt;

  memcpy (client_out, client_key, info->key_len);
  memcpy (client_out + info->key_len, client_salt, info->salt_len);
  memcpy (server_out, server_key, info->key_len);
  memcpy (server_out + info->key_len, server_salt, info->salt_len);
  return TRUE;
}

static gboolean
create_ctx_full (const ProfileInfo * info, srtp_ssrc_type_t ssrc_type,
    guint32 ssrc, const guint8 * key_salt, srtp_t * ctx, GError ** error)
{
  guint8 key[RTC_SRTP_MAX_KEY_LEN + RTC_SRTP_MAX_SALT_LEN];
  srtp_policy_t policy;
  srtp_err_status_t status;
  gsize key_salt_len = info->key_len + info->salt_len;

  memset (&policy, 0, sizeof (policy));
  /* libsrtp's srtp_profile_t uses the same IANA numbers as ours. */
  if (srtp_crypto_policy_set_from_profile_for_rtp (&policy.rtp,
          (srtp_profile_t) info->profile) != srtp_err_status_ok ||
      srtp_crypto_policy_set_from_profile_for_rtcp (&policy.rtcp,
          (srtp_profile_t) info->profile) != srtp_err_status_ok ||
      (gsize) policy.rtp.cipher_key_len != key_salt_len ||
      (gsize) policy.rtp.auth_tag_len != info->rtp_tag_len ||
      (gsize) policy.rtcp.auth_tag_len != info->rtcp_tag_len) {
    g_set_error (error, RTC_SRTP_ERROR, RTC_SRTP_ERROR_INTERNAL,
        "libsrtp does not support %s as expected", info->name);
    return FALSE;
  }

  /* policy.key is not const; libsrtp only reads it while deriving the
   * session keys inside srtp_create(). */
  memcpy (key, key_salt, key_salt_len);
  policy.key = key;
  policy.ssrc.type = ssrc_type;
  policy.ssrc.value = ssrc;
  policy.window_size = RTC_SRTP_REPLAY_WINDOW;
  /* rtpbin may hand us the same packet (same SSRC and sequence number)
   * again, e.g. a duplicated buffer; refusing it would drop media. This is
   * only safe while a repeated index carries the same payload, or the
   * keystream would be reused on different plaintext (libsrtp's
   * srtp_policy_t documentation warns about exactly this). RFC 4588 RTX
   * has its own SSRC and sequence numbers and never hits this. */
  policy.allow_repeat_tx = ssrc_type == ssrc_any_outbound;
  policy.next = NULL;

  status = *ctx ? srtp_add_stream (*ctx, &policy) : srtp_create (ctx, &policy);
  OPENSSL_cleanse (key, sizeof (key));

  if (status != srtp_err_status_ok) {
    if (ssrc_type != ssrc_specific)
      *ctx = NULL;
    g_set_error (error, RTC_SRTP_ERROR, RTC_SRTP_ERROR_INTERNAL,
        "srtp_create failed for %s (libsrtp status %d)", info->name, status);
    return FALSE;
  }
  return TRUE;
}

static gboolean
create_ctx (const ProfileInfo * info, srtp_ssrc_type_t ssrc_type,
    const guint8 * key_salt, srtp_t * ctx, GError ** error)
{
  *ctx = NULL;
  return create_ctx_full (info, ssrc_type, 0, key_salt, ctx, error);
}

RtcSrtpSession *
rtc_srtp_session_new (RtcSrtpProfile profile, const guint8 * local_key_salt,
    const guint8 * remote_key_salt, GError ** error)
{
  const ProfileInfo *info = profile_info (profile);
  RtcSrtpSession *session;
  srtp_err_status_t status;

  if (info == NULL) {
    g_set_error (error, RTC_SRTP_ERROR, RTC_SRTP_ERROR_BAD_PARAM,
        "unsupported SRTP protection profile 0x%04x", profile);
    return NULL;
  }
  if (local_key_salt == NULL || remote_key_salt == NULL) {
    g_set_error (error, RTC_SRTP_ERROR, RTC_SRTP_ERROR_BAD_PARAM,
        "SRTP session needs both local and remote keying material");
    return NULL;
  }

  status = ensure_libsrtp ();
  if (status != srtp_err_status_ok) {
    g_set_error (error, RTC_SRTP_ERROR, RTC_SRTP_ERROR_INTERNAL,
        "libsrtp failed to initialise (libsrtp status %d)", status);
    return NULL;
  }

  session = g_new0 (RtcSrtpSession, 1);
  session->info = info;

  if (!create_ctx (info, ssrc_any_outbound, local_key_salt, &session->out.ctx,
          error) ||
      !create_ctx (info, ssrc_any_inbound, remote_key_salt, &session->in.ctx,
          error)) {
    rtc_srtp_session_free (session);
    return NULL;
  }

  memcpy (session->remote_key_salt, remote_key_salt,
      info->key_len + info->salt_len);
  GST_DEBUG ("new SRTP session %p with %s", session, info->name);
  return session;
}

void
rtc_srtp_session_free (RtcSrtpSession * session)
{
  if (session == NULL)
    return;

  /* srtp_dealloc() wipes the derived session keys before freeing them. */
  if (session->out.ctx)
    srtp_dealloc (session->out.ctx);
  if (session->in.ctx)
    srtp_dealloc (session->in.ctx);
  if (session->probe)
    srtp_dealloc (session->probe);
  OPENSSL_cleanse (session->remote_key_salt,
      sizeof (session->remote_key_salt));
  g_free (session);
}

RtcSrtpProfile
rtc_srtp_session_get_profile (RtcSrtpSession * session)
{
  g_return_val_if_fail (session != NULL, RTC_SRTP_PROFILE_NONE);

  return session->info->profile;
}

/* RFC 3550 section 5.1 and 5.3.1: the fixed header, 4 bytes per CSRC, then
 * the optional extension, whose length field counts the 32-bit words after
 * its own 4-byte header. Returns 0 unless the whole header fits in @len. */
static gsize
rtp_header_len (const guint8 * buf, gsize len)
{
  gsize hlen;

  if (len < RTP_FIXED_HEADER_LEN || (buf[0] >> 6) != 2)
    return 0;

  hlen = RTP_FIXED_HEADER_LEN + 4 * (buf[0] & 0x0f);
  if (buf[0] & 0x10) {
    if (len < hlen + 4)
      return 0;
    hlen += 4 + 4 * (gsize) GST_READ_UINT16_BE (buf + hlen + 2);
  }
  return hlen <= len ? hlen : 0;
}

static gboolean
rtcp_header_ok (const guint8 * buf, gsize len)
{
  return len >= RTCP_HEADER_LEN && (buf[0] >> 6) == 2;
}

/* *INDENT-OFF* */
static gboolean fail (Direction * dir, GError ** error, RtcSrtpError code,
    const gchar * format, ...) G_GNUC_PRINTF (4, 5);
/* *INDENT-ON* */

static gboolean
fail (Direction * dir, GError ** error, RtcSrtpError code,
    const gchar * format, ...)
{
  switch (code) {
    case RTC_SRTP_ERROR_AUTH_FAIL:
      dir->stats.auth_failures++;
      break;
    case RTC_SRTP_ERROR_REPLAY:
      dir->stats.replays++;
      break;
    default:
      dir->stats.errors++;
      break;
  }

  /* Nothing is formatted (or allocated) unless someone will read it: a
   * flood of garbage should cost a counter, not a string. */
  if (error != NULL || gst_debug_category_get_threshold (GST_CAT_DEFAULT) >=
      GST_LEVEL_DEBUG) {
    va_list args;
    gchar *msg;

    va_start (args, format);
    msg = g_strdup_vprintf (format, args);
    va_end (args);
    GST_DEBUG ("%s", msg);
    if (error != NULL)
      g_set_error_literal (error, RTC_SRTP_ERROR, code, msg);
    g_free (msg);
  }
  return FALSE;
}

static RtcSrtpError
map_status (srtp_err_status_t status, gboolean aead, gboolean unprotect)
{
  switch (status) {
    case srtp_err_status_auth_fail:
      return RTC_SRTP_ERROR_AUTH_FAIL;
    case srtp_err_status_cipher_fail:
      /* With AEAD the tag is checked inside the cipher's decrypt (RFC 7714
       * sections 8 and 9). Debian's NSS-backed libsrtp reports a mismatch as
       * auth_fail, but once our length checks passed nothing else in a
       * packet can make the decrypt fail, so a cipher failure while
       * opening one is a failed authentication too. */
      return aead && unprotect ? RTC_SRTP_ERROR_AUTH_FAIL :
          RTC_SRTP_ERROR_INTERNAL;
    case srtp_err_status_replay_fail:
    case srtp_err_status_replay_old:
      return RTC_SRTP_ERROR_REPLAY;
    case srtp_err_status_bad_param:
    case srtp_err_status_parse_err:
      return RTC_SRTP_ERROR_BAD_PARAM;
    case srtp_err_status_key_expired:
      return RTC_SRTP_ERROR_KEY_EXPIRED;
    default:
      return RTC_SRTP_ERROR_INTERNAL;
  }
}

static const gchar *
status_text (srtp_err_status_t status)
{
  switch (status) {
    case srtp_err_status_auth_fail:
      return "authentication failed";
    case srtp_err_status_cipher_fail:
      return "cipher failure";
    case srtp_err_status_replay_fail:
      return "replayed packet";
    case srtp_err_status_replay_old:
      return "packet older than the replay window";
    case srtp_err_status_bad_param:
      return "malformed packet";
    case srtp_err_status_parse_err:
      return "malformed packet";
    case srtp_err_status_key_expired:
      return "key usage limit reached";
    case srtp_err_status_alloc_fail:
      return "out of memory";
    default:
      return "libsrtp failure";
  }
}

static gboolean
is_aead (const ProfileInfo * info)
{
  return info->profile == RTC_SRTP_PROFILE_AEAD_AES_128_GCM ||
      info->profile == RTC_SRTP_PROFILE_AEAD_AES_256_GCM;
}

/* Shared by both RTP and RTCP protect: the length checks libsrtp leaves to
 * its caller (it assumes the trailer fits). */
static gboolean
check_room (Direction * dir, gsize len, gsize buf_size, gsize overhead,
    const gchar * what, GError ** error)
{
  if (len > RTC_SRTP_MAX_PACKET_LEN)
    return fail (dir, error, RTC_SRTP_ERROR_BAD_PARAM,
        "%s packet of %" G_GSIZE_FORMAT " bytes is too large", what, len);
  if (buf_size < len || buf_size - len < overhead)
    return fail (dir, error, RTC_SRTP_ERROR_NO_SPACE,
        "%s packet of %" G_GSIZE_FORMAT " bytes needs %" G_GSIZE_FORMAT
        " spare bytes for the SRTP trailer, buffer has %" G_GSIZE_FORMAT,
        what, len, overhead, buf_size);
  return TRUE;
}

gboolean
rtc_srtp_protect_rtp (RtcSrtpSession * session, guint8 * buf, gsize * len,
    gsize buf_size, GError ** error)
{
  Direction *dir;
  srtp_err_status_t status;
  int n;

  g_return_val_if_fail (session != NULL, FALSE);
  g_return_val_if_fail (buf != NULL && len != NULL, FALSE);

  dir = &session->out;
  if (rtp_header_len (buf, *len) == 0)
    return fail (dir, error, RTC_SRTP_ERROR_BAD_PARAM,
        "not an RTP packet (%" G_GSIZE_FORMAT " bytes)", *len);
  if (!check_room (dir, *len, buf_size, session->info->rtp_tag_len, "RTP",
          error))
    return FALSE;

  n = (int) *len;
  status = srtp_protect (dir->ctx, buf, &n);
  if (status != srtp_err_status_ok)
    return fail (dir, error, map_status (status, is_aead (session->info),
            FALSE), "SRTP protect failed for SSRC 0x%08x seq %u: %s "
        "(libsrtp status %d)", GST_READ_UINT32_BE (buf + 8),
        GST_READ_UINT16_BE (buf + 2), status_text (status), status);

  *len = (gsize) n;
  dir->stats.rtp_packets++;
  return TRUE;
}

gboolean
rtc_srtp_protect_rtcp (RtcSrtpSession * session, guint8 * buf, gsize * len,
    gsize buf_size, GError ** error)
{
  Direction *dir;
  srtp_err_status_t status;
  int n;

  g_return_val_if_fail (session != NULL, FALSE);
  g_return_val_if_fail (buf != NULL && len != NULL, FALSE);

  dir = &session->out;
  if (!rtcp_header_ok (buf, *len))
    return fail (dir, error, RTC_SRTP_ERROR_BAD_PARAM,
        "not an RTCP packet (%" G_GSIZE_FORMAT " bytes)", *len);
  if (!check_room (dir, *len, buf_size,
          session->info->rtcp_tag_len + SRTCP_INDEX_LEN, "RTCP", error))
    return FALSE;

  n = (int) *len;
  status = srtp_protect_rtcp (dir->ctx, buf, &n);
  if (status != srtp_err_status_ok)
    return fail (dir, error, map_status (status, is_aead (session->info),
            FALSE), "SRTCP protect failed for SSRC 0x%08x: %s "
        "(libsrtp status %d)", GST_READ_UINT32_BE (buf + 4),
        status_text (status), status);

  *len = (gsize) n;
  dir->stats.rtcp_packets++;
  return TRUE;
}

static Suspect *
suspect_find (RtcSrtpSession * session, guint32 ssrc)
{
  guint i;

  for (i = 0; i < RESYNC_SLOTS; i++)
    if (session->suspects[i].fails && session->suspects[i].ssrc == ssrc)
      return &session->suspects[i];
  return NULL;
}

/* A slot for @ssrc: a free one, else the one with the fewest failures
 * (forgeries with random SSRCs churn through them; a stream that really
 * lost sync keeps failing and keeps its slot). */
static Suspect *
suspect_add (RtcSrtpSession * session, guint32 ssrc)
{
  Suspect *least = &session->suspects[0];
  guint i;

  for (i = 0; i < RESYNC_SLOTS; i++) {
    if (!session->suspects[i].fails) {
      least = &session->suspects[i];
      break;
    }
    if (session->suspects[i].fails < least->fails)
      least = &session->suspects[i];
  }
  least->ssrc = ssrc;
  least->fails = 0;
  return least;
}

/* The first packet of @ssrc that @ctx sees gets the index (@roc, @seq):
 * a fresh stream's index has 0 in its low 16 bits, from which libsrtp's
 * estimate (RFC 3711 section 3.3.1) takes a sequence number in the upper
 * half to belong to the counter below. */
static gboolean
fresh_stream (RtcSrtpSession * session, srtp_t * ctx, guint32 ssrc,
    guint32 roc, guint16 seq)
{
  if (*ctx)
    srtp_remove_stream (*ctx, g_htonl (ssrc));
  if (!create_ctx_full (session->info, ssrc_specific, ssrc,
          session->remote_key_salt, ctx, NULL))
    return FALSE;
  return srtp_set_stream_roc (*ctx, ssrc, roc + (seq >= 0x8000)) ==
      srtp_err_status_ok;
}

/* RFC 3711 section 3.3.1 guesses a packet's rollover counter from its
 * sequence number and the highest one seen; after more than 2^15 packets
 * in a row were lost (a receiver starved for a second at 50 000 packets/s,
 * a path down for a while) the guess is one counter short for ever, and
 * every later packet fails to authenticate: the stream never comes back.
 * So a stream that keeps failing has one of its packets tried against the
 * next few counters on a scratch context; only a counter under which the
 * packet authenticates is taken, so a forger gains nothing, and trying
 * costs at most RESYNC_ROCS decryptions per RESYNC_EVERY failures. */
static gboolean
resync (RtcSrtpSession * session, guint32 ssrc, guint16 seq,
    const guint8 * packet, gsize len, guint8 * out, int *out_len)
{
  guint32 roc, k;

  if (srtp_get_stream_roc (session->in.ctx, ssrc, &roc) != srtp_err_status_ok)
    return FALSE;
  for (k = 0; k < RESYNC_ROCS; k++) {
    int n = (int) len;

    memcpy (out, packet, len);
    if (!fresh_stream (session, &session->probe, ssrc, roc + k, seq) ||
        srtp_unprotect (session->probe, out, &n) != srtp_err_status_ok)
      continue;
    /* Found: the real context restarts the stream at that index. */
    memcpy (out, packet, len);
    n = (int) len;
    if (!fresh_stream (session, &session->in.ctx, ssrc, roc + k, seq) ||
        srtp_unprotect (session->in.ctx, out, &n) != srtp_err_status_ok)
      return FALSE;
    GST_INFO ("SSRC 0x%08x: rollover counter resynchronised from %u to %u",
        ssrc, roc, roc + k);
    *out_len = n;
    return TRUE;
  }
  return FALSE;
}

gboolean
rtc_srtp_unprotect_rtp (RtcSrtpSession * session, guint8 * buf, gsize * len,
    GError ** error)
{
  Direction *dir;
  srtp_err_status_t status;
  gsize hlen;
  int n;
  guint32 ssrc;
  guint16 seq;
  Suspect *suspect;
  guint8 *saved = NULL;

  g_return_val_if_fail (session != NULL, FALSE);
  g_return_val_if_fail (buf != NULL && len != NULL, FALSE);

  dir = &session->in;
  hlen = rtp_header_len (buf, *len);
  /* RFC 3711 section 3.1: the tag is mandatory for every profile we
   * offer, so anything shorter than header + tag cannot be valid. */
  if (hlen == 0 || *len - hlen < session->info->rtp_tag_len)
    return fail (dir, error, RTC_SRTP_ERROR_BAD_PARAM,
        "not an SRTP packet (%" G_GSIZE_FORMAT " bytes)", *len);
  if (*len > RTC_SRTP_MAX_PACKET_LEN)
    return fail (dir, error, RTC_SRTP_ERROR_BAD_PARAM,
        "SRTP packet of %" G_GSIZE_FORMAT " bytes is too large", *len);

  ssrc = GST_READ_UINT32_BE (buf + 8);
  seq = GST_READ_UINT16_BE (buf + 2);
  suspect = suspect_find (session, ssrc);
  /* libsrtp may leave an AEAD packet half decrypted when it fails: keep
   * the bytes of the one that will be tried. */
  if (suspect && (suspect->fails + 1) % RESYNC_EVERY == 0)
    saved = g_memdup2 (buf, *len);

  n = (int) *len;
  status = srtp_unprotect (dir->ctx, buf, &n);
  if (status != srtp_err_status_ok && status != srtp_err_status_auth_fail &&
      status != srtp_err_status_replay_old &&
      status != srtp_err_status_replay_fail)
    suspect = NULL;             /* not a stream out of step */
  else if (status != srtp_err_status_ok) {
    if (!suspect)
      suspect = suspect_add (session, ssrc);
    suspect->fails++;
    if (saved && resync (session, ssrc, seq, saved, *len, buf, &n)) {
      dir->stats.resyncs++;
      status = srtp_err_status_ok;
    }
  }
  g_free (saved);
  if (status != srtp_err_status_ok)
    return fail (dir, error, map_status (status, is_aead (session->info),
            TRUE), "SRTP unprotect failed for SSRC 0x%08x seq %u: %s "
        "(libsrtp status %d)", ssrc, seq, status_text (status), status);

  if (suspect)
    suspect->fails = 0;
  *len = (gsize) n;
  dir->stats.rtp_packets++;
  return TRUE;
}

gboolean
rtc_srtp_unprotect_rtcp (RtcSrtpSession * session, guint8 * buf, gsize * len,
    GError ** error)
{
  Direction *dir;
  srtp_err_status_t status;
  int n;

  g_return_val_if_fail (session != NULL, FALSE);
  g_return_val_if_fail (buf != NULL && len != NULL, FALSE);

  dir = &session->in;
  if (!rtcp_header_ok (buf, *len) || *len - RTCP_HEADER_LEN <
      session->info->rtcp_tag_len + SRTCP_INDEX_LEN)
    return fail (dir, error, RTC_SRTP_ERROR_BAD_PARAM,
        "not an SRTCP packet (%" G_GSIZE_FORMAT " bytes)", *len);
  if (*len > RTC_SRTP_MAX_PACKET_LEN)
    return fail (dir, error, RTC_SRTP_ERROR_BAD_PARAM,
        "SRTCP packet of %" G_GSIZE_FORMAT " bytes is too large", *len);

  n = (int) *len;
  status = srtp_unprotect_rtcp (dir->ctx, buf, &n);
  if (status != srtp_err_status_ok)
    return fail (dir, error, map_status (status, is_aead (session->info),
            TRUE), "SRTCP unprotect failed for SSRC 0x%08x: %s "
        "(libsrtp status %d)", GST_READ_UINT32_BE (buf + 4),
        status_text (status), status);

  *len = (gsize) n;
  dir->stats.rtcp_packets++;
  return TRUE;
}

static Direction *
get_direction (RtcSrtpSession * session, RtcSrtpDirection direction)
{
  return direction == RTC_SRTP_DIRECTION_OUTBOUND ? &session->out :
      &session->in;
}

void
rtc_srtp_session_get_stats (RtcSrtpSession * session,
    RtcSrtpDirection direction, RtcSrtpStats * stats)
{
  g_return_if_fail (session != NULL);
  g_return_if_fail (stats != NULL);

  *stats = get_direction (session, direction)->stats;
}

gboolean
rtc_srtp_session_get_roc (RtcSrtpSession * session,
    RtcSrtpDirection direction, guint32 ssrc, guint32 * roc)
{
  uint32_t value = 0;

  g_return_val_if_fail (session != NULL, FALSE);
  g_return_val_if_fail (roc != NULL, FALSE);

  /* libsrtp takes the SSRC in host order here. */
  if (srtp_get_stream_roc (get_direction (session, direction)->ctx, ssrc,
          &value) != srtp_err_status_ok)
    return FALSE;
  *roc = value;
  return TRUE;
}
