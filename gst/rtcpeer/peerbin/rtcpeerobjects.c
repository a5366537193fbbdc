/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Properties of webrtcbin that hand out GstWebRTC objects ("ice-agent",
 * "sctp-transport") and "http-proxy"; the peer identity signal. The objects are made on first read:
 * most applications never ask, and an sctp-transport exists (as in
 * webrtcbin) only once there is an m=application section. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrtcpeerbin.h"
#include "gstrtcwebrtcice.h"
#include "gstrtcsctptransport.h"

GST_DEBUG_CATEGORY_EXTERN (gst_rtc_peer_bin_debug);
#define GST_CAT_DEFAULT gst_rtc_peer_bin_debug

enum
{
  PROP_ICE_AGENT = 0x7e40,
  PROP_HTTP_PROXY,
  PROP_SCTP_TRANSPORT,
};

enum
{
  SIGNAL_ON_PEER_IDENTITY,
  NUM_SIGNALS
};

static guint signals[NUM_SIGNALS];

static GObjectSetPropertyFunc parent_set_property;
static GObjectGetPropertyFunc parent_get_property;

/* As webrtcbin takes it: http://[user:password@]host[:port], nothing
 * after the authority. */
static gboolean
validate_http_proxy (const gchar * uri, GError ** error)
{
  GUri *parsed = g_uri_parse (uri, G_URI_FLAGS_HAS_PASSWORD, error);
  const gchar *path;
  gboolean ok = FALSE;

  if (!parsed)
    return FALSE;
  path = g_uri_get_path (parsed);
  if (g_strcmp0 (g_uri_get_scheme (parsed), "http") != 0)
    g_set_error (error, G_URI_ERROR, G_URI_ERROR_BAD_SCHEME,
        "HTTP proxy '%s' must start with http://", uri);
  else if (!g_uri_get_host (parsed) || !*g_uri_get_host (parsed))
    g_set_error (error, G_URI_ERROR, G_URI_ERROR_BAD_HOST,
        "HTTP proxy '%s' has no host", uri);
  else if ((path && *path && g_strcmp0 (path, "/") != 0)
      || g_uri_get_query (parsed) || g_uri_get_fragment (parsed))
    g_set_error (error, G_URI_ERROR, G_URI_ERROR_BAD_PATH,
        "HTTP proxy '%s' may not have a path, query or fragment", uri);
  else
    ok = TRUE;
  g_uri_unref (parsed);
  return ok;
}

static void
set_property (GObject * object, guint prop_id, const GValue * value,
    GParamSpec * pspec)
{
  GstRtcPeerBin *self = GST_RTC_PEER_BIN (object);
  GError *error = NULL;
  const gchar *s;
  gpointer agent;

  switch (prop_id) {
    case PROP_HTTP_PROXY:
      s = g_value_get_string (value);
      if (s && *s && !validate_http_proxy (s, &error)) {
        GST_ELEMENT_WARNING (self, RESOURCE, SETTINGS, ("%s",
                error->message), (NULL));
        g_clear_error (&error);
        return;
      }
      PC_LOCK (self);
      g_free (self->http_proxy);
      self->http_proxy = g_strdup (s && *s ? s : NULL);
      PC_UNLOCK (self);
      break;
    case PROP_ICE_AGENT:
      /* Its settings are the bin's: another agent would not be driven. */
      agent = g_value_get_object (value);
      PC_LOCK (self);
      if (agent && agent != (gpointer) self->ice_agent)
        GST_WARNING_OBJECT (self, "ice-agent: rtcpeerbin runs its own ICE "
            "agent; configure it through the agent this property returns");
      PC_UNLOCK (self);
      break;
    default:
      parent_set_property (object, prop_id, value, pspec);
      break;
  }
}

static void
get_property (GObject * object, guint prop_id, GValue * value,
    GParamSpec * pspec)
{
  GstRtcPeerBin *self = GST_RTC_PEER_BIN (object);

  switch (prop_id) {
    case PROP_HTTP_PROXY:
      PC_LOCK (self);
      g_value_set_string (value, self->http_proxy);
      PC_UNLOCK (self);
      break;
    case PROP_ICE_AGENT:
      PC_LOCK (self);
      if (!self->ice_agent)
        self->ice_agent = gst_rtc_webrtc_ice_new (GST_ELEMENT (self));
      g_value_set_object (value, self->ice_agent);
      PC_UNLOCK (self);
      break;
    case PROP_SCTP_TRANSPORT:
      PC_LOCK (self);
      if (self->data_trans && !self->sctp_transport_obj)
        self->sctp_transport_obj = gst_rtc_sctp_transport_new (object,
            rtc_peer_sctp_query_transport);
      g_value_set_object (value, self->sctp_transport_obj);
      PC_UNLOCK (self);
      break;
    default:
      parent_get_property (object, prop_id, value, pspec);
      break;
  }
}

void
rtc_peer_objects_identity_verified (GstRtcPeerBin * self, const gchar * pem)
{
  g_object_notify (G_OBJECT (self), "remote-certificate");
  g_signal_emit (self, signals[SIGNAL_ON_PEER_IDENTITY], 0, pem);
}

void
rtc_peer_objects_sctp_changed (GstRtcPeerBin * self)
{
  GstWebRTCSCTPTransport *obj = NULL;

  PC_LOCK (self);
  if (self->sctp_transport_obj)
    obj = gst_object_ref (self->sctp_transport_obj);
  PC_UNLOCK (self);
  if (obj) {
    gst_rtc_sctp_transport_changed (obj);
    gst_object_unref (obj);
  }
}

void
rtc_peer_objects_finalize (GstRtcPeerBin * self)
{
  gst_clear_object (&self->ice_agent);
  gst_clear_object (&self->sctp_transport_obj);
  g_clear_pointer (&self->http_proxy, g_free);
}

void
rtc_peer_objects_class_init (GstRtcPeerBinClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);

  parent_set_property = gobject_class->set_property;
  parent_get_property = gobject_class->get_property;
  gobject_class->set_property = set_property;
  gobject_class->get_property = get_property;

  /**
   * GstRtcPeerBin:ice-agent:
   *
   * The ICE agent as webrtcbin's applications configure it: the
   * "add-local-ip-address" action, "min-rtp-port"/"max-rtp-port", and the
   * STUN, TURN and proxy settings of #GstWebRTCICE. They are the bin's
   * "ice-addresses", "ice-min-port"/"ice-max-port", "stun-server",
   * "turn-server" and "http-proxy" under other names. Setting another
   * agent is refused with a warning: rtcpeerbin drives libnice itself.
   */
  g_object_class_install_property (gobject_class, PROP_ICE_AGENT,
      g_param_spec_object ("ice-agent", "ICE agent", "The WebRTC ICE agent "
          "(its settings are this element's ICE properties)",
          GST_TYPE_WEBRTC_ICE, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  /**
   * GstRtcPeerBin:http-proxy:
   *
   * An HTTP proxy for TURN over TCP, http://[user:password@]host[:port].
   * Checked and kept; rtcpeerbin does not reach TCP or TLS relays yet
   * ("turn-server" refuses them), so nothing goes through it today.
   */
  g_object_class_install_property (gobject_class, PROP_HTTP_PROXY,
      g_param_spec_string ("http-proxy", "HTTP proxy",
          "A HTTP proxy for use with TURN/TCP of the form "
          "http://[username:password@]hostname[:port]", NULL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  /**
   * GstRtcPeerBin:sctp-transport:
   *
   * The SCTP transport of the data channels (RTCSctpTransport): NULL
   * until there is an m=application section; "state" is notified when the
   * association comes up and when it ends.
   */
  /**
   * GstRtcPeerBin::on-peer-identity:
   * @certificate: the remote DTLS certificate (PEM)
   *
   * The remote peer's certificate has matched the fingerprint of the
   * remote description (the W3C peerIdentity, resolved): emitted once per
   * connection, when the first DTLS transport connects, on the bin's
   * operations thread; "remote-certificate" is notified just before.
   */
  signals[SIGNAL_ON_PEER_IDENTITY] =
      g_signal_new ("on-peer-identity", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_object_class_install_property (gobject_class, PROP_SCTP_TRANSPORT,
      g_param_spec_object ("sctp-transport", "SCTP transport",
          "The WebRTC SCTP Transport", GST_TYPE_WEBRTC_SCTP_TRANSPORT,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
}
