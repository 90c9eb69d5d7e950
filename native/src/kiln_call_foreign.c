/* The calls in the non-host convention, out of line on purpose (see kiln_call.h). */
#include "kiln_call.h"

#define KILN_DEFINE_FOREIGN(name, R, PARAMS, TYPES, ARGS, ALL) \
  R kiln_foreign_##name PARAMS KILN_CALLER_BODY(KILN_FOREIGN_CC, R, TYPES, ARGS)

KILN_CALL_SHAPES(KILN_DEFINE_FOREIGN)
