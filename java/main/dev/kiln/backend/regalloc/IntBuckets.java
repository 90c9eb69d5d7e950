package dev.kiln.backend.regalloc;

import java.util.Arrays;

/**
 * Integers filed under small keys, gathered first and bucketed once at the end: each bucket then
 * takes one array of its exact size, where growing one array per key on every addition would copy
 * a bucket of n values n times.
 */
final class IntBuckets {
  private final int keys;
  private int[] key = new int[16];
  private int[] value = new int[16];
  private int size;

  /** Buckets for the keys from 0 to {@code keys} (exclusive). */
  IntBuckets(int keys) {
    this.keys = keys;
  }

  /** Files {@code v} under key {@code k}, after the values filed there before. */
  void add(int k, int v) {
    if (size == key.length) {
      key = Arrays.copyOf(key, 2 * size);
      value = Arrays.copyOf(value, 2 * size);
    }
    key[size] = k;
    value[size++] = v;
  }

  /** {@return per key, its values in the order they were filed, or null for a key with none} */
  int[][] toArrays() {
    int[] count = new int[keys];
    for (int i = 0; i < size; i++) {
      count[key[i]]++;
    }
    int[][] buckets = new int[keys][];
    for (int k = 0; k < keys; k++) {
      if (count[k] > 0) {
        buckets[k] = new int[count[k]];
        count[k] = 0;
      }
    }
    for (int i = 0; i < size; i++) {
      buckets[key[i]][count[key[i]]++] = value[i];
    }
    return buckets;
  }
}
