/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The receiving half of an association: usrsctp_recvv() until the socket
 * is empty, messages reassembled from the pieces usrsctp hands out, and
 * notifications (RFC 6458 section 6) turned into events.
 *
 * Pieces: with fragment interleave level 0 (RFC 6458 section 8.1.20) the
 * pieces of one message come one after the other until MSG_EOR, whether
 * the message is larger than our read buffer or usrsctp delivers it
 * partially (its partial delivery point); a partial delivery that partial
 * reliability aborts is reported with SCTP_PARTIAL_DELIVERY_EVENT and its
 * pieces are dropped. Notifications may come in pieces too, and are
 * assembled apart from data. Owner only. */

#include "rtcsctp-private.h"

#include <errno.h>
#include <string.h>

#define GST_CAT_DEFAULT rtc_sctp_debug

static void
handle_assoc_change (RtcSctp * self, const struct sctp_assoc_change *sac,
    gsize len)
{
  GError *error = NULL;

  switch (sac->sac_state) {
    case SCTP_COMM_UP:
      GST_DEBUG ("association %p up: %u out, %u in streams", self,
          sac->sac_outbound_streams, sac->sac_inbound_streams);
      if (self->comm_up)
        return;
      self->comm_up = TRUE;
      self->outbound_streams = sac->sac_outbound_streams;
      if (self->state == RTC_SCTP_STATE_CONNECTING) {
        self->state = RTC_SCTP_STATE_CONNECTED;
        rtc_sctp_push_event (self, RTC_SCTP_EVENT_CONNECTED, 0, 0, NULL);
      }
      return;
    case SCTP_RESTART:
      /* The peer restarted (RFC 4960 section 5.2.4): its stream state is
       * new, which data channels cannot follow. */
      GST_WARNING ("association %p: the peer restarted the association", self);
      self->outbound_streams = sac->sac_outbound_streams;
      return;
    case SCTP_SHUTDOWN_COMP:
      break;
    case SCTP_COMM_LOST:
      if (len > sizeof (struct sctp_assoc_change))
        /* sac_info carries the ABORT chunk the peer sent */
        error = g_error_new (RTC_SCTP_ERROR, RTC_SCTP_ERROR_ABORTED,
            "the peer aborted the SCTP association (error cause %u)",
            sac->sac_error);
      else if (self->path_unreachable)
        error = g_error_new_literal (RTC_SCTP_ERROR, RTC_SCTP_ERROR_TIMEOUT,
            "the SCTP association was lost: the peer did not answer "
            "retransmissions (RFC 4960 section 8.1)");
      else
        error = g_error_new_literal (RTC_SCTP_ERROR, RTC_SCTP_ERROR_FAILED,
            "the SCTP association was aborted locally: the peer violated "
            "the protocol");
      break;
    case SCTP_CANT_STR_ASSOC:
      error = g_error_new (RTC_SCTP_ERROR, RTC_SCTP_ERROR_TIMEOUT,
          "could not set up the SCTP association (no answer to INIT, or "
          "refused)");
      break;
    default:
      GST_DEBUG ("association %p: association change %u", self, sac->sac_state);
      return;
  }
  rtc_sctp_set_closed (self, error);
}

static void
handle_stream_reset (RtcSctp * self, const struct sctp_stream_reset_event *e,
    gsize len)
{
  gsize i, n;
  guint16 flags = e->strreset_flags;
  gboolean failed = (flags & (SCTP_STREAM_RESET_DENIED |
          SCTP_STREAM_RESET_FAILED)) != 0;

  n = (MIN (len, e->strreset_length) -
      sizeof (struct sctp_stream_reset_event)) / sizeof (guint16);
  for (i = 0; i < n; i++) {
    guint16 stream = e->strreset_stream_list[i];

    if (flags & SCTP_STREAM_RESET_OUTGOING_SSN) {
      g_mutex_lock (&self->qlock);
      rtc_sctp_stream_get_locked (self, stream)->reset_pending = FALSE;
      g_mutex_unlock (&self->qlock);
      GST_DEBUG ("association %p: reset of outgoing stream %u %s", self,
          stream, failed ? "refused" : "done");
      rtc_sctp_push_event (self, RTC_SCTP_EVENT_STREAM_RESET_DONE, stream, 0,
          failed ? g_error_new (RTC_SCTP_ERROR, RTC_SCTP_ERROR_REFUSED,
              "the peer %s the reset of outgoing stream %u",
              (flags & SCTP_STREAM_RESET_DENIED) ? "denied" : "failed",
              stream) : NULL);
    }
    if ((flags & SCTP_STREAM_RESET_INCOMING_SSN) && !failed) {
      GST_DEBUG ("association %p: the peer reset stream %u", self, stream);
      rtc_sctp_push_event (self, RTC_SCTP_EVENT_STREAM_RESET, stream, 0, NULL);
    }
  }
}

static void
handle_send_failed (RtcSctp * self, const struct sctp_send_failed_event *e,
    gsize len)
{
  gsize data_len;
  RtcSctpStream *s;

  if (len < sizeof (*e) || e->ssfe_length < sizeof (*e))
    return;
  data_len = MIN (len, e->ssfe_length) - sizeof (*e);
  GST_LOG ("association %p: %s message on stream %u abandoned (%"
      G_GSIZE_FORMAT " bytes %s)", self,
      e->ssfe_info.snd_context == RTC_SCTP_CONTEXT_RELIABLE ? "reliable" :
      "partially reliable", e->ssfe_info.snd_sid, data_len,
      (e->ssfe_flags & SCTP_DATA_SENT) ? "sent" : "unsent");
  if (e->ssfe_flags & SCTP_DATA_SENT)
    return;                     /* counted when transmitted */
  g_mutex_lock (&self->qlock);
  s = rtc_sctp_stream_get_locked (self, e->ssfe_info.snd_sid);
  s->unsent -= data_len;
  rtc_sctp_mark_dirty_locked (self, e->ssfe_info.snd_sid, s);
  g_mutex_unlock (&self->qlock);
}

/* Nothing is left to send or retransmit, so nothing is unsent. */
static void
handle_sender_dry (RtcSctp * self)
{
  GHashTableIter iter;
  gpointer key, value;

  g_mutex_lock (&self->qlock);
  g_hash_table_iter_init (&iter, self->streams);
  while (g_hash_table_iter_next (&iter, &key, &value)) {
    RtcSctpStream *s = value;

    if (s->unsent != 0) {
      if (s->unsent > 0)
        rtc_sctp_mark_dirty_locked (self, GPOINTER_TO_UINT (key), s);
      s->unsent = 0;
    }
  }
  g_mutex_unlock (&self->qlock);
}

static void
drop_partial (RtcSctp * self, const gchar * why)
{
  if (!self->rx_active)
    return;
  GST_DEBUG ("association %p: dropping %" G_GSIZE_FORMAT " bytes of a "
      "message on stream %u: %s", self, self->rx_len, self->rx_stream, why);
  self->rx_active = FALSE;
  g_clear_pointer (&self->rx_buf, g_byte_array_unref);
}

static void
handle_notification (RtcSctp * self, const guint8 * data, gsize len)
{
  const union sctp_notification *n = (const union sctp_notification *) data;

  /* CLOSED is the last event */
  if (len < sizeof (n->sn_header) || self->state == RTC_SCTP_STATE_CLOSED)
    return;
  switch (n->sn_header.sn_type) {
    case SCTP_ASSOC_CHANGE:
      if (len >= sizeof (struct sctp_assoc_change))
        handle_assoc_change (self, &n->sn_assoc_change, len);
      break;
    case SCTP_STREAM_RESET_EVENT:
      if (len >= sizeof (struct sctp_stream_reset_event))
        handle_stream_reset (self, &n->sn_strreset_event, len);
      break;
    case SCTP_SEND_FAILED_EVENT:
      handle_send_failed (self, &n->sn_send_failed_event, len);
      break;
    case SCTP_SENDER_DRY_EVENT:
      handle_sender_dry (self);
      break;
    case SCTP_PARTIAL_DELIVERY_EVENT:
      if (len >= sizeof (struct sctp_pdapi_event) &&
          n->sn_pdapi_event.pdapi_indication == SCTP_PARTIAL_DELIVERY_ABORTED)
        drop_partial (self, "partial delivery aborted");
      break;
    case SCTP_SHUTDOWN_EVENT:
      /* The peer shuts down (RFC 4960 section 9.2): nothing more can be
       * sent; SCTP_SHUTDOWN_COMP follows. */
      GST_DEBUG ("association %p: the peer shuts down", self);
      if (self->state == RTC_SCTP_STATE_CONNECTED)
        self->state = RTC_SCTP_STATE_CLOSING;
      self->shutdown_sent = TRUE;
      break;
    case SCTP_PEER_ADDR_CHANGE:
      if (len >= sizeof (struct sctp_paddr_change)) {
        guint32 st = n->sn_paddr_change.spc_state;

        GST_DEBUG ("association %p: peer address state %u", self, st);
        if (st == SCTP_ADDR_UNREACHABLE)
          self->path_unreachable = TRUE;
        else if (st == SCTP_ADDR_AVAILABLE || st == SCTP_ADDR_CONFIRMED)
          self->path_unreachable = FALSE;
      }
      break;
    case SCTP_REMOTE_ERROR:
      GST_WARNING ("association %p: the peer reported error cause %u", self,
          len >= sizeof (struct sctp_remote_error) ?
          n->sn_remote_error.sre_error : 0);
      break;
    default:
      GST_LOG ("association %p: notification %u", self, n->sn_header.sn_type);
      break;
  }
}

static void
handle_data (RtcSctp * self, const struct sctp_rcvinfo *info,
    gboolean have_info, const guint8 * data, gsize len, gboolean eor)
{
  guint16 stream = have_info ? info->rcv_sid : self->rx_stream;
  guint32 ppid = have_info ? g_ntohl (info->rcv_ppid) : self->rx_ppid;

  if (self->rx_active && stream != self->rx_stream)
    drop_partial (self, "a piece of another message came first");

  if (!self->rx_active) {
    if (eor && len <= self->max_receive_message_size) {
      rtc_sctp_push_item (self, RTC_OUTPUT_RECEIVE, stream, ppid, data, len);
      return;
    }
    self->rx_active = TRUE;
    self->rx_too_large = FALSE;
    self->rx_stream = stream;
    self->rx_ppid = ppid;
    self->rx_len = 0;
    self->rx_buf = g_byte_array_new ();
  }

  if (!self->rx_too_large && self->rx_len + len >
      self->max_receive_message_size) {
    self->rx_too_large = TRUE;
    g_clear_pointer (&self->rx_buf, g_byte_array_unref);
  }
  if (!self->rx_too_large)
    g_byte_array_append (self->rx_buf, data, len);
  self->rx_len += len;

  if (!eor)
    return;
  self->rx_active = FALSE;
  if (self->rx_too_large) {
    GST_WARNING ("association %p: dropped a message of %" G_GSIZE_FORMAT
        " bytes on stream %u", self, self->rx_len, stream);
    rtc_sctp_push_event (self, RTC_SCTP_EVENT_RECEIVE_TOO_LARGE, stream,
        self->rx_ppid, g_error_new (RTC_SCTP_ERROR,
            RTC_SCTP_ERROR_MESSAGE_TOO_LARGE, "dropped an incoming message of %"
            G_GSIZE_FORMAT " bytes on stream %u: larger than our maximum "
            "message size of %" G_GSIZE_FORMAT " bytes", self->rx_len,
            stream, self->max_receive_message_size));
    return;
  }
  rtc_sctp_push_receive_array (self, stream, self->rx_ppid, self->rx_buf);
  self->rx_buf = NULL;
}

void
rtc_sctp_receive_all (RtcSctp * self)
{
  for (;;) {
    struct sctp_rcvinfo info;
    struct sockaddr_conn from;
    socklen_t fromlen = sizeof (from);
    socklen_t infolen = sizeof (info);
    unsigned int infotype = SCTP_RECVV_NOINFO;
    int flags = 0;
    ssize_t n;

    memset (&info, 0, sizeof (info));
    n = usrsctp_recvv (self->sock, self->rbuf, RTC_SCTP_RBUF_SIZE,
        (struct sockaddr *) &from, &fromlen, &info, &infolen, &infotype,
        &flags);
    if (n < 0) {
      if (errno != EWOULDBLOCK && errno != EAGAIN && errno != ENOTCONN)
        GST_DEBUG ("association %p: recv: %s", self, g_strerror (errno));
      return;
    }
    if (n == 0)
      return;                   /* end of stream after a shutdown */

    if (flags & MSG_NOTIFICATION) {
      if (self->notification->len == 0 && (flags & MSG_EOR)) {
        handle_notification (self, self->rbuf, n);
      } else {
        g_byte_array_append (self->notification, self->rbuf, n);
        if (flags & MSG_EOR) {
          handle_notification (self, self->notification->data,
              self->notification->len);
          g_byte_array_set_size (self->notification, 0);
        }
      }
    } else if (self->state != RTC_SCTP_STATE_CLOSED) {
      handle_data (self, &info, infotype == SCTP_RECVV_RCVINFO, self->rbuf,
          n, (flags & MSG_EOR) != 0);
    }
  }
}
