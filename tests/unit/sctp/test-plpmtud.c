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
#include "sctp/rtcsctp-wire.h"
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

/* A peer's answer to @probe (a HEARTBEAT first in it): a SACK, the
 * HEARTBEAT ACK echoing the HEARTBEAT's value, then a DATA chunk whose
 * length is not a multiple of 4. Returns the length. */
static gsize
make_answer (guint8 * ack, const guint8 * probe)
{
  guint16 hb_len = rtc_wire_get16 (probe + 14);
  gsize off = 12;

  memcpy (ack, probe, 8);
  memset (ack + 8, 0, 4);
  ack[off] = 3;                 /* SACK, 16 bytes */
  ack[off + 1] = 0;
  rtc_wire_put16 (ack + off + 2, 16);
  memset (ack + off + 4, 0xaa, 12);
  off += 16;
  memcpy (ack + off, probe + 12, hb_len);
  ack[off] = 5;                 /* HEARTBEAT ACK */
  off += hb_len;
  ack[off] = 0;                 /* DATA, 17 bytes + 3 of padding */
  ack[off + 1] = 3;
  rtc_wire_put16 (ack + off + 2, 17);
  memset (ack + off + 4, 0xbb, 16);
  return off + 20;
}

/* Both forms of the probe, built and answered at every alignment: the
 * codec reads and writes its 64-bit nonce a byte at a time (UBSan in the
 * sanitizer build would stop on a misaligned load). */
static void
check_codec (RtcPlpmtudProbeForm form, guint align)
{
  const guint size = 1384;
  guint8 *pkt_buf = g_malloc0 (size + 8);
  guint8 *ack_buf = g_malloc0 (size + 64 + 8);
  guint8 *pkt = pkt_buf + align, *ack = ack_buf + align;
  guint hb_len = form == RTC_PLPMTUD_PROBE_PAD_CHUNK ? 32 : size - 12;
  gsize len, full;
  guint64 nonce = 0;
  guint got_size = 0;

  rtc_plpmtud_build_probe (pkt, size, 5000, 5001, 0xdeadbeef,
      G_GUINT64_CONSTANT (0x0123456789abcdef), form);
  g_assert_true (rtc_sctp_checksum_valid (pkt, size));
  g_assert_cmpuint (rtc_wire_get16 (pkt), ==, 5000);
  g_assert_cmpuint (rtc_wire_get16 (pkt + 2), ==, 5001);
  g_assert_cmphex (rtc_wire_get32 (pkt + 4), ==, 0xdeadbeef);
  /* HEARTBEAT with one Heartbeat Info parameter holding our fields */
  g_assert_cmpuint (pkt[12], ==, 4);
  g_assert_cmpuint (rtc_wire_get16 (pkt + 14), ==, hb_len);
  g_assert_cmpuint (rtc_wire_get16 (pkt + 16), ==, 1);
  g_assert_cmpuint (rtc_wire_get16 (pkt + 18), ==, hb_len - 4);
  g_assert_cmpmem (pkt + 20, 8, "rtcPMTUD", 8);
  g_assert_cmphex (rtc_wire_get64 (pkt + 28), ==,
      G_GUINT64_CONSTANT (0x0123456789abcdef));
  g_assert_cmpuint (rtc_wire_get32 (pkt + 36), ==, size);
  if (form == RTC_PLPMTUD_PROBE_PAD_CHUNK) {
    /* then a PAD chunk to the end */
    g_assert_cmpuint (pkt[44], ==, 0x84);
    g_assert_cmpuint (44 + rtc_wire_get16 (pkt + 46), ==, size);
  } else {
    guint i;

    /* nothing but the HEARTBEAT, zeros after our fields */
    for (i = 44; i < size; i++)
      g_assert_cmpuint (pkt[i], ==, 0);
  }

  /* an answer among other chunks: found, taken out, the rest intact */
  full = len = make_answer (ack, pkt);
  g_assert_cmpint (rtc_plpmtud_find_ack (ack, len, &nonce, &got_size), ==,
      28);
  g_assert_true (rtc_plpmtud_take_ack (ack, &len, &nonce, &got_size));
  g_assert_cmphex (nonce, ==, G_GUINT64_CONSTANT (0x0123456789abcdef));
  g_assert_cmpuint (got_size, ==, size);
  g_assert_cmpuint (len, ==, full - hb_len);
  g_assert_cmpuint (ack[12], ==, 3);
  g_assert_cmpuint (ack[28], ==, 0);
  g_assert_cmpuint (rtc_wire_get16 (ack + 30), ==, 17);
  g_assert_cmpuint (ack[32], ==, 0xbb);

  /* the answer alone: nothing left for usrsctp */
  memcpy (ack + 12, pkt + 12, hb_len);
  ack[12] = 5;
  len = 12 + hb_len;
  g_assert_true (rtc_plpmtud_take_ack (ack, &len, &nonce, &got_size));
  g_assert_cmpuint (len, ==, 12);

  /* someone else's heartbeat answer (usrsctp's own) is left alone */
  memcpy (ack + 12, pkt + 12, hb_len);
  ack[12] = 5;
  ack[20] ^= 1;                 /* the magic */
  len = 12 + hb_len;
  g_assert_false (rtc_plpmtud_take_ack (ack, &len, &nonce, &got_size));
  g_assert_cmpuint (len, ==, 12 + hb_len);
  ack[20] ^= 1;
  /* a chunk length past the end */
  rtc_wire_put16 (ack + 14, hb_len + 4);
  g_assert_false (rtc_plpmtud_take_ack (ack, &len, &nonce, &got_size));
  rtc_wire_put16 (ack + 14, hb_len);
  if (form == RTC_PLPMTUD_PROBE_PADDED_INFO) {
    /* an answer to the padded form that came back shorter than the probe
     * proves nothing about the size */
    rtc_wire_put16 (ack + 14, hb_len - 4);
    rtc_wire_put16 (ack + 18, hb_len - 8);
    len = 12 + hb_len - 4;
    g_assert_cmpint (rtc_plpmtud_find_ack (ack, len, &nonce, &got_size), ==,
        -1);
  }
  g_free (pkt_buf);
  g_free (ack_buf);
}

static void
test_probe_codec (void)
{
  guint align;

  for (align = 0; align < 8; align++) {
    check_codec (RTC_PLPMTUD_PROBE_PAD_CHUNK, align);
    check_codec (RTC_PLPMTUD_PROBE_PADDED_INFO, align);
  }
}

/* An INIT ACK with a State Cookie starting with @cookie_id, @align bytes
 * into @buf; returns the packet. */
static guint8 *
make_init_ack (guint8 * buf, guint align, const gchar * cookie_id,
    gsize * len)
{
  guint8 *p = buf + align;
  gsize off = 12 + 20;

  memset (buf, 0, 128);
  rtc_wire_put16 (p, 5000);
  rtc_wire_put16 (p + 2, 5000);
  rtc_wire_put32 (p + 4, 0x11223344);
  p[12] = 2;
  rtc_wire_put32 (p + 16, 0x55667788);     /* initiate tag */
  rtc_wire_put32 (p + 20, 131072);
  rtc_wire_put16 (p + 24, 1024);
  rtc_wire_put16 (p + 26, 1024);
  rtc_wire_put32 (p + 28, 1);
  rtc_wire_put16 (p + off, 0xc000);        /* forward TSN supported */
  rtc_wire_put16 (p + off + 2, 4);
  off += 4;
  rtc_wire_put16 (p + off, 7);     /* state cookie */
  rtc_wire_put16 (p + off + 2, 4 + 32);
  memcpy (p + off + 4, cookie_id, strlen (cookie_id));
  off += 4 + 32;
  rtc_wire_put16 (p + 14, off - 12);
  *len = off;
  rtc_sctp_checksum_fill (p, off);
  return p;
}

/* usrsctp (KAME's code) is recognised by its cookie; nothing else is. */
static void
test_peer_skips_pad (void)
{
  guint8 buf[136];
  guint align;
  gsize len;
  guint8 *p;

  for (align = 0; align < 8; align++) {
    p = make_init_ack (buf, align, "KAME-BSD 1.1", &len);
    g_assert_true (rtc_plpmtud_peer_skips_pad (p, len));
    /* another stack's cookie */
    p = make_init_ack (buf, align, "werift-cookie", &len);
    g_assert_false (rtc_plpmtud_peer_skips_pad (p, len));
    /* the same bytes elsewhere than in an INIT ACK's cookie */
    p = make_init_ack (buf, align, "KAME-BSD 1.1", &len);
    p[12] = 1;
    g_assert_false (rtc_plpmtud_peer_skips_pad (p, len));
    p[12] = 2;
    rtc_wire_put16 (p + 32 + 4, 7);        /* the first param */
    rtc_wire_put16 (p + 32 + 4 + 2, 0);    /* of length 0 */
    g_assert_false (rtc_plpmtud_peer_skips_pad (p, len));
    /* a chunk length past the packet */
    p = make_init_ack (buf, align, "KAME-BSD 1.1", &len);
    g_assert_false (rtc_plpmtud_peer_skips_pad (p, len - 4));
  }
}

/* ------------------------------------------------------------------ */
/* two associations */

static RtcSctpConfig
pmtud_config (void)
{
  RtcSctpConfig cfg = { 0 };

  /* two of our cores that announced a=x-rtcpeer-sctp-max-packet */
  cfg.max_mtu = MAXP;
  cfg.peer_understands_pad = TRUE;
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

/* Whether any of the packets @p sent lately holds a PAD chunk. */
static gboolean
sent_pad_chunk (Peer * p)
{
  guint i;

  for (i = 0; i < p->recent->len; i++) {
    gsize len, off = 12;
    const guint8 *d = g_bytes_get_data (g_ptr_array_index (p->recent, i),
        &len);

    while (off + 4 <= len) {
      guint16 clen = rtc_wire_get16 (d + off + 2);

      if (d[off] == 0x84)
        return TRUE;
      if (clen < 4)
        break;
      off += (clen + 3) & ~3u;
    }
  }
  return FALSE;
}

/* A peer that did not announce the attribute but runs usrsctp (webrtcbin,
 * Firefox): its INIT ACK gives it away, so the probes use PAD chunks and
 * its small answers; a padded HEARTBEAT larger than its own path MTU would
 * go unanswered. */
static void
test_pair_usrsctp_peer (void)
{
  RtcSctpConfig cfg = pmtud_config ();
  World *w = world_new ();
  PmtuWant pw = { 0 };
  Peer *l, *r;

  cfg.peer_understands_pad = FALSE;
  pair_new (w, &cfg, NULL, &l, &r);
  connect_pair (w);
  pw.l = l;
  pw.r = l;
  pw.want = MAXP;
  run_until (w, both_at, &pw, 1 * SEC);
  g_assert_true (sent_pad_chunk (l));
  g_assert_cmpuint (r->max_packet, <=, RTC_SCTP_DEFAULT_MTU);
  exchange (w, l, r, 1, 10, 10 * SEC);
  world_free (w);
}

/* Our core as rtcpeerbin sets it up towards a peer that did not announce
 * the attribute (probing up to the Ethernet plateau), against @r. */
static RtcSctpConfig
towards_unknown_peer (void)
{
  RtcSctpConfig cfg = pmtud_config ();

  cfg.max_mtu = 1384;
  cfg.peer_understands_pad = FALSE;
  return cfg;
}

/* Messages both ways on a few streams while @l's discovery runs. */
static void
traffic (World * w, Peer * l, Peer * r, guint round)
{
  guint16 stream;

  for (stream = 0; stream < 4; stream++) {
    exchange_sized (w, l, r, stream, 5, 3000 + round * 100 + stream,
        10 * SEC);
    exchange_sized (w, r, l, stream, 5, 200 + round, 10 * SEC);
  }
}

/* A strict peer (one that aborts on a chunk type it does not know, as a
 * TypeScript WebRTC stack does on PAD) whose stack answers heartbeats up
 * to the Ethernet size, on a path that carries it: discovery reaches the
 * plateau with padded heartbeats alone, and the association and its
 * streams carry data all along. */
static void
test_strict_peer (void)
{
  RtcSctpConfig cfg = towards_unknown_peer ();
  RtcSctpConfig strict = { 0 };
  World *w = world_new ();
  PmtuWant pw = { 0 };
  Peer *l, *r;
  guint round;

  strict.mtu = 1384;
  pair_new (w, &cfg, &strict, &l, &r);
  peer_set_strict (r);
  l->wire_mtu = r->wire_mtu = 1400;
  world_start (w);
  traffic (w, l, r, 0);
  pw.l = l;
  pw.r = l;
  pw.want = 1384;
  for (round = 1; round < 10 && !both_at (w, &pw); round++)
    traffic (w, l, r, round);
  run_until (w, both_at, &pw, 2 * SEC);
  traffic (w, l, r, round);
  /* the probes of the padded form, echoed whole */
  g_assert_false (sent_pad_chunk (l));
  g_assert_cmpuint (r->max_packet, ==, 1384);
  g_assert_false (r->strict_aborted);
  g_assert_false (l->closed);
  g_assert_false (r->closed);
  g_assert_nonnull (r->sctp);
  g_assert_cmpuint (l->n_too_big, ==, 0);
  world_free (w);
}

/* The same peer whose stack answers only within the base size: the larger
 * probes go unanswered and discovery stays at the base, harmlessly. */
static void
test_strict_peer_small (void)
{
  RtcSctpConfig cfg = towards_unknown_peer ();
  World *w = world_new ();
  Peer *l, *r;

  pair_new (w, &cfg, NULL, &l, &r);
  peer_set_strict (r);
  connect_pair (w);
  traffic (w, l, r, 0);
  run_for (w, never, NULL, (RTC_PLPMTUD_MAX_PROBES + 2) *
      RTC_PLPMTUD_PROBE_TIMER_US);
  traffic (w, l, r, 1);
  g_assert_cmpuint (rtc_sctp_get_path_mtu (l->sctp), ==, BASE);
  g_assert_false (r->strict_aborted);
  g_assert_false (l->closed);
  world_free (w);
}

/* What the PAD form does to a strict peer (every peer got it before):
 * the first probe costs the association. Claiming the peer understands
 * PAD when it does not is what the config flag must never do. */
static void
test_strict_peer_killed_by_pad (void)
{
  RtcSctpConfig cfg = towards_unknown_peer ();
  World *w = world_new ();
  Ev *ev;
  Peer *l, *r;

  cfg.peer_understands_pad = TRUE;
  pair_new (w, &cfg, NULL, &l, &r);
  peer_set_strict (r);
  w->quiet = TRUE;
  connect_pair (w);
  run_for (w, all_closed, NULL, 5 * SEC);
  g_assert_true (r->strict_aborted);
  g_assert_cmphex (r->strict_bad_type, ==, 0x84);
  g_assert_true (l->closed);
  ev = find_event (l, RTC_SCTP_EVENT_CLOSED, -1);
  g_assert_nonnull (ev);
  g_assert_error (ev->error, RTC_SCTP_ERROR, RTC_SCTP_ERROR_ABORTED);
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
  g_test_add_func ("/plpmtud/probe/peer-skips-pad", test_peer_skips_pad);
  g_test_add_func ("/plpmtud/pair/max", test_pair_finds_max);
  g_test_add_func ("/plpmtud/pair/ethernet", test_pair_ethernet_path);
  g_test_add_func ("/plpmtud/pair/black-hole", test_pair_black_hole);
  g_test_add_func ("/plpmtud/pair/one-sided", test_pair_one_sided);
  g_test_add_func ("/plpmtud/pair/usrsctp-peer", test_pair_usrsctp_peer);
  g_test_add_func ("/plpmtud/strict/ethernet", test_strict_peer);
  g_test_add_func ("/plpmtud/strict/unanswered", test_strict_peer_small);
  g_test_add_func ("/plpmtud/strict/killed-by-pad",
      test_strict_peer_killed_by_pad);

  return g_test_run ();
}
