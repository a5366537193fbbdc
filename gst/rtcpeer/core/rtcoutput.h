/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The one output shape every sans-IO core shares (after str0m's
 * Output::{Transmit,Event,Timeout}): feed a core one input, then drain
 * its poll_output() until it reports a TIMEOUT. */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RTC_TIMEOUT_NONE G_MAXUINT64

typedef enum
{
  RTC_OUTPUT_TIMEOUT = 0,       /* nothing more now; call handle_timeout at timeout_us */
  RTC_OUTPUT_TRANSMIT,          /* data/len: bytes for the wire */
  RTC_OUTPUT_RECEIVE,           /* data/len: application bytes for the layer above */
  RTC_OUTPUT_EVENT,             /* event (core specific enum), error may be set */
} RtcOutputKind;

typedef struct
{
  RtcOutputKind kind;
  /* TRANSMIT / RECEIVE: borrowed from the core, valid until the next call
   * into the same core, so the per-packet path does not allocate. */
  const guint8 *data;
  gsize len;
  /* RECEIVE and EVENT of the SCTP core: the stream (data channel id) and
   * the payload protocol identifier (RFC 8831 section 8). */
  guint stream;
  guint32 ppid;
  /* EVENT */
  gint event;
  GError *error;                /* owned by the caller once polled */
  /* TIMEOUT: absolute deadline in the caller's microseconds, or
   * RTC_TIMEOUT_NONE when no timer is armed. */
  guint64 timeout_us;
} RtcOutput;

G_END_DECLS
