/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* What every libFuzzer target shares. A target defines
 * LLVMFuzzerTestOneInput () and calls rtc_fuzz_init () at its start. */

#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

G_BEGIN_DECLS

/* Once per process: gst_init (), and every GLib warning or critical made
 * fatal, so that remote input reaching one is a finding (abort). */
void               rtc_fuzz_init (void);

/* A NUL-terminated copy of the input, for parsers of text. */
gchar *            rtc_fuzz_strndup (const uint8_t * data, size_t size);

int                LLVMFuzzerTestOneInput (const uint8_t * data, size_t size);

G_END_DECLS
