/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gst/webrtc/webrtc.h>

#include "../gstrtcelements.h"
#include "rtcpeerops.h"
#include "rtcpeeremit.h"
#include "gstrtctransceiver.h"
#include "gstrtcsctptransport.h"
#include "jsep/rtcjsep-media.h"
#include "dtls/rtccert.h"
#include "jsep/rtcjsep-state.h"
#include "jsep/rtcjsep-plan.h"
#include "ice/rtcice.h"
#include "transport/gstrtctransport.h"

G_BEGIN_DECLS

#define GST_TYPE_RTC_PEER_BIN (gst_rtc_peer_bin_get_type ())
G_DECLARE_FINAL_TYPE (GstRtcPeerBin, gst_rtc_peer_bin, GST, RTC_PEER_BIN,
    GstBin);

/* Things a JSEP operation changed that must be announced once the lock is
 * dropped (libnice's queue-then-emit, STYLE.md 3.4). */
typedef enum
{
  RTC_NOTIFY_SIGNALING_STATE = 1 << 0,
  RTC_NOTIFY_LOCAL_DESCRIPTION = 1 << 1,        /* and current-/pending- */
  RTC_NOTIFY_REMOTE_DESCRIPTION = 1 << 2,
  RTC_NOTIFY_ICE_GATHERING_STATE = 1 << 3,
  RTC_NOTIFY_ICE_CONNECTION_STATE = 1 << 4,
  RTC_NOTIFY_CONNECTION_STATE = 1 << 5,
} RtcPeerNotify;

typedef struct
{
  guint notify_mask;            /* RtcPeerNotify */
  GPtrArray *new_transceivers;  /* GstRtcRtpTransceiver, owned */
  gboolean negotiation_needed;
} RtcPeerPending;

/* One ICE+DTLS transport: a BUNDLE group, or one m-line without one. */
typedef struct
{
  GstRtcPeerBin *bin;           /* not a ref */
  gchar *tag_mid;               /* mid of the group's first m-line */
  gint mline;                   /* m-line its candidates are signalled on */
  GArray *mlines;               /* guint: the m-lines it carries */
  guint session_id;             /* rtpbin session */
  guint stream_id;              /* ICE stream */
  GstRtcTransport *element;     /* owned (floating ref sunk by the bin) */
  GstElement *funnel;           /* rtpfunnel in front of send_rtp_sink */
  gchar *remote_ufrag;          /* remote ICE credentials in use */
  gchar *remote_pwd;
  gchar *local_ufrag;           /* local ICE credentials of the stream */
  gchar *local_pwd;
  /* a remote offer restarted ICE, our answer has not yet: its candidates
   * wait in the remote description */
  gboolean remote_restart_pending;
  gchar *remote_fingerprint;
  gboolean gathering;
  gboolean gathering_done;
  gboolean dtls_started;
  gboolean dtls_client;
  GstWebRTCICEConnectionState ice_state;
  RtcDtlsState dtls_state;
  gchar *selected_pair;
  /* map_lock protects the receive routing below: the ops thread swaps it
   * after every description, the receive path (an ICE thread) and
   * rtpbin's signals read it. Lock order: pc_lock, map_lock, then a
   * transceiver's object lock; never held around a signal emission. */
  GMutex map_lock;
  RtcJsepRoutes *routes;        /* core/jsep/rtcjsep-route.h; may be NULL */
  GPtrArray *by_mline;          /* m-line -> GstRtcRtpTransceiver or NULL */
  GHashTable *learned;          /* ssrc -> mid, from the MID header ext. */
} RtcPeerTransport;

struct _GstRtcPeerBin
{
  GstBin parent;

  RtcPeerOps *ops;
  /* every signal application code handles goes out through it, on the
   * ops thread (rtcpeeremit.h) */
  RtcPeerEmitter *emitter;

  /* caps_cond is signalled (under caps_lock) when a sink pad's caps gave
   * its transceiver a codec; see gst_rtc_peer_bin_wait_sink_caps(). */
  GMutex caps_lock;
  GCond caps_cond;

  /* pc_lock protects everything below. Lock order: pc_lock, then a
   * transceiver's object lock. Never emit a signal or answer a promise
   * while holding it. */
  GMutex pc_lock;
  gboolean closed;
  GstWebRTCSignalingState signaling_state;
  GstWebRTCICEGatheringState ice_gathering_state;
  GstWebRTCICEConnectionState ice_connection_state;
  GstWebRTCPeerConnectionState connection_state;
  GstWebRTCSessionDescription *current_local;
  GstWebRTCSessionDescription *pending_local;
  GstWebRTCSessionDescription *current_remote;
  GstWebRTCSessionDescription *pending_remote;
  /* The last offer or answer we created, so set-local-description can
   * tell an untouched description from a hand-edited one. */
  RtcJsepSession session;
  GPtrArray *transceivers;      /* GstRtcRtpTransceiver, owned */
  /* the m=application section, once a data channel exists or the remote
   * offered one; not listed by get-transceivers */
  GstRtcRtpTransceiver *data_trans;
  /* the transceivers the pending remote offer created: a rollback
   * removes them */
  GPtrArray *offer_transceivers;
  GPtrArray *early_candidates;  /* RtcEarlyCandidate: before remote SDP */
  gboolean negotiation_needed;  /* the W3C [[NegotiationNeeded]] slot */
  /* restart-ice called, no local description restarted yet (W3C
   * [[LocalIceCredentialsToReplace]]) */
  gboolean ice_restart_requested;
  /* READY or above: as webrtcbin, on-negotiation-needed waits for it */
  gboolean ready;
  RtcPeerPending pending;

  /* configuration */
  gchar *stun_server;
  gchar *turn_server;
  GPtrArray *turn_servers;      /* gchar*, from add-turn-server */
  GstWebRTCBundlePolicy bundle_policy;
  GstWebRTCICETransportPolicy ice_transport_policy;
  guint latency;
  gchar *ice_addresses;
  guint ice_min_port;
  guint ice_max_port;
  gchar *certificate_pem;

  guint next_sink_id;

  /* media: set up on the ops thread, read by streaming threads under
   * pc_lock */
  GstElement *rtpbin;
  RtcIceAgent *ice;
  GPtrArray *transports;        /* RtcPeerTransport */
  gboolean ice_controlling;
  GHashTable *remote_streams;   /* msid -> number of src pads */
  guint next_src_id;
  guint next_session_id;
  RtcCertificate *certificate;  /* owned: the property's, or generated */
  /* stream id -> GstRtcTransport, read by the ICE thread without a lock */
  gpointer by_stream[64];

  /* data channels (rtcpeersctp.c); sctp_lock protects: dcs, sctp,
   * sctp_transport, sctp_timer, data_channels. Taken after pc_lock, before
   * a transport's locks. */
  GMutex sctp_lock;
  struct _RtcDataChannels *dcs;
  struct _RtcSctp *sctp;
  GstRtcTransport *sctp_transport;
  GMainContext *sctp_context;   /* atomic: read by the wakeup */
  GSource *sctp_timer;
  RtcSendBatch sctp_batch;      /* one drain's packets, sent together */
  GPtrArray *data_channels;     /* GstRtcDataChannel, owned */

  gint eos_posted;              /* atomic (rtcpeereos.c) */

  /* rtcpeerobjects.c: the GstWebRTC objects webrtcbin hands out, made on
   * first read (pc_lock); http-proxy (pc_lock) */
  GstWebRTCICE *ice_agent;
  GstWebRTCSCTPTransport *sctp_transport_obj;
  gchar *http_proxy;
  gboolean sctp_stopped;        /* sctp_lock: the association has ended */
  gboolean identity_verified;   /* pc_lock: on-peer-identity was emitted */
};

/* What we accept and advertise in a=max-message-size (RFC 8841 §6). */
#define RTC_PEER_MAX_MESSAGE_SIZE 262144

#define PC_LOCK(self) g_mutex_lock (&(self)->pc_lock)
#define PC_UNLOCK(self) g_mutex_unlock (&(self)->pc_lock)

/* rtcpeerjsep.c: the JSEP operations, run on the ops thread. */
GstStructure *rtc_peer_jsep_create_offer (gpointer self, gpointer options);
GstStructure *rtc_peer_jsep_create_answer (gpointer self, gpointer options);
typedef struct
{
  RtcSdpSource source;
  GstWebRTCSessionDescription *desc;
} RtcPeerSetDescription;
GstStructure *rtc_peer_jsep_set_description (gpointer self, gpointer data);
void          rtc_peer_set_description_free (gpointer data);
typedef struct
{
  guint mline;
  gchar *candidate;
} RtcPeerCandidate;
GstStructure *rtc_peer_jsep_add_ice_candidate (gpointer self, gpointer data);
void          rtc_peer_candidate_free (gpointer data);
GstStructure *rtc_peer_jsep_check_negotiation (gpointer self, gpointer data);

/* rtcpeersctp.c: data channels over SCTP. */
struct _GstRtcDataChannel;
struct _GstRtcDataChannel *rtc_peer_sctp_create_channel (GstRtcPeerBin * self,
                                              const gchar * label,
                                              const GstStructure * options,
                                              GError ** error);
void          rtc_peer_sctp_start (GstRtcPeerBin * self,
                                   GstRtcTransport * transport,
                                   gboolean dtls_client,
                                   GMainContext * context,
                                   guint16 remote_port,
                                   gsize remote_max_message_size,
                                   guint remote_max_packet);
guint         rtc_peer_sctp_get_path_mtu (GstRtcPeerBin * self,
                                          GstRtcTransport * transport);
void          rtc_peer_sctp_receive (GstRtcPeerBin * self,
                                     const guint8 * data, gsize len);
void          rtc_peer_sctp_stop (GstRtcPeerBin * self);
/* the association as RTCSctpTransport shows it (any thread, no lock) */
void          rtc_peer_sctp_query_transport (gpointer self,
                                             GstRtcSctpTransportInfo * info);
void          gst_rtc_peer_bin_emit_data_channel (GstRtcPeerBin * self,
                                                  struct _GstRtcDataChannel * channel);

/* rtcpeerstats.c: the get-stats operation. */
GstStructure *rtc_peer_stats_collect (gpointer self, gpointer data);

/* rtcpeermedia.c: ICE, transports and rtpbin. */
void          rtc_peer_media_init (GstRtcPeerBin * self);
/* The transports as the planner sees them (pc_lock held): fills
 * @state's transports and SCTP fields; free with g_free (*@out). */
void          rtc_peer_media_state_locked (GstRtcPeerBin * self,
                                           RtcJsepState * state,
                                           RtcJsepStateTransport ** out);
/* Set-description, the parts that can fail: the ICE agent, ICE streams
 * and elements of the transports @plan creates, gathering, remote
 * credentials and candidates, DTLS. On the ops thread without pc_lock.
 * On failure everything it created is released and *@created is NULL. */
gboolean      rtc_peer_media_acquire (GstRtcPeerBin * self,
                                      const RtcJsepPlan * plan,
                                      GPtrArray ** created, GError ** error);
/* Releases what acquire created when the plan is not committed. */
void          rtc_peer_media_release (GstRtcPeerBin * self,
                                      GPtrArray * created);
/* Commit (pc_lock held, cannot fail): lists the transports acquire
 * created, unlists those @plan removes (into *@removed), takes the
 * receive routing of @plan. */
void          rtc_peer_media_commit_locked (GstRtcPeerBin * self,
                                            RtcJsepPlan * plan,
                                            GPtrArray * created,
                                            GPtrArray ** removed);
/* After commit, without pc_lock: SCTP starts or stops, removed
 * transports are torn down, sink pads link to their transports. */
void          rtc_peer_media_finish (GstRtcPeerBin * self,
                                     const RtcJsepPlan * plan,
                                     GPtrArray * removed);
/* Remote candidate for @mline (ops thread, without pc_lock). */
void          rtc_peer_media_add_remote_candidate (GstRtcPeerBin * self,
                                                   guint mline,
                                                   const gchar * candidate);
/* A sink pad of the bin gets its transport (or loses it). */
void          rtc_peer_media_link_sink (GstRtcPeerBin * self, GstPad * pad);
void          rtc_peer_media_link_sinks (GstRtcPeerBin * self);
void          rtc_peer_media_teardown (GstRtcPeerBin * self);
void          rtc_peer_media_remove_src_pads (GstRtcPeerBin * self);
RtcPeerTransport *rtc_peer_transport_by_session (GstRtcPeerBin * self,
                                                 guint session);
RtcPeerTransport *rtc_peer_transport_by_tag (GstRtcPeerBin * self,
                                             const gchar * tag);
/* The transport that carries @mline, or NULL (pc_lock held). */
RtcPeerTransport *rtc_peer_transport_by_mline (GstRtcPeerBin * self,
                                               guint mline);

/* rtcpeerencode.c: sink pads taking encoded media; the payload type a
 * sink pad sends with. */
struct _GstRtcPeerPad;
gboolean      rtc_peer_encode_is_encoded (const GstCaps * caps);
/* The RTP caps that describe encoded @caps to the negotiation (new ref),
 * or NULL when @caps are not encoded media we payload. */
GstCaps      *rtc_peer_encode_describe (struct _GstRtcPeerPad * pad,
                                        const GstCaps * caps);
/* Links @pad to its transport's @funnel_pad, through a payloader when it
 * takes encoded media and a clocksync when its source is not live. */
gboolean      rtc_peer_encode_link (GstRtcPeerBin * self,
                                    struct _GstRtcPeerPad * pad,
                                    GstPad * funnel_pad);
/* After a description: the pad sends the payload type negotiated. */
void          rtc_peer_encode_apply_pt (GstRtcPeerBin * self,
                                        struct _GstRtcPeerPad * pad);
void          rtc_peer_encode_release (GstRtcPeerBin * self,
                                       struct _GstRtcPeerPad * pad);
/* A buffer on a sink pad without a transport yet: DROP when upstream is
 * live, OK (the probe blocks) when it is not. */
GstPadProbeReturn rtc_peer_encode_hold (struct _GstRtcPeerPad * pad);

/* rtcpeerlink.c: the "peer" property, two bins of a pipeline that
 * negotiate with each other. */
void          rtc_peer_link_class_init (GstRtcPeerBinClass * klass);
void          rtc_peer_link_init (GstRtcPeerBin * self);

/* rtcpeerwhip.c: a WHIP client (whip-endpoint, whip-token). */
void          rtc_peer_whip_class_init (GstRtcPeerBinClass * klass);
void          rtc_peer_whip_init (GstRtcPeerBin * self);
/* rtcpeerwhipserver.c: a WHIP server (whip-listen). */
void          rtc_peer_whip_server_class_init (GstRtcPeerBinClass * klass);

/* rtcpeerobjects.c: "ice-agent", "sctp-transport", "http-proxy". */
void          rtc_peer_objects_class_init (GstRtcPeerBinClass * klass);
void          rtc_peer_objects_finalize (GstRtcPeerBin * self);
/* on-peer-identity and notify::remote-certificate (ops thread, no lock) */
void          rtc_peer_objects_identity_verified (GstRtcPeerBin * self,
                                                  const gchar * pem);
/* notify::state of the sctp-transport, if one was handed out (no lock) */
void          rtc_peer_objects_sctp_changed (GstRtcPeerBin * self);
void          rtc_peer_whip_server_init (GstRtcPeerBin * self);
/* rtcpeerwhepserver.c: a WHEP server (whep-listen, whep-token), one child
 * rtcpeerbin per viewer. */
void          rtc_peer_whep_server_class_init (GstRtcPeerBinClass * klass);
void          rtc_peer_whep_server_init (GstRtcPeerBin * self);

/* rtcpeerdtmf.c: DTMF (insert-dtmf, on-tone-change, on-dtmf-received). */
void          rtc_peer_dtmf_class_init (GstRtcPeerBinClass * klass);
/* A linked audio sink pad: its packets on @funnel_pad may carry tones. */
void          rtc_peer_dtmf_watch_sink (GstRtcPeerBin * self, GstPad * pad,
                                        GstPad * funnel_pad);
/* rtpbin's pad for one SSRC's telephone-event: TRUE when it is one (the
 * pad then gets no ghost). */
gboolean      rtc_peer_dtmf_claim_pad (GstRtcPeerBin * self, GstPad * pad,
                                       guint session, guint ssrc, guint pt);

/* rtcpeereos.c: end of stream (RTCP BYE both ways, the bin's EOS). */
void          rtc_peer_eos_init (GstRtcPeerBin * self);
/* A new run (READY to PAUSED): the bin may post EOS again. */
void          rtc_peer_eos_reset (GstRtcPeerBin * self);

/* rtcpeerpads.c: rtpbin's signals and the pads (streaming threads). */
GstCaps      *rtc_peer_pads_request_pt_map (GstElement * rtpbin,
                                            guint session, guint pt,
                                            GstRtcPeerBin * self);
void          rtc_peer_pads_new_jitterbuffer (GstElement * rtpbin,
                                              GstElement * jb, guint session,
                                              guint ssrc, GstRtcPeerBin * self);
void          rtc_peer_pads_rtpbin_pad_added (GstElement * rtpbin,
                                              GstPad * pad,
                                              GstRtcPeerBin * self);
void          rtc_peer_pads_rtpbin_pad_removed (GstElement * rtpbin,
                                                GstPad * pad,
                                                GstRtcPeerBin * self);
/* The receive routing of a new transport, and the probe in front of
 * rtpbin that ties each remote SSRC to its m-line (RFC 8843 section 9.2)
 * with rtc_jsep_route_packet(). */
void          rtc_peer_pads_init_maps (RtcPeerTransport * t);
void          rtc_peer_pads_clear_maps (RtcPeerTransport * t);
/* Takes @routes and @by_mline (m-line -> transceiver refs) under
 * map_lock; either may be NULL to keep the current one. */
void          rtc_peer_pads_set_routes (RtcPeerTransport * t,
                                        RtcJsepRoutes * routes,
                                        GPtrArray * by_mline);
void          rtc_peer_pads_watch_receive (RtcPeerTransport * t,
                                           GstPad * rtp_src);

/* gstrtcpeerbin.c: announce what an operation changed; called without
 * pc_lock (rtc_peer_emit ()). */
void          gst_rtc_peer_bin_emit_pending (GstRtcPeerBin * self);
/* The one way to emit what application code handles: queued, then
 * emitted on the ops thread with no lock held; called on the ops thread
 * (without locks) it emits at once, after what was queued before. */
void          rtc_peer_emit (GstRtcPeerBin * self, RtcPeerEmitFunc func,
                             gpointer data, GDestroyNotify destroy);
void          gst_rtc_peer_bin_update_negotiation_needed (GstRtcPeerBin * self);
/* Before a description is built or applied: waits a little for the caps
 * of linked sink pads that have none yet (ops thread, no lock held). */
void          gst_rtc_peer_bin_wait_sink_caps (GstRtcPeerBin * self);
void          gst_rtc_peer_bin_emit_prepare_data_channel
                                  (GstRtcPeerBin * self,
                                   struct _GstRtcDataChannel * channel,
                                   gboolean is_local);
void          gst_rtc_peer_bin_emit_ice_candidate (GstRtcPeerBin * self,
                                                   guint mline,
                                                   const gchar * candidate);
/* on-add-stream (@added) or on-remove-stream */
void          gst_rtc_peer_bin_emit_add_stream (GstRtcPeerBin * self,
                                                const gchar * msid,
                                                gboolean added);

/* ICE streams are small integers; the receive path finds its transport
 * without a lock through by_stream. */
#define MAX_STREAMS 64

/* rtcpeerevents.c */
gboolean      rtc_peer_events_ensure_ice_agent (GstRtcPeerBin * self,
                                                GError ** error);
void          rtc_peer_events_transport_callbacks
                                  (GstRtcTransportCallbacks * cb);

#define DEFAULT_BUNDLE_POLICY GST_WEBRTC_BUNDLE_POLICY_NONE
#define DEFAULT_ICE_TRANSPORT_POLICY GST_WEBRTC_ICE_TRANSPORT_POLICY_ALL
#define DEFAULT_LATENCY 200

/* pc_lock held: a new transceiver, announced later by emit_pending */
GstRtcRtpTransceiver *rtc_peer_add_transceiver_locked (GstRtcPeerBin * self,
                                  RtcJsepMedia * media);

/* rtcpeersinks.c */
GstPad       *gst_rtc_peer_bin_request_new_pad (GstElement * element,
                                  GstPadTemplate * templ, const gchar * name,
                                  const GstCaps * caps);
void          gst_rtc_peer_bin_release_pad (GstElement * element,
                                  GstPad * pad);

/* rtcpeerprops.c */
void          rtc_peer_props_install (GObjectClass * gobject_class);
void          rtc_peer_props_set (GObject * object, guint prop_id,
                                  const GValue * value, GParamSpec * pspec);
void          rtc_peer_props_get (GObject * object, guint prop_id,
                                  GValue * value, GParamSpec * pspec);
void          rtc_peer_props_notify (GstRtcPeerBin * self, guint mask);
gboolean      rtc_peer_props_validate_turn_uri (const gchar * uri,
                                                GError ** error);

G_END_DECLS
