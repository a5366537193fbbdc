/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* STUN/TURN server URIs, "ice-addresses", and the asynchronous name lookups
 * (server host names, remote mDNS candidates) that run on the network
 * context so their results arrive there. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "rtcice-private.h"

#include <string.h>
#ifdef G_OS_UNIX
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#endif

void
rtc_ice_server_free (RtcIceServer * s)
{
  if (!s)
    return;
  g_free (s->desc);
  g_free (s->host);
  g_free (s->user);
  g_free (s->pass);
  g_free (s->ip);
  g_free (s);
}

/* ---------------------------------------------------------------------- */
/* configuration */

RtcIceServer *
rtc_ice_parse_server (const gchar * uri, gboolean turn, GError ** error)
{
  const gchar *kind = turn ? "TURN" : "STUN";
  const gchar *expect = turn ? "turn://user:password@host:port"
      : "stun://host:port";
  RtcIceServer *s = g_new0 (RtcIceServer, 1);
  gchar *rest = NULL, *q, *at, *hp, *colon, *reason = NULL;
  gsize slen = strcspn (uri, ":");
  gchar *scheme = g_ascii_strdown (uri, slen);

  if (uri[slen] != ':') {
    reason = g_strdup ("no scheme");
  } else if (g_str_equal (scheme, "turns") || g_str_equal (scheme, "stuns")) {
    g_set_error (error, RTC_ICE_ERROR, RTC_ICE_ERROR_UNSUPPORTED,
        "%s server '%s': %s:// (over TLS) is not supported, only %s over "
        "UDP: %s", kind, uri, scheme, kind, expect);
    goto fail;
  } else if (!g_str_equal (scheme, turn ? "turn" : "stun")) {
    reason = g_strdup_printf ("unknown scheme '%s'", scheme);
  }
  if (reason)
    goto invalid;

  rest = g_strdup (uri + slen + 1);
  hp = g_str_has_prefix (rest, "//") ? rest + 2 : rest;
  if ((q = strchr (hp, '?'))) {
    *q++ = '\0';
    if (g_ascii_strcasecmp (q, "transport=tcp") == 0) {
      g_set_error (error, RTC_ICE_ERROR, RTC_ICE_ERROR_UNSUPPORTED,
          "%s server '%s': TURN over TCP (?transport=tcp) is not supported, "
          "only over UDP: %s", kind, uri, expect);
      goto fail;
    } else if (g_ascii_strcasecmp (q, "transport=udp") != 0) {
      reason = g_strdup_printf ("unknown parameter '%s'", q);
      goto invalid;
    }
  }
  if ((at = strrchr (hp, '@'))) {
    *at = '\0';
    if ((colon = strchr (hp, ':'))) {
      *colon = '\0';
      s->pass = g_uri_unescape_string (colon + 1, NULL);
    }
    s->user = g_uri_unescape_string (hp, NULL);
    hp = at + 1;
  }
  if (turn && (!s->user || !s->pass || !*s->user)) {
    reason = g_strdup ("a TURN server needs a username and password");
    goto invalid;
  }
  if (hp[0] == '[') {
    gchar *end = strchr (hp, ']');

    if (!end || (end[1] != '\0' && end[1] != ':')) {
      reason = g_strdup ("unterminated IPv6 address");
      goto invalid;
    }
    s->host = g_strndup (hp + 1, end - hp - 1);
    colon = end[1] == ':' ? end + 1 : NULL;
  } else {
    colon = strchr (hp, ':');
    if (colon && strchr (colon + 1, ':')) {
      reason = g_strdup ("IPv6 addresses go in brackets: [::1]:3478");
      goto invalid;
    }
    s->host = colon ? g_strndup (hp, colon - hp) : g_strdup (hp);
  }
  s->port = DEFAULT_SERVER_PORT;
  if (colon) {
    guint64 port;

    if (!g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &port, NULL)) {
      reason = g_strdup_printf ("invalid port '%s'", colon + 1);
      goto invalid;
    }
    s->port = port;
  }
  if (!*s->host) {
    reason = g_strdup ("no host");
    goto invalid;
  }
  s->desc = g_strdup_printf ("%s://%s%s%s:%u", scheme,
      strchr (s->host, ':') ? "[" : "", s->host,
      strchr (s->host, ':') ? "]" : "", s->port);
  if (g_hostname_is_ip_address (s->host))
    s->ip = g_strdup (s->host);
  g_free (scheme);
  g_free (rest);
  return s;

invalid:
  g_set_error (error, RTC_ICE_ERROR, RTC_ICE_ERROR_INVALID_CONFIG,
      "Invalid %s server URI '%s': %s. Expected %s", kind, uri, reason, expect);
fail:
  g_free (reason);
  g_free (scheme);
  g_free (rest);
  rtc_ice_server_free (s);
  return NULL;
}

/* "ice-addresses" -> NiceAddress list; interface names take all their
 * addresses except IPv6 link-local ones (which need a scope id) */
gboolean
rtc_ice_parse_addresses (const gchar * addresses, GSList ** out,
    GError ** error)
{
  gchar **tokens = g_strsplit (addresses ? addresses : "", ",", -1);
  gboolean ret = TRUE;
  guint i;

  for (i = 0; ret && tokens[i]; i++) {
    gchar *name = g_strstrip (tokens[i]);
    NiceAddress addr;

    if (!*name)
      continue;
    if (nice_address_set_from_string (&addr, name)) {
      *out = g_slist_append (*out, nice_address_dup (&addr));
      continue;
    }
#ifdef G_OS_UNIX
    {
      struct ifaddrs *ifs = NULL, *ifa;
      guint found = 0;

      if (if_nametoindex (name) != 0 && getifaddrs (&ifs) == 0) {
        for (ifa = ifs; ifa; ifa = ifa->ifa_next) {
          if (!ifa->ifa_addr || g_strcmp0 (ifa->ifa_name, name) != 0
              || (ifa->ifa_addr->sa_family != AF_INET
                  && ifa->ifa_addr->sa_family != AF_INET6))
            continue;
          if (ifa->ifa_addr->sa_family == AF_INET6
              && IN6_IS_ADDR_LINKLOCAL (&((struct sockaddr_in6 *)
                      ifa->ifa_addr)->sin6_addr))
            continue;
          nice_address_set_from_sockaddr (&addr, ifa->ifa_addr);
          *out = g_slist_append (*out, nice_address_dup (&addr));
          found++;
        }
        freeifaddrs (ifs);
      }
      if (found > 0)
        continue;
    }
#endif
    g_set_error (error, RTC_ICE_ERROR, RTC_ICE_ERROR_INVALID_CONFIG,
        "ice-addresses '%s': '%s' is neither an IP address nor a network "
        "interface with a usable address (check 'ip addr')", addresses, name);
    ret = FALSE;
  }
  g_strfreev (tokens);
  if (!ret)
    g_slist_free_full (g_steal_pointer (out), (GDestroyNotify)
        nice_address_free);
  return ret;
}

/* ---------------------------------------------------------------------- */
/* name resolution (network thread, so results land on our context) */


typedef struct
{
  RtcIceAgent *ice;
  RtcIceServer *server;         /* STUN/TURN lookup, or: */
  guint stream;                 /* mDNS lookup of a remote candidate */
  gchar *candidate;
  gchar *host;
} RtcIceLookup;

static void
rtc_ice_lookup_free (RtcIceLookup * lk)
{
  g_free (lk->candidate);
  g_free (lk->host);
  g_free (lk);
}

/* gathering waited for the STUN/TURN names: start it now */
static void
rtc_ice_server_resolved (RtcIceAgent * ice, NiceAgent * agent)
{
  GSList *ids = NULL, *l;
  GHashTableIter it;
  RtcIceStream *st;

  g_mutex_lock (&ice->lock);
  if (--ice->pending_lookups == 0) {
    g_hash_table_iter_init (&it, ice->streams);
    while (g_hash_table_iter_next (&it, NULL, (gpointer *) & st)) {
      if (!st->removed && st->gather_pending) {
        st->gather_pending = FALSE;
        ids = g_slist_prepend (ids, GUINT_TO_POINTER (st->id));
      }
    }
  }
  g_mutex_unlock (&ice->lock);

  for (l = ids; l; l = l->next) {
    GError *err = NULL;

    if (!rtc_ice_do_gather (ice, agent, GPOINTER_TO_UINT (l->data), &err)) {
      g_mutex_lock (&ice->lock);
      rtc_ice_queue_error_locked (ice, GPOINTER_TO_UINT (l->data),
          err->code, "%s", err->message);
      g_mutex_unlock (&ice->lock);
      g_error_free (err);
    }
  }
  g_slist_free (ids);
}

static void
rtc_ice_lookup_done (GObject * source, GAsyncResult * res, gpointer data)
{
  RtcIceLookup *lk = data;
  RtcIceAgent *ice = lk->ice;
  GError *err = NULL;
  GList *addrs = g_resolver_lookup_by_name_finish (G_RESOLVER (source), res,
      &err);
  gchar *ip = addrs ? g_inet_address_to_string (addrs->data) : NULL;
  NiceAgent *agent = rtc_ice_get_agent (ice, 0, NULL);

  g_resolver_free_addresses (addrs);
  if (!agent) {
    /* closing: only let teardown finish */
  } else if (lk->server) {
    g_mutex_lock (&ice->lock);
    if (ip) {
      lk->server->ip = g_strdup (ip);
      GST_DEBUG ("%s is %s", lk->server->desc, ip);
    } else {
      rtc_ice_queue_error_locked (ice, 0, RTC_ICE_ERROR_RESOLVE,
          "Could not resolve the host name of %s server %s: %s",
          lk->server == ice->stun ? "STUN" : "TURN", lk->server->desc,
          err->message);
    }
    g_mutex_unlock (&ice->lock);
    if (ip && lk->server == ice->stun)
      g_object_set (agent, "stun-server", ip, "stun-server-port",
          lk->server->port, NULL);
    rtc_ice_server_resolved (ice, agent);
  } else {
    NiceCandidate *c = NULL;

    if (ip) {
      /* the address is the 5th field of "candidate:..." */
      gchar **f = g_strsplit (lk->candidate, " ", -1);
      gchar *sdp;

      g_free (f[4]);
      f[4] = g_strdup (ip);
      sdp = g_strjoinv (" ", f);
      c = nice_agent_parse_remote_candidate_sdp (agent, lk->stream, sdp);
      GST_DEBUG ("stream %u: mDNS %s is %s", lk->stream, lk->host, ip);
      g_free (sdp);
      g_strfreev (f);
    }
    g_mutex_lock (&ice->lock);
    if (rtc_ice_find_locked (ice, lk->stream)) {
      RtcIceStream *st = rtc_ice_find_locked (ice, lk->stream);

      st->pending_mdns--;
      if (!ip)
        rtc_ice_queue_error_locked (ice, lk->stream, RTC_ICE_ERROR_MDNS,
            "Could not resolve the mDNS name '%s' of remote candidate '%s' "
            "(%s). %s", lk->host, lk->candidate, err->message, MDNS_HINT);
    }
    g_mutex_unlock (&ice->lock);
    if (c)
      rtc_ice_apply_remote (ice, agent, lk->stream, c);
    rtc_ice_maybe_apply_eoc (ice, agent, lk->stream);
  }

  g_clear_object (&agent);
  g_clear_error (&err);
  g_free (ip);
  rtc_ice_lookup_free (lk);
  rtc_ice_outstanding_done (ice);
  rtc_ice_unref (ice);
}

static gboolean
rtc_ice_lookup_start (gpointer data)
{
  RtcIceLookup *lk = data;
  GResolver *resolver = g_resolver_get_default ();

  g_resolver_lookup_by_name_async (resolver, lk->host,
      lk->ice->cancellable, rtc_ice_lookup_done, lk);
  g_object_unref (resolver);
  return G_SOURCE_REMOVE;
}

/* caller holds the lock */
void
rtc_ice_lookup_locked (RtcIceAgent * ice, RtcIceServer * server, guint stream,
    const gchar * candidate, const gchar * host)
{
  RtcIceLookup *lk = g_new0 (RtcIceLookup, 1);

  lk->ice = rtc_ice_ref (ice);
  lk->server = server;
  lk->stream = stream;
  lk->candidate = g_strdup (candidate);
  lk->host = g_strdup (host);
  ice->outstanding++;
  rtc_ice_invoke (ice, rtc_ice_lookup_start, lk, NULL);
}
