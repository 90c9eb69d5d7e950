package dev.kiln.runtime;

/**
 * The pages one install call filled: shared by the handles it returned, freed when the last of them
 * is closed or cleaned. {@link #live} turns false exactly when the pages stop holding this code,
 * and every invoke checks it first.
 */
final class CodeAllocation {
  final long address;
  final int pages;

  /** Open handles on these pages; guarded by the owning {@link CodeSpace}. */
  int handles;

  volatile boolean live = true;

  CodeAllocation(long address, int pages, int handles) {
    this.address = address;
    this.pages = pages;
    this.handles = handles;
  }
}
