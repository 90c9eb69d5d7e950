package dev.kiln.backend.opt;

import static dev.kiln.backend.opt.PassAssert.assertPasses;

import org.junit.jupiter.api.Test;

class JumpThreadingTest {
  private static final Pass THREAD = new JumpThreading();

  @Test
  void aBranchIntoABlockThatOnlyPassesAValueOnGoesStraightToItsTarget() {
    // a guard's early path: block1 only forwards v0 to the join
    assertPasses("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 2
            v2 = icmp slt v0, v1
            brif v2, block1, block2
        block1:
            jump block3(v0)
        block2:
            v3 = iadd v0, v0
            jump block3(v3)
        block3(v4: i64):
            return v4
        }
        """, """
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 2
            v2 = icmp slt v0, v1
            brif v2, block3(v0), block2
        block2:
            v3 = iadd v0, v0
            jump block3(v3)
        block3(v4: i64):
            return v4
        }
        """, THREAD);
  }

  @Test
  void followsAChainOfForwardingBlocks() {
    assertPasses("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            jump block1
        block1:
            jump block2
        block2:
            jump block3(v0)
        block3(v1: i64):
            return v1
        }
        """, """
        function @f(i64) -> i64 {
        block0(v0: i64):
            jump block3(v0)
        block3(v1: i64):
            return v1
        }
        """, THREAD);
  }

  @Test
  void keepsForwardingBlocksReachedAlsoByEdgesThatGoBackwards() {
    // block0's edges are threaded; block4's jump back to block1 polls, so block3 still goes
    // through block4 and block1 stays for it
    assertPasses("""
        function @f(i64) -> i64 {
        block0(v0: i64):
            brif v0, block1, block2
        block1:
            jump block3
        block2:
            jump block3
        block3:
            v1 = iconst 1
            v2 = isub v0, v1
            brif v2, block4, block5
        block4:
            jump block1
        block5:
            return v0
        }
        """, """
        function @f(i64) -> i64 {
        block0(v0: i64):
            brif v0, block3, block3
        block1:
            jump block3
        block3:
            v1 = iconst 1
            v2 = isub v0, v1
            brif v2, block4, block5
        block4:
            jump block1
        block5:
            return v0
        }
        """, THREAD);
  }

  @Test
  void leavesBlocksWithParametersOrInstructionsAndBackwardJumps() {
    String unchanged = """
        function @f(i64) -> i64 {
        block0(v0: i64):
            brif v0, block1(v0), block2
        block1(v1: i64):
            jump block4(v1)
        block2:
            v2 = iconst 7
            jump block4(v2)
        block3:
            v3 = iconst 1
            v4 = isub v0, v3
            brif v4, block5, block6
        block4(v5: i64):
            brif v5, block3, block6
        block5:
            jump block3
        block6:
            return v0
        }
        """;
    assertPasses(unchanged, unchanged, THREAD);
  }
}
