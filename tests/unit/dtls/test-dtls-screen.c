/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* No datagram from outside the association ends it (issue 9): injected
 * records of every content type, epoch and length against an established
 * pair, for each cipher suite, with either side receiving. The record
 * screen's counter must show the screen dropped them, so the test does not
 * depend on whether this OpenSSL would have survived them anyway (3.0.19
 * answered a short AES-GCM record with a fatal internal_error). */

#include <string.h>
#include <glib.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "dtls-pair.h"
#include "dtls/rtcdtlsprivate.h"
#include "dtls/rtcdtlsrecord.h"

#define HDR RTC_DTLS_RECORD_HEADER_LEN
/* Room for any length the 16-bit length field can say. */
#define POOL_LEN (2 * 65536)

typedef struct
{
  const gchar *name;
  const gchar *openssl;
  const gchar *iana;
  guint overhead;
  /* The server needs an RSA certificate for it. */
  gboolean rsa;
} Suite;

/* Every suite of the core's CIPHER_LIST: the ECDSA ones with the
 * certificates rtc_certificate_new_generated () makes, the RSA ones with
 * an RSA certificate on the server. */
static const Suite suites[] = {
  {"ecdsa-aes128-gcm", "ECDHE-ECDSA-AES128-GCM-SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", 24, FALSE},
  {"ecdsa-aes256-gcm", "ECDHE-ECDSA-AES256-GCM-SHA384",
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", 24, FALSE},
  {"ecdsa-chacha20-poly1305", "ECDHE-ECDSA-CHACHA20-POLY1305",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", 16, FALSE},
  {"rsa-aes128-gcm", "ECDHE-RSA-AES128-GCM-SHA256",
      "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 24, TRUE},
  {"rsa-aes256-gcm", "ECDHE-RSA-AES256-GCM-SHA384",
      "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", 24, TRUE},
  {"rsa-chacha20-poly1305", "ECDHE-RSA-CHACHA20-POLY1305",
      "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", 16, TRUE},
};

typedef struct
{
  const Suite *suite;
  RtcDtlsRole receiver;
} TableCase;

static RtcCertificate *rsa_cert;

/* A self-signed RSA-2048 certificate, made once, imported as PEM. */
static RtcCertificate *
rsa_certificate (void)
{
  EVP_PKEY *key;
  X509 *x;
  X509_NAME *name;
  BIO *bio;
  BUF_MEM *mem;
  gchar *pem;
  GError *err = NULL;

  if (rsa_cert)
    return rsa_cert;
  key = EVP_RSA_gen (2048);
  x = X509_new ();
  g_assert_nonnull (key);
  g_assert_nonnull (x);
  g_assert_true (X509_set_version (x, 2));
  g_assert_true (ASN1_INTEGER_set (X509_get_serialNumber (x), 1));
  g_assert_nonnull (X509_gmtime_adj (X509_getm_notBefore (x), -3600));
  g_assert_nonnull (X509_gmtime_adj (X509_getm_notAfter (x), 86400));
  g_assert_true (X509_set_pubkey (x, key));
  name = X509_get_subject_name (x);
  g_assert_true (X509_NAME_add_entry_by_txt (name, "CN", MBSTRING_ASC,
          (const guchar *) "rtcpeer-rsa", -1, -1, 0));
  g_assert_true (X509_set_issuer_name (x, name));
  g_assert_true (X509_sign (x, key, EVP_sha256 ()) > 0);

  bio = BIO_new (BIO_s_mem ());
  g_assert_true (PEM_write_bio_X509 (bio, x));
  g_assert_true (PEM_write_bio_PrivateKey (bio, key, NULL, NULL, 0, NULL,
          NULL));
  BIO_get_mem_ptr (bio, &mem);
  pem = g_strndup (mem->data, mem->length);
  rsa_cert = rtc_certificate_new_from_pem (pem, &err);
  g_assert_no_error (err);

  g_free (pem);
  BIO_free (bio);
  X509_free (x);
  EVP_PKEY_free (key);
  return rsa_cert;
}

static Pair *
connected_pair (const Suite * suite)
{
  PairConfig cfg = { {.cipher_suites = suite ? suite->openssl : NULL},
  {.cipher_suites = suite ? suite->openssl : NULL,
          .certificate = suite && suite->rsa ? rsa_certificate () : NULL}
  };
  Pair *pair = pair_new_full (RTC_DTLS_ROLE_CLIENT, &cfg);

  pair_start (pair);
  run_until (pair, both_connected);
  run_until (pair, quiet);
  assert_connected (pair);
  if (suite) {
    g_assert_cmpstr (rtc_dtls_get_cipher_name (pair->l.dtls), ==, suite->iana);
    g_assert_cmpstr (rtc_dtls_get_cipher_name (pair->r.dtls), ==, suite->iana);
  }
  return pair;
}

/* One datagram from outside the pair into @p: nothing may come of it, no
 * alert (nor any other datagram), no event, no record. */
static void
inject (Peer * p, const guint8 * data, gsize len)
{
  guint tx = p->n_transmitted, rx = p->received->len;

  rtc_dtls_handle_packet (p->dtls, pair_now (p->pair), data, len);
  drain (p);
  g_assert_cmpuint (p->n_transmitted, ==, tx);
  g_assert_cmpuint (p->received->len, ==, rx);
  g_assert_false (p->failed);
  g_assert_false (p->closed);
  g_assert_cmpint (rtc_dtls_get_state (p->dtls), ==, RTC_DTLS_STATE_CONNECTED);
}

/* A record header with a random sequence number and a @len-byte body taken
 * from a random place in @pool. */
static gsize
make_record (guint8 * buf, GRand * rand, const guint8 * pool, guint8 type,
    guint16 version, guint16 epoch, gsize len)
{
  guint i;

  buf[0] = type;
  buf[1] = version >> 8;
  buf[2] = version & 0xff;
  buf[3] = epoch >> 8;
  buf[4] = epoch & 0xff;
  for (i = 5; i < 11; i++)
    buf[i] = g_rand_int (rand);
  buf[11] = len >> 8;
  buf[12] = len & 0xff;
  memcpy (buf + HDR, pool + g_rand_int_range (rand, 0, POOL_LEN - len), len);
  return HDR + len;
}

static guint8 *
random_pool (GRand * rand)
{
  guint32 *pool = g_malloc (POOL_LEN);
  guint i;

  for (i = 0; i < POOL_LEN / 4; i++)
    pool[i] = g_rand_int (rand);
  return (guint8 *) pool;
}

/* What an established association may keep of a record: the current epoch
 * (1), a content type that exists encrypted, a length the cipher can have
 * produced. Everything else the screen must drop. */
static gboolean
expect_kept (guint type, guint16 epoch, gsize len, guint overhead)
{
  return epoch == 1 && type >= 21 && type <= 23 && len >= overhead &&
      len <= 16384 + overhead;
}

static void
test_table (gconstpointer data)
{
  const TableCase *tc = data;
  const Suite *suite = tc->suite;
  static const guint16 epochs[] = { 0, 1, 2, 0xffff };
  static const guint16 bad_versions[] = { 0xfeff, 0x0303, 0x0000, 0xfefc,
    0xfefe, 0xffff
  };
  GRand *rand = g_rand_new_with_seed (suite->overhead * 2 + tc->receiver);
  guint8 *pool = random_pool (rand);
  guint8 *buf = g_malloc (HDR + 65535);
  Pair *pair = connected_pair (suite);
  Peer *rx = pair->l.role == tc->receiver ? &pair->l : &pair->r;
  GArray *lens = g_array_new (FALSE, FALSE, sizeof (gsize));
  guint64 dropped_before = rtc_dtls_get_dropped_records (rx->dtls);
  guint64 expected_drops = 0, kept = 0;
  guint type, e, i, v;
  gsize n;

  /* 0..64 covers every cipher's minimum - 1, minimum, minimum + 1, and the
   * 14-byte datagram of the issue (a 1-byte body). */
  for (n = 0; n <= 64; n++)
    g_array_append_val (lens, n);
  {
    gsize big[] = { 16383, 16384, 16385, 16384 + suite->overhead - 1,
      16384 + suite->overhead, 16384 + suite->overhead + 1,
      16385 + suite->overhead, 16384 + 2048, 65535
    };
    g_array_append_vals (lens, big, G_N_ELEMENTS (big));
  }

  for (type = 0; type < 256; type++) {
    for (e = 0; e < G_N_ELEMENTS (epochs); e++) {
      for (i = 0; i < lens->len; i++) {
        gsize len = g_array_index (lens, gsize, i);

        n = make_record (buf, rand, pool, type, RTC_DTLS_VERSION_1_2,
            epochs[e], len);
        inject (rx, buf, n);
        if (expect_kept (type, epochs[e], len, suite->overhead))
          kept++;
        else
          expected_drops++;
      }
    }
  }
  /* Right in every way but the version. */
  for (v = 0; v < G_N_ELEMENTS (bad_versions); v++) {
    for (type = 20; type <= 23; type++) {
      n = make_record (buf, rand, pool, type, bad_versions[v], 1, 40);
      inject (rx, buf, n);
      expected_drops++;
    }
  }

  /* The screen did it (whatever this OpenSSL would have done), and passed
   * on exactly the records that only a tag check can tell from the
   * peer's: those went to OpenSSL and were dropped there silently. */
  g_assert_cmpuint (rtc_dtls_get_dropped_records (rx->dtls) - dropped_before,
      ==, expected_drops);
  g_assert_cmpuint (kept, >, 3 * 40);
  g_test_message ("%s, %s receiving: %" G_GUINT64_FORMAT " records dropped "
      "by the screen, %" G_GUINT64_FORMAT " left to OpenSSL", suite->name,
      tc->receiver == RTC_DTLS_ROLE_CLIENT ? "client" : "server",
      expected_drops, kept);

  run_until (pair, quiet);
  assert_connected (pair);
  g_assert_cmpuint (pair->l.received->len, ==, 0);
  g_assert_cmpuint (pair->r.received->len, ==, 0);
  assert_data_flows (pair, 1);
  assert_data_flows (pair, 1000);
  assert_data_flows (pair, 16384);

  g_array_unref (lens);
  g_free (buf);
  g_free (pool);
  g_rand_free (rand);
  pair_free (pair);
}

/* A datagram mixing garbage with a genuine record: the genuine one gets
 * through, alone. */
static void
test_mixed_datagram (void)
{
  Pair *pair = connected_pair (NULL);
  Peer *c = &pair->l, *s = &pair->r;
  GRand *rand = g_rand_new_with_seed (3);
  guint8 *pool = random_pool (rand);
  GByteArray *d = g_byte_array_new ();
  guint8 rec[HDR + 64];
  GBytes *genuine;
  gsize len, n;
  guint64 before = rtc_dtls_get_dropped_records (s->dtls);
  const guint8 *g;

  send_bytes (c, (const guint8 *) "hello", 5);
  genuine = g_queue_pop_head (&c->wire);
  g_assert_nonnull (genuine);
  g_assert_cmpuint (c->wire.length, ==, 0);
  g = g_bytes_get_data (genuine, &len);

  /* The 14-byte record, genuine, a plaintext close_notify, and a
   * record that claims more than is left. */
  n = make_record (rec, rand, pool, 23, RTC_DTLS_VERSION_1_2, 1, 1);
  g_byte_array_append (d, rec, n);
  g_byte_array_append (d, g, len);
  n = make_record (rec, rand, pool, 21, RTC_DTLS_VERSION_1_2, 0, 2);
  rec[HDR] = 1;
  rec[HDR + 1] = 0;
  g_byte_array_append (d, rec, n);
  n = make_record (rec, rand, pool, 23, RTC_DTLS_VERSION_1_2, 1, 40);
  g_byte_array_append (d, rec, n - 10);

  rtc_dtls_handle_packet (s->dtls, pair_now (pair), d->data, d->len);
  drain (s);
  g_assert_cmpuint (s->received->len, ==, 1);
  g_assert_cmpmem (g_bytes_get_data (s->received->pdata[0], NULL), 5,
      "hello", 5);
  g_assert_cmpuint (rtc_dtls_get_dropped_records (s->dtls) - before, ==, 3);
  g_assert_cmpuint (s->wire.length, ==, 0);
  assert_connected (pair);
  assert_data_flows (pair, 100);

  g_bytes_unref (genuine);
  g_byte_array_unref (d);
  g_free (pool);
  g_rand_free (rand);
  pair_free (pair);
}

/* close_notify and fatal alerts cannot be forged without the keys: in the
 * clear (epoch 0), at the current epoch with a plaintext body, at the next
 * epoch; to either side. */
static void
test_forged_alerts (void)
{
  static const guint8 alerts[][2] = {
    {1, 0},                     /* warning close_notify */
    {2, 0},                     /* fatal close_notify */
    {2, 40},                    /* fatal handshake_failure */
    {2, 80},                    /* fatal internal_error */
  };
  Pair *pair = connected_pair (NULL);
  GRand *rand = g_rand_new_with_seed (4);
  guint8 *pool = random_pool (rand);
  guint8 rec[HDR + 64];
  guint i, side, e;

  for (side = 0; side < 2; side++) {
    Peer *p = side ? &pair->r : &pair->l;
    /* A slow handshake may have had a flight retransmitted that arrived
     * after the end: dropped too. */
    guint64 before = rtc_dtls_get_dropped_records (p->dtls);

    for (i = 0; i < G_N_ELEMENTS (alerts); i++) {
      for (e = 0; e <= 2; e++) {
        gsize len;

        /* Bare, and padded to look like an encrypted alert (2 bytes +
         * nonce + tag). */
        len = make_record (rec, rand, pool, 21, RTC_DTLS_VERSION_1_2, e, 2);
        memcpy (rec + HDR, alerts[i], 2);
        inject (p, rec, len);
        len = make_record (rec, rand, pool, 21, RTC_DTLS_VERSION_1_2, e, 26);
        memcpy (rec + HDR, alerts[i], 2);
        inject (p, rec, len);
        memcpy (rec + HDR + 24, alerts[i], 2);
        inject (p, rec, len);
      }
    }
    /* The padded ones at epoch 1 got to OpenSSL, which dropped them. */
    g_assert_cmpuint (rtc_dtls_get_dropped_records (p->dtls) - before, ==,
        G_N_ELEMENTS (alerts) * (3 * 3 - 2));
  }
  run_until (pair, quiet);
  assert_connected (pair);
  assert_data_flows (pair, 10);

  g_free (pool);
  g_rand_free (rand);
  pair_free (pair);
}

/* Only the peer can end the association after the handshake, and then the
 * error says it happened after the handshake. The client (the real peer,
 * with the keys) asks for a renegotiation; the server refuses with a
 * no_renegotiation warning, on which the client gives up with a fatal
 * handshake_failure alert: authenticated records all the way. */
static void
test_peer_failure_after_handshake (void)
{
  Pair *pair = connected_pair (NULL);
  Peer *c = &pair->l, *s = &pair->r;
  SSL *ssl = rtc_dtls_peek_ssl (c->dtls);
  guint64 dropped = rtc_dtls_get_dropped_records (s->dtls);

  SSL_clear_options (ssl, SSL_OP_NO_RENEGOTIATION);
  g_assert_cmpint (SSL_renegotiate (ssl), ==, 1);
  g_assert_cmpint (SSL_do_handshake (ssl), <=, 0);
  ERR_clear_error ();
  drain (c);
  g_assert_cmpuint (c->wire.length, ==, 1);

  run_until (pair, both_done);
  g_assert_true (c->failed);
  g_assert_true (s->failed);
  g_assert_error (c->error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_ALERT_SENT);
  g_assert_true (g_str_has_prefix (c->error->message,
          "DTLS association failed after the handshake: sent fatal alert "
          "handshake failure: "));
  g_assert_error (s->error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_ALERT_RECEIVED);
  g_assert_cmpstr (s->error->message, ==,
      "DTLS association failed after the handshake: peer sent fatal alert "
      "handshake failure");
  /* The screen let every genuine record through. */
  g_assert_cmpuint (rtc_dtls_get_dropped_records (s->dtls), ==, dropped);
  pair_free (pair);
}

/* ... while the same alert during the handshake says so. */
static void
test_failure_during_handshake (void)
{
  PairConfig cfg = { {.remote_fingerprint = "sha-256 "
          "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:"
          "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF"}, {0}
  };
  Pair *pair = pair_new_full (RTC_DTLS_ROLE_CLIENT, &cfg);

  pair_start (pair);
  run_until (pair, both_done);
  g_assert_error (pair->r.error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_ALERT_RECEIVED);
  g_assert_cmpstr (pair->r.error->message, ==,
      "DTLS handshake failed: peer sent fatal alert bad certificate");
  pair_free (pair);
}

/* During the handshake OpenSSL keeps next-epoch records it cannot read
 * yet, unauthenticated; the screen hands it only so many. Below that the
 * handshake goes on (the fakes fail their tag check once the epoch
 * starts). */
static void
check_next_epoch (guint n_fakes)
{
  Pair *pair = pair_new (RTC_DTLS_ROLE_CLIENT);
  Peer *s = &pair->r;
  GRand *rand = g_rand_new_with_seed (5);
  guint i;

  rtc_dtls_start (s->dtls, pair_now (pair));
  drain (s);
  for (i = 0; i < n_fakes; i++) {
    GBytes *rec = fake_record (rand, 21 + i % 2, 1, 24 + i);
    gsize len;
    const guint8 *d = g_bytes_get_data (rec, &len);

    rtc_dtls_handle_packet (s->dtls, pair_now (pair), d, len);
    drain (s);
    g_assert_cmpuint (s->wire.length, ==, 0);
    g_bytes_unref (rec);
  }
  g_assert_cmpuint (rtc_dtls_get_dropped_records (s->dtls), ==,
      n_fakes - MIN (n_fakes, RTC_DTLS_RECORD_NEXT_EPOCH_BUDGET));

  if (n_fakes < RTC_DTLS_RECORD_NEXT_EPOCH_BUDGET) {
    rtc_dtls_start (pair->l.dtls, pair_now (pair));
    drain (&pair->l);
    run_until (pair, both_connected);
    assert_connected (pair);
    assert_data_flows (pair, 100);
  }
  g_rand_free (rand);
  pair_free (pair);
}

static void
test_next_epoch_below_budget (void)
{
  check_next_epoch (RTC_DTLS_RECORD_NEXT_EPOCH_BUDGET - 2);
}

static void
test_next_epoch_over_budget (void)
{
  check_next_epoch (3 * RTC_DTLS_RECORD_NEXT_EPOCH_BUDGET);
}

/* Records that arrive after the handshake but before the remote
 * fingerprint came from whoever did the handshake, possibly not the peer
 * the description names: they are held, a bounded number, and delivered
 * (the first ones, in order) only once the fingerprint matched. */
static void
test_held_records_bounded (void)
{
  PairConfig cfg = { {.remote_fingerprint = ""}, {0} };
  Pair *pair = pair_new_full (RTC_DTLS_ROLE_CLIENT, &cfg);
  Peer *c = &pair->l, *s = &pair->r;
  gchar *fp = rtc_certificate_get_fingerprint (s->cert);
  guint i;

  pair_start (pair);
  run_until (pair, quiet);
  g_assert_true (s->connected);
  g_assert_false (c->connected);

  for (i = 0; i < 200; i++) {
    guint8 buf[1000];

    memset (buf, i, sizeof (buf));
    send_bytes (s, buf, sizeof (buf));
  }
  run_until (pair, quiet);
  g_assert_cmpuint (c->received->len, ==, 0);
  g_assert_cmpint (rtc_dtls_get_state (c->dtls), ==, RTC_DTLS_STATE_CONNECTING);

  g_assert_true (rtc_dtls_set_remote_fingerprint (c->dtls, fp, NULL));
  drain (c);
  g_assert_true (c->connected);
  g_assert_cmpuint (c->received->len, ==, 64);
  for (i = 0; i < c->received->len; i++) {
    gsize len;
    const guint8 *d = g_bytes_get_data (c->received->pdata[i], &len);

    g_assert_cmpuint (len, ==, 1000);
    g_assert_cmpuint (d[0], ==, i);
    g_assert_cmpuint (d[999], ==, i);
  }
  assert_data_flows (pair, 100);
  g_free (fp);
  pair_free (pair);
}

/* The test-only suite list takes only suites the core offers anyway. */
static void
test_cipher_suites_config (void)
{
  static const gchar *bad[] = { "AES128-SHA", "ECDHE-ECDSA-AES128-SHA",
    "ECDHE-ECDSA-AES128-GCM-SHA256:AES256-SHA", "NO-SUCH-CIPHER"
  };
  RtcDtlsConfig c = { 0 };
  GError *err = NULL;
  RtcDtls *d;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    c.cipher_suites = bad[i];
    g_assert_null (rtc_dtls_new (&c, &err));
    g_assert_error (err, RTC_DTLS_ERROR, RTC_DTLS_ERROR_INVALID_ARGUMENT);
    g_clear_error (&err);
  }
  c.cipher_suites = "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-AES256-GCM-SHA384";
  d = rtc_dtls_new (&c, &err);
  g_assert_no_error (err);
  g_assert_null (rtc_dtls_get_cipher_name (d));
  rtc_dtls_free (d);
  g_assert_cmpuint (ERR_peek_error (), ==, 0);
}

int
main (int argc, char **argv)
{
  TableCase cases[G_N_ELEMENTS (suites) * 2];
  guint i;
  gint ret;

  g_test_init (&argc, &argv, NULL);

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    gchar *path;

    cases[i].suite = &suites[i / 2];
    cases[i].receiver = i % 2 ? RTC_DTLS_ROLE_SERVER : RTC_DTLS_ROLE_CLIENT;
    path = g_strdup_printf ("/dtls/screen/table/%s/%s", cases[i].suite->name,
        i % 2 ? "server" : "client");
    g_test_add_data_func (path, &cases[i], test_table);
    g_free (path);
  }
  g_test_add_func ("/dtls/screen/mixed-datagram", test_mixed_datagram);
  g_test_add_func ("/dtls/screen/forged-alerts", test_forged_alerts);
  g_test_add_func ("/dtls/screen/peer-failure-after-handshake",
      test_peer_failure_after_handshake);
  g_test_add_func ("/dtls/screen/failure-during-handshake",
      test_failure_during_handshake);
  g_test_add_func ("/dtls/screen/next-epoch-below-budget",
      test_next_epoch_below_budget);
  g_test_add_func ("/dtls/screen/next-epoch-over-budget",
      test_next_epoch_over_budget);
  g_test_add_func ("/dtls/screen/held-records-bounded",
      test_held_records_bounded);
  g_test_add_func ("/dtls/screen/cipher-suites-config",
      test_cipher_suites_config);
  ret = g_test_run ();
  g_clear_pointer (&rsa_cert, rtc_certificate_unref);
  return ret;
}
