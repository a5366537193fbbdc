/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#ifndef __RTC_PEER_HTTP_H__
#define __RTC_PEER_HTTP_H__

#include <libsoup/soup.h>
#include <gst/sdp/sdp.h>

G_BEGIN_DECLS

typedef struct _RtcHttpServer RtcHttpServer;

/* Create, add handlers with soup_server_add_handler() on the SoupServer,
 * then start: it listens on @listen and serves from a thread of its own,
 * whose main context is rtc_http_server_get_context(). */
RtcHttpServer *rtc_http_server_new (void);
SoupServer    *rtc_http_server_get_soup (RtcHttpServer * s);
GMainContext  *rtc_http_server_get_context (RtcHttpServer * s);
gboolean       rtc_http_server_start (RtcHttpServer * s, const gchar * listen,
                                      GError ** error);
/* ADDRESS:PORT it is bound to (the port chosen for port 0). */
const gchar   *rtc_http_server_get_address (RtcHttpServer * s);
/* A server for @path on @listen, started, its requests going to
 * @handler (after rtc_http_early_limit ()); NULL after an element error
 * of @element, whose property @what is @listen. */
struct _GstElement;
RtcHttpServer *rtc_http_server_open (struct _GstElement * element,
                                     const gchar * what,
                                     const gchar * listen,
                                     const gchar * path,
                                     SoupServerCallback handler,
                                     gpointer data);
/* rtcpeerpage.c: the page at / (and 404 for any other path the handlers
 * do not take) that watches from @path "/whep" or publishes to "/whip". */
void           rtc_http_server_add_page (RtcHttpServer * s,
                                         const gchar * path);
/* Stops the thread and frees; no handler runs after it returns. */
void           rtc_http_server_free (RtcHttpServer * s);

gboolean       rtc_http_check_bearer (SoupServerMessage * msg,
                                      const gchar * token);
void           rtc_http_respond (SoupServerMessage * msg, guint status,
                                 const gchar * text);
/* 201 Created: the session's @resource (a path) in Location, @answer as
 * application/sdp, and Accept-Patch saying PATCH trickles (RFC 9725
 * section 4.3.1). */
void           rtc_http_respond_created (SoupServerMessage * msg,
                                         const gchar * resource,
                                         const gchar * answer);
gboolean       rtc_http_has_content_type (SoupServerMessage * msg,
                                          const gchar * type);

/* A WHIP or WHEP offer is a few kilobytes; a body beyond this is
 * refused. */
#define RTC_HTTP_MAX_BODY (64 * 1024)
/* An early handler (soup_server_add_early_handler) refusing a body
 * bigger than RTC_HTTP_MAX_BODY before it is read; the handler then
 * returns at once when the message already has a status. */
void           rtc_http_early_limit (SoupServer * server,
                                     SoupServerMessage * msg,
                                     const char *path, GHashTable * query,
                                     gpointer data);
/* The SDP offer a POST carries (new), or NULL with the message answered
 * 415 (not application/sdp), 413 or 400 (not an SDP offer). */
GstSDPMessage *rtc_http_read_offer (SoupServerMessage * msg);

G_END_DECLS

#endif /* __RTC_PEER_HTTP_H__ */
