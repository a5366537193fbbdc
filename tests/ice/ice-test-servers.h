/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Stand-ins for the outside world, so the ICE tests touch nothing but
 * 127.0.0.1:
 * - a GResolver that answers without the network: "stun.test" and
 *   "*-known.local" are 127.0.0.1, "slow.test" never answers (until the
 *   lookup is cancelled), anything else does not exist;
 * - coturn's turnserver, when installed, on 127.0.0.1 only (TURN over UDP,
 *   long-term credentials, loopback peers allowed);
 * - a UDP server on 127.0.0.1 that counts STUN requests and, if asked to,
 *   answers Binding requests (RFC 5389/3489) with the mapped address
 *   STUN_MAPPED_IP:STUN_MAPPED_PORT (documentation address, never
 *   contacted). */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define STUN_MAPPED_IP "203.0.113.77"
#define STUN_MAPPED_PORT 40000

GResolver *fake_resolver_new (void);

typedef struct
{
  GSocket *socket;
  guint port;
  gboolean answer;
  guint requests;               /* under lock */
  GMutex lock;
  GCond cond;
  GCancellable *cancel;
  GThread *thread;
} StunResponder;

StunResponder *stun_responder_new (gboolean answer);
void           stun_responder_free (StunResponder * s);
/* TRUE once @n requests arrived, FALSE after @secs */
gboolean       stun_responder_wait (StunResponder * s, guint n, gdouble secs);

typedef struct
{
  GSubprocess *process;
  guint port;
  gchar *pidfile;
} TurnServer;

#define TURN_USER "rtcuser"
#define TURN_PASS "s3cr3t"

/* NULL (and @why set) when turnserver is missing or does not come up */
TurnServer    *turn_server_start (gchar ** why);
void           turn_server_stop (TurnServer * t);

G_END_DECLS
