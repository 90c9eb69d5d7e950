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

class StridedLoopUnrollingTest {
  private static final Pass UNROLL = new StridedLoopUnrolling();

  /** A scan for a zero byte: one step forward, a load at the stepped pointer, then the test. */
  private static final String SCAN = """
        memory $m 64
        function @f(i64) -> i64 {
        block0(v0: i64):
            jump block1(v0)
        block1(v1: i64):
            v2 = iconst 1
            v3 = iadd v1, v2 @1
            v4 = load.u8 $m [v3] @2
            brif v4, block1(v3), block2(v3) @3
        block2(v5: i64):
            return v5
        }
        """;

  @Test
  void aScanRunsFourStepsPerGuardAndFallsBackToTheCheckedStepWhenTheGuardFails() {
    // the guard covers [v1 + 1, v1 + 5): the bytes four steps read
    assertPasses(SCAN, """
        memory $m 64

        function @f(i64) -> i64 {
        block0(v0: i64):
            jump block1(v0)
        block1(v1: i64):
            v2 = iconst 1
            v3 = iadd v1, v2 @3
            v4 = iconst 60
            v5 = icmp ule v3, v4 @3
            brif v5, block2, block6(v1) @3
        block2:
            v6 = iconst 1
            v7 = iadd v1, v6 @1
            v8 = load.u8 $m [v1 + 1] inbounds @2
            brif v8, block3, block7(v7) @3
        block3:
            v9 = iconst 1
            v10 = iadd v7, v9 @1
            v11 = load.u8 $m [v1 + 2] inbounds @2
            brif v11, block4, block7(v10) @3
        block4:
            v12 = iconst 1
            v13 = iadd v10, v12 @1
            v14 = load.u8 $m [v1 + 3] inbounds @2
            brif v14, block5, block7(v13) @3
        block5:
            v15 = iconst 1
            v16 = iadd v13, v15 @1
            v17 = load.u8 $m [v1 + 4] inbounds @2
            brif v17, block1(v16), block7(v16) @3
        block6(v18: i64):
            v19 = iconst 1
            v20 = iadd v18, v19 @1
            v21 = load.u8 $m [v20] @2
            brif v21, block1(v20), block7(v20) @3
        block7(v22: i64):
            return v22
        }
        """, UNROLL);
  }

  @Test
  void aNegativeStrideCoversTheLowestAndHighestByteOfAllFourIterations() {
    // the store at +2 and the load at -3, moving by -3: bytes [v1 - 12, v1 + 3); the other
    // parameter is carried through the copies, and the exit is the brif's then edge
    assertPasses("""
        memory $m 64
        function @f(i64) -> i64 {
        block0(v0: i64):
            jump block1(v0, v0)
        block1(v1: i64, v2: i64):
            v3 = iconst 0
            store.i8 v3, $m [v1 + 2] @1
            v4 = iconst -3
            v5 = iadd v1, v4 @2
            v6 = load.u8 $m [v5] @3
            v7 = iadd v2, v6 @4
            brif v6, block2(v5, v1), block1(v5, v7) @5
        block2(v8: i64, v9: i64):
            return v9
        }
        """, """
        memory $m 64

        function @f(i64) -> i64 {
        block0(v0: i64):
            jump block1(v0, v0)
        block1(v1: i64, v2: i64):
            v3 = iconst -12
            v4 = iadd v1, v3 @5
            v5 = iconst 49
            v6 = icmp ule v4, v5 @5
            brif v6, block2, block6(v1, v2) @5
        block2:
            v7 = iconst 0
            store.i8 v7, $m [v1 + 2] inbounds @1
            v8 = iconst -3
            v9 = iadd v1, v8 @2
            v10 = load.u8 $m [v1 - 3] inbounds @3
            v11 = iadd v2, v10 @4
            brif v10, block7(v9, v1), block3 @5
        block3:
            v12 = iconst 0
            store.i8 v12, $m [v1 - 1] inbounds @1
            v13 = iconst -3
            v14 = iadd v9, v13 @2
            v15 = load.u8 $m [v1 - 6] inbounds @3
            v16 = iadd v11, v15 @4
            brif v15, block7(v14, v9), block4 @5
        block4:
            v17 = iconst 0
            store.i8 v17, $m [v1 - 4] inbounds @1
            v18 = iconst -3
            v19 = iadd v14, v18 @2
            v20 = load.u8 $m [v1 - 9] inbounds @3
            v21 = iadd v16, v20 @4
            brif v20, block7(v19, v14), block5 @5
        block5:
            v22 = iconst 0
            store.i8 v22, $m [v1 - 7] inbounds @1
            v23 = iconst -3
            v24 = iadd v19, v23 @2
            v25 = load.u8 $m [v1 - 12] inbounds @3
            v26 = iadd v21, v25 @4
            brif v25, block7(v24, v19), block1(v24, v26) @5
        block6(v27: i64, v28: i64):
            v29 = iconst 0
            store.i8 v29, $m [v27 + 2] @1
            v30 = iconst -3
            v31 = iadd v27, v30 @2
            v32 = load.u8 $m [v31] @3
            v33 = iadd v28, v32 @4
            brif v32, block7(v31, v27), block1(v31, v33) @5
        block7(v34: i64, v35: i64):
            return v35
        }
        """, UNROLL);
  }

  @Test
  void aScanOffTheEndTrapsAtTheSameStepAfterTheSameStores() {
    String text = """
        memory $m 64
        function @f(i64) -> i64 {
        block0(v0: i64):
            jump block1(v0)
        block1(v1: i64):
            v2 = iconst 1
            v3 = iadd v1, v2 @1
            store.i8 v2, $m [v3 - 1] @2
            v4 = load.u8 $m [v3] @3
            brif v4, block2(v4), block1(v3) @4
        block2(v5: i64):
            return v1
        }
        """;
    for (Instance run : Engines.instancesOf(IrParser.parse(text))) {
      try (run) {
        TrapException e = assertThrows(TrapException.class, () -> run.call("f", 0L));
        assertEquals(TrapKind.MEMORY_OUT_OF_BOUNDS, e.kind());
        assertEquals(3, e.position());
        assertEquals(64, e.index());
        for (int i = 0; i < 64; i++) {
          assertEquals(1, run.memory("m").get(i), "byte " + i);
        }
      }
    }
  }

  @Test
  void aLoopWhoseValueIsUsedBeyondItsExitEdgeStays() {
    String text = """
        memory $m 64
        function @f(i64) -> i64 {
        block0(v0: i64):
            jump block1(v0)
        block1(v1: i64):
            v2 = iconst 1
            v3 = iadd v1, v2 @1
            v4 = load.u8 $m [v3] @2
            brif v4, block1(v3), block2 @3
        block2:
            return v3
        }
        """;
    assertPasses(text, text, UNROLL);
  }

  @Test
  void aLoopWhosePointerDoesNotMoveByAConstantStays() {
    String text = """
        memory $m 64
        function @f(i64) -> i64 {
        block0(v0: i64):
            jump block1(v0)
        block1(v1: i64):
            v2 = load.u8 $m [v1] @1
            v3 = iadd v1, v2 @2
            brif v2, block1(v3), block2(v3) @3
        block2(v4: i64):
            return v4
        }
        """;
    assertPasses(text, text, UNROLL);
  }

  @Test
  void aLoopWithoutCheckedAccessesOnItsPointerStays() {
    String text = """
        memory $m 64
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v5: i64):
            jump block1(v0)
        block1(v1: i64):
            v2 = iconst 1
            v3 = iadd v1, v2 @1
            v4 = load.u8 $m [v5] @2
            v6 = iconst 8
            v7 = load.u8 $m [v6] inbounds @3
            v8 = iadd v4, v7
            brif v8, block1(v3), block2(v3) @4
        block2(v9: i64):
            return v9
        }
        """;
    assertPasses(text, text, UNROLL);
  }
}
