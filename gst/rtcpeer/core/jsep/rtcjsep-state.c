/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The signaling-state machine as one pure function, after Pion's
 * checkNextSignalingState (signalingstate.go): one comment per legal edge,
 * everything else an error that says what is pending.
 *
 * Sources:
 *  - JSEP, https://www.rfc-editor.org/rfc/rfc8829#section-3.2 (diagram),
 *    sections 5.5 / 5.6 (which type is legal in which state) and 5.7
 *    (rollback).
 *  - W3C, https://w3c.github.io/webrtc-pc/#set-description, which is
 *    stricter than JSEP on one point: a rollback in have-local-pranswer or
 *    have-remote-pranswer is an InvalidStateError
 *    (https://github.com/w3c/webrtc-pc/issues/2235). We follow W3C since
 *    that is the API rtcpeerbin mirrors.
 *
 * Rollback may come from either source: JSEP 5.7 says "The effect of
 * rollback MUST be the same regardless of whether setLocalDescription or
 * setRemoteDescription is called", and W3C does not restrict it either.
 *
 * W3C's implicit rollback (setRemoteDescription(offer) in have-local-offer,
 * https://w3c.github.io/webrtc-pc/#set-the-session-description step
 * "If description.type is "offer" and is invalid for the current
 * signaling state, run ... rollback") is a two-step operation for the
 * caller: a local rollback, then the remote offer. This table only says
 * that the offer alone is illegal in have-local-offer. */

#include "rtcjsep-state.h"
#include "rtcsdputil.h"

const gchar *
rtc_sdp_source_to_string (RtcSdpSource source)
{
  switch (source) {
    case RTC_SDP_SOURCE_LOCAL:
      return "local";
    case RTC_SDP_SOURCE_REMOTE:
      return "remote";
  }
  return "unknown";
}

const gchar *
rtc_signaling_state_to_string (GstWebRTCSignalingState state)
{
  /* The W3C RTCSignalingState names, which are also the GEnum nicks. */
  switch (state) {
    case GST_WEBRTC_SIGNALING_STATE_STABLE:
      return "stable";
    case GST_WEBRTC_SIGNALING_STATE_CLOSED:
      return "closed";
    case GST_WEBRTC_SIGNALING_STATE_HAVE_LOCAL_OFFER:
      return "have-local-offer";
    case GST_WEBRTC_SIGNALING_STATE_HAVE_REMOTE_OFFER:
      return "have-remote-offer";
    case GST_WEBRTC_SIGNALING_STATE_HAVE_LOCAL_PRANSWER:
      return "have-local-pranswer";
    case GST_WEBRTC_SIGNALING_STATE_HAVE_REMOTE_PRANSWER:
      return "have-remote-pranswer";
  }
  return "unknown";
}

const gchar *
rtc_sdp_type_to_string (GstWebRTCSDPType type)
{
  /* gst_webrtc_sdp_type_to_string() has no answer for values outside the
   * enum, and those do reach us from applications. */
  switch (type) {
    case GST_WEBRTC_SDP_TYPE_OFFER:
      return "offer";
    case GST_WEBRTC_SDP_TYPE_PRANSWER:
      return "pranswer";
    case GST_WEBRTC_SDP_TYPE_ANSWER:
      return "answer";
    case GST_WEBRTC_SDP_TYPE_ROLLBACK:
      return "rollback";
  }
  return NULL;
}

/* Why nothing but the legal edges works in @state, for the error text. */
static const gchar *
state_hint (GstWebRTCSignalingState state)
{
  switch (state) {
    case GST_WEBRTC_SIGNALING_STATE_STABLE:
      return "no offer is pending; only a local or remote offer can be set";
    case GST_WEBRTC_SIGNALING_STATE_HAVE_LOCAL_OFFER:
      return "a local offer is pending; set the remote answer or pranswer, "
          "a new local offer, or roll back";
    case GST_WEBRTC_SIGNALING_STATE_HAVE_REMOTE_OFFER:
      return "a remote offer is pending; set the local answer or pranswer, "
          "a new remote offer, or roll back";
    case GST_WEBRTC_SIGNALING_STATE_HAVE_LOCAL_PRANSWER:
      return "a local pranswer was given; only a local answer or pranswer "
          "can follow, and a pranswer cannot be rolled back";
    case GST_WEBRTC_SIGNALING_STATE_HAVE_REMOTE_PRANSWER:
      return "a remote pranswer was received; only a remote answer or "
          "pranswer can follow, and a pranswer cannot be rolled back";
    case GST_WEBRTC_SIGNALING_STATE_CLOSED:
      return "the connection is closed";
  }
  return "unknown state";
}

gboolean
rtc_jsep_next_signaling_state (GstWebRTCSignalingState current,
    RtcSdpSource source, GstWebRTCSDPType type,
    GstWebRTCSignalingState * next, GError ** error)
{
  const gboolean local = source == RTC_SDP_SOURCE_LOCAL;
  GstWebRTCSignalingState to = current;
  gboolean ok = FALSE;

  if (rtc_sdp_type_to_string (type) == NULL) {
    g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP,
        "Unknown session description type %d (expected offer, pranswer, "
        "answer or rollback)", (gint) type);
    return FALSE;
  }
  if (source != RTC_SDP_SOURCE_LOCAL && source != RTC_SDP_SOURCE_REMOTE) {
    g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INTERNAL,
        "Unknown description source %d", (gint) source);
    return FALSE;
  }

  switch (current) {
    case GST_WEBRTC_SIGNALING_STATE_STABLE:
      switch (type) {
        case GST_WEBRTC_SDP_TYPE_OFFER:
          /* stable->SetLocal(offer)->have-local-offer */
          /* stable->SetRemote(offer)->have-remote-offer */
          to = local ? GST_WEBRTC_SIGNALING_STATE_HAVE_LOCAL_OFFER :
              GST_WEBRTC_SIGNALING_STATE_HAVE_REMOTE_OFFER;
          ok = TRUE;
          break;
        default:
          /* Answers need an offer; there is nothing to roll back
           * (JSEP 5.7: "If a rollback is attempted in the "stable" state,
           * processing MUST stop and an error MUST be returned"). */
          break;
      }
      break;

    case GST_WEBRTC_SIGNALING_STATE_HAVE_LOCAL_OFFER:
      switch (type) {
        case GST_WEBRTC_SDP_TYPE_OFFER:
          /* have-local-offer->SetLocal(offer)->have-local-offer */
          if (local) {
            ok = TRUE;
          }
          /* A remote offer here is glare; the caller rolls back first. */
          break;
        case GST_WEBRTC_SDP_TYPE_PRANSWER:
          /* have-local-offer->SetRemote(pranswer)->have-remote-pranswer */
          if (!local) {
            to = GST_WEBRTC_SIGNALING_STATE_HAVE_REMOTE_PRANSWER;
            ok = TRUE;
          }
          break;
        case GST_WEBRTC_SDP_TYPE_ANSWER:
          /* have-local-offer->SetRemote(answer)->stable */
          if (!local) {
            to = GST_WEBRTC_SIGNALING_STATE_STABLE;
            ok = TRUE;
          }
          break;
        case GST_WEBRTC_SDP_TYPE_ROLLBACK:
          /* have-local-offer->SetLocal(rollback)->stable */
          /* have-local-offer->SetRemote(rollback)->stable */
          to = GST_WEBRTC_SIGNALING_STATE_STABLE;
          ok = TRUE;
          break;
      }
      break;

    case GST_WEBRTC_SIGNALING_STATE_HAVE_REMOTE_OFFER:
      switch (type) {
        case GST_WEBRTC_SDP_TYPE_OFFER:
          /* have-remote-offer->SetRemote(offer)->have-remote-offer */
          if (!local)
            ok = TRUE;
          break;
        case GST_WEBRTC_SDP_TYPE_PRANSWER:
          /* have-remote-offer->SetLocal(pranswer)->have-local-pranswer */
          if (local) {
            to = GST_WEBRTC_SIGNALING_STATE_HAVE_LOCAL_PRANSWER;
            ok = TRUE;
          }
          break;
        case GST_WEBRTC_SDP_TYPE_ANSWER:
          /* have-remote-offer->SetLocal(answer)->stable */
          if (local) {
            to = GST_WEBRTC_SIGNALING_STATE_STABLE;
            ok = TRUE;
          }
          break;
        case GST_WEBRTC_SDP_TYPE_ROLLBACK:
          /* have-remote-offer->SetLocal(rollback)->stable */
          /* have-remote-offer->SetRemote(rollback)->stable */
          to = GST_WEBRTC_SIGNALING_STATE_STABLE;
          ok = TRUE;
          break;
      }
      break;

    case GST_WEBRTC_SIGNALING_STATE_HAVE_LOCAL_PRANSWER:
      switch (type) {
        case GST_WEBRTC_SDP_TYPE_PRANSWER:
          /* have-local-pranswer->SetLocal(pranswer)->have-local-pranswer */
          if (local)
            ok = TRUE;
          break;
        case GST_WEBRTC_SDP_TYPE_ANSWER:
          /* have-local-pranswer->SetLocal(answer)->stable */
          if (local) {
            to = GST_WEBRTC_SIGNALING_STATE_STABLE;
            ok = TRUE;
          }
          break;
        default:
          /* No offers until the answer is final; no rollback of a
           * pranswer (W3C, see the top of the file). */
          break;
      }
      break;

    case GST_WEBRTC_SIGNALING_STATE_HAVE_REMOTE_PRANSWER:
      switch (type) {
        case GST_WEBRTC_SDP_TYPE_PRANSWER:
          /* have-remote-pranswer->SetRemote(pranswer)->have-remote-pranswer */
          if (!local)
            ok = TRUE;
          break;
        case GST_WEBRTC_SDP_TYPE_ANSWER:
          /* have-remote-pranswer->SetRemote(answer)->stable */
          if (!local) {
            to = GST_WEBRTC_SIGNALING_STATE_STABLE;
            ok = TRUE;
          }
          break;
        default:
          break;
      }
      break;

    case GST_WEBRTC_SIGNALING_STATE_CLOSED:
      /* closed->*->error: https://w3c.github.io/webrtc-pc/#set-description
       * "If connection.[[IsClosed]] is true, ... InvalidStateError". */
      break;

    default:
      g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INTERNAL,
          "Unknown signaling state %d", (gint) current);
      return FALSE;
  }

  if (!ok) {
    g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_STATE,
        "Cannot set %s %s in signaling state '%s' (%s)",
        rtc_sdp_source_to_string (source), rtc_sdp_type_to_string (type),
        rtc_signaling_state_to_string (current), state_hint (current));
    return FALSE;
  }
  if (next)
    *next = to;
  return TRUE;
}
