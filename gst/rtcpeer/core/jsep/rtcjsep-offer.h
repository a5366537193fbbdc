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
 * negotiation (the session's ufrag/pwd/fingerprint win when set, e.g. for
 * an ICE restart). m-lines of @current_local that no media claims any more
 * stay, rejected. The offer carries a=group:BUNDLE over every non-rejected
 * section unless the bundle policy is NONE; every section gets port 9 and
 * full ICE/DTLS attributes (no a=bundle-only), as Chromium does. Stopped
 * medias get port 0. Errors: no ICE credentials or fingerprint
 * (RTC_JSEP_ERROR_INTERNAL), a non-stopped audio/video media without
 * codecs (_NO_COMMON_CODEC), a media whose kind differs from its m-line in
 * @current_local (_INVALID_MODIFICATION), two medias on one m-line or with
 * one mid (_INTERNAL); @medias is untouched on error. */
GstSDPMessage *rtc_jsep_build_offer (const RtcJsepSession * session,
                                     GPtrArray * medias,
                                     const GstSDPMessage * current_local,
                                     GError ** error);

G_END_DECLS
