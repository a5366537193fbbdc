/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Setting a description as a value: https://w3c.github.io/webrtc-pc/#set-description
 * turned into prepare (state, description, source) -> plan | error.
 *
 * The state is a snapshot of what a peer connection knows (signaling
 * state, the four description slots, the transceivers' models, the
 * transports); the plan says everything the element then does: the new
 * signaling state and slots, the transceivers it creates, updates or
 * removes, the transports it creates, changes and removes, the DTLS roles
 * and remote ICE credentials, the receive routing tables, SCTP. Preparing
 * may fail and changes nothing; the caller then acquires what can fail
 * (ICE streams, sockets), and only then commits the plan, which cannot
 * fail. Nothing here touches an element, a lock or a clock. */

#pragma once

#include "rtcjsep-media.h"
#include "rtcjsep-route.h"
#include "rtcjsep-state.h"

G_BEGIN_DECLS

/* The description in use: the pending one if any, else the current one
 * (W3C localDescription / remoteDescription). */
static inline GstWebRTCSessionDescription *
rtc_jsep_desc_in_use (GstWebRTCSessionDescription * pending,
    GstWebRTCSessionDescription * current)
{
  return pending ? pending : current;
}

/* Its SDP, or NULL. */
static inline const GstSDPMessage *
rtc_jsep_sdp_in_use (const GstWebRTCSessionDescription * pending,
    const GstWebRTCSessionDescription * current)
{
  return pending ? pending->sdp : current ? current->sdp : NULL;
}

/* One transceiver (or the data channel section, kind APPLICATION). Its
 * id is its index in RtcJsepState.transceivers. */
typedef struct
{
  const RtcJsepMedia *media;
  GstWebRTCRTPTransceiverDirection current_direction;
  /* created by the pending remote offer: a rollback removes it */
  gboolean created_by_offer;
} RtcJsepStateTransceiver;

/* One ICE+DTLS transport as it is now. */
typedef struct
{
  const gchar *tag;
  /* the remote ICE credentials it uses (NULL: none yet) */
  const gchar *remote_ufrag;
  const gchar *remote_pwd;
  const gchar *remote_fingerprint;
  /* the local ICE credentials its stream uses (NULL: not known, no local
   * restart is detected then) */
  const gchar *local_ufrag;
  const gchar *local_pwd;
  gboolean gathering;           /* local candidates gathered or gathering */
  gboolean dtls_started;
  gboolean dtls_client;         /* the role, once started */
  gboolean dtls_connected;
} RtcJsepStateTransport;

typedef struct
{
  GstWebRTCSignalingState signaling_state;
  const GstWebRTCSessionDescription *current_local;
  const GstWebRTCSessionDescription *pending_local;
  const GstWebRTCSessionDescription *current_remote;
  const GstWebRTCSessionDescription *pending_remote;
  const RtcJsepStateTransceiver *transceivers;
  guint n_transceivers;
  const RtcJsepStateTransport *transports;
  guint n_transports;
  GstWebRTCBundlePolicy bundle_policy;
  /* the SCTP association runs, on the transport @sctp_tag */
  gboolean sctp_running;
  const gchar *sctp_tag;
  /* our side of a data section a remote offer brings */
  guint local_sctp_port;
  guint local_max_message_size;
  /* the a=msid stream of our tracks that name none */
  const gchar *session_stream_id;
  /* restart-ice was called and no local description restarted ICE yet
   * (W3C [[LocalIceCredentialsToReplace]] not empty) */
  gboolean ice_restart_requested;
} RtcJsepState;

/* Where a description slot's value comes from after commit. */
typedef enum
{
  RTC_JSEP_SLOT_KEEP,
  RTC_JSEP_SLOT_CLEAR,
  RTC_JSEP_SLOT_NEW,            /* the description being set */
  RTC_JSEP_SLOT_PENDING_LOCAL,  /* the pending local one moves here */
  RTC_JSEP_SLOT_PENDING_REMOTE,
} RtcJsepSlot;

typedef struct
{
  guint id;                     /* state index; >= n_transceivers if new */
  RtcJsepMedia *media;          /* the model after commit (owned) */
  gboolean created;             /* for a remote offer's m-line */
  gboolean removed;             /* by a rollback */
  gboolean media_changed;       /* mid, mline (or more) to write back */
  gboolean current_direction_changed;
  GstWebRTCRTPTransceiverDirection current_direction;
} RtcJsepPlanTransceiver;

typedef struct
{
  gchar *tag;
  GArray *mlines;               /* guint: the m-lines it carries */
  gint mline;                   /* the m-line its candidates are signalled on */
  gboolean create;
  gboolean remove;              /* the rest is unset then */
  gboolean gather;              /* the local description names it first now */
  /* ICE restart (RFC 8445 section 9, RFC 8839 section 4.4.1.1.1): the
   * local description brings other credentials than its stream uses:
   * restart the stream with these (the remote credentials and candidates
   * are forgotten then, and set again below when the remote description
   * already has the new generation's) */
  gboolean local_ice_restart;
  gchar *local_ufrag;
  gchar *local_pwd;
  /* remote ICE credentials to (re)set, with the description's candidates
   * for its m-lines ("candidate:..." strings) */
  gboolean set_remote_credentials;
  /* The ICE credentials changed: the remote ones differ from those set
   * before (remote_ufrag/pwd say the new ones). When a remote offer
   * restarts, set_remote_credentials is FALSE: the stream keeps the old
   * generation until our answer restarts it with new local credentials
   * (JSEP 5.3.1 / RFC 8839 section 4.4.1.1.2: the answer must change
   * them too), and remote_restart_pending says so. */
  gboolean ice_restart;
  gboolean remote_restart_pending;
  gchar *remote_ufrag;
  gchar *remote_pwd;
  GPtrArray *remote_candidates;
  gboolean end_of_candidates;
  gchar *remote_fingerprint;
  gboolean fingerprint_changed; /* a started DTLS gets the new one */
  gboolean start_dtls;
  gboolean dtls_client;         /* the role (kept once DTLS started) */
  RtcJsepRoutes *routes;        /* owned; NULL: no remote to route by */
} RtcJsepPlanTransport;

typedef struct
{
  gchar *tag;                   /* its transport */
  guint16 remote_port;          /* a=sctp-port, 5000 when absent */
  guint64 remote_max_message_size; /* G_MAXSIZE: no limit */
  guint remote_max_packet;      /* a=x-rtcpeer-sctp-max-packet, 0 absent */
} RtcJsepSctpParams;

typedef struct
{
  GstWebRTCSignalingState signaling_state;
  gboolean signaling_state_changed;
  RtcJsepSlot current_local, pending_local, current_remote, pending_remote;
  gboolean local_changed, remote_changed;
  /* every transceiver of the state plus the new ones, in id order */
  GPtrArray *transceivers;      /* RtcJsepPlanTransceiver */
  /* every transport after commit, and those to remove (remove set) */
  GPtrArray *transports;        /* RtcJsepPlanTransport */
  /* RFC 8445 section 6.1.1: the offerer controls; used when the ICE
   * agent is created */
  gboolean ice_controlling;
  gboolean sctp_stop;
  gboolean sctp_start;          /* DTLS already runs on its transport */
  RtcJsepSctpParams sctp;       /* tag NULL unless sctp_start */
  /* msid stream ids the remote starts or stops sending (g_free) */
  GPtrArray *streams_added;
  GPtrArray *streams_removed;
} RtcJsepPlan;

/* @desc is not taken (the plan refers to it only through the slots).
 * Errors: RTC_JSEP_ERROR with the codes of rtc_jsep_next_signaling_state,
 * rtc_jsep_validate_description and rtc_jsep_associate_remote, and
 * _INVALID_MODIFICATION for an answer whose m-line count differs from
 * its offer's or one whose BUNDLE group names a mid it does not have. */
RtcJsepPlan  *rtc_jsep_plan_prepare (const RtcJsepState * state,
                                     const GstWebRTCSessionDescription * desc,
                                     RtcSdpSource source, GError ** error);
void          rtc_jsep_plan_free    (RtcJsepPlan * plan);

/* The transceiver of plan entry @id, NULL when out of range. */
const RtcJsepPlanTransceiver *rtc_jsep_plan_get_transceiver (const RtcJsepPlan * plan,
                                                            guint id);
const RtcJsepPlanTransport   *rtc_jsep_plan_get_transport (const RtcJsepPlan * plan,
                                                          const gchar * tag);

/* The description a slot holds after commit. */
const GstWebRTCSessionDescription *rtc_jsep_plan_slot_value (const RtcJsepState * state,
                                       const GstWebRTCSessionDescription * desc,
                                       RtcJsepSlot slot,
                                       const GstWebRTCSessionDescription * before);

/* https://w3c.github.io/webrtc-pc/#dfn-check-if-negotiation-is-needed
 * Why negotiation is needed, one value per step of the spec that says so
 * (RTC_NEGOTIATION_NOT_NEEDED: none does). Only meaningful in stable. */
typedef enum
{
  RTC_NEGOTIATION_NOT_NEEDED,
  RTC_NEGOTIATION_DATA_CHANNEL,         /* step 4: no m=application yet */
  RTC_NEGOTIATION_NO_MID,               /* 5.2: not in a description yet */
  RTC_NEGOTIATION_MSID,                 /* 5.3.1: sends in another stream */
  RTC_NEGOTIATION_OFFER_DIRECTION,      /* 5.3.2 */
  RTC_NEGOTIATION_ANSWER_DIRECTION,     /* 5.3.3 */
  RTC_NEGOTIATION_STOPPED,              /* 5.4: stopped, not rejected */
  RTC_NEGOTIATION_ICE_RESTART,          /* 3: restart-ice was called */
} RtcNegotiationReason;

/* @index: the transceiver (state index) that needs it, when one does. A
 * transceiver without codecs and without mid cannot be described yet and
 * does not count (its caps ask again when they come). */
RtcNegotiationReason rtc_jsep_negotiation_needed (const RtcJsepState * state,
                                                  guint * index);
const gchar  *rtc_negotiation_reason_to_string (RtcNegotiationReason reason);

/* [[CurrentDirection]] from an answer's section, seen from here: a local
 * answer's own direction, the reverse of a remote one's; a rejected
 * section is inactive. */
GstWebRTCRTPTransceiverDirection
rtc_jsep_current_direction (const GstSDPMessage * answer, guint mline,
                            RtcSdpSource answer_source);

/* Whether the data section @mline is negotiated on transport @tag in
 * @local / @remote, and the remote's SCTP parameters (RFC 8841 sections
 * 5 and 6; params->tag is not set). */
gboolean      rtc_jsep_sctp_params (const GstSDPMessage * local,
                                    const GstSDPMessage * remote, gint mline,
                                    const gchar * tag,
                                    RtcJsepSctpParams * params);

/* Appends a remote candidate (a=candidate value with or without
 * "a=" / "candidate:"; "" is end-of-candidates, added once) to m-line
 * @mline of @sdp, as the W3C remote descriptions keep them. Errors
 * (RTC_JSEP_ERROR_INVALID_SDP): no such m-line, a malformed candidate,
 * more than RTC_JSEP_MAX_CANDIDATES on the m-line. */
gboolean      rtc_jsep_sdp_add_candidate (GstSDPMessage * sdp, guint mline,
                                          const gchar * candidate,
                                          GError ** error);

G_END_DECLS
