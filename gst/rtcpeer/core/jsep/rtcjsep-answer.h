/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "rtcjsep-media.h"

G_BEGIN_DECLS

/* https://www.rfc-editor.org/rfc/rfc8829#section-5.10
 * Ties every m-line of a remote @offer to a media of @medias: first by mid,
 * then to a media of the same kind that has no mid yet (added by the user
 * before the offer came), else a new recvonly RtcJsepMedia is created and
 * appended to @medias (and to @added, borrowed, when not NULL) so the
 * caller can create a transceiver for it. Sets mid and mline. */
gboolean rtc_jsep_associate_remote (const GstSDPMessage * offer,
                                    GPtrArray * medias, GPtrArray * added,
                                    GError ** error);

/* Builds the answer to @offer from @medias (already associated): codecs
 * are the intersection (offerer's payload types, offerer's order), each
 * direction the JSEP intersection of the offered and local ones, a=setup
 * active when offered actpass or passive, passive when offered active; the
 * offer's BUNDLE group is accepted minus rejected sections. A section with
 * no common codec is rejected (port 0). */
GstSDPMessage *rtc_jsep_build_answer (const RtcJsepSession * session,
                                      const GstSDPMessage * offer,
                                      GPtrArray * medias, GError ** error);

/* The direction to answer with (RFC 3264 section 6.1). */
GstWebRTCRTPTransceiverDirection
rtc_jsep_answer_direction (GstWebRTCRTPTransceiverDirection offered,
                           GstWebRTCRTPTransceiverDirection local);

G_END_DECLS
