/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include "plan-peer.h"

static void
transport_free (gpointer data)
{
  TestTransport *t = data;

  g_free (t->tag);
  g_free (t->remote_ufrag);
  g_free (t->remote_pwd);
  g_free (t->local_ufrag);
  g_free (t->local_pwd);
  g_free (t->remote_fingerprint);
  g_free (t);
}

TestPeer *
test_peer_new (GstWebRTCBundlePolicy policy)
{
  TestPeer *p = g_new0 (TestPeer, 1);
  static guint64 next_id = 1000;

  p->state = GST_WEBRTC_SIGNALING_STATE_STABLE;
  p->medias = g_ptr_array_new_with_free_func ((GDestroyNotify)
      rtc_jsep_media_free);
  p->current_dirs = g_array_new (FALSE, TRUE,
      sizeof (GstWebRTCRTPTransceiverDirection));
  p->created_by_offer = g_array_new (FALSE, TRUE, sizeof (gboolean));
  p->transports = g_ptr_array_new_with_free_func (transport_free);
  p->session.session_id = next_id++;
  p->session.ice_ufrag = g_strdup (TEST_UFRAG);
  p->session.ice_pwd = g_strdup (TEST_PWD);
  p->session.fingerprint = g_strdup (TEST_FINGERPRINT);
  p->session.bundle_policy = policy;
  p->session.offer_setup = GST_WEBRTC_DTLS_SETUP_ACTPASS;
  p->session.stream_id = g_strdup ("teststream");
  return p;
}

static void
clear_desc (GstWebRTCSessionDescription ** d)
{
  g_clear_pointer (d, gst_webrtc_session_description_free);
}

void
test_peer_free (TestPeer * p)
{
  clear_desc (&p->cl);
  clear_desc (&p->pl);
  clear_desc (&p->cr);
  clear_desc (&p->pr);
  g_ptr_array_unref (p->medias);
  g_array_unref (p->current_dirs);
  g_array_unref (p->created_by_offer);
  g_ptr_array_unref (p->transports);
  g_free (p->sctp_tag);
  rtc_jsep_session_clear (&p->session);
  g_free (p->st);
  g_free (p->sp);
  g_free (p);
}

static void
append_model (TestPeer * p, RtcJsepMedia * m, gboolean by_offer)
{
  GstWebRTCRTPTransceiverDirection none =
      GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_NONE;

  g_ptr_array_add (p->medias, m);
  g_array_append_val (p->current_dirs, none);
  g_array_append_val (p->created_by_offer, by_offer);
}

guint
test_peer_add (TestPeer * p, const gchar * caps_str,
    GstWebRTCRTPTransceiverDirection direction)
{
  RtcJsepMedia *m;

  if (caps_str) {
    GstCaps *caps = gst_caps_from_string (caps_str);
    RtcMediaKind kind;

    g_assert_nonnull (caps);
    m = rtc_jsep_media_new (RTC_MEDIA_KIND_AUDIO, direction);
    g_assert_true (rtc_codecs_from_caps (caps, &kind, m->codecs, NULL));
    m->kind = kind;
    m->ssrc = g_random_int_range (1, G_MAXINT32);
    gst_caps_unref (caps);
  } else {
    m = rtc_jsep_media_new (RTC_MEDIA_KIND_APPLICATION, direction);
  }
  append_model (p, m, FALSE);
  return p->medias->len - 1;
}

RtcJsepState
test_peer_state (TestPeer * p)
{
  RtcJsepState s = { 0, };
  guint i;

  g_free (p->st);
  g_free (p->sp);
  p->st = g_new0 (RtcJsepStateTransceiver, p->medias->len + 1);
  p->sp = g_new0 (RtcJsepStateTransport, p->transports->len + 1);
  for (i = 0; i < p->medias->len; i++) {
    p->st[i].media = g_ptr_array_index (p->medias, i);
    p->st[i].current_direction = g_array_index (p->current_dirs,
        GstWebRTCRTPTransceiverDirection, i);
    p->st[i].created_by_offer = g_array_index (p->created_by_offer,
        gboolean, i);
  }
  for (i = 0; i < p->transports->len; i++) {
    TestTransport *t = g_ptr_array_index (p->transports, i);

    p->sp[i].tag = t->tag;
    p->sp[i].remote_ufrag = t->remote_ufrag;
    p->sp[i].remote_pwd = t->remote_pwd;
    p->sp[i].remote_fingerprint = t->remote_fingerprint;
    p->sp[i].local_ufrag = t->local_ufrag;
    p->sp[i].local_pwd = t->local_pwd;
    p->sp[i].gathering = t->gathering;
    p->sp[i].dtls_started = t->dtls_started;
    p->sp[i].dtls_client = t->dtls_client;
    p->sp[i].dtls_connected = t->dtls_connected;
  }
  s.signaling_state = p->state;
  s.current_local = p->cl;
  s.pending_local = p->pl;
  s.current_remote = p->cr;
  s.pending_remote = p->pr;
  s.transceivers = p->st;
  s.n_transceivers = p->medias->len;
  s.transports = p->sp;
  s.n_transports = p->transports->len;
  s.bundle_policy = p->session.bundle_policy;
  s.sctp_running = p->sctp_running;
  s.sctp_tag = p->sctp_tag;
  s.local_sctp_port = 5000;
  s.local_max_message_size = 262144;
  s.session_stream_id = p->session.stream_id;
  return s;
}

TestTransport *
test_peer_transport (TestPeer * p, const gchar * tag)
{
  guint i;

  for (i = 0; i < p->transports->len; i++) {
    TestTransport *t = g_ptr_array_index (p->transports, i);

    if (g_strcmp0 (t->tag, tag) == 0)
      return t;
  }
  return NULL;
}

static GstWebRTCSessionDescription *
copy_or_null (const GstWebRTCSessionDescription * d)
{
  return d ? gst_webrtc_session_description_copy (d) : NULL;
}

/* What rtcpeerbin's commit does, on the test peer. */
static void
commit (TestPeer * p, const RtcJsepState * s, const RtcJsepPlan * plan,
    const GstWebRTCSessionDescription * desc)
{
  GstWebRTCSessionDescription *cl, *pl, *cr, *pr;
  GPtrArray *medias;
  GArray *dirs, *by_offer;
  gboolean stable = plan->signaling_state == GST_WEBRTC_SIGNALING_STATE_STABLE;
  guint i;

  cl = copy_or_null (rtc_jsep_plan_slot_value (s, desc, plan->current_local,
          p->cl));
  pl = copy_or_null (rtc_jsep_plan_slot_value (s, desc, plan->pending_local,
          p->pl));
  cr = copy_or_null (rtc_jsep_plan_slot_value (s, desc, plan->current_remote,
          p->cr));
  pr = copy_or_null (rtc_jsep_plan_slot_value (s, desc, plan->pending_remote,
          p->pr));
  clear_desc (&p->cl);
  clear_desc (&p->pl);
  clear_desc (&p->cr);
  clear_desc (&p->pr);
  p->cl = cl;
  p->pl = pl;
  p->cr = cr;
  p->pr = pr;
  p->state = plan->signaling_state;

  medias = g_ptr_array_new_with_free_func ((GDestroyNotify)
      rtc_jsep_media_free);
  dirs = g_array_new (FALSE, TRUE, sizeof (GstWebRTCRTPTransceiverDirection));
  by_offer = g_array_new (FALSE, TRUE, sizeof (gboolean));
  for (i = 0; i < plan->transceivers->len; i++) {
    const RtcJsepPlanTransceiver *t = g_ptr_array_index (plan->transceivers,
        i);
    gboolean flag;

    if (t->removed)
      continue;
    flag = !stable && (t->created || (i < p->created_by_offer->len
            && g_array_index (p->created_by_offer, gboolean, i)));
    g_ptr_array_add (medias, rtc_jsep_media_copy (t->media));
    g_array_append_val (dirs, t->current_direction);
    g_array_append_val (by_offer, flag);
  }
  g_ptr_array_unref (p->medias);
  g_array_unref (p->current_dirs);
  g_array_unref (p->created_by_offer);
  p->medias = medias;
  p->current_dirs = dirs;
  p->created_by_offer = by_offer;

  for (i = 0; i < plan->transports->len; i++) {
    const RtcJsepPlanTransport *pt = g_ptr_array_index (plan->transports, i);
    TestTransport *t = test_peer_transport (p, pt->tag);

    if (pt->remove) {
      g_assert_nonnull (t);
      g_ptr_array_remove (p->transports, t);
      p->n_removed++;
      continue;
    }
    if (pt->create) {
      g_assert_null (t);
      t = g_new0 (TestTransport, 1);
      t->tag = g_strdup (pt->tag);
      t->local_ufrag = g_strdup (p->session.ice_ufrag);
      t->local_pwd = g_strdup (p->session.ice_pwd);
      g_ptr_array_add (p->transports, t);
      p->n_created++;
    }
    g_assert_nonnull (t);
    t->gathering |= pt->gather;
    /* as rtcpeerbin: the restarted stream forgets the remote side */
    if (pt->local_ice_restart) {
      g_free (t->local_ufrag);
      g_free (t->local_pwd);
      t->local_ufrag = g_strdup (pt->local_ufrag);
      t->local_pwd = g_strdup (pt->local_pwd);
      g_clear_pointer (&t->remote_ufrag, g_free);
      g_clear_pointer (&t->remote_pwd, g_free);
      t->remote_restart_pending = FALSE;
      t->local_restarts++;
    }
    /* and answers a restart with new credentials */
    if (pt->remote_restart_pending) {
      t->remote_restart_pending = TRUE;
      t->restarts++;
      g_free (p->session.ice_ufrag);
      g_free (p->session.ice_pwd);
      p->session.ice_ufrag = g_strdup (TEST_RESTART_UFRAG);
      p->session.ice_pwd = g_strdup (TEST_RESTART_PWD);
    }
    if (pt->set_remote_credentials) {
      g_free (t->remote_ufrag);
      g_free (t->remote_pwd);
      t->remote_ufrag = g_strdup (pt->remote_ufrag);
      t->remote_pwd = g_strdup (pt->remote_pwd);
      t->restarts += pt->ice_restart;
    }
    if (pt->start_dtls) {
      t->dtls_started = TRUE;
      t->dtls_client = pt->dtls_client;
    }
    if (pt->remote_fingerprint) {
      g_free (t->remote_fingerprint);
      t->remote_fingerprint = g_strdup (pt->remote_fingerprint);
    }
  }
  if (plan->sctp_stop) {
    p->sctp_running = FALSE;
    g_clear_pointer (&p->sctp_tag, g_free);
  }
  if (plan->sctp_start) {
    p->sctp_running = TRUE;
    g_free (p->sctp_tag);
    p->sctp_tag = g_strdup (plan->sctp.tag);
  }
}

RtcJsepPlan *
test_peer_set (TestPeer * p, RtcSdpSource source,
    const GstWebRTCSessionDescription * desc, GError ** error)
{
  RtcJsepState s = test_peer_state (p);
  RtcJsepPlan *plan = rtc_jsep_plan_prepare (&s, desc, source, error);

  if (plan)
    commit (p, &s, plan, desc);
  return plan;
}

GstWebRTCSessionDescription *
test_peer_offer (TestPeer * p)
{
  GError *error = NULL;
  GstSDPMessage *sdp;

  p->session.session_version++;
  sdp = rtc_jsep_build_offer (&p->session, p->medias,
      p->cl ? p->cl->sdp : NULL, &error);
  g_assert_no_error (error);
  return gst_webrtc_session_description_new (GST_WEBRTC_SDP_TYPE_OFFER, sdp);
}

GstWebRTCSessionDescription *
test_peer_answer (TestPeer * p)
{
  GError *error = NULL;
  GstSDPMessage *sdp;

  g_assert_nonnull (p->pr);
  p->session.session_version++;
  sdp = rtc_jsep_build_answer_full (&p->session, p->pr->sdp, p->medias,
      p->cl ? p->cl->sdp : NULL, p->cr ? p->cr->sdp : NULL, &error);
  g_assert_no_error (error);
  return gst_webrtc_session_description_new (GST_WEBRTC_SDP_TYPE_ANSWER, sdp);
}

GstWebRTCSessionDescription *
test_rollback (void)
{
  GstSDPMessage *sdp;

  gst_sdp_message_new (&sdp);
  return gst_webrtc_session_description_new (GST_WEBRTC_SDP_TYPE_ROLLBACK,
      sdp);
}

static void
set_ok (TestPeer * p, RtcSdpSource source,
    const GstWebRTCSessionDescription * d)
{
  GError *error = NULL;
  RtcJsepPlan *plan = test_peer_set (p, source, d, &error);

  g_assert_no_error (error);
  rtc_jsep_plan_free (plan);
}

void
test_negotiate (TestPeer * a, TestPeer * b)
{
  GstWebRTCSessionDescription *offer = test_peer_offer (a), *answer;

  set_ok (a, RTC_SDP_SOURCE_LOCAL, offer);
  set_ok (b, RTC_SDP_SOURCE_REMOTE, offer);
  answer = test_peer_answer (b);
  set_ok (b, RTC_SDP_SOURCE_LOCAL, answer);
  set_ok (a, RTC_SDP_SOURCE_REMOTE, answer);
  gst_webrtc_session_description_free (offer);
  gst_webrtc_session_description_free (answer);
}

GstWebRTCSessionDescription *
test_desc_from_text (GstWebRTCSDPType type, const gchar * text)
{
  GstSDPMessage *sdp = NULL;

  g_assert_cmpint (gst_sdp_message_new_from_text (text, &sdp), ==, GST_SDP_OK);
  return gst_webrtc_session_description_new (type, sdp);
}

GstWebRTCSessionDescription *
test_desc_replace (const GstWebRTCSessionDescription * desc,
    const gchar * from, const gchar * to)
{
  gchar *text = gst_sdp_message_as_text (desc->sdp);
  gchar **parts = g_strsplit (text, from, -1);
  gchar *out = g_strjoinv (to, parts);
  GstWebRTCSessionDescription *ret;

  g_assert_cmpuint (g_strv_length (parts), >, 1);
  ret = test_desc_from_text (desc->type, out);
  g_strfreev (parts);
  g_free (text);
  g_free (out);
  return ret;
}

gchar *
test_data_path (const gchar * subdir, const gchar * name)
{
  const gchar *dir = g_getenv ("RTC_TEST_DATA_DIR");

  if (dir == NULL)
    g_error ("RTC_TEST_DATA_DIR is not set; run through 'meson test'");
  return g_build_filename (dir, "sdp", subdir ? subdir : name,
      subdir ? name : NULL, NULL);
}

gchar *
test_read_text (const gchar * path)
{
  GError *error = NULL;
  gchar *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, &error))
    g_error ("%s: %s", path, error->message);
  return text;
}
