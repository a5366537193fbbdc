/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* A WHIP client (RFC 9725) and a WHEP client, built on the element's
 * public signals:
 *
 *   gst-launch-1.0 -e videotestsrc ! vp8enc !
 *       rtcpeerbin whip-endpoint=https://example.org/whip whip-token=...
 *   gst-launch-1.0 rtcpeerbin whep-endpoint=https://example.org/whep
 *       whep-token=... ! decodebin ! autovideosink
 *
 * WHEP is the same exchange to receive: the bin, if the application gave
 * it no transceiver and no sink pad, adds a recvonly audio and a recvonly
 * video transceiver, and the rest is as for WHIP (whep-token is the
 * bearer, whip-timeout bounds each request).
 *
 * On on-negotiation-needed the bin creates its offer, applies it, waits
 * for ICE gathering to complete (the offer then carries every candidate,
 * so no trickle is needed) and POSTs it as application/sdp, with the
 * token as a bearer token. The server answers 201 Created with the
 * answer and the session's resource in Location; the answer is applied.
 * The resource is DELETEd at the bin's EOS (every track has ended), or
 * when it goes from PAUSED to READY before that (the application stops
 * it). Every HTTP failure
 * is an element error that carries the status and the server's body; a
 * server that is down or does not answer within whip-timeout is one too.
 * HTTP runs on a thread of its own, one short-lived session per request
 * (libsoup's synchronous API), never on the ops thread.
 *
 * Not done yet: trickle and ICE restart by PATCH, ICE servers from Link
 * headers, renegotiation. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <libsoup/soup.h>

#include "gstrtcpeerbin.h"

GST_DEBUG_CATEGORY_EXTERN (gst_rtc_peer_bin_debug);
#define GST_CAT_DEFAULT gst_rtc_peer_bin_debug

enum
{
  PROP_WHIP_ENDPOINT = 0x7e10,
  PROP_WHIP_TOKEN,
  PROP_WHIP_TIMEOUT,
  PROP_WHEP_ENDPOINT,
  PROP_WHEP_TOKEN,
};

/* What a WHEP client offers to receive when the application said
 * nothing: the codecs rtcpeerbin's sink pads take encoded. */
#define WHEP_VIDEO_CAPS "application/x-rtp, media=video, " \
  "encoding-name=VP8, clock-rate=90000, payload=96; application/x-rtp, " \
  "media=video, encoding-name=VP9, clock-rate=90000, payload=98; " \
  "application/x-rtp, media=video, encoding-name=H264, clock-rate=90000, " \
  "payload=102, packetization-mode=(string)1, " \
  "profile-level-id=(string)42e01f"
#define WHEP_AUDIO_CAPS "application/x-rtp, media=audio, " \
  "encoding-name=OPUS, clock-rate=48000, encoding-params=(string)2, " \
  "payload=111; application/x-rtp, media=audio, encoding-name=PCMU, " \
  "clock-rate=8000, payload=0; application/x-rtp, media=audio, " \
  "encoding-name=PCMA, clock-rate=8000, payload=8"

#define DEFAULT_TIMEOUT 10
/* what we read of an error body into an error message */
#define MAX_BODY_IN_ERROR 512

typedef struct
{
  GMutex lock;
  gchar *endpoint;
  gchar *token;
  gchar *whep_endpoint;
  gchar *whep_token;
  guint timeout;
  /* this run's: WHIP's or WHEP's endpoint and token */
  gboolean whep;
  gchar *url;
  gchar *auth;
  gchar *resource;              /* the session's URL, once created */
  gboolean offered;             /* one session per run */
  gboolean posted;
  gulong negotiation_handler;
  gulong gathering_handler;
  /* the POST, and the DELETE after EOS: joined at PAUSED to READY */
  GThread *posting;
  GThread *deleting;
} RtcWhip;

static GObjectSetPropertyFunc parent_set_property;
static GObjectGetPropertyFunc parent_get_property;
static GstStateChangeReturn (*parent_change_state) (GstElement *,
    GstStateChange);
static gboolean (*parent_post_message) (GstElement *, GstMessage *);

static RtcWhip *
get_whip (gpointer self)
{
  return g_object_get_data (G_OBJECT (self), "rtc-whip");
}

/* "WHIP" or "WHEP", for messages */
static const gchar *
proto (gpointer self)
{
  return get_whip (self)->whep ? "WHEP" : "WHIP";
}

static void
join_or_unref (GThread * thread)
{
  if (thread && thread == g_thread_self ())
    g_thread_unref (thread);
  else if (thread)
    g_thread_join (thread);
}

static void
whip_free (gpointer data)
{
  RtcWhip *whip = data;

  /* an HTTP thread holds a reference to the bin: it has ended, or it is
   * this thread, dropping the last reference */
  join_or_unref (whip->posting);
  join_or_unref (whip->deleting);
  g_free (whip->endpoint);
  g_free (whip->token);
  g_free (whip->whep_endpoint);
  g_free (whip->whep_token);
  g_free (whip->url);
  g_free (whip->auth);
  g_free (whip->resource);
  g_mutex_clear (&whip->lock);
  g_free (whip);
}

static SoupMessage *
new_request (GstElement * self, const gchar * method, const gchar * url,
    const gchar * token)
{
  SoupMessage *msg = soup_message_new (method, url);

  if (!msg) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS, ("%s: '%s' is not an "
            "HTTP URL", proto (self), url), (NULL));
    return NULL;
  }
  if (token && token[0]) {
    gchar *auth = g_strdup_printf ("Bearer %s", token);

    soup_message_headers_replace (soup_message_get_request_headers (msg),
        "Authorization", auth);
    g_free (auth);
  }
  return msg;
}

static SoupSession *
new_session (guint timeout)
{
  return soup_session_new_with_options ("timeout", timeout,
      "idle-timeout", timeout, NULL);
}

/* Sends @msg; on failure posts the element error (the status and the
 * body when the server answered) and returns NULL. */
static GBytes *
send_request (GstElement * self, SoupSession * session, SoupMessage * msg,
    const gchar * what, const gchar * url, guint expected)
{
  GError *error = NULL;
  GBytes *body = soup_session_send_and_read (session, msg, NULL, &error);
  guint status;
  gchar *text;
  gsize len = 0;

  if (!body) {
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ_WRITE, ("%s: %s %s: no "
            "answer from the server: %s", proto (self), what, url,
            error->message), (NULL));
    g_error_free (error);
    return NULL;
  }
  status = soup_message_get_status (msg);
  if (status == expected || (expected == SOUP_STATUS_OK
          && SOUP_STATUS_IS_SUCCESSFUL (status)))
    return body;
  g_bytes_get_data (body, &len);
  text = g_strndup (g_bytes_get_data (body, NULL), MIN (len,
          MAX_BODY_IN_ERROR));
  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    GST_ELEMENT_ERROR (self, RESOURCE, NOT_AUTHORIZED, ("%s: %s refused: "
            "HTTP %u %s: %s", proto (self), what, status,
            soup_message_get_reason_phrase (msg), text), (NULL));
  else
    GST_ELEMENT_ERROR (self, RESOURCE, FAILED, ("%s: %s failed: HTTP %u "
            "%s: %s", proto (self), what, status,
            soup_message_get_reason_phrase (msg), text), (NULL));
  g_free (text);
  g_bytes_unref (body);
  return NULL;
}

static void
on_answer_set (GstPromise * promise, gpointer data)
{
  GstElement *self = data;
  const GstStructure *reply = gst_promise_get_reply (promise);
  GError *error = NULL;

  if (reply && gst_structure_has_field (reply, "error")) {
    gst_structure_get (reply, "error", G_TYPE_ERROR, &error, NULL);
    GST_ELEMENT_ERROR (self, RESOURCE, FAILED, ("%s: the server's answer "
            "was refused: %s", proto (self), error->message), (NULL));
    g_error_free (error);
  }
}

typedef struct
{
  GstElement *self;
  gchar *url;
  gchar *token;
  gchar *offer;
  guint timeout;
} PostData;

static gpointer
post_thread (gpointer data)
{
  PostData *p = data;
  SoupSession *session = new_session (p->timeout);
  SoupMessage *msg = new_request (p->self, "POST", p->url, p->token);
  GBytes *body = NULL, *request;
  const gchar *location;
  gchar *resource = NULL;
  GstSDPMessage *sdp = NULL;
  RtcWhip *whip = get_whip (p->self);

  if (!msg)
    goto out;
  request = g_bytes_new (p->offer, strlen (p->offer));
  soup_message_set_request_body_from_bytes (msg, "application/sdp", request);
  g_bytes_unref (request);
  body = send_request (p->self, session, msg, "POST", p->url,
      SOUP_STATUS_CREATED);
  if (!body)
    goto out;
  location = soup_message_headers_get_one (soup_message_get_response_headers
      (msg), "Location");
  if (location) {
    /* relative to where the POST went, after any redirect */
    gchar *base = g_uri_to_string (soup_message_get_uri (msg));

    resource = g_uri_resolve_relative (base, location, G_URI_FLAGS_NONE,
        NULL);
    g_free (base);
    g_mutex_lock (&whip->lock);
    g_free (whip->resource);
    whip->resource = g_strdup (resource);
    g_mutex_unlock (&whip->lock);
  } else {
    GST_ELEMENT_WARNING (p->self, RESOURCE, FAILED, ("%s: 201 without "
            "Location: the session cannot be deleted", proto (p->self)),
        (NULL));
  }
  gst_sdp_message_new (&sdp);
  if (gst_sdp_message_parse_buffer (g_bytes_get_data (body, NULL),
          g_bytes_get_size (body), sdp) != GST_SDP_OK
      || gst_sdp_message_medias_len (sdp) == 0) {
    GST_ELEMENT_ERROR (p->self, RESOURCE, FAILED, ("%s: the server's "
            "answer is not SDP", proto (p->self)), (NULL));
    gst_sdp_message_free (sdp);
  } else {
    GstWebRTCSessionDescription *answer =
        gst_webrtc_session_description_new (GST_WEBRTC_SDP_TYPE_ANSWER, sdp);
    GstPromise *promise = gst_promise_new_with_change_func (on_answer_set,
        gst_object_ref (p->self), gst_object_unref);

    GST_INFO_OBJECT (p->self, "%s session at %s", proto (p->self),
        resource);
    g_signal_emit_by_name (p->self, "set-remote-description", answer,
        promise);
    gst_promise_unref (promise);
    gst_webrtc_session_description_free (answer);
  }
out:
  g_free (resource);
  if (body)
    g_bytes_unref (body);
  g_clear_object (&msg);
  g_object_unref (session);
  gst_object_unref (p->self);
  g_free (p->url);
  g_free (p->token);
  g_free (p->offer);
  g_free (p);
  return NULL;
}

/* ICE gathering is complete: the local description carries every
 * candidate, it goes to the server. Any thread. */
static void
maybe_post (GstElement * self)
{
  RtcWhip *whip = get_whip (self);
  GstWebRTCICEGatheringState state;
  GstWebRTCSessionDescription *local = NULL;
  PostData *p;

  g_object_get (self, "ice-gathering-state", &state, "local-description",
      &local, NULL);
  g_mutex_lock (&whip->lock);
  if (state != GST_WEBRTC_ICE_GATHERING_STATE_COMPLETE || !local
      || whip->posted) {
    g_mutex_unlock (&whip->lock);
    g_clear_pointer (&local, gst_webrtc_session_description_free);
    return;
  }
  whip->posted = TRUE;
  p = g_new0 (PostData, 1);
  p->self = gst_object_ref (self);
  p->url = g_strdup (whip->url);
  p->token = g_strdup (whip->auth);
  p->timeout = whip->timeout;
  p->offer = gst_sdp_message_as_text (local->sdp);
  gst_webrtc_session_description_free (local);
  whip->posting = g_thread_new ("rtc-whip", post_thread, p);
  g_mutex_unlock (&whip->lock);
}

static void
on_gathering (GObject * object, GParamSpec * pspec, gpointer data)
{
  maybe_post (GST_ELEMENT (object));
}

static void
on_offer (GstPromise * promise, gpointer data)
{
  GstElement *self = data;
  const GstStructure *reply = gst_promise_get_reply (promise);
  GstWebRTCSessionDescription *offer = NULL;
  GError *error = NULL;
  GstPromise *next;

  if (reply && gst_structure_has_field (reply, "error"))
    gst_structure_get (reply, "error", G_TYPE_ERROR, &error, NULL);
  else if (!reply || !gst_structure_get (reply, "offer",
          GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &offer, NULL))
    error = g_error_new (GST_WEBRTC_ERROR, GST_WEBRTC_ERROR_INTERNAL_FAILURE,
        "no offer");
  if (error) {
    GST_ELEMENT_ERROR (self, LIBRARY, FAILED, ("%s: create-offer: %s",
            proto (self), error->message), (NULL));
    g_error_free (error);
    return;
  }
  next = gst_promise_new ();
  g_signal_emit_by_name (self, "set-local-description", offer, next);
  gst_promise_unref (next);
  gst_webrtc_session_description_free (offer);
  /* gathering may already be complete by now */
  maybe_post (self);
}

static void
on_negotiation_needed (GstElement * self, gpointer data)
{
  RtcWhip *whip = get_whip (self);
  GstPromise *promise;
  gboolean first;

  g_mutex_lock (&whip->lock);
  first = !whip->offered;
  whip->offered = TRUE;
  g_mutex_unlock (&whip->lock);
  if (!first) {
    GST_WARNING_OBJECT (self, "%s: renegotiation is not supported",
        proto (self));
    return;
  }
  promise = gst_promise_new_with_change_func (on_offer, gst_object_ref (self),
      gst_object_unref);
  g_signal_emit_by_name (self, "create-offer", NULL, promise);
  gst_promise_unref (promise);
}

/* The end of the session: DELETE its resource (bounded by the timeout). */
static void
delete_resource (GstElement * self)
{
  RtcWhip *whip = get_whip (self);
  gchar *resource, *token;
  guint timeout;
  SoupSession *session;
  SoupMessage *msg;
  GBytes *body;

  g_mutex_lock (&whip->lock);
  resource = g_steal_pointer (&whip->resource);
  token = g_strdup (whip->auth);
  timeout = whip->timeout;
  g_mutex_unlock (&whip->lock);
  if (!resource) {
    g_free (token);
    return;
  }
  session = new_session (timeout);
  msg = new_request (self, "DELETE", resource, token);
  if (msg) {
    body = send_request (self, session, msg, "DELETE", resource,
        SOUP_STATUS_OK);
    if (body) {
      GST_INFO_OBJECT (self, "%s session %s deleted", proto (self),
          resource);
      g_bytes_unref (body);
    }
    g_object_unref (msg);
  }
  g_object_unref (session);
  g_free (resource);
  g_free (token);
}

static gpointer
delete_thread (gpointer data)
{
  delete_resource (data);
  gst_object_unref (data);
  return NULL;
}

/* The bin's own EOS (rtcpeereos.c): every track has ended, the session
 * is over. The DELETE goes from a thread of ours: the EOS is posted from
 * a streaming thread. */
static gboolean
post_message (GstElement * element, GstMessage * message)
{
  RtcWhip *whip = get_whip (element);
  gboolean has_resource;

  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_EOS
      && GST_MESSAGE_SRC (message) == GST_OBJECT (element)) {
    g_mutex_lock (&whip->lock);
    has_resource = whip->resource != NULL;
    if (has_resource && !whip->deleting)
      whip->deleting = g_thread_new ("rtc-whip", delete_thread,
          gst_object_ref (element));
    g_mutex_unlock (&whip->lock);
  }
  return parent_post_message (element, message);
}

/* WHEP: what to receive, unless the application said it (transceivers or
 * sink pads of its own). */
static void
add_receivers (GstElement * element)
{
  const gchar *const kinds[] = { WHEP_VIDEO_CAPS, WHEP_AUDIO_CAPS };
  GArray *transceivers = NULL;
  guint i, n;

  g_signal_emit_by_name (element, "get-transceivers", &transceivers);
  n = transceivers ? transceivers->len : 0;
  g_clear_pointer (&transceivers, g_array_unref);
  if (n > 0 || element->numsinkpads > 0)
    return;
  for (i = 0; i < G_N_ELEMENTS (kinds); i++) {
    GstCaps *caps = gst_caps_from_string (kinds[i]);
    GstWebRTCRTPTransceiver *trans = NULL;

    g_signal_emit_by_name (element, "add-transceiver",
        GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY, caps, &trans);
    gst_clear_object (&trans);
    gst_caps_unref (caps);
  }
}

static GstStateChangeReturn
change_state (GstElement * element, GstStateChange transition)
{
  RtcWhip *whip = get_whip (element);
  GstStateChangeReturn ret;
  gboolean active;

  if (transition == GST_STATE_CHANGE_NULL_TO_READY) {
    gchar *peer = NULL;
    gboolean both;

    g_object_get (element, "peer", &peer, NULL);
    g_mutex_lock (&whip->lock);
    both = whip->endpoint && whip->whep_endpoint;
    active = whip->endpoint || whip->whep_endpoint;
    whip->whep = whip->whep_endpoint != NULL;
    g_free (whip->url);
    g_free (whip->auth);
    whip->url = g_strdup (whip->whep ? whip->whep_endpoint : whip->endpoint);
    whip->auth = g_strdup (whip->whep ? whip->whep_token : whip->token);
    whip->offered = whip->posted = FALSE;
    g_mutex_unlock (&whip->lock);
    if (active && (peer || both)) {
      /* two signalling paths would both answer on-negotiation-needed */
      GST_ELEMENT_ERROR (element, RESOURCE, SETTINGS, ("whip-endpoint, "
              "whep-endpoint and peer cannot be set together"), (NULL));
      g_free (peer);
      return GST_STATE_CHANGE_FAILURE;
    }
    g_free (peer);
    if (active && !whip->negotiation_handler) {
      whip->negotiation_handler = g_signal_connect (element,
          "on-negotiation-needed", G_CALLBACK (on_negotiation_needed), NULL);
      whip->gathering_handler = g_signal_connect (element,
          "notify::ice-gathering-state", G_CALLBACK (on_gathering), NULL);
    }
  }
  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY) {
    GThread *posting, *deleting;

    /* A POST in flight completes (bounded by the timeout), so that the
     * session it creates is deleted, not left on the server; so does the
     * DELETE after EOS: a launch line exits right after. */
    g_mutex_lock (&whip->lock);
    posting = g_steal_pointer (&whip->posting);
    deleting = g_steal_pointer (&whip->deleting);
    g_mutex_unlock (&whip->lock);
    if (posting)
      g_thread_join (posting);
    if (deleting)
      g_thread_join (deleting);
    delete_resource (element);
  }
  if (transition == GST_STATE_CHANGE_READY_TO_NULL
      && whip->negotiation_handler) {
    g_signal_handler_disconnect (element, whip->negotiation_handler);
    g_signal_handler_disconnect (element, whip->gathering_handler);
    whip->negotiation_handler = whip->gathering_handler = 0;
  }
  ret = parent_change_state (element, transition);
  /* once READY, when on-negotiation-needed can follow */
  if (transition == GST_STATE_CHANGE_NULL_TO_READY && whip->whep
      && ret != GST_STATE_CHANGE_FAILURE)
    add_receivers (element);
  return ret;
}

static void
set_property (GObject * object, guint prop_id, const GValue * value,
    GParamSpec * pspec)
{
  RtcWhip *whip = get_whip (object);

  g_mutex_lock (&whip->lock);
  switch (prop_id) {
    case PROP_WHIP_ENDPOINT:
      g_free (whip->endpoint);
      whip->endpoint = g_value_dup_string (value);
      break;
    case PROP_WHIP_TOKEN:
      g_free (whip->token);
      whip->token = g_value_dup_string (value);
      break;
    case PROP_WHIP_TIMEOUT:
      whip->timeout = g_value_get_uint (value);
      break;
    case PROP_WHEP_ENDPOINT:
      g_free (whip->whep_endpoint);
      whip->whep_endpoint = g_value_dup_string (value);
      break;
    case PROP_WHEP_TOKEN:
      g_free (whip->whep_token);
      whip->whep_token = g_value_dup_string (value);
      break;
    default:
      g_mutex_unlock (&whip->lock);
      parent_set_property (object, prop_id, value, pspec);
      return;
  }
  g_mutex_unlock (&whip->lock);
}

static void
get_property (GObject * object, guint prop_id, GValue * value,
    GParamSpec * pspec)
{
  RtcWhip *whip = get_whip (object);

  g_mutex_lock (&whip->lock);
  switch (prop_id) {
    case PROP_WHIP_ENDPOINT:
      g_value_set_string (value, whip->endpoint);
      break;
    case PROP_WHIP_TOKEN:
      g_value_set_string (value, whip->token);
      break;
    case PROP_WHIP_TIMEOUT:
      g_value_set_uint (value, whip->timeout);
      break;
    case PROP_WHEP_ENDPOINT:
      g_value_set_string (value, whip->whep_endpoint);
      break;
    case PROP_WHEP_TOKEN:
      g_value_set_string (value, whip->whep_token);
      break;
    default:
      g_mutex_unlock (&whip->lock);
      parent_get_property (object, prop_id, value, pspec);
      return;
  }
  g_mutex_unlock (&whip->lock);
}

void
rtc_peer_whip_class_init (GstRtcPeerBinClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
      GST_PARAM_MUTABLE_READY;

  parent_set_property = gobject_class->set_property;
  parent_get_property = gobject_class->get_property;
  gobject_class->set_property = set_property;
  gobject_class->get_property = get_property;
  parent_change_state = element_class->change_state;
  element_class->change_state = change_state;
  parent_post_message = element_class->post_message;
  element_class->post_message = post_message;

  g_object_class_install_property (gobject_class, PROP_WHIP_ENDPOINT,
      g_param_spec_string ("whip-endpoint", "WHIP endpoint",
          "URL of a WHIP endpoint (RFC 9725) to publish to: the offer is "
          "POSTed there and the answer applied, with no application code",
          NULL, flags));
  g_object_class_install_property (gobject_class, PROP_WHIP_TOKEN,
      g_param_spec_string ("whip-token", "WHIP token",
          "Bearer token sent to the WHIP endpoint", NULL, flags));
  g_object_class_install_property (gobject_class, PROP_WHIP_TIMEOUT,
      g_param_spec_uint ("whip-timeout", "WHIP timeout",
          "Seconds a WHIP or WHEP request may take before it is an error",
          1, 600, DEFAULT_TIMEOUT, flags));
  g_object_class_install_property (gobject_class, PROP_WHEP_ENDPOINT,
      g_param_spec_string ("whep-endpoint", "WHEP endpoint",
          "URL of a WHEP endpoint to play from: the offer (recvonly audio "
          "and video unless the application added transceivers) is POSTed "
          "there with whep-token as the bearer, the answer applied, and the "
          "media comes out of the src pads", NULL, flags));
  g_object_class_install_property (gobject_class, PROP_WHEP_TOKEN,
      g_param_spec_string ("whep-token", "WHEP token",
          "Bearer token: sent to the WHEP endpoint (whep-endpoint), or the "
          "one viewers must send (whep-listen)", NULL, flags));
}

void
rtc_peer_whip_init (GstRtcPeerBin * self)
{
  RtcWhip *whip = g_new0 (RtcWhip, 1);

  g_mutex_init (&whip->lock);
  whip->timeout = DEFAULT_TIMEOUT;
  g_object_set_data_full (G_OBJECT (self), "rtc-whip", whip, whip_free);
}
