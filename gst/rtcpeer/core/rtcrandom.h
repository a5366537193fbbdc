/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Unpredictable values for the protocol: ICE credentials guard the
 * connectivity checks (RFC 8445 section 5.3) and must not be guessable,
 * so they come from OpenSSL's CSPRNG, not from g_random. */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

void     rtc_random_bytes     (guint8 * buf, gsize len);
guint32  rtc_random_u32       (void);
/* A string of @len ice-chars (ALPHA / DIGIT / "+" / "/"). */
gchar   *rtc_random_ice_string (gsize len);
/* An SDP o= session id: positive, below 2^62 (RFC 8829 section 5.2.1). */
guint64  rtc_random_session_id (void);

G_END_DECLS
