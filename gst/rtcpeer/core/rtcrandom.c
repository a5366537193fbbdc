/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "rtcrandom.h"

#include <openssl/rand.h>

void
rtc_random_bytes (guint8 * buf, gsize len)
{
  /* RAND_bytes only fails when the system entropy source is broken; there
   * is nothing safe to fall back to for credentials. */
  if (RAND_bytes (buf, (int) len) != 1)
    g_error ("OpenSSL RAND_bytes failed: no entropy source");
}

guint32
rtc_random_u32 (void)
{
  guint32 v;

  rtc_random_bytes ((guint8 *) & v, sizeof (v));
  return v;
}

gchar *
rtc_random_ice_string (gsize len)
{
  static const gchar alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  gchar *s = g_malloc (len + 1);
  guint8 *raw = g_malloc (len);
  gsize i;

  rtc_random_bytes (raw, len);
  /* 64 symbols: the low 6 bits map without bias. */
  for (i = 0; i < len; i++)
    s[i] = alphabet[raw[i] & 0x3f];
  s[len] = '\0';
  g_free (raw);
  return s;
}

guint64
rtc_random_session_id (void)
{
  guint64 v;

  rtc_random_bytes ((guint8 *) & v, sizeof (v));
  v &= G_GUINT64_CONSTANT (0x3fffffffffffffff);
  return v ? v : 1;
}
