/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:element-rtcdtlssrtpdec
 * @title: rtcdtlssrtpdec
 * @see_also: rtcdtlssrtpenc, rtcpeerbin
 *
 * The receiving half of the DTLS-SRTP connection of an #rtcdtlssrtpenc
 * (its `decoder` property; one made by its factory alone has no
 * connection and drops what it gets). Datagrams from the network come in
 * on `sink` and are sorted by their first byte (RFC 7983): DTLS records
 * go to the connection's DTLS association (handshake, SCTP data), SRTP
 * and SRTCP are authenticated, decrypted and pushed on `rtp_src` and
 * `rtcp_src`; anything else is dropped and counted. Packets that fail
 * authentication or arrive before the keys are dropped and counted (the
 * encoder's `stats`), and the stream goes on.
 *
 * Inside rtcpeerbin the ICE thread hands datagrams to the connection
 * without a buffer (the same demux), and `rtp_src` and `rtcp_src` feed
 * rtpbin's `recv_rtp_sink_N` and `recv_rtcp_sink_N`.
 *
 * The element surface of both halves lives here; the connection itself
 * in gstrtctransport.c.
 *
 * ## Example launch line
 * |[
 * gst-inspect-1.0 rtcdtlssrtpdec
 * ]| It is an internal element: rtcpeerbin and its tests drive it.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/webrtc/webrtc.h>

#include "gstrtctransport-private.h"

GST_DEBUG_CATEGORY_STATIC (rtc_dtls_srtp_debug);
#define GST_CAT_DEFAULT rtc_dtls_srtp_debug

static GstStaticPadTemplate net_src_template = GST_STATIC_PAD_TEMPLATE
    ("src", GST_PAD_SRC, GST_PAD_ALWAYS,
    GST_STATIC_CAPS ("application/x-rtc-datagram"));
static GstStaticPadTemplate net_sink_template = GST_STATIC_PAD_TEMPLATE
    ("sink", GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);

enum
{
  PROP_0,
  PROP_DECODER,
  PROP_CERTIFICATE,
  PROP_LOCAL_FINGERPRINT,
  PROP_IS_CLIENT,
  PROP_REMOTE_FINGERPRINT,
  PROP_DTLS_STATE,
  PROP_STATS,
};

static GstElementClass *enc_parent_class;
static GObjectClass *dec_parent_class;

/* ---- the encoder used on its own: datagrams out on src ---- */

static gboolean
push_datagram (gpointer user_data, const guint8 * data, gsize len)
{
  GstRtcTransport *self = user_data;

  /* Called with the connection's dtls_lock or send_lock held, as the
   * bin's sendmmsg is: downstream (a harness, a network sink) must not
   * call back into the connection from its chain function. */
  return gst_pad_push (self->net_src, gst_buffer_new_memdup (data,
          len)) == GST_FLOW_OK;
}

static guint
push_datagrams (gpointer user_data, const RtcDatagram * dgrams, guint n)
{
  GstRtcTransport *self = user_data;
  GstBufferList *list;
  guint i;

  if (n == 1)
    return push_datagram (self, dgrams[0].data, dgrams[0].len) ? 1 : 0;
  /* A burst (a video frame's packets, one DTLS flight) stays one list. */
  list = gst_buffer_list_new_sized (n);
  for (i = 0; i < n; i++)
    gst_buffer_list_add (list, gst_buffer_new_memdup (dgrams[i].data,
            dgrams[i].len));
  return gst_pad_push_list (self->net_src, list) == GST_FLOW_OK ? n : 0;
}

static void
notify_dtls_state (GstRtcTransport * transport, RtcDtlsState state,
    const GError * error, gpointer user_data)
{
  if (error)
    GST_INFO_OBJECT (transport, "DTLS %s: %s", rtc_dtls_state_name (state),
        error->message);
  g_object_notify (G_OBJECT (transport), "dtls-state");
}

void
gst_rtc_dtls_srtp_enc_init_standalone (GstRtcTransport * self)
{
  self->net_src = gst_pad_new_from_static_template (&net_src_template, "src");
  gst_pad_use_fixed_caps (self->net_src);
  gst_element_add_pad (GST_ELEMENT (self), self->net_src);
  /* gst_rtc_transport_new () replaces all of this for rtcpeerbin. */
  self->standalone = TRUE;
  self->callbacks.send = push_datagram;
  self->callbacks.send_many = push_datagrams;
  self->callbacks.dtls_state = notify_dtls_state;
  self->user_data = self;
}

void
gst_rtc_dtls_srtp_enc_finalize_standalone (GstRtcTransport * self)
{
  g_clear_pointer (&self->certificate, rtc_certificate_unref);
  g_free (self->remote_fingerprint);
}

/* Object lock held. */
static RtcCertificate *
ensure_certificate_locked (GstRtcTransport * self)
{
  if (!self->certificate) {
    GError *error = NULL;

    self->certificate = rtc_certificate_new_generated (&error);
    if (!self->certificate) {
      GST_WARNING_OBJECT (self, "no certificate: %s", error->message);
      g_clear_error (&error);
    }
  }
  return self->certificate;
}

static gboolean
start_standalone (GstRtcTransport * self)
{
  RtcCertificate *cert;
  gchar *fingerprint;
  gboolean client;
  GError *error = NULL;
  GstSegment segment;
  gchar *stream_id;
  gboolean ok;

  stream_id = g_strdup_printf ("%s/src", GST_OBJECT_NAME (self));
  gst_pad_push_event (self->net_src, gst_event_new_stream_start (stream_id));
  g_free (stream_id);
  gst_pad_push_event (self->net_src,
      gst_event_new_caps (gst_static_caps_get (&net_src_template.static_caps)));
  gst_segment_init (&segment, GST_FORMAT_TIME);
  gst_pad_push_event (self->net_src, gst_event_new_segment (&segment));

  GST_OBJECT_LOCK (self);
  cert = ensure_certificate_locked (self);
  cert = cert ? rtc_certificate_ref (cert) : NULL;
  fingerprint = g_strdup (self->remote_fingerprint);
  client = self->is_client;
  if (!self->context)
    self->context = g_main_context_ref (g_main_context_default ());
  GST_OBJECT_UNLOCK (self);

  /* Nothing waits for ICE here: whatever is downstream takes datagrams. */
  gst_rtc_transport_set_writable (self);
  ok = cert && gst_rtc_transport_start_dtls (self, cert,
      client ? RTC_DTLS_ROLE_CLIENT : RTC_DTLS_ROLE_SERVER, fingerprint,
      &error);
  if (!ok)
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS, ("DTLS could not start"),
        ("%s", error ? error->message : "no certificate"));
  g_clear_error (&error);
  g_free (fingerprint);
  g_clear_pointer (&cert, rtc_certificate_unref);
  return ok;
}

static GstStateChangeReturn
enc_change_state (GstElement * element, GstStateChange transition)
{
  GstRtcTransport *self = GST_RTC_TRANSPORT (element);
  GstStateChangeReturn ret;

  ret = enc_parent_class->change_state (element, transition);
  if (ret == GST_STATE_CHANGE_FAILURE || !self->standalone)
    return ret;
  switch (transition) {
    case GST_STATE_CHANGE_READY_TO_PAUSED:
      if (!start_standalone (self))
        ret = GST_STATE_CHANGE_FAILURE;
      break;
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      /* One connection per element: close_notify, then nothing more. */
      gst_rtc_transport_stop (self);
      break;
    default:
      break;
  }
  return ret;
}

static GstWebRTCDTLSTransportState
webrtc_dtls_state (RtcDtlsState state)
{
  switch (state) {
    case RTC_DTLS_STATE_CONNECTING:
      return GST_WEBRTC_DTLS_TRANSPORT_STATE_CONNECTING;
    case RTC_DTLS_STATE_CONNECTED:
      return GST_WEBRTC_DTLS_TRANSPORT_STATE_CONNECTED;
    case RTC_DTLS_STATE_CLOSED:
      return GST_WEBRTC_DTLS_TRANSPORT_STATE_CLOSED;
    case RTC_DTLS_STATE_FAILED:
      return GST_WEBRTC_DTLS_TRANSPORT_STATE_FAILED;
    default:
      return GST_WEBRTC_DTLS_TRANSPORT_STATE_NEW;
  }
}

static GstStructure *
stats_structure (GstRtcTransport * self)
{
  GstRtcTransportStats s;

  gst_rtc_transport_get_stats (self, &s);
  return gst_structure_new ("application/x-rtc-dtls-srtp-stats",
      "rtp-sent", G_TYPE_UINT64, s.rtp_sent,
      "rtcp-sent", G_TYPE_UINT64, s.rtcp_sent,
      "bytes-sent", G_TYPE_UINT64, s.bytes_sent,
      "rtp-received", G_TYPE_UINT64, s.rtp_received,
      "rtcp-received", G_TYPE_UINT64, s.rtcp_received,
      "bytes-received", G_TYPE_UINT64, s.bytes_received,
      "dropped-before-keys", G_TYPE_UINT64, s.dropped_before_keys,
      "received-before-keys", G_TYPE_UINT64, s.received_before_keys,
      "unprotect-failed", G_TYPE_UINT64, s.unprotect_failed,
      "garbage", G_TYPE_UINT64, s.garbage,
      "dtls-sent", G_TYPE_UINT64, s.dtls_sent,
      "dtls-retransmissions", G_TYPE_UINT64, s.dtls_retransmissions,
      "dtls-records-dropped", G_TYPE_UINT64, s.dtls_records_dropped, NULL);
}

static void
enc_set_property (GObject * object, guint prop_id, const GValue * value,
    GParamSpec * pspec)
{
  GstRtcTransport *self = GST_RTC_TRANSPORT (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_CERTIFICATE:{
      const gchar *pem = g_value_get_string (value);
      GError *error = NULL;

      g_clear_pointer (&self->certificate, rtc_certificate_unref);
      if (pem && !(self->certificate = rtc_certificate_new_from_pem (pem,
                  &error))) {
        GST_WARNING_OBJECT (self, "certificate not taken: %s",
            error->message);
        g_clear_error (&error);
      }
      break;
    }
    case PROP_IS_CLIENT:
      self->is_client = g_value_get_boolean (value);
      break;
    case PROP_REMOTE_FINGERPRINT:
      g_free (self->remote_fingerprint);
      self->remote_fingerprint = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
enc_get_property (GObject * object, guint prop_id, GValue * value,
    GParamSpec * pspec)
{
  GstRtcTransport *self = GST_RTC_TRANSPORT (object);
  RtcCertificate *cert;

  switch (prop_id) {
    case PROP_DECODER:
      g_value_set_object (value, self->src);
      break;
    case PROP_CERTIFICATE:
      /* the one set or in use; reading does not generate a key */
      GST_OBJECT_LOCK (self);
      cert = self->certificate;
      g_value_take_string (value, cert ? rtc_certificate_to_pem (cert,
              TRUE) : NULL);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_LOCAL_FINGERPRINT:
      GST_OBJECT_LOCK (self);
      cert = ensure_certificate_locked (self);
      g_value_take_string (value, cert ?
          rtc_certificate_get_fingerprint (cert) : NULL);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_IS_CLIENT:
      GST_OBJECT_LOCK (self);
      g_value_set_boolean (value, self->is_client);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_REMOTE_FINGERPRINT:
      GST_OBJECT_LOCK (self);
      g_value_set_string (value, self->remote_fingerprint);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_DTLS_STATE:
      g_value_set_enum (value,
          webrtc_dtls_state (gst_rtc_transport_get_dtls_state (self)));
      break;
    case PROP_STATS:
      g_value_take_boxed (value, stats_structure (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

void
gst_rtc_dtls_srtp_enc_class_install (GstElementClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
      GST_PARAM_MUTABLE_READY;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  GST_DEBUG_CATEGORY_INIT (rtc_dtls_srtp_debug, "rtcdtlssrtpelement", 0,
      "rtcdtlssrtpenc/dec element surface");
  enc_parent_class = g_type_class_peek_parent (klass);
  gobject_class->set_property = enc_set_property;
  gobject_class->get_property = enc_get_property;
  klass->change_state = GST_DEBUG_FUNCPTR (enc_change_state);
  gst_element_class_add_static_pad_template (klass, &net_src_template);

  g_object_class_install_property (gobject_class, PROP_DECODER,
      g_param_spec_object ("decoder", "Decoder",
          "The rtcdtlssrtpdec receiving on this connection", GST_TYPE_ELEMENT,
          ro));
  g_object_class_install_property (gobject_class, PROP_CERTIFICATE,
      g_param_spec_string ("certificate", "Certificate",
          "PEM certificate and private key for DTLS when used on its own "
          "(generated at the start, or by reading local-fingerprint, when "
          "unset)", NULL, rw));
  g_object_class_install_property (gobject_class, PROP_LOCAL_FINGERPRINT,
      g_param_spec_string ("local-fingerprint", "Local fingerprint",
          "The certificate's fingerprint, as for a=fingerprint", NULL, ro));
  g_object_class_install_property (gobject_class, PROP_IS_CLIENT,
      g_param_spec_boolean ("is-client", "Is client",
          "DTLS client when used on its own (RFC 5763 a=setup:active)", FALSE,
          rw));
  g_object_class_install_property (gobject_class, PROP_REMOTE_FINGERPRINT,
      g_param_spec_string ("remote-fingerprint", "Remote fingerprint",
          "The peer certificate's fingerprint (\"sha-256 AB:CD:...\"); the "
          "handshake fails on any other", NULL, rw));
  g_object_class_install_property (gobject_class, PROP_DTLS_STATE,
      g_param_spec_enum ("dtls-state", "DTLS state",
          "The connection's DTLS state", GST_TYPE_WEBRTC_DTLS_TRANSPORT_STATE,
          GST_WEBRTC_DTLS_TRANSPORT_STATE_NEW, ro));
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "Packets sent, received and dropped (by reason)", GST_TYPE_STRUCTURE,
          ro));
}

/* ---- the decoder: datagrams in on sink ---- */

static GstFlowReturn
dec_sink_chain (GstPad * pad, GstObject * parent, GstBuffer * buffer)
{
  GstRtcTransportSrc *self = GST_RTC_TRANSPORT_SRC (parent);
  GstRtcTransport *owner = g_weak_ref_get (&self->owner);
  GstMapInfo map;

  /* Whatever comes in is screened and counted, never an error: a
   * datagram from the network is untrusted input. */
  if (owner && gst_buffer_map (buffer, &map, GST_MAP_READ)) {
    gst_rtc_transport_receive (owner, map.data, map.size);
    gst_buffer_unmap (buffer, &map);
  }
  g_clear_object (&owner);
  gst_buffer_unref (buffer);
  return GST_FLOW_OK;
}

static GstFlowReturn
dec_sink_chain_list (GstPad * pad, GstObject * parent, GstBufferList * list)
{
  guint i, n = gst_buffer_list_length (list);

  for (i = 0; i < n; i++)
    dec_sink_chain (pad, parent, gst_buffer_ref (gst_buffer_list_get (list,
                i)));
  gst_buffer_list_unref (list);
  return GST_FLOW_OK;
}

static gboolean
dec_sink_event (GstPad * pad, GstObject * parent, GstEvent * event)
{
  /* The src pads announce streams of their own once keys exist. */
  gst_event_unref (event);
  return TRUE;
}

void
gst_rtc_dtls_srtp_dec_init_standalone (GstRtcTransportSrc * self)
{
  g_weak_ref_init (&self->owner, NULL);
  self->sink = gst_pad_new_from_static_template (&net_sink_template, "sink");
  gst_pad_set_chain_function (self->sink, GST_DEBUG_FUNCPTR (dec_sink_chain));
  gst_pad_set_chain_list_function (self->sink,
      GST_DEBUG_FUNCPTR (dec_sink_chain_list));
  gst_pad_set_event_function (self->sink, GST_DEBUG_FUNCPTR (dec_sink_event));
  gst_element_add_pad (GST_ELEMENT (self), self->sink);
}

static void
dec_finalize (GObject * object)
{
  g_weak_ref_clear (&GST_RTC_TRANSPORT_SRC (object)->owner);
  dec_parent_class->finalize (object);
}

void
gst_rtc_dtls_srtp_dec_class_install (GstElementClass * klass)
{
  dec_parent_class = g_type_class_peek_parent (klass);
  G_OBJECT_CLASS (klass)->finalize = dec_finalize;
  gst_element_class_add_static_pad_template (klass, &net_sink_template);
}
