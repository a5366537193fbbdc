/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "rtcsctp-screen.h"
#include "rtcsctp-wire.h"

/* Chunk types, RFC 9260 section 3.2 and the extensions' RFCs. */
enum
{
  DATA = 0,
  INIT = 1,
  INIT_ACK = 2,
  SACK = 3,
  HEARTBEAT = 4,
  HEARTBEAT_ACK = 5,
  ABORT = 6,
  SHUTDOWN = 7,
  SHUTDOWN_ACK = 8,
  ERROR = 9,
  COOKIE_ECHO = 10,
  COOKIE_ACK = 11,
  SHUTDOWN_COMPLETE = 14,
  RE_CONFIG = 0x82,             /* RFC 6525 */
  PAD = 0x84,                   /* RFC 4820 */
  FORWARD_TSN = 0xc0,           /* RFC 3758 */
};

/* INIT and INIT ACK fields before the parameters (RFC 9260 3.3.2). */
#define INIT_FIXED 20

typedef enum
{
  KEEP,
  SKIP,                         /* this chunk goes */
  STOP,                         /* this chunk and all after it go */
  BAD,                          /* the packet goes */
} Action;

static gsize
pad4 (gsize n)
{
  return (n + 3) & ~(gsize) 3;
}

/* A TLV whose length is not what its type has: FALSE. */
typedef gboolean (*TlvCheck) (guint16 type, guint16 len);

/* RFC 9260 section 3.2.1: type, length (header included, padding not),
 * value, padding to 4 except after the last one, whose padding lies
 * outside the chunk. */
static gboolean
walk_tlvs (const guint8 * p, gsize len, TlvCheck check, guint * count,
    const gchar ** why)
{
  gsize off = 0;
  guint n = 0;

  while (off < len) {
    guint16 type, tlen;

    if (len - off < 4) {
      *why = "stray bytes after the last parameter";
      return FALSE;
    }
    type = rtc_wire_get16 (p + off);
    tlen = rtc_wire_get16 (p + off + 2);
    if (tlen < 4) {
      *why = "a parameter shorter than its header";
      return FALSE;
    }
    if (tlen > len - off) {
      *why = "a parameter running past its chunk";
      return FALSE;
    }
    if (check && !check (type, tlen)) {
      *why = "a parameter of the wrong size for its type";
      return FALSE;
    }
    n++;
    off += MIN (pad4 (tlen), len - off);
  }
  if (count)
    *count = n;
  return TRUE;
}

/* RFC 9260 sections 3.3.2.1 and 3.3.3.1, RFC 3758 section 3.1 */
static gboolean
init_param_ok (guint16 type, guint16 len)
{
  switch (type) {
    case 5:                    /* IPv4 address */
      return len == 8;
    case 6:                    /* IPv6 address */
      return len == 20;
    case 7:                    /* state cookie */
      return len > 4;
    case 9:                    /* cookie preservative */
      return len == 8;
    case 12:                   /* supported address types */
      return len % 2 == 0;
    case 0x8000:               /* ECN capable */
    case 0xc000:               /* forward TSN supported */
      return len == 4;
    default:
      return TRUE;
  }
}

/* RFC 9260 section 3.3.10 */
static gboolean
cause_ok (guint16 code, guint16 len)
{
  switch (code) {
    case 1:                    /* invalid stream identifier */
    case 3:                    /* stale cookie */
      return len == 8;
    default:
      return TRUE;
  }
}

/* RFC 6525 section 4 */
static gboolean
reconfig_param_ok (guint16 type, guint16 len)
{
  switch (type) {
    case 13:                   /* outgoing SSN reset request */
      return len >= 16 && len % 2 == 0;
    case 14:                   /* incoming SSN reset request */
      return len >= 8 && len % 2 == 0;
    case 15:                   /* SSN/TSN reset request */
      return len == 8;
    case 16:                   /* re-configuration response */
      return len == 12 || len == 20;
    case 17:                   /* add outgoing streams */
    case 18:                   /* add incoming streams */
      return len == 12;
    default:
      return FALSE;
  }
}

static Action
check_chunk (const guint8 * c, guint16 clen, gboolean established,
    const gchar ** why)
{
  guint n;

  switch (c[0]) {
    case DATA:
      /* RFC 9260 3.3.1: a DATA chunk carries at least one byte */
      if (clen <= 16) {
        *why = "a DATA chunk without user data";
        return BAD;
      }
      return KEEP;
    case INIT:
    case INIT_ACK:
      if (established) {
        *why = "an INIT or INIT ACK on the established association";
        return BAD;
      }
      if (clen < INIT_FIXED) {
        *why = "a truncated INIT or INIT ACK";
        return BAD;
      }
      return walk_tlvs (c + INIT_FIXED, clen - INIT_FIXED, init_param_ok,
          NULL, why) ? KEEP : BAD;
    case SACK:
      /* RFC 9260 3.3.4: 16 bytes, then the gap blocks and duplicates */
      if (clen < 16 || clen != 16 + 4 * ((gsize) rtc_wire_get16 (c + 12) +
              rtc_wire_get16 (c + 14))) {
        *why = "a SACK whose length does not match its blocks";
        return BAD;
      }
      return KEEP;
    case HEARTBEAT:
    case HEARTBEAT_ACK:
      /* RFC 9260 3.3.5: at least the Heartbeat Info TLV */
      if (!walk_tlvs (c + 4, clen - 4, NULL, &n, why))
        return BAD;
      if (n == 0 || rtc_wire_get16 (c + 4) != 1) {
        *why = "a HEARTBEAT without Heartbeat Info";
        return BAD;
      }
      return KEEP;
    case ABORT:
    case ERROR:
      return walk_tlvs (c + 4, clen - 4, cause_ok, NULL, why) ? KEEP : BAD;
    case SHUTDOWN:
      if (clen != 8) {
        *why = "a SHUTDOWN of the wrong size";
        return BAD;
      }
      return KEEP;
    case SHUTDOWN_ACK:
    case COOKIE_ACK:
    case SHUTDOWN_COMPLETE:
      if (clen != 4) {
        *why = "a chunk that has no value carries one";
        return BAD;
      }
      return KEEP;
    case COOKIE_ECHO:
      if (clen <= 4) {
        *why = "a COOKIE ECHO without a cookie";
        return BAD;
      }
      return KEEP;
    case RE_CONFIG:
      /* RFC 6525 3.1: one request or response, or two of them */
      if (!walk_tlvs (c + 4, clen - 4, reconfig_param_ok, &n, why))
        return BAD;
      if (n == 0 || n > 2) {
        *why = "a RE-CONFIG with no or too many parameters";
        return BAD;
      }
      return KEEP;
    case FORWARD_TSN:
      /* RFC 3758 3.2: the new cumulative TSN, then stream/sequence pairs */
      if (clen < 8 || (clen - 8) % 4 != 0) {
        *why = "a FORWARD TSN of the wrong size";
        return BAD;
      }
      return KEEP;
    case PAD:
      return KEEP;
    default:
      /* RFC 9260 3.2: what the top two bits ask of a receiver that does
       * not know the type */
      *why = "a chunk type this association does not use";
      return (c[0] & 0x80) ? SKIP : STOP;
  }
}

/* Walks the chunks; with @out, moves the kept ones down over the removed
 * ones in place (@out is @p) and sets *out_len. */
static RtcSctpScreenVerdict
screen (const guint8 * p, gsize len, gboolean established, guint8 * out,
    gsize * out_len, const gchar ** why)
{
  const gchar *dummy;
  gsize off = 12, kept_len = 12;
  guint n = 0, kept = 0;
  gboolean alone = FALSE, removed = FALSE;

  if (why == NULL)
    why = &dummy;
  *why = NULL;

  if (len < 12 + 4) {
    *why = "no chunk";
    return RTC_SCTP_SCREEN_DROP;
  }
  if (rtc_wire_get16 (p) == 0 || rtc_wire_get16 (p + 2) == 0) {
    *why = "port 0";
    return RTC_SCTP_SCREEN_DROP;
  }

  while (off < len) {
    guint16 clen;
    gsize step;
    Action action;

    if (len - off < 4) {
      *why = "stray bytes after the last chunk";
      return RTC_SCTP_SCREEN_DROP;
    }
    clen = rtc_wire_get16 (p + off + 2);
    if (clen < 4) {
      *why = "a chunk shorter than its header";
      return RTC_SCTP_SCREEN_DROP;
    }
    if (clen > len - off) {
      *why = "a chunk running past the packet";
      return RTC_SCTP_SCREEN_DROP;
    }
    /* the last chunk's padding may be left out */
    step = MIN (pad4 (clen), len - off);
    n++;
    if (p[off] == INIT || p[off] == INIT_ACK || p[off] == SHUTDOWN_COMPLETE)
      alone = TRUE;
    if (p[off] == INIT && rtc_wire_get32 (p + 4) != 0) {
      /* RFC 9260 8.5.1 */
      *why = "an INIT with a verification tag";
      return RTC_SCTP_SCREEN_DROP;
    }

    action = check_chunk (p + off, clen, established, why);
    if (action == BAD)
      return RTC_SCTP_SCREEN_DROP;
    if (action == STOP) {
      removed = TRUE;
      break;
    }
    if (action == SKIP) {
      removed = TRUE;
    } else {
      if (out && removed)
        memmove (out + kept_len, p + off, step);
      kept_len += step;
      kept++;
    }
    off += step;
  }

  /* RFC 9260 6.10 */
  if (alone && n > 1) {
    *why = "an INIT, INIT ACK or SHUTDOWN COMPLETE bundled with other chunks";
    return RTC_SCTP_SCREEN_DROP;
  }
  if (kept == 0) {
    if (*why == NULL)
      *why = "no chunk";
    return RTC_SCTP_SCREEN_DROP;
  }
  if (out_len)
    *out_len = kept_len;
  if (!removed) {
    *why = NULL;
    return RTC_SCTP_SCREEN_PASS;
  }
  return RTC_SCTP_SCREEN_TRIM;
}

RtcSctpScreenVerdict
rtc_sctp_screen (const guint8 * packet, gsize len, gboolean established,
    const gchar ** why)
{
  g_return_val_if_fail (packet != NULL || len == 0, RTC_SCTP_SCREEN_DROP);

  return screen (packet, len, established, NULL, NULL, why);
}

gsize
rtc_sctp_screen_trim (guint8 * packet, gsize len, gboolean established)
{
  gsize out_len = len;

  g_return_val_if_fail (packet != NULL, 0);

  if (screen (packet, len, established, packet, &out_len, NULL) ==
      RTC_SCTP_SCREEN_DROP)
    return 0;
  return out_len;
}
