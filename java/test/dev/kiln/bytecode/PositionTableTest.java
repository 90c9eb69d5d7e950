package dev.kiln.bytecode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PositionTableTest {
  @Test
  void eachPairGetsTheIndexItWasFirstSeenAt() {
    PositionTable t = new PositionTable();
    assertEquals(0, t.intern(3, 7));
    assertEquals(1, t.intern(3, 8));
    assertEquals(2, t.intern(7, 3));
    assertEquals(0, t.intern(3, 7));
    assertEquals(2, t.intern(7, 3));
    assertArrayEquals(new int[] {3, 3, 7}, t.lines());
    assertArrayEquals(new int[] {7, 8, 3}, t.columns());
  }

  @Test
  void keepsEveryPairThroughGrowth() {
    PositionTable t = new PositionTable();
    int n = 0;
    for (int line = 1; line <= 300; line++) {
      for (int column = 1; column <= 40; column += 3) {
        assertEquals(n++, t.intern(line, column));
      }
    }
    n = 0;
    for (int line = 1; line <= 300; line++) {
      for (int column = 1; column <= 40; column += 3) {
        assertEquals(n, t.intern(line, column));
        assertEquals(line, t.lines()[n]);
        assertEquals(column, t.columns()[n]);
        n++;
      }
    }
    assertEquals(n, t.lines().length);
  }
}
