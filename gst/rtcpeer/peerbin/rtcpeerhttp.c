/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The HTTP servers' plumbing (WHIP server, later WHEP and the served
 * page): a SoupServer listening on ADDRESS:PORT, run by a thread of its
 * own on a main context of its own, so that no request ever runs on the
 * bin's ops thread or an application's main loop, and a slow client
 * cannot hold anything of the bin. Handlers are added by the caller
 * before rtc_http_server_start(); they run on the server's thread. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <gst/gst.h>

#include "rtcpeerhttp.h"

GST_DEBUG_CATEGORY_EXTERN (gst_rtc_peer_bin_debug);
#define GST_CAT_DEFAULT gst_rtc_peer_bin_debug

struct _RtcHttpServer
{
  GMainContext *context;
  GMainLoop *loop;
  GThread *thread;
  SoupServer *server;
  gchar *address;               /* what it is bound to, ADDRESS:PORT */
};

/* "ADDRESS:PORT", "[V6ADDRESS]:PORT", ":PORT" or "PORT"; no address is
 * loopback: a listening mode exposes nothing beyond the machine unless
 * told to. */
static GSocketAddress *
parse_listen (const gchar * listen, GError ** error)
{
  const gchar *colon = strrchr (listen, ':');
  gchar *host, *end = NULL;
  guint64 port;
  GInetAddress *inet;
  GSocketAddress *addr;

  host = colon ? g_strndup (listen, colon - listen) : g_strdup ("");
  port = g_ascii_strtoull (colon ? colon + 1 : listen, &end, 10);
  if (!end || *end || end == (colon ? colon + 1 : listen) || port > 65535) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "'%s' is not ADDRESS:PORT", listen);
    g_free (host);
    return NULL;
  }
  if (host[0] == '[' && g_str_has_suffix (host, "]")) {
    gchar *inner = g_strndup (host + 1, strlen (host) - 2);

    g_free (host);
    host = inner;
  }
  if (!host[0] || g_ascii_strcasecmp (host, "localhost") == 0)
    inet = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  else
    inet = g_inet_address_new_from_string (host);
  if (!inet) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "'%s' is not an IP address", host);
    g_free (host);
    return NULL;
  }
  addr = g_inet_socket_address_new (inet, port);
  g_object_unref (inet);
  g_free (host);
  return addr;
}

RtcHttpServer *
rtc_http_server_new (void)
{
  RtcHttpServer *s = g_new0 (RtcHttpServer, 1);

  s->context = g_main_context_new ();
  s->loop = g_main_loop_new (s->context, FALSE);
  /* the server's sources go to the context it is created on */
  g_main_context_push_thread_default (s->context);
  s->server = soup_server_new ("server-header", "rtcpeer ", NULL);
  g_main_context_pop_thread_default (s->context);
  return s;
}

SoupServer *
rtc_http_server_get_soup (RtcHttpServer * s)
{
  return s->server;
}

GMainContext *
rtc_http_server_get_context (RtcHttpServer * s)
{
  return s->context;
}

const gchar *
rtc_http_server_get_address (RtcHttpServer * s)
{
  return s->address;
}

static gpointer
server_thread (gpointer data)
{
  RtcHttpServer *s = data;

  g_main_context_push_thread_default (s->context);
  g_main_loop_run (s->loop);
  g_main_context_pop_thread_default (s->context);
  return NULL;
}

gboolean
rtc_http_server_start (RtcHttpServer * s, const gchar * listen,
    GError ** error)
{
  GSocketAddress *addr = parse_listen (listen, error);
  GSList *listeners;
  GSocketAddress *bound = NULL;
  gboolean ok;

  if (!addr)
    return FALSE;
  g_main_context_push_thread_default (s->context);
  ok = soup_server_listen (s->server, addr, 0, error);
  g_main_context_pop_thread_default (s->context);
  g_object_unref (addr);
  if (!ok)
    return FALSE;
  /* the port chosen when 0 was asked for */
  listeners = soup_server_get_listeners (s->server);
  if (listeners)
    bound = g_socket_get_local_address (listeners->data, NULL);
  g_slist_free (listeners);
  if (bound) {
    GInetAddress *inet =
        g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (bound));
    gchar *host = g_inet_address_to_string (inet);

    s->address = g_strdup_printf (g_inet_address_get_family (inet) ==
        G_SOCKET_FAMILY_IPV6 ? "[%s]:%u" : "%s:%u", host,
        g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
    g_free (host);
    g_object_unref (bound);
  }
  s->thread = g_thread_new ("rtc-http", server_thread, s);
  return TRUE;
}

RtcHttpServer *
rtc_http_server_open (GstElement * element, const gchar * what,
    const gchar * listen, const gchar * path, SoupServerCallback handler,
    gpointer data)
{
  RtcHttpServer *http = rtc_http_server_new ();
  GError *error = NULL;

  soup_server_add_early_handler (http->server, path, rtc_http_early_limit,
      NULL, NULL);
  soup_server_add_handler (http->server, path, handler, data, NULL);
  rtc_http_server_add_page (http, path);
  if (!rtc_http_server_start (http, listen, &error)) {
    GST_ELEMENT_ERROR (element, RESOURCE, OPEN_READ_WRITE, ("%s: cannot "
            "listen on %s: %s", what, listen, error->message), (NULL));
    g_error_free (error);
    rtc_http_server_free (http);
    return NULL;
  }
  GST_INFO_OBJECT (element, "%s: serving http://%s%s", what, http->address,
      path);
  return http;
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

void
rtc_http_server_free (RtcHttpServer * s)
{
  if (!s)
    return;
  if (s->thread) {
    g_main_context_invoke (s->context, quit_loop, s->loop);
    g_thread_join (s->thread);
  }
  g_main_context_push_thread_default (s->context);
  soup_server_disconnect (s->server);
  g_object_unref (s->server);
  /* what handlers left queued (answers in flight) is freed with it */
  while (g_main_context_iteration (s->context, FALSE));
  g_main_context_pop_thread_default (s->context);
  g_main_loop_unref (s->loop);
  g_main_context_unref (s->context);
  g_free (s->address);
  g_free (s);
}

/* Whether the request carries "Authorization: Bearer @token". Every byte
 * is compared whatever the first difference, so that the time taken
 * tells nothing of how much of a guess was right. No token: anyone. */
gboolean
rtc_http_check_bearer (SoupServerMessage * msg, const gchar * token)
{
  const gchar *auth;
  gsize alen, tlen, i;
  guint diff;

  if (!token || !token[0])
    return TRUE;
  auth = soup_message_headers_get_one (soup_server_message_get_request_headers
      (msg), "Authorization");
  if (!auth || g_ascii_strncasecmp (auth, "Bearer ", 7) != 0)
    return FALSE;
  auth += 7;
  alen = strlen (auth);
  tlen = strlen (token);
  diff = alen != tlen;
  for (i = 0; i < tlen; i++)
    diff |= (guchar) token[i] ^ (guchar) (i < alen ? auth[i] : 0);
  return diff == 0;
}

/* A plain text answer: the status and why. */
void
rtc_http_respond (SoupServerMessage * msg, guint status, const gchar * text)
{
  soup_server_message_set_status (msg, status, NULL);
  if (status == SOUP_STATUS_UNAUTHORIZED)
    soup_message_headers_replace (soup_server_message_get_response_headers
        (msg), "WWW-Authenticate", "Bearer");
  if (text) {
    gchar *line = g_strconcat (text, "\n", NULL);

    soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_TAKE,
        line, strlen (line));
  }
}

void
rtc_http_respond_created (SoupServerMessage * msg, const gchar * resource,
    const gchar * answer)
{
  SoupMessageHeaders *headers =
      soup_server_message_get_response_headers (msg);

  soup_message_headers_replace (headers, "Location", resource);
  soup_message_headers_replace (headers, "Accept-Patch",
      "application/trickle-ice-sdpfrag");
  soup_server_message_set_status (msg, SOUP_STATUS_CREATED, NULL);
  soup_server_message_set_response (msg, "application/sdp",
      SOUP_MEMORY_COPY, answer, strlen (answer));
}

gboolean
rtc_http_has_content_type (SoupServerMessage * msg, const gchar * type)
{
  const gchar *got =
      soup_message_headers_get_content_type
      (soup_server_message_get_request_headers (msg), NULL);

  return got && g_ascii_strcasecmp (got, type) == 0;
}

/* The handler sees a body only once all of it has arrived: a huge one is
 * refused from its headers. */
void
rtc_http_early_limit (SoupServer * server, SoupServerMessage * msg,
    const char *path, GHashTable * query, gpointer data)
{
  goffset len = soup_message_headers_get_content_length
      (soup_server_message_get_request_headers (msg));

  if (len > RTC_HTTP_MAX_BODY)
    rtc_http_respond (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, NULL);
}

GstSDPMessage *
rtc_http_read_offer (SoupServerMessage * msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  GstSDPMessage *sdp = NULL;

  if (!rtc_http_has_content_type (msg, "application/sdp")) {
    rtc_http_respond (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE,
        "an offer is application/sdp");
    return NULL;
  }
  if (body->length > RTC_HTTP_MAX_BODY) {
    rtc_http_respond (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, NULL);
    return NULL;
  }
  gst_sdp_message_new (&sdp);
  if (body->length == 0 || gst_sdp_message_parse_buffer ((const guint8 *)
          body->data, body->length, sdp) != GST_SDP_OK
      || gst_sdp_message_medias_len (sdp) == 0
      || !gst_sdp_message_get_origin (sdp)->sess_id) {
    gst_sdp_message_free (sdp);
    rtc_http_respond (msg, SOUP_STATUS_BAD_REQUEST, "not an SDP offer");
    return NULL;
  }
  return sdp;
}
