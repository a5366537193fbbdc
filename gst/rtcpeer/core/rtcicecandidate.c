/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "rtcicecandidate.h"
#include "jsep/rtcsdputil.h"

#include <stdlib.h>
#include <string.h>

/* ice-char = ALPHA / DIGIT / "+" / "/" (RFC 8839 section 5.1) */
static gboolean
is_ice_chars (const gchar * s, gsize max)
{
  gsize n = 0;

  for (; *s; s++, n++) {
    if (!g_ascii_isalnum (*s) && *s != '+' && *s != '/')
      return FALSE;
  }
  return n > 0 && n <= max;
}

static gboolean
parse_uint (const gchar * s, guint64 max, guint64 * out)
{
  gchar *end;
  guint64 v;

  if (!s || !g_ascii_isdigit (*s))
    return FALSE;
  v = g_ascii_strtoull (s, &end, 10);
  if (*end != '\0' || v > max)
    return FALSE;
  *out = v;
  return TRUE;
}

static gboolean
fail (GError ** error, const gchar * str, const gchar * what)
{
  /* Escaped and cut: the line is the peer's, the message is ours. */
  gchar *safe = rtc_sdp_string_for_message (str, 120);

  g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP,
      "Invalid ICE candidate '%s': %s", safe, what);
  g_free (safe);
  return FALSE;
}

gboolean
rtc_ice_candidate_parse (const gchar * str, RtcIceCandidate * cand,
    GError ** error)
{
  const gchar *value = str;
  gchar **tok;
  guint n, i;
  guint64 v;
  gboolean ok = FALSE;

  memset (cand, 0, sizeof (*cand));
  if (!str)
    return fail (error, "(null)", "no candidate");
  if (strlen (str) > RTC_ICE_CANDIDATE_MAX_LENGTH)
    return fail (error, str, "longer than the "
        G_STRINGIFY (RTC_ICE_CANDIDATE_MAX_LENGTH) " bytes accepted");
  if (!rtc_sdp_string_is_clean (str, RTC_ICE_CANDIDATE_MAX_LENGTH))
    return fail (error, str, "not UTF-8, or contains control characters");
  if (g_str_has_prefix (value, "a="))
    value += 2;
  if (g_str_has_prefix (value, "candidate:"))
    value += strlen ("candidate:");

  tok = g_strsplit (value, " ", -1);
  n = g_strv_length (tok);
  if (n < 8) {
    fail (error, str, "expected '<foundation> <component> <transport> "
        "<priority> <address> <port> typ <type>'");
    goto out;
  }
  if (!is_ice_chars (tok[0], 32)) {
    fail (error, str, "the foundation must be 1 to 32 ice-chars");
    goto out;
  }
  if (!parse_uint (tok[1], 256, &v) || v == 0) {
    fail (error, str, "the component id must be 1 to 256");
    goto out;
  }
  cand->component = v;
  if (!*tok[2]) {
    fail (error, str, "missing transport");
    goto out;
  }
  if (!parse_uint (tok[3], G_MAXUINT32, &v)) {
    fail (error, str, "the priority must be a 32-bit number");
    goto out;
  }
  cand->priority = v;
  if (!*tok[4]) {
    fail (error, str, "missing connection address");
    goto out;
  }
  if (!parse_uint (tok[5], 65535, &v)) {
    fail (error, str, "the port must be 0 to 65535");
    goto out;
  }
  cand->port = v;
  if (g_strcmp0 (tok[6], "typ") != 0) {
    fail (error, str, "expected 'typ' after the port");
    goto out;
  }
  if (!g_strcmp0 (tok[7], "host"))
    cand->type = RTC_ICE_CANDIDATE_HOST;
  else if (!g_strcmp0 (tok[7], "srflx"))
    cand->type = RTC_ICE_CANDIDATE_SRFLX;
  else if (!g_strcmp0 (tok[7], "prflx"))
    cand->type = RTC_ICE_CANDIDATE_PRFLX;
  else if (!g_strcmp0 (tok[7], "relay"))
    cand->type = RTC_ICE_CANDIDATE_RELAY;
  else {
    fail (error, str, "unknown candidate type (host, srflx, prflx or relay)");
    goto out;
  }

  /* The rest are name/value pairs: raddr, rport, tcptype and extensions
   * we keep only where ICE needs them. */
  for (i = 8; i + 1 < n; i += 2) {
    if (!g_strcmp0 (tok[i], "raddr")) {
      g_free (cand->related_address);
      cand->related_address = g_strdup (tok[i + 1]);
    } else if (!g_strcmp0 (tok[i], "rport")) {
      if (!parse_uint (tok[i + 1], 65535, &v)) {
        fail (error, str, "rport must be 0 to 65535");
        goto out;
      }
      cand->related_port = v;
    } else if (!g_strcmp0 (tok[i], "tcptype")) {
      g_free (cand->tcp_type);
      cand->tcp_type = g_strdup (tok[i + 1]);
    } else if (!g_strcmp0 (tok[i], "ufrag")) {
      g_free (cand->ufrag);
      cand->ufrag = g_strdup (tok[i + 1]);
    }
  }
  if (i < n) {
    fail (error, str, "an extension attribute has no value");
    goto out;
  }

  cand->foundation = g_strdup (tok[0]);
  cand->transport = g_ascii_strdown (tok[2], -1);
  cand->address = g_strdup (tok[4]);
  ok = TRUE;

out:
  g_strfreev (tok);
  if (!ok)
    rtc_ice_candidate_clear (cand);
  return ok;
}

void
rtc_ice_candidate_clear (RtcIceCandidate * cand)
{
  g_clear_pointer (&cand->foundation, g_free);
  g_clear_pointer (&cand->transport, g_free);
  g_clear_pointer (&cand->address, g_free);
  g_clear_pointer (&cand->related_address, g_free);
  g_clear_pointer (&cand->tcp_type, g_free);
  g_clear_pointer (&cand->ufrag, g_free);
}

gboolean
rtc_ice_candidate_is_mdns (const RtcIceCandidate * cand)
{
  return cand->address && g_str_has_suffix (cand->address, ".local");
}

const gchar *
rtc_ice_candidate_type_to_string (RtcIceCandidateType type)
{
  switch (type) {
    case RTC_ICE_CANDIDATE_HOST:
      return "host";
    case RTC_ICE_CANDIDATE_SRFLX:
      return "srflx";
    case RTC_ICE_CANDIDATE_PRFLX:
      return "prflx";
    case RTC_ICE_CANDIDATE_RELAY:
      return "relay";
    default:
      return "unknown";
  }
}
