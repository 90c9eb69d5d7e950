/* Executable memory on POSIX systems (Linux): mmap / mprotect / munmap. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kiln_core.h"
#include "kiln_memory_check.h"

size_t kiln_page_size(void) { return (size_t)sysconf(_SC_PAGESIZE); }

int kiln_map_rw(size_t size, void **out) {
  if (out == NULL || !kiln_valid_size(size)) return KILN_ERR_ARGUMENT;
  void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return KILN_ERR_OS;
  *out = p;
  return KILN_OK;
}

int kiln_protect_rx(void *addr, size_t size) {
  if (!kiln_valid_range(addr, size)) return KILN_ERR_ARGUMENT;
  if (mprotect(addr, size, PROT_READ | PROT_EXEC) == 0) return KILN_OK;
  /* SELinux deny_execmem and PaX MPROTECT refuse exactly this transition with EACCES / EPERM. */
  return errno == EACCES || errno == EPERM ? KILN_ERR_DENIED : KILN_ERR_OS;
}

int kiln_protect_rw(void *addr, size_t size) {
  if (!kiln_valid_range(addr, size)) return KILN_ERR_ARGUMENT;
  return mprotect(addr, size, PROT_READ | PROT_WRITE) == 0 ? KILN_OK : KILN_ERR_OS;
}

void kiln_flush_icache(void *addr, size_t size) {
  __builtin___clear_cache((char *)addr, (char *)addr + size);
}

int kiln_discard(void *addr, size_t size) {
  if (!kiln_valid_range(addr, size)) return KILN_ERR_ARGUMENT;
  return madvise(addr, size, MADV_DONTNEED) == 0 ? KILN_OK : KILN_ERR_OS;
}

int kiln_unmap(void *addr, size_t size) {
  if (!kiln_valid_range(addr, size)) return KILN_ERR_ARGUMENT;
  return munmap(addr, size) == 0 ? KILN_OK : KILN_ERR_OS;
}

int kiln_map_dual(size_t size, void **rw, void **rx) {
  if (rw == NULL || rx == NULL || !kiln_valid_size(size)) return KILN_ERR_ARGUMENT;
  int fd = memfd_create("kiln-code", MFD_CLOEXEC);
  if (fd < 0) return KILN_ERR_OS;
  int status = KILN_ERR_OS;
  void *w = MAP_FAILED;
  if (ftruncate(fd, (off_t)size) == 0) {
    w = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  }
  if (w != MAP_FAILED) {
    void *x = mmap(NULL, size, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
    if (x != MAP_FAILED) {
      *rw = w;
      *rx = x;
      status = KILN_OK;
    } else {
      status = errno == EACCES || errno == EPERM ? KILN_ERR_DENIED : KILN_ERR_OS;
      int err = errno;
      munmap(w, size);
      errno = err;
    }
  }
  int err = errno;
  close(fd); /* the mappings keep the memory alive */
  errno = err;
  return status;
}

int kiln_unmap_view(void *addr, size_t size) { return kiln_unmap(addr, size); }

void kiln_os_error_text(char *buf, size_t len) {
  int err = errno;
  snprintf(buf, len, "%s (errno %d)", strerror(err), err);
}
