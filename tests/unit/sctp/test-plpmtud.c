/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Path MTU discovery for SCTP over DTLS: the CRC32c the probes and the
 * offloaded checksums use, the RFC 8899 state machine alone (fed acks and
 * time by hand), the probe packet codec, and two RtcSctp instances on the
 * in-memory network finding the path MTU, stopping where the path drops
 * larger packets, and falling back when the path shrinks under them. */

#include <string.h>
#include <glib.h>
#include <gst/gst.h>
#include <usrsctp.h>

#include "sctp/rtccrc32c.h"
#include "sctp/rtcplpmtud.h"
#include "sctp/rtcsctp.h"
#include "sctp-harness.h"

#define BASE 1191
#define MAXP 16384

/* ------------------------------------------------------------------ */
/* CRC32c */

static void
test_crc_vectors (void)
{
  guint8 buf[32];
  const gchar *digits = "123456789";

  /* RFC 3720 appendix B.4 */
  memset (buf, 0, sizeof (buf));
  g_assert_cmphex (rtc_crc32c (buf, 32), ==, 0x8a9136aa);
  memset (buf, 0xff, sizeof (buf));
  g_assert_cmphex (rtc_crc32c (buf, 32), ==, 0x62a8ab43);
  g_assert_cmphex (rtc_crc32c ((const guint8 *) digits, 9), ==, 0xe3069283);
  g_assert_cmphex (rtc_crc32c (buf, 0), ==, 0);
  g_test_message ("crc32 instruction: %s",
      rtc_crc32c_is_hardware ()? "yes" : "no");
}

/* Same bytes on the wire as usrsctp's own checksum, at every length and
 * alignment, so peers that check (all of them) accept our packets. */
static void
test_crc_matches_usrsctp (void)
{
  GRand *rand = g_rand_new_with_seed (77);
  guint8 *buf = g_malloc (4200);
  guint len, align, i;

  for (i = 0; i < 4200; i++)
    buf[i] = g_rand_int (rand);
  for (len = 12; len < 4096; len += g_rand_int_range (rand, 1, 40)) {
    for (align = 0; align < 8; align++) {
      guint8 *p = buf + align;
      guint32 theirs;

      memset (p + 8, 0, 4);
      theirs = usrsctp_crc32c (p, len);
      rtc_sctp_checksum_fill (p, len);
      g_assert_cmpmem (p + 8, 4, &theirs, 4);
      g_assert_true (rtc_sctp_checksum_valid (p, len));
      p[len - 1] ^= 0x10;
      g_assert_false (rtc_sctp_checksum_valid (p, len));
      p[len - 1] ^= 0x10;
    }
  }
  g_assert_false (rtc_sctp_checksum_valid (buf, 11));
  g_free (buf);
  g_rand_free (rand);
}

/* ------------------------------------------------------------------ */
/* the state machine alone */

static guint64 now;

/* The probe due now, asserting there is exactly one. */
static guint
expect_probe (RtcPlpmtud * m, guint64 * nonce)
{
  guint size = 0, size2;
  guint64 n2;

  g_assert_true (rtc_plpmtud_poll_probe (m, now, &size, nonce));
  g_assert_false (rtc_plpmtud_poll_probe (m, now, &size2, &n2));
  return size;
}

static void
expect_no_probe (RtcPlpmtud * m)
{
  guint size;
  guint64 nonce;

  g_assert_false (rtc_plpmtud_poll_probe (m, now, &size, &nonce));
}

/* Lets the probe of @size go unanswered until the machine gives up. */
static void
lose_probe (RtcPlpmtud * m, guint size)
{
  guint i;
  guint64 nonce;

  for (i = 1; i < RTC_PLPMTUD_MAX_PROBES; i++) {
    now += RTC_PLPMTUD_PROBE_TIMER_US - 1;
    expect_no_probe (m);
    now += 1;
    g_assert_cmpuint (expect_probe (m, &nonce), ==, size);
  }
  now += RTC_PLPMTUD_PROBE_TIMER_US;
}

static void
test_search_to_max (void)
{
  RtcPlpmtud *m = rtc_plpmtud_new (BASE, MAXP);
  guint64 nonce;
  guint size;

  now = 1000;
  g_assert_cmpint (rtc_plpmtud_get_state (m), ==, RTC_PLPMTUD_DISABLED);
  expect_no_probe (m);
  rtc_plpmtud_start (m, now);
  g_assert_cmpint (rtc_plpmtud_get_state (m), ==, RTC_PLPMTUD_BASE);

  /* the base is confirmed first (rounded to a whole PAD) */
  size = expect_probe (m, &nonce);
  g_assert_cmpuint (size, ==, 1188);
  g_assert_cmpuint (rtc_plpmtud_next_deadline (m), ==,
      now + RTC_PLPMTUD_PROBE_TIMER_US);
  rtc_plpmtud_handle_ack (m, now, nonce, size);
  g_assert_cmpint (rtc_plpmtud_get_state (m), ==, RTC_PLPMTUD_SEARCHING);
  g_assert_cmpuint (rtc_plpmtud_get_pmtu (m), ==, BASE);

  /* then the plateaus: Ethernet, jumbo, one DTLS record */
  size = expect_probe (m, &nonce);
  g_assert_cmpuint (size, ==, 1384);
  rtc_plpmtud_handle_ack (m, now, nonce, size);
  g_assert_cmpuint (rtc_plpmtud_get_pmtu (m), ==, 1384);
  size = expect_probe (m, &nonce);
  g_assert_cmpuint (size, ==, 8884);
  rtc_plpmtud_handle_ack (m, now, nonce, size);
  size = expect_probe (m, &nonce);
  g_assert_cmpuint (size, ==, MAXP);
  rtc_plpmtud_handle_ack (m, now, nonce, size);
  g_assert_cmpuint (rtc_plpmtud_get_pmtu (m), ==, MAXP);
  g_assert_cmpint (rtc_plpmtud_get_state (m), ==, RTC_PLPMTUD_SEARCH_COMPLETE);
  /* nothing larger to look for, ever */
  g_assert_cmpuint (rtc_plpmtud_next_deadline (m), ==, G_MAXUINT64);
  now += 2 * RTC_PLPMTUD_RAISE_TIMER_US;
  expect_no_probe (m);
  rtc_plpmtud_free (m);
}

/* An Ethernet path: 8884 is lost MAX_PROBES times, 1384 stays; the raise
 * timer tries again, and a path that grew is then used. */
static void
test_search_stops_and_raises (void)
{
  RtcPlpmtud *m = rtc_plpmtud_new (BASE, MAXP);
  guint64 nonce, stale;
  guint size;

  now = 1000;
  rtc_plpmtud_start (m, now);
  size = expect_probe (m, &nonce);
  rtc_plpmtud_handle_ack (m, now, nonce, size);
  size = expect_probe (m, &nonce);
  rtc_plpmtud_handle_ack (m, now, nonce, size);
  g_assert_cmpuint (rtc_plpmtud_get_pmtu (m), ==, 1384);

  size = expect_probe (m, &stale);
  g_assert_cmpuint (size, ==, 8884);
  lose_probe (m, 8884);
  expect_no_probe (m);
  g_assert_cmpint (rtc_plpmtud_get_state (m), ==, RTC_PLPMTUD_SEARCH_COMPLETE);
  g_assert_cmpuint (rtc_plpmtud_get_pmtu (m), ==, 1384);
  /* an answer that comes after giving up changes nothing */
  rtc_plpmtud_handle_ack (m, now, stale, 8884);
  g_assert_cmpuint (rtc_plpmtud_get_pmtu (m), ==, 1384);

  g_assert_cmpuint (rtc_plpmtud_next_deadline (m), ==,
      now + RTC_PLPMTUD_RAISE_TIMER_US);
  now += RTC_PLPMTUD_RAISE_TIMER_US - 1;
  expect_no_probe (m);
  now += 1;
  size = expect_probe (m, &nonce);
  g_assert_cmpuint (size, ==, 8884);
  g_assert_cmpint (rtc_plpmtud_get_state (m), ==, RTC_PLPMTUD_SEARCHING);
  /* answers must match the probe in flight: size and nonce */
  rtc_plpmtud_handle_ack (m, now, nonce, 1384);
  rtc_plpmtud_handle_ack (m, now, nonce + 1, 8884);
  rtc_plpmtud_handle_ack (m, now, stale, 8884);
  g_assert_cmpuint (rtc_plpmtud_get_pmtu (m), ==, 1384);
  rtc_plpmtud_handle_ack (m, now, nonce, 8884);
  g_assert_cmpuint (rtc_plpmtud_get_pmtu (m), ==, 8884);
  rtc_plpmtud_free (m);
}

/* A retransmission makes it check the PLPMTU: a black hole takes it back
 * to the base size; congestion (the probe is answered) does not. */
static void
test_black_hole (void)
{
  RtcPlpmtud *m = rtc_plpmtud_new (BASE, 8884);
  guint64 nonce;
  guint size;

  now = 1000;
  rtc_plpmtud_start (m, now);
  while (rtc_plpmtud_poll_probe (m, now, &size, &nonce))
    rtc_plpmtud_handle_ack (m, now, nonce, size);
  g_assert_cmpuint (rtc_plpmtud_get_pmtu (m), ==, 8884);
  g_assert_cmpint (rtc_plpmtud_get_state (m), ==, RTC_PLPMTUD_SEARCH_COMPLETE);

  /* loss, but the PLPMTU still passes */
  rtc_plpmtud_loss_hint (m, now);
  size = expect_probe (m, &nonce);
  g_assert_cmpuint (size, ==, 8884);
  rtc_plpmtud_handle_ack (m, now, nonce, size);
  g_assert_cmpuint (rtc_plpmtud_get_pmtu (m), ==, 8884);
  /* more loss right after a confirmation: no new probe yet */
  rtc_plpmtud_loss_hint (m, now);
  expect_no_probe (m);

  now += RTC_PLPMTUD_CONFIRM_HOLDOFF_US;
  rtc_plpmtud_loss_hint (m, now);
  size = expect_probe (m, &nonce);
  g_assert_cmpuint (size, ==, 8884);
  lose_probe (m, 8884);
  expect_no_probe (m);
  g_assert_cmpuint (rtc_plpmtud_get_pmtu (m), ==, BASE);
  /* at the base, loss says nothing about the size */
  rtc_plpmtud_loss_hint (m, now);
  expect_no_probe (m);
  rtc_plpmtud_free (m);
}

/* Nobody answers at all (a peer that drops unknown heartbeats, say): the
 * base size stays, and the probing stops. */
static void
test_no_answers (void)
{
  RtcPlpmtud *m = rtc_plpmtud_new (BASE, MAXP);
  guint64 nonce;

  now = 1000;
  rtc_plpmtud_start (m, now);
  g_assert_cmpuint (expect_probe (m, &nonce), ==, 1188);
  lose_probe (m, 1188);
  expect_no_probe (m);
  g_assert_cmpint (rtc_plpmtud_get_state (m), ==, RTC_PLPMTUD_ERROR);
  g_assert_cmpuint (rtc_plpmtud_get_pmtu (m), ==, BASE);
  rtc_plpmtud_free (m);
}

/* ------------------------------------------------------------------ */
/* the probe packet */

static void
test_probe_codec (void)
{
  guint8 pkt[1384], ack[64 + 16 + 28];
  gsize len, off;
  guint64 nonce;
  guint size;

  rtc_plpmtud_build_probe (pkt, sizeof (pkt), 5000, 5001, 0xdeadbeef, 42);
  g_assert_true (rtc_sctp_checksum_valid (pkt, sizeof (pkt)));
  g_assert_cmpuint (GST_READ_UINT16_BE (pkt), ==, 5000);
  g_assert_cmpuint (GST_READ_UINT16_BE (pkt + 2), ==, 5001);
  g_assert_cmphex (GST_READ_UINT32_BE (pkt + 4), ==, 0xdeadbeef);
  /* HEARTBEAT with one Heartbeat Info parameter, then PAD to the end */
  g_assert_cmpuint (pkt[12], ==, 4);
  g_assert_cmpuint (GST_READ_UINT16_BE (pkt + 14), ==, 32);
  g_assert_cmpuint (GST_READ_UINT16_BE (pkt + 16), ==, 1);
  g_assert_cmpuint (pkt[44], ==, 0x84);
  g_assert_cmpuint (44 + GST_READ_UINT16_BE (pkt + 46), ==, sizeof (pkt));

  /* A peer's answer: SACK, then the HEARTBEAT ACK echoing our info, then
   * a DATA chunk whose length is not a multiple of 4. */
  memset (ack, 0, sizeof (ack));
  memcpy (ack, pkt, 8);
  off = 12;
  ack[off] = 3;                 /* SACK, 16 bytes */
  GST_WRITE_UINT16_BE (ack + off + 2, 16);
  memset (ack + off + 4, 0xaa, 12);
  off += 16;
  ack[off] = 5;                 /* HEARTBEAT ACK */
  memcpy (ack + off + 1, pkt + 13, 31);
  off += 32;
  ack[off] = 0;                 /* DATA, 17 bytes + 3 of padding */
  GST_WRITE_UINT16_BE (ack + off + 2, 17);
  memset (ack + off + 4, 0xbb, 13);
  off += 20;
  len = off;
  g_assert_true (rtc_plpmtud_take_ack (ack, &len, &nonce, &size));
  g_assert_cmpuint (nonce, ==, 42);
  g_assert_cmpuint (size, ==, sizeof (pkt));
  g_assert_cmpuint (len, ==, 12 + 16 + 20);
  g_assert_cmpuint (ack[12], ==, 3);
  g_assert_cmpuint (ack[28], ==, 0);
  g_assert_cmpuint (GST_READ_UINT16_BE (ack + 30), ==, 17);
  g_assert_cmpuint (ack[32], ==, 0xbb);

  /* the answer alone: nothing left for usrsctp */
  len = 12 + 32;
  ack[12] = 5;
  memcpy (ack + 13, pkt + 13, 31);
  g_assert_true (rtc_plpmtud_take_ack (ack, &len, &nonce, &size));
  g_assert_cmpuint (len, ==, 12);

  /* someone else's heartbeat answer (usrsctp's own) is left alone */
  len = 12 + 32;
  ack[12] = 5;
  memcpy (ack + 13, pkt + 13, 31);
  ack[20] ^= 1;                 /* the magic */
  g_assert_false (rtc_plpmtud_take_ack (ack, &len, &nonce, &size));
  g_assert_cmpuint (len, ==, 44);
  /* a chunk length past the end */
  GST_WRITE_UINT16_BE (ack + 14, 200);
  g_assert_false (rtc_plpmtud_take_ack (ack, &len, &nonce, &size));
}

/* ------------------------------------------------------------------ */
/* two associations */

static RtcSctpConfig
pmtud_config (void)
{
  RtcSctpConfig cfg = { 0 };

  cfg.max_mtu = MAXP;
  cfg.max_message_size = 256 * 1024;
  cfg.max_receive_message_size = 256 * 1024;
  return cfg;
}

typedef struct
{
  Peer *l, *r;
  guint want;
} PmtuWant;

static gboolean
both_at (World * w, gpointer data)
{
  PmtuWant *pw = data;

  return rtc_sctp_get_path_mtu (pw->l->sctp) == pw->want &&
      rtc_sctp_get_path_mtu (pw->r->sctp) == pw->want;
}

/* Sends @n messages of @size bytes from @l to @r on @stream and checks
 * they all arrive intact and in order. */
static void
exchange_sized (World * w, Peer * l, Peer * r, guint16 stream, guint n,
    gsize size, guint64 max_us)
{
  GPtrArray *sent = g_ptr_array_new_with_free_func ((GDestroyNotify)
      g_bytes_unref);
  Want want = { r, stream, count_received (r, stream) + n };
  guint i, before = count_received (r, stream);

  for (i = 0; i < n; i++) {
    GBytes *m = make_msg (7, stream, before + i, size);

    send_msg (l, stream, 53, m, NULL);
    g_ptr_array_add (sent, m);
  }
  run_until (w, has_received, &want, max_us);
  for (i = 0; i < n; i++) {
    Msg *m = g_ptr_array_index (r->received, r->received->len - n + i);

    g_assert_true (g_bytes_equal (m->data, g_ptr_array_index (sent, i)));
  }
  g_ptr_array_unref (sent);
}

static void
exchange (World * w, Peer * l, Peer * r, guint16 stream, guint n,
    guint64 max_us)
{
  exchange_sized (w, l, r, stream, n, 64 * 1024, max_us);
}

/* A path that carries anything: both find one DTLS record, and data then
 * goes in packets that large. */
static void
test_pair_finds_max (void)
{
  RtcSctpConfig cfg = pmtud_config ();
  World *w = world_new ();
  PmtuWant pw = { 0 };
  Peer *l, *r;

  pair_new (w, &cfg, &cfg, &l, &r);
  g_assert_cmpuint (rtc_sctp_get_path_mtu (l->sctp), ==, BASE);
  connect_pair (w);
  pw.l = l;
  pw.r = r;
  pw.want = MAXP;
  run_until (w, both_at, &pw, 1 * SEC);
  l->max_packet = 0;
  exchange (w, l, r, 1, 20, 10 * SEC);
  g_assert_cmpuint (l->max_packet, >, 8884);
  g_assert_cmpuint (l->max_packet, <=, MAXP);
  world_free (w);
}

/* An Ethernet-sized path that drops what is larger: discovery stops at
 * the Ethernet plateau, and no data packet is ever lost to size. */
static void
test_pair_ethernet_path (void)
{
  RtcSctpConfig cfg = pmtud_config ();
  World *w = world_new ();
  PmtuWant pw = { 0 };
  Peer *l, *r;

  pair_new (w, &cfg, &cfg, &l, &r);
  l->wire_mtu = r->wire_mtu = 1400;
  connect_pair (w);
  pw.l = l;
  pw.r = r;
  pw.want = 1384;
  run_until (w, both_at, &pw, 1 * SEC);
  /* the larger probes went unanswered until the machine gave up */
  run_for (w, never, NULL, (RTC_PLPMTUD_MAX_PROBES + 1) *
      RTC_PLPMTUD_PROBE_TIMER_US);
  g_assert_cmpuint (rtc_sctp_get_path_mtu (l->sctp), ==, 1384);
  /* 8884, MAX_PROBES times; a failed plateau ends the search */
  g_assert_cmpuint (l->n_too_big, ==, RTC_PLPMTUD_MAX_PROBES);
  l->n_too_big = 0;
  l->max_packet = 0;
  exchange (w, l, r, 1, 20, 10 * SEC);
  /* Large messages are cut into DATA chunks of the base size, whatever
   * the PLPMTU: a chunk cannot be cut again once sent, and a black hole
   * must not strand it. Small messages are bundled up to the PLPMTU. */
  exchange_sized (w, l, r, 2, 200, 300, 10 * SEC);
  g_assert_cmpuint (l->max_packet, >, BASE);
  g_assert_cmpuint (l->max_packet, <=, 1384);
  g_assert_cmpuint (l->n_too_big, ==, 0);
  world_free (w);
}

/* The path shrinks under a running transfer (a route change to a
 * tunnel): what was in flight is retransmitted, the retransmissions make
 * discovery check the PLPMTU, it falls back to the base size, and every
 * message still arrives. */
static void
test_pair_black_hole (void)
{
  RtcSctpConfig cfg = pmtud_config ();
  World *w = world_new ();
  PmtuWant pw = { 0 };
  Peer *l, *r;
  guint i;

  pair_new (w, &cfg, &cfg, &l, &r);
  connect_pair (w);
  pw.l = l;
  pw.r = r;
  pw.want = MAXP;
  run_until (w, both_at, &pw, 1 * SEC);
  exchange (w, l, r, 1, 5, 10 * SEC);

  l->wire_mtu = r->wire_mtu = 1300;
  for (i = 0; i < 30; i++) {
    GBytes *m = make_msg (7, 2, i, 64 * 1024);

    send_msg (l, 2, 53, m, NULL);
    g_bytes_unref (m);
  }
  {
    Want want = { r, 2, 30 };

    run_until (w, has_received, &want, 60 * SEC);
  }
  g_assert_cmpuint (l->n_too_big, >, 0);
  g_assert_cmpuint (rtc_sctp_get_path_mtu (l->sctp), ==, BASE);
  g_assert_false (l->closed);
  g_assert_false (r->closed);
  for (i = 0; i < 30; i++) {
    GBytes *m = make_msg (7, 2, i, 64 * 1024);
    Msg *got = g_ptr_array_index (r->received, r->received->len - 30 + i);

    g_assert_true (g_bytes_equal (got->data, m));
    g_bytes_unref (m);
  }
  world_free (w);
}

/* One side without discovery (as webrtcbin, libdatachannel): it still
 * answers the other's probes, so the other finds the path; it keeps
 * sending at its own size. */
static void
test_pair_one_sided (void)
{
  RtcSctpConfig cfg = pmtud_config ();
  World *w = world_new ();
  Peer *l, *r;
  PmtuWant pw = { 0 };

  pair_new (w, &cfg, NULL, &l, &r);
  connect_pair (w);
  pw.l = l;
  pw.r = l;
  pw.want = MAXP;
  run_until (w, both_at, &pw, 1 * SEC);
  g_assert_cmpuint (rtc_sctp_get_path_mtu (r->sctp), ==, RTC_SCTP_DEFAULT_MTU);
  exchange (w, l, r, 1, 10, 10 * SEC);
  r->max_packet = 0;
  exchange (w, r, l, 3, 10, 10 * SEC);
  g_assert_cmpuint (r->max_packet, <=, RTC_SCTP_DEFAULT_MTU);
  world_free (w);
}

int
main (int argc, char **argv)
{
  gst_init (NULL, NULL);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/plpmtud/crc32c/vectors", test_crc_vectors);
  g_test_add_func ("/plpmtud/crc32c/usrsctp", test_crc_matches_usrsctp);
  g_test_add_func ("/plpmtud/machine/search-to-max", test_search_to_max);
  g_test_add_func ("/plpmtud/machine/stop-and-raise",
      test_search_stops_and_raises);
  g_test_add_func ("/plpmtud/machine/black-hole", test_black_hole);
  g_test_add_func ("/plpmtud/machine/no-answers", test_no_answers);
  g_test_add_func ("/plpmtud/probe/codec", test_probe_codec);
  g_test_add_func ("/plpmtud/pair/max", test_pair_finds_max);
  g_test_add_func ("/plpmtud/pair/ethernet", test_pair_ethernet_path);
  g_test_add_func ("/plpmtud/pair/black-hole", test_pair_black_hole);
  g_test_add_func ("/plpmtud/pair/one-sided", test_pair_one_sided);

  return g_test_run ();
}
