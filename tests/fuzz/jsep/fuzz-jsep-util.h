/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* What the SDP targets share: the local side (session and transceivers)
 * a remote description meets, and everything rtcpeerbin reads from a
 * remote description once it is set. */

#pragma once

#include "jsep/rtcjsep-answer.h"
#include "jsep/rtcjsep-offer.h"
#include "jsep/rtcjsep-validate.h"

G_BEGIN_DECLS

/* Fixed ICE credentials and fingerprint; the caller clears it. */
void          fuzz_jsep_session_init (RtcJsepSession * session);

/* Local transceivers, as rtcpeerbin snapshots them: opus (+PCMU) audio,
 * VP8 with RTX, H264 and VP9 video, and the data channel section, each
 * with @mids[i] when not NULL (NULL @mids: none set). @kinds picks which,
 * in order, terminated by -1. g_ptr_array_unref. */
GPtrArray    *fuzz_jsep_local_medias (const gint * kinds,
                                      const gchar * const *mids);

/* @data as a message the way an application gets one: GstSDP's parser,
 * which takes any bytes. */
GstSDPMessage *fuzz_jsep_parse (const guint8 * data, gsize size);

/* Every reader rtcpeerbin applies to a set remote description
 * (rtcpeerpads.c, rtcpeermedia.c, rtcpeerjsep.c), results checked for
 * what their contracts promise. */
void          fuzz_jsep_read_remote (const GstSDPMessage * remote);

G_END_DECLS
