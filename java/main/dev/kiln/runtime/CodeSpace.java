package dev.kiln.runtime;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The state of a {@link CodeCache}, kept apart from it so the cache's {@link java.lang.ref.Cleaner}
 * can release it ({@link #run}) after the cache became unreachable. Every method is synchronized:
 * installs, frees and close serialise here; invokes never do.
 *
 * <p>Invariant: an allocation stays installed while an allocation with open handles reaches it
 * through declared callees (itself included), so code that any handle can run never jumps into
 * freed pages. Unreachable allocations, cycles of callers included, are freed together.
 */
final class CodeSpace implements Runnable {
  private static final int CODE_ALIGNMENT = 16;

  private final CodePages pages;
  private final boolean fallBackToDualViews;
  private final Set<CodeAllocation> allocations = new HashSet<>();

  /** Caller-to-callee edges among the allocations; with none, a release frees just its own. */
  private int calleeEdges;

  private boolean closed;

  CodeSpace(CodePages pages, boolean fallBackToDualViews) {
    this.pages = pages;
    this.fallBackToDualViews = fallBackToDualViews;
  }

  /**
   * Copies the functions into fresh pages, one after another at 16-byte boundaries, and seals those
   * pages read-execute. Returns the allocation; the entry of function i is at {@code address +
   * offsets[i]}.
   */
  synchronized CodeAllocation install(
      List<byte[]> codes, long[] offsets, Collection<CodeAllocation> callees) {
    if (closed) {
      throw new IllegalStateException("the code cache is closed");
    }
    for (CodeAllocation callee : callees) {
      ensureLive(callee);
    }
    long size = 0;
    for (int i = 0; i < codes.size(); i++) {
      offsets[i] = size;
      size = align(size + codes.get(i).length, CODE_ALIGNMENT);
    }
    long pageSize = pages.pageSize();
    int count = Math.toIntExact(align(size, pageSize) / pageSize);
    long address;
    try {
      address = write(codes, offsets, size, count);
    } catch (ExecutableMemoryDeniedException e) {
      if (!fallBackToDualViews || pages.mapping() == CodeCache.Mapping.DUAL_VIEW) {
        throw e;
      }
      pages.switchTo(CodeCache.Mapping.DUAL_VIEW);
      address = write(codes, offsets, size, count);
    }
    CodeAllocation allocation = new CodeAllocation(address, count, codes.size());
    allocation.callees.addAll(callees);
    calleeEdges += allocation.callees.size();
    allocations.add(allocation);
    return allocation;
  }

  /** Allocates pages, copies the code in and seals it; on failure the pages are freed again. */
  private long write(List<byte[]> codes, long[] offsets, long size, int count) {
    long address = pages.allocate(count);
    try {
      long target = pages.writeAddress(address);
      for (int i = 0; i < codes.size(); i++) {
        byte[] code = codes.get(i);
        Shim.copyIn(code, 0, code.length, target + offsets[i]);
      }
      Shim.flushInstructionCache(address, size);
      pages.seal(address, count);
      return address;
    } catch (RuntimeException e) {
      pages.free(address, count);
      throw e;
    }
  }

  synchronized CodeCache.Mapping mapping() {
    return pages.mapping();
  }

  private static long align(long value, long alignment) {
    return (value + alignment - 1) / alignment * alignment;
  }

  /** One more handle shares the allocation, which must still be installed. */
  synchronized void addHandle(CodeAllocation allocation) {
    ensureLive(allocation);
    allocation.handles++;
  }

  /** From now on {@code caller} may call {@code callee}: both must still be installed. */
  synchronized void addCallee(CodeAllocation caller, CodeAllocation callee) {
    ensureLive(caller);
    ensureLive(callee);
    if (callee != caller && caller.callees.add(callee)) {
      calleeEdges++;
    }
  }

  private static void ensureLive(CodeAllocation allocation) {
    if (!allocation.live) {
      throw new IllegalStateException("the installed code is closed; it has no entry points left");
    }
  }

  /** One handle on the allocation is gone; frees what no open handle can reach any more. */
  synchronized void release(CodeAllocation allocation) {
    if (--allocation.handles > 0 || closed) {
      return;
    }
    if (calleeEdges == 0) {
      free(allocation);
      allocations.remove(allocation);
    } else {
      freeUnreachable();
    }
  }

  /** Marks from the allocations with open handles along their callees, then frees the rest. */
  private void freeUnreachable() {
    Set<CodeAllocation> reached = new HashSet<>();
    Deque<CodeAllocation> work = new ArrayDeque<>();
    for (CodeAllocation allocation : allocations) {
      if (allocation.handles > 0 && reached.add(allocation)) {
        work.push(allocation);
      }
    }
    while (!work.isEmpty()) {
      for (CodeAllocation callee : work.pop().callees) {
        if (reached.add(callee)) {
          work.push(callee);
        }
      }
    }
    allocations.removeIf(
        allocation -> {
          if (reached.contains(allocation)) {
            return false;
          }
          free(allocation);
          return true;
        });
  }

  private void free(CodeAllocation allocation) {
    allocation.live = false;
    calleeEdges -= allocation.callees.size();
    allocation.callees.clear();
    pages.free(allocation.address, allocation.pages);
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
