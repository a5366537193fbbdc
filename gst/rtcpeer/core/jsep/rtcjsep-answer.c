/* placeholder: being written */
#include "rtcjsep-answer.h"
