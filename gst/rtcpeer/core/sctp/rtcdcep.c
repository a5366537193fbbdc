/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include "rtcdcep.h"

/* Bit 7 of the Channel Type: unordered delivery (RFC 8832 section 5.1). */
#define CHANNEL_UNORDERED_BIT 0x80
#define CHANNEL_POLICY_MASK 0x7f

GQuark
rtc_dcep_error_quark (void)
{
  return g_quark_from_static_string ("rtc-dcep-error-quark");
}

static guint16
read_u16 (const guint8 * p)
{
  return (guint16) ((p[0] << 8) | p[1]);
}

static guint32
read_u32 (const guint8 * p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) |
      ((guint32) p[2] << 8) | (guint32) p[3];
}

static void
write_u16 (guint8 * p, guint16 v)
{
  p[0] = v >> 8;
  p[1] = v & 0xff;
}

static void
write_u32 (guint8 * p, guint32 v)
{
  p[0] = v >> 24;
  p[1] = (v >> 16) & 0xff;
  p[2] = (v >> 8) & 0xff;
  p[3] = v & 0xff;
}

gboolean
rtc_dcep_channel_type_is_valid (guint8 channel_type)
{
  switch (channel_type) {
    case RTC_DCEP_CHANNEL_RELIABLE:
    case RTC_DCEP_CHANNEL_PARTIAL_RELIABLE_REXMIT:
    case RTC_DCEP_CHANNEL_PARTIAL_RELIABLE_TIMED:
    case RTC_DCEP_CHANNEL_RELIABLE_UNORDERED:
    case RTC_DCEP_CHANNEL_PARTIAL_RELIABLE_REXMIT_UNORDERED:
    case RTC_DCEP_CHANNEL_PARTIAL_RELIABLE_TIMED_UNORDERED:
      return TRUE;
    default:
      return FALSE;
  }
}

const gchar *
rtc_dcep_channel_type_name (RtcDcepChannelType channel_type)
{
  switch (channel_type) {
    case RTC_DCEP_CHANNEL_RELIABLE:
      return "DATA_CHANNEL_RELIABLE";
    case RTC_DCEP_CHANNEL_PARTIAL_RELIABLE_REXMIT:
      return "DATA_CHANNEL_PARTIAL_RELIABLE_REXMIT";
    case RTC_DCEP_CHANNEL_PARTIAL_RELIABLE_TIMED:
      return "DATA_CHANNEL_PARTIAL_RELIABLE_TIMED";
    case RTC_DCEP_CHANNEL_RELIABLE_UNORDERED:
      return "DATA_CHANNEL_RELIABLE_UNORDERED";
    case RTC_DCEP_CHANNEL_PARTIAL_RELIABLE_REXMIT_UNORDERED:
      return "DATA_CHANNEL_PARTIAL_RELIABLE_REXMIT_UNORDERED";
    case RTC_DCEP_CHANNEL_PARTIAL_RELIABLE_TIMED_UNORDERED:
      return "DATA_CHANNEL_PARTIAL_RELIABLE_TIMED_UNORDERED";
    default:
      return "unknown";
  }
}

/* The copy is NUL-terminated whatever the bytes are, so callers can treat
 * label and protocol as C strings; the RFC asks for UTF-8 but validating it
 * is the caller's policy, not the codec's. */
static gchar *
copy_field (const guint8 * p, gsize len)
{
  gchar *s = g_malloc (len + 1);

  if (len > 0)
    memcpy (s, p, len);
  s[len] = '\0';
  return s;
}

static gboolean
parse_open (const guint8 * data, gsize len, RtcDcepOpen * open, GError ** error)
{
  guint16 label_len, protocol_len;
  gsize rest;

  /* https://www.rfc-editor.org/rfc/rfc8832#section-5.1 */
  if (len < RTC_DCEP_OPEN_HEADER_LEN) {
    g_set_error (error, RTC_DCEP_ERROR, RTC_DCEP_ERROR_TRUNCATED,
        "DATA_CHANNEL_OPEN header truncated: %" G_GSIZE_FORMAT
        " bytes, need %d", len, RTC_DCEP_OPEN_HEADER_LEN);
    return FALSE;
  }
  if (!rtc_dcep_channel_type_is_valid (data[1])) {
    g_set_error (error, RTC_DCEP_ERROR, RTC_DCEP_ERROR_UNKNOWN_CHANNEL_TYPE,
        "DATA_CHANNEL_OPEN has unknown channel type 0x%02x", data[1]);
    return FALSE;
  }

  label_len = read_u16 (data + 8);
  protocol_len = read_u16 (data + 10);
  rest = len - RTC_DCEP_OPEN_HEADER_LEN;
  if (label_len > rest) {
    g_set_error (error, RTC_DCEP_ERROR, RTC_DCEP_ERROR_TRUNCATED,
        "DATA_CHANNEL_OPEN label length %u runs past the end of the "
        "message (%" G_GSIZE_FORMAT " bytes left)", label_len, rest);
    return FALSE;
  }
  rest -= label_len;
  if (protocol_len > rest) {
    g_set_error (error, RTC_DCEP_ERROR, RTC_DCEP_ERROR_TRUNCATED,
        "DATA_CHANNEL_OPEN protocol length %u runs past the end of the "
        "message (%" G_GSIZE_FORMAT " bytes left after the label)",
        protocol_len, rest);
    return FALSE;
  }
  rest -= protocol_len;
  if (rest > 0) {
    g_set_error (error, RTC_DCEP_ERROR, RTC_DCEP_ERROR_TRAILING_DATA,
        "DATA_CHANNEL_OPEN has %" G_GSIZE_FORMAT " bytes after the label "
        "(%u) and protocol (%u) lengths account for", rest, label_len,
        protocol_len);
    return FALSE;
  }

  open->channel_type = data[1];
  open->priority = read_u16 (data + 2);
  open->reliability = read_u32 (data + 4);
  /* "For reliable data channels, this field MUST be set to 0 on the sending
   * side and MUST be ignored on the receiving side." */
  if ((open->channel_type & CHANNEL_POLICY_MASK) == RTC_DCEP_CHANNEL_RELIABLE)
    open->reliability = 0;
  open->label = copy_field (data + RTC_DCEP_OPEN_HEADER_LEN, label_len);
  open->label_len = label_len;
  open->protocol = copy_field (data + RTC_DCEP_OPEN_HEADER_LEN + label_len,
      protocol_len);
  open->protocol_len = protocol_len;
  return TRUE;
}

gboolean
rtc_dcep_parse (const guint8 * data, gsize len, RtcDcepMessage * msg,
    GError ** error)
{
  g_return_val_if_fail (msg != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  memset (msg, 0, sizeof (*msg));
  if (len == 0) {
    g_set_error (error, RTC_DCEP_ERROR, RTC_DCEP_ERROR_TRUNCATED,
        "DCEP message is empty: no message type");
    return FALSE;
  }

  switch (data[0]) {
    case RTC_DCEP_MESSAGE_OPEN:
      if (!parse_open (data, len, &msg->open, error))
        return FALSE;
      msg->type = RTC_DCEP_MESSAGE_OPEN;
      return TRUE;
    case RTC_DCEP_MESSAGE_ACK:
      /* https://www.rfc-editor.org/rfc/rfc8832#section-5.2: one byte. */
      msg->type = RTC_DCEP_MESSAGE_ACK;
      return TRUE;
    default:
      /* 0x00, 0x01 and 0xff are reserved, the rest unassigned (section
       * 8.2.1); none of them can be acted on. */
      g_set_error (error, RTC_DCEP_ERROR, RTC_DCEP_ERROR_UNKNOWN_MESSAGE_TYPE,
          "DCEP message type 0x%02x is unknown (expected DATA_CHANNEL_OPEN "
          "0x03 or DATA_CHANNEL_ACK 0x02)", data[0]);
      return FALSE;
  }
}

void
rtc_dcep_message_clear (RtcDcepMessage * msg)
{
  if (msg == NULL)
    return;
  g_free (msg->open.label);
  g_free (msg->open.protocol);
  memset (msg, 0, sizeof (*msg));
}

gsize
rtc_dcep_open_size (const RtcDcepOpen * open)
{
  g_return_val_if_fail (open != NULL, 0);

  if (!rtc_dcep_channel_type_is_valid (open->channel_type))
    return 0;
  if (open->label_len > G_MAXUINT16 || open->protocol_len > G_MAXUINT16)
    return 0;
  if ((open->label_len > 0 && open->label == NULL) ||
      (open->protocol_len > 0 && open->protocol == NULL))
    return 0;
  return RTC_DCEP_OPEN_HEADER_LEN + open->label_len + open->protocol_len;
}

gsize
rtc_dcep_write_open (const RtcDcepOpen * open, guint8 * buf, gsize size)
{
  gsize need;
  guint32 reliability;

  g_return_val_if_fail (open != NULL, 0);

  need = rtc_dcep_open_size (open);
  if (need == 0 || buf == NULL || size < need)
    return 0;

  /* Reliable channels MUST send 0 (RFC 8832 section 5.1). */
  reliability = (open->channel_type & CHANNEL_POLICY_MASK) ==
      RTC_DCEP_CHANNEL_RELIABLE ? 0 : open->reliability;

  buf[0] = RTC_DCEP_MESSAGE_OPEN;
  buf[1] = open->channel_type;
  write_u16 (buf + 2, open->priority);
  write_u32 (buf + 4, reliability);
  write_u16 (buf + 8, open->label_len);
  write_u16 (buf + 10, open->protocol_len);
  if (open->label_len > 0)
    memcpy (buf + RTC_DCEP_OPEN_HEADER_LEN, open->label, open->label_len);
  if (open->protocol_len > 0)
    memcpy (buf + RTC_DCEP_OPEN_HEADER_LEN + open->label_len, open->protocol,
        open->protocol_len);
  return need;
}

gsize
rtc_dcep_write_ack (guint8 * buf, gsize size)
{
  if (buf == NULL || size < 1)
    return 0;
  buf[0] = RTC_DCEP_MESSAGE_ACK;
  return 1;
}

GBytes *
rtc_dcep_build_open (const RtcDcepOpen * open)
{
  gsize need = rtc_dcep_open_size (open);
  guint8 *buf;

  if (need == 0)
    return NULL;
  buf = g_malloc (need);
  rtc_dcep_write_open (open, buf, need);
  return g_bytes_new_take (buf, need);
}

GBytes *
rtc_dcep_build_ack (void)
{
  static const guint8 ack[] = { RTC_DCEP_MESSAGE_ACK };

  return g_bytes_new_static (ack, sizeof (ack));
}

gboolean
rtc_dcep_channel_type_from_options (gboolean ordered, gint max_retransmits,
    gint max_packet_lifetime, RtcDcepChannelType * type,
    guint32 * reliability, GError ** error)
{
  guint8 t;
  guint32 r;

  if (max_retransmits < -1 || max_packet_lifetime < -1) {
    g_set_error (error, RTC_DCEP_ERROR, RTC_DCEP_ERROR_INVALID_OPTIONS,
        "max-retransmits (%d) and max-packet-lifetime (%d) must be -1 "
        "(unset) or non-negative", max_retransmits, max_packet_lifetime);
    return FALSE;
  }
  /* https://w3c.github.io/webrtc-pc/#dom-peerconnection-createdatachannel:
   * "If both [[MaxPacketLifeTime]] and [[MaxRetransmits]] attributes are
   * set (not null), throw a TypeError." SCTP has one PR policy per message. */
  if (max_retransmits >= 0 && max_packet_lifetime >= 0) {
    g_set_error (error, RTC_DCEP_ERROR, RTC_DCEP_ERROR_INVALID_OPTIONS,
        "max-retransmits (%d) and max-packet-lifetime (%d) cannot both be "
        "set", max_retransmits, max_packet_lifetime);
    return FALSE;
  }

  if (max_retransmits >= 0) {
    t = RTC_DCEP_CHANNEL_PARTIAL_RELIABLE_REXMIT;
    r = max_retransmits;
  } else if (max_packet_lifetime >= 0) {
    t = RTC_DCEP_CHANNEL_PARTIAL_RELIABLE_TIMED;
    r = max_packet_lifetime;
  } else {
    t = RTC_DCEP_CHANNEL_RELIABLE;
    r = 0;
  }
  if (!ordered)
    t |= CHANNEL_UNORDERED_BIT;

  if (type)
    *type = t;
  if (reliability)
    *reliability = r;
  return TRUE;
}

void
rtc_dcep_channel_type_to_options (RtcDcepChannelType type,
    guint32 reliability, gboolean * ordered, gint * max_retransmits,
    gint * max_packet_lifetime)
{
  gint value = reliability > G_MAXINT ? G_MAXINT : (gint) reliability;
  gint rexmit = -1, lifetime = -1;

  switch (type & CHANNEL_POLICY_MASK) {
    case RTC_DCEP_CHANNEL_PARTIAL_RELIABLE_REXMIT:
      rexmit = value;
      break;
    case RTC_DCEP_CHANNEL_PARTIAL_RELIABLE_TIMED:
      lifetime = value;
      break;
    default:
      break;
  }

  if (ordered)
    *ordered = (type & CHANNEL_UNORDERED_BIT) == 0;
  if (max_retransmits)
    *max_retransmits = rexmit;
  if (max_packet_lifetime)
    *max_packet_lifetime = lifetime;
}
