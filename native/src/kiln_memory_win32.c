/* Executable memory on Windows: VirtualAlloc / VirtualProtect / VirtualFree. */
#include <stdio.h>
#include <windows.h>

#include "kiln_core.h"
#include "kiln_memory_check.h"

#ifndef ERROR_DYNAMIC_CODE_BLOCKED /* missing from older SDK and MinGW headers */
#define ERROR_DYNAMIC_CODE_BLOCKED 1655L
#endif

size_t kiln_page_size(void) {
  SYSTEM_INFO info;
  GetSystemInfo(&info);
  return (size_t)info.dwPageSize;
}

int kiln_map_rw(size_t size, void **out) {
  if (out == NULL || !kiln_valid_size(size)) return KILN_ERR_ARGUMENT;
  void *p = VirtualAlloc(NULL, size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
  if (p == NULL) return KILN_ERR_OS;
  *out = p;
  return KILN_OK;
}

int kiln_protect_rx(void *addr, size_t size) {
  if (!kiln_valid_range(addr, size)) return KILN_ERR_ARGUMENT;
  DWORD old;
  if (VirtualProtect(addr, size, PAGE_EXECUTE_READ, &old)) return KILN_OK;
  /* Arbitrary Code Guard (process mitigation policy) refuses dynamic code with this error. */
  DWORD err = GetLastError();
  return err == ERROR_DYNAMIC_CODE_BLOCKED || err == ERROR_ACCESS_DENIED ? KILN_ERR_DENIED
                                                                         : KILN_ERR_OS;
}

int kiln_protect_rw(void *addr, size_t size) {
  if (!kiln_valid_range(addr, size)) return KILN_ERR_ARGUMENT;
  DWORD old;
  return VirtualProtect(addr, size, PAGE_READWRITE, &old) ? KILN_OK : KILN_ERR_OS;
}

void kiln_flush_icache(void *addr, size_t size) {
  FlushInstructionCache(GetCurrentProcess(), addr, size);
}

int kiln_discard(void *addr, size_t size) {
  if (!kiln_valid_range(addr, size)) return KILN_ERR_ARGUMENT;
  return VirtualAlloc(addr, size, MEM_RESET, PAGE_READWRITE) != NULL ? KILN_OK : KILN_ERR_OS;
}

int kiln_unmap(void *addr, size_t size) {
  if (!kiln_valid_range(addr, size)) return KILN_ERR_ARGUMENT;
  /* MEM_RELEASE frees the whole reservation and requires size 0. */
  return VirtualFree(addr, 0, MEM_RELEASE) ? KILN_OK : KILN_ERR_OS;
}

int kiln_map_dual(size_t size, void **rw, void **rx) {
  if (rw == NULL || rx == NULL || !kiln_valid_size(size)) return KILN_ERR_ARGUMENT;
  uint64_t size64 = (uint64_t)size;
  HANDLE section = CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, PAGE_EXECUTE_READWRITE,
                                      (DWORD)(size64 >> 32), (DWORD)size64, NULL);
  if (section == NULL) return KILN_ERR_OS;
  int status = KILN_ERR_OS;
  void *w = MapViewOfFile(section, FILE_MAP_WRITE, 0, 0, size);
  if (w != NULL) {
    void *x = MapViewOfFile(section, FILE_MAP_READ | FILE_MAP_EXECUTE, 0, 0, size);
    if (x != NULL) {
      *rw = w;
      *rx = x;
      status = KILN_OK;
    } else {
      DWORD err = GetLastError();
      status = err == ERROR_DYNAMIC_CODE_BLOCKED || err == ERROR_ACCESS_DENIED ? KILN_ERR_DENIED
                                                                               : KILN_ERR_OS;
      UnmapViewOfFile(w);
      SetLastError(err);
    }
  }
  DWORD err = GetLastError();
  CloseHandle(section); /* the views keep the section alive */
  SetLastError(err);
  return status;
}

int kiln_unmap_view(void *addr, size_t size) {
  if (!kiln_valid_range(addr, size)) return KILN_ERR_ARGUMENT;
  return UnmapViewOfFile(addr) ? KILN_OK : KILN_ERR_OS;
}

void kiln_os_error_text(char *buf, size_t len) {
  DWORD err = GetLastError();
  char text[256];
  DWORD n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, err,
                           0, text, (DWORD)sizeof text, NULL);
  while (n > 0 && (text[n - 1] == '\r' || text[n - 1] == '\n' || text[n - 1] == '.')) n--;
  text[n] = '\0';
  snprintf(buf, len, "%s (Windows error %lu)", n > 0 ? text : "unknown error", (unsigned long)err);
}
