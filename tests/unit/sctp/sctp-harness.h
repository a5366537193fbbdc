/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The in-memory network the SCTP core tests run on: a World of Peers,
 * each an RtcSctp instance whose output is recorded and whose packets go
 * on a wire to its partner, with loss, latency and a fake clock that
 * progress() moves to the next deadline. See sctp-harness.c for why the
 * clock is process-wide and also feeds usrsctp's gettimeofday(). */

#pragma once

#include <glib.h>
#include <gst/gst.h>

#include "sctp/rtcsctp.h"

#define SEC G_USEC_PER_SEC

/* The fake clock: only moves forward, across tests. Tests that drive
 * time themselves (global timers) advance it directly. */
extern guint64 fake_now;

typedef struct _World World;
typedef struct _Peer Peer;

typedef struct
{
  guint16 stream;
  guint32 ppid;
  GBytes *data;
} Msg;

typedef struct
{
  gint event;
  guint stream;
  guint32 ppid;
  guint n_received;             /* messages received before the event */
  GError *error;
} Ev;

typedef struct
{
  guint64 deliver_at;
  guint64 seq;
  GBytes *bytes;
} Packet;

struct _Peer
{
  World *world;
  gchar *name;
  RtcSctp *sctp;
  Peer *other;
  GQueue wire;                  /* Packet *, sent by this peer */
  guint64 timeout_us;
  gint woken;                   /* atomic */
  guint n_wakeups;              /* atomic */

  gboolean connected, closed;
  guint n_connected;
  GPtrArray *received;          /* Msg * */
  GArray *events;               /* Ev */
  guint n_buffered_events;
  gsize max_packet;
  guint n_transmitted;
  GPtrArray *recent;            /* GBytes *, the last packets sent */

  /* netem, on what this peer sends */
  gdouble loss;
  gboolean drop_all;
  GRand *rand;
  guint64 latency_us;
  /* what this peer sends above this size is lost (0: no limit), as on a
   * path with that MTU that drops rather than fragments */
  gsize wire_mtu;
  guint n_too_big;              /* dropped for wire_mtu */

  /* A strict peer (peer_set_strict) */
  gboolean strict;
  gboolean strict_aborted;      /* it met a chunk type it does not know */
  guint8 strict_bad_type;
};

struct _World
{
  GPtrArray *peers;             /* Peer * */
  guint64 packet_seq;
  gboolean quiet;               /* do not log events with errors */
  /* a wakeup drains the instance right away, from inside the call that
   * woke it (as g_main_context_invoke() on the owner's thread would) */
  gboolean inline_drain;
  /* threads test: wakeups signal this */
  gboolean real_time;
  GMutex lock;
  GCond cond;
  gboolean signalled;
};

typedef gboolean (*Condition) (World * w, gpointer data);

/* Count of messages @peer must have received on @stream; an array of
 * them for wants_met() ends with a NULL peer. */
typedef struct
{
  Peer *peer;
  guint16 stream;
  guint count;
} Want;

/* Real-time mode (threads test): the clock follows the monotonic clock
 * from a second past the fake clock, and back; the fake clock then
 * continues from where real time left it. */
void        clock_start_real (void);
void        clock_stop_real (void);

World      *world_new (void);
/* Frees every peer, killed or not. */
void        world_free (World * w);
/* Two connected-to-each-other peers "L" and "R" (@lcfg, @rcfg may be
 * NULL for the defaults); nothing started yet. */
void        pair_new (World * w, const RtcSctpConfig * lcfg,
                      const RtcSctpConfig * rcfg, Peer ** l, Peer ** r);
/* Frees the instance but keeps what it recorded. */
void        peer_kill (Peer * p);
/* Drops @loss of what @p sends from now on, with a generator seeded by
 * @seed (the first call only) so runs repeat. */
void        peer_set_loss (Peer * p, gdouble loss, guint32 seed);
/* Makes @p a strict peer, as some WebRTC stacks are (a TypeScript one
 * throws in its chunk parser): a chunk of a type it does not know in a
 * packet it receives aborts its association (an ABORT goes to the other
 * side and @p is killed), where RFC 9260 asks it to look at the type's top
 * bits and skip most of them. Heartbeat information it does not
 * understand it echoes, as every stack must. It also hides that it is
 * usrsctp underneath: its state cookies do not carry KAME's
 * identification (they get it back when they return in a COOKIE ECHO). */
void        peer_set_strict (Peer * p);
/* The SCTP chunk types a strict peer knows. */
gboolean    strict_knows_chunk (guint8 type);
void        packet_free (Packet * p);

/* Polls @p until it reports its next timeout, recording everything. */
void        drain (Peer * p);
/* Hands @bytes to @to (if it still exists) and drains it. */
void        deliver (Peer * to, GBytes * bytes);
/* Drains every peer whose wakeup fired; TRUE if there was one. */
gboolean    drain_woken (World * w);
/* One step; FALSE when nothing is in flight and no timer is armed. */
gboolean    progress (World * w);
/* progress() on real time: wait (on the condition the wakeups signal)
 * until the earliest deadline instead of jumping to it. */
gboolean    progress_real (World * w);
/* Runs until @cond holds or @max_us of virtual time passed. */
gboolean    run_for (World * w, Condition cond, gpointer data,
                     guint64 max_us);
void        run_until (World * w, Condition cond, gpointer data,
                       guint64 max_us);
/* Starts every peer of @w. */
void        world_start (World * w);
/* Starts every peer and runs until all are connected. */
void        connect_pair (World * w);

/* Conditions */
gboolean    never (World * w, gpointer data);
gboolean    all_connected (World * w, gpointer data);
gboolean    all_closed (World * w, gpointer data);
/* @data: a Want */
gboolean    has_received (World * w, gpointer data);
/* @data: an array of Want ending with a NULL peer */
gboolean    wants_met (World * w, gpointer data);

/* Deterministic message contents: a 12-byte header (tag, stream, seq)
 * when there is room, then a pattern that depends on all three. */
GBytes     *make_msg (guint32 tag, guint16 stream, guint32 seq, gsize size);
guint32     msg_seq (GBytes * b);
guint32     msg_tag (GBytes * b);
/* Sends @msg (the send must succeed) and drains @p. */
void        send_msg (Peer * p, guint16 stream, guint32 ppid, GBytes * msg,
                      const RtcSctpSendOptions * opts);

guint       count_received (Peer * p, guint16 stream);
/* @stream -1: any stream */
guint       count_events (Peer * p, gint event, gint stream);
guint       total_wakeups (World * w);
/* The first such event, NULL if none; @stream -1: any stream */
Ev         *find_event (Peer * p, gint event, gint stream);
/* The messages of @stream at @p equal @sent, in order (and have @ppids,
 * unless NULL). */
void        assert_stream_equal (Peer * p, guint16 stream, GPtrArray * sent,
                                 const guint32 * ppids);
