/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* How the pieces fit:
 *
 *   handle_packet --> record screen (rtcdtlsrecord.h: drops every record
 *                         |          no DTLS 1.2 peer of ours can send)
 *                         v
 *                      in_data --+                       +--> out queue
 *                                |   +---------------+   |    (TRANSMIT:
 *                                +-->| datagram BIO  |---+    one BIO
 *                                    +-------+-------+        write each)
 *                                            |
 *                                       OpenSSL SSL  --> verify_cb (fingerprint)
 *                                            |       --> info_cb (alerts)
 *                                            |       --> timer_cb (RTO)
 *                               SSL_read --> RECEIVE (held until verified)
 *
 * One BIO serves as both rbio and wbio. Reads hand OpenSSL exactly the one
 * datagram being handled; each write is queued as one datagram, because
 * OpenSSL's DTLS code writes whole datagrams (it packs a flight's records
 * up to the MTU itself) and relies on datagram semantics, which BIO_s_mem
 * would lose by concatenating them.
 */

#include "rtcdtls.h"
#include "rtcdtlsprivate.h"
#include "rtcdtlsrecord.h"

#include <string.h>
#include <gst/gst.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

GST_DEBUG_CATEGORY_STATIC (rtc_dtls_debug);
#define GST_CAT_DEFAULT rtc_dtls_debug

/* ECDHE with AEAD only: forward secrecy, no CBC padding oracles. These
 * are the DTLS 1.2 suites Chromium (BoringSSL), Firefox (NSS), Pion and
 * libdatachannel all offer. The RSA ones matter only for a PEM certificate
 * with an RSA key. */
#define CIPHER_LIST \
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:" \
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-GCM-SHA256:" \
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305"

/* RFC 6347 section 4.2.4.1: "... double the value at each retransmission,
 * up to no less than the RFC 6298 maximum of 60 seconds". */
#define MAX_RETRANSMIT_TIMEOUT_US (60 * G_USEC_PER_SEC)

/* RFC 6347 section 4.1: at most 2^14 bytes of plaintext per record. */
#define MAX_RECORD_LEN 16384

/* OpenSSL treats a timer with less than 15 ms left as expired (and then
 * retransmits from the read path whenever a read finds nothing), so a
 * shorter first timeout would mean retransmitting on every packet. */
#define MIN_INITIAL_TIMEOUT_MS 20

/* OpenSSL's own floor for SSL_set_mtu() with a zero BIO overhead. */
#define MIN_MTU 256

/* Application records that arrive after the handshake but before the
 * remote fingerprint are kept for when it does; beyond this they are
 * dropped (SCTP retransmits). */
#define MAX_HELD_RECORDS 64

/* Spare output items kept for reuse so the per-packet path does not
 * allocate. */
#define MAX_POOLED_ITEMS 32

typedef struct
{
  RtcOutputKind kind;
  guint8 *data;
  gsize len;
  gsize alloc;
  gint event;
  GError *error;
} Item;

struct _RtcDtls
{
  RtcDtlsRole role;
  RtcDtlsState state;
  RtcCertificate *cert;
  SSL_CTX *ctx;
  SSL *ssl;

  guint mtu;
  guint initial_timeout_us;
  guint handshake_timeout_ms;

  /* The latest now_us the caller gave us; deadlines are relative to it. */
  guint64 now_us;
  guint64 handshake_deadline_us;
  gboolean started;
  /* OpenSSL finished the handshake; CONNECTED may still wait for the
   * remote fingerprint. */
  gboolean handshake_done;

  gboolean have_remote_fp;
  RtcFingerprint remote_fp;
  X509 *peer_cert;
  gboolean peer_verified;
  /* Set by verify_cb on a mismatch so the failure names it instead of
   * OpenSSL's generic "certificate verify failed". */
  GError *verify_error;

  /* Full alert values (level << 8 | description), -1 if none. */
  gint alert_received;
  gint alert_sent;

  RtcDtlsSrtpProfile srtp_profile;

  /* The datagram being fed to OpenSSL; NULL outside handle_packet. */
  const guint8 *in_data;
  gsize in_len;

  RtcDtlsRecordScreen screen;
  guint8 *screen_buf;           /* RTC_DTLS_RECORD_MAX_DATAGRAM, on first use */

  guint8 *read_buf;             /* MAX_RECORD_LEN, allocated on first use */

  GQueue out;                   /* Item *, in the order they happened */
  GQueue held;                  /* RECEIVE items until the peer is verified */
  GQueue pool;
  Item *lent;                   /* what the last poll_output returned */
};

G_DEFINE_QUARK (rtc-dtls-error-quark, rtc_dtls_error);

static void
ensure_debug_category (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done)) {
    GST_DEBUG_CATEGORY_INIT (rtc_dtls_debug, "rtcdtls", 0, "rtcpeer DTLS core");
    g_once_init_leave (&done, 1);
  }
}

/* ------------------------------------------------------------------ */
/* output items */

static Item *
item_get (RtcDtls * self)
{
  Item *it = g_queue_pop_head (&self->pool);

  return it ? it : g_new0 (Item, 1);
}

static void
item_free (Item * it)
{
  g_clear_error (&it->error);
  g_free (it->data);
  g_free (it);
}

static void
item_recycle (RtcDtls * self, Item * it)
{
  if (g_queue_get_length (&self->pool) >= MAX_POOLED_ITEMS) {
    item_free (it);
    return;
  }
  g_clear_error (&it->error);
  it->len = 0;
  g_queue_push_tail (&self->pool, it);
}

static void
push_data (RtcDtls * self, GQueue * q, RtcOutputKind kind,
    const guint8 * data, gsize len)
{
  Item *it = item_get (self);

  if (it->alloc < len) {
    g_free (it->data);
    it->data = g_malloc (len);
    it->alloc = len;
  }
  memcpy (it->data, data, len);
  it->len = len;
  it->kind = kind;
  g_queue_push_tail (q, it);
}

/* Takes @error. */
static void
push_event (RtcDtls * self, RtcDtlsEvent event, GError * error)
{
  Item *it = item_get (self);

  it->kind = RTC_OUTPUT_EVENT;
  it->event = event;
  it->error = error;
  g_queue_push_tail (&self->out, it);
}

static void
clear_queue (RtcDtls * self, GQueue * q)
{
  Item *it;

  while ((it = g_queue_pop_head (q)))
    item_recycle (self, it);
}

/* ------------------------------------------------------------------ */
/* the datagram BIO */

static int
bio_write (BIO * bio, const char *data, int len)
{
  RtcDtls *self = BIO_get_data (bio);

  BIO_clear_retry_flags (bio);
  if (self == NULL || len <= 0)
    return len < 0 ? -1 : 0;

  GST_LOG ("transmit datagram of %d bytes (content type %u)", len,
      (guint) (guint8) data[0]);
  push_data (self, &self->out, RTC_OUTPUT_TRANSMIT, (const guint8 *) data, len);
  return len;
}

static int
bio_read (BIO * bio, char *buf, int size)
{
  RtcDtls *self = BIO_get_data (bio);
  gsize n;

  BIO_clear_retry_flags (bio);
  if (self == NULL || self->in_data == NULL || size <= 0) {
    BIO_set_retry_read (bio);
    return -1;
  }

  /* A datagram larger than OpenSSL's buffer would be truncated, as a
   * datagram socket would; the screen hands it at most one full record's
   * worth (RTC_DTLS_RECORD_MAX_DATAGRAM), which its buffer holds. */
  n = MIN ((gsize) size, self->in_len);
  memcpy (buf, self->in_data, n);
  self->in_data = NULL;
  self->in_len = 0;
  return n;
}

static long
bio_ctrl (BIO * bio, int cmd, long num, void *ptr)
{
  RtcDtls *self = BIO_get_data (bio);

  switch (cmd) {
    case BIO_CTRL_FLUSH:
      /* Every write is already a queued datagram. */
      return 1;
    case BIO_CTRL_DGRAM_QUERY_MTU:
    case BIO_CTRL_DGRAM_GET_MTU:
    case BIO_CTRL_DGRAM_GET_FALLBACK_MTU:
      return self ? self->mtu : RTC_DTLS_DEFAULT_MTU;
    case BIO_CTRL_DGRAM_GET_MTU_OVERHEAD:
      /* Our MTU is already the UDP payload size. */
      return 0;
    case BIO_CTRL_DGRAM_SET_NEXT_TIMEOUT:
      /* We ask DTLSv1_get_timeout() instead. */
      return 1;
    case BIO_CTRL_PENDING:
    case BIO_CTRL_WPENDING:
      return 0;
    default:
      return 0;
  }
}

static int
bio_create (BIO * bio)
{
  BIO_set_init (bio, 1);
  return 1;
}

static int
bio_destroy (BIO * bio)
{
  BIO_set_data (bio, NULL);
  BIO_set_init (bio, 0);
  return 1;
}

static gpointer
create_bio_method (gpointer data)
{
  BIO_METHOD *m =
      BIO_meth_new (BIO_get_new_index () | BIO_TYPE_SOURCE_SINK, "rtcdtls");

  if (m == NULL)
    return NULL;
  BIO_meth_set_write (m, bio_write);
  BIO_meth_set_read (m, bio_read);
  BIO_meth_set_ctrl (m, bio_ctrl);
  BIO_meth_set_create (m, bio_create);
  BIO_meth_set_destroy (m, bio_destroy);
  return m;
}

static const BIO_METHOD *
get_bio_method (void)
{
  static GOnce once = G_ONCE_INIT;

  /* Process lifetime: BIO methods are immutable and shared. */
  return g_once (&once, create_bio_method, NULL);
}

/* ------------------------------------------------------------------ */
/* state changes */

static gboolean
is_finished (RtcDtls * self)
{
  return self->state == RTC_DTLS_STATE_CLOSED ||
      self->state == RTC_DTLS_STATE_FAILED;
}

/* Takes @error. */
static void
fail (RtcDtls * self, GError * error)
{
  if (is_finished (self)) {
    g_error_free (error);
    return;
  }
  GST_WARNING ("%s: %s", self->role == RTC_DTLS_ROLE_CLIENT ? "client" :
      "server", error->message);
  self->state = RTC_DTLS_STATE_FAILED;
  /* Records from a peer we could not authenticate are never delivered. */
  clear_queue (self, &self->held);
  push_event (self, RTC_DTLS_EVENT_FAILED, error);
}

static void
set_connected (RtcDtls * self)
{
  Item *it;

  self->state = RTC_DTLS_STATE_CONNECTED;
  GST_INFO ("%s connected, SRTP profile %s",
      self->role == RTC_DTLS_ROLE_CLIENT ? "client" : "server",
      rtc_dtls_srtp_profile_name (self->srtp_profile));
  push_event (self, RTC_DTLS_EVENT_CONNECTED, NULL);
  while ((it = g_queue_pop_head (&self->held)))
    g_queue_push_tail (&self->out, it);
}

static const gchar *
openssl_reason (void)
{
  unsigned long e = ERR_peek_error ();
  const gchar *reason = e ? ERR_reason_error_string (e) : NULL;

  return reason ? reason : "unknown error";
}

/* Turns the state OpenSSL left behind after a fatal SSL_ERROR_* into
 * one GError, most specific cause first, saying whether the handshake or
 * the association after it failed. */
static GError *
error_from_ssl (RtcDtls * self, gint ssl_error)
{
  unsigned long e = ERR_peek_error ();
  const gchar *what = self->handshake_done ?
      "DTLS association failed after the handshake" : "DTLS handshake failed";

  if (self->verify_error) {
    GError *err = self->verify_error;

    self->verify_error = NULL;
    return err;
  }
  if (self->alert_received >= 0)
    return g_error_new (RTC_DTLS_ERROR, RTC_DTLS_ERROR_ALERT_RECEIVED,
        "%s: peer sent fatal alert %s", what,
        SSL_alert_desc_string_long (self->alert_received));
  /* After the handshake too: OpenSSL gives up once the peer has sent its
   * last flight again that many times (each a new, authenticated record,
   * so only the peer can), that is when our answers never arrive. */
  if (e != 0 && ERR_GET_LIB (e) == ERR_LIB_SSL &&
      ERR_GET_REASON (e) == SSL_R_READ_TIMEOUT_EXPIRED)
    return g_error_new (RTC_DTLS_ERROR, RTC_DTLS_ERROR_TIMEOUT,
        "%s: no answer after the maximum number of retransmissions", what);
  if (self->alert_sent >= 0)
    return g_error_new (RTC_DTLS_ERROR, RTC_DTLS_ERROR_ALERT_SENT,
        "%s: sent fatal alert %s: %s", what,
        SSL_alert_desc_string_long (self->alert_sent), openssl_reason ());
  return g_error_new (RTC_DTLS_ERROR, RTC_DTLS_ERROR_FAILED,
      "%s (SSL_get_error %d): %s", what, ssl_error, openssl_reason ());
}

static gboolean
check_peer_fingerprint (RtcDtls * self, GError ** error)
{
  RtcFingerprint actual;
  gchar *expected_str, *actual_str;

  /* Like for like: hash the certificate with the function the SDP
   * used (RFC 8122 section 5). */
  if (!rtc_fingerprint_from_x509 (self->remote_fp.hash, self->peer_cert,
          &actual, error))
    return FALSE;
  if (rtc_fingerprint_equal (&actual, &self->remote_fp))
    return TRUE;

  expected_str = rtc_fingerprint_to_string (&self->remote_fp);
  actual_str = rtc_fingerprint_to_string (&actual);
  g_set_error (error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_FINGERPRINT_MISMATCH,
      "DTLS peer certificate fingerprint does not match the remote "
      "description: expected (from SDP) %s, actual %s", expected_str,
      actual_str);
  g_free (expected_str);
  g_free (actual_str);
  return FALSE;
}

/* Explicit nonce + tag of @cipher's records; 0 if unknown, which the
 * screen treats as "any of ours". */
static guint
aead_overhead (const SSL_CIPHER * cipher)
{
  if (cipher == NULL)
    return 0;
  switch (SSL_CIPHER_get_cipher_nid (cipher)) {
    case NID_aes_128_gcm:
    case NID_aes_256_gcm:
      return RTC_DTLS_AES_GCM_OVERHEAD;
    case NID_chacha20_poly1305:
      return RTC_DTLS_CHACHA20_POLY1305_OVERHEAD;
    default:
      return 0;
  }
}

static void
on_handshake_done (RtcDtls * self)
{
  SRTP_PROTECTION_PROFILE *p;

  self->handshake_done = TRUE;
  /* From now on the peer can only send at epoch 1 (no renegotiation),
   * with the cipher that was negotiated. */
  self->screen.handshake_done = TRUE;
  self->screen.read_epoch = 1;
  self->screen.aead_overhead =
      aead_overhead (SSL_get_current_cipher (self->ssl));
  p = SSL_get_selected_srtp_profile (self->ssl);
  self->srtp_profile = p ? (RtcDtlsSrtpProfile) p->id : RTC_DTLS_SRTP_NONE;
  GST_DEBUG ("handshake done, cipher %s, SRTP %s",
      SSL_get_cipher_name (self->ssl),
      rtc_dtls_srtp_profile_name (self->srtp_profile));

  /* Cannot happen with SSL_VERIFY_FAIL_IF_NO_PEER_CERT and certificate
   * based suites, but an unauthenticated peer must never get through. */
  if (self->peer_cert == NULL) {
    fail (self, g_error_new_literal (RTC_DTLS_ERROR, RTC_DTLS_ERROR_FAILED,
            "DTLS peer presented no certificate"));
    return;
  }

  if (self->peer_verified)
    set_connected (self);
  else
    GST_INFO ("handshake done, waiting for the remote fingerprint");
}

static void
on_close_notify (RtcDtls * self)
{
  GST_INFO ("peer sent close_notify");
  /* RFC 5246 section 7.2.1: answer with our own close_notify. */
  SSL_shutdown (self->ssl);
  self->state = RTC_DTLS_STATE_CLOSED;
  clear_queue (self, &self->held);
  push_event (self, RTC_DTLS_EVENT_CLOSED, NULL);
}

static void
deliver (RtcDtls * self, const guint8 * data, gsize len)
{
  if (self->peer_verified) {
    push_data (self, &self->out, RTC_OUTPUT_RECEIVE, data, len);
  } else if (g_queue_get_length (&self->held) < MAX_HELD_RECORDS) {
    push_data (self, &self->held, RTC_OUTPUT_RECEIVE, data, len);
  } else {
    GST_DEBUG ("dropping %" G_GSIZE_FORMAT " byte record: remote "
        "fingerprint still unknown", len);
  }
}

static void
read_records (RtcDtls * self)
{
  if (self->read_buf == NULL)
    self->read_buf = g_malloc (MAX_RECORD_LEN);

  while (!is_finished (self)) {
    gint n = SSL_read (self->ssl, self->read_buf, MAX_RECORD_LEN);
    gint err;

    if (n > 0) {
      deliver (self, self->read_buf, n);
      continue;
    }

    err = SSL_get_error (self->ssl, n);
    switch (err) {
      case SSL_ERROR_WANT_READ:
      case SSL_ERROR_WANT_WRITE:
        return;
      case SSL_ERROR_ZERO_RETURN:
        on_close_notify (self);
        return;
      default:
        /* RFC 6347 section 4.1.2.7: invalid records are discarded, and
         * OpenSSL does so silently. Should an error ever come back for
         * which OpenSSL did not put the connection into its error state
         * (which re-enters init) nor exchange an alert, an injected
         * datagram must not tear down an authenticated association.
         * An error with an alert is OpenSSL's fatal state, in which the
         * SSL cannot be used any more and the alert is already on its
         * way: after the handshake the screen (screen_datagram ()) lets
         * only records reach OpenSSL that fail their tag check silently
         * or that the peer sent, so this is the peer's doing. */
        if (self->handshake_done && !SSL_in_init (self->ssl) &&
            self->alert_sent < 0 && self->alert_received < 0) {
          GST_WARNING ("ignoring non-fatal DTLS read error: %s",
              openssl_reason ());
          return;
        }
        fail (self, error_from_ssl (self, err));
        return;
    }
  }
}

/* Runs OpenSSL on whatever is in in_data (possibly nothing). */
static void
drive (RtcDtls * self)
{
  if (is_finished (self))
    return;

  if (!self->handshake_done) {
    gint ret = SSL_do_handshake (self->ssl);

    if (ret != 1) {
      gint err = SSL_get_error (self->ssl, ret);

      if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE)
        fail (self, error_from_ssl (self, err));
      return;
    }
    on_handshake_done (self);
  }

  /* The datagram that completed the handshake may carry application
   * records behind the Finished. */
  read_records (self);
}

static void
ensure_started (RtcDtls * self, guint64 now_us)
{
  if (self->started)
    return;

  self->started = TRUE;
  self->state = RTC_DTLS_STATE_CONNECTING;
  self->handshake_deadline_us = now_us +
      (guint64) self->handshake_timeout_ms * 1000;

  if (self->role == RTC_DTLS_ROLE_CLIENT) {
    GST_DEBUG ("client: sending ClientHello");
    SSL_set_connect_state (self->ssl);
    drive (self);
  } else {
    GST_DEBUG ("server: waiting for ClientHello");
    SSL_set_accept_state (self->ssl);
  }
}

/* Every entry point starts and ends here: the previous output's buffer
 * may be reused, and no OpenSSL error may leak to another instance (or
 * another library) on this thread. */
/* SSL_get_error () needs an empty error queue before each call. Emptying
 * one that is already empty costs more than looking (it resets every
 * slot), and it is almost always empty: look first. */
static inline void
clear_errors (void)
{
  if (ERR_peek_error () != 0)
    ERR_clear_error ();
}

static void
enter (RtcDtls * self)
{
  if (self->lent) {
    item_recycle (self, self->lent);
    self->lent = NULL;
  }
  clear_errors ();
}

static void
leave (RtcDtls * self)
{
  clear_errors ();
}

/* ------------------------------------------------------------------ */
/* OpenSSL callbacks */

/* Replaces OpenSSL's chain verification: WebRTC certificates are
 * self-signed and trusted only through the SDP fingerprint (RFC 5763
 * section 5). */
static int
verify_cb (X509_STORE_CTX * store, void *arg)
{
  RtcDtls *self = arg;
  X509 *cert = X509_STORE_CTX_get0_cert (store);

  if (cert == NULL) {
    X509_STORE_CTX_set_error (store, X509_V_ERR_UNSPECIFIED);
    return 0;
  }

  X509_free (self->peer_cert);
  X509_up_ref (cert);
  self->peer_cert = cert;
  self->peer_verified = FALSE;

  if (!self->have_remote_fp) {
    /* Accepted for now; CONNECTED waits until set_remote_fingerprint()
     * checks it. */
    GST_DEBUG ("peer certificate received before the remote fingerprint");
    return 1;
  }

  g_clear_error (&self->verify_error);
  if (!check_peer_fingerprint (self, &self->verify_error)) {
    /* Makes OpenSSL send bad_certificate (RFC 5246 section 7.2.2). */
    X509_STORE_CTX_set_error (store, X509_V_ERR_CERT_REJECTED);
    return 0;
  }
  GST_DEBUG ("peer certificate matches the remote fingerprint");
  self->peer_verified = TRUE;
  return 1;
}

static void
info_cb (const SSL * ssl, int where, int ret)
{
  RtcDtls *self = SSL_get_app_data (ssl);

  if (self == NULL || !(where & SSL_CB_ALERT))
    return;

  GST_DEBUG ("%s alert %s: %s", (where & SSL_CB_READ) ? "received" : "sent",
      SSL_alert_type_string_long (ret), SSL_alert_desc_string_long (ret));
  if ((ret >> 8) != SSL3_AL_FATAL)
    return;
  if (where & SSL_CB_READ)
    self->alert_received = ret;
  else
    self->alert_sent = ret;
}

/* OpenSSL asks for each retransmission timeout here (0 = first of a
 * flight); this is the only way to change its 1 s start. */
static unsigned int
timer_cb (SSL * ssl, unsigned int previous_us)
{
  RtcDtls *self = SSL_get_app_data (ssl);

  if (previous_us == 0)
    return self->initial_timeout_us;
  return MIN ((guint64) previous_us * 2, MAX_RETRANSMIT_TIMEOUT_US);
}

/* ------------------------------------------------------------------ */
/* public API */

/* Only a subset of CIPHER_LIST: the record screen knows the overhead of
 * those ciphers only, and they are the ones we vouch for. */
static gboolean
set_cipher_suites (RtcDtls * self, const gchar * list, GError ** error)
{
  STACK_OF (SSL_CIPHER) * ciphers;
  gint i;

  if (!SSL_CTX_set_cipher_list (self->ctx, list)) {
    g_set_error (error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_INVALID_ARGUMENT,
        "Invalid DTLS cipher list \"%s\": %s", list, openssl_reason ());
    return FALSE;
  }
  ciphers = SSL_CTX_get_ciphers (self->ctx);
  for (i = 0; i < sk_SSL_CIPHER_num (ciphers); i++) {
    const SSL_CIPHER *c = sk_SSL_CIPHER_value (ciphers, i);
    const gchar *name = SSL_CIPHER_get_name (c);
    gchar *delimited;
    gboolean known;

    /* The list has TLS 1.3 suites too, which DTLS 1.2 never uses. */
    if (SSL_CIPHER_get_kx_nid (c) == NID_kx_any)
      continue;
    delimited = g_strdup_printf (":%s:", name);
    known = strstr (":" CIPHER_LIST ":", delimited) != NULL;
    g_free (delimited);
    if (!known) {
      g_set_error (error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_INVALID_ARGUMENT,
          "DTLS cipher %s is not one of the suites rtcpeer offers (%s)",
          name, CIPHER_LIST);
      return FALSE;
    }
  }
  return TRUE;
}

static gboolean
setup_ctx (RtcDtls * self, const RtcDtlsConfig * cfg, GError ** error)
{
  const gchar *profiles;
  const gchar *what;

  self->ctx = SSL_CTX_new (DTLS_method ());
  what = "create an SSL_CTX";
  if (self->ctx == NULL)
    goto fail;

  /* RFC 8827 section 6.5: DTLS 1.2 or later; 1.0 is long deprecated. */
  what = "require DTLS 1.2";
  if (!SSL_CTX_set_min_proto_version (self->ctx, DTLS1_2_VERSION))
    goto fail;
  what = "set the cipher list";
  if (!SSL_CTX_set_cipher_list (self->ctx, CIPHER_LIST))
    goto fail;
  if (cfg->cipher_suites != NULL &&
      !set_cipher_suites (self, cfg->cipher_suites, error))
    return FALSE;
  what = "use the certificate";
  if (SSL_CTX_use_certificate (self->ctx,
          rtc_certificate_peek_x509 (self->cert)) != 1 ||
      SSL_CTX_use_PrivateKey (self->ctx,
          rtc_certificate_peek_key (self->cert)) != 1 ||
      SSL_CTX_check_private_key (self->ctx) != 1)
    goto fail;

  /* NO_QUERY_MTU: there is no socket to ask; the MTU is ours to set.
   * No tickets or session cache: each association is a fresh handshake
   * authenticated by its fingerprint. No renegotiation: WebRTC has no use
   * for it and it is the classic post-handshake attack surface. */
  SSL_CTX_set_options (self->ctx, SSL_OP_NO_QUERY_MTU | SSL_OP_NO_TICKET |
      SSL_OP_NO_RENEGOTIATION);
  SSL_CTX_set_session_cache_mode (self->ctx, SSL_SESS_CACHE_OFF);

  /* RFC 5763 section 5: both sides present certificates, so the server
   * asks for the client's and refuses a client without one. */
  SSL_CTX_set_verify (self->ctx,
      SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
  SSL_CTX_set_cert_verify_callback (self->ctx, verify_cb, self);

  profiles = cfg->srtp_profiles ? cfg->srtp_profiles :
      RTC_DTLS_DEFAULT_SRTP_PROFILES;
  /* Returns 0 on success, unlike most of OpenSSL. */
  if (profiles[0] != '\0' &&
      SSL_CTX_set_tlsext_use_srtp (self->ctx, profiles) != 0) {
    g_set_error (error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_INVALID_ARGUMENT,
        "Invalid SRTP profile list \"%s\": %s", profiles, openssl_reason ());
    return FALSE;
  }
  return TRUE;

fail:
  g_set_error (error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_FAILED,
      "Could not %s: %s", what, openssl_reason ());
  return FALSE;
}

static gboolean
setup_ssl (RtcDtls * self, GError ** error)
{
  const BIO_METHOD *method = get_bio_method ();
  BIO *bio;

  self->ssl = SSL_new (self->ctx);
  if (self->ssl == NULL || method == NULL)
    goto fail;
  SSL_set_app_data (self->ssl, self);
  SSL_set_info_callback (self->ssl, info_cb);

  bio = BIO_new (method);
  if (bio == NULL)
    goto fail;
  BIO_set_data (bio, self);
  /* Same BIO both ways: SSL_set_bio takes the single reference. */
  SSL_set_bio (self->ssl, bio, bio);

  if (!SSL_set_mtu (self->ssl, self->mtu))
    goto fail;
  DTLS_set_timer_cb (self->ssl, timer_cb);
  return TRUE;

fail:
  g_set_error (error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_FAILED,
      "Could not set up the DTLS connection: %s", openssl_reason ());
  return FALSE;
}

RtcDtls *
rtc_dtls_new (const RtcDtlsConfig * cfg, GError ** error)
{
  RtcDtls *self;

  g_return_val_if_fail (cfg != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ensure_debug_category ();
  ERR_clear_error ();

  if (cfg->role != RTC_DTLS_ROLE_CLIENT && cfg->role != RTC_DTLS_ROLE_SERVER) {
    g_set_error (error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_INVALID_ARGUMENT,
        "Invalid DTLS role %d", cfg->role);
    return NULL;
  }
  if (cfg->mtu != 0 && cfg->mtu < MIN_MTU) {
    g_set_error (error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_INVALID_ARGUMENT,
        "DTLS MTU %u is below the minimum of %u", cfg->mtu, MIN_MTU);
    return NULL;
  }

  self = g_new0 (RtcDtls, 1);
  self->role = cfg->role;
  self->state = RTC_DTLS_STATE_NEW;
  self->mtu = cfg->mtu ? cfg->mtu : RTC_DTLS_DEFAULT_MTU;
  self->initial_timeout_us = (cfg->initial_timeout_ms ? cfg->initial_timeout_ms
      : RTC_DTLS_DEFAULT_INITIAL_TIMEOUT_MS) * 1000;
  self->initial_timeout_us = CLAMP (self->initial_timeout_us,
      MIN_INITIAL_TIMEOUT_MS * 1000, MAX_RETRANSMIT_TIMEOUT_US);
  self->handshake_timeout_ms = cfg->handshake_timeout_ms ?
      cfg->handshake_timeout_ms : RTC_DTLS_DEFAULT_HANDSHAKE_TIMEOUT_MS;
  self->alert_received = -1;
  self->alert_sent = -1;
  rtc_dtls_record_screen_init (&self->screen);
  self->cert = cfg->certificate ? rtc_certificate_ref (cfg->certificate) :
      rtc_certificate_get_default ();

  if (self->cert == NULL) {
    g_set_error_literal (error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_FAILED,
        "No DTLS certificate available");
    goto fail;
  }

  if (cfg->remote_fingerprint != NULL) {
    if (!rtc_fingerprint_parse (cfg->remote_fingerprint, &self->remote_fp,
            error))
      goto fail;
    self->have_remote_fp = TRUE;
  }

  if (!setup_ctx (self, cfg, error) || !setup_ssl (self, error))
    goto fail;

  GST_DEBUG ("new %s, mtu %u, initial timeout %u us",
      self->role == RTC_DTLS_ROLE_CLIENT ? "client" : "server", self->mtu,
      self->initial_timeout_us);
  ERR_clear_error ();
  return self;

fail:
  rtc_dtls_free (self);
  ERR_clear_error ();
  return NULL;
}

void
rtc_dtls_free (RtcDtls * self)
{
  Item *it;

  if (self == NULL)
    return;

  if (self->lent)
    item_free (self->lent);
  while ((it = g_queue_pop_head (&self->out)))
    item_free (it);
  while ((it = g_queue_pop_head (&self->held)))
    item_free (it);
  while ((it = g_queue_pop_head (&self->pool)))
    item_free (it);

  SSL_free (self->ssl);
  SSL_CTX_free (self->ctx);
  X509_free (self->peer_cert);
  if (self->cert)
    rtc_certificate_unref (self->cert);
  g_clear_error (&self->verify_error);
  g_free (self->read_buf);
  g_free (self->screen_buf);
  g_free (self);
  ERR_clear_error ();
}

gboolean
rtc_dtls_set_remote_fingerprint (RtcDtls * self, const gchar * fingerprint,
    GError ** error)
{
  RtcFingerprint fp;
  GError *err = NULL;
  gboolean ret = TRUE;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  enter (self);

  if (!rtc_fingerprint_parse (fingerprint, &fp, error)) {
    ret = FALSE;
    goto out;
  }

  if (self->peer_verified) {
    if (!rtc_fingerprint_equal (&fp, &self->remote_fp)) {
      /* RFC 8842 section 5: a new fingerprint means a new association,
       * which is a new RtcDtls, not this one. */
      g_set_error (error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_INVALID_ARGUMENT,
          "The DTLS peer was already verified against a different "
          "fingerprint; a new fingerprint needs a new DTLS association");
      ret = FALSE;
    }
    goto out;
  }

  self->remote_fp = fp;
  self->have_remote_fp = TRUE;

  if (self->peer_cert == NULL || is_finished (self))
    goto out;

  if (check_peer_fingerprint (self, &err)) {
    GST_DEBUG ("late remote fingerprint matches the peer certificate");
    self->peer_verified = TRUE;
    if (self->handshake_done)
      set_connected (self);
  } else {
    /* After the handshake only close_notify can still tell the peer;
     * OpenSSL has no way to send a fatal alert at this point. */
    if (self->handshake_done)
      SSL_shutdown (self->ssl);
    fail (self, err);
  }

out:
  leave (self);
  return ret;
}

void
rtc_dtls_start (RtcDtls * self, guint64 now_us)
{
  g_return_if_fail (self != NULL);

  enter (self);
  self->now_us = MAX (self->now_us, now_us);
  if (!is_finished (self))
    ensure_started (self, self->now_us);
  leave (self);
}

/* Whatever OpenSSL does with a record before checking its AEAD tag, anyone
 * can make it do; a fatal error there is answered with an alert and ends
 * the association. The screen keeps OpenSSL's unauthenticated path to
 * inputs it handles without error: after the handshake, every record it
 * sees has a known type, DTLS 1.2, the current epoch (no buffering for a
 * later one, no null cipher) and a length the cipher can have produced
 * (at least nonce + tag, which 3.0.19 failed on, at most 2^14 plus
 * those, well below the 2^14 + 2048 past which OpenSSL 3.0 answers
 * record_overflow before decrypting); such a record either fails
 * its tag check, which DTLS drops silently (RFC 6347 section 4.1.2.7), or
 * came from the peer. The replay window moves only for authenticated
 * records, and renegotiation is refused, so nothing else an unauthenticated
 * datagram carries changes any state. */
static const guint8 *
screen_datagram (RtcDtls * self, const guint8 * data, gsize len,
    gsize * out_len)
{
  guint64 dropped = self->screen.dropped;
  const guint8 *ret;

  /* The cipher is known once OpenSSL chose it (server) or read the
   * ServerHello (client), before the first record at epoch 1 is read. */
  if (!self->handshake_done && self->screen.aead_overhead == 0) {
    const SSL_CIPHER *c = SSL_get_pending_cipher (self->ssl);

    self->screen.aead_overhead = aead_overhead (c ? c :
        SSL_get_current_cipher (self->ssl));
  }

  if (self->screen_buf == NULL)
    self->screen_buf = g_malloc (RTC_DTLS_RECORD_MAX_DATAGRAM);
  ret = rtc_dtls_record_screen (&self->screen, data, len, self->screen_buf,
      out_len);
  if (self->screen.dropped != dropped)
    GST_LOG ("dropped %" G_GUINT64_FORMAT " of the records in a datagram of %"
        G_GSIZE_FORMAT " bytes (last: %s)", self->screen.dropped - dropped, len,
        rtc_dtls_record_verdict_name (self->screen.last_drop));
  return ret;
}

void
rtc_dtls_handle_packet (RtcDtls * self, guint64 now_us, const guint8 * data,
    gsize len)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (data != NULL || len == 0);

  enter (self);
  self->now_us = MAX (self->now_us, now_us);

  if (is_finished (self) || len == 0)
    goto out;

  /* A datagram with nothing left is as if it never arrived: it neither
   * starts a server nor wakes OpenSSL. */
  data = screen_datagram (self, data, len, &len);
  if (len == 0)
    goto out;

  ensure_started (self, self->now_us);
  self->in_data = data;
  self->in_len = len;
  drive (self);
  /* OpenSSL reads at most one datagram per call; whatever it did not
   * read (it was not reading at all) is dropped, like a socket would. */
  self->in_data = NULL;
  self->in_len = 0;

out:
  leave (self);
}

void
rtc_dtls_handle_timeout (RtcDtls * self, guint64 now_us)
{
  g_return_if_fail (self != NULL);

  enter (self);
  self->now_us = MAX (self->now_us, now_us);

  if (!self->started || is_finished (self))
    goto out;

  if (self->state == RTC_DTLS_STATE_CONNECTING &&
      self->now_us >= self->handshake_deadline_us) {
    fail (self, g_error_new (RTC_DTLS_ERROR, RTC_DTLS_ERROR_TIMEOUT,
            "DTLS handshake did not complete within %u ms (%s)",
            self->handshake_timeout_ms, self->handshake_done ?
            "the remote fingerprint never arrived" :
            "no complete handshake from the peer"));
    goto out;
  }

  /* Retransmits the last flight if OpenSSL's clock says it is due. */
  if (DTLSv1_handle_timeout (self->ssl) < 0)
    fail (self, error_from_ssl (self, SSL_ERROR_SSL));

out:
  leave (self);
}

gboolean
rtc_dtls_send (RtcDtls * self, const guint8 * data, gsize len, GError ** error)
{
  gboolean ret = FALSE;
  gint n;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  enter (self);

  if (self->state != RTC_DTLS_STATE_CONNECTED) {
    g_set_error (error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_NOT_CONNECTED,
        "Cannot send over DTLS: the association is %s, not connected",
        rtc_dtls_state_name (self->state));
    goto out;
  }
  /* OpenSSL treats an oversized DTLS write as an internal error and
   * kills the association, so refuse it here. */
  if (len == 0 || len > MAX_RECORD_LEN) {
    g_set_error (error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_INVALID_ARGUMENT,
        "Cannot send %" G_GSIZE_FORMAT " bytes in one DTLS record "
        "(1 to %u)", len, MAX_RECORD_LEN);
    goto out;
  }

  n = SSL_write (self->ssl, data, len);
  if (n <= 0) {
    GError *err = error_from_ssl (self, SSL_get_error (self->ssl, n));

    g_propagate_error (error, g_error_copy (err));
    fail (self, err);
    goto out;
  }
  ret = TRUE;

out:
  leave (self);
  return ret;
}

void
rtc_dtls_close (RtcDtls * self)
{
  g_return_if_fail (self != NULL);

  enter (self);
  if (!is_finished (self)) {
    /* During the handshake there is nothing to close cleanly (OpenSSL
     * refuses SSL_shutdown in init); the peer times out. */
    if (self->handshake_done)
      SSL_shutdown (self->ssl);
    self->state = RTC_DTLS_STATE_CLOSED;
    clear_queue (self, &self->held);
  }
  leave (self);
}

static guint64
next_deadline (RtcDtls * self)
{
  guint64 deadline = RTC_TIMEOUT_NONE;
  struct timeval tv;

  if (!self->started || is_finished (self))
    return RTC_TIMEOUT_NONE;

  if (self->state == RTC_DTLS_STATE_CONNECTING)
    deadline = self->handshake_deadline_us;

  /* OpenSSL's timer runs on its own clock; what is left of it is added to
   * the caller's now. */
  if (DTLSv1_get_timeout (self->ssl, &tv) == 1) {
    guint64 left = (guint64) tv.tv_sec * G_USEC_PER_SEC + tv.tv_usec;

    deadline = MIN (deadline, self->now_us + left);
  }
  /* Runs after every packet: look before emptying. */
  clear_errors ();
  return deadline;
}

gboolean
rtc_dtls_poll_output (RtcDtls * self, RtcOutput * out)
{
  Item *it;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  enter (self);
  memset (out, 0, sizeof (*out));

  it = g_queue_pop_head (&self->out);
  if (it == NULL) {
    out->kind = RTC_OUTPUT_TIMEOUT;
    out->timeout_us = next_deadline (self);
    return FALSE;
  }

  out->kind = it->kind;
  if (it->kind == RTC_OUTPUT_EVENT) {
    out->event = it->event;
    out->error = it->error;
    it->error = NULL;
    item_recycle (self, it);
  } else {
    out->data = it->data;
    out->len = it->len;
    self->lent = it;
  }
  return TRUE;
}

RtcDtlsState
rtc_dtls_get_state (RtcDtls * self)
{
  g_return_val_if_fail (self != NULL, RTC_DTLS_STATE_FAILED);

  return self->state;
}

RtcDtlsRole
rtc_dtls_get_role (RtcDtls * self)
{
  g_return_val_if_fail (self != NULL, RTC_DTLS_ROLE_CLIENT);

  return self->role;
}

RtcCertificate *
rtc_dtls_get_certificate (RtcDtls * self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->cert;
}

guint
rtc_dtls_get_max_send_size (RtcDtls * self)
{
  size_t n;

  g_return_val_if_fail (self != NULL, 0);

  if (self->state != RTC_DTLS_STATE_CONNECTED)
    return 0;
  n = DTLS_get_data_mtu (self->ssl);
  ERR_clear_error ();
  return n;
}

const gchar *
rtc_dtls_get_cipher_name (RtcDtls * self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->state != RTC_DTLS_STATE_CONNECTED)
    return NULL;
  return SSL_CIPHER_standard_name (SSL_get_current_cipher (self->ssl));
}

SSL *
rtc_dtls_peek_ssl (RtcDtls * self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->ssl;
}

guint64
rtc_dtls_get_dropped_records (RtcDtls * self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->screen.dropped;
}

RtcDtlsSrtpProfile
rtc_dtls_get_srtp_profile (RtcDtls * self)
{
  g_return_val_if_fail (self != NULL, RTC_DTLS_SRTP_NONE);

  return self->state == RTC_DTLS_STATE_CONNECTED ? self->srtp_profile :
      RTC_DTLS_SRTP_NONE;
}

gboolean
rtc_dtls_export_keying_material (RtcDtls * self, const gchar * label,
    guint8 * out, gsize len, GError ** error)
{
  gboolean ret;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (label != NULL, FALSE);
  g_return_val_if_fail (out != NULL || len == 0, FALSE);

  if (self->state != RTC_DTLS_STATE_CONNECTED) {
    g_set_error (error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_NOT_CONNECTED,
        "No keying material: the DTLS association is %s, not connected",
        rtc_dtls_state_name (self->state));
    return FALSE;
  }

  ERR_clear_error ();
  /* RFC 5705 section 4, without a context value (as RFC 5764 uses it). */
  ret = SSL_export_keying_material (self->ssl, out, len, label,
      strlen (label), NULL, 0, 0) == 1;
  if (!ret)
    g_set_error (error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_FAILED,
        "Could not export keying material for \"%s\": %s", label,
        openssl_reason ());
  ERR_clear_error ();
  return ret;
}

gboolean
rtc_dtls_get_srtp_keys (RtcDtls * self, RtcDtlsSrtpKeys * keys, GError ** error)
{
  guint8 material[2 * RTC_DTLS_SRTP_MAX_KEY_SALT_LEN];
  const guint8 *client_key, *server_key, *client_salt, *server_salt;
  guint k, s;
  gboolean is_client;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (keys != NULL, FALSE);

  memset (keys, 0, sizeof (*keys));

  if (self->state != RTC_DTLS_STATE_CONNECTED) {
    g_set_error (error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_NOT_CONNECTED,
        "No SRTP keys: the DTLS association is %s, not connected",
        rtc_dtls_state_name (self->state));
    return FALSE;
  }

  /* RFC 5764 section 4.1.2 and RFC 7714 section 12: both profiles have a
   * 128-bit master key; the salt is 112 bits for AES-CM, 96 for GCM. */
  switch (self->srtp_profile) {
    case RTC_DTLS_SRTP_AES128_CM_SHA1_80:
      k = 16;
      s = 14;
      break;
    case RTC_DTLS_SRTP_AEAD_AES_128_GCM:
      k = 16;
      s = 12;
      break;
    default:
      g_set_error (error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_NOT_CONNECTED,
          "No SRTP keys: the peer did not negotiate use_srtp");
      return FALSE;
  }

  if (!rtc_dtls_export_keying_material (self, RTC_DTLS_SRTP_EXPORTER_LABEL,
          material, 2 * (k + s), error))
    return FALSE;

  /* RFC 5764 section 4.2: client_write_SRTP_master_key |
   * server_write_SRTP_master_key | client_write_SRTP_master_salt |
   * server_write_SRTP_master_salt */
  client_key = material;
  server_key = material + k;
  client_salt = material + 2 * k;
  server_salt = material + 2 * k + s;
  is_client = self->role == RTC_DTLS_ROLE_CLIENT;

  keys->profile = self->srtp_profile;
  keys->key_len = k;
  keys->salt_len = s;
  memcpy (keys->local_key_salt, is_client ? client_key : server_key, k);
  memcpy (keys->local_key_salt + k, is_client ? client_salt : server_salt, s);
  memcpy (keys->remote_key_salt, is_client ? server_key : client_key, k);
  memcpy (keys->remote_key_salt + k, is_client ? server_salt : client_salt, s);
  OPENSSL_cleanse (material, sizeof (material));
  return TRUE;
}

gchar *
rtc_dtls_get_remote_certificate_pem (RtcDtls * self)
{
  BIO *bio;
  BUF_MEM *mem = NULL;
  gchar *ret = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->peer_cert == NULL)
    return NULL;

  bio = BIO_new (BIO_s_mem ());
  if (bio && PEM_write_bio_X509 (bio, self->peer_cert)) {
    BIO_get_mem_ptr (bio, &mem);
    ret = g_strndup (mem->data, mem->length);
  }
  BIO_free (bio);
  ERR_clear_error ();
  return ret;
}

const gchar *
rtc_dtls_srtp_profile_name (RtcDtlsSrtpProfile profile)
{
  switch (profile) {
    case RTC_DTLS_SRTP_NONE:
      return "none";
    case RTC_DTLS_SRTP_AES128_CM_SHA1_80:
      return "SRTP_AES128_CM_SHA1_80";
    case RTC_DTLS_SRTP_AEAD_AES_128_GCM:
      return "SRTP_AEAD_AES_128_GCM";
  }
  return "unknown";
}

const gchar *
rtc_dtls_state_name (RtcDtlsState state)
{
  switch (state) {
    case RTC_DTLS_STATE_NEW:
      return "new";
    case RTC_DTLS_STATE_CONNECTING:
      return "connecting";
    case RTC_DTLS_STATE_CONNECTED:
      return "connected";
    case RTC_DTLS_STATE_CLOSED:
      return "closed";
    case RTC_DTLS_STATE_FAILED:
      return "failed";
  }
  return "unknown";
}

const gchar *
rtc_dtls_event_name (RtcDtlsEvent event)
{
  switch (event) {
    case RTC_DTLS_EVENT_CONNECTED:
      return "connected";
    case RTC_DTLS_EVENT_CLOSED:
      return "closed";
    case RTC_DTLS_EVENT_FAILED:
      return "failed";
  }
  return "unknown";
}
