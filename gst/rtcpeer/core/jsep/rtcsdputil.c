/* placeholder: being written */
#include "rtcsdputil.h"
