/*
 * Loads the built kiln.dll as the JVM would (LoadLibrary) and calls two of its JNI entry points
 * that never touch the JNIEnv: the DLL's imports resolve on Windows (under wine in .ci/run) and
 * its exports carry the undecorated JNI names. Usage: dll_load_test PATH\kiln.dll
 */
#include <stdio.h>
#include <windows.h>

#include "kiln_call.h"

typedef int (*jni_int_fn)(void *env, void *cls);

/* The entry point called name, or NULL (through a generic function pointer, as C requires). */
static jni_int_fn entry(HMODULE dll, const char *name) {
  return (jni_int_fn)(void (*)(void))GetProcAddress(dll, name);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s kiln.dll\n", argv[0]);
    return 2;
  }
  HMODULE dll = LoadLibraryA(argv[1]);
  if (dll == NULL) {
    fprintf(stderr, "%s: LoadLibrary failed (error %lu)\n", argv[1], GetLastError());
    return 1;
  }
  jni_int_fn on_load = entry(dll, "JNI_OnLoad");
  jni_int_fn page_size = entry(dll, "Java_dev_kiln_runtime_Shim_pageSize");
  jni_int_fn conventions = entry(dll, "Java_dev_kiln_runtime_Shim_supportedConventions");
  if (on_load == NULL || page_size == NULL || conventions == NULL) {
    fprintf(stderr, "%s: a JNI entry point is not exported\n", argv[1]);
    return 1;
  }
  int size = page_size(NULL, NULL);
  int abis = conventions(NULL, NULL);
  if (size <= 0 || (size & (size - 1)) != 0 || (abis & (1 << KILN_ABI_WIN64)) == 0) {
    fprintf(stderr, "%s: page size %d, conventions %#x\n", argv[1], size, abis);
    return 1;
  }
  printf("%s: loaded, page size %d, conventions %#x\n", argv[1], size, abis);
  return 0;
}
