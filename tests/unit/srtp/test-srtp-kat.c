/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Known-answer tests for the SRTP core.
 *
 * libsrtp derives the session keys from the master key internally, so the
 * published vectors cannot be fed to it as-is. Instead:
 *
 *  1. an independent reference written here with OpenSSL (AES-CTR IVs, the
 *     RFC 3711 PRF, HMAC-SHA1 tags, AES-GCM IV/AAD) is first pinned to the
 *     RFC vectors: RFC 3711 B.2 (keystream), B.3 (key derivation), RFC 7714
 *     section 16.1 (SRTP) and 17.1 (SRTCP) packets;
 *  2. then every packet our core protects is opened with that reference,
 *     and packets the reference seals are opened with our core.
 */

#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "srtp/rtcsrtp.h"

/* ---------------------------------------------------------------------
 * helpers
 * --------------------------------------------------------------------- */

/* Hex to bytes; whitespace is skipped so vectors can be copied as the RFCs
 * lay them out. */
static gsize
unhex (const gchar * s, guint8 * out, gsize max)
{
  gsize n = 0;
  gint hi = -1;

  for (; *s; s++) {
    gint v;

    if (g_ascii_isspace (*s))
      continue;
    v = g_ascii_xdigit_value (*s);
    g_assert_cmpint (v, >=, 0);
    if (hi < 0) {
      hi = v;
    } else {
      g_assert_cmpuint (n, <, max);
      out[n++] = (guint8) (hi << 4 | v);
      hi = -1;
    }
  }
  g_assert_cmpint (hi, ==, -1);
  return n;
}

static void
assert_hex (const guint8 * got, gsize len, const gchar * expect_hex)
{
  guint8 expect[256];
  gsize n = unhex (expect_hex, expect, sizeof (expect));

  g_assert_cmpmem (got, len, expect, n);
}

static void
put_be32 (guint8 * p, guint32 v)
{
  p[0] = v >> 24;
  p[1] = v >> 16;
  p[2] = v >> 8;
  p[3] = v;
}

static guint32
get_be32 (const guint8 * p)
{
  return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 |
      p[3];
}

/* A minimal RTP packet: V=2, PT 96, no CSRC, no extension. */
static gsize
make_rtp (guint8 * buf, guint16 seq, guint32 ssrc, const guint8 * payload,
    gsize payload_len)
{
  buf[0] = 0x80;
  buf[1] = 96;
  buf[2] = seq >> 8;
  buf[3] = seq & 0xff;
  put_be32 (buf + 4, 0x11223344);
  put_be32 (buf + 8, ssrc);
  memcpy (buf + 12, payload, payload_len);
  return 12 + payload_len;
}

/* An RTCP sender report (RFC 3550 section 6.4.1) without report blocks. */
static gsize
make_rtcp_sr (guint8 * buf, guint32 ssrc)
{
  static const guint8 body[20] = {
    0xe9, 0x30, 0x4c, 0x75, 0x6e, 0x61, 0x00, 0x01,
    0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09,
    0x0a, 0x0b, 0x0c, 0x0d
  };

  buf[0] = 0x80;
  buf[1] = 200;
  buf[2] = 0;
  buf[3] = 6;                   /* length in words minus one: 28 bytes */
  put_be32 (buf + 4, ssrc);
  memcpy (buf + 8, body, sizeof (body));
  return 28;
}

static const EVP_CIPHER *
ctr_cipher (gsize key_len)
{
  return key_len == 32 ? EVP_aes_256_ctr () : EVP_aes_128_ctr ();
}

static const EVP_CIPHER *
gcm_cipher (gsize key_len)
{
  return key_len == 32 ? EVP_aes_256_gcm () : EVP_aes_128_gcm ();
}

/* AES in counter mode, the whole 128-bit IV as the initial counter block
 * (RFC 3711 section 4.1.1). */
static void
aes_ctr (const guint8 * key, gsize key_len, const guint8 iv[16],
    const guint8 * in, guint8 * out, gsize len)
{
  EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new ();
  int outl = 0;

  g_assert_nonnull (c);
  g_assert_cmpint (EVP_EncryptInit_ex (c, ctr_cipher (key_len), NULL, key,
          iv), ==, 1);
  if (len > 0)
    g_assert_cmpint (EVP_EncryptUpdate (c, out, &outl, in, (int) len), ==, 1);
  g_assert_cmpint (outl, ==, (int) len);
  EVP_CIPHER_CTX_free (c);
}

/* RFC 3711 section 4.1.1:
 *   IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16)
 * with a 112-bit session salt k_s and the 48-bit packet index i. */
static void
aes_cm_iv (const guint8 salt[14], guint32 ssrc, guint64 index, guint8 iv[16])
{
  guint i;

  memset (iv, 0, 16);
  put_be32 (iv + 4, ssrc);
  for (i = 0; i < 6; i++)
    iv[8 + i] = (guint8) (index >> (8 * (5 - i)));
  for (i = 0; i < 14; i++)
    iv[i] ^= salt[i];
}

/* RFC 3711 section 4.3.1/4.3.3 with key_derivation_rate 0: the AES-CM PRF
 * keyed with the master key, IV = (master_salt XOR (label || 0^48)) * 2^16.
 * The label sits at byte 7 of the 14-byte salt. RFC 6188 section 3 uses
 * the same PRF with AES-256 for 256-bit master keys. A 12-byte AEAD master
 * salt is zero-padded on the right to 14 bytes, as libsrtp does. */
static void
srtp_prf (const guint8 * master_key, gsize key_len, const guint8 * salt,
    gsize salt_len, guint8 label, guint8 * out, gsize out_len)
{
  guint8 iv[16] = { 0 };
  guint8 *zeros = g_malloc0 (out_len);

  memcpy (iv, salt, salt_len);
  iv[7] ^= label;
  aes_ctr (master_key, key_len, iv, zeros, out, out_len);
  g_free (zeros);
}

static void
hmac_sha1 (const guint8 * key, gsize key_len, const guint8 * data,
    gsize len, guint8 out[20])
{
  unsigned int out_len = 0;

  g_assert_nonnull (HMAC (EVP_sha1 (), key, (int) key_len, data, len, out,
          &out_len));
  g_assert_cmpuint (out_len, ==, 20);
}

/* RFC 7714 section 8.1: the 12-byte IV is
 *   (0x0000 || SSRC || ROC || SEQ) XOR salt. */
static void
gcm_rtp_iv (const guint8 salt[12], guint32 ssrc, guint32 roc, guint16 seq,
    guint8 iv[12])
{
  guint i;

  memset (iv, 0, 12);
  put_be32 (iv + 2, ssrc);
  put_be32 (iv + 6, roc);
  iv[10] = seq >> 8;
  iv[11] = seq & 0xff;
  for (i = 0; i < 12; i++)
    iv[i] ^= salt[i];
}

/* RFC 7714 section 9.1: for SRTCP,
 *   (0x0000 || SSRC || 0x0000 || 0 || SRTCP index) XOR salt. */
static void
gcm_rtcp_iv (const guint8 salt[12], guint32 ssrc, guint32 index, guint8 iv[12])
{
  guint i;

  memset (iv, 0, 12);
  put_be32 (iv + 2, ssrc);
  put_be32 (iv + 8, index & 0x7fffffff);
  for (i = 0; i < 12; i++)
    iv[i] ^= salt[i];
}

static void
gcm_seal (const guint8 * key, gsize key_len, const guint8 iv[12],
    const guint8 * aad, gsize aad_len, const guint8 * in, gsize len,
    guint8 * out, guint8 tag[16])
{
  EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new ();
  int outl;

  g_assert_cmpint (EVP_EncryptInit_ex (c, gcm_cipher (key_len), NULL, NULL,
          NULL), ==, 1);
  g_assert_cmpint (EVP_CIPHER_CTX_ctrl (c, EVP_CTRL_GCM_SET_IVLEN, 12, NULL),
      ==, 1);
  g_assert_cmpint (EVP_EncryptInit_ex (c, NULL, NULL, key, iv), ==, 1);
  g_assert_cmpint (EVP_EncryptUpdate (c, NULL, &outl, aad, (int) aad_len),
      ==, 1);
  if (len > 0)
    g_assert_cmpint (EVP_EncryptUpdate (c, out, &outl, in, (int) len), ==, 1);
  g_assert_cmpint (EVP_EncryptFinal_ex (c, out + len, &outl), ==, 1);
  g_assert_cmpint (EVP_CIPHER_CTX_ctrl (c, EVP_CTRL_GCM_GET_TAG, 16, tag),
      ==, 1);
  EVP_CIPHER_CTX_free (c);
}

/* Returns whether the tag verified; @out holds the plaintext. */
static gboolean
gcm_open (const guint8 * key, gsize key_len, const guint8 iv[12],
    const guint8 * aad, gsize aad_len, const guint8 * in, gsize len,
    const guint8 tag[16], guint8 * out)
{
  EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new ();
  int outl, ok;

  g_assert_cmpint (EVP_DecryptInit_ex (c, gcm_cipher (key_len), NULL, NULL,
          NULL), ==, 1);
  g_assert_cmpint (EVP_CIPHER_CTX_ctrl (c, EVP_CTRL_GCM_SET_IVLEN, 12, NULL),
      ==, 1);
  g_assert_cmpint (EVP_DecryptInit_ex (c, NULL, NULL, key, iv), ==, 1);
  g_assert_cmpint (EVP_DecryptUpdate (c, NULL, &outl, aad, (int) aad_len),
      ==, 1);
  if (len > 0)
    g_assert_cmpint (EVP_DecryptUpdate (c, out, &outl, in, (int) len), ==, 1);
  g_assert_cmpint (EVP_CIPHER_CTX_ctrl (c, EVP_CTRL_GCM_SET_TAG, 16,
          (void *) tag), ==, 1);
  ok = EVP_DecryptFinal_ex (c, out + len, &outl);
  EVP_CIPHER_CTX_free (c);
  return ok > 0;
}

/* A session whose outbound side is keyed with @tx and inbound with @rx. */
static RtcSrtpSession *
session_new (RtcSrtpProfile profile, const guint8 * tx, const guint8 * rx)
{
  GError *error = NULL;
  RtcSrtpSession *s = rtc_srtp_session_new (profile, tx, rx, &error);

  g_assert_no_error (error);
  g_assert_nonnull (s);
  return s;
}

static void
fill_payload (guint8 * p, gsize len, guint8 seed)
{
  gsize i;

  for (i = 0; i < len; i++)
    p[i] = (guint8) (seed + 7 * i);
}

/* ---------------------------------------------------------------------
 * RFC 3711 Appendix B: pin the reference
 * --------------------------------------------------------------------- */

/* B.2: the keystream for session key 2B7E..., salt F0F1...FD, SSRC 0 and
 * index 0, through 65282 blocks. */
static void
test_rfc3711_b2_keystream (void)
{
  guint8 key[16], salt[14], iv[16];
  const gsize nblocks = 65282;
  guint8 *zeros = g_malloc0 (nblocks * 16);
  guint8 *ks = g_malloc (nblocks * 16);

  unhex ("2B7E151628AED2A6ABF7158809CF4F3C", key, sizeof (key));
  unhex ("F0F1F2F3F4F5F6F7F8F9FAFBFCFD", salt, sizeof (salt));

  aes_cm_iv (salt, 0, 0, iv);
  assert_hex (iv, 16, "F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000");

  aes_ctr (key, 16, iv, zeros, ks, nblocks * 16);
  assert_hex (ks + 0x0000 * 16, 16, "E03EAD0935C95E80E166B16DD92B4EB4");
  assert_hex (ks + 0x0001 * 16, 16, "D23513162B02D0F72A43A2FE4A5F97AB");
  assert_hex (ks + 0x0002 * 16, 16, "41E95B3BB0A2E8DD477901E4FCA894C0");
  assert_hex (ks + 0xFEFF * 16, 16, "EC8CDF7398607CB0F2D21675EA9EA1E4");
  assert_hex (ks + 0xFF00 * 16, 16, "362B7C3C6773516318A077D7FC5073AE");
  assert_hex (ks + 0xFF01 * 16, 16, "6A2CC3787889374FBEB4C81B17BA6C44");

  g_free (zeros);
  g_free (ks);
}

/* The IV places SSRC and index where section 4.1.1 says: a salt of zero
 * exposes the layout. */
static void
test_aes_cm_iv_layout (void)
{
  guint8 salt[14] = { 0 }, iv[16];

  aes_cm_iv (salt, 0x01020304, G_GUINT64_CONSTANT (0x556677889900), iv);
  assert_hex (iv, 16, "00000000 01020304 55667788 99000000");
}

static const gchar b3_master_key[] = "E1F97A0D3E018BE0D64FA32C06DE4139";
static const gchar b3_master_salt[] = "0EC675AD498AFEEBB6960B3AABE6";
static const gchar b3_cipher_key[] = "C61E7A93744F39EE10734AFE3FF7A087";
static const gchar b3_cipher_salt[] = "30CBBC08863D8C85D49DB34A9AE1";
static const gchar b3_auth_key[] =
    "CEBE321F6FF7716B6FD4AB49AF256A15 6D38BAA48F0A0ACF3C34E2359E6CDBCE"
    "E049646C43D9327AD175578EF7227098 6371C10C9A369AC2F94A8C5FBCDDDC25"
    "6D6E919A48B610EF17C2041E47403576 6B68642C59BBFC2F34DB60DBDFB2";

/* B.3: the reference PRF reproduces the three session values. */
static void
test_rfc3711_b3_kdf (void)
{
  guint8 mk[16], ms[14], out[94];

  unhex (b3_master_key, mk, sizeof (mk));
  unhex (b3_master_salt, ms, sizeof (ms));

  srtp_prf (mk, 16, ms, 14, 0x00, out, 16);
  assert_hex (out, 16, b3_cipher_key);
  srtp_prf (mk, 16, ms, 14, 0x02, out, 14);
  assert_hex (out, 14, b3_cipher_salt);
  srtp_prf (mk, 16, ms, 14, 0x01, out, 94);
  assert_hex (out, 94, b3_auth_key);
}

/* B.3 master key|salt as one buffer, the layout the core takes. */
static void
b3_key_salt (guint8 out[30])
{
  unhex (b3_master_key, out, 16);
  unhex (b3_master_salt, out + 16, 14);
}

/* ---------------------------------------------------------------------
 * AES-CM + HMAC-SHA1 profiles against the reference
 * --------------------------------------------------------------------- */

static void
check_cm_rtp (gconstpointer data)
{
  RtcSrtpProfile profile = GPOINTER_TO_UINT (data);
  gsize tag_len = rtc_srtp_profile_rtp_overhead (profile);
  guint8 ks[30], other[30], ek[16], es[14], ak[94];
  guint8 payload[100], pkt[200], ref[200], mac_in[256], mac[20], iv[16];
  const guint32 ssrc = 0xdeadbeef;
  const guint16 seq = 0x1234;
  RtcSrtpSession *tx, *rx;
  GError *error = NULL;
  gsize len, plain_len;

  g_assert_cmpuint (tag_len, >, 0);
  b3_key_salt (ks);
  memset (other, 0x5a, sizeof (other));

  /* The session keys come from the RFC text, not from our PRF, so this
   * also proves libsrtp derives what B.3 says. */
  unhex (b3_cipher_key, ek, sizeof (ek));
  unhex (b3_cipher_salt, es, sizeof (es));
  /* HMAC-SHA1 is keyed with the first 160 bits of the auth key (RFC 3711
   * section 4.2.1; B.3 derives more to exercise the PRF counter). */
  unhex (b3_auth_key, ak, sizeof (ak));

  fill_payload (payload, sizeof (payload), 3);
  plain_len = len = make_rtp (pkt, seq, ssrc, payload, sizeof (payload));

  /* Our outbound side is keyed with the B.3 material... */
  tx = session_new (profile, ks, other);
  g_assert_true (rtc_srtp_protect_rtp (tx, pkt, &len, sizeof (pkt), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (len, ==, plain_len + tag_len);

  /* ...the header stays in the clear... */
  make_rtp (ref, seq, ssrc, payload, sizeof (payload));
  g_assert_cmpmem (pkt, 12, ref, 12);

  /* ...the payload is AES-CM with IV (salt, SSRC, index = ROC 0 || seq)... */
  aes_cm_iv (es, ssrc, seq, iv);
  aes_ctr (ek, 16, iv, pkt + 12, ref + 12, sizeof (payload));
  g_assert_cmpmem (ref + 12, sizeof (payload), payload, sizeof (payload));

  /* ...and the tag is HMAC-SHA1(header || ciphertext || ROC), truncated
   * (RFC 3711 section 4.2). */
  memcpy (mac_in, pkt, plain_len);
  put_be32 (mac_in + plain_len, 0);
  hmac_sha1 (ak, 20, mac_in, plain_len + 4, mac);
  g_assert_cmpmem (pkt + plain_len, tag_len, mac, tag_len);
  rtc_srtp_session_free (tx);

  /* The other way round: the reference seals, our inbound side (keyed with
   * the remote material) opens. */
  len = make_rtp (pkt, seq + 1, ssrc, payload, sizeof (payload));
  aes_cm_iv (es, ssrc, seq + 1, iv);
  aes_ctr (ek, 16, iv, payload, pkt + 12, sizeof (payload));
  memcpy (mac_in, pkt, len);
  put_be32 (mac_in + len, 0);
  hmac_sha1 (ak, 20, mac_in, len + 4, mac);
  memcpy (pkt + len, mac, tag_len);
  len += tag_len;

  rx = session_new (profile, other, ks);
  g_assert_true (rtc_srtp_unprotect_rtp (rx, pkt, &len, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (len, ==, plain_len);
  g_assert_cmpmem (pkt + 12, len - 12, payload, sizeof (payload));
  rtc_srtp_session_free (rx);
}

/* SRTCP keys use labels 3 (cipher), 4 (auth) and 5 (salt); B.3 only
 * publishes the SRTP ones, so these come from the reference PRF that
 * test_rfc3711_b3_kdf pinned. Layout (RFC 3711 section 3.4):
 *   header(8) | encrypted | E+index(4) | tag */
static void
check_cm_rtcp (gconstpointer data)
{
  RtcSrtpProfile profile = GPOINTER_TO_UINT (data);
  gsize tag_len = rtc_srtp_profile_rtcp_overhead (profile) - 4;
  guint8 ks[30], other[30], mk[16], ms[14], ek[16], es[14], ak[20];
  guint8 pkt[128], plain[128], dec[128], mac[20], iv[16];
  const guint32 ssrc = 0xcafebabe;
  RtcSrtpSession *tx, *rx;
  GError *error = NULL;
  gsize len, plain_len;
  guint32 word, index;

  /* RFC 5764 section 4.1.2: SRTCP keeps the 80-bit tag in both profiles. */
  g_assert_cmpuint (tag_len, ==, 10);
  b3_key_salt (ks);
  memset (other, 0xa5, sizeof (other));
  memcpy (mk, ks, 16);
  memcpy (ms, ks + 16, 14);
  srtp_prf (mk, 16, ms, 14, 0x03, ek, 16);
  srtp_prf (mk, 16, ms, 14, 0x04, ak, 20);
  srtp_prf (mk, 16, ms, 14, 0x05, es, 14);

  plain_len = len = make_rtcp_sr (pkt, ssrc);
  memcpy (plain, pkt, plain_len);

  tx = session_new (profile, ks, other);
  g_assert_true (rtc_srtp_protect_rtcp (tx, pkt, &len, sizeof (pkt), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (len, ==, plain_len + 4 + tag_len);
  g_assert_cmpmem (pkt, 8, plain, 8);

  word = get_be32 (pkt + plain_len);
  g_assert_true (word & 0x80000000);    /* E: encrypted */
  index = word & 0x7fffffff;

  aes_cm_iv (es, ssrc, index, iv);
  aes_ctr (ek, 16, iv, pkt + 8, dec, plain_len - 8);
  g_assert_cmpmem (dec, plain_len - 8, plain + 8, plain_len - 8);

  hmac_sha1 (ak, 20, pkt, plain_len + 4, mac);
  g_assert_cmpmem (pkt + plain_len + 4, tag_len, mac, tag_len);
  rtc_srtp_session_free (tx);

  /* Reference seals index 7, our inbound side opens. */
  len = make_rtcp_sr (pkt, ssrc);
  aes_cm_iv (es, ssrc, 7, iv);
  aes_ctr (ek, 16, iv, plain + 8, pkt + 8, plain_len - 8);
  put_be32 (pkt + len, 0x80000000 | 7);
  hmac_sha1 (ak, 20, pkt, len + 4, mac);
  memcpy (pkt + len + 4, mac, tag_len);
  len += 4 + tag_len;

  rx = session_new (profile, other, ks);
  g_assert_true (rtc_srtp_unprotect_rtcp (rx, pkt, &len, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (pkt, len, plain, plain_len);
  rtc_srtp_session_free (rx);
}

/* ---------------------------------------------------------------------
 * RFC 7714: pin the reference to sections 16.1 and 17.1
 * --------------------------------------------------------------------- */

static const gchar rfc7714_key[] = "000102030405060708090a0b0c0d0e0f";
static const gchar rfc7714_salt[] = "517569642070726f2071756f";

static void
test_rfc7714_rtp_vector (void)
{
  guint8 key[16], salt[12], iv[12], pkt[64], out[64], tag[16], dec[64];
  gsize len;

  unhex (rfc7714_key, key, sizeof (key));
  unhex (rfc7714_salt, salt, sizeof (salt));
  len = unhex ("8040f17b 8041f8d3 5501a0b2 47616c6c 69612065 7374206f"
      "6d6e6973 20646976 69736120 696e2070 61727465 73207472 6573",
      pkt, sizeof (pkt));
  g_assert_cmpuint (len, ==, 12 + 38);

  gcm_rtp_iv (salt, 0x5501a0b2, 0, 0xf17b, iv);
  assert_hex (iv, 12, "51753c6580c2726f20718414");

  /* AAD is the RTP header (RFC 7714 section 8). */
  gcm_seal (key, 16, iv, pkt, 12, pkt + 12, len - 12, out, tag);
  assert_hex (out, len - 12,
      "f24de3a3 fb34de6c acba861c 9d7e4bca be633bd5 0d294e6f 42a5f47a"
      "51c7d19b 36de3adf 8833");
  assert_hex (tag, 16, "899d7f27 beb16a91 52cf765e e4390cce");

  g_assert_true (gcm_open (key, 16, iv, pkt, 12, out, len - 12, tag, dec));
  g_assert_cmpmem (dec, len - 12, pkt + 12, len - 12);
  tag[0] ^= 1;
  g_assert_false (gcm_open (key, 16, iv, pkt, 12, out, len - 12, tag, dec));
}

static void
test_rfc7714_rtcp_vector (void)
{
  guint8 key[16], salt[12], iv[12], pkt[64], aad[12], out[64], tag[16];
  gsize len;

  unhex (rfc7714_key, key, sizeof (key));
  unhex (rfc7714_salt, salt, sizeof (salt));
  len = unhex ("81c8000d 4d617273 4e545031 4e545032 52545020 0000042a"
      "0000e930 4c756e61 deadbeef deadbeef deadbeef deadbeef deadbeef",
      pkt, sizeof (pkt));
  g_assert_cmpuint (len, ==, 52);

  gcm_rtcp_iv (salt, 0x4d617273, 0x5d4, iv);
  assert_hex (iv, 12, "517524055203726f207170bb");

  /* AAD is the 8-byte header then E || SRTCP index (RFC 7714 section 9);
   * the wire order is header | ciphertext | tag | E+index. */
  memcpy (aad, pkt, 8);
  put_be32 (aad + 8, 0x80000000 | 0x5d4);
  gcm_seal (key, 16, iv, aad, 12, pkt + 8, len - 8, out, tag);
  assert_hex (out, len - 8,
      "63e94885 dcdab67c a727d766 2f6b7e99 7ff5c0f7 6c06f32d c676a5f1"
      "730d6fda 4ce09b46 86303ded 0bb9275b");
  assert_hex (tag, 16, "c84aa458 96cf4d2f c5abf872 45d9eade");
}

/* ---------------------------------------------------------------------
 * AES-GCM profiles against the reference
 * --------------------------------------------------------------------- */

/* Session key (label 0) and 12-byte session salt (label 2) for SRTP, or
 * labels 3 and 5 for SRTCP: RFC 7714 keeps the RFC 3711 KDF. */
static void
gcm_session_keys (RtcSrtpProfile profile, const guint8 * key_salt,
    gboolean rtcp, guint8 * ek, guint8 es[12])
{
  gsize kl = rtc_srtp_profile_key_len (profile);

  srtp_prf (key_salt, kl, key_salt + kl, 12, rtcp ? 0x03 : 0x00, ek, kl);
  srtp_prf (key_salt, kl, key_salt + kl, 12, rtcp ? 0x05 : 0x02, es, 12);
}

static void
check_gcm_rtp (gconstpointer data)
{
  RtcSrtpProfile profile = GPOINTER_TO_UINT (data);
  gsize kl = rtc_srtp_profile_key_len (profile);
  guint8 ks[44], other[44], ek[32], es[12], iv[12];
  guint8 payload[77], pkt[200], dec[200];
  const guint32 ssrc = 0x5501a0b2;
  const guint16 seq = 0xf17b;
  RtcSrtpSession *tx, *rx;
  GError *error = NULL;
  gsize len, plain_len, i;

  g_assert_cmpuint (rtc_srtp_profile_salt_len (profile), ==, 12);
  g_assert_cmpuint (rtc_srtp_profile_rtp_overhead (profile), ==, 16);
  for (i = 0; i < kl; i++)
    ks[i] = (guint8) i;
  unhex (rfc7714_salt, ks + kl, 12);
  memset (other, 0x3c, sizeof (other));
  gcm_session_keys (profile, ks, FALSE, ek, es);

  fill_payload (payload, sizeof (payload), 9);
  plain_len = len = make_rtp (pkt, seq, ssrc, payload, sizeof (payload));

  tx = session_new (profile, ks, other);
  g_assert_true (rtc_srtp_protect_rtp (tx, pkt, &len, sizeof (pkt), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (len, ==, plain_len + 16);

  gcm_rtp_iv (es, ssrc, 0, seq, iv);
  g_assert_true (gcm_open (ek, kl, iv, pkt, 12, pkt + 12, sizeof (payload),
          pkt + plain_len, dec));
  g_assert_cmpmem (dec, sizeof (payload), payload, sizeof (payload));
  rtc_srtp_session_free (tx);

  /* Reference seals the next packet, our inbound side opens it. */
  len = make_rtp (pkt, seq + 1, ssrc, payload, sizeof (payload));
  gcm_rtp_iv (es, ssrc, 0, seq + 1, iv);
  gcm_seal (ek, kl, iv, pkt, 12, payload, sizeof (payload), pkt + 12,
      pkt + len);
  len += 16;

  rx = session_new (profile, other, ks);
  g_assert_true (rtc_srtp_unprotect_rtp (rx, pkt, &len, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (len, ==, plain_len);
  g_assert_cmpmem (pkt + 12, len - 12, payload, sizeof (payload));
  rtc_srtp_session_free (rx);
}

static void
check_gcm_rtcp (gconstpointer data)
{
  RtcSrtpProfile profile = GPOINTER_TO_UINT (data);
  gsize kl = rtc_srtp_profile_key_len (profile);
  guint8 ks[44], other[44], ek[32], es[12], iv[12], aad[12];
  guint8 pkt[128], plain[128], dec[128];
  const guint32 ssrc = 0x4d617273;
  RtcSrtpSession *tx, *rx;
  GError *error = NULL;
  gsize len, plain_len, i;
  guint32 word;

  g_assert_cmpuint (rtc_srtp_profile_rtcp_overhead (profile), ==, 20);
  for (i = 0; i < kl; i++)
    ks[i] = (guint8) (0x80 + i);
  unhex (rfc7714_salt, ks + kl, 12);
  memset (other, 0xc3, sizeof (other));
  gcm_session_keys (profile, ks, TRUE, ek, es);

  plain_len = len = make_rtcp_sr (pkt, ssrc);
  memcpy (plain, pkt, plain_len);

  tx = session_new (profile, ks, other);
  g_assert_true (rtc_srtp_protect_rtcp (tx, pkt, &len, sizeof (pkt), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (len, ==, plain_len + 16 + 4);

  /* header | ciphertext | tag | E+index */
  word = get_be32 (pkt + plain_len + 16);
  g_assert_true (word & 0x80000000);
  memcpy (aad, pkt, 8);
  put_be32 (aad + 8, word);
  gcm_rtcp_iv (es, ssrc, word, iv);
  g_assert_true (gcm_open (ek, kl, iv, aad, 12, pkt + 8, plain_len - 8,
          pkt + plain_len, dec));
  g_assert_cmpmem (dec, plain_len - 8, plain + 8, plain_len - 8);
  rtc_srtp_session_free (tx);

  /* Reference seals index 0x5d4, our inbound side opens. */
  len = make_rtcp_sr (pkt, ssrc);
  memcpy (aad, pkt, 8);
  put_be32 (aad + 8, 0x80000000 | 0x5d4);
  gcm_rtcp_iv (es, ssrc, 0x5d4, iv);
  gcm_seal (ek, kl, iv, aad, 12, plain + 8, plain_len - 8, pkt + 8, pkt + len);
  put_be32 (pkt + len + 16, 0x80000000 | 0x5d4);
  len += 16 + 4;

  rx = session_new (profile, other, ks);
  g_assert_true (rtc_srtp_unprotect_rtcp (rx, pkt, &len, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (pkt, len, plain, plain_len);
  rtc_srtp_session_free (rx);
}

/* ---------------------------------------------------------------------
 * the rollover counter, against the reference
 * --------------------------------------------------------------------- */

/* After the sequence number wraps, the index is ROC << 16 | SEQ with ROC 1
 * (RFC 3711 section 3.3.1). Both libsrtp ends agreeing would not show that
 * the ROC reaches the IV and the tag (RFC 3711 section 4.2, RFC 7714
 * section 8.1), so the reference opens the packets after the wrap. */
static void
check_rollover_reference (gconstpointer data)
{
  RtcSrtpProfile profile = GPOINTER_TO_UINT (data);
  gboolean gcm = rtc_srtp_profile_salt_len (profile) == 12;
  gsize kl = rtc_srtp_profile_key_len (profile);
  gsize tag_len = rtc_srtp_profile_rtp_overhead (profile);
  guint8 ks[44], other[44], ek[32], es[14], ak[20], iv[16], mac[20];
  guint8 payload[40], pkt[128], dec[128], mac_in[160];
  const guint32 ssrc = 0x0102abcd;
  RtcSrtpSession *tx;
  guint i;

  for (i = 0; i < sizeof (ks); i++)
    ks[i] = (guint8) (0x61 * i + 5);
  memset (other, 0x77, sizeof (other));
  if (gcm) {
    gcm_session_keys (profile, ks, FALSE, ek, es);
  } else {
    srtp_prf (ks, kl, ks + kl, 14, 0x00, ek, kl);
    srtp_prf (ks, kl, ks + kl, 14, 0x01, ak, 20);
    srtp_prf (ks, kl, ks + kl, 14, 0x02, es, 14);
  }

  tx = session_new (profile, ks, other);
  for (i = 0; i < 6; i++) {
    guint16 seq = (guint16) (65533 + i);
    guint32 roc = (65533 + i) >> 16;
    GError *error = NULL;
    gsize len, plain_len;

    fill_payload (payload, sizeof (payload), (guint8) i);
    plain_len = len = make_rtp (pkt, seq, ssrc, payload, sizeof (payload));
    g_assert_true (rtc_srtp_protect_rtp (tx, pkt, &len, sizeof (pkt), &error));
    g_assert_no_error (error);

    if (gcm) {
      gcm_rtp_iv (es, ssrc, roc, seq, iv);
      g_assert_true (gcm_open (ek, kl, iv, pkt, 12, pkt + 12,
              sizeof (payload), pkt + plain_len, dec));
    } else {
      aes_cm_iv (es, ssrc, (guint64) roc << 16 | seq, iv);
      aes_ctr (ek, kl, iv, pkt + 12, dec, sizeof (payload));
      memcpy (mac_in, pkt, plain_len);
      put_be32 (mac_in + plain_len, roc);
      hmac_sha1 (ak, 20, mac_in, plain_len + 4, mac);
      g_assert_cmpmem (pkt + plain_len, tag_len, mac, tag_len);
    }
    g_assert_cmpmem (dec, sizeof (payload), payload, sizeof (payload));
  }
  rtc_srtp_session_free (tx);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/srtp/kat/rfc3711-b2-keystream", test_rfc3711_b2_keystream);
  g_test_add_func ("/srtp/kat/aes-cm-iv-layout", test_aes_cm_iv_layout);
  g_test_add_func ("/srtp/kat/rfc3711-b3-kdf", test_rfc3711_b3_kdf);
  g_test_add_data_func ("/srtp/kat/rfc3711-b3-rtp/aes128-cm-sha1-80",
      GUINT_TO_POINTER (RTC_SRTP_PROFILE_AES128_CM_SHA1_80), check_cm_rtp);
  g_test_add_data_func ("/srtp/kat/rfc3711-b3-rtp/aes128-cm-sha1-32",
      GUINT_TO_POINTER (RTC_SRTP_PROFILE_AES128_CM_SHA1_32), check_cm_rtp);
  g_test_add_data_func ("/srtp/kat/rfc3711-b3-rtcp/aes128-cm-sha1-80",
      GUINT_TO_POINTER (RTC_SRTP_PROFILE_AES128_CM_SHA1_80), check_cm_rtcp);
  g_test_add_data_func ("/srtp/kat/rfc3711-b3-rtcp/aes128-cm-sha1-32",
      GUINT_TO_POINTER (RTC_SRTP_PROFILE_AES128_CM_SHA1_32), check_cm_rtcp);
  g_test_add_func ("/srtp/kat/rfc7714-16.1-rtp", test_rfc7714_rtp_vector);
  g_test_add_func ("/srtp/kat/rfc7714-17.1-rtcp", test_rfc7714_rtcp_vector);
  g_test_add_data_func ("/srtp/kat/gcm-rtp/aead-aes-128-gcm",
      GUINT_TO_POINTER (RTC_SRTP_PROFILE_AEAD_AES_128_GCM), check_gcm_rtp);
  g_test_add_data_func ("/srtp/kat/gcm-rtp/aead-aes-256-gcm",
      GUINT_TO_POINTER (RTC_SRTP_PROFILE_AEAD_AES_256_GCM), check_gcm_rtp);
  g_test_add_data_func ("/srtp/kat/gcm-rtcp/aead-aes-128-gcm",
      GUINT_TO_POINTER (RTC_SRTP_PROFILE_AEAD_AES_128_GCM), check_gcm_rtcp);
  g_test_add_data_func ("/srtp/kat/gcm-rtcp/aead-aes-256-gcm",
      GUINT_TO_POINTER (RTC_SRTP_PROFILE_AEAD_AES_256_GCM), check_gcm_rtcp);

  g_test_add_data_func ("/srtp/kat/rollover/aes128-cm-sha1-80",
      GUINT_TO_POINTER (RTC_SRTP_PROFILE_AES128_CM_SHA1_80),
      check_rollover_reference);
  g_test_add_data_func ("/srtp/kat/rollover/aead-aes-128-gcm",
      GUINT_TO_POINTER (RTC_SRTP_PROFILE_AEAD_AES_128_GCM),
      check_rollover_reference);

  return g_test_run ();
}
