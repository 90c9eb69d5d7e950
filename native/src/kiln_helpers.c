/* Host helper functions that generated code may call (see kiln_core.h). */
#include "kiln_core.h"

#if defined(_MSC_VER)
#include <intrin.h>
/* The return address sits at rsp on entry, so the caller's rsp was that address + 8. */
#define KILN_CALLER_RSP() ((uintptr_t)_AddressOfReturnAddress() + 8)
#else
/* With the frame pointer that __builtin_frame_address forces, rbp = caller's rsp - 16
 * (return address, then the saved rbp), so rbp mod 16 equals the caller's rsp mod 16. */
#define KILN_CALLER_RSP() ((uintptr_t)__builtin_frame_address(0) + 16)
#endif

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
