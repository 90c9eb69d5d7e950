package dev.kiln.backend.opt;

import static dev.kiln.backend.opt.PassAssert.assertPasses;

import org.junit.jupiter.api.Test;

class LoopCarriedLoadsTest {
  private static final Pass CARRY = new LoopCarriedLoads();

  /**
   * Brainfuck's record walk {@code [>[->>>>>>>>>+<<<<<<<<<]<<<<<<<<<<]} with the multiply loop
   * folded: while the cell at p is not zero, move the cell at p + 1 onto the one at p + 10 and
   * step p back by 9. The iteration after reads at p + 10 the cell the one before cleared;
   * {@code clear} is what it stores there, {@code moved} the add's operands.
   */
  private static String walk(String clear, String moved) {
    return """
        memory $t 64
        function @walk(i64) -> i64 {
        block0(v0: i64):
            v1 = load.u8 $t [v0] @1
            brif v1, block1(v0), block4(v0)
        block1(v2: i64):
            v3 = iconst 1
            v4 = iadd v2, v3
            v5 = load.u8 $t [v4] @2
            brif v5, block2, block3
        block2:
            v6 = load.u8 $t [v4 + 9] @3
            v7 = iadd %s @3
            store.i8 v7, $t [v4 + 9] @3
            v8 = iconst %s
            store.i8 v8, $t [v4] @4
            jump block3
        block3:
            v9 = iconst -10
            v10 = iadd v4, v9
            v11 = load.u8 $t [v10] @5
            brif v11, block1(v10), block4(v10)
        block4(v12: i64):
            return v12
        }
        """.formatted(moved, clear);
  }

  @Test
  void aCellTheIterationBeforeClearedIsReadAsZeroAfterTheFirstIteration() {
    // block1-3 run the first iteration as before; from the second on (block4-6) the cell at
    // p + 10 is the one at p + 1 of the iteration before: cleared by the arm (v8), or zero
    // already when the arm was skipped; the add of it becomes its other operand
    assertPasses(walk("0", "v6, v5"), """
        memory $t 64
        function @walk(i64) -> i64 {
        block0(v0: i64):
            v1 = load.u8 $t [v0] @1
            brif v1, block1(v0), block7(v0)
        block1(v2: i64):
            v3 = iconst 1
            v4 = iadd v2, v3
            v5 = load.u8 $t [v4] @2
            brif v5, block2, block3
        block2:
            v6 = load.u8 $t [v4 + 9] @3
            v7 = iadd v6, v5 @3
            store.i8 v7, $t [v4 + 9] @3
            v8 = iconst 0
            store.i8 v8, $t [v4] @4
            jump block3
        block3:
            v9 = iconst -10
            v10 = iadd v4, v9
            v11 = load.u8 $t [v10] @5
            brif v11, block4(v10), block7(v10)
        block4(v12: i64):
            v13 = iconst 1
            v14 = iadd v12, v13
            v15 = load.u8 $t [v14] @2
            brif v15, block5, block6
        block5:
            v16 = iconst 0
            v17 = iadd v16, v15 @3
            store.i8 v15, $t [v14 + 9] @3
            v18 = iconst 0
            store.i8 v18, $t [v14] @4
            jump block6
        block6:
            v19 = iconst -10
            v20 = iadd v14, v19
            v21 = load.u8 $t [v20] @5
            brif v21, block4(v20), block7(v20)
        block7(v22: i64):
            return v22
        }
        """, CARRY);
  }

  @Test
  void noLoadIsReplacedWhenTheWaysRoundTheLoopLeaveDifferentValues() {
    // the arm leaves 1 at p + 1, skipping it leaves 0
    assertPasses(walk("1", "v6, v5"), walk("1", "v6, v5"), CARRY);
  }

  @Test
  void noLoadIsReplacedAfterAStoreThatMayAliasIt() {
    // block1 stores through v0, which may be any cell
    String aliased = walk("0", "v6, v5").replace("""
            v5 = load.u8 $t [v4] @2
        """, """
            v5 = load.u8 $t [v4] @2
            store.i8 v5, $t [v0]
        """);
    assertPasses(aliased, aliased, CARRY);
  }

  @Test
  void aStoredConstantIsReadNarrowedAsTheLoadExtendsIt() {
    // each iteration stores 300 at p + 1 and the next reads those bytes at p - 1 + 2: 300 & 255
    assertPasses("""
        memory $t 64
        function @f(i64) -> i64 {
        block0(v0: i64):
            jump block1(v0)
        block1(v1: i64):
            v2 = load.u8 $t [v1 + 2]
            v3 = iconst 300
            store.i8 v3, $t [v1 + 1]
            v4 = iconst -1
            v5 = iadd v1, v4
            brif v2, block1(v5), block2(v2)
        block2(v6: i64):
            return v6
        }
        """, """
        memory $t 64
        function @f(i64) -> i64 {
        block0(v0: i64):
            jump block1(v0)
        block1(v1: i64):
            v2 = load.u8 $t [v1 + 2]
            v3 = iconst 300
            store.i8 v3, $t [v1 + 1]
            v4 = iconst -1
            v5 = iadd v1, v4
            brif v2, block2(v5), block3(v2)
        block2(v6: i64):
            v7 = iconst 44
            v8 = iconst 300
            store.i8 v8, $t [v6 + 1]
            v9 = iconst -1
            v10 = iadd v6, v9
            brif v7, block2(v10), block3(v7)
        block3(v11: i64):
            return v11
        }
        """, CARRY);
  }
}
