/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "dtls-fuzz-pair.h"

#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>

gboolean
fuzz_reader_next (FuzzReader * r, guint8 * flags, const guint8 ** datagram,
    gsize * len)
{
  gsize n;

  if (r->left < 3)
    return FALSE;
  *flags = r->data[0];
  n = r->data[1] << 8 | r->data[2];
  r->data += 3;
  r->left -= 3;
  n = MIN (n, r->left);
  *datagram = r->data;
  *len = n;
  r->data += n;
  r->left -= n;
  return TRUE;
}

guint64
fuzz_now (void)
{
  static guint64 now = 1000000;

  return now += 1000;
}

static gpointer
make_certificates (gpointer data)
{
  RtcCertificate **certs = g_new0 (RtcCertificate *, 2);

  certs[0] = rtc_certificate_new_generated (NULL);
  certs[1] = rtc_certificate_new_generated (NULL);
  if (certs[0] == NULL || certs[1] == NULL)
    abort ();
  return certs;
}

static RtcCertificate *
certificate (RtcDtlsRole role)
{
  static GOnce once = G_ONCE_INIT;
  RtcCertificate **certs = g_once (&once, make_certificates, NULL);

  return certs[role == RTC_DTLS_ROLE_CLIENT ? 0 : 1];
}

void
fuzz_peer_init (FuzzPeer * p, RtcDtlsRole role)
{
  RtcDtlsConfig cfg = { 0 };
  RtcDtlsRole peer_role = role == RTC_DTLS_ROLE_CLIENT ?
      RTC_DTLS_ROLE_SERVER : RTC_DTLS_ROLE_CLIENT;
  gchar *fp = rtc_certificate_get_fingerprint (certificate (peer_role));
  GError *err = NULL;

  memset (p, 0, sizeof (*p));
  p->name = role == RTC_DTLS_ROLE_CLIENT ? "client" : "server";
  cfg.certificate = certificate (role);
  cfg.role = role;
  cfg.remote_fingerprint = fp;
  p->dtls = rtc_dtls_new (&cfg, &err);
  g_free (fp);
  if (p->dtls == NULL)
    g_error ("rtc_dtls_new: %s", err->message);
  g_queue_init (&p->wire);
  p->last_received = g_byte_array_new ();
}

void
fuzz_peer_clear (FuzzPeer * p)
{
  rtc_dtls_free (p->dtls);
  g_queue_clear_full (&p->wire, (GDestroyNotify) g_bytes_unref);
  g_byte_array_unref (p->last_received);
}

void
fuzz_peer_drain (FuzzPeer * p)
{
  RtcOutput out;

  while (rtc_dtls_poll_output (p->dtls, &out)) {
    switch (out.kind) {
      case RTC_OUTPUT_TRANSMIT:
        if (out.data == NULL || out.len == 0)
          g_error ("%s: empty datagram", p->name);
        p->n_transmitted++;
        g_queue_push_tail (&p->wire, g_bytes_new (out.data, out.len));
        break;
      case RTC_OUTPUT_RECEIVE:
        if (!p->connected)
          g_error ("%s: a record before CONNECTED", p->name);
        p->n_received++;
        g_byte_array_set_size (p->last_received, 0);
        g_byte_array_append (p->last_received, out.data, out.len);
        break;
      case RTC_OUTPUT_EVENT:
        p->n_events++;
        if (p->failed || p->closed)
          g_error ("%s: event %s after the end", p->name,
              rtc_dtls_event_name (out.event));
        if (out.event == RTC_DTLS_EVENT_CONNECTED)
          p->connected = TRUE;
        else if (out.event == RTC_DTLS_EVENT_CLOSED)
          p->closed = TRUE;
        else if (out.event == RTC_DTLS_EVENT_FAILED)
          p->failed = TRUE;
        if ((out.event == RTC_DTLS_EVENT_FAILED) != (out.error != NULL))
          g_error ("%s: event %s with%s an error", p->name,
              rtc_dtls_event_name (out.event), out.error ? "" : "out");
        g_clear_error (&out.error);
        break;
      default:
        g_error ("%s: output kind %d", p->name, out.kind);
    }
  }
  if (out.kind != RTC_OUTPUT_TIMEOUT)
    g_error ("%s: poll ended on output kind %d", p->name, out.kind);
  /* Nothing may leave an OpenSSL error behind for another user. */
  if (ERR_peek_error () != 0)
    g_error ("%s: OpenSSL error left in the queue", p->name);
}

void
fuzz_peer_deliver (FuzzPeer * from, FuzzPeer * to)
{
  GBytes *pkt;

  while ((pkt = g_queue_pop_head (&from->wire))) {
    gsize len;
    const guint8 *d = g_bytes_get_data (pkt, &len);

    rtc_dtls_handle_packet (to->dtls, fuzz_now (), d, len);
    fuzz_peer_drain (to);
    g_bytes_unref (pkt);
  }
}

gboolean
fuzz_handshake (FuzzPeer * client, FuzzPeer * server)
{
  guint i;

  rtc_dtls_start (server->dtls, fuzz_now ());
  fuzz_peer_drain (server);
  rtc_dtls_start (client->dtls, fuzz_now ());
  fuzz_peer_drain (client);
  for (i = 0; i < 20 && !(client->connected && server->connected); i++) {
    fuzz_peer_deliver (client, server);
    fuzz_peer_deliver (server, client);
  }
  fuzz_peer_deliver (client, server);
  fuzz_peer_deliver (server, client);
  return client->connected && server->connected;
}
