/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* A trickled a=candidate line (add-ice-candidate, a=candidate of a
 * remote description): rtc_ice_candidate_parse() and what it promises
 * about the parts it returns. */

#include "fuzz-common.h"
#include "rtcicecandidate.h"
#include "jsep/rtcsdputil.h"

#include <string.h>

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  gchar *text;
  RtcIceCandidate c;
  GError *error = NULL;

  rtc_fuzz_init ();
  text = rtc_fuzz_strndup (data, size);
  if (rtc_ice_candidate_parse (text, &c, &error)) {
    g_assert (strlen (text) <= RTC_ICE_CANDIDATE_MAX_LENGTH);
    g_assert (c.foundation && *c.foundation && strlen (c.foundation) <= 32);
    g_assert (c.component >= 1 && c.component <= 256);
    g_assert (c.transport && *c.transport);
    g_assert (c.address && *c.address);
    /* Every part may become a GLib string (stats, libnice). */
    g_assert (rtc_sdp_string_is_clean (c.address, G_MAXSIZE));
    g_assert (rtc_sdp_string_is_clean (c.transport, G_MAXSIZE));
    g_assert (rtc_sdp_string_is_clean (c.related_address, G_MAXSIZE));
    g_assert (rtc_sdp_string_is_clean (c.tcp_type, G_MAXSIZE));
    g_assert (rtc_sdp_string_is_clean (c.ufrag, G_MAXSIZE));
    g_assert (strcmp (rtc_ice_candidate_type_to_string (c.type),
            "unknown") != 0);
    rtc_ice_candidate_is_mdns (&c);
    rtc_ice_candidate_clear (&c);
  } else {
    g_assert (error != NULL);
    g_assert (g_utf8_validate (error->message, -1, NULL));
    g_assert (c.foundation == NULL && c.address == NULL);
    g_error_free (error);
  }
  g_free (text);
  return 0;
}
