/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#ifndef __RTC_PEER_ANSWER_H__
#define __RTC_PEER_ANSWER_H__

#include <gst/gst.h>
#include "rtcpeerhttp.h"

G_BEGIN_DECLS

/* The answer to one HTTP POST of an offer (WHIP and WHEP servers), by one
 * peer connection. */
typedef struct _RtcAnswer RtcAnswer;

/* On the HTTP server's thread, once: @status is 201 with the answer (every
 * candidate in it) in @text, or an error status and why. It sets @msg's
 * response (rtc_http_respond () for an error); @msg is unpaused after. */
typedef void (*RtcAnswerDone) (SoupServerMessage * msg, guint status,
                               const gchar * text, gpointer data);

/* On the server's thread, from the POST's handler: pauses @msg, applies
 * @offer (taken) to @pc, creates and applies the answer and waits for
 * @pc's ICE gathering to complete; @done follows, or a 503 when that takes
 * longer than @timeout_s. The caller owns the result; @destroy frees
 * @data with the last reference. */
RtcAnswer    *rtc_answer_start (GstElement * pc, SoupServerMessage * msg,
                                GstSDPMessage * offer, guint timeout_s,
                                RtcAnswerDone done, gpointer data,
                                GDestroyNotify destroy);
/* @done will not be called (it may be running on the server's thread:
 * stop that first); drops the caller's reference. */
void          rtc_answer_cancel (RtcAnswer * answer);
/* Drops the caller's reference, after @done (or from it). */
void          rtc_answer_unref (RtcAnswer * answer);

/* A new rtcpeerbin (a reference, not floating) with @parent's ICE, DTLS
 * and jitter-buffer settings: a session's own peer connection, a child of
 * the listening bin. */
GstElement   *rtc_answer_new_peer (GstElement * parent);
/* Takes @child out of @bin (if it is still there) for good, whatever @bin
 * is doing: its state is locked before it goes to NULL, so that the
 * application changing @bin's state meanwhile cannot bring it back up to
 * be removed running. */
void          rtc_answer_remove_child (GstElement * bin, GstElement * child);

/* A PATCH (RFC 8840 trickle-ice-sdpfrag) of a session of @pc: its
 * candidates go to @pc, and the message gets its status (204, 415, 422). */
void          rtc_answer_trickle (GstElement * pc, SoupServerMessage * msg);

G_END_DECLS

#endif /* __RTC_PEER_ANSWER_H__ */
