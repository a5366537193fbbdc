/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* A remote description through the set-description planner
 * (rtcjsep-plan.c), as rtcpeerbin sets it: as a remote offer (then our
 * answer to it, which the planner has to accept, and the same offer
 * again as a renegotiation, and a rollback), and as a remote answer to
 * our offer. Errors are RTC_JSEP_ERROR; nothing else may happen. The
 * peer model is the unit tests' (tests/unit/jsep/plan-peer.c). */

#include "fuzz-common.h"
#include "../../unit/jsep/plan-peer.h"
#include "jsep/rtcjsep-validate.h"

#define OPUS_CAPS "application/x-rtp,media=audio,encoding-name=OPUS," \
  "payload=111,clock-rate=48000,encoding-params=(string)2"
#define VP8_CAPS "application/x-rtp,media=video,encoding-name=VP8," \
  "payload=96,clock-rate=90000,rtx-payload=97"

static TestPeer *
new_peer (void)
{
  TestPeer *p = test_peer_new (GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE);

  test_peer_add (p, OPUS_CAPS, GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV);
  test_peer_add (p, VP8_CAPS, GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV);
  test_peer_add (p, NULL, GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV);
  return p;
}

/* TRUE when set; an error must be ours and readable. */
static gboolean
try_set (TestPeer * p, RtcSdpSource source,
    const GstWebRTCSessionDescription * d)
{
  GError *error = NULL;
  RtcJsepPlan *plan = test_peer_set (p, source, d, &error);

  if (plan) {
    rtc_jsep_plan_free (plan);
    return TRUE;
  }
  g_assert (error != NULL && error->domain == RTC_JSEP_ERROR);
  g_assert (g_utf8_validate (error->message, -1, NULL));
  g_error_free (error);
  return FALSE;
}

static void
as_offer (GstWebRTCSessionDescription * offer)
{
  TestPeer *b = new_peer ();
  GstWebRTCSessionDescription *rollback = test_rollback ();

  if (try_set (b, RTC_SDP_SOURCE_REMOTE, offer)) {
    GError *error = NULL;
    GstSDPMessage *sdp = rtc_jsep_build_answer_full (&b->session,
        b->pr->sdp, b->medias, NULL, NULL, &error);

    if (sdp) {
      GstWebRTCSessionDescription *answer =
          gst_webrtc_session_description_new (GST_WEBRTC_SDP_TYPE_ANSWER,
          sdp);

      if (!try_set (b, RTC_SDP_SOURCE_LOCAL, answer))
        g_error ("the planner refuses our own answer");
      gst_webrtc_session_description_free (answer);
      /* the same offer again, as a renegotiation, then rolled back */
      if (try_set (b, RTC_SDP_SOURCE_REMOTE, offer))
        g_assert (try_set (b, RTC_SDP_SOURCE_REMOTE, rollback));
    } else {
      g_assert (error->domain == RTC_JSEP_ERROR);
      g_error_free (error);
      g_assert (try_set (b, RTC_SDP_SOURCE_REMOTE, rollback));
      g_assert (b->transports->len == 0);
    }
  }
  gst_webrtc_session_description_free (rollback);
  test_peer_free (b);
}

static void
as_answer (GstWebRTCSessionDescription * answer)
{
  TestPeer *a = new_peer ();
  GstWebRTCSessionDescription *offer = test_peer_offer (a);

  g_assert (try_set (a, RTC_SDP_SOURCE_LOCAL, offer));
  answer->type = GST_WEBRTC_SDP_TYPE_ANSWER;
  try_set (a, RTC_SDP_SOURCE_REMOTE, answer);
  gst_webrtc_session_description_free (offer);
  test_peer_free (a);
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  GstWebRTCSessionDescription *desc;
  gchar *text;

  rtc_fuzz_init ();
  text = rtc_fuzz_strndup (data, size);
  desc = rtc_jsep_parse_description (GST_WEBRTC_SDP_TYPE_OFFER, text, NULL);
  g_free (text);
  if (!desc)
    return 0;
  as_offer (desc);
  as_answer (desc);
  gst_webrtc_session_description_free (desc);
  return 0;
}
