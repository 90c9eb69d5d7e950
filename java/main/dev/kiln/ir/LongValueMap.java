package dev.kiln.ir;

/**
 * A hash map from {@code long} keys to values without boxing: open addressing with linear
 * probing in parallel arrays, a null value marking a free slot. Only put and get: nothing is
 * ever removed.
 */
final class LongValueMap {
  /** Grow when more than this fraction of the slots is used (one in two). */
  private static final int LOAD_SHIFT = 1;

  private long[] keys = new long[64];
  private Value[] values = new Value[64];
  private int size;

  /** {@return the value of {@code key}, or {@code null} if it has none} */
  Value get(long key) {
    int mask = keys.length - 1;
    for (int i = slot(key, mask); values[i] != null; i = (i + 1) & mask) {
      if (keys[i] == key) {
        return values[i];
      }
    }
    return null;
  }

  /** Maps {@code key} to {@code value} (not null), replacing what it had. */
  void put(long key, Value value) {
    int mask = keys.length - 1;
    int i = slot(key, mask);
    while (values[i] != null) {
      if (keys[i] == key) {
        values[i] = value;
        return;
      }
      i = (i + 1) & mask;
    }
    keys[i] = key;
    values[i] = value;
    if (++size > keys.length >> LOAD_SHIFT) {
      grow();
    }
  }

  private void grow() {
    long[] oldKeys = keys;
    Value[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new Value[oldValues.length * 2];
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldValues[i] != null) {
        put(oldKeys[i], oldValues[i]);
      }
    }
  }

  /** Fibonacci hashing, the product's halves folded so both halves of the key reach the slot. */
  private static int slot(long key, int mask) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }
}
