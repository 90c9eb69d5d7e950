/*
 * Calls into generated code in an explicitly chosen convention. Inline, so the JNI entry points
 * stay as cheap as a plain JNI call: one compare on the convention, then an indirect call.
 *
 * Calling with more arguments than the callee reads is safe in both conventions (the caller
 * owns and cleans the argument area), which is why the double-returning shape takes six longs.
 */
#ifndef KILN_CALL_H
#define KILN_CALL_H

#include "kiln_core.h"

/* The attribute must lead the type name: placed next to the "*" GCC silently drops it. */
/*
 * One set of inline callers per convention: kiln_sysv_l2(f, a, b), kiln_win64_l2(f, a, b), ...
 * Each call site uses one convention only. Never choose between the two with a branch around
 * two otherwise identical calls: GCC 12's tail merging treats them as equal and drops one.
 * The attribute must lead the cast's type name; placed next to the "*" GCC ignores it.
 */
#define KILN_FN(cc, R, PARAMS, f) ((cc R(*) PARAMS)(uintptr_t)(f))
#define KILN_L int64_t
#define KILN_D double

#define KILN_DEFINE_CALLERS(abi, cc)                                                            \
  static inline KILN_L kiln_##abi##_l0(uint64_t f) { return KILN_FN(cc, KILN_L, (void), f)(); } \
  static inline KILN_L kiln_##abi##_l1(uint64_t f, KILN_L a) {                                  \
    return KILN_FN(cc, KILN_L, (KILN_L), f)(a);                                                 \
  }                                                                                             \
  static inline KILN_L kiln_##abi##_l2(uint64_t f, KILN_L a, KILN_L b) {                        \
    return KILN_FN(cc, KILN_L, (KILN_L, KILN_L), f)(a, b);                                      \
  }                                                                                             \
  static inline KILN_L kiln_##abi##_l3(uint64_t f, KILN_L a, KILN_L b, KILN_L c) {              \
    return KILN_FN(cc, KILN_L, (KILN_L, KILN_L, KILN_L), f)(a, b, c);                           \
  }                                                                                             \
  static inline KILN_L kiln_##abi##_l4(uint64_t f, KILN_L a, KILN_L b, KILN_L c, KILN_L d) {    \
    return KILN_FN(cc, KILN_L, (KILN_L, KILN_L, KILN_L, KILN_L), f)(a, b, c, d);                \
  }                                                                                             \
  static inline KILN_L kiln_##abi##_l5(uint64_t f, KILN_L a, KILN_L b, KILN_L c, KILN_L d,      \
                                       KILN_L e) {                                              \
    return KILN_FN(cc, KILN_L, (KILN_L, KILN_L, KILN_L, KILN_L, KILN_L), f)(a, b, c, d, e);     \
  }                                                                                             \
  static inline KILN_L kiln_##abi##_l6(uint64_t f, KILN_L a, KILN_L b, KILN_L c, KILN_L d,      \
                                       KILN_L e, KILN_L g) {                                    \
    return KILN_FN(cc, KILN_L, (KILN_L, KILN_L, KILN_L, KILN_L, KILN_L, KILN_L), f)(a, b, c, d, \
                                                                                    e, g);      \
  }                                                                                             \
  static inline KILN_D kiln_##abi##_l6_d(uint64_t f, KILN_L a, KILN_L b, KILN_L c, KILN_L d,    \
                                         KILN_L e, KILN_L g) {                                  \
    return KILN_FN(cc, KILN_D, (KILN_L, KILN_L, KILN_L, KILN_L, KILN_L, KILN_L), f)(a, b, c, d, \
                                                                                    e, g);      \
  }                                                                                             \
  static inline KILN_D kiln_##abi##_d2_d(uint64_t f, KILN_D a, KILN_D b) {                      \
    return KILN_FN(cc, KILN_D, (KILN_D, KILN_D), f)(a, b);                                      \
  }

KILN_DEFINE_CALLERS(sysv, KILN_SYSV)
KILN_DEFINE_CALLERS(win64, KILN_WIN64)

#endif
