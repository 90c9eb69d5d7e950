package dev.kiln.ir;

import java.util.Arrays;

/**
 * The widest checked access at each address on a path of the dominator tree, for
 * {@link DominatingChecks}: an open-addressing hash table (linear probing, parallel arrays, no
 * object per access) whose changes are undone in the reverse order of making them. Undoing only
 * the newest change keeps every probe sequence whole, so a key it removes is simply cleared:
 * each key still present was inserted before it and never probed past its slot.
 *
 * <p>An address is a memory, a base and an index (value ids, or the constants they are), the
 * kinds of the two (bit 0: the base is a constant; bit 1: the index is; the scale from bit 2 on)
 * and an offset.
 */
final class CheckedWidths {
  /** Slots per key at least (a load factor of one half keeps the probe sequences short). */
  private static final int SLOTS_PER_KEY = 2;

  private int[] memory = new int[64];
  private long[] base = new long[64];
  private long[] index = new long[64];
  private int[] kinds = new int[64];
  private int[] offset = new int[64];
  /** By slot: the width checked at its address; 0 for a free slot. */
  private int[] width = new int[64];
  private int keys;
  /**
   * The changes, oldest first: the slot and the width it had before (0: the change inserted its
   * key). A key's insertion is in the log as long as the key is in the table.
   */
  private int[] changedSlot = new int[64];
  private int[] formerWidth = new int[64];
  private int changes;

  /**
   * The width checked at an address, 0 if none.
   *
   * @return the width, or 0
   */
  int get(int mem, long b, long i, int k, int off) {
    int s = find(mem, b, i, k, off);
    return width[s];
  }

  /** Records that {@code w} bytes are checked at an address, noting the change to undo. */
  void put(int mem, long b, long i, int k, int off, int w) {
    if (SLOTS_PER_KEY * (keys + 1) > width.length) {
      grow();
    }
    int s = find(mem, b, i, k, off);
    if (width[s] == 0) {
      memory[s] = mem;
      base[s] = b;
      index[s] = i;
      kinds[s] = k;
      offset[s] = off;
      keys++;
    }
    log(s, width[s]);
    width[s] = w;
  }

  /** {@return how many changes were made so far: the point to undo back to} */
  int changes() {
    return changes;
  }

  /** Undoes the changes made after the first {@code kept} (a former {@link #changes()}). */
  void undo(int kept) {
    for (int c = changes - 1; c >= kept; c--) {
      width[changedSlot[c]] = formerWidth[c];
      if (formerWidth[c] == 0) {
        keys--;
      }
    }
    changes = kept;
  }

  /** The slot of an address: where it is, or the free slot ending its probe sequence. */
  private int find(int mem, long b, long i, int k, int off) {
    int mask = width.length - 1;
    int s = slot(mem, b, i, k, off, mask);
    while (width[s] != 0 && !(base[s] == b && offset[s] == off && index[s] == i
        && kinds[s] == k && memory[s] == mem)) {
      s = (s + 1) & mask;
    }
    return s;
  }

  private static int slot(int mem, long b, long i, int k, int off, int mask) {
    long h = (((b * 31 + i) * 31 + off) * 31 + k) * 31 + mem;
    return (int) (h * 0x9E3779B97F4A7C15L >>> 32) & mask;
  }

  private void log(int s, int former) {
    if (changes == changedSlot.length) {
      changedSlot = Arrays.copyOf(changedSlot, 2 * changes);
      formerWidth = Arrays.copyOf(formerWidth, 2 * changes);
    }
    changedSlot[changes] = s;
    formerWidth[changes] = former;
    changes++;
  }

  /**
   * Doubles the table, inserting the keys again in the order they were first inserted (the log's
   * order), so that undoing the newest still only clears a slot; the log follows them.
   */
  private void grow() {
    int[] oldMemory = memory;
    long[] oldBase = base;
    long[] oldIndex = index;
    int[] oldKinds = kinds;
    int[] oldOffset = offset;
    int[] oldWidth = width;
    int n = 2 * oldWidth.length;
    memory = new int[n];
    base = new long[n];
    index = new long[n];
    kinds = new int[n];
    offset = new int[n];
    width = new int[n];
    int[] moved = new int[oldWidth.length];
    for (int c = 0; c < changes; c++) {
      int old = changedSlot[c];
      if (formerWidth[c] == 0) {
        int s = find(oldMemory[old], oldBase[old], oldIndex[old], oldKinds[old], oldOffset[old]);
        memory[s] = oldMemory[old];
        base[s] = oldBase[old];
        index[s] = oldIndex[old];
        kinds[s] = oldKinds[old];
        offset[s] = oldOffset[old];
        width[s] = oldWidth[old];
        moved[old] = s;
      }
      changedSlot[c] = moved[old];
    }
  }
}
