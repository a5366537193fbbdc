/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 *
 * This library is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the GNU
 * Library General Public License for more details.
 */

/**
 * SECTION:element-rtcpeerbin
 * @title: rtcpeerbin
 * @see_also: rtpbin
 *
 * A WebRTC peer connection (the W3C RTCPeerConnection) as a bin. Its
 * action signals, signals and properties carry webrtcbin's names,
 * arguments and promise replies, so an application written for webrtcbin
 * works after changing the factory name. See docs/element.md for the full
 * reference and tests/examples/ for programs that negotiate with it.
 *
 * Threads: every JSEP operation (create-offer, create-answer,
 * set-*-description, add-ice-candidate) runs in order on the bin's own
 * operations thread and answers its #GstPromise from there. pc_lock guards
 * the JSEP state; signals and notifications are emitted after it is
 * dropped.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 -e videotestsrc num-buffers=300 ! vp8enc ! rtcpeerbin name=a \
 *     rtcpeerbin peer=a ! decodebin ! videoconvert ! autovideosink
 * ]| Two bins of one pipeline negotiate with each other by themselves
 * (`peer`), and the line ends with the stream. docs/launch.md has more
 * lines (WHIP included); examples/ holds programs that run offer/answer
 * through the action signals.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrtcpeerbin.h"
#include "gstrtcpeerpad.h"
#include "gstrtcdatachannel.h"
#include "ice/rtcnetcontext.h"

GST_DEBUG_CATEGORY (gst_rtc_peer_bin_debug);
#define GST_CAT_DEFAULT gst_rtc_peer_bin_debug

/* RTP, or encoded media the bin payloads itself (rtcpeerencode.c) */
static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink_%u",
    GST_PAD_SINK,
    GST_PAD_REQUEST,
    GST_STATIC_CAPS ("application/x-rtp; video/x-vp8; video/x-vp9; "
        "video/x-h264, stream-format = (string) { avc, byte-stream }, "
        "alignment = (string) au; audio/x-opus, channel-mapping-family = "
        "(int) 0; audio/x-mulaw, rate = (int) 8000, channels = (int) 1; "
        "audio/x-alaw, rate = (int) 8000, channels = (int) 1"));

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src_%u",
    GST_PAD_SRC,
    GST_PAD_SOMETIMES,
    GST_STATIC_CAPS ("application/x-rtp"));


enum
{
  SIGNAL_CREATE_OFFER,
  SIGNAL_CREATE_ANSWER,
  SIGNAL_SET_LOCAL_DESCRIPTION,
  SIGNAL_SET_REMOTE_DESCRIPTION,
  SIGNAL_ADD_ICE_CANDIDATE,
  SIGNAL_ADD_TRANSCEIVER,
  SIGNAL_GET_TRANSCEIVERS,
  SIGNAL_GET_TRANSCEIVER,
  SIGNAL_ADD_TURN_SERVER,
  SIGNAL_CLOSE,
  SIGNAL_RESTART_ICE,
  SIGNAL_GET_STATS,
  SIGNAL_CREATE_DATA_CHANNEL,
  SIGNAL_ON_DATA_CHANNEL,
  SIGNAL_PREPARE_DATA_CHANNEL,
  SIGNAL_ON_NEGOTIATION_NEEDED,
  SIGNAL_ON_ICE_CANDIDATE,
  SIGNAL_ON_NEW_TRANSCEIVER,
  SIGNAL_ON_ADD_STREAM,
  SIGNAL_ON_REMOVE_STREAM,
  NUM_SIGNALS
};

static guint signals[NUM_SIGNALS];

#define gst_rtc_peer_bin_parent_class parent_class
G_DEFINE_TYPE_WITH_CODE (GstRtcPeerBin, gst_rtc_peer_bin, GST_TYPE_BIN,
    GST_DEBUG_CATEGORY_INIT (gst_rtc_peer_bin_debug, "rtcpeerbin", 0,
        "WebRTC peer connection bin"));
GST_ELEMENT_REGISTER_DEFINE (rtcpeerbin, "rtcpeerbin", GST_RANK_NONE,
    GST_TYPE_RTC_PEER_BIN);

static void gst_rtc_peer_bin_dispose (GObject * object);
static GstStateChangeReturn gst_rtc_peer_bin_change_state (GstElement *
    element, GstStateChange transition);
static void gst_rtc_peer_bin_finalize (GObject * object);

static void gst_rtc_peer_bin_create_offer (GstRtcPeerBin * self,
    const GstStructure * options, GstPromise * promise);
static void gst_rtc_peer_bin_create_answer (GstRtcPeerBin * self,
    const GstStructure * options, GstPromise * promise);
static void gst_rtc_peer_bin_set_local_description (GstRtcPeerBin * self,
    GstWebRTCSessionDescription * desc, GstPromise * promise);
static void gst_rtc_peer_bin_set_remote_description (GstRtcPeerBin * self,
    GstWebRTCSessionDescription * desc, GstPromise * promise);
static void gst_rtc_peer_bin_add_ice_candidate (GstRtcPeerBin * self,
    guint mline, const gchar * candidate);
static GstRtcRtpTransceiver *gst_rtc_peer_bin_add_transceiver (GstRtcPeerBin *
    self, GstWebRTCRTPTransceiverDirection direction, GstCaps * caps);
static GArray *gst_rtc_peer_bin_get_transceivers (GstRtcPeerBin * self);
static GstRtcRtpTransceiver *gst_rtc_peer_bin_get_transceiver (GstRtcPeerBin *
    self, gint idx);
static gboolean gst_rtc_peer_bin_add_turn_server (GstRtcPeerBin * self,
    const gchar * uri);
static void gst_rtc_peer_bin_close (GstRtcPeerBin * self);
static void gst_rtc_peer_bin_restart_ice (GstRtcPeerBin * self);
static void gst_rtc_peer_bin_get_stats (GstRtcPeerBin * self, GstPad * pad,
    GstPromise * promise);
static GstRtcDataChannel *gst_rtc_peer_bin_create_data_channel (GstRtcPeerBin *
    self, const gchar * label, const GstStructure * options);

static void
gst_rtc_peer_bin_class_init (GstRtcPeerBinClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gobject_class->dispose = gst_rtc_peer_bin_dispose;
  gobject_class->finalize = gst_rtc_peer_bin_finalize;
  gobject_class->set_property = rtc_peer_props_set;
  gobject_class->get_property = rtc_peer_props_get;

  element_class->request_new_pad =
      GST_DEBUG_FUNCPTR (gst_rtc_peer_bin_request_new_pad);
  element_class->release_pad = GST_DEBUG_FUNCPTR (gst_rtc_peer_bin_release_pad);
  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_rtc_peer_bin_change_state);

  /* with the pads' type, so gst-inspect and bindings see their
   * "transceiver" and "msid" properties */
  gst_element_class_add_static_pad_template_with_gtype (element_class,
      &sink_template, GST_TYPE_RTC_PEER_PAD);
  gst_element_class_add_static_pad_template_with_gtype (element_class,
      &src_template, GST_TYPE_RTC_PEER_PAD);
  gst_element_class_set_static_metadata (element_class,
      "WebRTC peer connection", "Filter/Network/WebRTC",
      "A W3C RTCPeerConnection: JSEP offer/answer, ICE, DTLS-SRTP, RTP and "
      "data channels", "rtcpeer developers");

  rtc_peer_props_install (gobject_class);

  /**
   * GstRtcPeerBin::create-offer:
   * @object: the #rtcpeerbin
   * @options: (nullable): a #GstStructure of options
   * @promise: a #GstPromise replied with a structure holding "offer"
   */
  signals[SIGNAL_CREATE_OFFER] =
      g_signal_new_class_handler ("create-offer", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gst_rtc_peer_bin_create_offer), NULL, NULL, NULL,
      G_TYPE_NONE, 2, GST_TYPE_STRUCTURE, GST_TYPE_PROMISE);
  signals[SIGNAL_CREATE_ANSWER] =
      g_signal_new_class_handler ("create-answer", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gst_rtc_peer_bin_create_answer), NULL, NULL, NULL,
      G_TYPE_NONE, 2, GST_TYPE_STRUCTURE, GST_TYPE_PROMISE);
  signals[SIGNAL_SET_LOCAL_DESCRIPTION] =
      g_signal_new_class_handler ("set-local-description",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gst_rtc_peer_bin_set_local_description), NULL, NULL, NULL,
      G_TYPE_NONE, 2, GST_TYPE_WEBRTC_SESSION_DESCRIPTION, GST_TYPE_PROMISE);
  signals[SIGNAL_SET_REMOTE_DESCRIPTION] =
      g_signal_new_class_handler ("set-remote-description",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gst_rtc_peer_bin_set_remote_description), NULL, NULL, NULL,
      G_TYPE_NONE, 2, GST_TYPE_WEBRTC_SESSION_DESCRIPTION, GST_TYPE_PROMISE);
  /**
   * GstRtcPeerBin::add-ice-candidate:
   * @mline: the m-line index the candidate belongs to
   * @candidate: (nullable): an "a=candidate" value, with or without the
   *   "candidate:" prefix; empty or NULL means end-of-candidates
   */
  signals[SIGNAL_ADD_ICE_CANDIDATE] =
      g_signal_new_class_handler ("add-ice-candidate",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gst_rtc_peer_bin_add_ice_candidate), NULL, NULL, NULL,
      G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
  signals[SIGNAL_ADD_TRANSCEIVER] =
      g_signal_new_class_handler ("add-transceiver", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gst_rtc_peer_bin_add_transceiver), NULL, NULL, NULL,
      GST_TYPE_WEBRTC_RTP_TRANSCEIVER, 2,
      GST_TYPE_WEBRTC_RTP_TRANSCEIVER_DIRECTION, GST_TYPE_CAPS);
  signals[SIGNAL_GET_TRANSCEIVERS] =
      g_signal_new_class_handler ("get-transceivers",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gst_rtc_peer_bin_get_transceivers), NULL, NULL, NULL,
      G_TYPE_ARRAY, 0);
  signals[SIGNAL_GET_TRANSCEIVER] =
      g_signal_new_class_handler ("get-transceiver", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gst_rtc_peer_bin_get_transceiver), NULL, NULL, NULL,
      GST_TYPE_WEBRTC_RTP_TRANSCEIVER, 1, G_TYPE_INT);
  signals[SIGNAL_ADD_TURN_SERVER] =
      g_signal_new_class_handler ("add-turn-server", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gst_rtc_peer_bin_add_turn_server), NULL, NULL, NULL,
      G_TYPE_BOOLEAN, 1, G_TYPE_STRING);
  /**
   * GstRtcPeerBin::close:
   *
   * RTCPeerConnection.close(): every transport is torn down and every
   * state goes to closed; operations queued later answer with an error.
   */
  signals[SIGNAL_CLOSE] =
      g_signal_new_class_handler ("close", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gst_rtc_peer_bin_close), NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * GstRtcPeerBin::restart-ice:
   *
   * RTCPeerConnection.restartIce(): the next offer carries new ICE
   * credentials (as the create-offer option "ice-restart" does) and
   * on-negotiation-needed fires. Media and data channels go on over the
   * old path until the new one is checked; DTLS is not redone.
   */
  signals[SIGNAL_RESTART_ICE] =
      g_signal_new_class_handler ("restart-ice", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gst_rtc_peer_bin_restart_ice), NULL, NULL, NULL,
      G_TYPE_NONE, 0);

  /**
   * GstRtcPeerBin::get-stats:
   * @pad: (nullable): unused for now: the stats of the whole connection
   * @promise: replied with a structure holding one stats structure per id
   */
  signals[SIGNAL_GET_STATS] =
      g_signal_new_class_handler ("get-stats", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gst_rtc_peer_bin_get_stats), NULL, NULL, NULL,
      G_TYPE_NONE, 2, GST_TYPE_PAD, GST_TYPE_PROMISE);

  /**
   * GstRtcPeerBin::create-data-channel:
   * @label: the channel's label
   * @options: (nullable): RTCDataChannelInit: "ordered", "max-packet-lifetime",
   *   "max-retransmits", "protocol", "negotiated", "id", "priority"
   *
   * Returns: (transfer full) (nullable): a #GstWebRTCDataChannel, or NULL
   * (with a warning on the bus saying why) for invalid options.
   */
  signals[SIGNAL_CREATE_DATA_CHANNEL] =
      g_signal_new_class_handler ("create-data-channel",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gst_rtc_peer_bin_create_data_channel), NULL, NULL, NULL,
      GST_TYPE_WEBRTC_DATA_CHANNEL, 2, G_TYPE_STRING, GST_TYPE_STRUCTURE);
  /**
   * GstRtcPeerBin::on-data-channel:
   * @channel: a #GstWebRTCDataChannel the remote peer opened
   */
  signals[SIGNAL_ON_DATA_CHANNEL] =
      g_signal_new ("on-data-channel", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
      GST_TYPE_WEBRTC_DATA_CHANNEL);

  /**
   * GstRtcPeerBin::prepare-data-channel:
   * @channel: the new #GstWebRTCDataChannel
   * @is_local: whether create-data-channel made it (else the remote peer
   *   opened it, and on-data-channel follows)
   *
   * Emitted for every data channel before any of its own signals can be,
   * so handlers connected here miss nothing (webrtcbin 1.22's signal of
   * the same name). For a local channel it is emitted from within
   * create-data-channel, before the channel is opened towards the peer.
   */
  signals[SIGNAL_PREPARE_DATA_CHANNEL] =
      g_signal_new ("prepare-data-channel", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
      GST_TYPE_WEBRTC_DATA_CHANNEL, G_TYPE_BOOLEAN);

  signals[SIGNAL_ON_NEGOTIATION_NEEDED] =
      g_signal_new ("on-negotiation-needed", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_ON_ICE_CANDIDATE] =
      g_signal_new ("on-ice-candidate", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT,
      G_TYPE_STRING);
  signals[SIGNAL_ON_NEW_TRANSCEIVER] =
      g_signal_new ("on-new-transceiver", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
      GST_TYPE_WEBRTC_RTP_TRANSCEIVER);
  /**
   * GstRtcPeerBin::on-add-stream:
   * @stream_id: the msid of the remote MediaStream
   *
   * Emitted once per remote MediaStream, before the pad-added of its
   * first track. A track that a renegotiation adds to a stream the remote
   * already sends (its a=msid names the same stream id, as a browser's
   * second camera in the same MediaStream does) gets its own src pad and
   * pad-added, whose "msid" names that stream, but no second
   * on-add-stream. Tracks without a stream id ("-") each count as a
   * stream of their own, named "stream-<ssrc>". on-remove-stream follows
   * the removal of the stream's last src pad.
   */
  signals[SIGNAL_ON_ADD_STREAM] =
      g_signal_new ("on-add-stream", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_ON_REMOVE_STREAM] =
      g_signal_new ("on-remove-stream", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  rtc_peer_link_class_init (klass);
  rtc_peer_whip_class_init (klass);
  rtc_peer_dtmf_class_init (klass);
  rtc_peer_whip_server_class_init (klass);
  rtc_peer_whep_server_class_init (klass);
  rtc_peer_objects_class_init (klass);

  gst_type_mark_as_plugin_api (GST_TYPE_RTC_RTP_TRANSCEIVER, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_RTC_DATA_CHANNEL, 0);
}

static void
gst_rtc_peer_bin_init (GstRtcPeerBin * self)
{
  g_mutex_init (&self->pc_lock);
  g_mutex_init (&self->caps_lock);
  g_cond_init (&self->caps_cond);
  self->ops = rtc_peer_ops_new ("rtc-pc-ops");
  self->emitter = rtc_peer_emitter_new (self->ops, self);
  self->signaling_state = GST_WEBRTC_SIGNALING_STATE_STABLE;
  self->ice_gathering_state = GST_WEBRTC_ICE_GATHERING_STATE_NEW;
  self->ice_connection_state = GST_WEBRTC_ICE_CONNECTION_STATE_NEW;
  self->connection_state = GST_WEBRTC_PEER_CONNECTION_STATE_NEW;
  self->transceivers = g_ptr_array_new_with_free_func (gst_object_unref);
  self->early_candidates = g_ptr_array_new_with_free_func
      (rtc_peer_candidate_free);
  self->offer_transceivers = g_ptr_array_new_with_free_func
      (gst_object_unref);
  self->turn_servers = g_ptr_array_new_with_free_func (g_free);
  self->pending.new_transceivers =
      g_ptr_array_new_with_free_func (gst_object_unref);
  self->bundle_policy = DEFAULT_BUNDLE_POLICY;
  self->ice_transport_policy = DEFAULT_ICE_TRANSPORT_POLICY;
  self->latency = DEFAULT_LATENCY;
  g_mutex_init (&self->sctp_lock);
  self->data_channels = g_ptr_array_new_with_free_func (g_object_unref);
  rtc_peer_media_init (self);
  rtc_peer_link_init (self);
  rtc_peer_whip_init (self);
  rtc_peer_whip_server_init (self);
  rtc_peer_whep_server_init (self);
  rtc_peer_eos_init (self);
}

static GstStructure *
teardown_op (gpointer owner, gpointer data)
{
  GstRtcPeerBin *self = owner;

  rtc_peer_sctp_stop (self);
  rtc_peer_media_teardown (self);
  /* The channels' last words (on-close) go out before dispose returns,
   * on the ops thread. Disposed on a network thread they are dropped: the
   * application let go of the bin, and its handlers (a language
   * binding's, at interpreter exit) must not run late from a worker. */
  if (rtc_peer_ops_is_current_thread (self->ops))
    rtc_peer_emitter_flush (self->emitter);
  return NULL;
}

static void
gst_rtc_peer_bin_dispose (GObject * object)
{
  GstRtcPeerBin *self = GST_RTC_PEER_BIN (object);

  if (self->ops) {
    /* The application's queued operations are answered now; the bin's
     * own see a closed connection and change nothing. */
    rtc_peer_ops_cancel (self->ops, "The peer connection was disposed "
        "before the operation ran");
    PC_LOCK (self);
    self->closed = TRUE;
    PC_UNLOCK (self);
    /* No ICE callback after this. Torn down on the ops thread like
     * close(), unless this is a network thread, which cannot wait, or the
     * ops thread itself (the application dropped its reference while an
     * operation held one, which is then the last). */
    if (rtc_net_context_in_pool_thread ()
        || rtc_peer_ops_is_current_thread (self->ops))
      teardown_op (self, NULL);
    else
      rtc_peer_ops_run_sync (self->ops, teardown_op, self);
    rtc_peer_emitter_stop (self->emitter);
    g_clear_pointer (&self->ops, rtc_peer_ops_free);
    g_clear_pointer (&self->emitter, rtc_peer_emitter_free);
  }
  G_OBJECT_CLASS (parent_class)->dispose (object);
}

/* Going to NULL answers, as webrtcbin does when it stops its thread, the
 * promise of every operation still queued, before the state change
 * returns: an application that drops its data once the bin is in NULL
 * gets no callback afterwards. The connection itself stays (close() or
 * disposing ends it). */
static GstStateChangeReturn
gst_rtc_peer_bin_change_state (GstElement * element,
    GstStateChange transition)
{
  GstRtcPeerBin *self = GST_RTC_PEER_BIN (element);
  GstStateChangeReturn ret;

  if (transition == GST_STATE_CHANGE_READY_TO_NULL)
    rtc_peer_ops_cancel (self->ops, "rtcpeerbin went to the NULL state "
        "before the operation ran");
  if (transition == GST_STATE_CHANGE_READY_TO_NULL) {
    PC_LOCK (self);
    self->ready = FALSE;
    PC_UNLOCK (self);
  }
  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
  if (transition == GST_STATE_CHANGE_NULL_TO_READY &&
      ret != GST_STATE_CHANGE_FAILURE) {
    /* webrtcbin emits on-negotiation-needed only from READY on (a
     * transceiver or channel added in NULL is announced now). */
    PC_LOCK (self);
    self->ready = TRUE;
    PC_UNLOCK (self);
    gst_rtc_peer_bin_update_negotiation_needed (self);
  }
  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY) {
    /* An operation waiting for a sink pad's caps stops: none come now. */
    g_mutex_lock (&self->caps_lock);
    g_cond_broadcast (&self->caps_cond);
    g_mutex_unlock (&self->caps_lock);
  }
  return ret;
}

static void
gst_rtc_peer_bin_finalize (GObject * object)
{
  GstRtcPeerBin *self = GST_RTC_PEER_BIN (object);

  g_clear_pointer (&self->current_local, gst_webrtc_session_description_free);
  g_clear_pointer (&self->pending_local, gst_webrtc_session_description_free);
  g_clear_pointer (&self->current_remote, gst_webrtc_session_description_free);
  g_clear_pointer (&self->pending_remote, gst_webrtc_session_description_free);
  g_ptr_array_unref (self->transceivers);
  gst_clear_object (&self->data_trans);
  g_ptr_array_unref (self->early_candidates);
  g_ptr_array_unref (self->offer_transceivers);
  g_ptr_array_unref (self->turn_servers);
  g_ptr_array_unref (self->pending.new_transceivers);
  rtc_jsep_session_clear (&self->session);
  g_free (self->stun_server);
  g_free (self->turn_server);
  g_free (self->ice_addresses);
  g_free (self->certificate_pem);
  rtc_peer_objects_finalize (self);
  g_clear_pointer (&self->certificate, rtc_certificate_unref);
  g_ptr_array_unref (self->transports);
  g_hash_table_unref (self->remote_streams);
  g_ptr_array_unref (self->data_channels);
  g_clear_pointer (&self->dcs, rtc_data_channels_free);
  rtc_send_batch_clear (&self->sctp_batch);
  g_mutex_clear (&self->sctp_lock);
  g_mutex_clear (&self->pc_lock);
  g_mutex_clear (&self->caps_lock);
  g_cond_clear (&self->caps_cond);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

typedef struct
{
  guint mask;
  GPtrArray *added;
  gboolean negotiation_needed;
} PendingEmission;

static void
pending_emission_free (gpointer data)
{
  PendingEmission *pe = data;

  g_ptr_array_unref (pe->added);
  g_free (pe);
}

static void
emit_pending_now (gpointer owner, gpointer data)
{
  GstRtcPeerBin *self = owner;
  PendingEmission *pe = data;
  guint i;

  for (i = 0; i < pe->added->len; i++)
    g_signal_emit (self, signals[SIGNAL_ON_NEW_TRANSCEIVER], 0,
        g_ptr_array_index (pe->added, i));
  rtc_peer_props_notify (self, pe->mask);
  if (pe->negotiation_needed)
    g_signal_emit (self, signals[SIGNAL_ON_NEGOTIATION_NEEDED], 0);
}

void
gst_rtc_peer_bin_emit_pending (GstRtcPeerBin * self)
{
  PendingEmission *pe = g_new0 (PendingEmission, 1);

  PC_LOCK (self);
  pe->mask = self->pending.notify_mask;
  self->pending.notify_mask = 0;
  pe->added = self->pending.new_transceivers;
  self->pending.new_transceivers =
      g_ptr_array_new_with_free_func (gst_object_unref);
  pe->negotiation_needed = self->pending.negotiation_needed;
  self->pending.negotiation_needed = FALSE;
  PC_UNLOCK (self);

  if (pe->mask == 0 && pe->added->len == 0 && !pe->negotiation_needed) {
    pending_emission_free (pe);
    return;
  }
  rtc_peer_emit (self, emit_pending_now, pe, pending_emission_free);
}

/* Queues an emission and, on the ops thread, emits at once (after what
 * was queued before it). */
void
rtc_peer_emit (GstRtcPeerBin * self, RtcPeerEmitFunc func, gpointer data,
    GDestroyNotify destroy)
{
  rtc_peer_emitter_push (self->emitter, func, data, destroy);
  if (rtc_peer_ops_is_current_thread (self->ops))
    rtc_peer_emitter_flush (self->emitter);
}

void
gst_rtc_peer_bin_emit_data_channel (GstRtcPeerBin * self,
    GstRtcDataChannel * channel)
{
  g_signal_emit (self, signals[SIGNAL_ON_DATA_CHANNEL], 0, channel);
}

void
gst_rtc_peer_bin_emit_prepare_data_channel (GstRtcPeerBin * self,
    GstRtcDataChannel * channel, gboolean is_local)
{
  g_signal_emit (self, signals[SIGNAL_PREPARE_DATA_CHANNEL], 0, channel,
      is_local);
}

/* https://w3c.github.io/webrtc-pc/#dom-rtcpeerconnection-createdatachannel */
static GstRtcDataChannel *
gst_rtc_peer_bin_create_data_channel (GstRtcPeerBin * self,
    const gchar * label, const GstStructure * options)
{
  GstRtcDataChannel *channel;
  GError *error = NULL;
  gboolean first = FALSE;

  PC_LOCK (self);
  if (self->closed) {
    PC_UNLOCK (self);
    GST_ELEMENT_WARNING (self, LIBRARY, FAILED,
        ("create-data-channel: the peer connection is closed"), (NULL));
    return NULL;
  }
  PC_UNLOCK (self);

  channel = rtc_peer_sctp_create_channel (self, label, options, &error);
  if (!channel) {
    GST_ELEMENT_WARNING (self, LIBRARY, SETTINGS, ("create-data-channel: %s",
            error->message), (NULL));
    g_clear_error (&error);
    return NULL;
  }

  /* The first channel needs an m=application section. */
  PC_LOCK (self);
  if (!self->data_trans) {
    RtcJsepMedia *media = rtc_jsep_media_new (RTC_MEDIA_KIND_APPLICATION,
        GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV);

    media->sctp_port = 5000;
    media->max_message_size = RTC_PEER_MAX_MESSAGE_SIZE;
    self->data_trans = gst_rtc_rtp_transceiver_new (media);
    first = TRUE;
  }
  PC_UNLOCK (self);
  if (first)
    gst_rtc_peer_bin_update_negotiation_needed (self);
  return channel;
}

typedef struct
{
  guint mline;
  gchar *candidate;
} CandidateEmission;

static void
candidate_emission_free (gpointer data)
{
  CandidateEmission *ce = data;

  g_free (ce->candidate);
  g_free (ce);
}

static void
emit_ice_candidate_now (gpointer owner, gpointer data)
{
  CandidateEmission *ce = data;

  g_signal_emit (owner, signals[SIGNAL_ON_ICE_CANDIDATE], 0, ce->mline,
      ce->candidate);
}

void
gst_rtc_peer_bin_emit_ice_candidate (GstRtcPeerBin * self, guint mline,
    const gchar * candidate)
{
  CandidateEmission *ce = g_new (CandidateEmission, 1);

  ce->mline = mline;
  ce->candidate = g_strdup (candidate);
  rtc_peer_emit (self, emit_ice_candidate_now, ce, candidate_emission_free);
}

void
gst_rtc_peer_bin_emit_add_stream (GstRtcPeerBin * self, const gchar * msid,
    gboolean added)
{
  g_signal_emit (self, signals[added ? SIGNAL_ON_ADD_STREAM :
          SIGNAL_ON_REMOVE_STREAM], 0, msid);
}

/* https://w3c.github.io/webrtc-pc/#updating-the-negotiation-needed-flag
 * The check itself runs as an operation, so it sees the state after
 * every operation queued before it. */
void
gst_rtc_peer_bin_update_negotiation_needed (GstRtcPeerBin * self)
{
  if (self->ops)
    rtc_peer_ops_enqueue (self->ops, rtc_peer_jsep_check_negotiation, self,
        NULL, NULL, NULL);
}

static void
free_options (gpointer options)
{
  if (options)
    gst_structure_free (options);
}

static void
gst_rtc_peer_bin_create_offer (GstRtcPeerBin * self,
    const GstStructure * options, GstPromise * promise)
{
  rtc_peer_ops_enqueue_app (self->ops, rtc_peer_jsep_create_offer, self,
      options ? gst_structure_copy (options) : NULL, free_options, promise);
}

static void
gst_rtc_peer_bin_create_answer (GstRtcPeerBin * self,
    const GstStructure * options, GstPromise * promise)
{
  rtc_peer_ops_enqueue_app (self->ops, rtc_peer_jsep_create_answer, self,
      options ? gst_structure_copy (options) : NULL, free_options, promise);
}

static void
enqueue_set_description (GstRtcPeerBin * self, RtcSdpSource source,
    GstWebRTCSessionDescription * desc, GstPromise * promise)
{
  RtcPeerSetDescription *data;

  if (desc == NULL) {
    if (promise)
      gst_promise_reply (promise, rtc_peer_error_reply (GST_WEBRTC_ERROR,
              GST_WEBRTC_ERROR_TYPE_ERROR,
              "set-%s-description needs a GstWebRTCSessionDescription, "
              "got NULL", source == RTC_SDP_SOURCE_LOCAL ? "local" :
              "remote"));
    return;
  }
  data = g_new0 (RtcPeerSetDescription, 1);
  data->source = source;
  data->desc = gst_webrtc_session_description_copy (desc);
  rtc_peer_ops_enqueue_app (self->ops, rtc_peer_jsep_set_description, self,
      data, rtc_peer_set_description_free, promise);
}

static void
gst_rtc_peer_bin_set_local_description (GstRtcPeerBin * self,
    GstWebRTCSessionDescription * desc, GstPromise * promise)
{
  enqueue_set_description (self, RTC_SDP_SOURCE_LOCAL, desc, promise);
}

static void
gst_rtc_peer_bin_set_remote_description (GstRtcPeerBin * self,
    GstWebRTCSessionDescription * desc, GstPromise * promise)
{
  enqueue_set_description (self, RTC_SDP_SOURCE_REMOTE, desc, promise);
}

static void
gst_rtc_peer_bin_add_ice_candidate (GstRtcPeerBin * self, guint mline,
    const gchar * candidate)
{
  RtcPeerCandidate *data = g_new0 (RtcPeerCandidate, 1);

  data->mline = mline;
  data->candidate = g_strdup (candidate ? candidate : "");
  rtc_peer_ops_enqueue_app (self->ops, rtc_peer_jsep_add_ice_candidate, self,
      data, rtc_peer_candidate_free, NULL);
}

/* Adds a transceiver under pc_lock; on-new-transceiver and the
 * negotiation-needed check follow from the ops thread. */
GstRtcRtpTransceiver *
rtc_peer_add_transceiver_locked (GstRtcPeerBin * self, RtcJsepMedia * media)
{
  GstRtcRtpTransceiver *trans = gst_rtc_rtp_transceiver_new (media);

  g_ptr_array_add (self->transceivers, gst_object_ref (trans));
  g_ptr_array_add (self->pending.new_transceivers, gst_object_ref (trans));
  return trans;
}

static GstRtcRtpTransceiver *
gst_rtc_peer_bin_add_transceiver (GstRtcPeerBin * self,
    GstWebRTCRTPTransceiverDirection direction, GstCaps * caps)
{
  RtcJsepMedia *media;
  RtcMediaKind kind = RTC_MEDIA_KIND_AUDIO;
  GArray *codecs = NULL;
  GstRtcRtpTransceiver *trans;
  GError *error = NULL;

  if (direction == GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_NONE) {
    GST_ELEMENT_WARNING (self, LIBRARY, SETTINGS,
        ("add-transceiver: direction 'none' is not a transceiver direction"),
        (NULL));
    return NULL;
  }
  if (caps) {
    codecs = rtc_codec_array_new ();
    if (!rtc_codecs_from_caps (caps, &kind, codecs, &error)) {
      GST_ELEMENT_WARNING (self, LIBRARY, SETTINGS,
          ("add-transceiver: %s", error->message), (NULL));
      g_clear_error (&error);
      g_array_unref (codecs);
      return NULL;
    }
  }

  media = rtc_jsep_media_new (kind, direction);
  if (codecs) {
    g_array_unref (media->codecs);
    media->codecs = codecs;
  }

  PC_LOCK (self);
  if (self->closed) {
    PC_UNLOCK (self);
    rtc_jsep_media_free (media);
    GST_ELEMENT_WARNING (self, LIBRARY, FAILED,
        ("add-transceiver: the peer connection is closed"), (NULL));
    return NULL;
  }
  trans = rtc_peer_add_transceiver_locked (self, media);
  if (caps)
    RTC_TRANS_STATE (trans)->codec_preferences = gst_caps_copy (caps);
  PC_UNLOCK (self);

  gst_rtc_peer_bin_emit_pending (self);
  gst_rtc_peer_bin_update_negotiation_needed (self);
  /* The signal's return value is transfer full, as webrtcbin's. */
  return trans;
}

static GArray *
gst_rtc_peer_bin_get_transceivers (GstRtcPeerBin * self)
{
  GArray *arr = g_array_new (FALSE, TRUE, sizeof (gpointer));
  guint i;

  g_array_set_clear_func (arr, (GDestroyNotify) gst_clear_object);
  PC_LOCK (self);
  for (i = 0; i < self->transceivers->len; i++) {
    gpointer t = gst_object_ref (g_ptr_array_index (self->transceivers, i));
    g_array_append_val (arr, t);
  }
  PC_UNLOCK (self);
  return arr;
}

static GstRtcRtpTransceiver *
gst_rtc_peer_bin_get_transceiver (GstRtcPeerBin * self, gint idx)
{
  GstRtcRtpTransceiver *trans = NULL;

  PC_LOCK (self);
  if (idx >= 0 && (guint) idx < self->transceivers->len)
    trans = gst_object_ref (g_ptr_array_index (self->transceivers, idx));
  PC_UNLOCK (self);
  return trans;
}

static gboolean
gst_rtc_peer_bin_add_turn_server (GstRtcPeerBin * self, const gchar * uri)
{
  GError *error = NULL;

  if (!uri || !rtc_peer_props_validate_turn_uri (uri, &error)) {
    GST_ELEMENT_WARNING (self, RESOURCE, SETTINGS, ("%s",
            error ? error->message : "add-turn-server: NULL URI"), (NULL));
    g_clear_error (&error);
    return FALSE;
  }
  PC_LOCK (self);
  g_ptr_array_add (self->turn_servers, g_strdup (uri));
  PC_UNLOCK (self);
  return TRUE;
}

/* The transports, ICE and SCTP go on the ops thread, the only one that
 * uses them without pc_lock (an operation in progress may hold any of
 * them); pending notifications go out after. */
static GstStructure *
close_op (gpointer owner, gpointer data)
{
  GstRtcPeerBin *self = owner;

  rtc_peer_sctp_stop (self);
  rtc_peer_media_teardown (self);
  rtc_peer_media_remove_src_pads (self);
  gst_rtc_peer_bin_emit_pending (self);
  return NULL;
}

/* https://w3c.github.io/webrtc-pc/#dom-peerconnection-restartice */
static void
gst_rtc_peer_bin_restart_ice (GstRtcPeerBin * self)
{
  PC_LOCK (self);
  if (!self->closed)
    self->ice_restart_requested = TRUE;
  PC_UNLOCK (self);
  gst_rtc_peer_bin_update_negotiation_needed (self);
}

/* https://w3c.github.io/webrtc-pc/#dom-rtcpeerconnection-close */
static void
gst_rtc_peer_bin_close (GstRtcPeerBin * self)
{
  guint i;

  /* The states are closed at once, so operations still queued see it and
   * answer with an error instead of building anything. */
  PC_LOCK (self);
  if (self->closed) {
    PC_UNLOCK (self);
    return;
  }
  self->closed = TRUE;
  self->signaling_state = GST_WEBRTC_SIGNALING_STATE_CLOSED;
  self->ice_connection_state = GST_WEBRTC_ICE_CONNECTION_STATE_CLOSED;
  self->connection_state = GST_WEBRTC_PEER_CONNECTION_STATE_CLOSED;
  self->pending.notify_mask |= RTC_NOTIFY_SIGNALING_STATE |
      RTC_NOTIFY_ICE_CONNECTION_STATE | RTC_NOTIFY_CONNECTION_STATE;
  for (i = 0; i < self->transceivers->len; i++) {
    GstRtcRtpTransceiver *trans = g_ptr_array_index (self->transceivers, i);

    GST_OBJECT_LOCK (trans);
    RTC_TRANS_STATE (trans)->media->stopped = TRUE;
    GST_OBJECT_UNLOCK (trans);
  }
  PC_UNLOCK (self);

  /* close() is synchronous in the spec: the transports are gone when it
   * returns. A network thread cannot wait (freeing the ICE agent needs
   * it): from there the teardown follows a little later. */
  if (rtc_peer_ops_is_current_thread (self->ops))
    close_op (self, NULL);
  else if (rtc_net_context_in_pool_thread ())
    rtc_peer_ops_enqueue (self->ops, close_op, self, NULL, NULL, NULL);
  else
    rtc_peer_ops_run_sync (self->ops, close_op, self);
}

static void
gst_rtc_peer_bin_get_stats (GstRtcPeerBin * self, GstPad * pad,
    GstPromise * promise)
{
  rtc_peer_ops_enqueue_app (self->ops, rtc_peer_stats_collect, self, NULL,
      NULL, promise);
}
