/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The DTLS-SRTP connection shared by rtcdtlssrtpenc (GstRtcTransport,
 * gstrtctransport.c: DTLS, SRTP both ways, RFC 7983 demux) and
 * rtcdtlssrtpdec (GstRtcTransportSrc), and the element surface of the
 * pair used on its own (gstrtcdtlssrtp.c: properties, the encoder's
 * datagram src pad, the decoder's datagram sink pad). */
#pragma once

#include "gstrtctransport.h"
#include "srtp/rtcsrtp.h"

G_BEGIN_DECLS

/* The receive side lives in an element of its own: rtpbin feeds the send
 * side and is fed by the receive side, and one element doing both would be
 * a loop in the bin's graph. */
struct _GstRtcTransportSrc
{
  GstElement parent;

  /* Datagrams from the network when the pair is used on its own (the
   * bin hands them to gst_rtc_transport_receive () directly). */
  GstPad *sink;
  /* The encoder owning the connection: it holds the decoder, so the
   * decoder holds it weakly. */
  GWeakRef owner;
};

struct _GstRtcTransport
{
  GstElement parent;

  GstPad *rtp_sink, *rtcp_sink, *rtp_src, *rtcp_src;
  GstElement *src;              /* GstRtcTransportSrc holding the src pads */

  GstRtcTransportCallbacks callbacks;
  gpointer user_data;
  GDestroyNotify notify;
  GMainContext *context;

  /* dtls_lock protects: dtls, early, held, writable, timer, stopped. The
   * DTLS core is driven from the ICE thread (packets, timer) and the ops
   * thread (start, fingerprint). */
  GMutex dtls_lock;
  RtcDtls *dtls;
  GQueue early;                 /* GBytes */
  /* Until ICE has selected a pair, nothing can be sent: a datagram handed
   * to it would be lost, and the handshake would wait a whole
   * retransmission timeout (1 s) for it. They wait here instead and go
   * out the moment the path exists. */
  GQueue held;                  /* GBytes */
  gboolean writable;
  /* the datagrams of one drain of the DTLS core, sent together */
  RtcSendBatch dtls_batch;
  GSource *timer;
  gboolean stopped;

  /* send_lock protects: srtp for sending and the scratch buffer. The
   * receive side uses the session's separate inbound context from the
   * ICE thread only, under recv_lock. */
  GMutex send_lock;
  GMutex recv_lock;
  RtcSrtpSession *srtp;
  guint8 *scratch;
  /* the packets of one buffer list, encrypted in place, sent together */
  RtcSendBatch media_batch;
  GstBufferPool *pool;
  gboolean src_started;         /* recv_lock */

  /* Counters. Receive ones are written by the ICE thread only, send ones
   * under send_lock; get_stats reads them without a lock (a slightly old
   * value at worst). */
  GstRtcTransportStats stats;

  /* Used on its own (no callbacks from rtcpeerbin): datagrams leave on
   * this src pad, DTLS starts at READY to PAUSED with these settings.
   * Object lock for the settings. */
  GstPad *net_src;
  gboolean standalone;
  gboolean net_started;         /* stream-start etc. pushed on net_src */
  RtcCertificate *certificate;
  gboolean is_client;
  gchar *remote_fingerprint;
};


/* gstrtcdtlssrtp.c */
void gst_rtc_dtls_srtp_enc_class_install (GstElementClass * klass);
void gst_rtc_dtls_srtp_enc_init_standalone (GstRtcTransport * self);
void gst_rtc_dtls_srtp_enc_finalize_standalone (GstRtcTransport * self);
void gst_rtc_dtls_srtp_dec_class_install (GstElementClass * klass);
void gst_rtc_dtls_srtp_dec_init_standalone (GstRtcTransportSrc * self);

G_END_DECLS
