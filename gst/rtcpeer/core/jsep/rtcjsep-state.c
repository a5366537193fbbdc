/* placeholder: being written */
#include "rtcjsep-state.h"
