/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Datagram Packetization Layer Path MTU Discovery (RFC 8899) for SCTP
 * over DTLS, done beside usrsctp (whose 0.9.5 has none).
 *
 * RFC 8831 section 5 starts data channels at a 1200-byte path MTU and
 * asks SCTP to find out whether the path carries more. Every SCTP packet
 * costs a DTLS record, a UDP datagram and two system calls, so packets
 * that fill the path (1500-byte Ethernet, jumbo frames, loopback) move
 * data with far less work.
 *
 * A probe is an SCTP packet of the size to test holding a HEARTBEAT chunk
 * whose Heartbeat Information is ours (a magic, a nonce and the size), so
 * the answer is recognised and taken out of the packet before usrsctp
 * sees it. RFC 8899 section 6.2 fills the packet with a PAD chunk
 * (RFC 4820, type 0x84), and the HEARTBEAT ACK stays small. But RFC 9260
 * asks a receiver to skip a chunk type it does not know, and not every
 * WebRTC stack does: one that treats type 0x84 as an error loses the whole
 * association (and the call) to the first probe. So there are two forms:
 *
 *   PADDED_INFO  HEARTBEAT [ info: magic nonce size | zeros ... ]
 *                Only what every SCTP stack must understand: the padding
 *                is inside the Heartbeat Info, which the peer echoes back
 *                whole, so the HEARTBEAT ACK is as large as the probe and
 *                an answer says both directions carry the size. The
 *                default, for any peer.
 *   PAD_CHUNK    HEARTBEAT [ info: magic nonce size ]  PAD [ zeros ... ]
 *                A small answer; only towards a peer known to skip PAD
 *                chunks: one of ours, which says so in its SDP, or one
 *                whose INIT ACK shows KAME's SCTP code (usrsctp: webrtcbin,
 *                Firefox), which does skip them and answers a heartbeat
 *                only within its own path MTU, so that the padded form
 *                would never be answered above its base size.
 *
 *   start ------> BASE (probe the base size)
 *                   | acked
 *                   v
 *   raise timer  SEARCHING: probe the next plateau above the PLPMTU;
 *     +------->     |  acked -> it becomes the PLPMTU, probe the next;
 *     |             |  MAX_PROBES lost, or no plateau left:
 *     |             v
 *     +------- SEARCH_COMPLETE <---- loss hint: probe the PLPMTU again;
 *                                    MAX_PROBES lost: back to base (black
 *                                    hole), acked: it still holds
 *
 * Sizes are SCTP packet sizes (common header included): what goes into
 * one DTLS record. The machine only decides; the caller builds and sends
 * the probes, hands in the answers and applies the PLPMTU. */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _RtcPlpmtud RtcPlpmtud;

typedef enum
{
  RTC_PLPMTUD_DISABLED,         /* not started */
  RTC_PLPMTUD_BASE,
  RTC_PLPMTUD_SEARCHING,
  RTC_PLPMTUD_SEARCH_COMPLETE,
  /* even the base size went unanswered: stay at it, retry on the raise
   * timer */
  RTC_PLPMTUD_ERROR,
} RtcPlpmtudState;

/* RFC 8899 section 5.1.2 */
#define RTC_PLPMTUD_MAX_PROBES 3
/* How long a probe may go unanswered before it counts as lost. */
#define RTC_PLPMTUD_PROBE_TIMER_US (1 * G_USEC_PER_SEC)
/* RFC 8899 section 5.1.1: look for a larger size again after 600 s. */
#define RTC_PLPMTUD_RAISE_TIMER_US (600 * G_USEC_PER_SEC)
/* After a confirmation, loss hints are ignored this long. */
#define RTC_PLPMTUD_CONFIRM_HOLDOFF_US (10 * G_USEC_PER_SEC)

/* The smallest probe: header, HEARTBEAT with our info, an empty PAD. */
#define RTC_PLPMTUD_MIN_PROBE 48

typedef enum
{
  /* the padding inside the Heartbeat Info: for every peer */
  RTC_PLPMTUD_PROBE_PADDED_INFO,
  /* a PAD chunk (RFC 4820) after the HEARTBEAT: only for a peer that
   * is known to skip it */
  RTC_PLPMTUD_PROBE_PAD_CHUNK,
} RtcPlpmtudProbeForm;

/* @base: the size known to work (RFC 8831's 1200 bytes at the IP layer);
 * @max: the largest worth trying (one DTLS record: 16384). */
RtcPlpmtud *       rtc_plpmtud_new (guint base, guint max);
void               rtc_plpmtud_free (RtcPlpmtud * pmtud);

void               rtc_plpmtud_start (RtcPlpmtud * pmtud, guint64 now_us);
/* A probe to send now (TRUE): its size and nonce. Call after every input
 * and timeout until it says FALSE. */
gboolean           rtc_plpmtud_poll_probe (RtcPlpmtud * pmtud,
                                           guint64 now_us, guint * size,
                                           guint64 * nonce);
/* The peer answered the probe @nonce of @size. */
void               rtc_plpmtud_handle_ack (RtcPlpmtud * pmtud,
                                           guint64 now_us, guint64 nonce,
                                           guint size);
/* The packetization layer saw loss of packets larger than the base
 * (a retransmission): the PLPMTU may have become a black hole. */
void               rtc_plpmtud_loss_hint (RtcPlpmtud * pmtud,
                                          guint64 now_us);
/* When rtc_plpmtud_poll_probe() next has something to do (G_MAXUINT64:
 * nothing planned). */
guint64            rtc_plpmtud_next_deadline (RtcPlpmtud * pmtud);

guint              rtc_plpmtud_get_pmtu (RtcPlpmtud * pmtud);
RtcPlpmtudState    rtc_plpmtud_get_state (RtcPlpmtud * pmtud);
const gchar *      rtc_plpmtud_state_name (RtcPlpmtudState state);

/* The probe packet: @size bytes (a multiple of 4, at least
 * RTC_PLPMTUD_MIN_PROBE, at most 65535) written to @packet in @form,
 * checksum included. @vtag: the peer's verification tag, as our packets
 * carry it. Any alignment of @packet. */
void               rtc_plpmtud_build_probe (guint8 * packet, guint size,
                                            guint16 src_port,
                                            guint16 dst_port, guint32 vtag,
                                            guint64 nonce,
                                            RtcPlpmtudProbeForm form);
/* Where in @packet (checksum already checked) the answer to one of our
 * probes is, either form, with its nonce and size; -1 when there is none.
 * An answer to a padded probe counts only when it is as large as the
 * probe. Reads only; any alignment. */
gssize             rtc_plpmtud_find_ack (const guint8 * packet, gsize len,
                                         guint64 * nonce, guint * size);
/* rtc_plpmtud_find_ack(), and the HEARTBEAT ACK chunk taken out of
 * @packet (*len shrinks; 12 when nothing else was in it). */
gboolean           rtc_plpmtud_take_ack (guint8 * packet, gsize * len,
                                         guint64 * nonce, guint * size);

/* TRUE when @packet (checksum already checked) is an INIT ACK from KAME's
 * SCTP code (usrsctp, FreeBSD), known to skip PAD chunks. Reads only. */
gboolean           rtc_plpmtud_peer_skips_pad (const guint8 * packet,
                                               gsize len);

G_END_DECLS
