/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* DCEP (RFC 8832) and the data-channel bookkeeping that consumes it: the
 * input is a script of what the peer sends (messages on any stream with
 * any PPID, stream resets) mixed with what our side does (create, close,
 * send, the association going down and up), so the set's state machine
 * meets remote input in every state. Every message is also parsed alone
 * and, when it is an OPEN, written back and parsed again to the same
 * fields.
 *
 *   byte 0: DTLS role (bit 0), association up from the start (bit 1)
 *   then ops, each an opcode byte and its operands:
 *     0 message   stream:2 ppid:1 len:1 data:len  (ppid 0..7 picks 50..57,
 *                                                  anything else is used)
 *     1 create    flags:1 id:2 value:1
 *     2 close     n:1          (nth channel)
 *     3 reset     stream:2     (the peer reset its outgoing stream)
 *     4 send      n:1 flags:1 len:1
 *     5 down / 6 up
 */

#include <string.h>

#include "fuzz-common.h"
#include "sctp/rtcdatachannels.h"
#include "sctp/rtcdcep.h"

typedef struct
{
  const guint8 *p;
  gsize left;
} Reader;

static gboolean
take (Reader * r, gsize n, const guint8 ** out)
{
  if (r->left < n)
    return FALSE;
  *out = r->p;
  r->p += n;
  r->left -= n;
  return TRUE;
}

static void
drain (RtcDataChannels * dcs)
{
  RtcDcAction a = { 0, };

  while (rtc_data_channels_poll_action (dcs, &a)) {
    g_assert (rtc_dc_action_type_name (a.type) != NULL);
    if (a.type == RTC_DC_ACTION_SEND)
      g_assert (a.data != NULL);
    rtc_dc_action_clear (&a);
  }
}

/* The codec alone: whatever parses as an OPEN encodes back to bytes that
 * parse to the same channel. */
static void
check_codec (const guint8 * data, gsize len)
{
  RtcDcepMessage msg = { 0, }, again = { 0, };
  GError *error = NULL;
  GBytes *b;

  if (!rtc_dcep_parse (data, len, &msg, &error)) {
    g_assert (error != NULL && error->domain == RTC_DCEP_ERROR);
    g_error_free (error);
    return;
  }
  g_assert (error == NULL);
  if (msg.type == RTC_DCEP_MESSAGE_OPEN) {
    b = rtc_dcep_build_open (&msg.open);
    g_assert (b != NULL);
    g_assert (rtc_dcep_parse (g_bytes_get_data (b, NULL),
            g_bytes_get_size (b), &again, NULL));
    g_assert (again.type == RTC_DCEP_MESSAGE_OPEN);
    g_assert (again.open.channel_type == msg.open.channel_type);
    g_assert (again.open.priority == msg.open.priority);
    g_assert (again.open.label_len == msg.open.label_len);
    g_assert (again.open.protocol_len == msg.open.protocol_len);
    g_assert (memcmp (again.open.label, msg.open.label,
            msg.open.label_len) == 0);
    g_assert (memcmp (again.open.protocol, msg.open.protocol,
            msg.open.protocol_len) == 0);
    rtc_dcep_message_clear (&again);
    g_bytes_unref (b);
  }
  rtc_dcep_message_clear (&msg);
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  Reader r = { data, size };
  RtcDataChannels *dcs;
  const guint8 *b, *op;

  rtc_fuzz_init ();
  if (!take (&r, 1, &b))
    return 0;
  dcs = rtc_data_channels_new ();
  g_assert (rtc_data_channels_set_dtls_role (dcs, b[0] & 1, NULL));
  if (b[0] & 2)
    rtc_data_channels_on_connected (dcs);
  drain (dcs);

  while (take (&r, 1, &op)) {
    switch (op[0] % 7) {
      case 0:{
        const guint8 *h, *payload;
        guint32 ppid;
        gsize n;

        if (!take (&r, 4, &h))
          goto done;
        n = MIN (h[3], r.left);
        take (&r, n, &payload);
        ppid = h[2] < 8 ? RTC_SCTP_PPID_DCEP + h[2] : h[2];
        check_codec (payload, n);
        rtc_data_channels_handle_message (dcs, ((h[0] << 8) | h[1]), ppid,
            payload, n);
        break;
      }
      case 1:{
        RtcDataChannelOptions opts;
        RtcDataChannel *ch;
        const guint8 *h;

        if (!take (&r, 4, &h))
          goto done;
        rtc_data_channel_options_init (&opts);
        opts.label = (h[0] & 1) ? "chat" : NULL;
        opts.ordered = !(h[0] & 2);
        opts.negotiated = (h[0] & 4) != 0;
        opts.id = opts.negotiated || (h[0] & 8) ?
            ((h[1] << 8) | h[2]) : -1;
        if (h[0] & 16)
          opts.max_retransmits = h[3];
        else if (h[0] & 32)
          opts.max_packet_lifetime = h[3];
        opts.priority = h[0] >> 6;
        ch = rtc_data_channels_create (dcs, &opts, NULL);
        if (ch)
          rtc_data_channel_unref (ch);
        break;
      }
      case 2:{
        const guint8 *h;
        guint n = rtc_data_channels_get_n_channels (dcs);

        if (!take (&r, 1, &h))
          goto done;
        if (n > 0)
          rtc_data_channels_close (dcs, rtc_data_channels_get_nth (dcs,
                  h[0] % n));
        break;
      }
      case 3:{
        const guint8 *h;

        if (!take (&r, 2, &h))
          goto done;
        rtc_data_channels_on_stream_reset (dcs, ((h[0] << 8) | h[1]));
        break;
      }
      case 4:{
        static const guint8 msg[255] = { 'x', };
        const guint8 *h;
        guint n = rtc_data_channels_get_n_channels (dcs);
        RtcDcSend out;

        if (!take (&r, 3, &h))
          goto done;
        if (n > 0 && rtc_data_channels_prepare_send (dcs,
                rtc_data_channels_get_nth (dcs, h[0] % n), h[1] & 1, msg,
                h[2], &out, NULL))
          g_assert (out.payload_len > 0);
        break;
      }
      case 5:
        rtc_data_channels_on_disconnected (dcs);
        break;
      default:
        rtc_data_channels_on_connected (dcs);
        break;
    }
    drain (dcs);
  }
done:
  rtc_data_channels_free (dcs);
  return 0;
}
