/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The DTLS core end to end: two instances in memory (dtls-pair.h). */

#include <string.h>
#include <glib.h>
#include <openssl/err.h>

#include "dtls-pair.h"


/* ------------------------------------------------------------------ */
/* 1. handshake */

static void
check_handshake (RtcDtlsRole l_role)
{
  Pair *pair = pair_new (l_role);
  gchar *pem, *own_pem;

  pair_start (pair);
  g_assert_cmpint (rtc_dtls_get_state (pair->l.dtls), ==,
      RTC_DTLS_STATE_CONNECTING);
  run_until (pair, both_connected);
  assert_connected (pair);

  /* Default profile list: both offer GCM first. */
  g_assert_cmpint (rtc_dtls_get_srtp_profile (pair->l.dtls), ==,
      RTC_DTLS_SRTP_AEAD_AES_128_GCM);
  g_assert_cmpint (rtc_dtls_get_srtp_profile (pair->r.dtls), ==,
      RTC_DTLS_SRTP_AEAD_AES_128_GCM);

  /* Each side saw the other's certificate. */
  pem = rtc_dtls_get_remote_certificate_pem (pair->l.dtls);
  own_pem = rtc_certificate_to_pem (pair->r.cert, FALSE);
  g_assert_cmpstr (pem, ==, own_pem);
  g_free (pem);
  g_free (own_pem);
  pem = rtc_dtls_get_remote_certificate_pem (pair->r.dtls);
  own_pem = rtc_certificate_to_pem (pair->l.cert, FALSE);
  g_assert_cmpstr (pem, ==, own_pem);
  g_free (pem);
  g_free (own_pem);

  /* Nothing retransmits once connected and the wires are drained. */
  run_until (pair, quiet);
  g_assert_false (progress (pair));
  g_assert_cmpuint (pair->l.timeout_us, ==, RTC_TIMEOUT_NONE);
  g_assert_cmpuint (pair->r.timeout_us, ==, RTC_TIMEOUT_NONE);

  g_assert_cmpuint (rtc_dtls_get_max_send_size (pair->l.dtls), >, 1100);
  g_assert_cmpuint (rtc_dtls_get_max_send_size (pair->l.dtls), <, 1200);

  pair_free (pair);
}

static void
test_handshake_client_first (void)
{
  check_handshake (RTC_DTLS_ROLE_CLIENT);
}

static void
test_handshake_server_first (void)
{
  check_handshake (RTC_DTLS_ROLE_SERVER);
}

/* The server's ICE may report connected after the client's ClientHello
 * arrived: a packet starts it implicitly. */
static void
test_handshake_implicit_start (void)
{
  Pair *pair = pair_new (RTC_DTLS_ROLE_CLIENT);

  rtc_dtls_start (pair->l.dtls, pair_now (pair));
  drain (&pair->l);
  g_assert_cmpint (rtc_dtls_get_state (pair->r.dtls), ==, RTC_DTLS_STATE_NEW);
  run_until (pair, both_connected);
  assert_connected (pair);
  pair_free (pair);
}

static void
test_handshake_small_mtu (void)
{
  PairConfig cfg = { {.mtu = 300}, {.mtu = 300} };
  Pair *pair = pair_new_full (RTC_DTLS_ROLE_CLIENT, &cfg);

  pair_start (pair);
  run_until (pair, both_connected);
  assert_connected (pair);
  g_assert_cmpuint (pair->l.max_datagram, <=, 300);
  g_assert_cmpuint (pair->r.max_datagram, <=, 300);
  pair_free (pair);
}

/* ------------------------------------------------------------------ */
/* 2. loss, duplication, reordering */

static void
test_loss_first_flight_each_way (void)
{
  Pair *pair = pair_new (RTC_DTLS_ROLE_CLIENT);
  guint64 t0 = pair_now (pair);

  pair->l.drop_flights = 1;     /* ClientHello */
  pair->r.drop_flights = 1;     /* ServerHello ... ServerHelloDone */
  pair_start (pair);
  run_until (pair, both_connected);
  assert_connected (pair);
  g_assert_cmpuint (pair->l.drop_flights, ==, 0);
  g_assert_cmpuint (pair->r.drop_flights, ==, 0);
  /* It took retransmissions driven by the reported deadlines. */
  g_assert_cmpuint (pair_now (pair) - t0, >=, FAST_TIMEOUT_MS * 1000);
  assert_data_flows (pair, 100);
  pair_free (pair);
}

/* The server's final flight lost: the client retransmits its own, the
 * connected server answers with its last flight again. */
static void
test_loss_last_flight (void)
{
  Pair *pair = pair_new (RTC_DTLS_ROLE_CLIENT);

  pair_start (pair);
  /* ClientHello -> server flight 4 -> client flight 5 */
  while (!pair->r.connected)
    g_assert_true (progress (pair));
  /* The server is done; drop its CCS + Finished. */
  g_queue_clear_full (&pair->r.wire, (GDestroyNotify) g_bytes_unref);
  g_assert_false (pair->l.connected);
  run_until (pair, both_connected);
  assert_connected (pair);
  assert_data_flows (pair, 10);
  pair_free (pair);
}

static void
test_loss_duplicate (void)
{
  Pair *pair = pair_new (RTC_DTLS_ROLE_CLIENT);

  pair->l.duplicate = TRUE;
  pair->r.duplicate = TRUE;
  pair_start (pair);
  run_until (pair, both_connected);
  assert_connected (pair);
  run_until (pair, quiet);

  /* Duplicated application records are dropped by the replay window
   * (RFC 6347 section 4.1.2.6). */
  assert_data_flows (pair, 50);
  pair_free (pair);
}

static void
test_loss_reorder (void)
{
  Pair *pair = pair_new (RTC_DTLS_ROLE_CLIENT);

  pair->l.reverse_flights = TRUE;
  pair->r.reverse_flights = TRUE;
  pair_start (pair);
  run_until (pair, both_connected);
  assert_connected (pair);
  assert_data_flows (pair, 50);
  pair_free (pair);
}

static void
test_loss_random (void)
{
  Pair *pair = pair_new (RTC_DTLS_ROLE_SERVER);

  pair->l.rand = g_rand_new_with_seed (7);
  pair->l.loss = 0.25;
  pair->r.rand = g_rand_new_with_seed (11);
  pair->r.loss = 0.25;
  pair->l.reverse_flights = TRUE;
  pair_start (pair);
  run_until (pair, both_connected);
  assert_connected (pair);
  pair_free (pair);
}

static gboolean
client_failed (Pair * pair)
{
  return client_of (pair)->failed;
}

/* Nobody answers: FAILED at the handshake deadline, in caller time. */
static void
test_loss_handshake_timeout (void)
{
  PairConfig cfg = { {.handshake_timeout_ms = 5000}, {0} };
  Pair *pair = pair_new_full (RTC_DTLS_ROLE_CLIENT, &cfg);
  Peer *c = &pair->l;
  guint64 start = pair_now (pair);

  rtc_dtls_start (c->dtls, start);
  drain (c);
  g_assert_cmpuint (c->n_transmitted, ==, 1);
  g_assert_cmpuint (c->timeout_us, <=, start + FAST_TIMEOUT_MS * 1000);
  g_queue_clear_full (&c->wire, (GDestroyNotify) g_bytes_unref);

  /* Before the deadline: still trying. */
  rtc_dtls_handle_timeout (c->dtls, start + 4999 * 1000);
  drain (c);
  g_assert_false (c->failed);
  g_assert_cmpuint (c->timeout_us, <=, start + 5000 * 1000);

  rtc_dtls_handle_timeout (c->dtls, start + 5000 * 1000);
  drain (c);
  g_assert_true (client_failed (pair));
  g_assert_error (c->error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (c->error->message, "5000 ms"));
  g_assert_cmpint (rtc_dtls_get_state (c->dtls), ==, RTC_DTLS_STATE_FAILED);
  g_assert_cmpuint (c->timeout_us, ==, RTC_TIMEOUT_NONE);
  pair_free (pair);
}

/* ------------------------------------------------------------------ */
/* 3. fingerprints */

#define WRONG_FP "sha-256 " \
    "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:" \
    "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF"

static void
assert_mismatch_error (Peer * p, RtcCertificate * actual)
{
  gchar *actual_fp = rtc_certificate_get_fingerprint (actual);

  g_assert_true (p->failed);
  g_assert_false (p->connected);
  g_assert_error (p->error, RTC_DTLS_ERROR,
      RTC_DTLS_ERROR_FINGERPRINT_MISMATCH);
  g_assert_nonnull (strstr (p->error->message, "does not match"));
  g_assert_nonnull (strstr (p->error->message, WRONG_FP));
  g_assert_nonnull (strstr (p->error->message, actual_fp));
  g_free (actual_fp);
}

static void
check_mismatch (gboolean on_client)
{
  PairConfig cfg = { {0}, {0} };
  Pair *pair;
  Peer *checker, *victim;

  if (on_client)
    cfg.l.remote_fingerprint = WRONG_FP;
  else
    cfg.r.remote_fingerprint = WRONG_FP;
  pair = pair_new_full (RTC_DTLS_ROLE_CLIENT, &cfg);
  checker = on_client ? &pair->l : &pair->r;
  victim = other (checker);

  pair_start (pair);
  run_until (pair, both_done);

  assert_mismatch_error (checker, victim->cert);
  /* The other side learns it through the bad_certificate alert instead
   * of timing out. */
  g_assert_true (victim->failed);
  g_assert_false (victim->connected);
  g_assert_error (victim->error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_ALERT_RECEIVED);
  g_assert_nonnull (strstr (victim->error->message, "bad certificate"));
  g_assert_cmpint (rtc_dtls_get_state (checker->dtls), ==,
      RTC_DTLS_STATE_FAILED);
  g_assert_cmpint (rtc_dtls_get_state (victim->dtls), ==,
      RTC_DTLS_STATE_FAILED);
  g_assert_cmpuint (checker->timeout_us, ==, RTC_TIMEOUT_NONE);
  g_assert_cmpuint (victim->timeout_us, ==, RTC_TIMEOUT_NONE);
  g_assert_false (rtc_dtls_send (victim->dtls, (const guint8 *) "x", 1, NULL));
  pair_free (pair);
}

static void
test_fingerprint_mismatch_client (void)
{
  check_mismatch (TRUE);
}

static void
test_fingerprint_mismatch_server (void)
{
  check_mismatch (FALSE);
}

/* RFC 8122 allows other hashes than sha-256; the client pins the server by
 * sha-1 here. */
static void
test_fingerprint_sha1 (void)
{
  Pair *pair = pair_new (RTC_DTLS_ROLE_CLIENT);
  RtcDtlsConfig c = { 0 };
  RtcFingerprint fp;
  GError *err = NULL;
  gchar *fp_str;

  g_assert_true (rtc_fingerprint_from_x509 (RTC_FINGERPRINT_SHA1,
          rtc_certificate_peek_x509 (pair->r.cert), &fp, NULL));
  fp_str = rtc_fingerprint_to_string (&fp);
  g_assert_true (g_str_has_prefix (fp_str, "sha-1 "));

  rtc_dtls_free (pair->l.dtls);
  c.certificate = pair->l.cert;
  c.role = RTC_DTLS_ROLE_CLIENT;
  c.remote_fingerprint = fp_str;
  c.initial_timeout_ms = FAST_TIMEOUT_MS;
  pair->l.dtls = rtc_dtls_new (&c, &err);
  g_assert_no_error (err);

  pair_start (pair);
  run_until (pair, both_connected);
  assert_connected (pair);
  g_free (fp_str);
  pair_free (pair);
}

static gboolean
handshake_flights_done (Pair * pair)
{
  /* The client is done once it saw the server's Finished; with no
   * fingerprint it must still not be CONNECTED. */
  return pair->r.connected && quiet (pair);
}

/* The answer (and its fingerprint) arrives after the handshake finished:
 * nothing is CONNECTED or delivered until it is checked. */
static void
test_fingerprint_late_match (void)
{
  PairConfig cfg = { {.remote_fingerprint = ""}, {0} };
  Pair *pair = pair_new_full (RTC_DTLS_ROLE_CLIENT, &cfg);
  Peer *c = &pair->l, *s = &pair->r;
  gchar *fp = rtc_certificate_get_fingerprint (s->cert);
  GError *err = NULL;
  RtcDtlsSrtpKeys keys;

  pair_start (pair);
  run_until (pair, handshake_flights_done);
  g_assert_true (s->connected);
  g_assert_false (c->connected);
  g_assert_cmpint (rtc_dtls_get_state (c->dtls), ==, RTC_DTLS_STATE_CONNECTING);
  g_assert_false (rtc_dtls_get_srtp_keys (c->dtls, &keys, &err));
  g_assert_error (err, RTC_DTLS_ERROR, RTC_DTLS_ERROR_NOT_CONNECTED);
  g_clear_error (&err);
  g_assert_false (rtc_dtls_send (c->dtls, (const guint8 *) "x", 1, &err));
  g_assert_error (err, RTC_DTLS_ERROR, RTC_DTLS_ERROR_NOT_CONNECTED);
  g_clear_error (&err);
  /* The remote certificate is known though. */
  {
    gchar *pem = rtc_dtls_get_remote_certificate_pem (c->dtls);

    g_assert_nonnull (pem);
    g_free (pem);
  }

  /* Early data from the verified server is held. */
  send_bytes (s, (const guint8 *) "early", 5);
  run_until (pair, quiet);
  g_assert_cmpuint (c->received->len, ==, 0);

  g_assert_true (rtc_dtls_set_remote_fingerprint (c->dtls, fp, &err));
  g_assert_no_error (err);
  drain (c);
  g_assert_true (c->connected);
  g_assert_cmpuint (c->received->len, ==, 1);
  g_assert_cmpmem (g_bytes_get_data (c->received->pdata[0], NULL), 5, "early",
      5);
  assert_connected (pair);
  assert_data_flows (pair, 20);

  /* The same value again is fine, a different one is refused. */
  g_assert_true (rtc_dtls_set_remote_fingerprint (c->dtls, fp, &err));
  g_assert_no_error (err);
  g_assert_false (rtc_dtls_set_remote_fingerprint (c->dtls, WRONG_FP, &err));
  g_assert_error (err, RTC_DTLS_ERROR, RTC_DTLS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&err);
  g_assert_false (rtc_dtls_set_remote_fingerprint (c->dtls, "sha-256 zz",
          &err));
  g_assert_error (err, RTC_FINGERPRINT_ERROR, RTC_FINGERPRINT_ERROR_MALFORMED);
  g_clear_error (&err);

  g_free (fp);
  pair_free (pair);
}

static void
test_fingerprint_late_mismatch (void)
{
  PairConfig cfg = { {0}, {.remote_fingerprint = ""} };
  Pair *pair = pair_new_full (RTC_DTLS_ROLE_CLIENT, &cfg);
  Peer *c = &pair->l, *s = &pair->r;
  GError *err = NULL;

  pair_start (pair);
  run_until (pair, quiet);
  g_assert_true (c->connected);
  g_assert_false (s->connected);

  g_assert_true (rtc_dtls_set_remote_fingerprint (s->dtls, WRONG_FP, &err));
  g_assert_no_error (err);
  drain (s);
  assert_mismatch_error (s, c->cert);
  /* The client hears close_notify. */
  run_until (pair, both_done);
  g_assert_true (c->closed);
  g_assert_cmpint (rtc_dtls_get_state (c->dtls), ==, RTC_DTLS_STATE_CLOSED);
  pair_free (pair);
}

/* The fingerprint arrives during the handshake, after the peer's
 * certificate but before the handshake finished. */
static void
test_fingerprint_mid_handshake (void)
{
  PairConfig cfg = { {.remote_fingerprint = ""}, {0} };
  Pair *pair = pair_new_full (RTC_DTLS_ROLE_CLIENT, &cfg);
  Peer *c = &pair->l, *s = &pair->r;
  gchar *fp = rtc_certificate_get_fingerprint (s->cert);
  GBytes *pkt;

  pair_start (pair);
  /* ClientHello to the server, then the server's flight to the client. */
  g_assert_true (progress (pair));
  while ((pkt = g_queue_pop_head (&s->wire))) {
    deliver_to (c, pkt);
    g_bytes_unref (pkt);
  }
  g_assert_false (c->connected);
  g_assert_true (rtc_dtls_set_remote_fingerprint (c->dtls, fp, NULL));
  drain (c);
  g_assert_false (c->connected);
  run_until (pair, both_connected);
  assert_connected (pair);
  g_free (fp);
  pair_free (pair);
}

/* ------------------------------------------------------------------ */
/* 4. SRTP keys */

static void
check_srtp_keys (const gchar * profiles, RtcDtlsSrtpProfile expected,
    guint key_len, guint salt_len)
{
  PairConfig cfg = { {.srtp_profiles = profiles}, {.srtp_profiles = profiles}
  };
  Pair *pair = pair_new_full (RTC_DTLS_ROLE_SERVER, &cfg);
  RtcDtlsSrtpKeys ck, sk;
  GError *err = NULL;
  static const guint8 zero[RTC_DTLS_SRTP_MAX_KEY_SALT_LEN] = { 0 };

  pair_start (pair);
  run_until (pair, both_connected);

  g_assert_true (rtc_dtls_get_srtp_keys (client_of (pair)->dtls, &ck, &err));
  g_assert_no_error (err);
  g_assert_true (rtc_dtls_get_srtp_keys (server_of (pair)->dtls, &sk, &err));
  g_assert_no_error (err);

  g_assert_cmpint (ck.profile, ==, expected);
  g_assert_cmpint (sk.profile, ==, expected);
  g_assert_cmpuint (ck.key_len, ==, key_len);
  g_assert_cmpuint (ck.salt_len, ==, salt_len);
  g_assert_cmpuint (sk.key_len, ==, key_len);
  g_assert_cmpuint (sk.salt_len, ==, salt_len);

  /* What one side sends with, the other receives with. */
  g_assert_cmpmem (ck.local_key_salt, key_len + salt_len, sk.remote_key_salt,
      key_len + salt_len);
  g_assert_cmpmem (ck.remote_key_salt, key_len + salt_len, sk.local_key_salt,
      key_len + salt_len);
  /* And the two directions differ. */
  g_assert_cmpint (memcmp (ck.local_key_salt, ck.remote_key_salt, key_len),
      !=, 0);
  g_assert_cmpint (memcmp (ck.local_key_salt, zero, key_len + salt_len), !=, 0);
  /* RFC 5764 section 4.2 layout, checked against the raw exporter:
   * client key | server key | client salt | server salt. */
  {
    guint8 m[2 * RTC_DTLS_SRTP_MAX_KEY_SALT_LEN];
    guint8 m2[2 * RTC_DTLS_SRTP_MAX_KEY_SALT_LEN];
    gsize n = 2 * (key_len + salt_len);

    g_assert_true (rtc_dtls_export_keying_material (client_of (pair)->dtls,
            RTC_DTLS_SRTP_EXPORTER_LABEL, m, n, &err));
    g_assert_no_error (err);
    g_assert_true (rtc_dtls_export_keying_material (server_of (pair)->dtls,
            "EXTRACTOR-dtls_srtp", m2, n, &err));
    g_assert_cmpmem (m, n, m2, n);
    g_assert_cmpmem (ck.local_key_salt, key_len, m, key_len);
    g_assert_cmpmem (sk.local_key_salt, key_len, m + key_len, key_len);
    g_assert_cmpmem (ck.local_key_salt + key_len, salt_len, m + 2 * key_len,
        salt_len);
    g_assert_cmpmem (sk.local_key_salt + key_len, salt_len,
        m + 2 * key_len + salt_len, salt_len);
  }
  /* Nothing beyond key + salt is written. */
  g_assert_cmpmem (ck.local_key_salt + key_len + salt_len,
      RTC_DTLS_SRTP_MAX_KEY_SALT_LEN - key_len - salt_len, zero,
      RTC_DTLS_SRTP_MAX_KEY_SALT_LEN - key_len - salt_len);

  pair_free (pair);
}

static void
test_srtp_aes_cm (void)
{
  check_srtp_keys ("SRTP_AES128_CM_SHA1_80", RTC_DTLS_SRTP_AES128_CM_SHA1_80,
      16, 14);
}

static void
test_srtp_gcm (void)
{
  check_srtp_keys ("SRTP_AEAD_AES_128_GCM", RTC_DTLS_SRTP_AEAD_AES_128_GCM, 16,
      12);
}

static void
test_srtp_default (void)
{
  check_srtp_keys (NULL, RTC_DTLS_SRTP_AEAD_AES_128_GCM, 16, 12);
}

/* A peer that only knows AES-CM (older webrtcbin, some SIP gateways). */
static void
test_srtp_fallback (void)
{
  PairConfig cfg = { {0}, {.srtp_profiles = "SRTP_AES128_CM_SHA1_80"} };
  Pair *pair = pair_new_full (RTC_DTLS_ROLE_CLIENT, &cfg);

  pair_start (pair);
  run_until (pair, both_connected);
  g_assert_cmpint (rtc_dtls_get_srtp_profile (pair->l.dtls), ==,
      RTC_DTLS_SRTP_AES128_CM_SHA1_80);
  g_assert_cmpint (rtc_dtls_get_srtp_profile (pair->r.dtls), ==,
      RTC_DTLS_SRTP_AES128_CM_SHA1_80);
  pair_free (pair);
}

/* Data-channel-only: no use_srtp, no keys, but a working association. */
static void
test_srtp_none (void)
{
  PairConfig cfg = { {.srtp_profiles = ""}, {0} };
  Pair *pair = pair_new_full (RTC_DTLS_ROLE_CLIENT, &cfg);
  RtcDtlsSrtpKeys keys;
  GError *err = NULL;

  pair_start (pair);
  run_until (pair, both_connected);
  g_assert_cmpint (rtc_dtls_get_srtp_profile (pair->l.dtls), ==,
      RTC_DTLS_SRTP_NONE);
  g_assert_cmpint (rtc_dtls_get_srtp_profile (pair->r.dtls), ==,
      RTC_DTLS_SRTP_NONE);
  g_assert_false (rtc_dtls_get_srtp_keys (pair->r.dtls, &keys, &err));
  g_assert_error (err, RTC_DTLS_ERROR, RTC_DTLS_ERROR_NOT_CONNECTED);
  g_clear_error (&err);
  assert_data_flows (pair, 10);
  pair_free (pair);
}

/* ------------------------------------------------------------------ */
/* 5. application data */

static void
test_data_round_trip (void)
{
  Pair *pair = pair_new (RTC_DTLS_ROLE_CLIENT);

  pair_start (pair);
  run_until (pair, both_connected);
  assert_data_flows (pair, 1);
  assert_data_flows (pair, 16);
  assert_data_flows (pair, 1000);
  assert_data_flows (pair, rtc_dtls_get_max_send_size (pair->l.dtls));
  /* Bigger than the MTU still goes as one record (IP fragments it). */
  assert_data_flows (pair, 4000);
  pair_free (pair);
}

static void
test_data_many_records (void)
{
  Pair *pair = pair_new (RTC_DTLS_ROLE_CLIENT);
  guint i;

  pair_start (pair);
  run_until (pair, both_connected);
  for (i = 0; i < 200; i++) {
    guint8 buf[4] = { i, i >> 8, 0xaa, 0x55 };

    g_assert_true (rtc_dtls_send (pair->l.dtls, buf, sizeof (buf), NULL));
    drain (&pair->l);
  }
  run_until (pair, quiet);
  g_assert_cmpuint (pair->r.received->len, ==, 200);
  for (i = 0; i < 200; i++) {
    gsize len;
    const guint8 *d = g_bytes_get_data (pair->r.received->pdata[i], &len);

    g_assert_cmpuint (len, ==, 4);
    g_assert_cmpuint (d[0], ==, (guint8) i);
  }
  pair_free (pair);
}

static void
test_data_before_connected (void)
{
  Pair *pair = pair_new (RTC_DTLS_ROLE_CLIENT);
  GError *err = NULL;

  g_assert_false (rtc_dtls_send (pair->l.dtls, (const guint8 *) "hi", 2, &err));
  g_assert_error (err, RTC_DTLS_ERROR, RTC_DTLS_ERROR_NOT_CONNECTED);
  g_assert_nonnull (strstr (err->message, "new"));
  g_clear_error (&err);

  pair_start (pair);
  g_assert_false (rtc_dtls_send (pair->l.dtls, (const guint8 *) "hi", 2, &err));
  g_assert_error (err, RTC_DTLS_ERROR, RTC_DTLS_ERROR_NOT_CONNECTED);
  g_clear_error (&err);
  drain (&pair->l);

  /* Nothing was queued by the failed sends. */
  run_until (pair, both_connected);
  run_until (pair, quiet);
  g_assert_cmpuint (pair->l.received->len, ==, 0);
  g_assert_cmpuint (pair->r.received->len, ==, 0);
  pair_free (pair);
}

static void
test_data_too_large (void)
{
  Pair *pair = pair_new (RTC_DTLS_ROLE_CLIENT);
  guint8 *big = g_malloc0 (16385);
  GError *err = NULL;

  pair_start (pair);
  run_until (pair, both_connected);
  g_assert_false (rtc_dtls_send (pair->l.dtls, big, 16385, &err));
  g_assert_error (err, RTC_DTLS_ERROR, RTC_DTLS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&err);
  g_assert_false (rtc_dtls_send (pair->l.dtls, big, 0, &err));
  g_assert_error (err, RTC_DTLS_ERROR, RTC_DTLS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&err);
  /* Still connected; the limit itself works. */
  drain (&pair->l);
  g_assert_cmpint (rtc_dtls_get_state (pair->l.dtls), ==,
      RTC_DTLS_STATE_CONNECTED);
  assert_data_flows (pair, 16384);
  g_free (big);
  pair_free (pair);
}

/* ------------------------------------------------------------------ */
/* 6. close */

static void
check_close (RtcDtlsRole closer_role)
{
  Pair *pair = pair_new (closer_role);
  GError *err = NULL;

  pair_start (pair);
  run_until (pair, both_connected);
  assert_data_flows (pair, 10);

  rtc_dtls_close (pair->l.dtls);
  drain (&pair->l);
  g_assert_cmpint (rtc_dtls_get_state (pair->l.dtls), ==,
      RTC_DTLS_STATE_CLOSED);
  /* A local close is not an event. */
  g_assert_false (pair->l.closed);
  g_assert_cmpuint (pair->l.wire.length, ==, 1);
  g_assert_false (rtc_dtls_send (pair->l.dtls, (const guint8 *) "x", 1, &err));
  g_assert_error (err, RTC_DTLS_ERROR, RTC_DTLS_ERROR_NOT_CONNECTED);
  g_clear_error (&err);

  run_until (pair, quiet);
  g_assert_true (pair->r.closed);
  g_assert_false (pair->r.failed);
  g_assert_cmpint (rtc_dtls_get_state (pair->r.dtls), ==,
      RTC_DTLS_STATE_CLOSED);
  g_assert_cmpuint (pair->l.timeout_us, ==, RTC_TIMEOUT_NONE);
  g_assert_cmpuint (pair->r.timeout_us, ==, RTC_TIMEOUT_NONE);
  g_assert_false (rtc_dtls_send (pair->r.dtls, (const guint8 *) "x", 1, NULL));
  /* Closing twice is harmless. */
  rtc_dtls_close (pair->l.dtls);
  rtc_dtls_close (pair->r.dtls);
  drain (&pair->l);
  drain (&pair->r);
  pair_free (pair);
}

static void
test_close_notify_from_client (void)
{
  check_close (RTC_DTLS_ROLE_CLIENT);
}

static void
test_close_notify_from_server (void)
{
  check_close (RTC_DTLS_ROLE_SERVER);
}

static void
test_close_during_handshake (void)
{
  Pair *pair = pair_new (RTC_DTLS_ROLE_CLIENT);

  pair_start (pair);
  g_assert_true (progress (pair));
  rtc_dtls_close (pair->l.dtls);
  drain (&pair->l);
  g_assert_cmpint (rtc_dtls_get_state (pair->l.dtls), ==,
      RTC_DTLS_STATE_CLOSED);
  g_assert_cmpuint (pair->l.timeout_us, ==, RTC_TIMEOUT_NONE);
  pair_free (pair);
}

/* ------------------------------------------------------------------ */
/* 8. garbage */

static void
feed_garbage (Peer * p, GRand * rand)
{
  static const guint8 types[] = { 20, 21, 22, 23, 24, 25, 63, 0, 255 };
  guint8 buf[1500];
  guint i, j, k;

  feed (p, (const guint8 *) "", 0);
  for (i = 0; i < 64; i++) {
    gsize len = g_rand_int_range (rand, 1, sizeof (buf));

    for (j = 0; j < len; j++)
      buf[j] = g_rand_int (rand);
    feed (p, buf, len);
  }
  for (i = 0; i < G_N_ELEMENTS (types); i++) {
    for (j = 0; j < 3; j++) {
      static const gsize body_lens[] = { 0, 1, 2, 12, 13, 40, 200, 1100 };

      for (k = 0; k < G_N_ELEMENTS (body_lens); k++) {
        GBytes *rec = fake_record (rand, types[i], j, body_lens[k]);
        gsize len;
        const guint8 *d = g_bytes_get_data (rec, &len);

        feed (p, d, len);
        /* Truncated and with a lying length field. */
        feed (p, d, MIN (len, 13 + body_lens[k] / 2));
        g_bytes_unref (rec);
      }
    }
  }
}

static void
test_garbage_connected (void)
{
  Pair *pair = pair_new (RTC_DTLS_ROLE_CLIENT);
  GRand *rand = g_rand_new_with_seed (42);

  pair_start (pair);
  run_until (pair, both_connected);

  feed_garbage (&pair->l, rand);
  feed_garbage (&pair->r, rand);
  run_until (pair, quiet);
  assert_connected (pair);
  g_assert_cmpuint (pair->l.received->len, ==, 0);
  g_assert_cmpuint (pair->r.received->len, ==, 0);
  assert_data_flows (pair, 1000);

  g_rand_free (rand);
  pair_free (pair);
}

/* Replays of genuine handshake records after the handshake, e.g. stale
 * retransmissions, are not errors either. */
static GBytes *
record_copy (GBytes * pkt, gpointer data)
{
  GPtrArray *log = data;

  g_ptr_array_add (log, g_bytes_ref (pkt));
  return g_bytes_ref (pkt);
}

static void
test_garbage_replayed_handshake (void)
{
  Pair *pair = pair_new (RTC_DTLS_ROLE_CLIENT);
  GPtrArray *from_client = g_ptr_array_new_with_free_func ((GDestroyNotify)
      g_bytes_unref);
  GPtrArray *from_server = g_ptr_array_new_with_free_func ((GDestroyNotify)
      g_bytes_unref);
  guint i;

  pair->l.mangle = record_copy;
  pair->l.mangle_data = from_client;
  pair->r.mangle = record_copy;
  pair->r.mangle_data = from_server;
  pair_start (pair);
  run_until (pair, both_connected);
  run_until (pair, quiet);
  pair->l.mangle = NULL;
  pair->r.mangle = NULL;

  for (i = 0; i < from_client->len; i++) {
    gsize len;
    const guint8 *d = g_bytes_get_data (from_client->pdata[i], &len);

    feed (&pair->r, d, len);
  }
  for (i = 0; i < from_server->len; i++) {
    gsize len;
    const guint8 *d = g_bytes_get_data (from_server->pdata[i], &len);

    feed (&pair->l, d, len);
  }
  run_until (pair, quiet);
  assert_connected (pair);
  assert_data_flows (pair, 100);

  g_ptr_array_unref (from_client);
  g_ptr_array_unref (from_server);
  pair_free (pair);
}

/* Damages the record header of the first *@left datagrams (the protocol
 * version's major byte): the record layer silently discards such records
 * (RFC 6347 section 4.1.2.7), so only retransmissions get through.
 * Damage inside a plaintext handshake message would be a fatal
 * decode_error instead, which is DTLS working as specified. */
static GBytes *
corrupt_first (GBytes * pkt, gpointer data)
{
  guint *left = data;
  gsize len;
  guint8 *copy;

  if (*left == 0)
    return g_bytes_ref (pkt);
  (*left)--;
  copy = g_bytes_unref_to_data (g_bytes_ref (pkt), &len);
  copy[1] ^= 0xff;
  return g_bytes_new_take (copy, len);
}

static void
test_garbage_during_handshake (void)
{
  Pair *pair = pair_new (RTC_DTLS_ROLE_CLIENT);
  GRand *rand = g_rand_new_with_seed (1);
  /* Every datagram of the first attempt at each flight. */
  guint l_left = 2, r_left = 2, i;

  pair->l.mangle = corrupt_first;
  pair->l.mangle_data = &l_left;
  pair->r.mangle = corrupt_first;
  pair->r.mangle_data = &r_left;
  pair_start (pair);
  /* Server before it saw anything, client while it waits. */
  for (i = 0; i < 20; i++) {
    guint8 buf[64];
    guint j;

    for (j = 0; j < sizeof (buf); j++)
      buf[j] = g_rand_int (rand);
    buf[0] = 20 + i % 4;
    feed (&pair->l, buf, sizeof (buf));
  }
  run_until (pair, both_connected);
  assert_connected (pair);
  g_rand_free (rand);
  pair_free (pair);
}

/* ------------------------------------------------------------------ */
/* configuration and misc */

static void
test_config_invalid (void)
{
  RtcDtlsConfig bad_fp = { 0 }, bad_profiles = { 0 }, bad_mtu = { 0 };
  RtcDtlsConfig bad_role = { 0 };
  GError *err = NULL;

  bad_fp.remote_fingerprint = "sha-256 00";
  g_assert_null (rtc_dtls_new (&bad_fp, &err));
  g_assert_error (err, RTC_FINGERPRINT_ERROR, RTC_FINGERPRINT_ERROR_MALFORMED);
  g_clear_error (&err);

  bad_profiles.srtp_profiles = "SRTP_NOT_A_PROFILE";
  g_assert_null (rtc_dtls_new (&bad_profiles, &err));
  g_assert_error (err, RTC_DTLS_ERROR, RTC_DTLS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&err);

  bad_mtu.mtu = 100;
  g_assert_null (rtc_dtls_new (&bad_mtu, &err));
  g_assert_error (err, RTC_DTLS_ERROR, RTC_DTLS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&err);

  bad_role.role = 7;
  g_assert_null (rtc_dtls_new (&bad_role, &err));
  g_assert_error (err, RTC_DTLS_ERROR, RTC_DTLS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&err);

  g_assert_cmpuint (ERR_peek_error (), ==, 0);
}

/* Zeroed config: default certificate, client, default MTU and timeouts. */
static void
test_config_defaults (void)
{
  RtcDtlsConfig c = { 0 };
  RtcDtls *d = rtc_dtls_new (&c, NULL);
  RtcCertificate *def = rtc_certificate_get_default ();
  RtcOutput out;
  guint64 now = 1000000;
  guint n = 0;

  g_assert_nonnull (d);
  g_assert_true (rtc_dtls_get_certificate (d) == def);
  g_assert_cmpint (rtc_dtls_get_role (d), ==, RTC_DTLS_ROLE_CLIENT);

  /* Not started: no timer. */
  g_assert_false (rtc_dtls_poll_output (d, &out));
  g_assert_cmpint (out.kind, ==, RTC_OUTPUT_TIMEOUT);
  g_assert_cmpuint (out.timeout_us, ==, RTC_TIMEOUT_NONE);

  rtc_dtls_start (d, now);
  while (rtc_dtls_poll_output (d, &out)) {
    g_assert_cmpint (out.kind, ==, RTC_OUTPUT_TRANSMIT);
    /* A ClientHello record. */
    g_assert_cmpuint (out.data[0], ==, 22);
    n++;
  }
  g_assert_cmpuint (n, ==, 1);
  /* OpenSSL's 1 s default, relative to our now. */
  g_assert_cmpuint (out.timeout_us, >, now + 900000);
  g_assert_cmpuint (out.timeout_us, <=, now + 1000000);

  rtc_dtls_free (d);
  rtc_certificate_unref (def);
}

/* Many instances share the default certificate, and a failure in one
 * leaves no OpenSSL error behind for the next. */
static void
test_error_queue_isolated (void)
{
  Pair *bad;
  PairConfig cfg = { {.remote_fingerprint = WRONG_FP}, {0} };
  Pair *good;

  bad = pair_new_full (RTC_DTLS_ROLE_CLIENT, &cfg);
  pair_start (bad);
  run_until (bad, both_done);
  g_assert_cmpuint (ERR_peek_error (), ==, 0);

  good = pair_new (RTC_DTLS_ROLE_CLIENT);
  pair_start (good);
  run_until (good, both_connected);
  assert_connected (good);
  pair_free (good);
  pair_free (bad);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dtls/handshake/client-first", test_handshake_client_first);
  g_test_add_func ("/dtls/handshake/server-first", test_handshake_server_first);
  g_test_add_func ("/dtls/handshake/implicit-start",
      test_handshake_implicit_start);
  g_test_add_func ("/dtls/handshake/small-mtu", test_handshake_small_mtu);
  g_test_add_func ("/dtls/loss/first-flight-each-way",
      test_loss_first_flight_each_way);
  g_test_add_func ("/dtls/loss/last-flight", test_loss_last_flight);
  g_test_add_func ("/dtls/loss/duplicate", test_loss_duplicate);
  g_test_add_func ("/dtls/loss/reorder", test_loss_reorder);
  g_test_add_func ("/dtls/loss/random", test_loss_random);
  g_test_add_func ("/dtls/loss/handshake-timeout", test_loss_handshake_timeout);
  g_test_add_func ("/dtls/fingerprint/mismatch-client",
      test_fingerprint_mismatch_client);
  g_test_add_func ("/dtls/fingerprint/mismatch-server",
      test_fingerprint_mismatch_server);
  g_test_add_func ("/dtls/fingerprint/sha-1", test_fingerprint_sha1);
  g_test_add_func ("/dtls/fingerprint/late-match", test_fingerprint_late_match);
  g_test_add_func ("/dtls/fingerprint/late-mismatch",
      test_fingerprint_late_mismatch);
  g_test_add_func ("/dtls/fingerprint/mid-handshake",
      test_fingerprint_mid_handshake);
  g_test_add_func ("/dtls/srtp/aes128-cm-sha1-80", test_srtp_aes_cm);
  g_test_add_func ("/dtls/srtp/aead-aes-128-gcm", test_srtp_gcm);
  g_test_add_func ("/dtls/srtp/default", test_srtp_default);
  g_test_add_func ("/dtls/srtp/fallback", test_srtp_fallback);
  g_test_add_func ("/dtls/srtp/none", test_srtp_none);
  g_test_add_func ("/dtls/data/round-trip", test_data_round_trip);
  g_test_add_func ("/dtls/data/many-records", test_data_many_records);
  g_test_add_func ("/dtls/data/before-connected", test_data_before_connected);
  g_test_add_func ("/dtls/data/too-large", test_data_too_large);
  g_test_add_func ("/dtls/close/from-client", test_close_notify_from_client);
  g_test_add_func ("/dtls/close/from-server", test_close_notify_from_server);
  g_test_add_func ("/dtls/close/during-handshake", test_close_during_handshake);
  g_test_add_func ("/dtls/garbage/connected", test_garbage_connected);
  g_test_add_func ("/dtls/garbage/replayed-handshake",
      test_garbage_replayed_handshake);
  g_test_add_func ("/dtls/garbage/during-handshake",
      test_garbage_during_handshake);
  g_test_add_func ("/dtls/config/invalid", test_config_invalid);
  g_test_add_func ("/dtls/config/defaults", test_config_defaults);
  g_test_add_func ("/dtls/error-queue-isolated", test_error_queue_isolated);

  return g_test_run ();
}
