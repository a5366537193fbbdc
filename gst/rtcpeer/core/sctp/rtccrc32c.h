/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* CRC32c (Castagnoli), the SCTP checksum of RFC 9260 appendix A.
 *
 * usrsctp computes it with a table, a byte at a time, for every packet in
 * both directions: at data channel rates that was 8% of the profile. We
 * tell usrsctp the checksum is "offloaded" and compute it here, with the
 * CPU's crc32 instruction where there is one. */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The plain CRC32c value (0xe3069283 for "123456789"). */
guint32            rtc_crc32c (const guint8 * data, gsize len);

/* Writes the checksum of an SCTP packet (common header first) into its
 * header. */
void               rtc_sctp_checksum_fill (guint8 * packet, gsize len);
/* Whether the checksum in the header is right. */
gboolean           rtc_sctp_checksum_valid (const guint8 * packet, gsize len);

/* Whether rtc_crc32c() uses the crc32 instruction (for the record). */
gboolean           rtc_crc32c_is_hardware (void);

G_END_DECLS
