package dev.kiln.runtime;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Page allocator of a code cache: blocks of pages mapped from the shim, handed out as runs of whole
 * pages. Pages are addressed by where their code runs.
 *
 * <p>A single-view block has one mapping: its free pages are read-write, the caller writes code and
 * {@link #seal}s the pages read-execute, and {@link #free} turns them back. A dual-view block (for
 * systems that refuse to make writable memory executable) is mapped twice, read-write and
 * read-execute, and no page ever changes protection; code is written through {@link #writeAddress}.
 * Either way no page is writable and executable at once.
 *
 * <p>When every page of a block is free again the block is unmapped, except one spare kept against
 * churn. Not thread-safe: {@link CodeSpace} serialises access.
 */
final class CodePages {
  private final long pageSize;
  private final int blockPages;
  private final List<Block> blocks = new ArrayList<>();
  private CodeCache.Mapping mapping;

  private static final class Block {
    final long base;
    final long writeBase;
    final int pages;
    final CodeCache.Mapping mapping;
    final BitSet used = new BitSet();

    Block(long base, long writeBase, int pages, CodeCache.Mapping mapping) {
      this.base = base;
      this.writeBase = writeBase;
      this.pages = pages;
      this.mapping = mapping;
    }
  }

  CodePages(long pageSize, int blockPages, CodeCache.Mapping mapping) {
    this.pageSize = pageSize;
    this.blockPages = blockPages;
    this.mapping = mapping;
  }

  long pageSize() {
    return pageSize;
  }

  CodeCache.Mapping mapping() {
    return mapping;
  }

  /** New allocations come from blocks mapped this way; existing blocks stay as they are. */
  void switchTo(CodeCache.Mapping newMapping) {
    mapping = newMapping;
  }

  /** Bytes of address space currently mapped (a dual-view block counts once), used or not. */
  long mappedBytes() {
    long bytes = 0;
    for (Block b : blocks) {
      bytes += b.pages * pageSize;
    }
    return bytes;
  }

  /** The run address of {@code count} contiguous free pages, mapping a block if needed. */
  long allocate(int count) {
    for (Block block : blocks) {
      int start = block.mapping == mapping ? findRun(block, count) : -1;
      if (start >= 0) {
        block.used.set(start, start + count);
        return block.base + start * pageSize;
      }
    }
    Block block = map(Math.max(blockPages, count));
    blocks.add(block);
    block.used.set(0, count);
    return block.base;
  }

  private Block map(int pages) {
    long size = pages * pageSize;
    if (mapping == CodeCache.Mapping.DUAL_VIEW) {
      long[] views = new long[2];
      Shim.mapDual(size, views);
      return new Block(views[1], views[0], pages, mapping);
    }
    long base = Shim.mapReadWrite(size);
    return new Block(base, base, pages, mapping);
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

  /** Where to write the code that will run at {@code address}. */
  long writeAddress(long address) {
    Block block = blockOf(address);
    return block.writeBase + (address - block.base);
  }

  /** Makes freshly written pages executable (a no-op for dual-view pages, executable already). */
  void seal(long address, int count) {
    if (blockOf(address).mapping == CodeCache.Mapping.SINGLE_VIEW) {
      Shim.protectExecute(address, count * pageSize);
    }
  }

  /**
   * Returns pages from {@link #allocate}; single-view pages go back to read-write (the caller
   * guarantees no code runs there any more).
   */
  void free(long address, int count) {
    Block block = blockOf(address);
    int start = (int) ((address - block.base) / pageSize);
    if (block.mapping == CodeCache.Mapping.SINGLE_VIEW) {
      Shim.protectWrite(address, count * pageSize);
    }
    block.used.clear(start, start + count);
    if (block.used.isEmpty() && unusedBlocks() > 1) {
      blocks.remove(block);
      unmap(block);
    }
  }

  private int unusedBlocks() {
    int unused = 0;
    for (Block b : blocks) {
      unused += b.used.isEmpty() ? 1 : 0;
    }
    return unused;
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

  private void unmap(Block block) {
    long size = block.pages * pageSize;
    if (block.mapping == CodeCache.Mapping.DUAL_VIEW) {
      Shim.unmapView(block.writeBase, size);
      Shim.unmapView(block.base, size);
    } else {
      Shim.unmap(block.base, size);
    }
  }

  /** Unmaps every block. */
  void releaseAll() {
    for (Block block : blocks) {
      unmap(block);
    }
    blocks.clear();
  }
}
