package dev.kiln.backend.opt;

import static dev.kiln.backend.opt.PassAssert.assertPasses;

import org.junit.jupiter.api.Test;

class DeadCodeEliminationTest {
  private static final Pass DCE = new DeadCodeElimination();

  @Test
  void removesUnusedPureInstructionsButKeepsEffectsAndTraps() {
    assertPasses("""
        memory $m 8
        import @sink(i64) -> i64
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 3
            v2 = iadd v0, v1
            v3 = sdiv v0, v0
            v4 = load.i64 $m [v0]
            v5 = call @sink(v0)
            bounds_check v0, v1
            v6 = iconst 2
            v7 = udiv v0, v6
            return v0
        }
        """, """
        memory $m 8
        import @sink(i64) -> i64
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 3
            v2 = sdiv v0, v0
            v3 = load.i64 $m [v0]
            v4 = call @sink(v0)
            bounds_check v0, v1
            return v0
        }
        """, DCE);
  }

  @Test
  void removesAParameterOnlyPassedAroundALoopToItselfWithItsArguments() {
    assertPasses("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 0
            jump block1(v0, v1)
        block1(v2: i64, v3: i64):
            v4 = iconst 1
            v5 = iadd v3, v4
            v6 = isub v2, v4
            brif v6, block1(v6, v5), block2
        block2:
            return v6
        }
        """, """
        function @f(i64) -> i64 {
        block0(v0: i64):
            jump block1(v0)
        block1(v1: i64):
            v2 = iconst 1
            v3 = isub v1, v2
            brif v3, block1(v3), block2
        block2:
            return v3
        }
        """, DCE);
  }

  @Test
  void keepsAValueUsedOnlyAsABranchArgumentToALiveParameter() {
    String used = """
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 7
            v2 = iadd v0, v1
            jump block1(v2)
        block1(v3: i64):
            return v3
        }
        """;
    assertPasses(used, used, DCE);
  }
}
