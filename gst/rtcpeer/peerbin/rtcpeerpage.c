/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The page the WHIP and WHEP servers serve at / so that a browser needs
 * no other code: opened from whep-listen's address it watches the
 * pipeline (a WHEP POST to /whep), from whip-listen's it sends the
 * camera and microphone into the pipeline (a WHIP POST to /whip). The
 * token, when the server has one, goes in the URL's fragment
 * (http://127.0.0.1:8080/#token=s3cret), which the browser never sends
 * to the server. The page is static: it holds nothing about the
 * pipeline, and anyone who can reach the port may load it. Leaving the
 * page DELETEs the session. window.rtcpeer (the RTCPeerConnection and
 * the state) is there for tests and curious users. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "rtcpeerhttp.h"

#define PAGE_HEAD \
  "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n" \
  "<meta name=\"viewport\" content=\"width=device-width\">\n" \
  "<title>rtcpeerbin</title></head>\n<body>\n" \
  "<video id=\"video\" autoplay playsinline muted controls " \
  "style=\"max-width:100%\"></video>\n<p id=\"status\">starting</p>\n" \
  "<script>\n"

/* What both pages share: POST the offer once gathering is complete (or
 * after 2 s), apply the answer, DELETE the resource when leaving. */
#define PAGE_COMMON \
  "'use strict';\n" \
  "const token = new URLSearchParams(location.hash.slice(1)).get('token');\n" \
  "const status = (text) => { document.getElementById('status').textContent = text; rtcpeer.status = text; };\n" \
  "const pc = new RTCPeerConnection();\n" \
  "window.rtcpeer = { pc: pc, status: 'starting', resource: null };\n" \
  "pc.onconnectionstatechange = () => status('connection ' + pc.connectionState);\n" \
  "function gathered() {\n" \
  "  return new Promise((done) => {\n" \
  "    if (pc.iceGatheringState === 'complete') return done();\n" \
  "    pc.onicegatheringstatechange = () => { if (pc.iceGatheringState === 'complete') done(); };\n" \
  "    setTimeout(done, 2000);\n" \
  "  });\n" \
  "}\n" \
  "async function exchange(endpoint) {\n" \
  "  await pc.setLocalDescription(await pc.createOffer());\n" \
  "  await gathered();\n" \
  "  const headers = { 'Content-Type': 'application/sdp' };\n" \
  "  if (token) headers['Authorization'] = 'Bearer ' + token;\n" \
  "  const reply = await fetch(endpoint, { method: 'POST', headers: headers, body: pc.localDescription.sdp });\n" \
  "  const text = await reply.text();\n" \
  "  if (reply.status !== 201) throw new Error(reply.status + ' ' + text);\n" \
  "  rtcpeer.resource = new URL(reply.headers.get('Location'), location.href).href;\n" \
  "  await pc.setRemoteDescription({ type: 'answer', sdp: text });\n" \
  "  addEventListener('pagehide', () => {\n" \
  "    const h = token ? { 'Authorization': 'Bearer ' + token } : {};\n" \
  "    fetch(rtcpeer.resource, { method: 'DELETE', headers: h, keepalive: true });\n" \
  "  });\n" \
  "}\n"

static const gchar whep_page[] = PAGE_HEAD PAGE_COMMON
    "async function watch() {\n"
    "  const stream = new MediaStream();\n"
    "  document.getElementById('video').srcObject = stream;\n"
    "  pc.ontrack = (e) => stream.addTrack(e.track);\n"
    "  pc.addTransceiver('video', { direction: 'recvonly' });\n"
    "  pc.addTransceiver('audio', { direction: 'recvonly' });\n"
    "  status('asking /whep');\n"
    "  await exchange('/whep');\n"
    "  status('answered');\n"
    "}\n"
    "watch().catch((e) => status('error: ' + e.message));\n"
    "</script>\n</body></html>\n";

static const gchar whip_page[] = PAGE_HEAD PAGE_COMMON
    "async function publish() {\n"
    "  status('asking for the camera and microphone');\n"
    "  const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });\n"
    "  document.getElementById('video').srcObject = stream;\n"
    "  for (const track of stream.getTracks())\n"
    "    pc.addTransceiver(track, { direction: 'sendonly', streams: [stream] });\n"
    "  status('publishing to /whip');\n"
    "  await exchange('/whip');\n"
    "  status('answered');\n"
    "}\n"
    "publish().catch((e) => status('error: ' + e.message));\n"
    "</script>\n</body></html>\n";

/* Everything the POST path's handler does not take: the page at /, 404
 * elsewhere. @data is the page. */
static void
page_handler (SoupServer * server, SoupServerMessage * msg, const char *path,
    GHashTable * query, gpointer data)
{
  const gchar *method = soup_server_message_get_method (msg);
  const gchar *page = data;
  SoupMessageHeaders *headers;

  if (soup_server_message_get_status (msg) != 0)
    return;                     /* refused by the early handler */
  if (strcmp (path, "/") != 0 && strcmp (path, "/index.html") != 0) {
    rtc_http_respond (msg, SOUP_STATUS_NOT_FOUND, "nothing here");
    return;
  }
  if (strcmp (method, "GET") != 0 && strcmp (method, "HEAD") != 0) {
    rtc_http_respond (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
    return;
  }
  headers = soup_server_message_get_response_headers (msg);
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "X-Content-Type-Options",
      "nosniff");
  soup_server_message_set_response (msg, "text/html; charset=utf-8",
      SOUP_MEMORY_STATIC, page, strlen (page));
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
}

void
rtc_http_server_add_page (RtcHttpServer * s, const gchar * path)
{
  SoupServer *server = rtc_http_server_get_soup (s);
  const gchar *page = strcmp (path, "/whip") == 0 ? whip_page : whep_page;

  soup_server_add_early_handler (server, "/", rtc_http_early_limit, NULL,
      NULL);
  soup_server_add_handler (server, "/", page_handler, (gpointer) page, NULL);
}
