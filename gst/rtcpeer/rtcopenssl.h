/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Initialises OpenSSL (and libsrtp, which runs on it) once per process, on a short-lived thread of ours
 * that hands its per-thread state back before it ends. Called when the
 * plugin loads, before any element can use DTLS, SRTP or random values. */
void               gst_rtc_openssl_init (void);

G_END_DECLS
