/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:gstrtctransceiver
 * @title: GstRtcRtpTransceiver
 *
 * The RTCRtpTransceiver of an rtcpeerbin: a #GstWebRTCRTPTransceiver
 * (GST_IS_WEBRTC_RTP_TRANSCEIVER () holds) with its `sender`
 * (#GstWebRTCRTPSender) and `receiver` (#GstWebRTCRTPReceiver), the
 * parent's `mid`, `mlineindex`, `direction`, `current-direction`, `kind`,
 * `codec-preferences`, and webrtcbin's `do-nack` plus `stopped`.
 *
 * GStreamer 1.22 does not install the parent's structs: the type is
 * registered at run time with the parent's sizes from g_type_query (), our
 * fields are instance private data (GstRtcRtpTransceiverState), and the
 * parent's properties but `sender`/`receiver` are overridden so that they
 * read our state. No virtual method is needed, but the class size is
 * checked so that a GStreamer with another layout fails clearly.
 */

#include "gstrtctransceiver.h"

enum
{
  PROP_0,
  PROP_MID,
  PROP_MLINEINDEX,
  PROP_DIRECTION,
  PROP_CURRENT_DIRECTION,
  PROP_KIND,
  PROP_CODEC_PREFERENCES,
  PROP_DO_NACK,
  PROP_STOPPED,
  NUM_PROPERTIES
};

static GParamSpec *properties[NUM_PROPERTIES];

gint gst_rtc_rtp_transceiver_private_offset;
static gpointer parent_class;

#define STATE(t) RTC_TRANS_STATE (t)

static void gst_rtc_rtp_transceiver_class_init (gpointer klass,
    gpointer data);
static void gst_rtc_rtp_transceiver_init (GTypeInstance * instance,
    gpointer klass);

/* GstWebRTCRTPTransceiverClass adds only padding to GstObjectClass in
 * 1.22; a different size means a layout this was not built for. */
#define EXPECTED_CLASS_SIZE (sizeof (GstObjectClass) + \
    GST_PADDING * sizeof (gpointer))

GType
gst_rtc_rtp_transceiver_get_type (void)
{
  static gsize type = 0;

  if (g_once_init_enter (&type)) {
    GType parent = GST_TYPE_WEBRTC_RTP_TRANSCEIVER;
    GType t = G_TYPE_INVALID;
    GTypeQuery q;

    g_type_query (parent, &q);
    if (q.type == 0 || q.class_size != EXPECTED_CLASS_SIZE) {
      g_critical ("rtcpeer: the installed GStreamer's "
          "GstWebRTCRTPTransceiverClass is %u bytes, rtcpeer was built for "
          "the 1.22 layout of %u bytes; rebuild rtcpeer against this "
          "GStreamer", q.class_size, (guint) EXPECTED_CLASS_SIZE);
    } else {
      t = g_type_register_static_simple (parent, "GstRtcRtpTransceiver",
          q.class_size, gst_rtc_rtp_transceiver_class_init, q.instance_size,
          gst_rtc_rtp_transceiver_init, G_TYPE_FLAG_FINAL);
      gst_rtc_rtp_transceiver_private_offset =
          g_type_add_instance_private (t, sizeof (GstRtcRtpTransceiverState));
    }
    g_once_init_leave (&type, t);
  }
  return type;
}

static void
gst_rtc_rtp_transceiver_finalize (GObject * object)
{
  GstRtcRtpTransceiverState *st = STATE (object);

  rtc_jsep_media_free (st->media);
  gst_clear_caps (&st->codec_preferences);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static GstWebRTCKind
kind_of (RtcMediaKind kind)
{
  switch (kind) {
    case RTC_MEDIA_KIND_AUDIO:
      return GST_WEBRTC_KIND_AUDIO;
    case RTC_MEDIA_KIND_VIDEO:
      return GST_WEBRTC_KIND_VIDEO;
    default:
      return GST_WEBRTC_KIND_UNKNOWN;
  }
}

static void
gst_rtc_rtp_transceiver_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstRtcRtpTransceiverState *st = STATE (object);

  GST_OBJECT_LOCK (object);
  switch (prop_id) {
    case PROP_MID:
      g_value_set_string (value, st->media->mid);
      break;
    case PROP_MLINEINDEX:
      /* webrtcbin reports G_MAXUINT before the first negotiation too. */
      g_value_set_uint (value, st->media->mline < 0 ? G_MAXUINT :
          (guint) st->media->mline);
      break;
    case PROP_DIRECTION:
      g_value_set_enum (value, st->media->direction);
      break;
    case PROP_CURRENT_DIRECTION:
      g_value_set_enum (value, st->current_direction);
      break;
    case PROP_KIND:
      g_value_set_enum (value, kind_of (st->media->kind));
      break;
    case PROP_CODEC_PREFERENCES:
      g_value_set_boxed (value, st->codec_preferences);
      break;
    case PROP_DO_NACK:
      g_value_set_boolean (value, st->do_nack_set ? st->do_nack :
          st->media->kind == RTC_MEDIA_KIND_VIDEO);
      break;
    case PROP_STOPPED:
      g_value_set_boolean (value, st->media->stopped);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (object);
}

static void
gst_rtc_rtp_transceiver_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstRtcRtpTransceiverState *st = STATE (object);

  GST_OBJECT_LOCK (object);
  switch (prop_id) {
    case PROP_DIRECTION:
      st->media->direction = g_value_get_enum (value);
      break;
    case PROP_CODEC_PREFERENCES:
      gst_caps_replace (&st->codec_preferences, g_value_get_boxed (value));
      break;
    case PROP_DO_NACK:
      st->do_nack = g_value_get_boolean (value);
      st->do_nack_set = TRUE;
      break;
    case PROP_MLINEINDEX:
      /* the parent's construct-only default, set by g_object_new (): ours
       * comes from negotiation */
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (object);
}

static void
gst_rtc_rtp_transceiver_class_init (gpointer klass, gpointer data)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  /* the parent's, whose storage would need its private struct */
  static const struct
  {
    guint id;
    const gchar *name;
  } overridden[] = {
    {PROP_MID, "mid"}, {PROP_MLINEINDEX, "mlineindex"},
    {PROP_DIRECTION, "direction"}, {PROP_CURRENT_DIRECTION,
        "current-direction"}, {PROP_KIND, "kind"},
    {PROP_CODEC_PREFERENCES, "codec-preferences"},
  };
  guint i;

  parent_class = g_type_class_peek_parent (klass);
  g_type_class_adjust_private_offset (klass,
      &gst_rtc_rtp_transceiver_private_offset);

  gobject_class->finalize = gst_rtc_rtp_transceiver_finalize;
  gobject_class->get_property = gst_rtc_rtp_transceiver_get_property;
  gobject_class->set_property = gst_rtc_rtp_transceiver_set_property;

  for (i = 0; i < G_N_ELEMENTS (overridden); i++) {
    g_object_class_override_property (gobject_class, overridden[i].id,
        overridden[i].name);
    properties[overridden[i].id] =
        g_object_class_find_property (gobject_class, overridden[i].name);
  }
  /* webrtcbin's transceivers have these too */
  properties[PROP_DO_NACK] = g_param_spec_boolean ("do-nack", "Do NACK",
      "Negotiate and use NACK retransmission", FALSE,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_property (gobject_class, PROP_DO_NACK,
      properties[PROP_DO_NACK]);
  properties[PROP_STOPPED] = g_param_spec_boolean ("stopped", "Stopped",
      "Whether the transceiver has been stopped", FALSE,
      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_property (gobject_class, PROP_STOPPED,
      properties[PROP_STOPPED]);
}

static void
gst_rtc_rtp_transceiver_init (GTypeInstance * instance, gpointer klass)
{
  STATE (instance)->current_direction =
      GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_NONE;
}

GstRtcRtpTransceiver *
gst_rtc_rtp_transceiver_new (RtcJsepMedia * media)
{
  GstRtcRtpTransceiver *self;

  GstObject *sender, *receiver;

  /* The parent takes them as construct properties and parents them to
   * the transceiver (which then holds the only reference). */
  sender = g_object_new (GST_TYPE_WEBRTC_RTP_SENDER, NULL);
  receiver = g_object_new (GST_TYPE_WEBRTC_RTP_RECEIVER, NULL);
  self = g_object_new (GST_TYPE_RTC_RTP_TRANSCEIVER, "sender", sender,
      "receiver", receiver, NULL);
  gst_object_unref (sender);
  gst_object_unref (receiver);
  STATE (self)->media = media;
  return gst_object_ref_sink (self);
}

gboolean
gst_rtc_rtp_transceiver_get_do_nack (GstRtcRtpTransceiver * trans)
{
  gboolean nack;

  GST_OBJECT_LOCK (trans);
  /* Until the user chooses, video asks for retransmissions, whenever its
   * kind became known (a sink pad's transceiver learns it from caps). */
  nack = STATE (trans)->do_nack_set ? STATE (trans)->do_nack :
      STATE (trans)->media->kind == RTC_MEDIA_KIND_VIDEO;
  GST_OBJECT_UNLOCK (trans);
  return nack;
}

RtcJsepMedia *
gst_rtc_rtp_transceiver_dup_media (GstRtcRtpTransceiver * trans)
{
  RtcJsepMedia *copy;

  GST_OBJECT_LOCK (trans);
  copy = rtc_jsep_media_copy (STATE (trans)->media);
  GST_OBJECT_UNLOCK (trans);
  return copy;
}

void
gst_rtc_rtp_transceiver_update_media (GstRtcRtpTransceiver * trans,
    const RtcJsepMedia * media)
{
  gboolean mid_changed, mline_changed;
  RtcJsepMedia *copy = rtc_jsep_media_copy (media);
  RtcJsepMedia *old;

  GST_OBJECT_LOCK (trans);
  old = STATE (trans)->media;
  mid_changed = g_strcmp0 (old->mid, copy->mid) != 0;
  mline_changed = old->mline != copy->mline;
  /* The user may have changed the direction or the stream (a sink pad's
   * msid) since the snapshot. */
  copy->direction = old->direction;
  g_free (copy->stream_id);
  copy->stream_id = g_strdup (old->stream_id);
  STATE (trans)->media = copy;
  GST_OBJECT_UNLOCK (trans);
  rtc_jsep_media_free (old);

  if (mid_changed)
    g_object_notify_by_pspec (G_OBJECT (trans), properties[PROP_MID]);
  if (mline_changed)
    g_object_notify_by_pspec (G_OBJECT (trans), properties[PROP_MLINEINDEX]);
}

void
gst_rtc_rtp_transceiver_set_current_direction (GstRtcRtpTransceiver * trans,
    GstWebRTCRTPTransceiverDirection dir)
{
  gboolean changed;

  GST_OBJECT_LOCK (trans);
  changed = STATE (trans)->current_direction != dir;
  STATE (trans)->current_direction = dir;
  GST_OBJECT_UNLOCK (trans);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (trans),
        properties[PROP_CURRENT_DIRECTION]);
}
