/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Queue-then-emit: what application code hears about (signals, notify::,
 * data channel messages) is queued wherever it is found, under whatever
 * lock the finder holds, and emitted in order on the bin's ops thread
 * with no lock held. A slow handler then stalls its own peer connection
 * only, never the network thread that all bins of the process share.
 * Everything queued before the ops thread comes round is emitted by one
 * operation (a burst of data channel messages is one operation). */

#pragma once

#include "rtcpeerops.h"

G_BEGIN_DECLS

typedef struct _RtcPeerEmitter RtcPeerEmitter;

/* Emits what @data describes; ops thread, no lock held. */
typedef void (*RtcPeerEmitFunc) (gpointer owner, gpointer data);

/* @owner (not referenced) is handed to every RtcPeerEmitFunc. */
RtcPeerEmitter *rtc_peer_emitter_new  (RtcPeerOps * ops, gpointer owner);
/* Drops what is still queued without emitting it. */
void          rtc_peer_emitter_free (RtcPeerEmitter * emitter);
/* From now on nothing is emitted: what is queued and what is pushed later
 * is dropped (the bin is being disposed). */
void          rtc_peer_emitter_stop (RtcPeerEmitter * emitter);

/* Any thread, any lock but the emitter's own. @destroy frees @data after
 * the emission, or instead of it when the emitter goes first. */
void          rtc_peer_emitter_push (RtcPeerEmitter * emitter,
                                     RtcPeerEmitFunc func, gpointer data,
                                     GDestroyNotify destroy);

/* On the ops thread with no lock held: emits everything queued so far,
 * in order, now. Operations call it where their announcements belong
 * (before their promise is answered). */
void          rtc_peer_emitter_flush (RtcPeerEmitter * emitter);

G_END_DECLS
