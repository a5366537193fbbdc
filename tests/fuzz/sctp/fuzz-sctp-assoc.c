/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* SCTP packets from a hostile peer into an established association: two
 * RtcSctp instances connect in memory (and exchange a message or two),
 * then the input's packets reach one of them as if the other had sent
 * them, usrsctp 0.9.5 and its screen included, with the pair exchanging
 * what follows and time passing after each. A packet that makes usrsctp
 * loop shows up as a libFuzzer timeout.
 *
 *   byte 0   bit 0: fill in the checksum (else it must be right already)
 *            bit 1: put the association's ports and verification tag in
 *                   (a tag of 0, as INIT has, stays 0)
 *            bit 2: path MTU discovery on the victim (PAD-chunk probes)
 *            bit 3: the victim has sent messages before
 *            bit 4: the other side has sent messages before
 *   then up to 16 packets, each a 2-byte length and the bytes.
 */

#include <string.h>

#include "fuzz-common.h"
#include "sctp/rtccrc32c.h"
#include "sctp/rtcsctp.h"

#define MAX_PACKETS 16
#define MAX_WIRE 256

typedef struct
{
  RtcSctp *sctp;
  GQueue wire;                  /* GBytes *, sent, not yet delivered */
  gboolean connected, closed;
  gboolean have_header;
  guint8 header[8];             /* ports and tag of what it sends */
} End;

static guint64 now_us = G_USEC_PER_SEC;

static void
drain (End * e)
{
  RtcOutput out;

  while (rtc_sctp_poll_output (e->sctp, &out)) {
    switch (out.kind) {
      case RTC_OUTPUT_TRANSMIT:
        g_assert (out.len >= 12);
        g_assert (rtc_sctp_checksum_valid (out.data, out.len));
        if (out.len >= 16 && out.data[12] != 1 && out.data[4] | out.data[5]
            | out.data[6] | out.data[7]) {
          memcpy (e->header, out.data, 8);
          e->have_header = TRUE;
        }
        if (g_queue_get_length (&e->wire) < MAX_WIRE)
          g_queue_push_tail (&e->wire, g_bytes_new (out.data, out.len));
        break;
      case RTC_OUTPUT_RECEIVE:
        g_assert (out.len > 0);
        break;
      case RTC_OUTPUT_EVENT:
        g_assert (!e->closed);
        if (out.event == RTC_SCTP_EVENT_CONNECTED)
          e->connected = TRUE;
        else if (out.event == RTC_SCTP_EVENT_CLOSED)
          e->closed = TRUE;
        g_clear_error (&out.error);
        break;
      default:
        g_assert_not_reached ();
    }
  }
}

static void
deliver (End * to, GBytes * b)
{
  gsize len;
  const guint8 *d = g_bytes_get_data (b, &len);

  rtc_sctp_handle_packet (to->sctp, now_us, d, len);
  drain (to);
}

/* Up to @steps deliveries or 1 ms ticks. */
static void
pump (End * a, End * b, guint steps)
{
  guint i;

  for (i = 0; i < steps; i++) {
    GBytes *pa = g_queue_pop_head (&a->wire);
    GBytes *pb = g_queue_pop_head (&b->wire);

    if (pa) {
      deliver (b, pa);
      g_bytes_unref (pa);
    }
    if (pb) {
      deliver (a, pb);
      g_bytes_unref (pb);
    }
    if (!pa && !pb) {
      now_us += 1000;
      rtc_sctp_handle_timeout (a->sctp, now_us);
      drain (a);
      rtc_sctp_handle_timeout (b->sctp, now_us);
      drain (b);
    }
  }
}

static void
send_some (End * e, guint16 stream)
{
  static const guint8 msg[3000] = { 1, 2, 3 };
  RtcSctpSendOptions unordered = { TRUE, RTC_SCTP_PARTIAL_RELIABLE_REXMIT, 0 };

  rtc_sctp_send (e->sctp, stream, 51, msg, 100, NULL, NULL);
  rtc_sctp_send (e->sctp, stream + 1, 53, msg, sizeof (msg), &unordered,
      NULL);
  drain (e);
}

static void
end_clear (End * e)
{
  rtc_sctp_free (e->sctp);
  g_queue_clear_full (&e->wire, (GDestroyNotify) g_bytes_unref);
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  RtcSctpConfig vcfg = { 0 }, ocfg = { 0 };
  End victim = { 0 }, other = { 0 };
  gsize off = 1;
  guint n;

  rtc_fuzz_init ();
  if (size < 1)
    return 0;

  /* usrsctp sets up every stream with the association: the 65535 of a
   * data channel association cost 100 ms a run */
  vcfg.max_streams = ocfg.max_streams = 64;
  if (data[0] & 4) {
    vcfg.max_mtu = RTC_SCTP_MAX_PATH_MTU;
    vcfg.peer_understands_pad = TRUE;
  }
  victim.sctp = rtc_sctp_new (&vcfg, NULL);
  other.sctp = rtc_sctp_new (&ocfg, NULL);
  g_assert (victim.sctp && other.sctp);
  rtc_sctp_start (victim.sctp, now_us);
  drain (&victim);
  rtc_sctp_start (other.sctp, now_us);
  drain (&other);
  for (n = 0; n < 100 && !(victim.connected && other.connected); n++)
    pump (&victim, &other, 1);
  g_assert (victim.connected && other.connected && other.have_header);
  if (data[0] & 8)
    send_some (&victim, 1);
  if (data[0] & 16)
    send_some (&other, 3);
  pump (&victim, &other, 20);

  for (n = 0; n < MAX_PACKETS && off + 2 <= size; n++) {
    gsize len = MIN ((gsize) ((data[off] << 8) | data[off + 1]),
        size - off - 2);
    guint8 *pkt = g_memdup2 (data + off + 2, len);

    off += 2 + len;
    if (len >= 12 && (data[0] & 2)) {
      gboolean tag0 = !(pkt[4] | pkt[5] | pkt[6] | pkt[7]);

      memcpy (pkt, other.header, tag0 ? 4 : 8);
    }
    if (len >= 12 && (data[0] & 1))
      rtc_sctp_checksum_fill (pkt, len);
    rtc_sctp_handle_packet (victim.sctp, now_us, pkt, len);
    g_free (pkt);
    drain (&victim);
    pump (&victim, &other, 8);
  }
  pump (&victim, &other, 50);

  end_clear (&victim);
  end_clear (&other);
  return 0;
}
