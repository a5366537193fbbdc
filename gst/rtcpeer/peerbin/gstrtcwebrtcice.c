/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* rtcpeerbin's "ice-agent": the GstWebRTCICE that webrtcbin applications
 * configure (add-local-ip-address, min/max-rtp-port, STUN/TURN servers,
 * the HTTP proxy) before the first gathering. It holds no state of its
 * own: every setting is the bin's property of the same meaning, so the
 * two can never disagree, and the agent may outlive its bin (it then
 * reads empty and ignores writes).
 *
 * The class's other virtual methods are how webrtcbin drives its agent
 * (streams, credentials, remote candidates); rtcpeerbin drives libnice
 * itself from the negotiation, so an application calling them gets a
 * warning that says so instead of a second, competing agent. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gio/gio.h>

#include "gstrtcwebrtcice.h"

GST_DEBUG_CATEGORY_STATIC (gst_rtc_webrtc_ice_debug);
#define GST_CAT_DEFAULT gst_rtc_webrtc_ice_debug

struct _GstRtcWebRTCIce
{
  GstWebRTCICE parent;
  GWeakRef bin;
  gboolean constructed;
};

enum
{
  PROP_0,
  PROP_MIN_RTP_PORT,
  PROP_MAX_RTP_PORT,
  PROP_ICE_TCP,
  PROP_ICE_UDP,
};

G_DEFINE_TYPE (GstRtcWebRTCIce, gst_rtc_webrtc_ice, GST_TYPE_WEBRTC_ICE);

static GstElement *
get_bin (GstWebRTCICE * ice)
{
  return g_weak_ref_get (&GST_RTC_WEBRTC_ICE (ice)->bin);
}

static gchar *
get_bin_string (GstWebRTCICE * ice, const gchar * name)
{
  GstElement *bin = get_bin (ice);
  gchar *s = NULL;

  if (bin) {
    g_object_get (bin, name, &s, NULL);
    gst_object_unref (bin);
  }
  return s;
}

static void
set_bin (GstWebRTCICE * ice, const gchar * name, ...)
{
  GstElement *bin = get_bin (ice);
  va_list args;

  if (!bin)
    return;
  va_start (args, name);
  g_object_set_valist (G_OBJECT (bin), name, args);
  va_end (args);
  gst_object_unref (bin);
}

/* The address joins the bin's "ice-addresses": as with webrtcbin's agent,
 * naming addresses replaces gathering on every interface. */
static gboolean
add_local_ip_address (GstWebRTCICE * ice, const gchar * address)
{
  GInetAddress *inet;
  gchar *addresses, **list, *joined;
  gboolean known;

  inet = address ? g_inet_address_new_from_string (address) : NULL;
  if (!inet) {
    GST_WARNING_OBJECT (ice, "add-local-ip-address: '%s' is not an IP "
        "address", GST_STR_NULL (address));
    return FALSE;
  }
  g_object_unref (inet);
  addresses = get_bin_string (ice, "ice-addresses");
  list = g_strsplit (addresses ? addresses : "", ",", -1);
  known = g_strv_contains ((const gchar * const *) list, address);
  g_strfreev (list);
  if (!known) {
    joined = addresses && *addresses ?
        g_strconcat (addresses, ",", address, NULL) : g_strdup (address);
    set_bin (ice, "ice-addresses", joined, NULL);
    g_free (joined);
  }
  g_free (addresses);
  return TRUE;
}

static void
not_here (GstWebRTCICE * ice, const gchar * what)
{
  GST_WARNING_OBJECT (ice, "%s: rtcpeerbin drives its ICE agent from the "
      "negotiation itself; use the element's signals (add-ice-candidate, "
      "get-stats) instead", what);
}

static GstWebRTCICEStream *
add_stream (GstWebRTCICE * ice, guint session_id)
{
  not_here (ice, "add_stream");
  return NULL;
}

static GstWebRTCICETransport *
find_transport (GstWebRTCICE * ice, GstWebRTCICEStream * stream,
    GstWebRTCICEComponent component)
{
  not_here (ice, "find_transport");
  return NULL;
}

static gboolean
gather_candidates (GstWebRTCICE * ice, GstWebRTCICEStream * stream)
{
  not_here (ice, "gather_candidates");
  return FALSE;
}

static void
add_candidate (GstWebRTCICE * ice, GstWebRTCICEStream * stream,
    const gchar * candidate)
{
  not_here (ice, "add_candidate");
}

static gboolean
set_credentials (GstWebRTCICE * ice, GstWebRTCICEStream * stream,
    const gchar * ufrag, const gchar * pwd)
{
  not_here (ice, "set_local/remote_credentials");
  return FALSE;
}

static gboolean
add_turn_server (GstWebRTCICE * ice, const gchar * uri)
{
  GstElement *bin = get_bin (ice);
  gboolean ok = FALSE;

  if (bin) {
    g_signal_emit_by_name (bin, "add-turn-server", uri, &ok);
    gst_object_unref (bin);
  }
  return ok;
}

static void
set_is_controller (GstWebRTCICE * ice, gboolean controller)
{
  not_here (ice, "set_is_controller");
}

static gboolean
get_is_controller (GstWebRTCICE * ice)
{
  not_here (ice, "get_is_controller");
  return FALSE;
}

static void
set_force_relay (GstWebRTCICE * ice, gboolean force_relay)
{
  set_bin (ice, "ice-transport-policy", force_relay ?
      GST_WEBRTC_ICE_TRANSPORT_POLICY_RELAY :
      GST_WEBRTC_ICE_TRANSPORT_POLICY_ALL, NULL);
}

static void
set_stun_server (GstWebRTCICE * ice, const gchar * uri)
{
  set_bin (ice, "stun-server", uri, NULL);
}

static gchar *
get_stun_server (GstWebRTCICE * ice)
{
  return get_bin_string (ice, "stun-server");
}

static void
set_turn_server (GstWebRTCICE * ice, const gchar * uri)
{
  set_bin (ice, "turn-server", uri, NULL);
}

static gchar *
get_turn_server (GstWebRTCICE * ice)
{
  return get_bin_string (ice, "turn-server");
}

static void
set_http_proxy (GstWebRTCICE * ice, const gchar * uri)
{
  set_bin (ice, "http-proxy", uri, NULL);
}

static gchar *
get_http_proxy (GstWebRTCICE * ice)
{
  return get_bin_string (ice, "http-proxy");
}

static void
set_tos (GstWebRTCICE * ice, GstWebRTCICEStream * stream, guint tos)
{
  not_here (ice, "set_tos");
}

static void
set_on_ice_candidate (GstWebRTCICE * ice, GstWebRTCICEOnCandidateFunc func,
    gpointer user_data, GDestroyNotify notify)
{
  not_here (ice, "set_on_ice_candidate (connect to on-ice-candidate)");
  if (notify)
    notify (user_data);
}

static GstWebRTCICECandidateStats **
get_candidates (GstWebRTCICE * ice, GstWebRTCICEStream * stream)
{
  not_here (ice, "get_local/remote_candidates");
  return NULL;
}

static gboolean
get_selected_pair (GstWebRTCICE * ice, GstWebRTCICEStream * stream,
    GstWebRTCICECandidateStats ** local_stats,
    GstWebRTCICECandidateStats ** remote_stats)
{
  not_here (ice, "get_selected_pair");
  return FALSE;
}

static void
gst_rtc_webrtc_ice_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstRtcWebRTCIce *self = GST_RTC_WEBRTC_ICE (object);
  guint port;

  switch (prop_id) {
    case PROP_MIN_RTP_PORT:
    case PROP_MAX_RTP_PORT:
      /* The construct-time defaults (0 and 65535) mean "any port", which
       * is already the bin's own default. */
      if (!self->constructed)
        break;
      port = g_value_get_uint (value);
      if (prop_id == PROP_MAX_RTP_PORT && port == 65535)
        port = 0;
      set_bin (GST_WEBRTC_ICE (self), prop_id == PROP_MIN_RTP_PORT ?
          "ice-min-port" : "ice-max-port", port, NULL);
      break;
    case PROP_ICE_TCP:
      if (g_value_get_boolean (value))
        GST_WARNING_OBJECT (self, "ice-tcp: rtcpeerbin gathers UDP "
            "candidates only (no ICE-TCP, RFC 6544)");
      break;
    case PROP_ICE_UDP:
      if (!g_value_get_boolean (value))
        GST_WARNING_OBJECT (self, "ice-udp: rtcpeerbin's candidates are all "
            "UDP; it cannot run without them");
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_rtc_webrtc_ice_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstElement *bin = get_bin (GST_WEBRTC_ICE (object));
  guint port = 0;

  switch (prop_id) {
    case PROP_MIN_RTP_PORT:
    case PROP_MAX_RTP_PORT:
      if (bin)
        g_object_get (bin, prop_id == PROP_MIN_RTP_PORT ? "ice-min-port" :
            "ice-max-port", &port, NULL);
      if (prop_id == PROP_MAX_RTP_PORT && port == 0)
        port = 65535;
      g_value_set_uint (value, port);
      break;
    case PROP_ICE_TCP:
      g_value_set_boolean (value, FALSE);
      break;
    case PROP_ICE_UDP:
      g_value_set_boolean (value, TRUE);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  if (bin)
    gst_object_unref (bin);
}

static void
gst_rtc_webrtc_ice_constructed (GObject * object)
{
  G_OBJECT_CLASS (gst_rtc_webrtc_ice_parent_class)->constructed (object);
  GST_RTC_WEBRTC_ICE (object)->constructed = TRUE;
}

static void
gst_rtc_webrtc_ice_finalize (GObject * object)
{
  g_weak_ref_clear (&GST_RTC_WEBRTC_ICE (object)->bin);
  G_OBJECT_CLASS (gst_rtc_webrtc_ice_parent_class)->finalize (object);
}

static void
gst_rtc_webrtc_ice_class_init (GstRtcWebRTCIceClass * klass)
{
  GObjectClass *gobject_class = (GObjectClass *) klass;
  GstWebRTCICEClass *ice_class = (GstWebRTCICEClass *) klass;

  GST_DEBUG_CATEGORY_INIT (gst_rtc_webrtc_ice_debug, "rtcwebrtcice", 0,
      "rtcpeerbin's ice-agent");

  gobject_class->set_property = gst_rtc_webrtc_ice_set_property;
  gobject_class->get_property = gst_rtc_webrtc_ice_get_property;
  gobject_class->constructed = gst_rtc_webrtc_ice_constructed;
  gobject_class->finalize = gst_rtc_webrtc_ice_finalize;

  ice_class->add_stream = add_stream;
  ice_class->find_transport = find_transport;
  ice_class->gather_candidates = gather_candidates;
  ice_class->add_candidate = add_candidate;
  ice_class->set_local_credentials = set_credentials;
  ice_class->set_remote_credentials = set_credentials;
  ice_class->add_turn_server = add_turn_server;
  ice_class->set_is_controller = set_is_controller;
  ice_class->get_is_controller = get_is_controller;
  ice_class->set_force_relay = set_force_relay;
  ice_class->set_stun_server = set_stun_server;
  ice_class->get_stun_server = get_stun_server;
  ice_class->set_turn_server = set_turn_server;
  ice_class->get_turn_server = get_turn_server;
  ice_class->set_http_proxy = set_http_proxy;
  ice_class->get_http_proxy = get_http_proxy;
  ice_class->set_tos = set_tos;
  ice_class->set_on_ice_candidate = set_on_ice_candidate;
  ice_class->get_local_candidates = get_candidates;
  ice_class->get_remote_candidates = get_candidates;
  ice_class->get_selected_pair = get_selected_pair;

  /* The parent's port range lives in its own fields; ours is the bin's. */
  g_object_class_override_property (gobject_class, PROP_MIN_RTP_PORT,
      "min-rtp-port");
  g_object_class_override_property (gobject_class, PROP_MAX_RTP_PORT,
      "max-rtp-port");
  /* webrtcbin's libnice agent has these two; ours answers truthfully. */
  g_object_class_install_property (gobject_class, PROP_ICE_TCP,
      g_param_spec_boolean ("ice-tcp", "ICE TCP",
          "Gather and use TCP candidates (RFC 6544): not supported, always "
          "FALSE", FALSE, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_ICE_UDP,
      g_param_spec_boolean ("ice-udp", "ICE UDP",
          "Gather and use UDP candidates: always TRUE", TRUE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));

  g_signal_override_class_handler ("add-local-ip-address",
      GST_TYPE_RTC_WEBRTC_ICE, G_CALLBACK (add_local_ip_address));
}

static void
gst_rtc_webrtc_ice_init (GstRtcWebRTCIce * self)
{
  g_weak_ref_init (&self->bin, NULL);
}

GstWebRTCICE *
gst_rtc_webrtc_ice_new (GstElement * bin)
{
  GstRtcWebRTCIce *self = g_object_new (GST_TYPE_RTC_WEBRTC_ICE, NULL);

  g_weak_ref_set (&self->bin, bin);
  return gst_object_ref_sink (GST_WEBRTC_ICE (self));
}
