/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Data channel bookkeeping: stream ids by DTLS role (RFC 8832 section 6),
 * the DCEP handshake both ways, the PPID rules (RFC 8831 sections 6.6 and
 * 8) and closing by stream reset (RFC 8831 section 6.7). Every test checks
 * the exact sequence of actions the set asks its owner to carry out. */

#include <string.h>

#include "sctp/rtcdatachannels.h"

#define CONNECTING GST_WEBRTC_DATA_CHANNEL_STATE_CONNECTING
#define OPEN GST_WEBRTC_DATA_CHANNEL_STATE_OPEN
#define CLOSING GST_WEBRTC_DATA_CHANNEL_STATE_CLOSING
#define CLOSED GST_WEBRTC_DATA_CHANNEL_STATE_CLOSED

#define ANY_STREAM -1

/* Pops the next action into a (cleared first) and checks its type and
 * stream. */
static void
expect (RtcDataChannels * dcs, RtcDcAction * a, RtcDcActionType type,
    gint stream)
{
  rtc_dc_action_clear (a);
  if (!rtc_data_channels_poll_action (dcs, a))
    g_error ("expected a %s action, none queued",
        rtc_dc_action_type_name (type));
  if (a->type != type)
    g_error ("expected a %s action, got %s (stream %u%s%s)",
        rtc_dc_action_type_name (type), rtc_dc_action_type_name (a->type),
        a->stream, a->error ? ": " : "", a->error ? a->error->message : "");
  if (stream != ANY_STREAM)
    g_assert_cmpint (a->stream, ==, stream);
}

static void
expect_none (RtcDataChannels * dcs)
{
  RtcDcAction a = { 0, };

  if (rtc_data_channels_poll_action (dcs, &a))
    g_error ("expected no action, got %s (stream %u%s%s)",
        rtc_dc_action_type_name (a.type), a.stream, a.error ? ": " : "",
        a.error ? a.error->message : "");
}

/* Checks a SEND action carries a DATA_CHANNEL_OPEN and parses it. */
static void
expect_open_sent (RtcDataChannels * dcs, gint stream, RtcDcepMessage * msg)
{
  g_auto (RtcDcAction) a = { 0, };
  g_auto (RtcDcAction) open = { 0, };
  g_autoptr (GError) error = NULL;

  expect (dcs, &a, RTC_DC_ACTION_SEND, stream);
  g_assert_cmpuint (a.ppid, ==, RTC_SCTP_PPID_DCEP);
  g_assert_nonnull (a.channel);
  g_assert_true (rtc_dcep_parse (g_bytes_get_data (a.data, NULL),
          g_bytes_get_size (a.data), msg, &error));
  g_assert_no_error (error);
  g_assert_cmpint (msg->type, ==, RTC_DCEP_MESSAGE_OPEN);
  /* Open as soon as its OPEN is sent (RFC 8832 section 6 allows sending
   * before the ACK). */
  expect (dcs, &open, RTC_DC_ACTION_CHANNEL_OPEN, stream);
  g_assert_true (open.channel == a.channel);
  g_assert_cmpint (a.channel->state, ==, GST_WEBRTC_DATA_CHANNEL_STATE_OPEN);
}

static RtcDataChannels *
new_set (gboolean dtls_client, gboolean connected)
{
  RtcDataChannels *dcs = rtc_data_channels_new ();

  g_assert_true (rtc_data_channels_set_dtls_role (dcs, dtls_client, NULL));
  if (connected)
    rtc_data_channels_on_connected (dcs);
  expect_none (dcs);
  return dcs;
}

static RtcDataChannel *
create (RtcDataChannels * dcs, const gchar * label)
{
  RtcDataChannelOptions opts;
  g_autoptr (GError) error = NULL;
  RtcDataChannel *ch;

  rtc_data_channel_options_init (&opts);
  opts.label = label;
  ch = rtc_data_channels_create (dcs, &opts, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ch);
  return ch;
}

static RtcDataChannel *
create_negotiated (RtcDataChannels * dcs, const gchar * label, gint id)
{
  RtcDataChannelOptions opts;
  g_autoptr (GError) error = NULL;
  RtcDataChannel *ch;

  rtc_data_channel_options_init (&opts);
  opts.label = label;
  opts.negotiated = TRUE;
  opts.id = id;
  ch = rtc_data_channels_create (dcs, &opts, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ch);
  return ch;
}

static void
deliver_dcep_open (RtcDataChannels * dcs, guint16 stream, const gchar * label,
    const gchar * protocol, RtcDcepChannelType type, guint32 reliability,
    guint16 priority, gboolean expect_ok)
{
  RtcDcepOpen open = { 0, };
  g_autoptr (GBytes) bytes = NULL;

  open.channel_type = type;
  open.priority = priority;
  open.reliability = reliability;
  open.label = (gchar *) label;
  open.label_len = strlen (label);
  open.protocol = (gchar *) protocol;
  open.protocol_len = strlen (protocol);
  bytes = rtc_dcep_build_open (&open);
  g_assert_cmpint (rtc_data_channels_handle_message (dcs, stream,
          RTC_SCTP_PPID_DCEP, g_bytes_get_data (bytes, NULL),
          g_bytes_get_size (bytes)), ==, expect_ok);
}

static gboolean
deliver (RtcDataChannels * dcs, guint16 stream, guint32 ppid,
    const gchar * text)
{
  return rtc_data_channels_handle_message (dcs, stream, ppid,
      (const guint8 *) text, strlen (text));
}

static void
deliver_ack (RtcDataChannels * dcs, guint16 stream)
{
  static const guint8 ack[] = { RTC_DCEP_MESSAGE_ACK };

  g_assert_true (rtc_data_channels_handle_message (dcs, stream,
          RTC_SCTP_PPID_DCEP, ack, sizeof (ack)));
}

static void
expect_message (RtcDataChannels * dcs, RtcDataChannel * ch,
    gboolean is_string, const gchar * text)
{
  g_auto (RtcDcAction) a = { 0, };

  expect (dcs, &a, RTC_DC_ACTION_MESSAGE, ch->id);
  g_assert_true (a.channel == ch);
  g_assert_cmpint (a.is_string, ==, is_string);
  g_assert_cmpmem (g_bytes_get_data (a.data, NULL), g_bytes_get_size (a.data),
      text, strlen (text));
}

/* A channel of ours, open and acknowledged by the peer. */
static RtcDataChannel *
open_local (RtcDataChannels * dcs, const gchar * label)
{
  RtcDataChannel *ch = create (dcs, label);
  g_auto (RtcDcepMessage) msg = { 0, };

  expect_open_sent (dcs, ch->id, &msg);
  deliver_ack (dcs, ch->id);
  expect_none (dcs);
  g_assert_cmpint (ch->state, ==, OPEN);
  return ch;
}

/* ---- ids ------------------------------------------------------------- */

static void
check_id_parity (gboolean dtls_client)
{
  g_autoptr (RtcDataChannels) dcs = new_set (dtls_client, FALSE);
  guint first = dtls_client ? 0 : 1;
  guint i;

  for (i = 0; i < 4; i++) {
    g_autoptr (RtcDataChannel) ch = create (dcs, "c");

    g_assert_cmpint (ch->id, ==, first + 2 * i);
    g_assert_true (rtc_data_channels_lookup (dcs, ch->id) == ch);
    g_assert_cmpint (ch->state, ==, CONNECTING);
  }
  /* Not connected: nothing to send yet. */
  expect_none (dcs);
}

static void
test_id_client_even (void)
{
  check_id_parity (TRUE);
}

static void
test_id_server_odd (void)
{
  check_id_parity (FALSE);
}

/* Channels created before the DTLS role is known get their ids once it
 * is, in creation order, and their OPENs go out once connected. */
static void
test_id_deferred_until_role (void)
{
  g_autoptr (RtcDataChannels) dcs = rtc_data_channels_new ();
  g_autoptr (RtcDataChannel) a = create (dcs, "a");
  g_autoptr (RtcDataChannel) b = create (dcs, "b");
  g_autoptr (GError) error = NULL;
  g_auto (RtcDcepMessage) msg = { 0, };

  g_assert_cmpint (a->id, ==, -1);
  g_assert_cmpint (b->id, ==, -1);
  rtc_data_channels_on_connected (dcs);
  expect_none (dcs);

  g_assert_true (rtc_data_channels_set_dtls_role (dcs, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (a->id, ==, 1);
  g_assert_cmpint (b->id, ==, 3);
  expect_open_sent (dcs, 1, &msg);
  g_assert_cmpstr (msg.open.label, ==, "a");
  rtc_dcep_message_clear (&msg);
  expect_open_sent (dcs, 3, &msg);
  g_assert_cmpstr (msg.open.label, ==, "b");
  expect_none (dcs);

  /* Same role again is fine, the other one is not. */
  g_assert_true (rtc_data_channels_set_dtls_role (dcs, FALSE, &error));
  g_assert_false (rtc_data_channels_set_dtls_role (dcs, TRUE, &error));
  g_assert_error (error, RTC_DATA_CHANNELS_ERROR,
      RTC_DATA_CHANNELS_ERROR_INVALID_STATE);
}

static void
test_id_negotiated_collision (void)
{
  g_autoptr (RtcDataChannels) dcs = new_set (FALSE, FALSE);
  g_autoptr (RtcDataChannel) n7 = create_negotiated (dcs, "n7", 7);
  g_autoptr (RtcDataChannel) n4 = create_negotiated (dcs, "n4", 4);
  RtcDataChannelOptions opts;
  g_autoptr (GError) error = NULL;
  guint expect_ids[] = { 1, 3, 5, 9 };
  guint i;

  /* Either parity is fine out of band (RFC 8831 section 6.5). */
  g_assert_cmpint (n7->id, ==, 7);
  g_assert_cmpint (n4->id, ==, 4);

  rtc_data_channel_options_init (&opts);
  opts.label = "again";
  opts.negotiated = TRUE;
  opts.id = 7;
  g_assert_null (rtc_data_channels_create (dcs, &opts, &error));
  g_assert_error (error, RTC_DATA_CHANNELS_ERROR,
      RTC_DATA_CHANNELS_ERROR_ID_IN_USE);
  g_assert_nonnull (strstr (error->message, "'n7'"));

  /* Allocation steps over the negotiated id. */
  for (i = 0; i < G_N_ELEMENTS (expect_ids); i++) {
    g_autoptr (RtcDataChannel) ch = create (dcs, "auto");

    g_assert_cmpint (ch->id, ==, expect_ids[i]);
  }
  g_assert_cmpuint (rtc_data_channels_get_n_channels (dcs), ==, 6);
  expect_none (dcs);
}

typedef struct
{
  const gchar *name;
  gboolean negotiated;
  gint id;
  gint max_retransmits;
  gint max_packet_lifetime;
} BadOptions;

static const BadOptions bad_options[] = {
  {"negotiated-without-id", TRUE, -1, -1, -1},
  {"id-65535", TRUE, 65535, -1, -1},
  {"id-below-minus-one", TRUE, -2, -1, -1},
  {"id-without-negotiated", FALSE, 2, -1, -1},
  {"both-reliability-options", FALSE, -1, 1, 100},
};

static void
check_bad_options (gconstpointer data)
{
  const BadOptions *c = data;
  g_autoptr (RtcDataChannels) dcs = new_set (TRUE, TRUE);
  RtcDataChannelOptions opts;
  g_autoptr (GError) error = NULL;

  rtc_data_channel_options_init (&opts);
  opts.negotiated = c->negotiated;
  opts.id = c->id;
  opts.max_retransmits = c->max_retransmits;
  opts.max_packet_lifetime = c->max_packet_lifetime;
  g_assert_null (rtc_data_channels_create (dcs, &opts, &error));
  g_assert_error (error, RTC_DATA_CHANNELS_ERROR,
      RTC_DATA_CHANNELS_ERROR_INVALID_ARGUMENT);
  g_assert_cmpuint (rtc_data_channels_get_n_channels (dcs), ==, 0);
  expect_none (dcs);
}

static void
test_label_too_long (void)
{
  g_autoptr (RtcDataChannels) dcs = new_set (TRUE, TRUE);
  RtcDataChannelOptions opts;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *label = g_strnfill (G_MAXUINT16 + 1, 'x');

  rtc_data_channel_options_init (&opts);
  opts.label = label;
  g_assert_null (rtc_data_channels_create (dcs, &opts, &error));
  g_assert_error (error, RTC_DATA_CHANNELS_ERROR,
      RTC_DATA_CHANNELS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* Exactly 65535 bytes still fits the DCEP length field. */
  label[G_MAXUINT16] = '\0';
  {
    g_autoptr (RtcDataChannel) ch = rtc_data_channels_create (dcs, &opts,
        &error);
    g_auto (RtcDcepMessage) msg = { 0, };

    g_assert_no_error (error);
    expect_open_sent (dcs, ch->id, &msg);
    g_assert_cmpuint (msg.open.label_len, ==, G_MAXUINT16);
  }
}

/* Every id of our parity in use: the next create fails; closing one frees
 * its id for the next. */
static void
check_id_exhaustion (gboolean dtls_client)
{
  g_autoptr (RtcDataChannels) dcs = new_set (dtls_client, FALSE);
  /* Client: 0, 2, ... 65534. Server: 1, 3, ... 65533. */
  guint n = dtls_client ? 32768 : 32767;
  RtcDataChannelOptions opts;
  g_autoptr (GError) error = NULL;
  RtcDataChannel *victim = NULL;
  guint i;

  rtc_data_channel_options_init (&opts);
  opts.label = "x";
  for (i = 0; i < n; i++) {
    RtcDataChannel *ch = rtc_data_channels_create (dcs, &opts, &error);

    g_assert_no_error (error);
    g_assert_cmpint (ch->id, <=, RTC_DATA_CHANNEL_MAX_ID);
    if (ch->id == 1000 + !dtls_client)
      victim = ch;
    rtc_data_channel_unref (ch);
  }
  g_assert_cmpuint (rtc_data_channels_get_n_channels (dcs), ==, n);
  g_assert_nonnull (rtc_data_channels_lookup (dcs, dtls_client ? 65534 :
          65533));

  g_assert_null (rtc_data_channels_create (dcs, &opts, &error));
  g_assert_error (error, RTC_DATA_CHANNELS_ERROR,
      RTC_DATA_CHANNELS_ERROR_NO_FREE_ID);
  g_clear_error (&error);
  expect_none (dcs);

  /* Never on the wire, so it closes at once. */
  g_assert_nonnull (victim);
  rtc_data_channels_close (dcs, victim);
  {
    g_auto (RtcDcAction) a = { 0, };
    g_autoptr (RtcDataChannel) ch = NULL;

    expect (dcs, &a, RTC_DC_ACTION_CHANNEL_CLOSED, 1000 + !dtls_client);
    ch = rtc_data_channels_create (dcs, &opts, &error);
    g_assert_no_error (error);
    g_assert_cmpint (ch->id, ==, 1000 + !dtls_client);
  }
}

static void
test_id_exhaustion_client (void)
{
  check_id_exhaustion (TRUE);
}

static void
test_id_exhaustion_server (void)
{
  check_id_exhaustion (FALSE);
}

/* ---- the DCEP handshake ----------------------------------------------- */

/* The peer (DTLS server, odd ids) opens a channel: we ACK on the same
 * stream, announce it, and it is open at once. */
static void
test_remote_open (void)
{
  g_autoptr (RtcDataChannels) dcs = new_set (TRUE, TRUE);
  g_auto (RtcDcAction) a = { 0, };
  RtcDataChannel *ch;
  RtcDcSend send;

  deliver_dcep_open (dcs, 1, "chat", "proto",
      RTC_DCEP_CHANNEL_PARTIAL_RELIABLE_REXMIT_UNORDERED, 3, 512, TRUE);

  expect (dcs, &a, RTC_DC_ACTION_SEND, 1);
  g_assert_cmpuint (a.ppid, ==, RTC_SCTP_PPID_DCEP);
  g_assert_cmpmem (g_bytes_get_data (a.data, NULL), g_bytes_get_size (a.data),
      "\x02", 1);
  ch = a.channel;
  g_assert_nonnull (ch);

  expect (dcs, &a, RTC_DC_ACTION_CHANNEL_NEW, 1);
  ch = a.channel;
  g_assert_true (rtc_data_channels_lookup (dcs, 1) == ch);
  g_assert_cmpint (ch->id, ==, 1);
  g_assert_cmpstr (ch->label, ==, "chat");
  g_assert_cmpstr (ch->protocol, ==, "proto");
  g_assert_false (ch->ordered);
  g_assert_cmpint (ch->max_retransmits, ==, 3);
  g_assert_cmpint (ch->max_packet_lifetime, ==, -1);
  g_assert_cmpuint (ch->priority, ==, 512);
  g_assert_true (ch->remote);
  g_assert_false (ch->negotiated);

  expect (dcs, &a, RTC_DC_ACTION_CHANNEL_OPEN, 1);
  g_assert_cmpint (a.channel->state, ==, OPEN);
  expect_none (dcs);

  /* The OPEN counts as hearing from the peer, so an unordered channel
   * may send unordered right away. */
  g_assert_true (rtc_data_channels_prepare_send (dcs, a.channel, FALSE,
          (const guint8 *) "x", 1, &send, NULL));
  g_assert_cmpuint (send.stream, ==, 1);
  g_assert_false (send.ordered);
  g_assert_cmpint (send.max_retransmits, ==, 3);
  g_assert_cmpint (send.max_packet_lifetime, ==, -1);
}

/* RFC 8832 section 6: an OPEN on an id of our own parity is refused with a
 * reset and no ACK. */
static void
test_remote_open_wrong_parity (void)
{
  g_autoptr (RtcDataChannels) dcs = new_set (TRUE, TRUE);
  g_auto (RtcDcAction) a = { 0, };

  deliver_dcep_open (dcs, 2, "bad", "", RTC_DCEP_CHANNEL_RELIABLE, 0, 256,
      FALSE);
  expect (dcs, &a, RTC_DC_ACTION_CHANNEL_ERROR, 2);
  g_assert_null (a.channel);
  g_assert_error (a.error, RTC_DATA_CHANNELS_ERROR,
      RTC_DATA_CHANNELS_ERROR_PROTOCOL);
  expect (dcs, &a, RTC_DC_ACTION_RESET_STREAM, 2);
  g_assert_null (a.channel);
  expect_none (dcs);
  g_assert_null (rtc_data_channels_lookup (dcs, 2));
}

/* A malformed OPEN on a fresh stream: the parser's error, a reset, no ACK,
 * no channel. */
static void
test_remote_open_truncated_label (void)
{
  static const guint8 open[] = {
    0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x0a,                 /* label length 10 ... */
    0x00, 0x00,
    'c', 'h', 'a', 't',         /* ... but 4 bytes */
  };
  g_autoptr (RtcDataChannels) dcs = new_set (TRUE, TRUE);
  g_autoptr (RtcDataChannel) other = open_local (dcs, "other");
  g_auto (RtcDcAction) a = { 0, };

  g_assert_false (rtc_data_channels_handle_message (dcs, 3,
          RTC_SCTP_PPID_DCEP, open, sizeof (open)));
  expect (dcs, &a, RTC_DC_ACTION_CHANNEL_ERROR, 3);
  g_assert_error (a.error, RTC_DCEP_ERROR, RTC_DCEP_ERROR_TRUNCATED);
  g_assert_nonnull (strstr (a.error->message, "label length 10"));
  g_assert_nonnull (strstr (a.error->message, "stream 3"));
  expect (dcs, &a, RTC_DC_ACTION_RESET_STREAM, 3);
  expect_none (dcs);
  g_assert_null (rtc_data_channels_lookup (dcs, 3));

  /* The association and the other channel carry on. */
  g_assert_true (deliver (dcs, other->id, RTC_SCTP_PPID_STRING, "still"));
  expect_message (dcs, other, TRUE, "still");
}

/* What a valid OPEN from the peer on @stream queues: the ACK, the new
 * channel, open. Returns the channel (the set's). */
static RtcDataChannel *
expect_peer_channel (RtcDataChannels * dcs, guint16 stream)
{
  g_auto (RtcDcAction) a = { 0, };
  RtcDataChannel *ch = rtc_data_channels_lookup (dcs, stream);

  g_assert_nonnull (ch);
  expect (dcs, &a, RTC_DC_ACTION_SEND, stream);
  g_assert_true (a.channel == ch);
  expect (dcs, &a, RTC_DC_ACTION_CHANNEL_NEW, stream);
  g_assert_true (a.channel == ch);
  expect (dcs, &a, RTC_DC_ACTION_CHANNEL_OPEN, stream);
  g_assert_cmpint (ch->state, ==, OPEN);
  return ch;
}

/* RFC 8832 section 6: an OPEN on a used stream closes the channel there. */
static void
test_remote_open_on_used_stream (void)
{
  g_autoptr (RtcDataChannels) dcs = new_set (TRUE, TRUE);
  g_auto (RtcDcAction) a = { 0, };
  RtcDataChannel *ch;

  deliver_dcep_open (dcs, 5, "first", "", RTC_DCEP_CHANNEL_RELIABLE, 0, 256,
      TRUE);
  ch = expect_peer_channel (dcs, 5);

  deliver_dcep_open (dcs, 5, "second", "", RTC_DCEP_CHANNEL_RELIABLE, 0, 256,
      FALSE);
  expect (dcs, &a, RTC_DC_ACTION_CHANNEL_ERROR, 5);
  g_assert_true (a.channel == ch);
  g_assert_error (a.error, RTC_DATA_CHANNELS_ERROR,
      RTC_DATA_CHANNELS_ERROR_PROTOCOL);
  expect (dcs, &a, RTC_DC_ACTION_RESET_STREAM, 5);
  g_assert_cmpint (ch->state, ==, CLOSING);
  expect_none (dcs);
}

/* The same OPEN again on the peer's open channel (webrtcbin 1.22 sends
 * one twice when the channel is created as the association comes up): no
 * second channel, no second ACK, no close; messages keep arriving. An
 * OPEN that differs in anything is still a protocol error. */
static void
test_remote_open_repeated (void)
{
  g_autoptr (RtcDataChannels) dcs = new_set (TRUE, TRUE);
  g_auto (RtcDcAction) a = { 0, };
  RtcDataChannel *ch;

  deliver_dcep_open (dcs, 5, "twice", "proto",
      RTC_DCEP_CHANNEL_PARTIAL_RELIABLE_REXMIT, 3, 256, TRUE);
  ch = expect_peer_channel (dcs, 5);

  deliver_dcep_open (dcs, 5, "twice", "proto",
      RTC_DCEP_CHANNEL_PARTIAL_RELIABLE_REXMIT, 3, 256, TRUE);
  expect_none (dcs);
  g_assert_true (rtc_data_channels_lookup (dcs, 5) == ch);
  g_assert_cmpint (ch->state, ==, OPEN);
  g_assert_true (deliver (dcs, 5, RTC_SCTP_PPID_STRING, "after"));
  expect_message (dcs, ch, TRUE, "after");

  /* Another retransmission limit is another channel. */
  deliver_dcep_open (dcs, 5, "twice", "proto",
      RTC_DCEP_CHANNEL_PARTIAL_RELIABLE_REXMIT, 4, 256, FALSE);
  expect (dcs, &a, RTC_DC_ACTION_CHANNEL_ERROR, 5);
  g_assert_error (a.error, RTC_DATA_CHANNELS_ERROR,
      RTC_DATA_CHANNELS_ERROR_PROTOCOL);
  expect (dcs, &a, RTC_DC_ACTION_RESET_STREAM, 5);
  g_assert_cmpint (ch->state, ==, CLOSING);
  expect_none (dcs);
}

/* Our OPEN to the peer comes back as its OPEN on the same stream (both
 * sides picked it): not a repeat of anything we heard. */
static void
test_remote_open_on_local_stream (void)
{
  g_autoptr (RtcDataChannels) dcs = new_set (TRUE, TRUE);
  g_autoptr (RtcDataChannel) ch = create_negotiated (dcs, "mine", 5);
  g_auto (RtcDcAction) a = { 0, };

  while (rtc_data_channels_poll_action (dcs, &a))
    rtc_dc_action_clear (&a);
  deliver_dcep_open (dcs, 5, "mine", "", RTC_DCEP_CHANNEL_RELIABLE, 0, 256,
      FALSE);
  expect (dcs, &a, RTC_DC_ACTION_CHANNEL_ERROR, 5);
  g_assert_true (a.channel == ch);
  expect (dcs, &a, RTC_DC_ACTION_RESET_STREAM, 5);
  expect_none (dcs);
}

/* Our OPEN, then the ACK: open (and sending, ordered) as soon as the
 * OPEN is sent; unordered once the ACK came. */
static void
test_local_open_ack (void)
{
  g_autoptr (RtcDataChannels) dcs = new_set (TRUE, TRUE);
  RtcDataChannelOptions opts;
  g_autoptr (RtcDataChannel) ch = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (RtcDcepMessage) msg = { 0, };
  g_auto (RtcDcAction) a = { 0, };
  RtcDcSend send;

  rtc_data_channel_options_init (&opts);
  opts.label = "chat";
  opts.protocol = "json";
  opts.ordered = FALSE;
  opts.max_packet_lifetime = 300;
  opts.priority = GST_WEBRTC_PRIORITY_TYPE_HIGH;
  ch = rtc_data_channels_create (dcs, &opts, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ch->id, ==, 0);

  expect_open_sent (dcs, 0, &msg);
  g_assert_cmphex (msg.open.channel_type, ==,
      RTC_DCEP_CHANNEL_PARTIAL_RELIABLE_TIMED_UNORDERED);
  g_assert_cmpuint (msg.open.reliability, ==, 300);
  g_assert_cmpuint (msg.open.priority, ==, RTC_DCEP_PRIORITY_HIGH);
  g_assert_cmpstr (msg.open.label, ==, "chat");
  g_assert_cmpstr (msg.open.protocol, ==, "json");
  expect_none (dcs);
  g_assert_cmpint (ch->state, ==, OPEN);

  /* RFC 8832 section 6: before the ACK, but ordered behind the OPEN. */
  g_assert_true (rtc_data_channels_prepare_send (dcs, ch, TRUE,
          (const guint8 *) "x", 1, &send, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (send.stream, ==, 0);
  g_assert_true (send.ordered);

  deliver_ack (dcs, 0);
  g_assert_cmpint (ch->state, ==, OPEN);
  expect_none (dcs);

  g_assert_true (rtc_data_channels_prepare_send (dcs, ch, TRUE,
          (const guint8 *) "hello", 5, &send, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (send.stream, ==, 0);
  g_assert_cmpuint (send.ppid, ==, RTC_SCTP_PPID_STRING);
  g_assert_cmpmem (send.payload, send.payload_len, "hello", 5);
  /* Heard from the peer: unordered is allowed now. */
  g_assert_false (send.ordered);
  g_assert_cmpint (send.max_retransmits, ==, -1);
  g_assert_cmpint (send.max_packet_lifetime, ==, 300);

  /* A second ACK changes nothing. */
  deliver_ack (dcs, 0);
  expect_none (dcs);
}

/* RFC 8832 section 6: user data may overtake the ACK; it is delivered,
 * and the late ACK is harmless. */
static void
test_data_before_ack (void)
{
  g_autoptr (RtcDataChannels) dcs = new_set (FALSE, TRUE);
  g_autoptr (RtcDataChannel) ch = create (dcs, "early");
  g_auto (RtcDcepMessage) msg = { 0, };
  g_auto (RtcDcAction) a = { 0, };

  expect_open_sent (dcs, 1, &msg);

  g_assert_true (deliver (dcs, 1, RTC_SCTP_PPID_BINARY, "hi"));
  g_assert_cmpint (ch->state, ==, OPEN);
  expect_message (dcs, ch, FALSE, "hi");
  expect_none (dcs);

  deliver_ack (dcs, 1);
  expect_none (dcs);
  g_assert_cmpint (ch->state, ==, OPEN);
}

/* An ACK for a channel that never sent an OPEN is an error for it, but
 * does not close it. */
static void
test_unexpected_ack (void)
{
  g_autoptr (RtcDataChannels) dcs = new_set (TRUE, TRUE);
  g_autoptr (RtcDataChannel) n = create_negotiated (dcs, "n", 10);
  static const guint8 ack[] = { 0x02 };
  g_auto (RtcDcAction) a = { 0, };

  expect (dcs, &a, RTC_DC_ACTION_CHANNEL_OPEN, 10);
  g_assert_false (rtc_data_channels_handle_message (dcs, 10,
          RTC_SCTP_PPID_DCEP, ack, 1));
  expect (dcs, &a, RTC_DC_ACTION_CHANNEL_ERROR, 10);
  g_assert_error (a.error, RTC_DATA_CHANNELS_ERROR,
      RTC_DATA_CHANNELS_ERROR_PROTOCOL);
  g_assert_cmpint (n->state, ==, OPEN);

  g_assert_false (rtc_data_channels_handle_message (dcs, 12,
          RTC_SCTP_PPID_DCEP, ack, 1));
  expect (dcs, &a, RTC_DC_ACTION_CHANNEL_ERROR, 12);
  g_assert_null (a.channel);
  expect_none (dcs);
}

/* ---- PPIDs -------------------------------------------------------------- */

/* RFC 8831 section 6.6: an empty message is one byte with PPID 56/57 on the
 * wire, and an empty message again on the other side. */
static void
test_empty_messages (void)
{
  g_autoptr (RtcDataChannels) dcs = new_set (TRUE, TRUE);
  g_autoptr (RtcDataChannel) ch = open_local (dcs, "e");
  static const guint8 filler[] = { 0x00 };
  static const guint8 odd_filler[] = { 0x7a };
  g_autoptr (GError) error = NULL;
  g_auto (RtcDcAction) a = { 0, };
  RtcDcSend send;

  g_assert_true (rtc_data_channels_prepare_send (dcs, ch, TRUE, NULL, 0,
          &send, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (send.ppid, ==, RTC_SCTP_PPID_STRING_EMPTY);
  g_assert_cmpuint (send.payload_len, ==, 1);
  g_assert_nonnull (send.payload);

  g_assert_true (rtc_data_channels_prepare_send (dcs, ch, FALSE,
          (const guint8 *) "", 0, &send, &error));
  g_assert_cmpuint (send.ppid, ==, RTC_SCTP_PPID_BINARY_EMPTY);
  g_assert_cmpuint (send.payload_len, ==, 1);

  g_assert_true (rtc_data_channels_prepare_send (dcs, ch, TRUE,
          (const guint8 *) "s", 1, &send, &error));
  g_assert_cmpuint (send.ppid, ==, RTC_SCTP_PPID_STRING);
  g_assert_cmpuint (send.payload_len, ==, 1);
  g_assert_true (rtc_data_channels_prepare_send (dcs, ch, FALSE,
          (const guint8 *) "b", 1, &send, &error));
  g_assert_cmpuint (send.ppid, ==, RTC_SCTP_PPID_BINARY);
  g_assert_true (send.ordered);

  /* Receiving: the byte's value does not matter. */
  g_assert_true (rtc_data_channels_handle_message (dcs, ch->id,
          RTC_SCTP_PPID_STRING_EMPTY, filler, 1));
  expect (dcs, &a, RTC_DC_ACTION_MESSAGE, ch->id);
  g_assert_true (a.is_string);
  g_assert_cmpuint (g_bytes_get_size (a.data), ==, 0);

  g_assert_true (rtc_data_channels_handle_message (dcs, ch->id,
          RTC_SCTP_PPID_BINARY_EMPTY, odd_filler, 1));
  expect (dcs, &a, RTC_DC_ACTION_MESSAGE, ch->id);
  g_assert_false (a.is_string);
  g_assert_cmpuint (g_bytes_get_size (a.data), ==, 0);
  expect_none (dcs);
}

/* An unknown PPID is an error for that message; its channel stays open
 * and the other channels do not notice. */
static void
test_unknown_ppid (void)
{
  g_autoptr (RtcDataChannels) dcs = new_set (TRUE, TRUE);
  g_autoptr (RtcDataChannel) x = open_local (dcs, "x");
  g_autoptr (RtcDataChannel) y = open_local (dcs, "y");
  g_auto (RtcDcAction) a = { 0, };
  guint32 bad[] = { 99, RTC_SCTP_PPID_STRING_PARTIAL,
    RTC_SCTP_PPID_BINARY_PARTIAL, 0
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    g_assert_false (deliver (dcs, x->id, bad[i], "??"));
    expect (dcs, &a, RTC_DC_ACTION_CHANNEL_ERROR, x->id);
    g_assert_true (a.channel == x);
    g_assert_error (a.error, RTC_DATA_CHANNELS_ERROR,
        RTC_DATA_CHANNELS_ERROR_UNKNOWN_PPID);
    expect_none (dcs);
  }
  g_assert_cmpint (x->state, ==, OPEN);
  g_assert_cmpint (y->state, ==, OPEN);

  g_assert_true (deliver (dcs, y->id, RTC_SCTP_PPID_STRING, "fine"));
  expect_message (dcs, y, TRUE, "fine");
  g_assert_true (deliver (dcs, x->id, RTC_SCTP_PPID_BINARY, "also"));
  expect_message (dcs, x, FALSE, "also");
  expect_none (dcs);
}

/* RFC 8832 section 6 calls data on an unused stream an error. */
static void
test_data_on_unknown_stream (void)
{
  g_autoptr (RtcDataChannels) dcs = new_set (TRUE, TRUE);
  g_auto (RtcDcAction) a = { 0, };

  g_assert_false (deliver (dcs, 9, RTC_SCTP_PPID_STRING, "who?"));
  expect (dcs, &a, RTC_DC_ACTION_CHANNEL_ERROR, 9);
  g_assert_null (a.channel);
  g_assert_error (a.error, RTC_DATA_CHANNELS_ERROR,
      RTC_DATA_CHANNELS_ERROR_PROTOCOL);
  expect_none (dcs);
}

/* ---- closing ------------------------------------------------------------ */

/* RFC 8831 section 6.7: close resets our outgoing stream; closed once the
 * peer resets its side. */
static void
test_close (void)
{
  g_autoptr (RtcDataChannels) dcs = new_set (TRUE, TRUE);
  g_autoptr (RtcDataChannel) ch = open_local (dcs, "bye");
  g_autoptr (GError) error = NULL;
  g_auto (RtcDcAction) a = { 0, };
  RtcDcSend send;

  rtc_data_channels_close (dcs, ch);
  expect (dcs, &a, RTC_DC_ACTION_RESET_STREAM, 0);
  g_assert_true (a.channel == ch);
  g_assert_cmpint (ch->state, ==, CLOSING);
  expect_none (dcs);

  /* Closing twice is a no-op; no sending; late data is dropped quietly. */
  rtc_data_channels_close (dcs, ch);
  expect_none (dcs);
  g_assert_false (rtc_data_channels_prepare_send (dcs, ch, TRUE,
          (const guint8 *) "x", 1, &send, &error));
  g_assert_error (error, RTC_DATA_CHANNELS_ERROR,
      RTC_DATA_CHANNELS_ERROR_INVALID_STATE);
  g_assert_true (deliver (dcs, 0, RTC_SCTP_PPID_STRING, "late"));
  expect_none (dcs);

  rtc_data_channels_on_stream_reset (dcs, 0);
  expect (dcs, &a, RTC_DC_ACTION_CHANNEL_CLOSED, 0);
  g_assert_true (a.channel == ch);
  g_assert_cmpint (ch->state, ==, CLOSED);
  g_assert_null (rtc_data_channels_lookup (dcs, 0));
  g_assert_cmpuint (rtc_data_channels_get_n_channels (dcs), ==, 0);
  expect_none (dcs);
}

/* The peer closes: we reset our side too, and the channel is closed. */
static void
test_remote_reset (void)
{
  g_autoptr (RtcDataChannels) dcs = new_set (TRUE, TRUE);
  g_autoptr (RtcDataChannel) ch = open_local (dcs, "theirs");
  g_autoptr (RtcDataChannel) other = open_local (dcs, "other");
  g_auto (RtcDcAction) a = { 0, };

  rtc_data_channels_on_stream_reset (dcs, ch->id);
  expect (dcs, &a, RTC_DC_ACTION_RESET_STREAM, ch->id);
  expect (dcs, &a, RTC_DC_ACTION_CHANNEL_CLOSED, ch->id);
  g_assert_true (a.channel == ch);
  g_assert_cmpint (ch->state, ==, CLOSED);
  g_assert_null (rtc_data_channels_lookup (dcs, ch->id));
  expect_none (dcs);
  g_assert_cmpint (other->state, ==, OPEN);

  /* A reset for a stream without a channel is ignored. */
  rtc_data_channels_on_stream_reset (dcs, 40);
  expect_none (dcs);
}

/* RFC 8832 section 6: a reset before the ACK means the peer refused. */
static void
test_open_rejected (void)
{
  g_autoptr (RtcDataChannels) dcs = new_set (TRUE, TRUE);
  g_autoptr (RtcDataChannel) ch = create (dcs, "refused");
  g_auto (RtcDcepMessage) msg = { 0, };
  g_auto (RtcDcAction) a = { 0, };

  expect_open_sent (dcs, 0, &msg);
  rtc_data_channels_on_stream_reset (dcs, 0);
  expect (dcs, &a, RTC_DC_ACTION_CHANNEL_ERROR, 0);
  g_assert_error (a.error, RTC_DATA_CHANNELS_ERROR,
      RTC_DATA_CHANNELS_ERROR_OPEN_REJECTED);
  expect (dcs, &a, RTC_DC_ACTION_RESET_STREAM, 0);
  expect (dcs, &a, RTC_DC_ACTION_CHANNEL_CLOSED, 0);
  g_assert_cmpint (ch->state, ==, CLOSED);
  expect_none (dcs);
}

/* ---- association up and down -------------------------------------------- */

/* Channels created before the association is up: OPENs (and negotiated
 * opens) happen on connect, in creation order. */
static void
test_created_before_connect (void)
{
  g_autoptr (RtcDataChannels) dcs = new_set (TRUE, FALSE);
  g_autoptr (RtcDataChannel) a = create (dcs, "a");
  g_autoptr (RtcDataChannel) n = create_negotiated (dcs, "n", 5);
  g_autoptr (RtcDataChannel) b = create (dcs, "b");
  g_auto (RtcDcepMessage) msg = { 0, };
  g_auto (RtcDcAction) act = { 0, };

  expect_none (dcs);
  g_assert_cmpint (n->state, ==, CONNECTING);

  rtc_data_channels_on_connected (dcs);
  expect_open_sent (dcs, 0, &msg);
  g_assert_cmpstr (msg.open.label, ==, "a");
  rtc_dcep_message_clear (&msg);
  expect (dcs, &act, RTC_DC_ACTION_CHANNEL_OPEN, 5);
  g_assert_true (act.channel == n);
  expect_open_sent (dcs, 2, &msg);
  g_assert_cmpstr (msg.open.label, ==, "b");
  expect_none (dcs);
  g_assert_cmpint (a->state, ==, OPEN);
  g_assert_cmpint (n->state, ==, OPEN);

  /* Connecting again sends nothing twice. */
  rtc_data_channels_on_connected (dcs);
  expect_none (dcs);
}

/* Once connected, a negotiated channel is open as soon as it exists. */
static void
test_negotiated_after_connect (void)
{
  g_autoptr (RtcDataChannels) dcs = new_set (FALSE, TRUE);
  g_autoptr (RtcDataChannel) n = create_negotiated (dcs, "n", 0);
  g_auto (RtcDcAction) a = { 0, };

  expect (dcs, &a, RTC_DC_ACTION_CHANNEL_OPEN, 0);
  g_assert_cmpint (n->state, ==, OPEN);
  expect_none (dcs);

  g_assert_true (deliver (dcs, 0, RTC_SCTP_PPID_STRING, "oob"));
  expect_message (dcs, n, TRUE, "oob");
}

static void
test_disconnect_closes_all (void)
{
  g_autoptr (RtcDataChannels) dcs = new_set (TRUE, TRUE);
  g_autoptr (RtcDataChannel) x = open_local (dcs, "x");
  g_autoptr (RtcDataChannel) y = create (dcs, "y");
  g_auto (RtcDcepMessage) msg = { 0, };
  g_auto (RtcDcAction) a = { 0, };

  expect_open_sent (dcs, y->id, &msg);
  rtc_data_channels_on_disconnected (dcs);
  expect (dcs, &a, RTC_DC_ACTION_CHANNEL_CLOSED, x->id);
  expect (dcs, &a, RTC_DC_ACTION_CHANNEL_CLOSED, y->id);
  expect_none (dcs);
  g_assert_cmpint (x->state, ==, CLOSED);
  g_assert_cmpint (y->state, ==, CLOSED);
  g_assert_false (rtc_data_channels_is_connected (dcs));
  g_assert_cmpuint (rtc_data_channels_get_n_channels (dcs), ==, 0);
}

static void
test_priority_mapping (void)
{
  g_assert_cmpuint (rtc_data_channel_priority_from_type
      (GST_WEBRTC_PRIORITY_TYPE_VERY_LOW), ==, 128);
  g_assert_cmpuint (rtc_data_channel_priority_from_type
      (GST_WEBRTC_PRIORITY_TYPE_LOW), ==, 256);
  g_assert_cmpuint (rtc_data_channel_priority_from_type
      (GST_WEBRTC_PRIORITY_TYPE_MEDIUM), ==, 512);
  g_assert_cmpuint (rtc_data_channel_priority_from_type
      (GST_WEBRTC_PRIORITY_TYPE_HIGH), ==, 1024);
  g_assert_cmpuint (rtc_data_channel_priority_from_type (0), ==, 256);

  g_assert_cmpint (rtc_data_channel_priority_to_type (0), ==,
      GST_WEBRTC_PRIORITY_TYPE_VERY_LOW);
  g_assert_cmpint (rtc_data_channel_priority_to_type (128), ==,
      GST_WEBRTC_PRIORITY_TYPE_VERY_LOW);
  g_assert_cmpint (rtc_data_channel_priority_to_type (129), ==,
      GST_WEBRTC_PRIORITY_TYPE_LOW);
  g_assert_cmpint (rtc_data_channel_priority_to_type (256), ==,
      GST_WEBRTC_PRIORITY_TYPE_LOW);
  g_assert_cmpint (rtc_data_channel_priority_to_type (384), ==,
      GST_WEBRTC_PRIORITY_TYPE_MEDIUM);
  g_assert_cmpint (rtc_data_channel_priority_to_type (512), ==,
      GST_WEBRTC_PRIORITY_TYPE_MEDIUM);
  g_assert_cmpint (rtc_data_channel_priority_to_type (513), ==,
      GST_WEBRTC_PRIORITY_TYPE_HIGH);
  g_assert_cmpint (rtc_data_channel_priority_to_type (1024), ==,
      GST_WEBRTC_PRIORITY_TYPE_HIGH);
  g_assert_cmpint (rtc_data_channel_priority_to_type (G_MAXUINT16), ==,
      GST_WEBRTC_PRIORITY_TYPE_HIGH);
}

int
main (int argc, char **argv)
{
  guint i;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/datachannels/id/client-even", test_id_client_even);
  g_test_add_func ("/datachannels/id/server-odd", test_id_server_odd);
  g_test_add_func ("/datachannels/id/deferred-until-role",
      test_id_deferred_until_role);
  g_test_add_func ("/datachannels/id/negotiated-collision",
      test_id_negotiated_collision);
  g_test_add_func ("/datachannels/id/exhaustion-client",
      test_id_exhaustion_client);
  g_test_add_func ("/datachannels/id/exhaustion-server",
      test_id_exhaustion_server);
  for (i = 0; i < G_N_ELEMENTS (bad_options); i++) {
    gchar *path = g_strdup_printf ("/datachannels/create/invalid/%s",
        bad_options[i].name);

    g_test_add_data_func (path, &bad_options[i], check_bad_options);
    g_free (path);
  }
  g_test_add_func ("/datachannels/create/label-too-long", test_label_too_long);
  g_test_add_func ("/datachannels/dcep/remote-open", test_remote_open);
  g_test_add_func ("/datachannels/dcep/remote-open-wrong-parity",
      test_remote_open_wrong_parity);
  g_test_add_func ("/datachannels/dcep/remote-open-truncated-label",
      test_remote_open_truncated_label);
  g_test_add_func ("/datachannels/dcep/remote-open-on-used-stream",
      test_remote_open_on_used_stream);
  g_test_add_func ("/datachannels/dcep/remote-open-repeated",
      test_remote_open_repeated);
  g_test_add_func ("/datachannels/dcep/remote-open-on-local-stream",
      test_remote_open_on_local_stream);
  g_test_add_func ("/datachannels/dcep/local-open-ack", test_local_open_ack);
  g_test_add_func ("/datachannels/dcep/data-before-ack", test_data_before_ack);
  g_test_add_func ("/datachannels/dcep/unexpected-ack", test_unexpected_ack);
  g_test_add_func ("/datachannels/ppid/empty-messages", test_empty_messages);
  g_test_add_func ("/datachannels/ppid/unknown", test_unknown_ppid);
  g_test_add_func ("/datachannels/ppid/data-on-unknown-stream",
      test_data_on_unknown_stream);
  g_test_add_func ("/datachannels/close/local", test_close);
  g_test_add_func ("/datachannels/close/remote-reset", test_remote_reset);
  g_test_add_func ("/datachannels/close/open-rejected", test_open_rejected);
  g_test_add_func ("/datachannels/connect/created-before",
      test_created_before_connect);
  g_test_add_func ("/datachannels/connect/negotiated-after",
      test_negotiated_after_connect);
  g_test_add_func ("/datachannels/connect/disconnect-closes-all",
      test_disconnect_closes_all);
  g_test_add_func ("/datachannels/priority-mapping", test_priority_mapping);

  return g_test_run ();
}
