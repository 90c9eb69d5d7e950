/*
 * The plain C core of the Kiln shim: executable memory and ABI-correct calls into generated code.
 * It knows nothing of Java; the JNI glue (kiln_jni.c) is a thin layer over it, and the C test
 * program (test/shim_test.c) links it directly, also when cross-compiled for Windows and run
 * under wine.
 *
 * Memory rule: a page is never writable and executable at the same time (W^X). Pages are mapped
 * read-write, filled, then turned read-execute before anything runs from them.
 */
#ifndef KILN_CORE_H
#define KILN_CORE_H

#include <stddef.h>
#include <stdint.h>

/* Status codes of the core functions. On KILN_ERR_OS and KILN_ERR_DENIED the OS error is still
 * current (errno / GetLastError) and kiln_os_error_text describes it. */
enum {
  KILN_OK = 0,
  KILN_ERR_ARGUMENT = 1, /* null, zero, unaligned or oversized argument */
  KILN_ERR_OS = 2,       /* the OS call failed */
  KILN_ERR_DENIED = 3    /* the OS refuses executable memory (SELinux deny_execmem, ACG, ...) */
};

/* Calling conventions, numbered as dev.kiln.runtime.CallingConvention numbers them. */
enum { KILN_ABI_SYSV = 0, KILN_ABI_WIN64 = 1 };

/* Function-pointer attributes that select a convention explicitly. MSVC knows only its own
 * (Microsoft x64), so there KILN_SYSV is empty and kiln_supported_abis() leaves SysV out. */
#if defined(_WIN32)
#define KILN_WIN64
#if defined(__GNUC__)
#define KILN_SYSV __attribute__((sysv_abi))
#define KILN_HAS_SYSV 1
#else
#define KILN_SYSV
#define KILN_HAS_SYSV 0
#endif
#else
#define KILN_SYSV
#define KILN_WIN64 __attribute__((ms_abi))
#define KILN_HAS_SYSV 1
#endif

/* KILN_CALLER_RSP(): inside a function, the caller's rsp at its call instruction (the return
 * address sits just below it). KILN_REALIGN: the function realigns its own stack on entry, so a
 * caller that broke the ABI's 16-byte alignment cannot make its prologue fault (an ms_abi function
 * that calls System V code saves xmm6-xmm15 with movaps). MSVC has no such attribute; its helpers
 * save no xmm register, and they make no call before checking the alignment. */
#if defined(_MSC_VER)
#include <intrin.h>
#define KILN_CALLER_RSP() ((uintptr_t)_AddressOfReturnAddress() + 8)
#define KILN_REALIGN
#define KILN_REALIGNS 0
#else
/* The canonical frame address of x86-64 DWARF is exactly that rsp, also in a realigned frame.
 * The empty asm hides it from the optimizer, which would otherwise assume the ABI's alignment
 * and fold rsp % 16 to a constant. */
static inline uintptr_t kiln_opaque(uintptr_t value) {
  __asm__("" : "+r"(value));
  return value;
}
#define KILN_CALLER_RSP() kiln_opaque((uintptr_t)__builtin_dwarf_cfa())
#define KILN_REALIGN __attribute__((force_align_arg_pointer))
#define KILN_REALIGNS 1
#endif

/* Bit set of the conventions this build can call: bit KILN_ABI_x set when supported. */
int kiln_supported_abis(void);

/* The address of C function `symbol` in `library` (a file name or path, loaded if it is not yet
 * and kept loaded), or in the process and the libraries it has loaded when `library` is NULL;
 * NULL when either is not found. */
void *kiln_lookup_symbol(const char *library, const char *symbol);

size_t kiln_page_size(void);

/* Maps size bytes (a positive multiple of the page size) of fresh zeroed read-write memory. */
int kiln_map_rw(size_t size, void **out);
/* Turns mapped pages read-execute; KILN_ERR_DENIED when the OS refuses executable memory. */
int kiln_protect_rx(void *addr, size_t size);
/* Turns mapped pages back to read-write (for reuse or patching; nothing may run there then). */
int kiln_protect_rw(void *addr, size_t size);
/* Makes freshly written code visible to instruction fetch (a no-op on x86 hardware, but the
 * compiler and other architectures need the call; Windows documents it as required). */
void kiln_flush_icache(void *addr, size_t size);
/* Drops the contents of read-write pages (they read as zero afterwards on Linux, undefined on
 * Windows) and returns their physical memory, keeping the address range mapped. */
int kiln_discard(void *addr, size_t size);
int kiln_unmap(void *addr, size_t size);

/* The dual-mapping path, for systems that refuse to turn writable memory executable: size bytes
 * of shared memory (a memfd on Linux, a pagefile section on Windows) mapped twice, once
 * read-write (*rw) and once read-execute (*rx). Each view keeps its protection for life, so no
 * page is ever writable and executable; code written through *rw runs at the same offset in
 * *rx. Release with kiln_unmap_view on both views. */
int kiln_map_dual(size_t size, void **rw, void **rx);
int kiln_unmap_view(void *addr, size_t size);

/* Writes a description of the current OS error (errno / GetLastError) into buf. */
void kiln_os_error_text(char *buf, size_t len);

/* Host helper functions generated code may call, in the host's convention. */
int64_t kiln_helper_add(int64_t a, int64_t b);
/* (rsp before the caller's call instruction) mod 16: 0 when the caller kept the ABI's 16-byte
 * alignment, as System V AMD64 ABI §3.2.2 and the Microsoft x64 ABI both require. */
int64_t kiln_helper_stack_misalignment(void);
/* The same helpers in the Microsoft x64 convention, for Windows-convention code run on Linux;
 * on Windows that is the host convention, so the names are aliases. */
#if defined(_WIN32)
#define kiln_helper_add_win64 kiln_helper_add
#define kiln_helper_stack_misalignment_win64 kiln_helper_stack_misalignment
#else
int64_t KILN_WIN64 kiln_helper_add_win64(int64_t a, int64_t b);
int64_t KILN_WIN64 kiln_helper_stack_misalignment_win64(void);
#endif

/* The address of helper `name` in the convention chosen by win (nonzero: Microsoft x64). */
#define KILN_HELPER_ADDRESS(win, name) \
  ((win) ? (uint64_t)(uintptr_t)&name##_win64 : (uint64_t)(uintptr_t)&name)

#endif
