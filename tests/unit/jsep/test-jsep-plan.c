/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The set-description planner (rtcjsep-plan.c) over whole exchanges: the
 * captured offers and answers of tests/data/sdp as remote offers (answered
 * by our builders and set back) and as remote answers, the malformed
 * corpus, renegotiation (m-lines added, rejected, bundled), ICE restarts,
 * DTLS roles, rollback both ways and SCTP. A TestPeer (plan-peer.c)
 * commits plans the way rtcpeerbin does. */

#include <string.h>

#include "plan-peer.h"
#include "jsep/rtcjsep-validate.h"

#define OPUS_CAPS "application/x-rtp,media=audio,encoding-name=OPUS," \
  "payload=111,clock-rate=48000,encoding-params=(string)2"
#define VP8_CAPS "application/x-rtp,media=video,encoding-name=VP8," \
  "payload=96,clock-rate=90000"
#define H264_CAPS "application/x-rtp,media=video,encoding-name=H264," \
  "payload=103,clock-rate=90000,packetization-mode=(string)1," \
  "profile-level-id=(string)42e01f"

#define SENDRECV GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV
#define RECVONLY GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY
#define SENDONLY GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY

#define LOCAL RTC_SDP_SOURCE_LOCAL
#define REMOTE RTC_SDP_SOURCE_REMOTE

static RtcJsepPlan *
set_ok (TestPeer * p, RtcSdpSource source,
    const GstWebRTCSessionDescription * d)
{
  GError *error = NULL;
  RtcJsepPlan *plan = test_peer_set (p, source, d, &error);

  g_assert_no_error (error);
  g_assert_nonnull (plan);
  return plan;
}

static void
set_and_free (TestPeer * p, RtcSdpSource source,
    const GstWebRTCSessionDescription * d)
{
  rtc_jsep_plan_free (set_ok (p, source, d));
}

static RtcJsepPlan *
rollback (TestPeer * p, RtcSdpSource source)
{
  GstWebRTCSessionDescription *d = test_rollback ();
  RtcJsepPlan *plan = set_ok (p, source, d);

  gst_webrtc_session_description_free (d);
  return plan;
}

static GstWebRTCSessionDescription *
load_desc (const gchar * subdir, const gchar * name, GstWebRTCSDPType type)
{
  gchar *path = test_data_path (subdir, name);
  gchar *text = test_read_text (path);
  GError *error = NULL;
  GstWebRTCSessionDescription *d = rtc_jsep_parse_description (type, text,
      &error);

  g_assert_no_error (error);
  g_free (text);
  g_free (path);
  return d;
}

static guint
count_plan_transports (const RtcJsepPlan * plan, gboolean create,
    gboolean remove)
{
  guint i, n = 0;

  for (i = 0; i < plan->transports->len; i++) {
    const RtcJsepPlanTransport *t = g_ptr_array_index (plan->transports, i);

    n += (create && t->create) || (remove && t->remove);
  }
  return n;
}

/* The distinct transport tags of the accepted sections of a pair. */
static guint
count_tags (const GstSDPMessage * answer, const GstSDPMessage * offer)
{
  GHashTable *tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      NULL);
  guint i, n;

  for (i = 0; i < gst_sdp_message_medias_len (answer); i++)
    if (!rtc_sdp_media_is_rejected (answer, i)
        && !rtc_sdp_media_is_rejected (offer, i))
      g_hash_table_add (tags, rtc_sdp_transport_tag (answer, i));
  n = g_hash_table_size (tags);
  g_hash_table_unref (tags);
  return n;
}

/* ---- the corpus as remote offers ---- */

static void
test_corpus_remote_offer (gconstpointer data)
{
  const gchar *const *where = data;
  GstWebRTCSessionDescription *offer = load_desc (where[0], where[1],
      GST_WEBRTC_SDP_TYPE_OFFER), *answer;
  TestPeer *b = test_peer_new (GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE);
  RtcJsepPlan *plan;
  guint i, n_offer = gst_sdp_message_medias_len (offer->sdp);
  guint n_live = 0;

  plan = set_ok (b, REMOTE, offer);
  g_assert_cmpint (plan->signaling_state, ==,
      GST_WEBRTC_SIGNALING_STATE_HAVE_REMOTE_OFFER);
  g_assert_cmpint (plan->pending_remote, ==, RTC_JSEP_SLOT_NEW);
  g_assert_false (plan->ice_controlling);
  /* A transceiver per accepted section of a kind we know, with its mid. */
  for (i = 0; i < n_offer; i++)
    n_live += !rtc_sdp_media_is_rejected (offer->sdp, i);
  g_assert_cmpuint (plan->transceivers->len, ==, n_live);
  for (i = 0; i < plan->transceivers->len; i++) {
    const RtcJsepPlanTransceiver *t = g_ptr_array_index (plan->transceivers,
        i);

    g_assert_true (t->created);
    g_assert_cmpstr (t->media->mid, ==, rtc_sdp_media_get_mid (offer->sdp,
            t->media->mline));
  }
  /* Transports follow the offer's group; nothing gathers before our
   * answer, and DTLS cannot start before a=setup is known. */
  g_assert_cmpuint (count_plan_transports (plan, TRUE, FALSE), ==,
      count_tags (offer->sdp, offer->sdp));
  for (i = 0; i < plan->transports->len; i++) {
    const RtcJsepPlanTransport *t = g_ptr_array_index (plan->transports, i);

    g_assert_false (t->gather);
    g_assert_false (t->start_dtls);
    g_assert_true (t->set_remote_credentials);
    g_assert_false (t->ice_restart);
    g_assert_cmpstr (t->remote_ufrag, ==,
        rtc_sdp_media_get_ice_ufrag (offer->sdp, t->mline));
    g_assert_nonnull (t->routes);
  }
  rtc_jsep_plan_free (plan);

  answer = test_peer_answer (b);
  plan = set_ok (b, LOCAL, answer);
  g_assert_cmpint (plan->signaling_state, ==,
      GST_WEBRTC_SIGNALING_STATE_STABLE);
  g_assert_cmpint (plan->current_remote, ==, RTC_JSEP_SLOT_PENDING_REMOTE);
  g_assert_cmpint (plan->current_local, ==, RTC_JSEP_SLOT_NEW);
  /* After the answer: one transport per accepted tag, every one
   * gathering, with DTLS started as the client (we answered active). */
  g_assert_cmpuint (b->transports->len, ==, count_tags (answer->sdp,
          offer->sdp));
  for (i = 0; i < plan->transports->len; i++) {
    const RtcJsepPlanTransport *t = g_ptr_array_index (plan->transports, i);

    if (t->remove)
      continue;
    g_assert_true (t->gather);
    g_assert_true (t->start_dtls);
    g_assert_true (t->dtls_client);
    g_assert_false (t->set_remote_credentials);
  }
  /* Current directions are our answer's. */
  for (i = 0; i < plan->transceivers->len; i++) {
    const RtcJsepPlanTransceiver *t = g_ptr_array_index (plan->transceivers,
        i);

    if (t->media->kind == RTC_MEDIA_KIND_APPLICATION)
      continue;
    g_assert_cmpint (t->current_direction, ==,
        rtc_jsep_current_direction (answer->sdp, t->media->mline, LOCAL));
  }
  /* What the offer had and our answer rejected lost its transport. */
  g_assert_cmpuint (b->n_created - b->n_removed, ==, b->transports->len);
  rtc_jsep_plan_free (plan);

  gst_webrtc_session_description_free (answer);
  gst_webrtc_session_description_free (offer);
  test_peer_free (b);
}

/* ---- the corpus as remote answers to our offer ---- */

static gchar *
mids_of (const GstSDPMessage * sdp)
{
  GString *s = g_string_new ("");
  guint i;

  for (i = 0; i < gst_sdp_message_medias_len (sdp); i++)
    g_string_append_printf (s, "%s,", rtc_sdp_media_get_mid (sdp, i));
  return g_string_free (s, FALSE);
}

/* The captured offer the answer answers (same m-lines and mids). */
static GstWebRTCSessionDescription *
offer_for (const GstSDPMessage * answer)
{
  gchar *dir_path = test_data_path (NULL, "");
  GDir *dir = g_dir_open (dir_path, 0, NULL);
  gchar *want = mids_of (answer);
  const gchar *name;
  GstWebRTCSessionDescription *found = NULL;

  while (!found && (name = g_dir_read_name (dir))) {
    GstWebRTCSessionDescription *o;
    gchar *mids;

    if (!g_str_has_suffix (name, "-offer.sdp"))
      continue;
    o = load_desc (NULL, name, GST_WEBRTC_SDP_TYPE_OFFER);
    mids = mids_of (o->sdp);
    if (g_strcmp0 (mids, want) == 0)
      found = o;
    else
      gst_webrtc_session_description_free (o);
    g_free (mids);
  }
  g_dir_close (dir);
  g_free (dir_path);
  g_free (want);
  g_assert_nonnull (found);
  return found;
}

static void
test_corpus_remote_answer (gconstpointer data)
{
  const gchar *const *where = data;
  GstWebRTCSessionDescription *answer = load_desc (where[0], where[1],
      GST_WEBRTC_SDP_TYPE_ANSWER);
  GstWebRTCSessionDescription *offer = offer_for (answer->sdp);
  TestPeer *a = test_peer_new (GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE);
  RtcJsepPlan *plan;
  guint i;

  plan = set_ok (a, LOCAL, offer);
  g_assert_cmpint (plan->signaling_state, ==,
      GST_WEBRTC_SIGNALING_STATE_HAVE_LOCAL_OFFER);
  g_assert_true (plan->ice_controlling);
  g_assert_cmpuint (count_plan_transports (plan, TRUE, FALSE), ==,
      count_tags (offer->sdp, offer->sdp));
  for (i = 0; i < plan->transports->len; i++) {
    const RtcJsepPlanTransport *t = g_ptr_array_index (plan->transports, i);

    /* Our offer names it: gathering starts; no remote yet. */
    g_assert_true (t->gather);
    g_assert_false (t->set_remote_credentials);
    g_assert_null (t->routes);
  }
  rtc_jsep_plan_free (plan);

  plan = set_ok (a, REMOTE, answer);
  g_assert_cmpint (plan->signaling_state, ==,
      GST_WEBRTC_SIGNALING_STATE_STABLE);
  g_assert_cmpint (plan->current_local, ==, RTC_JSEP_SLOT_PENDING_LOCAL);
  g_assert_true (plan->ice_controlling);
  g_assert_cmpuint (a->transports->len, ==, count_tags (answer->sdp,
          offer->sdp));
  for (i = 0; i < plan->transports->len; i++) {
    const RtcJsepPlanTransport *t = g_ptr_array_index (plan->transports, i);

    if (t->remove)
      continue;
    g_assert_true (t->set_remote_credentials);
    g_assert_cmpstr (t->remote_ufrag, ==,
        rtc_sdp_media_get_ice_ufrag (answer->sdp, t->mline));
    g_assert_cmpstr (t->remote_fingerprint, ==,
        rtc_sdp_media_get_fingerprint (answer->sdp, t->mline));
    /* We offered actpass, the answer says active: we are the server. */
    g_assert_true (t->start_dtls);
    g_assert_false (t->dtls_client);
    g_assert_nonnull (t->routes);
  }
  rtc_jsep_plan_free (plan);
  gst_webrtc_session_description_free (answer);
  gst_webrtc_session_description_free (offer);
  test_peer_free (a);
}

/* ---- the malformed corpus ---- */

static void
test_malformed (void)
{
  gchar *dir_path = test_data_path ("malformed", "");
  GDir *dir = g_dir_open (dir_path, 0, NULL);
  const gchar *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir))) {
    gchar *path = test_data_path ("malformed", name);
    gchar *text = test_read_text (path);
    gboolean answer = strstr (name, "-in-answer") != NULL;
    GstWebRTCSDPType type = answer ? GST_WEBRTC_SDP_TYPE_ANSWER :
        GST_WEBRTC_SDP_TYPE_OFFER;
    TestPeer *p = test_peer_new (GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE);
    GstWebRTCSessionDescription *d;
    GstSDPMessage *sdp = NULL;
    GError *error = NULL;
    RtcJsepPlan *plan;

    if (answer) {
      GstWebRTCSessionDescription *o;

      test_peer_add (p, OPUS_CAPS, SENDRECV);
      test_peer_add (p, VP8_CAPS, SENDRECV);
      test_peer_add (p, NULL, SENDRECV);
      o = test_peer_offer (p);
      set_and_free (p, LOCAL, o);
      gst_webrtc_session_description_free (o);
    }
    /* What GstSDP makes of it, as an application that parsed it itself
     * hands it over; text it refuses has no description to plan. */
    if (strlen (text) == 0) {
      /* GstSDP refuses to parse nothing: no description to plan. */
    } else {
      GstWebRTCSignalingState before = p->state;

      g_assert_cmpint (gst_sdp_message_new_from_text (text, &sdp), ==,
          GST_SDP_OK);
      d = gst_webrtc_session_description_new (type, sdp);
      plan = test_peer_set (p, REMOTE, d, &error);
      if (plan)
        g_error ("%s: planned without error", name);
      g_assert_true (error->domain == RTC_JSEP_ERROR);
      g_assert_cmpuint (strlen (error->message), >, 10);
      g_test_message ("%s: %s", name, error->message);
      /* Nothing changed. */
      g_assert_cmpint (p->state, ==, before);
      g_assert_null (p->pr);
      g_clear_error (&error);
      gst_webrtc_session_description_free (d);
      n++;
    }
    test_peer_free (p);
    g_free (text);
    g_free (path);
  }
  g_dir_close (dir);
  g_free (dir_path);
  g_assert_cmpuint (n, >=, 20);
}

/* ---- renegotiation ---- */

static void
renegotiate_add (GstWebRTCBundlePolicy policy, guint expect_transports)
{
  TestPeer *a = test_peer_new (policy), *b = test_peer_new (policy);
  GstWebRTCSessionDescription *offer, *answer;
  RtcJsepPlan *plan;
  const RtcJsepPlanTransport *t;

  test_peer_add (a, OPUS_CAPS, SENDRECV);
  test_negotiate (a, b);
  g_assert_cmpuint (a->transports->len, ==, 1);
  g_assert_cmpuint (b->transports->len, ==, 1);

  test_peer_add (a, VP8_CAPS, SENDRECV);
  offer = test_peer_offer (a);
  plan = set_ok (a, LOCAL, offer);
  /* The new m-line joins the bundle, or gets its own transport. */
  g_assert_cmpuint (count_plan_transports (plan, TRUE, FALSE), ==,
      expect_transports - 1);
  rtc_jsep_plan_free (plan);
  plan = set_ok (b, REMOTE, offer);
  g_assert_cmpuint (count_plan_transports (plan, TRUE, FALSE), ==,
      expect_transports - 1);
  g_assert_cmpuint (plan->transceivers->len, ==, 2);
  g_assert_true (((RtcJsepPlanTransceiver *) g_ptr_array_index
          (plan->transceivers, 1))->created);
  /* Before our answer the new m-line already routes, by the offerer's
   * group: what it sends after our answer finds its transceiver. */
  t = rtc_jsep_plan_get_transport (plan, "0");
  g_assert_nonnull (t->routes);
  g_assert_cmpuint (rtc_jsep_routes_get_mlines (t->routes)->len, ==,
      policy == GST_WEBRTC_BUNDLE_POLICY_NONE ? 1 : 2);
  /* The existing transport keeps its credentials: no restart. */
  g_assert_false (t->set_remote_credentials);
  g_assert_false (t->start_dtls);
  rtc_jsep_plan_free (plan);
  answer = test_peer_answer (b);
  set_and_free (b, LOCAL, answer);
  set_and_free (a, REMOTE, answer);
  g_assert_cmpuint (a->transports->len, ==, expect_transports);
  g_assert_cmpuint (b->transports->len, ==, expect_transports);
  g_assert_cmpuint (a->n_removed + b->n_removed, ==, 0);
  gst_webrtc_session_description_free (offer);
  gst_webrtc_session_description_free (answer);
  test_peer_free (a);
  test_peer_free (b);
}

static void
test_add_mline_bundle (void)
{
  renegotiate_add (GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE, 1);
}

static void
test_add_mline_no_bundle (void)
{
  renegotiate_add (GST_WEBRTC_BUNDLE_POLICY_NONE, 2);
}

/* A stopped transceiver's section is rejected; its transport (alone on
 * it without BUNDLE) goes once the answer is in, not at the offer. */
static void
test_reject_mline_removes_transport (void)
{
  TestPeer *a = test_peer_new (GST_WEBRTC_BUNDLE_POLICY_NONE);
  TestPeer *b = test_peer_new (GST_WEBRTC_BUNDLE_POLICY_NONE);
  GstWebRTCSessionDescription *offer, *answer;
  RtcJsepPlan *plan;
  const RtcJsepPlanTransport *t;
  guint video = 0;

  test_peer_add (a, OPUS_CAPS, SENDRECV);
  video = test_peer_add (a, VP8_CAPS, SENDRECV);
  test_negotiate (a, b);
  g_assert_cmpuint (a->transports->len, ==, 2);
  g_assert_cmpuint (b->transports->len, ==, 2);

  ((RtcJsepMedia *) g_ptr_array_index (a->medias, video))->stopped = TRUE;
  offer = test_peer_offer (a);
  g_assert_true (rtc_sdp_media_is_rejected (offer->sdp, 1));
  plan = set_ok (a, LOCAL, offer);
  g_assert_cmpuint (count_plan_transports (plan, FALSE, TRUE), ==, 0);
  rtc_jsep_plan_free (plan);
  plan = set_ok (b, REMOTE, offer);
  g_assert_cmpuint (count_plan_transports (plan, FALSE, TRUE), ==, 0);
  rtc_jsep_plan_free (plan);
  answer = test_peer_answer (b);
  plan = set_ok (b, LOCAL, answer);
  t = rtc_jsep_plan_get_transport (plan, "1");
  g_assert_nonnull (t);
  g_assert_true (t->remove);
  g_assert_false (rtc_jsep_plan_get_transport (plan, "0")->remove);
  rtc_jsep_plan_free (plan);
  plan = set_ok (a, REMOTE, answer);
  g_assert_true (rtc_jsep_plan_get_transport (plan, "1")->remove);
  /* The stopped transceiver is inactive now. */
  g_assert_cmpint (((RtcJsepPlanTransceiver *) g_ptr_array_index
          (plan->transceivers, video))->current_direction, ==,
      GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_INACTIVE);
  rtc_jsep_plan_free (plan);
  g_assert_cmpuint (a->transports->len, ==, 1);
  g_assert_cmpuint (b->transports->len, ==, 1);
  g_assert_nonnull (test_peer_transport (a, "0"));
  gst_webrtc_session_description_free (offer);
  gst_webrtc_session_description_free (answer);
  test_peer_free (a);
  test_peer_free (b);
}

/* Two transports that a later offer bundles become one. */
static void
test_bundle_change (void)
{
  TestPeer *a = test_peer_new (GST_WEBRTC_BUNDLE_POLICY_NONE);
  TestPeer *b = test_peer_new (GST_WEBRTC_BUNDLE_POLICY_NONE);
  GstWebRTCSessionDescription *offer, *answer;
  RtcJsepPlan *plan;

  test_peer_add (a, OPUS_CAPS, SENDRECV);
  test_peer_add (a, VP8_CAPS, SENDRECV);
  test_negotiate (a, b);
  g_assert_cmpuint (b->transports->len, ==, 2);

  a->session.bundle_policy = GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE;
  offer = test_peer_offer (a);
  set_and_free (a, LOCAL, offer);
  set_and_free (b, REMOTE, offer);
  answer = test_peer_answer (b);
  plan = set_ok (b, LOCAL, answer);
  g_assert_true (rtc_jsep_plan_get_transport (plan, "1")->remove);
  g_assert_cmpuint (rtc_jsep_routes_get_mlines (rtc_jsep_plan_get_transport
          (plan, "0")->routes)->len, ==, 2);
  rtc_jsep_plan_free (plan);
  set_and_free (a, REMOTE, answer);
  g_assert_cmpuint (a->transports->len, ==, 1);
  g_assert_cmpuint (b->transports->len, ==, 1);
  gst_webrtc_session_description_free (offer);
  gst_webrtc_session_description_free (answer);
  test_peer_free (a);
  test_peer_free (b);
}

/* A description whose answer does not bundle what we bundled: each
 * m-line gets its own transport once the answer is in. */
static void
test_answer_unbundles (void)
{
  TestPeer *a = test_peer_new (GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE);
  TestPeer *b = test_peer_new (GST_WEBRTC_BUNDLE_POLICY_NONE);
  GstWebRTCSessionDescription *offer, *answer, *unbundled;
  RtcJsepPlan *plan;

  test_peer_add (a, OPUS_CAPS, SENDRECV);
  test_peer_add (a, VP8_CAPS, SENDRECV);
  offer = test_peer_offer (a);
  set_and_free (a, LOCAL, offer);
  g_assert_cmpuint (a->transports->len, ==, 1);
  set_and_free (b, REMOTE, offer);
  answer = test_peer_answer (b);
  unbundled = test_desc_replace (answer, "a=group:BUNDLE 0 1\r\n", "");
  plan = set_ok (a, REMOTE, unbundled);
  g_assert_cmpuint (count_plan_transports (plan, TRUE, FALSE), ==, 1);
  g_assert_true (rtc_jsep_plan_get_transport (plan, "1")->start_dtls);
  rtc_jsep_plan_free (plan);
  g_assert_cmpuint (a->transports->len, ==, 2);
  gst_webrtc_session_description_free (offer);
  gst_webrtc_session_description_free (answer);
  gst_webrtc_session_description_free (unbundled);
  test_peer_free (a);
  test_peer_free (b);
}

/* An answer may not bundle what the offer did not. */
static void
test_answer_bundle_not_offered (void)
{
  TestPeer *a = test_peer_new (GST_WEBRTC_BUNDLE_POLICY_NONE);
  TestPeer *b = test_peer_new (GST_WEBRTC_BUNDLE_POLICY_NONE);
  GstWebRTCSessionDescription *offer, *answer, *bundled;
  GError *error = NULL;
  gchar *text;

  test_peer_add (a, OPUS_CAPS, SENDRECV);
  test_peer_add (a, VP8_CAPS, SENDRECV);
  offer = test_peer_offer (a);
  set_and_free (a, LOCAL, offer);
  set_and_free (b, REMOTE, offer);
  answer = test_peer_answer (b);
  text = gst_sdp_message_as_text (answer->sdp);
  {
    gchar **parts = g_strsplit (text, "t=0 0\r\n", 2);
    gchar *t2 = g_strjoinv ("t=0 0\r\na=group:BUNDLE 0 1\r\n", parts);

    g_strfreev (parts);

    bundled = test_desc_from_text (GST_WEBRTC_SDP_TYPE_ANSWER, t2);
    g_free (t2);
  }
  g_assert_null (test_peer_set (a, REMOTE, bundled, &error));
  g_assert_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_MODIFICATION);
  g_assert_nonnull (strstr (error->message, "BUNDLE"));
  g_assert_cmpint (a->state, ==, GST_WEBRTC_SIGNALING_STATE_HAVE_LOCAL_OFFER);
  g_clear_error (&error);
  g_free (text);
  gst_webrtc_session_description_free (offer);
  gst_webrtc_session_description_free (answer);
  gst_webrtc_session_description_free (bundled);
  test_peer_free (a);
  test_peer_free (b);
}

static void
test_answer_mline_count (void)
{
  TestPeer *a = test_peer_new (GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE);
  TestPeer *c = test_peer_new (GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE);
  GstWebRTCSessionDescription *offer, *other, *c_offer;
  GError *error = NULL;

  test_peer_add (a, OPUS_CAPS, SENDRECV);
  offer = test_peer_offer (a);
  set_and_free (a, LOCAL, offer);
  test_peer_add (c, OPUS_CAPS, SENDRECV);
  test_peer_add (c, VP8_CAPS, SENDRECV);
  c_offer = test_peer_offer (c);
  other = test_desc_replace (c_offer, "actpass", "active");
  gst_webrtc_session_description_free (c_offer);
  other->type = GST_WEBRTC_SDP_TYPE_ANSWER;
  g_assert_null (test_peer_set (a, REMOTE, other, &error));
  g_assert_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_MODIFICATION);
  g_assert_nonnull (strstr (error->message, "m-lines"));
  g_clear_error (&error);
  gst_webrtc_session_description_free (offer);
  gst_webrtc_session_description_free (other);
  test_peer_free (a);
  test_peer_free (c);
}

/* ---- ICE restart ---- */

static void
test_ice_restart (void)
{
  TestPeer *a = test_peer_new (GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE);
  TestPeer *b = test_peer_new (GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE);
  GstWebRTCSessionDescription *offer, *answer;
  const RtcJsepPlanTransport *t;
  RtcJsepPlan *plan;

  test_peer_add (a, OPUS_CAPS, SENDRECV);
  test_negotiate (a, b);
  g_assert_cmpstr (test_peer_transport (b, "0")->remote_ufrag, ==,
      TEST_UFRAG);

  /* Same credentials: nothing to do on the ICE side. */
  offer = test_peer_offer (a);
  plan = set_ok (b, REMOTE, offer);
  t = rtc_jsep_plan_get_transport (plan, "0");
  g_assert_false (t->set_remote_credentials);
  g_assert_false (t->ice_restart);
  rtc_jsep_plan_free (plan);
  rtc_jsep_plan_free (rollback (b, REMOTE));
  gst_webrtc_session_description_free (offer);

  /* New ones: a restart, with the description's candidates. */
  g_free (a->session.ice_ufrag);
  g_free (a->session.ice_pwd);
  a->session.ice_ufrag = g_strdup ("NeW1");
  a->session.ice_pwd = g_strdup ("bmV3cGFzc3dvcmRmb3JpY2Vy");
  offer = test_peer_offer (a);
  {
    GstSDPMedia *m = (GstSDPMedia *) gst_sdp_message_get_media (offer->sdp,
        0);

    gst_sdp_media_add_attribute (m, "candidate",
        "1 1 UDP 2122252543 127.0.0.1 40000 typ host");
    gst_sdp_media_add_attribute (m, "end-of-candidates", "");
  }
  /* the offerer's stream restarts with them when it sets its offer */
  plan = set_ok (a, LOCAL, offer);
  t = rtc_jsep_plan_get_transport (plan, "0");
  g_assert_true (t->local_ice_restart);
  g_assert_cmpstr (t->local_ufrag, ==, "NeW1");
  g_assert_cmpstr (t->local_pwd, ==, "bmV3cGFzc3dvcmRmb3JpY2Vy");
  /* the answer brings the peer's new ones */
  g_assert_false (t->set_remote_credentials);
  g_assert_false (t->start_dtls);
  rtc_jsep_plan_free (plan);
  g_assert_cmpuint (test_peer_transport (a, "0")->local_restarts, ==, 1);

  plan = set_ok (b, REMOTE, offer);
  t = rtc_jsep_plan_get_transport (plan, "0");
  /* "ICE credentials changed": a restart by the remote, which waits for
   * our answer (and our own new credentials) to reach the stream */
  g_assert_true (t->ice_restart);
  g_assert_true (t->remote_restart_pending);
  g_assert_false (t->set_remote_credentials);
  g_assert_false (t->local_ice_restart);
  g_assert_cmpstr (t->remote_ufrag, ==, "NeW1");
  g_assert_cmpstr (t->remote_pwd, ==, "bmV3cGFzc3dvcmRmb3JpY2Vy");
  /* DTLS goes on as it was. */
  g_assert_false (t->start_dtls);
  g_assert_false (t->fingerprint_changed);
  rtc_jsep_plan_free (plan);
  g_assert_cmpuint (test_peer_transport (b, "0")->restarts, ==, 1);
  /* the old generation still runs */
  g_assert_cmpstr (test_peer_transport (b, "0")->remote_ufrag, ==,
      TEST_UFRAG);
  gst_webrtc_session_description_free (offer);

  /* JSEP 5.3.1: the answer has new credentials; setting it restarts the
   * stream with them and gives it the offer's, with its candidates */
  answer = test_peer_answer (b);
  g_assert_cmpstr (rtc_sdp_media_get_ice_ufrag (answer->sdp, 0), ==,
      TEST_RESTART_UFRAG);
  plan = set_ok (b, LOCAL, answer);
  t = rtc_jsep_plan_get_transport (plan, "0");
  g_assert_true (t->local_ice_restart);
  g_assert_cmpstr (t->local_ufrag, ==, TEST_RESTART_UFRAG);
  g_assert_true (t->set_remote_credentials);
  g_assert_cmpstr (t->remote_ufrag, ==, "NeW1");
  g_assert_cmpuint (t->remote_candidates->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (t->remote_candidates, 0), ==,
      "candidate:1 1 UDP 2122252543 127.0.0.1 40000 typ host");
  g_assert_true (t->end_of_candidates);
  g_assert_false (t->start_dtls);
  rtc_jsep_plan_free (plan);
  g_assert_cmpuint (test_peer_transport (b, "0")->local_restarts, ==, 1);

  /* the offerer takes the answer's credentials as the first of the new
   * generation */
  plan = set_ok (a, REMOTE, answer);
  t = rtc_jsep_plan_get_transport (plan, "0");
  g_assert_true (t->set_remote_credentials);
  g_assert_false (t->remote_restart_pending);
  g_assert_false (t->local_ice_restart);
  g_assert_cmpstr (t->remote_ufrag, ==, TEST_RESTART_UFRAG);
  g_assert_false (t->start_dtls);
  rtc_jsep_plan_free (plan);
  gst_webrtc_session_description_free (answer);

  /* nothing more to restart on either side */
  offer = test_peer_offer (a);
  plan = set_ok (a, LOCAL, offer);
  t = rtc_jsep_plan_get_transport (plan, "0");
  g_assert_false (t->local_ice_restart);
  rtc_jsep_plan_free (plan);
  plan = set_ok (b, REMOTE, offer);
  t = rtc_jsep_plan_get_transport (plan, "0");
  g_assert_false (t->ice_restart);
  g_assert_false (t->remote_restart_pending);
  g_assert_false (t->set_remote_credentials);
  rtc_jsep_plan_free (plan);
  gst_webrtc_session_description_free (offer);
  test_peer_free (a);
  test_peer_free (b);
}

/* W3C restartIce(): negotiation is needed once something was negotiated */
static void
test_ice_restart_negotiation_needed (void)
{
  TestPeer *a = test_peer_new (GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE);
  TestPeer *b = test_peer_new (GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE);
  RtcJsepState state;
  guint index = 0;

  test_peer_add (a, OPUS_CAPS, SENDRECV);
  state = test_peer_state (a);
  state.ice_restart_requested = TRUE;
  /* nothing to restart before the first negotiation */
  g_assert_cmpint (rtc_jsep_negotiation_needed (&state, &index), !=,
      RTC_NEGOTIATION_ICE_RESTART);
  test_negotiate (a, b);
  state = test_peer_state (a);
  g_assert_cmpint (rtc_jsep_negotiation_needed (&state, &index), ==,
      RTC_NEGOTIATION_NOT_NEEDED);
  state.ice_restart_requested = TRUE;
  g_assert_cmpint (rtc_jsep_negotiation_needed (&state, &index), ==,
      RTC_NEGOTIATION_ICE_RESTART);
  test_peer_free (a);
  test_peer_free (b);
}

/* ---- DTLS roles ---- */

static void
test_dtls_roles (void)
{
  TestPeer *a = test_peer_new (GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE);
  TestPeer *b = test_peer_new (GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE);
  GstWebRTCSessionDescription *offer, *answer, *flipped;
  RtcJsepPlan *plan;
  const RtcJsepPlanTransport *t;

  test_peer_add (a, OPUS_CAPS, SENDRECV);
  test_negotiate (a, b);
  /* The answerer said active: it is the client, the offerer the server. */
  g_assert_true (test_peer_transport (b, "0")->dtls_client);
  g_assert_false (test_peer_transport (a, "0")->dtls_client);
  test_peer_transport (a, "0")->dtls_connected = TRUE;
  test_peer_transport (b, "0")->dtls_connected = TRUE;

  /* b offers now: a answers passive to keep the association's roles
   * (RFC 8842 section 5.5) and nothing restarts on either side. */
  test_peer_add (b, VP8_CAPS, SENDRECV);
  offer = test_peer_offer (b);
  set_and_free (b, LOCAL, offer);
  set_and_free (a, REMOTE, offer);
  answer = test_peer_answer (a);
  g_assert_cmpint (rtc_sdp_media_get_setup (answer->sdp, 0), ==,
      GST_WEBRTC_DTLS_SETUP_PASSIVE);
  plan = set_ok (a, LOCAL, answer);
  t = rtc_jsep_plan_get_transport (plan, "0");
  g_assert_false (t->start_dtls);
  g_assert_false (t->dtls_client);
  g_assert_false (t->fingerprint_changed);
  rtc_jsep_plan_free (plan);
  plan = set_ok (b, REMOTE, answer);
  t = rtc_jsep_plan_get_transport (plan, "0");
  g_assert_false (t->start_dtls);
  g_assert_true (t->dtls_client);
  rtc_jsep_plan_free (plan);
  gst_webrtc_session_description_free (offer);
  gst_webrtc_session_description_free (answer);

  /* An answer that would swap the roles does not: the association
   * keeps the one it has. */
  offer = test_peer_offer (a);
  set_and_free (a, LOCAL, offer);
  set_and_free (b, REMOTE, offer);
  answer = test_peer_answer (b);
  g_assert_cmpint (rtc_sdp_media_get_setup (answer->sdp, 0), ==,
      GST_WEBRTC_DTLS_SETUP_ACTIVE);
  flipped = test_desc_replace (answer, "a=setup:active", "a=setup:passive");
  plan = set_ok (a, REMOTE, flipped);
  t = rtc_jsep_plan_get_transport (plan, "0");
  g_assert_false (t->start_dtls);
  g_assert_false (t->dtls_client);
  rtc_jsep_plan_free (plan);
  gst_webrtc_session_description_free (offer);
  gst_webrtc_session_description_free (answer);
  gst_webrtc_session_description_free (flipped);
  test_peer_free (a);
  test_peer_free (b);
}

/* A first answer that says passive makes the offerer the client. */
static void
test_dtls_passive_answer (void)
{
  TestPeer *a = test_peer_new (GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE);
  TestPeer *b = test_peer_new (GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE);
  GstWebRTCSessionDescription *offer, *answer, *passive;
  RtcJsepPlan *plan;

  test_peer_add (a, OPUS_CAPS, SENDRECV);
  offer = test_peer_offer (a);
  set_and_free (a, LOCAL, offer);
  set_and_free (b, REMOTE, offer);
  answer = test_peer_answer (b);
  passive = test_desc_replace (answer, "a=setup:active", "a=setup:passive");
  plan = set_ok (b, LOCAL, passive);
  g_assert_true (rtc_jsep_plan_get_transport (plan, "0")->start_dtls);
  g_assert_false (rtc_jsep_plan_get_transport (plan, "0")->dtls_client);
  rtc_jsep_plan_free (plan);
  plan = set_ok (a, REMOTE, passive);
  g_assert_true (rtc_jsep_plan_get_transport (plan, "0")->start_dtls);
  g_assert_true (rtc_jsep_plan_get_transport (plan, "0")->dtls_client);
  rtc_jsep_plan_free (plan);
  gst_webrtc_session_description_free (offer);
  gst_webrtc_session_description_free (answer);
  gst_webrtc_session_description_free (passive);
  test_peer_free (a);
  test_peer_free (b);
}

/* ---- rollback ---- */

static gchar *
peer_summary (TestPeer * p)
{
  GString *s = g_string_new ("");
  guint i;

  GstWebRTCSessionDescription *slots[4] = { p->cl, p->pl, p->cr, p->pr };

  g_string_append_printf (s, "state %d; ", p->state);
  for (i = 0; i < 4; i++) {
    gchar *text = slots[i] ? gst_sdp_message_as_text (slots[i]->sdp) : NULL;

    g_string_append_printf (s, "slot %u: %s\n", i, text);
    g_free (text);
  }
  for (i = 0; i < p->medias->len; i++) {
    RtcJsepMedia *m = g_ptr_array_index (p->medias, i);

    g_string_append_printf (s, "[%s %s mline %d dir %d] ",
        rtc_media_kind_to_string (m->kind), m->mid, m->mline,
        g_array_index (p->current_dirs, GstWebRTCRTPTransceiverDirection, i));
  }
  for (i = 0; i < p->transports->len; i++) {
    TestTransport *t = g_ptr_array_index (p->transports, i);

    g_string_append_printf (s, "{%s %s %d %d} ", t->tag, t->remote_ufrag,
        t->dtls_started, t->dtls_client);
  }
  return g_string_free (s, FALSE);
}

static void
rollback_local (GstWebRTCBundlePolicy policy, gboolean first)
{
  TestPeer *a = test_peer_new (policy), *b = test_peer_new (policy);
  GstWebRTCSessionDescription *offer;
  gchar *before, *after;

  test_peer_add (a, OPUS_CAPS, SENDRECV);
  if (!first)
    test_negotiate (a, b);
  test_peer_add (a, VP8_CAPS, SENDRECV);
  before = peer_summary (a);
  offer = test_peer_offer (a);
  /* create-offer gave the new transceivers mids */
  g_assert_nonnull (((RtcJsepMedia *) g_ptr_array_index (a->medias,
              1))->mid);
  set_and_free (a, LOCAL, offer);
  g_assert_cmpuint (a->transports->len, >=, 1);
  rtc_jsep_plan_free (rollback (a, LOCAL));
  after = peer_summary (a);
  g_assert_cmpstr (after, ==, before);
  g_free (before);
  g_free (after);
  gst_webrtc_session_description_free (offer);
  test_peer_free (a);
  test_peer_free (b);
}

static void
test_rollback_local (void)
{
  rollback_local (GST_WEBRTC_BUNDLE_POLICY_NONE, FALSE);
  rollback_local (GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE, FALSE);
  rollback_local (GST_WEBRTC_BUNDLE_POLICY_NONE, TRUE);
}

static void
rollback_remote (GstWebRTCBundlePolicy policy, gboolean first)
{
  TestPeer *a = test_peer_new (policy), *b = test_peer_new (policy);
  GstWebRTCSessionDescription *offer;
  gchar *before, *after;
  RtcJsepPlan *plan;
  guint user;

  test_peer_add (a, OPUS_CAPS, SENDRECV);
  if (!first)
    test_negotiate (a, b);
  test_peer_add (a, VP8_CAPS, SENDRECV);
  /* b's own transceiver of that kind takes the offer's m-line (and a mid
   * from it), then loses it again. */
  user = test_peer_add (b, H264_CAPS, SENDRECV);
  before = peer_summary (b);
  offer = test_peer_offer (a);
  set_and_free (b, REMOTE, offer);
  g_assert_nonnull (((RtcJsepMedia *) g_ptr_array_index (b->medias,
              user))->mid);
  plan = rollback (b, REMOTE);
  g_assert_cmpint (plan->pending_remote, ==, RTC_JSEP_SLOT_CLEAR);
  rtc_jsep_plan_free (plan);
  after = peer_summary (b);
  g_assert_cmpstr (after, ==, before);
  g_free (before);
  g_free (after);
  gst_webrtc_session_description_free (offer);
  test_peer_free (a);
  test_peer_free (b);
}

static void
test_rollback_remote (void)
{
  rollback_remote (GST_WEBRTC_BUNDLE_POLICY_NONE, FALSE);
  rollback_remote (GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE, FALSE);
  rollback_remote (GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE, TRUE);
}

/* ---- SCTP ---- */

static void
test_sctp_start_stop (void)
{
  TestPeer *a = test_peer_new (GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE);
  TestPeer *b = test_peer_new (GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE);
  GstWebRTCSessionDescription *offer, *answer;
  RtcJsepPlan *plan;
  guint data;

  test_peer_add (a, OPUS_CAPS, SENDRECV);
  test_negotiate (a, b);
  test_peer_transport (a, "0")->dtls_connected = TRUE;

  /* A data channel added to a connected bundle: DTLS already runs, so
   * the association starts with the answer. */
  data = test_peer_add (a, NULL, SENDRECV);
  offer = test_peer_offer (a);
  set_and_free (a, LOCAL, offer);
  set_and_free (b, REMOTE, offer);
  answer = test_peer_answer (b);
  set_and_free (b, LOCAL, answer);
  plan = set_ok (a, REMOTE, answer);
  g_assert_true (plan->sctp_start);
  g_assert_false (plan->sctp_stop);
  g_assert_cmpstr (plan->sctp.tag, ==, "0");
  g_assert_cmpuint (plan->sctp.remote_port, ==, 5000);
  g_assert_cmpuint (plan->sctp.remote_max_message_size, ==, 262144);
  rtc_jsep_plan_free (plan);
  gst_webrtc_session_description_free (offer);
  gst_webrtc_session_description_free (answer);
  g_assert_true (a->sctp_running);

  /* The section stopped: the association goes with the answer. */
  ((RtcJsepMedia *) g_ptr_array_index (a->medias, data))->stopped = TRUE;
  offer = test_peer_offer (a);
  plan = set_ok (a, LOCAL, offer);
  g_assert_false (plan->sctp_stop);
  rtc_jsep_plan_free (plan);
  set_and_free (b, REMOTE, offer);
  answer = test_peer_answer (b);
  set_and_free (b, LOCAL, answer);
  plan = set_ok (a, REMOTE, answer);
  g_assert_true (plan->sctp_stop);
  g_assert_false (plan->sctp_start);
  rtc_jsep_plan_free (plan);
  g_assert_false (a->sctp_running);
  gst_webrtc_session_description_free (offer);
  gst_webrtc_session_description_free (answer);
  test_peer_free (a);
  test_peer_free (b);
}

/* ---- remote streams ---- */

static void
test_remote_streams (void)
{
  TestPeer *a = test_peer_new (GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE);
  TestPeer *b = test_peer_new (GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE);
  GstWebRTCSessionDescription *offer;
  RtcJsepPlan *plan;
  guint video;

  test_peer_add (a, OPUS_CAPS, SENDRECV);
  offer = test_peer_offer (a);
  set_and_free (a, LOCAL, offer);
  plan = set_ok (b, REMOTE, offer);
  g_assert_cmpuint (plan->streams_added->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (plan->streams_added, 0), ==,
      "teststream");
  g_assert_cmpuint (plan->streams_removed->len, ==, 0);
  rtc_jsep_plan_free (plan);
  plan = rollback (b, REMOTE);
  g_assert_cmpuint (plan->streams_removed->len, ==, 1);
  rtc_jsep_plan_free (plan);
  rtc_jsep_plan_free (rollback (a, LOCAL));
  gst_webrtc_session_description_free (offer);

  test_negotiate (a, b);
  /* A second track in the same stream adds no stream; a track in a new
   * one does. */
  video = test_peer_add (a, VP8_CAPS, SENDRECV);
  ((RtcJsepMedia *) g_ptr_array_index (a->medias, video))->stream_id =
      g_strdup ("camera");
  offer = test_peer_offer (a);
  set_and_free (a, LOCAL, offer);
  plan = set_ok (b, REMOTE, offer);
  g_assert_cmpuint (plan->streams_added->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (plan->streams_added, 0), ==, "camera");
  rtc_jsep_plan_free (plan);
  gst_webrtc_session_description_free (offer);
  test_peer_free (a);
  test_peer_free (b);
}

/* ---- registration ---- */

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const gchar * const *) a, *(const gchar * const *) b);
}

static void
add_corpus (GPtrArray * keep, const gchar * subdir)
{
  gchar *dir_path = test_data_path (subdir, "");
  GDir *dir = g_dir_open (dir_path, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const gchar *name;
  guint i;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)))
    if (g_str_has_suffix (name, ".sdp"))
      g_ptr_array_add (names, g_strdup (name));
  g_dir_close (dir);
  g_ptr_array_sort (names, compare_names);
  for (i = 0; i < names->len; i++) {
    const gchar *n = g_ptr_array_index (names, i);
    gchar **where = g_new0 (gchar *, 3);
    gchar *path;
    gboolean offer = g_str_has_suffix (n, "-offer.sdp");

    /* "" for the top folder: g_strfreev stops at the first NULL */
    where[0] = g_strdup (subdir ? subdir : "");
    where[1] = g_strdup (n);
    g_ptr_array_add (keep, where);
    path = g_strdup_printf ("/jsep/plan/corpus/%s/%s", offer ? "remote-offer"
        : "remote-answer", n);
    g_test_add_data_func (path, where, offer ? test_corpus_remote_offer :
        test_corpus_remote_answer);
    g_free (path);
  }
  g_ptr_array_unref (names);
  g_free (dir_path);
}

int
main (int argc, char **argv)
{
  GPtrArray *keep = g_ptr_array_new_with_free_func ((GDestroyNotify)
      g_strfreev);
  int ret;

  gst_init (NULL, NULL);
  g_test_init (&argc, &argv, NULL);

  add_corpus (keep, NULL);
  add_corpus (keep, "legacy");
  g_test_add_func ("/jsep/plan/malformed", test_malformed);
  g_test_add_func ("/jsep/plan/renegotiate/add-mline-bundle",
      test_add_mline_bundle);
  g_test_add_func ("/jsep/plan/renegotiate/add-mline-no-bundle",
      test_add_mline_no_bundle);
  g_test_add_func ("/jsep/plan/renegotiate/reject-removes-transport",
      test_reject_mline_removes_transport);
  g_test_add_func ("/jsep/plan/renegotiate/bundle-change", test_bundle_change);
  g_test_add_func ("/jsep/plan/answer/unbundles", test_answer_unbundles);
  g_test_add_func ("/jsep/plan/answer/bundle-not-offered",
      test_answer_bundle_not_offered);
  g_test_add_func ("/jsep/plan/answer/mline-count", test_answer_mline_count);
  g_test_add_func ("/jsep/plan/ice-restart", test_ice_restart);
  g_test_add_func ("/jsep/plan/ice-restart-negotiation-needed",
      test_ice_restart_negotiation_needed);
  g_test_add_func ("/jsep/plan/dtls/roles-kept", test_dtls_roles);
  g_test_add_func ("/jsep/plan/dtls/passive-answer", test_dtls_passive_answer);
  g_test_add_func ("/jsep/plan/rollback/local", test_rollback_local);
  g_test_add_func ("/jsep/plan/rollback/remote", test_rollback_remote);
  g_test_add_func ("/jsep/plan/sctp", test_sctp_start_stop);
  g_test_add_func ("/jsep/plan/remote-streams", test_remote_streams);

  ret = g_test_run ();
  g_ptr_array_unref (keep);
  return ret;
}
