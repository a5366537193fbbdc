/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fuzz-common.h"

#include <gst/gst.h>
#include <stdlib.h>
#include <string.h>

static gpointer
init_once (gpointer data)
{
  /* GStreamer's own debug output is noise at fuzzing speed. */
  g_setenv ("GST_DEBUG", "0", TRUE);
  /* The targets use no plugin: never scan (or load) the machine's, whose
   * warnings would otherwise count as findings. */
  g_setenv ("GST_PLUGIN_SYSTEM_PATH_1_0", "", TRUE);
  g_setenv ("GST_PLUGIN_PATH_1_0", "", TRUE);
  g_setenv ("GST_REGISTRY_UPDATE", "no", TRUE);
  gst_init (NULL, NULL);
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL |
      G_LOG_LEVEL_WARNING);
  return NULL;
}

void
rtc_fuzz_init (void)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, init_once, NULL);
}

gchar *
rtc_fuzz_strndup (const uint8_t * data, size_t size)
{
  gchar *s = g_malloc (size + 1);

  memcpy (s, data, size);
  s[size] = '\0';
  return s;
}
