/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The operations queue of one peer connection: every JSEP operation runs
 * in order, one at a time, as the W3C "operations chain" requires, on one
 * of a pool of threads shared by all bins (one worker per queue at a
 * time). The promise travels with the operation so that it is
 * answered even when the connection is closed before the operation runs. */

#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

typedef struct _RtcPeerOps RtcPeerOps;

/* Runs on the ops thread. Returns the promise reply (owned), or NULL for a
 * plain reply. */
typedef GstStructure *(*RtcPeerOpFunc) (gpointer owner, gpointer data);

RtcPeerOps   *rtc_peer_ops_new      (const gchar * thread_name);
/* Cancels the application's queued operations (rtc_peer_ops_cancel ()),
 * runs the bin's own, then frees the queue. */
void          rtc_peer_ops_free     (RtcPeerOps * ops);

/* @promise may be NULL. @owner is not referenced: the caller keeps it
 * alive until rtc_peer_ops_free () returns. */
void          rtc_peer_ops_enqueue  (RtcPeerOps * ops, RtcPeerOpFunc func,
                                     gpointer owner, gpointer data,
                                     GDestroyNotify destroy,
                                     GstPromise * promise);

/* The same for an operation of the application (an action signal):
 * rtc_peer_ops_cancel () drops it if it has not started. */
void          rtc_peer_ops_enqueue_app (RtcPeerOps * ops, RtcPeerOpFunc func,
                                        gpointer owner, gpointer data,
                                        GDestroyNotify destroy,
                                        GstPromise * promise);

/* The application's operations that have not started never run: their
 * promises are answered with an INVALID_STATE error saying @reason, on
 * the caller's thread, before this returns. Then waits for the operation
 * running now, if it was queued before (not when called from the ops
 * thread), so that no promise of an operation queued before this call is
 * answered after it returns. The bin's own operations (ICE and DTLS
 * events) still run. */
void          rtc_peer_ops_cancel   (RtcPeerOps * ops, const gchar * reason);

/* Blocks the caller until every operation queued so far has run. Must not
 * be called from the ops thread. */
void          rtc_peer_ops_flush    (RtcPeerOps * ops);

/* Runs @func (@owner, NULL) as the next operation and waits for it; its
 * reply is dropped. @owner is not referenced. Not from the ops thread.
 * When the queue is stopping, @func does not run and this returns. */
void          rtc_peer_ops_run_sync (RtcPeerOps * ops, RtcPeerOpFunc func,
                                     gpointer owner);

gboolean      rtc_peer_ops_is_current_thread (RtcPeerOps * ops);

/* A promise reply carrying only an "error" field, as webrtcbin does. */
GstStructure *rtc_peer_error_reply  (GQuark domain, gint code,
                                     const gchar * format, ...) G_GNUC_PRINTF (3, 4);
GstStructure *rtc_peer_error_reply_take (GError * error);

G_END_DECLS
