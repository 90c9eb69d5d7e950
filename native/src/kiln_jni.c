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
  (void)env;
  (void)cls;
  return (jint)kiln_page_size();
}

JNIEXPORT jint JNICALL Java_dev_kiln_runtime_Shim_supportedConventions(JNIEnv *env, jclass cls) {
  (void)env;
  (void)cls;
  return kiln_supported_abis();
}

JNIEXPORT jlong JNICALL Java_dev_kiln_runtime_Shim_mapReadWrite(JNIEnv *env, jclass cls,
                                                                jlong size) {
  (void)cls;
  void *p = NULL;
  int status = size > 0 ? kiln_map_rw((size_t)size, &p) : KILN_ERR_ARGUMENT;
  return kiln_check(env, status, "mapping read-write memory", 0, size) ? 0 : (jlong)(uintptr_t)p;
}

JNIEXPORT void JNICALL Java_dev_kiln_runtime_Shim_mapDual(JNIEnv *env, jclass cls, jlong size,
                                                          jlongArray views) {
  (void)cls;
  void *rw = NULL, *rx = NULL;
  int status = size > 0 ? kiln_map_dual((size_t)size, &rw, &rx) : KILN_ERR_ARGUMENT;
  if (kiln_check(env, status, "mapping dual read-write/read-execute views", 0, size)) return;
  jlong out[2];
  out[0] = (jlong)(uintptr_t)rw;
  out[1] = (jlong)(uintptr_t)rx;
  (*env)->SetLongArrayRegion(env, views, 0, 2, out);
}

JNIEXPORT void JNICALL Java_dev_kiln_runtime_Shim_unmapView(JNIEnv *env, jclass cls, jlong addr,
                                                            jlong size) {
  (void)cls;
  kiln_check(env, kiln_unmap_view(KILN_PTR(addr), (size_t)size), "unmapping a view", addr, size);
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
  (void)env;
  (void)cls;
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

/* The address of a direct buffer's first byte, or 0 for a buffer JNI cannot address. */
JNIEXPORT jlong JNICALL Java_dev_kiln_runtime_Shim_bufferAddress(JNIEnv *env, jclass cls,
                                                                 jobject buffer) {
  (void)cls;
  return (jlong)(uintptr_t)(*env)->GetDirectBufferAddress(env, buffer);
}

JNIEXPORT jlong JNICALL Java_dev_kiln_runtime_Shim_lookupSymbol(JNIEnv *env, jclass cls,
                                                                jstring library, jstring symbol) {
  (void)cls;
  const char *lib = library == NULL ? NULL : (*env)->GetStringUTFChars(env, library, NULL);
  const char *sym = (*env)->GetStringUTFChars(env, symbol, NULL);
  void *address = kiln_lookup_symbol(lib, sym);
  (*env)->ReleaseStringUTFChars(env, symbol, sym);
  if (lib != NULL) (*env)->ReleaseStringUTFChars(env, library, lib);
  return (jlong)(uintptr_t)address;
}

JNIEXPORT jobject JNICALL Java_dev_kiln_runtime_Shim_wrap(JNIEnv *env, jclass cls, jlong addr,
                                                          jlong size) {
  (void)cls;
  return (*env)->NewDirectByteBuffer(env, KILN_PTR(addr), size);
}

JNIEXPORT jlong JNICALL Java_dev_kiln_runtime_Shim_helperAddress(JNIEnv *env, jclass cls, jint id,
                                                                 jint abi) {
  (void)env;
  (void)cls;
  return (jlong)kiln_helper_address(id, abi);
}

JNIEXPORT jlong JNICALL Java_dev_kiln_runtime_Shim_baseline(JNIEnv *env, jclass cls, jlong a,
                                                            jlong b) {
  (void)env;
  (void)cls;
  return a + b;
}

/*
 * The calls: no checks here, the Java handle proved the address is live sealed code in a
 * convention this build supports. JNI entry Shim.<name>(abi, function, args...) per shape.
 */
#define KILN_DEFINE_JNI_CALL(java, shape, R, PARAMS, ARGS)                                 \
  JNIEXPORT R JNICALL Java_dev_kiln_runtime_Shim_##java PARAMS {                            \
    (void)env;                                                                              \
    (void)cls;                                                                              \
    return kiln_call_##shape ARGS;                                                          \
  }

#define KILN_JNI_PREFIX JNIEnv *env, jclass cls, jint abi, jlong f
KILN_DEFINE_JNI_CALL(call0, l0, jlong, (KILN_JNI_PREFIX), (abi, (uint64_t)f))
KILN_DEFINE_JNI_CALL(call1, l1, jlong, (KILN_JNI_PREFIX, jlong a), (abi, (uint64_t)f, a))
KILN_DEFINE_JNI_CALL(call2, l2, jlong, (KILN_JNI_PREFIX, jlong a, jlong b),
                     (abi, (uint64_t)f, a, b))
KILN_DEFINE_JNI_CALL(call3, l3, jlong, (KILN_JNI_PREFIX, jlong a, jlong b, jlong c),
                     (abi, (uint64_t)f, a, b, c))
KILN_DEFINE_JNI_CALL(call4, l4, jlong, (KILN_JNI_PREFIX, jlong a, jlong b, jlong c, jlong d),
                     (abi, (uint64_t)f, a, b, c, d))
KILN_DEFINE_JNI_CALL(call5, l5, jlong,
                     (KILN_JNI_PREFIX, jlong a, jlong b, jlong c, jlong d, jlong e),
                     (abi, (uint64_t)f, a, b, c, d, e))
KILN_DEFINE_JNI_CALL(call6, l6, jlong,
                     (KILN_JNI_PREFIX, jlong a, jlong b, jlong c, jlong d, jlong e, jlong g),
                     (abi, (uint64_t)f, a, b, c, d, e, g))
KILN_DEFINE_JNI_CALL(callDouble, l6_d, jdouble,
                     (KILN_JNI_PREFIX, jlong a, jlong b, jlong c, jlong d, jlong e, jlong g),
                     (abi, (uint64_t)f, a, b, c, d, e, g))
KILN_DEFINE_JNI_CALL(callDoubles, d2_d, jdouble, (KILN_JNI_PREFIX, jdouble a, jdouble b),
                     (abi, (uint64_t)f, a, b))
