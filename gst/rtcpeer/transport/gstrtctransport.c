/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:element-rtcdtlssrtpenc
 * @title: rtcdtlssrtpenc
 * @see_also: rtcdtlssrtpdec, rtcpeerbin
 *
 * The sending half of one DTLS-SRTP connection (RFC 5764), and the owner
 * of that connection: the DTLS association, the SRTP session of both
 * directions and the RFC 7983 demultiplexer the decoder feeds. Its
 * decoder, #rtcdtlssrtpdec, is the `decoder` property: the two share one
 * connection the way one DTLS association serves both directions.
 *
 * ```
 *            rtpbin                     rtcdtlssrtpenc                ICE
 *  send_rtp_src_N  o------o rtp_sink  --> SRTP protect --+
 *  send_rtcp_src_N o------o rtcp_sink --> SRTCP protect -+--> datagrams --> src
 *                                          DTLS records -+
 *                                     rtcdtlssrtpdec
 *  recv_rtp_sink_N o------o rtp_src   <-- SRTP unprotect <-+
 *  recv_rtcp_sink_N o-----o rtcp_src  <-- SRTCP unprotect <+-- sink <-- datagrams
 *                                          DTLS core <-----+  (RFC 7983 demux)
 * ```
 *
 * Nothing leaves before DTLS has produced the SRTP keys, and nothing ever
 * leaves in the clear: media before the keys, and datagrams that are
 * neither DTLS nor (S)RTP(C), are dropped and counted in `stats`, never
 * an error that ends the stream. DTLS records that arrive before the
 * association starts are kept (16 at most) and replayed.
 *
 * Inside rtcpeerbin the encoder's datagrams go to the ICE stream through
 * callbacks (sendmmsg bursts, no buffer per datagram) and the ICE thread
 * hands received datagrams to the connection directly. Used on its own
 * (tests), datagrams leave on `src` (a buffer list for a burst) and come
 * in on the decoder's `sink`; DTLS starts going from READY to PAUSED with
 * `certificate` (generated when unset), `is-client` and
 * `remote-fingerprint`, and its retransmission timer runs on the default
 * main context.
 *
 * ## Example launch line
 * |[
 * gst-inspect-1.0 rtcdtlssrtpenc
 * ]| It is an internal element: rtcpeerbin and its tests drive it.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gstrtcelements.h"
#include "gstrtctransport-private.h"
#include "rtcdemux.h"

GST_DEBUG_CATEGORY_STATIC (gst_rtc_transport_debug);
#define GST_CAT_DEFAULT gst_rtc_transport_debug

/* Early DTLS packets kept until the association exists: a whole flight
 * of a handshake fits. */
#define MAX_EARLY_PACKETS 16
/* DTLS datagrams kept while ICE has no path yet; a flight and its
 * retransmissions fit. */
#define MAX_HELD_PACKETS 32
/* Room for the largest datagram plus the SRTP tag. */
#define SCRATCH_SIZE 65536
/* A burst of SCTP packets (up to 16 KiB each on a path that takes them)
 * or of a buffer list's RTP packets; pages are touched only as used. */
#define DTLS_BATCH_SIZE (256 * 1024)
#define MEDIA_BATCH_SIZE (128 * 1024)
/* Received media up to this size comes from a buffer pool: an ICE path
 * MTU is at most about this, so the receive path does not allocate. */
#define POOL_BUFFER_SIZE 1500

static GstStaticPadTemplate rtp_sink_template = GST_STATIC_PAD_TEMPLATE
    ("rtp_sink", GST_PAD_SINK, GST_PAD_ALWAYS,
    GST_STATIC_CAPS ("application/x-rtp"));
static GstStaticPadTemplate rtcp_sink_template = GST_STATIC_PAD_TEMPLATE
    ("rtcp_sink", GST_PAD_SINK, GST_PAD_ALWAYS,
    GST_STATIC_CAPS ("application/x-rtcp"));
static GstStaticPadTemplate rtp_src_template = GST_STATIC_PAD_TEMPLATE
    ("rtp_src", GST_PAD_SRC, GST_PAD_ALWAYS,
    GST_STATIC_CAPS ("application/x-rtp"));
static GstStaticPadTemplate rtcp_src_template = GST_STATIC_PAD_TEMPLATE
    ("rtcp_src", GST_PAD_SRC, GST_PAD_ALWAYS,
    GST_STATIC_CAPS ("application/x-rtcp"));

G_DEFINE_TYPE (GstRtcTransportSrc, gst_rtc_transport_src, GST_TYPE_ELEMENT);

static void
gst_rtc_transport_src_class_init (GstRtcTransportSrcClass * klass)
{
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gst_element_class_add_static_pad_template (element_class, &rtp_src_template);
  gst_element_class_add_static_pad_template (element_class,
      &rtcp_src_template);
  gst_element_class_set_static_metadata (element_class,
      "rtcpeer DTLS-SRTP decoder", "Decoder/Network/WebRTC",
      "RFC 7983 demux, DTLS and SRTP/SRTCP unprotect of the connection of "
      "an rtcdtlssrtpenc (internal to rtcpeerbin)", "rtcpeer developers");
  gst_rtc_dtls_srtp_dec_class_install (element_class);
}

static void
gst_rtc_transport_src_init (GstRtcTransportSrc * self)
{
  GstPad *pad;

  pad = gst_pad_new_from_static_template (&rtp_src_template, "rtp_src");
  gst_pad_use_fixed_caps (pad);
  gst_element_add_pad (GST_ELEMENT (self), pad);
  pad = gst_pad_new_from_static_template (&rtcp_src_template, "rtcp_src");
  gst_pad_use_fixed_caps (pad);
  gst_element_add_pad (GST_ELEMENT (self), pad);
  gst_rtc_dtls_srtp_dec_init_standalone (self);
}

G_DEFINE_TYPE_WITH_CODE (GstRtcTransport, gst_rtc_transport, GST_TYPE_ELEMENT,
    GST_DEBUG_CATEGORY_INIT (gst_rtc_transport_debug, "rtcdtlssrtp", 0,
        "rtcpeer DTLS-SRTP encoder and decoder"));
GST_ELEMENT_REGISTER_DEFINE (rtcdtlssrtpenc, "rtcdtlssrtpenc", GST_RANK_NONE,
    GST_TYPE_RTC_TRANSPORT);
GST_ELEMENT_REGISTER_DEFINE (rtcdtlssrtpdec, "rtcdtlssrtpdec", GST_RANK_NONE,
    GST_TYPE_RTC_TRANSPORT_SRC);

static void gst_rtc_transport_finalize (GObject * object);
static GstFlowReturn rtp_sink_chain (GstPad * pad, GstObject * parent,
    GstBuffer * buffer);
static GstFlowReturn rtp_sink_chain_list (GstPad * pad, GstObject * parent,
    GstBufferList * list);
static GstFlowReturn rtcp_sink_chain (GstPad * pad, GstObject * parent,
    GstBuffer * buffer);
static gboolean sink_event (GstPad * pad, GstObject * parent,
    GstEvent * event);

static void
gst_rtc_transport_class_init (GstRtcTransportClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gobject_class->finalize = gst_rtc_transport_finalize;
  gst_element_class_add_static_pad_template (element_class,
      &rtp_sink_template);
  gst_element_class_add_static_pad_template (element_class,
      &rtcp_sink_template);
  gst_element_class_set_static_metadata (element_class,
      "rtcpeer DTLS-SRTP encoder", "Encoder/Network/WebRTC",
      "DTLS and SRTP/SRTCP protect between rtpbin and an ICE stream; owns "
      "the connection its rtcdtlssrtpdec decodes (internal to rtcpeerbin)",
      "rtcpeer developers");
  gst_rtc_dtls_srtp_enc_class_install (element_class);
}

static guint
batch_send (gpointer user_data, const RtcDatagram * dgrams, guint n)
{
  GstRtcTransport *self = user_data;
  guint i;

  if (self->callbacks.send_many)
    return self->callbacks.send_many (self->user_data, dgrams, n);
  for (i = 0; i < n; i++)
    if (!self->callbacks.send (self->user_data, dgrams[i].data,
            dgrams[i].len))
      break;
  return i;
}

static void
gst_rtc_transport_init (GstRtcTransport * self)
{
  g_mutex_init (&self->dtls_lock);
  g_mutex_init (&self->send_lock);
  g_mutex_init (&self->recv_lock);
  g_queue_init (&self->early);
  g_queue_init (&self->held);
  self->scratch = g_malloc (SCRATCH_SIZE);
  rtc_send_batch_init (&self->dtls_batch, DTLS_BATCH_SIZE, batch_send, self);
  rtc_send_batch_init (&self->media_batch, MEDIA_BATCH_SIZE, batch_send,
      self);
  {
    GstStructure *config;

    self->pool = gst_buffer_pool_new ();
    config = gst_buffer_pool_get_config (self->pool);
    gst_buffer_pool_config_set_params (config, NULL, POOL_BUFFER_SIZE, 8, 0);
    gst_buffer_pool_set_config (self->pool, config);
    gst_buffer_pool_set_active (self->pool, TRUE);
  }

  self->rtp_sink = gst_pad_new_from_static_template (&rtp_sink_template,
      "rtp_sink");
  gst_pad_set_chain_function (self->rtp_sink,
      GST_DEBUG_FUNCPTR (rtp_sink_chain));
  gst_pad_set_chain_list_function (self->rtp_sink,
      GST_DEBUG_FUNCPTR (rtp_sink_chain_list));
  gst_pad_set_event_function (self->rtp_sink, GST_DEBUG_FUNCPTR (sink_event));
  gst_element_add_pad (GST_ELEMENT (self), self->rtp_sink);

  self->rtcp_sink = gst_pad_new_from_static_template (&rtcp_sink_template,
      "rtcp_sink");
  gst_pad_set_chain_function (self->rtcp_sink,
      GST_DEBUG_FUNCPTR (rtcp_sink_chain));
  gst_pad_set_event_function (self->rtcp_sink, GST_DEBUG_FUNCPTR (sink_event));
  gst_element_add_pad (GST_ELEMENT (self), self->rtcp_sink);

  self->src = gst_object_ref_sink (g_object_new (GST_TYPE_RTC_TRANSPORT_SRC,
          NULL));
  /* the decoder's pads, borrowed: the decoder lives as long as we do */
  self->rtp_src = gst_element_get_static_pad (self->src, "rtp_src");
  gst_object_unref (self->rtp_src);
  self->rtcp_src = gst_element_get_static_pad (self->src, "rtcp_src");
  gst_object_unref (self->rtcp_src);
  g_weak_ref_set (&GST_RTC_TRANSPORT_SRC (self->src)->owner, self);
  gst_rtc_dtls_srtp_enc_init_standalone (self);
}

static void
stop_timer_locked (GstRtcTransport * self)
{
  if (self->timer) {
    g_source_destroy (self->timer);
    g_source_unref (self->timer);
    self->timer = NULL;
  }
}

static void
gst_rtc_transport_finalize (GObject * object)
{
  GstRtcTransport *self = GST_RTC_TRANSPORT (object);

  stop_timer_locked (self);
  gst_rtc_dtls_srtp_enc_finalize_standalone (self);
  g_clear_pointer (&self->dtls, rtc_dtls_free);
  g_clear_pointer (&self->srtp, rtc_srtp_session_free);
  g_queue_clear_full (&self->early, (GDestroyNotify) g_bytes_unref);
  g_queue_clear_full (&self->held, (GDestroyNotify) g_bytes_unref);
  gst_object_unref (self->src);
  if (self->notify)
    self->notify (self->user_data);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->scratch);
  rtc_send_batch_clear (&self->dtls_batch);
  rtc_send_batch_clear (&self->media_batch);
  gst_buffer_pool_set_active (self->pool, FALSE);
  gst_object_unref (self->pool);
  g_mutex_clear (&self->dtls_lock);
  g_mutex_clear (&self->send_lock);
  g_mutex_clear (&self->recv_lock);
  G_OBJECT_CLASS (gst_rtc_transport_parent_class)->finalize (object);
}

GstElement *
gst_rtc_transport_get_src (GstRtcTransport * self)
{
  return self->src;
}

GstRtcTransport *
gst_rtc_transport_new (const gchar * name, GMainContext * context,
    const GstRtcTransportCallbacks * callbacks, gpointer user_data,
    GDestroyNotify notify)
{
  GstRtcTransport *self;

  gchar *src_name = g_strdup_printf ("%s_src", name);

  self = g_object_new (GST_TYPE_RTC_TRANSPORT, "name", name, NULL);
  gst_object_set_name (GST_OBJECT (self->src), src_name);
  g_free (src_name);
  self->context = g_main_context_ref (context);
  self->standalone = FALSE;
  self->callbacks = *callbacks;
  self->user_data = user_data;
  self->notify = notify;
  return self;
}

/* Events of a DTLS drain, delivered once dtls_lock is dropped. */
typedef struct
{
  gboolean have_state;
  RtcDtlsState state;
  GError *error;
  /* DTLS application data (SCTP packets), handed up after the lock: the
   * layer above answers by sending, which takes the lock again. */
  GPtrArray *app_data;
} DtlsNews;

static gboolean timer_fired (gpointer user_data);

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

/* A source that fires at its ready time only: the DTLS deadline moves with
 * every flight, and g_source_set_ready_time () moves it without a new
 * source each time. */
static gboolean
timer_dispatch (GSource * source, GSourceFunc callback, gpointer user_data)
{
  return callback (user_data);
}

static GSourceFuncs timer_funcs = { NULL, NULL, timer_dispatch, NULL };

static void
install_srtp_locked (GstRtcTransport * self, GError ** error)
{
  RtcDtlsSrtpKeys keys;
  RtcSrtpSession *srtp;

  if (!rtc_dtls_get_srtp_keys (self->dtls, &keys, error))
    return;
  srtp = rtc_srtp_session_new ((RtcSrtpProfile) keys.profile,
      keys.local_key_salt, keys.remote_key_salt, error);
  memset (&keys, 0, sizeof (keys));
  if (!srtp)
    return;
  /* Both directions take it at once: send under send_lock, receive
   * under recv_lock. */
  g_mutex_lock (&self->send_lock);
  g_mutex_lock (&self->recv_lock);
  g_clear_pointer (&self->srtp, rtc_srtp_session_free);
  self->srtp = srtp;
  g_mutex_unlock (&self->recv_lock);
  g_mutex_unlock (&self->send_lock);
}

static void
send_dtls_locked (GstRtcTransport * self, const guint8 * data, gsize len)
{
  if (!self->writable) {
    if (g_queue_get_length (&self->held) >= MAX_HELD_PACKETS)
      g_bytes_unref (g_queue_pop_head (&self->held));
    g_queue_push_tail (&self->held, g_bytes_new (data, len));
    return;
  }
  self->stats.dtls_sent++;
  rtc_send_batch_add (&self->dtls_batch, data, len);
}

static void
flush_dtls_locked (GstRtcTransport * self)
{
  rtc_send_batch_flush (&self->dtls_batch);
  self->stats.send_failed = self->dtls_batch.failed;
}

/* Empties the core's output queue: datagrams go to ICE, the next
 * deadline rearms the timer, events are returned for after the lock.
 * Returns the number of datagrams the core transmitted. */
static guint
drain_dtls_locked (GstRtcTransport * self, DtlsNews * news)
{
  RtcOutput out;
  guint transmitted = 0;

  while (rtc_dtls_poll_output (self->dtls, &out)) {
    switch (out.kind) {
      case RTC_OUTPUT_TRANSMIT:
        send_dtls_locked (self, out.data, out.len);
        transmitted++;
        break;
      case RTC_OUTPUT_RECEIVE:
        if (self->callbacks.app_data) {
          if (!news->app_data)
            news->app_data = g_ptr_array_new_with_free_func ((GDestroyNotify)
                g_bytes_unref);
          g_ptr_array_add (news->app_data, g_bytes_new (out.data, out.len));
        }
        break;
      case RTC_OUTPUT_EVENT:
        news->have_state = TRUE;
        if (out.event == RTC_DTLS_EVENT_CONNECTED) {
          GError *error = NULL;

          install_srtp_locked (self, &error);
          if (error) {
            news->state = RTC_DTLS_STATE_FAILED;
            g_clear_error (&news->error);
            news->error = error;
            break;
          }
          news->state = RTC_DTLS_STATE_CONNECTED;
        } else {
          news->state = out.event == RTC_DTLS_EVENT_CLOSED ?
              RTC_DTLS_STATE_CLOSED : RTC_DTLS_STATE_FAILED;
          g_clear_error (&news->error);
          news->error = out.error;
          out.error = NULL;
        }
        break;
      default:
        break;
    }
  }
  flush_dtls_locked (self);

  if (self->stopped || out.timeout_us == RTC_TIMEOUT_NONE) {
    stop_timer_locked (self);
  } else {
    if (!self->timer) {
      GWeakRef *ref = g_new (GWeakRef, 1);

      /* The timer fires on the network thread while the transport may be
       * going away on another: it holds the transport weakly, and a
       * strong reference while it runs. */
      g_weak_ref_init (ref, self);
      self->timer = g_source_new (&timer_funcs, sizeof (GSource));
      g_source_set_callback (self->timer, timer_fired, ref, weak_ref_free);
      g_source_attach (self->timer, self->context);
    }
    g_source_set_ready_time (self->timer, (gint64) out.timeout_us);
  }
  return transmitted;
}

static void
deliver_news (GstRtcTransport * self, DtlsNews * news)
{
  guint i;

  if (news->have_state && self->callbacks.dtls_state)
    self->callbacks.dtls_state (self, news->state, news->error,
        self->user_data);
  g_clear_error (&news->error);
  if (news->app_data) {
    for (i = 0; i < news->app_data->len; i++) {
      gsize len;
      const guint8 *data = g_bytes_get_data (g_ptr_array_index
          (news->app_data, i), &len);

      self->callbacks.app_data (self, data, len, self->user_data);
    }
    g_clear_pointer (&news->app_data, g_ptr_array_unref);
  }
}

static gboolean
timer_fired (gpointer user_data)
{
  GstRtcTransport *self = g_weak_ref_get (user_data);
  DtlsNews news = { 0, };

  if (!self)
    return G_SOURCE_REMOVE;
  g_mutex_lock (&self->dtls_lock);
  if (self->dtls && !self->stopped) {
    rtc_dtls_handle_timeout (self->dtls, g_get_monotonic_time ());
    /* What a timeout sends is a retransmitted flight. */
    if (drain_dtls_locked (self, &news) > 0)
      self->stats.dtls_retransmissions++;
  }
  g_mutex_unlock (&self->dtls_lock);
  deliver_news (self, &news);
  gst_object_unref (self);
  return G_SOURCE_CONTINUE;
}

gboolean
gst_rtc_transport_start_dtls (GstRtcTransport * self,
    RtcCertificate * certificate, RtcDtlsRole role,
    const gchar * remote_fingerprint, GError ** error)
{
  RtcDtlsConfig cfg = { 0, };
  DtlsNews news = { 0, };
  GBytes *early;
  guint64 now = g_get_monotonic_time ();

  cfg.certificate = certificate;
  cfg.role = role;
  cfg.remote_fingerprint = remote_fingerprint;

  g_mutex_lock (&self->dtls_lock);
  if (self->dtls) {
    g_mutex_unlock (&self->dtls_lock);
    return TRUE;
  }
  self->dtls = rtc_dtls_new (&cfg, error);
  if (!self->dtls) {
    g_mutex_unlock (&self->dtls_lock);
    return FALSE;
  }
  GST_INFO_OBJECT (self, "DTLS %s starting",
      role == RTC_DTLS_ROLE_CLIENT ? "client" : "server");
  rtc_dtls_start (self->dtls, now);
  while ((early = g_queue_pop_head (&self->early))) {
    gsize len;
    const guint8 *data = g_bytes_get_data (early, &len);

    rtc_dtls_handle_packet (self->dtls, now, data, len);
    g_bytes_unref (early);
  }
  drain_dtls_locked (self, &news);
  g_mutex_unlock (&self->dtls_lock);
  deliver_news (self, &news);
  return TRUE;
}

void
gst_rtc_transport_set_writable (GstRtcTransport * self)
{
  GBytes *b;

  g_mutex_lock (&self->dtls_lock);
  if (!self->writable && !self->stopped) {
    GST_DEBUG_OBJECT (self, "ICE path ready, sending %u held DTLS datagrams",
        g_queue_get_length (&self->held));
    self->writable = TRUE;
    while ((b = g_queue_pop_head (&self->held))) {
      gsize len;
      const guint8 *data = g_bytes_get_data (b, &len);

      send_dtls_locked (self, data, len);
      g_bytes_unref (b);
    }
    flush_dtls_locked (self);
  }
  g_mutex_unlock (&self->dtls_lock);
}

gboolean
gst_rtc_transport_set_remote_fingerprint (GstRtcTransport * self,
    const gchar * remote_fingerprint, GError ** error)
{
  DtlsNews news = { 0, };
  gboolean ok = TRUE;

  g_mutex_lock (&self->dtls_lock);
  if (self->dtls) {
    ok = rtc_dtls_set_remote_fingerprint (self->dtls, remote_fingerprint,
        error);
    drain_dtls_locked (self, &news);
  }
  g_mutex_unlock (&self->dtls_lock);
  deliver_news (self, &news);
  return ok;
}

static void
start_src (GstRtcTransport * self, GstPad * pad, const gchar * caps_str)
{
  GstCaps *caps = gst_caps_from_string (caps_str);
  GstSegment segment;
  gchar *stream_id;

  stream_id = g_strdup_printf ("%s/%s", GST_OBJECT_NAME (self),
      GST_PAD_NAME (pad));
  gst_pad_push_event (pad, gst_event_new_stream_start (stream_id));
  g_free (stream_id);
  gst_pad_push_event (pad, gst_event_new_caps (caps));
  gst_caps_unref (caps);
  gst_segment_init (&segment, GST_FORMAT_TIME);
  gst_pad_push_event (pad, gst_event_new_segment (&segment));
}

/* The media path of the receive side: decrypt into a buffer of its own
 * and push it into rtpbin from this (ICE) thread. */
static void
receive_media (GstRtcTransport * self, const guint8 * data, gsize len,
    gboolean rtcp)
{
  GstBuffer *buf;
  GstMapInfo map;
  gsize out_len = len;
  gboolean ok;
  GstPad *pad = rtcp ? self->rtcp_src : self->rtp_src;

  buf = NULL;
  if (len <= POOL_BUFFER_SIZE)
    gst_buffer_pool_acquire_buffer (self->pool, &buf, NULL);
  if (!buf)
    buf = gst_buffer_new_allocate (NULL, len, NULL);
  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  memcpy (map.data, data, len);

  g_mutex_lock (&self->recv_lock);
  if (!self->srtp) {
    g_mutex_unlock (&self->recv_lock);
    gst_buffer_unmap (buf, &map);
    gst_buffer_unref (buf);
    self->stats.received_before_keys++;
    return;
  }
  if (rtcp)
    ok = rtc_srtp_unprotect_rtcp (self->srtp, map.data, &out_len, NULL);
  else
    ok = rtc_srtp_unprotect_rtp (self->srtp, map.data, &out_len, NULL);
  if (ok && !self->src_started) {
    start_src (self, self->rtp_src, "application/x-rtp");
    start_src (self, self->rtcp_src, "application/x-rtcp");
    self->src_started = TRUE;
  }
  g_mutex_unlock (&self->recv_lock);
  gst_buffer_unmap (buf, &map);

  if (!ok) {
    /* Replays and forgeries are expected on the open internet. */
    GST_LOG_OBJECT (self, "dropping a packet that failed SRTP checks");
    self->stats.unprotect_failed++;
    gst_buffer_unref (buf);
    return;
  }
  gst_buffer_set_size (buf, out_len);
  if (rtcp)
    self->stats.rtcp_received++;
  else
    self->stats.rtp_received++;
  self->stats.bytes_received += len;
  gst_pad_push (pad, buf);
}

void
gst_rtc_transport_receive (GstRtcTransport * self, const guint8 * data,
    gsize len)
{
  DtlsNews news = { 0, };

  switch (rtc_demux_classify (data, len)) {
    case RTC_PACKET_DTLS:
      g_mutex_lock (&self->dtls_lock);
      if (self->stopped) {
        /* nothing */
      } else if (!self->dtls) {
        if (g_queue_get_length (&self->early) < MAX_EARLY_PACKETS)
          g_queue_push_tail (&self->early, g_bytes_new (data, len));
      } else {
        rtc_dtls_handle_packet (self->dtls, g_get_monotonic_time (), data,
            len);
        drain_dtls_locked (self, &news);
      }
      g_mutex_unlock (&self->dtls_lock);
      deliver_news (self, &news);
      break;
    case RTC_PACKET_RTP:
      receive_media (self, data, len, FALSE);
      break;
    case RTC_PACKET_RTCP:
      receive_media (self, data, len, TRUE);
      break;
    default:
      self->stats.garbage++;
      GST_LOG_OBJECT (self, "dropping %" G_GSIZE_FORMAT " bytes that are "
          "neither DTLS nor (S)RTP", len);
      break;
  }
}

gboolean
gst_rtc_transport_send_app_data (GstRtcTransport * self, const guint8 * data,
    gsize len, GError ** error)
{
  DtlsNews news = { 0, };
  gboolean ok = FALSE;

  g_mutex_lock (&self->dtls_lock);
  if (self->dtls && !self->stopped) {
    ok = rtc_dtls_send (self->dtls, data, len, error);
    drain_dtls_locked (self, &news);
  } else {
    g_set_error (error, RTC_DTLS_ERROR, RTC_DTLS_ERROR_NOT_CONNECTED,
        "The DTLS transport is not connected");
  }
  g_mutex_unlock (&self->dtls_lock);
  deliver_news (self, &news);
  return ok;
}

guint
gst_rtc_transport_send_app_data_many (GstRtcTransport * self,
    const RtcDatagram * msgs, guint n)
{
  DtlsNews news = { 0, };
  guint i = 0;

  g_mutex_lock (&self->dtls_lock);
  if (self->dtls && !self->stopped) {
    for (i = 0; i < n; i++) {
      GError *error = NULL;

      if (!rtc_dtls_send (self->dtls, msgs[i].data, msgs[i].len, &error)) {
        GST_DEBUG_OBJECT (self, "application data not sent: %s",
            error->message);
        g_clear_error (&error);
        break;
      }
    }
    drain_dtls_locked (self, &news);
  }
  g_mutex_unlock (&self->dtls_lock);
  deliver_news (self, &news);
  return i;
}

/* Encrypts one packet into the scratch buffer and sends it. */
static gboolean
send_protected (GstRtcTransport * self, GstBuffer * buffer, gboolean rtcp)
{
  GstMapInfo map;
  gsize len;
  gboolean ok;

  if (!gst_buffer_map (buffer, &map, GST_MAP_READ))
    return FALSE;
  len = map.size;
  g_mutex_lock (&self->send_lock);
  if (!self->srtp || len + 64 > SCRATCH_SIZE) {
    self->stats.dropped_before_keys++;
    g_mutex_unlock (&self->send_lock);
    gst_buffer_unmap (buffer, &map);
    return FALSE;
  }
  memcpy (self->scratch, map.data, len);
  gst_buffer_unmap (buffer, &map);
  if (rtcp)
    ok = rtc_srtp_protect_rtcp (self->srtp, self->scratch, &len,
        SCRATCH_SIZE, NULL);
  else
    ok = rtc_srtp_protect_rtp (self->srtp, self->scratch, &len,
        SCRATCH_SIZE, NULL);
  if (ok)
    ok = self->callbacks.send (self->user_data, self->scratch, len);
  if (ok) {
    if (rtcp)
      self->stats.rtcp_sent++;
    else
      self->stats.rtp_sent++;
    self->stats.bytes_sent += len;
  }
  g_mutex_unlock (&self->send_lock);
  return ok;
}

/* A packet that cannot go out (no keys yet, no ICE pair) is dropped, as
 * the network would; the stream itself goes on. */
static GstFlowReturn
rtp_sink_chain (GstPad * pad, GstObject * parent, GstBuffer * buffer)
{
  send_protected (GST_RTC_TRANSPORT (parent), buffer, FALSE);
  gst_buffer_unref (buffer);
  return GST_FLOW_OK;
}

/* A buffer list (a video frame's packets): each is encrypted in place in
 * the batch and all leave in one system call. */
static GstFlowReturn
rtp_sink_chain_list (GstPad * pad, GstObject * parent, GstBufferList * list)
{
  GstRtcTransport *self = GST_RTC_TRANSPORT (parent);
  guint i, n = gst_buffer_list_length (list);
  guint64 bytes = 0, before;

  g_mutex_lock (&self->send_lock);
  before = self->media_batch.sent;
  for (i = 0; i < n && self->srtp; i++) {
    GstBuffer *buffer = gst_buffer_list_get (list, i);
    gsize len = gst_buffer_get_size (buffer);
    guint8 *p = rtc_send_batch_reserve (&self->media_batch, len + 64);

    if (p == NULL) {
      self->stats.dropped_before_keys++;
      continue;
    }
    gst_buffer_extract (buffer, 0, p, len);
    if (rtc_srtp_protect_rtp (self->srtp, p, &len, len + 64, NULL)) {
      rtc_send_batch_commit (&self->media_batch, len);
      bytes += len;
    }
  }
  self->stats.dropped_before_keys += n - i;
  rtc_send_batch_flush (&self->media_batch);
  self->stats.rtp_sent += self->media_batch.sent - before;
  self->stats.bytes_sent += bytes;
  g_mutex_unlock (&self->send_lock);
  gst_buffer_list_unref (list);
  return GST_FLOW_OK;
}

static GstFlowReturn
rtcp_sink_chain (GstPad * pad, GstObject * parent, GstBuffer * buffer)
{
  send_protected (GST_RTC_TRANSPORT (parent), buffer, TRUE);
  gst_buffer_unref (buffer);
  return GST_FLOW_OK;
}

static gboolean
sink_event (GstPad * pad, GstObject * parent, GstEvent * event)
{
  /* The network is the end of the line: nothing to forward. */
  gst_event_unref (event);
  return TRUE;
}

void
gst_rtc_transport_stop (GstRtcTransport * self)
{
  g_mutex_lock (&self->dtls_lock);
  if (!self->stopped) {
    self->stopped = TRUE;
    if (self->dtls) {
      DtlsNews news = { 0, };

      rtc_dtls_close (self->dtls);
      drain_dtls_locked (self, &news);
      g_clear_error (&news.error);
      g_clear_pointer (&news.app_data, g_ptr_array_unref);
    }
    stop_timer_locked (self);
  }
  g_mutex_unlock (&self->dtls_lock);

  g_mutex_lock (&self->send_lock);
  g_mutex_lock (&self->recv_lock);
  g_clear_pointer (&self->srtp, rtc_srtp_session_free);
  g_mutex_unlock (&self->recv_lock);
  g_mutex_unlock (&self->send_lock);
}

RtcDtlsState
gst_rtc_transport_get_dtls_state (GstRtcTransport * self)
{
  RtcDtlsState state;

  g_mutex_lock (&self->dtls_lock);
  state = self->dtls ? rtc_dtls_get_state (self->dtls) : RTC_DTLS_STATE_NEW;
  g_mutex_unlock (&self->dtls_lock);
  return state;
}

gchar *
gst_rtc_transport_get_remote_certificate (GstRtcTransport * self)
{
  gchar *pem = NULL;

  g_mutex_lock (&self->dtls_lock);
  if (self->dtls)
    pem = rtc_dtls_get_remote_certificate_pem (self->dtls);
  g_mutex_unlock (&self->dtls_lock);
  return pem;
}

void
gst_rtc_transport_get_stats (GstRtcTransport * self,
    GstRtcTransportStats * stats)
{
  *stats = self->stats;
  g_mutex_lock (&self->dtls_lock);
  stats->dtls_records_dropped = self->dtls ?
      rtc_dtls_get_dropped_records (self->dtls) : 0;
  g_mutex_unlock (&self->dtls_lock);
}

RtcDtlsRole
gst_rtc_transport_get_dtls_role (GstRtcTransport * self)
{
  RtcDtlsRole role = RTC_DTLS_ROLE_CLIENT;

  g_mutex_lock (&self->dtls_lock);
  if (self->dtls)
    role = rtc_dtls_get_role (self->dtls);
  g_mutex_unlock (&self->dtls_lock);
  return role;
}
