/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The signaling-state table, edge by edge: every (state x source x type)
 * combination, 6 x 2 x 4 = 48, each its own test case named like Pion's
 * ("stable->SetLocal(offer)->have-local-offer"). */

#include <string.h>

#include "jsep/rtcjsep-state.h"
#include "jsep/rtcsdputil.h"

#define STABLE GST_WEBRTC_SIGNALING_STATE_STABLE
#define CLOSED GST_WEBRTC_SIGNALING_STATE_CLOSED
#define HLO GST_WEBRTC_SIGNALING_STATE_HAVE_LOCAL_OFFER
#define HRO GST_WEBRTC_SIGNALING_STATE_HAVE_REMOTE_OFFER
#define HLP GST_WEBRTC_SIGNALING_STATE_HAVE_LOCAL_PRANSWER
#define HRP GST_WEBRTC_SIGNALING_STATE_HAVE_REMOTE_PRANSWER
#define ERR ((GstWebRTCSignalingState) -1)

#define LOCAL RTC_SDP_SOURCE_LOCAL
#define REMOTE RTC_SDP_SOURCE_REMOTE

#define OFFER GST_WEBRTC_SDP_TYPE_OFFER
#define PRANSWER GST_WEBRTC_SDP_TYPE_PRANSWER
#define ANSWER GST_WEBRTC_SDP_TYPE_ANSWER
#define ROLLBACK GST_WEBRTC_SDP_TYPE_ROLLBACK

typedef struct
{
  GstWebRTCSignalingState from;
  RtcSdpSource source;
  GstWebRTCSDPType type;
  GstWebRTCSignalingState expect;       /* ERR: InvalidStateError */
} Edge;

/* https://www.rfc-editor.org/rfc/rfc8829#section-3.2 and
 * https://w3c.github.io/webrtc-pc/#set-description */
static const Edge edges[] = {
  {STABLE, LOCAL, OFFER, HLO},
  {STABLE, LOCAL, PRANSWER, ERR},
  {STABLE, LOCAL, ANSWER, ERR},
  {STABLE, LOCAL, ROLLBACK, ERR},       /* nothing to roll back */
  {STABLE, REMOTE, OFFER, HRO},
  {STABLE, REMOTE, PRANSWER, ERR},
  {STABLE, REMOTE, ANSWER, ERR},
  {STABLE, REMOTE, ROLLBACK, ERR},

  {HLO, LOCAL, OFFER, HLO},     /* a new local offer replaces the pending one */
  {HLO, LOCAL, PRANSWER, ERR},
  {HLO, LOCAL, ANSWER, ERR},
  {HLO, LOCAL, ROLLBACK, STABLE},
  {HLO, REMOTE, OFFER, ERR},    /* glare: roll back first */
  {HLO, REMOTE, PRANSWER, HRP},
  {HLO, REMOTE, ANSWER, STABLE},
  {HLO, REMOTE, ROLLBACK, STABLE},      /* RFC 8829 5.7: same either way */

  {HRO, LOCAL, OFFER, ERR},
  {HRO, LOCAL, PRANSWER, HLP},
  {HRO, LOCAL, ANSWER, STABLE},
  {HRO, LOCAL, ROLLBACK, STABLE},
  {HRO, REMOTE, OFFER, HRO},
  {HRO, REMOTE, PRANSWER, ERR},
  {HRO, REMOTE, ANSWER, ERR},
  {HRO, REMOTE, ROLLBACK, STABLE},

  {HLP, LOCAL, OFFER, ERR},
  {HLP, LOCAL, PRANSWER, HLP},
  {HLP, LOCAL, ANSWER, STABLE},
  {HLP, LOCAL, ROLLBACK, ERR},  /* W3C: no rollback of a pranswer */
  {HLP, REMOTE, OFFER, ERR},
  {HLP, REMOTE, PRANSWER, ERR},
  {HLP, REMOTE, ANSWER, ERR},
  {HLP, REMOTE, ROLLBACK, ERR},

  {HRP, LOCAL, OFFER, ERR},
  {HRP, LOCAL, PRANSWER, ERR},
  {HRP, LOCAL, ANSWER, ERR},
  {HRP, LOCAL, ROLLBACK, ERR},
  {HRP, REMOTE, OFFER, ERR},
  {HRP, REMOTE, PRANSWER, HRP},
  {HRP, REMOTE, ANSWER, STABLE},
  {HRP, REMOTE, ROLLBACK, ERR},

  {CLOSED, LOCAL, OFFER, ERR},
  {CLOSED, LOCAL, PRANSWER, ERR},
  {CLOSED, LOCAL, ANSWER, ERR},
  {CLOSED, LOCAL, ROLLBACK, ERR},
  {CLOSED, REMOTE, OFFER, ERR},
  {CLOSED, REMOTE, PRANSWER, ERR},
  {CLOSED, REMOTE, ANSWER, ERR},
  {CLOSED, REMOTE, ROLLBACK, ERR},
};

static gchar *
edge_name (const Edge * e)
{
  return g_strdup_printf ("%s->%s(%s)->%s",
      rtc_signaling_state_to_string (e->from),
      e->source == LOCAL ? "SetLocal" : "SetRemote",
      rtc_sdp_type_to_string (e->type),
      e->expect == ERR ? "error" : rtc_signaling_state_to_string (e->expect));
}

static void
test_edge (gconstpointer data)
{
  const Edge *e = data;
  GstWebRTCSignalingState next = (GstWebRTCSignalingState) 0x55;
  GError *error = NULL;
  gboolean ok;

  ok = rtc_jsep_next_signaling_state (e->from, e->source, e->type, &next,
      &error);
  if (e->expect == ERR) {
    gchar *state = g_strdup_printf ("'%s'",
        rtc_signaling_state_to_string (e->from));
    gchar *call = g_strdup_printf ("%s %s",
        rtc_sdp_source_to_string (e->source), rtc_sdp_type_to_string (e->type));

    g_assert_false (ok);
    g_assert_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_STATE);
    /* The message is for people: it names the state and the call. */
    g_test_message ("%s", error->message);
    g_assert_nonnull (strstr (error->message, state));
    g_assert_nonnull (strstr (error->message, call));
    g_assert_cmpint (next, ==, 0x55);
    g_free (state);
    g_free (call);
    g_clear_error (&error);
  } else {
    g_assert_no_error (error);
    g_assert_true (ok);
    g_assert_cmpstr (rtc_signaling_state_to_string (next), ==,
        rtc_signaling_state_to_string (e->expect));
  }
}

/* The table has each of the 48 combinations exactly once. */
static void
test_table_complete (void)
{
  guint s, src, t, i;

  g_assert_cmpuint (G_N_ELEMENTS (edges), ==, 6 * 2 * 4);
  for (s = STABLE; s <= HRP; s++) {
    for (src = LOCAL; src <= REMOTE; src++) {
      for (t = OFFER; t <= ROLLBACK; t++) {
        guint n = 0;

        for (i = 0; i < G_N_ELEMENTS (edges); i++) {
          if (edges[i].from == s && edges[i].source == src
              && edges[i].type == t)
            n++;
        }
        g_assert_cmpuint (n, ==, 1);
      }
    }
  }
}

static void
test_example_message (void)
{
  GError *error = NULL;

  g_assert_false (rtc_jsep_next_signaling_state (STABLE, REMOTE, ANSWER, NULL,
          &error));
  g_assert_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_STATE);
  g_assert_true (g_str_has_prefix (error->message,
          "Cannot set remote answer in signaling state 'stable' ("));
  g_clear_error (&error);

  g_assert_false (rtc_jsep_next_signaling_state (CLOSED, LOCAL, OFFER, NULL,
          &error));
  g_assert_nonnull (strstr (error->message, "closed"));
  g_clear_error (&error);
}

static void
test_null_next (void)
{
  g_assert_true (rtc_jsep_next_signaling_state (STABLE, LOCAL, OFFER, NULL,
          NULL));
  g_assert_false (rtc_jsep_next_signaling_state (STABLE, LOCAL, ANSWER, NULL,
          NULL));
}

static void
test_unknown_type (void)
{
  GstWebRTCSignalingState next = STABLE;
  GError *error = NULL;

  g_assert_false (rtc_jsep_next_signaling_state (STABLE, LOCAL,
          (GstWebRTCSDPType) 0, &next, &error));
  g_assert_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP);
  g_assert_nonnull (strstr (error->message, "type 0"));
  g_clear_error (&error);

  g_assert_false (rtc_jsep_next_signaling_state (HLO, REMOTE,
          (GstWebRTCSDPType) 42, &next, &error));
  g_assert_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP);
  g_clear_error (&error);
  g_assert_cmpint (next, ==, STABLE);
}

static void
test_unknown_state_and_source (void)
{
  GError *error = NULL;

  g_assert_false (rtc_jsep_next_signaling_state ((GstWebRTCSignalingState) 99,
          LOCAL, OFFER, NULL, &error));
  g_assert_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INTERNAL);
  g_clear_error (&error);

  g_assert_false (rtc_jsep_next_signaling_state (STABLE, (RtcSdpSource) 7,
          OFFER, NULL, &error));
  g_assert_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INTERNAL);
  g_clear_error (&error);
}

static void
test_names (void)
{
  g_assert_cmpstr (rtc_sdp_source_to_string (LOCAL), ==, "local");
  g_assert_cmpstr (rtc_sdp_source_to_string (REMOTE), ==, "remote");
  g_assert_cmpstr (rtc_signaling_state_to_string (HRP), ==,
      "have-remote-pranswer");
  g_assert_cmpstr (rtc_sdp_type_to_string (ROLLBACK), ==, "rollback");
  g_assert_null (rtc_sdp_type_to_string ((GstWebRTCSDPType) 0));
}

/* A whole negotiation, as rtcpeerbin will drive it. */
static void
test_walk (void)
{
  GstWebRTCSignalingState s = STABLE;

  g_assert_true (rtc_jsep_next_signaling_state (s, LOCAL, OFFER, &s, NULL));
  g_assert_true (rtc_jsep_next_signaling_state (s, REMOTE, PRANSWER, &s, NULL));
  g_assert_cmpint (s, ==, HRP);
  g_assert_true (rtc_jsep_next_signaling_state (s, REMOTE, ANSWER, &s, NULL));
  g_assert_cmpint (s, ==, STABLE);
  g_assert_true (rtc_jsep_next_signaling_state (s, REMOTE, OFFER, &s, NULL));
  g_assert_true (rtc_jsep_next_signaling_state (s, REMOTE, ROLLBACK, &s, NULL));
  g_assert_cmpint (s, ==, STABLE);
}

int
main (int argc, char **argv)
{
  guint i;

  g_test_init (&argc, &argv, NULL);

  for (i = 0; i < G_N_ELEMENTS (edges); i++) {
    gchar *name = edge_name (&edges[i]);
    gchar *path = g_strconcat ("/jsep/state/", name, NULL);

    g_test_add_data_func (path, &edges[i], test_edge);
    g_free (path);
    g_free (name);
  }
  g_test_add_func ("/jsep/state/table-complete", test_table_complete);
  g_test_add_func ("/jsep/state/example-message", test_example_message);
  g_test_add_func ("/jsep/state/null-next", test_null_next);
  g_test_add_func ("/jsep/state/unknown-type", test_unknown_type);
  g_test_add_func ("/jsep/state/unknown-state-and-source",
      test_unknown_state_and_source);
  g_test_add_func ("/jsep/state/names", test_names);
  g_test_add_func ("/jsep/state/walk", test_walk);

  return g_test_run ();
}
