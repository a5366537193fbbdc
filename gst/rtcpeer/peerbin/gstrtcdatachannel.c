/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:gstrtcdatachannel
 * @title: GstRtcDataChannel
 *
 * An RTCDataChannel of rtcpeerbin: a #GstWebRTCDataChannel, so
 * GST_IS_WEBRTC_DATA_CHANNEL () holds, gst_webrtc_data_channel_send_string_full
 * (), send_data_full () and close () work (Python's `channel.send_string ()`
 * too), and the properties and signals are the parent's (`label`, `ordered`,
 * `max-packet-lifetime`, `max-retransmits`, `protocol`, `negotiated`, `id`,
 * `priority`, `ready-state`, `buffered-amount`,
 * `buffered-amount-low-threshold`; `on-open`, `on-close`, `on-error`,
 * `on-message-data`, `on-message-string`, `on-buffered-amount-low`; the
 * actions `send-data`, `send-string`, `close`).
 *
 * GStreamer 1.22 does not install the structs of #GstWebRTCDataChannel.
 * The type is therefore registered at run time with the parent's instance
 * and class sizes from g_type_query (); our fields are instance private
 * data; the three virtual methods are filled through the class layout
 * below, which registration checks against the installed size (a
 * mismatch is a critical and no type, and the plugin then registers no
 * element). The parent's properties are overridden so that this type
 * keeps the state (the parent's fields stay unused).
 */

#include <string.h>

#include "gstrtcdatachannel.h"

GST_DEBUG_CATEGORY_STATIC (gst_rtc_data_channel_debug);
#define GST_CAT_DEFAULT gst_rtc_data_channel_debug

/* GstWebRTCDataChannelClass as GStreamer 1.22 lays it out (webrtc-priv.h
 * is not installed). Checked against g_type_query () at registration. */
typedef struct
{
  GObjectClass parent_class;

  gboolean (*send_data) (GstWebRTCDataChannel * channel, GBytes * data,
      GError ** error);
  gboolean (*send_string) (GstWebRTCDataChannel * channel, const gchar * str,
      GError ** error);
  void (*close) (GstWebRTCDataChannel * channel);

  gpointer _padding[GST_PADDING];
} RtcWebRTCDataChannelClass;

typedef struct
{
  /* fixed at creation */
  RtcDataChannel *core;
  GstRtcDataChannelOwner owner;

  /* lock protects: owner_data, id, state, buffered_amount, threshold */
  GMutex lock;
  gpointer owner_data;
  gint id;
  GstWebRTCDataChannelState state;
  /* on-open was emitted: a channel the peer opened is already open when
   * on-data-channel announces it (W3C "announce the channel as open"
   * follows), so its state alone does not say it */
  gboolean open_announced;
  guint64 buffered_amount;
  guint64 threshold;
} GstRtcDataChannelPrivate;

static gint private_offset;
static gpointer parent_class;

#define PRIV(obj) ((GstRtcDataChannelPrivate *) \
    G_STRUCT_MEMBER_P ((obj), private_offset))
#define LOCK(p) g_mutex_lock (&(p)->lock)
#define UNLOCK(p) g_mutex_unlock (&(p)->lock)

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

/* the parent's signals, emitted by us */
enum
{
  SIGNAL_ON_OPEN,
  SIGNAL_ON_CLOSE,
  SIGNAL_ON_ERROR,
  SIGNAL_ON_MESSAGE_DATA,
  SIGNAL_ON_MESSAGE_STRING,
  SIGNAL_ON_BUFFERED_AMOUNT_LOW,
  NUM_SIGNALS
};

static guint signals[NUM_SIGNALS];

static void gst_rtc_data_channel_class_init (gpointer klass, gpointer data);
static void gst_rtc_data_channel_init (GTypeInstance * instance,
    gpointer klass);

GType
gst_rtc_data_channel_get_type (void)
{
  static gsize type = 0;

  if (g_once_init_enter (&type)) {
    GType parent = GST_TYPE_WEBRTC_DATA_CHANNEL;
    GType t = G_TYPE_INVALID;
    GTypeQuery q;

    g_type_query (parent, &q);
    if (q.type == 0 || q.class_size != sizeof (RtcWebRTCDataChannelClass)) {
      g_critical ("rtcpeer: the installed GStreamer's GstWebRTCDataChannelClass"
          " is %u bytes, rtcpeer was built for the 1.22 layout of %u bytes; "
          "rebuild rtcpeer against this GStreamer", q.class_size,
          (guint) sizeof (RtcWebRTCDataChannelClass));
    } else {
      t = g_type_register_static_simple (parent, "GstRtcDataChannel",
          q.class_size, gst_rtc_data_channel_class_init, q.instance_size,
          gst_rtc_data_channel_init, G_TYPE_FLAG_FINAL);
      private_offset = g_type_add_instance_private (t,
          sizeof (GstRtcDataChannelPrivate));
      GST_DEBUG_CATEGORY_INIT (gst_rtc_data_channel_debug, "rtcdatachannel",
          0, "rtcpeer data channel");
    }
    g_once_init_leave (&type, t);
  }
  return type;
}

static void
gst_rtc_data_channel_finalize (GObject * object)
{
  GstRtcDataChannelPrivate *p = PRIV (object);

  if (p->core)
    rtc_data_channel_unref (p->core);
  g_mutex_clear (&p->lock);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_rtc_data_channel_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstRtcDataChannelPrivate *p = PRIV (object);

  LOCK (p);
  switch (prop_id) {
    case PROP_LABEL:
      g_value_set_string (value, p->core->label);
      break;
    case PROP_ORDERED:
      g_value_set_boolean (value, p->core->ordered);
      break;
    case PROP_MAX_PACKET_LIFETIME:
      g_value_set_int (value, p->core->max_packet_lifetime);
      break;
    case PROP_MAX_RETRANSMITS:
      g_value_set_int (value, p->core->max_retransmits);
      break;
    case PROP_PROTOCOL:
      g_value_set_string (value, p->core->protocol);
      break;
    case PROP_NEGOTIATED:
      g_value_set_boolean (value, p->core->negotiated);
      break;
    case PROP_ID:
      g_value_set_int (value, p->id);
      break;
    case PROP_PRIORITY:
      g_value_set_enum (value,
          rtc_data_channel_priority_to_type (p->core->priority));
      break;
    case PROP_READY_STATE:
      g_value_set_enum (value, p->state);
      break;
    case PROP_BUFFERED_AMOUNT:
      g_value_set_uint64 (value, p->buffered_amount);
      break;
    case PROP_BUFFERED_AMOUNT_LOW_THRESHOLD:
      g_value_set_uint64 (value, p->threshold);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  UNLOCK (p);
}

static void
gst_rtc_data_channel_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstRtcDataChannelPrivate *p = PRIV (object);

  switch (prop_id) {
    case PROP_BUFFERED_AMOUNT_LOW_THRESHOLD:
      LOCK (p);
      p->threshold = g_value_get_uint64 (value);
      UNLOCK (p);
      break;
    default:
      /* The parent's construct-only properties: the core channel has
       * these values, and this type is only made by
       * gst_rtc_data_channel_new (), which sets none of them. */
      break;
  }
}

static gboolean
send_common (GstRtcDataChannel * self, gboolean is_string,
    const guint8 * data, gsize len, GError ** perror)
{
  GstRtcDataChannelPrivate *p = PRIV (self);
  GError *error = NULL;
  gpointer owner_data;
  gboolean ok = FALSE;

  /* While the association carries the channel, its core decides whether
   * the channel is open (under the owner's lock): it opens when its DCEP
   * OPEN is sent, which may be before on-open has reached this object
   * (the peer can answer in between). Detached, this object's state says. */
  LOCK (p);
  owner_data = p->owner_data;
  if (!owner_data)
    g_set_error (&error, GST_WEBRTC_ERROR, GST_WEBRTC_ERROR_INVALID_STATE,
        "Data channel '%s' is not open: messages can be sent once on-open "
        "was emitted", p->core->label);
  UNLOCK (p);

  if (owner_data)
    ok = p->owner.send (owner_data, self, is_string, data, len, &error);
  if (ok)
    return TRUE;
  GST_WARNING_OBJECT (self, "send failed: %s",
      error ? error->message : "unknown");
  /* The _full () functions return the error; the action signals and the
   * deprecated functions have only on-error to tell it. */
  if (perror) {
    g_propagate_error (perror, error);
  } else {
    g_signal_emit (self, signals[SIGNAL_ON_ERROR], 0, error);
    g_clear_error (&error);
  }
  return FALSE;
}

static gboolean
gst_rtc_data_channel_send_string (GstWebRTCDataChannel * channel,
    const gchar * str, GError ** error)
{
  return send_common ((GstRtcDataChannel *) channel, TRUE,
      (const guint8 *) (str ? str : ""), str ? strlen (str) : 0, error);
}

static gboolean
gst_rtc_data_channel_send_data (GstWebRTCDataChannel * channel,
    GBytes * bytes, GError ** error)
{
  gsize len = 0;
  const guint8 *data = bytes ? g_bytes_get_data (bytes, &len) : NULL;

  return send_common ((GstRtcDataChannel *) channel, FALSE, data, len, error);
}

/* https://w3c.github.io/webrtc-pc/#dom-rtcdatachannel-close */
static void
gst_rtc_data_channel_close (GstWebRTCDataChannel * channel)
{
  GstRtcDataChannel *self = (GstRtcDataChannel *) channel;
  GstRtcDataChannelPrivate *p = PRIV (self);
  gpointer owner_data;
  gboolean closing;

  LOCK (p);
  closing = p->state == GST_WEBRTC_DATA_CHANNEL_STATE_CONNECTING ||
      p->state == GST_WEBRTC_DATA_CHANNEL_STATE_OPEN;
  owner_data = p->owner_data;
  UNLOCK (p);
  if (!closing)
    return;
  gst_rtc_data_channel_set_state (self, GST_WEBRTC_DATA_CHANNEL_STATE_CLOSING);
  if (owner_data)
    p->owner.close (owner_data, self);
  else
    gst_rtc_data_channel_set_state (self,
        GST_WEBRTC_DATA_CHANNEL_STATE_CLOSED);
}

static void
gst_rtc_data_channel_class_init (gpointer klass, gpointer data)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  RtcWebRTCDataChannelClass *dc_class = klass;
  static const gchar *names[NUM_PROPERTIES] = { NULL, "label", "ordered",
    "max-packet-lifetime", "max-retransmits", "protocol", "negotiated", "id",
    "priority", "ready-state", "buffered-amount",
    "buffered-amount-low-threshold"
  };
  static const gchar *signal_names[NUM_SIGNALS] = { "on-open", "on-close",
    "on-error", "on-message-data", "on-message-string",
    "on-buffered-amount-low"
  };
  guint i;

  parent_class = g_type_class_peek_parent (klass);
  g_type_class_adjust_private_offset (klass, &private_offset);

  gobject_class->finalize = gst_rtc_data_channel_finalize;
  gobject_class->get_property = gst_rtc_data_channel_get_property;
  gobject_class->set_property = gst_rtc_data_channel_set_property;

  /* Ours to store: the parent's would need its private struct. */
  for (i = 1; i < NUM_PROPERTIES; i++) {
    g_object_class_override_property (gobject_class, i, names[i]);
    properties[i] = g_object_class_find_property (gobject_class, names[i]);
  }
  for (i = 0; i < NUM_SIGNALS; i++)
    signals[i] = g_signal_lookup (signal_names[i],
        GST_TYPE_WEBRTC_DATA_CHANNEL);

  /* The parent's action signals and library functions call these. */
  dc_class->send_data = gst_rtc_data_channel_send_data;
  dc_class->send_string = gst_rtc_data_channel_send_string;
  dc_class->close = gst_rtc_data_channel_close;
}

static void
gst_rtc_data_channel_init (GTypeInstance * instance, gpointer klass)
{
  GstRtcDataChannelPrivate *p = PRIV (instance);

  g_mutex_init (&p->lock);
  p->id = -1;
  p->state = GST_WEBRTC_DATA_CHANNEL_STATE_CONNECTING;
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
  GstRtcDataChannelPrivate *p = PRIV (self);

  p->core = rtc_data_channel_ref (core);
  p->owner = *owner;
  p->owner_data = owner_data;
  p->id = core->id;
  p->state = core->state;
  return self;
}

RtcDataChannel *
gst_rtc_data_channel_get_core (GstRtcDataChannel * self)
{
  GstRtcDataChannelPrivate *p = PRIV (self);
  return p->core;
}

void
gst_rtc_data_channel_set_id (GstRtcDataChannel * self, gint id)
{
  GstRtcDataChannelPrivate *p = PRIV (self);

  LOCK (p);
  p->id = id;
  UNLOCK (p);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

gint
gst_rtc_data_channel_get_id (GstRtcDataChannel * self)
{
  GstRtcDataChannelPrivate *p = PRIV (self);
  gint id;

  LOCK (p);
  id = p->id;
  UNLOCK (p);
  return id;
}

GstWebRTCDataChannelState
gst_rtc_data_channel_get_state (GstRtcDataChannel * self)
{
  GstRtcDataChannelPrivate *p = PRIV (self);
  GstWebRTCDataChannelState state;

  LOCK (p);
  state = p->state;
  UNLOCK (p);
  return state;
}

void
gst_rtc_data_channel_set_state (GstRtcDataChannel * self,
    GstWebRTCDataChannelState state)
{
  GstRtcDataChannelPrivate *p = PRIV (self);
  gboolean changed, announce = FALSE;

  LOCK (p);
  changed = p->state != state &&
      p->state != GST_WEBRTC_DATA_CHANNEL_STATE_CLOSED;
  if (changed)
    p->state = state;
  if (state == GST_WEBRTC_DATA_CHANNEL_STATE_OPEN && !p->open_announced &&
      p->state == GST_WEBRTC_DATA_CHANNEL_STATE_OPEN) {
    p->open_announced = TRUE;
    announce = TRUE;
  }
  UNLOCK (p);
  if (announce && !changed) {
    g_signal_emit (self, signals[SIGNAL_ON_OPEN], 0);
    return;
  }
  if (!changed)
    return;
  GST_DEBUG_OBJECT (self, "channel %d is now %d", p->id, state);
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
  GstRtcDataChannelPrivate *p = PRIV (self);
  gboolean low;
  guint64 old;

  LOCK (p);
  old = p->buffered_amount;
  p->buffered_amount = amount;
  /* https://w3c.github.io/webrtc-pc/#dom-rtcdatachannel-bufferedamountlowthreshold:
   * fired when the amount falls from above the threshold to it or below. */
  low = old > p->threshold && amount <= p->threshold;
  UNLOCK (p);
  if (old != amount)
    g_object_notify_by_pspec (G_OBJECT (self),
        properties[PROP_BUFFERED_AMOUNT]);
  if (low)
    g_signal_emit (self, signals[SIGNAL_ON_BUFFERED_AMOUNT_LOW], 0);
}

void
gst_rtc_data_channel_detach (GstRtcDataChannel * self)
{
  GstRtcDataChannelPrivate *p = PRIV (self);

  LOCK (p);
  p->owner_data = NULL;
  UNLOCK (p);
}
