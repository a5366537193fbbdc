/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

GST_ELEMENT_REGISTER_DECLARE (rtcpeerbin);
GST_ELEMENT_REGISTER_DECLARE (rtcdtlssrtpenc);
GST_ELEMENT_REGISTER_DECLARE (rtcdtlssrtpdec);

G_END_DECLS
