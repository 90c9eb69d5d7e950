/* Upcalls: host helpers through which generated code calls back into a Java handler. */
#ifndef KILN_UPCALL_H
#define KILN_UPCALL_H

#include <jni.h>
#include <stdint.h>

/* What kiln_upcall returns when the upcall failed: the Java handler threw, no handler is active,
 * or the caller's stack is misaligned (the invoke throws for each). Generated code must then
 * return to its caller promptly. */
#define KILN_UPCALL_FAILED INT64_MIN

/* Caches the Upcall interface method; returns 0 (with an exception pending) on failure. */
int kiln_upcall_init(JNIEnv *env);

/* The address of host helper number id (dev.kiln.runtime.HostFunction order) in convention abi,
 * or 0 when this build has no such helper. */
uint64_t kiln_helper_address(int id, int abi);

#endif
