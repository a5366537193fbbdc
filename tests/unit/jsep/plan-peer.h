/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* A peer connection reduced to its negotiation state, for the planner
 * tests: it keeps what rtcpeerbin keeps, gives it to
 * rtc_jsep_plan_prepare() as an RtcJsepState and commits plans the way
 * the element does, so that a test can run whole offer/answer exchanges
 * (and rollbacks) through the planner alone. */

#pragma once

#include "jsep/rtcjsep-plan.h"
#include "jsep/rtcjsep-offer.h"
#include "jsep/rtcjsep-answer.h"
#include "jsep/rtcsdputil.h"

typedef struct
{
  gchar *tag;
  gchar *remote_ufrag, *remote_pwd, *remote_fingerprint;
  gchar *local_ufrag, *local_pwd;
  gboolean gathering, dtls_started, dtls_client, dtls_connected;
  gboolean remote_restart_pending;
  guint restarts;               /* remote credentials changed */
  guint local_restarts;         /* the stream restarted */
} TestTransport;

typedef struct
{
  GstWebRTCSignalingState state;
  GstWebRTCSessionDescription *cl, *pl, *cr, *pr;
  GPtrArray *medias;            /* RtcJsepMedia, by transceiver id */
  GArray *current_dirs;         /* GstWebRTCRTPTransceiverDirection */
  GArray *created_by_offer;     /* gboolean */
  GPtrArray *transports;        /* TestTransport */
  gboolean sctp_running;
  gchar *sctp_tag;
  RtcJsepSession session;
  guint n_created, n_removed;   /* transports, over the peer's life */
  /* scratch for the state handed to the planner */
  RtcJsepStateTransceiver *st;
  RtcJsepStateTransport *sp;
} TestPeer;

/* what a peer answers an ICE restart with (rtcpeerbin: random) */
#define TEST_RESTART_UFRAG "QW5z"
#define TEST_RESTART_PWD "YW5zd2VycGFzc3dvcmRmb3JpY2U"
#define TEST_UFRAG "Rk9u"
#define TEST_PWD "dGhpc2lzYXBhc3N3b3JkMTIz"
#define TEST_FINGERPRINT "sha-256 " \
  "7A:1C:3E:90:5B:D2:44:F8:0E:6A:B3:29:C7:51:8D:FE:" \
  "02:9B:6C:E4:13:A7:58:D0:3F:82:C9:1E:64:B5:07:AA"

TestPeer     *test_peer_new (GstWebRTCBundlePolicy policy);
void          test_peer_free (TestPeer * p);
/* A transceiver from caps, or a data section (caps NULL). Returns its id. */
guint         test_peer_add (TestPeer * p, const gchar * caps,
                             GstWebRTCRTPTransceiverDirection direction);
RtcJsepState  test_peer_state (TestPeer * p);
/* prepare + commit; NULL (and @error) when prepare fails, and then the
 * peer is unchanged. The plan is returned for inspection (free it). */
RtcJsepPlan  *test_peer_set (TestPeer * p, RtcSdpSource source,
                             const GstWebRTCSessionDescription * desc,
                             GError ** error);
/* The offer / answer the existing builders make from the peer's models
 * (mids written back for the offer, as create-offer does). */
GstWebRTCSessionDescription *test_peer_offer (TestPeer * p);
GstWebRTCSessionDescription *test_peer_answer (TestPeer * p);
GstWebRTCSessionDescription *test_rollback (void);
TestTransport *test_peer_transport (TestPeer * p, const gchar * tag);
/* Remote and local sides exchange offer and answer: @a offers. */
void          test_negotiate (TestPeer * a, TestPeer * b);
/* A copy of @desc as text with every @from replaced by @to. */
GstWebRTCSessionDescription *test_desc_replace (const GstWebRTCSessionDescription * desc,
                                                const gchar * from,
                                                const gchar * to);
GstWebRTCSessionDescription *test_desc_from_text (GstWebRTCSDPType type,
                                                  const gchar * text);
gchar        *test_data_path (const gchar * subdir, const gchar * name);
gchar        *test_read_text (const gchar * path);
