/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* What rtcsctp.c (one association) and rtcsctp-global.c (the process-wide
 * usrsctp state: init, the address registry, the timer wheel and the
 * callbacks usrsctp makes) share. Not installed, not for other cores. */

#pragma once

#include <gst/gst.h>
#include <usrsctp.h>

#include "rtcsctp.h"
#include "rtcplpmtud.h"

G_BEGIN_DECLS

GST_DEBUG_CATEGORY_EXTERN (rtc_sctp_debug);

/* Our read buffer; larger messages are read in pieces. */
#define RTC_SCTP_RBUF_SIZE (64 * 1024)
/* snd_context of the messages we send: whether they are reliable. */
#define RTC_SCTP_CONTEXT_RELIABLE 1

/* One queued output. TRANSMIT items are filled by the packet output
 * callback on whatever thread usrsctp runs; RECEIVE and EVENT items by the
 * owner. */
typedef struct
{
  RtcOutputKind kind;
  guint8 *data;
  gsize len;
  gsize alloc;
  guint stream;
  guint32 ppid;
  gint event;
  GError *error;
} RtcSctpItem;

/* Per outgoing stream byte counts behind rtc_sctp_get_buffered_amount();
 * under the instance's qlock (the packet output callback updates
 * @unsent from any thread). Signed so a transient undercount cannot wrap;
 * read as MAX (0, ...). */
typedef struct
{
  gint64 queued;                /* in our send queue */
  gint64 unsent;                /* taken by usrsctp, not transmitted yet */
  gboolean dirty;               /* went down, not reported yet */
  gboolean reset_pending;       /* owner only: our outgoing reset in flight */
} RtcSctpStream;

struct _RtcSctp
{
  /* Our AF_CONN address: a token from the registry, never reused. */
  gpointer token;
  struct socket *sock;

  /* ---- owner only: the caller serialises every call ---- */
  RtcSctpState state;
  guint16 local_port, remote_port;
  gsize max_message_size;
  gsize max_receive_message_size;
  guint16 max_streams;
  guint mtu;                    /* the path MTU usrsctp uses now */
  RtcPlpmtud *pmtud;            /* NULL: no discovery */
  RtcPlpmtudProbeForm probe_form;
  guint8 *probe_buf;            /* a probe being built, max_mtu bytes */
  guint16 outbound_streams;     /* negotiated, 0 before SCTP_COMM_UP */
  gboolean comm_up;             /* usrsctp reported SCTP_COMM_UP */
  /* usrsctp declared the peer address unreachable (retransmissions
   * exhausted), which precedes the end of the association by timeout */
  gboolean path_unreachable;
  gboolean shutdown_sent;
  guint64 now_us;
  gboolean shared_clock;        /* usrsctp's wheel is advanced elsewhere */

  GQueue sendq;                 /* RtcSctpPending *, one FIFO for all streams */

  /* A message read in pieces (partial delivery, or larger than rbuf). */
  gboolean rx_active;
  gboolean rx_too_large;
  guint16 rx_stream;
  guint32 rx_ppid;
  gsize rx_len;
  GByteArray *rx_buf;
  GByteArray *notification;     /* a notification read in pieces */
  guint8 *rbuf;

  /* ---- shared with usrsctp's callbacks: under qlock ---- */
  GMutex qlock;
  GQueue out;                   /* RtcSctpItem *, in the order produced */
  GQueue pool;
  RtcSctpItem *lent;            /* what the last poll_output returned */
  GHashTable *streams;          /* stream id -> RtcSctpStream * */
  GArray *dirty;                /* guint16 stream ids with dirty set */
  guint32 highest_tsn;          /* highest DATA TSN we transmitted */
  gboolean have_tsn;
  gboolean retransmitted;       /* a DATA chunk went out again */
  /* The common header of our packets once the peer's tag is known: what
   * path MTU probes carry. */
  gboolean have_header;
  guint8 header[8];
  /* The owner is inside a call, or made one and has not yet drained
   * poll_output to FALSE: output queued now will be seen without a
   * wakeup. */
  gboolean owner_will_poll;
  gboolean wakeup_armed;        /* wakeup called, owner has not polled yet */
  gboolean need_process;        /* usrsctp signalled the socket elsewhere */
  void (*wakeup) (gpointer user_data);
  gpointer wakeup_data;
};

/* rtcsctp-global.c */
void             rtc_sctp_global_init (void);
gpointer         rtc_sctp_global_register (RtcSctp * sctp);
void             rtc_sctp_global_unregister (RtcSctp * sctp);
void             rtc_sctp_global_advance_to (guint64 now_us);
/* Around every public call that may enter usrsctp: wakeups queued by
 * usrsctp's callbacks run when the outermost call on the thread leaves. */
void             rtc_sctp_global_enter (void);
void             rtc_sctp_global_leave (void);
void             rtc_sctp_global_upcall (struct socket *sock, void *arg,
                                         int flags);

/* rtcsctp.c, for rtcsctp-recv.c (owner only; the _locked ones with qlock
 * held) */
RtcSctpStream *  rtc_sctp_stream_get_locked (RtcSctp * sctp, guint16 stream);
void             rtc_sctp_mark_dirty_locked (RtcSctp * sctp, guint16 stream,
                                             RtcSctpStream * s);
void             rtc_sctp_push_item (RtcSctp * sctp, RtcOutputKind kind,
                                     guint stream, guint32 ppid,
                                     const guint8 * data, gsize len);
void             rtc_sctp_push_receive_array (RtcSctp * sctp, guint stream,
                                              guint32 ppid, GByteArray * buf);
void             rtc_sctp_push_event (RtcSctp * sctp, RtcSctpEvent event,
                                      guint stream, guint32 ppid,
                                      GError * error);
void             rtc_sctp_set_closed (RtcSctp * sctp, GError * error);

/* rtcsctp-recv.c: reads the socket until it is empty */
void             rtc_sctp_receive_all (RtcSctp * sctp);

/* rtcsctp.c, called by rtcsctp-global.c with the registry read-locked and
 * qlock held */
RtcSctpItem *    rtc_sctp_item_get_locked (RtcSctp * sctp);
void             rtc_sctp_account_transmit_locked (RtcSctp * sctp,
                                                   const guint8 * pkt,
                                                   gsize len);
gboolean         rtc_sctp_want_wakeup_locked (RtcSctp * sctp);

G_END_DECLS
