/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:gstrtcdatachannel
 * @title: GstRtcDataChannel
 *
 * An RTCDataChannel of rtcpeerbin. GStreamer 1.22 does not install the
 * struct of #GstWebRTCDataChannel, so it cannot be subclassed outside
 * GStreamer; this type has the same properties (`label`, `ordered`,
 * `max-packet-lifetime`, `max-retransmits`, `protocol`, `negotiated`, `id`,
 * `priority`, `ready-state`, `buffered-amount`,
 * `buffered-amount-low-threshold`), signals (`on-open`, `on-close`,
 * `on-error`, `on-message-data`, `on-message-string`,
 * `on-buffered-amount-low`) and action signals (`send-data`, `send-string`,
 * `close`). C code calling gst_webrtc_data_channel_send_string () and
 * friends uses g_signal_emit_by_name (channel, "send-string", ...) instead.
 */

#include <string.h>

#include "gstrtcdatachannel.h"

GST_DEBUG_CATEGORY_STATIC (gst_rtc_data_channel_debug);
#define GST_CAT_DEFAULT gst_rtc_data_channel_debug

struct _GstRtcDataChannel
{
  GstObject parent;

  /* fixed at creation */
  RtcDataChannel *core;
  GstRtcDataChannelOwner owner;

  /* object lock protects: owner_data, id, state, buffered_amount,
   * threshold */
  gpointer owner_data;
  gint id;
  GstWebRTCDataChannelState state;
  /* on-open was emitted: a channel the peer opened is already open when
   * on-data-channel announces it (W3C "announce the channel as open"
   * follows), so its state alone does not say it */
  gboolean open_announced;
  guint64 buffered_amount;
  guint64 threshold;
};

enum
{
  PROP_0,
  PROP_LABEL,
  PROP_ORDERED,
  PROP_MAX_PACKET_LIFETIME,
  PROP_MAX_RETRANSMITS,
  PROP_PROTOCOL,
  PROP_NEGOTIATED,
  PROP_ID,
  PROP_PRIORITY,
  PROP_READY_STATE,
  PROP_BUFFERED_AMOUNT,
  PROP_BUFFERED_AMOUNT_LOW_THRESHOLD,
  NUM_PROPERTIES
};

static GParamSpec *properties[NUM_PROPERTIES];

enum
{
  SIGNAL_ON_OPEN,
  SIGNAL_ON_CLOSE,
  SIGNAL_ON_ERROR,
  SIGNAL_ON_MESSAGE_DATA,
  SIGNAL_ON_MESSAGE_STRING,
  SIGNAL_ON_BUFFERED_AMOUNT_LOW,
  SIGNAL_SEND_DATA,
  SIGNAL_SEND_STRING,
  SIGNAL_CLOSE,
  NUM_SIGNALS
};

static guint signals[NUM_SIGNALS];

G_DEFINE_TYPE_WITH_CODE (GstRtcDataChannel, gst_rtc_data_channel,
    GST_TYPE_OBJECT, GST_DEBUG_CATEGORY_INIT (gst_rtc_data_channel_debug,
        "rtcdatachannel", 0, "rtcpeer data channel"));

static void
gst_rtc_data_channel_finalize (GObject * object)
{
  GstRtcDataChannel *self = GST_RTC_DATA_CHANNEL (object);

  if (self->core)
    rtc_data_channel_unref (self->core);
  G_OBJECT_CLASS (gst_rtc_data_channel_parent_class)->finalize (object);
}

static void
gst_rtc_data_channel_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstRtcDataChannel *self = GST_RTC_DATA_CHANNEL (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_LABEL:
      g_value_set_string (value, self->core->label);
      break;
    case PROP_ORDERED:
      g_value_set_boolean (value, self->core->ordered);
      break;
    case PROP_MAX_PACKET_LIFETIME:
      g_value_set_int (value, self->core->max_packet_lifetime);
      break;
    case PROP_MAX_RETRANSMITS:
      g_value_set_int (value, self->core->max_retransmits);
      break;
    case PROP_PROTOCOL:
      g_value_set_string (value, self->core->protocol);
      break;
    case PROP_NEGOTIATED:
      g_value_set_boolean (value, self->core->negotiated);
      break;
    case PROP_ID:
      g_value_set_int (value, self->id);
      break;
    case PROP_PRIORITY:
      g_value_set_enum (value,
          rtc_data_channel_priority_to_type (self->core->priority));
      break;
    case PROP_READY_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_BUFFERED_AMOUNT:
      g_value_set_uint64 (value, self->buffered_amount);
      break;
    case PROP_BUFFERED_AMOUNT_LOW_THRESHOLD:
      g_value_set_uint64 (value, self->threshold);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_rtc_data_channel_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstRtcDataChannel *self = GST_RTC_DATA_CHANNEL (object);

  switch (prop_id) {
    case PROP_BUFFERED_AMOUNT_LOW_THRESHOLD:
      GST_OBJECT_LOCK (self);
      self->threshold = g_value_get_uint64 (value);
      GST_OBJECT_UNLOCK (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
send_common (GstRtcDataChannel * self, gboolean is_string,
    const guint8 * data, gsize len)
{
  GError *error = NULL;
  gpointer owner_data;
  gboolean ok = FALSE;

  GST_OBJECT_LOCK (self);
  owner_data = self->owner_data;
  if (self->state != GST_WEBRTC_DATA_CHANNEL_STATE_OPEN) {
    g_set_error (&error, GST_WEBRTC_ERROR, GST_WEBRTC_ERROR_INVALID_STATE,
        "Data channel '%s' is not open: messages can be sent once on-open "
        "was emitted", self->core->label);
    owner_data = NULL;
  }
  GST_OBJECT_UNLOCK (self);

  if (owner_data)
    ok = self->owner.send (owner_data, self, is_string, data, len, &error);
  if (!ok) {
    GST_WARNING_OBJECT (self, "send failed: %s",
        error ? error->message : "unknown");
    g_signal_emit (self, signals[SIGNAL_ON_ERROR], 0, error);
    g_clear_error (&error);
  }
}

static void
gst_rtc_data_channel_send_string (GstRtcDataChannel * self, const gchar * str)
{
  send_common (self, TRUE, (const guint8 *) (str ? str : ""),
      str ? strlen (str) : 0);
}

static void
gst_rtc_data_channel_send_data (GstRtcDataChannel * self, GBytes * bytes)
{
  gsize len = 0;
  const guint8 *data = bytes ? g_bytes_get_data (bytes, &len) : NULL;

  send_common (self, FALSE, data, len);
}

/* https://w3c.github.io/webrtc-pc/#dom-rtcdatachannel-close */
static void
gst_rtc_data_channel_close (GstRtcDataChannel * self)
{
  gpointer owner_data;
  gboolean closing;

  GST_OBJECT_LOCK (self);
  closing = self->state == GST_WEBRTC_DATA_CHANNEL_STATE_CONNECTING ||
      self->state == GST_WEBRTC_DATA_CHANNEL_STATE_OPEN;
  owner_data = self->owner_data;
  GST_OBJECT_UNLOCK (self);
  if (!closing)
    return;
  gst_rtc_data_channel_set_state (self, GST_WEBRTC_DATA_CHANNEL_STATE_CLOSING);
  if (owner_data)
    self->owner.close (owner_data, self);
  else
    gst_rtc_data_channel_set_state (self,
        GST_WEBRTC_DATA_CHANNEL_STATE_CLOSED);
}

static void
gst_rtc_data_channel_class_init (GstRtcDataChannelClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  gobject_class->finalize = gst_rtc_data_channel_finalize;
  gobject_class->get_property = gst_rtc_data_channel_get_property;
  gobject_class->set_property = gst_rtc_data_channel_set_property;

  properties[PROP_LABEL] = g_param_spec_string ("label", "Label",
      "Data channel label", NULL, ro);
  properties[PROP_ORDERED] = g_param_spec_boolean ("ordered", "Ordered",
      "Whether messages are delivered in order", TRUE, ro);
  properties[PROP_MAX_PACKET_LIFETIME] = g_param_spec_int
      ("max-packet-lifetime", "Maximum packet lifetime",
      "Milliseconds a message may be retransmitted for (-1: unlimited)", -1,
      G_MAXUINT16, -1, ro);
  properties[PROP_MAX_RETRANSMITS] = g_param_spec_int ("max-retransmits",
      "Maximum retransmits", "Retransmissions of a message (-1: unlimited)",
      -1, G_MAXUINT16, -1, ro);
  properties[PROP_PROTOCOL] = g_param_spec_string ("protocol", "Protocol",
      "Sub-protocol of the channel", "", ro);
  properties[PROP_NEGOTIATED] = g_param_spec_boolean ("negotiated",
      "Negotiated", "Created on both sides by the application (no DCEP)",
      FALSE, ro);
  properties[PROP_ID] = g_param_spec_int ("id", "ID",
      "SCTP stream id (-1 until known)", -1, 65534, -1, ro);
  properties[PROP_PRIORITY] = g_param_spec_enum ("priority", "Priority",
      "Priority of the channel", GST_TYPE_WEBRTC_PRIORITY_TYPE,
      GST_WEBRTC_PRIORITY_TYPE_LOW, ro);
  properties[PROP_READY_STATE] = g_param_spec_enum ("ready-state",
      "Ready state", "State of the channel",
      GST_TYPE_WEBRTC_DATA_CHANNEL_STATE,
      GST_WEBRTC_DATA_CHANNEL_STATE_CONNECTING, ro);
  properties[PROP_BUFFERED_AMOUNT] = g_param_spec_uint64 ("buffered-amount",
      "Buffered amount", "Bytes queued to be sent", 0, G_MAXUINT64, 0, ro);
  properties[PROP_BUFFERED_AMOUNT_LOW_THRESHOLD] =
      g_param_spec_uint64 ("buffered-amount-low-threshold",
      "Buffered amount low threshold", "on-buffered-amount-low is emitted "
      "when buffered-amount falls to this", 0, G_MAXUINT64, 0,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (gobject_class, NUM_PROPERTIES, properties);

  signals[SIGNAL_ON_OPEN] = g_signal_new ("on-open",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 0);
  signals[SIGNAL_ON_CLOSE] = g_signal_new ("on-close",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 0);
  signals[SIGNAL_ON_ERROR] = g_signal_new ("on-error",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_ERROR);
  signals[SIGNAL_ON_MESSAGE_DATA] = g_signal_new ("on-message-data",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_BYTES);
  signals[SIGNAL_ON_MESSAGE_STRING] = g_signal_new ("on-message-string",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_ON_BUFFERED_AMOUNT_LOW] =
      g_signal_new ("on-buffered-amount-low", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_SEND_DATA] = g_signal_new_class_handler ("send-data",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gst_rtc_data_channel_send_data), NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_BYTES);
  signals[SIGNAL_SEND_STRING] = g_signal_new_class_handler ("send-string",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gst_rtc_data_channel_send_string), NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_CLOSE] = g_signal_new_class_handler ("close",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gst_rtc_data_channel_close), NULL, NULL, NULL,
      G_TYPE_NONE, 0);
}

static void
gst_rtc_data_channel_init (GstRtcDataChannel * self)
{
  self->id = -1;
  self->state = GST_WEBRTC_DATA_CHANNEL_STATE_CONNECTING;
}

void
gst_rtc_data_channel_options_from_structure (RtcDataChannelOptions * opts,
    const gchar * label, const GstStructure * options)
{
  rtc_data_channel_options_init (opts);
  opts->label = label;
  if (!options)
    return;
  gst_structure_get_boolean (options, "ordered", &opts->ordered);
  gst_structure_get_int (options, "max-packet-lifetime",
      &opts->max_packet_lifetime);
  gst_structure_get_int (options, "max-retransmits", &opts->max_retransmits);
  opts->protocol = gst_structure_get_string (options, "protocol");
  gst_structure_get_boolean (options, "negotiated", &opts->negotiated);
  gst_structure_get_int (options, "id", &opts->id);
  gst_structure_get_enum (options, "priority", GST_TYPE_WEBRTC_PRIORITY_TYPE,
      (gint *) & opts->priority);
}

GstRtcDataChannel *
gst_rtc_data_channel_new (RtcDataChannel * core,
    const GstRtcDataChannelOwner * owner, gpointer owner_data)
{
  GstRtcDataChannel *self = g_object_new (GST_TYPE_RTC_DATA_CHANNEL, NULL);

  self->core = rtc_data_channel_ref (core);
  self->owner = *owner;
  self->owner_data = owner_data;
  self->id = core->id;
  self->state = core->state;
  return gst_object_ref_sink (self);
}

RtcDataChannel *
gst_rtc_data_channel_get_core (GstRtcDataChannel * self)
{
  return self->core;
}

void
gst_rtc_data_channel_set_id (GstRtcDataChannel * self, gint id)
{
  GST_OBJECT_LOCK (self);
  self->id = id;
  GST_OBJECT_UNLOCK (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

gint
gst_rtc_data_channel_get_id (GstRtcDataChannel * self)
{
  gint id;

  GST_OBJECT_LOCK (self);
  id = self->id;
  GST_OBJECT_UNLOCK (self);
  return id;
}

GstWebRTCDataChannelState
gst_rtc_data_channel_get_state (GstRtcDataChannel * self)
{
  GstWebRTCDataChannelState state;

  GST_OBJECT_LOCK (self);
  state = self->state;
  GST_OBJECT_UNLOCK (self);
  return state;
}

void
gst_rtc_data_channel_set_state (GstRtcDataChannel * self,
    GstWebRTCDataChannelState state)
{
  gboolean changed, announce = FALSE;

  GST_OBJECT_LOCK (self);
  changed = self->state != state &&
      self->state != GST_WEBRTC_DATA_CHANNEL_STATE_CLOSED;
  if (changed)
    self->state = state;
  if (state == GST_WEBRTC_DATA_CHANNEL_STATE_OPEN && !self->open_announced &&
      self->state == GST_WEBRTC_DATA_CHANNEL_STATE_OPEN) {
    self->open_announced = TRUE;
    announce = TRUE;
  }
  GST_OBJECT_UNLOCK (self);
  if (announce && !changed) {
    g_signal_emit (self, signals[SIGNAL_ON_OPEN], 0);
    return;
  }
  if (!changed)
    return;
  GST_DEBUG_OBJECT (self, "channel %d is now %d", self->id, state);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY_STATE]);
  if (announce)
    g_signal_emit (self, signals[SIGNAL_ON_OPEN], 0);
  else if (state == GST_WEBRTC_DATA_CHANNEL_STATE_CLOSED)
    g_signal_emit (self, signals[SIGNAL_ON_CLOSE], 0);
}

void
gst_rtc_data_channel_deliver (GstRtcDataChannel * self, gboolean is_string,
    GBytes * message)
{
  if (is_string) {
    gsize len;
    const gchar *data = g_bytes_get_data (message, &len);
    gchar *str = g_strndup (data, len);

    g_signal_emit (self, signals[SIGNAL_ON_MESSAGE_STRING], 0, str);
    g_free (str);
  } else {
    /* the message itself: no copy (GBytes cannot be changed) */
    g_signal_emit (self, signals[SIGNAL_ON_MESSAGE_DATA], 0, message);
  }
}

void
gst_rtc_data_channel_error (GstRtcDataChannel * self, const GError * error)
{
  g_signal_emit (self, signals[SIGNAL_ON_ERROR], 0, error);
}

void
gst_rtc_data_channel_set_buffered_amount (GstRtcDataChannel * self,
    guint64 amount)
{
  gboolean low;
  guint64 old;

  GST_OBJECT_LOCK (self);
  old = self->buffered_amount;
  self->buffered_amount = amount;
  /* https://w3c.github.io/webrtc-pc/#dom-rtcdatachannel-bufferedamountlowthreshold:
   * fired when the amount falls from above the threshold to it or below. */
  low = old > self->threshold && amount <= self->threshold;
  GST_OBJECT_UNLOCK (self);
  if (old != amount)
    g_object_notify_by_pspec (G_OBJECT (self),
        properties[PROP_BUFFERED_AMOUNT]);
  if (low)
    g_signal_emit (self, signals[SIGNAL_ON_BUFFERED_AMOUNT_LOW], 0);
}

void
gst_rtc_data_channel_detach (GstRtcDataChannel * self)
{
  GST_OBJECT_LOCK (self);
  self->owner_data = NULL;
  GST_OBJECT_UNLOCK (self);
}
