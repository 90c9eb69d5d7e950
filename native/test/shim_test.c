/*
 * The shim core's own test, without a JVM: map, write, seal, call, call out to a host helper,
 * free, and the dual-view mapping. .ci/run builds it natively and cross-compiled with mingw-w64, and runs the Windows
 * build under wine, so the Windows code path of the shim really executes.
 */
#include <stdio.h>
#include <string.h>

#include "kiln_call.h"
#include "kiln_core.h"

static int failures;

#define CHECK(cond)                                                  \
  do {                                                               \
    if (!(cond)) {                                                   \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      failures++;                                                    \
    }                                                                \
  } while (0)

/* Maps a page, copies code in, seals it read-execute; returns NULL on failure. */
static void *install(const unsigned char *code, size_t len) {
  void *page = NULL;
  size_t size = kiln_page_size();
  if (kiln_map_rw(size, &page) != KILN_OK) return NULL;
  memcpy(page, code, len);
  kiln_flush_icache(page, len);
  if (kiln_protect_rx(page, size) != KILN_OK) return NULL;
  return page;
}

/* lea rax, [first argument register + 1]; ret  (Intel SDM Vol. 2A, LEA: REX.W 8D /r). */
static void test_increment(int abi) {
  const unsigned char sysv[] = {0x48, 0x8d, 0x47, 0x01, 0xc3}; /* [rdi+1] */
  const unsigned char win64[] = {0x48, 0x8d, 0x41, 0x01, 0xc3}; /* [rcx+1] */
  void *f = install(abi == KILN_ABI_WIN64 ? win64 : sysv, sizeof sysv);
  CHECK(f != NULL);
  if (f == NULL) return;
  CHECK(kiln_call_l1(abi, (uint64_t)(uintptr_t)f, 1) == 2);
  CHECK(kiln_call_l1(abi, (uint64_t)(uintptr_t)f, INT64_C(1) << 32) == (INT64_C(1) << 32) + 1);
  CHECK(kiln_unmap(f, kiln_page_size()) == KILN_OK);
}

/* sub rsp, N; mov rax, helper; call rax; add rsp, N; ret. N re-aligns rsp to 16 at the call:
 * 8 for System V, 8 + 32 bytes of shadow space for Microsoft x64; skew bytes more misalign it. */
static int64_t call_out(int abi, uint64_t helper, int64_t a, int64_t b, unsigned char skew) {
  unsigned char frame = (unsigned char)((abi == KILN_ABI_WIN64 ? 0x28 : 0x08) + skew);
  unsigned char code[] = {0x48, 0x83, 0xec, 0, 0x48, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0,
                          0xff, 0xd0, 0x48, 0x83, 0xc4, 0, 0xc3};
  code[3] = code[19] = frame; /* constant initializers only: MSVC warns (C4204) otherwise */
  memcpy(code + 6, &helper, sizeof helper);
  void *f = install(code, sizeof code);
  CHECK(f != NULL);
  if (f == NULL) return -1;
  int64_t r = kiln_call_l2(abi, (uint64_t)(uintptr_t)f, a, b);
  CHECK(kiln_unmap(f, kiln_page_size()) == KILN_OK);
  return r;
}

static void test_call_out(int abi) {
  int win = abi == KILN_ABI_WIN64;
  CHECK(call_out(abi, KILN_HELPER_ADDRESS(win, kiln_helper_add), 40, 2, 0) == 42);
  CHECK(call_out(abi, KILN_HELPER_ADDRESS(win, kiln_helper_stack_misalignment), 0, 0, 0) == 0);
  CHECK(call_out(abi, KILN_HELPER_ADDRESS(win, kiln_helper_stack_misalignment), 0, 0, 8) == 8);
}

/* The dual-mapping path: write through the read-write view, run from the read-execute one. */
static void test_dual_views(void) {
  const unsigned char constant[] = {0xb8, 0x2a, 0, 0, 0, 0xc3}; /* mov eax, 42; ret */
  size_t size = kiln_page_size();
  void *rw = NULL, *rx = NULL;
  CHECK(kiln_map_dual(size, &rw, &rx) == KILN_OK);
  if (rw == NULL || rx == NULL) return;
  CHECK(rw != rx);
  memcpy(rw, constant, sizeof constant);
  kiln_flush_icache(rx, sizeof constant);
  CHECK(kiln_call_l0(KILN_ABI_HOST, (uint64_t)(uintptr_t)rx) == 42);
  CHECK(kiln_unmap_view(rw, size) == KILN_OK);
  CHECK(kiln_unmap_view(rx, size) == KILN_OK);
}

static void test_bad_arguments(void) {
  void *p = NULL;
  CHECK(kiln_map_rw(0, &p) == KILN_ERR_ARGUMENT);
  CHECK(kiln_map_rw(kiln_page_size() + 1, &p) == KILN_ERR_ARGUMENT);
  CHECK(kiln_protect_rx(NULL, kiln_page_size()) == KILN_ERR_ARGUMENT);
  CHECK(kiln_unmap((void *)(uintptr_t)1, kiln_page_size()) == KILN_ERR_ARGUMENT);
  CHECK(kiln_map_rw((size_t)1 << 62, &p) == KILN_ERR_OS);
}

static void test_lookup_symbol(void) {
#if defined(_WIN32)
  const char *libc = "msvcrt.dll";
#elif defined(__APPLE__)
  const char *libc = "libSystem.dylib";
#else
  const char *libc = "libc.so.6";
  /* On POSIX, no library means the process and what it has loaded. */
  size_t (*found)(const char *) = (size_t (*)(const char *))kiln_lookup_symbol(NULL, "strlen");
  CHECK(found != NULL && found("kiln") == 4);
#endif
  size_t (*in_libc)(const char *) = (size_t (*)(const char *))kiln_lookup_symbol(libc, "strlen");
  CHECK(in_libc != NULL && in_libc("kiln") == 4);
  CHECK(kiln_lookup_symbol(libc, "kiln_no_such_function") == NULL);
  CHECK(kiln_lookup_symbol("kiln-no-such-library", "strlen") == NULL);
}

int main(void) {
  int abis = kiln_supported_abis();
  for (int abi = KILN_ABI_SYSV; abi <= KILN_ABI_WIN64; abi++) {
    if (!(abis >> abi & 1)) continue;
    test_increment(abi);
    /* Helpers exist in the host convention, and on Linux also in the Windows one. */
#if defined(_WIN32)
    if (abi == KILN_ABI_WIN64) test_call_out(abi);
#else
    test_call_out(abi);
#endif
  }
  test_dual_views();
  test_bad_arguments();
  test_lookup_symbol();
  if (failures == 0) printf("shim_test: all checks passed (conventions 0x%x)\n", abis);
  return failures == 0 ? 0 : 1;
}
