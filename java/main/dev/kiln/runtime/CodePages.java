package dev.kiln.runtime;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Page allocator of a code cache: blocks of pages mapped from the shim, handed out as runs of
 * whole pages. Free pages are always read-write and allocated pages are turned read-execute by
 * the caller, so a page never has to change protection while code on it might run. When every
 * page of a block is free again the block is unmapped, except one spare kept against churn.
 * Not thread-safe: {@link CodeSpace} serialises access.
 */
final class CodePages {
  private final long pageSize;
  private final int blockPages;
  private final List<Block> blocks = new ArrayList<>();

  private static final class Block {
    final long base;
    final int pages;
    final BitSet used = new BitSet();

    Block(long base, int pages) {
      this.base = base;
      this.pages = pages;
    }
  }

  CodePages(long pageSize, int blockPages) {
    this.pageSize = pageSize;
    this.blockPages = blockPages;
  }

  long pageSize() {
    return pageSize;
  }

  /** Bytes currently mapped, in use or not. */
  long mappedBytes() {
    return blocks.stream().mapToLong(b -> b.pages * pageSize).sum();
  }

  /** The address of {@code count} contiguous free read-write pages, mapping a block if needed. */
  long allocate(int count) {
    for (Block block : blocks) {
      int start = findRun(block, count);
      if (start >= 0) {
        block.used.set(start, start + count);
        return block.base + start * pageSize;
      }
    }
    int pages = Math.max(blockPages, count);
    Block block = new Block(Shim.mapReadWrite(pages * pageSize), pages);
    blocks.add(block);
    block.used.set(0, count);
    return block.base;
  }

  private static int findRun(Block block, int count) {
    int start = block.used.nextClearBit(0);
    while (start + count <= block.pages) {
      int nextUsed = block.used.nextSetBit(start);
      if (nextUsed < 0 || nextUsed >= start + count) {
        return start;
      }
      start = block.used.nextClearBit(nextUsed);
    }
    return -1;
  }

  /**
   * Returns pages from {@link #allocate}; they go back to read-write (the caller guarantees no
   * code runs there any more).
   */
  void free(long address, int count) {
    Block block = blockOf(address);
    int start = (int) ((address - block.base) / pageSize);
    Shim.protectWrite(address, count * pageSize);
    block.used.clear(start, start + count);
    if (block.used.isEmpty() && blocks.stream().filter(b -> b.used.isEmpty()).count() > 1) {
      blocks.remove(block);
      Shim.unmap(block.base, block.pages * pageSize);
    }
  }

  private Block blockOf(long address) {
    for (Block block : blocks) {
      if (address >= block.base && address < block.base + block.pages * pageSize) {
        return block;
      }
    }
    throw new IllegalArgumentException(
        "address 0x" + Long.toHexString(address) + " is not in this code cache");
  }

  /** Unmaps every block. */
  void releaseAll() {
    for (Block block : blocks) {
      Shim.unmap(block.base, block.pages * pageSize);
    }
    blocks.clear();
  }
}
