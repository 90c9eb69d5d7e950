/* Symbol lookup for C functions that generated code calls by address (see kiln_core.h). */
#if !defined(_WIN32)
#define _GNU_SOURCE /* RTLD_DEFAULT */
#endif
#include "kiln_core.h"

#if defined(_WIN32)
#include <windows.h>

void *kiln_lookup_symbol(const char *library, const char *symbol) {
  HMODULE module = library == NULL ? GetModuleHandleA(NULL) : LoadLibraryA(library);
  if (module == NULL) return NULL;
  return (void *)GetProcAddress(module, symbol);
}
#else
#include <dlfcn.h>

void *kiln_lookup_symbol(const char *library, const char *symbol) {
  /* A library stays loaded for the life of the process: code may keep its addresses. */
  if (library == NULL) return dlsym(RTLD_DEFAULT, symbol); /* glibc's RTLD_DEFAULT is NULL */
  void *handle = dlopen(library, RTLD_NOW | RTLD_GLOBAL);
  if (handle == NULL) return NULL;
  return dlsym(handle, symbol);
}
#endif
