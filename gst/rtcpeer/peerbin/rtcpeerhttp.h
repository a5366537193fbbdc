/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#ifndef __RTC_PEER_HTTP_H__
#define __RTC_PEER_HTTP_H__

#include <libsoup/soup.h>

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
/* Stops the thread and frees; no handler runs after it returns. */
void           rtc_http_server_free (RtcHttpServer * s);

gboolean       rtc_http_check_bearer (SoupServerMessage * msg,
                                      const gchar * token);
void           rtc_http_respond (SoupServerMessage * msg, guint status,
                                 const gchar * text);

G_END_DECLS

#endif /* __RTC_PEER_HTTP_H__ */
