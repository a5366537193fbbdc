/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include <gst/gst.h>

#include "rtcdatachannels.h"

GST_DEBUG_CATEGORY_STATIC (rtc_datachannel_debug);
#define GST_CAT_DEFAULT rtc_datachannel_debug

typedef enum
{
  ROLE_UNKNOWN,
  ROLE_CLIENT,                  /* even ids */
  ROLE_SERVER,                  /* odd ids */
} Role;

struct _RtcDataChannels
{
  Role role;
  gboolean connected;
  /* Every channel not yet closed, in creation order (on_connected sends the
   * OPENs in the order the application asked for them). Owns a reference. */
  GPtrArray *channels;
  /* stream id -> channel, for channels that have an id; borrowed. */
  GHashTable *by_id;
  /* Where the next search for a free id of our parity starts. Moving on
   * instead of always taking the lowest free id keeps a just-closed id
   * unused for a while, so late packets for the old channel cannot land
   * on a new one, and keeps allocation O(1) in the common case. */
  guint next_id;
  GQueue actions;               /* RtcDcAction * */
};

/* One byte for an empty message (RFC 8831 section 6.6); the receiver
 * ignores its value. */
static const guint8 empty_payload[1] = { 0 };

GQuark
rtc_data_channels_error_quark (void)
{
  return g_quark_from_static_string ("rtc-data-channels-error-quark");
}

static void
debug_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done)) {
    GST_DEBUG_CATEGORY_INIT (rtc_datachannel_debug, "rtcdatachannel", 0,
        "rtcpeer data channel bookkeeping");
    g_once_init_leave (&done, 1);
  }
}

/* ---- channels --------------------------------------------------------- */

static void
channel_clear (RtcDataChannel * ch)
{
  g_free (ch->label);
  g_free (ch->protocol);
}

RtcDataChannel *
rtc_data_channel_ref (RtcDataChannel * channel)
{
  g_return_val_if_fail (channel != NULL, NULL);
  return g_atomic_rc_box_acquire (channel);
}

void
rtc_data_channel_unref (RtcDataChannel * channel)
{
  g_return_if_fail (channel != NULL);
  g_atomic_rc_box_release_full (channel, (GDestroyNotify) channel_clear);
}

void
rtc_data_channel_options_init (RtcDataChannelOptions * opts)
{
  g_return_if_fail (opts != NULL);

  memset (opts, 0, sizeof (*opts));
  opts->ordered = TRUE;
  opts->max_retransmits = -1;
  opts->max_packet_lifetime = -1;
  opts->id = -1;
}

guint16
rtc_data_channel_priority_from_type (GstWebRTCPriorityType type)
{
  switch (type) {
    case GST_WEBRTC_PRIORITY_TYPE_VERY_LOW:
      return RTC_DCEP_PRIORITY_VERY_LOW;
    case GST_WEBRTC_PRIORITY_TYPE_MEDIUM:
      return RTC_DCEP_PRIORITY_MEDIUM;
    case GST_WEBRTC_PRIORITY_TYPE_HIGH:
      return RTC_DCEP_PRIORITY_HIGH;
    case GST_WEBRTC_PRIORITY_TYPE_LOW:
    default:
      /* W3C RTCDataChannelInit: priority defaults to "low". */
      return RTC_DCEP_PRIORITY_LOW;
  }
}

GstWebRTCPriorityType
rtc_data_channel_priority_to_type (guint16 priority)
{
  if (priority <= RTC_DCEP_PRIORITY_VERY_LOW)
    return GST_WEBRTC_PRIORITY_TYPE_VERY_LOW;
  if (priority <= RTC_DCEP_PRIORITY_LOW)
    return GST_WEBRTC_PRIORITY_TYPE_LOW;
  if (priority <= RTC_DCEP_PRIORITY_MEDIUM)
    return GST_WEBRTC_PRIORITY_TYPE_MEDIUM;
  return GST_WEBRTC_PRIORITY_TYPE_HIGH;
}

static const gchar *
state_name (GstWebRTCDataChannelState state)
{
  switch (state) {
    case GST_WEBRTC_DATA_CHANNEL_STATE_CONNECTING:
      return "connecting";
    case GST_WEBRTC_DATA_CHANNEL_STATE_OPEN:
      return "open";
    case GST_WEBRTC_DATA_CHANNEL_STATE_CLOSING:
      return "closing";
    case GST_WEBRTC_DATA_CHANNEL_STATE_CLOSED:
      return "closed";
    default:
      return "unknown";
  }
}

/* ---- actions ---------------------------------------------------------- */

const gchar *
rtc_dc_action_type_name (RtcDcActionType type)
{
  switch (type) {
    case RTC_DC_ACTION_SEND:
      return "send";
    case RTC_DC_ACTION_RESET_STREAM:
      return "reset-stream";
    case RTC_DC_ACTION_CHANNEL_NEW:
      return "channel-new";
    case RTC_DC_ACTION_CHANNEL_OPEN:
      return "channel-open";
    case RTC_DC_ACTION_MESSAGE:
      return "message";
    case RTC_DC_ACTION_CHANNEL_ERROR:
      return "channel-error";
    case RTC_DC_ACTION_CHANNEL_CLOSED:
      return "channel-closed";
    default:
      return "unknown";
  }
}

void
rtc_dc_action_clear (RtcDcAction * action)
{
  if (action == NULL)
    return;
  if (action->channel)
    rtc_data_channel_unref (action->channel);
  if (action->data)
    g_bytes_unref (action->data);
  g_clear_error (&action->error);
  memset (action, 0, sizeof (*action));
}

static RtcDcAction *
push_action (RtcDataChannels * dcs, RtcDcActionType type,
    RtcDataChannel * ch, guint16 stream)
{
  RtcDcAction *a = g_new0 (RtcDcAction, 1);

  a->type = type;
  a->channel = ch ? rtc_data_channel_ref (ch) : NULL;
  a->stream = stream;
  g_queue_push_tail (&dcs->actions, a);
  return a;
}

gboolean
rtc_data_channels_poll_action (RtcDataChannels * dcs, RtcDcAction * action)
{
  RtcDcAction *a;

  g_return_val_if_fail (dcs != NULL, FALSE);
  g_return_val_if_fail (action != NULL, FALSE);

  a = g_queue_pop_head (&dcs->actions);
  if (a == NULL) {
    memset (action, 0, sizeof (*action));
    return FALSE;
  }
  *action = *a;
  g_free (a);
  return TRUE;
}

/* Takes ownership of error. */
static void
push_error (RtcDataChannels * dcs, RtcDataChannel * ch, guint16 stream,
    GError * error)
{
  RtcDcAction *a = push_action (dcs, RTC_DC_ACTION_CHANNEL_ERROR, ch, stream);

  GST_WARNING ("stream %u: %s", stream, error->message);
  a->error = error;
}

/* ---- the set ---------------------------------------------------------- */

RtcDataChannels *
rtc_data_channels_new (void)
{
  RtcDataChannels *dcs;

  debug_init ();

  dcs = g_new0 (RtcDataChannels, 1);
  dcs->role = ROLE_UNKNOWN;
  dcs->channels =
      g_ptr_array_new_with_free_func ((GDestroyNotify) rtc_data_channel_unref);
  dcs->by_id = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_queue_init (&dcs->actions);
  return dcs;
}

static void
free_action (gpointer data)
{
  rtc_dc_action_clear (data);
  g_free (data);
}

void
rtc_data_channels_free (RtcDataChannels * dcs)
{
  if (dcs == NULL)
    return;
  g_queue_clear_full (&dcs->actions, free_action);
  g_hash_table_destroy (dcs->by_id);
  g_ptr_array_unref (dcs->channels);
  g_free (dcs);
}

RtcDataChannel *
rtc_data_channels_lookup (RtcDataChannels * dcs, guint16 id)
{
  g_return_val_if_fail (dcs != NULL, NULL);
  return g_hash_table_lookup (dcs->by_id, GUINT_TO_POINTER (id));
}

guint
rtc_data_channels_get_n_channels (RtcDataChannels * dcs)
{
  g_return_val_if_fail (dcs != NULL, 0);
  return dcs->channels->len;
}

RtcDataChannel *
rtc_data_channels_get_nth (RtcDataChannels * dcs, guint n)
{
  g_return_val_if_fail (dcs != NULL, NULL);
  if (n >= dcs->channels->len)
    return NULL;
  return g_ptr_array_index (dcs->channels, n);
}

gboolean
rtc_data_channels_is_connected (RtcDataChannels * dcs)
{
  g_return_val_if_fail (dcs != NULL, FALSE);
  return dcs->connected;
}

static void
set_state (RtcDataChannel * ch, GstWebRTCDataChannelState state)
{
  GST_DEBUG ("channel %d '%s': %s -> %s", ch->id, ch->label,
      state_name (ch->state), state_name (state));
  ch->state = state;
}

/* Closed: out of the set (its id is free again), CHANNEL_CLOSED queued. */
static void
finish_close (RtcDataChannels * dcs, RtcDataChannel * ch)
{
  set_state (ch, GST_WEBRTC_DATA_CHANNEL_STATE_CLOSED);
  push_action (dcs, RTC_DC_ACTION_CHANNEL_CLOSED, ch, ch->id < 0 ? 0 : ch->id);
  if (ch->id >= 0 &&
      g_hash_table_lookup (dcs->by_id, GINT_TO_POINTER (ch->id)) == ch)
    g_hash_table_remove (dcs->by_id, GINT_TO_POINTER (ch->id));
  /* Last: this may drop the set's reference. */
  g_ptr_array_remove (dcs->channels, ch);
}

static void
set_open (RtcDataChannels * dcs, RtcDataChannel * ch)
{
  set_state (ch, GST_WEBRTC_DATA_CHANNEL_STATE_OPEN);
  push_action (dcs, RTC_DC_ACTION_CHANNEL_OPEN, ch, ch->id);
}

/* RFC 8832 section 6: the OPEN goes on the channel's own stream. */
static void
send_open (RtcDataChannels * dcs, RtcDataChannel * ch)
{
  RtcDcepOpen open = { 0, };
  RtcDcepChannelType type;
  guint32 reliability;
  RtcDcAction *a;

  /* The options were validated by create(), so this cannot fail. */
  if (!rtc_dcep_channel_type_from_options (ch->ordered, ch->max_retransmits,
          ch->max_packet_lifetime, &type, &reliability, NULL))
    g_assert_not_reached ();
  open.channel_type = type;
  open.priority = ch->priority;
  open.reliability = reliability;
  open.label = ch->label;
  open.label_len = strlen (ch->label);
  open.protocol = ch->protocol;
  open.protocol_len = strlen (ch->protocol);

  a = push_action (dcs, RTC_DC_ACTION_SEND, ch, ch->id);
  a->ppid = RTC_SCTP_PPID_DCEP;
  a->data = rtc_dcep_build_open (&open);
  g_assert (a->data != NULL);
  ch->open_sent = TRUE;
  GST_DEBUG ("channel %d '%s': sending DATA_CHANNEL_OPEN (%s)", ch->id,
      ch->label, rtc_dcep_channel_type_name (type));
}

/* Brings a channel that has an id onto the wire once the association is
 * up: DCEP for in-band channels, straight to open for negotiated ones. */
static void
start_channel (RtcDataChannels * dcs, RtcDataChannel * ch)
{
  if (!dcs->connected || ch->id < 0 ||
      ch->state != GST_WEBRTC_DATA_CHANNEL_STATE_CONNECTING)
    return;
  if (ch->negotiated) {
    set_open (dcs, ch);
  } else if (!ch->open_sent) {
    send_open (dcs, ch);
    /* Open as soon as the OPEN is on its way, not at the ACK: RFC 8832
     * section 6 lets the opener send before the ACK arrives (its messages
     * stay ordered behind the OPEN until then, prepare_send), and so a
     * peer may send from within its on-data-channel. Browsers do the
     * same. */
    set_open (dcs, ch);
  }
}

/* Ids of our parity run first..last in steps of 2. */
static gboolean
allocate_id (RtcDataChannels * dcs, guint * out)
{
  guint first = dcs->role == ROLE_CLIENT ? 0 : 1;
  guint count = (RTC_DATA_CHANNEL_MAX_ID - first) / 2 + 1;
  guint id = dcs->next_id, i;

  g_assert (dcs->role != ROLE_UNKNOWN);

  for (i = 0; i < count; i++) {
    if (id > RTC_DATA_CHANNEL_MAX_ID || (id & 1) != first)
      id = first;
    if (!g_hash_table_contains (dcs->by_id, GUINT_TO_POINTER (id))) {
      *out = id;
      dcs->next_id = id + 2;
      return TRUE;
    }
    id += 2;
  }
  return FALSE;
}

static void
index_channel (RtcDataChannels * dcs, RtcDataChannel * ch)
{
  g_hash_table_insert (dcs->by_id, GINT_TO_POINTER (ch->id), ch);
}

gboolean
rtc_data_channels_set_dtls_role (RtcDataChannels * dcs, gboolean dtls_client,
    GError ** error)
{
  Role role = dtls_client ? ROLE_CLIENT : ROLE_SERVER;
  GPtrArray *waiting;
  guint i;

  g_return_val_if_fail (dcs != NULL, FALSE);

  if (dcs->role == role)
    return TRUE;
  if (dcs->role != ROLE_UNKNOWN) {
    /* Ids already handed out follow the old parity. */
    g_set_error (error, RTC_DATA_CHANNELS_ERROR,
        RTC_DATA_CHANNELS_ERROR_INVALID_STATE,
        "DTLS role is already %s, cannot become %s",
        dcs->role == ROLE_CLIENT ? "client" : "server",
        dtls_client ? "client" : "server");
    return FALSE;
  }
  dcs->role = role;
  dcs->next_id = dtls_client ? 0 : 1;
  GST_DEBUG ("DTLS %s: allocating %s stream ids",
      dtls_client ? "client" : "server", dtls_client ? "even" : "odd");

  /* Copy: a channel that gets no id is removed from dcs->channels. */
  waiting = g_ptr_array_new_with_free_func ((GDestroyNotify)
      rtc_data_channel_unref);
  for (i = 0; i < dcs->channels->len; i++) {
    RtcDataChannel *ch = g_ptr_array_index (dcs->channels, i);

    if (ch->id < 0)
      g_ptr_array_add (waiting, rtc_data_channel_ref (ch));
  }
  for (i = 0; i < waiting->len; i++) {
    RtcDataChannel *ch = g_ptr_array_index (waiting, i);
    guint id;

    if (!allocate_id (dcs, &id)) {
      /* W3C: "If an ID cannot be generated, ... close the channel with an
       * OperationError". */
      push_error (dcs, ch, 0, g_error_new (RTC_DATA_CHANNELS_ERROR,
              RTC_DATA_CHANNELS_ERROR_NO_FREE_ID,
              "no free %s stream id for channel '%s'",
              dtls_client ? "even" : "odd", ch->label));
      finish_close (dcs, ch);
      continue;
    }
    ch->id = id;
    index_channel (dcs, ch);
    start_channel (dcs, ch);
  }
  g_ptr_array_unref (waiting);
  return TRUE;
}

static RtcDataChannel *
channel_new (void)
{
  RtcDataChannel *ch = g_atomic_rc_box_new0 (RtcDataChannel);

  ch->id = -1;
  ch->state = GST_WEBRTC_DATA_CHANNEL_STATE_CONNECTING;
  return ch;
}

RtcDataChannel *
rtc_data_channels_create (RtcDataChannels * dcs,
    const RtcDataChannelOptions * opts, GError ** error)
{
  const gchar *label, *protocol;
  GError *err = NULL;
  RtcDataChannel *ch;
  guint id = 0;

  g_return_val_if_fail (dcs != NULL, NULL);
  g_return_val_if_fail (opts != NULL, NULL);

  /* https://w3c.github.io/webrtc-pc/#dom-peerconnection-createdatachannel */
  label = opts->label ? opts->label : "";
  protocol = opts->protocol ? opts->protocol : "";
  /* Step: "If [[DataChannelLabel]] is longer than 65535 bytes, throw a
   * TypeError" (the DCEP length fields are 16 bits); same for protocol. */
  if (strlen (label) > G_MAXUINT16 || strlen (protocol) > G_MAXUINT16) {
    g_set_error (error, RTC_DATA_CHANNELS_ERROR,
        RTC_DATA_CHANNELS_ERROR_INVALID_ARGUMENT,
        "label and protocol must be at most 65535 bytes (got %"
        G_GSIZE_FORMAT " and %" G_GSIZE_FORMAT ")", strlen (label),
        strlen (protocol));
    return NULL;
  }
  if (!rtc_dcep_channel_type_from_options (opts->ordered,
          opts->max_retransmits, opts->max_packet_lifetime, NULL, NULL, &err)) {
    g_set_error_literal (error, RTC_DATA_CHANNELS_ERROR,
        RTC_DATA_CHANNELS_ERROR_INVALID_ARGUMENT, err->message);
    g_error_free (err);
    return NULL;
  }
  if (opts->id < -1 || opts->id > RTC_DATA_CHANNEL_MAX_ID) {
    g_set_error (error, RTC_DATA_CHANNELS_ERROR,
        RTC_DATA_CHANNELS_ERROR_INVALID_ARGUMENT,
        "id %d is outside 0..%d", opts->id, RTC_DATA_CHANNEL_MAX_ID);
    return NULL;
  }
  if (opts->negotiated && opts->id < 0) {
    g_set_error (error, RTC_DATA_CHANNELS_ERROR,
        RTC_DATA_CHANNELS_ERROR_INVALID_ARGUMENT,
        "a negotiated channel needs an id");
    return NULL;
  }
  /* W3C takes the id only together with negotiated; an in-band channel's
   * id must follow the DTLS role (RFC 8832 section 6), which may not be
   * known yet. Refuse rather than ignore it silently. */
  if (!opts->negotiated && opts->id >= 0) {
    g_set_error (error, RTC_DATA_CHANNELS_ERROR,
        RTC_DATA_CHANNELS_ERROR_INVALID_ARGUMENT,
        "id %d given without negotiated; in-band channels get their id "
        "from the DTLS role", opts->id);
    return NULL;
  }

  if (opts->negotiated) {
    RtcDataChannel *other = rtc_data_channels_lookup (dcs, opts->id);

    /* Either parity: RFC 8831 section 6.5 leaves out-of-band ids to the
     * application. */
    if (other != NULL) {
      g_set_error (error, RTC_DATA_CHANNELS_ERROR,
          RTC_DATA_CHANNELS_ERROR_ID_IN_USE,
          "stream id %d is already used by channel '%s'", opts->id,
          other->label);
      return NULL;
    }
    id = opts->id;
  } else if (dcs->role != ROLE_UNKNOWN && !allocate_id (dcs, &id)) {
    g_set_error (error, RTC_DATA_CHANNELS_ERROR,
        RTC_DATA_CHANNELS_ERROR_NO_FREE_ID,
        "no free %s stream id left (all %s ids up to %d are in use)",
        dcs->role == ROLE_CLIENT ? "even" : "odd",
        dcs->role == ROLE_CLIENT ? "even" : "odd", RTC_DATA_CHANNEL_MAX_ID);
    return NULL;
  }

  ch = channel_new ();
  ch->label = g_strdup (label);
  ch->protocol = g_strdup (protocol);
  ch->ordered = opts->ordered;
  ch->max_retransmits = opts->max_retransmits;
  ch->max_packet_lifetime = opts->max_packet_lifetime;
  ch->negotiated = opts->negotiated;
  ch->priority = rtc_data_channel_priority_from_type (opts->priority);
  /* Out-of-band channels have no handshake to wait for. */
  ch->heard_from_peer = opts->negotiated;
  if (opts->negotiated || dcs->role != ROLE_UNKNOWN) {
    ch->id = id;
    index_channel (dcs, ch);
  }
  g_ptr_array_add (dcs->channels, ch);
  GST_DEBUG ("created channel %d '%s'%s", ch->id, ch->label,
      ch->negotiated ? " (negotiated)" : "");

  start_channel (dcs, ch);
  return rtc_data_channel_ref (ch);
}

void
rtc_data_channels_on_connected (RtcDataChannels * dcs)
{
  guint i;

  g_return_if_fail (dcs != NULL);

  if (dcs->connected)
    return;
  dcs->connected = TRUE;
  /* Channels without an id wait for set_dtls_role(). Nothing is removed
   * here, so the array can be walked in place. */
  for (i = 0; i < dcs->channels->len; i++)
    start_channel (dcs, g_ptr_array_index (dcs->channels, i));
}

void
rtc_data_channels_on_disconnected (RtcDataChannels * dcs)
{
  g_return_if_fail (dcs != NULL);

  dcs->connected = FALSE;
  /* W3C: when the SCTP transport closes, every data channel closes. */
  while (dcs->channels->len > 0)
    finish_close (dcs, g_ptr_array_index (dcs->channels, 0));
}

/* ---- receiving -------------------------------------------------------- */

/* Refuse a stream that has no channel: report it and reset our side so a
 * peer waiting for an ACK learns its OPEN failed (RFC 8832 section 6:
 * "MUST close the corresponding data channel ... MUST NOT send a
 * DATA_CHANNEL_ACK"). */
static void
refuse_stream (RtcDataChannels * dcs, guint16 stream, GError * error)
{
  push_error (dcs, NULL, stream, error);
  push_action (dcs, RTC_DC_ACTION_RESET_STREAM, NULL, stream);
}

/* Whether @open is the OPEN that created the peer's channel @ch, word for
 * word. */
static gboolean
is_repeated_open (RtcDataChannel * ch, const RtcDcepOpen * open)
{
  gboolean ordered;
  gint max_retransmits, max_packet_lifetime;

  if (!ch->remote || ch->state != GST_WEBRTC_DATA_CHANNEL_STATE_OPEN)
    return FALSE;
  rtc_dcep_channel_type_to_options (open->channel_type, open->reliability,
      &ordered, &max_retransmits, &max_packet_lifetime);
  return g_strcmp0 (ch->label, open->label) == 0
      && g_strcmp0 (ch->protocol, open->protocol) == 0
      && ch->ordered == ordered && ch->max_retransmits == max_retransmits
      && ch->max_packet_lifetime == max_packet_lifetime
      && ch->priority == open->priority;
}

static gboolean
handle_open (RtcDataChannels * dcs, guint16 stream, RtcDcepOpen * open)
{
  RtcDataChannel *ch = rtc_data_channels_lookup (dcs, stream);
  RtcDcAction *a;

  if (ch != NULL && is_repeated_open (ch, open)) {
    /* webrtcbin 1.22 sends its OPEN twice when the channel is created as
     * the association comes up (once from each of two threads). The ACK
     * to the first is on its way over a reliable stream: nothing to do,
     * and closing the channel would lose every message that follows. */
    GST_DEBUG ("channel %u '%s': repeated DATA_CHANNEL_OPEN ignored",
        stream, ch->label);
    return TRUE;
  }
  if (ch != NULL) {
    /* RFC 8832 section 6: an OPEN "received on an already used stream"
     * closes the channel on it. */
    push_error (dcs, ch, stream, g_error_new (RTC_DATA_CHANNELS_ERROR,
            RTC_DATA_CHANNELS_ERROR_PROTOCOL,
            "DATA_CHANNEL_OPEN for '%s' on stream %u, already used by "
            "channel '%s'", open->label, stream, ch->label));
    rtc_data_channels_close (dcs, ch);
    return FALSE;
  }
  /* The peer's ids have the other parity: odd if we are the DTLS client. */
  if (stream > RTC_DATA_CHANNEL_MAX_ID || (dcs->role == ROLE_CLIENT
          && (stream & 1) == 0) || (dcs->role == ROLE_SERVER
          && (stream & 1) == 1)) {
    refuse_stream (dcs, stream, g_error_new (RTC_DATA_CHANNELS_ERROR,
            RTC_DATA_CHANNELS_ERROR_PROTOCOL,
            "DATA_CHANNEL_OPEN for '%s' on stream %u, which is not a "
            "valid id for the DTLS %s (RFC 8832 section 6)", open->label,
            stream, dcs->role == ROLE_CLIENT ? "server" : "client"));
    return FALSE;
  }

  ch = channel_new ();
  ch->id = stream;
  ch->label = g_steal_pointer (&open->label);
  ch->protocol = g_steal_pointer (&open->protocol);
  rtc_dcep_channel_type_to_options (open->channel_type, open->reliability,
      &ch->ordered, &ch->max_retransmits, &ch->max_packet_lifetime);
  ch->priority = open->priority;
  ch->remote = TRUE;
  /* The OPEN itself is the message heard from the peer. */
  ch->heard_from_peer = TRUE;
  index_channel (dcs, ch);
  g_ptr_array_add (dcs->channels, ch);
  GST_DEBUG ("peer opened channel %u '%s' (%s)", stream, ch->label,
      rtc_dcep_channel_type_name (open->channel_type));

  a = push_action (dcs, RTC_DC_ACTION_SEND, ch, stream);
  a->ppid = RTC_SCTP_PPID_DCEP;
  a->data = rtc_dcep_build_ack ();
  push_action (dcs, RTC_DC_ACTION_CHANNEL_NEW, ch, stream);
  /* RFC 8832 section 6: the receiver may send at once, so the channel is
   * open as soon as it exists. */
  set_open (dcs, ch);
  return TRUE;
}

static gboolean
handle_ack (RtcDataChannels * dcs, guint16 stream)
{
  RtcDataChannel *ch = rtc_data_channels_lookup (dcs, stream);

  if (ch == NULL) {
    push_error (dcs, NULL, stream, g_error_new (RTC_DATA_CHANNELS_ERROR,
            RTC_DATA_CHANNELS_ERROR_PROTOCOL,
            "DATA_CHANNEL_ACK on stream %u, which has no channel", stream));
    return FALSE;
  }
  if (ch->state == GST_WEBRTC_DATA_CHANNEL_STATE_CLOSING)
    return TRUE;                /* late, and moot */
  if (!ch->open_sent) {
    push_error (dcs, ch, stream, g_error_new (RTC_DATA_CHANNELS_ERROR,
            RTC_DATA_CHANNELS_ERROR_PROTOCOL,
            "DATA_CHANNEL_ACK on stream %u, but channel '%s' sent no "
            "DATA_CHANNEL_OPEN", stream, ch->label));
    return FALSE;
  }
  ch->heard_from_peer = TRUE;
  /* Already open if user data overtook the ACK (RFC 8832 section 6). */
  if (ch->state == GST_WEBRTC_DATA_CHANNEL_STATE_CONNECTING)
    set_open (dcs, ch);
  return TRUE;
}

static gboolean
handle_dcep (RtcDataChannels * dcs, guint16 stream, const guint8 * data,
    gsize len)
{
  RtcDcepMessage msg;
  GError *err = NULL;
  gboolean ret;

  if (!rtc_dcep_parse (data, len, &msg, &err)) {
    RtcDataChannel *ch = rtc_data_channels_lookup (dcs, stream);

    g_prefix_error (&err, "stream %u: ", stream);
    if (ch != NULL)
      push_error (dcs, ch, stream, err);
    else
      /* Most likely a broken OPEN: refuse it so the peer does not wait
       * for an ACK forever. */
      refuse_stream (dcs, stream, err);
    return FALSE;
  }
  if (msg.type == RTC_DCEP_MESSAGE_OPEN)
    ret = handle_open (dcs, stream, &msg.open);
  else
    ret = handle_ack (dcs, stream);
  rtc_dcep_message_clear (&msg);
  return ret;
}

static gboolean
handle_user_message (RtcDataChannels * dcs, guint16 stream, guint32 ppid,
    const guint8 * data, gsize len)
{
  RtcDataChannel *ch = rtc_data_channels_lookup (dcs, stream);
  gboolean is_string = ppid == RTC_SCTP_PPID_STRING ||
      ppid == RTC_SCTP_PPID_STRING_EMPTY;
  gboolean empty = ppid == RTC_SCTP_PPID_STRING_EMPTY ||
      ppid == RTC_SCTP_PPID_BINARY_EMPTY;
  RtcDcAction *a;

  if (ch == NULL) {
    /* RFC 8832 section 6 calls this an error and wants the stream closed.
     * We only report it: with a negotiated channel (RFC 8831 section 6.5)
     * the peer may legitimately send before our application has created
     * its side, and a reset would kill that channel for good. */
    push_error (dcs, NULL, stream, g_error_new (RTC_DATA_CHANNELS_ERROR,
            RTC_DATA_CHANNELS_ERROR_PROTOCOL,
            "%s message of %" G_GSIZE_FORMAT " bytes on stream %u, which "
            "has no channel", is_string ? "string" : "binary", len, stream));
    return FALSE;
  }

  switch (ch->state) {
    case GST_WEBRTC_DATA_CHANNEL_STATE_CONNECTING:
      if (!ch->open_sent && !ch->negotiated) {
        push_error (dcs, ch, stream, g_error_new (RTC_DATA_CHANNELS_ERROR,
                RTC_DATA_CHANNELS_ERROR_PROTOCOL,
                "message on stream %u before channel '%s' sent its "
                "DATA_CHANNEL_OPEN", stream, ch->label));
        return FALSE;
      }
      /* RFC 8832 section 6: the peer may send before its ACK arrives (and
       * unordered data may overtake it), so user data means the peer took
       * our OPEN. */
      set_open (dcs, ch);
      break;
    case GST_WEBRTC_DATA_CHANNEL_STATE_OPEN:
      break;
    default:
      /* W3C "receiving messages": if [[ReadyState]] is not open, discard. */
      GST_LOG ("channel %u is %s, dropping a message", stream,
          state_name (ch->state));
      return TRUE;
  }

  ch->heard_from_peer = TRUE;
  a = push_action (dcs, RTC_DC_ACTION_MESSAGE, ch, stream);
  a->ppid = ppid;
  a->is_string = is_string;
  /* The byte under 56/57 is filler (RFC 8831 section 6.6). */
  a->data = empty ? g_bytes_new (NULL, 0) : g_bytes_new (data, len);
  return TRUE;
}

gboolean
rtc_data_channels_handle_message (RtcDataChannels * dcs, guint16 stream,
    guint32 ppid, const guint8 * data, gsize len)
{
  RtcDataChannel *ch;
  const gchar *why;

  g_return_val_if_fail (dcs != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  switch (ppid) {
    case RTC_SCTP_PPID_DCEP:
      return handle_dcep (dcs, stream, data, len);
    case RTC_SCTP_PPID_STRING:
    case RTC_SCTP_PPID_BINARY:
    case RTC_SCTP_PPID_STRING_EMPTY:
    case RTC_SCTP_PPID_BINARY_EMPTY:
      return handle_user_message (dcs, stream, ppid, data, len);
    case RTC_SCTP_PPID_STRING_PARTIAL:
    case RTC_SCTP_PPID_BINARY_PARTIAL:
      why = "deprecated partial-message PPID (RFC 8831 section 6.6), "
          "not supported";
      break;
    default:
      why = "unknown PPID";
      break;
  }

  /* Dropped; the channel (if any) carries on. See the header for why we
   * do not close it as RFC 8831 section 6.6 suggests. */
  ch = rtc_data_channels_lookup (dcs, stream);
  push_error (dcs, ch, stream, g_error_new (RTC_DATA_CHANNELS_ERROR,
          RTC_DATA_CHANNELS_ERROR_UNKNOWN_PPID,
          "message of %" G_GSIZE_FORMAT " bytes on stream %u with %s %u",
          len, stream, why, ppid));
  return FALSE;
}

/* ---- sending and closing ---------------------------------------------- */

gboolean
rtc_data_channels_prepare_send (RtcDataChannels * dcs,
    RtcDataChannel * channel, gboolean is_string, const guint8 * data,
    gsize len, RtcDcSend * out, GError ** error)
{
  g_return_val_if_fail (dcs != NULL, FALSE);
  g_return_val_if_fail (channel != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  /* W3C send(): "If channel.[[ReadyState]] is not open, throw an
   * InvalidStateError." */
  if (channel->state != GST_WEBRTC_DATA_CHANNEL_STATE_OPEN) {
    g_set_error (error, RTC_DATA_CHANNELS_ERROR,
        RTC_DATA_CHANNELS_ERROR_INVALID_STATE,
        "channel %d '%s' is %s, not open", channel->id, channel->label,
        state_name (channel->state));
    return FALSE;
  }

  memset (out, 0, sizeof (*out));
  out->stream = channel->id;
  if (len == 0) {
    /* RFC 8831 section 6.6: SCTP has no empty messages. */
    out->ppid = is_string ? RTC_SCTP_PPID_STRING_EMPTY :
        RTC_SCTP_PPID_BINARY_EMPTY;
    out->payload = empty_payload;
    out->payload_len = sizeof (empty_payload);
  } else {
    out->ppid = is_string ? RTC_SCTP_PPID_STRING : RTC_SCTP_PPID_BINARY;
    out->payload = data;
    out->payload_len = len;
  }
  /* RFC 8832 section 6: ordered until the peer has been heard from, so no
   * user message overtakes our OPEN. */
  out->ordered = channel->ordered || !channel->heard_from_peer;
  out->max_retransmits = channel->max_retransmits;
  out->max_packet_lifetime = channel->max_packet_lifetime;
  return TRUE;
}

void
rtc_data_channels_close (RtcDataChannels * dcs, RtcDataChannel * channel)
{
  gboolean on_wire;

  g_return_if_fail (dcs != NULL);
  g_return_if_fail (channel != NULL);

  if (channel->state == GST_WEBRTC_DATA_CHANNEL_STATE_CLOSING ||
      channel->state == GST_WEBRTC_DATA_CHANNEL_STATE_CLOSED)
    return;

  /* Only a stream that carried something, or that the peer may be using,
   * needs resetting; otherwise there is nobody to tell. */
  on_wire = dcs->connected && channel->id >= 0 &&
      (channel->open_sent || channel->negotiated || channel->remote);
  if (!on_wire) {
    finish_close (dcs, channel);
    return;
  }

  /* RFC 8831 section 6.7: "Closing of a data channel MUST be signaled by
   * resetting the corresponding outgoing streams"; closed once the peer
   * has reset its outgoing stream too (on_stream_reset). */
  set_state (channel, GST_WEBRTC_DATA_CHANNEL_STATE_CLOSING);
  push_action (dcs, RTC_DC_ACTION_RESET_STREAM, channel, channel->id);
}

void
rtc_data_channels_on_stream_reset (RtcDataChannels * dcs, guint16 stream)
{
  RtcDataChannel *ch;

  g_return_if_fail (dcs != NULL);

  ch = rtc_data_channels_lookup (dcs, stream);
  if (ch == NULL) {
    /* E.g. the peer answering the reset with which we refused its OPEN. */
    GST_DEBUG ("stream %u reset, no channel", stream);
    return;
  }

  switch (ch->state) {
    case GST_WEBRTC_DATA_CHANNEL_STATE_CLOSING:
      /* We started closing; the peer has now reset its side as well. */
      break;
    case GST_WEBRTC_DATA_CHANNEL_STATE_CONNECTING:
    case GST_WEBRTC_DATA_CHANNEL_STATE_OPEN:
      if (ch->open_sent && !ch->heard_from_peer) {
        /* RFC 8832 section 6: "receiving an SCTP stream-reset request for
         * a stream on which no DATA_CHANNEL_ACK message has been received
         * indicates ... the failure of the data channel setup" (the
         * channel is open already: start_channel). */
        push_error (dcs, ch, stream, g_error_new (RTC_DATA_CHANNELS_ERROR,
                RTC_DATA_CHANNELS_ERROR_OPEN_REJECTED,
                "peer refused DATA_CHANNEL_OPEN for '%s' on stream %u",
                ch->label, stream));
      }
      /* fall through */
    default:
      /* RFC 8831 section 6.7: "When the peer sees that an incoming stream
       * was reset, it also resets its corresponding outgoing stream." */
      set_state (ch, GST_WEBRTC_DATA_CHANNEL_STATE_CLOSING);
      push_action (dcs, RTC_DC_ACTION_RESET_STREAM, ch, stream);
      break;
  }
  finish_close (dcs, ch);
}
