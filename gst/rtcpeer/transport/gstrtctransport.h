/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include "dtls/rtcdtls.h"
#include "rtcsendbatch.h"

G_BEGIN_DECLS

#define GST_TYPE_RTC_TRANSPORT (gst_rtc_transport_get_type ())
G_DECLARE_FINAL_TYPE (GstRtcTransport, gst_rtc_transport, GST, RTC_TRANSPORT,
    GstElement);
#define GST_TYPE_RTC_TRANSPORT_SRC (gst_rtc_transport_src_get_type ())
G_DECLARE_FINAL_TYPE (GstRtcTransportSrc, gst_rtc_transport_src, GST,
    RTC_TRANSPORT_SRC, GstElement);

/* What carries the packets of a transport: the ICE stream it sits on.
 * Called from any thread; FALSE when nothing could be sent. */
typedef gboolean (*GstRtcTransportSendFunc) (gpointer user_data,
    const guint8 * data, gsize len);

typedef struct
{
  GstRtcTransportSendFunc send;
  /* Several datagrams in order, in as few system calls as possible;
   * returns how many went out. May be NULL: send() each. */
  RtcSendBatchFunc send_many;
  /* DTLS reached CONNECTED (error NULL), FAILED or CLOSED. Called from the
   * thread that drove DTLS there, without any transport lock held. */
  void (*dtls_state) (GstRtcTransport * transport, RtcDtlsState state,
      const GError * error, gpointer user_data);
  /* DTLS application data (SCTP); may be NULL. Called without any
   * transport lock held, so it may send. */
  void (*app_data) (GstRtcTransport * transport, const guint8 * data,
      gsize len, gpointer user_data);
} GstRtcTransportCallbacks;

typedef struct
{
  guint64 rtp_sent, rtcp_sent, bytes_sent;
  guint64 rtp_received, rtcp_received, bytes_received;
  guint64 dropped_before_keys;  /* media to send before the SRTP keys */
  guint64 received_before_keys; /* SRTP that arrived before the keys */
  guint64 unprotect_failed;     /* auth/replay failures */
  guint64 garbage;              /* neither DTLS, RTP nor RTCP */
  guint64 dtls_sent;            /* DTLS datagrams handed to ICE */
  guint64 dtls_retransmissions; /* flights resent on a timeout */
  guint64 send_failed;          /* DTLS datagrams ICE did not take */
  guint64 dtls_records_dropped; /* records the DTLS screen refused */
} GstRtcTransportStats;

/* @context: the network thread's context, for the DTLS timer. */
GstRtcTransport *gst_rtc_transport_new (const gchar * name,
    GMainContext * context, const GstRtcTransportCallbacks * callbacks,
    gpointer user_data, GDestroyNotify notify);

/* The element with the receive side's pads (rtp_src, rtcp_src): add it
 * to the same bin. Borrowed. */
GstElement *gst_rtc_transport_get_src (GstRtcTransport * self);

/* Creates the DTLS association in @role and replays the DTLS packets that
 * arrived before it (the peer's ClientHello often beats the answer). */
gboolean gst_rtc_transport_start_dtls (GstRtcTransport * self,
    RtcCertificate * certificate, RtcDtlsRole role,
    const gchar * remote_fingerprint, GError ** error);
/* ICE selected a pair: DTLS datagrams held until now go out, and from
 * now on straight away. Any thread. */
void gst_rtc_transport_set_writable (GstRtcTransport * self);
/* The remote description changed (renegotiation, or early media). */
gboolean gst_rtc_transport_set_remote_fingerprint (GstRtcTransport * self,
    const gchar * remote_fingerprint, GError ** error);

/* One datagram from the network (ICE thread). Not copied unless it is
 * media, which is decrypted into a buffer pushed to rtpbin. */
void gst_rtc_transport_receive (GstRtcTransport * self, const guint8 * data,
    gsize len);

/* DTLS application data out (SCTP). */
gboolean gst_rtc_transport_send_app_data (GstRtcTransport * self,
    const guint8 * data, gsize len, GError ** error);
/* Several messages, one DTLS record each, leaving together. Returns how
 * many the DTLS association took (all, or none when not connected). */
guint gst_rtc_transport_send_app_data_many (GstRtcTransport * self,
    const RtcDatagram * msgs, guint n);

/* Sends close_notify and stops the timer; media is dropped afterwards. */
void gst_rtc_transport_stop (GstRtcTransport * self);

RtcDtlsState gst_rtc_transport_get_dtls_state (GstRtcTransport * self);
RtcDtlsRole gst_rtc_transport_get_dtls_role (GstRtcTransport * self);
gchar *gst_rtc_transport_get_remote_certificate (GstRtcTransport * self);
void gst_rtc_transport_get_stats (GstRtcTransport * self,
    GstRtcTransportStats * stats);

G_END_DECLS
