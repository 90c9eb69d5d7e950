package dev.kiln.backend.opt;

import static dev.kiln.backend.opt.PassAssert.assertPasses;

import org.junit.jupiter.api.Test;

class DepthPairsTest {
  private static final Pass DEPTH = new DepthPairs();

  @Test
  void cancelsALeaveAndTheEnterOfTheSameLevelsAfterItInOneBlock() {
    assertPasses("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            depth_enter 1 @4
            v1 = iadd v0, v0
            v2 = iconst 1
            depth_leave v2
            v3 = iadd v1, v0
            depth_enter 1 @5
            v4 = imul v3, v3
            depth_leave v2
            return v4
        }
        """, """
        function @f(i64) -> i64 {
        block0(v0: i64):
            depth_enter 1 @4
            v1 = iadd v0, v0
            v2 = iconst 1
            v3 = iadd v1, v0
            v4 = imul v3, v3
            depth_leave v2
            return v4
        }
        """, DEPTH);
  }

  @Test
  void cancelsTheLeavesOfEveryJumpingPredecessorWithTheEnterStartingTheJoin() {
    assertPasses("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            depth_enter 1 @4
            v1 = iconst 1
            brif v0, block1, block2
        block1:
            depth_leave v1
            jump block3(v0)
        block2:
            v2 = iadd v0, v0
            depth_leave v1
            jump block3(v2)
        block3(v3: i64):
            v4 = iadd v3, v1
            depth_enter 1 @5
            depth_leave v1
            return v4
        }
        """, """
        function @f(i64) -> i64 {
        block0(v0: i64):
            depth_enter 1 @4
            v1 = iconst 1
            brif v0, block1, block2
        block1:
            jump block3(v0)
        block2:
            v2 = iadd v0, v0
            jump block3(v2)
        block3(v3: i64):
            v4 = iadd v3, v1
            depth_leave v1
            return v4
        }
        """, DEPTH);
  }

  @Test
  void keepsAPairWithACallBetweenThatWouldRunDeeper() {
    String ir = """
        function @g(i64) -> i64 {
        block0(v0: i64):
            return v0
        }
        function @f(i64) -> i64 {
        block0(v0: i64):
            depth_enter 1 @4
            v1 = iconst 1
            depth_leave v1
            v2 = call @g(v0) @5
            depth_enter 1 @6
            depth_leave v1
            return v2
        }
        """;
    assertPasses(ir, ir, DEPTH);
  }

  @Test
  void keepsAPairWithAPossibleTrapOrDifferentLevelsBetween() {
    String ir = """
        memory $m 64
        function @f(i64) -> i64 {
        block0(v0: i64):
            depth_enter 2 @4
            v1 = iconst 2
            depth_leave v1
            v2 = load.i64 $m [v0] @5
            depth_enter 2 @6
            depth_leave v1
            depth_enter 1 @7
            v3 = iconst 1
            depth_leave v3
            return v2
        }
        """;
    assertPasses(ir, ir, DEPTH);
  }

  @Test
  void keepsTheEnterOfAJoinThatOnePredecessorReachesWithoutLeaving() {
    String ir = """
        function @f(i64) -> i64 {
        block0(v0: i64):
            depth_enter 1 @4
            v1 = iconst 1
            brif v0, block1, block2
        block1:
            depth_leave v1
            jump block3
        block2:
            depth_leave v1
            v2 = iadd v0, v0
            depth_enter 1 @6
            depth_leave v1
            brif v2, block3, block4
        block3:
            depth_enter 1 @5
            depth_leave v1
            return v0
        block4:
            return v0
        }
        """;
    String after = ir.replace("""
            depth_leave v1
            v2 = iadd v0, v0
            depth_enter 1 @6
        """, """
            v2 = iadd v0, v0
        """);
    assertPasses(ir, after, DEPTH);
  }

  @Test
  void keepsTheEnterStartingAFunction() {
    String ir = """
        function @f(i64) -> i64 {
        block0(v0: i64):
            depth_enter 1 @4
            v1 = iconst 1
            depth_leave v1
            return v0
        }
        """;
    assertPasses(ir, ir, DEPTH);
  }
}
