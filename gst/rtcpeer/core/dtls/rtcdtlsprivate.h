/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* For tests only: what a test needs to make an RtcDtls misbehave the way
 * a broken or hostile peer would. Nothing else includes this. */

#pragma once

#include <openssl/ssl.h>

#include "rtcdtls.h"

G_BEGIN_DECLS

/* The OpenSSL connection inside @dtls (borrowed). */
SSL *              rtc_dtls_peek_ssl (RtcDtls * dtls);

G_END_DECLS
