package dev.kiln.backend.opt;

import static dev.kiln.backend.opt.PassAssert.assertPasses;

import org.junit.jupiter.api.Test;

class LoopInvariantCodeMotionTest {
  private static final Pass LICM = new LoopInvariantCodeMotion();

  @Test
  void hoistsPureInvariantsIntoTheJumpingPredecessorButNotATrappingDivision() {
    assertPasses("""
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            jump block1(v0)
        block1(v2: i64):
            v3 = imul v1, v1
            v4 = iconst 8
            v5 = sdiv v1, v4
            v6 = sdiv v0, v1
            v7 = iadd v3, v5
            v8 = isub v2, v7
            brif v8, block1(v8), block2
        block2:
            return v6
        }
        """, """
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = imul v1, v1
            v3 = iconst 8
            v4 = sdiv v1, v3
            v5 = iadd v2, v4
            jump block1(v0)
        block1(v6: i64):
            v7 = sdiv v0, v1
            v8 = isub v6, v5
            brif v8, block1(v8), block2
        block2:
            return v7
        }
        """, LICM);
  }

  @Test
  void createsAPreheaderForALoopWithTwoEntriesAndTwoBackEdges() {
    assertPasses("""
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            brif v0, block1(v0), block1(v1)
        block1(v2: i64):
            v3 = bxor v0, v1
            v4 = isub v2, v3
            brif v4, block2, block3
        block2:
            brif v2, block1(v4), block1(v3)
        block3:
            return v4
        }
        """, """
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            brif v0, block1(v0), block1(v1)
        block1(v2: i64):
            v3 = bxor v0, v1
            jump block2(v2)
        block2(v4: i64):
            v5 = isub v4, v3
            brif v5, block3, block4
        block3:
            brif v4, block2(v5), block2(v3)
        block4:
            return v5
        }
        """, LICM);
  }

  @Test
  void movesAnInvariantOutOfANestOnePreheaderAtATime() {
    assertPasses("""
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            jump block1(v0)
        block1(v2: i64):
            jump block2(v2)
        block2(v3: i64):
            v4 = ishl v1, v1
            v5 = isub v3, v4
            brif v5, block2(v5), block3
        block3:
            v6 = isub v2, v1
            brif v6, block1(v6), block4
        block4:
            return v6
        }
        """, """
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = ishl v1, v1
            jump block1(v0)
        block1(v3: i64):
            jump block2(v3)
        block2(v4: i64):
            v5 = isub v4, v2
            brif v5, block2(v5), block3
        block3:
            v6 = isub v3, v1
            brif v6, block1(v6), block4
        block4:
            return v6
        }
        """, LICM);
  }

  @Test
  void leavesLoadsCallsAndChecksInTheLoop() {
    String effects = """
        memory $m 8
        import @sink(i64) -> i64
        function @f(i64) -> i64 {
        block0(v0: i64):
            jump block1(v0)
        block1(v1: i64):
            v2 = iconst 0
            v3 = load.i64 $m [v2]
            v4 = call @sink(v0)
            bounds_check v0, v3
            v5 = isub v1, v4
            brif v5, block1(v5), block2
        block2:
            return v3
        }
        """;
    assertPasses(effects, """
        memory $m 8
        import @sink(i64) -> i64
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 0
            jump block1(v0)
        block1(v2: i64):
            v3 = load.i64 $m [v1]
            v4 = call @sink(v0)
            bounds_check v0, v3
            v5 = isub v2, v4
            brif v5, block1(v5), block2
        block2:
            return v3
        }
        """, LICM);
  }
}
