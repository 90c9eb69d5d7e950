package dev.kiln.backend.opt;

import static dev.kiln.backend.opt.PassAssert.assertPasses;

import org.junit.jupiter.api.Test;

class LoopCarriedLoadsTest {
  private static final Pass CARRY = new LoopCarriedLoads();

  /**
   * Brainfuck's record walk {@code [>[->>>>>>>>>+<<<<<<<<<]<<<<<<<<<<]} with the multiply loop
   * folded, as bounds-check elimination leaves it: while the cell at p is not zero, a guard puts
   * p + 1 to p + 10 in the memory (else a trap stands for the checked copy), the cell at p + 1
   * moves onto the one at p + 10, and p steps back by 9. The iteration after reads at p + 10 the
   * cell the one before cleared; {@code clear} is what it stores there, {@code moved} the add's
   * operands.
   */
  private static String walk(String clear, String moved) {
    return """
        memory $t 64
        function @walk(i64) -> i64 {
        block0(v0: i64):
            v1 = load.u8 $t [v0] @1
            brif v1, block1(v0), block6(v0)
        block1(v2: i64):
            v3 = iconst 1
            v4 = iadd v2, v3
            v20 = iconst 54
            v21 = icmp ule v4, v20
            brif v21, block2, block5
        block2:
            v5 = load.u8 $t [v4] inbounds @2
            brif v5, block3, block4
        block3:
            v6 = load.u8 $t [v4 + 9] inbounds @3
            v7 = iadd %s @3
            store.i8 v7, $t [v4 + 9] inbounds @3
            v8 = iconst %s
            store.i8 v8, $t [v4] inbounds @4
            jump block4
        block4:
            v9 = iconst -10
            v10 = iadd v4, v9
            v11 = load.u8 $t [v10] @5
            brif v11, block1(v10), block6(v10)
        block5:
            trap 0 @2
        block6(v12: i64):
            return v12
        }
        """.formatted(moved, clear);
  }

  @Test
  void aCellTheIterationBeforeClearedIsReadAsZeroAfterTheFirstIteration() {
    // block1-4 run the first iteration as before; from the second on (block5-8) the cell at
    // p + 10 is the one at p + 1 of the iteration before: cleared by the arm (v8), or zero
    // already when the arm was skipped; the add of it becomes its other operand
    assertPasses(walk("0", "v6, v5"), """
        memory $t 64
        function @walk(i64) -> i64 {
        block0(v0: i64):
            v1 = load.u8 $t [v0] @1
            brif v1, block1(v0), block10(v0)
        block1(v2: i64):
            v3 = iconst 1
            v4 = iadd v2, v3
            v5 = iconst 54
            v6 = icmp ule v4, v5
            brif v6, block2, block9
        block2:
            v7 = load.u8 $t [v4] inbounds @2
            brif v7, block3, block4
        block3:
            v8 = load.u8 $t [v4 + 9] inbounds @3
            v9 = iadd v8, v7 @3
            store.i8 v9, $t [v4 + 9] inbounds @3
            v10 = iconst 0
            store.i8 v10, $t [v4] inbounds @4
            jump block4
        block4:
            v11 = iconst -10
            v12 = iadd v4, v11
            v13 = load.u8 $t [v12] @5
            brif v13, block5(v12), block10(v12)
        block5(v14: i64):
            v15 = iconst 1
            v16 = iadd v14, v15
            v17 = iconst 54
            v18 = icmp ule v16, v17
            brif v18, block6, block9
        block6:
            v19 = load.u8 $t [v16] inbounds @2
            brif v19, block7, block8
        block7:
            v20 = iconst 0
            v21 = iadd v20, v19 @3
            store.i8 v19, $t [v16 + 9] inbounds @3
            v22 = iconst 0
            store.i8 v22, $t [v16] inbounds @4
            jump block8
        block8:
            v23 = iconst -10
            v24 = iadd v16, v23
            v25 = load.u8 $t [v24] @5
            brif v25, block5(v24), block10(v24)
        block9:
            trap 0 @2
        block10(v26: i64):
            return v26
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
    // block2 stores through v0, which may be any cell
    String aliased = walk("0", "v6, v5").replace("""
            v5 = load.u8 $t [v4] inbounds @2
        """, """
            v5 = load.u8 $t [v4] inbounds @2
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
            v2 = iconst 60
            v3 = icmp ule v1, v2
            brif v3, block2, block3
        block2:
            v4 = load.u8 $t [v1 + 2] inbounds
            v5 = iconst 300
            store.i8 v5, $t [v1 + 1] inbounds
            v6 = iconst -1
            v7 = iadd v1, v6
            brif v4, block1(v7), block4(v4)
        block3:
            trap 0
        block4(v8: i64):
            return v8
        }
        """, """
        memory $t 64
        function @f(i64) -> i64 {
        block0(v0: i64):
            jump block1(v0)
        block1(v1: i64):
            v2 = iconst 60
            v3 = icmp ule v1, v2
            brif v3, block2, block5
        block2:
            v4 = load.u8 $t [v1 + 2] inbounds
            v5 = iconst 300
            store.i8 v5, $t [v1 + 1] inbounds
            v6 = iconst -1
            v7 = iadd v1, v6
            brif v4, block3(v7), block6(v4)
        block3(v8: i64):
            v9 = iconst 60
            v10 = icmp ule v8, v9
            brif v10, block4, block5
        block4:
            v11 = iconst 44
            v12 = iconst 300
            store.i8 v12, $t [v8 + 1] inbounds
            v13 = iconst -1
            v14 = iadd v8, v13
            brif v11, block3(v14), block6(v11)
        block5:
            trap 0
        block6(v15: i64):
            return v15
        }
        """, CARRY);
  }

  @Test
  void aCheckedLoadStays() {
    // its check may be what proves a store of the same bytes after it
    String checked = walk("0", "v6, v5").replace("v6 = load.u8 $t [v4 + 9] inbounds @3",
        "v6 = load.u8 $t [v4 + 9] @3");
    assertPasses(checked, checked, CARRY);
  }
}
