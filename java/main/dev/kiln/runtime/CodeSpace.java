package dev.kiln.runtime;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The state of a {@link CodeCache}, kept apart from it so the cache's {@link
 * java.lang.ref.Cleaner} can release it ({@link #run}) after the cache became unreachable.
 * Every method is synchronized: installs, frees and close serialise here; invokes never do.
 */
final class CodeSpace implements Runnable {
  private static final int CODE_ALIGNMENT = 16;

  private final CodePages pages;
  private final Set<CodeAllocation> allocations = new HashSet<>();
  private boolean closed;

  CodeSpace(CodePages pages) {
    this.pages = pages;
  }

  /**
   * Copies the functions into fresh pages, one after another at 16-byte boundaries, and seals
   * those pages read-execute. Returns the allocation; the entry of function i is at {@code
   * address + offsets[i]}.
   */
  synchronized CodeAllocation install(List<byte[]> codes, long[] offsets) {
    if (closed) {
      throw new IllegalStateException("the code cache is closed");
    }
    long size = 0;
    for (int i = 0; i < codes.size(); i++) {
      offsets[i] = size;
      size = align(size + codes.get(i).length, CODE_ALIGNMENT);
    }
    long pageSize = pages.pageSize();
    int count = Math.toIntExact(align(size, pageSize) / pageSize);
    long address = pages.allocate(count);
    try {
      for (int i = 0; i < codes.size(); i++) {
        byte[] code = codes.get(i);
        Shim.copyIn(code, 0, code.length, address + offsets[i]);
      }
      Shim.flushInstructionCache(address, size);
      Shim.protectExecute(address, count * pageSize);
    } catch (RuntimeException e) {
      pages.free(address, count);
      throw e;
    }
    CodeAllocation allocation = new CodeAllocation(address, count, codes.size());
    allocations.add(allocation);
    return allocation;
  }

  private static long align(long value, long alignment) {
    return (value + alignment - 1) / alignment * alignment;
  }

  /** One handle on the allocation is gone; frees its pages with the last one. */
  synchronized void release(CodeAllocation allocation) {
    if (--allocation.handles == 0 && allocations.remove(allocation)) {
      allocation.live = false;
      pages.free(allocation.address, allocation.pages);
    }
  }

  synchronized long mappedBytes() {
    return pages.mappedBytes();
  }

  /** Closes the space: every handle stops working, every page is unmapped. */
  @Override
  public synchronized void run() {
    if (closed) {
      return;
    }
    closed = true;
    for (CodeAllocation allocation : allocations) {
      allocation.live = false;
    }
    allocations.clear();
    pages.releaseAll();
  }
}
