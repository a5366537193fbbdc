/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* One data channel across a Call: peer 0 creates it before the first
 * offer (so the offer has its m=application), peer 1 gets it through
 * on-data-channel. Both ends are watched for opening and for the last
 * string they received. */

#pragma once

#include "call-fixture.h"

typedef struct _CallChannel CallChannel;

/* Before call_start (): puts both peers in READY and creates the
 * channel "setup" on peer 0. */
CallChannel *call_channel_new (Call * call);
/* Before call_free (). */
void         call_channel_free (CallChannel * ch);
/* Waits until both ends are open. */
gboolean     call_channel_wait_open (CallChannel * ch, guint timeout_s);
/* Sends @msg0 from peer 0 and @msg1 from peer 1 and waits until each
 * arrived at the other end. */
gboolean     call_channel_exchange (CallChannel * ch, const gchar * msg0,
                                    const gchar * msg1, guint timeout_s);
/* The same, bounded in milliseconds. */
gboolean     call_channel_exchange_ms (CallChannel * ch, const gchar * msg0,
                                       const gchar * msg1, guint timeout_ms);
/* Peer @i's end of the channel (a reference), NULL before it is known. */
GObject     *call_channel_get (CallChannel * ch, guint i);
/* "open" / "not open" for each end, for failure messages (g_free). */
gchar       *call_channel_describe (CallChannel * ch);
