/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "rtcfingerprint.h"

#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

G_DEFINE_QUARK (rtc-fingerprint-error-quark, rtc_fingerprint_error);

static const struct
{
  RtcFingerprintHash hash;
  const gchar *name;
  gsize len;
} hashes[] = {
  /* RFC 8122 section 5 hash-func names (the IANA "Hash Function Textual
   * Names" registry). */
  {RTC_FINGERPRINT_SHA1, "sha-1", 20},
  {RTC_FINGERPRINT_SHA224, "sha-224", 28},
  {RTC_FINGERPRINT_SHA256, "sha-256", 32},
  {RTC_FINGERPRINT_SHA384, "sha-384", 48},
  {RTC_FINGERPRINT_SHA512, "sha-512", 64},
};

const gchar *
rtc_fingerprint_hash_name (RtcFingerprintHash hash)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (hashes); i++)
    if (hashes[i].hash == hash)
      return hashes[i].name;
  return "unknown";
}

gsize
rtc_fingerprint_hash_len (RtcFingerprintHash hash)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (hashes); i++)
    if (hashes[i].hash == hash)
      return hashes[i].len;
  return 0;
}

static const EVP_MD *
hash_md (RtcFingerprintHash hash)
{
  switch (hash) {
    case RTC_FINGERPRINT_SHA1:
      return EVP_sha1 ();
    case RTC_FINGERPRINT_SHA224:
      return EVP_sha224 ();
    case RTC_FINGERPRINT_SHA256:
      return EVP_sha256 ();
    case RTC_FINGERPRINT_SHA384:
      return EVP_sha384 ();
    case RTC_FINGERPRINT_SHA512:
      return EVP_sha512 ();
  }
  return NULL;
}

static gint
hex_value (gchar c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

gboolean
rtc_fingerprint_parse (const gchar * str, RtcFingerprint * fp, GError ** error)
{
  const gchar *p, *name_end;
  gsize name_len, expected = 0, n = 0;
  guint i;
  gboolean found = FALSE;

  g_return_val_if_fail (fp != NULL, FALSE);

  if (str == NULL) {
    g_set_error_literal (error, RTC_FINGERPRINT_ERROR,
        RTC_FINGERPRINT_ERROR_MALFORMED, "No fingerprint given");
    return FALSE;
  }

  p = str;
  while (g_ascii_isspace (*p))
    p++;
  name_end = p;
  while (*name_end && !g_ascii_isspace (*name_end))
    name_end++;
  name_len = name_end - p;

  if (name_len == 0 || *name_end == '\0') {
    g_set_error (error, RTC_FINGERPRINT_ERROR, RTC_FINGERPRINT_ERROR_MALFORMED,
        "Fingerprint \"%s\" is not \"<hash-func> <hex digest>\"", str);
    return FALSE;
  }

  for (i = 0; i < G_N_ELEMENTS (hashes); i++) {
    if (strlen (hashes[i].name) == name_len &&
        g_ascii_strncasecmp (hashes[i].name, p, name_len) == 0) {
      fp->hash = hashes[i].hash;
      expected = hashes[i].len;
      found = TRUE;
      break;
    }
  }
  if (!found) {
    g_set_error (error, RTC_FINGERPRINT_ERROR,
        RTC_FINGERPRINT_ERROR_UNSUPPORTED_HASH,
        "Fingerprint hash function \"%.*s\" is not supported "
        "(expected sha-1, sha-224, sha-256, sha-384 or sha-512)",
        (int) name_len, p);
    return FALSE;
  }

  p = name_end;
  while (g_ascii_isspace (*p))
    p++;

  /* RFC 8122 section 5: fingerprint = 2UHEX *(":" 2UHEX) */
  for (;;) {
    gint hi, lo;

    hi = hex_value (p[0]);
    lo = hi < 0 ? -1 : hex_value (p[1]);
    if (hi < 0 || lo < 0) {
      g_set_error (error, RTC_FINGERPRINT_ERROR,
          RTC_FINGERPRINT_ERROR_MALFORMED,
          "Fingerprint \"%s\" has an invalid hex byte at offset %u", str,
          (guint) (p - str));
      return FALSE;
    }
    if (n == expected) {
      g_set_error (error, RTC_FINGERPRINT_ERROR,
          RTC_FINGERPRINT_ERROR_MALFORMED,
          "Fingerprint \"%s\" is longer than a %s digest (%" G_GSIZE_FORMAT
          " bytes)", str, rtc_fingerprint_hash_name (fp->hash), expected);
      return FALSE;
    }
    fp->digest[n++] = (hi << 4) | lo;
    p += 2;
    if (*p != ':')
      break;
    p++;
  }

  while (g_ascii_isspace (*p))
    p++;
  if (*p != '\0') {
    g_set_error (error, RTC_FINGERPRINT_ERROR, RTC_FINGERPRINT_ERROR_MALFORMED,
        "Fingerprint \"%s\" has unexpected characters at offset %u", str,
        (guint) (p - str));
    return FALSE;
  }
  if (n != expected) {
    g_set_error (error, RTC_FINGERPRINT_ERROR, RTC_FINGERPRINT_ERROR_MALFORMED,
        "Fingerprint \"%s\" has %" G_GSIZE_FORMAT " bytes, but a %s digest "
        "has %" G_GSIZE_FORMAT, str, n, rtc_fingerprint_hash_name (fp->hash),
        expected);
    return FALSE;
  }
  fp->len = n;
  return TRUE;
}

gchar *
rtc_fingerprint_to_string (const RtcFingerprint * fp)
{
  static const gchar hex[] = "0123456789ABCDEF";
  const gchar *name;
  GString *s;
  gsize i;

  g_return_val_if_fail (fp != NULL, NULL);

  name = rtc_fingerprint_hash_name (fp->hash);
  s = g_string_sized_new (strlen (name) + 1 + fp->len * 3);
  g_string_append (s, name);
  g_string_append_c (s, ' ');
  for (i = 0; i < fp->len; i++) {
    if (i > 0)
      g_string_append_c (s, ':');
    g_string_append_c (s, hex[fp->digest[i] >> 4]);
    g_string_append_c (s, hex[fp->digest[i] & 0xf]);
  }
  return g_string_free (s, FALSE);
}

gboolean
rtc_fingerprint_from_der (RtcFingerprintHash hash, const guint8 * der,
    gsize len, RtcFingerprint * fp, GError ** error)
{
  const EVP_MD *md = hash_md (hash);
  unsigned int out_len = 0;

  g_return_val_if_fail (fp != NULL, FALSE);
  g_return_val_if_fail (der != NULL || len == 0, FALSE);

  if (md == NULL || !EVP_Digest (der, len, fp->digest, &out_len, md, NULL)) {
    g_set_error (error, RTC_FINGERPRINT_ERROR, RTC_FINGERPRINT_ERROR_FAILED,
        "Could not compute a %s digest", rtc_fingerprint_hash_name (hash));
    return FALSE;
  }
  fp->hash = hash;
  fp->len = out_len;
  return TRUE;
}

gboolean
rtc_fingerprint_from_x509 (RtcFingerprintHash hash, const X509 * cert,
    RtcFingerprint * fp, GError ** error)
{
  const EVP_MD *md = hash_md (hash);
  unsigned int out_len = 0;

  g_return_val_if_fail (cert != NULL, FALSE);
  g_return_val_if_fail (fp != NULL, FALSE);

  /* X509_digest hashes the DER encoding, which is what RFC 8122 section 5
   * fingerprints. */
  if (md == NULL || !X509_digest (cert, md, fp->digest, &out_len)) {
    g_set_error (error, RTC_FINGERPRINT_ERROR, RTC_FINGERPRINT_ERROR_FAILED,
        "Could not compute the %s digest of a certificate",
        rtc_fingerprint_hash_name (hash));
    return FALSE;
  }
  fp->hash = hash;
  fp->len = out_len;
  return TRUE;
}

gboolean
rtc_fingerprint_equal (const RtcFingerprint * a, const RtcFingerprint * b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  if (a->hash != b->hash || a->len != b->len || a->len == 0)
    return FALSE;
  return CRYPTO_memcmp (a->digest, b->digest, a->len) == 0;
}
