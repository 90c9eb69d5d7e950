package dev.kiln.bytecode;

import java.util.Arrays;

/** A growable list of ints, for building code arrays without boxing. */
final class IntList {
  private int[] items;
  private int size;

  IntList() {
    this(64);
  }

  /** A list with room for {@code capacity} ints before it grows (at least one). */
  IntList(int capacity) {
    items = new int[Math.max(1, capacity)];
  }

  void add(int v) {
    if (size == items.length) {
      items = Arrays.copyOf(items, size * 2);
    }
    items[size++] = v;
  }

  int get(int i) {
    return items[i];
  }

  void set(int i, int v) {
    items[i] = v;
  }

  /** Drops the items from index {@code size} on. */
  void truncate(int size) {
    this.size = size;
  }

  int size() {
    return size;
  }

  int[] toArray() {
    return Arrays.copyOf(items, size);
  }
}
