/*
 * JNI glue: a thin layer over the C core for dev.kiln.runtime.Shim. The Java side owns every
 * mapping and validates each address and size against the mappings it knows before calling in;
 * this layer converts core status codes into Java exceptions that carry the OS's error text.
 */
#include <jni.h>
#include <stdio.h>

#include "dev_kiln_runtime_Shim.h"
#include "kiln_call.h"
#include "kiln_core.h"
#include "kiln_upcall.h"

#define KILN_EXC_MEMORY "dev/kiln/runtime/NativeMemoryException"
#define KILN_EXC_DENIED "dev/kiln/runtime/ExecutableMemoryDeniedException"
#define KILN_EXC_ARGUMENT "java/lang/IllegalArgumentException"

#define KILN_PTR(x) ((void *)(uintptr_t)(x))

/* Turns a failed core status into a pending Java exception; returns 1 if it threw. The OS error
 * text is read first, before any JNI call could overwrite errno / GetLastError. */
static int kiln_check(JNIEnv *env, int status, const char *what, jlong addr, jlong size) {
  if (status == KILN_OK) return 0;
  char os[256] = "";
  if (status != KILN_ERR_ARGUMENT) kiln_os_error_text(os, sizeof os);
  char msg[512];
  snprintf(msg, sizeof msg, "%s of %lld bytes at 0x%llx failed: %s", what, (long long)size,
           (unsigned long long)addr, status == KILN_ERR_ARGUMENT ? "invalid address or size" : os);
  const char *cls = status == KILN_ERR_DENIED     ? KILN_EXC_DENIED
                    : status == KILN_ERR_ARGUMENT ? KILN_EXC_ARGUMENT
                                                  : KILN_EXC_MEMORY;
  jclass c = (*env)->FindClass(env, cls);
  if (c != NULL) (*env)->ThrowNew(env, c, msg);
  return 1;
}

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
  (void)reserved;
  JNIEnv *env;
  if ((*vm)->GetEnv(vm, (void **)&env, JNI_VERSION_1_8) != JNI_OK) return JNI_ERR;
  return kiln_upcall_init(env) ? JNI_VERSION_1_8 : JNI_ERR;
}

JNIEXPORT jint JNICALL Java_dev_kiln_runtime_Shim_pageSize(JNIEnv *env, jclass cls) {
  (void)env, (void)cls;
  return (jint)kiln_page_size();
}

JNIEXPORT jint JNICALL Java_dev_kiln_runtime_Shim_supportedConventions(JNIEnv *env, jclass cls) {
  (void)env, (void)cls;
  return kiln_supported_abis();
}

JNIEXPORT jlong JNICALL Java_dev_kiln_runtime_Shim_mapReadWrite(JNIEnv *env, jclass cls,
                                                                jlong size) {
  (void)cls;
  void *p = NULL;
  int status = size > 0 ? kiln_map_rw((size_t)size, &p) : KILN_ERR_ARGUMENT;
  return kiln_check(env, status, "mapping read-write memory", 0, size) ? 0 : (jlong)(uintptr_t)p;
}

JNIEXPORT void JNICALL Java_dev_kiln_runtime_Shim_protectExecute(JNIEnv *env, jclass cls,
                                                                 jlong addr, jlong size) {
  (void)cls;
  kiln_check(env, kiln_protect_rx(KILN_PTR(addr), (size_t)size), "making memory executable",
             addr, size);
}

JNIEXPORT void JNICALL Java_dev_kiln_runtime_Shim_protectWrite(JNIEnv *env, jclass cls,
                                                               jlong addr, jlong size) {
  (void)cls;
  kiln_check(env, kiln_protect_rw(KILN_PTR(addr), (size_t)size), "making memory writable", addr,
             size);
}

JNIEXPORT void JNICALL Java_dev_kiln_runtime_Shim_flushInstructionCache(JNIEnv *env, jclass cls,
                                                                        jlong addr,
                                                                        jlong size) {
  (void)env, (void)cls;
  kiln_flush_icache(KILN_PTR(addr), (size_t)size);
}

JNIEXPORT void JNICALL Java_dev_kiln_runtime_Shim_discard(JNIEnv *env, jclass cls, jlong addr,
                                                          jlong size) {
  (void)cls;
  kiln_check(env, kiln_discard(KILN_PTR(addr), (size_t)size), "discarding memory", addr, size);
}

JNIEXPORT void JNICALL Java_dev_kiln_runtime_Shim_unmap(JNIEnv *env, jclass cls, jlong addr,
                                                        jlong size) {
  (void)cls;
  kiln_check(env, kiln_unmap(KILN_PTR(addr), (size_t)size), "unmapping memory", addr, size);
}

JNIEXPORT void JNICALL Java_dev_kiln_runtime_Shim_copyIn(JNIEnv *env, jclass cls, jbyteArray src,
                                                         jint offset, jint length, jlong dst) {
  (void)cls;
  (*env)->GetByteArrayRegion(env, src, offset, length, (jbyte *)KILN_PTR(dst));
}

JNIEXPORT jobject JNICALL Java_dev_kiln_runtime_Shim_wrap(JNIEnv *env, jclass cls, jlong addr,
                                                          jlong size) {
  (void)cls;
  return (*env)->NewDirectByteBuffer(env, KILN_PTR(addr), size);
}

JNIEXPORT jlong JNICALL Java_dev_kiln_runtime_Shim_helperAddress(JNIEnv *env, jclass cls, jint id,
                                                                 jint abi) {
  (void)env, (void)cls;
  return (jlong)kiln_helper_address(id, abi);
}

JNIEXPORT jlong JNICALL Java_dev_kiln_runtime_Shim_baseline(JNIEnv *env, jclass cls, jlong a,
                                                            jlong b) {
  (void)env, (void)cls;
  return a + b;
}

/*
 * The calls, one set of entry points per convention (sysvCall2, win64Call2, ...): no checks
 * here, the Java handle proved the address is live sealed code and chose the convention.
 */
#define KILN_DEFINE_JNI_CALLS(abi)                                                                 \
  JNIEXPORT jlong JNICALL Java_dev_kiln_runtime_Shim_##abi##Call0(JNIEnv *env, jclass cls,         \
                                                                   jlong f) {                      \
    (void)env, (void)cls;                                                                          \
    return kiln_##abi##_l0((uint64_t)f);                                                           \
  }                                                                                                \
  JNIEXPORT jlong JNICALL Java_dev_kiln_runtime_Shim_##abi##Call1(JNIEnv *env, jclass cls,         \
                                                                   jlong f, jlong a) {             \
    (void)env, (void)cls;                                                                          \
    return kiln_##abi##_l1((uint64_t)f, a);                                                        \
  }                                                                                                \
  JNIEXPORT jlong JNICALL Java_dev_kiln_runtime_Shim_##abi##Call2(JNIEnv *env, jclass cls,         \
                                                                   jlong f, jlong a, jlong b) {    \
    (void)env, (void)cls;                                                                          \
    return kiln_##abi##_l2((uint64_t)f, a, b);                                                     \
  }                                                                                                \
  JNIEXPORT jlong JNICALL Java_dev_kiln_runtime_Shim_##abi##Call3(                                 \
      JNIEnv *env, jclass cls, jlong f, jlong a, jlong b, jlong c) {                               \
    (void)env, (void)cls;                                                                          \
    return kiln_##abi##_l3((uint64_t)f, a, b, c);                                                  \
  }                                                                                                \
  JNIEXPORT jlong JNICALL Java_dev_kiln_runtime_Shim_##abi##Call4(                                 \
      JNIEnv *env, jclass cls, jlong f, jlong a, jlong b, jlong c, jlong d) {                      \
    (void)env, (void)cls;                                                                          \
    return kiln_##abi##_l4((uint64_t)f, a, b, c, d);                                               \
  }                                                                                                \
  JNIEXPORT jlong JNICALL Java_dev_kiln_runtime_Shim_##abi##Call5(                                 \
      JNIEnv *env, jclass cls, jlong f, jlong a, jlong b, jlong c, jlong d, jlong e) {             \
    (void)env, (void)cls;                                                                          \
    return kiln_##abi##_l5((uint64_t)f, a, b, c, d, e);                                            \
  }                                                                                                \
  JNIEXPORT jlong JNICALL Java_dev_kiln_runtime_Shim_##abi##Call6(                                 \
      JNIEnv *env, jclass cls, jlong f, jlong a, jlong b, jlong c, jlong d, jlong e, jlong g) {    \
    (void)env, (void)cls;                                                                          \
    return kiln_##abi##_l6((uint64_t)f, a, b, c, d, e, g);                                         \
  }                                                                                                \
  JNIEXPORT jdouble JNICALL Java_dev_kiln_runtime_Shim_##abi##CallDouble(                          \
      JNIEnv *env, jclass cls, jlong f, jlong a, jlong b, jlong c, jlong d, jlong e, jlong g) {    \
    (void)env, (void)cls;                                                                          \
    return kiln_##abi##_l6_d((uint64_t)f, a, b, c, d, e, g);                                       \
  }                                                                                                \
  JNIEXPORT jdouble JNICALL Java_dev_kiln_runtime_Shim_##abi##CallDoubles(                         \
      JNIEnv *env, jclass cls, jlong f, jdouble a, jdouble b) {                                    \
    (void)env, (void)cls;                                                                          \
    return kiln_##abi##_d2_d((uint64_t)f, a, b);                                                   \
  }

KILN_DEFINE_JNI_CALLS(sysv)
KILN_DEFINE_JNI_CALLS(win64)
