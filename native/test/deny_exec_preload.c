/*
 * Test helper, loaded with LD_PRELOAD: the OS refuses executable memory to the Kiln shim, as a
 * system enforcing W^X does (SELinux denying execmem, PaX MPROTECT). mprotect to an executable
 * protection and executable mmap fail with EACCES when the Kiln shim calls them; the JVM's own
 * calls pass through, so only Kiln's code cache sees the refusal.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>

/* The shim is libkiln.so, or a kiln-*.so copy extracted from the jar. */
static int from_kiln_shim(void *caller) {
  Dl_info info;
  if (!dladdr(caller, &info) || info.dli_fname == NULL) return 0;
  const char *slash = strrchr(info.dli_fname, '/');
  const char *name = slash ? slash + 1 : info.dli_fname;
  return strncmp(name, "kiln-", 5) == 0 || strcmp(name, "libkiln.so") == 0;
}

int mprotect(void *addr, size_t len, int prot) {
  int (*real)(void *, size_t, int) = (int (*)(void *, size_t, int))dlsym(RTLD_NEXT, "mprotect");
  if ((prot & PROT_EXEC) && from_kiln_shim(__builtin_return_address(0))) {
    errno = EACCES;
    return -1;
  }
  return real(addr, len, prot);
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t offset) {
  void *(*real)(void *, size_t, int, int, int, off_t) =
      (void *(*)(void *, size_t, int, int, int, off_t))dlsym(RTLD_NEXT, "mmap");
  if ((prot & PROT_EXEC) && from_kiln_shim(__builtin_return_address(0))) {
    errno = EACCES;
    return MAP_FAILED;
  }
  return real(addr, len, prot, flags, fd, offset);
}
