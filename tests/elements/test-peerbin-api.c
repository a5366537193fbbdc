/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The compatibility contract: this one file runs against the factory named
 * by RTC_TEST_FACTORY ("rtcpeerbin" or "webrtcbin"); meson runs it for both.
 * It pins signal names and argument types, property names and types, and
 * the promise reply fields "offer", "answer" and "error". */


#include <string.h>
#include "peer-util.h"

const gchar *factory;

typedef struct
{
  const gchar *name;
  guint n_params;
  GType params[3];
  GType ret;                    /* G_TYPE_OBJECT: any object type */
} SignalSpec;

GST_START_TEST (test_signal_signatures)
{
  const SignalSpec specs[] = {
    {"create-offer", 2, {GST_TYPE_STRUCTURE, GST_TYPE_PROMISE}, G_TYPE_NONE},
    {"create-answer", 2, {GST_TYPE_STRUCTURE, GST_TYPE_PROMISE}, G_TYPE_NONE},
    {"set-local-description", 2, {GST_TYPE_WEBRTC_SESSION_DESCRIPTION,
            GST_TYPE_PROMISE}, G_TYPE_NONE},
    {"set-remote-description", 2, {GST_TYPE_WEBRTC_SESSION_DESCRIPTION,
            GST_TYPE_PROMISE}, G_TYPE_NONE},
    {"add-ice-candidate", 2, {G_TYPE_UINT, G_TYPE_STRING}, G_TYPE_NONE},
    {"add-transceiver", 2, {GST_TYPE_WEBRTC_RTP_TRANSCEIVER_DIRECTION,
            GST_TYPE_CAPS}, G_TYPE_OBJECT},
    {"get-transceivers", 0, {0}, G_TYPE_ARRAY},
    {"get-transceiver", 1, {G_TYPE_INT}, G_TYPE_OBJECT},
    {"add-turn-server", 1, {G_TYPE_STRING}, G_TYPE_BOOLEAN},
    {"on-negotiation-needed", 0, {0}, G_TYPE_NONE},
    {"on-ice-candidate", 2, {G_TYPE_UINT, G_TYPE_STRING}, G_TYPE_NONE},
    {"on-new-transceiver", 1, {G_TYPE_OBJECT}, G_TYPE_NONE},
  };
  GstElement *pc = new_peer ();
  guint i, j;

  for (i = 0; i < G_N_ELEMENTS (specs); i++) {
    GSignalQuery q;
    guint id = g_signal_lookup (specs[i].name, G_OBJECT_TYPE (pc));

    fail_unless (id != 0, "%s has no signal %s", factory, specs[i].name);
    g_signal_query (id, &q);
    fail_unless_equals_int (q.n_params, specs[i].n_params);
    for (j = 0; j < q.n_params; j++) {
      GType t = q.param_types[j] & ~G_SIGNAL_TYPE_STATIC_SCOPE;

      if (specs[i].params[j] == G_TYPE_OBJECT)
        fail_unless (g_type_is_a (t, G_TYPE_OBJECT), "%s arg %u",
            specs[i].name, j);
      else
        fail_unless (t == specs[i].params[j], "%s arg %u is %s, not %s",
            specs[i].name, j, g_type_name (t),
            g_type_name (specs[i].params[j]));
    }
    if (specs[i].ret == G_TYPE_OBJECT)
      fail_unless (g_type_is_a (q.return_type, G_TYPE_OBJECT));
    else
      fail_unless ((q.return_type & ~G_SIGNAL_TYPE_STATIC_SCOPE) ==
          specs[i].ret, "%s returns %s", specs[i].name,
          g_type_name (q.return_type));
  }
  free_peer (pc);
}

GST_END_TEST;

GST_START_TEST (test_property_types)
{
  const struct
  {
    const gchar *name;
    GType type;
    gboolean writable;
  } props[] = {
    {"signaling-state", GST_TYPE_WEBRTC_SIGNALING_STATE, FALSE},
    {"ice-gathering-state", GST_TYPE_WEBRTC_ICE_GATHERING_STATE, FALSE},
    {"ice-connection-state", GST_TYPE_WEBRTC_ICE_CONNECTION_STATE, FALSE},
    {"connection-state", GST_TYPE_WEBRTC_PEER_CONNECTION_STATE, FALSE},
    {"local-description", GST_TYPE_WEBRTC_SESSION_DESCRIPTION, FALSE},
    {"current-local-description", GST_TYPE_WEBRTC_SESSION_DESCRIPTION, FALSE},
    {"pending-local-description", GST_TYPE_WEBRTC_SESSION_DESCRIPTION, FALSE},
    {"remote-description", GST_TYPE_WEBRTC_SESSION_DESCRIPTION, FALSE},
    {"current-remote-description", GST_TYPE_WEBRTC_SESSION_DESCRIPTION,
        FALSE},
    {"pending-remote-description", GST_TYPE_WEBRTC_SESSION_DESCRIPTION,
        FALSE},
    {"stun-server", G_TYPE_STRING, TRUE},
    {"turn-server", G_TYPE_STRING, TRUE},
    {"bundle-policy", GST_TYPE_WEBRTC_BUNDLE_POLICY, TRUE},
    {"ice-transport-policy", GST_TYPE_WEBRTC_ICE_TRANSPORT_POLICY, TRUE},
    {"latency", G_TYPE_UINT, TRUE},
    {"ice-agent", GST_TYPE_WEBRTC_ICE, TRUE},
    {"http-proxy", G_TYPE_STRING, TRUE},
    {"sctp-transport", GST_TYPE_WEBRTC_SCTP_TRANSPORT, FALSE},
  };
  GstElement *pc = new_peer ();
  guint i;

  for (i = 0; i < G_N_ELEMENTS (props); i++) {
    GParamSpec *p = g_object_class_find_property (G_OBJECT_GET_CLASS (pc),
        props[i].name);

    fail_unless (p != NULL, "%s has no property %s", factory, props[i].name);
    fail_unless (p->value_type == props[i].type, "%s is %s", props[i].name,
        g_type_name (p->value_type));
    fail_unless (! !(p->flags & G_PARAM_WRITABLE) == props[i].writable,
        "%s writability", props[i].name);
  }
  free_peer (pc);
}

GST_END_TEST;

static void
count_signal (GstElement * pc, gpointer arg, gint * counter)
{
  g_atomic_int_inc (counter);
}

GST_START_TEST (test_offer_answer)
{
  GstElement *a = new_peer (), *b = new_peer ();
  GstWebRTCSessionDescription *offer, *answer;
  GstCaps *vp8 = gst_caps_from_string (VP8_CAPS);
  GstCaps *opus = gst_caps_from_string (OPUS_CAPS);
  GObject *ta, *tb;
  GArray *transceivers;
  gint new_on_b = 0;
  gchar *mid_a = NULL, *mid_b = NULL;
  GstWebRTCRTPTransceiverDirection cur, cur_b;
  guint mline;

  g_signal_emit_by_name (a, "add-transceiver",
      GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, vp8, &ta);
  fail_unless (ta != NULL);
  g_object_get (ta, "mlineindex", &mline, NULL);
  fail_unless_equals_int (mline, G_MAXUINT);
  g_object_unref (ta);
  g_signal_emit_by_name (a, "add-transceiver",
      GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, opus, &ta);
  g_object_unref (ta);
  g_signal_connect (b, "on-new-transceiver", G_CALLBACK (count_signal),
      &new_on_b);

  offer = create (a, "create-offer");
  fail_unless_equals_int (offer->type, GST_WEBRTC_SDP_TYPE_OFFER);
  fail_unless_equals_int (gst_sdp_message_medias_len (offer->sdp), 2);
  fail_unless (set_description (a, "set-local-description", offer) == NULL);
  fail_unless_equals_int (signaling_state (a),
      GST_WEBRTC_SIGNALING_STATE_HAVE_LOCAL_OFFER);
  fail_unless (set_description (b, "set-remote-description", offer) == NULL);
  fail_unless_equals_int (signaling_state (b),
      GST_WEBRTC_SIGNALING_STATE_HAVE_REMOTE_OFFER);

  answer = create (b, "create-answer");
  fail_unless_equals_int (answer->type, GST_WEBRTC_SDP_TYPE_ANSWER);
  fail_unless_equals_int (gst_sdp_message_medias_len (answer->sdp), 2);
  fail_unless (set_description (b, "set-local-description", answer) == NULL);
  fail_unless (set_description (a, "set-remote-description", answer) == NULL);
  fail_unless_equals_int (signaling_state (a),
      GST_WEBRTC_SIGNALING_STATE_STABLE);
  fail_unless_equals_int (signaling_state (b),
      GST_WEBRTC_SIGNALING_STATE_STABLE);

  /* The remote offer made two transceivers on b, each tied to the mid
   * of a's at the same index. */
  g_signal_emit_by_name (b, "get-transceivers", &transceivers);
  fail_unless_equals_int (transceivers->len, 2);
  g_array_unref (transceivers);
  fail_unless_equals_int (g_atomic_int_get (&new_on_b), 2);
  g_signal_emit_by_name (a, "get-transceiver", 0, &ta);
  g_signal_emit_by_name (b, "get-transceiver", 0, &tb);
  g_object_get (ta, "mid", &mid_a, "current-direction", &cur, NULL);
  g_object_get (tb, "mid", &mid_b, "current-direction", &cur_b, NULL);
  fail_unless (mid_a != NULL);
  fail_unless_equals_string (mid_a, mid_b);
  /* b has nothing to send, so it receives; a sends (rtcpeerbin says
   * sendonly, the mirror of b's answer as W3C defines it; webrtcbin 1.22
   * reports its own offer's sendrecv). */
  fail_unless_equals_int (cur_b, GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY);
  fail_unless (cur == GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY ||
      cur == GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV,
      "current direction %d", cur);
  if (!strcmp (factory, "rtcpeerbin"))
    fail_unless_equals_int (cur, GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY);
  g_free (mid_a);
  g_free (mid_b);
  g_object_unref (ta);
  g_object_unref (tb);

  {
    GstWebRTCSessionDescription *cur_local = NULL, *pending = NULL;

    g_object_get (a, "current-local-description", &cur_local,
        "pending-local-description", &pending, NULL);
    fail_unless (cur_local != NULL);
    fail_unless (pending == NULL);
    fail_unless_equals_int (cur_local->type, GST_WEBRTC_SDP_TYPE_OFFER);
    gst_webrtc_session_description_free (cur_local);
  }

  gst_webrtc_session_description_free (offer);
  gst_webrtc_session_description_free (answer);
  gst_caps_unref (vp8);
  gst_caps_unref (opus);
  free_peer (a);
  free_peer (b);
}

GST_END_TEST;

GST_START_TEST (test_errors_in_wrong_state)
{
  GstElement *a = new_peer (), *b = new_peer ();
  GstCaps *vp8 = gst_caps_from_string (VP8_CAPS);
  GstWebRTCSessionDescription *offer, *fake_answer;
  GstPromise *p;
  GstStructure *reply;
  GError *error;
  GObject *t;

  /* create-answer without a remote offer */
  p = gst_promise_new ();
  g_signal_emit_by_name (a, "create-answer", NULL, p);
  reply = await (p);
  error = reply_error (reply);
  fail_unless (error != NULL, "create-answer in stable must fail");
  g_clear_error (&error);
  gst_clear_structure (&reply);

  /* an answer without an offer */
  g_signal_emit_by_name (b, "add-transceiver",
      GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, vp8, &t);
  g_object_unref (t);
  offer = create (b, "create-offer");
  fake_answer = gst_webrtc_session_description_new (GST_WEBRTC_SDP_TYPE_ANSWER,
      NULL);
  gst_sdp_message_copy (offer->sdp, &fake_answer->sdp);
  error = set_description (a, "set-remote-description", fake_answer);
  fail_unless (error != NULL, "a remote answer in stable must fail");
  g_clear_error (&error);
  fail_unless_equals_int (signaling_state (a),
      GST_WEBRTC_SIGNALING_STATE_STABLE);

  /* ... and the element still negotiates after the error */
  fail_unless (set_description (a, "set-remote-description", offer) == NULL);
  fail_unless_equals_int (signaling_state (a),
      GST_WEBRTC_SIGNALING_STATE_HAVE_REMOTE_OFFER);

  gst_webrtc_session_description_free (offer);
  gst_webrtc_session_description_free (fake_answer);
  gst_caps_unref (vp8);
  free_peer (a);
  free_peer (b);
}

GST_END_TEST;

typedef struct
{
  GMutex lock;
  GCond cond;
  gint count;
} Counter;

static void
on_negotiation_needed (GstElement * pc, Counter * c)
{
  g_mutex_lock (&c->lock);
  c->count++;
  g_cond_broadcast (&c->cond);
  g_mutex_unlock (&c->lock);
}

GST_START_TEST (test_negotiation_needed)
{
  GstElement *a = gst_element_factory_make (factory, NULL);
  GstCaps *vp8 = gst_caps_from_string (VP8_CAPS);
  Counter c = { 0, };
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  GObject *t;

  g_mutex_init (&c.lock);
  g_cond_init (&c.cond);
  /* webrtcbin checks for negotiation when it goes to READY, so the
   * handler is connected before that. */
  g_signal_connect (a, "on-negotiation-needed",
      G_CALLBACK (on_negotiation_needed), &c);
  fail_unless (gst_element_set_state (a, GST_STATE_READY) ==
      GST_STATE_CHANGE_SUCCESS);
  g_signal_emit_by_name (a, "add-transceiver",
      GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, vp8, &t);
  g_object_unref (t);

  g_mutex_lock (&c.lock);
  while (c.count == 0)
    if (!g_cond_wait_until (&c.cond, &c.lock, deadline))
      break;
  fail_unless (c.count >= 1, "on-negotiation-needed never fired");
  g_mutex_unlock (&c.lock);

  gst_caps_unref (vp8);
  free_peer (a);
  g_mutex_clear (&c.lock);
  g_cond_clear (&c.cond);
}

GST_END_TEST;

static Suite *
peerbin_api_suite (void)
{
  Suite *s = suite_create (factory);
  TCase *tc = tcase_create ("api");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_signal_signatures);
  tcase_add_test (tc, test_property_types);
  tcase_add_test (tc, test_offer_answer);
  tcase_add_test (tc, test_errors_in_wrong_state);
  tcase_add_test (tc, test_negotiation_needed);
  return s;
}

int
main (int argc, char **argv)
{
  factory = g_getenv ("RTC_TEST_FACTORY");
  if (!factory)
    factory = "rtcpeerbin";
  gst_check_init (&argc, &argv);
  {
    GstPluginFeature *f = gst_registry_find_feature (gst_registry_get (),
        factory, GST_TYPE_ELEMENT_FACTORY);

    if (f)
      gst_object_unref (f);
    else {
      g_print ("SKIP: element %s is not installed\n", factory);
      return 77;
    }
  }
  return gst_check_run_suite (peerbin_api_suite (), factory, __FILE__);
}
