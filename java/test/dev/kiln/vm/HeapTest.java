package dev.kiln.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The heap of arrays, in native memory and in the fallback buffer alike. */
class HeapTest {
  @ParameterizedTest(name = "native region: {0}")
  @ValueSource(booleans = {true, false})
  void arraysAreZeroFilledWithALengthHeader(boolean nativeRegion) {
    try (Heap heap = new Heap(1 << 20, nativeRegion)) {
      long a = heap.allocate(3, 0);
      long b = heap.allocate(100_000 / 8, 0);
      assertEquals(3, heap.length(a));
      assertEquals(0, heap.load(b, 12_499, 0));
      heap.store(a, 2, -5, 0);
      assertEquals(-5, heap.load(a, 2, 0));
      assertEquals(Heap.HEADER_BYTES + 3 * 8, b - a);
      assertEquals(8 + 24 + 8 + 100_000, heap.usedBytes());
    }
  }

  @ParameterizedTest(name = "native region: {0}")
  @ValueSource(booleans = {true, false})
  void largeArraysKeepEarlierContentsAndReferences(boolean nativeRegion) {
    try (Heap heap = new Heap(64L << 20, nativeRegion)) {
      long a = heap.allocate(10, 0);
      heap.store(a, 9, 42, 0);
      long b = heap.allocate(4_000_000, 0);
      assertEquals(42, heap.load(a, 9, 0));
      assertEquals(0, heap.load(b, 3_999_999, 0));
    }
  }

  @Test
  void nativeBaseAddressNeverMoves() {
    try (Heap heap = new Heap(256L << 20)) {
      assertTrue(heap.isNative());
      assertNull(heap.notNativeBecause());
      long base = heap.baseAddress();
      heap.allocate(20_000_000, 0);
      assertEquals(base, heap.baseAddress());
    }
  }

  @Test
  void fallbackHasNoAddressForCompiledCode() {
    try (Heap heap = new Heap(1 << 20, false)) {
      assertFalse(heap.isNative());
      assertEquals("the native region was switched off", heap.notNativeBecause());
      assertThrows(IllegalStateException.class, heap::baseAddress);
    }
  }

  @ParameterizedTest(name = "native region: {0}")
  @ValueSource(booleans = {true, false})
  void capChecksDoNotOverflowForLargeCaps(boolean nativeRegion) {
    try (Heap heap = new Heap(8L << 30, nativeRegion)) {
      // The cap is clamped to what a buffer can index: just under 2 GiB.
      assertEquals(
          RuntimeErrorKind.OUT_OF_MEMORY,
          assertThrows(KilnRuntimeError.class, () -> heap.allocate(Heap.MAX_BYTES / 8, 0)).kind());
      assertEquals(0, heap.usedBytes());
    }
  }

  @ParameterizedTest(name = "native region: {0}")
  @ValueSource(booleans = {true, false})
  void errorsNameIndexLengthAndPosition(boolean nativeRegion) {
    try (Heap heap = new Heap(1 << 20, nativeRegion)) {
      long a = heap.allocate(3, 0);
      KilnRuntimeError e = assertThrows(KilnRuntimeError.class, () -> heap.load(a, 3, 7));
      assertEquals("index out of bounds: index 3, length 3", e.getMessage());
      assertEquals(7, e.position());
      assertEquals(
          "index out of bounds: index -1, length 3",
          assertThrows(KilnRuntimeError.class, () -> heap.store(a, -1, 0, 7)).getMessage());
      assertEquals(
          "negative array size: -1",
          assertThrows(KilnRuntimeError.class, () -> heap.allocate(-1, 0)).getMessage());
      assertEquals(
          RuntimeErrorKind.OUT_OF_MEMORY,
          assertThrows(KilnRuntimeError.class, () -> heap.allocate(1 << 17, 0)).kind());
      assertEquals(
          RuntimeErrorKind.OUT_OF_MEMORY,
          assertThrows(KilnRuntimeError.class, () -> heap.allocate(Long.MAX_VALUE, 0)).kind());
    }
  }

  @ParameterizedTest(name = "native region: {0}")
  @ValueSource(booleans = {true, false})
  void releasedMemoryIsReusedZeroFilledButStillCounted(boolean nativeRegion) {
    try (Heap heap = new Heap(1 << 20, nativeRegion)) {
      long kept = heap.allocate(3, 0);
      heap.store(kept, 2, 9, 0);
      long mark = heap.mark();
      long a = heap.allocate(5_000, 0);
      for (int i = 0; i < 5_000; i++) {
        heap.store(a, i, -1, 0);
      }
      heap.release(mark);
      // The next array goes where the freed one was, zero-filled; past it the memory was never used.
      long b = heap.allocate(6_000, 0);
      assertEquals(a, b);
      for (int i = 0; i < 6_000; i++) {
        assertEquals(0, heap.load(b, i, 0));
      }
      assertEquals(9, heap.load(kept, 2, 0));
      assertEquals(3 * 8 + 5_000 * 8 + 6_000 * 8 + 3 * Heap.HEADER_BYTES, heap.usedBytes());
    }
  }

  @Test
  void theCapCountsReleasedArraysToo() {
    try (Heap heap = new Heap(1 << 20)) {
      long mark = heap.mark();
      for (int i = 0; i < 12; i++) {
        heap.allocate(10_000, 0);
        heap.release(mark);
      }
      // 13 arrays of 80,008 bytes fit in 1 MiB, the 14th does not, though only one is live.
      heap.allocate(10_000, 0);
      heap.release(mark);
      assertEquals(
          RuntimeErrorKind.OUT_OF_MEMORY,
          assertThrows(KilnRuntimeError.class, () -> heap.allocate(10_000, 0)).kind());
    }
  }
}
