/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* A small process-wide pool of network threads ("rtc-net-N"), each running
 * one GMainContext. Every ICE agent (and its libnice timers, socket sources
 * and receive callbacks) lives on one of these contexts, so hundreds of peer
 * connections share min(number of processors, 4) threads instead of one
 * thread each; the pool grows by a thread when every thread has 48
 * agents (a wake-up costs time in proportion to a context's sources), up
 * to 64 threads.
 *
 * The pool is created on the first acquire and torn down (threads joined)
 * when the last context is released, so a process with no peer connection
 * has no rtc-net thread left.
 *
 * Thread safety: all functions may be called from any thread. Releasing
 * the last context from one of the pool's own threads (inside a callback)
 * is allowed: that thread is detached and exits when its callback returns.
 *
 * Work that must finish on a pool thread after its owner let go (an agent
 * freed from inside its own callback completes its teardown a little
 * later) takes a hold: the pool keeps running while holds exist, and a
 * release of the last user from outside the pool waits for them, so that
 * once the last rtc_ice_agent_free() returns no rtc-net thread is left. */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Returns a reference to the least busy network context (round robin among
 * equals). Give it back with rtc_net_context_release(). */
GMainContext *rtc_net_context_acquire (void);

/* Drops the reference from rtc_net_context_acquire(). Sources still attached
 * to the context when the pool stops are destroyed with it, so callers
 * detach their sources first. */
void          rtc_net_context_release (GMainContext * context);

void          rtc_net_context_hold (void);
void          rtc_net_context_unhold (void);

/* Whether the caller is one of the pool's threads, which must never wait
 * for work that may need the pool (freeing an agent does). */
gboolean      rtc_net_context_in_pool_thread (void);

/* Number of running network threads, for tests and stats. */
guint         rtc_net_context_get_n_threads (void);

G_END_DECLS
