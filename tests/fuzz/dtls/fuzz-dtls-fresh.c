/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Datagrams into a fresh endpoint: a server waiting for its ClientHello,
 * or a client that sent one. It may fail the handshake (an alert in the
 * clear can end one, as DTLS 1.2 has it), but nothing may crash, leak,
 * warn or leave an OpenSSL error behind, and the outputs must be
 * well-formed. At the end the handshake time limit runs out.
 *
 * Input: the first byte's bit 0 picks the client (else the server); then
 * datagrams as dtls-fuzz-pair.h reads them (flags unused). */

#include "fuzz-common.h"
#include "dtls-fuzz-pair.h"

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  FuzzReader r;
  FuzzPeer p;
  const guint8 *d;
  gsize len;
  guint8 flags;

  rtc_fuzz_init ();
  if (size < 1)
    return 0;

  fuzz_peer_init (&p, (data[0] & 1) ? RTC_DTLS_ROLE_CLIENT :
      RTC_DTLS_ROLE_SERVER);
  rtc_dtls_start (p.dtls, fuzz_now ());
  fuzz_peer_drain (&p);

  r.data = data + 1;
  r.left = size - 1;
  while (fuzz_reader_next (&r, &flags, &d, &len)) {
    rtc_dtls_handle_packet (p.dtls, fuzz_now (), d, len);
    fuzz_peer_drain (&p);
  }

  /* The handshake limit (caller time) runs out: FAILED unless it was
   * already over. */
  rtc_dtls_handle_timeout (p.dtls, fuzz_now () + (guint64) 3600 * G_USEC_PER_SEC);
  fuzz_peer_drain (&p);
  if (!p.failed && !p.closed && !p.connected)
    g_error ("%s: still %s after the handshake limit", p.name,
        rtc_dtls_state_name (rtc_dtls_get_state (p.dtls)));

  fuzz_peer_clear (&p);
  return 0;
}
