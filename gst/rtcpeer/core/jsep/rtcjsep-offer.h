/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "rtcjsep-media.h"

G_BEGIN_DECLS

/* https://www.rfc-editor.org/rfc/rfc8829#section-5.2
 * Builds an offer with one m-line per RtcJsepMedia in @medias (in mline
 * order; media without a mline are appended and get a mid and mline
 * assigned here, which is why @medias is not const). @current_local, when
 * set, keeps the m-line order, mids and ICE/DTLS parameters of the last
 * negotiation. The offer carries a=group:BUNDLE over every non-rejected
 * section unless the bundle policy is NONE. */
GstSDPMessage *rtc_jsep_build_offer (const RtcJsepSession * session,
                                     GPtrArray * medias,
                                     const GstSDPMessage * current_local,
                                     GError ** error);

G_END_DECLS
