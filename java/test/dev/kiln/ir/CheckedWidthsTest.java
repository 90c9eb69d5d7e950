package dev.kiln.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The widths checked at addresses, with their changes undone newest first. */
class CheckedWidthsTest {
  @Test
  void anAddressIsItsMemoryBaseIndexKindsAndOffset() {
    CheckedWidths t = new CheckedWidths();
    t.put(0, 7, -1, 4, 8, 4);
    assertEquals(4, t.get(0, 7, -1, 4, 8));
    assertEquals(0, t.get(1, 7, -1, 4, 8), "another memory");
    assertEquals(0, t.get(0, 6, -1, 4, 8), "another base");
    assertEquals(0, t.get(0, 7, 3, 4, 8), "another index");
    assertEquals(0, t.get(0, 7, -1, 5, 8), "the base a constant 7, not value 7");
    assertEquals(0, t.get(0, 7, -1, 4, 9), "another offset");
  }

  @Test
  void undoingRestoresTheFormerWidthsAndRemovesTheNewKeys() {
    CheckedWidths t = new CheckedWidths();
    t.put(0, 1, -1, 4, 0, 1);
    int before = t.changes();
    t.put(0, 1, -1, 4, 0, 8);
    t.put(0, 2, -1, 4, 0, 2);
    assertEquals(8, t.get(0, 1, -1, 4, 0));
    t.undo(before);
    assertEquals(1, t.get(0, 1, -1, 4, 0), "widened, then restored");
    assertEquals(0, t.get(0, 2, -1, 4, 0), "inserted, then removed");
    assertEquals(before, t.changes());
  }

  @Test
  void growingKeepsEveryKeyAndUndoingStillRemovesTheNewestOnes() {
    CheckedWidths t = new CheckedWidths();
    int[] kept = new int[1001];
    for (int k = 0; k < 1000; k++) {
      kept[k] = t.changes();
      t.put(0, k, -1, 4, k % 7, 1 + k % 8);
      t.put(0, k, -1, 4, k % 7, 9); // a widening, in the log after its key's insertion
    }
    for (int k = 0; k < 1000; k++) {
      assertEquals(9, t.get(0, k, -1, 4, k % 7));
    }
    // undone a key at a time, newest first: each probe sequence of the older keys stays whole
    for (int k = 999; k >= 0; k--) {
      t.undo(kept[k]);
      assertEquals(0, t.get(0, k, -1, 4, k % 7), "key " + k + " removed");
      if (k > 0) {
        assertEquals(9, t.get(0, k - 1, -1, 4, (k - 1) % 7), "key " + (k - 1) + " kept");
      }
    }
  }
}
