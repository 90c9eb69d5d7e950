package dev.kiln.backend.regalloc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Values filed under keys come back per key, in the order they were filed. */
class IntBucketsTest {
  @Test
  void eachKeyKeepsTheOrderItsValuesWereFiledIn() {
    IntBuckets buckets = new IntBuckets(4);
    buckets.add(2, 7);
    buckets.add(0, 5);
    buckets.add(2, 3);
    buckets.add(2, 9);
    int[][] arrays = buckets.toArrays();
    assertArrayEquals(new int[] {5}, arrays[0]);
    assertArrayEquals(new int[] {7, 3, 9}, arrays[2]);
  }

  @Test
  void aKeyWithNoValuesHasNoArray() {
    IntBuckets buckets = new IntBuckets(3);
    buckets.add(1, 4);
    int[][] arrays = buckets.toArrays();
    assertNull(arrays[0]);
    assertNull(arrays[2]);
  }

  @Test
  void manyValuesUnderOneKeyAllComeBack() {
    IntBuckets buckets = new IntBuckets(2);
    int[] expected = new int[100];
    for (int v = 0; v < expected.length; v++) {
      buckets.add(1, v);
      expected[v] = v;
    }
    assertArrayEquals(expected, buckets.toArrays()[1]);
  }
}
