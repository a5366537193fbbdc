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
 * before the offer came, not stopped), else a new recvonly RtcJsepMedia
 * (codecs copied from the offer) is created and appended to @medias (and
 * to @added, borrowed, when not NULL) so the caller can create a
 * transceiver for it. An application section with no application media
 * gets a new one too (direction SENDRECV, default SCTP port and message
 * size). Rejected sections and unknown kinds ("text") only take a media
 * that already has their mid; nothing is created for them. Sets mid and
 * mline. Errors (a mid whose media has another kind:
 * RTC_JSEP_ERROR_INVALID_MODIFICATION; an accepted section without a=mid
 * or with an unreadable rtpmap: RTC_JSEP_ERROR_INVALID_SDP) leave @medias
 * unchanged. */
gboolean rtc_jsep_associate_remote (const GstSDPMessage * offer,
                                    GPtrArray * medias, GPtrArray * added,
                                    GError ** error);

/* Builds the answer to @offer from @medias (already associated): codecs
 * are the intersection (offerer's payload types, fmtp and order; name,
 * clock rate and channels must match, plus packetization-mode and profile
 * for H264, profile-id for VP9, profile for AV1), feedback the
 * intersection, RTX kept when both sides have it; each direction the JSEP
 * intersection of the offered and local ones; a=setup active when offered
 * actpass or passive, passive when offered active or absent; the offer's
 * BUNDLE group is accepted minus rejected sections; a data section gets
 * our sctp-port and max-message-size. Rejected (port 0, mid kept): offered
 * port 0 (without a=bundle-only), no media at that m-line, a stopped
 * media, no common codec, no a=rtcp-mux, a non-SAVP(F) RTP proto, a data
 * section that is not "webrtc-datachannel" over DTLS/SCTP. Every accepted
 * section gets port 9 and the full ICE/DTLS attributes, as browsers
 * answer. Does not change @medias. */
GstSDPMessage *rtc_jsep_build_answer (const RtcJsepSession * session,
                                      const GstSDPMessage * offer,
                                      GPtrArray * medias, GError ** error);

/* rtc_jsep_build_answer() for a subsequent offer: @current_local and
 * @current_remote (both NULL on the first negotiation) are the last
 * negotiated descriptions. A section whose transport already exists keeps
 * the DTLS role negotiated then (RFC 8842 section 5.5; browsers refuse an
 * answer that swaps it): its own mid was negotiated before, or a mid of the
 * same offered BUNDLE group was. Other sections answer as for a first
 * offer. */
GstSDPMessage *rtc_jsep_build_answer_full (const RtcJsepSession * session,
                                           const GstSDPMessage * offer,
                                           GPtrArray * medias,
                                           const GstSDPMessage * current_local,
                                           const GstSDPMessage * current_remote,
                                           GError ** error);

/* RFC 5763 section 5: whether we are the DTLS client, from our a=setup
 * (@ours) and the peer's (@theirs) for one transport: active is the
 * client, passive the server; the side that said actpass takes the
 * opposite of the other's (absent in an answer means active). FALSE when
 * the two do not decide it (neither description says, or both actpass). */
gboolean rtc_jsep_dtls_client (GstWebRTCDTLSSetup ours,
                               GstWebRTCDTLSSetup theirs, gboolean * client);

/* The direction to answer with (RFC 3264 section 6.1). */
GstWebRTCRTPTransceiverDirection
rtc_jsep_answer_direction (GstWebRTCRTPTransceiverDirection offered,
                           GstWebRTCRTPTransceiverDirection local);

G_END_DECLS
