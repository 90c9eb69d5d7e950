package dev.kiln.jit;

/**
 * The array accesses already bounds-checked on the way to the current instruction, for dropping
 * a repeated check: {@code v[i] -= e; } loads and stores {@code v[i]}, and n-body's {@code m[j]}
 * is read three times. A pair (array slot, index slot) stays proven while neither slot is written
 * (an array's length never changes), through straight-line code only: the code generator forgets
 * everything at each jump target, where another path joins that may not have made the check.
 * Dropping a check that the same values just passed cannot change which error a program raises,
 * or where.
 */
final class CheckedIndexes {
  /** More pairs than this are not remembered (a bound on the cost of a lookup). */
  private static final int CAPACITY = 32;

  private final int[] arrays = new int[CAPACITY];
  private final int[] indexes = new int[CAPACITY];
  private int count;

  /** Forgets every pair: a join, where other paths lead in. */
  void clear() {
    count = 0;
  }

  boolean holds(int array, int index) {
    for (int k = 0; k < count; k++) {
      if (arrays[k] == array && indexes[k] == index) {
        return true;
      }
    }
    return false;
  }

  /** Remembers that {@code array[index]} passed its check (if there is room). */
  void checked(int array, int index) {
    if (count < CAPACITY) {
      arrays[count] = array;
      indexes[count++] = index;
    }
  }

  /** Forgets the pairs that name {@code slot}, which was just written. */
  void written(int slot) {
    int kept = 0;
    for (int k = 0; k < count; k++) {
      if (arrays[k] != slot && indexes[k] != slot) {
        arrays[kept] = arrays[k];
        indexes[kept++] = indexes[k];
      }
    }
    count = kept;
  }
}
