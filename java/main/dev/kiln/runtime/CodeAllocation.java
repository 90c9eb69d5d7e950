package dev.kiln.runtime;

import java.util.HashSet;
import java.util.Set;

/**
 * The pages one install call filled: shared by the handles it returned, and kept installed while
 * an open handle can reach it, directly or through the {@link #callees} of other installed code.
 * {@link #live} turns false exactly when the pages stop holding this code, and every invoke checks
 * it first.
 */
final class CodeAllocation {
  final long address;
  final int pages;

  /** Open handles on these pages; written under the owning {@link CodeSpace}'s lock. */
  volatile int handles;

  /** Other code of the same space that this code may call; guarded by the owning space. */
  final Set<CodeAllocation> callees = new HashSet<>();

  volatile boolean live = true;

  CodeAllocation(long address, int pages, int handles) {
    this.address = address;
    this.pages = pages;
    this.handles = handles;
  }
}
