/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* rtcpeerbin's DTLS certificate: one of its own per peer connection, as
 * browsers do, unless the application gives one. */

#include <string.h>
#include "peer-util.h"

const gchar *factory = "rtcpeerbin";

/* A fixed ECDSA P-256 test certificate and key (generated with openssl
 * for these tests only). */
static const gchar *test_pem =
  "-----BEGIN CERTIFICATE-----\n"
  "MIIBhDCCASmgAwIBAgIUJQBjYAsrropUO0x3XiDVwaVGVyEwCgYIKoZIzj0EAwIw\n"
  "FzEVMBMGA1UEAwwMcnRjcGVlci10ZXN0MB4XDTI2MTIwNTA3MjkyMloXDTM2MTIw\n"
  "MjA3MjkyMlowFzEVMBMGA1UEAwwMcnRjcGVlci10ZXN0MFkwEwYHKoZIzj0CAQYI\n"
  "KoZIzj0DAQcDQgAEq37ByyChJtmAQ5zD1OlvQz2aLCKhsZ0sal8ILE3EJEgY5TNL\n"
  "djpfZIPNAzfHNMqxomY2VsABZxtxzlIyyUrVFaNTMFEwHQYDVR0OBBYEFPYR8D2h\n"
  "IC8Xe7J7IBiZPg+wV2E2MB8GA1UdIwQYMBaAFPYR8D2hIC8Xe7J7IBiZPg+wV2E2\n"
  "MA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSQAwRgIhAOM8ybb2ph2AQ0Rt\n"
  "znuf4XrQHcnhMnxWP5dMxDYw5I09AiEAwn5dX2mGDYJv9w3jfhjL81Ix03cjkPT1\n"
  "iMd2sIIlWfw=\n"
  "-----END CERTIFICATE-----\n"
  "-----BEGIN PRIVATE KEY-----\n"
  "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgwCw+StezJUk0S59F\n"
  "kLKhh+o/s0mHhqUFGJ3GjO07IeChRANCAASrfsHLIKEm2YBDnMPU6W9DPZosIqGx\n"
  "nSxqXwgsTcQkSBjlM0t2Ol9kg80DN8c0yrGiZjZWwAFnG3HOUjLJStUV\n"
  "-----END PRIVATE KEY-----\n";

static GstElement *
peer_with_audio (void)
{
  GstElement *pc = new_peer ();
  GstCaps *caps = gst_caps_from_string (OPUS_CAPS);
  GObject *t;

  g_signal_emit_by_name (pc, "add-transceiver",
      GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, caps, &t);
  g_object_unref (t);
  gst_caps_unref (caps);
  return pc;
}

/* The a=fingerprint of an offer (session or first media level). */
static gchar *
offer_fingerprint (GstElement * pc)
{
  GstWebRTCSessionDescription *offer = create (pc, "create-offer");
  const gchar *fp = gst_sdp_message_get_attribute_val (offer->sdp,
      "fingerprint");
  gchar *copy;

  if (!fp && gst_sdp_message_medias_len (offer->sdp) > 0)
    fp = gst_sdp_media_get_attribute_val (gst_sdp_message_get_media
        (offer->sdp, 0), "fingerprint");
  fail_unless (fp != NULL, "the offer has no a=fingerprint");
  copy = g_strdup (fp);
  gst_webrtc_session_description_free (offer);
  return copy;
}

/* "sha-256 AB:CD:..." of the certificate in @pem, computed here. */
static gchar *
fingerprint_of_pem (const gchar * pem)
{
  const gchar *begin = strstr (pem, "-----BEGIN CERTIFICATE-----");
  const gchar *end = strstr (pem, "-----END CERTIFICATE-----");
  gchar *b64, *hex;
  guchar *der;
  gsize len, i;
  GString *s = g_string_new ("sha-256 ");

  fail_unless (begin && end);
  begin += strlen ("-----BEGIN CERTIFICATE-----");
  b64 = g_strndup (begin, end - begin);
  der = g_base64_decode (g_strstrip (b64), &len);
  hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der, len);
  for (i = 0; hex[i]; i += 2)
    g_string_append_printf (s, "%s%c%c", i ? ":" : "",
        g_ascii_toupper (hex[i]), g_ascii_toupper (hex[i + 1]));
  g_free (hex);
  g_free (der);
  g_free (b64);
  return g_string_free (s, FALSE);
}

/* Two bins of one process do not share a certificate by default. */
GST_START_TEST (test_certificate_per_connection)
{
  GstElement *a = peer_with_audio (), *b = peer_with_audio ();
  gchar *fa = offer_fingerprint (a), *fb = offer_fingerprint (b);
  gchar *fa2 = offer_fingerprint (a);

  fail_if (g_strcmp0 (fa, fb) == 0, "two peer connections present the "
      "same certificate: %s", fa);
  /* ... and each keeps its own across offers */
  fail_unless_equals_string (fa, fa2);
  g_free (fa);
  g_free (fa2);
  g_free (fb);
  free_peer (a);
  free_peer (b);
}

GST_END_TEST;

/* The "certificate" property's certificate is the one presented, by every
 * bin it is set on. */
GST_START_TEST (test_certificate_property)
{
  GstElement *a = peer_with_audio (), *b = peer_with_audio ();
  gchar *expected = fingerprint_of_pem (test_pem), *fa, *fb;

  g_object_set (a, "certificate", test_pem, NULL);
  g_object_set (b, "certificate", test_pem, NULL);
  fa = offer_fingerprint (a);
  fb = offer_fingerprint (b);
  fail_unless_equals_string (fa, expected);
  fail_unless_equals_string (fb, expected);
  g_free (fa);
  g_free (fb);
  g_free (expected);
  free_peer (a);
  free_peer (b);
}

GST_END_TEST;

static Suite *
peerbin_cert_suite (void)
{
  Suite *s = suite_create ("rtcpeerbin-certificate");
  TCase *tc = tcase_create ("certificate");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_certificate_per_connection);
  tcase_add_test (tc, test_certificate_property);
  return s;
}

GST_CHECK_MAIN (peerbin_cert);
