/*
 * Calls into generated code in an explicitly chosen convention: kiln_call_l2(abi, f, a, b) and
 * so on, one function per shape (KILN_CALL_SHAPES).
 *
 * The host convention's call is inline, so a JNI entry point costs one compare on the
 * convention and an indirect call, like a plain JNI call. The other convention's call (Microsoft
 * x64 on Linux, System V on Windows: for code generated for the other platform, and its tests)
 * lives out of line in kiln_call_foreign.c. That split is also a correctness matter: two inline
 * calls that differ only in their convention attribute look identical to GCC 12's tail merging,
 * which then silently drops one of them.
 *
 * Calling with more arguments than the callee reads is safe in both conventions (the caller
 * owns and cleans the argument area), which is why the double-returning shape takes six longs.
 */
#ifndef KILN_CALL_H
#define KILN_CALL_H

#include "kiln_core.h"

#if defined(_WIN32)
#define KILN_ABI_HOST KILN_ABI_WIN64
#define KILN_HOST_CC KILN_WIN64
#define KILN_FOREIGN_CC KILN_SYSV
#else
#define KILN_ABI_HOST KILN_ABI_SYSV
#define KILN_HOST_CC KILN_SYSV
#define KILN_FOREIGN_CC KILN_WIN64
#endif

#define KILN_L int64_t
#define KILN_D double

/* X(name, result, parameters, callee parameter types, callee arguments, all arguments). */
#define KILN_CALL_SHAPES(X)                                                                    \
  X(l0, KILN_L, (int abi, uint64_t f), (void), (), (abi, f))                                   \
  X(l1, KILN_L, (int abi, uint64_t f, KILN_L a), (KILN_L), (a), (abi, f, a))                   \
  X(l2, KILN_L, (int abi, uint64_t f, KILN_L a, KILN_L b), (KILN_L, KILN_L), (a, b),           \
    (abi, f, a, b))                                                                            \
  X(l3, KILN_L, (int abi, uint64_t f, KILN_L a, KILN_L b, KILN_L c), (KILN_L, KILN_L, KILN_L), \
    (a, b, c), (abi, f, a, b, c))                                                              \
  X(l4, KILN_L, (int abi, uint64_t f, KILN_L a, KILN_L b, KILN_L c, KILN_L d),                 \
    (KILN_L, KILN_L, KILN_L, KILN_L), (a, b, c, d), (abi, f, a, b, c, d))                      \
  X(l5, KILN_L, (int abi, uint64_t f, KILN_L a, KILN_L b, KILN_L c, KILN_L d, KILN_L e),       \
    (KILN_L, KILN_L, KILN_L, KILN_L, KILN_L), (a, b, c, d, e), (abi, f, a, b, c, d, e))        \
  X(l6, KILN_L,                                                                                \
    (int abi, uint64_t f, KILN_L a, KILN_L b, KILN_L c, KILN_L d, KILN_L e, KILN_L g),         \
    (KILN_L, KILN_L, KILN_L, KILN_L, KILN_L, KILN_L), (a, b, c, d, e, g),                      \
    (abi, f, a, b, c, d, e, g))                                                                \
  X(l6_d, KILN_D,                                                                              \
    (int abi, uint64_t f, KILN_L a, KILN_L b, KILN_L c, KILN_L d, KILN_L e, KILN_L g),         \
    (KILN_L, KILN_L, KILN_L, KILN_L, KILN_L, KILN_L), (a, b, c, d, e, g),                      \
    (abi, f, a, b, c, d, e, g))                                                                \
  X(d2_d, KILN_D, (int abi, uint64_t f, KILN_D a, KILN_D b), (KILN_D, KILN_D), (a, b),         \
    (abi, f, a, b))

/* The attribute must lead the cast's type name: placed next to the "*" GCC ignores it. */
#define KILN_CALLEE(cc, R, TYPES, f) ((cc R(*) TYPES)(uintptr_t)(f))

/* kiln_<prefix>_<name>(abi, f, ...): a call in convention cc (abi only keeps one signature). */
#define KILN_CALLER_BODY(cc, R, TYPES, ARGS)      \
  {                                                \
    (void)abi;                                     \
    return KILN_CALLEE(cc, R, TYPES, f) ARGS;      \
  }
#define KILN_DEFINE_HOST(name, R, PARAMS, TYPES, ARGS, ALL) \
  static inline R kiln_host_##name PARAMS KILN_CALLER_BODY(KILN_HOST_CC, R, TYPES, ARGS)
#define KILN_DECLARE_FOREIGN(name, R, PARAMS, TYPES, ARGS, ALL) R kiln_foreign_##name PARAMS;
#define KILN_DEFINE_CALL(name, R, PARAMS, TYPES, ARGS, ALL)                           \
  static inline R kiln_call_##name PARAMS {                                           \
    return abi == KILN_ABI_HOST ? kiln_host_##name ALL : kiln_foreign_##name ALL;     \
  }

KILN_CALL_SHAPES(KILN_DEFINE_HOST)
KILN_CALL_SHAPES(KILN_DECLARE_FOREIGN)
KILN_CALL_SHAPES(KILN_DEFINE_CALL)

#endif
