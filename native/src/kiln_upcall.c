/*
 * Upcalls. Shim.callWithUpcall stores the JNIEnv and the Java handler of the current call in a
 * thread-local frame (frames nest when a handler runs generated code itself); kiln_upcall, which
 * generated code calls like any C function, invokes dev.kiln.runtime.Upcall.upcall(a, b, c) on
 * that handler. A Java exception is left pending: JNI then throws it in Java as soon as the
 * native call entry returns, after the generated code has returned. Every failure (a throwing
 * handler, no handler, a misaligned stack) makes the helper return KILN_UPCALL_FAILED, and the
 * invoke throws (except for a misaligned upcall without a handler in an MSVC build).
 */
#include "kiln_upcall.h"

#include <stdio.h>

#include "dev_kiln_runtime_Shim.h"
#include "kiln_call.h"
#include "kiln_core.h"

#if defined(_MSC_VER)
#define KILN_THREAD_LOCAL __declspec(thread)
#define KILN_NOINLINE __declspec(noinline)
#else
#define KILN_THREAD_LOCAL _Thread_local
#define KILN_NOINLINE __attribute__((noinline))
#endif

typedef struct kiln_upcall_frame {
  JNIEnv *env;
  jobject handler;
  /* Nonzero once an upcall came from a stack that was not 16-byte aligned: rsp mod 16 then. */
  int64_t misalignment;
  struct kiln_upcall_frame *outer;
} kiln_upcall_frame;

static KILN_THREAD_LOCAL kiln_upcall_frame *kiln_current_frame;
static JavaVM *kiln_vm;
static jclass kiln_upcall_class;
static jmethodID kiln_upcall_method;

int kiln_upcall_init(JNIEnv *env) {
  if ((*env)->GetJavaVM(env, &kiln_vm) != JNI_OK) return 0;
  jclass local = (*env)->FindClass(env, "dev/kiln/runtime/Upcall");
  if (local == NULL) return 0;
  kiln_upcall_class = (jclass)(*env)->NewGlobalRef(env, local);
  (*env)->DeleteLocalRef(env, local);
  if (kiln_upcall_class == NULL) return 0;
  kiln_upcall_method = (*env)->GetMethodID(env, kiln_upcall_class, "upcall", "(JJJ)J");
  return kiln_upcall_method != NULL;
}

static void kiln_throw_state(JNIEnv *env, const char *message) {
  jclass ise = (*env)->FindClass(env, "java/lang/IllegalStateException");
  if (ise != NULL) (*env)->ThrowNew(env, ise, message);
}

/* An upcall with no handler: the code was run by a plain invoke, whose JNI call is still active
 * on this thread, so the exception surfaces there. JNI may run on a misaligned caller's stack
 * only where the helper realigned its own (KILN_REALIGNS); elsewhere, without a frame to record
 * it in, that case cannot be reported. */
static int64_t kiln_unhandled_upcall(uintptr_t caller_rsp) {
  JNIEnv *env;
  if ((KILN_REALIGNS || caller_rsp % 16 == 0) &&
      (*kiln_vm)->GetEnv(kiln_vm, (void **)&env, JNI_VERSION_1_8) == JNI_OK &&
      !(*env)->ExceptionCheck(env)) {
    char message[256];
    if (caller_rsp % 16 == 0) {
      snprintf(message, sizeof message,
               "generated code called the upcall helper without a handler: run it with "
               "InstalledCode.invokeWithUpcall");
    } else {
      snprintf(message, sizeof message,
               "upcall from a misaligned stack (rsp %% 16 == %d at the call) and without a "
               "handler: generated code must keep rsp 16-byte aligned at every call and be run "
               "with InstalledCode.invokeWithUpcall",
               (int)(caller_rsp % 16));
    }
    kiln_throw_state(env, message);
  }
  return KILN_UPCALL_FAILED;
}

/* The upcall proper. HotSpot's JNI functions assume the ABI's 16-byte alignment (a misaligned
 * call faults inside jni_CallLongMethod), so the alignment is checked before any JNI call; a
 * misaligned upcall is recorded in the frame and Shim.callWithUpcall throws it. Never inlined:
 * the ms_abi entry must make a plain call and no thread-local access of its own, because GCC 12
 * lets the TLS helper call inside an ms_abi function clobber rdi, which it believes preserved. */
static KILN_NOINLINE int64_t kiln_upcall_from(uintptr_t caller_rsp, int64_t a, int64_t b, int64_t c) {
  kiln_upcall_frame *frame = kiln_current_frame;
  if (frame == NULL) return kiln_unhandled_upcall(caller_rsp);
  if (frame->misalignment != 0) return KILN_UPCALL_FAILED;
  if (caller_rsp % 16 != 0) {
    frame->misalignment = (int64_t)(caller_rsp % 16);
    return KILN_UPCALL_FAILED;
  }
  JNIEnv *env = frame->env;
  /* After a failed upcall no further JNI call is legal until Java sees the exception. */
  if ((*env)->ExceptionCheck(env)) return KILN_UPCALL_FAILED;
  jlong r = (*env)->CallLongMethod(env, frame->handler, kiln_upcall_method, (jlong)a, (jlong)b,
                                   (jlong)c);
  if ((*env)->ExceptionCheck(env)) return KILN_UPCALL_FAILED;
  if (r == KILN_UPCALL_FAILED) {
    kiln_throw_state(env,
                     "Upcall handler returned Long.MIN_VALUE, the value reserved to signal a "
                     "failed upcall to generated code");
  }
  return r;
}

static KILN_REALIGN int64_t kiln_upcall(int64_t a, int64_t b, int64_t c) {
  return kiln_upcall_from(KILN_CALLER_RSP(), a, b, c);
}

#if defined(_WIN32)
#define kiln_upcall_win64 kiln_upcall
#else
static KILN_REALIGN int64_t KILN_WIN64 kiln_upcall_win64(int64_t a, int64_t b, int64_t c) {
  return kiln_upcall_from(KILN_CALLER_RSP(), a, b, c);
}
#endif

uint64_t kiln_helper_address(int id, int abi) {
  int win = abi == KILN_ABI_WIN64;
#if defined(_WIN32)
  if (!win) return 0; /* on Windows the helpers exist in the host convention only */
#endif
  switch (id) {
    case 0: return KILN_HELPER_ADDRESS(win, kiln_helper_add);
    case 1: return KILN_HELPER_ADDRESS(win, kiln_helper_stack_misalignment);
    case 2: return KILN_HELPER_ADDRESS(win, kiln_upcall);
    default: return 0;
  }
}

/* Shim.callWithUpcall: a six-long call with the handler's frame pushed for its duration. */
JNIEXPORT jlong JNICALL Java_dev_kiln_runtime_Shim_callWithUpcall(JNIEnv *env, jclass cls,
                                                                  jint abi, jlong f,
                                                                  jobject handler, jlong a,
                                                                  jlong b, jlong c, jlong d,
                                                                  jlong e, jlong g) {
  (void)cls;
  kiln_upcall_frame frame;
  frame.env = env;
  frame.handler = handler;
  frame.misalignment = 0;
  frame.outer = kiln_current_frame;
  kiln_current_frame = &frame;
  jlong r = kiln_call_l6(abi, (uint64_t)f, a, b, c, d, e, g);
  kiln_current_frame = frame.outer;
  if (frame.misalignment != 0 && !(*env)->ExceptionCheck(env)) {
    char message[128];
    snprintf(message, sizeof message,
             "upcall from a misaligned stack (rsp %% 16 == %lld at the call): generated code must "
             "keep rsp 16-byte aligned at every call",
             (long long)frame.misalignment);
    kiln_throw_state(env, message);
  }
  return r;
}
