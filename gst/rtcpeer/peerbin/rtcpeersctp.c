/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Data channels of rtcpeerbin: one SCTP association (core/sctp/rtcsctp.c)
 * over the DTLS transport of the m=application section, and the channel
 * bookkeeping of RFC 8832 (core/sctp/rtcdatachannels.c).
 *
 *   GstRtcDataChannel send ---+                         +--> on-message-*
 *   DTLS app data (ICE thread)+--> [sctp lock] SCTP --> DCEP/channels
 *   10 ms tick (ICE thread) --+        | packets          | actions
 *                                      v                  v
 *                          rtcdtlssrtpenc DTLS send  queued, emitted on
 *                                                    the ops thread
 *
 * Everything below runs under self->sctp_lock; what the application must
 * hear about is collected, and handed to rtc_peer_emit () once the lock
 * is dropped. Lock order: sctp_lock, then the transport's DTLS lock. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrtcpeerbin.h"
#include "gstrtcdatachannel.h"
#include "jsep/rtcsdputil.h"
#include "sctp/rtcsctp.h"
#include "jsep/rtcjsep-media.h"

GST_DEBUG_CATEGORY_EXTERN (gst_rtc_peer_bin_debug);
#define GST_CAT_DEFAULT gst_rtc_peer_bin_debug

#define SCTP_TICK_MS 10
/* 1500-byte links, less IPv6, UDP and the worst DTLS record overhead */
#define RTC_PEER_SCTP_MAX_MTU 1384

/* What the application hears about, in order. */
typedef enum
{
  EMIT_NEW_CHANNEL,
  EMIT_OPEN,
  EMIT_MESSAGE,
  EMIT_ERROR,
  EMIT_CLOSED,
  EMIT_BUFFERED,
  EMIT_TRANSPORT_STATE,
} EmitType;

typedef struct
{
  EmitType type;
  GstRtcDataChannel *channel;   /* owned ref */
  GBytes *data;
  gboolean is_string;
  GError *error;
  guint64 amount;
} Emission;

static void
emission_free (Emission * e)
{
  g_clear_object (&e->channel);
  g_clear_pointer (&e->data, g_bytes_unref);
  g_clear_error (&e->error);
  g_free (e);
}

static void
push_emission (GQueue * q, EmitType type, GstRtcDataChannel * channel)
{
  Emission *e = g_new0 (Emission, 1);

  e->type = type;
  e->channel = channel ? g_object_ref (channel) : NULL;
  g_queue_push_tail (q, e);
}

static gboolean channel_send (gpointer owner, GstRtcDataChannel * channel,
    gboolean is_string, const guint8 * data, gsize len, GError ** error);
static void channel_close (gpointer owner, GstRtcDataChannel * channel);

static const GstRtcDataChannelOwner channel_owner = {
  channel_send,
  channel_close,
};

/* sctp_lock held */
static RtcDataChannels *
ensure_channels_locked (GstRtcPeerBin * self)
{
  if (!self->dcs)
    self->dcs = rtc_data_channels_new ();
  return self->dcs;
}

/* A GstRtcDataChannel for a core channel (sctp_lock held). The bin keeps
 * the reference; the core channel points back without one. */
static GstRtcDataChannel *
wrap_channel_locked (GstRtcPeerBin * self, RtcDataChannel * core)
{
  GstRtcDataChannel *channel;

  if (core->user_data)
    return core->user_data;
  channel = gst_rtc_data_channel_new (core, &channel_owner, self);
  core->user_data = channel;
  g_ptr_array_add (self->data_channels, channel);
  return channel;
}

static void sctp_drain_locked (GstRtcPeerBin * self, GQueue * emit);

/* The packets of one drain (a window's worth of DATA, a SACK burst) go
 * out as DTLS records in one system call. sctp_lock held. */
#define SCTP_BATCH_SIZE (256 * 1024)

static guint
sctp_batch_send (gpointer user_data, const RtcDatagram * dgrams, guint n)
{
  GstRtcPeerBin *self = user_data;

  if (!self->sctp_transport)
    return 0;
  return gst_rtc_transport_send_app_data_many (self->sctp_transport, dgrams,
      n);
}

/* The core's actions after an input: SCTP sends, new/open/closed
 * channels, messages. sctp_lock held. */
static void
dc_actions_locked (GstRtcPeerBin * self, GQueue * emit)
{
  RtcDcAction a = { 0, };

  while (rtc_data_channels_poll_action (self->dcs, &a)) {
    GstRtcDataChannel *ch = a.channel ? wrap_channel_locked (self,
        a.channel) : NULL;
    GError *error = NULL;
    Emission *e;

    switch (a.type) {
      case RTC_DC_ACTION_SEND:{
        RtcSctpSendOptions opts = { 0, };
        gsize len;
        const guint8 *data = g_bytes_get_data (a.data, &len);

        if (self->sctp && !rtc_sctp_send (self->sctp, a.stream, a.ppid, data,
                len, &opts, &error)) {
          GST_WARNING_OBJECT (self, "DCEP on stream %u: %s", a.stream,
              error->message);
          g_clear_error (&error);
        }
        break;
      }
      case RTC_DC_ACTION_RESET_STREAM:
        if (self->sctp && !rtc_sctp_reset_stream (self->sctp, a.stream,
                &error)) {
          GST_WARNING_OBJECT (self, "reset of stream %u: %s", a.stream,
              error->message);
          g_clear_error (&error);
        }
        break;
      case RTC_DC_ACTION_CHANNEL_NEW:
        push_emission (emit, EMIT_NEW_CHANNEL, ch);
        break;
      case RTC_DC_ACTION_CHANNEL_OPEN:
        push_emission (emit, EMIT_OPEN, ch);
        break;
      case RTC_DC_ACTION_MESSAGE:
        if (ch) {
          push_emission (emit, EMIT_MESSAGE, ch);
          e = g_queue_peek_tail (emit);
          e->data = g_bytes_ref (a.data);
          e->is_string = a.is_string;
        }
        break;
      case RTC_DC_ACTION_CHANNEL_ERROR:
        if (ch) {
          push_emission (emit, EMIT_ERROR, ch);
          e = g_queue_peek_tail (emit);
          e->error = g_error_copy (a.error);
        } else {
          GST_WARNING_OBJECT (self, "data channel stream %u: %s", a.stream,
              a.error ? a.error->message : "error");
        }
        break;
      case RTC_DC_ACTION_CHANNEL_CLOSED:
        if (ch) {
          /* The bin lets go of a closed channel (the emission keeps it
           * until on-close is out), so opening and closing channels does
           * not grow it; sends no longer reach the bin, which the
           * application may outlive with its reference. */
          push_emission (emit, EMIT_CLOSED, ch);
          gst_rtc_data_channel_detach (ch);
          a.channel->user_data = NULL;
          g_ptr_array_remove (self->data_channels, ch);
        }
        break;
    }
    rtc_dc_action_clear (&a);
  }
}

/* Empties the SCTP core: packets to DTLS, messages and events to the
 * channel bookkeeping, whose actions may queue more SCTP output; repeat
 * until both are quiet. sctp_lock held. */
static void
sctp_drain_locked (GstRtcPeerBin * self, GQueue * emit)
{
  RtcOutput out = { 0, };
  gboolean again = TRUE;

  while (again) {
    again = FALSE;
    dc_actions_locked (self, emit);
    if (!self->sctp)
      break;
    while (rtc_sctp_poll_output (self->sctp, &out)) {
      again = TRUE;
      switch (out.kind) {
        case RTC_OUTPUT_TRANSMIT:
          if (self->sctp_transport)
            rtc_send_batch_add (&self->sctp_batch, out.data, out.len);
          break;
        case RTC_OUTPUT_RECEIVE:
          rtc_data_channels_handle_message (self->dcs, out.stream, out.ppid,
              out.data, out.len);
          break;
        case RTC_OUTPUT_EVENT:
          switch (out.event) {
            case RTC_SCTP_EVENT_CONNECTED:
              GST_INFO_OBJECT (self, "SCTP association up");
              rtc_data_channels_on_connected (self->dcs);
              push_emission (emit, EMIT_TRANSPORT_STATE, NULL);
              break;
            case RTC_SCTP_EVENT_CLOSED:
              GST_INFO_OBJECT (self, "SCTP association closed: %s",
                  out.error ? out.error->message : "shutdown");
              rtc_data_channels_on_disconnected (self->dcs);
              push_emission (emit, EMIT_TRANSPORT_STATE, NULL);
              break;
            case RTC_SCTP_EVENT_STREAM_RESET:
              rtc_data_channels_on_stream_reset (self->dcs, out.stream);
              break;
            case RTC_SCTP_EVENT_BUFFERED_AMOUNT:{
              RtcDataChannel *core = rtc_data_channels_lookup (self->dcs,
                  out.stream);

              if (core && core->user_data) {
                push_emission (emit, EMIT_BUFFERED, core->user_data);
                ((Emission *) g_queue_peek_tail (emit))->amount =
                    rtc_sctp_get_buffered_amount (self->sctp, out.stream);
              }
              break;
            }
            case RTC_SCTP_EVENT_SEND_FAILED:
            case RTC_SCTP_EVENT_RECEIVE_TOO_LARGE:{
              RtcDataChannel *core = rtc_data_channels_lookup (self->dcs,
                  out.stream);

              if (core && core->user_data && out.error) {
                push_emission (emit, EMIT_ERROR, core->user_data);
                ((Emission *) g_queue_peek_tail (emit))->error =
                    g_error_copy (out.error);
              }
              break;
            }
            default:
              break;
          }
          g_clear_error (&out.error);
          break;
        default:
          break;
      }
    }
  }
  rtc_send_batch_flush (&self->sctp_batch);
  if (self->sctp && self->sctp_timer && out.kind == RTC_OUTPUT_TIMEOUT)
    g_source_set_ready_time (self->sctp_timer,
        out.timeout_us == RTC_TIMEOUT_NONE ? -1 : (gint64) out.timeout_us);
}

/* One batch of what the SCTP core produced, emitted on the ops thread. */
static void
deliver_now (gpointer owner, gpointer data)
{
  GstRtcPeerBin *self = owner;
  GQueue *emit = data;
  Emission *e;

  while ((e = g_queue_pop_head (emit))) {
    switch (e->type) {
      case EMIT_NEW_CHANNEL:
        gst_rtc_data_channel_set_id (e->channel,
            gst_rtc_data_channel_get_core (e->channel)->id);
        gst_rtc_peer_bin_emit_prepare_data_channel (self, e->channel, FALSE);
        gst_rtc_peer_bin_emit_data_channel (self, e->channel);
        break;
      case EMIT_OPEN:
        gst_rtc_data_channel_set_id (e->channel,
            gst_rtc_data_channel_get_core (e->channel)->id);
        gst_rtc_data_channel_set_state (e->channel,
            GST_WEBRTC_DATA_CHANNEL_STATE_OPEN);
        break;
      case EMIT_MESSAGE:
        gst_rtc_data_channel_deliver (e->channel, e->is_string, e->data);
        break;
      case EMIT_ERROR:
        gst_rtc_data_channel_error (e->channel, e->error);
        break;
      case EMIT_CLOSED:
        gst_rtc_data_channel_set_state (e->channel,
            GST_WEBRTC_DATA_CHANNEL_STATE_CLOSED);
        break;
      case EMIT_BUFFERED:
        gst_rtc_data_channel_set_buffered_amount (e->channel, e->amount);
        break;
      case EMIT_TRANSPORT_STATE:
        rtc_peer_objects_sctp_changed (self);
        break;
    }
    emission_free (e);
  }
}

static void
batch_free (gpointer data)
{
  g_queue_free_full (data, (GDestroyNotify) emission_free);
}

/* Everything one input produced goes to the application as one queued
 * emission (a burst of messages costs one operation), never from the
 * network thread this runs on: a slow handler would stall every bin
 * sharing it. */
static void
deliver (GstRtcPeerBin * self, GQueue * emit)
{
  GQueue *batch;

  if (g_queue_is_empty (emit))
    return;
  batch = g_queue_new ();
  *batch = *emit;
  g_queue_init (emit);
  rtc_peer_emit (self, deliver_now, batch, batch_free);
}

/* The tick and wakeup sources live on a network context that outlives the
 * bin: they hold it by a weak reference, so one that fires after the bin
 * went away finds nothing instead of freed memory. */
static GWeakRef *
weak_new (gpointer object)
{
  GWeakRef *w = g_new0 (GWeakRef, 1);

  g_weak_ref_init (w, object);
  return w;
}

static void
weak_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

static void
sctp_tick_now (GstRtcPeerBin * self)
{
  GQueue emit = G_QUEUE_INIT;

  g_mutex_lock (&self->sctp_lock);
  if (self->sctp) {
    rtc_sctp_handle_timeout (self->sctp, g_get_monotonic_time ());
    sctp_drain_locked (self, &emit);
  }
  g_mutex_unlock (&self->sctp_lock);
  deliver (self, &emit);
}

static gboolean
sctp_tick (gpointer user_data)
{
  GstRtcPeerBin *self = g_weak_ref_get (user_data);

  if (!self)
    return G_SOURCE_REMOVE;
  sctp_tick_now (self);
  gst_object_unref (self);
  return G_SOURCE_CONTINUE;
}

/* The association's own timer: disarmed as it fires, rearmed by the
 * drain that follows for the core's next deadline. */
static gboolean
sctp_timer_dispatch (GSource * source, GSourceFunc callback,
    gpointer user_data)
{
  g_source_set_ready_time (source, -1);
  return callback (user_data);
}

static GSourceFuncs sctp_timer_funcs = { NULL, NULL, sctp_timer_dispatch,
  NULL, NULL, NULL
};

/* usrsctp has one timer wheel for the whole process (core/sctp/rtcsctp.h,
 * "Time"): one clock thread advances it every SCTP_TICK_MS while any
 * association exists, instead of a 10 ms timer per association that
 * fires whether or not anything is in flight. What a tick produces for an
 * association reaches it through its wakeup, on its own network thread. */
static GMutex clock_lock;
static GCond clock_cond;
static guint clock_users;
static gboolean clock_running;

static gpointer
clock_thread (gpointer data)
{
  g_mutex_lock (&clock_lock);
  while (clock_users > 0) {
    gint64 next = g_get_monotonic_time () + SCTP_TICK_MS * 1000;

    /* Signalled when the last user leaves; a spurious wakeup just ticks
     * early, which advances the wheel by less. */
    if (g_cond_wait_until (&clock_cond, &clock_lock, next) &&
        clock_users == 0)
      break;
    g_mutex_unlock (&clock_lock);
    rtc_sctp_handle_timeout_global (g_get_monotonic_time ());
    g_mutex_lock (&clock_lock);
  }
  clock_running = FALSE;
  g_mutex_unlock (&clock_lock);
  return NULL;
}

static void
clock_acquire (void)
{
  g_mutex_lock (&clock_lock);
  if (clock_users++ == 0 && !clock_running) {
    clock_running = TRUE;
    g_thread_unref (g_thread_new ("rtc-sctp-clock", clock_thread, NULL));
  }
  g_mutex_unlock (&clock_lock);
}

static void
clock_release (void)
{
  g_mutex_lock (&clock_lock);
  if (--clock_users == 0)
    g_cond_signal (&clock_cond);
  g_mutex_unlock (&clock_lock);
}

static gboolean
sctp_tick_once (gpointer user_data)
{
  GstRtcPeerBin *self = g_weak_ref_get (user_data);

  if (self) {
    sctp_tick_now (self);
    gst_object_unref (self);
  }
  return G_SOURCE_REMOVE;
}

/* Another association's call made output for ours: drain it from our own
 * network thread. Must not block or call into SCTP. */
static void
sctp_wakeup (gpointer user_data)
{
  GstRtcPeerBin *self = user_data;
  GMainContext *ctx = g_atomic_pointer_get (&self->sctp_context);

  /* An idle source, never g_main_context_invoke (): that would drain
   * right here when this thread owns the context, inside another
   * association's call and possibly under its lock. */
  if (ctx) {
    GSource *idle = g_idle_source_new ();

    g_source_set_callback (idle, sctp_tick_once, weak_new (self), weak_free);
    g_source_attach (idle, ctx);
    g_source_unref (idle);
  }
}

/* DTLS application data from the ICE thread: SCTP packets. */
void
rtc_peer_sctp_receive (GstRtcPeerBin * self, const guint8 * data, gsize len)
{
  GQueue emit = G_QUEUE_INIT;

  g_mutex_lock (&self->sctp_lock);
  if (self->sctp) {
    rtc_sctp_handle_packet (self->sctp, g_get_monotonic_time (), data, len);
    sctp_drain_locked (self, &emit);
  }
  g_mutex_unlock (&self->sctp_lock);
  deliver (self, &emit);
}

/* The DTLS transport of the m=application section is connected: start the
 * association (RFC 8841: both sides initiate). Ops thread. */
void
rtc_peer_sctp_start (GstRtcPeerBin * self, GstRtcTransport * transport,
    gboolean dtls_client, GMainContext * context,
    guint16 remote_port, gsize remote_max_message_size,
    guint remote_max_packet)
{
  RtcSctpConfig cfg = { 0, };
  GQueue emit = G_QUEUE_INIT;
  GError *error = NULL;

  g_mutex_lock (&self->sctp_lock);
  if (self->sctp) {
    g_mutex_unlock (&self->sctp_lock);
    return;
  }
  ensure_channels_locked (self);
  if (!rtc_data_channels_set_dtls_role (self->dcs, dtls_client, &error)) {
    GST_WARNING_OBJECT (self, "%s", error->message);
    g_clear_error (&error);
  }
  cfg.local_port = RTC_SCTP_DEFAULT_PORT;
  cfg.remote_port = remote_port ? remote_port : RTC_SCTP_DEFAULT_PORT;
  cfg.max_message_size = remote_max_message_size;
  cfg.max_receive_message_size = RTC_PEER_MAX_MESSAGE_SIZE;
  /* RFC 8831 section 5: start at the base size, find what the path
   * carries (core/sctp/rtcplpmtud.h), up to the Ethernet plateau unless
   * the peer announced it takes more (a=x-rtcpeer-sctp-max-packet, in
   * rtcjsep-media.h). A probe larger than the path is merely lost, but a
   * peer may not survive a DTLS record it finds too large: Chromium 156
   * closes its DTLS transport ("Closed by remote with DTLS transport
   * error") on an 8884-byte one, whatever the path carries. */
  cfg.max_mtu = remote_max_packet ? MIN (remote_max_packet,
      RTC_SCTP_MAX_PATH_MTU) : RTC_PEER_SCTP_MAX_MTU;
  /* Only a peer that announced the attribute is one of ours, known to
   * skip the PAD chunks of the small-answer probes; others get probes
   * made of nothing but a HEARTBEAT. */
  cfg.peer_understands_pad = remote_max_packet != 0;
  cfg.shared_clock = TRUE;
  self->sctp = rtc_sctp_new (&cfg, &error);
  if (!self->sctp) {
    g_mutex_unlock (&self->sctp_lock);
    GST_ELEMENT_WARNING (self, RESOURCE, FAILED, ("Could not start the SCTP "
            "association for data channels: %s", error->message), (NULL));
    g_clear_error (&error);
    return;
  }
  self->sctp_transport = gst_object_ref (transport);
  self->sctp_stopped = FALSE;
  push_emission (&emit, EMIT_TRANSPORT_STATE, NULL);
  if (!self->sctp_batch.send)
    rtc_send_batch_init (&self->sctp_batch, SCTP_BATCH_SIZE, sctp_batch_send,
        self);
  g_atomic_pointer_set (&self->sctp_context, g_main_context_ref (context));
  rtc_sctp_set_wakeup (self->sctp, sctp_wakeup, self);
  clock_acquire ();
  self->sctp_timer = g_source_new (&sctp_timer_funcs, sizeof (GSource));
  g_source_set_callback (self->sctp_timer, sctp_tick, weak_new (self),
      weak_free);
  g_source_attach (self->sctp_timer, context);
  GST_INFO_OBJECT (self, "starting SCTP as DTLS %s, remote port %u, "
      "path MTU discovery up to %u", dtls_client ? "client" : "server",
      cfg.remote_port, cfg.max_mtu);
  rtc_sctp_start (self->sctp, g_get_monotonic_time ());
  sctp_drain_locked (self, &emit);
  g_mutex_unlock (&self->sctp_lock);
  deliver (self, &emit);
}

/* close() or dispose: every channel closes. */
void
rtc_peer_sctp_stop (GstRtcPeerBin * self)
{
  GQueue emit = G_QUEUE_INIT;
  GMainContext *ctx;
  guint i;

  g_mutex_lock (&self->sctp_lock);
  if (self->sctp_timer) {
    g_source_destroy (self->sctp_timer);
    g_clear_pointer (&self->sctp_timer, g_source_unref);
  }
  if (self->sctp) {
    rtc_sctp_set_wakeup (self->sctp, NULL, NULL);
    rtc_sctp_close (self->sctp);
    sctp_drain_locked (self, &emit);
    g_clear_pointer (&self->sctp, rtc_sctp_free);
    clock_release ();
    self->sctp_stopped = TRUE;
    push_emission (&emit, EMIT_TRANSPORT_STATE, NULL);
  }
  if (self->dcs) {
    rtc_data_channels_on_disconnected (self->dcs);
    dc_actions_locked (self, &emit);
  }
  gst_clear_object (&self->sctp_transport);
  rtc_send_batch_clear (&self->sctp_batch);
  ctx = g_atomic_pointer_exchange (&self->sctp_context, NULL);
  for (i = 0; i < self->data_channels->len; i++)
    gst_rtc_data_channel_detach (g_ptr_array_index (self->data_channels, i));
  g_mutex_unlock (&self->sctp_lock);
  if (ctx)
    g_main_context_unref (ctx);
  deliver (self, &emit);
}

/* create-data-channel: any thread. */
GstRtcDataChannel *
rtc_peer_sctp_create_channel (GstRtcPeerBin * self, const gchar * label,
    const GstStructure * options, GError ** error)
{
  RtcDataChannelOptions opts;
  RtcDataChannel *core;
  GstRtcDataChannel *channel;
  GQueue emit = G_QUEUE_INIT;

  gst_rtc_data_channel_options_from_structure (&opts, label, options);
  g_mutex_lock (&self->sctp_lock);
  core = rtc_data_channels_create (ensure_channels_locked (self), &opts,
      error);
  if (!core) {
    g_mutex_unlock (&self->sctp_lock);
    return NULL;
  }
  channel = g_object_ref (wrap_channel_locked (self, core));
  rtc_data_channel_unref (core);
  g_mutex_unlock (&self->sctp_lock);
  /* The application's handlers go on before the DCEP OPEN leaves with the
   * next drain: its answer cannot come before them. */
  gst_rtc_peer_bin_emit_prepare_data_channel (self, channel, TRUE);
  g_mutex_lock (&self->sctp_lock);
  sctp_drain_locked (self, &emit);
  g_mutex_unlock (&self->sctp_lock);
  deliver (self, &emit);
  return channel;
}

static gboolean
channel_send (gpointer owner, GstRtcDataChannel * channel, gboolean is_string,
    const guint8 * data, gsize len, GError ** error)
{
  GstRtcPeerBin *self = owner;
  RtcDcSend send;
  RtcSctpSendOptions opts = { 0, };
  GQueue emit = G_QUEUE_INIT;
  gboolean ok = FALSE;
  RtcDataChannel *core = gst_rtc_data_channel_get_core (channel);
  guint64 amount = 0;

  g_mutex_lock (&self->sctp_lock);
  if (!self->sctp || !self->dcs) {
    g_set_error (error, GST_WEBRTC_ERROR, GST_WEBRTC_ERROR_INVALID_STATE,
        "The data channel's SCTP association is not up");
  } else if (rtc_data_channels_prepare_send (self->dcs, core, is_string, data,
          len, &send, error)) {
    opts.unordered = !send.ordered;
    if (send.max_retransmits >= 0) {
      opts.reliability = RTC_SCTP_PARTIAL_RELIABLE_REXMIT;
      opts.pr_value = send.max_retransmits;
    } else if (send.max_packet_lifetime >= 0) {
      opts.reliability = RTC_SCTP_PARTIAL_RELIABLE_TIMED;
      opts.pr_value = send.max_packet_lifetime;
    }
    ok = rtc_sctp_send (self->sctp, send.stream, send.ppid, send.payload,
        send.payload_len, &opts, error);
    if (ok)
      amount = rtc_sctp_get_buffered_amount (self->sctp, send.stream);
    sctp_drain_locked (self, &emit);
  }
  g_mutex_unlock (&self->sctp_lock);
  /* This channel's new amount is set below, on the sender's thread as its
   * own call: queueing it too would wake the ops thread on every send. */
  if (ok) {
    GList *l = emit.head;

    while (l) {
      GList *next = l->next;
      Emission *e = l->data;

      if (e->type == EMIT_BUFFERED && e->channel == channel) {
        g_queue_delete_link (&emit, l);
        emission_free (e);
      }
      l = next;
    }
  }
  deliver (self, &emit);
  if (ok)
    gst_rtc_data_channel_set_buffered_amount (channel, amount);
  if (error && *error && (*error)->domain != GST_WEBRTC_ERROR) {
    /* W3C send(): a channel that is not open is an InvalidStateError. */
    GError *converted = g_error_new (GST_WEBRTC_ERROR,
        g_error_matches (*error, RTC_DATA_CHANNELS_ERROR,
            RTC_DATA_CHANNELS_ERROR_INVALID_STATE) ?
        GST_WEBRTC_ERROR_INVALID_STATE : GST_WEBRTC_ERROR_DATA_CHANNEL_FAILURE,
        "%s", (*error)->message);

    g_clear_error (error);
    g_propagate_error (error, converted);
  }
  return ok;
}

static void
channel_close (gpointer owner, GstRtcDataChannel * channel)
{
  GstRtcPeerBin *self = owner;
  GQueue emit = G_QUEUE_INIT;

  g_mutex_lock (&self->sctp_lock);
  if (self->dcs) {
    rtc_data_channels_close (self->dcs,
        gst_rtc_data_channel_get_core (channel));
    sctp_drain_locked (self, &emit);
  }
  g_mutex_unlock (&self->sctp_lock);
  deliver (self, &emit);
}

/* The largest SCTP packet the association over @transport sends now; 0
 * when the data channels do not use @transport. */
guint
rtc_peer_sctp_get_path_mtu (GstRtcPeerBin * self, GstRtcTransport * transport)
{
  guint mtu = 0;

  g_mutex_lock (&self->sctp_lock);
  if (self->sctp && self->sctp_transport == transport)
    mtu = rtc_sctp_get_path_mtu (self->sctp);
  g_mutex_unlock (&self->sctp_lock);
  return mtu;
}

/* RTCSctpTransport's view (W3C 6.1.1): maxChannels is known once the
 * association is up; before the first start it is "new", after the last
 * stop "closed". */
void
rtc_peer_sctp_query_transport (gpointer owner, GstRtcSctpTransportInfo * info)
{
  GstRtcPeerBin *self = owner;

  g_mutex_lock (&self->sctp_lock);
  info->state = self->sctp_stopped ? GST_WEBRTC_SCTP_TRANSPORT_STATE_CLOSED :
      GST_WEBRTC_SCTP_TRANSPORT_STATE_NEW;
  info->max_message_size = 0;
  info->max_channels = 0;
  if (self->sctp) {
    switch (rtc_sctp_get_state (self->sctp)) {
      case RTC_SCTP_STATE_NEW:
      case RTC_SCTP_STATE_CONNECTING:
        info->state = GST_WEBRTC_SCTP_TRANSPORT_STATE_CONNECTING;
        break;
      case RTC_SCTP_STATE_CONNECTED:
      case RTC_SCTP_STATE_CLOSING:
        info->state = GST_WEBRTC_SCTP_TRANSPORT_STATE_CONNECTED;
        info->max_channels = rtc_sctp_get_outbound_streams (self->sctp);
        break;
      case RTC_SCTP_STATE_CLOSED:
        info->state = GST_WEBRTC_SCTP_TRANSPORT_STATE_CLOSED;
        break;
    }
    info->max_message_size = rtc_sctp_get_max_message_size (self->sctp);
  }
  g_mutex_unlock (&self->sctp_lock);
}
