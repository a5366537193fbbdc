/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Certificates and SDP fingerprints (RFC 8122 section 5). */

#include <string.h>
#include <time.h>
#include <glib.h>

#include "dtls/rtccert.h"
#include "dtls/rtcfingerprint.h"

#define SHA256_RE "^sha-256 [0-9A-F]{2}(:[0-9A-F]{2}){31}$"

static void
test_generated_fingerprint_format (void)
{
  GError *err = NULL;
  RtcCertificate *cert = rtc_certificate_new_generated (&err);
  gchar *fp;

  g_assert_no_error (err);
  g_assert_nonnull (cert);

  fp = rtc_certificate_get_fingerprint (cert);
  g_assert_true (g_regex_match_simple (SHA256_RE, fp, 0, 0));
  g_free (fp);

  rtc_certificate_unref (cert);
}

static void
test_generated_certificate_contents (void)
{
  RtcCertificate *cert = rtc_certificate_new_generated (NULL);
  X509 *x509 = rtc_certificate_peek_x509 (cert);
  EVP_PKEY *key = rtc_certificate_peek_key (cert);
  gchar cn[64] = { 0 };
  time_t in_two_years = time (NULL) + 2 * 365 * 24 * 3600;

  g_assert_true (EVP_PKEY_is_a (key, "EC"));
  g_assert_cmpint (EVP_PKEY_get_bits (key), ==, 256);
  X509_NAME_get_text_by_NID (X509_get_subject_name (x509), NID_commonName, cn,
      sizeof (cn));
  g_assert_cmpstr (cn, ==, "rtcpeer");
  /* Self-signed. */
  g_assert_cmpint (X509_NAME_cmp (X509_get_subject_name (x509),
          X509_get_issuer_name (x509)), ==, 0);
  g_assert_cmpint (X509_verify (x509, key), ==, 1);
  /* Valid now, not valid in two years. */
  g_assert_cmpint (X509_cmp_current_time (X509_get0_notBefore (x509)), <, 0);
  g_assert_cmpint (X509_cmp_current_time (X509_get0_notAfter (x509)), >, 0);
  g_assert_cmpint (X509_cmp_time (X509_get0_notAfter (x509),
          &in_two_years), <, 0);

  rtc_certificate_unref (cert);
}

static void
test_two_generated_differ (void)
{
  RtcCertificate *a = rtc_certificate_new_generated (NULL);
  RtcCertificate *b = rtc_certificate_new_generated (NULL);
  const ASN1_INTEGER *sa = X509_get0_serialNumber (rtc_certificate_peek_x509
      (a));
  const ASN1_INTEGER *sb = X509_get0_serialNumber (rtc_certificate_peek_x509
      (b));

  g_assert_false (rtc_fingerprint_equal (rtc_certificate_peek_fingerprint (a),
          rtc_certificate_peek_fingerprint (b)));
  g_assert_cmpint (ASN1_INTEGER_cmp (sa, sb), !=, 0);

  rtc_certificate_unref (a);
  rtc_certificate_unref (b);
}

static void
test_pem_round_trip (void)
{
  GError *err = NULL;
  RtcCertificate *cert = rtc_certificate_new_generated (NULL);
  RtcCertificate *copy;
  gchar *pem = rtc_certificate_to_pem (cert, TRUE);
  gchar *fp1, *fp2;

  g_assert_nonnull (strstr (pem, "-----BEGIN CERTIFICATE-----"));
  g_assert_nonnull (strstr (pem, "-----BEGIN PRIVATE KEY-----"));

  copy = rtc_certificate_new_from_pem (pem, &err);
  g_assert_no_error (err);
  fp1 = rtc_certificate_get_fingerprint (cert);
  fp2 = rtc_certificate_get_fingerprint (copy);
  g_assert_cmpstr (fp1, ==, fp2);
  g_assert_cmpint (EVP_PKEY_eq (rtc_certificate_peek_key (cert),
          rtc_certificate_peek_key (copy)), ==, 1);

  g_free (fp1);
  g_free (fp2);
  g_free (pem);
  rtc_certificate_unref (copy);
  rtc_certificate_unref (cert);
}

static void
test_pem_key_first (void)
{
  RtcCertificate *cert = rtc_certificate_new_generated (NULL);
  gchar *full = rtc_certificate_to_pem (cert, TRUE);
  gchar *cert_only = rtc_certificate_to_pem (cert, FALSE);
  gchar *key_first = g_strconcat (full + strlen (cert_only), "junk line\n",
      cert_only, NULL);
  GError *err = NULL;
  RtcCertificate *copy;

  g_assert_null (strstr (cert_only, "PRIVATE KEY"));
  copy = rtc_certificate_new_from_pem (key_first, &err);
  g_assert_no_error (err);
  g_assert_true (rtc_fingerprint_equal (rtc_certificate_peek_fingerprint
          (cert), rtc_certificate_peek_fingerprint (copy)));

  rtc_certificate_unref (copy);
  rtc_certificate_unref (cert);
  g_free (full);
  g_free (cert_only);
  g_free (key_first);
}

static void
test_pem_invalid (void)
{
  RtcCertificate *a = rtc_certificate_new_generated (NULL);
  RtcCertificate *b = rtc_certificate_new_generated (NULL);
  gchar *a_full = rtc_certificate_to_pem (a, TRUE);
  gchar *a_cert = rtc_certificate_to_pem (a, FALSE);
  gchar *b_full = rtc_certificate_to_pem (b, TRUE);
  gchar *b_cert = rtc_certificate_to_pem (b, FALSE);
  gchar *mismatched = g_strconcat (a_cert, b_full + strlen (b_cert), NULL);
  GError *err = NULL;

  g_assert_null (rtc_certificate_new_from_pem ("not a certificate", &err));
  g_assert_error (err, RTC_CERTIFICATE_ERROR, RTC_CERTIFICATE_ERROR_PARSE);
  g_test_message ("garbage: %s", err->message);
  g_clear_error (&err);

  g_assert_null (rtc_certificate_new_from_pem
      ("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", &err));
  g_assert_error (err, RTC_CERTIFICATE_ERROR, RTC_CERTIFICATE_ERROR_PARSE);
  g_clear_error (&err);

  /* Certificate without its key. */
  g_assert_null (rtc_certificate_new_from_pem (a_cert, &err));
  g_assert_error (err, RTC_CERTIFICATE_ERROR, RTC_CERTIFICATE_ERROR_PARSE);
  g_assert_nonnull (strstr (err->message, "private key"));
  g_clear_error (&err);

  /* Someone else's key. */
  g_assert_null (rtc_certificate_new_from_pem (mismatched, &err));
  g_assert_error (err, RTC_CERTIFICATE_ERROR,
      RTC_CERTIFICATE_ERROR_KEY_MISMATCH);
  g_clear_error (&err);

  g_free (a_full);
  g_free (a_cert);
  g_free (b_full);
  g_free (b_cert);
  g_free (mismatched);
  rtc_certificate_unref (a);
  rtc_certificate_unref (b);
}

static void
test_default_is_shared (void)
{
  RtcCertificate *a = rtc_certificate_get_default ();
  RtcCertificate *b = rtc_certificate_get_default ();
  gchar *fa = rtc_certificate_get_fingerprint (a);
  gchar *fb = rtc_certificate_get_fingerprint (b);

  g_assert_true (a == b);
  g_assert_cmpstr (fa, ==, fb);

  g_free (fa);
  g_free (fb);
  rtc_certificate_unref (a);
  rtc_certificate_unref (b);
}

static gpointer
get_default_thread (gpointer data)
{
  return rtc_certificate_get_default ();
}

static void
test_default_threads (void)
{
  GThread *threads[8];
  RtcCertificate *certs[8];
  guint i;

  for (i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("cert", get_default_thread, NULL);
  for (i = 0; i < G_N_ELEMENTS (threads); i++)
    certs[i] = g_thread_join (threads[i]);
  for (i = 0; i < G_N_ELEMENTS (threads); i++) {
    g_assert_true (certs[i] == certs[0]);
    rtc_certificate_unref (certs[i]);
  }
}

static void
test_fingerprint_parse_valid (void)
{
  RtcCertificate *cert = rtc_certificate_new_generated (NULL);
  gchar *str = rtc_certificate_get_fingerprint (cert);
  gchar *lower = g_ascii_strdown (str, -1);
  gchar *upper_name = g_strdup (str);
  gchar *spaced = g_strdup_printf ("  %s \r\n", str);
  const gchar *inputs[] = { str, lower, upper_name, spaced };
  RtcFingerprint fp;
  GError *err = NULL;
  guint i;

  memcpy (upper_name, "SHA-256", 7);
  for (i = 0; i < G_N_ELEMENTS (inputs); i++) {
    gchar *back;

    g_assert_true (rtc_fingerprint_parse (inputs[i], &fp, &err));
    g_assert_no_error (err);
    g_assert_cmpint (fp.hash, ==, RTC_FINGERPRINT_SHA256);
    g_assert_cmpuint (fp.len, ==, 32);
    g_assert_true (rtc_fingerprint_equal (&fp,
            rtc_certificate_peek_fingerprint (cert)));
    /* Always written back the canonical way. */
    back = rtc_fingerprint_to_string (&fp);
    g_assert_cmpstr (back, ==, str);
    g_free (back);
  }

  g_free (str);
  g_free (lower);
  g_free (upper_name);
  g_free (spaced);
  rtc_certificate_unref (cert);
}

static void
test_fingerprint_other_hashes (void)
{
  static const struct
  {
    RtcFingerprintHash hash;
    const gchar *name;
    gsize len;
  } cases[] = {
    {RTC_FINGERPRINT_SHA1, "sha-1", 20},
    {RTC_FINGERPRINT_SHA224, "sha-224", 28},
    {RTC_FINGERPRINT_SHA256, "sha-256", 32},
    {RTC_FINGERPRINT_SHA384, "sha-384", 48},
    {RTC_FINGERPRINT_SHA512, "sha-512", 64},
  };
  RtcCertificate *cert = rtc_certificate_new_generated (NULL);
  X509 *x509 = rtc_certificate_peek_x509 (cert);
  guint8 *der = NULL;
  gint der_len = i2d_X509 (x509, &der);
  guint i;

  g_assert_cmpint (der_len, >, 0);
  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    RtcFingerprint a, b, parsed;
    gchar *str;

    g_assert_true (rtc_fingerprint_from_x509 (cases[i].hash, x509, &a, NULL));
    g_assert_true (rtc_fingerprint_from_der (cases[i].hash, der, der_len, &b,
            NULL));
    g_assert_cmpuint (a.len, ==, cases[i].len);
    g_assert_cmpuint (rtc_fingerprint_hash_len (cases[i].hash), ==,
        cases[i].len);
    g_assert_true (rtc_fingerprint_equal (&a, &b));

    str = rtc_fingerprint_to_string (&a);
    g_assert_true (g_str_has_prefix (str, cases[i].name));
    g_assert_cmpuint (strlen (str), ==,
        strlen (cases[i].name) + 1 + cases[i].len * 3 - 1);
    g_assert_true (rtc_fingerprint_parse (str, &parsed, NULL));
    g_assert_true (rtc_fingerprint_equal (&parsed, &a));
    g_free (str);
  }

  OPENSSL_free (der);
  rtc_certificate_unref (cert);
}

static void
test_fingerprint_parse_invalid (void)
{
  static const struct
  {
    const gchar *input;
    gint code;
  } cases[] = {
    {"", RTC_FINGERPRINT_ERROR_MALFORMED},
    {"sha-256", RTC_FINGERPRINT_ERROR_MALFORMED},
    {"sha-256 ", RTC_FINGERPRINT_ERROR_MALFORMED},
    /* bad hex */
    {"sha-1 ZZ:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33",
        RTC_FINGERPRINT_ERROR_MALFORMED},
    /* single digit */
    {"sha-1 0:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33",
        RTC_FINGERPRINT_ERROR_MALFORMED},
    /* no colons */
    {"sha-1 00112233445566778899AABBCCDDEEFF00112233",
        RTC_FINGERPRINT_ERROR_MALFORMED},
    /* trailing colon */
    {"sha-1 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:",
        RTC_FINGERPRINT_ERROR_MALFORMED},
    /* too short for sha-1 */
    {"sha-1 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22",
        RTC_FINGERPRINT_ERROR_MALFORMED},
    /* too long for sha-1 */
    {"sha-1 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44",
        RTC_FINGERPRINT_ERROR_MALFORMED},
    /* sha-1 length under a sha-256 name */
    {"sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33",
        RTC_FINGERPRINT_ERROR_MALFORMED},
    /* garbage after */
    {"sha-1 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33 x",
        RTC_FINGERPRINT_ERROR_MALFORMED},
    {"md5 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF",
        RTC_FINGERPRINT_ERROR_UNSUPPORTED_HASH},
    {"sha-3 00:11", RTC_FINGERPRINT_ERROR_UNSUPPORTED_HASH},
    {"sha256 00:11", RTC_FINGERPRINT_ERROR_UNSUPPORTED_HASH},
  };
  RtcFingerprint fp;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    GError *err = NULL;

    g_assert_false (rtc_fingerprint_parse (cases[i].input, &fp, &err));
    g_assert_error (err, RTC_FINGERPRINT_ERROR, cases[i].code);
    g_test_message ("\"%s\": %s", cases[i].input, err->message);
    g_error_free (err);
  }
  /* A long run of hex must not overflow the digest buffer. */
  {
    GString *s = g_string_new ("sha-512 00");
    GError *err = NULL;

    for (i = 0; i < 200; i++)
      g_string_append (s, ":AB");
    g_assert_false (rtc_fingerprint_parse (s->str, &fp, &err));
    g_assert_error (err, RTC_FINGERPRINT_ERROR,
        RTC_FINGERPRINT_ERROR_MALFORMED);
    g_error_free (err);
    g_string_free (s, TRUE);
  }
  {
    GError *err = NULL;

    g_assert_false (rtc_fingerprint_parse (NULL, &fp, &err));
    g_assert_error (err, RTC_FINGERPRINT_ERROR,
        RTC_FINGERPRINT_ERROR_MALFORMED);
    g_error_free (err);
  }
}

static void
test_fingerprint_compare (void)
{
  RtcFingerprint a, b;
  const gchar *sha1 =
      "sha-1 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33";

  g_assert_true (rtc_fingerprint_parse (sha1, &a, NULL));
  g_assert_true (rtc_fingerprint_parse
      ("SHA-1 00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00:11:22:33", &b,
          NULL));
  g_assert_true (rtc_fingerprint_equal (&a, &b));

  /* Last byte differs. */
  b.digest[19] ^= 1;
  g_assert_false (rtc_fingerprint_equal (&a, &b));

  /* Same bytes, different hash name is not the same fingerprint. */
  b = a;
  b.hash = RTC_FINGERPRINT_SHA224;
  g_assert_false (rtc_fingerprint_equal (&a, &b));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dtls/certificate/generated-fingerprint-format",
      test_generated_fingerprint_format);
  g_test_add_func ("/dtls/certificate/generated-contents",
      test_generated_certificate_contents);
  g_test_add_func ("/dtls/certificate/two-generated-differ",
      test_two_generated_differ);
  g_test_add_func ("/dtls/certificate/pem-round-trip", test_pem_round_trip);
  g_test_add_func ("/dtls/certificate/pem-key-first", test_pem_key_first);
  g_test_add_func ("/dtls/certificate/pem-invalid", test_pem_invalid);
  g_test_add_func ("/dtls/certificate/default-is-shared",
      test_default_is_shared);
  g_test_add_func ("/dtls/certificate/default-threads", test_default_threads);
  g_test_add_func ("/dtls/fingerprint/parse-valid",
      test_fingerprint_parse_valid);
  g_test_add_func ("/dtls/fingerprint/other-hashes",
      test_fingerprint_other_hashes);
  g_test_add_func ("/dtls/fingerprint/parse-invalid",
      test_fingerprint_parse_invalid);
  g_test_add_func ("/dtls/fingerprint/compare", test_fingerprint_compare);

  return g_test_run ();
}
