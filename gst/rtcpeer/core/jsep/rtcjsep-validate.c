/* placeholder: being written */
#include "rtcjsep-validate.h"
