/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Why OpenSSL is initialised here and not where it is first used:
 *
 * - The first use used to be wherever a bin first needed a random value:
 *   often the rtc-pc-ops thread of a bin. OpenSSL's initialisation leaves
 *   per-thread state (the error queue its config loading marks) on the
 *   thread that ran it; once that thread ended, LeakSanitizer reported it.
 *   A thread of our own that ends with OPENSSL_thread_stop () leaves
 *   nothing behind.
 * - OpenSSL normally registers OPENSSL_cleanup () with atexit (). That
 *   cleanup frees global and per-thread state while other threads of the
 *   process may still be ending (a GStreamer task pool's idle threads, a
 *   bin released on its own thread): a double free or use after free on
 *   the way out (openssl/openssl#6214). A plugin cannot order the exit of
 *   threads it does not own, so it asks for no atexit cleanup; the process
 *   exit returns the memory anyway. If something else initialised OpenSSL
 *   first, its choice stands (see rtcpeerops.c's exit wait).
 */

#include "rtcopenssl.h"

#include "srtp/rtcsrtp.h"

#include <openssl/crypto.h>
#include <openssl/ssl.h>

static gpointer
init_thread (gpointer data)
{
  gboolean *ok = data;

  *ok = OPENSSL_init_ssl (OPENSSL_INIT_NO_ATEXIT | OPENSSL_INIT_LOAD_CONFIG,
      NULL) == 1;
  /* libsrtp runs its self-tests when it starts, on OpenSSL: here, rather
   * than in the first call's DTLS handshake, where they cost 20 ms. */
  if (*ok && !rtc_srtp_global_init ())
    g_warning ("rtcpeer: libsrtp failed to initialise");
  OPENSSL_thread_stop ();
  return NULL;
}

static gpointer
init_once (gpointer data)
{
  gboolean ok = FALSE;

  g_thread_join (g_thread_new ("rtc-openssl-init", init_thread, &ok));
  if (!ok)
    g_warning ("rtcpeer: OpenSSL failed to initialise");
  return NULL;
}

void
gst_rtc_openssl_init (void)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, init_once, NULL);
}
