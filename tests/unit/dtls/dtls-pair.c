/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>
#include <openssl/err.h>

#include "dtls-pair.h"

guint64
pair_now (Pair * pair)
{
  return g_get_monotonic_time () + pair->skew;
}

Peer *
other (Peer * p)
{
  return p == &p->pair->l ? &p->pair->r : &p->pair->l;
}

void
drain (Peer * p)
{
  RtcOutput out;
  GQueue flight = G_QUEUE_INIT;
  GBytes *pkt;

  while (rtc_dtls_poll_output (p->dtls, &out)) {
    switch (out.kind) {
      case RTC_OUTPUT_TRANSMIT:
        g_assert_nonnull (out.data);
        g_assert_cmpuint (out.len, >, 0);
        p->n_transmitted++;
        if (g_getenv ("DTLS_TEST_TRACE"))
          g_test_message ("%s: tx %" G_GSIZE_FORMAT " bytes type %u", p->name,
              out.len, out.data[0]);
        p->max_datagram = MAX (p->max_datagram, out.len);
        g_queue_push_tail (&flight, g_bytes_new (out.data, out.len));
        break;
      case RTC_OUTPUT_RECEIVE:
        g_assert_true (p->connected);
        g_ptr_array_add (p->received, g_bytes_new (out.data, out.len));
        break;
      case RTC_OUTPUT_EVENT:
        g_test_message ("%s: event %s%s%s", p->name,
            rtc_dtls_event_name (out.event), out.error ? ": " : "",
            out.error ? out.error->message : "");
        g_assert_false (p->failed);
        g_assert_false (p->closed);
        switch (out.event) {
          case RTC_DTLS_EVENT_CONNECTED:
            g_assert_null (out.error);
            p->connected = TRUE;
            p->n_connected++;
            break;
          case RTC_DTLS_EVENT_CLOSED:
            g_assert_null (out.error);
            p->closed = TRUE;
            break;
          case RTC_DTLS_EVENT_FAILED:
            g_assert_nonnull (out.error);
            p->failed = TRUE;
            p->error = out.error;
            out.error = NULL;
            break;
          default:
            g_assert_not_reached ();
        }
        break;
      default:
        g_assert_not_reached ();
    }
  }
  g_assert_cmpint (out.kind, ==, RTC_OUTPUT_TIMEOUT);
  g_assert_null (out.error);
  p->timeout_us = out.timeout_us;
  /* Nothing we do may leave errors behind for another OpenSSL user. */
  g_assert_cmpuint (ERR_peek_error (), ==, 0);

  if (flight.length > 0 && p->drop_flights > 0) {
    p->drop_flights--;
    g_test_message ("%s: dropping a flight of %u datagrams", p->name,
        flight.length);
    g_queue_clear_full (&flight, (GDestroyNotify) g_bytes_unref);
    return;
  }
  if (p->reverse_flights)
    g_queue_reverse (&flight);
  while ((pkt = g_queue_pop_head (&flight))) {
    if (p->mangle) {
      GBytes *m = p->mangle (pkt, p->mangle_data);

      g_bytes_unref (pkt);
      if (m == NULL)
        continue;
      pkt = m;
    }
    if (p->rand && g_rand_double (p->rand) < p->loss) {
      g_bytes_unref (pkt);
      continue;
    }
    if (p->duplicate)
      g_queue_push_tail (&p->wire, g_bytes_ref (pkt));
    g_queue_push_tail (&p->wire, pkt);
  }
}

void
deliver_to (Peer * to, GBytes * pkt)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (pkt, &len);

  rtc_dtls_handle_packet (to->dtls, pair_now (to->pair), data, len);
  drain (to);
}

/* One step; FALSE when nothing is in flight and no timer is armed. */
gboolean
progress (Pair * pair)
{
  Peer *l = &pair->l, *r = &pair->r, *t;
  GBytes *pkt;
  guint64 now;

  if ((pkt = g_queue_pop_head (&l->wire))) {
    deliver_to (r, pkt);
    g_bytes_unref (pkt);
    return TRUE;
  }
  if ((pkt = g_queue_pop_head (&r->wire))) {
    deliver_to (l, pkt);
    g_bytes_unref (pkt);
    return TRUE;
  }

  t = l->timeout_us <= r->timeout_us ? l : r;
  if (t->timeout_us == RTC_TIMEOUT_NONE)
    return FALSE;

  now = pair_now (pair);
  if (t->timeout_us > now) {
    g_assert_cmpuint (t->timeout_us - now, <=, MAX_WAIT_US);
    g_usleep (t->timeout_us - now);
    now = pair_now (pair);
  }
  rtc_dtls_handle_timeout (t->dtls, now);
  drain (t);
  return TRUE;
}

void
run_until (Pair * pair, Condition cond)
{
  guint i;

  for (i = 0; i < MAX_STEPS && !cond (pair); i++)
    if (!progress (pair))
      break;
  g_assert_true (cond (pair));
}

gboolean
both_connected (Pair * pair)
{
  return pair->l.connected && pair->r.connected;
}

gboolean
both_done (Pair * pair)
{
  return (pair->l.failed || pair->l.closed) &&
      (pair->r.failed || pair->r.closed);
}

gboolean
quiet (Pair * pair)
{
  return pair->l.wire.length == 0 && pair->r.wire.length == 0;
}

static void
peer_init (Pair * pair, Peer * p, const gchar * name, RtcDtlsRole role,
    const RtcDtlsConfig * cfg)
{
  p->pair = pair;
  p->name = name;
  p->role = role;
  p->cert = cfg && cfg->certificate ? rtc_certificate_ref (cfg->certificate)
      : rtc_certificate_new_generated (NULL);
  g_assert_nonnull (p->cert);
  p->received = g_ptr_array_new_with_free_func ((GDestroyNotify)
      g_bytes_unref);
  p->timeout_us = RTC_TIMEOUT_NONE;
}

/* Certificates are made first (unless @cfg gives one) so each side can be
 * given the other's fingerprint; @cfg may override any field (fingerprint
 * "" = none). */
Pair *
pair_new_full (RtcDtlsRole l_role, const PairConfig * cfg)
{
  Pair *pair = g_new0 (Pair, 1);
  Peer *peers[2] = { &pair->l, &pair->r };
  const RtcDtlsConfig *cfgs[2] = { cfg ? &cfg->l : NULL, cfg ? &cfg->r : NULL
  };
  guint i;

  peer_init (pair, &pair->l, l_role == RTC_DTLS_ROLE_CLIENT ? "client" :
      "server", l_role, cfgs[0]);
  peer_init (pair, &pair->r, l_role == RTC_DTLS_ROLE_CLIENT ? "server" :
      "client", l_role == RTC_DTLS_ROLE_CLIENT ? RTC_DTLS_ROLE_SERVER :
      RTC_DTLS_ROLE_CLIENT, cfgs[1]);

  for (i = 0; i < 2; i++) {
    RtcDtlsConfig c = { 0 };
    gchar *remote_fp = rtc_certificate_get_fingerprint (peers[1 - i]->cert);
    GError *err = NULL;

    if (cfgs[i])
      c = *cfgs[i];
    c.certificate = peers[i]->cert;
    c.role = peers[i]->role;
    if (c.remote_fingerprint == NULL)
      c.remote_fingerprint = remote_fp;
    else if (c.remote_fingerprint[0] == '\0')
      c.remote_fingerprint = NULL;
    if (c.initial_timeout_ms == 0)
      c.initial_timeout_ms = FAST_TIMEOUT_MS;

    peers[i]->dtls = rtc_dtls_new (&c, &err);
    g_assert_no_error (err);
    g_assert_nonnull (peers[i]->dtls);
    g_assert_cmpint (rtc_dtls_get_state (peers[i]->dtls), ==,
        RTC_DTLS_STATE_NEW);
    g_free (remote_fp);
  }
  return pair;
}

Pair *
pair_new (RtcDtlsRole l_role)
{
  return pair_new_full (l_role, NULL);
}

void
pair_start (Pair * pair)
{
  rtc_dtls_start (pair->l.dtls, pair_now (pair));
  drain (&pair->l);
  rtc_dtls_start (pair->r.dtls, pair_now (pair));
  drain (&pair->r);
}

static void
peer_clear (Peer * p)
{
  rtc_dtls_free (p->dtls);
  rtc_certificate_unref (p->cert);
  g_queue_clear_full (&p->wire, (GDestroyNotify) g_bytes_unref);
  g_clear_error (&p->error);
  g_ptr_array_unref (p->received);
  if (p->rand)
    g_rand_free (p->rand);
}

void
pair_free (Pair * pair)
{
  peer_clear (&pair->l);
  peer_clear (&pair->r);
  g_free (pair);
  g_assert_cmpuint (ERR_peek_error (), ==, 0);
}

Peer *
client_of (Pair * pair)
{
  return pair->l.role == RTC_DTLS_ROLE_CLIENT ? &pair->l : &pair->r;
}

Peer *
server_of (Pair * pair)
{
  return pair->l.role == RTC_DTLS_ROLE_SERVER ? &pair->l : &pair->r;
}

void
send_bytes (Peer * p, const guint8 * data, gsize len)
{
  GError *err = NULL;

  g_assert_true (rtc_dtls_send (p->dtls, data, len, &err));
  g_assert_no_error (err);
  drain (p);
}

void
assert_connected (Pair * pair)
{
  g_assert_cmpint (rtc_dtls_get_state (pair->l.dtls), ==,
      RTC_DTLS_STATE_CONNECTED);
  g_assert_cmpint (rtc_dtls_get_state (pair->r.dtls), ==,
      RTC_DTLS_STATE_CONNECTED);
  g_assert_cmpuint (pair->l.n_connected, ==, 1);
  g_assert_cmpuint (pair->r.n_connected, ==, 1);
  g_assert_false (pair->l.failed || pair->r.failed);
}

/* Application data both ways, checked byte for byte. */
void
assert_data_flows (Pair * pair, gsize len)
{
  guint8 *a = g_malloc (len), *b = g_malloc (len);
  guint l_before = pair->r.received->len, r_before = pair->l.received->len;
  gsize i, got;
  const guint8 *data;

  for (i = 0; i < len; i++) {
    a[i] = i * 7 + 1;
    b[i] = 255 - i;
  }
  send_bytes (&pair->l, a, len);
  send_bytes (&pair->r, b, len);
  run_until (pair, quiet);

  g_assert_cmpuint (pair->r.received->len, ==, l_before + 1);
  g_assert_cmpuint (pair->l.received->len, ==, r_before + 1);
  data = g_bytes_get_data (pair->r.received->pdata[l_before], &got);
  g_assert_cmpmem (data, got, a, len);
  data = g_bytes_get_data (pair->l.received->pdata[r_before], &got);
  g_assert_cmpmem (data, got, b, len);

  g_free (a);
  g_free (b);
}

void
feed (Peer * p, const guint8 * data, gsize len)
{
  rtc_dtls_handle_packet (p->dtls, pair_now (p->pair), data, len);
  drain (p);
  g_assert_false (p->failed);
}

/* A DTLS 1.2 record header followed by @body_len pseudo-random bytes. */
GBytes *
fake_record (GRand * rand, guint8 type, guint16 epoch, gsize body_len)
{
  guint8 *buf = g_malloc (13 + body_len);
  gsize i;

  buf[0] = type;
  buf[1] = 0xfe;
  buf[2] = 0xfd;
  buf[3] = epoch >> 8;
  buf[4] = epoch & 0xff;
  for (i = 5; i < 11; i++)
    buf[i] = g_rand_int (rand);
  buf[11] = body_len >> 8;
  buf[12] = body_len & 0xff;
  for (i = 0; i < body_len; i++)
    buf[13 + i] = g_rand_int (rand);
  return g_bytes_new_take (buf, 13 + body_len);
}

