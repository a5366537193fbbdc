/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "rtccert.h"

#include <string.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#define CERT_COMMON_NAME "rtcpeer"
#define CERT_NOT_BEFORE_SECS (-30L * 24 * 3600)
#define CERT_NOT_AFTER_SECS (365L * 24 * 3600)

struct _RtcCertificate
{
  gatomicrefcount refcount;
  X509 *x509;
  EVP_PKEY *key;
  /* Computed once: every RtcDtls asks for it, often several times. */
  RtcFingerprint fingerprint;
};

G_DEFINE_QUARK (rtc-certificate-error-quark, rtc_certificate_error);

static void
set_openssl_error (GError ** error, gint code, const gchar * what)
{
  unsigned long e = ERR_peek_last_error ();
  const gchar *reason = e ? ERR_reason_error_string (e) : NULL;

  g_set_error (error, RTC_CERTIFICATE_ERROR, code, "%s%s%s", what,
      reason ? ": " : "", reason ? reason : "");
  ERR_clear_error ();
}

/* Takes ownership of @x509 and @key. */
static RtcCertificate *
certificate_new (X509 * x509, EVP_PKEY * key, GError ** error)
{
  RtcCertificate *cert;
  RtcFingerprint fp;

  /* RFC 8122 section 5: the fingerprint uses the hash of the
   * certificate's signature; sha-256 is what every WebRTC stack sends
   * and accepts, so it is the one we advertise. */
  if (!rtc_fingerprint_from_x509 (RTC_FINGERPRINT_SHA256, x509, &fp, error)) {
    X509_free (x509);
    EVP_PKEY_free (key);
    return NULL;
  }

  cert = g_new0 (RtcCertificate, 1);
  g_atomic_ref_count_init (&cert->refcount);
  cert->x509 = x509;
  cert->key = key;
  cert->fingerprint = fp;
  return cert;
}

RtcCertificate *
rtc_certificate_new_generated (GError ** error)
{
  EVP_PKEY *key = NULL;
  X509 *x509 = NULL;
  X509_NAME *name;
  guint8 serial_bytes[8];
  guint64 serial = 0;
  guint i;

  ERR_clear_error ();

  key = EVP_EC_gen ("P-256");
  if (key == NULL) {
    set_openssl_error (error, RTC_CERTIFICATE_ERROR_GENERATE,
        "Could not generate an ECDSA P-256 key");
    return NULL;
  }

  x509 = X509_new ();
  if (x509 == NULL)
    goto fail;

  /* A random serial keeps two certificates of one process from looking
   * alike to anything that caches by issuer and serial; the top bit stays
   * clear so the INTEGER is positive (RFC 5280 section 4.1.2.2). */
  if (RAND_bytes (serial_bytes, sizeof (serial_bytes)) != 1)
    goto fail;
  for (i = 0; i < sizeof (serial_bytes); i++)
    serial = (serial << 8) | serial_bytes[i];
  serial &= G_GUINT64_CONSTANT (0x7fffffffffffffff);
  if (serial == 0)
    serial = 1;

  if (!X509_set_version (x509, X509_VERSION_3) ||
      !ASN1_INTEGER_set_uint64 (X509_get_serialNumber (x509), serial))
    goto fail;

  /* Backdated so a peer whose clock is behind does not see a certificate
   * from the future; nobody checks validity for fingerprint-pinned
   * certificates today, but some stacks did. */
  if (!X509_gmtime_adj (X509_getm_notBefore (x509), CERT_NOT_BEFORE_SECS) ||
      !X509_gmtime_adj (X509_getm_notAfter (x509), CERT_NOT_AFTER_SECS))
    goto fail;

  name = X509_get_subject_name (x509);
  if (!X509_NAME_add_entry_by_txt (name, "CN", MBSTRING_ASC,
          (const guint8 *) CERT_COMMON_NAME, -1, -1, 0) ||
      !X509_set_issuer_name (x509, name) || !X509_set_pubkey (x509, key) ||
      !X509_sign (x509, key, EVP_sha256 ()))
    goto fail;

  return certificate_new (x509, key, error);

fail:
  set_openssl_error (error, RTC_CERTIFICATE_ERROR_GENERATE,
      "Could not create a self-signed certificate");
  X509_free (x509);
  EVP_PKEY_free (key);
  return NULL;
}

static gpointer
generate_default (gpointer data)
{
  GError *err = NULL;
  RtcCertificate *cert = rtc_certificate_new_generated (&err);

  if (cert == NULL) {
    g_warning ("rtcpeer: no default DTLS certificate: %s", err->message);
    g_clear_error (&err);
  }
  return cert;
}

RtcCertificate *
rtc_certificate_get_default (void)
{
  static GOnce once = G_ONCE_INIT;
  RtcCertificate *cert = g_once (&once, generate_default, NULL);

  return cert ? rtc_certificate_ref (cert) : NULL;
}

RtcCertificate *
rtc_certificate_new_from_pem (const gchar * pem, GError ** error)
{
  BIO *bio;
  X509 *x509;
  EVP_PKEY *key;

  g_return_val_if_fail (pem != NULL, NULL);

  ERR_clear_error ();

  /* Each PEM_read_bio_* skips blocks of other types, so reading the
   * string twice accepts the certificate and key in either order. */
  bio = BIO_new_mem_buf (pem, -1);
  x509 = bio ? PEM_read_bio_X509 (bio, NULL, NULL, NULL) : NULL;
  BIO_free (bio);
  if (x509 == NULL) {
    set_openssl_error (error, RTC_CERTIFICATE_ERROR_PARSE,
        "No PEM certificate found");
    return NULL;
  }

  /* Given a passphrase (empty), OpenSSL does not fall back to prompting on
   * the terminal for an encrypted key; such a key just fails to load. */
  bio = BIO_new_mem_buf (pem, -1);
  key = bio ? PEM_read_bio_PrivateKey (bio, NULL, NULL, (void *) "") : NULL;
  BIO_free (bio);
  if (key == NULL) {
    set_openssl_error (error, RTC_CERTIFICATE_ERROR_PARSE,
        "No (unencrypted) PEM private key found");
    X509_free (x509);
    return NULL;
  }

  if (X509_check_private_key (x509, key) != 1) {
    set_openssl_error (error, RTC_CERTIFICATE_ERROR_KEY_MISMATCH,
        "The private key does not belong to the certificate");
    X509_free (x509);
    EVP_PKEY_free (key);
    return NULL;
  }

  ERR_clear_error ();
  return certificate_new (x509, key, error);
}

gchar *
rtc_certificate_to_pem (RtcCertificate * cert, gboolean include_key)
{
  BIO *bio;
  BUF_MEM *mem = NULL;
  gchar *ret = NULL;

  g_return_val_if_fail (cert != NULL, NULL);

  bio = BIO_new (BIO_s_mem ());
  if (bio == NULL)
    goto out;
  if (!PEM_write_bio_X509 (bio, cert->x509))
    goto out;
  if (include_key && !PEM_write_bio_PrivateKey (bio, cert->key, NULL, NULL, 0,
          NULL, NULL))
    goto out;
  BIO_get_mem_ptr (bio, &mem);
  ret = g_strndup (mem->data, mem->length);

out:
  BIO_free (bio);
  ERR_clear_error ();
  return ret;
}

gchar *
rtc_certificate_get_fingerprint (RtcCertificate * cert)
{
  g_return_val_if_fail (cert != NULL, NULL);

  return rtc_fingerprint_to_string (&cert->fingerprint);
}

const RtcFingerprint *
rtc_certificate_peek_fingerprint (RtcCertificate * cert)
{
  g_return_val_if_fail (cert != NULL, NULL);

  return &cert->fingerprint;
}

X509 *
rtc_certificate_peek_x509 (RtcCertificate * cert)
{
  g_return_val_if_fail (cert != NULL, NULL);

  return cert->x509;
}

EVP_PKEY *
rtc_certificate_peek_key (RtcCertificate * cert)
{
  g_return_val_if_fail (cert != NULL, NULL);

  return cert->key;
}

RtcCertificate *
rtc_certificate_ref (RtcCertificate * cert)
{
  g_return_val_if_fail (cert != NULL, NULL);

  g_atomic_ref_count_inc (&cert->refcount);
  return cert;
}

void
rtc_certificate_unref (RtcCertificate * cert)
{
  g_return_if_fail (cert != NULL);

  if (!g_atomic_ref_count_dec (&cert->refcount))
    return;
  X509_free (cert->x509);
  EVP_PKEY_free (cert->key);
  g_free (cert);
}
