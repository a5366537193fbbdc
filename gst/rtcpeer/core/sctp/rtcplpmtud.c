/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <gst/gst.h>

#include "rtccrc32c.h"
#include "rtcplpmtud.h"
#include "rtcsctp-wire.h"

/* Link MTUs worth a probe (RFC 4821 section 7.2's idea of plateaus):
 * Ethernet and jumbo frames. Each becomes an SCTP packet size by taking
 * off the worst case below SCTP: IPv6 (40), UDP (8) and a DTLS 1.2 record
 * (13 header, at most 52 of IV, MAC and padding with a CBC suite). */
static const guint link_plateaus[] = { 1500, 9000 };

#define BELOW_SCTP (40 + 8 + 65)

/* Heartbeat information of our probes: a magic, a nonce, the size, four
 * reserved bytes (then, in the padded form, zeros up to the size). */
static const guint8 magic[8] = { 'r', 't', 'c', 'P', 'M', 'T', 'U', 'D' };

#define INFO_LEN (8 + 8 + 4 + 4)
#define HB_PARAM_LEN (4 + INFO_LEN)
#define HB_CHUNK_LEN (4 + HB_PARAM_LEN)
#define PARAM_HEARTBEAT_INFO 1
#define PARAM_STATE_COOKIE 7
#define CHUNK_INIT_ACK 2
#define CHUNK_HEARTBEAT 4
#define CHUNK_HEARTBEAT_ACK 5
/* RFC 4820: the top bits 10 tell a receiver that does not know it to
 * skip it silently. */
#define CHUNK_PAD 0x84

struct _RtcPlpmtud
{
  RtcPlpmtudState state;
  guint base, max;
  guint pmtu;
  GArray *plateaus;             /* guint, ascending, all > base, <= max */

  /* the probe in flight: 0 = none */
  guint probe_size;
  guint probes_sent;
  guint64 first_nonce;          /* the nonces of this size's probes */
  guint64 probe_deadline;       /* the PROBE_TIMER */
  gboolean send_now;

  guint64 next_nonce;
  guint64 raise_at;
  guint64 holdoff_until;
};

static guint
round4 (guint n)
{
  return n & ~3u;
}

RtcPlpmtud *
rtc_plpmtud_new (guint base, guint max)
{
  RtcPlpmtud *self;
  guint i, top;

  g_return_val_if_fail (base >= RTC_PLPMTUD_MIN_PROBE, NULL);

  self = g_new0 (RtcPlpmtud, 1);
  self->base = self->pmtu = base;
  self->max = MAX (base, max);
  self->plateaus = g_array_new (FALSE, FALSE, sizeof (guint));
  for (i = 0; i < G_N_ELEMENTS (link_plateaus); i++) {
    guint s = round4 (link_plateaus[i] - BELOW_SCTP);

    if (s > base && s < self->max)
      g_array_append_val (self->plateaus, s);
  }
  top = round4 (self->max);
  if (top > base)
    g_array_append_val (self->plateaus, top);
  self->next_nonce = 1;
  self->raise_at = G_MAXUINT64;
  return self;
}

void
rtc_plpmtud_free (RtcPlpmtud * self)
{
  if (self == NULL)
    return;
  g_array_unref (self->plateaus);
  g_free (self);
}

/* In SEARCH_COMPLETE, a probe confirms the PLPMTU itself. */
static void
begin_probe (RtcPlpmtud * self, guint size)
{
  self->probe_size = size;
  self->probes_sent = 0;
  self->first_nonce = self->next_nonce;
  self->send_now = TRUE;
}

/* The next plateau above the PLPMTU, 0 if none. */
static guint
next_plateau (RtcPlpmtud * self)
{
  guint i;

  for (i = 0; i < self->plateaus->len; i++) {
    guint s = g_array_index (self->plateaus, guint, i);

    if (s > self->pmtu)
      return s;
  }
  return 0;
}

static void
search_next (RtcPlpmtud * self)
{
  guint s = next_plateau (self);

  if (s == 0) {
    self->state = RTC_PLPMTUD_SEARCH_COMPLETE;
    self->probe_size = 0;
    self->raise_at = G_MAXUINT64;       /* nothing larger to find */
    GST_DEBUG ("plpmtud %p: search complete at %u (the largest)", self,
        self->pmtu);
    return;
  }
  self->state = RTC_PLPMTUD_SEARCHING;
  begin_probe (self, s);
}

void
rtc_plpmtud_start (RtcPlpmtud * self, guint64 now_us)
{
  g_return_if_fail (self != NULL);

  if (self->state != RTC_PLPMTUD_DISABLED)
    return;
  self->state = RTC_PLPMTUD_BASE;
  begin_probe (self, round4 (self->base));
}

/* A probe size went unanswered MAX_PROBES times. */
static void
probe_failed (RtcPlpmtud * self, guint64 now_us)
{
  guint size = self->probe_size;

  self->probe_size = 0;
  switch (self->state) {
    case RTC_PLPMTUD_BASE:
      GST_DEBUG ("plpmtud %p: the base size %u went unanswered", self,
          self->base);
      self->state = RTC_PLPMTUD_ERROR;
      self->raise_at = now_us + RTC_PLPMTUD_RAISE_TIMER_US;
      break;
    case RTC_PLPMTUD_SEARCHING:
      GST_DEBUG ("plpmtud %p: %u does not pass; PLPMTU %u", self, size,
          self->pmtu);
      self->state = RTC_PLPMTUD_SEARCH_COMPLETE;
      self->raise_at = now_us + RTC_PLPMTUD_RAISE_TIMER_US;
      break;
    case RTC_PLPMTUD_SEARCH_COMPLETE:
      /* a confirmation: the path no longer carries the PLPMTU */
      GST_DEBUG ("plpmtud %p: black hole at %u, back to %u", self, size,
          self->base);
      self->pmtu = self->base;
      self->raise_at = now_us + RTC_PLPMTUD_RAISE_TIMER_US;
      break;
    default:
      break;
  }
}

gboolean
rtc_plpmtud_poll_probe (RtcPlpmtud * self, guint64 now_us, guint * size,
    guint64 * nonce)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->state == RTC_PLPMTUD_DISABLED)
    return FALSE;
  if (self->probe_size != 0 && !self->send_now
      && now_us >= self->probe_deadline) {
    if (self->probes_sent >= RTC_PLPMTUD_MAX_PROBES)
      probe_failed (self, now_us);
    else
      self->send_now = TRUE;
  }
  if (self->probe_size == 0 && now_us >= self->raise_at) {
    self->raise_at = G_MAXUINT64;
    search_next (self);
  }
  if (self->probe_size == 0 || !self->send_now)
    return FALSE;

  self->send_now = FALSE;
  self->probes_sent++;
  self->probe_deadline = now_us + RTC_PLPMTUD_PROBE_TIMER_US;
  *size = self->probe_size;
  *nonce = self->next_nonce++;
  return TRUE;
}

void
rtc_plpmtud_handle_ack (RtcPlpmtud * self, guint64 now_us, guint64 nonce,
    guint size)
{
  g_return_if_fail (self != NULL);

  /* only an answer to the probe in flight counts; a late one for an
   * earlier size says nothing new */
  if (self->probe_size == 0 || size != self->probe_size ||
      nonce < self->first_nonce || nonce >= self->next_nonce)
    return;

  self->probe_size = 0;
  switch (self->state) {
    case RTC_PLPMTUD_BASE:
      search_next (self);
      break;
    case RTC_PLPMTUD_SEARCHING:
      GST_DEBUG ("plpmtud %p: %u passes", self, size);
      self->pmtu = size;
      search_next (self);
      break;
    case RTC_PLPMTUD_SEARCH_COMPLETE:
      /* confirmed: the loss was something else */
      self->holdoff_until = now_us + RTC_PLPMTUD_CONFIRM_HOLDOFF_US;
      break;
    default:
      break;
  }
}

void
rtc_plpmtud_loss_hint (RtcPlpmtud * self, guint64 now_us)
{
  g_return_if_fail (self != NULL);

  if (self->state != RTC_PLPMTUD_SEARCH_COMPLETE || self->probe_size != 0 ||
      self->pmtu <= self->base || now_us < self->holdoff_until)
    return;
  GST_DEBUG ("plpmtud %p: loss above the base size, confirming %u", self,
      self->pmtu);
  begin_probe (self, self->pmtu);
}

guint64
rtc_plpmtud_next_deadline (RtcPlpmtud * self)
{
  g_return_val_if_fail (self != NULL, G_MAXUINT64);

  if (self->state == RTC_PLPMTUD_DISABLED)
    return G_MAXUINT64;
  if (self->probe_size != 0)
    return self->send_now ? 0 : self->probe_deadline;
  return self->raise_at;
}

guint
rtc_plpmtud_get_pmtu (RtcPlpmtud * self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->pmtu;
}

RtcPlpmtudState
rtc_plpmtud_get_state (RtcPlpmtud * self)
{
  g_return_val_if_fail (self != NULL, RTC_PLPMTUD_DISABLED);

  return self->state;
}

const gchar *
rtc_plpmtud_state_name (RtcPlpmtudState state)
{
  switch (state) {
    case RTC_PLPMTUD_DISABLED:
      return "disabled";
    case RTC_PLPMTUD_BASE:
      return "base";
    case RTC_PLPMTUD_SEARCHING:
      return "searching";
    case RTC_PLPMTUD_SEARCH_COMPLETE:
      return "search-complete";
    case RTC_PLPMTUD_ERROR:
      return "error";
  }
  return "unknown";
}

/* ------------------------------------------------------------------ */
/* the probe packet, RFC 9260 sections 3.1 and 3.3.5, RFC 4820 */

void
rtc_plpmtud_build_probe (guint8 * p, guint size, guint16 src_port,
    guint16 dst_port, guint32 vtag, guint64 nonce, RtcPlpmtudProbeForm form)
{
  guint off = 12, hb_len;

  g_return_if_fail (p != NULL);
  g_return_if_fail (size >= RTC_PLPMTUD_MIN_PROBE && size % 4 == 0);
  g_return_if_fail (size <= G_MAXUINT16);

  memset (p, 0, size);
  rtc_wire_put16 (p, src_port);
  rtc_wire_put16 (p + 2, dst_port);
  rtc_wire_put32 (p + 4, vtag);

  /* the padded form: the Heartbeat Info parameter itself fills the
   * packet, zeros after our fields */
  hb_len = form == RTC_PLPMTUD_PROBE_PAD_CHUNK ? HB_CHUNK_LEN : size - off;
  p[off] = CHUNK_HEARTBEAT;
  rtc_wire_put16 (p + off + 2, hb_len);
  rtc_wire_put16 (p + off + 4, PARAM_HEARTBEAT_INFO);
  rtc_wire_put16 (p + off + 6, hb_len - 4);
  memcpy (p + off + 8, magic, sizeof (magic));
  rtc_wire_put64 (p + off + 16, nonce);
  rtc_wire_put32 (p + off + 24, size);
  off += hb_len;

  if (size - off >= 4) {
    p[off] = CHUNK_PAD;
    rtc_wire_put16 (p + off + 2, size - off);
  }
  rtc_sctp_checksum_fill (p, size);
}

/* One of our answers: a HEARTBEAT ACK holding nothing but our Heartbeat
 * Info, of either form. The padded form's answer must be as large as its
 * probe: that it came back whole is what it tests. */
static gboolean
is_our_ack (const guint8 * c, gsize clen, guint64 * nonce, guint * size)
{
  guint s;

  if (c[0] != CHUNK_HEARTBEAT_ACK || clen < HB_CHUNK_LEN ||
      rtc_wire_get16 (c + 4) != PARAM_HEARTBEAT_INFO ||
      rtc_wire_get16 (c + 6) != clen - 4 ||
      memcmp (c + 8, magic, sizeof (magic)) != 0)
    return FALSE;
  s = rtc_wire_get32 (c + 24);
  if (clen != HB_CHUNK_LEN && clen + 12 != s)
    return FALSE;
  *nonce = rtc_wire_get64 (c + 16);
  *size = s;
  return TRUE;
}

gssize
rtc_plpmtud_find_ack (const guint8 * p, gsize len, guint64 * nonce,
    guint * size)
{
  gsize off = 12;

  g_return_val_if_fail (p != NULL || len == 0, -1);
  g_return_val_if_fail (nonce != NULL && size != NULL, -1);

  while (off + 4 <= len) {
    guint16 clen = rtc_wire_get16 (p + off + 2);

    if (clen < 4 || off + clen > len)
      return -1;
    if (is_our_ack (p + off, clen, nonce, size))
      return off;
    off += ((gsize) clen + 3) & ~(gsize) 3;
  }
  return -1;
}

gboolean
rtc_plpmtud_take_ack (guint8 * p, gsize * len, guint64 * nonce, guint * size)
{
  gssize off;
  gsize cut;

  g_return_val_if_fail (p != NULL && len != NULL, FALSE);

  off = rtc_plpmtud_find_ack (p, *len, nonce, size);
  if (off < 0)
    return FALSE;
  /* with its padding, which may be missing at the end of the packet */
  cut = MIN ((rtc_wire_get16 (p + off + 2) + 3) & ~3u, *len - off);
  memmove (p + off, p + off + cut, *len - off - cut);
  *len -= cut;
  return TRUE;
}

/* RFC 9260 3.3.3: an INIT ACK alone in its packet (as it must be), with a
 * State Cookie parameter whose value begins with the identification KAME's
 * SCTP code writes at the start of its cookies (usrsctp and FreeBSD's
 * kernel; other stacks' cookies are opaque bytes of their own). That code
 * has skipped PAD chunks since RFC 4820 and answers a heartbeat only
 * within its own path MTU, so it needs the PAD form to be probed at all. */
gboolean
rtc_plpmtud_peer_skips_pad (const guint8 * p, gsize len)
{
  static const guint8 kame[8] = { 'K', 'A', 'M', 'E', '-', 'B', 'S', 'D' };
  gsize off, end;

  g_return_val_if_fail (p != NULL || len == 0, FALSE);

  if (len < 12 + 20 || p[12] != CHUNK_INIT_ACK)
    return FALSE;
  end = 12 + (gsize) rtc_wire_get16 (p + 14);
  if (end > len)
    return FALSE;
  for (off = 12 + 20; off + 4 <= end;) {
    guint16 type = rtc_wire_get16 (p + off);
    guint16 plen = rtc_wire_get16 (p + off + 2);

    if (plen < 4 || off + plen > end)
      return FALSE;
    if (type == PARAM_STATE_COOKIE)
      return plen >= 4 + sizeof (kame) &&
          memcmp (p + off + 4, kame, sizeof (kame)) == 0;
    off += ((gsize) plen + 3) & ~(gsize) 3;
  }
  return FALSE;
}
