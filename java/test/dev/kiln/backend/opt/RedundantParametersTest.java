package dev.kiln.backend.opt;

import static dev.kiln.backend.opt.PassAssert.assertPasses;

import org.junit.jupiter.api.Test;

class RedundantParametersTest {
  private static final Pass PARAMS = new RedundantParameters();

  @Test
  void aValueHandedThroughAChainADiamondAndALoopIsUsedDirectly() {
    assertPasses("""
        memory $m 64
        function @f(i64) -> i64 {
        block0(v0: i64):
            jump block1(v0)
        block1(v1: i64):
            v2 = load.u8 $m [v1]
            brif v2, block2(v1), block3(v1)
        block2(v3: i64):
            jump block4(v3)
        block3(v4: i64):
            jump block4(v4)
        block4(v5: i64):
            v6 = load.u8 $m [v5 + 1]
            brif v6, block4(v5), block5(v5)
        block5(v7: i64):
            return v7
        }
        """, """
        memory $m 64
        function @f(i64) -> i64 {
        block0(v0: i64):
            jump block1
        block1:
            v1 = load.u8 $m [v0]
            brif v1, block2, block3
        block2:
            jump block4
        block3:
            jump block4
        block4:
            v2 = load.u8 $m [v0 + 1]
            brif v2, block4, block5
        block5:
            return v0
        }
        """, PARAMS);
  }

  @Test
  void aParameterThatTakesDifferentValuesStays() {
    assertPasses("""
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            brif v0, block1(v0, v1), block1(v1, v1)
        block1(v2: i64, v3: i64):
            v4 = iadd v2, v3
            brif v4, block2(v4), block3
        block2(v5: i64):
            v6 = iadd v5, v2
            brif v6, block2(v6), block3
        block3:
            return v2
        }
        """, """
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            brif v0, block1(v0), block1(v1)
        block1(v2: i64):
            v3 = iadd v2, v1
            brif v3, block2(v3), block3
        block2(v4: i64):
            v5 = iadd v4, v2
            brif v5, block2(v5), block3
        block3:
            return v2
        }
        """, PARAMS);
  }

  @Test
  void aValueComputedInALoopStaysAParameterWhereItLeavesTheLoop() {
    String kept = """
        function @f(i64) -> i64 {
        block0(v0: i64):
            jump block1(v0)
        block1(v1: i64):
            v2 = iadd v1, v0
            brif v2, block1(v2), block2(v2)
        block2(v3: i64):
            return v3
        }
        """;
    assertPasses(kept, kept, PARAMS);
  }
  @Test
  void nestedLoopsThatHandOneValueAroundAsACycleOfParametersUseItDirectly() {
    // Brainfuck's [>[>>]<] with the pointer in a parameter of each loop header and latch: the
    // outer header is passed v0 and the latch's value, which waits on the inner loop's
    assertPasses("""
        memory $m 64
        function @f(i64) -> i64 {
        block0(v0: i64):
            jump block1(v0)
        block1(v1: i64):
            v2 = load.u8 $m [v1]
            brif v2, block2(v1), block5(v1)
        block2(v3: i64):
            v4 = load.u8 $m [v3 + 1]
            brif v4, block3(v3), block4(v3)
        block3(v5: i64):
            v6 = load.u8 $m [v5 + 2]
            brif v6, block3(v5), block4(v5)
        block4(v7: i64):
            v8 = load.u8 $m [v7 + 1]
            brif v8, block2(v7), block5(v7)
        block5(v9: i64):
            v10 = load.u8 $m [v9]
            brif v10, block1(v9), block6(v9)
        block6(v11: i64):
            return v11
        }
        """, """
        memory $m 64
        function @f(i64) -> i64 {
        block0(v0: i64):
            jump block1
        block1:
            v1 = load.u8 $m [v0]
            brif v1, block2, block5
        block2:
            v2 = load.u8 $m [v0 + 1]
            brif v2, block3, block4
        block3:
            v3 = load.u8 $m [v0 + 2]
            brif v3, block3, block4
        block4:
            v4 = load.u8 $m [v0 + 1]
            brif v4, block2, block5
        block5:
            v5 = load.u8 $m [v0]
            brif v5, block1, block6
        block6:
            return v0
        }
        """, PARAMS);
  }

  @Test
  void aCycleOfParametersIntoWhichTwoValuesComeStaysButACycleInsideItThatSeesOneGoes() {
    // the outer loop moves the value (v9); the inner loop's cycle (v3, v5) sees only v1 come in
    assertPasses("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            jump block1(v0)
        block1(v1: i64):
            brif v1, block2(v1), block5(v1)
        block2(v3: i64):
            brif v3, block3(v3), block4(v3)
        block3(v4: i64):
            brif v4, block2(v4), block4(v4)
        block4(v5: i64):
            v8 = iconst 1
            v9 = iadd v5, v8
            brif v9, block1(v9), block5(v9)
        block5(v10: i64):
            return v10
        }
        """, """
        function @f(i64) -> i64 {
        block0(v0: i64):
            jump block1(v0)
        block1(v1: i64):
            brif v1, block2, block5(v1)
        block2:
            brif v1, block3, block4
        block3:
            brif v1, block2, block4
        block4:
            v2 = iconst 1
            v3 = iadd v1, v2
            brif v3, block1(v3), block5(v3)
        block5(v4: i64):
            return v4
        }
        """, PARAMS);
  }
}
