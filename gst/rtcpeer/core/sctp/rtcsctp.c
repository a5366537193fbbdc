/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* One association on a non-blocking usrsctp AF_CONN socket, without
 * usrsctp's receive callback:
 *
 *   rtc_sctp_send --> sendq (our FIFO) --flush--> usrsctp_sendv
 *                                                      |
 *   handle_packet --> usrsctp_conninput                | conn_output
 *   handle_timeout --> usrsctp_handle_timers           v (any thread)
 *                                             out queue (TRANSMIT)
 *   process():  usrsctp_recvv until EWOULDBLOCK          ^
 *                 data          -> RECEIVE (reassembled) |
 *                 notifications -> EVENT                 |
 *               flush sendq      ------------------------+
 *
 * Every call of the owner ends in process(); a socket that became ready
 * while the owner was elsewhere is flagged by usrsctp's upcall and
 * processed on the next poll_output.
 *
 * Sending uses explicit EOR (RFC 6458 section 8.1.26): usrsctp may take a
 * message in several pieces as its send buffer frees up, and the last
 * piece carries SCTP_EOR. So a message larger than the free space, or than
 * the whole send buffer, goes out without waiting for room for all of it,
 * and no message is ever merged with the next. While a message is
 * incomplete its stream holds usrsctp's sending (fragments of one message
 * need consecutive TSNs, RFC 4960 section 6.9); our single FIFO for all
 * streams never offers usrsctp anything else meanwhile, and keeps every
 * stream in order.
 *
 * Receiving (messages, notifications) is in rtcsctp-recv.c, the process-
 * wide parts (init, timers, usrsctp's callbacks) in rtcsctp-global.c.
 */

#include "rtcsctp-private.h"
#include "rtcsctp-screen.h"
#include "rtcsctp-wire.h"
#include "rtccrc32c.h"

#include <errno.h>
#include <string.h>

#define GST_CAT_DEFAULT rtc_sctp_debug

/* usrsctp's own timer thread ticks every 10 ms. */
#define TICK_US (10 * 1000)

#define MAX_POOLED_ITEMS 64
#define MAX_POOLED_ALLOC (64 * 1024)
/* An SCTP packet travels in one DTLS record (RFC 8261 section 4). */
#define MAX_PACKET_SIZE 65535


typedef struct
{
  guint16 stream;
  gboolean is_reset;            /* an outgoing stream reset, no data */
  guint32 ppid;
  guint16 flags;                /* SCTP_UNORDERED */
  guint16 pr_policy;
  guint32 pr_value;
  guint8 *data;
  gsize len;
  gsize offset;                 /* bytes usrsctp already took */
} RtcSctpPending;

G_DEFINE_QUARK (rtc-sctp-error-quark, rtc_sctp_error);

/* ------------------------------------------------------------------ */
/* output items and byte counts (qlock) */

RtcSctpItem *
rtc_sctp_item_get_locked (RtcSctp * self)
{
  RtcSctpItem *it = g_queue_pop_head (&self->pool);

  if (it == NULL)
    it = g_new0 (RtcSctpItem, 1);
  it->stream = 0;
  it->ppid = 0;
  it->event = 0;
  return it;
}

static void
item_free (RtcSctpItem * it)
{
  g_clear_error (&it->error);
  g_free (it->data);
  g_free (it);
}

static void
item_recycle_locked (RtcSctp * self, RtcSctpItem * it)
{
  if (g_queue_get_length (&self->pool) >= MAX_POOLED_ITEMS) {
    item_free (it);
    return;
  }
  g_clear_error (&it->error);
  if (it->alloc > MAX_POOLED_ALLOC) {
    g_clear_pointer (&it->data, g_free);
    it->alloc = 0;
  }
  it->len = 0;
  g_queue_push_tail (&self->pool, it);
}

RtcSctpStream *
rtc_sctp_stream_get_locked (RtcSctp * self, guint16 stream)
{
  RtcSctpStream *s = g_hash_table_lookup (self->streams,
      GUINT_TO_POINTER (stream));

  if (s == NULL) {
    s = g_new0 (RtcSctpStream, 1);
    g_hash_table_insert (self->streams, GUINT_TO_POINTER (stream), s);
  }
  return s;
}

void
rtc_sctp_mark_dirty_locked (RtcSctp * self, guint16 stream, RtcSctpStream * s)
{
  if (!s->dirty) {
    s->dirty = TRUE;
    g_array_append_val (self->dirty, stream);
  }
}

/* Counts the DATA / I-DATA chunks of a packet we emit that carry a TSN
 * beyond any sent before: their payload is now transmitted (a
 * retransmission repeats an older TSN). */
void
rtc_sctp_account_transmit_locked (RtcSctp * self, const guint8 * pkt, gsize len)
{
  gsize off = 12;               /* the common header, RFC 4960 section 3.1 */

  /* The peer's verification tag is in every packet but INIT (tag 0) and
   * those that may reflect a tag (ABORT, SHUTDOWN COMPLETE). */
  if (!self->have_header && len >= 16 && pkt[12] != 1 && pkt[12] != 6 &&
      pkt[12] != 14 && rtc_wire_get32 (pkt + 4) != 0) {
    memcpy (self->header, pkt, 8);
    self->have_header = TRUE;
  }

  while (off + 4 <= len) {
    guint8 type = pkt[off];
    guint16 clen = rtc_wire_get16 (pkt + off + 2);
    gsize header = 0;

    if (clen < 4 || off + clen > len)
      break;
    if (type == 0)              /* DATA, RFC 4960 section 3.3.1 */
      header = 16;
    else if (type == 64)        /* I-DATA, RFC 8260 section 2.1 */
      header = 20;
    if (header > 0 && clen >= header) {
      guint32 tsn = rtc_wire_get32 (pkt + off + 4);
      guint16 sid = rtc_wire_get16 (pkt + off + 8);

      if (!self->have_tsn || (gint32) (tsn - self->highest_tsn) > 0) {
        RtcSctpStream *s = rtc_sctp_stream_get_locked (self, sid);

        self->have_tsn = TRUE;
        self->highest_tsn = tsn;
        s->unsent -= clen - header;
        rtc_sctp_mark_dirty_locked (self, sid, s);
      } else {
        self->retransmitted = TRUE;
      }
    }
    off += ((gsize) clen + 3) & ~(gsize) 3;
  }
}

gboolean
rtc_sctp_want_wakeup_locked (RtcSctp * self)
{
  if (self->owner_will_poll || self->wakeup_armed || self->wakeup == NULL)
    return FALSE;
  self->wakeup_armed = TRUE;
  return TRUE;
}

/* Start of every call of the owner that may produce output: the last
 * lent item is given back, and until poll_output reports the queue empty
 * the owner is known to poll, so other threads need not wake it. */
static void
enter (RtcSctp * self)
{
  g_mutex_lock (&self->qlock);
  if (self->lent) {
    item_recycle_locked (self, self->lent);
    self->lent = NULL;
  }
  self->owner_will_poll = TRUE;
  g_mutex_unlock (&self->qlock);
}

void
rtc_sctp_push_item (RtcSctp * self, RtcOutputKind kind, guint stream,
    guint32 ppid, const guint8 * data, gsize len)
{
  RtcSctpItem *it;

  g_mutex_lock (&self->qlock);
  it = rtc_sctp_item_get_locked (self);
  if (it->alloc < len) {
    g_free (it->data);
    it->data = g_malloc (len);
    it->alloc = len;
  }
  if (len > 0)
    memcpy (it->data, data, len);
  it->len = len;
  it->kind = kind;
  it->stream = stream;
  it->ppid = ppid;
  g_queue_push_tail (&self->out, it);
  g_mutex_unlock (&self->qlock);
}

/* Takes the data of @buf. */
void
rtc_sctp_push_receive_array (RtcSctp * self, guint stream, guint32 ppid,
    GByteArray * buf)
{
  RtcSctpItem *it;
  gsize len = buf->len;

  g_mutex_lock (&self->qlock);
  it = rtc_sctp_item_get_locked (self);
  g_free (it->data);
  it->data = g_byte_array_free (buf, FALSE);
  it->len = it->alloc = len;
  it->kind = RTC_OUTPUT_RECEIVE;
  it->stream = stream;
  it->ppid = ppid;
  g_queue_push_tail (&self->out, it);
  g_mutex_unlock (&self->qlock);
}

/* Takes @error. */
void
rtc_sctp_push_event (RtcSctp * self, RtcSctpEvent event, guint stream,
    guint32 ppid, GError * error)
{
  RtcSctpItem *it;

  g_mutex_lock (&self->qlock);
  it = rtc_sctp_item_get_locked (self);
  it->kind = RTC_OUTPUT_EVENT;
  it->event = event;
  it->stream = stream;
  it->ppid = ppid;
  it->error = error;
  g_queue_push_tail (&self->out, it);
  g_mutex_unlock (&self->qlock);
}

static gboolean apply_path_mtu (RtcSctp * self, guint mtu,
    const struct sockaddr_conn *addr);

/* ------------------------------------------------------------------ */
/* state */

static void
pending_free (RtcSctpPending * p)
{
  g_free (p->data);
  g_free (p);
}

/* The end: queued messages are dropped (their bytes stay in the buffered
 * amount, as W3C bufferedAmount does not drop on close). */
void
rtc_sctp_set_closed (RtcSctp * self, GError * error)
{
  if (self->state == RTC_SCTP_STATE_CLOSED) {
    g_clear_error (&error);
    return;
  }
  GST_INFO ("association %p closed%s%s", self, error ? ": " : "",
      error ? error->message : "");
  self->state = RTC_SCTP_STATE_CLOSED;
  g_queue_clear_full (&self->sendq, (GDestroyNotify) pending_free);
  self->rx_active = FALSE;
  g_clear_pointer (&self->rx_buf, g_byte_array_unref);
  rtc_sctp_push_event (self, RTC_SCTP_EVENT_CLOSED, 0, 0, error);
}

static void
fill_addr (RtcSctp * self, guint16 port, struct sockaddr_conn *sconn)
{
  memset (sconn, 0, sizeof (*sconn));
#ifdef HAVE_SCONN_LEN
  sconn->sconn_len = sizeof (*sconn);
#endif
  sconn->sconn_family = AF_CONN;
  sconn->sconn_port = g_htons (port);
  sconn->sconn_addr = self->token;
}

static void
do_start (RtcSctp * self, guint64 now_us)
{
  struct sockaddr_conn remote;

  if (self->state != RTC_SCTP_STATE_NEW)
    return;

  /* Both sides connect; there is no listening side (RFC 8841 section
   * 9.3). The local and remote address is the same token: AF_CONN
   * addresses only name the lower-layer connection. */
  fill_addr (self, self->remote_port, &remote);
  self->state = RTC_SCTP_STATE_CONNECTING;
  rtc_sctp_global_advance_to (now_us);
  GST_DEBUG ("association %p connecting %u -> %u", self, self->local_port,
      self->remote_port);
  if (usrsctp_connect (self->sock, (struct sockaddr *) &remote,
          sizeof (remote)) < 0 && errno != EINPROGRESS) {
    int e = errno;

    rtc_sctp_set_closed (self, g_error_new (RTC_SCTP_ERROR,
            RTC_SCTP_ERROR_FAILED, "usrsctp_connect failed: %s",
            g_strerror (e)));
    return;
  }

  /* usrsctp's own discovery stays off (it relies on ICMP, which never
   * reaches an AF_CONN association): the base size until rtcplpmtud.c
   * finds more. Set on the peer address: the association exists now. */
  apply_path_mtu (self, self->mtu, &remote);
}

/* ------------------------------------------------------------------ */
/* sending */

static void
add_queued (RtcSctp * self, guint16 stream, gint64 delta)
{
  RtcSctpStream *s;

  g_mutex_lock (&self->qlock);
  s = rtc_sctp_stream_get_locked (self, stream);
  s->queued += delta;
  if (delta < 0)
    rtc_sctp_mark_dirty_locked (self, stream, s);
  g_mutex_unlock (&self->qlock);
}

/* Moves @delta bytes of @stream between our queue and usrsctp's unsent
 * count; the total does not change. */
static void
move_to_unsent (RtcSctp * self, guint16 stream, gint64 delta)
{
  RtcSctpStream *s;

  g_mutex_lock (&self->qlock);
  s = rtc_sctp_stream_get_locked (self, stream);
  s->queued -= delta;
  s->unsent += delta;
  g_mutex_unlock (&self->qlock);
}

/* RFC 6525 section 5.1.2 via usrsctp: FALSE if it must be tried again
 * later (a reset request of ours is still outstanding). */
static gboolean
do_reset (RtcSctp * self, guint16 stream)
{
  gsize len = sizeof (struct sctp_reset_streams) + sizeof (guint16);
  struct sctp_reset_streams *srs = g_alloca (len);

  memset (srs, 0, len);
  srs->srs_assoc_id = SCTP_ALL_ASSOC;
  srs->srs_flags = SCTP_STREAM_RESET_OUTGOING;
  srs->srs_number_streams = 1;
  srs->srs_stream_list[0] = stream;
  if (usrsctp_setsockopt (self->sock, IPPROTO_SCTP, SCTP_RESET_STREAMS, srs,
          (socklen_t) len) == 0) {
    GST_DEBUG ("association %p: reset of outgoing stream %u requested", self,
        stream);
    return TRUE;
  }
  if (errno == EALREADY || errno == EBUSY || errno == EAGAIN) {
    GST_DEBUG ("association %p: reset of stream %u waits for the previous one",
        self, stream);
    return FALSE;
  }
  {
    int e = errno;

    g_mutex_lock (&self->qlock);
    rtc_sctp_stream_get_locked (self, stream)->reset_pending = FALSE;
    g_mutex_unlock (&self->qlock);
    rtc_sctp_push_event (self, RTC_SCTP_EVENT_STREAM_RESET_DONE, stream, 0,
        g_error_new (RTC_SCTP_ERROR, RTC_SCTP_ERROR_FAILED,
            "could not reset outgoing stream %u: %s", stream, g_strerror (e)));
  }
  return TRUE;
}

/* Hands queued messages to usrsctp until its send buffer is full. */
static void
flush (RtcSctp * self)
{
  RtcSctpPending *p;

  while ((p = g_queue_peek_head (&self->sendq))) {
    struct sctp_sendv_spa spa;
    gsize remaining;
    ssize_t n;

    if (p->is_reset) {
      if (!do_reset (self, p->stream))
        return;
      pending_free (g_queue_pop_head (&self->sendq));
      continue;
    }

    remaining = p->len - p->offset;
    if (p->stream >= self->outbound_streams) {
      /* Queued before the association said how many streams it has. */
      add_queued (self, p->stream, -(gint64) remaining);
      rtc_sctp_push_event (self, RTC_SCTP_EVENT_SEND_FAILED, p->stream, p->ppid,
          g_error_new (RTC_SCTP_ERROR, RTC_SCTP_ERROR_INVALID_ARGUMENT,
              "stream %u is beyond the %u outgoing streams of the "
              "association", p->stream, self->outbound_streams));
      pending_free (g_queue_pop_head (&self->sendq));
      continue;
    }

    memset (&spa, 0, sizeof (spa));
    spa.sendv_flags = SCTP_SEND_SNDINFO_VALID;
    spa.sendv_sndinfo.snd_sid = p->stream;
    spa.sendv_sndinfo.snd_ppid = g_htonl (p->ppid);
    /* With explicit EOR, SCTP_EOR ends the message once usrsctp took all
     * of @remaining; if it takes less, the rest follows in a later call. */
    spa.sendv_sndinfo.snd_flags = SCTP_EOR | p->flags;
    spa.sendv_sndinfo.snd_context =
        p->pr_policy == SCTP_PR_SCTP_NONE ? RTC_SCTP_CONTEXT_RELIABLE : 0;
    if (p->pr_policy != SCTP_PR_SCTP_NONE) {
      spa.sendv_flags |= SCTP_SEND_PRINFO_VALID;
      spa.sendv_prinfo.pr_policy = p->pr_policy;
      spa.sendv_prinfo.pr_value = p->pr_value;
    }

    /* Counted as usrsctp's before the call: the packets it sends from
     * inside the call subtract what they carry. */
    move_to_unsent (self, p->stream, remaining);
    n = usrsctp_sendv (self->sock, p->data + p->offset, remaining, NULL, 0,
        &spa, sizeof (spa), SCTP_SENDV_SPA, 0);
    if (n < 0) {
      int e = errno;

      move_to_unsent (self, p->stream, -(gint64) remaining);
      if (e == EWOULDBLOCK || e == EAGAIN || e == ENOBUFS)
        return;
      if (e == EPIPE || e == ENOTCONN || e == ECONNRESET || e == ESHUTDOWN) {
        /* The association is going; the notification says how. */
        GST_DEBUG ("association %p: send: %s", self, g_strerror (e));
        return;
      }
      GST_WARNING ("association %p: dropping a message of %" G_GSIZE_FORMAT
          " bytes on stream %u: %s", self, p->len, p->stream, g_strerror (e));
      add_queued (self, p->stream, -(gint64) remaining);
      if (p->offset > 0)
        GST_ERROR ("association %p: stream %u left with half a message",
            self, p->stream);
      rtc_sctp_push_event (self, RTC_SCTP_EVENT_SEND_FAILED, p->stream, p->ppid,
          g_error_new (RTC_SCTP_ERROR, RTC_SCTP_ERROR_FAILED,
              "usrsctp refused a message of %" G_GSIZE_FORMAT
              " bytes on stream %u: %s", p->len, p->stream, g_strerror (e)));
      pending_free (g_queue_pop_head (&self->sendq));
      continue;
    }
    if ((gsize) n < remaining)
      move_to_unsent (self, p->stream, -(gint64) (remaining - n));
    p->offset += n;
    GST_LOG ("association %p: usrsctp took %" G_GSSIZE_FORMAT " of %"
        G_GSIZE_FORMAT " bytes on stream %u", self, (gssize) n, remaining,
        p->stream);
    if (p->offset < p->len)
      return;                   /* the send buffer is full */
    pending_free (g_queue_pop_head (&self->sendq));
  }
}

static void
maybe_shutdown (RtcSctp * self)
{
  if (self->state != RTC_SCTP_STATE_CLOSING || !self->comm_up ||
      self->shutdown_sent || !g_queue_is_empty (&self->sendq))
    return;
  self->shutdown_sent = TRUE;
  GST_DEBUG ("association %p: shutting down", self);
  if (usrsctp_shutdown (self->sock, SHUT_WR) < 0 && errno != ENOTCONN) {
    int e = errno;

    rtc_sctp_set_closed (self, g_error_new (RTC_SCTP_ERROR,
            RTC_SCTP_ERROR_FAILED, "usrsctp_shutdown failed: %s",
            g_strerror (e)));
  }
}

/* Tells usrsctp the largest packet to build. For AF_CONN it reads
 * spp_pathmtu as the room after the 12-byte common header. */
static gboolean
apply_path_mtu (RtcSctp * self, guint mtu, const struct sockaddr_conn *addr)
{
  struct sctp_paddrparams spp;

  memset (&spp, 0, sizeof (spp));
  if (addr)
    memcpy (&spp.spp_address, addr, sizeof (*addr));
  spp.spp_flags = SPP_HB_ENABLE | SPP_PMTUD_DISABLE;
  spp.spp_pathmtu = mtu - sizeof (struct sctp_common_header);
  if (usrsctp_setsockopt (self->sock, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS,
          &spp, sizeof (spp)) < 0) {
    GST_WARNING ("association %p: could not set the path MTU to %u: %s",
        self, mtu, g_strerror (errno));
    return FALSE;
  }
  return TRUE;
}

/* Path MTU discovery once the association is up: probes go out as our
 * own packets, a new PLPMTU goes to usrsctp. @have_header and
 * @retransmitted were read under qlock by process(); self->header is
 * written once, before have_header is set, and never again. */
static void
run_pmtud (RtcSctp * self, gboolean have_header, gboolean retransmitted)
{
  struct sockaddr_conn remote;
  guint size, pmtu;
  guint64 nonce;

  if (self->pmtud == NULL || !self->comm_up || !have_header ||
      self->state != RTC_SCTP_STATE_CONNECTED)
    return;

  rtc_plpmtud_start (self->pmtud, self->now_us);
  if (retransmitted)
    rtc_plpmtud_loss_hint (self->pmtud, self->now_us);
  while (rtc_plpmtud_poll_probe (self->pmtud, self->now_us, &size, &nonce)) {
    rtc_plpmtud_build_probe (self->probe_buf, size,
        rtc_wire_get16 (self->header), rtc_wire_get16 (self->header + 2),
        rtc_wire_get32 (self->header + 4), nonce, self->probe_form);
    GST_LOG ("association %p: path MTU probe of %u bytes (%s)", self, size,
        self->probe_form == RTC_PLPMTUD_PROBE_PAD_CHUNK ? "PAD chunk" :
        "padded heartbeat");
    rtc_sctp_push_item (self, RTC_OUTPUT_TRANSMIT, 0, 0, self->probe_buf, size);
  }

  pmtu = rtc_plpmtud_get_pmtu (self->pmtud);
  if (pmtu != self->mtu) {
    fill_addr (self, self->remote_port, &remote);
    GST_INFO ("association %p: path MTU %u -> %u (%s)", self, self->mtu,
        pmtu, rtc_plpmtud_state_name (rtc_plpmtud_get_state (self->pmtud)));
    if (apply_path_mtu (self, pmtu, &remote))
      self->mtu = pmtu;
  }
}

/* With a shared clock only path MTU discovery needs this instance woken:
 * usrsctp's timers (retransmissions, heartbeats, the handshake) run on
 * the wheel the owner advances for the whole process. */
static guint64
next_deadline (RtcSctp * self)
{
  if (self->state == RTC_SCTP_STATE_NEW ||
      self->state == RTC_SCTP_STATE_CLOSED)
    return RTC_TIMEOUT_NONE;
  if (!self->shared_clock)
    return self->now_us + TICK_US;
  if (self->pmtud && self->comm_up && self->state == RTC_SCTP_STATE_CONNECTED)
    return rtc_plpmtud_next_deadline (self->pmtud);
  return RTC_TIMEOUT_NONE;
}

/* Runs at the end of every call of the owner that touched usrsctp. */
static void
process (RtcSctp * self)
{
  gboolean have_header, retransmitted;

  /* Retransmissions counted since the previous call: what this call
   * retransmits is seen by the next one, at most a tick later. */
  g_mutex_lock (&self->qlock);
  self->need_process = FALSE;
  have_header = self->have_header;
  retransmitted = self->retransmitted;
  self->retransmitted = FALSE;
  g_mutex_unlock (&self->qlock);

  if (self->sock == NULL || self->state == RTC_SCTP_STATE_NEW)
    return;
  rtc_sctp_receive_all (self);
  if (self->state == RTC_SCTP_STATE_CONNECTED ||
      (self->state == RTC_SCTP_STATE_CLOSING && self->comm_up &&
          !self->shutdown_sent)) {
    flush (self);
    maybe_shutdown (self);
  }
  run_pmtud (self, have_header, retransmitted);
}

/* ------------------------------------------------------------------ */
/* public */

static gboolean
set_sockopt (RtcSctp * self, int level, int name, const void *value,
    socklen_t len, const gchar * what, GError ** error)
{
  if (usrsctp_setsockopt (self->sock, level, name, value, len) == 0)
    return TRUE;
  g_set_error (error, RTC_SCTP_ERROR, RTC_SCTP_ERROR_FAILED,
      "could not set the SCTP socket option %s: %s", what, g_strerror (errno));
  return FALSE;
}

static gboolean
setup_socket (RtcSctp * self, const RtcSctpConfig * cfg, GError ** error)
{
  static const guint16 events[] = {
    SCTP_ASSOC_CHANGE, SCTP_STREAM_RESET_EVENT, SCTP_SENDER_DRY_EVENT,
    SCTP_SEND_FAILED_EVENT, SCTP_PARTIAL_DELIVERY_EVENT, SCTP_SHUTDOWN_EVENT,
    SCTP_REMOTE_ERROR, SCTP_PEER_ADDR_CHANGE,
  };
  struct linger lin = { 1, 0 };
  struct sctp_assoc_value av;
  struct sctp_event ev;
  struct sctp_initmsg init;
  struct sctp_paddrparams spp;
  struct sockaddr_conn local;
  int on = 1, level = 0, sndbuf, rcvbuf;
  guint i;

  sndbuf = cfg->send_buffer_size ? cfg->send_buffer_size :
      RTC_SCTP_DEFAULT_BUFFER_SIZE;
  rcvbuf = cfg->receive_buffer_size ? cfg->receive_buffer_size :
      RTC_SCTP_DEFAULT_BUFFER_SIZE;

  if (usrsctp_set_non_blocking (self->sock, 1) < 0 ||
      usrsctp_set_upcall (self->sock, rtc_sctp_global_upcall,
          self->token) < 0) {
    g_set_error (error, RTC_SCTP_ERROR, RTC_SCTP_ERROR_FAILED,
        "could not make the SCTP socket non-blocking: %s", g_strerror (errno));
    return FALSE;
  }

  memset (&av, 0, sizeof (av));
  av.assoc_id = SCTP_ALL_ASSOC;
  av.assoc_value = SCTP_ENABLE_RESET_STREAM_REQ;

  memset (&init, 0, sizeof (init));
  init.sinit_num_ostreams = self->max_streams;
  init.sinit_max_instreams = self->max_streams;

  /* The base size (RFC 8831 section 5) for every association; usrsctp's
   * ICMP-based discovery is off. */
  memset (&spp, 0, sizeof (spp));
  spp.spp_flags = SPP_HB_ENABLE | SPP_PMTUD_DISABLE;
  /* For AF_CONN usrsctp reads this as the room for chunks, after the
   * 12-byte common header. */
  spp.spp_pathmtu = self->mtu - sizeof (struct sctp_common_header);

  /* SO_LINGER 0: freeing an instance aborts at once instead of leaving a
   * lingering association inside usrsctp. */
  if (!set_sockopt (self, SOL_SOCKET, SO_LINGER, &lin, sizeof (lin),
          "SO_LINGER", error) ||
      !set_sockopt (self, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof (sndbuf),
          "SO_SNDBUF", error) ||
      !set_sockopt (self, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof (rcvbuf),
          "SO_RCVBUF", error) ||
      !set_sockopt (self, IPPROTO_SCTP, SCTP_ENABLE_STREAM_RESET, &av,
          sizeof (av), "SCTP_ENABLE_STREAM_RESET", error) ||
      !set_sockopt (self, IPPROTO_SCTP, SCTP_RECVRCVINFO, &on, sizeof (on),
          "SCTP_RECVRCVINFO", error) ||
      !set_sockopt (self, IPPROTO_SCTP, SCTP_EXPLICIT_EOR, &on, sizeof (on),
          "SCTP_EXPLICIT_EOR", error) ||
      /* RFC 8831 section 6.6: no Nagle */
      !set_sockopt (self, IPPROTO_SCTP, SCTP_NODELAY, &on, sizeof (on),
          "SCTP_NODELAY", error) ||
      !set_sockopt (self, IPPROTO_SCTP, SCTP_FRAGMENT_INTERLEAVE, &level,
          sizeof (level), "SCTP_FRAGMENT_INTERLEAVE", error) ||
      !set_sockopt (self, IPPROTO_SCTP, SCTP_INITMSG, &init, sizeof (init),
          "SCTP_INITMSG", error) ||
      !set_sockopt (self, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &spp,
          sizeof (spp), "SCTP_PEER_ADDR_PARAMS", error))
    return FALSE;

  memset (&ev, 0, sizeof (ev));
  ev.se_assoc_id = SCTP_ALL_ASSOC;
  ev.se_on = 1;
  for (i = 0; i < G_N_ELEMENTS (events); i++) {
    ev.se_type = events[i];
    if (!set_sockopt (self, IPPROTO_SCTP, SCTP_EVENT, &ev, sizeof (ev),
            "SCTP_EVENT", error))
      return FALSE;
  }

  fill_addr (self, self->local_port, &local);
  if (usrsctp_bind (self->sock, (struct sockaddr *) &local,
          (socklen_t) sizeof (local)) < 0) {
    g_set_error (error, RTC_SCTP_ERROR, RTC_SCTP_ERROR_FAILED,
        "could not bind the SCTP socket to port %u: %s", self->local_port,
        g_strerror (errno));
    return FALSE;
  }
  return TRUE;
}

RtcSctp *
rtc_sctp_new (const RtcSctpConfig * cfg, GError ** error)
{
  RtcSctpConfig defaults = { 0 };
  RtcSctp *self;
  gboolean ok;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  rtc_sctp_global_init ();
  if (cfg == NULL)
    cfg = &defaults;
  if (cfg->mtu != 0 && (cfg->mtu < 576 || cfg->mtu > MAX_PACKET_SIZE)) {
    g_set_error (error, RTC_SCTP_ERROR, RTC_SCTP_ERROR_INVALID_ARGUMENT,
        "SCTP MTU %u is outside 576..%u", cfg->mtu, MAX_PACKET_SIZE);
    return NULL;
  }
  if (cfg->max_mtu != 0 && cfg->max_mtu > RTC_SCTP_MAX_PATH_MTU) {
    g_set_error (error, RTC_SCTP_ERROR, RTC_SCTP_ERROR_INVALID_ARGUMENT,
        "SCTP max MTU %u is above %u (one DTLS record)", cfg->max_mtu,
        RTC_SCTP_MAX_PATH_MTU);
    return NULL;
  }

  self = g_new0 (RtcSctp, 1);
  self->state = RTC_SCTP_STATE_NEW;
  self->local_port = cfg->local_port ? cfg->local_port : RTC_SCTP_DEFAULT_PORT;
  self->remote_port = cfg->remote_port ? cfg->remote_port :
      RTC_SCTP_DEFAULT_PORT;
  self->max_message_size = cfg->max_message_size ? cfg->max_message_size :
      RTC_SCTP_DEFAULT_REMOTE_MAX_MESSAGE_SIZE;
  self->max_receive_message_size = cfg->max_receive_message_size ?
      cfg->max_receive_message_size : RTC_SCTP_DEFAULT_MAX_RECEIVE_MESSAGE_SIZE;
  self->max_streams = cfg->max_streams ? cfg->max_streams :
      RTC_SCTP_DEFAULT_MAX_STREAMS;
  self->mtu = cfg->mtu ? cfg->mtu : RTC_SCTP_DEFAULT_MTU;
  self->shared_clock = cfg->shared_clock;
  if (cfg->max_mtu > self->mtu) {
    self->pmtud = rtc_plpmtud_new (self->mtu, cfg->max_mtu);
    self->probe_buf = g_malloc (cfg->max_mtu);
  }
  self->probe_form = cfg->peer_understands_pad ?
      RTC_PLPMTUD_PROBE_PAD_CHUNK : RTC_PLPMTUD_PROBE_PADDED_INFO;
  g_queue_init (&self->sendq);
  g_mutex_init (&self->qlock);
  g_queue_init (&self->out);
  g_queue_init (&self->pool);
  self->streams = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
      g_free);
  self->dirty = g_array_new (FALSE, FALSE, sizeof (guint16));
  self->notification = g_byte_array_new ();
  self->rbuf = g_malloc (RTC_SCTP_RBUF_SIZE);

  self->token = rtc_sctp_global_register (self);
  rtc_sctp_global_enter ();
  self->sock = usrsctp_socket (AF_CONN, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL,
      0, NULL);
  if (self->sock == NULL)
    g_set_error (error, RTC_SCTP_ERROR, RTC_SCTP_ERROR_FAILED,
        "could not create an SCTP socket: %s", g_strerror (errno));
  ok = self->sock != NULL && setup_socket (self, cfg, error);
  rtc_sctp_global_leave ();
  if (!ok) {
    rtc_sctp_free (self);
    return NULL;
  }
  GST_DEBUG ("association %p: new, ports %u -> %u, %u streams, peer max "
      "message size %" G_GSIZE_FORMAT, self, self->local_port,
      self->remote_port, self->max_streams, self->max_message_size);
  return self;
}

void
rtc_sctp_free (RtcSctp * self)
{
  if (self == NULL)
    return;

  /* First out of the registry: from here on usrsctp's callbacks for our
   * token (the ABORT of the close included) find nothing. */
  rtc_sctp_global_unregister (self);
  rtc_sctp_global_enter ();
  if (self->sock)
    usrsctp_close (self->sock);
  usrsctp_deregister_address (self->token);
  rtc_sctp_global_leave ();

  g_queue_clear_full (&self->sendq, (GDestroyNotify) pending_free);
  g_queue_clear_full (&self->out, (GDestroyNotify) item_free);
  g_queue_clear_full (&self->pool, (GDestroyNotify) item_free);
  if (self->lent)
    item_free (self->lent);
  g_hash_table_unref (self->streams);
  g_array_unref (self->dirty);
  if (self->rx_buf)
    g_byte_array_unref (self->rx_buf);
  g_byte_array_unref (self->notification);
  g_free (self->rbuf);
  rtc_plpmtud_free (self->pmtud);
  g_free (self->probe_buf);
  g_mutex_clear (&self->qlock);
  g_free (self);
}

void
rtc_sctp_set_wakeup (RtcSctp * self, void (*wakeup) (gpointer user_data),
    gpointer user_data)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->qlock);
  self->wakeup = wakeup;
  self->wakeup_data = user_data;
  g_mutex_unlock (&self->qlock);
}

void
rtc_sctp_start (RtcSctp * self, guint64 now_us)
{
  g_return_if_fail (self != NULL);

  enter (self);
  rtc_sctp_global_enter ();
  self->now_us = MAX (self->now_us, now_us);
  do_start (self, now_us);
  process (self);
  rtc_sctp_global_leave ();
}

static void
handle_packet (RtcSctp * self, guint64 now_us, const guint8 * data, gsize len)
{
  guint8 *copy = NULL;
  const gchar *why;
  guint64 nonce;
  guint size;

  self->now_us = MAX (self->now_us, now_us);
  if (self->state == RTC_SCTP_STATE_NEW)
    do_start (self, now_us);
  if (self->state == RTC_SCTP_STATE_CLOSED)
    return;
  if (len < 12 || len > MAX_PACKET_SIZE) {
    GST_LOG ("association %p: ignoring a packet of %" G_GSIZE_FORMAT
        " bytes", self, len);
    return;
  }
  /* usrsctp trusts us with the checksum (crc32c offload) */
  if (!rtc_sctp_checksum_valid (data, len)) {
    GST_LOG ("association %p: dropping a packet of %" G_GSIZE_FORMAT
        " bytes with a wrong checksum", self, len);
    return;
  }

  /* usrsctp 0.9.5 sees only what the association uses, well formed
   * (rtcsctp-screen.h) */
  switch (rtc_sctp_screen (data, len, self->comm_up, &why)) {
    case RTC_SCTP_SCREEN_DROP:
      GST_INFO ("association %p: dropping a packet of %" G_GSIZE_FORMAT
          " bytes: %s", self, len, why);
      return;
    case RTC_SCTP_SCREEN_TRIM:
      copy = g_memdup2 (data, len);
      GST_DEBUG ("association %p: taking chunks out of a packet: %s", self,
          why);
      len = rtc_sctp_screen_trim (copy, len, self->comm_up);
      data = copy;
      break;
    case RTC_SCTP_SCREEN_PASS:
      break;
  }
  if (self->pmtud && self->probe_form != RTC_PLPMTUD_PROBE_PAD_CHUNK &&
      rtc_plpmtud_peer_skips_pad (data, len)) {
    GST_DEBUG ("association %p: the peer runs KAME's SCTP (usrsctp): path "
        "MTU probes with PAD chunks", self);
    self->probe_form = RTC_PLPMTUD_PROBE_PAD_CHUNK;
  }

  /* The answer to a path MTU probe is ours, not usrsctp's: it is taken
   * out and the rest of the packet, if any, goes on. Read-only first: the
   * copy is for the rare packet that has one. */
  if (self->pmtud && rtc_plpmtud_find_ack (data, len, &nonce, &size) >= 0) {
    if (copy == NULL)
      data = copy = g_memdup2 (data, len);
    rtc_plpmtud_take_ack (copy, &len, &nonce, &size);
    GST_LOG ("association %p: path MTU probe %" G_GUINT64_FORMAT " of %u "
        "bytes answered", self, nonce, size);
    rtc_plpmtud_handle_ack (self->pmtud, self->now_us, nonce, size);
  }
  if (len > 12)
    usrsctp_conninput (self->token, data, len, 0);
  g_free (copy);
  process (self);
}

void
rtc_sctp_handle_packet (RtcSctp * self, guint64 now_us, const guint8 * data,
    gsize len)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (data != NULL || len == 0);

  enter (self);
  rtc_sctp_global_enter ();
  handle_packet (self, now_us, data, len);
  rtc_sctp_global_leave ();
}

void
rtc_sctp_handle_timeout (RtcSctp * self, guint64 now_us)
{
  g_return_if_fail (self != NULL);

  enter (self);
  rtc_sctp_global_enter ();
  self->now_us = MAX (self->now_us, now_us);
  rtc_sctp_global_advance_to (now_us);
  process (self);
  rtc_sctp_global_leave ();
}

gboolean
rtc_sctp_send (RtcSctp * self, guint16 stream, guint32 ppid,
    const guint8 * data, gsize len, const RtcSctpSendOptions * opts,
    GError ** error)
{
  RtcSctpPending *p;
  guint streams;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->state == RTC_SCTP_STATE_CLOSING ||
      self->state == RTC_SCTP_STATE_CLOSED) {
    g_set_error (error, RTC_SCTP_ERROR, RTC_SCTP_ERROR_CLOSED,
        "the SCTP association is %s",
        self->state == RTC_SCTP_STATE_CLOSED ? "closed" : "closing");
    return FALSE;
  }
  if (len == 0) {
    g_set_error_literal (error, RTC_SCTP_ERROR,
        RTC_SCTP_ERROR_INVALID_ARGUMENT,
        "SCTP cannot send an empty message; RFC 8831 section 6.6 sends one "
        "byte with PPID 56 or 57 instead");
    return FALSE;
  }
  if (len > self->max_message_size) {
    g_set_error (error, RTC_SCTP_ERROR, RTC_SCTP_ERROR_MESSAGE_TOO_LARGE,
        "a message of %" G_GSIZE_FORMAT " bytes is larger than the peer's "
        "maximum message size of %" G_GSIZE_FORMAT " bytes "
        "(a=max-message-size, RFC 8841 section 6)", len,
        self->max_message_size);
    return FALSE;
  }
  streams = self->comm_up ? self->outbound_streams : self->max_streams;
  if (stream >= streams) {
    g_set_error (error, RTC_SCTP_ERROR, RTC_SCTP_ERROR_INVALID_ARGUMENT,
        "stream %u is beyond the %u outgoing streams of the association",
        stream, streams);
    return FALSE;
  }

  enter (self);
  p = g_new0 (RtcSctpPending, 1);
  p->stream = stream;
  p->ppid = ppid;
  p->data = g_memdup2 (data, len);
  p->len = len;
  if (opts) {
    p->flags = opts->unordered ? SCTP_UNORDERED : 0;
    switch (opts->reliability) {
      case RTC_SCTP_RELIABLE:
        p->pr_policy = SCTP_PR_SCTP_NONE;
        break;
      case RTC_SCTP_PARTIAL_RELIABLE_REXMIT:
        p->pr_policy = SCTP_PR_SCTP_RTX;
        p->pr_value = opts->pr_value;
        break;
      case RTC_SCTP_PARTIAL_RELIABLE_TIMED:
        /* A lifetime of 0 means "do not retransmit"; usrsctp would read
         * a TTL of 0 as no limit. */
        p->pr_policy = opts->pr_value ? SCTP_PR_SCTP_TTL : SCTP_PR_SCTP_RTX;
        p->pr_value = opts->pr_value;
        break;
      default:
        g_free (p->data);
        g_free (p);
        g_set_error (error, RTC_SCTP_ERROR, RTC_SCTP_ERROR_INVALID_ARGUMENT,
            "unknown reliability %d", opts->reliability);
        return FALSE;
    }
  }
  add_queued (self, stream, len);
  g_queue_push_tail (&self->sendq, p);
  rtc_sctp_global_enter ();
  process (self);
  rtc_sctp_global_leave ();
  return TRUE;
}

gsize
rtc_sctp_get_buffered_amount (RtcSctp * self, guint16 stream)
{
  RtcSctpStream *s;
  gint64 total = 0;

  g_return_val_if_fail (self != NULL, 0);

  g_mutex_lock (&self->qlock);
  s = g_hash_table_lookup (self->streams, GUINT_TO_POINTER (stream));
  if (s)
    total = MAX (s->queued, 0) + MAX (s->unsent, 0);
  g_mutex_unlock (&self->qlock);
  return (gsize) total;
}

gboolean
rtc_sctp_reset_stream (RtcSctp * self, guint16 stream, GError ** error)
{
  RtcSctpPending *p;
  RtcSctpStream *s;
  guint streams;
  gboolean pending;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->state == RTC_SCTP_STATE_CLOSING ||
      self->state == RTC_SCTP_STATE_CLOSED) {
    g_set_error (error, RTC_SCTP_ERROR, RTC_SCTP_ERROR_CLOSED,
        "the SCTP association is %s",
        self->state == RTC_SCTP_STATE_CLOSED ? "closed" : "closing");
    return FALSE;
  }
  streams = self->comm_up ? self->outbound_streams : self->max_streams;
  if (stream >= streams) {
    g_set_error (error, RTC_SCTP_ERROR, RTC_SCTP_ERROR_INVALID_ARGUMENT,
        "stream %u is beyond the %u outgoing streams of the association",
        stream, streams);
    return FALSE;
  }

  enter (self);
  g_mutex_lock (&self->qlock);
  s = rtc_sctp_stream_get_locked (self, stream);
  pending = s->reset_pending;
  s->reset_pending = TRUE;
  g_mutex_unlock (&self->qlock);
  if (pending)
    return TRUE;

  p = g_new0 (RtcSctpPending, 1);
  p->stream = stream;
  p->is_reset = TRUE;
  g_queue_push_tail (&self->sendq, p);
  rtc_sctp_global_enter ();
  process (self);
  rtc_sctp_global_leave ();
  return TRUE;
}

void
rtc_sctp_close (RtcSctp * self)
{
  g_return_if_fail (self != NULL);

  enter (self);
  switch (self->state) {
    case RTC_SCTP_STATE_NEW:
      self->state = RTC_SCTP_STATE_CLOSED;
      return;
    case RTC_SCTP_STATE_CONNECTING:
    case RTC_SCTP_STATE_CONNECTED:
      GST_DEBUG ("association %p: closing", self);
      self->state = RTC_SCTP_STATE_CLOSING;
      rtc_sctp_global_enter ();
      process (self);
      rtc_sctp_global_leave ();
      return;
    default:
      return;
  }
}

gboolean
rtc_sctp_poll_output (RtcSctp * self, RtcOutput * out)
{
  RtcSctpItem *it;
  gboolean need_process;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof (*out));

  g_mutex_lock (&self->qlock);
  if (self->lent) {
    item_recycle_locked (self, self->lent);
    self->lent = NULL;
  }
  self->owner_will_poll = TRUE;
  self->wakeup_armed = FALSE;
  need_process = self->need_process;
  g_mutex_unlock (&self->qlock);

  /* usrsctp signalled the socket while we were elsewhere (a timer on
   * another instance's tick, say). */
  if (need_process) {
    GST_LOG ("association %p: processing signalled socket", self);
    rtc_sctp_global_enter ();
    process (self);
    rtc_sctp_global_leave ();
  }

  g_mutex_lock (&self->qlock);
  it = g_queue_pop_head (&self->out);
  if (self->state == RTC_SCTP_STATE_CLOSED && self->dirty->len > 0) {
    /* CLOSED is the last event; amounts no longer move anyway */
    guint i;

    for (i = 0; i < self->dirty->len; i++)
      rtc_sctp_stream_get_locked (self, g_array_index (self->dirty, guint16,
              i))->dirty = FALSE;
    g_array_set_size (self->dirty, 0);
  }
  if (it == NULL && self->dirty->len > 0) {
    guint16 stream = g_array_index (self->dirty, guint16, self->dirty->len - 1);
    RtcSctpStream *s = rtc_sctp_stream_get_locked (self, stream);

    g_array_set_size (self->dirty, self->dirty->len - 1);
    s->dirty = FALSE;
    g_mutex_unlock (&self->qlock);
    out->kind = RTC_OUTPUT_EVENT;
    out->event = RTC_SCTP_EVENT_BUFFERED_AMOUNT;
    out->stream = stream;
    return TRUE;
  }
  if (it == NULL) {
    /* The owner stops polling now: from here on, wake it. */
    self->owner_will_poll = FALSE;
    g_mutex_unlock (&self->qlock);
    out->kind = RTC_OUTPUT_TIMEOUT;
    out->timeout_us = next_deadline (self);
    return FALSE;
  }

  out->kind = it->kind;
  out->stream = it->stream;
  out->ppid = it->ppid;
  if (it->kind == RTC_OUTPUT_EVENT) {
    out->event = it->event;
    out->error = it->error;
    it->error = NULL;
    item_recycle_locked (self, it);
  } else {
    out->data = it->data;
    out->len = it->len;
    self->lent = it;
  }
  g_mutex_unlock (&self->qlock);
  return TRUE;
}

guint
rtc_sctp_get_path_mtu (RtcSctp * self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->mtu;
}

RtcSctpState
rtc_sctp_get_state (RtcSctp * self)
{
  g_return_val_if_fail (self != NULL, RTC_SCTP_STATE_CLOSED);

  return self->state;
}

guint
rtc_sctp_get_outbound_streams (RtcSctp * self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->comm_up ? self->outbound_streams : 0;
}

gsize
rtc_sctp_get_max_message_size (RtcSctp * self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->max_message_size;
}

const gchar *
rtc_sctp_state_name (RtcSctpState state)
{
  switch (state) {
    case RTC_SCTP_STATE_NEW:
      return "new";
    case RTC_SCTP_STATE_CONNECTING:
      return "connecting";
    case RTC_SCTP_STATE_CONNECTED:
      return "connected";
    case RTC_SCTP_STATE_CLOSING:
      return "closing";
    case RTC_SCTP_STATE_CLOSED:
      return "closed";
  }
  return "unknown";
}

const gchar *
rtc_sctp_event_name (RtcSctpEvent event)
{
  switch (event) {
    case RTC_SCTP_EVENT_CONNECTED:
      return "connected";
    case RTC_SCTP_EVENT_CLOSED:
      return "closed";
    case RTC_SCTP_EVENT_STREAM_RESET:
      return "stream-reset";
    case RTC_SCTP_EVENT_STREAM_RESET_DONE:
      return "stream-reset-done";
    case RTC_SCTP_EVENT_BUFFERED_AMOUNT:
      return "buffered-amount";
    case RTC_SCTP_EVENT_SEND_FAILED:
      return "send-failed";
    case RTC_SCTP_EVENT_RECEIVE_TOO_LARGE:
      return "receive-too-large";
  }
  return "unknown";
}
