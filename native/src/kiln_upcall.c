/*
 * Upcalls. Shim.callWithUpcall stores the JNIEnv and the Java handler of the current call in a
 * thread-local frame (frames nest when a handler runs generated code itself); kiln_upcall, which
 * generated code calls like any C function, invokes dev.kiln.runtime.Upcall.upcall(a, b, c) on
 * that handler. A Java exception is left pending: JNI then throws it in Java as soon as the
 * native call entry returns, after the generated code has returned.
 */
#include "kiln_upcall.h"

#include "dev_kiln_runtime_Shim.h"
#include "kiln_call.h"
#include "kiln_core.h"

#if defined(_MSC_VER)
#define KILN_THREAD_LOCAL __declspec(thread)
#else
#define KILN_THREAD_LOCAL _Thread_local
#endif

typedef struct kiln_upcall_frame {
  JNIEnv *env;
  jobject handler;
  struct kiln_upcall_frame *outer;
} kiln_upcall_frame;

static KILN_THREAD_LOCAL kiln_upcall_frame *kiln_current_frame;
static jclass kiln_upcall_class;
static jmethodID kiln_upcall_method;

int kiln_upcall_init(JNIEnv *env) {
  jclass local = (*env)->FindClass(env, "dev/kiln/runtime/Upcall");
  if (local == NULL) return 0;
  kiln_upcall_class = (jclass)(*env)->NewGlobalRef(env, local);
  (*env)->DeleteLocalRef(env, local);
  if (kiln_upcall_class == NULL) return 0;
  kiln_upcall_method = (*env)->GetMethodID(env, kiln_upcall_class, "upcall", "(JJJ)J");
  return kiln_upcall_method != NULL;
}

static int64_t kiln_upcall(int64_t a, int64_t b, int64_t c) {
  kiln_upcall_frame *frame = kiln_current_frame;
  if (frame == NULL) return KILN_UPCALL_FAILED;
  JNIEnv *env = frame->env;
  /* After a failed upcall no further JNI call is legal until Java sees the exception. */
  if ((*env)->ExceptionCheck(env)) return KILN_UPCALL_FAILED;
  jlong r = (*env)->CallLongMethod(env, frame->handler, kiln_upcall_method, (jlong)a, (jlong)b,
                                   (jlong)c);
  if ((*env)->ExceptionCheck(env)) return KILN_UPCALL_FAILED;
  if (r == KILN_UPCALL_FAILED) {
    jclass ise = (*env)->FindClass(env, "java/lang/IllegalStateException");
    if (ise != NULL) {
      (*env)->ThrowNew(env, ise,
                       "Upcall handler returned Long.MIN_VALUE, the value reserved to signal a "
                       "failed upcall to generated code");
    }
  }
  return r;
}

#if defined(_WIN32)
#define kiln_upcall_win64 kiln_upcall
#else
static int64_t KILN_WIN64 kiln_upcall_win64(int64_t a, int64_t b, int64_t c) {
  return kiln_upcall(a, b, c);
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
  frame.outer = kiln_current_frame;
  kiln_current_frame = &frame;
  jlong r = kiln_call_l6(abi, (uint64_t)f, a, b, c, d, e, g);
  kiln_current_frame = frame.outer;
  return r;
}
