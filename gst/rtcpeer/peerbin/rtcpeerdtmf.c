/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* DTMF (RFC 4733) for the bin: the insert-dtmf action, on-tone-change,
 * on-dtmf-received and "dtmf-event" custom events on the audio src pads.
 * The protocol is core/rtcdtmf.c; this file is the glue.
 *
 * Sending: a probe on the transport's rtpfunnel sink pad that a sink pad
 * is linked to sees every RTP packet the track sends, on the streaming
 * thread. While a tone plays, the core replaces packets one for one by
 * telephone-event packets (same SSRC and sequence number, the negotiated
 * telephone-event payload type at the audio clock rate), which then go
 * through rtpbin and SRTP like any other packet. Tones advance with the
 * audio, so they need a flowing track.
 *
 * Receiving: telephone-event packets go through the audio SSRC's
 * jitterbuffer with the audio, and rtpbin's payload demuxer gives them a
 * recv_rtp_src pad of their own. That pad gets no ghost: a probe parses
 * and drops its packets, and on the same streaming thread (the
 * jitterbuffer's, which also pushes the audio) pushes a "dtmf-event"
 * custom downstream event on the audio src pad of that SSRC, so the event
 * is in order with the audio around it. on-dtmf-received goes through the
 * emitter (ops thread). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <stdlib.h>

#include <gst/rtp/rtp.h>

#include "gstrtcpeerbin.h"
#include "gstrtcpeerpad.h"
#include "rtcdtmf.h"
#include "jsep/rtcjsep-route.h"
#include "jsep/rtcsdputil.h"

GST_DEBUG_CATEGORY_EXTERN (gst_rtc_peer_bin_debug);
#define GST_CAT_DEFAULT gst_rtc_peer_bin_debug

enum
{
  SIGNAL_INSERT_DTMF,
  SIGNAL_GET_DTMF_TONE_BUFFER,
  SIGNAL_ON_TONE_CHANGE,
  SIGNAL_ON_DTMF_RECEIVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define SEND_QUARK_NAME "rtc-peer-dtmf-send"

/* One sink pad's sender; shared (refcounted) by the pad's qdata and the
 * probe on the funnel pad it is linked to. */
typedef struct
{
  GMutex lock;
  RtcDtmfSender *core;
  gint active;                  /* atomic: tones queued or playing */
  GWeakRef bin;
  GWeakRef pad;                 /* the sink pad (which owns one ref) */
} DtmfSend;

static void
dtmf_send_clear (DtmfSend * s)
{
  g_mutex_clear (&s->lock);
  rtc_dtmf_sender_free (s->core);
  g_weak_ref_clear (&s->bin);
  g_weak_ref_clear (&s->pad);
}

static void
dtmf_send_unref (gpointer data)
{
  g_atomic_rc_box_release_full (data, (GDestroyNotify) dtmf_send_clear);
}

static DtmfSend *
dtmf_send_get (GstRtcPeerBin * self, GstPad * pad)
{
  GQuark quark = g_quark_from_static_string (SEND_QUARK_NAME);
  DtmfSend *s;

  GST_OBJECT_LOCK (pad);
  s = g_object_get_qdata (G_OBJECT (pad), quark);
  if (!s) {
    s = g_atomic_rc_box_new0 (DtmfSend);
    g_mutex_init (&s->lock);
    s->core = rtc_dtmf_sender_new ();
    g_weak_ref_init (&s->bin, self);
    g_weak_ref_init (&s->pad, pad);
    g_object_set_qdata_full (G_OBJECT (pad), quark, s, dtmf_send_unref);
  }
  GST_OBJECT_UNLOCK (pad);
  return s;
}

typedef struct
{
  GstPad *pad;
  gchar *tone;
  guint duration;
  guint32 ssrc;                 /* received: to find the pad if it was not there */
} ToneEmit;

static void
tone_emit_free (gpointer data)
{
  ToneEmit *e = data;

  gst_clear_object (&e->pad);
  g_free (e->tone);
  g_free (e);
}

static ToneEmit *
tone_emit_new (GstPad * pad, const gchar * tone, guint duration)
{
  ToneEmit *e = g_new0 (ToneEmit, 1);

  e->pad = pad ? gst_object_ref (pad) : NULL;
  e->tone = g_strdup (tone);
  e->duration = duration;
  return e;
}

static void
emit_tone_change (gpointer owner, gpointer data)
{
  ToneEmit *e = data;

  g_signal_emit (owner, signals[SIGNAL_ON_TONE_CHANGE], 0, e->pad, e->tone);
}

static GstPad *audio_src_pad (GstRtcPeerBin * self, guint32 ssrc);

static void
emit_dtmf_received (gpointer owner, gpointer data)
{
  ToneEmit *e = data;

  /* The tone came before the audio's src pad: it may be there now. */
  if (!e->pad)
    e->pad = audio_src_pad (owner, e->ssrc);

  g_signal_emit (owner, signals[SIGNAL_ON_DTMF_RECEIVED], 0, e->pad, e->tone,
      e->duration);
}

/* @buf with its payload replaced by the event of @out: the header (and
 * any extensions: MID, transport-cc) stays, padding goes. NULL when @buf
 * is no RTP packet. */
static GstBuffer *
event_packet (GstBuffer * buf, const RtcDtmfSendOutput * out)
{
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  GstBuffer *ev;
  GstMapInfo in, map;
  guint hlen;

  if (!gst_rtp_buffer_map (buf, GST_MAP_READ, &rtp))
    return NULL;
  hlen = gst_rtp_buffer_get_header_len (&rtp);
  gst_rtp_buffer_unmap (&rtp);

  if (!gst_buffer_map (buf, &in, GST_MAP_READ))
    return NULL;
  ev = gst_buffer_new_allocate (NULL, hlen + RTC_DTMF_PAYLOAD_SIZE, NULL);
  gst_buffer_map (ev, &map, GST_MAP_WRITE);
  memcpy (map.data, in.data, hlen);
  gst_buffer_unmap (buf, &in);
  map.data[0] &= ~0x20;         /* no padding */
  map.data[1] = (out->marker ? 0x80 : 0) | (out->pt & 0x7f);
  GST_WRITE_UINT32_BE (map.data + 4, out->timestamp);
  memcpy (map.data + hlen, out->payload, RTC_DTMF_PAYLOAD_SIZE);
  gst_buffer_unmap (ev, &map);
  gst_buffer_copy_into (ev, buf, GST_BUFFER_COPY_FLAGS |
      GST_BUFFER_COPY_TIMESTAMPS | GST_BUFFER_COPY_META, 0, -1);
  return ev;
}

/* One outgoing packet: returns its replacement or NULL to keep it.
 * Streaming thread. */
static GstBuffer *
send_packet (DtmfSend * s, GstBuffer * buf)
{
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  RtcDtmfSendOutput out;
  GstBuffer *ev = NULL;
  guint32 ts;
  gboolean busy;

  if (!gst_rtp_buffer_map (buf, GST_MAP_READ, &rtp))
    return NULL;
  ts = gst_rtp_buffer_get_timestamp (&rtp);
  gst_rtp_buffer_unmap (&rtp);

  g_mutex_lock (&s->lock);
  rtc_dtmf_sender_packet (s->core, ts, &out);
  busy = rtc_dtmf_sender_busy (s->core);
  if (!busy)
    g_atomic_int_set (&s->active, 0);
  g_mutex_unlock (&s->lock);

  if (out.replace)
    ev = event_packet (buf, &out);
  if (out.tone_change) {
    GstRtcPeerBin *bin = g_weak_ref_get (&s->bin);
    GstPad *sink = g_weak_ref_get (&s->pad);

    if (bin && sink)
      rtc_peer_emit (bin, emit_tone_change, tone_emit_new (sink, out.tone,
              0), tone_emit_free);
    gst_clear_object (&bin);
    gst_clear_object (&sink);
  }
  return ev;
}

static gboolean
send_list_func (GstBuffer ** buf, guint idx, gpointer user_data)
{
  GstBuffer *ev = send_packet (user_data, *buf);

  if (ev)
    gst_buffer_replace (buf, ev);
  gst_clear_buffer (&ev);
  return TRUE;
}

static GstPadProbeReturn
send_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  DtmfSend *s = user_data;

  /* Nothing to do unless tones are queued: no RTP parsing per packet. */
  if (!g_atomic_int_get (&s->active))
    return GST_PAD_PROBE_OK;

  if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
    GstBuffer *ev = send_packet (s, buf);

    if (ev) {
      gst_buffer_unref (buf);
      GST_PAD_PROBE_INFO_DATA (info) = ev;
    }
  } else if (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST) {
    GstBufferList *list = GST_PAD_PROBE_INFO_BUFFER_LIST (info);

    list = gst_buffer_list_make_writable (list);
    gst_buffer_list_foreach (list, send_list_func, s);
    GST_PAD_PROBE_INFO_DATA (info) = list;
  }
  return GST_PAD_PROBE_OK;
}

void
rtc_peer_dtmf_watch_sink (GstRtcPeerBin * self, GstPad * pad,
    GstPad * funnel_pad)
{
  GstRtcPeerPad *ppad = GST_RTC_PEER_PAD (pad);
  DtmfSend *s;
  gboolean audio;

  GST_OBJECT_LOCK (ppad->transceiver);
  audio = RTC_TRANS_STATE (ppad->transceiver)->media->kind ==
      RTC_MEDIA_KIND_AUDIO;
  GST_OBJECT_UNLOCK (ppad->transceiver);
  if (!audio)
    return;
  s = dtmf_send_get (self, pad);
  gst_pad_add_probe (funnel_pad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST, send_probe, g_atomic_rc_box_acquire (s),
      dtmf_send_unref);
}

/* The telephone-event payload type at the clock rate of the codec @pad
 * sends, from the remote description (what the peer expects), and that
 * clock rate. FALSE before negotiation or when the peer takes no DTMF at
 * that rate. */
static gboolean
dtmf_format (GstRtcPeerBin * self, GstRtcPeerPad * pad, guint * pt,
    guint * clock_rate)
{
  GstWebRTCSessionDescription *remote;
  GArray *codecs;
  gint mline, sent = g_atomic_int_get (&pad->rewrite_to);
  guint i, rate = 0;
  gboolean found = FALSE;

  if (sent < 0)
    return FALSE;
  GST_OBJECT_LOCK (pad->transceiver);
  mline = RTC_TRANS_STATE (pad->transceiver)->media->mline;
  GST_OBJECT_UNLOCK (pad->transceiver);

  codecs = rtc_codec_array_new ();
  PC_LOCK (self);
  remote = rtc_jsep_desc_in_use (self->pending_remote, self->current_remote);
  if (remote && mline >= 0
      && (guint) mline < gst_sdp_message_medias_len (remote->sdp))
    rtc_sdp_media_get_codecs (remote->sdp, mline, codecs, NULL);
  PC_UNLOCK (self);

  for (i = 0; i < codecs->len; i++) {
    const RtcCodec *c = &g_array_index (codecs, RtcCodec, i);

    if (c->pt == (guint) sent)
      rate = c->clock_rate;
  }
  for (i = 0; rate && i < codecs->len; i++) {
    const RtcCodec *c = &g_array_index (codecs, RtcCodec, i);

    if (rtc_codec_is_dtmf (c) && c->clock_rate == rate) {
      *pt = c->pt;
      *clock_rate = rate;
      found = TRUE;
      break;
    }
  }
  g_array_unref (codecs);
  return found;
}

static gboolean
dtmf_sink_pad (GstRtcPeerBin * self, GstPad * pad)
{
  GstRtcPeerPad *ppad;
  gboolean audio;

  if (!GST_IS_RTC_PEER_PAD (pad) || GST_PAD_DIRECTION (pad) != GST_PAD_SINK
      || GST_OBJECT_PARENT (pad) != GST_OBJECT (self))
    return FALSE;
  ppad = GST_RTC_PEER_PAD (pad);
  if (!ppad->transceiver)
    return FALSE;
  GST_OBJECT_LOCK (ppad->transceiver);
  audio = RTC_TRANS_STATE (ppad->transceiver)->media->kind ==
      RTC_MEDIA_KIND_AUDIO;
  GST_OBJECT_UNLOCK (ppad->transceiver);
  return audio;
}

static gboolean
insert_dtmf (GstRtcPeerBin * self, GstPad * pad, const gchar * tones,
    guint duration, guint gap)
{
  gchar *norm;
  guint pt = 0, rate = 0;
  DtmfSend *s;

  if (pad == NULL || !dtmf_sink_pad (self, pad)) {
    GST_WARNING_OBJECT (self, "insert-dtmf: %" GST_PTR_FORMAT " is not an "
        "audio sink pad of this bin", pad);
    return FALSE;
  }
  norm = rtc_dtmf_tones_normalize (tones);
  if (norm == NULL) {
    GST_WARNING_OBJECT (self, "insert-dtmf: invalid tones \"%s\" (only "
        "0-9, A-D, *, # and ',')", GST_STR_NULL (tones));
    return FALSE;
  }
  if (!dtmf_format (self, GST_RTC_PEER_PAD (pad), &pt, &rate)) {
    GST_WARNING_OBJECT (self, "insert-dtmf: %s has not negotiated "
        "telephone-event at its codec's clock rate", GST_PAD_NAME (pad));
    g_free (norm);
    return FALSE;
  }

  s = dtmf_send_get (self, pad);
  g_mutex_lock (&s->lock);
  rtc_dtmf_sender_insert (s->core, norm, duration, gap, pt, rate);
  g_atomic_int_set (&s->active, 1);
  g_mutex_unlock (&s->lock);
  GST_DEBUG_OBJECT (self, "%s: tones \"%s\", %u ms, gap %u ms, pt %u/%u",
      GST_PAD_NAME (pad), norm, duration, gap, pt, rate);
  g_free (norm);
  return TRUE;
}

static gchar *
get_tone_buffer (GstRtcPeerBin * self, GstPad * pad)
{
  DtmfSend *s;
  gchar *out;

  if (pad == NULL || !dtmf_sink_pad (self, pad))
    return NULL;
  s = dtmf_send_get (self, pad);
  g_mutex_lock (&s->lock);
  out = g_strdup (rtc_dtmf_sender_tone_buffer (s->core));
  g_mutex_unlock (&s->lock);
  return out;
}

/* ---- receiving ---- */

typedef struct
{
  RtcDtmfReceiver rx;
  guint clock_rate;
  guint32 ssrc;
  GWeakRef bin;
} DtmfRecv;

static void
dtmf_recv_free (gpointer data)
{
  DtmfRecv *r = data;

  g_weak_ref_clear (&r->bin);
  g_free (r);
}

/* The src pad of the audio track with SSRC @ssrc, or NULL. */
static GstPad *
audio_src_pad (GstRtcPeerBin * self, guint32 ssrc)
{
  GstPad *found = NULL;
  GList *l;

  GST_OBJECT_LOCK (self);
  for (l = GST_ELEMENT (self)->srcpads; l; l = l->next) {
    if (GST_IS_RTC_PEER_PAD (l->data) && GST_RTC_PEER_PAD (l->data)->ssrc ==
        ssrc) {
      found = gst_object_ref (l->data);
      break;
    }
  }
  GST_OBJECT_UNLOCK (self);
  return found;
}

static void
recv_event (GstRtcPeerBin * self, DtmfRecv * r, const RtcDtmfEvent * ev)
{
  GstPad *src = audio_src_pad (self, r->ssrc);
  gint number = rtc_dtmf_tone_to_event (ev->tone);
  gboolean start = ev->kind == RTC_DTMF_EVENT_START;
  gchar tone[2] = { ev->tone, '\0' };

  GST_DEBUG_OBJECT (self, "ssrc %u: tone %c %s", r->ssrc, ev->tone,
      start ? "starts" : "ends");
  /* The fields of rtpdtmfdepay's "dtmf-event" (type 1: an RTP event,
   * method 1: RFC 4733), plus start and, at the end, the duration. */
  if (src) {
    GstStructure *st = gst_structure_new ("dtmf-event",
        "type", G_TYPE_INT, 1, "number", G_TYPE_INT, number,
        "volume", G_TYPE_INT, (gint) ev->volume, "method", G_TYPE_INT, 1,
        "start", G_TYPE_BOOLEAN, start, NULL);

    if (!start)
      gst_structure_set (st, "duration", G_TYPE_INT, (gint) ev->duration,
          NULL);
    gst_pad_push_event (src, gst_event_new_custom (GST_EVENT_CUSTOM_DOWNSTREAM,
            st));
  }
  if (!start) {
    ToneEmit *e = tone_emit_new (src, tone, ev->duration);

    e->ssrc = r->ssrc;
    rtc_peer_emit (self, emit_dtmf_received, e, tone_emit_free);
  }
  gst_clear_object (&src);
}

static GstPadProbeReturn
recv_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  DtmfRecv *r = user_data;
  GstRtcPeerBin *self;
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  RtcDtmfEvent ev[2];
  guint n = 0, i;

  /* Nothing of this pad goes further: it has no ghost. */
  if (!(info->type & GST_PAD_PROBE_TYPE_BUFFER))
    return GST_PAD_PROBE_DROP;
  if (gst_rtp_buffer_map (GST_PAD_PROBE_INFO_BUFFER (info), GST_MAP_READ,
          &rtp)) {
    n = rtc_dtmf_receiver_packet (&r->rx, gst_rtp_buffer_get_payload (&rtp),
        gst_rtp_buffer_get_payload_len (&rtp),
        gst_rtp_buffer_get_marker (&rtp), gst_rtp_buffer_get_timestamp (&rtp),
        r->clock_rate, ev);
    gst_rtp_buffer_unmap (&rtp);
  }
  self = n ? g_weak_ref_get (&r->bin) : NULL;
  for (i = 0; self && i < n; i++)
    recv_event (self, r, &ev[i]);
  gst_clear_object (&self);
  return GST_PAD_PROBE_DROP;
}

gboolean
rtc_peer_dtmf_claim_pad (GstRtcPeerBin * self, GstPad * pad, guint session,
    guint ssrc, guint pt)
{
  RtcPeerTransport *t;
  GstCaps *caps = NULL;
  const GstStructure *s;
  gint rate = 0;
  DtmfRecv *r;

  PC_LOCK (self);
  t = rtc_peer_transport_by_session (self, session);
  if (t) {
    g_mutex_lock (&t->map_lock);
    caps = t->routes ? rtc_jsep_routes_get_caps (t->routes, pt) : NULL;
    if (caps)
      gst_caps_ref (caps);
    g_mutex_unlock (&t->map_lock);
  }
  PC_UNLOCK (self);
  if (!caps)
    return FALSE;
  s = gst_caps_get_structure (caps, 0);
  if (g_ascii_strcasecmp (GST_STR_NULL (gst_structure_get_string (s,
                  "encoding-name")), RTC_DTMF_ENCODING_NAME) != 0
      || !gst_structure_get_int (s, "clock-rate", &rate) || rate <= 0) {
    gst_caps_unref (caps);
    return FALSE;
  }
  gst_caps_unref (caps);

  GST_INFO_OBJECT (self, "ssrc %u: telephone-event (pt %u, %d Hz)", ssrc, pt,
      rate);
  r = g_new0 (DtmfRecv, 1);
  rtc_dtmf_receiver_init (&r->rx);
  r->clock_rate = rate;
  r->ssrc = ssrc;
  g_weak_ref_init (&r->bin, self);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_DATA_DOWNSTREAM, recv_probe, r,
      dtmf_recv_free);
  return TRUE;
}

void
rtc_peer_dtmf_class_init (GstRtcPeerBinClass * klass)
{
  /**
   * GstRtcPeerBin::insert-dtmf:
   * @object: the #GstRtcPeerBin
   * @pad: an audio sink pad of the bin (the RTCRtpSender's track)
   * @tones: "0"-"9", "A"-"D" (any case), "*", "#"; "," pauses 2 s
   * @duration: of each tone in ms, clamped to 40..6000 (W3C)
   * @inter_tone_gap: after each tone in ms, at least 30
   *
   * W3C RTCDTMFSender.insertDTMF: replaces the tones not played yet (a
   * tone playing finishes); "" clears them. The tones go out as RFC 4733
   * events with the telephone-event payload type negotiated at the
   * clock rate of the codec the pad sends, on its SSRC, in place of the
   * pad's audio packets while they play (so the track must be flowing).
   * Returns %FALSE, and queues nothing, for a pad that is not an audio
   * sink pad of this bin, an invalid character, or before negotiation
   * gave telephone-event at the codec's clock rate.
   */
  signals[SIGNAL_INSERT_DTMF] =
      g_signal_new_class_handler ("insert-dtmf", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION, G_CALLBACK (insert_dtmf), NULL,
      NULL, NULL, G_TYPE_BOOLEAN, 4, GST_TYPE_PAD, G_TYPE_STRING, G_TYPE_UINT,
      G_TYPE_UINT);
  /**
   * GstRtcPeerBin::get-dtmf-tone-buffer:
   * @object: the #GstRtcPeerBin
   * @pad: an audio sink pad of the bin
   *
   * W3C RTCDTMFSender.toneBuffer: the tones not started yet (uppercase),
   * %NULL for a pad that is not an audio sink pad of this bin.
   */
  signals[SIGNAL_GET_DTMF_TONE_BUFFER] =
      g_signal_new_class_handler ("get-dtmf-tone-buffer",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (get_tone_buffer), NULL, NULL, NULL, G_TYPE_STRING, 1,
      GST_TYPE_PAD);
  /**
   * GstRtcPeerBin::on-tone-change:
   * @object: the #GstRtcPeerBin
   * @pad: the sink pad the tones of insert-dtmf were sent on
   * @tone: the tone that starts ("," for a pause), "" once the last one
   *   and its gap are over
   *
   * W3C tonechange. Emitted on the bin's ops thread.
   */
  signals[SIGNAL_ON_TONE_CHANGE] =
      g_signal_new ("on-tone-change", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2, GST_TYPE_PAD,
      G_TYPE_STRING);
  /**
   * GstRtcPeerBin::on-dtmf-received:
   * @object: the #GstRtcPeerBin
   * @pad: the src pad of the audio track the tone came with (%NULL if
   *   that track has no pad yet)
   * @tone: "0"-"9", "A"-"D", "*" or "#"
   * @duration: in ms
   *
   * A tone the remote sent as an RFC 4733 event has ended. Emitted on the
   * bin's ops thread. The src pad carries a "dtmf-event" custom
   * downstream event at the start and at the end of the tone.
   */
  signals[SIGNAL_ON_DTMF_RECEIVED] =
      g_signal_new ("on-dtmf-received", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 3, GST_TYPE_PAD,
      G_TYPE_STRING, G_TYPE_UINT);
}
