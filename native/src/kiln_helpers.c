/* Host helper functions that generated code may call (see kiln_core.h). */
#include "kiln_core.h"

int kiln_supported_abis(void) {
  return (KILN_HAS_SYSV << KILN_ABI_SYSV) | (1 << KILN_ABI_WIN64);
}

int64_t kiln_helper_add(int64_t a, int64_t b) { return (int64_t)((uint64_t)a + (uint64_t)b); }

int64_t kiln_helper_stack_misalignment(void) { return (int64_t)(KILN_CALLER_RSP() % 16); }

#if !defined(_WIN32)
int64_t KILN_WIN64 kiln_helper_add_win64(int64_t a, int64_t b) { return kiln_helper_add(a, b); }

int64_t KILN_WIN64 kiln_helper_stack_misalignment_win64(void) {
  return (int64_t)(KILN_CALLER_RSP() % 16);
}
#endif
