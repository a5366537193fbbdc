/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:element-rtcicesink
 * @title: rtcicesink
 * @see_also: rtcicesrc, rtcdtlssrtpenc, rtcpeerbin
 *
 * Sends the datagrams it receives on one ICE transport: stream `stream`
 * of the shared RtcIceAgent `agent` (one agent per peer connection, a
 * stream per BUNDLE group). A buffer list leaves in as few system calls
 * as the selected pair allows (`sendmmsg` on a direct UDP path, see
 * rtciceroute.c). Datagrams that cannot leave (no pair selected yet, a
 * full socket buffer) are dropped and counted in `dropped`, as the
 * network would drop them; the stream never fails for it.
 *
 * The agent is not owned: the application sets `agent` to NULL (which
 * waits for a send in progress) or the element to NULL before it frees
 * the agent.
 *
 * ## Example launch line
 * |[
 * gst-inspect-1.0 rtcicesink
 * ]| It is an internal element: the agent is a C object of rtcpeer.
 */

/**
 * SECTION:element-rtcicesrc
 * @title: rtcicesrc
 * @see_also: rtcicesink, rtcdtlssrtpdec, rtcpeerbin
 *
 * The datagrams received on one ICE transport (stream `stream` of
 * `agent`), pushed on `src` from the agent's network thread, one buffer
 * each. The agent has one receive callback for all its streams: its owner
 * hands each datagram to the source of its stream with
 * gst_rtc_ice_src_receive (). Nothing is pushed while the element is not
 * at PAUSED or PLAYING.
 *
 * ## Example launch line
 * |[
 * gst-inspect-1.0 rtcicesrc
 * ]| It is an internal element: the agent is a C object of rtcpeer.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrtciceelements.h"

GST_DEBUG_CATEGORY_STATIC (rtc_ice_elements_debug);
#define GST_CAT_DEFAULT rtc_ice_elements_debug

/* Datagrams of one buffer list sent together; a longer list goes in
 * slices of this many. */
#define MAX_BURST 64

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);
static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS,
    GST_STATIC_CAPS ("application/x-rtc-datagram"));

enum
{
  PROP_0,
  PROP_AGENT,
  PROP_STREAM,
  PROP_SENT,
  PROP_DROPPED,
  PROP_RECEIVED,
};

static void
init_debug (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once)) {
    GST_DEBUG_CATEGORY_INIT (rtc_ice_elements_debug, "rtcice-elements", 0,
        "rtcicesink and rtcicesrc");
    g_once_init_leave (&once, 1);
  }
}

/* ---- rtcicesink ---- */

struct _GstRtcIceSink
{
  GstElement parent;

  GstPad *sink;
  /* agent_lock: agent and stream; held around a send so that unsetting
   * the agent waits for the send in progress. */
  GMutex agent_lock;
  RtcIceAgent *agent;
  guint stream;
  guint64 sent, dropped;        /* agent_lock */
};

G_DEFINE_TYPE_WITH_CODE (GstRtcIceSink, gst_rtc_ice_sink, GST_TYPE_ELEMENT,
    init_debug ());
GST_ELEMENT_REGISTER_DEFINE (rtcicesink, "rtcicesink", GST_RANK_NONE,
    GST_TYPE_RTC_ICE_SINK);

static guint
send_locked (GstRtcIceSink * self, const RtcDatagram * d, guint n)
{
  guint sent = 0;

  if (self->agent && self->stream)
    sent = n == 1 ? (rtc_ice_agent_send (self->agent, self->stream, d[0].data,
            d[0].len) ? 1 : 0) : rtc_ice_agent_send_many (self->agent,
        self->stream, d, n);
  self->sent += sent;
  self->dropped += n - sent;
  return sent;
}

static GstFlowReturn
sink_chain (GstPad * pad, GstObject * parent, GstBuffer * buffer)
{
  GstRtcIceSink *self = GST_RTC_ICE_SINK (parent);
  GstMapInfo map;

  if (gst_buffer_map (buffer, &map, GST_MAP_READ)) {
    RtcDatagram d = { map.data, map.size };

    g_mutex_lock (&self->agent_lock);
    send_locked (self, &d, 1);
    g_mutex_unlock (&self->agent_lock);
    gst_buffer_unmap (buffer, &map);
  }
  gst_buffer_unref (buffer);
  return GST_FLOW_OK;
}

static GstFlowReturn
sink_chain_list (GstPad * pad, GstObject * parent, GstBufferList * list)
{
  GstRtcIceSink *self = GST_RTC_ICE_SINK (parent);
  guint n = gst_buffer_list_length (list), i = 0;
  RtcDatagram d[MAX_BURST];
  GstMapInfo maps[MAX_BURST];
  GstBuffer *bufs[MAX_BURST];

  g_mutex_lock (&self->agent_lock);
  while (i < n) {
    guint k = 0, j;

    /* mapped, not copied: the datagrams leave from the buffers' memory */
    for (; i < n && k < MAX_BURST; i++) {
      bufs[k] = gst_buffer_list_get (list, i);
      if (!gst_buffer_map (bufs[k], &maps[k], GST_MAP_READ))
        continue;
      d[k].data = maps[k].data;
      d[k].len = maps[k].size;
      k++;
    }
    send_locked (self, d, k);
    for (j = 0; j < k; j++)
      gst_buffer_unmap (bufs[j], &maps[j]);
  }
  g_mutex_unlock (&self->agent_lock);
  gst_buffer_list_unref (list);
  return GST_FLOW_OK;
}

static gboolean
sink_event (GstPad * pad, GstObject * parent, GstEvent * event)
{
  /* The network is the end of the line. */
  gst_event_unref (event);
  return TRUE;
}

static void
gst_rtc_ice_sink_init (GstRtcIceSink * self)
{
  g_mutex_init (&self->agent_lock);
  self->sink = gst_pad_new_from_static_template (&sink_template, "sink");
  gst_pad_set_chain_function (self->sink, GST_DEBUG_FUNCPTR (sink_chain));
  gst_pad_set_chain_list_function (self->sink,
      GST_DEBUG_FUNCPTR (sink_chain_list));
  gst_pad_set_event_function (self->sink, GST_DEBUG_FUNCPTR (sink_event));
  gst_element_add_pad (GST_ELEMENT (self), self->sink);
}

static void
gst_rtc_ice_sink_finalize (GObject * object)
{
  g_mutex_clear (&GST_RTC_ICE_SINK (object)->agent_lock);
  G_OBJECT_CLASS (gst_rtc_ice_sink_parent_class)->finalize (object);
}

static void
gst_rtc_ice_sink_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstRtcIceSink *self = GST_RTC_ICE_SINK (object);

  g_mutex_lock (&self->agent_lock);
  switch (prop_id) {
    case PROP_AGENT:
      self->agent = g_value_get_pointer (value);
      break;
    case PROP_STREAM:
      self->stream = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  g_mutex_unlock (&self->agent_lock);
}

static void
gst_rtc_ice_sink_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstRtcIceSink *self = GST_RTC_ICE_SINK (object);

  g_mutex_lock (&self->agent_lock);
  switch (prop_id) {
    case PROP_AGENT:
      g_value_set_pointer (value, self->agent);
      break;
    case PROP_STREAM:
      g_value_set_uint (value, self->stream);
      break;
    case PROP_SENT:
      g_value_set_uint64 (value, self->sent);
      break;
    case PROP_DROPPED:
      g_value_set_uint64 (value, self->dropped);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  g_mutex_unlock (&self->agent_lock);
}

static void
install_agent_properties (GObjectClass * gobject_class)
{
  g_object_class_install_property (gobject_class, PROP_AGENT,
      g_param_spec_pointer ("agent", "Agent",
          "The RtcIceAgent (not owned) whose stream this is",
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_STREAM,
      g_param_spec_uint ("stream", "Stream", "The agent's stream id (0: none)",
          0, G_MAXUINT, 0, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
}

static void
gst_rtc_ice_sink_class_init (GstRtcIceSinkClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gobject_class->finalize = gst_rtc_ice_sink_finalize;
  gobject_class->set_property = gst_rtc_ice_sink_set_property;
  gobject_class->get_property = gst_rtc_ice_sink_get_property;
  install_agent_properties (gobject_class);
  g_object_class_install_property (gobject_class, PROP_SENT,
      g_param_spec_uint64 ("sent", "Sent", "Datagrams the agent took", 0,
          G_MAXUINT64, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_DROPPED,
      g_param_spec_uint64 ("dropped", "Dropped",
          "Datagrams that could not leave (no pair yet, full socket)", 0,
          G_MAXUINT64, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_set_static_metadata (element_class, "rtcpeer ICE sink",
      "Sink/Network/WebRTC",
      "Sends datagrams on one stream of an ICE agent (internal to "
      "rtcpeerbin)", "rtcpeer developers");
}

/* ---- rtcicesrc ---- */

struct _GstRtcIceSrc
{
  GstElement parent;

  GstPad *src;
  RtcIceAgent *agent;           /* object lock; informational */
  guint stream;                 /* object lock */
  gint started;                 /* atomic: sticky events pushed */
  guint64 received;             /* network thread */
};

G_DEFINE_TYPE_WITH_CODE (GstRtcIceSrc, gst_rtc_ice_src, GST_TYPE_ELEMENT,
    init_debug ());
GST_ELEMENT_REGISTER_DEFINE (rtcicesrc, "rtcicesrc", GST_RANK_NONE,
    GST_TYPE_RTC_ICE_SRC);

void
gst_rtc_ice_src_receive (GstRtcIceSrc * self, const guint8 * data, gsize len)
{
  GstBuffer *buf;

  if (GST_PAD_IS_FLUSHING (self->src))
    return;
  /* One network thread receives for a stream: the first datagram pushes
   * the sticky events, once. */
  if (!g_atomic_int_get (&self->started)) {
    GstSegment segment;
    gchar *id = g_strdup_printf ("%s/src", GST_OBJECT_NAME (self));

    gst_pad_push_event (self->src, gst_event_new_stream_start (id));
    g_free (id);
    gst_pad_push_event (self->src,
        gst_event_new_caps (gst_static_caps_get (&src_template.static_caps)));
    gst_segment_init (&segment, GST_FORMAT_TIME);
    gst_pad_push_event (self->src, gst_event_new_segment (&segment));
    g_atomic_int_set (&self->started, 1);
  }
  buf = gst_buffer_new_memdup (data, len);
  self->received++;
  gst_pad_push (self->src, buf);
}

static GstStateChangeReturn
gst_rtc_ice_src_change_state (GstElement * element, GstStateChange transition)
{
  GstRtcIceSrc *self = GST_RTC_ICE_SRC (element);
  GstStateChangeReturn ret;

  ret = GST_ELEMENT_CLASS (gst_rtc_ice_src_parent_class)->change_state
      (element, transition);
  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY)
    g_atomic_int_set (&self->started, 0);
  /* Datagrams come whenever the network sends them: a live source. */
  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED
      || transition == GST_STATE_CHANGE_PLAYING_TO_PAUSED)
    ret = ret == GST_STATE_CHANGE_FAILURE ? ret : GST_STATE_CHANGE_NO_PREROLL;
  return ret;
}

static void
gst_rtc_ice_src_init (GstRtcIceSrc * self)
{
  self->src = gst_pad_new_from_static_template (&src_template, "src");
  gst_pad_use_fixed_caps (self->src);
  gst_element_add_pad (GST_ELEMENT (self), self->src);
  GST_OBJECT_FLAG_SET (self, GST_ELEMENT_FLAG_SOURCE);
}

static void
gst_rtc_ice_src_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstRtcIceSrc *self = GST_RTC_ICE_SRC (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_AGENT:
      self->agent = g_value_get_pointer (value);
      break;
    case PROP_STREAM:
      self->stream = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_rtc_ice_src_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstRtcIceSrc *self = GST_RTC_ICE_SRC (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_AGENT:
      g_value_set_pointer (value, self->agent);
      break;
    case PROP_STREAM:
      g_value_set_uint (value, self->stream);
      break;
    case PROP_RECEIVED:
      g_value_set_uint64 (value, self->received);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_rtc_ice_src_class_init (GstRtcIceSrcClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gobject_class->set_property = gst_rtc_ice_src_set_property;
  gobject_class->get_property = gst_rtc_ice_src_get_property;
  install_agent_properties (gobject_class);
  g_object_class_install_property (gobject_class, PROP_RECEIVED,
      g_param_spec_uint64 ("received", "Received", "Datagrams pushed", 0,
          G_MAXUINT64, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_rtc_ice_src_change_state);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class, "rtcpeer ICE source",
      "Source/Network/WebRTC",
      "Datagrams received on one stream of an ICE agent (internal to "
      "rtcpeerbin)", "rtcpeer developers");
}
