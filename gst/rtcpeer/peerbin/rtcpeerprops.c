/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* rtcpeerbin's GObject properties: their specs, checks and accessors.
 * They are read and written under pc_lock, which is never held while
 * anything is posted or emitted. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrtcpeerbin.h"

GST_DEBUG_CATEGORY_EXTERN (gst_rtc_peer_bin_debug);
#define GST_CAT_DEFAULT gst_rtc_peer_bin_debug

enum
{
  PROP_0,
  PROP_SIGNALING_STATE,
  PROP_ICE_GATHERING_STATE,
  PROP_ICE_CONNECTION_STATE,
  PROP_CONNECTION_STATE,
  PROP_LOCAL_DESCRIPTION,
  PROP_CURRENT_LOCAL_DESCRIPTION,
  PROP_PENDING_LOCAL_DESCRIPTION,
  PROP_REMOTE_DESCRIPTION,
  PROP_CURRENT_REMOTE_DESCRIPTION,
  PROP_PENDING_REMOTE_DESCRIPTION,
  PROP_STUN_SERVER,
  PROP_TURN_SERVER,
  PROP_BUNDLE_POLICY,
  PROP_ICE_TRANSPORT_POLICY,
  PROP_LATENCY,
  PROP_ICE_ADDRESSES,
  PROP_ICE_MIN_PORT,
  PROP_ICE_MAX_PORT,
  PROP_CERTIFICATE,
  PROP_REMOTE_CERTIFICATE,
  NUM_PROPERTIES
};

static GParamSpec *properties[NUM_PROPERTIES];

void
rtc_peer_props_install (GObjectClass * gobject_class)
{
  properties[PROP_SIGNALING_STATE] = g_param_spec_enum ("signaling-state",
      "Signaling state", "The signaling state of this element",
      GST_TYPE_WEBRTC_SIGNALING_STATE, GST_WEBRTC_SIGNALING_STATE_STABLE,
      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ICE_GATHERING_STATE] =
      g_param_spec_enum ("ice-gathering-state", "ICE gathering state",
      "The collective gathering state of all ICE transports",
      GST_TYPE_WEBRTC_ICE_GATHERING_STATE, GST_WEBRTC_ICE_GATHERING_STATE_NEW,
      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ICE_CONNECTION_STATE] =
      g_param_spec_enum ("ice-connection-state", "ICE connection state",
      "The collective connection state of all ICE transports",
      GST_TYPE_WEBRTC_ICE_CONNECTION_STATE,
      GST_WEBRTC_ICE_CONNECTION_STATE_NEW,
      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONNECTION_STATE] = g_param_spec_enum ("connection-state",
      "Connection state", "The overall connection state of this element",
      GST_TYPE_WEBRTC_PEER_CONNECTION_STATE,
      GST_WEBRTC_PEER_CONNECTION_STATE_NEW,
      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOCAL_DESCRIPTION] = g_param_spec_boxed ("local-description",
      "Local description", "The local description in use: the pending one "
      "if any, else the current one", GST_TYPE_WEBRTC_SESSION_DESCRIPTION,
      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CURRENT_LOCAL_DESCRIPTION] =
      g_param_spec_boxed ("current-local-description",
      "Current local description", "The local description negotiated the "
      "last time the connection went to the stable state",
      GST_TYPE_WEBRTC_SESSION_DESCRIPTION,
      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PENDING_LOCAL_DESCRIPTION] =
      g_param_spec_boxed ("pending-local-description",
      "Pending local description", "The local description being "
      "negotiated", GST_TYPE_WEBRTC_SESSION_DESCRIPTION,
      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_REMOTE_DESCRIPTION] =
      g_param_spec_boxed ("remote-description", "Remote description",
      "The remote description in use: the pending one if any, else the "
      "current one", GST_TYPE_WEBRTC_SESSION_DESCRIPTION,
      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CURRENT_REMOTE_DESCRIPTION] =
      g_param_spec_boxed ("current-remote-description",
      "Current remote description", "The remote description negotiated the "
      "last time the connection went to the stable state, with the remote "
      "candidates added since", GST_TYPE_WEBRTC_SESSION_DESCRIPTION,
      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PENDING_REMOTE_DESCRIPTION] =
      g_param_spec_boxed ("pending-remote-description",
      "Pending remote description", "The remote description being "
      "negotiated, with the remote candidates added since",
      GST_TYPE_WEBRTC_SESSION_DESCRIPTION,
      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STUN_SERVER] = g_param_spec_string ("stun-server",
      "STUN server", "The STUN server of the form stun://hostname:port",
      NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TURN_SERVER] = g_param_spec_string ("turn-server",
      "TURN server", "The TURN server of the form "
      "turn(s)://username:password@host:port; use add-turn-server for more "
      "than one", NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUNDLE_POLICY] = g_param_spec_enum ("bundle-policy",
      "Bundle policy", "The policy to apply for bundling",
      GST_TYPE_WEBRTC_BUNDLE_POLICY, DEFAULT_BUNDLE_POLICY,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ICE_TRANSPORT_POLICY] =
      g_param_spec_enum ("ice-transport-policy", "ICE transport policy",
      "The policy to apply for ICE transport",
      GST_TYPE_WEBRTC_ICE_TRANSPORT_POLICY, DEFAULT_ICE_TRANSPORT_POLICY,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LATENCY] = g_param_spec_uint ("latency", "Latency",
      "Default duration to buffer in the jitterbuffers (in ms)", 0,
      G_MAXUINT, DEFAULT_LATENCY, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * GstRtcPeerBin:ice-addresses:
   *
   * Comma-separated local IP addresses or interface names to gather host
   * candidates on; empty means every interface. Loopback is used only
   * when named.
   */
  properties[PROP_ICE_ADDRESSES] = g_param_spec_string ("ice-addresses",
      "ICE addresses", "Comma-separated local addresses or interface names "
      "to gather host candidates on (empty: all)", NULL,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY);
  properties[PROP_ICE_MIN_PORT] = g_param_spec_uint ("ice-min-port",
      "ICE minimum port", "Lowest local UDP port for host candidates "
      "(0: any)", 0, 65535, 0,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY);
  properties[PROP_ICE_MAX_PORT] = g_param_spec_uint ("ice-max-port",
      "ICE maximum port", "Highest local UDP port for host candidates "
      "(0: any)", 0, 65535, 0,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY);
  /**
   * GstRtcPeerBin:certificate:
   *
   * The DTLS certificate and private key, PEM. When unset, each bin
   * generates an ECDSA P-256 certificate of its own (as browsers do, so
   * that remote peers cannot link the sessions of one process); setting
   * the same one on several bins shares it.
   */
  properties[PROP_CERTIFICATE] = g_param_spec_string ("certificate",
      "Certificate", "DTLS certificate and private key (PEM); when unset, "
      "an ECDSA P-256 one generated for this bin", NULL,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY);
  /**
   * GstRtcPeerBin:remote-certificate:
   *
   * The certificate the remote peer presented in DTLS (PEM), once it has
   * matched the fingerprint of the remote description: the native form of
   * RTCPeerConnection.peerIdentity.
   */
  properties[PROP_REMOTE_CERTIFICATE] = g_param_spec_string
      ("remote-certificate", "Remote certificate", "The DTLS certificate of "
      "the remote peer (PEM), verified against the remote description's "
      "fingerprint; NULL until then", NULL,
      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (gobject_class, NUM_PROPERTIES, properties);
}

/* A turn(s):// URI as webrtcbin takes it; TCP and TLS relays are parsed
 * but refused until rtcpeer can reach them. */
gboolean
rtc_peer_props_validate_turn_uri (const gchar * uri, GError ** error)
{
  GUri *parsed;
  const gchar *scheme, *query;
  gboolean ok = TRUE;

  parsed = g_uri_parse (uri, G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED,
      error);
  if (!parsed)
    return FALSE;
  scheme = g_uri_get_scheme (parsed);
  query = g_uri_get_query (parsed);
  if (g_strcmp0 (scheme, "turn") != 0 && g_strcmp0 (scheme, "turns") != 0) {
    g_set_error (error, G_URI_ERROR, G_URI_ERROR_BAD_SCHEME,
        "TURN server '%s' must start with turn:// or turns://", uri);
    ok = FALSE;
  } else if (!g_uri_get_user (parsed) || !g_uri_get_password (parsed)) {
    g_set_error (error, G_URI_ERROR, G_URI_ERROR_BAD_USER,
        "TURN server '%s' needs credentials: turn://user:password@host:port",
        uri);
    ok = FALSE;
  } else if (!g_uri_get_host (parsed) || !*g_uri_get_host (parsed)) {
    g_set_error (error, G_URI_ERROR, G_URI_ERROR_BAD_HOST,
        "TURN server '%s' has no host", uri);
    ok = FALSE;
  } else if (g_strcmp0 (scheme, "turns") == 0 || (query
          && strstr (query, "transport=tcp"))) {
    g_set_error (error, G_URI_ERROR, G_URI_ERROR_FAILED,
        "TURN server '%s': only UDP relays are supported (TCP and TLS "
        "relays are not implemented yet)", uri);
    ok = FALSE;
  }
  g_uri_unref (parsed);
  return ok;
}

static gboolean
validate_stun_uri (const gchar * uri, GError ** error)
{
  GUri *parsed;
  gboolean ok;

  parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, error);
  if (!parsed)
    return FALSE;
  ok = g_strcmp0 (g_uri_get_scheme (parsed), "stun") == 0
      && g_uri_get_host (parsed) && *g_uri_get_host (parsed);
  if (!ok)
    g_set_error (error, G_URI_ERROR, G_URI_ERROR_BAD_SCHEME,
        "STUN server '%s' must look like stun://host:port", uri);
  g_uri_unref (parsed);
  return ok;
}

/* What can fail or call out (URI checks, PEM parsing, rtpbin's latency,
 * the warning on the bus) happens without pc_lock: a synchronous bus
 * handler or a notify handler may read a property. */
void
rtc_peer_props_set (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstRtcPeerBin *self = GST_RTC_PEER_BIN (object);
  GError *error = NULL;
  const gchar *s;
  RtcCertificate *cert = NULL;
  GstElement *rtpbin = NULL;
  guint latency = 0;

  switch (prop_id) {
    case PROP_STUN_SERVER:
      s = g_value_get_string (value);
      if (s && *s)
        validate_stun_uri (s, &error);
      break;
    case PROP_TURN_SERVER:
      s = g_value_get_string (value);
      if (s && *s)
        rtc_peer_props_validate_turn_uri (s, &error);
      break;
    case PROP_CERTIFICATE:
      s = g_value_get_string (value);
      if (s && *s && !(cert = rtc_certificate_new_from_pem (s, &error)))
        g_prefix_error (&error, "Invalid certificate: ");
      break;
    default:
      break;
  }
  if (error) {
    GST_ELEMENT_WARNING (self, RESOURCE, SETTINGS, ("%s", error->message),
        (NULL));
    g_clear_error (&error);
    return;
  }

  PC_LOCK (self);
  switch (prop_id) {
    case PROP_STUN_SERVER:
      g_free (self->stun_server);
      self->stun_server = g_value_dup_string (value);
      break;
    case PROP_TURN_SERVER:
      g_free (self->turn_server);
      self->turn_server = g_value_dup_string (value);
      break;
    case PROP_BUNDLE_POLICY:
      self->bundle_policy = g_value_get_enum (value);
      break;
    case PROP_ICE_TRANSPORT_POLICY:
      self->ice_transport_policy = g_value_get_enum (value);
      break;
    case PROP_LATENCY:
      self->latency = latency = g_value_get_uint (value);
      if (self->rtpbin)
        rtpbin = gst_object_ref (self->rtpbin);
      break;
    case PROP_ICE_ADDRESSES:
      g_free (self->ice_addresses);
      self->ice_addresses = g_value_dup_string (value);
      break;
    case PROP_ICE_MIN_PORT:
      self->ice_min_port = g_value_get_uint (value);
      break;
    case PROP_ICE_MAX_PORT:
      self->ice_max_port = g_value_get_uint (value);
      break;
    case PROP_CERTIFICATE:
      s = g_value_get_string (value);
      g_free (self->certificate_pem);
      self->certificate_pem = g_strdup (s && *s ? s : NULL);
      g_clear_pointer (&self->certificate, rtc_certificate_unref);
      self->certificate = g_steal_pointer (&cert);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  PC_UNLOCK (self);
  if (rtpbin) {
    g_object_set (rtpbin, "latency", latency, NULL);
    gst_object_unref (rtpbin);
  }
}

void
rtc_peer_props_get (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstRtcPeerBin *self = GST_RTC_PEER_BIN (object);

  PC_LOCK (self);
  switch (prop_id) {
    case PROP_SIGNALING_STATE:
      g_value_set_enum (value, self->signaling_state);
      break;
    case PROP_ICE_GATHERING_STATE:
      g_value_set_enum (value, self->ice_gathering_state);
      break;
    case PROP_ICE_CONNECTION_STATE:
      g_value_set_enum (value, self->ice_connection_state);
      break;
    case PROP_CONNECTION_STATE:
      g_value_set_enum (value, self->connection_state);
      break;
    case PROP_LOCAL_DESCRIPTION:
      g_value_set_boxed (value, rtc_jsep_desc_in_use (self->pending_local,
              self->current_local));
      break;
    case PROP_CURRENT_LOCAL_DESCRIPTION:
      g_value_set_boxed (value, self->current_local);
      break;
    case PROP_PENDING_LOCAL_DESCRIPTION:
      g_value_set_boxed (value, self->pending_local);
      break;
    case PROP_REMOTE_DESCRIPTION:
      g_value_set_boxed (value, rtc_jsep_desc_in_use (self->pending_remote,
              self->current_remote));
      break;
    case PROP_CURRENT_REMOTE_DESCRIPTION:
      g_value_set_boxed (value, self->current_remote);
      break;
    case PROP_PENDING_REMOTE_DESCRIPTION:
      g_value_set_boxed (value, self->pending_remote);
      break;
    case PROP_STUN_SERVER:
      g_value_set_string (value, self->stun_server);
      break;
    case PROP_TURN_SERVER:
      g_value_set_string (value, self->turn_server);
      break;
    case PROP_BUNDLE_POLICY:
      g_value_set_enum (value, self->bundle_policy);
      break;
    case PROP_ICE_TRANSPORT_POLICY:
      g_value_set_enum (value, self->ice_transport_policy);
      break;
    case PROP_LATENCY:
      g_value_set_uint (value, self->latency);
      break;
    case PROP_ICE_ADDRESSES:
      g_value_set_string (value, self->ice_addresses);
      break;
    case PROP_ICE_MIN_PORT:
      g_value_set_uint (value, self->ice_min_port);
      break;
    case PROP_ICE_MAX_PORT:
      g_value_set_uint (value, self->ice_max_port);
      break;
    case PROP_CERTIFICATE:
      g_value_set_string (value, self->certificate_pem);
      break;
    case PROP_REMOTE_CERTIFICATE:{
      guint i;
      gchar *pem = NULL;

      for (i = 0; i < self->transports->len && !pem; i++) {
        RtcPeerTransport *t = g_ptr_array_index (self->transports, i);

        if (t->dtls_state == RTC_DTLS_STATE_CONNECTED)
          pem = gst_rtc_transport_get_remote_certificate (t->element);
      }
      g_value_take_string (value, pem);
      break;
    }
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  PC_UNLOCK (self);
}


/* The notify:: signals for what an operation changed (RtcNotify bits);
 * called with no lock held. */
void
rtc_peer_props_notify (GstRtcPeerBin * self, guint mask)
{
  if (mask & RTC_NOTIFY_SIGNALING_STATE)
    g_object_notify_by_pspec (G_OBJECT (self),
        properties[PROP_SIGNALING_STATE]);
  if (mask & RTC_NOTIFY_LOCAL_DESCRIPTION) {
    g_object_notify_by_pspec (G_OBJECT (self),
        properties[PROP_PENDING_LOCAL_DESCRIPTION]);
    g_object_notify_by_pspec (G_OBJECT (self),
        properties[PROP_CURRENT_LOCAL_DESCRIPTION]);
    g_object_notify_by_pspec (G_OBJECT (self),
        properties[PROP_LOCAL_DESCRIPTION]);
  }
  if (mask & RTC_NOTIFY_REMOTE_DESCRIPTION) {
    g_object_notify_by_pspec (G_OBJECT (self),
        properties[PROP_PENDING_REMOTE_DESCRIPTION]);
    g_object_notify_by_pspec (G_OBJECT (self),
        properties[PROP_CURRENT_REMOTE_DESCRIPTION]);
    g_object_notify_by_pspec (G_OBJECT (self),
        properties[PROP_REMOTE_DESCRIPTION]);
  }
  if (mask & RTC_NOTIFY_ICE_GATHERING_STATE)
    g_object_notify_by_pspec (G_OBJECT (self),
        properties[PROP_ICE_GATHERING_STATE]);
  if (mask & RTC_NOTIFY_ICE_CONNECTION_STATE)
    g_object_notify_by_pspec (G_OBJECT (self),
        properties[PROP_ICE_CONNECTION_STATE]);
  if (mask & RTC_NOTIFY_CONNECTION_STATE)
    g_object_notify_by_pspec (G_OBJECT (self),
        properties[PROP_CONNECTION_STATE]);
}
