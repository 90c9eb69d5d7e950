package dev.kiln.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HeapTest {
  @Test
  void arraysAreZeroFilledWithALengthHeader() {
    try (Heap heap = new Heap(1 << 20)) {
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

  @Test
  void growingKeepsContentsAndReferences() {
    try (Heap heap = new Heap(64L << 20)) {
      long a = heap.allocate(10, 0);
      heap.store(a, 9, 42, 0);
      long b = heap.allocate(4_000_000, 0);
      assertEquals(42, heap.load(a, 9, 0));
      assertEquals(0, heap.load(b, 3_999_999, 0));
    }
  }

  @Test
  void capChecksDoNotOverflowForLargeCaps() {
    try (Heap heap = new Heap(8L << 30)) {
      assertEquals(
          RuntimeErrorKind.OUT_OF_MEMORY,
          assertThrows(KilnRuntimeError.class, () -> heap.allocate(1L << 30, 0)).kind());
      assertEquals(0, heap.usedBytes());
    }
  }

  @Test
  void errorsNameIndexLengthAndPosition() {
    try (Heap heap = new Heap(1 << 20)) {
      errors(heap);
    }
  }

  private static void errors(Heap heap) {
    long a = heap.allocate(3, 0);
    KilnRuntimeError e = assertThrows(KilnRuntimeError.class, () -> heap.load(a, 3, 7));
    assertEquals("index out of bounds: index 3, length 3", e.getMessage());
    assertEquals(7, e.position());
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
