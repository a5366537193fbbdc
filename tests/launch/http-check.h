/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* What the WHIP and WHEP server tests share: one HTTP request, and
 * waiting on a pipeline's bus with a bound. */

#ifndef __RTC_HTTP_CHECK_H__
#define __RTC_HTTP_CHECK_H__

#include <gst/check/gstcheck.h>
#include <libsoup/soup.h>
#include <string.h>

#define WAIT_S 30

/* One request; its status (the body in @body, the response's headers in
 * @headers, if asked). */
static guint
request_full (const gchar * method, const gchar * url, const gchar * token,
    const gchar * type, const gchar * data, gsize len, gchar ** body,
    SoupMessageHeaders ** headers)
{
  SoupSession *session = soup_session_new_with_options ("timeout", 10, NULL);
  SoupMessage *msg = soup_message_new (method, url);
  GBytes *reply;
  guint status;

  fail_unless (msg != NULL);
  if (token) {
    gchar *auth = g_strdup_printf ("Bearer %s", token);

    soup_message_headers_replace (soup_message_get_request_headers (msg),
        "Authorization", auth);
    g_free (auth);
  }
  if (type) {
    GBytes *bytes = g_bytes_new (data, len);

    soup_message_set_request_body_from_bytes (msg, type, bytes);
    g_bytes_unref (bytes);
  }
  reply = soup_session_send_and_read (session, msg, NULL, NULL);
  fail_unless (reply != NULL, "%s %s: no answer", method, url);
  status = soup_message_get_status (msg);
  if (body)
    *body = g_strndup (g_bytes_get_data (reply, NULL),
        g_bytes_get_size (reply));
  if (headers)
    *headers = soup_message_headers_ref (soup_message_get_response_headers
        (msg));
  g_bytes_unref (reply);
  g_object_unref (msg);
  g_object_unref (session);
  return status;
}

static guint
request (const gchar * method, const gchar * url, const gchar * token,
    const gchar * type, const gchar * data, gsize len, gchar ** body)
{
  return request_full (method, url, token, type, data, len, body, NULL);
}

/* The first message of @types on @pipeline's bus within WAIT_S. */
static GstMessage *
wait_for (GstElement * pipeline, GstMessageType types)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg = gst_bus_timed_pop_filtered (bus, WAIT_S * GST_SECOND,
      types);

  gst_object_unref (bus);
  fail_unless (msg != NULL, "nothing in %d s", WAIT_S);
  return msg;
}

/* The "event" of the next element message @name on @pipeline's bus
 * (its "resource" in @resource if asked); no error before it. */
static gchar *
wait_server_event (GstElement * pipeline, const gchar * name,
    gchar ** resource)
{
  for (;;) {
    GstMessage *msg = wait_for (pipeline, GST_MESSAGE_ELEMENT |
        GST_MESSAGE_ERROR);
    const GstStructure *s = gst_message_get_structure (msg);
    gchar *event = NULL;

    fail_if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR);
    if (gst_structure_has_name (s, name)) {
      event = g_strdup (gst_structure_get_string (s, "event"));
      if (resource)
        *resource = g_strdup (gst_structure_get_string (s, "resource"));
    }
    gst_message_unref (msg);
    if (event)
      return event;
  }
}

/* The page a server at @url (its POST path, @endpoint) serves at /: HTML
 * that POSTs to @endpoint and does what @marker names; 405 and 404
 * around it. No token needed: the page holds no secret. */
static void
check_page (const gchar * url, const gchar * endpoint, const gchar * marker)
{
  gchar *base = g_strndup (url, strlen (url) - strlen (endpoint));
  gchar *root = g_strconcat (base, "/", NULL);
  gchar *other = g_strconcat (base, "/page", NULL);
  gchar *body = NULL, *quoted = g_strdup_printf ("exchange('%s')", endpoint);
  SoupMessageHeaders *headers = NULL;

  fail_unless_equals_int (request_full ("GET", root, NULL, NULL, NULL, 0,
          &body, &headers), SOUP_STATUS_OK);
  fail_unless_equals_string (soup_message_headers_get_content_type (headers,
          NULL), "text/html");
  fail_unless (g_str_has_prefix (body, "<!DOCTYPE html>"), "%s", body);
  fail_unless (strstr (body, quoted) != NULL, "%s", body);
  fail_unless (strstr (body, marker) != NULL, "%s", body);
  soup_message_headers_unref (headers);
  g_free (body);
  fail_unless_equals_int (request ("POST", root, NULL, "text/plain", "x", 1,
          NULL), SOUP_STATUS_METHOD_NOT_ALLOWED);
  fail_unless_equals_int (request ("GET", other, NULL, NULL, NULL, 0, NULL),
      SOUP_STATUS_NOT_FOUND);
  g_free (quoted);
  g_free (other);
  g_free (root);
  g_free (base);
}

/* What a WHIP or WHEP server at @url (its POST path) refuses before
 * anything else: a POST that is not application/sdp (415), not SDP or
 * empty (400), too big (413); a GET (405); a PATCH and a DELETE of a
 * resource that does not exist (404). */
static void
check_refusals (const gchar * url, const gchar * token)
{
  gsize huge_len = 1024 * 1024;
  gchar *huge = g_malloc (huge_len);
  gchar *other = g_strconcat (url, "/1234", NULL);

  fail_unless_equals_int (request ("POST", url, token, "text/plain",
          "v=0\r\n", 5, NULL), SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE);
  fail_unless_equals_int (request ("POST", url, token, "application/sdp",
          "v=0\r\nthis is not sdp", 20, NULL), SOUP_STATUS_BAD_REQUEST);
  fail_unless_equals_int (request ("POST", url, token, "application/sdp",
          "", 0, NULL), SOUP_STATUS_BAD_REQUEST);
  memset (huge, 'a', huge_len);
  fail_unless_equals_int (request ("POST", url, token, "application/sdp",
          huge, huge_len, NULL), SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
  fail_unless_equals_int (request ("GET", url, token, NULL, NULL, 0, NULL),
      SOUP_STATUS_METHOD_NOT_ALLOWED);
  fail_unless_equals_int (request ("PATCH", other, token,
          "application/trickle-ice-sdpfrag", "a=mid:0\r\n", 9, NULL),
      SOUP_STATUS_NOT_FOUND);
  fail_unless_equals_int (request ("DELETE", other, token, NULL, NULL, 0,
          NULL), SOUP_STATUS_NOT_FOUND);
  g_free (other);
  g_free (huge);
}

/* Clients sending, all at once, what a server must refuse (415, 400). */
typedef struct
{
  const gchar *url;
  const gchar *token;
  gint wrong;                   /* atomic: refusals with another status */
  GThread *threads[8];
} BadClients;

static gpointer
bad_client (gpointer data)
{
  BadClients *c = data;
  gint i;

  for (i = 0; i < 5; i++) {
    if (request ("POST", c->url, c->token, "text/plain", "v=0\r\n", 5,
            NULL) != SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE)
      g_atomic_int_inc (&c->wrong);
    if (request ("POST", c->url, c->token, "application/sdp", "hello", 5,
            NULL) != SOUP_STATUS_BAD_REQUEST)
      g_atomic_int_inc (&c->wrong);
  }
  return NULL;
}

static void
bad_clients_start (BadClients * c, const gchar * url, const gchar * token)
{
  guint i;

  c->url = url;
  c->token = token;
  c->wrong = 0;
  for (i = 0; i < G_N_ELEMENTS (c->threads); i++)
    c->threads[i] = g_thread_new ("bad-client", bad_client, c);
}

/* How many of their requests got another status than expected. */
static gint
bad_clients_join (BadClients * c)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (c->threads); i++)
    g_thread_join (c->threads[i]);
  return g_atomic_int_get (&c->wrong);
}

#endif /* __RTC_HTTP_CHECK_H__ */
