/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The profile-level-id derived from an H264 sprop-parameter-sets
 * (rtc_h264_profile_level_id_from_sprop()): once with the input as the
 * NAL unit bytes (base64-encoded as rtph264pay does, checked against what
 * the SPS says), once with the input as the parameter text itself. */

#include "fuzz-common.h"
#include "jsep/rtcjsep-media.h"

#include <string.h>

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  gchar *b64, *text, *sprop, *plid;

  rtc_fuzz_init ();

  b64 = g_base64_encode (data, size);
  /* The SPS first, then whatever else the stream had. */
  sprop = g_strconcat (b64, ",aM4ySA==", NULL);
  plid = rtc_h264_profile_level_id_from_sprop (sprop);
  if (size >= 4 && (data[0] & 0x80) == 0 && (data[0] & 0x1f) == 7
      && data[1] != 0) {
    gchar *expect = g_strdup_printf ("%02x%02x%02x", data[1], data[2],
        data[3]);

    g_assert (plid != NULL && strcmp (plid, expect) == 0);
    g_free (expect);
  } else {
    g_assert (plid == NULL);
  }
  g_free (plid);
  g_free (sprop);
  g_free (b64);

  text = rtc_fuzz_strndup (data, size);
  plid = rtc_h264_profile_level_id_from_sprop (text);
  g_assert (plid == NULL || strlen (plid) == 6);
  g_free (plid);
  g_free (text);
  return 0;
}
