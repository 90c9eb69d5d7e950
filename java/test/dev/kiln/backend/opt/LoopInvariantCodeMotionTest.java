package dev.kiln.backend.opt;

import static dev.kiln.backend.opt.PassAssert.assertPasses;

import org.junit.jupiter.api.Test;

class LoopInvariantCodeMotionTest {
  private static final Pass LICM = new LoopInvariantCodeMotion();

  @Test
  void hoistsPureInvariantsAndADivisionFirstInTheHeaderIntoTheJumpingPredecessor() {
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
            v5 = sdiv v0, v1
            v6 = iadd v2, v4
            jump block1(v0)
        block1(v7: i64):
            v8 = isub v7, v6
            brif v8, block1(v8), block2
        block2:
            return v5
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

  @Test
  void hoistsTrappingInvariantsFirstInTheHeaderInOrderAndALoadOfALoopThatWritesNoMemory() {
    assertPasses("""
        memory $m 64
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            jump block1(v0)
        block1(v2: i64):
            v3 = isub v2, v1
            bounds_check v0, v1 @1
            v4 = load.i64 $m [v0] @2
            trapz v1, 7 @3
            v5 = udiv v2, v1 @4
            v6 = urem v4, v1 @5
            brif v3, block1(v3), block2
        block2:
            return v6
        }
        """, """
        memory $m 64
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            bounds_check v0, v1 @1
            v2 = load.i64 $m [v0] @2
            trapz v1, 7 @3
            jump block1(v0)
        block1(v3: i64):
            v4 = isub v3, v1
            v5 = udiv v3, v1 @4
            v6 = urem v2, v1 @5
            brif v4, block1(v4), block2
        block2:
            return v6
        }
        """, LICM);
  }

  @Test
  void leavesTrapsAfterAStoreOrACallOrOutsideTheHeaderAndLoadsOfALoopThatStores() {
    String kept = """
        memory $m 64
        import @sink(i64)
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            jump block1(v0)
        block1(v2: i64):
            v3 = load.i64 $m [v0] @1
            store.i64 v2, $m [v1] @2
            v4 = sdiv v0, v1 @3
            brif v2, block2, block4
        block2:
            v5 = srem v0, v1 @4
            call @sink(v5)
            v6 = udiv v1, v0 @5
            jump block3
        block3:
            v7 = isub v2, v6
            jump block1(v7)
        block4:
            return v3
        }
        """;
    assertPasses(kept, kept, LICM);
    // a loop that may run zero times checks its condition first: the division in its body stays
    String zeroTrip = """
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = iconst 0
            jump block1(v2)
        block1(v3: i64):
            v4 = icmp slt v3, v0
            brif v4, block2, block3
        block2:
            v5 = sdiv v0, v1 @6
            v6 = iadd v3, v5
            jump block1(v6)
        block3:
            return v3
        }
        """;
    assertPasses(zeroTrip, zeroTrip, LICM);
    // hoisted out of a loop with an inner loop, it would stay live across the inner loop
    String outer = """
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            jump block1(v0)
        block1(v2: i64):
            v3 = sdiv v0, v1 @7
            jump block2(v2)
        block2(v4: i64):
            brif v4, block2(v3), block3
        block3:
            brif v2, block1(v3), block4
        block4:
            return v3
        }
        """;
    assertPasses(outer, outer, LICM);
  }
}
