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

/* The reflected Castagnoli polynomial. */
#define POLY 0x82f63b78u

static guint32 table[8][256];

static void
init_table (void)
{
  guint i, j;

  for (i = 0; i < 256; i++) {
    guint32 c = i;

    for (j = 0; j < 8; j++)
      c = (c >> 1) ^ (c & 1 ? POLY : 0);
    table[0][i] = c;
  }
  /* slicing by 8: table[k][i] is the CRC of byte i followed by k zeros */
  for (i = 0; i < 256; i++)
    for (j = 1; j < 8; j++)
      table[j][i] = (table[j - 1][i] >> 8) ^ table[0][table[j - 1][i] & 0xff];
}

static guint32
crc_soft (guint32 crc, const guint8 * p, gsize len)
{
  while (len >= 8) {
    /* bytes, not GST_READ_UINT32_LE: @p may have any alignment */
    guint32 lo = crc ^ (p[0] | (p[1] << 8) | (p[2] << 16) |
        ((guint32) p[3] << 24));
    guint32 hi = p[4] | (p[5] << 8) | (p[6] << 16) | ((guint32) p[7] << 24);

    crc = table[7][lo & 0xff] ^ table[6][(lo >> 8) & 0xff] ^
        table[5][(lo >> 16) & 0xff] ^ table[4][lo >> 24] ^
        table[3][hi & 0xff] ^ table[2][(hi >> 8) & 0xff] ^
        table[1][(hi >> 16) & 0xff] ^ table[0][hi >> 24];
    p += 8;
    len -= 8;
  }
  while (len--)
    crc = (crc >> 8) ^ table[0][(crc ^ *p++) & 0xff];
  return crc;
}

#if defined(__x86_64__) && defined(__GNUC__)
#define HAVE_HW_CRC 1
/* Built for SSE 4.2 whatever the compiler's target; only called when the
 * CPU has it. */
static guint32 crc_hw (guint32 crc, const guint8 * p, gsize len)
    __attribute__((target ("sse4.2")));

static guint32
crc_hw (guint32 crc, const guint8 * p, gsize len)
{
  guint64 c = crc;

  while (len >= 8) {
    guint64 v;

    memcpy (&v, p, 8);
    c = __builtin_ia32_crc32di (c, v);
    p += 8;
    len -= 8;
  }
  crc = (guint32) c;
  while (len--)
    crc = __builtin_ia32_crc32qi (crc, *p++);
  return crc;
}
#endif

typedef guint32 (*CrcFunc) (guint32 crc, const guint8 * p, gsize len);

static CrcFunc
crc_func (void)
{
  static CrcFunc func;
  static gsize done = 0;

  if (g_once_init_enter (&done)) {
    init_table ();
    func = crc_soft;
#ifdef HAVE_HW_CRC
    __builtin_cpu_init ();
    if (__builtin_cpu_supports ("sse4.2"))
      func = crc_hw;
#endif
    g_once_init_leave (&done, 1);
  }
  return func;
}

guint32
rtc_crc32c (const guint8 * data, gsize len)
{
  return ~crc_func ()(0xffffffffu, data, len);
}

gboolean
rtc_crc32c_is_hardware (void)
{
#ifdef HAVE_HW_CRC
  return crc_func () == crc_hw;
#else
  return FALSE;
#endif
}

/* RFC 9260 appendix A: computed with the checksum field zeroed, stored
 * least significant byte first (the order the reflected CRC comes out). */
void
rtc_sctp_checksum_fill (guint8 * packet, gsize len)
{
  guint32 crc;

  g_return_if_fail (len >= 12);

  memset (packet + 8, 0, 4);
  crc = rtc_crc32c (packet, len);
  packet[8] = crc & 0xff;
  packet[9] = (crc >> 8) & 0xff;
  packet[10] = (crc >> 16) & 0xff;
  packet[11] = crc >> 24;
}

gboolean
rtc_sctp_checksum_valid (const guint8 * packet, gsize len)
{
  static const guint8 zero[4] = { 0, };
  guint32 crc;
  CrcFunc f;

  if (len < 12)
    return FALSE;
  /* the packet is someone else's: skip the field instead of zeroing it */
  f = crc_func ();
  crc = f (0xffffffffu, packet, 8);
  crc = f (crc, zero, 4);
  crc = ~f (crc, packet + 12, len - 12);
  return crc == (packet[8] | (packet[9] << 8) | (packet[10] << 16) |
      ((guint32) packet[11] << 24));
}
