/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Datagrams from anyone into an established DTLS association (issue 9):
 * whatever arrives, neither side may fail, close, or answer (an alert is
 * a datagram), and application data must still flow both ways afterwards.
 *
 * Input: datagrams as dtls-fuzz-pair.h reads them. Flags, per datagram:
 *   bit 0   to the server (else to the client)
 *   bit 1   with a genuine application record from the other side in it
 *   bit 2   ... after the fuzzed bytes (else before them)
 *
 * One pair serves every input: nothing an input can do without the keys
 * changes its state, and any input that ends or disturbs it aborts at
 * once, so each input is still judged on its own. */

#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "dtls-fuzz-pair.h"

static FuzzPeer client, server;

static void
setup (void)
{
  static gboolean done = FALSE;

  if (done)
    return;
  done = TRUE;
  fuzz_peer_init (&client, RTC_DTLS_ROLE_CLIENT);
  fuzz_peer_init (&server, RTC_DTLS_ROLE_SERVER);
  if (!fuzz_handshake (&client, &server))
    g_error ("the in-memory handshake did not complete");
}

static void
check_intact (FuzzPeer * p)
{
  if (p->failed || p->closed ||
      rtc_dtls_get_state (p->dtls) != RTC_DTLS_STATE_CONNECTED)
    g_error ("%s: the association ended (state %s)", p->name,
        rtc_dtls_state_name (rtc_dtls_get_state (p->dtls)));
  if (p->wire.length != 0)
    g_error ("%s: answered injected input with %u datagram(s), content "
        "type %u", p->name, p->wire.length,
        ((const guint8 *) g_bytes_get_data (g_queue_peek_head (&p->wire),
                NULL))[0]);
}

/* One genuine record from @from, taken off its wire. */
static GBytes *
genuine_record (FuzzPeer * from, const gchar * text)
{
  GError *err = NULL;

  if (!rtc_dtls_send (from->dtls, (const guint8 *) text, strlen (text), &err))
    g_error ("%s: send failed: %s", from->name, err->message);
  fuzz_peer_drain (from);
  if (from->wire.length != 1)
    g_error ("%s: one record sent, %u datagrams", from->name,
        from->wire.length);
  return g_queue_pop_head (&from->wire);
}

static void
check_data_flows (FuzzPeer * from, FuzzPeer * to)
{
  static guint n = 0;
  gchar *text = g_strdup_printf ("ping %u", n++);
  guint before = to->n_received;

  g_queue_push_tail (&from->wire, genuine_record (from, text));
  fuzz_peer_deliver (from, to);
  if (to->n_received != before + 1 ||
      to->last_received->len != strlen (text) ||
      memcmp (to->last_received->data, text, strlen (text)) != 0)
    g_error ("%s: application data no longer arrives", to->name);
  g_free (text);
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  FuzzReader r = { data, size };
  const guint8 *d;
  gsize len;
  guint8 flags;

  rtc_fuzz_init ();
  setup ();

  while (fuzz_reader_next (&r, &flags, &d, &len)) {
    FuzzPeer *to = (flags & 1) ? &server : &client;
    FuzzPeer *from = (flags & 1) ? &client : &server;

    if (flags & 2) {
      GBytes *rec = genuine_record (from, "genuine");
      gsize rec_len;
      const guint8 *rec_data = g_bytes_get_data (rec, &rec_len);
      guint8 *mixed = g_malloc (len + rec_len);

      if (flags & 4) {
        memcpy (mixed, d, len);
        memcpy (mixed + len, rec_data, rec_len);
      } else {
        memcpy (mixed, rec_data, rec_len);
        memcpy (mixed + rec_len, d, len);
      }
      rtc_dtls_handle_packet (to->dtls, fuzz_now (), mixed, len + rec_len);
      g_free (mixed);
      g_bytes_unref (rec);
    } else {
      rtc_dtls_handle_packet (to->dtls, fuzz_now (), d, len);
    }
    fuzz_peer_drain (to);
    check_intact (to);
  }

  check_data_flows (&client, &server);
  check_data_flows (&server, &client);
  check_intact (&client);
  check_intact (&server);
  return 0;
}
