#include "gstrtcpeerbin.h"
GST_ELEMENT_REGISTER_DEFINE (rtcpeerbin, "rtcpeerbin", GST_RANK_NONE, GST_TYPE_BIN);
