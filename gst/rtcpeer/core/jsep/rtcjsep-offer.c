/* placeholder: being written */
#include "rtcjsep-offer.h"
