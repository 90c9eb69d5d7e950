package dev.kiln.backend.opt;

import static dev.kiln.backend.opt.PassAssert.assertPasses;

import org.junit.jupiter.api.Test;

class DemandedBitsTest {
  private static final Pass BITS = new DemandedBits();

  @Test
  void aUseThatObservesOnlyTheMaskedBitsTakesTheUnmaskedValue() {
    assertPasses("""
        memory $m 64
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = iconst 255
            v3 = band v1, v2
            v4 = iconst 1
            v5 = iadd v3, v4
            store.i8 v5, $m [v0]
            brif v3, block1(v3), block2
        block1(v6: i64):
            store.i8 v6, $m [v0 + 1]
            jump block2
        block2:
            return v3
        }
        """, """
        memory $m 64
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = iconst 255
            v3 = band v1, v2
            v4 = iconst 1
            v5 = iadd v1, v4
            store.i8 v5, $m [v0]
            brif v3, block1(v1), block2
        block1(v6: i64):
            store.i8 v6, $m [v0 + 1]
            jump block2
        block2:
            return v3
        }
        """, BITS);
  }

  @Test
  void aCellCountedAroundALoopNeedsNoMaskWhereOnlyItsByteIsStored() {
    // Brainfuck's [+>-<] kept in registers: the loop tests t[p] (masked), t[p+1] is only stored
    assertPasses("""
        memory $m 64
        function @f(i64, i64, i64) {
        block0(v0: i64, v1: i64, v2: i64):
            v3 = iconst 255
            v4 = iconst 1
            jump block1(v1, v2)
        block1(v5: i64, v6: i64):
            v7 = iadd v5, v4
            store.i8 v7, $m [v0]
            v8 = iadd v6, v3
            store.i8 v8, $m [v0 + 1]
            v9 = band v7, v3
            v10 = band v8, v3
            brif v9, block1(v9, v10), block2
        block2:
            return
        }
        """, """
        memory $m 64
        function @f(i64, i64, i64) {
        block0(v0: i64, v1: i64, v2: i64):
            v3 = iconst 255
            v4 = iconst 1
            jump block1(v1, v2)
        block1(v5: i64, v6: i64):
            v7 = iadd v5, v4
            store.i8 v7, $m [v0]
            v8 = iadd v6, v3
            store.i8 v8, $m [v0 + 1]
            v9 = band v7, v3
            v10 = band v8, v3
            brif v9, block1(v7, v8), block2
        block2:
            return
        }
        """, BITS);
  }

  @Test
  void aUseThatMayObserveAMaskedBitKeepsTheMask() {
    String kept = """
        memory $m 64
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = iconst 255
            v3 = band v1, v2
            store.i16 v3, $m [v0]
            v4 = iconst 9
            v5 = ushr v3, v4
            store.i8 v5, $m [v0 + 2]
            v6 = icmp ult v3, v4
            v7 = iconst 256
            v8 = iadd v3, v7
            return v8
        }
        """;
    assertPasses(kept, kept, BITS);
  }
}
