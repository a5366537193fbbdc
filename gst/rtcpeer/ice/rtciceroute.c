/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Sending on a selected UDP pair without going through libnice.
 *
 * nice_agent_send() takes the agent's lock, looks the component up and
 * makes one sendmsg() per datagram; at media and data-channel rates that
 * lock and the per-datagram system call are where the sending time goes.
 * Once a pair is selected whose local side is one of our own UDP sockets
 * (host, server- or peer-reflexive: not a TURN relay, which needs
 * libnice's framing), a route holds what sending needs: a duplicate of
 * the socket's descriptor (libnice may close its own whenever it likes;
 * ours stays valid until the route goes) and the remote address. Batches
 * go out with one sendmmsg().
 *
 * A route is immutable and reference-counted, so a sender uses it outside
 * the agent's lock. It is dropped when the pair changes, the component
 * fails (RFC 7675: no consent, no sending), the stream is removed or
 * restarted. */

/* sendmmsg () */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "rtcice-private.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct _RtcIceRoute
{
  gatomicrefcount ref;
  gint fd;
  struct sockaddr_storage addr;
  socklen_t addrlen;
};

RtcIceRoute *
rtc_ice_route_new (NiceAgent * agent, guint stream, NiceCandidate * local,
    NiceCandidate * remote)
{
  RtcIceRoute *route;
  GSocket *sock;
  gint fd;

  if (local->transport != NICE_CANDIDATE_TRANSPORT_UDP ||
      local->type == NICE_CANDIDATE_TYPE_RELAYED)
    return NULL;
  sock = nice_agent_get_selected_socket (agent, stream, 1);
  if (sock == NULL)
    return NULL;
  fd = -1;
  if (g_socket_get_protocol (sock) == G_SOCKET_PROTOCOL_UDP &&
      g_socket_get_family (sock) == (nice_address_ip_version (&remote->addr)
          == 6 ? G_SOCKET_FAMILY_IPV6 : G_SOCKET_FAMILY_IPV4))
    fd = fcntl (g_socket_get_fd (sock), F_DUPFD_CLOEXEC, 0);
  g_object_unref (sock);
  if (fd < 0)
    return NULL;

  route = g_new0 (RtcIceRoute, 1);
  g_atomic_ref_count_init (&route->ref);
  route->fd = fd;
  nice_address_copy_to_sockaddr (&remote->addr,
      (struct sockaddr *) &route->addr);
  route->addrlen = route->addr.ss_family == AF_INET6 ?
      sizeof (struct sockaddr_in6) : sizeof (struct sockaddr_in);
  return route;
}

RtcIceRoute *
rtc_ice_route_ref (RtcIceRoute * route)
{
  g_atomic_ref_count_inc (&route->ref);
  return route;
}

void
rtc_ice_route_unref (RtcIceRoute * route)
{
  if (route && g_atomic_ref_count_dec (&route->ref)) {
    close (route->fd);
    g_free (route);
  }
}

/* At most this many datagrams per system call. */
#define BATCH 64

/* Returns how many of @n datagrams the kernel took. A full socket buffer
 * drops the rest, as the network would. */
guint
rtc_ice_route_send (RtcIceRoute * route, const RtcDatagram * dgrams,
    guint n)
{
  struct mmsghdr msgs[BATCH];
  struct iovec iov[BATCH];
  guint done = 0;

  while (done < n) {
    guint i, count = MIN (n - done, BATCH);
    gint sent;

    memset (msgs, 0, sizeof (struct mmsghdr) * count);
    for (i = 0; i < count; i++) {
      iov[i].iov_base = (gpointer) dgrams[done + i].data;
      iov[i].iov_len = dgrams[done + i].len;
      msgs[i].msg_hdr.msg_name = &route->addr;
      msgs[i].msg_hdr.msg_namelen = route->addrlen;
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
    }
    do {
      sent = sendmmsg (route->fd, msgs, count, MSG_DONTWAIT);
    } while (sent < 0 && errno == EINTR);
    if (sent <= 0) {
      GST_LOG ("sendmmsg: %s", sent < 0 ? g_strerror (errno) : "nothing sent");
      break;
    }
    done += sent;
    if ((guint) sent < count)
      break;
  }
  return done;
}

/* ---------------------------------------------------------------------- */
/* the agent's sending API */

/* The stream's direct route, or the agent to send through (one of the
 * two set), or neither when closing or unknown. */
static void
get_path (RtcIceAgent * ice, guint stream, RtcIceRoute ** route,
    NiceAgent ** agent)
{
  RtcIceStream *st;

  *route = NULL;
  *agent = NULL;
  g_mutex_lock (&ice->lock);
  if (!ice->closing && (st = rtc_ice_find_locked (ice, stream)) &&
      !st->removed) {
    if (st->route)
      *route = rtc_ice_route_ref (st->route);
    else
      *agent = g_object_ref (ice->agent);
  }
  g_mutex_unlock (&ice->lock);
}

gboolean
rtc_ice_agent_send (RtcIceAgent * ice, guint stream, const guint8 * data,
    gsize len)
{
  RtcDatagram d = { data, len };

  return rtc_ice_agent_send_many (ice, stream, &d, 1) == 1;
}

guint
rtc_ice_agent_send_many (RtcIceAgent * ice, guint stream,
    const RtcDatagram * dgrams, guint n)
{
  RtcIceRoute *route;
  NiceAgent *agent;
  guint i = 0;

  get_path (ice, stream, &route, &agent);
  if (route) {
    i = rtc_ice_route_send (route, dgrams, n);
    rtc_ice_route_unref (route);
  } else if (agent) {
    /* -1 while no pair is selected; UDP: a full socket buffer drops */
    for (i = 0; i < n; i++) {
      gint sent = nice_agent_send (agent, stream, 1, dgrams[i].len,
          (const gchar *) dgrams[i].data);

      if (sent < 0 || (gsize) sent != dgrams[i].len)
        break;
    }
    g_object_unref (agent);
  }
  return i;
}

gboolean
rtc_ice_agent_sends_directly (RtcIceAgent * ice, guint stream)
{
  RtcIceRoute *route;
  NiceAgent *agent;

  get_path (ice, stream, &route, &agent);
  g_clear_object (&agent);
  rtc_ice_route_unref (route);
  return route != NULL;
}
