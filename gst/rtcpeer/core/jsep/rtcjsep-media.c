/* placeholder: being written */
#include "rtcjsep-media.h"
