/* Argument checks shared by the platform memory implementations. */
#ifndef KILN_MEMORY_CHECK_H
#define KILN_MEMORY_CHECK_H

#include <stdint.h>

#include "kiln_core.h"

/* A positive multiple of the page size. */
static inline int kiln_valid_size(size_t size) {
  return size > 0 && size % kiln_page_size() == 0;
}

/* A non-null, page-aligned start and a valid size that does not wrap around. */
static inline int kiln_valid_range(void *addr, size_t size) {
  uintptr_t a = (uintptr_t)addr;
  return addr != NULL && a % kiln_page_size() == 0 && kiln_valid_size(size) && a + size > a;
}

#endif
