package dev.kiln.backend.opt;

import static dev.kiln.backend.opt.PassAssert.assertPasses;

import org.junit.jupiter.api.Test;

class ValueNumberingTest {
  private static final Pass GVN = new ValueNumbering();

  @Test
  void mergesEqualPureInstructionsCommutedOrNot() {
    assertPasses("""
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = iadd v0, v1
            v3 = iadd v1, v0
            v4 = isub v0, v1
            v5 = isub v1, v0
            v6 = iconst 3
            v7 = iconst 3
            v8 = imul v2, v6
            v9 = imul v3, v7
            v10 = iadd v8, v9
            v11 = iadd v10, v4
            v12 = iadd v11, v5
            return v12
        }
        """, """
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = iadd v0, v1
            v3 = isub v0, v1
            v4 = isub v1, v0
            v5 = iconst 3
            v6 = imul v2, v5
            v7 = iadd v6, v6
            v8 = iadd v7, v3
            v9 = iadd v8, v4
            return v9
        }
        """, GVN);
  }

  @Test
  void reusesAValueOnlyWhereItsBlockDominates() {
    assertPasses("""
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = band v0, v1
            brif v0, block1, block2
        block1:
            v3 = band v1, v0
            v4 = bor v0, v1
            jump block3(v4)
        block2:
            v5 = bor v0, v1
            jump block3(v5)
        block3(v6: i64):
            v7 = bor v0, v1
            v8 = iadd v6, v7
            return v8
        }
        """, """
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = band v0, v1
            brif v0, block1, block2
        block1:
            v3 = bor v0, v1
            jump block3(v3)
        block2:
            v4 = bor v0, v1
            jump block3(v4)
        block3(v5: i64):
            v6 = bor v0, v1
            v7 = iadd v5, v6
            return v7
        }
        """, GVN);
  }

  @Test
  void leavesLoadsCallsAndTrappingDivisionsAlone() {
    String effects = """
        memory $m 8
        import @sink(i64) -> i64
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = load.i64 $m [v0]
            v2 = call @sink(v0)
            v3 = load.i64 $m [v0]
            v4 = call @sink(v0)
            v5 = sdiv v0, v1
            v6 = sdiv v0, v1
            v7 = iadd v1, v3
            v8 = iadd v7, v5
            v9 = iadd v8, v6
            return v9
        }
        """;
    assertPasses(effects, effects, GVN);
  }

  @Test
  void mergesAnInvariantLoadWithAnEqualOneInADominatingBlockAcrossAStore() {
    assertPasses("""
        memory $m 64
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = load.i64 $m [v0 + v1*8 + 8] invariant
            store.i64 v1, $m [v0 + 16]
            brif v1, block1, block2
        block1:
            v3 = load.i64 $m [v0 + v1*8 + 8] invariant
            v4 = load.i64 $m [v0 + v1*4 + 8] invariant
            v5 = load.i32 $m [v0 + v1*8 + 8] invariant
            v6 = load.i64 $m [v0 + v1*8 + 8]
            v7 = iadd v3, v4
            v8 = iadd v7, v5
            v9 = iadd v8, v6
            return v9
        block2:
            v10 = load.i64 $m [v0 + v1*8 + 8] invariant
            return v10
        }
        """, """
        memory $m 64
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = load.i64 $m [v0 + v1*8 + 8] invariant
            store.i64 v1, $m [v0 + 16]
            brif v1, block1, block2
        block1:
            v3 = load.i64 $m [v0 + v1*4 + 8] invariant
            v4 = load.i32 $m [v0 + v1*8 + 8] invariant
            v5 = load.i64 $m [v0 + v1*8 + 8]
            v6 = iadd v2, v3
            v7 = iadd v6, v4
            v8 = iadd v7, v5
            return v8
        block2:
            return v2
        }
        """, GVN);
  }

  @Test
  void mergesInvariantLoadsOnlyWithinOneInnermostLoop() {
    // the loop's load stays; the one after the loop takes the one before it (no loop either)
    assertPasses("""
        memory $m 64
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = load.i64 $m [v0] invariant
            jump block1(v1)
        block1(v3: i64):
            v4 = load.i64 $m [v0] invariant
            v5 = isub v3, v4
            brif v5, block1(v5), block2
        block2:
            v6 = load.i64 $m [v0] invariant
            v7 = iadd v2, v6
            return v7
        }
        """, """
        memory $m 64
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = load.i64 $m [v0] invariant
            jump block1(v1)
        block1(v3: i64):
            v4 = load.i64 $m [v0] invariant
            v5 = isub v3, v4
            brif v5, block1(v5), block2
        block2:
            v6 = iadd v2, v2
            return v6
        }
        """, GVN);
  }
}
