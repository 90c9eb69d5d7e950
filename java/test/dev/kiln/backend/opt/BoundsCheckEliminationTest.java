package dev.kiln.backend.opt;

import static dev.kiln.backend.opt.PassAssert.assertPasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.backend.Engines;
import dev.kiln.ir.Instance;
import dev.kiln.ir.IrParser;
import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;
import org.junit.jupiter.api.Test;

class BoundsCheckEliminationTest {
  private static final Pass BCE = new BoundsCheckElimination();

  @Test
  void versionsAChainOfConditionalUpdatesBehindOneGuardWithThePointerItHandsOnComputedBefore() {
    assertPasses("""
        memory $t 8
        function @walk(i64) -> i64 {
        block0(v0: i64):
            v1 = load.u8 $t [v0] @1
            brif v1, block1, block2
        block1:
            store.i8 v1, $t [v0 + 1] @2
            jump block2
        block2:
            v2 = iconst 2
            v3 = iadd v0, v2
            v4 = load.u8 $t [v3] @3
            brif v4, block3, block4
        block3:
            store.i8 v4, $t [v3 + 1] @4
            jump block4
        block4:
            return v3
        }
        """, """
        memory $t 8
        function @walk(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 2
            v2 = iadd v0, v1
            v3 = iconst 4
            v4 = icmp ule v0, v3 @1
            brif v4, block1, block5 @1
        block1:
            v5 = load.u8 $t [v0] inbounds @1
            brif v5, block2, block3
        block2:
            store.i8 v5, $t [v0 + 1] inbounds @2
            jump block3
        block3:
            v6 = load.u8 $t [v0 + 2] inbounds @3
            brif v6, block4, block9
        block4:
            store.i8 v6, $t [v0 + 3] inbounds @4
            jump block9
        block5:
            v7 = load.u8 $t [v0] @1
            brif v7, block6, block7
        block6:
            store.i8 v7, $t [v0 + 1] @2
            jump block7
        block7:
            v8 = load.u8 $t [v2] @3
            brif v8, block8, block9
        block8:
            store.i8 v8, $t [v2 + 1] @4
            jump block9
        block9:
            return v2
        }
        """, BCE);
  }

  @Test
  void versionsALoopsChainWithItsTestBeforeTheBackEdgeAndMovesThePointerFromTheRoot() {
    // a Brainfuck loop [>>[->>>>>>>>>+<<<<<<<<<]<<<<<<<<<<<]: the guard covers the test of the
    // cell moved to (block3) too, and each version ends with the loop's branch
    assertPasses("""
        memory $t 32
        function @scan(i64) -> i64 {
        block0(v0: i64):
            jump block1(v0)
        block1(v1: i64):
            v2 = iconst 2
            v3 = iadd v1, v2
            v4 = load.u8 $t [v3] @1
            brif v4, block2, block3
        block2:
            store.i8 v4, $t [v3 + 9] @2
            jump block3
        block3:
            v5 = iconst -11
            v6 = iadd v3, v5
            v7 = load.u8 $t [v6] @3
            brif v7, block1(v6), block4(v6)
        block4(v8: i64):
            return v8
        }
        """, """
        memory $t 32
        function @scan(i64) -> i64 {
        block0(v0: i64):
            jump block1(v0)
        block1(v1: i64):
            v2 = iconst -9
            v3 = iadd v1, v2 @1
            v4 = iconst 11
            v5 = icmp ule v3, v4 @1
            brif v5, block2, block5 @1
        block2:
            v6 = iconst 2
            v7 = iadd v1, v6
            v8 = load.u8 $t [v1 + 2] inbounds @1
            brif v8, block3, block4
        block3:
            store.i8 v8, $t [v1 + 11] inbounds @2
            jump block4
        block4:
            v9 = iconst -11
            v10 = iconst -9
            v11 = iadd v1, v10
            v12 = load.u8 $t [v1 - 9] inbounds @3
            brif v12, block1(v11), block8(v11)
        block5:
            v13 = iconst 2
            v14 = iadd v1, v13
            v15 = load.u8 $t [v14] @1
            brif v15, block6, block7
        block6:
            store.i8 v15, $t [v14 + 9] @2
            jump block7
        block7:
            v16 = iconst -11
            v17 = iadd v14, v16
            v18 = load.u8 $t [v17] @3
            brif v18, block1(v17), block8(v17)
        block8(v19: i64):
            return v19
        }
        """, BCE);
  }

  @Test
  void leavesAChainWhoseValueUsedAfterItIsALoad() {
    String chain = """
        memory $t 8
        function @walk(i64) -> i64 {
        block0(v0: i64):
            v1 = load.u8 $t [v0] @1
            brif v1, block1, block2
        block1:
            store.i8 v1, $t [v0 + 1] @2
            jump block2
        block2:
            v2 = iadd v1, v1
            return v2
        }
        """;
    // the cell the chain (block0, block1) loads is used after it: each version would load it
    assertPasses(chain, chain, BCE);
  }

  @Test
  void marksConstantAddressesInsideTheMemoryOnly() {
    assertPasses("""
        memory $m 16
        function @f() -> i64 {
        block0:
            v0 = iconst 8
            v1 = load.i64 $m [v0]
            v2 = load.i64 $m [v0 + 1]
            v3 = load.u8 $m [v0 - 9]
            store.i8 v1, $m [v0 + 7]
            v4 = iadd v1, v2
            v5 = iadd v4, v3
            return v5
        }
        """, """
        memory $m 16
        function @f() -> i64 {
        block0:
            v0 = iconst 8
            v1 = load.i64 $m [v0] inbounds
            v2 = load.i64 $m [v0 + 1]
            v3 = load.u8 $m [v0 - 9]
            store.i8 v1, $m [v0 + 7] inbounds
            v4 = iadd v1, v2
            v5 = iadd v4, v3
            return v5
        }
        """, BCE);
  }

  @Test
  void guardsABlocksAccessesOnOneBaseWithOneCompareAndKeepsACheckedCopyThatTraps() {
    assertPasses("""
        memory $m 100
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = load.u8 $m [v0 - 1] @1
            v2 = iconst 2
            v3 = iadd v0, v2
            store.i8 v1, $m [v3 + 1] @2
            v4 = load.i16 $m [v3] @3
            return v4
        }
        """, """
        memory $m 100
        function @f(i64) -> i64 {
        block0(v0: i64):
            v5 = iconst -1
            v6 = iadd v0, v5 @1
            v7 = iconst 95
            v8 = icmp ule v6, v7 @1
            brif v8, block1, block2 @1
        block1:
            v1 = load.u8 $m [v0 - 1] inbounds @1
            v2 = iconst 2
            v3 = iadd v0, v2
            store.i8 v1, $m [v0 + 3] inbounds @2
            v4 = load.i16 $m [v0 + 2] inbounds @3
            return v4
        block2:
            v9 = load.u8 $m [v0 - 1] @1
            v10 = iconst 2
            v11 = iadd v0, v10
            store.i8 v9, $m [v11 + 1] @2
            v12 = load.i16 $m [v11] @3
            trap 0 @3
        }
        """, BCE);
  }

  @Test
  void aGuardStartsFromAValueDefinedBeforeTheBlockThatIsTheLowestAddress() {
    assertPasses("""
        memory $m 100
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst -5
            v2 = iadd v0, v1
            jump block1
        block1:
            v3 = load.u8 $m [v2]
            v4 = load.u8 $m [v2 + 4]
            v5 = iadd v3, v4
            return v5
        }
        """, """
        memory $m 100
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst -5
            v2 = iadd v0, v1
            jump block1
        block1:
            v6 = iconst 95
            v7 = icmp ule v2, v6
            brif v7, block2, block3
        block2:
            v3 = load.u8 $m [v2] inbounds
            v4 = load.u8 $m [v2 + 4] inbounds
            v5 = iadd v3, v4
            return v5
        block3:
            v8 = load.u8 $m [v2]
            v9 = load.u8 $m [v2 + 4]
            trap 0
        }
        """, BCE);
  }

  @Test
  void versionsABlockWhoseValuesAreUsedElsewhereAndCopiesOnlyUpToItsLastGuardedAccess() {
    assertPasses("""
        memory $m 100
        memory $n 8
        import @g(i64)
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = load.u8 $m [v0] @1
            v2 = sdiv v1, v0 @2
            v3 = load.u8 $m [v0 + 1] @3
            store.i8 v3, $n [v1] @4
            call @g(v2) @5
            v4 = iadd v2, v3
            brif v1, block1, block2(v4) @6
        block1:
            return v3
        block2(v5: i64):
            return v5
        }
        """, """
        memory $m 100
        memory $n 8
        import @g(i64)
        function @f(i64) -> i64 {
        block0(v0: i64):
            v6 = iconst 98
            v7 = icmp ule v0, v6 @1
            brif v7, block3, block4 @1
        block3:
            v1 = load.u8 $m [v0] inbounds @1
            v2 = sdiv v1, v0 @2
            v3 = load.u8 $m [v0 + 1] inbounds @3
            store.i8 v3, $n [v1] @4
            call @g(v2) @5
            v4 = iadd v2, v3
            brif v1, block1, block2(v4) @6
        block4:
            v8 = load.u8 $m [v0] @1
            v9 = sdiv v8, v0 @2
            v10 = load.u8 $m [v0 + 1] @3
            trap 0 @3
        block1:
            return v3
        block2(v5: i64):
            return v5
        }
        """, BCE);
  }

  @Test
  void leavesABlockWithOneAccessPerBase() {
    String kept = """
        memory $m 100
        memory $n 100
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v4 = load.u8 $m [v0]
            v5 = load.u8 $n [v0]
            v6 = load.u8 $m [v1]
            v7 = load.u8 $m [v4 + 1]
            v8 = iadd v4, v5
            v9 = iadd v8, v6
            v10 = iadd v9, v7
            return v10
        }
        """;
    assertPasses(kept, kept, BCE);
  }

  @Test
  void leavesAccessesWhoseRangeExceedsTheMemoryOrThatHaveAnIndex() {
    String kept = """
        memory $m 4
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = load.u8 $m [v0]
            v3 = load.u8 $m [v0 + 4]
            v4 = load.u8 $m [v0 + v1]
            v5 = load.u8 $m [v0 + v1 + 1]
            v6 = iadd v2, v3
            v7 = iadd v6, v4
            v8 = iadd v7, v5
            return v8
        }
        """;
    assertPasses(kept, kept, BCE);
  }

  /**
   * A guard that fails runs the checked copy: the first access out of bounds traps with its own
   * position and address, after the effects before it (the first store, the other memory's).
   */
  @Test
  void marksAnAccessADominatingAccessAtTheSameAddressChecked() {
    assertPasses("""
        memory $m 64
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = load.i64 $m [v0] @1
            bounds_check v1, v2 @2
            v3 = load.i64 $m [v0 + v1*8 + 8] @3
            v4 = iconst 1
            v5 = iadd v3, v4
            store.i64 v5, $m [v0 + v1*8 + 8] @5
            v6 = load.u8 $m [v0 + v1*8 + 9] @6
            brif v6, block1, block2 @6
        block1:
            v7 = load.i64 $m [v0] @7
            return v7
        block2:
            store.i32 v6, $m [v0 + v1*8 + 8] @8
            return v5
        }
        """, """
        memory $m 64
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = load.i64 $m [v0] @1
            bounds_check v1, v2 @2
            v3 = load.i64 $m [v0 + v1*8 + 8] @3
            v4 = iconst 1
            v5 = iadd v3, v4
            store.i64 v5, $m [v0 + v1*8 + 8] inbounds @5
            v6 = load.u8 $m [v0 + v1*8 + 9] @6
            brif v6, block1, block2 @6
        block1:
            v7 = load.i64 $m [v0] inbounds @7
            return v7
        block2:
            store.i32 v6, $m [v0 + v1*8 + 8] inbounds @8
            return v5
        }
        """, BCE);
  }

  @Test
  void leavesAccessesNoDominatingOneCovers() {
    String text = """
        memory $m 64
        memory $n 64
        function @f(i64, i64, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64):
            brif v2, block1, block2
        block1:
            v3 = load.u8 $m [v0 + v1*8] @1
            bounds_check v1, v2 @2
            jump block3(v3)
        block2:
            v4 = load.u8 $m [v0 + v1*4] @3
            jump block3(v4)
        block3(v5: i64):
            v6 = load.u8 $m [v0 + v1*8] @4
            bounds_check v1, v2 @5
            bounds_check v2, v1 @6
            v7 = load.u8 $n [v0 + v1*8] @7
            v8 = load.u8 $m [v1 + v0*8] @8
            v9 = load.i16 $m [v0 + v1*8] @9
            v10 = iadd v5, v6
            return v10
        }
        """;
    assertPasses(text, text, BCE);
  }

  @Test
  void aFailedGuardTrapsAtTheFirstAccessOutOfBoundsAfterTheEffectsBeforeIt() {
    String text = """
        memory $m 32
        memory $n 8
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 7
            store.i8 v1, $m [v0] @1
            store.i8 v1, $n [v1] @2
            v2 = load.u8 $m [v0 + 4] @3
            store.i8 v2, $m [v0 + 20] @4
            v3 = load.u8 $m [v0 - 1] @5
            return v3
        }
        """;
    for (Instance run : Engines.instancesOf(IrParser.parse(text))) {
      try (run) {
        assertEquals(0L, run.call("f", 1L));
        assertEquals(7L, run.call("f", 2L));
        TrapException e = assertThrows(TrapException.class, () -> run.call("f", 30L));
        assertEquals(TrapKind.MEMORY_OUT_OF_BOUNDS, e.kind());
        assertEquals(3, e.position());
        assertEquals(34, e.index());
        assertEquals(7, run.memory("m").get(30));
        assertEquals(7, run.memory("n").get(7));
      }
    }
  }

  @Test
  void betweenRootsWithAsManyAccessesGuardsTheOneAccessedFirst() {
    assertPasses("""
        memory $m 100
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = load.u8 $m [v1]
            v3 = load.u8 $m [v0]
            v4 = load.u8 $m [v1 + 1]
            v5 = load.u8 $m [v0 + 1]
            v6 = iadd v2, v3
            v7 = iadd v4, v5
            v8 = iadd v6, v7
            return v8
        }
        """, """
        memory $m 100
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = iconst 98
            v3 = icmp ule v1, v2
            brif v3, block1, block2
        block1:
            v4 = load.u8 $m [v1] inbounds
            v5 = load.u8 $m [v0]
            v6 = load.u8 $m [v1 + 1] inbounds
            v7 = load.u8 $m [v0 + 1]
            v8 = iadd v4, v5
            v9 = iadd v6, v7
            v10 = iadd v8, v9
            return v10
        block2:
            v11 = load.u8 $m [v1]
            v12 = load.u8 $m [v0]
            v13 = load.u8 $m [v1 + 1]
            trap 0
        }
        """, BCE);
  }

  @Test
  void betweenValuesOfTheChainAtTheGuardsOffsetTestsTheOneNearestTheAccesses() {
    assertPasses("""
        memory $m 100
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 1
            v2 = iadd v0, v1
            v3 = iconst -1
            v4 = iadd v2, v3
            v5 = iadd v4, v1
            jump block1
        block1:
            v6 = load.u8 $m [v5]
            v7 = load.u8 $m [v5 + 2]
            v8 = iadd v6, v7
            return v8
        }
        """, """
        memory $m 100
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 1
            v2 = iadd v0, v1
            v3 = iconst -1
            v4 = iadd v2, v3
            v5 = iadd v4, v1
            jump block1
        block1:
            v6 = iconst 97
            v7 = icmp ule v5, v6
            brif v7, block2, block3
        block2:
            v8 = load.u8 $m [v5] inbounds
            v9 = load.u8 $m [v5 + 2] inbounds
            v10 = iadd v8, v9
            return v10
        block3:
            v11 = load.u8 $m [v5]
            v12 = load.u8 $m [v5 + 2]
            trap 0
        }
        """, BCE);
  }
}
