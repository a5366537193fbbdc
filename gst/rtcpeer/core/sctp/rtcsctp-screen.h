/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* What of an SCTP packet from the peer may reach usrsctp: a pure function
 * of the packet's bytes, applied after the checksum and before
 * usrsctp_conninput().
 *
 * usrsctp 0.9.5.0 is the last release and every distribution ships it;
 * fixes for input a peer can craft landed upstream after it (a zero-length
 * parameter in an INIT on an established association loops forever in
 * sctp_are_there_new_addresses(), stopping the thread that carries every
 * other association of the process). The association is ours and its
 * shape is known (rtcsctp-global.c: no AUTH, no ASCONF, no PKTDROP, no
 * NR-SACK, no ECN, no I-DATA; PR-SCTP and RE-CONFIG), so the screen lets
 * through only the chunks it needs, each well formed:
 *
 *   the chunk walk   every chunk at least 4 bytes and inside the packet,
 *                    padding to 4 (the last chunk's may be missing), no
 *                    stray bytes after the last chunk
 *   INIT, INIT ACK   never once the association is up (a second one can
 *                    only be a restart, which data channels cannot follow,
 *                    or an attack); alone in their packet; every parameter
 *                    at least 4 bytes and inside the chunk, the address
 *                    and cookie-preservative ones of their fixed sizes
 *   DATA, SACK, HEARTBEAT (ACK), ABORT, SHUTDOWN*, ERROR, COOKIE*,
 *   RE-CONFIG, FORWARD TSN, PAD
 *                    the sizes RFC 9260, RFC 6525 and RFC 3758 give them;
 *                    TLVs (parameters, error causes) walked as for INIT;
 *                    RE-CONFIG with one or two known requests
 *   anything else    as RFC 9260 section 3.2 says of a chunk type the
 *                    receiver does not know, by the top two bits of the
 *                    type: 00 and 01 stop the packet there (the chunks
 *                    before it still count), 10 and 11 skip the chunk.
 *                    That covers the chunks of extensions we did not
 *                    negotiate, which usrsctp would otherwise parse.
 *
 * A malformed chunk drops the whole packet: the peer retransmits what
 * mattered, and a well-behaved peer never sends one. */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  RTC_SCTP_SCREEN_PASS,         /* as it is */
  RTC_SCTP_SCREEN_TRIM,         /* what rtc_sctp_screen_trim() leaves */
  RTC_SCTP_SCREEN_DROP,         /* nothing of it */
} RtcSctpScreenVerdict;

/* @established: the association is up. @why (may be NULL) is set to a
 * static description when the verdict is not PASS. Reads only; any
 * alignment. */
RtcSctpScreenVerdict rtc_sctp_screen (const guint8 * packet, gsize len,
                                      gboolean established,
                                      const gchar ** why);
/* For a TRIM verdict: removes the chunks to skip (and everything after a
 * chunk that stops the packet) in place; returns the new length. */
gsize                rtc_sctp_screen_trim (guint8 * packet, gsize len,
                                           gboolean established);

G_END_DECLS
