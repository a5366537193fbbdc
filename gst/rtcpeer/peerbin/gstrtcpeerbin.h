#pragma once
#include <gst/gst.h>
#include "../gstrtcelements.h"
